//! Generates what the run-time benchmarks compare, into `OUT_DIR`:
//!
//! - `bench_int.rs`: errspec's module for a synthetic 10,000-code integer spec, generated with
//!   `errspec_codegen::Builder` from `OUT_DIR/spec/bench_int.yaml`, as a user's build script
//!   would;
//! - `hand_int.rs`: the hand-written `match` baseline for the same codes;
//! - `hand_<api>.rs`: the hand-written `match` baseline for each shipped spec in `../spec`;
//! - `table_int.rs`, `table_<api>.rs`: the prototype lookup tables of `src/table.rs`.

#[path = "src/specgen.rs"]
#[allow(dead_code)]
mod specgen;
#[path = "src/table.rs"]
#[allow(dead_code)]
mod table;

use std::path::{Path, PathBuf};

/// Codes of the synthetic spec; keep in step with `GENERATED_CODES` in `src/lib.rs`.
const N: usize = 10_000;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/specgen.rs");
    println!("cargo:rerun-if-changed=src/table.rs");
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
    write(
        &out.join("table_int.rs"),
        &table::emit(&keys(&rows), true, "crate::table"),
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
        write(
            &out.join(format!("table_{}.rs", api.id)),
            &table::emit(&keys(&rows), numeric, "crate::table"),
        );
    }
}

/// Every wire value, documented ones then aliases, with the position of its code.
fn keys(rows: &[specgen::Row]) -> Vec<(String, usize)> {
    let documented = rows.iter().enumerate().map(|(i, r)| (r.wire.clone(), i));
    let aliases = rows
        .iter()
        .enumerate()
        .flat_map(|(i, r)| r.aliases.iter().map(move |a| (a.clone(), i)));
    documented.chain(aliases).collect()
}

fn write(path: &Path, text: &str) {
    if let Err(error) = errspec_codegen::write_if_changed(path, text) {
        eprintln!("{error}");
        std::process::exit(1);
    }
}
