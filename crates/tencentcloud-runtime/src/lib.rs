//! Runtime shared by every generated Tencent Cloud API 3.0 client.
//!
//! Generated service crates (such as `ccc-api`) describe *what* to call: the
//! action name, its input and output types, and whether it only reads. This
//! crate does the rest: it signs requests with TC3-HMAC-SHA256, sends them,
//! unwraps the `{"Response": ...}` envelope and turns failures into [`Error`].
#![deny(missing_docs)]

mod client;
mod config;
pub mod credentials;
mod error;
pub mod retry;
pub mod sign;

pub use client::{ActionInfo, ServiceClient, ServiceInfo};
pub use config::{Config, ConfigBuilder, ConfigError, DEFAULT_MAX_RESPONSE_BYTES, ENV_ENDPOINT_URL, ENV_REGION, Language};
pub use credentials::{Credentials, CredentialsError, ProvideCredentials};
pub use error::{Error, ErrorCode, ServiceError};

use std::future::Future;
use std::pin::Pin;

/// A boxed, sendable future: what object-safe async traits in this crate return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
