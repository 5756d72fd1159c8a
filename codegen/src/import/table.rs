//! `errspec import table`: the codes of a documentation page's tables.
//!
//! A page is HTML when it starts as one (a doctype, `<html>`, or a tag and no Markdown table or
//! heading), else Markdown. Both are read into the same shape: its headings, tables and code
//! blocks in document order. HTML goes through html5ever's tree builder, which closes the `<td>`
//! and `<tr>` elements pages leave open; Markdown through pulldown-cmark with GFM tables, after a
//! repair of the one layout text scraped from HTML pages leaves (a delimiter row of one column
//! under a header of three, tables and prose on adjacent lines), and HTML tables inside Markdown
//! are read as HTML.
//!
//! Every table with a code column gives codes: the column is found by its header (`Code`,
//! `Error code`, `SQLSTATE`, ...) or, when no header names one, by its content (every cell one
//! code-like token). The other columns are mapped by header to the message, description,
//! solution and status; a column no header names is listed in a note. A table whose code
//! column holds HTTP statuses and nothing else gives statuses. The heading above a table is the
//! category of its codes. The error body's shape comes from a JSON example on the page that
//! carries one of the codes; without one, the envelope is a placeholder a note asks to check.

use std::collections::{HashMap, HashSet};

use heck::ToUpperCamelCase;
use serde_json::Value;

use super::{
    entry_id, module_id, read_source, variant_name, Draft, DraftCategory, DraftCode, DraftCodeType,
    DraftEnvelope, DraftStatus, ImportError, Wire,
};
use crate::ir::{FieldType, TextFormat};

/// Reads the page at `path`: Markdown or HTML, told apart by its content.
pub fn read(path: &std::path::Path) -> Result<Draft, ImportError> {
    let text = read_source(path)?;
    from_str(&text, &path.display().to_string())
}

/// Reads the page `text`, naming it `file` in errors and in `api.source`.
pub fn from_str(text: &str, file: &str) -> Result<Draft, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let page = if is_html(text) {
        html::page(text)
    } else {
        markdown::page(text)
    };
    build(page, file)
}

/// A page as the importer sees it.
#[derive(Debug, Default)]
struct Page {
    /// HTML or Markdown, for messages.
    kind: &'static str,
    /// The page's `<title>`.
    title: Option<String>,
    /// `<link rel=canonical>`.
    url: Option<String>,
    /// Headings, tables and code blocks, in document order.
    blocks: Vec<Block>,
    /// Where lines hold `|` but no table was recognised (Markdown), for the error of a page
    /// without tables.
    pipe_lines: Vec<usize>,
    /// What the reader could not use, as notes.
    notes: Vec<String>,
}

#[derive(Debug)]
enum Block {
    Heading {
        level: u8,
        text: String,
    },
    Table(Table),
    /// A code block, or JSON standing alone on text lines, with where it starts.
    Code {
        at: String,
        text: String,
    },
}

#[derive(Debug)]
struct Table {
    /// `line 12` or `table 3`.
    at: String,
    /// The header cells' text; empty strings when the table has no header row.
    header: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The table as notes name it: `the table at line 12`, `table 3`.
    fn label(&self) -> String {
        if self.at.starts_with("line") {
            format!("the table at {}", self.at)
        } else {
            self.at.clone()
        }
    }
}

#[derive(Clone, Debug, Default)]
struct Cell {
    /// The text, whitespace collapsed, markup removed.
    plain: String,
    /// The text as the page writes it: Markdown source, or the plain text of HTML.
    source: String,
}

fn is_html(text: &str) -> bool {
    let head: String = text
        .trim_start()
        .chars()
        .take(64)
        .collect::<String>()
        .to_ascii_lowercase();
    if head.starts_with("<!doctype html") || head.starts_with("<html") || head.starts_with("<?xml")
    {
        return true;
    }
    let tag = head.starts_with('<') && head[1..].starts_with(|c: char| c.is_ascii_alphabetic());
    tag && !text.lines().any(|l| {
        let t = l.trim();
        t.starts_with('#') || markdown::is_delimiter(t)
    })
}

/// Collapses runs of whitespace to one space and trims.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

mod markdown {
    //! Markdown pages through pulldown-cmark.

    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

    use super::{collapse, Block, Cell, Page, Table};

    /// Whether `line` is a GFM delimiter row with a `|`: `|---|:--:|`, a `-` at least per cell.
    pub(super) fn is_delimiter(line: &str) -> bool {
        let t = line.trim();
        if !t.contains('-') || !t.contains('|') {
            return false;
        }
        let inner = t.trim_start_matches('|').trim_end_matches('|');
        !inner.is_empty()
            && inner.split('|').all(|c| {
                let c = c.trim();
                let c = c.strip_prefix(':').unwrap_or(c);
                let c = c.strip_suffix(':').unwrap_or(c);
                !c.is_empty() && c.chars().all(|ch| ch == '-')
            })
    }

    /// Whether `line` holds a `|` that is not escaped.
    fn has_pipe(line: &str) -> bool {
        cells(line) > 1 || line.trim().starts_with('|') || line.trim().ends_with('|')
    }

    /// The number of cells of a table row, as GFM splits it.
    fn cells(line: &str) -> usize {
        let t = line.trim();
        let t = t.strip_prefix('|').unwrap_or(t);
        let t = if t.ends_with('|') && !t.ends_with("\\|") {
            &t[..t.len() - 1]
        } else {
            t
        };
        let mut n = 1;
        let mut escaped = false;
        for c in t.chars() {
            match c {
                '\\' => escaped = !escaped,
                '|' if !escaped => n += 1,
                _ => escaped = false,
            }
            if c != '\\' {
                escaped = false;
            }
        }
        n
    }

