//! Every user-facing sentence of the workbench, in one place (for review and translation).

pub const APP: &str = "ndc-workbench";
pub const ILLUSTRATIVE: &str = "ILLUSTRATIVE";
pub const TOO_SMALL: &str = "terminal too small (need 80×24)";
pub const TOO_SMALL_KEYS: &str = "keys wait until it is larger · Ctrl-C quits";
pub const NO_SCENARIO: &str =
    "No scenario is open yet. Press 0 for Home, choose a scenario and press Enter.";

pub const HOME_TITLE: &str = "Home";
pub const HOME_INTRO: &str =
    "Choose a scenario or continue a session. Everything is saved as you type.";
pub const HOME_CONTINUE: &str = "Continue where I left off";
pub const HOME_BUILTIN: &str = "Prepared scenarios";
pub const HOME_LOCAL: &str = "Scenarios in ./scenarios";
pub const HOME_DATA: &str = "Scenarios in the data folder";
pub const HOME_SESSIONS: &str = "Recent sessions";
pub const HOME_EMPTY_SESSIONS: &str = "no saved sessions yet";

pub const REFLECT_TITLE: &str = "Reflect";
pub const DISCUSS_TITLE: &str = "Discuss";
pub const FACTS_TITLE: &str = "Question and scenario facts";
pub const ANSWER_TITLE: &str = "Your answer";
pub const ANSWER_EDITING: &str = "Your answer — editing (Esc: done)";
pub const ANSWER_PLACEHOLDER: &str = "Type your answer here…";
pub const ANSWER_EMPTY: &str = "Not answered yet. Press Enter to write an answer.";
pub const GROUP_PROMPT: &str = "Group name for this answer (empty to clear)";

pub const BUDGET_TITLE: &str = "Budget";
pub const BUDGET_INTRO: &str = "MOs per sector at the target year. Beyond: in the NDC's scope, in neither plan; Outside: outside its scope. Enter: activities; e edits; m: MACC.";
pub const SIMULATE_TITLE: &str = "Simulate";
pub const SIMULATE_INTRO: &str = "How many ITMOs can be transferred while keeping the NDC.";
pub const SIMULATE_COMING: &str = "The transfer-capacity simulation (simulate module) will appear here: parameter panel (CA method, averaging denominator, conditional target, host retention, buffer, national cap, SOP/OMGE, transfer volume), a chart of BAU, target and emissions balance, the per-year table and the binding constraint.";
pub const REGISTRY_TITLE: &str = "Registry";
pub const REGISTRY_INTRO: &str = "The ledger the simulation writes, and a sandbox to operate it.";
pub const REGISTRY_COMING: &str = "The registry (registry module) will appear here: accounts and holdings by vintage and unit class, serial blocks, the explorer log, action forms (issue, authorize, first transfer, transfer, retire, cancel) and the registry drills.";
pub const REPORT_TITLE: &str = "Report";
pub const REPORT_INTRO: &str = "Export writes your answers and the full report (budget, simulation, registry) as Markdown, CSV and JSON into the folder below.";
pub const EXPORT_DIR_PROMPT: &str = "Export folder";
pub const DEFAULT_EXPORT_DIR: &str = "./ndc-workbench-export";

pub const PARTICIPANT_TITLE: &str = "Who is answering?";
pub const PARTICIPANT_PROMPT: &str = "Your name (answers are saved under it)";
/// The prompt when a name is suggested (selected: typing replaces it).
pub const PARTICIPANT_PROMPT_SUGGESTED: &str =
    "Your name (answers are saved under it); type to replace";
pub const PARTICIPANT_EMPTY: &str = "Type a name first.";

pub const HELP_TITLE: &str = "Help — keys that work here";

/// The screen tab titles, in tab order (Home is `0`).
pub const TABS: [&str; 8] = [
    "Home",
    "Reflect",
    "Discuss",
    "Budget",
    "Simulate",
    "Registry",
    "Report",
    "Readiness",
];
pub const READINESS_TITLE: &str = "Readiness";

/// Registry, an empty sandbox: what to do first.
pub const SANDBOX_EMPTY: &str = "Your sandbox ledger holds no units yet. Press i to issue units to a \
project's developer (the vintage must lie in its crediting period), then a to authorize some as \
ITMOs, t to transfer them (the first transfer to the partner), r to retire for a beneficiary, c to \
cancel. Every action is checked by the registry's rules; a refusal names the rule.";
