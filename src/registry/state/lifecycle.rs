//! Fold of the lifecycle events: two-phase requests and their reservations (invariant 15),
//! initial reports, authorized entities, CA records, closed reporting years and annotations.
//! One job: keep these records, refusing an event that would resolve a request twice, move
//! a reserved block through anything but its own resolution, or let a requester approve
//! their own request.
//!
//! Reservations live in a side index (`reserved`: block → request id) so block records and
//! existing events are untouched. A split of a reserved block passes the reservation to its
//! children; only `RequestApproved`, `RequestRejected` and `RequestCancelled` release it.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;

use super::{HashMap, State, v};
use crate::registry::error::InvariantViolation;
use crate::registry::event::{BlockId, Envelope, Event, MoveKind, Piece};
use crate::registry::types::*;

/// What a request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
///
/// Account, authorization and entity ids, beneficiaries and actors are shared with the fold's
/// other records (see `State::intern`): a journal names few of each, and a replay holds one
/// request per two-phase command (~30,000 in a 1M-event synth journal), which with copies
/// took ~11 allocations and ~800 bytes each.
pub enum RequestKind {
    Retirement {
        from: Arc<str>,
        to: Arc<str>,
        subtype: RetirementSubtype,
        beneficiary: Arc<Beneficiary>,
        use_year: Option<u16>,
        authorized_entity: Option<Arc<str>>,
    },
    ItmoAuthorization {
        account: Arc<str>,
        authorization: Arc<str>,
        date: Option<NaiveDate>,
    },
}

/// A two-phase request and its resolution.
#[derive(Debug, Clone)]
pub struct Request {
    /// The same shared string as the request's key in `Lifecycle::requests` and its blocks'
    /// entries in `Lifecycle::reserved`.
    pub id: Arc<str>,
    pub kind: RequestKind,
    /// Reserved blocks (children replace a split parent).
    pub blocks: Vec<BlockId>,
    pub status: RequestStatus,
    pub requested_by: Arc<Actor>,
    pub seq: u64,
    pub resolved_seq: Option<u64>,
    pub resolved_by: Option<Arc<Actor>>,
    /// Blocks approved (all, or the approved part of a partial authorization).
    pub approved: Vec<BlockId>,
}

impl Request {
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            RequestKind::Retirement { .. } => "retirement",
            RequestKind::ItmoAuthorization { .. } => "itmo-authorization",
        }
    }
}

/// Latest initial report of a cooperative approach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitialReport {
    pub approach: String,
    pub version: u32,
    pub status: ReportStatus,
    pub seq: u64,
    pub date: NaiveDate,
}

/// An authorized entity of a cooperative approach (AEF T5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizedEntity {
    pub organization: String,
    pub approach: String,
    pub date: NaiveDate,
    pub conditions: String,
    pub revocation_conditions: String,
    pub status: EntityStatus,
}

/// A corresponding-adjustment record (approach, year).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaRecord {
    pub approach: String,
    pub year: u16,
    pub quantity: u64,
    pub status: CaStatus,
}

/// Display metadata attached to an earlier event.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Annotation {
    /// The `Annotated` event's own seq.
    pub seq: u64,
    pub fields: BTreeMap<String, String>,
    pub reason: String,
}

/// Lifecycle records of the fold.
#[derive(Debug, Default, Clone)]
pub struct Lifecycle {
    pub requests: BTreeMap<Arc<str>, Request>,
    /// Reserved block → id of its pending request.
    pub reserved: HashMap<BlockId, Arc<str>>,
    pub initial_reports: BTreeMap<String, InitialReport>,
    /// (approach, organization) → record.
    pub entities: BTreeMap<(String, String), AuthorizedEntity>,
    pub ca_records: BTreeMap<(String, u16), CaRecord>,
    /// Closed reporting years with the date of the closing event.
    pub closed_years: BTreeMap<u16, NaiveDate>,
    /// Target seq → annotations, in log order.
    pub annotations: BTreeMap<u64, Vec<Annotation>>,
    /// Seqs of events that carry a beneficiary (annotatable beneficiary fields).
    pub beneficiary_events: SeqSet,
}

