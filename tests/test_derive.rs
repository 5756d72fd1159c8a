//! `#[derive(ErrorCode)]` on a hand-written enum behaves like the module generated from the
//! spec for the same codes: a handful of Sinch Voice codes, declared by hand.

use std::str::FromStr;

use errspec::ApiErrorCode;

mod spec {
    errspec::include_spec!("spec/sinch_voice.yaml");
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, errspec::ErrorCode)]
#[errspec(api = "Sinch Voice API, by hand")]
enum Voice {
    #[errspec(
        code = 40001,
        status = 400,
        category = "bad_request",
        message = "Method needs to be `ttsCallout`, `conferenceCallout`, or `customCallout`",
        solution = "You can fix this by using the correct method."
    )]
    ParameterValidation,
    #[errspec(
        code = 40200,
        status = 402,
        category = "payment_required",
        message = "Not enough credit"
    )]
    #[errspec(solution = "Add more money to your account.")]
    PaymentRequired,
    #[errspec(
        code = 42900,
        status = 429,
        category = "too_many_requests",
        message = "The number of requests has exceeded capacity",
        retry = spec::retry::THROTTLED
    )]
    CapacityExceeded,
    #[errspec(
        code = 50300,
        alias = 50500,
        status = 503,
        category = "service_unavailable",
        message = "Service temporarily unavailable",
        solution = "Try the request a little later or contact support if you receive these errors repeatedly after a period of time.",
        retry = spec::retry::TEMPORARY
    )]
    TemporaryDown,
    Unknown(errspec::UnknownCode),
}

fn counterpart(code: &Voice) -> spec::ErrorCode {
    spec::ErrorCode::from_wire(code.as_str())
}

#[test]
fn every_hand_declared_code_matches_the_spec_module() {
    assert_eq!(Voice::ALL.len(), 4);
    for code in Voice::ALL {
        let generated = counterpart(code);
        assert!(!generated.is_unknown(), "{code}");
        assert_eq!(code.as_str(), generated.as_str());
        assert_eq!(code.as_u32(), generated.as_u32());
        assert_eq!(code.message(), generated.message(), "{code}");
        assert_eq!(code.solution(), generated.solution(), "{code}");
        assert_eq!(
            code.status(),
            generated.status().map(spec::Status::code),
            "{code}"
        );
        assert_eq!(
            code.category(),
            generated.category().map(spec::Category::id),
            "{code}"
        );
        assert_eq!(code.retry_policy(), generated.retry_policy(), "{code}");
        assert_eq!(code.to_string(), generated.to_string());
        assert_eq!(
            ApiErrorCode::http_status(code),
            ApiErrorCode::http_status(&generated)
        );
    }
}

#[test]
fn lookups_match_including_aliases_and_unknown_codes() {
    for raw in [
        "40001", "40200", "42900", "50300", "50500", "49999", "", "abc",
    ] {
        let (hand, hand_alias) = Voice::lookup(raw);
        let (generated, generated_alias) = spec::ErrorCode::lookup(raw);
        assert_eq!(hand.as_str(), generated.as_str(), "{raw:?}");
        assert_eq!(hand.is_unknown(), generated.is_unknown(), "{raw:?}");
        assert_eq!(hand_alias, generated_alias, "{raw:?}");
    }
    assert_eq!(Voice::from_u32(50_500), Voice::TemporaryDown);
    assert_eq!(Voice::from_str("40200").unwrap(), Voice::PaymentRequired);
    assert_eq!(
        Voice::from_wire("12345"),
        Voice::Unknown(errspec::UnknownCode::new("12345"))
    );
}

#[test]
fn codes_without_retry_are_not_retried() {
    assert_eq!(Voice::PaymentRequired.retry_policy(), None);
    assert_eq!(
        Voice::Unknown(errspec::UnknownCode::new("1")).retry_policy(),
        None
    );
}

#[test]
fn derived_codes_serialize_like_generated_ones() {
    let hand = serde_json::to_string(&Voice::ALL).unwrap();
    let generated: Vec<spec::ErrorCode> = Voice::ALL.iter().map(counterpart).collect();
    assert_eq!(hand, serde_json::to_string(&generated).unwrap());
    let back: Vec<Voice> = serde_json::from_str(&hand).unwrap();
    assert_eq!(back, Voice::ALL);
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, errspec::ErrorCode)]
#[errspec(retry = spec::retry::TEMPORARY)]
enum Strings {
    #[errspec(code = "busy", status = 503, message = "Busy")]
    Busy,
    #[errspec(code = "denied", status = 403, message = "Denied", no_retry)]
    Denied,
    Unknown(errspec::UnknownCode),
}

#[test]
fn enum_default_policy_and_string_codes() {
    assert_eq!(Strings::Busy.retry_policy(), Some(&spec::retry::TEMPORARY));
    assert_eq!(Strings::Denied.retry_policy(), None);
    assert_eq!(Strings::from_wire("busy"), Strings::Busy);
    assert_eq!(
        serde_json::to_string(&Strings::Denied).unwrap(),
        r#""denied""#
    );
    assert_eq!(
        Strings::Denied.status(),
        Some(errspec::http::StatusCode::FORBIDDEN)
    );
}
