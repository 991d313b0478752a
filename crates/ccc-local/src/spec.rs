//! The API description the emulator answers from, and request checking driven by it.
//!
//! `cargo xtask gen` writes the description, from the same IR the SDK is
//! generated from, into `spec/table.rs`: a `static` of the types below, with
//! member types resolved and each member's presence rules (may it be absent,
//! may it be `null`, in a request and in an answer) decided by the generator.
//! The emulator needs neither the spec files nor the generator, and the table
//! changes whenever the spec does (`cargo xtask gen --check` keeps it current).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use serde_json::Value;

use crate::error::ApiError;

mod table;

/// One service version as the emulator sees it.
#[derive(Debug)]
pub struct Spec {
    /// Service short name, e.g. `ccc`: the credential scope's service.
    pub service: &'static str,
    /// API version expected in `X-TC-Version`, e.g. `2020-02-10`.
    pub version: &'static str,
    /// The actions, sorted by name.
    pub actions: &'static [ActionDef],
    /// The models, sorted by name.
    pub models: &'static [ModelDef],
    /// Every error code of the service's catalogues, sorted.
    pub error_codes: &'static [&'static str],
}

/// One action.
#[derive(Debug, Clone)]
pub struct ActionDef {
    /// Wire name, as sent in `X-TC-Action`.
    pub name: &'static str,
    /// The documented per-application limit, in calls per second.
    pub rate_limit_per_second: u32,
    /// The action changes nothing.
    pub read_only: bool,
    /// The action's own error codes, as the spec lists them.
    pub errors: &'static [&'static str],
    /// Request parameters.
    pub input: &'static [MemberDef],
    /// Response fields.
    pub output: &'static [MemberDef],
    /// Request parameters the service has switched off: accepted and ignored
    /// (never required, never type-checked), so old callers keep working.
    pub disabled_input: &'static [&'static str],
    /// Response fields the service has switched off.
    pub disabled_output: &'static [&'static str],
    /// The spec's example calls.
    pub examples: &'static [ExampleDef],
}

/// One example call of the spec.
#[derive(Debug, Clone)]
pub struct ExampleDef {
    /// The request body.
    pub request: Json,
    /// The `Response` object of the answer.
    pub response: Json,
    /// Where the example disagrees with the definition (for example a number
    /// sent as a string), as the spec records it.
    pub notes: Option<&'static str>,
}

/// A JSON value kept as text in the table and parsed on first use.
#[derive(Debug, Clone, Copy)]
pub struct Json(&'static str);

impl Json {
    /// `text` is JSON the generator wrote with `serde_json`.
    pub const fn new(text: &'static str) -> Self {
        Json(text)
    }

    /// The parsed value (`null` if the text were not JSON, which the generator never
    /// writes). Each text is parsed once; the table is finite, so the cache is bounded.
    pub fn value(&self) -> &'static Value {
        static PARSED: OnceLock<Mutex<HashMap<usize, &'static Value>>> = OnceLock::new();
        let mut parsed = PARSED
            .get_or_init(Mutex::default)
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let text = self.0;
        parsed.entry(text.as_ptr() as usize).or_insert_with(|| {
            Box::leak(Box::new(serde_json::from_str(text).unwrap_or(Value::Null)))
        })
    }
}

/// A request parameter, response field or model field.
#[derive(Debug, Clone, Copy)]
pub struct MemberDef {
    /// Wire name.
    pub name: &'static str,
    /// Resolved type.
    pub ty: Ty,
    /// What a request may do with it.
    pub in_request: Presence,
    /// What an answer (or stored data) may do with it.
    pub in_response: Presence,
}

/// A member type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// JSON string.
    String,
    /// JSON boolean.
    Bool,
    /// Signed 64-bit integer.
    I64,
    /// Unsigned 64-bit integer.
    U64,
    /// Any JSON number.
    F64,
    /// A list of the inner type.
    List(&'static Ty),
    /// A model, by name.
    Model(&'static str),
}

/// Whether a member may be absent, or `null`, on one side of the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Presence {
    /// The member may be left out.
    pub may_be_absent: bool,
    /// The member may be `null`.
    pub may_be_null: bool,
}

