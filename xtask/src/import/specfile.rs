//! The spec files the importer reads and writes: the same JSON as
//! `codegen::spec`, with the keys in the order of the hand-written files.
//!
//! These types differ from `codegen::spec` in three ways: keys serialize in the
//! hand-written order (`name`, `type`, flags, `doc`, `example`); examples keep
//! their key order ([`Json`]); and unknown keys are kept (in `extra`) rather
//! than rejected, so a field the generator gains later survives a re-import.
//! They also carry the two additions the importer proposes: a member's
//! `disabled` flag and an example's `notes`, written only when
//! [`super::Options`] says the generator accepts them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::json::Json;

/// `$schema` of an action file in `<service>/<version>/actions/`.
pub const ACTION_SCHEMA: &str = "../../../schema/action.schema.json";
/// `$schema` of a model file in `<service>/<version>/models/`.
pub const MODEL_SCHEMA: &str = "../../../schema/model.schema.json";
/// `$schema` of `<service>/<version>/service.json`.
pub const SERVICE_SCHEMA: &str = "../../schema/service.schema.json";

fn is_false(b: &bool) -> bool {
    !*b
}

/// `actions/<Action>.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionFile {
    /// Editor hint.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// What the action does (English; empty for a new action).
    pub doc: String,
    /// Client method name when the derived one reads badly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// Only reads.
    pub read_only: bool,
    /// Requests per second.
    pub rate_limit_per_second: u32,
    /// Error codes from the catalogues.
    #[serde(default)]
    pub errors: Vec<String>,
    /// Paging members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
    /// Request parameters.
    pub input: Vec<Member>,
    /// Response fields.
    pub output: Vec<Member>,
    /// Example calls.
    pub examples: Vec<Example>,
    /// Keys this importer does not know, kept as they are.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Json>,
}

/// `pagination` of an action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pagination {
    /// `page_number` or `offset`.
    pub style: String,
    /// Input member with the page number or offset.
    pub page: String,
    /// Input member with the page size or limit.
    pub size: String,
    /// Output list of one page's items.
    pub items: String,
    /// Output member with the total.
    pub total: String,
}

/// `models/<Model>.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelFile {
    /// Editor hint.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// What the model is.
    pub doc: String,
    /// Structure fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<Member>>,
    /// An integer enumeration, kept opaque: the importer never writes one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub int_enum: Option<Json>,
    /// Unknown keys, kept.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Json>,
}

impl ModelFile {
    /// The `int_enum.type` of an enumeration model (`i64` or `u64`).
    pub fn int_enum_type(&self) -> Option<&str> {
        match self.int_enum.as_ref()?.get("type")? {
            Json::String(s) => Some(s),
            _ => None,
        }
    }
}

/// A request parameter, response field or model field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    /// Wire name.
    pub name: String,
    /// Rust name override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<String>,
    /// Spec type.
    #[serde(rename = "type")]
    pub ty: String,
    /// Input: must be sent.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// Output: always sent.
    #[serde(default, skip_serializing_if = "is_false")]
    pub output_required: bool,
    /// Output: may be `null`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub nullable: bool,
    /// Tencent has switched the member off (proposed spec addition).
    #[serde(default, skip_serializing_if = "is_false")]
    pub disabled: bool,
    /// English description; empty for a new member.
    pub doc: String,
    /// Example value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Json>,
    /// Unknown keys, kept.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Json>,
}

/// One example call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Example {
    /// Short English title.
    pub title: String,
    /// Where the example disagrees with the definition and what was kept
    /// (proposed spec addition).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Request body.
    pub request: Json,
    /// Content of `Response`.
    pub response: Json,
    /// Unknown keys, kept.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Json>,
}

/// `service.json`, written only when the output directory has none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceFile {
    /// Editor hint.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Service name.
    pub service: String,
    /// API version.
    pub version: String,
    /// Endpoint host.
    pub host: String,
    /// Human name.
    pub title: String,
    /// Description.
    pub doc: String,
    /// Unknown keys, kept.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Json>,
}

/// Widest line a list of scalars is folded onto.
const FOLD_WIDTH: usize = 100;

/// Pretty JSON as in the hand-written files: a 2-space indent, a final newline,
/// and a short list of scalars on one line (`"Callers": ["foobar"]`), except
/// an action's `errors`.
pub fn to_file_text<T: Serialize>(value: &T) -> String {
    let pretty = serde_json::to_string_pretty(value).expect("spec files serialize");
    let lines: Vec<&str> = pretty.lines().collect();
    let mut out = String::with_capacity(pretty.len());
    let mut i = 0;
    while i < lines.len() {
        if let Some((folded, next)) = fold_scalar_list(&lines, i) {
            out.push_str(&folded);
            i = next;
        } else {
            out.push_str(lines[i]);
            i += 1;
        }
        out.push('\n');
    }
    out
}

/// When `lines[start]` opens a list whose items are all scalars and the folded
/// line fits, the folded line and the index after the list's closing line.
fn fold_scalar_list(lines: &[&str], start: usize) -> Option<(String, usize)> {
    let open = lines[start];
    // The hand-written files list an action's error codes one per line.
    if !open.ends_with('[') || open.trim() == "\"errors\": [" {
        return None;
    }
    let mut items = Vec::new();
    for (j, line) in lines.iter().enumerate().skip(start + 1) {
        let t = line.trim();
        if t == "]" || t == "]," {
            let folded = format!("{open}{}{t}", items.join(", "));
            return (!items.is_empty() && folded.len() <= FOLD_WIDTH).then_some((folded, j + 1));
        }
        let item = t.strip_suffix(',').unwrap_or(t);
        match serde_json::from_str::<serde_json::Value>(item) {
            Ok(v) if !v.is_array() && !v.is_object() => items.push(item),
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_scalar_lists_fold_onto_one_line() {
        let value = serde_json::json!({"a": ["x", "y,]"], "b": [{"c": [1, 2]}], "d": [], "errors": ["A"], "e": ["long string number one", "long string number two", "long string number three", "long string number four"]});
        let text = to_file_text(&value);
        assert!(text.contains("\"a\": [\"x\", \"y,]\"],\n"), "{text}");
        assert!(text.contains("\"c\": [1, 2]\n"), "{text}");
        assert!(text.contains("\"d\": [],"), "{text}");
        assert!(text.contains("\"e\": [\n"), "{text}");
        assert!(text.contains("\"errors\": [\n"), "{text}");
        assert!(text.ends_with("}\n"));
    }
}
