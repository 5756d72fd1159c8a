use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

use crate::budget::{Grant, RetryBudget, RetryCost};
use crate::retry_after::RetryAfterValue;
use crate::signals::{Combine, SignalsRead, WaitSignal};
use crate::RetryClass;

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

impl Jitter {
    /// Applies the jitter to `delay`, drawing from `rng`.
    ///
    /// The result always lies in `[0, delay]`: exactly `delay` for [`None`](Self::None),
    /// uniform in `[0, delay]` for [`Full`](Self::Full) and uniform in `[delay / 2, delay]`
    /// for [`Equal`](Self::Equal). [`None`](Self::None) draws nothing from `rng`.
    ///
    /// ```
    /// use errspec::{Jitter, JitterRng};
    /// use std::time::Duration;
    ///
    /// let mut rng = JitterRng::with_seed(7);
    /// let delay = Duration::from_secs(10);
    /// assert_eq!(Jitter::None.apply(delay, &mut rng), delay);
    /// assert!(Jitter::Full.apply(delay, &mut rng) <= delay);
    /// assert!(Jitter::Equal.apply(delay, &mut rng) >= delay / 2);
    /// ```
    pub fn apply(self, delay: Duration, rng: &mut JitterRng) -> Duration {
        match self {
            Self::None => delay,
            Self::Full => rng.duration_up_to(delay),
            Self::Equal => {
                let half = delay / 2;
                half + rng.duration_up_to(delay - half)
            }
        }
    }
}

/// A small, seedable pseudo-random number generator for jitter (SplitMix64).
///
/// It is fast and statistically good enough to spread retries out, and reproducible from its
/// seed, which makes jittered delays testable. It is not suitable for anything
/// security-related.
///
/// ```
/// use errspec::JitterRng;
///
/// let mut a = JitterRng::with_seed(42);
/// let mut b = JitterRng::with_seed(42);
/// assert_eq!(a.next_u64(), b.next_u64());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct JitterRng {
    state: u64,
}

impl JitterRng {
    /// A generator whose output is determined entirely by `seed`.
    pub const fn with_seed(seed: u64) -> Self {
        Self { state: seed }
    }

    /// A generator seeded from the standard library's per-process random hashing keys and the
    /// current time, so that clients started together do not retry in step.
    pub fn from_entropy() -> Self {
        let mut hasher = RandomState::new().build_hasher();
        let since_epoch = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default();
        hasher.write_u128(since_epoch.as_nanos());
        hasher.write_usize(std::process::id() as usize);
        Self::with_seed(hasher.finish())
    }

    /// The next 64 pseudo-random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number drawn uniformly from `[0, max]` (by rejection, so without bias).
    fn u128_up_to(&mut self, max: u128) -> u128 {
        // The smallest all-ones mask covering `max` (zero for zero, which draws nothing).
        let mask = u128::MAX.checked_shr(max.leading_zeros()).unwrap_or(0);
        if mask == 0 {
            return 0;
        }
        loop {
            let bits = if mask <= u128::from(u64::MAX) {
                u128::from(self.next_u64())
            } else {
                (u128::from(self.next_u64()) << 64) | u128::from(self.next_u64())
            };
            let candidate = bits & mask;
            if candidate <= max {
                return candidate;
            }
        }
    }

    /// A duration drawn uniformly from `[0, max]`, to the nanosecond.
    fn duration_up_to(&mut self, max: Duration) -> Duration {
        const NANOS_PER_SEC: u128 = 1_000_000_000;
        let nanos = self.u128_up_to(max.as_nanos());
        // `nanos <= max.as_nanos()`, so the seconds fit in a `u64`.
        let secs = u64::try_from(nanos / NANOS_PER_SEC).unwrap_or(u64::MAX);
        let subsec = u32::try_from(nanos % NANOS_PER_SEC).unwrap_or(0);
        Duration::new(secs, subsec)
    }
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

/// Where a delay resolved by [`RetryAfter::resolve`] comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RetryAfterSource {
    /// The server's `Retry-After` header.
    Header,
    /// The policy's default, because the header was missing or unusable.
    Default,
}

/// The delay a policy takes from a `Retry-After` header, with how it was arrived at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RetryAfterDelay {
    /// How long to wait before the next request.
    pub delay: Duration,
    /// Whether the delay comes from the header or from the policy's default.
    pub source: RetryAfterSource,
    /// Whether the header asked for more than the policy's cap and was cut to it.
    pub capped: bool,
}

