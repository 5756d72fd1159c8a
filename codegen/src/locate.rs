//! Finds where a YAML path such as `codes[3].status` stands in the source text.
//!
//! serde models do not keep positions, so after validation has found problems the source is
//! walked once more with an event parser that does, until the path of each problem and of its
//! ancestors is found ([`positions`]). A valid spec is walked only by
//! [`check_structure`], which remembers nothing but the keys of the open mappings.

use std::collections::HashMap;
use std::ops::ControlFlow;

use saphyr_parser::{Event, Parser};

use crate::diag::{self, Diagnostic, MAX_SPEC_BYTES};

/// 1-based line and column.
pub(crate) type Position = (usize, usize);

/// An open collection of the walk. `path_len` is the length of the collection's own path in
/// the walk's path buffer; a mapping's pending key or a sequence's current index follows it.
enum Frame {
    Map {
        path_len: usize,
        /// Whether the key of the next value has been read (its segment is in the buffer).
        keyed: bool,
        /// The keys given so far, with where each was first given.
        keys: Keys,
    },
    Seq {
        path_len: usize,
        index: usize,
    },
    /// A complex (non-scalar) mapping key: its nodes have no path of their own.
    Skip,
}

/// The keys of one mapping. Specs' mappings are small, so a short list is searched first;
/// past [`Keys::LIST`] keys they move to a hash map.
enum Keys {
    List(Vec<(String, Position)>),
    Map(HashMap<String, Position>),
}

impl Keys {
    const LIST: usize = 16;

    fn get(&self, key: &str) -> Option<Position> {
        match self {
            Keys::List(list) => list.iter().find(|(k, _)| k == key).map(|(_, at)| *at),
            Keys::Map(map) => map.get(key).copied(),
        }
    }

    fn insert(&mut self, key: String, at: Position) {
        match self {
            Keys::List(list) if list.len() < Self::LIST => list.push((key, at)),
            Keys::List(list) => {
                let mut map: HashMap<String, Position> = list.drain(..).collect();
                map.insert(key, at);
                *self = Keys::Map(map);
            }
            Keys::Map(map) => {
                map.insert(key, at);
            }
        }
    }
}

/// The position of each of `paths` in `source`: the position of the first node at that path,
/// or of its nearest ancestor that exists there (a missing field is reported on the mapping
/// that lacks it); the root is at line 1, column 1.
///
/// One walk of the source serves every path asked, with no allocation per node, and it ends
/// as soon as each path and each ancestor asked about has been found. It cannot end sooner: a
/// path not found where it would be could still be further on, since a key may hold the `.`
/// or `[` that separate a path's segments (a policy `error.inner` beside a policy `error`).
pub(crate) fn positions(source: &str, paths: &[&str]) -> Vec<Position> {
    let mut found: HashMap<&str, Option<Position>> = HashMap::new();
    for path in paths {
        let mut path = *path;
        loop {
            found.entry(path).or_insert(None);
            match path.rfind(['.', '[']) {
                Some(cut) => path = &path[..cut],
                None => break,
            }
        }
    }
    found.insert("", Some((1, 1)));
    let mut missing = found.values().filter(|at| at.is_none()).count();
    if missing > 0 {
        let _ = walk(source, |node| match node {
            Node::Value { path, at, .. } => match found.get_mut(path) {
                Some(slot @ None) => {
                    *slot = Some(at);
                    missing -= 1;
                    if missing == 0 {
                        ControlFlow::Break(())
                    } else {
                        ControlFlow::Continue(())
                    }
                }
                _ => ControlFlow::Continue(()),
            },
            Node::DuplicateKey { .. } => ControlFlow::Continue(()),
            Node::Stop { .. } => ControlFlow::Break(()),
        });
    }
    paths
        .iter()
        .map(|path| {
            let mut path = *path;
            loop {
                if let Some(Some(at)) = found.get(path) {
                    return *at;
                }
                match path.rfind(['.', '[']) {
                    Some(cut) => path = &path[..cut],
                    None => return (1, 1),
                }
            }
        })
        .collect()
}

