//! The validated intermediate representation the emitters work from.
//!
//! Lowering checks everything the JSON shape cannot: names are identifiers,
//! types resolve, references exist, nothing is declared twice and no two
//! wire names map to the same Rust name. Every collection is in a fixed
//! order (actions and models by name, members in spec order), so the
//! generated output depends only on the spec's content.

use std::collections::{BTreeMap, BTreeSet};

use crate::load::{Located, RawSpec, SpecError, SpecErrors};
use crate::names;
use crate::spec::{self, ActionSpec, MemberSpec, ModelSpec, PaginationSpec};

/// A whole service version, ready to emit.
#[derive(Debug, Clone)]
pub struct Api {
    /// The service itself.
    pub service: Service,
    /// Actions, ordered by wire name.
    pub actions: Vec<Action>,
    /// Models, ordered by name.
    pub models: Vec<Model>,
    /// Every error code the service may return, ordered by code.
    pub error_codes: Vec<ErrorCode>,
}

/// Service-level facts.
#[derive(Debug, Clone)]
pub struct Service {
    /// Service name, e.g. `ccc`.
    pub name: String,
    /// API version, e.g. `2020-02-10`.
    pub version: String,
    /// Default host.
    pub host: String,
    /// Human name.
    pub title: String,
    /// Description.
    pub doc: String,
    /// Where the spec lives, for the generated-file header (e.g. `api-spec/ccc/2020-02-10`).
    pub spec_dir: String,
    /// Where the generated files of the service go.
    pub outputs: Outputs,
}

/// The repository paths (relative, `/`-separated) the generator writes for one service.
#[derive(Debug, Clone)]
pub struct Outputs {
    /// The SDK's generated module, owned entirely by the generator: `crates/<service>-api/src/generated`.
    pub sdk_module: String,
    /// The SDK's conformance test: `crates/<service>-api/tests/examples.rs`.
    pub conformance_test: String,
    /// The emulator's table of actions and models: `crates/<service>-local/src/spec/table.rs`.
    pub emulator_table: String,
    /// The command line's generated module, owned entirely by the generator: `crates/<service>-cli/src/generated`.
    pub cli_module: String,
}

impl Outputs {
    /// The conventional layout for service `name`.
    pub fn for_service(name: &str) -> Self {
        Outputs {
            sdk_module: format!("crates/{name}-api/src/generated"),
            conformance_test: format!("crates/{name}-api/tests/examples.rs"),
            emulator_table: format!("crates/{name}-local/src/spec/table.rs"),
            cli_module: format!("crates/{name}-cli/src/generated"),
        }
    }
}

/// One error code.
#[derive(Debug, Clone)]
pub struct ErrorCode {
    /// The code on the wire, e.g. `AuthFailure.SignatureExpire`.
    pub code: String,
    /// The enum variant name, e.g. `AuthFailureSignatureExpire`.
    pub variant: String,
    /// Its meaning.
    pub doc: String,
}

/// One action.
#[derive(Debug, Clone)]
pub struct Action {
    /// Wire name, e.g. `DescribeAutoCalloutTasks`; also the stem of its type names.
    pub name: String,
    /// Client method and module name, e.g. `describe_auto_callout_tasks`.
    pub method: String,
    /// Description.
    pub doc: String,
    /// Only reads: safe to retry.
    pub read_only: bool,
    /// Per-account requests per second.
    pub rate_limit_per_second: u32,
    /// Error codes the action documents (beyond the common ones), resolved to their catalogue entries.
    pub errors: Vec<ErrorCode>,
    /// How the action pages, if it does.
    pub pagination: Option<Pagination>,
    /// Request parameters.
    pub input: Vec<Field>,
    /// Response fields, `RequestId` included.
    pub output: Vec<Field>,
    /// Wire names of request parameters the service has switched off: accepted and ignored.
    pub disabled_input: Vec<String>,
    /// Wire names of response fields the service has switched off.
    pub disabled_output: Vec<String>,
    /// An answer may carry a secret: some output member, or a member of a model it
    /// reaches, is `sensitive`. Errors of the action then quote nothing of the answer.
    pub sensitive_output: bool,
    /// Example calls, in spec order.
    pub examples: Vec<Example>,
}

