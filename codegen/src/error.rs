//! The generator's error type.

use std::fmt;
use std::path::PathBuf;

use crate::diag::Diagnostics;

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
