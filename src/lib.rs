//! Typed Rust errors for HTTP APIs, generated from the error tables of their documentation.
//!
//! errspec reads one YAML spec per API (its format: `errspec_codegen::spec_format`) that transcribes
//! every documented HTTP status and error code, and generates, per API:
//!
//! * an `ErrorCode` enum with one variant per documented code and an `Unknown` fallback that
//!   keeps the raw wire value, so a code the documentation did not list never breaks a client;
//! * a `Status` enum of the documented HTTP statuses, convertible from and to
//!   [`http::StatusCode`];
//! * an `Error` type implementing [`std::error::Error`];
//! * the documented retry policies as [`RetryPolicy`] constants, and documented limits as
//!   [`Limit`] constants.
//!
//! This crate is the small runtime that generated code refers to. The generator lives in
//! `errspec-codegen`.
//!
//! # Regenerating on `cargo build`
//!
//! Add `errspec` as a dependency (with `default-features = false`: the runtime alone, 11 crates,
//! since a build script needs no macros) and `errspec-codegen` as a build dependency, then write a
//! `build.rs` that generates into `OUT_DIR` (and nowhere else):
//!
//! ```no_run
//! // build.rs
//! fn main() {
//!     let result = errspec_codegen::Builder::new()
//!         .spec_dir("spec")
//!         .generate_into_out_dir();
//!     if let Err(error) = result {
//!         // Each diagnostic names file:line:column, the YAML path and a fix.
//!         eprintln!("{error}");
//!         std::process::exit(1);
//!     }
//! }
//! ```
//!
//! and include each generated module:
//!
//! ```ignore
//! pub mod sinch_voice {
//!     include!(concat!(env!("OUT_DIR"), "/sinch_voice.rs"));
//! }
//! ```
//!
//! The build script reruns only when a spec changes.
//!
//! # Using a generated module
//!
//! Without a build script, `include_spec!` (feature `macros`, on by default) expands a spec in
//! place (the path is relative to the crate's `Cargo.toml`):
//!
//! ```
//! mod sinch_voice {
//!     errspec::include_spec!("spec/sinch_voice.yaml");
//! }
//! use sinch_voice::{ErrorCode, Status};
//!
//! let code = ErrorCode::from_wire("40200");
//! assert_eq!(code, ErrorCode::PaymentRequired);
//! assert_eq!(code.status(), Some(Status::PaymentRequired));
//! assert_eq!(code.message(), Some("Not enough credit"));
//!
//! // Codes the documentation does not list are kept, not rejected.
//! let unknown = ErrorCode::from_wire("49999");
//! assert!(unknown.is_unknown());
//! assert_eq!(unknown.as_str(), "49999");
//! ```
//!
//! # Reading error responses
//!
//! ```
//! # mod hms { errspec::include_spec!("spec/hms_sovereign.yaml"); }
//! use errspec::http::{HeaderMap, StatusCode};
//! use std::time::Duration;
//!
//! let body = br#"{"error":{"code":"provider_timeout","message":"Provider request timeout"}}"#;
//! let error = hms::Error::from_response(StatusCode::GATEWAY_TIMEOUT, &HeaderMap::new(), body);
//! assert_eq!(error.code(), Some(&hms::ErrorCode::ProviderTimeout));
//! assert_eq!(error.solution(), Some("Retry the request"));
//! assert_eq!(error.retry_class(), errspec::RetryClass::Transient);
//! assert_eq!(error.retry_delay(1), Some(Duration::from_secs(1)));
//! ```
//!
//! # A hand-written enum
//!
//! `#[derive(ErrorCode)]` gives an enum you write yourself the same impls as a generated
//! `ErrorCode`. Every code variant is a unit variant with its wire `code`, `status` and
//! `message` (and optionally `solution`, `category`, `retry = PATH` to a [`RetryPolicy`],
//! `no_retry`, and `alias` for wrong values accepted on the wire); the enum may name a default
//! `retry` policy and its `api`. A variant `Unknown(errspec::UnknownCode)` keeps codes the enum
//! does not list. The enum must be `Clone`: lookups hand out copies of its variants.
//!
//! ```
//! use std::time::Duration;
//!
//! const TRANSIENT: errspec::RetryPolicy = errspec::RetryPolicy {
//!     name: "transient",
//!     initial: Duration::from_secs(1),
//!     multiplier: 2.0,
//!     max_delay: Duration::from_secs(30),
//!     max_attempts: 3,
//!     jitter: errspec::Jitter::None,
//!     retry_after: None,
//!     methods: errspec::Methods::IDEMPOTENT,
//! };
//!
//! #[derive(Clone, Debug, PartialEq, Eq, Hash, errspec::ErrorCode)]
//! #[errspec(api = "Billing API")]
//! enum BillingCode {
//!     #[errspec(code = "insufficient_funds", status = 402, message = "Not enough credit",
//!               solution = "Top up the account")]
//!     InsufficientFunds,
//!     #[errspec(code = "ledger_busy", alias = "LEDGER_BUSY", status = 503,
//!               message = "The ledger is busy", retry = TRANSIENT)]
//!     LedgerBusy,
//!     Unknown(errspec::UnknownCode),
//! }
//!
//! assert_eq!(BillingCode::from_wire("LEDGER_BUSY"), BillingCode::LedgerBusy);
//! assert_eq!(BillingCode::LedgerBusy.retry_policy(), Some(&TRANSIENT));
//! assert_eq!(BillingCode::InsufficientFunds.status(), Some(errspec::http::StatusCode::PAYMENT_REQUIRED));
//! assert_eq!(BillingCode::InsufficientFunds.to_string(), "insufficient_funds");
//! assert!(BillingCode::from_wire("new_code").is_unknown());
//! ```
//!
//! Mistakes are compile errors on the attribute at fault, such as a missing `code`, a
//! duplicate code, an unknown attribute, a status outside 100–999 or a fallback variant of the
//! wrong shape.
//!
//! # Features
//!
//! * `reqwest`: the `reqwest` module (`SpecRetry`, a middleware that retries by the one retry
//!   decision with the client's budget, and `send`, whose error a caller matches on).
//! * `tower`: the `tower` module (`SpecPolicy`, the same decision as a `tower::retry::Policy`).
//! * `backon`: retries with `backon` by the same decision.
//! * `miette`: errors as `miette` diagnostics with their code and documented solution.
//! * `axum`: `IntoResponse` for `Error` and every generated `ErrorCode`, answering with the
//!   documented response.
//! * `wiremock`: the `wiremock` module (each code's documented response as a mock answer).
//!
//! Each feature's module has its name.

