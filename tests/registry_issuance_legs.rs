//! Legs of a 6.4 issuance under Article 6 rules (article6-rules §4, §5.3, §7, §9; R3.4):
//! which legs are first-transferred at issuance, which stay with the host unauthorized, the
//! minimum levies, and the vintage/use period match. Expected numbers are worked out by hand
//! in the comments, never read from the code under test.

use chrono::NaiveDate;
use ndc_workbench::registry::export::aef;
use ndc_workbench::registry::types::Filter;
use ndc_workbench::registry::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const H: &str = "BTN:REG:Holding";
const CH: &str = "CHE:REG:Holding";
const AF: &str = "INT:AF:AdaptationFund";

fn base() -> Ledger {
    let clock = ManualClock::at_date(d(2025, 3, 1)).stepping(60);
    setup(Ledger::in_memory(clock))
}

fn setup(mut l: Ledger) -> Ledger {
    for p in ["BTN", "CHE"] {
        l.execute(Command::InitParty {
            party: p.into(),
            registry_id: format!("{p}01"),
            name: String::new(),
            ndc_first_year: None,
            ndc_last_year: None,
        })
        .unwrap();
    }
    l.execute(Command::RecordApproach {
        id: "CA0001".into(),
        title: "t".into(),
        host: "BTN".into(),
        parties: vec![],
    })
    .unwrap();
    l.execute(Command::FileInitialReport {
        approach: "CA0001".into(),
        version: 1,
        status: ReportStatus::Submitted,
    })
    .unwrap();
    for status in [ApproachStatus::Submitted, ApproachStatus::Active] {
        l.execute(Command::SetApproachStatus {
            id: "CA0001".into(),
            status,
        })
        .unwrap();
    }
    l.execute(Command::RegisterProject {
        id: "P0004".into(),
        name: "P0004".into(),
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
    .unwrap();
    l
}

fn auth(l: &mut Ledger, id: &str, purpose: &str, def: Option<&str>, end: u16) {
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
        period_end: end,
        first_transfer_definition: def.map(String::from),
    })
    .unwrap();
}

fn issue(
    l: &mut Ledger,
    vintage: u16,
    q: u64,
    levies: Option<Levies>,
    authorization: Option<&str>,
) -> Result<CommandOutcome, RegistryError> {
    l.execute(Command::Issue {
        project: "P0004".into(),
        vintage,
        quantity: q,
        to: None,
        verification: None,
        levies,
        authorization: authorization.map(String::from),
        date: None,
    })
}

/// Units in AEF T3 "First transfer" rows, and those of them whose units sit in `account`'s
/// serial range `first..=last` of the issuance (column 7/8 are unit ids).
fn t3_first_transfers(l: &Ledger) -> Vec<(String, String, u64)> {
    aef::t3_rows(l, None)
        .into_iter()
        .filter(|r| r[1] == "First transfer")
        .map(|r| (r[7].clone(), r[8].clone(), r[15].parse().unwrap()))
        .collect()
}

/// Item 1: an OIMP authorization whose first transfer is `Issuance` or `Authorization`
/// first-transfers I − SOP at issuance (CA basis AfterSOP, §7): 1000 → SOP ceil(50) = 50,
/// OMGE ceil(20) = 20, holder 930; first-transferred 930 + 20 = 950, never the 50 SOP units.
#[test]
fn oimp_issuance_definition_first_transfers_holder_and_omge_not_sop() {
    for def in ["Issuance", "Authorization"] {
        let mut l = base();
        auth(&mut l, "A6", "OIMP", Some(def), 2030);
        issue(&mut l, 2025, 1000, None, Some("A6")).unwrap();
        let f = l.article6_flows("BTN");
        assert_eq!(f.ftv.get(&2025), Some(&950), "{def}");
        assert_eq!(f.fte_oimp.get(&2025), Some(&950), "{def}");
        assert_eq!(f.ca(2025), 950, "{def}");
        let ft = t3_first_transfers(&l);
        assert_eq!(ft.iter().map(|r| r.2).sum::<u64>(), 950, "{def}: {ft:?}");
        // The SOP leg is serials 951–1000: no first-transfer row covers it.
        assert!(
            ft.iter().all(|r| !r.1.ends_with("001000")),
            "{def}: SOP leg first-transferred: {ft:?}"
        );
        assert_eq!(l.balance(AF), 50);
        l.check().unwrap();
    }
}

/// Item 1 with a 10 % host retention leg: the retained units never enter CA (R3.4).
#[test]
fn oimp_issuance_definition_never_first_transfers_the_retention_leg() {
    let mut l = base();
    auth(&mut l, "A6", "OIMP", Some("Issuance"), 2030);
    let lv = Levies {
        retention_bp: 1000,
        ..Levies::article_6_4()
    };
    issue(&mut l, 2025, 1000, Some(lv), Some("A6")).unwrap();
    // SOP 50, OMGE 20, retention ceil(0.10 · (1000 − 70)) = 93 (§9), holder 930 − 93 = 837;
    // first-transferred = holder + OMGE = 857.
    let f = l.article6_flows("BTN");
    assert_eq!(f.ftv.get(&2025), Some(&857));
    assert_eq!(f.ca(2025), 857);
    assert_eq!(t3_first_transfers(&l).iter().map(|r| r.2).sum::<u64>(), 857);
    l.check().unwrap();
}

