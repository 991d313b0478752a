//! Predictive dialing campaigns: `CreatePredictiveDialingCampaign`,
//! `UpdatePredictiveDialingCampaign`, `PausePredictiveDialingCampaign`,
//! `ResumePredictiveDialingCampaign`, `AbortPredictiveDialingCampaign`,
//! `DeletePredictiveDialingCampaign`, `DescribePredictiveDialingCampaign` and
//! `DescribePredictiveDialingCampaigns`, per application. The spec-driven
//! checks have run before any of these; each checks what the types cannot say.
//!
//! | action | from `Status` | to |
//! |---|---|---|
//! | create | - | 0 not started, or 1 running when `StartTime` is not in the future |
//! | update | 0, 2 | unchanged |
//! | pause | 0, 1 | 2 paused |
//! | resume | 2 | 1 running |
//! | abort | 0, 1, 2 | 3 terminated, `StatusReason` 1 (ended by hand) |
//! | delete | 0, 2, 3, 4 | removed |
//!
//! States change only through these actions: the emulator places no calls
//! and does not move campaigns as time passes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::spec::ActionDef;
use crate::workforce::{Workforce, answer, int, list, page, text, value_error};

/// `Status` values of the definition.
pub(crate) const NOT_STARTED: i64 = 0;
pub(crate) const RUNNING: i64 = 1;
pub(crate) const PAUSED: i64 = 2;
pub(crate) const TERMINATED: i64 = 3;
pub(crate) const FINISHED: i64 = 4;
/// `StatusReason`: 0 normal, 1 ended by hand.
const ENDED_BY_HAND: i64 = 1;

/// The largest `PageSize` of `DescribePredictiveDialingCampaigns`.
pub const MAX_CAMPAIGN_PAGE_SIZE: i64 = 100;

fn status_name(status: i64) -> String {
    let name = match status {
        NOT_STARTED => "not started",
        RUNNING => "running",
        PAUSED => "paused",
        TERMINATED => "terminated",
        FINISHED => "finished",
        _ => "in an unknown state",
    };
    format!("{name} ({status})")
}

/// One campaign, in wire names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(crate) struct Campaign {
    pub(crate) campaign_id: i64,
    pub(crate) name: String,
    pub(crate) callees: Vec<String>,
    pub(crate) callers: Vec<String>,
    pub(crate) call_order: i64,
    pub(crate) skill_group_id: i64,
    pub(crate) priority: i64,
    pub(crate) expected_abandon_rate: i64,
    pub(crate) retry_interval: i64,
    pub(crate) start_time: i64,
    pub(crate) end_time: i64,
    #[serde(rename = "IVRId", default, skip_serializing_if = "Option::is_none")]
    pub(crate) ivr_id: Option<i64>,
    #[serde(default)]
    pub(crate) retry_times: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) variables: Option<Value>,
    #[serde(rename = "UUI", default, skip_serializing_if = "Option::is_none")]
    pub(crate) uui: Option<String>,
    pub(crate) status: i64,
    #[serde(default)]
    pub(crate) status_reason: i64,
}

/// The campaigns of one application, by ID.
pub(crate) type Campaigns = BTreeMap<i64, Campaign>;

