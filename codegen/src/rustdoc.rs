//! Spec text inside the generated doc comments.
//!
//! Rustdoc reads doc comments as Markdown, so text copied from vendor pages could become an
//! HTML tag (`<script>`, warned as unclosed), an intra-doc link (`[id]`, warned as broken), a
//! table, a heading, or an indented or fenced code block, which rustdoc then compiles as a
//! doctest in the user's crate. [`prose`] escapes exactly what Markdown would interpret, so the
//! rendered page shows the documentation's words and nothing else; balanced code spans are
//! kept, since pages use them for names (``Method needs to be `ttsCallout` ``).
//! [`code`] writes any string as one code span.

/// `text` as Markdown that renders as the text itself.
pub(crate) fn prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut at_line_start = true;
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        let c = rest.chars().next().unwrap_or('\0');
        if c == '\n' {
            out.push('\n');
            at_line_start = true;
            i += 1;
            continue;
        }
        if at_line_start {
            // Leading indentation would open an indented code block (a doctest).
            if c == ' ' || c == '\t' {
                i += 1;
                continue;
            }
            at_line_start = false;
            if let Some(len) = block_marker(rest) {
                // `#`, `>`, `-`, `+`, `*`, `=`, `~`, `|` or `1.` / `1)` starting a line would
                // make a heading, quote, list, rule, fence or table row.
                out.push_str(&rest[..len - 1]);
                out.push('\\');
                out.push_str(&rest[len - 1..len]);
                i += len;
                continue;
            }
        }
        if c == '`' {
            let run = rest.bytes().take_while(|&b| b == b'`').count();
            match closing_run(&rest[run..], run) {
                Some(end) => {
                    // A code span: copied as is (Markdown does not read inside it); its line
                    // breaks become the spaces Markdown would render them as.
                    let span = &rest[..run + end + run];
                    out.extend(span.chars().map(|c| if c == '\n' { ' ' } else { c }));
                    i += span.len();
                }
                None => {
                    for _ in 0..run {
                        out.push_str("\\`");
                    }
                    i += run;
                }
            }
            continue;
        }
        if let Some(len) = url_len(text, i) {
            // Rustdoc warns about bare URLs; an autolink renders the same text.
            out.push('<');
            out.push_str(&rest[..len]);
            out.push('>');
            i += len;
            continue;
        }
        match c {
            '\\' | '<' | '[' | ']' | '|' | '*' => out.push('\\'),
            '&' if rest[1..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '#') => {
                out.push('\\')
            }
            '_' if !(prev_is_alnum(text, i) && next_is_alnum(rest)) => out.push('\\'),
            _ => {}
        }
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// Markdown spec text (`api.text: markdown`) as Markdown that rustdoc and a reference page
/// render as the documentation meant it, with nothing rustdoc would warn about or run: every
/// fenced block becomes a `text` block (never a doctest), indentation that would open an
/// indented code block is cut to three spaces, raw HTML shows as text (`<` as `&lt;`), bare
/// URLs become autolinks, brackets that open no link are escaped (no broken intra-doc link),
/// tabs become four spaces and every line break (CR LF, a lone CR) a newline.
pub(crate) fn markdown(text: &str) -> String {
    let text = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\t', "    ");
    let mut out = String::with_capacity(text.len() + 16);
    // The fence character and length of the open fenced block.
    let mut fence: Option<(u8, usize)> = None;
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        let body = &line[indent..];
        let run = |c: u8| body.bytes().take_while(|&b| b == c).count();
        if let Some((c, len)) = fence {
            if indent <= 3 && run(c) >= len && body[run(c)..].trim().is_empty() {
                fence = None;
            }
            out.push_str(line);
            continue;
        }
        if indent <= 3 {
            if let Some(c) = [b'`', b'~'].into_iter().find(|&c| run(c) >= 3) {
                let len = run(c);
                // A backtick fence's info string may hold no backtick; else it is no fence.
                if c == b'~' || !body[len..].contains('`') {
                    fence = Some((c, len));
                    out.push_str(&line[..indent + len]);
                    out.push_str("text");
                    continue;
                }
            }
        }
        out.push_str(&line[..indent.min(3)]);
        inline_markdown(body, &mut out);
    }
    if let Some((c, len)) = fence {
        // An unclosed fence would swallow what follows it in the doc comment.
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.extend(std::iter::repeat_n(char::from(c), len));
    }
    out
}

