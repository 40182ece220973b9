//! Invariant 16, the organization half: an actor other than the registry's Root acts for a
//! registered organization, in a role that organization holds, and within that organization's
//! Party where a command acts within one Party. Each refusal names the rule and the reason;
//! nothing refused moves a unit.

use chrono::NaiveDate;
use ndc_workbench::registry::types::Filter;
use ndc_workbench::registry::*;

const PERM: &str = "invariant 16 permissions";

fn actor(user: &str, org: &str, role: Role) -> Actor {
    Actor {
        user: user.into(),
        org: org.into(),
        role,
    }
}

/// BTN and CHE (their registry organizations REG-BTN and REG-CHE hold DNA and Regulator) and
/// project P1 hosted by BTN.
fn two_parties() -> Ledger {
    let clock = ManualClock::at_date(NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()).stepping(60);
    let mut l = Ledger::in_memory(clock);
    for p in ["BTN", "CHE"] {
        l.execute(Command::InitParty {
            party: p.into(),
            registry_id: format!("{p}01"),
            name: String::new(),
            ndc_first_year: Some(2021),
            ndc_last_year: Some(2030),
        })
        .unwrap();
    }
    l.execute(Command::RegisterProject {
        id: "P1".into(),
        name: "p".into(),
        sector: String::new(),
        mechanism: Mechanism::A62,
        host: Some("BTN".into()),
        developer: None,
        methodology: String::new(),
        unit_type: UnitType::default(),
        covered_by_ndc: None,
        link: String::new(),
        registered: true,
    })
    .unwrap();
    l
}

fn issue(quantity: u64) -> Command {
    Command::Issue {
        project: "P1".into(),
        vintage: 2024,
        quantity,
        to: None,
        verification: None,
        levies: None,
        authorization: None,
        date: None,
    }
}

/// A voluntary cancellation of 5 units of BTN's registry holding.
fn cancel_5() -> Command {
    Command::Cancel {
        from: "BTN:REG:Holding".into(),
        quantity: 5,
        filter: Filter::default(),
        subtype: CancelSubtype::Voluntary,
        reason: String::new(),
    }
}

fn run(l: &mut Ledger, id: &str, who: Actor, command: Command) -> Result<(), RegistryError> {
    l.submit(Submission {
        command_id: id.into(),
        actor: who,
        command,
    })
    .map(|_| ())
}

fn units(l: &Ledger, account: &str) -> u64 {
    l.balances()
        .into_iter()
        .find(|b| b.id == account)
        .map_or(0, |b| b.units)
}

fn refused(r: Result<(), RegistryError>, says: &str) {
    let e = r.expect_err("refused");
    assert_eq!(e.rule(), Some(PERM), "{e}");
    assert!(e.to_string().contains(says), "{e} should say {says:?}");
}

#[test]
fn an_unregistered_organization_cannot_issue_or_register_a_party() {
    let mut l = two_parties();
    let mallory = actor("mallory", "NOPE", Role::Regulator);
    refused(
        run(&mut l, "c1", mallory.clone(), issue(1_000_000)),
        "organization NOPE is not registered",
    );
    refused(
        run(
            &mut l,
            "c2",
            actor("mallory", "NOPE", Role::Dna),
            Command::InitParty {
                party: "ZZZ".into(),
                registry_id: "ZZZ01".into(),
                name: String::new(),
                ndc_first_year: None,
                ndc_last_year: None,
            },
        ),
        "not registered",
    );
    assert_eq!(units(&l, "BTN:REG:Holding"), 0);
    // The Party's own regulator issues.
    run(
        &mut l,
        "c3",
        actor("clerk", "REG-BTN", Role::Regulator),
        issue(100),
    )
    .unwrap();
    assert_eq!(units(&l, "BTN:REG:Holding"), 100);
    l.check_state().unwrap();
}

#[test]
fn an_organization_acts_only_in_roles_it_holds() {
    let mut l = two_parties();
    l.execute(Command::RegisterOrganization {
        id: "DEV".into(),
        name: "developer".into(),
        country: "BTN".into(),
        roles: vec![Role::ProjectDeveloper],
    })
    .unwrap();
    let e = run(
        &mut l,
        "c1",
        actor("dan", "DEV", Role::Regulator),
        issue(10),
    )
    .unwrap_err();
    assert_eq!(e.rule(), Some(PERM), "{e}");
    let text = e.to_string();
    assert!(
        text.contains("organization DEV does not hold the role Regulator")
            && text.contains("its roles: ProjectDeveloper"),
        "{text}"
    );
    // A role the organization holds, on a command that role may not run: the role's name
    // is spelt as the journal spells it, not as the program's type.
    let e = run(&mut l, "c2", actor("ana", "REG-BTN", Role::Dna), issue(10)).unwrap_err();
    assert!(
        e.to_string()
            .contains("role DNA of organization REG-BTN may not run"),
        "{e}"
    );
    assert_eq!(units(&l, "BTN:REG:Holding"), 0);
}

#[test]
fn a_dna_cancels_and_a_regulator_issues_and_freezes_only_within_its_party() {
    let mut l = two_parties();
    run(
        &mut l,
        "i1",
        actor("clerk", "REG-BTN", Role::Regulator),
        issue(100),
    )
    .unwrap();
    // CHE's DNA may not cancel BTN's units, nor CHE's regulator issue BTN's project's units
    // or freeze BTN's units.
    refused(
        run(&mut l, "c1", actor("eve", "REG-CHE", Role::Dna), cancel_5()),
        "organization REG-CHE belongs to CHE, and this command acts within BTN",
    );
    refused(
        run(
            &mut l,
            "c2",
            actor("eve", "REG-CHE", Role::Regulator),
            issue(10),
        ),
        "acts within BTN",
    );
    refused(
        run(
            &mut l,
            "c3",
            actor("eve", "REG-CHE", Role::Regulator),
            Command::Freeze {
                account: "BTN:REG:Holding".into(),
                quantity: 10,
                filter: Filter::default(),
                reason: "x".into(),
            },
        ),
        "acts within BTN",
    );
    assert_eq!(units(&l, "BTN:REG:Holding"), 100);
    // BTN's DNA cancels in BTN's account.
    run(&mut l, "c4", actor("ana", "REG-BTN", Role::Dna), cancel_5()).unwrap();
    assert_eq!(units(&l, "BTN:REG:Holding"), 95);
    l.check_state().unwrap();
}