impl Presence {
    /// Must be present with a value.
    pub const REQUIRED: Presence = Presence {
        may_be_absent: false,
        may_be_null: false,
    };
    /// Must be present, may be `null`.
    pub const NULLABLE: Presence = Presence {
        may_be_absent: false,
        may_be_null: true,
    };
    /// May be absent or `null`.
    pub const OPTIONAL: Presence = Presence {
        may_be_absent: true,
        may_be_null: true,
    };
    /// May be absent, but not `null`.
    pub const ABSENT_OR_VALUE: Presence = Presence {
        may_be_absent: true,
        may_be_null: false,
    };
}

/// A structure or an integer enumeration.
#[derive(Debug)]
pub struct ModelDef {
    /// Model name.
    pub name: &'static str,
    /// What it is.
    pub kind: ModelKind,
}

/// What a model is.
#[derive(Debug)]
pub enum ModelKind {
    /// A JSON object.
    Struct {
        /// Its fields.
        fields: &'static [MemberDef],
        /// Fields the service has switched off: accepted and ignored.
        disabled: &'static [&'static str],
    },
    /// An integer with named values.
    IntEnum {
        /// `i64` rather than `u64`.
        signed: bool,
        /// The known values and their names (`(1, "Running")`).
        values: &'static [(i64, &'static str)],
    },
}

impl ActionDef {
    /// The first of `preferred` that the action's `errors` list, else `fallback`:
    /// how the emulator picks among the codes the spec documents for an action.
    pub fn error_code<'a>(&'a self, preferred: &[&'a str], fallback: &'a str) -> &'a str {
        preferred
            .iter()
            .copied()
            .find(|code| self.errors.contains(code))
            .unwrap_or(fallback)
    }
}

/// Which side of the wire a value is checked for: request parameters, or
/// answers and stored data (seed files).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Input,
    Output,
}

