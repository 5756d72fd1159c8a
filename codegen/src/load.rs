//! Reading specs: the text through the structural check, the deserializer and validation.

use std::fs;
use std::path::{Path, PathBuf};

use crate::diag::{self, Diagnostic, Diagnostics};
use crate::{ir, locate, spec, validate, Error};

/// Parses and validates a spec from its text. `file` names the spec in diagnostics and in the
/// generated header; only its file name is kept in the IR, so output does not depend on where
/// the spec lives.
pub fn parse(source: &str, file: &str) -> Result<ir::Api, Diagnostics> {
    parse_model(source, file).map(|(_, api)| api)
}

/// [`parse`], keeping the spec as written beside the IR for the tools that report on the
/// file itself (`lint` names the YAML paths of errata and of `extends`).
pub(crate) fn parse_model(source: &str, file: &str) -> Result<(spec::Spec, ir::Api), Diagnostics> {
    // A byte-order mark is not part of the document; CRLF needs no handling, YAML treats it
    // as a line break.
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let problems = locate::check_source(source, file);
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    let spec: spec::Spec = match serde_yaml::from_str(source) {
        Ok(spec) => spec,
        Err(err) => return Err(every_structural_problem(&err, source, file)),
    };
    let mut cx = diag::Ctxt::new();
    let api = validate::validate(&spec, file_name(file), &mut cx);
    if !cx.has_errors() {
        return Ok((spec, api));
    }
    let mut diagnostics = unlocated(cx, file, &[]);
    locate_all(source, &mut diagnostics);
    Err(Diagnostics(diagnostics))
}

/// The problems validation found, not yet located, in the order found; those under a path of
/// `skip` are left out.
fn unlocated(cx: diag::Ctxt, file: &str, skip: &[String]) -> Vec<Diagnostic> {
    let under = |path: &str, prefix: &str| {
        path.strip_prefix(prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
    };
    cx.into_pending()
        .into_iter()
        .filter(|p| !skip.iter().any(|s| under(&p.path, s)))
        .map(|p| Diagnostic {
            file: file.to_owned(),
            line: 0,
            column: 0,
            path: p.path,
            message: p.message,
            help: p.help,
        })
        .collect()
}

/// Gives each diagnostic the line and column of its path in `source`, in one walk, and puts
/// them in the order of their lines.
fn locate_all(source: &str, diagnostics: &mut [Diagnostic]) {
    locate::locate(source, diagnostics, |d| d.path.as_str(), |d| d);
    diagnostics.sort_by_key(|d| (d.line, d.column));
}

/// Every structural problem of a spec that did not deserialize (`err` is the first), and,
/// when they can all be repaired, what validation finds in the rest of it.
fn every_structural_problem(err: &serde_yaml::Error, source: &str, file: &str) -> Diagnostics {
    let first = yaml_diagnostic(err, source, file);
    if first.message == "the spec is empty" {
        return Diagnostics(vec![first]);
    }
    let recovered = crate::recover::recover(source, file, help_for);
    let mut found = recovered.found;
    let structural = found.len();
    // Validation runs on the repaired spec only where the stand-ins cannot make other
    // entries look wrong.
    let trusted = recovered.spec.filter(|(_, stand_ins)| {
        stand_ins
            .iter()
            .all(|path| crate::recover::stand_in_is_local(path))
    });
    if let Some((spec, stand_ins)) = trusted {
        let mut cx = diag::Ctxt::new();
        validate::validate(&spec, file_name(file), &mut cx);
        found.extend(
            unlocated(cx, file, &stand_ins)
                .into_iter()
                .map(|d| (d.path.clone(), d)),
        );
    }
    // Every problem found is located in one walk of the source.
    locate::locate(source, &mut found, |(at, _)| at.as_str(), |(_, d)| d);
    let mut located = found.into_iter().map(|(_, d)| d);
    let mut diagnostics =
        crate::recover::with_first(located.by_ref().take(structural).collect(), first);
    diagnostics.extend(located);
    diagnostics.sort_by_key(|d| (d.line, d.column));
    diagnostics.dedup();
    Diagnostics(diagnostics)
}

/// Reads, parses and validates the spec at `path`.
pub fn load(path: &Path) -> Result<ir::Api, Error> {
    load_named(path, &path.display().to_string())
}

/// Reads, parses and validates the spec at `path`, naming it `name` in diagnostics (the proc
/// macros name a spec as the user wrote its path, not as the file system resolved it).
pub fn load_named(path: &Path, name: &str) -> Result<ir::Api, Error> {
    Ok(parse(&read_source(path, name)?, name)?)
}

/// The text of the spec at `path`: at most [`MAX_SPEC_BYTES`](crate::MAX_SPEC_BYTES), UTF-8,
/// each refusal a located diagnostic naming the spec `name`.
pub(crate) fn read_source(path: &Path, name: &str) -> Result<String, Error> {
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
    Ok(source)
}

/// The specs in `dir`: its `*.yaml` and `*.yml` files, sorted by name.
pub fn discover_specs(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let io = |source| Error::Io {
        path: dir.to_owned(),
        source,
    };
    let mut specs = Vec::new();
    let mut refused = Vec::new();
    for entry in fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let is_spec = matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("yaml" | "yml")
        );
        if !is_spec {
            continue;
        }
        // Named like a spec, so it is one or it is reported: a symlink that leads nowhere
        // (or in a loop), a FIFO, a device or a directory is never skipped silently.
        match fs::metadata(&path) {
            Ok(meta) if meta.is_file() => specs.push(path),
            Ok(meta) => refused.push(format!(
                "{}: {}, not a spec file",
                path.display(),
                file_kind(&meta.file_type())
            )),
            Err(err) => refused.push(format!("{}: {err}", path.display())),
        }
    }
    if !refused.is_empty() {
        refused.sort();
        return Err(Error::Setup(format!(
            "{} in the spec directory {} cannot be read as specs:\n  {}\n  \
             help: remove them, rename them to another extension, or point a symlink at a \
             regular file",
            if refused.len() == 1 {
                "an entry"
            } else {
                "entries"
            },
            dir.display(),
            refused.join("\n  ")
        )));
    }
    specs.sort();
    Ok(specs)
}

