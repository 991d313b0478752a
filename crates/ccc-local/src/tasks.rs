//! Automated outbound-call tasks: the per-application store and the six
//! actions that read and change it.
//!
//! | action | does |
//! |---|---|
//! | `CreateAutoCalloutTask` | stores a new task, `State` 0 (Created), or 1 (Running) when `NotBefore` is not in the future |
//! | `DescribeAutoCalloutTask` | one task, with its callees |
//! | `DescribeAutoCalloutTasks` | a page of tasks in `TaskId` order |
//! | `PauseAutoCalloutTask` | Created (0) or Running (1) → Paused (5) |
//! | `ResumeAutoCalloutTask` | Paused (5) → Running (1) |
//! | `StopAutoCalloutTask` | Created (0), Running (1) or Paused (5) → Ended (4) |
//!
//! Any other transition is refused with the first of
//! `FailedOperation.CurStateNotAllowModify` and `UnsupportedOperation` that
//! the action's spec lists (`UnsupportedOperation` if neither). A `TaskId`
//! the application does not have gets the first of `ResourceNotFound` and
//! `InvalidParameterValue` the action's spec lists (`InvalidParameterValue` if
//! neither). An unknown `SdkAppId` gets `InvalidParameterValue.InstanceNotExist`.
//! States change only through these actions: the emulator places no calls
//! and does not move tasks as time passes.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::{Map, Value, json};

use crate::answer::Members;
use crate::error::ApiError;
use crate::spec::{ActionDef, Spec};
use crate::workforce::no_app;

/// The smallest `PageSize` `DescribeAutoCalloutTasks` accepts.
pub const MIN_PAGE_SIZE: u64 = 1;
/// The largest `PageSize` `DescribeAutoCalloutTasks` accepts.
pub const MAX_PAGE_SIZE: u64 = 100;

/// The spec's model of a task's state.
const STATE_MODEL: &str = "AutoCalloutTaskState";

// The values of `AutoCalloutTaskState`.
pub(crate) const CREATED: u64 = 0;
pub(crate) const RUNNING: u64 = 1;
pub(crate) const COMPLETED: u64 = 2;
pub(crate) const FINISHING: u64 = 3;
pub(crate) const ENDED: u64 = 4;
pub(crate) const PAUSED: u64 = 5;

// The values of `AutoCalloutTaskCalleeInfo.State`.
const CALLEE_NOT_STARTED: u64 = 0;
const CALLEE_ANSWERED: u64 = 1;
const CALLEE_CALLING: u64 = 3;

/// Codes for a task the application does not have, best first.
const NOT_FOUND_CODES: [&str; 2] = ["ResourceNotFound", "InvalidParameterValue"];
/// Codes for a transition the task's state does not allow, best first.
const REFUSED_CODES: [&str; 2] = [
    "FailedOperation.CurStateNotAllowModify",
    "UnsupportedOperation",
];

/// One automated outbound-call task.
#[derive(Debug, Clone)]
pub(crate) struct Task {
    /// The task as `DescribeAutoCalloutTasks` lists it: an `AutoCalloutTaskInfo` in wire names.
    pub(crate) info: Map<String, Value>,
    /// `Description`, which `DescribeAutoCalloutTask` sends and the listing does not.
    pub(crate) description: String,
    /// The callees as `AutoCalloutTaskCalleeInfo` objects; `None` for a seed
    /// task that gives only `CalleeCount`, whose callees are made up on demand.
    pub(crate) callees: Option<Vec<Value>>,
    /// `info` as JSON text, written when the task is first listed and kept
    /// until it changes, so that a page of tasks is mostly copied, not
    /// written: change `info` only through [`Task::set`], which drops it.
    pub(crate) listed: OnceLock<Box<str>>,
}

impl Task {
    /// A task as stored: `info` in wire names, `Description` and the callees.
    pub(crate) fn new(
        info: Map<String, Value>,
        description: String,
        callees: Option<Vec<Value>>,
    ) -> Self {
        Task {
            info,
            description,
            callees,
            listed: OnceLock::new(),
        }
    }

