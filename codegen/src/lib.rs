//! The errspec code generator: YAML error specs → validated IR → Rust.
//!
//! ```no_run
//! // build.rs
//! fn main() {
//!     if let Err(error) = errspec_codegen::Builder::new().spec_dir("spec").generate_into_out_dir() {
//!         eprintln!("{error}");
//!         std::process::exit(1);
//!     }
//! }
//! ```
//!
//! The stages, one module each: [`spec`] (the file as written), `validate` (every check, all
//! problems of a file at once), [`ir`] (the validated model) and [`rust`] (the one emitter).
//! Beside them: `markdown` (the reference docs, feature `docs`), `schema` (the JSON Schema of
//! the spec format, feature `schema`), [`lint`] (spec quality warnings) and [`verify`] (codes
//! on a source page that a spec lacks).

#![deny(missing_docs)]
// The crate docs show a whole `build.rs`, whose `main` is the point of the example.
#![allow(clippy::needless_doctest_main)]

mod anchor;
mod diag;
pub mod ir;
pub mod lint;
mod locate;
#[cfg(feature = "docs")]
pub mod markdown;
pub mod rust;
mod rustdoc;
#[cfg(feature = "schema")]
pub mod schema;
#[allow(missing_docs)]
pub mod spec;
#[doc(hidden)]
pub mod table;
mod validate;
pub mod verify;

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

pub use anchor::code_anchor;
pub use diag::{Diagnostic, Diagnostics, MAX_SPEC_BYTES};

/// Why generation failed.
#[derive(Debug)]
pub enum Error {
    /// One or more specs are invalid.
    Spec(Diagnostics),
    /// A file or directory could not be read or written.
    Io {
        /// The file or directory.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// A build script ran without `OUT_DIR`, or the spec directory holds no spec.
    Setup(String),
    /// A docs template does not parse or fails to render.
    Template(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Spec(diagnostics) => diagnostics.fmt(f),
            Error::Io { path, source } => write!(f, "error: {}: {source}", path.display()),
            Error::Setup(message) => write!(f, "error: {message}"),
            Error::Template(message) => write!(f, "error: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Spec(diagnostics) => Some(diagnostics),
            Error::Io { source, .. } => Some(source),
            Error::Setup(_) | Error::Template(_) => None,
        }
    }
}

impl From<Diagnostics> for Error {
    fn from(diagnostics: Diagnostics) -> Self {
        Error::Spec(diagnostics)
    }
}

/// Parses and validates a spec from its text. `file` names the spec in diagnostics and in the
/// generated header; only its file name is kept in the IR, so output does not depend on where
/// the spec lives.
pub fn parse(source: &str, file: &str) -> Result<ir::Api, Diagnostics> {
    // A byte-order mark is not part of the document; CRLF needs no handling, YAML treats it
    // as a line break.
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    if let Some(problem) = locate::check_source(source, file) {
        return Err(Diagnostics(vec![problem]));
    }
    let spec: spec::Spec = match serde_yaml::from_str(source) {
        Ok(spec) => spec,
        Err(err) => return Err(Diagnostics(vec![yaml_diagnostic(&err, source, file)])),
    };
    let mut cx = diag::Ctxt::new();
    let api = validate::validate(&spec, file_name(file), &mut cx);
    if !cx.has_errors() {
        return Ok(api);
    }
    let locator = locate::Locator::new(source);
    let mut diagnostics: Vec<Diagnostic> = cx
        .into_pending()
        .into_iter()
        .map(|p| {
            let (line, column) = locator.position(&p.path);
            Diagnostic {
                file: file.to_owned(),
                line,
                column,
                path: p.path,
                message: p.message,
                help: p.help,
            }
        })
        .collect();
    diagnostics.sort_by_key(|d| (d.line, d.column));
    Err(Diagnostics(diagnostics))
}

/// Reads, parses and validates the spec at `path`.
pub fn load(path: &Path) -> Result<ir::Api, Error> {
    load_named(path, &path.display().to_string())
}

/// Reads, parses and validates the spec at `path`, naming it `name` in diagnostics (the proc
/// macros name a spec as the user wrote its path, not as the file system resolved it).
pub fn load_named(path: &Path, name: &str) -> Result<ir::Api, Error> {
    let bytes = read_bounded(path, diag::MAX_SPEC_BYTES + 1).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    if bytes.len() > diag::MAX_SPEC_BYTES {
        return Err(Error::Spec(Diagnostics(vec![diag::too_large(name)])));
    }
    let name = name.to_owned();
    let source = match String::from_utf8(bytes) {
        Ok(source) => source,
        Err(err) => {
            let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
            let text = String::from_utf8_lossy(valid);
            let line = text.matches('\n').count() + 1;
            let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            return Err(Error::Spec(Diagnostics(vec![Diagnostic {
                file: name,
                line,
                column,
                path: String::new(),
                message: "the spec is not valid UTF-8".into(),
                help: Some("save the file as UTF-8".into()),
            }])));
        }
    };
    Ok(parse(&source, &name)?)
}

/// The Rust source for a spec, formatted, starting with an `@generated` header.
pub fn generate_rust(api: &ir::Api) -> String {
    rust::file(api)
}

/// The specs in `dir`: its `*.yaml` and `*.yml` files, sorted by name.
pub fn discover_specs(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let io = |source| Error::Io {
        path: dir.to_owned(),
        source,
    };
    let mut specs = Vec::new();
    for entry in fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let is_spec = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        );
        if is_spec && path.is_file() {
            specs.push(path);
        }
    }
    specs.sort();
    Ok(specs)
}

