//! Spec → IR: checks everything serde cannot, collecting every problem of a file before
//! reporting, and resolves names and references.

use std::collections::{BTreeMap, HashMap};

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

use crate::diag::Ctxt;
use crate::ir;
use crate::spec::{self, CodeType, FieldType, Scalar};

pub(crate) const CODE_FIELDS: &[&str] = &[
    "status",
    "severity",
    "category",
    "message",
    "description",
    "solution",
    "envelope",
    "retry",
];
pub(crate) const STATUS_FIELDS: &[&str] = &["name", "description", "retry"];
pub(crate) const CATEGORY_FIELDS: &[&str] = &["title", "description"];
pub(crate) const POLICY_FIELDS: &[&str] = &[
    "backoff",
    "initial",
    "multiplier",
    "max_delay",
    "max_attempts",
    "jitter",
    "retry_after",
];
pub(crate) const LIMIT_FIELDS: &[&str] = &["max", "per", "scope", "codes"];
pub(crate) const COMMON_ERROR_FIELDS: &[&str] = &["codes", "limit"];

/// Rust keywords, strict and reserved, in every edition; a name equal to one cannot be an
/// identifier.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// The longest `extends` chain a retry policy may have.
const MAX_EXTENDS: usize = 16;

/// How many defined names a "not defined" help lists.
const MAX_HELP_NAMES: usize = 8;

/// Names the generated code gives to variants of its own.
const RESERVED_CODE_VARIANTS: &[&str] = &["Unknown"];
const RESERVED_STATUS_VARIANTS: &[&str] = &["Other"];

pub(crate) fn validate(spec: &spec::Spec, file: &str, cx: &mut Ctxt) -> ir::Api {
    let api = &spec.api;
    let version = version(spec, cx);
    if version < 2 {
        v2_only(api.text.is_some(), "api.text", cx);
        v2_only(api.docs_url.is_some(), "api.docs_url", cx);
        if spec.statuses.is_empty() {
            cx.error(
                "statuses",
                "no status is listed",
                "list the documented HTTP statuses under `statuses:`, or set `version: 2`, in which codes may come without one",
            );
        }
    }
    if let Some(url) = &api.docs_url {
        docs_url(url, true, "api.docs_url", cx);
    }
    if !is_snake_ident(&api.id) {
        cx.error(
            "api.id",
            format!("`{}` is not a valid Rust module name", api.id),
            format!(
                "use lowercase letters, digits and `_`, starting with a letter, e.g. `{}`",
                suggest_snake(&api.id)
            ),
        );
    }

    let envelopes = envelopes(spec, cx);
    let policies = policies(spec, version, cx);
    // Every name the spec defines, with its index once validated: a reference to a policy that
    // failed validation is not reported a second time as undefined.
    let policy_index: PolicyIndex = spec
        .retry
        .policies
        .keys()
        .map(|name| (name.as_str(), policies.iter().position(|p| &p.name == name)))
        .collect();
    let signals = signals(spec, version, &policy_index, cx);
    let budget = budget(spec, version, cx);
    let statuses = statuses(spec, &policy_index, cx);
    let categories = categories(spec, cx);
    let mut codes = codes(
        spec,
        version,
        &statuses,
        &categories,
        &envelopes,
        &policy_index,
        cx,
    );
    let code_index: HashMap<String, usize> = codes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.wire.clone(), i))
        .collect();
    let mut aliases = aliases(spec, &mut codes, &code_index, cx);
    deprecations(spec, &mut codes, &code_index, cx);
    let errata = errata(spec, &mut codes, &code_index, &mut aliases, cx);
    let limits = limits(spec, &mut codes, &code_index, cx);
    let common_errors = common_errors(spec, &limits, &code_index, cx);

    if envelopes.is_empty() {
        cx.error(
            "envelopes",
            "no error envelope is given",
            "describe at least one error body shape under `envelopes:`",
        );
    }

    ir::Api {
        // The name is printed into a comment of the generated file, where a line break would
        // end the comment and rustc refuses bidirectional controls.
        file: file
            .chars()
            .map(|c| match c {
                '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => '\u{fffd}',
                c if c.is_control() => '\u{fffd}',
                c => c,
            })
            .collect(),
        id: api.id.clone(),
        name: api.name.clone(),
        source: api.source.clone(),
        url: api.url.clone(),
        description: api.description.clone(),
        code_type: api.code_type,
        forward_compatibility: api.forward_compatibility.clone(),
        version,
        text: api.text.unwrap_or_default(),
        docs_url: api.docs_url.clone(),
        envelopes,
        statuses,
        categories,
        policies,
        signals,
        budget,
        codes,
        limits,
        common_errors,
        errata,
        target: ir::Target::Module,
    }
}

fn envelopes(spec: &spec::Spec, cx: &mut Ctxt) -> Vec<ir::Envelope> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, e) in spec.envelopes.iter().enumerate() {
        let path = format!("envelopes[{i}]");
        let variant = e.id.to_upper_camel_case();
        if !is_camel_ident(&variant) {
            cx.error(
                format!("{path}.id"),
                format!("envelope id `{}` gives no usable Rust variant name", e.id),
                "use a snake_case id, e.g. `error_object`",
            );
        } else if let Some(first) = seen.insert(variant.clone(), i) {
            cx.error(
                format!("{path}.id"),
                format!(
                    "envelope id `{}` collides with `envelopes[{first}].id`",
                    e.id
                ),
                "give each envelope its own id",
            );
        }
        if e.code.accepts.is_empty() {
            cx.error(
                format!("{path}.code.accepts"),
                "the code field accepts no JSON type",
                "list the types the code may have on the wire, e.g. `accepts: [string]`",
            );
        }
        for (j, ty) in e.code.accepts.iter().enumerate() {
            if !matches!(ty, FieldType::String | FieldType::Integer) {
                cx.error(
                    format!("{path}.code.accepts[{j}]"),
                    format!("a code cannot be of JSON type `{}`", ty.name()),
                    "codes are `string` or `integer`",
                );
            }
        }
        let mut field_names: HashMap<&str, usize> = HashMap::new();
        let mut field_idents: HashMap<String, usize> = HashMap::new();
        let mut fields = Vec::new();
        for (j, f) in e.fields.iter().enumerate() {
            if let Some(first) = field_names.insert(&f.name, j) {
                cx.error(
                    format!("{path}.fields[{j}].name"),
                    format!(
                        "duplicate field `{}` (first at `{path}.fields[{first}]`)",
                        f.name
                    ),
                    "list each field once",
                );
            }
            if f.name == e.code.field || Some(&f.name) == e.message.as_ref() {
                cx.error(
                    format!("{path}.fields[{j}].name"),
                    format!("field `{}` is already the code or message field", f.name),
                    "list only the envelope's other fields under `fields:`",
                );
            }
            let ident = field_ident(&f.name);
            if let Some(first) = field_idents.insert(ident.clone(), j) {
                if e.fields[first].name != f.name {
                    cx.error(
                        format!("{path}.fields[{j}].name"),
                        format!(
                            "field `{}` gives the Rust field name `{ident}`, as does `{path}.fields[{first}].name`",
                            f.name
                        ),
                        "errspec cannot tell these fields apart in Rust; list only one of them",
                    );
                }
            }
            fields.push(ir::EnvelopeField {
                name: f.name.clone(),
                ident,
                ty: f.ty,
                description: f.description.clone(),
            });
        }
        let mut statuses = Vec::new();
        for (j, s) in e.statuses.iter().enumerate() {
            if let Some(n) = status_number(s, &format!("{path}.statuses[{j}]"), cx) {
                statuses.push(n);
            }
        }
        let root = match e.root.as_deref() {
            None | Some("") => Vec::new(),
            Some(root) => root.split('.').map(str::to_owned).collect(),
        };
        out.push(ir::Envelope {
            id: e.id.clone(),
            variant,
            description: e.description.clone(),
            root,
            code_field: e.code.field.clone(),
            code_accepts: e.code.accepts.clone(),
            message_field: e.message.clone(),
            fields,
            statuses,
            example: e.example.clone(),
        });
    }
    out
}

