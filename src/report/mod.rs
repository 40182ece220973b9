//! Reports: what a scenario or session produced, as text, Markdown, CSV and JSON.

pub mod answers;

use crate::scenario::Scenario;
use crate::scenario::units::format_quantity;

/// `scenario show` text: NDC summary, sectors, activities and totals.
pub fn scenario_text(s: &Scenario) -> String {
    use std::fmt::Write;
    let f = &s.file;
    let u = s.unit();
    let ty = s.target_year();
    let mut o = String::new();
    let _ = writeln!(o, "{} — {}", s.id(), s.title());
    if f.scenario.illustrative {
        let _ = writeln!(o, "ILLUSTRATIVE: some figures are invented for teaching (see sources and comments)");
    }
    let _ = writeln!(o, "Party: {} ({}), registry {}, role {:?}", f.party.name, f.party.code, f.party.registry_id, f.party.role);
    let (p0, p1) = s.period();
    let _ = writeln!(o, "NDC: {p0}–{p1}, target year {ty}, CA method {:?}", f.ndc.ca_method);
    let _ = writeln!(o, "  unconditional: {}", crate::workshop::facts::describe_target(s, &f.ndc.unconditional));
    if let Some(c) = &f.ndc.conditional {
        let _ = writeln!(o, "  conditional:   {}", crate::workshop::facts::describe_target(s, c));
    }
    let _ = writeln!(o, "\nSectors (BAU {ty}):");
    for sec in &f.sectors {
        let bau = s.sector_bau(sec, ty).map(|v| format_quantity(v, u, 1)).unwrap_or_else(|| "n/a".into());
        let _ = writeln!(o, "  {:<22} {:>14}  {}", sec.id, bau, if sec.in_scope { "in scope" } else { "outside scope" });
    }
    let _ = writeln!(o, "  {:<22} {:>14}  covered", "total", format_quantity(s.covered_bau(ty), u, 1));
    let _ = writeln!(o, "\nActivities (expected mitigation {ty}):");
    for a in &f.activities {
        let _ = writeln!(
            o,
            "  {:<24} {:>12}  {:<8} {:<14} {:<18} {} {}/t, crediting {}–{}",
            a.id,
            format_quantity(s.mitigation(a, ty), u, 1),
            a.mechanism.as_str(),
            a.ndc_part.as_str(),
            a.category,
            a.cost_per_t.normalize(),
            f.scenario.currency,
            a.crediting[0],
            a.crediting[1]
        );
    }
    let total: rust_decimal::Decimal = f.activities.iter().map(|a| s.mitigation(a, ty)).sum();
    let _ = writeln!(o, "  {:<24} {:>12}", "total", format_quantity(total, u, 1));
    if !f.sources.is_empty() {
        let _ = writeln!(o, "\nSources:");
        for src in &f.sources {
            let _ = writeln!(o, "  {} — {}", src.title, src.url);
        }
    }
    o
}

/// `scenario show --json`: the file as written plus computed totals in tCO2e (decimal strings).
pub fn scenario_json(s: &Scenario) -> String {
    let ty = s.target_year();
    let total: rust_decimal::Decimal = s.file.activities.iter().map(|a| s.mitigation(a, ty)).sum();
    let v = serde_json::json!({
        "id": s.id(),
        "source_hash": s.source_hash,
        "file": s.file,
        "totals": {
            "target_year": ty,
            "covered_bau_t": s.covered_bau(ty).round_dp(3).normalize().to_string(),
            "outside_bau_t": s.outside_bau(ty).round_dp(3).normalize().to_string(),
            "unconditional_target_t": s.target_level(&s.file.ndc.unconditional, ty).round_dp(3).normalize().to_string(),
            "expected_mitigation_t": total.round_dp(3).normalize().to_string(),
        }
    });
    v.to_string()
}
