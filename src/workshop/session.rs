//! Sessions: what one participant wrote for one scenario, kept as one JSON file.
//!
//! One job: the session's data and its file. A session lives in
//! `<data_dir>/sessions/<scenario-id>--<participant-slug>.json` and holds the schema version,
//! participant, scenario id and source hash, pack id and version, the answers (question id →
//! text, group tag, updated_at), where the participant was (screen and selections), budget edits
//! and simulation parameters (free-form JSON until those modules type them) and the name of its
//! registry journal (`<same stem>.registry.jsonl`, next to it).
//!
//! The workbench saves on every change with [`crate::store::atomic_write`], so killing the
//! process loses at most the keystroke being typed. A file that cannot be read as a session is
//! never overwritten: [`open`] renames it to `<name>.corrupt-<timestamp>` and says so.

use super::pack::{Pack, Part};
use crate::scenario::{Origin, Scenario};
use crate::store::{self, StoreError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The session file format version this build reads and writes.
pub const SESSION_SCHEMA: u32 = 1;

/// A participant's session for one scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub schema: u32,
    pub participant: String,
    pub scenario: ScenarioInfo,
    pub pack: PackInfo,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Question id → answer.
    #[serde(default)]
    pub answers: BTreeMap<String, Answer>,
    /// Where the participant was, restored on reopening.
    #[serde(default)]
    pub view: ViewState,
    /// Budget edits (typed by the budget module later; kept verbatim meanwhile).
    #[serde(default)]
    pub budget_edits: serde_json::Map<String, serde_json::Value>,
    /// Simulation parameters (typed by the simulate module later; kept verbatim meanwhile).
    #[serde(default)]
    pub simulation: serde_json::Map<String, serde_json::Value>,
    /// File name of this session's registry journal, in the same directory as the session.
    pub registry_journal: String,
}

/// Which scenario a session belongs to, and how to open it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioInfo {
    pub id: String,
    pub title: String,
    /// SHA-256 of the scenario text when the session was created.
    pub source_hash: String,
    /// `builtin:<id>` or the path of the scenario file.
    pub source: String,
}

/// Which question pack the answers answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackInfo {
    pub id: String,
    pub version: String,
}

/// One answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    pub text: String,
    /// Group name for Discuss answers written by a group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    pub updated_at: DateTime<Utc>,
}

/// The screen and selections to restore.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewState {
    /// Screen name (`home`, `reflect`, `discuss`, `budget`, `simulate`, `registry`, `report`).
    #[serde(default)]
    pub screen: String,
    /// Selected row per screen (e.g. `reflect` → 2).
    #[serde(default)]
    pub selection: BTreeMap<String, usize>,
}

/// Answered / total questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub answered: usize,
    pub total: usize,
}

impl std::fmt::Display for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{} answered", self.answered, self.total)
    }
}

/// A session that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("{path}: not a readable session file ({reason})")]
    Corrupt { path: PathBuf, reason: String },
    #[error(
        "{path}: session schema {found} is newer than this build reads ({SESSION_SCHEMA}); update ndc-workbench"
    )]
    TooNew { path: PathBuf, found: u32 },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A participant name as a file-name part: lowercase letters and digits, other runs → `-`.
/// Letters outside ASCII are kept (file systems store UTF-8), so different names stay apart.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "anonymous".into()
    } else {
        out
    }
}

/// The sessions directory inside a data dir.
pub fn sessions_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("sessions")
}

/// `<scenario-id>--<participant-slug>`: the stem of a session's file and its journal.
pub fn file_stem(scenario_id: &str, participant: &str) -> String {
    format!("{scenario_id}--{}", slug(participant))
}

/// `<stem>.registry.jsonl`: the file name of the registry journal of that session, next to it.
pub fn journal_name(scenario_id: &str, participant: &str) -> String {
    format!("{}.registry.jsonl", file_stem(scenario_id, participant))
}

/// Where the session of `participant` for `scenario_id` lives.
pub fn session_path(data_dir: &Path, scenario_id: &str, participant: &str) -> PathBuf {
    sessions_dir(data_dir).join(format!("{}.json", file_stem(scenario_id, participant)))
}

