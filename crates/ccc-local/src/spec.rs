//! The API description the emulator answers from, and request checking driven by it.
//!
//! `build.rs` loads `api-spec/ccc/2020-02-10` with the code generator's loader
//! (`codegen::load::load`) and writes a compact JSON of every action (name,
//! rate limit, input and output members with wire name, type and
//! requiredness, example responses) and model. That JSON is embedded in the
//! binary and parsed once, on first use, so the emulator needs no spec files
//! at run time and changes whenever the spec does.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::Value;

use crate::error::ApiError;

const EMBEDDED: &str = include_str!(concat!(env!("OUT_DIR"), "/ccc-spec.json"));

/// One service version as the emulator sees it.
#[derive(Debug, Clone, Deserialize)]
pub struct Spec {
    /// Service short name, e.g. `ccc`: the credential scope's service.
    pub service: String,
    /// API version expected in `X-TC-Version`, e.g. `2020-02-10`.
    pub version: String,
    /// The actions, sorted by name.
    pub actions: Vec<ActionDef>,
    /// The models, sorted by name.
    pub models: Vec<ModelDef>,
    /// Every error code of the service's catalogues.
    pub error_codes: Vec<String>,
}

/// One action.
#[derive(Debug, Clone, Deserialize)]
pub struct ActionDef {
    /// Wire name, as sent in `X-TC-Action`.
    pub name: String,
    /// The documented per-application limit, in calls per second.
    pub rate_limit_per_second: u32,
    /// The action's own error codes, as the spec lists them.
    #[serde(default)]
    pub errors: Vec<String>,
    /// Request parameters.
    pub input: Vec<MemberDef>,
    /// Response fields.
    pub output: Vec<MemberDef>,
    /// The spec's example calls.
    pub examples: Vec<ExampleDef>,
}

/// One example call of the spec.
#[derive(Debug, Clone, Deserialize)]
pub struct ExampleDef {
    /// The request body.
    pub request: Value,
    /// The `Response` object of the answer.
    pub response: Value,
    /// Where the example disagrees with the definition (for example a number
    /// sent as a string), as the spec records it.
    #[serde(default)]
    pub notes: Option<String>,
}

/// A request parameter, response field or model field.
#[derive(Debug, Clone, Deserialize)]
pub struct MemberDef {
    /// Wire name.
    pub name: String,
    /// Spec type: `string`, `bool`, `i64`, `u64`, `f64`, `list<T>` or a model name.
    #[serde(rename = "type")]
    pub ty: String,
    /// Input: the caller must send it.
    pub required: bool,
    /// Output: the service always sends it.
    pub output_required: bool,
    /// Output: the service may send `null`.
    pub nullable: bool,
    /// The service has switched the member off: it is accepted and ignored
    /// (never required, never type-checked), so old callers keep working.
    #[serde(default)]
    pub disabled: bool,
}

/// A structure or an integer enumeration.
#[derive(Debug, Clone, Deserialize)]
pub struct ModelDef {
    /// Model name.
    pub name: String,
    /// The fields of a structure.
    pub fields: Option<Vec<MemberDef>>,
    /// The integer type and known values of an enumeration.
    pub int_enum: Option<IntEnumDef>,
}

/// An integer enumeration.
#[derive(Debug, Clone, Deserialize)]
pub struct IntEnumDef {
    /// `i64` or `u64`.
    #[serde(rename = "type")]
    pub ty: String,
    /// The known values.
    pub values: Vec<i64>,
    /// The names of the known values, in the order of `values` (e.g. `Running`).
    #[serde(default)]
    pub names: Vec<String>,
}

impl ActionDef {
    /// The first of `preferred` that the action's `errors` list, else `fallback`:
    /// how the emulator picks among the codes the spec documents for an action.
    pub fn error_code<'a>(&'a self, preferred: &[&'a str], fallback: &'a str) -> &'a str {
        preferred
            .iter()
            .copied()
            .find(|code| self.errors.iter().any(|e| e == code))
            .unwrap_or(fallback)
    }
}

/// Which side of the wire a value is checked for: request parameters honour
/// `required`, stored data (seed files) honours `output_required` and `nullable`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Input,
    Output,
}

