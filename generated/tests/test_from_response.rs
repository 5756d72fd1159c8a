//! `Error::from_response` on every example body the three pages print, on hostile bodies, and
//! the retry delays that follow from the spec.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use errspec::http::{HeaderMap, HeaderValue, StatusCode};
use errspec::{JitterRng, RetryClass, Unparsed};
use errspec_apis::{hms_sovereign as hms, sinch_numbers as numbers, sinch_voice as voice};
use proptest::prelude::*;

fn status(n: u16) -> StatusCode {
    StatusCode::from_u16(n).unwrap()
}

fn no_headers() -> HeaderMap {
    HeaderMap::new()
}

#[test]
fn hms_envelope_example() {
    let body = br#"{
"error": {
"code": "error_code",
"message": "Human readable message",
"param": "field_name",
"type": "error_type"
}
}"#;
    let error = hms::Error::from_response(StatusCode::BAD_REQUEST, &no_headers(), body);
    assert_eq!(error.code(), Some(&hms::ErrorCode::from_wire("error_code")));
    assert!(
        error.code().unwrap().is_unknown(),
        "the page's placeholder is no documented code"
    );
    assert_eq!(error.message(), Some("Human readable message"));
    assert_eq!(
        error.envelope(),
        Some(&hms::Envelope::ErrorObject {
            param: Some("field_name".into()),
            type_: Some("error_type".into()),
        })
    );
    assert!(error.extra().is_empty());
    assert_eq!(error.body().unparsed(), None);
    assert_eq!(error.body().raw(), body);
}

#[test]
fn hms_documented_code_in_its_envelope() {
    let body = br#"{"error":{"code":"insufficient_credits","message":"Insufficient credits balance","type":"billing"}}"#;
    let error = hms::Error::from_response(StatusCode::PAYMENT_REQUIRED, &no_headers(), body);
    assert_eq!(error.code(), Some(&hms::ErrorCode::InsufficientCredits));
    assert_eq!(
        error.solution(),
        Some("Add credits in the billing dashboard")
    );
    assert_eq!(error.retry_policy(), None);
    assert_eq!(error.retry_class(), RetryClass::Client);
    assert_eq!(
        error.to_string(),
        "402 Payment Required [insufficient_credits]: Insufficient credits balance"
    );
}

