//! Ids that must not come back, when a journal is replayed from a file: command ids (invariant
//! 5: a command id is in one batch only) and issuance ids (invariant 1: an issuance id names
//! one issuance). Replays index both once at the end (`State::for_replay`), so these tests pin
//! down that the verdict is the one an eager fold gives: the first duplicate command id is
//! reported at the first event of its second batch, a reused issuance id at its second
//! issuance, and either wins over any error later in the journal, while an error earlier in
//! the journal wins over it.

use chrono::NaiveDate;
use ndc_workbench::registry::event::Envelope;
use ndc_workbench::registry::invariants::check_journal;
use ndc_workbench::registry::state::State;
use ndc_workbench::registry::synth::{self, SynthConfig};
use ndc_workbench::registry::*;

fn events() -> Vec<Envelope> {
    let clock = ManualClock::at_date(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()).stepping(7);
    let mut l = Ledger::in_memory(clock);
    synth::run(
        &mut l,
        SynthConfig {
            events: 3_000,
            seed: 12,
        },
        |_| {},
    )
    .unwrap();
    l.events().to_vec()
}

/// Seal every event again from `from` (index) on, so the chain is intact after an edit.
fn reseal(evs: &mut [Envelope], from: usize) {
    let mut prev = if from == 0 {
        event::GENESIS_HASH.to_string()
    } else {
        evs[from - 1].hash.clone()
    };
    for e in &mut evs[from..] {
        e.prev_hash = prev;
        e.seal().unwrap();
        prev = e.hash.clone();
    }
}

fn write(dir: &tempfile::TempDir, evs: &[Envelope]) -> std::path::PathBuf {
    let path = dir.path().join("j.jsonl");
    let mut text = Vec::new();
    for e in evs {
        text.extend(e.clone().seal().unwrap());
    }
    std::fs::write(&path, text).unwrap();
    path
}

/// Indices of the events of the batch starting at `start`.
fn batch(evs: &[Envelope], start: usize) -> std::ops::Range<usize> {
    let end = (start..evs.len()).find(|&i| evs[i].batch_end).unwrap();
    start..end + 1
}

/// Index of the first event of a batch with at least `len` events, at or after `from`.
fn batch_start(evs: &[Envelope], from: usize, len: usize) -> usize {
    (from..evs.len())
        .find(|&i| (i == 0 || evs[i - 1].batch_end) && batch(evs, i).len() >= len)
        .unwrap()
}

/// Give the batch at `b` the command id of the batch at `a` (and reseal).
fn duplicate(evs: &mut [Envelope], a: usize, b: usize) {
    let id = evs[a].command_id.clone();
    for i in batch(evs, b) {
        evs[i].command_id = id.clone();
    }
    reseal(evs, b);
}

/// The eager fold (a fresh `State`, command ids looked up as each batch opens): the reference.
fn eager(evs: &[Envelope]) -> Result<(), InvariantViolation> {
    let mut st = State::new();
    evs.iter().try_for_each(|e| st.apply(e))
}

fn violation(r: Result<invariants::CheckReport, JournalError>) -> (u8, u64) {
    match r {
        Err(JournalError::Invariant { violation, .. }) => (violation.invariant, violation.seq),
        other => panic!("expected an invariant violation, got {other:?}"),
    }
}

#[test]
fn a_command_id_in_two_batches_is_reported_at_the_second_batch() {
    let mut evs = events();
    let a = batch_start(&evs, 100, 1);
    let b = batch_start(&evs, 2_000, 1);
    duplicate(&mut evs, a, b);
    let seq = evs[b].seq;
    let e = eager(&evs).unwrap_err();
    assert_eq!((e.invariant, e.seq), (5, seq), "the eager fold");
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, &evs);
    assert_eq!(violation(check_journal(&path)), (5, seq));
    let clock = ManualClock::at_date(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap());
    match Ledger::load(&path, clock) {
        Err(RegistryError::Journal(JournalError::Invariant { violation, .. })) => {
            assert_eq!((violation.invariant, violation.seq), (5, seq));
            assert!(violation.message.contains(&evs[a].command_id));
        }
        other => panic!("load must refuse: {:?}", other.map(|l| l.last_seq())),
    }
    // Only the first duplicate counts: a second one later changes nothing.
    let c = batch_start(&evs, 2_500, 1);
    duplicate(&mut evs, a, c);
    let path = write(&dir, &evs);
    assert_eq!(violation(check_journal(&path)), (5, seq));
}

