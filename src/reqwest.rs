//! reqwest clients that retry as the spec says.
//!
//! [`SpecRetry`] is the recipe: one `reqwest-middleware` middleware that reads each error
//! body once, parses it with the API's generated `Error`, and retries by the runtime's one
//! decision ([`ApiError::retry_decision`]: the server's wait signals, the code's policy over
//! the status's, `Retry-After` with its default and cap, the attempt limit, jitter, and the
//! retry budget the spec declares, shared by every clone of the client). The last response is
//! handed back with its body still readable and the parsed error in its extensions;
//! [`api_error`] takes it out, and [`stop_reason`] says why it was not retried; [`send`] gives
//! all of it as a `Result` whose error, [`Failure`], a caller matches on. It reads bodies
//! itself, and keeps what other middlewares recorded, so their order does not matter.
//!
//! ```no_run
//! # mod hms_sovereign { errspec::include_spec!("spec/hms_sovereign.yaml"); }
//! use errspec::reqwest::{send, Failure, SpecRetry};
//!
//! # async fn run(url: &str) -> Result<(), Failure<hms_sovereign::Error>> {
//! let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
//!     .with(SpecRetry::<hms_sovereign::Error>::new())
//!     .build();
//! match send::<hms_sovereign::Error>(client.get(url)).await {
//!     Ok(response) => println!("{}", response.status()),
//!     Err(Failure::Api(failure)) => {
//!         // The typed code, why it was not retried, and the body, still readable.
//!         println!("{:?} {:?}", failure.error.code(), failure.stop);
//!     }
//!     Err(transport) => return Err(transport),
//! }
//! # Ok(())
//! # }
//! ```
//!
//! [`ReadErrorBody`] parses error bodies into the same extensions without retrying, for clients
//! that retry some other way. reqwest-retry's `RetryTransientMiddleware` is not supported: it
//! takes its delays from one fixed policy by attempt count, so it can honour neither
//! `Retry-After` nor a code's own policy, and its strategy sees a response before any body is
//! read, so a body-aware decision there depends on middleware order.

use std::marker::PhantomData;
use std::sync::Arc;

use crate::{ApiError, Grant, JitterRng, RetryBudget, RetryCost, RetryPolicy, StopReason};

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
        Ok(read_error::<E>(response).await?.1)
    }
}

/// Middleware that retries by the spec: see the [module docs](self).
///
/// Transport errors (no response) are retried by `transport`, a policy of the spec's choosing
/// (none by default). A request is sent again only when the policy may resend its method
/// ([`RetryPolicy::methods`]: the idempotent ones unless the spec says more), it carries an
/// `Idempotency-Key`, or the error's code says it was not processed
/// ([`Error::retry_decision_for`](crate::Error::retry_decision_for)); a request whose body
/// cannot be cloned (a stream) is sent once.
///
/// The retry budget the API's spec declares (`retry.budget`) is made once, with the
/// middleware, and shared by every request through it (and so by every clone of the client).
pub struct SpecRetry<E> {
    transport: Option<&'static RetryPolicy>,
    budget: Option<RetryBudget>,
    marker: PhantomData<fn() -> E>,
}

impl<E: ApiError> SpecRetry<E> {
    /// Retries error responses of the API whose generated error type is `E`, within the retry
    /// budget its spec declares, if any.
    pub fn new() -> Self {
        Self {
            transport: None,
            budget: E::declared_budget().map(RetryBudget::new),
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

    /// Also retries transport errors (connection refused, timeouts) by `policy`.
    pub fn with_transport_policy(self, policy: &'static RetryPolicy) -> Self {
        Self {
            transport: Some(policy),
            ..self
        }
    }
}

impl<E: ApiError> Default for SpecRetry<E> {
    fn default() -> Self {
        Self::new()
    }
}

/// Why [`SpecRetry`] did not retry the error response it handed back, as the response's
/// extensions keep it.
pub fn stop_reason(response: &::reqwest::Response) -> Option<StopReason> {
    response.extensions().get::<StopReason>().copied()
}

/// The parsed API error a response carries, if it is an error response that passed through
/// [`SpecRetry`] or [`ReadErrorBody`].
pub fn api_error<E: ApiError>(response: &::reqwest::Response) -> Option<Arc<E>> {
    response
        .extensions()
        .get::<ParsedError<E>>()
        .map(|p| Arc::clone(&p.0))
}

/// Why a call through [`SpecRetry`] did not succeed: the transport failed, or the API answered
/// with an error. What [`send`] returns, for a caller to match on.
#[derive(Debug)]
pub enum Failure<E> {
    /// No response: the connection failed or timed out (after the transport policy's retries,
    /// if one was set).
    Transport(::reqwest_middleware::Error),
    /// An error response of the API, after every retry the spec allowed.
    Api(ApiFailure<E>),
}

/// An error response of the API: the typed error, why it was not retried, and the response
/// itself, its body still readable.
#[derive(Debug)]
pub struct ApiFailure<E> {
    /// The parsed error.
    pub error: Arc<E>,
    /// Why it was not retried (absent when no [`SpecRetry`] handled the request).
    pub stop: Option<StopReason>,
    /// The response, rebuilt around its body.
    pub response: ::reqwest::Response,
}

impl<E: ApiError> std::fmt::Display for Failure<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Transport(err) => write!(f, "transport error: {err}"),
            Failure::Api(failure) => {
                write!(f, "{}", failure.error)?;
                match failure.stop {
                    Some(StopReason::NotRetryable) | None => Ok(()),
                    Some(reason) => write!(f, " (not retried: {reason})"),
                }
            }
        }
    }
}

