//! The semver verdict of a catalog change, as the generated API sees it.
//!
//! [`diff`] compares two validated specs of one API and lists every change with the version
//! bump it calls for: **major** where code that compiled against the old module stops
//! compiling, or where old error bodies stop reading as they did (a code they carried no
//! longer parses to its variant); **minor** where the module gains items or its runtime
//! behaviour (retry numbers, limits) changes without breaking either; **patch** where only
//! text changes (messages, descriptions, solutions, docs).
//!
//! Codes are matched across the two versions by wire value and by variant (both, then the
//! wire value alone, then the variant alone), so that a renamed variant and a changed wire
//! value are each reported as what they are, not as one code removed and another added.
//! Statuses are matched by number then variant, categories, envelopes, limits and policies by
//! spec id then Rust name, common errors by id, errata by the part of the page and what it
//! shows.
//!
//! What each change is, and why, from what the generator emits:
//!
//! | change | verdict | why |
//! |---|---|---|
//! | code added | minor | `ErrorCode` is `#[non_exhaustive]`; its bodies parsed to `Unknown` before |
//! | code removed | major | its variant is gone, and its bodies parse to `Unknown` |
//! | code's variant renamed | major | the old `ErrorCode::Variant` no longer compiles |
//! | code's wire value changed | major | bodies with the old value no longer parse to the code |
//! | code's wire value changed, the old one kept as an alias | minor | old bodies still parse to it; `as_str`, `as_u32` and the docs anchor give the new value |
//! | alias added | minor | one more accepted wire value |
//! | alias removed | major | bodies with it parse to `Unknown` |
//! | code's status changed or lost | major | `status()` gives another `Status` or none, the error comes with another HTTP status |
//! | code gains a status (version 2: it had none) | minor | `status()` gave `None`: the module states more than before |
//! | code's severity changed | major | `severity()` and `is_error()` answer otherwise: a success code read as an error, or the reverse |
//! | code deprecated | minor | `#[deprecated]` warns users of the variant, which still compiles; no longer deprecated, its note or replacement: patch |
//! | code's causes, its own documentation address | patch | docs (`causes()`, `docs_url()`) |
//! | documentation address template added or removed | minor | `docs_url()` gives addresses, or none; changed: patch |
//! | spec format version, text format | patch | how the spec is written and its texts rendered |
//! | code's category changed (or gained, or lost) | major | `category()` gives another `Category`, a value callers match on |
//! | code's retry policy changed (its own or its status's) | minor | `retry_policy()` advises other waits: behaviour, not API |
//! | code's limit changed | minor | `limit()` names another limit |
//! | code's message, description, solution, example, envelope, inferred marks | patch | docs and text (`message()`, `solution()`); the envelope a code is documented in does not steer parsing |
//! | order of `ErrorCode::ALL` | patch | the documentation's order; `ErrorCode` is not `Ord` |
//! | status added | minor | `Status` is `#[non_exhaustive]` (its `Other` held the number before) |
//! | status removed | major | its variant is gone |
//! | status's variant renamed | major | the old `Status::Variant` no longer compiles |
//! | status's number changed | major | `code()` and `from_u16` answer for another number |
//! | status's retry policy changed | minor | behaviour |
//! | status's name, description, inferred marks; order of `Status::ALL` | patch | text; `Status` is not `Ord` |
//! | category added | major | `Category` is exhaustive: a `match` without a wildcard stops compiling |
//! | category removed, its variant renamed | major | the old variant no longer compiles |
//! | category's id changed | minor | `id()` returns another string |
//! | order of categories | minor | `Category` derives `Ord` from the order |
//! | category's title, description, inferred marks | patch | text |
//! | envelope added | minor | `Envelope` is `#[non_exhaustive]`; the `ENVELOPES` array grows (its length is in its type: read it as a slice, as `errspec::Api::ENVELOPES` does) |
//! | envelope removed, its variant renamed | major | the old variant no longer compiles; bodies of that shape no longer parse |
//! | envelope's root or code field changed | major | bodies of the old shape no longer parse |
//! | envelope's code no longer accepted as a JSON type | major | such bodies no longer parse; a newly accepted type is minor |
//! | envelope's message field changed or removed | major | old bodies' messages are no longer read; one added is minor |
//! | envelope field added or removed, its Rust type changed | major | the variant's fields are a public struct variant without `..`: patterns and constructors stop compiling |
//! | envelope field's documented JSON type changed, same Rust type | patch | `array`, `object` and `any` all read as `serde_json::Value` |
//! | order of an envelope's fields | patch | the variant's fields are named, not positional |
//! | envelope's id changed | minor | `EnvelopeDesc::id` gives another string |
//! | envelope's statuses, order of envelopes | minor | which envelope a body is read with when several fit: behaviour |
//! | envelope's or field's description, example | patch | docs |
//! | policy's `methods`, code's `not_processed` | minor | which requests an adapter sends again: behaviour |
//! | wait signals (`retry.signals`) or retry budget (`retry.budget`) changed | minor | `Api::SIGNALS` and `Api::BUDGET`: retry behaviour, not API |
//! | retry policy added | minor | a new `retry::` constant |
//! | retry policy removed, its constant renamed | major | the constant no longer compiles |
//! | retry policy's numbers (initial, multiplier, max delay, attempts, jitter, `Retry-After`), its name | minor | the constant's values: behaviour, not API |
//! | retry policy's description, inferred marks | patch | docs |
//! | limit added | minor | a new `limits::` constant |
//! | limit removed, its constant renamed | major | the constant no longer compiles |
//! | limit's maximum, window, id | minor | the constant's values |
//! | limit's scope, description, inferred marks | patch | text |
//! | common error added or removed | minor | an entry of the `COMMON_ERRORS` slice, no item of its own |
//! | common error's title, solution, codes, limit, inferred marks; their order | patch | docs |
//! | erratum added, removed or changed | patch | the docs' known discrepancies (an erratum that makes an alias is reported as the alias) |
//! | API id changed | major | it names the module file and `DOCS_PAGE`, where docs anchors point |
//! | code type changed (string, integer) | major | integer APIs have `from_u32`, `lookup_u32`, `as_u32`; wire values change form |
//! | forward-compatibility statement added | minor | `FORWARD_COMPATIBILITY` is emitted; removed: major, changed: patch |
//! | API name, source, URL, description | patch | the values of `API_NAME`, `SOURCE`, `SOURCE_URL` and docs: text |
//!
//! Not compared: the spec's file name (it names where the spec is kept, and appears only in
//! the generated header), the IR's target (always a module for a spec), a code's number (its
//! wire value), a limit's codes (each code's limit is compared), a common error's constant name
//! (not emitted) and whether an erratum is an alias (the code's aliases are compared).

