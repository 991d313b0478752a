//! Writing generated files, or checking that the tree already matches them.
//!
//! Both modes compute the same list of files; `Check` only compares (after
//! normalising line endings) and reports what `Write` would change, so the
//! check can never drift from what the generator writes.

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use crate::{Error, GeneratedFile, generate};

/// What [`run`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write changed files and delete stale ones.
    Write,
    /// Change nothing; report what is out of date.
    Check,
}

/// What [`run`] found or did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Files whose contents differ from (or are missing against) the generator's output.
    pub changed: Vec<String>,
    /// Files in generated directories that the generator no longer produces.
    pub stale: Vec<String>,
    /// How many files the generator owns.
    pub total: usize,
}

impl Outcome {
    /// True when the tree matches the generator's output.
    pub fn is_clean(&self) -> bool {
        self.changed.is_empty() && self.stale.is_empty()
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for path in &self.changed {
            writeln!(f, "  out of date: {path}")?;
        }
        for path in &self.stale {
            writeln!(f, "  no longer generated: {path}")?;
        }
        Ok(())
    }
}

/// Generates every file for the repository at `root`, then writes or checks.
pub fn run(root: &Path, mode: Mode) -> Result<Outcome, Error> {
    let generated = generate(root)?;
    let files = &generated.files;
    let mut outcome = Outcome {
        total: files.len(),
        ..Outcome::default()
    };
    let owned: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();

    for file in files {
        let path = root.join(&file.path);
        let current = std::fs::read_to_string(&path).ok();
        if current.as_deref().map(normalise) != Some(normalise(&file.contents)) {
            outcome.changed.push(file.path.clone());
            if mode == Mode::Write {
                write(&path, file)?;
            }
        }
    }

    for dir in &generated.owned_dirs {
        for path in files_under(root, dir)? {
            if !owned.contains(path.as_str()) {
                if mode == Mode::Write {
                    let full = root.join(&path);
                    std::fs::remove_file(&full)
                        .map_err(|source| Error::Io { path: full, source })?;
                }
                outcome.stale.push(path);
            }
        }
    }
    Ok(outcome)
}

fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n")
}

fn write(path: &Path, file: &GeneratedFile) -> Result<(), Error> {
    let io = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    std::fs::write(path, &file.contents).map_err(io)
}

/// Files below `root/dir`, as `/`-separated paths relative to `root`, sorted.
fn files_under(root: &Path, dir: &str) -> Result<Vec<String>, Error> {
    let mut out = Vec::new();
    let mut pending = vec![root.join(dir)];
    while let Some(current) = pending.pop() {
        let entries = match std::fs::read_dir(&current) {
            Ok(entries) => entries,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => {
                return Err(Error::Io {
                    path: current,
                    source,
                });
            }
        };
        for entry in entries {
            let path = entry
                .map_err(|source| Error::Io {
                    path: current.clone(),
                    source,
                })?
                .path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(relative) = path.strip_prefix(root) {
                out.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    Ok(out)
}
