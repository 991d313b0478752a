//! The API 3.0 answer envelope, `{"Response": {..., "RequestId": "..."}}`,
//! decoded in one pass over the bytes.
//!
//! A successful answer's `Response` object holds the action's output members
//! and `RequestId`; a failed one holds `Error` (`Code`, `Message`) and
//! `RequestId`. The output type is decoded straight from the `Response`
//! object with the lenient policy of [`crate::de`], while `Error` and
//! `RequestId` are picked out on the way, wherever they come among the
//! members: no intermediate tree is built. `"Error": null` counts as no error.
//!
//! Only a failure takes a second look: the body is then parsed as a whole to
//! tell an error answer, a body that is not the envelope and an output that
//! does not fit apart, and in the last case decoded once more with path
//! tracking to name the member (`Tasks[3].State`).

use std::cell::RefCell;

use serde::de::{self, Deserialize, DeserializeOwned, IgnoredAny};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::de::{Json, Lenient, Path, Store, json_text, locate};
use crate::error::{Error, ServiceError, excerpt};

/// Decodes an answer: the `Response` object as `O` and its `RequestId`, or
/// the error the answer carries.
///
/// `status` is the HTTP status: a body that is not the envelope is
/// [`Error::UnexpectedStatus`] for a status outside 2xx, [`Error::Decode`]
/// otherwise. An envelope with `Response.Error` is [`Error::Service`]
/// whatever the status.
pub fn decode<O: DeserializeOwned>(status: u16, body: &[u8]) -> Result<(O, String), Error> {
    let mut output = None;
    let (result, request_id) = decode_into(status, body, &mut |response| {
        output = Some(O::deserialize(response)?);
        Ok(())
    });
    result?;
    let output = output.ok_or_else(never_decoded)?;
    Ok((output, request_id))
}

/// The error for an output that [`decode_into`] said it stored but did not.
pub(crate) fn never_decoded() -> Error {
    Error::Decode {
        message: "the answer was never decoded".to_owned(),
        path: String::new(),
        body_excerpt: String::new(),
    }
}

/// [`decode`] without the output type: `store` decodes the `Response`
/// object and keeps it. Gives the request ID too, also when the answer has
/// one but does not decode.
///
/// This is the whole of decoding but for `store`, compiled once, in this
/// crate, rather than once per action.
pub(crate) fn decode_into<'de>(
    status: u16,
    body: &'de [u8],
    store: &mut Store<'_, 'de>,
) -> (Result<(), Error>, String) {
    let facts = Facts::default();
    crate::de::omitted::reset();
    let decoded = one_pass(body, None, &facts, store);
    let request_id = facts.request_id.take().unwrap_or_default();
    let result = match (decoded, facts.error.take()) {
        // `Error` wins over whatever the output type made of the rest.
        (_, Some(error)) => Err(service_error(
            error.code.as_ref(),
            error.message.as_ref(),
            request_id.clone(),
            body,
        )),
        (Ok(true), None) if !success(status) => Err(unexpected_status(status, body)),
        (Ok(true), None) => {
            if crate::de::omitted::counted() > 0 {
                // Once more with a tracker, to name each member the answer left out.
                let _ = one_pass(body, Some(&Path::default()), &Facts::default(), store);
            }
            Ok(())
        }
        (Ok(false), None) => Err(not_envelope(
            status,
            body,
            "no `Response` object".to_owned(),
        )),
        (Err(first), None) => Err(second_look(status, body, &first, store)),
    };
    (result, request_id)
}

/// What the envelope says besides the output, noted while the `Response`
/// object is decoded (see [`Lenient::response`]).
#[derive(Debug, Default)]
pub(crate) struct Facts {
    request_id: RefCell<Option<String>>,
    /// `Response.Error`, unless absent or `null`.
    error: RefCell<Option<ErrorMembers>>,
}

impl Facts {
    /// Notes `Response.Error`, as found (`None` for `null`).
    pub(crate) fn note_error(&self, error: Option<ErrorMembers>) {
        *self.error.borrow_mut() = error;
    }

    /// Notes `Response.RequestId` when it is a string.
    pub(crate) fn note_request_id(&self, value: &RawValue) {
        let text = value.get();
        let id = match text.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
            // The usual case, a string without escapes: its text is its value.
            Some(plain) if !plain.contains('\\') => Some(plain.to_owned()),
            _ => serde_json::from_str(text).ok(),
        };
        *self.request_id.borrow_mut() = id;
    }
}

