//! The JSON Schema of the spec format: generated from the serde model, checked in as
//! `spec/errspec.schema.json` and kept fresh, accepting the three specs and refusing what the
//! validator refuses where an editor can tell.

use std::path::{Path, PathBuf};

use errspec_codegen::schema;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn yaml(source: &str) -> serde_json::Value {
    serde_yaml::from_str(source).unwrap()
}

fn errors(instance: &serde_json::Value) -> Vec<String> {
    let validator = jsonschema::validator_for(&schema::schema()).unwrap();
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

const MINIMAL: &str = "
api: { id: t, name: T, source: s, code_type: integer }
envelopes: [{ id: e, code: { field: code, accepts: [integer] } }]
statuses: [{ status: 503, name: Unavailable, retry: p }]
retry: { policies: { p: { initial: 1s, max_attempts: 3 } } }
codes: [{ code: 50300, status: 503, message: m }]
";

#[test]
fn checked_in_schema_is_fresh() {
    let path = root().join("spec").join(schema::FILE_NAME);
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    let current = schema::json();
    if on_disk != current {
        std::fs::write(&path, &current).unwrap();
    }
    assert!(
        on_disk == current,
        "stale {} (now rewritten)\nrun `cargo run -p errspec-codegen --bin errspec -- schema --out spec/errspec.schema.json` and commit",
        path.display()
    );
}

#[test]
fn the_schema_is_byte_identical_across_runs() {
    assert_eq!(schema::json(), schema::json());
    assert!(schema::json().ends_with("}\n"));
}

#[test]
fn the_schema_is_a_valid_json_schema() {
    let schema = schema::schema();
    assert!(jsonschema::meta::is_valid(&schema));
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(schema["title"], "errspec spec");
}

#[test]
fn the_three_specs_validate_against_the_schema() {
    let specs = errspec_codegen::discover_specs(&root().join("spec")).unwrap();
    assert_eq!(specs.len(), 3);
    for spec in specs {
        let source = std::fs::read_to_string(&spec).unwrap();
        assert!(
            source.starts_with("# yaml-language-server: $schema=errspec.schema.json\n"),
            "{}",
            spec.display()
        );
        let found = errors(&yaml(&source));
        assert!(found.is_empty(), "{}: {found:#?}", spec.display());
    }
    assert!(errors(&yaml(MINIMAL)).is_empty());
}

#[test]
fn the_schema_refuses_what_an_editor_can_catch() {
    let cases = [
        ("api: { id: t", "api: { id: Bad-Id"),
        ("name: T,", "name: T, nme: typo,"),
        ("status: 503, name", "status: \"503\", name"),
        ("initial: 1s", "initial: 1.5s"),
        ("initial: 1s", "initial: 1"),
        ("max_attempts: 3", "max_attempts: 0"),
        ("code: 50300", "code: [50300]"),
        ("code_type: integer", "code_type: int"),
        ("message: m }", "message: m, inferred: [example] }"),
        ("accepts: [integer]", "accepts: [integer, float]"),
    ];
    for (from, to) in cases {
        assert!(MINIMAL.contains(from), "{from}");
        let broken = MINIMAL.replacen(from, to, 1);
        assert!(
            !errors(&yaml(&broken)).is_empty(),
            "the schema accepts `{to}`"
        );
        assert!(
            errspec_codegen::parse(&broken, "t.yaml").is_err(),
            "the validator accepts `{to}`"
        );
    }
}

#[test]
fn required_fields_are_required() {
    let schema = schema::schema();
    let required = |def: &str| -> Vec<String> {
        let node = if def.is_empty() {
            &schema["required"]
        } else {
            &schema["$defs"][def]["required"]
        };
        node.as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(required(""), ["api", "envelopes", "codes"]);
    assert_eq!(required("CodeEntry"), ["code", "message"]);
    assert_eq!(required("Erratum"), ["field", "page_shows", "description"]);
}

/// The allowed `inferred` names of each entry are those the validator allows: its error lists
/// them after `choose from:`.
#[test]
fn inferred_names_match_the_validator() {
    let schema = schema::schema();
    let cases = [
        (
            "StatusEntry",
            "retry: p }]",
            "retry: p, inferred: [bogus] }]",
        ),
        (
            "PolicyEntry",
            "max_attempts: 3 }",
            "max_attempts: 3, inferred: [bogus] }",
        ),
        (
            "CodeEntry",
            "message: m }",
            "message: m, inferred: [bogus] }",
        ),
        (
            "Category",
            "codes: [",
            "categories: [{ id: c, title: C, inferred: [bogus] }]\ncodes: [",
        ),
        (
            "LimitEntry",
            "codes: [",
            "limits: [{ id: l, max: 1, scope: s, description: d, inferred: [bogus] }]\ncodes: [",
        ),
        (
            "CommonErrorEntry",
            "codes: [",
            "common_errors: [{ id: c, title: t, solution: s, inferred: [bogus] }]\ncodes: [",
        ),
    ];
    for (def, from, to) in cases {
        let broken = MINIMAL.replacen(from, to, 1);
        let err = errspec_codegen::parse(&broken, "t.yaml")
            .unwrap_err()
            .to_string();
        let allowed: Vec<String> = err
            .split("choose from: ")
            .nth(1)
            .unwrap_or_else(|| panic!("{def}: {err}"))
            .lines()
            .next()
            .unwrap()
            .split(", ")
            .map(str::to_owned)
            .collect();
        let in_schema: Vec<String> = schema["$defs"][def]["properties"]["inferred"]["items"]
            ["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{def}: no enum"))
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(in_schema, allowed, "{def}");
    }
}

#[test]
fn a_scalar_is_a_string_a_number_or_a_boolean() {
    let scalar = schemars::schema_for!(errspec_codegen::spec::Scalar).to_value();
    let validator = jsonschema::validator_for(&scalar).unwrap();
    for ok in [
        serde_json::json!("1s"),
        serde_json::json!(40001),
        serde_json::json!(1.5),
        serde_json::json!(true),
    ] {
        assert!(validator.is_valid(&ok), "{ok}");
    }
    for bad in [
        serde_json::json!(null),
        serde_json::json!([1]),
        serde_json::json!({}),
    ] {
        assert!(!validator.is_valid(&bad), "{bad}");
    }
}
