//! `errspec import`: a first spec from the machine-readable catalog an API already publishes.
//!
//! Each importer reads its source into a [`Draft`]: the facts of a spec, with what the source
//! does not state left out or marked inferred, and [`notes`](Draft::notes) where a human must
//! decide. [`Draft::to_yaml`] writes it as a version 2 spec, one fact per line, every string
//! quoted so that no value is misread, notes as comments; [`Draft::check`] reads that text back
//! through the same validation as every spec, so an importer never hands out a spec that
//! `errspec lint` refuses.

use std::fmt::Write as _;

pub mod openapi;

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::ir::{CodeType, FieldType, JitterKind, Severity, TextFormat};
use crate::{ir, Diagnostics};

pub mod smithy;
pub mod table;

/// Why a source could not be imported: the file, where in it (a JSON path such as
/// `$.components.schemas.Error`, or `line 12`), what is wrong and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    /// The source file, as the user named it.
    pub file: String,
    /// Where in the file, when it can be told.
    pub at: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl ImportError {
    /// An error of `file`, at `at` when given.
    pub fn new(
        file: impl Into<String>,
        at: Option<String>,
        message: impl Into<String>,
        help: Option<String>,
    ) -> Self {
        ImportError {
            file: file.into(),
            at,
            message: message.into(),
            help,
        }
    }
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "error: {}", self.file)?;
        if let Some(at) = &self.at {
            write!(f, ": at `{at}`")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ImportError {}

/// The largest source an importer reads, in bytes: a published catalog is a few megabytes; the
/// limit refuses a wrong file before it is parsed.
pub const MAX_SOURCE_BYTES: usize = 64 * 1024 * 1024;

/// The text of the source at `path`: at most [`MAX_SOURCE_BYTES`], UTF-8.
pub fn read_source(path: &std::path::Path) -> Result<String, ImportError> {
    use std::io::Read as _;
    let file = path.display().to_string();
    let io = |e: std::io::Error| ImportError::new(&file, None, e.to_string(), None);
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(MAX_SOURCE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() > MAX_SOURCE_BYTES {
        return Err(ImportError::new(
            &file,
            None,
            format!(
                "the file is larger than {} MiB",
                MAX_SOURCE_BYTES / (1024 * 1024)
            ),
            Some("check that this is the right file".into()),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        ImportError::new(
            &file,
            Some(format!("byte {}", e.utf8_error().valid_up_to())),
            "the file is not UTF-8",
            Some("convert it to UTF-8".into()),
        )
    })
}

/// The facts of a spec an importer found, ready to be written as YAML.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draft {
    /// `api.id`: a snake_case module name ([`module_id`] makes one from any name).
    pub id: String,
    /// `api.name`.
    pub name: String,
    /// `api.source`: the source file and its version.
    pub source: String,
    /// `api.url`.
    pub url: Option<String>,
    /// `api.description`.
    pub description: Option<String>,
    /// `api.code_type`.
    pub code_type: DraftCodeType,
    /// `api.text`.
    pub text: Option<TextFormat>,
    /// `api.docs_url`.
    pub docs_url: Option<String>,
    /// `api.forward_compatibility`: the source's statement that more codes may come.
    pub forward_compatibility: Option<String>,
    /// The error body shapes.
    pub envelopes: Vec<DraftEnvelope>,
    /// The documented statuses.
    pub statuses: Vec<DraftStatus>,
    /// The groups of codes.
    pub categories: Vec<DraftCategory>,
    /// The retry policies.
    pub policies: Vec<DraftPolicy>,
    /// The codes, in the source's order.
    pub codes: Vec<DraftCode>,
    /// What a human must decide, written as comments at the top of the spec.
    pub notes: Vec<String>,
}

/// Whether the codes are strings or numbers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DraftCodeType {
    /// `code_type: string`.
    #[default]
    String,
    /// `code_type: integer`.
    Integer,
}

/// An error body shape.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DraftEnvelope {
    /// `id`.
    pub id: String,
    /// `description`.
    pub description: Option<String>,
    /// `root`: the path of the object holding the fields; empty: the body.
    pub root: Vec<String>,
    /// `code.field`.
    pub code_field: String,
    /// `code.accepts`.
    pub code_accepts: Vec<FieldType>,
    /// `message`.
    pub message: Option<String>,
    /// `fields`: name, type, description.
    pub fields: Vec<(String, FieldType, Option<String>)>,
    /// `statuses`.
    pub statuses: Vec<u16>,
    /// `example`.
    pub example: Option<String>,
    /// A comment above the entry.
    pub note: Option<String>,
}

