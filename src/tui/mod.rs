//! The interactive workbench (ratatui). Only this module may use ratatui or crossterm.

use crate::cli::GlobalArgs;
use std::process::ExitCode;

/// Open the workbench. Until the screens land this prints the scenario list.
pub fn launch(_scenario: Option<&str>, global: &GlobalArgs) -> ExitCode {
    crate::cli::run(
        crate::cli::Command::Scenario(crate::cli::ScenarioCmd::List { json: false }),
        global,
    )
}
