//! `collect`: merge the sessions of one scenario into a workshop summary (Markdown).
//!
//! One job: read many session files (or portable exports), keep those of one scenario text and
//! one question pack version, and summarise them: every participant's (or group's) answer per
//! question with their name, answered counts, and the spread (min / median / max) of simulated
//! maxima and chosen parameters.
//!
//! Nothing is mixed silently. Sessions are grouped by (scenario id, scenario hash, pack id,
//! pack version); the largest group wins (`--scenario ID` restricts the choice to that id) and
//! every other session is listed as left out with the reason. Unreadable files are listed with
//! their reason and skipped. When one participant appears in two files, the most recently
//! updated session is kept and the other listed. Each kept session is simulated once,
//! deterministically (no Monte Carlo), with its own budget edits and parameters.

use super::session::{edited, pack_of, params_of, scenario_of};
use crate::scenario::Scenario;
use crate::simulate::{self, Params, Volume};
use crate::workshop::pack::{Pack, Part};
use crate::workshop::portable;
use crate::workshop::session::{Session, slug};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A file that was not collected, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclusion {
    pub path: PathBuf,
    pub reason: String,
}

/// One collected session with what was computed for it.
#[derive(Debug, Clone)]
pub struct Collected1 {
    pub path: PathBuf,
    pub session: Session,
    pub answered: usize,
    pub total: usize,
    pub params: Option<Params>,
    pub max_transferable: Option<u64>,
    /// Why the simulation could not run for this session (its answers are still collected).
    pub problem: Option<String>,
}

/// The workshop summary's data.
#[derive(Debug, Clone)]
pub struct Summary {
    pub scenario_id: String,
    pub scenario_title: String,
    pub source_hash: String,
    pub pack: Pack,
    pub pack_version: String,
    pub sessions: Vec<Collected1>,
    pub excluded: Vec<Exclusion>,
    pub notes: Vec<String>,
}

/// Nothing could be collected.
#[derive(Debug, Clone)]
pub struct NothingCollected {
    pub excluded: Vec<Exclusion>,
}

/// Session files named by `inputs`: files as given, directories' `*.json` files (not hidden,
/// not recursive), in name order. Unreadable entries are exclusions.
pub fn files(inputs: &[PathBuf]) -> (Vec<PathBuf>, Vec<Exclusion>) {
    let mut out = vec![];
    let mut bad = vec![];
    for p in inputs {
        if p.is_dir() {
            match std::fs::read_dir(p) {
                Ok(rd) => {
                    let mut v: Vec<PathBuf> = rd
                        .filter_map(|e| e.ok())
                        .map(|e| e.path())
                        .filter(|f| {
                            f.is_file()
                                && f.extension().is_some_and(|x| x == "json")
                                && !f
                                    .file_name()
                                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                        })
                        .collect();
                    v.sort();
                    out.extend(v);
                }
                Err(e) => bad.push(Exclusion {
                    path: p.clone(),
                    reason: format!("cannot read the folder: {e}"),
                }),
            }
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            bad.push(Exclusion {
                path: p.clone(),
                reason: "no such file or folder".into(),
            });
        }
    }
    (out, bad)
}

/// Read one session file or portable export.
pub fn read_one(path: &Path) -> Result<Session, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    if text.contains(portable::FORMAT) {
        let v: Option<serde_json::Value> = serde_json::from_str(&text).ok();
        if v.as_ref()
            .and_then(|v| v.get("format"))
            .and_then(|f| f.as_str())
            == Some(portable::FORMAT)
        {
            return portable::verify(path, &text)
                .map(|v| v.session)
                .map_err(|e| {
                    let m = e.to_string();
                    let prefix = format!("{}: ", path.display());
                    m.strip_prefix(&prefix).map(str::to_string).unwrap_or(m)
                });
        }
    }
    Session::from_json(path, &text).map_err(|e| {
        let m = e.to_string();
        let prefix = format!("{}: ", path.display());
        m.strip_prefix(&prefix).map(str::to_string).unwrap_or(m)
    })
}

type Key = (String, String, String, String);

fn key(s: &Session) -> Key {
    (
        s.scenario.id.clone(),
        s.scenario.source_hash.clone(),
        s.pack.id.clone(),
        s.pack.version.clone(),
    )
}

