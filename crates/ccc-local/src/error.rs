//! Errors: the ones the emulator answers with, and the ones that stop it from starting.

use std::fmt;

/// An error answered in `Response.Error`: a Tencent Cloud error code and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The code, e.g. `AuthFailure.SignatureFailure`.
    pub code: String,
    /// What is wrong, naming the parameter or header involved.
    pub message: String,
}

impl ApiError {
    /// An error with `code` and `message`.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError {
            code: code.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

/// Why the emulator could not start.
#[derive(Debug)]
#[non_exhaustive]
pub enum StartError {
    /// The listening socket could not be bound.
    Bind {
        /// The address asked for.
        addr: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The seed data is unreadable or does not fit the spec.
    Seed(String),
    /// No credentials were configured, so no request could ever be accepted.
    NoCredentials,
    /// The state file exists but cannot be read or does not fit the spec; it was left unchanged.
    State(String),
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartError::Bind { addr, source } => write!(f, "cannot listen on {addr}: {source}"),
            StartError::Seed(message) => write!(f, "invalid seed data: {message}"),
            StartError::State(message) => write!(
                f,
                "invalid state file: {message} (the file was left unchanged; fix it, or move it away to start from the seed)"
            ),
            StartError::NoCredentials => {
                f.write_str("no credentials configured (a SecretId and SecretKey are needed)")
            }
        }
    }
}

impl std::error::Error for StartError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StartError::Bind { source, .. } => Some(source),
            _ => None,
        }
    }
}