/// A documented HTTP status.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DraftStatus {
    /// `status`.
    pub number: u16,
    /// `name`.
    pub name: String,
    /// `description`.
    pub description: Option<String>,
    /// `retry`: a policy name.
    pub retry: Option<String>,
    /// `inferred`.
    pub inferred: Vec<String>,
}

/// A group of codes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DraftCategory {
    /// `id`.
    pub id: String,
    /// `title`.
    pub title: String,
    /// `description`.
    pub description: Option<String>,
}

/// A retry policy.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DraftPolicy {
    /// The policy's name.
    pub name: String,
    /// `description`.
    pub description: Option<String>,
    /// `initial`, in milliseconds.
    pub initial_ms: Option<u64>,
    /// `multiplier`.
    pub multiplier: Option<f64>,
    /// `max_delay`, in milliseconds.
    pub max_delay_ms: Option<u64>,
    /// `max_attempts`.
    pub max_attempts: Option<u32>,
    /// `jitter`.
    pub jitter: Option<JitterKind>,
    /// `retry_after`: header, default and cap in milliseconds.
    pub retry_after: Option<(String, u64, Option<u64>)>,
    /// `inferred`.
    pub inferred: Vec<String>,
}

/// A wire value: a string or a number.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Wire {
    /// A string code.
    Str(String),
    /// A numeric code.
    Int(u32),
}

impl std::fmt::Display for Wire {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Wire::Str(s) => f.write_str(s),
            Wire::Int(n) => write!(f, "{n}"),
        }
    }
}

/// A documented code.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DraftCode {
    /// `code`.
    pub code: Option<Wire>,
    /// `aliases`.
    pub aliases: Vec<Wire>,
    /// `variant`, when the derived one would not do.
    pub variant: Option<String>,
    /// `status`.
    pub status: Option<u16>,
    /// `severity`.
    pub severity: Option<Severity>,
    /// `category`: a category id.
    pub category: Option<String>,
    /// `message`.
    pub message: String,
    /// `description`.
    pub description: Option<String>,
    /// `solution`.
    pub solution: Option<String>,
    /// `causes`.
    pub causes: Vec<String>,
    /// `docs_url`.
    pub docs_url: Option<String>,
    /// `envelope`: an envelope id.
    pub envelope: Option<String>,
    /// `retry`: a policy name.
    pub retry: Option<String>,
    /// `inferred`.
    pub inferred: Vec<String>,
    /// A comment above the entry.
    pub note: Option<String>,
    /// `deprecated`.
    pub deprecated: Option<DraftDeprecated>,
}

/// That a code is deprecated: `deprecated: true`, or with its details when the source gives any.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DraftDeprecated {
    /// `note`: why, or what to do instead.
    pub note: Option<String>,
    /// `replaced_by`: the code that replaces it.
    pub replaced_by: Option<Wire>,
}

/// `name` as an `api.id`: snake_case ASCII letters, digits and `_`, starting with a letter.
pub fn module_id(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let id = ascii.to_snake_case();
    match id.chars().next() {
        Some(c) if c.is_ascii_lowercase() => id,
        Some(_) => format!("api_{id}"),
        None => "api".to_owned(),
    }
}

/// `name` as a snake_case id of an envelope, category or policy.
pub fn entry_id(name: &str) -> String {
    module_id(name)
}

/// `name` as an UpperCamelCase variant, when the name the generator derives from the wire
/// value would not do (a clash, a reserved word): letters and digits, starting with a letter.
pub fn variant_name(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let v = ascii.to_upper_camel_case();
    match v.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => v,
        _ => format!("Code{v}"),
    }
}