impl Spec {
    /// The CCC 2020-02-10 spec, as generated into the table.
    pub fn ccc() -> &'static Spec {
        &table::SPEC
    }

    /// The action called `name`, if the spec has it.
    pub fn action(&self, name: &str) -> Option<&ActionDef> {
        let index = self.actions.binary_search_by(|a| a.name.cmp(name)).ok()?;
        self.actions.get(index)
    }

    /// The model called `name`, if the spec has it.
    pub fn model(&self, name: &str) -> Option<&ModelDef> {
        let index = self.models.binary_search_by(|m| m.name.cmp(name)).ok()?;
        self.models.get(index)
    }

    /// The spec's name of `value` in the integer enumeration `model`
    /// (`Running` for 1 in `AutoCalloutTaskState`), if it has one.
    pub fn enum_name(&self, model: &str, value: i64) -> Option<&'static str> {
        let ModelKind::IntEnum { values, .. } = self.model(model)?.kind else {
            return None;
        };
        values
            .iter()
            .find(|(v, _)| *v == value)
            .map(|(_, name)| *name)
    }

    /// Checks a request body against the action's input members.
    ///
    /// In order: the body must be a JSON object; a key the spec does not list
    /// is `UnknownParameter`; a required member that is absent or `null` is
    /// `MissingParameter`; a value of the wrong JSON type (a string for an
    /// integer, a fraction for an integer) is `InvalidParameter`; a number of
    /// the right kind outside the type's range (a negative `u64`), or an
    /// enumeration value the spec does not know, is `InvalidParameterValue`.
    /// Every message names the parameter, with its path inside lists and
    /// structures (`Filters.0.Name`).
    pub fn validate_input(&self, action: &ActionDef, body: &Value) -> Result<(), ApiError> {
        let Some(object) = body.as_object() else {
            return Err(ApiError::new(
                "InvalidParameter",
                "The request body must be a JSON object.",
            ));
        };
        self.check_members(action.input, action.disabled_input, object, "", Side::Input)
    }

    /// Checks one stored object (a seed task, say) against a model's fields as
    /// the service would send it: `output_required` fields present, `null`
    /// only where `nullable`, every value of its type.
    pub fn validate_output_model(
        &self,
        model: &'static str,
        value: &Value,
    ) -> Result<(), ApiError> {
        self.check_value(Ty::Model(model), value, "", Side::Output)
    }

    /// Checks a `Response` object (without `Error`) against the action's output
    /// members, as [`Spec::validate_output_model`] checks a model: for tests
    /// that the emulator's answers fit the spec.
    pub fn validate_output(&self, action: &ActionDef, response: &Value) -> Result<(), ApiError> {
        let Some(object) = response.as_object() else {
            return Err(ApiError::new(
                "InvalidParameter",
                "The response must be a JSON object.",
            ));
        };
        self.check_members(
            action.output,
            action.disabled_output,
            object,
            "",
            Side::Output,
        )
    }

    fn check_members(
        &self,
        members: &[MemberDef],
        disabled: &[&str],
        object: &serde_json::Map<String, Value>,
        prefix: &str,
        side: Side,
    ) -> Result<(), ApiError> {
        for key in object.keys() {
            if !members.iter().any(|m| m.name == key) && !disabled.contains(&key.as_str()) {
                return Err(ApiError::new(
                    "UnknownParameter",
                    format!("The parameter `{prefix}{key}` is not recognized."),
                ));
            }
        }
        for member in members {
            let path = format!("{prefix}{}", member.name);
            let presence = match side {
                Side::Input => member.in_request,
                Side::Output => member.in_response,
            };
            let missing = match object.get(member.name) {
                None => !presence.may_be_absent,
                Some(Value::Null) => !presence.may_be_null,
                Some(value) => {
                    self.check_value(member.ty, value, &path, side)?;
                    false
                }
            };
            if missing {
                return Err(ApiError::new(
                    "MissingParameter",
                    format!("The request is missing a required parameter `{path}`."),
                ));
            }
        }
        Ok(())
    }

    fn check_value(&self, ty: Ty, value: &Value, path: &str, side: Side) -> Result<(), ApiError> {
        let wrong_type = |expected: &str| {
            ApiError::new(
                "InvalidParameter",
                format!(
                    "The value type of parameter `{path}` is wrong: expected {expected}, got {}.",
                    kind(value)
                ),
            )
        };
        let expect = |ok: bool, expected: &str| {
            if ok {
                Ok(())
            } else {
                Err(wrong_type(expected))
            }
        };
        match ty {
            Ty::List(inner) => {
                let Some(items) = value.as_array() else {
                    return Err(wrong_type("a list"));
                };
                for (index, item) in items.iter().enumerate() {
                    self.check_value(*inner, item, &format!("{path}.{index}"), side)?;
                }
                Ok(())
            }
            Ty::String => expect(value.is_string(), "a string"),
            Ty::Bool => expect(value.is_boolean(), "a boolean"),
            Ty::F64 => expect(value.is_number(), "a number"),
            Ty::I64 | Ty::U64 => check_integer(ty == Ty::I64, value, path).map(|_| ()),
            Ty::Model(model) => {
                let Some(def) = self.model(model) else {
                    // The generator only writes a table whose types resolve.
                    return Err(ApiError::new(
                        "InternalError",
                        format!("The spec has no type `{model}`."),
                    ));
                };
                match def.kind {
                    ModelKind::Struct { fields, disabled } => {
                        let Some(object) = value.as_object() else {
                            return Err(wrong_type("an object"));
                        };
                        let prefix = if path.is_empty() {
                            String::new()
                        } else {
                            format!("{path}.")
                        };
                        self.check_members(fields, disabled, object, &prefix, side)
                    }
                    ModelKind::IntEnum { signed, values } => {
                        let number = check_integer(signed, value, path)?;
                        if values.iter().any(|(v, _)| i128::from(*v) == number) {
                            Ok(())
                        } else {
                            let known: Vec<i64> = values.iter().map(|(v, _)| *v).collect();
                            Err(ApiError::new(
                                "InvalidParameterValue",
                                format!(
                                    "The value {number} of parameter `{path}` is not one of {known:?}."
                                ),
                            ))
                        }
                    }
                }
            }
        }
    }
}