/// How a scenario can be opened again: `builtin:<id>` or its file path (absolute when possible).
pub fn scenario_source(s: &Scenario) -> String {
    match &s.origin {
        Origin::BuiltIn(id) => format!("builtin:{id}"),
        Origin::File(p) => std::fs::canonicalize(p)
            .unwrap_or_else(|_| p.clone())
            .display()
            .to_string(),
    }
}

impl Session {
    /// A fresh session.
    pub fn new(participant: &str, scenario: &Scenario, pack: &Pack, now: DateTime<Utc>) -> Self {
        Session {
            schema: SESSION_SCHEMA,
            participant: participant.trim().to_string(),
            scenario: ScenarioInfo {
                id: scenario.id().to_string(),
                title: scenario.title().to_string(),
                source_hash: scenario.source_hash.clone(),
                source: scenario_source(scenario),
            },
            pack: PackInfo {
                id: pack.pack.id.clone(),
                version: pack.pack.version.clone(),
            },
            created_at: now,
            updated_at: now,
            answers: BTreeMap::new(),
            view: ViewState::default(),
            budget_edits: serde_json::Map::new(),
            simulation: serde_json::Map::new(),
            registry_journal: journal_name(scenario.id(), participant),
        }
    }

    /// Parse a session from JSON text (`path` is used in messages).
    pub fn from_json(path: &Path, text: &str) -> Result<Self, SessionError> {
        let corrupt = |reason: String| SessionError::Corrupt {
            path: path.to_path_buf(),
            reason,
        };
        let v: serde_json::Value =
            serde_json::from_str(text).map_err(|e| corrupt(e.to_string()))?;
        if v.get("format").and_then(|f| f.as_str()) == Some(super::portable::FORMAT) {
            return Err(corrupt(format!(
                "this is an exported session (for a USB stick), not a session: run `ndc-workbench session import {}` first, then use the imported session",
                path.display()
            )));
        }
        let found = v
            .get("schema")
            .and_then(|s| s.as_u64())
            .ok_or_else(|| corrupt("no schema version".into()))?;
        if found > u64::from(SESSION_SCHEMA) {
            return Err(SessionError::TooNew {
                path: path.to_path_buf(),
                found: u32::try_from(found).unwrap_or(u32::MAX),
            });
        }
        serde_json::from_value(v).map_err(|e| corrupt(e.to_string()))
    }