impl Spec {
    /// The CCC 2020-02-10 spec embedded at build time.
    pub fn ccc() -> &'static Spec {
        static SPEC: OnceLock<Spec> = OnceLock::new();
        SPEC.get_or_init(|| {
            serde_json::from_str(EMBEDDED).expect("build.rs writes a valid compact spec")
        })
    }

    /// The action called `name`, if the spec has it.
    pub fn action(&self, name: &str) -> Option<&ActionDef> {
        self.actions.iter().find(|a| a.name == name)
    }

    /// The model called `name`, if the spec has it.
    pub fn model(&self, name: &str) -> Option<&ModelDef> {
        self.models.iter().find(|m| m.name == name)
    }

    /// The spec's name of `value` in the integer enumeration `model`
    /// (`Running` for 1 in `AutoCalloutTaskState`), if it has one.
    pub fn enum_name(&self, model: &str, value: i64) -> Option<&str> {
        let int_enum = self.model(model)?.int_enum.as_ref()?;
        let index = int_enum.values.iter().position(|v| *v == value)?;
        int_enum.names.get(index).map(String::as_str)
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
        self.check_members(&action.input, object, "", Side::Input)
    }

    /// Checks one stored object (a seed task, say) against a model's fields as
    /// the service would send it: `output_required` fields present, `null`
    /// only where `nullable`, every value of its type.
    pub fn validate_output_model(&self, model: &str, value: &Value) -> Result<(), ApiError> {
        self.check_value(model, value, "", Side::Output)
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
        self.check_members(&action.output, object, "", Side::Output)
    }

    fn check_members(
        &self,
        members: &[MemberDef],
        object: &serde_json::Map<String, Value>,
        prefix: &str,
        side: Side,
    ) -> Result<(), ApiError> {
        let known: BTreeMap<&str, &MemberDef> =
            members.iter().map(|m| (m.name.as_str(), m)).collect();
        for key in object.keys() {
            if !known.contains_key(key.as_str()) {
                return Err(ApiError::new(
                    "UnknownParameter",
                    format!("The parameter `{prefix}{key}` is not recognized."),
                ));
            }
        }
        for member in members {
            if member.disabled {
                continue;
            }
            let path = format!("{prefix}{}", member.name);
            let required = match side {
                Side::Input => member.required,
                Side::Output => member.output_required,
            };
            match object.get(&member.name) {
                None if required => {
                    return Err(ApiError::new(
                        "MissingParameter",
                        format!("The request is missing a required parameter `{path}`."),
                    ));
                }
                None => {}
                Some(Value::Null) => {
                    let null_ok = match side {
                        Side::Input => !member.required,
                        Side::Output => member.nullable || !member.output_required,
                    };
                    if !null_ok {
                        return Err(ApiError::new(
                            "MissingParameter",
                            format!("The request is missing a required parameter `{path}`."),
                        ));
                    }
                }
                Some(value) => self.check_value(&member.ty, value, &path, side)?,
            }
        }
        Ok(())
    }

    fn check_value(&self, ty: &str, value: &Value, path: &str, side: Side) -> Result<(), ApiError> {
        let wrong_type = |expected: &str| {
            ApiError::new(
                "InvalidParameter",
                format!(
                    "The value type of parameter `{path}` is wrong: expected {expected}, got {}.",
                    kind(value)
                ),
            )
        };
        if let Some(inner) = ty.strip_prefix("list<").and_then(|t| t.strip_suffix('>')) {
            let Some(items) = value.as_array() else {
                return Err(wrong_type("a list"));
            };
            for (index, item) in items.iter().enumerate() {
                self.check_value(inner, item, &format!("{path}.{index}"), side)?;
            }
            return Ok(());
        }
        match ty {
            "string" => value
                .is_string()
                .then_some(())
                .ok_or_else(|| wrong_type("a string")),
            "bool" => value
                .is_boolean()
                .then_some(())
                .ok_or_else(|| wrong_type("a boolean")),
            "f64" => value
                .is_number()
                .then_some(())
                .ok_or_else(|| wrong_type("a number")),
            "i64" | "u64" => check_integer(ty, value, path).map(|_| ()),
            model => {
                let Some(def) = self.model(model) else {
                    // build.rs only embeds a spec the loader accepted; an
                    // unknown type here means the spec names a model it lacks.
                    return Err(ApiError::new(
                        "InternalError",
                        format!("The spec has no type `{model}`."),
                    ));
                };
                if let Some(fields) = &def.fields {
                    let Some(object) = value.as_object() else {
                        return Err(wrong_type("an object"));
                    };
                    let prefix = if path.is_empty() {
                        String::new()
                    } else {
                        format!("{path}.")
                    };
                    self.check_members(fields, object, &prefix, side)
                } else if let Some(int_enum) = &def.int_enum {
                    let number = check_integer(&int_enum.ty, value, path)?;
                    if int_enum.values.iter().any(|v| i128::from(*v) == number) {
                        Ok(())
                    } else {
                        Err(ApiError::new(
                            "InvalidParameterValue",
                            format!(
                                "The value {number} of parameter `{path}` is not one of {:?}.",
                                int_enum.values
                            ),
                        ))
                    }
                } else {
                    Ok(())
                }
            }
        }
    }
}

/// Checks that `value` is an integer of type `ty` (`i64` or `u64`) and returns it.
fn check_integer(ty: &str, value: &Value, path: &str) -> Result<i128, ApiError> {
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
            format!("The value {number} of parameter `{path}` is out of range for {ty}."),
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
    let in_range = match ty {
        "u64" => parsed >= 0 && parsed <= i128::from(u64::MAX),
        _ => parsed >= i128::from(i64::MIN) && parsed <= i128::from(i64::MAX),
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
        assert!(action.input.iter().all(|m| m.required));
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