    fn fence(line: &str) -> Option<(char, usize)> {
        let t = line.trim_start();
        if line.len() - t.len() > 3 {
            return None;
        }
        let c = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
        let n = t.chars().take_while(|x| *x == c).count();
        (n >= 3).then_some((c, n))
    }

    /// The page with its scraped tables made GFM: a blank line before each table and after
    /// its last row, and a delimiter row with as many cells as the header. Also the original
    /// line number (1-based) of each line of the result.
    fn repair(text: &str) -> (String, Vec<usize>) {
        let lines: Vec<&str> = text.split('\n').collect();
        let mut out = String::with_capacity(text.len() + 64);
        let mut map = Vec::with_capacity(lines.len() + 16);
        let push = |out: &mut String, map: &mut Vec<usize>, line: &str, n: usize| {
            out.push_str(line);
            out.push('\n');
            map.push(n);
        };
        let mut open_fence: Option<(char, usize)> = None;
        let mut i = 0;
        let mut last_blank = true;
        while i < lines.len() {
            let line = lines[i].strip_suffix('\r').unwrap_or(lines[i]);
            if let Some((c, n)) = open_fence {
                if fence(line).is_some_and(|(c2, n2)| c2 == c && n2 >= n) {
                    open_fence = None;
                }
                push(&mut out, &mut map, line, i + 1);
                last_blank = line.trim().is_empty();
                i += 1;
                continue;
            }
            if let Some(f) = fence(line) {
                open_fence = Some(f);
                push(&mut out, &mut map, line, i + 1);
                last_blank = false;
                i += 1;
                continue;
            }
            let next = lines.get(i + 1).map(|l| l.strip_suffix('\r').unwrap_or(l));
            let header = has_pipe(line) && !is_delimiter(line) && next.is_some_and(is_delimiter);
            if !header {
                push(&mut out, &mut map, line, i + 1);
                last_blank = line.trim().is_empty();
                i += 1;
                continue;
            }
            if !last_blank {
                push(&mut out, &mut map, "", i + 1);
            }
            push(&mut out, &mut map, line, i + 1);
            let n = cells(line);
            let delimiter = vec!["---"; n].join("|");
            push(&mut out, &mut map, &format!("|{delimiter}|"), i + 2);
            i += 2;
            while let Some(row) = lines.get(i).map(|l| l.strip_suffix('\r').unwrap_or(l)) {
                let next_is_delimiter = lines
                    .get(i + 1)
                    .is_some_and(|l| is_delimiter(l.strip_suffix('\r').unwrap_or(l)));
                if row.trim().is_empty()
                    || !has_pipe(row)
                    || next_is_delimiter
                    || fence(row).is_some()
                {
                    break;
                }
                push(&mut out, &mut map, row, i + 1);
                i += 1;
            }
            push(&mut out, &mut map, "", i + 1);
            last_blank = true;
        }
        (out, map)
    }