/// Gives each of `items` the line and column of its place in `source`: `at` names the YAML
/// path to report it at, `diagnostic` the diagnostic to set. One walk for all of them
/// ([`positions`]).
pub(crate) fn locate<T>(
    source: &str,
    items: &mut [T],
    at: impl Fn(&T) -> &str,
    diagnostic: impl Fn(&mut T) -> &mut Diagnostic,
) {
    let paths: Vec<&str> = items.iter().map(&at).collect();
    let found = positions(source, &paths);
    for (item, (line, column)) in items.iter_mut().zip(found) {
        let d = diagnostic(item);
        d.line = line;
        d.column = column;
    }
}

/// The deepest nesting a spec may have. The shipped specs nest 5 levels deep; the YAML
/// library's own limit is 128, and its scanner slows down with depth.
const MAX_DEPTH: usize = 64;

/// The most nodes a short spec may have, whatever its size.
const MIN_MAX_NODES: usize = 250_000;

/// The fewest bytes of YAML a node takes on average in a spec past [`MIN_MAX_NODES`]. Real
/// specs take 7 (a code in one flow mapping: `- { code: 40001, status: 400, message: Bad
/// request }`) to 30 bytes a node; a file of tiny nodes (`[0,0,0,...]`: 2 bytes a node) is
/// refused before the YAML library holds them all.
const NODE_BYTES: usize = 4;

/// The most nodes any spec may have: a catalog of 100,000 codes with messages, statuses,
/// categories and solutions has about 1,500,000. The YAML library holds every event of a
/// document in memory before deserializing it (about 330 bytes a node at its peak), so this
/// bounds what a hostile file can take: about 0.8 GB and 12 s.
const MAX_MAX_NODES: usize = 2_500_000;

/// The most nodes a spec of `len` bytes may have.
fn max_nodes(len: usize) -> usize {
    (len / NODE_BYTES).clamp(MIN_MAX_NODES, MAX_MAX_NODES)
}

/// The problems that keep `source` from being deserialized at all: its size; else every line
/// break the two YAML readers disagree on; else the first of a syntax error, an anchor or
/// alias, a repeated key, too deep a nesting, too many nodes or a second document.
/// Empty when the deserializer may read it.
pub(crate) fn check_source(source: &str, file: &str) -> Vec<Diagnostic> {
    if source.len() > MAX_SPEC_BYTES {
        return vec![diag::too_large(file)];
    }
    let mut problems = unreadable_characters(source, file);
    if !problems.is_empty() {
        // The structural check's parser counts lines differently past such a break, so its
        // findings would be misplaced; they are reported once the breaks are gone.
        return problems;
    }
    if let Some(problem) = check_structure(source) {
        problems.push(Diagnostic {
            file: file.to_owned(),
            line: problem.at.0,
            column: problem.at.1,
            path: problem.path,
            message: problem.message,
            help: Some(problem.help.to_owned()),
        });
    }
    problems.sort_by_key(|d| (d.line, d.column));
    problems
}

