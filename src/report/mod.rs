//! Reports: what a scenario or session produced, as text, Markdown, CSV and JSON.

pub mod answers;
pub mod chart;
pub mod collect;
pub mod session;
pub mod simulation;
pub mod table4;

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
        let _ = writeln!(
            o,
            "ILLUSTRATIVE: some figures are invented for teaching (see sources and comments)"
        );
    }
    let _ = writeln!(
        o,
        "Party: {} ({}), registry {}, role {:?}",
        f.party.name, f.party.code, f.party.registry_id, f.party.role
    );
    let (p0, p1) = s.period();
    let _ = writeln!(
        o,
        "NDC: {p0}–{p1}, target year {ty}, CA method {:?}",
        f.ndc.ca_method
    );
    let _ = writeln!(
        o,
        "  unconditional: {}",
        crate::workshop::facts::describe_target(s, &f.ndc.unconditional)
    );
    if let Some(c) = &f.ndc.conditional {
        let _ = writeln!(
            o,
            "  conditional:   {}",
            crate::workshop::facts::describe_target(s, c)
        );
    }
    let _ = writeln!(o, "\nSectors (BAU {ty}):");
    for sec in &f.sectors {
        let bau = s
            .sector_bau(sec, ty)
            .map(|v| format_quantity(v, u, 1))
            .unwrap_or_else(|| "n/a".into());
        let _ = writeln!(
            o,
            "  {:<22} {:>14}  {}",
            sec.id,
            bau,
            if sec.in_scope {
                "in scope"
            } else {
                "outside scope"
            }
        );
    }
    let _ = writeln!(
        o,
        "  {:<22} {:>14}  covered",
        "total",
        format_quantity(s.covered_bau(ty), u, 1)
    );
    let _ = writeln!(o, "\nActivities (expected mitigation {ty}):");
    let id_w = f
        .activities
        .iter()
        .map(|a| a.id.chars().count())
        .max()
        .unwrap_or(0)
        .max(24);
    for a in &f.activities {
        let _ = writeln!(
            o,
            "  {:<id_w$} {:>12}  {:<8} {:<14} {:<18} {} {}/t, crediting {}–{}",
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
    let _ = writeln!(
        o,
        "  {:<id_w$} {:>12}",
        "total",
        format_quantity(total, u, 1)
    );
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

/// Neutralise a CSV cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab,
/// carriage return at the start) by prefixing `'`. Plain negative numbers are left alone.
pub fn csv_cell(s: &str) -> String {
    let risky = s.starts_with(['=', '+', '@', '\t', '\r'])
        || (s.starts_with('-') && s.parse::<rust_decimal::Decimal>().is_err());
    if risky {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn csv_line(cells: &[String]) -> String {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(vec![]);
    let cells: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
    let _ = w.write_record(&cells);
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn dstr(d: rust_decimal::Decimal) -> String {
    d.round_dp(3).normalize().to_string()
}

/// `budget --format table`: sectors at the target year, needs, and the MACC with p*.
pub fn budget_text(s: &Scenario, b: &crate::budget::Budget) -> String {
    use crate::accounting::MaccThreshold;
    use std::fmt::Write;
    let u = s.unit();
    let q = |d| format_quantity(d, u, 1);
    let ty = b.target_year;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "MO budget — {} (target year {ty}, {})",
        s.title(),
        u.short()
    );
    let _ = writeln!(
        o,
        "{:<22} {:>6} {:>12} {:>12} {:>12} {:>12} {:>12} {:>12}",
        "sector", "scope", "BAU", "uncond.", "cond.", "beyond", "outside", "projected"
    );
    for sec in &b.sectors {
        if let Some(y) = sec.at(ty) {
            let m = &y.mitigation;
            let _ = writeln!(
                o,
                "{:<22} {:>6} {:>12} {:>12} {:>12} {:>12} {:>12} {:>12}",
                sec.id,
                if sec.in_scope { "in" } else { "out" },
                q(y.bau),
                q(m.unconditional),
                q(m.conditional),
                q(m.beyond),
                q(m.outside_scope),
                q(y.projected)
            );
        }
    }
    let t = b.target();
    let _ = writeln!(
        o,
        "\ncovered BAU {ty}: {}   projected: {}",
        q(t.covered_bau),
        q(t.covered_projected)
    );
    // In-scope MOs over the need (a surplus), or how far they fall short of it; never a
    // negative surplus, and never "beyond", which names the column of activities in no plan.
    let surplus = |x: rust_decimal::Decimal| {
        if x.is_sign_negative() && !x.is_zero() {
            format!("in-scope MOs short of the need: {}", q(-x))
        } else {
            format!("in-scope MOs above the need: {}", q(x))
        }
    };
    let _ = writeln!(
        o,
        "unconditional target: {}   MOs needed: {}   {}",
        q(t.target_unconditional),
        q(t.needed_unconditional),
        surplus(t.beyond_unconditional)
    );
    if let (Some(c), Some(n), Some(bc)) = (
        t.target_conditional,
        t.needed_conditional,
        t.beyond_conditional,
    ) {
        let _ = writeln!(
            o,
            "conditional target:   {}   MOs needed: {}   {}",
            q(c),
            q(n),
            surplus(bc)
        );
    }
    let _ = writeln!(o, "\nMACC (in-scope measures by cost, {ty}):");
    for st in &b.macc.steps {
        let _ = writeln!(
            o,
            "  {:<26} {:>8} {}/t {:>12} cum {:>12} {}",
            st.activity,
            st.cost_per_t.normalize(),
            s.file.scenario.currency,
            q(st.abatement),
            q(st.cumulative),
            if st.needed { "needed for target" } else { "" }
        );
    }
    let _ = match &b.macc.threshold {
        Some(MaccThreshold::NoMeasureNeeded) => {
            writeln!(o, "p*: no measure needed for the unconditional target")
        }
        Some(MaccThreshold::Threshold { price, .. }) => writeln!(
            o,
            "p* = {} {}/t: selling measures at or below p* sells the low-hanging fruit the NDC needs",
            price.normalize(),
            s.file.scenario.currency
        ),
        Some(MaccThreshold::Indeterminate { shortfall }) => writeln!(
            o,
            "p*: indeterminate — the listed measures fall {} short of the unconditional target",
            q(*shortfall)
        ),
        None => writeln!(o, "p*: cannot be computed for these figures"),
    };
    o
}

/// `budget --format csv`: one row per sector and year.
pub fn budget_csv(b: &crate::budget::Budget) -> String {
    let mut o = csv_line(
        &[
            "sector",
            "in_scope",
            "year",
            "bau_t",
            "unconditional_t",
            "conditional_t",
            "beyond_t",
            "outside_scope_t",
            "projected_t",
        ]
        .map(String::from),
    );
    for sec in &b.sectors {
        for y in &sec.years {
            let m = &y.mitigation;
            o += &csv_line(&[
                sec.id.clone(),
                sec.in_scope.to_string(),
                y.year.to_string(),
                dstr(y.bau),
                dstr(m.unconditional),
                dstr(m.conditional),
                dstr(m.beyond),
                dstr(m.outside_scope),
                dstr(y.projected),
            ]);
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn formula_like_cells_are_neutralised() {
        assert_eq!(csv_cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_cell("+1+1"), "'+1+1");
        assert_eq!(csv_cell("@cmd"), "'@cmd");
        assert_eq!(csv_cell("-2+3"), "'-2+3");
        assert_eq!(csv_cell("-9200"), "-9200");
        assert_eq!(csv_cell("plain"), "plain");
    }
}
