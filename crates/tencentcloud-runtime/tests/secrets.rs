//! Errors of an action whose answer carries a secret quote nothing of the
//! answer: the same faults with `sensitive_output` off show that they would.

mod support;

use tencentcloud_runtime::de::{self, Decode, Member, Members, Reader};
use tencentcloud_runtime::{ActionInfo, Error, Redacted, WITHHELD};

use support::{FaultServer, READ, Reply, config, new_client};

const PASSWORD: &str = "hunter2-Secret";

/// The answer of a password reset, as an action declares it.
#[derive(Debug, Default)]
#[allow(dead_code)] // Only decoded.
struct Reset {
    password: String,
    count: u64,
}

impl Decode for Reset {
    fn decode(reader: &mut Reader<'_>) -> de::Result<Self> {
        static MEMBERS: Members =
            Members::new("Reset", &[Member::sent("Password"), Member::sent("Count")]);
        let mut value = Self::default();
        reader.object(&MEMBERS, &mut |reader, index| match index {
            0 => reader.read(&mut value.password),
            1 => reader.read(&mut value.count),
            _ => Ok(()),
        })?;
        Ok(value)
    }
}

async fn call(action: &ActionInfo, answer: Reply) -> Error {
    let server = FaultServer::start(vec![answer]).await;
    let client = new_client(config(&server.url));
    client
        .call::<_, Reset, String>(action, &serde_json::json!({}))
        .await
        .unwrap_err()
}

fn sensitive() -> ActionInfo {
    ActionInfo {
        sensitive_output: true,
        ..READ
    }
}

/// Both `Display` and `Debug`, as a log line would show the error.
fn shown(err: &Error) -> String {
    format!("{err} {err:?}")
}

#[tokio::test]
async fn a_decode_error_of_a_sensitive_answer_quotes_no_body() {
    // `Count` does not fit: the body around it holds the password.
    let body =
        format!(r#"{{"Response":{{"Password":"{PASSWORD}","Count":"many","RequestId":"r"}}}}"#);
    let err = call(&READ, Reply::json(&body)).await;
    assert!(
        shown(&err).contains(PASSWORD),
        "without the flag the excerpt is there: {err:?}"
    );

    let err = call(&sensitive(), Reply::json(&body)).await;
    assert!(!shown(&err).contains(PASSWORD), "{err:?}");
    let Error::Decode {
        path,
        message,
        body_excerpt,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(path, "Count", "the path names members only, so it stays");
    assert_eq!(
        (message.as_str(), body_excerpt.as_str()),
        (WITHHELD, WITHHELD)
    );
}

#[tokio::test]
async fn a_decode_message_quoting_the_secret_itself_is_withheld() {
    // The secret is where a number was expected: serde's message quotes it.
    let body = format!(r#"{{"Response":{{"Password":"x","Count":"{PASSWORD}","RequestId":"r"}}}}"#);
    let err = call(&READ, Reply::json(&body)).await;
    let Error::Decode { message, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(
        message.contains(PASSWORD),
        "serde quotes the value: {message}"
    );

    let err = call(&sensitive(), Reply::json(&body)).await;
    assert!(!shown(&err).contains(PASSWORD), "{err:?}");
}

#[tokio::test]
async fn an_unexpected_status_of_a_sensitive_action_quotes_no_body() {
    let body = format!("upstream said {PASSWORD}");
    let err = call(&READ, Reply::with_type(404, "text/plain", &body)).await;
    assert!(
        shown(&err).contains(PASSWORD),
        "without the flag the excerpt is there: {err:?}"
    );

    let err = call(&sensitive(), Reply::with_type(404, "text/plain", &body)).await;
    assert!(
        matches!(&err, Error::UnexpectedStatus { status: 404, body_excerpt } if body_excerpt == WITHHELD),
        "{err:?}"
    );
}

#[test]
fn redacted_stands_in_for_a_secret() {
    assert_eq!(format!("{Redacted:?}"), "** redacted **");
    assert_eq!(
        format!("{:?}", Redacted::option(&Some(PASSWORD))),
        "Some(** redacted **)"
    );
    assert_eq!(format!("{:?}", Redacted::option::<&str>(&None)), "None");
}
