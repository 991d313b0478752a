//! Lists every automated outbound-call task of a contact-center application,
//! then its skill groups and agents.
//!
//! ```text
//! cargo run --example quickstart                         # embedded emulator, demo data
//! TENCENTCLOUD_SECRET_ID=... TENCENTCLOUD_SECRET_KEY=... \
//!     cargo run --example quickstart -- --sdk-app-id 1400123456   # the real service
//! ```
//!
//! With no `TENCENTCLOUD_SECRET_ID` / `TENCENTCLOUD_SECRET_KEY` in the
//! environment it starts the `ccc-local` emulator in-process, with its demo
//! data, and says so. With them set it calls the configured endpoint: the real
//! service, or `TENCENTCLOUD_ENDPOINT_URL` when that is set. With only one of
//! them set it stops with an error naming the other, rather than quietly
//! running against the emulator. It walks all pages
//! of `DescribeAutoCalloutTasks` and prints one table, then does the same for
//! `DescribeSkillGroupInfoList` and `DescribeStaffInfoList`. A failure ends it with
//! exit status 1 and one line naming the code, the message and the request ID.

use std::process::ExitCode;

use ccc_api::models::AutoCalloutTaskInfo;
use ccc_api::{Client, Config, Credentials};

/// Tasks asked for per call.
const PAGE_SIZE: u64 = 20;

const USAGE: &str = "usage: quickstart [--sdk-app-id N]\n\
    \n\
    Lists the automated outbound-call tasks of a CCC application.\n\
    Without TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY it runs against an embedded emulator with demo data;\n\
    with them it calls Tencent Cloud (or TENCENTCLOUD_ENDPOINT_URL) and needs --sdk-app-id.";

