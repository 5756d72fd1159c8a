//! `errspec import openapi`: a first spec from an OpenAPI 3.0 or 3.1 document, JSON or YAML.
//!
//! What is read, and where it goes:
//!
//! - **Statuses**: every explicit `4xx`/`5xx` response of every operation and of
//!   `components.responses`, with the descriptions the document gives it. A description that
//!   reads as a name (a short phrase such as `Not Found`) names the status; otherwise the status
//!   takes its standard reason phrase, marked inferred. A component response that no operation
//!   refers to takes its status from its body (a `status` property enumerating one number, or
//!   the `status` of its examples). `4XX`, `5XX` and `default` are not statuses: each kind is
//!   listed in a note, and their bodies still give envelopes and codes, without a status.
//! - **Envelopes**: the JSON body schema of each error response (`$ref`s resolved within the
//!   document, `allOf` merged, a single non-null `anyOf`/`oneOf` alternative followed, several
//!   alternatives read as several bodies). The code field is the property named like a code
//!   (`code`, `error_code`, `type`, ...) or holding an enumeration, found in the body or in an
//!   object under it (the envelope's root, such as `error`); the message field is the property
//!   named like a message; every other property is a field with its JSON type (`number`, which
//!   the format has no type for, becomes `any`). An object under the root whose own `code`
//!   enumerates values gives an envelope of its own.
//! - **Codes**: the values the code field enumerates (`enum`, `const`, `oneOf` of `const`s,
//!   `x-extensible-enum`), with a description per value from `x-enum-descriptions`,
//!   `x-enumDescriptions`, `x-ms-enum.values`, `x-stripeEnum` or the `const`s' descriptions; the
//!   message and description of a code also come from the response examples that carry it (a
//!   code field that enumerates nothing takes its codes from the examples, each noted). A
//!   code takes the status it is documented under when there is exactly one; otherwise it has
//!   none (version 2), with a note. A code's message that no example states is the first
//!   sentence of its description, else the code itself, marked inferred.
//! - **Forward compatibility**: an enumeration marked open (`x-extensible-enum`,
//!   `x-ms-enum.modelAsString: true`, `x-stripeEnum`) is quoted as the API's statement that more
//!   codes may come.
//! - **Retry policies**: each `x-speakeasy-retries` (of the document or of an operation) with
//!   the `backoff` strategy becomes a policy (`initialInterval`, `maxInterval`, `exponent`, and
//!   the number of attempts that fit in `maxElapsedTime`, marked inferred) on the statuses its
//!   `statusCodes` name.
//!
//! What the document does not state is left out or marked inferred; what the importer cannot
//! place is written as a note for a human to decide.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::Path;

use indexmap::IndexMap;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{
    entry_id, module_id, read_source, Draft, DraftCode, DraftCodeType, DraftEnvelope, DraftPolicy,
    DraftStatus, ImportError, Wire,
};
use crate::ir::{FieldType, TextFormat};

/// Reads the OpenAPI document at `path` into a draft spec.
pub fn read(path: &Path) -> Result<Draft, ImportError> {
    let text = read_source(path)?;
    from_str(&text, &path.display().to_string())
}

/// Reads the OpenAPI document `text`, named `file` in errors and in `api.source`.
pub fn from_str(text: &str, file: &str) -> Result<Draft, ImportError> {
    let root = parse(text, file)?;
    Importer::new(&root, file)?.run()
}

// ---------------------------------------------------------------------------------------------
// The document as a tree, JSON or YAML alike.

/// A JSON or YAML value, with mappings in the document's order and every key a string (YAML
/// lets `400:` be a number).
#[derive(Debug, PartialEq)]
enum Node {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(IndexMap<String, Node>),
}

impl Node {
    fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(m) => m.get(key),
            _ => None,
        }
    }
    fn str(&self) -> Option<&str> {
        match self {
            Node::Str(s) => Some(s),
            _ => None,
        }
    }
    fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Node::str)
    }
    fn seq(&self) -> Option<&[Node]> {
        match self {
            Node::Seq(s) => Some(s),
            _ => None,
        }
    }
    fn int(&self) -> Option<i64> {
        match self {
            Node::Int(n) => Some(*n),
            Node::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(*f as i64),
            _ => None,
        }
    }
    fn number(&self) -> Option<f64> {
        match self {
            Node::Int(n) => Some(*n as f64),
            Node::Float(f) => Some(*f),
            _ => None,
        }
    }
    fn truthy(&self) -> bool {
        matches!(self, Node::Bool(true))
    }
    /// The value as the document writes it, for notes.
    fn show(&self) -> String {
        match self {
            Node::Null => "null".into(),
            Node::Bool(b) => b.to_string(),
            Node::Int(n) => n.to_string(),
            Node::Float(f) => f.to_string(),
            Node::Str(s) => s.clone(),
            Node::Seq(_) => "a list".into(),
            Node::Map(_) => "a mapping".into(),
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON or YAML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(i64::try_from(v).map_or(Node::Float(v as f64), Node::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = IndexMap::with_capacity(map.size_hint().unwrap_or(0).min(4096));
        while let Some(Key(key)) = map.next_key()? {
            let value: Node = map.next_value()?;
            if entries.contains_key(&key) {
                return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
            }
            entries.insert(key, value);
        }
        Ok(Node::Map(entries))
    }
}

/// A mapping key: a string, or a YAML scalar read as the string it is written as.
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string or number key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(Key(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Key, E> {
                Ok(Key(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Key, E> {
                Ok(Key("null".into()))
            }
        }
        d.deserialize_any(KeyVisitor)
    }
}

/// The document as a tree: JSON when it starts with `{`, else YAML (of which JSON is a part).
fn parse(text: &str, file: &str) -> Result<Node, ImportError> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = body.trim_start().chars().next();
    let root: Node = if first == Some('{') {
        serde_json::from_str(body).map_err(|e| {
            ImportError::new(
                file,
                Some(format!("line {}, column {}", e.line(), e.column())),
                format!("the file is not valid JSON: {e}"),
                Some(
                    "an OpenAPI document is JSON or YAML; check that this is the right file".into(),
                ),
            )
        })?
    } else {
        yaml_serde_from_str(body).map_err(|e| {
            let at = e
                .location()
                .map(|l| format!("line {}, column {}", l.line(), l.column()));
            ImportError::new(
                file,
                at,
                format!("the file is neither JSON nor valid YAML: {e}"),
                Some(
                    "an OpenAPI document is JSON or YAML; check that this is the right file".into(),
                ),
            )
        })?
    };
    match root {
        Node::Map(_) => Ok(root),
        other => Err(ImportError::new(
            file,
            Some("$".into()),
            format!(
                "the document is {}, not an OpenAPI object",
                match other {
                    Node::Seq(_) => "a list".to_owned(),
                    ref o => format!("the scalar `{}`", o.show()),
                }
            ),
            Some("an OpenAPI document is a mapping with `openapi`, `info` and `paths`".into()),
        )),
    }
}

fn yaml_serde_from_str(text: &str) -> Result<Node, serde_yaml::Error> {
    serde_yaml::from_str(text)
}

// ---------------------------------------------------------------------------------------------
// JSON paths and `$ref`s.

/// `base` followed by the member `key`, in JSONPath: `.name`, or `['a key']`.
fn member(base: &str, key: &str) -> String {
    let plain = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        format!("{base}.{key}")
    } else {
        format!(
            "{base}['{}']",
            key.replace('\\', "\\\\").replace('\'', "\\'")
        )
    }
}

fn index(base: &str, i: usize) -> String {
    format!("{base}[{i}]")
}

/// The JSONPath of a local JSON pointer's segments.
fn pointer_path(segments: &[String]) -> String {
    segments.iter().fold("$".to_owned(), |p, s| member(&p, s))
}

/// The segments of a `$ref` within the document (`#/components/schemas/Error`), or `None`
/// for a reference to another document.
fn local_pointer(reference: &str) -> Option<Vec<String>> {
    let fragment = reference.strip_prefix('#')?;
    if fragment.is_empty() {
        return Some(Vec::new());
    }
    let fragment = fragment.strip_prefix('/')?;
    Some(
        fragment
            .split('/')
            .map(|s| {
                let decoded = percent_encoding::percent_decode_str(s).decode_utf8_lossy();
                decoded.replace("~1", "/").replace("~0", "~")
            })
            .collect(),
    )
}

// ---------------------------------------------------------------------------------------------
// Schemas, flattened.

/// A schema with its `$ref`s resolved and its `allOf` spread out: every schema object that
/// constrains the value, outermost first, each with its JSON path.
#[derive(Default)]
struct Flat<'a> {
    parts: Vec<(&'a Node, String)>,
    /// The name of the first `#/components/schemas/...` the schema was reached through.
    name: Option<String>,
    /// `$ref`s to other documents, which were not followed.
    external: Vec<(String, String)>,
}

impl<'a> Flat<'a> {
    fn first(&self, key: &str) -> Option<(&'a Node, &str)> {
        self.parts
            .iter()
            .find_map(|(n, p)| n.get(key).map(|v| (v, p.as_str())))
    }
    /// The most specific value of `key`: the last part that states it.
    fn last(&self, key: &str) -> Option<(&'a Node, &'a Node, &str)> {
        self.parts
            .iter()
            .rev()
            .find_map(|(n, p)| n.get(key).map(|v| (*n, v, p.as_str())))
    }
    fn description(&self) -> Option<String> {
        self.first("description")
            .and_then(|(d, _)| d.str())
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_owned)
    }
    /// The JSON types the schema states (`null` left out).
    fn types(&self) -> Vec<&'a str> {
        let mut out = Vec::new();
        for (n, _) in &self.parts {
            match n.get("type") {
                Some(Node::Str(t)) if t != "null" => out.push(t.as_str()),
                Some(Node::Seq(ts)) => {
                    out.extend(ts.iter().filter_map(Node::str).filter(|t| *t != "null"))
                }
                _ => {}
            }
            if !out.is_empty() {
                break;
            }
        }
        out
    }
    /// The properties, in the document's order, each with every schema that constrains it.
    fn properties(&self) -> IndexMap<&'a str, Vec<(&'a Node, String)>> {
        let mut props: IndexMap<&'a str, Vec<(&'a Node, String)>> = IndexMap::new();
        for (n, p) in &self.parts {
            if let Some(Node::Map(m)) = n.get("properties") {
                let base = member(p, "properties");
                for (k, v) in m {
                    props
                        .entry(k.as_str())
                        .or_default()
                        .push((v, member(&base, k)));
                }
            }
        }
        props
    }
}

