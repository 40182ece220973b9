//! Id tables: strings numbered in the order they came, found again by their bytes. One job:
//! answer "which number has this id" for the hundreds of thousands of ids of a journal
//! (command ids, issuance ids) compactly, and let a replay skip the lookups until its end.
//!
//! A journal of 1,000,000 events holds ~600,000 command ids and ~120,000 issuance ids, so a
//! `HashMap<String, u32>` (a heap string and a 24-byte key per id, in a power-of-two table at
//! most 7/8 full) was among the largest structures of a replay. Here the ids live back to back
//! in one arena, and the lookup is a power-of-two table of 8-byte slots (open addressing,
//! linear probing, at most 3/4 full), each the id's number and 32 more bits of its hash. A
//! probe compares those bits first, so a miss (every new id of a replay) reads only the slot
//! table, not the arena; a hit compares the id bytes, so two ids never share a number whatever
//! their hashes.
//!
//! A replay from a file can go further ([`IdTable::deferred`]): ids are appended with no lookup
//! at all, and [`IdTable::index`] builds the slots at the end in one loop whose probes are
//! independent, so the CPU overlaps their cache misses (~20 ns each instead of ~0.3 µs one
//! after another in the middle of the fold). `index` reports the first id that came back,
//! which is the repeat an eager table would have refused first.
//!
//! A check, which throws its table away, needs only that verdict: [`IdTable::check_unique`]
//! gives it from the same ordering without building the slots (an 8 MB table for a
//! 1,000,000-event journal, every page of it new memory), and leaves a table that answers its
//! rare lookups by reading the ids.

use std::hash::Hasher;

use super::FastHasher;

#[derive(Debug, Clone, Default)]
pub struct IdTable {
    /// Every id, back to back.
    ids: String,
    /// `(start, len)` of each id in `ids`, by number.
    spans: Vec<(u32, u32)>,
    /// Per slot: 0 for empty, else `tag << 32 | (number + 1)`. The length is a power of two
    /// (or zero). Empty while `deferred`, and after [`IdTable::check_unique`] (lookups then
    /// read the ids until something is added).
    slots: Vec<u64>,
    /// Ids are appended without lookups until [`IdTable::index`].
    deferred: bool,
}

/// A vacant slot reserved for one id by [`IdTable::claim`], to be filled by
/// [`IdTable::fill`] before anything else is added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim {
    slot: usize,
    tag: u64,
    /// Id count and table size when claimed: a fill after another addition or a rehash is
    /// not trusted (it re-probes).
    len: usize,
    size: usize,
}

fn hash(id: &str) -> u64 {
    let mut h = FastHasher::default();
    h.write(id.as_bytes());
    // Mix the high bits down: the table uses the low bits.
    let x = h.finish();
    x ^ (x >> 29) ^ (x >> 47)
}

impl IdTable {
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// A table that only appends until [`IdTable::index`] (for replays; see the module doc).
    /// Lookups before `index` find nothing, and nothing is refused.
    pub fn deferred() -> IdTable {
        IdTable {
            deferred: true,
            ..IdTable::default()
        }
    }

    /// Whether lookups are waiting for [`IdTable::index`].
    pub fn is_deferred(&self) -> bool {
        self.deferred
    }

    /// Build the lookup slots of a deferred table (a no-op otherwise). `Err(number)` of the
    /// first id that an earlier number already has; the table is then indexed all the same,
    /// each id pointing at its first number.
    pub fn index(&mut self) -> Result<(), usize> {
        if !self.deferred {
            return Ok(());
        }
        self.deferred = false;
        let size = self.index_size();
        self.slots = vec![0; size];
        // Every id's hash and number, ordered by home slot: placed in that order, the probes
        // walk the table front to back instead of jumping about it (~600,000 command ids
        // make an 8 MB table, where each random probe cost a cache and TLB miss). The order
        // is stable, so an id that comes back is placed after its first number and found
        // there: it is a repeat, as it would have been in number order.
        let keyed = self.by_home(size as u64 - 1);
        let mut first_repeat: Option<usize> = None;
        for (h, ix) in keyed {
            let ix = ix as usize;
            // The id's bytes are read only where a tag matches (their spans lie in number
            // order, which this loop no longer follows).
            let (s, tag) = self.probe(h, |n| self.id(n) == self.id(ix));
            if self.slots[s] == 0 {
                self.slots[s] = tag | (ix as u64 + 1);
            } else {
                first_repeat = Some(first_repeat.map_or(ix, |r| r.min(ix)));
            }
        }
        first_repeat.map_or(Ok(()), Err)
    }

