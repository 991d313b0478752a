//! Reading spec files from disk into the [`crate::spec`] types.
//!
//! Layout under the spec root (`api-spec/`):
//!
//! ```text
//! common/errors.json                      codes every service shares
//! <service>/<version>/service.json        name, version, host, docs
//! <service>/<version>/errors.json         the service's own codes
//! <service>/<version>/actions/<Action>.json
//! <service>/<version>/models/<Model>.json
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::spec::{ActionSpec, ErrorCatalogSpec, ModelSpec, ServiceSpec};

/// One problem found in the spec: which file, where in it, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// The file, relative to the spec root's parent (e.g. `api-spec/ccc/2020-02-10/service.json`).
    pub file: String,
    /// JSON path inside the file (e.g. `input[0].type`); `.` for the whole file.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.path, self.message)
    }
}

/// Every problem found in one pass over the spec, so a spec author sees them all at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecErrors(pub Vec<SpecError>);

impl fmt::Display for SpecErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "the API spec has {} error(s):", self.0.len())?;
        for error in &self.0 {
            writeln!(f, "  {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecErrors {}

/// The raw files of one service version, keyed by file stem (the wire name).
#[derive(Debug, Clone)]
pub struct RawSpec {
    /// Display path of the service directory, e.g. `api-spec/ccc/2020-02-10`.
    pub dir: String,
    /// `service.json`.
    pub service: Located<ServiceSpec>,
    /// `common/errors.json` then the service's `errors.json`.
    pub error_catalogs: Vec<Located<ErrorCatalogSpec>>,
    /// `actions/*.json` by action name.
    pub actions: BTreeMap<String, Located<ActionSpec>>,
    /// `models/*.json` by model name.
    pub models: BTreeMap<String, Located<ModelSpec>>,
}

/// A parsed file together with its display path, for error messages.
#[derive(Debug, Clone)]
pub struct Located<T> {
    /// Display path of the file.
    pub file: String,
    /// The parsed content.
    pub value: T,
}

/// Reads one service version: `service_dir` is e.g. `<root>/api-spec/ccc/2020-02-10`
/// and `spec_root` is `<root>/api-spec`. Paths in errors are shown relative to
/// the parent of `spec_root`.
pub fn load(spec_root: &Path, service_dir: &Path) -> Result<RawSpec, SpecErrors> {
    let display_base = spec_root.parent().unwrap_or(Path::new(""));
    let mut reader = Reader {
        base: display_base,
        errors: Vec::new(),
    };

    let service = reader.parse::<ServiceSpec>(&service_dir.join("service.json"));
    let common = reader.parse::<ErrorCatalogSpec>(&spec_root.join("common").join("errors.json"));
    let own = reader.parse::<ErrorCatalogSpec>(&service_dir.join("errors.json"));
    let actions = reader.parse_dir::<ActionSpec>(&service_dir.join("actions"));
    let models = reader.parse_dir::<ModelSpec>(&service_dir.join("models"));

    match (service, common, own) {
        (Some(service), Some(common), Some(own)) if reader.errors.is_empty() => Ok(RawSpec {
            dir: reader.display(service_dir),
            service,
            error_catalogs: vec![common, own],
            actions,
            models,
        }),
        _ => Err(SpecErrors(reader.errors)),
    }
}

struct Reader<'a> {
    base: &'a Path,
    errors: Vec<SpecError>,
}

impl Reader<'_> {
    fn display(&self, path: &Path) -> String {
        let shown = path.strip_prefix(self.base).unwrap_or(path);
        shown.to_string_lossy().replace('\\', "/")
    }

    fn fail(&mut self, path: &Path, json_path: &str, message: impl Into<String>) {
        self.errors.push(SpecError {
            file: self.display(path),
            path: json_path.to_owned(),
            message: message.into(),
        });
    }

    fn parse<T: DeserializeOwned>(&mut self, path: &Path) -> Option<Located<T>> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) => {
                self.fail(path, ".", format!("cannot read file: {err}"));
                return None;
            }
        };
        let mut de = serde_json::Deserializer::from_str(&text);
        let parsed = serde_path_to_error::deserialize::<_, T>(&mut de)
            .map_err(|err| (known_path(&err.path().to_string()), err.into_inner()))
            // Trailing content after the document is a mistake too.
            .and_then(|value| {
                de.end()
                    .map(|()| value)
                    .map_err(|err| (".".to_owned(), err))
            });
        match parsed {
            Ok(value) => Some(Located {
                file: self.display(path),
                value,
            }),
            Err((json_path, inner)) => {
                let message = strip_position(&inner.to_string());
                let message = if inner.line() > 0 {
                    format!(
                        "{message} (line {}, column {})",
                        inner.line(),
                        inner.column()
                    )
                } else {
                    message
                };
                self.fail(path, &json_path, message);
                None
            }
        }
    }

    fn parse_dir<T: DeserializeOwned>(&mut self, dir: &Path) -> BTreeMap<String, Located<T>> {
        let mut out = BTreeMap::new();
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            // A service may have no models yet; a missing directory is an empty one.
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return out,
            Err(err) => {
                self.fail(dir, ".", format!("cannot read directory: {err}"));
                return out;
            }
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            let Some(stem) = path.file_stem().and_then(|s| s.to_str()).map(str::to_owned) else {
                self.fail(&path, ".", "file name is not valid UTF-8");
                continue;
            };
            if path.extension().and_then(|e| e.to_str()) != Some("json") {
                self.fail(&path, ".", "only .json files belong in this directory");
                continue;
            }
            if let Some(parsed) = self.parse::<T>(&path) {
                out.insert(stem, parsed);
            }
        }
        out
    }
}

/// serde_path_to_error shows a key it could not read (a syntax error where a
/// key should be) as a final `?` segment; the enclosing value is the path to report.
fn known_path(path: &str) -> String {
    match path.strip_suffix(".?") {
        Some(enclosing) => enclosing.to_owned(),
        None if path == "?" => ".".to_owned(),
        None => path.to_owned(),
    }
}

/// serde_json appends " at line L column C"; the caller reports the position itself.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}