/// One line of Markdown outside fenced blocks, made safe as [`markdown`] says.
fn inline_markdown(line: &str, out: &mut String) {
    let bytes = line.as_bytes();
    let mut open_escaped = 0usize;
    let mut i = 0;
    while i < line.len() {
        let rest = &line[i..];
        let c = rest.chars().next().unwrap_or('\0');
        match c {
            '\\' => {
                // A backslash escape is copied with the character it escapes.
                let len = 1 + rest[1..].chars().next().map_or(0, char::len_utf8);
                out.push_str(&rest[..len]);
                i += len;
            }
            '`' => {
                let run = rest.bytes().take_while(|&b| b == b'`').count();
                match rest[run..].find(&"`".repeat(run)) {
                    Some(end) if !rest[run + end + run..].starts_with('`') => {
                        out.push_str(&rest[..run + end + run]);
                        i += run + end + run;
                    }
                    _ => {
                        for _ in 0..run {
                            out.push_str("\\`");
                        }
                        i += run;
                    }
                }
            }
            '<' => match autolink_len(rest) {
                Some(len) => {
                    out.push_str(&rest[..len]);
                    i += len;
                }
                None => {
                    out.push_str("&lt;");
                    i += 1;
                }
            },
            '[' => {
                let close = rest.find(']');
                let is_link = close.is_some_and(|end| {
                    let after = &rest[end + 1..];
                    after.starts_with('(') || (i == 0 && after.starts_with(':'))
                });
                if is_link {
                    out.push('[');
                } else {
                    out.push_str("\\[");
                    open_escaped += 1;
                }
                i += 1;
            }
            ']' if open_escaped > 0 => {
                out.push_str("\\]");
                open_escaped -= 1;
                i += 1;
            }
            _ => {
                let prev = i.checked_sub(1).map(|p| bytes[p]);
                let after_link = matches!(prev, Some(b'(' | b'<' | b'"' | b'\'' | b'='));
                match url_len(line, i) {
                    Some(len) if !after_link => {
                        out.push('<');
                        out.push_str(&rest[..len]);
                        out.push('>');
                        i += len;
                    }
                    Some(len) => {
                        out.push_str(&rest[..len]);
                        i += len;
                    }
                    None => {
                        out.push(c);
                        i += c.len_utf8();
                    }
                }
            }
        }
    }
}

/// The length of the autolink `<http(s)://...>` starting `rest`, if it starts with one.
fn autolink_len(rest: &str) -> Option<usize> {
    let inner = &rest[1..];
    let lower = inner.get(..8)?.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return None;
    }
    let end = inner.find(|c: char| c == '>' || c == '<' || c.is_whitespace())?;
    inner[end..].starts_with('>').then_some(end + 2)
}

/// `text` as one inline code span, whatever backticks and line breaks it holds.
pub(crate) fn code(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    let fence = "`".repeat(longest_backtick_run(&flat) + 1);
    // Markdown strips one space on each side, which lets a span start or end with a backtick.
    let pad = if flat.starts_with('`') || flat.ends_with('`') || flat.trim().is_empty() {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{flat}{pad}{fence}")
}

/// The longest run of backticks in `text`: a code span or fence around it needs one more.
pub(crate) fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// The length of the block marker at the start of `line` (up to and including the character
/// to escape), if the line starts with one.
fn block_marker(line: &str) -> Option<usize> {
    let first = line.as_bytes()[0];
    if b"#>-+*=~|".contains(&first) {
        return Some(1);
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    match line.as_bytes().get(digits) {
        Some(b'.' | b')') if digits > 0 => Some(digits + 1),
        _ => None,
    }
}

/// Where the code span opened by a run of `run` backticks ends in `rest` (the text after the
/// run): the offset of a run of exactly `run` backticks, before any blank line.
fn closing_run(rest: &str, run: usize) -> Option<usize> {
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let len = bytes[i..].iter().take_while(|&&b| b == b'`').count();
            if len == run {
                return Some(i);
            }
            i += len;
        } else if bytes[i] == b'\n'
            && rest[i + 1..]
                .trim_start_matches([' ', '\t'])
                .starts_with('\n')
        {
            return None;
        } else {
            i += 1;
        }
    }
    None
}