/// Reads and checks the members create and update share, over `base`.
fn apply(
    def: &ActionDef,
    workforce: &Workforce,
    input: &Value,
    mut campaign: Campaign,
    min_abandon: i64,
) -> Result<Campaign, ApiError> {
    let bad = |message: String| value_error(def, &[], message);
    let strings = |name: &str| -> Vec<String> {
        list(input, name)
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    };
    campaign.name = text(input, "Name").unwrap_or_default().to_owned();
    if campaign.name.trim().is_empty() {
        return Err(bad("The parameter `Name` must not be empty.".to_owned()));
    }
    campaign.callees = strings("Callees");
    campaign.callers = strings("Callers");
    for (name, numbers) in [
        ("Callees", &campaign.callees),
        ("Callers", &campaign.callers),
    ] {
        if numbers.is_empty() || numbers.iter().any(|n| n.trim().is_empty()) {
            return Err(bad(format!(
                "The parameter `{name}` must list at least one number, none of them empty."
            )));
        }
    }
    let ranges = [
        ("CallOrder", 0, 1),
        ("Priority", 1, 5),
        ("ExpectedAbandonRate", min_abandon, 50),
        ("RetryInterval", 60, 86_400),
        ("RetryTimes", 0, 2),
    ];
    for (name, low, high) in ranges {
        if let Some(value) = int(input, name)
            && !(low..=high).contains(&value)
        {
            return Err(bad(format!(
                "The parameter `{name}` must be between {low} and {high}, got {value}."
            )));
        }
    }
    campaign.call_order = int(input, "CallOrder").unwrap_or_default();
    campaign.priority = int(input, "Priority").unwrap_or(1);
    campaign.expected_abandon_rate = int(input, "ExpectedAbandonRate").unwrap_or_default();
    campaign.retry_interval = int(input, "RetryInterval").unwrap_or(60);
    campaign.retry_times = int(input, "RetryTimes").unwrap_or(campaign.retry_times);
    campaign.start_time = int(input, "StartTime").unwrap_or_default();
    campaign.end_time = int(input, "EndTime").unwrap_or_default();
    if campaign.end_time <= campaign.start_time {
        return Err(bad(format!(
            "The parameter `EndTime` ({}) must be later than `StartTime` ({}).",
            campaign.end_time, campaign.start_time
        )));
    }
    campaign.skill_group_id = int(input, "SkillGroupId").unwrap_or_default();
    if !workforce
        .skill_groups
        .contains_key(&campaign.skill_group_id)
    {
        return Err(bad(format!(
            "The skill group {} does not exist.",
            campaign.skill_group_id
        )));
    }
    if let Some(ivr) = int(input, "IVRId") {
        campaign.ivr_id = Some(ivr);
    }
    if let Some(variables) = input.get("Variables").filter(|v| !v.is_null()) {
        campaign.variables = Some(variables.clone());
    }
    if let Some(uui) = text(input, "UUI") {
        campaign.uui = Some(uui.to_owned());
    }
    Ok(campaign)
}

#[derive(Serialize)]
struct CreateResponse {
    #[serde(rename = "CampaignId")]
    campaign_id: i64,
}

/// `CreatePredictiveDialingCampaign`: stores a campaign under the next ID
/// (one above the application's largest).
pub(crate) fn create(
    def: &ActionDef,
    workforce: &Workforce,
    campaigns: &mut Campaigns,
    input: &Value,
    now: i64,
) -> Result<Map<String, Value>, ApiError> {
    let id = campaigns.keys().next_back().map_or(1, |id| id + 1);
    let blank = Campaign {
        campaign_id: id,
        name: String::new(),
        callees: Vec::new(),
        callers: Vec::new(),
        call_order: 0,
        skill_group_id: 0,
        priority: 1,
        expected_abandon_rate: 0,
        retry_interval: 60,
        start_time: 0,
        end_time: 0,
        ivr_id: None,
        retry_times: 0,
        variables: None,
        uui: None,
        status: NOT_STARTED,
        status_reason: 0,
    };
    let mut campaign = apply(def, workforce, input, blank, 0)?;
    campaign.status = if campaign.start_time <= now {
        RUNNING
    } else {
        NOT_STARTED
    };
    campaigns.insert(id, campaign);
    answer(&CreateResponse { campaign_id: id })
}

fn not_found(def: &ActionDef, input: &Value) -> ApiError {
    value_error(
        def,
        &["ResourceNotFound"],
        format!(
            "The campaign (CampaignId) {} does not exist in application {}.",
            input
                .get("CampaignId")
                .map_or_else(String::new, Value::to_string),
            input
                .get("SdkAppId")
                .map_or_else(String::new, Value::to_string),
        ),
    )
}

fn refused(def: &ActionDef, campaign: &Campaign, verb: &str, allowed: &[i64]) -> ApiError {
    let allowed: Vec<String> = allowed.iter().map(|s| status_name(*s)).collect();
    ApiError::new(
        def.error_code(
            &["UnsupportedOperation", "InvalidParameterValue"],
            "InvalidParameterValue",
        ),
        format!(
            "The campaign {} is {}, so it cannot be {verb}; only a campaign that is {} can.",
            campaign.campaign_id,
            status_name(campaign.status),
            allowed.join(" or ")
        ),
    )
}

