//! Prints the spec a `generate` input renders to, so that a crash becomes a YAML file:
//! `cargo run --release --example render -- artifacts/generate/crash-...`.

use arbitrary::{Arbitrary, Unstructured};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: render <generate input>");
        std::process::exit(2);
    };
    let data = std::fs::read(&path).unwrap_or_else(|err| panic!("{path}: {err}"));
    match errspec_fuzz::SpecInput::arbitrary_take_rest(Unstructured::new(&data)) {
        Ok(input) => print!("{}", input.render()),
        Err(err) => {
            eprintln!("{path}: not a `generate` input: {err}");
            std::process::exit(1);
        }
    }
}