    /// Sets the member `name` of `info`.
    fn set(&mut self, name: &str, value: Value) {
        self.info.insert(name.to_owned(), value);
        self.listed = OnceLock::new();
    }

    /// `info` as JSON text, as the listing sends it.
    fn listing(&self) -> &str {
        // A map of JSON values always serializes.
        self.listed
            .get_or_init(|| serde_json::to_string(&self.info).unwrap_or_default().into())
    }

    fn id(&self) -> u64 {
        self.info
            .get("TaskId")
            .and_then(Value::as_u64)
            .unwrap_or_default()
    }

    fn state(&self) -> u64 {
        self.info
            .get("State")
            .and_then(Value::as_u64)
            .unwrap_or_default()
    }

    fn callees(&self) -> Vec<Value> {
        if let Some(callees) = &self.callees {
            return callees.clone();
        }
        let count = self
            .info
            .get("CalleeCount")
            .and_then(Value::as_u64)
            .unwrap_or_default();
        made_up_callees(self.id(), count, self.state())
    }
}

/// Callees for a seed task that lists none: `count` numbers, each in a call
/// state that fits the task's: all answered (one session each) when the task
/// is Completed, all answered but the last, still calling, when it is
/// Finishing, and otherwise none called yet.
pub(crate) fn made_up_callees(task_id: u64, count: u64, task_state: u64) -> Vec<Value> {
    (0..count)
        .map(|i| {
            let state = match task_state {
                COMPLETED => CALLEE_ANSWERED,
                FINISHING if i + 1 == count => CALLEE_CALLING,
                FINISHING => CALLEE_ANSWERED,
                _ => CALLEE_NOT_STARTED,
            };
            let sessions: Vec<String> = if state == CALLEE_NOT_STARTED {
                Vec::new()
            } else {
                vec![format!(
                    "{:08x}-0000-4000-8000-{:012x}",
                    task_id & 0xffff_ffff,
                    i & 0xffff_ffff_ffff
                )]
            };
            json!({
                "Callee": format!("0086139{:08}", task_id.wrapping_mul(1000).wrapping_add(i) % 100_000_000),
                "State": state,
                "Sessions": sessions,
            })
        })
        .collect()
}

/// The data of one application.
#[derive(Debug, Default)]
pub(crate) struct App {
    /// Automated outbound-call tasks by `TaskId`.
    pub(crate) tasks: BTreeMap<u64, Task>,
    /// Agents and skill groups.
    pub(crate) workforce: crate::workforce::Workforce,
    /// Predictive dialing campaigns by `CampaignId`.
    pub(crate) campaigns: crate::campaigns::Campaigns,
}

/// Every application, by `SdkAppId`.
#[derive(Debug, Default)]
pub(crate) struct Store {
    pub(crate) apps: BTreeMap<u64, App>,
    /// The largest `TaskId` of any application: a new task gets the next one.
    pub(crate) last_task_id: u64,
}

/// An ID parameter that validation has checked is an integer; `None` when it
/// is negative (the `i64` IDs of `PauseAutoCalloutTask`, say), which no
/// application or task has.
fn id_param(input: &Value, name: &str) -> Option<u64> {
    input.get(name).and_then(Value::as_u64)
}

/// The parameter as sent, for messages.
fn shown(input: &Value, name: &str) -> String {
    input.get(name).map_or_else(String::new, Value::to_string)
}

fn app<'a>(store: &'a Store, input: &Value) -> Result<&'a App, ApiError> {
    id_param(input, "SdkAppId")
        .and_then(|id| store.apps.get(&id))
        .ok_or_else(|| no_app(input))
}

fn no_task(def: &ActionDef, input: &Value) -> ApiError {
    ApiError::new(
        def.error_code(&NOT_FOUND_CODES, "InvalidParameterValue"),
        format!(
            "The task (TaskId) {} does not exist in application {}.",
            shown(input, "TaskId"),
            shown(input, "SdkAppId")
        ),
    )
}

fn task<'a>(def: &ActionDef, store: &'a Store, input: &Value) -> Result<&'a Task, ApiError> {
    let app = app(store, input)?;
    id_param(input, "TaskId")
        .and_then(|id| app.tasks.get(&id))
        .ok_or_else(|| no_task(def, input))
}

