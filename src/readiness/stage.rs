//! The readiness stage of a Party, derived from its milestones and participation facts.
//!
//! The rule (also [`STAGE_RULE`], shown by screens and the CLI) is cumulative: a stage counts
//! only when the requirements of every earlier stage are met too.
//!
//! 1. **Preparing**: the starting point.
//! 2. **Enabling framework**: (a) authorization arrangements, an achieved `legal` or `policy`
//!    milestone; (b) tracking arrangements, an achieved `registry` milestone (decision 2/CMA.3
//!    annex, para 18 (c)–(d)).
//! 3. **First authorizations**: (c) a signed or in-force cooperation agreement that allows
//!    transfers (not an MoU); (d) a first authorization: `authorization_statements >= 1` or an
//!    activity authorized for transfer at stage `authorization` or later in `[[readiness.activity_cycle]]`.
//! 4. **Transferring**: (e) a first transfer: `itmos_first_transferred > 0` or an activity at
//!    stage `first-transfer`.
//!
//! Gaps are the unmet requirements of the next stage. Items outside the ladder (initial report,
//! technical expert review, 6.4 DNA, 6.8 focal point) are listed as "outstanding".

use super::cycle::CycleStage;
use super::date::sort_key;
use super::schema::{MilestoneKind, MilestoneStatus, Readiness};
use crate::scenario::schema::{Activity, Mechanism};
use serde::Serialize;

/// The rule, as text for screens, the CLI and reports.
pub const STAGE_RULE: &str = "\
Readiness stage rule (cumulative: a stage counts only when every earlier stage's requirements are met too)
1. Preparing: the starting point, no Article 6 framework recorded yet.
2. Enabling framework: (a) authorization arrangements: an achieved legal or policy milestone \
(Article 6 rules, regulation, guideline or policy); (b) tracking arrangements: an achieved registry \
milestone (decision 2/CMA.3 annex, para 18 (c)-(d)).
3. First authorizations: (c) a signed or in-force cooperation agreement that allows transfers \
(implementation or bilateral agreement, JCM; an MoU does not count); (d) a first authorization: \
authorization_statements >= 1, or an activity authorized for transfer (not mitigation-contribution) at \
stage `authorization` or later in the activity cycle.
4. Transferring: (e) a first transfer: itmos_first_transferred > 0, or such an activity at stage `first-transfer`.
Outside the ladder, listed as outstanding: the Article 6.2 initial report (due no later than the \
first authorization), its technical expert review, a DNA for the Article 6.4 mechanism (to host \
6.4 activities and CDM transitions), an Article 6.8 national focal point.";

/// A readiness stage, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    Preparing,
    EnablingFramework,
    FirstAuthorizations,
    Transferring,
}

impl Stage {
    pub const ALL: [Stage; 4] = [
        Self::Preparing,
        Self::EnablingFramework,
        Self::FirstAuthorizations,
        Self::Transferring,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Preparing => "preparing",
            Self::EnablingFramework => "enabling-framework",
            Self::FirstAuthorizations => "first-authorizations",
            Self::Transferring => "transferring",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Preparing => "Preparing",
            Self::EnablingFramework => "Enabling framework",
            Self::FirstAuthorizations => "First authorizations",
            Self::Transferring => "Transferring",
        }
    }

    /// 1-based position (1 = preparing … 4 = transferring).
    pub fn number(self) -> usize {
        Self::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }

    pub fn next(self) -> Option<Stage> {
        Self::ALL.get(self.number()).copied()
    }

    /// Support that tends to help most at this stage (for the discussion question "what support
    /// would be most beneficial for countries at different stages of Article 6 implementation?").
    pub fn support(self) -> &'static [&'static str] {
        match self {
            Self::Preparing => &[
                "legal drafting support for Article 6 rules or a carbon market policy",
                "institutional set-up: who authorizes, who keeps the registry, who reports",
                "an Article 6 strategy: NDC headroom, sectors to open, positive list",
                "registry options (e.g. a shared core registry) and readiness grants",
            ],
            Self::EnablingFramework => &[
                "negotiation support for implementation agreements (levies, OMGE, eligibility lists)",
                "authorization procedures and letters of authorization templates",
                "pipeline screening of mitigation activities against the NDC and positive list",
                "preparing the Article 6.2 initial report",
            ],
            Self::FirstAuthorizations => &[
                "MRV and validation/verification capacity (accredited bodies, methodologies)",
                "registry operation and connection to the international registry / CARP",
                "corresponding-adjustment accounting and the technical expert review",
                "private-sector and project-developer training",
            ],
            Self::Transferring => &[
                "annual information and regular reporting in the agreed electronic format",
                "applying corresponding adjustments in the biennial transparency report",
                "revenue management (e.g. a climate fund) and share of proceeds for adaptation",
                "scaling up: new partners and sectors, lessons shared with peer countries",
            ],
        }
    }
}