pub(crate) const TP: &str = "two-phase";

/// A set of event seqs that the fold fills in log order: a sorted vector, so that noting the
/// current event is a push (a `BTreeSet` walked its tree for each of a replay's ~190,000
/// retirements, ~2.5 % of a check) and asking about one is a binary search.
///
/// Invariant: `seqs` is strictly increasing. `insert` keeps it so for any seq; one below the
/// last (never, in a fold) takes the slow way, an insertion in place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeqSet {
    seqs: Vec<u64>,
}

impl SeqSet {
    /// Add `seq`; false when it was there already.
    pub fn insert(&mut self, seq: u64) -> bool {
        match self.seqs.last() {
            Some(&last) if seq <= last => match self.seqs.binary_search(&seq) {
                Ok(_) => false,
                Err(at) => {
                    self.seqs.insert(at, seq);
                    true
                }
            },
            _ => {
                self.seqs.push(seq);
                true
            }
        }
    }

    pub fn contains(&self, seq: &u64) -> bool {
        self.seqs.binary_search(seq).is_ok()
    }

    pub fn len(&self) -> usize {
        self.seqs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.seqs.is_empty()
    }

    /// The seqs, in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = u64> + '_ {
        self.seqs.iter().copied()
    }
}

impl Lifecycle {
    /// Invariant 3/15: a reserved block moves, freezes or converts only via its resolution.
    pub fn check_unreserved(&self, seq: u64, id: BlockId) -> Result<(), InvariantViolation> {
        if !self.reserved.is_empty()
            && let Some(r) = self.reserved.get(&id)
        {
            return Err(v(
                3,
                "no double spend",
                seq,
                Some(id),
                format!(
                    "block is reserved by pending request {r}; only its resolution releases it"
                ),
            ));
        }
        Ok(())
    }

    /// Pending request reserving `id`, if any.
    pub fn reserved_by(&self, id: BlockId) -> Option<&str> {
        if self.reserved.is_empty() {
            return None;
        }
        self.reserved.get(&id).map(|r| &**r)
    }

    pub fn inherit_reservation(&mut self, parent: BlockId, children: &[Piece]) {
        if self.reserved.is_empty() {
            return;
        }
        let Some(r) = self.reserved.remove(&parent) else {
            return;
        };
        for c in children {
            self.reserved.insert(c.block, r.clone());
        }
        if let Some(req) = self.requests.get_mut(&*r)
            && let Some(pos) = req.blocks.iter().position(|b| *b == parent)
        {
            req.blocks
                .splice(pos..=pos, children.iter().map(|c| c.block));
        }
    }

    /// Whether an initial report that allows Submitted/Active is on file for `approach`.
    pub fn has_initial_report(&self, approach: &str) -> bool {
        self.initial_reports
            .get(approach)
            .is_some_and(|r| r.status >= ReportStatus::Submitted)
    }

    /// The Active authorized-entity record of `org` for `approach`.
    pub fn active_entity(&self, approach: &str, org: &str) -> Option<&AuthorizedEntity> {
        self.entities
            .get(&(approach.to_string(), org.to_string()))
            .filter(|e| e.status == EntityStatus::Active)
    }

    /// The organizations that are Active authorized entities of `approach`, in id order.
    pub fn active_entities_of(&self, approach: &str) -> Vec<&str> {
        self.entities
            .iter()
            .filter(|((a, _), e)| a == approach && e.status == EntityStatus::Active)
            .map(|((_, org), _)| org.as_str())
            .collect()
    }
}

impl State {
    /// Units of a block list (0 for unknown blocks).
    pub fn units_of(&self, blocks: &[BlockId]) -> u64 {
        blocks
            .iter()
            .filter_map(|b| self.block(*b))
            .map(|b| b.count())
            .sum()
    }

