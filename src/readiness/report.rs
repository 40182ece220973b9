//! Readiness reports: one scenario (stage, rule, timeline, agreements, cycle, NMAs, gaps) and the
//! comparison across scenarios (the table a trainer puts on the wall), as text, Markdown and JSON.

use super::date::sort_key;
use super::nma;
use super::schema::{Milestone, Readiness};
use super::stage::{Assessment, Requirement, STAGE_RULE, Stage};
use super::{assess_scenario, readiness_of};
use crate::scenario::Scenario;
use serde::Serialize;
use std::fmt::Write;

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// Milestones in date order (undated last, then document order).
pub fn timeline(r: &Readiness) -> Vec<&Milestone> {
    let mut ms: Vec<&Milestone> = r.milestones.iter().collect();
    ms.sort_by_key(|m| sort_key(m.date.as_deref()));
    ms
}

/// A bar such as `[##..]` for a stage.
pub fn stage_bar(stage: Stage) -> String {
    let n = stage.number();
    format!("[{}{}]", "#".repeat(n), ".".repeat(4 - n))
}

/// One row of the comparison across scenarios.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComparisonRow {
    pub scenario: String,
    pub party: String,
    pub role: String,
    pub illustrative: bool,
    pub stage: Stage,
    pub stage_number: usize,
    pub authorization_arrangements: bool,
    pub tracking_arrangements: bool,
    /// Signed or in-force agreements that allow transfers (MoUs not counted).
    pub signed_agreements: usize,
    pub authorization_statements: u32,
    pub itmos_first_transferred: u64,
    pub initial_report_6_2: bool,
    pub technical_expert_review: bool,
    pub dna_designated: bool,
    pub focal_point_6_8: bool,
    pub nmas: usize,
    /// Labels of the requirements missing for the next stage.
    pub gaps: Vec<String>,
}

/// The comparison table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    pub rule: &'static str,
    pub rows: Vec<ComparisonRow>,
}

/// Compare scenarios, in the order given.
pub fn comparison(scenarios: &[Scenario]) -> Comparison {
    let rows = scenarios
        .iter()
        .map(|s| {
            let r = readiness_of(s);
            let a = assess_scenario(s);
            let met = |q: Requirement| a.met.iter().any(|e| e.requirement == q);
            let p = &r.participation;
            ComparisonRow {
                scenario: s.id().to_string(),
                party: s.file.party.code.clone(),
                role: format!("{:?}", s.file.party.role).to_lowercase(),
                illustrative: s.file.scenario.illustrative,
                stage: a.stage,
                stage_number: a.stage.number(),
                authorization_arrangements: met(Requirement::AuthorizationArrangements),
                tracking_arrangements: met(Requirement::TrackingArrangements),
                signed_agreements: r
                    .agreements
                    .iter()
                    .filter(|g| g.kind.enables_transfers() && g.status.is_signed())
                    .count(),
                authorization_statements: p.authorization_statements,
                itmos_first_transferred: p.itmos_first_transferred,
                initial_report_6_2: p.initial_report_6_2,
                technical_expert_review: p.technical_expert_review,
                dna_designated: p.dna_designated,
                focal_point_6_8: p.focal_point_6_8,
                nmas: s.file.nmas.len(),
                gaps: a
                    .gaps
                    .iter()
                    .map(|g| g.requirement.label().to_string())
                    .collect(),
            }
        })
        .collect();
    Comparison {
        rule: STAGE_RULE,
        rows,
    }
}

const COLS: [&str; 14] = [
    "SCENARIO",
    "PARTY",
    "STAGE",
    "LEGAL",
    "REGISTRY",
    "AGREEMENTS",
    "AUTHZ",
    "ITMOS",
    "INIT-REP",
    "TER",
    "DNA",
    "6.8-FP",
    "NMAS",
    "MISSING FOR NEXT STAGE",
];

