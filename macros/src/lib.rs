//! Procedural macros of errspec. Use them through the `errspec` crate, which documents them.
//!
//! Both macros are thin: `include_spec!` loads a spec with the codegen library, and
//! `#[derive(ErrorCode)]` runs a pipeline, one stage per module (`attr` → `ast` → `valid` →
//! `expand`, with `fallback` for invalid input), that lowers to the codegen IR. Either way the
//! tokens come from the codegen emitter.

use proc_macro::TokenStream;

mod ast;
mod attr;
mod expand;
mod fallback;
mod include_spec;
mod valid;

/// Expands a spec in place: the same items a build script would generate for it. The path is
/// relative to the crate's `CARGO_MANIFEST_DIR`.
#[proc_macro]
pub fn include_spec(input: TokenStream) -> TokenStream {
    include_spec::expand(input.into()).into()
}

/// Gives a hand-written enum of error codes the impls of a generated `ErrorCode`.
#[proc_macro_derive(ErrorCode, attributes(errspec))]
pub fn derive_error_code(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand::derive(&input).into()
}
