//! Golden cases for the parts of the registry model added with two-phase requests: retirement
//! and ITMO-authorization requests (approve / reject / cancel, four-eyes, reservations),
//! the cooperative-approach lifecycle, authorized entities, CA records, year close,
//! annotations and the AEF T1/T5 and CADT v2 exports. Expected numbers are worked by hand.

use chrono::NaiveDate;
use ndc_workbench::registry::export::{aef, cadt_v2};
use ndc_workbench::registry::types::Filter;
use ndc_workbench::registry::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const H: &str = "BTN:REG:Holding";
const CH: &str = "CHE:REG:Holding";

fn clerk() -> Actor {
    Actor {
        user: "clerk".into(),
        org: "REG-BTN".into(),
        role: Role::Regulator,
    }
}
fn dna() -> Actor {
    Actor {
        user: "ana".into(),
        org: "REG-BTN".into(),
        role: Role::Dna,
    }
}

fn sub(
    l: &mut Ledger,
    id: &str,
    actor: Actor,
    command: Command,
) -> Result<CommandOutcome, RegistryError> {
    l.submit(Submission {
        command_id: id.into(),
        actor,
        command,
    })
}

/// BTN and CHE, approach CA0001 Active (initial report filed), an OIMP authorization with a
/// use-or-cancel definition and ENT1 as authorized entity, project P0007 (6.2) with 1000
/// units of vintage 2024 in BTN:REG:Holding (serials 1–1000).
fn base() -> Ledger {
    let clock = ManualClock::at_date(d(2025, 3, 1)).stepping(60);
    let mut l = Ledger::in_memory(clock);
    for p in ["BTN", "CHE"] {
        l.execute(Command::InitParty {
            party: p.into(),
            registry_id: format!("{p}01"),
            name: String::new(),
            ndc_first_year: Some(2021),
            ndc_last_year: Some(2030),
        })
        .unwrap();
    }
    l.execute(Command::RecordApproach {
        id: "CA0001".into(),
        title: "t".into(),
        host: "BTN".into(),
        parties: vec!["CHE".into()],
    })
    .unwrap();
    // Active before an initial report: refused, naming the rule.
    let e = l
        .execute(Command::SetApproachStatus {
            id: "CA0001".into(),
            status: ApproachStatus::Submitted,
        })
        .unwrap_err();
    assert_eq!(e.rule(), Some("§5 initial report"), "{e}");
    l.execute(Command::FileInitialReport {
        approach: "CA0001".into(),
        version: 1,
        status: ReportStatus::Submitted,
    })
    .unwrap();
    for s in [ApproachStatus::Submitted, ApproachStatus::Active] {
        l.execute(Command::SetApproachStatus {
            id: "CA0001".into(),
            status: s,
        })
        .unwrap();
    }
    l.execute(Command::RegisterOrganization {
        id: "ENT1".into(),
        name: "Swiss Air Lines".into(),
        country: "CHE".into(),
        roles: vec![Role::AuthorizedEntity],
    })
    .unwrap();
    l.execute(Command::RecordAuthorizedEntity {
        organization: "ENT1".into(),
        approach: "CA0001".into(),
        date: d(2024, 5, 1),
        conditions: "CORSIA use only".into(),
        revocation_conditions: "=revocable on notice".into(),
        status: EntityStatus::Active,
    })
    .unwrap();
    l.execute(Command::RecordAuthorization {
        id: "AUTH-UOC".into(),
        version: 1,
        date: d(2024, 6, 1),
        approach: "CA0001".into(),
        purpose: "OIMP".into(),
        acquiring_parties: vec![],
        entities: vec![],
        authorized_quantity: None,
        period_start: 2021,
        period_end: 2030,
        first_transfer_definition: Some("UseOrCancel".into()),
    })
    .unwrap();
    l.execute(Command::RegisterProject {
        id: "P0007".into(),
        name: "Hydro".into(),
        sector: "Energy".into(),
        mechanism: Mechanism::A62,
        host: Some("BTN".into()),
        developer: None,
        methodology: String::new(),
        unit_type: UnitType::default(),
        covered_by_ndc: Some("Inside NDC".into()),
        link: String::new(),
        registered: true,
    })
    .unwrap();
    l.execute(Command::Issue {
        project: "P0007".into(),
        vintage: 2024,
        quantity: 1000,
        to: None,
        verification: None,
        levies: None,
        authorization: None,
        date: None,
    })
    .unwrap();
    l
}

