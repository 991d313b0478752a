//! `cargo xtask import-tccli`: converts Tencent's machine-readable API
//! definition (`api.json`, `examples.json` from the `tccli` package, plus the
//! per-action error codes) into spec files, merging with those already there.
//!
//! [`import`] is a pure function from the parsed source and the text of the
//! existing spec files to the files to write and a [`Report`]; [`cli`] does the
//! file-system work around it. Spec files are read and written as the
//! generator's own [`codegen::spec`] types.

pub mod cli;
pub mod convert;
pub mod examples;
pub mod file_text;
pub mod merge;
pub mod report;
pub mod secrets;
pub mod tccli;
pub mod types;

use std::collections::{BTreeMap, BTreeSet};

use codegen::schema::SERVICE_SCHEMA_REF;
use codegen::spec::{ActionSpec, MemberSpec, ModelSpec, ServiceSpec};
use convert::{Fresh, Source};
use file_text::to_file_text;
use report::{Group, Report};

/// Choices that change what is written.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Only these actions (and the models they reach); all when `None`.
    pub only: Option<Vec<String>>,
}

/// The spec files already in the output directory, as text, by name.
#[derive(Debug, Clone, Default)]
pub struct Existing {
    /// `service.json`.
    pub service: Option<String>,
    /// `actions/<Name>.json` by action name.
    pub actions: BTreeMap<String, String>,
    /// `models/<Name>.json` by model name.
    pub models: BTreeMap<String, String>,
}

/// One file to write, relative to the output directory (`actions/X.json`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutFile {
    /// Relative path with `/` separators.
    pub path: String,
    /// New contents.
    pub contents: String,
}

/// What an import produces.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Files whose contents are new or changed.
    pub files: Vec<OutFile>,
    /// What was done and what needs a person.
    pub report: Report,
}

fn parse_existing<T: serde::de::DeserializeOwned>(
    path: &str,
    text: &str,
    report: &mut Report,
) -> Option<T> {
    match serde_json::from_str(text) {
        Ok(value) => Some(value),
        Err(e) => {
            report.add(
                Group::Problems,
                format!("{path}: cannot be read ({e}); left untouched"),
            );
            None
        }
    }
}

