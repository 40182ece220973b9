//! The fold: ledger state as a pure function of the event log. One job: apply one event to the
//! state, refusing any event that would break a structural invariant (so a hand-edited but
//! re-hashed journal is still caught). Nothing here is persisted; it is rebuilt on load.
//!
//! Invariants kept here, next to the code that keeps them:
//! - 2 exact partition: `Split` children must tile the parent exactly; issuances continue
//!   the project's range (disjoint, increasing); issuance legs tile the issued range.
//! - 3 no double spend: a block moves only from the account that holds it, only when live and
//!   unfrozen.
//! - 4 sinks: a block in a terminal account never moves, splits or freezes again.
//! - 5 idempotency: a command id occurs in at most one batch.
//! - 10 first transfer once: set at most once per block, copied to split children.
//! - 11 authorization gating: MO → ITMO only under an Active cooperative approach, within the
//!   authorized quantity, vintage ≥ 2021 and inside the authorized timeframe; MOs never cross
//!   borders; first transfers only while the approach is Active.
//! - 13 issuance per verification ≤ verified quantity (estimations never create units).
//! - 21 monotonic log: `seq` gap-free (journal), `ts` non-decreasing.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::num::NonZeroU32;
use std::sync::Arc;

use chrono::NaiveDate;

use super::error::InvariantViolation;
use super::event::*;
use super::serial::Serial;
use super::short_eq::same;
use super::types::*;

mod commands;
mod ids;
mod lifecycle;
pub use commands::CommandTable;
pub use ids::IdTable;
pub(crate) use lifecycle::TP;
pub use lifecycle::*;

/// FxHash-style hasher for the in-memory indexes (ids are not attacker-chosen at replay
/// speed-critical lookups; SipHash showed up at ~5 % of replay time).
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ b as u64).wrapping_mul(K);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Hash map with [`FastHasher`].
pub type HashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// Values the fold keeps once and hands out shared (Party codes, projects, terminal kinds).
type SharedSet<T> = std::collections::HashSet<Arc<T>, BuildHasherDefault<FastHasher>>;

/// The shared copy of `v` in `set`, made by `make` on its first use. A free function, so that
/// the fold can share a value while it holds another part of the state.
fn shared<T: ?Sized + Hash + Eq>(
    set: &mut SharedSet<T>,
    v: &T,
    make: impl FnOnce(&T) -> Arc<T>,
) -> Arc<T> {
    if let Some(a) = set.get(v) {
        return a.clone();
    }
    let a = make(v);
    set.insert(a.clone());
    a
}

/// The shared copy of the string `s` in `interned` (see [`shared`]).
fn intern_in(interned: &mut SharedSet<str>, s: &str) -> Arc<str> {
    shared(interned, s, |s| Arc::from(s))
}

/// Selection key of a block inside an account: LOWEST_SERIAL_FIRST order.
pub type SelKey = (u16, Arc<str>, u64, BlockId);

#[derive(Debug, Clone)]
pub struct Party {
    pub code: String,
    pub registry_id: String,
    pub name: String,
    pub ndc_first_year: Option<u16>,
    pub ndc_last_year: Option<u16>,
}

/// The NDC period containing `year`, for `party` (article6-rules §5.3, §11 `ndc_period`).
///
/// The ledger knows a Party's NDC period only when `InitParty` recorded `ndc_first_year` and
/// `ndc_last_year`; that period is used when it contains the year. Otherwise the rules' default
/// periods apply: 2021–2030, then five-year periods 2031–2035, 2036–2040, …; years before 2021
/// belong to no Paris period and are grouped as 1990–2020.
pub fn ndc_period_of(party: Option<&Party>, year: u16) -> (u16, u16) {
    if let Some(p) = party
        && let (Some(first), Some(last)) = (p.ndc_first_year, p.ndc_last_year)
        && (first..=last).contains(&year)
    {
        return (first, last);
    }
    match year {
        ..=2020 => (1990, 2020),
        2021..=2030 => (2021, 2030),
        _ => {
            let start = 2031 + (year - 2031) / 5 * 5;
            (start, start + 4)
        }
    }
}

/// §5.3 period match for an ITMO of `vintage` used towards `party`'s NDC in `use_year`
/// (`period_match` is required, §11): `None` when both lie in the NDC period of the vintage
/// (and the vintage is at least 2021), else why not. Allocates only on a mismatch.
pub fn period_mismatch(party: Option<&Party>, vintage: u16, use_year: u16) -> Option<String> {
    let (first, last) = ndc_period_of(party, vintage);
    match crate::accounting::NdcPeriod::new(first.into(), last.into()) {
        Ok(p) => crate::accounting::check_period_match(&p, vintage.into(), use_year.into())
            .err()
            .map(|e| e.to_string()),
        Err(e) => Some(e.to_string()),
    }
}

#[derive(Debug, Clone)]
pub struct Organization {
    pub id: String,
    pub name: String,
    pub country: String,
    pub roles: Vec<Role>,
}

#[derive(Debug, Clone)]
pub struct Account {
    pub id: String,
    pub owner: String,
    pub party: String,
    pub kind: AccountKind,
    /// Live blocks held, in LOWEST_SERIAL_FIRST order.
    pub blocks: BTreeSet<SelKey>,
}

#[derive(Debug, Clone)]
pub struct Project {
    pub id: String,
    pub name: String,
    pub sector: String,
    pub mechanism: Mechanism,
    pub host: String,
    pub developer: String,
    pub methodology: String,
    pub unit_type: UnitType,
    pub covered_by_ndc: String,
    pub link: String,
    pub steps: Vec<(ActivityStep, NaiveDate)>,
    /// Last serial number issued for the project (0 before the first issuance).
    pub last_serial: u64,
}

impl Project {
    pub fn status(&self) -> ProjectStatus {
        self.steps
            .last()
            .map(|(s, _)| ProjectStatus::from_step(*s))
            .unwrap_or(ProjectStatus::Listed)
    }
}

#[derive(Debug, Clone)]
pub struct Validation {
    pub id: String,
    pub project: String,
    pub vvb: String,
    pub date: NaiveDate,
    pub crediting_start: u16,
    pub crediting_end: u16,
}

impl State {
    /// Invariant 14, crediting half: `None` when `project` has no validation on record (nothing
    /// to hold the vintage to) or `vintage` lies in the crediting period of one of its
    /// validations (a renewed crediting period is a second validation), else why not.
    /// Allocates only on a mismatch.
    pub fn outside_crediting(&self, project: &str, vintage: u16) -> Option<String> {
        if self.validations.is_empty() {
            return None;
        }
        let mut periods = self
            .validations
            .values()
            .filter(|v| v.project == project)
            .peekable();
        periods.peek()?;
        let mut seen = vec![];
        for v in periods {
            if (v.crediting_start..=v.crediting_end).contains(&vintage) {
                return None;
            }
            seen.push(format!(
                "{}–{} (validation {})",
                v.crediting_start, v.crediting_end, v.id
            ));
        }
        Some(format!(
            "vintage {vintage} is outside the crediting period of project {project}: {}",
            seen.join(", ")
        ))
    }
}

#[derive(Debug, Clone)]
pub struct Verification {
    pub id: String,
    pub project: String,
    pub vvb: String,
    pub date: NaiveDate,
    pub monitoring_start: u16,
    pub monitoring_end: u16,
    pub verified_quantity: u64,
    pub issued: u64,
}

#[derive(Debug, Clone)]
pub struct Estimation {
    pub project: String,
    pub year: u16,
    pub unit_count: u64,
}

#[derive(Debug, Clone)]
pub struct Label {
    pub project: String,
    pub label_type: String,
    pub name: String,
    pub link: String,
    pub date: NaiveDate,
}

#[derive(Debug, Clone)]
pub struct Approach {
    pub id: String,
    pub title: String,
    pub host: String,
    pub parties: Vec<String>,
    pub status: ApproachStatus,
}

#[derive(Debug, Clone)]
pub struct Authorization {
    pub id: String,
    pub version: u32,
    pub date: NaiveDate,
    pub approach: String,
    pub purpose: Purpose,
    pub acquiring_parties: Vec<String>,
    pub entities: Vec<String>,
    pub authorized_quantity: Option<u64>,
    pub period_start: u16,
    pub period_end: u16,
    pub first_transfer_definition: Option<FirstTransferDefinition>,
    /// Units authorized so far (Σ over Authorized events and ITMO-born issuances).
    pub authorized_total: u64,
}

#[derive(Debug, Clone)]
pub struct Issuance {
    pub project: Arc<str>,
    pub registry: Arc<str>,
    /// The host Party (or, for an acquisition, the acquiring Party): shared, as a journal
    /// names few Parties and issues hundreds of thousands of times.
    pub party: Arc<str>,
    pub vintage: u16,
    pub unit_type: UnitType,
    pub first: u64,
    pub last: u64,
    pub imported_from: Option<Arc<str>>,
    pub seq: u64,
    pub date: NaiveDate,
}

/// What triggered a first transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum FtTrigger {
    Authorization,
    Issuance,
    UseOrCancel,
    InternationalTransfer,
}