/// One example call of an action.
#[derive(Debug, Clone)]
pub struct Example {
    /// What the example shows.
    pub title: String,
    /// The request body.
    pub request: serde_json::Value,
    /// The `Response` object of the answer.
    pub response: serde_json::Value,
    /// Where the example disagrees with the definition, as the spec records it.
    pub notes: Option<String>,
}

/// How an action pages: its members, resolved at lowering to positions in
/// the action's `input` and `output` (so an emitter cannot miss one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pagination {
    /// What the page member counts.
    pub style: PaginationStyle,
    /// Index in `input` of the integer page member (`PageNumber`, `Offset`).
    pub page: usize,
    /// Index in `input` of the integer page size member.
    pub size: usize,
    /// Index in `output` of the list member holding a page's items.
    pub items: usize,
    /// Index in `output` of the integer member counting all items.
    pub total: usize,
}

/// What an action's page member counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaginationStyle {
    /// The page's number, from 0.
    PageNumber,
    /// The number of items to skip.
    Offset,
}

/// The pagination members of an action, as fields.
#[derive(Debug, Clone, Copy)]
pub struct PageFields<'a> {
    /// What the page member counts.
    pub style: PaginationStyle,
    /// The page member of the request.
    pub page: &'a Field,
    /// The page size member of the request.
    pub size: &'a Field,
    /// The items member of the response.
    pub items: &'a Field,
    /// The total count member of the response.
    pub total: &'a Field,
}

impl Action {
    /// The pagination members, if the action pages.
    pub fn page_fields(&self) -> Option<PageFields<'_>> {
        let p = self.pagination?;
        Some(PageFields {
            style: p.style,
            page: &self.input[p.page],
            size: &self.input[p.size],
            items: &self.output[p.items],
            total: &self.output[p.total],
        })
    }
}

/// A model: a structure or an integer enumeration.
#[derive(Debug, Clone)]
pub struct Model {
    /// Type name, e.g. `AutoCalloutTaskInfo`.
    pub name: String,
    /// Description.
    pub doc: String,
    /// Structure fields or enum values.
    pub kind: ModelKind,
    /// Reached from some action's request.
    pub in_requests: bool,
    /// Reached from some action's response.
    pub in_responses: bool,
    /// Wire names of structure fields the service has switched off: accepted and ignored.
    pub disabled: Vec<String>,
}

/// What a model is.
#[derive(Debug, Clone)]
pub enum ModelKind {
    /// A JSON object.
    Struct(Vec<Field>),
    /// An integer with named values; unknown values are kept.
    IntEnum {
        /// `true` for `i64`, `false` for `u64`.
        signed: bool,
        /// Known values.
        values: Vec<EnumValue>,
    },
}

/// One named value of an integer enum.
#[derive(Debug, Clone)]
pub struct EnumValue {
    /// Wire value.
    pub value: i64,
    /// Variant name.
    pub name: String,
    /// Meaning.
    pub doc: String,
}

/// A member of a request, response or model.
#[derive(Debug, Clone)]
pub struct Field {
    /// Wire name, emitted verbatim in `#[serde(rename = "...")]`.
    pub wire_name: String,
    /// Rust identifier, escaped if it is a keyword (`r#type`).
    pub rust_name: String,
    /// Resolved type.
    pub ty: Type,
    /// `Option<T>` in Rust: absent or null is allowed where the SDK uses it.
    pub optional: bool,
    /// What a request may do with the member (from `required`).
    pub in_request: Presence,
    /// What an answer may do with the member (from `output_required` and `nullable`).
    pub in_response: Presence,
    /// List inputs only: the builder method that appends one element (`callee` for `callees`).
    pub appender: Option<String>,
    /// Holds a secret: `Debug` shows `** redacted **` instead of the value.
    pub sensitive: bool,
    /// Description.
    pub doc: String,
    /// A typical value, as the spec gives it (for help texts).
    pub example: Option<serde_json::Value>,
}

