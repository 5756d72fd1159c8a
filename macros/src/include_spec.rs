//! `include_spec!`: path literal → spec → the codegen emitter.

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;
use syn::LitStr;

pub fn expand(input: TokenStream) -> TokenStream {
    let root = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    match try_expand(root.as_deref(), input) {
        Ok(tokens) => tokens,
        Err(err) => err.to_compile_error(),
    }
}

/// The expansion for a crate whose manifest directory is `root`.
pub fn try_expand(root: Option<&Path>, input: TokenStream) -> syn::Result<TokenStream> {
    let lit: LitStr = syn::parse2(input)?;
    let path = resolve(root, &lit)?;
    let api =
        errspec_codegen::load_named(&path, &lit.value()).map_err(|err| spec_error(&lit, err))?;
    let items = errspec_codegen::rust::tokens(&api);
    let path_str = path.display().to_string();
    Ok(quote! {
        const _: &str = ::core::include_str!(#path_str);
        #items
    })
}

/// One compiler error per problem in the spec, each on the path literal.
fn spec_error(lit: &LitStr, err: errspec_codegen::Error) -> syn::Error {
    let messages: Vec<String> = match err {
        errspec_codegen::Error::Spec(diagnostics) => {
            diagnostics.iter().map(ToString::to_string).collect()
        }
        other => vec![other.to_string().trim_start_matches("error: ").to_owned()],
    };
    let mut errors = messages
        .into_iter()
        .map(|message| syn::Error::new(lit.span(), message));
    let mut combined = errors
        .next()
        .unwrap_or_else(|| syn::Error::new(lit.span(), "invalid spec"));
    combined.extend(errors);
    combined
}

/// The spec's path: relative to the crate's manifest directory, canonicalised, and inside it.
fn resolve(root: Option<&Path>, lit: &LitStr) -> syn::Result<PathBuf> {
    let error = |message: String| syn::Error::new(lit.span(), message);
    let root = root
        .ok_or_else(|| error("CARGO_MANIFEST_DIR is not set; build with cargo".into()))?
        .canonicalize()
        .map_err(|err| error(format!("cannot resolve the crate directory: {err}")))?;
    let outside = || {
        error(format!(
            "spec `{}` is outside the crate directory; keep specs inside the crate so that it builds when published",
            lit.value()
        ))
    };
    // Checked on the path as written first, so the answer does not depend on what exists
    // outside the crate, then on the resolved path, which follows symbolic links.
    if !lexically_inside(&root, Path::new(&lit.value())) {
        return Err(outside());
    }
    let path = root
        .join(lit.value())
        .canonicalize()
        .map_err(|err| error(format!("cannot read spec `{}`: {err}", lit.value())))?;
    if !path.starts_with(&root) {
        return Err(outside());
    }
    Ok(path)
}

/// Whether `relative`, joined to `root`, stays inside `root` when `..` is applied as written.
fn lexically_inside(root: &Path, relative: &Path) -> bool {
    use std::path::Component;
    let mut depth = 0usize;
    for component in relative.components() {
        match component {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir if depth == 0 => return false,
            Component::ParentDir => depth -= 1,
            Component::RootDir | Component::Prefix(_) => return relative.starts_with(root),
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repo_root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    /// `include_spec!` expands to the `include_str!` that tracks the spec, then exactly the
    /// tokens of the one emitter, which are those of the file the build script and the CLI
    /// write into `generated/rust/*.rs`.
    #[test]
    fn expansion_is_the_emitters_tokens_for_every_spec() {
        for name in ["hms_sovereign", "sinch_numbers", "sinch_voice"] {
            let literal = format!("spec/{name}.yaml");
            let expanded = try_expand(Some(&repo_root()), quote!(#literal)).unwrap();
            let api = errspec_codegen::load(&repo_root().join(&literal)).unwrap();
            let emitted = errspec_codegen::rust::tokens(&api);
            let expanded = expanded.to_string();
            let (tracking, items) = expanded.split_once(';').unwrap();
            assert!(tracking.contains("include_str"), "{tracking}");
            assert_eq!(items.trim(), emitted.to_string(), "{name}");

            // The file holds the same items: parsed, both print the same tokens.
            let checked_in =
                std::fs::read_to_string(repo_root().join(format!("generated/rust/{name}.rs")))
                    .unwrap();
            assert_eq!(checked_in, errspec_codegen::rust::file(&api), "{name}");
            let from_file: syn::File = syn::parse_str(&checked_in).unwrap();
            let from_tokens: syn::File = syn::parse2(emitted).unwrap();
            assert_eq!(
                quote!(#from_file).to_string(),
                quote!(#from_tokens).to_string(),
                "{name}"
            );
        }
    }

    #[test]
    fn paths_outside_the_crate_are_refused() {
        let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let err = try_expand(Some(crate_dir), quote!("../spec/sinch_voice.yaml")).unwrap_err();
        assert!(
            err.to_string().contains("is outside the crate directory"),
            "{err}"
        );
    }

    #[test]
    fn spec_errors_name_the_path_as_written() {
        let err = try_expand(Some(&repo_root()), quote!("README.md")).unwrap_err();
        assert!(err.to_string().starts_with("README.md:"), "{err}");
    }
}
