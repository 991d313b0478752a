//! The request builders' habits: string setters take `&str` or `String`,
//! lists are set whole or appended to one element at a time,
//! every parameter can be set from an `Option`, and a required parameter
//! left unset is named before anything is sent.

use ccc_api::{Client, Error, Stub};

/// A stub that answers nothing: these tests only build requests.
#[derive(Debug)]
struct Offline;

impl Stub for Offline {}

#[test]
fn lists_append_one_element_or_are_set_whole() {
    let client = Client::from_stub(Offline);
    let request = client
        .create_auto_callout_task()
        .sdk_app_id(1400000000)
        .not_before(1700000000)
        .callee("008613500000000")
        .callee(String::from("008613500000001"))
        .callers(vec!["008675500000000".to_owned()])
        .name("weekly survey")
        .build()
        .unwrap();
    assert_eq!(request.callees, ["008613500000000", "008613500000001"]);
    assert_eq!(request.callers, ["008675500000000"]);
    assert_eq!(request.name.as_deref(), Some("weekly survey"));

    // Setting the whole list replaces what was appended before.
    let request = client
        .create_auto_callout_task()
        .sdk_app_id(1400000000)
        .not_before(1700000000)
        .callee("dropped")
        .callees(vec!["kept".to_owned()])
        .caller("008675500000000")
        .build()
        .unwrap();
    assert_eq!(request.callees, ["kept"]);
}

#[test]
fn every_parameter_can_be_set_from_an_option() {
    let client = Client::from_stub(Offline);
    let description: Option<String> = None;
    let tries = Some(2);
    let request = client
        .create_auto_callout_task()
        .set_sdk_app_id(Some(1400000000))
        .not_before(1700000000)
        .callees(vec!["008613500000000".to_owned()])
        .callers(vec!["008675500000000".to_owned()])
        .description("set, then unset")
        .set_description(description)
        .set_tries(tries)
        .set_callee_attributes(None)
        .build()
        .unwrap();
    assert_eq!(request.sdk_app_id, 1400000000);
    assert_eq!(request.description, None);
    assert_eq!(request.tries, Some(2));
    assert_eq!(request.callee_attributes, None);

    // `None` for a required parameter leaves it unset, and building names it.
    let err = client
        .create_auto_callout_task()
        .sdk_app_id(1400000000)
        .set_sdk_app_id(None)
        .not_before(1700000000)
        .callees(vec!["008613500000000".to_owned()])
        .callers(vec!["008675500000000".to_owned()])
        .build()
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest { message } if message.contains("SdkAppId")),
        "{err:?}"
    );
}
