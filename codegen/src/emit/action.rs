//! Emits one module per action: its metadata, request, response and request builder.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::model::{Sent, data_struct};
use super::redact;
use super::render::{doc, inner_doc};
use super::types::{ident, rust_type};
use crate::ir::{Action, Field, Type};
use crate::names;

/// The file `actions/<method>.rs`.
pub fn action_file(action: &Action) -> TokenStream {
    let name = &action.name;
    let module_doc = inner_doc(&format!(
        "`{name}`: {}\n\n\
         Start a call with [`Client::{m}`](crate::Client::{m}), which returns a [`{name}Builder`]; \
         set the parameters on it and `send().await` it. [`{name}Request`] is what is sent \
         and [`{name}Response`] the answer.",
        first_sentence(&action.doc),
        m = action.method
    ));
    let const_doc = doc(&format!(
        "How the runtime treats `{name}`: its wire name, retry safety and rate limit."
    ));
    let read_only = action.read_only;
    let sensitive_output = action.sensitive_output;
    let rate = proc_macro2::Literal::u32_unsuffixed(action.rate_limit_per_second);

    let request = format_ident!("{}Request", name);
    let response = format_ident!("{}Response", name);
    let request_struct = data_struct(
        &request.to_string(),
        &format!(
            "Parameters of `{name}`. Build one with [`{name}Builder`], or start from `{name}Request::default()` and set the fields \
             (the struct is `#[non_exhaustive]`, so that members added later break no code)."
        ),
        &action.input,
        Sent {
            in_requests: true,
            in_responses: false,
        },
    );
    let response_struct = data_struct(
        &response.to_string(),
        &format!(
            "The answer to `{name}`. To fake one in tests, start from `{name}Response::default()` and set the fields."
        ),
        &action.output,
        Sent {
            in_requests: false,
            in_responses: true,
        },
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

    quote! {
        #module_doc

        use std::sync::Arc;

        use tencentcloud_runtime::{ActionInfo, CallOptions};
        #pages_import

        #crate_import

        #const_doc
        pub const ACTION: ActionInfo = ActionInfo {
            name: #name,
            read_only: #read_only,
            rate_limit_per_second: #rate,
            sensitive_output: #sensitive_output,
        };

        #request_struct
        #response_struct
        #builder
        #pages
    }
}

fn builder(action: &Action) -> TokenStream {
    let name = &action.name;
    let builder = format_ident!("{}Builder", name);
    let request = format_ident!("{}Request", name);
    let response = format_ident!("{}Response", name);
    let method = ident(&action.method);
    let doc_text = format!(
        "Collects the parameters of `{name}`; [`send`]({builder}::send) checks that the required ones are set, then calls the service.\n\n\
         Each parameter `x` has a setter `x(value)` and `set_x(Option<...>)`, which also takes `None` to unset it \
         (for a required one, `send` then fails naming it); a list also has a setter that appends one element.\n\n\
         Created by [`Client::{m}`](crate::Client::{m}).",
        m = action.method
    );
    let builder_doc = doc(&doc_text);
    let (debug_derive, debug_impl) = builder_debug(action, &builder);

    let slots = action.input.iter().map(|f| {
        let rust = ident(&f.rust_name);
        let ty = rust_type(&f.ty);
        quote! { #rust: Option<#ty>, }
    });
    let empty = action.input.iter().map(|f| {
        let rust = ident(&f.rust_name);
        quote! { #rust: None, }
    });
    let setters = action.input.iter().map(setters);
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
        #[derive(#debug_derive Clone)]
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

            /// Checks the parameters and sends the request, as the client is configured.
            pub async fn send(self) -> Result<#response> {
                self.send_with(CallOptions::default()).await
            }

            /// Checks the parameters and sends the request, with `options` overriding
            /// the client's timeouts and retries for this call.
            pub async fn send_with(self, options: CallOptions) -> Result<#response> {
                let stub = Arc::clone(&self.stub);
                let request = self.build()?;
                stub.#method(request, options).await
            }
        }

        #debug_impl
    }
}

/// The builder's `Debug`: derived, unless a parameter is a secret, which a
/// written-out impl then redacts (see [`redact`]).
fn builder_debug(
    action: &Action,
    builder: &proc_macro2::Ident,
) -> (Option<TokenStream>, Option<TokenStream>) {
    if redact::holds_secret(&action.input) {
        (None, Some(redact::builder_debug(builder, &action.input)))
    } else {
        (Some(quote! { Debug, }), None)
    }
}

/// The setters of one parameter: `x(value)`, `set_x(Option<...>)`, and for a list `x_singular(element)`.
fn setters(f: &Field) -> TokenStream {
    let rust = ident(&f.rust_name);
    let set = ident(&names::option_setter(&f.rust_name));
    let wire = &f.wire_name;
    let requirement = if f.optional { "optional" } else { "required" };
    let member_doc = f.doc.trim();
    let ty = rust_type(&f.ty);
    let (value_doc, value_setter) = match &f.ty {
        Type::String => (
            format!("Sets `{wire}` ({requirement}). {member_doc}"),
            quote! {
                pub fn #rust(mut self, value: impl Into<String>) -> Self {
                    self.#rust = Some(value.into());
                    self
                }
            },
        ),
        Type::List(_) => (
            format!(
                "Sets `{wire}` ({requirement}) to these elements, replacing any set before. {member_doc}"
            ),
            quote! {
                pub fn #rust(mut self, values: #ty) -> Self {
                    self.#rust = Some(values);
                    self
                }
            },
        ),
        _ => (
            format!("Sets `{wire}` ({requirement}). {member_doc}"),
            quote! {
                pub fn #rust(mut self, value: #ty) -> Self {
                    self.#rust = Some(value);
                    self
                }
            },
        ),
    };
    let value_doc = doc(&value_doc);
    let set_doc = doc(&format!(
        "Sets `{wire}` ({requirement}) from an `Option`: `None` leaves it unset{}.",
        if f.optional {
            ""
        } else {
            ", and `send` then fails naming it"
        }
    ));
    let appender = match (&f.ty, &f.appender) {
        (Type::List(element), Some(push)) => {
            let push = ident(push);
            let (param, convert) = element_param(element);
            let doc = doc(&format!("Appends one element to `{wire}`."));
            quote! {
                #doc
                pub fn #push(mut self, value: #param) -> Self {
                    self.#rust.get_or_insert_with(Vec::new).push(#convert);
                    self
                }
            }
        }
        _ => TokenStream::new(),
    };
    quote! {
        #value_doc
        #value_setter

        #appender

        #set_doc
        pub fn #set(mut self, value: Option<#ty>) -> Self {
            self.#rust = value;
            self
        }
    }
}

/// What a setter takes for one list element, and how it becomes one: strings take anything that converts into one.
fn element_param(element: &Type) -> (TokenStream, TokenStream) {
    match element {
        Type::String => (quote! { impl Into<String> }, quote! { value.into() }),
        other => (rust_type(other), quote! { value }),
    }
}

/// The first sentence of a doc (up to the first `. ` or the end of the first line), for summaries.
fn first_sentence(doc: &str) -> String {
    let line = doc.trim().lines().next().unwrap_or_default();
    match line.find(". ") {
        Some(end) => line[..=end].to_owned(),
        None => line.to_owned(),
    }
}
