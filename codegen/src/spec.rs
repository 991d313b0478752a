//! The on-disk spec format: what a person writes in `api-spec/`.
//!
//! These types are the one definition of the JSON files: the generator reads
//! them, `cargo xtask import-tccli` reads and writes them. They mirror the
//! files one to one and reject unknown keys, so a typo in a spec file is an
//! error rather than a silently ignored setting. Fields are declared in the
//! order the files list their keys, and examples keep their key order
//! (`serde_json`'s `preserve_order` feature, on for the workspace), so writing
//! a parsed file back reproduces it.
//! Meaning (types resolve, names are identifiers, references exist) is checked
//! later, when the spec is lowered to the IR (see [`crate::ir`]).

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `service.json`: one Tencent Cloud service at one API version.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceSpec {
    /// Editor hint pointing at the JSON Schema; ignored by the generator.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Service name as it appears in the host and the credential scope, e.g. `ccc`.
    pub service: String,
    /// API version sent in `X-TC-Version`, e.g. `2020-02-10`.
    pub version: String,
    /// Default endpoint host, e.g. `ccc.tencentcloudapi.com`.
    pub host: String,
    /// Human name of the service, used in generated docs.
    pub title: String,
    /// What the service is, in a sentence or two.
    pub doc: String,
}

/// An error catalogue file: `api-spec/common/errors.json` (codes every service
/// shares) or a service's own `errors.json`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorCatalogSpec {
    /// Editor hint pointing at the JSON Schema; ignored by the generator.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Error codes as sent in `Response.Error.Code`, each with its meaning.
    #[serde(deserialize_with = "unique_keys")]
    pub codes: BTreeMap<String, ErrorCodeSpec>,
}

/// One error code of a catalogue.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorCodeSpec {
    /// What the failure means for the caller.
    pub doc: String,
}

/// `actions/<Action>.json`: one API action. The action's wire name is the file name.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionSpec {
    /// Editor hint pointing at the JSON Schema; ignored by the generator.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// What the action does.
    pub doc: String,
    /// Snake-case Rust name of the client method, when the derived one reads badly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// True when the action only reads, so a failed attempt may be retried safely.
    pub read_only: bool,
    /// The documented per-account limit, in requests per second.
    pub rate_limit_per_second: u32,
    /// Codes the action may return besides the common ones, from the catalogues.
    #[serde(default)]
    pub errors: Vec<String>,
    /// How the action pages through results, if it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<PaginationSpec>,
    /// Request parameters, in documentation order.
    pub input: Vec<MemberSpec>,
    /// Response fields, in documentation order; must include `RequestId`.
    pub output: Vec<MemberSpec>,
    /// Example calls: at least one.
    pub examples: Vec<ExampleSpec>,
}

/// Which members drive pagination.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaginationSpec {
    /// Whether `page` counts pages or items.
    pub style: PaginationStyle,
    /// Input member holding the page number (counting from 0) or the offset.
    pub page: String,
    /// Input member holding the page size or limit.
    pub size: String,
    /// Output list holding one page of items.
    pub items: String,
    /// Output member holding the total number of items.
    pub total: String,
}

/// How the page member counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaginationStyle {
    /// `page` is a page index from 0 (`PageNumber`/`PageSize`).
    PageNumber,
    /// `page` is an item offset (`Offset`/`Limit`).
    Offset,
}

impl fmt::Display for PaginationStyle {
    /// The spec's spelling: `page_number` or `offset`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PaginationStyle::PageNumber => "page_number",
            PaginationStyle::Offset => "offset",
        })
    }
}

/// `models/<Model>.json`: a structure or an integer enumeration used by actions.
/// The model's name is the file name. Exactly one of `fields` and `int_enum` is set.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    /// Editor hint pointing at the JSON Schema; ignored by the generator.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// What the model represents.
    pub doc: String,
    /// The members of a structure, in documentation order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<MemberSpec>>,
    /// An integer whose known values have names; unknown values are kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub int_enum: Option<IntEnumSpec>,
}

/// An integer enumeration.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IntEnumSpec {
    /// The integer type on the wire: `i64` or `u64`.
    #[serde(rename = "type")]
    pub ty: String,
    /// The known values.
    pub values: Vec<EnumValueSpec>,
}

/// One named value of an integer enumeration.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumValueSpec {
    /// The integer on the wire.
    pub value: i64,
    /// The Rust variant name (UpperCamelCase).
    pub name: String,
    /// What the value means.
    pub doc: String,
}

/// A request parameter, a response field or a model field.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberSpec {
    /// Wire name, exactly as sent and received (e.g. `SdkAppId`).
    pub name: String,
    /// Rust field name when the derived snake-case name reads badly (e.g. `skill_group_ids`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// List inputs only: the builder method that appends one element, when the
    /// derived one (the singular of the Rust name, e.g. `callee` for `callees`)
    /// is taken or reads badly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_singular: Option<String>,
    /// `string`, `bool`, `i64`, `u64`, `f64`, `list<T>` or a model name.
    #[serde(rename = "type")]
    #[schemars(with = "String")]
    pub ty: Type,
    /// Input only: the caller must send it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// Output only: the server always sends it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub output_required: bool,
    /// Output only: the server may send `null`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nullable: bool,
    /// The service has switched the member off: it stays in the spec (so a
    /// re-import does not report it as new) but is left out of the generated code.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disabled: bool,
    /// The member holds a secret (a password, a login token, a key, a signature):
    /// generated `Debug` output shows `** redacted **` in its place, and errors
    /// never quote an answer that carries it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sensitive: bool,
    /// What the member means; may be empty when the name says it all.
    #[serde(default)]
    pub doc: String,
    /// An example value, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Value>,
}

