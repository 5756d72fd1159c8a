//! What a crate that depends on `errspec` compiles: the runtime alone, without default
//! features, is 11 crates (errspec included) and none of the generator's.

use std::path::Path;
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

/// The `rust-version` each feature needs, from the lock file's packages, is what the README
/// states: the crates' own 1.85, but 1.88 with `reqwest` (its URL parsing needs it).
#[test]
fn each_feature_builds_on_the_rust_version_the_readme_states() {
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--locked", "--format-version", "1"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert!(output.status.success());
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let version_of = |name: &str| -> (u32, u32) {
        let rv = metadata["packages"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["name"] == name)
            .filter_map(|p| p["rust_version"].as_str())
            .map(|v| {
                let mut parts = v.split('.').map(|n| n.parse::<u32>().unwrap_or(0));
                (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
            })
            .max();
        rv.unwrap_or((0, 0))
    };
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    for (features, msrv) in [
        (&["--no-default-features"][..], (1, 85)),
        (&[], (1, 85)),
        (&["--no-default-features", "--features", "backon"], (1, 85)),
        (&["--no-default-features", "--features", "miette"], (1, 85)),
        (&["--no-default-features", "--features", "axum"], (1, 85)),
        (&["--no-default-features", "--features", "reqwest"], (1, 88)),
        (
            &["--no-default-features", "--features", "wiremock"],
            (1, 88),
        ),
    ] {
        let needed = packages(features)
            .iter()
            .map(|p| version_of(p))
            .max()
            .unwrap();
        assert!(
            needed <= msrv,
            "{features:?} needs Rust {}.{}, more than {}.{}",
            needed.0,
            needed.1,
            msrv.0,
            msrv.1
        );
        assert!(
            readme.contains(&format!("Rust {}.{}", msrv.0, msrv.1)),
            "the README does not state Rust {}.{}",
            msrv.0,
            msrv.1
        );
    }
}

/// Every opt-in feature but `macros` (which re-exports the proc macros at the crate root) is a
/// module of the same name, gated by it.
#[test]
fn each_feature_is_the_module_of_its_name() {
    let root = env!("CARGO_MANIFEST_DIR");
    let manifest = std::fs::read_to_string(format!("{root}/Cargo.toml")).unwrap();
    let lib = std::fs::read_to_string(format!("{root}/src/lib.rs")).unwrap();
    let features = manifest
        .split("\n[features]\n")
        .nth(1)
        .expect("a [features] table");
    let names: Vec<&str> = features
        .lines()
        .take_while(|line| !line.starts_with('['))
        .filter_map(|line| line.split_once(" = ").map(|(name, _)| name.trim()))
        .filter(|name| !name.starts_with('#') && !["default", "macros"].contains(name))
        .collect();
    assert!(names.len() >= 6, "{names:?}");
    for name in names {
        let gated = format!("#[cfg(feature = \"{name}\")]");
        let at = lib
            .find(&format!("pub mod {name};"))
            .unwrap_or_else(|| panic!("feature `{name}` has no module `{name}`"));
        assert!(
            lib[..at]
                .rsplit_once(&gated)
                .is_some_and(|(_, between)| between.lines().count() <= 3),
            "module `{name}` is not gated by its feature"
        );
    }
}

/// The README's table of what each feature costs states the crates `cargo tree` counts.
#[test]
fn the_readme_states_what_each_feature_costs_in_crates() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let runtime = packages(&["--no-default-features"]).len();
    let mut rows = 0;
    for line in readme.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let [_, feature, crates, needs, ..] = cells[..] else {
            continue;
        };
        if !needs.starts_with("Rust ") {
            continue;
        }
        let (features, expected): (Vec<&str>, usize) = match (feature, crates) {
            (f, n) if f.starts_with("none") => (vec!["--no-default-features"], n.parse().unwrap()),
            (f, n) if f.starts_with("`macros`") => (vec![], n.parse().unwrap()),
            (f, n) => {
                let name = f.trim_matches('`');
                let added: usize = n.trim_start_matches('+').parse().unwrap();
                (
                    vec!["--no-default-features", "--features", name],
                    runtime + added,
                )
            }
        };
        let counted = packages(&features).len();
        assert_eq!(
            counted, expected,
            "README row `{feature}` says {crates}, cargo tree counts {counted}"
        );
        rows += 1;
    }
    assert!(rows >= 8, "the README's feature table has {rows} rows");
}

/// The README's dependency lines for before publication name this repository and its crates'
/// paths in it.
#[test]
fn the_readme_git_and_path_lines_name_this_repository() {
    let root = env!("CARGO_MANIFEST_DIR");
    let manifest = std::fs::read_to_string(format!("{root}/Cargo.toml")).unwrap();
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let repository = manifest
        .lines()
        .find_map(|l| l.strip_prefix("repository = "))
        .expect("a repository")
        .trim_matches('"');
    for line in [
        format!("errspec = {{ git = \"{repository}\", default-features = false }}"),
        format!("errspec-codegen = {{ git = \"{repository}\", default-features = false }}"),
        format!("cargo install --git {repository} errspec-codegen"),
    ] {
        assert!(readme.contains(&line), "the README lacks `{line}`");
    }
    // The path lines point at the crates' directories.
    assert!(readme.contains("path = \"../errspec/codegen\""));
    assert!(Path::new(root).join("codegen/Cargo.toml").is_file());
}
