//! The error type of every generated module: its storage, the reading of a response, the retry
//! decision and the standard impls, compiled once here.
//!
//! A generated module hands its facts to this runtime through one `impl Api for ErrorCode`
//! (static tables and a few one-line functions) and names its error `pub type Error =
//! errspec::Error<ErrorCode>`. Everything an API shares is written here, non-generic wherever
//! the work is heavy: [`Error`] is a thin generic shell over [`Details`], whose reading,
//! `Clone`, `Debug`, `PartialEq`, `Display` and drop are compiled in this crate, so a crate that
//! includes a module compiles next to nothing of it until it calls it.

use std::fmt;
use std::mem::ManuallyDrop;
use std::time::{Duration, SystemTime};

use serde_json::{Map, Value};

use crate::body::{read_body, FieldValue, Fields, RawCode, ResponseBody};
use crate::module::CodeTable;
use crate::retry::{decide, Evidence};
use crate::{ApiError, ApiErrorCode, EnvelopeDesc, JitterRng, RetryAfterValue, RetryClass};
use crate::{BudgetParams, RateLimit, RetryBudget, RetryDecision, RetryPolicy};
use crate::{SignalsRead, UnknownCode, WaitSignal};

/// A documented HTTP status, as a generated module's status table lists it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StatusDesc {
    /// The status.
    pub code: http::StatusCode,
    /// The documentation's name of the status.
    pub name: &'static str,
    /// The documentation's description of the status.
    pub description: Option<&'static str>,
    /// The retry policy for responses with this status; `None`: do not retry.
    pub retry: Option<&'static RetryPolicy>,
}

/// `n` as a status; a number outside 100–999 fails to compile where the result is a constant.
#[doc(hidden)]
pub const fn status_code(n: u16) -> http::StatusCode {
    match http::StatusCode::from_u16(n) {
        Ok(code) => code,
        Err(_) => panic!("an HTTP status is a number from 100 to 999"),
    }
}

impl StatusDesc {
    /// A table entry. A number outside 100–999 fails to compile where the table is a constant.
    pub const fn new(
        number: u16,
        name: &'static str,
        description: Option<&'static str>,
        retry: Option<&'static RetryPolicy>,
    ) -> Self {
        StatusDesc {
            code: status_code(number),
            name,
            description,
            retry,
        }
    }

    /// Writes `status` as `429 Too Many Requests`, with the documentation's name when `desc`
    /// is the status's entry, else as [`http::StatusCode`] writes it.
    pub fn fmt_status(
        desc: Option<&StatusDesc>,
        status: http::StatusCode,
        f: &mut fmt::Formatter<'_>,
    ) -> fmt::Result {
        match desc {
            Some(desc) => write!(f, "{} {}", status.as_u16(), desc.name),
            None => fmt::Display::fmt(&status, f),
        }
    }
}

/// The facts of one API that the runtime reads: implemented by each generated `ErrorCode`.
///
/// Everything here is static data or a lookup the generated module already has; the behaviour
/// built on it ([`Error::from_response`], [`Error::retry_delay`], the impls) is written once, in
/// this crate.
pub trait Api: ApiErrorCode + Send + Sync {
    /// The API's `Status` enum.
    type Status: Copy
        + fmt::Debug
        + fmt::Display
        + PartialEq
        + From<http::StatusCode>
        + Into<http::StatusCode>
        + Send
        + Sync
        + 'static;
    /// The API's `Envelope` enum: the body shapes it documents, with their fields typed.
    type Envelope: Clone + fmt::Debug + PartialEq + Send + Sync + 'static;
    /// The documented statuses, in the documentation's order.
    const STATUSES: &'static [StatusDesc];
    /// The envelopes, in the order the reader tries them.
    const ENVELOPES: &'static [EnvelopeDesc];
    /// Whether the codes are numbers on the wire (written as JSON numbers).
    const INTEGER: bool = false;
    /// The wait signals the API sends besides the policies' `Retry-After`, in precedence
    /// order (`retry.signals`).
    const SIGNALS: &'static [WaitSignal] = &[];
    /// The retry budget the spec declares for a client of the API (`retry.budget`).
    const BUDGET: Option<BudgetParams> = None;