    /// Read a session file.
    pub fn load(path: &Path) -> Result<Self, SessionError> {
        let text = std::fs::read_to_string(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::InvalidData => SessionError::Corrupt {
                path: path.to_path_buf(),
                reason: "not UTF-8 text".into(),
            },
            _ => SessionError::Io {
                path: path.to_path_buf(),
                source: e,
            },
        })?;
        Self::from_json(path, &text)
    }

    /// The session as pretty JSON.
    pub fn to_json(&self) -> String {
        // Serializing these plain maps and strings cannot fail; an empty object would only
        // ever be written if serde_json changed its contract.
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".into())
    }

    /// Write the session atomically.
    pub fn save(&self, path: &Path) -> Result<(), SessionError> {
        let mut text = self.to_json();
        text.push('\n');
        store::atomic_write(path, text.as_bytes())?;
        Ok(())
    }

    /// The registry journal's path, next to the session file at `session_path`.
    pub fn journal_path(&self, session_path: &Path) -> PathBuf {
        session_path
            .parent()
            .unwrap_or(Path::new("."))
            .join(&self.registry_journal)
    }

    /// The answer text for a question ("" when unanswered).
    pub fn answer_text(&self, qid: &str) -> &str {
        self.answers.get(qid).map(|a| a.text.as_str()).unwrap_or("")
    }

    /// The group tag for a question, if any.
    pub fn group(&self, qid: &str) -> Option<&str> {
        self.answers.get(qid).and_then(|a| a.group.as_deref())
    }

    /// Has the question a non-blank answer?
    pub fn is_answered(&self, qid: &str) -> bool {
        self.answers
            .get(qid)
            .is_some_and(|a| !a.text.trim().is_empty())
    }

    /// Set an answer's text. Returns whether anything changed. An empty answer without a group
    /// is removed.
    pub fn set_answer(&mut self, qid: &str, text: &str, now: DateTime<Utc>) -> bool {
        if self.answer_text(qid) == text {
            return false;
        }
        match self.answers.get_mut(qid) {
            Some(a) => {
                a.text = text.to_string();
                a.updated_at = now;
                if a.text.is_empty() && a.group.is_none() {
                    self.answers.remove(qid);
                }
            }
            None => {
                self.answers.insert(
                    qid.to_string(),
                    Answer {
                        text: text.to_string(),
                        group: None,
                        updated_at: now,
                    },
                );
            }
        }
        self.updated_at = now;
        true
    }

    /// Set or clear (blank) the group tag of a question. Returns whether anything changed.
    pub fn set_group(&mut self, qid: &str, group: &str, now: DateTime<Utc>) -> bool {
        let g = group.trim();
        let new = (!g.is_empty()).then(|| g.to_string());
        if self.group(qid).map(str::to_string) == new {
            return false;
        }
        let a = self
            .answers
            .entry(qid.to_string())
            .or_insert_with(|| Answer {
                text: String::new(),
                group: None,
                updated_at: now,
            });
        a.group = new;
        a.updated_at = now;
        if a.text.is_empty() && a.group.is_none() {
            self.answers.remove(qid);
        }
        self.updated_at = now;
        true
    }

    /// Answered / total questions of one part of the pack.
    pub fn progress(&self, pack: &Pack, part: Part) -> Progress {
        let mut p = Progress {
            answered: 0,
            total: 0,
        };
        for (_, q) in pack.questions_in(part) {
            p.total += 1;
            if self.is_answered(&q.id) {
                p.answered += 1;
            }
        }
        p
    }

    /// Answered / total over the whole pack.
    pub fn progress_all(&self, pack: &Pack) -> Progress {
        let a = self.progress(pack, Part::Reflect);
        let b = self.progress(pack, Part::Discuss);
        Progress {
            answered: a.answered + b.answered,
            total: a.total + b.total,
        }
    }
}

/// The outcome of [`open`].
#[derive(Debug)]
pub struct Opened {
    pub session: Session,
    pub path: PathBuf,
    /// True when no session existed (or the old one was set aside).
    pub created: bool,
    /// Something the participant must be told (a file set aside, a changed scenario).
    pub notice: Option<String>,
}

/// Rename an unreadable session file to `<name>.corrupt-<timestamp>`; returns the new path.
pub fn set_aside(path: &Path, now: DateTime<Utc>) -> Result<PathBuf, SessionError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "session.json".into());
    let stamp = now.format("%Y%m%dT%H%M%SZ");
    let mut to = path.with_file_name(format!("{name}.corrupt-{stamp}"));
    let mut n = 1;
    while to.exists() {
        n += 1;
        to = path.with_file_name(format!("{name}.corrupt-{stamp}-{n}"));
    }
    std::fs::rename(path, &to).map_err(|e| SessionError::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    Ok(to)
}

