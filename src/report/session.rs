//! The session report: one document of what a participant (or a bare scenario) produced —
//! answers, the sector budget after the session's edits, the simulation with a fixed-seed Monte
//! Carlo, the registry summary, a text chart of the emission path and the provenance — as
//! Markdown, CSV files or JSON.
//!
//! One job: gather the inputs ([`load`]), compute the report ([`build`]) and render it
//! ([`markdown`], [`json`], [`csv_files`]). Answers, budget CSV, simulation JSON/CSV and
//! `csv_cell` are reused from their modules.
//!
//! The simulation uses the session's parameters (scenario defaults when none were saved); the
//! Monte Carlo always runs [`MC_RUNS`] runs with seed [`MC_SEED`] at [`MC_CONFIDENCE`], so two
//! reports of the same session agree. The registry summary comes from the session's own
//! journal (`<stem>.registry.jsonl` next to the session file) when it exists, else from the
//! ledger the simulation wrote; the report says which.
//!
//! # JSON shape (`report --format json`)
//!
//! Tonnes are decimal strings in tCO2e (`*_t`), unit counts are integers.
//!
//! ```text
//! { format: "ndc-workbench.report/1",
//!   participant: string | null,
//!   answers: null | { participant, scenario_id, scenario_title, illustrative,
//!                     pack: { id, version }, answered, total,
//!                     sections: [{ part, id, title,
//!                                  questions: [{ id, question, answer, group, updated_at }] }] },
//!   budget: { target_year, unit, edits: [{ path, value }],
//!             sectors: [{ id, name, in_scope, bau_t, unconditional_t, conditional_t, beyond_t,
//!                         outside_scope_t, projected_t }],
//!             covered_bau_t, covered_projected_t, target_unconditional_t, needed_unconditional_t },
//!   simulation: <the `simulate --format json` contract, with probability_meets_target,
//!                max_at_confidence, runs, seed, confidence>,
//!   registry: { source: "session-journal" | "simulation", journal: string | null,
//!               note: string | null, events, issued, authorized, first_transferred, retired,
//!               used, cancelled,
//!               beneficiaries: [{ kind: "retire" | "use", name, id, country, purpose, units }],
//!               holdings: [{ account, owner, party, type, vintage, units }] },
//!   chart: string,
//!   provenance: { scenario_id, scenario_title, scenario_source, source_hash,
//!                 session_source_hash, illustrative, sources: [{ title, url }], tool_version,
//!                 params: <simulate::Params>, pack: { id, version } | null,
//!                 monte_carlo: { runs, seed, confidence }, notes: [string] } }
//! ```

use super::chart::{Series, line_chart};
use super::simulation::McReport;
use crate::budget::Budget;
use crate::registry::{Ledger, ManualClock};
use crate::scenario::{self, Scenario};
use crate::simulate::{self, Params, Simulation};
use crate::workshop::edits;
use crate::workshop::pack::Pack;
use crate::workshop::portable::plain_file_name;
use crate::workshop::session::Session;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Monte Carlo runs in a report.
pub const MC_RUNS: usize = 1000;
/// Monte Carlo seed in a report.
pub const MC_SEED: u64 = 1;
/// Confidence for the largest safe volume in a report.
pub const MC_CONFIDENCE: f64 = 0.95;
/// The `format` tag of the JSON report.
pub const REPORT_FORMAT: &str = "ndc-workbench.report/1";

/// Why a report cannot be made (bad input: exit 2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ReportError(pub String);

/// What a report is made from.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// The scenario after the session's budget edits.
    pub scenario: Scenario,
    /// Hash of the prepared scenario as found now (before edits).
    pub source_hash: String,
    pub session: Option<Session>,
    pub pack: Option<Pack>,
    pub params: Params,
    /// The session's registry journal, if it exists.
    pub journal: Option<PathBuf>,
    /// Things the reader must know (changed scenario, other pack version…).
    pub notes: Vec<String>,
}

