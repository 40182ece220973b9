//! The loop: draw, wait for an event, update, perform the effects. And the effects themselves
//! (the only IO of the workbench): save the session, open a scenario, export, scan Home.
//!
//! Redraws happen on input, resize and paste only; there is no timer tick.

use super::app::{Action, App, Effect, HomeData, ScenarioCard, ScenarioRef, Workspace, update};
use super::input::event_to_action;
use super::ui;
use crate::scenario::{self, Scenario, builtin};
use crate::workshop::{self, Pack, session};
use ratatui::DefaultTerminal;
use ratatui::crossterm::event;
use std::collections::VecDeque;
use std::path::{Path, PathBuf};

/// A finished study: its id and result (`None`: cancelled).
pub type StudyReport = (u64, Option<crate::simulate::montecarlo::McResult>);

/// What effects need from the environment.
#[derive(Debug, Clone)]
pub struct Env {
    pub data_dir: PathBuf,
    /// Where background work (the uncertainty study) reports; `None` runs it at once (tests).
    pub events: Option<std::sync::mpsc::Sender<StudyReport>>,
}

/// Run until quit. Effects in `initial` run first.
pub fn run(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    env: &Env,
    initial: Vec<Effect>,
) -> std::io::Result<()> {
    let mut queue: VecDeque<Effect> = initial.into();
    // Start the event reader (and its resize signal handler) before the first draw, so a
    // resize right after start-up is not missed; each draw re-reads the terminal size.
    let _ = event::poll(std::time::Duration::ZERO);
    let (tx, rx) = std::sync::mpsc::channel();
    let env = &Env {
        data_dir: env.data_dir.clone(),
        events: Some(tx),
    };
    loop {
        while let Some(e) = queue.pop_front() {
            if e == Effect::Quit {
                return Ok(());
            }
            if let Some(a) = perform(app, env, e) {
                queue.extend(update(app, a));
            }
        }
        terminal.draw(|f| ui::draw(f, app))?;
        // Block until something happens; no busy loop. While a study runs, wake every 100 ms
        // to redraw its progress and collect its result.
        if app.simulate.study.is_some() {
            if event::poll(std::time::Duration::from_millis(100))?
                && let Some(a) = event_to_action(app, event::read()?)
            {
                queue.extend(update(app, a));
            }
            while let Ok((id, r)) = rx.try_recv() {
                queue.extend(update(app, Action::StudyDone(id, r)));
            }
            queue.extend(update(app, Action::StudyTick));
        } else {
            let ev = event::read()?;
            if let Some(a) = event_to_action(app, ev) {
                queue.extend(update(app, a));
            }
        }
    }
}

