//! The command table: every command id of the journal with its record, for idempotent retries
//! (invariant 5). One job: remember a record per id, compactly: the ids in an [`IdTable`]
//! (one arena and a table of 8-byte slots; see [`super::ids`]), the records in one vector in
//! commit order, numbered as their ids.
//!
//! Replay asks twice per command (is the id new when its batch opens; record it when the batch
//! ends). [`CommandTable::claim`] does the probe once and [`CommandTable::fill`] writes the
//! claimed slot; nothing else is inserted in between, which `fill` checks.
//!
//! A replay from a file goes further ([`CommandTable::deferred`]): records are appended in
//! commit order with no lookup at all, and [`CommandTable::index`] builds the lookup at the
//! end and reports the first id that came back, which is the duplicate an eager table would
//! have refused first.

use super::CommandRecord;
pub use super::ids::Claim;
use super::ids::IdTable;

#[derive(Debug, Clone, Default)]
pub struct CommandTable {
    ids: IdTable,
    /// By id number, in commit order.
    records: Vec<CommandRecord>,
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
            ids: IdTable::deferred(),
            records: Vec::new(),
        }
    }

    /// Whether lookups are waiting for [`CommandTable::index`].
    pub fn is_deferred(&self) -> bool {
        self.ids.is_deferred()
    }

    /// Build the lookup of a deferred table (a no-op otherwise). `Err(record number)` of the
    /// first record whose id an earlier record already has; the table is then indexed all
    /// the same, each id pointing at its first record.
    pub fn index(&mut self) -> Result<(), usize> {
        self.ids.index()
    }

    /// Make room for `additional` more commands without growing.
    pub fn reserve(&mut self, additional: usize) {
        self.records.reserve(additional);
        self.ids.reserve(additional, 16);
    }

    pub fn get(&self, id: &str) -> Option<&CommandRecord> {
        self.ids.get(id).and_then(|n| self.records.get(n))
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
        self.ids.claim(id)
    }

    /// Record `id` in the slot `claim` reserved for it. A stale claim (something was inserted
    /// since) is not trusted: the id is then inserted by a fresh probe.
    pub fn fill(&mut self, claim: Claim, id: &str, record: CommandRecord) {
        let n = self.ids.fill(claim, id);
        if n == self.records.len() {
            self.records.push(record);
        } else {
            // The id came in after the claim was taken: the record replaces its own.
            self.records[n] = record;
        }
    }

    /// The record number (commit order) and the record.
    pub fn record(&self, ix: usize) -> Option<(&str, &CommandRecord)> {
        (ix < self.records.len()).then(|| (self.ids.id(ix), &self.records[ix]))
    }

    /// `(id, record)` in commit order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &CommandRecord)> {
        (0..self.records.len()).map(|ix| (self.ids.id(ix), &self.records[ix]))
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
            let id = super::super::ids::sample_id(n as usize);
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
        // Deferred (the ids' own behaviour is tested in `ids`): every record is kept in
        // commit order, and after indexing an id finds its first record.
        let mut d = CommandTable::deferred();
        d.reserve(8);
        for (n, id) in ["a", "b", "c", "b", "a", "d"].into_iter().enumerate() {
            let c = d.claim(id).expect("a deferred table never refuses");
            d.fill(c, id, rec(n as u64));
        }
        assert_eq!((d.len(), d.index()), (6, Err(3)));
        assert_eq!(d.get("b").map(|r| r.batch_id), Some(1));
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