fn task_mut<'a>(
    def: &ActionDef,
    store: &'a mut Store,
    input: &Value,
) -> Result<&'a mut Task, ApiError> {
    let Some(app) = id_param(input, "SdkAppId").and_then(|id| store.apps.get_mut(&id)) else {
        return Err(no_app(input));
    };
    id_param(input, "TaskId")
        .and_then(|id| app.tasks.get_mut(&id))
        .ok_or_else(|| no_task(def, input))
}

fn invalid(message: String) -> ApiError {
    ApiError::new("InvalidParameterValue", message)
}

fn strings(input: &Value, name: &str) -> Vec<String> {
    input
        .get(name)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// `CreateAutoCalloutTask`: checks what the spec's types cannot say, then
/// stores the task under a `TaskId` one above the largest of any application.
pub(crate) fn create(
    store: &mut Store,
    input: &Value,
    now: i64,
) -> Result<Map<String, Value>, ApiError> {
    // validate_input has checked the types and that the required members are present.
    let not_before = input
        .get("NotBefore")
        .and_then(Value::as_i64)
        .unwrap_or_default();
    let not_after = input.get("NotAfter").and_then(Value::as_i64);
    let (callees, callers) = (strings(input, "Callees"), strings(input, "Callers"));
    for (name, list) in [("Callees", &callees), ("Callers", &callers)] {
        if list.is_empty() {
            return Err(invalid(format!(
                "The parameter `{name}` must list at least one number."
            )));
        }
        if list.iter().any(|number| number.trim().is_empty()) {
            return Err(invalid(format!(
                "The parameter `{name}` must not contain an empty number."
            )));
        }
    }
    let ivr_id = input.get("IvrId").and_then(Value::as_u64);
    if ivr_id.is_none() && input.get("AIAgentId").is_none_or(Value::is_null) {
        return Err(ApiError::new(
            "MissingParameter",
            "The request must set `IvrId` or `AIAgentId`.",
        ));
    }
    if let Some(not_after) = not_after
        && not_after <= not_before
    {
        return Err(invalid(format!(
            "The parameter `NotAfter` ({not_after}) must be later than `NotBefore` ({not_before})."
        )));
    }
    let ranges: [(&str, i128, i128); 2] = [("Tries", 1, 3), ("RetryInterval", 600, 86_400)];
    for (name, low, high) in ranges {
        let value = input
            .get(name)
            .and_then(|v| v.as_i64().map(i128::from).or(v.as_u64().map(i128::from)));
        if let Some(value) = value
            && !(low..=high).contains(&value)
        {
            return Err(invalid(format!(
                "The parameter `{name}` must be between {low} and {high}, got {value}."
            )));
        }
    }

    let Some(task_id) = store.last_task_id.checked_add(1) else {
        return Err(ApiError::new(
            "InternalError",
            "The emulator has no task ID left to give.",
        ));
    };
    let Some(app) = id_param(input, "SdkAppId").and_then(|id| store.apps.get_mut(&id)) else {
        return Err(no_app(input));
    };
    let state = if not_before <= now { RUNNING } else { CREATED };
    let name = input.get("Name").and_then(Value::as_str).unwrap_or("");
    let mut info = json!({
        "TaskId": task_id,
        "Name": name,
        "CalleeCount": callees.len(),
        "Callers": callers,
        "NotBefore": not_before,
        "NotAfter": not_after,
        // A task run by an AI agent has no IVR flow; the listing's IvrId is then 0.
        "IvrId": ivr_id.unwrap_or(0),
        "State": state,
    });
    if let Some(ring) = input.get("MaxRingTimeoutSecond").filter(|v| !v.is_null()) {
        info["MaxRingTimeoutSecond"] = ring.clone();
    }
    let Value::Object(info) = info else {
        unreachable!("json! of an object literal is an object")
    };
    let callees = callees
        .into_iter()
        .map(|callee| json!({"Callee": callee, "State": CALLEE_NOT_STARTED, "Sessions": []}))
        .collect();
    let description = input
        .get("Description")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    app.tasks
        .insert(task_id, Task::new(info, description, Some(callees)));
    store.last_task_id = task_id;
    let mut out = Map::new();
    out.insert("TaskId".to_owned(), json!(task_id));
    Ok(out)
}

/// `DescribeAutoCalloutTask`: the task's fields, in the members the spec's
/// output lists.
pub(crate) fn describe(
    def: &ActionDef,
    store: &Store,
    input: &Value,
) -> Result<Map<String, Value>, ApiError> {
    let task = task(def, store, input)?;
    let mut out = Map::new();
    for member in def.output {
        let value = match member.name {
            "RequestId" => continue,
            "Description" => Value::String(task.description.clone()),
            "Callees" => Value::Array(task.callees()),
            name => match task.info.get(name) {
                Some(value) => value.clone(),
                None => continue,
            },
        };
        out.insert(member.name.to_owned(), value);
    }
    Ok(out)
}

/// `DescribeAutoCalloutTasks`: one page of the application's tasks in `TaskId` order.
pub(crate) fn list(store: &Store, input: &Value) -> Result<Members, ApiError> {
    // validate_input has checked that the three are present u64s.
    let number = |name: &str| input.get(name).and_then(Value::as_u64).unwrap_or_default();
    let (page_size, page_number) = (number("PageSize"), number("PageNumber"));
    if !(MIN_PAGE_SIZE..=MAX_PAGE_SIZE).contains(&page_size) {
        return Err(invalid(format!(
            "The parameter `PageSize` must be between {MIN_PAGE_SIZE} and {MAX_PAGE_SIZE}, got {page_size}."
        )));
    }
    let app = app(store, input)?;
    let start = page_number
        .checked_mul(page_size)
        .and_then(|s| usize::try_from(s).ok())
        .unwrap_or(usize::MAX);
    let size = usize::try_from(page_size).unwrap_or(usize::MAX);
    let tasks = app.tasks.values().skip(start).take(size);
    // Written while the caller holds the store's lock, from each task's
    // listing text: the tasks are neither copied nor written out again.
    let total_count = app.tasks.len();
    Ok(Members::written(64 + 256 * size.min(total_count), |out| {
        out.extend_from_slice(format!("{{\"TotalCount\":{total_count},\"Tasks\":[").as_bytes());
        for (i, task) in tasks.enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(task.listing().as_bytes());
        }
        out.extend_from_slice(b"]}");
    }))
}