fn acme() -> Beneficiary {
    Beneficiary {
        name: "Acme AG".into(),
        id: "CHE-123".into(),
        country: "CHE".into(),
        purpose: "voluntary claim 2025".into(),
    }
}

fn request_retirement(id: &str, q: u64) -> Command {
    Command::RequestRetirement {
        id: id.into(),
        from: H.into(),
        quantity: q,
        filter: Filter::default(),
        subtype: RetirementSubtype::Retire,
        beneficiary: acme(),
        use_year: None,
        authorized_entity: None,
    }
}

fn reject(id: &str, reason: &str) -> Command {
    Command::RejectRequest {
        id: id.into(),
        reason: reason.into(),
    }
}

fn approve(id: &str, q: Option<u64>) -> Command {
    Command::ApproveRequest {
        id: id.into(),
        quantity: q,
    }
}

fn balance(l: &Ledger, acc: &str) -> AccountBalance {
    l.balances().into_iter().find(|b| b.id == acc).unwrap()
}

#[test]
fn retirement_request_approved_by_another_actor_retires_with_the_beneficiary() {
    let mut l = base();
    let o = sub(&mut l, "c1", clerk(), request_retirement("R1", 400)).unwrap();
    assert_eq!(o.quantity(), 400);
    assert_eq!(o.ranges[0].serial, "BTN01-P0007-2024-000001-000400");
    let b = balance(&l, H);
    assert_eq!((b.units, b.reserved), (1000, 400));
    // The requester cannot approve: the four-eyes rule, named.
    let e = sub(&mut l, "c2", clerk(), approve("R1", None)).unwrap_err();
    assert_eq!(e.rule(), Some("rule 6 four-eyes"), "{e}");
    assert!(e.to_string().contains("never approves their own request"));
    // Not even as Root with the same user and organization.
    let root_clerk = Actor {
        role: Role::Root,
        ..clerk()
    };
    let e = sub(&mut l, "c2b", root_clerk, approve("R1", None)).unwrap_err();
    assert_eq!(e.rule(), Some("rule 6 four-eyes"));
    sub(&mut l, "c3", dna(), approve("R1", None)).unwrap();
    let b = balance(&l, H);
    assert_eq!((b.units, b.reserved), (600, 0));
    assert_eq!(balance(&l, "BTN:REG:CancellationVoluntary").units, 400);
    // The beneficiary is on the retirement, and the explorer shows request and approval.
    let rows = l
        .explore(&explorer::ExplorerQuery {
            beneficiary: Some("acme".into()),
            ..Default::default()
        })
        .unwrap();
    let kinds: Vec<&str> = rows.iter().map(|r| r.kind.as_str()).collect();
    assert_eq!(kinds, ["RetirementRequested", "Moved"]);
    assert_eq!(rows[1].beneficiary.as_ref().unwrap().id, "CHE-123");
    // Summaries speak in units, grouped as participants read them (400 of the 1000 issued).
    assert!(
        rows[0].summary.contains("400 units reserved"),
        "{}",
        rows[0].summary
    );
    assert!(
        rows[1].summary.starts_with("400 units "),
        "{}",
        rows[1].summary
    );
    let issued = l.explore(&explorer::ExplorerQuery::default()).unwrap();
    let party = issued.iter().find(|r| r.kind == "PartyRegistered").unwrap();
    assert!(
        party.summary.contains("BTN") && party.summary.contains("BTN01"),
        "{}",
        party.summary
    );
    let issued = issued.iter().find(|r| r.kind == "Issued").unwrap();
    assert!(
        issued.summary.starts_with("issued 1,000 units"),
        "{}",
        issued.summary
    );
    let life = l.serial_life("BTN01-P0007-2024-000001-000400").unwrap();
    let kinds: Vec<&str> = life.events.iter().map(|r| r.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "Issued",
            "Split",
            "RetirementRequested",
            "RequestApproved",
            "Moved"
        ]
    );
    // A request resolves exactly once.
    let e = sub(&mut l, "c4", dna(), approve("R1", None)).unwrap_err();
    assert_eq!(e.rule(), Some("invariant 15 two-phase"), "{e}");
    let e = sub(&mut l, "c5", dna(), reject("R1", "late")).unwrap_err();
    assert_eq!(e.rule(), Some("invariant 15 two-phase"));
    l.check().unwrap();
}