/// One enumerated value with what the document says of it.
struct EnumValue {
    wire: Node,
    description: Option<String>,
}

/// An enumeration and whether the document marks it open.
struct Enumeration {
    values: Vec<EnumValue>,
    path: String,
    /// The marker that says more values may come, quoted, with where it is.
    open: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// The importer.

/// Where in the document a response is, and under which key.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Slot {
    Status(u16),
    /// `4XX`, `5XX` (the first digit).
    Range(u8),
    Default,
    /// A component response no operation refers to, whose status the document does not say.
    Unplaced,
}

/// A body shape found in an error response.
struct Shape {
    root: Vec<String>,
    code_field: String,
    accepts: Vec<FieldType>,
    message: Option<String>,
    fields: Vec<(String, FieldType, Option<String>)>,
    name: Option<String>,
    description: Option<String>,
    enumeration: Option<Enumeration>,
    path: String,
}

/// An envelope a body schema gives (its index), and the codes that schema enumerates for it
/// (`None`: its code field enumerates nothing).
type Placed = (usize, Option<Vec<Wire>>);

/// An example body, its name, and its description.
type Example<'a> = (&'a Node, String, Option<String>);

#[derive(Default)]
struct StatusAcc {
    descriptions: Vec<String>,
}

#[derive(Default)]
struct CodeAcc {
    statuses: BTreeSet<u16>,
    /// Seen under `default`, a range, or a response without a status.
    unplaced: bool,
    description: Option<String>,
    other_descriptions: Vec<String>,
    message: Option<String>,
    /// Messages of further examples that differ from the first.
    other_messages: Vec<String>,
    example_descriptions: Vec<String>,
    envelopes: BTreeSet<usize>,
    /// The code is known from an example only.
    from_example: Option<String>,
}