    fn reserve(
        &mut self,
        seq: u64,
        id: &str,
        account: &str,
        blocks: &[BlockId],
        mo_only: bool,
    ) -> Result<Arc<str>, InvariantViolation> {
        if self.lc.requests.contains_key(id) {
            return Err(v(15, TP, seq, None, format!("request id {id} reused")));
        }
        if blocks.is_empty() {
            return Err(v(
                15,
                TP,
                seq,
                None,
                format!("request {id} reserves nothing"),
            ));
        }
        let ai = self.acct(seq, account)?;
        if self.accounts[ai as usize].kind.is_terminal() {
            return Err(v(
                4,
                "sinks",
                seq,
                None,
                format!("account {account} is terminal"),
            ));
        }
        for &b in blocks {
            let blk = self.live_block(seq, b)?;
            if blk.account != ai {
                return Err(v(
                    3,
                    "no double spend",
                    seq,
                    Some(b),
                    format!("block is not held by {account}"),
                ));
            }
            if blk.frozen() {
                return Err(v(
                    3,
                    "no double spend",
                    seq,
                    Some(b),
                    "frozen block reserved".into(),
                ));
            }
            if mo_only && blk.class != Class::Mo {
                return Err(v(
                    11,
                    "authorization gating",
                    seq,
                    Some(b),
                    "block is already an ITMO".into(),
                ));
            }
            self.lc.check_unreserved(seq, b)?;
        }
        let rid: Arc<str> = Arc::from(id);
        for &b in blocks {
            self.lc.reserved.insert(b, rid.clone());
        }
        Ok(rid)
    }

    fn resolve(
        &mut self,
        seq: u64,
        id: &str,
        status: RequestStatus,
        actor: &Actor,
        approved: &[BlockId],
    ) -> Result<(), InvariantViolation> {
        let req = self
            .lc
            .requests
            .get(id)
            .ok_or_else(|| v(15, TP, seq, None, format!("unknown request {id}")))?;
        if req.status != RequestStatus::Pending {
            return Err(v(
                15,
                TP,
                seq,
                None,
                format!(
                    "request {id} is already {:?}; it resolves exactly once",
                    req.status
                ),
            ));
        }
        if status == RequestStatus::Approved && req.requested_by.same_person(actor) {
            return Err(v(
                15,
                TP,
                seq,
                None,
                format!("request {id} approved by its requester {}", actor.user),
            ));
        }
        if let Some(b) = approved.iter().find(|b| !req.blocks.contains(b)) {
            return Err(v(
                15,
                TP,
                seq,
                Some(*b),
                format!("approved block is not reserved by request {id}"),
            ));
        }
        let blocks = req.blocks.clone();
        for b in &blocks {
            self.lc.reserved.remove(b);
        }
        let actor = self.intern_actor(actor);
        if let Some(req) = self.lc.requests.get_mut(id) {
            req.status = status;
            req.resolved_seq = Some(seq);
            req.resolved_by = Some(actor);
            req.approved = approved.to_vec();
        }
        Ok(())
    }

