//! `update` for Budget editing, Simulate, Registry and Readiness (the rest is in `app.rs`).
//!
//! One job: state transitions of those screens. Pure like `app::update`: recomputing the derived
//! scenario, budget and simulation is computation, not IO; files and threads are effects.

use super::app::{
    Action, App, Effect, Move, Popup, RegTab, SimView, StudyJob, StudyResult, field_text,
    keep_selected_value, prefilled_field, step,
};
use super::derived::{Derived, next_method, session_params};
use super::params::{self, Param};
use super::screens::budget::{FIELDS, activity_ids, field_path, field_text as current_text};
use crate::simulate::montecarlo::{McParams, McResult, Progress};
use crate::simulate::{self, Params};
use crate::workshop::edits;
use std::sync::Arc;

/// Default uncertainty study.
pub const STUDY_RUNS: usize = 2_000;
pub const STUDY_SEED: u64 = 1;
pub const STUDY_CONFIDENCE: f64 = 0.95;

impl App {
    /// Recompute the edited scenario, budget and simulation from the session.
    pub fn recompute(&mut self) {
        let compare = self.simulate.compare;
        self.derived = self.work.as_ref().map(|w| {
            let p = session_params(w, &w.scenario);
            Derived::compute(w, p, compare)
        });
    }

    /// The current simulation parameters.
    pub fn params(&self) -> Option<Params> {
        self.derived.as_ref().map(|d| d.params.clone())
    }

    fn set_params(&mut self, p: Params) -> Vec<Effect> {
        let Some(w) = self.work.as_mut() else {
            return vec![];
        };
        if let Ok(serde_json::Value::Object(m)) = serde_json::to_value(&p) {
            w.session.simulation = m;
        }
        self.simulate.result = None;
        self.recompute();
        vec![Effect::SaveSession]
    }
}

/// Quote a bare word for string-valued fields (`6.2` is a mechanism, not a number). Their
/// values are lower-case words (`conditional`, `domestic`), so `Conditional` is read as
/// `conditional` rather than refused as an unknown variant.
fn quoted(field: &str, typed: &str) -> String {
    let t = typed.trim();
    if matches!(field, "ndc_part" | "mechanism") {
        let word = t.trim_matches(|c| c == '"' || c == '\'').trim();
        format!("\"{}\"", word.to_lowercase())
    } else {
        t.to_string()
    }
}

/// What `typed` means for `path`: as typed, except a lone number for a value per year, which
/// sets the target year's value (the number the table shows) and keeps the other years.
fn meant(app: &App, path: &str, typed: &str) -> String {
    app.derived
        .as_ref()
        .and_then(|d| edits::at_target_year(&d.scenario, path, typed))
        .unwrap_or_else(|| typed.to_string())
}

/// Check `typed` for `path` against the scenario with the other edits applied.
fn check_edit(app: &App, path: &str, typed: &str) -> Result<(), String> {
    let typed = &meant(app, path, typed);
    let Some(w) = &app.work else {
        return Err("no scenario open".into());
    };
    let mut others = w.session.budget_edits.clone();
    others.remove(path);
    let base = edits::apply(&w.scenario, &others).unwrap_or_else(|_| w.scenario.clone());
    let field = path.rsplit('.').next().unwrap_or("");
    edits::check(&base, path, &quoted(field, typed))
        .map(|_| ())
        .map_err(|e| e.to_string().trim_start_matches(": ").to_string())
}

/// The path and label of the selected budget value: the activity field when drilled in, the
/// sector's BAU otherwise.
fn selected_path(app: &App) -> Option<(String, String)> {
    let d = app.derived.as_ref()?;
    let s = &d.scenario;
    let sec = super::screens::budget::sector_at(s, app.budget.sector)?;
    match app.budget.drilled {
        None => Some((
            format!("sector.{}.bau", sec.id),
            // What is edited first: a long sector name is what the popup's title cuts.
            format!("BAU by year, {} — {}", s.unit().short(), sec.name),
        )),
        Some(i) => {
            let id = activity_ids(s, app.budget.sector).get(i)?.clone();
            let (f, label) = FIELDS.get(app.budget.field)?;
            Some((field_path(&id, f), format!("{id} — {label}")))
        }
    }
}

