//! The workbench state, the actions that change it and the pure `update` function.
//!
//! One job: state transitions. [`Action`] is the only way state changes; [`update`] applies one
//! and returns the [`Effect`]s (save, open, export, scan, quit) for the loop in `run.rs` to
//! perform. `update` does no IO: time comes from the injected `clock`, so tests are exact.

use super::derived::Derived;
use super::keymap::Ctx;
use super::params::Param;
use super::strings as S;
use super::theme::Theme;
use crate::registry::{Command, Ledger};
use crate::scenario::Scenario;
use crate::scenario::schema::CaMethodChoice;
use crate::simulate::montecarlo::{McParams, McResult, Progress};
use crate::workshop::pack::{Pack, Part, Question, Section};
use crate::workshop::session::{Session, SessionSummary};
use chrono::{DateTime, Utc};
use ratatui_textarea::{CursorMove, Input, TextArea, WrapMode};
use std::cell::RefCell;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;

/// The screens, in tab order (`0` Home, `1`–`6` the rest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Screen {
    Home,
    Reflect,
    Discuss,
    Budget,
    Simulate,
    Registry,
    Report,
    Readiness,
}

impl Screen {
    pub const ALL: [Screen; 8] = [
        Screen::Home,
        Screen::Reflect,
        Screen::Discuss,
        Screen::Budget,
        Screen::Simulate,
        Screen::Registry,
        Screen::Report,
        Screen::Readiness,
    ];
    pub fn index(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
    pub fn from_index(i: usize) -> Screen {
        Self::ALL.get(i).copied().unwrap_or(Screen::Home)
    }
    /// The name stored in the session.
    pub fn name(self) -> &'static str {
        match self {
            Screen::Home => "home",
            Screen::Reflect => "reflect",
            Screen::Discuss => "discuss",
            Screen::Budget => "budget",
            Screen::Simulate => "simulate",
            Screen::Registry => "registry",
            Screen::Report => "report",
            Screen::Readiness => "readiness",
        }
    }
    pub fn from_name(n: &str) -> Option<Screen> {
        Self::ALL.into_iter().find(|s| s.name() == n)
    }
    pub fn title(self) -> &'static str {
        S::TABS[self.index()]
    }
    /// The question part a screen shows, for Reflect and Discuss.
    pub fn part(self) -> Option<Part> {
        match self {
            Screen::Reflect => Some(Part::Reflect),
            Screen::Discuss => Some(Part::Discuss),
            _ => None,
        }
    }
}

/// How to find a scenario again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScenarioRef {
    Builtin(String),
    File(PathBuf),
}

impl ScenarioRef {
    /// From the `source` string a session stores (`builtin:<id>` or a path).
    pub fn from_source(s: &str) -> Self {
        match s.strip_prefix("builtin:") {
            Some(id) => ScenarioRef::Builtin(id.to_string()),
            None => ScenarioRef::File(PathBuf::from(s)),
        }
    }
}

/// A scenario as listed on Home.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioCard {
    pub reference: ScenarioRef,
    pub id: String,
    pub title: String,
    pub party: String,
    pub illustrative: bool,
    pub sectors: usize,
    pub activities: usize,
    pub description: Option<String>,
    /// Where it comes from, for people (`built in`, `scenarios/x.toml`).
    pub origin: String,
}

impl ScenarioCard {
    pub fn of(s: &Scenario, reference: ScenarioRef, origin: String) -> Self {
        ScenarioCard {
            reference,
            id: s.id().to_string(),
            title: s.title().to_string(),
            party: format!("{} ({})", s.file.party.name, s.file.party.code),
            illustrative: s.file.scenario.illustrative,
            sectors: s.file.sectors.len(),
            activities: s.file.activities.len(),
            description: s.file.scenario.description.clone(),
            origin,
        }
    }
}

/// What Home lists (gathered by the loop, see `run::scan_home`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HomeData {
    pub builtins: Vec<ScenarioCard>,
    pub local: Vec<ScenarioCard>,
    pub data: Vec<ScenarioCard>,
    pub sessions: Vec<SessionSummary>,
    /// Files that could not be read, one line each.
    pub problems: Vec<String>,
}

/// A selectable Home entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HomeItem {
    Continue(usize),
    Scenario(ScenarioCard),
    Session(usize),
}

impl HomeData {
    /// The selectable entries, in display order.
    pub fn items(&self) -> Vec<HomeItem> {
        let mut v = vec![];
        if !self.sessions.is_empty() {
            v.push(HomeItem::Continue(0));
        }
        for c in self.builtins.iter().chain(&self.local).chain(&self.data) {
            v.push(HomeItem::Scenario(c.clone()));
        }
        for i in 0..self.sessions.len() {
            v.push(HomeItem::Session(i));
        }
        v
    }
}

