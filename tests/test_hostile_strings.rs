//! A spec whose strings are hostile to code generation (quotes, backslashes, comment and
//! template delimiters, HTML, newlines, NUL, emoji, bidirectional controls) compiles, both as
//! `include_spec!` expands it and as the formatted file the build script and the CLI write,
//! and gives every string back verbatim.

use std::path::Path;
use std::process::Command;

use errspec::http::{HeaderMap, StatusCode};

mod expanded {
    errspec::include_spec!("tests/specs/hostile.yaml");
}

/// What `errspec generate` writes for the spec; `codegen/tests/test_hostile_strings.rs` keeps
/// it fresh.
// A library exports these items; this test uses only some of them.
#[allow(dead_code)]
mod formatted {
    include!("specs/hostile.rs");
}

/// Wire code, HTTP status, documented message and solution, exactly as the spec means them.
const CODES: &[(&str, u16, &str, Option<&str>)] = &[
    (
        "quote_backslash",
        400,
        "He said \"stop\" \\ then C:\\path\\n",
        Some("Escape \\\" as \\\\\""),
    ),
    (
        "comment_close",
        400,
        "*/ closes a comment; /* opens one; // and /// too",
        Some("Close it: */"),
    ),
    (
        "templates",
        400,
        "{id} {{ }} {% if x %}{% endif %} {0} {:?} ${HOME} %s",
        Some("Use {{id}} literally"),
    ),
    (
        "html",
        400,
        "<script>alert(\"x\")</script> <b>bold & <i>",
        Some("<script>"),
    ),
    ("pipes", 400, "a | b || c |", Some("| --- |")),
    (
        "newlines",
        400,
        "first line\nsecond line\n\n    indented like code\nlast",
        Some("one\ntwo\n"),
    ),
    ("nul", 400, "before\0after", Some("\0")),
    (
        "emoji",
        400,
        "😀 🚀 👩\u{200d}💻 é ß 中文",
        Some("\u{1f600}"),
    ),
    (
        "bidi",
        400,
        "\u{200f}right-to-left mark\u{200e}, override \u{202e}evil\u{202c}, isolate \u{2067}x\u{2069}",
        Some("\u{202e}"),
    ),
    ("lone_cr", 503, "carriage\rreturn", Some("\r")),
    (
        "backticks",
        400,
        "```\nfn main() {}\n``` and `unbalanced",
        Some("``"),
    ),
    ("quote\"wire */", 400, "A wire code with a quote", None),
    ("self", 400, "A keyword code", None),
    ("Crate", 400, "Another keyword code", None),
    ("type", 400, "A third keyword code", None),
];

macro_rules! check_module {
    ($module:ident) => {{
        use $module::{Error, ErrorCode, Status};
        assert_eq!($module::API_NAME, "Hostile \"API\" */ {{ name }}");
        assert_eq!($module::SOURCE, "C:\\docs\\errors.txt */ /* {% include x %}");
        assert_eq!(
            $module::SOURCE_URL,
            Some("https://example.com/errors?a=1&b=<2>")
        );
        assert_eq!(
            $module::FORWARD_COMPATIBILITY,
            "New codes may appear. \u{202e}drawkcab\u{202c}"
        );
        assert_eq!(ErrorCode::ALL.len(), CODES.len());
        for &(wire, status, message, solution) in CODES {
            let code = ErrorCode::from_wire(wire);
            assert!(!code.is_unknown(), "{wire:?}");
            assert_eq!(code.as_str(), wire);
            assert_eq!(code.to_string(), wire);
            assert_eq!(code.message(), Some(message), "{wire:?}");
            assert_eq!(code.solution(), solution, "{wire:?}");
            let status = StatusCode::from_u16(status).unwrap();
            assert_eq!(code.status(), Some(Status::from(status)));

            let error = Error::new(status, Some(code.clone()), None);
            assert_eq!(error.message(), Some(message));
            assert_eq!(
                error.to_string(),
                format!("{} [{wire}]: {message}", Status::from(status))
            );

            let body = errspec::serde_json::json!({ "code": wire, "message": message });
            let body = errspec::serde_json::to_vec(&body).unwrap();
            let error = Error::from_response(status, &HeaderMap::new(), &body);
            assert_eq!(error.code(), Some(&code));
            assert_eq!(error.wire_message(), Some(message));
            assert!(error.to_string().ends_with(message), "{wire:?}");
            assert_eq!(error.solution(), solution);
        }
        assert_eq!(ErrorCode::from_wire("self"), ErrorCode::SelfCode);
        assert_eq!(ErrorCode::from_wire("Crate"), ErrorCode::Crate);
        assert_eq!(ErrorCode::lookup("ty\"pe */"), (ErrorCode::Type, true));
        assert_eq!(ErrorCode::from_wire("quote\"wire */"), ErrorCode::QuoteWire);
        assert_eq!(
            Status::BadRequest.description(),
            Some("Bad \"request\" \\ */")
        );
        assert_eq!(
            Status::ServiceUnavailable.description(),
            Some("Down\r\nagain")
        );
        assert_eq!(
            $module::Category::Hostile.title(),
            "Hostile */ <title>"
        );
        let limit = ErrorCode::Pipes.limit().unwrap();
        assert_eq!(limit.scope, "call */");
        assert_eq!(limit.description, "10 \"calls\" per minute <br> {{ n }}");
        let common = &$module::COMMON_ERRORS[0];
        assert_eq!(common.title, "Title */ \"quoted\"");
        assert_eq!(common.solution, "Solution \\ {% x %}");
        assert_eq!(common.codes, ["html"]);
    }};
}

#[test]
fn include_spec_expansion_keeps_every_string_verbatim() {
    check_module!(expanded);
}

#[test]
fn formatted_file_keeps_every_string_verbatim() {
    check_module!(formatted);
}

#[test]
fn hostile_field_names_are_read_from_bodies() {
    let body = br#"{"code":"html","message":"m","trace\"id":"t-1","type":"x"}"#;
    let error = formatted::Error::from_response(StatusCode::BAD_REQUEST, &HeaderMap::new(), body);
    match error.envelope() {
        Some(formatted::Envelope::Plain { trace_id, type_ }) => {
            assert_eq!(trace_id.as_deref(), Some("t-1"));
            assert_eq!(type_.as_deref(), Some("x"));
        }
        other => panic!("{other:?}"),
    }
}

/// Rustdoc reads the spec's strings as Markdown: none of them may turn into HTML, a link, a
/// table or a code block (which would become a doctest in the user's crate). Documents the
/// formatted file as a crate of its own with every rustdoc warning denied.
#[test]
fn rustdoc_reads_the_hostile_docs_without_a_warning() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile-rustdoc");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let manifest = format!(
        "[package]\nname = \"hostile-rustdoc\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
         publish = false\n\n[dependencies]\nerrspec = {{ path = {:?} }}\n\n[workspace]\n",
        root.display().to_string()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    // The workspace's lock file: the same versions, already in the registry cache.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let lib = format!(
        "//! The hostile spec's module, documented.\n\
         #![deny(missing_docs)]\n\
         include!({:?});\n",
        root.join("tests/specs/hostile.rs").display().to_string()
    );
    std::fs::write(dir.join("src/lib.rs"), lib).unwrap();

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["doc", "--offline", "--no-deps", "--quiet", "--target-dir"])
        .arg(dir.join("target"))
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .env("RUSTDOCFLAGS", "-D warnings")
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "rustdoc warned on the hostile spec's docs:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
