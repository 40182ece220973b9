//! Golden cases G1–G10 (registry-model §9), the real-data import and the ledger/hledger
//! acceptance of the journal export. Expected numbers are computed by hand (or with awk from
//! the CSV), never taken from the code under test.

use std::path::Path;
use std::process::Command as Proc;

use chrono::NaiveDate;
use ndc_workbench::registry::event::MoveKind;
use ndc_workbench::registry::export::{aef, ledger_journal};
use ndc_workbench::registry::invariants::check_journal;
use ndc_workbench::registry::state::{State, Terminal};
use ndc_workbench::registry::types::Filter;
use ndc_workbench::registry::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn init(l: &mut Ledger, party: &str) {
    l.execute(Command::InitParty {
        party: party.into(),
        registry_id: format!("{party}01"),
        name: String::new(),
        ndc_first_year: None,
        ndc_last_year: None,
    })
    .unwrap();
}

fn project(l: &mut Ledger, id: &str, host: &str, mech: Mechanism) {
    l.execute(Command::RegisterProject {
        id: id.into(),
        name: id.into(),
        sector: "Energy".into(),
        mechanism: mech,
        host: Some(host.into()),
        developer: None,
        methodology: String::new(),
        unit_type: UnitType::default(),
        covered_by_ndc: Some("Inside NDC".into()),
        link: String::new(),
        registered: true,
    })
    .unwrap();
}

fn approach(l: &mut Ledger, id: &str) {
    l.execute(Command::RecordApproach {
        id: id.into(),
        title: "t".into(),
        host: "BTN".into(),
        parties: vec![],
    })
    .unwrap();
    l.execute(Command::FileInitialReport {
        approach: id.into(),
        version: 1,
        status: ReportStatus::Submitted,
    })
    .unwrap();
    l.execute(Command::SetApproachStatus {
        id: id.into(),
        status: ApproachStatus::Submitted,
    })
    .unwrap();
    l.execute(Command::SetApproachStatus {
        id: id.into(),
        status: ApproachStatus::Active,
    })
    .unwrap();
}

fn auth(
    l: &mut Ledger,
    id: &str,
    purpose: &str,
    def: Option<&str>,
) -> Result<CommandOutcome, RegistryError> {
    l.execute(Command::RecordAuthorization {
        id: id.into(),
        version: 1,
        date: d(2024, 6, 1),
        approach: "CA0001".into(),
        purpose: purpose.into(),
        acquiring_parties: vec![],
        entities: vec![],
        authorized_quantity: None,
        period_start: 2021,
        period_end: 2030,
        first_transfer_definition: def.map(String::from),
    })
}

fn issue(l: &mut Ledger, project: &str, vintage: u16, q: u64) -> CommandOutcome {
    l.execute(Command::Issue {
        project: project.into(),
        vintage,
        quantity: q,
        to: None,
        verification: None,
        levies: None,
        authorization: None,
        date: None,
    })
    .unwrap()
}

fn transfer(
    l: &mut Ledger,
    from: &str,
    to: &str,
    q: u64,
    class: Option<Class>,
) -> Result<CommandOutcome, RegistryError> {
    l.execute(Command::Transfer {
        from: from.into(),
        to: to.into(),
        quantity: q,
        filter: Filter {
            class,
            ..Filter::default()
        },
        acquiring_party: None,
    })
}

fn base(year: i32) -> (Ledger, ManualClock) {
    let clock = ManualClock::at_date(d(year, 3, 1)).stepping(60);
    let mut l = Ledger::in_memory(clock.clone());
    init(&mut l, "BTN");
    init(&mut l, "CHE");
    approach(&mut l, "CA0001");
    (l, clock)
}

const H: &str = "BTN:REG:Holding";
const CH: &str = "CHE:REG:Holding";

fn ranges(o: &CommandOutcome) -> Vec<(String, u64, String)> {
    o.ranges
        .iter()
        .map(|r| (r.serial.clone(), r.quantity, r.account.clone()))
        .collect()
}

