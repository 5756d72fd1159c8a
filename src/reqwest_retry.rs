//! [`reqwest_retry`] that classifies by the error code in the body, not only by the status.
//!
//! A `RetryableStrategy` sees a response but cannot read its body, so [`ReadErrorBody`], a
//! middleware placed inside the retry middleware, reads each error body once, parses it with
//! the API's generated `Error`, stores the result in the response's extensions and hands on a
//! response with the same status, headers and body. [`BodyAwareStrategy`] then decides from the
//! parsed code: a documented code's own retry policy wins over its status's.
//!
//! ```ignore
//! let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
//!     .with(reqwest_retry::RetryTransientMiddleware::new_with_policy_and_strategy(
//!         errspec::reqwest_retry::SpecPolicy::new(&hms_sovereign::retry::TRANSIENT),
//!         errspec::reqwest_retry::BodyAwareStrategy::<hms_sovereign::Error>::new(),
//!     ))
//!     .with(errspec::reqwest_retry::ReadErrorBody::<hms_sovereign::Error>::new())
//!     .build();
//! ```

use std::marker::PhantomData;
use std::sync::Arc;
use std::time::SystemTime;

use ::reqwest_retry::{
    default_on_request_failure, default_on_request_success, Retryable, RetryableStrategy,
};
use ::retry_policies::RetryDecision;

use crate::{ApiError, JitterRng, RetryPolicy};

/// The parsed error body of a response, as [`ReadErrorBody`] stores it in the response's
/// extensions.
#[derive(Debug)]
pub struct ParsedError<E>(pub Arc<E>);

impl<E> Clone for ParsedError<E> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

/// Middleware that parses every error response (4xx and 5xx) with `E::from_response` and keeps
/// the result in the response's extensions as [`ParsedError<E>`].
pub struct ReadErrorBody<E>(PhantomData<fn() -> E>);

impl<E> ReadErrorBody<E> {
    /// The middleware for the API whose generated error type is `E`.
    pub fn new() -> Self {
        Self(PhantomData)
    }
}

impl<E> Default for ReadErrorBody<E> {
    fn default() -> Self {
        Self::new()
    }
}

#[async_trait::async_trait]
impl<E: ApiError> ::reqwest_middleware::Middleware for ReadErrorBody<E> {
    async fn handle(
        &self,
        req: ::reqwest::Request,
        extensions: &mut http::Extensions,
        next: ::reqwest_middleware::Next<'_>,
    ) -> ::reqwest_middleware::Result<::reqwest::Response> {
        let response = next.run(req, extensions).await?;
        let status = response.status();
        if !(status.is_client_error() || status.is_server_error()) {
            return Ok(response);
        }
        let version = response.version();
        let headers = response.headers().clone();
        let body = response.bytes().await?;
        let parsed = E::from_response(status, &headers, &body);
        let mut rebuilt = http::Response::new(::reqwest::Body::from(body));
        *rebuilt.status_mut() = status;
        *rebuilt.version_mut() = version;
        *rebuilt.headers_mut() = headers;
        let mut response = ::reqwest::Response::from(rebuilt);
        response
            .extensions_mut()
            .insert(ParsedError(Arc::new(parsed)));
        Ok(response)
    }
}

/// A `RetryableStrategy` that decides from the parsed error (see [`ReadErrorBody`]); responses
/// without one, and transport errors, are classified as reqwest-retry does by default.
pub struct BodyAwareStrategy<E>(PhantomData<fn() -> E>);

impl<E> BodyAwareStrategy<E> {
    /// The strategy for the API whose generated error type is `E`.
    pub fn new() -> Self {
        Self(PhantomData)
    }
}

impl<E> Default for BodyAwareStrategy<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: ApiError> RetryableStrategy for BodyAwareStrategy<E> {
    fn handle(
        &self,
        res: &Result<::reqwest::Response, ::reqwest_middleware::Error>,
    ) -> Option<Retryable> {
        match res {
            Ok(response) => match response.extensions().get::<ParsedError<E>>() {
                Some(ParsedError(error)) if error.retry_class().is_retryable() => {
                    Some(Retryable::Transient)
                }
                Some(_) => Some(Retryable::Fatal),
                None => default_on_request_success(response),
            },
            Err(error) => default_on_request_failure(error),
        }
    }
}

/// A spec [`RetryPolicy`] as a [`retry_policies::RetryPolicy`]:
/// the policy's backoff with its jitter, and its limit on attempts.
#[derive(Clone, Copy, Debug)]
pub struct SpecPolicy {
    policy: &'static RetryPolicy,
}

impl SpecPolicy {
    /// Wraps a generated policy constant.
    pub fn new(policy: &'static RetryPolicy) -> Self {
        Self { policy }
    }
}

impl ::retry_policies::RetryPolicy for SpecPolicy {
    fn should_retry(&self, _request_start_time: SystemTime, n_past_retries: u32) -> RetryDecision {
        let attempt = n_past_retries.saturating_add(1);
        let delay = self.policy.delay(attempt, &mut JitterRng::from_entropy());
        match delay.and_then(|delay| SystemTime::now().checked_add(delay)) {
            Some(execute_after) => RetryDecision::Retry { execute_after },
            None => RetryDecision::DoNotRetry,
        }
    }
}
