//! Seeded, realistic random workload for benchmarks, demos and crash tests. One job: drive a
//! ledger through many projects, vintages, issuances with levies, authorizations (partial),
//! domestic and international transfers, a climate fund aggregating and selling on,
//! retirements, uses, cancellations and freezes — until the log has `events` events.
//! Some commands are refused (insufficient units, gating); refusals are events too.

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
        Command::SetApproachStatus {
            id: "CA0001".into(),
            status: ApproachStatus::Submitted,
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
                  command: Command,
                  rep: &mut SynthReport|
     -> Result<(), RegistryError> {
        rep.commands += 1;
        match ledger.submit(Submission {
            command_id: id.clone(),
            actor: Actor::system(),
            command,
        }) {
            Ok(_) => {}
            Err(RegistryError::Rejected { .. }) => rep.rejected += 1,
            Err(e) => return Err(e),
        }
        on_ack(&id);
        Ok(())
    };
    for (i, c) in setup_commands().into_iter().enumerate() {
        go(ledger, format!("synth-setup-{i}"), c, &mut rep)?;
    }
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
    let mut i = 0u64;
    while ledger.last_seq() < cfg.events {
        let c = random_command(&mut rng);
        go(ledger, format!("synth-{}-{i}", cfg.seed), c, &mut rep)?;
        i += 1;
    }
    rep.events = ledger.last_seq();
    Ok(rep)
}
