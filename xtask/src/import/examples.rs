//! Tencent's example calls: parsing both request shapes, checking them against
//! the definition, and keeping Chinese text out of the spec.

use std::collections::BTreeMap;

use codegen::spec::{ExampleSpec, Type};
use serde_json::{Map, Value};

use super::tccli::{TcExample, TcObject};
use super::types::member_type;

/// What replaces a string value written in Chinese; the spec holds no Chinese text.
pub const PLACEHOLDER: &str = "(Chinese text omitted)";

/// Common request parameters that a GET example may carry besides the action's own.
const COMMON_PARAMETERS: &[&str] = &[
    "Action",
    "Version",
    "Region",
    "Timestamp",
    "Nonce",
    "SecretId",
    "Signature",
    "SignatureMethod",
    "Token",
    "Language",
];

/// True for a CJK ideograph, CJK punctuation, kana or a full-width form.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x30FF | 0x3100..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x2FA1F)
}

/// True when the text holds any CJK character.
pub fn has_cjk(text: &str) -> bool {
    text.chars().any(is_cjk)
}

/// Request side or response side of an example.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The request parameters.
    Request,
    /// The content of `Response`.
    Response,
}

impl Side {
    fn word(self) -> &'static str {
        match self {
            Side::Request => "request",
            Side::Response => "response",
        }
    }
}

/// A request as Tencent wrote it.
#[derive(Debug, Clone, PartialEq)]
pub enum RawRequest {
    /// An HTTP POST: the JSON body.
    Body(Value),
    /// A GET URL: `(name, value)` pairs in order, common parameters and placeholders removed.
    Query(Vec<(String, String)>),
}

/// Splits an example's `input` into its request: the JSON body after the blank
/// line of a POST, or the `Name=value` pairs of a GET URL.
pub fn split_request(input: &str) -> Result<RawRequest, String> {
    let text = input.trim_start();
    if text.starts_with("POST") {
        let normalized = text.replace("\r\n", "\n");
        let Some((_, body)) = normalized.split_once("\n\n") else {
            return Err("POST example has no blank line before its body".to_owned());
        };
        return serde_json::from_str::<Value>(body.trim())
            .map(RawRequest::Body)
            .map_err(|e| format!("POST body is not JSON: {e}"));
    }
    if text.starts_with('{') {
        return serde_json::from_str::<Value>(text.trim())
            .map(RawRequest::Body)
            .map_err(|e| format!("request is not JSON: {e}"));
    }
    let mut pairs = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        let pieces: Vec<&str> = match line.split_once('?') {
            // The URL line: everything after `?`, which may hold several pairs.
            Some((head, query)) if head.starts_with("http") || head.starts_with("GET") => {
                query.split('&').collect()
            }
            // Any other line is one pair, so a value may contain `&`.
            _ => vec![line.strip_prefix('&').unwrap_or(line)],
        };
        for piece in pieces {
            let piece = piece.trim();
            if piece.is_empty() || piece.starts_with('<') || piece.starts_with("GET ") {
                continue;
            }
            match piece.split_once('=') {
                Some((name, value)) => {
                    pairs.push((name.trim().to_owned(), percent_decode(value.trim())))
                }
                None => return Err(format!("query line `{piece}` has no `=`")),
            }
        }
    }
    if pairs.is_empty() && !text.contains('?') {
        return Err("request is neither a POST with a JSON body nor a GET URL".to_owned());
    }
    Ok(RawRequest::Query(pairs))
}

/// Decodes `%XX` escapes when every `%` starts one and the result is UTF-8; otherwise the text as is.
fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                Some(b) => {
                    out.push(b);
                    i += 3;
                }
                None => return text.to_owned(),
            }
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// One step of a dotted query name: `Filters.0.Name` is `Filters`, 0, `Name`.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

fn steps(name: &str) -> Vec<Step> {
    name.split('.')
        .map(|s| match s.parse::<usize>() {
            Ok(i) => Step::Index(i),
            Err(_) => Step::Key(s.to_owned()),
        })
        .collect()
}