impl FtTrigger {
    /// AEF T3 subtype for a first-transfer row.
    pub fn aef_subtype(self) -> &'static str {
        match self {
            FtTrigger::Authorization => "Authorization",
            FtTrigger::Issuance => "Issuance",
            FtTrigger::UseOrCancel => "Use or cancellation",
            FtTrigger::InternationalTransfer => "First transfer to another Party",
        }
    }
}

/// Table 4 bucket of a first transfer (article6-rules §10 rows 7 and 8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum FtBucket {
    Ndc,
    Oimp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstTransfer {
    pub seq: u64,
    pub date: NaiveDate,
    pub trigger: FtTrigger,
    pub bucket: FtBucket,
    /// The first-transferring Party (shared, like [`Issuance::party`]).
    pub party: Arc<str>,
    pub acquiring_party: Option<String>,
}

/// Proof recorded when a block enters a terminal account (invariant 8).
#[derive(Debug, Clone)]
pub struct Terminal {
    pub seq: u64,
    pub date: NaiveDate,
    /// Why the block entered the sink. Shared by every proof of the same kind
    /// ([`State::intern_kind`]): a replay holds one record per distinct beneficiary or
    /// reason, not a copy of its strings per event.
    pub kind: Arc<MoveKind>,
}

/// A block's authorization: an index into [`State::authorizations`] in four bytes, with its
/// absence (`Option<u32>` takes eight, and a replay holds a block record per split child).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthIx(NonZeroU32);

impl AuthIx {
    /// The authorization at `ix` of the table. The table is indexed by `u32` and never holds
    /// `u32::MAX` records (the fold numbers them by `u32`), so `ix + 1` does not overflow.
    pub fn new(ix: u32) -> AuthIx {
        AuthIx(NonZeroU32::MIN.saturating_add(ix))
    }

    pub fn get(self) -> u32 {
        self.0.get() - 1
    }
}

/// A serial block: a range of units of one issuance. 64 bytes and aligned to a cache line,
/// as the fold reads blocks at random (a split's parent, a move's blocks) a million times.
#[derive(Debug, Clone)]
#[repr(align(64))]
pub struct Block {
    pub id: BlockId,
    /// Index of the issuance the block's units come from; its project (and registry) are
    /// the block's, read through [`State::block_project`] rather than copied into every
    /// block (one fat pointer less in each of a replay's million blocks).
    pub issuance: u32,
    pub vintage: u16,
    pub first: u64,
    pub last: u64,
    pub class: Class,
    pub authorization: Option<AuthIx>,
    pub account: u32,
    /// [`Block::LIVE`] and [`Block::FROZEN`]: two flags in one byte keep the block at 64
    /// bytes, one cache line (see [`Block::live`] and [`Block::frozen`]).
    flags: u8,
    pub created_seq: u64,
    pub first_transfer: Option<Arc<FirstTransfer>>,
    pub terminal: Option<Arc<Terminal>>,
}

impl Block {
    const LIVE: u8 = 1;
    const FROZEN: u8 = 2;

    /// Flags of a block just issued, acquired or split off: live, not frozen.
    const NEW: u8 = Block::LIVE;

    pub fn count(&self) -> u64 {
        self.last - self.first + 1
    }

    /// Whether the block holds units: false once it has been split (its children hold them).
    pub fn live(&self) -> bool {
        self.flags & Block::LIVE != 0
    }

    pub fn set_live(&mut self, live: bool) {
        self.set(Block::LIVE, live);
    }

    /// Whether the block is frozen (it cannot move until unfrozen).
    pub fn frozen(&self) -> bool {
        self.flags & Block::FROZEN != 0
    }

    pub fn set_frozen(&mut self, frozen: bool) {
        self.set(Block::FROZEN, frozen);
    }

    fn set(&mut self, flag: u8, on: bool) {
        if on {
            self.flags |= flag;
        } else {
            self.flags &= !flag;
        }
    }
}

/// Record of a committed (or rejected) command, for idempotent retries.
#[derive(Debug, Clone)]
pub struct CommandRecord {
    /// SHA-256 of the canonical command payload (raw bytes; hex in the journal).
    pub payload_hash: [u8; 32],
    pub batch_id: u64,
    pub first_seq: u64,
    pub last_seq: u64,
    /// `(rule, message)` of a refused command; boxed because most commands are not refused
    /// and this record is kept for every command of the journal (replay memory).
    pub rejected: Option<Box<(String, String)>>,
}

/// One AEF T3-relevant action, recorded during the fold when `record_actions` is on.
#[derive(Debug, Clone)]
pub struct ActionRecord {
    pub seq: u64,
    pub date: NaiveDate,
    pub action_type: &'static str,
    pub subtype: &'static str,
    pub block: BlockId,
    pub first: u64,
    pub last: u64,
    pub party: String,
    pub acquiring_party: Option<String>,
    pub transferring_party: Option<String>,
    pub purpose: Option<Purpose>,
    pub entity: Option<String>,
    pub use_year: Option<u16>,
}

/// The folded state.
#[derive(Debug, Default, Clone)]
pub struct State {
    pub parties: BTreeMap<String, Party>,
    pub orgs: BTreeMap<String, Organization>,
    pub accounts: Vec<Account>,
    pub account_ix: HashMap<String, u32>,
    pub projects: BTreeMap<String, Project>,
    pub validations: BTreeMap<String, Validation>,
    pub verifications: BTreeMap<String, Verification>,
    pub estimations: Vec<Estimation>,
    pub labels: Vec<Label>,
    pub approaches: BTreeMap<String, Approach>,
    pub authorizations: Vec<Authorization>,
    pub auth_ix: HashMap<String, u32>,
    pub issuances: Vec<Issuance>,
    /// The issuance ids, numbered as `issuances` (invariant 1: an id is never reused). An
    /// issuance's id is kept here only (see [`State::issuance_id`]).
    pub issuance_ids: IdTable,
    /// Every block ever created, indexed by `id - 1`.
    pub blocks: Vec<Block>,
    pub commands: CommandTable,
    pub last_seq: u64,
    pub last_hash: String,
    pub last_ts: String,
    /// The date of `last_ts` (`Envelope::date`), kept for the next event: most events share
    /// their day with the one before, and a date reads only the first ten bytes of `ts`.
    last_date: NaiveDate,
    pub last_batch: u64,
    /// `(batch id, first seq)` of the batch being folded; its command id is `open_command`.
    pub open_batch: Option<(u64, u64)>,
    open_command: String,
    /// The command table slot reserved for `open_command` when its batch opened.
    open_claim: Option<commands::Claim>,
    pub record_actions: bool,
    pub actions: Vec<ActionRecord>,
    interned: SharedSet<str>,
    /// The distinct kinds of the terminal proofs (see [`Terminal::kind`]).
    terminal_kinds: SharedSet<MoveKind>,
    /// The distinct requesters and resolvers, and beneficiaries, of two-phase requests.
    actors: SharedSet<Actor>,
    beneficiaries: SharedSet<Beneficiary>,
    /// When set, the fold does not keep [`Account::blocks`] (see [`State::without_account_index`]).
    unindexed: bool,
    /// Two-phase requests, approach lifecycle, CA records, markers (see [`lifecycle`]).
    pub lc: Lifecycle,
}

fn v(
    invariant: u8,
    name: &'static str,
    seq: u64,
    block: Option<BlockId>,
    msg: String,
) -> InvariantViolation {
    InvariantViolation {
        invariant,
        name,
        seq,
        block,
        message: msg,
    }
}

/// Invariant 1: an issuance id names one issuance (a second issuance under the same id would
/// be counted twice in conservation).
fn reused(seq: u64, issuance_id: &str) -> InvariantViolation {
    v(
        1,
        "conservation",
        seq,
        None,
        format!("issuance id {issuance_id} reused"),
    )
}

impl State {
    pub fn new() -> State {
        State {
            last_hash: GENESIS_HASH.to_string(),
            ..State::default()
        }
    }

    /// A state whose fold does not maintain the per-account block index ([`Account::blocks`]).
    ///
    /// The index is a lookup structure for the planner and queries (LOWEST_SERIAL_FIRST
    /// selection, balances), derived from `Block::account`, which is what the fold's rules
    /// read and keep. A replay that only verifies (`check_journal`) or that builds the index
    /// once at the end ([`State::build_account_index`], `Ledger::load`) skips the ordered
    /// inserts and removals of every move and split: about a third of replay time.
    pub fn without_account_index() -> State {
        State {
            unindexed: true,
            ..State::new()
        }
    }

    /// A state for replaying a journal from a file: no per-account index (as
    /// [`State::without_account_index`]) and deferred id tables (see [`IdTable::deferred`]):
    /// the fold does not look command ids or issuance ids up, and [`State::index_deferred`]
    /// checks that none comes back (invariants 5 and 1) for the whole replay at the end. A
    /// replay that stops at an error calls it first: a repeat seen before that point is the
    /// earlier violation.
    pub fn for_replay() -> State {
        State {
            commands: CommandTable::deferred(),
            issuance_ids: IdTable::deferred(),
            ..State::without_account_index()
        }
    }

