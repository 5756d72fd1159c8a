//! An independent transcription of the three source pages, checked against the generated enums.
//!
//! Every table below was written directly from the pages in `shared/seeds/` (not copied from
//! `spec/*.yaml` or from the generated code), so a code or status that the spec drops, adds,
//! renumbers or rewords shows up here as a failing test naming the code.

use std::collections::BTreeSet;

use errspec::http::StatusCode;
use errspec_apis::{hms_sovereign, sinch_numbers, sinch_voice};

fn http(n: u16) -> StatusCode {
    StatusCode::from_u16(n).unwrap_or_else(|_| panic!("{n} is no HTTP status"))
}

// ---------------------------------------------------------------------------------------------
// HMS Sovereign (000_d5b9e8de8241fdcb.txt)
// ---------------------------------------------------------------------------------------------

/// The page's three status tables: (code, name, description).
const HMS_STATUSES: &[(u16, &str, &str)] = &[
    (200, "OK", "Request succeeded"),
    (201, "Created", "Resource created successfully"),
    (
        204,
        "No Content",
        "Request succeeded, no content returned (delete operations)",
    ),
    (
        400,
        "Bad Request",
        "Invalid request format or validation error",
    ),
    (401, "Unauthorized", "Missing or invalid API key"),
    (402, "Payment Required", "Insufficient credits balance"),
    (
        403,
        "Forbidden",
        "Valid API key but no access to this resource",
    ),
    (404, "Not Found", "Resource doesn't exist"),
    (409, "Conflict", "Resource already exists (duplicate)"),
    (
        422,
        "Unprocessable Entity",
        "Request understood but cannot be processed",
    ),
    (429, "Too Many Requests", "Rate limit exceeded"),
    (500, "Internal Server Error", "Unexpected server error"),
    (502, "Bad Gateway", "Upstream service unavailable"),
    (503, "Service Unavailable", "Server temporarily unavailable"),
    (504, "Gateway Timeout", "Upstream service timeout"),
];

/// The page's seven error-code tables: (table number on the page, code, message, solution).
/// The page does not say which HTTP status goes with a code.
const HMS_CODES: &[(u8, &str, &str, &str)] = &[
    (
        1,
        "unauthorized",
        "Invalid or missing API key",
        "Check your API key is correct and included in the Authorization header",
    ),
    (
        1,
        "api_key_expired",
        "API key has expired",
        "Generate a new API key in the dashboard",
    ),
    (
        1,
        "api_key_revoked",
        "API key has been revoked",
        "Generate a new API key",
    ),
    (
        2,
        "invalid_request",
        "Request body is invalid",
        "Check JSON syntax and required fields",
    ),
    (
        2,
        "missing_field",
        "Missing required field",
        "Include all required fields",
    ),
    (
        2,
        "invalid_field",
        "Field value is invalid",
        "Check field format (e.g., E.164 for phone numbers)",
    ),
    (
        2,
        "invalid_phone_number",
        "Phone number format invalid",
        "Use E.164 format: +31612345678",
    ),
    (
        2,
        "invalid_uuid",
        "Invalid UUID format",
        "Provide a valid UUID",
    ),
    (
        2,
        "invalid_url",
        "Invalid URL format",
        "Provide a valid HTTPS URL",
    ),
    (
        3,
        "not_found",
        "Resource not found",
        "Verify the resource ID exists",
    ),
    (
        3,
        "already_exists",
        "Resource already exists",
        "The phone number or resource is already registered",
    ),
    (
        3,
        "conflict",
        "Resource conflict",
        "Another resource is using this identifier",
    ),
    (
        4,
        "insufficient_credits",
        "Insufficient credits balance",
        "Add credits in the billing dashboard",
    ),
    (
        4,
        "payment_required",
        "Payment required",
        "Add credits to make outbound calls",
    ),
    (
        5,
        "rate_limit_exceeded",
        "Too many requests",
        "Wait and retry with exponential backoff",
    ),
    (
        5,
        "call_control_limit",
        "Too many call control commands",
        "Limit to 10 commands per minute per call",
    ),
    (
        6,
        "provider_error",
        "External provider error",
        "Check BYOK configuration and provider status",
    ),
    (
        6,
        "provider_timeout",
        "Provider request timeout",
        "Retry the request",
    ),
    (
        6,
        "invalid_api_key",
        "BYOK API key invalid",
        "Update the API key via BYOK endpoint",
    ),
    (7, "call_not_found", "Call not found", "Verify the call ID"),
    (
        7,
        "call_not_active",
        "Call is not in-progress",
        "Call control only works on active calls",
    ),
    (
        7,
        "invalid_destination",
        "Invalid destination number",
        "Check phone number format",
    ),
];