/// Every character written raw in `source` that the two YAML readers do not read alike. NEL
/// (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029) are line breaks to YAML
/// 1.1 (the deserializer) and ordinary characters to YAML 1.2 (the structural check); a
/// carriage return not followed by a line feed ends a comment for the one and not for the
/// other. Text after one in a comment would be parsed by the one and not seen by the other,
/// so neither reads them: they are refused wherever they stand. The other control characters
/// (NUL and the rest of C0 and C1 but tab, and DEL) are not allowed in YAML at all, and
/// each reader names them in its own way ("unexpected end of stream" for a NUL), so they
/// are named here. Lines are counted as editors count them: at LF, CRLF and a lone CR.
fn unreadable_characters(source: &str, file: &str) -> Vec<Diagnostic> {
    let refused = |c: char| {
        matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
            || matches!(c, '\u{2028}' | '\u{2029}')
    };
    let lone_cr = source
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b'\r' && w[1] != b'\n')
        || source.ends_with('\r');
    let mut problems = Vec::new();
    if !lone_cr && !source.contains(refused) {
        return problems;
    }
    let (mut line, mut column) = (1, 1);
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        let (message, help) = match c {
            '\n' => {
                (line, column) = (line + 1, 1);
                continue;
            }
            '\r' if chars.peek() == Some(&'\n') => continue,
            '\r' => (
                "a carriage return without a line feed: YAML readers disagree on whether it \
                 breaks the line"
                    .to_owned(),
                "save the file with LF or CRLF line endings".to_owned(),
            ),
            c if refused(c) => {
                let escape = format!("\\u{:04X}", u32::from(c));
                let why = match c {
                    '\u{85}' => "a raw NEL (U+0085): YAML readers disagree on whether it breaks the line".to_owned(),
                    '\u{2028}' => "a raw LINE SEPARATOR (U+2028): YAML readers disagree on whether it breaks the line".to_owned(),
                    '\u{2029}' => "a raw PARAGRAPH SEPARATOR (U+2029): YAML readers disagree on whether it breaks the line".to_owned(),
                    '\u{0}' => "a raw NUL character (U+0000), which YAML does not allow".to_owned(),
                    c => format!(
                        "a raw control character (U+{:04X}), which YAML does not allow",
                        u32::from(c)
                    ),
                };
                (
                    why,
                    format!("remove it, or write it as `{escape}` inside a double-quoted string"),
                )
            }
            _ => {
                column += 1;
                continue;
            }
        };
        problems.push(Diagnostic {
            file: file.to_owned(),
            line,
            column,
            path: String::new(),
            message,
            help: Some(help),
        });
        // A lone CR also ends the line, as editors show it.
        (line, column) = if c == '\r' {
            (line + 1, 1)
        } else {
            (line, column + 1)
        };
    }
    problems
}

/// A YAML structure that the serde model would accept silently or pay for without bound,
/// found before it is deserialized.
struct StructureProblem {
    path: String,
    at: Position,
    message: String,
    help: &'static str,
}

/// The first structural problem of `source`. serde expands every alias in place, so a few
/// lines of nested aliases ("billion laughs") or one large scalar aliased many times can stand
/// for gigabytes; specs have no use for anchors. A key repeated in a map-typed section such as
/// `retry.policies` would silently replace the first entry. And the YAML library behind serde
/// scans deeply nested flow collections in quadratic time, so only what this parser accepted
/// within the limits reaches it.
fn check_structure(source: &str) -> Option<StructureProblem> {
    const NO_ANCHORS: &str = "write the value out in full at each place it is needed";
    let mut problem = None;
    let _ = walk(source, |node| {
        let (path, at, message, help) = match node {
            Node::Value {
                path,
                at,
                anchor: true,
                ..
            } => (
                path.to_owned(),
                at,
                "YAML anchors (`&name`) are not supported".into(),
                NO_ANCHORS,
            ),
            Node::Value {
                path,
                at,
                alias: true,
                ..
            } => (
                path.to_owned(),
                at,
                "YAML aliases (`*name`) are not supported".into(),
                NO_ANCHORS,
            ),
            Node::Value { .. } => return ControlFlow::Continue(()),
            Node::DuplicateKey {
                path,
                key,
                at,
                first,
            } => (
                path.to_owned(),
                at,
                format!(
                    "duplicate key `{key}` (first at line {}, column {})",
                    first.0, first.1
                ),
                "give each key once per mapping",
            ),
            Node::Stop { path, at, reason } => match reason {
                Stop::Syntax(message) => (
                    path.to_owned(),
                    at,
                    message,
                    "fix the YAML syntax at this place",
                ),
                Stop::TooDeep => (
                    path.to_owned(),
                    at,
                    format!("the spec nests deeper than {MAX_DEPTH} levels"),
                    "a spec nests a few levels deep; check the brackets and the indentation",
                ),
                Stop::TooManyNodes => (
                    path.to_owned(),
                    at,
                    format!(
                        "the spec has more than {} YAML nodes (a spec may have {MIN_MAX_NODES}, \
                         or one per {NODE_BYTES} bytes of its size, up to {MAX_MAX_NODES})",
                        max_nodes(source.len())
                    ),
                    "check that this is the right file; a spec transcribes one API's error tables",
                ),
                Stop::SecondDocument => (
                    path.to_owned(),
                    at,
                    "the file holds more than one YAML document".into(),
                    "keep one spec per file, without a second `---` line",
                ),
            },
        };
        problem = Some(StructureProblem {
            path,
            at,
            message,
            help,
        });
        ControlFlow::Break(())
    });
    problem
}

