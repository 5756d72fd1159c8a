//! Checks a spec against the page it was transcribed from: finds the code-like tokens of the
//! page and reports those the spec lacks.
//!
//! The page may be plain text (a scraped page), Markdown or HTML; HTML is reduced to text
//! first, keeping its structure (table rows, list items, inline `<code>`). What counts as a
//! code depends on the API:
//!
//! - **Integer APIs**: every whole number with as many digits as the spec's codes have (five
//!   for `40001`), anywhere on the page.
//! - **String APIs**: words that look like codes — `snake_case` or `SCREAMING_SNAKE` with at
//!   least one underscore — where pages put codes: in table rows, as the first word of a list
//!   item (after a `400 -` status prefix), alone in inline code, or alone on a line. In a table
//!   whose first column is headed `Code` (or `Error`, `Error code`), the first cell counts
//!   whatever its shape, so that `unauthorized` is found too.
//! - **Statuses**, for both: a number from 100 to 599 that starts a line or list item (`400 -
//!   Bad request`, `503 Service Unavailable`) or a table row.
//!
//! A token is known when the spec documents it: as a code, an alias, a status, a value an
//! erratum says the page shows, or the name of an envelope field (field tables name fields,
//! not codes). Fenced code blocks are skipped, except by the number scan of integer APIs.

use std::collections::BTreeSet;
use std::fmt;

use crate::ir::{self, CodeType};

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

/// How the page was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Plain text or Markdown.
    Text,
    /// HTML, reduced to text.
    Html,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Text => "text",
            Format::Html => "HTML",
        })
    }
}

/// The outcome of [`verify`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// How the page was read.
    pub format: Format,
    /// Every token found, in page order (one per token and line).
    pub tokens: Vec<Token>,
    /// The first occurrence of each token the spec lacks, ignored ones left out.
    pub missing: Vec<Token>,
    /// The ignored tokens that were found.
    pub ignored: Vec<String>,
    /// The spec's codes whose wire value does not occur on the page at all.
    pub not_on_page: Vec<String>,
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
}