fn row_cells(r: &ComparisonRow) -> Vec<String> {
    vec![
        r.scenario.clone(),
        r.party.clone(),
        format!("{} {}", r.stage.number(), r.stage.label()),
        yes(r.authorization_arrangements).into(),
        yes(r.tracking_arrangements).into(),
        r.signed_agreements.to_string(),
        r.authorization_statements.to_string(),
        r.itmos_first_transferred.to_string(),
        yes(r.initial_report_6_2).into(),
        yes(r.technical_expert_review).into(),
        yes(r.dna_designated).into(),
        yes(r.focal_point_6_8).into(),
        r.nmas.to_string(),
        if r.gaps.is_empty() {
            "-".into()
        } else {
            r.gaps.join(", ")
        },
    ]
}

/// The comparison as an aligned text table, followed by the rule.
pub fn comparison_text(c: &Comparison) -> String {
    let cells: Vec<Vec<String>> = c.rows.iter().map(row_cells).collect();
    let mut w: Vec<usize> = COLS.iter().map(|h| h.chars().count()).collect();
    for row in &cells {
        for (i, v) in row.iter().enumerate() {
            w[i] = w[i].max(v.chars().count());
        }
    }
    let line = |vals: &[String]| {
        let mut o = String::new();
        for (i, v) in vals.iter().enumerate() {
            if i + 1 == vals.len() {
                o.push_str(v);
            } else {
                let pad = w[i] - v.chars().count();
                o.push_str(v);
                o.push_str(&" ".repeat(pad + 2));
            }
        }
        o.trim_end().to_string()
    };
    let mut o = String::from("Article 6 readiness: comparison\n\n");
    let head: Vec<String> = COLS.iter().map(|s| s.to_string()).collect();
    let _ = writeln!(o, "{}", line(&head));
    for row in &cells {
        let _ = writeln!(o, "{}", line(row));
    }
    if c.rows.iter().any(|r| r.illustrative) {
        let _ = writeln!(
            o,
            "\nSome scenarios are illustrative: figures partly invented for teaching."
        );
    }
    let _ = writeln!(o, "\n{STAGE_RULE}");
    o
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
}

/// The comparison as a Markdown table, followed by the rule.
pub fn comparison_md(c: &Comparison) -> String {
    let mut o = String::from("# Article 6 readiness: comparison\n\n");
    let _ = writeln!(o, "| {} |", COLS.join(" | "));
    let _ = writeln!(o, "|{}", COLS.iter().map(|_| "---|").collect::<String>());
    for r in &c.rows {
        let cells: Vec<String> = row_cells(r).iter().map(|v| md_escape(v)).collect();
        let _ = writeln!(o, "| {} |", cells.join(" | "));
    }
    let _ = writeln!(o, "\n## Stage rule\n");
    for l in STAGE_RULE.lines() {
        let _ = writeln!(o, "{l}  ");
    }
    o
}

/// Everything about one scenario's readiness, as serialized to JSON.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioReadiness<'a> {
    pub scenario: &'a str,
    pub title: &'a str,
    pub party: &'a str,
    pub illustrative: bool,
    pub stage_number: usize,
    pub stage_label: &'static str,
    pub rule: &'static str,
    /// Stage, reason, met, gaps, outstanding, next steps (flattened into the JSON object).
    #[serde(flatten)]
    pub assessment: Assessment,
    pub support: &'static [&'static str],
    pub participation: &'a super::schema::Participation,
    pub milestones: Vec<&'a Milestone>,
    pub agreements: &'a [super::schema::Agreement],
    pub activity_cycle: Vec<CycleRow<'a>>,
    pub nmas: Vec<NmaRow<'a>>,
}

/// An activity-cycle entry with its position and registry status.
#[derive(Debug, Clone, Serialize)]
pub struct CycleRow<'a> {
    pub activity: &'a str,
    pub stage: super::cycle::CycleStage,
    pub stage_number: usize,
    pub registry_status: &'static str,
    pub date: Option<&'a str>,
}

