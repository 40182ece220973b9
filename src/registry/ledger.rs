//! The ledger: commands in, events out. One job: validate a command against the folded state,
//! plan its whole batch of events (selection, splits, moves, levies), and commit it atomically:
//! every event is applied to the fold and only then is the batch written with one write and
//! one fsync. A refused command commits a single `CommandRejected` event naming the rule.
//!
//! Block selection rule (registry-model §4, LOWEST_SERIAL_FIRST): candidates are the live
//! blocks of the source account matching the filter (project, vintage, class, authorization)
//! and not frozen (for `Unfreeze`: frozen ones); they are ordered by (vintage, project id,
//! first serial) ascending; whole blocks are taken while they fit; the first block that does not
//! fit is split and its **lowest** serials are taken. The outcome lists the exact ranges. An
//! international transfer with no class in its filter selects ITMOs only (an MO cannot move
//! abroad, registry-model §6), so a host's retained MOs never stand in front of its ITMOs.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::clock::{Clock, format_ts};
use super::command::*;
use super::error::{JournalError, RegistryError};
use super::event::*;
use super::journal::{Durability, JournalWriter, read_journal_ref};
use super::state::*;
use super::suggest::did_you_mean;
use super::types::*;

mod lifecycle;

/// Balance of one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountBalance {
    pub id: String,
    pub owner: String,
    pub party: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub units: u64,
    /// Units per vintage year.
    pub by_vintage: BTreeMap<u16, u64>,
    /// Units per class ("MO"/"ITMO").
    pub by_class: BTreeMap<&'static str, u64>,
    /// Units reserved by pending two-phase requests (included in `units`).
    pub reserved: u64,
}

/// The registry ledger. State is a fold over its event log; see the module docs.
pub struct Ledger {
    state: State,
    events: Vec<Envelope>,
    retain: bool,
    journal: Option<JournalWriter>,
    clock: Box<dyn Clock>,
    poisoned: bool,
    auto_id: u64,
}

impl std::fmt::Debug for Ledger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ledger")
            .field("events", &self.state.last_seq)
            .field(
                "journal",
                &self.journal.as_ref().map(|j| j.path().to_path_buf()),
            )
            .finish()
    }
}

fn rej(rule: &str, msg: impl Into<String>) -> RegistryError {
    RegistryError::rejected(rule, msg)
}

/// Whether `acc` holds an unreserved MO block matching `filter`'s project and vintage.
fn holds_mo(st: &State, acc: &Account, filter: &Filter) -> bool {
    acc.blocks.iter().any(|(vintage, project, _, id)| {
        filter.vintage.is_none_or(|v| v == *vintage)
            && filter.project.as_deref().is_none_or(|p| p == &**project)
            && st.lc.reserved_by(*id).is_none()
            && st.block(*id).is_some_and(|b| b.class == Class::Mo)
    })
}

// The rules a refusal names (the CLI's fix lines match on them: `cli::rule_fix`).
pub(crate) const R_PRE: &str = "§5 preconditions";
pub(crate) const R_GATE: &str = "rule 6 gating";
pub(crate) const R_AUTH: &str = "invariant 11 authorization gating";
pub(crate) const R_SEL: &str = "§4 block selection";
pub(crate) const R_PERM: &str = "invariant 16 permissions";
pub(crate) const R_VER: &str = "invariant 13 verified quantity";
pub(crate) const R_PROOF: &str = "invariant 8 retirement proof";
pub(crate) const R_VINTAGE: &str = "invariant 14 vintage";
pub(crate) const R_LEVY: &str = "§5 issuance levies";
pub(crate) const R_PERIOD: &str = "§5.3 period match";
/// Upper bound for one issuance or acquisition (keeps serial arithmetic far from overflow).
pub const MAX_QUANTITY: u64 = 1_000_000_000_000;

impl Ledger {
    /// A ledger kept only in memory (no file, no fsync); events are retained.
    pub fn in_memory(clock: impl Clock + 'static) -> Ledger {
        Self::in_memory_boxed(Box::new(clock))
    }

    fn in_memory_boxed(clock: Box<dyn Clock>) -> Ledger {
        Ledger {
            state: State::new(),
            events: Vec::new(),
            retain: true,
            journal: None,
            clock,
            poisoned: false,
            auto_id: 0,
        }
    }

    /// Open (or create) a journal file for reading and appending: replays and verifies it.
    /// A torn tail or corruption is an error naming the event number (never repaired here).
    pub fn open(path: &Path, clock: impl Clock + 'static) -> Result<Ledger, RegistryError> {
        Self::open_with(path, clock, Durability::PerCommand)
    }

    pub fn open_with(
        path: &Path,
        clock: impl Clock + 'static,
        durability: Durability,
    ) -> Result<Ledger, RegistryError> {
        // Replay first, then take the writer's lock. Another process may have appended in
        // between (it held the lock then); appending after a stale head would break the
        // chain, so the replay is redone under the lock when the file grew meanwhile.
        let (l, read_len) = Self::load_measured(path, Box::new(clock))?;
        l.attach_writer(path, read_len, durability)
    }

    /// Take the journal's writer lock for a ledger replayed from its first `read_len` bytes,
    /// replaying again if the file grew since.
    fn attach_writer(
        mut self,
        path: &Path,
        read_len: u64,
        durability: Durability,
    ) -> Result<Ledger, RegistryError> {
        let journal = JournalWriter::open(path, durability)?;
        let len_now = std::fs::metadata(path)
            .map_err(|source| JournalError::Io {
                path: path.to_path_buf(),
                source,
            })?
            .len();
        if len_now != read_len {
            self = Self::load_measured(path, self.clock)?.0;
        }
        self.journal = Some(journal);
        Ok(self)
    }

    /// Read-only load of a journal (no append; the reader holds only a shared lock, one window
    /// at a time, see `journal_bytes`).
    pub fn load(path: &Path, clock: impl Clock + 'static) -> Result<Ledger, RegistryError> {
        Self::load_measured(path, Box::new(clock)).map(|(l, _)| l)
    }

    /// [`Ledger::load`], also giving the length of the journal it replayed.
    fn load_measured(path: &Path, clock: Box<dyn Clock>) -> Result<(Ledger, u64), RegistryError> {
        let mut l = Ledger::in_memory_boxed(clock);
        let mut events = Vec::new();
        let (state, good_len) = Self::replay(path, Some(&mut events))?;
        l.state = state;
        l.events = events;
        l.auto_id = l.state.last_seq;
        Ok((l, good_len))
    }

    /// The folded state of the journal at `path`, verified as [`Ledger::load`] verifies it,
    /// without keeping its events: for read-only commands that need balances or flows, not
    /// the explorer (a 1,000,000-event journal is ~1 GB of events in memory).
    pub fn load_state(path: &Path) -> Result<State, RegistryError> {
        Self::replay(path, None).map(|(state, _)| state)
    }

    /// Replay and verify the journal into a state (with the per-account index), pushing each
    /// event to `keep` when given; also the length of the journal replayed.
    fn replay(
        path: &Path,
        mut keep: Option<&mut Vec<Envelope>>,
    ) -> Result<(State, u64), RegistryError> {
        // Replay without the per-account index and build it once at the end (one sort per
        // account instead of an ordered insert and removal for every move and split).
        // Command ids are indexed once at the end too (`State::for_replay`); a duplicate id
        // is reported before any later error, as it is earlier in the journal.
        let mut state = State::for_replay();
        let inv = |violation| JournalError::Invariant {
            path: path.to_path_buf(),
            violation,
        };
        // Lent events: only a replay that keeps them copies them.
        let read = read_journal_ref(path, |env| {
            state.apply(env).map_err(inv)?;
            if let Some(events) = keep.as_deref_mut() {
                events.push(env.clone());
            }
            Ok(())
        });
        let summary = match read {
            Ok(summary) => summary,
            Err(e) => {
                return Err(state
                    .index_deferred(&mut Vec::new())
                    .map_or_else(inv, |()| e)
                    .into());
            }
        };
        state.index_deferred(&mut Vec::new()).map_err(inv)?;
        state.build_account_index();
        Ok((state, summary.good_len))
    }

