//! Values newer than this SDK: a known value always decodes to its variant,
//! an unknown one is kept as received and encodes back unchanged.

use ccc_api::actions::DescribeAutoCalloutTasksResponse;
use ccc_api::models::AutoCalloutTaskState;
use ccc_api::runtime::envelope;
use ccc_api::{ErrorCode, UnknownCode};

fn page_with_state(state: &str) -> DescribeAutoCalloutTasksResponse {
    let body = format!(
        r#"{{"Response":{{"TotalCount":1,"Tasks":[{{"TaskId":1,"IvrId":1,"CalleeCount":1,"Name":"t","NotBefore":0,"State":{state},"Callers":[]}}],"RequestId":"r"}}}}"#
    );
    envelope::decode::<DescribeAutoCalloutTasksResponse>(200, body.as_bytes())
        .unwrap()
        .0
}

#[test]
fn a_known_value_always_decodes_to_its_variant() {
    let state = page_with_state("1").tasks[0].state;
    assert_eq!(state, AutoCalloutTaskState::Running);
    assert!(!matches!(state, AutoCalloutTaskState::Unknown(_)));
    assert_eq!(
        AutoCalloutTaskState::from(1),
        AutoCalloutTaskState::Running,
        "conversion agrees with decoding"
    );
}

#[test]
fn an_unknown_value_is_kept_and_encodes_back_unchanged() {
    let state = page_with_state("99").tasks[0].state;
    let AutoCalloutTaskState::Unknown(unknown) = state else {
        panic!("{state:?}")
    };
    assert_eq!(unknown.get(), 99);
    assert_eq!(state.value(), 99);
    assert_eq!(u64::from(state), 99);
    assert_eq!(serde_json::to_string(&state).unwrap(), "99");
    assert_eq!(format!("{state:?}"), "Unknown(99)");
    // Two unknowns of one value are equal; an unknown never equals a variant.
    assert_eq!(state, AutoCalloutTaskState::from(99));
    assert_ne!(state, AutoCalloutTaskState::from(98));
}

#[test]
fn an_enumeration_defaults_to_what_0_decodes_to() {
    assert_eq!(
        AutoCalloutTaskState::default(),
        AutoCalloutTaskState::Created
    );
    assert_eq!(
        AutoCalloutTaskState::default(),
        page_with_state("0").tasks[0].state
    );
}

#[test]
fn error_codes_convert_from_text_to_their_variant_or_an_opaque_unknown() {
    assert_eq!(
        ErrorCode::from("InvalidParameter"),
        ErrorCode::InvalidParameter
    );
    assert_eq!(
        "InvalidParameter".parse::<ErrorCode>(),
        Ok(ErrorCode::InvalidParameter)
    );
    let code = ErrorCode::from_code("FailedOperation.SomethingNew");
    let ErrorCode::Unknown(unknown) = &code else {
        panic!("{code:?}")
    };
    let unknown: &UnknownCode = unknown;
    assert_eq!(unknown.as_str(), "FailedOperation.SomethingNew");
    assert_eq!(code.as_str(), "FailedOperation.SomethingNew");
    assert_eq!(code.to_string(), "FailedOperation.SomethingNew");
}

#[test]
fn structs_start_from_default_and_take_new_values() {
    let mut page = DescribeAutoCalloutTasksResponse::default();
    page.total_count = 3;
    assert_eq!(
        (page.total_count, page.tasks.len(), page.request_id.as_str()),
        (3, 0, "")
    );
}
