//! `cargo xtask import-tccli` end to end: fixtures in the shape of Tencent's
//! definition, imported over a small hand-edited spec tree in a temporary
//! directory, then validated by the generator and re-imported.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// Runs the importer into `out`, returning the report it printed.
fn import(out: &Path, extra: &[&str]) -> String {
    let tccli = fixtures().join("tccli");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("import-tccli")
        .arg(tccli.join("api.json"))
        .arg("--examples")
        .arg(tccli.join("examples.json"))
        .arg("--errors")
        .arg(tccli.join("action-error-codes.json"))
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "stdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn all_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            all_files(&path, out)
        } else {
            out.push(path)
        }
    }
}

#[test]
fn import_merges_reports_validates_and_is_idempotent() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("api-spec");
    copy_dir(&fixtures().join("tree/api-spec"), &root);
    let out = root.join("ccc/2020-02-10");
    let report_file = tmp.path().join("report.txt");

    let report = import(&out, &["--report", report_file.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&report_file).unwrap(), report);
    let expect = |line: &str| {
        assert!(
            report.contains(line),
            "missing `{line}` in report:\n{report}"
        )
    };
    // Merge: facts that changed are reported, the spec kept.
    expect(
        "- action DescribeAutoCalloutTasks input `PageSize`: type is u64 in the source, i64 in the spec; kept i64",
    );
    expect("- action DescribeAutoCalloutTasks input `Legacy`: not in the source; kept");
    expect("- model AutoCalloutTaskInfo `MaxRingTimeoutSecond`: i64");
    expect("- action DescribeAutoCalloutTasks errors: InternalError.DBError");
    // New actions and their decisions.
    expect("- action DescribeWidgets: 6 input(s), 3 output(s), 1 example(s)");
    expect("- action BindWidgetIDs -> bind_widget_ids");
    expect("- action DescribeWidgets input `SkillGroupIDs` -> skill_group_ids");
    expect("- DescribeWidgets: offset Offset/Limit, items Widgets, total Total");
    expect("- DescribeWidgets: read_only true");
    expect("- BindWidgetIDs: 20");
    expect("- action DescribeWidgets input `InstanceId`");
    // Source problems.
    expect("- BindWidgetIDs: FailedOperation.NoSuchWidget");
    expect("- BindWidgetIDs example 1: request sends `SdkAppId` as a string (defined u64)");
    expect("- BindWidgetIDs example 1: request omits required parameter `WidgetIDs`");
    expect("- BindWidgetIDs example 1: request sends `Colour`, which the definition does not have");
    expect("- DescribeWidgets example 1: request sends `Limit` as a string (defined i64)");
    expect("- DescribeWidgets example 1: response `Widgets[0].Name`");
    expect(
        "- action BindWidgetIDs input `Force`: example `yes` does not parse as JSON (bool); omitted",
    );
    expect("- model Widget `Name`: example is in Chinese; omitted");
    expect(
        "- action BindWidgetIDs input `Number`: example was JSON-quoted (\"0086075512345678\"); unquoted",
    );
    // Validation runs on the result: it is sound except for the docs, which a
    // person writes in English for every new action and model.
    expect("the API spec has 4 error(s):");
    for file in [
        "models/Filter.json",
        "models/Widget.json",
        "actions/BindWidgetIDs.json",
        "actions/DescribeWidgets.json",
    ] {
        expect(&format!("api-spec/ccc/2020-02-10/{file}: doc: write a doc"));
    }

    // What a person wrote survives.
    let describe = read_json(&out.join("actions/DescribeAutoCalloutTasks.json"));
    assert_eq!(
        describe["doc"],
        "Lists the automated outbound-call tasks of an application, one page at a time."
    );
    assert_eq!(describe["rust_name"], "list_auto_callout_tasks");
    assert_eq!(describe["rate_limit_per_second"], 10);
    assert_eq!(
        describe["errors"],
        serde_json::json!([
            "InternalError.DBError",
            "InvalidParameter",
            "InvalidParameterValue"
        ])
    );
    assert_eq!(describe["input"][1]["type"], "i64");
    assert_eq!(
        describe["input"][1]["example"], 10,
        "a missing example is filled from the source"
    );
    assert_eq!(describe["input"][3]["name"], "Legacy");
    assert_eq!(
        describe["examples"][0]["title"],
        "List the first page of tasks"
    );
    let info = read_json(&out.join("models/AutoCalloutTaskInfo.json"));
    assert_eq!(info["fields"][4]["type"], "AutoCalloutTaskState");
    assert_eq!(info["fields"][0]["example"], "Task 1");
    assert_eq!(info["fields"][6]["name"], "MaxRingTimeoutSecond");
    assert_eq!(info["fields"][6]["doc"], "");

    // New files: facts only, examples converted.
    let widgets = read_json(&out.join("actions/DescribeWidgets.json"));
    assert_eq!(widgets["doc"], "");
    assert_eq!(widgets["input"][5]["disabled"], true);
    assert_eq!(
        widgets["examples"][0]["request"],
        serde_json::json!({"SdkAppId": 1400000000, "SkillGroupIDs": [3, 4], "Filters": [{"Name": "State", "Values": ["1"]}], "Offset": 0, "Limit": "ten"})
    );
    assert_eq!(
        widgets["examples"][0]["response"]["Widgets"][0]["Name"],
        "(Chinese text omitted)"
    );
    let notes = widgets["examples"][0]["notes"].as_str().unwrap();
    assert!(
        notes.contains("`Limit` as a string (defined i64)"),
        "{notes}"
    );
    let bind = read_json(&out.join("actions/BindWidgetIDs.json"));
    assert_eq!(bind["rust_name"], "bind_widget_ids");
    assert_eq!(bind["read_only"], false);
    assert_eq!(bind["errors"], serde_json::json!(["InvalidParameter"]));
    assert_eq!(
        bind["examples"][0]["request"],
        serde_json::json!({"SdkAppId": "1400000000", "Colour": "blue"})
    );
    assert_eq!(
        bind["output"],
        serde_json::json!([{"name": "RequestId", "type": "string", "output_required": true, "doc": ""}])
    );

    // No Chinese text anywhere in the tree.
    let mut files = Vec::new();
    all_files(&root, &mut files);
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        assert!(
            !text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{} holds Chinese text",
            file.display()
        );
    }

    // Once a person has written the docs, the generator accepts the result.
    for file in [
        "models/Filter.json",
        "models/Widget.json",
        "actions/BindWidgetIDs.json",
        "actions/DescribeWidgets.json",
    ] {
        let path = out.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            &path,
            text.replacen("\"doc\": \"\"", "\"doc\": \"Written by hand.\"", 1),
        )
        .unwrap();
    }
    let api = codegen::lower_service(&root, &out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(api.actions.len(), 3);

    // A member marked secret by hand (the importer never marks one).
    let widget = out.join("models/Widget.json");
    let text = std::fs::read_to_string(&widget).unwrap();
    let name = "\"name\": \"Name\",\n      \"type\": \"string\",\n      \"output_required\": true,\n      \"nullable\": true,";
    let marked = text.replacen(name, &format!("{name}\n      \"sensitive\": true,"), 1);
    assert_ne!(marked, text);
    std::fs::write(&widget, marked).unwrap();
    let sensitive = |json: &serde_json::Value| {
        json["fields"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["sensitive"] == true)
            .count()
    };
    assert_eq!(sensitive(&read_json(&widget)), 1);

    // A second run changes nothing, and keeps the docs and the flag.
    let again = import(&out, &[]);
    assert!(again.contains("    0  files written"), "{again}");
    assert!(
        again.contains("accepted: 3 action(s), 4 model(s)"),
        "{again}"
    );
    assert_eq!(read_json(&widget)["doc"], "Written by hand.");
    assert_eq!(sensitive(&read_json(&widget)), 1);
}

#[test]
fn only_and_dry_run_write_nothing_else() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("ccc/2020-02-10");
    let report = import(&out, &["--only", "DescribeWidgets", "--dry-run"]);
    assert!(report.contains("1 action(s) selected of 3"), "{report}");
    assert!(report.contains("- models/Widget.json"), "{report}");
    assert!(!report.contains("AutoCalloutTaskInfo"), "{report}");
    assert!(!out.exists());

    import(&out, &["--only", "DescribeWidgets"]);
    let mut files = Vec::new();
    all_files(&out, &mut files);
    let mut names: Vec<String> = files
        .iter()
        .map(|f| {
            f.strip_prefix(&out)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "actions/DescribeWidgets.json",
            "models/Filter.json",
            "models/Widget.json",
            "service.json"
        ]
    );
}
