//! The command table: every command id of the journal with its record, for idempotent retries
//! (invariant 5). One job: remember a record per id, compactly.
//!
//! A journal of 1,000,000 events holds ~600,000 commands, so a `HashMap<String, _>` (a heap
//! string and a 24-byte key per id, in a power-of-two table at most 7/8 full) was the largest
//! structure of a replay. Here the ids live back to back in one arena, the records in one
//! vector in commit order, and the lookup is a power-of-two table of 8-byte slots (open
//! addressing, linear probing, at most half full), each the record number and 32 more bits of
//! the id's hash. A probe compares those bits first, so a miss (every new command of a replay)
//! reads only the slot table, not the arena; a hit compares the id bytes, so two ids never
//! share a record whatever their hashes.
//!
//! Replay asks twice per command (is the id new when its batch opens; record it when the batch
//! ends). [`CommandTable::claim`] does the probe once and [`CommandTable::fill`] writes the
//! claimed slot; nothing else is inserted in between, which `fill` checks.
//!
//! A replay from a file can go further ([`CommandTable::deferred`]): records are appended in
//! commit order with no lookup at all, and [`CommandTable::index`] builds the slots at the end
//! in one loop whose probes are independent, so the CPU overlaps their cache misses (~20 ns
//! each instead of ~0.3 µs one after another in the middle of the fold). `index` reports the
//! first id that came back, which is the duplicate an eager table would have refused first.

use std::hash::Hasher;

use super::{CommandRecord, FastHasher};

#[derive(Debug, Clone, Default)]
pub struct CommandTable {
    /// Every id, back to back.
    ids: String,
    /// `(start, len)` of each record's id in `ids`, parallel to `records`.
    spans: Vec<(u32, u32)>,
    records: Vec<CommandRecord>,
    /// Per slot: 0 for empty, else `tag << 32 | (record number + 1)`. The length is a power
    /// of two (or zero). Empty while `deferred`.
    slots: Vec<u64>,
    /// Records are appended without lookups until [`CommandTable::index`].
    deferred: bool,
}

/// A vacant slot reserved for one id by [`CommandTable::claim`], to be filled by
/// [`CommandTable::fill`] before anything else is inserted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim {
    slot: usize,
    tag: u64,
    /// Record count and table size when claimed: a fill after another insert or a rehash is
    /// not trusted (it re-probes).
    records: usize,
    size: usize,
}

fn hash(id: &str) -> u64 {
    let mut h = FastHasher::default();
    h.write(id.as_bytes());
    // Mix the high bits down: the table uses the low bits.
    let x = h.finish();
    x ^ (x >> 29) ^ (x >> 47)
}

impl CommandTable {
    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// A table that only appends until [`CommandTable::index`] (for replays; see the module
    /// doc). Lookups before `index` find nothing, and `claim` never refuses.
    pub fn deferred() -> CommandTable {
        CommandTable {
            deferred: true,
            ..CommandTable::default()
        }
    }

    /// Whether lookups are waiting for [`CommandTable::index`].
    pub fn is_deferred(&self) -> bool {
        self.deferred
    }

    /// Build the lookup slots of a deferred table (a no-op otherwise). `Err(record number)`
    /// of the first record whose id an earlier record already has; the table is then indexed
    /// all the same, each id pointing at its first record.
    pub fn index(&mut self) -> Result<(), usize> {
        if !self.deferred {
            return Ok(());
        }
        self.deferred = false;
        let size = (self.records.len().saturating_mul(4) / 3 + 1)
            .next_power_of_two()
            .max(64);
        self.slots = vec![0; size];
        let mut first_dup = None;
        for ix in 0..self.records.len() {
            let (s, tag) = self.slot(self.id(ix));
            if self.slots[s] == 0 {
                self.slots[s] = tag | (ix as u64 + 1);
            } else if first_dup.is_none() {
                first_dup = Some(ix);
            }
        }
        first_dup.map_or(Ok(()), Err)
    }

