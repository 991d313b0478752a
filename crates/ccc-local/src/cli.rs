//! The `ccc-local` command line, shared by the `ccc-local` binary and `ccc local`:
//! runs the CCC emulator until Ctrl-C or SIGTERM.
//!
//! ```text
//! ccc-local [--listen ADDR] [--secret-id ID] [--secret-key KEY] [--seed FILE]
//!           [--state FILE [--save-every SECONDS]]
//!           [--no-rate-limit] [--accept-token TOKEN]... [--accept-any-token]
//!           [--threads N]
//! ```
//!
//! The first line on stdout is `listening on http://ADDR`; the request log
//! goes to stderr. Credentials default to `TENCENTCLOUD_SECRET_ID` and
//! `TENCENTCLOUD_SECRET_KEY`.

use std::process::ExitCode;

use crate::{Emulator, Seed, TokenPolicy};

/// The help text, for the program name `ccc-local`.
pub const USAGE: &str = "\
usage: ccc-local [options]

A local emulator of Tencent Cloud Contact Center (CCC) API 2020-02-10.

options:
  --listen ADDR          address to listen on (default 127.0.0.1:0, a free port)
  --secret-id ID         SecretId to accept (default: $TENCENTCLOUD_SECRET_ID)
  --secret-key KEY       SecretKey of that SecretId (default: $TENCENTCLOUD_SECRET_KEY)
  --seed FILE            JSON seed data instead of the demo data
  --state FILE           load the data from FILE if it exists (instead of the seed) and
                         write it back atomically on Ctrl-C or SIGTERM
  --save-every SECONDS   with --state, also write it every SECONDS seconds
  --no-rate-limit        do not apply the spec's per-action rate limits
  --accept-token TOKEN   accept this X-TC-Token (repeatable); by default any token is refused
  --accept-any-token     accept any X-TC-Token
  --threads N            threads serving requests (default 1: one thread serves every
                         connection at once, at the least CPU per answer)
  -h, --help             show this help
";

#[derive(Debug, Default)]
struct Args {
    listen: Option<String>,
    secret_id: Option<String>,
    secret_key: Option<String>,
    seed: Option<String>,
    state: Option<String>,
    save_every: Option<u64>,
    no_rate_limit: bool,
    tokens: Vec<String>,
    any_token: bool,
    threads: Option<usize>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut out = Args::default();
    while let Some(arg) = args.next() {
        // Accept both `--flag value` and `--flag=value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--listen" => out.listen = Some(value("--listen")?),
            "--secret-id" => out.secret_id = Some(value("--secret-id")?),
            "--secret-key" => out.secret_key = Some(value("--secret-key")?),
            "--seed" => out.seed = Some(value("--seed")?),
            "--state" => out.state = Some(value("--state")?),
            "--save-every" => {
                let text = value("--save-every")?;
                let seconds = text.parse::<u64>().ok().filter(|s| *s > 0).ok_or_else(|| {
                    format!("--save-every needs a positive number of seconds, got `{text}`")
                })?;
                out.save_every = Some(seconds);
            }
            "--threads" => {
                let text = value("--threads")?;
                let threads = text
                    .parse::<usize>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| {
                        format!("--threads needs a positive number of threads, got `{text}`")
                    })?;
                out.threads = Some(threads);
            }
            "--accept-token" => out.tokens.push(value("--accept-token")?),
            "--no-rate-limit" => out.no_rate_limit = true,
            "--accept-any-token" => out.any_token = true,
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if out.save_every.is_some() && out.state.is_none() {
        return Err("--save-every needs --state FILE".to_owned());
    }
    Ok(Some(out))
}