/// `UpdatePredictiveDialingCampaign`: replaces the settings of a campaign
/// that is not started or paused.
pub(crate) fn update(
    def: &ActionDef,
    workforce: &Workforce,
    campaigns: &mut Campaigns,
    input: &Value,
) -> Result<Map<String, Value>, ApiError> {
    let id = int(input, "CampaignId").unwrap_or_default();
    let Some(current) = campaigns.get(&id) else {
        return Err(not_found(def, input));
    };
    const ALLOWED: [i64; 2] = [NOT_STARTED, PAUSED];
    if !ALLOWED.contains(&current.status) {
        return Err(refused(def, current, "updated", &ALLOWED));
    }
    let updated = apply(def, workforce, input, current.clone(), 5)?;
    campaigns.insert(id, updated);
    Ok(Map::new())
}

/// A state change: from which states, to which, and the verb for messages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Move {
    from: &'static [i64],
    to: Option<i64>,
    verb: &'static str,
}

/// `PausePredictiveDialingCampaign`.
pub(crate) const PAUSE: Move = Move {
    from: &[NOT_STARTED, RUNNING],
    to: Some(PAUSED),
    verb: "paused",
};
/// `ResumePredictiveDialingCampaign`.
pub(crate) const RESUME: Move = Move {
    from: &[PAUSED],
    to: Some(RUNNING),
    verb: "resumed",
};
/// `AbortPredictiveDialingCampaign`.
pub(crate) const ABORT: Move = Move {
    from: &[NOT_STARTED, RUNNING, PAUSED],
    to: Some(TERMINATED),
    verb: "aborted",
};
/// `DeletePredictiveDialingCampaign`: anything but a running campaign.
pub(crate) const DELETE: Move = Move {
    from: &[NOT_STARTED, PAUSED, TERMINATED, FINISHED],
    to: None,
    verb: "deleted",
};

/// Pause, resume, abort or delete, or a refusal naming the campaign's state.
pub(crate) fn change(
    def: &ActionDef,
    campaigns: &mut Campaigns,
    input: &Value,
    change: Move,
) -> Result<Map<String, Value>, ApiError> {
    let id = int(input, "CampaignId").unwrap_or_default();
    let Some(campaign) = campaigns.get_mut(&id) else {
        return Err(not_found(def, input));
    };
    if !change.from.contains(&campaign.status) {
        return Err(refused(def, campaign, change.verb, change.from));
    }
    match change.to {
        Some(status) => {
            campaign.status = status;
            if status == TERMINATED {
                campaign.status_reason = ENDED_BY_HAND;
            }
        }
        None => {
            campaigns.remove(&id);
        }
    }
    Ok(Map::new())
}

#[derive(Serialize)]
struct DescribeResponse<'a> {
    #[serde(rename = "CampaignId")]
    campaign_id: i64,
    #[serde(rename = "Name")]
    name: &'a str,
    #[serde(rename = "CallOrder")]
    call_order: i64,
    #[serde(rename = "SkillGroupId")]
    skill_group_id: i64,
    #[serde(rename = "IVRId", skip_serializing_if = "Option::is_none")]
    ivr_id: Option<i64>,
    #[serde(rename = "Priority")]
    priority: i64,
    #[serde(rename = "ExpectedAbandonRate")]
    expected_abandon_rate: i64,
    #[serde(rename = "RetryTimes")]
    retry_times: i64,
    #[serde(rename = "RetryInterval")]
    retry_interval: i64,
    #[serde(rename = "StartTime")]
    start_time: i64,
    #[serde(rename = "EndTime")]
    end_time: i64,
    #[serde(rename = "Variables", skip_serializing_if = "Option::is_none")]
    variables: Option<&'a Value>,
    #[serde(rename = "UUI", skip_serializing_if = "Option::is_none")]
    uui: Option<&'a str>,
    #[serde(rename = "Status")]
    status: i64,
    #[serde(rename = "StatusReason")]
    status_reason: i64,
}

