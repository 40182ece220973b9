//! `ndc-workbench` binary: parse the command line, dispatch, map errors to exit codes.

use clap::{CommandFactory, Parser};
use ndc_workbench::cli::{self, Cli};
use std::process::ExitCode;

fn main() -> ExitCode {
    if let Some(code) = mistyped_command() {
        return code;
    }
    let cli = Cli::parse();
    match cli.command {
        // Options such as --data-dir may come before a command; a scenario may not (it opens
        // the workbench, which a command does not).
        Some(_) if cli.scenario.is_some() => Cli::command()
            .error(
                clap::error::ErrorKind::ArgumentConflict,
                format!(
                    "`{}` opens the workbench on a scenario and cannot come before a command; \
                     leave it out, or give it to the command where it takes one \
                     (e.g. `ndc-workbench simulate bhutan`)",
                    cli.scenario.as_deref().unwrap_or_default()
                ),
            )
            .exit(),
        Some(cmd) => {
            quiet_on_closed_stdout();
            cli::run(cmd, &cli.global)
        }
        None => ndc_workbench::tui::launch(cli.scenario.as_deref(), &cli.global),
    }
}

/// `ndc-workbench simulte bhutan`: the first word is not a command, so clap takes it for the
/// workbench's SCENARIO and then reports the *next* word as unexpected, which sends a tired
/// participant looking at the wrong word. When the first word is a near miss of a command name
/// and more words follow it, name the command meant instead. A scenario path or id, alone,
/// still opens the workbench as before.
fn mistyped_command() -> Option<ExitCode> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut words = args.iter().enumerate().filter(|(i, a)| {
        // Skip options and the values of the options that take one.
        let is_option = a.starts_with('-');
        let is_option_value =
            *i > 0 && matches!(args[i - 1].as_str(), "--data-dir" | "--participant");
        !(is_option || is_option_value)
    });
    let (i, first) = words.next()?;
    let cmd = Cli::command();
    let names: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
    if names.contains(&first.as_str()) || args.len() <= i + 1 {
        return None;
    }
    let near = ndc_workbench::registry::suggest::nearest(first, names.iter().copied())?;
    eprintln!(
        "error: `{first}` is not a command; did you mean `{near}`?\n\n\
         Commands: {}\n\nFor more information, try '--help'.",
        names.join(", ")
    );
    Some(ExitCode::from(cli::EXIT_BAD_INPUT))
}

/// A command's output piped into a reader that stops early (`| head`, a pager quit) closes
/// stdout; Rust then panics in `println!` with a backtrace. Like the shell tools, end quietly
/// with the status a broken pipe gives them (128 + SIGPIPE). Everything a command writes to a
/// ledger or a file is written (and synced) before it prints, so nothing is lost.
fn quiet_on_closed_stdout() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.starts_with("failed printing to stdout") && message.contains("os error 32") {
            std::process::exit(141);
        }
        default(info);
    }));
}