fn short(h: &str) -> &str {
    h.get(..12).unwrap_or(h)
}

fn why_not(k: &Key, chosen: &Key) -> String {
    if k.0 != chosen.0 {
        format!(
            "another scenario: `{}` (this summary is for `{}`)",
            k.0, chosen.0
        )
    } else if k.1 != chosen.1 {
        format!(
            "another text of scenario `{}` (hash {}, this summary uses {})",
            k.0,
            short(&k.1),
            short(&chosen.1)
        )
    } else if k.2 != chosen.2 {
        format!(
            "another question pack: `{}` (this summary uses `{}`)",
            k.2, chosen.2
        )
    } else {
        format!(
            "another version of pack `{}`: {} (this summary uses {})",
            k.2, k.3, chosen.3
        )
    }
}

/// What one simulation gave: the parameters, the maximum, or why it could not run.
type Outcome1 = (Option<Params>, Option<u64>, Option<String>);

/// A session prepared for simulation: its edited scenario (shared by sessions with the same
/// edits) and parameters, or why not.
fn prepare(
    base: Option<&Scenario>,
    edited_cache: &mut BTreeMap<String, Result<Scenario, String>>,
    s: &Session,
) -> Result<(String, Params), String> {
    let base = base.ok_or("the scenario is unavailable")?;
    let edits_key = serde_json::to_string(&s.budget_edits).map_err(|e| e.to_string())?;
    let sc = edited_cache
        .entry(edits_key.clone())
        .or_insert_with(|| edited(base, s).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| e.clone())?;
    let p = params_of(s, sc).map_err(|e| e.to_string())?;
    Ok((edits_key, p))
}

/// Read, group, choose, and compute. `pick` restricts the choice to one scenario id.
pub fn collect(inputs: &[PathBuf], pick: Option<&str>) -> Result<Summary, NothingCollected> {
    let (paths, mut excluded) = files(inputs);
    let mut read: Vec<(PathBuf, Session)> = vec![];
    for p in paths {
        match read_one(&p) {
            Ok(s) => read.push((p, s)),
            Err(reason) => excluded.push(Exclusion { path: p, reason }),
        }
    }
    let mut groups: BTreeMap<Key, usize> = BTreeMap::new();
    for (_, s) in &read {
        *groups.entry(key(s)).or_default() += 1;
    }
    let mut notes = vec![];
    let candidates: Vec<(&Key, &usize)> = groups
        .iter()
        .filter(|(k, _)| pick.is_none_or(|id| k.0 == id))
        .collect();
    let best = candidates.iter().map(|c| *c.1).max().unwrap_or(0);
    let top: Vec<&Key> = candidates
        .iter()
        .filter(|c| *c.1 == best)
        .map(|c| c.0)
        .collect();
    let Some(chosen) = top.first().map(|k| (*k).clone()) else {
        for (p, s) in read {
            excluded.push(Exclusion {
                path: p,
                reason: format!(
                    "scenario `{}` is not the chosen scenario `{}`",
                    s.scenario.id,
                    pick.unwrap_or("")
                ),
            });
        }
        return Err(NothingCollected { excluded });
    };
    if top.len() > 1 {
        notes.push(format!(
            "{} groups of sessions tie with {best} each; collected scenario `{}` pack {} {} (choose with --scenario ID)",
            top.len(),
            chosen.0,
            chosen.2,
            chosen.3
        ));
    }
    let mut kept: Vec<(PathBuf, Session)> = vec![];
    for (p, s) in read {
        let k = key(&s);
        if k != chosen {
            excluded.push(Exclusion {
                path: p,
                reason: why_not(&k, &chosen),
            });
        } else {
            kept.push((p, s));
        }
    }
    // one session per participant: the most recently updated
    kept.sort_by(|a, b| {
        slug(&a.1.participant)
            .cmp(&slug(&b.1.participant))
            .then(b.1.updated_at.cmp(&a.1.updated_at))
            .then(a.0.cmp(&b.0))
    });
    let mut unique: Vec<(PathBuf, Session)> = vec![];
    for (p, s) in kept {
        if let Some((q, _)) = unique
            .iter()
            .find(|(_, u)| slug(&u.participant) == slug(&s.participant))
        {
            excluded.push(Exclusion {
                reason: format!(
                    "an older session of participant {} (the newer one is {})",
                    s.participant,
                    q.display()
                ),
                path: p,
            });
        } else {
            unique.push((p, s));
        }
    }
    let Some(first) = unique.first().map(|u| u.1.clone()) else {
        return Err(NothingCollected { excluded });
    };
    let base = match scenario_of(&first, &mut notes) {
        Ok(s) => Some(s),
        Err(e) => {
            notes.push(format!("no simulation figures: {e}"));
            None
        }
    };
    let pack = pack_of(&first, &mut notes);
    let sessions = simulate_all(base.as_ref(), &pack, unique);
    for c in &sessions {
        if let Some(p) = &c.problem {
            notes.push(format!("{}: {p}", c.session.participant));
        }
    }
    excluded.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Summary {
        scenario_id: chosen.0,
        scenario_title: first.scenario.title.clone(),
        source_hash: chosen.1,
        pack_version: chosen.3,
        pack,
        sessions,
        excluded,
        notes,
    })
}

