//! The journal's bytes, front to back, in large pieces. One job: hand a reader every byte of
//! the file with as little copying as the platform allows.
//!
//! - **Mapped windows** (the fast way): the file is mapped 16 MiB at a time, the window is
//!   handed over where it lies in the page cache, then unmapped. Nothing is copied, and the
//!   memory the reader holds stays one window, however long the journal is.
//! - **Buffered reads** (the fallback): 256 KiB `read()`s into one buffer.
//!
//! # Why mapping is sound here (the registry's `unsafe` besides the SHA intrinsics of `line_digest` and the ASCII line of `wire::fast`)
//!
//! A mapping is only safe while nobody shrinks or rewrites the mapped part of the file: a
//! truncation under a mapping kills the reader with `SIGBUS`, and a rewrite changes bytes a
//! `&[u8]` promised were fixed. The registry keeps both out:
//!
//! - the journal is append-only: the writer ([`super::journal::JournalWriter`]) only ever adds
//!   bytes after the end, which a mapping of the part before the end never sees;
//! - the only operation that shrinks it, [`super::journal::truncate_torn_tail`], takes the
//!   file's exclusive lock first;
//! - the map path takes a shared lock on the file for as long as a window is mapped, and maps
//!   only up to the length it read under that lock. When it cannot get the lock (a live
//!   ledger holds the exclusive one while it appends), it reads that window with `read()`.
//!
//! A process outside the registry that truncates a journal while it is being checked is not
//! covered (as with any program that maps files); the registry itself never does it.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use super::error::JournalError;

/// Size of one mapped window.
pub const WINDOW: u64 = 16 << 20;
/// Size of the fallback read buffer.
const READ_BUFFER: usize = 256 << 10;

/// Call `piece` with every byte of `file`, in order, in pieces of any size (a piece may end in
/// the middle of a line). Stops at the first error `piece` returns.
///
/// The shared lock is taken per window, not for the whole read, so a writer that wants the
/// file (its exclusive lock) waits at most one window's processing; while a writer holds
/// it, windows are read with `read()` instead.
pub fn for_each_piece(
    mut file: &File,
    path: &Path,
    window: u64,
    mut piece: impl FnMut(&[u8]) -> Result<(), JournalError>,
) -> Result<(), JournalError> {
    let io = |source| JournalError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut buf = Vec::new();
    let mut at = 0u64;
    loop {
        let locked = file.try_lock_shared().is_ok();
        // Under the lock, the length cannot shrink until `unlock`.
        let len = match file.metadata() {
            Ok(m) => m.len(),
            Err(e) => {
                let _ = file.unlock();
                return Err(io(e));
            }
        };
        if at >= len {
            if locked {
                let _ = file.unlock();
            }
            return Ok(());
        }
        let n = (len - at).min(window.max(1));
        // A file system that cannot map (some network and FUSE mounts) is read instead. The
        // window is unmapped at the end of its arm, before the lock is let go.
        let done = match locked.then(|| map(file, at, n)) {
            Some(Ok(window)) => piece(&window),
            _ => read(&mut file, at, n, &mut buf, &mut piece, &io),
        };
        if locked {
            let _ = file.unlock();
        }
        done?;
        at += n;
    }
}

/// `n` bytes from `at`, mapped. The caller holds a shared lock on `file` and `at + n` is
/// within the length it read under that lock, and unmaps before it lets go of the lock.
///
/// The window is not populated up front: the reader's first touch of a page maps it and its
/// neighbours (the kernel's fault-around). Populating the 16 MiB at once walked the window
/// page by page and cost more system time (a 1M-event check: 0.02–0.07 s more, interleaved).
/// No `MADV_SEQUENTIAL` either: with it the kernel does not count the reader's touches as use,
/// so the journal's cached pages are the first to be dropped, and the next open reads them
/// from disk again.
///
/// On Linux the window is advised `MADV_HUGEPAGE`. Where its part of the file is not cached
/// (the kernel drops cold page cache; this workplace's does within minutes), the kernel then
/// reads it into 2 MiB folios, and maps each with one page-table entry, since a window starts
/// at a multiple of 16 MiB and the kernel aligns the mapping to match. That read, and every
/// later one until the pages are dropped again, takes one fault per 2 MiB instead of one per
/// 64 KiB of fault-around, and no page-by-page unmapping: a 1M-event check's system time
/// falls from about 0.27 to 0.13 s. Cached small folios are left as they are (collapsing them
/// would copy the file). The advice is only a hint: where it is refused, nothing changes.
fn map(file: &File, at: u64, n: u64) -> std::io::Result<memmap2::Mmap> {
    // SAFETY: see the module doc. No registry process truncates `file` while the shared lock
    // is held, and the window ends within the length read under that lock; appends land
    // after it.
    let window = unsafe {
        memmap2::MmapOptions::new()
            .offset(at)
            .len(n as usize)
            .map(file)
    }?;
    #[cfg(target_os = "linux")]
    let _ = window.advise(memmap2::Advice::HugePage);
    Ok(window)
}

