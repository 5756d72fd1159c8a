//! `Retry-After` parsing (RFC 9110, section 10.2.3) and its resolution against a policy's
//! default and cap.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use errspec::http::{HeaderMap, HeaderValue};
use errspec::{RetryAfter, RetryAfterDelay, RetryAfterSource, RetryAfterValue};
use proptest::prelude::*;

/// The policy every case is resolved against.
const POLICY: RetryAfter = RetryAfter {
    header: "Retry-After",
    default: Duration::from_secs(60),
    cap: Duration::from_secs(3600),
};

/// The fixed time every case is resolved at: Tue, 14 Nov 2023 22:13:20 GMT.
fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

fn from_header(secs: u64, capped: bool) -> RetryAfterDelay {
    RetryAfterDelay {
        delay: Duration::from_secs(secs),
        source: RetryAfterSource::Header,
        capped,
    }
}

fn default_delay() -> RetryAfterDelay {
    RetryAfterDelay {
        delay: Duration::from_secs(60),
        source: RetryAfterSource::Default,
        capped: false,
    }
}

fn resolve(input: &[u8]) -> RetryAfterDelay {
    POLICY.resolve(Some(&RetryAfterValue::parse(input)), now())
}

#[test]
fn the_fixed_now_is_the_date_the_hand_written_cases_assume() {
    assert_eq!(
        httpdate::fmt_http_date(now()),
        "Tue, 14 Nov 2023 22:13:20 GMT"
    );
}