impl Draft {
    /// The draft as a version 2 spec.
    pub fn to_yaml(&self) -> String {
        let mut y = String::with_capacity(256 + self.codes.len() * 160);
        let _ = writeln!(
            y,
            "# yaml-language-server: $schema=errspec.schema.json\n\
             # Imported by `errspec import` from {}.\n\
             # The spec is the truth from here on: check it against the documentation and edit it.",
            one_line(&self.source)
        );
        for note in &self.notes {
            comment(&mut y, "", &format!("DECIDE: {note}"));
        }
        y.push_str("version: 2\n\napi:\n");
        let _ = writeln!(y, "  id: {}", quoted(&self.id));
        let _ = writeln!(y, "  name: {}", quoted(&self.name));
        let _ = writeln!(y, "  source: {}", quoted(&self.source));
        opt(&mut y, "  ", "url", self.url.as_deref());
        opt(&mut y, "  ", "description", self.description.as_deref());
        let _ = writeln!(
            y,
            "  code_type: {}",
            match self.code_type {
                DraftCodeType::String => "string",
                DraftCodeType::Integer => "integer",
            }
        );
        if let Some(text) = self.text {
            let _ = writeln!(
                y,
                "  text: {}",
                match text {
                    TextFormat::Plain => "plain",
                    TextFormat::Markdown => "markdown",
                }
            );
        }
        opt(&mut y, "  ", "docs_url", self.docs_url.as_deref());
        opt(
            &mut y,
            "  ",
            "forward_compatibility",
            self.forward_compatibility.as_deref(),
        );

        y.push_str("\nenvelopes:\n");
        for e in &self.envelopes {
            if let Some(note) = &e.note {
                comment(&mut y, "  ", note);
            }
            let _ = writeln!(y, "  - id: {}", quoted(&e.id));
            opt(&mut y, "    ", "description", e.description.as_deref());
            if !e.root.is_empty() {
                let _ = writeln!(y, "    root: {}", quoted(&e.root.join(".")));
            }
            let accepts: Vec<&str> = e.code_accepts.iter().map(|t| t.name()).collect();
            let _ = writeln!(
                y,
                "    code: {{ field: {}, accepts: [{}] }}",
                quoted(&e.code_field),
                accepts.join(", ")
            );
            opt(&mut y, "    ", "message", e.message.as_deref());
            if !e.fields.is_empty() {
                y.push_str("    fields:\n");
                for (name, ty, description) in &e.fields {
                    let _ = writeln!(y, "      - name: {}", quoted(name));
                    let _ = writeln!(y, "        type: {}", ty.name());
                    opt(&mut y, "        ", "description", description.as_deref());
                }
            }
            if !e.statuses.is_empty() {
                let list: Vec<String> = e.statuses.iter().map(u16::to_string).collect();
                let _ = writeln!(y, "    statuses: [{}]", list.join(", "));
            }
            opt(&mut y, "    ", "example", e.example.as_deref());
        }

        if !self.statuses.is_empty() {
            y.push_str("\nstatuses:\n");
            for s in &self.statuses {
                let _ = writeln!(y, "  - status: {}", s.number);
                let _ = writeln!(y, "    name: {}", quoted(&s.name));
                opt(&mut y, "    ", "description", s.description.as_deref());
                opt(&mut y, "    ", "retry", s.retry.as_deref());
                list(&mut y, "    ", "inferred", &s.inferred);
            }
        }

        if !self.policies.is_empty() {
            y.push_str("\nretry:\n  policies:\n");
            for p in &self.policies {
                let _ = writeln!(y, "    {}:", quoted(&p.name));
                opt(&mut y, "      ", "description", p.description.as_deref());
                if let Some(ms) = p.initial_ms {
                    let _ = writeln!(y, "      initial: {}", duration(ms));
                }
                if let Some(m) = p.multiplier {
                    let _ = writeln!(y, "      multiplier: {m}");
                }
                if let Some(ms) = p.max_delay_ms {
                    let _ = writeln!(y, "      max_delay: {}", duration(ms));
                }
                if let Some(n) = p.max_attempts {
                    let _ = writeln!(y, "      max_attempts: {n}");
                }
                if let Some(j) = p.jitter {
                    let _ = writeln!(
                        y,
                        "      jitter: {}",
                        match j {
                            JitterKind::None => "none",
                            JitterKind::Full => "full",
                            JitterKind::Equal => "equal",
                        }
                    );
                }
                if let Some((header, default_ms, cap_ms)) = &p.retry_after {
                    let _ = write!(
                        y,
                        "      retry_after: {{ header: {}, default: {}",
                        quoted(header),
                        duration(*default_ms)
                    );
                    if let Some(cap) = cap_ms {
                        let _ = write!(y, ", cap: {}", duration(*cap));
                    }
                    y.push_str(" }\n");
                }
                list(&mut y, "      ", "inferred", &p.inferred);
            }
        }

        if !self.categories.is_empty() {
            y.push_str("\ncategories:\n");
            for c in &self.categories {
                let _ = writeln!(y, "  - id: {}", quoted(&c.id));
                let _ = writeln!(y, "    title: {}", quoted(&c.title));
                opt(&mut y, "    ", "description", c.description.as_deref());
            }
        }

        y.push_str("\ncodes:\n");
        for c in &self.codes {
            y.push_str(&code_entry(c));
        }
        y
    }

