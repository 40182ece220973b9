//! Seeded, realistic random workload for benchmarks, demos and crash tests. One job: drive a
//! ledger through many projects, vintages, issuances with levies, authorizations (partial),
//! domestic and international transfers, a climate fund aggregating and selling on,
//! retirements, uses, cancellations and freezes — until the log has `events` events.
//! Some commands are refused (insufficient units, gating); refusals are events too.
//!
//! Two-phase requests: about a third of the retirements and a fifth of the authorizations
//! go through a request (submitted by the system actor) that a DNA officer (`dna-officer`)
//! later approves (partially for some authorizations), rejects, or the requester cancels;
//! now and then the requester tries to approve their own request (refused by the four-eyes
//! rule). CA records for random years advance Draft → Submitted → Approved.

use chrono::NaiveDate;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::command::{Command, Submission};
use super::error::RegistryError;
use super::ledger::Ledger;
use super::types::*;

#[derive(Debug, Clone, Copy)]
pub struct SynthConfig {
    pub events: u64,
    pub seed: u64,
}

#[derive(Debug, Clone, Default)]
pub struct SynthReport {
    pub commands: u64,
    pub rejected: u64,
    pub events: u64,
}

const DEVS: usize = 6;
const PROJECTS: usize = 40;
const AUTHS: [&str; 4] = ["BTN-NDC", "BTN-OIMP-AUTH", "BTN-OIMP-UOC", "BTN-BOTH-ISS"];

fn dev_account(i: usize) -> String {
    format!("BTN:DEV{}:Holding", i + 1)
}

fn setup_commands() -> Vec<Command> {
    let d = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default();
    let mut c = vec![
        Command::InitParty {
            party: "BTN".into(),
            registry_id: "BTN01".into(),
            name: "Bhutan".into(),
            ndc_first_year: Some(2021),
            ndc_last_year: Some(2030),
        },
        Command::InitParty {
            party: "CHE".into(),
            registry_id: "CHE01".into(),
            name: "Switzerland".into(),
            ndc_first_year: Some(2021),
            ndc_last_year: Some(2030),
        },
        Command::RegisterOrganization {
            id: "FUND".into(),
            name: "Climate fund".into(),
            country: "BTN".into(),
            roles: vec![Role::ClimateFund],
        },
        Command::OpenAccount {
            id: "BTN:FUND:Holding".into(),
            owner: "FUND".into(),
            party: "BTN".into(),
            kind: AccountKind::Holding,
        },
        Command::RegisterOrganization {
            id: "BUY1".into(),
            name: "Buyer".into(),
            country: "CHE".into(),
            roles: vec![Role::Buyer],
        },
        Command::OpenAccount {
            id: "CHE:BUY1:Holding".into(),
            owner: "BUY1".into(),
            party: "CHE".into(),
            kind: AccountKind::Holding,
        },
        Command::RegisterOrganization {
            id: "ENT1".into(),
            name: "Airline".into(),
            country: "CHE".into(),
            roles: vec![Role::AuthorizedEntity],
        },
        Command::RecordApproach {
            id: "CA0001".into(),
            title: "BTN-CHE bilateral".into(),
            host: "BTN".into(),
            parties: vec!["BTN".into(), "CHE".into()],
        },
        Command::FileInitialReport {
            approach: "CA0001".into(),
            version: 1,
            status: ReportStatus::Submitted,
        },
        Command::SetApproachStatus {
            id: "CA0001".into(),
            status: ApproachStatus::Submitted,
        },
        Command::RecordAuthorizedEntity {
            organization: "ENT1".into(),
            approach: "CA0001".into(),
            date: d,
            conditions: "OIMP use on behalf of the buyer".into(),
            revocation_conditions: "revocable by the DNA on notice".into(),
            status: EntityStatus::Active,
        },
        Command::SetApproachStatus {
            id: "CA0001".into(),
            status: ApproachStatus::Active,
        },
    ];
    for (id, purpose, def) in [
        ("BTN-NDC", "NDC", None),
        ("BTN-OIMP-AUTH", "OIMP", Some("Authorization")),
        ("BTN-OIMP-UOC", "OIMP", Some("UseOrCancel")),
        ("BTN-BOTH-ISS", "NDC and OIMP", Some("Issuance")),
    ] {
        c.push(Command::RecordAuthorization {
            id: id.into(),
            version: 1,
            date: d,
            approach: "CA0001".into(),
            purpose: purpose.into(),
            acquiring_parties: vec!["CHE".into()],
            entities: vec!["ENT1".into()],
            authorized_quantity: None,
            period_start: 2021,
            period_end: 2030,
            first_transfer_definition: def.map(String::from),
        });
    }
    for i in 0..DEVS {
        c.push(Command::RegisterOrganization {
            id: format!("DEV{}", i + 1),
            name: format!("Developer {}", i + 1),
            country: "BTN".into(),
            roles: vec![Role::ProjectDeveloper],
        });
        c.push(Command::OpenAccount {
            id: dev_account(i),
            owner: format!("DEV{}", i + 1),
            party: "BTN".into(),
            kind: AccountKind::Holding,
        });
    }
    for p in 0..PROJECTS {
        c.push(Command::RegisterProject {
            id: format!("P{:04}", p + 1),
            name: format!("Project {}", p + 1),
            sector: ["Energy", "Forestry", "Waste", "Transport"][p % 4].into(),
            mechanism: if p % 4 == 0 {
                Mechanism::A64
            } else {
                Mechanism::A62
            },
            host: Some("BTN".into()),
            developer: Some(format!("DEV{}", p % DEVS + 1)),
            methodology: String::new(),
            unit_type: UnitType::default(),
            covered_by_ndc: Some("Inside NDC".into()),
            link: String::new(),
            registered: true,
        });
    }
    c
}