/// Whether a member may be left out, or sent as `null`, on one side of the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Presence {
    /// The member may be absent.
    pub may_be_absent: bool,
    /// The member may be `null`.
    pub may_be_null: bool,
}

impl Presence {
    /// A request may leave out or send `null` for any member that is not `required`.
    fn request(m: &MemberSpec) -> Self {
        Presence {
            may_be_absent: !m.required,
            may_be_null: !m.required,
        }
    }

    /// An answer may leave out a member that is not `output_required`, and send `null`
    /// for it or for a `nullable` one.
    fn response(m: &MemberSpec) -> Self {
        Presence {
            may_be_absent: !m.output_required,
            may_be_null: m.nullable || !m.output_required,
        }
    }

    /// Absent or null: `Option<T>` in Rust.
    fn optional(self) -> bool {
        self.may_be_absent || self.may_be_null
    }
}

/// A member type; the spec's own, whose model names lowering has checked.
pub use crate::spec::Type;

/// Type names the generated crate defines itself, which models and actions must not reuse.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Client",
    "Error",
    "ErrorCode",
    "Result",
    "Stub",
    "UnknownValue",
];

/// Type and trait names of Rust's prelude (2024 edition) and of what generated
/// files import: generated code spells them plainly (`Option<String>`), so a
/// model may not shadow them. Models are not named on the wire, so renaming
/// one changes nothing the service sees.
const PRELUDE_NAMES: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "Deserialize",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Future",
    "Into",
    "IntoFuture",
    "IntoIterator",
    "Iterator",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Serialize",
    "Sized",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// Methods every request builder has besides its setters.
/// The most required members one action may have: what the builder's set of
/// unset parameters (`tencentcloud_runtime::Required`) can track.
const MAX_REQUIRED: usize = 64;

const BUILDER_METHODS: &[&str] = &[
    "new",
    "build",
    "send",
    "send_with",
    "into_pages",
    "into_pages_with",
];

/// Where a model is used, which decides when its fields are optional.
#[derive(Debug, Clone, Copy, Default)]
struct Usage {
    input: bool,
    output: bool,
}

/// Validates the raw spec and lowers it to the IR, collecting every error.
pub fn lower(raw: &RawSpec) -> Result<Api, SpecErrors> {
    let mut cx = Lowering { errors: Vec::new() };

    let service = cx.service(raw);
    let error_codes = cx.error_codes(raw);
    let known_codes: BTreeMap<&str, &ErrorCode> =
        error_codes.iter().map(|c| (c.code.as_str(), c)).collect();
    let usage = model_usage(raw);

    let mut type_names: BTreeMap<String, String> = BTreeMap::new();
    let mut models = Vec::new();
    for (name, model) in &raw.models {
        cx.claim_type_name(&mut type_names, name, &model.file, name.clone());
        let usage = usage.get(name.as_str()).copied().unwrap_or(Usage {
            input: true,
            output: true,
        });
        if let Some(m) = cx.model(raw, name, model, usage) {
            models.push(m);
        }
    }

    let mut methods: BTreeMap<String, String> = BTreeMap::new();
    let mut actions = Vec::new();
    for (name, action) in &raw.actions {
        for suffix in ["Request", "Response", "Builder"] {
            cx.claim_type_name(
                &mut type_names,
                &format!("{name}{suffix}"),
                &action.file,
                name.clone(),
            );
        }
        if let Some(a) = cx.action(raw, name, action, &known_codes, &mut methods) {
            actions.push(a);
        }
    }

    if cx.errors.is_empty() {
        Ok(Api {
            service,
            actions,
            models,
            error_codes,
        })
    } else {
        Err(SpecErrors(cx.errors))
    }
}

