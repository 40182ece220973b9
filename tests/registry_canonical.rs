//! The canonical encoding is a file format: journals written by earlier builds must still verify
//! and every hash must stay byte-identical. These tests compare the direct writer
//! (`registry::canonical`, used by `Envelope::seal` and `payload_hash`) with the reference
//! `serde_json::Value` path (`Envelope::seal_reference`, `payload_hash_reference`) on every
//! event of a synth workload (all kinds it produces, new variants included automatically), on
//! hand-made events for the kinds synth does not produce, and on every synth command; and they
//! re-verify a journal committed before the direct writer existed.

use std::path::Path;

use chrono::NaiveDate;
use ndc_workbench::registry::event::{
    Envelope, Event, GENESIS_HASH, Leg, LegKind, MoveKind, Piece, SCHEMA_VERSION, canonical,
    payload_hash, payload_hash_reference,
};
use ndc_workbench::registry::invariants::check_journal;
use ndc_workbench::registry::synth::{self, SynthConfig};
use ndc_workbench::registry::*;

fn assert_same_line(env: &Envelope) {
    let mut fast = env.clone();
    let mut reference = env.clone();
    let mut a = Vec::new();
    fast.seal_direct(&mut a)
        .expect("the direct writer handles every event");
    let b = reference.seal_reference().expect("reference seal");
    assert_eq!(
        String::from_utf8_lossy(&a),
        String::from_utf8_lossy(&b),
        "seq {} {}",
        env.seq,
        env.event.type_name()
    );
    assert_eq!(fast.hash, reference.hash);
    assert_eq!(fast.hash, env.hash, "stored hash of seq {}", env.seq);
}

#[test]
fn direct_writer_matches_reference_on_a_synth_workload() {
    let clock = ManualClock::at_date(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()).stepping(7);
    let mut l = Ledger::in_memory(clock);
    synth::run(
        &mut l,
        SynthConfig {
            events: 12_000,
            seed: 5,
        },
        |_| {},
    )
    .unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    for env in l.events() {
        kinds.insert(env.event.type_name());
        assert_same_line(env);
    }
    assert!(
        kinds.len() >= 15,
        "synth covers most event kinds: {kinds:?}"
    );
    l.check().unwrap();
}

#[test]
fn direct_writer_matches_reference_on_every_synth_command() {
    for (i, c) in synth::commands(9, 5_000).iter().enumerate() {
        let mut direct = Vec::new();
        ndc_workbench::registry::canonical::to_canonical(c, &mut direct)
            .expect("the direct writer handles every command");
        let a = payload_hash(c).unwrap();
        let b = payload_hash_reference(c).unwrap();
        assert_eq!(a, b, "command {i}: {c:?}");
    }
}

fn ben(name: &str) -> Beneficiary {
    Beneficiary {
        name: name.into(),
        id: "ID-1".into(),
        country: "CHE".into(),
        purpose: "NDC".into(),
    }
}

