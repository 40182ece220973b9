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
    let mut l = Ledger::in_memory(clock);
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
    // SOP 50, OMGE 20, retention ceil(0.10 · 1000) = 100, holder 1000 − 170 = 830;
    // first-transferred = holder + OMGE = 850.
    let f = l.article6_flows("BTN");
    assert_eq!(f.ftv.get(&2025), Some(&850));
    assert_eq!(f.ca(2025), 850);
    assert_eq!(t3_first_transfers(&l).iter().map(|r| r.2).sum::<u64>(), 850);
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
    // SOP 50, OMGE 20, retention ceil(0.10 · 1000) = 100, holder 830: the holding account
    // has 930, of which only 830 are ITMOs.
    let (holder, retained) = (830u64, 100u64);
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
