//! Article 6 readiness and cooperation: where a Party stands in putting Article 6 into practice.
//!
//! - `schema`: the `[readiness]` and `[[nma]]` parts of the scenario format (serde types).
//! - `stage`: the readiness stage (preparing → enabling framework → first authorizations →
//!   transferring), derived from milestones and participation facts, with its rule as text
//!   ([`STAGE_RULE`]), the gaps to the next stage and outstanding items.
//! - `cycle`: the indicative Article 6.2 mitigation activity cycle and its mapping to the
//!   registry's project statuses.
//! - `nma`: Article 6.8 non-market approaches: criteria checklist, the deck's case studies.
//! - `validate`: rules for the readiness parts, called by `scenario::validate`.
//! - `report`: one-scenario view and the comparison across scenarios (text, Markdown, JSON).
//!
//! Plain Rust: no terminal crates. Screens call [`fact_lines`], [`assess_scenario`] and
//! [`report::comparison`]; the help page shows [`ARTICLE6_COMPARISON`].

pub mod cycle;
pub mod date;
pub mod nma;
pub mod report;
pub mod schema;
pub mod stage;
pub mod validate;

pub use cycle::{CycleStage, RegistryProjectStatus};
pub use schema::{Agreement, CycleEntry, Milestone, Nma, Participation, Readiness};
pub use stage::{Assessment, Gap, Requirement, STAGE_RULE, Stage, assess};

use crate::scenario::Scenario;

/// The readiness of a scenario with no `[readiness]` section: nothing recorded.
pub static EMPTY: Readiness = Readiness {
    note: None,
    participation: Participation {
        dna_designated: false,
        initial_report_6_2: false,
        technical_expert_review: false,
        authorization_statements: 0,
        itmos_first_transferred: 0,
        focal_point_6_8: false,
        note: None,
    },
    milestones: Vec::new(),
    agreements: Vec::new(),
    activity_cycle: Vec::new(),
};

/// The scenario's readiness section, or [`EMPTY`].
pub fn readiness_of(s: &Scenario) -> &Readiness {
    s.file.readiness.as_ref().unwrap_or(&EMPTY)
}

/// Assess a scenario (a scenario without `[readiness]` is at the first stage).
pub fn assess_scenario(s: &Scenario) -> Assessment {
    assess(readiness_of(s), &s.file.activities)
}

/// Fact lines for screens and the discussion question "what support would be most beneficial
/// for countries at different stages of Article 6 implementation?": stage, why, gaps, outstanding
/// items, support that helps at this stage, and counts of agreements and NMAs.
pub fn fact_lines(s: &Scenario) -> Vec<String> {
    let r = readiness_of(s);
    let a = assess_scenario(s);
    let mut out = vec![format!(
        "{}: Article 6 readiness stage {} of 4, {}",
        s.file.party.name,
        a.stage.number(),
        a.stage.label()
    )];
    if s.file.readiness.is_none() {
        out.push("No [readiness] section in this scenario: nothing recorded yet".into());
    }
    out.push(format!("Why: {}", a.reason));
    if let Some(next) = a.stage.next() {
        for g in &a.gaps {
            out.push(format!(
                "Missing for {}: {}: {}",
                next.label(),
                g.requirement.label(),
                g.missing
            ));
        }
    }
    for x in &a.outstanding {
        out.push(format!("Outstanding: {}", x.text));
    }
    for g in &a.gaps {
        out.push(format!("Next step: {}", g.how));
    }
    for x in a.stage.support() {
        out.push(format!("Support that helps at this stage: {x}"));
    }
    let signed = r
        .agreements
        .iter()
        .filter(|g| g.kind.enables_transfers() && g.status.is_signed())
        .count();
    out.push(format!(
        "Cooperation: {signed} signed agreement(s) allowing transfers, {} agreement(s) recorded in all; {} NMA(s)",
        r.agreements.len(),
        s.file.nmas.len()
    ));
    out
}

