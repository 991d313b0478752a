//! The `ccc` command: global options, one subcommand per action (from the
//! generated declarations), `local` and `completions`.

use clap::{Arg, ArgAction, Command, value_parser};

use crate::action_spec::ActionSpec;
use crate::flags;
use crate::generated::ACTIONS;
use crate::output::Format;

const ABOUT: &str =
    "Calls Tencent Cloud Contact Center (CCC, API 2020-02-10): one subcommand per action.";

const AFTER_HELP: &str = "\
Credentials, region and endpoint come from the same places as for the Rust SDK: \
TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY, the profile file (~/.tencentcloud/credentials), \
TENCENTCLOUD_REGION, TENCENTCLOUD_CCC_ENDPOINT_URL or TENCENTCLOUD_ENDPOINT_URL; \
the options above override them.

Exit status: 0 success, 1 other failure (configuration, credentials, undecodable answer), \
2 usage error (nothing was sent), 3 the service answered with an error, 4 network failure or timeout.";

/// The whole command line.
pub fn command() -> Command {
    let mut app = Command::new("ccc")
        .version(env!("CARGO_PKG_VERSION"))
        .about(ABOUT)
        .after_help(AFTER_HELP)
        // Wide enough that the list of subcommands keeps each summary on its command's line
        // (clap moves every summary below its name once one of them would not fit).
        .term_width(200)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .args(global_args().map(|arg| arg.help_heading("Global options")));
    for action in ACTIONS {
        app = app.subcommand(action_command(action));
    }
    app.subcommand(local_command())
        .subcommand(completions_command())
}

fn global_args() -> [Arg; 5] {
    [
        Arg::new("output")
            .long("output")
            .global(true)
            .value_name("FORMAT")
            .value_parser(value_parser!(Format))
            .default_value("json")
            .help("How to print the answer: json (pretty on a terminal, one line otherwise) or table"),
        Arg::new("query")
            .long("query")
            .global(true)
            .value_name("PATH")
            .help("Print only this part of the answer, e.g. `TotalCount`, `Tasks[0]`, `Tasks[].TaskId`"),
        Arg::new("profile")
            .long("profile")
            .global(true)
            .value_name("NAME")
            .help("Take credentials from this section of the profile file (instead of the environment)"),
        Arg::new("region").long("region").global(true).value_name("REGION").help("Region to call, e.g. ap-guangzhou"),
        Arg::new("endpoint")
            .long("endpoint")
            .global(true)
            .value_name("URL")
            .help("Send requests here instead of https://ccc.tencentcloudapi.com (e.g. a `ccc local` emulator)"),
    ]
}

fn action_command(action: &'static ActionSpec) -> Command {
    let mut command = Command::new(action.command)
        .alias(action.name)
        .about(action.summary)
        // The wire name is an alias, so it is named where the doc is read.
        .long_about(format!("{}\n\nWire name of the action: {}", action.doc, action.name))
        .args(action.input.iter().map(|m| flags::arg(m, action.pagination.is_some_and(|p| p.page == m.name))))
        .arg(
            Arg::new("cli-input-json")
                .long("cli-input-json")
                .value_name("FILE|-")
                .help("Read the whole request from a JSON file (`-` for stdin), keyed by wire names; flags override its members")
                .help_heading("Request options"),
        )
        .arg(
            Arg::new("generate-cli-skeleton")
                .long("generate-cli-skeleton")
                .action(ArgAction::SetTrue)
                .conflicts_with("cli-input-json")
                .help("Print a request template for --cli-input-json and exit")
                .help_heading("Request options"),
        );
    if let Some(example) = action.example {
        command = command.after_long_help(format!("Example:\n  {example}"));
    }
    if action.pagination.is_some() {
        command = command.arg(
            Arg::new("all-pages")
                .long("all-pages")
                .action(ArgAction::SetTrue)
                .help("Fetch every page from the one asked for on (the first if none), printing each answer as one JSON line as it arrives")
                .help_heading("Request options"),
        );
    }
    command
}

fn local_command() -> Command {
    Command::new("local")
        .about("Run the local CCC emulator in the foreground (the options of `ccc-local`; see `ccc local --help`)")
        .disable_help_flag(true)
        .arg(
            Arg::new("options")
                .num_args(0..)
                .trailing_var_arg(true)
                .allow_hyphen_values(true)
                .value_name("OPTIONS")
                .help("Options of ccc-local"),
        )
}

fn completions_command() -> Command {
    Command::new("completions")
        .about("Print a shell completion script")
        .arg(
            Arg::new("shell")
                .required(true)
                .value_parser(value_parser!(clap_complete::Shell))
                .help("The shell"),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_is_well_formed() {
        // clap's own consistency checks: duplicate flags, bad references between arguments.
        command().debug_assert();
    }
}
