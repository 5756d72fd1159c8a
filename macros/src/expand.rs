//! Lowers a checked derive input to the codegen IR and expands it with the codegen emitter,
//! the same one that generates spec modules.

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::TokenStream;
use quote::quote;
use syn::{DeriveInput, Error};

use errspec_codegen::ir;
use errspec_codegen::rust::derive_tokens;

use crate::ast::Input;
use crate::attr::CodeLit;
use crate::{fallback, valid};

pub fn derive(node: &DeriveInput) -> TokenStream {
    let mut errors = Vec::new();
    let input = match Input::from_syn(node, &mut errors) {
        Ok(input) => input,
        Err(err) => return err.to_compile_error(),
    };
    valid::check(&input, &mut errors);
    if !errors.is_empty() {
        let errors = errors.iter().map(Error::to_compile_error);
        let stub = fallback::stub(input.ident);
        return quote! {
            #( #errors )*
            #stub
        };
    }
    let (api, policies) = lower(&input);
    derive_tokens(&api, policies)
}

fn wire_of(lit: &CodeLit) -> (String, Option<u32>) {
    match lit {
        CodeLit::Str(s) => (s.value(), None),
        CodeLit::Int(n) => {
            let n = n.base10_parse::<u32>().unwrap_or_default();
            (n.to_string(), Some(n))
        }
    }
}

/// The IR of a checked input, and the path of each retry policy it names (tokens, so that an
/// unknown policy is reported at the path the user wrote).
fn lower(input: &Input<'_>) -> (ir::Api, Vec<TokenStream>) {
    let mut statuses: Vec<ir::Status> = Vec::new();
    let mut categories: Vec<ir::Category> = Vec::new();
    let mut policies: Vec<TokenStream> = Vec::new();
    let mut policy_keys: Vec<String> = Vec::new();
    let mut policy_index = |path: &syn::Path| {
        let tokens = quote!(#path);
        let key = tokens.to_string();
        match policy_keys.iter().position(|k| *k == key) {
            Some(i) => i,
            None => {
                policy_keys.push(key);
                policies.push(tokens);
                policy_keys.len() - 1
            }
        }
    };
    let default_retry = input.attrs.retry.as_ref().map(&mut policy_index);
    let mut codes = Vec::new();
    let mut integer = false;
    for code in &input.codes {
        let attrs = &code.attrs;
        let (Some(lit), Some(status), Some(message)) = (&attrs.code, &attrs.status, &attrs.message)
        else {
            continue;
        };
        let (wire, number) = wire_of(lit);
        integer |= number.is_some();
        let status_number = status.base10_parse::<u16>().unwrap_or_default();
        let status = match statuses.iter().position(|s| s.number == status_number) {
            Some(i) => i,
            None => {
                // The attribute states only the number, and a derive has no `Status` enum:
                // the status is named by its number and has no variant.
                statuses.push(ir::Status {
                    number: status_number,
                    name: status_number.to_string(),
                    variant: None,
                    description: None,
                    retry: None,
                    inferred: Vec::new(),
                });
                statuses.len() - 1
            }
        };
        let category = attrs.category.as_ref().map(|c| {
            let id = c.value();
            match categories.iter().position(|k| k.id == id) {
                Some(i) => i,
                None => {
                    categories.push(ir::Category {
                        variant: id.to_upper_camel_case(),
                        title: id.clone(),
                        id,
                        description: None,
                        inferred: Vec::new(),
                    });
                    categories.len() - 1
                }
            }
        });
        let retry = match (&attrs.retry, &attrs.no_retry) {
            (Some(path), _) => Some(policy_index(path)),
            (None, Some(_)) => None,
            (None, None) => default_retry,
        };
        codes.push(ir::Code {
            wire,
            number,
            variant: code.node.ident.to_string(),
            status: Some(status),
            severity: ir::Severity::Error,
            causes: Vec::new(),
            docs_url: None,
            deprecated: None,
            not_processed: false,
            category,
            message: message.value(),
            description: None,
            solution: attrs.solution.as_ref().map(|s| s.value()),
            envelope: None,
            retry,
            example: None,
            inferred: Vec::new(),
            aliases: attrs.aliases.iter().map(|a| wire_of(a).0).collect(),
            limit: None,
        });
    }
    let name = input
        .attrs
        .api
        .as_ref()
        .map_or_else(|| input.ident.to_string(), |api| api.value());
    let ident = input.ident.to_string();
    let api = ir::Api {
        // What headers and diagnostics name: the enum, as there is no spec file.
        file: format!("#[derive(ErrorCode)] {ident}"),
        id: ident.to_snake_case(),
        name,
        source: String::new(),
        url: None,
        description: None,
        code_type: if integer {
            ir::CodeType::Integer
        } else {
            ir::CodeType::String
        },
        forward_compatibility: None,
        version: 1,
        text: ir::TextFormat::Plain,
        docs_url: None,
        envelopes: Vec::new(),
        statuses,
        categories,
        policies: Vec::new(),
        signals: Vec::new(),
        budget: None,
        codes,
        limits: Vec::new(),
        common_errors: Vec::new(),
        errata: Vec::new(),
        target: ir::Target::Derive { ident },
    };
    (api, policies)
}