    pub(super) fn page(text: &str) -> Page {
        let (repaired, map) = repair(text);
        let starts: Vec<usize> = std::iter::once(0)
            .chain(repaired.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let line_of = |offset: usize| {
            let idx = starts.partition_point(|&s| s <= offset).saturating_sub(1);
            map.get(idx).copied().unwrap_or(idx + 1)
        };
        let mut page = Page {
            kind: "Markdown",
            ..Page::default()
        };
        let mut heading: Option<(u8, String)> = None;
        let mut table: Option<Table> = None;
        let mut row: Vec<Cell> = Vec::new();
        let mut cell: Option<(String, std::ops::Range<usize>)> = None;
        let mut code: Option<(usize, String)> = None;
        // Where an HTML table read as a whole ends: the blocks before it are part of it.
        let mut skip_until = 0;
        let options = Options::ENABLE_TABLES | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
        let mut metadata: Option<String> = None;
        for (event, range) in Parser::new_ext(&repaired, options).into_offset_iter() {
            if range.start < skip_until {
                continue;
            }
            match event {
                Event::Start(Tag::MetadataBlock(_)) => metadata = Some(String::new()),
                Event::End(TagEnd::MetadataBlock(_)) => {
                    // The front matter's `title`, as static site generators show it.
                    let yaml = metadata.take().unwrap_or_default();
                    if let Ok(serde_yaml::Value::Mapping(m)) = serde_yaml::from_str(&yaml) {
                        if let Some(serde_yaml::Value::String(t)) = m.get("title") {
                            page.title = Some(collapse(t)).filter(|t| !t.is_empty());
                        }
                    }
                }
                Event::Start(Tag::Heading { level, .. }) => {
                    heading = Some((level as u8, String::new()));
                }
                Event::End(TagEnd::Heading(_)) => {
                    if let Some((level, text)) = heading.take() {
                        page.blocks.push(Block::Heading {
                            level,
                            text: collapse(&text),
                        });
                    }
                }
                Event::Start(Tag::Table(_)) => {
                    table = Some(Table {
                        at: format!("line {}", line_of(range.start)),
                        header: Vec::new(),
                        rows: Vec::new(),
                    });
                }
                Event::End(TagEnd::Table) => {
                    if let Some(t) = table.take() {
                        page.blocks.push(Block::Table(t));
                    }
                }
                Event::Start(Tag::TableHead) => row.clear(),
                Event::End(TagEnd::TableHead) => {
                    if let Some(t) = table.as_mut() {
                        t.header = row.drain(..).map(|c| c.plain).collect();
                    }
                }
                Event::Start(Tag::TableRow) => row.clear(),
                Event::End(TagEnd::TableRow) => {
                    if let Some(t) = table.as_mut() {
                        t.rows.push(std::mem::take(&mut row));
                    }
                }
                Event::Start(Tag::TableCell) => cell = Some((String::new(), range)),
                Event::End(TagEnd::TableCell) => {
                    if let Some((plain, range)) = cell.take() {
                        let raw = repaired[range].trim();
                        let raw = raw.strip_prefix('|').unwrap_or(raw);
                        let raw = raw.strip_suffix('|').unwrap_or(raw);
                        row.push(Cell {
                            plain: collapse(&plain),
                            source: raw.trim().replace("\\|", "|"),
                        });
                    }
                }
                Event::Start(Tag::CodeBlock(_)) => {
                    code = Some((line_of(range.start), String::new()));
                }
                Event::End(TagEnd::CodeBlock) => {
                    if let Some((line, text)) = code.take() {
                        page.blocks.push(Block::Code {
                            at: format!("line {line}"),
                            text,
                        });
                    }
                }
                Event::Start(Tag::HtmlBlock) => {
                    // An HTML table, read whole: a blank line inside a cell ends Markdown's
                    // HTML block, not the table.
                    let lower = repaired[range.clone()].to_ascii_lowercase();
                    if let Some(open) = lower.find("<table") {
                        let start = range.start + open;
                        let end = repaired.as_bytes()[start..]
                            .windows(8)
                            .position(|w| w.eq_ignore_ascii_case(b"</table>"))
                            .map_or(range.end, |e| start + e + "</table>".len());
                        let inner = super::html::fragment(&repaired[start..end], line_of(start));
                        page.blocks.extend(inner.blocks);
                        page.notes.extend(inner.notes);
                        skip_until = end;
                    }
                }
                Event::Text(t) | Event::Code(t) => {
                    if let Some(yaml) = metadata.as_mut() {
                        yaml.push_str(&t);
                    } else if let Some((text, _)) = cell.as_mut() {
                        text.push_str(&t);
                    } else if let Some((_, text)) = heading.as_mut() {
                        text.push_str(&t);
                    } else if let Some((_, text)) = code.as_mut() {
                        text.push_str(&t);
                    }
                }
                Event::SoftBreak | Event::HardBreak | Event::InlineHtml(_) => {
                    if let Some((text, _)) = cell.as_mut() {
                        text.push(' ');
                    } else if let Some((_, text)) = heading.as_mut() {
                        text.push(' ');
                    }
                }
                _ => {}
            }
        }
        // Text scraped from HTML keeps JSON examples as plain lines: each line that opens an
        // object is tried as the start of one.
        let mut tries = 0;
        let mut offset = 0;
        for (n, line) in text.split('\n').enumerate() {
            let at = offset;
            offset += line.len() + 1;
            if !line.trim_start().starts_with('{') || tries >= super::MAX_JSON_TRIES {
                continue;
            }
            tries += 1;
            if let Some(json) = super::json_at(&text[at..]) {
                page.blocks.push(Block::Code {
                    at: format!("line {}", n + 1),
                    text: json.to_owned(),
                });
            }
        }
        for (n, line) in text.lines().enumerate() {
            if has_pipe(line) {
                page.pipe_lines.push(n + 1);
            }
        }
        page
    }
}

mod html {
    //! HTML pages through html5ever (by way of scraper's DOM).

    use scraper::{ElementRef, Html, Node};

    use super::{collapse, Block, Cell, Page, Table};

    pub(super) fn page(text: &str) -> Page {
        let doc = Html::parse_document(text);
        let mut page = Page {
            kind: "HTML",
            ..Page::default()
        };
        let mut count = (0, 0);
        walk(doc.root_element(), &mut page, &mut count, None, 0);
        page
    }

    /// The tables and code blocks of an HTML block inside a Markdown page at `line`.
    pub(super) fn fragment(text: &str, line: usize) -> Page {
        let doc = Html::parse_fragment(text);
        let mut page = Page::default();
        let mut count = (0, 0);
        walk(doc.root_element(), &mut page, &mut count, Some(line), 0);
        page
    }

    /// Adds the blocks of `el` to `page`; `count` numbers its tables and `<pre>` blocks.
    /// How deep in elements the page is read: real pages nest a few dozen deep; a page nested
    /// deeper is read down to here, with a note, rather than exhausting the stack.
    const MAX_DEPTH: usize = 256;

    fn walk(
        el: ElementRef<'_>,
        page: &mut Page,
        count: &mut (usize, usize),
        line: Option<usize>,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            let note = format!(
                "elements nested deeper than {MAX_DEPTH} are not read; a table there is missing"
            );
            if !page.notes.contains(&note) {
                page.notes.push(note);
            }
            return;
        }
        let name = el.value().name();
        match name {
            "script" | "style" | "template" | "noscript" => {}
            "title" if page.title.is_none() && line.is_none() => {
                let t = collapse(&text(el));
                page.title = (!t.is_empty()).then_some(t);
            }
            "link" => {
                let canonical = el.value().attr("rel").is_some_and(|r| {
                    r.split_whitespace()
                        .any(|r| r.eq_ignore_ascii_case("canonical"))
                });
                if canonical && page.url.is_none() {
                    page.url = el.value().attr("href").map(str::to_owned);
                }
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                page.blocks.push(Block::Heading {
                    level: name.as_bytes()[1] - b'0',
                    text: collapse(&text(el)),
                });
            }
            "table" => {
                count.0 += 1;
                let at = match line {
                    Some(l) if count.0 == 1 => format!("line {l}"),
                    Some(l) => format!("line {l}, table {}", count.0),
                    None => format!("table {}", count.0),
                };
                page.blocks.push(Block::Table(table(el, at)));
            }
            "pre" => page.blocks.push(Block::Code {
                at: {
                    count.1 += 1;
                    match line {
                        Some(l) => format!("line {l}"),
                        None => format!("`<pre>` block {}", count.1),
                    }
                },
                text: el.text().collect(),
            }),
            _ => {
                for child in el.children() {
                    if let Some(child) = ElementRef::wrap(child) {
                        walk(child, page, count, line, depth + 1);
                    }
                }
            }
        }
    }

