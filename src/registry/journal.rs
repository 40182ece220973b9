//! The journal file: append-only JSON Lines with a hash chain. One job: read and verify it
//! (streaming, constant memory per line) and append committed batches durably.
//!
//! Durability: `append_batch` writes a command's whole batch with one `write_all` and then
//! `sync_data` (fsync) before the command is acknowledged (`Durability::PerCommand`).
//! `Durability::Deferred` (bulk generation only) gathers batches in memory, writes them in
//! whole 2 MiB pieces of the file (see [`PIECE`]) and syncs on `flush`/drop: nothing is
//! acknowledged before `flush` returns.
//!
//! Torn tails: a crash can leave a last line without its newline, or a batch without its
//! `batch_end` event. Such bytes were never acknowledged. Reading reports them as
//! [`JournalError::TornTail`] (with the event number and byte count) and never drops them
//! silently; the journal cannot be opened for append until the operator runs
//! `registry repair --truncate-torn-tail`, which calls [`truncate_torn_tail`] and says what it
//! removed. Any other bad line (bad JSON, wrong hash, broken chain, gap in `seq`) is
//! corruption, reported with the first bad event number, and is never repaired.
//!
//! Locks: a writer holds the file's exclusive lock for as long as it lives (a second writer
//! is refused with [`JournalError::Locked`] after waiting briefly); readers take a shared lock
//! one mapped window at a time (see [`super::journal_bytes`]), and `truncate_torn_tail` takes
//! the exclusive lock before it shrinks the file.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::error::JournalError;
use super::event::{Envelope, GENESIS_HASH, HexDigest, line_hash};
use super::line_digest::line_hash_pair;
use super::short_eq::same;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// fsync after every committed command (default for files).
    PerCommand,
    /// Write in whole [`PIECE`]s and fsync only on flush (bulk generation, benchmarks).
    Deferred,
}

/// What a deferred writer writes at a time: from one multiple of 2 MiB of the file to the next
/// (the first piece from wherever the file ended). Linux keeps the page cache of such a write
/// in 2 MiB folios (ext4 since 6.16, XFS), which a reader's aligned mapping then maps with one
/// page-table entry each (see [`super::journal_bytes`]): a 1M-event check of a journal written
/// so spends about half the system time of one written batch by batch (0.13 against 0.27 s,
/// and 0.08 s less user time from fewer TLB misses).
pub const PIECE: u64 = 2 << 20;