    /// [`State::for_replay`] for a check that throws the state away: the command table keeps
    /// ids and first seqs, not the records a retry is answered from
    /// ([`CommandTable::ids_only`]). Nothing verified depends on those records. Both id
    /// tables are then only checked for repeats ([`IdTable::check_unique`]), without lookup
    /// slots: a lookup afterwards reads the ids one by one.
    pub fn for_check() -> State {
        State {
            commands: CommandTable::ids_only(),
            ..State::for_replay()
        }
    }

    /// Index the deferred id tables (command ids, issuance ids) and report the earliest id
    /// that came back, as the eager fold would have: a command id at the first event of its
    /// second batch (counting the batch still open), an issuance id at its second issuance.
    /// When both come back at the same event, the command id is reported, as `apply` checks
    /// it first. A no-op for a state whose tables were never deferred. `scratch` is memory
    /// to work in, its contents overwritten (see [`IdTable::check_unique`]).
    pub fn index_deferred(&mut self, scratch: &mut Vec<u64>) -> Result<(), InvariantViolation> {
        let command = self.index_commands(scratch).map(|(id, seq)| {
            v(
                5,
                "idempotency",
                seq,
                None,
                format!("command id {id:?} appears in two batches"),
            )
        });
        // An issuance id numbered by an event that then failed has no issuance yet: that
        // event is the one after the last applied.
        // A check's state (`for_check`: its command table keeps no records) is thrown away,
        // so its issuance ids need the verdict only, not lookup slots.
        let issuances = if self.commands.keeps_records() {
            self.issuance_ids.index()
        } else {
            self.issuance_ids.check_unique(scratch)
        };
        let issuance = issuances.err().map(|ix| {
            let seq = self.issuances.get(ix).map_or(self.last_seq + 1, |i| i.seq);
            reused(seq, self.issuance_ids.id(ix))
        });
        match (command, issuance) {
            (Some(c), Some(i)) if i.seq < c.seq => Err(i),
            (Some(e), _) | (None, Some(e)) => Err(e),
            (None, None) => Ok(()),
        }
    }

    /// Index a deferred command table: `(id, seq)` of the first command id that appears in
    /// two batches.
    fn index_commands(&mut self, scratch: &mut Vec<u64>) -> Option<(String, u64)> {
        if !self.commands.is_deferred() {
            return None;
        }
        let dup = match self.commands.index(scratch) {
            Ok(()) => None,
            Err(ix) => self
                .commands
                .first_seq(ix)
                .map(|(id, seq)| (id.to_string(), seq)),
        };
        let open = self
            .open_batch
            .filter(|_| self.commands.contains_key(&self.open_command))
            .map(|(_, first_seq)| (self.open_command.clone(), first_seq));
        dup.or(open)
    }

    /// Whether [`Account::blocks`] is maintained (false for [`State::without_account_index`]
    /// until [`State::build_account_index`]).
    pub fn has_account_index(&self) -> bool {
        !self.unindexed
    }

    /// Build every account's block index from the blocks (one sort per account) and keep it
    /// from now on.
    pub fn build_account_index(&mut self) {
        let mut keys: Vec<Vec<SelKey>> = vec![Vec::new(); self.accounts.len()];
        for b in self.blocks.iter().filter(|b| b.live()) {
            if let Some(k) = keys.get_mut(b.account as usize) {
                k.push(self.block_key(b));
            }
        }
        for (acc, k) in self.accounts.iter_mut().zip(keys) {
            acc.blocks = k.into_iter().collect();
        }
        self.unindexed = false;
    }

    /// The project of `b`: its issuance's.
    pub fn block_project(&self, b: &Block) -> &str {
        &self.issuances[b.issuance as usize].project
    }

    /// The selection key of `b` in its account (LOWEST_SERIAL_FIRST).
    pub fn block_key(&self, b: &Block) -> SelKey {
        let project = self.issuances[b.issuance as usize].project.clone();
        (b.vintage, project, b.first, b.id)
    }

    /// Index `b` (not yet in the table, or a copy of a table block) in `account`.
    fn index_insert(&mut self, account: u32, b: &Block) {
        if !self.unindexed {
            let key = self.block_key(b);
            self.accounts[account as usize].blocks.insert(key);
        }
    }

    fn index_remove(&mut self, account: u32, b: &Block) {
        if !self.unindexed {
            let key = self.block_key(b);
            self.accounts[account as usize].blocks.remove(&key);
        }
    }

    pub fn intern(&mut self, s: &str) -> Arc<str> {
        intern_in(&mut self.interned, s)
    }

    /// The shared copy of `kind` for a terminal proof (made on its first use).
    fn intern_kind(&mut self, kind: &MoveKind) -> Arc<MoveKind> {
        shared(&mut self.terminal_kinds, kind, |k| Arc::new(k.clone()))
    }

    /// The shared copy of `actor` for a request's requester or resolver.
    fn intern_actor(&mut self, actor: &Actor) -> Arc<Actor> {
        shared(&mut self.actors, actor, |a| Arc::new(a.clone()))
    }

    /// The shared copy of `beneficiary` for a retirement request.
    fn intern_beneficiary(&mut self, beneficiary: &Beneficiary) -> Arc<Beneficiary> {
        shared(&mut self.beneficiaries, beneficiary, |b| {
            Arc::new(b.clone())
        })
    }

    /// The id of issuance number `ix` (of [`State::issuances`]), or "" for a number past the
    /// table's end.
    pub fn issuance_id(&self, ix: usize) -> &str {
        if ix < self.issuance_ids.len() {
            self.issuance_ids.id(ix)
        } else {
            ""
        }
    }

    pub fn account(&self, id: &str) -> Option<&Account> {
        self.account_ix.get(id).map(|&i| &self.accounts[i as usize])
    }
    pub fn authorization(&self, id: &str) -> Option<&Authorization> {
        self.auth_ix
            .get(id)
            .map(|&i| &self.authorizations[i as usize])
    }
    /// The authorization a transfer from `account` to `acquiring_party` should draw on: that of
    /// the first block, in LOWEST_SERIAL_FIRST order, that matches `filter` (vintage, project,
    /// class), is live, unfrozen and not reserved, and may go to that Party (already
    /// first-transferred, or authorized for it or for any Party). `None` when no block may.
    /// For forms that name a Party but not an authorization: the plain selection rule would
    /// take the account's first block even when it is authorized for another Party only.
    pub fn authorization_for_party(
        &self,
        account: &str,
        acquiring_party: &str,
        filter: &super::types::Filter,
    ) -> Option<&Authorization> {
        let acc = self.account(account)?;
        acc.blocks.iter().find_map(|(vintage, project, _, id)| {
            if filter.vintage.is_some_and(|v| v != *vintage)
                || filter.project.as_deref().is_some_and(|p| p != &**project)
            {
                return None;
            }
            let b = self.block(*id)?;
            if !b.live()
                || b.frozen()
                || self.lc.reserved_by(*id).is_some()
                || filter.class.is_some_and(|c| c != b.class)
            {
                return None;
            }
            let auth = self.block_auth(b)?;
            (b.first_transfer.is_some()
                || auth.acquiring_parties.is_empty()
                || auth.acquiring_parties.iter().any(|p| p == acquiring_party))
            .then_some(auth)
        })
    }
    pub fn block(&self, id: BlockId) -> Option<&Block> {
        if id == 0 {
            return None;
        }
        self.blocks.get((id - 1) as usize)
    }
    pub fn next_block_id(&self) -> BlockId {
        self.blocks.len() as u64 + 1
    }
    pub fn block_auth(&self, b: &Block) -> Option<&Authorization> {
        b.authorization
            .map(|i| &self.authorizations[i.get() as usize])
    }
    pub fn block_serial(&self, b: &Block) -> Serial {
        let iss = &self.issuances[b.issuance as usize];
        Serial {
            registry: iss.registry.to_string(),
            project: iss.project.to_string(),
            vintage: b.vintage,
            first: b.first,
            last: b.last,
        }
    }
    /// [`State::block_serial`] borrowed from the block and its issuance (no allocation).
    pub fn block_serial_ref<'a>(&'a self, b: &'a Block) -> crate::registry::serial::SerialRef<'a> {
        crate::registry::serial::SerialRef {
            registry: &self.issuances[b.issuance as usize].registry,
            project: self.block_project(b),
            vintage: b.vintage,
            first: b.first,
            last: b.last,
        }
    }
    pub fn block_party(&self, b: &Block) -> &str {
        &self.accounts[b.account as usize].party
    }

