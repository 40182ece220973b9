//! `ndc-workbench` binary: parse CLI (clap derive), dispatch, map errors to exit codes.
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "ndc-workbench",
    version,
    about = "Article 6 training workbench"
)]
struct Cli {
    #[command(subcommand)]
    cmd: Option<Top>,
}

#[derive(Debug, Subcommand)]
enum Top {
    /// Registry ledger: issue, authorize, transfer, retire; check, explore, export.
    Registry(ndc_workbench::registry::cli::RegistryArgs),
}

fn main() -> ExitCode {
    match Cli::parse().cmd {
        Some(Top::Registry(args)) => ndc_workbench::registry::cli::run(args),
        None => {
            println!("ndc-workbench (under construction); try `ndc-workbench registry --help`");
            ExitCode::SUCCESS
        }
    }
}
