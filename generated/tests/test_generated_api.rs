//! Behaviour of the generated modules beyond the tables: conversions, fallbacks, the error
//! type, retry policies, limits and the trait that makes clients generic over APIs.

use std::str::FromStr;
use std::time::Duration;

use errspec::http::StatusCode;
use errspec::ApiErrorCode;
use errspec_apis::{hms_sovereign as hms, sinch_numbers as numbers, sinch_voice as voice};

#[test]
fn from_str_and_display_round_trip_every_code() {
    for code in hms::ErrorCode::ALL {
        let parsed = hms::ErrorCode::from_str(&code.to_string()).unwrap();
        assert_eq!(&parsed, code);
    }
    for code in voice::ErrorCode::ALL {
        assert_eq!(voice::ErrorCode::from_u32(code.as_u32().unwrap()), *code);
        assert_eq!(code.to_string(), code.as_u32().unwrap().to_string());
    }
}

#[test]
fn unknown_codes_keep_the_raw_value_and_know_nothing_else() {
    let code = numbers::ErrorCode::from_wire("NEW_CODE_2027");
    assert!(code.is_unknown());
    assert_eq!(code.as_str(), "NEW_CODE_2027");
    assert_eq!(
        (code.status(), code.message(), code.retry_policy()),
        (None, None, None)
    );
    // Matching is exact: the wire value's case matters.
    assert!(numbers::ErrorCode::from_wire("invalid_argument").is_unknown());
    assert!(numbers::FORWARD_COMPATIBILITY.starts_with("Additional codes might be added"));
    let number = voice::ErrorCode::from_u32(49_999);
    assert_eq!((number.as_str(), number.as_u32()), ("49999", Some(49_999)));
}

#[test]
fn the_50500_alias_reads_as_50300_on_both_paths() {
    assert_eq!(
        voice::ErrorCode::from_wire("50500"),
        voice::ErrorCode::TemporaryDown
    );
    assert_eq!(
        voice::ErrorCode::from_u32(50_500),
        voice::ErrorCode::TemporaryDown
    );
    assert_eq!(voice::ErrorCode::TemporaryDown.as_u32(), Some(50_300));
}

#[test]
fn status_converts_both_ways_and_falls_back() {
    for status in hms::Status::ALL {
        let code: StatusCode = (*status).into();
        assert_eq!(hms::Status::from(code), *status);
        assert!(status.is_documented());
    }
    let teapot = hms::Status::from(StatusCode::IM_A_TEAPOT);
    assert_eq!(teapot, hms::Status::Other(StatusCode::IM_A_TEAPOT));
    assert!(!teapot.is_documented());
    assert_eq!((teapot.name(), teapot.as_u16()), (None, 418));
    assert_eq!(hms::Status::from_u16(1000), None);
    assert_eq!(
        hms::Status::from_u16(402),
        Some(hms::Status::PaymentRequired)
    );
    assert_eq!(
        hms::Status::PaymentRequired.to_string(),
        "402 Payment Required"
    );
    assert_eq!(teapot.to_string(), "418 I'm a teapot");
}

#[test]
fn hms_retry_rule_comes_out_exactly() {
    for (status, retried) in [
        (429, true),
        (502, true),
        (503, true),
        (504, true),
        (400, false),
        (401, false),
        (402, false),
        (404, false),
        (500, false),
    ] {
        let status = hms::Status::from_u16(status).unwrap();
        assert_eq!(status.retry_policy().is_some(), retried, "{status}");
    }
    let transient = &hms::retry::TRANSIENT;
    assert_eq!(transient.max_attempts, 3);
    assert_eq!(transient.backoff(1), Some(Duration::from_secs(1)));
    assert_eq!(transient.backoff(2), Some(Duration::from_secs(2)));
    assert_eq!(transient.backoff(3), None);
    assert_eq!(transient.max_delay, Duration::from_secs(30));
    let limited = hms::Status::TooManyRequests.retry_policy().unwrap();
    let retry_after = limited.retry_after.expect("429 honours Retry-After");
    assert_eq!(
        (retry_after.header, retry_after.default),
        ("Retry-After", Duration::from_secs(60))
    );
    // `rate_limited` extends `transient`: same backoff.
    assert_eq!(
        (limited.initial, limited.multiplier, limited.max_attempts),
        (transient.initial, transient.multiplier, 3)
    );
}

