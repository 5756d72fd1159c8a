//! Checks a spec against the page it was transcribed from: finds the code-like tokens of the
//! page and reports those the spec lacks.
//!
//! # What a code looks like
//!
//! A token is taken for a code only when it has the shape of the spec's own codes (their wire
//! values and aliases), so that prose numbers and words are not codes unless they look like
//! the codes. The shapes are read from the codes:
//!
//! - `N digits` (`40001`), `N upper-case letters and digits` with at least one digit
//!   (`22P02`, `0A000`);
//! - words of one case joined by separators: `snake_case`, `SCREAMING_SNAKE`, `kebab-case`,
//!   lower-case words separated by spaces (`no such element`), single words (`conflict`,
//!   `UNKNOWN`);
//! - `CamelCase` (at least two capitals, `QueueDoesNotExist`), `lowerCamelCase`,
//!   `Capitalized`, and dotted names (`AWS.SimpleQueueService.NonExistentQueue`).
//!
//! A token has a shape of the spec when its case is one the codes have and its separators are
//! among those the codes of that case use (`unauthorized` has the shape of `invalid_request`).
//! [`Options::pattern`] replaces the shapes with a regular expression that a whole token must
//! match. The spec's codes that have no shape, or do not match the pattern, are listed in
//! [`Report::unmatched`].
//!
//! # Where codes are looked for
//!
//! The page is read as what it is ([`Format`]):
//!
//! - **Text and Markdown**: line by line. A token that is a whole unit counts with any shape
//!   of the spec: a cell of a table's code column, a list item, an inline code span, a line
//!   on its own. Distinctive shapes (with `_` or `.`, CamelCase, four or more digits or
//!   alphanumerics) also count as words: the first word of a list item (after a `400 -`
//!   status prefix) and the words of rows of tables without a code column. Four or more digits
//!   or alphanumerics count anywhere, fenced code blocks included; other words are looked for
//!   outside fenced code blocks only. In a table with a column headed like a code column
//!   (`Code`, `Error code`, `JSON Error Code`, `SQLSTATE`, `Error`, ...), the code columns
//!   give codes and the other columns do not; a column headed like a status (`HTTP Status`)
//!   gives statuses.
//! - **HTML**: through an HTML5 tokenizer (entities, comments, scripts and unclosed cells read
//!   as browsers read them), into the same blocks: paragraphs, list items, table rows with
//!   their `<th>` header, inline `<code>`, `<pre>` as fenced code; each block keeps the source
//!   line it starts on.
//! - **JSON**: every string and number leaf, and every key whose value is an object or an
//!   array (catalogs keyed by code), is a whole unit; a number from 100 to 599 under a key
//!   naming a status (`status`, `httpStatusCode`) is a status. Each keeps its line.
//!
//! Statuses, in text and HTML, are numbers from 100 to 599 that start a line or list item
//! (`400 - Bad request`, `503 Service Unavailable`), the first cell of a table row, or a cell
//! of a status column.
//!
//! A token is known when the spec documents it: as a code, an alias, a status, a value an
//! erratum says the page shows, or the name of an envelope field (field tables name fields,
//! not codes). A page on which no code-like token is found at all is reported by
//! [`Report::found_nothing`]: the check would say nothing about it.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use regex::Regex;

use crate::ir;

/// What a token was taken for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TokenKind {
    /// An error code.
    Code,
    /// An HTTP status.
    Status,
}

impl fmt::Display for TokenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TokenKind::Code => "code",
            TokenKind::Status => "status",
        })
    }
}

/// A code-like token found on the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// Code or status.
    pub kind: TokenKind,
    /// The token as the page writes it.
    pub text: String,
    /// The 1-based line of the page it was found on.
    pub line: usize,
}

/// How the page is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Plain text or Markdown.
    Text,
    /// HTML.
    Html,
    /// JSON.
    Json,
}

impl Format {
    /// The format a file name's extension names: `.json`; `.html`, `.htm`, `.xhtml`; `.md`,
    /// `.markdown` (Markdown may hold HTML tags and stays Markdown). `None` for any other
    /// name, `.txt` included: the page's content decides ([`Format::detect`]).
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(Format::Json),
            "html" | "htm" | "xhtml" => Some(Format::Html),
            "md" | "markdown" => Some(Format::Text),
            _ => None,
        }
    }

    /// The format of a page by its content: JSON if it parses as a JSON object or array, HTML
    /// if it starts with a doctype, an `<html>`, `<head>` or `<body>` tag, or another tag
    /// followed by block tags, else text.
    pub fn detect(document: &str) -> Format {
        let start = document.trim_start_matches('\u{feff}').trim_start();
        if start.starts_with(['{', '[']) && json_ast(document).is_ok() {
            return Format::Json;
        }
        let lower: String = start
            .chars()
            .take(512)
            .collect::<String>()
            .to_ascii_lowercase();
        let lower = skip_comments(&lower);
        if ["<!doctype html", "<html", "<head", "<body"]
            .iter()
            .any(|p| lower.starts_with(p))
        {
            return Format::Html;
        }
        if lower.starts_with('<') {
            let lower = document.to_ascii_lowercase();
            let blocks = [
                "<p>", "<p ", "<div", "<table", "<tr", "<li", "<h1", "<h2", "<h3",
            ];
            if blocks.iter().any(|tag| lower.contains(tag)) {
                return Format::Html;
            }
        }
        Format::Text
    }
}