/// A requirement of the stage ladder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Requirement {
    AuthorizationArrangements,
    TrackingArrangements,
    CooperationAgreement,
    FirstAuthorization,
    FirstTransfer,
}

impl Requirement {
    pub const ALL: [Requirement; 5] = [
        Self::AuthorizationArrangements,
        Self::TrackingArrangements,
        Self::CooperationAgreement,
        Self::FirstAuthorization,
        Self::FirstTransfer,
    ];

    /// The stage this requirement belongs to.
    pub fn stage(self) -> Stage {
        match self {
            Self::AuthorizationArrangements | Self::TrackingArrangements => {
                Stage::EnablingFramework
            }
            Self::CooperationAgreement | Self::FirstAuthorization => Stage::FirstAuthorizations,
            Self::FirstTransfer => Stage::Transferring,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::AuthorizationArrangements => "authorization arrangements",
            Self::TrackingArrangements => "tracking arrangements",
            Self::CooperationAgreement => "cooperation agreement",
            Self::FirstAuthorization => "first authorization",
            Self::FirstTransfer => "first transfer",
        }
    }

    /// What is missing when the requirement is not met.
    pub fn missing(self) -> &'static str {
        match self {
            Self::AuthorizationArrangements => {
                "no achieved legal or policy milestone (Article 6 rules, regulation or guideline)"
            }
            Self::TrackingArrangements => "no achieved registry milestone (tracking arrangements)",
            Self::CooperationAgreement => {
                "no signed or in-force cooperation agreement that allows transfers"
            }
            Self::FirstAuthorization => "no authorization of ITMOs recorded",
            Self::FirstTransfer => "no ITMOs first transferred yet",
        }
    }

    /// How a Party meets it (and how to record it in the scenario).
    pub fn how(self) -> &'static str {
        match self {
            Self::AuthorizationArrangements => {
                "adopt Article 6 rules or a carbon market policy that says who authorizes and how \
                 (record a legal or policy milestone with status achieved)"
            }
            Self::TrackingArrangements => {
                "set up a registry or use a shared one to track mitigation outcomes \
                 (record a registry milestone with status achieved)"
            }
            Self::CooperationAgreement => {
                "sign an implementation agreement with an acquiring Party \
                 (record it in [[readiness.agreement]] with status signed)"
            }
            Self::FirstAuthorization => {
                "authorize a first activity or its ITMOs (set authorization_statements, or put the \
                 activity at stage authorization in [[readiness.activity_cycle]])"
            }
            Self::FirstTransfer => {
                "issue, then first-transfer ITMOs with a corresponding adjustment \
                 (set itmos_first_transferred, or an activity at stage first-transfer)"
            }
        }
    }
}

/// A requirement that is met, with what meets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub requirement: Requirement,
    pub stage: Stage,
    pub evidence: String,
}

/// A requirement of the next stage that is not met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    pub requirement: Requirement,
    pub stage: Stage,
    pub missing: &'static str,
    pub how: &'static str,
}

/// Items outside the stage ladder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OutstandingItem {
    InitialReport,
    TechnicalExpertReview,
    Dna64,
    FocalPoint68,
}

/// An item outside the ladder that is not done, and why it matters now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outstanding {
    pub item: OutstandingItem,
    pub text: String,
}