/// Converts the source and merges it with the existing files.
pub fn import(source: &Source, existing: &Existing, options: &Options) -> Result<Outcome, String> {
    let api = source.api;
    let mut report = Report::default();
    let selected: Vec<String> = match &options.only {
        Some(only) => {
            let unknown: Vec<&str> = only
                .iter()
                .filter(|n| !api.actions.contains_key(*n))
                .map(String::as_str)
                .collect();
            if !unknown.is_empty() {
                return Err(format!(
                    "--only names actions api.json does not have: {}",
                    unknown.join(", ")
                ));
            }
            only.clone()
        }
        None => api.actions.keys().cloned().collect(),
    };
    let service = &api.metadata.service_short_name;
    let version = &api.metadata.api_version;

    let mut files = Vec::new();
    let mut unchanged = 0;
    let mut emit = |path: String, contents: String, before: Option<&String>| {
        if before == Some(&contents) {
            unchanged += 1;
        } else {
            files.push(OutFile { path, contents });
        }
    };

    match &existing.service {
        Some(text) => {
            if let Some(s) = parse_existing::<ServiceSpec>("service.json", text, &mut report)
                && (&s.service != service || &s.version != version)
            {
                return Err(format!(
                    "the output directory holds {}/{} but api.json describes {service}/{version}",
                    s.service, s.version
                ));
            }
        }
        None => {
            let skeleton = ServiceSpec {
                schema: Some(SERVICE_SCHEMA_REF.to_owned()),
                service: service.clone(),
                version: version.clone(),
                host: format!("{service}.tencentcloudapi.com"),
                title: String::new(),
                doc: String::new(),
            };
            report.add(Group::Added, "service.json (title and doc left empty)");
            emit("service.json".to_owned(), to_file_text(&skeleton), None);
        }
    }

    let mut existing_actions: BTreeMap<String, ActionSpec> = BTreeMap::new();
    for (name, text) in &existing.actions {
        if let Some(a) = parse_existing(&format!("actions/{name}.json"), text, &mut report) {
            existing_actions.insert(name.clone(), a);
        }
    }
    let mut existing_models: BTreeMap<String, ModelSpec> = BTreeMap::new();
    for (name, text) in &existing.models {
        if let Some(m) = parse_existing(&format!("models/{name}.json"), text, &mut report) {
            existing_models.insert(name.clone(), m);
        }
    }

    let Fresh { actions, models } = convert::convert(source, &selected, &mut report);

    for (name, fresh) in &actions {
        let path = format!("actions/{name}.json");
        if existing.actions.contains_key(name) && !existing_actions.contains_key(name) {
            continue; // unreadable: reported, left untouched
        }
        let merged = merge::merge_action(
            name,
            fresh,
            existing_actions.get(name),
            &existing_models,
            &mut report,
        );
        if merged.examples.is_empty() {
            report.add(
                Group::Problems,
                format!("{name}: no example; the generator requires one"),
            );
        }
        check_rust_names(&format!("action {name} input"), &merged.input, &mut report);
        check_rust_names(
            &format!("action {name} output"),
            &merged.output,
            &mut report,
        );
        emit(path, to_file_text(&merged), existing.actions.get(name));
    }
    for (name, fresh) in &models {
        let path = format!("models/{name}.json");
        if existing.models.contains_key(name) && !existing_models.contains_key(name) {
            continue;
        }
        let merged = merge::merge_model(
            name,
            fresh,
            existing_models.get(name),
            &existing_models,
            &mut report,
        );
        check_rust_names(
            &format!("model {name}"),
            merged.fields.as_deref().unwrap_or_default(),
            &mut report,
        );
        emit(path, to_file_text(&merged), existing.models.get(name));
    }

    if options.only.is_none() {
        for name in existing_actions
            .keys()
            .filter(|n| !api.actions.contains_key(*n))
        {
            report.add(
                Group::Removed,
                format!("action {name}: not in the source; file kept"),
            );
        }
        let referenced = referenced_models(&existing_actions, &existing_models);
        for name in existing_models
            .keys()
            .filter(|n| !api.objects.contains_key(*n) && !referenced.contains(n.as_str()))
        {
            report.add(
                Group::Removed,
                format!("model {name}: not in the source and used by no action; file kept"),
            );
        }
    }

    report.header.push(format!(
        "source: {service} {version}, {} action(s) selected of {}",
        selected.len(),
        api.actions.len()
    ));
    if source.examples.is_none() {
        report
            .header
            .push("no --examples: actions get no examples".to_owned());
    }
    if source.error_codes.is_none() {
        report
            .header
            .push("no --errors: actions get no error codes".to_owned());
    }
    report.written = files.iter().map(|f| f.path.clone()).collect();
    report.unchanged = unchanged;
    Ok(Outcome { files, report })
}

/// Reports two members of one list that would become the same Rust field
/// (disabled members are left out of the generated code, so they cannot clash).
fn check_rust_names(owner: &str, members: &[MemberSpec], report: &mut Report) {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for m in members.iter().filter(|m| !m.disabled) {
        let rust = m
            .rust_name
            .clone()
            .unwrap_or_else(|| codegen::names::snake(&m.name));
        if let Some(other) = seen.insert(rust.clone(), &m.name) {
            report.add(Group::Problems, format!("{owner}: `{other}` and `{}` both become the Rust field `{rust}`; set a rust_name", m.name));
        }
    }
}

