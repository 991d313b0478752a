//! Every kind of spec mistake is reported with the file, the JSON path inside
//! it and what is wrong, so a spec author can fix it without reading the
//! generator.
//!
//! Each test writes a minimal valid spec tree into a temporary directory,
//! breaks one file, and checks the error that comes back.

use std::fs;
use std::path::{Path, PathBuf};

use codegen::SpecError;
use codegen::ir::{Api, ModelKind, Type};
use serde_json::{Value, json};
use tempfile::TempDir;

const ACTION: &str = "svc/2020-01-01/actions/DescribeWidgets.json";
const MODEL: &str = "svc/2020-01-01/models/Widget.json";
const SERVICE_ERRORS: &str = "svc/2020-01-01/errors.json";
const COMMON_ERRORS: &str = "common/errors.json";

/// How errors name a spec file: relative to the spec root's parent.
fn shown(file: &str) -> String {
    format!("api-spec/{file}")
}

/// A spec tree in a temporary directory: `<tmp>/api-spec/...`.
struct SpecTree {
    dir: TempDir,
}

impl SpecTree {
    /// The smallest spec that lowers: two shared error codes and one of the service's own,
    /// one action that lists one model.
    fn valid() -> Self {
        let tree = SpecTree {
            dir: tempfile::tempdir().expect("temporary directory"),
        };
        tree.write_json(
            COMMON_ERRORS,
            &json!({ "codes": {
                "InternalError": { "doc": "An internal error occurred." },
                "InvalidParameter": { "doc": "A parameter is invalid." }
            }}),
        );
        tree.write_json(
            "svc/2020-01-01/service.json",
            &json!({
                "service": "svc",
                "version": "2020-01-01",
                "host": "svc.tencentcloudapi.com",
                "title": "Test Service",
                "doc": "A service that exists only in tests."
            }),
        );
        tree.write_json(
            SERVICE_ERRORS,
            &json!({ "codes": { "FailedOperation.WidgetLocked": { "doc": "The widget is locked." } } }),
        );
        tree.write_json(
            ACTION,
            &json!({
                "doc": "Lists widgets.",
                "read_only": true,
                "rate_limit_per_second": 10,
                "errors": ["FailedOperation.WidgetLocked", "InvalidParameter"],
                "input": [
                    { "name": "SdkAppId", "type": "u64", "required": true, "doc": "Application ID." },
                    { "name": "Limit", "type": "u64", "doc": "Page size." }
                ],
                "output": [
                    { "name": "Widgets", "type": "list<Widget>", "output_required": true, "doc": "The widgets." },
                    { "name": "RequestId", "type": "string", "output_required": true, "doc": "Request ID." }
                ],
                "examples": [{ "title": "List", "request": { "SdkAppId": 1 }, "response": { "Widgets": [], "RequestId": "r" } }]
            }),
        );
        tree.write_json(
            MODEL,
            &json!({
                "doc": "A widget.",
                "fields": [{ "name": "Name", "type": "string", "output_required": true, "doc": "Widget name." }]
            }),
        );
        tree
    }

    /// A valid spec with one JSON file changed by `edit`.
    fn with(file: &str, edit: impl FnOnce(&mut Value)) -> Self {
        let tree = Self::valid();
        tree.edit(file, edit);
        tree
    }

    /// A valid spec with one file replaced by `text` verbatim (for syntax errors).
    fn with_text(file: &str, text: &str) -> Self {
        let tree = Self::valid();
        tree.write(file, text);
        tree
    }

    fn spec_root(&self) -> PathBuf {
        self.dir.path().join("api-spec")
    }

    fn service_dir(&self) -> PathBuf {
        self.spec_root().join("svc/2020-01-01")
    }

    fn path(&self, file: &str) -> PathBuf {
        self.spec_root().join(file)
    }

    fn write(&self, file: &str, text: &str) {
        let path = self.path(file);
        fs::create_dir_all(path.parent().expect("file has a parent"))
            .expect("create spec directory");
        fs::write(&path, text).expect("write spec file");
    }

    fn write_json(&self, file: &str, value: &Value) {
        self.write(
            file,
            &format!(
                "{}\n",
                serde_json::to_string_pretty(value).expect("serialize JSON")
            ),
        );
    }

