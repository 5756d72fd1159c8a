//! What the fuzz targets share: a structured spec that renders to YAML, the checks every
//! entry point must pass, and the decoding of response inputs.

use std::fmt::Write as _;
use std::time::{Duration, UNIX_EPOCH};

use arbitrary::{Arbitrary, Unstructured};
use errspec::http::{HeaderMap, HeaderValue, StatusCode};
use errspec::{RetryAfter, RetryAfterSource, RetryAfterValue};

/// Parses `source` as a spec; a valid one must generate Rust that parses, and an invalid one
/// must give located diagnostics.
pub fn check_spec(source: &str) {
    match errspec_codegen::parse(source, "fuzz.yaml") {
        Ok(api) => {
            let rust = errspec_codegen::generate_rust(&api);
            if let Err(err) = syn::parse_file(&rust) {
                panic!("generated Rust does not parse: {err}\n{rust}");
            }
        }
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty());
            // YAML also breaks lines at a lone CR.
            let lines = source.matches('\n').count() + source.matches('\r').count() + 1;
            for d in diagnostics.iter() {
                assert!(d.line >= 1 && d.column >= 1, "{d}");
                assert!(d.line <= lines + 1, "line past the end: {d}");
                assert!(!d.message.is_empty(), "{d:?}");
                assert!(d.help.as_deref().is_some_and(|h| !h.is_empty()), "{d:?}");
            }
            let _ = diagnostics.to_string();
        }
    }
}

/// A response input: `<status>[ <Retry-After value>]\n<body>`. A first line that does not
/// start with a number gives status 500 and leaves the whole input as the body.
pub fn decode_response(data: &[u8]) -> (StatusCode, HeaderMap, &[u8]) {
    let (head, body) = match data.iter().position(|&b| b == b'\n') {
        Some(i) if data[..i.min(3)].iter().all(u8::is_ascii_digit) && i > 0 => {
            (&data[..i], &data[i + 1..])
        }
        _ => (&b"500"[..], data),
    };
    let digits = head
        .iter()
        .take(3)
        .take_while(|b| b.is_ascii_digit())
        .count();
    let number = std::str::from_utf8(&head[..digits])
        .ok()
        .and_then(|s| s.parse::<u16>().ok())
        .unwrap_or(500);
    let status = StatusCode::from_u16(number.clamp(100, 999)).expect("100-999 is a status");
    let mut headers = HeaderMap::new();
    if let Some(value) = head.get(digits + 1..) {
        if let Ok(value) = HeaderValue::from_bytes(value) {
            headers.insert("retry-after", value);
        }
    }
    (status, headers, body)
}

/// `Error::from_response` of every API: keeps the status and a bounded copy of the body, and
/// every accessor works on the result.
#[cfg(feature = "apis")]
pub fn check_response(data: &[u8]) {
    use errspec::{JitterRng, MAX_RAW_BODY};

    let (status, headers, body) = decode_response(data);
    macro_rules! check {
        ($api:ident) => {{
            use errspec_apis::$api::Error;
            let error = Error::from_response(status, &headers, body);
            assert_eq!(error.status().code(), status);
            assert_eq!(error.body().len(), body.len());
            assert_eq!(error.body().raw(), &body[..body.len().min(MAX_RAW_BODY)]);
            assert_eq!(
                error.envelope().is_some(),
                error.body().unparsed().is_none()
            );
            if let Some(code) = error.code() {
                assert_eq!(code.to_string(), code.as_str());
            }
            let _ = (error.to_string(), error.message(), error.solution());
            let _ = (error.retry_class(), error.extra().len());
            let mut rng = JitterRng::with_seed(1);
            let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
            for attempt in 0..4 {
                if let Some(delay) = error.retry_delay_at(attempt, now, &mut rng) {
                    let policy = error.retry_policy().expect("a delay comes from a policy");
                    let bound = policy
                        .retry_after
                        .map_or(policy.max_delay, |ra| ra.cap.max(ra.default));
                    assert!(delay <= bound, "{delay:?} > {bound:?}");
                }
            }
        }};
    }
    check!(hms_sovereign);
    check!(sinch_voice);
    check!(sinch_numbers);
}

