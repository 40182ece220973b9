//! The journal file: append-only JSON Lines with a hash chain. One job: read and verify it
//! (streaming, constant memory per line) and append committed batches durably.
//!
//! Durability: `append_batch` writes a command's whole batch with one `write_all` and then
//! `sync_data` (fsync) before the command is acknowledged (`Durability::PerCommand`).
//! `Durability::Deferred` (bulk generation only) syncs on `flush`/drop.
//!
//! Torn tails: a crash can leave a last line without its newline, or a batch without its
//! `batch_end` event. Such bytes were never acknowledged. Reading reports them as
//! [`JournalError::TornTail`] (with the event number and byte count) and never drops them
//! silently; the journal cannot be opened for append until the operator runs
//! `registry repair --truncate-torn-tail`, which calls [`truncate_torn_tail`] and says what it
//! removed. Any other bad line (bad JSON, wrong hash, broken chain, gap in `seq`) is
//! corruption, reported with the first bad event number, and is never repaired.

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use super::error::JournalError;
use super::event::{Envelope, GENESIS_HASH, hash_matches, line_hash};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// fsync after every committed command (default for files).
    PerCommand,
    /// fsync only on flush (bulk generation, benchmarks).
    Deferred,
}

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
    let mut r = BufReader::with_capacity(1 << 20, file);
    let mut buf = Vec::with_capacity(1024);
    let mut prev_hash = GENESIS_HASH.to_string();
    let mut seq = 0u64;
    let mut line_no = 0u64;
    let mut offset = 0u64;
    let mut good_len = 0u64;
    let mut good_seq = 0u64;
    let mut in_batch = false;
    loop {
        buf.clear();
        let n = r.read_until(b'\n', &mut buf).map_err(io(path))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        offset += n as u64;
        if buf.last() != Some(&b'\n') {
            return Err(JournalError::TornTail {
                path: path.to_path_buf(),
                line: line_no,
                last_good_seq: good_seq,
                bytes: offset - good_len,
                reason: "last line has no newline (partial write)".into(),
            });
        }
        let line = &buf[..buf.len() - 1];
        let expect = seq + 1;
        let corrupt = |reason: String| JournalError::Corrupt {
            path: path.to_path_buf(),
            line: line_no,
            seq: expect,
            reason,
        };
        let env = Envelope::parse(line).map_err(|e| corrupt(format!("not a valid event: {e}")))?;
        if env.seq != expect {
            return Err(corrupt(format!(
                "seq is {}, expected {expect} (gap or reorder)",
                env.seq
            )));
        }
        if env.prev_hash != prev_hash {
            return Err(corrupt(
                "prev_hash does not match the previous event's hash (broken chain)".into(),
            ));
        }
        let digest = line_hash(line).ok_or_else(|| corrupt("hash field is not last".into()))?;
        if !hash_matches(&digest, &env.hash) {
            return Err(corrupt(
                "hash does not match the line's content (altered)".into(),
            ));
        }
        seq = expect;
        prev_hash.clone_from(&env.hash);
        in_batch = !env.batch_end;
        let end = env.batch_end;
        on_event(env)?;
        if end {
            good_len = offset;
            good_seq = seq;
        }
    }
    if in_batch {
        return Err(JournalError::TornTail {
            path: path.to_path_buf(),
            line: line_no,
            last_good_seq: good_seq,
            bytes: offset - good_len,
            reason: format!(
                "events {}..={seq} form an incomplete batch (no batch_end)",
                good_seq + 1
            ),
        });
    }
    Ok(ReadSummary {
        events: seq,
        head_hash: prev_hash,
        good_len,
    })
}

/// Drop an unacknowledged torn tail explicitly. Returns `(bytes removed, last good seq)`.
/// Refuses (returns the error) when the journal is corrupt rather than torn.
pub fn truncate_torn_tail(path: &Path) -> Result<(u64, u64), JournalError> {
    match read_journal(path, |_| Ok(())) {
        Ok(_) => Ok((0, 0)),
        Err(JournalError::TornTail {
            last_good_seq,
            bytes,
            ..
        }) => {
            let len = std::fs::metadata(path).map_err(io(path))?.len();
            let f = OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(io(path))?;
            f.set_len(len - bytes).map_err(io(path))?;
            f.sync_all().map_err(io(path))?;
            Ok((bytes, last_good_seq))
        }
        Err(e) => Err(e),
    }
}

/// Append handle, holding an exclusive lock on the file.
#[derive(Debug)]
pub struct JournalWriter {
    file: File,
    path: PathBuf,
    durability: Durability,
    dirty: bool,
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
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(JournalError::Locked {
                    path: path.to_path_buf(),
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(path)(e)),
        }
        if !existed {
            crate::store::sync_parent(path).map_err(io(path))?;
        }
        Ok(JournalWriter {
            file,
            path: path.to_path_buf(),
            durability,
            dirty: false,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append one command's batch (already encoded lines) and make it durable.
    pub fn append_batch(&mut self, bytes: &[u8]) -> Result<(), JournalError> {
        self.file.write_all(bytes).map_err(io(&self.path))?;
        match self.durability {
            Durability::PerCommand => self.file.sync_data().map_err(io(&self.path))?,
            Durability::Deferred => self.dirty = true,
        }
        Ok(())
    }

    pub fn flush(&mut self) -> Result<(), JournalError> {
        if self.dirty {
            self.file.sync_data().map_err(io(&self.path))?;
            self.dirty = false;
        }
        Ok(())
    }
}

impl Drop for JournalWriter {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}
