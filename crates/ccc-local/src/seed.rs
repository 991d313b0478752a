//! The emulator's data: contact-center applications and their automated
//! outbound-call tasks, kept in memory.
//!
//! A seed file is JSON in the API's own wire names:
//!
//! ```json
//! {
//!   "Applications": [
//!     {
//!       "SdkAppId": 1400000000,
//!       "AutoCalloutTasks": [
//!         {"TaskId": 1001, "Name": "Renewal reminders", "CalleeCount": 120,
//!          "Callers": ["008601012345678"], "NotBefore": 1700000000,
//!          "NotAfter": null, "IvrId": 7, "State": 1, "MaxRingTimeoutSecond": 30},
//!         {"TaskId": 1002, "Name": "Survey", "CalleeCount": 1,
//!          "Callers": ["008601012345678"], "NotBefore": 1700000000,
//!          "NotAfter": 1700028800, "IvrId": 7, "State": 2,
//!          "Description": "Post-visit survey",
//!          "Callees": [{"Callee": "008613912345678", "State": 1, "Sessions": ["a1b2"]}]}
//!       ]
//!     }
//!   ]
//! }
//! ```
//!
//! Each task is checked against the spec's `AutoCalloutTaskInfo` model (every
//! always-sent field present, `null` only where the spec allows it, values of
//! the right type, `State` a known value); task IDs must be unique within an
//! application. Tasks are listed in ascending `TaskId` order. A new task
//! (`CreateAutoCalloutTask`) gets a `TaskId` one above the largest of any
//! application.
//!
//! An application may also list `SkillGroups` (each with `SkillGroupId`,
//! `SkillGroupName`, `SkillGroupType`, `MaxConcurrency`,
//! `LastModifyTimestamp`, and optionally `RingAll`, `RoutePolicy`, `Alias`),
//! `Staff` (each with `Mail`, `Name`, `StaffNumber`, `LastModifyTimestamp`,
//! and optionally `Phone`, `Nick`, `Role`, `ExtensionNumber`,
//! `ForwardingConfig`, `UseMobileCallOut`, `UseMobileAccept`, `Status`,
//! `Reason`, `StatusSince`, `LastOnline`, `Durations`, and `SkillGroups`, a map
//! from skill group ID to the agent's priority in it) and
//! `PredictiveDialingCampaigns` (the members of
//! `DescribePredictiveDialingCampaign` plus `Callees` and `Callers`). Unknown
//! keys, duplicate IDs, names or accounts, bindings to missing groups and
//! unknown states are refused. A `--state` file has exactly this format.
//!
//! Two more keys of a task, which `DescribeAutoCalloutTask` answers with, are optional:
//! `Description` (a string, default empty) and `Callees` (a list of the
//! spec's `AutoCalloutTaskCalleeInfo`, exactly `CalleeCount` long). Without
//! `Callees` the emulator makes up `CalleeCount` numbers (at most
//! [`MAX_MADE_UP_CALLEES`]) in call states that fit the task's: all answered
//! for a Completed task, all answered but the last (still calling) for a
//! Finishing one, none called yet otherwise.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};

use crate::spec::Spec;
use crate::tasks::{App, Store, Task};

/// The most callees the emulator makes up for a seed task that gives only
/// `CalleeCount`; a task with more must list its `Callees`.
pub const MAX_MADE_UP_CALLEES: u64 = 10_000;

/// The application the demo data belongs to.
pub const DEMO_SDK_APP_ID: u64 = 1_400_000_000;

/// How many tasks the demo application has.
pub const DEMO_TASK_COUNT: u64 = 36;

/// Seed data for the emulator: applications with their tasks, skill groups,
/// agents and campaigns, unchecked until the emulator starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Seed {
    json: Value,
}

impl Default for Seed {
    fn default() -> Self {
        Seed::demo()
    }
}

impl Seed {
    /// No applications at all.
    pub fn empty() -> Self {
        Seed {
            json: json!({"Applications": []}),
        }
    }

