//! The README's install line works: `cargo install --path codegen` puts an `errspec` binary in
//! `<root>/bin` that runs the README's first commands on this repository's specs.
//!
//! It builds in a target directory of its own (under the workspace's `target/`, kept between
//! runs), since the test runs while `cargo test` holds the workspace's; `--debug` keeps that
//! build as short as a test build.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn cargo_install_from_a_checkout_gives_a_working_cli() {
    let workspace = workspace();
    let root = std::env::temp_dir().join(format!("errspec-install-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let output = Command::new(env!("CARGO"))
        .args([
            "install", "--path", "codegen", "--locked", "--debug", "--quiet", "--root",
        ])
        .arg(&root)
        .env("CARGO_TARGET_DIR", workspace.join("target/install-test"))
        .current_dir(&workspace)
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo install failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let bin = root
        .join("bin")
        .join(format!("errspec{}", std::env::consts::EXE_SUFFIX));
    assert!(bin.is_file(), "no binary at {}", bin.display());

    let version = Command::new(&bin).arg("--version").output().unwrap();
    assert!(version.status.success());
    assert!(
        String::from_utf8_lossy(&version.stdout).starts_with("errspec "),
        "{}",
        String::from_utf8_lossy(&version.stdout)
    );
    // The installed binary checks the shipped specs and their generated files, as CI would.
    let check = Command::new(&bin)
        .arg("check")
        .current_dir(&workspace)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "errspec check failed:\n{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    let lint = Command::new(&bin)
        .args(["lint", "spec/hms_sovereign.yaml"])
        .current_dir(&workspace)
        .output()
        .unwrap();
    assert!(
        lint.status.success(),
        "{}",
        String::from_utf8_lossy(&lint.stderr)
    );
    std::fs::remove_dir_all(&root).unwrap();
}
