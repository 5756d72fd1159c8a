//! The spec file as written: a serde model that mirrors the YAML one to one.
//!
//! Nothing here is checked beyond its shape; `validate` turns it into the IR.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "schema",
    schemars(
        description = "An errspec spec: the error documentation of one HTTP API, transcribed. The format: https://docs.rs/errspec-codegen/latest/errspec_codegen/spec_format/"
    )
)]
pub struct Spec {
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "The format version: 2 (optional statuses, aliases, severities, causes, deprecation, documentation links, Markdown text); omitted: 1."
        )
    )]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::version"))]
    #[serde(default)]
    pub version: Option<Scalar>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The API: identity, source, code type.")
    )]
    pub api: ApiSection,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The JSON shapes of error bodies, at least one.")
    )]
    pub envelopes: Vec<Envelope>,
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "The HTTP statuses the page documents (version 2: may be empty or omitted)."
        )
    )]
    #[serde(default)]
    pub statuses: Vec<StatusEntry>,
    #[cfg_attr(feature = "schema", schemars(description = "Named retry policies."))]
    #[serde(default)]
    pub retry: RetrySection,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The groups the page lists codes in.")
    )]
    #[serde(default)]
    pub categories: Vec<Category>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The documented error codes, in the page's order.")
    )]
    pub codes: Vec<CodeEntry>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "Documented rate and concurrency limits.")
    )]
    #[serde(default)]
    pub limits: Vec<LimitEntry>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "Problems the page describes without a wire code of their own.")
    )]
    #[serde(default)]
    pub common_errors: Vec<CommonErrorEntry>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "Contradictions on the page that concern several codes or none.")
    )]
    #[serde(default)]
    pub errata: Vec<Erratum>,
}

#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "schema",
    schemars(description = "The API: identity, source, code type.")
)]
pub struct ApiSection {
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "The generated Rust module and file name: lowercase letters, digits and `_`, starting with a letter."
        )
    )]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::api_id"))]
    pub id: String,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The API's name, as the page gives it.")
    )]
    pub name: String,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The document the tables were transcribed from.")
    )]
    pub source: String,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "Where that document is published.")
    )]
    #[serde(default)]
    pub url: Option<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "What the API is, in the page's words.")
    )]
    #[serde(default)]
    pub description: Option<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "Whether codes are strings (`unauthorized`) or whole numbers (`40001`)."
        )
    )]
    pub code_type: CodeType,
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "The page's statement that codes not listed may be added later, quoted."
        )
    )]
    #[serde(default)]
    pub forward_compatibility: Option<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "Version 2: whether the spec's texts are `plain` text (the default: shown as written) or `markdown` (rendered, sanitised)."
        )
    )]
    #[serde(default)]
    pub text: Option<TextFormat>,
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "Version 2: the address of each code's documentation, with `{code}` standing for the code's wire value, such as `https://example.com/errors/{code}`."
        )
    )]
    #[serde(default)]
    pub docs_url: Option<String>,
}

/// How the spec's texts are written.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "schema",
    schemars(description = "`plain` text, or `markdown` rendered and sanitised.")
)]
pub enum TextFormat {
    /// Shown exactly as written.
    #[default]
    Plain,
    /// Markdown: emphasis, code, links, lists and paragraphs are rendered; raw HTML is shown
    /// as text.
    Markdown,
}

/// How serious a code is.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "schema",
    schemars(
        description = "`error` (the default), `warning`, `info`, or `success`: a code that reports success, not an error."
    )
)]
pub enum Severity {
    /// The request failed.
    #[default]
    Error,
    /// The request succeeded with a warning.
    Warning,
    /// Information.
    Info,
    /// Success: not an error.
    Success,
}

impl Severity {
    /// The severity's name as the spec writes it.
    pub fn name(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Success => "success",
        }
    }
}

/// That a code is deprecated: `true`, or the details.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(untagged))]
pub enum Deprecated {
    /// `deprecated: true` or `false`.
    Flag(bool),
    /// `deprecated: { note: ..., replaced_by: ... }`.
    Detail(DeprecatedDetail),
}

/// The details of a deprecation.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DeprecatedDetail {
    #[cfg_attr(
        feature = "schema",
        schemars(description = "Why the code is deprecated, or what to do instead.")
    )]
    #[serde(default)]
    pub note: Option<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The code that replaces it, by wire value.")
    )]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::code"))]
    #[serde(default)]
    pub replaced_by: Option<Scalar>,
}

