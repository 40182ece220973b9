//! The keymap: every key the workbench understands, in one table.
//!
//! One job: map a key press in a context to a [`Cmd`]. The help overlay and the bottom key-hint
//! bar are generated from [`BINDINGS`], so what they say is what the keys do.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ctx {
    /// Anywhere outside text fields.
    Global,
    Home,
    /// Reflect and Discuss question lists.
    Questions,
    /// Discuss only.
    Discuss,
    Budget,
    Report,
    /// The answer editor.
    Editor,
    /// A small popup with a text field.
    Popup,
    /// The help overlay.
    Help,
}

impl Ctx {
    pub fn title(self) -> &'static str {
        match self {
            Ctx::Global => "Everywhere",
            Ctx::Home => "Home",
            Ctx::Questions => "Questions",
            Ctx::Discuss => "Discuss",
            Ctx::Budget => "Budget",
            Ctx::Report => "Report",
            Ctx::Editor => "Answer editor",
            Ctx::Popup => "Popup",
            Ctx::Help => "Help",
        }
    }
}

/// What a key asks for. Screens turn commands into [`super::app::Action`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmd {
    Quit,
    Help,
    Tab(u8),
    NextTab,
    PrevTab,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    First,
    Last,
    Open,
    Back,
    Continue,
    Group,
    Export,
    ExportDir,
    Undo,
    Redo,
    Submit,
    Cancel,
}

/// One key (code + required modifiers; Shift is ignored for characters).
#[derive(Debug, Clone, Copy)]
pub struct K(pub KeyCode, pub KeyModifiers);

const N: KeyModifiers = KeyModifiers::NONE;
const C: KeyModifiers = KeyModifiers::CONTROL;

const fn ch(c: char) -> K {
    K(KeyCode::Char(c), N)
}
const fn ctrl(c: char) -> K {
    K(KeyCode::Char(c), C)
}
const fn code(c: KeyCode) -> K {
    K(c, N)
}

/// A binding: keys, context, command, how help shows it, and the hint-bar word ("" = not in
/// the hint bar).
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub ctx: Ctx,
    pub keys: &'static [K],
    pub label: &'static str,
    pub cmd: Cmd,
    pub help: &'static str,
    pub hint: &'static str,
}

const fn b(
    ctx: Ctx,
    keys: &'static [K],
    label: &'static str,
    cmd: Cmd,
    help: &'static str,
    hint: &'static str,
) -> Binding {
    Binding {
        ctx,
        keys,
        label,
        cmd,
        help,
        hint,
    }
}

use Ctx::*;