/// An NMA with its criteria checklist result.
#[derive(Debug, Clone, Serialize)]
pub struct NmaRow<'a> {
    #[serde(flatten)]
    pub nma: &'a super::schema::Nma,
    pub eligible: bool,
    pub unmet_criteria: Vec<&'static str>,
}

/// Build the one-scenario view (shared by text, Markdown and JSON).
pub fn scenario_readiness(s: &Scenario) -> ScenarioReadiness<'_> {
    let r: &Readiness = readiness_of(s);
    let a = assess_scenario(s);
    let activity_cycle = r
        .activity_cycle
        .iter()
        .map(|c| {
            let cdm = s
                .file
                .activities
                .iter()
                .any(|x| x.id == c.activity && x.cdm_transition);
            CycleRow {
                activity: &c.activity,
                stage: c.stage,
                stage_number: c.stage.number(),
                registry_status: c.stage.registry_status(cdm).as_str(),
                date: c.date.as_deref(),
            }
        })
        .collect();
    let nmas = s
        .file
        .nmas
        .iter()
        .map(|n| NmaRow {
            nma: n,
            eligible: nma::eligible(n),
            unmet_criteria: nma::unmet(n).iter().map(|c| c.key()).collect(),
        })
        .collect();
    ScenarioReadiness {
        scenario: s.id(),
        title: s.title(),
        party: &s.file.party.code,
        illustrative: s.file.scenario.illustrative,
        stage_number: a.stage.number(),
        stage_label: a.stage.label(),
        rule: STAGE_RULE,
        support: a.stage.support(),
        assessment: a,
        participation: &r.participation,
        milestones: timeline(r),
        agreements: &r.agreements,
        activity_cycle,
        nmas,
    }
}

/// The one-scenario view as pretty JSON.
pub fn scenario_json(s: &Scenario) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(&scenario_readiness(s))
}

/// The comparison as pretty JSON.
pub fn comparison_json(c: &Comparison) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(c)
}