/// An open scenario with its pack and the participant's session.
#[derive(Debug, Clone)]
pub struct Workspace {
    pub scenario: Scenario,
    pub pack: Pack,
    pub session: Session,
    pub session_path: PathBuf,
}

impl Workspace {
    /// The questions of a part, grouped by section in pack order.
    pub fn questions(&self, part: Part) -> Vec<(&Section, &Question)> {
        self.pack.questions_in(part).collect()
    }
}

/// Reflect / Discuss view state.
#[derive(Debug, Clone, Default)]
pub struct QuestionsView {
    pub selected: usize,
    pub editing: bool,
    pub editor: TextArea<'static>,
    pub facts_scroll: u16,
}

/// Budget view state: the selected sector, and the drilled-in sector's selected activity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BudgetView {
    pub sector: usize,
    /// `Some(selected activity row)` while a sector's activities are shown.
    pub drilled: Option<usize>,
    /// The selected field of the activity (see `screens::budget::FIELDS`).
    pub field: usize,
    /// The MACC view instead of the sectors table.
    pub macc: bool,
}

/// A Monte Carlo study running on a background thread (see `run.rs`).
#[derive(Debug, Clone)]
pub struct StudyJob {
    pub id: u64,
    pub study: Arc<crate::simulate::montecarlo::Study>,
    pub volume: u64,
    pub params: McParams,
    pub progress: Arc<Progress>,
}

/// What the last uncertainty study gave.
#[derive(Debug, Clone, PartialEq)]
pub enum StudyResult {
    Done {
        result: McResult,
        volume: u64,
        confidence: f64,
        seed: u64,
    },
    Cancelled {
        done: usize,
        runs: usize,
    },
}

/// Simulate view state.
#[derive(Debug, Clone, Default)]
pub struct SimView {
    /// The selected parameter (index into `params::Param::ALL`).
    pub sel: usize,
    /// The method compared with, when comparing.
    pub compare: Option<CaMethodChoice>,
    pub study: Option<StudyJob>,
    pub result: Option<StudyResult>,
    pub(crate) next_job: u64,
    /// When chart and table do not fit together (small terminals): show the table, not the
    /// chart (`t` switches).
    pub table: bool,
}

/// The Registry's views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RegTab {
    #[default]
    Accounts,
    Blocks,
    Explorer,
    Drills,
}

impl RegTab {
    pub const ALL: [RegTab; 4] = [
        RegTab::Accounts,
        RegTab::Blocks,
        RegTab::Explorer,
        RegTab::Drills,
    ];
    pub fn title(self) -> &'static str {
        match self {
            RegTab::Accounts => "Accounts",
            RegTab::Blocks => "Blocks",
            RegTab::Explorer => "Explorer",
            RegTab::Drills => "Drills",
        }
    }
}

/// Registry view state.
#[derive(Debug, Clone, Default)]
pub struct RegistryView {
    pub tab: RegTab,
    pub sel: usize,
    /// Explorer filter: a serial (range, `PROJECT:UNIT` or unit number) or any text.
    pub filter: String,
    /// The serial whose life story is shown.
    pub life: Option<String>,
    /// Operate the session's own ledger instead of the simulation's.
    pub sandbox: bool,
    /// The selected drill.
    pub drill: usize,
    /// The last action's outcome in the sandbox (text, refused?).
    pub last: Option<(String, bool)>,
}

/// Readiness view state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadinessView {
    pub scroll: u16,
    /// Show the 6.2 / 6.4 / 6.8 comparison page.
    pub comparison: bool,
}

/// The sandbox ledger (the session's own registry journal), shared with the loop that executes
/// commands on it.
#[derive(Clone)]
pub struct Sandbox(pub Rc<RefCell<Ledger>>);

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sandbox")
    }
}

/// Report view state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportView {
    pub dir: String,
    /// The last export: file paths, or the error.
    pub last: Option<Result<Vec<String>, String>>,
}

impl Default for ReportView {
    fn default() -> Self {
        ReportView {
            dir: S::DEFAULT_EXPORT_DIR.into(),
            last: None,
        }
    }
}

