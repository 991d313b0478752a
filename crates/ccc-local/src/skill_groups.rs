//! Skill groups: `CreateCCCSkillGroup`, `UpdateCCCSkillGroup`,
//! `DeleteCCCSkillGroup`, `DescribeSkillGroupInfoList`,
//! `BindStaffSkillGroupList` and `UnbindStaffSkillGroupList`, over the
//! application's [`Workforce`]. The spec-driven checks have run before any of
//! these; each checks what the types cannot say.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::spec::ActionDef;
use crate::workforce::{
    DEFAULT_PRIORITY, ONLINE, SKILL_GROUP_TYPES, SkillGroup, Workforce, answer, int, list,
    no_staff, page, text, value_error,
};

/// The largest `PageSize` of `DescribeSkillGroupInfoList`.
pub const MAX_SKILL_GROUP_PAGE_SIZE: i64 = 100;
/// The most sessions an agent of a ring-all group takes at once.
pub const MAX_RING_ALL_CONCURRENCY: i64 = 2;
/// The priorities an agent may have in a group: 1 (highest) to 5.
pub const PRIORITIES: std::ops::RangeInclusive<i64> = 1..=5;

const EXISTS: &str = "InvalidParameterValue.SkillGroupExist";

fn name_taken(def: &ActionDef, name: &str) -> ApiError {
    value_error(
        def,
        &[EXISTS],
        format!("A skill group named `{name}` already exists."),
    )
}

fn no_group(def: &ActionDef, id: i64) -> ApiError {
    value_error(
        def,
        &["ResourceNotFound"],
        format!("The skill group {id} does not exist."),
    )
}

/// The concurrency rules of the definition: phone, audio and video groups
/// serve one session per agent; online groups at least one; ring-all groups
/// at most [`MAX_RING_ALL_CONCURRENCY`].
fn check_concurrency(def: &ActionDef, group: &SkillGroup) -> Result<(), ApiError> {
    let c = group.max_concurrency;
    let problem = if group.skill_group_type != ONLINE && c != 1 {
        Some(format!(
            "must be 1 for a skill group of type {} (only online groups, type 1, may take more)",
            group.skill_group_type
        ))
    } else if c < 1 {
        Some("must be at least 1".to_owned())
    } else if group.ring_all && c > MAX_RING_ALL_CONCURRENCY {
        Some(format!(
            "must be at most {MAX_RING_ALL_CONCURRENCY} when all agents ring at once"
        ))
    } else {
        None
    };
    match problem {
        Some(problem) => Err(value_error(
            def,
            &[],
            format!("The parameter `MaxConcurrency` {problem}; got {c}."),
        )),
        None => Ok(()),
    }
}

#[derive(Serialize)]
struct CreateResponse {
    #[serde(rename = "SkillGroupId")]
    skill_group_id: i64,
}

/// `CreateCCCSkillGroup`: a new group under the next ID (one above the
/// application's largest), with a name no other group has.
pub(crate) fn create(
    def: &ActionDef,
    workforce: &mut Workforce,
    input: &Value,
    now: i64,
) -> Result<Map<String, Value>, ApiError> {
    let name = text(input, "SkillGroupName").unwrap_or_default().trim();
    if name.is_empty() {
        return Err(value_error(
            def,
            &[],
            "The parameter `SkillGroupName` must not be empty.".to_owned(),
        ));
    }
    let kind = int(input, "SkillGroupType").unwrap_or_default();
    if !SKILL_GROUP_TYPES.contains(&kind) {
        return Err(value_error(
            def,
            &[],
            format!(
                "The parameter `SkillGroupType` must be one of {SKILL_GROUP_TYPES:?}, got {kind}."
            ),
        ));
    }
    if workforce
        .skill_groups
        .values()
        .any(|g| g.skill_group_name == name)
    {
        return Err(name_taken(def, name));
    }
    let id = workforce.next_skill_group_id();
    let group = SkillGroup {
        skill_group_id: id,
        skill_group_name: name.to_owned(),
        skill_group_type: kind,
        max_concurrency: int(input, "MaxConcurrency").unwrap_or(1),
        ring_all: false,
        route_policy: "fifo".to_owned(),
        alias: format!("{}", 8000 + id),
        last_modify_timestamp: now,
    };
    check_concurrency(def, &group)?;
    workforce.skill_groups.insert(id, group);
    answer(&CreateResponse { skill_group_id: id })
}

