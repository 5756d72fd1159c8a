//! The other side of the wire: the response the documentation shows for a code, for servers
//! that must answer as their docs say and for tests of clients that read such answers.
//!
//! [`ResponseBuilder`] starts from a code's documented facts (its status, the envelope
//! documented for that status, its message, `Retry-After` when its retry policy honours the
//! header) and lets each be overridden. The body is written by serde_json, so it is valid JSON
//! whatever the strings hold, and [`Error::from_response`](crate::Error::from_response) reads it
//! back as the same code, status, message and fields.

use std::time::Duration;

use serde_json::{Map, Value};

use crate::{Api, EnvelopeDesc};

/// A documented error response being put together; [`build`](Self::build) writes it.
///
/// ```
/// # mod hms { errspec::include_spec!("spec/hms_sovereign.yaml"); }
/// use hms::ErrorCode;
///
/// let response = ErrorCode::InsufficientCredits.response();
/// assert_eq!(response.status(), 402);
/// let read = hms::Error::from_response(response.status(), response.headers(), response.body());
/// assert_eq!(read.code(), Some(&ErrorCode::InsufficientCredits));
///
/// // Anything can be overridden: the message, documented or other fields, the wait.
/// let response = ErrorCode::InsufficientCredits
///     .response_builder()
///     .message("Balance is 0.00")
///     .field("param", "amount")
///     .build();
/// let read = hms::Error::from_response(response.status(), response.headers(), response.body());
/// assert_eq!(read.message(), Some("Balance is 0.00"));
/// ```
#[derive(Clone, Debug)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct ResponseBuilder {
    envelopes: &'static [EnvelopeDesc],
    status: http::StatusCode,
    code: String,
    integer: bool,
    message: Option<String>,
    fields: Map<String, Value>,
    retry_after: Option<(&'static str, Duration)>,
}

impl ResponseBuilder {
    /// The documented response of `code`: its status (500 for a code without one), its
    /// documented message, and `Retry-After` with the default delay of its retry policy when
    /// that policy honours the header. `integer`: the API's codes are numbers on the wire.
    pub fn for_code<C: Api>(code: &C, integer: bool) -> Self {
        let status = code
            .http_status()
            .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        let retry_after = code
            .retry_policy()
            .and_then(|p| p.retry_after.as_ref())
            .map(|ra| (ra.header, ra.default));
        ResponseBuilder {
            envelopes: C::ENVELOPES,
            status,
            code: code.as_str().to_owned(),
            integer,
            message: code.message().map(str::to_owned),
            fields: Map::new(),
            retry_after,
        }
    }

    /// Another status; the envelope follows it.
    pub fn status(mut self, status: http::StatusCode) -> Self {
        self.status = status;
        self
    }

    /// The message the body carries in place of the documented one.
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// A body without a message.
    pub fn without_message(mut self) -> Self {
        self.message = None;
        self
    }

    /// Sets a field of the envelope's object: a documented one, or any other (which a reader
    /// keeps in `extra`). The code and message keys are set by the builder and not here.
    pub fn field(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.fields.insert(name.to_owned(), value.into());
        self
    }

    /// The wait to send, in whole seconds (rounded up); `None` sends no `Retry-After`.
    pub fn retry_after(mut self, delay: Option<Duration>) -> Self {
        self.retry_after = delay.map(|d| {
            let header = self.retry_after.map_or("Retry-After", |(h, _)| h);
            (header, d)
        });
        self
    }

    /// The response: the status, `Content-Type: application/json`, `Retry-After` if any, and
    /// the body in the envelope documented for the status.
    pub fn build(self) -> http::Response<Vec<u8>> {
        render(
            self.envelopes,
            self.status,
            &self.code,
            self.integer,
            self.message.as_deref(),
            self.fields,
            self.retry_after,
        )
    }
}

/// The envelope a response with `status` is written in: the first documented for exactly that
/// status, else the first documented for any status, else the first.
fn envelope_for(envelopes: &'static [EnvelopeDesc], status: u16) -> Option<&'static EnvelopeDesc> {
    envelopes
        .iter()
        .find(|e| e.statuses.contains(&status))
        .or_else(|| envelopes.iter().find(|e| e.statuses.is_empty()))
        .or_else(|| envelopes.first())
}

fn render(
    envelopes: &'static [EnvelopeDesc],
    status: http::StatusCode,
    code: &str,
    integer: bool,
    message: Option<&str>,
    mut fields: Map<String, Value>,
    retry_after: Option<(&'static str, Duration)>,
) -> http::Response<Vec<u8>> {
    let mut response = http::Response::new(Vec::new());
    *response.status_mut() = status;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    if let Some((header, delay)) = retry_after {
        let seconds = delay.as_secs() + u64::from(delay.subsec_nanos() > 0);
        if let Ok(name) = http::HeaderName::from_bytes(header.as_bytes()) {
            response
                .headers_mut()
                .insert(name, http::HeaderValue::from(seconds));
        }
    }
    let Some(envelope) = envelope_for(envelopes, status.as_u16()) else {
        return response;
    };
    let code_value = match code.parse::<u64>() {
        Ok(n) if integer && crate::__private::canonical_u32(code).is_some() => Value::from(n),
        _ => Value::from(code),
    };
    fields.insert(envelope.code.to_owned(), code_value);
    if let (Some(key), Some(message)) = (envelope.message, message) {
        fields.insert(key.to_owned(), Value::from(message));
    }
    let mut body = Value::Object(fields);
    for key in envelope.root.iter().rev() {
        let mut outer = Map::new();
        outer.insert((*key).to_owned(), body);
        body = Value::Object(outer);
    }
    // Serializing a `Value` cannot fail: its keys are strings and it holds no non-finite float.
    *response.body_mut() = serde_json::to_vec(&body).unwrap_or_default();
    response
}

/// `response`, `response_builder` and `examples` for a generated `ErrorCode` (a spec module's
/// only: a derive has no envelopes).
#[doc(hidden)]
#[macro_export]
macro_rules! __code_response {
    ($Code:ident, $table:path) => {
        impl $Code {
            /// The response the documentation shows for this code: its status, its documented
            /// message in the envelope documented for the status, and `Retry-After` when its
            /// retry policy honours the header. [`Error::from_response`](Error::from_response)
            /// reads it back as this code.
            pub fn response(&self) -> $crate::http::Response<::std::vec::Vec<u8>> {
                self.response_builder().build()
            }

            /// [`response`](Self::response), with the message, fields, status or wait to
            /// override.
            pub fn response_builder(&self) -> $crate::ResponseBuilder {
                $crate::ResponseBuilder::for_code(self, $table.integer)
            }

            /// Every documented code with its documented response, in the documentation's
            /// order: fixtures for testing a client's error handling.
            pub fn examples() -> impl ::core::iter::Iterator<
                Item = ($Code, $crate::http::Response<::std::vec::Vec<u8>>),
            > {
                $Code::ALL.iter().map(|code| (::core::clone::Clone::clone(code), code.response()))
            }
        }
    };
}
