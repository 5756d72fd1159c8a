//! Retries with [`backon`] that follow the spec: only retryable errors are retried, each waits
//! what its own policy says (`Retry-After` included), and no more attempts are made than the
//! policy allows.
//!
//! ```no_run
//! # mod hms_sovereign { errspec::include_spec!("spec/hms_sovereign.yaml"); }
//! # async fn call_the_api() -> Result<String, hms_sovereign::Error> { unimplemented!() }
//! # async fn run() -> Result<String, hms_sovereign::Error> {
//! use backon::Retryable;
//!
//! let response = (|| async { call_the_api().await })
//!     .retry(errspec::backon::PolicyBackoff::new(&hms_sovereign::retry::RATE_LIMITED))
//!     .when(errspec::backon::is_retryable::<hms_sovereign::Error>)
//!     .adjust(errspec::backon::spec_delay::<hms_sovereign::Error>())
//!     .await;
//! # response
//! # }
//! ```
//!
//! With a retry budget shared by the whole client, pass a clone of it to
//! [`spec_delay_within`], and count each success with [`RetryBudget::on_success`].

use std::time::Duration;

use crate::{ApiError, JitterRng, RetryBudget, RetryPolicy};

/// A [`backon::BackoffBuilder`] that yields a spec policy's delays, jitter included.
#[derive(Clone, Copy, Debug)]
pub struct PolicyBackoff {
    policy: &'static RetryPolicy,
    seed: Option<u64>,
}

impl PolicyBackoff {
    /// The delays of `policy`.
    pub fn new(policy: &'static RetryPolicy) -> Self {
        Self { policy, seed: None }
    }

    /// The same, with jitter drawn from a fixed seed, for reproducible runs.
    pub fn with_seed(self, seed: u64) -> Self {
        Self {
            seed: Some(seed),
            ..self
        }
    }
}

/// The delays of one retry sequence.
#[derive(Clone, Debug)]
pub struct PolicyDelays {
    policy: &'static RetryPolicy,
    attempt: u32,
    rng: JitterRng,
}

impl Iterator for PolicyDelays {
    type Item = Duration;

    fn next(&mut self) -> Option<Duration> {
        self.attempt = self.attempt.saturating_add(1);
        self.policy.delay(self.attempt, &mut self.rng)
    }
}

impl ::backon::BackoffBuilder for PolicyBackoff {
    type Backoff = PolicyDelays;

    fn build(self) -> PolicyDelays {
        PolicyDelays {
            policy: self.policy,
            attempt: 0,
            rng: self
                .seed
                .map_or_else(JitterRng::from_entropy, JitterRng::with_seed),
        }
    }
}

/// For `.when(..)`: whether the error's retry class allows a retry.
pub fn is_retryable<E: ApiError>(error: &E) -> bool {
    error.retry_class().is_retryable()
}

/// For `.adjust(..)`: replaces the backoff's delay with the one the runtime's retry decision
/// gives for this attempt ([`ApiError::retry_decision`]: wait signals, the error's own policy,
/// its `Retry-After` or backoff), and stops when the backoff is spent or the decision says
/// not to retry.
pub fn spec_delay<E: ApiError>(
) -> impl FnMut(&E, Option<Duration>) -> Option<Duration> + Send + 'static {
    decide_with::<E>(None)
}

/// [`spec_delay`], each retry paid from `budget` (shared with its clones); an exhausted
/// budget stops the retries.
pub fn spec_delay_within<E: ApiError>(
    budget: RetryBudget,
) -> impl FnMut(&E, Option<Duration>) -> Option<Duration> + Send + 'static {
    decide_with::<E>(Some(budget))
}

fn decide_with<E: ApiError>(
    budget: Option<RetryBudget>,
) -> impl FnMut(&E, Option<Duration>) -> Option<Duration> + Send + 'static {
    let mut attempt = 0u32;
    move |error, suggested| {
        attempt = attempt.saturating_add(1);
        suggested?;
        error.retry_decision(attempt, budget.as_ref()).delay()
    }
}
