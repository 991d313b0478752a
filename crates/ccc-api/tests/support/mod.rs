//! Checks a spec's examples against the generated types (used by the generated `examples.rs`).
//!
//! For each example of an action, the request must decode into the request
//! type and the response into the response type; encoding each back must keep
//! every member the spec defines, with the same value. Values that the lenient
//! decoding policy normalises (`"3"` for an integer, `null` for a list) count
//! as the same value.

use ccc_api::runtime::de::Decode;
use ccc_local::spec::{MemberDef, ModelKind, Spec, Ty};
use serde::Serialize;
use serde_json::Value;

/// Checks every example of `action`; panics naming the action, the example and each lost or changed member.
///
/// The examples and member types come from the emulator's table, which `cargo xtask gen`
/// writes from the same IR as the SDK.
pub fn check<Req, Resp>(action: &str)
where
    Req: Serialize + Decode,
    Resp: Serialize + Decode,
{
    let spec = Spec::ccc();
    let def = spec
        .action(action)
        .unwrap_or_else(|| panic!("{action}: not in the spec"));
    assert!(
        !def.examples.is_empty(),
        "{action}: the spec has no example"
    );
    let mut problems = Vec::new();
    for (i, example) in def.examples.iter().enumerate() {
        let context = format!("{action}, example {i}");
        let checks = [
            ("request", def.input, example.request.value()),
            ("response", def.output, example.response.value()),
        ];
        for (part, members, original) in checks {
            let reencoded = match part {
                "request" => round_trip::<Req>(original),
                _ => round_trip::<Resp>(original),
            };
            match reencoded {
                Ok(reencoded) => {
                    compare_object(spec, members, original, &reencoded, part, &mut problems)
                }
                Err(e) => problems.push(format!("{part} does not decode: {e}")),
            }
        }
        if !problems.is_empty() {
            panic!("{context}:\n  {}", problems.join("\n  "));
        }
    }
}

fn compare_object(
    spec: &Spec,
    members: &[MemberDef],
    original: &Value,
    reencoded: &Value,
    path: &str,
    problems: &mut Vec<String>,
) {
    let Some(original) = original.as_object() else {
        problems.push(format!("{path}: expected an object"));
        return;
    };
    for member in members {
        let Some(value) = original.get(member.name) else {
            continue;
        };
        let here = format!("{path}.{}", member.name);
        match reencoded.get(member.name) {
            Some(back) => compare(spec, member.ty, value, back, &here, problems),
            // An optional member sent as null is skipped when encoding; nothing is lost.
            None if value.is_null() => {}
            None => problems.push(format!("{here}: lost when encoding back")),
        }
    }
}

fn compare(
    spec: &Spec,
    ty: Ty,
    original: &Value,
    back: &Value,
    path: &str,
    problems: &mut Vec<String>,
) {
    if let Ty::List(element) = ty {
        match (original, back) {
            (Value::Null, Value::Array(items)) if items.is_empty() => {}
            (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
                for (i, (x, y)) in a.iter().zip(b).enumerate() {
                    compare(spec, *element, x, y, &format!("{path}[{i}]"), problems);
                }
            }
            _ => problems.push(format!("{path}: {original} became {back}")),
        }
        return;
    }
    if let Ty::Model(name) = ty
        && let Some(ModelKind::Struct { fields, .. }) = spec.model(name).map(|m| &m.kind)
    {
        compare_object(spec, fields, original, back, path, problems);
        return;
    }
    if !same_scalar(original, back) {
        problems.push(format!("{path}: {original} became {back}"));
    }
}

/// Decodes as the runtime decodes answers (leniently), then encodes back.
fn round_trip<T: Serialize + Decode>(value: &Value) -> Result<Value, String> {
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
