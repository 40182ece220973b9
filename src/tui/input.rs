//! Terminal events → actions.
//!
//! One job: route a key to the one place that handles it. Popups and help capture keys first,
//! then the answer editor (everything not bound there is typed), then the current screen's
//! `handle_key`, then the global keymap. Only key presses count (not repeats or releases).
//! While the terminal is smaller than the workbench needs, nothing is drawn but a notice, so
//! keys, pastes and clicks are dropped (a participant cannot see what they would change); only
//! Ctrl-C and a resize get through.

use super::app::{Action, App, Move, Screen};
use super::keymap::{self, Cmd, Ctx};
use super::screens;
use ratatui::crossterm::event::{Event, KeyEvent, KeyEventKind, MouseButton, MouseEventKind};
use ratatui_textarea::Input;

/// The action for a terminal event, if any.
pub fn event_to_action(app: &App, ev: Event) -> Option<Action> {
    if too_small(app.size) {
        return match ev {
            Event::Resize(w, h) => Some(Action::Resize(w, h)),
            Event::Key(k) if k.kind == KeyEventKind::Press && keymap::is_interrupt(&k) => {
                Some(Action::Quit)
            }
            _ => None,
        };
    }
    match ev {
        Event::Key(k) => key_to_action(app, &k),
        Event::Paste(s) => Some(Action::Paste(s)),
        Event::Resize(w, h) => Some(Action::Resize(w, h)),
        Event::Mouse(m) if app.mouse => match m.kind {
            MouseEventKind::Down(MouseButton::Left) => Some(Action::Click(m.column, m.row)),
            MouseEventKind::ScrollDown if app.popup.is_none() && !app.editing() => {
                Some(Action::Move(Move::Down))
            }
            MouseEventKind::ScrollUp if app.popup.is_none() && !app.editing() => {
                Some(Action::Move(Move::Up))
            }
            _ => None,
        },
        _ => None,
    }
}

/// Whether a terminal of this size shows only the "too small" notice.
fn too_small((w, h): (u16, u16)) -> bool {
    w < super::ui::MIN_W || h < super::ui::MIN_H
}

/// The action for a key press, if any.
pub fn key_to_action(app: &App, key: &KeyEvent) -> Option<Action> {
    if key.kind != KeyEventKind::Press {
        return None;
    }
    if keymap::is_interrupt(key) {
        return Some(Action::Quit);
    }
    if app.popup.is_some() {
        return match keymap::lookup(Ctx::Popup, key) {
            Some(Cmd::Submit) => Some(Action::Activate),
            Some(Cmd::Cancel) => Some(Action::Escape),
            _ => Some(Action::EditKey(Input::from(*key))),
        };
    }
    if app.help {
        return match keymap::lookup(Ctx::Help, key) {
            Some(Cmd::Quit) => Some(Action::Quit),
            Some(Cmd::Cancel) => Some(Action::ToggleHelp),
            _ => None,
        };
    }
    if app.editing() {
        return match keymap::lookup(Ctx::Editor, key) {
            Some(Cmd::Back) => Some(Action::Escape),
            Some(Cmd::Undo) => Some(Action::Undo),
            Some(Cmd::Redo) => Some(Action::Redo),
            _ => Some(Action::EditKey(Input::from(*key))),
        };
    }
    let own = match app.screen {
        Screen::Home => screens::home::handle_key(app, key),
        Screen::Reflect | Screen::Discuss => screens::reflect::handle_key(app, key),
        Screen::Budget => screens::budget::handle_key(app, key),
        Screen::Simulate => screens::simulate::handle_key(app, key),
        Screen::Registry => screens::registry::handle_key(app, key),
        Screen::Report => screens::report::handle_key(app, key),
        Screen::Readiness => screens::readiness::handle_key(app, key),
    };
    own.or_else(|| global(key))
}

fn global(key: &KeyEvent) -> Option<Action> {
    Some(match keymap::lookup(Ctx::Global, key)? {
        Cmd::Quit => Action::Quit,
        Cmd::Help => Action::ToggleHelp,
        Cmd::Tab(n) => Action::GoTo(Screen::from_index(usize::from(n))),
        Cmd::NextTab => Action::NextTab,
        Cmd::PrevTab => Action::PrevTab,
        Cmd::Up => Action::Move(Move::Up),
        Cmd::Down => Action::Move(Move::Down),
        Cmd::Left => Action::Move(Move::Left),
        Cmd::Right => Action::Move(Move::Right),
        Cmd::PageUp => Action::Move(Move::PageUp),
        Cmd::PageDown => Action::Move(Move::PageDown),
        Cmd::First => Action::Move(Move::First),
        Cmd::Last => Action::Move(Move::Last),
        Cmd::Back | Cmd::Cancel => Action::Escape,
        _ => return None,
    })
}
