//! A session's answers as Markdown, CSV and JSON, and their export into a folder.
//!
//! One job: turn (session, pack, scenario) into the three files a trainer collects. Every
//! question of the pack is listed (unanswered ones with an empty answer), grouped by part and
//! section, with the participant, scenario id and the illustrative flag. CSV cells that a
//! spreadsheet would run as a formula get a leading `'`, by the one rule every report CSV
//! uses ([`crate::report::csv_cell`]).

use super::csv_cell;
use crate::scenario::Scenario;
use crate::store::{self, StoreError};
use crate::workshop::pack::{Pack, Part};
use crate::workshop::session::{Session, slug};
use std::path::{Path, PathBuf};

/// One question with its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerRow {
    pub part: Part,
    pub section_id: String,
    pub section: String,
    pub question_id: String,
    pub question: String,
    pub answer: String,
    pub group: Option<String>,
    /// RFC 3339, empty when unanswered.
    pub updated_at: String,
}

fn part_name(p: Part) -> &'static str {
    match p {
        Part::Reflect => "reflect",
        Part::Discuss => "discuss",
    }
}

/// Every question of the pack, in pack order (Reflect, then Discuss), with its answer.
pub fn rows(session: &Session, pack: &Pack) -> Vec<AnswerRow> {
    let mut out = vec![];
    for part in [Part::Reflect, Part::Discuss] {
        for (sec, q) in pack.questions_in(part) {
            let a = session.answers.get(&q.id);
            out.push(AnswerRow {
                part,
                section_id: sec.id.clone(),
                section: sec.title.clone(),
                question_id: q.id.clone(),
                question: q.text.clone(),
                answer: a.map(|a| a.text.clone()).unwrap_or_default(),
                group: a.and_then(|a| a.group.clone()),
                updated_at: a.map(|a| a.updated_at.to_rfc3339()).unwrap_or_default(),
            });
        }
    }
    out
}

/// Markdown: a title, the provenance lines, then sections and questions with their answers.
pub fn to_markdown(session: &Session, pack: &Pack, scenario: &Scenario) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    let _ = writeln!(o, "# Answers — {}\n", scenario.title());
    let _ = writeln!(o, "- Participant: {}", session.participant);
    let _ = writeln!(
        o,
        "- Scenario: `{}`{}",
        scenario.id(),
        if scenario.file.scenario.illustrative {
            " (ILLUSTRATIVE: some figures are invented for teaching)"
        } else {
            ""
        }
    );
    let _ = writeln!(
        o,
        "- Illustrative: {}",
        if scenario.file.scenario.illustrative {
            "yes"
        } else {
            "no"
        }
    );
    let _ = writeln!(
        o,
        "- Question pack: `{}` version {}",
        pack.pack.id, pack.pack.version
    );
    let _ = writeln!(o, "- Progress: {}", session.progress_all(pack));
    let mut part = None;
    let mut section = String::new();
    for r in rows(session, pack) {
        if part != Some(r.part) {
            part = Some(r.part);
            let _ = writeln!(
                o,
                "\n## {}",
                if r.part == Part::Reflect {
                    "Reflect"
                } else {
                    "Discuss"
                }
            );
        }
        if section != r.section_id {
            section = r.section_id.clone();
            let _ = writeln!(o, "\n### {}", r.section);
        }
        let _ = writeln!(o, "\n**{}**", r.question);
        if let Some(g) = &r.group {
            let _ = writeln!(o, "\n_Group: {g}_");
        }
        if r.answer.trim().is_empty() {
            let _ = writeln!(o, "\n_(not answered)_");
        } else {
            let _ = writeln!(o);
            for line in r.answer.lines() {
                let _ = writeln!(o, "> {line}");
            }
        }
    }
    o
}

