//! The whole-state invariants of `check` (registry-model §7) refuse a damaged state, each with
//! the number of the invariant it breaks. The fold keeps these invariants for any journal, so a
//! damaged state can only be made by hand here; the point is that the final pass of `check`
//! would notice if the fold ever let one through. Covers the conservation and partition pass
//! (live blocks sorted per issuance), the account index (when kept), first transfers on MOs,
//! authorized totals and verified quantities.

use chrono::NaiveDate;
use ndc_workbench::registry::event::Event;
use ndc_workbench::registry::invariants::check_state;
use ndc_workbench::registry::state::State;
use ndc_workbench::registry::synth::{self, SynthConfig};
use ndc_workbench::registry::*;

fn ledger() -> Ledger {
    let clock = ManualClock::at_date(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()).stepping(7);
    let mut l = Ledger::in_memory(clock);
    synth::run(
        &mut l,
        SynthConfig {
            events: 4_000,
            seed: 8,
        },
        |_| {},
    )
    .unwrap();
    l
}

fn refused(st: &State) -> u8 {
    check_state(st)
        .expect_err("the damaged state must be refused")
        .invariant
}

/// Index (into `blocks`) of a live block whose issuance has other live blocks after it, and of
/// the last live block of some issuance.
fn middle_and_last(st: &State) -> (usize, usize) {
    let mut per: std::collections::BTreeMap<u32, Vec<(u64, usize)>> = Default::default();
    for (i, b) in st.blocks.iter().enumerate().filter(|(_, b)| b.live()) {
        per.entry(b.issuance).or_default().push((b.first, i));
    }
    let v = per
        .values_mut()
        .find(|v| v.len() >= 3)
        .expect("an issuance with 3 blocks");
    v.sort();
    (v[0].1, v[v.len() - 1].1)
}

