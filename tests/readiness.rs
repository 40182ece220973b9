//! Readiness: the stage rule on constructed milestone sets, validation of the readiness section
//! and of NMAs (with file:line:col), the per-country snippets, the comparison table, fact lines.
//! Expected values are written by hand from the rule and the snippet sources.

use ndc_workbench::readiness::schema::*;
use ndc_workbench::readiness::stage::OutstandingItem;
use ndc_workbench::readiness::{
    self, CycleStage, Requirement, STAGE_RULE, Stage, assess, nma, report,
};
use ndc_workbench::scenario::{self, Scenario};

const BASE: &str = include_str!("fixtures/valid/examplestan.toml");

fn milestone(id: &str, kind: MilestoneKind, status: MilestoneStatus, date: &str) -> Milestone {
    Milestone {
        id: id.into(),
        title: format!("{id} title"),
        kind,
        status,
        date: Some(date.into()),
        note: None,
        source: None,
        reliability: None,
    }
}

fn agreement(partner: &str, kind: AgreementKind, status: AgreementStatus) -> Agreement {
    Agreement {
        partner: partner.into(),
        partner_name: None,
        kind,
        status,
        signed: status.is_signed().then(|| "2024-05-27".to_string()),
        activities: vec![],
        note: None,
        source: None,
        reliability: None,
    }
}

fn framework() -> Readiness {
    Readiness {
        milestones: vec![
            milestone(
                "act",
                MilestoneKind::Legal,
                MilestoneStatus::Achieved,
                "2022",
            ),
            milestone(
                "reg",
                MilestoneKind::Registry,
                MilestoneStatus::Achieved,
                "2023-12-04",
            ),
        ],
        ..Readiness::default()
    }
}

fn gaps(a: &readiness::Assessment) -> Vec<Requirement> {
    a.gaps.iter().map(|g| g.requirement).collect()
}

fn base_file() -> ScenarioFile {
    scenario::parse("base", BASE).expect("base fixture parses")
}
use ndc_workbench::scenario::ScenarioFile;

// ---------------------------------------------------------------- stage rule

#[test]
fn empty_readiness_is_preparing_with_both_framework_gaps() {
    let a = assess(&Readiness::default(), &[]);
    assert_eq!(a.stage, Stage::Preparing);
    assert_eq!(
        gaps(&a),
        vec![
            Requirement::AuthorizationArrangements,
            Requirement::TrackingArrangements
        ]
    );
    assert!(a.met.is_empty());
    assert!(a.reason.starts_with("Preparing (stage 1 of 4)"));
}

#[test]
fn legal_milestone_alone_leaves_tracking_gap() {
    let mut r = Readiness::default();
    r.milestones.push(milestone(
        "act",
        MilestoneKind::Legal,
        MilestoneStatus::Achieved,
        "2022",
    ));
    let a = assess(&r, &[]);
    assert_eq!(a.stage, Stage::Preparing);
    assert_eq!(gaps(&a), vec![Requirement::TrackingArrangements]);
}

#[test]
fn ongoing_or_planned_milestones_do_not_count() {
    let mut r = Readiness::default();
    r.milestones.push(milestone(
        "act",
        MilestoneKind::Legal,
        MilestoneStatus::Ongoing,
        "2022",
    ));
    r.milestones.push(milestone(
        "reg",
        MilestoneKind::Registry,
        MilestoneStatus::Planned,
        "2026",
    ));
    // an institutional milestone is not an authorization arrangement
    r.milestones.push(milestone(
        "fund",
        MilestoneKind::Institutional,
        MilestoneStatus::Achieved,
        "2023",
    ));
    let a = assess(&r, &[]);
    assert_eq!(a.stage, Stage::Preparing);
    assert_eq!(
        gaps(&a),
        vec![
            Requirement::AuthorizationArrangements,
            Requirement::TrackingArrangements
        ]
    );
}

