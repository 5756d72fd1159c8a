//! `errspec verify`: each seed page against its spec finds nothing missing, and a code removed
//! from a copy of the spec is reported. The pages are copies in `tests/fixtures/seeds/`.

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