/// CSV: one row per question, with participant, scenario id and illustrative flag on each row.
pub fn to_csv(session: &Session, pack: &Pack, scenario: &Scenario) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(vec![]);
    w.write_record([
        "participant",
        "scenario_id",
        "illustrative",
        "part",
        "section",
        "question_id",
        "question",
        "group",
        "answer",
        "updated_at",
    ])?;
    let ill = if scenario.file.scenario.illustrative {
        "true"
    } else {
        "false"
    };
    for r in rows(session, pack) {
        let rec = [
            csv_cell(&session.participant),
            csv_cell(scenario.id()),
            ill.to_string(),
            part_name(r.part).to_string(),
            csv_cell(&r.section),
            csv_cell(&r.question_id),
            csv_cell(&r.question),
            csv_cell(r.group.as_deref().unwrap_or("")),
            csv_cell(&r.answer),
            r.updated_at,
        ];
        w.write_record(&rec)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// JSON: provenance and the answers grouped by part and section.
pub fn to_json(session: &Session, pack: &Pack, scenario: &Scenario) -> serde_json::Value {
    let mut sections: Vec<serde_json::Value> = vec![];
    for part in [Part::Reflect, Part::Discuss] {
        for sec in pack.sections.iter().filter(|s| s.part == part) {
            let qs: Vec<serde_json::Value> = rows(session, pack)
                .into_iter()
                .filter(|r| r.section_id == sec.id)
                .map(|r| {
                    serde_json::json!({
                        "id": r.question_id, "question": r.question, "answer": r.answer,
                        "group": r.group, "updated_at": (!r.updated_at.is_empty()).then_some(r.updated_at),
                    })
                })
                .collect();
            sections.push(serde_json::json!({ "part": part_name(part), "id": sec.id, "title": sec.title, "questions": qs }));
        }
    }
    let p = session.progress_all(pack);
    serde_json::json!({
        "participant": session.participant,
        "scenario_id": scenario.id(),
        "scenario_title": scenario.title(),
        "illustrative": scenario.file.scenario.illustrative,
        "pack": { "id": pack.pack.id, "version": pack.pack.version },
        "answered": p.answered,
        "total": p.total,
        "sections": sections,
    })
}

/// An export that failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write CSV: {0}")]
    Csv(#[from] csv::Error),
}

/// The file stem of an export: `<scenario-id>--<participant-slug>-answers`, so several
/// participants can export into one shared folder.
pub fn export_stem(session: &Session) -> String {
    format!(
        "{}--{}-answers",
        session.scenario.id,
        slug(&session.participant)
    )
}

/// Write `<stem>.md`, `.csv` and `.json` into `dir` (created if missing); returns the paths.
pub fn export(
    dir: &Path,
    session: &Session,
    pack: &Pack,
    scenario: &Scenario,
) -> Result<Vec<PathBuf>, ExportError> {
    let stem = export_stem(session);
    let md = dir.join(format!("{stem}.md"));
    let csv = dir.join(format!("{stem}.csv"));
    let json = dir.join(format!("{stem}.json"));
    store::atomic_write(&md, to_markdown(session, pack, scenario).as_bytes())?;
    store::atomic_write(&csv, to_csv(session, pack, scenario)?.as_bytes())?;
    let mut j = serde_json::to_string_pretty(&to_json(session, pack, scenario))
        .unwrap_or_else(|_| "{}".into());
    j.push('\n');
    store::atomic_write(&json, j.as_bytes())?;
    Ok(vec![md, csv, json])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::builtin;
    use crate::workshop::{DEFAULT_PACK, builtin_pack};
    use chrono::{TimeZone, Utc};

    fn setup() -> (Session, Pack, Scenario) {
        let s = builtin::by_id(builtin::DEFAULT_ID)
            .unwrap_or_else(|| builtin::all().remove(0))
            .expect("valid");
        let p = builtin_pack(DEFAULT_PACK).expect("present").expect("valid");
        let now = Utc
            .with_ymd_and_hms(2026, 3, 1, 9, 0, 0)
            .single()
            .expect("time");
        let mut sess = Session::new("Pema", &s, &p, now);
        let q0 = p
            .questions_in(Part::Reflect)
            .next()
            .map(|(_, q)| q.id.clone())
            .expect("q");
        let qd = p
            .questions_in(Part::Discuss)
            .next()
            .map(|(_, q)| q.id.clone())
            .expect("q");
        sess.set_answer(&q0, "=SUM(A1)\nsecond line", now);
        sess.set_answer(&qd, "-5% more", now);
        sess.set_group(&qd, "@Group A", now);
        (sess, p, s)
    }

    #[test]
    fn csv_neutralises_formula_cells_and_lists_every_question() {
        let (sess, p, s) = setup();
        let text = to_csv(&sess, &p, &s).expect("csv");
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let recs: Vec<csv::StringRecord> = r.records().collect::<Result<_, _>>().expect("parse");
        assert_eq!(recs.len(), p.questions.len());
        assert!(recs.iter().any(|x| &x[8] == "'=SUM(A1)\nsecond line"));
        assert!(
            recs.iter()
                .any(|x| &x[8] == "'-5% more" && &x[7] == "'@Group A")
        );
        assert!(recs.iter().all(|x| &x[0] == "Pema" && &x[2] == "true"));
    }

    #[test]
    fn markdown_and_json_group_by_section() {
        let (sess, p, s) = setup();
        let md = to_markdown(&sess, &p, &s);
        assert!(md.contains("- Participant: Pema"));
        assert!(md.contains("## Reflect") && md.contains("## Discuss"));
        assert!(md.contains("> =SUM(A1)\n> second line"));
        assert!(md.contains("_Group: @Group A_"));
        let j = to_json(&sess, &p, &s);
        assert_eq!(j["answered"], 2);
        assert_eq!(
            j["sections"].as_array().map(|a| a.len()),
            Some(p.sections.len())
        );
    }

    #[test]
    fn export_writes_three_files() {
        let (sess, p, s) = setup();
        let d = tempfile::tempdir().expect("tmp");
        let out = export(&d.path().join("x"), &sess, &p, &s).expect("export");
        assert_eq!(out.len(), 3);
        for f in out {
            assert!(f.exists(), "{}", f.display());
        }
    }
}
