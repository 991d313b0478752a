//! Snapshots of the code the generator emits for the small spec trees under
//! `tests/fixtures/<name>/` (each a spec root: `common/errors.json` plus
//! `svc/<version>/...`).
//!
//! - `names`: keyword members (`Type` -> `r#type`, `Self` -> `self_`), acronyms
//!   fixed with `rust_name` on members and on an action, and a list member
//!   whose appending setter needs `rust_singular`.
//! - `types`: every scalar type, nested lists, a signed int enum with a
//!   negative value, optional inputs, nullable and absent outputs, models
//!   used from requests only, answers only, and both, and `sensitive` members
//!   (a request parameter, and a model field that makes both answers sensitive).
//!
//! `cargo xtask gen` also generates each fixture into a crate under
//! `tests/fixture-crates/<name>/`, which the workspace builds: the code these
//! snapshots show is compiled (warning-free, clippy-clean), not only read.
//!
//! After an intended change to the emitters, review the diff and accept it with
//! `INSTA_UPDATE=always cargo test -p codegen --test snapshots` (or `cargo insta review`).

use std::path::{Path, PathBuf};

use codegen::GeneratedFile;

fn fixture_root(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Generates the one service version of fixture `name`.
fn generate(name: &str) -> Vec<GeneratedFile> {
    let spec_root = fixture_root(name);
    let service_dir = match name {
        "names" => spec_root.join("svc/2021-03-04"),
        "types" => spec_root.join("svc/2022-05-06"),
        other => panic!("unknown fixture `{other}`"),
    };
    codegen::generate_service(&spec_root, &service_dir)
        .unwrap_or_else(|err| panic!("fixture `{name}`: {err}"))
}

/// Where the fixtures' service (`svc`) puts its SDK module.
const SDK_MODULE: &str = "crates/svc-api/src/generated/";
/// Where it puts its command line's module.
const CLI_MODULE: &str = "crates/svc-cli/src/generated/";

/// A file of the command line's module, by its path inside the module.
fn cli_file<'a>(files: &'a [GeneratedFile], path: &str) -> &'a str {
    match files
        .iter()
        .find(|f| f.path.strip_prefix(CLI_MODULE) == Some(path))
    {
        Some(f) => &f.contents,
        None => panic!("no generated CLI file `{path}`"),
    }
}

/// A file of the SDK module, by its path inside the module.
fn file<'a>(files: &'a [GeneratedFile], path: &str) -> &'a str {
    match files
        .iter()
        .find(|f| f.path.strip_prefix(SDK_MODULE) == Some(path))
    {
        Some(f) => &f.contents,
        None => panic!("no generated file `{path}`"),
    }
}

/// One snapshot for the list of files and one per file, named `<fixture>__<path>`
/// (paths inside the SDK module without the module's own path), or
/// `<fixture>_cli__<path>` for the command line's module.
fn assert_snapshots(name: &str, files: &[GeneratedFile]) {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| {
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        insta::assert_snapshot!(format!("{name}__files"), paths.join("\n"));
        for f in files {
            let snapshot = match (
                f.path.strip_prefix(SDK_MODULE),
                f.path.strip_prefix(CLI_MODULE),
            ) {
                (Some(path), _) => format!("{name}__{}", path.replace('/', "__")),
                (None, Some(path)) => format!("{name}_cli__{}", path.replace('/', "__")),
                (None, None) => format!("{name}__{}", f.path.replace('/', "__")),
            };
            insta::assert_snapshot!(snapshot, f.contents);
        }
    });
}

#[test]
fn names_fixture() {
    assert_snapshots("names", &generate("names"));
}

#[test]
fn types_fixture() {
    assert_snapshots("types", &generate("types"));
}

