//! Each validation rule: the error names file:line:column, the YAML path, what is wrong and a
//! fix, and all errors of a file are reported together.

use errspec_codegen::{parse, Diagnostic};

/// A valid spec with one string code; tests splice their mistake into it.
const BASE: &str = "\
api:
  id: demo
  name: Demo API
  source: demo.txt
  code_type: string
envelopes:
  - id: plain
    code: { field: code, accepts: [string] }
    message: message
statuses:
  - { status: 400, name: Bad Request }
  - { status: 503, name: Service Unavailable, retry: transient }
retry:
  policies:
    transient: { initial: 1s, max_delay: 30s, max_attempts: 3 }
codes:
  - code: bad_input
    status: 400
    message: Bad input
";

fn errors(source: &str) -> Vec<Diagnostic> {
    match parse(source, "spec/demo.yaml") {
        Ok(api) => panic!("expected errors, the spec was accepted: {api:?}"),
        Err(diagnostics) => diagnostics.0,
    }
}

/// Asserts exactly one error, at `line:column` and `path`, whose message contains `message`.
#[track_caller]
fn assert_one(source: &str, line: usize, column: usize, path: &str, message: &str) -> Diagnostic {
    let errors = errors(source);
    assert_eq!(errors.len(), 1, "expected one error, got: {errors:#?}");
    let e = errors.into_iter().next().unwrap();
    assert_eq!((e.line, e.column), (line, column), "location of {e}");
    assert_eq!(e.path, path, "path of {e}");
    assert!(
        e.message.contains(message),
        "message of {e}: expected {message:?}"
    );
    assert!(
        e.help.as_deref().is_some_and(|h| !h.is_empty()),
        "no help in {e}"
    );
    assert_eq!(e.file, "spec/demo.yaml");
    e
}

fn with_codes(extra: &str) -> String {
    format!("{BASE}{extra}")
}

#[test]
fn base_spec_is_valid() {
    let api = parse(BASE, "spec/demo.yaml").expect("BASE is valid");
    assert_eq!(api.codes[0].variant, "BadInput");
    assert_eq!(api.file, "demo.yaml");
}

#[test]
fn duplicate_code_names_both_places() {
    let src = with_codes("  - code: bad_input\n    status: 400\n    message: Again\n");
    let e = assert_one(&src, 20, 11, "codes[1].code", "duplicate code `bad_input`");
    assert!(e.message.contains("codes[0].code"), "{e}");
}

#[test]
fn case_collision_after_conversion_names_both_codes() {
    let src = with_codes("  - code: BAD_INPUT\n    status: 400\n    message: Shouting\n");
    let e = assert_one(
        &src,
        20,
        11,
        "codes[1].code",
        "gives the variant `BadInput`",
    );
    assert!(e.message.contains("`bad_input` at `codes[0].code`"), "{e}");
    assert!(e.help.unwrap().contains("variant:"));
}

#[test]
fn keyword_and_digit_codes_still_make_identifiers() {
    let src = with_codes(
        "  - { code: self, status: 400, message: a }\n  - { code: Self_, status: 400, message: b }\n  - { code: type, status: 400, message: c }\n  - { code: 404_page, status: 400, message: d }\n  - { code: unknown, status: 400, message: e }\n",
    );
    let errors = errors(&src);
    // `self` and `Self_` both become `SelfCode`: the collision is reported, nothing panics.
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].message.contains("`SelfCode`"), "{}", errors[0]);
    let src = with_codes(
        "  - { code: self, status: 400, message: a }\n  - { code: type, status: 400, message: c }\n  - { code: 404_page, status: 400, message: d }\n  - { code: unknown, status: 400, message: e }\n",
    );
    let api = parse(&src, "demo.yaml").expect("valid");
    let variants: Vec<&str> = api.codes.iter().map(|c| c.variant.as_str()).collect();
    assert_eq!(
        variants,
        ["BadInput", "SelfCode", "Type", "Code404Page", "UnknownCode"]
    );
    let wires: Vec<&str> = api.codes.iter().map(|c| c.wire.as_str()).collect();
    assert_eq!(wires, ["bad_input", "self", "type", "404_page", "unknown"]);
}

