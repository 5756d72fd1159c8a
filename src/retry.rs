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

/// A set of HTTP methods: those a retry policy may send again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Methods(u16);

impl Methods {
    /// `GET`.
    pub const GET: Methods = Methods(1);
    /// `HEAD`.
    pub const HEAD: Methods = Methods(1 << 1);
    /// `POST`.
    pub const POST: Methods = Methods(1 << 2);
    /// `PUT`.
    pub const PUT: Methods = Methods(1 << 3);
    /// `DELETE`.
    pub const DELETE: Methods = Methods(1 << 4);
    /// `CONNECT`.
    pub const CONNECT: Methods = Methods(1 << 5);
    /// `OPTIONS`.
    pub const OPTIONS: Methods = Methods(1 << 6);
    /// `TRACE`.
    pub const TRACE: Methods = Methods(1 << 7);
    /// `PATCH`.
    pub const PATCH: Methods = Methods(1 << 8);
    /// The idempotent methods of RFC 9110 (section 9.2.2): `GET`, `HEAD`, `OPTIONS`, `TRACE`,
    /// `PUT` and `DELETE`, the default of every policy.
    pub const IDEMPOTENT: Methods = Methods(
        Self::GET.0 | Self::HEAD.0 | Self::OPTIONS.0 | Self::TRACE.0 | Self::PUT.0 | Self::DELETE.0,
    );

    /// Both sets.
    pub const fn with(self, other: Methods) -> Methods {
        Methods(self.0 | other.0)
    }

    /// Whether `method` is in the set (an extension method never is).
    pub fn contains(&self, method: &http::Method) -> bool {
        use http::Method as M;
        let bit = match *method {
            M::GET => Self::GET,
            M::HEAD => Self::HEAD,
            M::POST => Self::POST,
            M::PUT => Self::PUT,
            M::DELETE => Self::DELETE,
            M::CONNECT => Self::CONNECT,
            M::OPTIONS => Self::OPTIONS,
            M::TRACE => Self::TRACE,
            M::PATCH => Self::PATCH,
            _ => return false,
        };
        self.0 & bit.0 != 0
    }

    /// Whether a request may be sent again: its method is in the set, or it carries an
    /// `Idempotency-Key` header, which the server uses to apply it at most once.
    pub fn may_resend(&self, method: &http::Method, headers: &http::HeaderMap) -> bool {
        self.contains(method) || headers.contains_key("idempotency-key")
    }
}

impl Default for Methods {
    fn default() -> Self {
        Methods::IDEMPOTENT
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
    /// The methods it may send again: [`Methods::IDEMPOTENT`] unless the spec lists its own,
    /// which replace them; a request of another method is resent only with an
    /// `Idempotency-Key`, or when the error's code says the request was not processed.
    pub methods: Methods,
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
    /// use errspec::{Jitter, Methods, RetryPolicy};
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
    ///     methods: Methods::IDEMPOTENT,
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
    /// use errspec::{Jitter, JitterRng, Methods, RetryPolicy};
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
    ///     methods: Methods::IDEMPOTENT,
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

    /// The retry decision after attempt `attempt` (numbered from 1) of `request` (its method
    /// and headers) failed without a response (a refused connection, a timeout): the policy's
    /// attempt limit, whether it may resend the request, its backoff with jitter drawn from
    /// `rng`, and the budget, charged as `cost`, when given.
    pub fn decision_without_response(
        &self,
        request: (&http::Method, &http::HeaderMap),
        attempt: u32,
        rng: &mut JitterRng,
        budget: Option<&RetryBudget>,
        cost: RetryCost,
    ) -> RetryDecision {
        let Some(delay) = self.delay(attempt, rng) else {
            return RetryDecision::Stop(StopReason::AttemptsExhausted);
        };
        if !self.methods.may_resend(request.0, request.1) {
            return RetryDecision::Stop(StopReason::NotIdempotent);
        }
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
    /// use errspec::{Jitter, JitterRng, Methods, RetryAfter, RetryAfterValue, RetryPolicy};
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
    ///     methods: Methods::IDEMPOTENT,
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
    /// The request may not be applied twice: the policy may not resend its method, it carries
    /// no `Idempotency-Key`, and the error's code does not say it was not processed.
    NotIdempotent,
}

impl fmt::Display for StopReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StopReason::NotRetryable => "the error is not retryable",
            StopReason::AttemptsExhausted => "the retry policy's attempts are spent",
            StopReason::ServerSaidNo => "the server said not to retry",
            StopReason::BudgetExhausted => "the retry budget is exhausted",
            StopReason::NotIdempotent => "the request may not be applied twice",
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
    /// The request to send again, when the caller has one: its method and headers.
    pub(crate) request: Option<(&'a http::Method, &'a http::HeaderMap)>,
    /// Whether the error's code says the request was not processed.
    pub(crate) not_processed: bool,
}

/// The one retry decision, for every adapter: the server's verdict (a "no" stops; a "yes"
/// retries by the signal's policy an error no policy retries), then the policy's attempt limit,
/// whether the request may be sent again (when there is one), the delay (the first usable wait signal combined with the policy's own delay, which is its
/// `Retry-After` or default when it honours one, else its backoff with jitter), then the budget.
pub(crate) fn decide(
    evidence: &Evidence<'_>,
    attempt: u32,
    now: SystemTime,
    rng: &mut JitterRng,
    budget: Option<&RetryBudget>,
) -> RetryDecision {
    // A retryable failure not retried for another reason still counts against a throttling
    // budget (gRPC A6).
    let stop = |reason| {
        if let Some(budget) = budget {
            budget.on_failure();
        }
        RetryDecision::Stop(reason)
    };
    let verdict = evidence.read.and_then(|read| read.verdict);
    let policy = match verdict {
        Some((_, false)) if evidence.policy.is_some() => return stop(StopReason::ServerSaidNo),
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
        return stop(StopReason::AttemptsExhausted);
    };
    if let Some((method, headers)) = evidence.request {
        if !evidence.not_processed && !policy.methods.may_resend(method, headers) {
            return stop(StopReason::NotIdempotent);
        }
    }
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
