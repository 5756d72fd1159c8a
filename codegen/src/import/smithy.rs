//! `errspec import smithy`: a first spec from a Smithy model in the JSON AST form
//! (`{"smithy": "2.0", "shapes": {...}}`, versions 1 and 2), such as the models AWS publishes.
//!
//! What the model states and where it goes:
//!
//! - The one `service` shape gives `api.name` (its `smithy.api#title`, else its shape name),
//!   `api.source` (the file, the service's shape id and `version`) and `api.description` (the
//!   first paragraph of its documentation). A model of several services is refused by
//!   [`read`]; [`read_service`] picks one by shape id.
//! - Every structure with the `smithy.api#error` trait that the service can return (through its
//!   own `errors`, its operations' `errors`, and the operations of its resources, nested) becomes
//!   a code, in shape-id order. The wire code is the `aws.protocols#awsQueryError` code when the
//!   shape has one, else the shape name (the part after `#`); the status is that trait's
//!   `httpResponseCode`, else `smithy.api#httpError`, else none. Error shapes no operation
//!   returns are listed in a note.
//! - The trait's value, `client` or `server`, is the category.
//! - `smithy.api#documentation` is HTML; it is written as Markdown (`text: markdown`), so that
//!   code spans, links, emphasis and lists survive: its first paragraph is the message, the
//!   rest the description.
//! - `smithy.api#retryable` refers to the policy `throttling` (`throttling: true`) or
//!   `transient`. The model states no numbers: every number of both policies is inferred and a
//!   note says so.
//! - `smithy.api#deprecated` becomes `deprecated`, with its message and `since`.
//! - The service's protocol trait gives the envelope: the JSON error body of that protocol, with
//!   the members of the error structures as its fields. For the XML protocols (`awsQuery`,
//!   `ec2Query`, `restXml`) and CBOR (`rpcv2Cbor`) the envelope is the one the JSON variant of
//!   the protocol has, and a note says that errspec reads JSON bodies only.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::{Map, Value};

use super::{
    entry_id, module_id, read_source, variant_name, Draft, DraftCategory, DraftCode,
    DraftDeprecated, DraftEnvelope, DraftPolicy, DraftStatus, ImportError, Wire,
};
use crate::ir::{FieldType, JitterKind, TextFormat};

/// The spec the Smithy model at `path` describes; the model must define exactly one service.
pub fn read(path: &Path) -> Result<Draft, ImportError> {
    let text = read_source(path)?;
    import(&text, &path.display().to_string(), None)
}

/// The spec of the service `service` (a shape id such as `com.amazonaws.sqs#AmazonSQS`) of the
/// Smithy model at `path`, for a model that defines several services.
pub fn read_service(path: &Path, service: &str) -> Result<Draft, ImportError> {
    let text = read_source(path)?;
    import(&text, &path.display().to_string(), Some(service))
}

/// The spec the Smithy model `text`, read from `file`, describes; as [`read`].
pub fn from_str(text: &str, file: &str) -> Result<Draft, ImportError> {
    import(text, file, None)
}

/// The spec of the service `service` of the Smithy model `text`; as [`read_service`].
pub fn from_str_service(text: &str, file: &str, service: &str) -> Result<Draft, ImportError> {
    import(text, file, Some(service))
}

/// The protocols whose error bodies the importer knows, by trait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Protocol {
    AwsJson1_0,
    AwsJson1_1,
    RestJson1,
    AwsQuery,
    Ec2Query,
    RestXml,
    RpcV2Cbor,
}

impl Protocol {
    const ALL: [(&'static str, Protocol); 7] = [
        ("aws.protocols#awsJson1_0", Protocol::AwsJson1_0),
        ("aws.protocols#awsJson1_1", Protocol::AwsJson1_1),
        ("aws.protocols#restJson1", Protocol::RestJson1),
        ("smithy.protocols#rpcv2Cbor", Protocol::RpcV2Cbor),
        ("aws.protocols#awsQuery", Protocol::AwsQuery),
        ("aws.protocols#ec2Query", Protocol::Ec2Query),
        ("aws.protocols#restXml", Protocol::RestXml),
    ];

    fn name(self) -> &'static str {
        match self {
            Protocol::AwsJson1_0 => "awsJson1_0",
            Protocol::AwsJson1_1 => "awsJson1_1",
            Protocol::RestJson1 => "restJson1",
            Protocol::AwsQuery => "awsQuery",
            Protocol::Ec2Query => "ec2Query",
            Protocol::RestXml => "restXml",
            Protocol::RpcV2Cbor => "rpcv2Cbor",
        }
    }

    fn is_json(self) -> bool {
        matches!(
            self,
            Protocol::AwsJson1_0 | Protocol::AwsJson1_1 | Protocol::RestJson1
        )
    }

    /// Whether members are bound to HTTP headers and `smithy.api#jsonName` renames them: the
    /// REST protocols.
    fn is_rest(self) -> bool {
        matches!(self, Protocol::RestJson1 | Protocol::RestXml)
    }

    /// The code fields of the JSON error body this protocol has, or its JSON variant has: the
    /// RPC protocols put the shape name in `__type`; the REST ones in `code` or `__type`.
    fn code_fields(self) -> &'static [&'static str] {
        if self.is_rest() {
            &["code", "__type"]
        } else {
            &["__type"]
        }
    }
}

/// The model, as read.
struct Model<'a> {
    file: &'a str,
    shapes: &'a Map<String, Value>,
}

/// `$.shapes["id"]`, the JSON path of a shape.
fn shape_path(id: &str) -> String {
    format!("$.shapes[{}]", Value::String(id.to_owned()))
}

/// The name part of a shape id: `Name` of `namespace#Name`.
fn shape_name(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, name)| name)
}

impl<'a> Model<'a> {
    fn error(&self, at: String, message: impl Into<String>, help: Option<&str>) -> ImportError {
        ImportError::new(self.file, Some(at), message, help.map(str::to_owned))
    }