    /// [`IdTable::index`]'s verdict on a deferred table (a no-op otherwise), without building
    /// its lookup slots: for a table about to be thrown away. Ids that share a home slot are
    /// neighbours in the ordering, in number order, so a repeat is an id equal to one before
    /// it among its neighbours (on average fewer than one). Afterwards the table is no longer
    /// deferred; lookups read the ids one by one until something is added (which builds the
    /// slots).
    ///
    /// Each id is one word here, the low 32 bits of its hash over its number (`index` keeps
    /// the whole hash for the slots' tags), and both halves of the sort are `scratch`, whose
    /// contents are overwritten: a check hands the same vector on to the whole-state check
    /// ([`crate::registry::invariants::check_state_in`]), so the pages this touches are not
    /// faulted in a second time (~2.7 µs each on the VM the figures come from; ~600,000 ids
    /// fill 9.6 MB).
    pub fn check_unique(&mut self, scratch: &mut Vec<u64>) -> Result<(), usize> {
        if !self.deferred {
            return Ok(());
        }
        self.deferred = false;
        let n = self.len();
        // Grouping by any bits of the hash is sound (equal ids have equal hashes); the home
        // slot's bits keep a group to about one id, and fit the word's upper half.
        let bits = self.index_size().trailing_zeros().min(32);
        scratch.clear();
        scratch.extend((0..n).map(|ix| (hash(self.id(ix)) << 32) | ix as u64));
        scratch.resize(2 * n, 0);
        let (keys, spare) = scratch.split_at_mut(n);
        sort_by_home(keys, spare, bits, |k| k >> 32);
        let home_of = |k: u64| (k >> 32) & ((1 << bits) - 1);
        let number = |k: u64| k as u32 as usize;
        let mut first_repeat: Option<usize> = None;
        for home in keys.chunk_by(|&a, &b| home_of(a) == home_of(b)) {
            for (k, &key) in home.iter().enumerate().skip(1) {
                let repeat = home[..k].iter().any(|&earlier| {
                    earlier >> 32 == key >> 32 && self.id(number(earlier)) == self.id(number(key))
                });
                if repeat {
                    first_repeat = Some(first_repeat.map_or(number(key), |r| r.min(number(key))));
                }
            }
        }
        first_repeat.map_or(Ok(()), Err)
    }

    /// The slot count [`IdTable::index`] builds for the ids held: a power of two, at most 3/4
    /// full.
    fn index_size(&self) -> usize {
        (self.len().saturating_mul(4) / 3 + 1)
            .next_power_of_two()
            .max(64)
    }

    /// Every id's hash and number, ordered by home slot (`hash & mask`), equal homes in
    /// number order.
    fn by_home(&self, mask: u64) -> Vec<(u64, u32)> {
        let mut keyed: Vec<(u64, u32)> = (0..self.len())
            .map(|ix| (hash(self.id(ix)), ix as u32))
            .collect();
        let mut spare = vec![(0, 0); keyed.len()];
        sort_by_home(&mut keyed, &mut spare, mask.count_ones(), |(h, _)| h);
        keyed
    }

    /// Make room for `additional` more ids (of about `bytes_each`) without growing.
    pub fn reserve(&mut self, additional: usize, bytes_each: usize) {
        self.spans.reserve(additional);
        self.ids.reserve(additional.saturating_mul(bytes_each));
        if self.deferred {
            return;
        }
        let want = (self.len() + additional).saturating_mul(4) / 3;
        if want > self.slots.len() {
            self.rehash(want.next_power_of_two());
        }
    }

    /// The id numbered `ix`.
    pub fn id(&self, ix: usize) -> &str {
        let (start, len) = self.spans[ix];
        &self.ids[start as usize..(start + len) as usize]
    }

    /// `(slot, tag)`: the slot holding `id`, or the empty slot where it would go.
    fn slot(&self, id: &str) -> (usize, u64) {
        self.probe(hash(id), |n| self.id(n) == id)
    }

