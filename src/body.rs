//! Reading error bodies: which documented envelope a body uses, its code and message, and
//! every other field, without ever failing. Generated `Error::from_response` drives this with
//! the spec's envelope table.

use std::borrow::Cow;
use std::fmt;

use serde_json::{Map, Value};

/// Bodies longer than this are not parsed (their first bytes are still kept).
pub const MAX_PARSED_BODY: usize = 1 << 20;

/// How many bytes of a body an error keeps.
pub const MAX_RAW_BODY: usize = 64 * 1024;

/// Why a body could not be read as a documented error envelope.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Unparsed {
    /// The body is empty or only white space.
    Empty,
    /// The body is longer than [`MAX_PARSED_BODY`].
    TooLarge {
        /// The body's length in bytes.
        len: usize,
    },
    /// The body is not UTF-8, so it cannot be JSON.
    NotUtf8 {
        /// How many leading bytes are valid UTF-8.
        valid_up_to: usize,
    },
    /// The JSON ends early, as a body cut off in transit does.
    Truncated,
    /// The body is not JSON (an HTML error page from a proxy, say).
    NotJson {
        /// 1-based line of the first syntax error.
        line: usize,
        /// 1-based column of the first syntax error.
        column: usize,
    },
    /// The JSON nests deeper than the parser's limit.
    TooDeep,
    /// Valid JSON that matches none of the documented envelopes.
    NoEnvelope,
}

impl fmt::Display for Unparsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unparsed::Empty => f.write_str("empty body"),
            Unparsed::TooLarge { len } => write!(f, "body of {len} bytes is too large to parse"),
            Unparsed::NotUtf8 { valid_up_to } => {
                write!(f, "body is not UTF-8 (invalid from byte {valid_up_to})")
            }
            Unparsed::Truncated => f.write_str("body is truncated JSON"),
            Unparsed::NotJson { line, column } => {
                write!(f, "body is not JSON (syntax error at {line}:{column})")
            }
            Unparsed::TooDeep => f.write_str("body nests too deeply"),
            Unparsed::NoEnvelope => f.write_str("body matches no documented error envelope"),
        }
    }
}

/// An error response's body as received: a bounded copy of its bytes, and why it could not be
/// parsed, if it could not.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct ResponseBody {
    raw: Box<[u8]>,
    len: usize,
    unparsed: Option<Unparsed>,
}

impl ResponseBody {
    /// Keeps the first [`MAX_RAW_BODY`] bytes of `body`.
    pub fn new(body: &[u8], unparsed: Option<Unparsed>) -> Self {
        Self {
            raw: body[..body.len().min(MAX_RAW_BODY)].into(),
            len: body.len(),
            unparsed,
        }
    }

    /// The kept bytes: the whole body, or its first [`MAX_RAW_BODY`] bytes.
    pub fn raw(&self) -> &[u8] {
        &self.raw
    }

    /// The kept bytes as text, invalid UTF-8 replaced.
    pub fn text_lossy(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.raw)
    }

    /// The body's full length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the body was empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether only part of the body was kept.
    pub fn is_truncated(&self) -> bool {
        self.raw.len() < self.len
    }

    /// Why the body could not be parsed; `None` when it was.
    pub fn unparsed(&self) -> Option<&Unparsed> {
        self.unparsed.as_ref()
    }
}

/// One documented error body shape, as generated code describes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EnvelopeDesc {
    /// The envelope's identifier in the spec.
    pub id: &'static str,
    /// Keys leading from the body to the object holding the fields (empty: the body itself).
    pub root: &'static [&'static str],
    /// The field holding the error code.
    pub code: &'static str,
    /// The field holding the message.
    pub message: Option<&'static str>,
    /// The statuses the envelope is documented for (empty: any).
    pub statuses: &'static [u16],
}

/// A body read as one of the envelopes. Used by generated code.
#[doc(hidden)]
#[derive(Debug)]
pub struct ParsedBody {
    /// Index of the matching envelope.
    pub envelope: usize,
    /// The code, as text (integers in decimal).
    pub code: Option<String>,
    /// The message.
    pub message: Option<String>,
    /// Every other field of the envelope's object.
    pub fields: Map<String, Value>,
}

/// Reads `body` against `envelopes`, trying those documented for `status` first. Never fails:
/// what cannot be read is reported in the returned [`ResponseBody`].
#[doc(hidden)]
pub fn parse_body(
    status: u16,
    body: &[u8],
    envelopes: &[EnvelopeDesc],
) -> (ResponseBody, Option<ParsedBody>) {
    match parse_value(body) {
        Err(unparsed) => (ResponseBody::new(body, Some(unparsed)), None),
        Ok(mut value) => match pick_envelope(&value, status, envelopes) {
            None => (ResponseBody::new(body, Some(Unparsed::NoEnvelope)), None),
            Some(index) => {
                let parsed = take_envelope(&mut value, index, &envelopes[index]);
                (ResponseBody::new(body, None), Some(parsed))
            }
        },
    }
}