/// "For transient errors (429, 502, 503, 504), implement exponential backoff".
const HMS_TRANSIENT: &[u16] = &[429, 502, 503, 504];

#[test]
fn hms_every_page_code_round_trips_and_is_known() {
    use hms_sovereign::ErrorCode;
    for &(_, code, _, _) in HMS_CODES {
        let parsed = ErrorCode::from_wire(code);
        assert!(!parsed.is_unknown(), "HMS code `{code}` is not in the enum");
        assert_eq!(
            parsed.as_str(),
            code,
            "HMS code `{code}` does not round-trip"
        );
    }
}

#[test]
fn hms_enum_has_exactly_the_page_codes() {
    use hms_sovereign::ErrorCode;
    assert_eq!(HMS_CODES.len(), 22, "the HMS page lists 22 codes");
    assert_eq!(
        ErrorCode::ALL.len(),
        HMS_CODES.len(),
        "HMS ErrorCode::ALL has a different number of codes than the page"
    );
    let page: BTreeSet<&str> = HMS_CODES.iter().map(|&(_, code, _, _)| code).collect();
    assert_eq!(page.len(), HMS_CODES.len(), "duplicate code in HMS table");
    for code in ErrorCode::ALL {
        assert!(
            page.contains(code.as_str()),
            "HMS ErrorCode::{code:?} (`{}`) is not on the page",
            code.as_str()
        );
    }
}

#[test]
fn hms_messages_match_page() {
    use hms_sovereign::ErrorCode;
    for &(_, code, message, _) in HMS_CODES {
        assert_eq!(
            ErrorCode::from_wire(code).message(),
            Some(message),
            "message of HMS code `{code}`"
        );
    }
}

#[test]
fn hms_solutions_match_page() {
    use hms_sovereign::ErrorCode;
    for &(_, code, _, solution) in HMS_CODES {
        assert_eq!(
            ErrorCode::from_wire(code).solution(),
            Some(solution),
            "solution of HMS code `{code}`"
        );
    }
}

#[test]
fn hms_every_code_has_a_documented_status() {
    use hms_sovereign::ErrorCode;
    let page: BTreeSet<u16> = HMS_STATUSES.iter().map(|&(n, _, _)| n).collect();
    for &(_, code, _, _) in HMS_CODES {
        let status = ErrorCode::from_wire(code)
            .status()
            .unwrap_or_else(|| panic!("HMS code `{code}` has no status"));
        assert!(
            status.is_documented(),
            "HMS code `{code}` has undocumented status {status:?}"
        );
        assert!(
            page.contains(&status.as_u16()),
            "HMS code `{code}` has status {}, which the page's status tables do not list",
            status.as_u16()
        );
    }
}

#[test]
fn hms_codes_are_grouped_as_the_page_tables() {
    use hms_sovereign::ErrorCode;
    // Codes in the same page table share a category; codes in different tables do not.
    for &(table_a, code_a, _, _) in HMS_CODES {
        let category_a = ErrorCode::from_wire(code_a).category();
        assert!(category_a.is_some(), "HMS code `{code_a}` has no category");
        for &(table_b, code_b, _, _) in HMS_CODES {
            let category_b = ErrorCode::from_wire(code_b).category();
            assert_eq!(
                category_a == category_b,
                table_a == table_b,
                "HMS codes `{code_a}` (table {table_a}, {category_a:?}) and `{code_b}` \
                 (table {table_b}, {category_b:?})"
            );
        }
    }
}