#[test]
fn legal_and_registry_reach_enabling_framework() {
    let a = assess(&framework(), &[]);
    assert_eq!(a.stage, Stage::EnablingFramework);
    assert_eq!(
        gaps(&a),
        vec![
            Requirement::CooperationAgreement,
            Requirement::FirstAuthorization
        ]
    );
    assert_eq!(
        a.reason,
        "Enabling framework (stage 2 of 4): authorization arrangements (act title, 2022); \
         tracking arrangements (reg title, 2023-12-04). Not yet first authorizations: \
         cooperation agreement: no signed or in-force cooperation agreement that allows \
         transfers; first authorization: no authorization of ITMOs recorded."
    );
    // the initial report is flagged before the first authorization
    assert!(
        a.outstanding
            .iter()
            .any(|o| o.item == OutstandingItem::InitialReport)
    );
}

#[test]
fn a_policy_milestone_is_an_authorization_arrangement_too() {
    let mut r = framework();
    r.milestones[0].kind = MilestoneKind::Policy;
    assert_eq!(assess(&r, &[]).stage, Stage::EnablingFramework);
}

#[test]
fn mou_or_unsigned_agreements_do_not_count() {
    let mut r = framework();
    r.agreements.push(agreement(
        "SGP",
        AgreementKind::Mou,
        AgreementStatus::Signed,
    ));
    r.agreements.push(agreement(
        "CHE",
        AgreementKind::ImplementationAgreement,
        AgreementStatus::Negotiating,
    ));
    r.participation.authorization_statements = 1;
    let a = assess(&r, &[]);
    assert_eq!(a.stage, Stage::EnablingFramework);
    assert_eq!(gaps(&a), vec![Requirement::CooperationAgreement]);
}

#[test]
fn signed_agreement_and_authorization_reach_first_authorizations() {
    let mut r = framework();
    r.agreements.push(agreement(
        "SGP",
        AgreementKind::ImplementationAgreement,
        AgreementStatus::Signed,
    ));
    let a = assess(&r, &[]);
    assert_eq!(a.stage, Stage::EnablingFramework);
    assert_eq!(gaps(&a), vec![Requirement::FirstAuthorization]);
    assert!(a.reason.contains(
        "Already in place for later stages: cooperation agreement (implementation-agreement with SGP signed, 2024-05-27)"
    ));

    r.participation.authorization_statements = 2;
    let a = assess(&r, &[]);
    assert_eq!(a.stage, Stage::FirstAuthorizations);
    assert_eq!(gaps(&a), vec![Requirement::FirstTransfer]);
    assert!(
        a.reason
            .contains("first authorization (2 authorizations issued)")
    );
}

#[test]
fn first_transfer_reaches_transferring_with_no_gaps() {
    let mut r = framework();
    r.agreements.push(agreement(
        "CHE",
        AgreementKind::BilateralAgreement,
        AgreementStatus::InForce,
    ));
    r.participation.authorization_statements = 1;
    r.participation.itmos_first_transferred = 1916;
    r.participation.initial_report_6_2 = true;
    r.participation.technical_expert_review = true;
    r.participation.dna_designated = true;
    r.participation.focal_point_6_8 = true;
    let a = assess(&r, &[]);
    assert_eq!(a.stage, Stage::Transferring);
    assert!(a.gaps.is_empty());
    assert!(a.outstanding.is_empty());
    assert!(
        a.reason
            .contains("first transfer (1916 ITMOs first transferred)")
    );
    assert!(a.next_steps.is_empty());
}

#[test]
fn the_ladder_is_cumulative() {
    // agreement, authorization and transfer without a registry: still preparing
    let mut r = Readiness::default();
    r.milestones.push(milestone(
        "act",
        MilestoneKind::Legal,
        MilestoneStatus::Achieved,
        "2022",
    ));
    r.agreements.push(agreement(
        "CHE",
        AgreementKind::ImplementationAgreement,
        AgreementStatus::Signed,
    ));
    r.participation.authorization_statements = 1;
    r.participation.itmos_first_transferred = 10;
    let a = assess(&r, &[]);
    assert_eq!(a.stage, Stage::Preparing);
    assert_eq!(gaps(&a), vec![Requirement::TrackingArrangements]);
    assert!(a.reason.contains(
        "Already in place for later stages: authorization arrangements (act title, 2022); \
         cooperation agreement (implementation-agreement with CHE signed, 2024-05-27)"
    ));
    assert!(
        a.reason
            .contains("first transfer (10 ITMOs first transferred)")
    );
}

