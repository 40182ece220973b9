//! Portable sessions: one file a participant hands to the trainer (e.g. on a USB stick) holding
//! the session and its registry journal, with a checksum.
//!
//! One job: write ([`export`]) and read back ([`import`]) that file. Format (JSON):
//!
//! ```text
//! { "format": "ndc-workbench/session-export", "version": 1,
//!   "session": <the session file's JSON, verbatim>,
//!   "journal": "<the registry journal's JSON Lines text>" | null,
//!   "sha256": "<hex SHA-256 of: session JSON text, the bytes \n--journal--\n, journal text>" }
//! ```
//!
//! Import refuses, with the reason, a file that is not JSON, has another format tag or a newer
//! version, fails the checksum, holds an unreadable session or one whose scenario id is not a
//! simple id (the file name is built from it), names another journal than its own
//! (`<scenario-id>--<participant-slug>.registry.jsonl`), or
//! whose journal fails the registry's own journal reader (hash chain, sequence, invariants).
//! It never overwrites an existing session or journal without `force`. Files are written
//! atomically; a journal is verified in a temporary file before it is renamed into place.

use super::session::{Session, file_stem, journal_name, sessions_dir};
use crate::registry::{Ledger, ManualClock};
use crate::scenario::validate::simple_id;
use crate::store;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The format tag of a portable session file.
pub const FORMAT: &str = "ndc-workbench/session-export";
/// The version this build writes and reads.
pub const VERSION: u32 = 1;

/// Why export or import did not happen.
#[derive(Debug, thiserror::Error)]
pub enum PortableError {
    /// The input is damaged or would overwrite something (exit 2).
    #[error("{0}")]
    Refused(String),
    /// Reading or writing failed (exit 1).
    #[error("{0}")]
    Io(String),
}

#[derive(Serialize, Deserialize)]
struct Wire<'a> {
    format: String,
    version: u32,
    #[serde(borrow)]
    session: &'a RawValue,
    journal: Option<String>,
    sha256: String,
}

/// The checksum over the session text and the journal text.
pub fn checksum(session: &str, journal: Option<&str>) -> String {
    let mut h = Sha256::new();
    h.update(session.as_bytes());
    h.update(b"\n--journal--\n");
    h.update(journal.unwrap_or("").as_bytes());
    hex::encode(h.finalize())
}

/// Is `name` a plain file name (no directory part, not `.`/`..`)? Journal names come from
/// session files, which may come from elsewhere.
pub fn plain_file_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0'])
        && Path::new(name).file_name().is_some_and(|n| n == name)
}

/// `dir/name`, refused unless `name` is a plain file name, so the path stays inside `dir`.
fn inside(dir: &Path, name: &str) -> Result<PathBuf, PortableError> {
    if plain_file_name(name) {
        Ok(dir.join(name))
    } else {
        Err(refused(format!(
            "`{name}` is not a plain file name, so it would be written outside {}; \
             export the session again from the participant's laptop",
            dir.display()
        )))
    }
}

fn refused(m: String) -> PortableError {
    PortableError::Refused(m)
}

fn verify_journal(path: &Path) -> Result<u64, PortableError> {
    Ledger::load(path, ManualClock::new(chrono::DateTime::UNIX_EPOCH))
        .map(|l| l.last_seq())
        .map_err(|e| refused(format!("the registry journal is damaged: {e}")))
}

