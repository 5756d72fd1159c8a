//! The Markdown emitter: IR → reference docs, rendered with minijinja templates. The only
//! place Markdown is emitted.
//!
//! Spec text never becomes template source: it reaches a template as a value of the context
//! below, and every value a template prints goes through one formatter that escapes it for
//! Markdown (`|`, backticks, emphasis and link characters, line breaks as `<br>`, and `<`, `>`,
//! `&` as entities, so HTML in a spec shows as text). Undefined variables are errors, as is
//! printing `none`, a list or a map, so that a typo in a template fails instead of rendering
//! blank.
//!
//! # Templates
//!
//! [`Templates::builtin`] holds the default templates of `codegen/templates/`, compiled into
//! the crate. [`Templates::from_dir`] reads a user's directory: each file named like a
//! built-in template replaces it, and any other `*.j2` file can be `{% include %}`d or
//! `{% import %}`ed. A page is rendered from:
//!
//! | template | renders | context |
//! |---|---|---|
//! | `api.md.j2` | `<api id>.md`, one API | [`ApiContext`] |
//! | `index.md.j2` | `README.md`, the list of APIs | [`IndexContext`] |
//!
//! Every output starts with an `@generated` comment the emitter adds itself, so a custom
//! template cannot lose it.
//!
//! # Filters
//!
//! Filters return Markdown that is already escaped (a *safe* value):
//!
//! | filter | gives | example |
//! |---|---|---|
//! | `code` | inline code, safe in table cells whatever the text | `{{ code.wire \| code }}` |
//! | `fence(lang)` | a fenced code block, the fence longer than any backtick run inside | `{{ envelope.example \| fence("json") }}` |
//! | `anchor` | an HTML anchor `<a id="…"></a>` for a link target | `{{ code.anchor \| anchor }}` |
//! | `link(target)` | a link; `target` starting with `#` is an anchor on the page | `{{ code.wire \| code \| link("#" ~ code.anchor) }}` |
//!
//! Values printed without a filter are escaped as text; `{% autoescape false %}` turns that off
//! for a block, for templates that want raw spec text.
//!
//! The API page has no built-in template: a direct writer produces it, 17 times faster than a
//! template giving the same page at 10,000 codes. A custom `api.md.j2` replaces it and is
//! rendered by the engine from the context above.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::Duration;

use minijinja::syntax::SyntaxConfig;
use minijinja::value::ValueKind;
use minijinja::{AutoEscape, Environment, ErrorKind, Output, State, UndefinedBehavior, Value};
use serde::Serialize;

use crate::anchor::{anchor, code_anchor};
use crate::ir::{self, CodeType, ErratumField, FieldType, JitterKind};
use crate::Error;

/// The template of an API's page.
pub const API_TEMPLATE: &str = "api.md.j2";
/// The template of the index page.
pub const INDEX_TEMPLATE: &str = "index.md.j2";
/// The file name of the index page.
pub const INDEX_FILE: &str = "README.md";

/// The built-in templates. The API page has none: [`page`] writes it, and a template named
/// [`API_TEMPLATE`] replaces it.
const BUILTIN: [(&str, &str); 1] = [(INDEX_TEMPLATE, include_str!("../templates/index.md.j2"))];

/// The command that regenerates the docs, as named in their header: the CLI's (the docs are
/// written by it, or by a build script's `Builder` with docs).
const COMMAND: &str = "errspec generate";

/// A delay table longer than this ends with one row for the remaining attempts, so that a
/// policy allowing thousands of attempts does not produce thousands of rows.
const MAX_DELAY_ROWS: usize = 10;

/// A set of compiled templates.
#[derive(Debug, Clone)]
pub struct Templates {
    env: Environment<'static>,
    /// How the pages' `@generated` comment says to regenerate them, when not the default.
    regenerate: Option<String>,
}

impl Templates {
    /// The default templates, compiled into the crate.
    pub fn builtin() -> Result<Self, Error> {
        let mut env = environment()?;
        for (name, source) in BUILTIN {
            env.add_template_owned(name, source)
                .map_err(|err| template_error(name, &err))?;
        }
        Ok(Self {
            env,
            regenerate: None,
        })
    }

    /// The same templates, their pages' `@generated` comment saying to `how` (such as
    /// ``regenerate (`errspec generate --spec-dir specs`)``) instead of the default
    /// ``regenerate (`errspec generate`)``.
    pub fn regenerate_with(mut self, how: impl Into<String>) -> Self {
        self.regenerate = Some(how.into());
        self
    }

    /// The default templates, with those in `dir` in place of the built-in ones of the same
    /// name. Every `*.j2` file in `dir` is loaded (not its subdirectories), so that the
    /// templates can include each other; the directory must hold at least one file named like
    /// a built-in template.
    pub fn from_dir(dir: &Path) -> Result<Self, Error> {
        let io = |source| Error::Io {
            path: dir.to_owned(),
            source,
        };
        let mut files = BTreeMap::new();
        for entry in fs::read_dir(dir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            if !path.is_file() {
                continue;
            }
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            // Only templates: a copy of the built-in directory holds a README too.
            if !name.ends_with(".j2") {
                continue;
            }
            let source = fs::read_to_string(&path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            files.insert(name.to_owned(), source);
        }
        if ![API_TEMPLATE, INDEX_TEMPLATE]
            .iter()
            .any(|name| files.contains_key(*name))
        {
            return Err(Error::Template(format!(
                "{} holds no template to use: name a template `{API_TEMPLATE}` or \
                 `{INDEX_TEMPLATE}` to replace the built-in one",
                dir.display()
            )));
        }
        let mut templates = Self::builtin()?;
        for (name, source) in files {
            templates
                .env
                .add_template_owned(name.clone(), source)
                .map_err(|err| template_error(&name, &err))?;
        }
        Ok(templates)
    }

    /// The reference page of one API, starting with an `@generated` comment.
    pub fn render_api(&self, api: &ir::Api) -> Result<String, Error> {
        if self.env.get_template(API_TEMPLATE).is_err() {
            return Ok(builtin_api_page(api, self.regenerate.as_deref()));
        }
        let context = ApiContext::new(api);
        let body = self.render(API_TEMPLATE, &context)?;
        Ok(with_header(
            &format!("`{}`", api.file),
            self.regenerate.as_deref(),
            &body,
        ))
    }

    /// The index of the given APIs, starting with an `@generated` comment.
    pub fn render_index(&self, apis: &[&ir::Api]) -> Result<String, Error> {
        let context = IndexContext::new(apis);
        let body = self.render(INDEX_TEMPLATE, &context)?;
        let files: Vec<String> = apis.iter().map(|a| format!("`{}`", a.file)).collect();
        Ok(with_header(
            &files.join(", "),
            self.regenerate.as_deref(),
            &body,
        ))
    }

    fn render<C: Serialize>(&self, name: &str, context: &C) -> Result<String, Error> {
        let template = self
            .env
            .get_template(name)
            .map_err(|err| template_error(name, &err))?;
        template
            .render(Value::from(minijinja::value::Serde(context)))
            .map_err(|err| template_error(name, &err))
    }
}

/// The reference page of one API, rendered with the built-in templates.
pub fn api_page(api: &ir::Api) -> Result<String, Error> {
    Templates::builtin()?.render_api(api)
}

fn environment() -> Result<Environment<'static>, Error> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::Custom("markdown".into()));
    env.set_formatter(format_value);
    // `trim_blocks` and `lstrip_blocks` let a block tag stand on its own line without leaving
    // an empty line in the output, which Markdown would read as a paragraph break.
    let syntax = SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
        .map_err(|err| Error::Template(format!("template syntax: {err}")))?;
    env.set_syntax(syntax);
    env.add_filter("code", |value: Value| {
        Value::from_safe_string(code_span(&text_of(&value)))
    });
    env.add_filter("fence", |value: Value, lang: Option<String>| {
        Value::from_safe_string(fence(&text_of(&value), lang.as_deref().unwrap_or("")))
    });
    env.add_filter("anchor", |value: Value| {
        Value::from_safe_string(format!("<a id=\"{}\"></a>", html_escape(&text_of(&value))))
    });
    env.add_filter("link", |value: Value, target: String| {
        let text = if value.is_safe() {
            text_of(&value)
        } else {
            escape_text(&text_of(&value))
        };
        // A spec's `url` could name any scheme; only those a reader can follow safely link.
        if !is_safe_target(&target) {
            return Value::from_safe_string(text);
        }
        Value::from_safe_string(format!("[{text}]({})", url_escape(&target)))
    });
    Ok(env)
}

/// A relative path, an anchor, or an `http`, `https` or `mailto` URL.
fn is_safe_target(target: &str) -> bool {
    let scheme_end = target.find(':');
    let path_start = target.find(['/', '#', '?']);
    match scheme_end {
        Some(end) if path_start.is_none_or(|start| end < start) => {
            let scheme = target[..end].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto")
        }
        _ => true,
    }
}

fn text_of(value: &Value) -> String {
    match value.as_str() {
        Some(s) => s.to_owned(),
        None => value.to_string(),
    }
}

fn template_error(name: &str, err: &minijinja::Error) -> Error {
    let mut message = format!("template `{name}`: {err}");
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        let _ = write!(message, ": {cause}");
        source = cause.source();
    }
    Error::Template(message)
}

fn with_header(from: &str, how: Option<&str>, body: &str) -> String {
    let mut out = header(from, how, body.len());
    out.push_str(body.trim_start_matches('\n').trim_end());
    out.push('\n');
    out
}

/// The `@generated` comment, in a string with room for `body_len` more bytes; `how` says how
/// to regenerate, when not the default.
fn header(from: &str, how: Option<&str>, body_len: usize) -> String {
    // `--` would end the HTML comment early.
    let from = from.replace("--", "-\u{2060}-");
    let mut out = String::with_capacity(body_len + from.len() + 160);
    match how {
        None => {
            let _ = write!(
                out,
                "<!-- @generated by errspec from {from}. Do not edit: edit the spec and regenerate\n     \
                 (`{COMMAND}`). -->\n\n"
            );
        }
        Some(how) => {
            // HTML allows `--` in a comment (the options of a command line), not what ends
            // or opens one.
            let how = crate::rust::comment_safe(how)
                .replace("-->", "-\u{2060}->")
                .replace("--!>", "-\u{2060}-!>")
                .replace("<!--", "<!-\u{2060}-");
            let _ = write!(
                out,
                "<!-- @generated by errspec from {from}. Do not edit: edit the spec and\n     \
                 {how}. -->\n\n"
            );
        }
    }
    out
}

/// The built-in page of `api`.
fn builtin_api_page(api: &ir::Api, how: Option<&str>) -> String {
    // About 1.2 KB of Markdown a code.
    let mut out = header(
        &format!("`{}`", api.file),
        how,
        1200 * api.codes.len() + 4096,
    );
    let start = out.len();
    page::body(api, &mut out);
    // As `with_header`: the body without leading line breaks and trailing white space. It
    // starts with the title.
    debug_assert!(!out[start..].starts_with('\n'));
    out.truncate(out.trim_end().len().max(start));
    out.push('\n');
    out
}

