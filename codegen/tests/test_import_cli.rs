//! `errspec import` as a user runs it: a spec written to `--out` that `lint` accepts, a merge
//! into an existing spec that keeps its lines, and clear errors for what cannot be imported.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(kind: &str, name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(kind)
        .join(name)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("errspec-import-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn errspec(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_errspec"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn an_imported_model_is_a_spec_lint_accepts() {
    let dir = scratch("smithy");
    let model = fixture("smithy", "sqs-2012-11-05.json");
    let out = errspec(
        &dir,
        &[
            "import",
            "smithy",
            model.to_str().unwrap(),
            "--out",
            "spec/sqs.yaml",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("imported 28 codes"), "{stderr}");
    assert!(stderr.contains("wrote spec/sqs.yaml"), "{stderr}");
    let lint = errspec(&dir, &["lint", "spec/sqs.yaml"]);
    assert!(lint.status.success(), "{}", text(&lint.stderr));
    // A second run writes nothing new.
    let again = errspec(
        &dir,
        &[
            "import",
            "smithy",
            model.to_str().unwrap(),
            "--out",
            "spec/sqs.yaml",
        ],
    );
    assert!(text(&again.stderr).contains("spec/sqs.yaml is up to date"));
    // Without --out, the spec goes to stdout.
    let printed = errspec(&dir, &["import", "smithy", model.to_str().unwrap()]);
    assert_eq!(
        text(&printed.stdout),
        std::fs::read_to_string(dir.join("spec/sqs.yaml")).unwrap()
    );
}

#[test]
fn an_imported_openapi_document_is_a_spec_lint_accepts() {
    let dir = scratch("openapi");
    let document = fixture("openapi", "CAMARA_common.yaml");
    let out = errspec(
        &dir,
        &[
            "import",
            "openapi",
            document.to_str().unwrap(),
            "--out",
            "camara.yaml",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("wrote camara.yaml"));
    let lint = errspec(&dir, &["lint", "camara.yaml"]);
    assert!(lint.status.success(), "{}", text(&lint.stderr));
    let generate = errspec(
        &dir,
        &[
            "generate",
            "--spec-dir",
            ".",
            "--rust-out",
            "rust",
            "--docs-out",
            "docs",
        ],
    );
    assert!(generate.status.success(), "{}", text(&generate.stderr));
}

#[test]
fn a_merge_adds_the_missing_codes_and_keeps_the_spec_s_own_lines() {
    let dir = scratch("merge");
    let model = fixture("smithy", "sqs-2012-11-05.json");
    let model = model.to_str().unwrap();
    assert!(
        errspec(&dir, &["import", "smithy", model, "--out", "sqs.yaml"])
            .status
            .success()
    );
    // A hand-edited spec that lacks one of the model's codes and has one the model does not.
    let full = std::fs::read_to_string(dir.join("sqs.yaml")).unwrap();
    let start = full
        .find("  - code: \"OverLimit\"")
        .expect("OverLimit is imported");
    let end = full[start + 1..]
        .find("\n  - code: ")
        .map_or(full.len(), |e| start + 2 + e);
    let mut edited = format!("{}{}", &full[..start], &full[end..]);
    edited = edited.replace(
        "codes:\n",
        "codes:\n  # Ours.\n  - code: \"OurOwnCode\"\n    message: \"Written by hand\"\n",
    );
    std::fs::write(dir.join("sqs.yaml"), &edited).unwrap();
    let out = errspec(
        &dir,
        &[
            "import",
            "smithy",
            model,
            "--merge",
            "sqs.yaml",
            "--out",
            "merged.yaml",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("1 code added (OverLimit)"), "{stderr}");
    assert!(stderr.contains("kept: OurOwnCode"), "{stderr}");
    let merged = std::fs::read_to_string(dir.join("merged.yaml")).unwrap();
    for line in edited.lines() {
        assert!(merged.contains(line), "{line:?} kept");
    }
    assert!(errspec(&dir, &["lint", "merged.yaml"]).status.success());
    assert_eq!(
        std::fs::read_to_string(dir.join("sqs.yaml")).unwrap(),
        edited,
        "untouched"
    );
}

#[test]
fn what_cannot_be_imported_is_a_clear_error() {
    let dir = scratch("errors");
    std::fs::write(dir.join("not.json"), "shapes: {}\n").unwrap();
    let out = errspec(&dir, &["import", "smithy", "not.json"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with("error: not.json: "), "{stderr}");
    assert!(stderr.contains("help: "), "{stderr}");
    let out = errspec(&dir, &["import", "smithy", "missing.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("missing.json"));
    let model = fixture("smithy", "sqs-2012-11-05.json");
    std::fs::write(dir.join("bad.yaml"), "api: 1\n").unwrap();
    let out = errspec(
        &dir,
        &[
            "import",
            "smithy",
            model.to_str().unwrap(),
            "--merge",
            "bad.yaml",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("the spec to merge into is not valid"));
}
