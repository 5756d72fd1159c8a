//! The `errspec` command line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use errspec_codegen::diff::Verdict;
use errspec_codegen::verify::TokenKind;
use errspec_codegen::{ir, schema, Builder, Diagnostic, Diagnostics, Error, Generated};

const EXIT_STATUS: &str = "\
Exit status:
  0  success
  1  problems found: an invalid spec or template (every problem is listed), stale generated
     files (check), warnings with --deny-warnings (lint), codes missing from a spec (verify),
     a change at or above --fail-on (diff)
  2  usage or I/O error; for diff also an invalid spec or a failed git command; for import a
     source that cannot be imported or an invalid spec to merge into";

/// Generates typed Rust errors and Markdown reference docs from the error tables of HTTP API
/// documentation, transcribed into YAML specs.
#[derive(Parser)]
#[command(name = "errspec", version, after_help = EXIT_STATUS)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// When to colour diagnostics: `auto` on a terminal; never when `NO_COLOR` is set.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

/// How `verify` reads a page.
#[derive(Clone, Copy, ValueEnum)]
enum PageFormat {
    /// Plain text or Markdown.
    Text,
    /// HTML.
    Html,
    /// JSON.
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

/// Whether diagnostics are coloured, decided once from `--color`, the terminal and `NO_COLOR`.
static COLOR: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

fn set_color(choice: Color) {
    use std::io::IsTerminal;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = !no_color
        && match choice {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => std::io::stderr().is_terminal(),
        };
    let _ = COLOR.set(color);
}

/// Prints `err` to stderr; a spec's problems each with an excerpt of its line.
fn report(err: &Error) {
    report_with(err, None);
}

/// [`report`], with the text of a spec that is not a file of its own name (`known`: its name
/// in the diagnostics and its text).
fn report_with(err: &Error, known: Option<(&str, &str)>) {
    let Error::Spec(diagnostics) = err else {
        eprintln!("{err}");
        return;
    };
    let color = COLOR.get().copied().unwrap_or(false);
    let mut sources: BTreeMap<&str, Option<String>> = BTreeMap::new();
    for d in diagnostics.iter() {
        let source = sources
            .entry(d.file.as_str())
            .or_insert_with(|| match known {
                Some((name, text)) if name == d.file => Some(text.to_owned()),
                _ => std::fs::read_to_string(&d.file).ok(),
            });
        eprintln!("{}\n", d.render(source.as_deref(), color));
    }
    let n = diagnostics.len();
    eprintln!("{n} error{} in spec", if n == 1 { "" } else { "s" });
}

#[derive(Args)]
struct Outputs {
    /// Directory holding the `*.yaml` specs.
    #[arg(long, value_name = "DIR", default_value = "spec")]
    spec_dir: PathBuf,
    /// Directory of the Rust modules, one `<api id>.rs` per spec.
    #[arg(long, value_name = "DIR", default_value = "generated/rust")]
    rust_out: PathBuf,
    /// Directory of the Markdown reference docs, one `<api id>.md` per spec and the index
    /// `README.md`.
    #[arg(long, value_name = "DIR", default_value = "generated/docs")]
    docs_out: PathBuf,
    /// Directory of docs templates, `api.md.j2` and/or `index.md.j2`, replacing the built-in
    /// API page and index (the `templates` page of the errspec-codegen docs documents their context).
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
}

/// `word` as a POSIX shell reads it: as it is when it holds only safe characters, else in
/// single quotes.
fn shell_word(word: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_-./:@%+=,".contains(c);
    if !word.is_empty() && word.chars().all(safe) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the Rust modules and the reference docs of every spec.
    ///
    /// Writes `<api id>.rs` and `<api id>.md` for each spec and the docs index `README.md`,
    /// only where the content changed, and prints a summary.
    #[command(
        after_help = "Exit status: 0 on success, 1 if a spec or template is invalid \
                            (every problem is listed), 2 on a usage or I/O error."
    )]
    Generate(Outputs),
    /// Check that the generated files are up to date (for CI).
    ///
    /// Compares every file `generate` would write with the one on disk, and names each stale
    /// or missing file and the command that fixes it. Also checks
    /// `<spec dir>/errspec.schema.json` if there is one.
    #[command(
        after_help = "Exit status: 0 if every file is up to date, 1 if any is stale or \
                            missing or a spec or template is invalid, 2 on a usage or I/O error."
    )]
    Check(Outputs),
    /// Warn about likely gaps and mistakes in specs.
    ///
    /// Rules: missing-solution, retry-on-client-error (a retry on a 4xx other than 408/429),
    /// transient-without-retry (429, 502, 503, 504), erratum-without-description,
    /// inferred-status, empty-category, unused-policy. Each warning names file, line, column
    /// and YAML path.
    #[command(
        after_help = "Exit status: 0 unless a spec is invalid (1) or --deny-warnings is \
                            given and there are warnings (1); 2 on a usage or I/O error."
    )]
    Lint {
        /// Directory holding the `*.yaml` specs, used when no spec is named.
        #[arg(long, value_name = "DIR", default_value = "spec")]
        spec_dir: PathBuf,
        /// Specs to lint instead of those in the spec directory.
        #[arg(value_name = "SPEC")]
        specs: Vec<PathBuf>,
        /// Exit with status 1 if there is any warning.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Print the JSON Schema of the spec format.
    ///
    /// For editors: the specs start with
    /// `# yaml-language-server: $schema=errspec.schema.json`.
    #[command(after_help = "Exit status: 0 on success, 2 on an I/O error.")]
    Schema {
        /// Write the schema to this file (only if it changed) instead of printing it.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Report the codes and statuses on a source page that a spec lacks.
    ///
    /// A token is a code when it has the shape of the spec's own codes (N digits, N upper-case
    /// alphanumerics like `22P02`, snake_case, SCREAMING_SNAKE, kebab-case, words with spaces,
    /// CamelCase, dotted names), or matches --pattern. The page is read as what it is, by its
    /// extension or else its content: JSON (every string and number leaf, and the keys of
    /// objects and arrays), HTML (through an HTML5 tokenizer: paragraphs, list items, tables,
    /// inline code), or text and Markdown (line by line). Codes count where pages put them: a
    /// table's code column (headed `Code`, `Error code`, `SQLSTATE`, ...; its other columns
    /// give none), list items, inline code, a line on its own, table rows; long numbers and
    /// alphanumerics count anywhere. Statuses are numbers from 100 to 599 that start a line,
    /// list item or table row, or fill a status column. Values the spec records as errata and
    /// envelope field names count as known.
    #[command(
        after_help = "Exit status: 0 if the spec has every code and status found, 1 if \
                            any is missing, if no code-like token is found on the page at all, \
                            or if the spec is invalid, 2 on a usage or I/O error or a page \
                            that is not valid JSON when read as JSON."
    )]
    Verify {
        /// The spec to check.
        #[arg(value_name = "SPEC")]
        spec: PathBuf,
        /// The page the spec was transcribed from.
        #[arg(long, value_name = "PAGE")]
        against: PathBuf,
        /// A token that is not a code of this API (repeat, or separate with commas).
        #[arg(long, value_name = "TOKEN", value_delimiter = ',')]
        ignore: Vec<String>,
        /// A regular expression a whole token must match to be a code, instead of the shapes
        /// of the spec's codes; tokens are then looked for as words anywhere on the page.
        #[arg(long, value_name = "REGEX")]
        pattern: Option<String>,
        /// How to read the page, instead of by its extension or content.
        #[arg(long, value_enum, value_name = "FORMAT")]
        format: Option<PageFormat>,
    },
    /// Give the semver bump a change to a spec calls for, as the generated API sees it.
    ///
    /// Lists every change, one line each with its verdict, then the verdict of the whole:
    /// major where code that compiled against the old module may not compile, or old error
    /// bodies no longer parse to their code (a code, alias, status, category or constant
    /// removed or renamed, a wire value or a code's status changed); minor for new codes,
    /// aliases, statuses, policies and limits and for changed retry numbers; patch for text
    /// (messages, descriptions, solutions). Codes are matched by wire value and by variant, so
    /// a renamed variant and a changed wire value each show as what they are. The errspec-codegen
    /// docs (`diff` module) give the verdict of every kind of change and why.
    ///
    /// `--against-git REV SPEC` compares SPEC as committed at REV (`git show REV:SPEC`, run in
    /// the spec's directory) with the file as it is now.
    #[command(
        override_usage = "errspec diff [OPTIONS] OLD NEW\n       \
                          errspec diff [OPTIONS] --against-git REV SPEC",
        after_help = "Exit status: 0 if nothing changed or the verdict is below --fail-on, \
                      1 if it is at or above it, 2 if a spec is invalid or cannot be read, git \
                      fails, or on a usage error.\n\n\
                      Examples:\n  \
                      errspec diff old/my_api.yaml spec/my_api.yaml\n  \
                      errspec diff --against-git origin/main spec/my_api.yaml --fail-on minor"
    )]
    Diff {
        /// OLD and NEW; with --against-git, the one spec to compare with its committed version.
        #[arg(value_name = "SPEC", required = true, num_args = 1..=2)]
        specs: Vec<PathBuf>,
        /// Compare SPEC as committed at this git revision (commit, branch, tag) with the file.
        #[arg(long, value_name = "REV")]
        against_git: Option<String>,
        /// The lowest verdict that makes the exit status 1.
        #[arg(long, value_enum, value_name = "VERDICT", default_value_t = FailOn::Major)]
        fail_on: FailOn,
    },
    /// Start a spec from a catalog the API already publishes.
    ///
    /// Reads an OpenAPI 3.0 or 3.1 document (JSON or YAML), a Smithy JSON AST model, or a
    /// Markdown or HTML page whose tables have a code column, and writes a version 2 spec of
    /// what the source states: what it does not state is left out or marked `inferred`, and a
    /// `# DECIDE:` comment marks each choice a person must make. The spec is checked as `lint`
    /// checks one. With --merge, the codes an existing spec lacks are added to it, with the
    /// statuses and categories they need, every line it has kept as written; the codes it has
    /// that the source no longer lists are reported, not removed.
    #[command(
        after_help = "Exit status: 0 on success, 2 if the source cannot be read or \
                            imported, the spec to merge into is invalid, or on a usage or \
                            I/O error.\n\n\
                            Examples:\n  \
                            errspec import openapi openapi.yaml --out spec/my_api.yaml\n  \
                            errspec import smithy sqs-2012-11-05.json --out spec/sqs.yaml\n  \
                            errspec import table errors.html --merge spec/my_api.yaml --out spec/my_api.yaml"
    )]
    Import {
        /// What the source is.
        #[arg(value_enum, value_name = "KIND")]
        kind: ImportKind,
        /// The source file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Write the spec to this file (replaced atomically) instead of printing it.
        #[arg(long, value_name = "SPEC")]
        out: Option<PathBuf>,
        /// Add what the source has to this existing spec instead of writing a new one.
        #[arg(long, value_name = "EXISTING")]
        merge: Option<PathBuf>,
    },
}

