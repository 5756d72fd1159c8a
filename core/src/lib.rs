//! The formulas both halves of errspec must compute alike, written once: the hash the
//! generator builds lookup tables with and the runtime probes them with, which wire values are
//! numbers, the percent-encoding of a code in a documentation address, and the backoff delay
//! the runtime waits and the reference docs print.
//!
//! This crate has no dependencies; `errspec` and `errspec-codegen` re-export what their users
//! need, so depend on those rather than on this.

#![deny(missing_docs)]

use std::time::Duration;

/// The multiplier of the hash (the golden ratio in 64-bit fixed point).
const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// The hash of a wire value: eight bytes at a time, multiply and fold.
#[inline]
pub fn hash_str(bytes: &[u8]) -> u64 {
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        h = (h ^ u64::from_le_bytes(word)).wrapping_mul(K);
        h ^= h >> 29;
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        h = (h ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    h ^ (h >> 32)
}

/// The hash of a numeric wire value.
#[inline]
pub fn hash_u32(n: u32) -> u64 {
    let h = (u64::from(n) ^ 0x5851_F42D_4C95_7F2D).wrapping_mul(K);
    h ^ (h >> 32)
}

/// `raw` as a number, if it is one written the way an integer API writes its codes: plain
/// decimal digits, no sign, no leading zero, at most `u32::MAX`.
#[inline]
pub fn canonical_u32(raw: &str) -> Option<u32> {
    let bytes = raw.as_bytes();
    if bytes.is_empty() || bytes.len() > 10 || (bytes[0] == b'0' && bytes.len() > 1) {
        return None;
    }
    let mut n: u64 = 0;
    for &b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u64::from(b - b'0');
    }
    u32::try_from(n).ok()
}

/// `text` appended to `out` with every byte outside RFC 3986's unreserved characters
/// percent-encoded, so that a wire value is one path segment or query value whatever it holds.
pub fn push_percent_encoded(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
}

/// The first slot to probe for `hash` in a table of `2^bits` slots. `bits` is from 1 to 63 in
/// tables the generator builds; 0, or anything past 64, gives slot 0 rather than a shift
/// overflow.
#[inline]
pub fn slot(hash: u64, bits: u32) -> usize {
    hash.wrapping_mul(K)
        .checked_shr(64u32.wrapping_sub(bits))
        .unwrap_or(0) as usize
}

/// The backoff delay after failed attempt `attempt` (numbered from 1), before jitter:
/// `initial × multiplier^(attempt − 1)`, capped at `max`.
///
/// Saturates instead of overflowing: a NaN, infinite or oversized product is `max`, and a zero
/// `initial` is zero whatever the factor. Attempt 0 is treated as attempt 1.
///
/// ```
/// use std::time::Duration;
///
/// let delays: Vec<u64> = (1..=7)
///     .map(|n| errspec_core::backoff(Duration::from_secs(1), 2.0, Duration::from_secs(30), n))
///     .map(|d| d.as_secs())
///     .collect();
/// assert_eq!(delays, [1, 2, 4, 8, 16, 30, 30]);
/// ```
pub fn backoff(initial: Duration, multiplier: f64, max: Duration, attempt: u32) -> Duration {
    if initial.is_zero() {
        // Zero times any factor, an infinite one included, is zero.
        return Duration::ZERO;
    }
    let exponent = i32::try_from(attempt.saturating_sub(1)).unwrap_or(i32::MAX);
    let secs = initial.as_secs_f64() * multiplier.powi(exponent);
    // `try_from_secs_f64` rejects NaN, infinity and values past `Duration::MAX`; all of those
    // are beyond the cap.
    match Duration::try_from_secs_f64(secs) {
        Ok(delay) => delay.min(max),
        Err(_) => max,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_caps_and_saturates() {
        let s = Duration::from_secs;
        assert_eq!(backoff(s(1), 2.0, s(30), 1), s(1));
        assert_eq!(backoff(s(1), 2.0, s(30), 5), s(16));
        assert_eq!(backoff(s(1), 2.0, s(30), 6), s(30));
        assert_eq!(backoff(s(1), 2.0, s(30), u32::MAX), s(30));
        assert_eq!(backoff(s(1), f64::INFINITY, s(30), 2), s(30));
        assert_eq!(backoff(s(1), f64::NAN, s(30), 2), s(30));
        assert_eq!(
            backoff(Duration::ZERO, f64::INFINITY, s(30), 9),
            Duration::ZERO
        );
        assert_eq!(backoff(s(2), 1.0, s(30), 0), s(2));
        assert_eq!(
            backoff(Duration::from_millis(500), 1.5, s(30), 3),
            Duration::from_micros(1_125_000)
        );
    }

    #[test]
    fn slots_stay_in_the_table() {
        for bits in 1..64 {
            for h in [0, 1, u64::MAX, hash_str(b"rate_limited"), hash_u32(40001)] {
                assert!(slot(h, bits) < (1usize << bits));
            }
        }
        assert_eq!(slot(u64::MAX, 0), 0);
        assert_eq!(slot(u64::MAX, 65), 0);
    }
}

/// The numbers of the AWS SDKs' standard retry quota, for the runtime's preset and the
/// generator's `preset: aws_standard` alike.
pub mod aws_standard_budget {
    /// Tokens the bucket holds, and starts with.
    pub const CAPACITY: f64 = 500.0;
    /// The cost of a retry (throttling or transient).
    pub const RETRY_COST: f64 = 5.0;
    /// The cost of a retry after a timeout.
    pub const TIMEOUT_COST: f64 = 10.0;
    /// What a success that needed no retry adds (a success after one refunds its cost).
    pub const SUCCESS_REFILL: f64 = 1.0;
}
