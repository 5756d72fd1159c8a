//! The `errspec` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Generates typed Rust errors from the error tables of HTTP API documentation.
#[derive(Parser)]
#[command(name = "errspec", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the Rust module of every spec and print a summary.
    ///
    /// Exit status: 0 on success, 1 if any spec is invalid (every problem is listed), 2 on
    /// a usage or I/O error.
    Generate {
        /// Directory holding the `*.yaml` specs.
        #[arg(long, default_value = "spec")]
        spec_dir: PathBuf,
        /// Directory the Rust modules are written to, as `<api id>.rs`.
        #[arg(long, default_value = "generated/rust")]
        rust_out: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Generate { spec_dir, rust_out } => generate(spec_dir, &rust_out),
    }
}

fn generate(spec_dir: PathBuf, rust_out: &std::path::Path) -> ExitCode {
    let builder = errspec_codegen::Builder::new().spec_dir(spec_dir);
    let generated = match builder.generate() {
        Ok(generated) => generated,
        Err(err) => return fail(&err),
    };
    let mut rows = Vec::new();
    for g in &generated {
        let path = rust_out.join(format!("{}.rs", g.api.id));
        let changed = match errspec_codegen::write_if_changed(&path, &g.rust) {
            Ok(changed) => changed,
            Err(err) => return fail(&err),
        };
        rows.push([
            g.api.id.clone(),
            g.api.codes.len().to_string(),
            g.api.statuses.len().to_string(),
            format!(
                "{}{}",
                path.display(),
                if changed { " (updated)" } else { "" }
            ),
        ]);
    }
    print_table(["API", "codes", "statuses", "outputs"], &rows);
    ExitCode::SUCCESS
}

fn fail(err: &errspec_codegen::Error) -> ExitCode {
    eprintln!("{err}");
    match err {
        errspec_codegen::Error::Spec(_) => ExitCode::from(1),
        _ => ExitCode::from(2),
    }
}

fn print_table<const N: usize>(header: [&str; N], rows: &[[String; N]]) {
    let mut widths = header.map(str::len);
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        println!("{}", padded.join("  ").trim_end());
    };
    line(header.to_vec());
    line(
        widths
            .iter()
            .map(|w| &"--------------------------------------------------------------"[..*w])
            .collect(),
    );
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}
