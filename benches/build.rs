//! Generates what the run-time benchmarks compare, into `OUT_DIR`:
//!
//! - `bench_int.rs`: errspec's module for a synthetic 10,000-code integer spec, generated with
//!   `errspec_codegen::Builder` from `OUT_DIR/spec/bench_int.yaml`, as a user's build script
//!   would;
//! - `hand_int.rs`: the hand-written `match` baseline for the same codes;
//! - `hand_<api>.rs`: the hand-written `match` baseline for each shipped spec in `../spec`.

#[path = "src/specgen.rs"]
#[allow(dead_code)]
mod specgen;

use std::path::{Path, PathBuf};

/// Codes of the synthetic spec; keep in step with `GENERATED_CODES` in `src/lib.rs`.
const N: usize = 10_000;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/specgen.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR is set for build scripts"));
    let spec_dir = out.join("spec");
    let kind = specgen::Kind::Integer;
    write(&spec_dir.join("bench_int.yaml"), &specgen::spec(kind, N));
    let result = errspec_codegen::Builder::new()
        .spec(spec_dir.join("bench_int.yaml"))
        .generate_into(&out);
    if let Err(error) = result {
        eprintln!("{error}");
        std::process::exit(1);
    }
    let rows = specgen::rows(kind, N);
    write(
        &out.join("hand_int.rs"),
        &specgen::hand_match(&rows, true, "HandCode"),
    );

    // The shipped specs' baselines, from the same validated model the emitter reads.
    let seeds = Path::new("../spec");
    println!("cargo:rerun-if-changed={}", seeds.display());
    let files = errspec_codegen::discover_specs(seeds).unwrap_or_else(|error| {
        eprintln!("{error}");
        std::process::exit(1);
    });
    for file in files {
        println!("cargo:rerun-if-changed={}", file.display());
        let api = errspec_codegen::load(&file).unwrap_or_else(|error| {
            eprintln!("{error}");
            std::process::exit(1);
        });
        let rows: Vec<specgen::Row> = api
            .codes
            .iter()
            .map(|c| specgen::Row {
                wire: c.wire.clone(),
                variant: c.variant.clone(),
                aliases: c.aliases.clone(),
            })
            .collect();
        let numeric = api.code_type == errspec_codegen::ir::CodeType::Integer;
        write(
            &out.join(format!("hand_{}.rs", api.id)),
            &specgen::hand_match(&rows, numeric, "HandCode"),
        );
    }
}

fn write(path: &Path, text: &str) {
    if let Err(error) = errspec_codegen::write_if_changed(path, text) {
        eprintln!("{error}");
        std::process::exit(1);
    }
}