/// A state change one action makes: from which states, to which, and the
/// verb for messages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Transition {
    from: &'static [u64],
    to: u64,
    verb: &'static str,
}

/// `PauseAutoCalloutTask`.
pub(crate) const PAUSE: Transition = Transition {
    from: &[CREATED, RUNNING],
    to: PAUSED,
    verb: "paused",
};
/// `ResumeAutoCalloutTask`.
pub(crate) const RESUME: Transition = Transition {
    from: &[PAUSED],
    to: RUNNING,
    verb: "resumed",
};
/// `StopAutoCalloutTask`.
pub(crate) const STOP: Transition = Transition {
    from: &[CREATED, RUNNING, PAUSED],
    to: ENDED,
    verb: "stopped",
};

fn state_text(spec: &Spec, state: u64) -> String {
    let name = i64::try_from(state)
        .ok()
        .and_then(|s| spec.enum_name(STATE_MODEL, s));
    match name {
        Some(name) => format!("{name} ({state})"),
        None => format!("in state {state}"),
    }
}

/// Pause, resume or stop: moves the task along `transition`, or refuses,
/// naming the state it is in.
pub(crate) fn change_state(
    spec: &Spec,
    def: &ActionDef,
    store: &mut Store,
    input: &Value,
    transition: Transition,
) -> Result<Map<String, Value>, ApiError> {
    let task = task_mut(def, store, input)?;
    let state = task.state();
    if !transition.from.contains(&state) {
        let allowed: Vec<String> = transition
            .from
            .iter()
            .map(|s| state_text(spec, *s))
            .collect();
        let allowed = match allowed.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        };
        return Err(ApiError::new(
            def.error_code(&REFUSED_CODES, "UnsupportedOperation"),
            format!(
                "The task {} is {}, so it cannot be {}; only a task that is {allowed} can.",
                task.id(),
                state_text(spec, state),
                transition.verb,
            ),
        ));
    }
    task.set("State", json!(transition.to));
    Ok(Map::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_come_from_the_spec() {
        let spec = Spec::ccc();
        for action in [
            "PauseAutoCalloutTask",
            "ResumeAutoCalloutTask",
            "StopAutoCalloutTask",
        ] {
            let def = spec.action(action).unwrap();
            assert_eq!(
                def.error_code(&REFUSED_CODES, "UnsupportedOperation"),
                "UnsupportedOperation"
            );
            assert_eq!(
                def.error_code(&NOT_FOUND_CODES, "InvalidParameterValue"),
                "InvalidParameterValue"
            );
        }
        let mut def = spec.action("StopAutoCalloutTask").unwrap().clone();
        def.errors = &["InternalError", "FailedOperation.CurStateNotAllowModify"];
        assert_eq!(
            def.error_code(&REFUSED_CODES, "UnsupportedOperation"),
            "FailedOperation.CurStateNotAllowModify"
        );
        def.errors = &[];
        assert_eq!(
            def.error_code(&REFUSED_CODES, "UnsupportedOperation"),
            "UnsupportedOperation"
        );
    }

    #[test]
    fn the_listing_follows_changes() {
        let spec = Spec::ccc();
        let mut store = Store::default();
        store.apps.insert(1, App::default());
        let created = create(
            &mut store,
            &json!({"SdkAppId": 1, "Callees": ["1"], "Callers": ["2"], "IvrId": 3, "NotBefore": 10}),
            0,
        )
        .unwrap();
        let task_id = created["TaskId"].as_u64().unwrap();
        let page = |store: &Store| -> Value {
            let body = crate::answer::success(
                list(
                    store,
                    &json!({"SdkAppId": 1, "PageSize": 10, "PageNumber": 0}),
                )
                .unwrap(),
                "r",
            );
            serde_json::from_slice(&body).unwrap()
        };
        let first = page(&store);
        assert_eq!(first["Response"]["TotalCount"], 1);
        assert_eq!(first["Response"]["Tasks"][0]["State"], CREATED);
        assert_eq!(first["Response"]["Tasks"][0]["TaskId"], task_id);
        let def = spec.action("PauseAutoCalloutTask").unwrap();
        change_state(
            spec,
            def,
            &mut store,
            &json!({"SdkAppId": 1, "TaskId": task_id}),
            PAUSE,
        )
        .unwrap();
        let second = page(&store);
        assert_eq!(second["Response"]["Tasks"][0]["State"], PAUSED);
        assert_eq!(second["Response"]["RequestId"], "r");
    }

    #[test]
    fn states_are_named_from_the_spec() {
        let spec = Spec::ccc();
        assert_eq!(state_text(spec, PAUSED), "Paused (5)");
        assert_eq!(state_text(spec, 9), "in state 9");
    }

    #[test]
    fn made_up_callees_fit_the_task_state() {
        let spec = Spec::ccc();
        for state in CREATED..=PAUSED {
            let callees = made_up_callees(1001, 4, state);
            assert_eq!(callees.len(), 4);
            for callee in &callees {
                spec.validate_output_model("AutoCalloutTaskCalleeInfo", callee)
                    .unwrap();
            }
            let states: Vec<u64> = callees
                .iter()
                .map(|c| c["State"].as_u64().unwrap())
                .collect();
            let expected = match state {
                COMPLETED => vec![1, 1, 1, 1],
                FINISHING => vec![1, 1, 1, 3],
                _ => vec![0, 0, 0, 0],
            };
            assert_eq!(states, expected, "task state {state}");
        }
        let numbers: std::collections::HashSet<_> = made_up_callees(7, 50, CREATED)
            .into_iter()
            .map(|c| c["Callee"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(numbers.len(), 50);
    }
}