/// A small popup with one text field.
#[derive(Debug, Clone)]
pub enum Popup {
    Participant(TextArea<'static>),
    Group {
        qid: String,
        field: TextArea<'static>,
    },
    ExportDir(TextArea<'static>),
    /// Budget: a new value for one field, checked as typed.
    BudgetEdit {
        path: String,
        label: String,
        field: TextArea<'static>,
        /// The loader's reason when the typed value is refused.
        error: Option<String>,
    },
    /// Budget: file name for "save as scenario".
    SaveScenario(TextArea<'static>),
    /// Simulate: a typed parameter value.
    Param {
        param: Param,
        field: TextArea<'static>,
        error: Option<String>,
    },
    /// Registry explorer filter.
    Filter(TextArea<'static>),
    /// Registry sandbox action form.
    Form(super::forms::Form),
}

/// A message line under the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

/// Movement commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    First,
    Last,
}

/// Everything that can happen. The only way state changes.
#[derive(Debug, Clone)]
pub enum Action {
    Quit,
    ToggleHelp,
    /// Close help or popup, leave the editor or a drill-down.
    Escape,
    GoTo(Screen),
    NextTab,
    PrevTab,
    Move(Move),
    /// Enter: open, start editing, drill in, accept a popup.
    Activate,
    /// A key typed into the focused text field (answer editor or popup field).
    EditKey(Input),
    Undo,
    Redo,
    /// Bracketed paste: inserted as one block.
    Paste(String),
    /// Discuss: tag the selected answer with a group name.
    TagGroup,
    /// Home: continue the most recent session.
    ContinueLast,
    /// Home: ask who is answering again (a shared laptop's next participant).
    ChangeParticipant,
    /// Report: export the answers.
    Export,
    /// Report: choose the export folder.
    ChooseExportDir,
    /// The terminal size changed (redraw only).
    Resize(u16, u16),
    /// Mouse click at (column, row), when the mouse is enabled (see `mouse.rs`).
    Click(u16, u16),
    /// Simulate on a small terminal: chart ↔ per-year table.
    TogglePane,
    // Results of effects, fed back by the loop:
    Opened(Box<Workspace>, Option<String>),
    Failed(String),
    Saved,
    SaveFailed(String),
    Exported(Vec<String>),
    ExportFailed(String),
    HomeScanned(HomeData),
    /// Edit the selected value (Budget field, Simulate parameter).
    Edit,
    /// Budget: revert the selected field's edit.
    Revert,
    /// Budget: sectors table ↔ MACC.
    ToggleMacc,
    /// Budget: save the edited scenario as a new file.
    SaveAsScenario,
    /// Simulate: step the selected parameter (+1 / −1).
    Adjust(i32),
    /// Simulate: run the uncertainty study.
    RunStudy,
    /// Simulate: compare with another method (cycles, then off).
    Compare,
    /// Registry: next view; Readiness: the comparison page.
    NextView,
    /// Registry: filter the explorer.
    Filter,
    /// Registry: simulation ledger ↔ sandbox.
    ToggleSandbox,
    /// Registry sandbox: open an action form.
    OpenForm(super::forms::FormKind),
    /// The loop's tick while a study runs (redraw progress).
    StudyTick,
    StudyDone(u64, Option<McResult>),
    ScenarioSaved(Result<String, String>),
    SandboxOpened(Result<Sandbox, String>),
    /// A sandbox command's outcome: Ok(summary) or Err(the rule that refused it).
    SandboxDone(Result<String, String>),
}

/// Work for the loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Write `work.session` to `work.session_path`.
    SaveSession,
    /// Load the scenario and its pack, open (or start) the participant's session.
    Open {
        scenario: ScenarioRef,
        participant: String,
    },
    /// Export the answers into the folder.
    Export {
        dir: PathBuf,
    },
    /// Re-read Home's lists.
    ScanHome,
    /// Write a scenario file (the text is validated already).
    WriteScenario {
        name: String,
        text: String,
    },
    /// Start the study `app.simulate.study` on a background thread.
    RunStudy(u64),
    /// Open (or create) the session's registry journal.
    OpenSandbox,
    /// Execute commands on the sandbox ledger (stops at the first refusal).
    Sandbox(Vec<Command>),
    Quit,
}

/// The whole workbench state.
#[derive(Debug, Clone)]
pub struct App {
    pub screen: Screen,
    pub work: Option<Workspace>,
    pub home: HomeData,
    pub home_sel: usize,
    pub participant: Option<String>,
    /// Suggested name for the participant popup.
    pub default_participant: String,
    pub popup: Option<Popup>,
    pub help: bool,
    pub notice: Option<Notice>,
    pub reflect: QuestionsView,
    pub discuss: QuestionsView,
    pub budget: BudgetView,
    pub report: ReportView,
    pub simulate: SimView,
    pub registry: RegistryView,
    pub readiness: ReadinessView,
    /// Edited scenario, budget and simulation of the open workspace.
    pub derived: Option<Derived>,
    pub sandbox: Option<Sandbox>,
    pub theme: Theme,
    pub mouse: bool,
    /// Where the last frame drew its clickable rows (written while drawing).
    pub hits: super::hits::Hits,
    pub size: (u16, u16),
    pub clock: fn() -> DateTime<Utc>,
    /// A scenario to open once the participant has a name.
    pub pending_open: Option<ScenarioRef>,
    save_failed: bool,
}

/// A fixed clock for tests and snapshots.
pub fn fixed_clock() -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp(1_767_225_600, 0).unwrap_or_default()
}

pub(crate) fn one_line_field(text: &str, theme: &Theme) -> TextArea<'static> {
    let mut t = TextArea::new(vec![text.to_string()]);
    t.move_cursor(CursorMove::End);
    t.set_cursor_line_style(ratatui::style::Style::new());
    t.set_cursor_style(theme.cursor());
    t
}