fn beneficiary(rng: &mut ChaCha8Rng) -> Beneficiary {
    let n = rng.random_range(1..=50u32);
    Beneficiary {
        name: format!("Company {n}"),
        id: format!("CHE-{n:06}"),
        country: "CHE".into(),
        purpose: "voluntary claim".into(),
    }
}

/// The DNA officer who resolves requests (never the requester, who is `system`).
fn dna_officer() -> Actor {
    Actor {
        user: "dna-officer".into(),
        org: "REG-BTN".into(),
        role: Role::Dna,
    }
}

/// Turn some retirements and authorizations into two-phase requests (see module docs).
fn as_request(rng: &mut ChaCha8Rng, c: Command, rid: &str) -> Command {
    match c {
        Command::Retire {
            from,
            quantity,
            filter,
            beneficiary,
            authorized_entity,
        } if rng.random_bool(0.35) => Command::RequestRetirement {
            id: rid.to_string(),
            from,
            quantity,
            filter,
            subtype: RetirementSubtype::Retire,
            beneficiary,
            use_year: None,
            authorized_entity,
        },
        Command::Authorize {
            account,
            authorization,
            quantity,
            filter,
            date,
        } if rng.random_bool(0.2) => Command::RequestItmoAuthorization {
            id: rid.to_string(),
            account,
            authorization,
            quantity,
            filter,
            date,
        },
        other => other,
    }
}