use std::collections::{BTreeSet, HashMap, VecDeque};
use std::fmt;

use crate::ir::{self, FieldType};

/// How large a version bump a change calls for, lowest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// Text and docs only.
    Patch,
    /// New items, or behaviour that changes without breaking code or parsing.
    Minor,
    /// Code that compiled may not, or old error bodies no longer read as they did.
    Major,
}

impl Verdict {
    /// `major`, `minor` or `patch`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Patch => "patch",
            Verdict::Minor => "minor",
            Verdict::Major => "major",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One change between two versions of a spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The bump it calls for.
    pub verdict: Verdict,
    /// One line naming what changed (the code, status or other entry, and its Rust item) and
    /// how.
    pub description: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.verdict, self.description)
    }
}

/// Every change between two versions of a spec: major ones first, then minor, then patch;
/// within a verdict in the order of the spec (API, envelopes, statuses, categories, policies,
/// codes, limits, common errors, errata), entries in the old version's order and added ones
/// after them in the new version's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diff {
    /// The changes.
    pub changes: Vec<Change>,
}

impl Diff {
    /// The highest verdict of any change; `None` when nothing changed.
    pub fn verdict(&self) -> Option<Verdict> {
        self.changes.iter().map(|c| c.verdict).max()
    }

    /// How many changes have this verdict.
    pub fn count(&self, verdict: Verdict) -> usize {
        self.changes.iter().filter(|c| c.verdict == verdict).count()
    }

    /// Whether the two versions are the same as far as the generated API is concerned.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// The changes from `old` to `new`.
pub fn diff(old: &ir::Api, new: &ir::Api) -> Diff {
    let mut out = Out::default();
    api(&mut out, old, new);
    envelopes(&mut out, old, new);
    statuses(&mut out, old, new);
    categories(&mut out, old, new);
    policies(&mut out, old, new);
    codes(&mut out, old, new);
    limits(&mut out, old, new);
    common_errors(&mut out, old, new);
    errata(&mut out, old, new);
    // A stable sort: within a verdict the order above is kept.
    out.changes.sort_by_key(|c| std::cmp::Reverse(c.verdict));
    Diff {
        changes: out.changes,
    }
}

/// The changes found so far.
#[derive(Default)]
struct Out {
    changes: Vec<Change>,
}

impl Out {
    fn push(&mut self, verdict: Verdict, description: String) {
        self.changes.push(Change {
            verdict,
            description,
        });
    }

    /// The comparisons of one entry, each change named after `subject`.
    fn entry(&mut self, subject: String) -> Entry<'_> {
        Entry { out: self, subject }
    }
}

/// The comparisons of one matched entry: each field is one call.
struct Entry<'a> {
    out: &'a mut Out,
    subject: String,
}