/// One deterministic simulation per distinct (budget edits, parameters), spread over the
/// machine's cores; sessions that chose the same share its result (the simulation is a pure
/// function of them).
fn simulate_all(
    base: Option<&Scenario>,
    pack: &Pack,
    sessions: Vec<(PathBuf, Session)>,
) -> Vec<Collected1> {
    let mut edited_cache: BTreeMap<String, Result<Scenario, String>> = BTreeMap::new();
    let prepared: Vec<Result<(String, Params), String>> = sessions
        .iter()
        .map(|(_, s)| prepare(base, &mut edited_cache, s))
        .collect();
    // distinct jobs: (edits key, params JSON) → index
    let mut jobs: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut work: Vec<(&Scenario, &Params)> = vec![];
    let mut job_of: Vec<Option<usize>> = vec![];
    for pr in &prepared {
        let job = match pr {
            Ok((ek, p)) => {
                let pk = serde_json::to_string(p).unwrap_or_default();
                match (jobs.get(&(ek.clone(), pk.clone())), edited_cache.get(ek)) {
                    (Some(&j), _) => Some(j),
                    (None, Some(Ok(sc))) => {
                        jobs.insert((ek.clone(), pk), work.len());
                        work.push((sc, p));
                        Some(work.len() - 1)
                    }
                    (None, _) => None,
                }
            }
            Err(_) => None,
        };
        job_of.push(job);
    }
    let results = run_parallel(&work);
    sessions
        .into_iter()
        .zip(prepared)
        .zip(job_of)
        .map(|(((path, session), pr), job)| {
            let (params, max, problem): Outcome1 = match (pr, job) {
                (Err(e), _) => (None, None, Some(e)),
                (Ok((_, p)), Some(j)) => match results.get(j) {
                    Some(Ok(m)) => (Some(p), Some(*m), None),
                    Some(Err(e)) => (Some(p), None, Some(e.clone())),
                    None => (Some(p), None, Some("not simulated".into())),
                },
                (Ok((_, p)), None) => (Some(p), None, Some("not simulated".into())),
            };
            let pr = session.progress_all(pack);
            Collected1 {
                path,
                answered: pr.answered,
                total: pr.total,
                session,
                params,
                max_transferable: max,
                problem,
            }
        })
        .collect()
}

/// Run the simulations on all cores; the maximum transferable of each, or why not.
fn run_parallel(work: &[(&Scenario, &Params)]) -> Vec<Result<u64, String>> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    let chunk = work.len().div_ceil(threads).max(1);
    std::thread::scope(|sc| {
        let handles: Vec<_> = work
            .chunks(chunk)
            .map(|part| {
                let h = sc.spawn(move || {
                    part.iter()
                        .map(|(s, p)| {
                            simulate::run(s, p)
                                .map(|sim| sim.outcome.max_transferable)
                                .map_err(|e| format!("cannot simulate: {e}"))
                        })
                        .collect::<Vec<_>>()
                });
                (part.len(), h)
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|(n, h)| {
                h.join().unwrap_or_else(|_| {
                    vec![Err("the simulation failed unexpectedly".to_string()); n]
                })
            })
            .collect()
    })
}

