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
use crate::spec::{ActionSpec, MemberSpec, ModelSpec, PaginationSpec};

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
    /// Error codes the action documents (beyond the common ones).
    pub errors: Vec<String>,
    /// Pagination members, if the action pages.
    pub pagination: Option<PaginationSpec>,
    /// Request parameters.
    pub input: Vec<Field>,
    /// Response fields, `RequestId` included.
    pub output: Vec<Field>,
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
    /// `Option<T>` in Rust: absent or null is allowed.
    pub optional: bool,
    /// Description.
    pub doc: String,
}

/// A member type; the spec's own, whose model names lowering has checked.
pub use crate::spec::Type;

/// Type names the generated crate defines itself, which models and actions must not reuse.
const RESERVED_TYPE_NAMES: &[&str] = &["Client", "Error", "ErrorCode", "Result", "Stub"];

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
    let known_codes: BTreeSet<&str> = error_codes.iter().map(|c| c.code.as_str()).collect();
    let usage = model_usage(raw);

    let mut type_names: BTreeMap<String, String> = BTreeMap::new();
    let mut models = Vec::new();
    for (name, model) in &raw.models {
        cx.claim_type_name(&mut type_names, name, &model.file, name.clone());
        let usage = usage.get(name.as_str()).copied().unwrap_or(Usage { input: true, output: true });
        if let Some(m) = cx.model(raw, name, model, usage) {
            models.push(m);
        }
    }

    let mut methods: BTreeMap<String, String> = BTreeMap::new();
    let mut actions = Vec::new();
    for (name, action) in &raw.actions {
        for suffix in ["Request", "Response", "Builder"] {
            cx.claim_type_name(&mut type_names, &format!("{name}{suffix}"), &action.file, name.clone());
        }
        if let Some(a) = cx.action(raw, name, action, &known_codes, &mut methods) {
            actions.push(a);
        }
    }

    if cx.errors.is_empty() {
        Ok(Api { service, actions, models, error_codes })
    } else {
        Err(SpecErrors(cx.errors))
    }
}

struct Lowering {
    errors: Vec<SpecError>,
}

impl Lowering {
    fn fail(&mut self, file: &str, path: impl Into<String>, message: impl Into<String>) {
        self.errors.push(SpecError { file: file.to_owned(), path: path.into(), message: message.into() });
    }

    fn service(&mut self, raw: &RawSpec) -> Service {
        let s = &raw.service;
        if !names::is_identifier(&s.value.service) || s.value.service.to_ascii_lowercase() != s.value.service {
            self.fail(&s.file, "service", format!("`{}` is not a lowercase service name", s.value.service));
        }
        if !raw.dir.ends_with(&format!("{}/{}", s.value.service, s.value.version)) {
            self.fail(
                &s.file,
                ".",
                format!("service `{}` version `{}` must live in `<spec root>/{}/{}`", s.value.service, s.value.version, s.value.service, s.value.version),
            );
        }
        Service {
            name: s.value.service.clone(),
            version: s.value.version.clone(),
            host: s.value.host.clone(),
            title: s.value.title.clone(),
            doc: s.value.doc.clone(),
            spec_dir: raw.dir.clone(),
        }
    }

