//! Located diagnostics: every problem in a spec names file, line, column, YAML path, what is
//! wrong and how to fix it.

use std::collections::HashSet;
use std::fmt;

/// One problem found in a spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The spec file as it was named to the generator.
    pub file: String,
    /// 1-based line of the offending node.
    pub line: usize,
    /// 1-based column of the offending node.
    pub column: usize,
    /// The YAML path of the offending node, such as `codes[3].status`; empty for the document.
    pub path: String,
    /// What is wrong, lowercase, quoting the offending value.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        if !self.path.is_empty() {
            write!(f, "at `{}`: ", self.path)?;
        }
        f.write_str(&self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

#[cfg(feature = "cli")]
#[cfg_attr(docsrs, doc(cfg(feature = "cli")))]
impl Diagnostic {
    /// The diagnostic as a person reads it on a terminal: the message, `file:line:column`, the
    /// offending line of `source` (the spec's text, when it could be read) with a caret under
    /// the column and the YAML path beside it, and the help. `color` adds terminal styles.
    pub fn render(&self, source: Option<&str>, color: bool) -> String {
        use annotate_snippets::{Level, Renderer, Snippet};
        // The renderer adds the line and column to the origin.
        let origin = self.file.as_str();
        let label = if self.path.is_empty() {
            String::new()
        } else {
            format!("at `{}`", self.path)
        };
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        // Tabs are shown as spaces (one byte for one, so the span stays where it was): the
        // renderer measures a tab as several columns of indentation and a span's characters
        // as one each.
        let line = source
            .and_then(|s| s.lines().nth(self.line.saturating_sub(1)))
            .map(|line| line.replace('\t', " "));
        let line = line.as_deref();
        let title = self.message.as_str();
        let help = self.help.as_deref();
        let mut message = Level::Error.title(title);
        if let Some(line) = line {
            // The column counts characters; the span is in bytes, over the token there. It
            // starts at the line's first token at the earliest: the renderer cuts a long
            // line's indentation and subtracted past zero for a span inside it.
            let indent = line.len() - line.trim_start().len();
            let start = line
                .char_indices()
                .nth(self.column.saturating_sub(1))
                .map_or(line.len(), |(i, _)| i)
                .max(indent);
            let token = line[start..]
                .find(|c: char| c.is_whitespace() || matches!(c, ',' | '}' | ']' | ':'))
                .unwrap_or(line.len() - start);
            let end = if token == 0 {
                line[start..]
                    .chars()
                    .next()
                    .map_or(start, |c| start + c.len_utf8())
            } else {
                start + token
            };
            message = message.snippet(
                Snippet::source(line)
                    .line_start(self.line)
                    .origin(origin)
                    .annotation(Level::Error.span(start..end).label(&label)),
            );
        } else {
            // No line to show (the file could not be read again, or the position is its end):
            // the one-line form, which names the place.
            return format!("error: {self}");
        }
        if let Some(help) = help {
            message = message.footer(Level::Help.title(help));
        }
        // Bound first: the rendered value borrows the locals above, which a tail expression
        // would outlive (edition 2021).
        #[allow(clippy::let_and_return)]
        let rendered = renderer.render(message).to_string();
        rendered
    }
}

/// The largest spec errspec reads, in bytes. A transcription of an API's error tables is a
/// few hundred kilobytes, a catalog of 100,000 codes about 28 MB; the limit keeps a wrong file
/// (a log, a dump) from taking seconds and gigabytes before it is refused.
pub const MAX_SPEC_BYTES: usize = 64 * 1024 * 1024;

/// The diagnostic for a spec longer than [`MAX_SPEC_BYTES`].
pub(crate) fn too_large(file: &str) -> Diagnostic {
    Diagnostic {
        file: file.to_owned(),
        line: 1,
        column: 1,
        path: String::new(),
        message: format!(
            "the spec is larger than {} MiB",
            MAX_SPEC_BYTES / (1024 * 1024)
        ),
        help: Some(
            "check that this is the right file; a spec transcribes one API's error tables".into(),
        ),
    }
}

/// All problems found in one or more specs, in the order of the files and of their lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// The problems, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }

    /// How many problems there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "error: {diagnostic}")?;
        }
        let n = self.0.len();
        write!(f, "\n{n} error{} in spec", if n == 1 { "" } else { "s" })
    }
}

impl std::error::Error for Diagnostics {}

/// Collects problems while validating one file; locations are resolved at the end, and only
/// when there is something to report, so that a valid spec is parsed once.
pub(crate) struct Ctxt {
    pending: Vec<Pending>,
    /// The path and message of each pending problem.
    seen: HashSet<(String, String)>,
}

pub(crate) struct Pending {
    pub path: String,
    pub message: String,
    pub help: Option<String>,
}

impl Ctxt {
    pub fn new() -> Self {
        Self {
            pending: Vec::new(),
            seen: HashSet::new(),
        }
    }

    pub fn error(
        &mut self,
        path: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let (path, message) = (path.into(), message.into());
        // A policy's inherited fields are checked again for each policy that extends it; the
        // problem is reported once, where it is written.
        if !self.seen.insert((path.clone(), message.clone())) {
            return;
        }
        self.pending.push(Pending {
            path,
            message,
            help: Some(help.into()),
        });
    }

    pub fn has_errors(&self) -> bool {
        !self.pending.is_empty()
    }

    pub fn into_pending(self) -> Vec<Pending> {
        self.pending
    }
}

#[cfg(all(test, feature = "cli"))]
mod tests {
    use super::Diagnostic;
    use proptest::prelude::*;

    fn at(line: usize, column: usize) -> Diagnostic {
        Diagnostic {
            file: "spec.yaml".to_owned(),
            line,
            column,
            path: "codes[0]".to_owned(),
            message: "a problem".to_owned(),
            help: Some("a fix".to_owned()),
        }
    }

    #[test]
    fn a_long_line_indented_with_tabs_is_shown_with_its_caret() {
        let line = format!(
            "{}, description: x{}",
            "\t".repeat(15),
            ", \"65535\"".repeat(30)
        );
        let source = format!("codes:\n{line}\n");
        let text = at(2, 16).render(Some(&source), false);
        assert!(text.contains("spec.yaml:2:16"), "{text}");
        assert!(text.contains('^'), "{text}");
        assert!(!text.contains('\t'), "{text}");
    }

    proptest! {
        /// Whatever the line holds (tabs, wide and combining characters, controls) and wherever
        /// the column points, rendering gives the message and never panics.
        #[test]
        fn any_line_and_column_render(
            indent in proptest::collection::vec(prop_oneof![Just('\t'), Just(' ')], 0..40),
            line in proptest::collection::vec(
                prop_oneof![
                    Just('\t'), Just(' '), Just('a'), Just(','), Just('界'), Just('\u{301}'),
                    Just('\u{202e}'), Just('\u{0}'), Just('🦀'),
                ],
                0..400,
            ),
            column in 0usize..420,
            color in any::<bool>(),
        ) {
            let line: String = indent.into_iter().chain(line).collect();
            let source = format!("api:\n{line}\n");
            let text = at(2, column).render(Some(&source), color);
            prop_assert!(text.contains("a problem"));
        }
    }
}
