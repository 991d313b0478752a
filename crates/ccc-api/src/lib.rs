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
//!         // Answers are `#[non_exhaustive]`: start from the default and set what the test needs.
//!         let mut page = DescribeAutoCalloutTasksResponse::default();
//!         page.total_count = 3;
//!         page.request_id = "fake".to_owned();
//!         Box::pin(async { Ok(page) })
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
//! assert_eq!(page.total_count, 3);
//! # });
//! # fn tokio_test_block_on(f: impl std::future::Future<Output = ()>) {
//! #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
//! # }
//! ```
//!
//! # Types that stay compatible
//!
//! Tencent adds members to CCC often, so every request, response and model
//! struct is `#[non_exhaustive]` and implements `Default`: code that reads
//! fields, or starts from `default()` and sets some, keeps compiling when a
//! later version of this crate adds members. A struct literal is refused:
//!
//! ```compile_fail
//! use ccc_api::actions::DescribeAutoCalloutTasksResponse;
//!
//! let page = DescribeAutoCalloutTasksResponse { total_count: 3, tasks: Vec::new(), request_id: String::new() };
//! ```
//!
//! ```
//! use ccc_api::actions::DescribeAutoCalloutTasksResponse;
//!
//! let mut page = DescribeAutoCalloutTasksResponse::default();
//! page.total_count = 3;
//! ```
//!
//! Enumerations of known values ([`ErrorCode`], and models such as
//! [`AutoCalloutTaskState`](models::AutoCalloutTaskState)) keep a value this
//! version does not know in `Unknown`, whose content ([`UnknownCode`],
//! [`UnknownValue`](models::UnknownValue)) only decoding and the `From`
//! conversions make, and only for values without a variant. So `Unknown`
//! never stands for a known value: decoding `1` always gives `Running`, and an
//! unknown value is kept as received (decoding `99` and encoding it again
//! gives `99`). Match the variants you handle and end with a wildcard arm;
//! to handle a value this version does not know yet, compare `value()` or
//! `as_str()`, which keeps working once a later version gives it a variant
//! (a guard on `Unknown` would then silently stop matching):
//!
//! ```
//! use ccc_api::ErrorCode;
//! use ccc_api::models::AutoCalloutTaskState;
//!
//! fn describe(state: AutoCalloutTaskState) -> &'static str {
//!     match state {
//!         AutoCalloutTaskState::Running => "running",
//!         AutoCalloutTaskState::Completed => "completed",
//!         other if other.value() == 99 => "the state this version does not know yet",
//!         _ => "another state",
//!     }
//! }
//! assert_eq!(describe(AutoCalloutTaskState::from(1)), "running");
//! assert_eq!(describe(AutoCalloutTaskState::from(99)), "the state this version does not know yet");
//! assert_eq!(AutoCalloutTaskState::from(99).value(), 99);
//!
//! let code = ErrorCode::from("FailedOperation.SomethingNew");
//! assert_eq!(code.as_str(), "FailedOperation.SomethingNew");
//! assert_eq!(ErrorCode::from("InvalidParameter"), ErrorCode::InvalidParameter);
//! ```
//!
//! An `Unknown` holding a known value cannot be built:
//!
//! ```compile_fail
//! use ccc_api::models::{AutoCalloutTaskState, UnknownValue};
//!
//! let state = AutoCalloutTaskState::Unknown(UnknownValue(1));
//! ```
//!
//! ```compile_fail
//! use ccc_api::{ErrorCode, UnknownCode};
//!
//! let code = ErrorCode::Unknown(UnknownCode("InvalidParameter".to_owned()));
//! ```
//!
//! # Secrets
//!
//! Members the spec marks sensitive (passwords, login tokens, signatures,
//! callback credentials) show as `** redacted **` in `Debug` output, in
//! requests, answers, models and builders alike; errors of an action whose
//! answer may carry one quote nothing of that answer.
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
//!   logging answers as JSON, or replaying recorded requests), and the
//!   lenient `Decode` for requests (which checks the spec's request
//!   examples). Off by default, since it roughly doubles the serde code to
//!   compile. Answers are decoded by the generated `Decode` impls (see
//!   [`runtime::de`]), and implement serde's `Deserialize` as a bridge to it.
#![deny(missing_docs)]

mod generated;

pub use generated::*;
pub use tencentcloud_runtime as runtime;
pub use tencentcloud_runtime::{CallOptions, Config, Credentials, Language};