/// Budget keys beyond moving.
pub fn budget(app: &mut App, action: Action) -> Vec<Effect> {
    match action {
        Action::ToggleMacc => {
            app.budget.macc = !app.budget.macc;
            app.budget.drilled = None;
            vec![]
        }
        Action::Edit => {
            let Some((path, label)) = selected_path(app) else {
                return vec![];
            };
            let text = app
                .work
                .as_ref()
                .and_then(|w| w.session.budget_edits.get(&path))
                .and_then(|v| v.as_str().map(str::to_string))
                .or_else(|| {
                    app.derived
                        .as_ref()
                        .and_then(|d| current_text(&d.scenario, &path))
                })
                .unwrap_or_default();
            app.popup = Some(Popup::BudgetEdit {
                path,
                label,
                field: prefilled_field(&text, &app.theme),
                error: None,
            });
            vec![]
        }
        Action::Revert => {
            let Some((path, _)) = selected_path(app) else {
                return vec![];
            };
            let removed = app
                .work
                .as_mut()
                .and_then(|w| w.session.budget_edits.remove(&path))
                .is_some();
            if !removed {
                app.info(format!("{path} is not edited"));
                return vec![];
            }
            app.info(format!("{path}: back to the scenario's value"));
            app.recompute();
            vec![Effect::SaveSession]
        }
        Action::SaveAsScenario => {
            let name = app
                .work
                .as_ref()
                .map(|w| format!("{}-{}", w.scenario.id(), w.session.participant))
                .map(|n| crate::workshop::session::slug(&n))
                .unwrap_or_default();
            app.popup = Some(Popup::SaveScenario(prefilled_field(&name, &app.theme)));
            vec![]
        }
        _ => vec![],
    }
}

/// After a key in a popup field: validate as typed.
pub fn popup_typed(app: &mut App) {
    let (path, typed) = match &app.popup {
        Some(Popup::BudgetEdit { path, field, .. }) => (path.clone(), field_text(field)),
        Some(Popup::Param { param, field, .. }) => {
            let Some(mut p) = app.params() else {
                return;
            };
            let r = params::set_typed(&mut p, *param, &field_text(field)).err();
            if let Some(Popup::Param { error, .. }) = app.popup.as_mut() {
                *error = r;
            }
            return;
        }
        _ => return,
    };
    let r = check_edit(app, &path, &typed).err();
    if let Some(Popup::BudgetEdit { error, .. }) = app.popup.as_mut() {
        *error = r;
    }
}

