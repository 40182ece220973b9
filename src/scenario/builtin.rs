//! The prepared scenarios, built into the binary with `include_str!` so an installed binary
//! works anywhere (workshop laptops are often offline). The same files live in `scenarios/`
//! for trainers to copy and edit.

use super::{Origin, Scenario, ScenarioError, load_str};

/// (file name, text) of every prepared scenario, in the order shown on Home.
pub const PREPARED: &[(&str, &str)] = &[
    ("bhutan.toml", include_str!("../../scenarios/bhutan.toml")),
    ("vanuatu.toml", include_str!("../../scenarios/vanuatu.toml")),
    (
        "papua-new-guinea.toml",
        include_str!("../../scenarios/papua-new-guinea.toml"),
    ),
    (
        "thailand.toml",
        include_str!("../../scenarios/thailand.toml"),
    ),
    (
        "singapore.toml",
        include_str!("../../scenarios/singapore.toml"),
    ),
    (
        "examplestan.toml",
        include_str!("../../scenarios/examplestan.toml"),
    ),
];

/// The scenario the workbench opens when given none.
pub const DEFAULT_ID: &str = "bhutan-2030";

/// Load every prepared scenario (each must validate; a test guards it).
pub fn all() -> Vec<Result<Scenario, ScenarioError>> {
    PREPARED
        .iter()
        .map(|(name, text)| load_builtin(name, text))
        .collect()
}

fn load_builtin(name: &str, text: &str) -> Result<Scenario, ScenarioError> {
    let mut s = load_str(&format!("scenarios/{name}"), text)?;
    s.origin = Origin::BuiltIn(s.id().to_string());
    Ok(s)
}

/// Ids of the prepared scenarios that load.
pub fn ids() -> Vec<String> {
    all()
        .into_iter()
        .filter_map(|s| s.ok())
        .map(|s| s.id().to_string())
        .collect()
}

/// A prepared scenario by id (or by file stem, e.g. `bhutan`).
pub fn by_id(id: &str) -> Option<Result<Scenario, ScenarioError>> {
    for (name, text) in PREPARED {
        let stem = name.trim_end_matches(".toml");
        let parsed = super::parse(name, text).ok();
        let sid = parsed
            .as_ref()
            .map(|f| f.scenario.id.as_str())
            .unwrap_or("");
        if stem == id || sid == id {
            return Some(load_builtin(name, text));
        }
    }
    None
}

/// The source text of a prepared scenario (for `scenario new --from`).
pub fn text_of(id: &str) -> Option<&'static str> {
    PREPARED.iter().find_map(|(name, text)| {
        let stem = name.trim_end_matches(".toml");
        let sid = super::parse(name, text).ok().map(|f| f.scenario.id);
        (stem == id || sid.as_deref() == Some(id)).then_some(*text)
    })
}