fn skip_comments(mut text: &str) -> &str {
    while let Some(rest) = text.strip_prefix("<!--") {
        match rest.find("-->") {
            Some(end) => text = rest[end + 3..].trim_start(),
            None => return "",
        }
    }
    text
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Text => "text",
            Format::Html => "HTML",
            Format::Json => "JSON",
        })
    }
}

/// How [`verify`] reads the page.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Tokens that are never reported missing.
    pub ignore: Vec<String>,
    /// A regular expression a whole token must match to be a code, instead of the shapes of
    /// the spec's codes. Tokens are then also looked for as words anywhere on the page.
    pub pattern: Option<Regex>,
    /// How to read the page; `None`: by its content ([`Format::detect`]).
    pub format: Option<Format>,
}

/// Why a page could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// The page was to be read as JSON and is not JSON.
    Json(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Json(message) => write!(f, "the page is not valid JSON: {message}"),
        }
    }
}

impl std::error::Error for Error {}

/// The outcome of [`verify`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// How the page was read.
    pub format: Format,
    /// What a code was taken to look like: the shapes of the spec's codes, with an example
    /// of each, or the pattern.
    pub shapes: Vec<String>,
    /// Every token found, in page order (one per token and line).
    pub tokens: Vec<Token>,
    /// The first occurrence of each token the spec lacks, ignored ones left out.
    pub missing: Vec<Token>,
    /// The ignored tokens that were found.
    pub ignored: Vec<String>,
    /// The spec's codes whose wire value does not occur on the page at all.
    pub not_on_page: Vec<String>,
    /// The spec's wire values (codes and aliases) that have no shape, or do not match the
    /// pattern: tokens like them are not looked for.
    pub unmatched: Vec<String>,
}

impl Report {
    /// How many distinct tokens of `kind` the page has.
    pub fn distinct(&self, kind: TokenKind) -> usize {
        self.tokens
            .iter()
            .filter(|t| t.kind == kind)
            .map(|t| t.text.as_str())
            .collect::<BTreeSet<_>>()
            .len()
    }

    /// Whether no code-like token was found on the page: the spec was not checked at all.
    pub fn found_nothing(&self) -> bool {
        !self.tokens.iter().any(|t| t.kind == TokenKind::Code)
    }
}

/// Checks `api` against the page `document`.
///
/// # Errors
///
/// [`Error::Json`] if the page is to be read as JSON ([`Options::format`]) and is not JSON.
pub fn verify(api: &ir::Api, document: &str, options: &Options) -> Result<Report, Error> {
    let format = options.format.unwrap_or_else(|| Format::detect(document));
    let units = match format {
        Format::Text => text_units(document),
        Format::Html => html_units(document),
        Format::Json => json_units(document)?,
    };

    let wires: Vec<&str> = api
        .codes
        .iter()
        .flat_map(|c| std::iter::once(c.wire.as_str()).chain(c.aliases.iter().map(String::as_str)))
        .collect();
    let matcher = match &options.pattern {
        Some(pattern) => Matcher::Pattern(pattern.clone()),
        None => Matcher::Shapes(Shapes::of(&wires)),
    };
    let unmatched = wires
        .iter()
        .filter(|w| !matcher.accepts(w))
        .map(|w| (*w).to_owned())
        .collect();
    let tokens = extract(&units, &matcher);

    let mut known_codes: BTreeSet<String> = BTreeSet::new();
    let mut known_statuses: BTreeSet<String> = BTreeSet::new();
    known_codes.extend(wires.iter().map(|w| (*w).to_owned()));
    for s in &api.statuses {
        known_statuses.insert(s.number.to_string());
    }
    for e in &api.errata {
        known_codes.insert(e.page_shows.trim().to_owned());
        for word in words(&e.page_shows) {
            known_codes.insert(word.to_owned());
            known_statuses.insert(word.to_owned());
        }
    }
    for env in &api.envelopes {
        known_codes.insert(env.code_field.clone());
        known_codes.extend(env.message_field.iter().cloned());
        known_codes.extend(env.fields.iter().map(|f| f.name.clone()));
        known_codes.extend(env.root.iter().cloned());
    }

    let mut missing: Vec<Token> = Vec::new();
    let mut ignored: Vec<String> = Vec::new();
    for token in &tokens {
        let known = match token.kind {
            TokenKind::Code => &known_codes,
            TokenKind::Status => &known_statuses,
        };
        if known.contains(&token.text) {
            continue;
        }
        if options.ignore.iter().any(|i| i == &token.text) {
            if !ignored.contains(&token.text) {
                ignored.push(token.text.clone());
            }
            continue;
        }
        if !missing
            .iter()
            .any(|m| m.kind == token.kind && m.text == token.text)
        {
            missing.push(token.clone());
        }
    }

    let on_page: BTreeSet<&str> = units
        .iter()
        .flat_map(|u| candidates(&u.text).into_iter().chain([unquote(&u.text)]))
        .collect();
    let not_on_page = api
        .codes
        .iter()
        .filter(|c| {
            !on_page.contains(c.wire.as_str())
                && !units.iter().any(|u| contains_word(&u.text, &c.wire))
        })
        .map(|c| c.wire.clone())
        .collect();

    Ok(Report {
        format,
        shapes: matcher.describe(),
        tokens,
        missing,
        ignored,
        not_on_page,
        unmatched,
    })
}

