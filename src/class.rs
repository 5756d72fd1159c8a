//! What kind of failure an error is, for retry decisions, and the trait every generated
//! `Error` implements.

use std::time::Duration;

use crate::{ApiErrorCode, BudgetParams, RetryBudget, RetryDecision, RetryPolicy};

/// A small closed vocabulary every error maps to, so that a client can decide how to react
/// without knowing the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RetryClass {
    /// A passing failure: retry with backoff.
    Transient,
    /// The server asks the client to slow down: retry after the delay it names.
    Throttling,
    /// A server-side failure the documentation does not call passing: do not retry blindly.
    Server,
    /// The request itself is wrong: retrying will not help.
    Client,
}

impl RetryClass {
    /// The class of a response, from its status and whether a retry policy applies.
    pub fn classify(status: http::StatusCode, policy: Option<&RetryPolicy>) -> Self {
        match policy {
            Some(p) if p.retry_after.is_some() || status == http::StatusCode::TOO_MANY_REQUESTS => {
                RetryClass::Throttling
            }
            Some(_) => RetryClass::Transient,
            None if status.is_server_error() => RetryClass::Server,
            None => RetryClass::Client,
        }
    }

    /// Whether errors of this class may be retried.
    pub fn is_retryable(self) -> bool {
        matches!(self, RetryClass::Transient | RetryClass::Throttling)
    }
}

/// What every generated `Error` implements, so that a client can be generic over APIs.
pub trait ApiError: std::error::Error + Send + Sync + 'static {
    /// The API's code type.
    type Code: ApiErrorCode;

    /// Reads an error response. Never fails and never panics: a body that cannot be read is
    /// kept, bounded, with the reason.
    fn from_response(status: http::StatusCode, headers: &http::HeaderMap, body: &[u8]) -> Self;

    /// The response's status.
    fn http_status(&self) -> http::StatusCode;

    /// The error code, if the body carried one.
    fn error_code(&self) -> Option<&Self::Code>;

    /// The retry policy that applies: the known code's, else the status's.
    fn retry_policy(&self) -> Option<&'static RetryPolicy>;

    /// The documented solution for the error's code.
    fn solution(&self) -> Option<&'static str>;

    /// How long to wait after the failed attempt `attempt` (numbered from 1); `None`: do not
    /// retry.
    fn retry_delay(&self, attempt: u32) -> Option<Duration>;

    /// The one retry decision after the failed attempt `attempt` (numbered from 1), now, paid
    /// from `budget` if given ([`Error::retry_decision_at`](crate::Error::retry_decision_at)
    /// says how it is made). Adapters retry by this and nothing else (backon's `is_retryable`
    /// filter asks it too).
    fn retry_decision(&self, attempt: u32, budget: Option<&RetryBudget>) -> RetryDecision;

    /// The same decision for a request that may be sent again: also
    /// [`StopReason::NotIdempotent`](crate::StopReason::NotIdempotent) when the policy may not
    /// resend its method, it carries no `Idempotency-Key`, and the error's code does not say the
    /// request was not processed.
    fn retry_decision_for(
        &self,
        method: &http::Method,
        headers: &http::HeaderMap,
        attempt: u32,
        budget: Option<&RetryBudget>,
    ) -> RetryDecision;

    /// The retry budget the API's spec declares for its clients (`retry.budget`).
    fn declared_budget() -> Option<BudgetParams>
    where
        Self: Sized;

    /// The error's retry class.
    fn retry_class(&self) -> RetryClass {
        RetryClass::classify(self.http_status(), self.retry_policy())
    }
}

/// Whether a request may be sent again after a failed attempt: its method is idempotent by
/// RFC 9110 (`GET`, `HEAD`, `OPTIONS`, `TRACE`, `PUT`, `DELETE`), or it carries an
/// `Idempotency-Key` header, which the server uses to apply it at most once. Every retrying
/// adapter asks this before it retries; a `POST` without a key is sent once.
pub fn may_resend(method: &http::Method, headers: &http::HeaderMap) -> bool {
    crate::Methods::IDEMPOTENT.may_resend(method, headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_idempotent_or_keyed_requests_are_resent() {
        let none = http::HeaderMap::new();
        let mut keyed = http::HeaderMap::new();
        keyed.insert("Idempotency-Key", http::HeaderValue::from_static("k-1"));
        for method in ["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"] {
            assert!(may_resend(&method.parse().unwrap(), &none), "{method}");
        }
        for method in ["POST", "PATCH", "CONNECT"] {
            let method: http::Method = method.parse().unwrap();
            assert!(!may_resend(&method, &none), "{method}");
            assert!(may_resend(&method, &keyed), "{method}");
        }
    }
}