#[test]
fn g1_article_6_4_levies() {
    let (mut l, _) = base(2025);
    project(&mut l, "P0007", "BTN", Mechanism::A64);
    let o = issue(&mut l, "P0007", 2024, 1000);
    assert_eq!(
        ranges(&o),
        vec![
            ("BTN01-P0007-2024-000001-000930".into(), 930, H.into()),
            (
                "BTN01-P0007-2024-000931-000950".into(),
                20,
                "BTN:REG:CancellationOMGE".into()
            ),
            (
                "BTN01-P0007-2024-000951-001000".into(),
                50,
                "INT:AF:AdaptationFund".into()
            ),
        ]
    );
    assert_eq!(l.balance(H), 930);
    assert_eq!(l.balance("INT:AF:AdaptationFund"), 50);
    assert_eq!(l.balance("BTN:REG:CancellationOMGE"), 20);
    // Non-round quantity: 1001 → OMGE ceil(20.02) = 21, SOP ceil(50.05) = 51, holder 929.
    let o = issue(&mut l, "P0007", 2024, 1001);
    let q: Vec<u64> = o.ranges.iter().map(|r| r.quantity).collect();
    assert_eq!(q, vec![929, 21, 51]);
    l.check().unwrap();
}

#[test]
fn g2_partial_transfer_takes_lowest_serials() {
    let (mut l, _) = base(2025);
    project(&mut l, "P0001", "BTN", Mechanism::Domestic);
    l.execute(Command::RegisterOrganization {
        id: "DEV".into(),
        name: "d".into(),
        country: "BTN".into(),
        roles: vec![Role::ProjectDeveloper],
    })
    .unwrap();
    l.execute(Command::OpenAccount {
        id: "BTN:DEV:Holding".into(),
        owner: "DEV".into(),
        party: "BTN".into(),
        kind: AccountKind::Holding,
    })
    .unwrap();
    issue(&mut l, "P0001", 2024, 1000);
    let o = transfer(&mut l, H, "BTN:DEV:Holding", 400, None).unwrap();
    assert_eq!(
        ranges(&o),
        vec![(
            "BTN01-P0001-2024-000001-000400".into(),
            400,
            "BTN:DEV:Holding".into()
        )]
    );
    let left: Vec<String> = l
        .blocks_of(H)
        .iter()
        .map(|b| l.state().block_serial(b).to_string())
        .collect();
    assert_eq!(left, vec!["BTN01-P0001-2024-000401-001000"]);
    l.check().unwrap();
}

#[test]
fn g3_partial_first_transfer_counted_after_splits() {
    let (mut l, _) = base(2025);
    project(&mut l, "P0007", "BTN", Mechanism::A64);
    issue(&mut l, "P0007", 2024, 1000); // holder 1–930
    auth(&mut l, "BTN-NDC-1", "NDC", None).unwrap();
    l.execute(Command::Authorize {
        account: H.into(),
        authorization: "BTN-NDC-1".into(),
        quantity: 930,
        filter: Filter::default(),
        date: None,
    })
    .unwrap();
    let o = transfer(&mut l, H, CH, 300, None).unwrap();
    assert_eq!(
        ranges(&o),
        vec![("BTN01-P0007-2024-000001-000300".into(), 300, CH.into())]
    );
    assert_eq!(l.article6_flows("BTN").total_first_transferred(), 300);
    // Split the first-transferred block at the buyer: status survives the split.
    l.execute(Command::Transfer {
        from: CH.into(),
        to: "CHE:REG:Buffer".into(),
        quantity: 120,
        filter: Filter::default(),
        acquiring_party: None,
    })
    .unwrap();
    let o = transfer(&mut l, H, CH, 630, None).unwrap();
    assert_eq!(o.quantity(), 630);
    let f = l.article6_flows("BTN");
    assert_eq!(f.total_first_transferred(), 930);
    assert_eq!(f.fte_ndc.get(&2025), Some(&930));
    let st = l.state();
    assert!(
        st.blocks
            .iter()
            .filter(|b| b.live() && st.block_project(b) == "P0007" && b.class == Class::Itmo)
            .all(|b| b.first_transfer.is_some())
    );
    // A first-transferred unit moving back and forth is never first-transferred twice.
    transfer(&mut l, CH, H, 10, None).unwrap();
    transfer(&mut l, H, CH, 10, Some(Class::Itmo)).unwrap();
    assert_eq!(l.article6_flows("BTN").total_first_transferred(), 930);
    l.check().unwrap();
}