#[test]
fn hms_every_page_status_converts_and_round_trips() {
    use hms_sovereign::Status;
    for &(n, _, _) in HMS_STATUSES {
        let status = Status::from(http(n));
        assert!(
            status.is_documented(),
            "HMS status {n} converts to {status:?}"
        );
        assert_eq!(status.as_u16(), n, "HMS status {n} does not round-trip");
        assert_eq!(status.code(), http(n), "HMS status {n}: code()");
        assert_eq!(
            Status::from_u16(n),
            Some(status),
            "HMS Status::from_u16({n})"
        );
    }
}

#[test]
fn hms_status_names_and_descriptions_match_page() {
    use hms_sovereign::Status;
    for &(n, name, description) in HMS_STATUSES {
        let status = Status::from(http(n));
        assert_eq!(status.name(), Some(name), "name of HMS status {n}");
        assert_eq!(
            status.description(),
            Some(description),
            "description of HMS status {n}"
        );
    }
}

#[test]
fn hms_enum_has_exactly_the_page_statuses() {
    use hms_sovereign::Status;
    assert_eq!(HMS_STATUSES.len(), 15, "the HMS page lists 15 statuses");
    assert_eq!(
        Status::ALL.len(),
        HMS_STATUSES.len(),
        "HMS Status::ALL has a different number of statuses than the page"
    );
    let page: BTreeSet<u16> = HMS_STATUSES.iter().map(|&(n, _, _)| n).collect();
    let generated: BTreeSet<u16> = Status::ALL.iter().map(|s| s.as_u16()).collect();
    assert_eq!(
        generated, page,
        "HMS Status::ALL vs the page's status tables"
    );
}

