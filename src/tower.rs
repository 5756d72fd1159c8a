//! A [`tower::retry::Policy`] that retries as the spec says, for `http` services (hyper,
//! tonic-style clients, anything that answers `http::Response`s with buffered bodies).
//!
//! The decision is the runtime's ([`ApiError::retry_decision`]): the response's error body is
//! read with the API's generated `Error`, and the server's wait signals and the code's policy
//! (else the status's) say whether and how long to wait, `Retry-After` included, up to its
//! attempt limit and within the retry budget the spec declares, which every clone of the
//! policy shares (and so every request of a service built with it). Transport errors are not
//! retried. Requests are cloned through their body's `Clone`, and sent again only when the
//! decision allows it for them ([`ApiError::retry_decision_for`]: a method the policy may
//! resend, an `Idempotency-Key`, or a code that says the request was not processed); the
//! policy itself is cloned per request by `tower::retry::Retry`, so attempts are counted per
//! request. An error response that is not retried carries the
//! [`StopReason`](crate::StopReason) in its extensions.
//!
//! ```no_run
//! # mod hms_sovereign { errspec::include_spec!("spec/hms_sovereign.yaml"); }
//! use errspec::tower::SpecPolicy;
//! use tower::retry::{Retry, RetryLayer};
//!
//! /// `inner` (a hyper client, say) retried as the HMS Sovereign spec says.
//! fn with_retries<S>(inner: S) -> Retry<SpecPolicy<hms_sovereign::Error>, S> {
//!     tower::ServiceBuilder::new()
//!         .layer(RetryLayer::new(SpecPolicy::<hms_sovereign::Error>::new()))
//!         .service(inner)
//! }
//! ```

use std::marker::PhantomData;

use crate::{ApiError, Grant, RetryBudget, RetryDecision};

/// The retry policy of an API whose generated error type is `E`.
pub struct SpecPolicy<E> {
    attempt: u32,
    budget: Option<RetryBudget>,
    last_grant: Option<Grant>,
    marker: PhantomData<fn() -> E>,
}

impl<E: ApiError> SpecPolicy<E> {
    /// A policy at its first attempt, within the retry budget the API's spec declares, if any.
    pub fn new() -> Self {
        Self {
            attempt: 1,
            budget: E::declared_budget().map(RetryBudget::new),
            last_grant: None,
            marker: PhantomData,
        }
    }

    /// Retries within `budget` instead (a clone shares its bucket).
    pub fn with_budget(self, budget: RetryBudget) -> Self {
        Self {
            budget: Some(budget),
            ..self
        }
    }

    /// Retries without a budget, whatever the spec declares.
    pub fn without_budget(self) -> Self {
        Self {
            budget: None,
            ..self
        }
    }

    /// The budget retries are paid from.
    pub fn budget(&self) -> Option<&RetryBudget> {
        self.budget.as_ref()
    }
}

impl<E: ApiError> Default for SpecPolicy<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> Clone for SpecPolicy<E> {
    fn clone(&self) -> Self {
        Self {
            attempt: self.attempt,
            budget: self.budget.clone(),
            last_grant: self.last_grant,
            marker: PhantomData,
        }
    }
}

impl<E> std::fmt::Debug for SpecPolicy<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpecPolicy")
            .field("attempt", &self.attempt)
            .field("budget", &self.budget)
            .finish()
    }
}

impl<B, R, Err, E> ::tower::retry::Policy<http::Request<B>, http::Response<R>, Err>
    for SpecPolicy<E>
where
    B: Clone,
    R: AsRef<[u8]>,
    E: ApiError,
{
    type Future = ::tokio::time::Sleep;

    fn retry(
        &mut self,
        request: &mut http::Request<B>,
        result: &mut Result<http::Response<R>, Err>,
    ) -> Option<Self::Future> {
        let response = result.as_ref().ok()?;
        let status = response.status();
        if !(status.is_client_error() || status.is_server_error()) {
            if let Some(budget) = &self.budget {
                budget.on_success(self.last_grant);
            }
            return None;
        }
        let error = E::from_response(status, response.headers(), response.body().as_ref());
        let budget = self.budget.as_ref();
        match error.retry_decision_for(request.method(), request.headers(), self.attempt, budget) {
            RetryDecision::Retry { delay, grant } => {
                self.last_grant = grant;
                self.attempt = self.attempt.saturating_add(1);
                Some(::tokio::time::sleep(delay))
            }
            RetryDecision::Stop(reason) => {
                // The caller learns why from the response it gets back.
                if let Ok(response) = result {
                    response.extensions_mut().insert(reason);
                }
                None
            }
        }
    }

    fn clone_request(&mut self, request: &http::Request<B>) -> Option<http::Request<B>> {
        let mut clone = http::Request::new(request.body().clone());
        *clone.method_mut() = request.method().clone();
        *clone.uri_mut() = request.uri().clone();
        *clone.version_mut() = request.version();
        *clone.headers_mut() = request.headers().clone();
        *clone.extensions_mut() = request.extensions().clone();
        Some(clone)
    }
}