#[test]
fn g4_ca_by_vintage_and_use_year() {
    let (mut l, clock) = base(2025);
    init(&mut l, "GHA");
    project(&mut l, "P0001", "BTN", Mechanism::A62);
    issue(&mut l, "P0001", 2024, 100);
    auth(&mut l, "BTN-NDC-1", "NDC", None).unwrap();
    l.execute(Command::Authorize {
        account: H.into(),
        authorization: "BTN-NDC-1".into(),
        quantity: 100,
        filter: Filter::default(),
        date: None,
    })
    .unwrap();
    transfer(&mut l, H, "CHE:REG:Buffer", 100, None).unwrap(); // CHE buffer: keeps them apart
    let f = l.article6_flows("BTN");
    assert_eq!(f.ca(2024), 100);
    assert_eq!(f.fte_ndc.get(&2025), Some(&100));
    // CHE acquires 50 from GHA's registry and holds them: nothing changes for CHE.
    l.execute(Command::Acquire {
        to: CH.into(),
        from_party: "GHA".into(),
        registry: "GHA01".into(),
        project: "G1".into(),
        vintage: 2025,
        first: 1,
        last: 50,
        authorization: None,
        unit_type: UnitType::default(),
    })
    .unwrap();
    let che = l.article6_flows("CHE");
    assert_eq!(
        (che.ca(2025), che.ca(2026), che.total_first_transferred()),
        (0, 0, 0)
    );
    clock.set_date(d(2026, 5, 1));
    l.execute(Command::Use {
        from: CH.into(),
        quantity: 30,
        filter: Filter::default(),
        use_year: 2026,
        beneficiary: None,
    })
    .unwrap();
    let che = l.article6_flows("CHE");
    assert_eq!(che.ca(2026), -30);
    assert_eq!(che.used.get(&2026), Some(&30));
    assert_eq!(l.article6_flows("BTN").ca(2024), 100);
    l.check().unwrap();
}

#[test]
fn g5_idempotent_retry_and_changed_payload() {
    let (mut l, _) = base(2025);
    project(&mut l, "P0001", "BTN", Mechanism::A62);
    let cmd = Command::Issue {
        project: "P0001".into(),
        vintage: 2024,
        quantity: 10,
        to: None,
        verification: None,
        levies: None,
        authorization: None,
        date: None,
    };
    let sub = |c: Command| Submission {
        command_id: "c-1".into(),
        actor: Actor::system(),
        command: c,
    };
    let first = l.submit(sub(cmd.clone())).unwrap();
    let seq = l.last_seq();
    let again = l.submit(sub(cmd.clone())).unwrap();
    assert_eq!(l.last_seq(), seq);
    assert!(again.replayed);
    assert_eq!(
        (again.first_seq, again.ranges.clone()),
        (first.first_seq, first.ranges.clone())
    );
    let Command::Issue {
        project,
        vintage,
        to,
        verification,
        levies,
        authorization,
        date,
        ..
    } = cmd
    else {
        unreachable!()
    };
    let changed = Command::Issue {
        project,
        vintage,
        quantity: 11,
        to,
        verification,
        levies,
        authorization,
        date,
    };
    assert!(matches!(
        l.submit(sub(changed)),
        Err(RegistryError::ExistsWithDifferentPayload { .. })
    ));
    assert_eq!(l.last_seq(), seq);
    assert_eq!(l.balance(H), 10);
    // A refused id stays refused (not reusable).
    let bad = Submission {
        command_id: "c-2".into(),
        actor: Actor::system(),
        command: Command::Transfer {
            from: H.into(),
            to: CH.into(),
            quantity: 5,
            filter: Filter::default(),
            acquiring_party: None,
        },
    };
    let r1 = l.submit(bad.clone()).unwrap_err();
    assert_eq!(r1.rule(), Some("rule 6 gating"));
    assert!(
        r1.to_string()
            .contains("an MO cannot be transferred internationally; authorize it first")
    );
    let seq = l.last_seq();
    assert_eq!(l.submit(bad).unwrap_err().rule(), Some("rule 6 gating"));
    assert_eq!(l.last_seq(), seq);
}

fn journal_with_events(dir: &Path) -> std::path::PathBuf {
    let p = dir.join("j.jsonl");
    let clock = ManualClock::at_date(d(2025, 1, 1)).stepping(60);
    let mut l = Ledger::open(&p, clock).unwrap();
    init(&mut l, "BTN");
    project(&mut l, "P0007", "BTN", Mechanism::A64);
    issue(&mut l, "P0007", 2024, 1000);
    l.execute(Command::Retire {
        from: H.into(),
        quantity: 10,
        filter: Filter::default(),
        beneficiary: Beneficiary {
            name: "Acme".into(),
            id: "CHE-1".into(),
            country: "CHE".into(),
            purpose: "claim".into(),
        },
        authorized_entity: None,
    })
    .unwrap();
    p
}