    /// The text of an element, a space for each line break and block boundary.
    fn text(el: ElementRef<'_>) -> String {
        let mut out = String::new();
        push_text(el, &mut out, 0);
        out
    }

    fn push_text(el: ElementRef<'_>, out: &mut String, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for child in el.children() {
            match child.value() {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => {
                    let block = matches!(
                        e.name(),
                        "br" | "p" | "div" | "li" | "ul" | "ol" | "dl" | "dt" | "dd" | "tr"
                    );
                    if block {
                        out.push(' ');
                    }
                    if let Some(child) = ElementRef::wrap(child) {
                        if !matches!(e.name(), "script" | "style" | "template") {
                            push_text(child, out, depth + 1);
                        }
                    }
                    if block {
                        out.push(' ');
                    }
                }
                _ => {}
            }
        }
    }

    /// The rows of `el` that belong to it, not to a table inside one of its cells.
    fn rows<'a>(el: ElementRef<'a>, out: &mut Vec<ElementRef<'a>>) {
        for child in el.children().filter_map(ElementRef::wrap) {
            match child.value().name() {
                "tr" => out.push(child),
                "thead" | "tbody" | "tfoot" => rows(child, out),
                _ => {}
            }
        }
    }

    /// Cells spanning more than this many rows or columns are taken to span this many, and a
    /// row is read up to this many columns.
    const MAX_SPAN: usize = 1000;

    fn table(el: ElementRef<'_>, at: String) -> Table {
        let mut trs = Vec::new();
        rows(el, &mut trs);
        // The grid, with each cell of a rowspan or colspan copied into every slot it covers.
        let mut grid: Vec<Vec<Option<(Cell, bool)>>> = Vec::with_capacity(trs.len());
        let mut carry: Vec<(usize, Cell, bool)> = Vec::new(); // (rows left, cell, th) per column
        for tr in &trs {
            let mut row: Vec<Option<(Cell, bool)>> = Vec::new();
            let mut col = 0;
            for cell in tr.children().filter_map(ElementRef::wrap) {
                let th = match cell.value().name() {
                    "th" => true,
                    "td" => false,
                    _ => continue,
                };
                carried(&mut row, &mut col, &mut carry);
                let span = |name: &str| {
                    cell.value()
                        .attr(name)
                        .and_then(|s| s.trim().parse::<usize>().ok())
                        .unwrap_or(1)
                        .clamp(1, MAX_SPAN)
                };
                let (colspan, rowspan) = (span("colspan"), span("rowspan").min(trs.len()));
                let plain = collapse(&text(cell));
                let c = Cell {
                    source: plain.clone(),
                    plain,
                };
                for _ in 0..colspan {
                    if col >= MAX_SPAN {
                        break;
                    }
                    set(&mut row, col, Some((c.clone(), th)));
                    if carry.len() <= col {
                        carry.resize(col + 1, (0, Cell::default(), false));
                    }
                    carry[col] = (rowspan - 1, c.clone(), th);
                    col += 1;
                }
            }
            carried(&mut row, &mut col, &mut carry);
            grid.push(row);
        }
        let header_row = trs.first().is_some_and(|tr| {
            tr.parent()
                .and_then(ElementRef::wrap)
                .is_some_and(|p| p.value().name() == "thead")
                || grid[0].iter().flatten().all(|(_, th)| *th) && !grid[0].is_empty()
        });
        let mut rows: Vec<Vec<Cell>> = grid
            .into_iter()
            .map(|r| {
                r.into_iter()
                    .map(|c| c.map(|c| c.0).unwrap_or_default())
                    .collect()
            })
            .collect();
        let header = if header_row && !rows.is_empty() {
            rows.remove(0).into_iter().map(|c| c.plain).collect()
        } else {
            Vec::new()
        };
        Table { at, header, rows }
    }

    /// Fills the slots from `col` on that cells of rows above span into.
    fn carried(
        row: &mut Vec<Option<(Cell, bool)>>,
        col: &mut usize,
        carry: &mut [(usize, Cell, bool)],
    ) {
        while let Some(c) = carry.get_mut(*col).filter(|c| c.0 > 0) {
            c.0 -= 1;
            let value = Some((c.1.clone(), c.2));
            set(row, *col, value);
            *col += 1;
        }
    }

    fn set<T>(row: &mut Vec<Option<T>>, col: usize, value: Option<T>) {
        if row.len() <= col {
            row.resize_with(col + 1, || None);
        }
        row[col] = value;
    }
}

/// How many lines that open an object a Markdown page's text is tried as JSON from.
const MAX_JSON_TRIES: usize = 10_000;

/// How far into the text a JSON example is looked for.
const MAX_JSON_BYTES: usize = 256 * 1024;