    fn shape(&self, id: &str) -> Option<&'a Map<String, Value>> {
        self.shapes.get(id).and_then(Value::as_object)
    }

    fn shape_type(&self, id: &str) -> Option<&'a str> {
        self.shape(id)?.get("type")?.as_str()
    }

    /// The traits of `shape`, `{}` when it has none; an error when `traits` is not an object.
    fn traits(&self, shape: &'a Map<String, Value>, at: &str) -> Result<Traits<'a>, ImportError> {
        match shape.get("traits") {
            None => Ok(Traits(None)),
            Some(Value::Object(t)) => Ok(Traits(Some(t))),
            Some(_) => Err(self.error(
                format!("{at}.traits"),
                "`traits` is not an object",
                Some(
                    "a Smithy JSON AST gives the traits of a shape as an object keyed by trait id",
                ),
            )),
        }
    }

    /// The targets of the list `key` of `shape` (`[{"target": "..."}]`), with their paths.
    fn targets(
        &self,
        shape: &'a Map<String, Value>,
        at: &str,
        key: &str,
    ) -> Result<Vec<(&'a str, String)>, ImportError> {
        match shape.get(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| self.target(item, format!("{at}.{key}[{i}]")))
                .collect(),
            Some(_) => Err(self.error(
                format!("{at}.{key}"),
                format!("`{key}` is not a list"),
                Some("a Smithy JSON AST gives it as a list of `{\"target\": \"namespace#Name\"}`"),
            )),
        }
    }

    /// The target of one reference `{"target": "..."}`.
    fn target(&self, item: &'a Value, at: String) -> Result<(&'a str, String), ImportError> {
        match item.get("target").and_then(Value::as_str) {
            Some(t) => Ok((t, at)),
            None => Err(self.error(
                at,
                "a shape reference without a `target` string",
                Some("write it as `{\"target\": \"namespace#Name\"}`"),
            )),
        }
    }
}

/// The traits of a shape or member.
#[derive(Clone, Copy)]
struct Traits<'a>(Option<&'a Map<String, Value>>);

impl<'a> Traits<'a> {
    fn get(self, id: &str) -> Option<&'a Value> {
        self.0?.get(id)
    }

    fn str(self, id: &str) -> Option<&'a str> {
        self.get(id)?.as_str()
    }
}

/// An error shape the service can return, read.
struct ErrorShape<'a> {
    id: &'a str,
    code: String,
    status: Option<u16>,
    category: &'static str,
    documentation: Option<String>,
    retry: Option<&'static str>,
    deprecated: Option<DraftDeprecated>,
    members: Vec<Member>,
    notes: Vec<String>,
}

/// A member of an error structure, as the wire names it.
struct Member {
    name: String,
    ty: FieldType,
    description: Option<String>,
    /// Where the member travels when not in the body: `header X`, `the status`, ...
    elsewhere: Option<String>,
}

fn import(text: &str, file: &str, service: Option<&str>) -> Result<Draft, ImportError> {
    let root: Value = serde_json::from_str(text).map_err(|e| not_json(file, text, &e))?;
    let Some(root) = root.as_object() else {
        return Err(not_smithy(file, "the file is JSON, but not an object"));
    };
    let version = match root.get("smithy") {
        Some(Value::String(v)) => v.as_str(),
        Some(_) => {
            return Err(ImportError::new(
                file,
                Some("$.smithy".into()),
                "`smithy` is not a string",
                Some("a Smithy JSON AST starts with `\"smithy\": \"2.0\"` (or \"1.0\")".into()),
            ))
        }
        None => return Err(not_smithy(file, "the file has no `smithy` version")),
    };
    if !(version == "1" || version == "2" || version.starts_with("1.") || version.starts_with("2."))
    {
        return Err(ImportError::new(
            file,
            Some("$.smithy".into()),
            format!("Smithy version {version:?} is not 1 or 2"),
            Some("errspec reads the JSON AST of Smithy 1.0 and 2.0".into()),
        ));
    }
    let shapes = match root.get("shapes") {
        Some(Value::Object(shapes)) => shapes,
        Some(_) => {
            return Err(ImportError::new(
                file,
                Some("$.shapes".into()),
                "`shapes` is not an object",
                Some("a Smithy JSON AST keys its shapes by shape id".into()),
            ))
        }
        None => return Err(not_smithy(file, "the file has no `shapes`")),
    };
    let model = Model { file, shapes };
    let service_id = pick_service(&model, service)?;
    let service_path = shape_path(service_id);
    let service_shape = model.shape(service_id).unwrap_or(shapes_empty());
    let service_traits = model.traits(service_shape, &service_path)?;

    let mut notes = Vec::new();
    let reached = reachable(&model, service_id, &mut notes)?;
    let protocols: Vec<Protocol> = Protocol::ALL
        .iter()
        .filter(|(trait_id, _)| service_traits.get(trait_id).is_some())
        .map(|(_, p)| *p)
        .collect();
    let protocol = protocols
        .iter()
        .copied()
        .find(|p| p.is_json())
        .or(protocols.first().copied());
    let query_compatible = service_traits
        .get("aws.protocols#awsQueryCompatible")
        .is_some();

    // Every error shape of the file: those the service returns become codes.
    let mut errors = Vec::new();
    let mut unreachable = Vec::new();
    for (id, shape) in shapes {
        let Some(shape) = shape.as_object() else {
            continue;
        };
        let at = shape_path(id);
        let traits = model.traits(shape, &at)?;
        if traits.get("smithy.api#error").is_none() {
            continue;
        }
        if !reached.contains(id.as_str()) {
            unreachable.push(id.as_str());
            continue;
        }
        errors.push(error_shape(&model, id, shape, traits, protocol)?);
    }
    if errors.is_empty() {
        return Err(ImportError::new(
            file,
            Some(service_path),
            format!("the service `{service_id}` returns no error shape"),
            Some(if unreachable.is_empty() {
                "the model has no structure with the `smithy.api#error` trait; there is nothing to import".into()
            } else {
                format!(
                    "the model's error shapes ({}) are returned by no operation of the service",
                    unreachable.join(", ")
                )
            }),
        ));
    }
    if !unreachable.is_empty() {
        notes.push(format!(
            "error shapes that no operation or resource of `{service_id}` returns, left out: {}",
            unreachable.join(", ")
        ));
    }

    let title = service_traits.str("smithy.api#title");
    let name = title.unwrap_or_else(|| shape_name(service_id)).to_owned();
    let file_name = Path::new(file)
        .file_name()
        .map_or_else(|| file.to_owned(), |n| n.to_string_lossy().into_owned());
    let mut source = format!("{file_name}: Smithy {version} model of `{service_id}`");
    if let Some(v) = service_shape.get("version").and_then(Value::as_str) {
        source.push_str(&format!(", version {v}"));
    }
    let description = service_traits
        .str("smithy.api#documentation")
        .map(|d| split_first_block(&html_to_markdown(d)).0)
        .filter(|d| !d.is_empty());

    let envelopes = envelopes(protocol, &protocols, query_compatible, &errors, &mut notes);
    let mut draft = Draft {
        id: module_id(&name),
        name,
        source,
        description,
        text: Some(TextFormat::Markdown),
        envelopes,
        ..Draft::default()
    };
    draft.notes = notes;
    codes(&mut draft, errors, protocol, query_compatible);
    Ok(draft)
}