/// A one-line field holding a value to change (a parameter, a budget figure, a form's default):
/// the value starts selected, so typing replaces it (as Tab into a field does in a dialog)
/// instead of running on after it ("max" + "5000" was "max5000"); Backspace clears it, and
/// → / End / ← / Home keep it and put the cursor at its end ([`keep_selected_value`]).
pub(crate) fn prefilled_field(text: &str, theme: &Theme) -> TextArea<'static> {
    let mut t = one_line_field(text, theme);
    t.set_selection_style(theme.selected());
    select_value(&mut t);
    t
}

/// Select a field's whole value (nothing when it is empty).
pub(crate) fn select_value(t: &mut TextArea<'_>) {
    if t.lines().iter().any(|l| !l.is_empty()) {
        t.select_all();
    }
}

/// A cursor key in a field whose value is selected keeps the value: the selection ends and
/// the cursor stays at the end, where [`TextArea::select_all`] left it. True when it did.
pub(crate) fn keep_selected_value(t: &mut TextArea<'_>, key: &ratatui_textarea::Key) -> bool {
    use ratatui_textarea::Key;
    if t.is_selecting() && matches!(key, Key::Left | Key::Right | Key::Home | Key::End) {
        t.cancel_selection();
        return true;
    }
    false
}

pub(crate) fn field_text(t: &TextArea<'_>) -> String {
    t.lines().join(" ").trim().to_string()
}