/// Enter in one of this module's popups (the popup is taken already).
pub fn popup_submit(app: &mut App, popup: Popup) -> Vec<Effect> {
    match popup {
        Popup::BudgetEdit {
            path, label, field, ..
        } => {
            let typed = field_text(&field);
            match check_edit(app, &path, &typed) {
                Err(reason) => {
                    app.popup = Some(Popup::BudgetEdit {
                        path,
                        label,
                        field,
                        error: Some(reason),
                    });
                    vec![]
                }
                Ok(()) => {
                    let typed = meant(app, &path, &typed);
                    let f = path.rsplit('.').next().unwrap_or("").to_string();
                    if let Some(w) = app.work.as_mut() {
                        w.session
                            .budget_edits
                            .insert(path.clone(), serde_json::Value::String(quoted(&f, &typed)));
                        w.session.updated_at = (app.clock)();
                    }
                    app.info(format!(
                        "{label}: {typed} (saved in your session; x reverts)"
                    ));
                    app.recompute();
                    vec![Effect::SaveSession]
                }
            }
        }
        Popup::SaveScenario(field) => {
            let name = crate::workshop::session::slug(&field_text(&field));
            let Some(d) = app.derived.as_ref() else {
                return vec![];
            };
            let mut file = d.scenario.file.clone();
            file.scenario.id = name.clone();
            if !file.scenario.title.ends_with("(edited)") {
                file.scenario.title = format!("{} (edited)", file.scenario.title);
            }
            let text = match crate::scenario::to_toml(&file) {
                Ok(t) => t,
                Err(e) => {
                    app.error(format!("scenario not saved: {e}"));
                    return vec![];
                }
            };
            if let Err(e) = crate::scenario::load_str(&format!("{name}.toml"), &text) {
                app.error(format!("scenario not saved: it does not validate: {e}"));
                return vec![];
            }
            vec![Effect::WriteScenario { name, text }]
        }
        Popup::Param {
            param,
            field,
            error: _,
        } => {
            let Some(mut p) = app.params() else {
                return vec![];
            };
            match params::set_typed(&mut p, param, &field_text(&field)) {
                Ok(()) => app.set_params(p),
                Err(e) => {
                    app.popup = Some(Popup::Param {
                        param,
                        field,
                        error: Some(e),
                    });
                    vec![]
                }
            }
        }
        Popup::Filter(field) => {
            app.registry.filter = field_text(&field);
            app.registry.tab = RegTab::Explorer;
            app.registry.sel = 0;
            vec![]
        }
        _ => vec![],
    }
}

fn unit_step(app: &App) -> (u64, u64) {
    let max = app
        .derived
        .as_ref()
        .and_then(|d| d.sim.as_ref().ok())
        .map(|s| s.outcome.max_transferable)
        .unwrap_or(0);
    let step = (max / 20).max(1_000);
    // round to 2 significant digits so steps read well
    let mag = 10u64.pow(step.max(1).ilog10().saturating_sub(1));
    (step / mag * mag, max)
}

/// Simulate keys.
pub fn simulate(app: &mut App, action: Action) -> Vec<Effect> {
    if app.work.is_none() {
        return vec![];
    }
    let n = Param::ALL.len();
    let which = Param::ALL[app.simulate.sel.min(n - 1)];
    match action {
        Action::Move(Move::Left) => simulate(app, Action::Adjust(-1)),
        Action::Move(Move::Right) => simulate(app, Action::Adjust(1)),
        Action::Move(m) => {
            app.simulate.sel = step(app.simulate.sel, n, m, 5);
            vec![]
        }
        Action::Adjust(dir) => {
            let Some(mut p) = app.params() else {
                return vec![];
            };
            let (us, max) = unit_step(app);
            params::step(&mut p, which, dir, us, max);
            app.set_params(p)
        }
        Action::Activate | Action::Edit => {
            if which.typed() {
                let text = app
                    .params()
                    .map(|p| params::typed_text(&p, which))
                    .unwrap_or_default();
                app.popup = Some(Popup::Param {
                    param: which,
                    field: prefilled_field(&text, &app.theme),
                    error: None,
                });
                vec![]
            } else {
                simulate(app, Action::Adjust(1))
            }
        }
        Action::Compare => {
            let base = app.params().map(|p| p.method);
            app.simulate.compare = match (app.simulate.compare, base) {
                (None, Some(m)) => Some(next_method(m)),
                (Some(c), Some(m)) if next_method(c) != m => Some(next_method(c)),
                _ => None,
            };
            // On a small terminal the comparison is a table: show it, not the chart.
            if app.simulate.compare.is_some() {
                app.simulate.table = true;
            }
            app.recompute();
            vec![]
        }
        Action::RunStudy => start_study(app),
        Action::TogglePane => {
            app.simulate.table = !app.simulate.table;
            vec![]
        }
        _ => vec![],
    }
}