impl<'de> Deserialize<'de> for Deprecated {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DeprecatedVisitor;
        impl<'de> Visitor<'de> for DeprecatedVisitor {
            type Value = Deprecated;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`true`, or a map with `note` and/or `replaced_by`")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Deprecated, E> {
                Ok(Deprecated::Flag(v))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Deprecated, A::Error> {
                DeprecatedDetail::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(Deprecated::Detail)
            }
        }
        deserializer.deserialize_any(DeprecatedVisitor)
    }
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "schema",
    schemars(description = "Whether codes are strings or whole numbers.")
)]
pub enum CodeType {
    String,
    Integer,
}

#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "schema",
    schemars(description = "One shape of error body: where the code and the message are.")
)]
pub struct Envelope {
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The name `codes[].envelope` refers to.")
    )]
    pub id: String,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The page's description of the shape.")
    )]
    #[serde(default)]
    pub description: Option<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "Dotted path of the object holding the fields, such as `error`; omitted or empty: the body itself."
        )
    )]
    #[serde(default)]
    pub root: Option<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "Where the code is and the JSON types it has.")
    )]
    pub code: CodeField,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The field holding the human-readable message.")
    )]
    #[serde(default)]
    pub message: Option<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The body's other documented fields.")
    )]
    #[serde(default)]
    pub fields: Vec<EnvelopeField>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The statuses this shape is documented for; empty: any.")
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::status_list")
    )]
    #[serde(default)]
    pub statuses: Vec<Scalar>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "An example body, exactly as the page shows it.")
    )]
    #[serde(default)]
    pub example: Option<String>,
}

#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "schema",
    schemars(description = "The field holding the code.")
)]
pub struct CodeField {
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The name of the field holding the code.")
    )]
    pub field: String,
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "The JSON types the code has on the wire: `string` and/or `integer`."
        )
    )]
    pub accepts: Vec<FieldType>,
}

#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "schema",
    schemars(description = "A documented field of an error body.")
)]
pub struct EnvelopeField {
    #[cfg_attr(feature = "schema", schemars(description = "The JSON name."))]
    pub name: String,
    #[cfg_attr(feature = "schema", schemars(description = "The JSON type."))]
    #[serde(rename = "type")]
    pub ty: FieldType,
    #[cfg_attr(feature = "schema", schemars(description = "What the field holds."))]
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", schemars(description = "A JSON type."))]
pub enum FieldType {
    String,
    Integer,
    Boolean,
    Array,
    Object,
    Any,
}

#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "schema",
    schemars(description = "An HTTP status the page documents.")
)]
pub struct StatusEntry {
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The status number, unquoted.")
    )]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::status"))]
    pub status: Scalar,
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "The page's name for the status; it also gives the `Status` variant."
        )
    )]
    pub name: String,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The page's description of the status.")
    )]
    #[serde(default)]
    pub description: Option<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The retry policy for responses with this status and its codes.")
    )]
    #[serde(default)]
    pub retry: Option<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "Which fields the page does not state.")
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::inferred_status")
    )]
    #[serde(default)]
    pub inferred: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(description = "Named retry policies."))]
pub struct RetrySection {
    #[cfg_attr(feature = "schema", schemars(description = "Retry policies by name."))]
    #[serde(default)]
    pub policies: BTreeMap<String, PolicyEntry>,
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "The wait signals the API sends besides the policies' Retry-After, in precedence order (version 2)."
        )
    )]
    #[serde(default)]
    pub signals: Vec<SignalEntry>,
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "A retry budget for clients: a token bucket shared by every clone of a client (version 2)."
        )
    )]
    #[serde(default)]
    pub budget: Option<BudgetEntry>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "schema",
    schemars(description = "How a wait signal is written.")
)]
pub enum SignalKindEntry {
    /// A header written like `Retry-After`: seconds or an HTTP-date.
    RetryAfter,
    /// A header holding seconds.
    Seconds,
    /// A header holding milliseconds (`retry-after-ms`, `x-ms-retry-after-ms`).
    Milliseconds,
    /// gRPC's `grpc-retry-pushback-ms`: negative or unreadable means do not retry.
    Pushback,
    /// `true` or `false` (`x-should-retry`, `Stripe-Should-Retry`).
    ShouldRetry,
    /// The IETF `RateLimit` field with `RateLimit-Policy`.
    Ratelimit,
    /// Seconds in a field of the error body.
    BodySeconds,
    /// Milliseconds in a field of the error body.
    BodyMilliseconds,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "schema",
    schemars(
        description = "How a signal's delay meets the policy's: `replace` it (default) or take the longer, `max`."
    )
)]
pub enum CombineKind {
    Replace,
    Max,
}