#![deny(missing_docs)]
// The crate docs show a whole `build.rs`, whose `main` is the point of the example.
#![allow(clippy::needless_doctest_main)]
// docs.rs marks which feature each gated item needs.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod body;
mod budget;
mod class;
mod codes;
mod error;
mod module;
mod render;
mod retry;
mod retry_after;
mod signals;
mod table;

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum;
#[cfg(feature = "backon")]
#[cfg_attr(docsrs, doc(cfg(feature = "backon")))]
pub mod backon;
#[cfg(feature = "miette")]
#[cfg_attr(docsrs, doc(cfg(feature = "miette")))]
pub mod miette;
#[cfg(feature = "reqwest")]
#[cfg_attr(docsrs, doc(cfg(feature = "reqwest")))]
pub mod reqwest;
#[cfg(feature = "tower")]
#[cfg_attr(docsrs, doc(cfg(feature = "tower")))]
pub mod tower;
#[cfg(feature = "wiremock")]
#[cfg_attr(docsrs, doc(cfg(feature = "wiremock")))]
pub mod wiremock;

use std::fmt;

pub use body::{
    EnvelopeDesc, FieldDesc, FieldKind, FieldValue, Fields, ResponseBody, Unparsed,
    MAX_PARSED_BODY, MAX_RAW_BODY,
};
pub use budget::{BudgetParams, Grant, RetryBudget, RetryCost};
pub use class::{may_resend, ApiError, RetryClass};
pub use error::{Api, Details, Error, StatusDesc};
pub use http;
pub use module::{Causes, Severity};
pub use render::{Examples, Rendered, ResponseBuilder};
pub use retry::{Jitter, Methods, RetryAfter, RetryPolicy};
pub use retry::{JitterRng, RetryAfterDelay, RetryAfterSource, RetryDecision, StopReason};
pub use retry_after::RetryAfterValue;
pub use serde;
pub use serde_json;
pub use signals::{Combine, RateLimit, SignalKind, SignalsRead, WaitSignal};

