//! The file-system side of `cargo xtask import-tccli`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use codegen::spec::ErrorCatalogSpec;

use super::convert::Source;
use super::tccli::{ActionErrorCodes, ApiJson, ExamplesJson};
use super::{Existing, Options, import};

/// Usage text of the subcommand.
pub const USAGE: &str = "usage: cargo xtask import-tccli <api.json> [--examples examples.json] \
[--errors action-error-codes.json] [--only Action,...] [--out DIR] [--report FILE] [--dry-run]";

/// Parsed command line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Args {
    /// `api.json`.
    pub api: PathBuf,
    /// `--examples`.
    pub examples: Option<PathBuf>,
    /// `--errors`.
    pub errors: Option<PathBuf>,
    /// `--only`, split on commas.
    pub only: Option<Vec<String>>,
    /// `--out`; default `<root>/api-spec/<service>/<version>`.
    pub out: Option<PathBuf>,
    /// `--report`.
    pub report: Option<PathBuf>,
    /// `--dry-run`: report only, write no spec file.
    pub dry_run: bool,
}

/// Parses the arguments after `import-tccli`.
pub fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut out = Args::default();
    let mut api = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match arg.as_str() {
            "--examples" => out.examples = Some(value(arg)?.into()),
            "--errors" => out.errors = Some(value(arg)?.into()),
            "--only" => {
                let list: Vec<String> = value(arg)?
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect();
                out.only = Some(list);
            }
            "--out" => out.out = Some(value(arg)?.into()),
            "--report" => out.report = Some(value(arg)?.into()),
            "--dry-run" => out.dry_run = true,
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            path if api.is_none() => api = Some(PathBuf::from(path)),
            extra => return Err(format!("unexpected argument {extra}")),
        }
    }
    out.api = api.ok_or("the path of api.json is missing")?;
    Ok(out)
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, String> {
    serde_json::from_str(&read(path)?).map_err(|e| format!("{}: {e}", path.display()))
}

/// `<dir>/<kind>/*.json` by file stem.
fn read_dir_json(dir: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(format!("{}: {e}", dir.display())),
    };
    for entry in entries {
        let path = entry.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if path.extension().and_then(|e| e.to_str()) == Some("json")
            && let Some(stem) = path.file_stem().and_then(|s| s.to_str())
        {
            out.insert(stem.to_owned(), read(&path)?);
        }
    }
    Ok(out)
}

fn catalog_codes(path: &Path, into: &mut BTreeSet<String>) -> Result<(), String> {
    let catalog: ErrorCatalogSpec = read_json(path)?;
    into.extend(catalog.codes.into_keys());
    Ok(())
}

/// Runs the subcommand; `root` is the workspace root. Returns the text printed.
pub fn run(root: &Path, args: &Args) -> Result<String, String> {
    let api: ApiJson = read_json(&args.api)?;
    let examples: Option<ExamplesJson> = args.examples.as_deref().map(read_json).transpose()?;
    let error_codes: Option<ActionErrorCodes> =
        args.errors.as_deref().map(read_json).transpose()?;
    let service = &api.metadata.service_short_name;
    let version = &api.metadata.api_version;
    let spec_root = root.join("api-spec");
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| spec_root.join(service).join(version));

    // The catalogues of the spec tree the output directory sits in
    // (`<root>/<service>/<version>` beside `<root>/common`), else the workspace's,
    // so a trial run into an empty directory checks the same codes.
    let mut catalog = BTreeSet::new();
    let common = match out
        .parent()
        .and_then(Path::parent)
        .map(|r| r.join("common").join("errors.json"))
    {
        Some(p) if p.exists() => p,
        _ => spec_root.join("common").join("errors.json"),
    };
    let own = match out.join("errors.json") {
        p if p.exists() => p,
        _ => spec_root.join(service).join(version).join("errors.json"),
    };
    catalog_codes(&common, &mut catalog)?;
    catalog_codes(&own, &mut catalog)?;

    let existing = Existing {
        service: out
            .join("service.json")
            .exists()
            .then(|| read(&out.join("service.json")))
            .transpose()?,
        actions: read_dir_json(&out.join("actions"))?,
        models: read_dir_json(&out.join("models"))?,
    };
    let options = Options {
        only: args.only.clone(),
    };
    let source = Source {
        api: &api,
        examples: examples.as_ref(),
        error_codes: error_codes.as_ref(),
        catalog: &catalog,
    };
    let mut outcome = import(&source, &existing, &options)?;
    outcome.report.header.push(format!(
        "error catalogues: {}, {}",
        common.display(),
        own.display()
    ));
    outcome.report.header.push(format!(
        "output: {}{}",
        out.display(),
        if args.dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        }
    ));

    if !args.dry_run {
        for file in &outcome.files {
            let path = out.join(&file.path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("{}: {e}", parent.display()))?;
            }
            std::fs::write(&path, &file.contents)
                .map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    let mut text = outcome.report.to_string();
    text.push('\n');
    text.push_str(&validation(&out, args.dry_run));
    if let Some(report) = &args.report {
        std::fs::write(report, &text).map_err(|e| format!("{}: {e}", report.display()))?;
    }
    Ok(text)
}

/// Runs the generator's validation over the output directory when it sits in a
/// full spec tree (`<root>/<service>/<version>` beside `<root>/common`).
fn validation(out: &Path, dry_run: bool) -> String {
    let mut text = String::from("## validation (codegen::lower_service)\n");
    let spec_root = out.parent().and_then(Path::parent);
    match spec_root {
        _ if dry_run => text.push_str("skipped: dry run\n"),
        Some(root) if root.join("common").join("errors.json").exists() && out.join("errors.json").exists() => {
            match codegen::lower_service(root, out) {
                Ok(api) => text.push_str(&format!("accepted: {} action(s), {} model(s)\n", api.actions.len(), api.models.len())),
                Err(errors) => text.push_str(&errors.to_string()),
            }
        }
        _ => text.push_str("skipped: the output directory is not `<spec root>/<service>/<version>` with common/errors.json and errors.json\n"),
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn arguments_parse() {
        let a = parse_args(&strings(&[
            "api.json",
            "--only",
            "A, B",
            "--out",
            "/tmp/x",
            "--examples",
            "e.json",
            "--dry-run",
        ]))
        .unwrap();
        assert_eq!(a.api, PathBuf::from("api.json"));
        assert_eq!(a.only, Some(vec!["A".to_owned(), "B".to_owned()]));
        assert_eq!(a.out, Some(PathBuf::from("/tmp/x")));
        assert!(a.dry_run);
        assert!(parse_args(&strings(&["--only"])).is_err());
        assert!(parse_args(&strings(&["a", "b"])).is_err());
        assert!(parse_args(&strings(&[])).is_err());
    }
}
