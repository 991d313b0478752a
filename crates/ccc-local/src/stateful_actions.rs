//! Which store answers each stateful action besides the automated-call
//! tasks (which `server.rs` routes itself): agents ([`crate::staff`]), skill
//! groups ([`crate::skill_groups`]) and predictive dialing campaigns
//! ([`crate::campaigns`]). Reads take the store's read lock, changes its
//! write lock; an unknown `SdkAppId` is `InvalidParameterValue.InstanceNotExist`.

use std::sync::RwLock;

use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::spec::ActionDef;
use crate::tasks::Store;
use crate::workforce::no_app;
use crate::{campaigns, skill_groups, staff};

/// Answers the staff, skill-group and campaign actions, or `None` for any other action.
pub(crate) fn route(
    def: &ActionDef,
    store: &RwLock<Store>,
    input: &Value,
    now: i64,
) -> Option<Result<Map<String, Value>, ApiError>> {
    const READS: [&str; 5] = [
        "DescribeStaffInfoList",
        "DescribeStaffStatusMetrics",
        "DescribeSkillGroupInfoList",
        "DescribePredictiveDialingCampaign",
        "DescribePredictiveDialingCampaigns",
    ];
    const WRITES: [&str; 15] = [
        "CreateStaff",
        "ModifyStaff",
        "DeleteStaff",
        "SetStaffStatus",
        "CreateCCCSkillGroup",
        "UpdateCCCSkillGroup",
        "DeleteCCCSkillGroup",
        "BindStaffSkillGroupList",
        "UnbindStaffSkillGroupList",
        "CreatePredictiveDialingCampaign",
        "UpdatePredictiveDialingCampaign",
        "PausePredictiveDialingCampaign",
        "ResumePredictiveDialingCampaign",
        "AbortPredictiveDialingCampaign",
        "DeletePredictiveDialingCampaign",
    ];
    let name = def.name;
    let app_id = input.get("SdkAppId").and_then(Value::as_u64);
    // A panic cannot leave the store half-changed (each action checks
    // before it changes anything), so a poisoned lock is still good to use.
    if READS.contains(&name) {
        let store = store.read().unwrap_or_else(|e| e.into_inner());
        let Some(app) = app_id.and_then(|id| store.apps.get(&id)) else {
            return Some(Err(no_app(input)));
        };
        let (w, c) = (&app.workforce, &app.campaigns);
        return Some(match name {
            "DescribeStaffInfoList" => staff::describe_list(def, w, input),
            "DescribeStaffStatusMetrics" => staff::status_metrics(def, w, input, now),
            "DescribeSkillGroupInfoList" => skill_groups::describe_list(def, w, input),
            "DescribePredictiveDialingCampaign" => campaigns::describe(def, c, input),
            _ => campaigns::list_page(def, c, input),
        });
    }
    if !WRITES.contains(&name) {
        return None;
    }
    let mut store = store.write().unwrap_or_else(|e| e.into_inner());
    let Some(app) = app_id.and_then(|id| store.apps.get_mut(&id)) else {
        return Some(Err(no_app(input)));
    };
    let (w, c) = (&mut app.workforce, &mut app.campaigns);
    Some(match name {
        "CreateStaff" => staff::create(def, w, input, now),
        "ModifyStaff" => staff::modify(def, w, input, now),
        "DeleteStaff" => staff::delete(def, w, input),
        "SetStaffStatus" => staff::set_status(def, w, input, now),
        "CreateCCCSkillGroup" => skill_groups::create(def, w, input, now),
        "UpdateCCCSkillGroup" => skill_groups::update(def, w, input, now),
        "DeleteCCCSkillGroup" => skill_groups::delete(def, w, c, input),
        "BindStaffSkillGroupList" => skill_groups::bind(def, w, input, now),
        "UnbindStaffSkillGroupList" => skill_groups::unbind(def, w, input, now),
        "CreatePredictiveDialingCampaign" => campaigns::create(def, w, c, input, now),
        "UpdatePredictiveDialingCampaign" => campaigns::update(def, w, c, input),
        "PausePredictiveDialingCampaign" => campaigns::change(def, c, input, campaigns::PAUSE),
        "ResumePredictiveDialingCampaign" => campaigns::change(def, c, input, campaigns::RESUME),
        "AbortPredictiveDialingCampaign" => campaigns::change(def, c, input, campaigns::ABORT),
        _ => campaigns::change(def, c, input, campaigns::DELETE),
    })
}