/// `n` bytes from `at` (or fewer, if the file ends sooner), by `read()`.
fn read(
    file: &mut &File,
    at: u64,
    n: u64,
    buf: &mut Vec<u8>,
    piece: &mut impl FnMut(&[u8]) -> Result<(), JournalError>,
    io: &impl Fn(std::io::Error) -> JournalError,
) -> Result<(), JournalError> {
    buf.resize(READ_BUFFER, 0);
    file.seek(SeekFrom::Start(at)).map_err(io)?;
    let mut left = n;
    while left > 0 {
        let want = (left as usize).min(READ_BUFFER);
        let got = match file.read(&mut buf[..want]) {
            Ok(0) => return Ok(()),
            Ok(got) => got,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io(e)),
        };
        piece(&buf[..got])?;
        left -= got as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(path: &Path, window: u64) -> (Vec<u8>, usize) {
        let file = File::open(path).unwrap();
        let mut got = Vec::new();
        let mut calls = 0;
        for_each_piece(&file, path, window, |p| {
            got.extend_from_slice(p);
            calls += 1;
            Ok(())
        })
        .unwrap();
        (got, calls)
    }

    fn file_of(len: usize) -> (tempfile::TempDir, std::path::PathBuf, Vec<u8>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.jsonl");
        // Not periodic in any window size used below, so a repeated or skipped window shows.
        let bytes: Vec<u8> = (0..len as u64)
            .map(|i| (i.wrapping_mul(2654435761) >> 7) as u8)
            .collect();
        std::fs::write(&path, &bytes).unwrap();
        (dir, path, bytes)
    }

    #[test]
    fn every_byte_arrives_once_in_order_whatever_the_window() {
        for len in [0usize, 1, 4095, 4096, 4097, 3 * 4096 + 17] {
            let (_dir, path, bytes) = file_of(len);
            for window in [1u64, 7, 1000, 4096, 8192, WINDOW] {
                let (got, calls) = pieces(&path, window);
                assert!(got == bytes, "len {len}, window {window}");
                assert_eq!(
                    calls,
                    len.div_ceil(window as usize),
                    "len {len}, window {window}"
                );
            }
        }
    }

    /// The kernel's flags of this process's mappings of `path` (`VmFlags` of `/proc/self/smaps`).
    #[cfg(target_os = "linux")]
    fn mapping_flags(path: &Path) -> Vec<String> {
        let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
        let name = path.to_str().unwrap();
        let mut found = Vec::new();
        let mut ours = false;
        for line in smaps.lines() {
            if line.contains('-') && !line.starts_with(char::is_uppercase) {
                ours = line.ends_with(name);
            } else if ours && let Some(flags) = line.strip_prefix("VmFlags:") {
                found.push(flags.trim().to_string());
            }
        }
        found
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_mapped_window_asks_for_huge_pages() {
        if !Path::new("/sys/kernel/mm/transparent_hugepage").exists() {
            eprintln!("skipped: this kernel has no transparent huge pages to ask for");
            return;
        }
        let (_dir, path, _) = file_of(3 * 4096 + 17);
        let file = File::open(&path).unwrap();
        let mut windows = 0;
        for_each_piece(&file, &path, WINDOW, |_| {
            let flags = mapping_flags(&path);
            assert_eq!(flags.len(), 1, "{flags:?}");
            assert!(flags[0].split(' ').any(|f| f == "hg"), "{flags:?}");
            windows += 1;
            Ok(())
        })
        .unwrap();
        assert_eq!(windows, 1);
        assert!(mapping_flags(&path).is_empty(), "the window is unmapped");
    }

    #[test]
    fn a_writer_holding_the_file_makes_the_reader_read_instead_of_map() {
        let (_dir, path, bytes) = file_of(3 * 4096 + 17);
        let writer = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        writer.try_lock().unwrap();
        // The shared lock is refused, so these bytes come through `read()`.
        assert!(File::open(&path).unwrap().try_lock_shared().is_err());
        for window in [1000u64, 4096, WINDOW] {
            assert!(pieces(&path, window).0 == bytes, "window {window}");
        }
        writer.unlock().unwrap();
    }

    #[test]
    fn the_reader_lets_go_of_its_lock_between_windows_and_at_the_end() {
        let (_dir, path, _) = file_of(2 * 4096);
        let file = File::open(&path).unwrap();
        let other = File::open(&path).unwrap();
        for_each_piece(&file, &path, 4096, |_| {
            // While a window is mapped, a writer is kept out.
            assert!(other.try_lock().is_err());
            Ok(())
        })
        .unwrap();
        other.try_lock().unwrap();
    }
}
