//! Checks of a derive input, each reported on the narrowest span.

use std::collections::HashMap;

use syn::{Error, Fields};

use crate::ast::{is_newtype, Input};
use crate::attr::CodeLit;

pub fn check(input: &Input<'_>, errors: &mut Vec<Error>) {
    match input.unknown {
        None => errors.push(Error::new(
            input.ident.span(),
            format!(
                "`{}` needs a fallback variant `Unknown(errspec::UnknownCode)` for codes the documentation does not list",
                input.ident
            ),
        )),
        Some(unknown) => {
            if !is_newtype(unknown) {
                let message = "the fallback variant must be `Unknown(errspec::UnknownCode)`";
                errors.push(match unknown.fields {
                    Fields::Unit => Error::new(unknown.ident.span(), message),
                    _ => Error::new_spanned(&unknown.fields, message),
                });
            }
            if let Some(attr) = unknown.attrs.iter().find(|a| a.path().is_ident("errspec")) {
                errors.push(Error::new_spanned(attr, "the `Unknown` fallback takes no errspec attributes"));
            }
        }
    }

    let integer = input
        .codes
        .iter()
        .filter_map(|c| c.attrs.code.as_ref())
        .next()
        .is_some_and(|code| matches!(code, CodeLit::Int(_)));
    let mut seen: HashMap<String, String> = HashMap::new();
    for code in &input.codes {
        let variant = &code.node.ident;
        if !matches!(code.node.fields, Fields::Unit) {
            errors.push(Error::new_spanned(
                &code.node.fields,
                format!(
                    "error code `{variant}` must be a unit variant; only `Unknown` carries data"
                ),
            ));
        }
        let attrs = &code.attrs;
        let anchor = attrs.span.unwrap_or_else(|| variant.span());
        match &attrs.code {
            None => errors.push(Error::new(
                variant.span(),
                format!("missing `#[errspec(code = ...)]` on `{variant}`"),
            )),
            Some(lit) => check_code(lit, integer, variant, &mut seen, errors),
        }
        for alias in &attrs.aliases {
            check_code(alias, integer, variant, &mut seen, errors);
        }
        match &attrs.status {
            None => errors.push(Error::new(
                anchor,
                format!("missing `status = ...` on `{variant}`"),
            )),
            Some(status) => match status.base10_parse::<u16>() {
                Ok(n) if (100..=999).contains(&n) => {}
                _ => errors.push(Error::new(
                    status.span(),
                    format!("status {status} is outside 100–999"),
                )),
            },
        }
        if attrs.message.is_none() {
            errors.push(Error::new(
                anchor,
                format!("missing `message = \"...\"` on `{variant}`"),
            ));
        }
        if let (Some(_), Some(no_retry)) = (&attrs.retry, &attrs.no_retry) {
            errors.push(Error::new(
                no_retry.span(),
                "`no_retry` contradicts `retry` on the same variant",
            ));
        }
    }
}

fn check_code(
    lit: &CodeLit,
    integer: bool,
    variant: &syn::Ident,
    seen: &mut HashMap<String, String>,
    errors: &mut Vec<Error>,
) {
    let wire = match lit {
        CodeLit::Str(s) if integer => {
            errors.push(Error::new(
                s.span(),
                "codes of this enum are integers (as its first code); write this one as a number",
            ));
            return;
        }
        CodeLit::Int(n) if !integer => {
            errors.push(Error::new(
                n.span(),
                "codes of this enum are strings (as its first code); quote this one",
            ));
            return;
        }
        CodeLit::Str(s) if s.value().is_empty() => {
            errors.push(Error::new(s.span(), "empty code"));
            return;
        }
        CodeLit::Str(s) => s.value(),
        CodeLit::Int(n) => match n.base10_parse::<u32>() {
            Ok(n) => n.to_string(),
            Err(_) => {
                errors.push(Error::new(
                    n.span(),
                    "integer codes range from 0 to 4294967295",
                ));
                return;
            }
        },
    };
    if let Some(first) = seen.insert(wire.clone(), variant.to_string()) {
        errors.push(Error::new(
            lit.span(),
            format!("duplicate code `{wire}`, already used by `{first}`"),
        ));
    }
}