/// The JSON object `text` starts with, as the page writes it.
fn json_at(text: &str) -> Option<&str> {
    let mut end = text.len().min(MAX_JSON_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let window = &text[..end];
    let mut stream = serde_json::Deserializer::from_str(window).into_iter::<Value>();
    match stream.next() {
        Some(Ok(Value::Object(_))) => Some(window[..stream.byte_offset()].trim()),
        _ => None,
    }
}

/// Headers of a code column, the likeliest first: `JSON error code` names the wire value
/// where a table also has a display name.
const CODE_HEADERS: &[&str] = &[
    "json error code",
    "wire code",
    "error code",
    "error codes",
    "errorcode",
    "code",
    "codes",
    "error",
    "sqlstate",
    "return code",
    "result code",
    "reason code",
    "status code",
];
/// Headers of a status column.
const STATUS_HEADERS: &[&str] = &[
    "http status",
    "http status code",
    "http code",
    "http",
    "status",
    "status code",
    "http response code",
    "response code",
];
const MESSAGE_HEADERS: &[&str] = &[
    "message",
    "error message",
    "title",
    "name",
    "status message",
    "status text",
    "reason phrase",
];
const DESCRIPTION_HEADERS: &[&str] =
    &["description", "meaning", "details", "detail", "explanation"];
const SOLUTION_HEADERS: &[&str] = &[
    "solution",
    "action",
    "resolution",
    "what to do",
    "recommended action",
    "suggested action",
    "how to fix",
];
/// Headers of columns whose identifiers are not codes, though they look like them.
const NOT_CODE_HEADERS: &[&str] = &[
    "field",
    "parameter",
    "param",
    "property",
    "attribute",
    "argument",
    "option",
    "key",
    "type",
    "method",
    "header",
    "value",
    "variable",
    "name",
];

/// Keys of the code in an example error body, and of its message.
const CODE_KEYS: &[&str] = &[
    "code",
    "error_code",
    "errorCode",
    "errCode",
    "err_code",
    "error",
];
const MESSAGE_KEYS: &[&str] = &[
    "message",
    "error_message",
    "errorMessage",
    "msg",
    "text",
    "detail",
    "description",
    "error_description",
    "title",
];

fn normalize(header: &str) -> String {
    let lower: String = header
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    collapse(&lower)
}

fn rank(header: &str, list: &[&str]) -> Option<usize> {
    let h = normalize(header);
    list.iter().position(|x| *x == h)
}

/// One code-like token: letters, digits and `_ - . : / + # @ $`, at most 128 characters.
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.chars().count() <= 128
        && s.chars()
            .all(|c| c.is_alphanumeric() || "_-.:/+#@$".contains(c))
}

/// A code in a column a header names as codes: a token, or a few of them (`no such element`).
fn is_code(s: &str) -> bool {
    let words: Vec<&str> = s.split(' ').collect();
    s.chars().count() <= 128 && words.len() <= 8 && words.iter().all(|w| is_token(w))
}

/// The code of a cell: its text without the quotes or backticks around it.
fn code_text(cell: &Cell) -> String {
    let t = cell.plain.trim();
    for q in ['"', '\'', '`'] {
        if let Some(inner) = t.strip_prefix(q).and_then(|t| t.strip_suffix(q)) {
            return inner.trim().to_owned();
        }
    }
    t.to_owned()
}

fn as_int(s: &str) -> Option<u32> {
    let plain = s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'));
    if plain {
        s.parse().ok()
    } else {
        None
    }
}

fn as_status(s: &str) -> Option<u16> {
    as_int(s)
        .filter(|n| (100..=599).contains(n))
        .and_then(|n| u16::try_from(n).ok())
}

/// The first status number in a cell such as `404`, `404 Not Found` or `HTTP 404`.
fn status_in(s: &str) -> Option<u16> {
    s.split(|c: char| !c.is_ascii_digit())
        .find(|w| !w.is_empty())
        .and_then(as_status)
}

/// The columns of a table that give codes.
#[derive(Debug, Default)]
struct Columns {
    code: usize,
    status: Option<usize>,
    message: Option<usize>,
    description: Option<usize>,
    solution: Option<usize>,
    /// The column of each other header, by index.
    unmapped: Vec<usize>,
}

fn columns(t: &Table) -> Option<Columns> {
    let width = t
        .rows
        .iter()
        .map(Vec::len)
        .chain(std::iter::once(t.header.len()))
        .max()
        .unwrap_or(0);
    let header = |i: usize| t.header.get(i).map_or("", String::as_str);
    let best = |list: &[&str], skip: &[usize]| {
        (0..width)
            .filter(|i| !skip.contains(i))
            .filter_map(|i| rank(header(i), list).map(|r| (r, i)))
            .min()
            .map(|(_, i)| i)
    };
    let cell = |row: &Vec<Cell>, i: usize| row.get(i).map_or(String::new(), code_text);
    let code = best(CODE_HEADERS, &[])
        .or_else(|| best(STATUS_HEADERS, &[]))
        .or_else(|| {
            // A column no header names, every cell of which is one token, no two alike (a
            // column of counts or flags repeats itself), one at least with a digit or `_` (so
            // that a column of plain words is not taken for codes).
            (0..width).find(|&i| {
                let h = header(i);
                let free = [
                    CODE_HEADERS,
                    STATUS_HEADERS,
                    MESSAGE_HEADERS,
                    DESCRIPTION_HEADERS,
                    SOLUTION_HEADERS,
                    NOT_CODE_HEADERS,
                ]
                .iter()
                .all(|l| rank(h, l).is_none());
                let distinct = {
                    let mut seen = HashSet::new();
                    t.rows.iter().all(|r| seen.insert(cell(r, i)))
                };
                free && distinct
                    && !t.rows.is_empty()
                    && t.rows.iter().all(|r| is_token(&cell(r, i)))
                    && t.rows
                        .iter()
                        .any(|r| cell(r, i).chars().any(|c| c.is_ascii_digit() || c == '_'))
            })
        })?;
    let status = best(STATUS_HEADERS, &[code]);
    let taken = [Some(code), status];
    let skip: Vec<usize> = taken.iter().flatten().copied().collect();
    let message = best(MESSAGE_HEADERS, &skip);
    let skip: Vec<usize> = skip.into_iter().chain(message).collect();
    let description = best(DESCRIPTION_HEADERS, &skip);
    let skip: Vec<usize> = skip.into_iter().chain(description).collect();
    let solution = best(SOLUTION_HEADERS, &skip);
    let skip: Vec<usize> = skip.into_iter().chain(solution).collect();
    let unmapped = (0..width).filter(|i| !skip.contains(i)).collect();
    Some(Columns {
        code,
        status,
        message,
        description,
        solution,
        unmapped,
    })
}