/// The type at a dotted path below an object, when the definition knows it.
fn type_at(request: &str, path: &[Step], objects: &BTreeMap<String, TcObject>) -> Option<Type> {
    let mut ty = Type::Model(request.to_owned());
    for step in path {
        ty = match (step, ty) {
            (Step::Key(k), Type::Model(o)) => {
                let m = objects.get(&o)?.members.iter().find(|m| &m.name == k)?;
                member_type(m, objects).ok()?
            }
            (Step::Index(_), Type::List(inner)) => *inner,
            _ => return None,
        };
    }
    Some(ty)
}

/// A query value as the JSON value of the defined type; text that does not
/// parse as that type stays a string (the check then reports it).
fn coerce(value: &str, ty: Option<&Type>) -> Value {
    let parsed = match ty {
        Some(Type::I64) => value.parse::<i64>().ok().map(|v| Value::Number(v.into())),
        Some(Type::U64) => value.parse::<u64>().ok().map(|v| Value::Number(v.into())),
        Some(Type::F64) => value
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number),
        Some(Type::Bool) => match value {
            "true" => Some(Value::Bool(true)),
            "false" => Some(Value::Bool(false)),
            _ => None,
        },
        Some(Type::List(_) | Type::Model(_)) => serde_json::from_str::<Value>(value).ok(),
        Some(Type::String) | None => None,
    };
    parsed.unwrap_or_else(|| Value::String(value.to_owned()))
}

/// Rebuilds the JSON request of a GET example: dotted names with numeric
/// indices become nested lists and objects (`Filters.0.Name=x` ->
/// `{"Filters":[{"Name":"x"}]}`), values are coerced to the defined types.
/// Returns the request and what could not be placed cleanly.
pub fn query_to_json(
    pairs: &[(String, String)],
    request: &str,
    objects: &BTreeMap<String, TcObject>,
) -> (Value, Vec<String>) {
    let top: Vec<&str> = objects
        .get(request)
        .map(|o| o.members.iter().map(|m| m.name.as_str()).collect())
        .unwrap_or_default();
    let mut root = Value::Object(Map::new());
    let mut issues = Vec::new();
    for (name, value) in pairs {
        if COMMON_PARAMETERS.contains(&name.as_str()) && !top.contains(&name.as_str()) {
            continue;
        }
        let path = steps(name);
        if !matches!(path.first(), Some(Step::Key(_)))
            || path
                .iter()
                .any(|s| matches!(s, Step::Key(k) if k.is_empty()))
        {
            issues.push(format!(
                "query parameter `{name}` is not a dotted member name; left out"
            ));
            continue;
        }
        let leaf = coerce(value, type_at(request, &path, objects).as_ref());
        if let Err(problem) = insert(&mut root, &path, leaf) {
            issues.push(format!("query parameter `{name}`: {problem}; left out"));
        }
    }
    (root, issues)
}

fn insert(node: &mut Value, path: &[Step], value: Value) -> Result<(), String> {
    let Some((step, rest)) = path.split_first() else {
        return match node {
            Value::Null => {
                *node = value;
                Ok(())
            }
            _ => Err("given twice".to_owned()),
        };
    };
    let child = match (step, node) {
        (Step::Key(k), node @ (Value::Null | Value::Object(_))) => {
            if matches!(node, Value::Null) {
                *node = Value::Object(Map::new());
            }
            let Value::Object(entries) = node else {
                unreachable!()
            };
            entries.entry(k.clone()).or_insert(Value::Null)
        }
        (Step::Index(i), node @ (Value::Null | Value::Array(_))) => {
            if matches!(node, Value::Null) {
                *node = Value::Array(Vec::new());
            }
            let Value::Array(items) = node else {
                unreachable!()
            };
            if *i > items.len() {
                return Err(format!("index {i} skips {}", items.len()));
            }
            if *i == items.len() {
                items.push(Value::Null);
            }
            &mut items[*i]
        }
        _ => return Err("mixes list indices and member names at one level".to_owned()),
    };
    insert(child, rest, value)
}