#[test]
fn reserved_blocks_refuse_transfers_freezes_and_second_requests() {
    let mut l = base();
    sub(&mut l, "c1", clerk(), request_retirement("R1", 1000)).unwrap();
    let e = l
        .execute(Command::Transfer {
            from: H.into(),
            to: CH.into(),
            quantity: 1,
            filter: Filter::default(),
            acquiring_party: None,
        })
        .unwrap_err();
    assert_eq!(e.rule(), Some("§4 block selection"));
    assert!(
        e.to_string()
            .contains("1000 more reserved by pending requests"),
        "{e}"
    );
    let e = l
        .execute(Command::Freeze {
            account: H.into(),
            quantity: 1,
            filter: Filter::default(),
            reason: "probe".into(),
        })
        .unwrap_err();
    assert_eq!(e.rule(), Some("§4 block selection"));
    let e = sub(&mut l, "c2", clerk(), request_retirement("R2", 1)).unwrap_err();
    assert_eq!(e.rule(), Some("§4 block selection"));
    // Cancelling releases everything; the units move again.
    sub(
        &mut l,
        "c3",
        clerk(),
        Command::CancelRequest {
            id: "R1".into(),
            reason: "changed mind".into(),
        },
    )
    .unwrap();
    assert_eq!(balance(&l, H).reserved, 0);
    sub(&mut l, "c4", clerk(), request_retirement("R2", 10)).unwrap();
    sub(
        &mut l,
        "c5",
        dna(),
        reject("R2", "beneficiary id unverifiable"),
    )
    .unwrap();
    assert_eq!(balance(&l, H).reserved, 0);
    assert_eq!(balance(&l, H).units, 1000);
    let rs = &l.state().lc.requests;
    assert_eq!(rs["R1"].status, RequestStatus::Cancelled);
    assert_eq!(rs["R2"].status, RequestStatus::Rejected);
    l.check().unwrap();
}