/// The readiness assessment of one scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    pub stage: Stage,
    /// Why this stage, in one paragraph (what meets it, what the next stage lacks).
    pub reason: String,
    /// Every requirement met, in ladder order (including those of later stages).
    pub met: Vec<Evidence>,
    /// Unmet requirements of the next stage (empty at the last stage).
    pub gaps: Vec<Gap>,
    pub outstanding: Vec<Outstanding>,
    /// Next steps: the gaps' "how", then the outstanding items.
    pub next_steps: Vec<String>,
}

fn when(date: Option<&str>) -> String {
    date.map(|d| format!(", {d}")).unwrap_or_default()
}

/// What meets a requirement, or `None`. Activity-cycle entries count for authorization and
/// transfer only when their activity is authorized for transfer (an `authorization` whose
/// purpose is not mitigation-contribution).
pub fn evidence(r: &Readiness, activities: &[Activity], req: Requirement) -> Option<String> {
    let achieved = |kinds: &[MilestoneKind]| {
        let mut ms: Vec<_> = r
            .milestones
            .iter()
            .filter(|m| m.status == MilestoneStatus::Achieved && kinds.contains(&m.kind))
            .collect();
        ms.sort_by_key(|m| sort_key(m.date.as_deref()));
        ms.first()
            .map(|m| format!("{}{}", m.title, when(m.date.as_deref())))
    };
    let cycle_at = |min: CycleStage| {
        r.activity_cycle
            .iter()
            .filter(|c| c.stage >= min)
            .filter(|c| {
                activities.iter().any(|a| {
                    a.id == c.activity
                        && a.authorization
                            .as_ref()
                            .is_some_and(|z| z.purpose.needs_ca())
                })
            })
            .max_by_key(|c| c.stage)
            .map(|c| format!("activity `{}` at {}", c.activity, c.stage.as_str()))
    };
    let p = &r.participation;
    match req {
        Requirement::AuthorizationArrangements => {
            achieved(&[MilestoneKind::Legal, MilestoneKind::Policy])
        }
        Requirement::TrackingArrangements => achieved(&[MilestoneKind::Registry]),
        Requirement::CooperationAgreement => {
            let mut ags: Vec<_> = r
                .agreements
                .iter()
                .filter(|a| a.kind.enables_transfers() && a.status.is_signed())
                .collect();
            ags.sort_by_key(|a| sort_key(a.signed.as_deref()));
            let first = ags.first()?;
            let more = if ags.len() > 1 {
                format!(", and {} more", ags.len() - 1)
            } else {
                String::new()
            };
            Some(format!(
                "{} with {} {}{}{more}",
                first.kind.as_str(),
                first.partner,
                first.status.as_str(),
                when(first.signed.as_deref())
            ))
        }
        Requirement::FirstAuthorization => {
            if p.authorization_statements > 0 {
                Some(format!(
                    "{} authorization{} issued",
                    p.authorization_statements,
                    if p.authorization_statements == 1 {
                        ""
                    } else {
                        "s"
                    }
                ))
            } else {
                cycle_at(CycleStage::Authorization)
            }
        }
        Requirement::FirstTransfer => {
            if p.itmos_first_transferred > 0 {
                Some(format!(
                    "{} ITMOs first transferred",
                    p.itmos_first_transferred
                ))
            } else {
                cycle_at(CycleStage::FirstTransfer)
            }
        }
    }
}

