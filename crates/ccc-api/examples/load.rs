//! Calls `DescribeAutoCalloutTasks` (a page of 100 tasks) against an endpoint
//! in a loop and prints, as one JSON line, how long it took and how much CPU
//! this process spent. `bench/compare.sh` runs it against `ccc-local`, next to
//! Tencent's Python SDK doing the same (`bench/python_client.py`).
//!
//! ```text
//! load ENDPOINT SECRET_ID SECRET_KEY SDK_APP_ID CALLS IN_FLIGHT
//! ```
//!
//! Everything runs on one thread (a current-thread tokio runtime), so the CPU
//! time is the client's own work per call, not the cost of moving work between
//! threads. CPU time is read from `/proc/self/task/*/schedstat` (Linux),
//! as the Python driver reads its own.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use ccc_api::runtime::RateLimit;
use ccc_api::{Client, Config, Credentials};

/// Calls made before measuring: connection, credentials, first allocations.
const WARM_UP: u64 = 20;

const USAGE: &str = "usage: load ENDPOINT SECRET_ID SECRET_KEY SDK_APP_ID CALLS IN_FLIGHT";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [
        endpoint,
        secret_id,
        secret_key,
        sdk_app_id,
        calls,
        in_flight,
    ] = args.as_slice()
    else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let (Ok(sdk_app_id), Ok(calls), Ok(in_flight)) = (
        sdk_app_id.parse::<u64>(),
        calls.parse::<u64>(),
        in_flight.parse::<u64>(),
    ) else {
        eprintln!("SDK_APP_ID, CALLS and IN_FLIGHT are numbers\n{USAGE}");
        return ExitCode::from(2);
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let config = Config::builder()
        .endpoint(endpoint.as_str())
        .credentials(Credentials::new(secret_id.as_str(), secret_key.as_str()))
        .rate_limit(RateLimit::Disabled)
        .build();
    let client = match config {
        Ok(config) => Client::new(config),
        Err(e) => {
            eprintln!("bad configuration: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(client, sdk_app_id, calls, in_flight.max(1))) {
        Ok((wall, cpu)) => {
            println!(
                "{{\"calls\":{calls},\"in_flight\":{in_flight},\"warm_up\":{WARM_UP},\"wall_s\":{:.6},\"cpu_s\":{:.6}}}",
                wall.as_secs_f64(),
                cpu.as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(
    client: Client,
    sdk_app_id: u64,
    calls: u64,
    in_flight: u64,
) -> Result<(Duration, Duration), String> {
    for _ in 0..WARM_UP {
        one_call(&client, sdk_app_id).await?;
    }
    let (started, cpu_before) = (Instant::now(), cpu_time()?);
    // On a current-thread runtime the spawned workers share this thread.
    let workers: Vec<_> = (0..in_flight)
        .map(|worker| {
            let client = client.clone();
            // Worker `w` makes the calls numbered w, w + in_flight, ...
            let share = (calls + in_flight - 1 - worker) / in_flight;
            tokio::spawn(async move {
                for _ in 0..share {
                    one_call(&client, sdk_app_id).await?;
                }
                Ok::<(), String>(())
            })
        })
        .collect();
    for worker in workers {
        worker
            .await
            .map_err(|e| format!("a worker failed: {e}"))??;
    }
    Ok((started.elapsed(), cpu_time()?.saturating_sub(cpu_before)))
}

async fn one_call(client: &Client, sdk_app_id: u64) -> Result<(), String> {
    let page = client
        .describe_auto_callout_tasks()
        .sdk_app_id(sdk_app_id)
        .page_size(100)
        .page_number(0)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if page.tasks.len() == 100 {
        Ok(())
    } else {
        Err(format!("expected 100 tasks, got {}", page.tasks.len()))
    }
}

/// CPU time of every thread of this process, from the scheduler's accounting.
fn cpu_time() -> Result<Duration, String> {
    let mut total = 0u64;
    let tasks = std::fs::read_dir("/proc/self/task")
        .map_err(|e| format!("cannot read /proc/self/task: {e}"))?;
    for task in tasks.flatten() {
        let Ok(text) = std::fs::read_to_string(task.path().join("schedstat")) else {
            continue;
        };
        total += text
            .split_whitespace()
            .next()
            .and_then(|ns| ns.parse::<u64>().ok())
            .unwrap_or(0);
    }
    Ok(Duration::from_nanos(total))
}