impl RetryAfter {
    /// The delay to wait, given the parsed header `value` (if the response had one) and the
    /// time `now` the response was received at.
    ///
    /// * No header, or an [`Invalid`](RetryAfterValue::Invalid) one: the policy's `default`.
    /// * A number of seconds: that delay.
    /// * A date: the time from `now` until then, or zero for a date that has passed.
    ///
    /// A delay from the header is cut to `cap`, and `capped` tells whether it was. Never
    /// panics, whatever the value.
    ///
    /// ```
    /// use errspec::{RetryAfter, RetryAfterSource, RetryAfterValue};
    /// use std::time::{Duration, SystemTime};
    ///
    /// let policy = RetryAfter {
    ///     header: "Retry-After",
    ///     default: Duration::from_secs(60),
    ///     cap: Duration::from_secs(3600),
    /// };
    /// let now = SystemTime::now();
    ///
    /// let parsed = RetryAfterValue::parse(b"120");
    /// let resolved = policy.resolve(Some(&parsed), now);
    /// assert_eq!(resolved.delay, Duration::from_secs(120));
    /// assert_eq!(resolved.source, RetryAfterSource::Header);
    /// assert!(!resolved.capped);
    ///
    /// let parsed = RetryAfterValue::parse(b"86400");
    /// let resolved = policy.resolve(Some(&parsed), now);
    /// assert_eq!(resolved.delay, Duration::from_secs(3600));
    /// assert!(resolved.capped);
    ///
    /// let resolved = policy.resolve(None, now);
    /// assert_eq!(resolved.delay, Duration::from_secs(60));
    /// assert_eq!(resolved.source, RetryAfterSource::Default);
    /// ```
    pub fn resolve(&self, value: Option<&RetryAfterValue>, now: SystemTime) -> RetryAfterDelay {
        let requested = match value {
            Some(RetryAfterValue::Delay(delay)) => *delay,
            // A date in the past (or now) means the request may be retried at once.
            Some(RetryAfterValue::Date(date)) => date.duration_since(now).unwrap_or_default(),
            Some(RetryAfterValue::Invalid) | None => {
                return RetryAfterDelay {
                    delay: self.default,
                    source: RetryAfterSource::Default,
                    capped: false,
                };
            }
        };
        RetryAfterDelay {
            delay: requested.min(self.cap),
            source: RetryAfterSource::Header,
            capped: requested > self.cap,
        }
    }
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
        Some(errspec_core::backoff(
            self.initial,
            self.multiplier,
            self.max_delay,
            attempt,
        ))
    }

    /// The delay after the failed attempt `attempt` (numbered from 1) with the policy's
    /// [`Jitter`] applied: [`backoff(attempt)`](Self::backoff) drawn down by `rng`.
    ///
    /// Returns `None` when the policy allows no further attempt. The delay always lies in
    /// `[0, backoff(attempt)]`, and so in `[0, max_delay]`.
    ///
    /// ```
    /// use errspec::{Jitter, JitterRng, RetryPolicy};
    /// use std::time::Duration;
    ///
    /// let policy = RetryPolicy {
    ///     name: "transient",
    ///     initial: Duration::from_secs(1),
    ///     multiplier: 2.0,
    ///     max_delay: Duration::from_secs(30),
    ///     max_attempts: 8,
    ///     jitter: Jitter::Equal,
    ///     retry_after: None,
    /// };
    /// let mut rng = JitterRng::with_seed(1);
    /// let delay = policy.delay(3, &mut rng).unwrap();
    /// assert!(delay >= Duration::from_secs(2) && delay <= Duration::from_secs(4));
    ///
    /// // The same seed gives the same delays.
    /// assert_eq!(policy.delay(3, &mut JitterRng::with_seed(1)), Some(delay));
    /// assert_eq!(policy.delay(8, &mut rng), None);
    /// ```
    pub fn delay(&self, attempt: u32, rng: &mut JitterRng) -> Option<Duration> {
        self.backoff(attempt)
            .map(|delay| self.jitter.apply(delay, rng))
    }

    /// The retry decision after attempt `attempt` (numbered from 1) failed without a response
    /// (a refused connection, a timeout): the policy's attempt limit, its backoff with jitter
    /// drawn from `rng`, and the budget, charged as `cost`, when given.
    pub fn decision_without_response(
        &self,
        attempt: u32,
        rng: &mut JitterRng,
        budget: Option<&RetryBudget>,
        cost: RetryCost,
    ) -> RetryDecision {
        let Some(delay) = self.delay(attempt, rng) else {
            return RetryDecision::Stop(StopReason::AttemptsExhausted);
        };
        match budget.map(|budget| budget.try_retry(cost)) {
            Some(None) => RetryDecision::Stop(StopReason::BudgetExhausted),
            Some(grant) => RetryDecision::Retry { delay, grant },
            None => RetryDecision::Retry { delay, grant: None },
        }
    }

    /// The one retry decision: how long to wait after the failed attempt `attempt` (numbered
    /// from 1) of a response received at `now` that carried `retry_after` (the policy's
    /// header, parsed). `None` when the policy allows no further attempt; when the policy
    /// honours `Retry-After`, the header's delay capped, or the policy's default without one;
    /// else the backoff with its jitter drawn from `rng`.
    ///
    /// ```
    /// use errspec::{Jitter, JitterRng, RetryAfter, RetryAfterValue, RetryPolicy};
    /// use std::time::{Duration, SystemTime};
    ///
    /// let policy = RetryPolicy {
    ///     name: "rate_limited",
    ///     initial: Duration::from_secs(1),
    ///     multiplier: 2.0,
    ///     max_delay: Duration::from_secs(30),
    ///     max_attempts: 3,
    ///     jitter: Jitter::None,
    ///     retry_after: Some(RetryAfter {
    ///         header: "Retry-After",
    ///         default: Duration::from_secs(60),
    ///         cap: Duration::from_secs(3600),
    ///     }),
    /// };
    /// let (now, rng) = (SystemTime::now(), &mut JitterRng::with_seed(1));
    /// let sent = RetryAfterValue::parse(b"3");
    /// assert_eq!(policy.retry_delay_at(1, Some(&sent), now, rng), Some(Duration::from_secs(3)));
    /// assert_eq!(policy.retry_delay_at(1, None, now, rng), Some(Duration::from_secs(60)));
    /// assert_eq!(policy.retry_delay_at(3, Some(&sent), now, rng), None);
    /// ```
    pub fn retry_delay_at(
        &self,
        attempt: u32,
        retry_after: Option<&RetryAfterValue>,
        now: SystemTime,
        rng: &mut JitterRng,
    ) -> Option<Duration> {
        match &self.retry_after {
            Some(policy) if self.allows_retry_after(attempt) => {
                Some(policy.resolve(retry_after, now).delay)
            }
            Some(_) => None,
            // `delay` checks the attempt limit itself.
            None => self.delay(attempt, rng),
        }
    }
}