/// A table's header row as a message lists it.
fn headers(t: &Table) -> String {
    if t.header.iter().all(String::is_empty) {
        "no header row".to_owned()
    } else {
        t.header
            .iter()
            .map(|h| format!("`{h}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn reason(status: u16) -> Option<&'static str> {
    http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
}

/// Whether a status name gives a usable `Status` variant.
fn status_name_ok(name: &str) -> bool {
    let v = name.to_upper_camel_case();
    v.starts_with(|c: char| c.is_ascii_alphabetic())
        && v.chars().all(|c| c.is_ascii_alphanumeric())
        && v != "Other"
}

fn build(page: Page, file: &str) -> Result<Draft, ImportError> {
    let Page {
        kind,
        title,
        url,
        blocks,
        pipe_lines,
        notes: page_notes,
    } = page;
    let mut notes = page_notes;
    let tables: Vec<(&Table, Option<&str>)> = {
        let mut heading: Option<&str> = None;
        let mut out = Vec::new();
        for b in &blocks {
            match b {
                Block::Heading { text, .. } => heading = Some(text),
                Block::Table(t) => out.push((t, heading)),
                Block::Code { .. } => {}
            }
        }
        out
    };
    if tables.is_empty() {
        let help = if kind == "HTML" {
            "the page has no `<table>` element; errspec import table reads the codes of tables"
                .to_owned()
        } else {
            let mut help = "a Markdown table is a header row, then a delimiter row such as \
                            `|---|---|`, then a row per code"
                .to_owned();
            if let (Some(first), Some(last)) = (pipe_lines.first(), pipe_lines.last()) {
                help.push_str(&format!(
                    "; {} line(s) hold `|` (lines {first} to {last}) but no header row there is followed by a delimiter row",
                    pipe_lines.len()
                ));
            }
            help
        };
        return Err(ImportError::new(
            file,
            None,
            format!("the {kind} page has no table"),
            Some(help),
        ));
    }

    let name = title.clone().or_else(|| {
        blocks.iter().find_map(|b| match b {
            Block::Heading { level: 1, text } if !text.is_empty() => Some(text.clone()),
            _ => None,
        })
    });
    let stem = std::path::Path::new(file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.to_owned());
    let base = std::path::Path::new(file)
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.to_owned());
    let name = name.unwrap_or_else(|| {
        notes.push(format!(
            "the page has no title and no top heading: `api.name` is the file's name, `{stem}`; give the API's name"
        ));
        stem.clone()
    });

    // Which tables give codes, which statuses, which nothing.
    struct Found<'a> {
        table: &'a Table,
        heading: Option<&'a str>,
        cols: Columns,
        statuses: bool,
    }
    let mut found = Vec::new();
    let mut without = Vec::new();
    for (t, heading) in &tables {
        match columns(t) {
            Some(cols) => {
                let codes: Vec<String> = t
                    .rows
                    .iter()
                    .map(|r| r.get(cols.code).map(code_text).unwrap_or_default())
                    .filter(|c| !c.is_empty())
                    .collect();
                let statuses = cols.status.is_none()
                    && !codes.is_empty()
                    && codes.iter().all(|c| as_status(c).is_some());
                found.push(Found {
                    table: t,
                    heading: *heading,
                    cols,
                    statuses,
                });
            }
            None => without.push(*t),
        }
    }
    if found.is_empty() {
        let seen: Vec<String> = tables
            .iter()
            .map(|(t, _)| format!("{}: {}", t.at, headers(t)))
            .collect();
        return Err(ImportError::new(
            file,
            tables.first().map(|(t, _)| t.at.clone()),
            format!(
                "none of the page's {} table(s) has a code column; headers seen: {}",
                tables.len(),
                seen.join("; ")
            ),
            Some(
                "name the code column `Code`, `Error code` or `SQLSTATE`, or check that this is the page of error codes"
                    .into(),
            ),
        ));
    }
    for t in &without {
        notes.push(format!(
            "{} ({}) has no code column: not imported",
            t.label(),
            headers(t)
        ));
    }

    let mut draft = Draft {
        id: module_id(&name),
        name: name.clone(),
        source: base,
        url,
        ..Draft::default()
    };

    // Statuses first, so that a code's status finds its documented name.
    let mut status_at: HashMap<u16, String> = HashMap::new();
    for f in found.iter().filter(|f| f.statuses) {
        let t = f.table;
        let names = f.cols.message;
        let described = f.cols.description;
        for (n, row) in t.rows.iter().enumerate() {
            let get = |i: Option<usize>| {
                i.and_then(|i| row.get(i))
                    .map(|c| c.source.clone())
                    .filter(|s| !s.is_empty())
            };
            let Some(number) = row.get(f.cols.code).and_then(|c| as_status(&code_text(c))) else {
                unplaced(&mut notes, t, n, row);
                continue;
            };
            if let Some(first) = status_at.get(&number) {
                notes.push(format!(
                    "status {number} is listed again in {}, row {}: the entry of {first} is kept",
                    t.label(),
                    n + 1
                ));
                continue;
            }
            status_at.insert(number, t.label());
            let mut status = DraftStatus {
                number,
                description: get(described),
                ..DraftStatus::default()
            };
            match get(names) {
                Some(page_name) if status_name_ok(&page_name) => status.name = page_name,
                page_name => {
                    status.name = standard_name(number);
                    status.inferred.push("name".into());
                    if let Some(page_name) = page_name {
                        notes.push(format!(
                            "status {number}: the page's name `{page_name}` gives no Rust name; the standard `{}` is used",
                            status.name
                        ));
                    }
                }
            }
            draft.statuses.push(status);
        }
        for &i in &f.cols.unmapped {
            notes.push(format!(
                "the column `{}` of {} (statuses) is not imported",
                t.header.get(i).map_or("", String::as_str),
                t.label()
            ));
        }
    }

    // Categories from the headings above code tables; the page's title is none.
    let mut category_of: HashMap<String, String> = HashMap::new();
    let mut category_variants: HashSet<String> = HashSet::new();
    let mut untitled: Vec<&str> = Vec::new();
    for f in found.iter().filter(|f| !f.statuses) {
        match f.heading.filter(|h| !h.is_empty() && *h != name) {
            Some(h) if !category_of.contains_key(h) => {
                let mut id = entry_id(h);
                let mut k = 2;
                while !category_variants.insert(id.to_upper_camel_case()) {
                    id = format!("{}_{k}", entry_id(h));
                    k += 1;
                }
                category_of.insert(h.to_owned(), id.clone());
                draft.categories.push(DraftCategory {
                    id,
                    title: h.to_owned(),
                    description: None,
                });
            }
            Some(_) => {}
            None => untitled.push(&f.table.at),
        }
    }
    if untitled.len() > 1 {
        notes.push(format!(
            "the code tables at {} have no heading above them: their codes have no category",
            untitled.join(", ").replace("line ", "")
        ));
    }

    // The codes.
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut variants: HashSet<String> = HashSet::new();
    let mut markdown_text = false;
    for f in found.iter().filter(|f| !f.statuses) {
        let t = f.table;
        let c = &f.cols;
        let (mut from_description, mut from_code) = (false, false);
        for (n, row) in t.rows.iter().enumerate() {
            let wire = row.get(c.code).map(code_text).unwrap_or_default();
            if wire.is_empty() || !is_code(&wire) {
                unplaced(&mut notes, t, n, row);
                continue;
            }
            if let Some(first) = seen.get(&wire) {
                notes.push(format!(
                    "the code `{wire}` is listed again in {}, row {}: the entry of {first} is kept",
                    t.label(),
                    n + 1
                ));
                continue;
            }
            seen.insert(wire.clone(), t.label());
            let get = |i: Option<usize>| {
                i.and_then(|i| row.get(i))
                    .filter(|c| !c.source.is_empty())
                    .cloned()
            };
            let mut code = DraftCode {
                code: Some(Wire::Str(wire.clone())),
                category: f.heading.and_then(|h| category_of.get(h)).cloned(),
                ..DraftCode::default()
            };
            let message = get(c.message);
            let description = get(c.description);
            let solution = get(c.solution);
            for cell in [&message, &description, &solution].into_iter().flatten() {
                markdown_text |= cell.source != cell.plain;
            }
            match (message, description) {
                (Some(m), d) => {
                    code.message = m.source;
                    code.description = d.map(|d| d.source);
                }
                (None, Some(d)) => {
                    code.message = d.source;
                    code.inferred.push("message".into());
                    from_description = true;
                }
                (None, None) => {
                    code.message = wire.clone();
                    code.inferred.push("message".into());
                    from_code = true;
                }
            }
            code.solution = solution.map(|s| s.source);
            if let Some(cell) = c.status.and_then(|i| row.get(i)) {
                match status_in(&cell.plain) {
                    Some(s) => code.status = Some(s),
                    None if cell.plain.is_empty() => {}
                    None => {
                        code.note = Some(format!(
                            "the status cell `{}` holds no HTTP status: left out",
                            cell.plain
                        ));
                    }
                }
            }
            match crate::validate::variant_for(&wire) {
                Some(v) if variants.insert(v.clone()) => {}
                derived => {
                    let base = variant_name(&wire);
                    let mut v = base.clone();
                    let mut k = 2;
                    while !variants.insert(v.clone()) {
                        v = format!("{base}{k}");
                        k += 1;
                    }
                    let why = match derived {
                        Some(d) => format!("`{d}` is another code's variant"),
                        None => "the code gives no Rust name".to_owned(),
                    };
                    code.note = Some(format!("variant `{v}`: {why}; rename it if you like"));
                    code.variant = Some(v);
                }
            }
            draft.codes.push(code);
        }
        if from_description {
            notes.push(format!(
                "{} has no message column: each code's message is its description, marked inferred",
                t.label()
            ));
        }
        if from_code {
            notes.push(format!(
                "{} gives some codes neither message nor description: their message is the code, marked inferred",
                t.label()
            ));
        }
        for &i in &c.unmapped {
            notes.push(format!(
                "the column `{}` of {} is not imported",
                t.header.get(i).map_or("", String::as_str),
                t.label()
            ));
        }
    }

    // Statuses the codes name that no status table documents.
    for code in &draft.codes {
        if let Some(s) = code.status {
            if !draft.statuses.iter().any(|d| d.number == s) {
                draft.statuses.push(DraftStatus {
                    number: s,
                    name: standard_name(s),
                    inferred: vec!["name".into()],
                    ..DraftStatus::default()
                });
            }
        }
    }

    // Integer codes when every code is a whole number.
    let all_int = !draft.codes.is_empty()
        && draft
            .codes
            .iter()
            .all(|c| matches!(&c.code, Some(Wire::Str(s)) if as_int(s).is_some()));
    if all_int {
        draft.code_type = DraftCodeType::Integer;
        for c in &mut draft.codes {
            if let Some(Wire::Str(s)) = &c.code {
                c.code = as_int(s).map(Wire::Int);
            }
        }
    }
    if markdown_text {
        draft.text = Some(TextFormat::Markdown);
    }

    let examples: Vec<(&str, &str)> = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Code { at, text } => Some((at.as_str(), text.as_str())),
            _ => None,
        })
        .collect();
    let (envelope, note) = envelope(&examples, &draft);
    draft.envelopes.push(envelope);
    notes.extend(note);
    draft.notes = notes;
    Ok(draft)
}