// ---------------------------------------------------------------------------------------------
// Shapes

/// The case of a code, the first half of its shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Case {
    /// All digits, of this length.
    Digits(usize),
    /// Upper-case letters and digits, at least one of each, of this length, no separator.
    Alnum(usize),
    /// Lower-case letters and digits.
    Lower,
    /// Upper-case letters and digits.
    Upper,
    /// Both cases, starting with a capital, at least two capitals.
    Camel,
    /// Both cases, starting lower-case.
    LowerCamel,
    /// One capital, at the start.
    Capitalized,
}

const UNDERSCORE: u8 = 1;
const HYPHEN: u8 = 2;
const DOT: u8 = 4;
const SPACE: u8 = 8;

fn separator_bit(c: char) -> Option<u8> {
    match c {
        '_' => Some(UNDERSCORE),
        '-' => Some(HYPHEN),
        '.' => Some(DOT),
        ' ' => Some(SPACE),
        _ => None,
    }
}

/// The case of `token` and the separators it uses, or `None` if it has no shape: empty, too
/// long, with characters other than ASCII letters, digits and single separators between
/// them.
fn classify(token: &str) -> Option<(Case, u8)> {
    if token.is_empty() || token.len() > 128 {
        return None;
    }
    let bytes = token.as_bytes();
    let digits = bytes.iter().filter(|b| b.is_ascii_digit()).count();
    let upper = bytes.iter().filter(|b| b.is_ascii_uppercase()).count();
    let lower = bytes.iter().filter(|b| b.is_ascii_lowercase()).count();
    if digits == bytes.len() {
        return (bytes.len() <= 20).then_some((Case::Digits(bytes.len()), 0));
    }
    if digits > 0 && upper > 0 && digits + upper == bytes.len() && bytes.len() <= 8 {
        return Some((Case::Alnum(bytes.len()), 0));
    }
    let mut separators = 0;
    let mut after_separator = true;
    for c in token.chars() {
        if c.is_ascii_alphanumeric() {
            after_separator = false;
        } else {
            let bit = separator_bit(c)?;
            if after_separator {
                return None;
            }
            separators |= bit;
            after_separator = true;
        }
    }
    if after_separator || upper + lower == 0 {
        return None;
    }
    let first_upper = bytes[0].is_ascii_uppercase();
    let case = if upper == 0 {
        Case::Lower
    } else if lower == 0 {
        Case::Upper
    } else if !first_upper {
        Case::LowerCamel
    } else if upper >= 2 {
        Case::Camel
    } else {
        Case::Capitalized
    };
    Some((case, separators))
}

/// Whether a token of this shape is unlike prose enough to be taken for a code inside a
/// sentence or a table row, not only as a whole unit.
fn distinctive(case: Case, separators: u8) -> bool {
    match case {
        Case::Digits(n) | Case::Alnum(n) => n >= 4,
        Case::Camel | Case::LowerCamel => true,
        _ => separators & (UNDERSCORE | DOT) != 0,
    }
}

/// The shapes of a spec's codes: per case, the separators its codes use, and an example.
struct Shapes {
    cases: BTreeMap<Case, (u8, String)>,
    /// Per case, each set of separators one code uses.
    exact: BTreeSet<(Case, u8)>,
}

impl Shapes {
    fn of(wires: &[&str]) -> Shapes {
        let mut cases: BTreeMap<Case, (u8, String)> = BTreeMap::new();
        let mut exact = BTreeSet::new();
        for wire in wires {
            if let Some((case, separators)) = classify(wire) {
                exact.insert((case, separators));
                let entry = cases.entry(case).or_insert((0, (*wire).to_owned()));
                if separators & !entry.0 != 0 {
                    entry.1 = (*wire).to_owned();
                }
                entry.0 |= separators;
            }
        }
        Shapes { cases, exact }
    }

    fn shape_of(&self, token: &str) -> Option<(Case, u8)> {
        let (case, separators) = classify(token)?;
        let (allowed, _) = self.cases.get(&case)?;
        (separators & !allowed == 0).then_some((case, separators))
    }
}

enum Matcher {
    Shapes(Shapes),
    Pattern(Regex),
}

/// Where in a page a candidate token stands.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    /// A whole unit that holds one value: a code cell, a code span, a JSON leaf. A token
    /// counts when its case is one of the codes' and its separators are among theirs.
    Whole,
    /// A line or list item on its own: a token counts when one of the codes has its case and
    /// exactly its separators (`SMS` alone on a line is not a code of a spec whose
    /// upper-case codes are all `SCREAMING_SNAKE`).
    Line,
    /// A word among others, where pages put codes: a table row, a list item's first word.
    Word,
    /// Any word of the page.
    Anywhere,
}

impl Matcher {
    fn accepts(&self, token: &str) -> bool {
        self.accepts_at(token, Place::Whole)
    }

