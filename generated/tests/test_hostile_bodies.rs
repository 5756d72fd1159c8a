//! What a server, a proxy or the network may really send, for each API: HTML error pages,
//! nothing, truncated or huge or deeply nested JSON, bytes that are not UTF-8, codes of the
//! wrong JSON type, unknown fields. Each gives a typed error that keeps the status and a
//! bounded copy of the bytes; none panics. Also replays the `from_response` fuzz seeds and
//! checks random bytes.

use std::time::{Duration, UNIX_EPOCH};

use errspec::http::{HeaderMap, HeaderValue, StatusCode};
use errspec::serde_json::{json, Value};
use errspec::{JitterRng, Unparsed, MAX_PARSED_BODY, MAX_RAW_BODY};
use errspec_apis::{hms_sovereign, sinch_numbers, sinch_voice};
use proptest::prelude::*;

/// Runs `$check` with `$api` bound to each API module, and `$with_code` to a function that
/// puts a JSON value where that API's main envelope keeps its code, next to a message.
macro_rules! for_each_api {
    (|$api:ident, $with_code:ident| $check:block) => {{
        {
            use hms_sovereign as $api;
            let $with_code =
                |code: Value| json!({ "error": { "code": code, "message": "m" } }).to_string();
            $check
        }
        {
            use sinch_voice as $api;
            let $with_code = |code: Value| json!({ "errorCode": code, "message": "m" }).to_string();
            $check
        }
        {
            use sinch_numbers as $api;
            let $with_code =
                |code: Value| json!({ "error": { "status": code, "message": "m" } }).to_string();
            $check
        }
    }};
}

/// The invariants every error built from a response keeps.
macro_rules! assert_kept {
    ($error:expr, $status:expr, $body:expr) => {{
        let (error, status, body): (_, StatusCode, &[u8]) = (&$error, $status, $body);
        assert_eq!(error.status().code(), status);
        assert_eq!(error.body().len(), body.len());
        assert_eq!(error.body().raw(), &body[..body.len().min(MAX_RAW_BODY)]);
        assert_eq!(error.body().is_truncated(), body.len() > MAX_RAW_BODY);
        assert_eq!(
            error.envelope().is_some(),
            error.body().unparsed().is_none()
        );
        let _ = (error.to_string(), error.message(), error.retry_class());
    }};
}

fn status(n: u16) -> StatusCode {
    StatusCode::from_u16(n).unwrap()
}