    /// `(slot, tag)` for the id whose [`hash`] is `h`: the slot of the number `is_it` accepts
    /// (asked only of numbers whose slot holds the same tag), or the empty slot where it
    /// would go.
    fn probe(&self, h: u64, is_it: impl Fn(usize) -> bool) -> (usize, u64) {
        let mask = self.slots.len() - 1;
        let tag = h >> 32 << 32;
        let mut i = h as usize & mask;
        loop {
            match self.slots[i] {
                0 => return (i, tag),
                n if n >> 32 << 32 == tag && is_it((n as u32) as usize - 1) => return (i, tag),
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// The number of `id` (none before a deferred table is indexed).
    pub fn get(&self, id: &str) -> Option<usize> {
        if self.slots.is_empty() {
            // Deferred (nothing found yet), or checked by `check_unique` (its first number).
            return if self.deferred {
                None
            } else {
                (0..self.len()).find(|&ix| self.id(ix) == id)
            };
        }
        match self.slots[self.slot(id).0] {
            0 => None,
            n => Some((n as u32) as usize - 1),
        }
    }

    pub fn contains(&self, id: &str) -> bool {
        self.get(id).is_some()
    }

    /// Reserve the slot for a new `id` (growing first, so the claim stays valid until filled).
    /// `Err(number)` when `id` is already present; a deferred table never refuses.
    pub fn claim(&mut self, id: &str) -> Result<Claim, usize> {
        if self.deferred {
            return Ok(Claim {
                slot: usize::MAX,
                tag: 0,
                len: self.len(),
                size: 0,
            });
        }
        if (self.len() + 1) * 4 > self.slots.len() * 3 {
            // Twice the slots when a table fills up; for a checked table (ids, no slots yet),
            // room for all of them.
            self.rehash(((self.len() + 1) * 4 / 3 + 1).next_power_of_two().max(64));
        }
        let (slot, tag) = self.slot(id);
        match self.slots[slot] {
            0 => Ok(Claim {
                slot,
                tag,
                len: self.len(),
                size: self.slots.len(),
            }),
            n => Err((n as u32) as usize - 1),
        }
    }

    /// Give `id` the next number, in the slot `claim` reserved for it, and return the number.
    /// A stale claim (something was added since) is not trusted: the id is then placed by a
    /// fresh probe. The caller has made sure `id` is new (its claim succeeded).
    pub fn fill(&mut self, claim: Claim, id: &str) -> usize {
        let stale = claim.len != self.len()
            || claim.size != self.slots.len()
            || self.slots.get(claim.slot) != Some(&0);
        if self.deferred {
            return self.push(id);
        }
        let claim = if stale {
            match self.claim(id) {
                Ok(c) => c,
                // Present after all: the caller's claim was from before it came.
                Err(n) => return n,
            }
        } else {
            claim
        };
        let n = self.push(id);
        self.slots[claim.slot] = claim.tag | (n as u64 + 1);
        n
    }

    /// Give `id` the next number: `Err(number)` when an eager table already has it; a deferred
    /// table appends without looking ([`IdTable::index`] finds repeats).
    pub fn add(&mut self, id: &str) -> Result<usize, usize> {
        let claim = self.claim(id)?;
        Ok(self.fill(claim, id))
    }

    /// Append `id` without a lookup; its number.
    fn push(&mut self, id: &str) -> usize {
        let start = u32::try_from(self.ids.len()).unwrap_or(u32::MAX);
        let len = u32::try_from(id.len()).unwrap_or(u32::MAX);
        self.ids.push_str(id);
        self.spans.push((start, len));
        self.spans.len() - 1
    }

    fn rehash(&mut self, size: usize) {
        self.slots = vec![0; size];
        for ix in 0..self.len() {
            let (s, tag) = self.slot(self.id(ix));
            self.slots[s] = tag | (ix as u64 + 1);
        }
    }
}

/// Order `keys` by the low `bits` bits of each one's `hash` (its home slot when `bits` is the
/// slot table's), keeping the order of equal homes: a least-significant-digit radix sort, up
/// to 11 bits a pass (two passes for a table of a million slots), each a counting pass and a
/// scatter into the other buffer. `spare` is as long as `keys`; its contents are overwritten,
/// and the sorted keys end in `keys`.
fn sort_by_home<T: Copy>(keys: &mut [T], spare: &mut [T], bits: u32, hash: impl Fn(T) -> u64) {
    const DIGIT: u32 = 11;
    assert_eq!(
        keys.len(),
        spare.len(),
        "a spare buffer of the keys' length"
    );
    let mut counts = vec![0usize; 1 << DIGIT];
    let (mut from, mut to) = (&mut *keys, &mut *spare);
    let mut shift = 0;
    let mut passes = 0;
    while shift < bits {
        let width = (bits - shift).min(DIGIT);
        let digit = |k: T| (hash(k) >> shift) as usize & ((1 << width) - 1);
        counts.fill(0);
        for &k in from.iter() {
            counts[digit(k)] += 1;
        }
        // Each digit's first position in `to`.
        let mut start = 0;
        for c in counts.iter_mut() {
            let n = *c;
            *c = start;
            start += n;
        }
        for &k in from.iter() {
            let d = digit(k);
            to[counts[d]] = k;
            counts[d] += 1;
        }
        std::mem::swap(&mut from, &mut to);
        shift += width;
        passes += 1;
    }
    if passes % 2 == 1 {
        // The last pass wrote `spare` (now `from`); `to` is `keys`.
        to.copy_from_slice(from);
    }
}

/// A seeded xorshift64 generator for tests: the same numbers on every run.
#[cfg(test)]
pub(super) fn xorshift(mut x: u64) -> impl FnMut() -> u64 {
    move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    }
}

/// The `n`th of a set of ids for tests: numbers, prefixed numbers, repeats (`auto-k` is the
/// id of two `n`, four apart: 2 and 6 give `auto-0`) and non-ASCII ones of many lengths.
#[cfg(test)]
pub(super) fn sample_id(n: usize) -> String {
    match n % 4 {
        0 => format!("synth-{n}"),
        1 => format!("{n}"),
        2 => format!("auto-{}", n / 8),
        _ => "ünï-".repeat(n % 7) + &n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against a plain `HashMap`, through growth, similar ids, misses, stale claims and a
    /// deferred table's repeats.
    #[test]
    fn numbers_ids_as_a_hash_map_would() {
        let mut t = IdTable::default();
        let mut m = std::collections::HashMap::new();
        assert!(t.get("x").is_none() && t.is_empty());
        for n in 0..20_000usize {
            let id = sample_id(n);
            let before = m.get(&id).copied();
            let got = t.add(&id);
            match before {
                Some(k) => assert_eq!(got, Err(k), "{id} is refused with its number"),
                None => {
                    assert_eq!(got, Ok(m.len()), "{id} gets the next number");
                    m.insert(id, m.len());
                }
            }
        }
        assert_eq!(t.len(), m.len());
        for (id, &n) in &m {
            assert_eq!(t.get(id), Some(n), "{id}");
            assert_eq!(t.id(n), id);
        }
        for miss in ["", "synth-20000", "auto-", "synth-1 ", "SYNTH-0"] {
            assert!(!t.contains(miss), "{miss}");
        }
        // A claim is filled in place; a stale one (after another addition or a rehash)
        // re-probes.
        let mut c = IdTable::default();
        let a = c.claim("a").unwrap();
        assert!(c.claim("b").is_ok());
        assert_eq!(c.add("b"), Ok(0));
        assert_eq!(c.fill(a, "a"), 1);
        let stale = c.claim("z").unwrap();
        c.reserve(1000, 8);
        assert_eq!(c.fill(stale, "z"), 2);
        assert_eq!(
            (c.claim("a"), c.claim("b"), c.claim("z")),
            (Err(1), Err(0), Err(2))
        );
        assert_eq!(c.len(), 3);
        // A deferred table appends, then indexes and names the first id that came back.
        let mut d = IdTable::deferred();
        d.reserve(8, 4);
        for (n, id) in ["a", "b", "c", "b", "a", "d"].into_iter().enumerate() {
            assert_eq!(d.add(id), Ok(n), "a deferred table never refuses");
        }
        assert!(d.is_deferred() && d.get("a").is_none());
        assert_eq!(
            d.index(),
            Err(3),
            "the second \"b\" is the first to come back"
        );
        assert!(!d.is_deferred());
        assert_eq!(d.get("b"), Some(1), "ids point at their first number");
        assert_eq!((d.get("d"), d.id(4)), (Some(5), "a"));
        assert_eq!(d.add("c"), Err(2));
        assert_eq!(d.add("e"), Ok(6), "an indexed table numbers on");
        let mut ok = IdTable::deferred();
        for n in 0..5_000 {
            ok.add(&format!("x{n}")).unwrap();
        }
        assert_eq!(ok.index(), Ok(()));
        assert_eq!(ok.get("x4999"), Some(4999));
        assert_eq!(ok.index(), Ok(()), "indexing twice changes nothing");
    }

    /// A deferred table, once indexed, names the repeat an eager table fed the same ids
    /// refuses first, and finds each id at the number it had when it first came; misses are
    /// missed. Sizes around the radix sort's passes (one pass up to 2,048 slots, two up to 4
    /// million).
    #[test]
    fn an_indexed_deferred_table_answers_as_an_eager_one() {
        for count in [0usize, 1, 47, 1_500, 1_537, 3_000, 40_000] {
            let mut eager = IdTable::default();
            let mut deferred = IdTable::deferred();
            let mut first_refused = None;
            let mut first_number = std::collections::HashMap::new();
            for n in 0..count {
                let id = sample_id(n);
                if eager.add(&id).is_err() && first_refused.is_none() {
                    first_refused = Some(n);
                }
                assert_eq!(deferred.add(&id), Ok(n));
                first_number.entry(id).or_insert(n);
            }
            if count >= 7 {
                assert!(first_refused.is_some(), "{count} ids hold repeats");
            }
            let got = deferred.index();
            assert_eq!(got.err(), first_refused, "{count} ids: the first repeat");
            for (id, &n) in &first_number {
                assert_eq!(deferred.get(id), Some(n), "{count} ids: {id}");
            }
            for miss in ["", "nope", "synth-", "auto-x"] {
                assert!(!deferred.contains(miss), "{count} ids: {miss}");
            }
        }
        // Two ids come back: the one named is the first to come back by number, whichever
        // the placing meets first.
        let mut d = IdTable::deferred();
        for id in ["x", "y", "z", "w", "z", "y"] {
            d.add(id).unwrap();
        }
        assert_eq!(d.index(), Err(4), "\"z\" comes back first, at 4");
    }

    /// `check_unique` names the same first repeat as `index`, and the table it leaves finds
    /// every id at its first number and misses the rest, then builds its slots when an id is
    /// added. Sizes around the radix sort's passes, as above.
    #[test]
    fn a_checked_table_gives_the_indexed_verdict_and_answers_alike() {
        for count in [0usize, 1, 47, 1_500, 1_537, 3_000, 40_000] {
            let mut indexed = IdTable::deferred();
            let mut checked = IdTable::deferred();
            for n in 0..count {
                let id = sample_id(n);
                indexed.add(&id).unwrap();
                checked.add(&id).unwrap();
            }
            let want = indexed.index();
            if count >= 7 {
                assert!(want.is_err(), "{count} ids hold repeats");
            }
            assert_eq!(
                checked.check_unique(&mut Vec::new()),
                want,
                "{count} ids: the first repeat"
            );
            assert!(!checked.is_deferred() && checked.slots.is_empty());
            // Each lookup reads the ids: about fifty of them.
            for n in (0..count).step_by(count / 50 + 1) {
                let id = sample_id(n);
                assert_eq!(checked.get(&id), indexed.get(&id), "{count} ids: {id}");
            }
            for miss in ["", "nope", "synth-", "auto-x"] {
                assert!(!checked.contains(miss), "{count} ids: {miss}");
            }
            assert_eq!(checked.add("new-id"), indexed.add("new-id"));
            assert_eq!(checked.get("new-id"), Some(count));
            assert!(
                !checked.slots.is_empty(),
                "{count} ids: slots built on the addition"
            );
        }
        // Repeats in one home and in two: the first to come back by number is named.
        let mut d = IdTable::deferred();
        for id in ["x", "y", "z", "w", "z", "y", "x"] {
            d.add(id).unwrap();
        }
        assert_eq!(
            d.check_unique(&mut vec![7; 3]),
            Err(4),
            "\"z\" comes back first, at 4, whatever the scratch held"
        );
        assert_eq!(IdTable::deferred().check_unique(&mut Vec::new()), Ok(()));
    }

    /// The radix sort orders by home slot and keeps the order of equal homes, as a stable
    /// sort by the same key does, for masks of one pass, exactly one, and several.
    #[test]
    fn sort_by_home_is_a_stable_sort_by_home_slot() {
        let mut next = xorshift(0x9E37_79B9_7F4A_7C15);
        for bits in [0u32, 1, 6, 11, 12, 22, 23] {
            let mask = (1u64 << bits) - 1;
            // Keys keep their top 16 bits, so keys of one home differ and their order shows
            // (and with few bits many keys share a home); bit 5 is never set, so some digits
            // never occur.
            let keyed: Vec<(u64, u32)> = (0..5_000u32)
                .map(|ix| (next() & (mask | 0xFFFF_0000_0000_0000) & !(1 << 5), ix))
                .collect();
            let mut want = keyed.clone();
            want.sort_by_key(|&(h, _)| h & mask);
            let mut got = keyed;
            let mut spare = vec![(0, 0); got.len()];
            sort_by_home(&mut got, &mut spare, bits, |(h, _)| h);
            assert_eq!(got, want, "{bits} bits");
        }
    }
}