/// `RetryAfterValue::parse` and `RetryAfter::resolve`: never panic, the header agrees with the
/// bytes, and a delay from the header never exceeds the cap.
pub fn check_retry_after(value: &[u8]) {
    let parsed = RetryAfterValue::parse(value);
    if let Ok(header) = HeaderValue::from_bytes(value) {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", header);
        assert_eq!(
            RetryAfterValue::from_headers(&headers, "Retry-After"),
            Some(parsed)
        );
    }
    let trimmed = value
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t'))
        .map_or(&[][..], |start| {
            let end = value.iter().rposition(|b| !matches!(b, b' ' | b'\t'));
            &value[start..=end.unwrap_or(start)]
        });
    if !trimmed.is_empty() && trimmed.iter().all(u8::is_ascii_digit) {
        assert!(matches!(parsed, RetryAfterValue::Delay(_)), "{parsed:?}");
    }
    let policy = RetryAfter {
        header: "Retry-After",
        default: Duration::from_secs(60),
        cap: Duration::from_secs(3600),
    };
    let nows = [
        UNIX_EPOCH,
        UNIX_EPOCH + Duration::from_secs(784_111_777),
        UNIX_EPOCH + Duration::from_secs(1 << 40),
    ];
    for now in nows {
        let resolved = policy.resolve(Some(&parsed), now);
        match resolved.source {
            RetryAfterSource::Header => assert!(resolved.delay <= policy.cap),
            RetryAfterSource::Default => {
                assert_eq!(resolved.delay, policy.default);
                assert!(!resolved.capped);
            }
        }
        assert_eq!(
            resolved.source == RetryAfterSource::Default,
            !parsed.is_valid()
        );
    }
}

/// A spec assembled from fuzzed parts. Names come mostly from small pools so that references
/// between entries resolve and deeper checks run; strings come from a pool of hostile text or
/// are arbitrary.
#[derive(Arbitrary, Debug)]
pub struct SpecInput {
    integer: bool,
    id: ApiId,
    name: Text,
    source: Text,
    url: Option<Text>,
    description: Option<Text>,
    forward_compatibility: Option<Text>,
    envelopes: (EnvelopeInput, Vec<EnvelopeInput>),
    statuses: (StatusInput, Vec<StatusInput>),
    policies: Vec<PolicyInput>,
    categories: Vec<CategoryInput>,
    codes: (CodeInput, Vec<CodeInput>),
    limits: Vec<LimitInput>,
    common_errors: Vec<CommonErrorInput>,
    errata: Vec<ErratumInput>,
}

#[derive(Arbitrary, Debug)]
enum ApiId {
    Valid,
    Word(Word),
}

// The choices below put the common case first: an exhausted input draws zeros, and should
// still give a plausible spec.

/// A name: mostly from `WORDS`, sometimes arbitrary.
#[derive(Debug)]
enum Word {
    Pool(u8),
    Any(String),
}

impl<'a> Arbitrary<'a> for Word {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(if u.ratio(7, 8)? {
            Word::Pool(u.arbitrary()?)
        } else {
            Word::Any(u.arbitrary()?)
        })
    }
}

/// A text: mostly from `TEXTS`, sometimes arbitrary, rarely written without quotes (which
/// can break the YAML itself).
#[derive(Debug)]
enum Text {
    Pool(u8),
    Any(String),
    Plain(String),
}

impl<'a> Arbitrary<'a> for Text {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(if u.ratio(15, 16)? {
            if u.ratio(3, 4)? {
                Text::Pool(u.arbitrary()?)
            } else {
                Text::Any(u.arbitrary()?)
            }
        } else {
            Text::Plain(u.arbitrary()?)
        })
    }
}

/// A number: mostly from `NUMBERS`.
#[derive(Debug)]
enum Number {
    Pool(u8),
    Int(i64),
    Float(f64),
    Quoted(u16),
}

impl<'a> Arbitrary<'a> for Number {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(match u.int_in_range(0..=15u8)? {
            13 => Number::Int(u.arbitrary()?),
            14 => Number::Float(u.arbitrary()?),
            15 => Number::Quoted(u.arbitrary()?),
            _ => Number::Pool(u.arbitrary()?),
        })
    }
}

#[derive(Arbitrary, Debug)]
enum Wire {
    Number(u32),
    Word(Word),
    Other(Number),
}

#[derive(Arbitrary, Debug)]
enum Dur {
    Pool(u8),
    Any(Text),
}

#[derive(Arbitrary, Debug)]
struct EnvelopeInput {
    id: Word,
    description: Option<Text>,
    root: Option<Word>,
    code_field: Word,
    accepts: (u8, Vec<u8>),
    message: Option<Word>,
    fields: Vec<(Word, u8, Option<Text>)>,
    statuses: Vec<Number>,
    example: Option<Text>,
}

#[derive(Arbitrary, Debug)]
struct StatusInput {
    status: Number,
    name: StatusName,
    description: Option<Text>,
    retry: Option<Word>,
    inferred: Vec<Word>,
}

#[derive(Arbitrary, Debug)]
enum StatusName {
    Pool(u8),
    Text(Text),
}