    fn read(&self, file: &str) -> String {
        fs::read_to_string(self.path(file)).expect("read spec file")
    }

    fn edit(&self, file: &str, edit: impl FnOnce(&mut Value)) {
        let mut value: Value = serde_json::from_str(&self.read(file)).expect("valid JSON");
        edit(&mut value);
        self.write_json(file, &value);
    }

    fn lower(&self) -> Result<Api, Vec<SpecError>> {
        codegen::lower_service(&self.spec_root(), &self.service_dir()).map_err(|e| e.0)
    }

    /// The errors of a spec that must not lower; `generate_service` must refuse it too.
    fn errors(&self) -> Vec<SpecError> {
        let errors = match self.lower() {
            Ok(_) => panic!("the spec lowered, but it should have been rejected"),
            Err(errors) => errors,
        };
        match codegen::generate_service(&self.spec_root(), &self.service_dir()) {
            Err(codegen::Error::Spec(spec)) => {
                assert_eq!(
                    spec.0, errors,
                    "generate_service reports what lower_service does"
                )
            }
            other => panic!("generate_service should fail with the spec errors, got {other:?}"),
        }
        errors
    }
}

/// Asserts that `errors` is exactly one error, in `file` (as given to [`SpecTree`])
/// at JSON path `path`, whose message contains every fragment. Returns the message.
#[track_caller]
fn assert_one_error(errors: &[SpecError], file: &str, path: &str, fragments: &[&str]) -> String {
    let [error] = errors else {
        panic!(
            "expected exactly one error, got {}:\n{}",
            errors.len(),
            list(errors)
        );
    };
    assert_eq!(error.file, shown(file), "file of {error}");
    assert_eq!(error.path, path, "JSON path of {error}");
    for fragment in fragments {
        assert!(
            error.message.contains(fragment),
            "message of `{error}` should contain `{fragment}`"
        );
    }
    // What the author sees names all three.
    let line = error.to_string();
    assert!(
        line.starts_with(&format!("{}: {path}: ", shown(file))),
        "displayed as `{line}`"
    );
    error.message.clone()
}

fn list(errors: &[SpecError]) -> String {
    errors.iter().map(|e| format!("  {e}\n")).collect()
}

fn member(name: &str, ty: &str) -> Value {
    json!({ "name": name, "type": ty, "doc": "A member." })
}

fn input(value: &mut Value) -> &mut Vec<Value> {
    value["input"].as_array_mut().expect("input is an array")
}

fn output(value: &mut Value) -> &mut Vec<Value> {
    value["output"].as_array_mut().expect("output is an array")
}

#[test]
fn minimal_spec_lowers() {
    let tree = SpecTree::valid();
    let api = tree
        .lower()
        .unwrap_or_else(|errors| panic!("valid spec rejected:\n{}", list(&errors)));
    assert_eq!(api.service.name, "svc");
    assert_eq!(api.service.spec_dir, "api-spec/svc/2020-01-01");
    let [action] = api.actions.as_slice() else {
        panic!("one action expected")
    };
    assert_eq!(action.name, "DescribeWidgets");
    assert_eq!(action.method, "describe_widgets");
    let inputs: Vec<_> = action
        .input
        .iter()
        .map(|f| (f.rust_name.as_str(), f.optional))
        .collect();
    assert_eq!(inputs, [("sdk_app_id", false), ("limit", true)]);
    assert_eq!(
        action.output[0].ty,
        Type::List(Box::new(Type::Model("Widget".into())))
    );
    let [model] = api.models.as_slice() else {
        panic!("one model expected")
    };
    assert!(
        matches!(&model.kind, ModelKind::Struct(fields) if fields.len() == 1 && !fields[0].optional)
    );
    let codes: Vec<_> = api
        .error_codes
        .iter()
        .map(|c| (c.code.as_str(), c.variant.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            (
                "FailedOperation.WidgetLocked",
                "FailedOperationWidgetLocked"
            ),
            ("InternalError", "InternalError"),
            ("InvalidParameter", "InvalidParameter"),
        ]
    );

    let files = codegen::generate_service(&tree.spec_root(), &tree.service_dir());
    let paths: Vec<_> = files
        .expect("valid spec generates")
        .into_iter()
        .map(|f| f.path)
        .collect();
    let module = "crates/svc-api/src/generated";
    assert_eq!(
        paths,
        [
            format!("{module}/mod.rs"),
            format!("{module}/client.rs"),
            format!("{module}/stub.rs"),
            format!("{module}/transport.rs"),
            format!("{module}/errors.rs"),
            format!("{module}/models.rs"),
            format!("{module}/actions/mod.rs"),
            format!("{module}/request.rs"),
            format!("{module}/actions/describe_widgets.rs"),
            "crates/svc-api/tests/examples.rs".to_owned(),
            "crates/svc-local/src/spec/table.rs".to_owned(),
            "crates/svc-cli/src/generated/mod.rs".to_owned(),
            "crates/svc-cli/src/generated/actions/mod.rs".to_owned(),
            "crates/svc-cli/src/generated/actions/describe_widgets.rs".to_owned(),
        ]
    );
    let errors: Vec<_> = action
        .errors
        .iter()
        .map(|c| (c.code.as_str(), c.variant.as_str()))
        .collect();
    assert_eq!(
        errors,
        [
            (
                "FailedOperation.WidgetLocked",
                "FailedOperationWidgetLocked"
            ),
            ("InvalidParameter", "InvalidParameter")
        ]
    );
}

