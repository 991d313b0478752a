//! Rust identifiers and the Rust type of each IR type.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::Type;

/// An identifier; handles raw identifiers such as `r#type`.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust type of a member, with prelude names (`Vec<String>`): lowering refuses
/// model names that would shadow them. Models are reached through `crate::models`.
pub fn rust_type(ty: &Type) -> TokenStream {
    match ty {
        Type::String => quote! { String },
        Type::Bool => quote! { bool },
        Type::I64 => quote! { i64 },
        Type::U64 => quote! { u64 },
        Type::F64 => quote! { f64 },
        Type::List(inner) => {
            let inner = rust_type(inner);
            quote! { Vec<#inner> }
        }
        Type::Model(name) => {
            let name = ident(name);
            quote! { crate::models::#name }
        }
    }
}

/// The type of a member, wrapped in `Option` when it may be missing.
pub fn field_type(ty: &Type, optional: bool) -> TokenStream {
    let ty = rust_type(ty);
    if optional {
        quote! { Option<#ty> }
    } else {
        ty
    }
}