/// Prints a value: safe strings as they are, other strings escaped as Markdown text, numbers
/// and booleans as written. Anything else is a template mistake.
fn format_value(
    out: &mut Output<'_>,
    state: &mut State<'_, '_>,
    value: &Value,
) -> Result<(), minijinja::Error> {
    let raw = matches!(state.auto_escape(), AutoEscape::None);
    let text = match value.kind() {
        ValueKind::String if value.is_safe() || raw => text_of(value),
        ValueKind::String => escape_text(&text_of(value)),
        ValueKind::Number | ValueKind::Bool => value.to_string(),
        ValueKind::None => {
            return Err(minijinja::Error::new(
                ErrorKind::InvalidOperation,
                "cannot print `none`: test the value with `{% if … %}` first",
            ))
        }
        ValueKind::Undefined => {
            return Err(minijinja::Error::new(
                ErrorKind::UndefinedError,
                "cannot print an undefined value",
            ))
        }
        kind => {
            return Err(minijinja::Error::new(
                ErrorKind::InvalidOperation,
                format!("cannot print a {kind}: loop over it or use `join`"),
            ))
        }
    };
    out.write_str(&text).map_err(minijinja::Error::from)
}

/// The bidirectional embedding, override and isolate controls, which can make text display in
/// an order other than the one it is written in ("Trojan Source"). The page shows each as the
/// visible escape `\u{202e}`, as the generated rustdoc does, never the character itself.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `c` as the visible text `\u{...}`.
fn push_bidi_escape(out: &mut String, c: char, markdown: bool) {
    if markdown {
        // The backslash is escaped so that Markdown shows it.
        out.push('\\');
    }
    out.extend(c.escape_unicode());
}

/// Escapes text for Markdown so that it shows as written in a paragraph, a list item, a heading
/// or a table cell: backslash escapes for the characters that start emphasis, code, links,
/// tables, strikethrough and math; entities for `<`, `>` and `&`; `<br>` for line breaks; and an
/// escape for a first character that would start a block (heading, list, quote).
pub(crate) fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    push_escaped(&mut out, text);
    out
}

/// [`escape_text`], appended to `out`.
fn push_escaped(out: &mut String, text: &str) {
    // A number followed by `.` or `)` and a space at the start would begin an ordered list.
    let bytes = text.as_bytes();
    let leading_digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    // Most text holds none of the characters escaped anywhere, starts with none of those
    // escaped at the start, and is no list number: it stays as it is.
    let unchanged = !matches!(
        bytes.first(),
        Some(b'#' | b'-' | b'+' | b'=' | b' ' | b'\t')
    ) && (leading_digits == 0
        || !matches!(bytes.get(leading_digits), Some(b'.' | b')')))
        && !text.contains(is_bidi_control)
        && !bytes.iter().any(|b| {
            matches!(
                b,
                b'\r'
                    | b'\n'
                    | b'&'
                    | b'<'
                    | b'>'
                    | b'\\'
                    | b'`'
                    | b'*'
                    | b'['
                    | b']'
                    | b'|'
                    | b'~'
                    | b'$'
                    | b'_'
            )
        });
    if unchanged {
        out.push_str(text);
        return;
    }
    let mut chars = text.chars().peekable();
    let mut prev: Option<char> = None;
    let mut i = 0;
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        match c {
            '\r' if next == Some('\n') => {}
            '\r' | '\n' => out.push_str("<br>"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '[' | ']' | '|' | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            // An underscore between two letters or digits cannot start or end emphasis, so
            // snake_case stays readable in the Markdown source.
            '_' if prev.is_some_and(char::is_alphanumeric)
                && next.is_some_and(char::is_alphanumeric) =>
            {
                out.push('_');
            }
            '_' => out.push_str("\\_"),
            '#' | '-' | '+' | '=' if i == 0 && !next.is_some_and(char::is_alphanumeric) => {
                out.push('\\');
                out.push(c);
            }
            '.' | ')'
                if i > 0 && i == leading_digits && !next.is_some_and(char::is_alphanumeric) =>
            {
                out.push('\\');
                out.push(c);
            }
            ' ' if i == 0 => out.push_str("&#32;"),
            '\t' if i == 0 => out.push_str("&#9;"),
            c if is_bidi_control(c) => push_bidi_escape(out, c, true),
            _ => out.push(c),
        }
        prev = Some(c);
        i += 1;
    }
}

fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_html_escaped(&mut out, text);
    out
}