#[test]
fn every_documented_input_resolves_to_its_documented_delay() {
    let in_90_s = httpdate::fmt_http_date(now() + Duration::from_secs(90));
    let in_2_h = httpdate::fmt_http_date(now() + Duration::from_secs(7200));
    let a_day_ago = httpdate::fmt_http_date(now() - Duration::from_secs(86_400));
    let right_now = httpdate::fmt_http_date(now());

    let cases: Vec<(&str, &[u8], RetryAfterDelay)> = vec![
        // delay-seconds
        ("plain seconds", b"120", from_header(120, false)),
        ("seconds in spaces", b" 120 ", from_header(120, false)),
        ("seconds in tabs", b"\t120\t", from_header(120, false)),
        ("zero", b"0", from_header(0, false)),
        ("leading zeros", b"000120", from_header(120, false)),
        ("exactly the cap", b"3600", from_header(3600, false)),
        ("one past the cap", b"3601", from_header(3600, true)),
        (
            "twenty digits saturate and are capped",
            b"99999999999999999999",
            from_header(3600, true),
        ),
        (
            "thirty digits saturate and are capped",
            b"123456789012345678901234567890",
            from_header(3600, true),
        ),
        (
            "many leading zeros do not saturate",
            b"0000000000000000000000000120",
            from_header(120, false),
        ),
        // invalid values fall back to the default
        ("negative", b"-1", default_delay()),
        ("explicit plus sign", b"+5", default_delay()),
        ("fraction", b"1.5", default_delay()),
        ("exponent", b"1e3", default_delay()),
        ("hexadecimal", b"0x10", default_delay()),
        ("unit suffix", b"120s", default_delay()),
        ("space inside the number", b"1 20", default_delay()),
        ("letters", b"abc", default_delay()),
        ("empty", b"", default_delay()),
        ("whitespace only", b" \t ", default_delay()),
        ("a list", b"120, 60", default_delay()),
        (
            "newline is not optional whitespace",
            b"120\n",
            default_delay(),
        ),
        ("not UTF-8", b"\xff\xfe", default_delay()),
        (
            "date with a wrong weekday",
            b"Mon, 14 Nov 2023 22:14:50 GMT",
            default_delay(),
        ),
        (
            "date in another zone",
            b"Tue, 14 Nov 2023 22:14:50 UTC",
            default_delay(),
        ),
        ("ISO 8601 date", b"2023-11-14T22:14:50Z", default_delay()),
        // future dates, in all three forms
        (
            "IMF-fixdate in 90 s",
            in_90_s.as_bytes(),
            from_header(90, false),
        ),
        (
            "hand-written IMF-fixdate in 90 s",
            b"Tue, 14 Nov 2023 22:14:50 GMT",
            from_header(90, false),
        ),
        (
            "RFC 850 date in 90 s",
            b"Tuesday, 14-Nov-23 22:14:50 GMT",
            from_header(90, false),
        ),
        (
            "asctime date in 90 s",
            b"Tue Nov 14 22:14:50 2023",
            from_header(90, false),
        ),
        (
            "IMF-fixdate in spaces",
            b"  Tue, 14 Nov 2023 22:14:50 GMT\t",
            from_header(90, false),
        ),
        (
            "IMF-fixdate in 2 h",
            in_2_h.as_bytes(),
            from_header(3600, true),
        ),
        (
            "RFC 850 date in 2 h",
            b"Wednesday, 15-Nov-23 00:13:20 GMT",
            from_header(3600, true),
        ),
        (
            "asctime date in 2 h",
            b"Wed Nov 15 00:13:20 2023",
            from_header(3600, true),
        ),
        // past dates, in all three forms
        (
            "IMF-fixdate a day ago",
            a_day_ago.as_bytes(),
            from_header(0, false),
        ),
        (
            "IMF-fixdate of 1994",
            b"Sun, 06 Nov 1994 08:49:37 GMT",
            from_header(0, false),
        ),
        (
            "RFC 850 date of 1994",
            b"Sunday, 06-Nov-94 08:49:37 GMT",
            from_header(0, false),
        ),
        (
            "asctime date of 1994",
            b"Sun Nov  6 08:49:37 1994",
            from_header(0, false),
        ),
        (
            "the current second",
            right_now.as_bytes(),
            from_header(0, false),
        ),
    ];

    let mut failures = Vec::new();
    for (name, input, expected) in &cases {
        let actual = resolve(input);
        if actual != *expected {
            failures.push(format!(
                "{name} ({:?}): expected {expected:?}, got {actual:?}",
                String::from_utf8_lossy(input)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn delay_seconds_parse_to_exact_durations() {
    assert_eq!(
        RetryAfterValue::parse(b"120"),
        RetryAfterValue::Delay(Duration::from_secs(120))
    );
    assert_eq!(
        RetryAfterValue::parse(b" 120 "),
        RetryAfterValue::Delay(Duration::from_secs(120))
    );
    assert_eq!(
        RetryAfterValue::parse(b"0"),
        RetryAfterValue::Delay(Duration::ZERO)
    );
    assert_eq!(
        RetryAfterValue::parse(b"18446744073709551615"),
        RetryAfterValue::Delay(Duration::from_secs(u64::MAX)),
        "u64::MAX itself still fits"
    );
    assert_eq!(
        RetryAfterValue::parse(b"18446744073709551616"),
        RetryAfterValue::Delay(Duration::MAX),
        "one more saturates"
    );
}

#[test]
fn all_three_date_forms_parse_to_the_same_instant() {
    let expected = RetryAfterValue::Date(UNIX_EPOCH + Duration::from_secs(784_111_777));
    for input in [
        &b"Sun, 06 Nov 1994 08:49:37 GMT"[..],
        b"Sunday, 06-Nov-94 08:49:37 GMT",
        b"Sun Nov  6 08:49:37 1994",
    ] {
        assert_eq!(
            RetryAfterValue::parse(input),
            expected,
            "{}",
            String::from_utf8_lossy(input)
        );
    }
}

#[test]
fn invalid_values_are_kept_as_invalid_not_rejected() {
    for input in [&b"-1"[..], b"+5", b"1.5", b"1e3", b"abc", b"", b"\xff"] {
        let value = RetryAfterValue::parse(input);
        assert_eq!(value, RetryAfterValue::Invalid, "{input:?}");
        assert!(!value.is_valid());
    }
    assert!(RetryAfterValue::parse(b"1").is_valid());
}

#[test]
fn a_missing_header_resolves_to_the_default() {
    assert_eq!(POLICY.resolve(None, now()), default_delay());
}

#[test]
fn a_date_far_past_the_cap_is_capped_without_overflow() {
    let value = RetryAfterValue::parse(b"Fri, 31 Dec 9999 23:59:59 GMT");
    assert!(matches!(value, RetryAfterValue::Date(_)));
    assert_eq!(POLICY.resolve(Some(&value), now()), from_header(3600, true));
    assert_eq!(
        POLICY.resolve(Some(&value), UNIX_EPOCH),
        from_header(3600, true)
    );
}

#[test]
fn the_largest_delay_is_capped_at_any_cap() {
    let huge = RetryAfterValue::Delay(Duration::MAX);
    let no_cap = RetryAfter {
        cap: Duration::MAX,
        ..POLICY
    };
    assert_eq!(
        no_cap.resolve(Some(&huge), now()),
        RetryAfterDelay {
            delay: Duration::MAX,
            source: RetryAfterSource::Header,
            capped: false,
        }
    );
    let zero_cap = RetryAfter {
        cap: Duration::ZERO,
        ..POLICY
    };
    assert_eq!(zero_cap.resolve(Some(&huge), now()), from_header(0, true));
}

#[test]
fn from_headers_without_the_header_is_none() {
    let mut headers = HeaderMap::new();
    assert_eq!(RetryAfterValue::from_headers(&headers, "Retry-After"), None);
    headers.insert("x-other", HeaderValue::from_static("120"));
    assert_eq!(RetryAfterValue::from_headers(&headers, "Retry-After"), None);
}

#[test]
fn from_headers_matches_the_name_without_regard_to_case() {
    let mut headers = HeaderMap::new();
    headers.insert("retry-after", HeaderValue::from_static("120"));
    for name in ["Retry-After", "retry-after", "RETRY-AFTER"] {
        assert_eq!(
            RetryAfterValue::from_headers(&headers, name),
            Some(RetryAfterValue::Delay(Duration::from_secs(120))),
            "{name}"
        );
    }
}

#[test]
fn from_headers_with_an_invalid_header_name_is_none() {
    let mut headers = HeaderMap::new();
    headers.insert("retry-after", HeaderValue::from_static("120"));
    assert_eq!(RetryAfterValue::from_headers(&headers, "Retry After"), None);
    assert_eq!(RetryAfterValue::from_headers(&headers, ""), None);
}

#[test]
fn from_headers_with_a_non_utf8_value_is_invalid() {
    let mut headers = HeaderMap::new();
    let value = HeaderValue::from_bytes(b"12\xff0").expect("obs-text is a valid header value");
    headers.insert("retry-after", value);
    let parsed = RetryAfterValue::from_headers(&headers, "Retry-After");
    assert_eq!(parsed, Some(RetryAfterValue::Invalid));
    assert_eq!(POLICY.resolve(parsed.as_ref(), now()), default_delay());
}

#[test]
fn from_headers_with_two_values_uses_the_first() {
    let mut headers = HeaderMap::new();
    headers.append("retry-after", HeaderValue::from_static("120"));
    headers.append("retry-after", HeaderValue::from_static("30"));
    assert_eq!(
        RetryAfterValue::from_headers(&headers, "Retry-After"),
        Some(RetryAfterValue::Delay(Duration::from_secs(120)))
    );

    let mut headers = HeaderMap::new();
    headers.append("retry-after", HeaderValue::from_static("soon"));
    headers.append("retry-after", HeaderValue::from_static("30"));
    assert_eq!(
        RetryAfterValue::from_headers(&headers, "Retry-After"),
        Some(RetryAfterValue::Invalid),
        "an invalid first value is not replaced by a later one"
    );
}

proptest! {
    #[test]
    fn any_bytes_parse_and_resolve_within_the_cap_or_to_the_default(
        input in proptest::collection::vec(any::<u8>(), 0..40),
        now_secs in 0u64..253_402_300_799,
    ) {
        let now = UNIX_EPOCH + Duration::from_secs(now_secs);
        let resolved = POLICY.resolve(Some(&RetryAfterValue::parse(&input)), now);
        match resolved.source {
            RetryAfterSource::Header => prop_assert!(resolved.delay <= POLICY.cap),
            RetryAfterSource::Default => {
                prop_assert_eq!(resolved.delay, POLICY.default);
                prop_assert!(!resolved.capped);
            }
        }
    }

    #[test]
    fn any_digit_string_is_a_delay_from_the_header(
        digits in "[0-9]{1,40}",
        pad_left in "[ \t]{0,3}",
        pad_right in "[ \t]{0,3}",
    ) {
        let input = format!("{pad_left}{digits}{pad_right}");
        let value = RetryAfterValue::parse(input.as_bytes());
        prop_assert!(matches!(value, RetryAfterValue::Delay(_)), "{:?}", value);
        let expected = digits.parse::<u64>().map(Duration::from_secs).unwrap_or(Duration::MAX);
        prop_assert_eq!(value, RetryAfterValue::Delay(expected));
        let resolved = POLICY.resolve(Some(&value), now());
        prop_assert_eq!(resolved.source, RetryAfterSource::Header);
        prop_assert_eq!(resolved.delay, expected.min(POLICY.cap));
        prop_assert_eq!(resolved.capped, expected > POLICY.cap);
    }

    #[test]
    fn any_formatted_future_date_resolves_to_its_distance_from_now(offset in 0u64..10_000_000) {
        let date = httpdate::fmt_http_date(now() + Duration::from_secs(offset));
        let resolved = resolve(date.as_bytes());
        prop_assert_eq!(resolved, from_header(offset.min(3600), offset > 3600));
    }
}

/// A date in the past means "now" whatever its year (RFC 9110): one before 1970 too, in both
/// forms with a four-digit year. A date that is not one (a wrong weekday) stays invalid.
#[test]
fn a_date_before_1970_is_in_the_past() {
    use errspec::RetryAfterValue;
    use std::time::UNIX_EPOCH;
    for value in [
        "Thu, 01 Jan 1960 00:00:00 GMT",
        "Fri, 01 Jan 1960 00:00:00 GMT",
        "Wed, 31 Dec 1969 23:59:59 GMT",
        "Sat, 01 Jan 0000 00:00:00 GMT",
        "Wed Dec 31 23:59:59 1969",
    ] {
        let parsed = RetryAfterValue::parse(value.as_bytes());
        let valid_weekday = !value.starts_with("Thu, 01 Jan 1960");
        if valid_weekday {
            assert_eq!(parsed, RetryAfterValue::Date(UNIX_EPOCH), "{value}");
            let policy = errspec::RetryAfter {
                header: "Retry-After",
                default: std::time::Duration::from_secs(60),
                cap: std::time::Duration::from_secs(600),
            };
            let resolved = policy.resolve(Some(&parsed), std::time::SystemTime::now());
            assert_eq!(resolved.delay, std::time::Duration::ZERO, "{value}");
        } else {
            assert_eq!(parsed, RetryAfterValue::Invalid, "{value}");
        }
    }
}