/// Min, median and max of some numbers (`None` when empty).
pub fn spread(mut v: Vec<Decimal>) -> Option<(Decimal, Decimal, Decimal)> {
    if v.is_empty() {
        return None;
    }
    v.sort();
    let n = v.len();
    let median = if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / Decimal::TWO
    };
    Some((v[0], median, v[n - 1]))
}

/// The spread rows: (figure, values) over the sessions that have them.
pub fn spread_rows(s: &Summary) -> Vec<(&'static str, Vec<Decimal>)> {
    let ps: Vec<&Params> = s
        .sessions
        .iter()
        .filter_map(|c| c.params.as_ref())
        .collect();
    vec![
        (
            "maximum transferable (ITMOs)",
            s.sessions
                .iter()
                .filter_map(|c| c.max_transferable)
                .map(Decimal::from)
                .collect(),
        ),
        (
            "host retention (share)",
            ps.iter().map(|p| p.host_retention).collect(),
        ),
        ("buffer (share)", ps.iter().map(|p| p.buffer).collect()),
        (
            "transfer ratio (share)",
            ps.iter().map(|p| p.transfer_ratio).collect(),
        ),
        (
            "national cap (ITMOs)",
            ps.iter()
                .filter_map(|p| p.national_cap)
                .map(Decimal::from)
                .collect(),
        ),
        (
            "requested volume (ITMOs)",
            ps.iter()
                .filter_map(|p| match p.volume {
                    Volume::Units(n) => Some(Decimal::from(n)),
                    Volume::Max => None,
                })
                .collect(),
        ),
    ]
}

fn fmt_d(x: Decimal) -> String {
    if x.fract().is_zero() && x.abs() >= Decimal::from(1000) {
        crate::scenario::units::group_thousands(x, 0)
    } else {
        x.round_dp(3).normalize().to_string()
    }
}

fn counts<'a>(it: impl Iterator<Item = String> + 'a) -> String {
    let mut m: BTreeMap<String, usize> = BTreeMap::new();
    for k in it {
        *m.entry(k).or_default() += 1;
    }
    m.into_iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The workshop summary as Markdown.
pub fn markdown(s: &Summary) -> String {
    use super::session::md_escape;
    use std::fmt::Write;
    let e = |t: &str| md_escape(t, true);
    let mut o = String::new();
    let _ = writeln!(o, "# Workshop summary — {}\n", e(&s.scenario_title));
    let _ = writeln!(
        o,
        "- Scenario: `{}` (scenario file hash `{}`)\n- Question pack: `{}` version {}\n- Sessions collected: {}; files left out: {}\n- Simulations: one deterministic run per session with its own budget edits and parameters (no Monte Carlo)",
        e(&s.scenario_id),
        s.source_hash,
        e(&s.pack.pack.id),
        e(&s.pack_version),
        s.sessions.len(),
        s.excluded.len()
    );
    for n in &s.notes {
        let _ = writeln!(o, "- Note: {}", e(n));
    }
    if !s.excluded.is_empty() {
        let _ = writeln!(o, "\n## Left out\n\n| file | reason |\n|---|---|");
        for x in &s.excluded {
            let _ = writeln!(
                o,
                "| `{}` | {} |",
                e(&x.path.display().to_string()),
                e(&x.reason)
            );
        }
    }
    let _ = writeln!(
        o,
        "\n## Participants\n\n| participant | answered | maximum transferable | method | protect | file |\n|---|---:|---:|---|---|---|"
    );
    for c in &s.sessions {
        let (method, protect) = c
            .params
            .as_ref()
            .map(|p| {
                (
                    format!("{:?}", p.method).to_lowercase(),
                    format!("{:?}", p.protect).to_lowercase(),
                )
            })
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "| {} | {}/{} | {} | {} | {} | `{}` |",
            e(&c.session.participant),
            c.answered,
            c.total,
            c.max_transferable
                .map(|m| fmt_d(Decimal::from(m)))
                .unwrap_or_else(|| "—".into()),
            method,
            protect,
            e(&c.path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default())
        );
    }
    let _ = writeln!(
        o,
        "\n## Spread across participants\n\n| figure | min | median | max | sessions |\n|---|---:|---:|---:|---:|"
    );
    for (name, v) in spread_rows(s) {
        let n = v.len();
        match spread(v) {
            Some((lo, med, hi)) => {
                let _ = writeln!(
                    o,
                    "| {name} | {} | {} | {} | {n} |",
                    fmt_d(lo),
                    fmt_d(med),
                    fmt_d(hi)
                );
            }
            None => {
                let _ = writeln!(o, "| {name} | — | — | — | 0 |");
            }
        }
    }
    let ps: Vec<&Params> = s
        .sessions
        .iter()
        .filter_map(|c| c.params.as_ref())
        .collect();
    let _ = writeln!(
        o,
        "\n- CA method chosen: {}\n- Target protected: {}\n- Volume: {}",
        counts(ps.iter().map(|p| format!("{:?}", p.method).to_lowercase())),
        counts(ps.iter().map(|p| format!("{:?}", p.protect).to_lowercase())),
        counts(ps.iter().map(|p| match p.volume {
            Volume::Max => "maximum".to_string(),
            Volume::Units(_) => "a requested number".to_string(),
        }))
    );
    answers_md(&mut o, s);
    o
}