/// `DescribePredictiveDialingCampaign`: one campaign's settings and state.
pub(crate) fn describe(
    def: &ActionDef,
    campaigns: &Campaigns,
    input: &Value,
) -> Result<Map<String, Value>, ApiError> {
    let id = int(input, "CampaignId").unwrap_or_default();
    let Some(c) = campaigns.get(&id) else {
        return Err(not_found(def, input));
    };
    answer(&DescribeResponse {
        campaign_id: c.campaign_id,
        name: &c.name,
        call_order: c.call_order,
        skill_group_id: c.skill_group_id,
        ivr_id: c.ivr_id,
        priority: c.priority,
        expected_abandon_rate: c.expected_abandon_rate,
        retry_times: c.retry_times,
        retry_interval: c.retry_interval,
        start_time: c.start_time,
        end_time: c.end_time,
        variables: c.variables.as_ref(),
        uui: c.uui.as_deref(),
        status: c.status,
        status_reason: c.status_reason,
    })
}

#[derive(Serialize)]
struct Element<'a> {
    #[serde(rename = "CampaignId")]
    campaign_id: i64,
    #[serde(rename = "Name")]
    name: &'a str,
    #[serde(rename = "Status")]
    status: i64,
    #[serde(rename = "StatusReason")]
    status_reason: i64,
    #[serde(rename = "CalleeCount")]
    callee_count: usize,
    #[serde(rename = "FinishedCalleeCount")]
    finished_callee_count: usize,
    #[serde(rename = "Priority")]
    priority: i64,
    #[serde(rename = "SkillGroupId")]
    skill_group_id: i64,
}

#[derive(Serialize)]
struct ListResponse<'a> {
    #[serde(rename = "TotalCount")]
    total_count: usize,
    #[serde(rename = "CampaignList")]
    campaign_list: Vec<Element<'a>>,
}

/// `DescribePredictiveDialingCampaigns`: a page in ID order, filtered by
/// `Name` (contains), `SkillGroupId` and `CampaignId`.
pub(crate) fn list_page(
    def: &ActionDef,
    campaigns: &Campaigns,
    input: &Value,
) -> Result<Map<String, Value>, ApiError> {
    let (start, size) = page(def, input, MAX_CAMPAIGN_PAGE_SIZE)?;
    let name = text(input, "Name");
    let group = int(input, "SkillGroupId");
    let id = int(input, "CampaignId");
    let matching: Vec<&Campaign> = campaigns
        .values()
        .filter(|c| name.is_none_or(|n| c.name.contains(n)))
        .filter(|c| group.is_none_or(|g| c.skill_group_id == g))
        .filter(|c| id.is_none_or(|i| c.campaign_id == i))
        .collect();
    answer(&ListResponse {
        total_count: matching.len(),
        campaign_list: matching
            .iter()
            .skip(start)
            .take(size)
            .map(|c| Element {
                campaign_id: c.campaign_id,
                name: &c.name,
                status: c.status,
                status_reason: c.status_reason,
                callee_count: c.callees.len(),
                finished_callee_count: 0,
                priority: c.priority,
                skill_group_id: c.skill_group_id,
            })
            .collect(),
    })
}

/// Reads and checks the optional `PredictiveDialingCampaigns` list of a seed
/// application (`at` names it in messages): unique IDs, a known `Status`,
/// skill groups that exist.
pub(crate) fn from_seed(app: &Value, workforce: &Workforce, at: &str) -> Result<Campaigns, String> {
    let list: Vec<Campaign> = match app.get("PredictiveDialingCampaigns") {
        None | Some(Value::Null) => Vec::new(),
        Some(v) => serde_json::from_value(v.clone())
            .map_err(|e| format!("{at}.PredictiveDialingCampaigns: {e}"))?,
    };
    let mut campaigns = Campaigns::new();
    for (i, campaign) in list.into_iter().enumerate() {
        let here = format!("{at}.PredictiveDialingCampaigns.{i}");
        if !(NOT_STARTED..=FINISHED).contains(&campaign.status) {
            return Err(format!("{here}: Status {} is not 0 to 4", campaign.status));
        }
        if !workforce
            .skill_groups
            .contains_key(&campaign.skill_group_id)
        {
            return Err(format!(
                "{here}: skill group {} does not exist",
                campaign.skill_group_id
            ));
        }
        let id = campaign.campaign_id;
        if campaigns.insert(id, campaign).is_some() {
            return Err(format!("{here}: CampaignId {id} appears twice"));
        }
    }
    Ok(campaigns)
}
