//! Emits one module per action: its metadata, request, response and request builder.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::render::doc;
use super::types::{Paths, ident, rust_type};
use super::model::{Sent, data_struct};
use crate::ir::{Action, Field, Type};

/// The file `actions/<method>.rs`.
pub fn action_file(action: &Action) -> TokenStream {
    let name = &action.name;
    let module_doc = format!(" The `{name}` action: request, response and builder.");
    let const_doc = doc(&format!("How the runtime treats `{name}`: its wire name, retry safety and rate limit."));
    let read_only = action.read_only;
    let rate = proc_macro2::Literal::u32_unsuffixed(action.rate_limit_per_second);

    let request = format_ident!("{}Request", name);
    let response = format_ident!("{}Response", name);
    let request_struct = data_struct(
        &request.to_string(),
        &format!("Parameters of `{name}`. Build one with [`{name}Builder`] or fill the fields directly."),
        &action.input,
        Paths::Prelude,
        Sent { in_requests: true, in_responses: false },
    );
    let response_struct = data_struct(
        &response.to_string(),
        &format!("The answer to `{name}`."),
        &action.output,
        Paths::Prelude,
        Sent { in_requests: false, in_responses: true },
    );
    let builder = builder(action);
    let pages = super::pages::pages(action);
    let pages_import = action.pagination.as_ref().map(|_| {
        quote! { use tencentcloud_runtime::paginate::{self, Style}; }
    });
    // `Error` names a missing required parameter; an action without one never needs it.
    let needs_error = action.input.iter().any(|f| !f.optional);
    let crate_import = match (needs_error, action.pagination.is_some()) {
        (true, true) => quote! { use crate::{Error, Pages, Result, Stub}; },
        (true, false) => quote! { use crate::{Error, Result, Stub}; },
        (false, true) => quote! { use crate::{Pages, Result, Stub}; },
        (false, false) => quote! { use crate::{Result, Stub}; },
    };

    // This module defines no spec-named types (only `<Action>Request` and the like),
    // so prelude names cannot be shadowed here.
    quote! {
        #![doc = #module_doc]

        use std::sync::Arc;

        use serde::{Deserialize, Serialize};
        use tencentcloud_runtime::ActionInfo;
        #pages_import

        #crate_import

        #const_doc
        pub const ACTION: ActionInfo = ActionInfo {
            name: #name,
            read_only: #read_only,
            rate_limit_per_second: #rate,
        };

        #request_struct
        #response_struct
        #builder
        #pages
    }
}

/// The Rust type a setter accepts: strings take anything that converts into one.
fn setter_param(ty: &Type) -> (TokenStream, TokenStream) {
    match ty {
        Type::String => (quote! { impl Into<String> }, quote! { value.into() }),
        other => (rust_type(other, Paths::Prelude), quote! { value }),
    }
}

fn builder(action: &Action) -> TokenStream {
    let name = &action.name;
    let builder = format_ident!("{}Builder", name);
    let request = format_ident!("{}Request", name);
    let response = format_ident!("{}Response", name);
    let method = ident(&action.method);
    let doc_text = format!(
        "Collects the parameters of `{name}`; [`send`]({builder}::send) checks that the required ones are set, then calls the service.\n\nCreated by [`Client::{m}`](crate::Client::{m}).",
        m = action.method
    );
    let builder_doc = doc(&doc_text);

    let slots = action.input.iter().map(|f| {
        let rust = ident(&f.rust_name);
        let ty = rust_type(&f.ty, Paths::Prelude);
        quote! { #rust: Option<#ty>, }
    });
    let empty = action.input.iter().map(|f| {
        let rust = ident(&f.rust_name);
        quote! { #rust: None, }
    });
    let setters = action.input.iter().map(setter);
    let assignments = action.input.iter().map(|f| {
        let rust = ident(&f.rust_name);
        if f.optional {
            quote! { #rust: self.#rust, }
        } else {
            let wire = &f.wire_name;
            quote! { #rust: self.#rust.ok_or_else(|| Error::missing_parameter(#wire))?, }
        }
    });

    quote! {
        #builder_doc
        #[derive(Debug, Clone)]
        #[must_use = "a request builder does nothing until `send` is awaited"]
        pub struct #builder {
            stub: Arc<dyn Stub>,
            #( #slots )*
        }

        impl #builder {
            pub(crate) fn new(stub: Arc<dyn Stub>) -> Self {
                Self {
                    stub,
                    #( #empty )*
                }
            }

            #( #setters )*

            /// The request as set so far; fails naming the first required parameter that is missing.
            pub fn build(self) -> Result<#request> {
                Ok(#request {
                    #( #assignments )*
                })
            }

            /// Checks the parameters and sends the request.
            pub async fn send(self) -> Result<#response> {
                let stub = Arc::clone(&self.stub);
                let request = self.build()?;
                stub.#method(request).await
            }
        }
    }
}

fn setter(f: &Field) -> TokenStream {
    let rust = ident(&f.rust_name);
    let (param, value) = setter_param(&f.ty);
    let requirement = if f.optional { "optional" } else { "required" };
    let doc = doc(&format!("Sets `{}` ({requirement}). {}", f.wire_name, f.doc));
    quote! {
        #doc
        pub fn #rust(mut self, value: #param) -> Self {
            self.#rust = Some(#value);
            self
        }
    }
}