#[test]
fn unknown_key_is_rejected() {
    let tree = SpecTree::with(ACTION, |a| {
        let first = input(a)[0].as_object_mut().expect("member is an object");
        first.remove("required");
        first.insert("requried".into(), json!(true));
    });
    let message = assert_one_error(
        &tree.errors(),
        ACTION,
        "input[0].requried",
        &["unknown field `requried`", "`required`"],
    );
    assert!(message.contains("(line "), "position reported: {message}");
}

#[test]
fn unknown_key_in_model_is_rejected() {
    let tree = SpecTree::with(MODEL, |m| m["fields"][0]["nulable"] = json!(true));
    assert_one_error(
        &tree.errors(),
        MODEL,
        "fields[0].nulable",
        &["unknown field `nulable`", "`nullable`"],
    );
}

#[test]
fn dangling_model_reference_is_rejected() {
    let tree = SpecTree::with(ACTION, |a| output(a)[0]["type"] = json!("list<Missing>"));
    assert_one_error(
        &tree.errors(),
        ACTION,
        "output[0].type",
        &["unknown model `Missing`", "models/Missing.json"],
    );
}

#[test]
fn duplicate_member_name_is_rejected() {
    let tree = SpecTree::with(ACTION, |a| input(a).push(member("SdkAppId", "string")));
    assert_one_error(
        &tree.errors(),
        ACTION,
        "input[2].name",
        &["duplicate member `SdkAppId`"],
    );
}

#[test]
fn duplicate_error_code_key_in_one_catalogue_is_rejected() {
    // serde_json would keep the second entry silently; the catalogue must not.
    let text = r#"{
  "codes": {
    "FailedOperation.WidgetLocked": { "doc": "The widget is locked." },
    "FailedOperation.WidgetLocked": { "doc": "Copy-pasted by mistake." }
  }
}
"#;
    let tree = SpecTree::with_text(SERVICE_ERRORS, text);
    let message = assert_one_error(
        &tree.errors(),
        SERVICE_ERRORS,
        "codes",
        &["duplicate key `FailedOperation.WidgetLocked`"],
    );
    assert!(
        message.contains("(line 4, column "),
        "points at the second occurrence: {message}"
    );
}

#[test]
fn error_code_in_both_catalogues_is_rejected() {
    let tree = SpecTree::with(SERVICE_ERRORS, |e| {
        e["codes"]["InternalError"] = json!({ "doc": "Declared again." })
    });
    assert_one_error(
        &tree.errors(),
        SERVICE_ERRORS,
        "codes.InternalError",
        &["error code `InternalError` is already declared in api-spec/common/errors.json"],
    );
}

#[test]
fn member_name_that_is_not_an_identifier_is_rejected() {
    let tree = SpecTree::with(ACTION, |a| input(a)[0]["name"] = json!("Sdk-App"));
    assert_one_error(
        &tree.errors(),
        ACTION,
        "input[0].name",
        &["`Sdk-App` is not an identifier"],
    );
}

