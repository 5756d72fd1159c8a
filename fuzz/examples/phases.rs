//! Where a `generate` exec's time goes, without the fuzzer's instrumentation: replays the
//! inputs of a corpus directory through the same steps as `check_spec` and prints the time
//! per exec of each (decoding and rendering the input, `parse`, `generate_rust`,
//! `syn::parse_file` of the output, the diagnostics' text), then what the spec's two YAML
//! readers cost alone on the same specs: `saphyr-parser`'s events (the structural check's
//! reader) and `yaml_serde` into a `Value` (the deserializer's).
//!
//! `cargo run --release --example phases -- <corpus dir> [execs]`

use std::time::{Duration, Instant};

use arbitrary::{Arbitrary, Unstructured};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: phases <corpus dir> [execs]");
        std::process::exit(2);
    };
    let execs: usize = match args.next().map(|n| n.parse()) {
        None => 20_000,
        Some(Ok(n)) => n,
        Some(Err(err)) => {
            eprintln!("execs: {err}");
            std::process::exit(2);
        }
    };
    let inputs: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .unwrap_or_else(|err| panic!("{dir}: {err}"))
        .map(|entry| std::fs::read(entry.expect("a directory entry").path()).expect("an input"))
        .collect();
    if inputs.is_empty() {
        eprintln!("{dir}: no inputs");
        std::process::exit(1);
    }
    let mut times = [Duration::ZERO; 5];
    let (mut valid, mut invalid, mut rust_bytes) = (0usize, 0usize, 0usize);
    for data in inputs.iter().cycle().take(execs) {
        let started = Instant::now();
        let Ok(input) = errspec_fuzz::SpecInput::arbitrary_take_rest(Unstructured::new(data))
        else {
            continue;
        };
        let source = input.render();
        times[0] += started.elapsed();
        let started = Instant::now();
        let parsed = errspec_codegen::parse(&source, "fuzz.yaml");
        times[1] += started.elapsed();
        match parsed {
            Ok(api) => {
                valid += 1;
                let started = Instant::now();
                let rust = errspec_codegen::generate_rust(&api);
                times[2] += started.elapsed();
                rust_bytes += rust.len();
                let started = Instant::now();
                syn::parse_file(&rust).expect("generated Rust parses");
                times[3] += started.elapsed();
            }
            Err(diagnostics) => {
                invalid += 1;
                let started = Instant::now();
                std::hint::black_box(diagnostics.to_string());
                times[4] += started.elapsed();
            }
        }
    }
    let specs: Vec<String> = inputs
        .iter()
        .filter_map(|data| {
            errspec_fuzz::SpecInput::arbitrary_take_rest(Unstructured::new(data))
                .ok()
                .map(|input| input.render())
        })
        .collect();
    let mut readers = [Duration::ZERO; 2];
    for source in specs.iter().cycle().take(execs) {
        let started = Instant::now();
        let mut parser = saphyr_parser::Parser::new_from_str(source);
        while let Some(Ok(event)) = parser.next_event() {
            std::hint::black_box(event);
        }
        readers[0] += started.elapsed();
        let started = Instant::now();
        let _ = std::hint::black_box(yaml_serde::from_str::<yaml_serde::Value>(source));
        readers[1] += started.elapsed();
    }
    let runs = (valid + invalid).max(1) as f64;
    let total: Duration = times.iter().sum();
    println!(
        "{} execs: {valid} valid specs (Rust {} bytes on average), {invalid} refused",
        valid + invalid,
        rust_bytes / valid.max(1)
    );
    let names = [
        "input",
        "parse",
        "generate_rust",
        "syn::parse_file",
        "diagnostics",
    ];
    for (name, time) in names.iter().zip(times) {
        println!(
            "{name:16} {:8.1} µs/exec {:5.1} %",
            time.as_secs_f64() * 1e6 / runs,
            100.0 * time.as_secs_f64() / total.as_secs_f64()
        );
    }
    println!(
        "{:16} {:8.1} µs/exec",
        "total",
        total.as_secs_f64() * 1e6 / runs
    );
    let bytes: usize = specs.iter().map(String::len).sum();
    println!(
        "the readers alone, per spec ({} bytes on average):",
        bytes / specs.len().max(1)
    );
    let read = if specs.is_empty() { 1.0 } else { execs as f64 };
    for (name, time) in ["saphyr-parser events", "yaml_serde Value"]
        .iter()
        .zip(readers)
    {
        println!("{name:22} {:8.1} µs", time.as_secs_f64() * 1e6 / read);
    }
}
