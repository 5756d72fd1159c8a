//! Rendering documented responses: every code of the three APIs renders to a response that
//! `Error::from_response` reads back as the same code, status and message; overridden messages
//! and fields, hostile strings included, come back as they went in.

use std::time::Duration;

use errspec::http::StatusCode;
use errspec_apis::{hms_sovereign as hms, sinch_numbers as numbers, sinch_voice as voice};
use proptest::prelude::*;

macro_rules! round_trip_every_code {
    ($api:ident) => {{
        let mut n = 0;
        let examples = $api::ErrorCode::examples();
        assert_eq!(examples.len(), $api::ErrorCode::ALL.len());
        for (code, response) in examples {
            let body: serde_json::Value = serde_json::from_slice(response.body())
                .unwrap_or_else(|e| panic!("{code:?}: body is not JSON: {e}"));
            assert!(body.is_object(), "{code:?}: {body}");
            assert_eq!(
                response.headers()["content-type"],
                "application/json",
                "{code:?}"
            );
            let read =
                $api::Error::from_response(response.status(), response.headers(), response.body());
            assert_eq!(read.code(), Some(&code), "{code:?}: {body}");
            assert!(!read.code_is_alias(), "{code:?}");
            assert_eq!(Some(read.status()), code.status(), "{code:?}");
            assert_eq!(read.message(), code.message(), "{code:?}");
            assert!(read.extra().is_empty(), "{code:?}: {:?}", read.extra());
            assert_eq!(read.body().unparsed(), None, "{code:?}");
            // The wait is the documented one when the code's policy honours Retry-After.
            match code.retry_policy().and_then(|p| p.retry_after.as_ref()) {
                Some(ra) => {
                    let sent: u64 = response.headers()[ra.header]
                        .to_str()
                        .unwrap()
                        .parse()
                        .unwrap();
                    assert_eq!(Duration::from_secs(sent), ra.default, "{code:?}");
                }
                None => assert!(response.headers().get("retry-after").is_none(), "{code:?}"),
            }
            n += 1;
        }
        assert_eq!(n, $api::ErrorCode::ALL.len());
    }};
}

#[test]
fn every_documented_code_reads_back_as_itself() {
    round_trip_every_code!(hms);
    round_trip_every_code!(voice);
    round_trip_every_code!(numbers);
}

/// The reference page shows, for each code the documentation gives no example of, exactly the
/// body `response()` sends.
macro_rules! docs_show_the_rendered_body {
    ($api:ident, $page:literal) => {{
        let page = include_str!(concat!("../docs/", $page));
        let mut shown = 0;
        for (code, response) in $api::ErrorCode::examples() {
            let body = std::str::from_utf8(response.body()).unwrap();
            let anchor = format!("<a id=\"{}\"></a>", code.docs_anchor().unwrap());
            let entry = &page[page.find(&anchor).expect("the code's entry")..];
            let entry = &entry[..entry[1..].find("#### ").map_or(entry.len(), |e| e + 1)];
            if entry.contains("generated (the page shows none)") {
                assert!(
                    entry.contains(&format!("```json\n{body}\n```")),
                    "{code:?}: the page's generated body is not what response() sends: {body}\n{entry}"
                );
                shown += 1;
            } else {
                assert!(entry.contains("as the page shows it"), "{code:?}: no example at all");
            }
        }
        shown
    }};
}

#[test]
fn the_reference_pages_show_the_body_response_sends() {
    assert_eq!(docs_show_the_rendered_body!(hms, "hms_sovereign.md"), 22);
    assert!(docs_show_the_rendered_body!(numbers, "sinch_numbers.md") > 0);
    assert_eq!(docs_show_the_rendered_body!(voice, "sinch_voice.md"), 0);
}

#[test]
fn a_status_documented_for_its_own_envelope_is_written_in_it() {
    // Sinch Numbers answers 400 and 403 as `{code, text}`, the rest in `{"error": {...}}`.
    let bad = numbers::ErrorCode::ALL
        .iter()
        .find(|c| c.status().map(numbers::Status::as_u16) == Some(400))
        .expect("a 400 code");
    let body: serde_json::Value = serde_json::from_slice(bad.response().body()).unwrap();
    assert!(
        body.get("text").is_some() && body.get("error").is_none(),
        "{body}"
    );
    // Sent with another status, the same code goes in the envelope documented for any status.
    let other = bad.response_builder().status(StatusCode::NOT_FOUND).build();
    let body: serde_json::Value = serde_json::from_slice(other.body()).unwrap();
    assert!(body["error"]["status"].is_string(), "{body}");
    let read = numbers::Error::from_response(other.status(), other.headers(), other.body());
    assert_eq!(read.code(), Some(bad));
}

#[test]
fn integer_codes_are_written_as_numbers() {
    let body: serde_json::Value =
        serde_json::from_slice(voice::ErrorCode::PaymentRequired.response().body()).unwrap();
    assert!(
        body.to_string().contains("40200") && !body.to_string().contains("\"40200\""),
        "{body}"
    );
}

#[test]
fn overrides_are_sent_as_given() {
    let response = hms::ErrorCode::InsufficientCredits
        .response_builder()
        .status(StatusCode::SERVICE_UNAVAILABLE)
        .without_message()
        .retry_after(Some(Duration::from_millis(1500)))
        .build();
    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["retry-after"], "2");
    let read = hms::Error::from_response(response.status(), response.headers(), response.body());
    assert_eq!(read.code(), Some(&hms::ErrorCode::InsufficientCredits));
    assert_eq!(read.wire_message(), None);
}

/// Strings a body must carry intact: quotes, backslashes, control characters, non-ASCII.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::collection::vec(
            prop::sample::select(vec![
                "\"",
                "\\",
                "\n",
                "\r",
                "\t",
                "\u{0}",
                "\u{1f}",
                "\u{7f}",
                "\u{85}",
                "\u{2028}",
                "\u{202e}",
                "é",
                "🚀",
                "{",
                "}",
                "</script>",
                "$serde_json::private::Number",
            ]),
            0..12
        )
        .prop_map(|parts| parts.concat()),
    ]
}

proptest! {
    #[test]
    fn rendered_bodies_are_json_and_read_back_identically(
        message in hostile(),
        param in hostile(),
        key in "[a-z_]{1,12}",
        value in hostile(),
        number in any::<i64>(),
    ) {
        prop_assume!(!["code", "message", "param", "type", "n"].contains(&key.as_str()));
        let response = hms::ErrorCode::InsufficientCredits
            .response_builder()
            .message(message.clone())
            .field("param", param.clone())
            .field(&key, value.clone())
            .field("n", number)
            .build();
        let body: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
        prop_assert!(body.is_object());
        let read = hms::Error::from_response(response.status(), response.headers(), response.body());
        prop_assert_eq!(read.code(), Some(&hms::ErrorCode::InsufficientCredits));
        prop_assert_eq!(read.wire_message(), Some(message.as_str()));
        let param_read = match read.envelope() {
            Some(hms::Envelope::ErrorObject { param, .. }) => param.clone(),
            other => return Err(TestCaseError::fail(format!("{other:?}"))),
        };
        prop_assert_eq!(param_read, Some(param));
        prop_assert_eq!(read.extra().get(&key), Some(&serde_json::Value::from(value)));
        prop_assert_eq!(read.extra().get("n"), Some(&serde_json::Value::from(number)));
    }
}
