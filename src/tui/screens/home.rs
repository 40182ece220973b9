//! Home: prepared scenarios, scenarios in `./scenarios` and the data folder, recent sessions
//! with their progress, and "continue where I left off".
//!
//! The list and details panes are drawn through `cells.rs`, keyed by their paragraph and area.

use crate::tui::app::{Action, App, HomeItem};
use crate::tui::cells;
use crate::tui::hits::Target;
use crate::tui::keymap::{self, Cmd, Ctx};
use crate::tui::strings as S;
use crate::tui::ui::pane;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// Home's own keys.
pub fn handle_key(_app: &App, key: &KeyEvent) -> Option<Action> {
    match keymap::lookup(Ctx::Home, key)? {
        Cmd::Open => Some(Action::Activate),
        Cmd::Continue => Some(Action::ContinueLast),
        Cmd::Participant => Some(Action::ChangeParticipant),
        _ => None,
    }
}

fn item_line(app: &App, item: &HomeItem) -> String {
    match item {
        HomeItem::Continue(i) => match app.home.sessions.get(*i) {
            Some(s) => format!(
                "▶ {}: {}, {}/{} — {}",
                S::HOME_CONTINUE,
                s.participant,
                s.answered,
                s.total.map(|t| t.to_string()).unwrap_or_else(|| "?".into()),
                s.scenario_title,
            ),
            None => S::HOME_CONTINUE.to_string(),
        },
        HomeItem::Scenario(c) => {
            let mark = if c.illustrative && !c.title.to_lowercase().contains("illustrative") {
                " [illustrative]"
            } else {
                ""
            };
            format!("{}{mark} · {}", c.title, c.id)
        }
        HomeItem::Session(i) => match app.home.sessions.get(*i) {
            Some(s) => format!(
                "{}, {}/{} answered — {}",
                s.participant,
                s.answered,
                s.total.map(|t| t.to_string()).unwrap_or_else(|| "?".into()),
                s.scenario_title,
            ),
            None => String::new(),
        },
    }
}

/// Lines of the list, the line index of the selected entry, and the line of every entry.
fn list_lines(app: &App, width: usize) -> (Vec<Line<'static>>, usize, Vec<usize>) {
    let t = &app.theme;
    let items = app.home.items();
    let mut lines = vec![];
    let mut selected_line = 0;
    let heading = |lines: &mut Vec<Line<'static>>, s: &str| {
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(s.to_string(), t.section()));
    };
    let h = &app.home;
    let groups: [(&str, usize); 5] = [
        (S::HOME_CONTINUE, usize::from(!h.sessions.is_empty())),
        (S::HOME_BUILTIN, h.builtins.len()),
        (S::HOME_LOCAL, h.local.len()),
        (S::HOME_DATA, h.data.len()),
        (S::HOME_SESSIONS, h.sessions.len()),
    ];
    let mut idx = 0;
    let mut at = vec![];
    for (title, n) in groups {
        if n == 0 {
            if title == S::HOME_SESSIONS {
                heading(&mut lines, title);
                lines.push(Line::styled(
                    format!("  {}", S::HOME_EMPTY_SESSIONS),
                    t.dim(),
                ));
            }
            continue;
        }
        if title != S::HOME_CONTINUE {
            heading(&mut lines, title);
        }
        for item in items.iter().skip(idx).take(n) {
            let sel = idx == app.home_sel;
            at.push(lines.len());
            if sel {
                selected_line = lines.len();
            }
            let text = super::ellipsize(
                &format!("{}{}", if sel { "› " } else { "  " }, item_line(app, item)),
                width,
            );
            lines.push(if sel {
                Line::styled(text, t.selected())
            } else {
                Line::raw(text)
            });
            idx += 1;
        }
    }
    for p in &h.problems {
        lines.push(Line::styled(format!("! {p}"), t.error()));
    }
    (lines, selected_line, at)
}

fn details(app: &App) -> Vec<Line<'static>> {
    let t = &app.theme;
    let items = app.home.items();
    let mut out = vec![];
    match items.get(app.home_sel) {
        Some(HomeItem::Scenario(c)) => {
            out.push(Line::styled(c.title.clone(), t.title()));
            out.push(Line::raw(format!("id: {}", c.id)));
            out.push(Line::raw(format!("party: {}", c.party)));
            out.push(Line::raw(format!(
                "{} sectors, {} activities",
                c.sectors, c.activities
            )));
            out.push(Line::raw(format!("from: {}", c.origin)));
            if c.illustrative {
                out.push(Line::styled(
                    format!(
                        "{}: some figures are invented for teaching",
                        S::ILLUSTRATIVE
                    ),
                    t.illustrative(),
                ));
            }
            if let Some(d) = &c.description {
                out.push(Line::raw(""));
                out.push(Line::raw(d.clone()));
            }
            out.push(Line::raw(""));
            out.push(Line::from(vec![
                Span::styled("Enter", t.key()),
                Span::raw(" opens it with your session"),
            ]));
        }
        Some(HomeItem::Continue(i)) | Some(HomeItem::Session(i)) => {
            if let Some(s) = app.home.sessions.get(*i) {
                out.push(Line::styled(s.scenario_title.clone(), t.title()));
                out.push(Line::raw(format!("participant: {}", s.participant)));
                out.push(Line::raw(format!("scenario: {}", s.scenario_id)));
                out.push(Line::raw(format!(
                    "answered: {} of {}",
                    s.answered,
                    s.total.map(|t| t.to_string()).unwrap_or_else(|| "?".into())
                )));
                out.push(Line::raw(""));
                out.push(Line::from(vec![
                    Span::styled("Enter", t.key()),
                    Span::raw(" continues this session"),
                ]));
            }
        }
        None => out.push(Line::raw("No scenarios found.")),
    }
    out
}

/// Draw Home.
pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let [intro, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    frame.render_widget(
        Paragraph::new(format!(" {}", S::HOME_INTRO)).style(app.theme.dim()),
        intro,
    );
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(rest);
    let block = pane(S::HOME_TITLE, true, app);
    let inner = block.inner(left);
    let (lines, sel, at) = list_lines(app, inner.width as usize);
    let inner_h = inner.height as usize;
    let offset = sel.saturating_sub(inner_h.saturating_sub(2));
    for (i, line) in at.into_iter().enumerate() {
        if let Some(dy) = line.checked_sub(offset) {
            app.hits.row(inner, dy, Target::HomeItem(i));
        }
    }
    let offset = u16::try_from(offset).unwrap_or(0);
    cells::paragraph(
        frame,
        "home.list",
        left,
        Paragraph::new(lines).block(block).scroll((offset, 0)),
    );
    cells::paragraph(
        frame,
        "home.details",
        right,
        Paragraph::new(details(app))
            .wrap(Wrap { trim: true })
            .block(pane("Details", false, app)),
    );
}