/// Retirement proofs share their kind (one record per distinct beneficiary, see
/// `Terminal::kind`), and each proof keeps its own seq: sharing never hands one retirement
/// another's beneficiary or event. Replayed from the journal, the proofs read the same.
#[test]
fn retirement_proofs_share_a_kind_per_beneficiary_and_keep_their_own_event() {
    let dir = tempfile::tempdir().unwrap();
    let p = journal_with_events(dir.path());
    let clock = ManualClock::at_date(d(2025, 2, 1)).stepping(60);
    let mut l = Ledger::open(&p, clock).unwrap();
    let ben = |name: &str, id: &str| Beneficiary {
        name: name.into(),
        id: id.into(),
        country: "CHE".into(),
        purpose: "claim".into(),
    };
    // Acme again (as in `journal_with_events`), then Beta, then Acme once more.
    let mut seqs = vec![];
    for (q, b) in [
        (5, ben("Acme", "CHE-1")),
        (3, ben("Beta", "CHE-2")),
        (2, ben("Acme", "CHE-1")),
    ] {
        l.execute(Command::Retire {
            from: H.into(),
            quantity: q,
            filter: Filter::default(),
            beneficiary: b,
            authorized_entity: None,
        })
        .unwrap();
        seqs.push(l.last_seq());
    }
    let proofs = |st: &State| -> Vec<(u64, u64, std::sync::Arc<Terminal>)> {
        st.blocks
            .iter()
            .filter(|b| b.live())
            .filter_map(|b| b.terminal.clone().map(|t| (b.count(), t.seq, t)))
            .filter(|(_, _, t)| matches!(*t.kind, MoveKind::Retire { .. }))
            .collect()
    };
    // The ledger that wrote them, a ledger loaded from the journal, and a check's replay.
    let loaded = Ledger::load(&p, ManualClock::at_date(d(2025, 3, 1))).unwrap();
    let (_, checked) =
        ndc_workbench::registry::invariants::check_journal_keeping_state(&p).unwrap();
    for st in [l.state(), loaded.state(), &checked] {
        let got = proofs(st);
        // 10 for Acme at the first retirement, then 5, 3 and 2.
        let counts: Vec<u64> = got.iter().map(|g| g.0).collect();
        assert_eq!(counts, [10, 5, 3, 2]);
        assert_eq!(got[1].1, seqs[0]);
        assert_eq!(got[2].1, seqs[1]);
        assert_eq!(got[3].1, seqs[2]);
        let name = |t: &Terminal| match &*t.kind {
            MoveKind::Retire { beneficiary, .. } => beneficiary.name.clone(),
            _ => String::new(),
        };
        let names: Vec<String> = got.iter().map(|g| name(&g.2)).collect();
        assert_eq!(names, ["Acme", "Acme", "Beta", "Acme"]);
        let acme = &got[0].2.kind;
        assert!(std::sync::Arc::ptr_eq(acme, &got[1].2.kind));
        assert!(std::sync::Arc::ptr_eq(acme, &got[3].2.kind));
        assert!(!std::sync::Arc::ptr_eq(acme, &got[2].2.kind));
    }
}

#[test]
fn g6_any_altered_byte_names_the_first_bad_seq() {
    let dir = tempfile::tempdir().unwrap();
    let p = journal_with_events(dir.path());
    check_journal(&p).unwrap();
    let orig = std::fs::read(&p).unwrap();
    let lines: Vec<(usize, usize)> = {
        let mut v = Vec::new();
        let mut start = 0;
        for (i, b) in orig.iter().enumerate() {
            if *b == b'\n' {
                v.push((start, i));
                start = i + 1;
            }
        }
        v
    };
    assert!(lines.len() > 15);
    let mut tried = 0;
    for (k, &(s, e)) in lines.iter().enumerate() {
        let len = e - s;
        for pos in [
            0,
            1,
            len / 7,
            len / 3,
            len / 2,
            (2 * len) / 3,
            len - 70,
            len - 40,
            len - 2,
            len - 1,
        ] {
            let mut bytes = orig.clone();
            let at = s + pos;
            bytes[at] = if bytes[at] == b'7' { b'8' } else { b'7' };
            std::fs::write(&p, &bytes).unwrap();
            let err = check_journal(&p).expect_err("tampering must be detected");
            assert_eq!(
                err.seq(),
                Some(k as u64 + 1),
                "line {} byte {pos}: {err}",
                k + 1
            );
            tried += 1;
        }
    }
    assert!(tried >= 150);
    // A torn tail (partial last line) is reported, not dropped; repair removes it explicitly.
    let mut torn = orig.clone();
    torn.extend_from_slice(b"{\"actor\":{\"org\"");
    std::fs::write(&p, &torn).unwrap();
    let err = check_journal(&p).unwrap_err();
    assert!(matches!(err, JournalError::TornTail { .. }), "{err}");
    assert!(Ledger::open(&p, SystemClock).is_err());
    let (bytes, seq) = ndc_workbench::registry::journal::truncate_torn_tail(&p).unwrap();
    assert_eq!((bytes, seq), (15, lines.len() as u64));
    assert_eq!(std::fs::read(&p).unwrap(), orig);
}

