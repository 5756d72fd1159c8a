//! The catalogs through their generated modules, as a user reads them: numeric and named wire
//! forms of one code, codes without a status, success and warning codes, documentation
//! addresses, deprecations; and their reference pages, whose Markdown is rendered sanitised.

#![allow(deprecated)]

use std::path::Path;

use errspec::http::{HeaderMap, StatusCode};
use errspec::Severity;
use errspec_catalogs::{grpc_status, hostile_markdown, postgres_sqlstate, win32_system_errors};

#[test]
fn grpc_codes_read_by_number_and_by_name() {
    use grpc_status::{ErrorCode, Status};
    assert_eq!(ErrorCode::ALL.len(), 17);
    assert_eq!(ErrorCode::from_u32(3), ErrorCode::InvalidArgument);
    assert_eq!(ErrorCode::from_wire("3"), ErrorCode::InvalidArgument);
    assert_eq!(
        ErrorCode::lookup("INVALID_ARGUMENT"),
        (ErrorCode::InvalidArgument, true)
    );
    assert_eq!(ErrorCode::InvalidArgument.as_str(), "3");
    assert_eq!(
        ErrorCode::InvalidArgument.status(),
        Some(Status::BadRequest)
    );
    assert!(ErrorCode::from_wire("invalid_argument").is_unknown());

    // `OK` is documented among the codes, and is not an error.
    assert_eq!(ErrorCode::from_wire("OK"), ErrorCode::Ok);
    assert_eq!(ErrorCode::Ok.severity(), Severity::Success);
    assert!(!ErrorCode::Ok.is_error());
    assert!(ErrorCode::Internal.is_error());
    assert!(
        ErrorCode::from_wire("99").is_error(),
        "an unknown code is an error"
    );
}

#[test]
fn a_google_json_error_reads_to_its_canonical_code() {
    let body = br#"{"error": {"code": 400, "message": "Invalid field", "status": "INVALID_ARGUMENT", "details": []}}"#;
    let error = grpc_status::Error::from_response(StatusCode::BAD_REQUEST, &HeaderMap::new(), body);
    assert_eq!(error.code(), Some(&grpc_status::ErrorCode::InvalidArgument));
    assert!(error.code_is_alias(), "the name is the code's alias");
    assert_eq!(error.message(), Some("Invalid field"));
    // The number form is read too.
    let body = br#"{"error": {"code": 404, "message": "gone", "status": 5}}"#;
    let error = grpc_status::Error::from_response(StatusCode::NOT_FOUND, &HeaderMap::new(), body);
    assert_eq!(error.code(), Some(&grpc_status::ErrorCode::NotFound));
}

#[test]
fn sqlstates_have_no_status_and_keep_the_response_s() {
    use postgres_sqlstate::ErrorCode;
    assert_eq!(ErrorCode::ALL.len(), 259);
    assert_eq!(
        ErrorCode::from_wire("22P02"),
        ErrorCode::InvalidTextRepresentation
    );
    assert_eq!(
        ErrorCode::from_wire("0A000"),
        ErrorCode::FeatureNotSupported
    );
    assert_eq!(ErrorCode::FeatureNotSupported.status(), None);
    assert_eq!(ErrorCode::Warning.severity(), Severity::Warning);
    assert!(ErrorCode::Warning.is_error(), "a warning is not a success");
    assert!(!ErrorCode::SuccessfulCompletion.is_error());
    assert_eq!(
        ErrorCode::FeatureNotSupported.docs_url().as_deref(),
        Some("https://www.postgresql.org/docs/current/errcodes-appendix.html")
    );

    let body = br#"{"code": "23505", "details": "Key (id)=(1) already exists.", "hint": null, "message": "duplicate key value violates unique constraint"}"#;
    let error =
        postgres_sqlstate::Error::from_response(StatusCode::CONFLICT, &HeaderMap::new(), body);
    assert_eq!(error.code(), Some(&ErrorCode::UniqueViolation));
    assert_eq!(error.http_status(), StatusCode::CONFLICT);
    assert_eq!(error.code().and_then(|c| c.status()), None);
}