#[derive(Arbitrary, Debug)]
struct PolicyInput {
    name: Word,
    extends: Option<Word>,
    description: Option<Text>,
    backoff: Option<bool>,
    initial: Option<Dur>,
    multiplier: Option<Number>,
    max_delay: Option<Dur>,
    max_attempts: Option<Number>,
    jitter: Option<u8>,
    retry_after: Option<(Text, Dur, Option<Dur>)>,
    inferred: Vec<Word>,
}

#[derive(Arbitrary, Debug)]
struct CategoryInput {
    id: Word,
    title: Text,
    description: Option<Text>,
    inferred: Vec<Word>,
}

#[derive(Arbitrary, Debug)]
struct CodeInput {
    code: Wire,
    variant: Option<Word>,
    status: Number,
    category: Option<Word>,
    message: Text,
    description: Option<Text>,
    solution: Option<Text>,
    envelope: Option<Word>,
    retry: Option<Word>,
    inferred: Vec<Word>,
    errata: Vec<ErratumInput>,
}

#[derive(Arbitrary, Debug)]
struct LimitInput {
    id: Word,
    max: Number,
    per: Option<Dur>,
    scope: Text,
    description: Text,
    codes: Vec<Wire>,
    inferred: Vec<Word>,
}

#[derive(Arbitrary, Debug)]
struct CommonErrorInput {
    id: Word,
    title: Text,
    solution: Text,
    codes: Vec<Wire>,
    limit: Option<Word>,
    inferred: Vec<Word>,
}

#[derive(Arbitrary, Debug)]
struct ErratumInput {
    field: u8,
    page_shows: Text,
    description: Text,
    codes: Vec<Wire>,
    alias: bool,
}

const WORDS: &[&str] = &[
    "transient",
    "rate_limited",
    "auth",
    "billing",
    "plain",
    "error_object",
    "error",
    "code",
    "message",
    "status",
    "self",
    "Self",
    "crate",
    "type",
    "super",
    "unknown",
    "Unknown",
    "other",
    "Other",
    "a-b",
    "a_b",
    "A_B",
    "aB",
    "2fa",
    "≥",
    "",
    "_",
    "rate-limited",
    "RATE_LIMITED",
    "rate_limited",
    "x.y",
    "r#try",
    "gen",
    "async",
    "détail",
    "Name",
    "name",
    "status",
    "retry",
    "max",
    "per",
    "scope",
    "40001",
    "50500",
    "+40001",
    "040001",
    "error.inner",
    "category",
    "description",
    "solution",
    "envelope",
    "title",
    "backoff",
    "initial",
    "multiplier",
    "max_delay",
    "max_attempts",
    "jitter",
    "retry_after",
    "codes",
    "limit",
];

const STATUS_NAMES: &[&str] = &[
    "Bad Request",
    "Unauthorized",
    "Not Found",
    "Too Many Requests",
    "Service Unavailable",
    "OK",
    "Self",
    "self",
    "Other",
    "other",
    "Unknown",
    "",
    "4xx",
    "Not found",
    "NotFound",
    "not_found",
    "Teapot ☕",
    "Payment Required",
];

const TEXTS: &[&str] = &[
    "\"",
    "\\",
    "*/",
    "/*",
    "{id}",
    "{{ }}",
    "{% %}",
    "<script>alert(1)</script>",
    "<script>",
    "|",
    "a\nb",
    "line\r\nbreak",
    "lone\rcr",
    "nul\0byte",
    "😀",
    "\u{200f}rtl\u{200e}",
    "\u{202e}override",
    "\u{2066}isolate\u{2069}",
    "`",
    "```\nfn main() {}\n```",
    "\n\n    indented code",
    "[link]",
    "[`ErrorCode`]",
    "https://example.com/x",
    "# heading",
    "//",
    "///",
    "\u{2028}\u{2029}\u{85}",
    "\u{feff}",
    "'",
    "#[doc = \"x\"]",
    "\"; panic!(); \"",
    "trailing space ",
    " ",
    "",
    "Not Found",
    "OK",
    "Bad Request",
];

const NUMBERS: &[i64] = &[
    400, 401, 403, 404, 409, 429, 500, 502, 503, 504, 100, 999, 99, 1000, 0, -1, 1, 2, 3, 40001,
    4294967295, 4294967296,
];

const DURATIONS: &[&str] = &[
    "1s", "500ms", "0s", "1m", "1h", "30s", "2 s", "8760h", "8761h", "1.5s", "-1s", "1", "1d",
    "1m30s", "", "s",
];