fn status_number(value: &Scalar, path: &str, cx: &mut Ctxt) -> Option<u16> {
    match value {
        Scalar::Int(n) if (100..=999).contains(n) => Some(*n as u16),
        Scalar::Int(n) => {
            cx.error(
                path,
                format!("status {n} is outside 100–999"),
                "HTTP statuses have three digits; fix the number",
            );
            None
        }
        // `{:?}` writes a float as it would be typed (`2.5e-139`), where `{}` spells out every
        // digit of its decimal expansion.
        Scalar::Float(x) => {
            cx.error(
                path,
                format!("status `{x:?}` is not a whole number"),
                "write the status as a bare three-digit number, e.g. `status: 404`",
            );
            None
        }
        other => {
            cx.error(
                path,
                format!("status `{other}` is not a number"),
                "write the status as a bare three-digit number, e.g. `status: 404`",
            );
            None
        }
    }
}

fn statuses(spec: &spec::Spec, policies: &PolicyIndex<'_>, cx: &mut Ctxt) -> Vec<ir::Status> {
    let mut seen_numbers: HashMap<u16, usize> = HashMap::new();
    let mut seen_variants: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, s) in spec.statuses.iter().enumerate() {
        let path = format!("statuses[{i}]");
        let Some(number) = status_number(&s.status, &format!("{path}.status"), cx) else {
            continue;
        };
        if let Some(first) = seen_numbers.insert(number, i) {
            cx.error(
                format!("{path}.status"),
                format!("duplicate status {number} (first at `statuses[{first}].status`)"),
                "list each status once",
            );
            continue;
        }
        let variant = s.name.to_upper_camel_case();
        if !is_camel_ident(&variant) || RESERVED_STATUS_VARIANTS.contains(&variant.as_str()) {
            cx.error(
                format!("{path}.name"),
                format!(
                    "status name `{}` gives no usable Rust variant name (`{variant}`)",
                    s.name
                ),
                "name the status in words, e.g. `Not Found`",
            );
        } else if let Some(first) = seen_variants.insert(variant.clone(), i) {
            cx.error(
                format!("{path}.name"),
                format!(
                    "status name `{}` gives the variant `{variant}`, as does `statuses[{first}].name`",
                    s.name
                ),
                "give the statuses distinct names",
            );
        }
        let retry = s
            .retry
            .as_ref()
            .and_then(|r| policy_ref(r, policies, &format!("{path}.retry"), cx));
        check_inferred(&s.inferred, STATUS_FIELDS, &path, cx);
        out.push(ir::Status {
            number,
            name: s.name.clone(),
            variant: Some(variant),
            description: s.description.clone(),
            retry,
            inferred: s.inferred.clone(),
        });
    }
    out
}

fn categories(spec: &spec::Spec, cx: &mut Ctxt) -> Vec<ir::Category> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, c) in spec.categories.iter().enumerate() {
        let path = format!("categories[{i}]");
        let variant = c.id.to_upper_camel_case();
        if !is_camel_ident(&variant) {
            cx.error(
                format!("{path}.id"),
                format!("category id `{}` gives no usable Rust name", c.id),
                "use a snake_case id, e.g. `authentication`",
            );
        } else if let Some(first) = seen.insert(variant.clone(), i) {
            cx.error(
                format!("{path}.id"),
                format!("category `{}` collides with `categories[{first}].id`", c.id),
                "give each category its own id",
            );
        }
        check_inferred(&c.inferred, CATEGORY_FIELDS, &path, cx);
        out.push(ir::Category {
            id: c.id.clone(),
            variant,
            title: c.title.clone(),
            description: c.description.clone(),
            inferred: c.inferred.clone(),
        });
    }
    out
}

