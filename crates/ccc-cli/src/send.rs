//! The one way the CLI sends a request: JSON keyed by wire names is decoded
//! into the SDK's request type (which checks every member, nested structures
//! included, against the spec), sent with [`ccc_api::Client::send_request`],
//! and the typed answer is encoded back to JSON as the API names it.

use ccc_api::{Client, Request};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use tencentcloud_runtime::BoxFuture;

/// Why a call did not produce an answer.
#[derive(Debug)]
pub enum CallError {
    /// The request does not fit the action's definition; nothing was sent.
    InvalidRequest(String),
    /// The SDK or the service failed.
    Api(ccc_api::Error),
    /// The answer could not be turned back into JSON (a bug, not bad input).
    Encode(String),
}

/// Sends `request` as the action whose request type is `R`. Generated code
/// instantiates it once per action (`send::<DescribeAutoCalloutTasksRequest>`).
pub fn send<R>(client: &Client, request: Value) -> BoxFuture<'_, Result<Value, CallError>>
where
    R: Request + Serialize + DeserializeOwned,
    R::Response: Serialize,
{
    Box::pin(async move {
        let typed: R = decode(request)?;
        let response = client.send_request(typed).await.map_err(CallError::Api)?;
        // Members stay in the definition's order (`serde_json`'s `preserve_order`).
        serde_json::to_value(&response).map_err(|e| CallError::Encode(e.to_string()))
    })
}

/// Decodes `request` strictly: wrong types, missing required members and
/// members the definition does not have are all errors naming the member's path.
pub fn decode<R: Serialize + DeserializeOwned>(request: Value) -> Result<R, CallError> {
    let typed: R = serde_path_to_error::deserialize(&request).map_err(|e| {
        let path = e.path().to_string();
        let message = e.inner().to_string();
        CallError::InvalidRequest(if path == "." {
            message
        } else {
            format!("{path}: {message}")
        })
    })?;
    // serde ignores unknown keys; encoding back shows which ones it dropped.
    let encoded = serde_json::to_value(&typed).map_err(|e| CallError::Encode(e.to_string()))?;
    if let Some(path) = first_unknown(&request, &encoded, String::new()) {
        return Err(CallError::InvalidRequest(format!(
            "{path}: no such member in the definition"
        )));
    }
    Ok(typed)
}

/// The path of the first member of `given` (not null) that `kept` lacks.
fn first_unknown(given: &Value, kept: &Value, path: String) -> Option<String> {
    match (given, kept) {
        (Value::Object(given), Value::Object(kept)) => first_unknown_member(given, kept, &path),
        (Value::Array(given), Value::Array(kept)) => given
            .iter()
            .zip(kept)
            .enumerate()
            .find_map(|(i, (g, k))| first_unknown(g, k, format!("{path}[{i}]"))),
        _ => None,
    }
}

fn first_unknown_member(
    given: &Map<String, Value>,
    kept: &Map<String, Value>,
    path: &str,
) -> Option<String> {
    given
        .iter()
        .filter(|(_, value)| !value.is_null())
        .find_map(|(key, value)| {
            let here = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            match kept.get(key) {
                None => Some(here),
                Some(kept) => first_unknown(value, kept, here),
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ccc_api::actions::CreateAutoCalloutTaskRequest;
    use serde_json::json;

    fn create(request: Value) -> Result<CreateAutoCalloutTaskRequest, String> {
        decode(request).map_err(|e| match e {
            CallError::InvalidRequest(message) => message,
            other => panic!("{other:?}"),
        })
    }

    fn minimal() -> Value {
        json!({"SdkAppId": 1, "NotBefore": 2, "Callees": ["1"], "Callers": ["2"]})
    }

    #[test]
    fn a_valid_request_decodes() {
        let request = create(minimal()).unwrap();
        assert_eq!(request.sdk_app_id, 1);
    }

    #[test]
    fn errors_name_the_member() {
        let mut wrong_type = minimal();
        wrong_type["SdkAppId"] = json!("one");
        assert!(
            create(wrong_type)
                .unwrap_err()
                .starts_with("SdkAppId: invalid type")
        );

        let mut nested = minimal();
        nested["Variables"] = json!([{"Key": "a", "Value": 3}]);
        let message = create(nested).unwrap_err();
        assert!(
            message.starts_with("Variables[0].Value: invalid type"),
            "{message}"
        );

        let mut missing = minimal();
        missing.as_object_mut().unwrap().remove("Callers");
        assert!(
            create(missing)
                .unwrap_err()
                .contains("missing field `Callers`")
        );
    }

    #[test]
    fn unknown_members_are_refused_at_any_depth() {
        let mut top = minimal();
        top["Bogus"] = json!(1);
        assert_eq!(
            create(top).unwrap_err(),
            "Bogus: no such member in the definition"
        );

        let mut nested = minimal();
        nested["Variables"] = json!([{"Key": "a", "Value": "b", "Colour": "red"}]);
        assert_eq!(
            create(nested).unwrap_err(),
            "Variables[0].Colour: no such member in the definition"
        );

        // null stands for "not given".
        let mut null = minimal();
        null["Bogus"] = Value::Null;
        assert!(create(null).is_ok());
    }
}
