//! Fixture sessions for the report, collect and portability tests: fixed timestamps, a
//! built-in scenario, answers (some formula-like), budget edits, parameters and a small
//! registry journal.
#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use ndc_workbench::registry::types::Filter;
use ndc_workbench::registry::*;
use ndc_workbench::scenario;
use ndc_workbench::simulate::Params;
use ndc_workbench::workshop::session::{Session, session_path};
use ndc_workbench::workshop::{self, Pack};
use std::path::{Path, PathBuf};

pub const SCENARIO: &str = "bhutan-2030";

pub fn at(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 4, 9 + h, 0, 0)
        .single()
        .expect("valid time")
}

pub fn pack() -> Pack {
    workshop::builtin_pack(workshop::DEFAULT_PACK)
        .expect("built in")
        .expect("valid")
}

/// A session with answers (one written by a group), a budget edit and a buffer of 10 %.
pub fn session(participant: &str, scenario_id: &str) -> Session {
    let s = scenario::resolve(scenario_id).expect("scenario");
    let mut sess = Session::new(participant, &s, &pack(), at(0));
    sess.set_answer(
        "current-ndc-includes",
        "Energy and forestry; <b>hydro</b> | exports",
        at(1),
    );
    sess.set_answer(
        "current-ndc-conditional",
        "=HYPERLINK(\"x\")\n+ second line",
        at(1),
    );
    sess.set_answer("op-key-challenges", "-registry not ready", at(2));
    sess.set_answer("op-collaboration", "+1 more registry staff", at(2));
    sess.set_answer("trade-challenges", "@risk: price discovery", at(2));
    sess.set_answer("trade-strategies", "Pool demand with neighbours", at(3));
    sess.set_group("trade-strategies", "Group B", at(3));
    let mut p = serde_json::to_value(Params::from_scenario(&s)).expect("params");
    p["buffer"] = serde_json::json!("0.1");
    if let serde_json::Value::Object(m) = p {
        sess.simulation = m;
    }
    sess.updated_at = at(3);
    sess
}

/// Like [`session`], with a budget edit on Bhutan's hydro cost.
pub fn session_with_edit(participant: &str) -> Session {
    let mut s = session(participant, SCENARIO);
    s.budget_edits.insert(
        "activity.dagachhu-hydro.cost_per_t".into(),
        serde_json::json!("12"),
    );
    s
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

/// A small journal: two Parties, a project, an issuance, a retirement for a named
/// beneficiary and a cancellation.
pub fn write_journal(path: &Path) {
    let clock = ManualClock::at_date(d(2025, 3, 1)).stepping(60);
    let mut l = Ledger::open(path, clock).expect("journal");
    for (p, name) in [("BTN", "Bhutan"), ("CHE", "Switzerland")] {
        l.execute(Command::InitParty {
            party: p.into(),
            registry_id: format!("{p}01"),
            name: name.into(),
            ndc_first_year: Some(2021),
            ndc_last_year: Some(2030),
        })
        .expect("party");
    }
    l.execute(Command::RegisterProject {
        id: "P0001".into(),
        name: "Dagachhu hydro".into(),
        sector: "Energy".into(),
        mechanism: Mechanism::A64,
        host: Some("BTN".into()),
        developer: None,
        methodology: String::new(),
        unit_type: UnitType::default(),
        covered_by_ndc: Some("Inside NDC".into()),
        link: String::new(),
        registered: true,
    })
    .expect("project");
    l.execute(Command::Issue {
        project: "P0001".into(),
        vintage: 2024,
        quantity: 1000,
        to: None,
        verification: None,
        levies: None,
        authorization: None,
        date: None,
    })
    .expect("issue");
    l.execute(Command::Retire {
        from: "BTN:REG:Holding".into(),
        quantity: 10,
        filter: Filter::default(),
        beneficiary: Beneficiary {
            name: "Druk Air".into(),
            id: "BTN-TAX-42".into(),
            country: "BTN".into(),
            purpose: "voluntary claim 2024".into(),
        },
        authorized_entity: None,
    })
    .expect("retire");
    l.execute(Command::Cancel {
        from: "BTN:REG:Holding".into(),
        quantity: 5,
        filter: Filter::default(),
        subtype: CancelSubtype::Voluntary,
        reason: "workshop drill".into(),
    })
    .expect("cancel");
}

/// Save a session (and optionally its journal) under `data/sessions`; returns its path.
pub fn save(data: &Path, s: &Session, journal: bool) -> PathBuf {
    let p = session_path(data, &s.scenario.id, &s.participant);
    s.save(&p).expect("save");
    if journal {
        write_journal(&s.journal_path(&p));
    }
    p
}