#[test]
fn partial_authorization_approval_splits_and_only_the_approved_part_becomes_itmo() {
    let mut l = base();
    let o = sub(
        &mut l,
        "c1",
        clerk(),
        Command::RequestItmoAuthorization {
            id: "A1".into(),
            account: H.into(),
            authorization: "AUTH-UOC".into(),
            quantity: 500,
            filter: Filter::default(),
            date: None,
        },
    )
    .unwrap();
    assert_eq!(o.quantity(), 500);
    let o = sub(&mut l, "c2", dna(), approve("A1", Some(300))).unwrap();
    assert_eq!(o.quantity(), 300);
    assert_eq!(o.ranges[0].serial, "BTN01-P0007-2024-000001-000300");
    let b = balance(&l, H);
    assert_eq!(b.by_class.get("ITMO"), Some(&300));
    assert_eq!(b.by_class.get("MO"), Some(&700));
    assert_eq!(b.reserved, 0);
    let st = l.state();
    assert_eq!(st.authorization("AUTH-UOC").unwrap().authorized_total, 300);
    assert_eq!(st.units_of(&st.lc.requests["A1"].approved), 300);
    // The released 200 (301–500) are MOs again and selectable.
    let itmo: Vec<String> = l
        .blocks_of(H)
        .iter()
        .filter(|b| b.class == Class::Itmo)
        .map(|b| format!("{}-{}", b.first, b.last))
        .collect();
    assert_eq!(itmo, ["1-300"]);
    // AEF T3 has authorization rows for exactly the approved 300.
    let t3 = aef::t3_rows(&l, Some(2025));
    let auth_qty: u64 = t3
        .iter()
        .filter(|r| r[1] == "Authorization")
        .map(|r| r[15].parse::<u64>().unwrap())
        .sum();
    assert_eq!(auth_qty, 300);
    l.check().unwrap();
}

#[test]
fn oimp_use_names_an_authorized_entity_of_the_approach() {
    let mut l = base();
    l.execute(Command::Authorize {
        account: H.into(),
        authorization: "AUTH-UOC".into(),
        quantity: 100,
        filter: Filter::default(),
        date: None,
    })
    .unwrap();
    let retire = |e: Option<&str>| Command::Retire {
        from: H.into(),
        quantity: 10,
        filter: Filter {
            class: Some(Class::Itmo),
            ..Filter::default()
        },
        beneficiary: acme(),
        authorized_entity: e.map(String::from),
    };
    let e = l.execute(retire(None)).unwrap_err();
    assert_eq!(e.rule(), Some("rule 6 gating"));
    assert!(
        e.to_string()
            .contains("must name an authorized entity of cooperative approach CA0001")
    );
    let e = l.execute(retire(Some("REG-BTN"))).unwrap_err();
    assert!(
        e.to_string()
            .contains("REG-BTN is not an Active authorized entity"),
        "{e}"
    );
    l.execute(retire(Some("ENT1"))).unwrap();
    // The two-phase path applies the same gate at request and at approval.
    let mut req = Command::RequestRetirement {
        id: "R9".into(),
        from: H.into(),
        quantity: 10,
        filter: Filter {
            class: Some(Class::Itmo),
            ..Filter::default()
        },
        subtype: RetirementSubtype::Retire,
        beneficiary: acme(),
        use_year: None,
        authorized_entity: None,
    };
    assert_eq!(
        sub(&mut l, "q1", clerk(), req.clone()).unwrap_err().rule(),
        Some("rule 6 gating")
    );
    if let Command::RequestRetirement {
        authorized_entity, ..
    } = &mut req
    {
        *authorized_entity = Some("ENT1".into());
    }
    sub(&mut l, "q2", clerk(), req).unwrap();
    // Revoking the entity before approval: approval refused, request still pending.
    l.execute(Command::RecordAuthorizedEntity {
        organization: "ENT1".into(),
        approach: "CA0001".into(),
        date: d(2025, 3, 2),
        conditions: "CORSIA use only".into(),
        revocation_conditions: "=revocable on notice".into(),
        status: EntityStatus::Revoked,
    })
    .unwrap();
    let e = sub(&mut l, "q3", dna(), approve("R9", None)).unwrap_err();
    assert_eq!(e.rule(), Some("rule 6 gating"));
    assert_eq!(l.state().lc.requests["R9"].status, RequestStatus::Pending);
    // T5 lists the entity with its status; cells that look like formulas are neutralised.
    let t5 = aef::t5_rows(&l);
    assert_eq!(t5.len(), 1);
    assert_eq!(t5[0][1], "Swiss Air Lines");
    assert_eq!(t5[0][7], "Status: Revoked");
    let csv = String::from_utf8(
        ndc_workbench::registry::export::csv_bytes(&aef::T5_HEADER, &t5).unwrap(),
    )
    .unwrap();
    assert!(csv.starts_with("Date of authorization,Name,Country of incorporation,Identification number,Cooperative approach ID,Conditions,Change and revocation conditions,Additional information\n"));
    assert!(csv.contains(",'=revocable on notice,"), "{csv}");
    l.check().unwrap();
}