#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "schema",
    schemars(description = "One wait signal the API sends.")
)]
pub struct SignalEntry {
    #[cfg_attr(
        feature = "schema",
        schemars(description = "How the signal is written.")
    )]
    pub kind: SignalKindEntry,
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "The header it comes in (all kinds but the body ones; `ratelimit` defaults to `RateLimit`)."
        )
    )]
    #[serde(default)]
    pub header: Option<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The field of the error body it comes in (the body kinds).")
    )]
    #[serde(default)]
    pub field: Option<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The longest delay taken from it; default `1h`.")
    )]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::duration"))]
    #[serde(default)]
    pub cap: Option<Scalar>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "How its delay meets the policy's; default `replace`.")
    )]
    #[serde(default)]
    pub combine: Option<CombineKind>,
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "`should_retry` only: the policy a `true` retries by when neither the code nor the status has one."
        )
    )]
    #[serde(default)]
    pub policy: Option<String>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "schema",
    schemars(
        description = "A published budget algorithm: `aws_standard` (500 tokens, 5 a retry, 10 after a timeout, refund on success) or `grpc` (gRFC A6 retry throttling, with `max_tokens` and `token_ratio`)."
    )
)]
pub enum BudgetPreset {
    AwsStandard,
    Grpc,
}

#[derive(Debug, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "schema",
    schemars(
        description = "A retry budget: a preset, or a quota with `capacity` and `retry_cost`."
    )
)]
pub struct BudgetEntry {
    #[cfg_attr(feature = "schema", schemars(description = "A published algorithm."))]
    #[serde(default)]
    pub preset: Option<BudgetPreset>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "Quota: the tokens the bucket holds and starts with.")
    )]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::tokens"))]
    #[serde(default)]
    pub capacity: Option<Scalar>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "Quota: the cost of retrying a transient error.")
    )]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::tokens"))]
    #[serde(default)]
    pub retry_cost: Option<Scalar>,
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "Quota: the cost of retrying a throttling error; default `retry_cost`."
        )
    )]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::tokens"))]
    #[serde(default)]
    pub throttling_cost: Option<Scalar>,
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "Quota: the cost of retrying after a timeout; default `retry_cost`."
        )
    )]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::tokens"))]
    #[serde(default)]
    pub timeout_cost: Option<Scalar>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "Quota: what a success without a retry adds; default 1.")
    )]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::tokens"))]
    #[serde(default)]
    pub success_refill: Option<Scalar>,
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "Quota: whether a success after a retry puts that retry's cost back; default true."
        )
    )]
    #[serde(default)]
    pub refund: Option<bool>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "grpc: the bucket's size, 1 to 1000.")
    )]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::tokens"))]
    #[serde(default)]
    pub max_tokens: Option<Scalar>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "grpc: what a success adds, above 0 and at most 1.")
    )]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::tokens"))]
    #[serde(default)]
    pub token_ratio: Option<Scalar>,
}

#[derive(Debug, Deserialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "schema",
    schemars(
        description = "A retry policy: exponential or constant backoff, jitter and Retry-After."
    )
)]
pub struct PolicyEntry {
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "Inherit every field this policy does not set from another policy."
        )
    )]
    #[serde(default)]
    pub extends: Option<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "What the policy is for; not inherited.")
    )]
    #[serde(default)]
    pub description: Option<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "How delays grow; default `exponential`.")
    )]
    #[serde(default)]
    pub backoff: Option<BackoffKind>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The delay after the first failed attempt, such as `1s`.")
    )]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::duration"))]
    #[serde(default)]
    pub initial: Option<Scalar>,
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "The factor each further delay is multiplied by: 1 to 1000, default 2 (`constant`: 1)."
        )
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::multiplier")
    )]
    #[serde(default)]
    pub multiplier: Option<Scalar>,
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "The longest backoff delay, at least `initial`; default `initial`."
        )
    )]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::duration"))]
    #[serde(default)]
    pub max_delay: Option<Scalar>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "How many requests are made in all, the first one included.")
    )]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::attempts"))]
    #[serde(default)]
    pub max_attempts: Option<Scalar>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The random part of each delay; default `none`.")
    )]
    #[serde(default)]
    pub jitter: Option<JitterKind>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "How the server's Retry-After header is honoured.")
    )]
    #[serde(default)]
    pub retry_after: Option<RetryAfterEntry>,
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "Version 2: the HTTP methods the policy may send again; default the idempotent ones of RFC 9110 (GET, HEAD, OPTIONS, TRACE, PUT, DELETE)."
        )
    )]
    #[serde(default)]
    pub methods: Option<Vec<String>>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "Which fields the page does not state.")
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::inferred_policy")
    )]
    #[serde(default)]
    pub inferred: Vec<String>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "schema", schemars(description = "How delays grow."))]