#[test]
fn g7_holdings_at_year_end_replay_exactly() {
    let (mut l, clock) = base(2025);
    project(&mut l, "P0001", "BTN", Mechanism::A62);
    auth(&mut l, "BTN-OIMP-1", "OIMP", Some("Authorization")).unwrap();
    issue(&mut l, "P0001", 2024, 500);
    l.execute(Command::Authorize {
        account: H.into(),
        authorization: "BTN-OIMP-1".into(),
        quantity: 300,
        filter: Filter::default(),
        date: None,
    })
    .unwrap();
    transfer(&mut l, H, CH, 120, Some(Class::Itmo)).unwrap();
    // Holdings of BTN at 31 Dec 2025: ITMOs 1–300 minus 120 transferred = 180 (by hand).
    clock.set_date(d(2026, 2, 1));
    l.execute(Command::Authorize {
        account: H.into(),
        authorization: "BTN-OIMP-1".into(),
        quantity: 100,
        filter: Filter::default(),
        date: None,
    })
    .unwrap();
    l.execute(Command::Cancel {
        from: H.into(),
        quantity: 50,
        filter: Filter {
            class: Some(Class::Itmo),
            ..Filter::default()
        },
        subtype: CancelSubtype::Other,
        reason: "x".into(),
    })
    .unwrap();
    let qty = |rows: &[Vec<String>]| {
        rows.iter()
            .map(|r| r[12].parse::<u64>().unwrap())
            .sum::<u64>()
    };
    let t4_2025 = aef::t4_rows(&l, "BTN", 2025);
    assert_eq!(qty(&t4_2025), 180);
    // 2026: 180 + 100 authorized − 50 cancelled = 230.
    let t4_2026 = aef::t4_rows(&l, "BTN", 2026);
    assert_eq!(qty(&t4_2026), 230);
    // Rebuild from T3: T4(2026) = T4(2025) + authorizations − cancellations in 2026.
    let t3 = aef::t3_rows(&l, Some(2026));
    let sum = |ty: &str| {
        t3.iter()
            .filter(|r| r[1] == ty)
            .map(|r| r[15].parse::<u64>().unwrap())
            .sum::<u64>()
    };
    assert_eq!(
        qty(&t4_2025) + sum("Authorization") - sum("Cancellation"),
        qty(&t4_2026)
    );
    // T3 2025: 300 authorized; first transfer at authorization (definition Authorization).
    let t3_25 = aef::t3_rows(&l, Some(2025));
    assert!(
        t3_25
            .iter()
            .any(|r| r[1] == "First transfer" && r[2] == "Authorization" && r[15] == "300")
    );
}

