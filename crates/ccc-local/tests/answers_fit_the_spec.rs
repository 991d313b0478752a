//! Every answer of the stateful agent, skill-group and campaign actions fits
//! the spec's output members (types, always-sent fields, nullability), on the
//! demo data and on what a caller creates.

use ccc_local::spec::Spec;
use ccc_local::{DEMO_SDK_APP_ID, Emulator, ManualClock, RunningEmulator};
use serde_json::{Value, json};
use tencentcloud_runtime::sign::{
    authorization, canonical_request, credential_scope, payload_hash, signature, signed_headers,
    signing_key, string_to_sign, utc_date,
};

const ID: &str = "AKIDanswers";
const KEY: &str = "answers-secret";
const NOW: i64 = 1_717_200_000;

async fn call(emulator: &RunningEmulator, action: &str, body: Value) -> Value {
    let body = body.to_string();
    let host = emulator.addr().to_string();
    let headers = [
        ("content-type", "application/json"),
        ("host", host.as_str()),
    ];
    let canonical = canonical_request(
        "POST",
        "/",
        "",
        &headers,
        &payload_hash(body.as_bytes(), false),
    );
    let date = utc_date(NOW);
    let scope = credential_scope(&date, "ccc");
    let sig = signature(
        &signing_key(KEY, &date, "ccc"),
        &string_to_sign(NOW, &scope, &canonical),
    );
    let text = reqwest::Client::new()
        .post(emulator.url())
        .header("Content-Type", "application/json")
        .header("X-TC-Action", action)
        .header("X-TC-Version", "2020-02-10")
        .header("X-TC-Timestamp", NOW.to_string())
        .header(
            "Authorization",
            authorization(ID, &scope, &signed_headers(&headers), &sig),
        )
        .body(body)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let response: Value = serde_json::from_str(&text).unwrap();
    let response = response["Response"].clone();
    assert!(response.get("Error").is_none(), "{action}: {response}");
    let spec = Spec::ccc();
    spec.validate_output(spec.action(action).unwrap(), &response)
        .unwrap_or_else(|e| {
            panic!("{action} answered {response}, which does not fit the spec: {e}")
        });
    response
}

#[tokio::test]
async fn answers_fit_the_spec() {
    let emulator = Emulator::builder()
        .credentials(ID, KEY)
        .clock(ManualClock::at(NOW))
        .rate_limit(false)
        .start()
        .await
        .unwrap();
    let app = DEMO_SDK_APP_ID;
    let page = json!({"SdkAppId": app, "PageSize": 100, "PageNumber": 0});
    let staff = call(&emulator, "DescribeStaffInfoList", page.clone()).await;
    assert_eq!(staff["TotalCount"], 8);
    assert!(
        staff["StaffList"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| !s["SkillGroupList"].as_array().unwrap().is_empty())
    );
    let groups = call(&emulator, "DescribeSkillGroupInfoList", page.clone()).await;
    assert_eq!(groups["TotalCount"], 4);
    let metrics = call(
        &emulator,
        "DescribeStaffStatusMetrics",
        json!({"SdkAppId": app}),
    )
    .await;
    let statuses: std::collections::BTreeSet<&str> = metrics["Metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["Status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.len(), 6, "every status in the demo: {statuses:?}");

    call(
        &emulator,
        "CreateCCCSkillGroup",
        json!({"SdkAppId": app, "SkillGroupName": "New", "SkillGroupType": 1, "MaxConcurrency": 2}),
    )
    .await;
    let created = call(
        &emulator,
        "CreateStaff",
        json!({"SdkAppId": app, "Staffs": [{"Name": "N", "Mail": "n@example.com", "StaffNumber": "1", "SkillGroupNameList": ["New"]}, {"Name": "M", "Mail": "bad", "StaffNumber": "2"}]}),
    )
    .await;
    assert_eq!(created["ErrorStaffList"].as_array().unwrap().len(), 1);
    call(&emulator, "SetStaffStatus", json!({"SdkAppId": app, "StaffStatusList": [{"StaffUserId": "n@example.com", "Status": "free"}, {"StaffUserId": "x@example.com", "Status": "free"}]})).await;
    call(
        &emulator,
        "DeleteStaff",
        json!({"SdkAppId": app, "StaffList": ["n@example.com"]}),
    )
    .await;
    call(&emulator, "DescribeStaffInfoList", page.clone()).await;
    call(
        &emulator,
        "DescribeStaffStatusMetrics",
        json!({"SdkAppId": app}),
    )
    .await;
    let campaign = call(
        &emulator,
        "CreatePredictiveDialingCampaign",
        json!({"SdkAppId": app, "Name": "C", "Callees": ["1"], "Callers": ["2"], "CallOrder": 0, "SkillGroupId": 1,
               "Priority": 1, "ExpectedAbandonRate": 5, "RetryInterval": 60, "StartTime": NOW, "EndTime": NOW + 60}),
    )
    .await;
    let id = campaign["CampaignId"].clone();
    call(
        &emulator,
        "DescribePredictiveDialingCampaign",
        json!({"SdkAppId": app, "CampaignId": id}),
    )
    .await;
    call(&emulator, "DescribePredictiveDialingCampaigns", page).await;
    emulator.shutdown().await;
}
