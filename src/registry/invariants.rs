//! `check`: all invariants of registry-model §7, verified from the journal. One job: replay
//! (hash chain, seq, ts, batches and per-event rules are checked by `journal` and the fold as
//! they stream) and then verify the whole-state invariants below. Ok when all hold, otherwise
//! the first violation with its event number.
//!
//! Whole-state invariants checked here: 1 conservation per issuance/import; 2 exact
//! partition of each issuance range and disjoint, increasing project ranges; 3 every live
//! block in exactly one account index (for a state that keeps the index, i.e. a live ledger;
//! `check_journal` replays without it and invariant 3 is the fold's own rule); 8 retirement proof for blocks in retirement and
//! cancellation accounts; 10 first transfer only on ITMOs; 11 every ITMO has an authorization
//! and Σ authorized ≤ authorized quantity; 13 issued ≤ verified; 18 levy legs land in the
//! right kind of account; 19 serial round trip; 15 two-phase (every reserved block belongs to
//! exactly one pending request that lists it; resolved requests reserve nothing; resolving
//! twice or approving one's own request is refused by the fold as it streams).

use std::path::Path;

use super::error::{InvariantViolation, JournalError};
use super::event::{Event, MoveKind};
use super::journal::read_journal_ref;
use super::ledger::Ledger;
use super::serial::{SerialPrefix, SerialRange};
use super::state::{HashMap, State};
use super::types::{AccountKind, CancelSubtype, Class};

fn v(
    invariant: u8,
    name: &'static str,
    seq: u64,
    block: Option<u64>,
    message: String,
) -> InvariantViolation {
    InvariantViolation {
        invariant,
        name,
        seq,
        block,
        message,
    }
}

/// Summary of a successful check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    pub events: u64,
    pub head_hash: String,
    pub live_blocks: u64,
}

/// Whole-state invariants (cheap: O(blocks log blocks)).
pub fn check_state(st: &State) -> Result<(), InvariantViolation> {
    check_state_with(st, true)
}

/// Where each issuance's live blocks go in a table ordered by issuance (a counting sort's
/// counts): `start[i]..start[i + 1]` for issuance `i`. One pass over the blocks that reads
/// their flags and issuance only; live blocks of an issuance that does not exist have no
/// place.
fn live_places(st: &State) -> Vec<usize> {
    let mut start = vec![0usize; st.issuances.len() + 1];
    for b in st.blocks.iter().filter(|b| b.live()) {
        // Index `issuance + 1`: out of range exactly for an unknown issuance.
        if let Some(count) = start.get_mut(b.issuance as usize + 1) {
            *count += 1;
        }
    }
    for k in 1..start.len() {
        start[k] += start[k - 1];
    }
    start
}

/// The live block of issuance `ix` that starts at `first`, for a partition error (the
/// partition table keeps serials only).
fn live_block_at(st: &State, ix: usize, first: u64) -> Option<u64> {
    st.blocks
        .iter()
        .find(|b| b.live() && b.issuance as usize == ix && b.first == first)
        .map(|b| b.id)
}

/// `serials`: also check the serial round trip of every issuance's prefix (the text is
/// written and read back; each block's range is decided from its numbers either way).
pub fn check_state_with(st: &State, serials: bool) -> Result<(), InvariantViolation> {
    check_state_in(st, serials, &mut Vec::new())
}