/// What the fixtures are for, checked directly so that accepting a snapshot
/// blindly cannot lose it.
#[test]
fn names_fixture_has_what_it_claims() {
    let files = generate("names");
    let models = file(&files, "models.rs");
    let describe = file(&files, "actions/describe_skill_group_ids.rs");
    let list = file(&files, "actions/describe_skill_groups.rs");

    // Keywords: a raw identifier where Rust allows one, a trailing underscore where not.
    for code in [models, list] {
        assert!(code.contains("pub r#type: "), "`Type` becomes `r#type`");
        assert!(code.contains("pub self_: "), "`Self` becomes `self_`");
    }
    assert!(list.contains("pub fn r#type(mut self, value: impl Into<String>) -> Self"));
    assert!(list.contains("self.request.r#type = Some(value.into());"));

    // `Tags` cannot append with `tag`, which sets `Tag`: the spec's `rust_singular` names it.
    assert!(list.contains("pub fn tag(mut self, value: impl Into<String>) -> Self"));
    assert!(list.contains("pub fn add_tag(mut self, value: impl Into<String>) -> Self"));
    assert!(list.contains("pub fn skill_group_id(mut self, value: u64) -> Self"));

    // Acronyms: the spec's `rust_name`, never `skill_group_i_ds`.
    assert!(!files.iter().any(|f| f.contents.contains("i_ds")));
    // An answer's wire names: its decoder's member list, and `rename` for `roundtrip` encoding.
    assert!(describe.contains("&[Member::sent(\"SkillGroupIDs\"), Member::sent(\"RequestId\")],"));
    assert!(describe.contains(
        "#[cfg_attr(feature = \"roundtrip\", serde(rename = \"SkillGroupIDs\"))]\n    pub skill_group_ids: Vec<u64>,"
    ));
    assert!(file(&files, "client.rs").contains("pub fn describe_skill_group_ids(&self)"));

    // Generated code spells std types by their prelude names (the generator
    // refuses models that would shadow them) and reaches models through `crate::models`.
    assert!(!files.iter().any(|f| f.contents.contains("::std::")));
    assert!(models.contains("pub name: crate::models::Text,"));
    assert!(models.contains("pub options: Vec<crate::models::Choice>,"));
    assert!(models.contains("pub value: Option<String>,"));
    assert!(list.contains("pub option: Option<crate::models::Choice>,"));
}

#[test]
fn types_fixture_has_what_it_claims() {
    let files = generate("types");
    let models = file(&files, "models.rs");
    let action = file(&files, "actions/create_callout.rs");

    // Scalars and nested lists.
    for wanted in [
        "pub variables: Option<Vec<Vec<String>>>,",
        "pub weight: Option<f64>,",
        "pub record: Option<bool>,",
        "pub offset: i64,",
        "pub scores: Option<Vec<Vec<f64>>>,",
        "pub accepted: bool,",
    ] {
        assert!(
            action.contains(wanted),
            "create_callout.rs lacks `{wanted}`"
        );
    }
    assert!(models.contains("Option<Vec<Vec<String>>>,"));

    // Optional inputs are skipped when unset (serde decodes an absent `Option` as
    // `None` without `default`); required ones are checked by the builder.
    assert!(action.contains(
        "#[serde(rename = \"Weight\", skip_serializing_if = \"Option::is_none\")]\n    pub weight: Option<f64>,"
    ));
    assert!(!files.iter().any(|f| f.contents.contains("default,")));
    assert!(action.contains(
        "const REQUIRED: Required = Required::new(&[\"SdkAppId\", \"Callees\", \"Offset\"]);"
    ));
    assert!(action.contains("self.required.set(\"Callees\", value.is_some());"));

    // Builder habits: strings take `impl Into<String>`, a list is set whole or
    // appended to one element at a time with its singular, every member has `set_x(Option<...>)`.
    assert!(action.contains("pub fn callees(mut self, values: Vec<String>) -> Self"));
    assert!(action.contains("pub fn callee(mut self, value: impl Into<String>) -> Self"));
    assert!(action.contains("pub fn set_callees(mut self, value: Option<Vec<String>>) -> Self"));
    assert!(action.contains("pub fn set_weight(mut self, value: Option<f64>) -> Self"));
    assert!(action.contains("pub async fn send_with(self, options: CallOptions)"));

    // Answers are read by a generated `Decode`: members answers always send
    // are `sent` (their absence is reported), `Option`s `optional`, secrets
    // are never quoted in errors; a structure only requests carry gets one
    // with `roundtrip` only, for checking the spec's request examples.
    assert!(
        models.contains("Member::sent(\"Name\"),\n                Member::optional(\"Phone\"),")
    );
    assert!(models.contains("Member::optional(\"Passcode\").secret(),"));
    assert!(models.contains(
        "#[cfg(feature = \"roundtrip\")]\nimpl tencentcloud_runtime::de::Decode for Filter {"
    ));
    assert!(models.contains("impl tencentcloud_runtime::de::Decode for Stats {"));
    // serde's `Deserialize` of a structure only answers carry is a bridge to `Decode`.
    assert!(models.contains("tencentcloud_runtime::de::bridge(deserializer)"));

    // A structure without members decodes too (the crate builds warning-free).
    assert!(models.contains("pub struct Flags {}"));
    assert!(models.contains("static MEMBERS: Members = Members::new(\"Flags\", &[]);"));

    // Signed int enum with a negative value.
    assert!(models.contains("pub const fn value(self) -> i64"));
    assert!(models.contains("Self::Low => -1,") && models.contains("-1 => Self::Low,"));
    assert!(models.contains("serializer.serialize_i64(self.value())"));

    // Model field optionality follows every place the model is used.
    let field = |model: &str, rust: &str| -> String {
        let start = models
            .find(&format!("pub struct {model} {{"))
            .unwrap_or_else(|| panic!("no struct {model}"));
        let body = &models[start..start + models[start..].find("\n}").expect("struct end")];
        let decl = body
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("pub {rust}: ")))
            .expect("field");
        decl.trim().to_owned()
    };
    assert_eq!(field("Contact", "name"), "pub name: String,");
    assert_eq!(field("Contact", "phone"), "pub phone: Option<String>,");
    assert_eq!(field("Contact", "email"), "pub email: Option<String>,");
    assert_eq!(field("Filter", "name"), "pub name: String,");
    assert_eq!(
        field("Filter", "values"),
        "pub values: Option<Vec<String>>,"
    );
    assert_eq!(field("Stats", "total"), "pub total: u64,");
    assert_eq!(field("Stats", "average"), "pub average: Option<f64>,");
    assert_eq!(field("Stats", "busy"), "pub busy: Option<bool>,");
}