fn policies(spec: &spec::Spec, version: u32, cx: &mut Ctxt) -> Vec<ir::Policy> {
    let entries = &spec.retry.policies;
    let mut out = Vec::new();
    let mut const_names: HashMap<String, &str> = HashMap::new();
    for (name, entry) in entries {
        let path = format!("retry.policies.{name}");
        let const_name = name.to_shouty_snake_case();
        if !is_shouty_ident(&const_name) {
            cx.error(
                path.clone(),
                format!("policy name `{name}` gives no usable Rust constant name"),
                "use a snake_case name, e.g. `transient`",
            );
        } else if let Some(first) = const_names.insert(const_name.clone(), name) {
            cx.error(
                path.clone(),
                format!("policy `{name}` collides with policy `{first}` as `{const_name}`"),
                "rename one of the two policies",
            );
        }
        // Flatten the `extends` chain, nearest ancestor last, refusing cycles, and chains so
        // long that following them for every policy would take quadratic time.
        let mut chain = vec![(name.as_str(), entry)];
        let mut current = entry;
        let mut broken = false;
        while let Some(parent) = &current.extends {
            let at = format!(
                "retry.policies.{}.extends",
                chain.last().map_or("", |c| c.0)
            );
            if chain.len() > MAX_EXTENDS {
                cx.error(
                    format!("retry.policies.{name}"),
                    format!("policy `{name}` extends more than {MAX_EXTENDS} policies in a row"),
                    "extend a policy that sets what you need directly",
                );
                broken = true;
                break;
            }
            match entries.get_key_value(parent) {
                Some((parent_name, parent_entry)) => {
                    if chain.iter().any(|(n, _)| *n == parent_name.as_str()) {
                        cx.error(
                            at,
                            format!(
                                "policy `{name}` extends itself through `{}`",
                                chain.last().map_or(parent.as_str(), |c| c.0)
                            ),
                            "break the cycle of `extends`",
                        );
                        broken = true;
                        break;
                    }
                    chain.push((parent_name, parent_entry));
                    current = parent_entry;
                }
                None => {
                    // The policy whose `extends` is undefined reports it, once.
                    if chain.len() == 1 {
                        cx.error(
                            at,
                            format!("policy `{parent}` is not defined"),
                            help_known("policy", entries.keys()),
                        );
                    }
                    broken = true;
                    break;
                }
            }
        }
        if broken {
            continue;
        }
        let backoff = chain.iter().find_map(|(_, e)| e.backoff);
        let initial = chain
            .iter()
            .find_map(|(n, e)| e.initial.as_ref().map(|v| (*n, v)));
        let multiplier = chain
            .iter()
            .find_map(|(n, e)| e.multiplier.as_ref().map(|v| (*n, v)));
        let max_delay = chain
            .iter()
            .find_map(|(n, e)| e.max_delay.as_ref().map(|v| (*n, v)));
        let max_attempts = chain
            .iter()
            .find_map(|(n, e)| e.max_attempts.as_ref().map(|v| (*n, v)));
        let jitter = chain
            .iter()
            .find_map(|(_, e)| e.jitter)
            .unwrap_or(spec::JitterKind::None);
        let retry_after = chain
            .iter()
            .find_map(|(n, e)| e.retry_after.as_ref().map(|v| (*n, v)));
        let methods = chain
            .iter()
            .find_map(|(n, e)| e.methods.as_ref().map(|v| (*n, v)))
            .and_then(|(at, methods)| {
                let at = format!("retry.policies.{at}.methods");
                if version < 2 {
                    v2_only(true, &at, cx);
                }
                policy_methods(methods, &at, cx)
            });

        let Some((initial_at, initial)) = initial else {
            cx.error(
                path.clone(),
                format!("policy `{name}` has no `initial` delay"),
                "add `initial: 1s` (or extend a policy that has one)",
            );
            continue;
        };
        let initial_ms = duration_ms(initial, &format!("retry.policies.{initial_at}.initial"), cx);
        let multiplier = match (backoff, multiplier) {
            (Some(spec::BackoffKind::Constant), None) => Some(1.0),
            (Some(spec::BackoffKind::Constant), Some((at, m))) => {
                let m = number(m, &format!("retry.policies.{at}.multiplier"), cx);
                if m.is_some_and(|m| m != 1.0) {
                    cx.error(
                        format!("retry.policies.{at}.multiplier"),
                        "a constant backoff has no multiplier other than 1",
                        "remove `multiplier` or use `backoff: exponential`",
                    );
                }
                Some(1.0)
            }
            (_, None) => Some(2.0),
            (_, Some((at, m))) => {
                let at = format!("retry.policies.{at}.multiplier");
                let m = number(m, &at, cx);
                match m {
                    Some(m) if (1.0..=1000.0).contains(&m) => Some(m),
                    Some(m) => {
                        cx.error(
                            at,
                            format!("multiplier {m} is outside 1–1000"),
                            "delays grow by a factor of at least 1, e.g. `multiplier: 2`",
                        );
                        None
                    }
                    None => None,
                }
            }
        };
        let max_delay_ms = match max_delay {
            Some((at, v)) => duration_ms(v, &format!("retry.policies.{at}.max_delay"), cx),
            None => initial_ms,
        };
        let max_attempts = match max_attempts {
            Some((at, v)) => {
                let at = format!("retry.policies.{at}.max_attempts");
                match v {
                    Scalar::Int(n) if *n >= 1 && *n <= i128::from(u32::MAX) => Some(*n as u32),
                    other => {
                        cx.error(
                            at,
                            format!("`{other}` is not a number of attempts"),
                            "give how many requests are made in all, at least 1, e.g. `max_attempts: 3`",
                        );
                        None
                    }
                }
            }
            None => {
                cx.error(
                    path.clone(),
                    format!("policy `{name}` has no `max_attempts`"),
                    "add `max_attempts: 3` (requests in all, the first included)",
                );
                None
            }
        };
        if let (Some(initial), Some(max)) = (initial_ms, max_delay_ms) {
            if initial > max {
                let at = max_delay.map_or(path.clone(), |(n, _)| {
                    format!("retry.policies.{n}.max_delay")
                });
                cx.error(
                    at,
                    format!(
                        "max_delay ({}) is shorter than initial ({})",
                        format_ms(max),
                        format_ms(initial)
                    ),
                    "make `max_delay` at least `initial`",
                );
            }
        }
        let retry_after = retry_after.and_then(|(at, ra)| {
            let at = format!("retry.policies.{at}.retry_after");
            let default = duration_ms(&ra.default, &format!("{at}.default"), cx)?;
            let cap = match &ra.cap {
                Some(cap) => duration_ms(cap, &format!("{at}.cap"), cx)?,
                None => default.max(max_delay_ms.unwrap_or(0)),
            };
            if default > cap {
                cx.error(
                    format!("{at}.default"),
                    format!(
                        "default ({}) is longer than cap ({})",
                        format_ms(default),
                        format_ms(cap)
                    ),
                    "make `cap` at least `default`",
                );
            }
            if ra.header.trim().is_empty() {
                cx.error(
                    format!("{at}.header"),
                    "empty header name",
                    "write `header: Retry-After`",
                );
            }
            Some(ir::RetryAfter {
                header: ra.header.clone(),
                default_ms: default,
                cap_ms: cap,
            })
        });
        let mut inferred = Vec::new();
        for (n, e) in &chain {
            check_inferred(
                &e.inferred,
                POLICY_FIELDS,
                &format!("retry.policies.{n}"),
                cx,
            );
            for field in &e.inferred {
                if !inferred.contains(field) {
                    inferred.push(field.clone());
                }
            }
        }
        let (Some(initial_ms), Some(multiplier), Some(max_delay_ms), Some(max_attempts)) =
            (initial_ms, multiplier, max_delay_ms, max_attempts)
        else {
            continue;
        };
        out.push(ir::Policy {
            name: name.clone(),
            const_name,
            description: entry.description.clone(),
            initial_ms,
            multiplier,
            max_delay_ms,
            max_attempts,
            jitter,
            retry_after,
            methods,
            inferred,
        });
    }
    // Policies that failed validation are left out above; keep indices of the rest stable by
    // name for the references below, which report unknown names themselves.
    out
}

/// The methods a retry policy may resend, by RFC 9110's names, in its order.
const METHODS: [&str; 9] = [
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
];