    /// Would moving `b` from `from` to `to` (with `kind`) first-transfer it? Pure; used by the
    /// planner (to refuse under a suspended approach) and by the fold (to mark).
    /// Rules (article6-rules §4): NDC purposes → first international transfer; OIMP purposes →
    /// the authorization's definition; "NDC and OIMP" → the earlier of the two.
    pub fn ft_on_move(
        &self,
        b: &Block,
        from: &Account,
        to: &Account,
    ) -> Option<(FtTrigger, FtBucket)> {
        if b.class != Class::Itmo || b.first_transfer.is_some() {
            return None;
        }
        let auth = self.block_auth(b)?;
        let international = is_international(from, to);
        if international
            && (auth.purpose.includes_ndc()
                || auth.first_transfer_definition
                    == Some(FirstTransferDefinition::FirstInternationalTransfer))
        {
            let bucket = if auth.purpose.includes_ndc() {
                FtBucket::Ndc
            } else {
                FtBucket::Oimp
            };
            return Some((FtTrigger::InternationalTransfer, bucket));
        }
        if auth.purpose.includes_oimp()
            && auth.first_transfer_definition == Some(FirstTransferDefinition::UseOrCancel)
            && matches!(
                to.kind,
                AccountKind::RetirementOimp
                    | AccountKind::RetirementNdc
                    | AccountKind::VoluntaryCancellation
                    | AccountKind::OmgeCancellation
                    | AccountKind::OtherCancellation
            )
        {
            return Some((FtTrigger::UseOrCancel, FtBucket::Oimp));
        }
        None
    }

    /// First transfer at authorization or issuance for OIMP purposes whose definition says so.
    /// When units are authorized after issuance, the event date is the later of the two
    /// (article6-rules §4 default), i.e. the authorization event.
    pub fn ft_on_authorize(auth: &Authorization) -> Option<(FtTrigger, FtBucket)> {
        if !auth.purpose.includes_oimp() {
            return None;
        }
        match auth.first_transfer_definition {
            Some(FirstTransferDefinition::Authorization) => {
                Some((FtTrigger::Authorization, FtBucket::Oimp))
            }
            Some(FirstTransferDefinition::Issuance) => Some((FtTrigger::Issuance, FtBucket::Oimp)),
            _ => None,
        }
    }

    /// Apply one event (invariant checks inline). On error the state may be partially updated
    /// for this event; callers treat that as fatal (replay stops, a live ledger is poisoned).
    pub fn apply(&mut self, env: &Envelope) -> Result<(), InvariantViolation> {
        let seq = env.seq;
        if seq != self.last_seq + 1 {
            return Err(v(
                21,
                "monotonic log",
                seq,
                None,
                format!("expected seq {}, found {seq}", self.last_seq + 1),
            ));
        }
        // Most events share their timestamp with the one before: equal is settled inline.
        let same_ts = same(env.ts.as_bytes(), self.last_ts.as_bytes());
        if !same_ts && env.ts < self.last_ts {
            return Err(v(
                21,
                "monotonic log",
                seq,
                None,
                format!("ts {} is before {}", env.ts, self.last_ts),
            ));
        }
        // Batches: contiguous, one command id per batch, each command id in one batch only.
        match &self.open_batch {
            Some((bid, _)) => {
                if *bid != env.batch_id
                    || !same(self.open_command.as_bytes(), env.command_id.as_bytes())
                {
                    return Err(v(
                        6,
                        "atomicity",
                        seq,
                        None,
                        format!("batch {bid} was not closed before batch {}", env.batch_id),
                    ));
                }
            }
            None => {
                if env.batch_id <= self.last_batch {
                    return Err(v(
                        6,
                        "atomicity",
                        seq,
                        None,
                        format!("batch id {} not increasing", env.batch_id),
                    ));
                }
                let claim = self.commands.claim(&env.command_id).map_err(|_| {
                    v(
                        5,
                        "idempotency",
                        seq,
                        None,
                        format!("command id {:?} appears in two batches", env.command_id),
                    )
                })?;
                self.open_claim = Some(claim);
                self.open_batch = Some((env.batch_id, seq));
                self.open_command.clone_from(&env.command_id);
            }
        }
        let same_day = env.ts.len() >= 10
            && (same_ts
                || (env.ts.as_bytes().get(..10))
                    .zip(self.last_ts.as_bytes().get(..10))
                    .is_some_and(|(a, b)| same(a, b)));
        let date = if same_day { self.last_date } else { env.date() };
        if env.event.is_lifecycle() {
            self.apply_lifecycle(seq, date, env)?;
        } else {
            self.apply_event(seq, date, &env.event)?;
            self.note_beneficiary(seq, &env.event);
        }
        if env.batch_end {
            let first_seq = self.open_batch.as_ref().map(|b| b.1).unwrap_or(seq);
            let claim = self.open_claim.take();
            if self.commands.keeps_records() {
                let rejected = match &env.event {
                    Event::CommandRejected { rule, message } => {
                        Some(Box::new((rule.clone(), message.clone())))
                    }
                    _ => None,
                };
                let record = CommandRecord {
                    payload_hash: decode_hash(&env.payload_hash),
                    batch_id: env.batch_id,
                    first_seq,
                    last_seq: seq,
                    rejected,
                };
                match claim {
                    Some(claim) => self.commands.fill(claim, &env.command_id, record),
                    None => self.commands.insert(&env.command_id, record),
                }
            } else {
                // A check keeps the id and first seq only (`CommandTable::ids_only`).
                self.commands.insert_id(claim, &env.command_id, first_seq);
            }
            self.open_batch = None;
            self.last_batch = env.batch_id;
        }
        self.last_seq = seq;
        if !same_ts {
            self.last_ts.clone_from(&env.ts);
        }
        self.last_date = date;
        self.last_hash.clone_from(&env.hash);
        Ok(())
    }

    /// Add the split child `c`: `b` is a copy of its parent, given the child's id and range
    /// and the split's seq. Invariant 10: children inherit first_transferred (and every other
    /// attribute). (Which block a child was split from is the split event's to tell; the
    /// explorer reads it there.)
    fn push_child(&mut self, seq: u64, c: &Piece, mut b: Block) -> Result<(), InvariantViolation> {
        if c.block != self.next_block_id() {
            return Err(v(
                2,
                "exact partition",
                seq,
                Some(c.block),
                "unexpected block id".into(),
            ));
        }
        b.id = c.block;
        b.first = c.first;
        b.last = c.last;
        b.created_seq = seq;
        self.index_insert(b.account, &b);
        self.blocks.push(b);
        Ok(())
    }

    fn acct(&self, seq: u64, id: &str) -> Result<u32, InvariantViolation> {
        self.account_ix.get(id).copied().ok_or_else(|| {
            v(
                3,
                "no double spend",
                seq,
                None,
                format!("unknown account {id}"),
            )
        })
    }

    fn live_block(&self, seq: u64, id: BlockId) -> Result<&Block, InvariantViolation> {
        match self.block(id) {
            Some(b) if b.live() => Ok(b),
            Some(_) => Err(v(
                3,
                "no double spend",
                seq,
                Some(id),
                "block is no longer live (split or unknown)".into(),
            )),
            None => Err(v(
                2,
                "exact partition",
                seq,
                Some(id),
                "unknown block".into(),
            )),
        }
    }

    fn set_ft(&mut self, id: BlockId, ft: Arc<FirstTransfer>) -> Result<(), InvariantViolation> {
        let seq = ft.seq;
        let b = &self.blocks[(id - 1) as usize];
        if b.first_transfer.is_some() {
            return Err(v(
                10,
                "first transfer once",
                seq,
                Some(id),
                "block already first-transferred".into(),
            ));
        }
        if let Some(auth) = self.block_auth(b) {
            let st = self.approaches.get(&auth.approach).map(|a| a.status);
            if st != Some(ApproachStatus::Active) {
                return Err(v(
                    11,
                    "authorization gating",
                    seq,
                    Some(id),
                    format!(
                        "first transfer while cooperative approach {} is {:?}",
                        auth.approach, st
                    ),
                ));
            }
        }
        if self.record_actions {
            let b = &self.blocks[(id - 1) as usize];
            self.actions.push(ActionRecord {
                seq,
                date: ft.date,
                action_type: "First transfer",
                subtype: ft.trigger.aef_subtype(),
                block: id,
                first: b.first,
                last: b.last,
                party: ft.party.to_string(),
                acquiring_party: ft.acquiring_party.clone(),
                transferring_party: None,
                purpose: self.block_auth(b).map(|a| a.purpose),
                entity: None,
                use_year: None,
            });
        }
        self.blocks[(id - 1) as usize].first_transfer = Some(ft);
        Ok(())
    }

    /// Record an AEF action row when actions are recorded. The row is built only then (a plain
    /// replay would otherwise build and drop one, with the Party strings it copies, per row).
    fn record(&mut self, row: impl FnOnce(&State) -> ActionRecord) {
        if self.record_actions {
            let a = row(self);
            self.actions.push(a);
        }
    }