/// The one-scenario view as text (`md` = Markdown headings and lists).
pub fn scenario_text(s: &Scenario, md: bool) -> String {
    let v = scenario_readiness(s);
    let h = |o: &mut String, t: &str| {
        if md {
            let _ = writeln!(o, "\n## {t}\n");
        } else {
            let _ = writeln!(o, "\n{}", t.to_uppercase());
        }
    };
    let item = if md { "- " } else { "  - " };
    let mut o = String::new();
    if md {
        let _ = writeln!(o, "# Article 6 readiness: {} ({})", v.title, v.party);
    } else {
        let _ = writeln!(
            o,
            "Article 6 readiness: {} — {} ({})",
            v.scenario, v.title, v.party
        );
    }
    if v.illustrative {
        let _ = writeln!(
            o,
            "\nILLUSTRATIVE: some figures are invented for teaching (see sources and comments)"
        );
    }
    let sep = if md { "\n" } else { "" };
    let strong = |k: &str| {
        if md {
            format!("**{k}:**")
        } else {
            format!("{k}:")
        }
    };
    let _ = writeln!(
        o,
        "\n{} {} {} ({} of 4){sep}",
        strong("Stage"),
        stage_bar(v.assessment.stage),
        v.stage_label,
        v.stage_number
    );
    let _ = writeln!(o, "{} {}{sep}", strong("Why"), v.assessment.reason);
    if let Some(n) = s.file.readiness.as_ref().and_then(|r| r.note.as_deref()) {
        let _ = writeln!(o, "{} {n}{sep}", strong("Note"));
    }
    if s.file.readiness.is_none() {
        let _ = writeln!(
            o,
            "This scenario has no [readiness] section: add one (see the README's scenario format)."
        );
    }

    h(&mut o, "Gaps for the next stage");
    if v.assessment.gaps.is_empty() {
        let _ = writeln!(o, "{item}none: this is the last stage");
    }
    for g in &v.assessment.gaps {
        let _ = writeln!(
            o,
            "{item}{} ({}): {}. How: {}",
            g.requirement.label(),
            g.stage.label(),
            g.missing,
            g.how
        );
    }
    h(&mut o, "Outstanding outside the ladder");
    if v.assessment.outstanding.is_empty() {
        let _ = writeln!(o, "{item}none");
    }
    for x in &v.assessment.outstanding {
        let _ = writeln!(o, "{item}{}", x.text);
    }
    h(&mut o, "Support that helps at this stage");
    for x in v.support {
        let _ = writeln!(o, "{item}{x}");
    }

    h(&mut o, "Participation");
    let p = v.participation;
    for (k, val) in [
        (
            "DNA for Article 6.4 designated",
            yes(p.dna_designated).to_string(),
        ),
        (
            "Article 6.2 initial report submitted",
            yes(p.initial_report_6_2).to_string(),
        ),
        (
            "technical expert review completed",
            yes(p.technical_expert_review).to_string(),
        ),
        (
            "authorizations issued",
            p.authorization_statements.to_string(),
        ),
        (
            "ITMOs first transferred",
            p.itmos_first_transferred.to_string(),
        ),
        (
            "Article 6.8 focal point",
            yes(p.focal_point_6_8).to_string(),
        ),
    ] {
        let _ = writeln!(o, "{item}{k:<38} {val}");
    }

    h(&mut o, "Milestones (timeline)");
    if v.milestones.is_empty() {
        let _ = writeln!(o, "{item}none recorded");
    }
    for m in &v.milestones {
        let _ = writeln!(
            o,
            "{item}{:<10} {:<8} {:<13} {}",
            m.date.as_deref().unwrap_or("undated"),
            m.status.as_str(),
            m.kind.as_str(),
            m.title
        );
    }

    h(&mut o, "Agreements");
    if v.agreements.is_empty() {
        let _ = writeln!(o, "{item}none recorded");
    }
    for a in v.agreements {
        let acts = if a.activities.is_empty() {
            "-".to_string()
        } else {
            a.activities.join(", ")
        };
        let _ = writeln!(
            o,
            "{item}{} {:<26} {:<11} {:<10} activities: {acts}",
            a.partner,
            a.kind.as_str(),
            a.status.as_str(),
            a.signed.as_deref().unwrap_or("-"),
        );
    }

    h(&mut o, "Activity cycle (indicative 6.2)");
    if v.activity_cycle.is_empty() {
        let _ = writeln!(o, "{item}no activity placed in the cycle");
    }
    // Column widths from the data, so long activity ids keep the columns aligned.
    let id_w = v
        .activity_cycle
        .iter()
        .map(|c| c.activity.chars().count())
        .max()
        .unwrap_or(0);
    let stage_w = v
        .activity_cycle
        .iter()
        .map(|c| c.stage.label().chars().count())
        .max()
        .unwrap_or(0);
    for c in &v.activity_cycle {
        let _ = writeln!(
            o,
            "{item}{:<id_w$}  {:<stage_w$} ({}/9)  registry: {}{}",
            c.activity,
            c.stage.label(),
            c.stage_number,
            c.registry_status,
            c.date.map(|d| format!("  {d}")).unwrap_or_default()
        );
    }

    h(&mut o, "Non-market approaches (Article 6.8)");
    if v.nmas.is_empty() {
        let _ = writeln!(o, "{item}none recorded");
    }
    for n in &v.nmas {
        let _ = writeln!(
            o,
            "{item}{}: {} [{}; {}] criteria {}/6{}",
            n.nma.id,
            n.nma.title,
            n.nma.focus.as_str(),
            n.nma.parties.join(", "),
            6 - n.unmet_criteria.len(),
            if n.eligible {
                String::new()
            } else {
                format!(" (not eligible yet: {})", n.unmet_criteria.join(", "))
            }
        );
    }

    h(&mut o, "Stage rule");
    for l in STAGE_RULE.lines() {
        if md {
            let _ = writeln!(o, "{l}  ");
        } else {
            let _ = writeln!(o, "  {l}");
        }
    }
    o
}
