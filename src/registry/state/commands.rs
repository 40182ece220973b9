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
//!
//! A check goes further still ([`CommandTable::ids_only`]): it verifies that no command id
//! comes back, and nothing reads a record after it, so it keeps the ids and each command's
//! first seq (for the report of a repeat), not the 64-byte record a retry is answered from.

use super::CommandRecord;
pub use super::ids::Claim;
use super::ids::IdTable;

#[derive(Debug, Clone, Default)]
pub struct CommandTable {
    ids: IdTable,
    /// By id number, in commit order (empty for an ids-only table).
    records: Vec<CommandRecord>,
    /// By id number, the first seq of each command of an ids-only table (empty otherwise).
    first_seqs: Vec<u64>,
    /// Keep `first_seqs` instead of `records` (see [`CommandTable::ids_only`]).
    ids_only: bool,
}

impl CommandTable {
    /// Commands recorded (ids are numbered as they are recorded, in any table).
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A table that only appends until [`CommandTable::index`] (for replays; see the module
    /// doc). Lookups before `index` find nothing, and `claim` never refuses.
    pub fn deferred() -> CommandTable {
        CommandTable {
            ids: IdTable::deferred(),
            ..CommandTable::default()
        }
    }

    /// A [`CommandTable::deferred`] table that keeps each command's id and first seq, and no
    /// record: for a check, which refuses a repeated id and then throws the state away (see
    /// the module doc). `get` finds nothing in it; [`CommandTable::first_seq`] and
    /// [`CommandTable::index`] work as in any table. Filled by [`CommandTable::fill_id`].
    pub fn ids_only() -> CommandTable {
        CommandTable {
            ids_only: true,
            ..CommandTable::deferred()
        }
    }

    /// Whether records are kept (false for [`CommandTable::ids_only`]).
    pub fn keeps_records(&self) -> bool {
        !self.ids_only
    }

    /// Whether lookups are waiting for [`CommandTable::index`].
    pub fn is_deferred(&self) -> bool {
        self.ids.is_deferred()
    }

    /// Build the lookup of a deferred table (a no-op otherwise). `Err(record number)` of the
    /// first record whose id an earlier record already has; the table is then indexed all
    /// the same, each id pointing at its first record.
    ///
    /// An ids-only table is only checked ([`IdTable::check_unique`], which works in
    /// `scratch`): it is thrown away after the check, which asks it for at most one id.
    pub fn index(&mut self, scratch: &mut Vec<u64>) -> Result<(), usize> {
        if self.ids_only {
            self.ids.check_unique(scratch)
        } else {
            self.ids.index()
        }
    }

    /// Make room for `additional` more commands without growing.
    pub fn reserve(&mut self, additional: usize) {
        if self.ids_only {
            self.first_seqs.reserve(additional);
        } else {
            self.records.reserve(additional);
        }
        self.ids.reserve(additional, 16);
    }

    pub fn get(&self, id: &str) -> Option<&CommandRecord> {
        self.ids.get(id).and_then(|n| self.records.get(n))
    }

    /// Whether `id` was recorded (in any table, ids-only too).
    pub fn contains_key(&self, id: &str) -> bool {
        self.ids.contains(id)
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

    /// Record `id` of a command that began at `first_seq` in the slot `claim` reserved, in an
    /// [`CommandTable::ids_only`] table (in any other table, the record is `fill`ed instead).
    pub fn fill_id(&mut self, claim: Claim, id: &str, first_seq: u64) {
        debug_assert!(self.ids_only, "a table of records is filled with records");
        let n = self.ids.fill(claim, id);
        if n == self.first_seqs.len() {
            self.first_seqs.push(first_seq);
        } else {
            self.first_seqs[n] = first_seq;
        }
    }

    /// Record `id` of a command that began at `first_seq` in an ids-only table, in the slot
    /// `claim` reserved when there is one (replacing the first seq of an id already present,
    /// as [`CommandTable::insert`] replaces a record).
    pub fn insert_id(&mut self, claim: Option<Claim>, id: &str, first_seq: u64) {
        match claim.map_or_else(|| self.ids.claim(id), Ok) {
            Ok(claim) => self.fill_id(claim, id, first_seq),
            Err(n) => {
                if let Some(seq) = self.first_seqs.get_mut(n) {
                    *seq = first_seq;
                }
            }
        }
    }

    /// The id and first seq of command number `ix` (commit order), in any table.
    pub fn first_seq(&self, ix: usize) -> Option<(&str, u64)> {
        let seq = match self.ids_only {
            true => self.first_seqs.get(ix).copied(),
            false => self.records.get(ix).map(|r| r.first_seq),
        };
        seq.map(|s| (self.ids.id(ix), s))
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
        assert_eq!((d.len(), d.index(&mut Vec::new())), (6, Err(3)));
        assert_eq!(d.get("b").map(|r| r.batch_id), Some(1));
        assert_eq!(d.get("d").map(|r| r.batch_id), Some(5));
        assert_eq!(d.record(4).map(|(id, _)| id), Some("a"));
        assert_eq!(d.claim("c"), Err(2));
        let mut ok = CommandTable::deferred();
        for n in 0..5_000u64 {
            ok.insert(&format!("x{n}"), rec(n));
        }
        assert_eq!(ok.index(&mut Vec::new()), Ok(()));
        assert_eq!(ok.get("x4999").map(|r| r.batch_id), Some(4999));
        assert_eq!(
            ok.index(&mut Vec::new()),
            Ok(()),
            "indexing twice changes nothing"
        );
        let mut r = CommandTable::default();
        r.reserve(10);
        r.insert("a", rec(1));
        assert_eq!(r.get("a").map(|x| x.last_seq), Some(2));
        assert_eq!(r.first_seq(0), Some(("a", 1)));
    }

    /// An ids-only table answers what a check asks (is the id there, which command came back
    /// and where it began) as a table of records does, and keeps no record.
    #[test]
    fn an_ids_only_table_reports_a_repeat_as_a_table_of_records_does() {
        let ids = ["a", "b", "c", "b", "a", "d"];
        let mut full = CommandTable::deferred();
        let mut slim = CommandTable::ids_only();
        slim.reserve(8);
        assert!(full.keeps_records() && !slim.keeps_records());
        for (n, id) in ids.into_iter().enumerate() {
            let seq = 10 * n as u64 + 1;
            let c = full.claim(id).expect("deferred");
            full.fill(
                c,
                id,
                CommandRecord {
                    first_seq: seq,
                    ..rec(n as u64)
                },
            );
            let c = slim.claim(id).expect("deferred");
            slim.fill_id(c, id, seq);
        }
        assert_eq!((slim.len(), slim.is_empty()), (6, false));
        assert_eq!(slim.index(&mut Vec::new()), full.index(&mut Vec::new()));
        assert_eq!(slim.first_seq(3), Some(("b", 31)));
        for ix in 0..7 {
            assert_eq!(slim.first_seq(ix), full.first_seq(ix), "command {ix}");
        }
        for id in ["a", "d", "e", ""] {
            assert_eq!(slim.contains_key(id), full.contains_key(id), "{id}");
        }
        assert!(slim.get("a").is_none() && full.get("a").is_some());
        assert!(slim.record(0).is_none());
        // Without a claim (a batch the table never saw open), and through a claim.
        slim.insert_id(None, "e", 71);
        let c = slim.claim("f").ok();
        slim.insert_id(c, "f", 81);
        assert_eq!(
            (slim.first_seq(6), slim.first_seq(7)),
            (Some(("e", 71)), Some(("f", 81)))
        );
    }
}