#[test]
fn code_retry_follows_its_status() {
    assert_eq!(
        hms::ErrorCode::RateLimitExceeded.retry_policy(),
        Some(&hms::retry::RATE_LIMITED)
    );
    assert_eq!(
        hms::ErrorCode::ProviderTimeout.retry_policy(),
        Some(&hms::retry::TRANSIENT)
    );
    assert_eq!(hms::ErrorCode::InsufficientCredits.retry_policy(), None);
    assert_eq!(
        voice::ErrorCode::TemporaryDown.retry_policy(),
        Some(&voice::retry::TEMPORARY)
    );
}

#[test]
fn documented_limits_are_typed() {
    let limit = hms::ErrorCode::CallControlLimit.limit().unwrap();
    assert_eq!(limit, &hms::limits::CALL_CONTROL_COMMANDS);
    assert_eq!(
        (limit.max, limit.per, limit.scope),
        (10, Some(Duration::from_secs(60)), "call")
    );
    assert_eq!(hms::ErrorCode::RateLimitExceeded.limit(), None);
    let calls = &voice::limits::CONCURRENT_CALLS;
    assert_eq!((calls.max, calls.per), (10, None));
    let too_many = voice::COMMON_ERRORS
        .iter()
        .find(|e| e.id == "too_many_calls")
        .unwrap();
    assert_eq!(too_many.limit, Some(calls));
    let balance = voice::COMMON_ERRORS
        .iter()
        .find(|e| e.id == "balance_too_low")
        .unwrap();
    assert_eq!(
        (balance.title, balance.codes),
        ("Balance is too low", &["40200"][..])
    );
}

#[test]
fn categories_group_codes() {
    assert_eq!(
        hms::ErrorCode::InvalidUuid.category(),
        Some(hms::Category::Validation)
    );
    assert_eq!(hms::Category::ALL.len(), 7);
    assert_eq!(
        voice::ErrorCode::Unprocessable42201
            .category()
            .map(voice::Category::id),
        Some("unprocessable_entity")
    );
    assert_eq!(numbers::Category::Forbidden.to_string(), "403 - Forbidden");
}

