//! The agents (staff) and skill groups of one application, which the staff
//! actions ([`crate::staff`]) and the skill-group actions
//! ([`crate::skill_groups`]) share: a binding of an agent to a group shows in
//! the agent's `SkillGroupList` and in the listings filtered by group.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::spec::ActionDef;

/// An agent's status when nobody has set one: signed out.
pub(crate) const OFFLINE: &str = "offline";
/// An agent's priority in a group when the caller gives none (1 is highest, 5 lowest).
pub(crate) const DEFAULT_PRIORITY: i64 = 3;

/// One agent, by `Mail`. Field names are the wire names, so a state or seed
/// file reads like the API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(crate) struct Staff {
    pub(crate) mail: String,
    pub(crate) name: String,
    pub(crate) staff_number: String,
    #[serde(default)]
    pub(crate) phone: String,
    #[serde(default)]
    pub(crate) nick: String,
    /// 1 administrator, 2 quality inspector, 3 agent, else a custom role's ID.
    #[serde(default = "default_role")]
    pub(crate) role: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) extension_number: Option<String>,
    /// A `ForwardingConfig` as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) forwarding_config: Option<Value>,
    #[serde(default)]
    pub(crate) use_mobile_call_out: bool,
    #[serde(default)]
    pub(crate) use_mobile_accept: i64,
    /// Skill group ID → the agent's priority in it.
    #[serde(default)]
    pub(crate) skill_groups: BTreeMap<i64, i64>,
    pub(crate) last_modify_timestamp: i64,
    /// `free`, `busy`, `rest`, `notReady`, `afterCallWork` or `offline`.
    #[serde(default = "offline")]
    pub(crate) status: String,
    /// Why the agent is on a break, when `status` is `rest`.
    #[serde(default)]
    pub(crate) reason: String,
    /// When `status` was set (Unix seconds).
    #[serde(default)]
    pub(crate) status_since: i64,
    /// When the agent last left `offline`, if ever.
    #[serde(default)]
    pub(crate) last_online: Option<i64>,
    /// Seconds spent in each status before the current one.
    #[serde(default)]
    pub(crate) durations: BTreeMap<String, i64>,
}

fn default_role() -> i64 {
    3
}

fn offline() -> String {
    OFFLINE.to_owned()
}

impl Staff {
    /// Seconds in `status`, the current stretch included, as of `now`.
    pub(crate) fn seconds_in(&self, status: &str, now: i64) -> i64 {
        let past = self.durations.get(status).copied().unwrap_or(0);
        if self.status == status {
            past + (now - self.status_since).max(0)
        } else {
            past
        }
    }

    /// Moves to `status` at `now`, adding the time spent in the old one.
    pub(crate) fn set_status(&mut self, status: &str, reason: &str, now: i64) {
        let spent = (now - self.status_since).max(0);
        *self.durations.entry(self.status.clone()).or_insert(0) += spent;
        if self.status == OFFLINE && status != OFFLINE {
            self.last_online = Some(now);
        }
        self.status = status.to_owned();
        self.reason = reason.to_owned();
        self.status_since = now;
    }
}

/// One skill group, by `SkillGroupId`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(crate) struct SkillGroup {
    pub(crate) skill_group_id: i64,
    pub(crate) skill_group_name: String,
    /// 0 phone, 1 online, 3 audio, 4 video.
    pub(crate) skill_group_type: i64,
    pub(crate) max_concurrency: i64,
    #[serde(default)]
    pub(crate) ring_all: bool,
    #[serde(default = "fifo")]
    pub(crate) route_policy: String,
    #[serde(default)]
    pub(crate) alias: String,
    pub(crate) last_modify_timestamp: i64,
}

fn fifo() -> String {
    "fifo".to_owned()
}

/// The values of `SkillGroupType` the definition lists.
pub(crate) const SKILL_GROUP_TYPES: [i64; 4] = [0, 1, 3, 4];
/// `SkillGroupType` of online (text) groups, the only ones that may serve more than one session per agent.
pub(crate) const ONLINE: i64 = 1;

impl SkillGroup {
    /// The older `Type` text of the group: `TEL` for phone, `IM` for online, `ALL` otherwise.
    pub(crate) fn type_text(&self) -> &'static str {
        match self.skill_group_type {
            0 => "TEL",
            ONLINE => "IM",
            _ => "ALL",
        }
    }
}

/// Agents and skill groups of one application.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Workforce {
    /// Agents by `Mail`, which is also the order they are listed in.
    pub(crate) staff: BTreeMap<String, Staff>,
    /// Skill groups by ID, the order they are listed in.
    pub(crate) skill_groups: BTreeMap<i64, SkillGroup>,
}

impl Workforce {
    /// The ID a new skill group gets: one above the largest.
    pub(crate) fn next_skill_group_id(&self) -> i64 {
        self.skill_groups.keys().next_back().map_or(1, |id| id + 1)
    }
}