    fn apply_event(
        &mut self,
        seq: u64,
        ts_date: NaiveDate,
        ev: &Event,
    ) -> Result<(), InvariantViolation> {
        match ev {
            Event::PartyRegistered {
                code,
                registry_id,
                name,
                ndc_first_year,
                ndc_last_year,
            } => {
                if self.parties.contains_key(code) {
                    return Err(v(
                        9,
                        "derived status",
                        seq,
                        None,
                        format!("party {code} registered twice"),
                    ));
                }
                self.parties.insert(
                    code.clone(),
                    Party {
                        code: code.clone(),
                        registry_id: registry_id.clone(),
                        name: name.clone(),
                        ndc_first_year: *ndc_first_year,
                        ndc_last_year: *ndc_last_year,
                    },
                );
            }
            Event::OrganizationRegistered {
                id,
                name,
                country,
                roles,
            } => {
                self.orgs.insert(
                    id.clone(),
                    Organization {
                        id: id.clone(),
                        name: name.clone(),
                        country: country.clone(),
                        roles: roles.clone(),
                    },
                );
            }
            Event::AccountOpened {
                id,
                owner,
                party,
                kind,
            } => {
                if self.account_ix.contains_key(id) {
                    return Err(v(
                        3,
                        "no double spend",
                        seq,
                        None,
                        format!("account {id} opened twice"),
                    ));
                }
                self.account_ix
                    .insert(id.clone(), self.accounts.len() as u32);
                self.accounts.push(Account {
                    id: id.clone(),
                    owner: owner.clone(),
                    party: party.clone(),
                    kind: *kind,
                    blocks: BTreeSet::new(),
                });
            }
            Event::ProjectRegistered {
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
            } => {
                if self.projects.contains_key(id) {
                    return Err(v(
                        2,
                        "exact partition",
                        seq,
                        None,
                        format!("project {id} registered twice"),
                    ));
                }
                self.projects.insert(
                    id.clone(),
                    Project {
                        id: id.clone(),
                        name: name.clone(),
                        sector: sector.clone(),
                        mechanism: *mechanism,
                        host: host.clone(),
                        developer: developer.clone(),
                        methodology: methodology.clone(),
                        unit_type: *unit_type,
                        covered_by_ndc: covered_by_ndc.clone(),
                        link: link.clone(),
                        steps: Vec::new(),
                        last_serial: 0,
                    },
                );
            }
            Event::ProjectStepRecorded {
                project,
                step,
                date,
            } => {
                let p = self.projects.get_mut(project).ok_or_else(|| {
                    v(
                        9,
                        "derived status",
                        seq,
                        None,
                        format!("unknown project {project}"),
                    )
                })?;
                p.steps.push((*step, *date));
            }
            Event::ValidationRecorded {
                id,
                project,
                vvb,
                date,
                crediting_start,
                crediting_end,
            } => {
                self.validations.insert(
                    id.clone(),
                    Validation {
                        id: id.clone(),
                        project: project.clone(),
                        vvb: vvb.clone(),
                        date: *date,
                        crediting_start: *crediting_start,
                        crediting_end: *crediting_end,
                    },
                );
            }
            Event::VerificationRecorded {
                id,
                project,
                vvb,
                date,
                monitoring_start,
                monitoring_end,
                verified_quantity,
            } => {
                self.verifications.insert(
                    id.clone(),
                    Verification {
                        id: id.clone(),
                        project: project.clone(),
                        vvb: vvb.clone(),
                        date: *date,
                        monitoring_start: *monitoring_start,
                        monitoring_end: *monitoring_end,
                        verified_quantity: *verified_quantity,
                        issued: 0,
                    },
                );
            }
            Event::EstimationAdded {
                project,
                year,
                unit_count,
            } => {
                // Invariant 13: estimations are forecasts; they never create units.
                self.estimations.push(Estimation {
                    project: project.clone(),
                    year: *year,
                    unit_count: *unit_count,
                });
            }
            Event::LabelAttached {
                project,
                label_type,
                name,
                link,
                date,
            } => {
                self.labels.push(Label {
                    project: project.clone(),
                    label_type: label_type.clone(),
                    name: name.clone(),
                    link: link.clone(),
                    date: *date,
                });
            }
            Event::ApproachRecorded {
                id,
                title,
                host,
                parties,
            } => {
                self.approaches.insert(
                    id.clone(),
                    Approach {
                        id: id.clone(),
                        title: title.clone(),
                        host: host.clone(),
                        parties: parties.clone(),
                        status: ApproachStatus::Draft,
                    },
                );
            }
            Event::ApproachStatusSet { id, status } => {
                let a = self.approaches.get_mut(id).ok_or_else(|| {
                    v(
                        11,
                        "authorization gating",
                        seq,
                        None,
                        format!("unknown cooperative approach {id}"),
                    )
                })?;
                if !a.status.can_move_to(*status) {
                    return Err(v(
                        11,
                        "authorization gating",
                        seq,
                        None,
                        format!("approach {id}: {:?} → {:?} not allowed", a.status, status),
                    ));
                }
                a.status = *status;
            }
            Event::AuthorizationRecorded {
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
                if purpose.includes_oimp() && first_transfer_definition.is_none() {
                    return Err(v(
                        11,
                        "authorization gating",
                        seq,
                        None,
                        format!(
                            "authorization {id}: OIMP purpose needs a first-transfer definition"
                        ),
                    ));
                }
                let prev_total = self
                    .authorization(id)
                    .map(|a| a.authorized_total)
                    .unwrap_or(0);
                let rec = Authorization {
                    id: id.clone(),
                    version: *version,
                    date: *date,
                    approach: approach.clone(),
                    purpose: *purpose,
                    acquiring_parties: acquiring_parties.clone(),
                    entities: entities.clone(),
                    authorized_quantity: *authorized_quantity,
                    period_start: *period_start,
                    period_end: *period_end,
                    first_transfer_definition: *first_transfer_definition,
                    authorized_total: prev_total,
                };
                if let Some(&i) = self.auth_ix.get(id) {
                    let old = &self.authorizations[i as usize];
                    if old.purpose != *purpose {
                        return Err(v(
                            11,
                            "authorization gating",
                            seq,
                            None,
                            format!("authorization {id}: purpose is immutable"),
                        ));
                    }
                    self.authorizations[i as usize] = rec;
                } else {
                    self.auth_ix
                        .insert(id.clone(), self.authorizations.len() as u32);
                    self.authorizations.push(rec);
                }
            }
            Event::Issued {
                issuance_id,
                project,
                registry,
                vintage,
                unit_type,
                verification,
                first,
                last,
                class,
                authorization,
                date,
                legs,
            } => {
                let p = self.projects.get(project).ok_or_else(|| {
                    v(
                        1,
                        "conservation",
                        seq,
                        None,
                        format!("issuance for unknown project {project}"),
                    )
                })?;
                if *first != p.last_serial + 1 || last < first {
                    return Err(v(
                        2,
                        "exact partition",
                        seq,
                        None,
                        format!(
                            "issuance {issuance_id} range {first}-{last} does not continue project {project} after {}",
                            p.last_serial
                        ),
                    ));
                }
                if !(1000..=9999).contains(vintage) {
                    return Err(v(
                        14,
                        "vintage",
                        seq,
                        None,
                        format!("vintage {vintage} is not four digits"),
                    ));
                }
                // The id is numbered here, where a reuse is refused (a deferred table finds
                // reuses at the end, see `index_deferred`); the issuance that takes the number
                // is pushed below, or the event fails and the replay stops.
                self.issuance_ids
                    .add(issuance_id)
                    .map_err(|_| reused(seq, issuance_id))?;
                let host = intern_in(&mut self.interned, &p.host);
                let qty = last - first + 1;
                if let Some(vid) = verification {
                    let ver = self.verifications.get_mut(vid).ok_or_else(|| {
                        v(
                            13,
                            "estimation ≠ issuance",
                            seq,
                            None,
                            format!("unknown verification {vid}"),
                        )
                    })?;
                    if ver.issued + qty > ver.verified_quantity {
                        return Err(v(
                            13,
                            "estimation ≠ issuance",
                            seq,
                            None,
                            format!(
                                "verification {vid}: issuing {qty} exceeds verified {} (already issued {})",
                                ver.verified_quantity, ver.issued
                            ),
                        ));
                    }
                    ver.issued += qty;
                }
                // Legs tile the range exactly, in order.
                let mut next = *first;
                for l in legs {
                    if l.first != next || l.last < l.first {
                        return Err(v(
                            2,
                            "exact partition",
                            seq,
                            Some(l.block),
                            "issuance legs do not tile the range".into(),
                        ));
                    }
                    next = l.last + 1;
                }
                if next != last + 1 {
                    return Err(v(
                        2,
                        "exact partition",
                        seq,
                        None,
                        "issuance legs do not cover the range".into(),
                    ));
                }
                let auth_ix = match authorization {
                    Some(a) => Some(*self.auth_ix.get(a).ok_or_else(|| {
                        v(
                            11,
                            "authorization gating",
                            seq,
                            None,
                            format!("unknown authorization {a}"),
                        )
                    })?),
                    None => None,
                };
                if (*class == Class::Itmo) != auth_ix.is_some() {
                    return Err(v(
                        11,
                        "authorization gating",
                        seq,
                        None,
                        "ITMO-born issuance needs its authorization".into(),
                    ));
                }
                let eff_date = date.unwrap_or(ts_date);
                let proj = self.intern(project);
                let reg = self.intern(registry);
                let iss_ix = self.issuances.len() as u32;
                self.issuances.push(Issuance {
                    project: proj.clone(),
                    registry: reg,
                    party: host.clone(),
                    vintage: *vintage,
                    unit_type: *unit_type,
                    first: *first,
                    last: *last,
                    imported_from: None,
                    seq,
                    date: eff_date,
                });
                if let Some(p) = self.projects.get_mut(project) {
                    p.last_serial = *last;
                }
                if let Some(ai) = auth_ix {
                    // The host's retained share is not authorized (article6-rules §9, R3.4).
                    let retained: u64 = legs
                        .iter()
                        .filter(|l| l.leg == LegKind::Retention)
                        .map(|l| l.last - l.first + 1)
                        .sum();
                    self.check_authorize_gate(seq, ai, *vintage, qty - retained, None)?;
                    self.authorizations[ai as usize].authorized_total += qty - retained;
                }
                for l in legs {
                    let acc = self.acct(seq, &l.account)?;
                    // A retention leg is born MO whatever the issuance's class: it stays in the
                    // host balance, unauthorized, never first-transferred (§9, R3.4).
                    let (class, auth_ix) = if l.leg == LegKind::Retention {
                        (Class::Mo, None)
                    } else {
                        (*class, auth_ix)
                    };
                    if l.block != self.next_block_id() {
                        return Err(v(
                            2,
                            "exact partition",
                            seq,
                            Some(l.block),
                            format!("expected new block id {}", self.next_block_id()),
                        ));
                    }
                    let b = Block {
                        id: l.block,
                        issuance: iss_ix,
                        vintage: *vintage,
                        first: l.first,
                        last: l.last,
                        class,
                        authorization: auth_ix.map(AuthIx::new),
                        account: acc,
                        flags: Block::NEW,
                        created_seq: seq,
                        first_transfer: None,
                        terminal: None,
                    };
                    self.index_insert(acc, &b);
                    self.blocks.push(b);
                    let kind = self.accounts[acc as usize].kind;
                    if kind.is_terminal() {
                        let mk = match l.leg {
                            LegKind::Omge => MoveKind::Cancel {
                                subtype: CancelSubtype::Omge,
                                reason: "OMGE cancellation at issuance".into(),
                            },
                            LegKind::Sop => MoveKind::Transfer {
                                acquiring_party: None,
                            },
                            _ => MoveKind::Cancel {
                                subtype: CancelSubtype::Other,
                                reason: format!("{:?} leg at issuance", l.leg),
                            },
                        };
                        let kind = self.intern_kind(&mk);
                        self.blocks[(l.block - 1) as usize].terminal = Some(Arc::new(Terminal {
                            seq,
                            date: eff_date,
                            kind,
                        }));
                    }
                    if let Some(ai) = auth_ix {
                        let auth = &self.authorizations[ai as usize];
                        let party = host.clone();
                        // CA basis AfterSOP (article6-rules §7): only the holder and OMGE legs
                        // (I − SOP) can be first-transferred at issuance. The SOP leg goes to
                        // the Adaptation Fund outside the host's CA, a buffer leg is held back
                        // and a retained share never enters CA (R3.4), whatever the OIMP
                        // definition says.
                        let ca_leg = matches!(l.leg, LegKind::Holding | LegKind::Omge);
                        let mut ft = if ca_leg {
                            Self::ft_on_authorize(auth)
                        } else {
                            None
                        };
                        // The OMGE leg counts as first-transferred at issuance even when the
                        // authorization's own definition would not trigger.
                        if ft.is_none() && l.leg == LegKind::Omge {
                            ft = Some((
                                FtTrigger::Issuance,
                                if auth.purpose.includes_ndc() {
                                    FtBucket::Ndc
                                } else {
                                    FtBucket::Oimp
                                },
                            ));
                        }
                        if ft.is_none() && kind.is_terminal() && ca_leg {
                            let from = Account {
                                id: String::new(),
                                owner: String::new(),
                                party: party.to_string(),
                                kind: AccountKind::Holding,
                                blocks: BTreeSet::new(),
                            };
                            let to = &self.accounts[acc as usize];
                            ft = self.ft_on_move(&self.blocks[(l.block - 1) as usize], &from, to);
                        }
                        self.record(|st| ActionRecord {
                            seq,
                            date: eff_date,
                            action_type: "Authorization",
                            subtype: "Issuance",
                            block: l.block,
                            first: l.first,
                            last: l.last,
                            party: party.to_string(),
                            acquiring_party: None,
                            transferring_party: None,
                            purpose: Some(st.authorizations[ai as usize].purpose),
                            entity: None,
                            use_year: None,
                        });
                        if let Some((trigger, bucket)) = ft {
                            self.set_ft(
                                l.block,
                                Arc::new(FirstTransfer {
                                    seq,
                                    date: eff_date,
                                    trigger,
                                    bucket,
                                    party,
                                    acquiring_party: None,
                                }),
                            )?;
                        }
                        if l.leg == LegKind::Sop {
                            self.record(|st| ActionRecord {
                                seq,
                                date: eff_date,
                                action_type: "Transfer",
                                subtype: "Mandatory transfer to the Adaptation Fund (A6.4 ERs)",
                                block: l.block,
                                first: l.first,
                                last: l.last,
                                party: host.to_string(),
                                acquiring_party: Some(st.accounts[acc as usize].party.clone()),
                                transferring_party: None,
                                purpose: None,
                                entity: None,
                                use_year: None,
                            });
                        } else if l.leg == LegKind::Omge {
                            self.record(|_| ActionRecord {
                                seq,
                                date: eff_date,
                                action_type: "Cancellation",
                                subtype: "Mandatory cancellation to deliver OMGE",
                                block: l.block,
                                first: l.first,
                                last: l.last,
                                party: host.to_string(),
                                acquiring_party: None,
                                transferring_party: None,
                                purpose: None,
                                entity: None,
                                use_year: None,
                            });
                        }
                    }
                }
            }
            Event::Acquired {
                issuance_id,
                project,
                registry,
                vintage,
                unit_type,
                first,
                last,
                block,
                account,
                from_party,
                class,
                authorization,
            } => {
                if last < first || *first == 0 {
                    return Err(v(
                        19,
                        "serial round trip",
                        seq,
                        Some(*block),
                        "empty range".into(),
                    ));
                }
                self.issuance_ids
                    .add(issuance_id)
                    .map_err(|_| reused(seq, issuance_id))?;
                if *block != self.next_block_id() {
                    return Err(v(
                        2,
                        "exact partition",
                        seq,
                        Some(*block),
                        "unexpected block id".into(),
                    ));
                }
                let acc = self.acct(seq, account)?;
                let auth_ix = authorization
                    .as_ref()
                    .and_then(|a| self.auth_ix.get(a).copied());
                let proj = self.intern(project);
                let reg = self.intern(registry);
                let party = self.accounts[acc as usize].party.clone();
                let iss_ix = self.issuances.len() as u32;
                self.issuances.push(Issuance {
                    project: proj.clone(),
                    registry: reg,
                    party: intern_in(&mut self.interned, &party),
                    vintage: *vintage,
                    unit_type: *unit_type,
                    first: *first,
                    last: *last,
                    imported_from: Some(intern_in(&mut self.interned, from_party)),
                    seq,
                    date: ts_date,
                });
                let ft = (*class == Class::Itmo).then(|| {
                    Arc::new(FirstTransfer {
                        seq,
                        date: ts_date,
                        trigger: FtTrigger::InternationalTransfer,
                        bucket: FtBucket::Ndc,
                        party: intern_in(&mut self.interned, from_party),
                        acquiring_party: Some(party.clone()),
                    })
                });
                let b = Block {
                    id: *block,
                    issuance: iss_ix,
                    vintage: *vintage,
                    first: *first,
                    last: *last,
                    class: *class,
                    authorization: auth_ix.map(AuthIx::new),
                    account: acc,
                    flags: Block::NEW,
                    created_seq: seq,
                    first_transfer: ft,
                    terminal: None,
                };
                self.index_insert(acc, &b);
                self.blocks.push(b);
                self.record(|_| ActionRecord {
                    seq,
                    date: ts_date,
                    action_type: "Acquisition",
                    subtype: "Not yet defined",
                    block: *block,
                    first: *first,
                    last: *last,
                    party: party.clone(),
                    acquiring_party: Some(party),
                    transferring_party: Some(from_party.clone()),
                    purpose: None,
                    entity: None,
                    use_year: None,
                });
            }
            Event::Split { parent, children } => {
                let p = self.live_block(seq, *parent)?.clone();
                if self.accounts[p.account as usize].kind.is_terminal() {
                    return Err(v(
                        4,
                        "sinks",
                        seq,
                        Some(*parent),
                        "a block in a terminal account cannot be split".into(),
                    ));
                }
                if children.len() < 2 {
                    return Err(v(
                        2,
                        "exact partition",
                        seq,
                        Some(*parent),
                        "a split needs at least two children".into(),
                    ));
                }
                let mut next = p.first;
                for c in children {
                    if c.first != next || c.last < c.first || c.last > p.last {
                        return Err(v(
                            2,
                            "exact partition",
                            seq,
                            Some(*parent),
                            format!(
                                "child {} range {}-{} does not tile parent {}-{}",
                                c.block, c.first, c.last, p.first, p.last
                            ),
                        ));
                    }
                    next = c.last + 1;
                }
                if next != p.last + 1 {
                    return Err(v(
                        2,
                        "exact partition",
                        seq,
                        Some(*parent),
                        "children do not cover the parent".into(),
                    ));
                }
                self.index_remove(p.account, &p);
                self.blocks[(*parent - 1) as usize].set_live(false);
                // Every child but the last is a clone of the parent's copy; the last is the
                // copy itself (a clone counts up the records the blocks share).
                if let Some((last, rest)) = children.split_last() {
                    for c in rest {
                        self.push_child(seq, c, p.clone())?;
                    }
                    self.push_child(seq, last, p)?;
                }
                // Invariant 15: children of a reserved block stay reserved by its request.
                self.lc.inherit_reservation(*parent, children);
            }
            Event::Moved {
                blocks,
                from,
                to,
                kind,
            } => {
                let fi = self.acct(seq, from)?;
                let ti = self.acct(seq, to)?;
                if fi == ti {
                    return Err(v(
                        3,
                        "no double spend",
                        seq,
                        None,
                        "move to the same account".into(),
                    ));
                }
                if self.accounts[fi as usize].kind.is_terminal() {
                    return Err(v(
                        4,
                        "sinks",
                        seq,
                        None,
                        format!("account {from} is terminal"),
                    ));
                }
                let international =
                    is_international(&self.accounts[fi as usize], &self.accounts[ti as usize]);
                // The Parties are copied only where they are kept (first transfers, AEF
                // action rows), not for every move.
                let to_party = || self.accounts[ti as usize].party.clone();
                let to_kind = self.accounts[ti as usize].kind;
                let acquiring = match kind {
                    MoveKind::Transfer { acquiring_party } => acquiring_party
                        .clone()
                        .or_else(|| international.then(to_party)),
                    _ => None,
                };
                let to_party =
                    (self.record_actions && to_kind == AccountKind::AdaptationFund).then(to_party);
                // Shared per event: one allocation, not one per block; its kind is shared
                // with every earlier proof of the same kind.
                let term = to_kind.is_terminal().then(|| {
                    Arc::new(Terminal {
                        seq,
                        date: ts_date,
                        kind: self.intern_kind(kind),
                    })
                });
                let mut ft_cache: Option<((FtTrigger, FtBucket), Arc<FirstTransfer>)> = None;
                for &id in blocks {
                    let b = self.live_block(seq, id)?;
                    if b.account != fi {
                        return Err(v(
                            3,
                            "no double spend",
                            seq,
                            Some(id),
                            format!(
                                "block is held by {}, not {from}",
                                self.accounts[b.account as usize].id
                            ),
                        ));
                    }
                    if b.frozen() {
                        return Err(v(
                            3,
                            "no double spend",
                            seq,
                            Some(id),
                            "frozen block moved".into(),
                        ));
                    }
                    self.lc.check_unreserved(seq, id)?;
                    if international && b.class == Class::Mo {
                        return Err(v(
                            11,
                            "authorization gating",
                            seq,
                            Some(id),
                            "an MO crossed a border".into(),
                        ));
                    }
                    let ft = self.ft_on_move(
                        b,
                        &self.accounts[fi as usize],
                        &self.accounts[ti as usize],
                    );
                    let was_ft = b.first_transfer.is_some();
                    // The first-transferring Party is the Party whose registry issued the unit
                    // (it applies the CA), also when the trigger — a use or cancellation under
                    // an OIMP definition — happens in the acquirer's account.
                    let ft_party = ft.map(|_| {
                        self.issuances.get(b.issuance as usize).map_or_else(
                            || Arc::from(self.accounts[fi as usize].party.as_str()),
                            |i| i.party.clone(),
                        )
                    });
                    let class = b.class;
                    let (bf, bl) = (b.first, b.last);
                    let purpose = self.block_auth(b).map(|a| a.purpose);
                    if !self.unindexed {
                        let key = self.block_key(b);
                        self.accounts[fi as usize].blocks.remove(&key);
                        self.accounts[ti as usize].blocks.insert(key);
                    }
                    let blk = &mut self.blocks[(id - 1) as usize];
                    blk.account = ti;
                    if term.is_some() {
                        blk.terminal.clone_from(&term);
                    }
                    if let Some((trigger, bucket)) = ft {
                        // One shared record per (trigger, bucket, party) in this event.
                        let ft_party = ft_party.unwrap_or_default();
                        let shared = match &ft_cache {
                            Some((k, a)) if *k == (trigger, bucket) && a.party == ft_party => {
                                a.clone()
                            }
                            _ => {
                                let a = Arc::new(FirstTransfer {
                                    seq,
                                    date: ts_date,
                                    trigger,
                                    bucket,
                                    party: ft_party,
                                    acquiring_party: acquiring.clone(),
                                });
                                ft_cache = Some(((trigger, bucket), a.clone()));
                                a
                            }
                        };
                        self.set_ft(id, shared)?;
                    }
                    if class == Class::Itmo && self.record_actions {
                        let base = ActionRecord {
                            seq,
                            date: ts_date,
                            action_type: "",
                            subtype: "Not yet defined",
                            block: id,
                            first: bf,
                            last: bl,
                            party: self.accounts[fi as usize].party.clone(),
                            acquiring_party: None,
                            transferring_party: None,
                            purpose,
                            entity: None,
                            use_year: None,
                        };
                        let row = match kind {
                            MoveKind::Transfer { .. } if to_kind == AccountKind::AdaptationFund => {
                                Some(ActionRecord {
                                    action_type: "Transfer",
                                    subtype: "Voluntary transfer to the Adaptation Fund (A6.4 ERs)",
                                    acquiring_party: to_party.clone(),
                                    ..base
                                })
                            }
                            MoveKind::Transfer { .. } if international && was_ft => {
                                Some(ActionRecord {
                                    action_type: "Transfer",
                                    acquiring_party: acquiring.clone(),
                                    ..base
                                })
                            }
                            MoveKind::Use { use_year, .. } if was_ft || ft.is_some() => {
                                Some(ActionRecord {
                                    action_type: "Use",
                                    use_year: Some(*use_year),
                                    ..base
                                })
                            }
                            MoveKind::Retire {
                                authorized_entity, ..
                            } => Some(ActionRecord {
                                action_type: "Cancellation",
                                subtype: "Use or cancellation",
                                entity: authorized_entity.clone(),
                                ..base
                            }),
                            MoveKind::Cancel {
                                subtype: CancelSubtype::Voluntary,
                                ..
                            } => Some(ActionRecord {
                                action_type: "Voluntary Cancellation",
                                ..base
                            }),
                            MoveKind::Cancel {
                                subtype: CancelSubtype::Omge,
                                ..
                            } => Some(ActionRecord {
                                action_type: "Cancellation",
                                subtype: "Voluntary cancellation to deliver OMGE",
                                ..base
                            }),
                            MoveKind::Cancel { .. } => Some(ActionRecord {
                                action_type: "Cancellation",
                                subtype: "Other cancellations",
                                ..base
                            }),
                            _ => None,
                        };
                        if let Some(r) = row {
                            self.actions.push(r);
                        }
                    }
                }
            }
            Event::Authorized {
                blocks,
                authorization,
                date,
            } => {
                let ai = *self.auth_ix.get(authorization).ok_or_else(|| {
                    v(
                        11,
                        "authorization gating",
                        seq,
                        None,
                        format!("unknown authorization {authorization}"),
                    )
                })?;
                let eff_date = date.unwrap_or(ts_date);
                let mut total = 0;
                for &id in blocks {
                    let b = self.live_block(seq, id)?;
                    if b.class != Class::Mo {
                        return Err(v(
                            11,
                            "authorization gating",
                            seq,
                            Some(id),
                            "block is already an ITMO".into(),
                        ));
                    }
                    if b.frozen() || self.accounts[b.account as usize].kind.is_terminal() {
                        return Err(v(
                            4,
                            "sinks",
                            seq,
                            Some(id),
                            "frozen or terminal block authorized".into(),
                        ));
                    }
                    self.lc.check_unreserved(seq, id)?;
                    self.check_authorize_gate(seq, ai, b.vintage, b.count(), Some(id))?;
                    total += b.count();
                }
                let auth = &self.authorizations[ai as usize];
                if let Some(max) = auth.authorized_quantity
                    && auth.authorized_total + total > max
                {
                    return Err(v(
                        11,
                        "authorization gating",
                        seq,
                        None,
                        format!(
                            "authorization {authorization}: {} + {total} exceeds authorized quantity {max}",
                            auth.authorized_total
                        ),
                    ));
                }
                let ft = Self::ft_on_authorize(auth);
                let purpose = auth.purpose;
                self.authorizations[ai as usize].authorized_total += total;
                let mut ft_cache: Option<Arc<FirstTransfer>> = None;
                for &id in blocks {
                    let blk = &mut self.blocks[(id - 1) as usize];
                    blk.class = Class::Itmo;
                    blk.authorization = Some(AuthIx::new(ai));
                    let (bf, bl, account) = (blk.first, blk.last, blk.account as usize);
                    // The holder's Party is copied only where it is kept (an action row, a
                    // first-transfer record), not for every block.
                    self.record(|st| ActionRecord {
                        seq,
                        date: eff_date,
                        action_type: "Authorization",
                        subtype: "Authorization",
                        block: id,
                        first: bf,
                        last: bl,
                        party: st.accounts[account].party.clone(),
                        acquiring_party: None,
                        transferring_party: None,
                        purpose: Some(purpose),
                        entity: None,
                        use_year: None,
                    });
                    if let Some((trigger, bucket)) = ft {
                        let party = &self.accounts[account].party;
                        let shared = match &ft_cache {
                            Some(a) if *a.party == **party => a.clone(),
                            _ => {
                                let a = Arc::new(FirstTransfer {
                                    seq,
                                    date: eff_date,
                                    trigger,
                                    bucket,
                                    party: intern_in(&mut self.interned, party),
                                    acquiring_party: None,
                                });
                                ft_cache = Some(a.clone());
                                a
                            }
                        };
                        self.set_ft(id, shared)?;
                    }
                }
            }
            Event::Frozen { blocks, .. } | Event::Unfrozen { blocks, .. } => {
                let freeze = matches!(ev, Event::Frozen { .. });
                for &id in blocks {
                    let b = self.live_block(seq, id)?;
                    if self.accounts[b.account as usize].kind.is_terminal() {
                        return Err(v(
                            4,
                            "sinks",
                            seq,
                            Some(id),
                            "terminal block frozen or unfrozen".into(),
                        ));
                    }
                    self.lc.check_unreserved(seq, id)?;
                    if b.frozen() == freeze {
                        return Err(v(
                            15,
                            "two-phase",
                            seq,
                            Some(id),
                            format!(
                                "block already {}",
                                if freeze { "frozen" } else { "unfrozen" }
                            ),
                        ));
                    }
                    self.blocks[(id - 1) as usize].set_frozen(freeze);
                }
            }
            Event::CommandRejected { .. } => {}
            // Folded by `apply_lifecycle` (dispatched in `apply`).
            Event::RetirementRequested { .. }
            | Event::ItmoAuthorizationRequested { .. }
            | Event::RequestApproved { .. }
            | Event::RequestRejected { .. }
            | Event::RequestCancelled { .. }
            | Event::InitialReportFiled { .. }
            | Event::AuthorizedEntityRecorded { .. }
            | Event::CaRecorded { .. }
            | Event::CaSubmitted { .. }
            | Event::CaApproved { .. }
            | Event::YearClosed { .. }
            | Event::Annotated { .. } => {}
        }
        Ok(())
    }