    /// The demo data: application [`DEMO_SDK_APP_ID`] with [`DEMO_TASK_COUNT`]
    /// tasks (IDs 1001 upwards) in every state from 0 to 5 (every fifth task
    /// has a `null` `NotAfter` and every third has no `MaxRingTimeoutSecond`),
    /// [`crate::DEMO_SKILL_GROUP_COUNT`] skill groups (IDs 1 upwards) and
    /// [`crate::DEMO_STAFF_COUNT`] agents (`*@demo.example`) in every status.
    pub fn demo() -> Self {
        const TOPICS: [&str; 9] = [
            "Renewal reminder",
            "Delivery confirmation",
            "Appointment check",
            "Payment due notice",
            "Satisfaction survey",
            "Account verification",
            "Event invitation",
            "Service outage notice",
            "Win-back offer",
        ];
        const REGIONS: [&str; 4] = ["North", "South", "East", "West"];
        let base = 1_717_200_000_i64; // 2024-06-01T00:00:00Z
        let tasks: Vec<Value> = (0..DEMO_TASK_COUNT)
            .map(|i| {
                let index = usize::try_from(i).unwrap_or(0);
                let not_before = base + i64::try_from(i).unwrap_or(0) * 86_400;
                let mut task = json!({
                    "TaskId": 1001 + i,
                    "Name": format!("{} - {} #{}", TOPICS[index % TOPICS.len()], REGIONS[index % REGIONS.len()], i / 4 + 1),
                    "CalleeCount": 25 + (i * 37) % 500,
                    "Callers": (0..=(i % 3)).map(|c| format!("0086010{:08}", 12_340_000 + i * 10 + c)).collect::<Vec<_>>(),
                    "NotBefore": not_before,
                    "NotAfter": if i % 5 == 4 { Value::Null } else { json!(not_before + 8 * 3600) },
                    "IvrId": 10 + i % 4,
                    "State": i % 6,
                });
                if i % 3 != 2 {
                    task["MaxRingTimeoutSecond"] = json!(15 + (i % 4) * 15);
                }
                task
            })
            .collect();
        let (skill_groups, staff) = crate::workforce::demo_seed();
        Seed {
            json: json!({"Applications": [{
                "SdkAppId": DEMO_SDK_APP_ID,
                "AutoCalloutTasks": tasks,
                "SkillGroups": skill_groups,
                "Staff": staff,
            }]}),
        }
    }

    /// Seed data from JSON text in the format above.
    pub fn from_json(text: &str) -> Result<Self, String> {
        let json: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        Ok(Seed { json })
    }

    /// Seed data from a JSON file in the format above.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, String> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Self::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Checks the data against the spec and indexes it by application.
    pub(crate) fn load(&self, spec: &Spec) -> Result<Store, String> {
        let apps = self
            .json
            .get("Applications")
            .and_then(Value::as_array)
            .ok_or("the top level must be an object with an `Applications` list")?;
        let mut store = Store::default();
        for (a, app) in apps.iter().enumerate() {
            let id = app
                .get("SdkAppId")
                .and_then(Value::as_u64)
                .ok_or_else(|| format!("Applications.{a}.SdkAppId must be an unsigned integer"))?;
            let raw_tasks = match app.get("AutoCalloutTasks") {
                None => Vec::new(),
                Some(Value::Array(tasks)) => tasks.clone(),
                Some(_) => return Err(format!("Applications.{a}.AutoCalloutTasks must be a list")),
            };
            let mut tasks = BTreeMap::new();
            for (t, task) in raw_tasks.into_iter().enumerate() {
                let task = load_task(spec, task)
                    .map_err(|e| format!("Applications.{a}.AutoCalloutTasks.{t}: {e}"))?;
                let task_id = task
                    .info
                    .get("TaskId")
                    .and_then(Value::as_u64)
                    .unwrap_or_default();
                if tasks.insert(task_id, task).is_some() {
                    return Err(format!(
                        "Applications.{a}.AutoCalloutTasks.{t}: TaskId {task_id} appears twice"
                    ));
                }
                store.last_task_id = store.last_task_id.max(task_id);
            }
            let here = format!("Applications.{a}");
            let workforce = crate::workforce::from_seed(app, &here)?;
            let campaigns = crate::campaigns::from_seed(app, &workforce, &here)?;
            let app = App {
                tasks,
                workforce,
                campaigns,
            };
            if store.apps.insert(id, app).is_some() {
                return Err(format!("Applications.{a}: SdkAppId {id} appears twice"));
            }
        }
        Ok(store)
    }
}

