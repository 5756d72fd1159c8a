//! Every structural problem of a spec in one run.
//!
//! serde stops at the first unknown key, wrong type or missing field. When it does, the
//! document is read again as a YAML value and repaired one problem at a time: an unknown key
//! is dropped, a value of the wrong type (or a value an enumeration does not have) is replaced
//! by a stand-in of the expected type (its first value), and the repaired value is
//! deserialized again, until it deserializes or a problem cannot be repaired (a missing
//! required field). Each round deserializes from the value in memory, so a round costs a walk
//! of the tree, not a YAML emit and a parse of the text. Each problem is reported once, at its
//! place in the original text. When the repair succeeds, validation runs on the repaired spec,
//! so an undefined name or a duplicate code is reported in the same run; what it says about a
//! stand-in is dropped, since that value is not the user's.

use std::fmt::Write as _;

use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{self, Deserializer, IntoDeserializer, Visitor};
use serde_yaml::{Mapping, Value};

use crate::diag::Diagnostic;
use crate::locate::join;
use crate::spec;

/// At most this many structural problems are repaired in one run; fewer in a large spec, where
/// each round walks the whole document again (about 64 MiB of source in all).
const MAX_REPAIRS: usize = 100;

/// Whether validation can be trusted on a spec with a stand-in at `path`: not when the stand-in
/// is a whole section or a value other entries refer to (a code, an id, a status, a name),
/// which would make their references look wrong.
pub(crate) fn stand_in_is_local(path: &str) -> bool {
    let last = path.rsplit(['.', '[']).next().unwrap_or(path);
    path.contains(['.', '[']) && !matches!(last, "code" | "id" | "status" | "name")
}

/// The structural problems of `source` (which failed to deserialize), and the
/// repaired spec with the paths of the stand-ins in it, if every problem could be repaired.
pub(crate) struct Recovered {
    /// Each problem in the order found, with the YAML path of the place to report it at (the
    /// diagnostic's own path may be its mapping's), not yet located: the caller locates them
    /// with the rest in one walk of the source, then puts the first reading's problem first
    /// ([`with_first`]).
    pub found: Vec<(String, Diagnostic)>,
    pub spec: Option<(spec::Spec, Vec<String>)>,
}

pub(crate) fn recover(source: &str, file: &str, help: impl Fn(&str) -> &'static str) -> Recovered {
    let Ok(mut value) = serde_yaml::from_str::<Value>(source) else {
        return Recovered {
            found: Vec::new(),
            spec: None,
        };
    };
    let mut diagnostics = Vec::new();
    let mut stand_ins: Vec<String> = Vec::new();
    let mut removed: Vec<String> = Vec::new();
    let max_repairs = ((64 << 20) / source.len().max(1)).clamp(1, MAX_REPAIRS);
    for round in 0..=max_repairs {
        // Read as the text's deserializer reads a document (see `AsText`), so each round is
        // a walk of the tree in memory.
        let (path, message) =
            match serde_path_to_error::deserialize::<_, spec::Spec>(AsText(&value)) {
                Ok(spec) => {
                    return Recovered {
                        found: diagnostics,
                        spec: Some((spec, stand_ins)),
                    }
                }
                Err(err) => path_and_message(&err),
            };
        let help = help(&message).to_owned();
        let located = |at: &str| {
            let diagnostic = Diagnostic {
                file: file.to_owned(),
                line: 0,
                column: 0,
                path: path.clone(),
                message: message.clone(),
                help: Some(help.clone()),
            };
            (at.to_owned(), diagnostic)
        };
        if round == max_repairs {
            // Reported, but not repaired: what lies behind it is found in the next run.
            diagnostics.push(located(&path));
            break;
        }
        if let Some(key) = quoted(&message, "unknown field `") {
            let at = join(&path, key);
            if !remove(&mut value, &path, key) {
                diagnostics.push(located(&at));
                break;
            }
            removed.push(at.clone());
            diagnostics.push(located(&at));
        } else if let Some(key) = quoted(&message, "missing field `") {
            // A field removed or replaced above is not missing to the user: it was reported.
            // Nor is one of a mapping that had an unknown key removed: that key is most likely
            // the missing one, misspelled.
            let at = join(&path, key);
            let misspelled = removed
                .iter()
                .any(|r| r.rsplit_once('.').map_or("", |(parent, _)| parent) == path);
            if !removed.contains(&at) && !misspelled {
                diagnostics.push(located(&path));
            }
            break;
        } else if let Some(stand_in) = stand_in(&message) {
            if path.is_empty() || !replace(&mut value, &path, stand_in) {
                diagnostics.push(located(&path));
                break;
            }
            diagnostics.push(located(&path));
            stand_ins.push(path.clone());
            removed.push(path);
        } else {
            diagnostics.push(located(&path));
            break;
        }
    }
    Recovered {
        found: diagnostics,
        spec: None,
    }
}

