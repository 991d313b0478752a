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
//!          "NotAfter": null, "IvrId": 7, "State": 1, "MaxRingTimeoutSecond": 30}
//!       ]
//!     }
//!   ]
//! }
//! ```
//!
//! Each task is checked against the spec's `AutoCalloutTaskInfo` model (every
//! always-sent field present, `null` only where the spec allows it, values of
//! the right type, `State` a known value); task IDs must be unique within an
//! application. Tasks are listed in ascending `TaskId` order.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde_json::{Value, json};

use crate::spec::Spec;

/// The application the demo data belongs to.
pub const DEMO_SDK_APP_ID: u64 = 1_400_000_000;

/// How many tasks the demo application has.
pub const DEMO_TASK_COUNT: u64 = 36;

/// Seed data for the emulator: applications and their tasks, unchecked until
/// the emulator starts.
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
    /// tasks (IDs 1001 upwards) in every state from 0 to 5; every fifth task
    /// has a `null` `NotAfter` and every third has no `MaxRingTimeoutSecond`.
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
        Seed {
            json: json!({"Applications": [{"SdkAppId": DEMO_SDK_APP_ID, "AutoCalloutTasks": tasks}]}),
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
            let mut seen = HashSet::new();
            let mut tasks = BTreeMap::new();
            for (t, task) in raw_tasks.into_iter().enumerate() {
                spec.validate_output_model("AutoCalloutTaskInfo", &task)
                    .map_err(|e| format!("Applications.{a}.AutoCalloutTasks.{t}: {}", e.message))?;
                let task_id = task
                    .get("TaskId")
                    .and_then(Value::as_u64)
                    .unwrap_or_default();
                if !seen.insert(task_id) {
                    return Err(format!(
                        "Applications.{a}.AutoCalloutTasks.{t}: TaskId {task_id} appears twice"
                    ));
                }
                tasks.insert(task_id, task);
            }
            if store
                .apps
                .insert(
                    id,
                    App {
                        tasks: tasks.into_values().collect(),
                    },
                )
                .is_some()
            {
                return Err(format!("Applications.{a}: SdkAppId {id} appears twice"));
            }
        }
        Ok(store)
    }
}

/// The data of one application.
#[derive(Debug, Default)]
pub(crate) struct App {
    /// Automated outbound-call tasks in ascending `TaskId` order, as wire JSON.
    pub(crate) tasks: Vec<Value>,
}

/// Every application, by `SdkAppId`.
#[derive(Debug, Default)]
pub(crate) struct Store {
    pub(crate) apps: BTreeMap<u64, App>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_data_fits_the_spec() {
        let store = Seed::demo().load(Spec::ccc()).unwrap();
        let tasks = &store.apps[&DEMO_SDK_APP_ID].tasks;
        assert_eq!(tasks.len() as u64, DEMO_TASK_COUNT);
        let states: HashSet<u64> = tasks.iter().map(|t| t["State"].as_u64().unwrap()).collect();
        assert_eq!(states.len(), 6);
        assert!(tasks.iter().any(|t| t["NotAfter"].is_null()));
        assert!(
            tasks
                .iter()
                .any(|t| t.get("MaxRingTimeoutSecond").is_none())
        );
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
}
