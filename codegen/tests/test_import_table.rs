//! `errspec import table`: real documentation pages (the seed pages, the WebDriver standard's
//! HTML, gRPC's Markdown) read into drafts that validate and generate Rust, and the pages it
//! cannot read refused with what it saw.

use std::path::{Path, PathBuf};

use errspec_codegen::import::{table, Draft, DraftCodeType, Wire};
use errspec_codegen::ir::{ErratumField, FieldType, TextFormat};

fn manifest(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

const HMS: &str = "tests/fixtures/seeds/000_d5b9e8de8241fdcb.txt";
const SINCH_VOICE: &str = "tests/fixtures/seeds/001_a03eaa678f002320.txt";
const SINCH_NUMBERS: &str = "tests/fixtures/seeds/002_5aa4df0d506985d4.txt";
const WEBDRIVER: &str = "tests/fixtures/import/table/webdriver_errors.html";
const WEBDRIVER_ENDPOINTS: &str = "tests/fixtures/import/table/webdriver_endpoints.html";
const GRPC: &str = "tests/fixtures/import/table/grpc_statuscodes.md";

fn import(rel: &str) -> Draft {
    table::read(&manifest(rel)).unwrap_or_else(|e| panic!("{e}"))
}

/// The draft validates as `errspec lint` would, and the Rust generated from it parses.
fn generates(draft: &Draft) -> errspec_codegen::ir::Api {
    let api = draft
        .check("imported.yaml")
        .unwrap_or_else(|e| panic!("{e}\n{}", draft.to_yaml()));
    let rust = errspec_codegen::generate_rust(&api);
    syn::parse_file(&rust).unwrap_or_else(|e| panic!("{e}\n{rust}"));
    api
}

fn wire(w: &Option<Wire>) -> String {
    w.as_ref().map(Wire::to_string).unwrap_or_default()
}

#[test]
fn the_hms_page_gives_every_code_message_and_solution_of_its_tables() {
    let draft = import(HMS);
    let page = std::fs::read_to_string(manifest(HMS)).unwrap();
    let shipped = errspec_codegen::load(&manifest("../spec/hms_sovereign.yaml")).unwrap();
    generates(&draft);

    // What the page's tables hold, counted on the page itself: a row `code | message |
    // solution |` under each `| Code | Message | Solution |` header.
    let mut rows = Vec::new();
    let mut in_codes = false;
    for line in page.lines() {
        if line.starts_with("| ") {
            in_codes = line == "| Code | Message | Solution |";
        } else if in_codes && line != "|---|" {
            match line
                .strip_suffix(" |")
                .map(|l| l.split(" | ").collect::<Vec<_>>())
            {
                Some(cells) if cells.len() == 3 => rows.push(cells),
                _ => in_codes = false,
            }
        }
    }
    assert_eq!(rows.len(), 22, "the page's seven code tables hold 22 rows");
    assert_eq!(draft.codes.len(), rows.len());
    let (mut codes, mut messages, mut solutions) = (0, 0, 0);
    for (code, row) in draft.codes.iter().zip(&rows) {
        codes += usize::from(wire(&code.code) == row[0]);
        messages += usize::from(code.message == row[1]);
        solutions += usize::from(code.solution.as_deref() == Some(row[2]));
        assert!(
            code.inferred.is_empty(),
            "{}: the page states it all",
            row[0]
        );
        assert_eq!(code.status, None, "{}: the page gives no status", row[0]);
    }
    assert_eq!((codes, messages, solutions), (22, 22, 22));

    // Code by code against the shipped spec: same wire values, in the same order, and the
    // same message and solution; a message may differ only where an erratum of the spec says
    // why (the HMS page contradicts itself nowhere, so none does).
    assert_eq!(shipped.codes.len(), draft.codes.len());
    for (i, (ours, theirs)) in draft.codes.iter().zip(&shipped.codes).enumerate() {
        assert_eq!(wire(&ours.code), theirs.wire);
        if ours.message != theirs.message {
            let why = shipped
                .errata
                .iter()
                .find(|e| e.field == ErratumField::Message && e.codes.contains(&i));
            assert!(
                why.is_some(),
                "{}: the spec changes the page's message without an erratum",
                theirs.wire
            );
        }
        // Errata record messages, statuses and codes, not solutions: a solution is the page's.
        assert_eq!(ours.solution, theirs.solution, "{}", theirs.wire);
        // The spec's statuses are its own inference: the page states none.
        assert!(
            theirs.inferred.iter().any(|f| f == "status"),
            "{}",
            theirs.wire
        );
    }

    // The three status tables: every status of the spec, with the page's name and description.
    assert_eq!(draft.statuses.len(), shipped.statuses.len());
    for (ours, theirs) in draft.statuses.iter().zip(&shipped.statuses) {
        assert_eq!(ours.number, theirs.number);
        assert_eq!(ours.name, theirs.name);
        assert_eq!(ours.description, theirs.description);
        assert!(ours.inferred.is_empty());
    }

    // The body shown under "All errors follow this format" carries the placeholder
    // `error_code`, none of the codes: taken, with a note to check it.
    let e = &draft.envelopes[0];
    let s = &shipped.envelopes[0];
    assert_eq!(
        (e.root.clone(), &e.code_field),
        (s.root.clone(), &s.code_field)
    );
    assert_eq!(e.message, s.message_field);
    assert_eq!(e.code_accepts, s.code_accepts);
    let fields: Vec<&str> = e.fields.iter().map(|f| f.0.as_str()).collect();
    let shipped_fields: Vec<&str> = s.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(fields, shipped_fields);
    assert!(draft
        .notes
        .iter()
        .any(|n| n.contains("\"error_code\") is none of the table's codes")));

    // The scraped page lost its group titles: no categories, and a note that says so; the
    // field table is no code table.
    assert!(draft.categories.is_empty());
    assert!(draft
        .notes
        .iter()
        .any(|n| n.starts_with("the code tables at 41, 46, 54, 59, 63, 67, 72 have no heading")));
    assert!(
        draft
            .notes
            .iter()
            .any(|n| n
                .starts_with("the table at line 35 (`Field`, `Description`) has no code column"))
    );
    assert_eq!(draft.code_type, DraftCodeType::String);
    assert_eq!(draft.text, None, "the cells are plain text");
}

#[test]
fn the_webdriver_standard_gives_its_error_codes_statuses_and_body() {
    let draft = import(WEBDRIVER);
    let api = generates(&draft);
    let page = std::fs::read_to_string(manifest(WEBDRIVER)).unwrap();

    // One code per row of the error table, each with its JSON error code in `<td><code>`.
    let rows = page.matches("<td><code>").count();
    assert_eq!(rows, 28);
    assert_eq!(api.codes.len(), rows);
    assert_eq!(draft.name, "WebDriver", "the page's <title>");
    let no_such_element = api
        .codes
        .iter()
        .find(|c| c.wire == "no such element")
        .unwrap();
    assert_eq!(no_such_element.variant, "NoSuchElement");
    assert_eq!(api.status_number(no_such_element), Some(404));
    assert_eq!(
        no_such_element.message,
        "An element could not be located on the page using the given search parameters."
    );
    assert_eq!(
        no_such_element.inferred,
        ["message"],
        "the table has no message column"
    );

    // Statuses the table names by number only, with their standard reason phrases.
    let statuses: Vec<(u16, &str)> = draft
        .statuses
        .iter()
        .map(|s| (s.number, s.name.as_str()))
        .collect();
    assert_eq!(
        statuses,
        [
            (400, "Bad Request"),
            (404, "Not Found"),
            (500, "Internal Server Error"),
            (405, "Method Not Allowed")
        ]
    );
    assert!(draft.statuses.iter().all(|s| s.inferred == ["name"]));

    // The example body carries `invalid session id`, one of the codes.
    let e = &api.envelopes[0];
    assert_eq!(e.root, ["value"]);
    assert_eq!(e.code_field, "error");
    assert_eq!(e.code_accepts, [FieldType::String]);
    assert_eq!(e.message_field.as_deref(), Some("message"));
    assert_eq!(e.fields[0].name, "stacktrace");
    assert!(e
        .example
        .as_deref()
        .unwrap()
        .contains("\"invalid session id\""));

    // The heading above the table is the category; the endpoints table and the display-name
    // column are named in notes.
    assert_eq!(api.categories.len(), 1);
    assert_eq!(api.categories[0].title, "Errors");
    assert!(api.codes.iter().all(|c| c.category == Some(0)));
    let notes = draft.notes.join("\n");
    assert!(notes.contains("table 1 (`Method`, `URI Template`, `Command`) has no code column"));
    assert!(notes.contains("the column `Error Code` of table 2 is not imported"));
    assert!(notes.contains("table 2 has no message column"));
    assert!(!notes.contains("placeholder"));
}

#[test]
fn grpc_markdown_keeps_the_first_of_each_repeated_code() {
    let draft = import(GRPC);
    let api = generates(&draft);
    let wires: Vec<&str> = api.codes.iter().map(|c| c.wire.as_str()).collect();
    assert_eq!(
        wires,
        [
            "CANCELLED",
            "DEADLINE_EXCEEDED",
            "UNIMPLEMENTED",
            "UNAVAILABLE",
            "UNKNOWN",
            "INTERNAL",
            "RESOURCE_EXHAUSTED",
            "UNAUTHENTICATED"
        ]
    );
    assert_eq!(
        draft.name, "Status codes and their use in gRPC",
        "the top heading"
    );
    assert!(
        draft.categories.is_empty(),
        "the page's title is no category"
    );
    // 20 rows, 8 codes: each of the 12 repeats noted, with where it is.
    let repeats = draft
        .notes
        .iter()
        .filter(|n| n.contains("is listed again in the table at line 19"))
        .count();
    assert_eq!(repeats, 12);
    assert!(draft
        .notes
        .iter()
        .any(|n| n == "the column `Case` of the table at line 19 is not imported"));
    assert!(draft
        .notes
        .iter()
        .any(|n| n.contains("`Generated at Client or Server`")));
    // Neither message nor description: the code is the message, marked inferred.
    assert!(api
        .codes
        .iter()
        .all(|c| c.message == c.wire && c.inferred == ["message"]));
    assert!(
        draft.notes.iter().any(|n| n.contains("placeholder")),
        "no JSON body"
    );
}

#[test]
fn the_sinch_pages_hold_no_table_of_codes() {
    // The Voice page documents its codes as headings and examples; its one `|` block is the
    // envelope's field list, without a header row.
    let e = table::read(&manifest(SINCH_VOICE)).unwrap_err();
    assert_eq!(e.message, "the Markdown page has no table");
    assert!(e
        .help
        .unwrap()
        .contains("4 line(s) hold `|` (lines 5 to 8)"));
    assert!(e.file.ends_with("001_a03eaa678f002320.txt"));
    // The Numbers page lists its codes in bullets and a space-separated field list.
    let e = table::read(&manifest(SINCH_NUMBERS)).unwrap_err();
    assert_eq!(e.message, "the Markdown page has no table");
}

#[test]
fn a_page_whose_tables_have_no_code_column_is_refused_with_their_headers() {
    let e = table::read(&manifest(WEBDRIVER_ENDPOINTS)).unwrap_err();
    assert_eq!(e.at.as_deref(), Some("table 1"));
    assert_eq!(
        e.message,
        "none of the page's 1 table(s) has a code column; headers seen: table 1: `Method`, `URI Template`, `Command`"
    );
}

#[test]
fn a_page_that_is_not_utf8_is_refused_where_it_stops_being_so() {
    let mut bytes = std::fs::read(manifest(HMS)).unwrap();
    let at = bytes.len() / 2;
    bytes.insert(at, 0xE9); // `é` in Latin-1
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.txt");
    std::fs::write(&path, &bytes).unwrap();
    let e = table::read(&path).unwrap_err();
    assert_eq!(e.message, "the file is not UTF-8");
    assert_eq!(e.at, Some(format!("byte {at}")));
}

#[test]
fn markdown_cells_keep_their_markup_and_the_spec_says_so() {
    // The gRPC table with the Case column named as a description: one of its cells has code.
    let page = std::fs::read_to_string(manifest(GRPC))
        .unwrap()
        .replace("| Case        |", "| Description |");
    let draft = table::from_str(&page, "grpc_statuscodes.md").unwrap();
    generates(&draft);
    assert_eq!(draft.text, Some(TextFormat::Markdown));
    let unauthenticated = draft
        .codes
        .iter()
        .find(|c| wire(&c.code) == "UNAUTHENTICATED")
        .unwrap();
    assert!(unauthenticated
        .message
        .contains("Invalid host set in `:authority` metadata"));
}

#[test]
fn integer_codes_and_status_columns_give_an_integer_spec_with_the_statuses_they_name() {
    // The WebDriver table with its wire codes replaced by numbers, as an API of numeric codes
    // would print it, and a status that no reason phrase names.
    let mut page = std::fs::read_to_string(manifest(WEBDRIVER)).unwrap();
    let mut n = 1000;
    while let Some(start) = page.find("<td><code>") {
        let end = start + page[start..].find("</code>").unwrap() + "</code>".len();
        page.replace_range(start..end, &format!("<td>{n}"));
        n += 1;
    }
    let page = page.replacen("<td>405", "<td>499", 1);
    let draft = table::from_str(&page, "numbers.html").unwrap();
    let api = generates(&draft);
    assert_eq!(draft.code_type, DraftCodeType::Integer);
    assert_eq!(api.codes[0].number, Some(1000));
    assert!(draft
        .statuses
        .iter()
        .any(|s| s.number == 499 && s.name == "Status 499"));
    // The example body now carries no code of the table, but names its field `error`.
    assert_eq!(api.envelopes[0].code_field, "error");
    assert!(draft
        .notes
        .iter()
        .any(|n| n.contains("is none of the table's codes")));
}

#[test]
fn an_html_table_inside_markdown_is_read_whole() {
    // Microsoft's API reference: front matter, Markdown headings, and an HTML table whose
    // cells hold blank lines (which end a Markdown HTML block, not the table).
    let draft = import("tests/fixtures/import/table/wscinstallprovider64_32.md");
    let api = generates(&draft);
    assert_eq!(
        draft.name, "WSCInstallProvider64_32 function (ws2spi.h)",
        "the front matter's title"
    );
    let wires: Vec<&str> = api.codes.iter().map(|c| c.wire.as_str()).collect();
    assert_eq!(
        wires,
        [
            "WSAEFAULT",
            "WSAEINVAL",
            "WSAENOBUFS",
            "WSANO_RECOVERY",
            "WSASYSCALLFAILURE",
            "WSA_NOT_ENOUGH_MEMORY"
        ]
    );
    assert_eq!(
        api.codes[2].message,
        "Memory could not be allocated for buffers."
    );
    assert_eq!(
        api.categories[0].title, "-returns",
        "the heading above the table, as written"
    );
    assert!(draft
        .notes
        .iter()
        .any(|n| n.starts_with("the table at line 61 has no message column")));
}

#[test]
fn a_page_nested_past_reason_is_read_to_a_depth_with_a_note() {
    // The WebDriver page's error table buried under 5,000 `<div>`s, past the depth that is
    // read (which keeps the stack from running out), then the same table at the top: the
    // buried table is named as missing, the other is read.
    let page = std::fs::read_to_string(manifest(WEBDRIVER)).unwrap();
    let body = &page[page.find("<body").unwrap()..];
    let deep = format!(
        "<!doctype html><title>Deep</title>{}{body}{}{body}",
        "<div>".repeat(5_000),
        "</div>".repeat(5_000)
    );
    let draft = table::from_str(&deep, "deep.html").unwrap();
    generates(&draft);
    assert_eq!(draft.codes.len(), 28);
    assert!(draft
        .notes
        .iter()
        .any(|n| n.starts_with("elements nested deeper than 256")));
}
