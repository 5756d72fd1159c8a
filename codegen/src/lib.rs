//! The errspec code generator: YAML error specs → validated IR → Rust and Markdown.
//!
//! ```toml
//! [dependencies]
//! errspec = { version = "0.1", default-features = false }
//!
//! [build-dependencies]
//! errspec-codegen = { version = "0.1", default-features = false }
//! ```
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
//! and in `src/lib.rs`, one module per spec, named after its `api.id`:
//! `pub mod my_api { include!(concat!(env!("OUT_DIR"), "/my_api.rs")); }`. The spec format is
//! [`spec_format`]; diagnostics name file, line, column, YAML path and a fix, every problem of
//! a file in one run. The `errspec` CLI (`cargo install errspec-codegen`) generates, checks,
//! lints and verifies specs.
//!
//! The pipeline, one module each: `load` reads a spec (the structural check, the deserializer
//! into `spec`, the file as written, and `validate`, every check with all problems of a file at
//! once) into [`ir`], the validated model where every name and kind is resolved; the emitters
//! read only the IR: `rust` (the generated module) and [`markdown`] (the reference docs, feature
//! `docs`). [`Builder`] runs it for a set of specs and writes the outputs atomically. The CLI's
//! own tools, `lint` (spec quality warnings), `verify` (codes on a source page that a spec
//! lacks) and [`diff`] (the semver verdict of a change to a spec), and the JSON Schema of the
//! format (`schema`) sit behind the `cli` and `schema` features, so a build script compiles
//! none of them.

#![deny(missing_docs)]
// The crate docs show a whole `build.rs`, whose `main` is the point of the example.
#![allow(clippy::needless_doctest_main)]
// docs.rs marks which feature each gated item needs.
#![cfg_attr(docsrs, feature(doc_cfg))]

mod anchor;
mod builder;
mod diag;
#[cfg(feature = "cli")]
#[cfg_attr(docsrs, doc(cfg(feature = "cli")))]
pub mod diff;
mod error;
#[cfg(feature = "cli")]
#[cfg_attr(docsrs, doc(cfg(feature = "cli")))]
pub mod import;
pub mod ir;
#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod lint;
mod load;
mod locate;
#[cfg(feature = "docs")]
#[cfg_attr(docsrs, doc(cfg(feature = "docs")))]
pub mod markdown;
mod output;
mod recover;
// The emitter is used by the proc macros and the benchmarks; a user reaches it through
// `generate_rust` and `Builder`.
#[doc(hidden)]
pub mod rust;
mod rustdoc;
#[cfg(feature = "schema")]
#[doc(hidden)]
pub mod schema;
#[allow(missing_docs)]
#[doc(hidden)]
pub mod spec;
#[doc(hidden)]
pub mod table;
mod validate;
#[cfg(feature = "cli")]
#[doc(hidden)]
#[cfg(feature = "verify")]
pub mod verify;

#[doc = include_str!("../doc/spec-format.md")]
pub mod spec_format {}

#[doc = include_str!("../doc/templates.md")]
pub mod templates {}

pub use anchor::code_anchor;
#[cfg(feature = "docs")]
#[cfg_attr(docsrs, doc(cfg(feature = "docs")))]
pub use builder::DocPage;
pub use builder::{Builder, Generated};
pub use diag::{Diagnostic, Diagnostics, MAX_SPEC_BYTES};
pub use error::Error;
pub use load::{discover_specs, load, load_named, parse};
pub use output::{write_all, write_if_changed};

/// The Rust source for a spec, formatted, starting with an `@generated` header.
pub fn generate_rust(api: &ir::Api) -> String {
    rust::file(api)
}