    fn check_authorize_gate(
        &self,
        seq: u64,
        ai: u32,
        vintage: u16,
        _qty: u64,
        block: Option<BlockId>,
    ) -> Result<(), InvariantViolation> {
        let auth = &self.authorizations[ai as usize];
        let st = self.approaches.get(&auth.approach).map(|a| a.status);
        if st != Some(ApproachStatus::Active) {
            return Err(v(
                11,
                "authorization gating",
                seq,
                block,
                format!(
                    "authorization {} under approach {} which is {:?}, not Active",
                    auth.id, auth.approach, st
                ),
            ));
        }
        if vintage < 2021 || vintage < auth.period_start || vintage > auth.period_end {
            return Err(v(
                11,
                "authorization gating",
                seq,
                block,
                format!(
                    "vintage {vintage} outside the authorized timeframe {}-{} (and ≥ 2021)",
                    auth.period_start, auth.period_end
                ),
            ));
        }
        Ok(())
    }
}

/// Hex → bytes (all zeros when malformed; then it never matches a real payload hash).
/// Accepts upper- and lowercase digits, like `hex::decode_to_slice` did.
///
/// Eight digits at a time (one per command of a replay, so it shows): a byte is a digit when
/// it lies in `'0'..='9'`, a letter when it lies in `'a'..='f'` once the case bit is set, and
/// both tests are made on all eight bytes at once by adding to each the distance to `0x80` and
/// reading the high bits (exact for bytes below `0x80`; a line with a byte above is refused
/// by its own high bit).
pub fn decode_hash(h: &str) -> [u8; 32] {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    /// High bit of each byte: the byte is at least `k` (for bytes below `0x80`).
    fn at_least(x: u64, k: u8) -> u64 {
        x.wrapping_add(ONES * u64::from(0x80 - k)) & HIGH
    }
    let b = h.as_bytes();
    let mut out = [0u8; 32];
    if b.len() != 64 {
        return out;
    }
    let mut bad = 0u64;
    for (o, chunk) in out.chunks_exact_mut(4).zip(b.chunks_exact(8)) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let x = u64::from_le_bytes(w);
        let lower = x | (ONES * 0x20);
        let digit = at_least(x, b'0') & !at_least(x, b'9' + 1);
        let letter = at_least(lower, b'a') & !at_least(lower, b'f' + 1);
        bad |= (x & HIGH) | ((digit | letter) ^ HIGH);
        // Nibble values, then each pair (first digit high) into the even bytes, then packed.
        let nib = (x & (ONES * 0x0F)) + (letter >> 7) * 9;
        let t = ((nib << 4) | (nib >> 8)) & 0x00FF_00FF_00FF_00FF;
        let t = (t | (t >> 8)) & 0x0000_FFFF_0000_FFFF;
        let t = (t | (t >> 16)) & 0xFFFF_FFFF;
        o.copy_from_slice(&(t as u32).to_le_bytes());
    }
    if bad != 0 {
        return [0u8; 32];
    }
    out
}