enum Node<'p> {
    /// A node with a path (the nodes of complex keys have none).
    Value {
        path: &'p str,
        at: Position,
        anchor: bool,
        alias: bool,
    },
    /// A scalar key seen before in the same mapping; `path` includes the key.
    DuplicateKey {
        path: &'p str,
        key: &'p str,
        at: Position,
        first: Position,
    },
    /// The walk ends here; `path` is that of the innermost enclosing node.
    Stop {
        path: &'p str,
        at: Position,
        reason: Stop,
    },
}

enum Stop {
    Syntax(String),
    TooDeep,
    TooManyNodes,
    SecondDocument,
}

/// Walks `source` with an event parser, without recursion, so that nesting costs heap, not
/// stack, and ends at the first syntax error, at a second document, or past the limits.
///
/// The path of the node being visited is kept in one buffer: a key's or an index's segment is
/// appended when the node starts and cut when it ends, so a visitor that keeps no path costs
/// no allocation per node.
fn walk(source: &str, mut visit: impl FnMut(Node<'_>) -> ControlFlow<()>) -> ControlFlow<()> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut path = String::new();
    let mut nodes = 0usize;
    let node_limit = max_nodes(source.len());
    let mut documents = 0usize;
    let mut parser = Parser::new_from_str(source);
    loop {
        let (event, span) = match parser.next_event() {
            None => return ControlFlow::Continue(()),
            Some(Ok(next)) => next,
            Some(Err(err)) => {
                let at = (err.marker().line(), err.marker().col() + 1);
                // The parser's only limit is on the nesting of flow collections.
                let reason = if err.info().contains("recursion limit") {
                    Stop::TooDeep
                } else {
                    Stop::Syntax(err.info().to_owned())
                };
                return visit(stop(&stack, &path, at, reason));
            }
        };
        let at = (span.start.line(), span.start.col() + 1);
        if matches!(
            event,
            Event::Scalar(..)
                | Event::Alias(_)
                | Event::MappingStart(..)
                | Event::SequenceStart(..)
        ) {
            nodes += 1;
            if nodes > node_limit {
                return visit(stop(&stack, &path, at, Stop::TooManyNodes));
            }
        }
        match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return visit(stop(&stack, &path, at, Stop::SecondDocument));
                }
            }
            Event::Scalar(value, _, anchor_id, _) => {
                if let Some(Frame::Map {
                    keyed: keyed @ false,
                    keys,
                    ..
                }) = stack.last_mut()
                {
                    push_key(&mut path, &value);
                    match keys.get(&value) {
                        Some(first) => visit(Node::DuplicateKey {
                            path: &path,
                            key: &value,
                            at,
                            first,
                        })?,
                        None => keys.insert(value.into_owned(), at),
                    }
                    if anchor_id != 0 {
                        visit(Node::Value {
                            path: &path,
                            at,
                            anchor: true,
                            alias: false,
                        })?;
                    }
                    *keyed = true;
                    continue;
                }
                if open_value(&mut stack, &mut path) {
                    visit(Node::Value {
                        path: &path,
                        at,
                        anchor: anchor_id != 0,
                        alias: false,
                    })?;
                } else if anchor_id != 0 {
                    visit(Node::Value {
                        path: nearest_path(&stack, &path),
                        at,
                        anchor: true,
                        alias: false,
                    })?;
                }
                finish_value(&mut stack, &mut path);
            }
            Event::Alias(_) => {
                if let Some(Frame::Map {
                    path_len,
                    keyed: keyed @ false,
                    ..
                }) = stack.last_mut()
                {
                    visit(Node::Value {
                        path: &path[..*path_len],
                        at,
                        anchor: false,
                        alias: true,
                    })?;
                    *keyed = true;
                    push_key(&mut path, "*");
                    continue;
                }
                let path_here = if open_value(&mut stack, &mut path) {
                    &path[..]
                } else {
                    nearest_path(&stack, &path)
                };
                visit(Node::Value {
                    path: path_here,
                    at,
                    anchor: false,
                    alias: true,
                })?;
                finish_value(&mut stack, &mut path);
            }
            Event::MappingStart(anchor_id, _) | Event::SequenceStart(anchor_id, _) => {
                if stack.len() >= MAX_DEPTH {
                    return visit(stop(&stack, &path, at, Stop::TooDeep));
                }
                let is_map = matches!(event, Event::MappingStart(..));
                let frame = if open_value(&mut stack, &mut path) {
                    visit(Node::Value {
                        path: &path,
                        at,
                        anchor: anchor_id != 0,
                        alias: false,
                    })?;
                    let path_len = path.len();
                    if is_map {
                        Frame::Map {
                            path_len,
                            keyed: false,
                            keys: Keys::List(Vec::new()),
                        }
                    } else {
                        Frame::Seq { path_len, index: 0 }
                    }
                } else {
                    Frame::Skip
                };
                if anchor_id != 0 && matches!(frame, Frame::Skip) {
                    visit(Node::Value {
                        path: nearest_path(&stack, &path),
                        at,
                        anchor: true,
                        alias: false,
                    })?;
                }
                stack.push(frame);
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some(Frame::Skip) = stack.pop() {
                    // A finished complex key: the next node is its value, which has no
                    // usable path either, so mark the key as seen.
                    if let Some(Frame::Map {
                        keyed: keyed @ false,
                        ..
                    }) = stack.last_mut()
                    {
                        *keyed = true;
                        push_key(&mut path, "?");
                    }
                    continue;
                }
                finish_value(&mut stack, &mut path);
            }
            _ => {}
        }
    }
}

