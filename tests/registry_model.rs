//! Reference-model test (TigerBeetle style): a deliberately naive registry with one record per
//! unit (no blocks, no splits) runs beside the real ledger on seeded random workloads with
//! retries, partial quantities, refusals, freezes and approach suspensions. After every step
//! the whole-state invariants hold and both agree on acceptance and on every unit's holder,
//! class, authorization, first-transfer mark, frozen flag and reservation. The seed is
//! printed on failure.
//!
//! Two-phase requests are mirrored: a request reserves its units (the model's selection
//! skips reserved units), an approval by a DNA officer moves or converts them (an ITMO
//! authorization partially: the lowest serials), a rejection or cancellation releases them,
//! an approval by the requester or of a resolved request is refused.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use ndc_workbench::registry::types::Filter;
use ndc_workbench::registry::*;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Unit {
    account: String,
    class: Class,
    auth: Option<String>,
    frozen: bool,
    ft: bool,
    reserved: Option<String>,
}

type Key = (u16, String, u64);

#[derive(Clone)]
enum ReqKind {
    Retire { from: String, use_: bool },
    Auth { auth: String },
}

#[derive(Clone)]
struct Req {
    kind: ReqKind,
    keys: Vec<Key>,
    pending: bool,
}

fn dna() -> Actor {
    Actor {
        user: "dna".into(),
        org: "REG-AAA".into(),
        role: Role::Dna,
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Def {
    Ndc,
    OimpAuth,
    OimpUoc,
}

struct Model {
    units: BTreeMap<(u16, String, u64), Unit>,
    next: HashMap<String, u64>,
    party_of: HashMap<String, String>,
    active: bool,
    auths: HashMap<String, Def>,
    requests: BTreeMap<String, Req>,
}

const ACCTS: [&str; 3] = ["AAA:A1:Holding", "AAA:A2:Holding", "BBB:B1:Holding"];
const AUTHS: [(&str, &str, Option<&str>, Def); 3] = [
    ("AUTH-NDC", "NDC", None, Def::Ndc),
    ("AUTH-OIMP", "OIMP", Some("Authorization"), Def::OimpAuth),
    ("AUTH-UOC", "OIMP", Some("UseOrCancel"), Def::OimpUoc),
];

impl Model {
    fn select(
        &self,
        account: &str,
        qty: u64,
        f: &Filter,
        frozen: bool,
    ) -> Option<Vec<(u16, String, u64)>> {
        let picked: Vec<_> = self
            .units
            .iter()
            .filter(|(k, u)| {
                u.account == account
                    && u.reserved.is_none()
                    && u.frozen == frozen
                    && f.vintage.is_none_or(|v| v == k.0)
                    && f.project.as_deref().is_none_or(|p| p == k.1)
                    && f.class.is_none_or(|c| c == u.class)
                    && f.authorization
                        .as_ref()
                        .is_none_or(|a| u.auth.as_ref() == Some(a))
            })
            .take(qty as usize)
            .map(|(k, _)| k.clone())
            .collect();
        (qty > 0 && picked.len() as u64 == qty).then_some(picked)
    }

    /// Would moving this unit to `to` first-transfer it?
    fn ft_on_move(&self, u: &Unit, to: &str) -> bool {
        if u.class != Class::Itmo || u.ft {
            return false;
        }
        let def = u.auth.as_ref().map(|a| self.auths[a]);
        let intl = self.party_of[&u.account] != self.party_of[to];
        let sink = to.contains("Retirement") || to.contains("Cancellation");
        (intl && def == Some(Def::Ndc)) || (sink && def == Some(Def::OimpUoc))
    }

    fn move_units(&mut self, keys: &[(u16, String, u64)], to: &str) -> bool {
        for k in keys {
            let u = &self.units[k];
            if self.ft_on_move(u, to) && !self.active {
                return false;
            }
        }
        for k in keys {
            let ft = self.ft_on_move(&self.units[k], to);
            let u = self.units.get_mut(k).expect("unit");
            u.ft |= ft;
            u.account = to.to_string();
        }
        true
    }

    /// Retirement gating (as `retire`): the target account, if the units may be retired.
    fn retire_target(&self, keys: &[Key], from: &str) -> Option<String> {
        let c0 = self.units[&keys[0]].class;
        if keys.iter().any(|k| self.units[k].class != c0) {
            return None;
        }
        if c0 == Class::Itmo
            && keys
                .iter()
                .any(|k| self.units[k].auth.as_ref().map(|a| self.auths[a]) == Some(Def::Ndc))
        {
            return None;
        }
        let kind = if c0 == Class::Itmo {
            "RetirementOIMP"
        } else {
            "CancellationVoluntary"
        };
        Some(format!("{}:REG:{kind}", self.party_of[from]))
    }

    /// Use gating (as `use`): the target account, if the units may be used.
    fn use_target(&self, keys: &[Key], from: &str) -> Option<String> {
        for k in keys {
            let u = &self.units[k];
            if u.class == Class::Itmo
                && (!u.ft || u.auth.as_ref().map(|a| self.auths[a]) != Some(Def::Ndc))
            {
                return None;
            }
        }
        Some(format!("{}:REG:RetirementNDC", self.party_of[from]))
    }

    /// First transfers are refused while the approach is not Active.
    fn ft_ok(&self, keys: &[Key], to: &str) -> bool {
        self.active || !keys.iter().any(|k| self.ft_on_move(&self.units[k], to))
    }

    fn reserve(&mut self, id: &str, kind: ReqKind, keys: Vec<Key>) {
        for k in &keys {
            self.units.get_mut(k).expect("unit").reserved = Some(id.to_string());
        }
        self.requests.insert(
            id.to_string(),
            Req {
                kind,
                keys,
                pending: true,
            },
        );
    }

    fn release(&mut self, id: &str) {
        let keys = self.requests[id].keys.clone();
        for k in &keys {
            self.units.get_mut(k).expect("unit").reserved = None;
        }
        self.requests.get_mut(id).expect("request").pending = false;
    }

    fn pending(&self, id: &str) -> bool {
        self.requests.get(id).is_some_and(|r| r.pending)
    }

    /// Apply a command; returns whether it is accepted.
    fn apply(&mut self, c: &Command, actor: &Actor) -> bool {
        match c {
            Command::RequestRetirement {
                id,
                from,
                quantity,
                filter,
                subtype,
                ..
            } => {
                if self.requests.contains_key(id) {
                    return false;
                }
                let Some(keys) = self.select(from, *quantity, filter, false) else {
                    return false;
                };
                let use_ = *subtype == RetirementSubtype::Use;
                let to = if use_ {
                    self.use_target(&keys, from)
                } else {
                    self.retire_target(&keys, from)
                };
                match to {
                    Some(to) if self.ft_ok(&keys, &to) => {}
                    _ => return false,
                }
                self.reserve(
                    id,
                    ReqKind::Retire {
                        from: from.clone(),
                        use_,
                    },
                    keys,
                );
                true
            }
            Command::RequestItmoAuthorization {
                id,
                account,
                authorization,
                quantity,
                filter,
                ..
            } => {
                if self.requests.contains_key(id) {
                    return false;
                }
                let mut f = filter.clone();
                f.class = Some(Class::Mo);
                let Some(keys) = self.select(account, *quantity, &f, false) else {
                    return false;
                };
                if !self.active {
                    return false;
                }
                self.reserve(
                    id,
                    ReqKind::Auth {
                        auth: authorization.clone(),
                    },
                    keys,
                );
                true
            }
            Command::ApproveRequest { id, quantity } => {
                if !self.pending(id) || actor.same_person(&Actor::system()) {
                    return false;
                }
                let req = self.requests[id].clone();
                match req.kind {
                    ReqKind::Retire { from, use_ } => {
                        if quantity.is_some_and(|q| q != req.keys.len() as u64) {
                            return false;
                        }
                        let to = if use_ {
                            self.use_target(&req.keys, &from)
                        } else {
                            self.retire_target(&req.keys, &from)
                        };
                        let Some(to) = to.filter(|to| self.ft_ok(&req.keys, to)) else {
                            return false;
                        };
                        self.release(id);
                        self.move_units(&req.keys, &to)
                    }
                    ReqKind::Auth { auth } => {
                        let q = quantity.unwrap_or(req.keys.len() as u64);
                        if q == 0 || q > req.keys.len() as u64 || !self.active {
                            return false;
                        }
                        self.release(id);
                        let def = self.auths[&auth];
                        let mut keys = req.keys.clone();
                        keys.sort();
                        for k in keys.into_iter().take(q as usize) {
                            let u = self.units.get_mut(&k).expect("unit");
                            u.class = Class::Itmo;
                            u.auth = Some(auth.clone());
                            u.ft = def == Def::OimpAuth;
                        }
                        true
                    }
                }
            }
            Command::RejectRequest { id, .. } | Command::CancelRequest { id, .. } => {
                if !self.pending(id) {
                    return false;
                }
                self.release(id);
                true
            }
            Command::Issue {
                project,
                vintage,
                quantity,
                to,
                ..
            } => {
                let q = *quantity;
                let (omge, sop) = if project == "P4" {
                    (q.div_ceil(50), q.div_ceil(20))
                } else {
                    (0, 0)
                };
                if omge + sop >= q {
                    return false;
                }
                let start = *self.next.get(project).unwrap_or(&0) + 1;
                let holder = q - omge - sop;
                for i in 0..q {
                    let account = if i < holder {
                        to.clone().unwrap_or_default()
                    } else if i < holder + omge {
                        "AAA:REG:CancellationOMGE".into()
                    } else {
                        "INT:AF:AdaptationFund".into()
                    };
                    self.units.insert(
                        (*vintage, project.clone(), start + i),
                        Unit {
                            account,
                            class: Class::Mo,
                            auth: None,
                            frozen: false,
                            ft: false,
                            reserved: None,
                        },
                    );
                }
                self.next.insert(project.clone(), start + q - 1);
                true
            }
            Command::Authorize {
                account,
                authorization,
                quantity,
                filter,
                ..
            } => {
                let mut f = filter.clone();
                f.class = Some(Class::Mo);
                let Some(keys) = self.select(account, *quantity, &f, false) else {
                    return false;
                };
                if !self.active {
                    return false;
                }
                let def = self.auths[authorization];
                for k in keys {
                    let u = self.units.get_mut(&k).expect("unit");
                    u.class = Class::Itmo;
                    u.auth = Some(authorization.clone());
                    u.ft = def == Def::OimpAuth;
                }
                true
            }
            Command::Transfer {
                from,
                to,
                quantity,
                filter,
                ..
            } => {
                let intl = self.party_of[from] != self.party_of[to];
                // Only ITMOs move abroad: without a class filter an international transfer
                // selects ITMOs only (registry-model §6).
                let mut f = filter.clone();
                if intl && f.class.is_none() {
                    f.class = Some(Class::Itmo);
                }
                let Some(keys) = self.select(from, *quantity, &f, false) else {
                    return false;
                };
                if intl && keys.iter().any(|k| self.units[k].class == Class::Mo) {
                    return false;
                }
                // Every authorization names BBB as the only acquiring Party.
                if intl && self.party_of[to] != "BBB" && keys.iter().any(|k| !self.units[k].ft) {
                    return false;
                }
                self.move_units(&keys, to)
            }
            Command::Use {
                from,
                quantity,
                filter,
                ..
            } => {
                let Some(keys) = self.select(from, *quantity, filter, false) else {
                    return false;
                };
                let Some(to) = self.use_target(&keys, from) else {
                    return false;
                };
                self.move_units(&keys, &to)
            }
            Command::Retire {
                from,
                quantity,
                filter,
                ..
            } => {
                let Some(keys) = self.select(from, *quantity, filter, false) else {
                    return false;
                };
                let Some(to) = self.retire_target(&keys, from) else {
                    return false;
                };
                self.move_units(&keys, &to)
            }
            Command::Cancel {
                from,
                quantity,
                filter,
                ..
            } => {
                let Some(keys) = self.select(from, *quantity, filter, false) else {
                    return false;
                };
                let to = format!("{}:REG:CancellationVoluntary", self.party_of[from]);
                self.move_units(&keys, &to)
            }
            Command::Freeze {
                account,
                quantity,
                filter,
                ..
            }
            | Command::Unfreeze {
                account,
                quantity,
                filter,
                ..
            } => {
                let freeze = matches!(c, Command::Freeze { .. });
                let Some(keys) = self.select(account, *quantity, filter, !freeze) else {
                    return false;
                };
                for k in keys {
                    self.units.get_mut(&k).expect("unit").frozen = freeze;
                }
                true
            }
            Command::SetApproachStatus { status, .. } => {
                let next = *status == ApproachStatus::Active;
                if next == self.active {
                    return false;
                }
                self.active = next;
                true
            }
            _ => panic!("command not modelled"),
        }
    }

    fn aggregate(&self) -> BTreeMap<(Unit, String, u16), u64> {
        // Group runs of equal consecutive units first (cheap), then insert once per run.
        let mut m = BTreeMap::new();
        let mut run: Option<(&Unit, &str, u16, u64)> = None;
        for ((v, p, _), u) in &self.units {
            match &mut run {
                Some((ru, rp, rv, n)) if *ru == u && *rp == p.as_str() && *rv == *v => *n += 1,
                _ => {
                    if let Some((ru, rp, rv, n)) = run.take() {
                        *m.entry((ru.clone(), rp.to_string(), rv)).or_default() += n;
                    }
                    run = Some((u, p.as_str(), *v, 1));
                }
            }
        }
        if let Some((ru, rp, rv, n)) = run {
            *m.entry((ru.clone(), rp.to_string(), rv)).or_default() += n;
        }
        m
    }
}

fn ledger_aggregate(l: &Ledger) -> BTreeMap<(Unit, String, u16), u64> {
    let st = l.state();
    let mut m = BTreeMap::new();
    for b in st.blocks.iter().filter(|b| b.live()) {
        let u = Unit {
            account: st.accounts[b.account as usize].id.clone(),
            class: b.class,
            auth: st.block_auth(b).map(|a| a.id.clone()),
            frozen: b.frozen(),
            ft: b.first_transfer.is_some(),
            reserved: st.lc.reserved_by(b.id).map(str::to_string),
        };
        *m.entry((u, st.block_project(b).to_string(), b.vintage))
            .or_default() += b.count();
    }
    m
}

fn setup(l: &mut Ledger) -> Model {
    let d = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let mut cmds = vec![
        Command::InitParty {
            party: "AAA".into(),
            registry_id: "AAA01".into(),
            name: String::new(),
            ndc_first_year: None,
            ndc_last_year: None,
        },
        Command::InitParty {
            party: "BBB".into(),
            registry_id: "BBB01".into(),
            name: String::new(),
            ndc_first_year: None,
            ndc_last_year: None,
        },
    ];
    for (org, party) in [("A1", "AAA"), ("A2", "AAA"), ("B1", "BBB")] {
        cmds.push(Command::RegisterOrganization {
            id: org.into(),
            name: org.into(),
            country: party.into(),
            roles: vec![Role::ProjectDeveloper],
        });
        cmds.push(Command::OpenAccount {
            id: format!("{party}:{org}:Holding"),
            owner: org.into(),
            party: party.into(),
            kind: AccountKind::Holding,
        });
    }
    cmds.push(Command::RecordApproach {
        id: "CA0001".into(),
        title: "t".into(),
        host: "AAA".into(),
        parties: vec![],
    });
    cmds.push(Command::FileInitialReport {
        approach: "CA0001".into(),
        version: 1,
        status: ReportStatus::Submitted,
    });
    cmds.push(Command::SetApproachStatus {
        id: "CA0001".into(),
        status: ApproachStatus::Submitted,
    });
    cmds.push(Command::RecordAuthorizedEntity {
        organization: "B1".into(),
        approach: "CA0001".into(),
        date: d,
        conditions: String::new(),
        revocation_conditions: String::new(),
        status: EntityStatus::Active,
    });
    cmds.push(Command::SetApproachStatus {
        id: "CA0001".into(),
        status: ApproachStatus::Active,
    });
    for (id, purpose, def, _) in AUTHS {
        cmds.push(Command::RecordAuthorization {
            id: id.into(),
            version: 1,
            date: d,
            approach: "CA0001".into(),
            purpose: purpose.into(),
            acquiring_parties: vec!["BBB".into()],
            entities: vec![],
            authorized_quantity: None,
            period_start: 2021,
            period_end: 2030,
            first_transfer_definition: def.map(String::from),
        });
    }
    for p in ["P1", "P2", "P3", "P4"] {
        cmds.push(Command::RegisterProject {
            id: p.into(),
            name: p.into(),
            sector: String::new(),
            mechanism: if p == "P4" {
                Mechanism::A64
            } else {
                Mechanism::A62
            },
            host: Some("AAA".into()),
            developer: None,
            methodology: String::new(),
            unit_type: UnitType::default(),
            covered_by_ndc: Some("Inside NDC".into()),
            link: String::new(),
            registered: true,
        });
    }
    for c in cmds {
        l.execute(c).expect("setup command");
    }
    let mut party_of = HashMap::new();
    for a in &l.state().accounts {
        party_of.insert(a.id.clone(), a.party.clone());
    }
    Model {
        units: BTreeMap::new(),
        next: HashMap::new(),
        party_of,
        active: true,
        auths: AUTHS.iter().map(|a| (a.0.to_string(), a.3)).collect(),
        requests: BTreeMap::new(),
    }
}

fn random_filter(rng: &mut ChaCha8Rng) -> Filter {
    let mut f = Filter::default();
    if rng.random_bool(0.2) {
        f.vintage = Some(rng.random_range(2021..=2024));
    }
    if rng.random_bool(0.15) {
        f.project = Some(format!("P{}", rng.random_range(1..=4)));
    }
    if rng.random_bool(0.3) {
        f.class = Some(if rng.random_bool(0.5) {
            Class::Mo
        } else {
            Class::Itmo
        });
    }
    if rng.random_bool(0.1) {
        f.authorization = Some(AUTHS[rng.random_range(0..3)].0.into());
    }
    f
}

/// Two-phase commands (about one in six): requests, and resolutions of known (or unknown)
/// request ids, mostly by a DNA officer, sometimes by the requester (refused).
fn random_request(rng: &mut ChaCha8Rng, reqs: &[String]) -> (Command, Actor) {
    let acct = |rng: &mut ChaCha8Rng| ACCTS[rng.random_range(0..3)].to_string();
    let qty = |rng: &mut ChaCha8Rng| rng.random_range(1..=15u64);
    let known = |rng: &mut ChaCha8Rng| {
        if reqs.is_empty() || rng.random_bool(0.05) {
            "Q-none".to_string()
        } else {
            reqs[rng.random_range(0..reqs.len())].clone()
        }
    };
    match rng.random_range(0..100) {
        0..=29 => {
            let use_ = rng.random_bool(0.3);
            (
                Command::RequestRetirement {
                    id: format!("Q{}", rng.random_range(0..100_000)),
                    from: acct(rng),
                    quantity: qty(rng),
                    filter: random_filter(rng),
                    subtype: if use_ {
                        RetirementSubtype::Use
                    } else {
                        RetirementSubtype::Retire
                    },
                    beneficiary: Beneficiary {
                        name: "Acme".into(),
                        id: "CH-1".into(),
                        country: "CHE".into(),
                        purpose: "claim".into(),
                    },
                    use_year: use_.then_some(2026),
                    authorized_entity: Some("B1".into()),
                },
                Actor::system(),
            )
        }
        30..=49 => (
            Command::RequestItmoAuthorization {
                id: format!("Q{}", rng.random_range(0..100_000)),
                account: ACCTS[rng.random_range(0..2)].into(),
                authorization: AUTHS[rng.random_range(0..3)].0.into(),
                quantity: qty(rng),
                filter: random_filter(rng),
                date: None,
            },
            Actor::system(),
        ),
        50..=79 => (
            Command::ApproveRequest {
                id: known(rng),
                quantity: rng.random_bool(0.3).then(|| rng.random_range(1..=15)),
            },
            if rng.random_bool(0.1) {
                Actor::system()
            } else {
                dna()
            },
        ),
        80..=89 => (
            Command::RejectRequest {
                id: known(rng),
                reason: "no".into(),
            },
            dna(),
        ),
        _ => (
            Command::CancelRequest {
                id: known(rng),
                reason: String::new(),
            },
            Actor::system(),
        ),
    }
}

fn random_command(rng: &mut ChaCha8Rng) -> Command {
    let acct = |rng: &mut ChaCha8Rng| ACCTS[rng.random_range(0..3)].to_string();
    let qty = |rng: &mut ChaCha8Rng| rng.random_range(1..=15u64);
    match rng.random_range(0..100) {
        0..=21 => Command::Issue {
            project: format!("P{}", rng.random_range(1..=4)),
            vintage: rng.random_range(2021..=2024),
            quantity: rng.random_range(1..=25),
            to: Some(ACCTS[rng.random_range(0..2)].into()),
            verification: None,
            levies: None,
            authorization: None,
            date: None,
        },
        22..=36 => Command::Authorize {
            account: ACCTS[rng.random_range(0..2)].into(),
            authorization: AUTHS[rng.random_range(0..3)].0.into(),
            quantity: qty(rng),
            filter: random_filter(rng),
            date: None,
        },
        37..=59 => {
            let from = acct(rng);
            let mut to = acct(rng);
            while to == from {
                to = acct(rng);
            }
            Command::Transfer {
                from,
                to,
                quantity: qty(rng),
                filter: random_filter(rng),
                acquiring_party: None,
            }
        }
        60..=69 => Command::Use {
            from: acct(rng),
            quantity: qty(rng),
            filter: random_filter(rng),
            use_year: 2026,
            beneficiary: None,
        },
        70..=79 => Command::Retire {
            from: acct(rng),
            quantity: qty(rng),
            filter: random_filter(rng),
            beneficiary: Beneficiary {
                name: "Acme".into(),
                id: "CH-1".into(),
                country: "CHE".into(),
                purpose: "claim".into(),
            },
            authorized_entity: Some("B1".into()),
        },
        80..=85 => Command::Cancel {
            from: acct(rng),
            quantity: qty(rng),
            filter: random_filter(rng),
            subtype: CancelSubtype::Voluntary,
            reason: "r".into(),
        },
        86..=91 => Command::Freeze {
            account: acct(rng),
            quantity: qty(rng),
            filter: random_filter(rng),
            reason: "hold".into(),
        },
        92..=97 => Command::Unfreeze {
            account: acct(rng),
            quantity: qty(rng),
            filter: random_filter(rng),
            reason: "release".into(),
        },
        _ => Command::SetApproachStatus {
            id: "CA0001".into(),
            status: if rng.random_bool(0.5) {
                ApproachStatus::Active
            } else {
                ApproachStatus::Suspended
            },
        },
    }
}

/// Runs one seed; returns how many two-phase commands (requests, approvals, partial
/// approvals, rejections or cancellations) were accepted, so the tests can assert they ran.
fn run_seed(seed: u64, steps: usize) -> [u64; 4] {
    let mut tp = [0u64; 4];
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let clock = ManualClock::at_date(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()).stepping(3600);
    let mut l = Ledger::in_memory(clock);
    let mut m = setup(&mut l);
    let mut history: Vec<(String, Actor, Command, bool)> = Vec::new();
    for step in 0..steps {
        let ctx = format!("seed {seed} step {step}");
        if !history.is_empty() && rng.random_bool(0.08) {
            // Retry an earlier command id: same payload → original result, no new events.
            let (id, actor, cmd, ok) = history[rng.random_range(0..history.len())].clone();
            let before = l.last_seq();
            let r = l.submit(Submission {
                command_id: id.clone(),
                actor,
                command: cmd.clone(),
            });
            assert_eq!(r.is_ok(), ok, "{ctx}: retry of {id} changed result: {r:?}");
            if let Ok(o) = r {
                assert!(o.replayed, "{ctx}");
            }
            assert_eq!(l.last_seq(), before, "{ctx}: retry appended events");
            if rng.random_bool(0.3) {
                let other = Command::Freeze {
                    account: "nope".into(),
                    quantity: 1,
                    filter: Filter::default(),
                    reason: id.clone(),
                };
                let r = l.submit(Submission {
                    command_id: id,
                    actor: Actor::system(),
                    command: other,
                });
                assert!(
                    matches!(r, Err(RegistryError::ExistsWithDifferentPayload { .. })),
                    "{ctx}: {r:?}"
                );
                assert_eq!(l.last_seq(), before, "{ctx}");
            }
            continue;
        }
        let (cmd, actor) = if rng.random_bool(0.16) {
            let reqs: Vec<String> = m.requests.keys().cloned().collect();
            random_request(&mut rng, &reqs)
        } else {
            (random_command(&mut rng), Actor::system())
        };
        let id = format!("s{seed}-{step}");
        let expect = m.apply(&cmd, &actor);
        let r = l.submit(Submission {
            command_id: id.clone(),
            actor: actor.clone(),
            command: cmd.clone(),
        });
        match (&r, expect) {
            (Ok(_), true) | (Err(RegistryError::Rejected { .. }), false) => {}
            _ => panic!("{ctx}: model says accepted={expect}, ledger says {r:?} for {cmd:?}"),
        }
        if let Ok(o) = &r {
            // Outcome lists exact ranges; their total equals the requested quantity.
            let want = match &cmd {
                Command::Issue { quantity, .. }
                | Command::Authorize { quantity, .. }
                | Command::Transfer { quantity, .. }
                | Command::Use { quantity, .. }
                | Command::Retire { quantity, .. }
                | Command::Cancel { quantity, .. }
                | Command::Freeze { quantity, .. }
                | Command::Unfreeze { quantity, .. }
                | Command::RequestRetirement { quantity, .. }
                | Command::RequestItmoAuthorization { quantity, .. } => Some(*quantity),
                _ => None,
            };
            if let Some(q) = want {
                assert_eq!(o.quantity(), q, "{ctx}: outcome ranges");
            }
        }
        if r.is_ok() {
            match &cmd {
                Command::RequestRetirement { .. } | Command::RequestItmoAuthorization { .. } => {
                    tp[0] += 1
                }
                Command::ApproveRequest { quantity: None, .. } => tp[1] += 1,
                Command::ApproveRequest { .. } => tp[2] += 1,
                Command::RejectRequest { .. } | Command::CancelRequest { .. } => tp[3] += 1,
                _ => {}
            }
        }
        history.push((id, actor, cmd, r.is_ok()));
        if let Err(v) = l.check_state() {
            panic!("{ctx}: invariant violated: {v}");
        }
        assert_eq!(
            ledger_aggregate(&l),
            m.aggregate(),
            "{ctx}: ledger and reference model disagree"
        );
    }
    if let Err(v) = l.check() {
        panic!("seed {seed}: full check failed: {v}");
    }
    tp
}

fn assert_two_phase_exercised(tp: [u64; 4]) {
    assert!(
        tp.iter().all(|&n| n > 0),
        "two-phase paths not exercised: requests, approvals, partial approvals, rejections/cancellations = {tp:?}"
    );
}

const STEPS: usize = 250;
const SEEDS_PER_TEST: u64 = 200; // 2 tests × 200 seeds × 250 = 100,000 commands

#[test]
fn reference_model_agrees_seeds_a() {
    let base: u64 = std::env::var("REGISTRY_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let mut tp = [0u64; 4];
    for s in 0..SEEDS_PER_TEST {
        let r = run_seed(base + s, STEPS);
        (0..4).for_each(|i| tp[i] += r[i]);
    }
    assert_two_phase_exercised(tp);
}

#[test]
fn reference_model_agrees_seeds_b() {
    let base: u64 = std::env::var("REGISTRY_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1)
        + 1_000_000;
    let mut tp = [0u64; 4];
    for s in 0..SEEDS_PER_TEST {
        let r = run_seed(base + s, STEPS);
        (0..4).for_each(|i| tp[i] += r[i]);
    }
    println!(
        "two-phase commands accepted (requests, approvals, partial, rejected/cancelled): {tp:?}"
    );
    assert_two_phase_exercised(tp);
}
