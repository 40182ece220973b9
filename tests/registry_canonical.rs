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
    Envelope, Event, GENESIS_HASH, HexDigest, Leg, LegKind, MoveKind, Piece, SCHEMA_VERSION,
    canonical, payload_hash, payload_hash_reference,
};
use ndc_workbench::registry::invariants::check_journal;
use ndc_workbench::registry::state::decode_hash;
use ndc_workbench::registry::synth::{self, SynthConfig};
use ndc_workbench::registry::wire;
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

/// Event `i` of [`odd_events`] in an envelope with extreme values (largest batch ids, both
/// `batch_end` values), unsealed.
fn odd_envelope(i: usize, actor: Actor, event: Event) -> Envelope {
    Envelope {
        seq: i as u64 + 1,
        ts: "2025-02-28T23:59:59Z".into(),
        actor,
        command_id: format!("cmd:{i}"),
        payload_hash: "ab".repeat(32),
        batch_id: u64::MAX - i as u64,
        batch_end: i.is_multiple_of(2),
        schema_version: SCHEMA_VERSION,
        prev_hash: GENESIS_HASH.into(),
        hash: String::new(),
        event,
    }
}

#[test]
fn direct_writer_matches_reference_on_every_event_kind() {
    let actor = Actor {
        user: "ünïcode \"user\"".into(),
        org: "REG".into(),
        role: Role::AuthorizedEntity,
    };
    for (i, event) in odd_events().into_iter().enumerate() {
        let mut env = odd_envelope(i, actor.clone(), event);
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

/// The fast line reader (`registry::wire`) must give the same verdict and the same envelope as
/// `Envelope::parse` on every line, and must actually take its fast path on what the registry
/// writes (otherwise replay silently falls back to the slow reader).
fn assert_reads_like_parse(line: &[u8], what: &str) {
    let reference = Envelope::parse(line);
    let mut env = wire::blank_envelope();
    let fast = wire::parse_into(line, &mut env);
    match (&reference, &fast) {
        (Ok(r), Ok(())) => assert_eq!(&env, r, "{what}: {}", String::from_utf8_lossy(line)),
        (Err(_), Err(_)) => {}
        _ => panic!(
            "{what}: parse says {:?}, wire says {:?} for {}",
            reference.as_ref().map(|_| "ok"),
            fast,
            String::from_utf8_lossy(line)
        ),
    }
    // A verifying reader's hash hints only save time: whether they match the line's hash
    // fields (as read off the line, however damaged) or not, the verdict and value are parse's.
    let read_off = |key: &str| -> HexDigest {
        let at = line
            .windows(key.len())
            .position(|w| w == key.as_bytes())
            .map(|k| k + key.len());
        let hex = at.and_then(|k| line.get(k..k + 64)).unwrap_or(&[]);
        // Damaged hex decodes to zeros (or, in capitals, spells back in lowercase): a hint
        // that does not match the line, which must not matter either.
        let digest = std::str::from_utf8(hex).map_or([0; 32], decode_hash);
        HexDigest::of(&digest)
    };
    let (prev, this) = (read_off("\"prev_hash\":\""), read_off(",\"hash\":\""));
    let other = HexDigest::of(&[7; 32]);
    for hints in [
        (&prev, &this),
        (&other, &this),
        (&prev, &other),
        (&other, &other),
    ] {
        let mut reader = wire::LineReader::default();
        match (&reference, reader.read_chained(line, Some(hints))) {
            (Ok(r), Ok(got)) => assert_eq!(got, r, "{what} (hinted {hints:?})"),
            (Err(_), Err(_)) => {}
            (r, got) => panic!(
                "{what} (hinted {hints:?}): parse says {:?}, reader says {:?}",
                r.as_ref().map(|_| "ok"),
                got.map(|_| "ok")
            ),
        }
    }
    // And an envelope reused from a previous, different line gives the same result.
    let mut reused = wire::blank_envelope();
    reused.ts = "a much longer timestamp-like string than any real one".into();
    reused.event = Event::YearClosed { year: 1999 };
    if wire::parse_into(line, &mut reused).is_ok() {
        assert_eq!(
            &reused,
            reference.as_ref().unwrap(),
            "{what} (reused envelope)"
        );
    }
}

/// One sealed line (without its newline) of every event kind in [`odd_events`].
fn odd_lines() -> Vec<Vec<u8>> {
    odd_events()
        .into_iter()
        .enumerate()
        .map(|(i, event)| {
            let actor = Actor {
                user: "ana".into(),
                org: "REG".into(),
                role: Role::Dna,
            };
            let mut line = odd_envelope(i, actor, event).seal().unwrap();
            line.pop();
            line
        })
        .collect()
}

fn synth_lines(events: u64, seed: u64) -> Vec<Vec<u8>> {
    let clock = ManualClock::at_date(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()).stepping(7);
    let mut l = Ledger::in_memory(clock);
    synth::run(&mut l, SynthConfig { events, seed }, |_| {}).unwrap();
    l.events()
        .iter()
        .map(|e| {
            let mut e = e.clone();
            let mut line = e.seal().unwrap();
            line.pop();
            line
        })
        .collect()
}

#[test]
fn fast_reader_takes_its_fast_path_on_every_synth_line_and_agrees_with_parse() {
    for (i, line) in synth_lines(6_000, 21).iter().enumerate() {
        let mut env = wire::blank_envelope();
        assert!(
            wire::parse_fast(line, &mut env),
            "line {} declined: {}",
            i + 1,
            String::from_utf8_lossy(line)
        );
        assert_eq!(env, Envelope::parse(line).unwrap(), "line {}", i + 1);
    }
}

/// Replay reuses one envelope for every line, and the reader refills the strings, legs and
/// block lists of an earlier event of the same kind in place: each line must still read
/// exactly as it parses, whatever came before it (issuances with more legs, then fewer;
/// rejections after rejections).
#[test]
fn one_envelope_reused_for_a_whole_journal_reads_every_line_as_parse_does() {
    let mut lines = synth_lines(6_000, 33);
    lines.extend(odd_lines().into_iter().rev());
    // Twice over, so every kind also follows every other.
    let all: Vec<&Vec<u8>> = lines.iter().chain(lines.iter().rev()).collect();
    let mut shared = wire::blank_envelope();
    // The journal reader also keeps the last body of every kind, to refill it at the next
    // line of that kind however far away.
    let mut reader = wire::LineReader::default();
    let mut issued_shrank = false;
    let mut prev_legs = 0;
    for (i, line) in all.iter().enumerate() {
        wire::parse_into(line, &mut shared).unwrap();
        let parsed = Envelope::parse(line).unwrap();
        assert_eq!(shared, parsed, "line {i}");
        assert_eq!(
            reader.read(line).unwrap(),
            &parsed,
            "line {i} (line reader)"
        );
        if let Event::Issued { legs, .. } = &shared.event {
            issued_shrank |= legs.len() < prev_legs;
            prev_legs = legs.len();
        }
    }
    assert!(
        issued_shrank,
        "the workload must include an issuance with fewer legs than the one before"
    );
}

/// The journal reader recognises what a line repeats of the line before it (actor, command
/// id, payload hash, timestamp, the previous hash) by comparing bytes. Every line read right
/// after every other (and back again), through one reader, reads as `Envelope::parse` reads
/// it alone: lines whose strings are prefixes or extensions of the previous line's, escaped
/// strings (read by the fallback, so not to be compared against), broken chains, and lines
/// that fail.
#[test]
fn a_line_read_after_any_other_reads_as_parse_does() {
    let s = |x: &str| x.to_string();
    let mut pool: Vec<Vec<u8>> = synth_lines(40, 5);
    let users = ["ana", "an", "anab", "a\"n", "ana\\"];
    let commands = ["c1", "c12", "c", "c1\"", "c1\\x", ""];
    let times = [
        "2025-02-28T23:59:59Z",
        "2025-02-28T23:59:5",
        "2025-02-28T23:59:59Z\"",
    ];
    let hashes = [
        "ab".repeat(32),
        "ab".repeat(31),
        "ab".repeat(32) + "\"",
        "c".repeat(64),
    ];
    let mut k = 0;
    for user in users {
        for command in commands {
            for ts in times {
                for prev in &hashes {
                    k += 1;
                    // Not every combination: enough that each value meets each other one.
                    if k % 3 != 0 && user != "ana" {
                        continue;
                    }
                    let actor = Actor {
                        user: s(user),
                        org: s("REG"),
                        role: if k % 2 == 0 { Role::Dna } else { Role::Root },
                    };
                    let mut env = odd_envelope(
                        k,
                        actor,
                        Event::Frozen {
                            blocks: vec![k as u64],
                            reason: s("r"),
                        },
                    );
                    env.command_id = s(command);
                    env.payload_hash = prev.clone();
                    env.ts = s(ts);
                    env.prev_hash = prev.clone();
                    let mut line = env.seal().unwrap();
                    line.pop();
                    pool.push(line);
                }
            }
        }
    }
    // Lines that fail: cut short, and with an escaped backslash turned into a lone one (its
    // raw bytes then spell the value the line before held, unescaped).
    pool.push(b"{\"actor\":".to_vec());
    let unescaped: Vec<Vec<u8>> = pool
        .iter()
        .filter_map(|l| {
            let at = l.windows(2).position(|w| w == b"\\\\")?;
            let mut l = l.clone();
            l.remove(at);
            Some(l)
        })
        .collect();
    assert!(!unescaped.is_empty());
    pool.extend(unescaped);
    let mut pairs = 0;
    for x in &pool {
        for y in &pool {
            // x, y, x, y through one reader: each line read after the other, and x also
            // after a y that followed an x (what is remembered must be of the line just read).
            let mut reader = wire::LineReader::default();
            for (n, line) in [x, y, x, y].into_iter().enumerate() {
                let want = Envelope::parse(line).ok();
                assert_eq!(
                    reader.read(line).ok(),
                    want.as_ref(),
                    "read {n}: {} after {}",
                    String::from_utf8_lossy(line),
                    String::from_utf8_lossy(if n % 2 == 0 { y } else { x })
                );
            }
            pairs += 1;
        }
    }
    assert!(pairs > 10_000, "{pairs} pairs");
}

#[test]
fn fast_reader_agrees_with_parse_on_every_event_kind() {
    for (i, event) in odd_events().into_iter().enumerate() {
        for user in ["ana", "ünïcode \"user\""] {
            let actor = Actor {
                user: user.into(),
                org: "REG".into(),
                role: Role::Dna,
            };
            let mut env = odd_envelope(i, actor, event.clone());
            let mut line = env.seal().unwrap();
            line.pop();
            assert_reads_like_parse(&line, &format!("event {i} ({})", env.event.type_name()));
            let mut fresh = wire::blank_envelope();
            // Escapes in an envelope string decline the fast path; anything else is read by it.
            assert_eq!(
                wire::parse_fast(&line, &mut fresh),
                !user.contains('"'),
                "event {i}"
            );
        }
    }
}

/// Differential fuzz: damaged and rearranged lines (whitespace, escapes, leading zeros, signs,
/// reordered or duplicated keys, unknown keys, wrong types, truncation, byte flips, bad UTF-8)
/// get the same verdict and value from both readers.
#[test]
fn fast_reader_agrees_with_parse_on_damaged_lines() {
    use rand::{RngExt, SeedableRng};
    let mut lines = synth_lines(800, 4);
    // And one line of every event kind, so each hand-read body meets every edit.
    lines.extend(odd_lines());
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0xC0FFEE);
    let edits: &[(&str, &str)] = &[
        ("\"seq\":", "\"seq\": "),
        ("\"seq\":", "\"seq\":0"),
        ("\"seq\":", "\"seq\":-"),
        ("\"batch_id\":", "\"batch_id\":1.0e0+"),
        ("\"batch_end\":", "\"batch_end\": "),
        ("\"ts\":\"", "\"ts\":\"\\u0032"),
        ("\"user\":\"", "\"user\":\"\\n"),
        ("\"org\":\"", "\"org\":\"\u{1}"),
        ("{\"actor\"", "{\"extra\":1,\"actor\""),
        ("{\"actor\"", " {\"actor\""),
        (",\"hash\"", ",\"seq\":1,\"hash\""),
        (",\"type\":\"", ",\"type\":\"X"),
        ("\"body\":{", "\"body\":{\"zzz\":[1,{\"a\":\"}\"}],"),
        ("\"body\":{", "\"body\":{ "),
        ("\"body\":", "\"body\":null,\"b\":"),
        ("\"schema_version\":1", "\"schema_version\":4294967296"),
        // The version the fast path compares whole, with the key after it.
        ("\"schema_version\":1", "\"schema_version\":10"),
        ("\"schema_version\":1", "\"schema_version\":1.0"),
        ("\"schema_version\":1", "\"schema_version\":2"),
        ("\"schema_version\":1,", "\"schema_version\":1 ,"),
        (",\"seq\":", ",\"seq\" :"),
        ("\"seq\":", "\"seq\":99999999999999999999"),
        ("\"role\":\"", "\"role\":\"x"),
        ("\"role\":\"Root\"", "\"role\":\"DNA\""),
        ("\"batch_end\":false", "\"batch_end\":0"),
        ("}", "}}"),
        (":", ":\t"),
        // Hash fields one byte too long: a known digest matches their first 64 bytes.
        (",\"hash\":\"", ",\"hash\":\"0"),
        ("\"prev_hash\":\"", "\"prev_hash\":\"f"),
        // Bodies read by hand: out-of-range and misspelt values, nulls and their opposites,
        // escapes, variants swapped (serde accepts some of these, e.g. unknown fields).
        ("\"vintage\":", "\"vintage\":7"),
        ("\"use_year\":", "\"use_year\":99"),
        ("\"class\":\"MO\"", "\"class\":\"Mo\""),
        ("\"class\":\"MO\"", "\"class\":\"ITMO\""),
        ("\"date\":null", "\"date\":\"2024-02-30\""),
        ("\"date\":null", "\"date\":\"2024-02-03\""),
        ("\"date\":null", "\"date\":\" 2024-02-03\""),
        ("\"leg\":\"holding\"", "\"leg\":\"Holding\""),
        ("\"leg\":\"holding\"", "\"leg\":\"sop\""),
        ("\"unit_type\":\"", "\"unit_type\":\"x"),
        ("\"verification\":null", "\"verification\":\"V1\""),
        ("\"authorization\":null", "\"authorization\":7"),
        ("\"authorization\":\"", "\"authorization\":null,\"x\":\""),
        ("\"blocks\":[", "\"blocks\":[0,"),
        ("\"blocks\":[", "\"blocks\":[-1,"),
        ("\"blocks\":[", "\"blocks\":[ "),
        ("\"blocks\":[", "\"blocks\":[],\"b\":["),
        ("\"legs\":[", "\"legs\":[],\"l\":["),
        ("\"kind\":\"transfer\"", "\"kind\":\"use\""),
        ("\"kind\":\"retire\"", "\"kind\":\"transfer\""),
        ("\"kind\":\"retire\"", "\"kind\":\"use\",\"use_year\":2030"),
        ("\"kind\":\"cancel\"", "\"kind\":\"retire\""),
        ("\"subtype\":\"voluntary\"", "\"subtype\":\"omge\""),
        ("\"subtype\":\"voluntary\"", "\"subtype\":\"Omge\""),
        ("\"reason\":\"", "\"reason\":\"\\u00e9"),
        ("\"rule\":\"", "\"rule\":\"\\\\"),
        ("\"message\":\"", "\"message\":1,\"m\":\""),
        ("\"purpose\":\"", "\"purpose\":\"é"),
        ("\"country\":\"", "\"country\":\"\u{7f}"),
        ("\"first\":", "\"first\":00"),
        ("\"last\":", "\"last\":18446744073709551616"),
        ("\"children\":[", "\"children\":[],\"c\":["),
        ("\"id\":\"", "\"id\":\"\u{1f}"),
    ];
    let mut checked = 0;
    for line in &lines {
        let text = String::from_utf8(line.clone()).unwrap();
        for (from, to) in edits {
            if let Some(at) = text.find(from) {
                let mut t = text.clone();
                t.replace_range(at..at + from.len(), to);
                assert_reads_like_parse(t.as_bytes(), &format!("edit {from:?} → {to:?}"));
                checked += 1;
            }
        }
        // Random byte damage: flips, deletions, insertions of JSON-significant bytes,
        // truncation, invalid UTF-8.
        for _ in 0..6 {
            let mut b = line.clone();
            let at = rng.random_range(0..b.len());
            match rng.random_range(0..5u8) {
                0 => b[at] ^= 1 << rng.random_range(0..8u32),
                1 => {
                    b.remove(at);
                }
                2 => b.insert(at, b"\"\\{}[],: 0-e\xff"[rng.random_range(0..13usize)]),
                3 => b.truncate(at),
                _ => b.insert(at, 0xC3),
            }
            assert_reads_like_parse(&b, "random damage");
            checked += 1;
        }
        // Keys reordered (valid JSON, not canonical): parse accepts, fast path declines.
        let v: serde_json::Value = serde_json::from_slice(line).unwrap();
        let mut m: Vec<(String, serde_json::Value)> =
            v.as_object().unwrap().clone().into_iter().collect();
        m.reverse();
        let reordered = format!(
            "{{{}}}",
            m.iter()
                .map(|(k, v)| format!("{}:{}", serde_json::to_string(k).unwrap(), v))
                .collect::<Vec<_>>()
                .join(",")
        );
        assert_reads_like_parse(reordered.as_bytes(), "reordered keys");
        checked += 1;
    }
    assert!(checked > 10_000, "{checked} damaged lines checked");
}

/// A journal replays without the per-account index and builds it once at the end
/// (`Ledger::load`); that index must equal the one a ledger keeps while committing, and a
/// `check` from the file (which never builds it) must still pass.
#[test]
fn index_built_at_load_equals_the_index_kept_while_committing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.jsonl");
    let clock = ManualClock::at_date(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()).stepping(7);
    let mut live = Ledger::open_with(&path, clock, Durability::Deferred).unwrap();
    synth::run(
        &mut live,
        SynthConfig {
            events: 8_000,
            seed: 3,
        },
        |_| {},
    )
    .unwrap();
    live.flush().unwrap();
    let loaded = Ledger::load(&path, SystemClock).unwrap();
    let (a, b) = (live.state(), loaded.state());
    assert!(a.has_account_index() && b.has_account_index());
    assert_eq!(a.accounts.len(), b.accounts.len());
    let mut held = 0;
    for (x, y) in a.accounts.iter().zip(&b.accounts) {
        assert_eq!(x.id, y.id);
        assert_eq!(x.blocks, y.blocks, "account {}", x.id);
        held += x.blocks.len();
    }
    assert!(held > 1_000, "{held} blocks held");
    loaded.check_state().unwrap();
    assert_eq!(check_journal(&path).unwrap().events, live.last_seq());
}