/// Every example body on the Sinch Voice page, quoted as printed (without the page's list
/// dashes), with the HTTP status of its section and the code the wire value reads as.
const VOICE_EXAMPLES: &[(u16, &str, u32)] = &[
    (
        400,
        r#"{"status": "400 ParameterValidation", "errorCode": 40001, "message": "Method needs to be `ttsCallout`, `conferenceCallout`, or `customCallout`"}"#,
        40001,
    ),
    (
        400,
        r#"{"status": "400 MissingParameter", "errorCode": 40002, "message": "Bad request; method is missing a parameter"}"#,
        40002,
    ),
    (
        400,
        r#"{"status": "400 InvalidRequest", "errorCode": 40003, "message": "Request data missing"}"#,
        40003,
    ),
    // The page's mistake: 40004's example carries 40002, which is MissingParameter's code.
    (
        400,
        r#"{"status": "400 InvalidAuthorizationKey", "errorCode": 40002, "message": "Invalid authorization key"}"#,
        40002,
    ),
    (
        400,
        r#"{"status": "400 NumberMissingLeadingPlus", "errorCode": 40002, "message": "Phone number missing leading plus sign"}"#,
        40002,
    ),
    (
        401,
        r#"{"status": "401 AuthorizationHeader", "errorCode": 40100, "message": "Authorization header missing, illegal or invalid"}"#,
        40100,
    ),
    (
        401,
        r#"{"status": "401 TimestampHeader", "errorCode": 40101, "message": "X-Timestamp request header invalid or missing"}"#,
        40101,
    ),
    (
        401,
        r#"{"status": "401 MissingParameter", "errorCode": 40102, "message": "Request has invalid signature"}"#,
        40102,
    ),
    (
        401,
        r#"{"status": "401 AlreadyAuthorized", "errorCode": 40103, "message": "User is already authorized"}"#,
        40103,
    ),
    (
        401,
        r#"{"status": "401 MissingParameter", "errorCode": 40104, "message": "The request was not authorized and signed with the application secret"}"#,
        40104,
    ),
    (
        401,
        r#"{"status": "401 Expired", "errorCode": 40105, "message": "The request for authorization has expired"}"#,
        40105,
    ),
    (
        401,
        r#"{"status": "401 InvalidAuthorization", "errorCode": 40107, "message": "Wrong type of auth used or invalid password or key"}"#,
        40107,
    ),
    (
        401,
        r#"{"status": "401 InvalidCredentials", "errorCode": 40108, "message": "Credentials provided are invalid"}"#,
        40108,
    ),
    (
        402,
        r#"{"status": "402 PaymentRequired", "errorCode": 40200, "message": "Not enough credit"}"#,
        40200,
    ),
    (
        403,
        r#"{"status": "403 ForbiddenRequest", "errorCode": 40300, "message": "Resource destination is forbidden"}"#,
        40300,
    ),
    (
        403,
        r#"{"status": "403 InvalidScheme", "errorCode": 40301, "message": "Invalid authorization scheme"}"#,
        40301,
    ),
    (
        403,
        r#"{"status": "401 InsufficientPrivileges", "errorCode": 40302, "message": "Privileges are insufficient to access the resource"}"#,
        40302,
    ),
    (
        403,
        r#"{"status": "401 RestrictedAction", "errorCode": 40303, "message": "Requested action is restricted"}"#,
        40303,
    ),
    (
        404,
        r#"{"status": "404 ResourceNotFound", "errorCode": 40400, "message": "Requested resource not found"}"#,
        40400,
    ),
    (
        409,
        r#"{"status": "409 RequestConflict", "errorCode": 40900, "message": "The request could not be completed due to a conflict with the current resource"}"#,
        40900,
    ),
    // 42200-42202: the page copies 40108's body.
    (
        422,
        r#"{"status": "401 InvalidCredentials", "errorCode": 40108, "message": "Credentials provided are invalid"}"#,
        40108,
    ),
    (
        429,
        r#"{"status": "429 CapacityExceeded", "errorCode": 42900, "message": "The number of requests has exceeded capacity"}"#,
        42900,
    ),
    (
        429,
        r#"{"status": "429 VelocityConstraint", "errorCode": 42901, "message": "The number of requests has exceeded velocity constraint"}"#,
        42901,
    ),
    (
        500,
        r#"{"status": "500 InternalError", "errorCode": 50000, "message": "General error; try submitting request again"}"#,
        50000,
    ),
    // 50300's example carries 50500: a documented alias.
    (
        503,
        r#"{"status": "503 TemporaryDown", "errorCode": 50500, "message": "Service temporarily unavailable"}"#,
        50300,
    ),
    (
        503,
        r#"{"status": "503 ConfigurationError", "errorCode": 50301, "message": "Server configuration error; try submitting request again"}"#,
        50301,
    ),
];

#[test]
fn every_sinch_voice_example_parses_to_its_code() {
    for &(http, body, expected) in VOICE_EXAMPLES {
        let error = voice::Error::from_response(status(http), &no_headers(), body.as_bytes());
        let code = error.code().unwrap_or_else(|| panic!("no code in {body}"));
        assert_eq!(code.as_u32(), Some(expected), "{body}");
        assert!(!code.is_unknown(), "{body}");
        let json: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(error.wire_message(), json["message"].as_str(), "{body}");
        let voice::Envelope::VoiceError { status, reference } = error.envelope().unwrap().clone()
        else {
            panic!("{body}: unexpected envelope");
        };
        assert_eq!(status.as_deref(), json["status"].as_str());
        assert_eq!(reference, None);
        assert_eq!(error.code_is_alias(), body.contains("50500"), "{body}");
    }
}