/// Summary of a verified read.
#[derive(Debug, Clone, Default)]
pub struct ReadSummary {
    pub events: u64,
    pub head_hash: String,
    /// Byte length of the verified prefix (ends after the last complete batch).
    pub good_len: u64,
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> JournalError + '_ {
    move |source| JournalError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Read and verify a journal, handing every verified event to `on_event` in order.
/// Errors: corruption (first bad seq), torn tail, or whatever `on_event` returns.
pub fn read_journal(
    path: &Path,
    mut on_event: impl FnMut(Envelope) -> Result<(), JournalError>,
) -> Result<ReadSummary, JournalError> {
    read_journal_ref(path, |env| on_event(env.clone()))
}

/// [`read_journal`] lending each event instead of giving it away: one envelope is reused for
/// every line, so a streaming reader (`check`) allocates nothing per line for the envelope.
pub fn read_journal_ref(
    path: &Path,
    on_event: impl FnMut(&Envelope) -> Result<(), JournalError>,
) -> Result<ReadSummary, JournalError> {
    read_journal_in_windows(path, super::journal_bytes::WINDOW, on_event)
}

/// [`read_journal_ref`] with the file taken `window` bytes at a time (tests use small ones,
/// so that lines straddle windows).
fn read_journal_in_windows(
    path: &Path,
    window: u64,
    on_event: impl FnMut(&Envelope) -> Result<(), JournalError>,
) -> Result<ReadSummary, JournalError> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(ReadSummary {
                head_hash: GENESIS_HASH.to_string(),
                ..ReadSummary::default()
            });
        }
        Err(e) => return Err(io(path)(e)),
    };
    let mut v = Verifier {
        path,
        on_event,
        reader: super::wire::LineReader::default(),
        prev_hash: HexDigest::genesis(),
        seq: 0,
        line_no: 0,
        offset: 0,
        good_len: 0,
        good_seq: 0,
        in_batch: false,
        blank_line: None,
    };
    let mut carry: Vec<u8> = Vec::new();
    super::journal_bytes::for_each_piece(&file, path, window, |piece| {
        let mut used = 0;
        // A line begun in the previous piece ends in this one (or runs on past it).
        if !carry.is_empty() {
            let Some(k) = memchr::memchr(b'\n', piece) else {
                carry.extend_from_slice(piece);
                return Ok(());
            };
            carry.extend_from_slice(&piece[..k]);
            v.line(&carry, line_hash(&carry))?;
            carry.clear();
            used = k + 1;
        }
        // Whole lines two at a time, their digests computed together (`line_digest`); the
        // second line is verified only after the first, so verdicts come in line order.
        while let Some(k) = memchr::memchr(b'\n', &piece[used..]) {
            let a = &piece[used..used + k];
            let next = used + k + 1;
            match memchr::memchr(b'\n', &piece[next..]) {
                Some(k2) => {
                    let b = &piece[next..next + k2];
                    let (digest_a, digest_b) = line_hash_pair(a, b);
                    v.line(a, digest_a)?;
                    v.line(b, digest_b)?;
                    used = next + k2 + 1;
                }
                None => {
                    v.line(a, line_hash(a))?;
                    used = next;
                }
            }
        }
        carry.extend_from_slice(&piece[used..]);
        Ok(())
    })?;
    if !carry.is_empty() {
        v.line_no += 1;
        v.offset += carry.len() as u64;
        return Err(JournalError::TornTail {
            path: path.to_path_buf(),
            line: v.line_no,
            last_good_seq: v.good_seq,
            bytes: v.offset - v.good_len,
            reason: "last line has no newline (partial write)".into(),
        });
    }
    if let Some(blank) = v.blank_line {
        return Err(JournalError::TornTail {
            path: path.to_path_buf(),
            line: blank,
            last_good_seq: v.good_seq,
            bytes: v.offset - v.good_len,
            reason: if v.in_batch {
                format!(
                    "events {}..={} form an incomplete batch, and blank lines follow",
                    v.good_seq + 1,
                    v.seq
                )
            } else {
                "only blank lines follow the last event (an editor or `echo >>` adds them)".into()
            },
        });
    }
    if v.in_batch {
        return Err(JournalError::TornTail {
            path: path.to_path_buf(),
            line: v.line_no,
            last_good_seq: v.good_seq,
            bytes: v.offset - v.good_len,
            reason: format!(
                "events {}..={} form an incomplete batch (no batch_end)",
                v.good_seq + 1,
                v.seq
            ),
        });
    }
    Ok(ReadSummary {
        events: v.seq,
        head_hash: v.prev_hash.as_str().to_string(),
        good_len: v.good_len,
    })
}

/// The running verification of [`read_journal_ref`]: one complete line at a time.
struct Verifier<'p, F> {
    path: &'p Path,
    on_event: F,
    reader: super::wire::LineReader,
    /// The hash of the last verified line (the genesis hash before the first).
    prev_hash: HexDigest,
    seq: u64,
    line_no: u64,
    offset: u64,
    good_len: u64,
    good_seq: u64,
    in_batch: bool,
    /// The first blank line met, while only blank lines have followed it.
    blank_line: Option<u64>,
}

