//! [`Builder`]: the entry point of build scripts and the CLI.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics};
#[cfg(feature = "docs")]
use crate::markdown;
use crate::{ir, load, output, Error};

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
    /// How the outputs' `@generated` headers say to regenerate them, when not the default.
    regenerate: Option<String>,
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

    /// How the `@generated` header of every output says to regenerate it: the command line that
    /// wrote it, as ``regenerate (`errspec generate --spec-dir specs`)`` (the CLI sets it when
    /// given options). The default names `errspec generate` and a rebuild, which is what a
    /// build script's outputs say, so that they are byte-identical to the CLI's.
    pub fn regenerate_with(mut self, how: impl Into<String>) -> Self {
        self.regenerate = Some(how.into());
        self
    }

    /// The spec files, directories expanded, in a stable order.
    pub fn spec_files(&self) -> Result<Vec<PathBuf>, Error> {
        let mut files = self.specs.clone();
        for dir in &self.spec_dirs {
            files.extend(load::discover_specs(dir)?);
        }
        if files.is_empty() {
            let dirs: Vec<String> = self
                .spec_dirs
                .iter()
                .map(|d| d.display().to_string())
                .collect();
            return Err(Error::Setup(match dirs.as_slice() {
                [] => "no spec files given: add a spec file or a spec directory".into(),
                [dir] => format!("no spec files (*.yaml, *.yml) in {dir}"),
                dirs => format!("no spec files (*.yaml, *.yml) in {}", dirs.join(", ")),
            }));
        }
        Ok(files)
    }

    /// Loads, validates and generates every spec, reporting the problems of all of them at
    /// once. Two specs with the same `api.id` are an error, since their modules would clash.
    pub fn generate(&self) -> Result<Vec<Generated>, Error> {
        let mut generated: Vec<Generated> = Vec::new();
        let mut problems = Vec::new();
        for spec in self.spec_files()? {
            match load::load(&spec) {
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
                    let rust = crate::rust::file_with(&api, self.regenerate.as_deref());
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
    /// changed, all of them or none (see [`write_all`](crate::write_all)).
    pub fn generate_into(&self, dir: &Path) -> Result<Vec<Generated>, Error> {
        let generated = self.generate()?;
        let paths: Vec<PathBuf> = generated
            .iter()
            .map(|g| dir.join(format!("{}.rs", g.api.id)))
            .collect();
        output::write_all(
            paths
                .iter()
                .map(PathBuf::as_path)
                .zip(generated.iter().map(|g| g.rust.as_str())),
        )?;
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
#[cfg_attr(docsrs, doc(cfg(feature = "docs")))]
impl Builder {
    /// Renders the docs with the templates in `dir` (`api.md.j2`, `index.md.j2`) in place of
    /// the built-in API page and index; see [`markdown`] for the context each receives.
    pub fn templates(mut self, dir: impl Into<PathBuf>) -> Self {
        self.templates = Some(dir.into());
        self
    }

    /// The templates the docs are rendered with.
    pub fn load_templates(&self) -> Result<markdown::Templates, Error> {
        let templates = match &self.templates {
            Some(dir) => markdown::Templates::from_dir(dir)?,
            None => markdown::Templates::builtin()?,
        };
        Ok(match &self.regenerate {
            Some(how) => templates.regenerate_with(how.clone()),
            None => templates,
        })
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
        let paths: Vec<PathBuf> = pages.iter().map(|p| dir.join(&p.file)).collect();
        output::write_all(
            paths
                .iter()
                .map(PathBuf::as_path)
                .zip(pages.iter().map(|p| p.markdown.as_str())),
        )?;
        Ok(pages)
    }
}