/// Appends the segment of a mapping's key to the path of the mapping in `path`.
fn push_key(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
}

/// Makes `path` the path of the node about to start, if it has one: the root, a mapping's
/// keyed value (its key is already in `path`) or a sequence's next element. `false` for the
/// nodes of a complex key.
fn open_value(stack: &mut [Frame], path: &mut String) -> bool {
    match stack.last() {
        None | Some(Frame::Map { keyed: true, .. }) => true,
        Some(Frame::Seq { index, .. }) => {
            use std::fmt::Write as _;
            let _ = write!(path, "[{index}]");
            true
        }
        Some(Frame::Map { keyed: false, .. }) | Some(Frame::Skip) => false,
    }
}

/// The end of the walk at `at`, named by the innermost enclosing node that has a path.
fn stop<'p>(stack: &[Frame], path: &'p str, at: Position, reason: Stop) -> Node<'p> {
    Node::Stop {
        path: nearest_path(stack, path),
        at,
        reason,
    }
}

/// The path of the innermost enclosing node that has one.
fn nearest_path<'p>(stack: &[Frame], path: &'p str) -> &'p str {
    let len = stack
        .iter()
        .rev()
        .find_map(|frame| match frame {
            Frame::Map { path_len, .. } | Frame::Seq { path_len, .. } => Some(*path_len),
            Frame::Skip => None,
        })
        .unwrap_or(0);
    &path[..len]
}

/// Ends the value just read in the innermost collection: its segment leaves `path`, a
/// mapping awaits its next key and a sequence its next element.
fn finish_value(stack: &mut [Frame], path: &mut String) {
    match stack.last_mut() {
        Some(Frame::Map {
            path_len, keyed, ..
        }) => {
            *keyed = false;
            path.truncate(*path_len);
        }
        Some(Frame::Seq { path_len, index }) => {
            *index += 1;
            path.truncate(*path_len);
        }
        Some(Frame::Skip) => {}
        None => path.clear(),
    }
}

pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_node_limit_grows_with_the_file_up_to_its_cap() {
        assert_eq!(max_nodes(0), MIN_MAX_NODES);
        assert_eq!(max_nodes(600_000), MIN_MAX_NODES);
        assert_eq!(max_nodes(4_000_000), 1_000_000);
        // The 28 MB spec of 100,000 benchmark codes has about 1,500,000 nodes.
        assert_eq!(max_nodes(28_000_000), MAX_MAX_NODES);
        assert_eq!(max_nodes(usize::MAX), MAX_MAX_NODES);
    }

    #[test]
    fn paths_and_positions_of_nested_nodes() {
        let source = "a:\n  b: [x, {c: 1}]\n  ? [complex, key]\n  : value\n  d:\n    - e: 2\n    - 3\nf: last\n";
        let cases = [
            ("", (1, 1)),
            ("a", (2, 3)),
            ("a.b", (2, 6)),
            ("a.b[0]", (2, 7)),
            ("a.b[1]", (2, 10)),
            ("a.b[1].c", (2, 14)),
            // The value of a complex key has the path `?`; the key's own nodes have none.
            ("a.?", (4, 5)),
            ("a.?[0]", (4, 5)),
            ("a.d[0].e", (6, 10)),
            ("a.d[1]", (7, 7)),
            ("f", (8, 4)),
            // A missing field is reported on the nearest node that exists.
            ("a.d[0].missing", (6, 7)),
            ("g.h", (1, 1)),
        ];
        let paths: Vec<&str> = cases.iter().map(|(path, _)| *path).collect();
        let found = positions(source, &paths);
        for ((path, expected), at) in cases.iter().zip(&found) {
            assert_eq!(at, expected, "{path}");
        }
        // Each path alone, and asked twice, is where it is among the others (the walk may end
        // early, once every path asked is found).
        for (path, expected) in cases {
            assert_eq!(
                positions(source, &[path, path]),
                [expected, expected],
                "{path}"
            );
        }
        assert!(positions(source, &[]).is_empty());
    }

    #[test]
    fn a_dotted_key_is_found_after_the_key_it_looks_under() {
        // Found by a differential run over fuzzed specs: a walk that took `error.inner.initial`
        // for absent once `error` had ended put its problem on `error`.
        let source = "p:\n  error: {a: 1}\n  rate: 2\n  error.inner: {initial: x}\n";
        assert_eq!(
            positions(source, &["p.error.inner.initial", "p.error.a"]),
            [(4, 26), (2, 14)]
        );
    }

    #[test]
    fn a_key_repeated_in_a_large_mapping_is_found_with_its_first_place() {
        let mut source = String::from("root:\n");
        for i in 0..40 {
            source.push_str(&format!("  k{i}: {i}\n"));
        }
        source.push_str("  k3: again\n");
        let problem = check_structure(&source).expect("a duplicate");
        assert_eq!(problem.path, "root.k3");
        assert_eq!(problem.at, (42, 3));
        assert_eq!(
            problem.message,
            "duplicate key `k3` (first at line 5, column 3)"
        );
    }

    use proptest::prelude::*;

    /// What a YAML document holds, as either reader describes it: scalars as their text.
    #[derive(Debug, PartialEq)]
    enum Tree {
        Scalar(String),
        Seq(Vec<Tree>),
        Map(Vec<(String, Tree)>),
    }

    /// The document as the structural check's parser reads it; `None` if it does not parse.
    fn checked_tree(source: &str) -> Option<Tree> {
        enum Open {
            Seq(Vec<Tree>),
            Map(Vec<(String, Tree)>, Option<String>),
        }
        fn add(stack: &mut [Open], root: &mut Option<Tree>, node: Tree) -> Option<()> {
            match stack.last_mut() {
                None => *root = Some(node),
                Some(Open::Seq(items)) => items.push(node),
                Some(Open::Map(entries, key)) => match key.take() {
                    Some(k) => entries.push((k, node)),
                    None => match node {
                        Tree::Scalar(k) => *key = Some(k),
                        _ => return None,
                    },
                },
            }
            Some(())
        }
        let mut stack = Vec::new();
        let mut root = None;
        for next in Parser::new_from_str(source) {
            match next.ok()?.0 {
                Event::Scalar(value, ..) => {
                    add(&mut stack, &mut root, Tree::Scalar(value.into_owned()))?
                }
                Event::SequenceStart(..) => stack.push(Open::Seq(Vec::new())),
                Event::MappingStart(..) => stack.push(Open::Map(Vec::new(), None)),
                Event::SequenceEnd | Event::MappingEnd => {
                    let node = match stack.pop()? {
                        Open::Seq(items) => Tree::Seq(items),
                        Open::Map(entries, _) => Tree::Map(entries),
                    };
                    add(&mut stack, &mut root, node)?;
                }
                Event::Alias(_) => return None,
                _ => {}
            }
        }
        root
    }

    /// The document as the deserializer reads it.
    fn deserialized_tree(source: &str) -> Option<Tree> {
        fn tree(value: serde_yaml::Value) -> Tree {
            use serde_yaml::Value;
            match value {
                Value::Null => Tree::Scalar(String::new()),
                Value::Bool(b) => Tree::Scalar(b.to_string()),
                Value::Number(n) => Tree::Scalar(n.to_string()),
                Value::String(s) => Tree::Scalar(s),
                Value::Sequence(items) => Tree::Seq(items.into_iter().map(tree).collect()),
                Value::Mapping(map) => Tree::Map(
                    map.into_iter()
                        .map(|(k, v)| match tree(k) {
                            Tree::Scalar(k) => (k, tree(v)),
                            other => (format!("{other:?}"), tree(v)),
                        })
                        .collect(),
                ),
                Value::Tagged(tagged) => tree(tagged.value),
            }
        }
        serde_yaml::from_str::<serde_yaml::Value>(source)
            .ok()
            .map(tree)
    }

    /// One line of a generated document: a key, an item or a comment, with fragments that the
    /// two YAML readers have read differently.
    fn line() -> impl Strategy<Value = String> {
        let word = prop::sample::select(vec!["a", "b", "code", "api", "x1"]);
        let tricky = prop::sample::select(vec![
            "\u{85}", "\u{2028}", "\u{2029}", "\r", "\t", ": ", "# ", "&a ", "*a", "[", "]", "{",
            "}", "- ", "'", "\"", "\u{feff}", "\u{a0}", "a", " ",
        ]);
        let text = prop::collection::vec(tricky, 0..4).prop_map(|parts| parts.concat());
        (0..3usize, 0..5u8, word.clone(), word, text).prop_map(|(indent, kind, k, v, text)| {
            let pad = "  ".repeat(indent);
            match kind {
                0 => format!("{pad}{k}: {v}"),
                1 => format!("{pad}- {v}"),
                2 => format!("{pad}{k}: {v} # {text}{k}: {v}"),
                3 => format!("{pad}{k}: \"{v}{text}\""),
                _ => format!("{pad}{k}:{text}{v}"),
            }
        })
    }

    /// Every path of `source` with the place of its first node, by a whole walk: the oracle of
    /// [`positions`], which may stop early.
    fn every_position(source: &str) -> HashMap<String, Position> {
        let mut all = HashMap::new();
        all.insert(String::new(), (1, 1));
        let _ = walk(source, |node| {
            if let Node::Value { path, at, .. } = node {
                all.entry(path.to_owned()).or_insert(at);
            }
            ControlFlow::Continue(())
        });
        all
    }

    /// A document tree: scalars (some of them flow collections), mappings with distinct keys
    /// (one of them dotted, as a path segment cannot tell apart) and sequences.
    #[derive(Clone, Debug)]
    enum Doc {
        Leaf(&'static str),
        Map(Vec<Doc>),
        Seq(Vec<Doc>),
    }

    fn doc() -> impl Strategy<Value = Doc> {
        let leaf =
            prop::sample::select(vec!["1", "x", "[a, b]", "{k: v, w: [1]}"]).prop_map(Doc::Leaf);
        leaf.prop_recursive(5, 40, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 1..4).prop_map(Doc::Map),
                prop::collection::vec(inner, 1..4).prop_map(Doc::Seq),
            ]
        })
    }

    fn block_yaml(doc: &Doc, indent: usize, out: &mut String) {
        // `x.y` after `x` and `a`: a path that looks as if it were under `x` comes after the
        // end of `x`.
        const KEYS: [&str; 4] = ["x", "a", "x.y", "b"];
        let pad = "  ".repeat(indent);
        let children = match doc {
            Doc::Leaf(text) => {
                out.push_str(&format!("{pad}- {text}\n"));
                return;
            }
            Doc::Map(children) | Doc::Seq(children) => children,
        };
        for (i, child) in children.iter().enumerate() {
            let head = match doc {
                Doc::Map(_) => format!("{pad}{}:", KEYS[i]),
                _ => format!("{pad}-"),
            };
            match child {
                Doc::Leaf(text) => out.push_str(&format!("{head} {text}\n")),
                nested => {
                    out.push_str(&head);
                    out.push('\n');
                    block_yaml(nested, indent + 1, out);
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Where the walk may stop early, the answer is what a whole walk gives: each path at
        /// its node, a missing one at its nearest ancestor's.
        #[test]
        fn positions_are_those_of_a_whole_walk(
            tree in doc(),
            pick in any::<u64>(),
            extra in prop::sample::select(vec![".zz", "[7]", ".a.zz", "[0].b"]),
        ) {
            let mut source = String::new();
            block_yaml(&tree, 0, &mut source);
            prop_assert!(check_source(&source, "t.yaml").is_empty(), "{:?}", source);
            let all = every_position(&source);
            let mut known: Vec<&String> = all.keys().collect();
            known.sort();
            let mut asked: Vec<String> = known
                .iter()
                .enumerate()
                .filter(|(i, _)| pick >> (i % 64) & 1 == 1)
                .map(|(_, path)| (*path).clone())
                .collect();
            if let Some(first) = asked.first().cloned() {
                asked.push(format!("{first}{extra}"));
            }
            asked.push(format!("codes{extra}"));
            let paths: Vec<&str> = asked.iter().map(String::as_str).collect();
            let expected: Vec<Position> = paths
                .iter()
                .map(|path| {
                    let mut path = *path;
                    loop {
                        if let Some(at) = all.get(path) {
                            return *at;
                        }
                        match path.rfind(['.', '[']) {
                            Some(cut) => path = &path[..cut],
                            None => return (1, 1),
                        }
                    }
                })
                .collect();
            prop_assert_eq!(positions(&source, &paths), expected, "{:?} {:?}", source, paths);
        }

        /// Whatever the structural check lets through, the deserializer reads as the same
        /// document: the check's promises (no duplicate, no anchor, the depth, the positions)
        /// are about the document that is deserialized.
        #[test]
        fn the_check_and_the_deserializer_read_the_same_document(
            lines in prop::collection::vec(line(), 1..8)
        ) {
            let source = lines.join("\n");
            if check_source(&source, "t.yaml").is_empty() {
                let checked = checked_tree(&source);
                let deserialized = deserialized_tree(&source);
                prop_assert!(deserialized.is_some(), "accepted, but not deserializable: {source:?}");
                prop_assert_eq!(checked, deserialized, "{:?}", source);
            }
        }
    }

    #[test]
    fn unreadable_characters_are_located_on_the_lines_an_editor_shows() {
        let source = "a: 1\r\nb: 2\rc: 3 # \u{85}d: 4\n\u{2028}";
        let found = check_source(source, "t.yaml");
        let at: Vec<(usize, usize)> = found.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(at, [(2, 5), (3, 8), (4, 1)], "{found:?}");
        // The fuzz crash `C2 85 20`: one line, reported on it.
        let found = check_source("\u{85} ", "t.yaml");
        assert_eq!((found[0].line, found[0].column), (1, 1));
        // A NUL in a quoted scalar is named, not "unexpected end of stream".
        let found = check_source("api:\n  id: \"a\u{0}b\"\n", "t.yaml");
        assert_eq!((found[0].line, found[0].column), (2, 9));
        assert!(found[0].message.contains("NUL"), "{found:?}");
    }
}
