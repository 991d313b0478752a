//! Parameters sent as `key=value` pairs (a query string or a form body)
//! instead of JSON, turned back into the JSON object the spec describes.
//!
//! Tencent's SDKs flatten a request for `GET` and for the older
//! `HmacSHA1`/`HmacSHA256` signatures: a list member becomes `Name.0`,
//! `Name.1`, ..., a structure's field `Name.Field`, and every value is text.
//! The spec says what each key is, so `SdkAppId=1400000000` becomes the number
//! 1400000000 and `Filters.0.Name=x` the list `Filters` of one structure.
//! After this, the request goes through the same checks as a JSON body.

use std::collections::BTreeMap;

use serde_json::{Map, Number, Value};

use crate::error::ApiError;
use crate::spec::{ActionDef, MemberDef, ModelKind, Spec, Ty};

/// Decodes `a=1&b=x%20y` (`+` is a space) into its pairs, in order.
pub(crate) fn decode(text: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(text)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The flattened keys, grouped by their dotted path.
#[derive(Debug)]
enum Node {
    Leaf(String),
    Branch(BTreeMap<String, Node>),
}

fn insert(root: &mut BTreeMap<String, Node>, key: &str, value: &str) -> Result<(), ApiError> {
    let conflict = || {
        ApiError::new(
            "InvalidParameter",
            format!(
                "The parameter `{key}` is sent twice, or both as a value and as a list or structure."
            ),
        )
    };
    let mut segments = key.split('.').peekable();
    let mut level = root;
    while let Some(segment) = segments.next() {
        if segment.is_empty() {
            return Err(ApiError::new(
                "InvalidParameter",
                format!("The parameter name `{key}` has an empty part."),
            ));
        }
        if segments.peek().is_none() {
            if level.contains_key(segment) {
                return Err(conflict());
            }
            level.insert(segment.to_owned(), Node::Leaf(value.to_owned()));
            return Ok(());
        }
        let next = level
            .entry(segment.to_owned())
            .or_insert_with(|| Node::Branch(BTreeMap::new()));
        let Node::Branch(next) = next else {
            return Err(conflict());
        };
        level = next;
    }
    Ok(())
}

/// Builds the request object of `action` from flattened pairs, typing each
/// value by the spec. A key the spec does not know is `UnknownParameter`, a
/// value that is not of its type `InvalidParameter`; requiredness and ranges
/// are left to [`Spec::validate_input`].
pub(crate) fn to_json(
    spec: &Spec,
    action: &ActionDef,
    pairs: &[(String, String)],
) -> Result<Value, ApiError> {
    let mut root = BTreeMap::new();
    for (key, value) in pairs {
        insert(&mut root, key, value)?;
    }
    members(spec, action.input, action.disabled_input, root, "").map(Value::Object)
}

fn members(
    spec: &Spec,
    defs: &[MemberDef],
    disabled: &[&str],
    nodes: BTreeMap<String, Node>,
    prefix: &str,
) -> Result<Map<String, Value>, ApiError> {
    let mut out = Map::new();
    for (name, node) in nodes {
        let path = format!("{prefix}{name}");
        if disabled.contains(&name.as_str()) {
            // Accepted and ignored, as in a JSON body.
            continue;
        }
        let Some(def) = defs.iter().find(|m| m.name == name) else {
            return Err(ApiError::new(
                "UnknownParameter",
                format!("The parameter `{path}` is not recognized."),
            ));
        };
        out.insert(name, typed(spec, def.ty, node, &path)?);
    }
    Ok(out)
}

fn typed(spec: &Spec, ty: Ty, node: Node, path: &str) -> Result<Value, ApiError> {
    let wrong = |expected: &str, got: &str| {
        ApiError::new(
            "InvalidParameter",
            format!(
                "The value type of parameter `{path}` is wrong: expected {expected}, got {got}."
            ),
        )
    };
    if let Ty::List(inner) = ty {
        let Node::Branch(items) = node else {
            return Err(wrong(
                &format!("a list, sent as `{path}.0`, `{path}.1`, ..."),
                "a single value",
            ));
        };
        let mut indexed = BTreeMap::new();
        for (index, item) in items {
            let Ok(number) = index.parse::<usize>() else {
                return Err(wrong(
                    &format!("a list, sent as `{path}.0`, `{path}.1`, ..."),
                    &format!("`{path}.{index}`"),
                ));
            };
            indexed.insert(number, (index, item));
        }
        let mut list = Vec::with_capacity(indexed.len());
        for (position, (number, (index, item))) in indexed.into_iter().enumerate() {
            if number != position {
                return Err(ApiError::new(
                    "InvalidParameter",
                    format!(
                        "The list `{path}` skips index {position} (next is `{path}.{index}`); indices count from 0 without gaps."
                    ),
                ));
            }
            list.push(typed(spec, *inner, item, &format!("{path}.{index}"))?);
        }
        return Ok(Value::Array(list));
    }
    let model = match ty {
        Ty::Model(name) => spec.model(name).map(|m| &m.kind),
        _ => None,
    };
    let scalar = match model {
        Some(ModelKind::Struct { fields, disabled }) => {
            let Node::Branch(children) = node else {
                return Err(wrong(
                    &format!("a structure, sent as `{path}.Field`"),
                    "a single value",
                ));
            };
            return members(spec, fields, disabled, children, &format!("{path}."))
                .map(Value::Object);
        }
        Some(ModelKind::IntEnum { signed: true, .. }) => Ty::I64,
        Some(ModelKind::IntEnum { signed: false, .. }) => Ty::U64,
        None => ty,
    };
    let Node::Leaf(text) = node else {
        return Err(wrong("a single value", "a list or structure"));
    };
    match scalar {
        Ty::String => Ok(Value::String(text)),
        Ty::Bool => match text.to_ascii_lowercase().as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(wrong("a boolean (`true` or `false`)", &format!("`{text}`"))),
        },
        Ty::I64 | Ty::U64 => {
            // Range checks belong to validate_input, so keep any integer as is.
            if let Ok(n) = text.parse::<u64>() {
                Ok(Value::Number(n.into()))
            } else if let Ok(n) = text.parse::<i64>() {
                Ok(Value::Number(n.into()))
            } else if text.parse::<i128>().is_ok() {
                // Too large for JSON integers here: pass it on as a float,
                // which validate_input reports as out of range.
                Ok(text
                    .parse::<f64>()
                    .ok()
                    .and_then(Number::from_f64)
                    .map_or(Value::Null, Value::Number))
            } else {
                Err(wrong("an integer", &format!("`{text}`")))
            }
        }
        Ty::F64 => text
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| wrong("a number", &format!("`{text}`"))),
        Ty::List(_) | Ty::Model(_) => Err(ApiError::new(
            "InternalError",
            format!("The spec has no type {scalar:?} (parameter `{path}`)."),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pairs(text: &str) -> Vec<(String, String)> {
        decode(text.as_bytes())
    }

    fn build(action: &str, text: &str) -> Result<Value, ApiError> {
        let spec = Spec::ccc();
        to_json(spec, spec.action(action).unwrap(), &pairs(text))
    }

    #[test]
    fn scalars_are_typed_by_the_spec() {
        let value = build(
            "DescribeAutoCalloutTasks",
            "SdkAppId=1400000000&PageSize=10&PageNumber=0",
        )
        .unwrap();
        assert_eq!(
            value,
            json!({"SdkAppId": 1400000000u64, "PageSize": 10, "PageNumber": 0})
        );
    }

    #[test]
    fn lists_and_escapes_are_rebuilt() {
        let value = build(
            "CreateAutoCalloutTask",
            "SdkAppId=1&NotBefore=5&Callees.1=b&Callees.0=a%2Bb&Callers.0=c&IvrId=3&Name=x+y",
        )
        .unwrap();
        assert_eq!(value["Callees"], json!(["a+b", "b"]));
        assert_eq!(value["Name"], "x y");
        Spec::ccc()
            .validate_input(Spec::ccc().action("CreateAutoCalloutTask").unwrap(), &value)
            .unwrap();
    }

    #[test]
    fn wrong_keys_and_values_name_the_parameter() {
        let e = build(
            "DescribeAutoCalloutTasks",
            "SdkAppId=abc&PageSize=1&PageNumber=0",
        )
        .unwrap_err();
        assert_eq!(e.code, "InvalidParameter");
        assert!(e.message.contains("`SdkAppId`"), "{}", e.message);
        let e = build("DescribeAutoCalloutTasks", "Limit=3").unwrap_err();
        assert_eq!(e.code, "UnknownParameter");
        let e = build("CreateAutoCalloutTask", "Callees=a").unwrap_err();
        assert!(e.message.contains("`Callees.0`"), "{}", e.message);
        let e = build("CreateAutoCalloutTask", "Callees.1=a").unwrap_err();
        assert!(e.message.contains("skips index 0"), "{}", e.message);
        let e = build("DescribeAutoCalloutTasks", "SdkAppId=1&SdkAppId=2").unwrap_err();
        assert!(e.message.contains("twice"), "{}", e.message);
    }
}