#[test]
fn activity_cycle_counts_only_activities_authorized_for_transfer() {
    let f = base_file();
    let mut r = framework();
    r.agreements.push(agreement(
        "SGP",
        AgreementKind::ImplementationAgreement,
        AgreementStatus::Signed,
    ));
    // small-hydro is a 6.4 mitigation-contribution activity: not an authorization
    r.activity_cycle.push(CycleEntry {
        activity: "small-hydro".into(),
        stage: CycleStage::Issuance,
        date: None,
        note: None,
    });
    assert_eq!(assess(&r, &f.activities).stage, Stage::EnablingFramework);
    // cookstoves is authorized (purpose NDC, acquiring SGP)
    r.activity_cycle.push(CycleEntry {
        activity: "cookstoves".into(),
        stage: CycleStage::Validation,
        date: Some("2025-06".into()),
        note: None,
    });
    let a = assess(&r, &f.activities);
    assert_eq!(a.stage, Stage::FirstAuthorizations);
    assert!(a.reason.contains("activity `cookstoves` at validation"));
    r.activity_cycle[1].stage = CycleStage::FirstTransfer;
    assert_eq!(assess(&r, &f.activities).stage, Stage::Transferring);
}

#[test]
fn outstanding_items_depend_on_stage_and_facts() {
    let f = base_file(); // has a 6.4 activity
    let mut r = framework();
    r.agreements.push(agreement(
        "SGP",
        AgreementKind::ImplementationAgreement,
        AgreementStatus::Signed,
    ));
    r.participation.authorization_statements = 1;
    let a = assess(&r, &f.activities);
    let items: Vec<OutstandingItem> = a.outstanding.iter().map(|o| o.item).collect();
    assert_eq!(
        items,
        vec![
            OutstandingItem::InitialReport,
            OutstandingItem::Dna64,
            OutstandingItem::FocalPoint68
        ]
    );
    assert!(
        a.outstanding[0]
            .text
            .contains("no later than the authorization")
    );
    assert!(a.outstanding[1].text.contains("which this scenario has"));
    r.participation.initial_report_6_2 = true;
    let a = assess(&r, &[]);
    let items: Vec<OutstandingItem> = a.outstanding.iter().map(|o| o.item).collect();
    assert_eq!(
        items,
        vec![
            OutstandingItem::TechnicalExpertReview,
            OutstandingItem::Dna64,
            OutstandingItem::FocalPoint68
        ]
    );
    assert!(a.outstanding[1].text.contains("needed only to host"));
}

#[test]
fn rule_text_names_every_stage_and_requirement() {
    for s in Stage::ALL {
        assert!(STAGE_RULE.contains(s.label()), "{}", s.label());
    }
    for q in Requirement::ALL {
        assert!(STAGE_RULE.contains(q.label()), "{}", q.label());
    }
    assert_eq!(Stage::Preparing.next(), Some(Stage::EnablingFramework));
    assert_eq!(Stage::Transferring.next(), None);
}

// ---------------------------------------------------------------- validation

fn diags(name: &str) -> Vec<(usize, usize, String, String)> {
    let path = format!("tests/fixtures/readiness/{name}");
    let text = std::fs::read_to_string(&path).expect("fixture");
    match scenario::load_str(&path, &text) {
        Ok(_) => vec![],
        Err(e) => e
            .diagnostics
            .into_iter()
            .map(|d| (d.line, d.col, d.path, d.message))
            .collect(),
    }
}

#[test]
fn nma_with_one_party_is_refused_with_its_location() {
    let d = diags("nma-one-party.toml");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!((d[0].0, d[0].1), (96, 11));
    assert_eq!(d[0].2, "nma[0].parties");
    assert!(d[0].3.contains("names 1 participating Party"), "{}", d[0].3);
}

