//! Compile-time diagnostics of `include_spec!` and `#[derive(ErrorCode)]`: one mistake per
//! `tests/ui/*.rs` file, its expected compiler output beside it in `*.stderr`.

use std::path::Path;

#[test]
fn ui() {
    // trybuild compiles the cases as a crate of its own under the target directory, and
    // `include_spec!` reads specs relative to the crate it expands in: put the specs there.
    let crate_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("../tests/trybuild/errspec/specs");
    std::fs::create_dir_all(&crate_dir).unwrap();
    for entry in std::fs::read_dir("tests/ui/specs").unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, crate_dir.join(path.file_name().unwrap())).unwrap();
    }
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
