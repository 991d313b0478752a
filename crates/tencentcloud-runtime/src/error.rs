//! The one error type every call returns.

use std::fmt;
use std::time::Duration;

use crate::credentials::CredentialsError;

/// A typed service error code. Generated crates implement it for their
/// `ErrorCode` enum; `String` implements it for untyped use.
pub trait ErrorCode: fmt::Debug + fmt::Display + Clone + Send + Sync + 'static {
    /// The typed form of a code received on the wire.
    fn from_code(code: &str) -> Self;
    /// The code as it appears on the wire.
    fn as_str(&self) -> &str;
}

impl ErrorCode for String {
    fn from_code(code: &str) -> Self {
        code.to_owned()
    }

    fn as_str(&self) -> &str {
        self
    }
}

/// An error the service itself answered with (`Response.Error`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceError<C> {
    /// The error code.
    pub code: C,
    /// The service's message.
    pub message: String,
    /// The request ID, to quote when reporting a problem.
    pub request_id: String,
}

impl<C: ErrorCode> fmt::Display for ServiceError<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} (request id {})",
            self.code, self.message, self.request_id
        )
    }
}

/// Everything that can go wrong with a call. `C` is the service's error-code type.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<C = String> {
    /// The service answered with an error.
    Service(ServiceError<C>),
    /// The service refused the call because of its rate limit (`RequestLimitExceeded*`)
    /// and retrying did not get through.
    Throttled(ServiceError<C>),
    /// The request was rejected before it was sent: a required parameter is missing,
    /// or it could not be encoded.
    InvalidRequest {
        /// What is wrong, naming the parameter.
        message: String,
    },
    /// No credentials could be obtained.
    Credentials(CredentialsError),
    /// The client-side rate limiter could not let the call through while a
    /// quarter of its operation timeout was still left, so it was not sent at
    /// all (it fails at once rather than waiting to time out).
    RateLimited {
        /// The action's wire name.
        action: &'static str,
        /// How long the call would have had to wait for its turn.
        wait: Duration,
    },
    /// An attempt or the whole operation took longer than allowed.
    Timeout {
        /// The limit that was reached.
        after: Duration,
    },
    /// The connection failed or broke.
    Transport {
        /// What failed.
        message: String,
        /// The underlying error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The answer was not the JSON envelope the API uses, with a non-success HTTP status.
    UnexpectedStatus {
        /// HTTP status code.
        status: u16,
        /// The start of the body, for diagnosis.
        body_excerpt: String,
    },
    /// The answer could not be decoded into the expected type.
    Decode {
        /// What did not fit.
        message: String,
        /// Where in the `Response` object, e.g. `Tasks[0].State` (empty when the body is not JSON).
        path: String,
        /// The start of the body, for diagnosis.
        body_excerpt: String,
    },
    /// The answer was larger than the configured limit and was not read.
    ResponseTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// A [`Stub`](crate) implementation does not handle this action.
    Unimplemented {
        /// The action's wire name.
        action: &'static str,
    },
}

impl<C: ErrorCode> Error<C> {
    /// A required parameter was not set.
    pub fn missing_parameter(name: &str) -> Self {
        Error::InvalidRequest {
            message: format!("missing required parameter `{name}`"),
        }
    }

    /// A stub does not implement `action`.
    pub fn unimplemented(action: &'static str) -> Self {
        Error::Unimplemented { action }
    }

    /// The service's error, whether throttling or not.
    pub fn service_error(&self) -> Option<&ServiceError<C>> {
        match self {
            Error::Service(e) | Error::Throttled(e) => Some(e),
            _ => None,
        }
    }

    /// The service's error code, if the service answered with one.
    pub fn code(&self) -> Option<&C> {
        self.service_error().map(|e| &e.code)
    }

    /// The service's message, if the service answered with an error.
    pub fn message(&self) -> Option<&str> {
        self.service_error().map(|e| e.message.as_str())
    }

    /// The request ID, if the service answered.
    pub fn request_id(&self) -> Option<&str> {
        self.service_error().map(|e| e.request_id.as_str())
    }

    /// True when trying again later may succeed: throttling, timeouts, broken
    /// connections, server-side failures.
    ///
    /// Whether the runtime itself repeats such a failure also depends on the
    /// action and on [`RetryConfig`](crate::RetryConfig); see [`crate::retry`].
    pub fn is_retryable(&self) -> bool {
        crate::retry::classify(self) != crate::retry::Class::Permanent
    }