#[test]
fn unknown_type_is_rejected() {
    let tree = SpecTree::with(ACTION, |a| input(a)[0]["type"] = json!("int"));
    assert_one_error(
        &tree.errors(),
        ACTION,
        "input[0].type",
        &["unknown type `int`", "i64"],
    );
}

#[test]
fn unclosed_list_type_is_rejected() {
    let tree = SpecTree::with(ACTION, |a| input(a)[0]["type"] = json!("list<u64"));
    assert_one_error(
        &tree.errors(),
        ACTION,
        "input[0].type",
        &["unknown type `list<u64`", "list<T>"],
    );
}

#[test]
fn unknown_type_inside_a_list_is_rejected() {
    let tree = SpecTree::with(MODEL, |m| {
        m["fields"][0]["type"] = json!("list<list<integer>>")
    });
    assert_one_error(
        &tree.errors(),
        MODEL,
        "fields[0].type",
        &["unknown type `integer`"],
    );
}

#[test]
fn derived_name_that_splits_an_acronym_needs_rust_name() {
    let tree = SpecTree::with(ACTION, |a| {
        input(a).push(member("SkillGroupIDs", "list<u64>"))
    });
    assert_one_error(
        &tree.errors(),
        ACTION,
        "input[2].name",
        &["`skill_group_i_ds` splits an acronym", "set `rust_name`"],
    );

    tree.edit(ACTION, |a| {
        input(a)[2]["rust_name"] = json!("skill_group_ids")
    });
    let api = tree
        .lower()
        .unwrap_or_else(|errors| panic!("rust_name should fix it:\n{}", list(&errors)));
    let field = &api.actions[0].input[2];
    assert_eq!(
        (field.wire_name.as_str(), field.rust_name.as_str()),
        ("SkillGroupIDs", "skill_group_ids")
    );
}

#[test]
fn rust_name_must_be_snake_case() {
    let tree = SpecTree::with(ACTION, |a| input(a)[0]["rust_name"] = json!("SdkAppID"));
    assert_one_error(
        &tree.errors(),
        ACTION,
        "input[0].rust_name",
        &["`SdkAppID` is not a snake_case identifier"],
    );
}

#[test]
fn wire_names_colliding_in_rust_are_rejected() {
    let tree = SpecTree::with(ACTION, |a| input(a).push(member("SdkAppID", "u64")));
    assert_one_error(
        &tree.errors(),
        ACTION,
        "input[2].name",
        &["`SdkAppID` and `SdkAppId` both become the Rust field `sdk_app_id`"],
    );
}

#[test]
fn missing_request_id_output_is_rejected() {
    let tree = SpecTree::with(ACTION, |a| output(a).retain(|m| m["name"] != "RequestId"));
    assert_one_error(
        &tree.errors(),
        ACTION,
        "output",
        &["must include `RequestId`"],
    );

    // Present but optional is just as wrong: every answer carries one.
    let tree = SpecTree::with(ACTION, |a| {
        drop(
            output(a)[1]
                .as_object_mut()
                .expect("object")
                .remove("output_required"),
        )
    });
    assert_one_error(
        &tree.errors(),
        ACTION,
        "output",
        &["`output_required: true`"],
    );
}

#[test]
fn action_error_code_in_no_catalogue_is_rejected() {
    let tree = SpecTree::with(ACTION, |a| {
        a["errors"]
            .as_array_mut()
            .expect("errors array")
            .push(json!("FailedOperation.NoSuchThing"))
    });
    assert_one_error(
        &tree.errors(),
        ACTION,
        "errors[2]",
        &["error code `FailedOperation.NoSuchThing` is in no error catalogue"],
    );
}

#[test]
fn model_with_both_fields_and_int_enum_is_rejected() {
    let tree = SpecTree::with(MODEL, |m| {
        m["int_enum"] =
            json!({ "type": "i64", "values": [{ "value": 1, "name": "One", "doc": "One." }] });
    });
    assert_one_error(
        &tree.errors(),
        MODEL,
        ".",
        &["exactly one of `fields` and `int_enum`"],
    );
}

#[test]
fn model_with_neither_fields_nor_int_enum_is_rejected() {
    let tree = SpecTree::with(MODEL, |m| {
        drop(m.as_object_mut().expect("object").remove("fields"))
    });
    assert_one_error(
        &tree.errors(),
        MODEL,
        ".",
        &["exactly one of `fields` and `int_enum`"],
    );
}

