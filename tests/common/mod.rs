//! Shared helpers for integration tests: small scenarios built from a few numbers.
#![allow(dead_code)]

use ndc_workbench::scenario::{self, Scenario};

/// One activity of a generated scenario (kt, USD/t).
#[derive(Debug, Clone)]
pub struct Act {
    pub id: String,
    pub cost: i64,
    pub m: u32,
    pub crediting: (i32, i32),
    pub part: &'static str,
    pub mechanism: &'static str,
}

/// A host with one in-scope sector (BAU flat at `bau` kt), an absolute target `target` kt in
/// 2030, an out-of-scope waste sector, and the given activities (all authorized for NDC use
/// by SGP, flat mitigation `m` kt per year). `method` is averaging | trajectory (single-year,
/// indicative trajectory flat at the target) | budget (multi-year, budget = 10 × target).
pub fn host(
    bau: u32,
    target: u32,
    acts: &[Act],
    method: &str,
    buffer: &str,
    reverse: bool,
) -> String {
    let kind = if method == "budget" {
        "multi-year"
    } else {
        "single-year"
    };
    let mut s = format!(
        "schema = 1\n[scenario]\nid = \"gen\"\ntitle = \"generated\"\nillustrative = true\nunit = \"ktCO2e\"\ncurrency = \"USD\"\n\
[party]\ncode = \"EXS\"\nname = \"Examplestan\"\nregistry_id = \"EXS01\"\nrole = \"host\"\n\
[ndc]\nperiod = [2021, 2030]\nkind = \"{kind}\"\ntarget_year = 2030\nca_method = \"{method}\"\n\
unconditional = {{ type = \"absolute\", level = {target} }}\ntrajectory = {{ 2021 = {target}, 2030 = {target} }}\nbudget = {}\n\
[policy]\nbuffer = {buffer}\n",
        target * 10
    );
    let mut sectors = [
        format!("[[sector]]\nid = \"energy\"\nname = \"Energy\"\nin_scope = true\nbau = {{ 2021 = {bau}, 2030 = {bau} }}\n"),
        "[[sector]]\nid = \"waste\"\nname = \"Waste\"\nin_scope = false\nbau = { 2021 = 50, 2030 = 50 }\n".to_string(),
    ];
    let mut acts: Vec<String> = acts
        .iter()
        .map(|a| {
            let sector = if a.part == "outside-scope" { "waste" } else { "energy" };
            format!(
                "[[activity]]\nid = \"{}\"\nname = \"{}\"\nsector = \"{sector}\"\ncategory = \"renewable-energy\"\nmechanism = \"{}\"\nndc_part = \"{}\"\ncost_per_t = {}\n\
mitigation = {{ 2021 = {m}, 2030 = {m} }}\nuncertainty = 0.1\ncrediting = [{}, {}]\nauthorization = {{ purpose = \"NDC\", acquiring = \"SGP\" }}\n",
                a.id, a.id, a.mechanism, a.part, a.cost, a.crediting.0, a.crediting.1, m = a.m
            )
        })
        .collect();
    if reverse {
        sectors.reverse();
        acts.reverse();
    }
    for x in sectors.iter().chain(acts.iter()) {
        s += x;
    }
    s += "[[partner]]\ncode = \"SGP\"\nname = \"Singapore\"\nprice = 20\n";
    s
}

pub fn load(text: &str) -> Scenario {
    match scenario::load_str("generated.toml", text) {
        Ok(s) => s,
        Err(e) => panic!("generated scenario does not validate:\n{e}\n{text}"),
    }
}

pub fn act(id: &str, cost: i64, m: u32, crediting: (i32, i32), part: &'static str) -> Act {
    Act {
        id: id.into(),
        cost,
        m,
        crediting,
        part,
        mechanism: "6.2",
    }
}
