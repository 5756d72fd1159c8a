//! Reading error bodies: which documented envelope a body uses, its code and message, and
//! every other field, without ever failing. Generated `Error::from_response` drives this with
//! the spec's envelope table.

use std::borrow::Cow;
use std::fmt;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
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

/// Why serde_json rejected a body that is neither blank nor invalid UTF-8.
fn syntax_reason(err: &serde_json::Error) -> Unparsed {
    match err.classify() {
        serde_json::error::Category::Eof => Unparsed::Truncated,
        // serde_json reports its nesting limit as a syntax error; its wording is the only sign.
        _ if err.to_string().starts_with("recursion limit exceeded") => Unparsed::TooDeep,
        _ => Unparsed::NotJson {
            line: err.line(),
            column: err.column(),
        },
    }
}

// One-pass reading: `read_body` walks the body once with serde, straight into what the envelope
// table asks for, and builds `serde_json::Value`s only for fields no envelope documents.

/// The JSON type a documented envelope field is read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FieldKind {
    /// A JSON string.
    String,
    /// A JSON integer that fits in `i64`.
    Integer,
    /// `true` or `false`.
    Boolean,
    /// Any JSON value (the spec's `array`, `object` and `any`).
    Any,
}

/// A documented field of an envelope, as generated code describes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FieldDesc {
    /// The field's key in the envelope's object.
    pub name: &'static str,
    /// The JSON type it is documented with.
    pub kind: FieldKind,
}

/// One documented error body shape with its documented fields, as generated code describes it
/// for [`read_body`].
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
    /// The envelope's other documented fields.
    pub fields: &'static [FieldDesc],
}

/// A documented field's value, typed as documented.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldValue {
    /// A [`FieldKind::String`] field.
    String(String),
    /// A [`FieldKind::Integer`] field.
    Integer(i64),
    /// A [`FieldKind::Boolean`] field.
    Boolean(bool),
    /// A [`FieldKind::Any`] field.
    Any(Value),
}

impl FieldValue {
    /// The value as JSON.
    pub fn into_value(self) -> Value {
        match self {
            FieldValue::String(s) => Value::String(s),
            FieldValue::Integer(n) => Value::from(n),
            FieldValue::Boolean(b) => Value::Bool(b),
            FieldValue::Any(v) => v,
        }
    }
}

/// An error code as the wire carried it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RawCode<'a> {
    /// A JSON string, borrowed from the body unless it had escapes.
    Text(Cow<'a, str>),
    /// A JSON integer (any `u64` or `i64`).
    Integer(i128),
}

impl<'a> RawCode<'a> {
    /// The code as text: strings as they are, integers in decimal.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            RawCode::Text(s) => Cow::Borrowed(s),
            RawCode::Integer(n) => Cow::Owned(n.to_string()),
        }
    }

    /// The code as JSON.
    pub fn into_value(self) -> Value {
        match self {
            RawCode::Text(s) => Value::String(s.into_owned()),
            RawCode::Integer(n) => match (u64::try_from(n), i64::try_from(n)) {
                (Ok(n), _) => Value::from(n),
                (_, Ok(n)) => Value::from(n),
                _ => Value::String(n.to_string()),
            },
        }
    }
}

impl fmt::Display for RawCode<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RawCode::Text(s) => f.write_str(s),
            RawCode::Integer(n) => write!(f, "{n}"),
        }
    }
}

/// The documented fields of a [`ReadBody`]: one slot per entry of [`EnvelopeDesc::fields`], in
/// order. A slot is empty when the field is absent or of another JSON type (then it is in
/// [`ReadBody::extra`]).
#[derive(Clone, Debug, Default)]
pub struct Fields {
    len: usize,
    /// Empty until a slot is filled, then `len` long.
    values: Vec<Option<FieldValue>>,
}

impl PartialEq for Fields {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl Fields {
    fn with_len(len: usize) -> Self {
        Fields {
            len,
            values: Vec::new(),
        }
    }

    /// Slot `i`, to fill.
    #[inline]
    fn slot(&mut self, i: usize) -> Option<&mut Option<FieldValue>> {
        if i >= self.len {
            return None;
        }
        if self.values.is_empty() {
            self.values.resize_with(self.len, || None);
        }
        self.values.get_mut(i)
    }

    /// How many slots there are.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the envelope documents no fields.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Slot `i`'s value.
    pub fn get(&self, i: usize) -> Option<&FieldValue> {
        self.values.get(i)?.as_ref()
    }

    /// Each slot's value, in order.
    pub fn iter(&self) -> impl Iterator<Item = Option<&FieldValue>> + '_ {
        (0..self.len).map(|i| self.get(i))
    }

    /// Takes slot `i`'s value.
    pub fn take(&mut self, i: usize) -> Option<FieldValue> {
        self.values.get_mut(i)?.take()
    }

    /// Takes slot `i`'s value if it is a string.
    pub fn take_string(&mut self, i: usize) -> Option<String> {
        match self.take(i)? {
            FieldValue::String(s) => Some(s),
            other => self.put_back(i, other),
        }
    }

    /// Takes slot `i`'s value if it is an integer.
    pub fn take_i64(&mut self, i: usize) -> Option<i64> {
        match self.take(i)? {
            FieldValue::Integer(n) => Some(n),
            other => self.put_back(i, other),
        }
    }

    /// Takes slot `i`'s value if it is a boolean.
    pub fn take_bool(&mut self, i: usize) -> Option<bool> {
        match self.take(i)? {
            FieldValue::Boolean(b) => Some(b),
            other => self.put_back(i, other),
        }
    }

    /// Takes slot `i`'s value as JSON, whatever its kind.
    pub fn take_value(&mut self, i: usize) -> Option<Value> {
        self.take(i).map(FieldValue::into_value)
    }

    fn put_back<T>(&mut self, i: usize, value: FieldValue) -> Option<T> {
        if let Some(slot) = self.slot(i) {
            *slot = Some(value);
        }
        None
    }
}

/// A body read as one of the envelopes by [`read_body`].
#[derive(Clone, Debug, PartialEq)]
pub struct ReadBody<'a> {
    /// Index of the matching envelope in the table.
    pub envelope: usize,
    /// The code; `None` when absent or of another JSON type (then it is in `extra`).
    pub code: Option<RawCode<'a>>,
    /// The message; `None` when absent or not a string (then it is in `extra`).
    pub message: Option<String>,
    /// The documented fields, typed.
    pub fields: Fields,
    /// Every other key of the envelope's object.
    pub extra: Map<String, Value>,
}

/// Reads `body` against `envelopes` in one pass: finds the envelope, takes its code, message
/// and documented fields, and keeps every other key of its object. Never fails: what cannot be
/// read is reported in the returned [`ResponseBody`].
pub fn read_body<'a>(
    status: u16,
    body: &'a [u8],
    envelopes: &[EnvelopeDesc],
) -> (ResponseBody, Option<ReadBody<'a>>) {
    if body.len() > MAX_PARSED_BODY {
        let unparsed = Unparsed::TooLarge { len: body.len() };
        return (ResponseBody::new(body, Some(unparsed)), None);
    }
    let mut state = State {
        envelopes,
        slots: Default::default(),
        more_slots: (INLINE_SLOTS..envelopes.len()).map(|_| None).collect(),
        ancestors: Vec::new(),
    };
    let mut de = serde_json::Deserializer::from_slice(body);
    let seed = NodeSeed {
        state: &mut state,
        depth: 0,
        witness: 0,
        capture: false,
    };
    if let Err(err) = seed.deserialize(&mut de).and_then(|_| de.end()) {
        // Only a body the parser rejects is scanned again, to name the reason as a pre-scan
        // would. A body it accepts is UTF-8: every string was validated as it was read, and any
        // other byte outside ASCII is a syntax error.
        let unparsed = if body.iter().all(u8::is_ascii_whitespace) {
            Unparsed::Empty
        } else if let Err(utf8) = std::str::from_utf8(body) {
            Unparsed::NotUtf8 {
                valid_up_to: utf8.valid_up_to(),
            }
        } else {
            syntax_reason(&err)
        };
        return (ResponseBody::new(body, Some(unparsed)), None);
    }
    match state.finish(status) {
        None => (ResponseBody::new(body, Some(Unparsed::NoEnvelope)), None),
        Some(read) => (ResponseBody::new(body, None), Some(read)),
    }
}

/// The key serde_json's `arbitrary_precision` feature wraps a number in.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// Whether serde_json hands numbers over as maps (its `arbitrary_precision` feature, which any
/// crate of the build may turn on).
fn numbers_are_maps() -> bool {
    static PROBE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *PROBE.get_or_init(|| serde_json::from_str::<Value>("1e400").is_ok())
}

