//! What each publishable crate ships: its sources, manifest and README, and nothing of the
//! repository around it (specs, benches, CI, other crates). `cargo package --workspace
//! --exclude errspec-benches` verifies that each builds from its package alone.

use std::process::Command;

fn listed(package: &str) -> Vec<String> {
    let output = Command::new(env!("CARGO"))
        .args(["package", "--list", "--allow-dirty", "-p", package])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo package --list -p {package}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn each_crate_ships_only_what_belongs_to_it() {
    // Files every package has: cargo's own, the manifest, the README.
    let common = |f: &str| {
        matches!(
            f,
            ".cargo_vcs_info.json" | "Cargo.lock" | "Cargo.toml" | "Cargo.toml.orig" | "README.md"
        )
    };
    for (package, allowed, required) in [
        ("errspec", &["src/"][..], &["src/lib.rs"][..]),
        ("errspec-core", &["src/"], &["src/lib.rs"]),
        (
            "errspec-codegen",
            &["src/", "doc/", "templates/"],
            &[
                "doc/spec-format.md",
                "doc/templates.md",
                "templates/index.md.j2",
            ],
        ),
        ("errspec-macros", &["src/"], &["src/lib.rs"]),
        (
            "errspec-apis",
            &["src/", "rust/", "build.rs"],
            &[
                "build.rs",
                "rust/hms_sovereign.rs",
                "rust/sinch_voice.rs",
                "rust/sinch_numbers.rs",
            ],
        ),
    ] {
        let files = listed(package);
        for file in &files {
            assert!(
                common(file) || allowed.iter().any(|a| file.starts_with(a)),
                "{package} would ship {file}"
            );
        }
        for file in required.iter().copied().chain(["README.md"]) {
            assert!(files.iter().any(|f| f == file), "{package} lacks {file}");
        }
    }
}
