//! The other side of the wire: the response the documentation shows for a code, for servers
//! that must answer as their docs say and for tests of clients that read such answers.
//!
//! [`ResponseBuilder`] starts from a code's documented facts (its status, the envelope
//! documented for that status, its message, `Retry-After` when its retry policy honours the
//! header) and lets each be overridden. The body is written by serde_json, so it is valid JSON
//! whatever the strings hold, and [`Error::from_response`](crate::Error::from_response) reads it
//! back as the same code, status, message and fields.

use std::borrow::Cow;
use std::time::Duration;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

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
pub struct ResponseBuilder<'a> {
    envelopes: &'static [EnvelopeDesc],
    status: http::StatusCode,
    code: &'a str,
    integer: bool,
    message: Option<Cow<'a, str>>,
    /// In the order set; a name set again keeps its first place and takes the new value.
    fields: Vec<(String, Value)>,
    retry_after: Option<(&'static str, Duration)>,
}

impl<'a> ResponseBuilder<'a> {
    /// The documented response of `code`: its status (500 for a code without one), its
    /// documented message, and `Retry-After` with the default delay of its retry policy when
    /// that policy honours the header. `integer`: the API's codes are numbers on the wire.
    pub fn for_code<C: Api>(code: &'a C, integer: bool) -> Self {
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
            code: code.as_str(),
            integer,
            message: code.message().map(Cow::Borrowed),
            fields: Vec::new(),
            retry_after,
        }
    }

    /// Another status; the envelope follows it.
    pub fn status(mut self, status: http::StatusCode) -> Self {
        self.status = status;
        self
    }

    /// The message the body carries in place of the documented one.
    pub fn message(mut self, message: impl Into<Cow<'a, str>>) -> Self {
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
        let value = value.into();
        match self.fields.iter_mut().find(|(k, _)| k == name) {
            Some((_, old)) => *old = value,
            None => self.fields.push((name.to_owned(), value)),
        }
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
        self.render().into_response()
    }

    /// The same response as [`build`](Self::build), before it is put in an `http::Response`:
    /// the only allocation is the body's, and the headers are written when a server or test
    /// asks for them ([`into_response`](Rendered::into_response), [`headers`](Rendered::headers)).
    pub fn render(self) -> Rendered {
        let retry_after = self.retry_after.map(|(header, delay)| {
            let seconds = delay.as_secs() + u64::from(delay.subsec_nanos() > 0);
            (header, seconds)
        });
        Rendered {
            status: self.status,
            retry_after,
            body: write_body(
                self.envelopes,
                self.status,
                self.code,
                self.integer,
                self.message.as_deref(),
                &self.fields,
            ),
        }
    }
}

/// A documented response as its parts: a status, `Content-Type: application/json`, an optional
/// `Retry-After` (or the policy's own header) in whole seconds, and the body. Converting it
/// ([`into_response`](Self::into_response), `From`) gives the same `http::Response` as
/// [`ResponseBuilder::build`].
///
/// ```
/// # mod hms { errspec::include_spec!("spec/hms_sovereign.yaml"); }
/// let rendered = hms::ErrorCode::RateLimitExceeded.render();
/// assert_eq!(rendered.status(), 429);
/// assert_eq!(rendered.retry_after(), Some(("Retry-After", 60)));
/// let response: errspec::http::Response<Vec<u8>> = rendered.into();
/// assert_eq!(response.headers()["retry-after"], "60");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    status: http::StatusCode,
    retry_after: Option<(&'static str, u64)>,
    body: Vec<u8>,
}

impl Rendered {
    /// The body's media type.
    pub const CONTENT_TYPE: &'static str = "application/json";

    /// The response's status.
    pub fn status(&self) -> http::StatusCode {
        self.status
    }

    /// The wait header's name and its value in seconds, when the response sends one.
    pub fn retry_after(&self) -> Option<(&'static str, u64)> {
        self.retry_after
    }

    /// The body: the envelope documented for the status, or empty when the API documents none.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body, owned.
    pub fn into_body(self) -> Vec<u8> {
        self.body
    }

    /// The response's headers: `Content-Type`, and the wait header if any (a header name the
    /// policy gives that is not a valid name is left out).
    pub fn headers(&self) -> http::HeaderMap {
        let mut headers = http::HeaderMap::with_capacity(2);
        headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static(Self::CONTENT_TYPE),
        );
        if let Some((header, seconds)) = self.retry_after {
            let name = if header.eq_ignore_ascii_case("retry-after") {
                Ok(http::header::RETRY_AFTER)
            } else {
                http::HeaderName::from_bytes(header.as_bytes())
            };
            if let Ok(name) = name {
                headers.insert(name, http::HeaderValue::from(seconds));
            }
        }
        headers
    }

    /// The response as an `http::Response`, the form servers and clients take.
    pub fn into_response(self) -> http::Response<Vec<u8>> {
        let headers = self.headers();
        let mut response = http::Response::new(self.body);
        *response.status_mut() = self.status;
        *response.headers_mut() = headers;
        response
    }
}