/// The scenario a session was written for: its recorded source (built-in or file), else the
/// built-in of the same id (a session carried to another laptop). A changed text is noted.
pub fn scenario_of(session: &Session, notes: &mut Vec<String>) -> Result<Scenario, ReportError> {
    let src = &session.scenario.source;
    let found = match src.strip_prefix("builtin:") {
        Some(id) => scenario::builtin::by_id(id),
        None if Path::new(src).exists() => Some(scenario::load_file(Path::new(src))),
        None => scenario::builtin::by_id(&session.scenario.id),
    };
    let s = match found {
        Some(Ok(s)) => s,
        Some(Err(e)) => return Err(ReportError(e.to_string())),
        None => {
            return Err(ReportError(format!(
                "scenario `{}` ({src}) cannot be found: not built in and the file is missing",
                session.scenario.id
            )));
        }
    };
    if s.source_hash != session.scenario.source_hash {
        notes.push(format!(
            "the scenario text changed since the session was written (session hash {}, now {}); figures use the current text",
            short(&session.scenario.source_hash),
            short(&s.source_hash)
        ));
    }
    Ok(s)
}

fn short(h: &str) -> &str {
    h.get(..12).unwrap_or(h)
}

/// The pack a session answered (built-in by id); a different version is noted. An unknown pack
/// gives a stand-in listing the answers by question id.
pub fn pack_of(session: &Session, notes: &mut Vec<String>) -> Pack {
    use crate::workshop::pack::{PackMeta, Part, Question, Section};
    match crate::workshop::builtin_pack(&session.pack.id) {
        Some(Ok(p)) => {
            if p.pack.version != session.pack.version {
                notes.push(format!(
                    "answers were written for pack {} version {}; questions shown from version {}",
                    session.pack.id, session.pack.version, p.pack.version
                ));
            }
            p
        }
        _ => {
            notes.push(format!(
                "question pack `{}` is not built in: answers are listed by question id",
                session.pack.id
            ));
            Pack {
                schema: crate::workshop::pack::PACK_SCHEMA,
                pack: PackMeta {
                    id: session.pack.id.clone(),
                    title: session.pack.id.clone(),
                    version: session.pack.version.clone(),
                    source: String::new(),
                },
                sections: vec![Section {
                    id: "answers".into(),
                    part: Part::Reflect,
                    title: "Answers".into(),
                    intro: None,
                }],
                questions: session
                    .answers
                    .keys()
                    .map(|id| Question {
                        id: id.clone(),
                        section: "answers".into(),
                        text: id.clone(),
                        facts: vec![],
                        prompts: vec![],
                    })
                    .collect(),
                drills: vec![],
            }
        }
    }
}

/// The session's simulation parameters over the scenario's defaults. The map holds a
/// serialized `Params` (or `{ "params": … }`); keys it lacks keep the scenario's value.
pub fn params_of(session: &Session, s: &Scenario) -> Result<Params, ReportError> {
    let base = Params::from_scenario(s);
    if session.simulation.is_empty() {
        return Ok(base);
    }
    let saved = match session.simulation.get("params") {
        Some(Value::Object(m)) => m,
        _ => &session.simulation,
    };
    let mut v = serde_json::to_value(&base).map_err(|e| ReportError(e.to_string()))?;
    if let Some(obj) = v.as_object_mut() {
        for (k, x) in saved {
            if obj.contains_key(k) {
                obj.insert(k.clone(), x.clone());
            }
        }
    }
    serde_json::from_value(v)
        .map_err(|e| ReportError(format!("the session's simulation parameters: {e}")))
}

/// The scenario with a session's budget edits applied (refused with the loader's reason).
pub fn edited(s: &Scenario, session: &Session) -> Result<Scenario, ReportError> {
    edits::apply(s, &session.budget_edits)
        .map_err(|e| ReportError(format!("the session's budget edits: {e}")))
}

/// Inputs of `report ARG`: a session file (`.json`) or a scenario (built-in id or `.toml`).
/// Does `report` read `arg` as a session file (a `.json` path) rather than a scenario?
pub fn is_session_file(arg: &str) -> bool {
    Path::new(arg).extension().is_some_and(|e| e == "json")
}

pub fn load(arg: &str) -> Result<Inputs, ReportError> {
    let p = Path::new(arg);
    if !is_session_file(arg) {
        let s = scenario::resolve(arg).map_err(|e| ReportError(e.to_string()))?;
        return Ok(Inputs {
            params: Params::from_scenario(&s),
            source_hash: s.source_hash.clone(),
            scenario: s,
            session: None,
            pack: None,
            journal: None,
            notes: vec![],
        });
    }
    let session = Session::load(p).map_err(|e| ReportError(e.to_string()))?;
    load_session(session, p)
}

