//! Regenerates the API modules from the repository's `../spec` into `OUT_DIR` on `cargo build`.
//! A packaged copy of this crate has no `../spec`: it ships the same modules, checked in under
//! `rust/` (a test in the repository keeps them identical to what the specs generate), and
//! copies those.

use std::path::Path;

fn main() {
    let specs = Path::new("../spec");
    if specs.is_dir() {
        let result = errspec_codegen::Builder::new()
            .spec_dir(specs)
            .generate_into_out_dir();
        if let Err(error) = result {
            eprintln!("{error}");
            std::process::exit(1);
        }
        return;
    }
    println!("cargo:rerun-if-changed=rust");
    let out = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    for name in ["hms_sovereign", "sinch_voice", "sinch_numbers"] {
        let from = Path::new("rust").join(format!("{name}.rs"));
        if let Err(error) = std::fs::copy(&from, Path::new(&out).join(format!("{name}.rs"))) {
            eprintln!("error: {}: {error}", from.display());
            std::process::exit(1);
        }
    }
}
