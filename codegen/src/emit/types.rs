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

/// How a file may spell std types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paths {
    /// Fully qualified (`::std::string::String`): for `models.rs`, where a model may
    /// be named `String` or `Option` and would shadow the prelude.
    Qualified,
    /// Prelude names (`String`): for files that define no spec-named types.
    Prelude,
}

/// The Rust type of a member; models are always reached through `crate::models`.
pub fn rust_type(ty: &Type, paths: Paths) -> TokenStream {
    let qualified = paths == Paths::Qualified;
    match ty {
        Type::String if qualified => quote! { ::std::string::String },
        Type::String => quote! { String },
        Type::Bool => quote! { bool },
        Type::I64 => quote! { i64 },
        Type::U64 => quote! { u64 },
        Type::F64 => quote! { f64 },
        Type::List(inner) => {
            let inner = rust_type(inner, paths);
            if qualified { quote! { ::std::vec::Vec<#inner> } } else { quote! { Vec<#inner> } }
        }
        Type::Model(name) => {
            let name = ident(name);
            quote! { crate::models::#name }
        }
    }
}

/// The type of a member, wrapped in `Option` when it may be missing.
pub fn field_type(ty: &Type, optional: bool, paths: Paths) -> TokenStream {
    let ty = rust_type(ty, paths);
    match (optional, paths) {
        (false, _) => ty,
        (true, Paths::Qualified) => quote! { ::std::option::Option<#ty> },
        (true, Paths::Prelude) => quote! { Option<#ty> },
    }
}