#[test]
fn hms_transient_statuses_are_retried() {
    use hms_sovereign::{ErrorCode, Status};
    for &n in HMS_TRANSIENT {
        assert!(
            Status::from(http(n)).retry_policy().is_some(),
            "the HMS page says to retry {n} with backoff, but it has no retry policy"
        );
    }
    // Codes whose solution on the page is to retry.
    for code in ["rate_limit_exceeded", "provider_timeout"] {
        assert!(
            ErrorCode::from_wire(code).retry_policy().is_some(),
            "HMS code `{code}` says to retry, but it has no retry policy"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Sinch Voice (001_a03eaa678f002320.txt)
// ---------------------------------------------------------------------------------------------

/// The page's sections with codes: (HTTP status, section heading, status name in the heading).
/// The section headed "420 - Unprocessable Entity" is filed under HTTP 422 in this project.
const VOICE_SECTIONS: &[(u16, &str, &str)] = &[
    (400, "400 - BadRequest", "BadRequest"),
    (401, "401 - Unauthorized", "Unauthorized"),
    (402, "402 - PaymentRequired", "PaymentRequired"),
    (403, "403 - Forbidden", "Forbidden"),
    (404, "404 - NotFound", "NotFound"),
    (409, "409 - Conflict", "Conflict"),
    (422, "420 - Unprocessable Entity", "Unprocessable Entity"),
    (429, "429 - Too Many Requests", "Too Many Requests"),
    (500, "500 - Internal Server Error", "Internal Server Error"),
    (503, "503 - Service Unavailable", "Service Unavailable"),
];

/// The page's codes: (code, HTTP status of its section, message of its example body).
///
/// 42200 and 42201 have no message of their own: their example body is a copy of 40108's.
/// 42202's example body is also 40108's; its message comes from its prose. The example bodies of
/// 40004 and 40005 show errorCode 40002 and that of 50300 shows 50500 (see the tests below).
/// The example bodies of 40302 and 40303 say "401", but they sit in the 403 section.
const VOICE_CODES: &[(u32, u16, Option<&str>)] = &[
    (
        40001,
        400,
        Some("Method needs to be `ttsCallout`, `conferenceCallout`, or `customCallout`"),
    ),
    (
        40002,
        400,
        Some("Bad request; method is missing a parameter"),
    ),
    (40003, 400, Some("Request data missing")),
    (40004, 400, Some("Invalid authorization key")),
    (40005, 400, Some("Phone number missing leading plus sign")),
    (
        40100,
        401,
        Some("Authorization header missing, illegal or invalid"),
    ),
    (
        40101,
        401,
        Some("X-Timestamp request header invalid or missing"),
    ),
    (40102, 401, Some("Request has invalid signature")),
    (40103, 401, Some("User is already authorized")),
    (
        40104,
        401,
        Some("The request was not authorized and signed with the application secret"),
    ),
    (
        40105,
        401,
        Some("The request for authorization has expired"),
    ),
    (
        40107,
        401,
        Some("Wrong type of auth used or invalid password or key"),
    ),
    (40108, 401, Some("Credentials provided are invalid")),
    (40200, 402, Some("Not enough credit")),
    (40300, 403, Some("Resource destination is forbidden")),
    (40301, 403, Some("Invalid authorization scheme")),
    (
        40302,
        403,
        Some("Privileges are insufficient to access the resource"),
    ),
    (40303, 403, Some("Requested action is restricted")),
    (40400, 404, Some("Requested resource not found")),
    (
        40900,
        409,
        Some("The request could not be completed due to a conflict with the current resource"),
    ),
    (42200, 422, None),
    (42201, 422, None),
    (42202, 422, Some("Invalid callback response")),
    (
        42900,
        429,
        Some("The number of requests has exceeded capacity"),
    ),
    (
        42901,
        429,
        Some("The number of requests has exceeded velocity constraint"),
    ),
    (
        50000,
        500,
        Some("General error; try submitting request again"),
    ),
    (50300, 503, Some("Service temporarily unavailable")),
    (
        50301,
        503,
        Some("Server configuration error; try submitting request again"),
    ),
];

fn voice_section(status: u16) -> &'static (u16, &'static str, &'static str) {
    VOICE_SECTIONS
        .iter()
        .find(|&&(n, _, _)| n == status)
        .unwrap_or_else(|| panic!("no Sinch Voice section for {status}"))
}

#[test]
fn voice_every_page_code_round_trips_and_is_known() {
    use sinch_voice::ErrorCode;
    for &(code, _, _) in VOICE_CODES {
        let wire = code.to_string();
        let parsed = ErrorCode::from_wire(&wire);
        assert!(!parsed.is_unknown(), "Voice code {code} is not in the enum");
        assert_eq!(parsed.as_str(), wire, "Voice code {code}: as_str()");
        assert_eq!(parsed.as_u32(), Some(code), "Voice code {code}: as_u32()");
        assert_eq!(
            ErrorCode::from_u32(code),
            parsed,
            "Voice code {code}: from_u32 and from_wire disagree"
        );
    }
}

#[test]
fn voice_enum_has_exactly_the_page_codes() {
    use sinch_voice::ErrorCode;
    assert_eq!(VOICE_CODES.len(), 28, "the Voice page lists 28 codes");
    assert_eq!(
        ErrorCode::ALL.len(),
        VOICE_CODES.len(),
        "Voice ErrorCode::ALL has a different number of codes than the page"
    );
    let page: BTreeSet<u32> = VOICE_CODES.iter().map(|&(code, _, _)| code).collect();
    assert_eq!(
        page.len(),
        VOICE_CODES.len(),
        "duplicate code in Voice table"
    );
    for code in ErrorCode::ALL {
        let n = code
            .as_u32()
            .unwrap_or_else(|| panic!("Voice ErrorCode::{code:?} has no number"));
        assert!(
            page.contains(&n),
            "Voice ErrorCode::{code:?} ({n}) is not on the page"
        );
    }
}

#[test]
fn voice_code_statuses_match_section_headings() {
    use sinch_voice::ErrorCode;
    for &(code, status, _) in VOICE_CODES {
        let got = ErrorCode::from_u32(code)
            .status()
            .unwrap_or_else(|| panic!("Voice code {code} has no status"));
        assert_eq!(got.as_u16(), status, "status of Voice code {code}");
        assert!(got.is_documented(), "Voice code {code}: status {got:?}");
    }
}

#[test]
fn voice_code_categories_match_section_headings() {
    use sinch_voice::{Category, ErrorCode};
    for &(code, status, _) in VOICE_CODES {
        let (_, heading, _) = voice_section(status);
        let category = ErrorCode::from_u32(code)
            .category()
            .unwrap_or_else(|| panic!("Voice code {code} has no category"));
        assert_eq!(category.title(), *heading, "section of Voice code {code}");
    }
    assert_eq!(
        Category::ALL.len(),
        VOICE_SECTIONS.len(),
        "Voice Category::ALL vs the page's sections with codes"
    );
}

#[test]
fn voice_messages_match_page() {
    use sinch_voice::ErrorCode;
    for &(code, _, message) in VOICE_CODES {
        // 42200 and 42201: the page gives no message of their own (see VOICE_CODES).
        let Some(message) = message else { continue };
        assert_eq!(
            ErrorCode::from_u32(code).message(),
            Some(message),
            "message of Voice code {code}"
        );
    }
}

#[test]
fn voice_every_page_status_converts_and_round_trips() {
    use sinch_voice::Status;
    for &(n, heading, name) in VOICE_SECTIONS {
        let status = Status::from(http(n));
        assert!(
            status.is_documented(),
            "Voice status {n} ({heading}) converts to {status:?}"
        );
        assert_eq!(status.as_u16(), n, "Voice status {n} does not round-trip");
        assert_eq!(status.code(), http(n), "Voice status {n}: code()");
        assert_eq!(status.name(), Some(name), "name of Voice status {n}");
    }
}

#[test]
fn voice_enum_has_exactly_the_page_statuses() {
    use sinch_voice::Status;
    assert_eq!(
        Status::ALL.len(),
        VOICE_SECTIONS.len(),
        "Voice Status::ALL has a different number of statuses than the page"
    );
    let page: BTreeSet<u16> = VOICE_SECTIONS.iter().map(|&(n, _, _)| n).collect();
    let generated: BTreeSet<u16> = Status::ALL.iter().map(|s| s.as_u16()).collect();
    assert_eq!(generated, page, "Voice Status::ALL vs the page's sections");
}

#[test]
fn voice_50500_is_an_alias_of_50300() {
    use sinch_voice::ErrorCode;
    // 50300's example body shows errorCode 50500.
    let documented = ErrorCode::from_u32(50300);
    let alias = ErrorCode::from_u32(50500);
    assert!(!alias.is_unknown(), "50500 should be accepted as 50300");
    assert_eq!(alias, documented, "from_u32(50500)");
    assert_eq!(
        ErrorCode::from_wire("50500"),
        documented,
        "from_wire(\"50500\")"
    );
    assert_eq!(alias.as_str(), "50300", "50500 is written back as 50300");
    assert_eq!(alias.as_u32(), Some(50300), "as_u32 of the 50500 alias");
    assert_eq!(alias.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(alias.message(), Some("Service temporarily unavailable"));
}

#[test]
fn voice_40002_stays_missing_parameter() {
    use sinch_voice::ErrorCode;
    // The example bodies of 40004 and 40005 show errorCode 40002; 40002 keeps its own meaning.
    let missing = ErrorCode::from_u32(40002);
    assert_eq!(missing, ErrorCode::MissingParameter, "from_u32(40002)");
    assert_eq!(ErrorCode::from_wire("40002"), ErrorCode::MissingParameter);
    assert_eq!(missing.as_str(), "40002");
    assert_eq!(
        missing.message(),
        Some("Bad request; method is missing a parameter")
    );
    for code in [40004, 40005] {
        let other = ErrorCode::from_u32(code);
        assert_ne!(other, missing, "Voice code {code} must not be 40002");
        assert_eq!(other.as_u32(), Some(code), "Voice code {code}: as_u32()");
    }
}

#[test]
fn voice_422xx_are_not_40108() {
    use sinch_voice::ErrorCode;
    // The example bodies of 42200, 42201 and 42202 are copies of 40108's.
    let credentials = ErrorCode::from_u32(40108);
    assert_eq!(credentials.as_str(), "40108");
    assert_eq!(credentials.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(
        credentials.message(),
        Some("Credentials provided are invalid")
    );
    for code in [42200, 42201, 42202] {
        let parsed = ErrorCode::from_u32(code);
        assert_ne!(parsed, credentials, "Voice code {code} must not be 40108");
        assert_eq!(
            parsed.status().map(|s| s.as_u16()),
            Some(422),
            "status of Voice code {code}"
        );
    }
}

#[test]
fn voice_server_errors_are_retried() {
    use sinch_voice::{ErrorCode, Status};
    // The 500 and 503 sections: "Try the request a little later".
    for n in [500, 503] {
        assert!(
            Status::from(http(n)).retry_policy().is_some(),
            "Voice status {n} has no retry policy"
        );
    }
    for code in [50000, 50300, 50301] {
        assert!(
            ErrorCode::from_u32(code).retry_policy().is_some(),
            "Voice code {code} has no retry policy"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Sinch Numbers (002_5aa4df0d506985d4.txt)
// ---------------------------------------------------------------------------------------------

/// The page's statuses.
const NUMBERS_STATUSES: &[u16] = &[200, 201, 400, 401, 403, 404, 405, 415, 429, 500, 503];

/// The page's codes: (code, HTTP status). The spec's messages are paraphrased from the prose,
/// so they are not checked.
const NUMBERS_CODES: &[(&str, u16)] = &[
    ("syntax_constraint_violation", 400),
    ("syntax_invalid_json", 400),
    ("syntax_invalid_parameter_format", 400),
    ("INVALID_ARGUMENT", 400),
    ("FAILED_PRECONDITION", 400),
    ("blocked_account", 403),
    ("illegal_number_type", 403),
    ("unknown_campaign", 403),
    ("PERMISSION_DENIED", 403),
];

#[test]
fn numbers_every_page_code_round_trips_and_is_known() {
    use sinch_numbers::ErrorCode;
    for &(code, _) in NUMBERS_CODES {
        let parsed = ErrorCode::from_wire(code);
        assert!(
            !parsed.is_unknown(),
            "Numbers code `{code}` is not in the enum"
        );
        assert_eq!(
            parsed.as_str(),
            code,
            "Numbers code `{code}` does not round-trip"
        );
    }
}

#[test]
fn numbers_enum_has_exactly_the_page_codes() {
    use sinch_numbers::ErrorCode;
    assert_eq!(
        ErrorCode::ALL.len(),
        NUMBERS_CODES.len(),
        "Numbers ErrorCode::ALL has a different number of codes than the page"
    );
    let page: BTreeSet<&str> = NUMBERS_CODES.iter().map(|&(code, _)| code).collect();
    for code in ErrorCode::ALL {
        assert!(
            page.contains(code.as_str()),
            "Numbers ErrorCode::{code:?} (`{}`) is not on the page",
            code.as_str()
        );
    }
}

#[test]
fn numbers_code_statuses_match_page() {
    use sinch_numbers::ErrorCode;
    for &(code, status) in NUMBERS_CODES {
        let got = ErrorCode::from_wire(code)
            .status()
            .unwrap_or_else(|| panic!("Numbers code `{code}` has no status"));
        assert_eq!(got.as_u16(), status, "status of Numbers code `{code}`");
    }
}

#[test]
fn numbers_statuses_match_page() {
    use sinch_numbers::Status;
    for &n in NUMBERS_STATUSES {
        let status = Status::from(http(n));
        assert!(
            status.is_documented(),
            "Numbers status {n} converts to {status:?}"
        );
        assert_eq!(status.as_u16(), n, "Numbers status {n} does not round-trip");
        assert!(status.name().is_some(), "Numbers status {n} has no name");
    }
    assert_eq!(
        Status::ALL.len(),
        NUMBERS_STATUSES.len(),
        "Numbers Status::ALL has a different number of statuses than the page"
    );
    let page: BTreeSet<u16> = NUMBERS_STATUSES.iter().copied().collect();
    let generated: BTreeSet<u16> = Status::ALL.iter().map(|s| s.as_u16()).collect();
    assert_eq!(generated, page, "Numbers Status::ALL vs the page");
}

// ---------------------------------------------------------------------------------------------
// What no page documents
// ---------------------------------------------------------------------------------------------

#[test]
fn undocumented_statuses_are_other() {
    // 418 is on no page. 420 is the Voice page's heading number, but the project files that
    // section under 422, so 420 itself stays undocumented. 402 is not on the Numbers page.
    for n in [418, 420] {
        let hms = hms_sovereign::Status::from(http(n));
        assert_eq!(hms, hms_sovereign::Status::Other(http(n)), "HMS status {n}");
        assert_eq!(hms.as_u16(), n);
        assert_eq!(hms.name(), None, "HMS status {n}: name");
        assert_eq!(hms.description(), None, "HMS status {n}: description");
        assert!(!hms.is_documented());

        let voice = sinch_voice::Status::from(http(n));
        assert_eq!(
            voice,
            sinch_voice::Status::Other(http(n)),
            "Voice status {n}"
        );
        assert_eq!(voice.as_u16(), n);
        assert_eq!(voice.name(), None, "Voice status {n}: name");
    }
    for n in [402, 418] {
        let numbers = sinch_numbers::Status::from(http(n));
        assert_eq!(
            numbers,
            sinch_numbers::Status::Other(http(n)),
            "Numbers status {n}"
        );
        assert_eq!(numbers.as_u16(), n);
        assert_eq!(numbers.name(), None, "Numbers status {n}: name");
    }
}

#[test]
fn undocumented_codes_are_unknown_and_keep_the_raw_value() {
    for raw in ["teapot", "rate_limit", "error_code"] {
        let hms = hms_sovereign::ErrorCode::from_wire(raw);
        assert!(hms.is_unknown(), "HMS `{raw}` should be unknown");
        assert_eq!(hms.as_str(), raw);
        assert_eq!(hms.status(), None, "HMS `{raw}`: status");
        assert_eq!(hms.message(), None, "HMS `{raw}`: message");
    }

    for n in [49999, 40106, 42000, 50501] {
        let voice = sinch_voice::ErrorCode::from_u32(n);
        assert!(voice.is_unknown(), "Voice {n} should be unknown");
        assert_eq!(voice.as_str(), n.to_string(), "Voice {n}: raw value");
        assert_eq!(voice.as_u32(), Some(n), "Voice {n}: as_u32");
        assert_eq!(voice.status(), None, "Voice {n}: status");
        assert_eq!(sinch_voice::ErrorCode::from_wire(&n.to_string()), voice);
    }
    let text = sinch_voice::ErrorCode::from_wire("not-a-number");
    assert!(text.is_unknown());
    assert_eq!(text.as_str(), "not-a-number");
    assert_eq!(text.as_u32(), None);

    for raw in ["NOT_FOUND", "syntax_error", ""] {
        let numbers = sinch_numbers::ErrorCode::from_wire(raw);
        assert!(numbers.is_unknown(), "Numbers `{raw}` should be unknown");
        assert_eq!(numbers.as_str(), raw);
        assert_eq!(numbers.status(), None, "Numbers `{raw}`: status");
    }
}