pub enum BackoffKind {
    Exponential,
    Constant,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "schema",
    schemars(
        description = "The random part of each delay: `none`, `full` (0 to the delay) or `equal` (half the delay plus up to the other half)."
    )
)]
pub enum JitterKind {
    None,
    Full,
    Equal,
}

#[derive(Debug, Deserialize, Clone)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "schema",
    schemars(description = "How the server's Retry-After header is honoured.")
)]
pub struct RetryAfterEntry {
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The header's name, such as `Retry-After`.")
    )]
    pub header: String,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The delay when the header is missing or unusable.")
    )]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::duration"))]
    pub default: Scalar,
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "The longest delay taken from the header; default the longer of `default` and `max_delay`."
        )
    )]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::duration"))]
    #[serde(default)]
    pub cap: Option<Scalar>,
}

#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "schema",
    schemars(description = "A group or section the page lists codes under.")
)]
pub struct Category {
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "The name `codes[].category` refers to; it also gives the `Category` variant."
        )
    )]
    pub id: String,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The section's title, as the page shows it.")
    )]
    pub title: String,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The section's introduction.")
    )]
    #[serde(default)]
    pub description: Option<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "Which fields the page does not state.")
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::inferred_category")
    )]
    #[serde(default)]
    pub inferred: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(description = "A documented error code."))]
pub struct CodeEntry {
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "The code exactly as it appears on the wire: a string or an unquoted whole number, per `api.code_type`."
        )
    )]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::code"))]
    pub code: Scalar,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The Rust variant name; derived from `code` when omitted.")
    )]
    #[serde(default)]
    pub variant: Option<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "The HTTP status the code comes with, listed in `statuses`; version 2: omitted when the page states none."
        )
    )]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::status"))]
    #[serde(default)]
    pub status: Option<Scalar>,
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "Version 2: the code's other wire values, such as the name `INVALID_ARGUMENT` of code `3`."
        )
    )]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::code_list"))]
    #[serde(default)]
    pub aliases: Vec<Scalar>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "Version 2: how serious the code is; default `error`.")
    )]
    #[serde(default)]
    pub severity: Option<Severity>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "Version 2: what the page says can cause the error.")
    )]
    #[serde(default)]
    pub causes: Vec<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "Version 2: the address of the code's own documentation, over `api.docs_url`."
        )
    )]
    #[serde(default)]
    pub docs_url: Option<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "Version 2: the code is deprecated: `true`, or `{ note: ..., replaced_by: CODE }`."
        )
    )]
    #[serde(default)]
    pub deprecated: Option<Deprecated>,
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "Version 2: a response with this code means the request was not processed, so a client may send it again whatever its method."
        )
    )]
    #[serde(default)]
    pub not_processed: Option<bool>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The id of the section the page lists the code in.")
    )]
    #[serde(default)]
    pub category: Option<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The message the page documents for the code.")
    )]
    pub message: String,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The page's longer explanation.")
    )]
    #[serde(default)]
    pub description: Option<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "What the page says to do about the error.")
    )]
    #[serde(default)]
    pub solution: Option<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The id of the body shape the code comes in.")
    )]
    #[serde(default)]
    pub envelope: Option<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The code's own retry policy; else its status's applies.")
    )]
    #[serde(default)]
    pub retry: Option<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "An example body, exactly as the page shows it, mistakes included."
        )
    )]
    #[serde(default)]
    pub example: Option<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "Which fields the page does not state.")
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::inferred_code")
    )]
    #[serde(default)]
    pub inferred: Vec<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "Contradictions on the page that concern this code only (without `codes`)."
        )
    )]
    #[serde(default)]
    pub errata: Vec<Erratum>,
}

