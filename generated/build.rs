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
    let copy = || -> std::io::Result<()> {
        for entry in std::fs::read_dir("rust")? {
            let from = entry?.path();
            if let Some(name) = from
                .file_name()
                .filter(|_| from.extension() == Some("rs".as_ref()))
            {
                std::fs::copy(&from, Path::new(&out).join(name))?;
            }
        }
        Ok(())
    };
    if let Err(error) = copy() {
        eprintln!("error: rust/: {error}");
        std::process::exit(1);
    }
}