impl Entry<'_> {
    /// `subject: what`.
    fn push(&mut self, verdict: Verdict, what: impl fmt::Display) {
        let description = format!("{}: {what}", self.subject);
        self.out.push(verdict, description);
    }

    /// A value shown in the change: `what changed from `a` to `b``.
    fn value<T: PartialEq + fmt::Display>(&mut self, verdict: Verdict, what: &str, old: T, new: T) {
        if old != new {
            self.push(verdict, format!("{what} changed from `{old}` to `{new}`"));
        }
    }

    /// A Rust name that changed: the old item no longer compiles.
    fn renamed(&mut self, what: &str, old: String, new: String) {
        if old != new {
            self.push(
                Verdict::Major,
                format!("{what} renamed from `{old}` to `{new}`"),
            );
        }
    }

    /// An optional value: added, removed or changed, each with its own verdict.
    fn option<T: PartialEq + fmt::Display>(
        &mut self,
        [added, removed, changed]: [Verdict; 3],
        what: &str,
        old: Option<T>,
        new: Option<T>,
    ) {
        match (old, new) {
            (None, Some(n)) => self.push(added, format!("{what} `{n}` added")),
            (Some(o), None) => self.push(removed, format!("{what} `{o}` removed")),
            (Some(o), Some(n)) => self.value(changed, what, o, n),
            (None, None) => {}
        }
    }

    /// Text, not quoted in the change (it may be long): patch.
    fn text(&mut self, what: &str, old: Option<&str>, new: Option<&str>) {
        match (old, new) {
            (None, Some(_)) => self.push(Verdict::Patch, format!("{what} added")),
            (Some(_), None) => self.push(Verdict::Patch, format!("{what} removed")),
            (Some(o), Some(n)) if o != n => self.push(Verdict::Patch, format!("{what} changed")),
            _ => {}
        }
    }

    /// The fields the page does not state: patch.
    fn inferred(&mut self, old: &[String], new: &[String]) {
        if old != new {
            self.push(
                Verdict::Patch,
                format!(
                    "fields marked inferred changed from [{}] to [{}]",
                    old.join(", "),
                    new.join(", ")
                ),
            );
        }
    }
}

/// How the entries of two lists correspond.
struct Matching {
    /// `(old, new)` index pairs, in the old list's order.
    pairs: Vec<(usize, usize)>,
    /// Old entries without a counterpart, in order.
    removed: Vec<usize>,
    /// New entries without a counterpart, in order.
    added: Vec<usize>,
}

/// A key an entry is matched by; `None` when the entry has none.
type Key<'a, T> = &'a dyn Fn(&T) -> Option<String>;