fn pick<'a>(pool: &[&'a str], i: u8) -> &'a str {
    pool[usize::from(i) % pool.len()]
}

/// A YAML double-quoted scalar holding exactly `s`.
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}' => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Word {
    fn render(&self) -> String {
        match self {
            Word::Pool(i) => quoted(pick(WORDS, *i)),
            Word::Any(s) => quoted(s),
        }
    }
}

impl Text {
    fn render(&self) -> String {
        match self {
            Text::Pool(i) => quoted(pick(TEXTS, *i)),
            Text::Any(s) => quoted(s),
            Text::Plain(s) => s.clone(),
        }
    }
}

impl StatusName {
    fn render(&self) -> String {
        match self {
            StatusName::Pool(i) => quoted(pick(STATUS_NAMES, *i)),
            StatusName::Text(t) => t.render(),
        }
    }
}

impl ApiId {
    fn render(&self) -> String {
        match self {
            ApiId::Valid => "fuzz_api".into(),
            ApiId::Word(w) => w.render(),
        }
    }
}

impl Number {
    fn render(&self) -> String {
        match self {
            Number::Pool(i) => NUMBERS[usize::from(*i) % NUMBERS.len()].to_string(),
            Number::Int(n) => n.to_string(),
            Number::Float(x) => format!("{x:?}"),
            Number::Quoted(n) => format!("\"{n}\""),
        }
    }
}

impl Wire {
    fn render(&self, integer: bool) -> String {
        match self {
            Wire::Word(w) => w.render(),
            Wire::Number(n) if integer => n.to_string(),
            Wire::Number(n) => quoted(&n.to_string()),
            Wire::Other(n) => n.render(),
        }
    }
}

impl Dur {
    fn render(&self) -> String {
        match self {
            Dur::Pool(i) => quoted(pick(DURATIONS, *i)),
            Dur::Any(t) => t.render(),
        }
    }
}

fn list<T>(items: &[T], render: impl Fn(&T) -> String) -> String {
    let items: Vec<String> = items.iter().map(render).collect();
    format!("[{}]", items.join(", "))
}

fn opt<T>(out: &mut String, key: &str, value: &Option<T>, render: impl Fn(&T) -> String) {
    if let Some(value) = value {
        let _ = write!(out, ", {key}: {}", render(value));
    }
}

fn erratum(e: &ErratumInput, integer: bool, with_codes: bool) -> String {
    let field = [
        "code", "status", "message", "heading", "type", "body", "other",
    ];
    let mut out = format!(
        "{{ field: {}, page_shows: {}, description: {}, alias: {}",
        field[usize::from(e.field) % field.len()],
        e.page_shows.render(),
        e.description.render(),
        e.alias
    );
    if with_codes || !e.codes.is_empty() {
        let _ = write!(out, ", codes: {}", list(&e.codes, |c| c.render(integer)));
    }
    out.push_str(" }");
    out
}