fn have(tool: &str) -> bool {
    Proc::new(tool)
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

#[test]
fn g8_journal_export_balances_in_hledger_and_ledger() {
    let dir = tempfile::tempdir().unwrap();
    // A day and a half a step: 1,500 events span several years, each with its assertions.
    let clock = ManualClock::at_date(d(2024, 6, 1)).stepping(129_600);
    let journal = dir.path().join("r.jsonl");
    let mut l = Ledger::open(&journal, clock).unwrap();
    ndc_workbench::registry::synth::run(
        &mut l,
        ndc_workbench::registry::synth::SynthConfig {
            events: 1500,
            seed: 5,
        },
        |_| {},
    )
    .unwrap();
    let text = ledger_journal::render(&l);
    // The export streamed from the file (what `registry export --format ledger` writes) is
    // the same text as the one rendered from the loaded ledger.
    let (streamed, _) = ledger_journal::render_journal(&journal).unwrap();
    assert_eq!(streamed, text);
    // One block of year-end assertions per year that has a transaction, after its last one.
    let tx_years: std::collections::BTreeSet<&str> = text
        .lines()
        .filter(|l| {
            l.len() > 11
                && l.as_bytes()[4] == b'-'
                && !l.contains("Year-end")
                && l.as_bytes()[0].is_ascii_digit()
        })
        .map(|l| &l[..4])
        .collect();
    let assertion_years: Vec<&str> = text
        .lines()
        .filter_map(|l| {
            l.split_once(" Year-end balance assertions ")
                .map(|(_, y)| y)
        })
        .collect();
    assert!(tx_years.len() >= 2, "{tx_years:?}");
    assert_eq!(
        assertion_years,
        tx_years.iter().copied().collect::<Vec<_>>()
    );
    let p = dir.path().join("r.journal");
    std::fs::write(&p, &text).unwrap();
    assert!(text.contains("commodity \"MO-2024\"") || text.contains("commodity \"MO-20"));
    let mut ran = false;
    if have("hledger") {
        let o = Proc::new("hledger")
            .args(["-f"])
            .arg(&p)
            .args(["check", "--strict"])
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "hledger check --strict: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        ran = true;
    } else {
        println!("hledger not installed: skipping the hledger check");
    }
    if have("ledger") {
        let o = Proc::new("ledger")
            .arg("-f")
            .arg(&p)
            .args(["--pedantic", "balance"])
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "ledger balance: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        // The grand total of every commodity is zero: each line of the total is blank or 0.
        ran = true;
    } else {
        println!("ledger not installed: skipping the ledger-cli check");
    }
    if !ran {
        println!("neither hledger nor ledger installed; journal written but not checked");
    }
}

#[test]
fn g9_suspended_or_revoked_approach_refuses_first_transfer() {
    let (mut l, _) = base(2025);
    project(&mut l, "P0001", "BTN", Mechanism::A62);
    issue(&mut l, "P0001", 2024, 100);
    auth(&mut l, "BTN-NDC-1", "NDC", None).unwrap();
    l.execute(Command::Authorize {
        account: H.into(),
        authorization: "BTN-NDC-1".into(),
        quantity: 100,
        filter: Filter::default(),
        date: None,
    })
    .unwrap();
    l.execute(Command::SetApproachStatus {
        id: "CA0001".into(),
        status: ApproachStatus::Suspended,
    })
    .unwrap();
    let e = transfer(&mut l, H, CH, 10, None).unwrap_err();
    assert_eq!(e.rule(), Some("rule 6 gating"), "{e}");
    l.execute(Command::SetApproachStatus {
        id: "CA0001".into(),
        status: ApproachStatus::Active,
    })
    .unwrap();
    transfer(&mut l, H, CH, 10, None).unwrap();
    l.execute(Command::SetApproachStatus {
        id: "CA0001".into(),
        status: ApproachStatus::Revoked,
    })
    .unwrap();
    assert_eq!(
        transfer(&mut l, H, CH, 10, None).unwrap_err().rule(),
        Some("rule 6 gating")
    );
    // Revoked is final.
    assert!(
        l.execute(Command::SetApproachStatus {
            id: "CA0001".into(),
            status: ApproachStatus::Active
        })
        .is_err()
    );
    assert_eq!(l.article6_flows("BTN").total_first_transferred(), 10);
    l.check().unwrap();
}

#[test]
fn g10_unrecognised_first_transfer_definition_refused() {
    let (mut l, _) = base(2025);
    let e = auth(&mut l, "BTN-X-1", "OIMP", Some("Whenever the buyer pays")).unwrap_err();
    assert!(
        e.rule().unwrap().contains("first-transfer definition"),
        "{e}"
    );
    let e = auth(&mut l, "BTN-X-2", "OIMP", None).unwrap_err();
    assert!(
        e.rule().unwrap().contains("first-transfer definition"),
        "{e}"
    );
    assert!(l.state().authorization("BTN-X-1").is_none());
    // An estimation never creates units (invariant 13).
    project(&mut l, "P0001", "BTN", Mechanism::A62);
    l.execute(Command::AddEstimation {
        project: "P0001".into(),
        year: 2026,
        unit_count: 5000,
    })
    .unwrap();
    assert!(l.balances().iter().all(|b| b.units == 0));
    l.check().unwrap();
}

/// A copy of `../shared/data/` (provenance beside it, in the same folder).
const CSV: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/a6-2-authorizations-2026-08-14.csv"
);

