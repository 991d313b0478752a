//! Emits the client side of the generated module, one file per job (as
//! google-cloud-rust splits it): `client.rs` (the `Client` and its methods),
//! `stub.rs` (the `Stub` trait that the transport and test fakes implement)
//! and `transport.rs` (the `Stub` over the runtime).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::render::doc;
use super::types::ident;
use crate::ir::{Action, Api};

/// `client.rs`: the service identity and the `Client`, with one method per action.
pub fn client_file(api: &Api) -> TokenStream {
    let s = &api.service;
    let (name, version, host, title) = (&s.name, &s.version, &s.host, &s.title);
    let inner_doc = format!(
        " The {title} [`Client`]: one method per action, each returning the action's request builder."
    );
    let client_doc = doc(&format!(
        "A client for {title} (`{name}`, API version {version}).\n\n{}\n\n\
         Each method starts a request: set its parameters on the builder it returns, then \
         `send().await` it (or `send_with(options)` to override timeouts and retries for that call). \
         Cloning is cheap and clones share the connection pool, credentials cache and rate limiters.",
        s.doc
    ));
    let methods = api.actions.iter().map(client_method);

    // `stub` is crate-visible for `Request::send` (request.rs), which calls it directly.
    quote! {
        #![doc = #inner_doc]

        use std::sync::Arc;

        use tencentcloud_runtime::{Config, ServiceClient, ServiceInfo};

        use crate::Stub;
        use crate::actions;

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
    }
}

/// `stub.rs`: the `Stub` trait, what answers a client's calls.
pub fn stub_file(api: &Api) -> TokenStream {
    let title = &api.service.title;
    let inner_doc = format!(
        " The [`Stub`] trait: what answers the calls of a {title} [`Client`](crate::Client)."
    );
    let stub_methods = api.actions.iter().map(stub_method);
    quote! {
        #![doc = #inner_doc]

        use tencentcloud_runtime::{BoxFuture, CallOptions};

        use crate::Result;
        use crate::actions;

        /// What answers the calls of a [`Client`](crate::Client): the real transport, or a fake in tests.
        ///
        /// Each method gets the checked request and the call's options (the overrides
        /// given with `send_with`, empty for `send`). Every method has a default that fails with
        /// [`Error::Unimplemented`](crate::Error::Unimplemented),
        /// so a fake implements only the actions its test uses.
        pub trait Stub: std::fmt::Debug + Send + Sync {
            #( #stub_methods )*
        }
    }
}

/// `transport.rs`: the `Stub` that calls the service, over the runtime's `ServiceClient`.
pub fn transport_file(api: &Api) -> TokenStream {
    let title = &api.service.title;
    let inner_doc = format!(
        " The [`Stub`] that calls {title}: each action goes through the runtime's [`ServiceClient`], \
         which signs, paces, sends and retries it."
    );
    let transport_methods = api.actions.iter().map(transport_method);
    quote! {
        #![doc = #inner_doc]

        use tencentcloud_runtime::{BoxFuture, CallOptions, ServiceClient};

        use crate::{Result, Stub};
        use crate::actions;

        impl Stub for ServiceClient {
            #( #transport_methods )*
        }
    }
}

fn types(action: &Action) -> (TokenStream, TokenStream, TokenStream) {
    let request = format_ident!("{}Request", action.name);
    let response = format_ident!("{}Response", action.name);
    let builder = format_ident!("{}Builder", action.name);
    (
        quote! { actions::#request },
        quote! { actions::#response },
        quote! { actions::#builder },
    )
}

fn client_method(action: &Action) -> TokenStream {
    let (_, _, builder) = types(action);
    let method = ident(&action.method);
    let mut text = format!("`{}`: {}\n\n", action.name, action.doc.trim());
    text.push_str(&format!(
        "The service allows {} calls per second per account; ",
        action.rate_limit_per_second
    ));
    text.push_str(if action.read_only {
        "the action only reads, so failed attempts are retried."
    } else {
        "the action changes state, so an attempt that may have reached the service is not retried unless configured."
    });
    if !action.errors.is_empty() {
        text.push_str("\n\n# Errors\n\nBesides the codes every service shares, it may answer:\n");
        for code in &action.errors {
            text.push_str(&format!(
                "- [`{}`](crate::ErrorCode::{})\n",
                code.code, code.variant
            ));
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
        fn #method(&self, request: #request, options: CallOptions) -> BoxFuture<'_, Result<#response>> {
            let _ = (request, options);
            tencentcloud_runtime::unimplemented(#name)
        }
    }
}

fn transport_method(action: &Action) -> TokenStream {
    let (request, response, _) = types(action);
    let method = ident(&action.method);
    let module = ident(&action.method);
    quote! {
        fn #method(&self, request: #request, options: CallOptions) -> BoxFuture<'_, Result<#response>> {
            Box::pin(async move { self.call_with(&actions::#module::ACTION, &request, &options).await })
        }
    }
}