/// An empty object, for a service shape that is (impossibly) not one.
fn shapes_empty() -> &'static Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(Map::new)
}

fn not_json(file: &str, text: &str, e: &serde_json::Error) -> ImportError {
    let what = e.to_string();
    let what = what
        .rsplit_once(" at line ")
        .map_or(what.as_str(), |(w, _)| w)
        .to_owned();
    let idl = text.trim_start().starts_with("$version")
        || text
            .lines()
            .any(|l| l.trim_start().starts_with("namespace "));
    ImportError::new(
        file,
        Some(format!("line {}, column {}", e.line(), e.column())),
        format!("the file is not JSON: {what}"),
        Some(if idl {
            "this looks like the Smithy IDL; import its JSON AST (`smithy ast` writes it)".into()
        } else {
            "errspec reads Smithy models in the JSON AST form".into()
        }),
    )
}

fn not_smithy(file: &str, what: &str) -> ImportError {
    ImportError::new(
        file,
        Some("$".into()),
        format!("{what}: it is not a Smithy JSON AST"),
        Some(
            "a Smithy JSON AST is an object with `\"smithy\": \"2.0\"` and `\"shapes\": {...}`"
                .into(),
        ),
    )
}

/// The shape id of the service to import: the one asked for, else the model's only one.
fn pick_service<'a>(model: &Model<'a>, wanted: Option<&str>) -> Result<&'a str, ImportError> {
    let services: Vec<&'a str> = model
        .shapes
        .iter()
        .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("service"))
        .map(|(id, _)| id.as_str())
        .collect();
    if let Some(wanted) = wanted {
        return services
            .iter()
            .copied()
            .find(|s| *s == wanted)
            .ok_or_else(|| {
                ImportError::new(
                    model.file,
                    Some("$.shapes".into()),
                    format!("the model has no service shape `{wanted}`"),
                    Some(if services.is_empty() {
                        "the model defines no service".into()
                    } else {
                        format!("its services: {}", services.join(", "))
                    }),
                )
            });
    }
    match services.as_slice() {
        [one] => Ok(one),
        [] => Err(ImportError::new(
            model.file,
            Some("$.shapes".into()),
            "the model has no service shape",
            Some("errspec imports the errors a service returns: import the model that defines the service (a shape of type `service`)".into()),
        )),
        many => Err(ImportError::new(
            model.file,
            Some("$.shapes".into()),
            format!("the model defines {} services: {}", many.len(), many.join(", ")),
            Some("name the one to import by its shape id (`errspec_codegen::import::smithy::read_service`)".into()),
        )),
    }
}

