//! A local emulator of Tencent Cloud Contact Center (CCC), API version 2020-02-10.
//!
//! It answers on the real wire protocol (a `POST /` with `X-TC-Action`,
//! `X-TC-Version`, `X-TC-Timestamp` and a TC3-HMAC-SHA256 `Authorization`
//! header; answers in the `{"Response": {...}}` envelope, each with a fresh
//! `RequestId` and a `Date` header), so any Tencent Cloud SDK can be pointed
//! at it: the Rust `ccc-api` crate, Tencent's Python and Node.js SDKs, or
//! hand-made HTTP. It also accepts TC3 over `GET` (parameters in the query)
//! and the older `HmacSHA1`/`HmacSHA256` signatures over form-encoded `POST`
//! and `GET` ([`legacy_sign`]), and a `host` signed with or without its port.
//!
//! What it checks, like the cloud:
//!
//! - authentication ([`auth`]): `AuthFailure.InvalidAuthorization`,
//!   `AuthFailure.SecretIdNotFound`, `AuthFailure.SignatureExpire` (more than
//!   five minutes of clock skew), `AuthFailure.SignatureFailure`,
//!   `AuthFailure.TokenFailure` (see [`TokenPolicy`]);
//! - the request against the spec ([`spec`]): `InvalidAction`, `NoSuchVersion`,
//!   `MissingParameter`, `UnknownParameter`, `InvalidParameter` (wrong JSON
//!   type), `InvalidParameterValue` (out of range), and
//!   `RequestSizeLimitExceeded` for a body over [`MAX_REQUEST_BYTES`];
//! - the per-action rate limit of the spec, per `SdkAppId`
//!   (`RequestLimitExceeded`; on by default, see [`EmulatorBuilder::rate_limit`]).
//!
//! State: automated outbound-call tasks per application, from [`Seed`] data,
//! which six actions share:
//!
//! - `CreateAutoCalloutTask` stores a new task under a `TaskId` one above the
//!   largest of any application, in state 0 (Created), or 1 (Running) when its
//!   `NotBefore` is at or before the emulator's clock;
//! - `DescribeAutoCalloutTask` answers one task with its callees;
//! - `DescribeAutoCalloutTasks` pages them in ascending `TaskId` order
//!   (`PageNumber` counts from 0, `PageSize` must be within
//!   [`MIN_PAGE_SIZE`]`..=`[`MAX_PAGE_SIZE`], `TotalCount` counts every task);
//! - `PauseAutoCalloutTask` (Created or Running → Paused, 5),
//!   `ResumeAutoCalloutTask` (Paused → Running) and `StopAutoCalloutTask`
//!   (Created, Running or Paused → Ended, 4) move a task; any other move is
//!   refused with `UnsupportedOperation`, whose message names the task's state.
//!
//! Agents and skill groups ([`DEMO_STAFF_COUNT`], [`DEMO_SKILL_GROUP_COUNT`]
//! in the demo) and predictive dialing campaigns are kept per application
//! too, by the twenty actions that create, change, bind and list them; the
//! crate's README has their tables. With [`EmulatorBuilder::state_file`] the
//! data survives restarts.
//!
//! A `TaskId` the application lacks gets `InvalidParameterValue`, an unknown
//! `SdkAppId` `InvalidParameterValue.InstanceNotExist`; the codes are picked
//! from each action's `errors` in the spec. Actions the emulator keeps no
//! state for answer the spec's first example response.
//!
//! ```no_run
//! # async fn run() -> Result<(), ccc_local::StartError> {
//! let emulator = ccc_local::Emulator::builder()
//!     .credentials("AKIDlocal", "local-secret")
//!     .start()
//!     .await?;
//! println!("CCC emulator at {}", emulator.url());
//! // ... point a client at emulator.url() ...
//! emulator.shutdown().await;
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]

mod answer;
pub mod auth;
mod campaigns;
pub mod cli;
mod clock;
mod error;
mod form_params;
pub mod legacy_sign;
mod ratelimit;
mod request;
pub mod seed;
mod server;
mod skill_groups;
pub mod spec;
mod staff;
mod state_file;
mod stateful_actions;
mod tasks;
mod workforce;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::serve::ListenerExt;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use auth::{MAX_SKEW_SECONDS, TokenPolicy, Verifier};
pub use clock::{Clock, ManualClock, SystemClock, imf_fixdate, new_request_id};
pub use error::{ApiError, StartError};
pub use seed::{DEMO_SDK_APP_ID, DEMO_TASK_COUNT, MAX_MADE_UP_CALLEES, Seed};
pub use server::MAX_REQUEST_BYTES;
pub use tasks::{MAX_PAGE_SIZE, MIN_PAGE_SIZE};
pub use workforce::{DEMO_SKILL_GROUP_COUNT, DEMO_STAFF_COUNT};

use server::Shared;
use spec::Spec;

/// Entry point: [`Emulator::builder`].
#[derive(Debug)]
pub struct Emulator;

impl Emulator {
    /// A builder with the defaults: listen on `127.0.0.1:0` (a free port), demo
    /// data, rate limiting on, tokens refused, the system clock, no credentials.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }
}

/// Configures and starts an emulator.
#[derive(Debug)]
pub struct EmulatorBuilder {
    listen: String,
    keys: Vec<(String, String)>,
    rate_limit: bool,
    seed: Seed,
    token_policy: TokenPolicy,
    clock: Arc<dyn Clock>,
    state_file: Option<PathBuf>,
    save_every: Option<Duration>,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        EmulatorBuilder {
            listen: "127.0.0.1:0".to_owned(),
            keys: Vec::new(),
            rate_limit: true,
            seed: Seed::demo(),
            token_policy: TokenPolicy::Reject,
            clock: Arc::new(SystemClock),
            state_file: None,
            save_every: None,
        }
    }
}