#[test]
fn trailing_garbage_after_the_document_is_rejected() {
    let mut text = SpecTree::valid().read(MODEL);
    text.push_str("}\n");
    let lines = text.lines().count();
    let tree = SpecTree::with_text(MODEL, &text);
    let message = assert_one_error(&tree.errors(), MODEL, ".", &["trailing characters"]);
    assert!(
        message.ends_with(&format!("(line {lines}, column 1)")),
        "position of the garbage: {message}"
    );
}

#[test]
fn invalid_json_syntax_reports_line_and_column() {
    // A missing comma between two keys on line 3.
    let text = "{\n  \"doc\": \"A widget.\"\n  \"fields\": []\n}\n";
    let tree = SpecTree::with_text(MODEL, text);
    let message = assert_one_error(&tree.errors(), MODEL, ".", &["expected `,` or `}`"]);
    assert!(
        message.ends_with("(line 3, column 3)"),
        "position of the syntax error: {message}"
    );

    // Inside a member, the path names the member being read.
    let text = SpecTree::valid().read(ACTION).replacen(
        "\"name\": \"SdkAppId\",",
        "\"name\": \"SdkAppId\"",
        1,
    );
    let tree = SpecTree::with_text(ACTION, &text);
    let message = assert_one_error(&tree.errors(), ACTION, "input[0]", &["expected `,` or `}`"]);
    assert!(
        message.contains("(line "),
        "position of the syntax error: {message}"
    );
}

#[test]
fn every_problem_is_reported_in_one_pass() {
    let tree = SpecTree::with(ACTION, |a| {
        input(a)[0]["type"] = json!("int");
        input(a)[1]["name"] = json!("Sdk-App");
        a["errors"] = json!(["NoSuchCode"]);
    });
    tree.edit(MODEL, |m| m["fields"][0]["type"] = json!("Missing"));
    let found: Vec<(String, String)> = tree
        .errors()
        .into_iter()
        .map(|e| (e.file, e.path))
        .collect();
    let expected = [
        (MODEL, "fields[0].type"),
        (ACTION, "errors[0]"),
        (ACTION, "input[0].type"),
        (ACTION, "input[1].name"),
    ]
    .map(|(file, path)| (shown(file), path.to_owned()));
    assert_eq!(found, expected);
}

#[test]
fn error_paths_are_relative_to_the_spec_roots_parent() {
    // Whatever the absolute location, messages name `api-spec/...` so they read the same everywhere.
    let tree = SpecTree::with(ACTION, |a| input(a)[0]["type"] = json!("int"));
    let errors = tree.errors();
    assert!(
        !errors[0].file.contains(&*tree.dir.path().to_string_lossy()),
        "absolute path leaked: {}",
        errors[0]
    );
    assert!(Path::new(&errors[0].file).is_relative());
}

#[test]
fn rust_names_colliding_after_keyword_escaping_are_rejected() {
    // `Self` cannot be a raw identifier, so it becomes `self_`: the name another member asked for.
    let tree = SpecTree::with(ACTION, |a| {
        input(a).push(member("Self", "u64"));
        input(a).push(json!({ "name": "SelfLink", "rust_name": "self_", "type": "string", "doc": "A member." }));
    });
    assert_one_error(
        &tree.errors(),
        ACTION,
        "input[3].name",
        &["`SelfLink` and `Self` both become the Rust field `self_`"],
    );
}

#[test]
fn keyword_member_names_are_escaped() {
    let tree = SpecTree::with(ACTION, |a| {
        input(a).push(member("Type", "string"));
        input(a).push(member("Self", "string"));
    });
    let api = tree
        .lower()
        .unwrap_or_else(|errors| panic!("keywords are valid wire names:\n{}", list(&errors)));
    let names: Vec<_> = api.actions[0]
        .input
        .iter()
        .map(|f| f.rust_name.as_str())
        .collect();
    assert_eq!(names, ["sdk_app_id", "limit", "r#type", "self_"]);
}

