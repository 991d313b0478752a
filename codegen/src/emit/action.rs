//! Emits one module per action: its metadata, request, response and request builder.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::model::{Sent, data_struct};
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
    // `Error` names a missing required parameter and `Required` tracks them;
    // an action without one needs neither.
    let has_required = action.input.iter().any(|f| !f.optional);
    let runtime_import = if has_required {
        quote! { use tencentcloud_runtime::{ActionInfo, CallOptions, Required}; }
    } else {
        quote! { use tencentcloud_runtime::{ActionInfo, CallOptions}; }
    };
    let crate_import = match (has_required, action.pagination.is_some()) {
        (true, true) => quote! { use crate::{Error, Pages, Result, Stub}; },
        (true, false) => quote! { use crate::{Error, Result, Stub}; },
        (false, true) => quote! { use crate::{Pages, Result, Stub}; },
        (false, false) => quote! { use crate::{Result, Stub}; },
    };

    quote! {
        #module_doc

        use std::sync::Arc;

        #runtime_import
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
    let setters = action.input.iter().map(setters);

    // Required parameters are tracked beside the request (see
    // `tencentcloud_runtime::Required`); an action without any needs no set.
    let required: Vec<&str> = action
        .input
        .iter()
        .filter(|f| !f.optional)
        .map(|f| f.wire_name.as_str())
        .collect();
    let (required_const, required_slot, required_init, build_body) = if required.is_empty() {
        (
            TokenStream::new(),
            TokenStream::new(),
            TokenStream::new(),
            quote! { Ok(self.request) },
        )
    } else {
        let const_doc = doc(&format!(
            "The required parameters of `{name}`, in member order: what [`{builder}::build`] checks."
        ));
        (
            quote! {
                #const_doc
                const REQUIRED: Required = Required::new(&[#( #required ),*]);
            },
            quote! { required: Required, },
            quote! { required: REQUIRED, },
            quote! {
                match self.required.first_unset() {
                    Some(name) => Err(Error::missing_parameter(name)),
                    None => Ok(self.request),
                }
            },
        )
    };

    quote! {
        #required_const

        #builder_doc
        #[derive(Debug, Clone)]
        #[must_use = "a request builder does nothing until `send` is awaited"]
        pub struct #builder {
            stub: Arc<dyn Stub>,
            request: #request,
            #required_slot
        }

        impl #builder {
            pub(crate) fn new(stub: Arc<dyn Stub>) -> Self {
                Self {
                    stub,
                    request: #request::default(),
                    #required_init
                }
            }

            #( #setters )*

            /// The request as set so far; fails naming the first required parameter that is missing.
            pub fn build(self) -> Result<#request> {
                #build_body
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
    }
}

/// The setters of one parameter: `x(value)`, `set_x(Option<...>)`, and for a list `x_singular(element)`.
///
/// An optional parameter is an `Option` in the request and is set as such; a
/// required one holds its value directly and is noted in the builder's
/// `required` set.
fn setters(f: &Field) -> TokenStream {
    let rust = ident(&f.rust_name);
    let set = ident(&names::option_setter(&f.rust_name));
    let wire = &f.wire_name;
    let requirement = if f.optional { "optional" } else { "required" };
    let member_doc = f.doc.trim();
    let ty = rust_type(&f.ty);
    // What the value setter takes, under which name, and how it becomes the member's value.
    let (value, param, convert) = match &f.ty {
        Type::String => (
            quote! { value },
            quote! { impl Into<String> },
            quote! { value.into() },
        ),
        Type::List(_) => (quote! { values }, ty.clone(), quote! { values }),
        _ => (quote! { value }, ty.clone(), quote! { value }),
    };
    let value_doc = match &f.ty {
        Type::List(_) => format!(
            "Sets `{wire}` ({requirement}) to these elements, replacing any set before. {member_doc}"
        ),
        _ => format!("Sets `{wire}` ({requirement}). {member_doc}"),
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
    let (assign, assign_option, mark) = if f.optional {
        (
            quote! { self.request.#rust = Some(#convert); },
            quote! { self.request.#rust = value; },
            TokenStream::new(),
        )
    } else {
        (
            quote! { self.request.#rust = #convert; },
            quote! {
                self.required.set(#wire, value.is_some());
                self.request.#rust = value.unwrap_or_default();
            },
            quote! { self.required.set(#wire, true); },
        )
    };
    let appender = match (&f.ty, &f.appender) {
        (Type::List(element), Some(push)) => {
            let push = ident(push);
            let (param, convert) = element_param(element);
            let doc = doc(&format!("Appends one element to `{wire}`."));
            let list = if f.optional {
                quote! { self.request.#rust.get_or_insert_with(Vec::new) }
            } else {
                quote! { self.request.#rust }
            };
            quote! {
                #doc
                pub fn #push(mut self, value: #param) -> Self {
                    #list.push(#convert);
                    #mark
                    self
                }
            }
        }
        _ => TokenStream::new(),
    };
    quote! {
        #value_doc
        pub fn #rust(mut self, #value: #param) -> Self {
            #assign
            #mark
            self
        }

        #appender

        #set_doc
        pub fn #set(mut self, value: Option<#ty>) -> Self {
            #assign_option
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
