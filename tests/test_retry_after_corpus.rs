//! Replays the `retry_after` fuzz seeds (`fuzz/corpus/retry_after/`, one header value per
//! file) through the same checks as the fuzz target: parsing never panics, the header map
//! agrees with the bytes, digits are always a delay, and a delay from the header never
//! exceeds the cap.

use std::time::{Duration, UNIX_EPOCH};

use errspec::http::{HeaderMap, HeaderValue};
use errspec::{RetryAfter, RetryAfterSource, RetryAfterValue};

fn check(value: &[u8]) {
    let parsed = RetryAfterValue::parse(value);
    if let Ok(header) = HeaderValue::from_bytes(value) {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", header);
        assert_eq!(
            RetryAfterValue::from_headers(&headers, "Retry-After"),
            Some(parsed)
        );
    }
    let trimmed = String::from_utf8_lossy(value);
    let trimmed = trimmed.trim_matches([' ', '\t']);
    if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        assert!(matches!(parsed, RetryAfterValue::Delay(_)), "{value:?}");
    }
    let policy = RetryAfter {
        header: "Retry-After",
        default: Duration::from_secs(60),
        cap: Duration::from_secs(3600),
    };
    for now in [
        UNIX_EPOCH,
        UNIX_EPOCH + Duration::from_secs(784_111_777),
        UNIX_EPOCH + Duration::from_secs(1 << 40),
    ] {
        let resolved = policy.resolve(Some(&parsed), now);
        match resolved.source {
            RetryAfterSource::Header => assert!(resolved.delay <= policy.cap, "{value:?}"),
            RetryAfterSource::Default => assert_eq!(resolved.delay, policy.default),
        }
        assert_eq!(
            resolved.source == RetryAfterSource::Default,
            !parsed.is_valid()
        );
    }
}

#[test]
fn the_fuzz_corpus_replays_cleanly() {
    let dir = std::path::Path::new("fuzz/corpus/retry_after");
    let mut replayed = 0;
    for entry in std::fs::read_dir(dir).expect("fuzz/corpus/retry_after is checked in") {
        check(&std::fs::read(entry.unwrap().path()).unwrap());
        replayed += 1;
    }
    assert!(replayed >= 10, "only {replayed} seeds");
}

#[test]
fn the_seed_values_parse_as_documented() {
    let read = |name: &str| {
        RetryAfterValue::parse(&std::fs::read(format!("fuzz/corpus/retry_after/{name}")).unwrap())
    };
    let date = UNIX_EPOCH + Duration::from_secs(784_111_777);
    assert_eq!(
        read("delay"),
        RetryAfterValue::Delay(Duration::from_secs(120))
    );
    assert_eq!(read("ows"), RetryAfterValue::Delay(Duration::from_secs(30)));
    assert_eq!(
        read("u64_max"),
        RetryAfterValue::Delay(Duration::from_secs(u64::MAX))
    );
    assert_eq!(read("huge"), RetryAfterValue::Delay(Duration::MAX));
    for form in ["imf_fixdate", "rfc850", "asctime"] {
        assert_eq!(read(form), RetryAfterValue::Date(date), "{form}");
    }
    for invalid in [
        "negative", "plus", "fraction", "exponent", "word", "empty", "not_utf8", "bad_date",
    ] {
        assert_eq!(read(invalid), RetryAfterValue::Invalid, "{invalid}");
    }
}
