//! Executing the transfer plan on a registry ledger, with the same commands a registry user
//! would give, and reading the Article 6 flows back. The simulation keeps no unit tallies of
//! its own: first transfers, their vintages and the levies come from the ledger's fold.
//!
//! What is written (in memory, deterministic clock):
//! 1. the host Party and every partner Party (`InitParty`), one cooperative approach
//!    `CA0001` (initial report filed, Submitted → Active) and each partner's registry
//!    organization as its authorized entity;
//! 2. per eligible activity: a project `P0001`… (ids in activity-id order; serial strings allow
//!    no dashes) with `covered_by_ndc` from its sector, a developer organization and holding
//!    account, and an authorization of its purpose, acquiring party, first-transfer definition
//!    and the planned quantity;
//! 3. per vintage, in year order (the clock stands at 1 December of the vintage year):
//!    issuance with the 6.4 or voluntary 6.2 levies — as ITMOs for an authorized 6.4 activity
//!    under the `after-sop` CA basis, so the OMGE leg is first-transferred at issuance —,
//!    authorization of the planned quantity (MO → ITMO) otherwise, and the international
//!    transfer to the partner; for OIMP units whose first transfer is their use or
//!    cancellation, the partner's authorized entity uses them on receipt.
//!
//! Steps 1 and 2's parties, approach, developers and projects come from
//! [`parties_and_approach`] and [`developer_and_project`], which the TUI's registry sandbox uses
//! too, so both ledgers start alike.

use super::outcome::Flows;
use super::params::Params;
use super::plan::{Plan, SimError};
use super::supply::ActivitySupply;
use crate::registry::{
    self, AccountKind, ApproachStatus, Beneficiary, Class, Command, Filter, Ledger, Levies,
    ManualClock, ReportStatus, Role,
};
use crate::scenario::Scenario;
use crate::scenario::schema::{Activity, FirstTransferDef, Mechanism, Purpose};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::collections::BTreeMap;

/// The ledger a simulation wrote, with the project id of each activity.
pub struct SimLedger {
    pub ledger: Ledger,
    pub party: String,
    /// activity id → project id
    pub projects: BTreeMap<String, String>,
    /// project ids of activities outside the NDC scope
    outside: Vec<String>,
}

impl std::fmt::Debug for SimLedger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimLedger")
            .field("party", &self.party)
            .field("events", &self.ledger.events().len())
            .finish()
    }
}

fn bp(share: Decimal) -> u32 {
    (share * Decimal::from(10_000))
        .round()
        .to_u32()
        .unwrap_or(0)
}

fn fail(what: &str, e: registry::RegistryError) -> SimError {
    SimError {
        key: "registry".into(),
        message: format!("the ledger refused {what}: {e}"),
        fix: "report this: the simulation plan and the registry rules disagree".into(),
    }
}

/// The host Party, its `partners`, the cooperative approach `CA0001` (initial report filed,
/// Submitted → Active) and each partner's registry organization `REG-<code>` as its authorized
/// entity:
/// how every ledger of a scenario starts, the simulation's and the TUI sandbox's alike.
/// `label` ends the approach's title (`"simulation"`, `"sandbox"`).
pub fn parties_and_approach(s: &Scenario, partners: &[String], label: &str) -> Vec<Command> {
    let party = s.file.party.code.clone();
    let (p0, p1) = s.period();
    let mut v = vec![Command::InitParty {
        party: party.clone(),
        registry_id: s.file.party.registry_id.clone(),
        name: s.file.party.name.clone(),
        ndc_first_year: u16::try_from(p0).ok(),
        ndc_last_year: u16::try_from(p1).ok(),
    }];
    for c in partners {
        v.push(Command::InitParty {
            party: c.clone(),
            registry_id: format!("{c}01"),
            name: s.partner(c).map(|x| x.name.clone()).unwrap_or_default(),
            ndc_first_year: None,
            ndc_last_year: None,
        });
    }
    v.push(Command::RecordApproach {
        id: "CA0001".into(),
        title: format!("{} cooperative approach ({label})", s.file.party.name),
        host: party,
        parties: partners.to_vec(),
    });
    // An approach becomes Submitted once its initial report is filed, then Active.
    v.push(Command::FileInitialReport {
        approach: "CA0001".into(),
        version: 1,
        status: ReportStatus::Submitted,
    });
    for status in [ApproachStatus::Submitted, ApproachStatus::Active] {
        v.push(Command::SetApproachStatus {
            id: "CA0001".into(),
            status,
        });
    }
    // Each partner's registry organization is an authorized entity of the approach: the one
    // that uses or cancels OIMP units it receives.
    for c in partners {
        v.push(Command::RecordAuthorizedEntity {
            organization: format!("REG-{c}"),
            approach: "CA0001".into(),
            date: NaiveDate::from_ymd_opt(2021, 1, 1).unwrap_or_default(),
            conditions: format!("OIMP use on receipt ({label})"),
            revocation_conditions: String::new(),
            status: registry::EntityStatus::Active,
        });
    }
    v
}

