//! What a crate that depends on `errspec` compiles: the runtime alone, without default
//! features, is 11 crates (errspec included) and none of the generator's.

use std::process::Command;

/// The distinct packages of `errspec`'s normal dependency tree with `features`.
fn packages(features: &[&str]) -> Vec<String> {
    let output = Command::new(env!("CARGO"))
        .args([
            "tree", "--locked", "-p", "errspec", "-e", "normal", "--prefix", "none",
        ])
        .args(features)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut names: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn the_runtime_alone_compiles_at_most_twelve_crates_and_no_generator() {
    let runtime = packages(&["--no-default-features"]);
    assert!(runtime.len() <= 12, "{} crates: {runtime:?}", runtime.len());
    for generator in [
        "errspec-macros",
        "errspec-codegen",
        "syn",
        "yaml_serde",
        "saphyr-parser",
    ] {
        assert!(
            !runtime.iter().any(|p| p == generator),
            "{generator} in {runtime:?}"
        );
    }
    // The default features add the macros, and with them the generator.
    let default = packages(&[]);
    assert!(default.iter().any(|p| p == "errspec-macros"), "{default:?}");
}