    /// Fold one lifecycle event (see the module docs).
    pub(super) fn apply_lifecycle(
        &mut self,
        seq: u64,
        date: NaiveDate,
        env: &Envelope,
    ) -> Result<(), InvariantViolation> {
        match &env.event {
            Event::RetirementRequested {
                id,
                from,
                to,
                blocks,
                subtype,
                beneficiary,
                use_year,
                authorized_entity,
            } => {
                self.acct(seq, to)?;
                let rid = self.reserve(seq, id, from, blocks, false)?;
                self.lc.beneficiary_events.insert(seq);
                let kind = RequestKind::Retirement {
                    from: self.intern(from),
                    to: self.intern(to),
                    subtype: *subtype,
                    beneficiary: self.intern_beneficiary(beneficiary),
                    use_year: *use_year,
                    authorized_entity: authorized_entity.as_deref().map(|e| self.intern(e)),
                };
                let requested_by = self.intern_actor(&env.actor);
                self.lc.requests.insert(
                    rid.clone(),
                    Request {
                        id: rid,
                        kind,
                        blocks: blocks.clone(),
                        status: RequestStatus::Pending,
                        requested_by,
                        seq,
                        resolved_seq: None,
                        resolved_by: None,
                        approved: Vec::new(),
                    },
                );
            }
            Event::ItmoAuthorizationRequested {
                id,
                account,
                authorization,
                blocks,
                date: d,
            } => {
                if !self.auth_ix.contains_key(authorization) {
                    return Err(v(
                        11,
                        "authorization gating",
                        seq,
                        None,
                        format!("unknown authorization {authorization}"),
                    ));
                }
                let rid = self.reserve(seq, id, account, blocks, true)?;
                let kind = RequestKind::ItmoAuthorization {
                    account: self.intern(account),
                    authorization: self.intern(authorization),
                    date: *d,
                };
                let requested_by = self.intern_actor(&env.actor);
                self.lc.requests.insert(
                    rid.clone(),
                    Request {
                        id: rid,
                        kind,
                        blocks: blocks.clone(),
                        status: RequestStatus::Pending,
                        requested_by,
                        seq,
                        resolved_seq: None,
                        resolved_by: None,
                        approved: Vec::new(),
                    },
                );
            }
            Event::RequestApproved { id, blocks } => {
                self.resolve(seq, id, RequestStatus::Approved, &env.actor, blocks)?
            }
            Event::RequestRejected { id, .. } => {
                self.resolve(seq, id, RequestStatus::Rejected, &env.actor, &[])?
            }
            Event::RequestCancelled { id, .. } => {
                self.resolve(seq, id, RequestStatus::Cancelled, &env.actor, &[])?
            }
            Event::InitialReportFiled {
                approach,
                version,
                status,
            } => {
                if !self.approaches.contains_key(approach) {
                    return Err(v(
                        11,
                        "authorization gating",
                        seq,
                        None,
                        format!("initial report for unknown cooperative approach {approach}"),
                    ));
                }
                self.lc.initial_reports.insert(
                    approach.clone(),
                    InitialReport {
                        approach: approach.clone(),
                        version: *version,
                        status: *status,
                        seq,
                        date,
                    },
                );
            }
            Event::AuthorizedEntityRecorded {
                organization,
                approach,
                date: d,
                conditions,
                revocation_conditions,
                status,
            } => {
                let key = (approach.clone(), organization.clone());
                if self
                    .lc
                    .entities
                    .get(&key)
                    .is_some_and(|e| e.status == EntityStatus::Revoked)
                {
                    return Err(v(
                        11,
                        "authorization gating",
                        seq,
                        None,
                        format!(
                            "authorized entity {organization} of {approach} is Revoked (final)"
                        ),
                    ));
                }
                self.lc.entities.insert(
                    key,
                    AuthorizedEntity {
                        organization: organization.clone(),
                        approach: approach.clone(),
                        date: *d,
                        conditions: conditions.clone(),
                        revocation_conditions: revocation_conditions.clone(),
                        status: *status,
                    },
                );
            }
            Event::CaRecorded {
                approach,
                year,
                quantity,
            } => {
                let key = (approach.clone(), *year);
                if let Some(r) = self.lc.ca_records.get(&key)
                    && r.status != CaStatus::Draft
                {
                    return Err(v(
                        12,
                        "CA arithmetic",
                        seq,
                        None,
                        format!(
                            "CA record {approach} {year} is {:?}; only a Draft changes",
                            r.status
                        ),
                    ));
                }
                self.lc.ca_records.insert(
                    key,
                    CaRecord {
                        approach: approach.clone(),
                        year: *year,
                        quantity: *quantity,
                        status: CaStatus::Draft,
                    },
                );
            }
            Event::CaSubmitted { approach, year } | Event::CaApproved { approach, year } => {
                let (from, to) = if matches!(env.event, Event::CaSubmitted { .. }) {
                    (CaStatus::Draft, CaStatus::Submitted)
                } else {
                    (CaStatus::Submitted, CaStatus::Approved)
                };
                match self.lc.ca_records.get_mut(&(approach.clone(), *year)) {
                    Some(r) if r.status == from => r.status = to,
                    other => {
                        return Err(v(
                            12,
                            "CA arithmetic",
                            seq,
                            None,
                            format!(
                                "CA record {approach} {year}: {:?} → {to:?} not allowed",
                                other.map(|r| r.status)
                            ),
                        ));
                    }
                }
            }
            Event::YearClosed { year } if self.lc.closed_years.contains_key(year) => {
                return Err(v(
                    9,
                    "derived status",
                    seq,
                    None,
                    format!("reporting year {year} closed twice"),
                ));
            }
            Event::YearClosed { year } => {
                self.lc.closed_years.insert(*year, date);
            }
            Event::Annotated {
                seq: target,
                fields,
                reason,
            } => {
                if *target == 0 || *target >= seq {
                    return Err(v(
                        7,
                        "hash chain",
                        seq,
                        None,
                        format!("annotation of event {target}, which is not an earlier event"),
                    ));
                }
                self.lc
                    .annotations
                    .entry(*target)
                    .or_default()
                    .push(Annotation {
                        seq,
                        fields: fields.clone(),
                        reason: reason.clone(),
                    });
            }
            _ => {}
        }
        Ok(())
    }