/// Perform one effect; its outcome comes back as an action.
pub fn perform(app: &App, env: &Env, effect: Effect) -> Option<Action> {
    match effect {
        Effect::SaveSession => {
            let w = app.work.as_ref()?;
            Some(match w.session.save(&w.session_path) {
                Ok(()) => Action::Saved,
                Err(e) => Action::SaveFailed(e.to_string()),
            })
        }
        Effect::Open {
            scenario,
            participant,
        } => Some(
            match open(&env.data_dir, &scenario, &participant, app.clock) {
                Ok((w, notice)) => Action::Opened(Box::new(w), notice),
                Err(msg) => Action::Failed(msg),
            },
        ),
        Effect::Export { dir } => {
            let w = app.work.as_ref()?;
            Some(
                // The answers on their own (for the trainer's collection), then the whole
                // session report (answers, budget, simulation, registry) as `report` writes it.
                match crate::report::answers::export(&dir, &w.session, &w.pack, &w.scenario)
                    .map_err(|e| e.to_string())
                    .and_then(|mut files| {
                        crate::report::session::export_all(
                            &dir,
                            &w.session,
                            &w.session_path,
                            &w.scenario,
                            &w.pack,
                        )
                        .map(|more| {
                            files.extend(more);
                            files
                        })
                        .map_err(|e| format!("answers written; the full report failed: {e}"))
                    }) {
                    Ok(files) => {
                        Action::Exported(files.iter().map(|f| f.display().to_string()).collect())
                    }
                    Err(e) => Action::ExportFailed(e),
                },
            )
        }
        Effect::ScanHome => Some(Action::HomeScanned(scan_home(&env.data_dir))),
        Effect::WriteScenario { name, text } => Some(Action::ScenarioSaved(write_scenario(
            &env.data_dir,
            &name,
            &text,
        ))),
        Effect::RunStudy(id) => {
            let job = app.simulate.study.as_ref().filter(|j| j.id == id)?.clone();
            let work = move || {
                crate::simulate::montecarlo::run(&job.study, job.volume, &job.params, &job.progress)
            };
            match &env.events {
                Some(tx) => {
                    let tx = tx.clone();
                    std::thread::spawn(move || {
                        let r = work();
                        let _ = tx.send((id, r));
                    });
                    None
                }
                None => Some(Action::StudyDone(id, work())),
            }
        }
        Effect::OpenSandbox => {
            let w = app.work.as_ref()?;
            Some(Action::SandboxOpened(open_sandbox(w)))
        }
        Effect::Sandbox(cmds) => {
            let sb = app.sandbox.as_ref()?;
            let Ok(mut l) = sb.0.try_borrow_mut() else {
                return Some(Action::SandboxDone(Err("the ledger is busy".into())));
            };
            let mut done = vec![];
            for c in cmds {
                let what = command_name(&c);
                match l.execute(c) {
                    Ok(o) => done.push(outcome_line(what, o.quantity(), o.first_seq, o.last_seq)),
                    Err(e) => return Some(Action::SandboxDone(Err(e.to_string()))),
                }
            }
            Some(Action::SandboxDone(Ok(format!(
                "done — {}",
                done.join("; ")
            ))))
        }
        Effect::Quit => None,
    }
}

/// Load a scenario by reference.
pub fn load_scenario(r: &ScenarioRef) -> Result<Scenario, String> {
    match r {
        ScenarioRef::Builtin(id) => builtin::by_id(id)
            .unwrap_or_else(|| scenario::resolve(id))
            .map_err(|e| e.to_string()),
        ScenarioRef::File(p) => scenario::load_file(p).map_err(|e| e.to_string()),
    }
}

/// The question pack a scenario names: built in, a path, or a path next to the scenario file.
pub fn load_pack(s: &Scenario) -> Result<Pack, String> {
    let id = &s.file.scenario.pack;
    match workshop::resolve_pack(id) {
        Ok(p) => Ok(p),
        Err(e) => {
            if let scenario::Origin::File(f) = &s.origin
                && let Some(dir) = f.parent()
            {
                let near = dir.join(id);
                if near.exists() {
                    return workshop::resolve_pack(&near.display().to_string())
                        .map_err(|e| e.to_string());
                }
            }
            Err(e.to_string())
        }
    }
}

/// Open the participant's session on a scenario (created in memory when new).
pub fn open(
    data_dir: &Path,
    r: &ScenarioRef,
    participant: &str,
    clock: fn() -> chrono::DateTime<chrono::Utc>,
) -> Result<(Workspace, Option<String>), String> {
    let scenario = load_scenario(r)?;
    let pack = load_pack(&scenario)?;
    let o = session::open(data_dir, participant, &scenario, &pack, clock())
        .map_err(|e| e.to_string())?;
    Ok((
        Workspace {
            scenario,
            pack,
            session: o.session,
            session_path: o.path,
        },
        o.notice,
    ))
}

fn scan_dir(
    dir: &Path,
    label: &str,
    skip_hashes: &[String],
    problems: &mut Vec<String>,
) -> Vec<ScenarioCard> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return vec![];
    };
    let mut paths: Vec<PathBuf> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let mut out = vec![];
    for p in paths {
        match scenario::load_file(&p) {
            Ok(s) if skip_hashes.contains(&s.source_hash) => {}
            Ok(s) => {
                let shown = format!(
                    "{label}/{}",
                    p.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default()
                );
                out.push(ScenarioCard::of(&s, ScenarioRef::File(p.clone()), shown));
            }
            Err(e) => {
                let first = e
                    .diagnostics
                    .first()
                    .map(|d| format!("{}:{}: {}", d.line, d.col, d.message))
                    .unwrap_or_default();
                problems.push(format!("{}: {first}", p.display()));
            }
        }
    }
    out
}