impl App {
    /// A new workbench on Home. `participant` is the `--participant` name, if given.
    pub fn new(
        home: HomeData,
        participant: Option<String>,
        default_participant: String,
        theme: Theme,
        clock: fn() -> DateTime<Utc>,
    ) -> Self {
        App {
            screen: Screen::Home,
            work: None,
            home,
            home_sel: 0,
            participant: participant
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty()),
            default_participant,
            popup: None,
            help: false,
            notice: None,
            reflect: QuestionsView::default(),
            discuss: QuestionsView::default(),
            budget: BudgetView::default(),
            report: ReportView::default(),
            simulate: SimView::default(),
            registry: RegistryView::default(),
            readiness: ReadinessView::default(),
            derived: None,
            sandbox: None,
            theme,
            mouse: false,
            hits: super::hits::Hits::default(),
            size: (80, 24),
            clock,
            pending_open: None,
            save_failed: false,
        }
    }

    /// Ask for the participant's name (the popup), if it is not known yet.
    pub fn ask_participant(&mut self) {
        if self.participant.is_none() && self.popup.is_none() {
            self.popup = Some(Popup::Participant(prefilled_field(
                &self.default_participant,
                &self.theme,
            )));
        }
    }

    /// Open `scenario` now, or after the participant popup. Returns the effects.
    pub fn request_open(&mut self, scenario: ScenarioRef) -> Vec<Effect> {
        match &self.participant {
            Some(p) => vec![Effect::Open {
                scenario,
                participant: p.clone(),
            }],
            None => {
                self.pending_open = Some(scenario);
                self.ask_participant();
                vec![]
            }
        }
    }

    pub fn questions_view(&self, part: Part) -> &QuestionsView {
        match part {
            Part::Reflect => &self.reflect,
            Part::Discuss => &self.discuss,
        }
    }
    pub(crate) fn questions_view_mut(&mut self, part: Part) -> &mut QuestionsView {
        match part {
            Part::Reflect => &mut self.reflect,
            Part::Discuss => &mut self.discuss,
        }
    }

    /// Is the answer editor of the current screen active?
    pub fn editing(&self) -> bool {
        self.screen
            .part()
            .is_some_and(|p| self.questions_view(p).editing)
            && self.work.is_some()
    }

    /// The keymap contexts active now, most specific first (for keys, hints and help).
    pub fn contexts(&self) -> Vec<Ctx> {
        if self.popup.is_some() {
            return vec![Ctx::Popup];
        }
        if self.help {
            return vec![Ctx::Help];
        }
        if self.editing() {
            return vec![Ctx::Editor];
        }
        let mut v = vec![];
        if self.work.is_none() && self.screen != Screen::Home {
            return vec![Ctx::Global];
        }
        match self.screen {
            Screen::Home => v.push(Ctx::Home),
            Screen::Reflect => v.push(Ctx::Questions),
            Screen::Discuss => v.extend([Ctx::Questions, Ctx::Discuss]),
            Screen::Budget => v.extend(if self.budget.drilled.is_some() {
                vec![Ctx::BudgetActivities, Ctx::BudgetAll]
            } else if self.budget.macc {
                vec![Ctx::BudgetMacc]
            } else {
                vec![Ctx::Budget, Ctx::BudgetAll]
            }),
            Screen::Report => v.push(Ctx::Report),
            Screen::Simulate => {
                v.push(Ctx::Simulate);
                if self.hits.sim_panes.get() {
                    v.push(Ctx::SimulateSmall);
                }
            }
            Screen::Registry => {
                if self.registry.sandbox {
                    v.push(Ctx::Sandbox);
                }
                v.push(Ctx::Registry)
            }
            Screen::Readiness => v.push(Ctx::Readiness),
        }
        v.push(Ctx::Global);
        v
    }

    /// The selected question of a part.
    pub fn selected_question(&self, part: Part) -> Option<(&Section, &Question)> {
        let w = self.work.as_ref()?;
        w.questions(part)
            .get(self.questions_view(part).selected)
            .copied()
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    pub(crate) fn info(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            error: false,
        });
    }
    pub(crate) fn error(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice {
            text: text.into(),
            error: true,
        });
    }

    /// Record the screen and selections in the session (restored on reopening).
    pub(crate) fn remember_view(&mut self) -> Vec<Effect> {
        let screen = self.screen;
        let (r, d, b) = (
            self.reflect.selected,
            self.discuss.selected,
            self.budget.sector,
        );
        let Some(w) = self.work.as_mut() else {
            return vec![];
        };
        let before = w.session.view.clone();
        if screen != Screen::Home {
            w.session.view.screen = screen.name().to_string();
        }
        w.session.view.selection.insert("reflect".into(), r);
        w.session.view.selection.insert("discuss".into(), d);
        w.session.view.selection.insert("budget".into(), b);
        if w.session.view != before {
            vec![Effect::SaveSession]
        } else {
            vec![]
        }
    }

    /// Copy the editor's text into the session answer; save when it changed.
    fn sync_answer(&mut self, part: Part) -> Vec<Effect> {
        let now = self.now();
        let Some((_, q)) = self.selected_question(part) else {
            return vec![];
        };
        let qid = q.id.clone();
        let text = self.questions_view(part).editor.lines().join("\n");
        let Some(w) = self.work.as_mut() else {
            return vec![];
        };
        if w.session.set_answer(&qid, &text, now) {
            vec![Effect::SaveSession]
        } else {
            vec![]
        }
    }

    fn start_editing(&mut self, part: Part) {
        let Some((_, q)) = self.selected_question(part) else {
            return;
        };
        let text = self
            .work
            .as_ref()
            .map(|w| w.session.answer_text(&q.id).to_string())
            .unwrap_or_default();
        let theme = self.theme;
        let mut ed = TextArea::new(text.split('\n').map(str::to_string).collect());
        ed.set_wrap_mode(WrapMode::WordOrGlyph);
        ed.set_cursor_line_style(ratatui::style::Style::new());
        ed.set_cursor_style(theme.cursor());
        ed.set_placeholder_text(S::ANSWER_PLACEHOLDER);
        ed.set_placeholder_style(theme.dim());
        ed.move_cursor(CursorMove::Bottom);
        ed.move_cursor(CursorMove::End);
        let v = self.questions_view_mut(part);
        v.editor = ed;
        v.editing = true;
    }

    fn question_count(&self, part: Part) -> usize {
        self.work
            .as_ref()
            .map(|w| w.questions(part).len())
            .unwrap_or(0)
    }

    fn sector_count(&self) -> usize {
        self.work
            .as_ref()
            .map(|w| w.scenario.file.sectors.len())
            .unwrap_or(0)
    }

    /// Activities of the budget's selected sector.
    pub fn sector_activity_count(&self) -> usize {
        // The sector on the selected row of the table, in the (edited) scenario it shows.
        let s = match (&self.derived, &self.work) {
            (Some(d), _) => &*d.scenario,
            (None, Some(w)) => &w.scenario,
            (None, None) => return 0,
        };
        super::screens::budget::activity_ids(s, self.budget.sector).len()
    }

    fn go_to(&mut self, s: Screen) -> Vec<Effect> {
        self.screen = s;
        self.help = false;
        if s == Screen::Home {
            return vec![Effect::ScanHome];
        }
        self.remember_view()
    }

    /// Restore screen and selections from a freshly opened session.
    fn restore_view(&mut self) {
        let Some(w) = &self.work else { return };
        let view = w.session.view.clone();
        let nr = w.questions(Part::Reflect).len();
        let nd = w.questions(Part::Discuss).len();
        let ns = w.scenario.file.sectors.len();
        let sel = |k: &str, n: usize| {
            view.selection
                .get(k)
                .copied()
                .unwrap_or(0)
                .min(n.saturating_sub(1))
        };
        self.reflect = QuestionsView {
            selected: sel("reflect", nr),
            ..QuestionsView::default()
        };
        self.discuss = QuestionsView {
            selected: sel("discuss", nd),
            ..QuestionsView::default()
        };
        self.budget = BudgetView {
            sector: sel("budget", ns),
            ..BudgetView::default()
        };
        self.simulate = SimView::default();
        self.registry = RegistryView::default();
        self.readiness = ReadinessView::default();
        self.sandbox = None;
        self.recompute();
        self.report.last = None;
        self.screen = Screen::from_name(&view.screen)
            .filter(|s| *s != Screen::Home)
            .unwrap_or(Screen::Reflect);
    }
}

