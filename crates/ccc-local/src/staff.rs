//! Agents (staff): `CreateStaff`, `DescribeStaffInfoList`, `ModifyStaff`,
//! `DeleteStaff`, `SetStaffStatus` and `DescribeStaffStatusMetrics`, over the
//! application's [`Workforce`]. The spec-driven checks have run before any of
//! these; each checks what the types cannot say.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::spec::ActionDef;
use crate::workforce::{
    DEFAULT_PRIORITY, OFFLINE, Staff, Workforce, answer, int, list, no_staff, page, text,
    value_error,
};

/// At most this many agents per `CreateStaff` call, and statuses per `SetStaffStatus`.
pub const MAX_STAFF_PER_CALL: usize = 10;
/// At most this many accounts per `DeleteStaff` call.
pub const MAX_DELETE_PER_CALL: usize = 200;
/// The largest `PageSize` of `DescribeStaffInfoList`.
pub const MAX_STAFF_PAGE_SIZE: i64 = 9999;

/// The statuses `SetStaffStatus` may set; `busy` and `afterCallWork` come
/// from calls, and `offline` from signing out, which the emulator does not model.
pub(crate) const SETTABLE: [&str; 3] = ["free", "notReady", "rest"];
/// Every status the definition lists.
pub(crate) const STATUSES: [&str; 6] =
    ["free", "busy", "rest", "notReady", "afterCallWork", OFFLINE];

/// An extension number as the definition describes it: 4 to 6 digits, the first 1 to 8.
fn extension_ok(number: &str) -> bool {
    (4..=6).contains(&number.len())
        && number.bytes().all(|b| b.is_ascii_digit())
        && (b'1'..=b'8').contains(&number.as_bytes()[0])
}

fn mail_ok(mail: &str) -> bool {
    mail.split_once('@')
        .is_some_and(|(user, domain)| !user.is_empty() && !domain.is_empty())
}

#[derive(Serialize)]
struct ErrStaffItem {
    #[serde(rename = "StaffEmail")]
    staff_email: String,
    #[serde(rename = "Code")]
    code: String,
    #[serde(rename = "Message")]
    message: String,
}

#[derive(Serialize)]
struct CreateStaffResponse {
    #[serde(rename = "ErrorStaffList")]
    error_staff_list: Vec<ErrStaffItem>,
}

/// `CreateStaff`: stores each agent of `Staffs` that is valid and new, and
/// lists the others in `ErrorStaffList` with a code and a reason (the
/// service creates what it can). Agents start `offline`, bound at priority 3
/// to the groups `SkillGroupNameList` names.
pub(crate) fn create(
    def: &ActionDef,
    workforce: &mut Workforce,
    input: &Value,
    now: i64,
) -> Result<Map<String, Value>, ApiError> {
    let staffs = list(input, "Staffs");
    if staffs.is_empty() || staffs.len() > MAX_STAFF_PER_CALL {
        return Err(value_error(
            def,
            &[],
            format!(
                "The parameter `Staffs` must list 1 to {MAX_STAFF_PER_CALL} agents, got {}.",
                staffs.len()
            ),
        ));
    }
    let mut errors = Vec::new();
    for seat in staffs {
        let mail = text(seat, "Mail").unwrap_or_default().to_owned();
        let refuse = |code: &str, message: String| ErrStaffItem {
            staff_email: mail.clone(),
            code: code.to_owned(),
            message,
        };
        if !mail_ok(&mail) {
            errors.push(refuse(
                "InvalidParameterValue",
                format!("`{mail}` is not an email address."),
            ));
            continue;
        }
        if workforce.staff.contains_key(&mail) {
            errors.push(refuse(
                "FailedOperation.DuplicatedAccount",
                format!("An agent with the account `{mail}` already exists."),
            ));
            continue;
        }
        let extension = text(seat, "ExtensionNumber").map(str::to_owned);
        if let Some(number) = extension.as_deref().filter(|n| !extension_ok(n)) {
            errors.push(refuse(
                "InvalidParameterValue",
                format!("The extension number `{number}` must be 4 to 6 digits, the first 1 to 8."),
            ));
            continue;
        }
        let mut skill_groups = BTreeMap::new();
        let mut unknown = None;
        for name in list(seat, "SkillGroupNameList")
            .iter()
            .filter_map(Value::as_str)
        {
            match workforce
                .skill_groups
                .values()
                .find(|g| g.skill_group_name == name)
            {
                Some(group) => {
                    skill_groups.insert(group.skill_group_id, DEFAULT_PRIORITY);
                }
                None => unknown = Some(name.to_owned()),
            }
        }
        if let Some(name) = unknown {
            errors.push(refuse(
                "InvalidParameterValue",
                format!("There is no skill group named `{name}`."),
            ));
            continue;
        }
        let staff = Staff {
            mail: mail.clone(),
            name: text(seat, "Name").unwrap_or_default().to_owned(),
            staff_number: text(seat, "StaffNumber").unwrap_or_default().to_owned(),
            phone: text(seat, "Phone").unwrap_or_default().to_owned(),
            nick: text(seat, "Nick").unwrap_or_default().to_owned(),
            role: int(seat, "Role").unwrap_or(3),
            extension_number: extension,
            forwarding_config: None,
            use_mobile_call_out: false,
            use_mobile_accept: 0,
            skill_groups,
            last_modify_timestamp: now,
            status: OFFLINE.to_owned(),
            reason: String::new(),
            status_since: now,
            last_online: None,
            durations: BTreeMap::new(),
        };
        workforce.staff.insert(mail, staff);
    }
    answer(&CreateStaffResponse {
        error_staff_list: errors,
    })
}