#[test]
fn error_from_a_bodyless_status() {
    let error = hms::Error::from(StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(error.status(), hms::Status::ServiceUnavailable);
    assert_eq!(error.code(), None);
    assert_eq!(error.message(), Some("Server temporarily unavailable"));
    assert_eq!(error.retry_policy(), Some(&hms::retry::TRANSIENT));
    assert_eq!(
        error.to_string(),
        "503 Service Unavailable: Server temporarily unavailable"
    );
    let boxed: Box<dyn std::error::Error> = Box::new(error);
    assert!(boxed.source().is_none());
}

#[test]
fn error_message_prefers_the_wire_then_the_docs() {
    let documented = hms::Error::new(
        StatusCode::PAYMENT_REQUIRED,
        Some(hms::ErrorCode::InsufficientCredits),
        None,
    );
    assert_eq!(documented.message(), Some("Insufficient credits balance"));
    assert_eq!(
        documented.solution(),
        Some("Add credits in the billing dashboard")
    );
    assert_eq!(
        documented.to_string(),
        "402 Payment Required [insufficient_credits]: Insufficient credits balance"
    );
    let sent = hms::Error::new(
        StatusCode::PAYMENT_REQUIRED,
        Some(hms::ErrorCode::InsufficientCredits),
        Some("Balance: 0.00".into()),
    );
    assert_eq!(sent.message(), Some("Balance: 0.00"));
}

#[test]
fn unknown_code_falls_back_to_the_status_policy() {
    let error = hms::Error::new(
        StatusCode::TOO_MANY_REQUESTS,
        Some(hms::ErrorCode::from_wire("slow_down")),
        None,
    );
    assert_eq!(error.retry_policy(), Some(&hms::retry::RATE_LIMITED));
}

fn describe<C: ApiErrorCode>(raw: &str) -> (bool, Option<u16>, Option<&'static str>) {
    let code = C::from_wire(raw);
    (
        code.is_unknown(),
        code.http_status().map(|s| s.as_u16()),
        code.message(),
    )
}

#[test]
fn clients_can_be_generic_over_apis() {
    assert_eq!(
        describe::<hms::ErrorCode>("not_found"),
        (false, Some(404), Some("Resource not found"))
    );
    assert_eq!(
        describe::<voice::ErrorCode>("40400"),
        (false, Some(404), Some("Requested resource not found"))
    );
    assert_eq!(
        describe::<numbers::ErrorCode>("blocked_account").1,
        Some(403)
    );
    assert_eq!(describe::<numbers::ErrorCode>("nope"), (true, None, None));
}

#[test]
fn codes_serialize_as_their_wire_value() {
    let json = serde_json::to_string(&[
        voice::ErrorCode::PaymentRequired,
        voice::ErrorCode::from_u32(49_999),
    ])
    .unwrap();
    assert_eq!(json, "[40200,49999]");
    assert_eq!(
        serde_json::to_string(&hms::ErrorCode::NotFound).unwrap(),
        r#""not_found""#
    );
    assert_eq!(
        serde_json::to_string(&hms::ErrorCode::from_wire("new")).unwrap(),
        r#""new""#
    );
}

#[test]
fn codes_deserialize_from_strings_and_numbers() {
    let codes: Vec<voice::ErrorCode> =
        serde_json::from_str(r#"[40200, "40200", 50500, "x"]"#).unwrap();
    assert_eq!(codes[0], voice::ErrorCode::PaymentRequired);
    assert_eq!(codes[1], voice::ErrorCode::PaymentRequired);
    assert_eq!(codes[2], voice::ErrorCode::TemporaryDown);
    assert_eq!(codes[3].as_str(), "x");
    assert!(serde_json::from_str::<hms::ErrorCode>("true").is_err());
}

#[test]
fn codes_link_to_their_entry_in_the_reference_docs() {
    assert_eq!(voice::DOCS_PAGE, "sinch_voice.md");
    let page = include_str!("../docs/sinch_voice.md");
    for code in voice::ErrorCode::ALL {
        let anchor = code.docs_anchor().unwrap();
        assert!(
            page.contains(&format!(r#"<a id="{anchor}"></a>"#)),
            "{anchor} missing in the docs"
        );
    }
    assert_eq!(
        numbers::ErrorCode::InvalidArgument.docs_anchor(),
        Some("code-INVALID_ARGUMENT")
    );
    assert_eq!(hms::ErrorCode::from_wire("new").docs_anchor(), None);
}

#[test]
fn debug_names_the_variant_as_a_derive_would() {
    assert_eq!(
        format!("{:?}", hms::ErrorCode::RateLimitExceeded),
        "RateLimitExceeded"
    );
    assert_eq!(
        format!("{:?}", voice::ErrorCode::TemporaryDown),
        "TemporaryDown"
    );
    for code in numbers::ErrorCode::ALL {
        let name = format!("{code:?}");
        assert!(
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric()),
            "{name}"
        );
    }
    assert_eq!(
        format!("{:?}", hms::ErrorCode::from_wire("new_code")),
        r#"Unknown(UnknownCode("new_code"))"#
    );
    assert_eq!(
        format!("{:#?}", voice::ErrorCode::from_u32(49_999)),
        "Unknown(\n    UnknownCode(\n        \"49999\",\n    ),\n)"
    );
}

/// What a client generic over `ApiErrorCode` reads of a code is what the code's own methods
/// say, for every documented code and an unknown one: a spec module's `ErrorCode` has the
/// trait through the runtime's impl over its code table, not through methods of its own.
macro_rules! the_trait_agrees_with_the_methods {
    ($api:ident) => {{
        let unknown = $api::ErrorCode::from_wire("no-such-code");
        assert!(unknown.is_unknown());
        for code in $api::ErrorCode::ALL.iter().chain([&unknown]) {
            assert_eq!(ApiErrorCode::as_str(code), code.as_str());
            assert_eq!(ApiErrorCode::is_unknown(code), code.is_unknown());
            assert_eq!(
                ApiErrorCode::http_status(code),
                code.status().map($api::Status::code),
                "{code:?}"
            );
            assert_eq!(ApiErrorCode::message(code), code.message());
            assert_eq!(ApiErrorCode::solution(code), code.solution());
            assert_eq!(ApiErrorCode::retry_policy(code), code.retry_policy());
            assert_eq!(
                ApiErrorCode::is_not_processed(code),
                code.is_not_processed()
            );
            assert_eq!(
                <$api::ErrorCode as ApiErrorCode>::from_wire(code.as_str()),
                $api::ErrorCode::from_wire(code.as_str())
            );
        }
    }};
}

#[test]
fn the_generic_trait_reads_what_the_methods_read() {
    the_trait_agrees_with_the_methods!(hms);
    the_trait_agrees_with_the_methods!(voice);
    the_trait_agrees_with_the_methods!(numbers);
}