/// The holding account of the `n`-th developer (1-based): `<PARTY>:DEV0001:Holding`.
pub fn developer_account(party: &str, n: usize) -> String {
    format!("{party}:DEV{n:04}:Holding")
}

/// The `n`-th developer (1-based) of `party`, its holding account and its registered project
/// `P000n` for `activity`.
pub fn developer_and_project(
    party: &str,
    n: usize,
    activity: &Activity,
    covered_by_ndc: Option<String>,
) -> Vec<Command> {
    let dev = format!("DEV{n:04}");
    vec![
        Command::RegisterOrganization {
            id: dev.clone(),
            name: format!("{} developer", activity.name),
            country: party.to_string(),
            roles: vec![Role::ProjectDeveloper],
        },
        Command::OpenAccount {
            id: developer_account(party, n),
            owner: dev.clone(),
            party: party.to_string(),
            kind: AccountKind::Holding,
        },
        Command::RegisterProject {
            id: format!("P{n:04}"),
            name: activity.name.clone(),
            sector: activity.sector.clone(),
            mechanism: match activity.mechanism {
                Mechanism::A62 => registry::Mechanism::A62,
                Mechanism::A64 => registry::Mechanism::A64,
                Mechanism::Domestic => registry::Mechanism::Domestic,
            },
            host: Some(party.to_string()),
            developer: Some(dev),
            methodology: String::new(),
            unit_type: Default::default(),
            covered_by_ndc,
            link: String::new(),
            registered: true,
        },
    ]
}

/// What a set-up command is, for the simulation's error message.
fn describe(c: &Command, host: &str) -> &'static str {
    match c {
        Command::InitParty { party, .. } if party == host => "the host Party",
        Command::InitParty { .. } => "a partner Party",
        Command::RecordApproach { .. } => "the cooperative approach",
        Command::FileInitialReport { .. } => "the initial report",
        Command::RecordAuthorizedEntity { .. } => "an authorized entity",
        Command::SetApproachStatus { .. } => "the approach status",
        Command::RegisterOrganization { .. } => "a developer",
        Command::OpenAccount { .. } => "an account",
        Command::RegisterProject { .. } => "a project",
        _ => "a command",
    }
}