#[derive(Serialize)]
struct SkillGroupItem {
    #[serde(rename = "SkillGroupId")]
    skill_group_id: i64,
    #[serde(rename = "SkillGroupName")]
    skill_group_name: String,
    #[serde(rename = "Priority")]
    priority: i64,
    #[serde(rename = "Type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct StaffInfo {
    #[serde(rename = "Name")]
    name: String,
    #[serde(rename = "Mail")]
    mail: String,
    #[serde(rename = "Phone")]
    phone: String,
    #[serde(rename = "Nick")]
    nick: String,
    #[serde(rename = "StaffNumber")]
    staff_number: String,
    #[serde(rename = "RoleList")]
    role_list: Vec<i64>,
    #[serde(rename = "SkillGroupList")]
    skill_group_list: Vec<SkillGroupItem>,
    #[serde(rename = "LastModifyTimestamp")]
    last_modify_timestamp: i64,
    #[serde(rename = "ExtensionNumber", skip_serializing_if = "Option::is_none")]
    extension_number: Option<String>,
    #[serde(rename = "ForwardingConfig", skip_serializing_if = "Option::is_none")]
    forwarding_config: Option<Value>,
}

#[derive(Serialize)]
struct DescribeStaffInfoListResponse {
    #[serde(rename = "TotalCount")]
    total_count: usize,
    #[serde(rename = "StaffList")]
    staff_list: Vec<StaffInfo>,
}

fn staff_info(workforce: &Workforce, staff: &Staff) -> StaffInfo {
    StaffInfo {
        name: staff.name.clone(),
        mail: staff.mail.clone(),
        phone: staff.phone.clone(),
        nick: staff.nick.clone(),
        staff_number: staff.staff_number.clone(),
        role_list: vec![staff.role],
        skill_group_list: staff
            .skill_groups
            .iter()
            .filter_map(|(id, priority)| {
                let group = workforce.skill_groups.get(id)?;
                Some(SkillGroupItem {
                    skill_group_id: *id,
                    skill_group_name: group.skill_group_name.clone(),
                    priority: *priority,
                    kind: group.type_text(),
                })
            })
            .collect(),
        last_modify_timestamp: staff.last_modify_timestamp,
        extension_number: staff.extension_number.clone(),
        forwarding_config: staff.forwarding_config.clone(),
    }
}

/// `DescribeStaffInfoList`: a page of agents in `Mail` order, filtered by
/// `StaffMail`, `ModifiedTime` (modified at or after) and `SkillGroupId`
/// (bound to it); `TotalCount` counts every agent that passes the filters.
pub(crate) fn describe_list(
    def: &ActionDef,
    workforce: &Workforce,
    input: &Value,
) -> Result<Map<String, Value>, ApiError> {
    let (start, size) = page(def, input, MAX_STAFF_PAGE_SIZE)?;
    let mail = text(input, "StaffMail");
    let modified = int(input, "ModifiedTime");
    let group = int(input, "SkillGroupId");
    let matching: Vec<&Staff> = workforce
        .staff
        .values()
        .filter(|s| mail.is_none_or(|m| s.mail == m))
        .filter(|s| modified.is_none_or(|t| s.last_modify_timestamp >= t))
        .filter(|s| group.is_none_or(|g| s.skill_groups.contains_key(&g)))
        .collect();
    answer(&DescribeStaffInfoListResponse {
        total_count: matching.len(),
        staff_list: matching
            .iter()
            .skip(start)
            .take(size)
            .map(|s| staff_info(workforce, s))
            .collect(),
    })
}