#[test]
fn nma_that_transfers_mitigation_outcomes_is_refused_with_its_location() {
    let d = diags("nma-transfers.toml");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!((d[0].0, d[0].1), (102, 38));
    assert_eq!(d[0].2, "nma[0].criteria.no_transfer_of_mitigation_outcomes");
    assert!(d[0].3.contains("transfers mitigation outcomes"));
    let text = std::fs::read_to_string("tests/fixtures/readiness/nma-transfers.toml").unwrap();
    let shown = scenario::load_str("x.toml", &text).unwrap_err().to_string();
    assert!(
        shown.starts_with("x.toml:102:38: nma[0].criteria.no_transfer_of_mitigation_outcomes:"),
        "{shown}"
    );
}

#[test]
fn readiness_references_dates_are_checked() {
    let d = diags("bad-references.toml");
    let got: Vec<(usize, usize, &str)> = d.iter().map(|x| (x.0, x.1, x.2.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (99, 10, "readiness.agreement[0].signed"),
            (100, 29, "readiness.agreement[0].activities[1]"),
            (103, 12, "readiness.activity_cycle[0].activity"),
        ]
    );
    assert!(d[0].3.contains("not a calendar date"));
    assert!(d[1].3.contains("no activity `geothermal`"));
    assert!(d[2].3.contains("no activity `windfarm`"));
}

fn with(extra: &str) -> Result<Scenario, scenario::ScenarioError> {
    scenario::load_str("t.toml", &format!("{BASE}\n{extra}"))
}

fn messages(extra: &str) -> Vec<String> {
    match with(extra) {
        Ok(_) => vec![],
        Err(e) => e.diagnostics.into_iter().map(|d| d.message).collect(),
    }
}

#[test]
fn more_readiness_rules() {
    let m = messages(
        "[readiness.participation]\ntechnical_expert_review = true\nitmos_first_transferred = 5\n",
    );
    assert_eq!(m.len(), 2, "{m:?}");
    assert!(m[0].contains("no initial report"));
    assert!(m[1].contains("5 ITMOs first transferred but no authorization"));

    let m = messages(
        "[[readiness.agreement]]\npartner = \"CHE\"\nkind = \"implementation-agreement\"\nstatus = \"negotiating\"\nsigned = \"2024\"\nactivities = [\"cookstoves\"]\n",
    );
    assert_eq!(m.len(), 2, "{m:?}");
    assert!(m[0].contains("status is `negotiating`"));
    assert!(m[1].contains("authorizes transfers to SGP, but this agreement is with CHE"));

    let m = messages(
        "[[readiness.milestone]]\nid = \"A b\"\ntitle = \"x\"\nkind = \"legal\"\nstatus = \"achieved\"\nsource = \"example.org\"\n",
    );
    assert_eq!(m.len(), 2, "{m:?}");

    let m = messages(
        "[[readiness.activity_cycle]]\nactivity = \"cookstoves\"\nstage = \"design\"\n[[readiness.activity_cycle]]\nactivity = \"cookstoves\"\nstage = \"validation\"\n",
    );
    assert_eq!(m, vec!["activity `cookstoves` has two cycle entries"]);
}

#[test]
fn unknown_keys_in_readiness_are_errors() {
    let e = with("[readiness.participation]\ndna = true\n").unwrap_err();
    assert!(e.diagnostics[0].message.contains("unknown field `dna`"));
    let e = with(
        "[[readiness.milestone]]\nid = \"x\"\ntitle = \"x\"\nkind = \"legal\"\nstatus = \"done\"\n",
    )
    .unwrap_err();
    assert!(e.diagnostics[0].message.contains("unknown variant `done`"));
}

#[test]
fn complete_fixture_validates_assesses_and_round_trips() {
    let text = std::fs::read_to_string("tests/fixtures/readiness/examplestan-readiness.toml")
        .expect("fixture");
    let s = scenario::load_str("x.toml", &text).expect("valid");
    let a = readiness::assess_scenario(&s);
    assert_eq!(a.stage, Stage::FirstAuthorizations);
    assert_eq!(gaps(&a), vec![Requirement::FirstTransfer]);
    let items: Vec<OutstandingItem> = a.outstanding.iter().map(|o| o.item).collect();
    assert_eq!(items, vec![OutstandingItem::TechnicalExpertReview]);
    let out = scenario::to_toml(&s.file).expect("serializes");
    let back = scenario::parse("back", &out).expect("parses back");
    assert_eq!(back, s.file);
}

