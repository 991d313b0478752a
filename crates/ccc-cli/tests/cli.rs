//! The built `ccc` binary against the embedded `ccc-local` emulator: pagination,
//! a task's life, request input, output formats, and each kind of failure with
//! its exit status.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};

use ccc_local::{DEMO_SDK_APP_ID, DEMO_TASK_COUNT, Emulator, RunningEmulator};
use serde_json::{Value, json};

const ID: &str = "AKIDcliTest";
const KEY: &str = "cli-test-secret-key";
/// 2023-11-14: already past, so a task starting then is Running at once.
const PAST: i64 = 1_700_000_000;

/// An emulator on a free loopback port, served by its own runtime while the test runs commands.
struct Local {
    runtime: tokio::runtime::Runtime,
    emulator: Option<RunningEmulator>,
}

impl Local {
    fn start() -> Local {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let emulator = runtime
            .block_on(
                Emulator::builder()
                    .credentials(ID, KEY)
                    .rate_limit(false)
                    .start(),
            )
            .expect("the emulator starts");
        Local {
            runtime,
            emulator: Some(emulator),
        }
    }

    fn url(&self) -> String {
        self.emulator
            .as_ref()
            .map(RunningEmulator::url)
            .unwrap_or_default()
    }

    /// `ccc --endpoint <emulator> args...` with the test's credentials.
    fn ccc(&self, args: &[&str]) -> Output {
        run(ccc().args(["--endpoint", &self.url()]).args(args))
    }
}

impl Drop for Local {
    fn drop(&mut self) {
        if let Some(emulator) = self.emulator.take() {
            self.runtime.block_on(emulator.shutdown());
        }
    }
}

/// The binary with a clean environment: the test's credentials, no profile file, no region.
fn ccc() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_ccc"));
    for (name, _) in std::env::vars() {
        if name.starts_with("TENCENTCLOUD_") {
            command.env_remove(name);
        }
    }
    command
        .env("TENCENTCLOUD_SECRET_ID", ID)
        .env("TENCENTCLOUD_SECRET_KEY", KEY)
        .env("HOME", env!("CARGO_TARGET_TMPDIR"))
        .stdin(Stdio::null());
    command
}

fn run(command: &mut Command) -> Output {
    command.output().expect("ccc runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The answer of a successful command, as JSON.
fn ok_json(output: &Output) -> Value {
    assert!(output.status.success(), "ccc failed: {}", stderr(output));
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(output)))
}

/// The status and the one stderr line of a failed command.
fn failure(output: &Output) -> (i32, String) {
    assert!(
        output.stdout.is_empty(),
        "a failure printed an answer: {}",
        stdout(output)
    );
    let err = stderr(output);
    (output.status.code().expect("exited"), err)
}

const APP: &str = "1400000000";

/// The wire names of the spec's actions, from the file names in `api-spec/`.
fn spec_actions() -> Vec<String> {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../api-spec/ccc/2020-02-10/actions"
    );
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("the spec's actions")
        .filter_map(|e| {
            e.ok()?
                .file_name()
                .to_str()?
                .strip_suffix(".json")
                .map(str::to_owned)
        })
        .collect();
    names.sort();
    names
}