/// Execute the plan; every command goes through the registry's validation.
pub fn execute(
    s: &Scenario,
    p: &Params,
    supply: &[ActivitySupply],
    plan: &Plan,
) -> Result<SimLedger, SimError> {
    let date = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    let (p0, p1) = s.period();
    let clock = ManualClock::at_date(date(p0, 1, 1)).stepping(1);
    let mut l = Ledger::in_memory(clock.clone());
    let party = s.file.party.code.clone();
    let run = |l: &mut Ledger, what: &str, c: Command| {
        l.execute(c).map(|_| ()).map_err(|e| fail(what, e))
    };

    let mut partners: Vec<String> = s.file.partners.iter().map(|x| x.code.clone()).collect();
    for a in supply {
        if let Some(c) = &a.acquiring
            && !partners.contains(c)
        {
            partners.push(c.clone());
        }
    }
    partners.retain(|c| *c != party);
    for c in parties_and_approach(s, &partners, "simulation") {
        let what = describe(&c, &party);
        run(&mut l, what, c)?;
    }

    let planned = |act: &str, v: i32| {
        plan.transfers
            .iter()
            .filter(|t| t.activity == act && t.vintage == v)
            .map(|t| t.units)
            .sum::<u64>()
    };
    let mut projects = BTreeMap::new();
    let mut outside = vec![];
    let eligible: Vec<&ActivitySupply> = supply
        .iter()
        .filter(|a| a.ineligible.is_none() && !a.vintages.is_empty())
        .collect();
    for (i, a) in eligible.iter().enumerate() {
        let Some(act) = s.activity(&a.activity) else {
            continue;
        };
        let pid = format!("P{:04}", i + 1);
        let covered = if a.in_scope() {
            "Inside NDC"
        } else {
            "Outside NDC"
        };
        for c in developer_and_project(&party, i + 1, act, Some(covered.into())) {
            let what = describe(&c, &party);
            run(&mut l, what, c)?;
        }
        if !a.in_scope() {
            outside.push(pid.clone());
        }
        projects.insert(a.activity.clone(), pid.clone());
        let Some(auth) = &act.authorization else {
            continue;
        };
        let purpose = match auth.purpose {
            Purpose::Ndc => "NDC",
            Purpose::Oimp => "OIMP",
            Purpose::NdcAndOimp => "NDC and OIMP",
            Purpose::MitigationContribution => continue,
        };
        let def = auth
            .first_transfer
            .filter(|_| auth.purpose.includes_oimp())
            .map(|d| match d {
                FirstTransferDef::Authorization => "Authorisation",
                FirstTransferDef::Issuance => "Issuance",
                FirstTransferDef::UseOrCancellation => "Use or Cancellation",
                FirstTransferDef::FirstInternationalTransfer => "First international transfer",
            });
        let issue_as_itmo = super::supply::issued_as_itmo(act, p.ca_basis_6_4);
        let total_planned: u64 = a
            .vintages
            .iter()
            .map(|v| planned(&a.activity, v.vintage))
            .sum();
        let auth_qty = if issue_as_itmo {
            a.vintages.iter().map(|v| v.issued).sum()
        } else {
            total_planned
        };
        run(
            &mut l,
            "an authorization",
            Command::RecordAuthorization {
                id: format!("{pid}-AUTH"),
                version: 1,
                date: date(p0, 1, 1),
                approach: "CA0001".into(),
                purpose: purpose.into(),
                acquiring_parties: auth.acquiring.clone().into_iter().collect(),
                entities: vec![],
                authorized_quantity: Some(auth_qty),
                period_start: u16::try_from(p0).unwrap_or(2021),
                period_end: u16::try_from(p1).unwrap_or(2030),
                first_transfer_definition: def.map(String::from),
            },
        )?;
    }

    // per vintage, in time order
    let mut vintages: Vec<i32> = eligible
        .iter()
        .flat_map(|a| a.vintages.iter().map(|v| v.vintage))
        .collect();
    vintages.sort_unstable();
    vintages.dedup();
    for v in vintages {
        clock.set_date(date(v, 12, 1));
        for a in &eligible {
            let Some(vs) = a.vintages.iter().find(|x| x.vintage == v) else {
                continue;
            };
            let Some(act) = s.activity(&a.activity) else {
                continue;
            };
            let Some(pid) = projects.get(&a.activity) else {
                continue;
            };
            let dev = pid.replacen('P', "DEV", 1);
            let holding = format!("{party}:{dev}:Holding");
            let authorized = act
                .authorization
                .as_ref()
                .filter(|x| x.purpose != Purpose::MitigationContribution);
            let issue_as_itmo = super::supply::issued_as_itmo(act, p.ca_basis_6_4);
            let (sop, omge) = match a.mechanism {
                Mechanism::A64 => (p.sop_6_4, p.omge_6_4),
                _ => (p.sop_6_2, p.omge_6_2),
            };
            run(
                &mut l,
                "an issuance",
                Command::Issue {
                    project: pid.clone(),
                    vintage: u16::try_from(v).unwrap_or(0),
                    quantity: vs.issued,
                    to: Some(holding.clone()),
                    verification: None,
                    levies: Some(Levies {
                        sop_bp: Some(bp(sop)),
                        omge_bp: Some(bp(omge)),
                        buffer_bp: 0,
                        retention_bp: 0,
                    }),
                    authorization: issue_as_itmo.then(|| format!("{pid}-AUTH")),
                    date: None,
                },
            )?;
            let units = planned(&a.activity, v);
            if units == 0 {
                continue;
            }
            let filter = Filter {
                project: Some(pid.clone()),
                vintage: u16::try_from(v).ok(),
                class: None,
                authorization: None,
            };
            if !issue_as_itmo {
                run(
                    &mut l,
                    "an authorization of units",
                    Command::Authorize {
                        account: holding.clone(),
                        authorization: format!("{pid}-AUTH"),
                        quantity: units,
                        filter: filter.clone(),
                        date: None,
                    },
                )?;
            }
            let Some(acq) = authorized.and_then(|x| x.acquiring.clone()) else {
                continue;
            };
            let to = format!("{acq}:REG:Holding");
            run(
                &mut l,
                "a first transfer",
                Command::Transfer {
                    from: holding.clone(),
                    to: to.clone(),
                    quantity: units,
                    filter: Filter {
                        class: Some(Class::Itmo),
                        ..filter.clone()
                    },
                    acquiring_party: Some(acq.clone()),
                },
            )?;
            if authorized.is_some_and(|x| {
                x.purpose == Purpose::Oimp
                    && x.first_transfer == Some(FirstTransferDef::UseOrCancellation)
            }) {
                let name = s
                    .partner(&acq)
                    .map(|x| x.name.clone())
                    .unwrap_or_else(|| acq.clone());
                run(
                    &mut l,
                    "a use for OIMP",
                    Command::Retire {
                        from: to,
                        quantity: units,
                        filter: Filter {
                            class: Some(Class::Itmo),
                            ..filter
                        },
                        beneficiary: Beneficiary {
                            name: format!("{name} (authorized entity)"),
                            id: acq.clone(),
                            country: acq.clone(),
                            purpose: "OIMP use on receipt (simulation)".into(),
                        },
                        authorized_entity: Some(format!("REG-{acq}")),
                    },
                )?;
            }
        }
    }
    Ok(SimLedger {
        ledger: l,
        party,
        projects,
        outside,
    })
}