impl<E: ApiError> std::error::Error for Failure<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Failure::Transport(err) => Some(err),
            Failure::Api(failure) => Some(&*failure.error),
        }
    }
}

impl<E> Failure<E> {
    /// The typed API error, if the API answered.
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Failure::Api(failure) => Some(&failure.error),
            Failure::Transport(_) => None,
        }
    }
}

/// Sends `request` and hands back a success, or the [`Failure`] as a value: the
/// `error_for_status` of a client with [`SpecRetry`], typed by the API.
///
/// The [module docs](self) show it in use.
pub async fn send<E: ApiError>(
    request: ::reqwest_middleware::RequestBuilder,
) -> Result<::reqwest::Response, Failure<E>> {
    let response = request.send().await.map_err(Failure::Transport)?;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return Ok(response);
    }
    let stop = stop_reason(&response);
    let (error, response) = match response.extensions().get::<ParsedError<E>>() {
        Some(parsed) => (Arc::clone(&parsed.0), response),
        None => read_error::<E>(response)
            .await
            .map_err(Failure::Transport)?,
    };
    Err(Failure::Api(ApiFailure {
        error,
        stop,
        response,
    }))
}

/// `response` with its body read: the parsed error, and the same response rebuilt around the
/// bytes (status, version, headers, body) carrying it in its extensions, beside what
/// middlewares inside this one recorded there (`SpecRetry`'s stop reason).
async fn read_error<E: ApiError>(
    response: ::reqwest::Response,
) -> ::reqwest_middleware::Result<(Arc<E>, ::reqwest::Response)> {
    let status = response.status();
    let version = response.version();
    let headers = response.headers().clone();
    let extensions = response.extensions().clone();
    let body = response.bytes().await?;
    let parsed = Arc::new(E::from_response(status, &headers, &body));
    let mut rebuilt = http::Response::new(::reqwest::Body::from(body));
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    *rebuilt.extensions_mut() = extensions;
    let mut response = ::reqwest::Response::from(rebuilt);
    response
        .extensions_mut()
        .insert(ParsedError(Arc::clone(&parsed)));
    Ok((parsed, response))
}

#[async_trait::async_trait]
impl<E: ApiError> ::reqwest_middleware::Middleware for SpecRetry<E> {
    async fn handle(
        &self,
        req: ::reqwest::Request,
        extensions: &mut http::Extensions,
        next: ::reqwest_middleware::Next<'_>,
    ) -> ::reqwest_middleware::Result<::reqwest::Response> {
        let mut attempt: u32 = 1;
        let mut last_grant: Option<Grant> = None;
        let budget = self.budget.as_ref();
        loop {
            // A request whose body cannot be cloned is sent once only; whether another may be
            // sent again is the decision's (its method, its key, the error's code).
            let Some(this) = req.try_clone() else {
                let response = next.run(req, extensions).await?;
                let status = response.status();
                if status.is_client_error() || status.is_server_error() {
                    return Ok(read_error::<E>(response).await?.1);
                }
                return Ok(response);
            };
            let decision = match next.clone().run(this, extensions).await {
                Ok(response) => {
                    let status = response.status();
                    if !(status.is_client_error() || status.is_server_error()) {
                        if let Some(budget) = budget {
                            budget.on_success(last_grant);
                        }
                        return Ok(response);
                    }
                    let (error, mut response) = read_error::<E>(response).await?;
                    match error.retry_decision_for(req.method(), req.headers(), attempt, budget) {
                        crate::RetryDecision::Retry { delay, grant } => (delay, grant),
                        crate::RetryDecision::Stop(reason) => {
                            response.extensions_mut().insert(reason);
                            return Ok(response);
                        }
                    }
                }
                Err(err) => {
                    let Some(policy) = self.transport else {
                        return Err(err);
                    };
                    let cost = if err.is_timeout() {
                        RetryCost::Timeout
                    } else {
                        RetryCost::Transient
                    };
                    let rng = &mut JitterRng::from_entropy();
                    let request = (req.method(), req.headers());
                    match policy.decision_without_response(request, attempt, rng, budget, cost) {
                        crate::RetryDecision::Retry { delay, grant } => (delay, grant),
                        crate::RetryDecision::Stop(_) => return Err(err),
                    }
                }
            };
            let (delay, grant) = decision;
            last_grant = grant;
            ::tokio::time::sleep(delay).await;
            attempt = attempt.saturating_add(1);
        }
    }
}