fn main() -> ExitCode {
    let sdk_app_id = match parse_args(std::env::args().skip(1)) {
        Ok(Some(id)) => id,
        Ok(None) => {
            out(&format!("{USAGE}\n"));
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(sdk_app_id)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `Some(sdk_app_id)` (`0` when not given), or `None` for `--help`.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<u64>, String> {
    let mut sdk_app_id = 0;
    while let Some(arg) = args.next() {
        let value = match arg.split_once('=') {
            Some(("--sdk-app-id", value)) => value.to_owned(),
            _ if arg == "--sdk-app-id" => args.next().ok_or("--sdk-app-id needs a value")?,
            _ if arg == "-h" || arg == "--help" => return Ok(None),
            _ => return Err(format!("unknown argument `{arg}`")),
        };
        sdk_app_id = value
            .parse()
            .map_err(|_| format!("--sdk-app-id must be a positive integer, got `{value}`"))?;
    }
    Ok(Some(sdk_app_id))
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

async fn run(sdk_app_id: u64) -> Result<(), String> {
    // Held until the end: dropping it stops the embedded emulator.
    let mut emulator = None;
    let real_service = wants_real_service(
        env("TENCENTCLOUD_SECRET_ID"),
        env("TENCENTCLOUD_SECRET_KEY"),
    )?;
    let (client, sdk_app_id) = if real_service {
        if sdk_app_id == 0 {
            return Err(
                "with TENCENTCLOUD_SECRET_ID set, pass the application to list: --sdk-app-id N"
                    .to_owned(),
            );
        }
        // The default chain reads the key pair (and TENCENTCLOUD_SESSION_TOKEN) from the
        // environment; the endpoint is TENCENTCLOUD_ENDPOINT_URL or the real service.
        let config = Config::builder().build().map_err(|e| e.to_string())?;
        (Client::new(config), sdk_app_id)
    } else {
        let (id, key) = ("AKIDquickstartDemo", "quickstart-demo-key");
        let running = ccc_local::Emulator::builder()
            .credentials(id, key)
            .start()
            .await
            .map_err(|e| format!("cannot start the embedded emulator: {e}"))?;
        out(&format!(
            "TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY are not set: using the embedded CCC emulator at {} with demo data.\n",
            running.url()
        ));
        let config = Config::builder()
            .endpoint(running.url())
            .credentials(Credentials::new(id, key))
            .build()
            .map_err(|e| e.to_string())?;
        emulator = Some(running);
        let app = if sdk_app_id == 0 {
            ccc_local::DEMO_SDK_APP_ID
        } else {
            sdk_app_id
        };
        (Client::new(config), app)
    };

    let tasks = list_all(&client, sdk_app_id)
        .await
        .map_err(|e| describe(&e))?;
    out(&format!(
        "Automated outbound-call tasks of application {sdk_app_id}: {}\n\n",
        tasks.len()
    ));
    out(&table(&tasks));

    let groups = list_skill_groups(&client, sdk_app_id)
        .await
        .map_err(|e| describe(&e))?;
    out(&format!("\nSkill groups: {}\n\n", groups.len()));
    let rows: Vec<Vec<String>> = groups
        .iter()
        .map(|g| {
            vec![
                g.skill_group_id.to_string(),
                g.skill_group_name.clone(),
                g.skill_group_type.to_string(),
                g.max_concurrency.to_string(),
            ]
        })
        .collect();
    out(&text_table(&["ID", "NAME", "TYPE", "MAX SESSIONS"], &rows));

    let staff = list_staff(&client, sdk_app_id)
        .await
        .map_err(|e| describe(&e))?;
    out(&format!("\nAgents: {}\n\n", staff.len()));
    let rows: Vec<Vec<String>> = staff
        .iter()
        .map(|s| {
            let groups: Vec<&str> = s
                .skill_group_list
                .iter()
                .filter_map(|g| g.skill_group_name.as_deref())
                .collect();
            vec![
                s.mail.clone(),
                s.name.clone(),
                if groups.is_empty() {
                    "-".to_owned()
                } else {
                    groups.join(", ")
                },
            ]
        })
        .collect();
    out(&text_table(&["ACCOUNT", "NAME", "SKILL GROUPS"], &rows));

    if let Some(emulator) = emulator {
        emulator.shutdown().await;
    }
    Ok(())
}

/// Whether to call Tencent Cloud (both variables set) or the embedded
/// emulator (neither). One without the other is a mistake to report, as the
/// SDK's credentials chain does, never a reason to switch to the emulator.
fn wants_real_service(id: Option<String>, key: Option<String>) -> Result<bool, String> {
    match (id, key) {
        (Some(_), Some(_)) => Ok(true),
        (None, None) => Ok(false),
        (Some(_), None) => Err(
            "TENCENTCLOUD_SECRET_ID is set but TENCENTCLOUD_SECRET_KEY is missing or empty: \
             set both to call Tencent Cloud, or neither to use the embedded emulator"
                .to_owned(),
        ),
        (None, Some(_)) => Err(
            "TENCENTCLOUD_SECRET_KEY is set but TENCENTCLOUD_SECRET_ID is missing or empty: \
             set both to call Tencent Cloud, or neither to use the embedded emulator"
                .to_owned(),
        ),
    }
}

/// Every task of the application: `into_pages` walks the pages until `TotalCount` is reached.
async fn list_all(client: &Client, sdk_app_id: u64) -> ccc_api::Result<Vec<AutoCalloutTaskInfo>> {
    let mut pages = client
        .describe_auto_callout_tasks()
        .sdk_app_id(sdk_app_id)
        .page_size(PAGE_SIZE)
        .into_pages()?;
    let mut tasks = Vec::new();
    while let Some(page) = pages.next().await {
        tasks.extend(page?.tasks);
    }
    Ok(tasks)
}

/// Every skill group of the application, page by page.
async fn list_skill_groups(
    client: &Client,
    sdk_app_id: u64,
) -> ccc_api::Result<Vec<ccc_api::models::SkillGroupInfoItem>> {
    let mut pages = client
        .describe_skill_group_info_list()
        .sdk_app_id(sdk_app_id as i64)
        .page_size(PAGE_SIZE as i64)
        .into_pages()?;
    let mut groups = Vec::new();
    while let Some(page) = pages.next().await {
        groups.extend(page?.skill_group_list);
    }
    Ok(groups)
}

/// Every agent of the application, page by page.
async fn list_staff(
    client: &Client,
    sdk_app_id: u64,
) -> ccc_api::Result<Vec<ccc_api::models::StaffInfo>> {
    let mut pages = client
        .describe_staff_info_list()
        .sdk_app_id(sdk_app_id as i64)
        .page_size(PAGE_SIZE as i64)
        .into_pages()?;
    let mut staff = Vec::new();
    while let Some(page) = pages.next().await {
        staff.extend(page?.staff_list);
    }
    Ok(staff)
}

/// One line for an error: the service's code, message and request ID when it answered.
fn describe(error: &ccc_api::Error) -> String {
    match error.service_error() {
        Some(e) => format!("{}: {} (request id {})", e.code, e.message, e.request_id),
        None => error.to_string(),
    }
}

/// Writes to stdout, ignoring a closed pipe (`quickstart | head` must not panic).
fn out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}

/// The tasks as an aligned text table, one line per task.
fn table(tasks: &[AutoCalloutTaskInfo]) -> String {
    let rows: Vec<[String; 5]> = tasks
        .iter()
        .map(|t| {
            [
                t.task_id.to_string(),
                t.name.clone(),
                format!("{:?}", t.state),
                if t.callers.is_empty() {
                    "-".to_owned()
                } else {
                    t.callers.join(", ")
                },
                format!(
                    "{} .. {}",
                    utc_minute(t.not_before),
                    t.not_after
                        .map_or_else(|| "(no end)".to_owned(), utc_minute)
                ),
            ]
        })
        .collect();
    let header = ["TASK ID", "NAME", "STATE", "CALLERS", "TIME WINDOW (UTC)"];
    let mut widths = header.map(str::len);
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut out = String::new();
        for (i, (cell, width)) in cells.iter().zip(widths).enumerate() {
            if i + 1 == cells.len() {
                out.push_str(cell);
            } else {
                out.push_str(&format!("{cell:<width$}  "));
            }
        }
        out
    };
    let mut text = String::new();
    for row in [header.map(str::to_owned), widths.map(|w| "-".repeat(w))]
        .iter()
        .chain(&rows)
    {
        text.push_str(line(row).trim_end());
        text.push('\n');
    }
    text
}

/// Rows under a header, each column as wide as its widest cell.
fn text_table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    let header: Vec<String> = header.iter().map(|h| (*h).to_owned()).collect();
    let mut text = String::new();
    for row in [&header, &rule].into_iter().chain(rows) {
        let mut line = String::new();
        for (cell, width) in row.iter().zip(&widths) {
            line.push_str(&format!("{cell:<width$}  "));
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

/// `YYYY-MM-DD HH:MM` in UTC.
fn utc_minute(unix_seconds: i64) -> String {
    let seconds = unix_seconds.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02}",
        ccc_api::runtime::sign::utc_date(unix_seconds),
        seconds / 3600,
        seconds % 3600 / 60
    )
}

#[cfg(test)]
mod tests {
    use super::wants_real_service;

    #[test]
    fn half_set_credentials_are_an_error_not_the_emulator() {
        let set = || Some("x".to_owned());
        assert_eq!(wants_real_service(set(), set()), Ok(true));
        assert_eq!(wants_real_service(None, None), Ok(false));
        let err = wants_real_service(set(), None).unwrap_err();
        assert!(err.contains("TENCENTCLOUD_SECRET_KEY is missing"), "{err}");
        let err = wants_real_service(None, set()).unwrap_err();
        assert!(err.contains("TENCENTCLOUD_SECRET_ID is missing"), "{err}");
    }
}
