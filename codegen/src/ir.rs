//! The validated model every emitter reads: names resolved to Rust identifiers, references
//! resolved to indices, durations to milliseconds, `extends` flattened.
//!
//! Order is the documentation's order throughout (the spec's lists), so output is
//! deterministic by construction and reads like the source page; retry policies, which the
//! spec keeps in a map, are ordered by name.

pub use crate::spec::{
    BudgetPreset, CodeType, CombineKind, ErratumField, FieldType, JitterKind, Severity,
    SignalKindEntry as SignalKind, TextFormat,
};

/// One API, ready to emit.
#[derive(Clone, Debug, PartialEq)]
pub struct Api {
    /// The spec's file name (no directories), as named in generated headers.
    pub file: String,
    /// Rust module name.
    pub id: String,
    /// Human name of the API.
    pub name: String,
    /// Where the tables were transcribed from.
    pub source: String,
    /// Public address of the source page, if any.
    pub url: Option<String>,
    /// What the API is.
    pub description: Option<String>,
    /// Whether wire codes are strings or integers.
    pub code_type: CodeType,
    /// The page's statement that more codes may come, if it makes one.
    pub forward_compatibility: Option<String>,
    /// The spec format version the spec is written in (1 or 2).
    pub version: u32,
    /// Whether the texts are plain text or Markdown.
    pub text: TextFormat,
    /// The address of each code's documentation, `{code}` standing for its wire value.
    pub docs_url: Option<String>,
    /// The error body shapes, in the order they are tried.
    pub envelopes: Vec<Envelope>,
    /// Documented HTTP statuses.
    pub statuses: Vec<Status>,
    /// Groups of codes.
    pub categories: Vec<Category>,
    /// Retry policies, by name.
    pub policies: Vec<Policy>,
    /// The wait signals the API sends besides the policies' `Retry-After`, in precedence order.
    pub signals: Vec<Signal>,
    /// The retry budget the spec declares for clients.
    pub budget: Option<Budget>,
    /// Documented codes.
    pub codes: Vec<Code>,
    /// Documented limits.
    pub limits: Vec<Limit>,
    /// Documented situations without a wire code.
    pub common_errors: Vec<CommonError>,
    /// Every place the page contradicts itself.
    pub errata: Vec<Erratum>,
    /// What the code is generated for.
    pub target: Target,
}

/// What the generated code is for, decided where the IR is made: it fixes the names the
/// emitter gives the code enum, statuses, categories and policies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A module generated from a spec, with its own `ErrorCode`, `Status` and `Category` enums
    /// and `retry` and `limits` constants.
    Module,
    /// `#[derive(ErrorCode)]` on a hand-written enum: the codes are the user's enum `ident`,
    /// statuses are plain `http::StatusCode`s (an API without a `Status` enum: every
    /// [`Status::variant`] is `None`), categories are their ids, and each policy is a path the
    /// user named, handed to the emitter beside the IR with its span.
    Derive {
        /// The name of the user's enum.
        ident: String,
    },
}

/// An error body shape.
#[derive(Clone, Debug, PartialEq)]
pub struct Envelope {
    /// Identifier in the spec.
    pub id: String,
    /// Rust variant name in the module's `Envelope` enum.
    pub variant: String,
    /// What it is.
    pub description: Option<String>,
    /// Dotted path of the object that holds the fields (empty: the body itself).
    pub root: Vec<String>,
    /// The field that holds the error code.
    pub code_field: String,
    /// The JSON types the code field may have on the wire.
    pub code_accepts: Vec<FieldType>,
    /// The field that holds the human message.
    pub message_field: Option<String>,
    /// The other documented fields.
    pub fields: Vec<EnvelopeField>,
    /// Statuses this envelope is documented for (empty: any).
    pub statuses: Vec<u16>,
    /// Example body from the page.
    pub example: Option<String>,
}

/// A documented field of an envelope.
#[derive(Clone, Debug, PartialEq)]
pub struct EnvelopeField {
    /// JSON name.
    pub name: String,
    /// Rust identifier.
    pub ident: String,
    /// JSON type.
    pub ty: FieldType,
    /// Documentation.
    pub description: Option<String>,
}