    fn accepts_at(&self, token: &str, place: Place) -> bool {
        match self {
            Matcher::Pattern(pattern) => pattern
                .find(token)
                .is_some_and(|m| m.start() == 0 && m.end() == token.len()),
            Matcher::Shapes(shapes) => match shapes.shape_of(token) {
                None => false,
                Some((case, separators)) => match place {
                    Place::Whole => true,
                    Place::Line => shapes.exact.contains(&(case, separators)),
                    Place::Word => distinctive(case, separators),
                    Place::Anywhere => {
                        matches!(case, Case::Digits(n) | Case::Alnum(n) if n >= 4)
                    }
                },
            },
        }
    }

    fn describe(&self) -> Vec<String> {
        match self {
            Matcher::Pattern(pattern) => vec![format!("the pattern `{}`", pattern.as_str())],
            Matcher::Shapes(shapes) => shapes
                .cases
                .iter()
                .map(|(case, (separators, example))| {
                    let what = match case {
                        Case::Digits(n) => format!("{n} digits"),
                        Case::Alnum(n) => format!("{n} upper-case letters and digits"),
                        Case::Lower => "lower-case words".to_owned(),
                        Case::Upper => "upper-case words".to_owned(),
                        Case::Camel => "CamelCase words".to_owned(),
                        Case::LowerCamel => "lowerCamelCase words".to_owned(),
                        Case::Capitalized => "capitalized words".to_owned(),
                    };
                    let joined: Vec<&str> = [
                        (UNDERSCORE, "`_`"),
                        (HYPHEN, "`-`"),
                        (DOT, "`.`"),
                        (SPACE, "spaces"),
                    ]
                    .iter()
                    .filter(|(bit, _)| separators & bit != 0)
                    .map(|(_, name)| *name)
                    .collect();
                    if joined.is_empty() {
                        format!("{what} (like `{example}`)")
                    } else {
                        format!(
                            "{what} joined by {} (like `{example}`)",
                            joined.join(" or ")
                        )
                    }
                })
                .collect(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Units: the pieces of a page that tokens are looked for in

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// The whole text is one candidate code; a status if it is a status number that is not a
    /// code.
    Whole,
    /// The whole text is one candidate code, never a status.
    WholeCode,
    /// A line or paragraph on its own: one candidate code of any shape if nothing but quotes
    /// surround it, of a distinctive shape if punctuation does (`40001:`, `INVALID_ARGUMENT.`).
    Line,
    /// Each word is a candidate where pages put codes.
    Words,
    /// The first word is a candidate where pages put codes.
    FirstWord,
    /// Every word is a candidate anywhere on the page (long numbers and alphanumerics).
    Anywhere,
    /// A status number as the whole text.
    Status,
    /// A status number starting the text.
    LeadStatus,
    /// Only part of the page's text, for [`Report::not_on_page`].
    Context,
}

struct Unit {
    role: Role,
    text: String,
    line: usize,
}

struct Units(Vec<Unit>);

impl Units {
    fn push(&mut self, role: Role, text: &str, line: usize) {
        if !text.trim().is_empty() {
            self.0.push(Unit {
                role,
                text: text.to_owned(),
                line,
            });
        }
    }

    /// A paragraph or line outside tables: its words, leading status, list item, code spans
    /// and the line alone.
    fn block(&mut self, text: &str, spans: &[(String, usize)], item: bool, line: usize) {
        self.push(Role::Anywhere, text, line);
        let trimmed = text.trim();
        let lead = trimmed.trim_start_matches('#').trim_start();
        self.push(Role::LeadStatus, lead, line);
        if item {
            let rest = strip_status_prefix(lead);
            self.push(Role::FirstWord, rest, line);
            self.push(Role::Line, rest, line);
        }
        for (span, span_line) in spans {
            self.push(Role::WholeCode, span, *span_line);
        }
        self.push(Role::Line, lead, line);
    }

    /// The rows of one table, `header` naming its columns if it has one.
    fn table(&mut self, header: Option<&[Cell]>, rows: &[(usize, Vec<Cell>)]) {
        let columns: Vec<Column> = header
            .map(|h| h.iter().map(|c| Column::of(&c.text)).collect())
            .unwrap_or_default();
        let has_code_column = columns.contains(&Column::Code);
        for (_, cells) in rows {
            for (i, cell) in cells.iter().enumerate() {
                let line = &cell.line;
                let column = columns.get(i).copied().unwrap_or(Column::Other);
                match (has_code_column, column) {
                    (true, Column::Code) => {
                        self.push(Role::Anywhere, &cell.text, *line);
                        self.push(Role::Whole, &cell.text, *line);
                        for (span, span_line) in &cell.spans {
                            self.push(Role::WholeCode, span, *span_line);
                        }
                    }
                    (_, Column::Status) => {
                        self.push(Role::Status, &cell.text, *line);
                        self.push(Role::Context, &cell.text, *line);
                    }
                    (true, Column::Other) => self.push(Role::Context, &cell.text, *line),
                    (false, _) => {
                        self.push(Role::Anywhere, &cell.text, *line);
                        self.push(Role::Words, &cell.text, *line);
                        if i == 0 {
                            self.push(Role::Status, &cell.text, *line);
                        }
                        for (span, span_line) in &cell.spans {
                            self.push(Role::WholeCode, span, *span_line);
                        }
                    }
                }
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Column {
    Code,
    Status,
    Other,
}

impl Column {
    /// What a column holds, by its header: `HTTP Status`, `Status code` name statuses;
    /// `Code`, `Error`, `Error code`, `JSON Error Code`, `SQLSTATE`, `Exception` name codes.
    fn of(header: &str) -> Column {
        let h: String = unquote(header)
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
            .collect();
        let words: Vec<&str> = h.split_whitespace().collect();
        if words.iter().any(|w| matches!(*w, "status" | "http")) {
            return Column::Status;
        }
        let code_word = |w: &&str| {
            matches!(
                *w,
                "code"
                    | "codes"
                    | "errorcode"
                    | "errcode"
                    | "sqlstate"
                    | "exception"
                    | "error_code"
            )
        };
        let error_alone = matches!(words.as_slice(), ["error"] | ["errors"]);
        if error_alone || words.last().is_some_and(code_word) {
            Column::Code
        } else {
            Column::Other
        }
    }
}

#[derive(Clone, Debug, Default)]
struct Cell {
    text: String,
    /// The inline code spans, with the line each starts on.
    spans: Vec<(String, usize)>,
    /// The line the cell's text starts on.
    line: usize,
}

// ---------------------------------------------------------------------------------------------
// Text and Markdown

fn text_units(document: &str) -> Vec<Unit> {
    let mut units = Units(Vec::new());
    let lines: Vec<&str> = document.lines().collect();
    let mut in_fence = false;
    // The rows of the table being read: its header, and its rows with their lines.
    let mut header: Option<Vec<Cell>> = None;
    let mut rows: Vec<(usize, Vec<Cell>)> = Vec::new();

    for (index, text) in lines.iter().enumerate() {
        let n = index + 1;
        let trimmed = text.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            units.push(Role::Anywhere, text, n);
            continue;
        }
        if in_fence {
            units.push(Role::Anywhere, text, n);
            continue;
        }
        if trimmed.contains('|') {
            if is_separator(trimmed) {
                // The row before a separator names the columns of a new table.
                let named = rows.pop().map(|(_, cells)| cells);
                units.table(header.as_deref(), &rows);
                rows.clear();
                header = named;
                continue;
            }
            let cells = cells(trimmed)
                .into_iter()
                .map(|c| Cell {
                    text: c.to_owned(),
                    spans: code_spans(c)
                        .into_iter()
                        .map(|s| (s.to_owned(), n))
                        .collect(),
                    line: n,
                })
                .collect();
            rows.push((n, cells));
            units.push(Role::LeadStatus, trimmed, n);
            continue;
        }
        units.table(header.as_deref(), &rows);
        rows.clear();
        header = None;

        let item = list_item(trimmed);
        let spans: Vec<(String, usize)> = code_spans(trimmed)
            .into_iter()
            .map(|s| (s.to_owned(), n))
            .collect();
        units.block(item.unwrap_or(trimmed), &spans, item.is_some(), n);
    }
    units.table(header.as_deref(), &rows);
    units.0
}

/// The text of a list item (`- x`, `* x`, `+ x`, `• x`, `1. x`, `1) x`), or `None`.
fn list_item(trimmed: &str) -> Option<&str> {
    for marker in ["- ", "* ", "+ ", "• ", "· "] {
        if let Some(rest) = trimmed.strip_prefix(marker) {
            return Some(rest.trim_start());
        }
    }
    let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &trimmed[digits..];
        for marker in [". ", ") "] {
            if let Some(rest) = rest.strip_prefix(marker) {
                return Some(rest.trim_start());
            }
        }
    }
    None
}

/// A table's separator row, such as `|---|:---:|`.
fn is_separator(row: &str) -> bool {
    let row = row.trim();
    row.contains('|')
        && row.contains('-')
        && cells(row).iter().all(|c| {
            let c = c.trim_matches(':');
            !c.is_empty() && c.chars().all(|ch| ch == '-')
        })
}

fn cells(row: &str) -> Vec<&str> {
    let row = row.strip_prefix('|').unwrap_or(row);
    let row = row.strip_suffix('|').unwrap_or(row);
    row.split('|').map(str::trim).collect()
}

/// The contents of the backtick code spans of a line.
fn code_spans(line: &str) -> Vec<&str> {
    let mut spans = Vec::new();
    let mut rest = line;
    while let Some(open) = rest.find('`') {
        let after = &rest[open + 1..];
        match after.find('`') {
            Some(close) => {
                spans.push(&after[..close]);
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    spans
}

// ---------------------------------------------------------------------------------------------
// HTML

const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "section",
    "summary",
    "title",
    "ul",
];

/// The text being gathered: a paragraph, a list item or a table cell.
#[derive(Default)]
struct Gathered {
    text: String,
    spans: Vec<(String, usize)>,
    line: usize,
    /// The code span being read, if inside `<code>`, and the line it starts on.
    span: Option<(String, usize)>,
}

impl Gathered {
    fn push(&mut self, c: char, line: usize) {
        if c.is_whitespace() {
            if !self.text.is_empty() && !self.text.ends_with(' ') {
                self.text.push(' ');
            }
            if let Some((span, _)) = &mut self.span {
                if !span.is_empty() && !span.ends_with(' ') {
                    span.push(' ');
                }
            }
            return;
        }
        if self.text.is_empty() {
            self.line = line;
        }
        self.text.push(c);
        if let Some((span, span_line)) = &mut self.span {
            if span.is_empty() {
                *span_line = line;
            }
            span.push(c);
        }
    }

    fn take(&mut self) -> Gathered {
        self.end_span();
        std::mem::take(self)
    }

    fn end_span(&mut self) {
        if let Some((span, line)) = self.span.take() {
            self.spans.push((span.trim().to_owned(), line));
        }
    }
}

struct Table {
    header: Option<Vec<Cell>>,
    rows: Vec<(usize, Vec<Cell>)>,
    row: Option<(usize, Vec<Cell>, bool)>,
    cell: Option<Gathered>,
}

#[derive(Default)]
struct HtmlReader {
    units: Vec<Unit>,
    block: Gathered,
    item: bool,
    /// Inside `<pre>`: the line being read and its number.
    pre: Option<(String, usize)>,
    tables: Vec<Table>,
    /// Inside a `<script>`, `<style>` or other element whose text is not the page's.
    skip: bool,
}

impl HtmlReader {
    fn units(&mut self) -> Units {
        Units(std::mem::take(&mut self.units))
    }

    fn flush_block(&mut self) {
        let block = self.block.take();
        let mut units = self.units();
        if !block.text.trim().is_empty() {
            units.block(block.text.trim(), &block.spans, self.item, block.line);
        }
        self.units = units.0;
        self.item = false;
    }

    fn flush_pre_line(&mut self) {
        if let Some((line, number)) = &mut self.pre {
            let text = std::mem::take(line);
            let number = *number;
            let mut units = self.units();
            units.push(Role::Anywhere, &text, number);
            self.units = units.0;
        }
    }

    fn gathered(&mut self) -> &mut Gathered {
        match self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
            Some(cell) => cell,
            None => &mut self.block,
        }
    }

    fn end_cell(&mut self) {
        if let Some(table) = self.tables.last_mut() {
            if let Some(mut cell) = table.cell.take() {
                let cell = cell.take();
                if let Some((_, cells, _)) = &mut table.row {
                    cells.push(Cell {
                        text: cell.text.trim().to_owned(),
                        spans: cell.spans,
                        line: cell.line,
                    });
                }
            }
        }
    }

    fn end_row(&mut self) {
        self.end_cell();
        if let Some(table) = self.tables.last_mut() {
            if let Some((line, cells, all_th)) = table.row.take() {
                if all_th && table.header.is_none() && table.rows.is_empty() {
                    table.header = Some(cells);
                } else if !cells.is_empty() {
                    table.rows.push((line, cells));
                }
            }
        }
    }

    fn start_row(&mut self, line: usize) {
        self.end_row();
        if let Some(table) = self.tables.last_mut() {
            table.row = Some((line, Vec::new(), true));
        }
    }

    fn start_cell(&mut self, th: bool, line: usize) {
        self.end_cell();
        if self.tables.last().is_some_and(|t| t.row.is_none()) {
            self.start_row(line);
        }
        if let Some(table) = self.tables.last_mut() {
            if let Some((_, _, all_th)) = &mut table.row {
                *all_th &= th;
            }
            table.cell = Some(Gathered {
                line,
                ..Gathered::default()
            });
        }
    }

    fn end_table(&mut self) {
        self.end_row();
        if let Some(table) = self.tables.pop() {
            let mut units = self.units();
            units.table(table.header.as_deref(), &table.rows);
            self.units = units.0;
        }
    }

    fn tag(&mut self, tag: &html5ever::tokenizer::Tag, line: usize) -> RawText {
        use html5ever::tokenizer::TagKind;
        let name: &str = &tag.name;
        let start = tag.kind == TagKind::StartTag;
        if self.skip {
            if !start && matches!(name, "script" | "style" | "template" | "noscript") {
                self.skip = false;
            }
            return RawText::No;
        }
        match (name, start) {
            ("script" | "style" | "template" | "noscript", true) => {
                self.skip = true;
                return match name {
                    "script" => RawText::Script,
                    "noscript" | "template" => RawText::No,
                    _ => RawText::Raw,
                };
            }
            ("textarea" | "title", true) => return RawText::Rcdata,
            ("code" | "kbd" | "samp" | "tt", true) if self.pre.is_none() => {
                let gathered = self.gathered();
                if gathered.span.is_none() {
                    gathered.span = Some((String::new(), line));
                }
            }
            ("code" | "kbd" | "samp" | "tt", false) if self.pre.is_none() => {
                self.gathered().end_span();
            }
            ("pre" | "listing" | "xmp", true) => {
                self.flush_block();
                self.pre = Some((String::new(), line));
                return if name == "xmp" {
                    RawText::Raw
                } else {
                    RawText::No
                };
            }
            ("pre" | "listing" | "xmp", false) => {
                self.flush_pre_line();
                self.pre = None;
            }
            ("table", true) => {
                self.flush_block();
                self.tables.push(Table {
                    header: None,
                    rows: Vec::new(),
                    row: None,
                    cell: None,
                });
            }
            ("table", false) => self.end_table(),
            ("tr", true) if !self.tables.is_empty() => self.start_row(line),
            ("tr", false) => self.end_row(),
            ("td" | "th", true) if !self.tables.is_empty() => {
                self.start_cell(name == "th", line);
            }
            ("td" | "th", false) => self.end_cell(),
            ("thead" | "tbody" | "tfoot", _) => self.end_row(),
            (name, _) if BLOCK_TAGS.contains(&name) => {
                if self.tables.last().is_some_and(|t| t.cell.is_some()) {
                    self.gathered().push(' ', line);
                } else {
                    self.flush_block();
                    self.item = start && name == "li";
                }
            }
            _ => {}
        }
        RawText::No
    }

    fn text(&mut self, text: &str, end_line: usize) {
        if self.skip {
            return;
        }
        let mut line = end_line.saturating_sub(text.matches('\n').count()).max(1);
        for c in text.chars() {
            if let Some((current, number)) = &mut self.pre {
                if c == '\n' {
                    self.flush_pre_line();
                    if let Some((_, number)) = &mut self.pre {
                        *number = line + 1;
                    }
                } else {
                    if current.trim().is_empty() {
                        *number = line;
                    }
                    current.push(c);
                }
            } else {
                self.gathered().push(c, line);
            }
            if c == '\n' {
                line += 1;
            }
        }
    }
}

enum RawText {
    No,
    Raw,
    Rcdata,
    Script,
}

struct HtmlSink(RefCell<HtmlReader>);

impl html5ever::tokenizer::TokenSink for HtmlSink {
    type Handle = ();

    fn process_token(
        &self,
        token: html5ever::tokenizer::Token,
        line_number: u64,
    ) -> html5ever::tokenizer::TokenSinkResult<()> {
        use html5ever::tokenizer::states::RawKind;
        use html5ever::tokenizer::{Token, TokenSinkResult};
        let line = usize::try_from(line_number).unwrap_or(usize::MAX);
        let mut reader = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) => match reader.tag(&tag, line) {
                RawText::No => {}
                RawText::Raw => return TokenSinkResult::RawData(RawKind::Rawtext),
                RawText::Rcdata => return TokenSinkResult::RawData(RawKind::Rcdata),
                RawText::Script => return TokenSinkResult::RawData(RawKind::ScriptData),
            },
            Token::CharacterTokens(text) => reader.text(&text, line),
            Token::EOFToken => {
                reader.flush_pre_line();
                reader.pre = None;
                while !reader.tables.is_empty() {
                    reader.end_table();
                }
                reader.flush_block();
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

fn html_units(document: &str) -> Vec<Unit> {
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::{BufferQueue, Tokenizer, TokenizerOpts};
    use html5ever::TokenizerResult;
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(document));
    let tokenizer = Tokenizer::new(
        HtmlSink(RefCell::new(HtmlReader::default())),
        TokenizerOpts::default(),
    );
    while let TokenizerResult::Script(()) = tokenizer.feed(&input) {}
    tokenizer.end();
    let mut reader = tokenizer.sink.0.borrow_mut();
    std::mem::take(&mut reader.units)
}

// ---------------------------------------------------------------------------------------------
// JSON

fn json_ast(document: &str) -> Result<Option<jsonc_parser::ast::Value<'_>>, String> {
    let strict = jsonc_parser::ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    jsonc_parser::parse_to_ast(document, &jsonc_parser::CollectOptions::default(), &strict)
        .map(|result| result.value)
        .map_err(|err| err.to_string())
}

fn json_units(document: &str) -> Result<Vec<Unit>, Error> {
    use jsonc_parser::ast::{ObjectPropName, Value};
    let value = json_ast(document).map_err(Error::Json)?;
    let starts: Vec<usize> = std::iter::once(0)
        .chain(document.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| starts.partition_point(|&s| s <= offset);
    let mut units = Units(Vec::new());
    // Depth-first, in document order: (value, the key it is under).
    let mut stack: Vec<(&Value<'_>, Option<String>)> = Vec::new();
    if let Some(value) = &value {
        stack.push((value, None));
    }
    while let Some((value, key)) = stack.pop() {
        match value {
            Value::Object(object) => {
                for prop in object.properties.iter().rev() {
                    stack.push((&prop.value, Some(prop.name.as_str().to_owned())));
                }
                // A key is a code when its value is an object or an array: catalogs keyed by
                // code.
                for prop in &object.properties {
                    let range = match &prop.name {
                        ObjectPropName::String(s) => s.range,
                        ObjectPropName::Word(w) => w.range,
                    };
                    let line = line_of(range.start);
                    let name = prop.name.as_str();
                    units.push(Role::Context, name, line);
                    if matches!(prop.value, Value::Object(_) | Value::Array(_)) {
                        units.push(Role::WholeCode, name, line);
                    }
                }
            }
            Value::Array(array) => {
                for element in array.elements.iter().rev() {
                    stack.push((element, key.clone()));
                }
            }
            Value::StringLit(s) => {
                let line = line_of(s.range.start);
                json_leaf(&mut units, s.value.trim(), key.as_deref(), line);
            }
            Value::NumberLit(n) => {
                let line = line_of(n.range.start);
                json_leaf(&mut units, n.value, key.as_deref(), line);
            }
            Value::BooleanLit(_) | Value::NullKeyword(_) => {}
        }
    }
    units.0.sort_by_key(|u| u.line);
    Ok(units.0)
}

fn json_leaf(units: &mut Units, text: &str, key: Option<&str>, line: usize) {
    units.push(Role::Context, text, line);
    let status_key = key.is_some_and(|k| k.to_ascii_lowercase().contains("status"));
    if status_key {
        units.push(Role::Whole, text, line);
    } else {
        units.push(Role::WholeCode, text, line);
    }
}

// ---------------------------------------------------------------------------------------------
// Tokens

fn extract(units: &[Unit], matcher: &Matcher) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut push = |kind, text: &str, line: usize| {
        if !out
            .iter()
            .rev()
            .take_while(|t: &&Token| t.line == line)
            .any(|t| t.kind == kind && t.text == text)
        {
            out.push(Token {
                kind,
                text: text.to_owned(),
                line,
            });
        }
    };
    let pattern = matches!(matcher, Matcher::Pattern(_));
    for unit in units {
        let n = unit.line;
        match unit.role {
            Role::Whole | Role::WholeCode | Role::Status => {
                let whole = unquote(&unit.text);
                if unit.role != Role::Status && matcher.accepts_at(whole, Place::Whole) {
                    push(TokenKind::Code, whole, n);
                } else if unit.role != Role::WholeCode {
                    if let Some(status) = status_number(whole) {
                        push(TokenKind::Status, status, n);
                    }
                }
            }
            Role::Line => {
                let bare = unit
                    .text
                    .trim()
                    .trim_matches(|c: char| matches!(c, '`' | '*' | '"' | '\''));
                let word = unquote(&unit.text);
                if matcher.accepts_at(bare, Place::Line) {
                    push(TokenKind::Code, bare, n);
                } else if matcher.accepts_at(word, Place::Word) {
                    push(TokenKind::Code, word, n);
                }
            }
            Role::Words => {
                for word in candidates(&unit.text) {
                    if matcher.accepts_at(word, Place::Word) {
                        push(TokenKind::Code, word, n);
                    }
                }
            }
            Role::FirstWord => {
                if let Some(word) = unit.text.split_whitespace().next().map(unquote) {
                    if matcher.accepts_at(word, Place::Word) {
                        push(TokenKind::Code, word, n);
                    }
                }
            }
            Role::Anywhere => {
                for word in candidates(&unit.text) {
                    let place = if pattern {
                        Place::Whole
                    } else {
                        Place::Anywhere
                    };
                    if matcher.accepts_at(word, place) {
                        push(TokenKind::Code, word, n);
                    }
                }
            }
            Role::LeadStatus => {
                if let Some(status) = leading_status(&unit.text) {
                    push(TokenKind::Status, status, n);
                }
            }
            Role::Context => {}
        }
    }
    out
}

/// The words of `text` that may be codes: runs of letters, digits and `_` that are not part
/// of a decimal number, and runs that also hold `.` or `-` between them
/// (`AWS.SimpleQueueService.NonExistentQueue`, `invalid-request`).
fn candidates(text: &str) -> Vec<&str> {
    let mut out: Vec<&str> = words(text).collect();
    let is_part = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-');
    for run in text.split(|c: char| !is_part(c)) {
        let run = run.trim_matches(['.', '-']);
        if run.contains(['.', '-']) {
            out.push(run);
        }
    }
    out
}

/// Runs of ASCII letters, digits and `_`, leaving out the digit runs of decimals (`1.5`).
fn words(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    while i < bytes.len() {
        if !is_word(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_word(bytes[i]) {
            i += 1;
        }
        let word = &text[start..i];
        let numeric = word.bytes().all(|b| b.is_ascii_digit());
        let before = start.checked_sub(1).map(|b| bytes[b]);
        let after = bytes.get(i).copied();
        let after_next = bytes.get(i + 1).copied();
        let decimal = numeric
            && ((before == Some(b'.')
                && start
                    .checked_sub(2)
                    .is_some_and(|b| bytes[b].is_ascii_digit()))
                || (after == Some(b'.') && after_next.is_some_and(|b| b.is_ascii_digit())));
        if !decimal {
            found.push(word);
        }
    }
    found.into_iter()
}

/// Whether `needle` occurs in `haystack` not glued to letters, digits or `_`.
fn contains_word(haystack: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    let glued = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    haystack.match_indices(needle).any(|(i, _)| {
        !glued(haystack[..i].chars().next_back())
            && !glued(haystack[i + needle.len()..].chars().next())
    })
}

fn status_number(text: &str) -> Option<&str> {
    (text.len() == 3
        && text.bytes().all(|b| b.is_ascii_digit())
        && (100..=599).contains(&text.parse::<u16>().unwrap_or(0)))
    .then_some(text)
}

/// A status number that starts `text` and is followed by its end, a space, `-`, `–`, `|` or
/// `:`.
fn leading_status(text: &str) -> Option<&str> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits != 3 {
        return None;
    }
    let rest = &text[3..];
    let ends = rest.is_empty() || rest.starts_with([' ', '\t', '-', '–', '—', '|', ':']);
    if ends {
        status_number(&text[..3])
    } else {
        None
    }
}

/// `400 - rest` → `rest`.
fn strip_status_prefix(item: &str) -> &str {
    if leading_status(item).is_none() {
        return item;
    }
    item[3..]
        .trim_start()
        .trim_start_matches(['-', '–', '—', ':'])
        .trim_start()
}

/// `text` without surrounding whitespace, quotes, backticks, emphasis and punctuation.
fn unquote(text: &str) -> &str {
    text.trim_matches(|c: char| {
        c.is_whitespace() || matches!(c, '`' | '*' | '"' | '\'' | ',' | '.' | ':' | ';')
    })
}