/// What one envelope's object holds, collected while reading it. Values are kept typed as the
/// envelope documents them; a value of another type goes to `extra`.
struct Collect<'a> {
    code: Option<RawCode<'a>>,
    message: Option<String>,
    /// Whether the message key is present, whatever its value.
    message_seen: bool,
    fields: Fields,
    extra: Map<String, Value>,
    /// Bit `Role::bit`: that role's key has a value in `extra` (a later duplicate key of the
    /// right type takes it out again).
    in_extra: u64,
}

#[derive(Clone, Copy)]
enum Role {
    Code,
    Message,
    Field(usize, FieldKind),
    Extra,
}

impl Role {
    /// The role of `key` in `spec`'s object; every key is extra for an object collected only to
    /// rebuild it (`spec` `None`). The code comes first, then the message, as the reference
    /// reader takes them.
    #[inline]
    fn of(spec: Option<&EnvelopeDesc>, key: &str) -> Role {
        let Some(spec) = spec else {
            return Role::Extra;
        };
        if key == spec.code {
            Role::Code
        } else if spec.message == Some(key) {
            Role::Message
        } else if let Some(i) = spec.fields.iter().position(|f| f.name == key) {
            Role::Field(i, spec.fields[i].kind)
        } else {
            Role::Extra
        }
    }

    /// The role's bit in `Collect::in_extra`; 0 (always look) past 64.
    #[inline]
    fn bit(self) -> u64 {
        match self {
            Role::Code => 1,
            Role::Message => 2,
            Role::Field(i, _) if i < 62 => 4 << i,
            _ => 0,
        }
    }
}

impl<'a> Collect<'a> {
    fn new(fields: usize) -> Self {
        Collect {
            code: None,
            message: None,
            message_seen: false,
            fields: Fields::with_len(fields),
            extra: Map::new(),
            in_extra: 0,
        }
    }

    /// Files `key`'s value, read before its role was known.
    fn put(&mut self, spec: Option<&EnvelopeDesc>, key: Cow<'a, str>, value: Prim<'a>) {
        let role = Role::of(spec, &key);
        self.see(spec, role, &key);
        self.file(role, key, value.file(role));
    }

    /// Files `key`'s value. A key seen before is replaced, as in a parsed JSON object.
    #[inline]
    fn file(&mut self, role: Role, key: Cow<'a, str>, value: Filed<'a>) {
        match value {
            Filed::Code(code) => self.code = Some(code),
            Filed::Message(message) => self.message = Some(message),
            Filed::Field(field) => {
                if let Role::Field(i, _) = role {
                    if let Some(slot) = self.fields.slot(i) {
                        *slot = Some(field);
                    }
                }
            }
            Filed::Other(value) => {
                match role {
                    Role::Code => self.code = None,
                    Role::Message => self.message = None,
                    Role::Field(i, _) => {
                        self.fields.take(i);
                    }
                    Role::Extra => {}
                }
                self.extra.insert(key.into_owned(), value);
                self.in_extra |= role.bit();
                return;
            }
        }
        self.unextra(role, &key);
    }

    /// `key` now holds an object that is rebuilt at the end if needed: what came before goes.
    fn supersede(&mut self, spec: Option<&EnvelopeDesc>, key: &str) {
        let role = Role::of(spec, key);
        self.see(spec, role, key);
        match role {
            Role::Code => self.code = None,
            Role::Message => self.message = None,
            Role::Field(i, _) => {
                self.fields.take(i);
            }
            Role::Extra => {
                if !self.extra.is_empty() {
                    self.extra.remove(key);
                }
                return;
            }
        }
        self.unextra(role, key);
    }

    /// Notes the message key's presence, whatever its value (even under a code that shares
    /// its key).
    #[inline]
    fn see(&mut self, spec: Option<&EnvelopeDesc>, role: Role, key: &str) {
        let message = match role {
            Role::Message => true,
            Role::Code => spec.is_some_and(|spec| spec.message == Some(key)),
            _ => false,
        };
        self.message_seen |= message;
    }

    /// Takes `key` out of `extra` if an earlier value of it may be there.
    #[inline]
    fn unextra(&mut self, role: Role, key: &str) {
        let bit = role.bit();
        if bit == 0 || self.in_extra & bit != 0 {
            self.extra.remove(key);
            self.in_extra &= !bit;
        }
    }

    /// The object again, as JSON.
    fn into_map(mut self, spec: Option<&EnvelopeDesc>) -> Map<String, Value> {
        let mut map = std::mem::take(&mut self.extra);
        if let Some(spec) = spec {
            if let Some(code) = self.code {
                map.insert(spec.code.to_owned(), code.into_value());
            }
            if let (Some(key), Some(message)) = (spec.message, self.message) {
                map.insert(key.to_owned(), Value::String(message));
            }
            for (i, field) in spec.fields.iter().enumerate() {
                if let Some(value) = self.fields.take(i) {
                    map.insert(field.name.to_owned(), value.into_value());
                }
            }
        }
        map
    }
}

/// A value read where an envelope may need it, before it is known as what.
#[derive(Clone)]
enum Prim<'a> {
    Str(Cow<'a, str>),
    U64(u64),
    I64(i64),
    Other(Value),
}

/// A key's value, read as its role wants it: `Other` when the role is extra, or when the value
/// is of another type than the role's.
enum Filed<'a> {
    Code(RawCode<'a>),
    Message(String),
    Field(FieldValue),
    Other(Value),
}

impl<'a> Prim<'a> {
    /// The value as `role` wants it.
    #[inline]
    fn file(self, role: Role) -> Filed<'a> {
        let filed = match role {
            Role::Code => self.into_code().map(Filed::Code),
            Role::Message => self.into_string().map(Filed::Message),
            Role::Field(_, kind) => self.into_field(kind).map(Filed::Field),
            Role::Extra => Err(self.into_value()),
        };
        filed.unwrap_or_else(Filed::Other)
    }

    fn into_value(self) -> Value {
        match self {
            Prim::Str(s) => Value::String(s.into_owned()),
            Prim::U64(n) => Value::from(n),
            Prim::I64(n) => Value::from(n),
            Prim::Other(v) => v,
        }
    }

    #[inline]
    fn into_code(self) -> Result<RawCode<'a>, Value> {
        match self {
            Prim::Str(s) => Ok(RawCode::Text(s)),
            Prim::U64(n) => Ok(RawCode::Integer(n.into())),
            Prim::I64(n) => Ok(RawCode::Integer(n.into())),
            // Only with `arbitrary_precision`: keep the integer's text, as the reference does.
            Prim::Other(Value::Number(n)) if n.is_i64() || n.is_u64() => {
                Ok(RawCode::Text(Cow::Owned(n.to_string())))
            }
            Prim::Other(v) => Err(v),
        }
    }

    #[inline]
    fn into_string(self) -> Result<String, Value> {
        match self {
            Prim::Str(s) => Ok(s.into_owned()),
            other => Err(other.into_value()),
        }
    }

    #[inline]
    fn into_field(self, kind: FieldKind) -> Result<FieldValue, Value> {
        match (kind, self) {
            (FieldKind::Any, value) => Ok(FieldValue::Any(value.into_value())),
            (FieldKind::String, Prim::Str(s)) => Ok(FieldValue::String(s.into_owned())),
            (FieldKind::Integer, Prim::I64(n)) => Ok(FieldValue::Integer(n)),
            (FieldKind::Integer, Prim::U64(n)) => match i64::try_from(n) {
                Ok(n) => Ok(FieldValue::Integer(n)),
                Err(_) => Err(Value::from(n)),
            },
            (FieldKind::Integer, Prim::Other(Value::Number(n))) => match n.as_i64() {
                Some(n) => Ok(FieldValue::Integer(n)),
                None => Err(Value::Number(n)),
            },
            (FieldKind::Boolean, Prim::Other(Value::Bool(b))) => Ok(FieldValue::Boolean(b)),
            (_, value) => Err(value.into_value()),
        }
    }
}

/// How many envelopes' collects the reading's state holds without allocating.
const INLINE_SLOTS: usize = 3;

/// The reading's state: per envelope, what its object held (`None`: no such object).
struct State<'a, 'e> {
    envelopes: &'e [EnvelopeDesc],
    slots: [Option<Collect<'a>>; INLINE_SLOTS],
    more_slots: Vec<Option<Collect<'a>>>,
    /// Objects on the way to an envelope's object that may be needed whole (as an extra field
    /// of another envelope): the path's witness (see `NodeSeed`), its depth, its keys.
    ancestors: Vec<(usize, usize, Collect<'a>)>,
}

impl<'a> State<'a, '_> {
    #[inline]
    fn slot(&mut self, e: usize) -> Option<&mut Option<Collect<'a>>> {
        match e.checked_sub(INLINE_SLOTS) {
            None => self.slots.get_mut(e),
            Some(i) => self.more_slots.get_mut(i),
        }
    }