    /// Make room for `additional` more commands without growing.
    pub fn reserve(&mut self, additional: usize) {
        self.records.reserve(additional);
        self.spans.reserve(additional);
        self.ids.reserve(additional.saturating_mul(16));
        if self.deferred {
            return;
        }
        let want = (self.records.len() + additional).saturating_mul(4) / 3;
        if want > self.slots.len() {
            self.rehash(want.next_power_of_two());
        }
    }

    fn id(&self, ix: usize) -> &str {
        let (start, len) = self.spans[ix];
        &self.ids[start as usize..(start + len) as usize]
    }

    /// `(slot, tag)`: the slot holding `id`, or the empty slot where it would go.
    fn slot(&self, id: &str) -> (usize, u64) {
        let mask = self.slots.len() - 1;
        let h = hash(id);
        let tag = h >> 32 << 32;
        let mut i = h as usize & mask;
        loop {
            match self.slots[i] {
                0 => return (i, tag),
                n if n >> 32 << 32 == tag && self.id((n as u32) as usize - 1) == id => {
                    return (i, tag);
                }
                _ => i = (i + 1) & mask,
            }
        }
    }

    pub fn get(&self, id: &str) -> Option<&CommandRecord> {
        if self.slots.is_empty() {
            return None;
        }
        match self.slots[self.slot(id).0] {
            0 => None,
            n => self.records.get((n as u32) as usize - 1),
        }
    }

    pub fn contains_key(&self, id: &str) -> bool {
        self.get(id).is_some()
    }

    /// Record `id` (replacing the record of an id already present).
    pub fn insert(&mut self, id: &str, record: CommandRecord) {
        match self.claim(id) {
            Ok(c) => self.fill(c, id, record),
            Err(n) => self.records[n] = record,
        }
    }

    /// Reserve the slot for a new `id` (growing first, so the claim stays valid until filled).
    /// `Err(record number)` when `id` is already present.
    pub fn claim(&mut self, id: &str) -> Result<Claim, usize> {
        if self.deferred {
            return Ok(Claim {
                slot: usize::MAX,
                tag: 0,
                records: self.records.len(),
                size: 0,
            });
        }
        if (self.records.len() + 1) * 4 > self.slots.len() * 3 {
            self.rehash((self.slots.len() * 2).max(64));
        }
        let (slot, tag) = self.slot(id);
        match self.slots[slot] {
            0 => Ok(Claim {
                slot,
                tag,
                records: self.records.len(),
                size: self.slots.len(),
            }),
            n => Err((n as u32) as usize - 1),
        }
    }

    /// Record `id` in the slot `claim` reserved for it. A stale claim (something was inserted
    /// since) is not trusted: the id is then inserted by a fresh probe.
    pub fn fill(&mut self, claim: Claim, id: &str, record: CommandRecord) {
        if self.deferred {
            self.push(id, record);
            return;
        }
        if claim.records != self.records.len()
            || claim.size != self.slots.len()
            || self.slots.get(claim.slot) != Some(&0)
        {
            return self.insert(id, record);
        }
        self.push(id, record);
        self.slots[claim.slot] = claim.tag | self.records.len() as u64;
    }

    fn push(&mut self, id: &str, record: CommandRecord) {
        let start = u32::try_from(self.ids.len()).unwrap_or(u32::MAX);
        let len = u32::try_from(id.len()).unwrap_or(u32::MAX);
        self.ids.push_str(id);
        self.spans.push((start, len));
        self.records.push(record);
    }

    /// The record number (commit order) and the record.
    pub fn record(&self, ix: usize) -> Option<(&str, &CommandRecord)> {
        (ix < self.records.len()).then(|| (self.id(ix), &self.records[ix]))
    }