    /// The draft read back as a spec named `file`, through every check a spec goes through.
    pub fn check(&self, file: &str) -> Result<ir::Api, Diagnostics> {
        crate::parse(&self.to_yaml(), file)
    }
}

/// One `codes` entry, indented as a top-level list item.
fn code_entry(c: &DraftCode) -> String {
    let mut y = String::new();
    if let Some(note) = &c.note {
        comment(&mut y, "  ", note);
    }
    let _ = writeln!(
        y,
        "  - code: {}",
        c.code.as_ref().map_or_else(|| "\"\"".to_owned(), wire)
    );
    if !c.aliases.is_empty() {
        let aliases: Vec<String> = c.aliases.iter().map(wire).collect();
        let _ = writeln!(y, "    aliases: [{}]", aliases.join(", "));
    }
    opt(&mut y, "    ", "variant", c.variant.as_deref());
    if let Some(status) = c.status {
        let _ = writeln!(y, "    status: {status}");
    }
    if let Some(severity) = c.severity {
        let _ = writeln!(y, "    severity: {}", severity.name());
    }
    opt(&mut y, "    ", "category", c.category.as_deref());
    let _ = writeln!(y, "    message: {}", quoted(&c.message));
    opt(&mut y, "    ", "description", c.description.as_deref());
    opt(&mut y, "    ", "solution", c.solution.as_deref());
    list(&mut y, "    ", "causes", &c.causes);
    opt(&mut y, "    ", "docs_url", c.docs_url.as_deref());
    opt(&mut y, "    ", "envelope", c.envelope.as_deref());
    opt(&mut y, "    ", "retry", c.retry.as_deref());
    list(&mut y, "    ", "inferred", &c.inferred);
    match &c.deprecated {
        Some(DraftDeprecated {
            note: None,
            replaced_by: None,
        }) => y.push_str("    deprecated: true\n"),
        Some(d) => {
            y.push_str("    deprecated:\n");
            opt(&mut y, "      ", "note", d.note.as_deref());
            if let Some(r) = &d.replaced_by {
                let _ = writeln!(y, "      replaced_by: {}", wire(r));
            }
        }
        None => {}
    }
    y
}

/// One `statuses` entry.
fn status_entry(s: &DraftStatus) -> String {
    let mut y = String::new();
    let _ = writeln!(y, "  - status: {}", s.number);
    let _ = writeln!(y, "    name: {}", quoted(&s.name));
    opt(&mut y, "    ", "description", s.description.as_deref());
    opt(&mut y, "    ", "retry", s.retry.as_deref());
    list(&mut y, "    ", "inferred", &s.inferred);
    y
}

/// One `categories` entry.
fn category_entry(c: &DraftCategory) -> String {
    let mut y = String::new();
    let _ = writeln!(y, "  - id: {}", quoted(&c.id));
    let _ = writeln!(y, "    title: {}", quoted(&c.title));
    opt(&mut y, "    ", "description", c.description.as_deref());
    y
}