/// Pairs the entries of `old` and `new`: by the first key, then those left by the next one.
/// Entries that share a key (errata may) are paired in their order.
fn matching<T>(old: &[T], new: &[T], keys: &[Key<'_, T>]) -> Matching {
    let mut counterpart: Vec<Option<usize>> = vec![None; old.len()];
    let mut taken = vec![false; new.len()];
    for key in keys {
        let mut free: HashMap<String, VecDeque<usize>> = HashMap::new();
        for (j, entry) in new.iter().enumerate() {
            if let (false, Some(k)) = (taken[j], key(entry)) {
                free.entry(k).or_default().push_back(j);
            }
        }
        for (i, entry) in old.iter().enumerate() {
            if counterpart[i].is_some() {
                continue;
            }
            let next = key(entry).and_then(|k| free.get_mut(&k)?.pop_front());
            if let Some(j) = next {
                counterpart[i] = Some(j);
                taken[j] = true;
            }
        }
    }
    Matching {
        pairs: counterpart
            .iter()
            .enumerate()
            .filter_map(|(i, j)| Some((i, (*j)?)))
            .collect(),
        removed: (0..old.len())
            .filter(|&i| counterpart[i].is_none())
            .collect(),
        added: (0..new.len()).filter(|&j| !taken[j]).collect(),
    }
}

impl Matching {
    /// Whether the entries both versions have are in another order.
    fn reordered(&self) -> bool {
        self.pairs.windows(2).any(|w| w[0].1 > w[1].1)
    }
}

/// The API-level facts.
fn api(out: &mut Out, old: &ir::Api, new: &ir::Api) {
    // Every field is named: one added to the IR stops this compiling until it is compared
    // (here or in its own function) or listed in the module docs as not compared.
    let ir::Api {
        file: _,
        id: _,
        name: _,
        source: _,
        url: _,
        description: _,
        code_type: _,
        forward_compatibility: _,
        version: _,
        text: _,
        docs_url: _,
        envelopes: _,
        statuses: _,
        categories: _,
        policies: _,
        signals,
        budget,
        codes: _,
        limits: _,
        common_errors: _,
        errata: _,
        target: _,
    } = old;
    let mut e = out.entry("API".to_owned());
    e.value(
        Verdict::Minor,
        "wait signals (`retry.signals`)",
        Described(signals),
        Described(&new.signals),
    );
    e.value(
        Verdict::Minor,
        "retry budget (`retry.budget`)",
        Described(budget),
        Described(&new.budget),
    );
    e.value(
        Verdict::Major,
        "id (the module's name, `DOCS_PAGE`)",
        &old.id,
        &new.id,
    );
    e.value(
        Verdict::Major,
        "code type",
        lower(old.code_type),
        lower(new.code_type),
    );
    e.text("name (`API_NAME`)", Some(&old.name), Some(&new.name));
    e.text("source (`SOURCE`)", Some(&old.source), Some(&new.source));
    e.text("URL (`SOURCE_URL`)", old.url.as_deref(), new.url.as_deref());
    e.text(
        "description",
        old.description.as_deref(),
        new.description.as_deref(),
    );
    e.value(
        Verdict::Patch,
        "spec format version",
        old.version,
        new.version,
    );
    e.value(
        Verdict::Patch,
        "text format (how the docs render the spec's texts)",
        lower(old.text),
        lower(new.text),
    );
    e.option(
        [Verdict::Minor, Verdict::Minor, Verdict::Patch],
        "documentation address template (`ErrorCode::docs_url`)",
        old.docs_url.as_deref(),
        new.docs_url.as_deref(),
    );
    match (&old.forward_compatibility, &new.forward_compatibility) {
        (None, Some(_)) => e.push(
            Verdict::Minor,
            "forward-compatibility statement added (`FORWARD_COMPATIBILITY`)",
        ),
        (Some(_), None) => e.push(
            Verdict::Major,
            "forward-compatibility statement removed (`FORWARD_COMPATIBILITY`)",
        ),
        (o, n) => e.text(
            "forward-compatibility statement (`FORWARD_COMPATIBILITY`)",
            o.as_deref(),
            n.as_deref(),
        ),
    }
}

fn envelopes(out: &mut Out, old: &ir::Api, new: &ir::Api) {
    let m = matching(
        &old.envelopes,
        &new.envelopes,
        &[&|e: &ir::Envelope| Some(e.id.clone()), &|e| {
            Some(e.variant.clone())
        }],
    );
    let subject = |e: &ir::Envelope| format!("envelope {} (Envelope::{})", e.id, e.variant);
    for &(i, j) in &m.pairs {
        let (o, n) = (&old.envelopes[i], &new.envelopes[j]);
        let ir::Envelope {
            id: _,
            variant: _,
            description: _,
            root: _,
            code_field: _,
            code_accepts: _,
            message_field: _,
            fields: _,
            statuses: _,
            example: _,
        } = o;
        let mut e = out.entry(subject(n));
        e.renamed(
            "variant",
            format!("Envelope::{}", o.variant),
            format!("Envelope::{}", n.variant),
        );
        e.value(Verdict::Minor, "id (`EnvelopeDesc::id`)", &o.id, &n.id);
        e.value(Verdict::Major, "root", dotted(&o.root), dotted(&n.root));
        e.value(Verdict::Major, "code field", &o.code_field, &n.code_field);
        for ty in &o.code_accepts {
            if !n.code_accepts.contains(ty) {
                e.push(
                    Verdict::Major,
                    format!("the code is no longer accepted as a JSON {}", lower(*ty)),
                );
            }
        }
        for ty in &n.code_accepts {
            if !o.code_accepts.contains(ty) {
                e.push(
                    Verdict::Minor,
                    format!("the code is now accepted as a JSON {}", lower(*ty)),
                );
            }
        }
        e.option(
            [Verdict::Minor, Verdict::Major, Verdict::Major],
            "message field",
            o.message_field.as_ref(),
            n.message_field.as_ref(),
        );
        envelope_fields(&mut e, n, &o.fields, &n.fields);
        if o.statuses != n.statuses {
            e.push(
                Verdict::Minor,
                format!(
                    "statuses it is documented for changed from {} to {}",
                    status_list(&o.statuses),
                    status_list(&n.statuses)
                ),
            );
        }
        e.text(
            "description",
            o.description.as_deref(),
            n.description.as_deref(),
        );
        e.text("example", o.example.as_deref(), n.example.as_deref());
    }
    for &i in &m.removed {
        out.push(
            Verdict::Major,
            format!("{} removed", subject(&old.envelopes[i])),
        );
    }
    for &j in &m.added {
        out.push(
            Verdict::Minor,
            format!("{} added", subject(&new.envelopes[j])),
        );
    }
    if m.reordered() {
        out.push(
            Verdict::Minor,
            "envelopes reordered: the parser tries them in the new order (`ENVELOPES`)".to_owned(),
        );
    }
}

/// The documented fields of a matched envelope, matched by JSON name.
fn envelope_fields(
    e: &mut Entry<'_>,
    envelope: &ir::Envelope,
    old: &[ir::EnvelopeField],
    new: &[ir::EnvelopeField],
) {
    let m = matching(old, new, &[&|f: &ir::EnvelopeField| Some(f.name.clone())]);
    let item = |f: &ir::EnvelopeField| {
        format!(
            "field {} (Envelope::{} {{ {}: {} }})",
            f.name,
            envelope.variant,
            f.ident,
            rust_field_type(f.ty)
        )
    };
    for &(i, j) in &m.pairs {
        let (o, n) = (&old[i], &new[j]);
        let ir::EnvelopeField {
            name: _,
            ident: _,
            ty: _,
            description: _,
        } = o;
        if o.ident != n.ident || rust_field_type(o.ty) != rust_field_type(n.ty) {
            e.push(
                Verdict::Major,
                format!("{} changed to {}", item(o), item(n)),
            );
        } else if o.ty != n.ty {
            e.push(
                Verdict::Patch,
                format!(
                    "field {}'s documented type changed from {} to {}, read as the same Rust type",
                    n.name,
                    lower(o.ty),
                    lower(n.ty)
                ),
            );
        }
        e.text(
            &format!("field {}'s description", n.name),
            o.description.as_deref(),
            n.description.as_deref(),
        );
    }
    for &i in &m.removed {
        e.push(Verdict::Major, format!("{} removed", item(&old[i])));
    }
    for &j in &m.added {
        e.push(Verdict::Major, format!("{} added", item(&new[j])));
    }
    if m.reordered() {
        e.push(Verdict::Patch, "fields reordered");
    }
}

/// The Rust type the generated `Envelope` gives a documented field.
fn rust_field_type(ty: FieldType) -> &'static str {
    match ty {
        FieldType::String => "Option<String>",
        FieldType::Integer => "Option<i64>",
        FieldType::Boolean => "Option<bool>",
        FieldType::Array | FieldType::Object | FieldType::Any => "Option<serde_json::Value>",
    }
}