#[test]
fn sinch_voice_code_as_a_string_as_the_page_types_it() {
    let body = br#"{"status": "404 ResourceNotFound", "errorCode": "40400", "message": "Requested resource not found", "reference": "abc-123"}"#;
    let error = voice::Error::from_response(StatusCode::NOT_FOUND, &no_headers(), body);
    assert_eq!(error.code(), Some(&voice::ErrorCode::ResourceNotFound));
    assert_eq!(
        error.envelope(),
        Some(&voice::Envelope::VoiceError {
            status: Some("404 ResourceNotFound".into()),
            reference: Some("abc-123".into())
        })
    );
}

#[test]
fn sinch_numbers_examples_pick_the_right_envelope() {
    let rpc = br#"{
   "error": {
     "code": 400,
     "message": "parsing field \"type\": \"XXX\" is not a valid value",
     "status": "INVALID_ARGUMENT",
     "details": [ ]
   }
}"#;
    let error = numbers::Error::from_response(StatusCode::BAD_REQUEST, &no_headers(), rpc);
    assert_eq!(error.code(), Some(&numbers::ErrorCode::InvalidArgument));
    assert_eq!(
        error.wire_message(),
        Some("parsing field \"type\": \"XXX\" is not a valid value")
    );
    assert_eq!(
        error.envelope(),
        Some(&numbers::Envelope::RpcError {
            code: Some(400),
            details: Some(serde_json::json!([]))
        })
    );

    let code_text = br#"{
   "code": "syntax_invalid_json",
   "text": "The JSON in the request is invalid or doesn't conform to the API specification. "
}"#;
    let error = numbers::Error::from_response(StatusCode::BAD_REQUEST, &no_headers(), code_text);
    assert_eq!(error.code(), Some(&numbers::ErrorCode::SyntaxInvalidJson));
    assert_eq!(error.envelope(), Some(&numbers::Envelope::CodeText));
    assert!(error
        .wire_message()
        .unwrap()
        .starts_with("The JSON in the request is invalid"));

    let denied = br#"{
   "error": {
     "code": 403,
     "message": "",
     "status": "PERMISSION_DENIED",
     "details": [ ]
     }
}"#;
    let error = numbers::Error::from_response(StatusCode::FORBIDDEN, &no_headers(), denied);
    assert_eq!(error.code(), Some(&numbers::ErrorCode::PermissionDenied));
    assert_eq!(error.wire_message(), Some(""));
    assert_eq!(
        error.message(),
        Some("Improper credentials were used."),
        "a blank wire message falls back to the docs"
    );
}

#[test]
fn unknown_fields_are_kept_raw() {
    let body = br#"{"error":{"code":"not_found","message":"Resource not found","request_id":"r-1","param":42}}"#;
    let error = hms::Error::from_response(StatusCode::NOT_FOUND, &no_headers(), body);
    assert_eq!(error.code(), Some(&hms::ErrorCode::NotFound));
    assert_eq!(error.extra()["request_id"], "r-1");
    // A documented field of the wrong type stays raw instead of being dropped.
    assert_eq!(error.extra()["param"], 42);
    assert_eq!(
        error.envelope(),
        Some(&hms::Envelope::ErrorObject {
            param: None,
            type_: None
        })
    );
}

#[test]
fn unknown_code_keeps_the_status_policy() {
    let body = br#"{"error":{"code":"upstream_hiccup","message":"try again"}}"#;
    let error = hms::Error::from_response(StatusCode::BAD_GATEWAY, &no_headers(), body);
    assert!(error.code().unwrap().is_unknown());
    assert_eq!(error.retry_policy(), Some(&hms::retry::TRANSIENT));
    assert_eq!(error.retry_class(), RetryClass::Transient);
}