fn policy_methods(methods: &[String], path: &str, cx: &mut Ctxt) -> Option<Vec<String>> {
    let mut ok = true;
    for (i, m) in methods.iter().enumerate() {
        if !METHODS.contains(&m.as_str()) {
            ok = false;
            cx.error(
                format!("{path}[{i}]"),
                format!("`{m}` is not an HTTP method a policy can resend"),
                format!("choose from: {}", METHODS.join(", ")),
            );
        }
    }
    if methods.is_empty() {
        cx.error(
            path,
            "a policy that may resend no method retries nothing",
            "list the methods, e.g. `methods: [GET, PUT, DELETE, POST]`, or remove `methods` for the idempotent ones",
        );
        ok = false;
    }
    ok.then(|| {
        METHODS
            .iter()
            .filter(|m| methods.iter().any(|x| x == *m))
            .map(|m| (*m).to_owned())
            .collect()
    })
}

type PolicyIndex<'a> = BTreeMap<&'a str, Option<usize>>;

fn policy_ref(name: &str, policies: &PolicyIndex<'_>, path: &str, cx: &mut Ctxt) -> Option<usize> {
    match policies.get(name) {
        Some(i) => *i,
        None => {
            cx.error(
                path,
                format!("retry policy `{name}` is not defined"),
                help_known("policy", policies.keys()),
            );
            None
        }
    }
}

/// The longest delay a wait signal gives when its spec sets no `cap`.
const DEFAULT_SIGNAL_CAP_MS: u64 = 3_600_000;

fn signals(
    spec: &spec::Spec,
    version: u32,
    policies: &PolicyIndex<'_>,
    cx: &mut Ctxt,
) -> Vec<ir::Signal> {
    use spec::SignalKindEntry as K;
    if version < 2 {
        v2_only(!spec.retry.signals.is_empty(), "retry.signals", cx);
    }
    let mut out = Vec::new();
    for (i, entry) in spec.retry.signals.iter().enumerate() {
        let path = format!("retry.signals[{i}]");
        let body = matches!(entry.kind, K::BodySeconds | K::BodyMilliseconds);
        let kind = format!("{:?}", entry.kind).to_snake_case();
        let name = match (body, &entry.header, &entry.field) {
            (false, Some(header), None) => Some(header.clone()),
            (false, None, None) if entry.kind == K::Ratelimit => Some("RateLimit".to_owned()),
            (false, None, None) => {
                cx.error(
                    path.clone(),
                    format!("a `{kind}` signal names no header"),
                    "add the header it comes in, e.g. `header: retry-after-ms`",
                );
                None
            }
            (true, None, Some(field)) => Some(field.clone()),
            (true, None, None) => {
                cx.error(
                    path.clone(),
                    format!("a `{kind}` signal names no field"),
                    "add the error body's field it comes in, e.g. `field: retry_delay`",
                );
                None
            }
            (false, _, Some(_)) => {
                cx.error(
                    format!("{path}.field"),
                    format!("a `{kind}` signal comes in a header, not in a body field"),
                    "use `header:`, or `kind: body_seconds` / `body_milliseconds` for a delay in the body",
                );
                None
            }
            (true, Some(_), _) => {
                cx.error(
                    format!("{path}.header"),
                    format!("a `{kind}` signal comes in the body, not in a header"),
                    "use `field:`, or a header kind such as `milliseconds`",
                );
                None
            }
        };
        if let Some(name) = &name {
            let valid = if body {
                !name.trim().is_empty()
            } else {
                http_token(name)
            };
            if !valid {
                let at = if body { "field" } else { "header" };
                cx.error(
                    format!("{path}.{at}"),
                    format!("`{name}` is not a {at} name"),
                    if body {
                        "name the body field, e.g. `retry_delay`"
                    } else {
                        "write the header's name, letters, digits and `-`, e.g. `retry-after-ms`"
                    },
                );
            }
        }
        let cap_ms = match &entry.cap {
            Some(cap) => duration_ms(cap, &format!("{path}.cap"), cx),
            None => Some(DEFAULT_SIGNAL_CAP_MS),
        };
        let gives_delay = !matches!(entry.kind, K::ShouldRetry);
        if !gives_delay && (entry.cap.is_some() || entry.combine.is_some()) {
            cx.error(
                path.clone(),
                "a `should_retry` signal gives no delay: it has no `cap` nor `combine`",
                "remove `cap` and `combine` from it",
            );
        }
        let policy = match (&entry.policy, entry.kind) {
            (Some(name), K::ShouldRetry) => {
                policy_ref(name, policies, &format!("{path}.policy"), cx)
            }
            (Some(_), _) => {
                cx.error(
                    format!("{path}.policy"),
                    format!("only a `should_retry` signal names a policy, not a `{kind}` one"),
                    "remove `policy`",
                );
                None
            }
            (None, _) => None,
        };
        if let (Some(name), Some(cap_ms)) = (name, cap_ms) {
            out.push(ir::Signal {
                kind: entry.kind,
                name,
                cap_ms,
                combine: entry.combine.unwrap_or(spec::CombineKind::Replace),
                policy,
            });
        }
    }
    out
}