impl<F: FnMut(&Envelope) -> Result<(), JournalError>> Verifier<'_, F> {
    /// The verdict on a line that is not `{…}`, or that follows a blank line, when it is not
    /// simply a bad event: a blank line (`Some(Ok)`: noted, see [`Verifier::line`]), an event
    /// after a blank line, or Windows line endings. `None`: read it as an event.
    #[cold]
    #[inline(never)]
    fn unusual_line(&mut self, line: &[u8], expect: u64) -> Option<Result<(), JournalError>> {
        if line.iter().all(u8::is_ascii_whitespace) {
            self.blank_line.get_or_insert(self.line_no);
            return Some(Ok(()));
        }
        let (at, reason) = if let Some(blank) = self.blank_line {
            (
                blank,
                format!(
                    "line {blank} is blank, between events {} and {expect}; delete that line \
                     (an editor can), nothing else needs to change",
                    self.seq
                ),
            )
        } else if line.last() == Some(&b'\r') {
            (
                self.line_no,
                "the line ends in a carriage return: the file has Windows (CRLF) line endings \
                 (git's autocrlf or an editor converts them); convert it back to LF endings \
                 (`dos2unix FILE`), after which the events verify if nothing else changed"
                    .into(),
            )
        } else {
            return None;
        };
        Some(Err(JournalError::Corrupt {
            path: self.path.to_path_buf(),
            line: at,
            seq: expect,
            reason,
        }))
    }

    /// Verify one line (without its newline) and hand its event on. `digest` is the line's
    /// [`line_hash`], computed by the caller (two lines at a time where it can).
    fn line(&mut self, line: &[u8], digest: Option<[u8; 32]>) -> Result<(), JournalError> {
        self.line_no += 1;
        self.offset += line.len() as u64 + 1;
        let expect = self.seq + 1;
        // A blank line is no event. Only blank lines after the last event (an editor's or
        // `echo >>`'s final newline) are a torn tail, which the end of the read reports; one
        // with an event after it is reported at its own line when that event comes. (Every
        // event line starts with `{` and ends with `}`: the test of those two bytes keeps the
        // rare cases out of line, where they cost the verifier nothing.)
        let usual = line.first() == Some(&b'{') && line.last() == Some(&b'}');
        if (!usual || self.blank_line.is_some())
            && let Some(verdict) = self.unusual_line(line, expect)
        {
            return verdict;
        }
        let corrupt = |reason: String| JournalError::Corrupt {
            path: self.path.to_path_buf(),
            line: self.line_no,
            seq: expect,
            reason,
        };
        // The digest is computed first so that the reader can recognise both hash fields in
        // place; its verdicts below come in the same order as before.
        let spelt = digest.map(|d| HexDigest::of(&d));
        let env = self
            .reader
            .read_chained(line, spelt.as_ref().map(|s| (&self.prev_hash, s)))
            .map_err(|e| corrupt(format!("not a valid event: {e}")))?;
        if env.seq != expect {
            return Err(corrupt(format!(
                "seq is {}, expected {expect} (gap or reorder)",
                env.seq
            )));
        }
        if !same(env.prev_hash.as_bytes(), self.prev_hash.as_bytes()) {
            return Err(corrupt(
                "prev_hash does not match the previous event's hash (broken chain)".into(),
            ));
        }
        let spelt = spelt.ok_or_else(|| corrupt("hash field is not last".into()))?;
        if !same(env.hash.as_bytes(), spelt.as_bytes()) {
            return Err(corrupt(
                "hash does not match the line's content (altered)".into(),
            ));
        }
        self.seq = expect;
        self.prev_hash = spelt;
        self.in_batch = !env.batch_end;
        (self.on_event)(env)?;
        if !self.in_batch {
            self.good_len = self.offset;
            self.good_seq = self.seq;
        }
        Ok(())
    }
}

/// Drop an unacknowledged torn tail explicitly. Returns `(bytes removed, last good seq)`.
/// Refuses (returns the error) when the journal is corrupt rather than torn.
pub fn truncate_torn_tail(path: &Path) -> Result<(u64, u64), JournalError> {
    let f = match OpenOptions::new().write(true).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((0, 0)),
        Err(e) => return Err(io(path)(e)),
    };
    // The tail is measured and cut under the exclusive lock: readers map the journal under a
    // shared lock, and shrinking it under them would kill them (see `journal_bytes`); a
    // writer, or a second repair, cannot change the file between the measure and the cut.
    lock_exclusive(&f, path)?;
    match read_journal_ref(path, |_| Ok(())) {
        Ok(_) => Ok((0, 0)),
        Err(JournalError::TornTail {
            last_good_seq,
            bytes,
            ..
        }) => {
            let len = f.metadata().map_err(io(path))?.len();
            f.set_len(len - bytes).map_err(io(path))?;
            f.sync_all().map_err(io(path))?;
            Ok((bytes, last_good_seq))
        }
        Err(e) => Err(e),
    }
}

/// How long a writer waits for readers: a reader holds its shared lock for one mapped window
/// at a time (a fraction of a second), another writer for as long as it lives.
const LOCK_PATIENCE: std::time::Duration = std::time::Duration::from_secs(2);

/// Take the file's exclusive lock, waiting up to [`LOCK_PATIENCE`] for readers to let go;
/// [`JournalError::Locked`] when another process keeps it.
fn lock_exclusive(file: &File, path: &Path) -> Result<(), JournalError> {
    let start = std::time::Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(()),
            Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < LOCK_PATIENCE => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(JournalError::Locked {
                    path: path.to_path_buf(),
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(path)(e)),
        }
    }
}

/// Append handle, holding an exclusive lock on the file.
#[derive(Debug)]
pub struct JournalWriter {
    file: File,
    path: PathBuf,
    durability: Durability,
    dirty: bool,
    /// Deferred batches not yet written: always less than the way from `written` to the next
    /// multiple of [`PIECE`], once `append_batch` returns.
    pending: Vec<u8>,
    /// The file's length: every byte before it is written.
    written: u64,
    /// A write failed part of the way: the file ends wherever it stopped (a torn tail), and
    /// nothing more is written, so that no batch is written twice.
    broken: bool,
}

