//! `ccc-local`: runs the CCC emulator until Ctrl-C or SIGTERM; see [`ccc_local::cli`].

use std::process::ExitCode;

fn main() -> ExitCode {
    ccc_local::cli::main("ccc-local", std::env::args().skip(1))
}
