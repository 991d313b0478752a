//! Tencent's machine-readable API definition, as shipped in the `tccli` package
//! (`api.json`, `examples.json`) plus the per-action error codes.
//!
//! Only facts are read: names, types, flags, examples. The Chinese prose
//! (`document`, `name` of actions, example titles) is deliberately not
//! deserialized, so it cannot leak into the spec.

use std::collections::BTreeMap;

use serde::Deserialize;

/// `api.json`.
#[derive(Debug, Clone, Deserialize)]
pub struct ApiJson {
    /// Actions by wire name.
    pub actions: BTreeMap<String, TcAction>,
    /// Objects (request, response and model structures) by name.
    pub objects: BTreeMap<String, TcObject>,
    /// Service name and version.
    pub metadata: TcMetadata,
}

/// `api.json` `metadata`.
#[derive(Debug, Clone, Deserialize)]
pub struct TcMetadata {
    /// API version, e.g. `2020-02-10`.
    #[serde(rename = "apiVersion")]
    pub api_version: String,
    /// Service name, e.g. `ccc`.
    #[serde(rename = "serviceShortName")]
    pub service_short_name: String,
}

/// One action: which objects are its request and its response.
#[derive(Debug, Clone, Deserialize)]
pub struct TcAction {
    /// Name of the request object, e.g. `DescribeAutoCalloutTasksRequest`.
    pub input: String,
    /// Name of the response object.
    pub output: String,
    /// `online` for a live action.
    #[serde(default)]
    pub status: Option<String>,
}

/// One object.
#[derive(Debug, Clone, Deserialize)]
pub struct TcObject {
    /// Members in documentation order.
    pub members: Vec<TcMember>,
}

/// One member of an object.
#[derive(Debug, Clone, Deserialize)]
pub struct TcMember {
    /// Wire name.
    pub name: String,
    /// `int`, `string`, `bool`, `float`, `object` or `list`.
    #[serde(rename = "type")]
    pub ty: String,
    /// The scalar type (`int64`, `uint64`, `string`, `bool`, `float`) or object name;
    /// for a list, the element's.
    pub member: String,
    /// Inputs: the caller must send it.
    #[serde(default)]
    pub required: bool,
    /// Outputs: the server always sends it.
    #[serde(default)]
    pub output_required: bool,
    /// Outputs: the server may send `null`.
    #[serde(default)]
    pub value_allowed_null: bool,
    /// Tencent has switched the member off.
    #[serde(default)]
    pub disabled: bool,
    /// An example value, as text.
    #[serde(default)]
    pub example: Option<String>,
}

/// `examples.json`.
#[derive(Debug, Clone, Deserialize)]
pub struct ExamplesJson {
    /// Examples of each action.
    pub actions: BTreeMap<String, Vec<TcExample>>,
}

/// One example call.
#[derive(Debug, Clone, Deserialize)]
pub struct TcExample {
    /// The request: an HTTP POST (headers, blank line, JSON body) or a GET URL
    /// with one `&Name=value` per line.
    pub input: String,
    /// The answer, `{"Response": {...}}`.
    pub output: String,
}

/// Action name to the error codes it documents.
pub type ActionErrorCodes = BTreeMap<String, Vec<String>>;
