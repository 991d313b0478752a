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

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{BorrowedStrDeserializer, StrDeserializer};
use serde::de::{
    self, Deserialize, DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess,
    Visitor,
};
use serde_json::Value;

use crate::de::{Lenient, Path, locate};
use crate::error::{Error, ServiceError, excerpt};

/// Decodes an answer: the `Response` object as `O` and its `RequestId`, or
/// the error the answer carries.
///
/// `status` is the HTTP status: a body that is not the envelope is
/// [`Error::UnexpectedStatus`] for a status outside 2xx, [`Error::Decode`]
/// otherwise. An envelope with `Response.Error` is [`Error::Service`]
/// whatever the status.
pub fn decode<O: DeserializeOwned>(status: u16, body: &[u8]) -> Result<(O, String), Error> {
    let (result, request_id) = decode_with_request_id(status, body);
    result.map(|output| (output, request_id))
}

/// [`decode`], also giving the request ID when the answer has one but does not decode.
pub(crate) fn decode_with_request_id<O: DeserializeOwned>(
    status: u16,
    body: &[u8],
) -> (Result<O, Error>, String) {
    let mut facts = Facts::default();
    crate::de::omitted::reset();
    let decoded = one_pass::<O>(body, None, &mut facts);
    let request_id = facts.request_id.take().unwrap_or_default();
    let result = match (decoded, facts.error) {
        // `Error` wins over whatever the output type made of the rest.
        (_, Some(error)) => Err(service_error(&error, request_id.clone(), body)),
        (Ok(Some(_)), None) if !success(status) => Err(unexpected_status(status, body)),
        (Ok(Some(output)), None) => {
            if crate::de::omitted::counted() > 0 {
                // Once more with a tracker, to name each member the answer left out.
                let _ = one_pass::<O>(body, Some(&Path::default()), &mut Facts::default());
            }
            Ok(output)
        }
        (Ok(None), None) => Err(not_envelope(
            status,
            body,
            "no `Response` object".to_owned(),
        )),
        (Err(first), None) => Err(second_look::<O>(status, body, &first)),
    };
    (result, request_id)
}

/// What the envelope says besides the output.
#[derive(Debug, Default)]
struct Facts {
    request_id: Option<String>,
    /// `Response.Error`, unless absent or `null`.
    error: Option<Value>,
}

/// One pass: `None` when the top level has no `Response` member.
fn one_pass<'de, O: Deserialize<'de>>(
    body: &'de [u8],
    path: Option<&Path>,
    facts: &mut Facts,
) -> Result<Option<O>, serde_json::Error> {
    let mut json = serde_json::Deserializer::from_str(crate::de::json_text(body)?);
    let output = (&mut json).deserialize_map(TopLevel {
        path,
        facts,
        output: PhantomData,
    })?;
    json.end()?;
    Ok(output)
}

/// After a failed pass without `Response.Error` seen: judge the whole body
/// as before, and name the member that did not fit.
#[cold]
fn second_look<O: DeserializeOwned>(status: u16, body: &[u8], first: &serde_json::Error) -> Error {
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
        return service_error(error, request_id, body);
    }
    if !success(status) {
        return unexpected_status(status, body);
    }
    let located = locate(first, |path| {
        one_pass::<O>(body, Some(path), &mut Facts::default()).map(drop)
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

fn service_error(error: &Value, request_id: String, body: &[u8]) -> Error {
    let field = |name: &str| error.get(name).and_then(Value::as_str);
    let Some(code) = field("Code") else {
        return Error::Decode {
            message: "`Response.Error` has no string `Code`".to_owned(),
            path: "Error.Code".to_owned(),
            body_excerpt: excerpt(body),
        };
    };
    Error::Service(ServiceError {
        code: code.to_owned(),
        message: field("Message").unwrap_or_default().to_owned(),
        request_id,
    })
}

/// A member name, borrowed from the body unless it holds escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_owned())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// The top-level object: its `Response` member is decoded, the rest skipped.
struct TopLevel<'p, 'f, O> {
    path: Option<&'p Path>,
    facts: &'f mut Facts,
    output: PhantomData<O>,
}

impl<'de, O: Deserialize<'de>> Visitor<'de> for TopLevel<'_, '_, O> {
    type Value = Option<O>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object with a `Response` member")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<O>, A::Error> {
        let mut output = None;
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if key.0 == "Response" {
                let seed = ResponseSeed {
                    path: self.path,
                    facts: &mut *self.facts,
                    output: PhantomData,
                };
                output = Some(map.next_value_seed(seed)?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(output)
    }
}

/// The `Response` object, decoded as `O`.
struct ResponseSeed<'p, 'f, O> {
    path: Option<&'p Path>,
    facts: &'f mut Facts,
    output: PhantomData<O>,
}

impl<'de, O: Deserialize<'de>> DeserializeSeed<'de> for ResponseSeed<'_, '_, O> {
    type Value = O;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<O, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, O: Deserialize<'de>> Visitor<'de> for ResponseSeed<'_, '_, O> {
    type Value = O;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the `Response` object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<O, A::Error> {
        let members = Members {
            inner: map,
            path: self.path,
            facts: self.facts,
            request_id: None,
            key: None,
        };
        O::deserialize(ResponseMembers {
            members,
            path: self.path,
        })
    }
}

/// The members of `Response` as a deserializer: a structure is completed
/// with the members the answer leaves out (see `crate::de::omitted`).
struct ResponseMembers<'p, 'f, A> {
    members: Members<'p, 'f, A>,
    path: Option<&'p Path>,
}

impl<'de, A: MapAccess<'de>> Deserializer<'de> for ResponseMembers<'_, '_, A> {
    type Error = A::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
        visitor.visit_map(self.members)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        visitor.visit_map(crate::de::omitted::Complete::new(
            self.members,
            fields,
            self.path,
        ))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

/// The members of `Response` as the output type sees them: `Error` is taken
/// out, `RequestId` noted on its way through, every value decoded leniently.
struct Members<'p, 'f, A> {
    inner: A,
    path: Option<&'p Path>,
    facts: &'f mut Facts,
    /// `RequestId`'s value, read to note it, waiting to be handed to the output type.
    request_id: Option<Value>,
    /// With a tracker: the current member's name, to name it if its value fails.
    key: Option<String>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Members<'_, '_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        loop {
            let Some(Key(key)) = self.inner.next_key::<Key<'de>>()? else {
                return Ok(None);
            };
            match key.as_ref() {
                "Error" => {
                    self.facts.error = self.inner.next_value::<Option<Value>>()?;
                    continue;
                }
                "RequestId" => {
                    let value = self.inner.next_value::<Value>()?;
                    self.facts.request_id = value.as_str().map(str::to_owned);
                    self.request_id = Some(value);
                }
                _ => {}
            }
            if self.path.is_some() {
                self.key = Some(key.clone().into_owned());
            }
            let decoded = match key {
                Cow::Borrowed(key) => seed.deserialize(BorrowedStrDeserializer::new(key)),
                Cow::Owned(key) => seed.deserialize(StrDeserializer::new(&key)),
            }?;
            return Ok(Some(decoded));
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        let path = self.path;
        let request_id = self.request_id.take();
        let inner = &mut self.inner;
        let decode = move || match request_id {
            Some(value) => seed
                .deserialize(Lenient::new(value, path))
                .map_err(de::Error::custom),
            None => inner.next_value_seed(crate::de::LenientSeed::new(seed, path)),
        };
        match path {
            None => decode(),
            Some(path) => path.within_key(self.key.take().unwrap_or_default(), decode),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
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
