//! With the spec unchanged, `cargo build` does not rerun a build script that uses
//! `errspec_codegen::Builder`; touching the spec reruns it once. `benches/rebuild.sh` builds a
//! scratch crate to show it; this runs that script. It compiles errspec and its code generator
//! in a target dir of its own the first time (a minute or two), so it is ignored by default:
//!
//! ```text
//! cargo test -p errspec-benches --test rebuild -- --ignored
//! ```

use std::path::Path;
use std::process::Command;

#[test]
#[ignore = "builds a scratch crate with cargo (a minute or two the first time); run with --ignored"]
fn build_script_reruns_only_when_a_spec_changes() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("rebuild.sh");
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("rebuild-check");
    let output = Command::new("bash")
        .arg(&script)
        .env("REBUILD_TARGET_DIR", &target)
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    print!("{stdout}");
    assert!(
        output.status.success(),
        "{}\n{stdout}\n{}",
        script.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}