/// The skill groups `ids` as bindings, keeping the priority of those already bound.
fn bindings(
    def: &ActionDef,
    workforce: &Workforce,
    current: &BTreeMap<i64, i64>,
    ids: &[Value],
) -> Result<BTreeMap<i64, i64>, ApiError> {
    let mut out = BTreeMap::new();
    for id in ids.iter().filter_map(Value::as_i64) {
        if !workforce.skill_groups.contains_key(&id) {
            return Err(value_error(
                def,
                &["InvalidParameterValue.SkillGroupError"],
                format!("The skill group {id} does not exist."),
            ));
        }
        out.insert(id, current.get(&id).copied().unwrap_or(DEFAULT_PRIORITY));
    }
    Ok(out)
}

/// `ModifyStaff`: changes the fields sent of the agent `Email`;
/// `SkillGroupIds` replaces the agent's groups.
pub(crate) fn modify(
    def: &ActionDef,
    workforce: &mut Workforce,
    input: &Value,
    now: i64,
) -> Result<Map<String, Value>, ApiError> {
    let mail = text(input, "Email").unwrap_or_default();
    let Some(current) = workforce.staff.get(mail) else {
        return Err(no_staff(def, mail));
    };
    if let Some(phone) = text(input, "Phone").filter(|p| !p.is_empty())
        && let Some(other) = workforce
            .staff
            .values()
            .find(|s| s.phone == phone && s.mail != mail)
    {
        return Err(value_error(
            def,
            &["InvalidParameterValue.PhoneNumIsBoundOtherAccount"],
            format!(
                "The number `{phone}` is already the phone of `{}`.",
                other.mail
            ),
        ));
    }
    if let Some(number) = text(input, "ExtensionNumber").filter(|n| !extension_ok(n)) {
        return Err(value_error(
            def,
            &[],
            format!(
                "The parameter `ExtensionNumber` must be 4 to 6 digits, the first 1 to 8; got `{number}`."
            ),
        ));
    }
    if let Some(accept) = int(input, "UseMobileAccept").filter(|a| !(0..=2).contains(a)) {
        return Err(value_error(
            def,
            &[],
            format!("The parameter `UseMobileAccept` must be 0, 1 or 2, got {accept}."),
        ));
    }
    let groups = match input.get("SkillGroupIds").filter(|v| !v.is_null()) {
        Some(ids) => Some(bindings(
            def,
            workforce,
            &current.skill_groups,
            ids.as_array().map_or(&[], Vec::as_slice),
        )?),
        None => None,
    };
    let Some(staff) = workforce.staff.get_mut(mail) else {
        return Err(ApiError::new("InternalError", "The agent vanished."));
    };
    for (name, field) in [
        ("Name", &mut staff.name),
        ("Phone", &mut staff.phone),
        ("Nick", &mut staff.nick),
        ("StaffNo", &mut staff.staff_number),
    ] {
        if let Some(value) = text(input, name) {
            *field = value.to_owned();
        }
    }
    if let Some(number) = text(input, "ExtensionNumber") {
        staff.extension_number = Some(number.to_owned());
    }
    if let Some(config) = input.get("ForwardingConfig").filter(|v| !v.is_null()) {
        staff.forwarding_config = Some(config.clone());
    }
    if let Some(callout) = input.get("UseMobileCallOut").and_then(Value::as_bool) {
        staff.use_mobile_call_out = callout;
    }
    if let Some(accept) = int(input, "UseMobileAccept") {
        staff.use_mobile_accept = accept;
    }
    if let Some(groups) = groups {
        staff.skill_groups = groups;
    }
    staff.last_modify_timestamp = now;
    Ok(Map::new())
}

#[derive(Serialize)]
struct DeleteStaffResponse {
    #[serde(rename = "OnlineStaffList")]
    online_staff_list: Vec<String>,
    #[serde(rename = "DeleteStatusInfo", skip_serializing_if = "Option::is_none")]
    delete_status_info: Option<String>,
}