    fn rehash(&mut self, size: usize) {
        self.slots = vec![0; size];
        for ix in 0..self.records.len() {
            let (s, tag) = self.slot(self.id(ix));
            self.slots[s] = tag | (ix as u64 + 1);
        }
    }

    /// `(id, record)` in commit order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &CommandRecord)> {
        (0..self.records.len()).map(|ix| (self.id(ix), &self.records[ix]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(n: u64) -> CommandRecord {
        CommandRecord {
            payload_hash: [n as u8; 32],
            batch_id: n,
            first_seq: n,
            last_seq: n + 1,
            rejected: None,
        }
    }

    /// Against a plain `HashMap`, through growth, replacement, similar ids and misses.
    #[test]
    fn agrees_with_a_hash_map() {
        let mut t = CommandTable::default();
        let mut m = std::collections::HashMap::new();
        assert!(t.get("x").is_none() && t.is_empty());
        for n in 0..20_000u64 {
            let id = match n % 4 {
                0 => format!("synth-{n}"),
                1 => format!("{n}"),
                2 => format!("auto-{}", n / 2),
                _ => "ünï-".repeat((n % 7) as usize) + &n.to_string(),
            };
            t.insert(&id, rec(n));
            m.insert(id, n);
        }
        assert_eq!(t.len(), m.len());
        for (id, n) in &m {
            assert_eq!(t.get(id).map(|r| r.batch_id), Some(*n), "{id}");
        }
        for miss in ["", "synth-20000", "auto-", "synth-1 ", "SYNTH-0"] {
            assert!(!t.contains_key(miss), "{miss}");
        }
        let ids: Vec<&str> = t.iter().map(|(id, _)| id).collect();
        assert_eq!(ids.len(), m.len());
        assert_eq!(ids[0], "synth-0");
        // A claim is filled in place; a stale one (after another insert or a rehash) re-probes.
        let mut c = CommandTable::default();
        let a = c.claim("a").ok();
        assert!(c.claim("b").is_ok() && a.is_some());
        c.insert("b", rec(2));
        c.fill(a.unwrap(), "a", rec(1));
        let stale = c.claim("z").unwrap();
        c.reserve(1000);
        c.fill(stale, "z", rec(3));
        assert_eq!(c.claim("a"), Err(1), "b was recorded first");
        assert_eq!(c.claim("b"), Err(0));
        assert_eq!(c.claim("z"), Err(2));
        assert_eq!(c.get("z").map(|r| r.batch_id), Some(3));
        assert_eq!(c.len(), 3);
        // A deferred table appends, then indexes and names the first id that came back.
        let mut d = CommandTable::deferred();
        d.reserve(8);
        for (n, id) in ["a", "b", "c", "b", "a", "d"].into_iter().enumerate() {
            let c = d.claim(id).expect("a deferred table never refuses");
            d.fill(c, id, rec(n as u64));
        }
        assert!(d.is_deferred() && d.get("a").is_none());
        assert_eq!(
            d.index(),
            Err(3),
            "the second \"b\" is the first to come back"
        );
        assert!(!d.is_deferred());
        assert_eq!(
            d.get("b").map(|r| r.batch_id),
            Some(1),
            "ids point at their first record"
        );
        assert_eq!(d.get("d").map(|r| r.batch_id), Some(5));
        assert_eq!(d.record(4).map(|(id, _)| id), Some("a"));
        assert_eq!(d.claim("c"), Err(2));
        let mut ok = CommandTable::deferred();
        for n in 0..5_000u64 {
            ok.insert(&format!("x{n}"), rec(n));
        }
        assert_eq!(ok.index(), Ok(()));
        assert_eq!(ok.get("x4999").map(|r| r.batch_id), Some(4999));
        assert_eq!(ok.index(), Ok(()), "indexing twice changes nothing");
        let mut r = CommandTable::default();
        r.reserve(10);
        r.insert("a", rec(1));
        assert_eq!(r.get("a").map(|x| x.last_seq), Some(2));
    }
}