/// One spec's generated Rust.
#[derive(Clone, Debug)]
pub struct Generated {
    /// The spec it came from.
    pub spec: PathBuf,
    /// The validated API.
    pub api: ir::Api,
    /// The Rust source.
    pub rust: String,
}

/// Generates Rust for a set of specs; the entry point for build scripts and the CLI.
#[derive(Clone, Debug, Default)]
pub struct Builder {
    specs: Vec<PathBuf>,
    spec_dirs: Vec<PathBuf>,
    #[cfg(feature = "docs")]
    templates: Option<PathBuf>,
}

impl Builder {
    /// A builder with no specs yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one spec file.
    pub fn spec(mut self, path: impl Into<PathBuf>) -> Self {
        self.specs.push(path.into());
        self
    }

    /// Adds every `*.yaml`/`*.yml` spec in a directory.
    pub fn spec_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.spec_dirs.push(dir.into());
        self
    }

    /// The spec files, directories expanded, in a stable order.
    pub fn spec_files(&self) -> Result<Vec<PathBuf>, Error> {
        let mut files = self.specs.clone();
        for dir in &self.spec_dirs {
            files.extend(discover_specs(dir)?);
        }
        if files.is_empty() {
            return Err(Error::Setup(
                "no spec files given (expected *.yaml files)".into(),
            ));
        }
        Ok(files)
    }

    /// Loads, validates and generates every spec, reporting the problems of all of them at
    /// once. Two specs with the same `api.id` are an error, since their modules would clash.
    pub fn generate(&self) -> Result<Vec<Generated>, Error> {
        let mut generated: Vec<Generated> = Vec::new();
        let mut problems = Vec::new();
        for spec in self.spec_files()? {
            match load(&spec) {
                Ok(api) => {
                    if let Some(other) = generated.iter().find(|g| g.api.id == api.id) {
                        problems.push(Diagnostic {
                            file: spec.display().to_string(),
                            line: 1,
                            column: 1,
                            path: "api.id".into(),
                            message: format!(
                                "api id `{}` is already used by {}",
                                api.id,
                                other.spec.display()
                            ),
                            help: Some("give each API its own `api.id`".into()),
                        });
                        continue;
                    }
                    let rust = generate_rust(&api);
                    generated.push(Generated { spec, api, rust });
                }
                Err(Error::Spec(diagnostics)) => problems.extend(diagnostics.0),
                Err(other) => return Err(other),
            }
        }
        if problems.is_empty() {
            Ok(generated)
        } else {
            Err(Error::Spec(Diagnostics(problems)))
        }
    }

    /// Generates every spec into `dir` as `<api id>.rs`, writing only files whose content
    /// changed.
    pub fn generate_into(&self, dir: &Path) -> Result<Vec<Generated>, Error> {
        let generated = self.generate()?;
        for g in &generated {
            write_if_changed(&dir.join(format!("{}.rs", g.api.id)), &g.rust)?;
        }
        Ok(generated)
    }

    /// For build scripts: tells cargo to rerun only when a spec changes (or a spec is added to
    /// a spec directory), then generates into `OUT_DIR`.
    pub fn generate_into_out_dir(&self) -> Result<Vec<Generated>, Error> {
        for dir in &self.spec_dirs {
            println!("cargo:rerun-if-changed={}", dir.display());
        }
        let files = self.spec_files()?;
        for spec in &files {
            println!("cargo:rerun-if-changed={}", spec.display());
        }
        let out_dir = std::env::var_os("OUT_DIR").ok_or_else(|| {
            Error::Setup("OUT_DIR is not set: call this from a build script".into())
        })?;
        self.generate_into(Path::new(&out_dir))
    }
}

