//! Scenario facts shown beside a question: short plain-text lines computed from the scenario,
//! so a participant answering "What does my current NDC include?" sees the targets, period,
//! sectors and gases of their scenario without leaving the question.

use super::pack::FactKey;
use crate::scenario::Scenario;
use crate::scenario::schema::{NdcPart, Target, TargetKind};
use crate::scenario::units::format_quantity;
use rust_decimal::Decimal;

/// A titled block of fact lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactBlock {
    pub title: String,
    pub lines: Vec<String>,
}

fn q(s: &Scenario, t: Decimal) -> String {
    format_quantity(t, s.unit(), 1)
}

/// Describe a target with the level it implies in the target year.
pub fn describe_target(s: &Scenario, t: &Target) -> String {
    let ty = s.target_year();
    let level = q(s, s.target_level(t, ty));
    match t.kind {
        TargetKind::Absolute => format!("absolute: covered emissions ≤ {level} in {ty}"),
        TargetKind::BelowBau => format!(
            "{}% below BAU in {ty} (≤ {level})",
            t.percent.unwrap_or_default().normalize()
        ),
        TargetKind::NetBalance => {
            format!("net balance: emissions not above removals (≤ 0) in {ty}")
        }
    }
}

/// The facts for one key. Facts that need other modules (budget, readiness, crediting tail)
/// are filled by the caller that has them; here they fall back to what the scenario says.
pub fn facts(s: &Scenario, key: FactKey) -> FactBlock {
    let f = &s.file;
    let ty = s.target_year();
    let (p0, p1) = s.period();
    let (title, lines): (&str, Vec<String>) = match key {
        FactKey::NdcSummary => (
            "NDC",
            vec![
                format!("{} ({}), {}", f.party.name, f.party.code, if f.scenario.illustrative { "illustrative figures" } else { "published figures" }),
                format!("period {p0}–{p1}, {:?} NDC, target year {ty}", f.ndc.kind).replace("SingleYear", "single-year").replace("MultiYear", "multi-year"),
                format!("CA method: {:?}", f.ndc.ca_method).to_lowercase(),
                format!("gases: {}", if f.ndc.gases.is_empty() { "not stated".into() } else { f.ndc.gases.join(", ") }),
            ],
        ),
        FactKey::NdcTargets => {
            let mut l = vec![format!("unconditional: {}", describe_target(s, &f.ndc.unconditional))];
            if let Some(c) = &f.ndc.conditional {
                l.push(format!("conditional: {}", describe_target(s, c)));
            }
            l.push(format!("covered BAU {ty}: {}", q(s, s.covered_bau(ty))));
            ("Targets", l)
        }
        FactKey::ConditionalSupport => (
            "Conditional part",
            match &f.ndc.conditional {
                Some(c) => {
                    let mut l = vec![describe_target(s, c)];
                    if !c.support.is_empty() {
                        l.push(format!("support needed: {}", c.support.join(", ")));
                    }
                    if let Some(n) = &c.note {
                        l.push(n.clone());
                    }
                    let acts: Vec<&str> = f.activities.iter().filter(|a| a.ndc_part == NdcPart::Conditional).map(|a| a.name.as_str()).collect();
                    if !acts.is_empty() {
                        l.push(format!("conditional activities: {}", acts.join("; ")));
                    }
                    l
                }
                None => vec!["no conditional target in this scenario".into()],
            },
        ),
        FactKey::SectorsInScope => (
            "In scope",
            f.sectors.iter().filter(|x| x.in_scope).map(|x| format!("{}: BAU {ty} {}", x.name, s.sector_bau(x, ty).map(|v| q(s, v)).unwrap_or_else(|| "n/a".into()))).collect(),
        ),
        FactKey::SectorsOutOfScope => {
            let l: Vec<String> = f
                .sectors
                .iter()
                .filter(|x| !x.in_scope)
                .map(|x| format!("{}: est. {} in {ty}{}", x.name, s.sector_bau(x, ty).map(|v| q(s, v)).unwrap_or_else(|| "n/a".into()), x.note.as_ref().map(|n| format!(" — {n}")).unwrap_or_default()))
                .collect();
            ("Outside scope", if l.is_empty() { vec!["every sector is in the NDC scope".into()] } else { l })
        }
        FactKey::Activities => (
            "Activities",
            f.activities
                .iter()
                .map(|a| format!("{} [{} · {} · {}] {}/yr in {ty}", a.name, a.mechanism.as_str(), a.ndc_part.as_str(), a.category, q(s, s.mitigation(a, ty))))
                .collect(),
        ),
        FactKey::Policy => {
            let p = &f.policy;
            let mut l = vec![];
            l.push(if p.positive_list.is_empty() { "positive list: none (all categories)".into() } else { format!("positive list: {}", p.positive_list.join(", ")) });
            if !p.eligible_ndc_parts.is_empty() {
                l.push(format!("eligible NDC parts: {}", p.eligible_ndc_parts.iter().map(|x| x.as_str()).collect::<Vec<_>>().join(", ")));
            }
            l.push(format!("host retention {}%, buffer {}%", (p.host_retention * Decimal::ONE_HUNDRED).normalize(), (p.buffer * Decimal::ONE_HUNDRED).normalize()));
            if let Some(c) = p.national_cap {
                l.push(format!("national cap: {}", q(s, s.t(c))));
            }
            ("Host safeguards", l)
        }
        FactKey::Partners => (
            "Partners",
            f.partners.iter().map(|p| format!("{} ({}): {} {}/t, demand {ty} {}", p.name, p.code, p.price.normalize(), f.scenario.currency, q(s, s.demand(p, ty)))).collect(),
        ),
        FactKey::CreditingTail => (
            "Crediting tail",
            vec![
                "Mitigation that is not authorized and first-transferred is never added back: it counts toward the host NDC.".into(),
                "Ending a crediting period leaves later reductions in the host balance without a CA.".into(),
            ],
        ),
        FactKey::MoBudget => (
            "MO budget",
            {
                let need = s.covered_bau(ty) - s.target_level(&f.ndc.unconditional, ty);
                let have: Decimal = f.activities.iter().filter(|a| a.ndc_part != NdcPart::OutsideScope).map(|a| s.mitigation(a, ty)).sum();
                vec![format!("needed for the unconditional target in {ty}: {}", q(s, need)), format!("expected from in-scope activities in {ty}: {}", q(s, have))]
            },
        ),
        FactKey::Readiness => ("Readiness", vec![format!("{} is a {:?} party in Article 6 cooperation", f.party.name, f.party.role).to_lowercase()]),
        FactKey::Sources => ("Sources", f.sources.iter().map(|x| format!("{} — {}", x.title, x.url)).collect()),
    };
    FactBlock {
        title: title.into(),
        lines,
    }
}