/// Model names used by existing actions and models, through lists.
fn referenced_models<'a>(
    actions: &'a BTreeMap<String, ActionSpec>,
    models: &'a BTreeMap<String, ModelSpec>,
) -> BTreeSet<&'a str> {
    actions
        .values()
        .flat_map(|a| a.input.iter().chain(&a.output))
        .chain(models.values().flat_map(|m| m.fields.iter().flatten()))
        .filter_map(|m| m.ty.model())
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::tccli::{ActionErrorCodes, ApiJson, ExamplesJson};
    use super::*;

    fn fixture<T: serde::de::DeserializeOwned>(name: &str) -> T {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/tccli")
            .join(name);
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    fn run(existing: &Existing, options: &Options) -> Result<Outcome, String> {
        let api: ApiJson = fixture("api.json");
        let examples: ExamplesJson = fixture("examples.json");
        let codes: ActionErrorCodes = fixture("action-error-codes.json");
        let catalog: BTreeSet<String> = ["InvalidParameter", "InvalidParameterValue"]
            .map(str::to_owned)
            .into();
        let source = Source {
            api: &api,
            examples: Some(&examples),
            error_codes: Some(&codes),
            catalog: &catalog,
        };
        import(&source, existing, options)
    }

    #[test]
    fn disabled_members_and_example_notes_are_written() {
        let options = Options {
            only: Some(vec!["DescribeWidgets".into()]),
        };
        let outcome = run(&Existing::default(), &options).unwrap();
        let action = outcome
            .files
            .iter()
            .find(|f| f.path == "actions/DescribeWidgets.json")
            .unwrap();
        assert!(action.contents.contains("\"disabled\": true"));
        assert!(
            action
                .contents
                .contains("\"notes\": \"Rebuilt from Tencent's GET query-string example")
        );
        assert_eq!(outcome.report.count(Group::Disabled), 1);
    }

    /// An existing action file: `WidgetIDs` with a hand-written doc and Rust name.
    fn bind_widgets(extra_member_key: &str) -> Existing {
        let text = r#"{"doc": "Binds widgets.", "rust_name": "bind_widgets", "read_only": false, "rate_limit_per_second": 5,
            "input": [{"name": "WidgetIDs", "rust_name": "widgets", "type": "list<i64>", "doc": "Widgets."EXTRA}],
            "output": [{"name": "RequestId", "type": "string", "output_required": true, "doc": "ID."}],
            "examples": [{"title": "Bind two widgets", "request": {"SdkAppId": 1}, "response": {"RequestId": "x"}}]}"#;
        let text = text.replace("EXTRA", extra_member_key);
        Existing {
            service: None,
            actions: BTreeMap::from([("BindWidgetIDs".to_owned(), text)]),
            models: BTreeMap::new(),
        }
    }

    #[test]
    fn a_file_with_an_unknown_key_is_reported_and_left_untouched() {
        let options = Options {
            only: Some(vec!["BindWidgetIDs".into()]),
        };
        let outcome = run(&bind_widgets(r#", "future_key": 1"#), &options).unwrap();
        assert!(
            outcome
                .files
                .iter()
                .all(|f| f.path != "actions/BindWidgetIDs.json")
        );
        let problems = outcome.report.lines(Group::Problems);
        assert!(
            problems.iter().any(|p| p.starts_with(
                "actions/BindWidgetIDs.json: cannot be read (unknown field `future_key`"
            ) && p.ends_with("left untouched")),
            "{problems:?}"
        );
    }

    #[test]
    fn existing_files_are_merged() {
        let options = Options {
            only: Some(vec!["BindWidgetIDs".into()]),
        };
        let outcome = run(&bind_widgets(""), &options).unwrap();
        let text = &outcome
            .files
            .iter()
            .find(|f| f.path == "actions/BindWidgetIDs.json")
            .unwrap()
            .contents;
        let merged: ActionSpec = serde_json::from_str(text).unwrap();
        assert_eq!(
            (
                merged.doc.as_str(),
                merged.rust_name.as_deref(),
                merged.rate_limit_per_second
            ),
            ("Binds widgets.", Some("bind_widgets"), 5)
        );
        let ids = merged.input.iter().find(|m| m.name == "WidgetIDs").unwrap();
        assert_eq!(
            (
                ids.rust_name.as_deref(),
                ids.ty.to_string().as_str(),
                ids.doc.as_str()
            ),
            (Some("widgets"), "list<i64>", "Widgets.")
        );
        assert_eq!(merged.examples[0].title, "Bind two widgets");
        let changed = outcome.report.lines(Group::Changed);
        assert!(changed.contains(&"action BindWidgetIDs input `WidgetIDs`: type is list<u64> in the source, list<i64> in the spec; kept list<i64>".to_owned()), "{changed:?}");
        assert!(changed.contains(&"action BindWidgetIDs input `WidgetIDs`: required is true in the source, false in the spec; kept false".to_owned()), "{changed:?}");
        assert!(
            changed.contains(
                &"action BindWidgetIDs example 1: differs from the source; kept the spec's"
                    .to_owned()
            ),
            "{changed:?}"
        );
    }

    #[test]
    fn unknown_only_names_are_an_error() {
        let options = Options {
            only: Some(vec!["NoSuchAction".into()]),
        };
        assert!(
            run(&Existing::default(), &options)
                .unwrap_err()
                .contains("NoSuchAction")
        );
    }
}