/// Whole-state invariants, working in `scratch` (its contents are overwritten): a check that
/// has used it for its id tables ([`State::index_deferred`]) hands it on, so the partition
/// table reuses pages already faulted in (~9 MB after a 1M-event replay, as large as the id
/// pass left). `serials` as for [`check_state_with`].
pub fn check_state_in(
    st: &State,
    serials: bool,
    scratch: &mut Vec<u64>,
) -> Result<(), InvariantViolation> {
    let mut text = String::new();
    // 19, first half: the serial prefix (registry, project, vintage) of every issuance, which
    // every one of its blocks shares (registry and project are read through the issuance;
    // the partition loop below checks the vintage).
    if serials {
        for (ix, iss) in st.issuances.iter().enumerate() {
            let p = SerialPrefix {
                registry: &iss.registry,
                project: &iss.project,
                vintage: iss.vintage,
            };
            text.clear();
            let written = p.write(&mut text);
            if written.is_err() || SerialPrefix::parse(&text) != Ok(p) {
                return Err(v(
                    19,
                    "serial round trip",
                    iss.seq,
                    None,
                    format!(
                        "issuance {}: serial prefix {text} does not round-trip",
                        st.issuance_id(ix)
                    ),
                ));
            }
        }
    }
    // 1 + 2: conservation and exact partition per issuance. Every live block's first and
    // last serial, placed by issuance as the pass below meets it (a counting sort, its counts
    // from `live_places`), then sorted within each issuance and walked. Issuance by issuance
    // is an order far from the blocks' own: with its serials copied here the walk never goes
    // back to the blocks (a cache miss each, ~565,000 of them after a 1,000,000-event
    // replay). 16 bytes per live block, in the scratch: a staging table of blocks with their
    // issuance, scattered into a second one, took 27 MB of new pages.
    let start = live_places(st);
    scratch.clear();
    scratch.resize(2 * start[start.len() - 1], 0);
    let serials_of = scratch.as_chunks_mut::<2>().0;
    let mut next = start.clone();
    // The first (by issuance, then serial) live block of an unknown issuance: issuance,
    // first serial, id, created seq.
    let mut unknown: Option<(u32, u64, u64, u64)> = None;
    let mut live = 0u64;
    for b in &st.blocks {
        // 19, second half: the block's own range reads back from its serial. That is decided
        // by the numbers (`SerialRange::round_trips`: 1 <= first <= last), for every block.
        if !SerialRange::round_trips(b.first, b.last) {
            return Err(v(
                19,
                "serial round trip",
                b.created_seq,
                Some(b.id),
                "empty or zero range".into(),
            ));
        }
        if !b.live() {
            continue;
        }
        live += 1;
        if (b.issuance as usize) < st.issuances.len() {
            let at = &mut next[b.issuance as usize];
            serials_of[*at] = [b.first, b.last];
            *at += 1;
        } else if unknown.is_none_or(|(ix, first, ..)| (b.issuance, b.first) < (ix, first)) {
            unknown = Some((b.issuance, b.first, b.id, b.created_seq));
        }
        // 19: a block's serial is its issuance's prefix and its own range. (Its project is
        // its issuance's by construction: a block names only the issuance.) A block of an
        // unknown issuance is refused below.
        if let Some(iss) = st.issuances.get(b.issuance as usize)
            && b.vintage != iss.vintage
        {
            return Err(v(
                19,
                "serial round trip",
                b.created_seq,
                Some(b.id),
                format!(
                    "block's vintage is not its issuance {}'s",
                    st.issuance_id(b.issuance as usize)
                ),
            ));
        }
        let acc = &st.accounts[b.account as usize];
        if st.has_account_index() && !acc.blocks.contains(&st.block_key(b)) {
            return Err(v(
                3,
                "no double spend",
                b.created_seq,
                Some(b.id),
                format!("block not indexed in its account {}", acc.id),
            ));
        }
        // 10 / 11
        if b.first_transfer.is_some() && b.class != Class::Itmo {
            return Err(v(
                10,
                "first transfer once",
                b.created_seq,
                Some(b.id),
                "an MO is marked first-transferred".into(),
            ));
        }
        if b.class == Class::Itmo
            && b.authorization.is_none()
            // (A block of an unknown issuance is refused below, not here.)
            && st
                .issuances
                .get(b.issuance as usize)
                .is_some_and(|i| i.imported_from.is_none())
        {
            return Err(v(
                11,
                "authorization gating",
                b.created_seq,
                Some(b.id),
                "ITMO without authorization".into(),
            ));
        }
        // 8 retirement proof
        let proof_seq = b.terminal.as_ref().map(|t| t.seq).unwrap_or(b.created_seq);
        let bad = |m: &str| {
            Err(v(
                8,
                "retirement proof",
                proof_seq,
                Some(b.id),
                m.to_string(),
            ))
        };
        match acc.kind {
            AccountKind::RetirementNdc | AccountKind::RetirementOimp => {
                match b.terminal.as_ref().map(|t| &*t.kind) {
                    Some(MoveKind::Use { beneficiary, .. })
                    | Some(MoveKind::Retire { beneficiary, .. })
                        if !beneficiary.name.is_empty() && !beneficiary.id.is_empty() => {}
                    _ => return bad("retired block without a beneficiary proof"),
                }
            }
            AccountKind::OmgeCancellation
            | AccountKind::OtherCancellation
            | AccountKind::VoluntaryCancellation => {
                let want = match acc.kind {
                    AccountKind::OmgeCancellation => CancelSubtype::Omge,
                    AccountKind::OtherCancellation => CancelSubtype::Other,
                    _ => CancelSubtype::Voluntary,
                };
                match b.terminal.as_ref().map(|t| &*t.kind) {
                    Some(MoveKind::Cancel { subtype, .. }) if *subtype == want => {}
                    Some(MoveKind::Retire { beneficiary, .. })
                        if want == CancelSubtype::Voluntary && !beneficiary.name.is_empty() => {}
                    _ => return bad("cancelled block without a matching cancellation proof"),
                }
            }
            k if k.is_terminal() && b.terminal.is_none() => {
                return bad("block in a terminal account without a terminal event");
            }
            _ => {}
        }
    }
    let indexed: u64 = st.accounts.iter().map(|a| a.blocks.len() as u64).sum();
    if st.has_account_index() && indexed != live {
        return Err(v(
            3,
            "no double spend",
            st.last_seq,
            None,
            format!("{indexed} indexed blocks for {live} live blocks"),
        ));
    }
    for (i, iss) in st.issuances.iter().enumerate() {
        let mine = &mut serials_of[start[i]..start[i + 1]];
        mine.sort_unstable_by_key(|&[first, _]| first);
        let mut next = iss.first;
        let mut sum = 0u64;
        for &[f, last] in mine.iter() {
            if f != next {
                return Err(v(
                    2,
                    "exact partition",
                    iss.seq,
                    live_block_at(st, i, f),
                    format!(
                        "issuance {}: gap or overlap at {f} (expected {next})",
                        st.issuance_id(i)
                    ),
                ));
            }
            next = last + 1;
            sum += last - f + 1;
        }
        if next != iss.last + 1 || sum != iss.last - iss.first + 1 {
            return Err(v(
                1,
                "conservation",
                iss.seq,
                None,
                format!(
                    "issuance {}: live blocks hold {sum} of {}",
                    st.issuance_id(i),
                    iss.last - iss.first + 1
                ),
            ));
        }
    }
    if let Some((_, _, id, created_seq)) = unknown {
        return Err(v(
            1,
            "conservation",
            created_seq,
            Some(id),
            "block of an unknown issuance".into(),
        ));
    }
    // 2: a project's issuance ranges are disjoint and increasing. (Hashed: ~130,000
    // issuances of a few hundred projects, where a tree's string compares took 6 ms.)
    let mut last_by_project: HashMap<&str, u64> = HashMap::default();
    for (ix, iss) in st
        .issuances
        .iter()
        .enumerate()
        .filter(|(_, i)| i.imported_from.is_none())
    {
        let prev = last_by_project.entry(&iss.project).or_insert(0);
        if iss.first != *prev + 1 {
            return Err(v(
                2,
                "exact partition",
                iss.seq,
                None,
                format!(
                    "issuance {} does not continue project {}",
                    st.issuance_id(ix),
                    iss.project
                ),
            ));
        }
        *prev = iss.last;
    }
    // 11, 13
    for a in &st.authorizations {
        if let Some(max) = a.authorized_quantity
            && a.authorized_total > max
        {
            return Err(v(
                11,
                "authorization gating",
                st.last_seq,
                None,
                format!("authorization {} exceeds its quantity", a.id),
            ));
        }
    }
    for ver in st.verifications.values() {
        if ver.issued > ver.verified_quantity {
            return Err(v(
                13,
                "estimation ≠ issuance",
                st.last_seq,
                None,
                format!("verification {} over-issued", ver.id),
            ));
        }
    }
    // 15: reservations belong to exactly one pending request; resolved ones reserve nothing.
    super::state::check_two_phase(st)?;
    Ok(())
}

