use std::time::Duration;

/// How a random part is added to a backoff delay.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Jitter {
    /// No randomness: the delay is exactly the exponential formula.
    #[default]
    None,
    /// A delay drawn uniformly from `[0, delay]`.
    Full,
    /// Half the delay plus a part drawn uniformly from `[0, delay / 2]`.
    Equal,
}

/// How a policy honours the server's `Retry-After` header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RetryAfter {
    /// The header to read, as the documentation names it.
    pub header: &'static str,
    /// The delay to use when the header is missing or unusable.
    pub default: Duration,
    /// The longest delay taken from the header; longer values are cut to this.
    pub cap: Duration,
}

/// An executable retry policy: exponential backoff with optional jitter and `Retry-After`.
///
/// Attempts are numbered from 1: attempt 1 is the first request. After attempt `n` fails, the
/// client waits [`backoff(n)`](Self::backoff) and tries again, until `max_attempts` requests
/// have been made.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RetryPolicy {
    /// The policy's name in the spec.
    pub name: &'static str,
    /// The delay after the first failed attempt.
    pub initial: Duration,
    /// The factor each further delay grows by (1.0 for a constant delay).
    pub multiplier: f64,
    /// The longest backoff delay.
    pub max_delay: Duration,
    /// How many requests are made in all, the first one included.
    pub max_attempts: u32,
    /// The random part added to each delay.
    pub jitter: Jitter,
    /// How the `Retry-After` header is honoured, if at all.
    pub retry_after: Option<RetryAfter>,
}

impl RetryPolicy {
    /// Whether another request may follow the failed attempt `attempt` (numbered from 1).
    pub fn allows_retry_after(&self, attempt: u32) -> bool {
        attempt >= 1 && attempt < self.max_attempts
    }

    /// The backoff delay after the failed attempt `attempt` (numbered from 1), without jitter
    /// and without `Retry-After`: `initial × multiplier^(attempt − 1)`, capped at `max_delay`.
    ///
    /// Returns `None` when the policy allows no further attempt. Saturates for any attempt
    /// number instead of overflowing.
    ///
    /// ```
    /// use errspec::{Jitter, RetryPolicy};
    /// use std::time::Duration;
    ///
    /// let policy = RetryPolicy {
    ///     name: "transient",
    ///     initial: Duration::from_secs(1),
    ///     multiplier: 2.0,
    ///     max_delay: Duration::from_secs(30),
    ///     max_attempts: 8,
    ///     jitter: Jitter::None,
    ///     retry_after: None,
    /// };
    /// let delays: Vec<u64> = (1..=8).map_while(|n| policy.backoff(n)).map(|d| d.as_secs()).collect();
    /// assert_eq!(delays, [1, 2, 4, 8, 16, 30, 30]);
    /// ```
    pub fn backoff(&self, attempt: u32) -> Option<Duration> {
        if !self.allows_retry_after(attempt) {
            return None;
        }
        let exponent = i32::try_from(attempt - 1).unwrap_or(i32::MAX);
        let factor = self.multiplier.powi(exponent);
        let secs = self.initial.as_secs_f64() * factor;
        let max = self.max_delay;
        // `try_from_secs_f64` rejects NaN, infinity and values past `Duration::MAX`; all of
        // those are beyond the cap.
        Some(match Duration::try_from_secs_f64(secs) {
            Ok(delay) => delay.min(max),
            Err(_) => max,
        })
    }
}