/// Checks that `value` is an integer of type `i64` (`signed`) or `u64` and returns it.
fn check_integer(signed: bool, value: &Value, path: &str) -> Result<i128, ApiError> {
    let Value::Number(number) = value else {
        return Err(ApiError::new(
            "InvalidParameter",
            format!(
                "The value type of parameter `{path}` is wrong: expected an integer, got {}.",
                kind(value)
            ),
        ));
    };
    let out_of_range = || {
        ApiError::new(
            "InvalidParameterValue",
            format!(
                "The value {number} of parameter `{path}` is out of range for {}.",
                if signed { "i64" } else { "u64" }
            ),
        )
    };
    let parsed = if let Some(n) = number.as_u64() {
        i128::from(n)
    } else if let Some(n) = number.as_i64() {
        i128::from(n)
    } else {
        // A float: a fraction is the wrong type; a whole number this large is out of range.
        let f = number.as_f64().unwrap_or(f64::NAN);
        if f.fract() != 0.0 || !f.is_finite() {
            return Err(ApiError::new(
                "InvalidParameter",
                format!(
                    "The value type of parameter `{path}` is wrong: expected an integer, got {number}."
                ),
            ));
        }
        return Err(out_of_range());
    };
    let in_range = if signed {
        parsed >= i128::from(i64::MIN) && parsed <= i128::from(i64::MAX)
    } else {
        parsed >= 0 && parsed <= i128::from(u64::MAX)
    };
    if in_range {
        Ok(parsed)
    } else {
        Err(out_of_range())
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(body: Value) -> Result<(), ApiError> {
        let spec = Spec::ccc();
        spec.validate_input(spec.action("DescribeAutoCalloutTasks").unwrap(), &body)
    }

    #[test]
    fn embedded_spec_has_the_action() {
        let spec = Spec::ccc();
        assert_eq!(spec.service, "ccc");
        assert_eq!(spec.version, "2020-02-10");
        let action = spec.action("DescribeAutoCalloutTasks").unwrap();
        assert_eq!(action.rate_limit_per_second, 20);
        assert!(
            action
                .input
                .iter()
                .all(|m| m.in_request == Presence::REQUIRED)
        );
        assert!(!action.examples.is_empty());
    }

    #[test]
    fn valid_input_passes() {
        check(json!({"SdkAppId": 1, "PageSize": 10, "PageNumber": 0})).unwrap();
    }

    #[test]
    fn each_failure_names_the_parameter() {
        let e = check(json!({"SdkAppId": 1, "PageSize": 10})).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.contains("`PageNumber`")),
            ("MissingParameter", true)
        );
        let e =
            check(json!({"SdkAppId": 1, "PageSize": 10, "PageNumber": 0, "Foo": 1})).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.contains("`Foo`")),
            ("UnknownParameter", true)
        );
        let e = check(json!({"SdkAppId": "1", "PageSize": 10, "PageNumber": 0})).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.contains("`SdkAppId`")),
            ("InvalidParameter", true)
        );
        let e = check(json!({"SdkAppId": 1, "PageSize": 1.5, "PageNumber": 0})).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.contains("`PageSize`")),
            ("InvalidParameter", true)
        );
        let e = check(json!({"SdkAppId": 1, "PageSize": 10, "PageNumber": -1})).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message.contains("`PageNumber`")),
            ("InvalidParameterValue", true)
        );
        let e = check(json!({"SdkAppId": 1e30, "PageSize": 10, "PageNumber": 0})).unwrap_err();
        assert_eq!(e.code, "InvalidParameterValue");
        let e = check(json!([1])).unwrap_err();
        assert_eq!(e.code, "InvalidParameter");
        let e = check(json!({"SdkAppId": null, "PageSize": 10, "PageNumber": 0})).unwrap_err();
        assert_eq!(e.code, "MissingParameter");
    }

    #[test]
    fn output_models_are_checked() {
        let spec = Spec::ccc();
        let task = json!({
            "TaskId": 1, "Name": "n", "CalleeCount": 1, "Callers": ["1"], "NotBefore": 0,
            "NotAfter": null, "IvrId": 1, "State": 2
        });
        spec.validate_output_model("AutoCalloutTaskInfo", &task)
            .unwrap();
        let mut bad = task.clone();
        bad["State"] = json!(9);
        assert_eq!(
            spec.validate_output_model("AutoCalloutTaskInfo", &bad)
                .unwrap_err()
                .code,
            "InvalidParameterValue"
        );
        let mut bad = task;
        bad.as_object_mut().unwrap().remove("Name");
        assert_eq!(
            spec.validate_output_model("AutoCalloutTaskInfo", &bad)
                .unwrap_err()
                .code,
            "MissingParameter"
        );
    }
}