/// Invariant 18: levy legs land in accounts of the right kind. Invariant 14 (vintage): an
/// issuance's vintage lies in its verification's monitoring period and the project's crediting
/// period, and the §5.3 period match: an ITMO used towards an NDC has its use year in its
/// vintage's NDC period (only `Use` moves and issuances are looked at; the happy path
/// allocates nothing).
fn check_event(st: &State, seq: u64, ev: &Event) -> Result<(), InvariantViolation> {
    if let Event::Moved {
        blocks,
        from,
        kind: MoveKind::Use { use_year, .. },
        ..
    } = ev
    {
        let party = st.account(from).and_then(|a| st.parties.get(&a.party));
        for &id in blocks {
            if let Some(b) = st.block(id)
                && b.class == Class::Itmo
                && let Some(why) = super::state::period_mismatch(party, b.vintage, *use_year)
            {
                return Err(v(14, "vintage period match (§5.3)", seq, Some(id), why));
            }
        }
    }
    if let Event::Issued {
        legs,
        project,
        vintage,
        verification,
        ..
    } = ev
    {
        // 14: the vintage lies in the verification's monitoring period and in a crediting
        // period of the project (when either is on record).
        let monitoring = verification
            .as_ref()
            .and_then(|id| st.verifications.get(id))
            .filter(|ver| !(ver.monitoring_start..=ver.monitoring_end).contains(vintage))
            .map(|ver| {
                format!(
                    "vintage {vintage} outside the monitoring period {}-{} of verification {}",
                    ver.monitoring_start, ver.monitoring_end, ver.id
                )
            });
        if let Some(why) = monitoring.or_else(|| st.outside_crediting(project, *vintage)) {
            return Err(v(14, "vintage", seq, None, why));
        }
        for l in legs {
            let kind = st.account(&l.account).map(|a| a.kind);
            let ok = match l.leg {
                super::event::LegKind::Omge => kind == Some(AccountKind::OmgeCancellation),
                super::event::LegKind::Sop => kind == Some(AccountKind::AdaptationFund),
                super::event::LegKind::Buffer => kind == Some(AccountKind::Buffer),
                _ => kind.is_some_and(|k| !k.is_terminal()),
            };
            if !ok {
                return Err(v(
                    18,
                    "levies move units",
                    seq,
                    Some(l.block),
                    format!("{:?} leg in account {} of kind {kind:?}", l.leg, l.account),
                ));
            }
        }
    }
    Ok(())
}