/// Find a session: an existing file path, else `<NAME>` or `<NAME>.json` in the data dir's
/// sessions folder, else the one session of the participant `arg` names (sessions are saved as
/// `SCENARIO--PARTICIPANT.json`, and people type their own name). A participant with sessions
/// of several scenarios is asked which, with their names.
pub fn find_session(arg: &str, data_dir: Option<&Path>) -> Result<PathBuf, PortableError> {
    let p = Path::new(arg);
    if p.is_file() {
        return Ok(p.to_path_buf());
    }
    let Some(dir) = data_dir.map(sessions_dir) else {
        return Err(refused(format!("no session file `{arg}`")));
    };
    for cand in [dir.join(arg), dir.join(format!("{arg}.json"))] {
        if cand.is_file() {
            return Ok(cand);
        }
    }
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| e.file_name().into_string().ok())
                .filter_map(|n| n.strip_suffix(".json").map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mine = format!("--{}", super::session::slug(arg));
    let theirs: Vec<&String> = names.iter().filter(|n| n.ends_with(&mine)).collect();
    match theirs.as_slice() {
        [one] => return Ok(dir.join(format!("{one}.json"))),
        [] => {}
        several => {
            let list: Vec<&str> = several.iter().map(|n| n.as_str()).collect();
            return Err(refused(format!(
                "`{arg}` has sessions of {} scenarios: {}; name one of them",
                several.len(),
                list.join(", ")
            )));
        }
    }
    Err(refused(format!(
        "no session `{arg}` (not a file, not in {}); sessions there: {}",
        dir.display(),
        if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        }
    )))
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exported {
    pub participant: String,
    pub scenario: String,
    /// Events in the journal (0 without one).
    pub events: u64,
}

/// Write the portable file for the session at `session_path` to `out` (atomically).
pub fn export(session_path: &Path, out: &Path) -> Result<Exported, PortableError> {
    let text = std::fs::read_to_string(session_path)
        .map_err(|e| refused(format!("{}: {e}", session_path.display())))?;
    let session = Session::from_json(session_path, &text).map_err(|e| refused(e.to_string()))?;
    let text = text.trim();
    let mut events = 0;
    let journal = if plain_file_name(&session.registry_journal) {
        let jp = session.journal_path(session_path);
        if jp.is_file() {
            events = verify_journal(&jp)?;
            Some(
                std::fs::read_to_string(&jp)
                    .map_err(|e| PortableError::Io(format!("{}: {e}", jp.display())))?,
            )
        } else {
            None
        }
    } else {
        None
    };
    let raw = RawValue::from_string(text.to_string())
        .map_err(|e| refused(format!("{}: {e}", session_path.display())))?;
    let wire = Wire {
        format: FORMAT.into(),
        version: VERSION,
        sha256: checksum(text, journal.as_deref()),
        session: &raw,
        journal,
    };
    let mut body = serde_json::to_string_pretty(&wire)
        .map_err(|e| PortableError::Io(format!("cannot encode the export: {e}")))?;
    body.push('\n');
    store::atomic_write(out, body.as_bytes()).map_err(|e| PortableError::Io(e.to_string()))?;
    Ok(Exported {
        participant: session.participant,
        scenario: session.scenario.id,
        events,
    })
}

/// A portable file read and verified (nothing written yet).
#[derive(Debug, Clone)]
pub struct Verified {
    pub session: Session,
    /// The session JSON text, verbatim.
    pub session_text: String,
    pub journal: Option<String>,
}