/// Why the retry decision says not to retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StopReason {
    /// Neither the code nor the status has a retry policy: the documentation does not call the
    /// error passing.
    NotRetryable,
    /// The policy's attempts are spent.
    AttemptsExhausted,
    /// The server said not to retry (a "should retry: false" header, or a negative or
    /// unreadable gRPC pushback).
    ServerSaidNo,
    /// The client's retry budget cannot pay for another retry.
    BudgetExhausted,
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StopReason::NotRetryable => "the error is not retryable",
            StopReason::AttemptsExhausted => "the retry policy's attempts are spent",
            StopReason::ServerSaidNo => "the server said not to retry",
            StopReason::BudgetExhausted => "the retry budget is exhausted",
        })
    }
}

/// The retry decision for one failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RetryDecision {
    /// Retry after `delay`; `grant` is what the budget gave, to hand back on success
    /// ([`RetryBudget::on_success`]).
    Retry {
        /// How long to wait before the next request.
        delay: Duration,
        /// The budget's grant, when a budget was consulted.
        grant: Option<Grant>,
    },
    /// Do not retry, and why.
    Stop(StopReason),
}

impl RetryDecision {
    /// The delay, when the decision is to retry.
    pub fn delay(&self) -> Option<Duration> {
        match self {
            RetryDecision::Retry { delay, .. } => Some(*delay),
            RetryDecision::Stop(_) => None,
        }
    }
}

/// What one response says for the retry decision.
pub(crate) struct Evidence<'a> {
    pub(crate) status: http::StatusCode,
    /// The policy of the code, else of the status.
    pub(crate) policy: Option<&'static RetryPolicy>,
    /// The policy's `Retry-After` header, parsed.
    pub(crate) retry_after: Option<&'a RetryAfterValue>,
    /// The API's declared wait signals, and what the response said by them.
    pub(crate) signals: &'static [WaitSignal],
    pub(crate) read: Option<&'a SignalsRead>,
}

/// The one retry decision, for every adapter: the server's verdict (a "no" stops; a "yes"
/// retries by the signal's policy an error no policy retries), then the policy's attempt limit,
/// the delay (the first usable wait signal combined with the policy's own delay, which is its
/// `Retry-After` or default when it honours one, else its backoff with jitter), then the budget.
pub(crate) fn decide(
    evidence: &Evidence<'_>,
    attempt: u32,
    now: SystemTime,
    rng: &mut JitterRng,
    budget: Option<&RetryBudget>,
) -> RetryDecision {
    let verdict = evidence.read.and_then(|read| read.verdict);
    let policy = match verdict {
        Some((_, false)) => return RetryDecision::Stop(StopReason::ServerSaidNo),
        Some((i, true)) => evidence
            .policy
            .or_else(|| evidence.signals.get(i).and_then(|s| s.policy)),
        None => evidence.policy,
    };
    let Some(policy) = policy else {
        return RetryDecision::Stop(StopReason::NotRetryable);
    };
    let Some(computed) = policy.retry_delay_at(attempt, evidence.retry_after, now, rng) else {
        return RetryDecision::Stop(StopReason::AttemptsExhausted);
    };
    let delay = match evidence
        .read
        .and_then(|read| read.delay(evidence.signals, now))
    {
        Some((signal, Combine::Replace)) => signal,
        Some((signal, Combine::Max)) => signal.max(computed),
        None => computed,
    };
    let grant = match budget {
        None => None,
        Some(budget) => {
            let class = RetryClass::classify(evidence.status, Some(policy));
            match budget.try_retry(class.into()) {
                Some(grant) => Some(grant),
                None => return RetryDecision::Stop(StopReason::BudgetExhausted),
            }
        }
    };
    RetryDecision::Retry { delay, grant }
}
