//! Runtime shared by every generated Tencent Cloud API 3.0 client.
//!
//! Generated service crates (such as `ccc-api`) describe *what* to call: the
//! action name, its input and output types, and whether it only reads. This
//! crate does the rest: it signs requests with TC3-HMAC-SHA256, sends them,
//! unwraps the `{"Response": ...}` envelope and turns failures into [`Error`].
//!
//! Production behaviour, all set through [`ConfigBuilder`]:
//!
//! * **Retries** ([`RetryConfig`], [`retry`]): throttling and failures before
//!   sending are always retried; failures after which the service may have
//!   acted only for read-only actions, unless the caller opts in. Backoff is
//!   exponential with full jitter, bounded by the operation timeout.
//! * **Pacing** ([`RateLimit`]): each action is kept under the rate the
//!   service documents, across every clone of a client. Waiting calls queue
//!   first come, first served; one that is dropped or times out gives its
//!   place back, and one whose turn would come too late for its operation
//!   timeout fails at once with [`Error::RateLimited`], so under sustained
//!   overload the allowed rate is still used.
//! * **Clock skew**: after `AuthFailure.SignatureExpire` the service's `Date`
//!   corrects the signing clock ([`ServiceClock`], at most
//!   [`MAX_CLOCK_OFFSET`] either way), and the call is tried once more. The
//!   default credentials chain judges expiry by the same corrected clock.
//! * **Where requests go**: redirects are never followed; endpoints, set in
//!   code or in the environment, are checked at [`ConfigBuilder::build`]
//!   (scheme, host, no path); plain `http://` only when the endpoint says so.
//!   SOCKS proxies are refused at build time rather than failing later.
//! * **Bad values** are refused before sending, naming them: regions with
//!   control characters (at build time), credentials that cannot travel in a
//!   header, NaN or infinite numbers in a request.
//! * **Credentials** ([`credentials`]): environment, profile file (which may
//!   assume a role through STS), CVM instance role, TKE web identity; only
//!   absent sources are skipped, a broken one is an error naming it. Secret
//!   keys and tokens are wiped from memory on drop and never shown by `Debug`.
//! * **Limits**: connect, attempt and operation timeouts; answers larger than
//!   [`ConfigBuilder::max_response_bytes`] are refused, not buffered.
//! * **Answers** are judged by their body, not their `Content-Type`: the
//!   API's JSON envelope is decoded even when mislabelled (say `text/plain`
//!   by a proxy), since for a write the action was carried out; anything
//!   else fails with [`Error::Decode`] or [`Error::UnexpectedStatus`].
//! * **Tracing**: a span per call and per attempt; secrets are never recorded.
//!
//! Every fault the runtime handles, with what it does and the test that
//! shows it, is listed in [`fault_matrix`].
#![deny(missing_docs)]

mod client;
mod clock;
mod config;
pub mod credentials;
pub mod de;
mod endpoint;
pub mod envelope;
mod error;
mod finite;
mod options;
pub mod paginate;
mod rate_limit;
mod redact;
mod required;
pub mod retry;
pub mod sign;

#[doc = include_str!("../FAULTS.md")]
pub mod fault_matrix {}

pub use client::{ActionInfo, ServiceClient, ServiceInfo};
pub use clock::{MAX_CLOCK_OFFSET, ServiceClock};
pub use config::{
    Config, ConfigBuilder, ConfigError, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_RESPONSE_BYTES, ENV_ENDPOINT_URL, ENV_REGION, Language, MAX_REQUEST_CLIENT_LEN,
    REQUEST_CLIENT,
};
pub use credentials::{Credentials, CredentialsError, ProvideCredentials};
pub use error::{Error, ErrorCode, ServiceError, WITHHELD};
pub use options::CallOptions;
pub use rate_limit::RateLimit;
pub use redact::Redacted;
pub use required::Required;
pub use retry::RetryConfig;

use std::future::Future;
use std::pin::Pin;

/// A boxed, sendable future: what object-safe async traits in this crate return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The answer of a stub method that a test's fake does not implement: a ready
/// [`Error::Unimplemented`] naming the action. Generated `Stub` traits use it
/// as the default of every method.
pub fn unimplemented<T: Send + 'static, C: ErrorCode>(
    action: &'static str,
) -> BoxFuture<'static, Result<T, Error<C>>> {
    Box::pin(std::future::ready(Err(Error::unimplemented(action))))
}