struct Lowering {
    errors: Vec<SpecError>,
}

impl Lowering {
    fn fail(&mut self, file: &str, path: impl Into<String>, message: impl Into<String>) {
        self.errors.push(SpecError {
            file: file.to_owned(),
            path: path.into(),
            message: message.into(),
        });
    }

    fn service(&mut self, raw: &RawSpec) -> Service {
        let s = &raw.service;
        if !names::is_identifier(&s.value.service)
            || s.value.service.to_ascii_lowercase() != s.value.service
        {
            self.fail(
                &s.file,
                "service",
                format!("`{}` is not a lowercase service name", s.value.service),
            );
        }
        if !raw
            .dir
            .ends_with(&format!("{}/{}", s.value.service, s.value.version))
        {
            self.fail(
                &s.file,
                ".",
                format!(
                    "service `{}` version `{}` must live in `<spec root>/{}/{}`",
                    s.value.service, s.value.version, s.value.service, s.value.version
                ),
            );
        }
        Service {
            name: s.value.service.clone(),
            version: s.value.version.clone(),
            host: s.value.host.clone(),
            title: s.value.title.clone(),
            doc: s.value.doc.clone(),
            spec_dir: raw.dir.clone(),
            outputs: Outputs::for_service(&s.value.service),
        }
    }

    fn error_codes(&mut self, raw: &RawSpec) -> Vec<ErrorCode> {
        let mut by_code: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
        let mut by_variant: BTreeMap<String, String> = BTreeMap::new();
        for catalog in &raw.error_catalogs {
            for (code, spec) in &catalog.value.codes {
                let path = format!("codes.{code}");
                if let Some((first_file, _)) = by_code.get(code.as_str()) {
                    self.fail(
                        &catalog.file,
                        path,
                        format!("error code `{code}` is already declared in {first_file}"),
                    );
                    continue;
                }
                if code.is_empty() || !code.split('.').all(names::is_identifier) {
                    self.fail(
                        &catalog.file,
                        path,
                        format!("`{code}` is not an error code (dot-separated identifiers)"),
                    );
                    continue;
                }
                let variant = names::camel_from_code(code);
                if variant == "Unknown" {
                    self.fail(
                        &catalog.file,
                        path,
                        "`Unknown` is reserved for codes this SDK does not know",
                    );
                    continue;
                }
                if let Some(other) = by_variant.insert(variant.clone(), code.clone()) {
                    self.fail(&catalog.file, path, format!("error codes `{other}` and `{code}` both become the Rust variant `{variant}`"));
                    continue;
                }
                by_code.insert(code, (&catalog.file, &spec.doc));
            }
        }
        by_code
            .into_iter()
            .map(|(code, (_, doc))| ErrorCode {
                code: code.to_owned(),
                variant: names::camel_from_code(code),
                doc: doc.to_owned(),
            })
            .collect()
    }

    fn claim_type_name(
        &mut self,
        claimed: &mut BTreeMap<String, String>,
        type_name: &str,
        file: &str,
        owner: String,
    ) {
        if RESERVED_TYPE_NAMES.contains(&type_name) {
            self.fail(
                file,
                ".",
                format!("`{type_name}` is a type name the generated crate reserves"),
            );
        } else if PRELUDE_NAMES.contains(&type_name) {
            self.fail(
                file,
                ".",
                format!(
                    "`{type_name}` would shadow the prelude's `{type_name}` in generated code; \
                     rename the model (its name is not sent on the wire)"
                ),
            );
        } else if let Some(previous) = claimed.insert(type_name.to_owned(), owner.clone()) {
            self.fail(
                file,
                ".",
                format!("type name `{type_name}` of `{owner}` is already used by `{previous}`"),
            );
        }
    }

