//! Writing answers: the `{"Response": {..., "RequestId": "..."}}` envelope
//! around what an action answers, straight to bytes.
//!
//! Actions hand over their members already written as a JSON object
//! ([`Members`]), so that one that answers from the store (a page of tasks,
//! say) writes borrowed data while it holds the store's lock, instead of
//! copying it into a throwaway `serde_json::Value` tree first.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::ApiError;

/// The start of every answer's body.
const PREFIX: &[u8] = b"{\"Response\":";

/// Room left at the end of a body for `RequestId` (a UUID) and the closing braces.
const REQUEST_ID_ROOM: usize = 64;

/// The members of a successful answer's `Response` object, besides
/// `RequestId`, written as a JSON object after the envelope's opening, so
/// that the body is written once into one buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Members(Vec<u8>);

impl Members {
    /// Members that `write` appends to the buffer as one JSON object (`{...}`)
    /// without a `RequestId` member; `size` is a guess of how many bytes it writes.
    pub(crate) fn written(size: usize, write: impl FnOnce(&mut Vec<u8>)) -> Self {
        let mut body = Vec::with_capacity(PREFIX.len() + size + REQUEST_ID_ROOM);
        body.extend_from_slice(PREFIX);
        write(&mut body);
        Members(body)
    }

    /// `value`, which must serialize as an object without a `RequestId` member.
    pub(crate) fn of<T: Serialize + ?Sized>(value: &T) -> Result<Self, ApiError> {
        let mut result = Ok(());
        let members = Self::written(256, |body| result = serde_json::to_writer(body, value));
        result.map(|()| members).map_err(|e| {
            ApiError::new(
                "InternalError",
                format!("The emulator could not write its answer: {e}."),
            )
        })
    }
}

impl From<Map<String, Value>> for Members {
    fn from(mut members: Map<String, Value>) -> Self {
        members.remove("RequestId");
        // A map of JSON values always serializes.
        Members::of(&members)
            .unwrap_or_else(|_| Members::written(2, |body| body.extend_from_slice(b"{}")))
    }
}

/// The whole body of a successful answer.
pub(crate) fn success(members: Members, request_id: &str) -> Vec<u8> {
    let Members(mut body) = members;
    // The members are an object: reopen it to add `RequestId` as its last member.
    let closing = body.pop();
    debug_assert_eq!(closing, Some(b'}'), "members are written as an object");
    if body.last() != Some(&b'{') {
        body.push(b',');
    }
    body.extend_from_slice(b"\"RequestId\":");
    write_string(&mut body, request_id);
    body.extend_from_slice(b"}}");
    body
}

/// The whole body of an error answer.
pub(crate) fn failure(error: &ApiError, request_id: &str) -> Vec<u8> {
    #[derive(Serialize)]
    struct Envelope<'a> {
        #[serde(rename = "Response")]
        response: Response<'a>,
    }
    #[derive(Serialize)]
    struct Response<'a> {
        #[serde(rename = "Error")]
        error: Error<'a>,
        #[serde(rename = "RequestId")]
        request_id: &'a str,
    }
    #[derive(Serialize)]
    struct Error<'a> {
        #[serde(rename = "Code")]
        code: &'a str,
        #[serde(rename = "Message")]
        message: &'a str,
    }
    let envelope = Envelope {
        response: Response {
            error: Error {
                code: &error.code,
                message: &error.message,
            },
            request_id,
        },
    };
    // Strings only: cannot fail.
    serde_json::to_vec(&envelope).unwrap_or_default()
}

fn write_string(out: &mut Vec<u8>, text: &str) {
    // Writing a `&str` into a `Vec` cannot fail.
    let _ = serde_json::to_writer(&mut *out, text);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parsed(body: &[u8]) -> Value {
        serde_json::from_slice(body).unwrap()
    }

    #[test]
    fn members_get_the_request_id() {
        let mut map = Map::new();
        map.insert("TaskId".to_owned(), json!(7));
        map.insert("RequestId".to_owned(), json!("stale"));
        let body = success(Members::from(map), "r-\"1\"");
        assert_eq!(
            parsed(&body),
            json!({"Response": {"TaskId": 7, "RequestId": "r-\"1\""}})
        );
        let body = success(Members::from(Map::new()), "r");
        assert_eq!(parsed(&body), json!({"Response": {"RequestId": "r"}}));
    }

    #[test]
    fn errors_are_enveloped() {
        let body = failure(&ApiError::new("InvalidParameter", "bad \"x\""), "r");
        assert_eq!(
            parsed(&body),
            json!({"Response": {"Error": {"Code": "InvalidParameter", "Message": "bad \"x\""}, "RequestId": "r"}})
        );
    }
}