/// The 6.2 / 6.4 / 6.8 comparison as cells (header row first), for screens that lay out their
/// own table; [`ARTICLE6_COMPARISON`] is the same content as preformatted text.
pub const ARTICLE6_TABLE: [[&str; 4]; 10] = [
    ["", "Article 6.2", "Article 6.4", "Article 6.8"],
    [
        "What",
        "cooperative approaches between Parties (bilateral/multilateral)",
        "the Paris Agreement crediting mechanism (PACM), run centrally",
        "framework for non-market approaches (no trading)",
    ],
    [
        "Who governs",
        "the participating Parties",
        "Supervisory Body, UNFCCC secretariat",
        "Glasgow Committee on NMAs",
    ],
    [
        "Units",
        "ITMOs (authorized mitigation outcomes)",
        "A6.4ERs (authorized, or mitigation-contribution units)",
        "none: no mitigation outcomes are transferred",
    ],
    [
        "International transfer",
        "yes: first transfer per the authorization",
        "yes, for authorized A6.4ERs",
        "no",
    ],
    [
        "Corresponding adjustment",
        "yes, on first transfer",
        "for authorized A6.4ERs; not for mitigation-contribution units",
        "no",
    ],
    [
        "Levies",
        "share of proceeds and OMGE encouraged, not required",
        "5 % share of proceeds to the Adaptation Fund; 2 % OMGE",
        "none",
    ],
    [
        "National set-up",
        "authorization and tracking arrangements, initial report, TER",
        "designated national authority (DNA), host approval, CDM transition",
        "Article 6.8 national focal point",
    ],
    [
        "Reporting",
        "initial report, annual information and regular information in the BTR",
        "via the mechanism registry; host Party reporting for authorized units",
        "NMA platform (unfccc.int/nma-platform)",
    ],
    [
        "Examples",
        "Thailand-Switzerland Bangkok E-Bus (1,916 ITMOs, 2023); Singapore IAs",
        "CDM transition (Bhutan's three hydropower projects)",
        "Adaptation Benefits Mechanism; UNCDF LoCAL",
    ],
];

/// The three kinds of Article 6 cooperation side by side, for a help page.
pub const ARTICLE6_COMPARISON: &str = "\
Aspect               | Article 6.2                        | Article 6.4                          | Article 6.8
---------------------+------------------------------------+--------------------------------------+-------------------------------------
What                 | cooperative approaches between     | the Paris Agreement crediting        | framework for non-market approaches
                     | Parties (bilateral/multilateral)   | mechanism (PACM), run centrally      | (no trading)
Who governs          | the participating Parties          | Supervisory Body, UNFCCC secretariat | Glasgow Committee on NMAs
Units                | ITMOs (authorized mitigation       | A6.4ERs (authorized, or mitigation-  | none: no mitigation outcomes are
                     | outcomes)                          | contribution units)                  | transferred
International        | yes: first transfer per the        | yes, for authorized A6.4ERs          | no
transfer             | authorization                      |                                      |
Corresponding        | yes, on first transfer             | for authorized A6.4ERs; not for      | no
adjustment           |                                    | mitigation-contribution units        |
Levies               | share of proceeds and OMGE         | 5 % share of proceeds to the         | none
                     | encouraged, not required           | Adaptation Fund; 2 % OMGE            |
National set-up      | authorization and tracking         | designated national authority (DNA), | Article 6.8 national focal point
                     | arrangements, initial report, TER  | host approval, CDM transition        |
Reporting            | initial report, annual information | via the mechanism registry; host     | NMA platform (unfccc.int/nma-platform)
                     | and regular information in the BTR | Party reporting for authorized units |
Examples             | Thailand-Switzerland Bangkok E-Bus | CDM transition (Bhutan's three       | Adaptation Benefits Mechanism;
                     | (1,916 ITMOs, 2023); Singapore IAs | hydropower projects)                 | UNCDF LoCAL
";
