//! `Debug` that never shows a secret: structures holding a member the spec
//! marks `sensitive` get a hand-shaped `impl Debug` printing `** redacted **`
//! in its place (`Some(** redacted **)` or `None` when it is optional: whether
//! a secret is set is not itself a secret). Every other type derives `Debug`.
//! Request builders derive it too: they hold the request they build, whose
//! `Debug` does the redacting.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::types::ident;
use crate::ir::Field;

/// True when a field holds a secret, so the type needs [`struct_debug`].
pub fn holds_secret(fields: &[Field]) -> bool {
    fields.iter().any(|f| f.sensitive)
}

/// `impl Debug` for the data struct `name`: its fields in order, secrets redacted.
pub fn struct_debug(name: &Ident, fields: &[Field]) -> TokenStream {
    let entries = fields.iter().map(entry);
    debug_impl(name, quote! { #( #entries )* })
}

fn entry(f: &Field) -> TokenStream {
    let rust = ident(&f.rust_name);
    let label = f.rust_name.trim_start_matches("r#");
    match (f.sensitive, f.optional) {
        (false, _) => quote! { .field(#label, &self.#rust) },
        (true, false) => quote! { .field(#label, &tencentcloud_runtime::Redacted) },
        (true, true) => {
            quote! { .field(#label, &tencentcloud_runtime::Redacted::option(&self.#rust)) }
        }
    }
}

fn debug_impl(name: &Ident, fields: TokenStream) -> TokenStream {
    let label = name.to_string();
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#label) #fields .finish()
            }
        }
    }
}