/// Gather Home's lists: built-ins, `./scenarios`, `<data dir>/scenarios`, saved sessions.
/// Files identical to a built-in scenario are not listed twice.
pub fn scan_home(data_dir: &Path) -> HomeData {
    let mut problems = vec![];
    let mut builtins = vec![];
    let mut hashes = vec![];
    for r in builtin::all() {
        match r {
            Ok(s) => {
                hashes.push(s.source_hash.clone());
                builtins.push(ScenarioCard::of(
                    &s,
                    ScenarioRef::Builtin(s.id().to_string()),
                    "built into ndc-workbench".into(),
                ));
            }
            Err(e) => problems.push(e.to_string()),
        }
    }
    // Put the default scenario first.
    if let Some(i) = builtins.iter().position(|c| c.id == builtin::DEFAULT_ID) {
        let c = builtins.remove(i);
        builtins.insert(0, c);
    }
    let local = scan_dir(Path::new("scenarios"), "scenarios", &hashes, &mut problems);
    let data = scan_dir(
        &data_dir.join("scenarios"),
        "data folder scenarios",
        &hashes,
        &mut problems,
    );
    HomeData {
        builtins,
        local,
        data,
        sessions: session::list(data_dir),
        problems,
    }
}

/// One executed command as the status line reports it: what it did, the units it moved (left
/// out when it moved none, as a recorded authorization) and the events it wrote.
fn outcome_line(what: &str, quantity: u64, first_seq: u64, last_seq: u64) -> String {
    let events = if first_seq == last_seq {
        format!("event #{first_seq}")
    } else {
        format!("events #{first_seq}–#{last_seq}")
    };
    if quantity == 0 {
        return format!("{what}, {events}");
    }
    let units = crate::scenario::units::group_thousands(rust_decimal::Decimal::from(quantity), 0);
    format!("{what}: {units} units, {events}")
}

fn command_name(c: &crate::registry::Command) -> &'static str {
    use crate::registry::Command::*;
    match c {
        Issue { .. } => "issued",
        RecordAuthorization { .. } => "authorization recorded (no units move)",
        Authorize { .. } => "authorized",
        Transfer { .. } => "transferred",
        Retire { .. } => "retired",
        Cancel { .. } => "cancelled",
        _ => "done",
    }
}

/// Write an edited scenario into `<data dir>/scenarios/<name>.toml` (never over another file).
pub fn write_scenario(data_dir: &Path, name: &str, text: &str) -> Result<String, String> {
    let dir = data_dir.join("scenarios");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let file = format!("{name}.toml");
    let path = dir.join(&file);
    if path.exists() {
        return Err(format!(
            "scenarios/{file} already exists in the data folder: choose another name"
        ));
    }
    crate::store::atomic_write(&path, text.as_bytes()).map_err(|e| e.to_string())?;
    Ok(format!("scenarios/{file} in the data folder"))
}

/// Open the session's registry journal; a new one is set up with the scenario's parties,
/// an approach and one developer account and project per activity.
pub fn open_sandbox(w: &Workspace) -> Result<super::app::Sandbox, String> {
    use crate::registry::{Ledger, SystemClock};
    let path = w.session.journal_path(&w.session_path);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut l = Ledger::open(&path, SystemClock).map_err(|e| e.to_string())?;
    if l.events().is_empty() {
        for c in super::forms::setup(&w.scenario) {
            l.execute(c)
                .map_err(|e| format!("setting up the sandbox: {e}"))?;
        }
    }
    Ok(super::app::Sandbox(std::rc::Rc::new(
        std::cell::RefCell::new(l),
    )))
}

#[cfg(test)]
mod tests {
    use super::outcome_line;

    #[test]
    fn an_outcome_names_units_only_when_some_moved_and_one_event_as_one() {
        assert_eq!(
            outcome_line("transferred", 5000, 99, 100),
            "transferred: 5,000 units, events #99–#100"
        );
        assert_eq!(
            outcome_line("retired", 1_234_567, 7, 7),
            "retired: 1,234,567 units, event #7"
        );
        assert_eq!(
            outcome_line("authorization recorded (no units move)", 0, 96, 96),
            "authorization recorded (no units move), event #96"
        );
    }
}