/// Replay and verify a journal file: hash chain, seq, ts, batches, every per-event rule and
/// then the whole-state invariants. Streams; does not keep events in memory.
pub fn check_journal(path: &Path) -> Result<CheckReport, JournalError> {
    check_journal_keeping_state(path).map(|(report, _state)| report)
}

/// [`check_journal`], also handing back the folded state (without the per-account index and
/// the command records: see [`State::for_check`]).
/// The `check` command uses it to leave the state to the operating system at exit: freeing
/// a million blocks one allocation at a time was ~7 % of a `registry check`.
pub fn check_journal_keeping_state(path: &Path) -> Result<(CheckReport, State), JournalError> {
    // The per-account block index is a lookup structure built from `Block::account`, not
    // something the journal says; a check that throws the state away does not build it
    // (invariant 3 is then the fold's rule: a block moves only from the account it names).
    // Nor does it keep the command records a retry is answered from: only the ids, which
    // must not come back, and each command's first seq (`State::for_check`).
    let mut st = State::for_check();
    // Reserve the block table up front (≈ one block per 300 journal bytes): untouched
    // capacity costs no resident memory, and it avoids the copy peak of repeated doubling.
    // Same for the command records (≈ one command per 990 bytes of the synth workload;
    // reserved for one per 800, as one per 1,100 made the 1M-event replay outgrow it): a
    // table that grows while full holds its old and new tables at once.
    // Issuances too (≈ one per 4,500 bytes of a busy journal), with their ids' arena.
    if let Ok(m) = std::fs::metadata(path) {
        st.blocks.reserve((m.len() / 300) as usize);
        st.commands.reserve((m.len() / 800) as usize);
        st.issuances.reserve((m.len() / 4500) as usize);
        st.issuance_ids.reserve((m.len() / 4500) as usize, 16);
    }
    let read = read_journal_ref(path, |env| {
        let inv = |violation| JournalError::Invariant {
            path: path.to_path_buf(),
            violation,
        };
        st.apply(env).map_err(inv)?;
        check_event(&st, env.seq, &env.event).map_err(inv)
    });
    let inv = |violation| JournalError::Invariant {
        path: path.to_path_buf(),
        violation,
    };
    // Ids that must not come back (command ids, 5; issuance ids, 1) are checked for the whole
    // replay here; a repeat comes before whatever stopped the read, being earlier in it.
    let summary = match read {
        Ok(summary) => summary,
        Err(e) => return Err(st.index_deferred(&mut Vec::new()).map_or_else(inv, |()| e)),
    };
    // One scratch for the id tables and the whole-state check: see `check_state_in`.
    let mut scratch = Vec::new();
    st.index_deferred(&mut scratch).map_err(inv)?;
    check_state_in(&st, true, &mut scratch).map_err(inv)?;
    let report = CheckReport {
        events: summary.events,
        head_hash: summary.head_hash,
        live_blocks: st.blocks.iter().filter(|b| b.live()).count() as u64,
    };
    Ok((report, st))
}

