//! Finds where a YAML path such as `codes[3].status` stands in the source text.
//!
//! serde models do not keep positions, so after validation has found problems the source is
//! walked once more with an event parser that does, and each node's path is mapped to its
//! start. A valid spec never pays for this walk.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser};

/// 1-based line and column.
pub(crate) type Position = (usize, usize);

pub(crate) struct Locator {
    positions: HashMap<String, Position>,
}

enum Frame {
    Map {
        path: String,
        key: Option<String>,
    },
    Seq {
        path: String,
        index: usize,
    },
    /// A complex (non-scalar) mapping key: its nodes have no path of their own.
    Skip,
}

impl Locator {
    pub fn new(source: &str) -> Self {
        let mut positions = HashMap::new();
        positions.insert(String::new(), (1, 1));
        let mut stack: Vec<Frame> = Vec::new();
        let mut parser = Parser::new_from_str(source);
        while let Some(Ok((event, span))) = parser.next_event() {
            let at = (span.start.line(), span.start.col() + 1);
            match event {
                Event::Scalar(value, ..) => {
                    if let Some(Frame::Map {
                        key: key @ None, ..
                    }) = stack.last_mut()
                    {
                        *key = Some(value.into_owned());
                        continue;
                    }
                    if let Some(path) = value_path(&stack) {
                        positions.entry(path).or_insert(at);
                    }
                    finish_value(&mut stack);
                }
                Event::Alias(_) => {
                    if let Some(Frame::Map {
                        key: key @ None, ..
                    }) = stack.last_mut()
                    {
                        *key = Some(String::from("*"));
                        continue;
                    }
                    if let Some(path) = value_path(&stack) {
                        positions.entry(path).or_insert(at);
                    }
                    finish_value(&mut stack);
                }
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    let is_map = matches!(event, Event::MappingStart(..));
                    let frame = match stack.last() {
                        Some(Frame::Map { key: None, .. }) | Some(Frame::Skip) => Frame::Skip,
                        _ => match value_path(&stack) {
                            Some(path) => {
                                positions.entry(path.clone()).or_insert(at);
                                if is_map {
                                    Frame::Map { path, key: None }
                                } else {
                                    Frame::Seq { path, index: 0 }
                                }
                            }
                            None => Frame::Skip,
                        },
                    };
                    stack.push(frame);
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    if let Some(Frame::Skip) = stack.pop() {
                        // A finished complex key: the next node is its value, which has no
                        // usable path either, so mark the key as seen.
                        if let Some(Frame::Map {
                            key: key @ None, ..
                        }) = stack.last_mut()
                        {
                            *key = Some(String::from("?"));
                        }
                        continue;
                    }
                    finish_value(&mut stack);
                }
                Event::DocumentEnd => break,
                _ => {}
            }
        }
        Self { positions }
    }

    /// The position of `path`, or of its nearest ancestor that exists in the source (a missing
    /// field is reported on the mapping that lacks it).
    pub fn position(&self, path: &str) -> Position {
        let mut path = path;
        loop {
            if let Some(position) = self.positions.get(path) {
                return *position;
            }
            match path.rfind(['.', '[']) {
                Some(cut) => path = &path[..cut],
                None => return (1, 1),
            }
        }
    }
}

/// The path of the node about to start, given the enclosing frames.
fn value_path(stack: &[Frame]) -> Option<String> {
    match stack.last() {
        None => Some(String::new()),
        Some(Frame::Map {
            path,
            key: Some(key),
        }) => Some(join(path, key)),
        Some(Frame::Seq { path, index }) => Some(format!("{path}[{index}]")),
        Some(Frame::Map { key: None, .. }) | Some(Frame::Skip) => None,
    }
}

fn finish_value(stack: &mut [Frame]) {
    match stack.last_mut() {
        Some(Frame::Map { key, .. }) => *key = None,
        Some(Frame::Seq { index, .. }) => *index += 1,
        _ => {}
    }
}

pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}