/// Checks `api` against the page `document`. Tokens in `ignore` are never reported missing.
pub fn verify(api: &ir::Api, document: &str, ignore: &[String]) -> Report {
    let format = if looks_like_html(document) {
        Format::Html
    } else {
        Format::Text
    };
    let lines = match format {
        Format::Html => html_lines(document),
        Format::Text => document
            .lines()
            .enumerate()
            .map(|(i, text)| Line {
                text: text.to_owned(),
                number: i + 1,
            })
            .collect(),
    };
    let lengths: BTreeSet<usize> = api
        .codes
        .iter()
        .filter(|c| c.number.is_some())
        .map(|c| c.wire.len())
        .collect();
    let tokens = extract(&lines, api.code_type, &lengths);

    let mut known_codes: BTreeSet<String> = BTreeSet::new();
    let mut known_statuses: BTreeSet<String> = BTreeSet::new();
    for c in &api.codes {
        known_codes.insert(c.wire.clone());
        known_codes.extend(c.aliases.iter().cloned());
    }
    for s in &api.statuses {
        known_statuses.insert(s.number.to_string());
    }
    for e in &api.errata {
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
        if ignore.iter().any(|i| i == &token.text) {
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

    let on_page: BTreeSet<&str> = lines.iter().flat_map(|l| words(&l.text)).collect();
    let not_on_page = api
        .codes
        .iter()
        .filter(|c| !on_page.contains(c.wire.as_str()))
        .map(|c| c.wire.clone())
        .collect();

    Report {
        format,
        tokens,
        missing,
        ignored,
        not_on_page,
    }
}

struct Line {
    text: String,
    number: usize,
}

/// Runs of letters, digits and `_`: the words a code is matched against.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

/// `snake_case` or `SCREAMING_SNAKE` with at least one underscore.
fn is_code_shaped(word: &str) -> bool {
    let parts: Vec<&str> = word.split('_').collect();
    if parts.len() < 2 || parts.iter().any(|p| p.is_empty()) {
        return false;
    }
    let first = word.chars().next();
    let lower = first.is_some_and(|c| c.is_ascii_lowercase())
        && word
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    let upper = first.is_some_and(|c| c.is_ascii_uppercase())
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    lower || upper
}

/// A single identifier-like word (letters, digits, `_`, `-`, `.`), as a table's code cell
/// holds.
fn is_single_word(text: &str) -> bool {
    !text.is_empty()
        && text.starts_with(|c: char| c.is_ascii_alphanumeric())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

fn status_number(text: &str) -> Option<&str> {
    (text.len() == 3
        && text.bytes().all(|b| b.is_ascii_digit())
        && (100..=599).contains(&text.parse::<u16>().unwrap_or(0)))
    .then_some(text)
}

fn extract(lines: &[Line], code_type: CodeType, lengths: &BTreeSet<usize>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut push = |kind, text: &str, line: usize| {
        if !out
            .iter()
            .any(|t: &Token| t.line == line && t.kind == kind && t.text == text)
        {
            out.push(Token {
                kind,
                text: text.to_owned(),
                line,
            });
        }
    };
    let strings = code_type == CodeType::String;
    let mut in_fence = false;
    let mut previous_was_row = false;
    let mut last_row_first_cell: Option<String> = None;
    let mut code_table = false;

    for (index, line) in lines.iter().enumerate() {
        let n = line.number;
        let trimmed = line.text.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            previous_was_row = false;
            continue;
        }
        if code_type == CodeType::Integer {
            for number in numbers(&line.text) {
                if lengths.contains(&number.len()) {
                    push(TokenKind::Code, number, n);
                }
            }
        }
        if in_fence {
            continue;
        }

        let item = list_item(trimmed);
        let lead = item.unwrap_or(trimmed).trim_start_matches('#').trim_start();
        if let Some(status) = leading_status(lead) {
            push(TokenKind::Status, status, n);
        }

        if trimmed.contains('|') {
            let cells: Vec<&str> = cells(trimmed);
            if is_separator(trimmed) {
                code_table = last_row_first_cell.as_deref().is_some_and(is_code_header);
                previous_was_row = true;
                continue;
            }
            if !previous_was_row {
                code_table = false;
            }
            previous_was_row = true;
            let first = cells.first().map(|c| unquote(c)).unwrap_or_default();
            last_row_first_cell = Some(first.to_owned());
            // A header row names columns, not codes.
            if lines
                .get(index + 1)
                .is_some_and(|next| is_separator(&next.text))
            {
                continue;
            }
            if let Some(status) = status_number(first) {
                push(TokenKind::Status, status, n);
            } else if strings && code_table && is_single_word(first) {
                push(TokenKind::Code, first, n);
            }
            if strings {
                for word in words(trimmed).filter(|w| is_code_shaped(w)) {
                    push(TokenKind::Code, word, n);
                }
            }
            continue;
        }
        previous_was_row = false;

        if !strings {
            continue;
        }
        if let Some(item) = item {
            let rest = strip_status_prefix(item);
            if let Some(word) = rest.split_whitespace().next().map(unquote) {
                if is_code_shaped(word) {
                    push(TokenKind::Code, word, n);
                }
            }
        }
        for span in code_spans(trimmed) {
            let span = span.trim();
            if is_code_shaped(span) {
                push(TokenKind::Code, span, n);
            }
        }
        let alone = unquote(lead.trim_end_matches(':'));
        if is_code_shaped(alone) {
            push(TokenKind::Code, alone, n);
        }
    }
    out
}

/// Digit runs that stand alone: not part of a word, a decimal or a longer number.
fn numbers(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let before = start.checked_sub(1).map(|b| bytes[b]);
        let after = bytes.get(i).copied();
        let after_next = bytes.get(i + 1).copied();
        let glued = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_');
        let decimal = before == Some(b'.')
            || (after == Some(b'.') && after_next.is_some_and(|b| b.is_ascii_digit()));
        if !glued(before) && !glued(after) && !decimal {
            found.push(&text[start..i]);
        }
    }
    found.into_iter()
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

fn unquote(word: &str) -> &str {
    word.trim()
        .trim_matches(|c: char| matches!(c, '`' | '*' | '"' | '\'' | ',' | '.' | ':' | ';'))
}

fn is_code_header(cell: &str) -> bool {
    matches!(
        cell.trim().to_ascii_lowercase().as_str(),
        "code" | "codes" | "error" | "error code" | "error codes" | "errorcode" | "error_code"
    )
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

const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
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
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
];

fn looks_like_html(document: &str) -> bool {
    let lower = document.to_ascii_lowercase();
    [
        "<html", "<body", "<p>", "<p ", "<div", "<table", "<td", "<li>", "<li ", "<code>", "<br",
        "<h1", "<h2", "<h3", "<span",
    ]
    .iter()
    .any(|tag| lower.contains(tag))
}

/// HTML reduced to lines of text: block elements break lines, list items start with `- `,
/// table cells are separated by `|` (a row of `<th>` is followed by a separator row), inline
/// `<code>` is written in backticks, and each line remembers the source line it starts on.
fn html_lines(document: &str) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut current = String::new();
    let mut current_number = 1;
    let mut source_line = 1;
    let mut in_pre = false;
    let mut row_has_th = false;
    let mut rest = document;

    fn flush(lines: &mut Vec<Line>, current: &mut String, number: usize) {
        let text = current.trim().to_owned();
        if !text.is_empty() {
            lines.push(Line { text, number });
        }
        current.clear();
    }

    while let Some(c) = rest.chars().next() {
        if c == '<' {
            if let Some(after) = rest.strip_prefix("<!--") {
                let end = after.find("-->").map_or(after.len(), |e| e + 3);
                source_line += after[..end].matches('\n').count();
                rest = &after[end..];
                continue;
            }
            let Some(close) = rest.find('>') else {
                current.push('<');
                rest = &rest[1..];
                continue;
            };
            let tag = &rest[1..close];
            source_line += tag.matches('\n').count();
            rest = &rest[close + 1..];
            let closing = tag.starts_with('/');
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
                .to_ascii_lowercase();
            if !closing && (name == "script" || name == "style") {
                let end_tag = format!("</{name}");
                let lower = rest.to_ascii_lowercase();
                let end = lower.find(&end_tag).unwrap_or(rest.len());
                source_line += rest[..end].matches('\n').count();
                rest = &rest[end..];
                continue;
            }
            match (name.as_str(), closing) {
                ("code", _) if !in_pre => current.push('`'),
                ("td" | "th", true) => current.push_str(" | "),
                ("th", false) => row_has_th = true,
                ("td", false) => {}
                ("tr", false) => {
                    flush(&mut lines, &mut current, current_number);
                    current_number = source_line;
                    current.push_str("| ");
                    row_has_th = false;
                }
                ("tr", true) => {
                    flush(&mut lines, &mut current, current_number);
                    if row_has_th {
                        lines.push(Line {
                            text: "|---|".to_owned(),
                            number: source_line,
                        });
                    }
                    current_number = source_line;
                }
                (name, _) if BLOCK_TAGS.contains(&name) => {
                    flush(&mut lines, &mut current, current_number);
                    current_number = source_line;
                    if name == "pre" {
                        in_pre = !closing;
                    }
                    if name == "li" && !closing {
                        current.push_str("- ");
                    }
                }
                _ => {}
            }
            continue;
        }
        if c == '&' {
            if let Some((decoded, len)) = entity(rest) {
                current.push(decoded);
                rest = &rest[len..];
                continue;
            }
        }
        if c == '\n' {
            source_line += 1;
            if in_pre {
                flush(&mut lines, &mut current, current_number);
                current_number = source_line;
            } else {
                current.push(' ');
            }
        } else if c.is_whitespace() && !in_pre {
            if !current.ends_with(' ') {
                current.push(' ');
            }
        } else {
            if current.trim().is_empty() {
                current_number = source_line;
            }
            current.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    flush(&mut lines, &mut current, current_number);
    lines
}

/// The character an entity at the start of `text` stands for, and the entity's length.
fn entity(text: &str) -> Option<(char, usize)> {
    let end = text.char_indices().take(12).find(|(_, c)| *c == ';')?.0;
    let name = &text[1..end];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        _ => {
            let number = name.strip_prefix('#')?;
            let value = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(value)?
        }
    };
    Some((c, end + 1))
}