#[test]
fn activity_cycle_maps_to_registry_statuses() {
    let text = std::fs::read_to_string("tests/fixtures/readiness/examplestan-readiness.toml")
        .expect("fixture");
    let s = scenario::load_str("x.toml", &text).expect("valid");
    let v = report::scenario_readiness(&s);
    let rows: Vec<(&str, usize, &str)> = v
        .activity_cycle
        .iter()
        .map(|c| (c.activity, c.stage_number, c.registry_status))
        .collect();
    assert_eq!(
        rows,
        vec![
            ("cookstoves", 4, "Listed"),
            ("small-hydro", 5, "Registered")
        ]
    );
}

// ---------------------------------------------------------------- NMAs

#[test]
fn case_studies_parse_are_eligible_and_validate_in_a_scenario() {
    let cs = nma::case_studies().expect("case studies parse");
    let ids: Vec<&str> = cs.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, vec!["adaptation-benefits-mechanism", "local-facility"]);
    assert_eq!(cs[0].parties.len(), 7);
    assert!(cs.iter().all(nma::eligible));
    assert!(
        cs.iter()
            .all(|n| n.focus == FocusArea::AdaptationAndResilience)
    );
    let s = with(nma::CASE_STUDIES_TOML).expect("valid with the case studies appended");
    assert_eq!(s.file.nmas.len(), 2);
    let out = scenario::to_toml(&s.file).expect("serializes");
    assert_eq!(scenario::parse("back", &out).expect("parses back"), s.file);
}

#[test]
fn unmet_soft_criteria_are_kept_and_reported() {
    let mut cs = nma::case_studies().expect("parse");
    let mut n = cs.remove(0);
    n.criteria.minimizes_negative_impacts = false;
    assert!(!nma::eligible(&n));
    assert_eq!(
        nma::unmet(&n),
        vec![nma::Criterion::MinimizesNegativeImpacts]
    );
    assert_eq!(nma::checklist(&n).len(), 6);
}

// ---------------------------------------------------------------- snippets

const ALLOWED_HEADERS: [&str; 6] = [
    "[readiness]",
    "[readiness.participation]",
    "[[readiness.milestone]]",
    "[[readiness.agreement]]",
    "[[readiness.activity_cycle]]",
    "[[nma]]",
];

#[test]
fn snippets_round_trip_through_toml() {
    for name in [
        "bhutan",
        "vanuatu",
        "papua-new-guinea",
        "thailand",
        "singapore",
    ] {
        let s = appended(name);
        let out = scenario::to_toml(&s.file).expect("serializes");
        assert_eq!(
            scenario::parse(name, &out).expect("parses back"),
            s.file,
            "{name}"
        );
    }
}

fn snippet(name: &str) -> String {
    std::fs::read_to_string(format!("scenarios/readiness/{name}.toml")).expect("snippet")
}

fn appended(name: &str) -> Scenario {
    let text = format!("{BASE}\n{}", snippet(name));
    match scenario::load_str(name, &text) {
        Ok(s) => s,
        Err(e) => panic!("{name}: {e}"),
    }
}

#[test]
fn snippets_use_only_readiness_headers_and_leave_activities_empty() {
    for name in [
        "bhutan",
        "vanuatu",
        "papua-new-guinea",
        "thailand",
        "singapore",
    ] {
        let text = snippet(name);
        for line in text.lines() {
            let t = line.trim_start();
            if t.starts_with('[') {
                let head = t.split('#').next().unwrap_or("").trim();
                assert!(ALLOWED_HEADERS.contains(&head), "{name}: header {head}");
            }
        }
        let first = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .unwrap_or("");
        assert_eq!(first, "[readiness]", "{name} must start with [readiness]");
        let s = appended(name);
        let r = s.file.readiness.as_ref().expect("has readiness");
        assert!(r.activity_cycle.is_empty(), "{name}");
        assert!(
            r.agreements.iter().all(|a| a.activities.is_empty()),
            "{name}"
        );
        // every milestone has a source, a note naming its source, or is marked illustrative
        for m in &r.milestones {
            assert!(
                m.source.is_some()
                    || m.reliability == Some(Reliability::I)
                    || m.note.as_deref().is_some_and(|n| n.contains("deck")),
                "{name}: milestone {} has no source",
                m.id
            );
        }
    }
}

