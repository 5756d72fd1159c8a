//! The runtime's retry policy: the backoff formula, caps, attempt counting and saturation.

use std::time::Duration;

use errspec::{Jitter, RetryPolicy};

const fn policy(
    initial_ms: u64,
    multiplier: f64,
    max_delay_ms: u64,
    max_attempts: u32,
) -> RetryPolicy {
    RetryPolicy {
        name: "test",
        initial: Duration::from_millis(initial_ms),
        multiplier,
        max_delay: Duration::from_millis(max_delay_ms),
        max_attempts,
        jitter: Jitter::None,
        retry_after: None,
        methods: errspec::Methods::IDEMPOTENT,
    }
}

#[test]
fn hms_rule_three_attempts_one_then_two_seconds() {
    // min(1000 * 2^i, 30000) between three tries in all.
    let hms = policy(1_000, 2.0, 30_000, 3);
    assert_eq!(hms.backoff(1), Some(Duration::from_secs(1)));
    assert_eq!(hms.backoff(2), Some(Duration::from_secs(2)));
    assert_eq!(hms.backoff(3), None, "the third attempt is the last");
}

#[test]
fn delays_double_until_the_cap() {
    let p = policy(1_000, 2.0, 30_000, 10);
    let delays: Vec<u64> = (1..10)
        .map(|n| p.backoff(n).unwrap().as_millis() as u64)
        .collect();
    assert_eq!(
        delays,
        [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000]
    );
}

#[test]
fn attempt_zero_and_past_the_limit_allow_nothing() {
    let p = policy(1_000, 2.0, 30_000, 3);
    assert_eq!(p.backoff(0), None);
    assert_eq!(p.backoff(u32::MAX), None);
    assert!(!p.allows_retry_after(0));
    assert!(p.allows_retry_after(2));
    assert!(!p.allows_retry_after(3));
}

#[test]
fn huge_attempt_numbers_saturate_at_the_cap() {
    let p = policy(1_000, 2.0, 30_000, u32::MAX);
    assert_eq!(p.backoff(5_000), Some(Duration::from_secs(30)));
    assert_eq!(p.backoff(u32::MAX - 1), Some(Duration::from_secs(30)));
    let steep = policy(u64::MAX / 2, 1000.0, u64::MAX, u32::MAX);
    assert_eq!(steep.backoff(3), Some(Duration::from_millis(u64::MAX)));
}

#[test]
fn constant_backoff_keeps_its_delay() {
    let p = policy(500, 1.0, 500, 5);
    assert!((1..5).all(|n| p.backoff(n) == Some(Duration::from_millis(500))));
}

#[test]
fn a_single_attempt_never_retries() {
    let p = policy(1_000, 2.0, 30_000, 1);
    assert_eq!(p.backoff(1), None);
}