/// Whether `name` is an HTTP field name (an RFC 9110 token).
fn http_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn budget(spec: &spec::Spec, version: u32, cx: &mut Ctxt) -> Option<ir::Budget> {
    use spec::BudgetPreset as P;
    let entry = spec.retry.budget.as_ref()?;
    if version < 2 {
        v2_only(true, "retry.budget", cx);
    }
    let path = "retry.budget";
    let tokens = |key: &str, value: &Option<Scalar>, cx: &mut Ctxt| -> Option<f64> {
        let at = format!("{path}.{key}");
        let n = number(value.as_ref()?, &at, cx)?;
        if n < 0.0 {
            cx.error(
                at,
                format!("{key} {n} is negative"),
                "tokens are zero or more",
            );
            return None;
        }
        Some(n)
    };
    let quota_keys = [
        ("capacity", entry.capacity.is_some()),
        ("retry_cost", entry.retry_cost.is_some()),
        ("throttling_cost", entry.throttling_cost.is_some()),
        ("timeout_cost", entry.timeout_cost.is_some()),
        ("success_refill", entry.success_refill.is_some()),
        ("refund", entry.refund.is_some()),
    ];
    let grpc_keys = [
        ("max_tokens", entry.max_tokens.is_some()),
        ("token_ratio", entry.token_ratio.is_some()),
    ];
    let misplaced = |keys: &[(&str, bool)], kind: &str, cx: &mut Ctxt| {
        for (key, present) in keys {
            if *present {
                cx.error(
                    format!("{path}.{key}"),
                    format!("`{key}` is not a key of {kind}"),
                    "remove it, or choose the budget it belongs to (`preset: grpc` takes `max_tokens` and `token_ratio`; a quota takes `capacity` and the costs)",
                );
            }
        }
    };
    let kind = match entry.preset {
        Some(P::AwsStandard) => {
            misplaced(
                &quota_keys,
                "the `aws_standard` preset, whose numbers are fixed",
                cx,
            );
            misplaced(&grpc_keys, "the `aws_standard` preset", cx);
            use errspec_core::aws_standard_budget as aws;
            ir::BudgetKind::Quota {
                capacity: aws::CAPACITY,
                throttling_cost: aws::RETRY_COST,
                transient_cost: aws::RETRY_COST,
                timeout_cost: aws::TIMEOUT_COST,
                success_refill: aws::SUCCESS_REFILL,
                refund: true,
            }
        }
        Some(P::Grpc) => {
            misplaced(&quota_keys, "the `grpc` preset", cx);
            let max_tokens = tokens("max_tokens", &entry.max_tokens, cx);
            let token_ratio = tokens("token_ratio", &entry.token_ratio, cx);
            if entry.max_tokens.is_none() || entry.token_ratio.is_none() {
                cx.error(
                    path,
                    "the `grpc` preset needs `max_tokens` and `token_ratio`",
                    "give the service config's values, e.g. `{ preset: grpc, max_tokens: 10, token_ratio: 0.1 }`",
                );
            }
            if max_tokens.is_some_and(|m| !(m > 0.0 && m <= 1000.0)) {
                cx.error(
                    format!("{path}.max_tokens"),
                    "gRPC's `maxTokens` is above 0 and at most 1000",
                    "e.g. `max_tokens: 10`",
                );
            }
            if token_ratio.is_some_and(|r| !(r > 0.0 && r <= 1.0)) {
                cx.error(
                    format!("{path}.token_ratio"),
                    "gRPC's `tokenRatio` is above 0 and at most 1",
                    "e.g. `token_ratio: 0.1`",
                );
            }
            ir::BudgetKind::Throttling {
                max_tokens: max_tokens?,
                token_ratio: token_ratio?,
            }
        }
        None => {
            misplaced(&grpc_keys, "a quota (they need `preset: grpc`)", cx);
            let capacity = tokens("capacity", &entry.capacity, cx);
            let retry_cost = tokens("retry_cost", &entry.retry_cost, cx);
            if entry.capacity.is_none() || entry.retry_cost.is_none() {
                cx.error(
                    path,
                    "a retry quota needs `capacity` and `retry_cost`",
                    "give both, e.g. `{ capacity: 500, retry_cost: 5 }`, or a preset: `{ preset: aws_standard }`",
                );
            }
            if capacity == Some(0.0) {
                cx.error(
                    format!("{path}.capacity"),
                    "a budget of 0 tokens allows no retry at all",
                    "give the bucket's size, or remove `retry.budget`",
                );
            }
            let (capacity, retry_cost) = (capacity?, retry_cost?);
            ir::BudgetKind::Quota {
                capacity,
                throttling_cost: tokens("throttling_cost", &entry.throttling_cost, cx)
                    .unwrap_or(retry_cost),
                transient_cost: retry_cost,
                timeout_cost: tokens("timeout_cost", &entry.timeout_cost, cx).unwrap_or(retry_cost),
                success_refill: tokens("success_refill", &entry.success_refill, cx).unwrap_or(1.0),
                refund: entry.refund.unwrap_or(true),
            }
        }
    };
    Some(ir::Budget {
        preset: entry.preset,
        kind,
    })
}

#[allow(clippy::too_many_arguments)]
fn codes(
    spec: &spec::Spec,
    version: u32,
    statuses: &[ir::Status],
    categories: &[ir::Category],
    envelopes: &[ir::Envelope],
    policies: &PolicyIndex<'_>,
    cx: &mut Ctxt,
) -> Vec<ir::Code> {
    let status_index: HashMap<u16, usize> = statuses
        .iter()
        .enumerate()
        .map(|(i, s)| (s.number, i))
        .collect();
    let category_index: HashMap<&str, usize> = categories
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let envelope_index: HashMap<&str, usize> = envelopes
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), i))
        .collect();
    let mut seen_wire: HashMap<String, usize> = HashMap::new();
    let mut seen_variant: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, c) in spec.codes.iter().enumerate() {
        let path = format!("codes[{i}]");
        let Some((wire, number)) =
            wire_value(&c.code, spec.api.code_type, &format!("{path}.code"), cx)
        else {
            continue;
        };
        if let Some(first) = seen_wire.insert(wire.clone(), i) {
            cx.error(
                format!("{path}.code"),
                format!("duplicate code `{wire}` (first at `codes[{first}].code`)"),
                "each code has one entry; merge the two",
            );
            continue;
        }
        let variant = match &c.variant {
            Some(v) => {
                if !is_camel_ident(v)
                    || KEYWORDS.contains(&v.as_str())
                    || RESERVED_CODE_VARIANTS.contains(&v.as_str())
                {
                    cx.error(
                        format!("{path}.variant"),
                        format!("`{v}` is not a usable Rust variant name"),
                        "use UpperCamelCase letters and digits, starting with a letter; `Unknown` is reserved",
                    );
                    continue;
                }
                v.clone()
            }
            None => match variant_for(&wire) {
                Some(v) => v,
                None => {
                    cx.error(
                        format!("{path}.code"),
                        format!("no Rust variant name can be made from code `{wire}`"),
                        "name the variant yourself with `variant: SomeName`",
                    );
                    continue;
                }
            },
        };
        if let Some(first) = seen_variant.insert(variant.clone(), i) {
            let first_code = &spec.codes[first].code;
            cx.error(
                format!("{path}.code"),
                format!(
                    "code `{wire}` gives the variant `{variant}`, as does code `{first_code}` at `codes[{first}].code`"
                ),
                "set `variant:` on one of them to tell them apart",
            );
        }
        if version < 2 {
            v2_only(!c.aliases.is_empty(), &format!("{path}.aliases"), cx);
            v2_only(c.severity.is_some(), &format!("{path}.severity"), cx);
            v2_only(!c.causes.is_empty(), &format!("{path}.causes"), cx);
            v2_only(c.docs_url.is_some(), &format!("{path}.docs_url"), cx);
            v2_only(c.deprecated.is_some(), &format!("{path}.deprecated"), cx);
            v2_only(
                c.not_processed.is_some(),
                &format!("{path}.not_processed"),
                cx,
            );
        }
        let status = match &c.status {
            Some(value) => match status_number(value, &format!("{path}.status"), cx) {
                Some(n) => match status_index.get(&n) {
                    Some(s) => Some(*s),
                    None => {
                        cx.error(
                            format!("{path}.status"),
                            format!("status {n} is not among the documented `statuses`"),
                            format!("add {n} to `statuses:` or fix the number"),
                        );
                        continue;
                    }
                },
                None => continue,
            },
            None if version < 2 => {
                cx.error(
                    format!("{path}.status"),
                    format!("code `{wire}` has no `status`"),
                    "give the HTTP status the code comes with, or set `version: 2`, in which a code without one takes the status of the response",
                );
                continue;
            }
            None => None,
        };
        for (j, cause) in c.causes.iter().enumerate() {
            if cause.trim().is_empty() {
                cx.error(
                    format!("{path}.causes[{j}]"),
                    "empty cause",
                    "write the cause as the page does, or remove the entry",
                );
            }
        }
        if let Some(url) = &c.docs_url {
            docs_url(url, false, &format!("{path}.docs_url"), cx);
        }
        let category = c
            .category
            .as_ref()
            .and_then(|id| match category_index.get(id.as_str()) {
                Some(i) => Some(*i),
                None => {
                    cx.error(
                        format!("{path}.category"),
                        format!("category `{id}` is not defined"),
                        help_known("category", categories.iter().map(|c| &c.id)),
                    );
                    None
                }
            });
        let envelope = c
            .envelope
            .as_ref()
            .and_then(|id| match envelope_index.get(id.as_str()) {
                Some(i) => Some(*i),
                None => {
                    cx.error(
                        format!("{path}.envelope"),
                        format!("envelope `{id}` is not defined"),
                        help_known("envelope", envelopes.iter().map(|e| &e.id)),
                    );
                    None
                }
            });
        let retry = c
            .retry
            .as_ref()
            .and_then(|r| policy_ref(r, policies, &format!("{path}.retry"), cx));
        check_inferred(&c.inferred, CODE_FIELDS, &path, cx);
        out.push(ir::Code {
            wire,
            number,
            variant,
            status,
            category,
            message: c.message.clone(),
            description: c.description.clone(),
            solution: c.solution.clone(),
            envelope,
            retry,
            example: c.example.clone(),
            inferred: c.inferred.clone(),
            aliases: Vec::new(),
            limit: None,
            severity: c.severity.unwrap_or_default(),
            causes: c.causes.clone(),
            docs_url: c.docs_url.clone(),
            deprecated: None,
            not_processed: c.not_processed.unwrap_or(false),
        });
    }
    out
}