/// Parse and verify a portable file's text (format, version, checksum, session).
pub fn verify(name: &Path, text: &str) -> Result<Verified, PortableError> {
    let bad = |m: String| refused(format!("{}: {m}", name.display()));
    let head: serde_json::Value =
        serde_json::from_str(text).map_err(|e| bad(format!("not a JSON file ({e})")))?;
    match head.get("format").and_then(|f| f.as_str()) {
        Some(FORMAT) => {}
        Some(other) => {
            return Err(bad(format!(
                "format `{other}` is not a portable session (`{FORMAT}`)"
            )));
        }
        None => return Err(bad("no format tag: not a portable session file".into())),
    }
    match head.get("version").and_then(|v| v.as_u64()) {
        Some(v) if v == u64::from(VERSION) => {}
        Some(v) => {
            return Err(bad(format!(
                "unknown format version {v} (this build reads version {VERSION}); update ndc-workbench"
            )));
        }
        None => return Err(bad("no format version".into())),
    }
    let wire: Wire<'_> = serde_json::from_str(text).map_err(|e| bad(e.to_string()))?;
    let session_text = wire.session.get();
    if checksum(session_text, wire.journal.as_deref()) != wire.sha256 {
        return Err(bad(
            "checksum mismatch: the file was changed or damaged after export; export it again"
                .into(),
        ));
    }
    let session = Session::from_json(name, session_text).map_err(|e| bad(e.to_string()))?;
    // The session file is named after the scenario id: a crafted id such as `../x` would
    // write outside the sessions folder.
    if !simple_id(&session.scenario.id) {
        return Err(bad(format!(
            "the session's scenario id `{}` is not a simple id (lowercase letters, digits, `-` and `_`); \
             ndc-workbench never writes such a session, so the file was altered: export it again from the participant's laptop",
            session.scenario.id
        )));
    }
    // Import writes (and with --force replaces) the journal the session names: any other
    // name than its own would let a file replace another participant's session or journal.
    let own = journal_name(&session.scenario.id, &session.participant);
    if session.registry_journal != own {
        return Err(bad(format!(
            "the session names its journal `{}`, but a session of {} for {} has the journal `{own}`; \
             ndc-workbench never writes such a session, so the file was altered: export it again from the participant's laptop",
            session.registry_journal, session.participant, session.scenario.id
        )));
    }
    Ok(Verified {
        session,
        session_text: session_text.to_string(),
        journal: wire.journal,
    })
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub session_path: PathBuf,
    pub journal_path: Option<PathBuf>,
    pub participant: String,
    pub scenario: String,
    pub events: u64,
}

/// Import a portable file into `data_dir`'s sessions folder.
pub fn import(file: &Path, data_dir: &Path, force: bool) -> Result<Imported, PortableError> {
    let bytes = std::fs::read(file).map_err(|e| {
        let fix = match e.kind() {
            std::io::ErrorKind::NotFound => {
                " (check the name and folder: `session export … --out FILE` wrote it; on a USB stick, give its path)"
            }
            _ => "",
        };
        refused(format!("{}: {e}{fix}", file.display()))
    })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| refused(format!("{}: not UTF-8 text", file.display())))?;
    let v = verify(file, &text)?;
    let dir = sessions_dir(data_dir);
    let target = inside(
        &dir,
        &format!(
            "{}.json",
            file_stem(&v.session.scenario.id, &v.session.participant)
        ),
    )?;
    let jtarget = inside(&dir, &v.session.registry_journal)?;
    if !force {
        let existing: Vec<String> = [&target, &jtarget]
            .into_iter()
            .filter(|p| p.exists())
            .map(|p| p.display().to_string())
            .collect();
        if !existing.is_empty() {
            return Err(refused(format!(
                "the import would replace {}; add --force to replace {}",
                existing.join(" and "),
                if existing.len() == 1 { "it" } else { "them" }
            )));
        }
    }
    let mut events = 0;
    let journal_path = match &v.journal {
        Some(j) => {
            let tmp = dir.join(format!(
                ".{}.import-{}",
                v.session.registry_journal,
                std::process::id()
            ));
            store::atomic_write(&tmp, j.as_bytes())
                .map_err(|e| PortableError::Io(e.to_string()))?;
            match verify_journal(&tmp) {
                Ok(n) => events = n,
                Err(e) => {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(e);
                }
            }
            std::fs::rename(&tmp, &jtarget)
                .and_then(|_| store::sync_parent(&jtarget))
                .map_err(|e| {
                    let _ = std::fs::remove_file(&tmp);
                    PortableError::Io(format!("cannot write {}: {e}", jtarget.display()))
                })?;
            Some(jtarget)
        }
        None => {
            if jtarget.exists() {
                // force: a journal left from the replaced session must not pair with this one
                std::fs::remove_file(&jtarget).map_err(|e| {
                    PortableError::Io(format!("cannot remove {}: {e}", jtarget.display()))
                })?;
            }
            None
        }
    };
    let mut body = v.session_text;
    body.push('\n');
    store::atomic_write(&target, body.as_bytes()).map_err(|e| PortableError::Io(e.to_string()))?;
    Ok(Imported {
        session_path: target,
        journal_path,
        participant: v.session.participant,
        scenario: v.session.scenario.id,
        events,
    })
}