#[test]
fn bhutan_snippet_is_at_enabling_framework() {
    let s = appended("bhutan");
    let a = readiness::assess_scenario(&s);
    assert_eq!(a.stage, Stage::EnablingFramework);
    assert_eq!(gaps(&a), vec![Requirement::FirstAuthorization]);
    assert!(a.reason.contains(
        "authorization arrangements (Carbon Market Rule (CMR) adopted by the erstwhile National Environment Commission, 2023)"
    ));
    assert!(a.reason.contains(
        "tracking arrangements (National Carbon Registry launched at COP 28, 2023-12-04)"
    ));
    assert!(
        a.reason.contains(
            "cooperation agreement (implementation-agreement with SGP signed, 2025-02-28)"
        )
    );
    let r = s.file.readiness.as_ref().unwrap();
    assert_eq!(r.milestones.len(), 6);
    let kinds: Vec<&str> = report::timeline(r).iter().map(|m| m.id.as_str()).collect();
    assert_eq!(
        kinds,
        vec![
            "carbon-market-rule",
            "bhutan-climate-fund",
            "national-carbon-registry",
            "carbon-market-policy",
            "positive-list",
            "cdm-transition"
        ]
    );
}

#[test]
fn vanuatu_snippet_is_at_first_authorizations() {
    let a = readiness::assess_scenario(&appended("vanuatu"));
    assert_eq!(a.stage, Stage::FirstAuthorizations);
    assert_eq!(gaps(&a), vec![Requirement::FirstTransfer]);
    assert!(
        a.reason
            .contains("first authorization (1 authorization issued)")
    );
    assert!(
        a.reason
            .contains("implementation-agreement with CHE signed, 2021-11-11")
    );
    // initial report recorded, review not
    assert_eq!(
        a.outstanding[0].item,
        OutstandingItem::TechnicalExpertReview
    );
}

#[test]
fn papua_new_guinea_snippet_is_preparing_with_agreement_ahead() {
    let a = readiness::assess_scenario(&appended("papua-new-guinea"));
    assert_eq!(a.stage, Stage::Preparing);
    assert_eq!(
        gaps(&a),
        vec![
            Requirement::AuthorizationArrangements,
            Requirement::TrackingArrangements
        ]
    );
    assert!(a.reason.contains(
        "Already in place for later stages: cooperation agreement (implementation-agreement with SGP signed, 2023-12-08)"
    ));
}

#[test]
fn thailand_snippet_is_transferring() {
    let a = readiness::assess_scenario(&appended("thailand"));
    assert_eq!(a.stage, Stage::Transferring);
    assert!(a.gaps.is_empty());
    assert!(
        a.reason
            .contains("first transfer (1916 ITMOs first transferred)")
    );
    assert_eq!(a.outstanding[0].item, OutstandingItem::InitialReport);
}

#[test]
fn singapore_snippet_is_at_enabling_framework() {
    let a = readiness::assess_scenario(&appended("singapore"));
    assert_eq!(a.stage, Stage::EnablingFramework);
    assert_eq!(gaps(&a), vec![Requirement::FirstAuthorization]);
    assert!(a.reason.contains("and 10 more"));
}

// ---------------------------------------------------------------- comparison and facts