fn standard_name(status: u16) -> String {
    reason(status).map_or_else(|| format!("Status {status}"), str::to_owned)
}

fn unplaced(notes: &mut Vec<String>, t: &Table, n: usize, row: &[Cell]) {
    let cells: Vec<&str> = row.iter().map(|c| c.plain.as_str()).collect();
    if cells.iter().all(|c| c.is_empty()) {
        return;
    }
    notes.push(format!(
        "the row {} of {} has no code of its own (`{}`): not imported",
        n + 1,
        t.label(),
        cells.join(" | ")
    ));
}

fn field_type(v: &Value) -> FieldType {
    match v {
        Value::String(_) => FieldType::String,
        Value::Number(n) if n.is_i64() || n.is_u64() => FieldType::Integer,
        Value::Bool(_) => FieldType::Boolean,
        Value::Array(_) => FieldType::Array,
        Value::Object(_) => FieldType::Object,
        _ => FieldType::Any,
    }
}

/// The objects of `v` reached through objects only, with their paths.
fn objects<'a>(
    v: &'a Value,
    path: &mut Vec<String>,
    out: &mut Vec<(Vec<String>, &'a serde_json::Map<String, Value>)>,
) {
    if let Value::Object(map) = v {
        out.push((path.clone(), map));
        if path.len() < 8 {
            for (k, child) in map {
                path.push(k.clone());
                objects(child, path, out);
                path.pop();
            }
        }
    }
}