/// A move is international when it crosses Parties or leaves the registry.
pub fn is_international(from: &Account, to: &Account) -> bool {
    from.party != to.party || matches!(to.kind, AccountKind::FirstTransferOut | AccountKind::Export)
}

#[cfg(test)]
mod tests {
    use super::{AuthIx, Block, decode_hash};

    /// The block record is one cache line: a field added to it (or a wider one) shows here
    /// before it shows as a slower, larger replay.
    #[test]
    fn a_block_is_one_cache_line() {
        assert_eq!(std::mem::size_of::<Block>(), 64);
        assert_eq!(std::mem::align_of::<Block>(), 64);
        assert_eq!(std::mem::size_of::<Option<AuthIx>>(), 4);
    }

    #[test]
    fn an_authorization_index_reads_back_and_the_flags_are_independent() {
        for ix in [0, 1, 7, 65_535, u32::MAX - 1] {
            assert_eq!(AuthIx::new(ix).get(), ix);
        }
        let mut b = Block {
            id: 1,
            issuance: 0,
            vintage: 2030,
            first: 1,
            last: 10,
            class: crate::registry::types::Class::Mo,
            authorization: None,
            account: 0,
            flags: Block::NEW,
            created_seq: 1,
            first_transfer: None,
            terminal: None,
        };
        assert!(b.live() && !b.frozen());
        b.set_frozen(true);
        assert!(b.live() && b.frozen());
        b.set_live(false);
        assert!(!b.live() && b.frozen());
        b.set_frozen(false);
        assert!(!b.live() && !b.frozen());
        b.set_live(true);
        assert!(b.live() && !b.frozen());
    }

