//! From IR to formatted Rust files. One small emitter per kind of item.

mod action;
mod client;
mod common;
mod conformance;
mod errors;
mod model;
mod pages;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Api;
use common::{ident, render};

/// A file to write, relative to the generated directory of the service's crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Emitted {
    /// Path relative to `crates/<service>-api/src/generated/`, with `/` separators.
    pub path: String,
    /// Formatted contents, header included.
    pub contents: String,
}

/// Every file of the generated module, in a fixed order.
pub fn emit(api: &Api) -> Result<Vec<Emitted>, String> {
    let mut files = vec![
        ("mod.rs".to_owned(), root_module(api)),
        ("client.rs".to_owned(), client::client_file(api)),
        ("errors.rs".to_owned(), errors::errors_file(api)),
        ("models.rs".to_owned(), model::models_file(api)),
        ("actions/mod.rs".to_owned(), actions_module(api)),
    ];
    for action in &api.actions {
        files.push((format!("actions/{}.rs", action.method), action::action_file(action)));
    }
    files
        .into_iter()
        .map(|(path, tokens)| {
            let contents = render(api, tokens).map_err(|e| format!("{path}: {e}"))?;
            Ok(Emitted { path, contents })
        })
        .collect()
}

/// The conformance test of the service crate (`tests/examples.rs`).
pub fn conformance_test(api: &Api) -> Result<String, String> {
    render(api, conformance::conformance_file(api)).map_err(|e| format!("tests/examples.rs: {e}"))
}

fn root_module(api: &Api) -> TokenStream {
    let doc = format!(" Everything generated from the {} spec.", api.service.title);
    quote! {
        #![doc = #doc]

        pub mod actions;
        mod client;
        mod errors;
        pub mod models;

        pub use client::{Client, SERVICE, Stub};
        pub use errors::{Error, ErrorCode, Pages, Result};
    }
}

fn actions_module(api: &Api) -> TokenStream {
    let modules = api.actions.iter().map(|a| {
        let module = ident(&a.method);
        let doc = format!(" `{}`.", a.name);
        quote! {
            #[doc = #doc]
            pub mod #module;
        }
    });
    let reexports = api.actions.iter().map(|a| {
        let module = ident(&a.method);
        let request = quote::format_ident!("{}Request", a.name);
        let response = quote::format_ident!("{}Response", a.name);
        let builder = quote::format_ident!("{}Builder", a.name);
        quote! { pub use #module::{#builder, #request, #response}; }
    });
    quote! {
        //! One module per action; their request, response and builder types are re-exported here.
        #( #modules )*
        #( #reexports )*
    }
}