#[test]
fn symbol_only_code_asks_for_a_variant() {
    let src = with_codes("  - { code: \"≥\", status: 400, message: a }\n");
    assert_one(
        &src,
        20,
        13,
        "codes[1].code",
        "no Rust variant name can be made from code `≥`",
    );
}

#[test]
fn empty_code_is_rejected() {
    let src = with_codes("  - { code: \"\", status: 400, message: a }\n");
    assert_one(&src, 20, 13, "codes[1].code", "empty code");
}

#[test]
fn unknown_status_on_a_code() {
    let src = with_codes("  - { code: teapot, status: 418, message: a }\n");
    let e = assert_one(
        &src,
        20,
        29,
        "codes[1].status",
        "status 418 is not among the documented `statuses`",
    );
    assert!(e.help.unwrap().contains("add 418 to `statuses:`"));
}

#[test]
fn status_outside_three_digits() {
    let src = BASE.replace(
        "{ status: 400, name: Bad Request }",
        "{ status: 1000, name: Bad Request }",
    );
    let errors = errors(&src);
    // The status table entry and the code that refers to 400 are both reported.
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_eq!((errors[0].line, errors[0].column), (11, 15));
    assert_eq!(errors[0].path, "statuses[0].status");
    assert!(errors[0].message.contains("status 1000 is outside 100–999"));
    assert_eq!(errors[1].path, "codes[0].status");
}

#[test]
fn status_written_as_a_float_is_named_as_written() {
    let src = BASE.replace(
        "    status: 400\n    message: Bad input",
        "    status: 2.5e-139\n    message: Bad input",
    );
    assert_one(
        &src,
        18,
        13,
        "codes[0].status",
        "status `2.5e-139` is not a whole number",
    );
}

#[test]
fn status_that_is_not_a_number() {
    let src = BASE.replace(
        "    status: 400\n    message: Bad input",
        "    status: \"400\"\n    message: Bad input",
    );
    assert_one(
        &src,
        18,
        13,
        "codes[0].status",
        "status `400` is not a number",
    );
}

#[test]
fn undefined_category() {
    let src = with_codes("  - { code: other, status: 400, message: a, category: billing }\n");
    let e = assert_one(
        &src,
        20,
        55,
        "codes[1].category",
        "category `billing` is not defined",
    );
    assert!(e.help.unwrap().contains("no category is defined yet"));
}

#[test]
fn undefined_policy_lists_the_known_ones() {
    let src = with_codes("  - { code: other, status: 400, message: a, retry: slow }\n");
    let e = assert_one(
        &src,
        20,
        52,
        "codes[1].retry",
        "retry policy `slow` is not defined",
    );
    assert!(e.help.unwrap().contains("`transient`"));
}

#[test]
fn undefined_extends() {
    let src = BASE.replace(
        "    transient: { initial: 1s, max_delay: 30s, max_attempts: 3 }\n",
        "    transient: { initial: 1s, max_delay: 30s, max_attempts: 3 }\n    slow: { extends: glacial }\n",
    );
    assert_one(
        &src,
        16,
        22,
        "retry.policies.slow.extends",
        "policy `glacial` is not defined",
    );
}

#[test]
fn zero_attempts() {
    let src = BASE.replace("max_attempts: 3", "max_attempts: 0");
    assert_one(
        &src,
        15,
        61,
        "retry.policies.transient.max_attempts",
        "`0` is not a number of attempts",
    );
}

#[test]
fn initial_longer_than_max_delay() {
    let src = BASE.replace("initial: 1s, max_delay: 30s", "initial: 1m, max_delay: 30s");
    let e = assert_one(
        &src,
        15,
        42,
        "retry.policies.transient.max_delay",
        "max_delay (30s) is shorter than initial (60s)",
    );
    assert!(e.help.unwrap().contains("at least `initial`"));
}

#[test]
fn negative_duration() {
    let src = BASE.replace("initial: 1s", "initial: -1s");
    assert_one(
        &src,
        15,
        27,
        "retry.policies.transient.initial",
        "negative duration `-1s`",
    );
}