/// The error shapes the service can return: its own `errors`, and those of every operation
/// of the service and of its resources, nested. References to shapes the file does not
/// define, or that are not errors, are noted.
fn reachable<'a>(
    model: &Model<'a>,
    service: &'a str,
    notes: &mut Vec<String>,
) -> Result<BTreeSet<&'a str>, ImportError> {
    let mut errors = BTreeSet::new();
    let mut seen = BTreeSet::new();
    let mut stack = vec![(service, shape_path(service))];
    let mut missing = BTreeSet::new();
    let mut not_errors = BTreeSet::new();
    while let Some((id, at)) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        let Some(shape) = model.shape(id) else {
            missing.insert(format!("{id} (from `{at}`)"));
            continue;
        };
        let path = shape_path(id);
        for (e, e_at) in model.targets(shape, &path, "errors")? {
            match model.shape(e) {
                None => {
                    missing.insert(format!("{e} (from `{e_at}`)"));
                }
                Some(s)
                    if model
                        .traits(s, &shape_path(e))?
                        .get("smithy.api#error")
                        .is_none() =>
                {
                    not_errors.insert(e.to_owned());
                }
                Some(_) => {
                    errors.insert(e);
                }
            }
        }
        let mut next = Vec::new();
        for key in ["operations", "collectionOperations", "resources"] {
            next.extend(model.targets(shape, &path, key)?);
        }
        for key in ["create", "put", "read", "update", "delete", "list"] {
            if let Some(item) = shape.get(key) {
                next.push(model.target(item, format!("{path}.{key}"))?);
            }
        }
        // Depth first, in the model's order.
        stack.extend(next.into_iter().rev());
    }
    if !missing.is_empty() {
        notes.push(format!(
            "shapes the model refers to but does not define (their errors, if any, are not imported): {}",
            missing.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    if !not_errors.is_empty() {
        notes.push(format!(
            "shapes listed under `errors` without the `smithy.api#error` trait, left out: {}",
            not_errors.into_iter().collect::<Vec<_>>().join(", ")
        ));
    }
    Ok(errors)
}

/// One error shape, read.
fn error_shape<'a>(
    model: &Model<'a>,
    id: &'a str,
    shape: &'a Map<String, Value>,
    traits: Traits<'a>,
    protocol: Option<Protocol>,
) -> Result<ErrorShape<'a>, ImportError> {
    let at = shape_path(id);
    let mut notes = Vec::new();
    let category = match traits.get("smithy.api#error") {
        Some(Value::String(s)) if s == "client" => "client",
        Some(Value::String(s)) if s == "server" => "server",
        _ => {
            return Err(model.error(
                format!("{at}.traits[\"smithy.api#error\"]"),
                "the error trait is neither \"client\" nor \"server\"",
                Some("Smithy's error trait is the string \"client\" or \"server\""),
            ))
        }
    };
    if shape.get("type").and_then(Value::as_str) != Some("structure") {
        return Err(model.error(
            at,
            "a shape with the error trait is not a structure",
            Some("Smithy allows the error trait on structures only"),
        ));
    }
    let status_of = |v: &Value, path: String| -> Result<u16, ImportError> {
        v.as_u64()
            .and_then(|n| u16::try_from(n).ok())
            .ok_or_else(|| model.error(path, "the status is not a whole number", None))
    };
    let http_error = traits
        .get("smithy.api#httpError")
        .map(|v| status_of(v, format!("{at}.traits[\"smithy.api#httpError\"]")))
        .transpose()?;
    let (code, mut status) = match traits.get("aws.protocols#awsQueryError") {
        None => (shape_name(id).to_owned(), http_error),
        Some(q) => {
            let q_at = format!("{at}.traits[\"aws.protocols#awsQueryError\"]");
            let Some(code) = q.get("code").and_then(Value::as_str) else {
                return Err(model.error(
                    format!("{q_at}.code"),
                    "`awsQueryError` has no `code` string",
                    Some("the trait is `{\"code\": \"...\", \"httpResponseCode\": 400}`"),
                ));
            };
            let status = q
                .get("httpResponseCode")
                .map(|v| status_of(v, format!("{q_at}.httpResponseCode")))
                .transpose()?;
            if let (Some(q), Some(h)) = (status, http_error) {
                if q != h {
                    notes.push(format!(
                        "the query protocol's status is {q} (`awsQueryError.httpResponseCode`), `httpError` says {h}: the spec has {q}"
                    ));
                }
            }
            (code.to_owned(), status.or(http_error))
        }
    };
    if code.is_empty() {
        return Err(model.error(at, "the error's wire code is empty", None));
    }
    if let Some(s) = status.filter(|s| !(100..=999).contains(s)) {
        notes.push(format!(
            "the model's status {s} is not an HTTP status: left out"
        ));
        status = None;
    }
    let retry = match traits.get("smithy.api#retryable") {
        None => None,
        Some(Value::Object(r)) => match r.get("throttling") {
            None | Some(Value::Bool(false)) => Some("transient"),
            Some(Value::Bool(true)) => Some("throttling"),
            Some(_) => {
                return Err(model.error(
                    format!("{at}.traits[\"smithy.api#retryable\"].throttling"),
                    "`throttling` is not a boolean",
                    None,
                ))
            }
        },
        Some(_) => {
            return Err(model.error(
                format!("{at}.traits[\"smithy.api#retryable\"]"),
                "the retryable trait is not an object",
                Some("write it `{}` or `{\"throttling\": true}`"),
            ))
        }
    };
    let deprecated = match traits.get("smithy.api#deprecated") {
        None => None,
        Some(Value::Object(d)) => {
            let message = d.get("message").and_then(Value::as_str);
            let since = d.get("since").and_then(Value::as_str);
            let note = match (message, since) {
                (Some(m), Some(s)) => Some(format!("{m} (deprecated since {s})")),
                (Some(m), None) => Some(m.to_owned()),
                (None, Some(s)) => Some(format!("Deprecated since {s}.")),
                (None, None) => None,
            };
            Some(DraftDeprecated {
                note,
                replaced_by: None,
            })
        }
        Some(_) => {
            return Err(model.error(
                format!("{at}.traits[\"smithy.api#deprecated\"]"),
                "the deprecated trait is not an object",
                None,
            ))
        }
    };
    let members = members(model, id, shape, protocol, &mut notes)?;
    Ok(ErrorShape {
        id,
        code,
        status,
        category,
        documentation: traits.str("smithy.api#documentation").map(html_to_markdown),
        retry,
        deprecated,
        members,
        notes,
    })
}