impl From<Rendered> for http::Response<Vec<u8>> {
    fn from(rendered: Rendered) -> Self {
        rendered.into_response()
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

/// The body of a response with `status`, in the envelope documented for it (empty when the
/// API documents none).
fn write_body(
    envelopes: &'static [EnvelopeDesc],
    status: http::StatusCode,
    code: &str,
    integer: bool,
    message: Option<&str>,
    fields: &[(String, Value)],
) -> Vec<u8> {
    let Some(envelope) = envelope_for(envelopes, status.as_u16()) else {
        return Vec::new();
    };
    let number = if integer {
        crate::__private::canonical_u32(code)
    } else {
        None
    };
    let body = Body {
        root: envelope.root,
        object: Object {
            code_key: envelope.code,
            code,
            number,
            message: envelope.message.zip(message),
            fields,
        },
    };
    let mut bytes = Vec::with_capacity(
        64 + code.len()
            + message.map_or(0, str::len)
            + envelope.root.iter().map(|k| k.len() + 6).sum::<usize>(),
    );
    // Writing these types cannot fail: keys are strings and a `Value` holds no non-finite
    // float; a failure would leave the body empty, never half-written JSON.
    if serde_json::to_writer(&mut bytes, &body).is_err() {
        bytes.clear();
    }
    bytes
}

/// The body: the envelope's object under its root keys, serialized without building a
/// `Value` first, so that the only allocation is the body's.
struct Body<'a> {
    root: &'a [&'a str],
    object: Object<'a>,
}

#[derive(Clone, Copy)]
struct Object<'a> {
    code_key: &'a str,
    code: &'a str,
    number: Option<u32>,
    message: Option<(&'a str, &'a str)>,
    fields: &'a [(String, Value)],
}

impl Serialize for Body<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.root.split_first() {
            None => self.object.serialize(serializer),
            Some((key, rest)) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry(
                    key,
                    &Body {
                        root: rest,
                        object: self.object,
                    },
                )?;
                map.end()
            }
        }
    }
}

impl Serialize for Object<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // The code and message keys are the builder's; a field of the same name gives way.
        let own = |k: &str| k == self.code_key || self.message.is_some_and(|(m, _)| m == k);
        let mut map = serializer.serialize_map(None)?;
        match self.number {
            Some(n) => map.serialize_entry(self.code_key, &n)?,
            None => map.serialize_entry(self.code_key, self.code)?,
        }
        if let Some((key, message)) = self.message {
            map.serialize_entry(key, message)?;
        }
        for (key, value) in self.fields.iter().filter(|(k, _)| !own(k)) {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// Every documented code of an API with its documented response, in the documentation's order:
/// what a generated `ErrorCode::examples()` returns.
///
/// A named iterator rather than an `impl Iterator` in each generated module: the module then
/// compiles no closure and no opaque type of its own.
#[derive(Clone, Debug)]
#[must_use = "an iterator does nothing unless consumed"]
pub struct Examples<C: 'static> {
    codes: std::slice::Iter<'static, C>,
    integer: bool,
}

impl<C: Api> Examples<C> {
    /// The responses of `codes`; `integer`: the API's codes are numbers on the wire.
    #[inline]
    pub fn new(codes: &'static [C], integer: bool) -> Self {
        Examples {
            codes: codes.iter(),
            integer,
        }
    }
}

impl<C: Api> Iterator for Examples<C> {
    type Item = (C, http::Response<Vec<u8>>);

    fn next(&mut self) -> Option<Self::Item> {
        let code = self.codes.next()?;
        let response = ResponseBuilder::for_code(code, self.integer).build();
        Some((code.clone(), response))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.codes.size_hint()
    }
}

impl<C: Api> ExactSizeIterator for Examples<C> {}

impl<C: Api> std::iter::FusedIterator for Examples<C> {}

/// `response`, `render`, `response_builder` and `examples` for a generated `ErrorCode` (a spec
/// module's only: a derive has no envelopes).
#[doc(hidden)]
#[macro_export]
macro_rules! __code_response {
    ($Code:ident, $table:path) => {
        impl $Code {
            /// The response the documentation shows for this code: its status, its documented
            /// message in the envelope documented for the status, and `Retry-After` when its
            /// retry policy honours the header. [`Error::from_response`](Error::from_response)
            /// reads it back as this code.
            #[inline]
            pub fn response(&self) -> $crate::http::Response<::std::vec::Vec<u8>> {
                self.response_builder().build()
            }

            /// [`response`](Self::response) as its parts, before an `http::Response` is made
            /// of them: the body is the only allocation.
            #[inline]
            pub fn render(&self) -> $crate::Rendered {
                self.response_builder().render()
            }

            /// [`response`](Self::response), with the message, fields, status or wait to
            /// override.
            #[inline]
            pub fn response_builder(&self) -> $crate::ResponseBuilder<'_> {
                $crate::ResponseBuilder::for_code(self, $table.integer)
            }

            /// Every documented code with its documented response, in the documentation's
            /// order: fixtures for testing a client's error handling.
            #[inline]
            pub fn examples() -> $crate::Examples<$Code> {
                $crate::Examples::new($Code::ALL, $table.integer)
            }
        }

        $crate::__code_axum!($Code);
    };
}

/// Nothing without the `axum` feature (with it, `IntoResponse` for the code): a macro of this
/// crate, so that the feature of `errspec`, not of the crate expanding it, decides.
#[cfg(not(feature = "axum"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __code_axum {
    ($Code:ident) => {};
}
