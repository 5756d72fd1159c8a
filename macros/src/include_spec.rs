//! `include_spec!`: path literal → spec → the codegen emitter.

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;
use syn::LitStr;

pub fn expand(input: TokenStream) -> TokenStream {
    match try_expand(input) {
        Ok(tokens) => tokens,
        Err(err) => err.to_compile_error(),
    }
}

fn try_expand(input: TokenStream) -> syn::Result<TokenStream> {
    let lit: LitStr = syn::parse2(input)?;
    let path = resolve(&lit)?;
    let api =
        errspec_codegen::load(&path).map_err(|err| syn::Error::new(lit.span(), err.to_string()))?;
    let items = errspec_codegen::rust::tokens(&api);
    let path_str = path.display().to_string();
    Ok(quote! {
        // Makes cargo rebuild when the spec changes.
        const _: &str = ::core::include_str!(#path_str);
        #items
    })
}

/// The spec's path: relative to the crate's manifest directory, canonicalised, and inside it.
fn resolve(lit: &LitStr) -> syn::Result<PathBuf> {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .ok_or_else(|| {
            syn::Error::new(
                lit.span(),
                "CARGO_MANIFEST_DIR is not set; build with cargo",
            )
        })?;
    let root = manifest_dir.canonicalize().map_err(|err| {
        syn::Error::new(
            lit.span(),
            format!("cannot resolve the crate directory: {err}"),
        )
    })?;
    let joined = root.join(Path::new(&lit.value()));
    let path = joined.canonicalize().map_err(|err| {
        syn::Error::new(
            lit.span(),
            format!("cannot read spec `{}`: {err}", lit.value()),
        )
    })?;
    if !path.starts_with(&root) {
        return Err(syn::Error::new(
            lit.span(),
            format!(
                "spec `{}` is outside the crate directory; keep specs inside the crate",
                lit.value()
            ),
        ));
    }
    Ok(path)
}
