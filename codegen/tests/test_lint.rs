//! Spec quality warnings: each rule on a spec made to trip it, located like validation errors,
//! and silent on a spec that gives it no reason.

use errspec_codegen::lint::{lint, RULES};

const SPEC: &str = "\
api: { id: t, name: T, source: s, code_type: string }
envelopes: [{ id: e, code: { field: code, accepts: [string] } }]
statuses:
  - { status: 400, name: Bad Request, retry: again }
  - { status: 429, name: Too Many Requests, retry: again }
  - { status: 503, name: Unavailable }
  - { status: 504, name: Timeout }
retry:
  policies:
    again: { initial: 1s, max_attempts: 3 }
    spare: { initial: 1s, max_attempts: 3 }
    base: { initial: 1s, max_attempts: 3 }
    derived: { extends: base }
categories:
  - { id: used, title: Used }
  - { id: empty, title: Empty }
codes:
  - code: bad
    status: 400
    category: used
    message: m
    inferred: [status]
    errata:
      - { field: message, page_shows: x, description: \"  \" }
  - { code: conflict, status: 400, message: m, solution: s, retry: again }
  - { code: down, status: 503, message: m, solution: s }
  - { code: slow, status: 504, message: m, solution: s, retry: derived }
errata:
  - { field: heading, page_shows: y, description: \"\" }
";

#[test]
fn every_rule_fires_where_it_should() {
    let warnings = lint(SPEC, "t.yaml").unwrap();
    let found: Vec<(&str, &str, usize, usize)> = warnings
        .iter()
        .map(|w| {
            (
                w.rule,
                w.diagnostic.path.as_str(),
                w.diagnostic.line,
                w.diagnostic.column,
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("retry-on-client-error", "statuses[0].retry", 4, 46),
            ("transient-without-retry", "statuses[2]", 6, 5),
            ("unused-policy", "retry.policies.spare", 11, 12),
            ("empty-category", "categories[1]", 16, 5),
            ("missing-solution", "codes[0]", 18, 5),
            ("inferred-status", "codes[0].status", 19, 13),
            (
                "erratum-without-description",
                "codes[0].errata[0].description",
                24,
                55
            ),
            ("retry-on-client-error", "codes[1].retry", 25, 68),
            (
                "erratum-without-description",
                "errata[0].description",
                29,
                51
            ),
        ],
        "{warnings:#?}"
    );
    // Every rule is documented, and each was exercised above.
    for (rule, _) in RULES {
        assert!(found.iter().any(|f| f.0 == *rule), "{rule}");
    }
    let first = warnings[0].to_string();
    assert_eq!(
        first,
        "warning[retry-on-client-error]: t.yaml:4:46: at `statuses[0].retry`: status 400 is retried \
         with `again`, but a client error fails the same way again\n  help: retry only what the \
         page says may pass (408, 429, 5xx), or note why under `description`"
    );
}

#[test]
fn a_careful_spec_has_no_warnings() {
    let spec = "\
api: { id: t, name: T, source: s, code_type: integer }
envelopes: [{ id: e, code: { field: code, accepts: [integer] } }]
statuses:
  - { status: 408, name: Request Timeout, retry: again }
  - { status: 503, name: Unavailable, retry: again }
retry: { policies: { again: { initial: 1s, max_attempts: 3 } } }
categories: [{ id: server, title: Server }]
codes:
  - { code: 40800, status: 408, category: server, message: m, solution: s }
  - { code: 50300, status: 503, category: server, message: m, solution: s }
";
    assert_eq!(lint(spec, "t.yaml").unwrap(), []);
}

#[test]
fn an_invalid_spec_is_an_error_not_a_warning() {
    let err = lint("api: {}\n", "bad.yaml").unwrap_err();
    assert!(err.to_string().contains("bad.yaml:1:6"), "{err}");
}