pub(crate) fn step(i: usize, n: usize, m: Move, page: usize) -> usize {
    if n == 0 {
        return 0;
    }
    let last = n - 1;
    match m {
        Move::Up => i.saturating_sub(1),
        Move::Down => (i + 1).min(last),
        Move::PageUp => i.saturating_sub(page),
        Move::PageDown => (i + page).min(last),
        Move::First => 0,
        Move::Last => last,
        Move::Left | Move::Right => i.min(last),
    }
}

/// Apply one action. Pure: no IO; returns the effects for the loop.
pub fn update(app: &mut App, action: Action) -> Vec<Effect> {
    // Results of effects are handled whatever the state.
    match action {
        Action::Opened(w, notice) => {
            let participant = w.session.participant.clone();
            app.work = Some(*w);
            app.participant = Some(participant);
            app.restore_view();
            app.notice = notice.map(|text| Notice { text, error: true });
            app.pending_open = None;
            return app.remember_view();
        }
        Action::Failed(msg) => {
            app.error(msg);
            return vec![];
        }
        Action::Saved => {
            if app.save_failed {
                app.save_failed = false;
                app.info("saved again");
            }
            return vec![];
        }
        Action::SaveFailed(msg) => {
            app.save_failed = true;
            app.error(format!("NOT SAVED: {msg} — your text is kept while the workbench runs; check the data folder"));
            return vec![];
        }
        Action::Exported(files) => {
            // Where they went, not only how many.
            app.info(format!(
                "exported {} files to {}",
                files.len(),
                app.report.dir
            ));
            app.report.last = Some(Ok(files));
            return vec![];
        }
        Action::ExportFailed(msg) => {
            app.error(format!("export failed: {msg}"));
            app.report.last = Some(Err(msg));
            return vec![];
        }
        Action::HomeScanned(h) => {
            app.home = h;
            app.home_sel = app.home_sel.min(app.home.items().len().saturating_sub(1));
            return vec![];
        }
        Action::Resize(w, h) => {
            app.size = (w, h);
            return vec![];
        }
        Action::Quit => return vec![Effect::Quit],
        Action::StudyTick => return vec![],
        Action::StudyDone(id, r) => {
            super::update2::study_done(app, id, r);
            return vec![];
        }
        Action::ScenarioSaved(r) => {
            match r {
                Ok(p) => app.info(format!("saved the edited scenario as {p}")),
                Err(e) => app.error(format!("scenario not saved: {e}")),
            }
            return vec![];
        }
        Action::SandboxOpened(r) => {
            match r {
                Ok(sb) => app.sandbox = Some(sb),
                Err(e) => {
                    app.registry.sandbox = false;
                    app.error(format!("sandbox ledger not opened: {e}"));
                }
            }
            return vec![];
        }
        Action::SandboxDone(r) => {
            match (&r, app.popup.as_mut()) {
                (Err(e), Some(Popup::Form(f))) => f.error = Some(e.clone()),
                (Ok(_), Some(Popup::Form(_))) => app.popup = None,
                _ => {}
            }
            app.registry.last = Some(match r {
                Ok(t) => (t, false),
                Err(e) => (e, true),
            });
            return vec![];
        }
        _ => {}
    }

    // A popup captures everything.
    if app.popup.is_some() {
        return update_popup(app, action);
    }
    if app.help {
        if matches!(
            action,
            Action::ToggleHelp | Action::Escape | Action::Click(..)
        ) {
            app.help = false;
        }
        return vec![];
    }
    if let Action::Click(col, row) = action {
        return super::mouse::click(app, col, row);
    }

    // The answer editor captures everything else.
    if let Some(part) = app.screen.part().filter(|_| app.editing()) {
        let v = app.questions_view_mut(part);
        match action {
            Action::Escape => {
                v.editing = false;
                return vec![];
            }
            Action::EditKey(input) => {
                v.editor.input(input);
            }
            Action::Undo => {
                v.editor.undo();
            }
            Action::Redo => {
                v.editor.redo();
            }
            Action::Paste(text) => {
                v.editor.insert_str(normalize_paste(&text));
            }
            _ => return vec![],
        }
        return app.sync_answer(part);
    }

    match action {
        Action::ToggleHelp => {
            app.help = true;
            vec![]
        }
        Action::GoTo(s) => app.go_to(s),
        Action::NextTab => app.go_to(Screen::from_index(
            (app.screen.index() + 1) % Screen::ALL.len(),
        )),
        Action::PrevTab => app.go_to(Screen::from_index(
            (app.screen.index() + Screen::ALL.len() - 1) % Screen::ALL.len(),
        )),
        Action::Escape => {
            if app.screen == Screen::Simulate
                && let Some(job) = &app.simulate.study
            {
                job.progress
                    .cancel
                    .store(true, std::sync::atomic::Ordering::Relaxed);
                return vec![];
            }
            if app.screen == Screen::Budget && app.budget.drilled.is_some() {
                app.budget.drilled = None;
            } else if app.screen == Screen::Budget && app.budget.macc {
                app.budget.macc = false;
            } else if app.screen == Screen::Registry && app.registry.life.is_some() {
                app.registry.life = None;
            } else if app.screen == Screen::Readiness && app.readiness.comparison {
                app.readiness.comparison = false;
            }
            app.notice = None;
            vec![]
        }
        other => match app.screen {
            Screen::Home => update_home(app, other),
            Screen::Reflect | Screen::Discuss => update_questions(app, other),
            Screen::Budget => update_budget(app, other),
            Screen::Report => update_report(app, other),
            Screen::Simulate => super::update2::simulate(app, other),
            Screen::Registry => super::update2::registry(app, other),
            Screen::Readiness => super::update2::readiness(app, other),
        },
    }
}