#[test]
fn a_duplicate_wins_over_a_later_error_and_loses_to_an_earlier_one() {
    let base = events();
    let a = batch_start(&base, 50, 1);
    let b = batch_start(&base, 1_500, 1);
    let dir = tempfile::tempdir().unwrap();

    // A later altered byte (chain not resealed): the duplicate is reported.
    let mut evs = base.clone();
    duplicate(&mut evs, a, b);
    let dup_seq = evs[b].seq;
    let path = write(&dir, &evs);
    let mut text = std::fs::read(&path).unwrap();
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(
            text.iter()
                .enumerate()
                .filter(|(_, c)| **c == b'\n')
                .map(|(i, _)| i + 1),
        )
        .collect();
    let late = line_starts[2_400] + 40;
    text[late] ^= 1;
    std::fs::write(&path, &text).unwrap();
    assert_eq!(violation(check_journal(&path)), (5, dup_seq));

    // An earlier altered byte: corruption is reported at its line, not the duplicate.
    let mut text = std::fs::read(&path).unwrap();
    text[late] ^= 1;
    let early = line_starts[700] + 40;
    text[early] ^= 1;
    std::fs::write(&path, &text).unwrap();
    match check_journal(&path) {
        Err(JournalError::Corrupt { seq, .. }) => assert_eq!(seq, 701),
        other => panic!("expected corruption at seq 701, got {other:?}"),
    }

    // A later fold violation (a move from the wrong account, resealed): the duplicate.
    let mut evs = base.clone();
    let m = (2_200..evs.len())
        .find(|&i| matches!(evs[i].event, event::Event::Moved { .. }))
        .unwrap();
    if let event::Event::Moved { from, to, .. } = &mut evs[m].event {
        std::mem::swap(from, to);
    }
    reseal(&mut evs, m);
    let e = eager(&evs).unwrap_err();
    assert!(
        e.seq == evs[m].seq,
        "the swapped move alone breaks the fold: {e:?}"
    );
    duplicate(&mut evs, a, b);
    assert_eq!(violation(check_journal(&write(&dir, &evs))), (5, dup_seq));
    let e = eager(&evs).unwrap_err();
    assert_eq!((e.invariant, e.seq), (5, dup_seq));

    // An earlier fold violation: it is reported, not the duplicate.
    let mut evs = base.clone();
    let m = (600..evs.len())
        .find(|&i| matches!(evs[i].event, event::Event::Moved { .. }))
        .unwrap();
    assert!(m < b);
    if let event::Event::Moved { from, to, .. } = &mut evs[m].event {
        std::mem::swap(from, to);
    }
    reseal(&mut evs, m);
    duplicate(&mut evs, a, b);
    let e = eager(&evs).unwrap_err();
    assert_eq!(e.seq, evs[m].seq);
    assert_eq!(
        violation(check_journal(&write(&dir, &evs))),
        (e.invariant, e.seq)
    );
}

#[test]
fn a_duplicate_batch_that_breaks_the_fold_before_it_ends_is_still_a_duplicate() {
    // The batch reusing an id is still open when a later event of the same batch breaks the
    // fold: the eager fold refused the id when the batch opened, and so must the replay.
    let mut evs = events();
    let a = batch_start(&evs, 100, 1);
    let b = batch_start(&evs, 1_800, 2);
    let last = batch(&evs, b).end - 1;
    evs[last].event = event::Event::Split {
        parent: u64::MAX,
        children: vec![],
    };
    duplicate(&mut evs, a, b);
    let seq = evs[b].seq;
    let e = eager(&evs).unwrap_err();
    assert_eq!((e.invariant, e.seq), (5, seq));
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(violation(check_journal(&write(&dir, &evs))), (5, seq));
    // Without the duplicate, the broken event itself is reported.
    let mut evs = events();
    evs[last].event = event::Event::Split {
        parent: u64::MAX,
        children: vec![],
    };
    reseal(&mut evs, last);
    let e = eager(&evs).unwrap_err();
    assert_eq!(e.seq, evs[last].seq);
    assert_eq!(
        violation(check_journal(&write(&dir, &evs))),
        (e.invariant, e.seq)
    );
}

/// Indices of the `Issued` events at or after `from`.
fn issued(evs: &[Envelope], from: usize) -> impl Iterator<Item = usize> + '_ {
    (from..evs.len()).filter(|&i| matches!(evs[i].event, event::Event::Issued { .. }))
}