/// The first problem as the deserializer located it in the original text (its line and
/// column are those of the offending key), in place of the one found again by path.
pub(crate) fn with_first(mut diagnostics: Vec<Diagnostic>, first: Diagnostic) -> Vec<Diagnostic> {
    match diagnostics.first_mut() {
        Some(d) if d.message == first.message && d.path == first.path => *d = first,
        // The text's deserializer names a path with characters other than a key's usual ones
        // (`retry.policies.≥`) inside its message; the repair found the same problem with its
        // path apart, which is kept, at the first reading's place.
        Some(d)
            if first.path.is_empty() && first.message == format!("{}: {}", d.path, d.message) =>
        {
            d.line = first.line;
            d.column = first.column;
        }
        Some(_) => diagnostics.insert(0, first),
        None => diagnostics.push(first),
    }
    diagnostics
}

/// The YAML path of a problem found in the repaired value, written as the deserializer of the
/// text writes it (`codes[1].status`, empty at the root), and its message.
fn path_and_message(err: &serde_path_to_error::Error<serde_yaml::Error>) -> (String, String) {
    use serde_path_to_error::Segment;
    let message = err.inner().to_string();
    let mut segments: Vec<&Segment> = err.path().iter().collect();
    // The path runs up to the key being read; the text's deserializer names the mapping that
    // holds an unknown key, and so does every diagnostic.
    if let (Some(key), Some(Segment::Map { key: last })) =
        (quoted(&message, "unknown field `"), segments.last())
    {
        if key == last {
            segments.pop();
        }
    }
    let mut path = String::new();
    for segment in segments {
        let key = match segment {
            Segment::Seq { index } => {
                let _ = write!(path, "[{index}]");
                continue;
            }
            Segment::Map { key } | Segment::Enum { variant: key } => key.as_str(),
            Segment::Unknown => "?",
        };
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
    }
    (path, message)
}

/// The text between `prefix` and the next backtick in `message`.
fn quoted<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = message.strip_prefix(prefix)?;
    rest.split_once('`').map(|(key, _)| key)
}

/// A value of the type an "invalid type/value ..., expected X" message names, or for an
/// "unknown variant `v`, expected one of `a`, ..." message the enumeration's first value.
fn stand_in(message: &str) -> Option<Value> {
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let expected = rest.split_once("expected ")?.1;
        let first = quoted(expected.trim_start_matches("one of "), "`")?;
        return Some(Value::String(first.to_owned()));
    }
    if !(message.starts_with("invalid type") || message.starts_with("invalid value")) {
        return None;
    }
    let expected = message.rsplit_once("expected ")?.1;
    let value = if expected.contains("sequence") || expected.contains("list") {
        Value::Sequence(Vec::new())
    } else if expected.contains("map") || expected.starts_with("struct") {
        Value::Mapping(Mapping::new())
    } else if expected.contains("bool") {
        Value::Bool(false)
    } else if [
        "u8", "u16", "u32", "u64", "i32", "i64", "integer", "number", "f64", "status",
    ]
    .iter()
    .any(|t| expected.contains(t))
    {
        // 100 is a number every numeric field accepts: an HTTP status, a count, a factor.
        Value::Number(100.into())
    } else if expected.contains("string")
        || expected.contains("duration")
        || expected.contains("str")
        || expected.contains("variant")
        || expected.contains("one of")
    {
        Value::String(String::new())
    } else {
        return None;
    };
    Some(value)
}