/// Item 2: the host-retention leg is not authorized (§9 "not authorized, no CA"): it is born
/// MO, is never first-transferred and cannot move abroad with the holder's ITMOs.
#[test]
fn retention_leg_is_an_unauthorized_mo_that_cannot_move_abroad() {
    let mut l = base();
    auth(&mut l, "AUTH1", "NDC", None, 2030);
    let lv = Levies {
        retention_bp: 1000,
        ..Levies::article_6_4()
    };
    issue(&mut l, 2027, 1000, Some(lv), Some("AUTH1")).unwrap();
    // SOP 50, OMGE 20, retention ceil(0.10 · 930) = 93, holder 837: the holding account
    // has 930, of which only 837 are ITMOs.
    let (holder, retained) = (837u64, 93u64);
    assert_eq!(l.balance(H), holder + retained);
    let e = l
        .execute(Command::Transfer {
            from: H.into(),
            to: CH.into(),
            quantity: holder + retained,
            filter: Filter::default(),
            acquiring_party: None,
        })
        .unwrap_err();
    assert_eq!(e.rule(), Some("rule 6 gating"), "{e}");
    l.execute(Command::Transfer {
        from: H.into(),
        to: CH.into(),
        quantity: holder,
        filter: Filter::default(),
        acquiring_party: None,
    })
    .unwrap();
    assert_eq!(l.balance(CH), holder);
    assert_eq!(l.balance(H), retained);
    let st = l.state();
    let left: Vec<_> = st
        .blocks
        .iter()
        .filter(|b| b.live() && st.accounts[b.account as usize].id == H)
        .collect();
    assert!(
        left.iter().all(|b| b.class == Class::Mo
            && b.authorization.is_none()
            && b.first_transfer.is_none())
    );
    // NDC purpose: holder first-transferred abroad + OMGE at issuance = 830 + 20.
    assert_eq!(
        l.article6_flows("BTN").total_first_transferred(),
        holder + 20
    );
    assert_eq!(
        l.state().authorization("AUTH1").unwrap().authorized_total,
        1000 - retained
    );
    l.check().unwrap();
}

fn legs(o: &CommandOutcome) -> Vec<(u64, String)> {
    o.ranges
        .iter()
        .map(|r| (r.quantity, r.account.clone()))
        .collect()
}

/// Item 3: the 6.4 levies are mandatory. Giving only a retention keeps SOP and OMGE at their
/// defaults; a lower SOP or OMGE is refused, naming the rule; a higher OMGE is accepted.
#[test]
fn article_6_4_levies_cannot_be_dropped_or_lowered() {
    let mut l = base();
    let only_retention = Levies {
        retention_bp: 1000,
        ..Levies::default()
    };
    let o = issue(&mut l, 2025, 1001, Some(only_retention), None).unwrap();
    // I = 1001: OMGE ceil(20.02) = 21, SOP ceil(50.05) = 51, retention ceil(0.1 · 929) = 93,
    // holder 1001 − 21 − 51 − 93 = 836.
    assert_eq!(
        legs(&o),
        vec![
            (836, H.to_string()),
            (21, "BTN:REG:CancellationOMGE".to_string()),
            (51, AF.to_string()),
            (93, H.to_string()),
        ]
    );
    for (sop, omge) in [(Some(0), None), (None, Some(100)), (Some(499), Some(200))] {
        let lv = Levies {
            sop_bp: sop,
            omge_bp: omge,
            ..Levies::default()
        };
        let seq = l.last_seq();
        let e = issue(&mut l, 2025, 1000, Some(lv), None).unwrap_err();
        assert_eq!(
            e.rule(),
            Some("§5 issuance levies"),
            "{sop:?} {omge:?}: {e}"
        );
        // The refusal is journaled (one CommandRejected event); no units were issued.
        assert_eq!(l.last_seq(), seq + 1);
    }
    // OMGE above the minimum: 300 bp of 1000 = 30, SOP default 50, holder 920.
    let lv = Levies {
        omge_bp: Some(300),
        ..Levies::default()
    };
    let o = issue(&mut l, 2025, 1000, Some(lv), None).unwrap();
    let q: Vec<u64> = o.ranges.iter().map(|r| r.quantity).collect();
    assert_eq!(q, vec![920, 30, 50]);
    l.check().unwrap();
}

fn use_units(l: &mut Ledger, vintage: u16, use_year: u16) -> Result<CommandOutcome, RegistryError> {
    l.execute(Command::Use {
        from: CH.into(),
        quantity: 100,
        filter: Filter {
            vintage: Some(vintage),
            ..Filter::default()
        },
        use_year,
        beneficiary: None,
    })
}