/// A byte that is not UTF-8, put at every position of a line of every kind in turn, and an
/// unknown body key whose string is not UTF-8 (serde skips such strings unread) must get the
/// same verdict from the fast reader as from `Envelope::parse`.
#[test]
fn a_byte_that_is_not_utf8_anywhere_in_a_line_gets_the_same_verdict() {
    let mut lines = synth_lines(300, 5);
    lines.extend(odd_lines());
    let mut refused_by_both = 0;
    for (n, line) in lines.iter().enumerate().step_by(7) {
        for at in 0..line.len() {
            for bad in [0xFFu8, 0xC3] {
                let mut damaged = line.clone();
                damaged[at] = bad;
                assert_reads_like_parse(&damaged, &format!("line {n}, byte {at} = {bad:#x}"));
                refused_by_both += usize::from(Envelope::parse(&damaged).is_err());
            }
        }
    }
    assert!(refused_by_both > 0);
    // An unknown body key whose string is not UTF-8: serde skips such strings unread.
    for (n, line) in lines.iter().enumerate() {
        let at = line.windows(8).position(|w| w == b"\"body\":{").unwrap() + 8;
        let mut damaged = line[..at].to_vec();
        damaged.extend_from_slice(b"\"a\":\"\xFF\",");
        damaged.extend_from_slice(&line[at..]);
        assert_reads_like_parse(&damaged, &format!("line {n} with an unknown key"));
    }
}