/// One generated reference page.
#[cfg(feature = "docs")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocPage {
    /// Its file name: `<api id>.md`, or `README.md` for the index.
    pub file: String,
    /// The Markdown.
    pub markdown: String,
}

#[cfg(feature = "docs")]
impl Builder {
    /// Renders the docs with the templates in `dir` (`api.md.j2`, `index.md.j2`) in place of
    /// the built-in API page and index; see [`markdown`] for the context each receives.
    pub fn templates(mut self, dir: impl Into<PathBuf>) -> Self {
        self.templates = Some(dir.into());
        self
    }

    /// The templates the docs are rendered with.
    pub fn load_templates(&self) -> Result<markdown::Templates, Error> {
        match &self.templates {
            Some(dir) => markdown::Templates::from_dir(dir),
            None => markdown::Templates::builtin(),
        }
    }

    /// The reference docs of generated APIs: one page per API, `<api id>.md`, in the order
    /// given, then the index, `README.md`.
    pub fn docs(&self, generated: &[Generated]) -> Result<Vec<DocPage>, Error> {
        let templates = self.load_templates()?;
        let mut pages = Vec::with_capacity(generated.len() + 1);
        for g in generated {
            pages.push(DocPage {
                file: format!("{}.md", g.api.id),
                markdown: templates.render_api(&g.api)?,
            });
        }
        let apis: Vec<&ir::Api> = generated.iter().map(|g| &g.api).collect();
        pages.push(DocPage {
            file: markdown::INDEX_FILE.to_owned(),
            markdown: templates.render_index(&apis)?,
        });
        Ok(pages)
    }

    /// Generates every spec's Rust and docs, writing the docs into `dir`; only files whose
    /// content changed are written.
    pub fn generate_docs_into(&self, dir: &Path) -> Result<Vec<DocPage>, Error> {
        let generated = self.generate()?;
        let pages = self.docs(&generated)?;
        for page in &pages {
            write_if_changed(&dir.join(&page.file), &page.markdown)?;
        }
        Ok(pages)
    }
}

/// Writes `contents` to `path` unless it already holds exactly that, so that unchanged output
/// keeps its modification time and triggers no rebuild.
pub fn write_if_changed(path: &Path, contents: &str) -> Result<bool, Error> {
    if fs::read(path).is_ok_and(|old| old == contents.as_bytes()) {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|source| Error::Io {
            path: parent.to_owned(),
            source,
        })?;
    }
    fs::write(path, contents).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    Ok(true)
}

/// At most `limit` bytes of the file: a spec path may name something endless, such as a pipe.
fn read_bounded(path: &Path, limit: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    fs::File::open(path)?
        .take(limit as u64)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn file_name(file: &str) -> &str {
    Path::new(file)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(file)
}

/// A serde/YAML error as a located diagnostic. The library prints `path: message at line L
/// column C`; the parts are taken apart so that they read like every other diagnostic.
fn yaml_diagnostic(err: &serde_yaml::Error, source: &str, file: &str) -> Diagnostic {
    let (line, column) = err.location().map_or((1, 1), |l| (l.line(), l.column()));
    let mut text = err.to_string();
    if let Some(cut) = text.rfind(" at line ") {
        text.truncate(cut);
    }
    // The path prefix is only there when the error is below the root: `codes[1].status: ...`.
    let (path, message) = match text.split_once(": ") {
        Some((path, rest)) if looks_like_path(path) => (path.to_owned(), rest.to_owned()),
        _ => (String::new(), text),
    };
    let message = if source.trim().is_empty() {
        "the spec is empty".to_owned()
    } else {
        message
    };
    let help = if message.starts_with("unknown field") {
        "check the spelling; spec/README.md lists every field"
    } else if message.starts_with("missing field") {
        "add the field; spec/README.md shows an example of each"
    } else if message.starts_with("duplicate field") {
        "give each key once per mapping"
    } else if message.starts_with("unknown variant") {
        "use one of the values listed"
    } else if message.starts_with("invalid type") {
        "give the value the type spec/README.md shows for this field"
    } else if message == "the spec is empty" {
        "start from one of the specs in spec/ or the example in spec/README.md"
    } else {
        "fix the YAML syntax at this place"
    };
    Diagnostic {
        file: file.to_owned(),
        line,
        column,
        path,
        message,
        help: Some(help.to_owned()),
    }
}

fn looks_like_path(s: &str) -> bool {
    !s.is_empty()
        && !s.contains(' ')
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '[' | ']' | '-'))
}