    fn model(
        &mut self,
        raw: &RawSpec,
        name: &str,
        model: &Located<ModelSpec>,
        usage: Usage,
    ) -> Option<Model> {
        let file = &model.file;
        if !names::is_upper_camel(name) {
            self.fail(
                file,
                ".",
                format!("model name `{name}` (the file name) must be an UpperCamelCase identifier"),
            );
            return None;
        }
        if model.value.doc.trim().is_empty() {
            self.fail(
                file,
                "doc",
                "write a doc: what the model represents, in English",
            );
        }
        let kind = match (&model.value.fields, &model.value.int_enum) {
            (Some(fields), None) => {
                ModelKind::Struct(self.fields(raw, file, "fields", fields, |m| {
                    (usage.input && Presence::request(m).optional())
                        || (usage.output && Presence::response(m).optional())
                }))
            }
            (None, Some(int_enum)) => {
                let signed = match int_enum.ty.as_str() {
                    "i64" => true,
                    "u64" => false,
                    other => {
                        self.fail(
                            file,
                            "int_enum.type",
                            format!("unknown enum type `{other}` (expected `i64` or `u64`)"),
                        );
                        return None;
                    }
                };
                let mut seen_names = BTreeSet::new();
                let mut seen_values = BTreeSet::new();
                let mut values = Vec::new();
                for (i, v) in int_enum.values.iter().enumerate() {
                    let path = format!("int_enum.values[{i}]");
                    if !names::is_upper_camel(&v.name) || v.name == "Unknown" {
                        self.fail(file, format!("{path}.name"), format!("`{}` is not an UpperCamelCase variant name (`Unknown` is reserved)", v.name));
                    } else if !seen_names.insert(v.name.clone()) {
                        self.fail(
                            file,
                            format!("{path}.name"),
                            format!("duplicate variant name `{}`", v.name),
                        );
                    }
                    if !signed && v.value < 0 {
                        self.fail(
                            file,
                            format!("{path}.value"),
                            format!("{} is negative but the enum is `u64`", v.value),
                        );
                    }
                    if !seen_values.insert(v.value) {
                        self.fail(
                            file,
                            format!("{path}.value"),
                            format!("duplicate value {}", v.value),
                        );
                    }
                    values.push(EnumValue {
                        value: v.value,
                        name: v.name.clone(),
                        doc: v.doc.clone(),
                    });
                }
                ModelKind::IntEnum { signed, values }
            }
            _ => {
                self.fail(
                    file,
                    ".",
                    "a model has exactly one of `fields` and `int_enum`",
                );
                return None;
            }
        };
        Some(Model {
            name: name.to_owned(),
            doc: model.value.doc.clone(),
            kind,
            in_requests: usage.input,
            in_responses: usage.output,
            disabled: model
                .value
                .fields
                .as_deref()
                .map(disabled)
                .unwrap_or_default(),
        })
    }

