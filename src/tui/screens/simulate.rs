//! Simulate: where the transfer-capacity simulation will appear. Until the simulate module is
//! wired, the screen shows what the scenario already provides (method, targets, safeguards).
//!
//! To wire it: add the parameter state to `App` (persist it in `session.simulation`), new
//! `Action`s for parameter changes handled in `app::update`, and replace [`placeholder_lines`].

use crate::scenario::Scenario;
use crate::tui::app::{Action, App};
use crate::tui::strings as S;
use crate::tui::ui::pane;
use crate::workshop::facts;
use crate::workshop::pack::FactKey;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

/// Simulate has no keys of its own yet.
pub fn handle_key(_app: &App, _key: &KeyEvent) -> Option<Action> {
    None
}

/// What the scenario already says that the simulation will use.
pub fn placeholder_lines(s: &Scenario) -> Vec<(String, Vec<String>)> {
    [
        FactKey::NdcSummary,
        FactKey::NdcTargets,
        FactKey::Policy,
        FactKey::Partners,
    ]
    .into_iter()
    .map(|k| facts::facts(s, k))
    .map(|b| (b.title, b.lines))
    .collect()
}

/// Draw Simulate.
pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let Some(w) = &app.work else {
        super::no_scenario(frame, area, app, S::SIMULATE_TITLE);
        return;
    };
    draw_placeholder(
        frame,
        area,
        app,
        S::SIMULATE_TITLE,
        S::SIMULATE_INTRO,
        S::SIMULATE_COMING,
        placeholder_lines(&w.scenario),
    );
}

/// A placeholder screen: intro, what will appear, and what the scenario provides.
pub fn draw_placeholder(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    title: &str,
    intro: &str,
    coming: &str,
    known: Vec<(String, Vec<String>)>,
) {
    let t = &app.theme;
    let inner_w = (area.width as usize).saturating_sub(2);
    let text_h = super::wrap(intro, inner_w, usize::MAX).len()
        + 1
        + super::wrap(coming, inner_w, usize::MAX).len();
    let top_h = u16::try_from(text_h + 2).unwrap_or(8).min(area.height / 2);
    let [top, bottom] =
        Layout::vertical([Constraint::Length(top_h), Constraint::Min(1)]).areas(area);
    let text = vec![
        Line::styled(intro.to_string(), t.title()),
        Line::raw(""),
        Line::styled(coming.to_string(), t.dim()),
    ];
    frame.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: true })
            .block(pane(title, true, app)),
        top,
    );
    let mut lines = vec![];
    for (title, ls) in known {
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(title, t.section()));
        lines.extend(ls.into_iter().map(|l| Line::raw(format!("  {l}"))));
    }
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(pane(
            "What the scenario provides",
            false,
            app,
        )),
        bottom,
    );
}
