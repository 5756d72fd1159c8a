//! `errspec verify`: each seed page against its spec finds nothing missing, and a code removed
//! from a copy of the spec is reported. The pages are copies in `tests/fixtures/seeds/`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use errspec_codegen::verify::{verify, Format, Options, TokenKind};
use errspec_codegen::{load, parse};

const PAGES: [(&str, &str); 3] = [
    ("hms_sovereign.yaml", "000_d5b9e8de8241fdcb.txt"),
    ("sinch_voice.yaml", "001_a03eaa678f002320.txt"),
    ("sinch_numbers.yaml", "002_5aa4df0d506985d4.txt"),
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn seed(page: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/seeds")
        .join(page)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("errspec-verify-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn errspec(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_errspec"))
        .args(args)
        .output()
        .unwrap()
}

/// The spec's text without the entry of `code`: its first line (`- code: X` or `- { code: X,`)
/// through the line before the next entry or the end of the list.
fn without_code(source: &str, code: &str) -> String {
    let lines: Vec<&str> = source.lines().collect();
    let start = lines
        .iter()
        .position(|l| {
            let l = l.trim_start();
            l == format!("- code: {code}") || l.starts_with(&format!("- {{ code: {code},"))
        })
        .unwrap_or_else(|| panic!("no entry for {code}"));
    let end = (start + 1..lines.len())
        .find(|&i| {
            let l = lines[i];
            l.trim().is_empty() || l.trim_start().starts_with("- ") || !l.starts_with(' ')
        })
        .unwrap_or(lines.len());
    let mut out: Vec<&str> = lines[..start].to_vec();
    out.extend(&lines[end..]);
    out.join("\n") + "\n"
}

#[test]
fn the_fixtures_are_the_seed_pages() {
    let shared = root().join("../shared/seeds");
    if !shared.is_dir() {
        return;
    }
    for (_, page) in PAGES {
        assert_eq!(
            std::fs::read(seed(page)).unwrap(),
            std::fs::read(shared.join(page)).unwrap(),
            "{page}"
        );
    }
}

#[test]
fn each_seed_page_has_nothing_the_spec_lacks() {
    for (spec, page) in PAGES {
        let api = load(&root().join("spec").join(spec)).unwrap();
        let text = std::fs::read_to_string(seed(page)).unwrap();
        let report = verify(&api, &text, &Options::default()).unwrap();
        assert_eq!(report.format, Format::Text);
        assert!(report.missing.is_empty(), "{spec}: {:#?}", report.missing);
        assert!(
            report.not_on_page.is_empty(),
            "{spec}: {:?}",
            report.not_on_page
        );
        assert_eq!(
            report.distinct(TokenKind::Code),
            api.codes.len() + usize::from(spec == "sinch_voice.yaml"),
            "{spec}: every code is found (and Sinch Voice's 50500)"
        );
    }
}

#[test]
fn the_cli_reports_nothing_missing_on_the_seed_pages() {
    for (spec, page) in PAGES {
        let spec = root().join("spec").join(spec);
        let out = errspec(&[
            "verify",
            spec.to_str().unwrap(),
            "--against",
            seed(page).to_str().unwrap(),
        ]);
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(0), "{stdout}");
        assert!(
            stdout.contains("ok: every code and status found on the page is in the spec"),
            "{stdout}"
        );
    }
}