fn statuses(out: &mut Out, old: &ir::Api, new: &ir::Api) {
    let m = matching(
        &old.statuses,
        &new.statuses,
        &[&|s: &ir::Status| Some(s.number.to_string()), &|s| {
            s.variant.clone()
        }],
    );
    for &(i, j) in &m.pairs {
        let (o, n) = (&old.statuses[i], &new.statuses[j]);
        let ir::Status {
            number: _,
            name: _,
            variant: _,
            description: _,
            retry: _,
            inferred: _,
        } = o;
        let mut e = out.entry(status_subject(n));
        e.value(Verdict::Major, "number", o.number, n.number);
        let variant = |s: &ir::Status| s.variant.as_ref().map(|v| format!("Status::{v}"));
        match (variant(o), variant(n)) {
            (Some(a), Some(b)) => e.renamed("variant", a, b),
            (a, b) => e.option([Verdict::Major; 3], "variant", a, b),
        }
        e.option(
            [Verdict::Minor; 3],
            "retry policy",
            o.retry.map(|p| &old.policies[p].name),
            n.retry.map(|p| &new.policies[p].name),
        );
        e.text("name", Some(&o.name), Some(&n.name));
        e.text(
            "description",
            o.description.as_deref(),
            n.description.as_deref(),
        );
        e.inferred(&o.inferred, &n.inferred);
    }
    for &i in &m.removed {
        out.push(
            Verdict::Major,
            format!("{} removed", status_subject(&old.statuses[i])),
        );
    }
    for &j in &m.added {
        out.push(
            Verdict::Minor,
            format!("{} added", status_subject(&new.statuses[j])),
        );
    }
    if m.reordered() {
        out.push(
            Verdict::Patch,
            "statuses reordered (`Status::ALL`)".to_owned(),
        );
    }
}

fn status_subject(s: &ir::Status) -> String {
    match &s.variant {
        Some(v) => format!("status {} (Status::{v})", s.number),
        None => format!("status {}", s.number),
    }
}

fn categories(out: &mut Out, old: &ir::Api, new: &ir::Api) {
    let m = matching(
        &old.categories,
        &new.categories,
        &[&|c: &ir::Category| Some(c.id.clone()), &|c| {
            Some(c.variant.clone())
        }],
    );
    let subject = |c: &ir::Category| format!("category {} (Category::{})", c.id, c.variant);
    for &(i, j) in &m.pairs {
        let (o, n) = (&old.categories[i], &new.categories[j]);
        let ir::Category {
            id: _,
            variant: _,
            title: _,
            description: _,
            inferred: _,
        } = o;
        let mut e = out.entry(subject(n));
        e.renamed(
            "variant",
            format!("Category::{}", o.variant),
            format!("Category::{}", n.variant),
        );
        e.value(Verdict::Minor, "id (`Category::id`)", &o.id, &n.id);
        e.text("title", Some(&o.title), Some(&n.title));
        e.text(
            "description",
            o.description.as_deref(),
            n.description.as_deref(),
        );
        e.inferred(&o.inferred, &n.inferred);
    }
    for &i in &m.removed {
        out.push(
            Verdict::Major,
            format!("{} removed", subject(&old.categories[i])),
        );
    }
    for &j in &m.added {
        out.push(
            Verdict::Major,
            format!(
                "{} added: `Category` is exhaustive, a match on it without a wildcard no \
                 longer compiles",
                subject(&new.categories[j])
            ),
        );
    }
    if m.reordered() {
        out.push(
            Verdict::Minor,
            "categories reordered: `Category`'s `Ord` follows the order".to_owned(),
        );
    }
}