    fn collect(&self, e: usize) -> Option<&Collect<'a>> {
        match e.checked_sub(INLINE_SLOTS) {
            None => self.slots.get(e)?.as_ref(),
            Some(i) => self.more_slots.get(i)?.as_ref(),
        }
    }

    /// Whether envelope `e`'s root starts with the first `depth` keys of envelope `w`'s root.
    fn under(&self, e: usize, w: usize, depth: usize) -> bool {
        if depth == 0 || e == w {
            return true;
        }
        let prefix = |i: usize| {
            self.envelopes
                .get(i)
                .and_then(|spec| spec.root.get(..depth))
        };
        matches!((prefix(e), prefix(w)), (Some(a), Some(b)) if a == b)
    }

    /// The object at this path is read again (a duplicate key): forget what it held before.
    fn reset(&mut self, depth: usize, w: usize) {
        for e in 0..self.envelopes.len() {
            if self.envelopes[e].root.len() >= depth && self.under(e, w, depth) {
                if let Some(slot) = self.slot(e) {
                    *slot = None;
                }
            }
        }
        if !self.ancestors.is_empty() {
            let envelopes = self.envelopes;
            let mut ancestors = std::mem::take(&mut self.ancestors);
            ancestors.retain(|&(a, a_depth, _)| {
                let under = a_depth >= depth
                    && envelopes[a].root.get(..depth) == envelopes[w].root.get(..depth);
                !under
            });
            self.ancestors = ancestors;
        }
    }

    /// The first envelope whose root goes on from this path through `key`.
    fn child(&self, w: usize, depth: usize, key: &str) -> Option<usize> {
        self.envelopes.iter().enumerate().position(|(e, spec)| {
            spec.root.get(depth).is_some_and(|k| *k == key) && self.under(e, w, depth)
        })
    }

    /// Picks the envelope as `pick_envelope` does and hands over what its object held.
    fn finish(&mut self, status: u16) -> Option<ReadBody<'a>> {
        let envelopes = self.envelopes;
        // A code under an envelope documented for this status beats one under any envelope,
        // which beats a body that only carries a message; the first in table order within a
        // tier.
        let tier = |e: usize| {
            let collect = self.collect(e)?;
            let statuses = envelopes[e].statuses;
            let undocumented = !(statuses.is_empty() || statuses.contains(&status));
            match (collect.code.is_some(), collect.message_seen) {
                (true, _) => Some(u8::from(undocumented)),
                (false, true) => Some(2 + u8::from(undocumented)),
                (false, false) => None,
            }
        };
        let (_, winner) = (0..envelopes.len())
            .filter_map(|e| Some((tier(e)?, e)))
            .min()?;
        let mut collect = self.slot(winner)?.take()?;
        let spec = &envelopes[winner];
        // Objects under keys leading to other envelopes were read as those; rebuild them.
        self.each_child(
            winner,
            spec.root.len(),
            &mut |key, value| match Role::of(Some(spec), key) {
                Role::Field(i, FieldKind::Any) => {
                    if let Some(slot) = collect.fields.slot(i) {
                        *slot = Some(FieldValue::Any(value));
                    }
                }
                _ => {
                    collect.extra.insert(key.to_owned(), value);
                }
            },
        );
        Some(ReadBody {
            envelope: winner,
            code: collect.code,
            message: collect.message,
            fields: collect.fields,
            extra: collect.extra,
        })
    }

    /// Hands over each object under the path (`w`'s root's first `depth` keys) that was read as
    /// leading to an envelope, rebuilt.
    fn each_child(&mut self, w: usize, depth: usize, sink: &mut dyn FnMut(&'static str, Value)) {
        let envelopes = self.envelopes;
        for (e, spec) in envelopes.iter().enumerate() {
            let Some(&key) = spec.root.get(depth) else {
                continue;
            };
            let first = self.child(w, depth, key) == Some(e);
            if first {
                if let Some(value) = self.take_object(e, depth + 1) {
                    sink(key, value);
                }
            }
        }
    }

    /// The object at `w`'s root's first `depth` keys, rebuilt; `None` if there was none.
    fn take_object(&mut self, w: usize, depth: usize) -> Option<Value> {
        let envelopes = self.envelopes;
        let here = (0..envelopes.len())
            .find(|&e| envelopes[e].root.len() == depth && self.under(e, w, depth));
        let (spec, collect) = match here {
            Some(e) => (Some(&envelopes[e]), self.slot(e)?.take()?),
            None => {
                let i = self
                    .ancestors
                    .iter()
                    .position(|&(a, a_depth, _)| a_depth == depth && self.under(a, w, depth))?;
                (None, self.ancestors.swap_remove(i).2)
            }
        };
        let mut map = collect.into_map(spec);
        self.each_child(w, depth, &mut |key, value| {
            map.insert(key.to_owned(), value);
        });
        Some(Value::Object(map))
    }
}

/// Reads a value that may be an object on the way to envelopes' objects: the body itself or
/// the value of a key of some envelope's root.
///
/// The path to it is the first `depth` keys of the root of envelope `witness` (the first
/// envelope in table order whose root goes through it).
struct NodeSeed<'s, 'a, 'e> {
    state: &'s mut State<'a, 'e>,
    depth: usize,
    witness: usize,
    /// Whether the value is needed whole (the parent object is an envelope's, or needed whole).
    capture: bool,
}

/// What a `NodeSeed` read.
enum Child<'a> {
    /// An object, read into the state.
    Object,
    /// Another value (kept only when captured).
    Value(Prim<'a>),
    Skipped,
}

impl<'a> DeserializeSeed<'a> for NodeSeed<'_, 'a, '_> {
    type Value = Child<'a>;

    fn deserialize<D: Deserializer<'a>>(self, deserializer: D) -> Result<Child<'a>, D::Error> {
        if self.depth > 0 {
            self.state.reset(self.depth, self.witness);
        }
        deserializer.deserialize_any(self)
    }
}