#[test]
fn comparison_across_scenarios() {
    let ss: Vec<Scenario> = [
        "bhutan",
        "vanuatu",
        "papua-new-guinea",
        "thailand",
        "singapore",
    ]
    .iter()
    .map(|n| appended(n))
    .collect();
    let c = report::comparison(&ss);
    let rows: Vec<(Stage, usize, u32, u64, bool)> = c
        .rows
        .iter()
        .map(|r| {
            (
                r.stage,
                r.signed_agreements,
                r.authorization_statements,
                r.itmos_first_transferred,
                r.initial_report_6_2,
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (Stage::EnablingFramework, 1, 0, 0, false),
            (Stage::FirstAuthorizations, 1, 1, 0, true),
            (Stage::Preparing, 1, 0, 0, false),
            (Stage::Transferring, 3, 1, 1916, false),
            (Stage::EnablingFramework, 11, 0, 0, false),
        ]
    );
    assert_eq!(
        c.rows[2].gaps,
        vec!["authorization arrangements", "tracking arrangements"]
    );
    assert!(c.rows[3].gaps.is_empty());
    let t = report::comparison_text(&c);
    let lines: Vec<&str> = t.lines().collect();
    assert!(lines[2].starts_with("SCENARIO"));
    assert!(lines[2].ends_with("MISSING FOR NEXT STAGE"));
    assert!(lines.len() > 8);
    // base scenario id is shared; the party column and stage are what differ
    assert!(lines[3].contains("2 Enabling framework"));
    assert!(lines[3].ends_with("first authorization"));
    assert!(lines[6].contains("4 Transferring"));
    assert!(lines[6].ends_with(" -"));
    let md = report::comparison_md(&c);
    assert!(md.contains("| SCENARIO | PARTY | STAGE |"));
    assert_eq!(md.matches("| examplestan-2030 |").count(), 5);
}

#[test]
fn fact_lines_give_stage_gaps_and_next_steps() {
    let s = appended("bhutan");
    let f = readiness::fact_lines(&s);
    assert_eq!(
        f[0],
        "Examplestan: Article 6 readiness stage 2 of 4, Enabling framework"
    );
    assert!(f.iter().any(|l| l
        == "Missing for First authorizations: first authorization: no authorization of ITMOs recorded"));
    assert!(
        f.iter()
            .any(|l| l.starts_with("Next step: authorize a first activity"))
    );
    assert!(
        f.iter()
            .any(|l| l.starts_with("Support that helps at this stage: negotiation support"))
    );
    assert!(f.last().unwrap().starts_with(
        "Cooperation: 1 signed agreement(s) allowing transfers, 7 agreement(s) recorded in all; 0 NMA(s)"
    ));

    let plain = scenario::load_str("b.toml", BASE).expect("base");
    let f = readiness::fact_lines(&plain);
    assert_eq!(
        f[0],
        "Examplestan: Article 6 readiness stage 1 of 4, Preparing"
    );
    assert_eq!(
        f[1],
        "No [readiness] section in this scenario: nothing recorded yet"
    );
}

/// The preformatted table's columns line up: every line has its `|` (or `+` in the rule) at
/// the header's positions, the header included (a string continuation once ate its indent).
#[test]
fn article6_comparison_columns_line_up() {
    let t = readiness::ARTICLE6_COMPARISON;
    let bars = |l: &str| -> Vec<usize> {
        l.chars()
            .enumerate()
            .filter(|(_, c)| *c == '|' || *c == '+')
            .map(|(i, _)| i)
            .collect()
    };
    let rule = t.lines().nth(1).expect("the rule under the header");
    let want = bars(rule);
    assert_eq!(want.len(), 3, "{rule}");
    for l in t.lines() {
        assert_eq!(bars(l), want, "misaligned: {l:?}");
    }
}

#[test]
fn article6_comparison_covers_the_three_kinds() {
    let t = readiness::ARTICLE6_COMPARISON;
    for k in [
        "Article 6.2",
        "Article 6.4",
        "Article 6.8",
        "Corresponding",
        "ITMOs",
        "A6.4ERs",
        "NMA platform",
    ] {
        assert!(t.contains(k), "{k}");
    }
    // the cell table and the text say the same things, row by row
    for row in readiness::ARTICLE6_TABLE.iter().skip(1) {
        let first_word = row[0].split(' ').next().unwrap_or("");
        assert!(t.contains(first_word), "{}", row[0]);
        assert!(
            t.contains(row[3].split(' ').next().unwrap_or("")),
            "{}",
            row[3]
        );
    }
    assert!(t.lines().all(|l| l.chars().count() <= 140));
}