    /// The code for a wire value, and whether the value is a documented alias.
    fn lookup_wire(raw: &str) -> (Self, bool);

    /// The code for a numeric wire value, and whether it is a documented alias. Integer APIs
    /// look numbers up without formatting them.
    #[inline]
    fn lookup_number(n: u32) -> (Self, bool) {
        Self::lookup_wire(&n.to_string())
    }

    /// The typed envelope `index` of [`ENVELOPES`](Self::ENVELOPES), taking its documented
    /// fields from `fields`.
    fn envelope(index: usize, fields: &mut Fields) -> Self::Envelope;

    /// The facts of every code, which [`ApiErrorCode`]'s methods read (generated; the layout
    /// is not a public API).
    #[doc(hidden)]
    const __CODES: &'static CodeTable;

    /// The code's position in [`__CODES`](Self::__CODES); `None` for an unknown code.
    #[doc(hidden)]
    fn __index(&self) -> Option<usize>;

    /// The wire value of an unknown code; `None` for a documented one.
    #[doc(hidden)]
    fn __unknown(&self) -> Option<&UnknownCode>;
}

/// Every [`Api`] is an [`ApiErrorCode`], read from its code table: a generated module writes
/// no impl of its own (each would be eight more functions for the user's crate to check).
impl<C: Api> ApiErrorCode for C {
    #[inline]
    fn from_wire(raw: &str) -> Self {
        C::lookup_wire(raw).0
    }

    #[inline]
    fn as_str(&self) -> &str {
        match self.__unknown() {
            Some(raw) => raw.as_str(),
            None => C::__CODES.wire_of(self.__index()),
        }
    }

    #[inline]
    fn is_unknown(&self) -> bool {
        self.__unknown().is_some()
    }

    #[inline]
    fn http_status(&self) -> Option<http::StatusCode> {
        let status = C::__CODES.status(self.__index())?;
        C::STATUSES.get(status).map(|desc| desc.code)
    }

    #[inline]
    fn message(&self) -> Option<&'static str> {
        C::__CODES.message(self.__index())
    }

    #[inline]
    fn solution(&self) -> Option<&'static str> {
        C::__CODES.solution(self.__index())
    }

    #[inline]
    fn retry_policy(&self) -> Option<&'static RetryPolicy> {
        C::__CODES.retry_policy(self.__index())
    }

    #[inline]
    fn is_not_processed(&self) -> bool {
        C::__CODES.not_processed(self.__index())
    }
}

/// The entry of `status` in a status table.
fn find_status(
    table: &'static [StatusDesc],
    status: http::StatusCode,
) -> Option<&'static StatusDesc> {
    table.iter().find(|desc| desc.code == status)
}

/// An error response of an API: status, code, message, the envelope's fields and a bounded copy
/// of the body. Each generated module names it `Error`.
///
/// Built by [`from_response`](Self::from_response), which never fails, or from a status alone
/// (`From<http::StatusCode>`).
pub struct Error<C: Api> {
    code: Option<C>,
    envelope: Option<C::Envelope>,
    details: Details,
}

/// What an [`Error`] keeps whatever the API: the facts its code and status resolve to, and what
/// the response carried. Its impls are compiled once, here.
pub struct Details {
    status: http::StatusCode,
    status_desc: Option<&'static StatusDesc>,
    facts: Facts,
    code_is_alias: bool,
    code_unreadable: bool,
    retry_after: Option<RetryAfterValue>,
    owned: ManuallyDrop<Owned>,
}

/// The documented facts of an error's code, resolved when the error is made.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Facts {
    message: Option<&'static str>,
    solution: Option<&'static str>,
    policy: Option<&'static RetryPolicy>,
    /// Whether the documentation gives the code a status (and so its policy is the code's
    /// own or that status's).
    documented_status: bool,
    /// Whether the code says the request was not processed (so it may be sent again).
    not_processed: bool,
}

/// The heap-owning part of [`Details`]. It sits in a `ManuallyDrop` that `Details`'s own `Drop`
/// releases, so that its drop glue is compiled here and not in every crate holding an `Error`.
#[derive(Clone, Debug, Default, PartialEq)]
struct Owned {
    message: Option<String>,
    extra: Map<String, Value>,
    body: ResponseBody,
    /// What the API's declared wait signals said, when the response carried any.
    signals: Option<Box<SignalsRead>>,
}