#[test]
fn approach_lifecycle_is_strict_and_revoked_is_final() {
    let mut l = base();
    let set = |l: &mut Ledger, s| {
        l.execute(Command::SetApproachStatus {
            id: "CA0001".into(),
            status: s,
        })
    };
    set(&mut l, ApproachStatus::Suspended).unwrap();
    set(&mut l, ApproachStatus::Active).unwrap();
    set(&mut l, ApproachStatus::Revoked).unwrap();
    // A transition the lifecycle does not allow is a command precondition (registry-model
    // §5: "Revoked final"), not the gating of units (invariant 11).
    let e = set(&mut l, ApproachStatus::Active).unwrap_err();
    assert_eq!(e.rule(), Some("§5 preconditions"));
    // Initial reports advance Draft → Submitted → Published, never back.
    let e = l
        .execute(Command::FileInitialReport {
            approach: "CA0001".into(),
            version: 1,
            status: ReportStatus::Draft,
        })
        .unwrap_err();
    assert_eq!(e.rule(), Some("§5 initial report"));
    l.execute(Command::FileInitialReport {
        approach: "CA0001".into(),
        version: 1,
        status: ReportStatus::Published,
    })
    .unwrap();
}

#[test]
fn ca_records_drive_the_cadt_status_and_outstanding_ca() {
    let mut l = base();
    // 300 ITMOs (vintage 2024) first-transferred to CHE under an NDC authorization.
    l.execute(Command::RecordAuthorization {
        id: "AUTH-NDC".into(),
        version: 1,
        date: d(2024, 6, 1),
        approach: "CA0001".into(),
        purpose: "NDC".into(),
        acquiring_parties: vec![],
        entities: vec![],
        authorized_quantity: None,
        period_start: 2021,
        period_end: 2030,
        first_transfer_definition: None,
    })
    .unwrap();
    l.execute(Command::Authorize {
        account: H.into(),
        authorization: "AUTH-NDC".into(),
        quantity: 300,
        filter: Filter::default(),
        date: None,
    })
    .unwrap();
    l.execute(Command::Transfer {
        from: H.into(),
        to: CH.into(),
        quantity: 300,
        filter: Filter {
            class: Some(Class::Itmo),
            ..Filter::default()
        },
        acquiring_party: None,
    })
    .unwrap();
    let status = |l: &Ledger| {
        let rows = export::cadt::rows(l);
        rows.iter()
            .find(|r| r[5] == "CHE")
            .map(|r| r[21].clone())
            .unwrap()
    };
    assert_eq!(status(&l), "Pending");
    let ca = |l: &mut Ledger, c| l.execute(c).unwrap();
    ca(
        &mut l,
        Command::RecordCa {
            approach: "CA0001".into(),
            year: 2024,
            quantity: 250,
        },
    );
    let rows = ca::ca_rows(l.state());
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].computed, rows[0].recorded, rows[0].outstanding),
        (300, Some(250), 50)
    );
    let e = l
        .execute(Command::ApproveCa {
            approach: "CA0001".into(),
            year: 2024,
        })
        .unwrap_err();
    assert_eq!(e.rule(), Some("invariant 12 CA records"));
    ca(
        &mut l,
        Command::RecordCa {
            approach: "CA0001".into(),
            year: 2024,
            quantity: 300,
        },
    );
    ca(
        &mut l,
        Command::SubmitCa {
            approach: "CA0001".into(),
            year: 2024,
        },
    );
    assert_eq!(status(&l), "Pending");
    ca(
        &mut l,
        Command::ApproveCa {
            approach: "CA0001".into(),
            year: 2024,
        },
    );
    assert_eq!(status(&l), "Completed");
    assert_eq!(ca::ca_rows(l.state())[0].outstanding, 0);
    // MOs stay Not Started.
    assert!(
        export::cadt::rows(&l)
            .iter()
            .filter(|r| r[20] == "Not Required")
            .all(|r| r[21] == "Not Started")
    );
}