    /// The folded state (read-only).
    pub fn state(&self) -> &State {
        &self.state
    }
    /// The retained event log.
    pub fn events(&self) -> &[Envelope] {
        &self.events
    }
    pub fn head_hash(&self) -> &str {
        &self.state.last_hash
    }
    pub fn last_seq(&self) -> u64 {
        self.state.last_seq
    }
    /// Make buffered appends durable (only matters for `Durability::Deferred`).
    pub fn flush(&mut self) -> Result<(), RegistryError> {
        if let Some(j) = &mut self.journal {
            j.flush()?;
        }
        Ok(())
    }

    /// Execute as the system actor with a generated command id (`auto-N`).
    pub fn execute(&mut self, command: Command) -> Result<CommandOutcome, RegistryError> {
        loop {
            self.auto_id += 1;
            let id = format!("auto-{}", self.auto_id);
            if !self.state.commands.contains_key(&id) {
                return self.submit(Submission {
                    command_id: id,
                    actor: Actor::system(),
                    command,
                });
            }
        }
    }

    /// Execute with an explicit client command id and actor. Idempotent: the same id and
    /// payload returns the original result (no new events); a different payload is refused.
    pub fn submit(&mut self, sub: Submission) -> Result<CommandOutcome, RegistryError> {
        if self.poisoned {
            return Err(RegistryError::Poisoned);
        }
        if !valid_id(&sub.command_id) || sub.command_id.len() > 64 {
            return Err(RegistryError::BadInput(format!(
                "command id {:?}: use 1-64 letters, digits, - _ : .",
                sub.command_id
            )));
        }
        let payload_hash = payload_hash(&sub.command)
            .map_err(|e| RegistryError::Internal(format!("payload encoding: {e}")))?;
        if let Some(rec) = self.state.commands.get(&sub.command_id) {
            if rec.payload_hash != decode_hash(&payload_hash) {
                return Err(RegistryError::ExistsWithDifferentPayload {
                    command_id: sub.command_id,
                });
            }
            if let Some((rule, message)) = rec.rejected.as_deref() {
                return Err(RegistryError::Rejected {
                    rule: rule.clone(),
                    message: message.clone(),
                });
            }
            let rec = rec.clone();
            return Ok(self.outcome(&sub.command_id, &rec, true));
        }
        let ts = {
            let now = format_ts(self.clock.now());
            if now < self.state.last_ts {
                self.state.last_ts.clone()
            } else {
                now
            }
        };
        let planned = check_permission(&self.state, &sub.actor, &sub.command)
            .and_then(|()| Planner::new(&self.state, &ts).plan(&sub.command));
        match planned {
            Ok(events) => {
                self.commit(&sub, &payload_hash, &ts, events)?;
                let rec = self
                    .state
                    .commands
                    .get(&sub.command_id)
                    .cloned()
                    .ok_or_else(|| RegistryError::Internal("command not recorded".into()))?;
                Ok(self.outcome(&sub.command_id, &rec, false))
            }
            Err(RegistryError::Rejected { rule, message }) => {
                let ev = Event::CommandRejected {
                    rule: rule.clone(),
                    message: message.clone(),
                };
                self.commit(&sub, &payload_hash, &ts, vec![ev])?;
                Err(RegistryError::Rejected { rule, message })
            }
            Err(e) => Err(e),
        }
    }

    fn commit(
        &mut self,
        sub: &Submission,
        payload_hash: &str,
        ts: &str,
        events: Vec<Event>,
    ) -> Result<(), RegistryError> {
        let n = events.len();
        if n == 0 {
            return Err(RegistryError::Internal("empty batch".into()));
        }
        let batch_id = self.state.last_batch + 1;
        let mut bytes = Vec::with_capacity(512 * n);
        let mut sealed = Vec::with_capacity(n);
        for (i, event) in events.into_iter().enumerate() {
            let mut env = Envelope {
                seq: self.state.last_seq + 1,
                ts: ts.to_string(),
                actor: sub.actor.clone(),
                command_id: sub.command_id.clone(),
                payload_hash: payload_hash.to_string(),
                batch_id,
                batch_end: i + 1 == n,
                schema_version: SCHEMA_VERSION,
                prev_hash: self.state.last_hash.clone(),
                hash: String::new(),
                event,
            };
            let line = env.seal().map_err(|e| {
                self.poisoned = true;
                RegistryError::Internal(format!("encode: {e}"))
            })?;
            if let Err(v) = self.state.apply(&env) {
                // The planner validated this batch; a fold refusal is a bug. Nothing was
                // written, but memory may be half-applied: stop accepting commands.
                self.poisoned = true;
                return Err(RegistryError::Internal(format!("planned batch broke {v}")));
            }
            bytes.extend_from_slice(&line);
            sealed.push(env);
        }
        if let Some(j) = &mut self.journal
            && let Err(e) = j.append_batch(&bytes)
        {
            self.poisoned = true;
            return Err(e.into());
        }
        if self.retain {
            self.events.extend(sealed);
        }
        Ok(())
    }

    fn outcome(&self, command_id: &str, rec: &CommandRecord, replayed: bool) -> CommandOutcome {
        let mut ranges = Vec::new();
        let lo = (rec.first_seq as usize).saturating_sub(1);
        let hi = (rec.last_seq as usize).min(self.events.len());
        let st = &self.state;
        let range = |b: BlockId, account: Option<&str>, leg: Option<LegKind>| {
            st.block(b).map(|blk| RangeOutcome {
                block: b,
                serial: st.block_serial(blk).to_string(),
                quantity: blk.count(),
                account: account
                    .map(str::to_string)
                    .unwrap_or_else(|| st.accounts[blk.account as usize].id.clone()),
                leg,
            })
        };
        for env in self.events.get(lo..hi).unwrap_or(&[]) {
            match &env.event {
                Event::Issued { legs, .. } => ranges.extend(
                    legs.iter()
                        .filter_map(|l| range(l.block, Some(&l.account), Some(l.leg))),
                ),
                Event::Acquired { block, account, .. } => {
                    ranges.extend(range(*block, Some(account), None))
                }
                Event::Moved { blocks, to, .. } => {
                    ranges.extend(blocks.iter().filter_map(|b| range(*b, Some(to), None)))
                }
                Event::Authorized { blocks, .. }
                | Event::Frozen { blocks, .. }
                | Event::Unfrozen { blocks, .. }
                | Event::RetirementRequested { blocks, .. }
                | Event::ItmoAuthorizationRequested { blocks, .. } => {
                    ranges.extend(blocks.iter().filter_map(|b| range(*b, None, None)))
                }
                _ => {}
            }
        }
        CommandOutcome {
            command_id: command_id.to_string(),
            batch_id: rec.batch_id,
            first_seq: rec.first_seq,
            last_seq: rec.last_seq,
            replayed,
            ranges,
        }
    }

    /// Balances of every account (sinks included), in account-id order.
    pub fn balances(&self) -> Vec<AccountBalance> {
        balances(&self.state)
    }

    /// Units held by one account (0 if unknown).
    pub fn balance(&self, account: &str) -> u64 {
        self.state
            .account(account)
            .map(|a| {
                a.blocks
                    .iter()
                    .filter_map(|k| self.state.block(k.3))
                    .map(Block::count)
                    .sum()
            })
            .unwrap_or(0)
    }

