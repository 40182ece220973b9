//! The positive-list vocabulary: activity categories a host may list as eligible for
//! authorization. Drawn from published host lists (Bhutan's positive list of 28 Feb 2025, Ghana's
//! framework Schedule 4, Thailand's International Carbon Credit Guideline of 26 Aug 2025) and the
//! AEF activity types; one spelling each, kebab-case.

/// Every category a scenario may name, with a short description for help screens.
pub const KNOWN: &[(&str, &str)] = &[
    (
        "renewable-energy",
        "grid or off-grid renewable electricity (hydro, solar, wind, geothermal)",
    ),
    (
        "energy-efficiency",
        "efficiency in industry, appliances, lighting and public services",
    ),
    ("clean-cooking", "efficient or clean cookstoves and fuels"),
    ("buildings", "green buildings, cooling, heating"),
    (
        "transport",
        "public transport, modal shift, fuel efficiency",
    ),
    ("e-mobility", "electric vehicles and charging"),
    ("green-hydrogen", "hydrogen from renewable electricity"),
    (
        "alternative-fuels",
        "biofuels, sustainable aviation fuel, green ammonia, bio-methanol",
    ),
    (
        "energy-storage",
        "batteries, pumped storage and other storage that firms renewable supply",
    ),
    (
        "green-infrastructure",
        "waste-to-energy plants and waste-management infrastructure (Bhutan's list)",
    ),
    (
        "industry",
        "industrial processes and product use, cement, materials",
    ),
    (
        "methane",
        "methane capture or avoidance (landfill gas, oil and gas, coal mines)",
    ),
    ("waste", "solid waste management, composting, recycling"),
    ("wastewater", "wastewater treatment and methane avoidance"),
    (
        "agriculture",
        "crops, rice cultivation, livestock, fertiliser, soils",
    ),
    (
        "afforestation",
        "afforestation and reforestation (removals)",
    ),
    (
        "forest-conservation",
        "REDD+, avoided deforestation and degradation, forest management",
    ),
    ("blue-carbon", "mangroves, seagrass and coastal wetlands"),
    (
        "carbon-removal",
        "engineered removals (biochar, direct air capture, storage)",
    ),
];

/// Is `c` a category this build knows?
pub fn is_known(c: &str) -> bool {
    KNOWN.iter().any(|(k, _)| *k == c)
}

/// Comma-separated list of known categories, for error hints.
pub fn known_list() -> String {
    KNOWN.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")
}