/// Paste text as typed text: CR LF and lone CR become LF, tabs become spaces.
fn normalize_paste(s: &str) -> String {
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\t', "    ")
}

fn update_popup(app: &mut App, action: Action) -> Vec<Effect> {
    if matches!(app.popup, Some(Popup::Form(_))) {
        return super::update2::form(app, action);
    }
    let Some(popup) = app.popup.as_mut() else {
        return vec![];
    };
    let field = match popup {
        Popup::Form(f) => match f.fields.get_mut(f.focus) {
            Some((_, t)) => t,
            None => return vec![],
        },
        Popup::Participant(f)
        | Popup::ExportDir(f)
        | Popup::Group { field: f, .. }
        | Popup::BudgetEdit { field: f, .. }
        | Popup::SaveScenario(f)
        | Popup::Param { field: f, .. }
        | Popup::Filter(f) => f,
    };
    match action {
        Action::EditKey(input) => {
            // One line only: Enter submits, it never reaches the field.
            if !keep_selected_value(field, &input.key) {
                field.input_without_shortcuts(input);
            }
            super::update2::popup_typed(app);
            vec![]
        }
        Action::Paste(text) => {
            field.insert_str(text.replace(['\r', '\n', '\t'], " "));
            super::update2::popup_typed(app);
            vec![]
        }
        Action::Escape => {
            if matches!(app.popup, Some(Popup::Participant(_))) {
                app.pending_open = None;
            }
            app.popup = None;
            vec![]
        }
        Action::Activate => {
            let now = app.now();
            let Some(popup) = app.popup.take() else {
                return vec![];
            };
            match popup {
                Popup::Participant(f) => {
                    let name = field_text(&f);
                    if name.is_empty() {
                        app.error(S::PARTICIPANT_EMPTY);
                        app.popup = Some(Popup::Participant(f));
                        return vec![];
                    }
                    // With a scenario open, the name takes over only once its session has
                    // opened (`Opened`): if the reopening fails, the answers typed next still
                    // go to the session on screen, under the name on screen.
                    if app.work.is_none() {
                        app.participant = Some(name.clone());
                    }
                    app.notice = None;
                    match app.pending_open.take() {
                        Some(scenario) => vec![Effect::Open {
                            scenario,
                            participant: name,
                        }],
                        None => vec![],
                    }
                }
                Popup::Group { qid, field } => {
                    let g = field_text(&field);
                    let changed = app
                        .work
                        .as_mut()
                        .is_some_and(|w| w.session.set_group(&qid, &g, now));
                    if changed {
                        vec![Effect::SaveSession]
                    } else {
                        vec![]
                    }
                }
                p @ (Popup::BudgetEdit { .. }
                | Popup::SaveScenario(_)
                | Popup::Param { .. }
                | Popup::Filter(_)
                | Popup::Form(_)) => super::update2::popup_submit(app, p),
                Popup::ExportDir(f) => {
                    let d = field_text(&f);
                    app.report.dir = if d.is_empty() {
                        S::DEFAULT_EXPORT_DIR.into()
                    } else {
                        d
                    };
                    vec![]
                }
            }
        }
        _ => vec![],
    }
}

