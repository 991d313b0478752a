//! `--state FILE`: the emulator's data kept across restarts.
//!
//! The file is a seed file ([`crate::Seed`]) that the emulator writes: every
//! application with its tasks, skill groups, agents and predictive dialing
//! campaigns, in the API's wire names. At start, an existing file replaces
//! the seed; a file that cannot be read or does not fit the spec stops the
//! start with an error naming the file and the problem, and is left as it is. A missing file means "start
//! from the seed". On a clean shutdown (and, if asked, every N seconds) the
//! store is written to a temporary file beside it, flushed to disk and
//! renamed over it, so a crash mid-write leaves the old file whole.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::seed::Seed;
use crate::tasks::Store;

/// The seed in `path`, or `None` when there is no such file.
pub(crate) fn read(path: &Path) -> Result<Option<Seed>, String> {
    match fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!(
            "cannot read the state file {}: {e}",
            path.display()
        )),
        Ok(_) => Seed::from_file(path).map(Some),
    }
}

/// The store as seed JSON, applications in `SdkAppId` order.
pub(crate) fn to_json(store: &Store) -> Result<Value, String> {
    let mut apps = Vec::with_capacity(store.apps.len());
    for (id, app) in &store.apps {
        let tasks: Vec<Value> = app
            .tasks
            .values()
            .map(|task| {
                let mut object: Map<String, Value> = task.info.clone();
                if !task.description.is_empty() {
                    object.insert("Description".to_owned(), json!(task.description));
                }
                if let Some(callees) = &task.callees {
                    object.insert("Callees".to_owned(), Value::Array(callees.clone()));
                }
                Value::Object(object)
            })
            .collect();
        let (groups, staff) = crate::workforce::to_seed(&app.workforce)?;
        let campaigns: Vec<_> = app.campaigns.values().collect();
        let campaigns = serde_json::to_value(campaigns).map_err(|e| e.to_string())?;
        apps.push(json!({
            "SdkAppId": id,
            "AutoCalloutTasks": tasks,
            "SkillGroups": groups,
            "Staff": staff,
            "PredictiveDialingCampaigns": campaigns,
        }));
    }
    Ok(json!({ "Applications": apps }))
}

/// Writes `store` to `path` atomically: a temporary file in the same
/// folder, flushed, then renamed over `path`.
pub(crate) fn write(path: &Path, store: &Store) -> Result<(), String> {
    let text = serde_json::to_string_pretty(&to_json(store)?)
        .map_err(|e| format!("cannot encode the state: {e}"))?;
    let temporary = temporary_path(path);
    let result = (|| -> std::io::Result<()> {
        let mut file = fs::File::create(&temporary)?;
        file.write_all(text.as_bytes())?;
        file.write_all(b"\n")?;
        file.sync_all()?;
        fs::rename(&temporary, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&temporary);
        return Err(format!(
            "cannot write the state file {}: {e}",
            path.display()
        ));
    }
    Ok(())
}

fn temporary_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "state".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}
