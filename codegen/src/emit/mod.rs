//! From IR to formatted Rust files. One small emitter per kind of item; each
//! reads only the IR.

mod action;
mod cli;
mod client;
mod conformance;
mod emulator;
mod errors;
mod model;
mod pages;
mod redact;
mod render;
mod request;
mod types;

use proc_macro2::TokenStream;
use quote::quote;

use crate::GeneratedFile;
use crate::ir::Api;
use render::render;
use types::ident;

/// Every file of one service, each at the path the IR's [`crate::ir::Outputs`] gives,
/// in a fixed order: the SDK's module, its conformance test, the emulator's table,
/// the command line's module.
pub fn emit(api: &Api) -> Result<Vec<GeneratedFile>, String> {
    let outputs = &api.service.outputs;
    let module = |path: &str| format!("{}/{path}", outputs.sdk_module);
    let mut files = vec![
        (module("mod.rs"), root_module(api)),
        (module("client.rs"), client::client_file(api)),
        (module("stub.rs"), client::stub_file(api)),
        (module("transport.rs"), client::transport_file(api)),
        (module("errors.rs"), errors::errors_file(api)),
        (module("models.rs"), model::models_file(api)),
        (module("actions/mod.rs"), actions_module(api)),
        (module("request.rs"), request::request_file(api)),
    ];
    for action in &api.actions {
        files.push((
            module(&format!("actions/{}.rs", action.method)),
            action::action_file(action),
        ));
    }
    files.push((
        outputs.conformance_test.clone(),
        conformance::conformance_file(api),
    ));
    files.push((outputs.emulator_table.clone(), emulator::table_file(api)));
    for (path, tokens) in cli::cli_files(api)? {
        files.push((format!("{}/{path}", outputs.cli_module), tokens));
    }
    files
        .into_iter()
        .map(|(path, tokens)| {
            let contents = render(api, tokens).map_err(|e| format!("{path}: {e}"))?;
            Ok(GeneratedFile { path, contents })
        })
        .collect()
}

fn root_module(api: &Api) -> TokenStream {
    let doc = format!(
        " Everything generated from the {} spec, re-exported at the crate root.",
        api.service.title
    );
    quote! {
        #![doc = #doc]

        pub mod actions;
        mod client;
        mod errors;
        pub mod models;
        mod request;
        mod stub;
        mod transport;

        pub use client::{Client, SERVICE};
        pub use errors::{Error, ErrorCode, Pages, Result, UnknownCode};
        pub use request::Request;
        pub use stub::Stub;
    }
}

fn actions_module(api: &Api) -> TokenStream {
    // Each action module says what it holds in its own docs.
    let modules = api.actions.iter().map(|a| {
        let module = ident(&a.method);
        quote! { pub mod #module; }
    });
    let reexports = api.actions.iter().map(|a| {
        let module = ident(&a.method);
        let request = quote::format_ident!("{}Request", a.name);
        let response = quote::format_ident!("{}Response", a.name);
        let builder = quote::format_ident!("{}Builder", a.name);
        quote! { pub use #module::{#builder, #request, #response}; }
    });
    quote! {
        //! One module per action, named like its [`Client`](crate::Client) method: the request,
        //! response and builder types (re-exported here) and the action's `ACTION` facts.
        #( #modules )*
        #( #reexports )*
    }
}
