//! The API 3.0 answer envelope, `{"Response": {..., "RequestId": "..."}}`,
//! decoded in one pass over the bytes.
//!
//! A successful answer's `Response` object holds the action's output members
//! and `RequestId`; a failed one holds `Error` (`Code`, `Message`) and
//! `RequestId`. The output type is decoded straight from the `Response`
//! object with the lenient policy of [`crate::de`], while the reader takes
//! `Error` out and notes `RequestId` on the way, wherever they come among the
//! members: no intermediate tree is built. `"Error": null` counts as no error.
//!
//! Only a failure takes a second look: the body is then skipped through as
//! a whole, without the output type, to tell an error answer (whose `Error`
//! may come after a member that did not fit), a body that is not JSON and an
//! output that does not fit apart. The first pass has already named the
//! member that did not fit.

use crate::de::{self, Decode, DecodeError, Envelope, ErrorMembers, Reader};
use crate::error::{Error, ServiceError, excerpt};

/// Decodes an answer: the `Response` object as `O` and its `RequestId`, or
/// the error the answer carries.
///
/// `status` is the HTTP status: a body that is not the envelope is
/// [`Error::UnexpectedStatus`] for a status outside 2xx, [`Error::Decode`]
/// otherwise. An envelope with `Response.Error` is [`Error::Service`]
/// whatever the status.
pub fn decode<O: Decode>(status: u16, body: &[u8]) -> Result<(O, String), Error> {
    let mut output = None;
    let (result, request_id) = decode_into(status, body, &mut |response| {
        output = Some(O::decode(response)?);
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

/// Decodes the `Response` object of an answer as the caller's output type and
/// keeps it: the only part of decoding that depends on the output type.
pub(crate) type Store<'s> = dyn for<'a> FnMut(&mut Reader<'a>) -> de::Result<()> + 's;

/// [`decode`] without the output type: `store` decodes the `Response`
/// object and keeps it. Gives the request ID too, also when the answer has
/// one but does not decode.
///
/// This is the whole of decoding but for `store`, compiled once, in this
/// crate, rather than once per action.
pub(crate) fn decode_into(
    status: u16,
    body: &[u8],
    store: &mut Store<'_>,
) -> (Result<(), Error>, String) {
    let mut reader = match Reader::from_bytes(body) {
        Ok(reader) => reader,
        Err(e) => return (Err(not_json(status, body, &e)), String::new()),
    };
    let found = match one_pass(&mut reader, store) {
        Ok(found) => found,
        Err(first) => return second_look(status, body, *first),
    };
    let Envelope { request_id, error } = reader.take_envelope();
    let request_id = request_id.unwrap_or_default();
    let result = judge(status, body, found, error, &request_id, None);
    if result.is_ok() {
        reader.warn_omitted();
    }
    (result, request_id)
}

/// What a whole pass over the envelope makes of the answer: `found` says
/// whether it has a `Response`, `error` is its `Response.Error`, and `unfit`
/// the error of an output that did not fit (`None` when it did).
fn judge(
    status: u16,
    body: &[u8],
    found: bool,
    error: Option<ErrorMembers>,
    request_id: &str,
    unfit: Option<DecodeError>,
) -> Result<(), Error> {
    match (found, error, unfit) {
        // `Error` wins over whatever the output type made of the rest.
        (_, Some(error), _) => Err(service_error(error, request_id.to_owned(), body)),
        (false, None, _) => Err(not_envelope(
            status,
            body,
            "no `Response` object".to_owned(),
        )),
        (true, None, _) if !success(status) => Err(unexpected_status(status, body)),
        (true, None, None) => Ok(()),
        (true, None, Some(unfit)) => Err(Error::Decode {
            message: unfit.message,
            path: unfit.path,
            body_excerpt: excerpt(body),
        }),
    }
}

/// One pass over the envelope, `{"Response": {...}, ...}`: the `Response`
/// object goes to `store`, any other member is skipped. `Ok(false)` when the
/// top level has no `Response` member (or is no object).
fn one_pass(reader: &mut Reader<'_>, store: &mut Store<'_>) -> de::Result<bool> {
    let mut found = false;
    if reader.peek_is_object() {
        reader.entries(&mut |reader, key| {
            if key == "Response" {
                reader.respond(true);
                found = true;
                let stored = store(reader);
                // A `Response` that is no object must not pass it on to a later one.
                reader.respond(false);
                stored
            } else {
                reader.skip()
            }
        })?;
    } else {
        reader.skip()?;
    }
    reader.end()?;
    Ok(found)
}

/// After a failed pass: skip through the whole body to judge it as before,
/// keeping the first pass's error for an output that does not fit.
#[cold]
fn second_look(status: u16, body: &[u8], first: DecodeError) -> (Result<(), Error>, String) {
    let mut reader = match Reader::from_bytes(body) {
        Ok(reader) => reader,
        Err(e) => return (Err(not_json(status, body, &e)), String::new()),
    };
    let found = one_pass(&mut reader, &mut |response| {
        if response.peek_is_object() {
            response.entries(&mut |member, _| member.skip())
        } else {
            response.skip()
        }
    });
    let Envelope { request_id, error } = reader.take_envelope();
    let request_id = request_id.unwrap_or_default();
    let result = match found {
        Err(e) => Err(not_json(status, body, &e)),
        Ok(found) => judge(status, body, found, error, &request_id, Some(first)),
    };
    (result, request_id)
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

fn not_json(status: u16, body: &[u8], error: &DecodeError) -> Error {
    not_envelope(status, body, format!("not JSON: {}", error.message))
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

fn service_error(error: ErrorMembers, request_id: String, body: &[u8]) -> Error {
    let Some(code) = error.code else {
        return Error::Decode {
            message: "`Response.Error` has no string `Code`".to_owned(),
            path: "Error.Code".to_owned(),
            body_excerpt: excerpt(body),
        };
    };
    Error::Service(ServiceError {
        code,
        message: error.message.unwrap_or_default(),
        request_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::de::{Member, Members};
    use serde_json::Value;

    #[derive(Debug, Default)]
    struct Answer {
        count: u64,
        request_id: String,
    }

    impl Decode for Answer {
        fn decode(reader: &mut Reader<'_>) -> de::Result<Self> {
            static MEMBERS: Members = Members::new(
                "Answer",
                &[Member::sent("Count"), Member::sent("RequestId")],
            );
            let mut value = Self::default();
            reader.object(&MEMBERS, &mut |reader, index| match index {
                0 => reader.read(&mut value.count),
                1 => reader.read(&mut value.request_id),
                _ => Ok(()),
            })?;
            Ok(value)
        }
    }

    #[derive(Debug, Default)]
    struct Optional {
        count: Option<u64>,
    }

    impl Decode for Optional {
        fn decode(reader: &mut Reader<'_>) -> de::Result<Self> {
            static MEMBERS: Members = Members::new("Optional", &[Member::optional("Count")]);
            let mut value = Self::default();
            reader.object(&MEMBERS, &mut |reader, _| reader.read(&mut value.count))?;
            Ok(value)
        }
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
    fn only_the_response_object_carries_the_error() {
        for body in [
            &br#"{"Response":5,"Other":{"Error":{"Code":"X","Message":"m"}}}"#[..],
            br#"{"Response":{"Count":1,"RequestId":"r","Other":{"Error":{"Code":"X"}}}}"#,
            br#"{"Other":{"Error":{"Code":"X"}},"Response":{"Count":1,"RequestId":"r"}}"#,
        ] {
            let result = decode::<Answer>(200, body);
            assert!(
                !matches!(&result, Err(Error::Service(_))),
                "{}: {result:?}",
                String::from_utf8_lossy(body)
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