/// Every event variant (and the optional fields both set and unset), with awkward strings.
fn odd_events() -> Vec<Event> {
    let d = NaiveDate::from_ymd_opt(2025, 2, 28).unwrap();
    let s = |x: &str| x.to_string();
    let weird = s("quote \" backslash \\ nl \n tab \t cr \r bell \u{7} del \u{7f} é € 𝄞 </script>");
    vec![
        Event::PartyRegistered {
            code: s("BTN"),
            registry_id: s("BTN01"),
            name: weird.clone(),
            ndc_first_year: None,
            ndc_last_year: Some(2030),
        },
        Event::OrganizationRegistered {
            id: s("O"),
            name: weird.clone(),
            country: s("BTN"),
            roles: vec![Role::Dna, Role::Vvb, Role::ClimateFund],
        },
        Event::AccountOpened {
            id: s("BTN:O:Holding"),
            owner: s("O"),
            party: s("BTN"),
            kind: AccountKind::VoluntaryCancellation,
        },
        Event::ProjectRegistered {
            id: s("P1"),
            name: weird.clone(),
            sector: s(""),
            mechanism: Mechanism::A64,
            host: s("BTN"),
            developer: s("O"),
            methodology: s("AMS-I.D"),
            unit_type: UnitType::RemovalNature,
            covered_by_ndc: s("Inside NDC"),
            link: s("https://x/?a=1&b=2"),
        },
        Event::ProjectStepRecorded {
            project: s("P1"),
            step: ActivityStep::LetterOfAuthorization,
            date: d,
        },
        Event::ValidationRecorded {
            id: s("V1"),
            project: s("P1"),
            vvb: s("O"),
            date: d,
            crediting_start: 2021,
            crediting_end: 2030,
        },
        Event::VerificationRecorded {
            id: s("VER1"),
            project: s("P1"),
            vvb: s("O"),
            date: d,
            monitoring_start: 2021,
            monitoring_end: 2022,
            verified_quantity: u64::MAX,
        },
        Event::EstimationAdded {
            project: s("P1"),
            year: 2027,
            unit_count: 0,
        },
        Event::LabelAttached {
            project: s("P1"),
            label_type: s("CCB"),
            name: weird.clone(),
            link: s(""),
            date: d,
        },
        Event::ApproachRecorded {
            id: s("A1"),
            title: weird.clone(),
            host: s("BTN"),
            parties: vec![],
        },
        Event::ApproachStatusSet {
            id: s("A1"),
            status: ApproachStatus::Suspended,
        },
        Event::AuthorizationRecorded {
            id: s("AU"),
            version: 3,
            date: d,
            approach: s("A1"),
            purpose: Purpose::NdcAndOimp,
            acquiring_parties: vec![s("CHE"), s("JPN")],
            entities: vec![],
            authorized_quantity: None,
            period_start: 2021,
            period_end: 2030,
            first_transfer_definition: Some(FirstTransferDefinition::UseOrCancel),
        },
        Event::Issued {
            issuance_id: s("I1"),
            project: s("P1"),
            registry: s("BTN01"),
            vintage: 2024,
            unit_type: UnitType::ReductionNature,
            verification: None,
            first: 1,
            last: 100,
            class: Class::Itmo,
            authorization: Some(s("AU")),
            date: Some(d),
            legs: vec![
                Leg {
                    block: 1,
                    first: 1,
                    last: 98,
                    account: s("A"),
                    leg: LegKind::Holding,
                },
                Leg {
                    block: 2,
                    first: 99,
                    last: 100,
                    account: s("B"),
                    leg: LegKind::Retention,
                },
            ],
        },
        Event::Acquired {
            issuance_id: s("X1"),
            project: s("P9"),
            registry: s("CHE01"),
            vintage: 2023,
            unit_type: UnitType::RemovalTechnical,
            first: 1_000_000,
            last: 12_345_678,
            block: 3,
            account: s("BTN:O:Holding"),
            from_party: s("CHE"),
            class: Class::Mo,
            authorization: None,
        },
        Event::Split {
            parent: 1,
            children: vec![
                Piece {
                    block: 4,
                    first: 1,
                    last: 1,
                },
                Piece {
                    block: 5,
                    first: 2,
                    last: 98,
                },
            ],
        },
        Event::Moved {
            blocks: vec![4],
            from: s("A"),
            to: s("B"),
            kind: MoveKind::Transfer {
                acquiring_party: None,
            },
        },
        Event::Moved {
            blocks: vec![4, 5],
            from: s("A"),
            to: s("B"),
            kind: MoveKind::Transfer {
                acquiring_party: Some(s("CHE")),
            },
        },
        Event::Moved {
            blocks: vec![],
            from: s("A"),
            to: s("B"),
            kind: MoveKind::Use {
                use_year: 2030,
                beneficiary: ben(&weird),
            },
        },
        Event::Moved {
            blocks: vec![5],
            from: s("A"),
            to: s("B"),
            kind: MoveKind::Retire {
                beneficiary: ben("b"),
                authorized_entity: Some(s("E")),
            },
        },
        Event::Moved {
            blocks: vec![5],
            from: s("A"),
            to: s("B"),
            kind: MoveKind::Retire {
                beneficiary: ben("b"),
                authorized_entity: None,
            },
        },
        Event::Moved {
            blocks: vec![5],
            from: s("A"),
            to: s("B"),
            kind: MoveKind::Cancel {
                subtype: CancelSubtype::Other,
                reason: weird.clone(),
            },
        },
        Event::Authorized {
            blocks: vec![6, 7],
            authorization: s("AU"),
            date: None,
        },
        Event::Frozen {
            blocks: vec![1],
            reason: weird.clone(),
        },
        Event::Unfrozen {
            blocks: vec![1],
            reason: s(""),
        },
        Event::CommandRejected {
            rule: s("§5 preconditions"),
            message: weird.clone(),
        },
        // Two-phase requests, approach lifecycle, CA records, markers, annotations.
        Event::RetirementRequested {
            id: s("R1"),
            from: s("BTN:REG:Holding"),
            to: s("BTN:REG:RetirementOIMP"),
            blocks: vec![3, u64::MAX],
            subtype: RetirementSubtype::Retire,
            beneficiary: ben(&weird),
            use_year: None,
            authorized_entity: Some(s("ENT1")),
        },
        Event::RetirementRequested {
            id: s("R2"),
            from: s("BTN:REG:Holding"),
            to: s("BTN:REG:RetirementNDC"),
            blocks: vec![],
            subtype: RetirementSubtype::Use,
            beneficiary: ben("Druk"),
            use_year: Some(2030),
            authorized_entity: None,
        },
        Event::ItmoAuthorizationRequested {
            id: s("R3"),
            account: s("BTN:DEV0001:Holding"),
            authorization: s("BTN-A 1"),
            blocks: vec![9],
            date: Some(d),
        },
        Event::ItmoAuthorizationRequested {
            id: s("R4"),
            account: s("a"),
            authorization: s("b"),
            blocks: vec![],
            date: None,
        },
        Event::RequestApproved {
            id: s("R1"),
            blocks: vec![10, 11],
        },
        Event::RequestRejected {
            id: s("R3"),
            reason: weird.clone(),
        },
        Event::RequestCancelled {
            id: s("R4"),
            reason: s(""),
        },
        Event::InitialReportFiled {
            approach: s("CA0001"),
            version: u32::MAX,
            status: ReportStatus::Published,
        },
        Event::AuthorizedEntityRecorded {
            organization: s("ENT1"),
            approach: s("CA0001"),
            date: d,
            conditions: weird.clone(),
            revocation_conditions: s(""),
            status: EntityStatus::Revoked,
        },
        Event::CaRecorded {
            approach: s("CA0001"),
            year: 2030,
            quantity: u64::MAX,
        },
        Event::CaSubmitted {
            approach: s("CA0001"),
            year: 2030,
        },
        Event::CaApproved {
            approach: s("CA0001"),
            year: 2030,
        },
        Event::YearClosed { year: 2025 },
        Event::Annotated {
            seq: 42,
            fields: [
                (s("note"), weird.clone()),
                (s("beneficiary_name"), s("Druk Air")),
                (s("Zeta"), s("upper-case keys sort first")),
            ]
            .into_iter()
            .collect(),
            reason: s("typo"),
        },
    ]
}