#[test]
fn import_real_authorizations_csv() {
    let file = std::fs::read(CSV).expect("the vendored authorizations CSV");
    let mut l = Ledger::in_memory(ManualClock::at_date(d(2026, 8, 20)));
    let rep = ndc_workbench::registry::import::import_csv(&mut l, &file[..], "a62").unwrap();
    assert_eq!(rep.rows, 601);
    assert_eq!(rep.imported_rows, 601, "{:?}", rep.rejected);
    assert_eq!(rep.imported_quantity, 23_240_850);
    // Per-party totals computed with awk from the CSV.
    let expected = [
        ("TGO", 506_009),
        ("LAO", 1_276_305),
        ("TZA", 323_371),
        ("ZWE", 1_071_855),
        ("BEN", 500_903),
        ("MAR", 5_417),
        ("MWI", 1_778_475),
        ("RWA", 7_317_501),
        ("NGA", 2_502_699),
        ("GMB", 196_652),
        ("SLE", 2_078),
        ("MDG", 2_822_091),
        ("UZB", 1_568_083),
        ("KHM", 3_369_411),
    ];
    for (p, q) in expected {
        assert_eq!(rep.per_party.get(p), Some(&q), "{p}");
        let held: u64 = l
            .balances()
            .iter()
            .filter(|b| b.party == p)
            .map(|b| b.units)
            .sum();
        assert_eq!(held, q, "{p} ledger balance");
    }
    // 15 rows say "First international transfer" (13 Gambia = 196,652; 2 Sierra Leone = 2,078).
    assert_eq!(rep.unresolved.len(), 15);
    assert_eq!(
        rep.unresolved.iter().map(|u| u.quantity).sum::<u64>(),
        198_730
    );
    assert_eq!(l.article6_flows("GMB").unresolved_quantity(), 196_652);
    assert_eq!(l.article6_flows("SLE").unresolved_quantity(), 2_078);
    let ft: u64 = expected
        .iter()
        .map(|(p, _)| l.article6_flows(p).total_first_transferred())
        .sum();
    assert_eq!(ft, 23_240_850 - 198_730);
    l.check().unwrap();
    // Re-import is idempotent, and reported as such: nothing new, every row already there.
    let seq = l.last_seq();
    let again = ndc_workbench::registry::import::import_csv(&mut l, &file[..], "a62").unwrap();
    assert_eq!(l.last_seq(), seq);
    assert_eq!(
        (again.imported_rows, again.imported_quantity),
        (0, 0),
        "{again:?}"
    );
    assert_eq!(
        (again.already_imported_rows, again.already_imported_quantity),
        (601, 23_240_850)
    );
    assert!(again.per_party.is_empty() && again.rejected.is_empty());
    // Once a transfer is recorded, a Gambia block is no longer unresolved.
    init(&mut l, "CHE");
    l.execute(Command::Transfer {
        from: "GMB:REG:Holding".into(),
        to: "CHE:REG:Holding".into(),
        quantity: 106,
        filter: Filter {
            vintage: None,
            ..Filter::default()
        },
        acquiring_party: None,
    })
    .unwrap();
    let g = l.article6_flows("GMB");
    assert_eq!(g.unresolved_quantity(), 196_652 - 106);
    assert_eq!(g.total_first_transferred(), 106);
}

#[test]
fn import_reports_inconsistent_rows() {
    let head = "block_index,programme,host_party,project_id,serial,vintage,quantity,first_transfer_definition,authorization_year,issuance_date,issuance_year,authorized_for_ndc,authorized_for_oimp,purpose,cooperative_approach_id,uploaded_to_carp,loa_url\n";
    let rows = "0,GS,Tanzania,1,GS1-1-TZ-GS1-16-2022-25700-1-100,2022,100,Sometime,2025,2023-12-07,2023,No,Yes,OIMP only,CA0046,Yes,\n\
                1,GS,Atlantis,2,GS1-1-XX-GS2-16-2022-25700-1-100,2022,100,Issuance,2025,2023-12-07,2023,No,Yes,OIMP only,CA0046,Yes,\n\
                2,GS,Tanzania,3,GS1-1-TZ-GS3-16-2022-25700-1-99,2022,100,Issuance,2025,2023-12-07,2023,No,Yes,OIMP only,CA0046,Yes,\n\
                3,GS,Tanzania,4,GS1-1-TZ-GS4-16-2022-25700-1-100,2022,100,Issuance,2025,2023-12-07,2023,No,Yes,OIMP only,CA0046,Yes,\n";
    let mut l = Ledger::in_memory(ManualClock::at_date(d(2026, 1, 1)));
    let rep = ndc_workbench::registry::import::import_csv(
        &mut l,
        format!("{head}{rows}").as_bytes(),
        "t",
    )
    .unwrap();
    assert_eq!(rep.imported_rows, 1);
    let lines: Vec<u64> = rep.rejected.iter().map(|r| r.line).collect();
    assert_eq!(lines, vec![2, 3, 4]);
    assert!(rep.rejected[0].reason.contains("first-transfer definition"));

    // Rows a participant's spreadsheet mangled are rejected one by one, named by column and
    // value, and the rows after them are still imported; block 3, changed since its import,
    // is refused rather than stopping the file.
    let more = "5,GS,Tanzania,11732 ß,GS1-1-TZ-GS5-16-2022-25700-1-100,2022,100,Issuance,2025,2023-12-07,2023,No,Yes,OIMP only,CA0046,Yes,\n\
                6,GS,Tanzania,6,GS1-1-TZ-GS6-16-2022-25700-1-100,2022,1x0,Issuance,2025,2023-12-07,2023,No,Yes,OIMP only,CA0046,Yes,\n\
                3,GS,Tanzania,4,GS1-1-TZ-GS4-16-2022-25700-1-50,2022,50,Issuance,2025,2023-12-07,2023,No,Yes,OIMP only,CA0046,Yes,\n\
                7 7,GS,Tanzania,7,GS1-1-TZ-GS7-16-2022-25700-1-100,2022,100,Issuance,2025,2023-12-07,2023,No,Yes,OIMP only,CA0046,Yes,\n\
                8,GS,Tanzania,8,GS1-1-TZ-GS8-16-2022-25700-1-100,2022,100,Issuance,2025,2023-12-07,2023,No,Yes,OIMP only,CA0046,Yes,\n";
    let rep = ndc_workbench::registry::import::import_csv(
        &mut l,
        format!("{head}{more}").as_bytes(),
        "t",
    )
    .unwrap();
    let reasons: Vec<(u64, &str)> = rep
        .rejected
        .iter()
        .map(|r| (r.line, r.reason.as_str()))
        .collect();
    assert_eq!(reasons.len(), 4, "{reasons:?}");
    assert!(
        reasons[0].1.starts_with("project_id \"11732 ß\""),
        "{reasons:?}"
    );
    assert_eq!(
        reasons[1],
        (
            3,
            "column quantity is \"1x0\": expected a whole number of units, e.g. 1250"
        )
    );
    assert_eq!(
        rep.rejected[1].block_index, "6",
        "the unreadable row names its block"
    );
    assert!(
        reasons[2]
            .1
            .contains("block 3 was imported before with other values"),
        "{reasons:?}"
    );
    assert!(
        reasons[3].1.starts_with("block_index \"7 7\""),
        "{reasons:?}"
    );
    assert_eq!((rep.imported_rows, rep.imported_quantity), (1, 100));
    l.check().unwrap();
}