/// The command line's generated module for the `types` fixture: every kind of
/// flag (scalars, a signed enum, lists of scalars, lists of lists and
/// structures as JSON), required and optional members, offset pagination.
#[test]
fn types_fixture_cli_has_what_it_claims() {
    let files = generate("types");
    let create = cli_file(&files, "actions/create_callout.rs");
    for wanted in [
        "command: \"create-callout\"",
        "flag: \"sdk-app-id\",\n            kind: Kind::Scalar(Scalar::U64),\n            required: true,",
        "kind: Kind::List(Scalar::String),",
        "kind: Kind::Json(\"list<list<string>>\"),",
        "kind: Kind::Json(\"list<Filter>\"),",
        "kind: Kind::Scalar(Scalar::F64),\n            required: false,",
        "kind: Kind::Scalar(Scalar::Enum(&PRIORITY)),",
        "const PRIORITY: IntEnum = IntEnum {\n    name: \"Priority\",\n    signed: true,\n    values: &[\n        EnumValue {\n            value: -1,\n            name: \"Low\",",
        "send: send::<CreateCalloutRequest>,",
        "pagination: None,",
        // Examples from the spec, as flags a person would type.
        "example: Some(\"--sdk-app-id 1400000000\"),",
        "example: Some(\"--callees 008612345678 --callees 008687654321\"),",
        r#""--filters '[{\"Name\":\"skill group\",\"Values\":[\"sales\"]}]'""#,
        // The spec's example call as a command line.
        "\"ccc create-callout --sdk-app-id 1400000000 --callees 008612345678 --offset 0\"",
    ] {
        assert!(
            create.contains(wanted),
            "create_callout.rs lacks `{wanted}`:\n{create}"
        );
    }
    let list = cli_file(&files, "actions/list_callouts.rs");
    assert!(
        list.contains(
            "style: PageStyle::Offset,\n        page: \"Offset\",\n        size: \"Limit\","
        ),
        "{list}"
    );
    // The template lists members in spec order, structures expanded.
    let skeleton = &create[create.find("skeleton: r#\"").expect("a skeleton")..];
    assert!(
        skeleton.find("\"SdkAppId\"") < skeleton.find("\"Callees\"")
            && skeleton.contains("\"Priority\": -1")
    );
}
