//! Checks a spec's examples against the generated types (used by the generated `examples.rs`).
//!
//! For each example of an action, the request must decode into the request
//! type and the response into the response type; encoding each back must keep
//! every member the spec defines, with the same value. Values that the lenient
//! decoding policy normalises (`"3"` for an integer, `null` for a list) count
//! as the same value.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// One service version's spec directory, loaded on first use.
pub struct Spec {
    dir: &'static str,
    models: OnceLock<BTreeMap<String, Value>>,
}

impl Spec {
    /// `dir` is relative to the workspace root, e.g. `api-spec/ccc/2020-02-10`.
    pub const fn new(dir: &'static str) -> Self {
        Spec { dir, models: OnceLock::new() }
    }

    fn path(&self) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..").join(self.dir)
    }

    fn read(&self, relative: &str) -> Value {
        let path = self.path().join(relative);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn models(&self) -> &BTreeMap<String, Value> {
        self.models.get_or_init(|| {
            let dir = self.path().join("models");
            let mut models = BTreeMap::new();
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let name = entry.path().file_stem().and_then(|s| s.to_str()).map(str::to_owned);
                if let Some(name) = name {
                    let model = self.read(&format!("models/{name}.json"));
                    models.insert(name, model);
                }
            }
            models
        })
    }

    /// Checks every example of `action`; panics naming the action, the example and each lost or changed member.
    pub fn check<Req, Resp>(&self, action: &str)
    where
        Req: Serialize + DeserializeOwned,
        Resp: Serialize + DeserializeOwned,
    {
        let spec = self.read(&format!("actions/{action}.json"));
        let examples = spec["examples"].as_array().cloned().unwrap_or_default();
        assert!(!examples.is_empty(), "{action}: the spec has no example");
        let mut problems = Vec::new();
        for (i, example) in examples.iter().enumerate() {
            let title = example["title"].as_str().unwrap_or("?");
            let context = format!("{action}, example {i} ({title})");
            let checks = [("request", &spec["input"], &example["request"]), ("response", &spec["output"], &example["response"])];
            for (part, members, original) in checks {
                let reencoded = match part {
                    "request" => round_trip::<Req>(original),
                    _ => round_trip::<Resp>(original),
                };
                match reencoded {
                    Ok(reencoded) => self.compare_object(members, original, &reencoded, part, &mut problems),
                    Err(e) => problems.push(format!("{part} does not decode: {e}")),
                }
            }
            if !problems.is_empty() {
                panic!("{context}:\n  {}", problems.join("\n  "));
            }
        }
    }

    fn compare_object(&self, members: &Value, original: &Value, reencoded: &Value, path: &str, problems: &mut Vec<String>) {
        let Some(original) = original.as_object() else {
            problems.push(format!("{path}: expected an object"));
            return;
        };
        for member in members.as_array().into_iter().flatten() {
            if member["disabled"].as_bool() == Some(true) {
                continue;
            }
            let name = member["name"].as_str().unwrap_or_default();
            let ty = member["type"].as_str().unwrap_or_default();
            let Some(value) = original.get(name) else { continue };
            let here = format!("{path}.{name}");
            match reencoded.get(name) {
                Some(back) => self.compare(ty, value, back, &here, problems),
                // An optional member sent as null is skipped when encoding; nothing is lost.
                None if value.is_null() => {}
                None => problems.push(format!("{here}: lost when encoding back")),
            }
        }
    }

    fn compare(&self, ty: &str, original: &Value, back: &Value, path: &str, problems: &mut Vec<String>) {
        if let Some(element) = ty.strip_prefix("list<").and_then(|t| t.strip_suffix('>')) {
            match (original, back) {
                (Value::Null, Value::Array(items)) if items.is_empty() => {}
                (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
                    for (i, (x, y)) in a.iter().zip(b).enumerate() {
                        self.compare(element, x, y, &format!("{path}[{i}]"), problems);
                    }
                }
                _ => problems.push(format!("{path}: {original} became {back}")),
            }
            return;
        }
        if let Some(model) = self.models().get(ty) {
            if model.get("fields").is_some() {
                self.compare_object(&model["fields"], original, back, path, problems);
                return;
            }
        }
        if !same_scalar(original, back) {
            problems.push(format!("{path}: {original} became {back}"));
        }
    }
}

/// Decodes as the runtime decodes answers (leniently), then encodes back.
fn round_trip<T: Serialize + DeserializeOwned>(value: &Value) -> Result<Value, String> {
    let decoded: T = ccc_api::runtime::de::from_value(value.clone()).map_err(|e| e.to_string())?;
    serde_json::to_value(&decoded).map_err(|e| e.to_string())
}

/// Equal, or equal after the lenient policy's normalisation of numbers.
fn same_scalar(original: &Value, back: &Value) -> bool {
    if original == back {
        return true;
    }
    let number = |v: &Value| match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    matches!((number(original), back), (Some(a), Value::Number(b)) if b.as_f64() == Some(a))
}