/// The members of an error structure, those of its mixins first, as `protocol` names them.
fn members(
    model: &Model<'_>,
    id: &str,
    shape: &Map<String, Value>,
    protocol: Option<Protocol>,
    notes: &mut Vec<String>,
) -> Result<Vec<Member>, ImportError> {
    let rest = protocol.is_some_and(Protocol::is_rest);
    let mut out: Vec<Member> = Vec::new();
    let mut queue: Vec<(&str, &Map<String, Value>)> = Vec::new();
    let mut seen = BTreeSet::new();
    // The structure and its mixins, mixins first: at most a few levels in practice.
    let mut order = Vec::new();
    queue.push((id, shape));
    while let Some((sid, s)) = queue.pop() {
        if !seen.insert(sid.to_owned()) {
            continue;
        }
        order.push((sid, s));
        for (m, _) in model.targets(s, &shape_path(sid), "mixins")? {
            match model.shape(m) {
                Some(ms) => queue.push((m, ms)),
                None => notes.push(format!(
                    "its mixin `{m}` is not defined in the file: its members are not known"
                )),
            }
        }
    }
    for (sid, s) in order.into_iter().rev() {
        let Some(members) = s.get("members") else {
            continue;
        };
        let at = format!("{}.members", shape_path(sid));
        let Some(members) = members.as_object() else {
            return Err(model.error(at, "`members` is not an object", None));
        };
        for (name, member) in members {
            let m_at = format!("{at}[{}]", Value::String(name.clone()));
            let target = model.target(member, m_at.clone())?.0;
            let traits = match member.get("traits") {
                None => Traits(None),
                Some(Value::Object(t)) => Traits(Some(t)),
                Some(_) => {
                    return Err(model.error(
                        format!("{m_at}.traits"),
                        "`traits` is not an object",
                        None,
                    ))
                }
            };
            let wire = match traits.str("smithy.api#jsonName") {
                Some(j) if rest => j.to_owned(),
                _ => name.clone(),
            };
            let elsewhere = if !rest {
                None
            } else if let Some(h) = traits.str("smithy.api#httpHeader") {
                Some(format!("the header `{h}`"))
            } else if traits.get("smithy.api#httpResponseCode").is_some() {
                Some("the HTTP status".to_owned())
            } else if let Some(p) = traits.str("smithy.api#httpPrefixHeaders") {
                Some(format!("the headers starting with `{p}`"))
            } else if traits.get("smithy.api#httpPayload").is_some() {
                Some("the whole body".to_owned())
            } else {
                None
            };
            let description = traits
                .str("smithy.api#documentation")
                .or_else(|| {
                    model
                        .shape(target)
                        .and_then(|t| t.get("traits"))
                        .and_then(|t| t.get("smithy.api#documentation"))
                        .and_then(Value::as_str)
                })
                .map(|d| split_first_block(&html_to_markdown(d)).0)
                .filter(|d| !d.is_empty());
            let member = Member {
                name: wire,
                ty: field_type(model, target),
                description,
                elsewhere,
            };
            match out.iter_mut().find(|m| m.name == member.name) {
                Some(m) => *m = member,
                None => out.push(member),
            }
        }
    }
    Ok(out)
}

/// The JSON type of a member's target.
fn field_type(model: &Model<'_>, target: &str) -> FieldType {
    let ty = match model.shape_type(target) {
        Some(t) => t,
        // Prelude shapes: `smithy.api#String` and the like.
        None => match target.strip_prefix("smithy.api#") {
            Some(p) => match p {
                "String" => "string",
                "Blob" => "blob",
                "Boolean" | "PrimitiveBoolean" => "boolean",
                "Byte" | "PrimitiveByte" | "Short" | "PrimitiveShort" | "Integer"
                | "PrimitiveInteger" | "Long" | "PrimitiveLong" | "BigInteger" => "integer",
                _ => "",
            },
            None => "",
        },
    };
    match ty {
        "string" | "enum" | "blob" => FieldType::String,
        "boolean" => FieldType::Boolean,
        "byte" | "short" | "integer" | "long" | "bigInteger" | "intEnum" => FieldType::Integer,
        "list" | "set" => FieldType::Array,
        "structure" | "map" | "union" => FieldType::Object,
        _ => FieldType::Any,
    }
}

/// The envelopes of the service's protocol, with the members of the error structures as
/// fields; what does not fit goes into `notes`.
fn envelopes(
    protocol: Option<Protocol>,
    protocols: &[Protocol],
    query_compatible: bool,
    errors: &[ErrorShape<'_>],
    notes: &mut Vec<String>,
) -> Vec<DraftEnvelope> {
    // The JSON protocol whose body the envelope describes: the service's, or its JSON variant.
    let shape = match protocol {
        Some(p) if p.is_json() => p,
        Some(p) if p.is_rest() => Protocol::RestJson1,
        _ => Protocol::AwsJson1_0,
    };
    match protocol {
        None => notes.push(
            "the service has no protocol trait, so the model states no error body: the envelope is the awsJson one (`__type` and `message`); check it against the service".into(),
        ),
        Some(p) if !p.is_json() => notes.push(format!(
            "the service speaks {}, whose error bodies are {}; errspec reads JSON bodies only. The envelope is the one the JSON variant of the protocol has ({}){}",
            p.name(),
            if p == Protocol::RpcV2Cbor { "CBOR" } else { "XML (`<Error><Code>`, `<Message>`)" },
            if p.is_rest() { "restJson1" } else { "awsJson1_0" },
            if p.is_rest() {
                String::new()
            } else {
                "; a query service that also answers JSON declares `aws.protocols#awsQueryCompatible` and sends the query code in the `x-amzn-query-error` header".to_owned()
            }
        )),
        Some(_) => {}
    }
    if protocols.len() > 1 {
        let names: Vec<&str> = protocols.iter().map(|p| p.name()).collect();
        notes.push(format!(
            "the service supports the protocols {}: the envelope follows {}",
            names.join(", "),
            shape.name()
        ));
    }
    match shape {
        Protocol::RestJson1 | Protocol::RestXml => notes.push(
            "restJson1 sends the error's shape name in the `X-Amzn-Errortype` header, and in the body's `code` or `__type` when the header is missing; a header cannot be an envelope field: read it first. The value may carry a `namespace#` prefix and a `:` suffix (a URL); strip both before looking the code up".into(),
        ),
        _ => notes.push(
            "awsJson sends the error's shape name in `__type`, possibly prefixed with its namespace (`com.example#Name`) and followed by `:` and a URL; strip both before looking the code up".into(),
        ),
    }
    if query_compatible {
        notes.push(
            "the service is `awsQueryCompatible`: its JSON bodies carry the shape name in `__type`, and the query code (the spec's wire code) in the `x-amzn-query-error` header as `Code;Fault`; a header cannot be an envelope field. Each code whose query code differs from its shape name has the shape name as an alias".into(),
        );
    }

    // The message member: `message` in any case, as protocols read it.
    let message_of = |e: &ErrorShape<'_>| -> Option<String> {
        e.members
            .iter()
            .find(|m| m.name.eq_ignore_ascii_case("message") && m.elsewhere.is_none())
            .map(|m| m.name.clone())
    };
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for e in errors {
        if let Some(m) = message_of(e) {
            *counts.entry(m).or_default() += 1;
        }
    }
    let message = counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
        .map(|(m, _)| m.clone());
    if counts.len() > 1 {
        let other: Vec<String> = errors
            .iter()
            .filter(|e| message_of(e).is_some_and(|m| Some(&m) != message.as_ref()))
            .map(|e| format!("{} (`{}`)", e.code, message_of(e).unwrap_or_default()))
            .collect();
        notes.push(format!(
            "the envelope's message is `{}`, which most error shapes name so; these name it otherwise, kept as fields: {}",
            message.as_deref().unwrap_or_default(),
            other.join(", ")
        ));
    }

    shape
        .code_fields()
        .iter()
        .map(|code_field| {
            let mut fields: Vec<(String, FieldType, Option<String>)> = Vec::new();
            let mut clashes = BTreeSet::new();
            for e in errors {
                for m in e.members.iter().filter(|m| m.elsewhere.is_none()) {
                    if Some(&m.name) == message.as_ref() {
                        continue;
                    }
                    if m.name == *code_field {
                        clashes.insert(e.code.clone());
                        continue;
                    }
                    match fields.iter_mut().find(|f| f.0 == m.name) {
                        Some(f) => {
                            if f.1 != m.ty {
                                f.1 = FieldType::Any;
                            }
                            if f.2.is_none() {
                                f.2.clone_from(&m.description);
                            }
                        }
                        None => fields.push((m.name.clone(), m.ty, m.description.clone())),
                    }
                }
            }
            let id = if shape.code_fields().len() == 1 {
                entry_id(shape.name())
            } else {
                entry_id(&format!("{} {}", shape.name(), code_field))
            };
            DraftEnvelope {
                description: Some(format!(
                    "The {} error body{}: the error's shape name in `{code_field}`{}.",
                    shape.name(),
                    match protocol {
                        Some(p) if p != shape => format!(", the JSON variant of the service's {}", p.name()),
                        _ => String::new(),
                    },
                    match &message {
                        Some(m) => format!(", its message in `{m}`"),
                        None => String::new(),
                    }
                )),
                code_field: (*code_field).to_owned(),
                code_accepts: vec![FieldType::String],
                message: message.clone(),
                fields,
                note: (!clashes.is_empty()).then(|| {
                    format!(
                        "a member of {} is named `{code_field}` like the code field: left out of the fields",
                        clashes.into_iter().collect::<Vec<_>>().join(", ")
                    )
                }),
                id,
                ..DraftEnvelope::default()
            }
        })
        .collect()
}