fn policies(out: &mut Out, old: &ir::Api, new: &ir::Api) {
    let m = matching(
        &old.policies,
        &new.policies,
        &[&|p: &ir::Policy| Some(p.name.clone()), &|p| {
            Some(p.const_name.clone())
        }],
    );
    let subject = |p: &ir::Policy| format!("retry policy {} (retry::{})", p.name, p.const_name);
    for &(i, j) in &m.pairs {
        let (o, n) = (&old.policies[i], &new.policies[j]);
        let ir::Policy {
            name: _,
            const_name: _,
            description: _,
            initial_ms: _,
            multiplier: _,
            max_delay_ms: _,
            max_attempts: _,
            jitter: _,
            retry_after: _,
            methods,
            inferred: _,
        } = o;
        let mut e = out.entry(subject(n));
        let resends = |m: &Option<Vec<String>>| match m {
            None => "the idempotent methods".to_owned(),
            Some(list) => list.join(", "),
        };
        e.value(
            Verdict::Minor,
            "methods it may resend",
            resends(methods),
            resends(&n.methods),
        );
        e.renamed(
            "constant",
            format!("retry::{}", o.const_name),
            format!("retry::{}", n.const_name),
        );
        e.value(Verdict::Minor, "name", &o.name, &n.name);
        e.value(
            Verdict::Minor,
            "initial delay",
            ms(o.initial_ms),
            ms(n.initial_ms),
        );
        e.value(Verdict::Minor, "multiplier", o.multiplier, n.multiplier);
        e.value(
            Verdict::Minor,
            "max delay",
            ms(o.max_delay_ms),
            ms(n.max_delay_ms),
        );
        e.value(
            Verdict::Minor,
            "max attempts",
            o.max_attempts,
            n.max_attempts,
        );
        e.value(Verdict::Minor, "jitter", lower(o.jitter), lower(n.jitter));
        match (&o.retry_after, &n.retry_after) {
            (None, Some(_)) => e.push(Verdict::Minor, "now honours Retry-After"),
            (Some(_), None) => e.push(Verdict::Minor, "no longer honours Retry-After"),
            (Some(a), Some(b)) => {
                let ir::RetryAfter {
                    header: _,
                    default_ms: _,
                    cap_ms: _,
                } = a;
                e.value(Verdict::Minor, "Retry-After header", &a.header, &b.header);
                e.value(
                    Verdict::Minor,
                    "Retry-After default",
                    ms(a.default_ms),
                    ms(b.default_ms),
                );
                e.value(
                    Verdict::Minor,
                    "Retry-After cap",
                    ms(a.cap_ms),
                    ms(b.cap_ms),
                );
            }
            (None, None) => {}
        }
        e.text(
            "description",
            o.description.as_deref(),
            n.description.as_deref(),
        );
        e.inferred(&o.inferred, &n.inferred);
    }
    for &i in &m.removed {
        out.push(
            Verdict::Major,
            format!("{} removed", subject(&old.policies[i])),
        );
    }
    for &j in &m.added {
        out.push(
            Verdict::Minor,
            format!("{} added", subject(&new.policies[j])),
        );
    }
    // Policies are kept by name: their order is not the spec's.
}