/// Resolve a pending request: mostly approve (a third of authorizations partially).
fn resolve(rng: &mut ChaCha8Rng, ledger: &Ledger, id: &str) -> (Actor, Command) {
    let st = ledger.state();
    let units = st
        .lc
        .requests
        .get(id)
        .map(|r| st.units_of(&r.blocks))
        .unwrap_or(1);
    let is_auth = st
        .lc
        .requests
        .get(id)
        .is_some_and(|r| r.kind_name() == "itmo-authorization");
    match rng.random_range(0..100u32) {
        0..=4 => (
            Actor::system(),
            Command::ApproveRequest {
                id: id.into(),
                quantity: None,
            },
        ),
        5..=14 => (
            dna_officer(),
            Command::RejectRequest {
                id: id.into(),
                reason: "documentation incomplete".into(),
            },
        ),
        15..=22 => (
            Actor::system(),
            Command::CancelRequest {
                id: id.into(),
                reason: "withdrawn".into(),
            },
        ),
        _ => (
            dna_officer(),
            Command::ApproveRequest {
                id: id.into(),
                quantity: (is_auth && units > 1 && rng.random_bool(0.33))
                    .then(|| rng.random_range(1..units)),
            },
        ),
    }
}

/// Advance the CA record of a random approach year: record → submit → approve.
fn ca_step(rng: &mut ChaCha8Rng, ledger: &Ledger) -> Command {
    let year = rng.random_range(2021..=2030u16);
    let key = ("CA0001".to_string(), year);
    match ledger.state().lc.ca_records.get(&key).map(|r| r.status) {
        None | Some(CaStatus::Approved) => Command::RecordCa {
            approach: key.0,
            year,
            quantity: super::ca::ca_rows(ledger.state())
                .iter()
                .find(|r| r.year == year)
                .map(|r| r.computed.max(0) as u64)
                .unwrap_or(0),
        },
        Some(CaStatus::Draft) => Command::SubmitCa {
            approach: key.0,
            year,
        },
        Some(CaStatus::Submitted) => Command::ApproveCa {
            approach: key.0,
            year,
        },
    }
}

fn random_command(rng: &mut ChaCha8Rng) -> Command {
    let src = |rng: &mut ChaCha8Rng| {
        if rng.random_bool(0.3) {
            "BTN:FUND:Holding".to_string()
        } else {
            dev_account(rng.random_range(0..DEVS))
        }
    };
    let roll = rng.random_range(0..100u32);
    match roll {
        0..=21 => {
            let p = rng.random_range(0..PROJECTS);
            Command::Issue {
                project: format!("P{:04}", p + 1),
                vintage: rng.random_range(2021..=2030),
                quantity: rng.random_range(50..=5000),
                to: Some(dev_account(p % DEVS)),
                verification: None,
                levies: None,
                authorization: None,
                date: None,
            }
        }
        22..=36 => Command::Authorize {
            account: src(rng),
            authorization: AUTHS[rng.random_range(0..AUTHS.len())].into(),
            quantity: rng.random_range(1..=1500),
            filter: Filter::default(),
            date: None,
        },
        37..=56 => {
            let (from, to) = if rng.random_bool(0.6) {
                (
                    dev_account(rng.random_range(0..DEVS)),
                    "BTN:FUND:Holding".to_string(),
                )
            } else {
                (
                    "BTN:FUND:Holding".to_string(),
                    dev_account(rng.random_range(0..DEVS)),
                )
            };
            Command::Transfer {
                from,
                to,
                quantity: rng.random_range(1..=2000),
                filter: Filter::default(),
                acquiring_party: None,
            }
        }
        57..=67 => Command::Transfer {
            from: src(rng),
            to: "CHE:BUY1:Holding".into(),
            quantity: rng.random_range(1..=1000),
            filter: Filter {
                class: Some(Class::Itmo),
                ..Filter::default()
            },
            acquiring_party: None,
        },
        68..=75 => Command::Retire {
            from: src(rng),
            quantity: rng.random_range(1..=400),
            filter: Filter {
                authorization: Some(AUTHS[rng.random_range(1..AUTHS.len())].into()),
                ..Filter::default()
            },
            beneficiary: beneficiary(rng),
            authorized_entity: Some("ENT1".into()),
        },
        76..=83 => Command::Use {
            from: "CHE:BUY1:Holding".into(),
            quantity: rng.random_range(1..=500),
            filter: Filter::default(),
            use_year: rng.random_range(2025..=2030),
            beneficiary: None,
        },
        84..=89 => Command::Cancel {
            from: src(rng),
            quantity: rng.random_range(1..=300),
            filter: Filter {
                class: Some(Class::Mo),
                ..Filter::default()
            },
            subtype: CancelSubtype::Voluntary,
            reason: "voluntary".into(),
        },
        90..=94 => Command::Freeze {
            account: src(rng),
            quantity: rng.random_range(1..=300),
            filter: Filter::default(),
            reason: "investigation".into(),
        },
        95..=98 => Command::Unfreeze {
            account: src(rng),
            quantity: rng.random_range(1..=300),
            filter: Filter::default(),
            reason: "cleared".into(),
        },
        _ => Command::AddEstimation {
            project: format!("P{:04}", rng.random_range(1..=PROJECTS)),
            year: rng.random_range(2025..=2035),
            unit_count: rng.random_range(100..=10_000),
        },
    }
}