    fn error_codes(&mut self, raw: &RawSpec) -> Vec<ErrorCode> {
        let mut by_code: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
        let mut by_variant: BTreeMap<String, String> = BTreeMap::new();
        for catalog in &raw.error_catalogs {
            for (code, spec) in &catalog.value.codes {
                let path = format!("codes.{code}");
                if let Some((first_file, _)) = by_code.get(code.as_str()) {
                    self.fail(&catalog.file, path, format!("error code `{code}` is already declared in {first_file}"));
                    continue;
                }
                if code.is_empty() || !code.split('.').all(names::is_identifier) {
                    self.fail(&catalog.file, path, format!("`{code}` is not an error code (dot-separated identifiers)"));
                    continue;
                }
                let variant = names::camel_from_code(code);
                if variant == "Unknown" {
                    self.fail(&catalog.file, path, "`Unknown` is reserved for codes this SDK does not know");
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
            .map(|(code, (_, doc))| ErrorCode { code: code.to_owned(), variant: names::camel_from_code(code), doc: doc.to_owned() })
            .collect()
    }

    fn claim_type_name(&mut self, claimed: &mut BTreeMap<String, String>, type_name: &str, file: &str, owner: String) {
        if RESERVED_TYPE_NAMES.contains(&type_name) {
            self.fail(file, ".", format!("`{type_name}` is a type name the generated crate reserves"));
        } else if let Some(previous) = claimed.insert(type_name.to_owned(), owner.clone()) {
            self.fail(file, ".", format!("type name `{type_name}` of `{owner}` is already used by `{previous}`"));
        }
    }

    fn model(&mut self, raw: &RawSpec, name: &str, model: &Located<ModelSpec>, usage: Usage) -> Option<Model> {
        let file = &model.file;
        if !names::is_upper_camel(name) {
            self.fail(file, ".", format!("model name `{name}` (the file name) must be an UpperCamelCase identifier"));
            return None;
        }
        if model.value.doc.trim().is_empty() {
            self.fail(file, "doc", "write a doc: what the model represents, in English");
        }
        let kind = match (&model.value.fields, &model.value.int_enum) {
            (Some(fields), None) => ModelKind::Struct(self.fields(raw, file, "fields", fields, |m| member_optional(m, usage))),
            (None, Some(int_enum)) => {
                let signed = match int_enum.ty.as_str() {
                    "i64" => true,
                    "u64" => false,
                    other => {
                        self.fail(file, "int_enum.type", format!("unknown enum type `{other}` (expected `i64` or `u64`)"));
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
                        self.fail(file, format!("{path}.name"), format!("duplicate variant name `{}`", v.name));
                    }
                    if !signed && v.value < 0 {
                        self.fail(file, format!("{path}.value"), format!("{} is negative but the enum is `u64`", v.value));
                    }
                    if !seen_values.insert(v.value) {
                        self.fail(file, format!("{path}.value"), format!("duplicate value {}", v.value));
                    }
                    values.push(EnumValue { value: v.value, name: v.name.clone(), doc: v.doc.clone() });
                }
                ModelKind::IntEnum { signed, values }
            }
            _ => {
                self.fail(file, ".", "a model has exactly one of `fields` and `int_enum`");
                return None;
            }
        };
        Some(Model {
            name: name.to_owned(),
            doc: model.value.doc.clone(),
            kind,
            in_requests: usage.input,
            in_responses: usage.output,
        })
    }

    fn action(
        &mut self,
        raw: &RawSpec,
        name: &str,
        action: &Located<ActionSpec>,
        known_codes: &BTreeSet<&str>,
        methods: &mut BTreeMap<String, String>,
    ) -> Option<Action> {
        let file = &action.file;
        let spec = &action.value;
        if !names::is_upper_camel(name) {
            self.fail(file, ".", format!("action name `{name}` (the file name) must be an UpperCamelCase identifier"));
            return None;
        }
        let method = match &spec.rust_name {
            Some(rust) if names::is_snake_case(rust) => rust.clone(),
            Some(rust) => {
                self.fail(file, "rust_name", format!("`{rust}` is not a snake_case identifier"));
                return None;
            }
            None => {
                let derived = names::snake(name);
                if names::has_split_acronym(&derived) {
                    self.fail(file, ".", format!("derived method name `{derived}` splits an acronym; set `rust_name`"));
                }
                derived
            }
        };
        if names::escape(&method) != method {
            // A keyword would need `r#` at every call site and in the module name; ask for another name.
            let path = if spec.rust_name.is_some() { "rust_name" } else { "." };
            self.fail(file, path, format!("method name `{method}` is a Rust keyword; set another `rust_name`"));
        }
        if let Some(previous) = methods.insert(method.clone(), name.to_owned()) {
            self.fail(file, ".", format!("method name `{method}` is already used by action `{previous}`"));
        }
        if spec.doc.trim().is_empty() {
            self.fail(file, "doc", "write a doc: what the action does, in English");
        }
        if spec.rate_limit_per_second == 0 {
            self.fail(file, "rate_limit_per_second", "must be at least 1");
        }
        for (i, code) in spec.errors.iter().enumerate() {
            if !known_codes.contains(code.as_str()) {
                self.fail(file, format!("errors[{i}]"), format!("error code `{code}` is in no error catalogue"));
            }
        }
        if spec.examples.is_empty() {
            self.fail(file, "examples", "an action needs at least one example");
        }
        let input = self.fields(raw, file, "input", &spec.input, |m| !m.required);
        let output = self.fields(raw, file, "output", &spec.output, |m| m.nullable || !m.output_required);
        match output.iter().find(|f| f.wire_name == "RequestId") {
            Some(f) if f.ty == Type::String && !f.optional => {}
            _ => self.fail(file, "output", "the output must include `RequestId`, a string with `output_required: true`"),
        }
        if let Some(p) = &spec.pagination {
            self.check_pagination(file, p, &input, &output);
        }
        Some(Action {
            name: name.to_owned(),
            method,
            doc: spec.doc.clone(),
            read_only: spec.read_only,
            rate_limit_per_second: spec.rate_limit_per_second,
            errors: spec.errors.clone(),
            pagination: spec.pagination.clone(),
            input,
            output,
        })
    }

    fn check_pagination(&mut self, file: &str, p: &PaginationSpec, input: &[Field], output: &[Field]) {
        let find = |fields: &[Field], name: &str| fields.iter().find(|f| f.wire_name == name).map(|f| f.ty.clone());
        for (key, name) in [("pagination.page", &p.page), ("pagination.size", &p.size)] {
            if !matches!(find(input, name), Some(Type::U64 | Type::I64)) {
                self.fail(file, key, format!("`{name}` is not an integer input member"));
            }
        }
        if !matches!(find(output, &p.items), Some(Type::List(_))) {
            self.fail(file, "pagination.items", format!("`{}` is not a list output member", p.items));
        }
        if !matches!(find(output, &p.total), Some(Type::U64 | Type::I64)) {
            self.fail(file, "pagination.total", format!("`{}` is not an integer output member", p.total));
        }
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
                self.fail(file, format!("{path}.name"), format!("`{}` is not an identifier", m.name));
                continue;
            }
            if !wire_seen.insert(m.name.clone()) {
                self.fail(file, format!("{path}.name"), format!("duplicate member `{}`", m.name));
                continue;
            }
            let rust = match &m.rust_name {
                Some(r) if names::is_snake_case(r) => r.clone(),
                Some(r) => {
                    self.fail(file, format!("{path}.rust_name"), format!("`{r}` is not a snake_case identifier"));
                    continue;
                }
                None => {
                    let derived = names::snake(&m.name);
                    if names::has_split_acronym(&derived) {
                        self.fail(file, format!("{path}.name"), format!("derived Rust name `{derived}` splits an acronym; set `rust_name`"));
                    }
                    derived
                }
            };
            // Compare escaped names: `Self` becomes `self_`, which a `rust_name` may also spell.
            let rust = names::escape(&rust);
            if let Some(other) = rust_seen.insert(rust.clone(), m.name.clone()) {
                self.fail(file, format!("{path}.name"), format!("`{}` and `{other}` both become the Rust field `{rust}`", m.name));
                continue;
            }
            let Some(ty) = self.resolve_type(raw, file, &format!("{path}.type"), &m.ty) else { continue };
            out.push(Field {
                wire_name: m.name.clone(),
                rust_name: rust,
                ty,
                optional: optional(m),
                doc: if m.doc.trim().is_empty() { format!("The `{}` value.", m.name) } else { m.doc.clone() },
            });
        }
        out
    }

    /// Checks that a member's type names only existing models.
    fn resolve_type(&mut self, raw: &RawSpec, file: &str, path: &str, ty: &Type) -> Option<Type> {
        // Text that is not the type syntax reads as a model name; it must name a model file.
        let problem = match ty.model() {
            Some(name) if !names::is_upper_camel(name) => {
                format!("unknown type `{name}` (expected string, bool, i64, u64, f64, list<T> or a model name)")
            }
            Some(name) if !raw.models.contains_key(name) => format!("unknown model `{name}` (no models/{name}.json)"),
            _ => return Some(ty.clone()),
        };
        self.fail(file, path, problem);
        None
    }
}

/// A model field is optional when any place that uses the model lets it be missing:
/// in a request when it is not required, in a response when it may be absent or null.
fn member_optional(m: &MemberSpec, usage: Usage) -> bool {
    (usage.input && !m.required) || (usage.output && (m.nullable || !m.output_required))
}

/// Which models are reachable from action inputs and from action outputs.
fn model_usage(raw: &RawSpec) -> BTreeMap<&str, Usage> {
    let mut usage: BTreeMap<&str, Usage> = BTreeMap::new();
    for action in raw.actions.values() {
        for (members, is_input) in [(&action.value.input, true), (&action.value.output, false)] {
            let mut stack: Vec<&str> = members.iter().filter_map(|m| m.ty.model()).collect();
            while let Some(name) = stack.pop() {
                let Some((key, model)) = raw.models.get_key_value(name) else { continue };
                let entry = usage.entry(key.as_str()).or_default();
                let seen = if is_input { &mut entry.input } else { &mut entry.output };
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
