//! The prepared scenarios' `[readiness]` sections: each assesses to the stage named in its snippet
//! header (written by hand here, not computed), every non-domestic activity has exactly one cycle
//! entry, and every activity listed under an agreement has that agreement's partner as its
//! acquiring Party.

use ndc_workbench::readiness::{self, CycleStage, Requirement, Stage};
use ndc_workbench::scenario::schema::Mechanism;
use ndc_workbench::scenario::{self, Scenario};
use std::path::Path;

const PREPARED: [&str; 5] = [
    "bhutan",
    "vanuatu",
    "papua-new-guinea",
    "thailand",
    "singapore",
];

fn load(name: &str) -> Scenario {
    let p = format!("scenarios/{name}.toml");
    scenario::load_file(Path::new(&p)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn gaps(name: &str) -> Vec<Requirement> {
    readiness::assess_scenario(&load(name))
        .gaps
        .iter()
        .map(|g| g.requirement)
        .collect()
}

#[test]
fn each_prepared_scenario_assesses_to_its_expected_stage() {
    let expected = [
        ("bhutan", Stage::EnablingFramework),
        ("vanuatu", Stage::FirstAuthorizations),
        ("papua-new-guinea", Stage::Preparing),
        ("thailand", Stage::Transferring),
        ("singapore", Stage::EnablingFramework),
    ];
    for (name, stage) in expected {
        let s = load(name);
        assert!(s.file.readiness.is_some(), "{name}: no [readiness]");
        assert_eq!(readiness::assess_scenario(&s).stage, stage, "{name}");
    }
    assert_eq!(gaps("bhutan"), vec![Requirement::FirstAuthorization]);
    assert_eq!(gaps("vanuatu"), vec![Requirement::FirstTransfer]);
    assert_eq!(
        gaps("papua-new-guinea"),
        vec![
            Requirement::AuthorizationArrangements,
            Requirement::TrackingArrangements
        ]
    );
    assert!(gaps("thailand").is_empty());
    assert_eq!(gaps("singapore"), vec![Requirement::FirstAuthorization]);
}

#[test]
fn every_non_domestic_activity_has_one_cycle_entry_and_domestic_none() {
    for name in PREPARED {
        let s = load(name);
        let r = s.file.readiness.as_ref().expect("readiness");
        for a in &s.file.activities {
            let n = r
                .activity_cycle
                .iter()
                .filter(|c| c.activity == a.id)
                .count();
            let want = usize::from(a.mechanism != Mechanism::Domestic);
            assert_eq!(n, want, "{name}: activity {}", a.id);
        }
        assert!(
            r.activity_cycle
                .iter()
                .all(|c| s.file.activities.iter().any(|a| a.id == c.activity)),
            "{name}: cycle entry for an unknown activity"
        );
    }
}

#[test]
fn agreement_activities_match_their_acquiring_party() {
    for name in PREPARED {
        let s = load(name);
        let r = s.file.readiness.as_ref().expect("readiness");
        for g in &r.agreements {
            for id in &g.activities {
                let a = s
                    .file
                    .activities
                    .iter()
                    .find(|a| &a.id == id)
                    .unwrap_or_else(|| panic!("{name}: no activity {id}"));
                let acq = a
                    .authorization
                    .as_ref()
                    .and_then(|z| z.acquiring.as_deref());
                assert_eq!(acq, Some(g.partner.as_str()), "{name}: {id}");
            }
        }
    }
}

#[test]
fn sourced_cycle_positions() {
    let stage_of = |name: &str, id: &str| {
        let s = load(name);
        let r = s.file.readiness.clone().expect("readiness");
        r.activity_cycle
            .iter()
            .find(|c| c.activity == id)
            .map(|c| (c.stage, c.date.clone()))
            .unwrap_or_else(|| panic!("{name}: no cycle entry for {id}"))
    };
    // Thailand: 1,916 ITMOs first transferred to Switzerland, 20 Dec 2023 (KliK; BTR1)
    assert_eq!(
        stage_of("thailand", "bangkok-e-bus"),
        (CycleStage::FirstTransfer, Some("2023-12-20".into()))
    );
    // Vanuatu: solar rural electrification authorized May 2023 (UNDP)
    assert_eq!(
        stage_of("vanuatu", "solar-rural-electrification"),
        (CycleStage::Authorization, Some("2023-05".into()))
    );
    // Bhutan: no authorization yet, so nothing at or past `authorization`
    let b = load("bhutan");
    assert!(
        b.file
            .readiness
            .as_ref()
            .unwrap()
            .activity_cycle
            .iter()
            .all(|c| c.stage == CycleStage::IdeaNote)
    );
    // Singapore hosts no activities
    let sg = load("singapore");
    assert!(sg.file.activities.is_empty());
    assert!(
        sg.file
            .readiness
            .as_ref()
            .unwrap()
            .activity_cycle
            .is_empty()
    );
}

#[test]
fn bhutan_carries_the_two_nma_case_studies() {
    let ids: Vec<String> = load("bhutan")
        .file
        .nmas
        .iter()
        .map(|n| n.id.clone())
        .collect();
    assert_eq!(ids, vec!["adaptation-benefits-mechanism", "local-facility"]);
}