/// The segments of a path such as `codes[3].retry`: keys and indices.
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

fn segments(path: &str) -> Option<Vec<Segment<'_>>> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(Segment::Key(key));
        }
        while let Some(tail) = rest.strip_prefix('[') {
            let (index, after) = tail.split_once(']')?;
            out.push(Segment::Index(index.parse().ok()?));
            rest = after;
        }
    }
    Some(out)
}

fn node_mut<'a>(value: &'a mut Value, path: &str) -> Option<&'a mut Value> {
    let mut node = value;
    for segment in segments(path)? {
        node = match segment {
            Segment::Key(key) => node.as_mapping_mut()?.get_mut(key)?,
            Segment::Index(i) => node.as_sequence_mut()?.get_mut(i)?,
        };
    }
    Some(node)
}

/// Removes `key` from the mapping at `path`.
/// Removes `key` from the mapping at `path`; a key the value holds as a number, a boolean or a
/// null matches its text, as the text's deserializer names it.
fn remove(value: &mut Value, path: &str, key: &str) -> bool {
    let Some(map) = node_mut(value, path).and_then(Value::as_mapping_mut) else {
        return false;
    };
    if map.remove(key).is_some() {
        return true;
    }
    let resolved = map
        .keys()
        .find(|k| scalar_text(k).as_deref() == Some(key))
        .cloned();
    resolved.is_some_and(|k| map.remove(&k).is_some())
}

/// The text of a scalar the value holds as what it resolved to; `None` for a string or a
/// collection.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => Some("null".to_owned()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Replaces the node at `path`.
fn replace(value: &mut Value, path: &str, with: Value) -> bool {
    match node_mut(value, path) {
        Some(node) => {
            *node = with;
            true
        }
        None => false,
    }
}

/// The repaired value, deserialized as the text's deserializer reads the document it stands
/// for. `&Value`'s own deserializer reads a scalar only as what it resolved to: `message: 404`
/// would be a number where the text's deserializer reads any scalar as a string if a string
/// is expected (a value, a key or an enumeration's variant), and a null would be an empty list
/// where the text's finds no list.
#[derive(Clone, Copy)]
struct AsText<'a>(&'a Value);

impl<'de> IntoDeserializer<'de, serde_yaml::Error> for AsText<'de> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> Deserializer<'de> for AsText<'de> {
    type Error = serde_yaml::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => n.deserialize_any(visitor),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Sequence(items) => {
                let mut seq = SeqDeserializer::new(items.iter().map(AsText));
                let read = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(read)
            }
            Value::Mapping(map) => {
                let mut entries =
                    MapDeserializer::new(map.iter().map(|(k, v)| (AsText(k), AsText(v))));
                let read = visitor.visit_map(&mut entries)?;
                entries.end()?;
                Ok(read)
            }
            Value::Tagged(_) => self.0.deserialize_any(visitor),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match (self.0, scalar_text(self.0)) {
            (Value::String(s), _) => visitor.visit_borrowed_str(s),
            (_, Some(text)) => visitor.visit_string(text),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match (self.0, scalar_text(self.0)) {
            (Value::String(s), _) => visitor.visit_enum(s.as_str().into_deserializer()),
            (_, Some(text)) => visitor
                .visit_enum(de::IntoDeserializer::<serde_yaml::Error>::into_deserializer(text)),
            _ => self.0.deserialize_enum(name, variants, visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf unit
        unit_struct seq tuple tuple_struct map struct ignored_any
    }
}
