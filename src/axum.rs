//! Servers that answer as their documentation says: [`IntoResponse`] for an API's
//! [`Error`], and for each generated `ErrorCode` (its documented response).
//!
//! ```
//! # mod hms { errspec::include_spec!("spec/hms_sovereign.yaml"); }
//! use axum_core::response::IntoResponse;
//!
//! // A handler returns `Result<T, hms::Error>` or `Result<T, hms::ErrorCode>`.
//! let response = hms::ErrorCode::InsufficientCredits.into_response();
//! assert_eq!(response.status(), 402);
//!
//! let error = hms::Error::new(
//!     errspec::http::StatusCode::PAYMENT_REQUIRED,
//!     Some(hms::ErrorCode::InsufficientCredits),
//!     Some("Balance is 0.00".to_owned()),
//! );
//! let response = error.into_response();
//! assert_eq!(response.status(), 402);
//! ```
//!
//! An `Error` answers with its own status, its code in the envelope documented for that status,
//! and its message (the server's, else the documented one); a `Retry-After` of the code's policy
//! is sent as the code's documented response sends it. An `Error` without a code answers with
//! its status and no body.

pub use axum_core::response::{IntoResponse, Response};

use crate::{Api, Error, ResponseBuilder};

impl<C: Api> IntoResponse for Error<C> {
    fn into_response(self) -> Response {
        let Some(code) = self.code() else {
            let mut response = Response::new(axum_core::body::Body::empty());
            *response.status_mut() = self.http_status();
            return response;
        };
        let mut builder = ResponseBuilder::for_code(code, C::INTEGER).status(self.http_status());
        if let Some(message) = self.message() {
            builder = builder.message(message);
        }
        into_axum(builder.build())
    }
}

/// A rendered response as axum's.
#[doc(hidden)]
pub fn into_axum(response: http::Response<Vec<u8>>) -> Response {
    response.map(axum_core::body::Body::from)
}

/// `IntoResponse` for a generated `ErrorCode`, written by `__code_response!` when this feature
/// is on.
#[doc(hidden)]
#[macro_export]
macro_rules! __code_axum {
    ($Code:ident) => {
        impl $crate::axum::IntoResponse for $Code {
            fn into_response(self) -> $crate::axum::Response {
                $crate::axum::into_axum(self.response())
            }
        }
    };
}