/// What [`Draft::merge_into`] did to an existing spec.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Merge {
    /// The existing spec with the additions, every line it had kept as it was.
    pub text: String,
    /// The wire values of the codes added.
    pub added_codes: Vec<String>,
    /// The statuses added (those the added codes come with).
    pub added_statuses: Vec<u16>,
    /// The categories added (those the added codes are in).
    pub added_categories: Vec<String>,
    /// The spec's codes the source no longer lists (kept: the spec is the truth).
    pub not_in_source: Vec<String>,
    /// Codes both have whose message differs: the spec's text is kept.
    pub text_differs: Vec<String>,
    /// Whether `version: 2` was added, because the additions need it.
    pub upgraded: bool,
}

impl Draft {
    /// Merges the draft into the existing spec `existing` (named `file`): adds the codes the
    /// spec lacks, with the statuses and categories they need, at the end of its lists, and
    /// reports what the spec has that the source no longer lists. Every line of the spec is
    /// kept as written, hand-written text included; the result is checked like any spec.
    pub fn merge_into(&self, existing: &str, file: &str) -> Result<Merge, ImportError> {
        let api = crate::parse(existing, file).map_err(|d| {
            ImportError::new(
                file,
                None,
                format!("the spec to merge into is not valid:\n{d}"),
                Some("fix the spec first (`errspec lint`)".into()),
            )
        })?;
        let mut known: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (i, c) in api.codes.iter().enumerate() {
            known.insert(&c.wire, i);
            for a in &c.aliases {
                known.insert(a, i);
            }
        }
        let mut merge = Merge::default();
        let mut source_wires: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut codes = Vec::new();
        for c in &self.codes {
            let Some(code) = &c.code else { continue };
            let wires: Vec<String> = std::iter::once(code)
                .chain(&c.aliases)
                .map(Wire::to_string)
                .collect();
            source_wires.extend(wires.iter().cloned());
            match wires.iter().find_map(|w| known.get(w.as_str())) {
                Some(&i) => {
                    if api.codes[i].message != c.message {
                        merge.text_differs.push(api.codes[i].wire.clone());
                    }
                }
                None => codes.push(c.clone()),
            }
        }
        for c in &api.codes {
            if !std::iter::once(&c.wire)
                .chain(&c.aliases)
                .any(|w| source_wires.contains(w))
            {
                merge.not_in_source.push(c.wire.clone());
            }
        }
        let mut statuses = Vec::new();
        let mut categories = Vec::new();
        for c in &mut codes {
            if let Some(n) = c.status {
                if !api.statuses.iter().any(|s| s.number == n) {
                    match self.statuses.iter().find(|s| s.number == n) {
                        Some(s) if !statuses.contains(s) => statuses.push(s.clone()),
                        Some(_) => {}
                        None => c.status = None,
                    }
                }
            }
            if let Some(id) = c.category.clone() {
                if !api.categories.iter().any(|k| k.id == id) {
                    match self.categories.iter().find(|k| k.id == id) {
                        Some(k) if !categories.contains(k) => categories.push(k.clone()),
                        Some(_) => {}
                        None => c.category = None,
                    }
                }
            }
            let mut dropped = Vec::new();
            if let Some(e) = &c.envelope {
                if !api.envelopes.iter().any(|x| &x.id == e) {
                    dropped.push(format!("envelope `{e}`"));
                    c.envelope = None;
                }
            }
            if let Some(p) = &c.retry {
                if !api.policies.iter().any(|x| &x.name == p) {
                    dropped.push(format!("retry policy `{p}`"));
                    c.retry = None;
                }
            }
            // A policy a new status names must exist too.
            if !dropped.is_empty() {
                let note = format!(
                    "added by `errspec import`; the source names {}, which this spec does not define",
                    dropped.join(" and ")
                );
                c.note = Some(match c.note.take() {
                    Some(n) => format!("{n}\n{note}"),
                    None => note,
                });
            }
        }
        for s in &mut statuses {
            if let Some(p) = &s.retry {
                if !api.policies.iter().any(|x| &x.name == p) {
                    s.retry = None;
                }
            }
        }
        let needs_v2 = codes.iter().any(|c| {
            c.status.is_none()
                || !c.aliases.is_empty()
                || c.severity.is_some()
                || !c.causes.is_empty()
                || c.docs_url.is_some()
        });
        let mut text = existing.to_owned();
        if !statuses.is_empty() {
            let entries: String = statuses.iter().map(status_entry).collect();
            text = append_to_list(&text, "statuses", &entries, file)?;
        }
        if !categories.is_empty() {
            let entries: String = categories.iter().map(category_entry).collect();
            text = append_to_list(&text, "categories", &entries, file)?;
        }
        if !codes.is_empty() {
            let entries: String = codes.iter().map(code_entry).collect();
            text = append_to_list(&text, "codes", &entries, file)?;
        }
        if needs_v2 && api.version < 2 {
            text = with_version_2(&text);
            merge.upgraded = true;
        }
        crate::parse(&text, file).map_err(|d| {
            ImportError::new(
                file,
                None,
                format!("the merged spec does not validate:\n{d}"),
                Some(
                    "merge by hand: `errspec import` without `--merge` writes the source's spec"
                        .into(),
                ),
            )
        })?;
        merge.added_codes = codes
            .iter()
            .filter_map(|c| c.code.as_ref().map(Wire::to_string))
            .collect();
        merge.added_statuses = statuses.iter().map(|s| s.number).collect();
        merge.added_categories = categories.into_iter().map(|k| k.id).collect();
        merge.text = text;
        Ok(merge)
    }
}