/// What a non-regular file is, in words.
fn file_kind(kind: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_block_device() || kind.is_char_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
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
    // Nothing but blank lines, comments and document markers: there is no node to read.
    let empty = source.lines().all(|line| {
        let line = line.trim();
        line.is_empty() || line.starts_with('#') || line == "---" || line == "..."
    });
    let ((line, column), (path, message, help)) = if empty {
        (
            (1, 1),
            (
                String::new(),
                "the spec is empty".to_owned(),
                "start from the example in the spec format (docs.rs/errspec-codegen, `spec_format`)"
                    .to_owned(),
            ),
        )
    } else {
        (
            err.location().map_or((1, 1), |l| (l.line(), l.column())),
            yaml_parts(err),
        )
    };
    Diagnostic {
        file: file.to_owned(),
        line,
        column,
        path,
        message,
        help: Some(help),
    }
}

/// The YAML path, the message and a fix of a serde/YAML error, without its location.
fn yaml_parts(err: &serde_yaml::Error) -> (String, String, String) {
    let mut text = err.to_string();
    if let Some(cut) = text.rfind(" at line ") {
        text.truncate(cut);
    }
    // The path prefix is only there when the error is below the root: `codes[1].status: ...`.
    let (path, message) = match text.split_once(": ") {
        Some((path, rest)) if looks_like_path(path) => (path.to_owned(), rest.to_owned()),
        _ => (String::new(), text),
    };
    let help = help_for(&message);
    (path, message, help.to_owned())
}

/// How to fix the problem a serde/YAML message describes.
fn help_for(message: &str) -> &'static str {
    if message.starts_with("unknown field") {
        "check the spelling; the spec format (docs.rs/errspec-codegen, `spec_format`) lists every field"
    } else if message.starts_with("missing field") {
        "add the field; the spec format (docs.rs/errspec-codegen, `spec_format`) shows an example of each"
    } else if message.starts_with("duplicate field") {
        "give each key once per mapping"
    } else if message.starts_with("unknown variant") {
        "use one of the values listed"
    } else if message.starts_with("invalid type") {
        "give the value the type the spec format (docs.rs/errspec-codegen, `spec_format`) shows for this field"
    } else {
        "fix the YAML syntax at this place"
    }
}

fn looks_like_path(s: &str) -> bool {
    !s.is_empty()
        && !s.contains(' ')
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '[' | ']' | '-'))
}