/// The wire text of a code, and its number for integer APIs.
fn wire_value(
    value: &Scalar,
    code_type: CodeType,
    path: &str,
    cx: &mut Ctxt,
) -> Option<(String, Option<u32>)> {
    match (code_type, value) {
        (CodeType::String, Scalar::Str(s)) if s.is_empty() => {
            cx.error(
                path,
                "empty code",
                "write the code exactly as it appears on the wire",
            );
            None
        }
        (CodeType::String, Scalar::Str(s)) => Some((s.clone(), None)),
        (CodeType::Integer, Scalar::Int(n)) if (0..=i128::from(u32::MAX)).contains(n) => {
            Some((n.to_string(), Some(*n as u32)))
        }
        (CodeType::Integer, Scalar::Str(s))
            if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) =>
        {
            cx.error(
                path,
                format!("code \"{s}\" is quoted, but `api.code_type` is `integer`"),
                format!("write it as a number: `code: {s}`"),
            );
            None
        }
        (CodeType::Integer, other) => {
            cx.error(
                path,
                format!("code `{other}` is not an integer from 0 to {}", u32::MAX),
                "integer APIs write each code as a bare number, or set `api.code_type: string`",
            );
            None
        }
        (CodeType::String, other) => {
            cx.error(
                path,
                format!("code `{other}` is not a string, but `api.code_type` is `string`"),
                format!("quote it (`code: \"{other}\"`) or set `api.code_type: integer`"),
            );
            None
        }
    }
}

/// The spec's format version: 1 when omitted.
fn version(spec: &spec::Spec, cx: &mut Ctxt) -> u32 {
    match &spec.version {
        None => 1,
        Some(Scalar::Int(1)) => 1,
        Some(Scalar::Int(2)) => 2,
        Some(other) => {
            cx.error(
                "version",
                format!("`{other}` is not a spec format version"),
                "write `version: 2` (or omit the key for version 1)",
            );
            2
        }
    }
}

/// Reports a version 2 key used in a version 1 spec.
fn v2_only(present: bool, path: &str, cx: &mut Ctxt) {
    if present {
        let key = path.rsplit('.').next().unwrap_or(path);
        cx.error(
            path,
            format!("`{key}` is a key of spec format version 2"),
            "add `version: 2` at the top level of the spec (first, by convention)",
        );
    }
}

/// Checks a documentation address: `http(s)://`, and in a template `{code}` as the only
/// placeholder.
fn docs_url(url: &str, template: bool, path: &str, cx: &mut Ctxt) {
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://"))
        || url.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        cx.error(
            path,
            format!("`{url}` is not an http(s) address"),
            "write the whole address, starting with `https://`, without spaces",
        );
        return;
    }
    let rest = if template {
        url.replace("{code}", "")
    } else {
        url.to_owned()
    };
    if rest.contains(['{', '}']) {
        cx.error(
            path,
            format!("`{url}` holds a placeholder other than `{{code}}`"),
            if template {
                "`{code}` is the only placeholder: it stands for the code's wire value"
            } else {
                "a code's own `docs_url` is its address as is; percent-encode `{` and `}`"
            },
        );
    }
}

/// Each code's `aliases`, checked against every wire value and each other; returns every
/// alias with the path it was given at.
fn aliases(
    spec: &spec::Spec,
    codes: &mut [ir::Code],
    code_index: &HashMap<String, usize>,
    cx: &mut Ctxt,
) -> HashMap<String, String> {
    let mut seen: HashMap<String, String> = HashMap::new();
    for (i, c) in spec.codes.iter().enumerate() {
        let Some(&own) = code_index.get(&c.code.to_string()) else {
            continue;
        };
        for (j, alias) in c.aliases.iter().enumerate() {
            let path = format!("codes[{i}].aliases[{j}]");
            let text = match alias {
                Scalar::Int(n) if (0..=i128::from(u32::MAX)).contains(n) => n.to_string(),
                Scalar::Str(s) if !s.is_empty() => s.clone(),
                other => {
                    cx.error(
                        &path,
                        format!("alias `{other}` is not a wire value"),
                        "write the other wire value of the code: a non-empty string or a whole number from 0 to 4294967295",
                    );
                    continue;
                }
            };
            if let Some(&owner) = code_index.get(&text) {
                cx.error(
                    &path,
                    if owner == own {
                        format!("alias `{text}` is the code's own wire value")
                    } else {
                        format!(
                            "alias `{text}` is the documented code of `{}`",
                            codes[owner].variant
                        )
                    },
                    "an alias is another wire value of this code only; remove it",
                );
            } else if let Some(first) = seen.insert(text.clone(), path.clone()) {
                cx.error(
                    &path,
                    format!("alias `{text}` is already accepted at `{first}`"),
                    "give each wire value to one code only",
                );
            } else {
                codes[own].aliases.push(text);
            }
        }
    }
    seen
}

