//! The interactive workbench (ratatui). Only this module may use ratatui or crossterm.
//!
//! Elm-style: `app.rs` holds the state, the `Action`s and the pure `update`; `input.rs` turns
//! terminal events into actions; `run.rs` is the loop and performs the `Effect`s (the only IO);
//! `ui.rs` draws the frame and hands the body to `screens/*`. Keys live in `keymap.rs`, words in
//! `strings.rs`, styles in `theme.rs`. `cells.rs` keeps the drawn cells of panes whose key did not
//! change between frames (the help overlay, Simulate's chart, most text panes).

pub mod app;
pub mod cells;
pub mod derived;
pub mod forms;
pub mod hits;
pub mod input;
pub mod keymap;
pub mod mouse;
pub mod params;
pub mod run;
pub mod screens;
pub mod strings;
pub mod theme;
pub mod ui;
pub mod update2;

use crate::cli::{EXIT_BAD_INPUT, EXIT_FAILED, GlobalArgs};
use app::{App, Effect, ScenarioRef};
use ratatui::crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;
use std::process::ExitCode;

/// The OS user name (USER, then USERNAME), for the participant popup.
pub fn os_user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_default()
}

/// The participant of the most recently changed session (sessions come newest first).
fn last_participant(home: &app::HomeData) -> Option<String> {
    home.sessions
        .iter()
        .max_by_key(|x| x.updated_at)
        .map(|x| x.participant.clone())
        .filter(|p| !p.trim().is_empty())
}

/// Open the workbench: on Home, or on `scenario` (a built-in id or a .toml path). A bad
/// scenario is reported on stderr with exit code 2 before the terminal is touched, and so is a
/// missing terminal.
pub fn launch(scenario: Option<&str>, global: &GlobalArgs) -> ExitCode {
    let data_dir = match crate::store::data_dir(global.data_dir.as_deref()) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let mut open = None;
    if let Some(arg) = scenario {
        match crate::scenario::resolve(arg) {
            Ok(s) => {
                if let Err(e) = run::load_pack(&s) {
                    eprintln!("{e}");
                    return ExitCode::from(EXIT_BAD_INPUT);
                }
                open = Some(match s.origin {
                    crate::scenario::Origin::BuiltIn(id) => ScenarioRef::Builtin(id),
                    crate::scenario::Origin::File(p) => ScenarioRef::File(p),
                });
            }
            Err(e) => return crate::cli::scenario_error(&e),
        }
    }
    let home = run::scan_home(&data_dir);
    // The name is asked once: the popup suggests the participant of the most recent session on
    // this laptop (Enter goes on as them), else the OS user. Other participants of a shared
    // laptop type their own name, or continue theirs from Home's session list.
    let default_name = last_participant(&home).unwrap_or_else(os_user);
    let mut app = App::new(
        home,
        global.participant.clone(),
        default_name,
        theme::Theme::from_env(),
        chrono::Utc::now,
    );
    app.mouse = global.mouse;
    let initial: Vec<Effect> = match open {
        Some(r) => app.request_open(r),
        None => {
            app.ask_participant();
            vec![]
        }
    };
    let env = run::Env {
        data_dir,
        events: None,
    };

    // Without a terminal (output piped, a script, no controlling tty) there is nothing to draw
    // on: say so and point at the commands whose output can be piped, never panic.
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        eprintln!("{}", no_terminal("its output is not a terminal"));
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    // raw mode, alternate screen, panic hook that restores
    let mut terminal = match ratatui::try_init() {
        Ok(t) => t,
        Err(e) => {
            ratatui::restore();
            eprintln!(
                "{}",
                no_terminal(&format!("the terminal cannot be opened: {e}"))
            );
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(
            std::io::stdout(),
            DisableBracketedPaste,
            DisableMouseCapture
        );
        hook(info);
    }));
    let _ = execute!(std::io::stdout(), EnableBracketedPaste);
    if app.mouse {
        let _ = execute!(std::io::stdout(), EnableMouseCapture);
    }
    if let Ok(size) = terminal.size() {
        app.size = (size.width, size.height);
    }
    let result = run::run(&mut terminal, &mut app, &env, initial);
    let _ = execute!(
        std::io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture
    );
    ratatui::restore();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ndc-workbench: terminal error: {e}");
            ExitCode::from(EXIT_FAILED)
        }
    }
}

/// What to do when the interactive workbench has no terminal to run in.
fn no_terminal(why: &str) -> String {
    format!(
        "error: the workbench needs a terminal, and {why}.\n  \
         fix: run `ndc-workbench` in a terminal window; for output that can be piped or saved use a \
         command, e.g. `ndc-workbench simulate bhutan`, `ndc-workbench report SESSION` (see --help)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workshop::session::SessionSummary;
    use chrono::TimeZone;

    fn summary(participant: &str, minute: u32) -> SessionSummary {
        SessionSummary {
            path: format!("{participant}.json").into(),
            participant: participant.into(),
            scenario_id: "bhutan-2030".into(),
            scenario_title: "Bhutan".into(),
            scenario_source: "built-in".into(),
            updated_at: chrono::Utc
                .with_ymd_and_hms(2026, 11, 28, 9, minute, 0)
                .single()
                .expect("a time"),
            answered: 0,
            total: None,
        }
    }

    #[test]
    fn the_name_suggested_is_the_most_recent_sessions_participant() {
        let mut home = app::HomeData::default();
        assert_eq!(last_participant(&home), None, "no session: the OS user");
        home.sessions = vec![
            summary("Bob", 5),
            summary("Ana Núñez", 40),
            summary("Chen", 20),
        ];
        assert_eq!(last_participant(&home).as_deref(), Some("Ana Núñez"));
    }
}