fn push_html_escaped(out: &mut String, text: &str) {
    if !text.contains(['&', '<', '>', '"', '\'']) && !text.contains(is_bidi_control) {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        match c {
            c if is_bidi_control(c) => push_bidi_escape(out, c, false),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// Inline code. Plain text becomes a backtick code span; text that a code span cannot hold
/// safely (backticks, `|` that would split a table cell, line breaks, spaces at either end, or
/// nothing at all) becomes a `<code>` element with escaped content.
fn code_span(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    push_code_span(&mut out, text);
    out
}

fn push_code_span(out: &mut String, text: &str) {
    let plain = !text.is_empty()
        && !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains(['`', '|', '\n', '\r'])
        && !text.contains(is_bidi_control);
    if plain {
        out.push('`');
        out.push_str(text);
        out.push('`');
    } else {
        out.push_str("<code>");
        push_escaped(out, text);
        out.push_str("</code>");
    }
}

/// A fenced code block holding `text` verbatim.
fn fence(text: &str, lang: &str) -> String {
    let fence = "`".repeat(crate::rustdoc::longest_backtick_run(text).max(2) + 1);
    let lang: String = lang
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
        .collect();
    let body = text.trim_end_matches(['\n', '\r']);
    // A fence shows its text verbatim, so a bidirectional control is written as its escape.
    let body = if body.contains(is_bidi_control) {
        let mut safe = String::with_capacity(body.len() + 16);
        for c in body.chars() {
            match c {
                c if is_bidi_control(c) => push_bidi_escape(&mut safe, c, false),
                c => safe.push(c),
            }
        }
        std::borrow::Cow::Owned(safe)
    } else {
        std::borrow::Cow::Borrowed(body)
    };
    format!("{fence}{lang}\n{body}\n{fence}")
}

/// Percent-encodes what may not stand in a Markdown link destination as it is.
fn url_escape(target: &str) -> String {
    let mut out = String::with_capacity(target.len());
    push_url_escaped(&mut out, target);
    out
}

fn push_url_escaped(out: &mut String, target: &str) {
    // Anchors, the most frequent targets, need no escape.
    if target
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'#'))
    {
        out.push_str(target);
        return;
    }
    for byte in target.bytes() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(
                byte,
                b'-' | b'_'
                    | b'.'
                    | b'~'
                    | b'#'
                    | b'/'
                    | b':'
                    | b'?'
                    | b'='
                    | b'&'
                    | b'%'
                    | b'+'
                    | b'@'
                    | b'!'
                    | b','
                    | b';'
            );
        if keep {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

/// A duration in words: `500 ms`, `1.5 s`, `30 s`, `2 min`, `1 h`.
pub(crate) fn format_duration(ms: f64) -> String {
    fn trimmed(value: f64) -> String {
        let text = format!("{value:.3}");
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
    if ms >= 3_600_000.0 && ms % 3_600_000.0 == 0.0 {
        format!("{} h", trimmed(ms / 3_600_000.0))
    } else if ms >= 60_000.0 && ms % 60_000.0 == 0.0 {
        format!("{} min", trimmed(ms / 60_000.0))
    } else if ms >= 1000.0 {
        format!("{} s", trimmed(ms / 1000.0))
    } else {
        format!("{} ms", trimmed(ms))
    }
}

fn duration(ms: u64) -> String {
    format_duration(ms as f64)
}

/// The context of `api.md.j2`: one API.
#[derive(Clone, Debug, Serialize)]
pub struct ApiContext {
    /// The API itself.
    pub api: ApiInfo,
    /// The error body shapes, in the spec's order.
    pub envelopes: Vec<EnvelopeInfo>,
    /// The documented statuses, in the spec's order.
    pub statuses: Vec<StatusInfo>,
    /// The codes grouped by category, in the spec's order of categories; codes without a
    /// category form a last group whose `id` is `none`.
    pub groups: Vec<GroupInfo>,
    /// Every code, in the spec's order.
    pub codes: Vec<CodeInfo>,
    /// The retry policies, by name.
    pub policies: Vec<PolicyInfo>,
    /// The wait signals and retry budget, one Markdown line each ([`retry_extras`]).
    pub retry_extras: Vec<String>,
    /// The documented limits.
    pub limits: Vec<LimitInfo>,
    /// The problems the page describes without a code of their own.
    pub common_errors: Vec<CommonErrorInfo>,
    /// Every place the page contradicts itself, those recorded under a code included.
    pub errata: Vec<ErratumInfo>,
    /// Whether any fact on the page is inferred, so that the page explains the mark.
    pub has_inferred: bool,
}

/// The API: `api` in [`ApiContext`].
#[derive(Clone, Debug, Serialize)]
pub struct ApiInfo {
    /// The module name, `api.id`.
    pub id: String,
    /// The API's name.
    pub name: String,
    /// The spec's file name.
    pub file: String,
    /// What the tables were transcribed from.
    pub source: String,
    /// Where that document is published, or `none`.
    pub url: Option<String>,
    /// What the API is, or `none`.
    pub description: Option<String>,
    /// `string` or `integer`.
    pub code_type: &'static str,
    /// The page's statement that more codes may come, or `none`.
    pub forward_compatibility: Option<String>,
}

/// A reference to a code, for lists and links.
#[derive(Clone, Debug, Serialize)]
pub struct CodeRef {
    /// The wire value.
    pub wire: String,
    /// The anchor of the code's entry ([`code_anchor`]).
    pub anchor: String,
    /// The Rust variant.
    pub variant: String,
}

/// A reference to a named entry (policy, limit, category, erratum) and its anchor.
#[derive(Clone, Debug, Serialize)]
pub struct Ref {
    /// The entry's name or number.
    pub name: String,
    /// The anchor of its entry.
    pub anchor: String,
}

/// An error body shape.
#[derive(Clone, Debug, Serialize)]
pub struct EnvelopeInfo {
    /// Its id in the spec.
    pub id: String,
    /// Its anchor.
    pub anchor: String,
    /// The page's description, or `none`.
    pub description: Option<String>,
    /// The dotted path of the object holding the fields, or `none` for the body itself.
    pub root: Option<String>,
    /// The field holding the code.
    pub code_field: String,
    /// The JSON types the code has on the wire (`string`, `integer`).
    pub code_types: Vec<&'static str>,
    /// The field holding the message, or `none`.
    pub message_field: Option<String>,
    /// The other documented fields.
    pub fields: Vec<FieldInfo>,
    /// The statuses the shape is documented for; empty: any.
    pub statuses: Vec<u16>,
    /// An example body: the page's, or one errspec builds from the fields when the page has
    /// none.
    pub example: String,
    /// Whether `example` is the page's own.
    pub example_from_page: bool,
    /// The codes documented to come in this shape.
    pub codes: Vec<CodeRef>,
}

/// A documented field of an envelope.
#[derive(Clone, Debug, Serialize)]
pub struct FieldInfo {
    /// The JSON name.
    pub name: String,
    /// The JSON type: `string`, `integer`, `boolean`, `array`, `object` or `any`.
    #[serde(rename = "type")]
    pub ty: &'static str,
    /// The page's description, or `none`.
    pub description: Option<String>,
}

/// A documented HTTP status.
#[derive(Clone, Debug, Serialize)]
pub struct StatusInfo {
    /// The number.
    pub number: u16,
    /// The page's name.
    pub name: String,
    /// Its anchor, `status-<number>`.
    pub anchor: String,
    /// The page's description, or `none`.
    pub description: Option<String>,
    /// Its retry policy, or `none`.
    pub retry: Option<Ref>,
    /// The fields the page does not state (`name`, `description`, `retry`).
    pub inferred: Vec<String>,
    /// The codes that come with it.
    pub codes: Vec<CodeRef>,
}

/// A group of codes: a category, or the codes without one.
#[derive(Clone, Debug, Serialize)]
pub struct GroupInfo {
    /// The category id, or `none` for the codes without a category.
    pub id: Option<String>,
    /// The title.
    pub title: String,
    /// Its anchor.
    pub anchor: String,
    /// The section's introduction, or `none`.
    pub description: Option<String>,
    /// The fields the page does not state (`title`, `description`).
    pub inferred: Vec<String>,
    /// The codes, in the spec's order.
    pub codes: Vec<CodeInfo>,
}

/// A documented code.
#[derive(Clone, Debug, Serialize)]
pub struct CodeInfo {
    /// The wire value.
    pub wire: String,
    /// Its anchor ([`code_anchor`]).
    pub anchor: String,
    /// The Rust variant.
    pub variant: String,
    /// The status number, or `none` when the documentation states none for the code.
    pub status: Option<u16>,
    /// The status's name, or `none`.
    pub status_name: Option<String>,
    /// The status's anchor, or `none`.
    pub status_anchor: Option<String>,
    /// `error`, `warning`, `info` or `success`.
    pub severity: String,
    /// Whether the code reports an error (its severity is not `success`).
    pub is_error: bool,
    /// What the documentation says can cause the error.
    pub causes: Vec<String>,
    /// The address of the code's documentation, or `none`.
    pub docs_url: Option<String>,
    /// Whether the code is deprecated.
    pub deprecated: bool,
    /// Why it is deprecated, or `none`.
    pub deprecation_note: Option<String>,
    /// The code that replaces it, or `none`.
    pub replaced_by: Option<CodeRef>,
    /// The category, or `none`.
    pub category: Option<Ref>,
    /// The category's title, or `none`.
    pub category_title: Option<String>,
    /// The documented message.
    pub message: String,
    /// The page's explanation, or `none`.
    pub description: Option<String>,
    /// The documented solution, or `none`.
    pub solution: Option<String>,
    /// The envelope the code comes in, or `none`.
    pub envelope: Option<Ref>,
    /// The retry policy that applies, or `none` when the code is not retried.
    pub retry: Option<Ref>,
    /// Whether `retry` is the status's policy rather than the code's own.
    pub retry_from_status: bool,
    /// The page's example body, verbatim, or `none`.
    pub example: Option<String>,
    /// The fields the page does not state (`status`, `category`, `message`, `description`,
    /// `solution`, `envelope`, `retry`).
    pub inferred: Vec<String>,
    /// Wrong values the page shows that are accepted on the wire as this code.
    pub aliases: Vec<String>,
    /// The limit the code reports, or `none`.
    pub limit: Option<Ref>,
    /// The errata concerning the code (`name` is the erratum's number).
    pub errata: Vec<Ref>,
}

/// One Markdown line per wait signal the spec declares, in its order, then one for the retry
/// budget: what the reference page lists under "Wait signals and retry budget" (the templates'
/// `retry_extras`).
pub fn retry_extras(api: &crate::ir::Api) -> Vec<String> {
    use crate::ir::{BudgetKind, BudgetPreset, CombineKind, SignalKind};
    let mut lines = Vec::new();
    for signal in &api.signals {
        let mut line = String::new();
        let (what, gives_delay) = match signal.kind {
            SignalKind::RetryAfter => ("seconds or an HTTP date to wait", true),
            SignalKind::Seconds => ("the seconds to wait", true),
            SignalKind::Milliseconds => ("the milliseconds to wait", true),
            SignalKind::Pushback => (
                "the milliseconds to wait (gRPC pushback); a negative or unreadable value means do not retry",
                true,
            ),
            SignalKind::ShouldRetry => ("`true` or `false`: whether to retry", false),
            SignalKind::Ratelimit => (
                "the IETF rate-limit state (with `RateLimit-Policy`); a policy with no quota left (`r=0`) means wait its reset (`t`)",
                true,
            ),
            SignalKind::BodySeconds => ("the seconds to wait", true),
            SignalKind::BodyMilliseconds => ("the milliseconds to wait", true),
        };
        let body = matches!(
            signal.kind,
            SignalKind::BodySeconds | SignalKind::BodyMilliseconds
        );
        line.push_str(if body { "Body field " } else { "Header " });
        push_code_span(&mut line, &signal.name);
        line.push_str(": ");
        line.push_str(what);
        if gives_delay {
            line.push_str(", at most ");
            push_escaped(&mut line, &duration(signal.cap_ms));
            line.push_str(match signal.combine {
                CombineKind::Replace => "; it replaces the policy's delay",
                CombineKind::Max => "; the longer of it and the policy's delay is waited",
            });
        }
        if let Some(policy) = signal.policy.and_then(|i| api.policies.get(i)) {
            line.push_str("; a `true` retries an error no policy covers by ");
            push_code_span(&mut line, &policy.name);
        }
        line.push('.');
        lines.push(line);
    }
    if let Some(budget) = &api.budget {
        let mut line = String::from("**Retry budget**");
        match budget.preset {
            Some(BudgetPreset::AwsStandard) => line.push_str(" (AWS standard retry mode)"),
            Some(BudgetPreset::Grpc) => line.push_str(" (gRPC retry throttling, gRFC A6)"),
            None => {}
        }
        line.push_str(", shared by every clone of a client: ");
        let n = |x: f64| x.to_string();
        match budget.kind {
            BudgetKind::Quota {
                capacity,
                throttling_cost,
                transient_cost,
                timeout_cost,
                success_refill,
                refund,
            } => {
                let _ = write!(
                    line,
                    "{} tokens; a retry costs {} ({} for a throttling error, {} after a \
                     timeout) and is not made when the bucket holds less; a success adds {}",
                    n(capacity),
                    n(transient_cost),
                    n(throttling_cost),
                    n(timeout_cost),
                    n(success_refill),
                );
                if refund {
                    line.push_str(", or gives back its last retry's cost");
                }
                line.push('.');
            }
            BudgetKind::Throttling {
                max_tokens,
                token_ratio,
            } => {
                let _ = write!(
                    line,
                    "{} tokens; each retryable failure takes 1, each success adds {}; retries \
                     are made only while more than {} remain.",
                    n(max_tokens),
                    n(token_ratio),
                    n(max_tokens / 2.0),
                );
            }
        }
        lines.push(line);
    }
    lines
}

/// A retry policy.
#[derive(Clone, Debug, Serialize)]
pub struct PolicyInfo {
    /// Its name in the spec.
    pub name: String,
    /// Its anchor.
    pub anchor: String,
    /// What it is for, or `none`.
    pub description: Option<String>,
    /// `exponential`, or `constant` when the multiplier is 1.
    pub backoff: &'static str,
    /// The delay after the first failed attempt, in words (`1 s`).
    pub initial: String,
    /// The factor each further delay grows by, as written (`2`, `1.5`).
    pub multiplier: String,
    /// The longest backoff delay, in words.
    pub max_delay: String,
    /// Requests in all, the first included.
    pub max_attempts: u32,
    /// Retries at most: `max_attempts − 1`.
    pub retries: u32,
    /// `none`, `full` or `equal`.
    pub jitter: &'static str,
    /// How `Retry-After` is honoured, or `none`.
    pub retry_after: Option<RetryAfterInfo>,
    /// The methods it may send again, or `none` for the idempotent ones.
    pub methods: Option<Vec<String>>,
    /// The fields the page does not state.
    pub inferred: Vec<String>,
    /// The delay after each failed attempt, `initial × multiplier^(n − 1)` capped at
    /// `max_delay`, for attempts 1 to `max_attempts − 1`; a run of equal delays and a very
    /// long table end in one row for a range of attempts.
    pub delays: Vec<DelayRow>,
    /// The statuses that use it.
    pub statuses: Vec<u16>,
    /// The codes that name it as their own.
    pub codes: Vec<CodeRef>,
}

/// How a policy honours `Retry-After`.
#[derive(Clone, Debug, Serialize)]
pub struct RetryAfterInfo {
    /// The header's name.
    pub header: String,
    /// The delay when the header is missing or unusable, in words.
    pub default: String,
    /// The longest delay taken from the header, in words.
    pub cap: String,
}

/// One row of a delay table.
#[derive(Clone, Debug, Serialize)]
pub struct DelayRow {
    /// The failed attempt (`1`), or a range of them (`3–9`).
    pub attempt: String,
    /// The backoff delay in words, or a range (`16 s to 30 s`) for a row of several attempts.
    pub delay: String,
    /// The range the jitter draws the wait from (`0 to 1 s`); the delay itself without jitter.
    pub jittered: String,
}

/// A documented limit.
#[derive(Clone, Debug, Serialize)]
pub struct LimitInfo {
    /// Its id.
    pub id: String,
    /// Its anchor.
    pub anchor: String,
    /// The maximum.
    pub max: u32,
    /// The window in words, or `none` for a limit on concurrency.
    pub per: Option<String>,
    /// What is counted.
    pub scope: String,
    /// The page's wording.
    pub description: String,
    /// The codes that report it.
    pub codes: Vec<CodeRef>,
    /// The fields the page does not state (`max`, `per`, `scope`, `codes`).
    pub inferred: Vec<String>,
}

/// A problem the page describes without a code of its own.
#[derive(Clone, Debug, Serialize)]
pub struct CommonErrorInfo {
    /// Its id.
    pub id: String,
    /// The page's title.
    pub title: String,
    /// The page's solution.
    pub solution: String,
    /// The codes it is reported with.
    pub codes: Vec<CodeRef>,
    /// The limit behind it, or `none`.
    pub limit: Option<Ref>,
    /// The fields the page does not state (`codes`, `limit`).
    pub inferred: Vec<String>,
}

/// A place where the page contradicts itself.
#[derive(Clone, Debug, Serialize)]
pub struct ErratumInfo {
    /// Its number on the page, from 1.
    pub number: usize,
    /// Its anchor, `erratum-<number>`.
    pub anchor: String,
    /// Which part of the page is wrong: `code`, `status`, `message`, `heading`, `type` or
    /// `body`.
    pub field: &'static str,
    /// That part in words (`The error code in an example body`).
    pub field_text: &'static str,
    /// What the page shows, verbatim.
    pub page_shows: String,
    /// What is wrong and what the spec does about it.
    pub description: String,
    /// The codes concerned.
    pub codes: Vec<CodeRef>,
    /// What the spec documents instead, in words (`status 422 Unprocessable Entity`), or
    /// `none` when the erratum concerns no single value.
    pub documented: Option<String>,
    /// Whether `page_shows` is accepted on the wire as the code concerned.
    pub alias: bool,
    /// The documented code a body showing `page_shows` is read as, or `none`.
    pub read_as: Option<CodeRef>,
}

/// The context of `index.md.j2`.
#[derive(Clone, Debug, Serialize)]
pub struct IndexContext {
    /// The APIs, in the order given (the specs' file order).
    pub apis: Vec<IndexEntry>,
}

/// One API in the index.
#[derive(Clone, Debug, Serialize)]
pub struct IndexEntry {
    /// The module name.
    pub id: String,
    /// The API's name.
    pub name: String,
    /// The page's file name, `<id>.md`.
    pub page: String,
    /// What the tables were transcribed from.
    pub source: String,
    /// Where that document is published, or `none`.
    pub url: Option<String>,
    /// How many codes it documents.
    pub codes: usize,
    /// How many statuses it documents.
    pub statuses: usize,
    /// How many discrepancies the page has.
    pub errata: usize,
}

impl IndexContext {
    /// The context for the given APIs.
    pub fn new(apis: &[&ir::Api]) -> Self {
        let apis = apis
            .iter()
            .map(|api| IndexEntry {
                id: api.id.clone(),
                name: api.name.clone(),
                page: format!("{}.md", api.id),
                source: api.source.clone(),
                url: api.url.clone(),
                codes: api.codes.len(),
                statuses: api.statuses.len(),
                errata: api.errata.len(),
            })
            .collect();
        Self { apis }
    }
}

impl ApiContext {
    /// The context for one API.
    pub fn new(api: &ir::Api) -> Self {
        let code_ref = |i: usize| CodeRef {
            wire: api.codes[i].wire.clone(),
            anchor: code_anchor(&api.codes[i].wire),
            variant: api.codes[i].variant.clone(),
        };
        let policy_ref = |i: usize| Ref {
            name: api.policies[i].name.clone(),
            anchor: anchor("policy", &api.policies[i].name),
        };
        let errata = errata_infos(api);
        let code_errata = code_errata(api, &errata);
        let codes: Vec<CodeInfo> = api
            .codes
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let status = c.status.map(|s| &api.statuses[s]);
                let effective = api.effective_retry(c);
                CodeInfo {
                    wire: c.wire.clone(),
                    anchor: code_anchor(&c.wire),
                    variant: c.variant.clone(),
                    status: status.map(|s| s.number),
                    status_name: status.map(|s| s.name.clone()),
                    status_anchor: status.map(|s| anchor("status", &s.number.to_string())),
                    severity: c.severity.name().to_owned(),
                    is_error: c.severity != ir::Severity::Success,
                    causes: c.causes.clone(),
                    docs_url: api.docs_url(c),
                    deprecated: c.deprecated.is_some(),
                    deprecation_note: c.deprecated.as_ref().and_then(|d| d.note.clone()),
                    replaced_by: c
                        .deprecated
                        .as_ref()
                        .and_then(|d| d.replaced_by)
                        .map(code_ref),
                    category: c.category.map(|k| Ref {
                        name: api.categories[k].id.clone(),
                        anchor: anchor("category", &api.categories[k].id),
                    }),
                    category_title: c.category.map(|k| api.categories[k].title.clone()),
                    message: c.message.clone(),
                    description: c.description.clone(),
                    solution: c.solution.clone(),
                    envelope: c.envelope.map(|e| Ref {
                        name: api.envelopes[e].id.clone(),
                        anchor: anchor("envelope", &api.envelopes[e].id),
                    }),
                    retry: effective.map(policy_ref),
                    retry_from_status: c.retry.is_none() && effective.is_some(),
                    example: c.example.as_ref().map(|e| e.trim_end().to_owned()),
                    inferred: c.inferred.clone(),
                    aliases: c.aliases.clone(),
                    limit: c.limit.map(|l| Ref {
                        name: api.limits[l].id.clone(),
                        anchor: anchor("limit", &api.limits[l].id),
                    }),
                    errata: code_errata[i]
                        .iter()
                        .map(|&e| Ref {
                            name: errata[e].number.to_string(),
                            anchor: errata[e].anchor.clone(),
                        })
                        .collect(),
                }
            })
            .collect();

        let mut groups: Vec<GroupInfo> = api
            .categories
            .iter()
            .enumerate()
            .map(|(k, cat)| GroupInfo {
                id: Some(cat.id.clone()),
                title: cat.title.clone(),
                anchor: anchor("category", &cat.id),
                description: cat.description.clone(),
                inferred: cat.inferred.clone(),
                codes: api
                    .codes
                    .iter()
                    .zip(&codes)
                    .filter(|(c, _)| c.category == Some(k))
                    .map(|(_, info)| info.clone())
                    .collect(),
            })
            .collect();
        let uncategorized: Vec<CodeInfo> = api
            .codes
            .iter()
            .zip(&codes)
            .filter(|(c, _)| c.category.is_none())
            .map(|(_, info)| info.clone())
            .collect();
        if !uncategorized.is_empty() {
            groups.push(GroupInfo {
                id: None,
                title: if api.categories.is_empty() {
                    "Codes".to_owned()
                } else {
                    "Other codes".to_owned()
                },
                anchor: "codes-uncategorized".to_owned(),
                description: None,
                inferred: Vec::new(),
                codes: uncategorized,
            });
        }

        let statuses = api
            .statuses
            .iter()
            .enumerate()
            .map(|(s, status)| StatusInfo {
                number: status.number,
                name: status.name.clone(),
                anchor: anchor("status", &status.number.to_string()),
                description: status.description.clone(),
                retry: status.retry.map(policy_ref),
                inferred: status.inferred.clone(),
                codes: (0..api.codes.len())
                    .filter(|&i| api.codes[i].status == Some(s))
                    .map(code_ref)
                    .collect(),
            })
            .collect();

        let envelopes = api
            .envelopes
            .iter()
            .enumerate()
            .map(|(e, env)| {
                let codes: Vec<CodeRef> = (0..api.codes.len())
                    .filter(|&i| api.codes[i].envelope == Some(e))
                    .map(code_ref)
                    .collect();
                let (example, example_from_page) = match &env.example {
                    Some(example) => (example.trim_end().to_owned(), true),
                    None => (example_body(api, e), false),
                };
                EnvelopeInfo {
                    id: env.id.clone(),
                    anchor: anchor("envelope", &env.id),
                    description: env.description.clone(),
                    root: (!env.root.is_empty()).then(|| env.root.join(".")),
                    code_field: env.code_field.clone(),
                    code_types: env.code_accepts.iter().map(|t| t.name()).collect(),
                    message_field: env.message_field.clone(),
                    fields: env
                        .fields
                        .iter()
                        .map(|f| FieldInfo {
                            name: f.name.clone(),
                            ty: f.ty.name(),
                            description: f.description.clone(),
                        })
                        .collect(),
                    statuses: env.statuses.clone(),
                    example,
                    example_from_page,
                    codes,
                }
            })
            .collect();

        let policies = api
            .policies
            .iter()
            .enumerate()
            .map(|(p, policy)| PolicyInfo {
                name: policy.name.clone(),
                anchor: anchor("policy", &policy.name),
                description: policy.description.clone(),
                backoff: if policy.multiplier == 1.0 {
                    "constant"
                } else {
                    "exponential"
                },
                initial: duration(policy.initial_ms),
                multiplier: policy.multiplier.to_string(),
                max_delay: duration(policy.max_delay_ms),
                max_attempts: policy.max_attempts,
                retries: policy.max_attempts.saturating_sub(1),
                jitter: match policy.jitter {
                    JitterKind::None => "none",
                    JitterKind::Full => "full",
                    JitterKind::Equal => "equal",
                },
                retry_after: policy.retry_after.as_ref().map(|ra| RetryAfterInfo {
                    header: ra.header.clone(),
                    default: duration(ra.default_ms),
                    cap: duration(ra.cap_ms),
                }),
                methods: policy.methods.clone(),
                inferred: policy.inferred.clone(),
                delays: delay_rows(policy),
                statuses: api
                    .statuses
                    .iter()
                    .filter(|s| s.retry == Some(p))
                    .map(|s| s.number)
                    .collect(),
                codes: (0..api.codes.len())
                    .filter(|&i| api.codes[i].retry == Some(p))
                    .map(code_ref)
                    .collect(),
            })
            .collect();

        let limits = api
            .limits
            .iter()
            .map(|l| LimitInfo {
                id: l.id.clone(),
                anchor: anchor("limit", &l.id),
                max: l.max,
                per: l.per_ms.map(duration),
                scope: l.scope.clone(),
                description: l.description.clone(),
                codes: l.codes.iter().copied().map(code_ref).collect(),
                inferred: l.inferred.clone(),
            })
            .collect();

        let common_errors = api
            .common_errors
            .iter()
            .map(|e| CommonErrorInfo {
                id: e.id.clone(),
                title: e.title.clone(),
                solution: e.solution.clone(),
                codes: e.codes.iter().copied().map(code_ref).collect(),
                limit: e.limit.map(|l| Ref {
                    name: api.limits[l].id.clone(),
                    anchor: anchor("limit", &api.limits[l].id),
                }),
                inferred: e.inferred.clone(),
            })
            .collect();

        let has_inferred = has_inferred(api);

        ApiContext {
            api: ApiInfo {
                id: api.id.clone(),
                name: api.name.clone(),
                file: api.file.clone(),
                source: api.source.clone(),
                url: api.url.clone(),
                description: api.description.clone(),
                code_type: match api.code_type {
                    CodeType::String => "string",
                    CodeType::Integer => "integer",
                },
                forward_compatibility: api.forward_compatibility.clone(),
            },
            envelopes,
            statuses,
            groups,
            codes,
            policies,
            retry_extras: retry_extras(api),
            limits,
            common_errors,
            errata,
            has_inferred,
        }
    }
}

/// Whether any fact on the page is inferred.
fn has_inferred(api: &ir::Api) -> bool {
    api.statuses.iter().any(|s| !s.inferred.is_empty())
        || api.categories.iter().any(|c| !c.inferred.is_empty())
        || api.policies.iter().any(|p| !p.inferred.is_empty())
        || api.codes.iter().any(|c| !c.inferred.is_empty())
        || api.limits.iter().any(|l| !l.inferred.is_empty())
        || api.common_errors.iter().any(|e| !e.inferred.is_empty())
}

/// For each code, the errata (indices into `errata`, in order) among whose codes it is.
fn code_errata(api: &ir::Api, errata: &[ErratumInfo]) -> Vec<Vec<usize>> {
    let index = page::wire_index(errata);
    api.codes
        .iter()
        .map(|c| index.get(c.wire.as_str()).cloned().unwrap_or_default())
        .collect()
}

/// The context of every erratum, in order.
fn errata_infos(api: &ir::Api) -> Vec<ErratumInfo> {
    // The first code with a wire value, looked up once the first erratum needs it.
    let mut by_wire: Option<HashMap<&str, &ir::Code>> = None;
    let mut code_by_wire = |wire: &str| {
        by_wire
            .get_or_insert_with(|| {
                let mut map = HashMap::with_capacity(api.codes.len());
                for c in &api.codes {
                    map.entry(c.wire.as_str()).or_insert(c);
                }
                map
            })
            .get(wire)
            .copied()
    };
    api.errata
        .iter()
        .enumerate()
        .map(|(i, e)| erratum(api, i, e, &mut code_by_wire))
        .collect()
}

fn erratum<'a>(
    api: &'a ir::Api,
    index: usize,
    e: &ir::Erratum,
    mut code_by_wire: impl FnMut(&str) -> Option<&'a ir::Code>,
) -> ErratumInfo {
    let number = index + 1;
    let codes: Vec<CodeRef> = e
        .codes
        .iter()
        .map(|&i| CodeRef {
            wire: api.codes[i].wire.clone(),
            anchor: code_anchor(&api.codes[i].wire),
            variant: api.codes[i].variant.clone(),
        })
        .collect();
    let statuses: Vec<usize> = {
        let mut s: Vec<usize> = e
            .codes
            .iter()
            .filter_map(|&i| api.codes[i].status)
            .collect();
        s.sort_unstable();
        s.dedup();
        s
    };
    let single_status = match statuses.as_slice() {
        [s] => Some(&api.statuses[*s]),
        _ => None,
    };
    let single_code = match e.codes.as_slice() {
        [c] => Some(&api.codes[*c]),
        _ => None,
    };
    let documented = match e.field {
        ErratumField::Code | ErratumField::Body => {
            single_code.map(|c| format!("code {} ({})", c.wire, c.variant))
        }
        ErratumField::Status | ErratumField::Heading => {
            single_status.map(|s| format!("status {} {}", s.number, s.name))
        }
        ErratumField::Message => single_code.map(|c| format!("message “{}”", c.message)),
        ErratumField::Type => None,
    };
    let shown_code = match e.field {
        ErratumField::Code => Some(e.page_shows.trim().to_owned()),
        ErratumField::Body => code_in_body(api, &e.page_shows),
        _ => None,
    };
    let read_as = shown_code
        .and_then(|shown| code_by_wire(&shown))
        .map(|c| CodeRef {
            wire: c.wire.clone(),
            anchor: code_anchor(&c.wire),
            variant: c.variant.clone(),
        });
    ErratumInfo {
        number,
        anchor: anchor("erratum", &number.to_string()),
        field: match e.field {
            ErratumField::Code => "code",
            ErratumField::Status => "status",
            ErratumField::Message => "message",
            ErratumField::Heading => "heading",
            ErratumField::Type => "type",
            ErratumField::Body => "body",
        },
        field_text: match e.field {
            ErratumField::Code => "The error code in an example body",
            ErratumField::Status => "The status shown for a code",
            ErratumField::Message => "The message shown for a code",
            ErratumField::Heading => "A section heading",
            ErratumField::Type => "The documented JSON type of a field",
            ErratumField::Body => "A whole example body",
        },
        page_shows: e.page_shows.clone(),
        description: e.description.clone(),
        codes,
        documented,
        alias: e.alias,
        read_as,
    }
}

/// The code an example body carries, read through each envelope in turn.
fn code_in_body(api: &ir::Api, body: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(body).ok()?;
    api.envelopes.iter().find_map(|env| {
        let mut object = &value;
        for key in &env.root {
            object = object.get(key)?;
        }
        match object.get(&env.code_field)? {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    })
}

/// The backoff delay after failed attempt `attempt`, in milliseconds, as the runtime computes
/// it: `initial × multiplier^(attempt − 1)`, capped at `max_delay`.
fn delay_ms(policy: &ir::Policy, attempt: u32) -> f64 {
    let delay = errspec_core::backoff(
        Duration::from_millis(policy.initial_ms),
        policy.multiplier,
        Duration::from_millis(policy.max_delay_ms),
        attempt,
    );
    delay.as_secs_f64() * 1000.0
}

fn delay_rows(policy: &ir::Policy) -> Vec<DelayRow> {
    let last = policy.max_attempts.saturating_sub(1);
    let jittered = |ms: f64| match policy.jitter {
        JitterKind::None => format_duration(ms),
        JitterKind::Full => format!("0 to {}", format_duration(ms)),
        JitterKind::Equal => format!("{} to {}", format_duration(ms / 2.0), format_duration(ms)),
    };
    let mut rows = Vec::new();
    let max = policy.max_delay_ms as f64;
    let mut attempt = 1;
    while attempt <= last {
        let delay = delay_ms(policy, attempt);
        let flat = delay >= max || (attempt > 1 && delay == delay_ms(policy, attempt - 1));
        if attempt < last && (flat || rows.len() + 1 == MAX_DELAY_ROWS) {
            let end = delay_ms(policy, last);
            let (text, jitter_text) = if end == delay {
                (format_duration(delay), jittered(delay))
            } else {
                (
                    format!("{} to {}", format_duration(delay), format_duration(end)),
                    match policy.jitter {
                        JitterKind::None => {
                            format!("{} to {}", format_duration(delay), format_duration(end))
                        }
                        JitterKind::Full => format!("0 to {}", format_duration(end)),
                        JitterKind::Equal => format!(
                            "{} to {}",
                            format_duration(delay / 2.0),
                            format_duration(end)
                        ),
                    },
                )
            };
            rows.push(DelayRow {
                attempt: format!("{attempt}–{last}"),
                delay: text,
                jittered: jitter_text,
            });
            break;
        }
        rows.push(DelayRow {
            attempt: attempt.to_string(),
            delay: format_duration(delay),
            jittered: jittered(delay),
        });
        attempt += 1;
    }
    rows
}

/// An example body for an envelope the page shows none of, built from its fields and the
/// first code that comes in it.
fn example_body(api: &ir::Api, envelope: usize) -> String {
    let env = &api.envelopes[envelope];
    let code = api
        .codes
        .iter()
        .find(|c| c.envelope == Some(envelope))
        .or_else(|| {
            api.codes.iter().find(|c| {
                c.envelope.is_none()
                    && (env.statuses.is_empty()
                        || api
                            .status_number(c)
                            .is_some_and(|n| env.statuses.contains(&n)))
            })
        });
    let code_value = match code {
        Some(c) if c.number.is_some() && env.code_accepts.contains(&FieldType::Integer) => {
            c.wire.clone()
        }
        Some(c) => json_string(&c.wire),
        None if env.code_accepts.contains(&FieldType::String) => json_string("string"),
        None => "0".to_owned(),
    };
    let mut fields = vec![(env.code_field.clone(), code_value)];
    if let Some(message) = &env.message_field {
        let text = code.map_or("string", |c| c.message.as_str());
        fields.push((message.clone(), json_string(text)));
    }
    for f in &env.fields {
        let placeholder = match f.ty {
            FieldType::String => json_string("string"),
            FieldType::Integer => "0".to_owned(),
            FieldType::Boolean => "false".to_owned(),
            FieldType::Array => "[]".to_owned(),
            FieldType::Object => "{}".to_owned(),
            FieldType::Any => "null".to_owned(),
        };
        fields.push((f.name.clone(), placeholder));
    }
    let depth = env.root.len();
    let mut out = String::new();
    for (level, key) in env.root.iter().enumerate() {
        let indent = "  ".repeat(level);
        if level == 0 {
            out.push_str("{\n");
        }
        let _ = writeln!(out, "{indent}  {}: {{", json_string(key));
    }
    if depth == 0 {
        out.push_str("{\n");
    }
    let indent = "  ".repeat(depth + 1);
    let lines: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{indent}{}: {v}", json_string(k)))
        .collect();
    out.push_str(&lines.join(",\n"));
    out.push('\n');
    for level in (0..depth).rev() {
        let _ = writeln!(out, "{}  }}", "  ".repeat(level));
    }
    out.push('}');
    out
}

/// The body `ErrorCode::response()` renders for `code`, byte for byte: the envelope documented
/// for the code's status (500 for a code without one), else the first documented for any
/// status, else the first; under its root keys, the code (a number for an integer API) and the
/// documented message. `None` for an API without envelopes.
pub(crate) fn rendered_body(api: &ir::Api, code: &ir::Code) -> Option<String> {
    let status = api.status_number(code).unwrap_or(500);
    let envelope = api
        .envelopes
        .iter()
        .find(|e| e.statuses.contains(&status))
        .or_else(|| api.envelopes.iter().find(|e| e.statuses.is_empty()))
        .or_else(|| api.envelopes.first())?;
    let mut out = String::new();
    for key in &envelope.root {
        let _ = write!(out, "{{{}:", json_string(key));
    }
    out.push('{');
    out.push_str(&json_string(&envelope.code_field));
    out.push(':');
    match code.number {
        Some(n) if api.code_type == CodeType::Integer => {
            let _ = write!(out, "{n}");
        }
        _ => out.push_str(&json_string(&code.wire)),
    }
    if let Some(message) = &envelope.message_field {
        let _ = write!(
            out,
            ",{}:{}",
            json_string(message),
            json_string(&code.message)
        );
    }
    out.push('}');
    for _ in &envelope.root {
        out.push('}');
    }
    Some(out)
}

fn json_string(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

/// The built-in API page, written without the template engine: at 10,000 codes a template
/// giving the same page took 17 times as long (0.27 s against 0.015 s, 2.2 times the YAML
/// parse on its own: building the context, a macro call per mark and link, a filter call per
/// cell), which would take generation with docs past its target of 3 times the parse; see
/// BENCHMARKS.md. This is the only writer of the built-in page.
mod page {
    use std::collections::HashMap;
    use std::fmt::Write as _;

    use super::{
        delay_rows, duration, example_body, fence, is_safe_target, push_code_span, push_escaped,
        push_html_escaped, push_url_escaped, ErratumInfo,
    };
    use crate::anchor::{anchor, code_anchor};
    use crate::ir::{self, JitterKind};

    /// Whether a string value is true in a template test (`{% if x %}`): present and not
    /// empty.
    fn truthy(value: &Option<String>) -> bool {
        value.as_deref().is_some_and(|s| !s.is_empty())
    }

    /// `x or default`.
    fn or<'a>(value: &'a Option<String>, default: &'a str) -> &'a str {
        match value.as_deref() {
            Some(s) if !s.is_empty() => s,
            _ => default,
        }
    }

    /// The page body, without the `@generated` header.
    pub(super) fn body(api: &ir::Api, out: &mut String) {
        Page::new(api).write(out)
    }

    struct Page<'a> {
        api: &'a ir::Api,
        code_anchors: Vec<String>,
        status_anchors: Vec<String>,
        policy_anchors: Vec<String>,
        envelope_anchors: Vec<String>,
        category_anchors: Vec<String>,
        limit_anchors: Vec<String>,
        errata: Vec<ErratumInfo>,
        /// The errata concerning each code, by index into `errata`.
        code_errata: Vec<Vec<usize>>,
    }

    impl<'a> Page<'a> {
        /// Spec text inside a line (a list item, a table cell): escaped as text, or for a
        /// Markdown spec sanitised Markdown on one line.
        fn push_inline(&self, out: &mut String, text: &str) {
            match self.api.text {
                ir::TextFormat::Plain => push_escaped(out, text),
                ir::TextFormat::Markdown => {
                    let md = crate::rustdoc::markdown(text);
                    for (n, line) in md
                        .lines()
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .enumerate()
                    {
                        if n > 0 {
                            out.push(' ');
                        }
                        out.push_str(&line.replace('|', "\\|"));
                    }
                }
            }
        }

        /// Spec text as a paragraph of its own: escaped as text, or for a Markdown spec
        /// sanitised Markdown.
        fn push_block(&self, out: &mut String, text: &str) {
            match self.api.text {
                ir::TextFormat::Plain => push_escaped(out, text),
                ir::TextFormat::Markdown => out.push_str(&crate::rustdoc::markdown(text)),
            }
        }

        fn new(api: &'a ir::Api) -> Self {
            let errata = super::errata_infos(api);
            Page {
                api,
                code_anchors: api.codes.iter().map(|c| code_anchor(&c.wire)).collect(),
                status_anchors: api
                    .statuses
                    .iter()
                    .map(|s| anchor("status", &s.number.to_string()))
                    .collect(),
                policy_anchors: api
                    .policies
                    .iter()
                    .map(|p| anchor("policy", &p.name))
                    .collect(),
                envelope_anchors: api
                    .envelopes
                    .iter()
                    .map(|e| anchor("envelope", &e.id))
                    .collect(),
                category_anchors: api
                    .categories
                    .iter()
                    .map(|c| anchor("category", &c.id))
                    .collect(),
                limit_anchors: api.limits.iter().map(|l| anchor("limit", &l.id)).collect(),
                code_errata: super::code_errata(api, &errata),
                errata,
            }
        }

        fn write(&self, out: &mut String) {
            self.head(out);
            self.envelopes(out);
            self.statuses(out);
            self.codes(out);
            self.policies(out);
            self.signals(out);
            self.limits(out);
            self.common_errors(out);
            self.errata(out)
        }

        /// `{{ mark(item, field) }}`.
        fn mark(out: &mut String, inferred: &[String], field: &str) {
            if inferred.iter().any(|f| f == field) {
                out.push_str(" *(inferred)*");
            }
        }

        /// `{{ x | link(target) }}`, where `text` writes `x` as Markdown.
        fn link(out: &mut String, target: &str, text: impl FnOnce(&mut String)) {
            if is_safe_target(target) {
                out.push('[');
                text(out);
                out.push_str("](");
                push_url_escaped(out, target);
                out.push(')');
            } else {
                text(out);
            }
        }

        /// `{{ x | link("#" ~ anchor) }}`: an anchor is always a safe target.
        fn anchor_link(out: &mut String, anchor: &str, text: impl FnOnce(&mut String)) {
            out.push('[');
            text(out);
            out.push_str("](#");
            push_url_escaped(out, anchor);
            out.push(')');
        }

        /// `{{ x | code | link("#" ~ anchor) }}`.
        fn code_link(out: &mut String, text: &str, anchor: &str) {
            Self::anchor_link(out, anchor, |out| push_code_span(out, text));
        }

        /// `{{ x | anchor }}`.
        fn anchor_tag(out: &mut String, id: &str) {
            out.push_str("<a id=\"");
            push_html_escaped(out, id);
            out.push_str("\"></a>");
        }

        /// `{{ code_links(codes) }}`.
        fn code_links(&self, out: &mut String, codes: impl IntoIterator<Item = usize>) {
            for (n, i) in codes.into_iter().enumerate() {
                if n > 0 {
                    out.push_str(", ");
                }
                Self::code_link(out, &self.api.codes[i].wire, &self.code_anchors[i]);
            }
        }

        /// `{{ code_links(codes) or "—" }}`.
        fn code_links_or_dash(&self, out: &mut String, codes: &[usize]) {
            if codes.is_empty() {
                out.push('—');
            } else {
                self.code_links(out, codes.iter().copied());
            }
        }

        /// `{{ policy_link(policy) }}`.
        fn policy_link(&self, out: &mut String, p: usize) {
            Self::code_link(out, &self.api.policies[p].name, &self.policy_anchors[p]);
        }

        /// From `# {{ api.name }} errors` to the `## Error envelopes` heading.
        fn head(&self, out: &mut String) {
            let api = self.api;
            out.push_str("# ");
            push_escaped(out, &api.name);
            out.push_str(" errors\n\n");
            out.push_str("Source: ");
            match &api.url {
                Some(url) if !url.is_empty() => {
                    Self::link(out, url, |out| push_escaped(out, &api.source));
                }
                _ => push_escaped(out, &api.source),
            }
            out.push_str("\n\n");
            if let Some(description) = api.description.as_deref().filter(|d| !d.is_empty()) {
                self.push_block(out, description);
                out.push_str("\n\n");
            }
            if let Some(text) = api
                .forward_compatibility
                .as_deref()
                .filter(|t| !t.is_empty())
            {
                out.push_str("**More codes may come.** ");
                push_escaped(out, text);
                out.push_str("\n\n");
            }
            if super::has_inferred(api) {
                out.push_str(
                    "Facts marked *(inferred)* are not stated by the source page: the spec \
                     supplies them.\n\n",
                );
            }
            let plural = if api.envelopes.len() > 1 { "s" } else { "" };
            let _ = writeln!(out, "- [Error envelope{plural}](#section-envelopes)");
            out.push_str("- [HTTP statuses](#section-statuses)\n");
            out.push_str("- [Error codes](#section-codes)\n");
            if !api.policies.is_empty() {
                out.push_str("- [Retry policies](#section-retry)\n");
            }
            if !api.signals.is_empty() || api.budget.is_some() {
                out.push_str("- [Wait signals and retry budget](#section-signals)\n");
            }
            if !api.limits.is_empty() {
                out.push_str("- [Limits](#section-limits)\n");
            }
            if !api.common_errors.is_empty() {
                out.push_str("- [Common errors](#section-common-errors)\n");
            }
            if !self.errata.is_empty() {
                out.push_str("- [Known discrepancies](#section-discrepancies)\n");
            }
            out.push('\n');
            out.push_str("## ");
            Self::anchor_tag(out, "section-envelopes");
            let _ = write!(out, "Error envelope{plural}\n\n");
        }

        /// `{% for e in envelopes %}`.
        fn envelopes(&self, out: &mut String) {
            let api = self.api;
            for (e, env) in api.envelopes.iter().enumerate() {
                out.push_str("### ");
                Self::anchor_tag(out, &self.envelope_anchors[e]);
                push_code_span(out, &env.id);
                out.push_str("\n\n");
                if truthy(&env.description) {
                    self.push_inline(out, or(&env.description, ""));
                    out.push_str("\n\n");
                }
                // `root` is `none` for an empty path; `[""]` joins to a false empty string.
                let root = env.root.join(".");
                if env.root.is_empty() || root.is_empty() {
                    out.push_str("The fields are at the top level of the body.\n");
                } else {
                    out.push_str("The fields are in the object at ");
                    push_code_span(out, &root);
                    out.push_str(".\n");
                }
                if !env.statuses.is_empty() {
                    out.push_str("\nDocumented for status");
                    if env.statuses.len() > 1 {
                        out.push_str("es");
                    }
                    out.push(' ');
                    let joined: Vec<String> = env.statuses.iter().map(u16::to_string).collect();
                    push_escaped(out, &joined.join(", "));
                    out.push_str(".\n");
                }
                out.push_str("\n| Field | JSON type | Meaning |\n|---|---|---|\n| ");
                push_code_span(out, &env.code_field);
                out.push_str(" | ");
                let types: Vec<&str> = env.code_accepts.iter().map(|t| t.name()).collect();
                push_escaped(out, &types.join(" or "));
                out.push_str(" | The error code. |\n");
                if truthy(&env.message_field) {
                    out.push_str("| ");
                    push_code_span(out, or(&env.message_field, ""));
                    out.push_str(" | string | The message. |\n");
                }
                for f in &env.fields {
                    out.push_str("| ");
                    push_code_span(out, &f.name);
                    out.push_str(" | ");
                    push_escaped(out, f.ty.name());
                    out.push_str(" | ");
                    self.push_inline(out, or(&f.description, ""));
                    out.push_str(" |\n");
                }
                out.push('\n');
                let example = match &env.example {
                    Some(example) => {
                        out.push_str("Example body, as the page shows it:\n");
                        example.trim_end().to_owned()
                    }
                    None => {
                        out.push_str(
                            "Example body (built from the fields; the page shows none):\n",
                        );
                        example_body(api, e)
                    }
                };
                out.push('\n');
                out.push_str(&fence(&example, "json"));
                out.push_str("\n\n");
                let mut codes = api
                    .codes
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.envelope == Some(e))
                    .map(|(i, _)| i)
                    .peekable();
                if codes.peek().is_some() {
                    out.push_str("Codes in this shape: ");
                    self.code_links(out, codes);
                    out.push_str(".\n\n");
                }
            }
        }

        /// `## HTTP statuses`, and the `## Error codes` heading.
        fn statuses(&self, out: &mut String) {
            let api = self.api;
            let mut codes: Vec<Vec<usize>> = vec![Vec::new(); api.statuses.len()];
            for (i, c) in api.codes.iter().enumerate() {
                if let Some(s) = c.status {
                    codes[s].push(i);
                }
            }
            out.push_str("## ");
            Self::anchor_tag(out, "section-statuses");
            out.push_str(
                "HTTP statuses\n\n| Status | Name | Description | Retry | Codes |\n\
                 |---|---|---|---|---|\n",
            );
            for (s, status) in api.statuses.iter().enumerate() {
                out.push_str("| ");
                Self::anchor_tag(out, &self.status_anchors[s]);
                let _ = write!(out, "{} | ", status.number);
                push_escaped(out, &status.name);
                Self::mark(out, &status.inferred, "name");
                out.push_str(" | ");
                self.push_inline(out, or(&status.description, "—"));
                Self::mark(out, &status.inferred, "description");
                out.push_str(" | ");
                match status.retry {
                    Some(p) => {
                        self.policy_link(out, p);
                        Self::mark(out, &status.inferred, "retry");
                    }
                    None => out.push_str("no"),
                }
                out.push_str(" | ");
                self.code_links_or_dash(out, &codes[s]);
                out.push_str(" |\n");
            }
            out.push_str("\n## ");
            Self::anchor_tag(out, "section-codes");
            out.push_str("Error codes\n\n");
        }

        /// `{% for group in groups %}`: the codes by category, as a table and one entry each.
        fn codes(&self, out: &mut String) {
            let api = self.api;
            let mut by_category: Vec<Vec<usize>> = vec![Vec::new(); api.categories.len()];
            let mut uncategorized = Vec::new();
            for (i, c) in api.codes.iter().enumerate() {
                match c.category {
                    Some(k) => by_category[k].push(i),
                    None => uncategorized.push(i),
                }
            }
            for (k, category) in api.categories.iter().enumerate() {
                self.group(
                    out,
                    &self.category_anchors[k],
                    &category.title,
                    &category.description,
                    &category.inferred,
                    &by_category[k],
                );
            }
            if !uncategorized.is_empty() {
                let title = if api.categories.is_empty() {
                    "Codes"
                } else {
                    "Other codes"
                };
                self.group(
                    out,
                    "codes-uncategorized",
                    title,
                    &None,
                    &[],
                    &uncategorized,
                );
            }
        }

        fn group(
            &self,
            out: &mut String,
            anchor: &str,
            title: &str,
            description: &Option<String>,
            inferred: &[String],
            codes: &[usize],
        ) {
            out.push_str("### ");
            Self::anchor_tag(out, anchor);
            push_escaped(out, title);
            Self::mark(out, inferred, "title");
            out.push_str("\n\n");
            if truthy(description) {
                self.push_block(out, or(description, ""));
                Self::mark(out, inferred, "description");
                out.push_str("\n\n");
            }
            if codes.is_empty() {
                out.push_str("The page lists no code under this heading.\n\n");
                return;
            }
            out.push_str("| Code | Status | Message | Solution | Retry |\n|---|---|---|---|---|\n");
            for &i in codes {
                self.code_row(out, i);
            }
            out.push('\n');
            for &i in codes {
                self.code_entry(out, i);
            }
        }

        /// `{{ retry_of(c) }}`.
        fn retry_of(&self, out: &mut String, c: &ir::Code) {
            match self.api.effective_retry(c) {
                Some(p) => {
                    self.policy_link(out, p);
                    if let (None, Some(n)) = (c.retry, self.api.status_number(c)) {
                        let _ = write!(out, " (status {n})");
                    }
                    Self::mark(out, &c.inferred, "retry");
                }
                None => out.push_str("not retried"),
            }
        }

        /// The first `{% for c in group.codes %}`: the code's row in its group's table.
        fn code_row(&self, out: &mut String, i: usize) {
            let c = &self.api.codes[i];
            out.push_str("| ");
            Self::code_link(out, &c.wire, &self.code_anchors[i]);
            out.push_str(" | ");
            match c.status {
                Some(s) => {
                    Self::anchor_link(out, &self.status_anchors[s], |out| {
                        let _ = write!(out, "{}", self.api.statuses[s].number);
                    });
                    Self::mark(out, &c.inferred, "status");
                }
                None => out.push('—'),
            }
            out.push_str(" | ");
            self.push_inline(out, &c.message);
            Self::mark(out, &c.inferred, "message");
            out.push_str(" | ");
            self.push_inline(out, or(&c.solution, "—"));
            if truthy(&c.solution) {
                Self::mark(out, &c.inferred, "solution");
            }
            out.push_str(" | ");
            self.retry_of(out, c);
            out.push_str(" |\n");
        }

        /// The second `{% for c in group.codes %}`: the code's own entry.
        fn code_entry(&self, out: &mut String, i: usize) {
            let api = self.api;
            let c = &api.codes[i];
            out.push_str("#### ");
            Self::anchor_tag(out, &self.code_anchors[i]);
            push_code_span(out, &c.wire);
            out.push(' ');
            push_escaped(out, &c.variant);
            if let Some(d) = &c.deprecated {
                out.push_str(" (deprecated)\n\n> **Deprecated.**");
                if let Some(note) = &d.note {
                    out.push(' ');
                    self.push_inline(out, note);
                }
                if let Some(r) = d.replaced_by {
                    out.push_str(" Use ");
                    Self::code_link(out, &api.codes[r].wire, &self.code_anchors[r]);
                    out.push_str(" instead.");
                }
            }
            out.push_str("\n\n- **Status:** ");
            match c.status {
                Some(s) => {
                    let status = &api.statuses[s];
                    Self::anchor_link(out, &self.status_anchors[s], |out| {
                        let start = out.len();
                        let _ = write!(out, "{} ", status.number);
                        out.push_str(&status.name);
                        // The concatenation is escaped as a whole.
                        let text = out.split_off(start);
                        push_escaped(out, &text);
                    });
                    Self::mark(out, &c.inferred, "status");
                }
                None => out.push_str("not documented: the status of the response it comes in"),
            }
            out.push('\n');
            if c.severity != ir::Severity::Error {
                let _ = write!(out, "- **Severity:** {}", c.severity.name());
                if c.severity == ir::Severity::Success {
                    out.push_str(" (not an error)");
                }
                out.push('\n');
            }
            if let Some(k) = c.category {
                let title = &api.categories[k].title;
                if !title.is_empty() {
                    out.push_str("- **Category:** ");
                    Self::anchor_link(out, &self.category_anchors[k], |out| {
                        push_escaped(out, title)
                    });
                    Self::mark(out, &c.inferred, "category");
                    out.push('\n');
                }
            }
            out.push_str("- **Message:** ");
            self.push_inline(out, &c.message);
            Self::mark(out, &c.inferred, "message");
            out.push('\n');
            if truthy(&c.description) {
                out.push_str("- **Description:** ");
                self.push_inline(out, or(&c.description, ""));
                Self::mark(out, &c.inferred, "description");
                out.push('\n');
            }
            if !c.causes.is_empty() {
                out.push_str("- **Causes:** ");
                for (n, cause) in c.causes.iter().enumerate() {
                    if n > 0 {
                        out.push_str("; ");
                    }
                    self.push_inline(out, cause);
                }
                out.push('\n');
            }
            out.push_str("- **Solution:** ");
            match &c.solution {
                Some(solution) if truthy(&c.solution) => {
                    self.push_inline(out, solution);
                    Self::mark(out, &c.inferred, "solution");
                }
                _ => push_escaped(out, "the page gives none."),
            }
            out.push_str("\n- **Retry:** ");
            self.retry_of(out, c);
            out.push('\n');
            if c.not_processed {
                out.push_str(
                    "- **Not processed:** a response with this code means the request was not \
                     processed: it may be sent again whatever its method.\n",
                );
            }
            if let Some(e) = c.envelope {
                out.push_str("- **Envelope:** ");
                Self::code_link(out, &api.envelopes[e].id, &self.envelope_anchors[e]);
                Self::mark(out, &c.inferred, "envelope");
                out.push('\n');
            }
            if let Some(l) = c.limit {
                out.push_str("- **Limit:** ");
                Self::code_link(out, &api.limits[l].id, &self.limit_anchors[l]);
                out.push('\n');
            }
            if !c.aliases.is_empty() {
                out.push_str("- **Also accepted on the wire:** ");
                for (n, alias) in c.aliases.iter().enumerate() {
                    if n > 0 {
                        out.push_str(", ");
                    }
                    push_code_span(out, alias);
                    if api.errata.iter().any(|e| e.alias && e.page_shows == *alias) {
                        out.push_str(" (shown by the page by mistake)");
                    }
                }
                out.push('\n');
            }
            if let Some(url) = api.docs_url(c) {
                out.push_str("- **Documentation:** <");
                out.push_str(&url.replace('>', "%3E").replace(' ', "%20"));
                out.push_str(">\n");
            }
            let errata = &self.code_errata[i];
            if !errata.is_empty() {
                out.push_str("- **Known discrepancies:** ");
                for (n, &e) in errata.iter().enumerate() {
                    if n > 0 {
                        out.push_str(", ");
                    }
                    let e = &self.errata[e];
                    Self::anchor_link(out, &e.anchor, |out| {
                        let _ = write!(out, "discrepancy {}", e.number);
                    });
                }
                out.push('\n');
            }
            match c.example.as_deref().map(str::trim_end) {
                Some(example) if !example.is_empty() => {
                    out.push_str("\nExample body, as the page shows it:\n\n");
                    out.push_str(&fence(example, "json"));
                    out.push('\n');
                }
                _ => {
                    if let Some(body) = super::rendered_body(api, c) {
                        out.push_str(
                            "\nExample body, generated (the page shows none): what \
                             `ErrorCode::response()` sends:\n\n",
                        );
                        out.push_str(&fence(&body, "json"));
                        out.push('\n');
                    }
                }
            }
            out.push('\n');
        }

        /// `{% if policies %}`: one section per retry policy.
        fn policies(&self, out: &mut String) {
            let api = self.api;
            if api.policies.is_empty() {
                return;
            }
            out.push_str("## ");
            Self::anchor_tag(out, "section-retry");
            out.push_str(
                "Retry policies\n\nDelays follow `initial × multiplier^(n−1)`, capped at \
                 `max_delay`, where *n* is the number of the\nfailed attempt (the first \
                 request is attempt 1).\n\n",
            );
            for (p, policy) in api.policies.iter().enumerate() {
                out.push_str("### ");
                Self::anchor_tag(out, &self.policy_anchors[p]);
                push_code_span(out, &policy.name);
                out.push_str("\n\n");
                if truthy(&policy.description) {
                    self.push_inline(out, or(&policy.description, ""));
                    out.push_str("\n\n");
                }
                let statuses: Vec<u16> = api
                    .statuses
                    .iter()
                    .filter(|s| s.retry == Some(p))
                    .map(|s| s.number)
                    .collect();
                let codes: Vec<usize> = (0..api.codes.len())
                    .filter(|&i| api.codes[i].retry == Some(p))
                    .collect();
                out.push_str("- **Used by:** ");
                if !statuses.is_empty() {
                    out.push_str("status ");
                    for (n, s) in statuses.iter().enumerate() {
                        if n > 0 {
                            out.push_str(", ");
                        }
                        let number = s.to_string();
                        Self::link(out, &format!("#status-{number}"), |out| {
                            push_escaped(out, &number)
                        });
                    }
                }
                if !statuses.is_empty() && !codes.is_empty() {
                    out.push_str("; ");
                }
                if !codes.is_empty() {
                    out.push_str("codes ");
                    self.code_links(out, codes.iter().copied());
                }
                if statuses.is_empty() && codes.is_empty() {
                    out.push_str("nothing refers to it");
                }
                out.push_str(".\n");
                match &policy.methods {
                    None => out.push_str(
                        "- **Resends:** the idempotent methods (GET, HEAD, OPTIONS, TRACE, PUT, \
                         DELETE), and any request with an `Idempotency-Key`.\n",
                    ),
                    Some(methods) => {
                        out.push_str("- **Resends:** ");
                        push_escaped(out, &methods.join(", "));
                        out.push_str(", and any request with an `Idempotency-Key`.\n");
                    }
                }
                let retries = policy.max_attempts.saturating_sub(1);
                let _ = writeln!(
                    out,
                    "- **Attempts:** at most {} request{} in all: the first and {} retr{}.",
                    policy.max_attempts,
                    if policy.max_attempts != 1 { "s" } else { "" },
                    retries,
                    if retries == 1 { "y" } else { "ies" },
                );
                let initial = duration(policy.initial_ms);
                if policy.multiplier == 1.0 {
                    out.push_str("- **Backoff:** constant: wait ");
                    push_escaped(out, &initial);
                    out.push_str(" after each failed attempt.\n");
                } else {
                    out.push_str("- **Backoff:** exponential: after failed attempt *n*, wait ");
                    push_escaped(out, &initial);
                    out.push_str(" × ");
                    push_escaped(out, &policy.multiplier.to_string());
                    out.push_str("^(n−1), at most ");
                    push_escaped(out, &duration(policy.max_delay_ms));
                    out.push_str(".\n");
                }
                out.push_str(match policy.jitter {
                    JitterKind::Full => {
                        "- **Jitter:** full: each wait is drawn at random between 0 and the \
                         backoff delay.\n"
                    }
                    JitterKind::Equal => {
                        "- **Jitter:** equal: each wait is half the backoff delay plus a random \
                         part of up to the other half.\n"
                    }
                    JitterKind::None => {
                        "- **Jitter:** none: each wait is exactly the backoff delay.\n"
                    }
                });
                if let Some(ra) = &policy.retry_after {
                    out.push_str("- **");
                    push_escaped(out, &ra.header);
                    out.push_str(":** the wait is what the ");
                    push_code_span(out, &ra.header);
                    out.push_str(" header asks for (delta-seconds or an HTTP date), at most ");
                    push_escaped(out, &duration(ra.cap_ms));
                    out.push_str("; ");
                    push_escaped(out, &duration(ra.default_ms));
                    out.push_str(
                        " when the header is missing or unusable. The header takes the place \
                         of the backoff delays below.\n",
                    );
                }
                if !policy.inferred.is_empty() {
                    out.push_str("- **Inferred** (not stated by the page): ");
                    push_escaped(out, &policy.inferred.join(", "));
                    out.push_str(".\n");
                }
                out.push('\n');
                let delays = delay_rows(policy);
                if delays.is_empty() {
                    out.push_str("The policy allows no retry.\n");
                } else if policy.jitter == JitterKind::None {
                    out.push_str("| After failed attempt | Backoff delay |\n|---|---|\n");
                    for row in &delays {
                        out.push_str("| ");
                        push_escaped(out, &row.attempt);
                        out.push_str(" | ");
                        push_escaped(out, &row.delay);
                        out.push_str(" |\n");
                    }
                } else {
                    let jitter = match policy.jitter {
                        JitterKind::Full => "full",
                        _ => "equal",
                    };
                    let _ = write!(
                        out,
                        "| After failed attempt | Backoff delay | Wait with {jitter} jitter |\n\
                         |---|---|---|\n"
                    );
                    for row in &delays {
                        out.push_str("| ");
                        push_escaped(out, &row.attempt);
                        out.push_str(" | ");
                        push_escaped(out, &row.delay);
                        out.push_str(" | ");
                        push_escaped(out, &row.jittered);
                        out.push_str(" |\n");
                    }
                }
                out.push('\n');
            }
        }

        /// The wait signals and the retry budget, when the spec declares them.
        fn signals(&self, out: &mut String) {
            let api = self.api;
            let lines = super::retry_extras(api);
            if lines.is_empty() {
                return;
            }
            out.push_str("## ");
            Self::anchor_tag(out, "section-signals");
            out.push_str(
                "Wait signals and retry budget\n\nBesides the policies' own headers, the \
                 server's answers about retrying are read from these, in this order: the \
                 first that says whether to retry decides it, and the first that holds a \
                 usable delay gives the wait. A malformed signal is ignored.\n\n",
            );
            for line in lines {
                out.push_str("- ");
                out.push_str(&line);
                out.push('\n');
            }
            out.push('\n');
        }

        /// `{% if limits %}`: the table of limits.
        fn limits(&self, out: &mut String) {
            let api = self.api;
            if api.limits.is_empty() {
                return;
            }
            out.push_str("## ");
            Self::anchor_tag(out, "section-limits");
            out.push_str(
                "Limits\n\n| Limit | Maximum | Scope | Description | Codes |\n\
                 |---|---|---|---|---|\n",
            );
            for (l, limit) in api.limits.iter().enumerate() {
                out.push_str("| ");
                Self::anchor_tag(out, &self.limit_anchors[l]);
                push_code_span(out, &limit.id);
                let _ = write!(out, " | {}", limit.max);
                Self::mark(out, &limit.inferred, "max");
                match limit.per_ms {
                    Some(per) => {
                        out.push_str(" per ");
                        push_escaped(out, &duration(per));
                        Self::mark(out, &limit.inferred, "per");
                    }
                    None => out.push_str(" at once"),
                }
                out.push_str(" | ");
                push_escaped(out, &limit.scope);
                Self::mark(out, &limit.inferred, "scope");
                out.push_str(" | ");
                self.push_inline(out, &limit.description);
                out.push_str(" | ");
                self.code_links_or_dash(out, &limit.codes);
                if !limit.codes.is_empty() {
                    Self::mark(out, &limit.inferred, "codes");
                }
                out.push_str(" |\n");
            }
            out.push('\n');
        }

        /// `{% if common_errors %}`: the table of common errors.
        fn common_errors(&self, out: &mut String) {
            let api = self.api;
            if api.common_errors.is_empty() {
                return;
            }
            out.push_str("## ");
            Self::anchor_tag(out, "section-common-errors");
            out.push_str(
                "Common errors\n\nProblems the page describes without a code of their \
                 own.\n\n| Problem | Solution | Codes | Limit |\n|---|---|---|---|\n",
            );
            for e in &api.common_errors {
                out.push_str("| ");
                push_escaped(out, &e.title);
                out.push_str(" | ");
                push_escaped(out, &e.solution);
                out.push_str(" | ");
                self.code_links_or_dash(out, &e.codes);
                if !e.codes.is_empty() {
                    Self::mark(out, &e.inferred, "codes");
                }
                out.push_str(" | ");
                match e.limit {
                    Some(l) => {
                        Self::code_link(out, &api.limits[l].id, &self.limit_anchors[l]);
                        Self::mark(out, &e.inferred, "limit");
                    }
                    None => out.push('—'),
                }
                out.push_str(" |\n");
            }
            out.push('\n');
        }

        /// `{% if errata %}` and the macro `wire_effect`: one section per erratum.
        fn errata(&self, out: &mut String) {
            if self.errata.is_empty() {
                return;
            }
            out.push_str("## ");
            Self::anchor_tag(out, "section-discrepancies");
            out.push_str(
                "Known discrepancies\n\nThe source page contradicts itself in these places. \
                 The spec keeps what the page documents and\nrecords what it shows; nothing \
                 here is corrected silently.\n\n",
            );
            let links = |out: &mut String, refs: &[super::CodeRef]| {
                for (n, r) in refs.iter().enumerate() {
                    if n > 0 {
                        out.push_str(", ");
                    }
                    Self::code_link(out, &r.wire, &r.anchor);
                }
            };
            for e in &self.errata {
                out.push_str("### ");
                Self::anchor_tag(out, &e.anchor);
                let _ = write!(out, "{}. ", e.number);
                push_escaped(out, e.field_text);
                if !e.codes.is_empty() {
                    out.push_str(": ");
                    links(out, &e.codes);
                }
                out.push_str("\n\n- **The page shows:** ");
                push_code_span(out, &e.page_shows);
                out.push('\n');
                if truthy(&e.documented) {
                    out.push_str("- **The spec documents:** ");
                    push_escaped(out, or(&e.documented, ""));
                    out.push('\n');
                }
                out.push_str("- **What is wrong:** ");
                let description = if e.description.is_empty() {
                    "the spec gives no description."
                } else {
                    &e.description
                };
                push_escaped(out, description);
                out.push_str("\n- **On the wire:** ");
                // Validation gives an alias exactly one code.
                if let (true, Some(first)) = (e.alias, e.codes.first()) {
                    out.push_str("accepted: errspec reads ");
                    push_code_span(out, &e.page_shows);
                    out.push_str(" as ");
                    Self::code_link(out, &first.wire, &first.anchor);
                    out.push_str(" (");
                    push_escaped(out, &first.variant);
                    out.push_str(").");
                } else if let Some(read_as) = &e.read_as {
                    out.push_str("no alias: ");
                    Self::code_link(out, &read_as.wire, &read_as.anchor);
                    out.push_str(" is itself a documented code, so a body carrying it is read as ");
                    push_escaped(out, &read_as.variant);
                    out.push('.');
                } else if e.field == "code" {
                    out.push_str("not accepted: errspec reads ");
                    push_code_span(out, &e.page_shows);
                    out.push_str(" as an unknown code.");
                } else {
                    out.push_str("not a code value; nothing changes on the wire.");
                }
                out.push_str("\n\n");
            }
        }
    }

    /// For [`super::code_errata`]: the wire values of an erratum's codes.
    pub(super) fn wire_index(errata: &[ErratumInfo]) -> HashMap<&str, Vec<usize>> {
        let mut index: HashMap<&str, Vec<usize>> = HashMap::new();
        for (n, e) in errata.iter().enumerate() {
            for r in &e.codes {
                let list = index.entry(r.wire.as_str()).or_default();
                if list.last() != Some(&n) {
                    list.push(n);
                }
            }
        }
        index
    }
}

#[cfg(test)]
mod tests {
    use super::{builtin_api_page, escape_text, Templates};

    /// A spec that takes every branch of the page: empty strings where a template test
    /// reads them as false, an unsafe URL, an empty category, policies without retries or
    /// users, long delay tables, errata of every kind.
    const EVERY_BRANCH: &str = r#"api:
  id: every_branch
  name: "Every *branch* API"
  source: every.txt
  url: "javascript:alert(1)"
  description: ""
  code_type: integer
  forward_compatibility: More may come.
envelopes:
  - id: deep
    description: ""
    root: error.detail
    code: { field: code, accepts: [integer, string] }
    message: ""
    fields:
      - { name: a_b, type: any, description: "" }
      - { name: c, type: object }
    statuses: [400]
    example: "  \n"
  - id: flat
    code: { field: code, accepts: [string] }
    statuses: [400, 409, 500]
statuses:
  - { status: 400, name: Bad Request, description: "", inferred: [name, description] }
  - { status: 409, name: Conflict, retry: once, inferred: [retry] }
  - { status: 500, name: Server Error, description: "1. Not a list", retry: long }
  - { status: 503, name: Unavailable }
retry:
  policies:
    once: { initial: 1s, max_attempts: 1, description: "" }
    long: { initial: 100ms, multiplier: 1.5, max_delay: 1h, max_attempts: 40, jitter: equal, retry_after: { header: X-Retry, default: 2s }, inferred: [jitter] }
    flat: { backoff: constant, initial: 2s, max_attempts: 4 }
    unused: { initial: 1s, max_delay: 1s, max_attempts: 3, jitter: none }
categories:
  - { id: empty, title: Empty section, description: "Nothing here", inferred: [title, description] }
  - { id: used, title: Used, description: "" }
limits:
  - { id: per_min, max: 5, per: 1m, scope: key, description: "Five a minute", codes: [1], inferred: [max, per, scope, codes] }
  - { id: at_once, max: 2, scope: key, description: Two at once }
common_errors:
  - { id: ce1, title: Too slow, solution: Wait, codes: [1, 2], limit: per_min, inferred: [codes, limit] }
  - { id: ce2, title: Other, solution: Nothing }
errata:
  - { field: code, page_shows: "2", codes: [1], description: "" }
  - { field: code, page_shows: "99", codes: [2], description: Unknown }
  - { field: body, page_shows: '{"code": 3}', codes: [1], description: Body }
  - { field: status, page_shows: "401", codes: [1], description: Status }
  - { field: heading, page_shows: "H", codes: [1, 2], description: Heading }
  - { field: message, page_shows: "M", codes: [2], description: Message }
  - { field: type, page_shows: "T", description: Type }
codes:
  - code: 1
    status: 400
    category: used
    message: "One | two"
    description: ""
    solution: ""
    envelope: deep
    retry: flat
    example: "{}\n"
    inferred: [status, category, message, description, solution, envelope, retry]
    errata:
      - { field: code, page_shows: "10", alias: true, description: Alias }
  - code: 2
    status: 409
    message: Two
    description: "- dash"
    solution: Fix it
    inferred: [retry, solution]
  - code: 3
    status: 500
    message: Three
    example: "  "
"#;

    #[test]
    fn only_the_built_in_api_template_is_written_directly() {
        let dir = std::env::temp_dir().join(format!("errspec-md-unit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.md.j2"), "index\n").unwrap();
        let api = crate::parse(EVERY_BRANCH, "every_branch.yaml").unwrap();
        let templates = Templates::from_dir(&dir).unwrap();
        assert_eq!(
            templates.render_api(&api).unwrap(),
            builtin_api_page(&api, None)
        );
        std::fs::write(dir.join("api.md.j2"), "{{ api.name }}\n").unwrap();
        let templates = Templates::from_dir(&dir).unwrap();
        assert!(templates
            .render_api(&api)
            .unwrap()
            .ends_with("Every \\*branch\\* API\n"));
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The escaping as first written, one character at a time: `escape_text` must give the
    /// same text, fast paths included.
    fn escape_reference(text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::new();
        let leading_digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
        for (i, &c) in chars.iter().enumerate() {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1).copied();
            match c {
                '\r' if next == Some('\n') => {}
                '\r' | '\n' => out.push_str("<br>"),
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '\\' | '`' | '*' | '[' | ']' | '|' | '~' | '$' => {
                    out.push('\\');
                    out.push(c);
                }
                '_' if prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric) =>
                {
                    out.push('_')
                }
                '_' => out.push_str("\\_"),
                '#' | '-' | '+' | '=' if i == 0 && !next.is_some_and(char::is_alphanumeric) => {
                    out.push('\\');
                    out.push(c);
                }
                '.' | ')'
                    if i > 0 && i == leading_digits && !next.is_some_and(char::is_alphanumeric) =>
                {
                    out.push('\\');
                    out.push(c);
                }
                ' ' if i == 0 => out.push_str("&#32;"),
                '\t' if i == 0 => out.push_str("&#9;"),
                _ => out.push(c),
            }
        }
        out
    }

    #[test]
    fn escaping_examples() {
        for (text, escaped) in [
            ("plain text", "plain text"),
            ("40001", "40001"),
            ("1. item", "1\\. item"),
            ("1.5 s", "1.5 s"),
            ("2) x", "2\\) x"),
            ("- x", "\\- x"),
            ("-1", "-1"),
            ("# h", "\\# h"),
            (" lead", "&#32;lead"),
            ("snake_case _x_", "snake_case \\_x\\_"),
            ("a|b <c> & d", "a\\|b &lt;c&gt; &amp; d"),
            ("one\r\ntwo\rthree", "one<br>two<br>three"),
        ] {
            assert_eq!(escape_text(text), escaped, "{text:?}");
            assert_eq!(escape_reference(text), escaped, "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn escaping_matches_the_reference(
            text in "([0-9a-zA-Zé_#+=.)\\- \t\r\n&<>\\\\`*\\[\\]|~$]|\\PC){0,16}"
        ) {
            proptest::prop_assert_eq!(escape_text(&text), escape_reference(&text));
        }
    }
}