/// Assess a readiness section. `activities` are the scenario's `[[activity]]` entries (used to
/// say whether a 6.4 DNA is needed now).
pub fn assess(r: &Readiness, activities: &[Activity]) -> Assessment {
    let met: Vec<Evidence> = Requirement::ALL
        .iter()
        .filter_map(|req| {
            evidence(r, activities, *req).map(|e| Evidence {
                requirement: *req,
                stage: req.stage(),
                evidence: e,
            })
        })
        .collect();
    let is_met = |req: Requirement| met.iter().any(|e| e.requirement == req);
    let mut stage = Stage::Preparing;
    for s in &Stage::ALL[1..] {
        let all = Requirement::ALL
            .iter()
            .filter(|q| q.stage() == *s)
            .all(|q| is_met(*q));
        if !all {
            break;
        }
        stage = *s;
    }
    let gaps: Vec<Gap> = match stage.next() {
        Some(next) => Requirement::ALL
            .iter()
            .filter(|q| q.stage() == next && !is_met(**q))
            .map(|q| Gap {
                requirement: *q,
                stage: next,
                missing: q.missing(),
                how: q.how(),
            })
            .collect(),
        None => vec![],
    };

    let p = &r.participation;
    let mut outstanding = vec![];
    if stage >= Stage::FirstAuthorizations && !p.initial_report_6_2 {
        outstanding.push(Outstanding {
            item: OutstandingItem::InitialReport,
            text:
                "Article 6.2 initial report not recorded: due no later than the authorization of \
                   ITMOs, or where practicable with the next biennial transparency report"
                    .into(),
        });
    } else if stage == Stage::EnablingFramework && !p.initial_report_6_2 {
        outstanding.push(Outstanding {
            item: OutstandingItem::InitialReport,
            text: "Article 6.2 initial report not yet recorded: prepare it before the first \
                   authorization"
                .into(),
        });
    }
    if p.initial_report_6_2 && !p.technical_expert_review {
        outstanding.push(Outstanding {
            item: OutstandingItem::TechnicalExpertReview,
            text: "technical expert review of the initial report not recorded as completed".into(),
        });
    }
    if !p.dna_designated {
        let hosts_64 = activities
            .iter()
            .any(|a| a.mechanism == Mechanism::A64 || a.cdm_transition)
            || r.milestones
                .iter()
                .any(|m| m.kind == MilestoneKind::Transition);
        let text = if hosts_64 {
            "no DNA for the Article 6.4 mechanism recorded: needed to host 6.4 activities and to \
             approve CDM transitions, which this scenario has"
        } else {
            "no DNA for the Article 6.4 mechanism recorded (needed only to host 6.4 activities)"
        };
        outstanding.push(Outstanding {
            item: OutstandingItem::Dna64,
            text: text.into(),
        });
    }
    if !p.focal_point_6_8 {
        outstanding.push(Outstanding {
            item: OutstandingItem::FocalPoint68,
            text: "no Article 6.8 national focal point recorded: designate one via the UNFCCC \
                   national focal point to use the NMA platform"
                .into(),
        });
    }

    let mut next_steps: Vec<String> = gaps.iter().map(|g| g.how.to_string()).collect();
    next_steps.extend(outstanding.iter().map(|o| o.text.clone()));

    let reason = reason_text(stage, &met, &gaps);
    Assessment {
        stage,
        reason,
        met,
        gaps,
        outstanding,
        next_steps,
    }
}

fn reason_text(stage: Stage, met: &[Evidence], gaps: &[Gap]) -> String {
    let mut o = format!("{} (stage {} of 4)", stage.label(), stage.number());
    let reached: Vec<String> = met
        .iter()
        .filter(|e| e.stage <= stage)
        .map(|e| format!("{} ({})", e.requirement.label(), e.evidence))
        .collect();
    if reached.is_empty() {
        o.push_str(": nothing beyond the starting point is recorded");
    } else {
        o.push_str(": ");
        o.push_str(&reached.join("; "));
    }
    if let Some(next) = stage.next() {
        let missing: Vec<String> = gaps
            .iter()
            .map(|g| format!("{}: {}", g.requirement.label(), g.missing))
            .collect();
        o.push_str(&format!(
            ". Not yet {}: {}",
            next.label().to_lowercase(),
            missing.join("; ")
        ));
    }
    let ahead: Vec<String> = met
        .iter()
        .filter(|e| e.stage > stage)
        .map(|e| format!("{} ({})", e.requirement.label(), e.evidence))
        .collect();
    if !ahead.is_empty() {
        o.push_str(&format!(
            ". Already in place for later stages: {}",
            ahead.join("; ")
        ));
    }
    o.push('.');
    o
}
