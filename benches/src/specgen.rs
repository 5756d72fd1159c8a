//! Synthetic specs of any size, with every feature of the format: two envelopes (one nested,
//! one flat and status-restricted), ten statuses, retry policies with `extends` and
//! `Retry-After`, categories, limits, common errors, top-level and per-code errata, wire
//! aliases and inferred fields. Codes are grouped by status, as API pages list them.
//!
//! Also writes the two baselines the benchmarks compare generated code with: a hand-written
//! `match` (the fastest thing one would write by hand) and a `thiserror` + `strum` derive enum
//! (what one would otherwise reach for).
//!
//! Used by the benches package's build script (through `#[path]`), its library and its
//! `errspec-bench-gen` binary, so every measurement runs on the same specs.

use std::fmt::Write as _;

/// The kind of wire codes a synthetic spec has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Whole numbers (`code_type: integer`): `from_u32` is generated too.
    Integer,
    /// Strings such as `BAD_REQUEST_MISSING_PARAMETER_42` (`code_type: string`).
    String,
}

const STATUSES: [(u16, &str, &str, Option<&str>); 10] = [
    (400, "Bad Request", "bad_request", None),
    (401, "Unauthorized", "unauthorized", None),
    (402, "Payment Required", "payment_required", None),
    (403, "Forbidden", "forbidden", None),
    (404, "Not Found", "not_found", None),
    (409, "Conflict", "conflict", None),
    (422, "Unprocessable Entity", "unprocessable_entity", None),
    (
        429,
        "Too Many Requests",
        "too_many_requests",
        Some("rate_limited"),
    ),
    (
        500,
        "Internal Server Error",
        "internal_server_error",
        Some("transient"),
    ),
    (
        503,
        "Service Unavailable",
        "service_unavailable",
        Some("transient"),
    ),
];

const ADJECTIVES: [&str; 8] = [
    "Missing",
    "Invalid",
    "Unsupported",
    "Expired",
    "Duplicate",
    "Locked",
    "Unknown",
    "Malformed",
];
const NOUNS: [&str; 12] = [
    "Parameter",
    "Account",
    "Number",
    "Callback",
    "Signature",
    "Token",
    "Resource",
    "Region",
    "Quota",
    "Template",
    "Webhook",
    "Session",
];

/// Where code `i` of `n` sits: its status index and its position within that status.
fn place(i: usize, n: usize) -> (usize, usize) {
    let per = n.div_ceil(STATUSES.len()).max(1);
    (i / per, i % per)
}

/// The wire value of code `i` of `n`.
pub fn wire(kind: Kind, i: usize, n: usize) -> String {
    let (s, j) = place(i, n);
    match kind {
        // 40000001, 40000002, ...: clustered by status, as real numeric codes are.
        Kind::Integer => (u32::from(STATUSES[s].0) * 100_000 + j as u32 + 1).to_string(),
        Kind::String => format!(
            "{}_{}_{}_{}",
            STATUSES[s].2.to_uppercase(),
            ADJECTIVES[i % ADJECTIVES.len()].to_uppercase(),
            NOUNS[i / ADJECTIVES.len() % NOUNS.len()].to_uppercase(),
            j + 1
        ),
    }
}

/// The Rust variant name of code `i`, as the generated module names it.
pub fn variant(kind: Kind, i: usize, n: usize) -> String {
    match kind {
        Kind::Integer => format!(
            "{}{}{}",
            ADJECTIVES[i % ADJECTIVES.len()],
            NOUNS[i / ADJECTIVES.len() % NOUNS.len()],
            i + 1
        ),
        // Derived by the naming rules: UpperCamelCase of the wire value.
        Kind::String => wire(kind, i, n)
            .split('_')
            .map(|w| {
                let mut c = w.chars();
                match c.next() {
                    Some(f) => f
                        .to_uppercase()
                        .chain(c.flat_map(char::to_lowercase))
                        .collect(),
                    None => String::new(),
                }
            })
            .collect(),
    }
}

/// The alias the spec accepts for code `i`, if it has one (every 50th code).
pub fn alias(kind: Kind, i: usize, n: usize) -> Option<String> {
    (i % 50 == 7).then(|| match kind {
        Kind::Integer => (900_000_000 + i).to_string(),
        Kind::String => format!("{}_OLD", wire(kind, i, n)),
    })
}

/// The documented message of code `i`: no braces, colons or quotes, so that it is a plain
/// string in YAML, Rust and format strings alike.
pub fn message(i: usize) -> String {
    format!(
        "{} {} in the request, error number {}",
        ADJECTIVES[i % ADJECTIVES.len()],
        NOUNS[i / ADJECTIVES.len() % NOUNS.len()].to_lowercase(),
        i + 1
    )
}

fn yaml_code(kind: Kind, i: usize, n: usize) -> String {
    match kind {
        Kind::Integer => wire(kind, i, n),
        Kind::String => format!("\"{}\"", wire(kind, i, n)),
    }
}