/// The commands [`run`] would submit first: the setup, then `random` random commands of the
/// seeded stream (for encoding tests; `run` stops by event count instead).
pub fn commands(seed: u64, random: usize) -> Vec<Command> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut c = setup_commands();
    c.extend((0..random).map(|_| random_command(&mut rng)));
    c
}

/// Run the workload. `on_ack` is called with each command id once it is durable (committed or
/// refused and journaled). Setup commands have fixed ids, so re-running on an existing journal
/// continues it (the command ids of the random part include the seed).
pub fn run(
    ledger: &mut Ledger,
    cfg: SynthConfig,
    mut on_ack: impl FnMut(&str),
) -> Result<SynthReport, RegistryError> {
    let mut rep = SynthReport::default();
    let mut go = |ledger: &mut Ledger,
                  id: String,
                  actor: Actor,
                  command: Command,
                  rep: &mut SynthReport|
     -> Result<bool, RegistryError> {
        rep.commands += 1;
        let ok = match ledger.submit(Submission {
            command_id: id.clone(),
            actor,
            command,
        }) {
            Ok(_) => true,
            Err(RegistryError::Rejected { .. }) => {
                rep.rejected += 1;
                false
            }
            Err(e) => return Err(e),
        };
        on_ack(&id);
        Ok(ok)
    };
    for (i, c) in setup_commands().into_iter().enumerate() {
        go(
            ledger,
            format!("synth-setup-{i}"),
            Actor::system(),
            c,
            &mut rep,
        )?;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
    let mut i = 0u64;
    let mut pending: Vec<String> = Vec::new();
    while ledger.last_seq() < cfg.events {
        let id = format!("synth-{}-{i}", cfg.seed);
        i += 1;
        if !pending.is_empty() && rng.random_bool(0.08) {
            let k = rng.random_range(0..pending.len());
            let rid = pending[k].clone();
            let (actor, c) = resolve(&mut rng, ledger, &rid);
            go(ledger, id, actor, c, &mut rep)?;
            if ledger
                .state()
                .lc
                .requests
                .get(rid.as_str())
                .is_none_or(|r| r.status != RequestStatus::Pending)
            {
                pending.swap_remove(k);
            }
            continue;
        }
        if rng.random_bool(0.003) {
            let c = ca_step(&mut rng, ledger);
            go(ledger, id, dna_officer(), c, &mut rep)?;
            continue;
        }
        let c = random_command(&mut rng);
        let c = as_request(&mut rng, c, &format!("REQ-{}-{i}", cfg.seed));
        let rid = match &c {
            Command::RequestRetirement { id, .. }
            | Command::RequestItmoAuthorization { id, .. } => Some(id.clone()),
            _ => None,
        };
        if go(ledger, id, Actor::system(), c, &mut rep)?
            && let Some(r) = rid
        {
            pending.push(r);
        }
    }
    rep.events = ledger.last_seq();
    Ok(rep)
}