#[test]
fn all_pages_walks_every_demo_task_once() {
    let local = Local::start();
    let output = local.ccc(&[
        "describe-auto-callout-tasks",
        "--sdk-app-id",
        APP,
        "--page-size",
        "7",
        "--all-pages",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    // One JSON line per page, each a whole answer.
    let pages: Vec<Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(pages.len() as u64, DEMO_TASK_COUNT.div_ceil(7));
    let ids: Vec<u64> = pages
        .iter()
        .flat_map(|p| {
            p["Tasks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["TaskId"].as_u64().unwrap())
        })
        .collect();
    assert_eq!(ids.len() as u64, DEMO_TASK_COUNT);
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "each task once, in order: {ids:?}"
    );
    assert!(
        pages
            .iter()
            .all(|p| p["TotalCount"] == json!(DEMO_TASK_COUNT) && p["RequestId"].is_string())
    );
    // Not a terminal: no progress line.
    assert!(output.stderr.is_empty(), "{}", stderr(&output));

    // From a later page on, with a query applied to each page; the wire name is an alias.
    let output = local.ccc(&[
        "DescribeAutoCalloutTasks",
        "--sdk-app-id",
        APP,
        "--page-size",
        "10",
        "--page-number",
        "3",
        "--all-pages",
        "--query",
        "Tasks[].TaskId",
    ]);
    assert_eq!(stdout(&output), "[1031,1032,1033,1034,1035,1036]\n");
}

#[test]
fn a_task_from_creation_to_its_end() {
    let local = Local::start();
    let past = PAST.to_string();
    let created = ok_json(&local.ccc(&[
        "create-auto-callout-task",
        "--sdk-app-id",
        APP,
        "--not-before",
        &past,
        "--callees",
        "008613800000001",
        "--callees",
        "008613800000002",
        "--callers",
        "008601000000000",
        "--ivr-id",
        "3",
        "--name",
        "CLI round trip",
        "--variables",
        r#"[{"Key": "plan", "Value": "gold"}]"#,
    ]));
    let task = created["TaskId"].as_u64().expect("a TaskId").to_string();

    let state = || {
        let described = ok_json(&local.ccc(&[
            "describe-auto-callout-task",
            "--sdk-app-id",
            APP,
            "--task-id",
            &task,
        ]));
        assert_eq!(described["Name"], "CLI round trip");
        let callees: Vec<&str> = described["Callees"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["Callee"].as_str().unwrap())
            .collect();
        assert_eq!(callees, ["008613800000001", "008613800000002"]);
        described["State"].as_i64().expect("a state")
    };
    assert_eq!(state(), 1, "Running: its start is past");
    for (command, expected) in [
        ("pause-auto-callout-task", 5),
        ("resume-auto-callout-task", 1),
        ("stop-auto-callout-task", 4),
    ] {
        let answer = ok_json(&local.ccc(&[command, "--sdk-app-id", APP, "--task-id", &task]));
        assert!(answer["RequestId"].is_string());
        assert_eq!(state(), expected, "after {command}");
    }

    // An ended task cannot be resumed: the service's refusal, as one line, status 3.
    let (status, err) = failure(&local.ccc(&[
        "resume-auto-callout-task",
        "--sdk-app-id",
        APP,
        "--task-id",
        &task,
    ]));
    assert_eq!(status, 3);
    assert!(
        err.starts_with("ccc: UnsupportedOperation: ") && err.contains("(request id "),
        "{err}"
    );
}

#[test]
fn a_service_error_is_one_line_with_code_and_request_id() {
    let local = Local::start();
    let (status, err) = failure(&local.ccc(&[
        "describe-auto-callout-task",
        "--sdk-app-id",
        APP,
        "--task-id",
        "999999",
    ]));
    assert_eq!(status, 3);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("ccc: InvalidParameterValue: "), "{err}");
    let id = err
        .trim_end()
        .rsplit("(request id ")
        .next()
        .unwrap()
        .trim_end_matches(')');
    assert_eq!(id.len(), 36, "a request id: {err}");
}

#[test]
fn a_wrong_key_is_refused_and_never_printed() {
    let local = Local::start();
    let wrong = "not-the-right-key-4711";
    let output = run(ccc().env("TENCENTCLOUD_SECRET_KEY", wrong).args([
        "--endpoint",
        &local.url(),
        "describe-auto-callout-tasks",
        "--sdk-app-id",
        APP,
        "--page-size",
        "5",
        "--page-number",
        "0",
    ]));
    let (status, err) = failure(&output);
    assert_eq!(status, 3);
    assert!(
        err.starts_with("ccc: AuthFailure.SignatureFailure: "),
        "{err}"
    );
    assert!(!err.contains(wrong) && !err.contains(KEY));
}

#[test]
fn usage_errors_send_nothing() {
    // Port 1 on loopback refuses connections: anything sent would end in status 4, not 2.
    let closed = ["--endpoint", "http://127.0.0.1:1"];
    let cases: &[(&[&str], &str)] = &[
        (
            &["describe-auto-callout-task", "--task-id", "1"],
            "--sdk-app-id",
        ),
        (
            &[
                "describe-auto-callout-task",
                "--sdk-app-id",
                "abc",
                "--task-id",
                "1",
            ],
            "invalid digit",
        ),
        (
            &[
                "describe-auto-callout-task",
                "--sdk-app-id",
                "-1",
                "--task-id",
                "1",
            ],
            "'-1'",
        ),
        (
            &[
                "describe-auto-callout-task",
                "--sdk-app-id",
                "1",
                "--task-id",
                "1",
                "--colour",
                "red",
            ],
            "--colour",
        ),
        (
            &["describe-auto-callout-taks"],
            "describe-auto-callout-task",
        ),
        (
            &[
                "create-auto-callout-task",
                "--sdk-app-id",
                "1",
                "--not-before",
                "1",
                "--callees",
                "1",
                "--callers",
                "2",
                "--variables",
                "[{",
            ],
            "not JSON",
        ),
        (
            &[
                "create-auto-callout-task",
                "--sdk-app-id",
                "1",
                "--not-before",
                "1",
                "--callees",
                "1",
                "--callers",
                "2",
                "--variables",
                r#"[{"Key": "a", "Value": 3}]"#,
            ],
            "Variables[0].Value: invalid type",
        ),
        (
            &[
                "create-auto-callout-task",
                "--sdk-app-id",
                "1",
                "--not-before",
                "1",
                "--callees",
                "1",
                "--callers",
                "2",
                "--variables",
                r#"[{"Key": "a", "Value": "b", "Colour": 1}]"#,
            ],
            "Variables[0].Colour: no such member",
        ),
        (
            &[
                "describe-auto-callout-task",
                "--sdk-app-id",
                "1",
                "--task-id",
                "1",
                "--query",
                "Tasks[x]",
            ],
            "not an index",
        ),
        (
            &[
                "describe-auto-callout-task",
                "--sdk-app-id",
                "1",
                "--task-id",
                "1",
                "--output",
                "yaml",
            ],
            "yaml",
        ),
    ];
    for (args, wanted) in cases {
        let output = run(ccc().args(closed).args(*args));
        let (status, err) = failure(&output);
        assert_eq!(status, 2, "{args:?}: {err}");
        assert!(err.contains(wanted), "{args:?}: `{wanted}` not in {err}");
    }
}

#[test]
fn a_network_failure_has_its_own_status() {
    let output = run(ccc().args([
        "--endpoint",
        "http://127.0.0.1:1",
        "describe-auto-callout-task",
        "--sdk-app-id",
        APP,
        "--task-id",
        "1",
    ]));
    let (status, err) = failure(&output);
    assert_eq!(status, 4, "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn the_request_can_come_from_a_file_or_stdin_and_flags_override_it() {
    let local = Local::start();
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-input.json");
    std::fs::write(
        &path,
        r#"{"SdkAppId": 1400000000, "PageSize": 2, "PageNumber": 0}"#,
    )
    .unwrap();
    let path = path.to_str().unwrap();

    let page = ok_json(&local.ccc(&["describe-auto-callout-tasks", "--cli-input-json", path]));
    assert_eq!(page["Tasks"].as_array().unwrap().len(), 2);
    assert_eq!(page["Tasks"][0]["TaskId"], 1001);

    let page = ok_json(&local.ccc(&[
        "describe-auto-callout-tasks",
        "--cli-input-json",
        path,
        "--page-number",
        "1",
    ]));
    assert_eq!(
        page["Tasks"][0]["TaskId"], 1003,
        "the flag replaces the file's PageNumber"
    );

    let mut child = ccc()
        .args([
            "--endpoint",
            &local.url(),
            "describe-auto-callout-task",
            "--cli-input-json",
            "-",
            "--query",
            "Name",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{"SdkAppId": 1400000000, "TaskId": 1001}"#)
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        stdout(&output),
        "\"Renewal reminder - North #1\"\n",
        "{}",
        stderr(&output)
    );

    // The file must still make a whole request: required members are checked when it is decoded.
    std::fs::write(
        env!("CARGO_TARGET_TMPDIR").to_owned() + "/partial.json",
        r#"{"SdkAppId": 1}"#,
    )
    .unwrap();
    let (status, err) = failure(&local.ccc(&[
        "describe-auto-callout-task",
        "--cli-input-json",
        &(env!("CARGO_TARGET_TMPDIR").to_owned() + "/partial.json"),
    ]));
    assert_eq!(status, 2);
    assert!(err.contains("missing field `TaskId`"), "{err}");
}

#[test]
fn the_skeleton_is_a_request_template() {
    let output = run(ccc().args(["create-auto-callout-task", "--generate-cli-skeleton"]));
    let skeleton = ok_json(&output);
    let keys: Vec<&String> = skeleton.as_object().unwrap().keys().collect();
    for member in [
        "SdkAppId",
        "NotBefore",
        "Callees",
        "Callers",
        "Variables",
        "TriggerStrategy",
    ] {
        assert!(
            keys.iter().any(|k| *k == member),
            "{member} missing from {keys:?}"
        );
    }
    assert_eq!(skeleton["Variables"], json!([{"Key": "", "Value": ""}]));
    // Members come in the definition's order, as a person reads the docs.
    assert!(stdout(&output).find("\"SdkAppId\"") < stdout(&output).find("\"Callees\""));
}

#[test]
fn table_output_lists_the_answers_items() {
    let local = Local::start();
    let output = local.ccc(&[
        "describe-auto-callout-tasks",
        "--sdk-app-id",
        APP,
        "--page-size",
        "3",
        "--page-number",
        "0",
        "--output",
        "table",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2 + 3, "header, rule, three tasks:\n{text}");
    assert!(lines[0].contains("TaskId") && lines[0].contains("Name"));
    assert!(lines[2].contains("1001") && lines[2].contains("Renewal reminder - North #1"));

    // With --all-pages the rows of every page make one table.
    let output = local.ccc(&[
        "describe-auto-callout-tasks",
        "--sdk-app-id",
        APP,
        "--page-size",
        "10",
        "--all-pages",
        "--output",
        "table",
    ]);
    assert_eq!(stdout(&output).lines().count() as u64, 2 + DEMO_TASK_COUNT);
}

#[test]
fn help_lists_every_action_and_documents_each_flag() {
    let output = run(ccc().arg("--help"));
    assert!(output.status.success());
    let help = stdout(&output);
    let commands = help
        .lines()
        .filter(|l| l.starts_with("  ") && l.trim_start().contains(' '))
        .count();
    assert!(
        commands >= spec_actions().len(),
        "{commands} subcommands listed"
    );
    assert!(
        help.contains("  describe-auto-callout-tasks  ")
            && help.contains("Lists the automated outbound-call tasks")
    );
    assert!(
        help.contains("  describe-im-cdrs "),
        "named as the SDK's method splits it, not `describe-i-m-cdrs`"
    );

    let output = run(ccc().args(["create-auto-callout-task", "--help"]));
    let help = stdout(&output);
    assert!(
        help.contains("--sdk-app-id <u64>")
            && help.contains("type u64, required. Example: --sdk-app-id 1400000000"),
        "{help}"
    );
    assert!(
        help.contains("--callees <list<string>>")
            && help.contains("repeat the flag for each element. Example: --callees "),
        "{help}"
    );
    assert!(
        help.contains("--variables <list<Variable>>") && help.contains("as JSON"),
        "{help}"
    );
    assert!(
        help.contains("--name <string>") && help.contains("type string, optional"),
        "{help}"
    );
    assert!(help.contains("--cli-input-json") && help.contains("--generate-cli-skeleton"));
    assert!(
        !help.contains("--all-pages"),
        "only paginated actions have --all-pages"
    );

    let help = stdout(&run(ccc().args(["describe-auto-callout-tasks", "--help"])));
    assert!(
        help.contains("Example:\n  ccc describe-auto-callout-tasks --sdk-app-id 1 --page-size 10 --page-number 0"),
        "the spec's example call: {help}"
    );
}

#[test]
fn completions_cover_the_subcommands() {
    for shell in ["bash", "zsh", "fish"] {
        let output = run(ccc().args(["completions", shell]));
        assert!(output.status.success(), "{shell}: {}", stderr(&output));
        assert!(
            stdout(&output).contains("describe-auto-callout-tasks"),
            "{shell}"
        );
    }
}

#[test]
fn ccc_local_serves_in_the_foreground() {
    let mut child = ccc()
        .args(["local", "--listen", "127.0.0.1:0", "--no-rate-limit"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("ccc local starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first
        .trim()
        .strip_prefix("listening on ")
        .map(str::to_owned);
    let output = url.as_ref().map(|url| {
        run(ccc().args([
            "--endpoint",
            url,
            "describe-auto-callout-tasks",
            "--sdk-app-id",
            APP,
            "--page-size",
            "1",
            "--page-number",
            "0",
        ]))
    });
    let _ = child.kill();
    let _ = child.wait();
    let output = output.unwrap_or_else(|| panic!("first line: {first:?}"));
    assert_eq!(ok_json(&output)["TotalCount"], json!(DEMO_TASK_COUNT));

    // Its options are ccc-local's own.
    let output = run(ccc().args(["local", "--help"]));
    assert!(output.status.success());
    assert!(
        stdout(&output).starts_with("usage: ccc local [options]")
            && stdout(&output).contains("--seed FILE")
    );
    let output = run(ccc().args(["local", "--bogus"]));
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn a_profile_chooses_the_credentials() {
    let local = Local::start();
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("profile-test");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("credentials");
    std::fs::write(&file, format!("[default]\nsecret_id = AKIDnobody\nsecret_key = nothing\n\n[cli]\nsecret_id = {ID}\nsecret_key = {KEY}\n")).unwrap();
    let call = |profile: &str| {
        run(ccc()
            .env_remove("TENCENTCLOUD_SECRET_ID")
            .env_remove("TENCENTCLOUD_SECRET_KEY")
            .env("TENCENTCLOUD_CREDENTIALS_FILE", &file)
            .args([
                "--endpoint",
                &local.url(),
                "--profile",
                profile,
                "describe-auto-callout-task",
                "--sdk-app-id",
                APP,
                "--task-id",
                "1001",
                "--query",
                "Name",
            ]))
    };
    assert!(call("cli").status.success(), "{}", stderr(&call("cli")));
    let (status, err) = failure(&call("default"));
    assert_eq!(status, 3);
    assert!(err.contains("AuthFailure.SecretIdNotFound"), "{err}");
    assert!(!err.contains("nothing"));
}

#[test]
fn every_action_has_a_subcommand_that_parses() {
    // The skeleton of every action is JSON and names only members its flags know.
    let help = stdout(&run(ccc().arg("--help")));
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // A long summary wraps onto lines indented further.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| !["local", "completions", "help"].contains(c))
        .collect();
    let mut wire_names: Vec<String> = commands
        .iter()
        .map(|c| {
            let help = stdout(&run(ccc().args([*c, "--help"])));
            help.lines()
                .find_map(|l| l.strip_prefix("Wire name of the action: "))
                .map(str::to_owned)
                .unwrap_or_default()
        })
        .collect();
    wire_names.sort();
    assert_eq!(
        wire_names,
        spec_actions(),
        "one subcommand per action of the spec"
    );
    for command in commands {
        let output = run(ccc().args([command, "--generate-cli-skeleton"]));
        let skeleton = ok_json(&output);
        let help = stdout(&run(ccc().args([command, "--help"])));
        for member in skeleton.as_object().unwrap().keys() {
            assert!(
                help.contains(&format!("Wire name `{member}`")),
                "{command}: {member}"
            );
        }
    }
}

/// The demo application exists; a made-up one is refused by the service, not by the CLI.
#[test]
fn an_unknown_application_is_the_services_call() {
    let local = Local::start();
    let unknown = (DEMO_SDK_APP_ID + 1).to_string();
    let (status, err) = failure(&local.ccc(&[
        "describe-auto-callout-tasks",
        "--sdk-app-id",
        &unknown,
        "--page-size",
        "1",
        "--page-number",
        "0",
    ]));
    assert_eq!(status, 3);
    assert!(
        err.contains("InvalidParameterValue.InstanceNotExist"),
        "{err}"
    );
}