/// Each code's `deprecated`, its replacement resolved.
fn deprecations(
    spec: &spec::Spec,
    codes: &mut [ir::Code],
    code_index: &HashMap<String, usize>,
    cx: &mut Ctxt,
) {
    for (i, c) in spec.codes.iter().enumerate() {
        let Some(&own) = code_index.get(&c.code.to_string()) else {
            continue;
        };
        let path = format!("codes[{i}].deprecated");
        codes[own].deprecated = match &c.deprecated {
            None | Some(spec::Deprecated::Flag(false)) => None,
            Some(spec::Deprecated::Flag(true)) => Some(ir::Deprecation::default()),
            Some(spec::Deprecated::Detail(detail)) => {
                let replaced_by = detail.replaced_by.as_ref().and_then(|r| {
                    let text = r.to_string();
                    match code_index.get(&text) {
                        Some(&to) if to == own => {
                            cx.error(
                                format!("{path}.replaced_by"),
                                format!("code `{text}` cannot replace itself"),
                                "name the code to use instead, or remove `replaced_by`",
                            );
                            None
                        }
                        Some(&to) => Some(to),
                        None => {
                            cx.error(
                                format!("{path}.replaced_by"),
                                format!("code `{text}` is not defined in `codes`"),
                                "refer to the replacing code by its wire value",
                            );
                            None
                        }
                    }
                });
                Some(ir::Deprecation {
                    note: detail.note.clone(),
                    replaced_by,
                })
            }
        };
    }
}

fn code_refs(
    refs: &[Scalar],
    code_index: &HashMap<String, usize>,
    path: &str,
    cx: &mut Ctxt,
) -> Vec<usize> {
    let mut out = Vec::new();
    for (j, r) in refs.iter().enumerate() {
        let text = r.to_string();
        match code_index.get(&text) {
            Some(i) => out.push(*i),
            None => cx.error(
                format!("{path}[{j}]"),
                format!("code `{text}` is not defined in `codes`"),
                "refer to a documented code by its wire value",
            ),
        }
    }
    out
}

fn errata(
    spec: &spec::Spec,
    codes: &mut [ir::Code],
    code_index: &HashMap<String, usize>,
    aliases: &mut HashMap<String, String>,
    cx: &mut Ctxt,
) -> Vec<ir::Erratum> {
    let mut out = Vec::new();
    let by_spec_index: HashMap<usize, usize> = spec
        .codes
        .iter()
        .enumerate()
        .filter_map(|(i, c)| code_index.get(&c.code.to_string()).map(|ir| (i, *ir)))
        .collect();
    let mut entries: Vec<(String, &spec::Erratum, Vec<usize>)> = Vec::new();
    for (i, e) in spec.errata.iter().enumerate() {
        let path = format!("errata[{i}]");
        let concerned = code_refs(&e.codes, code_index, &format!("{path}.codes"), cx);
        entries.push((path, e, concerned));
    }
    for (i, c) in spec.codes.iter().enumerate() {
        for (j, e) in c.errata.iter().enumerate() {
            let path = format!("codes[{i}].errata[{j}]");
            if !e.codes.is_empty() {
                cx.error(
                    format!("{path}.codes"),
                    "an erratum under a code concerns that code only",
                    "move the erratum to the top-level `errata:` list to name several codes",
                );
            }
            let concerned = by_spec_index.get(&i).map(|c| vec![*c]).unwrap_or_default();
            entries.push((path, e, concerned));
        }
    }
    for (path, e, concerned) in entries {
        if e.alias {
            if e.field != spec::ErratumField::Code || concerned.len() != 1 {
                cx.error(
                    format!("{path}.alias"),
                    "only a wrong code value shown for one code can be accepted as an alias",
                    "set `field: code` and attach the erratum to the code it concerns",
                );
            } else if let Some(owner) = code_index.get(&e.page_shows) {
                cx.error(
                    format!("{path}.alias"),
                    format!(
                        "`{}` cannot be an alias: it is the documented code of `{}`",
                        e.page_shows, codes[*owner].variant
                    ),
                    "set `alias: false`; the wrong value would be read as that other code",
                );
            } else if spec.api.code_type == CodeType::Integer
                && e.page_shows
                    .parse::<u32>()
                    .map_or(true, |n| n.to_string() != e.page_shows)
            {
                cx.error(
                    format!("{path}.page_shows"),
                    format!("alias `{}` is not an integer code", e.page_shows),
                    "an alias of an integer code is a number from 0 to 4294967295 in plain digits, without sign or leading zeros",
                );
            } else if let Some(first) = aliases.insert(e.page_shows.clone(), path.clone()) {
                cx.error(
                    format!("{path}.page_shows"),
                    format!("alias `{}` is already accepted at `{first}`", e.page_shows),
                    "accept each wrong value for one code only",
                );
            } else {
                codes[concerned[0]].aliases.push(e.page_shows.clone());
            }
        }
        // An erratum explaining one of the code's `aliases` is an alias erratum too.
        let explains_alias = e.field == spec::ErratumField::Code
            && concerned.len() == 1
            && codes[concerned[0]].aliases.contains(&e.page_shows);
        out.push(ir::Erratum {
            field: e.field,
            page_shows: e.page_shows.clone(),
            description: e.description.clone(),
            codes: concerned,
            alias: e.alias || explains_alias,
        });
    }
    out
}

fn limits(
    spec: &spec::Spec,
    codes: &mut [ir::Code],
    code_index: &HashMap<String, usize>,
    cx: &mut Ctxt,
) -> Vec<ir::Limit> {
    let mut out = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, l) in spec.limits.iter().enumerate() {
        let path = format!("limits[{i}]");
        let const_name = l.id.to_shouty_snake_case();
        if !is_shouty_ident(&const_name) {
            cx.error(
                format!("{path}.id"),
                format!("limit id `{}` gives no usable Rust name", l.id),
                "use a snake_case id",
            );
            continue;
        }
        if let Some(first) = seen.insert(const_name.clone(), i) {
            cx.error(
                format!("{path}.id"),
                format!("limit `{}` collides with `limits[{first}].id`", l.id),
                "give each limit its own id",
            );
            continue;
        }
        let max = match &l.max {
            Scalar::Int(n) if (1..=i128::from(u32::MAX)).contains(n) => *n as u32,
            other => {
                cx.error(
                    format!("{path}.max"),
                    format!("`{other}` is not a positive whole number"),
                    "write the documented maximum, e.g. `max: 10`",
                );
                continue;
            }
        };
        let per_ms = match &l.per {
            Some(per) => match duration_ms(per, &format!("{path}.per"), cx) {
                Some(ms) => Some(ms),
                None => continue,
            },
            None => None,
        };
        let concerned = code_refs(&l.codes, code_index, &format!("{path}.codes"), cx);
        for &c in &concerned {
            codes[c].limit = Some(out.len());
        }
        check_inferred(&l.inferred, LIMIT_FIELDS, &path, cx);
        out.push(ir::Limit {
            id: l.id.clone(),
            const_name,
            max,
            per_ms,
            scope: l.scope.clone(),
            description: l.description.clone(),
            codes: concerned,
            inferred: l.inferred.clone(),
        });
    }
    out
}