/// The raw wire value of an error code that the API's documentation does not list.
///
/// Generated `ErrorCode` enums keep such a value in their `Unknown` variant, so that nothing
/// the server sends is lost. Numeric codes are kept as their decimal text.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownCode(Box<str>);

impl UnknownCode {
    /// Keeps `raw` as an unknown code.
    pub fn new(raw: &str) -> Self {
        Self(raw.into())
    }

    /// Keeps an undocumented numeric code as its decimal text. Out of line and cold, so that the
    /// lookups calling it stay small enough to inline, and compiled here, once.
    #[cold]
    #[inline(never)]
    pub fn from_number(n: u32) -> Self {
        Self(n.to_string().into())
    }

    /// The code exactly as it appeared on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A documented limit of an API, such as "10 call-control commands per minute per call".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Limit {
    /// The limit's identifier in the spec.
    pub id: &'static str,
    /// The documented maximum.
    pub max: u32,
    /// The window the maximum applies to; `None` for a limit on concurrency.
    pub per: Option<std::time::Duration>,
    /// What the limit is counted for (for example `call` or `account`).
    pub scope: &'static str,
    /// The documentation's wording of the limit.
    pub description: &'static str,
}

/// One entry of an API's "common errors" or troubleshooting list: a situation the documentation
/// describes in words, with its solution, rather than as a wire code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CommonError {
    /// The entry's identifier in the spec.
    pub id: &'static str,
    /// The documentation's title for the situation.
    pub title: &'static str,
    /// The documented solution.
    pub solution: &'static str,
    /// Wire values of the codes the situation is reported with, where known.
    pub codes: &'static [&'static str],
    /// The documented limit behind the situation, if any.
    pub limit: Option<&'static Limit>,
}

/// What every generated `ErrorCode` enum implements, so that a client can be generic over APIs.
///
/// A spec module's `ErrorCode` has it through its [`Api`] impl (every `Api` is an
/// `ApiErrorCode`, read from the API's code table); `#[derive(ErrorCode)]` implements it over
/// the enum's own methods. A hand-written enum may implement it too.
pub trait ApiErrorCode: Clone + fmt::Debug + fmt::Display + Eq + std::hash::Hash + 'static {
    /// Maps a wire value to its code; a value the documentation does not list becomes the
    /// `Unknown` variant. Never fails.
    fn from_wire(raw: &str) -> Self;
    /// The code as it appears on the wire.
    fn as_str(&self) -> &str;
    /// Whether this is a code the documentation does not list.
    fn is_unknown(&self) -> bool;
    /// The HTTP status the code comes with, if documented.
    fn http_status(&self) -> Option<http::StatusCode>;
    /// The documented message.
    fn message(&self) -> Option<&'static str>;
    /// The documented solution.
    fn solution(&self) -> Option<&'static str>;
    /// The retry policy for this code, if it may be retried at all.
    fn retry_policy(&self) -> Option<&'static RetryPolicy>;
    /// Whether the documentation says a response with this code means the request was not
    /// processed, so that it may be sent again whatever its method.
    fn is_not_processed(&self) -> bool {
        false
    }
}

#[cfg(feature = "macros")]
#[cfg_attr(docsrs, doc(cfg(feature = "macros")))]
pub use errspec_macros::{include_spec, ErrorCode};

#[doc(hidden)]
pub mod __private {
    //! Helpers for generated code; not a public API.
    pub use crate::body::{read_body, RawCode, ReadBody};
    pub use crate::codes::{deserialize_code, serialize_code};
    pub use crate::error::status_code;
    pub use crate::module::{
        debug_code, lookup_number, lookup_wire, pick, CodeTable, Column, Lookup, OptionalFacts,
        Packed,
    };
    pub use crate::table::{canonical_u32, find_str, find_u32, hash_str, hash_u32, packed, slot};
}