fn start_study(app: &mut App) -> Vec<Effect> {
    if app.simulate.study.is_some() {
        return vec![];
    }
    let Some(d) = &app.derived else {
        return vec![];
    };
    let sim = match &d.sim {
        Ok(s) => s.clone(),
        Err(e) => {
            let e = e.clone();
            app.error(format!("no study: the simulation failed: {e}"));
            return vec![];
        }
    };
    let study = simulate::study(&d.scenario, &sim);
    let v = &mut app.simulate;
    v.next_job += 1;
    let id = v.next_job;
    v.result = None;
    v.study = Some(StudyJob {
        id,
        study: Arc::new(study),
        volume: sim.outcome.transferred,
        params: McParams {
            runs: STUDY_RUNS,
            seed: STUDY_SEED,
            confidence: STUDY_CONFIDENCE,
        },
        progress: Arc::new(Progress::default()),
    });
    vec![Effect::RunStudy(id)]
}

/// The study `id` ended (`None`: cancelled).
pub fn study_done(app: &mut App, id: u64, r: Option<McResult>) {
    let v: &mut SimView = &mut app.simulate;
    let Some(job) = v.study.take_if(|j| j.id == id) else {
        return;
    };
    v.result = Some(match r {
        Some(result) => StudyResult::Done {
            result,
            volume: job.volume,
            confidence: job.params.confidence,
            seed: job.params.seed,
        },
        None => StudyResult::Cancelled {
            done: job.progress.done.load(std::sync::atomic::Ordering::Relaxed),
            runs: job.params.runs,
        },
    });
}

/// Registry keys.
pub fn registry(app: &mut App, action: Action) -> Vec<Effect> {
    if app.work.is_none() {
        return vec![];
    }
    let v = &mut app.registry;
    match action {
        Action::NextView => {
            let i = RegTab::ALL.iter().position(|t| *t == v.tab).unwrap_or(0);
            v.tab = RegTab::ALL[(i + 1) % RegTab::ALL.len()];
            v.sel = 0;
            v.life = None;
            vec![]
        }
        Action::Move(Move::Left) => {
            v.life = None;
            vec![]
        }
        Action::Activate | Action::Move(Move::Right) => {
            app.registry.life = super::screens::registry::selected_serial(app);
            if app.registry.life.is_none() {
                app.info("no serial here: choose a block or an event with units");
            } else {
                // The notice of an earlier key (say, "no serial here") no longer applies.
                app.notice = None;
            }
            vec![]
        }
        Action::Move(m) => {
            if v.tab == RegTab::Drills && v.life.is_none() {
                let n = app.work.as_ref().map(|w| w.pack.drills.len()).unwrap_or(0);
                app.registry.drill = step(app.registry.drill, n, m, 5);
                return vec![];
            }
            let n = super::screens::registry::row_count(app);
            app.registry.sel = step(app.registry.sel, n, m, 10);
            vec![]
        }
        Action::Filter => {
            let f = app.registry.filter.clone();
            app.popup = Some(Popup::Filter(prefilled_field(&f, &app.theme)));
            vec![]
        }
        Action::OpenForm(kind) => {
            if !app.registry.sandbox || app.sandbox.is_none() {
                app.info("actions work on your sandbox ledger: press s first");
                return vec![];
            }
            let Some(d) = &app.derived else {
                return vec![];
            };
            app.popup = Some(Popup::Form(super::forms::new_form(
                kind,
                &d.scenario,
                &app.theme,
            )));
            vec![]
        }
        Action::ToggleSandbox => {
            v.sandbox = !v.sandbox;
            v.sel = 0;
            v.life = None;
            if v.sandbox && app.sandbox.is_none() {
                return vec![Effect::OpenSandbox];
            }
            vec![]
        }
        _ => vec![],
    }
}