/// Parses `args` (without the program name), then serves until Ctrl-C or SIGTERM.
/// `program` names the command in help and error messages (`ccc-local`, `ccc local`).
pub fn main(program: &str, args: impl Iterator<Item = String>) -> ExitCode {
    let usage = USAGE.replacen("ccc-local", program, 1);
    let args = match parse_args(args) {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{usage}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("{program}: {message}\n\n{usage}");
            return ExitCode::from(2);
        }
    };
    {
        use std::io::IsTerminal;
        tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            .with_ansi(std::io::stderr().is_terminal())
            .with_target(false)
            .init();
    }

    let runtime = match runtime(args.threads.unwrap_or(1)) {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("{program}: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{program}: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The runtime that serves: with one thread, a current-thread runtime, which
/// still serves every connection concurrently but never hands a request from
/// the thread that read it to another (waking a second thread for each
/// request cost about a fifth of the CPU of an answer).
fn runtime(threads: usize) -> std::io::Result<tokio::runtime::Runtime> {
    let mut builder = if threads == 1 {
        tokio::runtime::Builder::new_current_thread()
    } else {
        let mut builder = tokio::runtime::Builder::new_multi_thread();
        builder.worker_threads(threads);
        builder
    };
    builder.enable_all().build()
}

async fn run(args: Args) -> Result<(), String> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let secret_id = args.secret_id.or_else(|| env("TENCENTCLOUD_SECRET_ID"));
    let secret_key = args.secret_key.or_else(|| env("TENCENTCLOUD_SECRET_KEY"));
    let (Some(secret_id), Some(secret_key)) = (secret_id, secret_key) else {
        return Err(
            "a SecretId and SecretKey are needed: pass --secret-id and --secret-key, \
                    or set TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY"
                .to_owned(),
        );
    };
    let seed = match &args.seed {
        Some(path) => Seed::from_file(path)?,
        None => Seed::demo(),
    };
    let token_policy = if args.any_token {
        TokenPolicy::AcceptAny
    } else if args.tokens.is_empty() {
        TokenPolicy::Reject
    } else {
        TokenPolicy::AcceptOnly(args.tokens)
    };
    let stop = shutdown_signal()?;
    let mut builder = Emulator::builder()
        .listen(args.listen.unwrap_or_else(|| "127.0.0.1:0".to_owned()))
        .credentials(secret_id.clone(), secret_key)
        .rate_limit(!args.no_rate_limit)
        .seed(seed)
        .token_policy(token_policy);
    if let Some(path) = &args.state {
        builder = builder.state_file(path);
    }
    if let Some(seconds) = args.save_every {
        builder = builder.save_every(std::time::Duration::from_secs(seconds));
    }
    let emulator = builder.start().await.map_err(|e| e.to_string())?;
    {
        use std::io::Write;
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "listening on {}", emulator.url());
        let _ = stdout.flush();
    }
    tracing::info!(
        url = %emulator.url(),
        secret_id = %secret_id,
        rate_limit = !args.no_rate_limit,
        "CCC emulator started"
    );
    stop.await;
    tracing::info!("shutting down");
    emulator.stop().await?;
    if let Some(path) = &args.state {
        tracing::info!(path = %path, "state saved");
    }
    Ok(())
}

/// Registers the Ctrl-C and SIGTERM handlers now (before the `listening on`
/// line, so a signal sent right after it is not lost) and returns a future
/// that completes when either arrives.
#[cfg(unix)]
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>, String> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt =
        signal(SignalKind::interrupt()).map_err(|e| format!("cannot handle SIGINT: {e}"))?;
    let mut terminate =
        signal(SignalKind::terminate()).map_err(|e| format!("cannot handle SIGTERM: {e}"))?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

#[cfg(not(unix))]
fn shutdown_signal() -> Result<impl std::future::Future<Output = ()>, String> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Option<Args>, String> {
        parse_args(args.iter().map(|s| (*s).to_owned()))
    }

    #[test]
    fn parses_flags() {
        let args = parse(&[
            "--listen",
            "127.0.0.1:0",
            "--secret-id=a",
            "--secret-key",
            "b",
            "--no-rate-limit",
        ])
        .unwrap()
        .unwrap();
        assert_eq!(args.listen.as_deref(), Some("127.0.0.1:0"));
        assert_eq!(args.secret_id.as_deref(), Some("a"));
        assert_eq!(args.secret_key.as_deref(), Some("b"));
        assert!(args.no_rate_limit);
        assert!(parse(&["--help"]).unwrap().is_none());
        let args = parse(&["--state", "s.json", "--save-every=30"])
            .unwrap()
            .unwrap();
        assert_eq!(
            (args.state.as_deref(), args.save_every),
            (Some("s.json"), Some(30))
        );
        assert!(parse(&["--save-every", "30"]).is_err(), "needs --state");
        assert!(parse(&["--state", "s", "--save-every", "0"]).is_err());
        assert_eq!(
            parse(&["--threads", "4"]).unwrap().unwrap().threads,
            Some(4)
        );
        assert_eq!(parse(&[]).unwrap().unwrap().threads, None, "one by default");
        assert!(parse(&["--threads", "0"]).is_err());
        assert!(parse(&["--threads=many"]).is_err());
        assert!(parse(&["--bogus"]).is_err());
        assert!(parse(&["--seed"]).is_err());
    }
}