/// `DeleteStaff`: deletes each listed agent that is `offline`; agents in any
/// other status stay and are listed in `OnlineStaffList`. Accounts the
/// application does not have are ignored, so deleting twice is harmless.
pub(crate) fn delete(
    def: &ActionDef,
    workforce: &mut Workforce,
    input: &Value,
) -> Result<Map<String, Value>, ApiError> {
    let mails = list(input, "StaffList");
    if mails.is_empty() || mails.len() > MAX_DELETE_PER_CALL {
        return Err(value_error(
            def,
            &[],
            format!(
                "The parameter `StaffList` must list 1 to {MAX_DELETE_PER_CALL} accounts, got {}.",
                mails.len()
            ),
        ));
    }
    let mut online = Vec::new();
    for mail in mails.iter().filter_map(Value::as_str) {
        match workforce.staff.get(mail) {
            Some(staff) if staff.status != OFFLINE => online.push(mail.to_owned()),
            Some(_) => {
                workforce.staff.remove(mail);
            }
            None => {}
        }
    }
    let info = (!online.is_empty())
        .then(|| "The agents in OnlineStaffList are online and were not deleted.".to_owned());
    answer(&DeleteStaffResponse {
        online_staff_list: online,
        delete_status_info: info,
    })
}

#[derive(Serialize, Default)]
struct SetStaffStatusRspItem {
    #[serde(rename = "StaffUserId")]
    staff_user_id: String,
    #[serde(rename = "ErrorCode")]
    error_code: String,
    #[serde(rename = "ErrorMessage")]
    error_message: String,
    #[serde(rename = "Status")]
    status: String,
    #[serde(rename = "Reason")]
    reason: String,
    #[serde(rename = "PreviousStatus")]
    previous_status: String,
    #[serde(rename = "PreviousReason")]
    previous_reason: String,
}

#[derive(Serialize)]
struct SetStaffStatusResponse {
    #[serde(rename = "StaffStatusList")]
    staff_status_list: Vec<SetStaffStatusRspItem>,
}

/// `SetStaffStatus`: sets each listed agent to `free`, `notReady` or `rest`
/// (with `Reason`). An agent that is `busy` in a call cannot be changed, and
/// an unknown account or status is refused; each such item carries
/// `ErrorCode` and `ErrorMessage` while the others are applied.
pub(crate) fn set_status(
    def: &ActionDef,
    workforce: &mut Workforce,
    input: &Value,
    now: i64,
) -> Result<Map<String, Value>, ApiError> {
    let items = list(input, "StaffStatusList");
    if items.is_empty() || items.len() > MAX_STAFF_PER_CALL {
        return Err(value_error(
            def,
            &[],
            format!(
                "The parameter `StaffStatusList` must list 1 to {MAX_STAFF_PER_CALL} agents, got {}.",
                items.len()
            ),
        ));
    }
    let refused = def.error_code(&["FailedOperation"], "InvalidParameterValue");
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let id = text(item, "StaffUserId").unwrap_or_default();
        let status = text(item, "Status").unwrap_or_default();
        let reason = if status == "rest" {
            text(item, "Reason").unwrap_or_default()
        } else {
            ""
        };
        let mut rsp = SetStaffStatusRspItem {
            staff_user_id: id.to_owned(),
            ..Default::default()
        };
        let Some(staff) = workforce.staff.get_mut(id) else {
            rsp.error_code = "InvalidParameterValue".to_owned();
            rsp.error_message = format!("The agent `{id}` does not exist.");
            out.push(rsp);
            continue;
        };
        rsp.previous_status = staff.status.clone();
        rsp.previous_reason = staff.reason.clone();
        if !SETTABLE.contains(&status) {
            rsp.error_code = "InvalidParameterValue".to_owned();
            rsp.error_message =
                format!("The status `{status}` cannot be set; use one of {SETTABLE:?}.");
        } else if staff.status == "busy" {
            rsp.error_code = refused.to_owned();
            rsp.error_message =
                format!("The agent `{id}` is busy in a call; the status can change after it.");
        } else {
            staff.set_status(status, reason, now);
        }
        rsp.status = staff.status.clone();
        rsp.reason = staff.reason.clone();
        out.push(rsp);
    }
    answer(&SetStaffStatusResponse {
        staff_status_list: out,
    })
}

#[derive(Serialize)]
struct StaffStatusExtra {
    #[serde(rename = "Type")]
    kind: &'static str,
    #[serde(rename = "Direct")]
    direct: &'static str,
}