/// Every binding. Order is the order in help and in the hint bar.
pub const BINDINGS: &[Binding] = &[
    // Popups and help come first: they capture keys.
    b(
        Popup,
        &[code(KeyCode::Enter)],
        "Enter",
        Cmd::Submit,
        "accept",
        "accept",
    ),
    b(
        Popup,
        &[code(KeyCode::Esc)],
        "Esc",
        Cmd::Cancel,
        "cancel",
        "cancel",
    ),
    b(
        Help,
        &[code(KeyCode::Esc), ch('?')],
        "Esc/?",
        Cmd::Cancel,
        "close help",
        "close",
    ),
    b(Help, &[ch('q')], "q", Cmd::Quit, "quit", "quit"),
    // Editor: everything else is typed into the answer.
    b(
        Editor,
        &[code(KeyCode::Esc)],
        "Esc",
        Cmd::Back,
        "stop editing (the answer is saved as you type)",
        "stop editing",
    ),
    b(
        Editor,
        &[ctrl('z'), ctrl('u')],
        "Ctrl-Z",
        Cmd::Undo,
        "undo (also Ctrl-U)",
        "undo",
    ),
    b(
        Editor,
        &[ctrl('y'), ctrl('r')],
        "Ctrl-Y",
        Cmd::Redo,
        "redo (also Ctrl-R)",
        "redo",
    ),
    // Home
    b(
        Home,
        &[code(KeyCode::Enter)],
        "Enter",
        Cmd::Open,
        "open the selected scenario or session",
        "open",
    ),
    b(
        Home,
        &[ch('c')],
        "c",
        Cmd::Continue,
        "continue where I left off",
        "continue",
    ),
    // Questions
    b(
        Questions,
        &[code(KeyCode::Enter), ch('e')],
        "Enter",
        Cmd::Open,
        "write or edit the answer (also e)",
        "answer",
    ),
    b(
        Questions,
        &[code(KeyCode::PageUp)],
        "PgUp",
        Cmd::PageUp,
        "scroll the facts panel up",
        "",
    ),
    b(
        Questions,
        &[code(KeyCode::PageDown)],
        "PgDn",
        Cmd::PageDown,
        "scroll the facts panel down",
        "facts",
    ),
    b(
        Discuss,
        &[ch('g')],
        "g",
        Cmd::Group,
        "tag the answer with a group name",
        "group",
    ),
    // Budget
    b(
        Budget,
        &[code(KeyCode::Enter)],
        "Enter",
        Cmd::Open,
        "show the sector's activities",
        "activities",
    ),
    b(
        Budget,
        &[code(KeyCode::Esc), code(KeyCode::Backspace)],
        "Esc",
        Cmd::Back,
        "back to the sectors",
        "back",
    ),
    // Report
    b(
        Report,
        &[ch('e')],
        "e",
        Cmd::Export,
        "export the answers (Markdown, CSV, JSON)",
        "export",
    ),
    b(
        Report,
        &[ch('d')],
        "d",
        Cmd::ExportDir,
        "choose the export folder",
        "folder",
    ),
    // Everywhere
    b(
        Global,
        &[ch('j'), code(KeyCode::Down)],
        "↓ j",
        Cmd::Down,
        "move down",
        "move",
    ),
    b(
        Global,
        &[ch('k'), code(KeyCode::Up)],
        "↑ k",
        Cmd::Up,
        "move up",
        "",
    ),
    b(
        Global,
        &[ch('h'), code(KeyCode::Left)],
        "← h",
        Cmd::Left,
        "left / back",
        "",
    ),
    b(
        Global,
        &[ch('l'), code(KeyCode::Right)],
        "→ l",
        Cmd::Right,
        "right / open",
        "",
    ),
    b(
        Global,
        &[code(KeyCode::PageUp)],
        "PgUp",
        Cmd::PageUp,
        "page up",
        "",
    ),
    b(
        Global,
        &[code(KeyCode::PageDown)],
        "PgDn",
        Cmd::PageDown,
        "page down",
        "",
    ),
    b(
        Global,
        &[code(KeyCode::Home)],
        "Home",
        Cmd::First,
        "first",
        "",
    ),
    b(Global, &[code(KeyCode::End)], "End", Cmd::Last, "last", ""),
    b(
        Global,
        &[code(KeyCode::Tab)],
        "Tab",
        Cmd::NextTab,
        "next screen",
        "",
    ),
    b(
        Global,
        &[code(KeyCode::BackTab)],
        "Shift-Tab",
        Cmd::PrevTab,
        "previous screen",
        "",
    ),
    b(Global, &[ch('0')], "0", Cmd::Tab(0), "Home", ""),
    b(Global, &[ch('1')], "1", Cmd::Tab(1), "Reflect", ""),
    b(Global, &[ch('2')], "2", Cmd::Tab(2), "Discuss", ""),
    b(Global, &[ch('3')], "3", Cmd::Tab(3), "Budget", ""),
    b(Global, &[ch('4')], "4", Cmd::Tab(4), "Simulate", ""),
    b(Global, &[ch('5')], "5", Cmd::Tab(5), "Registry", ""),
    b(Global, &[ch('6')], "6", Cmd::Tab(6), "Report", ""),
    b(
        Global,
        &[ch('?')],
        "?",
        Cmd::Help,
        "help for this screen",
        "help",
    ),
    b(
        Global,
        &[ch('q')],
        "q",
        Cmd::Quit,
        "quit (everything is already saved)",
        "quit",
    ),
];

