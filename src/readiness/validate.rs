//! Validation of `[readiness]` and `[[nma]]`, called from `scenario::validate`. Every rule
//! yields a `Problem` with the path of the offending value, so messages carry file:line:column.
//!
//! Rules: milestone ids simple and unique; dates `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (1990–2100,
//! real days); sources are web addresses; agreement partners are alpha-3 codes other than the
//! scenario's Party; a `signed` date only on signed or in-force agreements; agreement and cycle
//! activities exist, appear once, and an activity sits under one agreement whose partner matches
//! its acquiring Party; one cycle entry per activity, no cycle for domestic activities, a 6.2
//! activity at or past authorization has an `authorization`; a technical expert review needs an
//! initial report; first-transferred ITMOs need an authorization; an NMA names at least two
//! distinct Parties (alpha-3) and does not transfer mitigation outcomes; NMA ids simple and unique.

use super::date::PartialDate;
use super::nma::Criterion;
use super::schema::Readiness;
use crate::scenario::error::Problem;
use crate::scenario::schema::{Mechanism, ScenarioFile};
use crate::scenario::span::Path;
use crate::scenario::validate::simple_id;
use std::collections::{HashMap, HashSet};

fn err(out: &mut Vec<Problem>, path: Path, message: impl Into<String>, hint: impl Into<String>) {
    out.push(Problem {
        path,
        message: message.into(),
        hint: hint.into(),
    });
}

fn alpha3(code: &str) -> bool {
    code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase())
}

fn date(out: &mut Vec<Problem>, path: Path, d: Option<&str>) {
    if let Some(d) = d
        && let Err(e) = PartialDate::parse(d)
    {
        err(
            out,
            path,
            e.to_string(),
            "write the date as the source gives it: \"2023\", \"2025-02\" or \"2025-02-28\"",
        );
    }
}

fn url(out: &mut Vec<Problem>, path: Path, u: Option<&str>) {
    if let Some(u) = u
        && !(u.starts_with("https://") || u.starts_with("http://"))
    {
        err(
            out,
            path,
            format!("source `{u}` is not a web address"),
            "write the full https:// address, or leave `source` out and say where the figure comes from in `note`",
        );
    }
}

/// Append every readiness and NMA problem of `f` to `out`, in document order.
pub fn validate(f: &ScenarioFile, out: &mut Vec<Problem>) {
    if let Some(r) = &f.readiness {
        validate_readiness(f, r, out);
    }
    validate_nmas(f, out);
}