#[test]
fn annotation_leaves_the_hash_chain_and_the_original_event_intact() {
    let mut l = base();
    let o = l
        .execute(Command::Retire {
            from: H.into(),
            quantity: 10,
            filter: Filter::default(),
            beneficiary: Beneficiary {
                name: "Acme GA".into(),
                ..acme()
            },
            authorized_entity: None,
        })
        .unwrap();
    let seq = o.last_seq;
    let before = l.events()[seq as usize - 1].clone();
    // Only display fields, only with a reason, only on existing events.
    let bad = l
        .execute(Command::Annotate {
            seq,
            fields: [("quantity".to_string(), "5".to_string())].into(),
            reason: "x".into(),
        })
        .unwrap_err();
    assert_eq!(bad.rule(), Some("§5 preconditions"));
    let head = l.head_hash().to_string();
    let o = l
        .execute(Command::Annotate {
            seq,
            fields: [("beneficiary_name".to_string(), "Acme AG".to_string())].into(),
            reason: "typo in the beneficiary name".into(),
        })
        .unwrap();
    assert!(o.ranges.is_empty(), "an annotation moves nothing");
    assert_eq!(l.events()[seq as usize - 1], before);
    assert_eq!(l.events()[o.first_seq as usize - 1].prev_hash, head);
    l.check().unwrap();
    let rows = l
        .explore(&explorer::ExplorerQuery {
            beneficiary: Some("Acme GA".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].annotations.len(), 1);
    assert_eq!(rows[0].annotations[0].fields["beneficiary_name"], "Acme AG");
    // CADT v2 shows the corrected name; the v1 columns are unchanged.
    let h = cadt_v2::header();
    let col = |n: &str| h.iter().position(|c| *c == n).unwrap();
    let v2 = cadt_v2::rows(&l);
    let retired = v2
        .iter()
        .find(|r| r[col("unitStatus")] == "Cancelled")
        .unwrap();
    assert_eq!(retired[col("unit_retirement_beneficiary")], "Acme AG");
    assert_eq!(retired[col("unit_retirement_beneficiary_id")], "CHE-123");
    assert_eq!(
        retired[col("unit_serial_id")],
        "BTN01-P0007-2024-000001-000010"
    );
    assert_eq!(retired[col("unit_status_date")], "2025-03-01");
    assert_eq!(h.len(), 32);
}

#[test]
fn aef_t1_uses_the_closed_year_date() {
    let mut l = base();
    l.execute(Command::CloseReportingYear { year: 2024 })
        .unwrap();
    let e = l
        .execute(Command::CloseReportingYear { year: 2024 })
        .unwrap_err();
    assert_eq!(e.rule(), Some("§5 preconditions"));
    let t1 = aef::t1_rows(&l, "BTN", 2024);
    assert_eq!(
        t1,
        vec![
            vec![
                "BTN",
                "1.0",
                "2024",
                "2025-03-01",
                "",
                "",
                "2021",
                "2030",
                ""
            ]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>()
        ]
    );
    assert_eq!(aef::T1_HEADER.len(), 9);
}

/// A hand-made event appended after the log (as a re-hashed, hand-edited journal would be).
fn forged(l: &Ledger, actor: Actor, event: event::Event) -> event::Envelope {
    let st = l.state();
    event::Envelope {
        seq: st.last_seq + 1,
        ts: st.last_ts.clone(),
        actor,
        command_id: "forged".into(),
        payload_hash: "00".into(),
        batch_id: st.last_batch + 1,
        batch_end: true,
        schema_version: event::SCHEMA_VERSION,
        prev_hash: st.last_hash.clone(),
        hash: String::new(),
        event,
    }
}

#[test]
fn the_fold_refuses_forged_moves_of_reserved_blocks_and_self_approval() {
    let mut l = base();
    let o = sub(&mut l, "c1", clerk(), request_retirement("R1", 400)).unwrap();
    let reserved = o.ranges[0].block;
    // Moving a reserved block outside its resolution breaks invariant 3.
    let mv = forged(
        &l,
        Actor::system(),
        event::Event::Moved {
            blocks: vec![reserved],
            from: H.into(),
            to: CH.into(),
            kind: event::MoveKind::Transfer {
                acquiring_party: None,
            },
        },
    );
    let err = l.state().clone().apply(&mv).unwrap_err();
    assert_eq!(err.invariant, 3, "{err}");
    assert!(err.message.contains("reserved by pending request R1"));
    // The requester approving: refused by the fold too (invariant 15).
    let ap = forged(
        &l,
        clerk(),
        event::Event::RequestApproved {
            id: "R1".into(),
            blocks: vec![reserved],
        },
    );
    let err = l.state().clone().apply(&ap).unwrap_err();
    assert_eq!(err.invariant, 15, "{err}");
    // Approved once by someone else, a second approval event is refused.
    sub(&mut l, "c2", dna(), approve("R1", None)).unwrap();
    let again = forged(
        &l,
        dna(),
        event::Event::RequestApproved {
            id: "R1".into(),
            blocks: vec![],
        },
    );
    let err = l.state().clone().apply(&again).unwrap_err();
    assert_eq!(err.invariant, 15);
    assert!(err.message.contains("resolves exactly once"));
}

#[test]
fn journals_written_before_initial_reports_still_replay() {
    // Old journals activate approaches without an InitialReportFiled event and retire OIMP
    // ITMOs without an entity: the new rules are command preconditions, not fold rules, so
    // such logs still replay and verify.
    let l = Ledger::in_memory(ManualClock::at_date(d(2025, 1, 1)));
    let mut st = l.state().clone();
    let push = |st: &mut state::State, event| {
        let mut env = event::Envelope {
            seq: st.last_seq + 1,
            ts: "2025-01-01T00:00:00Z".into(),
            actor: Actor::system(),
            command_id: format!("old-{}", st.last_seq + 1),
            payload_hash: "00".into(),
            batch_id: st.last_batch + 1,
            batch_end: true,
            schema_version: event::SCHEMA_VERSION,
            prev_hash: st.last_hash.clone(),
            hash: String::new(),
            event,
        };
        env.seal().unwrap();
        st.apply(&env).unwrap();
    };
    push(
        &mut st,
        event::Event::ApproachRecorded {
            id: "CA0001".into(),
            title: "t".into(),
            host: "BTN".into(),
            parties: vec![],
        },
    );
    for status in [ApproachStatus::Submitted, ApproachStatus::Active] {
        push(
            &mut st,
            event::Event::ApproachStatusSet {
                id: "CA0001".into(),
                status,
            },
        );
    }
    assert_eq!(st.approaches["CA0001"].status, ApproachStatus::Active);
    invariants::check_state(&st).unwrap();
}

/// Every event the explorer lists says what it did: no summary is just the event's type name
/// (the TUI showed such rows blank), and the register-layer events name what they record.
#[test]
fn every_explorer_row_says_what_its_event_did() {
    let clock = ManualClock::at_date(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()).stepping(7);
    let mut l = Ledger::in_memory(clock);
    synth::run(
        &mut l,
        synth::SynthConfig {
            events: 6_000,
            seed: 11,
        },
        |_| {},
    )
    .unwrap();
    let rows = l.explore(&explorer::ExplorerQuery::default()).unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    for r in &rows {
        kinds.insert(r.kind.as_str());
        assert!(
            !r.summary.is_empty() && r.summary != r.kind,
            "event {} ({}) has no summary",
            r.seq,
            r.kind
        );
    }
    assert!(kinds.len() >= 15, "synth covers most kinds: {kinds:?}");
    let first = |kind: &str| rows.iter().find(|r| r.kind == kind).unwrap();
    let project = first("ProjectRegistered");
    assert!(
        project.summary.starts_with("project P") && project.summary.contains("Article 6."),
        "{}",
        project.summary
    );
    // The registry's own holding account as synth opens it (journal line 3).
    let account = rows
        .iter()
        .find(|r| r.kind == "AccountOpened" && r.accounts == ["BTN:REG:Holding"])
        .unwrap();
    assert_eq!(
        account.summary,
        "account BTN:REG:Holding (holding) of REG-BTN, Party BTN"
    );
    // Invariant 13 in words: an estimate is a forecast, not units.
    let estimate = first("EstimationAdded");
    assert!(
        estimate.summary.contains("forecast, no units issued"),
        "{}",
        estimate.summary
    );
    let frozen = first("Frozen");
    assert!(
        frozen.summary.contains(" units frozen: "),
        "{}",
        frozen.summary
    );
    let auth = first("AuthorizationRecorded");
    assert!(
        auth.summary.starts_with("authorization ") && auth.summary.contains("first transfer at"),
        "{}",
        auth.summary
    );
}

/// A request keeps its requester, resolver, beneficiary and accounts as values the fold
/// shares (one copy per distinct value, not one per request), and its id as one string shared
/// by the map key and its reservations; what they read is unchanged.
#[test]
fn requests_share_their_actors_beneficiary_and_id_and_read_as_given() {
    use ndc_workbench::registry::state::{Request, RequestKind};
    use std::sync::Arc;
    let mut l = base();
    for (c, r, q) in [("c1", "R1", 100), ("c2", "R2", 50), ("c3", "R3", 25)] {
        sub(&mut l, c, clerk(), request_retirement(r, q)).unwrap();
    }
    sub(&mut l, "c4", dna(), approve("R1", None)).unwrap();
    sub(&mut l, "c5", dna(), reject("R2", "no")).unwrap();
    let st = l.state();
    let rs = &st.lc.requests;
    let (r1, r2, r3) = (&rs["R1"], &rs["R2"], &rs["R3"]);
    for r in [r1, r2, r3] {
        assert_eq!(*r.requested_by, clerk());
        let RequestKind::Retirement {
            from, beneficiary, ..
        } = &r.kind
        else {
            panic!("{} is a retirement request", r.id);
        };
        assert_eq!(&**from, H);
        assert_eq!(**beneficiary, acme());
    }
    assert_eq!(r1.resolved_by.as_deref(), Some(&dna()));
    assert_eq!(r3.resolved_by, None);
    assert!(Arc::ptr_eq(&r1.requested_by, &r3.requested_by));
    assert!(Arc::ptr_eq(
        r1.resolved_by.as_ref().unwrap(),
        r2.resolved_by.as_ref().unwrap()
    ));
    let ben = |r: &Request| match &r.kind {
        RequestKind::Retirement { beneficiary, .. } => beneficiary.clone(),
        RequestKind::ItmoAuthorization { .. } => panic!("retirement expected"),
    };
    assert!(Arc::ptr_eq(&ben(r1), &ben(r3)));
    // R3 is pending: its key, its id and its blocks' reservations are one string.
    let (key, r3) = rs.get_key_value("R3").unwrap();
    assert!(Arc::ptr_eq(key, &r3.id));
    assert!(!r3.blocks.is_empty());
    for b in &r3.blocks {
        assert!(Arc::ptr_eq(&st.lc.reserved[b], &r3.id), "block {b}");
    }
    l.check().unwrap();
}