impl JournalWriter {
    /// Open for append (creating the file and fsyncing its directory if new).
    pub fn open(path: &Path, durability: Durability) -> Result<JournalWriter, JournalError> {
        let existed = path.exists();
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(io(path))?;
        lock_exclusive(&file, path)?;
        if !existed {
            crate::store::sync_parent(path).map_err(io(path))?;
        }
        let written = file.metadata().map_err(io(path))?.len();
        Ok(JournalWriter {
            file,
            path: path.to_path_buf(),
            durability,
            dirty: false,
            pending: Vec::new(),
            written,
            broken: false,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append one command's batch (already encoded lines) and make it durable
    /// (`PerCommand`), or gather it for the next whole [`PIECE`] (`Deferred`).
    pub fn append_batch(&mut self, bytes: &[u8]) -> Result<(), JournalError> {
        self.refuse_if_broken()?;
        match self.durability {
            Durability::PerCommand => {
                let synced = self
                    .file
                    .write_all(bytes)
                    .and_then(|()| self.file.sync_data());
                if let Err(e) = synced {
                    self.undo_partial_write();
                    return Err(io(&self.path)(e));
                }
                self.written += bytes.len() as u64;
            }
            Durability::Deferred => {
                self.dirty = true;
                self.pending.extend_from_slice(bytes);
                let end = self.written + self.pending.len() as u64;
                let cut = end - end % PIECE;
                if cut > self.written {
                    self.write_pending((cut - self.written) as usize)?;
                }
            }
        }
        Ok(())
    }

    /// Write the first `n` pending bytes. On failure nothing pending is kept: it was never
    /// acknowledged, and written again after a partial write it would follow itself.
    fn write_pending(&mut self, n: usize) -> Result<(), JournalError> {
        if let Err(e) = self.file.write_all(&self.pending[..n]) {
            self.broken = true;
            self.pending.clear();
            return Err(io(&self.path)(e));
        }
        self.pending.drain(..n);
        self.written += n as u64;
        Ok(())
    }

    /// After a failed write or sync of a batch (a full disk, say): cut the file back to the
    /// length it had before the batch, so that no part of the unacknowledged batch stays
    /// behind as a torn tail the next command would have to repair. If even the cut fails,
    /// the writer is broken (see `broken`) and the tail is left for an explicit repair.
    fn undo_partial_write(&mut self) {
        let cut = self
            .file
            .set_len(self.written)
            .and_then(|()| self.file.sync_all());
        if cut.is_err() {
            self.broken = true;
        }
    }

    fn refuse_if_broken(&self) -> Result<(), JournalError> {
        if self.broken {
            return Err(io(&self.path)(std::io::Error::other(
                "an earlier write to this journal failed; nothing more is written to it \
                 (check it, then `registry repair --truncate-torn-tail` drops the partial batch)",
            )));
        }
        Ok(())
    }

    /// Write what is pending and make everything appended durable.
    pub fn flush(&mut self) -> Result<(), JournalError> {
        self.refuse_if_broken()?;
        self.write_pending(self.pending.len())?;
        if self.dirty {
            self.file.sync_data().map_err(io(&self.path))?;
            self.dirty = false;
        }
        Ok(())
    }
}

/// Writes and syncs what is left. An error here has nowhere to go: a deferred writer's owner
/// calls [`JournalWriter::flush`] (as `synth` does) to hear of it.
impl Drop for JournalWriter {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::clock::ManualClock;
    use crate::registry::ledger::Ledger;
    use crate::registry::synth::{self, SynthConfig};

    fn journal(events: u64) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let clock =
            ManualClock::at_date(chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()).stepping(1);
        let mut l = Ledger::open(&path, clock).unwrap();
        synth::run(&mut l, SynthConfig { events, seed: 9 }, |_| {}).unwrap();
        (dir, path)
    }

    fn read_in(
        path: &Path,
        window: u64,
    ) -> Result<(ReadSummary, Vec<(u64, String)>), JournalError> {
        let mut seen = Vec::new();
        let summary = read_journal_in_windows(path, window, |env| {
            seen.push((env.seq, env.hash.clone()));
            Ok(())
        })?;
        Ok((summary, seen))
    }

    /// Batches of uneven sizes, as distinct bytes: batch `i` is `len` copies of a byte of its own.
    fn batches() -> Vec<Vec<u8>> {
        (0..400u32)
            .map(|i| vec![b'a' + (i % 26) as u8; 3_000 + (i as usize * 7_919) % 40_000])
            .collect()
    }

    #[test]
    fn a_deferred_writer_writes_whole_pieces_from_where_the_file_ended() {
        for start in [0usize, 1, 1_234_567, PIECE as usize] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("j.jsonl");
            std::fs::write(&path, vec![b'x'; start]).unwrap();
            let mut expected = vec![b'x'; start];
            let mut w = JournalWriter::open(&path, Durability::Deferred).unwrap();
            let mut lengths = vec![];
            for b in batches() {
                w.append_batch(&b).unwrap();
                expected.extend_from_slice(&b);
                let len = std::fs::metadata(&path).unwrap().len();
                // Nothing but whole pieces reaches the file, and never more than was appended.
                assert!(
                    len == start as u64 || len.is_multiple_of(PIECE),
                    "start {start}: {len}"
                );
                assert!(len as usize <= expected.len());
                // What is held back does not reach the next multiple of a piece.
                assert!((expected.len() as u64) < (len / PIECE + 1) * PIECE);
                lengths.push(len);
            }
            assert!(lengths.windows(2).all(|l| l[0] <= l[1]));
            // 400 batches of 23 KB on average: several pieces were written before the end.
            assert!(lengths.last().unwrap() / PIECE >= 3, "{lengths:?}");
            w.flush().unwrap();
            assert!(std::fs::read(&path).unwrap() == expected, "start {start}");
        }
    }

    /// A device that refuses every write (`/dev/full`): the first write is reported, and so
    /// is every later append and flush, instead of writing batches after a partial one.
    #[cfg(target_os = "linux")]
    #[test]
    fn after_a_failed_write_every_append_and_flush_is_refused() {
        let full = Path::new("/dev/full");
        if !full.exists() {
            eprintln!("skipped: no /dev/full");
            return;
        }
        for durability in [Durability::PerCommand, Durability::Deferred] {
            let mut w = JournalWriter::open(full, durability).unwrap();
            let piece = vec![b'x'; PIECE as usize + 10];
            let first = w.append_batch(&piece).unwrap_err();
            assert!(first.to_string().contains("/dev/full"), "{first}");
            let again = w.append_batch(b"{}\n").unwrap_err();
            assert!(again.to_string().contains("earlier write"), "{again}");
            let flushed = w.flush().unwrap_err();
            assert!(flushed.to_string().contains("earlier write"), "{flushed}");
            assert!(w.pending.is_empty(), "{durability:?}");
        }
    }

    #[test]
    fn dropping_a_deferred_writer_writes_what_it_held() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let mut w = JournalWriter::open(&path, Durability::Deferred).unwrap();
        w.append_batch(b"{\"a\":1}\n").unwrap();
        assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
        drop(w);
        assert_eq!(std::fs::read(&path).unwrap(), b"{\"a\":1}\n");
    }