/// One seed task: the `AutoCalloutTaskInfo` fields, and optionally
/// `Description` and `Callees`.
fn load_task(spec: &Spec, task: Value) -> Result<Task, String> {
    let Value::Object(mut info) = task else {
        return Err("a task must be an object".to_owned());
    };
    let description = match info.remove("Description") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text,
        Some(_) => return Err("Description must be a string".to_owned()),
    };
    let callees = info.remove("Callees");
    let info_value = Value::Object(info);
    spec.validate_output_model("AutoCalloutTaskInfo", &info_value)
        .map_err(|e| e.message)?;
    let Value::Object(info) = info_value else {
        unreachable!("built from an object above")
    };
    let callee_count = info
        .get("CalleeCount")
        .and_then(Value::as_u64)
        .unwrap_or_default();
    let callees = match callees {
        None | Some(Value::Null) => {
            if callee_count > MAX_MADE_UP_CALLEES {
                return Err(format!(
                    "CalleeCount {callee_count} is more than the {MAX_MADE_UP_CALLEES} callees \
                     the emulator makes up; list the task's Callees"
                ));
            }
            None
        }
        Some(Value::Array(callees)) => {
            for (c, callee) in callees.iter().enumerate() {
                spec.validate_output_model("AutoCalloutTaskCalleeInfo", callee)
                    .map_err(|e| format!("Callees.{c}: {}", e.message))?;
            }
            if callees.len() as u64 != callee_count {
                return Err(format!(
                    "Callees lists {} callees but CalleeCount is {callee_count}",
                    callees.len()
                ));
            }
            Some(callees)
        }
        Some(_) => return Err("Callees must be a list".to_owned()),
    };
    Ok(Task::new(info, description, callees))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn demo_data_fits_the_spec() {
        let store = Seed::demo().load(Spec::ccc()).unwrap();
        let tasks: Vec<_> = store.apps[&DEMO_SDK_APP_ID]
            .tasks
            .values()
            .map(|t| &t.info)
            .collect();
        assert_eq!(tasks.len() as u64, DEMO_TASK_COUNT);
        let states: HashSet<u64> = tasks.iter().map(|t| t["State"].as_u64().unwrap()).collect();
        assert_eq!(states.len(), 6);
        assert!(tasks.iter().any(|t| t["NotAfter"].is_null()));
        assert!(
            tasks
                .iter()
                .any(|t| t.get("MaxRingTimeoutSecond").is_none())
        );
        assert_eq!(store.last_task_id, 1000 + DEMO_TASK_COUNT);
    }

    #[test]
    fn bad_seeds_are_refused() {
        let dup = r#"{"Applications":[{"SdkAppId":1,"AutoCalloutTasks":[
            {"TaskId":1,"Name":"a","CalleeCount":1,"Callers":[],"NotBefore":0,"NotAfter":null,"IvrId":1,"State":0},
            {"TaskId":1,"Name":"b","CalleeCount":1,"Callers":[],"NotBefore":0,"NotAfter":null,"IvrId":1,"State":0}]}]}"#;
        let err = Seed::from_json(dup).unwrap().load(Spec::ccc()).unwrap_err();
        assert!(err.contains("appears twice"), "{err}");
        let missing = r#"{"Applications":[{"SdkAppId":1,"AutoCalloutTasks":[{"TaskId":1}]}]}"#;
        let err = Seed::from_json(missing)
            .unwrap()
            .load(Spec::ccc())
            .unwrap_err();
        assert!(err.contains("AutoCalloutTasks.0"), "{err}");
        assert!(Seed::from_json("[]").unwrap().load(Spec::ccc()).is_err());
    }

    fn one_task(extra: &str) -> Result<Store, String> {
        let text = format!(
            r#"{{"Applications":[{{"SdkAppId":1,"AutoCalloutTasks":[
            {{"TaskId":4,"Name":"a","CalleeCount":1,"Callers":[],"NotBefore":0,"NotAfter":null,"IvrId":1,"State":0{extra}}}]}}]}}"#
        );
        Seed::from_json(&text).unwrap().load(Spec::ccc())
    }

    #[test]
    fn seed_tasks_may_carry_a_description_and_their_callees() {
        let store =
            one_task(r#","Description":"d","Callees":[{"Callee":"1","State":1,"Sessions":["s"]}]"#)
                .unwrap();
        let task = &store.apps[&1].tasks[&4];
        assert_eq!(task.description, "d");
        assert_eq!(task.callees.as_ref().map(Vec::len), Some(1));
        assert!(!task.info.contains_key("Callees") && !task.info.contains_key("Description"));
        assert_eq!(store.last_task_id, 4);

        let err = one_task(r#","Callees":[]"#).unwrap_err();
        assert!(err.contains("CalleeCount is 1"), "{err}");
        let err = one_task(r#","Callees":[{"Callee":1}]"#).unwrap_err();
        assert!(err.contains("Callees.0"), "{err}");
        let err = one_task(r#","Description":5"#).unwrap_err();
        assert!(err.contains("Description"), "{err}");
        let big = r#"{"Applications":[{"SdkAppId":1,"AutoCalloutTasks":[
            {"TaskId":4,"Name":"a","CalleeCount":10001,"Callers":[],"NotBefore":0,"NotAfter":null,"IvrId":1,"State":0}]}]}"#;
        let err = Seed::from_json(big).unwrap().load(Spec::ccc()).unwrap_err();
        assert!(err.contains("list the task's Callees"), "{err}");
    }
}