/// Open (or create, in memory) the session of `participant` for `scenario` in `data_dir`.
///
/// A corrupt file is set aside and a fresh session started, with a notice saying where the old
/// file went. A file from a newer build is an error (it is left alone). Nothing is written here:
/// the caller saves on the first change.
pub fn open(
    data_dir: &Path,
    participant: &str,
    scenario: &Scenario,
    pack: &Pack,
    now: DateTime<Utc>,
) -> Result<Opened, SessionError> {
    let path = session_path(data_dir, scenario.id(), participant);
    let fresh = || Session::new(participant, scenario, pack, now);
    if !path.exists() {
        return Ok(Opened {
            session: fresh(),
            path,
            created: true,
            notice: None,
        });
    }
    match Session::load(&path) {
        Ok(mut s) => {
            let mut notes = vec![];
            if s.scenario.source_hash != scenario.source_hash {
                notes.push(
                    "the scenario file changed since this session started; answers are kept"
                        .to_string(),
                );
                s.scenario.source_hash = scenario.source_hash.clone();
                s.scenario.source = scenario_source(scenario);
            }
            if s.pack.version != pack.pack.version || s.pack.id != pack.pack.id {
                notes.push(format!(
                    "the answers were written for pack {} {}; now {} {}",
                    s.pack.id, s.pack.version, pack.pack.id, pack.pack.version
                ));
            }
            Ok(Opened {
                session: s,
                path,
                created: false,
                notice: (!notes.is_empty()).then(|| notes.join("; ")),
            })
        }
        Err(SessionError::Corrupt { reason, .. }) => {
            let aside = set_aside(&path, now)?;
            let shown = aside
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok(Opened {
                session: fresh(),
                path,
                created: true,
                notice: Some(format!(
                    "the saved session could not be read ({reason}); it was kept as {shown} and a new session started"
                )),
            })
        }
        Err(e) => Err(e),
    }
}

/// A saved session as listed on Home.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSummary {
    pub path: PathBuf,
    pub participant: String,
    pub scenario_id: String,
    pub scenario_title: String,
    pub scenario_source: String,
    pub updated_at: DateTime<Utc>,
    pub answered: usize,
    /// Questions in the session's pack, when the pack is built in.
    pub total: Option<usize>,
}