#[derive(Serialize)]
struct StaffStatusMetrics {
    #[serde(rename = "Email")]
    email: String,
    #[serde(rename = "Status")]
    status: String,
    #[serde(rename = "StatusExtra")]
    status_extra: StaffStatusExtra,
    #[serde(rename = "OnlineDuration")]
    online_duration: i64,
    #[serde(rename = "FreeDuration")]
    free_duration: i64,
    #[serde(rename = "BusyDuration")]
    busy_duration: i64,
    #[serde(rename = "NotReadyDuration")]
    not_ready_duration: i64,
    #[serde(rename = "RestDuration")]
    rest_duration: i64,
    #[serde(rename = "AfterCallWorkDuration")]
    after_call_work_duration: i64,
    #[serde(rename = "Reason")]
    reason: String,
    #[serde(rename = "ReserveRest")]
    reserve_rest: bool,
    #[serde(rename = "ReserveNotReady")]
    reserve_not_ready: bool,
    #[serde(rename = "UseMobileAccept")]
    use_mobile_accept: i64,
    #[serde(rename = "UseMobileCallOut")]
    use_mobile_call_out: bool,
    #[serde(rename = "LastOnlineTimestamp")]
    last_online_timestamp: Option<i64>,
    #[serde(rename = "LastStatusTimestamp")]
    last_status_timestamp: Option<i64>,
}

#[derive(Serialize)]
struct DescribeStaffStatusMetricsResponse {
    #[serde(rename = "Metrics")]
    metrics: Vec<StaffStatusMetrics>,
}

/// `DescribeStaffStatusMetrics`: each agent's status and the seconds spent
/// in each status since the emulator has known the agent, in `Mail` order,
/// filtered by `StaffList`, `GroupIdList` (bound to any) and `StatusList`.
pub(crate) fn status_metrics(
    def: &ActionDef,
    workforce: &Workforce,
    input: &Value,
    now: i64,
) -> Result<Map<String, Value>, ApiError> {
    let strings = |name: &str| -> Option<Vec<&str>> {
        input
            .get(name)
            .and_then(Value::as_array)
            .map(|items| items.iter().filter_map(Value::as_str).collect())
    };
    let mails = strings("StaffList");
    let statuses = strings("StatusList");
    if let Some(bad) = statuses.iter().flatten().find(|s| !STATUSES.contains(s)) {
        return Err(value_error(
            def,
            &[],
            format!("The status `{bad}` in `StatusList` is not one of {STATUSES:?}."),
        ));
    }
    let groups: Option<Vec<i64>> = input
        .get("GroupIdList")
        .and_then(Value::as_array)
        .map(|ids| ids.iter().filter_map(Value::as_i64).collect());
    let metrics = workforce
        .staff
        .values()
        .filter(|s| mails.as_ref().is_none_or(|m| m.contains(&s.mail.as_str())))
        .filter(|s| {
            statuses
                .as_ref()
                .is_none_or(|l| l.contains(&s.status.as_str()))
        })
        .filter(|s| {
            groups
                .as_ref()
                .is_none_or(|g| g.iter().any(|id| s.skill_groups.contains_key(id)))
        })
        .map(|s| {
            let d = |status: &str| s.seconds_in(status, now);
            let online: i64 = STATUSES
                .iter()
                .filter(|status| **status != OFFLINE)
                .map(|status| d(status))
                .sum();
            StaffStatusMetrics {
                email: s.mail.clone(),
                status: s.status.clone(),
                status_extra: StaffStatusExtra {
                    kind: "all",
                    direct: "in",
                },
                online_duration: online,
                free_duration: d("free"),
                busy_duration: d("busy"),
                not_ready_duration: d("notReady"),
                rest_duration: d("rest"),
                after_call_work_duration: d("afterCallWork"),
                reason: s.reason.clone(),
                reserve_rest: false,
                reserve_not_ready: false,
                use_mobile_accept: s.use_mobile_accept,
                use_mobile_call_out: s.use_mobile_call_out,
                last_online_timestamp: s.last_online,
                last_status_timestamp: Some(s.status_since),
            }
        })
        .collect();
    answer(&DescribeStaffStatusMetricsResponse { metrics })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_numbers_follow_the_definition() {
        for good in ["1000", "812345", "20001"] {
            assert!(extension_ok(good), "{good}");
        }
        for bad in ["999", "0123", "9123", "1234567", "12a4", ""] {
            assert!(!extension_ok(bad), "{bad}");
        }
    }
}