impl Drop for Details {
    fn drop(&mut self) {
        // SAFETY: `owned` is dropped here only, once, and never used afterwards.
        unsafe { ManuallyDrop::drop(&mut self.owned) }
    }
}

impl Clone for Details {
    fn clone(&self) -> Self {
        Details {
            status: self.status,
            status_desc: self.status_desc,
            facts: self.facts,
            code_is_alias: self.code_is_alias,
            code_unreadable: self.code_unreadable,
            retry_after: self.retry_after,
            owned: self.owned.clone(),
        }
    }
}

impl PartialEq for Details {
    fn eq(&self, other: &Self) -> bool {
        self.status == other.status
            && self.code_is_alias == other.code_is_alias
            && self.code_unreadable == other.code_unreadable
            && self.retry_after == other.retry_after
            && self.owned == other.owned
    }
}

impl fmt::Debug for Details {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Details")
            .field("status", &self.status)
            .field("code_is_alias", &self.code_is_alias)
            .field("code_unreadable", &self.code_unreadable)
            .field("message", &self.owned.message)
            .field("extra", &self.owned.extra)
            .field("body", &self.owned.body)
            .field("retry_after", &self.retry_after)
            .field("signals", &self.owned.signals)
            .finish()
    }
}

impl Details {
    fn new(
        status: http::StatusCode,
        statuses: &'static [StatusDesc],
        code: Option<(Facts, bool)>,
        message: Option<String>,
    ) -> Self {
        let status_desc = find_status(statuses, status);
        let status_policy = status_desc.and_then(|desc| desc.retry);
        // A known code's own policy wins over its status's; an unknown code has none, and a
        // code documented without a status and without a policy of its own takes the policy
        // of the status it came with.
        let facts = match code {
            Some((facts, true)) if facts.policy.is_none() && !facts.documented_status => Facts {
                policy: status_policy,
                ..facts
            },
            Some((facts, true)) => facts,
            _ => Facts {
                policy: status_policy,
                ..Facts::default()
            },
        };
        Details {
            status,
            status_desc,
            facts,
            code_is_alias: false,
            code_unreadable: false,
            retry_after: None,
            owned: ManuallyDrop::new(Owned {
                message,
                ..Owned::default()
            }),
        }
    }

    /// Reads the `Retry-After` header when the retry policy honours it.
    fn read_retry_after(&mut self, headers: &http::HeaderMap) {
        self.retry_after = self
            .facts
            .policy
            .and_then(|policy| policy.retry_after)
            .and_then(|retry_after| RetryAfterValue::from_headers(headers, retry_after.header));
    }

    fn message(&self) -> Option<&str> {
        self.owned
            .message
            .as_deref()
            .filter(|message| !message.trim().is_empty())
            .or(self.facts.message)
            .or_else(|| self.status_desc.and_then(|desc| desc.description))
    }

