//! Anchors of the reference docs: stable, unique link targets for codes, statuses and the
//! other entries of a page. Always compiled (unlike the Markdown emitter), so that the Rust
//! emitter can link a code to its entry.

/// The anchor of a code's entry in its API's reference page, such as `code-40001` or
/// `code-invalid_request`; the page links it as `<api id>.md#<anchor>`.
///
/// ASCII letters, digits and `_` are kept as they are; every other byte of the wire value,
/// `-` included, is written as `-` and two lowercase hex digits. Distinct wire values therefore
/// always give distinct anchors, and the anchor is a valid HTML id and URL fragment as it is.
///
/// ```
/// use errspec_codegen::code_anchor;
///
/// assert_eq!(code_anchor("40001"), "code-40001");
/// assert_eq!(code_anchor("INVALID_ARGUMENT"), "code-INVALID_ARGUMENT");
/// assert_eq!(code_anchor("rate-limit"), "code-rate-2dlimit");
/// assert_ne!(code_anchor("a b"), code_anchor("a-b"));
/// ```
pub fn code_anchor(wire: &str) -> String {
    anchor("code", wire)
}

/// `<kind>-<encoded id>`, with the encoding of [`code_anchor`]. Kinds are distinct words, so
/// entries of different kinds never share an anchor.
pub(crate) fn anchor(kind: &str, id: &str) -> String {
    let mut out = String::with_capacity(kind.len() + 1 + id.len());
    out.push_str(kind);
    out.push('-');
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() || byte == b'_' {
            out.push(char::from(byte));
        } else {
            out.push('-');
            out.push(hex_digit(byte >> 4));
            out.push(hex_digit(byte & 0x0f));
        }
    }
    out
}

fn hex_digit(nibble: u8) -> char {
    char::from(b"0123456789abcdef"[usize::from(nibble & 0x0f)])
}