#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "schema",
    schemars(description = "A documented maximum, such as requests per minute or calls at once.")
)]
pub struct LimitEntry {
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "The limit's name; it also gives the constant in the `limits` module."
        )
    )]
    pub id: String,
    #[cfg_attr(feature = "schema", schemars(description = "The documented maximum."))]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::positive"))]
    pub max: Scalar,
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "The window the maximum applies to; omitted: a limit on concurrency."
        )
    )]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::duration"))]
    #[serde(default)]
    pub per: Option<Scalar>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "What the limit is counted for, such as `call` or `account`.")
    )]
    pub scope: String,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The page's wording of the limit.")
    )]
    pub description: String,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The codes that report this limit, by wire value.")
    )]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::code_list"))]
    #[serde(default)]
    pub codes: Vec<Scalar>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "Which fields the page does not state.")
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::inferred_limit")
    )]
    #[serde(default)]
    pub inferred: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "schema",
    schemars(description = "A problem the page describes in words, with a solution.")
)]
pub struct CommonErrorEntry {
    #[cfg_attr(feature = "schema", schemars(description = "The entry's name."))]
    pub id: String,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The page's title for the problem.")
    )]
    pub title: String,
    #[cfg_attr(feature = "schema", schemars(description = "The page's solution."))]
    pub solution: String,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The codes this problem is reported with, by wire value.")
    )]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::code_list"))]
    #[serde(default)]
    pub codes: Vec<Scalar>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The id of the documented limit behind the problem.")
    )]
    #[serde(default)]
    pub limit: Option<String>,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "Which fields the page does not state.")
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(schema_with = "crate::schema::inferred_common_error")
    )]
    #[serde(default)]
    pub inferred: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[cfg_attr(
    feature = "schema",
    schemars(description = "A place where the page contradicts itself.")
)]
pub struct Erratum {
    #[cfg_attr(
        feature = "schema",
        schemars(description = "Which part of the page is wrong.")
    )]
    pub field: ErratumField,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "What the page shows, verbatim.")
    )]
    pub page_shows: String,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "What is wrong and what the spec does about it.")
    )]
    pub description: String,
    #[cfg_attr(
        feature = "schema",
        schemars(description = "The codes concerned, by wire value (top-level errata only).")
    )]
    #[cfg_attr(feature = "schema", schemars(schema_with = "crate::schema::code_list"))]
    #[serde(default)]
    pub codes: Vec<Scalar>,
    #[cfg_attr(
        feature = "schema",
        schemars(
            description = "Accept `page_shows` on the wire as the code concerned (a wrong code value only)."
        )
    )]
    #[serde(default)]
    pub alias: bool,
}

impl FieldType {
    /// The type's name as the spec writes it.
    pub fn name(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Boolean => "boolean",
            FieldType::Array => "array",
            FieldType::Object => "object",
            FieldType::Any => "any",
        }
    }
}

/// Which part of the page an erratum concerns.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErratumField {
    /// The error code value in an example body.
    Code,
    /// The status text or number shown for a code.
    Status,
    /// The message shown for a code.
    Message,
    /// A section heading.
    Heading,
    /// The documented JSON type of a field.
    Type,
    /// A whole example body.
    Body,
}

/// A YAML scalar kept as written, so that validation (not serde) decides what it may be and
/// can say so with the value's location. Codes may be strings or integers; numbers and
/// durations are checked for range and unit.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Str(String),
    Int(i128),
    Float(f64),
    Bool(bool),
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Str(s) => f.write_str(s),
            Scalar::Int(n) => write!(f, "{n}"),
            Scalar::Float(x) => write!(f, "{x}"),
            Scalar::Bool(b) => write!(f, "{b}"),
        }
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;
        impl Visitor<'_> for ScalarVisitor {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar::Int(v.into()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar::Int(v.into()))
            }
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<Scalar, E> {
                Ok(Scalar::Int(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar::Float(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar::Str(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar, E> {
                Ok(Scalar::Str(v))
            }
        }
        deserializer.deserialize_any(ScalarVisitor)
    }
}