    #[test]
    fn a_per_command_writer_writes_every_batch_before_it_returns() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        let mut w = JournalWriter::open(&path, Durability::PerCommand).unwrap();
        let mut expected = Vec::new();
        for b in batches().into_iter().take(120) {
            w.append_batch(&b).unwrap();
            expected.extend_from_slice(&b);
            assert!(std::fs::read(&path).unwrap() == expected);
        }
    }

    #[test]
    fn lines_that_straddle_windows_read_as_in_one_piece() {
        let (_dir, path) = journal(300);
        // What the file says, counted apart from the reader: its lines and its last hash.
        let text = std::fs::read_to_string(&path).unwrap();
        let last = Envelope::parse(text.lines().last().unwrap().as_bytes()).unwrap();
        let (whole, seen) = read_in(&path, u64::MAX).unwrap();
        assert_eq!(whole.events, text.lines().count() as u64);
        assert_eq!(whole.good_len, text.len() as u64);
        assert_eq!(whole.head_hash, last.hash);
        assert_eq!(seen.len() as u64, whole.events);
        // A window far shorter than a line, one that is not a page multiple, and a page.
        for window in [100u64, 1000, 4096] {
            let (s, got) = read_in(&path, window).unwrap();
            assert_eq!(got, seen, "window {window}");
            assert_eq!((s.events, s.good_len), (whole.events, whole.good_len));
            assert_eq!(s.head_hash, whole.head_hash);
        }
    }

    #[test]
    fn a_torn_tail_across_a_window_edge_is_reported_not_dropped() {
        let (_dir, path) = journal(100);
        let len = std::fs::metadata(&path).unwrap().len();
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(br#"{"actor":{"org":"REG""#).unwrap();
        drop(f);
        for window in [4096u64, len + 3, u64::MAX] {
            match read_in(&path, window) {
                Err(JournalError::TornTail { bytes, .. }) => {
                    assert_eq!(bytes, 21, "window {window}")
                }
                other => panic!("window {window}: {other:?}"),
            }
        }
    }
}
