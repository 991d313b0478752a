//! What the end-to-end tests in `tests/` share: the embedded emulator with a
//! client that signs for it, the code and message of a refused call, and
//! running an official SDK's script against the emulator.

use std::fmt::Debug;
use std::process::Command;

use ccc_api::{Client, Config, Credentials, Error, ErrorCode};
use ccc_local::{Emulator, EmulatorBuilder, RunningEmulator, StartError};

/// A client of `endpoint` that signs with `id` and `key`.
pub fn client(endpoint: &str, id: &str, key: &str) -> Client {
    let config = Config::builder()
        .endpoint(endpoint)
        .credentials(Credentials::new(id, key))
        .build()
        .expect("valid configuration");
    Client::new(config)
}

/// The embedded emulator accepting `id` and `key`, its rate limits off (tests
/// call faster than the spec allows) unless `configure` turns them on, and a
/// client of it.
pub async fn start_with(
    id: &str,
    key: &str,
    configure: impl FnOnce(EmulatorBuilder) -> EmulatorBuilder,
) -> Result<(RunningEmulator, Client), StartError> {
    let builder = Emulator::builder().credentials(id, key).rate_limit(false);
    let emulator = configure(builder).start().await?;
    let client = client(&emulator.url(), id, key);
    Ok((emulator, client))
}

/// [`start_with`] the emulator as it comes.
pub async fn start(id: &str, key: &str) -> (RunningEmulator, Client) {
    start_with(id, key, |builder| builder)
        .await
        .expect("the emulator starts")
}

/// The service error of a refused call: its code and message (it carries a request ID).
pub fn refused<T: Debug>(result: Result<T, Error>) -> (ErrorCode, String) {
    let error = result.expect_err("the call is refused");
    let service = error
        .service_error()
        .unwrap_or_else(|| panic!("not a service error: {error:?}"));
    assert!(!service.request_id.is_empty());
    (service.code.clone(), service.message.clone())
}

/// Runs an interop script (`command`, named `script` in messages) off the async
/// runtime; it must succeed and print `wanted`. Returns what it printed.
pub async fn run_script(mut command: Command, script: &str, wanted: &str) -> String {
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("the blocking task runs")
        .unwrap_or_else(|e| panic!("{script} does not run: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{script} failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    assert!(stdout.contains(wanted), "{stdout}");
    println!("{stdout}");
    stdout
}
