//! A typed client for Tencent Cloud Contact Center (CCC), API version 2020-02-10.
//!
//! The request, response and model types, the error codes and the [`Client`]
//! methods are generated from the spec in `api-spec/ccc/2020-02-10` by
//! `cargo xtask gen`; signing, credentials and HTTP live in
//! [`tencentcloud_runtime`], re-exported here as [`runtime`].
//!
//! ```no_run
//! # async fn run() -> ccc_api::Result<()> {
//! use ccc_api::{Client, Config};
//!
//! let config = Config::builder().build().expect("valid configuration");
//! let client = Client::new(config);
//! let page = client
//!     .describe_auto_callout_tasks()
//!     .sdk_app_id(1400000000)
//!     .page_size(20)
//!     .page_number(0)
//!     .send()
//!     .await?;
//! for task in &page.tasks {
//!     println!("{} {} {:?}", task.task_id, task.name, task.state);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Testing code that uses the client
//!
//! [`Client::from_stub`] answers calls with any [`Stub`] implementation, so an
//! application's tests need no network. A stub implements only the actions
//! the test uses; the others fail with [`Error::Unimplemented`](runtime::Error::Unimplemented).
//!
//! ```
//! use ccc_api::actions::{DescribeAutoCalloutTasksRequest, DescribeAutoCalloutTasksResponse};
//! use ccc_api::runtime::BoxFuture;
//! use ccc_api::{CallOptions, Client, Result, Stub};
//!
//! #[derive(Debug)]
//! struct NoTasks;
//!
//! impl Stub for NoTasks {
//!     fn describe_auto_callout_tasks(
//!         &self,
//!         request: DescribeAutoCalloutTasksRequest,
//!         _options: CallOptions,
//!     ) -> BoxFuture<'_, Result<DescribeAutoCalloutTasksResponse>> {
//!         assert_eq!(request.sdk_app_id, 1400000000);
//!         Box::pin(async {
//!             Ok(DescribeAutoCalloutTasksResponse {
//!                 total_count: 0,
//!                 tasks: Vec::new(),
//!                 request_id: "fake".to_owned(),
//!             })
//!         })
//!     }
//! }
//!
//! # tokio_test_block_on(async {
//! let client = Client::from_stub(NoTasks);
//! let page = client
//!     .describe_auto_callout_tasks()
//!     .sdk_app_id(1400000000)
//!     .page_size(10)
//!     .page_number(0)
//!     .send()
//!     .await
//!     .unwrap();
//! assert_eq!(page.total_count, 0);
//! # });
//! # fn tokio_test_block_on(f: impl std::future::Future<Output = ()>) {
//! #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
//! # }
//! ```
//!
//! # Sending a request that already exists
//!
//! Every `<Action>Request` implements [`Request`], so a request built earlier
//! with the builder's `build()`, or decoded from JSON (feature `roundtrip`),
//! is sent with [`Client::send_request`]. The `ccc` command line sends every
//! action this way; a tool replaying recorded requests can too.
//!
//! # Builders, per-call options and lenient answers
//!
//! Every parameter `x` of a builder has `x(value)` (strings take anything
//! `Into<String>`) and `set_x(Option<...>)`; a list also has a setter that
//! appends one element (`.callee("0086...")` for `Callees`). `send_with`
//! takes a [`CallOptions`] that overrides the timeouts and retries for that
//! call. Answers that leave out a member their definition says is always
//! sent still decode, with the member empty and a `tracing` warning naming
//! it (see [`runtime::de`]).
//!
//! # Features
//!
//! - `roundtrip`: also derive the serde directions the SDK does not need
//!   itself, `Deserialize` for requests and `Serialize` for responses (for
//!   logging answers as JSON, or replaying recorded requests). Off by default,
//!   since it roughly doubles the serde code to compile.
#![deny(missing_docs)]

mod generated;

pub use generated::*;
pub use tencentcloud_runtime as runtime;
pub use tencentcloud_runtime::{CallOptions, Config, Credentials, Language};
