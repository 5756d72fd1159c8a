//! Writes the synthetic specs and the baselines the benchmarks compare against.
//!
//! ```text
//! errspec-bench-gen spec  <int|str> <N> <out.yaml>   the N-code spec
//! errspec-bench-gen ours  <int|str> <N> <out.rs>     errspec's generated module for it
//! errspec-bench-gen peer  <int|str> <N> <out.rs>     the thiserror + strum derive enum
//! errspec-bench-gen hand  <int|str> <N> <out.rs>     the hand-written match
//! ```

use std::process::ExitCode;

use errspec_benches::specgen::{self, Kind};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [what, kind, n, out] = args.as_slice() else {
        eprintln!("usage: errspec-bench-gen <spec|ours|peer|hand> <int|str> <N> <out>");
        return ExitCode::from(2);
    };
    let kind = match kind.as_str() {
        "int" => Kind::Integer,
        "str" => Kind::String,
        other => {
            eprintln!("unknown kind `{other}`: use `int` or `str`");
            return ExitCode::from(2);
        }
    };
    let Ok(n) = n.parse::<usize>() else {
        eprintln!("N must be a whole number, got `{n}`");
        return ExitCode::from(2);
    };
    let text = match what.as_str() {
        "spec" => specgen::spec(kind, n),
        "ours" => {
            let api = match errspec_codegen::parse(&specgen::spec(kind, n), "bench.yaml") {
                Ok(api) => api,
                Err(diagnostics) => {
                    eprintln!("{diagnostics}");
                    return ExitCode::FAILURE;
                }
            };
            errspec_codegen::generate_rust(&api)
        }
        "peer" => specgen::derive_peer(kind, n),
        "hand" => specgen::hand_match(&specgen::rows(kind, n), kind == Kind::Integer, "HandCode"),
        other => {
            eprintln!("unknown output `{other}`: use spec, ours, peer or hand");
            return ExitCode::from(2);
        }
    };
    if let Err(error) = std::fs::write(out, text) {
        eprintln!("error: {out}: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
