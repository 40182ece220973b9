//! Invariant 14 at issuance (registry-model §4, invariant 14): a vintage lies in the crediting
//! period of the project's validation (a renewal is a second validation) and in the monitoring
//! period of the verification it is issued against. Refused by the command, flagged by
//! `check` when a journal says otherwise. Years are chosen by hand, never read from the code.

use chrono::NaiveDate;
use ndc_workbench::registry::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn setup(mut l: Ledger) -> Ledger {
    l.execute(Command::InitParty {
        party: "BTN".into(),
        registry_id: "BTN01".into(),
        name: String::new(),
        ndc_first_year: None,
        ndc_last_year: None,
    })
    .unwrap();
    l.execute(Command::RegisterProject {
        id: "P0009".into(),
        name: "Small hydro".into(),
        sector: "Energy".into(),
        mechanism: Mechanism::Domestic,
        host: Some("BTN".into()),
        developer: None,
        methodology: String::new(),
        unit_type: UnitType::default(),
        covered_by_ndc: Some("Inside NDC".into()),
        link: String::new(),
        registered: true,
    })
    .unwrap();
    l
}

fn ledger() -> Ledger {
    setup(Ledger::in_memory(
        ManualClock::at_date(d(2026, 3, 1)).stepping(60),
    ))
}

fn validation(
    l: &mut Ledger,
    id: &str,
    start: u16,
    end: u16,
) -> Result<CommandOutcome, RegistryError> {
    l.execute(Command::RecordValidation {
        id: id.into(),
        project: "P0009".into(),
        vvb: "VVB-1".into(),
        date: d(2021, 5, 1),
        crediting_start: start,
        crediting_end: end,
    })
}

fn issue(
    l: &mut Ledger,
    vintage: u16,
    verification: Option<&str>,
) -> Result<CommandOutcome, RegistryError> {
    l.execute(Command::Issue {
        project: "P0009".into(),
        vintage,
        quantity: 100,
        to: None,
        verification: verification.map(String::from),
        levies: None,
        authorization: None,
        date: None,
    })
}

fn refusal(r: Result<CommandOutcome, RegistryError>) -> String {
    r.expect_err("the ledger accepted it").to_string()
}

#[test]
fn a_vintage_outside_every_crediting_period_is_refused_and_a_renewal_extends_it() {
    let mut l = ledger();
    // No validation on record: nothing to hold the vintage to (imports, drills).
    issue(&mut l, 2019, None).unwrap();

    validation(&mut l, "VAL-1", 2021, 2025).unwrap();
    issue(&mut l, 2021, None).unwrap();
    issue(&mut l, 2025, None).unwrap();
    for year in [2020, 2026] {
        let e = refusal(issue(&mut l, year, None));
        assert!(e.contains("invariant 14"), "{e}");
        assert!(
            e.contains(&format!("vintage {year}")) && e.contains("2021–2025 (validation VAL-1)"),
            "{e}"
        );
    }

    // The crediting period renewed for 2026–2030: 2026 is in, 2031 still out, and the refusal
    // names both periods.
    validation(&mut l, "VAL-2", 2026, 2030).unwrap();
    issue(&mut l, 2026, None).unwrap();
    let e = refusal(issue(&mut l, 2031, None));
    assert!(
        e.contains("2021–2025 (validation VAL-1)") && e.contains("2026–2030 (validation VAL-2)"),
        "{e}"
    );
    // Only the accepted issuances hold units: 2019, 2021, 2025, 2026, 100 each.
    let held: u64 = l.balances().iter().map(|b| b.units).sum();
    assert_eq!(held, 400);
}

#[test]
fn a_validation_id_is_recorded_once() {
    let mut l = ledger();
    validation(&mut l, "VAL-1", 2021, 2025).unwrap();
    let e = refusal(validation(&mut l, "VAL-1", 2010, 2040));
    assert!(e.contains("validation VAL-1 already recorded"), "{e}");
    // The first record stands: 2030 is still outside it.
    assert!(refusal(issue(&mut l, 2030, None)).contains("2021–2025"));
}

#[test]
fn a_vintage_outside_the_verified_monitoring_period_is_refused() {
    let mut l = ledger();
    l.execute(Command::RecordVerification {
        id: "VER-1".into(),
        project: "P0009".into(),
        vvb: "VVB-1".into(),
        date: d(2025, 2, 1),
        monitoring_start: 2023,
        monitoring_end: 2024,
        verified_quantity: 1_000,
    })
    .unwrap();
    issue(&mut l, 2024, Some("VER-1")).unwrap();
    let e = refusal(issue(&mut l, 2025, Some("VER-1")));
    assert!(e.contains("invariant 14") && e.contains("2023-2024"), "{e}");
}

#[test]
fn check_flags_a_journaled_issuance_outside_the_crediting_period() {
    use sha2::{Digest, Sha256};
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("j.jsonl");
    let mut l = setup(Ledger::open(&p, ManualClock::at_date(d(2026, 3, 1)).stepping(60)).unwrap());
    validation(&mut l, "VAL-1", 2021, 2025).unwrap();
    issue(&mut l, 2025, None).unwrap();
    let seq = l.last_seq();
    drop(l);
    ndc_workbench::registry::invariants::check_journal(&p).unwrap();

    // Rewrite the last line (the issuance) to vintage 2026 and seal it again, as a forger
    // with the file would: the chain holds, invariant 14 does not.
    let text = std::fs::read_to_string(&p).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let last = lines.pop().unwrap();
    assert!(
        last.contains("\"type\":\"Issued\"") && last.contains("\"vintage\":2025"),
        "{last}"
    );
    // Canonical line = C + `,"hash":"<64 hex>"}`; the hash is SHA-256 of C + `}`.
    let body = last[..last.len() - 75].replace("\"vintage\":2025", "\"vintage\":2026");
    let hash: String = Sha256::digest(format!("{body}}}").as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    lines.push(format!("{body},\"hash\":\"{hash}\"}}"));
    std::fs::write(&p, lines.join("\n") + "\n").unwrap();
    let e = ndc_workbench::registry::invariants::check_journal(&p)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("invariant 14") && e.contains("crediting period"),
        "{e}"
    );
    assert!(e.contains(&format!("event {seq}")), "{e}");
}