/// Does `key` match `k`? Shift is ignored for characters (`?` arrives with Shift).
fn matches(k: &K, key: &KeyEvent) -> bool {
    let mods = key.modifiers - KeyModifiers::SHIFT;
    match (k.0, key.code) {
        (KeyCode::Char(a), KeyCode::Char(b)) => {
            if k.1.contains(KeyModifiers::CONTROL) {
                mods.contains(KeyModifiers::CONTROL) && a.eq_ignore_ascii_case(&b)
            } else {
                a == b && !mods.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
            }
        }
        (KeyCode::BackTab, KeyCode::BackTab) => true,
        (a, b) => a == b && mods == k.1 - KeyModifiers::SHIFT,
    }
}

/// The command bound to `key` in `ctx`.
pub fn lookup(ctx: Ctx, key: &KeyEvent) -> Option<Cmd> {
    BINDINGS
        .iter()
        .filter(|b| b.ctx == ctx)
        .find(|b| b.keys.iter().any(|k| matches(k, key)))
        .map(|b| b.cmd)
}

/// Ctrl-C quits from anywhere (everything is saved as it is typed).
pub fn is_interrupt(key: &KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL)
        && matches!(key.code, KeyCode::Char('c') | KeyCode::Char('C'))
}

/// Hint-bar entries for the contexts, first context first: (keys, word). The screen keys
/// `0-6` are shown as one entry.
pub fn hints(ctxs: &[Ctx]) -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&'static str, &'static str)> = vec![];
    for c in ctxs {
        for b in BINDINGS
            .iter()
            .filter(|b| b.ctx == *c && !b.hint.is_empty())
        {
            if !out.iter().any(|(l, _)| *l == b.label) {
                out.push((b.label, b.hint));
            }
        }
        if *c == Ctx::Global {
            let at = out.len().saturating_sub(2);
            out.insert(at, ("0-6 Tab", "screens"));
        }
    }
    out
}

/// Help sections for the contexts: (title, [(keys, what)]).
pub fn help(ctxs: &[Ctx]) -> Vec<(&'static str, Vec<(&'static str, &'static str)>)> {
    ctxs.iter()
        .map(|c| {
            (
                c.title(),
                BINDINGS
                    .iter()
                    .filter(|b| b.ctx == *c)
                    .map(|b| (b.label, b.help))
                    .collect(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(c, m)
    }

    #[test]
    fn question_mark_with_shift_is_help() {
        assert_eq!(
            lookup(Ctx::Global, &key(KeyCode::Char('?'), KeyModifiers::SHIFT)),
            Some(Cmd::Help)
        );
    }

    #[test]
    fn every_hint_is_a_bound_key() {
        for (label, _) in hints(&[
            Ctx::Global,
            Ctx::Home,
            Ctx::Questions,
            Ctx::Discuss,
            Ctx::Budget,
            Ctx::Report,
            Ctx::Editor,
            Ctx::Popup,
        ]) {
            assert!(
                label == "0-6 Tab"
                    || BINDINGS
                        .iter()
                        .any(|b| b.label == label && !b.keys.is_empty()),
                "{label}"
            );
        }
    }

    #[test]
    fn ctrl_z_undoes_only_with_control() {
        assert_eq!(
            lookup(Ctx::Editor, &key(KeyCode::Char('z'), KeyModifiers::CONTROL)),
            Some(Cmd::Undo)
        );
        assert_eq!(
            lookup(Ctx::Editor, &key(KeyCode::Char('z'), KeyModifiers::NONE)),
            None
        );
    }
}