/// A documented HTTP status.
#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    /// The number.
    pub number: u16,
    /// The page's name for it; a derive, whose attributes state only the number, names it by
    /// the number.
    pub name: String,
    /// Rust variant name in the module's `Status` enum; `None` where there is no such enum
    /// ([`Target::Derive`]).
    pub variant: Option<String>,
    /// The page's description.
    pub description: Option<String>,
    /// Index of the retry policy for this status.
    pub retry: Option<usize>,
    /// Fields the page does not state.
    pub inferred: Vec<String>,
}

/// A group of codes.
#[derive(Clone, Debug, PartialEq)]
pub struct Category {
    /// Identifier in the spec.
    pub id: String,
    /// Rust variant name.
    pub variant: String,
    /// Title.
    pub title: String,
    /// Description.
    pub description: Option<String>,
    /// Fields the page does not state.
    pub inferred: Vec<String>,
}

/// A resolved retry policy.
#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    /// Name in the spec.
    pub name: String,
    /// Rust constant name.
    pub const_name: String,
    /// Description.
    pub description: Option<String>,
    /// Delay after the first failed attempt, in milliseconds.
    pub initial_ms: u64,
    /// Growth factor of each further delay.
    pub multiplier: f64,
    /// Longest backoff delay, in milliseconds.
    pub max_delay_ms: u64,
    /// Requests in all, the first included.
    pub max_attempts: u32,
    /// Random part.
    pub jitter: JitterKind,
    /// `Retry-After` handling.
    pub retry_after: Option<RetryAfter>,
    /// The methods it may send again, upper case in RFC 9110's order; `None`: the idempotent
    /// ones.
    pub methods: Option<Vec<String>>,
    /// Fields the page does not state (this policy's own and those it extends).
    pub inferred: Vec<String>,
}

/// A wait signal the API sends.
#[derive(Clone, Debug, PartialEq)]
pub struct Signal {
    /// How it is written.
    pub kind: SignalKind,
    /// The header it comes in, or for the body kinds the body field.
    pub name: String,
    /// The longest delay taken from it, in milliseconds.
    pub cap_ms: u64,
    /// How its delay meets the policy's.
    pub combine: CombineKind,
    /// For `should_retry`: index into `Api::policies` of the policy a `true` retries by.
    pub policy: Option<usize>,
}

/// A retry budget.
#[derive(Clone, Debug, PartialEq)]
pub struct Budget {
    /// The published algorithm it is, if it is one.
    pub preset: Option<BudgetPreset>,
    /// How it spends and earns.
    pub kind: BudgetKind,
}

/// How a retry budget spends and earns its tokens.
#[derive(Clone, Debug, PartialEq)]
pub enum BudgetKind {
    /// A quota a retry is paid from (the AWS standard retry mode's).
    Quota {
        /// Tokens held, and at the start.
        capacity: f64,
        /// The cost of retrying a throttling error.
        throttling_cost: f64,
        /// The cost of retrying a transient error.
        transient_cost: f64,
        /// The cost of retrying after a timeout.
        timeout_cost: f64,
        /// What a success without a retry adds.
        success_refill: f64,
        /// Whether a success after a retry refunds its cost.
        refund: bool,
    },
    /// gRPC retry throttling (gRFC A6).
    Throttling {
        /// The bucket's size.
        max_tokens: f64,
        /// What a success adds.
        token_ratio: f64,
    },
}

/// `Retry-After` handling of a policy.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryAfter {
    /// Header name.
    pub header: String,
    /// Delay when the header is missing or unusable, in milliseconds.
    pub default_ms: u64,
    /// Longest delay taken from the header, in milliseconds.
    pub cap_ms: u64,
}