/// `InvalidParameterValue.InstanceNotExist`, for an application the emulator lacks.
pub(crate) fn no_app(input: &Value) -> ApiError {
    ApiError::new(
        "InvalidParameterValue.InstanceNotExist",
        format!(
            "The contact-center application (SdkAppId) {} does not exist.",
            input
                .get("SdkAppId")
                .map_or_else(String::new, Value::to_string)
        ),
    )
}

/// `InvalidParameterValue.AccountNotExist` (if the action lists it), for an agent the application lacks.
pub(crate) fn no_staff(def: &ActionDef, mail: &str) -> ApiError {
    value_error(
        def,
        &["InvalidParameterValue.AccountNotExist"],
        format!("The agent `{mail}` does not exist."),
    )
}

/// The first of `preferred` the action's spec lists, else `InvalidParameterValue`
/// (or `InvalidParameter` when only that is listed): the code for a bad value
/// the spec's types cannot catch.
pub(crate) fn value_error(
    def: &ActionDef,
    preferred: &[&'static str],
    message: String,
) -> ApiError {
    let mut codes: Vec<&str> = preferred.to_vec();
    codes.extend(["InvalidParameterValue", "InvalidParameter"]);
    ApiError::new(def.error_code(&codes, "InvalidParameterValue"), message)
}

/// A string parameter, if sent.
pub(crate) fn text<'a>(input: &'a Value, name: &str) -> Option<&'a str> {
    input.get(name).and_then(Value::as_str)
}

/// An integer parameter (validation has checked the type), if sent.
pub(crate) fn int(input: &Value, name: &str) -> Option<i64> {
    input.get(name).and_then(Value::as_i64)
}

/// A list parameter, empty if absent.
pub(crate) fn list<'a>(input: &'a Value, name: &str) -> &'a [Value] {
    input
        .get(name)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The `PageSize` and `PageNumber` of a listing, checked: the size within
/// `1..=max`, the number not negative.
pub(crate) fn page(def: &ActionDef, input: &Value, max: i64) -> Result<(usize, usize), ApiError> {
    let size = int(input, "PageSize").unwrap_or(0);
    let number = int(input, "PageNumber").unwrap_or(0);
    if !(1..=max).contains(&size) {
        return Err(value_error(
            def,
            &[],
            format!("The parameter `PageSize` must be between 1 and {max}, got {size}."),
        ));
    }
    if number < 0 {
        return Err(value_error(
            def,
            &[],
            format!("The parameter `PageNumber` counts from 0, got {number}."),
        ));
    }
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    let start = usize::try_from(number)
        .ok()
        .and_then(|n| n.checked_mul(size))
        .unwrap_or(usize::MAX);
    Ok((start, size))
}

/// A typed answer as the `Response` object the server sends.
pub(crate) fn answer<T: Serialize>(value: &T) -> Result<Map<String, Value>, ApiError> {
    match serde_json::to_value(value) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::new(
            "InternalError",
            "An answer is not an object.",
        )),
        Err(e) => Err(ApiError::new(
            "InternalError",
            format!("An answer could not be written: {e}."),
        )),
    }
}

/// Reads the optional `SkillGroups` and `Staff` lists of a seed application
/// (`at` names it in messages) and checks them as the actions would: unique
/// IDs, names and accounts, known group types and statuses, the concurrency
/// rules, and bindings to groups that exist with priorities 1 to 5.
pub(crate) fn from_seed(app: &Value, at: &str) -> Result<Workforce, String> {
    let mut workforce = Workforce::default();
    let groups: Vec<SkillGroup> = match app.get("SkillGroups") {
        None | Some(Value::Null) => Vec::new(),
        Some(v) => {
            serde_json::from_value(v.clone()).map_err(|e| format!("{at}.SkillGroups: {e}"))?
        }
    };
    for (i, group) in groups.into_iter().enumerate() {
        let here = format!("{at}.SkillGroups.{i}");
        if !SKILL_GROUP_TYPES.contains(&group.skill_group_type) {
            return Err(format!(
                "{here}: SkillGroupType {} is not one of {SKILL_GROUP_TYPES:?}",
                group.skill_group_type
            ));
        }
        if group.max_concurrency < 1
            || (group.skill_group_type != ONLINE && group.max_concurrency != 1)
        {
            return Err(format!(
                "{here}: MaxConcurrency {} does not fit SkillGroupType {}",
                group.max_concurrency, group.skill_group_type
            ));
        }
        if workforce
            .skill_groups
            .values()
            .any(|g| g.skill_group_name == group.skill_group_name)
        {
            return Err(format!(
                "{here}: SkillGroupName `{}` appears twice",
                group.skill_group_name
            ));
        }
        let id = group.skill_group_id;
        if workforce.skill_groups.insert(id, group).is_some() {
            return Err(format!("{here}: SkillGroupId {id} appears twice"));
        }
    }
    let staff: Vec<Staff> = match app.get("Staff") {
        None | Some(Value::Null) => Vec::new(),
        Some(v) => serde_json::from_value(v.clone()).map_err(|e| format!("{at}.Staff: {e}"))?,
    };
    for (i, member) in staff.into_iter().enumerate() {
        let here = format!("{at}.Staff.{i}");
        if !crate::staff::STATUSES.contains(&member.status.as_str()) {
            return Err(format!(
                "{here}: Status `{}` is not one of {:?}",
                member.status,
                crate::staff::STATUSES
            ));
        }
        for (group, priority) in &member.skill_groups {
            if !workforce.skill_groups.contains_key(group) {
                return Err(format!("{here}: skill group {group} does not exist"));
            }
            if !(1..=5).contains(priority) {
                return Err(format!(
                    "{here}: priority {priority} in skill group {group} is not 1 to 5"
                ));
            }
        }
        let mail = member.mail.clone();
        if workforce.staff.insert(mail.clone(), member).is_some() {
            return Err(format!("{here}: Mail `{mail}` appears twice"));
        }
    }
    Ok(workforce)
}