/// The codes, categories, statuses and policies of the error shapes.
fn codes(
    draft: &mut Draft,
    errors: Vec<ErrorShape<'_>>,
    protocol: Option<Protocol>,
    query_compatible: bool,
) {
    let json = protocol.is_some_and(Protocol::is_json);
    let wires: BTreeSet<String> = errors.iter().map(|e| e.code.clone()).collect();
    let mut seen = BTreeSet::new();
    let mut variants = BTreeSet::new();
    let mut statuses = BTreeSet::new();
    let mut categories = BTreeSet::new();
    let mut policies = BTreeSet::new();
    for e in errors {
        if !seen.insert(e.code.clone()) {
            draft.notes.push(format!(
                "`{}` has the wire code `{}` of an earlier error shape: left out",
                e.id, e.code
            ));
            continue;
        }
        let name = shape_name(e.id);
        let mut notes = e.notes;
        // The shape name reads better than a query code such as `AWS.SimpleQueueService.X`.
        let mut variant = (e.code != name).then(|| variant_name(name));
        let derived = variant.clone().unwrap_or_else(|| variant_name(&e.code));
        if matches!(derived.as_str(), "Self" | "Unknown") || !variants.insert(derived.clone()) {
            let v = unique_variant(&variant_name(name), &variants);
            variants.insert(v.clone());
            notes.push(format!("the variant `{derived}` is taken: named `{v}`"));
            variant = Some(v);
        }
        let mut aliases = Vec::new();
        if json && query_compatible && e.code != name {
            if wires.contains(name) {
                notes.push(format!(
                    "its shape name `{name}`, sent in `__type`, is the wire code of another error: no alias"
                ));
            } else {
                aliases.push(Wire::Str(name.to_owned()));
            }
        }
        for m in &e.members {
            if let Some(w) = &m.elsewhere {
                notes.push(format!(
                    "its member `{}` is sent in {w}, not in the body",
                    m.name
                ));
            }
        }
        let mut inferred = Vec::new();
        let (message, description) = match e.documentation.as_deref().map(split_first_block) {
            Some((first, rest)) if !first.is_empty() => (first, rest),
            _ => {
                notes.push("the model documents no message: the shape name stands for it".into());
                inferred.push("message".to_owned());
                (name.to_owned(), None)
            }
        };
        if let Some(s) = e.status {
            statuses.insert(s);
        }
        categories.insert(e.category);
        if let Some(r) = e.retry {
            policies.insert(r);
        }
        draft.codes.push(DraftCode {
            code: Some(Wire::Str(e.code)),
            aliases,
            variant,
            status: e.status,
            category: Some(e.category.to_owned()),
            message,
            description,
            retry: e.retry.map(str::to_owned),
            inferred,
            note: (!notes.is_empty()).then(|| notes.join("\n")),
            deprecated: e.deprecated,
            ..DraftCode::default()
        });
    }
    draft.statuses = statuses
        .into_iter()
        .map(|s| DraftStatus {
            number: s,
            name: http::StatusCode::from_u16(s)
                .ok()
                .and_then(|c| c.canonical_reason())
                .map_or_else(|| format!("Status {s}"), str::to_owned),
            inferred: vec!["name".into()],
            ..DraftStatus::default()
        })
        .collect();
    let without: Vec<String> = draft
        .codes
        .iter()
        .filter(|c| c.status.is_none())
        .filter_map(|c| c.code.as_ref().map(ToString::to_string))
        .collect();
    if !without.is_empty() {
        draft.notes.push(format!(
            "the model states no status (neither `httpError` nor `awsQueryError`) for: {}",
            without.join(", ")
        ));
    }
    if !draft.statuses.is_empty() {
        draft.notes.push(
            "the model gives status numbers only: their names are the HTTP reason phrases".into(),
        );
    }
    draft.categories = ["client", "server"]
        .into_iter()
        .filter(|c| categories.contains(c))
        .map(|c| DraftCategory {
            id: c.to_owned(),
            title: c.to_owned(),
            description: Some(format!(
                "Error shapes whose `smithy.api#error` trait is `{c}`."
            )),
        })
        .collect();
    let inferred: Vec<String> = [
        "initial",
        "multiplier",
        "max_delay",
        "max_attempts",
        "jitter",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    draft.policies = ["throttling", "transient"]
        .into_iter()
        .filter(|p| policies.contains(p))
        .map(|p| DraftPolicy {
            name: p.to_owned(),
            description: Some(if p == "throttling" {
                "Error shapes marked `smithy.api#retryable` with `throttling: true`.".to_owned()
            } else {
                "Error shapes marked `smithy.api#retryable` (not throttling).".to_owned()
            }),
            initial_ms: Some(1_000),
            multiplier: Some(2.0),
            max_delay_ms: Some(20_000),
            max_attempts: Some(3),
            jitter: Some(JitterKind::Full),
            inferred: inferred.clone(),
            ..DraftPolicy::default()
        })
        .collect();
    if !draft.policies.is_empty() {
        draft.notes.push(
            "the model says which errors are retryable, not how: every number of the retry policies is inferred and must be set. max_attempts 3 and exponential backoff with jitter follow the AWS SDKs' standard retry mode (AWS SDKs and Tools Reference Guide, \"Retry behavior\", docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html); the delays (1s doubling up to 20s, full jitter) are not taken from it".into(),
        );
    }
}

/// `base`, or `base` followed by the first number that makes it unused.
fn unique_variant(base: &str, taken: &BTreeSet<String>) -> String {
    let base = if matches!(base, "Self" | "Unknown") {
        format!("{base}Error")
    } else {
        base.to_owned()
    };
    if !taken.contains(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}{n}"))
        .find(|v| !taken.contains(v))
        .unwrap_or(base)
}

/// The first paragraph of Markdown text, and the rest when there is any.
fn split_first_block(text: &str) -> (String, Option<String>) {
    match text.split_once("\n\n") {
        Some((first, rest)) => (
            first.trim().to_owned(),
            Some(rest.trim().to_owned()).filter(|r| !r.is_empty()),
        ),
        None => (text.trim().to_owned(), None),
    }
}

// ---------------------------------------------------------------------------------------------
// Documentation: HTML to Markdown

/// The documentation HTML of a Smithy model as Markdown: paragraphs (`p`, `note`, `important`,
/// headings) separated by blank lines, lists as `-` or `1.` items indented by nesting, `code`
/// as code spans, `b`/`strong` and `i`/`em` as emphasis, links as `[text](href)`, `pre` as a
/// fenced block. Other tags are dropped and their text kept; text is escaped so that it shows
/// as written.
pub(crate) fn html_to_markdown(html: &str) -> String {
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::{BufferQueue, Tokenizer, TokenizerOpts};
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(
        MdSink(std::cell::RefCell::default()),
        TokenizerOpts::default(),
    );
    while let html5ever::TokenizerResult::Script(()) = tokenizer.feed(&input) {}
    tokenizer.end();
    let mut md = tokenizer.sink.0.borrow_mut();
    md.end_block();
    std::mem::take(&mut md.blocks).join("\n\n")
}

struct MdSink(std::cell::RefCell<Markdown>);

impl html5ever::tokenizer::TokenSink for MdSink {
    type Handle = ();

    fn process_token(
        &self,
        token: html5ever::tokenizer::Token,
        _line: u64,
    ) -> html5ever::tokenizer::TokenSinkResult<()> {
        use html5ever::tokenizer::{TagKind, Token};
        let mut md = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) => {
                let href = tag
                    .attrs
                    .iter()
                    .find(|a| &*a.name.local == "href")
                    .map(|a| a.value.to_string());
                match tag.kind {
                    TagKind::StartTag => md.start(&tag.name, href, tag.self_closing),
                    TagKind::EndTag => md.end(&tag.name),
                }
            }
            Token::CharacterTokens(text) => md.text(&text),
            _ => {}
        }
        html5ever::tokenizer::TokenSinkResult::Continue
    }
}

