//! A [`tower::retry::Policy`] that retries as the spec says, for `http` services (hyper,
//! tonic-style clients, anything that answers `http::Response`s with buffered bodies).
//!
//! The decision is the runtime's ([`ApiError::retry_delay`]): the response's error body is read
//! with the API's generated `Error`, and the code's policy (else the status's) says whether and
//! how long to wait, `Retry-After` included, up to its attempt limit. Transport errors are not
//! retried. Requests are cloned for a retry only when their body type is `Clone` and they may
//! be applied twice ([`may_resend`](crate::may_resend): an idempotent method or an
//! `Idempotency-Key`); the policy
//! itself is cloned per request by `tower::retry::Retry`, so attempts are counted per request.
//!
//! ```ignore
//! let service = tower::ServiceBuilder::new()
//!     .layer(tower::retry::RetryLayer::new(errspec::tower::SpecPolicy::<hms_sovereign::Error>::new()))
//!     .service(inner);
//! ```

use std::marker::PhantomData;

use crate::ApiError;

/// The retry policy of an API whose generated error type is `E`.
pub struct SpecPolicy<E> {
    attempt: u32,
    marker: PhantomData<fn() -> E>,
}

impl<E> SpecPolicy<E> {
    /// A policy for one request, at its first attempt.
    pub fn new() -> Self {
        Self {
            attempt: 1,
            marker: PhantomData,
        }
    }
}

impl<E> Default for SpecPolicy<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> Clone for SpecPolicy<E> {
    fn clone(&self) -> Self {
        Self {
            attempt: self.attempt,
            marker: PhantomData,
        }
    }
}

impl<E> std::fmt::Debug for SpecPolicy<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpecPolicy")
            .field("attempt", &self.attempt)
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
        _request: &mut http::Request<B>,
        result: &mut Result<http::Response<R>, Err>,
    ) -> Option<Self::Future> {
        let response = result.as_ref().ok()?;
        let status = response.status();
        if !(status.is_client_error() || status.is_server_error()) {
            return None;
        }
        let error = E::from_response(status, response.headers(), response.body().as_ref());
        if !error.retry_class().is_retryable() {
            return None;
        }
        let delay = error.retry_delay(self.attempt)?;
        self.attempt = self.attempt.saturating_add(1);
        Some(::tokio::time::sleep(delay))
    }

    fn clone_request(&mut self, request: &http::Request<B>) -> Option<http::Request<B>> {
        // A request that may not be applied twice is not kept for a retry.
        if !crate::may_resend(request.method(), request.headers()) {
            return None;
        }
        let mut clone = http::Request::new(request.body().clone());
        *clone.method_mut() = request.method().clone();
        *clone.uri_mut() = request.uri().clone();
        *clone.version_mut() = request.version();
        *clone.headers_mut() = request.headers().clone();
        *clone.extensions_mut() = request.extensions().clone();
        Some(clone)
    }
}