fn answers_md(o: &mut String, s: &Summary) {
    use super::session::md_escape;
    use std::fmt::Write;
    let e = |t: &str| md_escape(t, true);
    let _ = writeln!(o, "\n## Answers");
    for part in [Part::Reflect, Part::Discuss] {
        let _ = writeln!(
            o,
            "\n### {}",
            if part == Part::Reflect {
                "Reflect"
            } else {
                "Discuss"
            }
        );
        let mut section = "";
        for (sec, q) in s.pack.questions_in(part) {
            if section != sec.id {
                section = &sec.id;
                let _ = writeln!(o, "\n#### {}", e(&sec.title));
            }
            let _ = writeln!(o, "\n**{}**\n", e(&q.text));
            // group answers once, with their members; others per participant
            let mut groups: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
            let mut missing = vec![];
            let mut any = false;
            for c in &s.sessions {
                let text = c.session.answer_text(&q.id).trim().to_string();
                let who = c.session.participant.clone();
                match c.session.group(&q.id) {
                    Some(g) if !text.is_empty() => {
                        groups.entry((g.to_string(), text)).or_default().push(who);
                    }
                    _ if text.is_empty() => missing.push(who),
                    _ => {
                        any = true;
                        let _ = writeln!(o, "- **{}**: {}", e(&who), quote(&text));
                    }
                }
            }
            for ((g, text), who) in &groups {
                any = true;
                let names: Vec<String> = who.iter().map(|w| e(w)).collect();
                let _ = writeln!(
                    o,
                    "- **Group {}** ({}): {}",
                    e(g),
                    names.join(", "),
                    quote(text)
                );
            }
            if !any {
                let _ = writeln!(o, "_No answers._");
            }
            if !missing.is_empty() {
                let names: Vec<String> = missing.iter().map(|w| e(w)).collect();
                let _ = writeln!(o, "\n_Not answered by: {}_", names.join(", "));
            }
        }
    }
}

/// A multi-line answer inside a list item: hard line breaks, continuation indented.
fn quote(text: &str) -> String {
    let kept: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    super::session::md_lines(&kept.join("\n"), "  ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_even_and_odd_counts() {
        let d = |v: &[i64]| v.iter().map(|&x| Decimal::from(x)).collect::<Vec<_>>();
        assert_eq!(
            spread(d(&[3, 1, 2])),
            Some((Decimal::ONE, Decimal::TWO, Decimal::from(3)))
        );
        assert_eq!(
            spread(d(&[4, 1, 2, 3])),
            Some((Decimal::ONE, Decimal::new(25, 1), Decimal::from(4)))
        );
        assert_eq!(spread(vec![]), None);
    }

    #[test]
    fn multi_line_answers_stay_in_their_list_item() {
        assert_eq!(quote("a\n\nb <x>"), "a\\\n  b &lt;x&gt;");
    }
}