#[test]
fn a_code_removed_from_a_spec_is_reported() {
    let dir = scratch("removed");
    let cases = [
        ("hms_sovereign.yaml", "invalid_uuid", 0),
        ("hms_sovereign.yaml", "unauthorized", 0),
        ("sinch_voice.yaml", "40105", 1),
        ("sinch_numbers.yaml", "blocked_account", 2),
        ("sinch_numbers.yaml", "INVALID_ARGUMENT", 2),
    ];
    for (spec, code, page) in cases {
        let source = std::fs::read_to_string(root().join("spec").join(spec)).unwrap();
        let trimmed = without_code(&source, code);
        assert!(
            parse(&trimmed, spec).is_ok(),
            "{spec} without {code} is valid"
        );
        let copy = dir.join(spec);
        std::fs::write(&copy, &trimmed).unwrap();
        let page = seed(PAGES[page].1);
        let out = errspec(&[
            "verify",
            copy.to_str().unwrap(),
            "--against",
            page.to_str().unwrap(),
        ]);
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{spec} without {code}: {stdout}"
        );
        let reported: Vec<&str> = stdout
            .lines()
            .filter(|l| l.starts_with("  ") && l.contains(": code "))
            .collect();
        assert_eq!(reported.len(), 1, "{stdout}");
        assert!(reported[0].ends_with(&format!(": code {code}")), "{stdout}");
        assert!(
            stdout.contains("1 token on the page is not in the spec"),
            "{stdout}"
        );

        // The ignore list silences it.
        let out = errspec(&[
            "verify",
            copy.to_str().unwrap(),
            "--against",
            page.to_str().unwrap(),
            "--ignore",
            &format!("x_y,{code}"),
        ]);
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(0), "{stdout}");
        assert!(stdout.contains(&format!("ignored: {code}")), "{stdout}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn missing_tokens_are_reported_with_their_line() {
    let api = load(&root().join("spec/sinch_voice.yaml")).unwrap();
    let text = std::fs::read_to_string(seed(PAGES[1].1)).unwrap()
        + "\n40006\nA 40006 error is new.\n451 - Unavailable For Legal Reasons\n";
    let report = verify(&api, &text, &Options::default()).unwrap();
    let lines = text.lines().count();
    let missing: Vec<(TokenKind, &str, usize)> = report
        .missing
        .iter()
        .map(|t| (t.kind, t.text.as_str(), t.line))
        .collect();
    assert_eq!(
        missing,
        [
            (TokenKind::Code, "40006", lines - 2),
            (TokenKind::Status, "451", lines)
        ]
    );
}

#[test]
fn html_pages_are_read_through_their_structure() {
    let source = "api: { id: t, name: T, source: s, code_type: string }\n\
                  envelopes: [{ id: e, root: error, code: { field: code, accepts: [string] }, fields: [{ name: request_id, type: string }] }]\n\
                  statuses: [{ status: 400, name: Bad Request }, { status: 404, name: Not Found }]\n\
                  codes:\n\
                  \x20 - { code: invalid_request, status: 400, message: m }\n\
                  \x20 - { code: not_found, status: 404, message: m }\n";
    let api = parse(source, "t.yaml").unwrap();
    let html = "<!DOCTYPE html>\n<html><body>\n\
                <h2>Errors</h2>\n\
                <p>Every body has a <code>request_id</code>. See <a href=\"x\">the guide</a>.</p>\n\
                <table>\n\
                <tr><th>Code</th><th>Meaning</th></tr>\n\
                <tr><td>invalid_request</td><td>Bad body</td></tr>\n\
                <tr><td>not_found</td><td>No such thing</td></tr>\n\
                <tr><td>gone</td><td>Deleted &amp; gone</td></tr>\n\
                </table>\n\
                <ul>\n<li>409 - <code>already_exists</code>: a duplicate</li>\n</ul>\n\
                <p>Use <code>rate_limited</code> to detect throttling.</p>\n\
                <script>var not_a_code = 1;</script>\n\
                </body></html>\n";
    let report = verify(&api, html, &Options::default()).unwrap();
    assert_eq!(report.format, Format::Html);
    let missing: Vec<(TokenKind, &str, usize)> = report
        .missing
        .iter()
        .map(|t| (t.kind, t.text.as_str(), t.line))
        .collect();
    assert_eq!(
        missing,
        [
            (TokenKind::Code, "gone", 9),
            (TokenKind::Status, "409", 12),
            (TokenKind::Code, "already_exists", 12),
            (TokenKind::Code, "rate_limited", 14),
        ]
    );
}