/// What kind of value this is, for messages: "a string", "an integer", ...
pub fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a decimal number",
        Value::Number(n) if n.as_i64().is_some_and(|v| v < 0) => "a negative integer",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// Checks a value against a type, collecting each disagreement as a phrase
/// such as "sends `PageSize` as a string (defined u64)".
pub fn check(
    value: &Value,
    ty: &Type,
    objects: &BTreeMap<String, TcObject>,
    path: &str,
    side: Side,
    out: &mut Vec<String>,
) {
    let fits = match (ty, value) {
        (Type::String, Value::String(s)) => {
            if s.starts_with('\u{201c}') && s.ends_with('\u{201d}') {
                out.push(format!(
                    "sends `{path}` wrapped in typographic quotes ({s})"
                ));
            }
            true
        }
        (Type::Bool, Value::Bool(_)) => true,
        (Type::I64, Value::Number(n)) => n.is_i64(),
        (Type::U64, Value::Number(n)) => n.is_u64(),
        (Type::F64, Value::Number(_)) => true,
        (Type::List(inner), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                check(item, inner, objects, &format!("{path}[{i}]"), side, out);
            }
            true
        }
        (Type::Model(name), Value::Object(_)) => {
            check_object(value, name, objects, path, side, out);
            true
        }
        _ => false,
    };
    if !fits {
        out.push(format!(
            "sends `{path}` as {} (defined {ty})",
            json_kind(value)
        ));
    }
}

/// Checks an object's members: missing required ones, nulls, unknown names, types.
pub fn check_object(
    value: &Value,
    object: &str,
    objects: &BTreeMap<String, TcObject>,
    path: &str,
    side: Side,
    out: &mut Vec<String>,
) {
    let (Value::Object(entries), Some(def)) = (value, objects.get(object)) else {
        return;
    };
    for m in &def.members {
        let here = join(path, &m.name);
        match value.get(&m.name) {
            None if m.disabled => {}
            None if side == Side::Request && m.required => {
                out.push(format!("omits required parameter `{here}`"))
            }
            None if side == Side::Response && m.output_required => out.push(format!(
                "omits `{here}`, which the definition marks output_required"
            )),
            None => {}
            Some(Value::Null) if side == Side::Response && m.value_allowed_null => {}
            Some(Value::Null) => {
                out.push(format!("sends null for `{here}`, which is not nullable"))
            }
            Some(v) => {
                if let Ok(ty) = member_type(m, objects) {
                    check(v, &ty, objects, &here, side, out);
                }
            }
        }
    }
    for (key, _) in entries {
        if !def.members.iter().any(|m| &m.name == key) {
            out.push(format!(
                "sends `{}`, which the definition does not have",
                join(path, key)
            ));
        }
    }
}

