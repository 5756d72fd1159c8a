//! The build script's output in `OUT_DIR` is byte-identical to the checked-in snapshots that
//! `errspec generate` writes, so the snapshots are exactly what this crate compiles, and the
//! build-script path and the CLI path of the one emitter agree.

macro_rules! assert_same_as_snapshot {
    ($name:literal) => {
        assert_eq!(
            include_str!(concat!(env!("OUT_DIR"), "/", $name, ".rs")),
            include_str!(concat!("../rust/", $name, ".rs")),
            "generated/rust/{}.rs differs from the build script's output: run \
             `cargo run -p errspec-codegen --bin errspec -- generate` and commit",
            $name
        )
    };
}

#[test]
fn hms_sovereign_snapshot_is_what_compiles() {
    assert_same_as_snapshot!("hms_sovereign");
}

#[test]
fn sinch_voice_snapshot_is_what_compiles() {
    assert_same_as_snapshot!("sinch_voice");
}

#[test]
fn sinch_numbers_snapshot_is_what_compiles() {
    assert_same_as_snapshot!("sinch_numbers");
}
