//! `ndc-workbench` binary: parse the command line, dispatch, map errors to exit codes.

use clap::Parser;
use ndc_workbench::cli::{self, Cli};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(cmd) => cli::run(cmd, &cli.global),
        None => ndc_workbench::tui::launch(cli.scenario.as_deref(), &cli.global),
    }
}