impl SpecInput {
    /// The spec as YAML: block style for the sections, flow style for each entry.
    pub fn render(&self) -> String {
        let int = self.integer;
        let mut out = String::from("api:\n");
        let _ = writeln!(out, "  id: {}", self.id.render());
        let _ = writeln!(out, "  name: {}", self.name.render());
        let _ = writeln!(out, "  source: {}", self.source.render());
        if let Some(url) = &self.url {
            let _ = writeln!(out, "  url: {}", url.render());
        }
        if let Some(d) = &self.description {
            let _ = writeln!(out, "  description: {}", d.render());
        }
        let _ = writeln!(
            out,
            "  code_type: {}",
            if int { "integer" } else { "string" }
        );
        if let Some(f) = &self.forward_compatibility {
            let _ = writeln!(out, "  forward_compatibility: {}", f.render());
        }
        out.push_str("envelopes:\n");
        for e in std::iter::once(&self.envelopes.0).chain(&self.envelopes.1) {
            let accepts = ["string", "integer", "boolean", "array", "object", "any"];
            let _ = write!(
                out,
                "  - {{ id: {}, code: {{ field: {}, accepts: {} }}",
                e.id.render(),
                e.code_field.render(),
                list(&[&[e.accepts.0 % 2][..], &e.accepts.1].concat(), |a| {
                    accepts[usize::from(*a) % accepts.len()].to_owned()
                })
            );
            opt(&mut out, "description", &e.description, Text::render);
            opt(&mut out, "root", &e.root, Word::render);
            opt(&mut out, "message", &e.message, Word::render);
            let _ = write!(
                out,
                ", fields: {}",
                list(&e.fields, |(name, ty, d)| {
                    let mut f = format!(
                        "{{ name: {}, type: {}",
                        name.render(),
                        accepts[usize::from(*ty) % accepts.len()]
                    );
                    opt(&mut f, "description", d, Text::render);
                    f.push_str(" }");
                    f
                })
            );
            let _ = write!(out, ", statuses: {}", list(&e.statuses, Number::render));
            opt(&mut out, "example", &e.example, Text::render);
            out.push_str(" }\n");
        }
        out.push_str("statuses:\n");
        for s in std::iter::once(&self.statuses.0).chain(&self.statuses.1) {
            let _ = write!(
                out,
                "  - {{ status: {}, name: {}",
                s.status.render(),
                s.name.render()
            );
            opt(&mut out, "description", &s.description, Text::render);
            opt(&mut out, "retry", &s.retry, Word::render);
            let _ = writeln!(out, ", inferred: {} }}", list(&s.inferred, Word::render));
        }
        if !self.policies.is_empty() {
            out.push_str("retry:\n  policies:\n");
            for p in &self.policies {
                let _ = write!(
                    out,
                    "    {}: {{ inferred: {}",
                    p.name.render(),
                    list(&p.inferred, Word::render)
                );
                opt(&mut out, "extends", &p.extends, Word::render);
                opt(&mut out, "description", &p.description, Text::render);
                opt(&mut out, "backoff", &p.backoff, |b| {
                    if *b { "exponential" } else { "constant" }.to_owned()
                });
                opt(&mut out, "initial", &p.initial, Dur::render);
                opt(&mut out, "multiplier", &p.multiplier, Number::render);
                opt(&mut out, "max_delay", &p.max_delay, Dur::render);
                opt(&mut out, "max_attempts", &p.max_attempts, Number::render);
                opt(&mut out, "jitter", &p.jitter, |j| {
                    ["none", "full", "equal"][usize::from(*j) % 3].to_owned()
                });
                opt(
                    &mut out,
                    "retry_after",
                    &p.retry_after,
                    |(header, default, cap)| {
                        let mut r = format!(
                            "{{ header: {}, default: {}",
                            header.render(),
                            default.render()
                        );
                        opt(&mut r, "cap", cap, Dur::render);
                        r.push_str(" }");
                        r
                    },
                );
                out.push_str(" }\n");
            }
        }
        out.push_str("categories:\n");
        for c in &self.categories {
            let _ = write!(
                out,
                "  - {{ id: {}, title: {}",
                c.id.render(),
                c.title.render()
            );
            opt(&mut out, "description", &c.description, Text::render);
            let _ = writeln!(out, ", inferred: {} }}", list(&c.inferred, Word::render));
        }
        out.push_str("codes:\n");
        for c in std::iter::once(&self.codes.0).chain(&self.codes.1) {
            let _ = write!(
                out,
                "  - {{ code: {}, status: {}, message: {}",
                c.code.render(int),
                c.status.render(),
                c.message.render()
            );
            opt(&mut out, "variant", &c.variant, Word::render);
            opt(&mut out, "category", &c.category, Word::render);
            opt(&mut out, "description", &c.description, Text::render);
            opt(&mut out, "solution", &c.solution, Text::render);
            opt(&mut out, "envelope", &c.envelope, Word::render);
            opt(&mut out, "retry", &c.retry, Word::render);
            let _ = write!(out, ", inferred: {}", list(&c.inferred, Word::render));
            let _ = writeln!(
                out,
                ", errata: {} }}",
                list(&c.errata, |e| erratum(e, int, false))
            );
        }
        out.push_str("limits:\n");
        for l in &self.limits {
            let _ = write!(
                out,
                "  - {{ id: {}, max: {}, scope: {}, description: {}",
                l.id.render(),
                l.max.render(),
                l.scope.render(),
                l.description.render()
            );
            opt(&mut out, "per", &l.per, Dur::render);
            let _ = write!(out, ", codes: {}", list(&l.codes, |c| c.render(int)));
            let _ = writeln!(out, ", inferred: {} }}", list(&l.inferred, Word::render));
        }
        out.push_str("common_errors:\n");
        for e in &self.common_errors {
            let _ = write!(
                out,
                "  - {{ id: {}, title: {}, solution: {}",
                e.id.render(),
                e.title.render(),
                e.solution.render()
            );
            opt(&mut out, "limit", &e.limit, Word::render);
            let _ = write!(out, ", codes: {}", list(&e.codes, |c| c.render(int)));
            let _ = writeln!(out, ", inferred: {} }}", list(&e.inferred, Word::render));
        }
        out.push_str("errata:\n");
        for e in &self.errata {
            let _ = writeln!(out, "  - {}", erratum(e, int, true));
        }
        out
    }
}