#[test]
fn unreadable_bodies_keep_status_bytes_and_reason() {
    let deep_open = "[".repeat(100_000);
    let deep_closed = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_object = r#"{"a":"#.repeat(100_000);
    let cases: Vec<(&str, Vec<u8>, Unparsed)> = vec![
        (
            "html page",
            b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body>nginx</body></html>"
                .to_vec(),
            Unparsed::NotJson { line: 1, column: 1 },
        ),
        ("empty", Vec::new(), Unparsed::Empty),
        ("white space", b" \r\n\t ".to_vec(), Unparsed::Empty),
        (
            "truncated",
            br#"{"error":{"code":"rate_limit_exceeded","mess"#.to_vec(),
            Unparsed::Truncated,
        ),
        ("truncated string", br#"{"errorCode": "4"#.to_vec(), Unparsed::Truncated),
        ("100,000 [", deep_open.into_bytes(), Unparsed::TooDeep),
        ("100,000 [ closed", deep_closed.into_bytes(), Unparsed::TooDeep),
        ("100,000 objects", deep_object.into_bytes(), Unparsed::TooDeep),
        (
            "latin-1",
            b"{\"message\":\"caf\xe9\"}".to_vec(),
            Unparsed::NotUtf8 { valid_up_to: 15 },
        ),
        (
            "utf-16",
            b"\xff\xfe{\x00}\x00".to_vec(),
            Unparsed::NotUtf8 { valid_up_to: 0 },
        ),
        (
            "byte-order mark",
            b"\xef\xbb\xbf{\"code\":\"x\"}".to_vec(),
            Unparsed::NotJson { line: 1, column: 1 },
        ),
        (
            "lone surrogate",
            br#"{"error":{"code":"\ud800","message":"m"}}"#.to_vec(),
            Unparsed::NotJson {
                line: 1,
                column: 25,
            },
        ),
        (
            "trailing garbage",
            br#"{"code":"x"} <html>"#.to_vec(),
            Unparsed::NotJson {
                line: 1,
                column: 14,
            },
        ),
        ("null", b"null".to_vec(), Unparsed::NoEnvelope),
        ("a string", br#""rate_limit_exceeded""#.to_vec(), Unparsed::NoEnvelope),
        ("an array", br#"[{"code":"x"}]"#.to_vec(), Unparsed::NoEnvelope),
        ("a number", b"42".to_vec(), Unparsed::NoEnvelope),
        ("another shape", br#"{"detail":"Not Found"}"#.to_vec(), Unparsed::NoEnvelope),
    ];
    for_each_api!(|api, _with_code| {
        for (name, body, reason) in &cases {
            for http in [400, 429, 502, 503] {
                let error = api::Error::from_response(status(http), &HeaderMap::new(), body);
                assert_kept!(error, status(http), body);
                assert_eq!(error.body().unparsed(), Some(reason), "{name} {http}");
                assert_eq!(error.code(), None, "{name}");
                assert_eq!(error.message(), error.status().description(), "{name}");
                assert_eq!(
                    error.retry_policy(),
                    error.status().retry_policy(),
                    "{name}"
                );
            }
        }
    });
}

#[test]
fn ten_megabytes_are_not_parsed_and_only_their_start_is_kept() {
    let message = "x".repeat(10 << 20);
    for_each_api!(|api, with_code| {
        let body = with_code(Value::String(message.clone()));
        let body = body.as_bytes();
        assert!(body.len() > MAX_PARSED_BODY);
        let error = api::Error::from_response(status(503), &HeaderMap::new(), body);
        assert_kept!(error, status(503), body);
        assert_eq!(
            error.body().unparsed(),
            Some(&Unparsed::TooLarge { len: body.len() })
        );
        assert!(error.body().is_truncated());
        assert_eq!(error.body().raw().len(), MAX_RAW_BODY);
        assert_eq!(error.code(), None);
    });
}

#[test]
fn codes_of_the_wrong_json_type_stay_raw_beside_the_message() {
    for_each_api!(|api, with_code| {
        for code in [
            json!(true),
            json!(null),
            json!(1.5),
            json!(1e3),
            json!([40001]),
            json!({ "code": "x" }),
        ] {
            let body = with_code(code.clone());
            let error = api::Error::from_response(status(400), &HeaderMap::new(), body.as_bytes());
            assert_kept!(error, status(400), body.as_bytes());
            assert_eq!(error.body().unparsed(), None, "{body}");
            assert_eq!(error.code(), None, "{body}");
            assert_eq!(error.wire_message(), Some("m"), "{body}");
            assert!(error.extra().values().any(|v| *v == code), "{body}");
        }
    });
}

#[test]
fn codes_no_page_documents_are_kept_as_unknown() {
    for_each_api!(|api, with_code| {
        for (code, wire) in [
            (json!(-1), "-1"),
            (json!(u64::MAX), "18446744073709551615"),
            (json!(""), ""),
            (json!("49999"), "49999"),
            (json!("<script>"), "<script>"),
            (json!("x".repeat(100_000)), &*"x".repeat(100_000)),
        ] {
            let body = with_code(code);
            let error = api::Error::from_response(status(400), &HeaderMap::new(), body.as_bytes());
            assert_kept!(error, status(400), body.as_bytes());
            let code = error.code().expect("a code of a documented type");
            assert!(code.is_unknown(), "{body:.80}");
            assert_eq!(code.as_str(), wire);
            assert_eq!(error.solution(), None);
            assert_eq!(error.retry_policy(), error.status().retry_policy());
        }
    });
}

#[test]
fn unknown_fields_are_kept_and_documented_fields_of_another_type_too() {
    let hms = br#"{"error":{"code":"rate_limit_exceeded","message":"slow","param":7,"type":"rate_limit","request_id":"r-1","nested":{"a":[1,2]}},"trace":"t"}"#;
    let error = hms_sovereign::Error::from_response(status(429), &HeaderMap::new(), hms);
    assert_kept!(error, status(429), hms);
    assert_eq!(
        error.code(),
        Some(&hms_sovereign::ErrorCode::RateLimitExceeded)
    );
    assert_eq!(error.extra()["request_id"], "r-1");
    assert_eq!(error.extra()["nested"], json!({"a": [1, 2]}));
    assert_eq!(error.extra()["param"], 7, "param is documented as a string");

    let voice = br#"{"status":"429 VelocityConstraint","errorCode":42901,"message":"slow","reference":null,"extra":[true]}"#;
    let error = sinch_voice::Error::from_response(status(429), &HeaderMap::new(), voice);
    assert_kept!(error, status(429), voice);
    assert_eq!(
        error.code(),
        Some(&sinch_voice::ErrorCode::VelocityConstraint)
    );
    assert_eq!(error.extra()["extra"], json!([true]));
    assert_eq!(error.extra()["reference"], Value::Null);

    let numbers = br#"{"error":{"code":"400","message":"bad","status":"INVALID_ARGUMENT","details":{},"unexpected":1}}"#;
    let error = sinch_numbers::Error::from_response(status(400), &HeaderMap::new(), numbers);
    assert_kept!(error, status(400), numbers);
    assert_eq!(
        error.code(),
        Some(&sinch_numbers::ErrorCode::InvalidArgument)
    );
    assert_eq!(
        error.extra()["code"],
        "400",
        "code is documented as an integer"
    );
    assert_eq!(error.extra()["unexpected"], 1);
}

#[test]
fn hostile_retry_after_headers_never_exceed_the_cap() {
    let body = br#"{"error":{"code":"rate_limit_exceeded","message":"slow"}}"#;
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    for value in [
        &b"99999999999999999999999999"[..],
        b"Fri, 31 Dec 9999 23:59:59 GMT",
        b"-1",
        b"1e9",
        b"\xff\xfe",
        b"",
        b"   ",
    ] {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_bytes(value).unwrap());
        let error = hms_sovereign::Error::from_response(status(429), &headers, body);
        let cap = error.retry_policy().unwrap().retry_after.unwrap().cap;
        let delay = error
            .retry_delay_at(1, now, &mut JitterRng::with_seed(1))
            .unwrap();
        assert!(delay <= cap, "{value:?}: {delay:?}");
    }
}

/// The decoding of the `from_response` fuzz target: `<status>[ <Retry-After>]\n<body>`.
fn decode(data: &[u8]) -> (StatusCode, HeaderMap, &[u8]) {
    let (head, body) = match data.iter().position(|&b| b == b'\n') {
        Some(i) if i > 0 && data[..i.min(3)].iter().all(u8::is_ascii_digit) => {
            (&data[..i], &data[i + 1..])
        }
        _ => (&b"500"[..], data),
    };
    let digits = head
        .iter()
        .take(3)
        .take_while(|b| b.is_ascii_digit())
        .count();
    let number = std::str::from_utf8(&head[..digits])
        .ok()
        .and_then(|s| s.parse::<u16>().ok())
        .unwrap_or(500);
    let mut headers = HeaderMap::new();
    if let Some(Ok(value)) = head.get(digits + 1..).map(HeaderValue::from_bytes) {
        headers.insert("retry-after", value);
    }
    (status(number.clamp(100, 999)), headers, body)
}

#[test]
fn the_fuzz_corpus_replays_cleanly() {
    let dir = std::path::Path::new("../fuzz/corpus/from_response");
    let mut replayed = 0;
    for entry in std::fs::read_dir(dir).expect("fuzz/corpus/from_response is checked in") {
        let data = std::fs::read(entry.unwrap().path()).unwrap();
        let (status, headers, body) = decode(&data);
        for_each_api!(|api, _with_code| {
            let error = api::Error::from_response(status, &headers, body);
            assert_kept!(error, status, body);
            for attempt in 0..4 {
                let _ = error.retry_delay_at(attempt, UNIX_EPOCH, &mut JitterRng::with_seed(1));
            }
        });
        replayed += 1;
    }
    assert!(replayed >= 10, "only {replayed} seeds");
}

proptest! {
    #[test]
    fn random_bytes_never_panic(
        body in proptest::collection::vec(any::<u8>(), 0..2048),
        http in 100u16..=999,
        retry_after in proptest::collection::vec(any::<u8>(), 0..40),
    ) {
        let mut headers = HeaderMap::new();
        if let Ok(value) = HeaderValue::from_bytes(&retry_after) {
            headers.insert("retry-after", value);
        }
        for_each_api!(|api, _with_code| {
            let error = api::Error::from_response(status(http), &headers, &body);
            assert_kept!(error, status(http), &body[..]);
            let _ = error.retry_delay_at(1, UNIX_EPOCH, &mut JitterRng::with_seed(3));
        });
    }

    #[test]
    fn random_json_never_panics(
        code in prop_oneof![
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(|x| json!(x)),
            ".{0,20}".prop_map(Value::from),
            any::<bool>().prop_map(Value::from),
            Just(Value::Null),
        ],
        message in ".{0,40}",
        http in 100u16..=999,
    ) {
        for_each_api!(|api, with_code| {
            let mut body: Value = errspec::serde_json::from_str(&with_code(code.clone())).unwrap();
            if let Some(object) = body.as_object_mut() {
                object.insert("text".into(), Value::from(message.clone()));
            }
            let bytes = errspec::serde_json::to_vec(&body).unwrap();
            let error = api::Error::from_response(status(http), &HeaderMap::new(), &bytes);
            assert_kept!(error, status(http), &bytes[..]);
            prop_assert!(error.body().unparsed().is_none());
        });
    }
}