/// One pass over the envelope, `{"Response": {...}, ...}`: the `Response`
/// object goes to `store`, any other member is skipped. `Ok(false)` when the
/// top level has no `Response` member.
///
/// The top level is walked here rather than by a serde visitor so that
/// `store` is handed serde_json's own deserializer type, positioned at the
/// `Response` object: a visitor would only get a generic one, and everything
/// between it and `store` would be compiled once per action.
fn one_pass<'de>(
    body: &'de [u8],
    path: Option<&Path>,
    facts: &Facts,
    store: &mut Store<'_, 'de>,
) -> Result<bool, serde_json::Error> {
    let mut text = Cursor {
        text: json_text(body)?,
        at: 0,
    };
    let mut found = false;
    text.expect(b'{')?;
    if !text.eat(b'}') {
        loop {
            let key: Key<'de> = text.value()?;
            text.expect(b':')?;
            if key.0 == "Response" {
                let mut json = Json::from_str(text.rest());
                store(Lenient::response(&mut json, path, facts))?;
                text.at += json.into_iter::<IgnoredAny>().byte_offset();
                found = true;
            } else {
                text.value::<IgnoredAny>()?;
            }
            if !text.eat(b',') {
                text.expect(b'}')?;
                break;
            }
        }
    }
    if text.skip_whitespace().is_some() {
        return Err(de::Error::custom("trailing characters after the envelope"));
    }
    Ok(found)
}

/// A position in the body, for walking the envelope's top level.
struct Cursor<'de> {
    text: &'de str,
    at: usize,
}

impl<'de> Cursor<'de> {
    fn rest(&self) -> &'de str {
        &self.text[self.at..]
    }

    /// Skips JSON whitespace; the next byte, if any.
    fn skip_whitespace(&mut self) -> Option<u8> {
        let rest = self.rest().as_bytes();
        let skipped = rest
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            .count();
        self.at += skipped;
        rest.get(skipped).copied()
    }

    /// Takes `byte` if it comes next.
    fn eat(&mut self, byte: u8) -> bool {
        let found = self.skip_whitespace() == Some(byte);
        if found {
            self.at += 1;
        }
        found
    }

    fn expect(&mut self, byte: u8) -> Result<(), serde_json::Error> {
        if self.eat(byte) {
            Ok(())
        } else {
            Err(de::Error::custom(format_args!(
                "expected `{}` in the envelope",
                byte as char
            )))
        }
    }

    /// Reads one JSON value as `T`.
    fn value<T: Deserialize<'de>>(&mut self) -> Result<T, serde_json::Error> {
        let mut values = Json::from_str(self.rest()).into_iter::<T>();
        let value = values
            .next()
            .unwrap_or_else(|| Err(de::Error::custom("the envelope ends early")))?;
        self.at += values.byte_offset();
        Ok(value)
    }
}