/// The reader refills a move's kind from the last kind of the same variant (a retirement's
/// beneficiary strings, an entity, an acquiring Party). Every sequence of three moves of
/// every kind (transfers with and without an acquiring Party, uses, retirements with and
/// without an entity, cancellations; beneficiaries of different lengths), read through one
/// reader, reads line by line as `Envelope::parse` reads each alone, and takes the fast path.
#[test]
fn move_kinds_read_after_any_other_read_as_parse_does() {
    let s = |x: &str| x.to_string();
    let long = Beneficiary {
        name: s("A much longer beneficiary name"),
        id: s("TAX-0000-1111-2222"),
        country: s("DEU"),
        purpose: s("voluntary claim for the 2030 reporting year"),
    };
    let kinds = [
        MoveKind::Transfer {
            acquiring_party: None,
        },
        MoveKind::Transfer {
            acquiring_party: Some(s("CHE")),
        },
        MoveKind::Transfer {
            acquiring_party: Some(s("SGP-LONGER")),
        },
        MoveKind::Use {
            use_year: 2030,
            beneficiary: ben("b"),
        },
        MoveKind::Use {
            use_year: 2031,
            beneficiary: long.clone(),
        },
        MoveKind::Retire {
            beneficiary: ben("bb"),
            authorized_entity: Some(s("ENT-1")),
        },
        MoveKind::Retire {
            beneficiary: long.clone(),
            authorized_entity: None,
        },
        MoveKind::Cancel {
            subtype: CancelSubtype::Omge,
            reason: s("OMGE"),
        },
        MoveKind::Cancel {
            subtype: CancelSubtype::Voluntary,
            reason: s("a"),
        },
    ];
    let actor = Actor {
        user: s("ana"),
        org: s("REG"),
        role: Role::Dna,
    };
    let lines: Vec<Vec<u8>> = kinds
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            let event = Event::Moved {
                blocks: vec![5, i as u64 + 6],
                from: s("A"),
                to: s("B"),
                kind: kind.clone(),
            };
            let mut line = odd_envelope(i, actor.clone(), event).seal().unwrap();
            line.pop();
            assert!(
                wire::parse_fast(&line, &mut wire::blank_envelope()),
                "kind {i} takes the fast path"
            );
            line
        })
        .collect();
    let n = lines.len();
    for a in 0..n {
        for b in 0..n {
            for c in 0..n {
                let mut reader = wire::LineReader::default();
                for k in [a, b, c] {
                    let parsed = Envelope::parse(&lines[k]).unwrap();
                    assert_eq!(
                        reader.read(&lines[k]).unwrap(),
                        &parsed,
                        "kind {k} in the sequence {a}, {b}, {c}"
                    );
                }
            }
        }
    }
}