/// Item 4: vintage and use year in the same NDC period (§5.3, `period_match` required, §11).
/// Neither Party records an NDC period here, so the rules' defaults apply: 2021–2030, 2031–2035.
#[test]
fn use_outside_the_vintage_ndc_period_is_refused() {
    let mut l = base();
    auth(&mut l, "AUTH1", "NDC", None, 2035);
    for v in [2030, 2031] {
        issue(&mut l, v, 1000, None, Some("AUTH1")).unwrap();
    }
    // 930 holder ITMOs of each vintage, all first-transferred to CHE.
    l.execute(Command::Transfer {
        from: H.into(),
        to: CH.into(),
        quantity: 1860,
        filter: Filter::default(),
        acquiring_party: None,
    })
    .unwrap();
    for (vintage, use_year) in [(2031, 2030), (2030, 2031), (2030, 2036)] {
        let e = use_units(&mut l, vintage, use_year).unwrap_err();
        assert_eq!(
            e.rule(),
            Some("§5.3 period match"),
            "{vintage}/{use_year}: {e}"
        );
    }
    use_units(&mut l, 2031, 2035).unwrap();
    use_units(&mut l, 2030, 2021).unwrap();
    let f = l.article6_flows("CHE");
    assert_eq!(f.used.get(&2030), None);
    assert_eq!(f.used.get(&2035), Some(&100));
    assert_eq!(f.used.get(&2021), Some(&100));
    l.check().unwrap();
}

/// Item 4 with a recorded NDC period: a Party whose NDC runs 2026–2035 uses vintage 2026 in
/// 2035, which the default periods would have split.
#[test]
fn recorded_ndc_period_decides_the_period_match() {
    let mut l = base();
    l.execute(Command::InitParty {
        party: "SGP".into(),
        registry_id: "SGP01".into(),
        name: String::new(),
        ndc_first_year: Some(2026),
        ndc_last_year: Some(2035),
    })
    .unwrap();
    auth(&mut l, "AUTH1", "NDC", None, 2035);
    issue(&mut l, 2026, 1000, None, Some("AUTH1")).unwrap();
    l.execute(Command::Transfer {
        from: H.into(),
        to: "SGP:REG:Holding".into(),
        quantity: 930,
        filter: Filter::default(),
        acquiring_party: None,
    })
    .unwrap();
    let use_in = |l: &mut Ledger, y| {
        l.execute(Command::Use {
            from: "SGP:REG:Holding".into(),
            quantity: 10,
            filter: Filter::default(),
            use_year: y,
            beneficiary: None,
        })
    };
    use_in(&mut l, 2035).unwrap();
    let e = use_in(&mut l, 2025).unwrap_err();
    assert_eq!(e.rule(), Some("§5.3 period match"), "{e}");
    assert_eq!(l.article6_flows("SGP").used.get(&2035), Some(&10));
    l.check().unwrap();
}

/// Item 4, `registry check`: a journal whose use event breaks the period match (written by an
/// older build, simulated here by editing the use year of the last event and re-hashing it)
/// is flagged with the rule, at that event.
#[test]
fn check_flags_a_journaled_use_outside_the_vintage_period() {
    use sha2::{Digest, Sha256};
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("j.jsonl");
    let clock = ManualClock::at_date(d(2025, 3, 1)).stepping(60);
    let mut l = setup(Ledger::open(&p, clock).unwrap());
    auth(&mut l, "AUTH1", "NDC", None, 2035);
    issue(&mut l, 2031, 1000, None, Some("AUTH1")).unwrap();
    l.execute(Command::Transfer {
        from: H.into(),
        to: CH.into(),
        quantity: 930,
        filter: Filter::default(),
        acquiring_party: None,
    })
    .unwrap();
    use_units(&mut l, 2031, 2031).unwrap();
    let seq = l.last_seq();
    drop(l);
    ndc_workbench::registry::invariants::check_journal(&p).unwrap();
    let text = std::fs::read_to_string(&p).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let last = lines.pop().unwrap();
    assert!(last.contains("\"use_year\":2031"), "{last}");
    // Canonical line = C + `,"hash":"<64 hex>"}`; the hash is SHA-256 of C + `}`.
    let body = last[..last.len() - 75].replace("\"use_year\":2031", "\"use_year\":2030");
    let hash: String = Sha256::digest(format!("{body}}}").as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    lines.push(format!("{body},\"hash\":\"{hash}\"}}"));
    std::fs::write(&p, lines.join("\n") + "\n").unwrap();
    let e = ndc_workbench::registry::invariants::check_journal(&p)
        .unwrap_err()
        .to_string();
    assert!(e.contains("invariant 14") && e.contains("§5.3"), "{e}");
    assert!(e.contains(&format!("event {seq}")), "{e}");
}