#[test]
fn the_windows_catalog_has_its_thousands_of_codes_by_number_and_name() {
    use win32_system_errors::ErrorCode;
    assert!(ErrorCode::ALL.len() >= 1_000, "{}", ErrorCode::ALL.len());
    assert_eq!(ErrorCode::from_u32(2), ErrorCode::ErrorFileNotFound);
    assert_eq!(
        ErrorCode::from_wire("ERROR_FILE_NOT_FOUND"),
        ErrorCode::ErrorFileNotFound
    );
    assert!(!ErrorCode::from_u32(0).is_error(), "ERROR_SUCCESS");
    assert_eq!(
        ErrorCode::ErrorFileNotFound.docs_url().as_deref(),
        Some("https://learn.microsoft.com/en-us/windows/win32/debug/system-error-codes--0-499-#ERROR_FILE_NOT_FOUND")
    );
    // Every number and every name reads back to its own code.
    for code in ErrorCode::ALL {
        assert_eq!(&ErrorCode::from_u32(code.as_u32().unwrap()), code);
        assert_eq!(&ErrorCode::from_wire(code.as_str()), code);
    }
}

#[test]
fn deprecated_codes_say_why_and_what_replaces_them() {
    use hostile_markdown::ErrorCode;
    assert!(ErrorCode::Code4.is_deprecated());
    assert_eq!(ErrorCode::Code4.replacement(), Some(ErrorCode::Code2));
    assert_eq!(
        ErrorCode::Code4.deprecation(),
        Some("Use `CODE_BLOCKS` (code 2) <instead>.")
    );
    assert_eq!(ErrorCode::Code5.deprecation(), Some(""));
    assert_eq!(ErrorCode::Code5.replacement(), None);
    assert!(!ErrorCode::Code1.is_deprecated());
    assert_eq!(ErrorCode::Code1.deprecation(), None);
    assert_eq!(
        ErrorCode::Code1.docs_url().as_deref(),
        Some("https://example.com/errors/1?lang=en")
    );
    assert_eq!(
        ErrorCode::Code5.docs_url().as_deref(),
        Some("https://example.com/special/5")
    );
    assert_eq!(
        ErrorCode::Code1.causes().collect::<Vec<_>>(),
        ["A `tab`\tafter a code span.", "Text with a CR\rinside."]
    );
    assert_eq!(ErrorCode::Code2.causes().len(), 0);
    assert_eq!(ErrorCode::from_wire("7").causes().len(), 0);
    // The documented texts are kept exactly; only their rendering is sanitised.
    assert_eq!(
        ErrorCode::Code1.message(),
        Some("Tabs\tinside, a CR LF\r\nbreak and a lone CR\rbreak.")
    );
}

#[test]
fn a_code_without_a_status_takes_the_policy_of_the_status_it_came_with() {
    let body = br#"{"code": "TABS_AND_RETURNS", "message": "x"}"#;
    let error = hostile_markdown::Error::from_response(
        StatusCode::SERVICE_UNAVAILABLE,
        &HeaderMap::new(),
        body,
    );
    assert_eq!(error.code(), Some(&hostile_markdown::ErrorCode::Code1));
    assert_eq!(error.code().and_then(|c| c.status()), None);
    assert_eq!(
        error.retry_policy(),
        Some(&hostile_markdown::retry::TRANSIENT)
    );
    assert_eq!(
        error.retry_delay(1),
        Some(std::time::Duration::from_secs(1))
    );
    // Without a policy of the response's status, it is not retried.
    let error =
        hostile_markdown::Error::from_response(StatusCode::BAD_REQUEST, &HeaderMap::new(), body);
    assert_eq!(error.retry_policy(), None);
}

fn page(spec: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(spec);
    let api = errspec_codegen::load(&path).unwrap();
    errspec_codegen::markdown::api_page(&api).unwrap()
}

#[test]
fn reference_pages_render_markdown_sanitised() {
    let page = page("hostile/hostile_markdown.yaml");
    assert!(
        page.contains("&lt;script>alert(1)&lt;/script>"),
        "raw HTML shows as text"
    );
    assert!(
        page.contains("[the guide](https://example.com/guide)"),
        "links stay links"
    );
    assert!(
        page.contains("<https://example.com/bare>"),
        "bare addresses autolink"
    );
    assert!(!page.contains('\t'), "tabs are spaces");
    assert!(!page.contains('\r'), "CRs are line breaks");
    assert!(!page.contains("\\u{d}"), "no literal escapes");
    assert!(page.contains("(deprecated)"));
    assert!(page.contains("- **Causes:** "));
    assert!(page.contains("<https://example.com/errors/1?lang=en>"));
    assert!(page.contains("- **Severity:** success (not an error)"));

    let page = self::page("spec/postgres_sqlstate.yaml");
    assert!(page.contains("- **Status:** not documented"));
    let page = self::page("spec/win32_system_errors.yaml");
    assert!(
        page.contains("`ERROR_FILE_NOT_FOUND`"),
        "aliases are listed"
    );
}
