//! Generates every catalog spec of `spec/`, the hostile Markdown spec of `hostile/` and the
//! specs `errspec import` writes for the importers' fixtures (`imported/`) into `OUT_DIR`, as a
//! user's build script does.

fn main() {
    for dir in ["spec", "hostile", "imported"] {
        let result = errspec_codegen::Builder::new()
            .spec_dir(dir)
            .generate_into_out_dir();
        if let Err(error) = result {
            eprintln!("{error}");
            std::process::exit(1);
        }
    }
}