/// `--fail-on`: the verdicts of `diff`.
#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Major,
    Minor,
    Patch,
}

impl From<FailOn> for Verdict {
    fn from(value: FailOn) -> Self {
        match value {
            FailOn::Major => Verdict::Major,
            FailOn::Minor => Verdict::Minor,
            FailOn::Patch => Verdict::Patch,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    set_color(cli.color);
    match cli.command {
        Command::Generate(outputs) => generate(&outputs),
        Command::Check(outputs) => check(&outputs),
        Command::Lint {
            spec_dir,
            specs,
            deny_warnings,
        } => lint(&spec_dir, specs, deny_warnings),
        Command::Schema { out } => print_schema(out.as_deref()),
        Command::Verify {
            spec,
            against,
            ignore,
            pattern,
            format,
        } => verify(&spec, &against, ignore, pattern.as_deref(), format),
        Command::Diff {
            specs,
            against_git,
            fail_on,
        } => diff(&specs, against_git.as_deref(), fail_on.into()),
        Command::Import {
            kind,
            file,
            out,
            merge,
        } => import(kind, &file, out.as_deref(), merge.as_deref()),
    }
}

/// One file `generate` writes.
struct Planned {
    path: PathBuf,
    contents: String,
}

/// Everything `generate` writes for these options: per API its Rust module and page (in spec
/// order), then the docs index.
fn plan(outputs: &Outputs) -> Result<(Vec<Generated>, Vec<Planned>), Error> {
    spec_dir_exists(&outputs.spec_dir)?;
    let mut builder = Builder::new().spec_dir(&outputs.spec_dir);
    if let Some(dir) = &outputs.templates {
        builder = builder.templates(dir);
    }
    // The default command is what every header names without being told.
    let command = generate_command(outputs);
    if command != "errspec generate" {
        builder = builder.regenerate_with(format!("regenerate (`{command}`)"));
    }
    let generated = builder.generate()?;
    let pages = builder.docs(&generated)?;
    let mut files = Vec::new();
    for g in &generated {
        files.push(Planned {
            path: outputs.rust_out.join(format!("{}.rs", g.api.id)),
            contents: g.rust.clone(),
        });
    }
    for page in pages {
        files.push(Planned {
            path: outputs.docs_out.join(&page.file),
            contents: page.markdown,
        });
    }
    Ok((generated, files))
}

fn generate(outputs: &Outputs) -> ExitCode {
    let (generated, files) = match plan(outputs) {
        Ok(plan) => plan,
        Err(err) => return fail(&err),
    };
    // Every output of the run is staged before any is replaced: a run that fails (a docs
    // directory it cannot write) or is killed leaves the previous Rust and docs as they were.
    let changed = match errspec_codegen::write_all(
        files
            .iter()
            .map(|f| (f.path.as_path(), f.contents.as_str())),
    ) {
        Ok(changed) => changed,
        Err(err) => return fail(&err),
    };
    let written: BTreeMap<PathBuf, bool> =
        files.iter().map(|f| f.path.clone()).zip(changed).collect();
    let shown = |path: &Path| {
        let updated = written.get(path).copied().unwrap_or(false);
        format!(
            "{}{}",
            path.display(),
            if updated { " (updated)" } else { "" }
        )
    };
    let rows: Vec<[String; 4]> = generated
        .iter()
        .map(|g| {
            [
                g.api.id.clone(),
                g.api.codes.len().to_string(),
                g.api.statuses.len().to_string(),
                format!(
                    "{}, {}",
                    shown(&outputs.rust_out.join(format!("{}.rs", g.api.id))),
                    shown(&outputs.docs_out.join(format!("{}.md", g.api.id)))
                ),
            ]
        })
        .collect();
    print_table(["API", "codes", "statuses", "outputs"], &rows);
    println!();
    println!("index: {}", shown(&outputs.docs_out.join("README.md")));
    ExitCode::SUCCESS
}

fn check(outputs: &Outputs) -> ExitCode {
    let (generated, mut files) = match plan(outputs) {
        Ok(plan) => plan,
        Err(err) => return fail(&err),
    };
    let mut fix = vec![generate_command(outputs)];
    let schema_path = outputs.spec_dir.join(schema::FILE_NAME);
    if schema_path.is_file() {
        files.push(Planned {
            path: schema_path.clone(),
            contents: schema::json(),
        });
    }
    let mut stale = Vec::new();
    for file in &files {
        let state = match std::fs::read(&file.path) {
            Ok(bytes) if bytes == file.contents.as_bytes() => continue,
            Ok(_) => "differs from what the spec generates",
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => "missing",
            Err(source) => {
                return fail(&Error::Io {
                    path: file.path.clone(),
                    source,
                })
            }
        };
        if file.path == schema_path {
            fix.push(format!("errspec schema --out {}", schema_path.display()));
        }
        stale.push((file.path.display().to_string(), state));
    }
    let specs = generated.len();
    let total = files.len();
    if stale.is_empty() {
        println!(
            "ok: all {total} generated files are up to date ({specs} spec{} in {})",
            plural(specs),
            outputs.spec_dir.display()
        );
        return ExitCode::SUCCESS;
    }
    for (path, state) in &stale {
        eprintln!("stale: {path}: {state}");
    }
    eprintln!(
        "{} of {total} generated files are stale; run `{}` and commit the result",
        stale.len(),
        fix.join("` and `")
    );
    ExitCode::from(1)
}

/// The `generate` command line for these options: what fixes what `check` found, and what the
/// outputs' headers name.
fn generate_command(outputs: &Outputs) -> String {
    let mut command = String::from("errspec generate");
    let defaults = [
        ("--spec-dir", &outputs.spec_dir, "spec"),
        ("--rust-out", &outputs.rust_out, "generated/rust"),
        ("--docs-out", &outputs.docs_out, "generated/docs"),
    ];
    for (flag, value, default) in defaults {
        if value.as_path() != Path::new(default) {
            command.push_str(&format!(
                " {flag} {}",
                shell_word(&value.display().to_string())
            ));
        }
    }
    if let Some(dir) = &outputs.templates {
        command.push_str(&format!(
            " --templates {}",
            shell_word(&dir.display().to_string())
        ));
    }
    command
}

/// A spec directory that is not there, named with the option that sets it and its default.
fn spec_dir_exists(dir: &Path) -> Result<(), Error> {
    if dir.is_dir() {
        return Ok(());
    }
    let what = if dir.exists() {
        "is not a directory"
    } else {
        "does not exist"
    };
    Err(Error::Setup(format!(
        "the spec directory {} {what} (set by --spec-dir, default `spec`, relative to the \
         current directory)\n  help: run errspec where the specs' directory is, or pass \
         --spec-dir DIR",
        dir.display()
    )))
}

fn lint(spec_dir: &Path, specs: Vec<PathBuf>, deny_warnings: bool) -> ExitCode {
    let specs = if specs.is_empty() {
        if let Err(err) = spec_dir_exists(spec_dir) {
            return fail(&err);
        }
        match Builder::new().spec_dir(spec_dir).spec_files() {
            Ok(specs) => specs,
            Err(err) => return fail(&err),
        }
    } else {
        specs
    };
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    let mut invalid = 0;
    for spec in &specs {
        match errspec_codegen::lint::lint_file(spec) {
            Ok(warnings) => {
                for w in &warnings {
                    println!("{w}");
                    *by_rule.entry(w.rule).or_default() += 1;
                }
            }
            Err(err @ Error::Spec(_)) => {
                report(&err);
                invalid += 1;
            }
            Err(err) => return fail(&err),
        }
    }
    let total: usize = by_rule.values().sum();
    let rules: Vec<String> = by_rule.iter().map(|(r, n)| format!("{r}: {n}")).collect();
    let mut summary = format!(
        "{} spec{} linted, {total} warning{}",
        specs.len(),
        plural(specs.len()),
        plural(total)
    );
    if !rules.is_empty() {
        summary.push_str(&format!(" ({})", rules.join(", ")));
    }
    if invalid > 0 {
        summary.push_str(&format!(", {invalid} invalid"));
    }
    println!("{summary}");
    if invalid > 0 || (deny_warnings && total > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_schema(out: Option<&Path>) -> ExitCode {
    let json = schema::json();
    let Some(out) = out else {
        print!("{json}");
        return ExitCode::SUCCESS;
    };
    match errspec_codegen::write_if_changed(out, &json) {
        Ok(true) => println!("wrote {}", out.display()),
        Ok(false) => println!("{} is up to date", out.display()),
        Err(err) => return fail(&err),
    }
    ExitCode::SUCCESS
}

fn verify(
    spec: &Path,
    against: &Path,
    ignore: Vec<String>,
    pattern: Option<&str>,
    format: Option<PageFormat>,
) -> ExitCode {
    use errspec_codegen::verify::{Format, Options};
    let pattern = match pattern.map(regex::Regex::new).transpose() {
        Ok(pattern) => pattern,
        Err(err) => {
            eprintln!("error: --pattern is not a valid regular expression: {err}");
            return ExitCode::from(2);
        }
    };
    let api = match errspec_codegen::load(spec) {
        Ok(api) => api,
        Err(err) => return fail(&err),
    };
    let page = match std::fs::read(against) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(source) => {
            return fail(&Error::Io {
                path: against.to_owned(),
                source,
            })
        }
    };
    let format = match format {
        Some(PageFormat::Text) => Some(Format::Text),
        Some(PageFormat::Html) => Some(Format::Html),
        Some(PageFormat::Json) => Some(Format::Json),
        None => Format::from_path(against),
    };
    let options = Options {
        ignore,
        pattern,
        format,
    };
    let page_name = against.display();
    let report = match errspec_codegen::verify::verify(&api, &page, &options) {
        Ok(report) => report,
        Err(err) => {
            eprintln!("error: {page_name}: {err}");
            return ExitCode::from(2);
        }
    };
    println!(
        "verify {} against {page_name} ({})",
        spec.display(),
        report.format
    );
    println!("  codes look like: {}", report.shapes.join("; "));
    println!(
        "  page: {} code-like token{}, {} status{}; spec: {} code{}, {} status{}",
        report.distinct(TokenKind::Code),
        plural(report.distinct(TokenKind::Code)),
        report.distinct(TokenKind::Status),
        plural_es(report.distinct(TokenKind::Status)),
        api.codes.len(),
        plural(api.codes.len()),
        api.statuses.len(),
        plural_es(api.statuses.len()),
    );
    if !report.ignored.is_empty() {
        println!("  ignored: {}", report.ignored.join(", "));
    }
    for wire in &report.unmatched {
        if options.pattern.is_some() {
            println!("note: the spec's code `{wire}` does not match --pattern");
        } else {
            println!(
                "note: the spec's code `{wire}` has no recognised shape; tokens like it are not \
                 looked for (pass --pattern)"
            );
        }
    }
    for wire in &report.not_on_page {
        println!("note: the spec's code `{wire}` does not occur on the page");
    }
    if report.found_nothing() {
        println!(
            "error: found no code-like token on the page (read as {}), so nothing was checked; \
             pass --pattern REGEX matching how the page writes its codes, --format if the page \
             was read as the wrong format, or the page the spec was transcribed from",
            report.format
        );
        return ExitCode::from(1);
    }
    if report.missing.is_empty() {
        println!("ok: every code and status found on the page is in the spec");
        return ExitCode::SUCCESS;
    }
    println!("missing from the spec:");
    for token in &report.missing {
        println!(
            "  {page_name}:{}: {} {}",
            token.line, token.kind, token.text
        );
    }
    let n = report.missing.len();
    println!(
        "{n} token{} on the page {} not in the spec; add {} to the spec, or pass --ignore TOKEN \
         for what is not a code",
        plural(n),
        if n == 1 { "is" } else { "are" },
        if n == 1 { "it" } else { "them" },
    );
    ExitCode::from(1)
}

/// A spec as `diff` read it: the IR, or why not; a spec read from git keeps its name and
/// text, which the diagnostics show.
struct Side {
    api: Result<ir::Api, Error>,
    text: Option<(String, String)>,
}

fn diff(specs: &[PathBuf], against_git: Option<&str>, fail_on: Verdict) -> ExitCode {
    let (old, new) = match (against_git, specs) {
        (Some(rev), [spec]) => (from_git(rev, spec), from_file(spec)),
        (None, [old, new]) => (from_file(old), from_file(new)),
        (Some(_), _) => {
            return usage("diff: with --against-git REV, name one spec (the working file), not two")
        }
        (None, _) => {
            return usage("diff: name two specs, OLD and NEW, or pass --against-git REV SPEC")
        }
    };
    let (old, new) = match (old, new) {
        (Side { api: Ok(old), .. }, Side { api: Ok(new), .. }) => (old, new),
        (old, new) => {
            for side in [old, new] {
                if let Err(err) = &side.api {
                    report_with(
                        err,
                        side.text.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
                    );
                }
            }
            return ExitCode::from(2);
        }
    };
    let diff = errspec_codegen::diff::diff(&old, &new);
    for change in &diff.changes {
        println!("{change}");
    }
    let Some(verdict) = diff.verdict() else {
        println!("verdict: none (the generated API is the same)");
        return ExitCode::SUCCESS;
    };
    let counts: Vec<String> = [Verdict::Major, Verdict::Minor, Verdict::Patch]
        .into_iter()
        .map(|v| format!("{} {v}", diff.count(v)))
        .collect();
    let n = diff.changes.len();
    println!(
        "verdict: {verdict} ({n} change{}: {})",
        plural(n),
        counts.join(", ")
    );
    if verdict >= fail_on {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn from_file(path: &Path) -> Side {
    Side {
        api: errspec_codegen::load(path),
        text: None,
    }
}

/// The spec at `path` as committed at `rev`: `git show REV:./NAME` in the spec's directory,
/// so that the path may be relative to where errspec runs, or absolute.
fn from_git(rev: &str, path: &Path) -> Side {
    let name = format!("{rev}:{}", path.display());
    let failed = |message: String| Side {
        api: Err(Error::Setup(message)),
        text: None,
    };
    if rev.is_empty() || rev.starts_with('-') {
        return failed(format!(
            "--against-git `{rev}` is not a revision\n  help: pass a commit, branch or tag, such \
             as HEAD or origin/main"
        ));
    }
    let Some(file) = path.file_name() else {
        return failed(format!("{} does not name a spec file", path.display()));
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let object = format!("{rev}:./{}", file.to_string_lossy());
    let output = match std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["show", &object])
        .output()
    {
        Ok(output) => output,
        Err(err) => {
            return failed(format!(
                "cannot run git: {err}\n  help: install git, or compare two files: errspec diff \
                 OLD NEW"
            ))
        }
    };
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return failed(format!(
            "`git show {object}` in {} failed: {}\n  help: check that the directory is in a git \
             repository and that the spec was committed at {rev}",
            dir.display(),
            stderr.trim()
        ));
    }
    let text = match String::from_utf8(output.stdout) {
        Ok(text) => text,
        Err(err) => {
            let valid = String::from_utf8_lossy(&err.as_bytes()[..err.utf8_error().valid_up_to()])
                .into_owned();
            let line = valid.matches('\n').count() + 1;
            let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            return Side {
                api: Err(Error::Spec(Diagnostics(vec![Diagnostic {
                    file: name.clone(),
                    line,
                    column,
                    path: String::new(),
                    message: "the spec is not valid UTF-8".into(),
                    help: Some("commit the file as UTF-8".into()),
                }]))),
                text: Some((name, valid)),
            };
        }
    };
    Side {
        api: errspec_codegen::parse(&text, &name).map_err(Error::Spec),
        text: Some((name, text)),
    }
}

/// A usage error, reported as the argument parser reports its own.
fn usage(message: &str) -> ExitCode {
    eprintln!(
        "error: {message}\n\nUsage: errspec diff [OPTIONS] OLD NEW\n       errspec diff \
         [OPTIONS] --against-git REV SPEC\n\nFor more information, try '--help'."
    );
    ExitCode::from(2)
}

/// `import`'s sources.
#[derive(Clone, Copy, ValueEnum)]
enum ImportKind {
    /// An OpenAPI 3.0 or 3.1 document, JSON or YAML.
    Openapi,
    /// A Smithy model in its JSON AST form.
    Smithy,
    /// A Markdown or HTML page whose tables have a code column.
    Table,
}

fn import(kind: ImportKind, file: &Path, out: Option<&Path>, merge: Option<&Path>) -> ExitCode {
    use errspec_codegen::import;
    let draft = match kind {
        ImportKind::Openapi => import::openapi::read(file),
        ImportKind::Smithy => import::smithy::read(file),
        ImportKind::Table => import::table::read(file),
    };
    let draft = match draft {
        Ok(draft) => draft,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::from(2);
        }
    };
    let text = match merge {
        None => {
            let name =
                out.map_or_else(|| format!("{}.yaml", draft.id), |p| p.display().to_string());
            let text = draft.to_yaml();
            if let Err(diagnostics) = errspec_codegen::parse(&text, &name) {
                // An importer writes only what validation accepts; this is its bug.
                eprintln!(
                    "error: the spec imported from {} does not validate; please report this:\n{diagnostics}",
                    file.display()
                );
                return ExitCode::from(2);
            }
            eprintln!(
                "imported {} code{}, {} status{} and {} envelope{} from {}; {} decision{} left \
                 to you (`# DECIDE:` comments)",
                draft.codes.len(),
                plural(draft.codes.len()),
                draft.statuses.len(),
                plural_es(draft.statuses.len()),
                draft.envelopes.len(),
                plural(draft.envelopes.len()),
                file.display(),
                draft.notes.len(),
                plural(draft.notes.len()),
            );
            text
        }
        Some(existing) => {
            let source = match std::fs::read_to_string(existing) {
                Ok(source) => source,
                Err(source) => {
                    return fail(&Error::Io {
                        path: existing.to_owned(),
                        source,
                    })
                }
            };
            let merged = match draft.merge_into(&source, &existing.display().to_string()) {
                Ok(merged) => merged,
                Err(err) => {
                    eprintln!("{err}");
                    return ExitCode::from(2);
                }
            };
            let list = |items: &[String]| items.join(", ");
            eprintln!(
                "merged {} into {}: {} code{} added{}",
                file.display(),
                existing.display(),
                merged.added_codes.len(),
                plural(merged.added_codes.len()),
                if merged.added_codes.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", list(&merged.added_codes))
                },
            );
            if !merged.added_statuses.is_empty() || !merged.added_categories.is_empty() {
                let statuses: Vec<String> =
                    merged.added_statuses.iter().map(u16::to_string).collect();
                eprintln!(
                    "  with the statuses [{}] and categories [{}] they need",
                    list(&statuses),
                    list(&merged.added_categories)
                );
            }
            if merged.upgraded {
                eprintln!("  `version: 2` added: the added codes use its keys");
            }
            if !merged.not_in_source.is_empty() {
                eprintln!(
                    "note: the source no longer lists {} code{} of the spec, kept: {}",
                    merged.not_in_source.len(),
                    plural(merged.not_in_source.len()),
                    list(&merged.not_in_source)
                );
            }
            if !merged.text_differs.is_empty() {
                eprintln!(
                    "note: {} code{} ha{} another message in the source; the spec's text is kept: {}",
                    merged.text_differs.len(),
                    plural(merged.text_differs.len()),
                    if merged.text_differs.len() == 1 { "s" } else { "ve" },
                    list(&merged.text_differs)
                );
            }
            merged.text
        }
    };
    match out {
        Some(path) => match errspec_codegen::write_if_changed(path, &text) {
            Ok(true) => eprintln!("wrote {}", path.display()),
            Ok(false) => eprintln!("{} is up to date", path.display()),
            Err(err) => return fail(&err),
        },
        None => print!("{text}"),
    }
    ExitCode::SUCCESS
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn plural_es(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "es"
    }
}

fn fail(err: &Error) -> ExitCode {
    report(err);
    match err {
        Error::Spec(_) | Error::Template(_) => ExitCode::from(1),
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
    let rules: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    line(rules.iter().map(String::as_str).collect());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}