#[test]
fn body_without_a_code_is_classified_by_status() {
    let error = hms::Error::from_response(
        StatusCode::SERVICE_UNAVAILABLE,
        &no_headers(),
        br#"{"error":{"message":"down"}}"#,
    );
    assert_eq!(error.code(), None);
    assert_eq!(error.message(), Some("down"));
    assert_eq!(error.retry_class(), RetryClass::Transient);
}

#[test]
fn hostile_bodies_give_typed_unparsed_errors() {
    let deep = "[".repeat(100_000);
    let huge = vec![b' '; 10 * 1024 * 1024 + 1];
    let cases: Vec<(&[u8], Unparsed)> = vec![
        (b"", Unparsed::Empty),
        (b"  \r\n", Unparsed::Empty),
        (
            b"<html><body><h1>502 Bad Gateway</h1></body></html>",
            Unparsed::NotJson { line: 1, column: 1 },
        ),
        (br#"{"error":{"code":"not_fo"#, Unparsed::Truncated),
        (deep.as_bytes(), Unparsed::TooDeep),
        (
            b"\xff\xfe{\"error\":1}",
            Unparsed::NotUtf8 { valid_up_to: 0 },
        ),
        (br#"{"unexpected":true}"#, Unparsed::NoEnvelope),
        (br#"[1,2,3]"#, Unparsed::NoEnvelope),
        (br#"{"error":{"code":true}}"#, Unparsed::NoEnvelope),
    ];
    for (body, expected) in cases {
        let error = hms::Error::from_response(StatusCode::BAD_GATEWAY, &no_headers(), body);
        assert_eq!(
            error.body().unparsed(),
            Some(&expected),
            "{}",
            String::from_utf8_lossy(&body[..body.len().min(40)])
        );
        assert_eq!(error.status(), hms::Status::BadGateway);
        assert_eq!(error.code(), None);
        assert_eq!(error.message(), Some("Upstream service unavailable"));
        assert_eq!(error.body().len(), body.len());
    }
    let error = hms::Error::from_response(StatusCode::BAD_GATEWAY, &no_headers(), &huge);
    assert_eq!(
        error.body().unparsed(),
        Some(&Unparsed::TooLarge { len: huge.len() })
    );
    assert!(error.body().is_truncated());
    assert_eq!(error.body().raw().len(), errspec::MAX_RAW_BODY);
}

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

#[test]
fn hms_429_honours_retry_after_with_a_60_second_default() {
    let body = br#"{"error":{"code":"rate_limit_exceeded","message":"Too many requests"}}"#;
    let mut rng = JitterRng::with_seed(7);
    let now = at(1_700_000_000);

    let mut headers = HeaderMap::new();
    headers.insert("retry-after", HeaderValue::from_static("2"));
    let error = hms::Error::from_response(StatusCode::TOO_MANY_REQUESTS, &headers, body);
    assert_eq!(error.retry_class(), RetryClass::Throttling);
    assert_eq!(
        error.retry_delay_at(1, now, &mut rng),
        Some(Duration::from_secs(2))
    );
    assert_eq!(
        error.retry_delay_at(2, now, &mut rng),
        Some(Duration::from_secs(2))
    );
    assert_eq!(
        error.retry_delay_at(3, now, &mut rng),
        None,
        "3 attempts in all"
    );

    let error = hms::Error::from_response(StatusCode::TOO_MANY_REQUESTS, &no_headers(), body);
    assert_eq!(
        error.retry_delay_at(1, now, &mut rng),
        Some(Duration::from_secs(60))
    );

    headers.insert("retry-after", HeaderValue::from_static("soon"));
    let error = hms::Error::from_response(StatusCode::TOO_MANY_REQUESTS, &headers, body);
    assert_eq!(
        error.retry_delay_at(1, now, &mut rng),
        Some(Duration::from_secs(60))
    );
}

#[test]
fn hms_transient_statuses_back_off_and_4xx_never_retry() {
    let mut rng = JitterRng::with_seed(1);
    let now = at(0);
    for http in [502, 503, 504] {
        let error = hms::Error::from_response(status(http), &no_headers(), b"");
        assert_eq!(
            error.retry_delay_at(1, now, &mut rng),
            Some(Duration::from_secs(1)),
            "{http}"
        );
        assert_eq!(
            error.retry_delay_at(2, now, &mut rng),
            Some(Duration::from_secs(2)),
            "{http}"
        );
        assert_eq!(error.retry_delay_at(3, now, &mut rng), None, "{http}");
    }
    for http in [400, 401, 402, 404, 409, 422, 500] {
        let error = hms::Error::from_response(status(http), &no_headers(), b"");
        assert_eq!(error.retry_delay_at(1, now, &mut rng), None, "{http}");
        assert!(!error.retry_class().is_retryable(), "{http}");
    }
}

#[test]
fn jittered_delays_reproduce_with_a_seed() {
    let error = voice::Error::from_response(StatusCode::SERVICE_UNAVAILABLE, &no_headers(), b"");
    let delays = |seed| {
        let mut rng = JitterRng::with_seed(seed);
        [1, 2].map(|n| error.retry_delay_at(n, at(0), &mut rng).unwrap())
    };
    assert_eq!(delays(42), delays(42));
    assert!(delays(42)
        .iter()
        .zip([1, 2])
        .all(|(d, cap)| *d <= Duration::from_secs(cap)));
}

proptest! {
    #[test]
    fn from_response_never_panics_and_keeps_status_and_bytes(body in proptest::collection::vec(any::<u8>(), 0..512), http in 100u16..=999) {
        let code = StatusCode::from_u16(http).unwrap();
        let error = numbers::Error::from_response(code, &HeaderMap::new(), &body);
        prop_assert_eq!(error.status().code(), code);
        prop_assert_eq!(error.body().raw(), &body[..]);
        let _ = error.to_string();
    }

    #[test]
    fn json_shaped_noise_never_panics(code in "[a-zA-Z0-9_]{0,12}", message in ".{0,40}", number in any::<i64>()) {
        let body = serde_json::json!({"error": {"code": number, "status": code, "message": message}, "code": code, "text": message});
        let bytes = serde_json::to_vec(&body).unwrap();
        let error = numbers::Error::from_response(StatusCode::BAD_REQUEST, &HeaderMap::new(), &bytes);
        prop_assert!(error.body().unparsed().is_none());
        prop_assert!(error.code().is_some());
    }
}

/// A code field of a type the envelope does not accept leaves the error without a code, says
/// so, and keeps the value in `extra`; a readable code is never flagged.
#[test]
fn a_code_of_the_wrong_json_type_is_flagged_and_kept() {
    for (body, kept) in [
        (
            &br#"{"error":{"code":true,"message":"m","type":"billing"}}"#[..],
            serde_json::json!(true),
        ),
        (
            &br#"{"error":{"code":{"x":1},"message":"m"}}"#[..],
            serde_json::json!({"x": 1}),
        ),
    ] {
        let error = hms::Error::from_response(status(400), &no_headers(), body);
        assert_eq!(error.code(), None, "{}", String::from_utf8_lossy(body));
        assert!(error.code_unreadable(), "{}", String::from_utf8_lossy(body));
        assert_eq!(error.extra().get("code"), Some(&kept));
        assert_eq!(error.message(), Some("m"));
        assert_eq!(error.body().unparsed(), None);
    }
    let readable = br#"{"error":{"code":"insufficient_credits","message":"m"}}"#;
    let error = hms::Error::from_response(status(402), &no_headers(), readable);
    assert!(!error.code_unreadable());
    // A body whose envelope has no code key at all is not an unreadable code either.
    let absent = br#"{"error":{"message":"m"}}"#;
    let error = hms::Error::from_response(status(400), &no_headers(), absent);
    assert!(error.code().is_none() && !error.code_unreadable());
}