/// The length of the `http://` or `https://` URL starting at `text[i..]`, without the
/// punctuation that ends a sentence.
fn url_len(text: &str, i: usize) -> Option<usize> {
    let rest = &text[i..];
    let scheme = ["https://", "http://"].into_iter().find(|s| {
        rest.get(..s.len())
            .is_some_and(|r| r.eq_ignore_ascii_case(s))
    })?;
    if prev_is_alnum(text, i) {
        return None;
    }
    let end = rest
        .find(|c: char| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '`'))
        .unwrap_or(rest.len());
    let url = rest[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '}', '\'']);
    (url.len() > scheme.len()).then_some(url.len())
}

fn prev_is_alnum(text: &str, i: usize) -> bool {
    text[..i]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
}

fn next_is_alnum(rest: &str) -> bool {
    rest.chars().nth(1).is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::{code, markdown, prose};

    #[test]
    fn markdown_keeps_what_the_page_means_and_nothing_rustdoc_would_run() {
        assert_eq!(markdown("**bold** and `a<b>`"), "**bold** and `a<b>`");
        assert_eq!(
            markdown("```\nfn main() {}\n```"),
            "```text\nfn main() {}\n```"
        );
        assert_eq!(markdown("~~~rust\nx\n"), "~~~text\nx\n~~~");
        assert_eq!(markdown("para\n\n        indented"), "para\n\n   indented");
        assert_eq!(markdown("a <b>c</b>"), "a &lt;b>c&lt;/b>");
        assert_eq!(
            markdown("see <https://x.org> and https://y.org."),
            "see <https://x.org> and <https://y.org>."
        );
        assert_eq!(
            markdown("[link](https://x.org) [id] [ref][r]"),
            "[link](https://x.org) \\[id\\] \\[ref\\]\\[r\\]"
        );
        assert_eq!(markdown("a\tb\r\nc\rd"), "a    b\nc\nd");
        assert_eq!(markdown("`unclosed"), "\\`unclosed");
    }

    #[test]
    fn prose_escapes_what_markdown_would_interpret() {
        assert_eq!(prose("<script>x</script>"), "\\<script>x\\</script>");
        assert_eq!(prose("see [id] | a"), "see \\[id\\] \\| a");
        assert_eq!(prose("a\n    indented\n# head"), "a\nindented\n\\# head");
        assert_eq!(prose("12. item\n- dash"), "12\\. item\n\\- dash");
        assert_eq!(prose("C:\\path &amp; & x"), "C:\\\\path \\&amp; & x");
        assert_eq!(prose("rate_limited _x_"), "rate_limited \\_x\\_");
        assert_eq!(prose("*/ a*b"), "\\*/ a\\*b");
    }

    #[test]
    fn prose_keeps_code_spans_and_escapes_stray_backticks() {
        assert_eq!(prose("use `<T>` here"), "use `<T>` here");
        assert_eq!(prose("`a\nb`"), "`a b`");
        assert_eq!(prose("```\nfn main() {}\n```"), "``` fn main() {} ```");
        assert_eq!(prose("`unbalanced"), "\\`unbalanced");
        assert_eq!(prose("`a\n\nb`"), "\\`a\n\nb\\`");
    }

    #[test]
    fn prose_turns_bare_urls_into_autolinks() {
        assert_eq!(
            prose("See https://example.com/a?b=1&c=2."),
            "See <https://example.com/a?b=1&c=2>."
        );
        assert_eq!(prose("xhttps://no"), "xhttps://no");
        assert_eq!(prose("http:// alone"), "http:// alone");
    }

    proptest::proptest! {
        #[test]
        fn prose_and_code_take_any_text(text in "(\\PC|[\n`<>\\[\\]&_*#| \t]|https?://|\u{2066}){0,40}") {
            let escaped = prose(&text);
            // Escaping only adds characters (and drops leading indentation).
            proptest::prop_assert!(escaped.chars().filter(|c| !c.is_whitespace()).count()
                >= text.chars().filter(|c| !c.is_whitespace()).count());
            proptest::prop_assert!(code(&text).starts_with('`'));
        }
    }

    #[test]
    fn code_spans_hold_any_backticks() {
        assert_eq!(code("40001"), "`40001`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("a\nb"), "`a b`");
    }
}