fn update_home(app: &mut App, action: Action) -> Vec<Effect> {
    let items = app.home.items();
    match action {
        Action::Move(m) => {
            app.home_sel = step(app.home_sel, items.len(), m, 10);
            vec![]
        }
        Action::Activate => match items.get(app.home_sel) {
            Some(HomeItem::Scenario(c)) => app.request_open(c.reference.clone()),
            Some(HomeItem::Continue(i)) | Some(HomeItem::Session(i)) => open_session(app, *i),
            None => vec![],
        },
        Action::ChangeParticipant => {
            // The open scenario reopens for the name accepted: their own session, new or
            // continued. The name shown starts selected, so the next one is typed over it.
            app.pending_open = app
                .work
                .as_ref()
                .map(|w| ScenarioRef::from_source(&w.session.scenario.source));
            let current = app
                .participant
                .clone()
                .unwrap_or_else(|| app.default_participant.clone());
            app.popup = Some(Popup::Participant(prefilled_field(&current, &app.theme)));
            vec![]
        }
        Action::ContinueLast => {
            if app.home.sessions.is_empty() {
                app.info("no saved session yet: choose a scenario");
                vec![]
            } else {
                open_session(app, 0)
            }
        }
        _ => vec![],
    }
}

fn open_session(app: &mut App, i: usize) -> Vec<Effect> {
    match app.home.sessions.get(i) {
        Some(s) => vec![Effect::Open {
            scenario: ScenarioRef::from_source(&s.scenario_source),
            participant: s.participant.clone(),
        }],
        None => vec![],
    }
}

fn update_questions(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(part) = app.screen.part() else {
        return vec![];
    };
    if app.work.is_none() {
        return vec![];
    }
    let n = app.question_count(part);
    match action {
        Action::Move(m @ (Move::PageUp | Move::PageDown)) => {
            // By the page the last frame showed; before any frame, by five lines.
            let page = app.hits.facts.get();
            let v = app.questions_view_mut(part);
            let down = m == Move::PageDown;
            v.facts_scroll = match page {
                Some(p) => p.step(v.facts_scroll, down),
                None if down => v.facts_scroll.saturating_add(5).min(200),
                None => v.facts_scroll.saturating_sub(5),
            };
            vec![]
        }
        Action::Move(Move::Right) => {
            app.start_editing(part);
            vec![]
        }
        Action::Move(m) => {
            let v = app.questions_view_mut(part);
            let new = step(v.selected, n, m, 5);
            if new != v.selected {
                v.selected = new;
                v.facts_scroll = 0;
            }
            app.remember_view()
        }
        Action::Activate => {
            app.start_editing(part);
            vec![]
        }
        Action::Paste(text) => {
            app.start_editing(part);
            if !app.editing() {
                return vec![];
            }
            app.questions_view_mut(part)
                .editor
                .insert_str(normalize_paste(&text));
            app.sync_answer(part)
        }
        Action::TagGroup if part == Part::Discuss => {
            if let Some((_, q)) = app.selected_question(part) {
                let qid = q.id.clone();
                let current = app
                    .work
                    .as_ref()
                    .and_then(|w| w.session.group(&qid))
                    .unwrap_or("")
                    .to_string();
                app.popup = Some(Popup::Group {
                    qid,
                    field: prefilled_field(&current, &app.theme),
                });
            }
            vec![]
        }
        _ => vec![],
    }
}

fn update_budget(app: &mut App, action: Action) -> Vec<Effect> {
    if app.work.is_none() {
        return vec![];
    }
    match (app.budget.drilled, action) {
        (None, Action::Move(Move::Right) | Action::Activate) => {
            if app.sector_count() > 0 {
                app.budget.drilled = Some(0);
            }
            vec![]
        }
        (None, Action::Move(m)) => {
            app.budget.sector = step(app.budget.sector, app.sector_count(), m, 5);
            app.remember_view()
        }
        (Some(_), Action::Move(Move::Left)) => {
            if app.budget.field == 0 {
                app.budget.drilled = None;
            } else {
                app.budget.field -= 1;
            }
            vec![]
        }
        (Some(_), Action::Move(Move::Right)) => {
            app.budget.field = (app.budget.field + 1).min(super::screens::budget::FIELDS.len() - 1);
            vec![]
        }
        (Some(i), Action::Move(m)) => {
            app.budget.drilled = Some(step(i, app.sector_activity_count(), m, 5));
            vec![]
        }
        (_, other) => super::update2::budget(app, other),
    }
}

fn update_report(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::Export => {
            if app.work.is_none() {
                app.error("open a scenario first (0 for Home)");
                return vec![];
            }
            vec![Effect::Export {
                dir: PathBuf::from(&app.report.dir),
            }]
        }
        Action::ChooseExportDir => {
            app.popup = Some(Popup::ExportDir(prefilled_field(
                &app.report.dir,
                &app.theme,
            )));
            vec![]
        }
        _ => vec![],
    }
}
