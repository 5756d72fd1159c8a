//! Procedural macros of errspec. Use them through the `errspec` crate.

use proc_macro::TokenStream;

mod include_spec;

/// Expands a spec in place: `errspec::include_spec!("spec/sinch_voice.yaml");` generates the
/// same items a build script would, relative to the crate's `CARGO_MANIFEST_DIR`.
#[proc_macro]
pub fn include_spec(input: TokenStream) -> TokenStream {
    include_spec::expand(input.into()).into()
}