/// The Markdown being written.
#[derive(Default)]
struct Markdown {
    /// Finished blocks.
    blocks: Vec<String>,
    /// The block being written.
    cur: String,
    /// Whitespace seen and not yet written: written as one space before the next text.
    space: bool,
    /// Open lists: ordered, and the number of the next item.
    lists: Vec<(bool, u32)>,
    /// Open links: the position of `[` in `cur` and the address.
    links: Vec<(usize, Option<String>)>,
    /// Inside `code`: how deep.
    code: usize,
    /// Inside `pre`: its text.
    pre: Option<String>,
}

impl Markdown {
    fn start(&mut self, name: &str, href: Option<String>, self_closing: bool) {
        if let Some(pre) = &mut self.pre {
            if name == "br" {
                pre.push('\n');
            }
            return;
        }
        match name {
            "p" | "div" | "note" | "important" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "dt"
            | "dd" | "blockquote" | "table" | "tr" => self.break_block(),
            "br" => {
                if self.lists.is_empty() {
                    self.cur.push_str("\\\n");
                    self.space = false;
                } else {
                    self.space = true;
                }
            }
            "ul" | "ol" => {
                self.end_line();
                self.lists.push((name == "ol", 1));
            }
            "li" => {
                self.end_line();
                if self.lists.is_empty() {
                    self.lists.push((false, 1));
                }
                let depth = self.lists.len() - 1;
                let marker = match self.lists.last_mut() {
                    Some((true, n)) => {
                        *n += 1;
                        format!("{}.", *n - 1)
                    }
                    _ => "-".to_owned(),
                };
                self.cur.push_str(&"  ".repeat(depth));
                self.cur.push_str(&marker);
                self.cur.push(' ');
                self.space = false;
            }
            "code" | "tt" | "kbd" | "samp" => {
                self.open_inline();
                if self.code == 0 {
                    self.cur.push('`');
                }
                self.code += 1;
            }
            "b" | "strong" if self.code == 0 && !self_closing => {
                self.open_inline();
                self.cur.push_str("**");
            }
            "i" | "em" if self.code == 0 && !self_closing => {
                self.open_inline();
                self.cur.push('*');
            }
            "a" if self.code == 0 && !self_closing => {
                self.open_inline();
                let href = href.filter(|h| !h.trim().is_empty());
                if href.is_some() {
                    self.cur.push('[');
                }
                self.links.push((self.cur.len(), href));
            }
            "pre" => {
                self.end_block();
                self.pre = Some(String::new());
            }
            "td" | "th" => self.space = true,
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        if self.pre.is_some() {
            if name == "pre" {
                let text = self.pre.take().unwrap_or_default();
                let text = text.trim_matches('\n');
                let fence = if text.contains("```") { "~~~~" } else { "```" };
                self.blocks.push(format!("{fence}\n{text}\n{fence}"));
            }
            return;
        }
        match name {
            "p" | "div" | "note" | "important" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "dt"
            | "dd" | "blockquote" | "table" | "tr" => self.break_block(),
            "ul" | "ol" => {
                self.end_line();
                self.lists.pop();
                if self.lists.is_empty() {
                    self.end_block();
                }
            }
            "li" => self.end_line(),
            "code" | "tt" | "kbd" | "samp" if self.code > 0 => {
                self.code -= 1;
                if self.code == 0 {
                    self.cur.push('`');
                }
            }
            "b" | "strong" if self.code == 0 => self.close_inline("**"),
            "i" | "em" if self.code == 0 => self.close_inline("*"),
            "a" if self.code == 0 => {
                // A link without an address is its text; one without text shows nothing.
                if let Some((at, Some(href))) = self.links.pop() {
                    if self.cur.len() <= at {
                        self.cur.truncate(at - 1);
                    } else {
                        self.cur.push_str("](");
                        self.cur.push_str(&link_destination(href.trim()));
                        self.cur.push(')');
                    }
                }
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if let Some(pre) = &mut self.pre {
            pre.push_str(text);
            return;
        }
        for c in text.chars() {
            if c.is_whitespace() {
                self.space = true;
                continue;
            }
            self.open_inline();
            if self.code == 0 && matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#') {
                self.cur.push('\\');
            }
            if self.code > 0 && c == '`' {
                // A backtick cannot stand in a one-backtick span: shown as a quote.
                self.cur.push('\'');
                continue;
            }
            self.cur.push(c);
        }
    }

    /// Writes the pending space, unless at the start of a line or item.
    fn open_inline(&mut self) {
        if self.space
            && !self.cur.is_empty()
            && !self.cur.ends_with('\n')
            && !self.cur.ends_with(' ')
        {
            self.cur.push(' ');
        }
        self.space = false;
    }

    /// Closes emphasis `marker`, or drops the opener when nothing stands between them.
    fn close_inline(&mut self, marker: &str) {
        if self.cur.ends_with(marker) {
            self.cur.truncate(self.cur.len() - marker.len());
            let trimmed = self.cur.trim_end_matches(' ').len();
            self.cur.truncate(trimmed);
        } else {
            self.cur.push_str(marker);
        }
    }

    /// A paragraph break: a new block, or within a list item only a space.
    fn break_block(&mut self) {
        if self.lists.is_empty() {
            self.end_block();
        } else {
            self.space = true;
        }
    }

    /// Ends the current list line.
    fn end_line(&mut self) {
        let trimmed = self.cur.trim_end().len();
        self.cur.truncate(trimmed);
        if !self.cur.is_empty() && !self.cur.ends_with('\n') {
            self.cur.push('\n');
        }
        self.space = false;
    }

    fn end_block(&mut self) {
        // Unclosed links keep their text.
        for (at, href) in self.links.drain(..).rev() {
            if href.is_some() && at <= self.cur.len() {
                self.cur.insert(at - 1, '\\');
            }
        }
        if self.code > 0 {
            self.cur.push('`');
            self.code = 0;
        }
        let block = self.cur.trim().to_owned();
        if !block.is_empty() {
            self.blocks.push(block);
        }
        self.cur.clear();
        self.space = false;
    }
}

/// An address as a Markdown link destination: what would end it is percent-encoded.
fn link_destination(href: &str) -> String {
    let mut out = String::with_capacity(href.len());
    for c in href.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documentation_html_becomes_markdown() {
        let md = html_to_markdown(
            "<p>The <code>Id</code> of a <b>batch</b> entry &amp; <i>more</i>.</p>\n  <ul>\n <li>\n <p>One <a href=\"https://x.test/a b\">link</a></p>\n <ul><li>nested</li></ul></li>\n<li>Two_3 [x]</li></ul><p>After</p>",
        );
        assert_eq!(
            md,
            "The `Id` of a **batch** entry & *more*.\n\n- One [link](https://x.test/a%20b)\n  - nested\n- Two\\_3 \\[x\\]\n\nAfter"
        );
    }

    #[test]
    fn loose_html_still_reads() {
        assert_eq!(
            html_to_markdown("plain <b> </b>text <a>no href</a> <code>a`b"),
            "plain text no href `a'b`"
        );
        assert_eq!(
            html_to_markdown("<ol><li>a</li><li>b</li></ol>"),
            "1. a\n2. b"
        );
        assert_eq!(
            html_to_markdown("<pre>x  y\n z</pre>"),
            "```\nx  y\n z\n```"
        );
        assert_eq!(html_to_markdown(""), "");
    }

    #[test]
    fn first_paragraph_is_the_message() {
        assert_eq!(
            split_first_block("One.\n\nTwo.\n\nThree."),
            ("One.".to_owned(), Some("Two.\n\nThree.".to_owned()))
        );
        assert_eq!(split_first_block("One."), ("One.".to_owned(), None));
    }
}