impl SimLedger {
    /// The Article 6 flows of the host, split by NDC scope, read from the ledger's fold.
    pub fn flows(&self) -> Flows {
        let st = self.ledger.state();
        let a6 = self.ledger.article6_flows(&self.party);
        let mut f = Flows::default();
        for b in st.blocks.iter().filter(|b| b.live()) {
            if let Some(ft) = &b.first_transfer
                && *ft.party == *self.party
            {
                let m = if self.outside.iter().any(|p| p == st.block_project(b)) {
                    &mut f.ftv_outside
                } else {
                    &mut f.ftv_ndc_scope
                };
                *m.entry(i32::from(b.vintage)).or_insert(0) += b.count();
            }
        }
        f.fte_ndc = a6
            .fte_ndc
            .iter()
            .map(|(y, v)| (i32::from(*y), *v))
            .collect();
        f.fte_oimp = a6
            .fte_oimp
            .iter()
            .map(|(y, v)| (i32::from(*y), *v))
            .collect();
        f.used = a6.used.iter().map(|(y, v)| (i32::from(*y), *v)).collect();
        for bal in self.ledger.balances() {
            if bal.kind == AccountKind::AdaptationFund.as_str() {
                f.sop += bal.units;
            } else if bal.kind == AccountKind::OmgeCancellation.as_str() {
                f.omge += bal.units;
            }
        }
        f.issued = st.issuances.iter().map(|i| i.last - i.first + 1).sum();
        f
    }
}