    /// Remember events that carry a beneficiary (called for every non-lifecycle event).
    pub(super) fn note_beneficiary(&mut self, seq: u64, ev: &Event) {
        if let Event::Moved {
            kind: MoveKind::Use { .. } | MoveKind::Retire { .. },
            ..
        } = ev
        {
            self.lc.beneficiary_events.insert(seq);
        }
    }
}

/// Invariant 15 over the whole state: every reservation belongs to a pending request that
/// lists the block, the block is live, unfrozen and not in a sink; every block of a pending
/// request is reserved by it; resolved requests reserve nothing.
pub fn check_two_phase(st: &State) -> Result<(), InvariantViolation> {
    for (&b, r) in &st.lc.reserved {
        let req = st.lc.requests.get(&**r);
        let ok_req =
            req.is_some_and(|q| q.status == RequestStatus::Pending && q.blocks.contains(&b));
        let blk = st.block(b);
        let ok_blk = blk.is_some_and(|x| {
            x.live() && !x.frozen() && !st.accounts[x.account as usize].kind.is_terminal()
        });
        if !ok_req || !ok_blk {
            return Err(v(
                15,
                TP,
                req.map(|q| q.seq).unwrap_or(st.last_seq),
                Some(b),
                format!(
                    "reservation by {r} is not held by a pending request on a live, movable block"
                ),
            ));
        }
    }
    for req in st.lc.requests.values() {
        if req.status == RequestStatus::Pending {
            for b in &req.blocks {
                if st.lc.reserved.get(b).map(|r| &**r) != Some(&*req.id) {
                    return Err(v(
                        15,
                        TP,
                        req.seq,
                        Some(*b),
                        format!("block of pending request {} is not reserved by it", req.id),
                    ));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::SeqSet;
    use std::collections::BTreeSet;

    /// Against a `BTreeSet`: ascending runs (the fold's case), repeats, and seqs below the
    /// last, from a seeded generator.
    #[test]
    fn a_seq_set_answers_as_a_btree_set_whatever_the_order() {
        let mut next = crate::registry::state::ids::xorshift(0x9e37_79b9_7f4a_7c15);
        let mut set = SeqSet::default();
        let mut reference = BTreeSet::new();
        let mut seq = 0u64;
        for step in 0..20_000 {
            let r = next();
            let s = match r % 10 {
                0 => r % (seq + 1), // anywhere up to the last
                1 => seq,           // the last again
                _ => {
                    seq += 1 + (r >> 8) % 5; // the fold: increasing
                    seq
                }
            };
            assert_eq!(set.insert(s), reference.insert(s), "step {step}, seq {s}");
            let probe = next() % (seq + 3);
            assert_eq!(
                set.contains(&probe),
                reference.contains(&probe),
                "probe {probe}"
            );
        }
        assert_eq!(set.len(), reference.len());
        assert!(set.iter().eq(reference.iter().copied()));
    }
}