impl<'a> NodeSeed<'_, 'a, '_> {
    fn keep<E>(&self, value: impl FnOnce() -> Prim<'a>) -> Result<Child<'a>, E> {
        Ok(if self.capture {
            Child::Value(value())
        } else {
            Child::Skipped
        })
    }
}

impl<'a> Visitor<'a> for NodeSeed<'_, 'a, '_> {
    type Value = Child<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Child<'a>, E> {
        self.keep(|| Prim::Other(Value::Bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Child<'a>, E> {
        self.keep(|| Prim::I64(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Child<'a>, E> {
        self.keep(|| Prim::U64(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Child<'a>, E> {
        self.keep(|| Prim::Other(float(v)))
    }

    fn visit_borrowed_str<E>(self, v: &'a str) -> Result<Child<'a>, E> {
        self.keep(|| Prim::Str(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Child<'a>, E> {
        self.keep(|| Prim::Str(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Child<'a>, E> {
        self.keep(|| Prim::Str(Cow::Owned(v)))
    }

    fn visit_unit<E>(self) -> Result<Child<'a>, E> {
        self.keep(|| Prim::Other(Value::Null))
    }

    fn visit_seq<A: SeqAccess<'a>>(self, seq: A) -> Result<Child<'a>, A::Error> {
        if self.capture {
            Value::deserialize(SeqAccessDeserializer::new(seq))
                .map(|v| Child::Value(Prim::Other(v)))
        } else {
            Discard.visit_seq(seq).map(|()| Child::Skipped)
        }
    }

    fn visit_map<A: MapAccess<'a>>(self, mut map: A) -> Result<Child<'a>, A::Error> {
        let NodeSeed {
            state,
            depth,
            witness,
            capture,
        } = self;
        let envelopes = state.envelopes;
        // The envelopes whose object this is (the first, and whether there are more), and
        // whether any goes deeper.
        let mut first = None;
        let mut more = false;
        let mut deeper = false;
        for (e, spec) in envelopes.iter().enumerate() {
            if !state.under(e, witness, depth) {
                continue;
            }
            if spec.root.len() > depth {
                deeper = true;
            } else if spec.root.len() == depth {
                if let Some(slot) = state.slot(e) {
                    *slot = Some(Collect::new(spec.fields.len()));
                }
                if first.is_none() {
                    first = Some(e);
                } else {
                    more = true;
                }
            }
        }
        // Without an envelope of its own, the object is kept whole if it is needed whole.
        let mut whole = match first {
            None if capture => Some(Box::new(Collect::new(0))),
            _ => None,
        };
        if let (Some(e), false, false) = (first, more, deeper) {
            return envelope_object(state, e, depth, witness, capture, map);
        }
        let needed = first.is_some() || whole.is_some();
        let mut first_key = true;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            if std::mem::take(&mut first_key) && key == NUMBER_TOKEN && numbers_are_maps() {
                return wrapped_number(state, depth, witness, capture, map);
            }
            let child = if deeper {
                state.child(witness, depth, &key)
            } else {
                None
            };
            let value = match child {
                Some(child) => {
                    let seed = NodeSeed {
                        state: &mut *state,
                        depth: depth + 1,
                        witness: child,
                        capture: needed,
                    };
                    match map.next_value_seed(seed)? {
                        Child::Object => {
                            // Rebuilt at the end if an envelope here wins.
                            for (e, spec) in envelopes.iter().enumerate() {
                                if spec.root.len() == depth && state.under(e, witness, depth) {
                                    if let Some(Some(collect)) = state.slot(e) {
                                        collect.supersede(Some(spec), &key);
                                    }
                                }
                            }
                            if let Some(collect) = &mut whole {
                                collect.supersede(None, &key);
                            }
                            continue;
                        }
                        Child::Value(value) => value,
                        Child::Skipped => continue,
                    }
                }
                None if needed && !more => {
                    // One envelope's object (or one kept whole): read the value as its role
                    // there wants it.
                    let spec = first.map(|e| &envelopes[e]);
                    let collect = match first {
                        Some(e) => state.slot(e).and_then(Option::as_mut),
                        None => whole.as_deref_mut(),
                    };
                    match collect {
                        Some(collect) => {
                            let role = Role::of(spec, &key);
                            collect.see(spec, role, &key);
                            map.next_value_seed(FileSeed { collect, role, key })?;
                        }
                        None => map.next_value_seed(Discard)?,
                    }
                    continue;
                }
                None if needed => map.next_value_seed(PrimSeed)?,
                None => {
                    map.next_value_seed(Discard)?;
                    continue;
                }
            };
            if more {
                for (e, spec) in envelopes.iter().enumerate() {
                    if spec.root.len() == depth && state.under(e, witness, depth) {
                        if let Some(Some(collect)) = state.slot(e) {
                            collect.put(Some(spec), key.clone(), value.clone());
                        }
                    }
                }
            } else if let Some(e) = first {
                if let Some(Some(collect)) = state.slot(e) {
                    collect.put(Some(&envelopes[e]), key, value);
                }
            } else if let Some(collect) = &mut whole {
                collect.put(None, key, value);
            }
        }
        if let Some(collect) = whole {
            state.ancestors.push((witness, depth, *collect));
        }
        Ok(Child::Object)
    }
}

/// Reads the rest of an object that is envelope `e`'s object and leads to no other: the common
/// case, kept lean.
fn envelope_object<'a, A: MapAccess<'a>>(
    state: &mut State<'a, '_>,
    e: usize,
    depth: usize,
    witness: usize,
    capture: bool,
    mut map: A,
) -> Result<Child<'a>, A::Error> {
    let spec = &state.envelopes[e];
    let Some(Some(collect)) = state.slot(e) else {
        Discard.visit_map(map)?;
        return Ok(Child::Object);
    };
    let mut first_key = true;
    while let Some(key) = map.next_key_seed(KeySeed)? {
        if std::mem::take(&mut first_key) && key == NUMBER_TOKEN && numbers_are_maps() {
            return wrapped_number(state, depth, witness, capture, map);
        }
        let role = Role::of(Some(spec), &key);
        collect.see(Some(spec), role, &key);
        map.next_value_seed(FileSeed { collect, role, key })?;
    }
    Ok(Child::Object)
}

/// A number that serde_json (with `arbitrary_precision`) hands over as a map whose first key
/// has been read: read as `Value` reads it.
#[cold]
fn wrapped_number<'a, A: MapAccess<'a>>(
    state: &mut State<'a, '_>,
    depth: usize,
    witness: usize,
    capture: bool,
    mut map: A,
) -> Result<Child<'a>, A::Error> {
    let text: Cow<'a, str> = map.next_value_seed(KeySeed)?;
    let number: serde_json::Number = text.parse().map_err(de::Error::custom)?;
    state.reset(depth, witness);
    Ok(if capture {
        Child::Value(Prim::Other(Value::Number(number)))
    } else {
        Child::Skipped
    })
}

/// A JSON float as `Value` keeps it.
fn float(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

/// Reads a key (or a string), borrowed from the body where it has no escapes.
struct KeySeed;

impl<'a> DeserializeSeed<'a> for KeySeed {
    type Value = Cow<'a, str>;

    fn deserialize<D: Deserializer<'a>>(self, deserializer: D) -> Result<Cow<'a, str>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'a> Visitor<'a> for KeySeed {
    type Value = Cow<'a, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E>(self, v: &'a str) -> Result<Cow<'a, str>, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Cow<'a, str>, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Cow<'a, str>, E> {
        Ok(Cow::Owned(v))
    }
}

/// Reads any value into a `Prim`: strings borrowed where possible, arrays and objects as
/// `Value`s (exactly as `Value` reads them).
struct PrimSeed;

impl<'a> DeserializeSeed<'a> for PrimSeed {
    type Value = Prim<'a>;

    fn deserialize<D: Deserializer<'a>>(self, deserializer: D) -> Result<Prim<'a>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'a> Visitor<'a> for PrimSeed {
    type Value = Prim<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Prim<'a>, E> {
        Ok(Prim::Other(Value::Bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Prim<'a>, E> {
        Ok(Prim::I64(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Prim<'a>, E> {
        Ok(Prim::U64(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Prim<'a>, E> {
        Ok(Prim::Other(float(v)))
    }

    fn visit_borrowed_str<E>(self, v: &'a str) -> Result<Prim<'a>, E> {
        Ok(Prim::Str(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Prim<'a>, E> {
        Ok(Prim::Str(Cow::Owned(v.to_owned())))
    }

    fn visit_string<E>(self, v: String) -> Result<Prim<'a>, E> {
        Ok(Prim::Str(Cow::Owned(v)))
    }

    fn visit_unit<E>(self) -> Result<Prim<'a>, E> {
        Ok(Prim::Other(Value::Null))
    }

    fn visit_seq<A: SeqAccess<'a>>(self, seq: A) -> Result<Prim<'a>, A::Error> {
        Value::deserialize(SeqAccessDeserializer::new(seq)).map(Prim::Other)
    }

    fn visit_map<A: MapAccess<'a>>(self, map: A) -> Result<Prim<'a>, A::Error> {
        Value::deserialize(MapAccessDeserializer::new(map)).map(Prim::Other)
    }
}

/// Reads a key's value straight into the one collect that wants it, as its role there wants it.
struct FileSeed<'c, 'a> {
    collect: &'c mut Collect<'a>,
    role: Role,
    key: Cow<'a, str>,
}

impl<'a> FileSeed<'_, 'a> {
    fn misfit<E>(self, value: Value) -> Result<(), E> {
        self.collect.file(self.role, self.key, Filed::Other(value));
        Ok(())
    }

    fn text<E>(self, text: Cow<'a, str>) -> Result<(), E> {
        let FileSeed { collect, role, key } = self;
        match role {
            Role::Code => collect.code = Some(RawCode::Text(text)),
            Role::Message => collect.message = Some(text.into_owned()),
            Role::Field(i, FieldKind::String) => {
                if let Some(slot) = collect.fields.slot(i) {
                    *slot = Some(FieldValue::String(text.into_owned()));
                }
            }
            _ => {
                collect.file(role, key, Filed::Other(Value::String(text.into_owned())));
                return Ok(());
            }
        }
        collect.unextra(role, &key);
        Ok(())
    }
}

impl<'a> DeserializeSeed<'a> for FileSeed<'_, 'a> {
    type Value = ();

    fn deserialize<D: Deserializer<'a>>(self, deserializer: D) -> Result<(), D::Error> {
        match self.role {
            Role::Extra => {
                let value = Value::deserialize(deserializer)?;
                self.collect.extra.insert(self.key.into_owned(), value);
                Ok(())
            }
            Role::Field(_, FieldKind::Any) => {
                let value = FieldValue::Any(Value::deserialize(deserializer)?);
                self.collect.file(self.role, self.key, Filed::Field(value));
                Ok(())
            }
            _ => deserializer.deserialize_any(self),
        }
    }
}

impl<'a> Visitor<'a> for FileSeed<'_, 'a> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        match self.role {
            Role::Field(i, FieldKind::Boolean) => {
                if let Some(slot) = self.collect.fields.slot(i) {
                    *slot = Some(FieldValue::Boolean(v));
                }
                self.collect.unextra(self.role, &self.key);
                Ok(())
            }
            _ => self.misfit(Value::Bool(v)),
        }
    }

    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        let FileSeed { collect, role, key } = self;
        collect.file(role, key, Prim::I64(v).file(role));
        Ok(())
    }

    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        match self.role {
            Role::Code => {
                self.collect.code = Some(RawCode::Integer(v.into()));
                self.collect.unextra(self.role, &self.key);
                Ok(())
            }
            role => {
                let FileSeed { collect, key, .. } = self;
                collect.file(role, key, Prim::U64(v).file(role));
                Ok(())
            }
        }
    }

    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        self.misfit(float(v))
    }

    fn visit_borrowed_str<E>(self, v: &'a str) -> Result<(), E> {
        self.text(Cow::Borrowed(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.text(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<(), E> {
        self.text(Cow::Owned(v))
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        self.misfit(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'a>>(self, seq: A) -> Result<(), A::Error> {
        let value = Value::deserialize(SeqAccessDeserializer::new(seq))?;
        self.misfit(value)
    }

    fn visit_map<A: MapAccess<'a>>(self, map: A) -> Result<(), A::Error> {
        // Only with `arbitrary_precision` can this be a number.
        let value = Value::deserialize(MapAccessDeserializer::new(map))?;
        let FileSeed { collect, role, key } = self;
        collect.file(role, key, Prim::Other(value).file(role));
        Ok(())
    }
}

/// Reads a value nothing needs. Unlike `IgnoredAny` it reads strings and numbers in full, so
/// that a body is rejected exactly when `serde_json::Value` rejects it (invalid UTF-8 in a
/// string, a number out of range).
struct Discard;

impl<'a> DeserializeSeed<'a> for Discard {
    type Value = ();

    fn deserialize<D: Deserializer<'a>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'a> Visitor<'a> for Discard {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'a>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Discard)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'a>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key_seed(DiscardKey)?.is_some() {
            map.next_value_seed(Discard)?;
        }
        Ok(())
    }
}

/// Reads a key nothing needs, as `Value` reads keys.
struct DiscardKey;

impl<'a> DeserializeSeed<'a> for DiscardKey {
    type Value = ();

    fn deserialize<D: Deserializer<'a>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_str(Discard)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    use FieldKind::{Any, Boolean, Integer};

    const fn field(name: &'static str, kind: FieldKind) -> FieldDesc {
        FieldDesc { name, kind }
    }

    /// The three shipped specs' tables, with their documented fields.
    static HMS: [EnvelopeDesc; 1] = [EnvelopeDesc {
        id: "error_object",
        root: &["error"],
        code: "code",
        message: Some("message"),
        statuses: &[],
        fields: &[
            field("param", FieldKind::String),
            field("type", FieldKind::String),
        ],
    }];
    static VOICE: [EnvelopeDesc; 1] = [EnvelopeDesc {
        id: "voice_error",
        root: &[],
        code: "errorCode",
        message: Some("message"),
        statuses: &[],
        fields: &[
            field("status", FieldKind::String),
            field("reference", FieldKind::String),
        ],
    }];
    static NUMBERS: [EnvelopeDesc; 2] = [
        EnvelopeDesc {
            id: "rpc_error",
            root: &["error"],
            code: "status",
            message: Some("message"),
            statuses: &[],
            fields: &[field("code", Integer), field("details", Any)],
        },
        EnvelopeDesc {
            id: "code_text",
            root: &[],
            code: "code",
            message: Some("text"),
            statuses: &[400, 403],
            fields: &[],
        },
    ];
    /// Everything at once: shared roots, a flat envelope whose fields lead to others, paths
    /// through objects no envelope owns, a code that shares the message key.
    static MIXED: [EnvelopeDesc; 7] = [
        EnvelopeDesc {
            id: "deep",
            root: &["data", "error"],
            code: "code",
            message: Some("message"),
            statuses: &[500],
            fields: &[
                field("retryable", Boolean),
                field("count", Integer),
                field("info", Any),
            ],
        },
        EnvelopeDesc {
            id: "flat",
            root: &[],
            code: "code",
            message: Some("message"),
            statuses: &[400],
            fields: &[field("error", Any), field("data", FieldKind::String)],
        },
        EnvelopeDesc {
            id: "nested",
            root: &["error"],
            code: "code",
            message: Some("msg"),
            statuses: &[],
            fields: &[field("status", FieldKind::String)],
        },
        EnvelopeDesc {
            id: "nested_status",
            root: &["error"],
            code: "status",
            message: Some("message"),
            statuses: &[429],
            fields: &[field("code", Integer)],
        },
        EnvelopeDesc {
            id: "data",
            root: &["data"],
            code: "id",
            message: None,
            statuses: &[],
            fields: &[],
        },
        EnvelopeDesc {
            id: "far",
            root: &["x", "y", "z"],
            code: "code",
            message: Some("message"),
            statuses: &[503],
            fields: &[field("error", Any)],
        },
        EnvelopeDesc {
            id: "shared_key",
            root: &["m"],
            code: "k",
            message: Some("k"),
            statuses: &[],
            fields: &[],
        },
    ];
    static TABLES: [&[EnvelopeDesc]; 4] = [&HMS, &VOICE, &NUMBERS, &MIXED];

    type Outcome = (
        ResponseBody,
        Option<(
            usize,
            Option<String>,
            Option<String>,
            Vec<Option<FieldValue>>,
            Map<String, Value>,
        )>,
    );

    /// What the reference reader and the `take_*` calls of generated code made of a body.
    fn old(status: u16, body: &[u8], specs: &[EnvelopeDesc]) -> Outcome {
        use super::oracle::{parse_body, take_bool, take_i64, take_string, take_value, OracleDesc};
        let descs: Vec<OracleDesc> = specs
            .iter()
            .map(|s| OracleDesc {
                id: s.id,
                root: s.root,
                code: s.code,
                message: s.message,
                statuses: s.statuses,
            })
            .collect();
        let (body, parsed) = parse_body(status, body, &descs);
        let parsed = parsed.map(|mut p| {
            let fields = specs[p.envelope]
                .fields
                .iter()
                .map(|f| match f.kind {
                    FieldKind::String => take_string(&mut p.fields, f.name).map(FieldValue::String),
                    Integer => take_i64(&mut p.fields, f.name).map(FieldValue::Integer),
                    Boolean => take_bool(&mut p.fields, f.name).map(FieldValue::Boolean),
                    Any => take_value(&mut p.fields, f.name).map(FieldValue::Any),
                })
                .collect();
            (p.envelope, p.code, p.message, fields, p.fields)
        });
        (body, parsed)
    }

    /// What `read_body` makes of it, in the same terms.
    fn new(status: u16, body: &[u8], specs: &[EnvelopeDesc]) -> Outcome {
        let (body, read) = read_body(status, body, specs);
        let read = read.map(|r| {
            assert_eq!(r.fields.len(), specs[r.envelope].fields.len());
            let code = r.code.map(|c| c.text().into_owned());
            let fields = r.fields.iter().map(Option::<&FieldValue>::cloned).collect();
            (r.envelope, code, r.message, fields, r.extra)
        });
        (body, read)
    }

    /// `read_body` agrees with `oracle::parse_body` on `body` for every table and some statuses.
    fn same(body: &[u8]) {
        for specs in TABLES {
            for status in [400, 403, 429, 500, 503] {
                assert_eq!(
                    new(status, body, specs),
                    old(status, body, specs),
                    "{status} {:.200}",
                    String::from_utf8_lossy(body)
                );
            }
        }
    }

    fn fields(values: Vec<Option<FieldValue>>) -> Fields {
        let mut fields = Fields::with_len(values.len());
        for (i, value) in values.into_iter().enumerate() {
            *fields.slot(i).unwrap() = value;
        }
        fields
    }

    fn read<'a>(status: u16, body: &'a str, specs: &[EnvelopeDesc]) -> ReadBody<'a> {
        let (raw, read) = read_body(status, body.as_bytes(), specs);
        assert_eq!(raw.unparsed(), None, "{body}");
        assert_eq!(raw.raw(), &body.as_bytes()[..body.len().min(MAX_RAW_BODY)]);
        read.unwrap()
    }

    fn unparsed(body: &[u8]) -> Unparsed {
        let (raw, read) = read_body(400, body, &NUMBERS);
        assert!(read.is_none());
        assert_eq!(raw.len(), body.len());
        assert_eq!(raw.raw(), &body[..body.len().min(MAX_RAW_BODY)]);
        same(body);
        raw.unparsed().unwrap().clone()
    }

    #[test]
    fn each_reason_a_body_is_not_read_is_the_old_one() {
        let cases: Vec<(Vec<u8>, Unparsed)> = vec![
            (Vec::new(), Unparsed::Empty),
            (b" \r\n\t ".to_vec(), Unparsed::Empty),
            (
                b"<!DOCTYPE html>\n<html>502</html>".to_vec(),
                Unparsed::NotJson { line: 1, column: 1 },
            ),
            (
                br#"{"error":{"code":"rate_limit_exceeded","mess"#.to_vec(),
                Unparsed::Truncated,
            ),
            (br#"{"errorCode": "4"#.to_vec(), Unparsed::Truncated),
            (b"[".repeat(100_000), Unparsed::TooDeep),
            (
                format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes(),
                Unparsed::TooDeep,
            ),
            (br#"{"a":"#.repeat(100_000), Unparsed::TooDeep),
            (
                format!(r#"{{"error":{{"code":"x","deep":{}}}}}"#, "[".repeat(200)).into_bytes(),
                Unparsed::TooDeep,
            ),
            (
                b"{\"message\":\"caf\xe9\"}".to_vec(),
                Unparsed::NotUtf8 { valid_up_to: 15 },
            ),
            (
                b"{\"error\":{\"code\":\"x\"},\"skipped\":\"caf\xe9\"}".to_vec(),
                Unparsed::NotUtf8 { valid_up_to: 36 },
            ),
            (
                b"{\"caf\xe9\":1}".to_vec(),
                Unparsed::NotUtf8 { valid_up_to: 5 },
            ),
            (
                b"\xff\xfe{\x00}\x00".to_vec(),
                Unparsed::NotUtf8 { valid_up_to: 0 },
            ),
            (b"<html>\xff".to_vec(), Unparsed::NotUtf8 { valid_up_to: 6 }),
            (
                b"\xef\xbb\xbf{\"code\":\"x\"}".to_vec(),
                Unparsed::NotJson { line: 1, column: 1 },
            ),
            (
                br#"{"error":{"code":"\ud800","message":"m"}}"#.to_vec(),
                Unparsed::NotJson {
                    line: 1,
                    column: 25,
                },
            ),
            (
                br#"{"skipped":"\ud800","error":{"code":"x"}}"#.to_vec(),
                Unparsed::NotJson {
                    line: 1,
                    column: 19,
                },
            ),
            (
                br#"{"error":{"code":"x"},"n":1e400}"#.to_vec(),
                Unparsed::NotJson {
                    line: 1,
                    column: 31,
                },
            ),
            (
                br#"{"code":"x"} <html>"#.to_vec(),
                Unparsed::NotJson {
                    line: 1,
                    column: 14,
                },
            ),
            (
                b"{\"error\":\n{\"code\":\"x\",,}}".to_vec(),
                Unparsed::NotJson {
                    line: 2,
                    column: 13,
                },
            ),
            (b"null".to_vec(), Unparsed::NoEnvelope),
            (br#""rate_limit_exceeded""#.to_vec(), Unparsed::NoEnvelope),
            (br#"[{"code":"x"}]"#.to_vec(), Unparsed::NoEnvelope),
            (b"42".to_vec(), Unparsed::NoEnvelope),
            (br#"{"detail":"Not Found"}"#.to_vec(), Unparsed::NoEnvelope),
            (
                br#"{"error":{"status":true}}"#.to_vec(),
                Unparsed::NoEnvelope,
            ),
            (br#"{"error":"x"}"#.to_vec(), Unparsed::NoEnvelope),
        ];
        for (body, reason) in cases {
            assert_eq!(
                unparsed(&body),
                reason,
                "{:.80}",
                String::from_utf8_lossy(&body)
            );
        }
    }

    #[test]
    fn too_large_bodies_are_not_parsed_and_their_start_is_kept() {
        let body = format!(
            r#"{{"errorCode":1,"message":"{}"}}"#,
            "x".repeat(MAX_PARSED_BODY)
        );
        let (raw, parsed) = read_body(400, body.as_bytes(), &VOICE);
        assert!(parsed.is_none());
        assert_eq!(
            raw.unparsed(),
            Some(&Unparsed::TooLarge { len: body.len() })
        );
        assert_eq!(raw.raw(), &body.as_bytes()[..MAX_RAW_BODY]);
        assert!(raw.is_truncated());
        let at_limit = format!(
            r#"{{"errorCode":1,"message":"{}"}}"#,
            "x".repeat(MAX_PARSED_BODY - 28)
        );
        assert_eq!(at_limit.len(), MAX_PARSED_BODY);
        let r = read(400, &at_limit, &VOICE);
        assert_eq!(r.code, Some(RawCode::Integer(1)));
        same(at_limit.as_bytes());
    }

    #[test]
    fn documented_bodies_of_the_three_specs() {
        let body = r#"{"error": {"code": "rate_limit_exceeded", "message": "Too many requests", "param": "messages", "type": "rate_limit"}}"#;
        let r = read(429, body, &HMS);
        assert_eq!(r.envelope, 0);
        assert_eq!(
            r.code,
            Some(RawCode::Text(Cow::Borrowed("rate_limit_exceeded")))
        );
        assert!(matches!(r.code, Some(RawCode::Text(Cow::Borrowed(_)))));
        assert_eq!(r.message.as_deref(), Some("Too many requests"));
        assert_eq!(
            r.fields.get(0),
            Some(&FieldValue::String("messages".into()))
        );
        assert_eq!(
            r.fields.get(1),
            Some(&FieldValue::String("rate_limit".into()))
        );
        assert!(r.extra.is_empty());

        let body = r#"{"status": "400 ParameterValidation", "errorCode": 40001, "message": "Method needs to be `ttsCallout`"}"#;
        let mut r = read(400, body, &VOICE);
        assert_eq!(r.code, Some(RawCode::Integer(40001)));
        assert_eq!(r.code.as_ref().unwrap().text(), "40001");
        assert_eq!(
            r.fields.take_string(0).as_deref(),
            Some("400 ParameterValidation")
        );
        assert_eq!(r.fields.take_string(1), None);
        assert!(r.extra.is_empty());

        let body = r#"{"error": {"code": 400, "message": "parsing field \"type\": \"XXX\" is not a valid value", "status": "INVALID_ARGUMENT", "details": []}}"#;
        let mut r = read(400, body, &NUMBERS);
        assert_eq!(r.envelope, 0);
        assert_eq!(
            r.code.as_ref().map(RawCode::text).as_deref(),
            Some("INVALID_ARGUMENT")
        );
        assert_eq!(
            r.message.as_deref(),
            Some(r#"parsing field "type": "XXX" is not a valid value"#)
        );
        assert_eq!(r.fields.take_i64(0), Some(400));
        assert_eq!(r.fields.take_value(1), Some(json!([])));
        assert!(r.extra.is_empty());

        let body = r#"{"code": "syntax_invalid_json", "text": "The JSON is invalid"}"#;
        let r = read(400, body, &NUMBERS);
        assert_eq!(r.envelope, 1);
        assert_eq!(r.code.unwrap().text(), "syntax_invalid_json");
        assert_eq!(r.message.as_deref(), Some("The JSON is invalid"));
        assert!(r.fields.is_empty());
        for body in [
            br#"{"error": {"code": "rate_limit_exceeded", "message": "Too many requests", "param": "messages", "type": "rate_limit"}}"#.as_slice(),
            br#"{"status": "400 ParameterValidation", "errorCode": 40001, "message": "Method"}"#,
            br#"{"error": {"code": 400, "message": "m", "status": "INVALID_ARGUMENT", "details": []}}"#,
            br#"{"code": "syntax_invalid_json", "text": "The JSON is invalid"}"#,
        ] {
            same(body);
        }
    }

    #[test]
    fn codes_are_borrowed_unless_escaped() {
        let r = read(400, r#"{"errorCode":"40001","message":"m"}"#, &VOICE);
        assert!(matches!(
            r.code,
            Some(RawCode::Text(Cow::Borrowed("40001")))
        ));
        let r = read(400, r#"{"errorCode":"4000\u0031","message":"m"}"#, &VOICE);
        assert!(matches!(&r.code, Some(RawCode::Text(Cow::Owned(s))) if s == "40001"));
        let r = read(400, r#"{"errorCode":"a\"b","message":"m\n"}"#, &VOICE);
        assert_eq!(r.code.unwrap().text(), "a\"b");
        assert_eq!(r.message.as_deref(), Some("m\n"));
        let r = read(400, r#"{"error\u0043ode":"x"}"#, &VOICE);
        assert_eq!(r.code.unwrap().text(), "x", "escaped keys are keys");
    }

    #[test]
    fn integer_codes_and_others() {
        for (code, text) in [
            ("0", "0"),
            ("-1", "-1"),
            ("40001", "40001"),
            ("18446744073709551615", "18446744073709551615"),
            ("-9223372036854775808", "-9223372036854775808"),
        ] {
            let body = format!(r#"{{"errorCode":{code},"message":"m"}}"#);
            let r = read(400, &body, &VOICE);
            assert_eq!(r.code.as_ref().unwrap().text(), text);
            assert_eq!(
                r.code.unwrap().into_value(),
                serde_json::from_str::<Value>(code).unwrap()
            );
            assert!(r.extra.is_empty());
            same(body.as_bytes());
        }
        for code in [
            "1.5",
            "1e3",
            "-0.0",
            "18446744073709551616",
            "true",
            "null",
            "[1]",
            r#"{"a":1}"#,
        ] {
            let body = format!(r#"{{"errorCode":{code},"message":"m"}}"#);
            let r = read(400, &body, &VOICE);
            assert_eq!(r.code, None, "{body}");
            assert_eq!(r.message.as_deref(), Some("m"));
            assert_eq!(
                r.extra["errorCode"],
                serde_json::from_str::<Value>(code).unwrap()
            );
            same(body.as_bytes());
        }
    }

    #[test]
    fn values_of_the_wrong_type_go_to_extra() {
        let body = r#"{"error":{"code":"c","message":7,"param":7,"type":null,"request_id":"r-1","nested":{"a":[1,2]}},"trace":"t"}"#;
        let r = read(429, body, &HMS);
        assert_eq!(r.code.as_ref().unwrap().text(), "c");
        assert_eq!(r.message, None);
        assert_eq!(r.fields, fields(vec![None, None]));
        assert_eq!(
            Value::Object(r.extra),
            json!({"message": 7, "param": 7, "type": null, "request_id": "r-1", "nested": {"a": [1, 2]}})
        );
        same(body.as_bytes());

        let body = r#"{"error":{"status":"S","code":"400","details":{},"unexpected":1}}"#;
        let mut r = read(400, body, &NUMBERS);
        assert_eq!(r.fields.take_i64(0), None);
        assert_eq!(r.fields.take_value(1), Some(json!({})));
        assert_eq!(
            Value::Object(r.extra),
            json!({"code": "400", "unexpected": 1})
        );
        same(body.as_bytes());

        for count in [
            "9223372036854775808",
            "1.0",
            "\"1\"",
            "-9223372036854775809",
        ] {
            let body =
                format!(r#"{{"data":{{"error":{{"code":"c","count":{count},"retryable":1}}}}}}"#);
            let r = read(500, &body, &MIXED);
            assert_eq!(r.envelope, 0);
            assert_eq!(r.fields, fields(vec![None, None, None]));
            assert_eq!(r.extra.len(), 2, "{body}");
            same(body.as_bytes());
        }
        let r = read(
            500,
            r#"{"data":{"error":{"code":"c","count":-3,"retryable":false,"info":null}}}"#,
            &MIXED,
        );
        assert_eq!(
            r.fields,
            fields(vec![
                Some(FieldValue::Boolean(false)),
                Some(FieldValue::Integer(-3)),
                Some(FieldValue::Any(Value::Null))
            ])
        );
    }

    #[test]
    fn envelope_tiers() {
        // A code under an envelope documented for the status beats a code under any.
        let body = r#"{"code":"f","data":{"error":{"code":"d"}}}"#;
        assert_eq!(read(500, body, &MIXED).envelope, 0);
        assert_eq!(read(400, body, &MIXED).envelope, 1);
        assert_eq!(read(503, body, &MIXED).envelope, 0);
        same(body.as_bytes());
        // First in table order within a tier.
        let body = r#"{"error":{"code":"a","status":"b","message":"m"}}"#;
        assert_eq!(read(429, body, &MIXED).envelope, 2);
        assert_eq!(read(400, body, &MIXED).envelope, 2);
        // A code beats a message.
        let body = r#"{"message":"top","error":{"status":"b"}}"#;
        assert_eq!(read(400, body, &MIXED).envelope, 3);
        // A message under an envelope documented for the status beats one under any.
        let body = r#"{"message":"top","error":{"msg":"m"},"data":{"error":{"message":"d"}}}"#;
        assert_eq!(read(400, body, &MIXED).envelope, 1);
        assert_eq!(read(500, body, &MIXED).envelope, 0);
        assert_eq!(
            read(429, body, &MIXED).envelope,
            2,
            "documented for any status"
        );
        // Flat and nested envelopes at once.
        let body = r#"{"code":"flat","error":{"code":"nested","msg":"m"}}"#;
        assert_eq!(read(400, body, &MIXED).envelope, 1);
        let r = read(503, body, &MIXED);
        assert_eq!(r.envelope, 2);
        assert_eq!(r.code.unwrap().text(), "nested");
        let r = read(400, body, &MIXED);
        assert_eq!(r.code.unwrap().text(), "flat");
        assert_eq!(
            r.fields.get(0),
            Some(&FieldValue::Any(json!({"code": "nested", "msg": "m"})))
        );
        for body in [
            r#"{"error":{"code":"a","status":"b","message":"m"}}"#,
            r#"{"message":"top","error":{"status":"b"}}"#,
            r#"{"message":"top","error":{"msg":"m"},"data":{"error":{"message":"d"}}}"#,
            r#"{"code":"flat","error":{"code":"nested","msg":"m"}}"#,
        ] {
            same(body.as_bytes());
        }
        // A code of the wrong type is no code for the tiers.
        let body = r#"{"code":true,"error":{"msg":"m"}}"#;
        assert_eq!(read(400, body, &MIXED).envelope, 2);
        assert_eq!(read(503, body, &MIXED).envelope, 2);
        same(body.as_bytes());
        // A message key of any type counts.
        let body = r#"{"text":null}"#;
        let r = read(400, body, &NUMBERS);
        assert_eq!(
            (r.envelope, r.message, r.extra["text"].clone()),
            (1, None, Value::Null)
        );
        assert_eq!(
            unparsed(br#"{"error":{"msg":1}, "code": 1.5}"#),
            Unparsed::NoEnvelope
        );
    }

    #[test]
    fn nested_roots_and_objects_other_envelopes_read() {
        let body = r#"{"x":{"y":{"z":{"code":7,"message":"deep","error":{"a":1}}},"w":[1]},"code":"flat","data":{"id":1,"error":{"code":"d"}}}"#;
        let r = read(503, body, &MIXED);
        assert_eq!(r.envelope, 4, "documented for any status, before `far`");
        same(body.as_bytes());
        let r = read(400, body, &MIXED);
        assert_eq!(r.envelope, 1);
        assert_eq!(
            r.extra["x"],
            json!({"y":{"z":{"code":7,"message":"deep","error":{"a":1}}},"w":[1]})
        );
        assert_eq!(r.fields.get(1), None, "data is documented as a string");
        assert_eq!(r.extra["data"], json!({"id":1,"error":{"code":"d"}}));
        let body = r#"{"x":{"y":{"z":{"code":7,"message":"deep","error":{"a":1}}}}}"#;
        let r = read(503, body, &MIXED);
        assert_eq!(r.envelope, 5);
        assert_eq!(r.code, Some(RawCode::Integer(7)));
        assert_eq!(r.fields.get(0), Some(&FieldValue::Any(json!({"a": 1}))));
        same(body.as_bytes());
        // A root that is not an object is no root.
        for body in [
            r#"{"x":{"y":[{"z":{"code":7}}]}}"#,
            r#"{"x":{"y":{"z":"code"}}}"#,
        ] {
            assert_eq!(unparsed(body.as_bytes()), Unparsed::NoEnvelope);
        }
        // The code and message share a key: a code, and a message present but not taken.
        let r = read(400, r#"{"m":{"k":"v"}}"#, &MIXED);
        assert_eq!(
            (r.envelope, r.code.unwrap().text().as_ref(), r.message),
            (6, "v", None)
        );
        let r = read(400, r#"{"m":{"k":true}}"#, &MIXED);
        assert_eq!(
            (r.envelope, r.code, r.extra["k"].clone()),
            (6, None, json!(true))
        );
        same(br#"{"m":{"k":"v"}}"#);
        same(br#"{"m":{"k":true}}"#);
        same(br#"{"m":{"k":{}}}"#);
    }

    #[test]
    fn duplicate_keys_keep_the_last_value() {
        for body in [
            r#"{"errorCode":"a","errorCode":true,"message":"m"}"#,
            r#"{"errorCode":true,"errorCode":"a","message":"m"}"#,
            r#"{"errorCode":1,"message":2,"message":"m","status":3,"status":"s","status":4}"#,
            r#"{"error":{"code":"a"},"error":{"msg":"m"}}"#,
            r#"{"error":{"code":"a"},"error":"gone","code":"flat"}"#,
            r#"{"error":"first","error":{"code":"a"},"code":"flat"}"#,
            r#"{"code":"flat","error":{"code":"a","x":1},"error":{"x":2},"error":{"code":"b"}}"#,
            r#"{"x":{"y":{"z":{"code":1}}},"x":{"y":{"w":2}},"code":"flat","message":"m"}"#,
            r#"{"x":{"y":{"w":2}},"x":{"y":{"z":{"code":1}}},"code":"flat"}"#,
            r#"{"x":{"y":{"z":{"code":1}},"y":5},"code":"c"}"#,
            r#"{"data":{"error":{"code":"a"}},"data":{"id":"i"}}"#,
            r#"{"data":"s","data":{"id":"i","error":{"code":"c"}},"code":"f"}"#,
            r#"{"error":{"status":"s","status":{}},"error":{"status":"t"},"message":1}"#,
            r#"{"m":{"k":"v","k":[1]}}"#,
        ] {
            same(body.as_bytes());
        }
        let r = read(
            400,
            r#"{"errorCode":true,"errorCode":"a","message":"m"}"#,
            &VOICE,
        );
        assert_eq!((r.code.unwrap().text().as_ref(), r.extra.len()), ("a", 0));
        let r = read(
            400,
            r#"{"errorCode":"a","errorCode":true,"message":"m"}"#,
            &VOICE,
        );
        assert_eq!((r.code, r.extra["errorCode"].clone()), (None, json!(true)));
    }

    #[test]
    fn keys_that_serde_json_reserves_are_plain_keys() {
        for body in [
            r#"{"$serde_json::private::Number":"1","errorCode":1}"#,
            r#"{"error":{"$serde_json::private::Number":"1","code":"c"}}"#,
            r#"{"x":{"$serde_json::private::Number":"1","y":{"z":{"code":2}}}}"#,
            r#"{"error":{"$serde_json::private::RawValue":"1","code":"c"}}"#,
        ] {
            same(body.as_bytes());
        }
        let r = read(
            400,
            r#"{"$serde_json::private::Number":"1","errorCode":1}"#,
            &VOICE,
        );
        assert_eq!(r.extra["$serde_json::private::Number"], "1");
        let r = read(
            400,
            r#"{"error":{"$serde_json::private::Number":"1","code":"c"}}"#,
            &HMS,
        );
        assert_eq!(r.code, Some(RawCode::Text("c".into())));
        let r = read(
            503,
            r#"{"x":{"$serde_json::private::Number":"1","y":{"z":{"code":2}}}}"#,
            &MIXED,
        );
        assert_eq!(r.envelope, 5);
    }

    #[test]
    fn typed_takers_leave_other_kinds() {
        let mut fields = fields(vec![
            Some(FieldValue::Integer(1)),
            Some(FieldValue::String("s".into())),
            None,
            None,
            Some(FieldValue::Boolean(true)),
            Some(FieldValue::Any(json!([1]))),
        ]);
        assert_eq!(fields.get(5), Some(&FieldValue::Any(json!([1]))));
        assert_eq!(fields.iter().filter(Option::is_some).count(), 4);
        assert_eq!(fields.take_bool(4), Some(true));
        assert_eq!(fields.take_string(5), None);
        assert_eq!(fields.take_value(5), Some(json!([1])));
        assert_eq!(fields.take(5), None);
        assert_eq!(fields.take_string(0), None);
        assert_eq!(fields.take_bool(0), None);
        assert_eq!(fields.take_i64(0), Some(1));
        assert_eq!(fields.take_i64(1), None);
        assert_eq!(fields.take_value(1), Some(json!("s")));
        assert_eq!(fields.take_value(2), None);
        assert_eq!(fields.take(9), None);
        assert_eq!(fields.get(9), None);
        assert_eq!(fields.len(), 6);
        assert_eq!(fields.take(6), None);
        assert_eq!(RawCode::Integer(-5).to_string(), "-5");
        assert_eq!(RawCode::Text("x".into()).to_string(), "x");
    }

    /// JSON text, mostly objects built from the keys the tables use, with duplicate keys and
    /// now and then a string or number `Value` rejects.
    fn json_text() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            12 => Just(r#""s""#),
            12 => Just(r#""40001""#),
            6 => Just(r#""e\u0073c\n""#),
            1 => Just(r#""\ud800""#),
            9 => Just("0"),
            6 => Just("-7"),
            6 => Just("1.5"),
            1 => Just("1e400"),
            3 => Just("18446744073709551615"),
            3 => Just("9223372036854775808"),
            6 => Just("true"),
            6 => Just("null"),
            3 => Just("[]"),
            6 => Just("{}"),
        ]
        .prop_map(str::to_owned);
        let value = leaf.prop_recursive(4, 48, 5, |inner| {
            prop_oneof![
                1 => proptest::collection::vec(inner.clone(), 0..4)
                    .prop_map(|items| format!("[{}]", items.join(","))),
                4 => object(inner),
            ]
        });
        // Bodies shaped like the tables' envelopes, nested ones too.
        let shaped = {
            let o = object(value.clone());
            let entry = prop_oneof![
                o.clone().prop_map(|o| format!(r#""error":{o}"#)),
                (o.clone(), value.clone())
                    .prop_map(|(o, v)| format!(r#""data":{{"error":{o},"id":{v}}}"#)),
                (o.clone(), value.clone())
                    .prop_map(|(o, v)| format!(r#""x":{{"y":{{"z":{o}}},"w":{v}}}"#)),
                o.clone().prop_map(|o| format!(r#""m":{o}"#)),
                (value.clone(), value.clone())
                    .prop_map(|(c, m)| format!(r#""code":{c},"message":{m}"#)),
                o.prop_map(|o| o.trim_matches(|c| c == '{' || c == '}').to_owned()),
            ];
            proptest::collection::vec(entry, 0..4).prop_map(|entries| {
                let entries: Vec<String> = entries.into_iter().filter(|e| !e.is_empty()).collect();
                format!("{{{}}}", entries.join(","))
            })
        };
        prop_oneof![1 => value.clone(), 2 => object(value), 3 => shaped]
    }

    fn object(
        values: impl Strategy<Value = String> + Clone,
    ) -> impl Strategy<Value = String> + Clone {
        let key = prop_oneof![
            4 => Just("error"),
            4 => Just("code"),
            3 => Just("message"),
            3 => Just("status"),
            2 => Just("text"),
            2 => Just("errorCode"),
            1 => Just("param"),
            1 => Just("type"),
            1 => Just("details"),
            2 => Just("data"),
            1 => Just("id"),
            1 => Just("msg"),
            2 => Just("x"),
            2 => Just("y"),
            2 => Just("z"),
            1 => Just("m"),
            1 => Just("k"),
            1 => Just("count"),
            1 => Just("retryable"),
            1 => Just("info"),
            1 => Just("reference"),
            1 => Just("c\\u006fde"),
        ];
        proptest::collection::vec((key, values), 0..6).prop_map(|entries| {
            let entries: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!(r#""{k}":{v}"#))
                .collect();
            format!("{{{}}}", entries.join(","))
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

        #[test]
        fn random_bytes_never_panic_and_read_as_before(
            body in proptest::collection::vec(any::<u8>(), 0..512),
            status in 100u16..=999,
        ) {
            for specs in TABLES {
                prop_assert_eq!(new(status, &body, specs), old(status, &body, specs));
            }
        }

        #[test]
        fn random_json_reads_as_before(
            body in json_text(),
            cut in any::<prop::sample::Index>(),
            tail in proptest::collection::vec(any::<u8>(), 0..3),
            mangle in any::<bool>(),
        ) {
            let mut bytes = body.into_bytes();
            if mangle {
                bytes.truncate(cut.index(bytes.len() + 1));
                bytes.extend(tail);
            }
            for specs in TABLES {
                for status in [400, 429, 500, 503] {
                    prop_assert_eq!(new(status, &bytes, specs), old(status, &bytes, specs));
                }
            }
        }
    }
}

/// The first reader of error bodies, kept as the reference `read_body` is tested against: it
/// parses the whole body into a `serde_json::Value`, then picks the envelope and moves its
/// fields out.
#[cfg(test)]
mod oracle {
    use super::*;

    /// One documented error body shape, as generated code describes it.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub struct OracleDesc {
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
        envelopes: &[OracleDesc],
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
        serde_json::from_slice(body).map_err(|err| syntax_reason(&err))
    }

    fn root<'v>(value: &'v Value, path: &[&str]) -> Option<&'v Map<String, Value>> {
        path.iter()
            .try_fold(value, |v, key| v.as_object()?.get(*key))?
            .as_object()
    }

    fn pick_envelope(value: &Value, status: u16, envelopes: &[OracleDesc]) -> Option<usize> {
        let documented_for = |e: &OracleDesc| e.statuses.is_empty() || e.statuses.contains(&status);
        let has_code = |e: &OracleDesc| {
            root(value, e.root)
                .and_then(|object| object.get(e.code))
                .is_some_and(|code| code.is_string() || code.is_i64() || code.is_u64())
        };
        let has_message = |e: &OracleDesc| {
            root(value, e.root)
                .is_some_and(|object| e.message.is_some_and(|m| object.contains_key(m)))
        };
        // A code under an envelope documented for this status beats one under any envelope, which
        // beats a body that only carries a message.
        let tests: [&dyn Fn(&OracleDesc) -> bool; 4] = [
            &|e| documented_for(e) && has_code(e),
            &|e| has_code(e),
            &|e| documented_for(e) && has_message(e),
            &|e| has_message(e),
        ];
        tests
            .iter()
            .find_map(|test| envelopes.iter().position(test))
    }

    fn take_envelope(value: &mut Value, index: usize, desc: &OracleDesc) -> ParsedBody {
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
}