#[test]
fn codes_the_page_does_not_mention_are_noted() {
    let dir = scratch("note");
    let spec = dir.join("t.yaml");
    std::fs::write(
        &spec,
        "api: { id: t, name: T, source: s, code_type: string }\n\
         envelopes: [{ id: e, code: { field: code, accepts: [string] } }]\n\
         statuses: [{ status: 400, name: Bad Request }]\n\
         codes: [{ code: invalid_request, status: 400, message: m }, { code: extra_code, status: 400, message: m }]\n",
    )
    .unwrap();
    let page = dir.join("page.md");
    std::fs::write(
        &page,
        "| Code | Meaning |\n|---|---|\n| invalid_request | Bad body |\n",
    )
    .unwrap();
    let out = errspec(&[
        "verify",
        spec.to_str().unwrap(),
        "--against",
        page.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("note: the spec's code `extra_code` does not occur on the page"),
        "{stdout}"
    );

    let out = errspec(&["verify", spec.to_str().unwrap(), "--against", "nowhere.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nowhere.txt"));

    std::fs::write(&spec, "api: {}\n").unwrap();
    let out = errspec(&[
        "verify",
        spec.to_str().unwrap(),
        "--against",
        page.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("t.yaml:1:6"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A real page, its spec, and the tokens on it that are not codes.
struct Page {
    spec: PathBuf,
    page: PathBuf,
    format: Format,
    ignore: &'static [&'static str],
}

fn verify_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/verify")
        .join(name)
}

/// The three seed pages and the four real catalogs of `tests/fixtures/verify`.
fn real_pages() -> Vec<Page> {
    let mut pages: Vec<Page> = PAGES
        .iter()
        .map(|(spec, page)| Page {
            spec: root().join("spec").join(spec),
            page: seed(page),
            format: Format::Text,
            ignore: &[],
        })
        .collect();
    for (spec, page, format, ignore) in [
        (
            "postgres.yaml",
            "postgres_errcodes.txt",
            Format::Text,
            &["SQL99"][..],
        ),
        ("grpc.yaml", "grpc_statuscodes.md", Format::Text, &[][..]),
        (
            "lambda.yaml",
            "lambda_errors.json",
            Format::Json,
            &["ThrottleReason"][..],
        ),
        (
            "webdriver.yaml",
            "webdriver_errors.html",
            Format::Html,
            &["text", "script timeout error"][..],
        ),
    ] {
        pages.push(Page {
            spec: verify_fixture(spec),
            page: verify_fixture(page),
            format,
            ignore,
        });
    }
    pages
}

fn options(ignore: &[&str]) -> Options {
    Options {
        ignore: ignore.iter().map(|s| (*s).to_owned()).collect(),
        ..Options::default()
    }
}

/// Every real page against its spec: read as what it is, every code on it found, nothing
/// missing once the page's known non-codes are ignored.
#[test]
fn each_real_page_matches_its_spec() {
    for page in real_pages() {
        let api = load(&page.spec).unwrap();
        let text = std::fs::read_to_string(&page.page).unwrap();
        let report = verify(&api, &text, &options(page.ignore)).unwrap();
        let name = page.page.display();
        assert_eq!(report.format, page.format, "{name}");
        assert!(report.missing.is_empty(), "{name}: {:#?}", report.missing);
        assert_eq!(report.ignored.len(), page.ignore.len(), "{name}");
        assert!(
            report.unmatched.is_empty(),
            "{name}: {:?}",
            report.unmatched
        );
        let found: BTreeSet<&str> = report
            .tokens
            .iter()
            .filter(|t| t.kind == TokenKind::Code)
            .map(|t| t.text.as_str())
            .collect();
        for code in &api.codes {
            assert_eq!(
                found.contains(code.wire.as_str()),
                !report.not_on_page.contains(&code.wire),
                "{name}: {} is found as a token exactly when it is on the page",
                code.wire
            );
        }
    }
}

/// The property: for each real page, removing any one code from its spec makes `verify`
/// report exactly that code, and no other token; a code the page does not show makes it
/// report nothing. Every code of every page is tried. An erratum that records the removed
/// code's value as shown on the page (Sinch Voice's examples carry `40002` for other codes)
/// goes with it: it would still account for the value.
#[test]
fn removing_any_one_code_reports_exactly_that_code() {
    let mut tried = 0;
    for page in real_pages() {
        let api = load(&page.spec).unwrap();
        let text = std::fs::read_to_string(&page.page).unwrap();
        let options = options(page.ignore);
        let full = verify(&api, &text, &options).unwrap();
        for (i, code) in api.codes.iter().enumerate() {
            let mut without = api.clone();
            without.codes.remove(i);
            without.errata.retain(|e| {
                e.page_shows != code.wire
                    && !e
                        .page_shows
                        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                        .any(|w| w == code.wire)
            });
            let report = verify(&without, &text, &options).unwrap();
            let reported: Vec<(TokenKind, &str)> = report
                .missing
                .iter()
                .map(|t| (t.kind, t.text.as_str()))
                .collect();
            let expected: Vec<(TokenKind, &str)> = if full.not_on_page.contains(&code.wire) {
                Vec::new()
            } else {
                vec![(TokenKind::Code, code.wire.as_str())]
            };
            assert_eq!(
                reported,
                expected,
                "{} without {}",
                page.page.display(),
                code.wire
            );
            tried += 1;
        }
    }
    assert_eq!(tried, 22 + 28 + 9 + 258 + 17 + 56 + 28);
}

#[test]
fn json_pages_are_read_as_json_leaves_and_keys_with_their_lines() {
    let api = load(&verify_fixture("lambda.yaml")).unwrap();
    let path = verify_fixture("lambda_errors.json");
    let text = std::fs::read_to_string(&path).unwrap();
    // By content, whatever the name.
    assert_eq!(Format::detect(&text), Format::Json);
    assert_eq!(Format::from_path(&path), Some(Format::Json));
    assert_eq!(Format::from_path(Path::new("errors.txt")), None);
    let report = verify(&api, &text, &Options::default()).unwrap();
    assert_eq!(report.format, Format::Json);
    assert_eq!(
        report.shapes,
        ["CamelCase words (like `AliasLimitExceededException`)"]
    );
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let token = |text: &str| {
        report
            .tokens
            .iter()
            .find(|t| t.text == text)
            .unwrap_or_else(|| panic!("{text}"))
            .clone()
    };
    // A key whose value is an object: a code.
    let t = token("ResourceNotFoundException");
    assert_eq!(
        (t.kind, t.line),
        (TokenKind::Code, line_of("\"ResourceNotFoundException\": {"))
    );
    // A string leaf of a code's shape that the spec lacks.
    assert_eq!(
        report
            .missing
            .iter()
            .map(|t| (t.kind, t.text.as_str(), t.line))
            .collect::<Vec<_>>(),
        [(
            TokenKind::Code,
            "ThrottleReason",
            line_of("\"shape\": \"ThrottleReason\"")
        )]
    );
    // `httpStatusCode` numbers are statuses; `String`, `structure` and the documentation are
    // not codes.
    assert_eq!(report.distinct(TokenKind::Status), 13);
    assert_eq!(token("413").kind, TokenKind::Status);
    for not_code in ["String", "structure", "header", "Retry-After", "Type"] {
        assert!(
            report.tokens.iter().all(|t| t.text != not_code),
            "{not_code}"
        );
    }

    // Read as JSON, a page that is not JSON is an error, not a pass.
    let forced = Options {
        format: Some(Format::Json),
        ..Options::default()
    };
    let err = verify(&api, "{\"a\": [1, 2,]}", &forced).unwrap_err();
    assert!(
        err.to_string().starts_with("the page is not valid JSON"),
        "{err}"
    );
}

#[test]
fn markdown_tables_give_codes_from_their_code_column_only() {
    let api = load(&verify_fixture("grpc.yaml")).unwrap();
    let text = std::fs::read_to_string(verify_fixture("grpc_statuscodes.md")).unwrap();
    let report = verify(&api, &text, &Options::default()).unwrap();
    assert_eq!(report.format, Format::Text);
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let found: Vec<(&str, usize)> = report
        .tokens
        .iter()
        .map(|t| (t.text.as_str(), t.line))
        .collect();
    // The second column of the table, then the list.
    assert_eq!(found[0], ("CANCELLED", 21));
    assert_eq!(found.last(), Some(&("DATA_LOSS", line_of("- DATA_LOSS"))));
    assert_eq!(found.len(), 20 + 7);
    // `TCP`, `RPC` and `Both` are in other columns, `status` in prose.
    for word in ["TCP", "RPC", "Both", "Server", "Status", "status"] {
        assert!(found.iter().all(|(t, _)| *t != word), "{word}");
    }

    // A table whose first column holds the codes and whose second holds condition names in
    // snake_case: only the codes are read, though the names look like words of a code table.
    let sqlstate = load(&verify_fixture("postgres.yaml")).unwrap();
    let table =
        "| SQLSTATE | Condition Name |\n|---|---|\n| `22P02` | invalid_text_representation |\n\
                 | 0A000 | feature_not_supported |\n| 99999 | not_in_the_spec |\n";
    let report = verify(&sqlstate, table, &Options::default()).unwrap();
    let missing: Vec<(&str, usize)> = report
        .missing
        .iter()
        .map(|t| (t.text.as_str(), t.line))
        .collect();
    assert_eq!(missing, [("99999", 5)]);
    assert_eq!(report.distinct(TokenKind::Code), 3);
}

#[test]
fn html_pages_are_read_through_an_html_parser() {
    let api = load(&verify_fixture("webdriver.yaml")).unwrap();
    let path = verify_fixture("webdriver_errors.html");
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(Format::detect(&text), Format::Html);
    let report = verify(&api, &text, &Options::default()).unwrap();
    assert_eq!(report.format, Format::Html);
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let at = |code: &str| {
        report
            .tokens
            .iter()
            .filter(|t| t.text == code)
            .map(|t| t.line)
            .collect::<Vec<_>>()
    };
    // Unclosed `<td>`s are cells: the `Error Code` and `JSON Error Code` columns give codes on
    // their own lines, the `HTTP Status` column statuses, the description nothing.
    assert_eq!(
        at("no such element"),
        [
            line_of("<td><dfn>no such element</dfn>"),
            line_of("<td><code>no such element</code>")
        ]
    );
    assert_eq!(report.distinct(TokenKind::Status), 4);
    assert_eq!(
        report
            .missing
            .iter()
            .map(|t| (t.text.as_str(), t.line))
            .collect::<Vec<_>>(),
        [
            ("text", line_of("<code>text</code>")),
            ("script timeout error", line_of("script timeout error"))
        ]
    );
    // The JSON examples in `<pre>` are read as code: their values are not whole units.
    assert!(at("invalid session id")
        .iter()
        .all(|&l| l != line_of("\"error\": \"invalid session id\"")));
}

#[test]
fn html_text_that_only_looks_like_a_tag_is_text() {
    let api = parse(
        "api: { id: t, name: T, source: s, code_type: string }\n\
         envelopes: [{ id: e, code: { field: code, accepts: [string] } }]\n\
         statuses: [{ status: 400, name: Bad Request }]\n\
         codes: [{ code: invalid_request, status: 400, message: m }, { code: not_found, status: 400, message: m }]\n",
        "t.yaml",
    )
    .unwrap();
    // `<[a-z_]+>` and `x<5 and y>3` are text to an HTML5 tokenizer: the codes after them are
    // read, not swallowed into a tag.
    let html = "<!doctype html>\n<p>Codes match <code>^&lt;[a-z_]+&gt;$</code> or <[a-z_]+> \
                as in <code>invalid_request</code>.</p>\n<p>If x<5 and y>3 then \
                <code>not_found</code> or <code>rate_limited</code>.</p>\n";
    let report = verify(&api, html, &Options::default()).unwrap();
    assert_eq!(report.format, Format::Html);
    let found: Vec<(&str, usize)> = report
        .tokens
        .iter()
        .map(|t| (t.text.as_str(), t.line))
        .collect();
    assert_eq!(
        found,
        [
            ("invalid_request", 2),
            ("not_found", 3),
            ("rate_limited", 3)
        ]
    );
}

#[test]
fn a_page_without_any_code_like_token_fails_and_says_what_to_pass() {
    // PostgreSQL's SQLSTATE spec against gRPC's page: nothing on it looks like a SQLSTATE.
    let spec = verify_fixture("postgres.yaml");
    let page = verify_fixture("grpc_statuscodes.md");
    let out = errspec(&[
        "verify",
        spec.to_str().unwrap(),
        "--against",
        page.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("page: 0 code-like tokens"), "{stdout}");
    assert!(
        stdout.contains("error: found no code-like token on the page (read as text)"),
        "{stdout}"
    );
    assert!(stdout.contains("pass --pattern REGEX"), "{stdout}");
    assert!(!stdout.contains("ok:"), "{stdout}");

    // With a pattern, the page's codes are found, and reported as not in this spec.
    let out = errspec(&[
        "verify",
        spec.to_str().unwrap(),
        "--against",
        page.to_str().unwrap(),
        "--pattern",
        "[A-Z]+_[A-Z_]+",
    ]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("codes look like: the pattern `[A-Z]+_[A-Z_]+`"),
        "{stdout}"
    );
    assert!(stdout.contains(": code DEADLINE_EXCEEDED"), "{stdout}");
    assert!(stdout.contains("note: the spec's code `22P02` does not match --pattern"));

    // A pattern that is not a regular expression is a usage error.
    let out = errspec(&[
        "verify",
        spec.to_str().unwrap(),
        "--against",
        page.to_str().unwrap(),
        "--pattern",
        "([A-Z",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("--pattern is not a valid regular expression"));
}

#[test]
fn the_cli_reads_each_real_page_as_what_it_is() {
    for page in real_pages().into_iter().skip(PAGES.len()) {
        let mut args = vec![
            "verify".to_owned(),
            page.spec.to_str().unwrap().to_owned(),
            "--against".to_owned(),
            page.page.to_str().unwrap().to_owned(),
        ];
        if !page.ignore.is_empty() {
            args.push("--ignore".to_owned());
            args.push(page.ignore.join(","));
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = errspec(&args);
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(0), "{stdout}");
        let first = stdout.lines().next().unwrap();
        assert!(first.ends_with(&format!("({})", page.format)), "{stdout}");
        assert!(stdout.contains("ok: every code and status"), "{stdout}");
    }

    // The PostgreSQL page without its ignore list: the one prose token of a SQLSTATE's shape.
    let spec = verify_fixture("postgres.yaml");
    let page = verify_fixture("postgres_errcodes.txt");
    let out = errspec(&[
        "verify",
        spec.to_str().unwrap(),
        "--against",
        page.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let expected = format!(
        "verify {} against {} (text)\n  codes look like: 5 digits (like `00000`); 5 upper-case \
         letters and digits (like `0100C`)\n  page: 259 code-like tokens, 0 statuses; spec: 258 \
         codes, 7 statuses\nmissing from the spec:\n  {}:49: code SQL99\n1 token on the page is \
         not in the spec; add it to the spec, or pass --ignore TOKEN for what is not a code\n",
        spec.display(),
        page.display(),
        page.display()
    );
    assert_eq!(stdout, expected);

    // `--format` overrides the extension: the JSON catalog read as text finds the codes only
    // as lines of their own, and none is on a line alone.
    let spec = verify_fixture("lambda.yaml");
    let page = verify_fixture("lambda_errors.json");
    let out = errspec(&[
        "verify",
        spec.to_str().unwrap(),
        "--against",
        page.to_str().unwrap(),
        "--format",
        "text",
    ]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.lines().next().unwrap().ends_with("(text)"),
        "{stdout}"
    );
}
