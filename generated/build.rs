//! Regenerates the API modules from `../spec` into `OUT_DIR` on `cargo build`.

fn main() {
    let result = errspec_codegen::Builder::new()
        .spec_dir("../spec")
        .generate_into_out_dir();
    if let Err(error) = result {
        eprintln!("{error}");
        std::process::exit(1);
    }
}