#[test]
fn action_method_name_that_is_a_keyword_is_rejected() {
    // Before lowering checked this, the spec got through and the emitter failed with "generator bug".
    let tree = SpecTree::with(ACTION, |a| a["rust_name"] = json!("type"));
    assert_one_error(
        &tree.errors(),
        ACTION,
        "rust_name",
        &["method name `type` is a Rust keyword"],
    );

    let tree = SpecTree::valid();
    fs::rename(
        tree.path(ACTION),
        tree.path("svc/2020-01-01/actions/Move.json"),
    )
    .expect("rename action");
    assert_one_error(
        &tree.errors(),
        "svc/2020-01-01/actions/Move.json",
        ".",
        &["method name `move` is a Rust keyword", "`rust_name`"],
    );
}

/// The valid spec, paging with `PageNumber`/`Limit` over `Widgets`, counted by `TotalCount`,
/// with `pagination` then changed by `edit`.
fn paged(edit: impl FnOnce(&mut Value)) -> SpecTree {
    SpecTree::with(ACTION, |a| {
        input(a).push(member("PageNumber", "u64"));
        output(a).push(member("TotalCount", "u64"));
        a["pagination"] = json!({ "page": "PageNumber", "size": "Limit", "style": "page_number", "items": "Widgets", "total": "TotalCount" });
        edit(&mut a["pagination"]);
    })
}

#[test]
fn pagination_resolves_to_the_members() {
    let api = paged(|_| {})
        .lower()
        .unwrap_or_else(|errors| panic!("valid pagination rejected:\n{}", list(&errors)));
    let pages = api.actions[0].page_fields().expect("the action pages");
    let names = [pages.page, pages.size, pages.items, pages.total].map(|f| f.wire_name.as_str());
    assert_eq!(names, ["PageNumber", "Limit", "Widgets", "TotalCount"]);
}

#[test]
fn pagination_naming_a_missing_member_is_rejected() {
    let tree = paged(|p| p["total"] = json!("Total"));
    assert_one_error(
        &tree.errors(),
        ACTION,
        "pagination.total",
        &["`Total` is not an integer output member"],
    );
    let tree = paged(|p| p["page"] = json!("Offset"));
    assert_one_error(
        &tree.errors(),
        ACTION,
        "pagination.page",
        &["`Offset` is not an integer input member"],
    );
}

#[test]
fn pagination_naming_a_wrongly_typed_member_is_rejected() {
    let tree = paged(|p| p["items"] = json!("RequestId"));
    assert_one_error(
        &tree.errors(),
        ACTION,
        "pagination.items",
        &["`RequestId` is not a list output member"],
    );
    // An input member of the right name does not count as the output member.
    let tree = paged(|p| p["total"] = json!("Limit"));
    assert_one_error(
        &tree.errors(),
        ACTION,
        "pagination.total",
        &["`Limit` is not an integer output member"],
    );
}

/// The promise of the spec format: a member added to a model's file reaches the
/// SDK's types and the emulator's table through the generator alone.
#[test]
fn a_new_model_member_reaches_the_sdk_and_the_emulator() {
    let tree = SpecTree::valid();
    let generate = |tree: &SpecTree| {
        let files = codegen::generate_service(&tree.spec_root(), &tree.service_dir())
            .expect("valid spec generates");
        let contents = |path: &str| {
            files
                .iter()
                .find(|f| f.path == path)
                .map(|f| f.contents.clone())
                .expect(path)
        };
        (
            contents("crates/svc-api/src/generated/models.rs"),
            contents("crates/svc-local/src/spec/table.rs"),
        )
    };
    let (sdk, emulator) = generate(&tree);
    assert!(!sdk.contains("Colour") && !emulator.contains("Colour"));

    tree.edit(MODEL, |m| {
        m["fields"].as_array_mut().expect("fields").push(json!({ "name": "Colour", "type": "list<string>", "nullable": true, "output_required": true, "doc": "Its colours." }))
    });
    let (sdk, emulator) = generate(&tree);
    assert!(
        sdk.contains("rename = \"Colour\"") && sdk.contains("pub colour: Option<Vec<String>>"),
        "the SDK lacks the member:\n{sdk}"
    );
    // In the emulator: its type resolved, and absent from a request but present (maybe null) in an answer.
    let words = emulator.split_whitespace().collect::<Vec<_>>().join(" ");
    let member = "MemberDef { name: \"Colour\", ty: Ty::List(&Ty::String), in_request: Presence::OPTIONAL, in_response: Presence::NULLABLE, }";
    assert!(
        words.contains(member),
        "the emulator's table lacks the member:\n{emulator}"
    );
}

