//! The keymap: every key the workbench understands, in one table.
//!
//! One job: map a key press in a context to a [`Cmd`]. The help overlay and the bottom key-hint
//! bar are generated from [`BINDINGS`], so what they say is what the keys do.

use super::forms::FormKind;
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
    /// Budget's sectors table.
    Budget,
    /// Budget's activities of one sector.
    BudgetActivities,
    /// Budget, both views.
    BudgetAll,
    /// The MACC view (sectors hidden): only leaving it and saving apply.
    BudgetMacc,
    Simulate,
    /// Simulate when chart and table do not fit together.
    SimulateSmall,
    Registry,
    /// Registry sandbox (the session's own ledger).
    Sandbox,
    Readiness,
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
            Ctx::Budget => "Budget — sectors",
            Ctx::BudgetActivities => "Budget — a sector's activities",
            Ctx::BudgetAll => "Budget",
            Ctx::BudgetMacc => "Budget — MACC view",
            Ctx::Simulate => "Simulate",
            Ctx::SimulateSmall => "Simulate — small terminal",
            Ctx::Registry => "Registry",
            Ctx::Sandbox => "Registry — sandbox",
            Ctx::Readiness => "Readiness",
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
    Participant,
    Group,
    Export,
    ExportDir,
    Undo,
    Redo,
    Submit,
    Cancel,
    Edit,
    Revert,
    Macc,
    SaveAs,
    Inc,
    Dec,
    Study,
    Compare,
    Pane,
    View,
    Filter,
    Sandbox,
    Form(super::forms::FormKind),
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
#[rustfmt::skip]
pub const BINDINGS: &[Binding] = &[
    // Popups and help come first: they capture keys.
    b(Popup, &[code(KeyCode::Enter)], "Enter", Cmd::Submit, "accept", "accept"),
    b(Popup, &[code(KeyCode::Esc)], "Esc", Cmd::Cancel, "cancel", "cancel"),
    b(Help, &[code(KeyCode::Esc), ch('?')], "Esc/?", Cmd::Cancel, "close help", "close"),
    b(Help, &[ch('q')], "q", Cmd::Quit, "quit", "quit"),
    // Editor: everything else is typed into the answer.
    b(Editor, &[code(KeyCode::Esc)], "Esc", Cmd::Back, "stop editing (the answer is saved as you type)", "stop editing"),
    b(Editor, &[ctrl('z'), ctrl('u')], "Ctrl-Z", Cmd::Undo, "undo (also Ctrl-U)", "undo"),
    b(Editor, &[ctrl('y'), ctrl('r')], "Ctrl-Y", Cmd::Redo, "redo (also Ctrl-R)", "redo"),
    // Home
    b(Home, &[code(KeyCode::Enter)], "Enter", Cmd::Open, "open the selected scenario or session", "open"),
    b(Home, &[ch('c')], "c", Cmd::Continue, "continue where I left off", "continue"),
    b(Home, &[ch('p')], "p", Cmd::Participant, "change who is answering (reopens the scenario as them)", "who"),
    // Questions
    b(Questions, &[code(KeyCode::Enter), ch('e')], "Enter", Cmd::Open, "write or edit the answer (also e)", "answer"),
    b(Questions, &[code(KeyCode::PageDown)], "PgDn PgUp", Cmd::PageDown, "scroll the facts panel", "facts"),
    b(Questions, &[code(KeyCode::PageUp)], "", Cmd::PageUp, "", ""),
    b(Discuss, &[ch('g')], "g", Cmd::Group, "tag the answer with a group name", "group"),
    // Budget
    b(Budget, &[code(KeyCode::Enter)], "Enter", Cmd::Open, "show the sector's activities (also → l)", "activities"),
    b(Budget, &[ch('e')], "e", Cmd::Edit, "edit the sector's BAU", "edit BAU"),
    b(Budget, &[ch('m')], "m", Cmd::Macc, "MACC view: activities by cost, p*", "MACC"),
    b(BudgetActivities, &[code(KeyCode::Esc), code(KeyCode::Backspace)], "Esc", Cmd::Back, "back to the sectors (also ← on the first field)", "back"),
    b(BudgetActivities, &[ch('e'), code(KeyCode::Enter)], "e", Cmd::Edit, "edit the selected field (←→ choose the field; also Enter)", "edit"),
    b(BudgetMacc, &[ch('m'), code(KeyCode::Esc)], "m Esc", Cmd::Macc, "back to the sector table", "sectors"),
    b(BudgetMacc, &[ch('S')], "S", Cmd::SaveAs, "save the edited scenario as a new file", "save as"),
    b(BudgetAll, &[ch('x')], "x", Cmd::Revert, "revert the selected value to the scenario's", "revert"),
    b(BudgetAll, &[ch('S')], "S", Cmd::SaveAs, "save the edited scenario as a new file", "save as"),
    // Simulate
    b(Simulate, &[ch('+'), ch('='), code(KeyCode::Right), ch('l')], "←→ +-", Cmd::Inc, "change the selected parameter", "change"),
    b(Simulate, &[ch('-'), code(KeyCode::Left), ch('h')], "", Cmd::Dec, "", ""),
    b(Simulate, &[code(KeyCode::Enter)], "Enter", Cmd::Open, "type a value (shares, cap, volume)", "type"),
    b(Simulate, &[ch('u')], "u", Cmd::Study, "uncertainty study (2,000 runs; Esc cancels)", "uncertainty"),
    b(Simulate, &[ch('c')], "c", Cmd::Compare, "compare with another CA method (again: next, off)", "compare"),
    b(SimulateSmall, &[ch('t')], "t", Cmd::Pane, "chart ↔ per-year table (when both do not fit)", "chart/table"),
    // Registry
    b(Registry, &[ch('v')], "v", Cmd::View, "next view: accounts, blocks, explorer, drills", "view"),
    b(Registry, &[ch('/')], "/", Cmd::Filter, "filter the explorer by serial or text", "filter"),
    b(Registry, &[code(KeyCode::Enter)], "Enter", Cmd::Open, "life story of the selected units", "life"),
    b(Registry, &[ch('s')], "s", Cmd::Sandbox, "simulation ledger ↔ your sandbox ledger", "sandbox"),
    b(Sandbox, &[ch('i')], "i", Cmd::Form(FormKind::Issue), "issue units (sandbox)", "issue"),
    b(Sandbox, &[ch('a')], "a", Cmd::Form(FormKind::Authorize), "authorize MOs as ITMOs (sandbox)", "authorize"),
    b(Sandbox, &[ch('t')], "t", Cmd::Form(FormKind::Transfer), "transfer, e.g. the first transfer to the partner", "transfer"),
    b(Sandbox, &[ch('r')], "r", Cmd::Form(FormKind::Retire), "retire for a named beneficiary", "retire"),
    b(Sandbox, &[ch('c')], "c", Cmd::Form(FormKind::Cancel), "cancel (voluntary or OMGE)", "cancel"),
    // Readiness
    b(Readiness, &[ch('a')], "a", Cmd::View, "Article 6.2 / 6.4 / 6.8 comparison", "6.2/6.4/6.8"),
    // Report
    b(Report, &[ch('e')], "e", Cmd::Export, "export the answers (Markdown, CSV, JSON)", "export"),
    b(Report, &[ch('d')], "d", Cmd::ExportDir, "choose the export folder", "folder"),
    // Everywhere
    // A row with an empty label continues the row above it in help.
    b(Global, &[ch('j'), code(KeyCode::Down)], "↓↑ jk", Cmd::Down, "move down / up", "move"),
    b(Global, &[ch('k'), code(KeyCode::Up)], "", Cmd::Up, "", ""),
    b(Global, &[ch('h'), code(KeyCode::Left)], "←→ hl", Cmd::Left, "back / open", ""),
    b(Global, &[ch('l'), code(KeyCode::Right)], "", Cmd::Right, "", ""),
    b(Global, &[code(KeyCode::PageDown)], "PgDn PgUp", Cmd::PageDown, "page down / up", ""),
    b(Global, &[code(KeyCode::PageUp)], "", Cmd::PageUp, "", ""),
    b(Global, &[code(KeyCode::Home)], "Home End", Cmd::First, "first / last", ""),
    b(Global, &[code(KeyCode::End)], "", Cmd::Last, "", ""),
    b(Global, &[code(KeyCode::Tab)], "Tab S-Tab", Cmd::NextTab, "next / previous screen", ""),
    b(Global, &[code(KeyCode::BackTab)], "", Cmd::PrevTab, "", ""),
    b(Global, &[ch('0')], "0-7", Cmd::Tab(0), "open a screen: 0 Home, 1 Reflect … 6 Report, 7 Readiness", "screens"),
    b(Global, &[ch('1')], "", Cmd::Tab(1), "", ""),
    b(Global, &[ch('2')], "", Cmd::Tab(2), "", ""),
    b(Global, &[ch('3')], "", Cmd::Tab(3), "", ""),
    b(Global, &[ch('4')], "", Cmd::Tab(4), "", ""),
    b(Global, &[ch('5')], "", Cmd::Tab(5), "", ""),
    b(Global, &[ch('6')], "", Cmd::Tab(6), "", ""),
    b(Global, &[ch('7')], "", Cmd::Tab(7), "", ""),
    b(Global, &[code(KeyCode::Esc)], "Esc", Cmd::Back, "back / close / cancel a running study", ""),
    b(Global, &[ch('?')], "?", Cmd::Help, "help for this screen", "help"),
    b(Global, &[ch('q')], "q", Cmd::Quit, "quit (everything is already saved)", "quit"),
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

/// Hint-bar entries for the contexts, first context first: (keys, word).
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
    }
    out
}

/// Help sections for the contexts: (title, [(keys, what)]). Rows with an empty label continue
/// the row above (their keys are named there).
pub fn help(ctxs: &[Ctx]) -> Vec<(&'static str, Vec<(&'static str, &'static str)>)> {
    ctxs.iter()
        .map(|c| {
            (
                c.title(),
                BINDINGS
                    .iter()
                    .filter(|b| b.ctx == *c && !b.label.is_empty())
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
            Ctx::BudgetActivities,
            Ctx::BudgetAll,
            Ctx::BudgetMacc,
            Ctx::Simulate,
            Ctx::SimulateSmall,
            Ctx::Registry,
            Ctx::Sandbox,
            Ctx::Readiness,
            Ctx::Report,
            Ctx::Editor,
            Ctx::Popup,
        ]) {
            assert!(
                BINDINGS
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
