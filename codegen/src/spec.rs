//! The on-disk spec format: what a person writes in `api-spec/`.
//!
//! These types mirror the JSON files one to one and reject unknown keys, so a
//! typo in a spec file is an error rather than a silently ignored setting.
//! Meaning (types resolve, names are identifiers, references exist) is checked
//! later, when the spec is lowered to the IR (see [`crate::ir`]).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `service.json`: one Tencent Cloud service at one API version.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
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
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
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
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorCodeSpec {
    /// What the failure means for the caller.
    pub doc: String,
}

/// `actions/<Action>.json`: one API action. The action's wire name is the file name.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
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
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaginationSpec {
    /// Input member holding the page number (counting from 0) or the offset.
    pub page: String,
    /// Input member holding the page size or limit.
    pub size: String,
    /// Whether `page` counts pages or items.
    pub style: PaginationStyle,
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

/// `models/<Model>.json`: a structure or an integer enumeration used by actions.
/// The model's name is the file name. Exactly one of `fields` and `int_enum` is set.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
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
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IntEnumSpec {
    /// The integer type on the wire: `i64` or `u64`.
    #[serde(rename = "type")]
    pub ty: String,
    /// The known values.
    pub values: Vec<EnumValueSpec>,
}

/// One named value of an integer enumeration.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
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
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberSpec {
    /// Wire name, exactly as sent and received (e.g. `SdkAppId`).
    pub name: String,
    /// Rust field name when the derived snake-case name reads badly (e.g. `skill_group_ids`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// `string`, `bool`, `i64`, `u64`, `f64`, `list<T>` or a model name.
    #[serde(rename = "type")]
    pub ty: String,
    /// What the member means; may be empty when the name says it all.
    #[serde(default)]
    pub doc: String,
    /// Input only: the caller must send it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// Output only: the server always sends it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub output_required: bool,
    /// Output only: the server may send `null`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub nullable: bool,
    /// An example value, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<serde_json::Value>,
    /// The service has switched the member off: it stays in the spec (so a
    /// re-import does not report it as new) but is left out of the generated code.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disabled: bool,
}

/// One example call: the JSON request body and the content of `Response`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExampleSpec {
    /// A short title.
    pub title: String,
    /// The request body.
    pub request: serde_json::Value,
    /// The `Response` object of the answer.
    pub response: serde_json::Value,
    /// Where the example disagrees with the definition, and what was decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
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

        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            // Check the key before reading its value, so the error points at the duplicate key.
            while let Some(key) = map.next_key::<String>()? {
                if out.contains_key(&key) {
                    return Err(serde::de::Error::custom(format_args!("duplicate key `{key}`")));
                }
                let value = map.next_value()?;
                out.insert(key, value);
            }
            Ok(out)
        }
    }

    deserializer.deserialize_map(UniqueKeys(std::marker::PhantomData))
}