/// `UpdateCCCSkillGroup`: changes the name, `MaxConcurrency` and `RingAll`
/// sent, under the same rules as creation.
pub(crate) fn update(
    def: &ActionDef,
    workforce: &mut Workforce,
    input: &Value,
    now: i64,
) -> Result<Map<String, Value>, ApiError> {
    let id = int(input, "SkillGroupID").unwrap_or_default();
    let Some(current) = workforce.skill_groups.get(&id) else {
        return Err(no_group(def, id));
    };
    let mut group = current.clone();
    if let Some(name) = text(input, "SkillGroupName") {
        let name = name.trim();
        if name.is_empty() {
            return Err(value_error(
                def,
                &[],
                "The parameter `SkillGroupName` must not be empty.".to_owned(),
            ));
        }
        if workforce
            .skill_groups
            .values()
            .any(|g| g.skill_group_name == name && g.skill_group_id != id)
        {
            return Err(name_taken(def, name));
        }
        group.skill_group_name = name.to_owned();
    }
    if let Some(c) = int(input, "MaxConcurrency") {
        group.max_concurrency = c;
    }
    if let Some(ring_all) = input.get("RingAll").and_then(Value::as_bool) {
        group.ring_all = ring_all;
    }
    check_concurrency(def, &group)?;
    group.last_modify_timestamp = now;
    workforce.skill_groups.insert(id, group);
    Ok(Map::new())
}

/// `DeleteCCCSkillGroup`: removes a group no agent is bound to and no
/// campaign uses; otherwise `ResourceUnavailable`, naming what holds it.
pub(crate) fn delete(
    def: &ActionDef,
    workforce: &mut Workforce,
    campaigns: &crate::campaigns::Campaigns,
    input: &Value,
) -> Result<Map<String, Value>, ApiError> {
    let id = int(input, "SkillGroupId").unwrap_or_default();
    if !workforce.skill_groups.contains_key(&id) {
        return Err(no_group(def, id));
    }
    let bound: Vec<&str> = workforce
        .staff
        .values()
        .filter(|s| s.skill_groups.contains_key(&id))
        .map(|s| s.mail.as_str())
        .collect();
    if !bound.is_empty() {
        return Err(ApiError::new(
            def.error_code(&["ResourceUnavailable"], "FailedOperation"),
            format!(
                "The skill group {id} still has {} agent(s) ({}); unbind them first.",
                bound.len(),
                bound.join(", ")
            ),
        ));
    }
    let using: Vec<String> = campaigns
        .values()
        .filter(|c| c.skill_group_id == id)
        .map(|c| c.campaign_id.to_string())
        .collect();
    if !using.is_empty() {
        return Err(ApiError::new(
            def.error_code(&["ResourceUnavailable"], "FailedOperation"),
            format!(
                "The skill group {id} is used by predictive dialing campaign(s) {}; change or delete them first.",
                using.join(", ")
            ),
        ));
    }
    workforce.skill_groups.remove(&id);
    Ok(Map::new())
}

#[derive(Serialize)]
struct SkillGroupInfoItem {
    #[serde(rename = "SkillGroupId")]
    skill_group_id: i64,
    #[serde(rename = "SkillGroupName")]
    skill_group_name: String,
    #[serde(rename = "Type")]
    kind: &'static str,
    #[serde(rename = "RoutePolicy")]
    route_policy: String,
    #[serde(rename = "UsingLastSeat")]
    using_last_seat: i64,
    #[serde(rename = "MaxConcurrency")]
    max_concurrency: i64,
    #[serde(rename = "LastModifyTimestamp")]
    last_modify_timestamp: i64,
    #[serde(rename = "SkillGroupType")]
    skill_group_type: i64,
    #[serde(rename = "Alias")]
    alias: String,
    #[serde(rename = "RingAll")]
    ring_all: bool,
}

#[derive(Serialize)]
struct DescribeListResponse {
    #[serde(rename = "TotalCount")]
    total_count: usize,
    #[serde(rename = "SkillGroupList")]
    skill_group_list: Vec<SkillGroupInfoItem>,
}