/// `text` with `entries` (list items indented by two spaces) at the end of its top-level list
/// `key`, re-indented as that list's items are; a list the spec does not have is added at the
/// end.
fn append_to_list(text: &str, key: &str, entries: &str, file: &str) -> Result<String, ImportError> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    fn key_rest<'a>(line: &'a str, key: &str) -> Option<&'a str> {
        line.strip_prefix(key)
            .and_then(|rest| rest.strip_prefix(':'))
            .map(str::trim)
    }
    let is_key = |line: &'_ str| key_rest(line, key).is_some();
    let Some(start) = lines.iter().position(|l| is_key(l)) else {
        let mut out = text.to_owned();
        if !out.ends_with('\n') {
            out.push('\n');
        }
        let _ = write!(out, "\n{key}:\n{entries}");
        return Ok(out);
    };
    let rest = key_rest(lines[start], key).unwrap_or("");
    let rest = rest.split(" #").next().unwrap_or("").trim();
    if rest == "[]" {
        let mut out: String = lines[..start].concat();
        let _ = write!(out, "{key}:\n{entries}");
        out.push_str(&lines[start + 1..].concat());
        return Ok(out);
    }
    if !rest.is_empty() && !rest.starts_with('#') {
        return Err(ImportError::new(
            file,
            Some(format!("line {}", start + 1)),
            format!("`{key}` is written in flow style, which a merge cannot add to"),
            Some(format!(
                "write `{key}:` as a block list (one `- ` item a line) and merge again"
            )),
        ));
    }
    // The list ends before the next line at column 0 that is not a list item; comments and
    // blank lines just before that line belong to what follows.
    let mut end = lines.len();
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        let first = line.chars().next();
        if matches!(first, Some(c) if c != ' ' && c != '-' && c != '#' && c != '\n' && c != '\r') {
            end = i;
            break;
        }
    }
    while end > start + 1 && {
        let l = lines[end - 1].trim();
        l.is_empty() || (l.starts_with('#') && !lines[end - 1].starts_with(' '))
    } {
        end -= 1;
    }
    let indent = lines[start + 1..end]
        .iter()
        .find_map(|l| {
            let trimmed = l.trim_start_matches(' ');
            trimmed.starts_with("- ").then(|| l.len() - trimmed.len())
        })
        .unwrap_or(2);
    let reindented: String = entries
        .split_inclusive('\n')
        .map(|l| {
            let body = l.strip_prefix("  ").unwrap_or(l);
            format!("{}{body}", " ".repeat(indent))
        })
        .collect();
    let mut out: String = lines[..end].concat();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&reindented);
    out.push_str(&lines[end..].concat());
    Ok(out)
}