/// A documented error code.
#[derive(Clone, Debug, PartialEq)]
pub struct Code {
    /// The wire value as text (integers in decimal).
    pub wire: String,
    /// The wire value as a number, for integer APIs.
    pub number: Option<u32>,
    /// Rust variant name.
    pub variant: String,
    /// Index into `Api::statuses`; `None` when the documentation states no status for the
    /// code (the status is then whatever the response carries).
    pub status: Option<usize>,
    /// How serious the code is; [`Severity::Success`] codes are not errors.
    pub severity: Severity,
    /// What the documentation says can cause the error.
    pub causes: Vec<String>,
    /// The address of the code's own documentation, over [`Api::docs_url`].
    pub docs_url: Option<String>,
    /// That the code is deprecated, with the details.
    pub deprecated: Option<Deprecation>,
    /// That a response with the code means the request was not processed.
    pub not_processed: bool,
    /// Index into `Api::categories`.
    pub category: Option<usize>,
    /// The documented message.
    pub message: String,
    /// The page's longer explanation.
    pub description: Option<String>,
    /// The documented solution.
    pub solution: Option<String>,
    /// Index into `Api::envelopes` of the shape the code comes in, if documented.
    pub envelope: Option<usize>,
    /// Index into `Api::policies` of the code's own policy (else its status's).
    pub retry: Option<usize>,
    /// Example body from the page, exactly as shown.
    pub example: Option<String>,
    /// Fields the page does not state.
    pub inferred: Vec<String>,
    /// The code's other wire values: the spec's `aliases`, then the wrong values the page shows
    /// that errata accept.
    pub aliases: Vec<String>,
    /// Index into `Api::limits` of the limit the code reports.
    pub limit: Option<usize>,
}

/// That a code is deprecated.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Deprecation {
    /// Why, or what to do instead.
    pub note: Option<String>,
    /// Index into `Api::codes` of the code that replaces it.
    pub replaced_by: Option<usize>,
}

/// A documented limit.
#[derive(Clone, Debug, PartialEq)]
pub struct Limit {
    /// Identifier in the spec.
    pub id: String,
    /// Rust constant name.
    pub const_name: String,
    /// Maximum.
    pub max: u32,
    /// Window, in milliseconds; `None` for concurrency.
    pub per_ms: Option<u64>,
    /// What is counted.
    pub scope: String,
    /// The page's wording.
    pub description: String,
    /// Indices of the codes that report it.
    pub codes: Vec<usize>,
    /// Fields the page does not state.
    pub inferred: Vec<String>,
}

/// A documented situation without a wire code of its own.
#[derive(Clone, Debug, PartialEq)]
pub struct CommonError {
    /// Identifier in the spec.
    pub id: String,
    /// Rust constant name.
    pub const_name: String,
    /// Title.
    pub title: String,
    /// Solution.
    pub solution: String,
    /// Indices of related codes.
    pub codes: Vec<usize>,
    /// Index of the related limit.
    pub limit: Option<usize>,
    /// Fields the page does not state.
    pub inferred: Vec<String>,
}

/// A place where the source page contradicts itself.
#[derive(Clone, Debug, PartialEq)]
pub struct Erratum {
    /// What part of the page is wrong.
    pub field: ErratumField,
    /// What the page shows.
    pub page_shows: String,
    /// What is wrong and what errspec does about it.
    pub description: String,
    /// Indices of the codes concerned.
    pub codes: Vec<usize>,
    /// Whether `page_shows` is accepted on the wire as an alias of the (single) code.
    pub alias: bool,
}

impl Api {
    /// The policy that applies to a code: its own, else its status's.
    pub fn effective_retry(&self, code: &Code) -> Option<usize> {
        code.retry
            .or_else(|| code.status.and_then(|s| self.statuses[s].retry))
    }

    /// The address of a code's documentation: its own, else the API's template with the
    /// code's wire value, percent-encoded, for `{code}`.
    pub fn docs_url(&self, code: &Code) -> Option<String> {
        if let Some(url) = &code.docs_url {
            return Some(url.clone());
        }
        let template = self.docs_url.as_deref()?;
        Some(template.replace("{code}", &percent_encode(&code.wire)))
    }

    /// The status number of a code, if the documentation states one.
    pub fn status_number(&self, code: &Code) -> Option<u16> {
        code.status.map(|s| self.statuses[s].number)
    }
}

/// `text` with every byte outside RFC 3986's unreserved characters percent-encoded, as the
/// runtime's `ErrorCode::docs_url` encodes it.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    errspec_core::push_percent_encoded(&mut out, text);
    out
}
