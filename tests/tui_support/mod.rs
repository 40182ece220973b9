//! Shared helpers for the TUI tests: a fixed scenario (a copy of the example, so snapshots do not
//! move when the prepared scenarios change), an `App` on it, key presses, and rendering.
#![allow(dead_code)]

use ndc_workbench::scenario::{self, Scenario};
use ndc_workbench::tui::app::{
    App, Effect, HomeData, ScenarioCard, ScenarioRef, Workspace, fixed_clock, update,
};
use ndc_workbench::tui::input::key_to_action;
use ndc_workbench::tui::run::{Env, perform};
use ndc_workbench::tui::theme::Theme;
use ndc_workbench::tui::ui;
use ndc_workbench::workshop::session::{self, Session};
use ndc_workbench::workshop::{DEFAULT_PACK, Pack, builtin_pack};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::Path;

pub const SCENARIO: &str = include_str!("scenario.toml");

pub fn scenario() -> Scenario {
    scenario::load_str("testland.toml", SCENARIO).expect("the test scenario is valid")
}

pub fn pack() -> Pack {
    builtin_pack(DEFAULT_PACK)
        .expect("built in")
        .expect("valid")
}

pub fn home() -> HomeData {
    let s = scenario();
    HomeData {
        builtins: vec![ScenarioCard::of(
            &s,
            ScenarioRef::Builtin(s.id().into()),
            "built into ndc-workbench".into(),
        )],
        ..HomeData::default()
    }
}

/// An app on Home with participant `tester`.
pub fn app_on_home() -> App {
    App::new(
        home(),
        Some("tester".into()),
        "tester".into(),
        Theme { no_color: true },
        fixed_clock,
    )
}

/// An app with the test scenario open (session file under `data_dir`), on Reflect.
pub fn app_open(data_dir: &Path) -> App {
    let mut app = app_on_home();
    let s = scenario();
    let p = pack();
    let o = session::open(data_dir, "tester", &s, &p, fixed_clock()).expect("open");
    let w = Workspace {
        scenario: s,
        pack: p,
        session: o.session,
        session_path: o.path,
    };
    let fx = update(
        &mut app,
        ndc_workbench::tui::app::Action::Opened(Box::new(w), None),
    );
    run_effects(&mut app, data_dir, fx);
    app
}

/// Perform effects like the loop does (minus Quit), feeding results back.
pub fn run_effects(app: &mut App, data_dir: &Path, effects: Vec<Effect>) -> bool {
    let env = Env {
        data_dir: data_dir.to_path_buf(),
        events: None,
    };
    let mut queue: std::collections::VecDeque<Effect> = effects.into();
    while let Some(e) = queue.pop_front() {
        if e == Effect::Quit {
            return true;
        }
        // Home scans read ./scenarios; keep tests independent of the working directory.
        if e == Effect::ScanHome {
            continue;
        }
        if let Some(a) = perform(app, &env, e) {
            queue.extend(update(app, a));
        }
    }
    false
}

pub fn k(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}
pub fn ch(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}
pub fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// Press a key: route it, update, return the effects (not performed).
pub fn press(app: &mut App, key: KeyEvent) -> Vec<Effect> {
    match key_to_action(app, &key) {
        Some(a) => update(app, a),
        None => vec![],
    }
}

/// Press keys and perform the effects (saving into `data_dir`). Returns true on quit.
pub fn press_all(app: &mut App, data_dir: &Path, keys: &[KeyEvent]) -> bool {
    for key in keys {
        let fx = press(app, *key);
        if run_effects(app, data_dir, fx) {
            return true;
        }
    }
    false
}

/// Store the budget edit that makes the land sector a large net sink (as the Budget screen
/// stores an edit) and recompute: the balance then goes below zero.
pub fn make_land_a_large_sink(app: &mut App) {
    if let Some(w) = app.work.as_mut() {
        w.session.budget_edits.insert(
            "sector.afolu.bau".into(),
            serde_json::Value::String("{ 2021 = -4000, 2030 = -4200 }".into()),
        );
    }
    app.recompute();
}

pub fn type_text(app: &mut App, data_dir: &Path, text: &str) {
    let keys: Vec<KeyEvent> = text
        .chars()
        .map(|c| if c == '\n' { k(KeyCode::Enter) } else { ch(c) })
        .collect();
    press_all(app, data_dir, &keys);
}

/// Draw into a TestBackend and return the screen as text, one line per row.
pub fn render(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    t.draw(|f| ui::draw(f, app)).expect("draw");
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        for x in 0..w {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub fn saved(data_dir: &Path) -> Session {
    let p = session::session_path(data_dir, "testland-2030", "tester");
    Session::load(&p).expect("the saved session loads")
}
