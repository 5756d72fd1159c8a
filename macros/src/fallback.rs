//! What an invalid derive still expands to besides its errors: the impls other code relies
//! on, with bodies that are never reached, so the user sees the one real error instead of
//! twenty about missing methods.

use proc_macro2::TokenStream;
use quote::quote;
use syn::Ident;

pub fn stub(ident: &Ident) -> TokenStream {
    quote! {
        #[allow(unreachable_code, unused_variables)]
        const _: () = {
            impl #ident {
                pub fn from_wire(raw: &str) -> Self { ::core::unreachable!() }
                pub fn as_str(&self) -> &str { ::core::unreachable!() }
                pub fn is_unknown(&self) -> bool { ::core::unreachable!() }
                pub fn status(&self) -> ::core::option::Option<::errspec::http::StatusCode> { ::core::unreachable!() }
                pub fn message(&self) -> ::core::option::Option<&'static str> { ::core::unreachable!() }
                pub fn solution(&self) -> ::core::option::Option<&'static str> { ::core::unreachable!() }
                pub fn retry_policy(&self) -> ::core::option::Option<&'static ::errspec::RetryPolicy> { ::core::unreachable!() }
            }
            impl ::core::fmt::Display for #ident {
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result { ::core::unreachable!() }
            }
        };
    }
}