    fn action(
        &mut self,
        raw: &RawSpec,
        name: &str,
        action: &Located<ActionSpec>,
        known_codes: &BTreeMap<&str, &ErrorCode>,
        methods: &mut BTreeMap<String, String>,
    ) -> Option<Action> {
        let file = &action.file;
        let spec = &action.value;
        if !names::is_upper_camel(name) {
            self.fail(
                file,
                ".",
                format!(
                    "action name `{name}` (the file name) must be an UpperCamelCase identifier"
                ),
            );
            return None;
        }
        let method = match &spec.rust_name {
            Some(rust) if names::is_snake_case(rust) => rust.clone(),
            Some(rust) => {
                self.fail(
                    file,
                    "rust_name",
                    format!("`{rust}` is not a snake_case identifier"),
                );
                return None;
            }
            None => {
                let derived = names::snake(name);
                if names::has_split_acronym(&derived) {
                    self.fail(
                        file,
                        ".",
                        format!(
                            "derived method name `{derived}` splits an acronym; set `rust_name`"
                        ),
                    );
                }
                derived
            }
        };
        if names::escape(&method) != method {
            // A keyword would need `r#` at every call site and in the module name; ask for another name.
            let path = if spec.rust_name.is_some() {
                "rust_name"
            } else {
                "."
            };
            self.fail(
                file,
                path,
                format!("method name `{method}` is a Rust keyword; set another `rust_name`"),
            );
        }
        if let Some(previous) = methods.insert(method.clone(), name.to_owned()) {
            self.fail(
                file,
                ".",
                format!("method name `{method}` is already used by action `{previous}`"),
            );
        }
        if spec.doc.trim().is_empty() {
            self.fail(file, "doc", "write a doc: what the action does, in English");
        }
        if spec.rate_limit_per_second == 0 {
            self.fail(file, "rate_limit_per_second", "must be at least 1");
        }
        let mut errors = Vec::new();
        for (i, code) in spec.errors.iter().enumerate() {
            match known_codes.get(code.as_str()) {
                Some(entry) => errors.push((*entry).clone()),
                None => self.fail(
                    file,
                    format!("errors[{i}]"),
                    format!("error code `{code}` is in no error catalogue"),
                ),
            }
        }
        if spec.examples.is_empty() {
            self.fail(file, "examples", "an action needs at least one example");
        }
        let input = self.fields(raw, file, "input", &spec.input, |m| {
            Presence::request(m).optional()
        });
        self.check_builder_methods(file, &input);
        self.check_required_count(file, &input);
        let output = self.fields(raw, file, "output", &spec.output, |m| {
            Presence::response(m).optional()
        });
        match output.iter().find(|f| f.wire_name == "RequestId") {
            Some(f) if f.ty == Type::String && !f.optional => {}
            _ => self.fail(
                file,
                "output",
                "the output must include `RequestId`, a string with `output_required: true`",
            ),
        }
        let pagination = match &spec.pagination {
            Some(p) => Some(self.pagination(file, p, &input, &output)?),
            None => None,
        };
        Some(Action {
            name: name.to_owned(),
            method,
            doc: spec.doc.clone(),
            read_only: spec.read_only,
            rate_limit_per_second: spec.rate_limit_per_second,
            errors,
            pagination,
            input,
            output,
            disabled_input: disabled(&spec.input),
            disabled_output: disabled(&spec.output),
            sensitive_output: holds_secret(raw, &spec.output),
            examples: spec.examples.iter().map(example).collect(),
        })
    }

    /// A builder tracks its required members in a set of at most
    /// [`MAX_REQUIRED`] (`tencentcloud_runtime::Required`).
    fn check_required_count(&mut self, file: &str, input: &[Field]) {
        let required = input.iter().filter(|f| !f.optional).count();
        if required > MAX_REQUIRED {
            self.fail(
                file,
                "input",
                format!(
                    "{required} required members; a request builder tracks at most {MAX_REQUIRED}"
                ),
            );
        }
    }

    /// Each input member becomes builder methods (`x`, `set_x`, and for a list
    /// the appending one, see [`names::appender`]); no two may share a name.
    fn check_builder_methods(&mut self, file: &str, input: &[Field]) {
        let mut taken: BTreeMap<String, String> = BUILDER_METHODS
            .iter()
            .map(|m| ((*m).to_owned(), "every builder".to_owned()))
            .collect();
        for f in input {
            let mut methods = vec![
                f.rust_name.trim_start_matches("r#").to_owned(),
                names::option_setter(&f.rust_name),
            ];
            methods.extend(f.appender.clone());
            for method in methods {
                if let Some(other) = taken.insert(method.clone(), format!("`{}`", f.wire_name)) {
                    self.fail(
                        file,
                        "input",
                        format!(
                            "member `{}` needs the builder method `{method}`, which {other} already has; \
                             set a `rust_name` (or, for the appending setter of a list, a `rust_singular`)",
                            f.wire_name
                        ),
                    );
                }
            }
        }
    }