fn validate_readiness(f: &ScenarioFile, r: &Readiness, out: &mut Vec<Problem>) {
    let root = Path::root().key("readiness");
    let activities: HashMap<&str, &crate::scenario::schema::Activity> =
        f.activities.iter().map(|a| (a.id.as_str(), a)).collect();
    let known = || {
        let mut ids: Vec<&str> = f.activities.iter().map(|a| a.id.as_str()).collect();
        ids.sort();
        if ids.is_empty() {
            "the scenario has no [[activity]] yet".to_string()
        } else {
            format!("use one of: {}", ids.join(", "))
        }
    };

    // participation
    let pp = root.key("participation");
    let p = &r.participation;
    if p.technical_expert_review && !p.initial_report_6_2 {
        err(
            out,
            pp.key("technical_expert_review"),
            "a technical expert review is recorded but no initial report",
            "the review examines the initial report: set initial_report_6_2 = true",
        );
    }
    let cycle_authorized = r.activity_cycle.iter().any(|c| c.stage.is_authorized());
    if p.itmos_first_transferred > 0 && p.authorization_statements == 0 && !cycle_authorized {
        err(
            out,
            pp.key("itmos_first_transferred"),
            format!(
                "{} ITMOs first transferred but no authorization is recorded",
                p.itmos_first_transferred
            ),
            "mitigation outcomes become ITMOs only when authorized: set authorization_statements",
        );
    }

    // milestones
    let mut ids = HashSet::new();
    for (i, m) in r.milestones.iter().enumerate() {
        let mp = root.key("milestone").index(i);
        if !simple_id(&m.id) {
            err(
                out,
                mp.key("id"),
                format!("milestone id `{}` is not a simple id", m.id),
                "use lowercase letters, digits and dashes, e.g. `carbon-market-rule`",
            );
        }
        if !ids.insert(m.id.as_str()) {
            err(
                out,
                mp.key("id"),
                format!("milestone id `{}` is used twice", m.id),
                "give every milestone its own id",
            );
        }
        if m.title.trim().is_empty() {
            err(
                out,
                mp.key("title"),
                "milestone title is empty",
                "say what was put in place",
            );
        }
        date(out, mp.key("date"), m.date.as_deref());
        url(out, mp.key("source"), m.source.as_deref());
    }

    // agreements
    let mut under: HashMap<&str, usize> = HashMap::new();
    for (i, a) in r.agreements.iter().enumerate() {
        let ap = root.key("agreement").index(i);
        if !alpha3(&a.partner) {
            err(
                out,
                ap.key("partner"),
                format!("partner `{}` is not ISO 3166-1 alpha-3", a.partner),
                "write three capitals, e.g. SGP",
            );
        } else if a.partner == f.party.code {
            err(
                out,
                ap.key("partner"),
                format!(
                    "the agreement's partner is the scenario's own Party {}",
                    a.partner
                ),
                "name the other Party of the agreement",
            );
        }
        if a.signed.is_some() && !a.status.is_signed() {
            err(
                out,
                ap.key("signed"),
                format!(
                    "a signing date is given but the status is `{}`",
                    a.status.as_str()
                ),
                "set status = \"signed\" (or \"in-force\"), or remove `signed`",
            );
        }
        date(out, ap.key("signed"), a.signed.as_deref());
        url(out, ap.key("source"), a.source.as_deref());
        let mut seen = HashSet::new();
        for (j, id) in a.activities.iter().enumerate() {
            let xp = ap.key("activities").index(j);
            let Some(act) = activities.get(id.as_str()) else {
                err(
                    out,
                    xp,
                    format!("no activity `{id}` in this scenario"),
                    known(),
                );
                continue;
            };
            if !seen.insert(id.as_str()) {
                err(
                    out,
                    xp,
                    format!("activity `{id}` is listed twice"),
                    "list it once",
                );
                continue;
            }
            if let Some(prev) = under.insert(id.as_str(), i) {
                err(
                    out,
                    xp.clone(),
                    format!("activity `{id}` is already under agreement {}", prev + 1),
                    "an activity belongs to one cooperation agreement",
                );
            }
            if let Some(acq) = act
                .authorization
                .as_ref()
                .and_then(|z| z.acquiring.as_ref())
                && acq != &a.partner
            {
                err(
                    out,
                    xp,
                    format!(
                        "activity `{id}` authorizes transfers to {acq}, but this agreement is with {}",
                        a.partner
                    ),
                    "list the activity under the agreement with its acquiring Party",
                );
            }
        }
    }

    // activity cycle
    let mut cycled = HashSet::new();
    for (i, c) in r.activity_cycle.iter().enumerate() {
        let cp = root.key("activity_cycle").index(i);
        let Some(act) = activities.get(c.activity.as_str()) else {
            err(
                out,
                cp.key("activity"),
                format!("no activity `{}` in this scenario", c.activity),
                known(),
            );
            continue;
        };
        if !cycled.insert(c.activity.as_str()) {
            err(
                out,
                cp.key("activity"),
                format!("activity `{}` has two cycle entries", c.activity),
                "keep one entry per activity: its current stage",
            );
        }
        if act.mechanism == Mechanism::Domestic {
            err(
                out,
                cp.key("activity"),
                format!(
                    "activity `{}` is domestic: it has no Article 6 activity cycle",
                    c.activity
                ),
                "remove the entry, or set the activity's mechanism to 6.2 or 6.4",
            );
        } else if act.mechanism == Mechanism::A62
            && c.stage.is_authorized()
            && act.authorization.is_none()
        {
            err(
                out,
                cp.key("stage"),
                format!(
                    "activity `{}` is at stage {} (after authorization) but has no `authorization`",
                    c.activity,
                    c.stage.as_str()
                ),
                "add authorization = { purpose = … } to the activity, or use stage idea-note",
            );
        }
        date(out, cp.key("date"), c.date.as_deref());
    }
}

fn validate_nmas(f: &ScenarioFile, out: &mut Vec<Problem>) {
    let mut ids = HashSet::new();
    for (i, n) in f.nmas.iter().enumerate() {
        let np = Path::root().key("nma").index(i);
        if !simple_id(&n.id) {
            err(
                out,
                np.key("id"),
                format!("NMA id `{}` is not a simple id", n.id),
                "use lowercase letters, digits and dashes, e.g. `local-facility`",
            );
        }
        if !ids.insert(n.id.as_str()) {
            err(
                out,
                np.key("id"),
                format!("NMA id `{}` is used twice", n.id),
                "give every NMA its own id",
            );
        }
        let mut parties = HashSet::new();
        for (j, code) in n.parties.iter().enumerate() {
            if !alpha3(code) {
                err(
                    out,
                    np.key("parties").index(j),
                    format!("Party `{code}` is not ISO 3166-1 alpha-3"),
                    "write three capitals, e.g. PNG",
                );
            } else if !parties.insert(code.clone()) {
                err(
                    out,
                    np.key("parties").index(j),
                    format!("Party {code} is listed twice"),
                    "list each participating Party once",
                );
            }
        }
        if n.parties.len() < 2 {
            err(
                out,
                np.key("parties"),
                format!(
                    "NMA `{}` names {} participating Part{}: an NMA involves more than one Party",
                    n.id,
                    n.parties.len(),
                    if n.parties.len() == 1 { "y" } else { "ies" }
                ),
                "list every participating Party (at least two alpha-3 codes)",
            );
        }
        for c in Criterion::ALL.into_iter().filter(|c| c.is_defining()) {
            if !c.met(&n.criteria) {
                let message = match c {
                    Criterion::NoTransferOfMitigationOutcomes => format!(
                        "NMA `{}` transfers mitigation outcomes: that is a market approach \
                         (Article 6.2 or 6.4), not an Article 6.8 NMA",
                        n.id
                    ),
                    _ => format!(
                        "NMA `{}` does not involve more than one Party: not an Article 6.8 NMA",
                        n.id
                    ),
                };
                err(
                    out,
                    np.key("criteria").key(c.key()),
                    message,
                    "model transfers as [[activity]] with mechanism 6.2 or 6.4; an NMA must meet this criterion",
                );
            }
        }
        url(out, np.key("source"), n.source.as_deref());
    }
}