fn codes(out: &mut Out, old: &ir::Api, new: &ir::Api) {
    let m = matching(
        &old.codes,
        &new.codes,
        &[
            &|c: &ir::Code| Some(format!("{}\0{}", c.wire, c.variant)),
            &|c| Some(c.wire.clone()),
            &|c| Some(c.variant.clone()),
        ],
    );
    let subject = |c: &ir::Code| format!("code {} (ErrorCode::{})", c.wire, c.variant);
    for &(i, j) in &m.pairs {
        let (o, n) = (&old.codes[i], &new.codes[j]);
        let ir::Code {
            wire: _,
            number: _,
            variant: _,
            status: _,
            category: _,
            message: _,
            description: _,
            solution: _,
            envelope: _,
            retry: _,
            example: _,
            inferred: _,
            aliases: _,
            limit: _,
            severity: _,
            causes: _,
            docs_url: _,
            deprecated: _,
            not_processed,
        } = o;
        let mut e = out.entry(subject(n));
        e.value(
            Verdict::Minor,
            "means the request was not processed",
            not_processed,
            &n.not_processed,
        );
        e.renamed(
            "variant",
            format!("ErrorCode::{}", o.variant),
            format!("ErrorCode::{}", n.variant),
        );
        let accepted = |c: &ir::Code| -> BTreeSet<String> {
            std::iter::once(&c.wire)
                .chain(&c.aliases)
                .cloned()
                .collect()
        };
        let (was, is) = (accepted(o), accepted(n));
        if o.wire != n.wire {
            if is.contains(&o.wire) {
                e.push(
                    Verdict::Minor,
                    format!(
                        "wire value changed from `{}` to `{}`; `{}` is still accepted as an alias",
                        o.wire, n.wire, o.wire
                    ),
                );
            } else {
                e.push(
                    Verdict::Major,
                    format!(
                        "wire value changed from `{}` to `{}`: bodies with `{}` no longer parse \
                         to it",
                        o.wire, n.wire, o.wire
                    ),
                );
            }
        }
        for alias in o.aliases.iter().filter(|a| !is.contains(*a)) {
            e.push(
                Verdict::Major,
                format!("alias `{alias}` removed: bodies with it no longer parse to the code"),
            );
        }
        for alias in n.aliases.iter().filter(|a| !was.contains(*a)) {
            e.push(Verdict::Minor, format!("alias `{alias}` added"));
        }
        e.option(
            [Verdict::Minor, Verdict::Major, Verdict::Major],
            "status",
            code_status(old, o),
            code_status(new, n),
        );
        e.value(
            Verdict::Major,
            "severity (`ErrorCode::severity`, `is_error`)",
            o.severity.name(),
            n.severity.name(),
        );
        match (&o.deprecated, &n.deprecated) {
            (None, Some(_)) => e.push(Verdict::Minor, "deprecated (`#[deprecated]`)"),
            (Some(_), None) => e.push(Verdict::Patch, "no longer deprecated"),
            (Some(a), Some(b)) => {
                e.text("deprecation note", a.note.as_deref(), b.note.as_deref());
                e.option(
                    [Verdict::Patch; 3],
                    "replacement (`ErrorCode::replacement`)",
                    a.replaced_by.map(|r| &old.codes[r].wire),
                    b.replaced_by.map(|r| &new.codes[r].wire),
                );
            }
            (None, None) => {}
        }
        if o.causes != n.causes {
            e.push(Verdict::Patch, "causes changed");
        }
        e.text(
            "documentation address (`ErrorCode::docs_url`)",
            o.docs_url.as_deref(),
            n.docs_url.as_deref(),
        );
        e.option(
            [Verdict::Major; 3],
            "category",
            o.category
                .map(|c| format!("Category::{}", old.categories[c].variant)),
            n.category
                .map(|c| format!("Category::{}", new.categories[c].variant)),
        );
        e.option(
            [Verdict::Minor; 3],
            "retry policy",
            old.effective_retry(o).map(|p| &old.policies[p].name),
            new.effective_retry(n).map(|p| &new.policies[p].name),
        );
        e.option(
            [Verdict::Minor; 3],
            "limit",
            o.limit.map(|l| &old.limits[l].id),
            n.limit.map(|l| &new.limits[l].id),
        );
        e.option(
            [Verdict::Patch; 3],
            "documented envelope",
            o.envelope.map(|x| &old.envelopes[x].id),
            n.envelope.map(|x| &new.envelopes[x].id),
        );
        e.text("message", Some(&o.message), Some(&n.message));
        e.text(
            "description",
            o.description.as_deref(),
            n.description.as_deref(),
        );
        e.text("solution", o.solution.as_deref(), n.solution.as_deref());
        e.text("example", o.example.as_deref(), n.example.as_deref());
        e.inferred(&o.inferred, &n.inferred);
    }
    for &i in &m.removed {
        out.push(
            Verdict::Major,
            format!("{} removed", subject(&old.codes[i])),
        );
    }
    for &j in &m.added {
        out.push(Verdict::Minor, format!("{} added", subject(&new.codes[j])));
    }
    if m.reordered() {
        out.push(
            Verdict::Patch,
            "codes reordered (`ErrorCode::ALL`)".to_owned(),
        );
    }
}

/// The HTTP status a code is documented with.
fn code_status(api: &ir::Api, code: &ir::Code) -> Option<u16> {
    api.status_number(code)
}

fn limits(out: &mut Out, old: &ir::Api, new: &ir::Api) {
    let m = matching(
        &old.limits,
        &new.limits,
        &[&|l: &ir::Limit| Some(l.id.clone()), &|l| {
            Some(l.const_name.clone())
        }],
    );
    let subject = |l: &ir::Limit| format!("limit {} (limits::{})", l.id, l.const_name);
    for &(i, j) in &m.pairs {
        let (o, n) = (&old.limits[i], &new.limits[j]);
        let ir::Limit {
            id: _,
            const_name: _,
            max: _,
            per_ms: _,
            scope: _,
            description: _,
            codes: _,
            inferred: _,
        } = o;
        let mut e = out.entry(subject(n));
        e.renamed(
            "constant",
            format!("limits::{}", o.const_name),
            format!("limits::{}", n.const_name),
        );
        e.value(Verdict::Minor, "id", &o.id, &n.id);
        e.value(Verdict::Minor, "maximum", o.max, n.max);
        e.value(Verdict::Minor, "window", window(o.per_ms), window(n.per_ms));
        e.text("scope", Some(&o.scope), Some(&n.scope));
        e.text("description", Some(&o.description), Some(&n.description));
        e.inferred(&o.inferred, &n.inferred);
    }
    for &i in &m.removed {
        out.push(
            Verdict::Major,
            format!("{} removed", subject(&old.limits[i])),
        );
    }
    for &j in &m.added {
        out.push(Verdict::Minor, format!("{} added", subject(&new.limits[j])));
    }
    // Limits have no list of their own in the generated module: their order is not API.
}