fn parse_value(body: &[u8]) -> Result<Value, Unparsed> {
    if body.len() > MAX_PARSED_BODY {
        return Err(Unparsed::TooLarge { len: body.len() });
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(Unparsed::Empty);
    }
    if let Err(err) = std::str::from_utf8(body) {
        return Err(Unparsed::NotUtf8 {
            valid_up_to: err.valid_up_to(),
        });
    }
    serde_json::from_slice(body).map_err(|err| match err.classify() {
        serde_json::error::Category::Eof => Unparsed::Truncated,
        // serde_json reports its nesting limit as a syntax error; its wording is the only sign.
        _ if err.to_string().starts_with("recursion limit exceeded") => Unparsed::TooDeep,
        _ => Unparsed::NotJson {
            line: err.line(),
            column: err.column(),
        },
    })
}

fn root<'v>(value: &'v Value, path: &[&str]) -> Option<&'v Map<String, Value>> {
    path.iter()
        .try_fold(value, |v, key| v.as_object()?.get(*key))?
        .as_object()
}

fn pick_envelope(value: &Value, status: u16, envelopes: &[EnvelopeDesc]) -> Option<usize> {
    let documented_for = |e: &EnvelopeDesc| e.statuses.is_empty() || e.statuses.contains(&status);
    let has_code = |e: &EnvelopeDesc| {
        root(value, e.root)
            .and_then(|object| object.get(e.code))
            .is_some_and(|code| code.is_string() || code.is_i64() || code.is_u64())
    };
    let has_message = |e: &EnvelopeDesc| {
        root(value, e.root).is_some_and(|object| e.message.is_some_and(|m| object.contains_key(m)))
    };
    // A code under an envelope documented for this status beats one under any envelope, which
    // beats a body that only carries a message.
    let tests: [&dyn Fn(&EnvelopeDesc) -> bool; 4] = [
        &|e| documented_for(e) && has_code(e),
        &|e| has_code(e),
        &|e| documented_for(e) && has_message(e),
        &|e| has_message(e),
    ];
    tests
        .iter()
        .find_map(|test| envelopes.iter().position(test))
}

fn take_envelope(value: &mut Value, index: usize, desc: &EnvelopeDesc) -> ParsedBody {
    let target = desc.root.iter().try_fold(value, |v, key| v.get_mut(*key));
    let mut fields = match target.map(Value::take) {
        Some(Value::Object(map)) => map,
        _ => Map::new(),
    };
    let code = match fields.remove(desc.code) {
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) if n.is_i64() || n.is_u64() => Some(n.to_string()),
        Some(other) => {
            fields.insert(desc.code.to_owned(), other);
            None
        }
        None => None,
    };
    let message = desc.message.and_then(|key| match fields.remove(key) {
        Some(Value::String(s)) => Some(s),
        Some(other) => {
            fields.insert(key.to_owned(), other);
            None
        }
        None => None,
    });
    ParsedBody {
        envelope: index,
        code,
        message,
        fields,
    }
}

/// Takes a documented string field; a value of another type stays in `fields`.
#[doc(hidden)]
pub fn take_string(fields: &mut Map<String, Value>, key: &str) -> Option<String> {
    match fields.remove(key)? {
        Value::String(s) => Some(s),
        other => {
            fields.insert(key.to_owned(), other);
            None
        }
    }
}

/// Takes a documented integer field; a value of another type stays in `fields`.
#[doc(hidden)]
pub fn take_i64(fields: &mut Map<String, Value>, key: &str) -> Option<i64> {
    match fields.remove(key)? {
        Value::Number(n) if n.is_i64() => n.as_i64(),
        other => {
            fields.insert(key.to_owned(), other);
            None
        }
    }
}

/// Takes a documented boolean field; a value of another type stays in `fields`.
#[doc(hidden)]
pub fn take_bool(fields: &mut Map<String, Value>, key: &str) -> Option<bool> {
    match fields.remove(key)? {
        Value::Bool(b) => Some(b),
        other => {
            fields.insert(key.to_owned(), other);
            None
        }
    }
}

/// Takes a documented field of any JSON type.
#[doc(hidden)]
pub fn take_value(fields: &mut Map<String, Value>, key: &str) -> Option<Value> {
    fields.remove(key)
}