/// The sessions saved in `data_dir`, most recently changed first. Unreadable files are skipped
/// (they are reported when opened).
pub fn list(data_dir: &Path) -> Vec<SessionSummary> {
    let Ok(rd) = std::fs::read_dir(sessions_dir(data_dir)) else {
        return vec![];
    };
    // Each built-in pack is parsed once, not once per session (Home lists them at start-up).
    let mut packs: std::collections::HashMap<String, Option<Pack>> = Default::default();
    let mut out: Vec<SessionSummary> = rd
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter_map(|p| {
            let s = Session::load(&p).ok()?;
            let pack = packs
                .entry(s.pack.id.clone())
                .or_insert_with(|| super::builtin_pack(&s.pack.id).and_then(|r| r.ok()));
            let total = pack.as_ref().map(|pk| pk.questions.len());
            let answered = match pack {
                Some(pk) => s.progress_all(pk).answered,
                None => s
                    .answers
                    .values()
                    .filter(|a| !a.text.trim().is_empty())
                    .count(),
            };
            Some(SessionSummary {
                path: p,
                participant: s.participant,
                scenario_id: s.scenario.id,
                scenario_title: s.scenario.title,
                scenario_source: s.scenario.source,
                updated_at: s.updated_at,
                answered,
                total,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.updated_at
            .cmp(&a.updated_at)
            .then_with(|| a.path.cmp(&b.path))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::builtin;
    use crate::workshop::{DEFAULT_PACK, builtin_pack};
    use chrono::TimeZone;

    fn fixtures() -> (Scenario, Pack) {
        let s = builtin::by_id(builtin::DEFAULT_ID)
            .unwrap_or_else(|| builtin::all().remove(0))
            .expect("valid");
        let p = builtin_pack(DEFAULT_PACK).expect("present").expect("valid");
        (s, p)
    }
    fn t(sec: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, sec)
            .single()
            .expect("valid time")
    }

    #[test]
    fn slug_keeps_letters_and_digits_only() {
        assert_eq!(slug("  Tshering Dorji "), "tshering-dorji");
        assert_eq!(slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(slug("Nguyễn Văn"), "nguyễn-văn");
        assert_eq!(slug("!!!"), "anonymous");
    }

    #[test]
    fn save_then_load_round_trips_everything() {
        let (s, p) = fixtures();
        let dir = tempfile::tempdir().expect("tmp");
        let o = open(dir.path(), "Pema", &s, &p, t(0)).expect("open");
        assert!(o.created);
        let mut sess = o.session;
        sess.set_answer("q1", "line one\nline two", t(1));
        sess.set_group("q1", "Group A", t(2));
        sess.view.screen = "discuss".into();
        sess.view.selection.insert("discuss".into(), 3);
        sess.budget_edits
            .insert("energy".into(), serde_json::json!({"cost": "12.5"}));
        sess.save(&o.path).expect("save");
        assert_eq!(
            o.path,
            dir.path()
                .join("sessions")
                .join(format!("{}--pema.json", s.id()))
        );
        let back = Session::load(&o.path).expect("load");
        assert_eq!(back, sess);
        assert_eq!(
            back.registry_journal,
            format!("{}--pema.registry.jsonl", s.id())
        );
        let again = open(dir.path(), "Pema", &s, &p, t(9)).expect("open");
        assert!(!again.created);
        assert_eq!(again.session, sess);
    }

    #[test]
    fn corrupt_file_is_set_aside_never_overwritten() {
        let (s, p) = fixtures();
        let dir = tempfile::tempdir().expect("tmp");
        let path = session_path(dir.path(), s.id(), "pema");
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, b"{\"schema\": 1, \"participant\": \"pe").expect("write");
        let o = open(dir.path(), "pema", &s, &p, t(5)).expect("open");
        assert!(o.created);
        let notice = o.notice.expect("notice");
        assert!(notice.contains("could not be read"), "{notice}");
        let aside = path.with_file_name(format!(
            "{}.json.corrupt-20260301T090005Z",
            file_stem(s.id(), "pema")
        ));
        assert_eq!(
            std::fs::read(&aside).expect("kept"),
            b"{\"schema\": 1, \"participant\": \"pe"
        );
        assert!(!path.exists(), "nothing written until the first change");
    }

    #[test]
    fn newer_schema_is_refused_and_left_alone() {
        let (s, p) = fixtures();
        let dir = tempfile::tempdir().expect("tmp");
        let path = session_path(dir.path(), s.id(), "pema");
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, b"{\"schema\": 99}").expect("write");
        assert!(matches!(
            open(dir.path(), "pema", &s, &p, t(0)),
            Err(SessionError::TooNew { found: 99, .. })
        ));
        assert!(path.exists());
    }

    #[test]
    fn progress_counts_non_blank_answers_per_part() {
        let (s, p) = fixtures();
        let mut sess = Session::new("x", &s, &p, t(0));
        let reflect: Vec<String> = p
            .questions_in(Part::Reflect)
            .map(|(_, q)| q.id.clone())
            .collect();
        let discuss: Vec<String> = p
            .questions_in(Part::Discuss)
            .map(|(_, q)| q.id.clone())
            .collect();
        sess.set_answer(&reflect[0], "yes", t(1));
        sess.set_answer(&reflect[1], "   ", t(1));
        sess.set_answer(&discuss[2], "we would", t(1));
        assert_eq!(
            sess.progress(&p, Part::Reflect),
            Progress {
                answered: 1,
                total: 6
            }
        );
        assert_eq!(
            sess.progress(&p, Part::Discuss),
            Progress {
                answered: 1,
                total: 11
            }
        );
        assert_eq!(sess.progress_all(&p).to_string(), "2/17 answered");
        sess.set_answer(&reflect[0], "", t(2));
        assert!(
            !sess.answers.contains_key(&reflect[0]),
            "empty answer without group is removed"
        );
    }

    #[test]
    fn list_shows_recent_first_with_progress() {
        let (s, p) = fixtures();
        let dir = tempfile::tempdir().expect("tmp");
        for (who, at) in [("a", 1), ("b", 3)] {
            let mut sess = open(dir.path(), who, &s, &p, t(0)).expect("open").session;
            let q = &p.questions[0].id;
            sess.set_answer(q, "x", t(at));
            sess.save(&session_path(dir.path(), s.id(), who))
                .expect("save");
        }
        let l = list(dir.path());
        assert_eq!(
            l.iter().map(|x| x.participant.as_str()).collect::<Vec<_>>(),
            ["b", "a"]
        );
        assert_eq!((l[0].answered, l[0].total), (1, Some(17)));
    }
}
