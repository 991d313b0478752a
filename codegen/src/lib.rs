//! The code generator: turns the declarative spec in `api-spec/` into the
//! typed SDK crates under `crates/` and the per-action part of the `ccc` command line.
//!
//! The pipeline is `load` (JSON files into [`spec`] types, unknown keys
//! rejected) -> [`ir::lower`] (every name, type, reference and output path
//! checked and resolved) -> `emit` (tokens with `quote`, formatted with
//! prettyplease; emitters read only the IR). [`generate`] runs it for every
//! service and also writes the JSON Schema of the spec format; [`run`]
//! writes the result or checks that the tree is up to date, one code path for
//! both as in rust-analyzer's `xtask codegen`. See `ARCHITECTURE.md`.
#![deny(missing_docs)]

pub mod ir;
pub mod load;
pub mod names;
pub mod schema;
pub mod spec;

mod emit;
mod files;

use std::fmt;
use std::path::{Path, PathBuf};

pub use files::{Mode, Outcome, run};
pub use load::{SpecError, SpecErrors};

/// A file the generator owns, with its path relative to the repository root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Relative path with `/` separators, e.g. `crates/ccc-api/src/generated/models.rs`.
    pub path: String,
    /// Full contents.
    pub contents: String,
}

/// Why generation failed.
#[derive(Debug)]
pub enum Error {
    /// The spec is invalid; every problem found is listed.
    Spec(SpecErrors),
    /// Generated tokens did not parse: a generator bug, named by file.
    Emit(String),
    /// Reading the spec tree or writing output failed.
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Spec(errors) => write!(f, "{errors}"),
            Error::Emit(message) => write!(f, "generator bug: {message}"),
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            Error::Spec(errors) => Some(errors),
            Error::Emit(_) => None,
        }
    }
}

impl From<SpecErrors> for Error {
    fn from(errors: SpecErrors) -> Self {
        Error::Spec(errors)
    }
}

/// Everything the generator owns in a repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    /// Every generated file, in a fixed order.
    pub files: Vec<GeneratedFile>,
    /// Directories holding only generated files: a file in one that the
    /// generator no longer produces is stale.
    pub owned_dirs: Vec<String>,
}

/// Loads, validates and lowers one service version directory.
pub fn lower_service(spec_root: &Path, service_dir: &Path) -> Result<ir::Api, SpecErrors> {
    let raw = load::load(spec_root, service_dir)?;
    ir::lower(&raw)
}

/// Every file of one service version (the SDK's module and conformance test,
/// the emulator's table), each at its repository path from [`ir::Outputs`].
pub fn generate_service(spec_root: &Path, service_dir: &Path) -> Result<Vec<GeneratedFile>, Error> {
    let api = lower_service(spec_root, service_dir)?;
    emit::emit(&api).map_err(Error::Emit)
}

/// Every file the generator owns in the repository at `root`: the JSON Schemas
/// of the spec format and each service's generated files.
pub fn generate(root: &Path) -> Result<Generated, Error> {
    let spec_root = root.join("api-spec");
    let mut files = schema::schema_files();
    let mut owned_dirs = vec![format!("api-spec/{}", schema::SCHEMA_DIR)];
    for service_dir in service_dirs(&spec_root)? {
        let api = lower_service(&spec_root, &service_dir)?;
        files.extend(emit::emit(&api).map_err(Error::Emit)?);
        owned_dirs.push(api.service.outputs.sdk_module.clone());
        owned_dirs.push(api.service.outputs.cli_module.clone());
    }
    for (name, fixture_root) in fixture_roots(root)? {
        let mut fixture = Vec::new();
        for service_dir in service_dirs(&fixture_root)? {
            let mut api = lower_service(&fixture_root, &service_dir)?;
            let module = format!("{FIXTURE_CRATES}/{name}/src/generated");
            api.service.outputs.sdk_module.clone_from(&module);
            // The header names the spec as the repository has it.
            api.service.spec_dir = format!("codegen/tests/fixtures/{}", api.service.spec_dir);
            // Only the SDK module: the fixture crates prove that it compiles.
            fixture.extend(
                emit::emit(&api)
                    .map_err(Error::Emit)?
                    .into_iter()
                    .filter(|f| f.path.starts_with(&module)),
            );
            owned_dirs.push(module);
        }
        files.extend(fixture);
    }
    Ok(Generated { files, owned_dirs })
}

/// Where the generator's test fixtures (`codegen/tests/fixtures/<name>`) are
/// generated as crates (`<name>/src/generated`), which the workspace builds:
/// a fixture that claims some spec compiles (a keyword member, say) is then
/// proven to, not only snapshotted.
pub const FIXTURE_CRATES: &str = "codegen/tests/fixture-crates";

/// The fixture spec roots that have a crate under [`FIXTURE_CRATES`], by name, sorted.
fn fixture_roots(root: &Path) -> Result<Vec<(String, PathBuf)>, Error> {
    let fixtures = root.join("codegen/tests/fixtures");
    let crates = root.join(FIXTURE_CRATES);
    let entries = match std::fs::read_dir(&fixtures) {
        Ok(entries) => entries,
        // A tree without the generator's tests (say, a vendored copy) has no fixtures.
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            return Err(Error::Io {
                path: fixtures,
                source,
            });
        }
    };
    let mut roots = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|source| Error::Io {
                path: fixtures.clone(),
                source,
            })?
            .path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
            continue;
        };
        if path.is_dir() && crates.join(&name).join("Cargo.toml").is_file() {
            roots.push((name, path));
        }
    }
    roots.sort();
    Ok(roots)
}

/// The `<service>/<version>` directories under the spec root, sorted.
fn service_dirs(spec_root: &Path) -> Result<Vec<PathBuf>, Error> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| Error::Io { path, source }
    };
    let mut dirs = Vec::new();
    for service in std::fs::read_dir(spec_root).map_err(io(spec_root))? {
        let service = service.map_err(io(spec_root))?.path();
        let name = service
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if !service.is_dir() || name == "common" || name == schema::SCHEMA_DIR {
            continue;
        }
        for version in std::fs::read_dir(&service).map_err(io(&service))? {
            let version = version.map_err(io(&service))?.path();
            if version.is_dir() {
                dirs.push(version);
            }
        }
    }
    dirs.sort();
    Ok(dirs)
}