#[test]
fn an_intact_state_passes_with_and_without_the_account_index() {
    let l = ledger();
    check_state(l.state()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.jsonl");
    let mut text = Vec::new();
    for e in l.events() {
        text.extend(e.clone().seal().unwrap());
    }
    std::fs::write(&path, text).unwrap();
    let report = invariants::check_journal(&path).unwrap();
    assert_eq!(report.events, l.last_seq());
    let live = l.state().blocks.iter().filter(|b| b.live()).count() as u64;
    assert_eq!(report.live_blocks, live);
}

#[test]
fn a_gap_in_an_issuance_breaks_exact_partition_and_a_missing_tail_breaks_conservation() {
    let l = ledger();
    let (middle, last) = middle_and_last(l.state());
    let mut st = l.state().clone();
    st.blocks[middle].set_live(false);
    assert_eq!(refused(&st), 3, "the index still holds it");
    let mut st = State::clone(l.state());
    st.blocks[middle].set_live(false);
    let acc = st.blocks[middle].account as usize;
    let key = st.block_key(&st.blocks[middle]);
    st.accounts[acc].blocks.remove(&key);
    assert_eq!(refused(&st), 2);
    let mut st = l.state().clone();
    st.blocks[last].set_live(false);
    let acc = st.blocks[last].account as usize;
    let key = st.block_key(&st.blocks[last]);
    st.accounts[acc].blocks.remove(&key);
    assert_eq!(refused(&st), 1);
}

#[test]
fn overlapping_blocks_break_exact_partition() {
    let l = ledger();
    let (middle, _) = middle_and_last(l.state());
    let mut st = l.state().clone();
    // The next block starts where this one now ends: an overlap.
    st.blocks[middle].last += 1;
    assert_eq!(refused(&st), 2);
}

#[test]
fn a_block_missing_from_its_account_index_breaks_no_double_spend() {
    let l = ledger();
    let mut st = l.state().clone();
    let acc = st
        .accounts
        .iter_mut()
        .find(|a| !a.blocks.is_empty())
        .unwrap();
    let first = acc.blocks.iter().next().cloned().unwrap();
    acc.blocks.remove(&first);
    assert_eq!(refused(&st), 3);
}

#[test]
fn an_mo_marked_first_transferred_breaks_first_transfer_once() {
    let l = ledger();
    let mut st = l.state().clone();
    let ft = st
        .blocks
        .iter()
        .find_map(|b| b.first_transfer.clone())
        .expect("synth first-transfers some ITMOs");
    let mo = st
        .blocks
        .iter_mut()
        .find(|b| b.live() && b.class == Class::Mo)
        .unwrap();
    mo.first_transfer = Some(ft);
    assert_eq!(refused(&st), 10);
}

#[test]
fn more_authorized_than_the_quantity_breaks_authorization_gating() {
    let l = ledger();
    let mut st = l.state().clone();
    let a = st
        .authorizations
        .iter_mut()
        .find(|a| a.authorized_total > 0)
        .expect("synth authorizes units");
    a.authorized_quantity = Some(a.authorized_total - 1);
    assert_eq!(refused(&st), 11);
}

#[test]
fn issuing_more_than_verified_breaks_estimation_is_not_issuance() {
    let l = ledger();
    let mut st = l.state().clone();
    let project = st.projects.keys().next().unwrap().clone();
    st.verifications.insert(
        "V-forged".into(),
        ndc_workbench::registry::state::Verification {
            id: "V-forged".into(),
            project,
            vvb: "VVB".into(),
            date: NaiveDate::from_ymd_opt(2024, 6, 1).unwrap(),
            monitoring_start: 2023,
            monitoring_end: 2023,
            verified_quantity: 100,
            issued: 101,
        },
    );
    assert_eq!(refused(&st), 13);
}

/// Invariant 19 is checked in two halves (the prefix once per issuance, the range per block);
/// each half refuses what the whole round trip refused, and a block cannot carry a vintage
/// other than its issuance's (its project is its issuance's: a block names only the issuance),
/// which is what makes the halves the whole.
#[test]
fn a_serial_that_does_not_read_back_breaks_serial_round_trip() {
    use std::sync::Arc;
    let l = ledger();
    let (middle, _) = middle_and_last(l.state());
    let issuance = l.state().blocks[middle].issuance as usize;
    // A project id with a dash (the serial would read back as six parts).
    let mut st = l.state().clone();
    let dashed: Arc<str> = Arc::from(format!("{}-X", st.issuances[issuance].project));
    st.issuances[issuance].project = dashed.clone();
    let e = check_state(&st).expect_err("a dashed project id");
    assert_eq!((e.invariant, e.seq), (19, st.issuances[issuance].seq));
    // The message names the issuance by its id, as the event that made it wrote it.
    let id = issuance_id_in_journal(&l, issuance);
    assert!(
        e.message.starts_with(&format!("issuance {id}:")),
        "{}",
        e.message
    );
    // A registry id in lower case.
    let mut st = l.state().clone();
    st.issuances[issuance].registry = Arc::from("btn01");
    assert_eq!(refused(&st), 19);
    // A block whose vintage is not its issuance's.
    let mut st = l.state().clone();
    let account = st.blocks[middle].account as usize;
    let key = st.block_key(&st.blocks[middle]);
    st.accounts[account].blocks.remove(&key);
    st.blocks[middle].vintage += 1;
    let key = st.block_key(&st.blocks[middle]);
    st.accounts[account].blocks.insert(key);
    let e = check_state(&st).expect_err("a block of another vintage");
    assert_eq!((e.invariant, e.block), (19, Some(st.blocks[middle].id)));
    assert!(
        e.message.ends_with(&format!("issuance {id}'s")),
        "{}",
        e.message
    );
    // A range turned around (first after last) is refused, not a panic.
    let mut st = l.state().clone();
    let b = &mut st.blocks[middle];
    (b.first, b.last) = (b.last + 5, b.first);
    let e = check_state(&st).expect_err("an inverted range");
    assert_eq!((e.invariant, e.block), (19, Some(st.blocks[middle].id)));
    // The intact state passes the same checks.
    check_state(l.state()).unwrap();
}

/// The fold dates each retirement, cancellation and first transfer on the day of the event
/// that made it, in a replay from the file as in memory. The clock steps 3,000 s per read, so
/// days change every few commands and many events share a day with the one before.
#[test]
fn a_replayed_state_dates_terminals_and_first_transfers_on_their_event_day() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.jsonl");
    let clock = ManualClock::at_date(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()).stepping(3_000);
    let mut l = Ledger::open(&path, clock).unwrap();
    synth::run(
        &mut l,
        SynthConfig {
            events: 6_000,
            seed: 21,
        },
        |_| {},
    )
    .unwrap();
    // The day of each event, read from its timestamp apart from the fold.
    let day: Vec<NaiveDate> = l
        .events()
        .iter()
        .map(|e| NaiveDate::parse_from_str(&e.ts[..10], "%Y-%m-%d").unwrap())
        .collect();
    assert!(
        day.first() != day.last() && day.windows(2).any(|w| w[0] == w[1]),
        "days both repeat and change"
    );
    let (_, replayed) = invariants::check_journal_keeping_state(&path).unwrap();
    for st in [l.state(), &replayed] {
        let (mut terminals, mut firsts) = (0, 0);
        for b in &st.blocks {
            if let Some(t) = &b.terminal {
                assert_eq!(t.date, day[(t.seq - 1) as usize], "block {} terminal", b.id);
                terminals += 1;
            }
            if let Some(ft) = &b.first_transfer {
                assert_eq!(
                    ft.date,
                    day[(ft.seq - 1) as usize],
                    "block {} first transfer",
                    b.id
                );
                firsts += 1;
            }
        }
        assert!(
            terminals > 50 && firsts > 50,
            "{terminals} terminals, {firsts} first transfers"
        );
    }
}