/// Give the issuance at `b` the issuance id of the one at `a` (no reseal).
fn reuse_issuance_id(evs: &mut [Envelope], a: usize, b: usize) {
    let event::Event::Issued { issuance_id, .. } = &evs[a].event else {
        panic!("not an issuance")
    };
    let id = issuance_id.clone();
    if let event::Event::Issued { issuance_id, .. } = &mut evs[b].event {
        *issuance_id = id;
    }
}

/// The replay's verdict on `evs` (resealed from `from`) is the eager fold's, and it is
/// `want` when given.
fn replay_agrees(
    dir: &tempfile::TempDir,
    evs: &mut [Envelope],
    from: usize,
    want: Option<(u8, u64)>,
) {
    reseal(evs, from);
    let e = eager(evs).unwrap_err();
    if let Some(want) = want {
        assert_eq!((e.invariant, e.seq), want, "the eager fold: {e:?}");
    }
    let path = write(dir, evs);
    assert_eq!(
        violation(check_journal(&path)),
        (e.invariant, e.seq),
        "{e:?}"
    );
    let clock = ManualClock::at_date(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap());
    match Ledger::load(&path, clock) {
        Err(RegistryError::Journal(JournalError::Invariant { violation, .. })) => {
            assert_eq!((violation.invariant, violation.seq), (e.invariant, e.seq));
        }
        other => panic!("load must refuse: {:?}", other.map(|l| l.last_seq())),
    }
}

#[test]
fn a_reused_issuance_id_is_reported_at_its_second_issuance_as_the_eager_fold_does() {
    let base = events();
    let a = issued(&base, 100).next().unwrap();
    let b = issued(&base, 1_500).next().unwrap();
    let c = issued(&base, 2_500).next().unwrap();
    let dir = tempfile::tempdir().unwrap();

    // Alone, and with a second reuse later: the first one.
    let mut evs = base.clone();
    reuse_issuance_id(&mut evs, a, b);
    replay_agrees(&dir, &mut evs, b, Some((1, base[b].seq)));
    reuse_issuance_id(&mut evs, a, c);
    replay_agrees(&dir, &mut evs, b, Some((1, base[b].seq)));

    // The reusing issuance also breaks a rule checked after the id (its legs no longer tile
    // the range): the reuse is what the eager fold reports, and so must the replay.
    let mut evs = base.clone();
    reuse_issuance_id(&mut evs, a, b);
    if let event::Event::Issued { legs, .. } = &mut evs[b].event {
        legs[0].first += 1;
    }
    replay_agrees(&dir, &mut evs, b, Some((1, base[b].seq)));
    // Without the reuse, the legs are reported.
    let mut evs = base.clone();
    if let event::Event::Issued { legs, .. } = &mut evs[b].event {
        legs[0].first += 1;
    }
    replay_agrees(&dir, &mut evs, b, Some((2, base[b].seq)));

    // Against a duplicate command id: whichever comes first; at the same event (the reusing
    // issuance opens a batch whose command id is a duplicate), the command id.
    let early = batch_start(&base, 50, 1);
    let before = batch_start(&base, 1_000, 1);
    let after = batch_start(&base, 2_000, 1);
    for (dup, want) in [
        (before, (5, base[before].seq)),
        (after, (1, base[b].seq)),
        (
            batch_start(&base, b, 1),
            (5, base[batch_start(&base, b, 1)].seq),
        ),
    ] {
        let mut evs = base.clone();
        reuse_issuance_id(&mut evs, a, b);
        duplicate(&mut evs, early, dup);
        replay_agrees(&dir, &mut evs, before.min(b), Some(want));
    }

    // Against a fold violation (a move from the wrong account): whichever comes first.
    for (from, want) in [(600, None), (2_200, Some((1, base[b].seq)))] {
        let mut evs = base.clone();
        let m = (from..evs.len())
            .find(|&i| matches!(evs[i].event, event::Event::Moved { .. }))
            .unwrap();
        if let event::Event::Moved { from, to, .. } = &mut evs[m].event {
            std::mem::swap(from, to);
        }
        reuse_issuance_id(&mut evs, a, b);
        let want = want.or(Some((eager_at(&base, m), base[m].seq)));
        replay_agrees(&dir, &mut evs, m.min(b), want);
    }
}

/// The invariant the eager fold reports when the move at `m` has its accounts swapped.
fn eager_at(base: &[Envelope], m: usize) -> u8 {
    let mut evs = base.to_vec();
    if let event::Event::Moved { from, to, .. } = &mut evs[m].event {
        std::mem::swap(from, to);
    }
    reseal(&mut evs, m);
    let e = eager(&evs).unwrap_err();
    assert_eq!(e.seq, evs[m].seq, "the swapped move breaks the fold");
    e.invariant
}