    /// Reads the API's declared wait signals from the headers and, for the body kinds, from
    /// `field`.
    fn read_signals(
        &mut self,
        signals: &'static [WaitSignal],
        headers: &http::HeaderMap,
        field: impl FnMut(&str) -> Option<Value>,
    ) {
        if !signals.is_empty() {
            self.owned.signals = SignalsRead::read(signals, headers, field).map(Box::new);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn retry_decision_at(
        &self,
        signals: &'static [WaitSignal],
        request: Option<(&http::Method, &http::HeaderMap)>,
        attempt: u32,
        now: SystemTime,
        rng: &mut JitterRng,
        budget: Option<&RetryBudget>,
    ) -> RetryDecision {
        let evidence = Evidence {
            status: self.status,
            policy: self.facts.policy,
            retry_after: self.retry_after.as_ref(),
            signals,
            read: self.owned.signals.as_deref(),
            request,
            not_processed: self.facts.not_processed,
        };
        decide(&evidence, attempt, now, rng, budget)
    }

    fn fmt(&self, code: Option<&str>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        StatusDesc::fmt_status(self.status_desc, self.status, f)?;
        if let Some(code) = code {
            write!(f, " [{code}]")?;
        }
        if let Some(message) = self.message() {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

impl<C: Api> Error<C> {
    /// The documented facts of `code`, and whether it is a known one.
    #[inline]
    fn facts(code: &C) -> (Facts, bool) {
        let facts = Facts {
            message: code.message(),
            solution: code.solution(),
            policy: code.retry_policy(),
            documented_status: code.http_status().is_some(),
            not_processed: code.is_not_processed(),
        };
        (facts, !code.is_unknown())
    }

    /// An error with the given status, code and wire message, and no body.
    #[inline]
    pub fn new(status: impl Into<C::Status>, code: Option<C>, message: Option<String>) -> Self {
        let status: http::StatusCode = status.into().into();
        let details = Details::new(status, C::STATUSES, code.as_ref().map(Self::facts), message);
        Error {
            code,
            envelope: None,
            details,
        }
    }

    /// Reads an error response: finds which documented envelope the body uses, maps its code
    /// (string or number, documented aliases included), keeps every other field, and reads the
    /// `Retry-After` header when the retry policy honours it.
    ///
    /// Never fails and never panics: a body that is empty, not JSON, truncated, too large, too
    /// deep or not UTF-8 gives an error classified from the status alone, which keeps the first
    /// [`MAX_RAW_BODY`](crate::MAX_RAW_BODY) bytes and the reason (`body().unparsed()`).
    pub fn from_response(status: http::StatusCode, headers: &http::HeaderMap, body: &[u8]) -> Self {
        let (body, read) = read_body(status.as_u16(), body, C::ENVELOPES);
        let Some(mut read) = read else {
            let mut error = Error::new(status, None, None);
            error.details.owned.body = body;
            error.details.read_retry_after(headers);
            error.details.read_signals(C::SIGNALS, headers, |_| None);
            return error;
        };
        let found = read.code.as_ref().map(|raw| match raw {
            RawCode::Integer(n) => match u32::try_from(*n) {
                Ok(n) => C::lookup_number(n),
                Err(_) => C::lookup_wire(&n.to_string()),
            },
            RawCode::Text(text) => C::lookup_wire(text),
        });
        let (code, alias) = match found {
            Some((code, alias)) => (Some(code), alias),
            None => (None, false),
        };
        // The code key holds a value of a type the envelope does not accept (`"code": true`):
        // the reader kept it in `extra`, and the error says so.
        let unreadable = read.code.is_none()
            && C::ENVELOPES
                .get(read.envelope)
                .is_some_and(|e| read.extra.contains_key(e.code));
        let mut error = Error::new(status, code, read.message);
        // Before the documented fields go to the typed envelope: a delay may be one of them.
        let documented = C::ENVELOPES
            .get(read.envelope)
            .map_or(&[][..], |e| e.fields);
        error.details.read_signals(C::SIGNALS, headers, |name| {
            match documented.iter().position(|f| f.name == name) {
                Some(i) => read.fields.get(i).cloned().map(FieldValue::into_value),
                None => read.extra.get(name).cloned(),
            }
        });
        error.envelope = Some(C::envelope(read.envelope, &mut read.fields));
        let details = &mut error.details;
        details.code_is_alias = alias;
        details.code_unreadable = unreadable;
        details.owned.extra = read.extra;
        details.owned.body = body;
        details.read_retry_after(headers);
        error
    }

    /// The response's status.
    #[inline]
    pub fn status(&self) -> C::Status {
        C::Status::from(self.details.status)
    }

    /// The response's status as an [`http::StatusCode`].
    #[inline]
    pub fn http_status(&self) -> http::StatusCode {
        self.details.status
    }

    /// The error code, if the response carried one.
    #[inline]
    pub fn code(&self) -> Option<&C> {
        self.code.as_ref()
    }

    /// Whether the wire carried one of the code's other documented wire values (an alias, such
    /// as the name of a numeric code, or a wrong value the documentation shows) rather than
    /// its own.
    #[inline]
    pub fn code_is_alias(&self) -> bool {
        self.details.code_is_alias
    }

    /// Whether the body's envelope carried its code field with a value the documentation does
    /// not allow for it (`"code": true`, or a number where only strings are documented): the
    /// error then has no code, and the value is kept in [`extra`](Self::extra) under the
    /// field's name.
    #[inline]
    pub fn code_unreadable(&self) -> bool {
        self.details.code_unreadable
    }

    /// The message: the one the server sent (unless blank), else the code's documented
    /// message, else the status's documented description.
    #[inline]
    pub fn message(&self) -> Option<&str> {
        self.details.message()
    }

    /// The message exactly as the server sent it.
    #[inline]
    pub fn wire_message(&self) -> Option<&str> {
        self.details.owned.message.as_deref()
    }

    /// The documented solution for the error's code.
    #[inline]
    pub fn solution(&self) -> Option<&'static str> {
        self.details.facts.solution
    }

    /// The envelope the body used, with its documented fields.
    #[inline]
    pub fn envelope(&self) -> Option<&C::Envelope> {
        self.envelope.as_ref()
    }

    /// The envelope's fields the documentation does not name, and documented fields that came
    /// with another JSON type than documented.
    #[inline]
    pub fn extra(&self) -> &Map<String, Value> {
        &self.details.owned.extra
    }

    /// The body as received (bounded), and why it could not be parsed, if it could not.
    #[inline]
    pub fn body(&self) -> &ResponseBody {
        &self.details.owned.body
    }

    /// The `Retry-After` header, when the retry policy honours it and it was sent.
    #[inline]
    pub fn retry_after(&self) -> Option<&RetryAfterValue> {
        self.details.retry_after.as_ref()
    }

    /// The retry policy: the known code's (its own, else its documented status's; for a code
    /// documented without a status, the response status's), else the status's; `None`: do not
    /// retry.
    #[inline]
    pub fn retry_policy(&self) -> Option<&'static RetryPolicy> {
        self.details.facts.policy
    }

    /// The error's retry class.
    #[inline]
    pub fn retry_class(&self) -> RetryClass {
        RetryClass::classify(self.details.status, self.details.facts.policy)
    }

    /// How long to wait after the failed attempt `attempt` (numbered from 1), now; `None`: do
    /// not retry. The [`retry_decision`](Self::retry_decision) without a budget.
    #[inline]
    pub fn retry_delay(&self, attempt: u32) -> Option<Duration> {
        self.retry_decision(attempt, None).delay()
    }

    /// The same at time `now`, with jitter drawn from `rng`.
    #[inline]
    pub fn retry_delay_at(
        &self,
        attempt: u32,
        now: SystemTime,
        rng: &mut JitterRng,
    ) -> Option<Duration> {
        self.retry_decision_at(attempt, now, rng, None).delay()
    }

    /// The retry decision after the failed attempt `attempt` (numbered from 1), now, paid from
    /// `budget` if given: see [`retry_decision_at`](Self::retry_decision_at).
    #[inline]
    pub fn retry_decision(&self, attempt: u32, budget: Option<&RetryBudget>) -> RetryDecision {
        self.retry_decision_at(
            attempt,
            SystemTime::now(),
            &mut JitterRng::from_entropy(),
            budget,
        )
    }

    /// The retry decision after the failed attempt `attempt` (numbered from 1) at time `now`:
    ///
    /// 1. the server's verdict, by the first declared wait signal that gives one
    ///    ([`Api::SIGNALS`]): "no" stops ([`StopReason::ServerSaidNo`](crate::StopReason::ServerSaidNo)); "yes" retries, by the
    ///    signal's policy when neither the code nor the status has one;
    /// 2. the policy, the code's over the status's, or [`StopReason::NotRetryable`](crate::StopReason::NotRetryable);
    /// 3. its attempt limit, or [`StopReason::AttemptsExhausted`](crate::StopReason::AttemptsExhausted);
    /// 4. the delay: the first declared signal holding a usable delay (cut to its cap), which
    ///    replaces the policy's delay or takes the longer of both ([`Combine`](crate::Combine)); the policy's
    ///    is its `Retry-After` (or default, capped) when it honours one, else its backoff with
    ///    jitter drawn from `rng`;
    /// 5. the budget, when given: it pays for the retry by its class, or
    ///    [`StopReason::BudgetExhausted`](crate::StopReason::BudgetExhausted).
    ///
    /// Every adapter (backon, reqwest, tower) retries by this decision and nothing else.
    #[inline]
    pub fn retry_decision_at(
        &self,
        attempt: u32,
        now: SystemTime,
        rng: &mut JitterRng,
        budget: Option<&RetryBudget>,
    ) -> RetryDecision {
        self.details
            .retry_decision_at(C::SIGNALS, None, attempt, now, rng, budget)
    }

    /// The retry decision for `request` (its method and headers), which is to be sent again:
    /// [`retry_decision_at`](Self::retry_decision_at), and also
    /// [`StopReason::NotIdempotent`](crate::StopReason::NotIdempotent) when the policy may not
    /// resend its method ([`RetryPolicy::methods`]), the request carries no `Idempotency-Key`,
    /// and the code does not say the request was not processed. The reqwest and tower adapters
    /// decide by this.
    #[inline]
    pub fn retry_decision_for(
        &self,
        request: (&http::Method, &http::HeaderMap),
        attempt: u32,
        now: SystemTime,
        rng: &mut JitterRng,
        budget: Option<&RetryBudget>,
    ) -> RetryDecision {
        self.details
            .retry_decision_at(C::SIGNALS, Some(request), attempt, now, rng, budget)
    }

    /// Whether the error's code says the request was not processed, so that it may be sent
    /// again whatever its method.
    #[inline]
    pub fn request_not_processed(&self) -> bool {
        self.details.facts.not_processed
    }

    /// What the API's declared wait signals said in this response, if it carried any.
    #[inline]
    pub fn signals(&self) -> Option<&SignalsRead> {
        self.details.owned.signals.as_deref()
    }

    /// The rate-limit state the response reported, when the API declares the `RateLimit`
    /// signal and the response carried it: quota, window, remaining and reset.
    #[inline]
    pub fn rate_limit(&self) -> Option<&RateLimit> {
        self.signals().and_then(|read| read.rate_limit.as_ref())
    }

    /// What the error keeps whatever the API.
    #[inline]
    pub fn details(&self) -> &Details {
        &self.details
    }
}

impl<C: Api> Clone for Error<C> {
    #[inline]
    fn clone(&self) -> Self {
        Error {
            code: self.code.clone(),
            envelope: self.envelope.clone(),
            details: self.details.clone(),
        }
    }
}

impl<C: Api> PartialEq for Error<C> {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code && self.envelope == other.envelope && self.details == other.details
    }
}

impl<C: Api> fmt::Debug for Error<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("status", &self.status())
            .field("code", &self.code)
            .field("envelope", &self.envelope)
            .field("details", &self.details)
            .finish()
    }
}

