//! Registry: where the ledger, its explorer, the action forms and the drills will appear. Until
//! the registry module is wired, the screen shows the party's registry id, the partners and the
//! drills of the question pack.
//!
//! To wire it: read the ledger from `Session::journal_path`, add view state to `App` and
//! `Action`s for the forms, and replace [`placeholder_lines`].

use crate::tui::app::{Action, App, Workspace};
use crate::tui::strings as S;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

/// Registry has no keys of its own yet.
pub fn handle_key(_app: &App, _key: &KeyEvent) -> Option<Action> {
    None
}

/// What is known before the registry exists: registry id, partners, drills.
pub fn placeholder_lines(w: &Workspace) -> Vec<(String, Vec<String>)> {
    let f = &w.scenario.file;
    let mut out = vec![(
        "Registry".to_string(),
        vec![
            format!("{} registry id: {}", f.party.name, f.party.registry_id),
            format!("journal: {}", w.session.registry_journal),
        ],
    )];
    out.push((
        "Partners".into(),
        if f.partners.is_empty() {
            vec!["none in this scenario".into()]
        } else {
            f.partners
                .iter()
                .map(|p| format!("{} ({})", p.name, p.code))
                .collect()
        },
    ));
    out.push((
        "Drills in the question pack".into(),
        if w.pack.drills.is_empty() {
            vec!["none".into()]
        } else {
            w.pack
                .drills
                .iter()
                .map(|d| format!("{} ({} steps)", d.title, d.steps.len()))
                .collect()
        },
    ));
    out
}

/// Draw Registry.
pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let Some(w) = &app.work else {
        super::no_scenario(frame, area, app, S::REGISTRY_TITLE);
        return;
    };
    super::simulate::draw_placeholder(
        frame,
        area,
        app,
        S::REGISTRY_TITLE,
        S::REGISTRY_INTRO,
        S::REGISTRY_COMING,
        placeholder_lines(w),
    );
}