/// Replaces every string holding Chinese text with [`PLACEHOLDER`], naming each
/// replaced path. Errs when an object key holds Chinese text (nothing sensible
/// can stand in for a member name).
pub fn scrub_chinese(
    value: &mut Value,
    path: &str,
    replaced: &mut Vec<String>,
) -> Result<(), String> {
    match value {
        Value::String(s) if has_cjk(s) => {
            *s = PLACEHOLDER.to_owned();
            replaced.push(if path.is_empty() {
                "(whole value)".to_owned()
            } else {
                format!("`{path}`")
            });
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                scrub_chinese(item, &format!("{path}[{i}]"), replaced)?;
            }
        }
        Value::Object(entries) => {
            for (k, v) in entries {
                if has_cjk(k) {
                    return Err(format!("member name at `{path}` is in Chinese"));
                }
                let here = join(path, k);
                scrub_chinese(v, &here, replaced)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// The result of converting one of Tencent's examples.
#[derive(Debug, Clone, PartialEq)]
pub struct Converted {
    /// The spec example, unless it could not be read at all.
    pub example: Option<ExampleSpec>,
    /// Disagreements with the definition, each prefixed `request`/`response`.
    pub contradictions: Vec<String>,
    /// Paths whose Chinese text was replaced.
    pub replaced: Vec<String>,
    /// Why the example was left out, when it was.
    pub failure: Option<String>,
}

/// Converts one example: the request (POST body or rebuilt GET query) and the
/// content of `Response`, both checked against the request and response objects.
/// The example is kept verbatim apart from Chinese text; what disagrees with the
/// definition is listed and written into `notes`.
pub fn convert(
    index: usize,
    tc: &TcExample,
    request_object: &str,
    response_object: &str,
    objects: &BTreeMap<String, TcObject>,
) -> Converted {
    let mut out = Converted {
        example: None,
        contradictions: Vec::new(),
        replaced: Vec::new(),
        failure: None,
    };
    let mut decisions = Vec::new();
    let mut request = match split_request(&tc.input) {
        Ok(RawRequest::Body(body)) => body,
        Ok(RawRequest::Query(pairs)) => {
            let (json, issues) = query_to_json(&pairs, request_object, objects);
            decisions.push("Rebuilt from Tencent's GET query-string example, values converted to the defined types.".to_owned());
            out.contradictions
                .extend(issues.into_iter().map(|i| format!("request {i}")));
            json
        }
        Err(e) => {
            out.failure = Some(e);
            return out;
        }
    };
    let mut response = match serde_json::from_str::<Value>(&tc.output) {
        Ok(answer) => match answer.get("Response") {
            Some(r) => r.clone(),
            None => {
                out.failure = Some("the answer has no `Response` object".to_owned());
                return out;
            }
        },
        Err(e) => {
            out.failure = Some(format!("the answer is not JSON: {e}"));
            return out;
        }
    };
    for (side, value) in [
        (Side::Request, &mut request),
        (Side::Response, &mut response),
    ] {
        let object = if side == Side::Request {
            request_object
        } else {
            response_object
        };
        let mut found = Vec::new();
        if !matches!(value, Value::Object(_)) {
            found.push(format!("is {}, not an object", json_kind(value)));
        } else if side == Side::Response && value.get("Error").is_some() {
            found.push("is an error answer (`Error`)".to_owned());
        } else {
            check_object(value, object, objects, "", side, &mut found);
        }
        out.contradictions
            .extend(found.into_iter().map(|f| format!("{} {f}", side.word())));
        let mut replaced = Vec::new();
        if let Err(e) = scrub_chinese(value, "", &mut replaced) {
            out.failure = Some(format!("{} {e}", side.word()));
            return out;
        }
        out.replaced
            .extend(replaced.into_iter().map(|p| format!("{} {p}", side.word())));
    }
    if !out.contradictions.is_empty() {
        decisions.push(format!(
            "Tencent's example disagrees with the definition; kept as in the source: {}.",
            out.contradictions.join("; ")
        ));
    }
    if !out.replaced.is_empty() {
        decisions.push(format!(
            "Chinese text replaced by \"{PLACEHOLDER}\" in {}.",
            out.replaced.join(", ")
        ));
    }
    out.example = Some(ExampleSpec {
        title: format!("Example {}", index + 1),
        notes: (!decisions.is_empty()).then(|| decisions.join(" ")),
        request,
        response,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::super::tccli::TcMember;
    use super::*;

    fn compact(value: &Value) -> String {
        serde_json::to_string(value).unwrap()
    }

    fn member(name: &str, ty: &str, member: &str, required: bool) -> TcMember {
        TcMember {
            name: name.to_owned(),
            ty: ty.to_owned(),
            member: member.to_owned(),
            required,
            output_required: false,
            value_allowed_null: false,
            disabled: false,
            example: None,
        }
    }

    fn objects() -> BTreeMap<String, TcObject> {
        BTreeMap::from([
            (
                "ListRequest".to_owned(),
                TcObject {
                    members: vec![
                        member("SdkAppId", "int", "uint64", true),
                        member("Ids", "list", "int64", false),
                        member("Filters", "list", "Filter", false),
                        member("Name", "string", "string", false),
                        member("Enabled", "bool", "bool", false),
                    ],
                },
            ),
            (
                "Filter".to_owned(),
                TcObject {
                    members: vec![
                        member("Name", "string", "string", true),
                        member("Values", "list", "string", false),
                    ],
                },
            ),
        ])
    }

    const GET: &str = "https://ccc.tencentcloudapi.com/?Action=List\n&SdkAppId=1400000000\n&Ids.0=5\n&Ids.1=-7\n\
        &Filters.0.Name=State\n&Filters.0.Values.0=a\n&Filters.0.Values.1=b\n&Filters.1.Name=x%20y\n&Enabled=true\n&<公共请求参数>";

    #[test]
    fn get_query_becomes_nested_typed_json() {
        let RawRequest::Query(pairs) = split_request(GET).unwrap() else {
            panic!("not a query")
        };
        assert_eq!(pairs[0], ("Action".to_owned(), "List".to_owned()));
        let (json, issues) = query_to_json(&pairs, "ListRequest", &objects());
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(
            compact(&json),
            r#"{"SdkAppId":1400000000,"Ids":[5,-7],"Filters":[{"Name":"State","Values":["a","b"]},{"Name":"x y"}],"Enabled":true}"#
        );
    }

    #[test]
    fn query_values_that_do_not_fit_stay_strings_and_are_reported() {
        let pairs = vec![
            ("SdkAppId".to_owned(), "abc".to_owned()),
            ("Ids.1".to_owned(), "3".to_owned()),
            ("Other".to_owned(), "1".to_owned()),
        ];
        let o = objects();
        let (json, issues) = query_to_json(&pairs, "ListRequest", &o);
        assert_eq!(compact(&json), r#"{"SdkAppId":"abc","Ids":[],"Other":"1"}"#);
        assert_eq!(
            issues,
            ["query parameter `Ids.1`: index 1 skips 0; left out"]
        );
        let mut found = Vec::new();
        check_object(&json, "ListRequest", &o, "", Side::Request, &mut found);
        assert_eq!(
            found,
            [
                "sends `SdkAppId` as a string (defined u64)",
                "sends `Other`, which the definition does not have"
            ]
        );
    }

    #[test]
    fn post_body_is_read_after_the_blank_line() {
        let input = "POST / HTTP/1.1\nHost: x\n<公共请求参数>\n\n{\n  \"SdkAppId\": \"1\", \"Name\": \"名字\"\n}";
        let RawRequest::Body(body) = split_request(input).unwrap() else {
            panic!("not a body")
        };
        assert_eq!(compact(&body), r#"{"SdkAppId":"1","Name":"名字"}"#);
    }

    #[test]
    fn convert_keeps_contradictions_and_replaces_chinese() {
        let mut o = objects();
        o.insert(
            "ListResponse".to_owned(),
            TcObject {
                members: vec![
                    TcMember {
                        output_required: true,
                        ..member("Total", "int", "int64", false)
                    },
                    member("RequestId", "string", "string", false),
                ],
            },
        );
        let tc = TcExample {
            input: "POST / HTTP/1.1\n\n{\"SdkAppId\": \"1\", \"Name\": \"名字\"}".to_owned(),
            output: "{\"Response\": {\"RequestId\": \"r\"}}".to_owned(),
        };
        let c = convert(0, &tc, "ListRequest", "ListResponse", &o);
        assert_eq!(
            c.contradictions,
            [
                "request sends `SdkAppId` as a string (defined u64)",
                "response omits `Total`, which the definition marks output_required"
            ]
        );
        let example = c.example.unwrap();
        assert_eq!(example.title, "Example 1");
        assert_eq!(
            compact(&example.request),
            format!(r#"{{"SdkAppId":"1","Name":"{PLACEHOLDER}"}}"#)
        );
        let notes = example.notes.unwrap();
        assert!(
            notes.contains(
                "kept as in the source: request sends `SdkAppId` as a string (defined u64)"
            ),
            "{notes}"
        );
        assert!(notes.contains("Chinese text replaced"), "{notes}");
        assert!(!has_cjk(&notes));
    }
}