impl<C: Api> fmt::Display for Error<C> {
    #[inline]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.details.fmt(self.code.as_ref().map(C::as_str), f)
    }
}

impl<C: Api> std::error::Error for Error<C> {}

impl<C: Api> From<http::StatusCode> for Error<C> {
    #[inline]
    fn from(status: http::StatusCode) -> Self {
        Error::new(status, None, None)
    }
}

impl<C: Api> ApiError for Error<C> {
    type Code = C;

    #[inline]
    fn from_response(status: http::StatusCode, headers: &http::HeaderMap, body: &[u8]) -> Self {
        Error::from_response(status, headers, body)
    }

    #[inline]
    fn http_status(&self) -> http::StatusCode {
        self.details.status
    }

    #[inline]
    fn error_code(&self) -> Option<&C> {
        self.code()
    }

    #[inline]
    fn retry_policy(&self) -> Option<&'static RetryPolicy> {
        Error::retry_policy(self)
    }

    #[inline]
    fn solution(&self) -> Option<&'static str> {
        Error::solution(self)
    }

    #[inline]
    fn retry_delay(&self, attempt: u32) -> Option<Duration> {
        Error::retry_delay(self, attempt)
    }

    #[inline]
    fn retry_decision(&self, attempt: u32, budget: Option<&RetryBudget>) -> RetryDecision {
        Error::retry_decision(self, attempt, budget)
    }

    #[inline]
    fn retry_decision_for(
        &self,
        method: &http::Method,
        headers: &http::HeaderMap,
        attempt: u32,
        budget: Option<&RetryBudget>,
    ) -> RetryDecision {
        Error::retry_decision_for(
            self,
            (method, headers),
            attempt,
            SystemTime::now(),
            &mut JitterRng::from_entropy(),
            budget,
        )
    }

    #[inline]
    fn declared_budget() -> Option<BudgetParams> {
        C::BUDGET
    }
}