fn common_errors(
    spec: &spec::Spec,
    limits: &[ir::Limit],
    code_index: &HashMap<String, usize>,
    cx: &mut Ctxt,
) -> Vec<ir::CommonError> {
    let mut out = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let limit_index: HashMap<&str, usize> = limits
        .iter()
        .enumerate()
        .map(|(i, l)| (l.id.as_str(), i))
        .collect();
    for (i, e) in spec.common_errors.iter().enumerate() {
        let path = format!("common_errors[{i}]");
        let const_name = e.id.to_shouty_snake_case();
        if !is_shouty_ident(&const_name) {
            cx.error(
                format!("{path}.id"),
                format!("id `{}` gives no usable Rust name", e.id),
                "use a snake_case id",
            );
            continue;
        }
        if let Some(first) = seen.insert(const_name.clone(), i) {
            cx.error(
                format!("{path}.id"),
                format!("`{}` collides with `common_errors[{first}].id`", e.id),
                "give each entry its own id",
            );
            continue;
        }
        let codes = code_refs(&e.codes, code_index, &format!("{path}.codes"), cx);
        let limit = e.limit.as_ref().and_then(|id| {
            let found = limit_index.get(id.as_str()).copied();
            if found.is_none() {
                cx.error(
                    format!("{path}.limit"),
                    format!("limit `{id}` is not defined"),
                    help_known("limit", limits.iter().map(|l| &l.id)),
                );
            }
            found
        });
        check_inferred(&e.inferred, COMMON_ERROR_FIELDS, &path, cx);
        out.push(ir::CommonError {
            id: e.id.clone(),
            const_name,
            title: e.title.clone(),
            solution: e.solution.clone(),
            codes,
            limit,
            inferred: e.inferred.clone(),
        });
    }
    out
}

fn check_inferred(inferred: &[String], allowed: &[&str], path: &str, cx: &mut Ctxt) {
    for (j, field) in inferred.iter().enumerate() {
        if !allowed.contains(&field.as_str()) {
            cx.error(
                format!("{path}.inferred[{j}]"),
                format!("`{field}` is not a field that can be inferred here"),
                format!("choose from: {}", allowed.join(", ")),
            );
        }
    }
}

/// A duration such as `1s`, `500ms`, `1m` or `1h`, in milliseconds.
pub(crate) fn duration_ms(value: &Scalar, path: &str, cx: &mut Ctxt) -> Option<u64> {
    const HELP: &str = "write a whole number with a unit: `ms`, `s`, `m` or `h`, e.g. `1s`";
    let text = match value {
        Scalar::Str(s) => s.trim(),
        other => {
            cx.error(path, format!("duration `{other}` has no unit"), HELP);
            return None;
        }
    };
    if text.starts_with('-') {
        cx.error(
            path,
            format!("negative duration `{text}`"),
            "durations are zero or more; write e.g. `1s`",
        );
        return None;
    }
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let (amount, unit) = text.split_at(digits);
    let factor: u64 = match unit.trim() {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        _ => {
            cx.error(path, format!("`{text}` is not a duration"), HELP);
            return None;
        }
    };
    match amount
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(factor))
    {
        Some(ms) if ms <= 86_400_000 * 365 => Some(ms),
        Some(_) | None if !amount.is_empty() => {
            cx.error(
                path,
                format!("duration `{text}` is too long"),
                "keep durations under a year",
            );
            None
        }
        _ => {
            cx.error(path, format!("`{text}` is not a duration"), HELP);
            None
        }
    }
}

fn number(value: &Scalar, path: &str, cx: &mut Ctxt) -> Option<f64> {
    match value {
        Scalar::Int(n) => Some(*n as f64),
        Scalar::Float(x) if x.is_finite() => Some(*x),
        other => {
            cx.error(
                path,
                format!("`{other}` is not a finite number"),
                "write a number such as `2` or `1.5`",
            );
            None
        }
    }
}

fn format_ms(ms: u64) -> String {
    if ms % 1000 == 0 {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

/// The variant name derived from a wire code: UpperCamelCase, prefixed when it would start
/// with a digit, suffixed when it is a keyword or reserved.
pub(crate) fn variant_for(wire: &str) -> Option<String> {
    let camel = wire.to_upper_camel_case();
    if camel.is_empty() || !camel.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let name = if camel.starts_with(|c: char| c.is_ascii_digit()) {
        format!("Code{camel}")
    } else if KEYWORDS.contains(&camel.as_str()) || RESERVED_CODE_VARIANTS.contains(&camel.as_str())
    {
        format!("{camel}Code")
    } else {
        camel
    };
    Some(name)
}

/// The Rust field name of an envelope field: snake_case, ASCII only (non-ASCII identifiers
/// draw `confusable` lints in the user's crate), never a keyword, never `_` and never starting
/// with a digit.
fn field_ident(name: &str) -> String {
    let snake: String = name
        .to_snake_case()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if KEYWORDS.contains(&snake.as_str()) {
        format!("{snake}_")
    } else if snake.starts_with(|c: char| c.is_ascii_digit()) || snake.is_empty() || snake == "_" {
        format!("field_{snake}")
    } else {
        snake
    }
}

/// `Self` has the shape but is a keyword, which no variant can be named.
fn is_camel_ident(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.chars().all(|c| c.is_ascii_alphanumeric())
        && s != "Self"
}

fn is_shouty_ident(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_uppercase())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

fn is_snake_ident(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !KEYWORDS.contains(&s)
}

fn suggest_snake(s: &str) -> String {
    let snake = s.to_snake_case();
    if is_snake_ident(&snake) {
        snake
    } else {
        format!("api_{snake}")
    }
}

/// The help for an undefined name. It lists a few defined names only: one line per problem,
/// however many names a spec defines.
fn help_known<S: AsRef<str>>(what: &str, known: impl IntoIterator<Item = S>) -> String {
    let mut names: Vec<String> = known
        .into_iter()
        .take(MAX_HELP_NAMES + 1)
        .map(|s| format!("`{}`", s.as_ref()))
        .collect();
    let more = names.len() > MAX_HELP_NAMES;
    names.truncate(MAX_HELP_NAMES);
    if names.is_empty() {
        format!("no {what} is defined yet; define it first")
    } else if more {
        format!("define it, or use one of: {}, ...", names.join(", "))
    } else {
        format!("define it, or use one of: {}", names.join(", "))
    }
}
