//! Emits `client.rs`: the service identity, the `Client` with one method per
//! action, and the `Stub` trait that both the real transport and test fakes implement.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::render::doc;
use super::types::ident;
use crate::ir::{Action, Api};

/// The whole `client.rs` file.
pub fn client_file(api: &Api) -> TokenStream {
    let s = &api.service;
    let (name, version, host, title) = (&s.name, &s.version, &s.host, &s.title);
    let inner_doc = format!(" The {title} client and its stub trait.");
    let client_doc = doc(&format!(
        "A client for {title} (`{name}`, API version {version}).\n\n{}\n\n\
         Cloning is cheap and clones share the connection pool, credentials cache and rate limiters.",
        s.doc
    ));
    let methods = api.actions.iter().map(client_method);
    let stub_methods = api.actions.iter().map(stub_method);
    let transport_methods = api.actions.iter().map(transport_method);

    // This file defines no spec-named types, so prelude names cannot be shadowed here.
    // `stub` is crate-visible for `Request::send` (request.rs), which calls it directly.
    quote! {
        #![doc = #inner_doc]

        use std::sync::Arc;

        use tencentcloud_runtime::{BoxFuture, Config, ServiceClient, ServiceInfo};

        use crate::actions;
        use crate::Result;

        /// The service this crate calls: what the runtime signs and sends to.
        pub const SERVICE: ServiceInfo = ServiceInfo {
            name: #name,
            version: #version,
            default_host: #host,
        };

        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            pub(crate) stub: Arc<dyn Stub>,
        }

        impl Client {
            /// A client that sends signed requests as `config` says.
            pub fn new(config: Config) -> Self {
                Self::from_stub(ServiceClient::new(SERVICE, config))
            }

            /// A client whose calls are answered by `stub` instead of the network, for tests.
            pub fn from_stub(stub: impl Stub + 'static) -> Self {
                Self { stub: Arc::new(stub) }
            }

            #( #methods )*
        }

        /// What answers the calls of a [`Client`]: the real transport, or a fake in tests.
        ///
        /// Every method has a default that fails with
        /// [`Error::Unimplemented`](crate::Error::Unimplemented),
        /// so a fake implements only the actions its test uses.
        pub trait Stub: std::fmt::Debug + Send + Sync {
            #( #stub_methods )*
        }

        impl Stub for ServiceClient {
            #( #transport_methods )*
        }
    }
}

fn types(action: &Action) -> (TokenStream, TokenStream, TokenStream) {
    let request = format_ident!("{}Request", action.name);
    let response = format_ident!("{}Response", action.name);
    let builder = format_ident!("{}Builder", action.name);
    (quote! { actions::#request }, quote! { actions::#response }, quote! { actions::#builder })
}

fn client_method(action: &Action) -> TokenStream {
    let (_, _, builder) = types(action);
    let method = ident(&action.method);
    let mut text = format!("`{}`: {}\n\n", action.name, action.doc.trim());
    text.push_str(&format!("The service allows {} calls per second per account; ", action.rate_limit_per_second));
    text.push_str(if action.read_only {
        "the action only reads, so failed attempts are retried."
    } else {
        "the action changes state, so an attempt that may have reached the service is not retried unless configured."
    });
    if !action.errors.is_empty() {
        text.push_str("\n\n# Errors\n\nBesides the codes every service shares, it may answer:\n");
        for code in &action.errors {
            text.push_str(&format!("- [`{}`](crate::ErrorCode::{})\n", code.code, code.variant));
        }
    }
    let doc = doc(&text);
    quote! {
        #doc
        pub fn #method(&self) -> #builder {
            #builder::new(Arc::clone(&self.stub))
        }
    }
}

fn stub_method(action: &Action) -> TokenStream {
    let (request, response, _) = types(action);
    let method = ident(&action.method);
    let name = &action.name;
    let doc = doc(&format!("Answers `{name}`."));
    quote! {
        #doc
        fn #method(&self, request: #request) -> BoxFuture<'_, Result<#response>> {
            let _ = request;
            tencentcloud_runtime::unimplemented(#name)
        }
    }
}

fn transport_method(action: &Action) -> TokenStream {
    let (request, response, _) = types(action);
    let method = ident(&action.method);
    let module = ident(&action.method);
    quote! {
        fn #method(&self, request: #request) -> BoxFuture<'_, Result<#response>> {
            Box::pin(async move { self.call(&actions::#module::ACTION, &request).await })
        }
    }
}
