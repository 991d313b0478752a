//! `cargo xtask gen [--check]`: regenerate the SDK from `api-spec/`, or check it is up to date.
//! `cargo xtask import-tccli <api.json> ...`: import Tencent's API definition into spec files.

mod import;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use codegen::Mode;

const USAGE: &str = "usage: cargo xtask gen [--check]\n       cargo xtask import-tccli <api.json> [--examples FILE] [--errors FILE] [--only A,B] [--out DIR] [--report FILE] [--dry-run]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("import-tccli") {
        return import_tccli(&args[1..]);
    }
    let mode = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["gen"] => Mode::Write,
        ["gen", "--check"] => Mode::Check,
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let root = workspace_root();
    match codegen::run(&root, mode) {
        Ok(outcome) if outcome.is_clean() => {
            println!("generated code is up to date ({} files)", outcome.total);
            ExitCode::SUCCESS
        }
        Ok(outcome) if mode == Mode::Write => {
            print!("{outcome}");
            println!(
                "updated {} file(s), removed {}",
                outcome.changed.len(),
                outcome.stale.len()
            );
            ExitCode::SUCCESS
        }
        Ok(outcome) => {
            eprint!("{outcome}");
            eprintln!("generated code is stale: run `cargo xtask gen` and commit the result");
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

fn import_tccli(args: &[String]) -> ExitCode {
    let args = match import::cli::parse_args(args) {
        Ok(args) => args,
        Err(err) => {
            eprintln!("error: {err}\n{}", import::cli::USAGE);
            return ExitCode::from(2);
        }
    };
    match import::cli::run(&workspace_root(), &args) {
        Ok(report) => {
            print!("{report}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: the parent of this crate's directory.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}