#[test]
fn import_refuses_a_file_without_the_columns_and_journals_nothing() {
    let head = "block_index,programme,host_party,project_id,serial,vintage,quantity,first_transfer_definition,authorization_year,issuance_date,issuance_year,authorized_for_ndc,authorized_for_oimp,purpose,cooperative_approach_id,uploaded_to_carp,loa_url\n";
    let row = "3,GS,Tanzania,4,GS1-1-TZ-GS4-16-2022-25700-1-100,2022,100,Issuance,2025,2023-12-07,2023,No,Yes,OIMP only,CA0046,Yes,\n";
    // The source's columns in another order are the same file.
    let mut cols: Vec<&str> = head.trim_end().split(',').collect();
    let mut l = Ledger::in_memory(ManualClock::at_date(d(2026, 1, 1)));
    let import = |l: &mut Ledger, text: &str| {
        ndc_workbench::registry::import::import_csv(l, text.as_bytes(), "t")
    };
    for (text, says) in [
        ("{\n".to_string(), "names none of the columns"),
        (String::new(), "names none of the columns"),
        (
            head.replace(",loa_url", "") + &row[..row.len() - 2] + "\n",
            "missing column loa_url",
        ),
        (
            head.replace("quantity,", "").replace(",purpose", "") + row,
            "missing columns quantity, purpose",
        ),
    ] {
        let e = import(&mut l, &text).expect_err(&text);
        assert!(e.to_string().contains(says), "{text:?}: {e}");
        assert!(l.events().is_empty(), "{text:?} journaled something");
    }
    cols.reverse();
    let fields: Vec<&str> = row.trim_end().split(',').rev().collect();
    let reordered = format!("{}\n{}\n", cols.join(","), fields.join(","));
    let rep = import(&mut l, &reordered).expect("reordered columns");
    assert_eq!((rep.rows, rep.imported_rows), (1, 1), "{rep:?}");
}

#[test]
fn csv_exports_neutralise_formulas() {
    let (mut l, _) = base(2025);
    assert!(
        l.execute(Command::RecordApproach {
            id: "=cmd".into(),
            title: "x".into(),
            host: "BTN".into(),
            parties: vec![]
        })
        .is_err()
    );
    let bytes = ndc_workbench::registry::export::csv_bytes(
        &["a"],
        &[vec!["=HYPERLINK(1)".into()], vec!["@x".into()]],
    )
    .unwrap();
    assert_eq!(
        String::from_utf8(bytes).unwrap(),
        "a\n'=HYPERLINK(1)\n'@x\n"
    );
}
