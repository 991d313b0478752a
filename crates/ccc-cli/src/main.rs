//! `ccc`: a command line for Tencent Cloud Contact Center (CCC), API 2020-02-10.
//!
//! Each action of the API is a subcommand, declared by code that `cargo xtask gen`
//! generates from the spec (`src/generated/`); flags are checked by the parser, the
//! request is checked against the definition by decoding it into the SDK's type,
//! and it is sent through `ccc-api`, configured exactly as the SDK is.
//! See `ccc --help` and the README.

mod action_spec;
mod app;
mod config;
mod failure;
mod flags;
mod generated;
mod output;
mod pages;
mod query;
mod run;
mod send;

use std::process::ExitCode;

use failure::Failure;

fn main() -> ExitCode {
    let matches = match app::command().try_get_matches() {
        Ok(matches) => matches,
        Err(error) => {
            // Help and version go to stdout with status 0; usage errors to stderr with 2.
            let _ = error.print();
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(failure::EXIT_USAGE));
        }
    };
    let Some((name, sub)) = matches.subcommand() else {
        return Failure::Usage("a subcommand is needed; see `ccc --help`".to_owned()).report();
    };
    match name {
        "local" => {
            let options = sub
                .get_many::<String>("options")
                .into_iter()
                .flatten()
                .cloned();
            ccc_local::cli::main("ccc local", options)
        }
        "completions" => {
            if let Some(shell) = sub.get_one::<clap_complete::Shell>("shell") {
                clap_complete::generate(*shell, &mut app::command(), "ccc", &mut std::io::stdout());
            }
            ExitCode::SUCCESS
        }
        command => match generated::ACTIONS.iter().find(|a| a.command == command) {
            Some(action) => match run::run(action, sub) {
                Ok(()) => ExitCode::SUCCESS,
                Err(failure) => failure.report(),
            },
            None => Failure::Usage(format!("unknown subcommand `{command}`")).report(),
        },
    }
}