impl EmulatorBuilder {
    /// Accept requests signed with this SecretId and SecretKey. May be called
    /// more than once to accept several key pairs.
    pub fn credentials(
        mut self,
        secret_id: impl Into<String>,
        secret_key: impl Into<String>,
    ) -> Self {
        self.keys.push((secret_id.into(), secret_key.into()));
        self
    }

    /// Whether the spec's per-action rate limits apply (default: true).
    pub fn rate_limit(mut self, enabled: bool) -> Self {
        self.rate_limit = enabled;
        self
    }

    /// The data to start with (default: [`Seed::demo`]).
    pub fn seed(mut self, seed: Seed) -> Self {
        self.seed = seed;
        self
    }

    /// What to do with `X-TC-Token` (default: [`TokenPolicy::Reject`]).
    pub fn token_policy(mut self, policy: TokenPolicy) -> Self {
        self.token_policy = policy;
        self
    }

    /// The clock for signature expiry, rate limiting and `Date` (default: the system clock).
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The address to listen on (default `127.0.0.1:0`: a free port on the loopback interface).
    pub fn listen(mut self, addr: impl Into<String>) -> Self {
        self.listen = addr.into();
        self
    }

    /// Keep the data in `path` across restarts: at start an existing file
    /// replaces the seed (a file that cannot be read or does not fit the spec
    /// is a [`StartError::State`], and is left as it is); [`RunningEmulator::stop`]
    /// writes the data back atomically. The file is in the seed format.
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    /// With a [`state_file`](Self::state_file), also write it every `period`
    /// while running, so a crash loses at most that much.
    pub fn save_every(mut self, period: Duration) -> Self {
        self.save_every = Some(period);
        self
    }

    /// Checks the seed (or the state file), binds the socket and serves on the current tokio runtime.
    pub async fn start(self) -> Result<RunningEmulator, StartError> {
        if self.keys.is_empty() {
            return Err(StartError::NoCredentials);
        }
        let spec = Spec::ccc();
        let saved = match &self.state_file {
            Some(path) => state_file::read(path).map_err(StartError::State)?,
            None => None,
        };
        let store = match (saved, &self.state_file) {
            (Some(seed), Some(path)) => seed
                .load(spec)
                .map_err(|e| StartError::State(format!("{}: {e}", path.display())))?,
            _ => self.seed.load(spec).map_err(StartError::Seed)?,
        };
        let listener =
            TcpListener::bind(&self.listen)
                .await
                .map_err(|source| StartError::Bind {
                    addr: self.listen.clone(),
                    source,
                })?;
        let addr = listener.local_addr().map_err(|source| StartError::Bind {
            addr: self.listen.clone(),
            source,
        })?;
        let shared = Arc::new(Shared {
            spec,
            verifier: Verifier::new(spec.service, self.keys, self.token_policy),
            clock: self.clock,
            rate_limit: self.rate_limit,
            limiter: Default::default(),
            store: RwLock::new(store),
        });
        let router = axum::Router::new()
            .fallback(server::handle)
            .with_state(shared.clone());
        let saver = match (&self.state_file, self.save_every) {
            (Some(path), Some(period)) if !period.is_zero() => {
                let (shared, path) = (shared.clone(), path.clone());
                Some(tokio::spawn(async move {
                    let mut ticks = tokio::time::interval(period);
                    ticks.tick().await;
                    loop {
                        ticks.tick().await;
                        if let Err(error) = save(&shared, &path) {
                            tracing::error!(%error, "periodic save of the state failed");
                        }
                    }
                }))
            }
            _ => None,
        };
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            // Answers go out in one write; without TCP_NODELAY, the part of one
            // larger than a segment would wait for the client's delayed ACK.
            let listener = listener.tap_io(|tcp| {
                if let Err(error) = tcp.set_nodelay(true) {
                    tracing::debug!(%error, "cannot set TCP_NODELAY on a connection");
                }
            });
            let serve = axum::serve(listener, router).with_graceful_shutdown(async {
                let _ = stopped.await;
            });
            if let Err(error) = serve.await {
                tracing::error!(%error, "the emulator's server stopped");
            }
        });
        Ok(RunningEmulator {
            addr,
            stop: Some(stop),
            task: Some(task),
            shared,
            state_file: self.state_file,
            saver,
        })
    }
}

fn save(shared: &Shared, path: &std::path::Path) -> Result<(), String> {
    let store = shared.store.read().unwrap_or_else(|e| e.into_inner());
    state_file::write(path, &store)
}

/// A running emulator. Dropping it stops the server too, without waiting
/// and without writing the state file.
#[derive(Debug)]
pub struct RunningEmulator {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
    shared: Arc<Shared>,
    state_file: Option<PathBuf>,
    saver: Option<JoinHandle<()>>,
}

impl RunningEmulator {
    /// The base URL, e.g. `http://127.0.0.1:40123`: the endpoint to give a client.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the emulator listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Writes the data to the state file now, if one is configured.
    pub fn save_state(&self) -> Result<(), String> {
        match &self.state_file {
            Some(path) => save(&self.shared, path),
            None => Ok(()),
        }
    }

    /// Stops accepting connections, lets requests in progress finish, waits
    /// for the server to end, then writes the state file, if one is configured.
    pub async fn stop(mut self) -> Result<(), String> {
        if let Some(saver) = self.saver.take() {
            saver.abort();
        }
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        self.save_state()
    }

    /// [`stop`](Self::stop), logging a failure to write the state file instead of returning it.
    pub async fn shutdown(self) {
        if let Err(error) = self.stop().await {
            tracing::error!(%error, "the state was not saved");
        }
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        if let Some(saver) = self.saver.take() {
            saver.abort();
        }
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