/// Inputs from a session already read from `path`.
pub fn load_session(session: Session, path: &Path) -> Result<Inputs, ReportError> {
    let mut notes = vec![];
    let base = scenario_of(&session, &mut notes)?;
    let pack = pack_of(&session, &mut notes);
    inputs_with(session, path, base, pack, notes)
}

/// Inputs from a session whose scenario and pack are already loaded (the TUI has them).
pub fn inputs_with(
    session: Session,
    path: &Path,
    base: Scenario,
    pack: Pack,
    mut notes: Vec<String>,
) -> Result<Inputs, ReportError> {
    let s = edited(&base, &session)?;
    let params = params_of(&session, &s)?;
    let journal = if plain_file_name(&session.registry_journal) {
        Some(session.journal_path(path)).filter(|j| j.exists())
    } else {
        notes.push(format!(
            "registry journal name `{}` is not a plain file name; ignored",
            session.registry_journal
        ));
        None
    };
    Ok(Inputs {
        scenario: s,
        source_hash: base.source_hash,
        session: Some(session),
        pack: Some(pack),
        params,
        journal,
        notes,
    })
}

/// Registry totals and holdings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegistrySummary {
    /// `session-journal` or `simulation`.
    pub source: &'static str,
    /// The journal's file name.
    pub journal: Option<String>,
    pub note: Option<String>,
    pub events: u64,
    pub issued: u64,
    /// Units that are ITMOs (authorized).
    pub authorized: u64,
    pub first_transferred: u64,
    pub retired: u64,
    /// Used towards an NDC.
    pub used: u64,
    pub cancelled: u64,
    pub beneficiaries: Vec<BeneficiaryRow>,
    pub holdings: Vec<HoldingRow>,
}

/// Units retired or used for one beneficiary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, PartialOrd, Ord)]
pub struct BeneficiaryRow {
    pub kind: &'static str,
    pub name: String,
    pub id: String,
    pub country: String,
    pub purpose: String,
    pub units: u64,
}

/// Units of one vintage in one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HoldingRow {
    pub account: String,
    pub owner: String,
    pub party: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub vintage: u16,
    pub units: u64,
}

