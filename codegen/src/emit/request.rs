//! Emits `request.rs`: the `Request` trait, implemented by every action's
//! request type, so that a request built or decoded elsewhere (read from a
//! file, replayed from a log, parsed by a command line) can be sent as it is.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::types::ident;
use crate::ir::{Action, Api};

/// The whole `request.rs` file.
pub fn request_file(api: &Api) -> TokenStream {
    let impls = api.actions.iter().map(request_impl);
    quote! {
        //! Sending a request that is already built: [`Request`] and [`Client::send_request`].

        use tencentcloud_runtime::{BoxFuture, CallOptions};

        use crate::{Client, Result, actions};

        /// A complete request of one action, which knows its answer type and how to send itself.
        ///
        /// Every `<Action>Request` implements it. The builders (`client.describe_...()`) are the
        /// usual way to call an action; this trait is for requests that already exist as values,
        /// for instance decoded from JSON with the `roundtrip` feature, or recorded earlier.
        ///
        /// ```no_run
        /// # async fn run(client: ccc_api::Client) -> ccc_api::Result<()> {
        /// use ccc_api::actions::DescribeAutoCalloutTasksRequest;
        ///
        /// let request = client.describe_auto_callout_tasks().sdk_app_id(1400000000).page_size(10).page_number(0).build()?;
        /// let page = client.send_request(request).await?;
        /// println!("{} tasks", page.total_count);
        /// # Ok(())
        /// # }
        /// ```
        pub trait Request: std::fmt::Debug + Send + 'static {
            /// The answer to this request.
            type Response: Send + 'static;

            /// The action's wire name, e.g. `DescribeAutoCalloutTasks`.
            const ACTION: &'static str;

            /// Sends the request through `client`, as the builder's `send` would (with the client's configuration).
            fn send(self, client: &Client) -> BoxFuture<'_, Result<Self::Response>>;
        }

        impl Client {
            /// Sends a request that is already built; the same as [`Request::send`].
            pub async fn send_request<R: Request>(&self, request: R) -> Result<R::Response> {
                request.send(self).await
            }
        }

        #( #impls )*
    }
}

fn request_impl(action: &Action) -> TokenStream {
    let request = format_ident!("{}Request", action.name);
    let response = format_ident!("{}Response", action.name);
    let method = ident(&action.method);
    let name = &action.name;
    quote! {
        impl Request for actions::#request {
            type Response = actions::#response;

            const ACTION: &'static str = #name;

            fn send(self, client: &Client) -> BoxFuture<'_, Result<Self::Response>> {
                client.stub.#method(self, CallOptions::default())
            }
        }
    }
}
