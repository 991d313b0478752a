//! A predictive dialing campaign's life through the generated Rust client
//! against the embedded `ccc-local` emulator: create, read, list, update,
//! pause, resume, abort, delete, and the refusals of its states.

use ccc_api::{Client, ErrorCode};
use ccc_local::DEMO_SDK_APP_ID;
use e2e_tests::{refused, start};

const ID: &str = "AKIDe2eCampaign";
const KEY: &str = "e2e-campaign-key";
const APP: i64 = DEMO_SDK_APP_ID as i64;
/// 2100-01-01: a campaign starting then stays not started.
const FUTURE: i64 = 4_102_444_800;

async fn status(client: &Client, id: i64) -> (i64, i64) {
    let c = client
        .describe_predictive_dialing_campaign()
        .sdk_app_id(APP)
        .campaign_id(id)
        .send()
        .await
        .expect("the campaign exists");
    (c.status.unwrap(), c.status_reason.unwrap())
}

#[tokio::test]
async fn a_campaign_from_creation_to_deletion() {
    let (emulator, client) = start(ID, KEY).await;
    let create = |name: &str, skill_group: i64, start_time: i64| {
        client
            .create_predictive_dialing_campaign()
            .sdk_app_id(APP)
            .name(name)
            .callees(vec![
                "008613900000001".to_owned(),
                "008613900000002".to_owned(),
            ])
            .callers(vec!["008601012345678".to_owned()])
            .call_order(1)
            .skill_group_id(skill_group)
            .priority(2)
            .expected_abandon_rate(10)
            .retry_interval(600)
            .start_time(start_time)
            .end_time(start_time + 3600)
    };
    let id = create("Spring renewals", 1, FUTURE)
        .send()
        .await
        .unwrap()
        .campaign_id
        .unwrap();
    let running = create("Now", 1, 1_700_000_000)
        .send()
        .await
        .unwrap()
        .campaign_id
        .unwrap();
    assert_eq!(running, id + 1);
    assert_eq!(status(&client, id).await, (0, 0));
    assert_eq!(status(&client, running).await, (1, 0));

    let (code, message) = refused(create("No group", 999, FUTURE).send().await);
    assert_eq!(code, ErrorCode::InvalidParameterValue, "{message}");
    let (code, message) = refused(create("Late", 1, FUTURE).end_time(FUTURE).send().await);
    assert_eq!(code, ErrorCode::InvalidParameterValue);
    assert!(message.contains("EndTime"), "{message}");
    let (code, _) = refused(create("Bad priority", 1, FUTURE).priority(6).send().await);
    assert_eq!(code, ErrorCode::InvalidParameterValue);

    let page = client
        .describe_predictive_dialing_campaigns()
        .sdk_app_id(APP)
        .page_size(10)
        .page_number(0)
        .name("renewals")
        .send()
        .await
        .unwrap();
    assert_eq!(page.total_count, Some(1));
    let listed = &page.campaign_list.unwrap()[0];
    assert_eq!(
        (listed.campaign_id, listed.callee_count),
        (Some(id), Some(2))
    );

    client
        .update_predictive_dialing_campaign()
        .sdk_app_id(APP)
        .campaign_id(id)
        .name("Spring renewals, second wave")
        .callees(vec!["008613900000003".to_owned()])
        .callers(vec!["008601012345678".to_owned()])
        .call_order(0)
        .skill_group_id(2)
        .priority(1)
        .expected_abandon_rate(5)
        .retry_interval(900)
        .start_time(FUTURE)
        .end_time(FUTURE + 7200)
        .send()
        .await
        .unwrap();
    let updated = client
        .describe_predictive_dialing_campaign()
        .sdk_app_id(APP)
        .campaign_id(id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        updated.name.as_deref(),
        Some("Spring renewals, second wave")
    );
    assert_eq!(
        (updated.skill_group_id, updated.retry_interval),
        (Some(2), Some(900))
    );

    // The skill group a campaign uses cannot be deleted.
    let (code, message) = refused(
        client
            .delete_ccc_skill_group()
            .sdk_app_id(DEMO_SDK_APP_ID)
            .skill_group_id(2)
            .send()
            .await,
    );
    assert_eq!(code, ErrorCode::ResourceUnavailable, "{message}");

    let pause = || {
        client
            .pause_predictive_dialing_campaign()
            .sdk_app_id(APP)
            .campaign_id(id)
    };
    let resume = || {
        client
            .resume_predictive_dialing_campaign()
            .sdk_app_id(APP)
            .campaign_id(id)
    };
    let abort = || {
        client
            .abort_predictive_dialing_campaign()
            .sdk_app_id(APP)
            .campaign_id(id)
    };
    let delete = |id: i64| {
        client
            .delete_predictive_dialing_campaign()
            .sdk_app_id(APP)
            .campaign_id(id)
    };
    let (code, message) = refused(resume().send().await);
    assert_eq!(code, ErrorCode::InvalidParameterValue);
    assert!(message.contains("not started (0)"), "{message}");
    pause().send().await.unwrap();
    assert_eq!(status(&client, id).await, (2, 0));
    resume().send().await.unwrap();
    assert_eq!(status(&client, id).await, (1, 0));
    let (code, message) = refused(delete(id).send().await);
    assert_eq!(code, ErrorCode::InvalidParameterValue);
    assert!(message.contains("running (1)"), "{message}");
    abort().send().await.unwrap();
    assert_eq!(status(&client, id).await, (3, 1));
    let (code, _) = refused(pause().send().await);
    assert_eq!(code, ErrorCode::InvalidParameterValue);
    delete(id).send().await.unwrap();
    let (code, _) = refused(
        client
            .describe_predictive_dialing_campaign()
            .sdk_app_id(APP)
            .campaign_id(id)
            .send()
            .await,
    );
    assert_eq!(code, ErrorCode::InvalidParameterValue);
    let (code, _) = refused(
        client
            .describe_predictive_dialing_campaign()
            .sdk_app_id(42)
            .campaign_id(running)
            .send()
            .await,
    );
    assert_eq!(code, ErrorCode::InvalidParameterValueInstanceNotExist);
    emulator.shutdown().await;
}