#[test]
fn model_names_that_would_shadow_the_prelude_are_rejected() {
    for name in ["Option", "String", "Vec", "Box", "From"] {
        let tree = SpecTree::valid();
        let file = format!("svc/2020-01-01/models/{name}.json");
        tree.write_json(
            &file,
            &json!({ "doc": "Shadows the prelude.", "fields": [member("Key", "string")] }),
        );
        let message = assert_one_error(
            &tree.errors(),
            &file,
            ".",
            &[&format!("`{name}` would shadow the prelude's `{name}`")],
        );
        assert!(message.contains("rename the model"), "{message}");
    }
}

#[test]
fn builder_methods_of_two_members_must_differ() {
    // `Caller` has the setter `caller`; the list `Callers` would append with `caller` too.
    let tree = SpecTree::with(ACTION, |a| {
        input(a).push(member("Caller", "string"));
        input(a).push(member("Callers", "list<string>"));
    });
    assert_one_error(
        &tree.errors(),
        ACTION,
        "input",
        &[
            "member `Callers` needs the builder method `caller`, which `Caller` already has",
            "`rust_singular`",
        ],
    );

    // `SetLimit` would be the setter `set_limit`, which `Limit` has for its `Option`.
    let tree = SpecTree::with(ACTION, |a| input(a).push(member("SetLimit", "u64")));
    assert_one_error(
        &tree.errors(),
        ACTION,
        "input",
        &["`set_limit`, which `Limit` already has"],
    );

    // `Send` would shadow the builder's own `send`.
    let tree = SpecTree::with(ACTION, |a| input(a).push(member("Send", "bool")));
    assert_one_error(
        &tree.errors(),
        ACTION,
        "input",
        &["`send`, which every builder already has"],
    );
}

#[test]
fn more_required_members_than_a_builder_tracks_are_rejected() {
    // The spec has one required member (`SdkAppId`); 64 more make 65.
    let tree = SpecTree::with(ACTION, |a| {
        for i in 0..64 {
            let mut m = member(&format!("Extra{i}"), "u64");
            m["required"] = json!(true);
            input(a).push(m);
        }
    });
    assert_one_error(
        &tree.errors(),
        ACTION,
        "input",
        &["65 required members", "at most 64"],
    );
    // 64 in all is fine.
    let tree = SpecTree::with(ACTION, |a| {
        for i in 0..63 {
            let mut m = member(&format!("Extra{i}"), "u64");
            m["required"] = json!(true);
            input(a).push(m);
        }
    });
    assert!(tree.lower().is_ok());
}

#[test]
fn rust_singular_names_the_appending_setter_and_is_checked() {
    let tree = SpecTree::with(ACTION, |a| {
        input(a).push(member("Caller", "string"));
        input(a).push(json!({ "name": "Callers", "rust_singular": "add_caller", "type": "list<string>", "doc": "A member." }));
        input(a).push(member("Callees", "list<string>"));
    });
    let api = tree
        .lower()
        .unwrap_or_else(|errors| panic!("rust_singular resolves the clash:\n{}", list(&errors)));
    let appenders: Vec<_> = api.actions[0]
        .input
        .iter()
        .filter_map(|f| f.appender.as_deref())
        .collect();
    assert_eq!(appenders, ["add_caller", "callee"]);

    let tree = SpecTree::with(ACTION, |a| {
        input(a).push(json!({ "name": "Callers", "rust_singular": "AddCaller", "type": "list<string>", "doc": "A member." }));
    });
    assert_one_error(
        &tree.errors(),
        ACTION,
        "input[2].rust_singular",
        &["`AddCaller` is not a snake_case identifier"],
    );

    let tree = SpecTree::with(ACTION, |a| {
        input(a).push(json!({ "name": "Caller", "rust_singular": "one_caller", "type": "string", "doc": "A member." }));
    });
    assert_one_error(
        &tree.errors(),
        ACTION,
        "input[2].rust_singular",
        &["only list members of an action's input"],
    );
}
