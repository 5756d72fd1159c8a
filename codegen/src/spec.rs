//! The spec file as written: a serde model that mirrors the YAML one to one.
//!
//! Nothing here is checked beyond its shape; `validate` turns it into the IR.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    pub api: ApiSection,
    pub envelopes: Vec<Envelope>,
    pub statuses: Vec<StatusEntry>,
    #[serde(default)]
    pub retry: RetrySection,
    #[serde(default)]
    pub categories: Vec<Category>,
    pub codes: Vec<CodeEntry>,
    #[serde(default)]
    pub limits: Vec<LimitEntry>,
    #[serde(default)]
    pub common_errors: Vec<CommonErrorEntry>,
    #[serde(default)]
    pub errata: Vec<Erratum>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiSection {
    pub id: String,
    pub name: String,
    pub source: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub code_type: CodeType,
    #[serde(default)]
    pub forward_compatibility: Option<String>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum CodeType {
    String,
    Integer,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    pub id: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub root: Option<String>,
    pub code: CodeField,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub fields: Vec<EnvelopeField>,
    #[serde(default)]
    pub statuses: Vec<Scalar>,
    #[serde(default)]
    pub example: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeField {
    pub field: String,
    pub accepts: Vec<FieldType>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvelopeField {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: FieldType,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    String,
    Integer,
    Boolean,
    Array,
    Object,
    Any,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusEntry {
    pub status: Scalar,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub retry: Option<String>,
    #[serde(default)]
    pub inferred: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetrySection {
    #[serde(default)]
    pub policies: BTreeMap<String, PolicyEntry>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PolicyEntry {
    #[serde(default)]
    pub extends: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub backoff: Option<BackoffKind>,
    #[serde(default)]
    pub initial: Option<Scalar>,
    #[serde(default)]
    pub multiplier: Option<Scalar>,
    #[serde(default)]
    pub max_delay: Option<Scalar>,
    #[serde(default)]
    pub max_attempts: Option<Scalar>,
    #[serde(default)]
    pub jitter: Option<JitterKind>,
    #[serde(default)]
    pub retry_after: Option<RetryAfterEntry>,
    #[serde(default)]
    pub inferred: Vec<String>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum BackoffKind {
    Exponential,
    Constant,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum JitterKind {
    None,
    Full,
    Equal,
}

#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RetryAfterEntry {
    pub header: String,
    pub default: Scalar,
    #[serde(default)]
    pub cap: Option<Scalar>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub inferred: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeEntry {
    pub code: Scalar,
    #[serde(default)]
    pub variant: Option<String>,
    pub status: Scalar,
    #[serde(default)]
    pub category: Option<String>,
    pub message: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub solution: Option<String>,
    #[serde(default)]
    pub envelope: Option<String>,
    #[serde(default)]
    pub retry: Option<String>,
    #[serde(default)]
    pub example: Option<String>,
    #[serde(default)]
    pub inferred: Vec<String>,
    #[serde(default)]
    pub errata: Vec<Erratum>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitEntry {
    pub id: String,
    pub max: Scalar,
    #[serde(default)]
    pub per: Option<Scalar>,
    pub scope: String,
    pub description: String,
    #[serde(default)]
    pub codes: Vec<Scalar>,
    #[serde(default)]
    pub inferred: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommonErrorEntry {
    pub id: String,
    pub title: String,
    pub solution: String,
    #[serde(default)]
    pub codes: Vec<Scalar>,
    #[serde(default)]
    pub limit: Option<String>,
    #[serde(default)]
    pub inferred: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Erratum {
    pub field: ErratumField,
    pub page_shows: String,
    pub description: String,
    #[serde(default)]
    pub codes: Vec<Scalar>,
    #[serde(default)]
    pub alias: bool,
}

/// Which part of the page an erratum concerns.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
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