#[test]
fn direct_writer_matches_reference_on_every_event_kind() {
    let actor = Actor {
        user: "ünïcode \"user\"".into(),
        org: "REG".into(),
        role: Role::AuthorizedEntity,
    };
    for (i, event) in odd_events().into_iter().enumerate() {
        let mut env = Envelope {
            seq: i as u64 + 1,
            ts: "2025-02-28T23:59:59Z".into(),
            actor: actor.clone(),
            command_id: format!("cmd:{i}"),
            payload_hash: "ab".repeat(32),
            batch_id: u64::MAX - i as u64,
            batch_end: i % 2 == 0,
            schema_version: SCHEMA_VERSION,
            prev_hash: GENESIS_HASH.into(),
            hash: String::new(),
            event,
        };
        let mut r = env.clone();
        r.seal_reference().unwrap();
        env.hash = r.hash.clone();
        assert_same_line(&env);
        // Payload hashes of arbitrary values use the same writer.
        assert_eq!(
            payload_hash(&env.event).unwrap(),
            payload_hash_reference(&env.event).unwrap()
        );
        let mut a = Vec::new();
        ndc_workbench::registry::canonical::to_canonical(&env.event, &mut a).unwrap();
        let mut b = Vec::new();
        canonical(&serde_json::to_value(&env.event).unwrap(), &mut b).unwrap();
        assert_eq!(a, b);
    }
}

/// `tests/fixtures/registry_v1_synth.jsonl` was written by the build before the direct writer
/// (`registry synth --events 1500 --seed 11 --deferred-sync`). It must still verify, and
/// re-encoding each of its events must give back the stored line byte for byte.
#[test]
fn journal_written_by_the_previous_encoder_still_verifies_byte_for_byte() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/registry_v1_synth.jsonl");
    let report = check_journal(&path).unwrap();
    assert_eq!(report.events, 1500);
    let text = std::fs::read_to_string(&path).unwrap();
    let l = Ledger::load(&path, SystemClock).unwrap();
    assert_eq!(l.events().len(), 1500);
    for (env, line) in l.events().iter().zip(text.lines()) {
        let mut e = env.clone();
        let sealed = e.seal().unwrap();
        assert_eq!(
            std::str::from_utf8(&sealed).unwrap(),
            format!("{line}\n"),
            "seq {}",
            env.seq
        );
    }
    l.check().unwrap();
}
