//! The derive input as errspec sees it: the enum, its code variants with their attributes,
//! and its `Unknown` fallback, each keeping its syntax node for diagnostics.

use syn::{Data, DeriveInput, Error, Fields, Ident, Variant};

use crate::attr::{self, EnumAttrs, VariantAttrs};

pub struct Input<'a> {
    pub ident: &'a Ident,
    pub attrs: EnumAttrs,
    pub codes: Vec<CodeVariant<'a>>,
    pub unknown: Option<&'a Variant>,
}

pub struct CodeVariant<'a> {
    pub node: &'a Variant,
    pub attrs: VariantAttrs,
}

impl<'a> Input<'a> {
    pub fn from_syn(node: &'a DeriveInput, errors: &mut Vec<Error>) -> Result<Self, Error> {
        let Data::Enum(data) = &node.data else {
            return Err(Error::new(
                node.ident.span(),
                "#[derive(ErrorCode)] is for enums of error codes",
            ));
        };
        let attrs = attr::enum_attrs(&node.attrs, errors);
        let mut codes = Vec::new();
        let mut unknown = None;
        for variant in &data.variants {
            if variant.ident == "Unknown" {
                unknown = Some(variant);
                continue;
            }
            let attrs = attr::variant_attrs(&variant.attrs, errors);
            codes.push(CodeVariant {
                node: variant,
                attrs,
            });
        }
        Ok(Input {
            ident: &node.ident,
            attrs,
            codes,
            unknown,
        })
    }
}

/// Whether a variant is `Name(T)` with exactly one unnamed field.
pub fn is_newtype(variant: &Variant) -> bool {
    matches!(&variant.fields, Fields::Unnamed(f) if f.unnamed.len() == 1)
}