/// `DescribeSkillGroupInfoList`: a page of groups in ID order, filtered by
/// `SkillGroupId`, `ModifiedTime` (modified at or after) and `SkillGroupName`.
pub(crate) fn describe_list(
    def: &ActionDef,
    workforce: &Workforce,
    input: &Value,
) -> Result<Map<String, Value>, ApiError> {
    let (start, size) = page(def, input, MAX_SKILL_GROUP_PAGE_SIZE)?;
    let id = int(input, "SkillGroupId");
    let modified = int(input, "ModifiedTime");
    let name = text(input, "SkillGroupName");
    let matching: Vec<&SkillGroup> = workforce
        .skill_groups
        .values()
        .filter(|g| id.is_none_or(|id| g.skill_group_id == id))
        .filter(|g| modified.is_none_or(|t| g.last_modify_timestamp >= t))
        .filter(|g| name.is_none_or(|n| g.skill_group_name == n))
        .collect();
    answer(&DescribeListResponse {
        total_count: matching.len(),
        skill_group_list: matching
            .iter()
            .skip(start)
            .take(size)
            .map(|g| SkillGroupInfoItem {
                skill_group_id: g.skill_group_id,
                skill_group_name: g.skill_group_name.clone(),
                kind: g.type_text(),
                route_policy: g.route_policy.clone(),
                using_last_seat: 0,
                max_concurrency: g.max_concurrency,
                last_modify_timestamp: g.last_modify_timestamp,
                skill_group_type: g.skill_group_type,
                alias: g.alias.clone(),
                ring_all: g.ring_all,
            })
            .collect(),
    })
}

/// `BindStaffSkillGroupList`: binds the agent `StaffEmail` to each group of
/// `StaffSkillGroupList` at its `Priority` (1 to 5, default 3), changing the
/// priority of a group already bound. Every group must exist.
pub(crate) fn bind(
    def: &ActionDef,
    workforce: &mut Workforce,
    input: &Value,
    now: i64,
) -> Result<Map<String, Value>, ApiError> {
    let mail = text(input, "StaffEmail").unwrap_or_default();
    if !workforce.staff.contains_key(mail) {
        return Err(no_staff(def, mail));
    }
    let mut wanted = Vec::new();
    for item in list(input, "StaffSkillGroupList") {
        let id = int(item, "SkillGroupId").unwrap_or_default();
        if !workforce.skill_groups.contains_key(&id) {
            return Err(no_group(def, id));
        }
        let priority = int(item, "Priority").unwrap_or(DEFAULT_PRIORITY);
        if !PRIORITIES.contains(&priority) {
            return Err(value_error(
                def,
                &[],
                format!("The priority of skill group {id} must be 1 to 5, got {priority}."),
            ));
        }
        wanted.push((id, priority));
    }
    if wanted.is_empty() {
        return Err(value_error(
            def,
            &[],
            "The parameter `StaffSkillGroupList` must list at least one skill group.".to_owned(),
        ));
    }
    if let Some(staff) = workforce.staff.get_mut(mail) {
        staff.skill_groups.extend(wanted);
        staff.last_modify_timestamp = now;
    }
    Ok(Map::new())
}

/// `UnbindStaffSkillGroupList`: removes the agent `StaffEmail` from each group
/// of `SkillGroupList`. Every group must exist; one the agent is not in is
/// left as it is.
pub(crate) fn unbind(
    def: &ActionDef,
    workforce: &mut Workforce,
    input: &Value,
    now: i64,
) -> Result<Map<String, Value>, ApiError> {
    let mail = text(input, "StaffEmail").unwrap_or_default();
    if !workforce.staff.contains_key(mail) {
        return Err(no_staff(def, mail));
    }
    let ids: Vec<i64> = list(input, "SkillGroupList")
        .iter()
        .filter_map(Value::as_i64)
        .collect();
    if let Some(id) = ids
        .iter()
        .find(|id| !workforce.skill_groups.contains_key(id))
    {
        return Err(no_group(def, *id));
    }
    if let Some(staff) = workforce.staff.get_mut(mail) {
        for id in &ids {
            staff.skill_groups.remove(id);
        }
        staff.last_modify_timestamp = now;
    }
    Ok(Map::new())
}