/// A valid spec with `n` codes (at least 10) and every feature of the format.
pub fn spec(kind: Kind, n: usize) -> String {
    assert!(
        n >= STATUSES.len(),
        "a synthetic spec has at least 10 codes"
    );
    let mut y = String::with_capacity(n * 400 + 4096);
    let (id, code_type, accepts) = match kind {
        Kind::Integer => ("bench_int", "integer", "[integer, string]"),
        Kind::String => ("bench_str", "string", "[string]"),
    };
    let _ = write!(
        y,
        "# A synthetic spec of {n} codes for the benchmarks; see benches/src/specgen.rs.\n\
         api:\n  id: {id}\n  name: Bench API\n  source: \"Synthetic spec of {n} codes\"\n  \
         url: https://example.com/errors\n  description: A spec that uses every feature of the format.\n  \
         code_type: {code_type}\n  forward_compatibility: New codes may be added at any time.\n\n"
    );
    let _ = write!(
        y,
        "envelopes:\n  - id: nested\n    description: An error object under `error`.\n    root: error\n    \
         code: {{ field: code, accepts: {accepts} }}\n    message: message\n    fields:\n      \
         - {{ name: status, type: string, description: The status text. }}\n      \
         - {{ name: details, type: array, description: Further details. }}\n      \
         - {{ name: retryable, type: boolean }}\n      - {{ name: request_id, type: string }}\n    \
         example: |\n      {{\"error\": {{\"code\": {c0}, \"message\": \"{m0}\", \"status\": \"x\"}}}}\n  \
         - id: flat\n    code: {{ field: errorCode, accepts: {accepts} }}\n    message: text\n    \
         statuses: [400, 403]\n\n",
        c0 = match kind {
            Kind::Integer => wire(kind, 0, n),
            Kind::String => format!("\"{}\"", wire(kind, 0, n)),
        },
        m0 = message(0),
    );
    y.push_str("statuses:\n");
    for (number, name, _, retry) in STATUSES {
        let _ = write!(
            y,
            "  - status: {number}\n    name: {name}\n    description: \"{number} errors are described here in a sentence or two, as API pages do.\"\n"
        );
        if let Some(retry) = retry {
            let _ = writeln!(y, "    retry: {retry}\n    inferred: [retry]");
        }
    }
    y.push_str(
        "\nretry:\n  policies:\n    transient:\n      description: Exponential backoff for transient errors.\n      \
         backoff: exponential\n      initial: 1s\n      multiplier: 2\n      max_delay: 30s\n      \
         max_attempts: 3\n      jitter: full\n      inferred: [initial, multiplier]\n    \
         rate_limited:\n      extends: transient\n      description: Honours Retry-After.\n      \
         retry_after: { header: Retry-After, default: 60s, cap: 1h }\n    \
         steady:\n      backoff: constant\n      initial: 500ms\n      max_attempts: 5\n      jitter: equal\n\n",
    );
    y.push_str("categories:\n");
    for (number, name, cat, _) in STATUSES {
        let _ = writeln!(
            y,
            "  - {{ id: {cat}, title: \"{number} - {name}\", description: The {name} section. }}"
        );
    }
    let s429 = 7;
    let per = n.div_ceil(STATUSES.len());
    let first_of = |s: usize| (s * per).min(n - 1);
    let _ = write!(
        y,
        "\nlimits:\n  - id: requests_per_minute\n    max: 600\n    per: 1m\n    scope: account\n    \
         description: At most 600 requests a minute per account.\n    codes: [{}, {}]\n  \
         - id: concurrent_sessions\n    max: 10\n    scope: account\n    \
         description: At most 10 sessions at once.\n    inferred: [scope]\n\n",
        yaml_code(kind, first_of(s429), n),
        yaml_code(kind, first_of(s429) + 1, n),
    );
    let _ = write!(
        y,
        "common_errors:\n  - id: balance_too_low\n    title: Balance is too low\n    \
         solution: Add credit to the account.\n    codes: [{}]\n  - id: too_many_sessions\n    \
         title: Too many sessions\n    solution: Close sessions first.\n    limit: concurrent_sessions\n\n",
        yaml_code(kind, first_of(2), n),
    );
    let _ = write!(
        y,
        "errata:\n  - field: heading\n    page_shows: \"420 - Unprocessable Entity\"\n    \
         codes: [{}, {}]\n    description: The section is headed 420; its codes are filed under 422.\n  \
         - field: type\n    page_shows: \"errorCode | string\"\n    \
         description: The field table says string; examples send numbers.\n\n",
        yaml_code(kind, first_of(6), n),
        yaml_code(kind, first_of(6) + 1, n),
    );
    y.push_str("codes:\n");
    for i in 0..n {
        let (s, _) = place(i, n);
        let _ = writeln!(y, "  - code: {}", yaml_code(kind, i, n));
        if kind == Kind::Integer {
            let _ = writeln!(y, "    variant: {}", variant(kind, i, n));
        }
        let _ = writeln!(y, "    status: {}", STATUSES[s].0);
        if i % 7 != 3 {
            let _ = writeln!(y, "    category: {}", STATUSES[s].2);
        }
        let _ = writeln!(y, "    message: \"{}\"", message(i));
        if i % 2 == 0 {
            let _ = writeln!(
                y,
                "    description: \"Error {} means the {} could not be used for this request; the \
                 response names the field at fault.\"",
                i + 1,
                NOUNS[i / ADJECTIVES.len() % NOUNS.len()].to_lowercase()
            );
        }
        if i % 3 != 2 {
            let _ = writeln!(
                y,
                "    solution: \"Check the {} and send the request again.\"",
                NOUNS[i / ADJECTIVES.len() % NOUNS.len()].to_lowercase()
            );
        }
        if i % 4 == 1 {
            y.push_str("    envelope: nested\n");
        }
        if i % 5 == 4 {
            y.push_str("    retry: steady\n");
        }
        if i % 6 == 5 {
            y.push_str("    inferred: [status, solution]\n");
        }
        if let Some(alias) = alias(kind, i, n) {
            let _ = write!(
                y,
                "    errata:\n      - field: code\n        page_shows: \"{alias}\"\n        alias: true\n        \
                 description: An example body carries {alias}; it is accepted as this code.\n"
            );
        } else if i % 97 == 13 {
            y.push_str(
                "    errata:\n      - field: message\n        page_shows: \"Wrong mesage\"\n        \
                 description: The example's message is misspelt.\n",
            );
        }
    }
    y
}