/// After a failed pass without `Response.Error` seen: judge the whole body
/// as before, and name the member that did not fit.
#[cold]
fn second_look<'de>(
    status: u16,
    body: &'de [u8],
    first: &serde_json::Error,
    store: &mut Store<'_, 'de>,
) -> Error {
    let envelope: Value = match serde_json::from_slice(body) {
        Ok(envelope) => envelope,
        Err(e) => return not_envelope(status, body, format!("not JSON: {e}")),
    };
    let Some(response) = envelope.get("Response") else {
        return not_envelope(status, body, "no `Response` object".to_owned());
    };
    if let Some(error) = response.get("Error").filter(|e| !e.is_null()) {
        let request_id = response
            .get("RequestId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        return service_error(error.get("Code"), error.get("Message"), request_id, body);
    }
    if !success(status) {
        return unexpected_status(status, body);
    }
    let located = locate(first, |path| {
        one_pass(body, Some(path), &Facts::default(), store).map(drop)
    });
    Error::Decode {
        message: located.message,
        path: located.path,
        body_excerpt: excerpt(body),
    }
}

fn success(status: u16) -> bool {
    (200..300).contains(&status)
}

fn unexpected_status(status: u16, body: &[u8]) -> Error {
    Error::UnexpectedStatus {
        status,
        body_excerpt: excerpt(body),
    }
}

fn not_envelope(status: u16, body: &[u8], message: String) -> Error {
    if success(status) {
        Error::Decode {
            message,
            path: String::new(),
            body_excerpt: excerpt(body),
        }
    } else {
        unexpected_status(status, body)
    }
}

/// What `Response.Error` holds that the SDK reads; other members are skipped.
/// Read into this rather than a `Value`, which would build a map.
#[derive(Debug, serde::Deserialize)]
pub(crate) struct ErrorMembers {
    #[serde(rename = "Code", default)]
    code: Option<Value>,
    #[serde(rename = "Message", default)]
    message: Option<Value>,
}

fn service_error(
    code: Option<&Value>,
    message: Option<&Value>,
    request_id: String,
    body: &[u8],
) -> Error {
    let Some(code) = code.and_then(Value::as_str) else {
        return Error::Decode {
            message: "`Response.Error` has no string `Code`".to_owned(),
            path: "Error.Code".to_owned(),
            body_excerpt: excerpt(body),
        };
    };
    Error::Service(ServiceError {
        code: code.to_owned(),
        message: message
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        request_id,
    })
}

/// A member name of the top level, borrowed from the body unless it holds escapes.
struct Key<'de>(std::borrow::Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        de::DeserializeSeed::deserialize(crate::de::omitted::KeySeed, deserializer).map(Key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Answer {
        #[serde(rename = "Count")]
        count: u64,
        #[serde(rename = "RequestId")]
        request_id: String,
    }

    #[derive(Debug, serde::Deserialize)]
    struct Optional {
        #[serde(rename = "Count", default)]
        count: Option<u64>,
    }

    #[test]
    fn success_decodes_with_the_request_id() {
        let (answer, request_id) = decode::<Answer>(
            200,
            br#"{"Response":{"Count":"3","RequestId":"r","Other":[1]}}"#,
        )
        .unwrap();
        assert_eq!(
            (
                answer.count,
                answer.request_id.as_str(),
                request_id.as_str()
            ),
            (3, "r", "r")
        );
    }

    #[test]
    fn error_comes_before_or_after_the_members() {
        for body in [
            r#"{"Response":{"Error":{"Code":"InvalidParameter","Message":"bad"},"RequestId":"r-1"}}"#,
            r#"{"Response":{"RequestId":"r-1","Error":{"Code":"InvalidParameter","Message":"bad"}}}"#,
        ] {
            let err = decode::<Answer>(200, body.as_bytes()).unwrap_err();
            assert_eq!(
                err.to_string(),
                "InvalidParameter: bad (request id r-1)",
                "{body}"
            );
        }
        // An output type with nothing required decodes an error answer fine; the error still wins.
        let err = decode::<Optional>(
            400,
            br#"{"Response":{"Error":{"Code":"X","Message":"m"},"RequestId":"r"}}"#,
        )
        .unwrap_err();
        assert_eq!(err.code().map(String::as_str), Some("X"));
        let (optional, _) =
            decode::<Optional>(200, br#"{"Response":{"Count":"2","RequestId":"r"}}"#).unwrap();
        assert_eq!(optional.count, Some(2));
    }

    #[test]
    fn error_after_a_mismatch_still_wins() {
        let err = decode::<Answer>(
            200,
            br#"{"Response":{"Count":"x","Error":{"Code":"X","Message":"m"},"RequestId":"r"}}"#,
        )
        .unwrap_err();
        assert_eq!(err.code().map(String::as_str), Some("X"), "{err:?}");
        assert_eq!(err.request_id(), Some("r"));
    }

    #[test]
    fn null_error_is_success() {
        let (answer, request_id) = decode::<Answer>(
            200,
            br#"{"Response":{"Error":null,"Count":1,"RequestId":"r"}}"#,
        )
        .unwrap();
        assert_eq!((answer.count, request_id.as_str()), (1, "r"));
    }

    #[test]
    fn error_without_a_code_is_a_decode_error() {
        let err = decode::<Optional>(
            200,
            br#"{"Response":{"Error":{"Message":"m"},"RequestId":"r"}}"#,
        )
        .unwrap_err();
        assert!(
            matches!(&err, Error::Decode { path, .. } if path == "Error.Code"),
            "{err:?}"
        );
    }

    #[test]
    fn mismatches_name_the_path() {
        let err =
            decode::<Answer>(200, br#"{"Response":{"RequestId":"r","Count":"x"}}"#).unwrap_err();
        let Error::Decode { path, message, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(
            (path.as_str(), message.as_str()),
            ("Count", "invalid type: string \"x\", expected u64")
        );
        let err = decode::<Answer>(200, br#"{"Response":{"RequestId":5,"Count":1}}"#).unwrap_err();
        assert!(
            matches!(&err, Error::Decode { path, .. } if path == "RequestId"),
            "{err:?}"
        );
        // A member left out is no mismatch: it decodes as empty (see `crate::de`).
        let (answer, _) = decode::<Answer>(200, br#"{"Response":{"RequestId":"r"}}"#).unwrap();
        assert_eq!(answer.count, 0);
    }

    #[test]
    fn the_top_level_is_walked_as_json() {
        // Whitespace anywhere, members before and after `Response`, escapes in names.
        let body = b" {\n\"Other\": [1, {\"a\": \"}\"}], \"Response\" : {\"Count\": 2, \"RequestId\": \"r\"} , \"N\": -1.5e3 } \n";
        let (answer, request_id) = decode::<Answer>(200, body).unwrap();
        assert_eq!((answer.count, request_id.as_str()), (2, "r"));
        let (answer, _) =
            decode::<Answer>(200, br#"{"Respons\u0065":{"Count":4,"RequestId":"r"}}"#).unwrap();
        assert_eq!(answer.count, 4);
        for body in [
            &br#"{"Response":{"Count":1,"RequestId":"r"},}"#[..],
            br#"{"Response":{"Count":1,"RequestId":"r"}"#,
            br#"{"Response" {"Count":1,"RequestId":"r"}}"#,
            br#"{"Response":{"Count":1,"RequestId":"r"}}}"#,
            br#"{"Response":{"Count":1,"RequestId":"r"} "X":1}"#,
        ] {
            let err = decode::<Answer>(200, body).unwrap_err();
            assert!(
                matches!(&err, Error::Decode { message, .. } if message.starts_with("not JSON")),
                "{err:?}"
            );
        }
    }

    #[test]
    fn request_ids_with_escapes_are_read_as_json() {
        let (answer, request_id) = decode::<Answer>(
            200,
            br#"{"Response":{"Count":1,"RequestId":"r\u002d\"1\""}}"#,
        )
        .unwrap();
        assert_eq!(
            (answer.request_id.as_str(), request_id.as_str()),
            ("r-\"1\"", "r-\"1\"")
        );
    }

    #[test]
    fn error_objects_of_any_shape() {
        let err = decode::<Answer>(
            200,
            br#"{"Response":{"Error":{"Extra":{"a":[1]},"Message":"m","Code":"X"},"RequestId":"r"}}"#,
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "X: m (request id r)");
        for body in [
            &br#"{"Response":{"Error":"boom","RequestId":"r"}}"#[..],
            br#"{"Response":{"Error":{"Code":5,"Message":"m"},"RequestId":"r"}}"#,
            br#"{"Response":{"Error":{"Code":null},"RequestId":"r"}}"#,
            br#"{"Response":{"Error":[],"RequestId":"r"}}"#,
        ] {
            let err = decode::<Optional>(200, body).unwrap_err();
            assert!(
                matches!(&err, Error::Decode { path, .. } if path == "Error.Code"),
                "{err:?}"
            );
        }
    }

    #[test]
    fn untyped_outputs_see_the_error_and_the_request_id() {
        let err = decode::<Value>(
            200,
            br#"{"Response":{"Error":{"Code":"X","Message":"m"},"RequestId":"r"}}"#,
        )
        .unwrap_err();
        assert_eq!(
            (err.code().map(String::as_str), err.request_id()),
            (Some("X"), Some("r"))
        );
        let (value, request_id) =
            decode::<Value>(200, br#"{"Response":{"A":"1","RequestId":"r"}}"#).unwrap();
        assert_eq!(value, serde_json::json!({"A": "1", "RequestId": "r"}));
        assert_eq!(request_id, "r");
    }

    #[test]
    fn bodies_that_are_not_the_envelope() {
        let err = decode::<Answer>(502, b"<html>Bad Gateway</html>").unwrap_err();
        assert!(
            matches!(err, Error::UnexpectedStatus { status: 502, .. }),
            "{err:?}"
        );
        let err = decode::<Answer>(200, b"<html>").unwrap_err();
        assert!(
            matches!(&err, Error::Decode { message, .. } if message.starts_with("not JSON")),
            "{err:?}"
        );
        let err = decode::<Answer>(200, br#"{"Other":{}}"#).unwrap_err();
        assert!(
            matches!(&err, Error::Decode { message, .. } if message.contains("no `Response`")),
            "{err:?}"
        );
        let err = decode::<Answer>(200, br#"[1]"#).unwrap_err();
        assert!(
            matches!(&err, Error::Decode { message, .. } if message.contains("no `Response`")),
            "{err:?}"
        );
        let err =
            decode::<Answer>(200, br#"{"Response":{"Count":1,"RequestId":"r"}} x"#).unwrap_err();
        assert!(
            matches!(&err, Error::Decode { message, .. } if message.starts_with("not JSON")),
            "{err:?}"
        );
        let err =
            decode::<Answer>(500, br#"{"Response":{"Count":1,"RequestId":"r"}}"#).unwrap_err();
        assert!(
            matches!(err, Error::UnexpectedStatus { status: 500, .. }),
            "{err:?}"
        );
        let err = decode::<Answer>(200, b"{\"Response\":{\"Count\":1,\"RequestId\":\"r\xff\"}}")
            .unwrap_err();
        assert!(
            matches!(&err, Error::Decode { message, .. } if message.starts_with("not JSON")),
            "{err:?}"
        );
        let err = decode::<Answer>(500, b"{\"Response\":{\"Count\":1,\"RequestId\":\"r\xff\"}}")
            .unwrap_err();
        assert!(
            matches!(err, Error::UnexpectedStatus { status: 500, .. }),
            "{err:?}"
        );
    }
}