impl Ledger {
    /// Whole-state invariants of the current state (cheap; run after every step in tests).
    /// The serial round trip (19) is left to [`Ledger::check`] and `check_journal`.
    pub fn check_state(&self) -> Result<(), InvariantViolation> {
        check_state_with(self.state(), false)
    }

    /// Full check of an in-memory ledger: re-verify the retained log's hash chain by
    /// re-encoding every event, replay it into a fresh fold, compare the head hash and then
    /// check all whole-state invariants.
    pub fn check(&self) -> Result<(), InvariantViolation> {
        let mut st = State::new();
        let mut prev = super::event::GENESIS_HASH.to_string();
        for env in self.events() {
            let mut e = env.clone();
            let stored = e.hash.clone();
            if e.prev_hash != prev {
                return Err(v(
                    7,
                    "hash chain",
                    env.seq,
                    None,
                    "prev_hash does not match".into(),
                ));
            }
            e.seal()
                .map_err(|err| v(7, "hash chain", env.seq, None, err.to_string()))?;
            if e.hash != stored {
                return Err(v(
                    7,
                    "hash chain",
                    env.seq,
                    None,
                    "hash does not match the content".into(),
                ));
            }
            prev = stored;
            st.apply(env)?;
            check_event(&st, env.seq, &env.event)?;
        }
        if st.last_hash != self.head_hash() {
            return Err(v(
                7,
                "hash chain",
                st.last_seq,
                None,
                "head hash differs from the ledger's".into(),
            ));
        }
        check_state(&st)
    }
}

#[cfg(test)]
mod tests {
    use super::{live_block_at, live_places};
    use crate::registry::synth::{self, SynthConfig};
    use crate::registry::{Ledger, ManualClock};

    /// Each issuance's place in the partition table is as long as its live blocks, counted
    /// naively; a live block of an issuance that does not exist gets none, and a dead one
    /// none either.
    #[test]
    fn live_places_count_each_issuances_live_blocks() {
        let day = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let mut l = Ledger::in_memory(ManualClock::at_date(day).stepping(7));
        synth::run(
            &mut l,
            SynthConfig {
                events: 3_000,
                seed: 5,
            },
            |_| {},
        )
        .unwrap();
        let mut st = l.state().clone();
        let n = st.issuances.len();
        assert!(n > 10, "{n} issuances");
        let live = st.blocks.iter().filter(|b| b.live()).count();
        // One live block handed to an unknown issuance, one killed.
        let lost = st.blocks.iter().position(|b| b.live()).unwrap();
        st.blocks[lost].issuance = n as u32 + 3;
        let killed = st.blocks.iter().rposition(|b| b.live()).unwrap();
        st.blocks[killed].set_live(false);
        let start = live_places(&st);
        assert_eq!(start.len(), n + 1);
        assert_eq!(start[0], 0);
        assert_eq!(
            start[n],
            live - 2,
            "every live block of a known issuance, once"
        );
        for ix in 0..n {
            let naive = st
                .blocks
                .iter()
                .filter(|b| b.live() && b.issuance as usize == ix)
                .count();
            assert_eq!(start[ix + 1] - start[ix], naive, "issuance {ix}");
        }
        // A partition error finds its block again by issuance and first serial.
        let b = st
            .blocks
            .iter()
            .rfind(|b| b.live() && (b.issuance as usize) < n)
            .unwrap();
        assert_eq!(live_block_at(&st, b.issuance as usize, b.first), Some(b.id));
        assert_eq!(live_block_at(&st, 0, u64::MAX), None);
    }
}