/// One code as the baselines see it.
#[derive(Clone, Debug)]
pub struct Row {
    /// The wire value.
    pub wire: String,
    /// The variant name.
    pub variant: String,
    /// Wire values also accepted for it.
    pub aliases: Vec<String>,
}

/// The codes of a synthetic spec.
pub fn rows(kind: Kind, n: usize) -> Vec<Row> {
    (0..n)
        .map(|i| Row {
            wire: wire(kind, i, n),
            variant: variant(kind, i, n),
            aliases: alias(kind, i, n).into_iter().collect(),
        })
        .collect()
}

/// A hand-written `match` baseline: an enum with the same variants and an `Unknown` that keeps
/// the raw value, `from_wire` (aliases included) and, if `numeric`, `from_u32`: what a careful
/// person would write by hand, with no tables and no metadata.
pub fn hand_match(rows: &[Row], numeric: bool, name: &str) -> String {
    let mut r = String::with_capacity(rows.len() * 120);
    let _ = writeln!(
        r,
        "/// The codes, written by hand.\n#[derive(Clone, Debug, PartialEq, Eq, Hash)]\npub enum {name} {{"
    );
    for row in rows {
        let _ = writeln!(r, "    {},", row.variant);
    }
    let _ = writeln!(
        r,
        "    Unknown(::std::boxed::Box<str>),\n}}\n\nimpl {name} {{"
    );
    let _ = writeln!(
        r,
        "    pub fn from_wire(raw: &str) -> Self {{\n        match raw {{"
    );
    for row in rows {
        let _ = writeln!(r, "            {:?} => {name}::{},", row.wire, row.variant);
    }
    for row in rows {
        for a in &row.aliases {
            let _ = writeln!(r, "            {a:?} => {name}::{},", row.variant);
        }
    }
    let _ = writeln!(
        r,
        "            _ => {name}::Unknown(raw.into()),\n        }}\n    }}"
    );
    if numeric {
        let _ = writeln!(
            r,
            "    pub fn from_u32(n: u32) -> Self {{\n        match n {{"
        );
        for row in rows {
            let _ = writeln!(r, "            {} => {name}::{},", row.wire, row.variant);
        }
        for row in rows {
            for a in &row.aliases {
                let _ = writeln!(r, "            {a} => {name}::{},", row.variant);
            }
        }
        let _ = writeln!(
            r,
            "            _ => {name}::Unknown(n.to_string().into()),\n        }}\n    }}"
        );
    }
    r.push_str("}\n");
    r
}

/// The peer a user would otherwise write: the same codes as a `thiserror` + `strum`
/// (`EnumString`, `IntoStaticStr`) derive enum, one doc line, one `#[error]` message and one
/// wire value per variant. It has no unknown-code fallback, statuses, retry policies, limits,
/// body parsing or metadata.
pub fn derive_peer(kind: Kind, n: usize) -> String {
    let mut r = String::with_capacity(n * 160);
    r.push_str(
        "//! The same codes as a `thiserror` + `strum` derive enum.\n\n\
         #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error, strum::EnumString, strum::IntoStaticStr)]\n\
         pub enum ErrorCode {\n",
    );
    for i in 0..n {
        let m = message(i);
        let _ = writeln!(
            r,
            "    /// {m}\n    #[error(\"{m}\")]\n    #[strum(serialize = \"{}\")]\n    {},",
            wire(kind, i, n),
            variant(kind, i, n)
        );
    }
    r.push_str("}\n");
    r
}