    /// Converts the code type, e.g. from the runtime's `String` to a generated enum.
    pub fn map_code<D: ErrorCode>(self) -> Error<D> {
        let convert = |e: ServiceError<C>| ServiceError {
            code: D::from_code(e.code.as_str()),
            message: e.message,
            request_id: e.request_id,
        };
        match self {
            Error::Service(e) => Error::Service(convert(e)),
            Error::Throttled(e) => Error::Throttled(convert(e)),
            Error::InvalidRequest { message } => Error::InvalidRequest { message },
            Error::Credentials(e) => Error::Credentials(e),
            Error::RateLimited { action, wait } => Error::RateLimited { action, wait },
            Error::Timeout { after } => Error::Timeout { after },
            Error::Transport { message, source } => Error::Transport { message, source },
            Error::UnexpectedStatus {
                status,
                body_excerpt,
            } => Error::UnexpectedStatus {
                status,
                body_excerpt,
            },
            Error::Decode {
                message,
                path,
                body_excerpt,
            } => Error::Decode {
                message,
                path,
                body_excerpt,
            },
            Error::ResponseTooLarge { limit } => Error::ResponseTooLarge { limit },
            Error::Unimplemented { action } => Error::Unimplemented { action },
        }
    }
}

impl<C: ErrorCode> fmt::Display for Error<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Service(e) => write!(f, "{e}"),
            Error::Throttled(e) => write!(f, "throttled: {e}"),
            Error::InvalidRequest { message } => write!(f, "invalid request: {message}"),
            Error::Credentials(e) => write!(f, "credentials: {e}"),
            Error::RateLimited { action, wait } => write!(
                f,
                "not sent: the client-side rate limit of `{action}` would delay it by {wait:?}, leaving too little of its operation timeout"
            ),
            Error::Timeout { after } => write!(f, "timed out after {after:?}"),
            Error::Transport { message, .. } => write!(f, "transport error: {message}"),
            Error::UnexpectedStatus {
                status,
                body_excerpt,
            } => {
                write!(
                    f,
                    "unexpected HTTP status {status}; body starts: {body_excerpt:?}"
                )
            }
            Error::Decode {
                message,
                path,
                body_excerpt,
            } if path.is_empty() => {
                write!(
                    f,
                    "undecodable answer: {message}; body starts: {body_excerpt:?}"
                )
            }
            Error::Decode {
                message,
                path,
                body_excerpt,
            } => {
                write!(
                    f,
                    "undecodable answer at `{path}`: {message}; body starts: {body_excerpt:?}"
                )
            }
            Error::ResponseTooLarge { limit } => {
                write!(f, "answer larger than the {limit}-byte limit")
            }
            Error::Unimplemented { action } => write!(f, "the stub does not implement `{action}`"),
        }
    }
}

impl<C: ErrorCode> std::error::Error for Error<C> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Credentials(e) => Some(e),
            Error::Transport { source, .. } => Some(source.as_ref()),
            _ => None,
        }
    }
}

/// What errors hold instead of an excerpt of an answer that may carry a secret.
pub const WITHHELD: &str = "(withheld: the answer may hold a secret)";

impl<C> Error<C> {
    /// The same error without anything taken from the answer's body: the body
    /// excerpt is replaced by [`WITHHELD`], and so is the decode message, which
    /// may quote a value (serde's `invalid type: string "..."`); the path, which
    /// names members only, is kept. The runtime applies it to every error of
    /// an action whose [`ActionInfo::sensitive_output`](crate::ActionInfo::sensitive_output) is set.
    pub fn withhold_body(self) -> Self {
        match self {
            Error::UnexpectedStatus { status, .. } => Error::UnexpectedStatus {
                status,
                body_excerpt: WITHHELD.to_owned(),
            },
            Error::Decode { path, .. } => Error::Decode {
                message: WITHHELD.to_owned(),
                path,
                body_excerpt: WITHHELD.to_owned(),
            },
            other => other,
        }
    }
}

/// At most `max` characters of `body`, for error messages (never the whole of a large body).
pub(crate) fn excerpt(body: &[u8]) -> String {
    const MAX: usize = 200;
    let text = String::from_utf8_lossy(&body[..body.len().min(MAX * 4)]);
    let mut out: String = text.chars().take(MAX).collect();
    if text.chars().count() > MAX || body.len() > MAX * 4 {
        out.push('…');
    }
    out
}