/// The seed form of a workforce: its `SkillGroups` and `Staff` lists.
pub(crate) fn to_seed(workforce: &Workforce) -> Result<(Value, Value), String> {
    let groups: Vec<&SkillGroup> = workforce.skill_groups.values().collect();
    let staff: Vec<&Staff> = workforce.staff.values().collect();
    Ok((
        serde_json::to_value(groups).map_err(|e| e.to_string())?,
        serde_json::to_value(staff).map_err(|e| e.to_string())?,
    ))
}

/// How many agents the demo application has.
pub const DEMO_STAFF_COUNT: u64 = 8;
/// How many skill groups the demo application has.
pub const DEMO_SKILL_GROUP_COUNT: u64 = 4;

/// The demo application's skill groups and agents, in the seed format.
pub(crate) fn demo_seed() -> (Value, Value) {
    use serde_json::json;
    let base = 1_717_200_000_i64; // 2024-06-01T00:00:00Z
    let groups = json!([
        {"SkillGroupId": 1, "SkillGroupName": "Sales hotline", "SkillGroupType": 0, "MaxConcurrency": 1, "Alias": "8001", "LastModifyTimestamp": base},
        {"SkillGroupId": 2, "SkillGroupName": "After-sales hotline", "SkillGroupType": 0, "MaxConcurrency": 1, "RingAll": true, "Alias": "8002", "LastModifyTimestamp": base + 3600},
        {"SkillGroupId": 3, "SkillGroupName": "Web chat", "SkillGroupType": 1, "MaxConcurrency": 5, "Alias": "8003", "LastModifyTimestamp": base + 7200},
        {"SkillGroupId": 4, "SkillGroupName": "Video support", "SkillGroupType": 4, "MaxConcurrency": 1, "Alias": "8004", "LastModifyTimestamp": base + 10800}
    ]);
    const PEOPLE: [(&str, &str, &str); 8] = [
        ("Ana Lima", "free", "1"),
        ("Ben Okafor", "busy", "1,2"),
        ("Chen Wei", "rest", "2"),
        ("Dana Novak", "notReady", "3"),
        ("Eli Haddad", "afterCallWork", "1,3"),
        ("Fay Morgan", "offline", "4"),
        ("Gus Tanaka", "free", "2,4"),
        ("Hana Kim", "offline", ""),
    ];
    let staff: Vec<Value> = PEOPLE
        .iter()
        .enumerate()
        .map(|(i, (name, status, groups))| {
            let n = i64::try_from(i).unwrap_or(0);
            let first = name.split(' ').next().unwrap_or(name).to_ascii_lowercase();
            let bound: serde_json::Map<String, Value> = groups
                .split(',')
                .filter(|g| !g.is_empty())
                .enumerate()
                .map(|(k, g)| {
                    (
                        g.to_owned(),
                        json!(if k == 0 { 1 } else { DEFAULT_PRIORITY }),
                    )
                })
                .collect();
            let mut member = json!({
                "Mail": format!("{first}@demo.example"),
                "Name": name,
                "StaffNumber": format!("E{:04}", 101 + n),
                "Phone": format!("00861380000{:04}", 1 + n),
                "Nick": first,
                "Role": if i == 0 { 1 } else { 3 },
                "ExtensionNumber": format!("{}", 1001 + n),
                "SkillGroups": bound,
                "LastModifyTimestamp": base + n * 86_400,
                "Status": status,
                "Reason": if *status == "rest" { "lunch" } else { "" },
                "StatusSince": base + 30 * 86_400 - 600 * (n + 1),
            });
            if *status != OFFLINE {
                member["LastOnline"] = json!(base + 30 * 86_400 - 3600 * (n + 1));
                member["Durations"] = json!({"free": 1200 + 60 * n, "busy": 1800, "offline": 3600});
            }
            member
        })
        .collect();
    (groups, Value::Array(staff))
}