/// `text` with `version: 2` before its first top-level key (after the leading comments).
fn with_version_2(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 12);
    let mut done = false;
    for line in text.split_inclusive('\n') {
        if !done {
            if line.starts_with("version:") {
                out.push_str("version: 2\n");
                done = true;
                continue;
            }
            if !line.starts_with('#') && !line.trim().is_empty() {
                out.push_str("version: 2\n");
                done = true;
            }
        }
        out.push_str(line);
    }
    out
}

/// A YAML double-quoted scalar holding `text` exactly. The JSON escapes are YAML's; NEL, LS,
/// PS and the byte-order mark, which JSON leaves raw, are escaped too, since YAML readers
/// disagree on whether they break a line.
pub fn quoted(text: &str) -> String {
    // A `str` always serializes; the fallback is never taken.
    let json = serde_json::to_string(text).unwrap_or_default();
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            // DEL and the controls past ASCII (C1), which JSON leaves raw and YAML does not
            // allow raw.
            c if c == '\u{7f}' || ('\u{80}'..='\u{9f}').contains(&c) => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

fn wire(w: &Wire) -> String {
    match w {
        Wire::Str(s) => quoted(s),
        Wire::Int(n) => n.to_string(),
    }
}

fn opt(y: &mut String, indent: &str, key: &str, value: Option<&str>) {
    if let Some(v) = value {
        let _ = writeln!(y, "{indent}{key}: {}", quoted(v));
    }
}

fn list(y: &mut String, indent: &str, key: &str, values: &[String]) {
    if !values.is_empty() {
        let items: Vec<String> = values.iter().map(|v| quoted(v)).collect();
        let _ = writeln!(y, "{indent}{key}: [{}]", items.join(", "));
    }
}

/// `text` as `#` comment lines, line breaks and controls flattened.
fn comment(y: &mut String, indent: &str, text: &str) {
    for line in text.lines() {
        let _ = writeln!(y, "{indent}# {}", one_line(line));
    }
}

fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// Milliseconds as a spec duration: `1h`, `1m`, `1s` or `500ms`.
fn duration(ms: u64) -> String {
    if ms > 0 && ms % 3_600_000 == 0 {
        format!("{}h", ms / 3_600_000)
    } else if ms > 0 && ms % 60_000 == 0 {
        format!("{}m", ms / 60_000)
    } else if ms > 0 && ms % 1_000 == 0 {
        format!("{}s", ms / 1_000)
    } else {
        format!("{ms}ms")
    }
}

impl From<CodeType> for DraftCodeType {
    fn from(t: CodeType) -> Self {
        match t {
            CodeType::String => DraftCodeType::String,
            CodeType::Integer => DraftCodeType::Integer,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> Draft {
        Draft {
            id: module_id("Billing API v2"),
            name: "Billing API".into(),
            source: "openapi.yaml 2.1.0".into(),
            code_type: DraftCodeType::Integer,
            envelopes: vec![DraftEnvelope {
                id: "error".into(),
                root: vec!["error".into()],
                code_field: "code".into(),
                code_accepts: vec![FieldType::Integer, FieldType::String],
                message: Some("message".into()),
                fields: vec![("details".into(), FieldType::Array, None)],
                ..DraftEnvelope::default()
            }],
            statuses: vec![DraftStatus {
                number: 429,
                name: "Too Many Requests".into(),
                retry: Some("throttled".into()),
                ..DraftStatus::default()
            }],
            policies: vec![DraftPolicy {
                name: "throttled".into(),
                initial_ms: Some(500),
                max_attempts: Some(3),
                retry_after: Some(("Retry-After".into(), 60_000, Some(3_600_000))),
                inferred: vec!["initial".into()],
                ..DraftPolicy::default()
            }],
            codes: vec![
                DraftCode {
                    code: Some(Wire::Int(3)),
                    aliases: vec![Wire::Str("INVALID_ARGUMENT".into())],
                    message: "Line one\nline \"two\"\u{2028}\ttab # not a comment: yes".into(),
                    note: Some("check this\nmultiline".into()),
                    ..DraftCode::default()
                },
                DraftCode {
                    code: Some(Wire::Int(8)),
                    status: Some(429),
                    severity: Some(Severity::Warning),
                    message: "no".into(),
                    inferred: vec!["status".into()],
                    ..DraftCode::default()
                },
            ],
            notes: vec!["pick the envelope".into()],
            ..Draft::default()
        }
    }

    #[test]
    fn a_draft_reads_back_as_the_spec_it_describes() {
        let d = draft();
        let api = d
            .check("draft.yaml")
            .unwrap_or_else(|e| panic!("{e}\n{}", d.to_yaml()));
        assert_eq!(api.id, "billing_api_v2");
        assert_eq!(api.codes.len(), 2);
        assert_eq!(api.codes[0].message, d.codes[0].message, "every byte kept");
        assert_eq!(api.codes[0].aliases, ["INVALID_ARGUMENT"]);
        assert_eq!(api.codes[1].severity, Severity::Warning);
        assert_eq!(api.policies[0].initial_ms, 500);
        assert!(d.to_yaml().contains("# DECIDE: pick the envelope\n"));
        assert!(d.to_yaml().contains("  # check this\n  # multiline\n"));
    }

    const EXISTING: &str = "# Hand-written.\napi: { id: billing, name: Billing, source: page, code_type: integer }\n\
envelopes:\n  - { id: e, code: { field: code, accepts: [integer] } }\n\
statuses:\n  - { status: 400, name: Bad Request }\n\n\
# The codes, with our own words.\ncodes:\n- code: 3\n  status: 400\n  message: Our own words  # kept\n\
- code: 99\n  status: 400\n  message: Gone from the source\n\n# trailing comment\n";

    #[test]
    fn a_merge_adds_what_the_spec_lacks_and_keeps_every_line_it_has() {
        let d = draft();
        let m = d
            .merge_into(EXISTING, "billing.yaml")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(m.added_codes, ["8"]);
        assert_eq!(m.added_statuses, [429]);
        assert_eq!(m.not_in_source, ["99"]);
        assert_eq!(m.text_differs, ["3"]);
        assert!(m.upgraded, "the added code has a severity: version 2");
        for line in EXISTING.lines() {
            assert!(m.text.contains(line), "{line:?} kept");
        }
        assert!(
            m.text.contains("- code: 8\n  status: 429\n"),
            "indented as the list is:\n{}",
            m.text
        );
        assert!(m.text.ends_with("# trailing comment\n"));
        let api = crate::parse(&m.text, "billing.yaml").unwrap();
        assert_eq!(api.codes.len(), 3);
        assert_eq!(api.codes[0].message, "Our own words");
        // The policy the new status named is not in the spec: the status comes without it.
        assert_eq!(api.statuses[1].retry, None);
    }

    #[test]
    fn a_merge_into_flow_style_or_an_invalid_spec_is_refused() {
        let d = draft();
        let flow = EXISTING.replace("codes:\n- code: 3\n  status: 400\n  message: Our own words  # kept\n- code: 99\n  status: 400\n  message: Gone from the source\n", "codes: [{ code: 3, status: 400, message: x }]\n");
        let e = d.merge_into(&flow, "billing.yaml").unwrap_err();
        assert!(e.message.contains("flow style"), "{e}");
        let e = d.merge_into("api: 1\n", "bad.yaml").unwrap_err();
        assert!(e.message.contains("not valid"), "{e}");
    }

    #[test]
    fn names_become_usable_ids_and_variants() {
        assert_eq!(
            module_id("Amazon SQS (2012-11-05)"),
            "amazon_sqs_2012_11_05"
        );
        assert_eq!(module_id("3D API"), "api_3d_api");
        assert_eq!(module_id("—"), "api");
        assert_eq!(variant_name("invalid-argument"), "InvalidArgument");
        assert_eq!(variant_name("404"), "Code404");
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_quoted_back_exactly(text in "\\PC*|[\u{0}-\u{a0}\u{2028}\u{2029}\u{feff}]{0,8}") {
            let mut d = draft();
            d.codes[0].message = text.clone();
            d.codes[0].message.retain(|c| c != '\0');
            let expected = d.codes[0].message.clone();
            match d.check("draft.yaml") {
                Ok(api) => proptest::prop_assert_eq!(api.codes[0].message.clone(), expected),
                Err(e) => proptest::prop_assert!(false, "{e}\n{}", d.to_yaml()),
            }
        }
    }
}