/// Fold a ledger into the summary.
pub fn registry_summary(l: &Ledger, source: &'static str) -> RegistrySummary {
    use crate::registry::event::MoveKind;
    let st = l.state();
    let mut r = RegistrySummary {
        source,
        journal: None,
        note: None,
        events: l.last_seq(),
        issued: st
            .issuances
            .iter()
            .filter(|i| i.imported_from.is_none())
            .map(|i| i.last - i.first + 1)
            .sum(),
        authorized: 0,
        first_transferred: 0,
        retired: 0,
        used: 0,
        cancelled: 0,
        beneficiaries: vec![],
        holdings: vec![],
    };
    let mut bens: BTreeMap<(&'static str, String, String, String, String), u64> = BTreeMap::new();
    for b in st.blocks.iter().filter(|b| b.live()) {
        let n = b.count();
        if b.class == crate::registry::Class::Itmo {
            r.authorized += n;
        }
        if b.first_transfer.is_some() {
            r.first_transferred += n;
        }
        let Some(t) = &b.terminal else { continue };
        let (kind, ben) = match &*t.kind {
            MoveKind::Retire { beneficiary, .. } => {
                r.retired += n;
                ("retire", beneficiary)
            }
            MoveKind::Use { beneficiary, .. } => {
                r.used += n;
                ("use", beneficiary)
            }
            MoveKind::Cancel { .. } => {
                r.cancelled += n;
                continue;
            }
            MoveKind::Transfer { .. } => continue,
        };
        *bens
            .entry((
                kind,
                ben.name.clone(),
                ben.id.clone(),
                ben.country.clone(),
                ben.purpose.clone(),
            ))
            .or_default() += n;
    }
    r.beneficiaries = bens
        .into_iter()
        .map(
            |((kind, name, id, country, purpose), units)| BeneficiaryRow {
                kind,
                name,
                id,
                country,
                purpose,
                units,
            },
        )
        .collect();
    for a in l.balances() {
        for (v, u) in &a.by_vintage {
            if *u > 0 {
                r.holdings.push(HoldingRow {
                    account: a.id.clone(),
                    owner: a.owner.clone(),
                    party: a.party.clone(),
                    kind: a.kind,
                    vintage: *v,
                    units: *u,
                });
            }
        }
    }
    r
}

/// Everything a report shows, computed once.
#[derive(Debug)]
pub struct Report {
    pub inputs: Inputs,
    pub budget: Budget,
    pub sim: Simulation,
    pub mc: Option<McReport>,
    pub registry: RegistrySummary,
    pub chart: String,
}

/// The Monte Carlo of a report: [`MC_RUNS`] runs, seed [`MC_SEED`], [`MC_CONFIDENCE`].
pub fn monte_carlo(s: &Scenario, sim: &Simulation) -> Option<McReport> {
    use simulate::montecarlo::{self, McParams};
    let study = simulate::study(s, sim);
    let volume = sim.outcome.transferred;
    let params = McParams {
        runs: MC_RUNS,
        seed: MC_SEED,
        confidence: MC_CONFIDENCE,
    };
    montecarlo::run(&study, volume, &params, &Default::default()).map(|result| McReport {
        result,
        seed: MC_SEED,
        confidence: MC_CONFIDENCE,
    })
}

/// The emission path chart: BAU, projected emissions, emissions balance and the target.
pub fn emission_chart(sim: &Simulation) -> String {
    use rust_decimal::prelude::ToPrimitive;
    let f = |d: Decimal| d.to_f64();
    let ys = &sim.outcome.years;
    let series = |name: &str, mark: char, g: &dyn Fn(&simulate::YearRow) -> Option<f64>| Series {
        name: name.into(),
        mark,
        values: ys.iter().map(|y| (y.year, g(y))).collect(),
    };
    line_chart(
        "Emission path (tCO2e, covered sectors)",
        &[
            series("BAU", 'B', &|y| f(y.bau)),
            series("projected emissions", 'P', &|y| f(y.projected_emissions)),
            series("emissions balance (after CA)", 'E', &|y| {
                f(y.emissions_balance)
            }),
            series("target", 'T', &|y| y.target.and_then(f)),
        ],
        12,
    )
}

/// Compute the report.
pub fn build(inputs: Inputs) -> Result<Report, ReportError> {
    let s = &inputs.scenario;
    let sim = simulate::run(s, &inputs.params)
        .map_err(|e| ReportError(format!("{}: cannot simulate: {e}", s.id())))?;
    let budget = sim.budget.clone();
    let mc = monte_carlo(s, &sim);
    let mut registry = match &inputs.journal {
        Some(j) => match Ledger::load(j, ManualClock::new(chrono::DateTime::UNIX_EPOCH)) {
            Ok(l) => registry_summary(&l, "session-journal"),
            Err(e) => {
                let mut r = registry_summary(&sim.ledger.ledger, "simulation");
                r.note = Some(format!(
                    "the session's registry journal cannot be read ({e}); figures are from the simulation's ledger"
                ));
                r
            }
        },
        None => {
            let mut r = registry_summary(&sim.ledger.ledger, "simulation");
            r.note = Some(
                "no registry journal for this session; figures are from the ledger the simulation wrote"
                    .into(),
            );
            r
        }
    };
    registry.journal = inputs
        .journal
        .as_ref()
        .and_then(|j| j.file_name())
        .map(|n| n.to_string_lossy().into_owned());
    let chart = emission_chart(&sim);
    Ok(Report {
        inputs,
        budget,
        sim,
        mc,
        registry,
        chart,
    })
}

fn d(x: Decimal) -> String {
    x.round_dp(3).normalize().to_string()
}

fn edits_list(r: &Report) -> Vec<(String, String)> {
    r.inputs
        .session
        .as_ref()
        .map(|s| {
            s.budget_edits
                .iter()
                .map(|(k, v)| {
                    let v = match v {
                        Value::String(t) => t.clone(),
                        other => other.to_string(),
                    };
                    (k.clone(), v)
                })
                .collect()
        })
        .unwrap_or_default()
}

fn budget_json(r: &Report) -> Value {
    let b = &r.budget;
    let ty = b.target_year;
    let sectors: Vec<Value> = b
        .sectors
        .iter()
        .filter_map(|sec| {
            let y = sec.at(ty)?;
            let m = &y.mitigation;
            Some(json!({
                "id": sec.id, "name": sec.name, "in_scope": sec.in_scope, "bau_t": d(y.bau),
                "unconditional_t": d(m.unconditional), "conditional_t": d(m.conditional),
                "beyond_t": d(m.beyond), "outside_scope_t": d(m.outside_scope), "projected_t": d(y.projected),
            }))
        })
        .collect();
    let t = b.target();
    let edits: Vec<Value> = edits_list(r)
        .into_iter()
        .map(|(p, v)| json!({ "path": p, "value": v }))
        .collect();
    json!({
        "target_year": ty,
        "unit": r.inputs.scenario.unit().short(),
        "edits": edits,
        "sectors": sectors,
        "covered_bau_t": d(t.covered_bau),
        "covered_projected_t": d(t.covered_projected),
        "target_unconditional_t": d(t.target_unconditional),
        "needed_unconditional_t": d(t.needed_unconditional),
    })
}

fn provenance_json(r: &Report) -> Value {
    let s = &r.inputs.scenario;
    let sources: Vec<Value> = s
        .file
        .sources
        .iter()
        .map(|x| json!({ "title": x.title, "url": x.url }))
        .collect();
    let session = r.inputs.session.as_ref();
    json!({
        "scenario_id": s.id(),
        "scenario_title": s.title(),
        "scenario_source": session.map(|x| x.scenario.source.clone())
            .unwrap_or_else(|| crate::workshop::session::scenario_source(s)),
        "source_hash": r.inputs.source_hash,
        "session_source_hash": session.map(|x| x.scenario.source_hash.clone()),
        "illustrative": s.file.scenario.illustrative,
        "sources": sources,
        "tool_version": env!("CARGO_PKG_VERSION"),
        "params": r.inputs.params,
        "pack": r.inputs.pack.as_ref().map(|p| json!({ "id": p.pack.id, "version": p.pack.version })),
        "monte_carlo": { "runs": MC_RUNS, "seed": MC_SEED, "confidence": MC_CONFIDENCE },
        "notes": r.inputs.notes,
    })
}

/// The JSON report (shape in the module docs).
pub fn json(r: &Report) -> Value {
    let answers = match (&r.inputs.session, &r.inputs.pack) {
        (Some(s), Some(p)) => super::answers::to_json(s, p, &r.inputs.scenario),
        _ => Value::Null,
    };
    json!({
        "format": REPORT_FORMAT,
        "participant": r.inputs.session.as_ref().map(|s| s.participant.clone()),
        "answers": answers,
        "budget": budget_json(r),
        "simulation": super::simulation::json(&r.inputs.scenario, &r.sim, r.mc.as_ref()),
        "registry": r.registry,
        "chart": r.chart,
        "provenance": provenance_json(r),
    })
}

mod render;
pub use render::{csv_files, default_out_dir, markdown, md_escape, md_line, md_lines};

/// Write the whole session report (`report.md`, `report.json` and the CSV tables) into
/// `dir/<report-SCENARIO-PARTICIPANT>/`, as `ndc-workbench report` does for each format; returns
/// the paths written. Used by the TUI's Report export, so the screen and the command agree.
pub fn export_all(
    dir: &Path,
    session: &Session,
    session_path: &Path,
    scenario: &Scenario,
    pack: &Pack,
) -> Result<Vec<PathBuf>, ReportError> {
    let inputs = inputs_with(
        session.clone(),
        session_path,
        scenario.clone(),
        pack.clone(),
        vec![],
    )?;
    let r = build(inputs)?;
    let out = dir.join(default_out_dir(&r));
    let mut files: Vec<(String, String)> = vec![("report.md".into(), markdown(&r))];
    let json = serde_json::to_string_pretty(&json(&r))
        .map_err(|e| ReportError(format!("cannot encode the report as JSON: {e}")))?;
    files.push(("report.json".into(), json + "\n"));
    files.extend(
        csv_files(&r).map_err(|e| ReportError(format!("cannot write the report as CSV: {e}")))?,
    );
    let mut written = vec![];
    for (name, text) in files {
        let path = out.join(name);
        crate::store::atomic_write(&path, text.as_bytes())
            .map_err(|e| ReportError(format!("{}: {e}", path.display())))?;
        written.push(path);
    }
    Ok(written)
}