    /// Resolves the pagination members to positions in `input` and `output`; each must exist with its type.
    fn pagination(
        &mut self,
        file: &str,
        p: &PaginationSpec,
        input: &[Field],
        output: &[Field],
    ) -> Option<Pagination> {
        let mut find = |key: &str,
                        fields: &[Field],
                        name: &str,
                        side: &str,
                        fits: fn(&Type) -> bool,
                        kind: &str| {
            let found = fields
                .iter()
                .position(|f| f.wire_name == name && fits(&f.ty));
            if found.is_none() {
                self.fail(file, key, format!("`{name}` is not {kind} {side} member"));
            }
            found
        };
        let integer = |t: &Type| matches!(t, Type::U64 | Type::I64);
        let list = |t: &Type| matches!(t, Type::List(_));
        let page = find(
            "pagination.page",
            input,
            &p.page,
            "input",
            integer,
            "an integer",
        );
        let size = find(
            "pagination.size",
            input,
            &p.size,
            "input",
            integer,
            "an integer",
        );
        let items = find(
            "pagination.items",
            output,
            &p.items,
            "output",
            list,
            "a list",
        );
        let total = find(
            "pagination.total",
            output,
            &p.total,
            "output",
            integer,
            "an integer",
        );
        let style = match p.style {
            spec::PaginationStyle::PageNumber => PaginationStyle::PageNumber,
            spec::PaginationStyle::Offset => PaginationStyle::Offset,
        };
        Some(Pagination {
            style,
            page: page?,
            size: size?,
            items: items?,
            total: total?,
        })
    }

    fn fields(
        &mut self,
        raw: &RawSpec,
        file: &str,
        base: &str,
        members: &[MemberSpec],
        optional: impl Fn(&MemberSpec) -> bool,
    ) -> Vec<Field> {
        let mut wire_seen = BTreeSet::new();
        let mut rust_seen: BTreeMap<String, String> = BTreeMap::new();
        let mut out = Vec::new();
        for (i, m) in members.iter().enumerate() {
            let path = format!("{base}[{i}]");
            if m.disabled {
                continue;
            }
            if !names::is_identifier(&m.name) {
                self.fail(
                    file,
                    format!("{path}.name"),
                    format!("`{}` is not an identifier", m.name),
                );
                continue;
            }
            if !wire_seen.insert(m.name.clone()) {
                self.fail(
                    file,
                    format!("{path}.name"),
                    format!("duplicate member `{}`", m.name),
                );
                continue;
            }
            let rust = match &m.rust_name {
                Some(r) if names::is_snake_case(r) => r.clone(),
                Some(r) => {
                    self.fail(
                        file,
                        format!("{path}.rust_name"),
                        format!("`{r}` is not a snake_case identifier"),
                    );
                    continue;
                }
                None => {
                    let derived = names::snake(&m.name);
                    if names::has_split_acronym(&derived) {
                        self.fail(
                            file,
                            format!("{path}.name"),
                            format!(
                                "derived Rust name `{derived}` splits an acronym; set `rust_name`"
                            ),
                        );
                    }
                    derived
                }
            };
            // Compare escaped names: `Self` becomes `self_`, which a `rust_name` may also spell.
            let rust = names::escape(&rust);
            if let Some(other) = rust_seen.insert(rust.clone(), m.name.clone()) {
                self.fail(
                    file,
                    format!("{path}.name"),
                    format!(
                        "`{}` and `{other}` both become the Rust field `{rust}`",
                        m.name
                    ),
                );
                continue;
            }
            let Some(ty) = self.resolve_type(raw, file, &format!("{path}.type"), &m.ty) else {
                continue;
            };
            let appender = self.appender(file, &path, base, m, &rust, &ty);
            out.push(Field {
                wire_name: m.name.clone(),
                rust_name: rust,
                ty,
                optional: optional(m),
                in_request: Presence::request(m),
                in_response: Presence::response(m),
                appender,
                sensitive: m.sensitive,
                doc: if m.doc.trim().is_empty() {
                    format!("The `{}` value.", m.name)
                } else {
                    m.doc.clone()
                },
                example: m.example.clone(),
            });
        }
        out
    }

