//! Every answer of the stateful agent, skill-group and campaign actions fits
//! the spec's output members (types, always-sent fields, nullability), on the
//! demo data and on what a caller creates.

mod support;

use ccc_local::{DEMO_SDK_APP_ID, Emulator, ManualClock};
use serde_json::json;
use support::Caller;

const ID: &str = "AKIDanswers";
const KEY: &str = "answers-secret";
const NOW: i64 = 1_717_200_000;

#[tokio::test]
async fn answers_fit_the_spec() {
    let emulator = Emulator::builder()
        .credentials(ID, KEY)
        .clock(ManualClock::at(NOW))
        .rate_limit(false)
        .start()
        .await
        .unwrap();
    let caller = Caller::new(emulator.url(), ID, KEY, NOW);
    let app = DEMO_SDK_APP_ID;
    let page = json!({"SdkAppId": app, "PageSize": 100, "PageNumber": 0});
    let staff = caller.ok("DescribeStaffInfoList", page.clone()).await;
    assert_eq!(staff["TotalCount"], 8);
    assert!(
        staff["StaffList"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| !s["SkillGroupList"].as_array().unwrap().is_empty())
    );
    let groups = caller.ok("DescribeSkillGroupInfoList", page.clone()).await;
    assert_eq!(groups["TotalCount"], 4);
    let metrics = caller
        .ok("DescribeStaffStatusMetrics", json!({"SdkAppId": app}))
        .await;
    let statuses: std::collections::BTreeSet<&str> = metrics["Metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["Status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.len(), 6, "every status in the demo: {statuses:?}");

    caller.ok(
        "CreateCCCSkillGroup",
        json!({"SdkAppId": app, "SkillGroupName": "New", "SkillGroupType": 1, "MaxConcurrency": 2}),
    )
    .await;
    let created = caller.ok(
        "CreateStaff",
        json!({"SdkAppId": app, "Staffs": [{"Name": "N", "Mail": "n@example.com", "StaffNumber": "1", "SkillGroupNameList": ["New"]}, {"Name": "M", "Mail": "bad", "StaffNumber": "2"}]}),
    )
    .await;
    assert_eq!(created["ErrorStaffList"].as_array().unwrap().len(), 1);
    caller.ok("SetStaffStatus", json!({"SdkAppId": app, "StaffStatusList": [{"StaffUserId": "n@example.com", "Status": "free"}, {"StaffUserId": "x@example.com", "Status": "free"}]})).await;
    caller
        .ok(
            "DeleteStaff",
            json!({"SdkAppId": app, "StaffList": ["n@example.com"]}),
        )
        .await;
    caller.ok("DescribeStaffInfoList", page.clone()).await;
    caller
        .ok("DescribeStaffStatusMetrics", json!({"SdkAppId": app}))
        .await;
    let campaign = caller.ok(
        "CreatePredictiveDialingCampaign",
        json!({"SdkAppId": app, "Name": "C", "Callees": ["1"], "Callers": ["2"], "CallOrder": 0, "SkillGroupId": 1,
               "Priority": 1, "ExpectedAbandonRate": 5, "RetryInterval": 60, "StartTime": NOW, "EndTime": NOW + 60}),
    )
    .await;
    let id = campaign["CampaignId"].clone();
    caller
        .ok(
            "DescribePredictiveDialingCampaign",
            json!({"SdkAppId": app, "CampaignId": id}),
        )
        .await;
    caller.ok("DescribePredictiveDialingCampaigns", page).await;
    emulator.shutdown().await;
}