/// A member's type, written in the spec as `string`, `bool`, `i64`, `u64`,
/// `f64`, `list<T>` or a model name (`list<AutoCalloutTaskInfo>`).
///
/// This is the one place that reads and writes that syntax. Any text that is
/// neither a scalar nor `list<...>` reads as a model name; whether it is one
/// (an UpperCamelCase name with a file in `models/`) is checked when the spec
/// is lowered, so a mistyped type is reported together with every other
/// problem of its file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(from = "String", into = "String")]
pub enum Type {
    /// `string`: a JSON string.
    String,
    /// `bool`: a JSON boolean.
    Bool,
    /// `i64`: a signed 64-bit integer.
    I64,
    /// `u64`: an unsigned 64-bit integer.
    U64,
    /// `f64`: a 64-bit float.
    F64,
    /// `list<T>`: a JSON array of `T`.
    List(Box<Type>),
    /// A model, by name.
    Model(String),
}

impl Type {
    /// The model this type names, looking through lists (`list<Task>` -> `Task`).
    pub fn model(&self) -> Option<&str> {
        match self {
            Type::List(element) => element.model(),
            Type::Model(name) => Some(name),
            _ => None,
        }
    }

    /// True for `i64` and `u64`.
    pub fn is_integer(&self) -> bool {
        matches!(self, Type::I64 | Type::U64)
    }
}

impl FromStr for Type {
    type Err = std::convert::Infallible;

    /// Reads the spec's spelling; surrounding spaces are ignored, at every level.
    fn from_str(text: &str) -> Result<Type, Self::Err> {
        let text = text.trim();
        if let Some(element) = text
            .strip_prefix("list<")
            .and_then(|rest| rest.strip_suffix('>'))
        {
            return element.parse().map(|t| Type::List(Box::new(t)));
        }
        Ok(match text {
            "string" => Type::String,
            "bool" => Type::Bool,
            "i64" => Type::I64,
            "u64" => Type::U64,
            "f64" => Type::F64,
            model => Type::Model(model.to_owned()),
        })
    }
}

impl fmt::Display for Type {
    /// Writes the spec's spelling, e.g. `list<u64>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::String => f.write_str("string"),
            Type::Bool => f.write_str("bool"),
            Type::I64 => f.write_str("i64"),
            Type::U64 => f.write_str("u64"),
            Type::F64 => f.write_str("f64"),
            Type::List(element) => write!(f, "list<{element}>"),
            Type::Model(name) => f.write_str(name),
        }
    }
}

impl From<String> for Type {
    fn from(text: String) -> Type {
        let Ok(ty) = text.parse();
        ty
    }
}

impl From<Type> for String {
    fn from(ty: Type) -> String {
        ty.to_string()
    }
}

/// One example call: the JSON request body and the content of `Response`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExampleSpec {
    /// A short title.
    pub title: String,
    /// Where the example disagrees with the definition, and what was decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// The request body.
    pub request: Value,
    /// The `Response` object of the answer.
    pub response: Value,
}

/// Deserializes a JSON object into a map, rejecting a key that appears twice
/// (plain serde keeps the last one silently, which would hide a copy-paste slip).
fn unique_keys<'de, D, V>(deserializer: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: serde::Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct UniqueKeys<V>(std::marker::PhantomData<V>);

    impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for UniqueKeys<V> {
        type Value = BTreeMap<String, V>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object with unique keys")
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            // Check the key before reading its value, so the error points at the duplicate key.
            while let Some(key) = map.next_key::<String>()? {
                if out.contains_key(&key) {
                    return Err(serde::de::Error::custom(format_args!(
                        "duplicate key `{key}`"
                    )));
                }
                let value = map.next_value()?;
                out.insert(key, value);
            }
            Ok(out)
        }
    }

    deserializer.deserialize_map(UniqueKeys(std::marker::PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(text: &str) -> Type {
        let Ok(ty) = text.parse();
        ty
    }

    #[test]
    fn types_read_and_print_the_spec_spelling() {
        let task = || Type::Model("Task".into());
        let cases = [
            ("string", Type::String),
            ("bool", Type::Bool),
            ("i64", Type::I64),
            ("u64", Type::U64),
            ("f64", Type::F64),
            ("Task", task()),
            ("list<u64>", Type::List(Box::new(Type::U64))),
            (
                "list<list<Task>>",
                Type::List(Box::new(Type::List(Box::new(task())))),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(ty(text), expected, "{text}");
            assert_eq!(expected.to_string(), text);
        }
        assert_eq!(ty(" list< u64 > "), Type::List(Box::new(Type::U64)));
        // Not the type syntax: read as a name, which lowering then rejects.
        assert_eq!(ty("list<u64"), Type::Model("list<u64".into()));
        assert_eq!(ty("int"), Type::Model("int".into()));
    }

    #[test]
    fn a_type_names_its_model_through_lists() {
        assert_eq!(ty("list<list<Task>>").model(), Some("Task"));
        assert_eq!(ty("list<u64>").model(), None);
        assert!(ty("u64").is_integer() && ty("i64").is_integer() && !ty("f64").is_integer());
    }

    #[test]
    fn a_member_type_is_the_spec_string_in_json() {
        let text = r#"{"name":"Tasks","type":"list<Task>","doc":""}"#;
        let member: MemberSpec = serde_json::from_str(text).unwrap();
        assert_eq!(member.ty, ty("list<Task>"));
        assert_eq!(serde_json::to_string(&member).unwrap(), text);
    }

    #[test]
    fn examples_keep_their_key_order() {
        let text = r#"{"title":"t","request":{"b":1,"a":[true,null,"x",-2,1.5]},"response":{"c":{"z":{},"y":[]}}}"#;
        let example: ExampleSpec = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&example).unwrap(), text);
        assert_eq!(example.request["b"], 1);
    }
}
