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
//! With a retry budget shared by the whole client, each call goes through a [`BudgetedCall`].

use std::time::Duration;

use std::sync::{Arc, Mutex};

use crate::{ApiError, Grant, JitterRng, RetryBudget, RetryDecision, RetryPolicy, StopReason};

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

/// For `.when(..)`: whether the runtime's retry decision may retry the error at all (it has a
/// policy, or the server said "yes" by a declared signal, and the server did not say "no");
/// the attempt limit and the delay are [`spec_delay`]'s.
pub fn is_retryable<E: ApiError>(error: &E) -> bool {
    !matches!(
        error.retry_decision(1, None),
        RetryDecision::Stop(StopReason::NotRetryable | StopReason::ServerSaidNo)
    )
}

/// For `.adjust(..)`: replaces the backoff's delay with the one the runtime's retry decision
/// gives for this attempt ([`ApiError::retry_decision`]: wait signals, the error's own policy,
/// its `Retry-After` or backoff), and stops when the backoff is spent or the decision says
/// not to retry.
pub fn spec_delay<E: ApiError>(
) -> impl FnMut(&E, Option<Duration>) -> Option<Duration> + Send + 'static {
    let mut attempt = 0u32;
    move |error, suggested| {
        attempt = attempt.saturating_add(1);
        suggested?;
        error.retry_decision(attempt, None).delay()
    }
}

/// One call's retries paid from a client's [`RetryBudget`]: [`spec_delay`](Self::spec_delay)
/// for `.adjust(..)`, whose retries the budget pays for (an exhausted budget stops them), and
/// [`succeeded`](Self::succeeded) once the call succeeds, which gives the budget back what its
/// last retry took (or its refill).
///
/// ```
/// # mod hms_sovereign { errspec::include_spec!("spec/hms_sovereign.yaml"); }
/// # async fn call_the_api() -> Result<String, hms_sovereign::Error> { Ok(String::new()) }
/// # async fn run(budget: &errspec::RetryBudget) -> Result<String, hms_sovereign::Error> {
/// use backon::Retryable;
///
/// let call = errspec::backon::BudgetedCall::new(budget);
/// let response = (|| async { call_the_api().await })
///     .retry(errspec::backon::PolicyBackoff::new(&hms_sovereign::retry::RATE_LIMITED))
///     .when(errspec::backon::is_retryable::<hms_sovereign::Error>)
///     .adjust(call.spec_delay::<hms_sovereign::Error>())
///     .await;
/// if response.is_ok() {
///     call.succeeded();
/// }
/// # response
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct BudgetedCall {
    budget: RetryBudget,
    last_grant: Arc<Mutex<Option<Grant>>>,
}

impl BudgetedCall {
    /// A call paid from `budget` (shared: a clone of the client's).
    pub fn new(budget: &RetryBudget) -> Self {
        BudgetedCall {
            budget: budget.clone(),
            last_grant: Arc::new(Mutex::new(None)),
        }
    }

    /// [`spec_delay`](fn@spec_delay), each retry paid from the budget.
    pub fn spec_delay<E: ApiError>(
        &self,
    ) -> impl FnMut(&E, Option<Duration>) -> Option<Duration> + Send + 'static {
        let (budget, last_grant) = (self.budget.clone(), Arc::clone(&self.last_grant));
        let mut attempt = 0u32;
        move |error, suggested| {
            attempt = attempt.saturating_add(1);
            suggested?;
            match error.retry_decision(attempt, Some(&budget)) {
                RetryDecision::Retry { delay, grant } => {
                    if let Ok(mut last) = last_grant.lock() {
                        *last = grant;
                    }
                    Some(delay)
                }
                RetryDecision::Stop(_) => None,
            }
        }
    }

    /// Counts the call's success against the budget.
    pub fn succeeded(&self) {
        let grant = self.last_grant.lock().ok().and_then(|mut last| last.take());
        self.budget.on_success(grant);
    }
}
