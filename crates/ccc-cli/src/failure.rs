//! Why `ccc` stopped, as one line on stderr and a distinct exit status.

use std::process::ExitCode;

use crate::send::CallError;

/// Exit status of a usage error: bad flags or a request that does not fit the definition. Nothing was sent.
pub const EXIT_USAGE: u8 = 2;
/// Exit status when the service answered with an error.
pub const EXIT_SERVICE: u8 = 3;
/// Exit status of a network failure or timeout.
pub const EXIT_NETWORK: u8 = 4;
/// Exit status of anything else: configuration, credentials, an undecodable answer, output.
pub const EXIT_OTHER: u8 = 1;

/// A reason to stop.
#[derive(Debug)]
pub enum Failure {
    /// The command line or the request is wrong; nothing was sent.
    Usage(String),
    /// The call failed.
    Call(CallError),
    /// Anything else, already worded.
    Other(String),
}

impl From<CallError> for Failure {
    fn from(error: CallError) -> Self {
        Failure::Call(error)
    }
}

impl Failure {
    /// The exit status.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) => EXIT_USAGE,
            Failure::Other(_) => EXIT_OTHER,
            Failure::Call(CallError::InvalidRequest(_)) => EXIT_USAGE,
            Failure::Call(CallError::Encode(_)) => EXIT_OTHER,
            Failure::Call(CallError::Api(error)) => match error {
                ccc_api::Error::Service(_)
                | ccc_api::Error::Throttled(_)
                | ccc_api::Error::UnexpectedStatus { .. } => EXIT_SERVICE,
                ccc_api::Error::Timeout { .. } | ccc_api::Error::Transport { .. } => EXIT_NETWORK,
                ccc_api::Error::InvalidRequest { .. } => EXIT_USAGE,
                _ => EXIT_OTHER,
            },
        }
    }

    /// The line to print (without the `ccc: ` prefix). A service error reads
    /// `<code>: <message> (request id <id>)`; no message ever holds a secret.
    pub fn message(&self) -> String {
        let text = match self {
            Failure::Usage(message) | Failure::Other(message) => message.clone(),
            Failure::Call(CallError::InvalidRequest(message)) => {
                format!("invalid request: {message}")
            }
            Failure::Call(CallError::Encode(message)) => {
                format!("cannot print the answer: {message}")
            }
            Failure::Call(CallError::Api(error)) => error.to_string(),
        };
        // One line, whatever the service or a file said.
        text.replace(['\n', '\r'], " ")
    }

    /// Prints the line to stderr and returns the exit status.
    pub fn report(&self) -> ExitCode {
        eprintln!("ccc: {}", self.message());
        ExitCode::from(self.exit_code())
    }
}