    /// Live blocks held by an account, in selection order.
    pub fn blocks_of(&self, account: &str) -> Vec<&Block> {
        self.state
            .account(account)
            .map(|a| {
                a.blocks
                    .iter()
                    .filter_map(|k| self.state.block(k.3))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The system account of a Party for a kind (`{P}:REG:{Kind}`).
    pub fn system_account(&self, party: &str, kind: AccountKind) -> Option<String> {
        system_account(&self.state, party, kind)
    }
}

/// `{P}:REG:{Kind}` naming of a Party's system accounts.
pub fn system_account_id(party: &str, kind: AccountKind) -> String {
    if kind == AccountKind::AdaptationFund {
        return "INT:AF:AdaptationFund".into();
    }
    format!("{party}:REG:{}", kind.journal_name())
}

fn system_account(st: &State, party: &str, kind: AccountKind) -> Option<String> {
    let id = system_account_id(party, kind);
    if st.account(&id).is_some() {
        return Some(id);
    }
    st.accounts
        .iter()
        .find(|a| a.kind == kind && (a.party == party || kind == AccountKind::AdaptationFund))
        .map(|a| a.id.clone())
}

/// Invariant 16: role × organization per command.
fn check_permission(st: &State, actor: &Actor, cmd: &Command) -> Result<(), RegistryError> {
    use Role::*;
    lifecycle::check_four_eyes(st, actor, cmd)?;
    if actor.role == Root {
        return Ok(());
    }
    check_organization(st, actor, cmd)?;
    let holder_of = |acc: &str| {
        st.account(acc)
            .map(|a| a.owner == actor.org)
            .unwrap_or(false)
    };
    let ok = match cmd {
        Command::InitParty { .. }
        | Command::RecordApproach { .. }
        | Command::SetApproachStatus { .. }
        | Command::RecordAuthorization { .. }
        | Command::Authorize { .. }
        | Command::Acquire { .. } => actor.role == Dna,
        Command::RegisterOrganization { .. } | Command::OpenAccount { .. } => {
            matches!(actor.role, Dna | Regulator)
        }
        Command::RegisterProject { .. }
        | Command::AddEstimation { .. }
        | Command::AttachLabel { .. } => matches!(actor.role, ProjectDeveloper | Dna),
        Command::SetProjectStatus { .. } => matches!(actor.role, Dna | Regulator),
        Command::RecordValidation { .. } | Command::RecordVerification { .. } => actor.role == Vvb,
        Command::Issue { .. } | Command::Freeze { .. } | Command::Unfreeze { .. } => {
            actor.role == Regulator
        }
        Command::Transfer { from, .. }
        | Command::Use { from, .. }
        | Command::Retire { from, .. } => holder_of(from),
        Command::Cancel { from, .. } => holder_of(from) || actor.role == Dna,
        Command::RequestRetirement { from, .. } => holder_of(from),
        Command::RequestItmoAuthorization { account, .. } => {
            holder_of(account) || actor.role == Dna
        }
        Command::CancelRequest { id, .. } => {
            actor.role == Dna
                || st
                    .lc
                    .requests
                    .get(id.as_str())
                    .is_some_and(|r| r.requested_by.same_person(actor))
        }
        Command::ApproveRequest { .. }
        | Command::RejectRequest { .. }
        | Command::FileInitialReport { .. }
        | Command::RecordAuthorizedEntity { .. }
        | Command::RecordCa { .. }
        | Command::SubmitCa { .. }
        | Command::ApproveCa { .. }
        | Command::CloseReportingYear { .. }
        | Command::Annotate { .. } => actor.role == Dna,
    };
    if ok {
        Ok(())
    } else {
        Err(rej(
            R_PERM,
            format!(
                "role {} of organization {} may not run this command",
                actor.role.name(),
                actor.org
            ),
        ))
    }
}

/// Invariant 16's organization half, for every actor but the registry's Root: the actor's
/// organization is registered, holds the role the actor acts in, and (for the commands that
/// act within one Party: registering that Party, its organizations and accounts, issuing its
/// projects' units, freezing or cancelling in its accounts) belongs to that Party.
fn check_organization(st: &State, actor: &Actor, cmd: &Command) -> Result<(), RegistryError> {
    let Some(org) = st.orgs.get(&actor.org) else {
        let known: Vec<&str> = st.orgs.keys().map(String::as_str).collect();
        return Err(rej(
            R_PERM,
            format!(
                "organization {} is not registered (registered: {}); act for a registered organization or register it first (`registry org add`)",
                actor.org,
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ),
        ));
    };
    if !org.roles.contains(&actor.role) {
        let roles: Vec<&str> = org.roles.iter().map(|r| r.name()).collect();
        return Err(rej(
            R_PERM,
            format!(
                "organization {} does not hold the role {} (its roles: {})",
                org.id,
                actor.role.name(),
                if roles.is_empty() {
                    "none".to_string()
                } else {
                    roles.join(", ")
                }
            ),
        ));
    }
    let account_party = |id: &str| st.account(id).map(|a| a.party.clone());
    let party = match cmd {
        Command::InitParty { party, .. } => Some(party.clone()),
        Command::RegisterOrganization { country, .. } => Some(country.clone()),
        Command::OpenAccount { party, .. } => Some(party.clone()),
        Command::Issue { project, .. } => st
            .projects
            .get(project)
            .map(|p| p.host.clone())
            .filter(|h| !h.is_empty()),
        Command::Freeze { account, .. } | Command::Unfreeze { account, .. } => {
            account_party(account)
        }
        // A holder cancels in its own accounts; a DNA only in its Party's.
        Command::Cancel { from, .. } => st
            .account(from)
            .filter(|a| a.owner != actor.org)
            .map(|a| a.party.clone()),
        _ => None,
    };
    match party {
        Some(p) if p != org.country => Err(rej(
            R_PERM,
            format!(
                "organization {} belongs to {}, and this command acts within {p}; act for an organization of {p}",
                org.id, org.country
            ),
        )),
        _ => Ok(()),
    }
}

/// A display name (of a project or an organization) is what reports and the explorer print
/// on one line: some text, no control characters (a pasted newline or tab), at most 200
/// characters.
fn check_name(what: &str, name: &str) -> Result<(), RegistryError> {
    let problem = if name.trim().is_empty() {
        "is empty"
    } else if name.chars().any(char::is_control) {
        "holds a line break, tab or other control character"
    } else if name.chars().count() > 200 {
        "is longer than 200 characters"
    } else {
        return Ok(());
    };
    Err(rej(
        R_PRE,
        format!("{what} name {problem}; give a name of one line, e.g. \"Punatsangchhu hydro\""),
    ))
}

/// Plans one command's events against an immutable state.
struct Planner<'a> {
    st: &'a State,
    date: chrono::NaiveDate,
    next_block: BlockId,
}

impl<'a> Planner<'a> {
    fn new(st: &'a State, ts: &str) -> Planner<'a> {
        // `parse_ymd` reads the fixed `YYYY-MM-DD` prefix (no format-string parsing per command).
        let date = parse_ymd(ts).unwrap_or_default();
        Planner {
            st,
            date,
            next_block: st.next_block_id(),
        }
    }

    fn account(&self, id: &str) -> Result<(u32, &'a Account), RegistryError> {
        let st = self.st;
        st.account_ix
            .get(id)
            .map(|&i| (i, &st.accounts[i as usize]))
            .ok_or_else(|| {
                let hint = did_you_mean(id, st.account_ix.keys().map(String::as_str));
                rej(
                    R_PRE,
                    format!("unknown account {id:?}; open it first{hint}"),
                )
            })
    }

    /// The project `id`, or the refusal that names the id probably meant.
    fn project(&self, id: &str) -> Result<&'a Project, RegistryError> {
        let st = self.st;
        st.projects.get(id).ok_or_else(|| {
            let hint = did_you_mean(id, st.projects.keys().map(String::as_str));
            rej(R_PRE, format!("unknown project {id}; add it first{hint}"))
        })
    }

    /// The authorization `id` with its index, or the refusal that names the id probably meant.
    fn authorization(&self, id: &str) -> Result<(u32, &'a Authorization), RegistryError> {
        let st = self.st;
        st.auth_ix
            .get(id)
            .map(|&i| (i, &st.authorizations[i as usize]))
            .ok_or_else(|| {
                let hint = did_you_mean(id, st.auth_ix.keys().map(String::as_str));
                rej(R_PRE, format!("unknown authorization {id}{hint}"))
            })
    }

    fn live_source(&self, id: &str) -> Result<(u32, &'a Account), RegistryError> {
        let (i, a) = self.account(id)?;
        if a.kind.is_terminal() {
            return Err(rej(
                "invariant 4 sinks",
                format!(
                    "account {id} is a terminal {} account; units never leave it",
                    a.kind.as_str()
                ),
            ));
        }
        Ok((i, a))
    }

    fn new_id(&mut self) -> BlockId {
        let id = self.next_block;
        self.next_block += 1;
        id
    }

    /// Take `want` (≥ 1) units from block `b`, lowest serials first: the whole block when it
    /// fits (`b.id`), else a `Split` into `out` whose lower child (returned) holds `want` units.
    /// Split-not-mutate: the parent's range is partitioned exactly, never rewritten.
    pub(super) fn take_lowest(&mut self, b: &Block, want: u64, out: &mut Vec<Event>) -> BlockId {
        if b.count() <= want {
            return b.id;
        }
        let lo = self.new_id();
        let hi = self.new_id();
        out.push(Event::Split {
            parent: b.id,
            children: vec![
                Piece {
                    block: lo,
                    first: b.first,
                    last: b.first + want - 1,
                },
                Piece {
                    block: hi,
                    first: b.first + want,
                    last: b.last,
                },
            ],
        });
        lo
    }

    /// LOWEST_SERIAL_FIRST selection (see module docs). Emits the needed `Split` into `out`
    /// and returns the selected whole-block ids (after splitting).
    fn select(
        &mut self,
        acc: &Account,
        qty: u64,
        filter: &Filter,
        frozen: bool,
        out: &mut Vec<Event>,
    ) -> Result<Vec<BlockId>, RegistryError> {
        if qty == 0 {
            return Err(rej(R_SEL, "quantity must be at least 1"));
        }
        let st = self.st;
        let auth_ix = match &filter.authorization {
            Some(a) => Some(self.authorization(a)?.0),
            None => None,
        };
        let mut left = qty;
        let mut picked = Vec::new();
        let mut available = 0u64;
        // Units that match but are in the other freeze state (for the refusal's note).
        let mut other_state = 0u64;
        for (vintage, project, _, id) in &acc.blocks {
            if filter.vintage.is_some_and(|v| v != *vintage)
                || filter.project.as_deref().is_some_and(|p| p != &**project)
            {
                continue;
            }
            let Some(b) = st.block(*id) else { continue };
            if st.lc.reserved_by(*id).is_some()
                || filter.class.is_some_and(|c| c != b.class)
                || (auth_ix.is_some() && b.authorization.map(AuthIx::get) != auth_ix)
            {
                continue;
            }
            if b.frozen() != frozen {
                other_state += b.count();
                continue;
            }
            available += b.count();
            if left == 0 {
                continue; // only reached when counting for the error message
            }
            let taken = self.take_lowest(b, left, out);
            picked.push(taken);
            left -= b.count().min(left);
            if left == 0 {
                break;
            }
        }
        if left > 0 {
            return Err(rej(
                R_SEL,
                format!(
                    "account {} has {} {}units matching the filter, {} requested{}{}",
                    acc.id,
                    Units(available),
                    if frozen { "frozen " } else { "unfrozen " },
                    Units(qty),
                    match (other_state, frozen) {
                        (0, _) => String::new(),
                        (n, false) => format!(" ({} more are frozen)", Units(n)),
                        (n, true) => format!(" ({} more are not frozen)", Units(n)),
                    },
                    lifecycle::reserved_note(st, acc)
                ),
            ));
        }
        Ok(picked)
    }

    /// The block as it will be after the planned splits (children inherit the parent).
    fn planned_block(&self, id: BlockId, splits: &[Event]) -> Option<&'a Block> {
        if let Some(b) = self.st.block(id) {
            return Some(b);
        }
        splits.iter().find_map(|e| match e {
            Event::Split { parent, children } if children.iter().any(|c| c.block == id) => {
                self.st.block(*parent)
            }
            _ => None,
        })
    }

    fn plan(&mut self, cmd: &Command) -> Result<Vec<Event>, RegistryError> {
        let st = self.st;
        let mut ev = Vec::new();
        match cmd {
            Command::InitParty {
                party,
                registry_id,
                name,
                ndc_first_year,
                ndc_last_year,
            } => {
                let rb = registry_id.as_bytes();
                if party.len() != 3 || !party.bytes().all(|b| b.is_ascii_uppercase()) {
                    return Err(rej(
                        R_PRE,
                        format!("party {party:?} must be an ISO alpha-3 code (3 capitals)"),
                    ));
                }
                if rb.len() != 5
                    || !rb[..3].iter().all(u8::is_ascii_uppercase)
                    || !rb[3..].iter().all(u8::is_ascii_digit)
                {
                    return Err(rej(
                        R_PRE,
                        format!(
                            "registry id {registry_id:?} must be 3 capitals and 2 digits, e.g. BTN01"
                        ),
                    ));
                }
                if st.parties.contains_key(party) {
                    return Err(rej(R_PRE, format!("party {party} is already registered")));
                }
                ev.push(Event::PartyRegistered {
                    code: party.clone(),
                    registry_id: registry_id.clone(),
                    name: name.clone(),
                    ndc_first_year: *ndc_first_year,
                    ndc_last_year: *ndc_last_year,
                });
                let org = format!("REG-{party}");
                if !st.orgs.contains_key(&org) {
                    ev.push(Event::OrganizationRegistered {
                        id: org.clone(),
                        name: format!("{party} registry"),
                        country: party.clone(),
                        roles: vec![Role::Dna, Role::Regulator],
                    });
                }
                for kind in AccountKind::ALL {
                    let id = system_account_id(party, kind);
                    if st.account(&id).is_some() {
                        continue;
                    }
                    if kind == AccountKind::AdaptationFund {
                        ev.push(Event::AccountOpened {
                            id,
                            owner: "AF".into(),
                            party: "INT".into(),
                            kind,
                        });
                    } else {
                        ev.push(Event::AccountOpened {
                            id,
                            owner: org.clone(),
                            party: party.clone(),
                            kind,
                        });
                    }
                }
            }
            Command::RegisterOrganization {
                id,
                name,
                country,
                roles,
            } => {
                if !valid_id(id) {
                    return Err(rej(
                        R_PRE,
                        format!("organization id {id:?}: letters, digits, - _ : . only"),
                    ));
                }
                if st.orgs.contains_key(id) {
                    return Err(rej(R_PRE, format!("organization {id} already exists")));
                }
                check_name("organization", name)?;
                ev.push(Event::OrganizationRegistered {
                    id: id.clone(),
                    name: name.clone(),
                    country: country.clone(),
                    roles: roles.clone(),
                });
            }
            Command::OpenAccount {
                id,
                owner,
                party,
                kind,
            } => {
                if !valid_id(id) || id.contains(' ') {
                    return Err(rej(
                        R_PRE,
                        format!("account id {id:?}: letters, digits, - _ : . only"),
                    ));
                }
                if st.account(id).is_some() {
                    return Err(rej(R_PRE, format!("account {id} already exists")));
                }
                if !st.orgs.contains_key(owner) {
                    return Err(rej(
                        R_PRE,
                        format!("unknown organization {owner}; register it first"),
                    ));
                }
                if party != "INT" && !st.parties.contains_key(party) {
                    return Err(rej(R_PRE, format!("unknown party {party}; run init first")));
                }
                ev.push(Event::AccountOpened {
                    id: id.clone(),
                    owner: owner.clone(),
                    party: party.clone(),
                    kind: *kind,
                });
            }
            Command::RegisterProject {
                id,
                name,
                sector,
                mechanism,
                host,
                developer,
                methodology,
                unit_type,
                covered_by_ndc,
                link,
                registered,
            } => {
                if !super::serial::valid_project_id(id) {
                    return Err(rej(
                        R_PRE,
                        format!(
                            "project id {id:?} must be 1-32 ASCII letters and digits (no dash, space or accent), e.g. P0007"
                        ),
                    ));
                }
                check_name("project", name)?;
                if st.projects.contains_key(id) {
                    return Err(rej(R_PRE, format!("project {id} already exists")));
                }
                let host = match host {
                    Some(h) => h.clone(),
                    None if st.parties.len() == 1 => {
                        st.parties.keys().next().cloned().unwrap_or_default()
                    }
                    None => {
                        return Err(rej(R_PRE, "host party required when several parties exist"));
                    }
                };
                if !st.parties.contains_key(&host) {
                    return Err(rej(
                        R_PRE,
                        format!("unknown host party {host}; run init first"),
                    ));
                }
                let developer = developer.clone().unwrap_or_else(|| format!("REG-{host}"));
                let cov = covered_by_ndc.clone().unwrap_or_else(|| "Unknown".into());
                if !matches!(cov.as_str(), "Inside NDC" | "Outside NDC" | "Unknown") {
                    return Err(rej(
                        R_PRE,
                        "covered_by_ndc must be Inside NDC, Outside NDC or Unknown",
                    ));
                }
                ev.push(Event::ProjectRegistered {
                    id: id.clone(),
                    name: name.clone(),
                    sector: sector.clone(),
                    mechanism: *mechanism,
                    host,
                    developer,
                    methodology: methodology.clone(),
                    unit_type: *unit_type,
                    covered_by_ndc: cov,
                    link: link.clone(),
                });
                if *registered {
                    ev.push(Event::ProjectStepRecorded {
                        project: id.clone(),
                        step: ActivityStep::Registration,
                        date: self.date,
                    });
                }
            }
            Command::SetProjectStatus {
                project,
                step,
                date,
            } => {
                self.project(project)?;
                ev.push(Event::ProjectStepRecorded {
                    project: project.clone(),
                    step: *step,
                    date: *date,
                });
            }
            Command::RecordValidation {
                id,
                project,
                vvb,
                date,
                crediting_start,
                crediting_end,
            } => {
                self.project(project)?;
                if st.validations.contains_key(id) {
                    return Err(rej(R_PRE, format!("validation {id} already recorded")));
                }
                if crediting_start > crediting_end {
                    return Err(rej(R_PRE, "crediting period start after end"));
                }
                ev.push(Event::ValidationRecorded {
                    id: id.clone(),
                    project: project.clone(),
                    vvb: vvb.clone(),
                    date: *date,
                    crediting_start: *crediting_start,
                    crediting_end: *crediting_end,
                });
            }
            Command::RecordVerification {
                id,
                project,
                vvb,
                date,
                monitoring_start,
                monitoring_end,
                verified_quantity,
            } => {
                self.project(project)?;
                if st.verifications.contains_key(id) {
                    return Err(rej(R_PRE, format!("verification {id} already recorded")));
                }
                if monitoring_start > monitoring_end {
                    return Err(rej(R_PRE, "monitoring period start after end"));
                }
                ev.push(Event::VerificationRecorded {
                    id: id.clone(),
                    project: project.clone(),
                    vvb: vvb.clone(),
                    date: *date,
                    monitoring_start: *monitoring_start,
                    monitoring_end: *monitoring_end,
                    verified_quantity: *verified_quantity,
                });
            }
            Command::AddEstimation {
                project,
                year,
                unit_count,
            } => {
                self.project(project)?;
                ev.push(Event::EstimationAdded {
                    project: project.clone(),
                    year: *year,
                    unit_count: *unit_count,
                });
            }
            Command::AttachLabel {
                project,
                label_type,
                name,
                link,
                date,
            } => {
                self.project(project)?;
                ev.push(Event::LabelAttached {
                    project: project.clone(),
                    label_type: label_type.clone(),
                    name: name.clone(),
                    link: link.clone(),
                    date: *date,
                });
            }
            Command::RecordApproach {
                id,
                title,
                host,
                parties,
            } => {
                if !valid_id(id) {
                    return Err(rej(R_PRE, format!("approach id {id:?} invalid")));
                }
                if st.approaches.contains_key(id) {
                    return Err(rej(
                        R_PRE,
                        format!("cooperative approach {id} already recorded"),
                    ));
                }
                ev.push(Event::ApproachRecorded {
                    id: id.clone(),
                    title: title.clone(),
                    host: host.clone(),
                    parties: parties.clone(),
                });
            }
            Command::SetApproachStatus { id, status } => {
                let a = st
                    .approaches
                    .get(id)
                    .ok_or_else(|| rej(R_PRE, format!("unknown cooperative approach {id}")))?;
                if !a.status.can_move_to(*status) {
                    return Err(rej(
                        R_PRE,
                        format!(
                            "cooperative approach {id}: {:?} → {:?} is not allowed (Draft → Submitted → Active ⇄ Suspended → Completed | Revoked)",
                            a.status, status
                        ),
                    ));
                }
                self.gate_initial_report(id, *status)?;
                ev.push(Event::ApproachStatusSet {
                    id: id.clone(),
                    status: *status,
                });
            }
            Command::RecordAuthorization {
                id,
                version,
                date,
                approach,
                purpose,
                acquiring_parties,
                entities,
                authorized_quantity,
                period_start,
                period_end,
                first_transfer_definition,
            } => {
                if !valid_id(id) || id.contains(':') || id.contains('_') || id.contains('.') {
                    return Err(rej(
                        R_PRE,
                        format!("authorization id {id:?}: letters, digits, space and dash only"),
                    ));
                }
                let purpose_t = Purpose::parse(purpose).ok_or_else(|| {
                    rej(
                        R_PRE,
                        format!(
                            "unrecognised purpose {purpose:?}; use {}",
                            Purpose::SPELLINGS
                        ),
                    )
                })?;
                let def = match first_transfer_definition {
                    Some(d) => Some(FirstTransferDefinition::parse(d).ok_or_else(|| rej("article6 §4 first-transfer definition", format!("unrecognised first-transfer definition {d:?}: use Authorization, Issuance, UseOrCancel or FirstInternationalTransfer (a blocking error, never a silent zero)")))?),
                    None => None,
                };
                if purpose_t.includes_oimp() && def.is_none() {
                    return Err(rej(
                        "article6 §4 first-transfer definition",
                        format!(
                            "authorization {id}: purpose {purpose} includes OIMP, so a first-transfer definition is required"
                        ),
                    ));
                }
                if !st.approaches.contains_key(approach) {
                    return Err(rej(
                        R_PRE,
                        format!("unknown cooperative approach {approach}"),
                    ));
                }
                if period_start > period_end {
                    return Err(rej(R_PRE, "authorized timeframe start after end"));
                }
                if let Some(old) = st.authorization(id) {
                    if old.purpose != purpose_t {
                        return Err(rej(
                            R_AUTH,
                            format!(
                                "authorization {id}: purpose is immutable ({})",
                                old.purpose.as_str()
                            ),
                        ));
                    }
                    if *version <= old.version {
                        return Err(rej(
                            R_PRE,
                            format!(
                                "authorization {id}: version {version} must be above {}",
                                old.version
                            ),
                        ));
                    }
                }
                ev.push(Event::AuthorizationRecorded {
                    id: id.clone(),
                    version: *version,
                    date: *date,
                    approach: approach.clone(),
                    purpose: purpose_t,
                    acquiring_parties: acquiring_parties.clone(),
                    entities: entities.clone(),
                    authorized_quantity: *authorized_quantity,
                    period_start: *period_start,
                    period_end: *period_end,
                    first_transfer_definition: def,
                });
            }
            Command::Issue {
                project,
                vintage,
                quantity,
                to,
                verification,
                levies,
                authorization,
                date,
            } => {
                let p = self.project(project)?;
                if p.status() != ProjectStatus::Registered {
                    return Err(rej(
                        R_PRE,
                        format!("project {project} is {:?}, not Registered", p.status()),
                    ));
                }
                if *quantity == 0 || *quantity > MAX_QUANTITY {
                    return Err(rej(
                        R_PRE,
                        format!("quantity must be between 1 and {}", Units(MAX_QUANTITY)),
                    ));
                }
                if !(1990..=2100).contains(vintage) {
                    return Err(rej(
                        R_VINTAGE,
                        format!(
                            "vintage {vintage} is outside the years a mitigation outcome can have (1990-2100)"
                        ),
                    ));
                }
                if let Some(why) = st.outside_crediting(project, *vintage) {
                    return Err(rej(R_VINTAGE, why));
                }
                if let Some(vid) = verification {
                    let ver = st
                        .verifications
                        .get(vid)
                        .ok_or_else(|| rej(R_PRE, format!("unknown verification {vid}")))?;
                    if ver.project != *project {
                        return Err(rej(
                            R_VER,
                            format!("verification {vid} belongs to project {}", ver.project),
                        ));
                    }
                    if *vintage < ver.monitoring_start || *vintage > ver.monitoring_end {
                        return Err(rej(
                            R_VINTAGE,
                            format!(
                                "vintage {vintage} outside the monitoring period {}-{}",
                                ver.monitoring_start, ver.monitoring_end
                            ),
                        ));
                    }
                    if ver.issued + quantity > ver.verified_quantity {
                        return Err(rej(
                            R_VER,
                            format!(
                                "issuing {} would exceed verified quantity {} (already issued {})",
                                Units(*quantity),
                                Units(ver.verified_quantity),
                                Units(ver.issued)
                            ),
                        ));
                    }
                }
                let party = st
                    .parties
                    .get(&p.host)
                    .ok_or_else(|| rej(R_PRE, format!("host party {} not initialised", p.host)))?;
                let holding = match to {
                    Some(t) => t.clone(),
                    None => system_account(st, &p.host, AccountKind::Holding)
                        .ok_or_else(|| rej(R_PRE, "host party has no holding account"))?,
                };
                let (_, hacc) = self.live_source(&holding)?;
                if hacc.party != p.host {
                    return Err(rej(
                        R_GATE,
                        format!(
                            "issuance goes to an account of the host party {}, not {}",
                            p.host, hacc.party
                        ),
                    ));
                }
                let lv = levies.clone().unwrap_or_default();
                let (sop_bp, omge_bp) = if p.mechanism == Mechanism::A64 {
                    // Mandatory 6.4 levies (article6-rules §7): a levy left out applies at its
                    // default, a lower one is refused.
                    let sop_bp = lv.sop_bp.unwrap_or(SOP_6_4_BP);
                    let omge_bp = lv.omge_bp.unwrap_or(OMGE_6_4_MIN_BP);
                    if sop_bp < SOP_6_4_BP || omge_bp < OMGE_6_4_MIN_BP {
                        return Err(rej(
                            R_LEVY,
                            format!(
                                "a 6.4 issuance levies SOP of at least {SOP_6_4_BP} bp and OMGE of at least {OMGE_6_4_MIN_BP} bp (article6-rules §7), not SOP {sop_bp} and OMGE {omge_bp}"
                            ),
                        ));
                    }
                    (sop_bp, omge_bp)
                } else {
                    (lv.sop_bp.unwrap_or(0), lv.omge_bp.unwrap_or(0))
                };
                let up = |base: u64, bp: u32| -> u64 {
                    (base as u128 * bp as u128).div_ceil(10_000) as u64
                };
                let (omge, sop, buf) = (
                    up(*quantity, omge_bp),
                    up(*quantity, sop_bp),
                    up(*quantity, lv.buffer_bp),
                );
                // Host retention is a share of what the levies leave (article6-rules §9:
                // exportable = (1 − r_host)·(1 − s_sop − s_omge)·I), rounded up like the levies.
                let ret = up(quantity.saturating_sub(omge + sop), lv.retention_bp);
                let levied = omge + sop + buf + ret;
                if levied >= *quantity {
                    return Err(rej(
                        R_LEVY,
                        format!(
                            "levies take {} of {}; nothing left for the holder",
                            Units(levied),
                            Units(*quantity)
                        ),
                    ));
                }
                // The retained share stays with the host unauthorized (article6-rules §9): it
                // does not count against the authorized quantity.
                let class = match authorization {
                    Some(a) => {
                        let (_, auth) = self.authorization(a)?;
                        self.gate_authorization(auth, *vintage, quantity - ret)?;
                        Class::Itmo
                    }
                    None => Class::Mo,
                };
                let mut legs_plan: Vec<(LegKind, u64, String)> =
                    vec![(LegKind::Holding, quantity - levied, holding.clone())];
                let sys = |k: AccountKind| {
                    system_account(st, &p.host, k).ok_or_else(|| {
                        rej(
                            R_PRE,
                            format!("party {} has no {} account", p.host, k.as_str()),
                        )
                    })
                };
                if omge > 0 {
                    legs_plan.push((LegKind::Omge, omge, sys(AccountKind::OmgeCancellation)?));
                }
                if sop > 0 {
                    legs_plan.push((LegKind::Sop, sop, sys(AccountKind::AdaptationFund)?));
                }
                if buf > 0 {
                    legs_plan.push((LegKind::Buffer, buf, sys(AccountKind::Buffer)?));
                }
                if ret > 0 {
                    legs_plan.push((LegKind::Retention, ret, sys(AccountKind::Holding)?));
                }
                let first = p.last_serial + 1;
                let mut next = first;
                let mut legs = Vec::new();
                for (leg, n, account) in legs_plan {
                    let block = self.new_id();
                    legs.push(Leg {
                        block,
                        first: next,
                        last: next + n - 1,
                        account,
                        leg,
                    });
                    next += n;
                }
                let issuance_id = format!("{}-{}-{}", project, vintage, first);
                ev.push(Event::Issued {
                    issuance_id,
                    project: project.clone(),
                    registry: party.registry_id.clone(),
                    vintage: *vintage,
                    unit_type: p.unit_type,
                    verification: verification.clone(),
                    first,
                    last: first + quantity - 1,
                    class,
                    authorization: authorization.clone(),
                    date: *date,
                    legs,
                });
            }
            Command::Authorize {
                account,
                authorization,
                quantity,
                filter,
                date,
            } => {
                let (_, auth) = self.authorization(authorization)?;
                let (_, acc) = self.live_source(account)?;
                let mut f = filter.clone();
                f.class = Some(Class::Mo);
                let picked = self.select(acc, *quantity, &f, false, &mut ev)?;
                for &b in &picked {
                    let blk = self
                        .planned_block(b, &ev)
                        .ok_or_else(|| RegistryError::Internal("planned block".into()))?;
                    self.gate_authorization(auth, blk.vintage, 0)?;
                    if let Some(p) = st.projects.get(st.block_project(blk))
                        && p.covered_by_ndc == "Unknown"
                        && p.mechanism == Mechanism::A64
                    {
                        return Err(rej(
                            R_AUTH,
                            format!(
                                "project {} must state coveredByNDC before its units are authorized",
                                p.id
                            ),
                        ));
                    }
                }
                self.gate_authorization(auth, 2021.max(auth.period_start), *quantity)?;
                ev.push(Event::Authorized {
                    blocks: picked,
                    authorization: authorization.clone(),
                    date: *date,
                });
            }
            Command::Transfer {
                from,
                to,
                quantity,
                filter,
                acquiring_party,
            } => {
                let (_, fa) = self.live_source(from)?;
                let (_, ta) = self.account(to)?;
                if fa.id == ta.id {
                    return Err(rej(R_PRE, "source and destination are the same account"));
                }
                let international = is_international(fa, ta);
                let acquiring =
                    if matches!(ta.kind, AccountKind::FirstTransferOut | AccountKind::Export) {
                        Some(acquiring_party.clone().ok_or_else(|| {
                        rej(
                            R_GATE,
                            format!(
                                "a transfer to {} leaves the registry: name the acquiring party",
                                ta.id
                            ),
                        )
                    })?)
                    } else if international {
                        Some(ta.party.clone())
                    } else {
                        None
                    };
                if ta.kind.is_terminal()
                    && !matches!(
                        ta.kind,
                        AccountKind::FirstTransferOut
                            | AccountKind::Export
                            | AccountKind::AdaptationFund
                    )
                {
                    return Err(rej(
                        R_GATE,
                        format!(
                            "use retire/cancel/use to move units into the {} account {}",
                            ta.kind.as_str(),
                            ta.id
                        ),
                    ));
                }
                // Only ITMOs move abroad (registry-model §6): without a class filter an
                // international transfer selects ITMO blocks only, so an MO (e.g. the host's
                // retained share, article6-rules §9) is never picked with them.
                let itmo_only;
                let sel_filter = if international && filter.class.is_none() {
                    itmo_only = Filter {
                        class: Some(Class::Itmo),
                        ..filter.clone()
                    };
                    &itmo_only
                } else {
                    filter
                };
                let picked = match self.select(fa, *quantity, sel_filter, false, &mut ev) {
                    Err(RegistryError::Rejected { rule, message })
                        if rule == R_SEL
                            && international
                            && filter.class != Some(Class::Mo)
                            && holds_mo(st, fa, filter) =>
                    {
                        return Err(rej(
                            R_GATE,
                            format!(
                                "an MO cannot be transferred internationally; authorize it first ({message})"
                            ),
                        ));
                    }
                    r => r?,
                };
                for &b in &picked {
                    let blk = self
                        .planned_block(b, &ev)
                        .ok_or_else(|| RegistryError::Internal("planned block".into()))?;
                    if international && blk.class == Class::Mo {
                        return Err(rej(
                            R_GATE,
                            "an MO cannot be transferred internationally; authorize it first",
                        ));
                    }
                    if let (Some(acq), Some(auth)) = (&acquiring, st.block_auth(blk))
                        && blk.first_transfer.is_none()
                        && !auth.acquiring_parties.is_empty()
                        && !auth.acquiring_parties.contains(acq)
                    {
                        return Err(rej(
                            R_AUTH,
                            format!(
                                "authorization {} does not authorize acquiring party {acq}",
                                auth.id
                            ),
                        ));
                    }
                    self.gate_ft(blk, fa, ta)?;
                }
                ev.push(Event::Moved {
                    blocks: picked,
                    from: from.clone(),
                    to: to.clone(),
                    kind: MoveKind::Transfer {
                        acquiring_party: acquiring,
                    },
                });
            }
            Command::Use {
                from,
                quantity,
                filter,
                use_year,
                beneficiary,
            } => {
                let (_, fa) = self.live_source(from)?;
                let to = system_account(st, &fa.party, AccountKind::RetirementNdc)
                    .ok_or_else(|| rej(R_PRE, "no RetirementNDC account"))?;
                let (_, ta) = self.account(&to)?;
                if !(1990..=2100).contains(use_year) {
                    return Err(rej(
                        R_PRE,
                        format!("use year {use_year} must be a four-digit year"),
                    ));
                }
                let picked = self.select(fa, *quantity, filter, false, &mut ev)?;
                for &b in &picked {
                    let blk = self
                        .planned_block(b, &ev)
                        .ok_or_else(|| RegistryError::Internal("planned block".into()))?;
                    if blk.class == Class::Itmo && blk.first_transfer.is_none() {
                        return Err(rej(
                            R_GATE,
                            "an ITMO that has not been first-transferred cannot be used towards an NDC; transfer it first",
                        ));
                    }
                    self.gate_period(fa, blk, *use_year)?;
                    if let Some(auth) = st.block_auth(blk)
                        && !auth.purpose.includes_ndc()
                    {
                        return Err(rej(
                            R_GATE,
                            format!(
                                "authorization {} does not cover NDC use ({})",
                                auth.id,
                                auth.purpose.as_str()
                            ),
                        ));
                    }
                    self.gate_ft(blk, fa, ta)?;
                }
                let beneficiary = beneficiary.clone().unwrap_or_else(|| Beneficiary {
                    name: fa.party.clone(),
                    id: fa.party.clone(),
                    country: fa.party.clone(),
                    purpose: format!("use towards NDC {use_year}"),
                });
                check_beneficiary(&beneficiary)?;
                ev.push(Event::Moved {
                    blocks: picked,
                    from: from.clone(),
                    to,
                    kind: MoveKind::Use {
                        use_year: *use_year,
                        beneficiary,
                    },
                });
            }
            Command::Retire {
                from,
                quantity,
                filter,
                beneficiary,
                authorized_entity,
            } => {
                check_beneficiary(beneficiary)?;
                let (_, fa) = self.live_source(from)?;
                let picked = self.select(fa, *quantity, filter, false, &mut ev)?;
                let mut classes = picked
                    .iter()
                    .filter_map(|&b| self.planned_block(b, &ev))
                    .map(|b| b.class);
                let class = classes.next().unwrap_or(Class::Mo);
                if classes.any(|c| c != class) {
                    return Err(rej(
                        R_GATE,
                        "the selection mixes MOs and ITMOs; pass --class MO or --class ITMO",
                    ));
                }
                let kind = if class == Class::Itmo {
                    AccountKind::RetirementOimp
                } else {
                    AccountKind::VoluntaryCancellation
                };
                let to = system_account(st, &fa.party, kind)
                    .ok_or_else(|| rej(R_PRE, format!("no {} account", kind.as_str())))?;
                let (_, ta) = self.account(&to)?;
                for &b in &picked {
                    let Some(blk) = self.planned_block(b, &ev) else {
                        continue;
                    };
                    if let Some(auth) = st.block_auth(blk) {
                        if !auth.purpose.includes_oimp() {
                            return Err(rej(
                                R_GATE,
                                format!(
                                    "ITMOs under {} (purpose NDC) cannot be retired for OIMP; use them towards an NDC",
                                    auth.id
                                ),
                            ));
                        }
                        if let Some(e) = authorized_entity
                            && !auth.entities.is_empty()
                            && !auth.entities.contains(e)
                        {
                            return Err(rej(
                                R_AUTH,
                                format!("{e} is not an authorized entity of {}", auth.id),
                            ));
                        }
                        self.gate_oimp_entity(auth, authorized_entity.as_deref())?;
                    }
                    self.gate_ft(blk, fa, ta)?;
                }
                ev.push(Event::Moved {
                    blocks: picked,
                    from: from.clone(),
                    to,
                    kind: MoveKind::Retire {
                        beneficiary: beneficiary.clone(),
                        authorized_entity: authorized_entity.clone(),
                    },
                });
            }
            Command::Cancel {
                from,
                quantity,
                filter,
                subtype,
                reason,
            } => {
                let (_, fa) = self.live_source(from)?;
                let kind = match subtype {
                    CancelSubtype::Voluntary => AccountKind::VoluntaryCancellation,
                    CancelSubtype::Omge => AccountKind::OmgeCancellation,
                    CancelSubtype::Other => AccountKind::OtherCancellation,
                };
                let to = system_account(st, &fa.party, kind)
                    .ok_or_else(|| rej(R_PRE, format!("no {} account", kind.as_str())))?;
                let (_, ta) = self.account(&to)?;
                let picked = self.select(fa, *quantity, filter, false, &mut ev)?;
                for &b in &picked {
                    if let Some(blk) = self.planned_block(b, &ev) {
                        self.gate_ft(blk, fa, ta)?;
                    }
                }
                ev.push(Event::Moved {
                    blocks: picked,
                    from: from.clone(),
                    to,
                    kind: MoveKind::Cancel {
                        subtype: *subtype,
                        reason: reason.clone(),
                    },
                });
            }
            Command::Freeze {
                account,
                quantity,
                filter,
                reason,
            }
            | Command::Unfreeze {
                account,
                quantity,
                filter,
                reason,
            } => {
                let freeze = matches!(cmd, Command::Freeze { .. });
                let (_, acc) = self.live_source(account)?;
                if reason.trim().is_empty() {
                    return Err(rej(R_PRE, "a reason is required"));
                }
                let picked = self.select(acc, *quantity, filter, !freeze, &mut ev)?;
                ev.push(if freeze {
                    Event::Frozen {
                        blocks: picked,
                        reason: reason.clone(),
                    }
                } else {
                    Event::Unfrozen {
                        blocks: picked,
                        reason: reason.clone(),
                    }
                });
            }
            Command::Acquire {
                to,
                from_party,
                registry,
                project,
                vintage,
                first,
                last,
                authorization,
                unit_type,
            } => {
                let (_, ta) = self.live_source(to)?;
                if from_party == &ta.party {
                    return Err(rej(R_PRE, "an acquisition comes from another party"));
                }
                if first == &0 || last < first || last - first >= MAX_QUANTITY {
                    return Err(rej("invariant 19 serial", "need 1 <= first <= last"));
                }
                let serial = super::serial::Serial {
                    registry: registry.clone(),
                    project: project.clone(),
                    vintage: *vintage,
                    first: *first,
                    last: *last,
                };
                super::serial::Serial::parse(&serial.to_string())
                    .map_err(|e| rej("invariant 19 serial", e.to_string()))?;
                let issuance_id = format!("IMPORT-{serial}");
                if st.issuance_ids.contains(&issuance_id) {
                    return Err(rej(
                        "invariant 1 conservation",
                        format!("{serial} was already acquired"),
                    ));
                }
                if let Some(a) = authorization {
                    self.authorization(a)?;
                }
                let block = self.new_id();
                ev.push(Event::Acquired {
                    issuance_id,
                    project: project.clone(),
                    registry: registry.clone(),
                    vintage: *vintage,
                    unit_type: *unit_type,
                    first: *first,
                    last: *last,
                    block,
                    account: to.clone(),
                    from_party: from_party.clone(),
                    class: Class::Itmo,
                    authorization: authorization.clone(),
                });
            }
            Command::RequestRetirement { .. }
            | Command::RequestItmoAuthorization { .. }
            | Command::ApproveRequest { .. }
            | Command::RejectRequest { .. }
            | Command::CancelRequest { .. }
            | Command::FileInitialReport { .. }
            | Command::RecordAuthorizedEntity { .. }
            | Command::RecordCa { .. }
            | Command::SubmitCa { .. }
            | Command::ApproveCa { .. }
            | Command::CloseReportingYear { .. }
            | Command::Annotate { .. } => self.plan_lifecycle(cmd, &mut ev)?,
        }
        Ok(ev)
    }

    fn gate_authorization(
        &self,
        auth: &Authorization,
        vintage: u16,
        qty: u64,
    ) -> Result<(), RegistryError> {
        let st = self.st.approaches.get(&auth.approach).map(|a| a.status);
        if st != Some(ApproachStatus::Active) {
            return Err(rej(
                R_AUTH,
                format!(
                    "cooperative approach {} is {:?}, not Active; authorizations need an Active approach",
                    auth.approach, st
                ),
            ));
        }
        if vintage < 2021 || vintage < auth.period_start || vintage > auth.period_end {
            return Err(rej(
                R_AUTH,
                format!(
                    "vintage {vintage} is outside the authorized timeframe {} - {} (and must be 2021 or later)",
                    auth.period_start, auth.period_end
                ),
            ));
        }
        if let Some(max) = auth.authorized_quantity
            && auth.authorized_total + qty > max
        {
            return Err(rej(
                R_AUTH,
                format!(
                    "authorization {}: {} already authorized + {} exceeds the authorized quantity {}",
                    auth.id,
                    Units(auth.authorized_total),
                    Units(qty),
                    Units(max)
                ),
            ));
        }
        Ok(())
    }

    /// §5.3: an ITMO is used towards an NDC only in the NDC period of its vintage (no
    /// carry-over); the period is the using Party's, see [`ndc_period_of`].
    fn gate_period(&self, fa: &Account, blk: &Block, use_year: u16) -> Result<(), RegistryError> {
        if blk.class != Class::Itmo {
            return Ok(());
        }
        match period_mismatch(self.st.parties.get(&fa.party), blk.vintage, use_year) {
            Some(why) => Err(rej(R_PERIOD, why)),
            None => Ok(()),
        }
    }

    /// First transfers are refused while the cooperative approach is Suspended or Revoked.
    fn gate_ft(&self, blk: &Block, from: &Account, to: &Account) -> Result<(), RegistryError> {
        if self.st.ft_on_move(blk, from, to).is_some()
            && let Some(auth) = self.st.block_auth(blk)
        {
            let status = self.st.approaches.get(&auth.approach).map(|a| a.status);
            if status != Some(ApproachStatus::Active) {
                return Err(rej(
                    R_GATE,
                    format!(
                        "first transfer refused: cooperative approach {} is {:?}",
                        auth.approach, status
                    ),
                ));
            }
        }
        Ok(())
    }
}

fn check_beneficiary(b: &Beneficiary) -> Result<(), RegistryError> {
    if b.name.trim().is_empty() || b.id.trim().is_empty() || b.country.trim().is_empty() {
        return Err(rej(
            R_PROOF,
            "beneficiary name, id and country are required",
        ));
    }
    let c = b.country.trim();
    if !(c.len() == 2 || c.len() == 3) || !c.bytes().all(|x| x.is_ascii_uppercase()) {
        let hint = if (c.len() == 2 || c.len() == 3) && c.bytes().all(|x| x.is_ascii_alphabetic()) {
            format!(" (write it in capitals: {})", c.to_ascii_uppercase())
        } else {
            String::new()
        };
        return Err(rej(
            R_PROOF,
            format!(
                "beneficiary country {c:?} is not an ISO 3166 code{hint}; use the alpha-3 code, e.g. CHE for Switzerland"
            ),
        ));
    }
    Ok(())
}

/// Balances of every account of `state` (sinks included), in account-id order.
pub fn balances(state: &State) -> Vec<AccountBalance> {
    let mut out: Vec<AccountBalance> = state
        .accounts
        .iter()
        .map(|a| {
            let mut bal = AccountBalance {
                id: a.id.clone(),
                owner: a.owner.clone(),
                party: a.party.clone(),
                kind: a.kind.as_str(),
                units: 0,
                by_vintage: BTreeMap::new(),
                by_class: BTreeMap::new(),
                reserved: 0,
            };
            for (_, _, _, id) in &a.blocks {
                if let Some(b) = state.block(*id) {
                    bal.units += b.count();
                    *bal.by_vintage.entry(b.vintage).or_default() += b.count();
                    *bal.by_class.entry(b.class.as_str()).or_default() += b.count();
                    if state.lc.reserved_by(*id).is_some() {
                        bal.reserved += b.count();
                    }
                }
            }
            bal
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::clock::ManualClock;
    use crate::registry::invariants::check_journal;
    use crate::registry::synth::{self, SynthConfig};

    fn clock() -> ManualClock {
        ManualClock::at_date(chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()).stepping(1)
    }

    fn grow(path: &Path, events: u64, seed: u64) -> u64 {
        let mut l = Ledger::open(path, clock()).unwrap();
        synth::run(&mut l, SynthConfig { events, seed }, |_| {}).unwrap();
        l.last_seq()
    }

    #[test]
    fn a_ledger_opened_while_another_process_appends_continues_after_its_events() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        grow(&path, 200, 1);
        // Replayed, then another process takes the lock first and appends.
        let (stale, read_len) = Ledger::load_measured(&path, Box::new(clock())).unwrap();
        let stale_seq = stale.last_seq();
        let theirs = grow(&path, 400, 2);
        assert!(theirs > stale_seq);
        let mut l = stale
            .attach_writer(&path, read_len, Durability::PerCommand)
            .unwrap();
        assert_eq!(l.last_seq(), theirs, "the replay must include their events");
        synth::run(
            &mut l,
            SynthConfig {
                events: 600,
                seed: 3,
            },
            |_| {},
        )
        .unwrap();
        let ours = l.last_seq();
        drop(l);
        let report = check_journal(&path).unwrap();
        assert_eq!(report.events, ours);
    }

    /// The state read without events is the state the ledger that wrote the journal folded
    /// command by command (same balances, same per-account index, kept incrementally there,
    /// built once at the end here), and it is verified just as strictly: a changed byte is
    /// refused.
    #[test]
    fn the_state_alone_is_the_writers_state_and_as_verified() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let mut full = Ledger::open(&path, clock()).unwrap();
        synth::run(
            &mut full,
            SynthConfig {
                events: 3_000,
                seed: 11,
            },
            |_| {},
        )
        .unwrap();
        let alone = Ledger::load_state(&path).unwrap();
        assert_eq!(balances(&alone), full.balances());
        assert!(full.balances().iter().any(|b| b.units > 0));
        assert_eq!(alone.last_seq, full.last_seq());
        for a in &full.state().accounts {
            assert_eq!(
                alone.account(&a.id).map(|x| &x.blocks),
                Some(&a.blocks),
                "{}",
                a.id
            );
        }
        let mut bytes = std::fs::read(&path).unwrap();
        let at = bytes.len() / 2;
        let at = at
            + bytes[at..]
                .iter()
                .position(|&b| b.is_ascii_digit())
                .unwrap();
        bytes[at] = if bytes[at] == b'7' { b'8' } else { b'7' };
        drop(full);
        std::fs::write(&path, &bytes).unwrap();
        assert!(Ledger::load(&path, clock()).is_err());
        assert!(Ledger::load_state(&path).is_err());
    }
}