/// The envelope an example body on the page shows, or a placeholder; and a note when a human
/// must check it.
fn envelope(examples: &[(&str, &str)], draft: &Draft) -> (DraftEnvelope, Option<String>) {
    let is_code = |v: &Value| match v {
        Value::String(s) => draft.codes.iter().any(|c| match &c.code {
            Some(Wire::Str(w)) => w == s,
            Some(Wire::Int(n)) => n.to_string() == *s,
            None => false,
        }),
        Value::Number(n) => n.as_u64().is_some_and(|n| {
            draft.codes.iter().any(|c| match &c.code {
                Some(Wire::Int(w)) => u64::from(*w) == n,
                Some(Wire::Str(w)) => *w == n.to_string(),
                None => false,
            })
        }),
        _ => false,
    };
    let parsed: Vec<(&str, &str, Value)> = examples
        .iter()
        .filter_map(|(at, text)| {
            let json = json_at(text.trim_start())?;
            serde_json::from_str::<Value>(json)
                .ok()
                .map(|v| (*at, json, v))
        })
        .collect();
    let shape = |path: &[String], map: &serde_json::Map<String, Value>, key: &str| {
        let message = MESSAGE_KEYS
            .iter()
            .find(|k| **k != key && map.get(**k).is_some_and(Value::is_string))
            .map(|k| (*k).to_owned());
        let fields = map
            .iter()
            .filter(|(k, _)| k.as_str() != key && Some(k.as_str()) != message.as_deref())
            .map(|(k, v)| (k.clone(), field_type(v), None))
            .collect();
        DraftEnvelope {
            id: "error".into(),
            root: path.to_vec(),
            code_field: key.to_owned(),
            message,
            fields,
            ..DraftEnvelope::default()
        }
    };
    // An example that carries one of the codes.
    for (at, json, v) in &parsed {
        let mut objs = Vec::new();
        objects(v, &mut Vec::new(), &mut objs);
        let best = objs
            .iter()
            .flat_map(|(path, map)| {
                map.iter()
                    .filter(|(_, v)| is_code(v))
                    .map(move |(k, v)| (path, *map, k, v))
            })
            .min_by_key(|(path, _, k, _)| {
                (
                    CODE_KEYS
                        .iter()
                        .position(|c| c == k)
                        .unwrap_or(CODE_KEYS.len()),
                    path.len(),
                )
            });
        if let Some((path, map, key, value)) = best {
            let mut e = shape(path, map, key);
            e.code_accepts = vec![field_type(value)];
            e.example = Some((*json).to_owned());
            e.note = Some(format!("The example body at {at}."));
            return (e, None);
        }
    }
    let accepts = match draft.code_type {
        DraftCodeType::String => FieldType::String,
        DraftCodeType::Integer => FieldType::Integer,
    };
    // An example whose code is a placeholder, such as `"code": "error_code"`.
    for (at, json, v) in &parsed {
        let mut objs = Vec::new();
        objects(v, &mut Vec::new(), &mut objs);
        let found = objs.iter().find_map(|(path, map)| {
            CODE_KEYS
                .iter()
                .find(|k| {
                    map.get(**k).is_some_and(|v| v.is_string() || v.is_u64())
                        && MESSAGE_KEYS
                            .iter()
                            .any(|m| m != *k && map.get(*m).is_some_and(Value::is_string))
                })
                .map(|k| (path, *map, *k))
        });
        if let Some((path, map, key)) = found {
            let mut e = shape(path, map, key);
            e.code_accepts = vec![accepts];
            e.example = Some((*json).to_owned());
            let shown = map.get(key).map(Value::to_string).unwrap_or_default();
            e.note = Some(format!("The example body at {at}."));
            let root = if path.is_empty() {
                "the body".to_owned()
            } else {
                format!("`{}`", path.join("."))
            };
            return (
                e,
                Some(format!(
                    "the envelope is the example body at {at}, whose `{key}` ({shown}) is none of the table's codes: check that this is the error body (root {root}, code `{key}`)"
                )),
            );
        }
    }
    (
        DraftEnvelope {
            id: "error".into(),
            code_field: "code".into(),
            code_accepts: vec![accepts],
            message: Some("message".into()),
            note: Some("A placeholder: the page shows no error body.".into()),
            ..DraftEnvelope::default()
        },
        Some(
            "the page shows no JSON error body that carries a code: the envelope `error` ({code, message} at the body's top) is a placeholder; give the real shape"
                .into(),
        ),
    )
}