fn common_errors(out: &mut Out, old: &ir::Api, new: &ir::Api) {
    let m = matching(
        &old.common_errors,
        &new.common_errors,
        &[&|c: &ir::CommonError| Some(c.id.clone())],
    );
    let subject = |c: &ir::CommonError| format!("common error {} (COMMON_ERRORS)", c.id);
    for &(i, j) in &m.pairs {
        let (o, n) = (&old.common_errors[i], &new.common_errors[j]);
        let ir::CommonError {
            id: _,
            const_name: _,
            title: _,
            solution: _,
            codes: _,
            limit: _,
            inferred: _,
        } = o;
        let mut e = out.entry(subject(n));
        e.text("title", Some(&o.title), Some(&n.title));
        e.text("solution", Some(&o.solution), Some(&n.solution));
        let wires = |api: &ir::Api, codes: &[usize]| {
            codes
                .iter()
                .map(|&c| api.codes[c].wire.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        e.value(
            Verdict::Patch,
            "related codes",
            format!("[{}]", wires(old, &o.codes)),
            format!("[{}]", wires(new, &n.codes)),
        );
        e.option(
            [Verdict::Patch; 3],
            "related limit",
            o.limit.map(|l| &old.limits[l].id),
            n.limit.map(|l| &new.limits[l].id),
        );
        e.inferred(&o.inferred, &n.inferred);
    }
    for &i in &m.removed {
        out.push(
            Verdict::Minor,
            format!("{} removed", subject(&old.common_errors[i])),
        );
    }
    for &j in &m.added {
        out.push(
            Verdict::Minor,
            format!("{} added", subject(&new.common_errors[j])),
        );
    }
    if m.reordered() {
        out.push(
            Verdict::Patch,
            "common errors reordered (`COMMON_ERRORS`)".to_owned(),
        );
    }
}

fn errata(out: &mut Out, old: &ir::Api, new: &ir::Api) {
    let key = |e: &ir::Erratum| Some(format!("{}\0{}", lower(e.field), e.page_shows));
    let m = matching(&old.errata, &new.errata, &[&key]);
    let subject = |e: &ir::Erratum| {
        format!(
            "erratum on the {} the page shows as `{}`",
            lower(e.field),
            e.page_shows
        )
    };
    for &(i, j) in &m.pairs {
        let (o, n) = (&old.errata[i], &new.errata[j]);
        let ir::Erratum {
            field: _,
            page_shows: _,
            description: _,
            codes: _,
            alias: _,
        } = o;
        let mut e = out.entry(subject(n));
        e.text("description", Some(&o.description), Some(&n.description));
        let wires = |api: &ir::Api, codes: &[usize]| {
            let wires: Vec<&str> = codes.iter().map(|&c| api.codes[c].wire.as_str()).collect();
            format!("[{}]", wires.join(", "))
        };
        e.value(
            Verdict::Patch,
            "codes",
            wires(old, &o.codes),
            wires(new, &n.codes),
        );
    }
    for &i in &m.removed {
        out.push(
            Verdict::Patch,
            format!("{} removed", subject(&old.errata[i])),
        );
    }
    for &j in &m.added {
        out.push(Verdict::Patch, format!("{} added", subject(&new.errata[j])));
    }
}

/// A spec enum's name as the spec writes it (`string`, `full`).
fn lower(value: impl fmt::Debug) -> String {
    format!("{value:?}").to_lowercase()
}

fn dotted(path: &[String]) -> String {
    if path.is_empty() {
        "(the body)".to_owned()
    } else {
        path.join(".")
    }
}

fn status_list(statuses: &[u16]) -> String {
    if statuses.is_empty() {
        return "any".to_owned();
    }
    let list: Vec<String> = statuses.iter().map(u16::to_string).collect();
    format!("[{}]", list.join(", "))
}

fn ms(value: u64) -> String {
    format!("{value} ms")
}

fn window(per_ms: Option<u64>) -> String {
    match per_ms {
        Some(ms) => format!("per {ms} ms"),
        None => "concurrent".to_owned(),
    }
}

/// A value compared by equality and shown by its `Debug` form.
#[derive(PartialEq)]
struct Described<'a, T>(&'a T);

impl<T: fmt::Debug> fmt::Display for Described<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}