    /// The appending builder method of a list input member: its `rust_singular`, else derived.
    fn appender(
        &mut self,
        file: &str,
        path: &str,
        base: &str,
        m: &MemberSpec,
        rust: &str,
        ty: &Type,
    ) -> Option<String> {
        let is_list_input = base == "input" && matches!(ty, Type::List(_));
        match &m.rust_singular {
            Some(_) if !is_list_input => {
                self.fail(
                    file,
                    format!("{path}.rust_singular"),
                    "only list members of an action's input have an appending setter",
                );
                None
            }
            Some(one) if !names::is_snake_case(one) || names::escape(one) != *one => {
                self.fail(
                    file,
                    format!("{path}.rust_singular"),
                    format!("`{one}` is not a snake_case identifier that is not a keyword"),
                );
                None
            }
            Some(one) => Some(one.clone()),
            None => is_list_input.then(|| names::appender(rust)),
        }
    }

    /// Checks that a member's type names only existing models.
    fn resolve_type(&mut self, raw: &RawSpec, file: &str, path: &str, ty: &Type) -> Option<Type> {
        // Text that is not the type syntax reads as a model name; it must name a model file.
        let problem = match ty.model() {
            Some(name) if !names::is_upper_camel(name) => {
                format!(
                    "unknown type `{name}` (expected string, bool, i64, u64, f64, list<T> or a model name)"
                )
            }
            Some(name) if !raw.models.contains_key(name) => {
                format!("unknown model `{name}` (no models/{name}.json)")
            }
            _ => return Some(ty.clone()),
        };
        self.fail(file, path, problem);
        None
    }
}

/// The wire names of the members the service has switched off.
fn example(e: &spec::ExampleSpec) -> Example {
    Example {
        title: e.title.clone(),
        request: e.request.clone(),
        response: e.response.clone(),
        notes: e.notes.clone(),
    }
}

fn disabled(members: &[MemberSpec]) -> Vec<String> {
    members
        .iter()
        .filter(|m| m.disabled)
        .map(|m| m.name.clone())
        .collect()
}

/// True when a member of `members`, or of a model they reach, is `sensitive`.
/// Switched-off members count: the service may still send them.
fn holds_secret(raw: &RawSpec, members: &[MemberSpec]) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![members];
    while let Some(members) = stack.pop() {
        for m in members {
            if m.sensitive {
                return true;
            }
            let Some(name) = m.ty.model() else { continue };
            if seen.insert(name)
                && let Some(fields) = raw
                    .models
                    .get(name)
                    .and_then(|model| model.value.fields.as_deref())
            {
                stack.push(fields);
            }
        }
    }
    false
}

/// Which models are reachable from action inputs and from action outputs.
fn model_usage(raw: &RawSpec) -> BTreeMap<&str, Usage> {
    let mut usage: BTreeMap<&str, Usage> = BTreeMap::new();
    for action in raw.actions.values() {
        for (members, is_input) in [(&action.value.input, true), (&action.value.output, false)] {
            let mut stack: Vec<&str> = members.iter().filter_map(|m| m.ty.model()).collect();
            while let Some(name) = stack.pop() {
                let Some((key, model)) = raw.models.get_key_value(name) else {
                    continue;
                };
                let entry = usage.entry(key.as_str()).or_default();
                let seen = if is_input {
                    &mut entry.input
                } else {
                    &mut entry.output
                };
                if *seen {
                    continue;
                }
                *seen = true;
                if let Some(fields) = &model.value.fields {
                    stack.extend(fields.iter().filter_map(|m| m.ty.model()));
                }
            }
        }
    }
    usage
}