#[test]
fn duration_without_unit_and_huge_float() {
    let src = BASE.replace(
        "initial: 1s, max_delay: 30s",
        "initial: 1, max_delay: 1e309",
    );
    let errors = errors(&src);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_eq!(errors[0].path, "retry.policies.transient.initial");
    assert!(errors[0].message.contains("duration `1` has no unit"));
    assert_eq!(errors[1].path, "retry.policies.transient.max_delay");
    assert!(
        errors[1].message.contains("`1e309` is not a duration"),
        "{}",
        errors[1]
    );
}

#[test]
fn multiplier_below_one() {
    let src = BASE.replace("initial: 1s,", "initial: 1s, multiplier: 0.5,");
    assert_one(
        &src,
        15,
        43,
        "retry.policies.transient.multiplier",
        "multiplier 0.5 is outside 1–1000",
    );
}

#[test]
fn extends_cycle() {
    let src = BASE.replace(
        "    transient: { initial: 1s, max_delay: 30s, max_attempts: 3 }\n",
        "    transient: { initial: 1s, max_delay: 30s, max_attempts: 3 }\n    a: { extends: b }\n    b: { extends: a }\n",
    );
    let errors = errors(&src);
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(
        errors.iter().all(|e| e.message.contains("extends itself")),
        "{errors:#?}"
    );
}

#[test]
fn unknown_field_is_located_with_its_path() {
    let src = BASE.replace("    message: Bad input\n", "    mesage: Bad input\n");
    let errors = errors(&src);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let e = &errors[0];
    assert_eq!(e.path, "codes[0]");
    assert!(e.message.starts_with("unknown field `mesage`"), "{e}");
    assert_eq!(e.line, 19);
}

#[test]
fn yaml_syntax_error_is_located() {
    let src = BASE.replace("  name: Demo API\n", "  name: Demo: API\n");
    let errors = errors(&src);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!((errors[0].line, errors[0].column), (3, 13), "{}", errors[0]);
    assert!(
        errors[0].help.as_deref().unwrap().contains("YAML syntax"),
        "{}",
        errors[0]
    );
}

#[test]
fn empty_file_says_so() {
    let errors = errors("");
    assert_eq!(errors[0].message, "the spec is empty");
    let errors2 = self::errors("{}");
    assert!(
        errors2[0].message.contains("missing field `api`"),
        "{}",
        errors2[0]
    );
}

#[test]
fn code_type_mismatch() {
    let src = BASE.replace("code_type: string", "code_type: integer");
    let e = assert_one(&src, 17, 11, "codes[0].code", "is not an integer");
    assert!(e.help.unwrap().contains("code_type: string"));
}

#[test]
fn alias_that_is_another_code_is_refused() {
    let src = with_codes(
        "  - code: other\n    status: 400\n    message: Other\n    errata:\n      - { field: code, page_shows: bad_input, alias: true, description: shown wrong }\n",
    );
    let e = assert_one(
        &src,
        24,
        54,
        "codes[1].errata[0].alias",
        "`bad_input` cannot be an alias",
    );
    assert!(e.message.contains("BadInput"));
}

#[test]
fn every_error_of_a_file_is_reported_at_once() {
    let src = with_codes(
        "  - { code: a, status: 418, message: a }\n  - { code: b, status: 400, message: b, category: nope }\n  - { code: bad_input, status: 400, message: c }\n",
    );
    let errors = errors(&src);
    let paths: Vec<&str> = errors.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        ["codes[1].status", "codes[2].category", "codes[3].code"]
    );
    // Sorted by position, each rendered as file:line:column.
    let rendered = errspec_codegen::Diagnostics(errors).to_string();
    assert!(
        rendered.starts_with("error: spec/demo.yaml:20:24: at `codes[1].status`: status 418"),
        "{rendered}"
    );
    assert!(rendered.ends_with("3 errors in spec"), "{rendered}");
}

#[test]
fn bad_api_id() {
    let src = BASE.replace("id: demo\n", "id: Demo-API\n");
    let e = assert_one(
        &src,
        2,
        7,
        "api.id",
        "`Demo-API` is not a valid Rust module name",
    );
    assert!(e.help.unwrap().contains("`demo_api`"));
}

#[test]
fn crlf_and_bom_give_the_same_model() {
    let crlf = format!("\u{feff}{}", BASE.replace('\n', "\r\n"));
    let a = parse(BASE, "demo.yaml").unwrap();
    let b = parse(&crlf, "demo.yaml").unwrap();
    assert_eq!(a, b);
}