    #[test]
    fn decode_hash_reads_either_case_and_zeroes_anything_else() {
        let hex = "00ff10ABcdEf".repeat(5) + "0123";
        let want: Vec<u8> = (0..32)
            .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
            .collect();
        assert_eq!(decode_hash(&hex).to_vec(), want);
        for bad in [
            hex.replacen('0', "g", 1),
            hex.replacen('0', " ", 1),
            hex[..62].to_string(),
            hex.clone() + "00",
            "é".repeat(32),
        ] {
            assert_eq!(decode_hash(&bad), [0u8; 32], "{bad:?}");
        }
    }

    /// Every byte value at every position of a valid hash, against the `hex` crate.
    #[test]
    fn decode_hash_agrees_with_the_hex_crate_on_every_byte_everywhere() {
        let valid = "0123456789abcdefABCDEF".repeat(3)[..64].to_string();
        for at in 0..64 {
            for byte in 0..=255u8 {
                let mut b = valid.clone().into_bytes();
                b[at] = byte;
                // Bytes that are not UTF-8 on their own cannot be in a `&str`.
                let Ok(text) = String::from_utf8(b) else {
                    continue;
                };
                let mut want = [0u8; 32];
                if hex::decode_to_slice(&text, &mut want).is_err() {
                    want = [0u8; 32];
                }
                assert_eq!(decode_hash(&text), want, "byte {byte:#04x} at {at}");
            }
        }
        // Multi-byte characters in place of two digits (still 64 bytes).
        let two = format!("{}é{}", &valid[..10], &valid[12..]);
        assert_eq!(decode_hash(&two), [0u8; 32]);
    }
}