struct Importer<'a> {
    root: &'a Node,
    file: &'a str,
    notes: Vec<String>,
    statuses: BTreeMap<u16, StatusAcc>,
    /// For each kind of response that cannot be a status, how many and where the first is.
    unplaced_kinds: BTreeMap<Slot, (usize, String)>,
    envelopes: Vec<DraftEnvelope>,
    codes: IndexMap<Wire, CodeAcc>,
    open_markers: Vec<String>,
    external_refs: BTreeMap<String, String>,
    non_json: Vec<String>,
    no_code_field: Vec<String>,
    error_responses: usize,
    /// The shapes already read, by the address of the schema node.
    shape_cache: HashMap<*const Node, Vec<Placed>>,
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl<'a> Importer<'a> {
    fn new(root: &'a Node, file: &'a str) -> Result<Self, ImportError> {
        let mut notes = Vec::new();
        if let Some(v) = root.get("swagger") {
            return Err(ImportError::new(
                file,
                Some("$.swagger".into()),
                format!("this is a Swagger (OpenAPI {}) document", v.show()),
                Some(
                    "convert it to OpenAPI 3 first, e.g. with `npx swagger2openapi FILE -o FILE3.yaml`, then import that"
                        .into(),
                ),
            ));
        }
        match root.get("openapi") {
            Some(Node::Str(v)) if v.starts_with("3.0") || v.starts_with("3.1") => {}
            Some(Node::Str(v)) if v.starts_with("3.") => notes.push(format!(
                "the document is OpenAPI {v}; it was read as OpenAPI 3.1, check what the newer version changes"
            )),
            Some(v) => {
                return Err(ImportError::new(
                    file,
                    Some("$.openapi".into()),
                    format!("`openapi: {}` is not a version this importer reads", v.show()),
                    Some("import an OpenAPI 3.0 or 3.1 document".into()),
                ))
            }
            None if root.get("paths").is_some() || root.get("components").is_some() => {
                notes.push(
                    "the document states no `openapi` version (a components-only file?); it was read as OpenAPI 3"
                        .into(),
                );
            }
            None => {
                return Err(ImportError::new(
                    file,
                    Some("$".into()),
                    "this is not an OpenAPI document: it has no `openapi`, `paths` or `components`",
                    Some("import an OpenAPI 3.0 or 3.1 document".into()),
                ))
            }
        }
        Ok(Importer {
            root,
            file,
            notes,
            statuses: BTreeMap::new(),
            unplaced_kinds: BTreeMap::new(),
            envelopes: Vec::new(),
            codes: IndexMap::new(),
            open_markers: Vec::new(),
            external_refs: BTreeMap::new(),
            non_json: Vec::new(),
            no_code_field: Vec::new(),
            error_responses: 0,
            shape_cache: HashMap::new(),
        })
    }

    fn err(&self, at: &str, message: impl Into<String>, help: Option<&str>) -> ImportError {
        ImportError::new(
            self.file,
            Some(at.to_owned()),
            message,
            help.map(str::to_owned),
        )
    }

    /// `node` with its `$ref` chain followed, and the path of what it resolved to; `None` for a
    /// reference to another document (recorded for a note).
    fn deref(
        &mut self,
        node: &'a Node,
        path: String,
    ) -> Result<Option<(&'a Node, String)>, ImportError> {
        let mut node = node;
        let mut path = path;
        let mut seen: Vec<String> = Vec::new();
        while let Some(reference) = node.get("$ref") {
            let at = member(&path, "$ref");
            let Some(reference) = reference.str() else {
                return Err(self.err(&at, "`$ref` is not a string", None));
            };
            let Some(segments) = local_pointer(reference) else {
                self.external_refs.entry(reference.to_owned()).or_insert(at);
                return Ok(None);
            };
            let target_path = pointer_path(&segments);
            if seen.contains(&target_path) {
                return Err(self.err(
                    &at,
                    format!("`$ref: {reference}` leads back to itself (a `$ref` cycle)"),
                    Some("make one of the schemas in the cycle a schema rather than a reference"),
                ));
            }
            seen.push(target_path.clone());
            let mut target = self.root;
            for s in &segments {
                let next = match target {
                    Node::Map(m) => m.get(s.as_str()),
                    Node::Seq(items) => s.parse::<usize>().ok().and_then(|i| items.get(i)),
                    _ => None,
                };
                target = next.ok_or_else(|| {
                    self.err(
                        &at,
                        format!("`$ref: {reference}` points to nothing in the document"),
                        Some("correct the reference"),
                    )
                })?;
            }
            node = target;
            path = target_path;
        }
        Ok(Some((node, path)))
    }

    /// The schema at `node`, flattened: `$ref`s followed, `allOf` spread, a single non-null
    /// `anyOf`/`oneOf` alternative followed.
    fn flatten(&mut self, node: &'a Node, path: String) -> Result<Flat<'a>, ImportError> {
        let mut flat = Flat::default();
        let mut stack = Vec::new();
        self.flatten_into(node, path, &mut flat, &mut stack)?;
        Ok(flat)
    }

    fn flatten_into(
        &mut self,
        node: &'a Node,
        path: String,
        flat: &mut Flat<'a>,
        stack: &mut Vec<String>,
    ) -> Result<(), ImportError> {
        if stack.len() > 32 {
            return Err(self.err(
                &path,
                "the schema nests `allOf` and `$ref` more than 32 deep",
                Some("check the document for a `$ref` cycle"),
            ));
        }
        let reference = node.get_str("$ref").map(str::to_owned);
        let Some((resolved, rpath)) = self.deref(node, path.clone())? else {
            if let Some(r) = reference {
                flat.external.push((r, member(&path, "$ref")));
            }
            return Ok(());
        };
        if reference.is_some() {
            if stack.contains(&rpath) {
                return Err(self.err(
                    &member(&path, "$ref"),
                    format!(
                        "`$ref: {}` leads back to a schema that contains it (a `$ref` cycle through `allOf`)",
                        reference.unwrap_or_default()
                    ),
                    Some("break the cycle: a schema cannot be all of itself"),
                ));
            }
            if flat.name.is_none() {
                if let Some(name) = rpath
                    .strip_prefix("$.components.schemas.")
                    .filter(|n| !n.contains(['.', '[']))
                {
                    flat.name = Some(name.to_owned());
                }
            }
        }
        stack.push(rpath.clone());
        flat.parts.push((resolved, rpath.clone()));
        if let Some(all) = resolved.get("allOf").and_then(Node::seq) {
            let base = member(&rpath, "allOf");
            for (i, part) in all.iter().enumerate() {
                self.flatten_into(part, index(&base, i), flat, stack)?;
            }
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(alts) = resolved.get(key).and_then(Node::seq) {
                let base = member(&rpath, key);
                let real: Vec<(usize, &Node)> = alts
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| a.get_str("type") != Some("null"))
                    .collect();
                if let [(i, alt)] = real[..] {
                    if alt.get("const").is_none() {
                        self.flatten_into(alt, index(&base, i), flat, stack)?;
                    }
                }
            }
        }
        stack.pop();
        Ok(())
    }

    /// The alternatives of a body schema that offers several (`oneOf`/`anyOf` of objects).
    fn alternatives(&mut self, flat: &Flat<'a>) -> Result<Vec<Flat<'a>>, ImportError> {
        let mut out = Vec::new();
        for (n, p) in &flat.parts {
            for key in ["oneOf", "anyOf"] {
                if let Some(alts) = n.get(key).and_then(Node::seq) {
                    let real: Vec<(usize, &'a Node)> = alts
                        .iter()
                        .enumerate()
                        .filter(|(_, a)| a.get_str("type") != Some("null"))
                        .collect();
                    if real.len() > 1 {
                        let base = member(p, key);
                        for (i, alt) in real {
                            out.push(self.flatten(alt, index(&base, i))?);
                        }
                    }
                }
            }
        }
        Ok(out)
    }

    fn run(mut self) -> Result<Draft, ImportError> {
        let root = self.root;
        // Responses of operations, and which component responses they refer to.
        let mut referenced: BTreeSet<String> = BTreeSet::new();
        if let Some(Node::Map(paths)) = root.get("paths") {
            for (route, item) in paths {
                let item_path = member("$.paths", route);
                let Some((item, item_path)) = self.deref(item, item_path)? else {
                    continue;
                };
                for method in METHODS {
                    if let Some(op) = item.get(method) {
                        let op_path = member(&item_path, method);
                        self.operation(op, &op_path, &mut referenced)?;
                    }
                }
            }
        }
        if let Some(Node::Map(hooks)) = root.get("webhooks") {
            for (name, item) in hooks {
                let item_path = member("$.webhooks", name);
                let Some((item, item_path)) = self.deref(item, item_path)? else {
                    continue;
                };
                for method in METHODS {
                    if let Some(op) = item.get(method) {
                        let op_path = member(&item_path, method);
                        self.operation(op, &op_path, &mut referenced)?;
                    }
                }
            }
        }
        // Component responses no operation refers to.
        if let Some(Node::Map(responses)) = root.get("components").and_then(|c| c.get("responses"))
        {
            for (name, response) in responses {
                let path = member("$.components.responses", name);
                if referenced.contains(&path) {
                    continue;
                }
                let Some((response, rpath)) = self.deref(response, path.clone())? else {
                    continue;
                };
                let slot = self.component_status(response, &rpath)?;
                self.response(response, &rpath, slot, Some(name))?;
            }
        }
        let policies = self.retries()?;
        self.finish(policies)
    }

    fn operation(
        &mut self,
        op: &'a Node,
        op_path: &str,
        referenced: &mut BTreeSet<String>,
    ) -> Result<(), ImportError> {
        let Some(Node::Map(responses)) = op.get("responses") else {
            return Ok(());
        };
        let base = member(op_path, "responses");
        for (key, response) in responses {
            let path = member(&base, key);
            let slot = match key.as_str() {
                "default" => Slot::Default,
                k if k.is_ascii() && k.len() == 3 && k[1..].eq_ignore_ascii_case("XX") => {
                    match &k[..1] {
                        "4" => Slot::Range(4),
                        "5" => Slot::Range(5),
                        _ => continue,
                    }
                }
                k => match k.parse::<u16>() {
                    Ok(n) if (400..=599).contains(&n) => Slot::Status(n),
                    Ok(n) if (100..=399).contains(&n) => continue,
                    _ if k.starts_with("x-") => continue,
                    _ => {
                        self.notes.push(format!(
                            "the response key `{k}` at `{path}` is not a status, a range or `default`; it was left out"
                        ));
                        continue;
                    }
                },
            };
            if let Some(r) = response.get_str("$ref") {
                if let Some(segments) = local_pointer(r) {
                    referenced.insert(pointer_path(&segments));
                }
            }
            let Some((response, rpath)) = self.deref(response, path.clone())? else {
                continue;
            };
            let name = rpath
                .strip_prefix("$.components.responses.")
                .filter(|n| !n.contains(['.', '[']));
            self.response(response, &path, slot, name)?;
        }
        Ok(())
    }

    /// The status of a component response no operation refers to, from its body.
    fn component_status(&mut self, response: &'a Node, path: &str) -> Result<Slot, ImportError> {
        let mut found: BTreeSet<i64> = BTreeSet::new();
        if let Some(Node::Map(content)) = response.get("content") {
            for (media, body) in content {
                if !is_json(media) {
                    continue;
                }
                let mpath = member(&member(path, "content"), media);
                if let Some(schema) = body.get("schema") {
                    let flat = self.flatten(schema, member(&mpath, "schema"))?;
                    let props = flat.properties();
                    if let Some(parts) = props.get("status") {
                        let prop = self.flatten_parts(parts)?;
                        if let Some((_, Node::Seq(values), _)) = prop.last("enum") {
                            if let [v] = &values[..] {
                                if let Some(n) = v.int() {
                                    found.insert(n);
                                }
                            }
                        }
                    }
                }
                for (value, _, _) in self.examples(body, &mpath)? {
                    if let Some(n) = value.get("status").and_then(Node::int) {
                        found.insert(n);
                    }
                }
            }
        }
        match found.iter().collect::<Vec<_>>()[..] {
            [n] if (400..=599).contains(n) => Ok(Slot::Status(*n as u16)),
            _ => Ok(Slot::Unplaced),
        }
    }

    fn flatten_parts(&mut self, parts: &[(&'a Node, String)]) -> Result<Flat<'a>, ImportError> {
        let mut flat = Flat::default();
        for (n, p) in parts {
            let f = self.flatten(n, p.clone())?;
            flat.parts.extend(f.parts);
            flat.external.extend(f.external);
            if flat.name.is_none() {
                flat.name = f.name;
            }
        }
        for (r, at) in &flat.external {
            self.external_refs.entry(r.clone()).or_insert(at.clone());
        }
        Ok(flat)
    }

    /// The examples of a media type: value, name, description.
    fn examples(&mut self, media: &'a Node, mpath: &str) -> Result<Vec<Example<'a>>, ImportError> {
        let mut out = Vec::new();
        if let Some(v) = media.get("example") {
            out.push((v, "example".to_owned(), None));
        }
        if let Some(Node::Map(examples)) = media.get("examples") {
            let base = member(mpath, "examples");
            for (name, ex) in examples {
                let Some((ex, _)) = self.deref(ex, member(&base, name))? else {
                    continue;
                };
                if let Some(v) = ex.get("value") {
                    let description = ex
                        .get_str("description")
                        .or_else(|| ex.get_str("summary"))
                        .map(|d| d.trim().to_owned())
                        .filter(|d| !d.is_empty());
                    out.push((v, name.clone(), description));
                }
            }
        }
        Ok(out)
    }

    fn response(
        &mut self,
        response: &'a Node,
        path: &str,
        slot: Slot,
        component: Option<&str>,
    ) -> Result<(), ImportError> {
        self.error_responses += 1;
        match slot {
            Slot::Status(n) => {
                let acc = self.statuses.entry(n).or_default();
                if let Some(d) = response.get_str("description").map(str::trim) {
                    if !d.is_empty() && !acc.descriptions.iter().any(|x| x == d) {
                        acc.descriptions.push(d.to_owned());
                    }
                }
            }
            other => {
                let e = self
                    .unplaced_kinds
                    .entry(other)
                    .or_insert((0, path.to_owned()));
                e.0 += 1;
            }
        }
        let Some(Node::Map(content)) = response.get("content") else {
            return Ok(());
        };
        let mut any_json = false;
        for (media, body) in content {
            if !is_json(media) {
                continue;
            }
            any_json = true;
            let mpath = member(&member(path, "content"), media);
            let Some(schema) = body.get("schema") else {
                continue;
            };
            let Some((schema, spath)) = self.deref(schema, member(&mpath, "schema"))? else {
                continue;
            };
            let key: *const Node = schema;
            let shapes = if let Some(shapes) = self.shape_cache.get(&key) {
                shapes.clone()
            } else {
                let shapes = self.shapes_of(schema, &spath, component)?;
                self.shape_cache.insert(key, shapes.clone());
                shapes
            };
            if shapes.is_empty() {
                if self.no_code_field.len() < 1000 {
                    self.no_code_field.push(spath.clone());
                }
                continue;
            }
            for (_, wires) in &shapes {
                for w in wires.iter().flatten() {
                    self.place(w, slot);
                }
            }
            let examples = self.examples(body, &mpath)?;
            for (value, name, description) in examples {
                self.read_example(&shapes, value, &name, description, slot, &mpath);
            }
        }
        if !any_json && self.non_json.len() < 1000 {
            self.non_json.push(path.to_owned());
        }
        Ok(())
    }

    /// The envelopes the body schema at `path` gives (their indexes), registering their codes.
    fn shapes_of(
        &mut self,
        schema: &'a Node,
        path: &str,
        component: Option<&str>,
    ) -> Result<Vec<Placed>, ImportError> {
        let flat = self.flatten(schema, path.to_owned())?;
        for (r, at) in &flat.external {
            self.external_refs.entry(r.clone()).or_insert(at.clone());
        }
        let mut bodies = vec![];
        if flat.properties().is_empty() {
            bodies.extend(self.alternatives(&flat)?);
        }
        if bodies.is_empty() {
            bodies.push(flat);
        }
        let mut ids = Vec::new();
        for body in bodies {
            let mut shapes = Vec::new();
            self.find_shape(&body, Vec::new(), 0, &mut shapes)?;
            for mut shape in shapes {
                if shape.name.is_none() {
                    shape.name = body.name.clone().or_else(|| component.map(str::to_owned));
                }
                ids.push(self.register(shape));
            }
        }
        Ok(ids)
    }

    /// The shapes of `flat` as the body at `root`: its own code field, else one in an object
    /// under it; and objects under the found root whose own code field enumerates codes.
    fn find_shape(
        &mut self,
        flat: &Flat<'a>,
        root: Vec<String>,
        depth: usize,
        out: &mut Vec<Shape>,
    ) -> Result<bool, ImportError> {
        let props = flat.properties();
        let mut resolved: Vec<(&'a str, Flat<'a>)> = Vec::with_capacity(props.len());
        for (name, parts) in &props {
            resolved.push((name, self.flatten_parts(parts)?));
        }
        let best = resolved
            .iter()
            .enumerate()
            .filter_map(|(i, (name, p))| code_score(name, p).map(|s| (s, i)))
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        if let Some((_, i)) = best {
            let code_name = resolved[i].0;
            let code = &resolved[i].1;
            let enumeration = self.enumeration(code)?;
            let accepts = accepts(code, enumeration.as_ref());
            let message = resolved
                .iter()
                .filter(|(n, p)| *n != code_name && is_text(p))
                .filter_map(|(n, _)| message_rank(n).map(|r| (r, *n)))
                .min()
                .map(|(_, n)| n.to_owned());
            for (n, p) in &resolved {
                if *n == code_name {
                    continue;
                }
                if let Some((_, Node::Seq(vs), at)) = p.last("enum") {
                    if vs.len() > 1 {
                        self.notes.push(format!(
                            "the error body's `{n}` enumerates {} values (at `{}`), but `{code_name}` was read as the code field; if `{n}` groups the codes, add its values as categories by hand",
                            vs.len(),
                            member(at, "enum")
                        ));
                    }
                }
            }
            let fields = resolved
                .iter()
                .filter(|(n, _)| *n != code_name && Some(*n) != message.as_deref())
                .map(|(n, p)| ((*n).to_owned(), field_type(p), p.description()))
                .collect();
            out.push(Shape {
                root: root.clone(),
                code_field: code_name.to_owned(),
                accepts,
                message,
                fields,
                name: None,
                description: flat.description(),
                enumeration,
                path: flat
                    .parts
                    .first()
                    .map(|(_, p)| p.clone())
                    .unwrap_or_default(),
            });
            // Objects under this root whose own code field enumerates codes.
            if depth < 3 {
                for (name, p) in &resolved {
                    if *name == code_name || !is_object(p) {
                        continue;
                    }
                    let mut sub = Vec::new();
                    let mut r = root.clone();
                    r.push((*name).to_owned());
                    self.find_shape(p, r, depth + 1, &mut sub)?;
                    for mut s in sub {
                        if s.enumeration.is_some() && s.root.len() == root.len() + 1 {
                            if s.name.is_none() {
                                s.name = p.name.clone();
                            }
                            out.push(s);
                        }
                    }
                }
            }
            return Ok(true);
        }
        if depth >= 3 {
            return Ok(false);
        }
        // No code field here: an object under the body holds it (`error`, first).
        let mut order: Vec<usize> = (0..resolved.len()).collect();
        order.sort_by_key(|&i| {
            let n = resolved[i].0.to_ascii_lowercase();
            (n != "error", n != "fault", i)
        });
        for i in order {
            let (name, p) = (&resolved[i].0, &resolved[i].1);
            if is_object(p) {
                let mut r = root.clone();
                r.push((*name).to_owned());
                let mut sub = Vec::new();
                if self.find_shape(p, r, depth + 1, &mut sub)? {
                    for s in &mut sub {
                        if s.name.is_none() {
                            s.name = p.name.clone();
                        }
                    }
                    out.extend(sub);
                    return Ok(true);
                }
            } else if p.types().contains(&"array") {
                if let Some((items, ipath)) = p.first("items") {
                    let items = self.flatten(items, member(ipath, "items"))?;
                    if items
                        .properties()
                        .iter()
                        .any(|(n, _)| code_name_score(n).is_some())
                    {
                        self.notes.push(format!(
                            "the error body at `{}` lists its errors in the array `{name}`; an envelope's root is an object, so these were not read as an envelope",
                            flat.parts.first().map(|(_, p)| p.as_str()).unwrap_or("$")
                        ));
                    }
                }
            }
        }
        Ok(false)
    }

    /// The values the code property enumerates, with their descriptions.
    fn enumeration(&mut self, code: &Flat<'a>) -> Result<Option<Enumeration>, ImportError> {
        let mut values: Vec<EnumValue> = Vec::new();
        let mut path = String::new();
        let mut open: Vec<String> = Vec::new();
        let mut site: Option<&'a Node> = None;
        if let Some((n, Node::Seq(vs), p)) = code.last("enum") {
            values = vs
                .iter()
                .filter(|v| !matches!(v, Node::Null))
                .map(|v| EnumValue {
                    wire: clone_scalar(v),
                    description: None,
                })
                .collect();
            path = member(p, "enum");
            site = Some(n);
        } else if let Some((n, v, p)) = code.last("const") {
            values = vec![EnumValue {
                wire: clone_scalar(v),
                description: None,
            }];
            path = member(p, "const");
            site = Some(n);
        } else if let Some((n, Node::Seq(vs), p)) = code.last("x-extensible-enum") {
            values = vs
                .iter()
                .map(|v| match v {
                    Node::Map(_) => EnumValue {
                        wire: v.get("value").map_or(Node::Null, clone_scalar),
                        description: text_of(v.get("description")),
                    },
                    other => EnumValue {
                        wire: clone_scalar(other),
                        description: None,
                    },
                })
                .filter(|v| !matches!(v.wire, Node::Null))
                .collect();
            path = member(p, "x-extensible-enum");
            open.push(format!("`x-extensible-enum` at `{path}`"));
            site = Some(n);
        } else {
            for key in ["oneOf", "anyOf"] {
                if let Some((n, Node::Seq(alts), p)) = code.last(key) {
                    let base = member(p, key);
                    let mut vs = Vec::new();
                    for (i, alt) in alts.iter().enumerate() {
                        let Some((alt, _)) = self.deref(alt, index(&base, i))? else {
                            continue;
                        };
                        let v = alt.get("const").or_else(|| match alt.get("enum") {
                            Some(Node::Seq(one)) if one.len() == 1 => one.first(),
                            _ => None,
                        });
                        if let Some(v) = v {
                            vs.push(EnumValue {
                                wire: clone_scalar(v),
                                description: text_of(alt.get("description"))
                                    .or_else(|| text_of(alt.get("title"))),
                            });
                        }
                    }
                    if !vs.is_empty() {
                        values = vs;
                        path = base;
                        site = Some(n);
                        break;
                    }
                }
            }
        }
        let Some(_) = site else {
            return Ok(None);
        };
        // Per-value descriptions and open markers, wherever the schema's parts state them.
        for (n, p) in &code.parts {
            for key in ["x-enum-descriptions", "x-enumDescriptions"] {
                match n.get(key) {
                    Some(Node::Seq(ds)) => {
                        for (v, d) in values.iter_mut().zip(ds) {
                            if v.description.is_none() {
                                v.description = text_of(Some(d));
                            }
                        }
                    }
                    Some(Node::Map(ds)) => {
                        for v in values.iter_mut() {
                            if v.description.is_none() {
                                v.description = text_of(ds.get(&scalar_key(&v.wire)));
                            }
                        }
                    }
                    _ => {}
                }
            }
            if let Some(ms) = n.get("x-ms-enum") {
                if let Some(Node::Seq(vs)) = ms.get("values") {
                    describe(&mut values, vs);
                }
                if ms.get("modelAsString").is_some_and(Node::truthy) {
                    open.push(format!(
                        "`x-ms-enum.modelAsString: true` at `{}`",
                        member(p, "x-ms-enum")
                    ));
                }
            }
            if let Some(se) = n.get("x-stripeEnum") {
                let at = member(p, "x-stripeEnum");
                match se {
                    Node::Seq(vs) => {
                        describe(&mut values, vs);
                        open.push(format!("`x-stripeEnum` at `{at}`"));
                    }
                    Node::Map(_) => {
                        if let Some(Node::Seq(vs)) = se.get("values") {
                            describe(&mut values, vs);
                        }
                        match se.get_str("kind") {
                            Some("open") | None => {
                                open.push(format!("`x-stripeEnum` (kind: open) at `{at}`"))
                            }
                            Some(_) => {}
                        }
                    }
                    _ => {}
                }
            }
            if n.get("x-extensible-enum").is_some()
                && !open.iter().any(|o| o.contains("x-extensible-enum"))
            {
                open.push(format!(
                    "`x-extensible-enum` at `{}`",
                    member(p, "x-extensible-enum")
                ));
            }
        }
        open.dedup();
        Ok(Some(Enumeration {
            values,
            path,
            open: (!open.is_empty()).then(|| open.join(", ")),
        }))
    }

    /// The index of the envelope `shape` is (added when it is new), and the codes its
    /// enumeration lists (`None`: the code field enumerates nothing).
    fn register(&mut self, shape: Shape) -> (usize, Option<Vec<Wire>>) {
        let existing = self.envelopes.iter().position(|e| {
            e.root == shape.root
                && e.code_field == shape.code_field
                && (e.code_accepts == shape.accepts
                    || (shape.accepts.is_empty() && e.code_accepts == [FieldType::String]))
                && e.message == shape.message
                && e.fields
                    .iter()
                    .map(|f| (&f.0, f.1))
                    .eq(shape.fields.iter().map(|f| (&f.0, f.1)))
        });
        let index = match existing {
            Some(i) => i,
            None => {
                let base = entry_id(shape.name.as_deref().unwrap_or("error"));
                let mut id = base.clone();
                let mut n = 2;
                while self.envelopes.iter().any(|e| e.id == id) {
                    id = format!("{base}_{n}");
                    n += 1;
                }
                let note = shape.accepts.is_empty().then(|| {
                    format!(
                        "DECIDE: the document states no type for `{}` (at `{}`); it was read as a string",
                        shape.code_field, shape.path
                    )
                });
                self.envelopes.push(DraftEnvelope {
                    id,
                    description: shape.description.clone(),
                    root: shape.root.clone(),
                    code_field: shape.code_field.clone(),
                    code_accepts: if shape.accepts.is_empty() {
                        vec![FieldType::String]
                    } else {
                        shape.accepts.clone()
                    },
                    message: shape.message.clone(),
                    fields: shape.fields.clone(),
                    note,
                    ..DraftEnvelope::default()
                });
                self.envelopes.len() - 1
            }
        };
        let Some(enumeration) = shape.enumeration else {
            return (index, None);
        };
        if let Some(open) = &enumeration.open {
            if !self.open_markers.contains(open) {
                self.open_markers.push(open.clone());
            }
        }
        let mut wires = Vec::with_capacity(enumeration.values.len());
        for v in enumeration.values {
            let Some(wire) = wire_of(&v.wire) else {
                self.notes.push(format!(
                    "the code value `{}` enumerated at `{}` is neither a string nor a whole number from 0 to 4294967295; it was left out",
                    v.wire.show(),
                    enumeration.path
                ));
                continue;
            };
            let acc = self.codes.entry(wire.clone()).or_default();
            acc.envelopes.insert(index);
            acc.from_example = None;
            if let Some(d) = v.description {
                match &acc.description {
                    None => acc.description = Some(d),
                    Some(x) if *x == d => {}
                    Some(_) => {
                        if !acc.other_descriptions.contains(&d) {
                            acc.other_descriptions.push(d)
                        }
                    }
                }
            }
            wires.push(wire);
        }
        (index, Some(wires))
    }

    fn place(&mut self, wire: &Wire, slot: Slot) {
        if let Some(acc) = self.codes.get_mut(wire) {
            match slot {
                Slot::Status(n) => {
                    acc.statuses.insert(n);
                }
                _ => acc.unplaced = true,
            }
        }
    }

    /// What an example body says of its code: the message, and the example's description.
    fn read_example(
        &mut self,
        shapes: &[Placed],
        value: &'a Node,
        name: &str,
        description: Option<String>,
        slot: Slot,
        mpath: &str,
    ) {
        for (envelope, listed) in shapes {
            let e = &self.envelopes[*envelope];
            let mut object = value;
            let mut inside = true;
            for key in &e.root {
                match object.get(key) {
                    Some(o) => object = o,
                    None => {
                        inside = false;
                        break;
                    }
                }
            }
            if !inside {
                continue;
            }
            let Some(code) = object.get(&e.code_field) else {
                continue;
            };
            let Some(wire) = wire_of(code) else {
                continue;
            };
            let message = e
                .message
                .as_deref()
                .and_then(|m| object.get_str(m))
                .map(|m| m.trim().to_owned())
                .filter(|m| !m.is_empty());
            let at = member(&member(mpath, "examples"), name);
            match listed {
                Some(list) if !list.contains(&wire) => {
                    self.notes.push(format!(
                        "the example `{name}` (at `{at}`) carries the code `{wire}`, which its schema does not enumerate; it was left out"
                    ));
                    continue;
                }
                Some(_) => {}
                None => {
                    let envelope = *envelope;
                    let acc = self.codes.entry(wire.clone()).or_insert_with(|| CodeAcc {
                        from_example: Some(at.clone()),
                        ..CodeAcc::default()
                    });
                    acc.envelopes.insert(envelope);
                }
            }
            self.place(&wire, slot);
            let acc = self
                .codes
                .get_mut(&wire)
                .expect("the code was just recorded");
            match (&acc.message, message) {
                (None, m) => acc.message = m,
                (Some(first), Some(m)) if *first != m && !acc.other_messages.contains(&m) => {
                    acc.other_messages.push(m)
                }
                _ => {}
            }
            if let Some(d) = &description {
                if !acc.example_descriptions.contains(d) {
                    acc.example_descriptions.push(d.clone());
                }
            }
        }
    }

    /// The `x-speakeasy-retries` of the document and of its operations, as policies.
    fn retries(&mut self) -> Result<Vec<(DraftPolicy, Vec<Slot>)>, ImportError> {
        let root = self.root;
        let mut sites: Vec<(String, &'a Node, String)> = Vec::new();
        if let Some(r) = root.get("x-speakeasy-retries") {
            sites.push(("retries".into(), r, "$['x-speakeasy-retries']".into()));
        }
        if let Some(Node::Map(paths)) = root.get("paths") {
            for (route, item) in paths {
                for method in METHODS {
                    if let Some(op) = item.get(method) {
                        if let Some(r) = op.get("x-speakeasy-retries") {
                            let op_path = member(&member("$.paths", route), method);
                            let name = op
                                .get_str("operationId")
                                .map_or_else(|| format!("{method} {route}"), str::to_owned);
                            sites.push((
                                format!("{}_retries", entry_id(&name)),
                                r,
                                member(&op_path, "x-speakeasy-retries"),
                            ));
                        }
                    }
                }
            }
        }
        let mut out: Vec<(DraftPolicy, Vec<Slot>)> = Vec::new();
        for (name, r, at) in sites {
            let Some((policy, slots)) = self.policy(&name, r, &at)? else {
                continue;
            };
            // The same policy written out again on another operation is the same policy.
            if let Some(same) = out.iter_mut().find(|(p, _)| {
                (p.initial_ms, p.max_delay_ms, p.max_attempts)
                    == (policy.initial_ms, policy.max_delay_ms, policy.max_attempts)
                    && p.multiplier == policy.multiplier
            }) {
                for s in slots {
                    if !same.1.contains(&s) {
                        same.1.push(s);
                    }
                }
                continue;
            }
            let mut policy = policy;
            let base = policy.name.clone();
            let mut n = 2;
            while out.iter().any(|(p, _)| p.name == policy.name) {
                policy.name = format!("{base}_{n}");
                n += 1;
            }
            out.push((policy, slots));
        }
        Ok(out)
    }

    fn policy(
        &mut self,
        name: &str,
        r: &'a Node,
        at: &str,
    ) -> Result<Option<(DraftPolicy, Vec<Slot>)>, ImportError> {
        let Some((r, at)) = self.deref(r, at.to_owned())? else {
            return Ok(None);
        };
        match r.get_str("strategy") {
            Some("backoff") => {}
            other => {
                self.notes.push(format!(
                    "`x-speakeasy-retries` at `{at}` has the strategy `{}`, which is not `backoff`; no policy was made of it",
                    other.unwrap_or("(none)")
                ));
                return Ok(None);
            }
        }
        let b = r.get("backoff");
        let ms = |key: &str| -> Option<u64> {
            b.and_then(|b| b.get(key))
                .and_then(Node::number)
                .filter(|n| n.is_finite() && *n >= 0.0)
                .map(|n| n as u64)
        };
        let (Some(initial), Some(elapsed)) = (ms("initialInterval"), ms("maxElapsedTime")) else {
            self.notes.push(format!(
                "`x-speakeasy-retries` at `{at}` lacks `backoff.initialInterval` or `backoff.maxElapsedTime`; no policy was made of it, write one by hand"
            ));
            return Ok(None);
        };
        let max = ms("maxInterval");
        let exponent = b.and_then(|b| b.get("exponent")).and_then(Node::number);
        if let Some(e) = exponent {
            if !(1.0..=1000.0).contains(&e) || !e.is_finite() {
                self.notes.push(format!(
                    "`x-speakeasy-retries` at `{at}` has `exponent: {e}`, outside the 1 to 1000 a policy allows; no policy was made of it"
                ));
                return Ok(None);
            }
        }
        if max.is_some_and(|m| m < initial) {
            self.notes.push(format!(
                "`x-speakeasy-retries` at `{at}` has a `maxInterval` shorter than its `initialInterval`; no policy was made of it"
            ));
            return Ok(None);
        }
        // The attempts whose delays fit in maxElapsedTime.
        let factor = exponent.unwrap_or(1.0);
        let cap = max.unwrap_or(initial) as f64;
        let (mut spent, mut delay, mut attempts) = (0.0_f64, initial as f64, 1_u32);
        while attempts < 1000 && spent + delay <= elapsed as f64 {
            spent += delay;
            attempts += 1;
            delay = (delay * factor).min(cap);
        }
        let mut description = format!(
            "`x-speakeasy-retries` at `{at}`: backoff from {initial} ms{}{}, for at most {elapsed} ms in all",
            exponent.map_or(String::new(), |e| format!(", times {e} each retry")),
            max.map_or(String::new(), |m| format!(", up to {m} ms")),
        );
        if r.get("retryConnectionErrors").is_some_and(Node::truthy) {
            description.push_str("; connection errors are retried too");
        }
        description.push('.');
        let mut slots = Vec::new();
        if let Some(Node::Seq(codes)) = r.get("statusCodes") {
            for c in codes {
                let text = c.show();
                match text.as_str() {
                    t if t.is_ascii() && t.len() == 3 && t[1..].eq_ignore_ascii_case("XX") => {
                        match t.as_bytes()[0] {
                            b @ b'1'..=b'5' => slots.push(Slot::Range(b - b'0')),
                            _ => self.notes.push(format!(
                            "`x-speakeasy-retries` at `{at}` lists `{t}`, which is not a status"
                        )),
                        }
                    }
                    t => match t.parse::<u16>() {
                        Ok(n) if (100..=999).contains(&n) => slots.push(Slot::Status(n)),
                        _ => self.notes.push(format!(
                            "`x-speakeasy-retries` at `{at}` lists `{t}`, which is not a status"
                        )),
                    },
                }
            }
        }
        Ok(Some((
            DraftPolicy {
                name: name.to_owned(),
                description: Some(description),
                initial_ms: Some(initial),
                multiplier: exponent,
                max_delay_ms: max,
                max_attempts: Some(attempts),
                inferred: vec!["max_attempts".into()],
                ..DraftPolicy::default()
            },
            slots,
        )))
    }

    fn finish(mut self, policies: Vec<(DraftPolicy, Vec<Slot>)>) -> Result<Draft, ImportError> {
        if self.error_responses == 0 {
            return Err(ImportError::new(
                self.file,
                Some("$.paths".into()),
                "the document has no error responses: no operation or component response is 4xx, 5xx, 4XX, 5XX or `default`",
                Some("errspec imports the error responses of an API; check that this is the right document".into()),
            ));
        }
        if self.envelopes.is_empty() {
            let mut help = String::from(
                "a spec needs at least one error body shape; write the envelope by hand",
            );
            if let Some(p) = self.no_code_field.first() {
                let _ = write!(help, " (the first error body without a code field: `{p}`)");
            } else if let Some(p) = self.non_json.first() {
                let _ = write!(
                    help,
                    " (the first error response without a JSON body: `{p}`)"
                );
            }
            return Err(ImportError::new(
                self.file,
                None,
                format!(
                    "none of the document's {} error responses has a JSON body with a code field",
                    self.error_responses
                ),
                Some(help),
            ));
        }
        let info = self.root.get("info");
        let title = info
            .and_then(|i| i.get_str("title"))
            .map(str::trim)
            .filter(|t| !t.is_empty());
        let version = info.and_then(|i| i.get("version")).map(Node::show);
        let file_name = Path::new(self.file).file_name().map_or_else(
            || self.file.to_owned(),
            |f| f.to_string_lossy().into_owned(),
        );
        let mut source = file_name.clone();
        match (title, &version) {
            (Some(t), Some(v)) => {
                let _ = write!(source, " ({t} {v})");
            }
            (Some(t), None) => {
                let _ = write!(source, " ({t})");
            }
            (None, Some(v)) => {
                let _ = write!(source, " (version {v})");
            }
            (None, None) => {}
        }
        if title.is_none() {
            self.notes.push(format!(
                "the document has no `info.title`; the API is named after the file `{file_name}`"
            ));
        }
        let name = title.map_or_else(|| file_name.clone(), str::to_owned);
        let description = info
            .and_then(|i| i.get_str("description"))
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_owned);

        // Statuses.
        let mut statuses: Vec<DraftStatus> = Vec::new();
        for (n, acc) in &self.statuses {
            statuses.push(status_entry(*n, &acc.descriptions, &mut self.notes));
        }
        for (slot, (count, first)) in &self.unplaced_kinds {
            let what = match slot {
                Slot::Default => "`default` responses".to_owned(),
                Slot::Range(d) => format!("`{d}XX` responses"),
                Slot::Unplaced => {
                    "component responses that no operation refers to and whose body names no status"
                        .to_owned()
                }
                Slot::Status(_) => continue,
            };
            self.notes.push(format!(
                "{what} ({count}, the first at `{first}`) cannot be statuses; their bodies were read as envelopes, and their codes have no status from them"
            ));
        }

        // Policies on statuses.
        let mut draft_policies = Vec::new();
        for (policy, slots) in policies {
            for slot in slots {
                let targets: Vec<u16> = match slot {
                    Slot::Status(n) => {
                        if !statuses.iter().any(|s| s.number == n) {
                            let mut s = status_entry(n, &[], &mut self.notes);
                            s.inferred.retain(|f| f == "name");
                            statuses.push(s);
                            self.notes.push(format!(
                                "status {n} is documented only by the retry policy `{}`",
                                policy.name
                            ));
                        }
                        vec![n]
                    }
                    Slot::Range(d) => {
                        let lo = u16::from(d) * 100;
                        let in_range: Vec<u16> = statuses
                            .iter()
                            .map(|s| s.number)
                            .filter(|n| (lo..lo + 100).contains(n))
                            .collect();
                        self.notes.push(format!(
                            "the retry policy `{}` applies to every `{d}XX` status; it was set on the documented ones ({}), and other {d}xx statuses get no policy",
                            policy.name,
                            if in_range.is_empty() { "none".to_owned() } else { join(&in_range) }
                        ));
                        in_range
                    }
                    _ => Vec::new(),
                };
                for n in targets {
                    let s = statuses.iter_mut().find(|s| s.number == n).expect("listed");
                    match &s.retry {
                        None => s.retry = Some(policy.name.clone()),
                        Some(p) if *p == policy.name => {}
                        Some(p) => self.notes.push(format!(
                            "status {n} is retried under `{p}` and under `{}`; it keeps `{p}`",
                            policy.name
                        )),
                    }
                }
            }
            draft_policies.push(policy);
        }
        statuses.sort_by_key(|s| s.number);

        // Codes.
        let integer = !self.codes.is_empty()
            && self.codes.keys().all(|w| matches!(w, Wire::Int(_)))
            && self
                .envelopes
                .iter()
                .all(|e| e.code_accepts.contains(&FieldType::Integer));
        let mut codes = Vec::with_capacity(self.codes.len());
        let mut seen_text: BTreeSet<String> = BTreeSet::new();
        for (wire, acc) in std::mem::take(&mut self.codes) {
            let wire = match wire {
                Wire::Int(n) if !integer => Wire::Str(n.to_string()),
                w => w,
            };
            if !seen_text.insert(wire.to_string()) {
                self.notes.push(format!(
                    "the code `{wire}` is enumerated both as a number and as a string; it is listed once"
                ));
                continue;
            }
            codes.push(code_entry(wire, acc, &self.envelopes));
        }
        if codes.is_empty() {
            self.notes.push(
                "the error bodies enumerate no codes and no example carries one; add the codes by hand".into(),
            );
        }

        // What could not be placed.
        for (r, at) in &self.external_refs {
            self.notes.push(format!(
                "`$ref: {r}` (at `{at}`) is in another document, which was not read; what it describes is missing here"
            ));
        }
        if !self.non_json.is_empty() {
            self.notes.push(format!(
                "{} error responses have no JSON body (the first at `{}`)",
                self.non_json.len(),
                self.non_json[0]
            ));
        }
        if !self.no_code_field.is_empty() {
            self.notes.push(format!(
                "{} error bodies have no property errspec reads as a code field (the first at `{}`)",
                self.no_code_field.len(),
                self.no_code_field[0]
            ));
        }
        if self.envelopes.len() > 1 {
            self.notes.push(format!(
                "the document has {} error body shapes; check which statuses each applies to (`statuses:`)",
                self.envelopes.len()
            ));
        }

        let mut seen = BTreeSet::new();
        self.notes.retain(|n| seen.insert(n.clone()));

        Ok(Draft {
            id: module_id(&name),
            name,
            source,
            description,
            code_type: if integer {
                DraftCodeType::Integer
            } else {
                DraftCodeType::String
            },
            text: Some(TextFormat::Markdown),
            forward_compatibility: (!self.open_markers.is_empty()).then(|| {
                format!(
                    "The document marks the codes as open, so codes not listed may be sent: {}.",
                    self.open_markers.join("; ")
                )
            }),
            envelopes: self.envelopes,
            statuses,
            policies: draft_policies,
            codes,
            notes: self.notes,
            ..Draft::default()
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Reading facts.

fn is_json(media: &str) -> bool {
    let m = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    m == "*/*" || m == "application/*" || m.ends_with("/json") || m.ends_with("+json")
}

fn clone_scalar(n: &Node) -> Node {
    match n {
        Node::Bool(b) => Node::Bool(*b),
        Node::Int(i) => Node::Int(*i),
        Node::Float(f) => Node::Float(*f),
        Node::Str(s) => Node::Str(s.clone()),
        _ => Node::Null,
    }
}

fn scalar_key(n: &Node) -> String {
    n.show()
}

fn text_of(n: Option<&Node>) -> Option<String> {
    n.and_then(Node::str)
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_owned)
}

/// Descriptions from a list of `{value, description}`.
fn describe(values: &mut [EnumValue], described: &[Node]) {
    for d in described {
        let Some(value) = d.get("value") else {
            continue;
        };
        let Some(text) = text_of(d.get("description")) else {
            continue;
        };
        if let Some(v) = values.iter_mut().find(|v| v.wire == *value) {
            if v.description.is_none() {
                v.description = Some(text);
            }
        }
    }
}

fn wire_of(n: &Node) -> Option<Wire> {
    match n {
        Node::Str(s) if !s.is_empty() => Some(Wire::Str(s.clone())),
        n => n.int().and_then(|i| u32::try_from(i).ok()).map(Wire::Int),
    }
}

fn normalized(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// How much a property's name says it holds the error's code.
fn code_name_score(name: &str) -> Option<u32> {
    let n = normalized(name);
    if n.contains("status") || n.contains("http") {
        return None;
    }
    match n.as_str() {
        "code" => Some(100),
        "errorcode" | "errcode" => Some(95),
        "reasoncode" | "faultcode" | "messagecode" => Some(80),
        _ if n.ends_with("code") && n.len() <= 16 => Some(60),
        "type" | "errortype" | "kind" | "errorkind" => Some(50),
        "reason" | "error" | "errorname" => Some(40),
        _ => None,
    }
}

/// The rank of a property as the error's code field, `None` when it cannot be one.
fn code_score(name: &str, p: &Flat<'_>) -> Option<u32> {
    let types = p.types();
    if types
        .iter()
        .any(|t| matches!(*t, "object" | "array" | "boolean"))
    {
        return None;
    }
    let enumerated = p.last("enum").is_some()
        || p.last("const").is_some()
        || p.last("x-extensible-enum").is_some();
    // A repeated HTTP status (`status: 404`) is not the code.
    let n = normalized(name);
    if n.contains("status") {
        let numeric = types.iter().any(|t| matches!(*t, "integer" | "number"));
        if numeric || !enumerated {
            return None;
        }
        return Some(30);
    }
    if types.is_empty() && !enumerated && p.parts.iter().all(|(n, _)| n.get("properties").is_some())
    {
        return None;
    }
    match (code_name_score(name), enumerated) {
        (Some(s), true) => Some(s + 25),
        (Some(s), false) => Some(s),
        (None, true) => Some(25),
        (None, false) => None,
    }
}

/// The rank of a property as the error's message field (lower is better).
fn message_rank(name: &str) -> Option<u32> {
    let rank = match normalized(name).as_str() {
        "message" => 0,
        "errormessage" | "errmsg" => 1,
        "msg" => 2,
        "detail" => 3,
        "description" | "errordescription" => 4,
        "title" => 5,
        "details" => 6,
        "text" => 7,
        _ => return None,
    };
    Some(rank)
}

fn is_text(p: &Flat<'_>) -> bool {
    let t = p.types();
    t.is_empty() || t.contains(&"string")
}

fn is_object(p: &Flat<'_>) -> bool {
    let t = p.types();
    t.contains(&"object")
        || (t.is_empty() && p.parts.iter().any(|(n, _)| n.get("properties").is_some()))
}

fn field_type(p: &Flat<'_>) -> FieldType {
    match p.types().as_slice() {
        ["string"] => FieldType::String,
        ["integer"] => FieldType::Integer,
        ["boolean"] => FieldType::Boolean,
        ["array"] => FieldType::Array,
        ["object"] => FieldType::Object,
        [] if is_object(p) => FieldType::Object,
        _ => FieldType::Any,
    }
}

/// The JSON types the code has on the wire; empty when the document does not say.
fn accepts(p: &Flat<'_>, enumeration: Option<&Enumeration>) -> Vec<FieldType> {
    let mut out = Vec::new();
    for t in p.types() {
        let ty = match t {
            "string" => FieldType::String,
            "integer" | "number" => FieldType::Integer,
            _ => continue,
        };
        if !out.contains(&ty) {
            out.push(ty);
        }
    }
    if out.is_empty() {
        if let Some(e) = enumeration {
            for v in &e.values {
                let ty = match v.wire {
                    Node::Str(_) => FieldType::String,
                    Node::Int(_) => FieldType::Integer,
                    _ => continue,
                };
                if !out.contains(&ty) {
                    out.push(ty);
                }
            }
        }
    }
    out
}

fn join(ns: &[u16]) -> String {
    ns.iter().map(u16::to_string).collect::<Vec<_>>().join(", ")
}

/// A description that reads as the status's name: one short line of words.
fn name_like(text: &str) -> bool {
    let words = text.split_whitespace().count();
    (1..=5).contains(&words)
        && text.len() <= 48
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || c == ' ' || c == '-' || c == '\'')
        && text.chars().any(char::is_alphabetic)
}

fn status_entry(n: u16, descriptions: &[String], notes: &mut Vec<String>) -> DraftStatus {
    let reason = http::StatusCode::from_u16(n)
        .ok()
        .and_then(|s| s.canonical_reason());
    let named = descriptions.iter().find(|d| name_like(d));
    let mut inferred = Vec::new();
    let name = match (named, reason) {
        (Some(d), _) => d.clone(),
        (None, Some(r)) => {
            inferred.push("name".to_owned());
            r.to_owned()
        }
        (None, None) => {
            inferred.push("name".to_owned());
            notes.push(format!(
                "status {n} has no standard reason phrase and the document names it nowhere; it was named `Status {n}`"
            ));
            format!("Status {n}")
        }
    };
    let rest: Vec<&str> = descriptions
        .iter()
        .filter(|d| Some(*d) != named)
        .map(String::as_str)
        .collect();
    DraftStatus {
        number: n,
        name,
        description: (!rest.is_empty()).then(|| rest.join("\n\n")),
        inferred,
        ..DraftStatus::default()
    }
}

/// The first sentence of `text`, without its full stop.
fn first_sentence(text: &str) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let mut end = line.len();
    for (i, c) in line.char_indices() {
        if matches!(c, '.' | '!' | '?') {
            let next = line[i + c.len_utf8()..].chars().next();
            if next.is_none_or(char::is_whitespace) {
                end = if c == '.' { i } else { i + c.len_utf8() };
                break;
            }
        }
    }
    line[..end].trim().to_owned()
}

fn code_entry(wire: Wire, acc: CodeAcc, envelopes: &[DraftEnvelope]) -> DraftCode {
    let mut inferred = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let mut description = acc.description.clone();
    for d in &acc.example_descriptions {
        match &mut description {
            None => description = Some(d.clone()),
            Some(x) if x == d => {}
            Some(x) => {
                x.push_str("\n\n");
                x.push_str(d);
            }
        }
    }
    for d in &acc.other_descriptions {
        if let Some(x) = &mut description {
            x.push_str("\n\n");
            x.push_str(d);
        }
    }
    let message = match &acc.message {
        Some(m) => m.clone(),
        None => {
            inferred.push("message".to_owned());
            match description.as_deref().map(first_sentence) {
                Some(s) if !s.is_empty() => s,
                _ => wire.to_string(),
            }
        }
    };
    let status = match acc.statuses.iter().collect::<Vec<_>>()[..] {
        [n] if !acc.unplaced => Some(*n),
        [n] => {
            notes.push(format!(
                "documented under {n} and under `default` or a range; it was given no status"
            ));
            None
        }
        [] => None,
        ref several => {
            notes.push(format!(
                "documented under the statuses {}; it was given no status",
                several
                    .iter()
                    .map(|n| n.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            None
        }
    };
    if !acc.other_messages.is_empty() {
        notes.push(format!(
            "other examples give the messages {}",
            acc.other_messages
                .iter()
                .map(|m| format!("\"{m}\""))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if let Some(at) = &acc.from_example {
        notes.push(format!(
            "known only from the example at `{at}`: the schema enumerates no codes"
        ));
    }
    let envelope = match (envelopes.len(), acc.envelopes.iter().next()) {
        (n, Some(&e)) if n > 1 && acc.envelopes.len() == 1 => Some(envelopes[e].id.clone()),
        _ => None,
    };
    DraftCode {
        code: Some(wire),
        status,
        message,
        description,
        envelope,
        inferred,
        note: (!notes.is_empty()).then(|| format!("DECIDE: {}", notes.join("; "))),
        ..DraftCode::default()
    }
}