/// The id of issuance number `ix` as the journal wrote it, in the event that made it (not
/// read back through the state under test).
fn issuance_id_in_journal(l: &Ledger, ix: usize) -> String {
    let seq = l.state().issuances[ix].seq;
    match &l.events()[seq as usize - 1].event {
        Event::Issued { issuance_id, .. } | Event::Acquired { issuance_id, .. } => {
            issuance_id.clone()
        }
        other => panic!("issuance {ix} made by {other:?}"),
    }
}

/// A violation found per issuance names that issuance by its id, for issuances at every
/// position of the table (ids are kept once, in the id table, by issuance number).
#[test]
fn a_conservation_break_names_its_own_issuance() {
    let l = ledger();
    let n = l.state().issuances.len();
    assert!(n > 20, "{n} issuances");
    let mut ids = std::collections::BTreeSet::new();
    for ix in [1, n / 2, n - 1] {
        // The first live block of issuance `ix` loses its last unit.
        let Some(b) = l
            .state()
            .blocks
            .iter()
            .position(|b| b.live() && b.issuance as usize == ix && b.last > b.first)
        else {
            continue;
        };
        let mut st = l.state().clone();
        st.blocks[b].last -= 1;
        let e = check_state(&st).expect_err("a unit gone");
        let id = issuance_id_in_journal(&l, ix);
        assert_eq!(st.issuance_id(ix), id);
        assert!(ids.insert(id.clone()), "{id} named twice");
        assert!(
            e.message.starts_with(&format!("issuance {id}:")),
            "issuance {ix}: {}",
            e.message
        );
        assert_eq!(e.seq, st.issuances[ix].seq);
    }
    assert!(ids.len() >= 2, "{ids:?}");
    assert_eq!(l.state().issuance_id(n), "");
}

/// The state a check of `l`'s journal folds: no account index (whose keys name the block's
/// project and serials, so it would refuse some damage before the pass a test aims at).
fn checked_state(l: &Ledger) -> State {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("j.jsonl");
    let text: Vec<u8> = l
        .events()
        .iter()
        .flat_map(|e| e.clone().seal().unwrap())
        .collect();
    std::fs::write(&path, text).unwrap();
    invariants::check_journal_keeping_state(&path).unwrap().1
}

/// A project numbers its units across its issuances one after another (invariant 2, checked
/// per project in issuance order): an issuance handed to another project leaves a hole in its
/// own project's sequence, whatever it does to the other's (on a checked state: see
/// `checked_state`).
#[test]
fn an_issuance_out_of_its_projects_sequence_breaks_exact_partition() {
    let checked = checked_state(&ledger());
    let st0 = &checked;
    let native = |i: &&ndc_workbench::registry::state::Issuance| i.imported_from.is_none();
    // An issuance with a later issuance of the same project, and some other project.
    let (ix, iss) = st0
        .issuances
        .iter()
        .enumerate()
        .find(|(ix, iss)| {
            native(iss)
                && st0.issuances[ix + 1..]
                    .iter()
                    .any(|later| native(&later) && later.project == iss.project)
        })
        .expect("a project issued twice");
    let other = st0
        .issuances
        .iter()
        .filter(native)
        .map(|i| i.project.clone())
        .find(|p| *p != iss.project)
        .expect("a second project");
    let mut st = st0.clone();
    st.issuances[ix].project = other;
    let e = check_state(&st).expect_err("the project's sequence has a hole");
    assert_eq!(e.invariant, 2, "{}", e.message);
    assert!(
        e.message.contains("does not continue project"),
        "{}",
        e.message
    );
    check_state(st0).expect("the intact state passes");
}

/// A live block that names no issuance holds units nobody issued (invariant 1): refused, with
/// the block, once every issuance's own blocks are found intact. An ITMO among them without
/// an authorization is refused the same way (whether it needed one depends on its issuance),
/// not looked up past the end of the issuance table.
#[test]
fn a_block_of_an_unknown_issuance_breaks_conservation() {
    let checked = checked_state(&ledger());
    let n = checked.issuances.len() as u32;
    for class in [Class::Mo, Class::Itmo] {
        let mut st = checked.clone();
        let mut stray = st
            .blocks
            .iter()
            .find(|b| b.live() && b.class == class && b.first_transfer.is_none())
            .expect("a live block of the class")
            .clone();
        stray.issuance = n + 3;
        stray.authorization = None;
        // Its id, damaged too, is reported as it stands, not used to find the block.
        stray.id = st.blocks.len() as u64 + 1_000;
        let (id, seq) = (stray.id, stray.created_seq);
        st.blocks.push(stray);
        let e = check_state(&st).expect_err("units nobody issued");
        assert_eq!(e.invariant, 1, "{class:?}: {}", e.message);
        assert_eq!(e.message, "block of an unknown issuance");
        assert_eq!((e.block, e.seq), (Some(id), seq));
    }
}