/// Keys in a sandbox action form: Tab/↓ and Shift-Tab/↑ move between fields, Enter submits.
pub fn form(app: &mut App, action: Action) -> Vec<Effect> {
    use ratatui_textarea::Key;
    let Some(Popup::Form(f)) = app.popup.as_mut() else {
        return vec![];
    };
    let n = f.fields.len().max(1);
    match action {
        Action::EditKey(input) => {
            match input.key {
                Key::Tab | Key::Down => f.focus_on((f.focus + 1) % n),
                Key::Up => f.focus_on((f.focus + n - 1) % n),
                _ => {
                    if let Some((_, t)) = f.fields.get_mut(f.focus)
                        && !keep_selected_value(t, &input.key)
                    {
                        t.input_without_shortcuts(input);
                    }
                }
            }
            vec![]
        }
        Action::Paste(text) => {
            if let Some((_, t)) = f.fields.get_mut(f.focus) {
                t.insert_str(text.replace(['\r', '\n', '\t'], " "));
            }
            vec![]
        }
        Action::Escape => {
            app.popup = None;
            vec![]
        }
        Action::Click(col, row) => {
            if let Some(super::hits::Target::FormField(i)) = app.hits.at(col, row)
                && i < n
            {
                f.focus_on(i);
            }
            vec![]
        }
        Action::Activate => {
            let auth_id = app
                .sandbox
                .as_ref()
                .and_then(|sb| {
                    sb.0.try_borrow()
                        .ok()
                        .map(|l| l.state().authorizations.len())
                })
                .map(|k| format!("AUTH-S{:03}", k + 1))
                .unwrap_or_else(|| "AUTH-S001".into());
            let Some(d) = &app.derived else {
                return vec![];
            };
            let scenario = d.scenario.clone();
            let Some(Popup::Form(f)) = app.popup.as_mut() else {
                return vec![];
            };
            match f.commands(&scenario, &auth_id) {
                Ok(mut cmds) => {
                    f.error = None;
                    if let Some(sb) = &app.sandbox
                        && let Ok(l) = sb.0.try_borrow()
                    {
                        draw_on_the_partys_authorization(l.state(), &mut cmds);
                    }
                    vec![Effect::Sandbox(cmds)]
                }
                Err(e) => {
                    f.error = Some(e);
                    vec![]
                }
            }
        }
        _ => vec![],
    }
}

/// A sandbox transfer that names no authorization but goes to a Party takes the units
/// authorized for that Party (`State::authorization_for_party`), not whichever block is first:
/// with units authorized for two partners in one account, the form's transfer to the second
/// was refused for the first's block.
fn draw_on_the_partys_authorization(
    st: &crate::registry::state::State,
    cmds: &mut [crate::registry::command::Command],
) {
    for c in cmds {
        if let crate::registry::command::Command::Transfer {
            from,
            to,
            filter,
            acquiring_party,
            ..
        } = c
            && filter.authorization.is_none()
        {
            let from_party = from.split(':').next().unwrap_or_default();
            let to_party = to.split(':').next().unwrap_or_default();
            let party = match acquiring_party {
                Some(p) => p.as_str(),
                None if to_party != from_party => to_party,
                None => continue,
            };
            if let Some(a) = st.authorization_for_party(from, party, filter) {
                filter.authorization = Some(a.id.clone());
            }
        }
    }
}

/// Readiness keys.
pub fn readiness(app: &mut App, action: Action) -> Vec<Effect> {
    let v = &mut app.readiness;
    match action {
        Action::NextView => v.comparison = !v.comparison,
        Action::Move(Move::Down) => v.scroll = v.scroll.saturating_add(1).min(400),
        Action::Move(Move::Up) => v.scroll = v.scroll.saturating_sub(1),
        Action::Move(Move::PageDown) => v.scroll = v.scroll.saturating_add(10).min(400),
        Action::Move(Move::PageUp) => v.scroll = v.scroll.saturating_sub(10),
        Action::Move(Move::First) => v.scroll = 0,
        _ => {}
    }
    vec![]
}
