//! Rendering a computed [`Report`] as Markdown (GitHub tables, no raw HTML) and as CSV files
//! (one per table, formula-like cells neutralised with `report::csv_cell`).

use super::{MC_CONFIDENCE, MC_RUNS, MC_SEED, Report, edits_list};
use crate::report::answers;
use crate::scenario::units::{format_quantity, group_thousands};
use crate::workshop::pack::Part;
use crate::workshop::session::slug;
use rust_decimal::Decimal;
use std::fmt::Write;
use std::path::PathBuf;

/// Make text safe inside Markdown: no raw HTML (`<`, `>` become entities), no table breaks
/// (`|` escaped), and one line (newlines become spaces) when `inline`.
pub fn md_escape(s: &str, inline: bool) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '|' => o.push_str("\\|"),
            '\r' => {}
            '\n' if inline => o.push(' '),
            c => o.push(c),
        }
    }
    o
}

/// One line of free text for a Markdown block: escaped like [`md_escape`], and a leading
/// block marker (`#`, `>`, `-`, `+`, `*`, `=`, `1.`) made literal so it cannot turn the line into
/// a heading, quote or list.
pub fn md_line(line: &str) -> String {
    let e = md_escape(line.trim_end(), true);
    let t = e.trim_start();
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    let numbered = digits > 0 && t[digits..].starts_with(['.', ')']);
    if t.starts_with(['#', '-', '+', '*', '=']) || numbered {
        let indent = e.len() - t.len();
        format!("{}\\{t}", &e[..indent])
    } else {
        e
    }
}

/// Free text as Markdown lines joined by hard line breaks (`\` at the end of a line), each
/// continuation line starting with `prefix`.
pub fn md_lines(text: &str, prefix: &str) -> String {
    let lines: Vec<String> = text.lines().map(md_line).collect();
    lines.join(&format!("\\\n{prefix}"))
}

fn n(x: u64) -> String {
    group_thousands(Decimal::from(x), 0)
}

fn answers_md(o: &mut String, r: &Report) {
    let (Some(session), Some(pack)) = (&r.inputs.session, &r.inputs.pack) else {
        let _ = writeln!(
            o,
            "\n## Answers\n\n_No session: the scenario is reported without answers, with its default parameters._"
        );
        return;
    };
    let _ = writeln!(o, "\n## Answers\n\n{}", session.progress_all(pack));
    let mut part = None;
    let mut section = String::new();
    for row in answers::rows(session, pack) {
        if part != Some(row.part) {
            part = Some(row.part);
            let _ = writeln!(
                o,
                "\n### {}",
                if row.part == Part::Reflect {
                    "Reflect"
                } else {
                    "Discuss"
                }
            );
        }
        if section != row.section_id {
            section = row.section_id.clone();
            let _ = writeln!(o, "\n#### {}", md_escape(&row.section, true));
        }
        let _ = writeln!(o, "\n**{}**", md_escape(&row.question, true));
        if let Some(g) = &row.group {
            let _ = writeln!(o, "\n_Group: {}_", md_escape(g, true));
        }
        if row.answer.trim().is_empty() {
            let _ = writeln!(o, "\n_(not answered)_");
        } else {
            let _ = writeln!(o, "\n> {}", md_lines(row.answer.trim_end(), "> "));
        }
    }
}

fn budget_md(o: &mut String, r: &Report) {
    let s = &r.inputs.scenario;
    let u = s.unit();
    let q = |x| format_quantity(x, u, 1);
    let b = &r.budget;
    let ty = b.target_year;
    let _ = writeln!(
        o,
        "\n## Sector budget {ty}\n\nAfter the session's budget edits ({} units).\n",
        u.short()
    );
    let edits = edits_list(r);
    if edits.is_empty() {
        let _ = writeln!(o, "Budget edits: none.\n");
    } else {
        let _ = writeln!(o, "| edited value | typed |\n|---|---|");
        for (p, v) in &edits {
            let _ = writeln!(o, "| `{}` | {} |", md_escape(p, true), md_escape(v, true));
        }
        let _ = writeln!(o);
    }
    let _ = writeln!(
        o,
        "| sector | scope | BAU | unconditional | conditional | beyond | outside scope | projected |\n|---|---|---:|---:|---:|---:|---:|---:|"
    );
    for sec in &b.sectors {
        if let Some(y) = sec.at(ty) {
            let m = &y.mitigation;
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                md_escape(&sec.id, true),
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
        "\n- Covered BAU {ty}: {}; projected: {}\n- Unconditional target: {}; mitigation needed: {}",
        q(t.covered_bau),
        q(t.covered_projected),
        q(t.target_unconditional),
        q(t.needed_unconditional)
    );
}

fn simulation_md(o: &mut String, r: &Report) {
    let s = &r.inputs.scenario;
    let u = s.unit();
    let q = |x| format_quantity(x, u, 1);
    let sim = &r.sim;
    let out = &sim.outcome;
    let _ = writeln!(o, "\n## Simulation\n");
    let _ = writeln!(
        o,
        "- Method: {}\n- Protected target: {:?}, {} in {}\n- Maximum transferable: {} ITMOs\n- Transferred in this run: {} ITMOs{}\n- Binding constraint: {}\n- Verdict: {}",
        crate::report::simulation::method_name(sim.plan.method),
        sim.params.protect,
        q(sim.plan.protected_target),
        sim.plan.period.target_year(),
        n(out.max_transferable),
        n(out.transferred),
        match sim.outside_scope_transferred() {
            0 => String::new(),
            x => format!(
                ", of which {} from activities outside the NDC's scope (adjusted against their own categories, not the NDC)",
                n(x)
            ),
        },
        md_escape(&out.binding_text, true),
        if out.meets_target {
            "the protected target is met".to_string()
        } else {
            format!("the protected target is MISSED in {:?}", out.failing_years)
        }
    );
    match &r.mc {
        Some(mc) => {
            let _ = writeln!(
                o,
                "- Uncertainty: {} (Monte Carlo over delivery, {} runs, seed {})",
                crate::report::simulation::study_summary(
                    &mc.result,
                    out.transferred,
                    mc.confidence
                ),
                n(mc.result.runs as u64),
                mc.seed
            );
        }
        None => {
            let _ = writeln!(
                o,
                "- Probability the target holds: not computed (Monte Carlo of {MC_RUNS} runs, seed {MC_SEED}, {:.0} % gave no result)",
                MC_CONFIDENCE * 100.0
            );
        }
    }
    for w in &sim.warnings() {
        let _ = writeln!(o, "- Warning: {}", md_escape(w, true));
    }
    let _ = writeln!(
        o,
        "\n| year | BAU | projected | target | first transferred | CA | emissions balance | meets |\n|---:|---:|---:|---:|---:|---:|---:|---|"
    );
    for y in &out.years {
        let mark = if !y.checked {
            "not checked"
        } else if y.above_indicative {
            "**above**"
        } else if y.meets_target {
            "yes"
        } else {
            "**no**"
        };
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} | {}{} |",
            y.year,
            q(y.bau),
            q(y.projected_emissions),
            y.target.map(q).unwrap_or_else(|| "—".into()),
            n(y.first_transferred),
            q(y.corresponding_adjustment),
            q(y.emissions_balance),
            mark,
            if y.indicative { " (indicative)" } else { "" }
        );
    }
    let _ = writeln!(o, "\n### Emission path\n\n```text\n{}```", r.chart);
}

fn registry_md(o: &mut String, r: &Report) {
    let g = &r.registry;
    let _ = writeln!(o, "\n## Registry\n");
    match &g.journal {
        Some(j) if g.source == "session-journal" => {
            let _ = writeln!(
                o,
                "From the session's registry journal `{}` ({} events).",
                md_escape(j, true),
                n(g.events)
            );
        }
        _ => {
            let _ = writeln!(
                o,
                "From the ledger the simulation wrote ({} events).",
                n(g.events)
            );
        }
    }
    if let Some(note) = &g.note {
        let _ = writeln!(o, "\n_{}_", md_escape(note, true));
    }
    let _ = writeln!(
        o,
        "\n| issued | authorized (ITMO) | first transferred | retired | used towards an NDC | cancelled |\n|---:|---:|---:|---:|---:|---:|\n| {} | {} | {} | {} | {} | {} |",
        n(g.issued),
        n(g.authorized),
        n(g.first_transferred),
        n(g.retired),
        n(g.used),
        n(g.cancelled)
    );
    let _ = writeln!(o, "\n### Retirements and uses by beneficiary\n");
    if g.beneficiaries.is_empty() {
        let _ = writeln!(o, "None.");
    } else {
        let _ = writeln!(
            o,
            "| kind | beneficiary | id | country | purpose | units |\n|---|---|---|---|---|---:|"
        );
        for b in &g.beneficiaries {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} |",
                b.kind,
                md_escape(&b.name, true),
                md_escape(&b.id, true),
                md_escape(&b.country, true),
                md_escape(&b.purpose, true),
                n(b.units)
            );
        }
    }
    let _ = writeln!(o, "\n### Holdings by account and vintage\n");
    if g.holdings.is_empty() {
        let _ = writeln!(o, "None.");
    } else {
        let _ = writeln!(
            o,
            "| account | owner | party | type | vintage | units |\n|---|---|---|---|---:|---:|"
        );
        for h in &g.holdings {
            let _ = writeln!(
                o,
                "| `{}` | {} | {} | {} | {} | {} |",
                md_escape(&h.account, true),
                md_escape(&h.owner, true),
                md_escape(&h.party, true),
                h.kind,
                h.vintage,
                n(h.units)
            );
        }
    }
}

fn params_rows(r: &Report) -> Vec<(String, String)> {
    match serde_json::to_value(&r.inputs.params) {
        Ok(serde_json::Value::Object(m)) => m
            .into_iter()
            .map(|(k, v)| {
                let v = match v {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                (k, v)
            })
            .collect(),
        _ => vec![],
    }
}

fn provenance_md(o: &mut String, r: &Report) {
    let s = &r.inputs.scenario;
    let _ = writeln!(o, "\n## Provenance\n");
    let _ = writeln!(
        o,
        "- Scenario: `{}` — {}\n- Scenario file hash (SHA-256): `{}`",
        s.id(),
        md_escape(s.title(), true),
        r.inputs.source_hash
    );
    if let Some(sess) = &r.inputs.session {
        let _ = writeln!(
            o,
            "- Scenario source: `{}`; hash recorded in the session: `{}`",
            md_escape(&sess.scenario.source, true),
            sess.scenario.source_hash
        );
    }
    let _ = writeln!(
        o,
        "- Illustrative: {}",
        if s.file.scenario.illustrative {
            "yes — some figures are invented for teaching"
        } else {
            "no"
        }
    );
    match &r.inputs.pack {
        Some(p) => {
            let _ = writeln!(
                o,
                "- Question pack: `{}` version {}",
                md_escape(&p.pack.id, true),
                md_escape(&p.pack.version, true)
            );
        }
        None => {
            let _ = writeln!(o, "- Question pack: none (no session)");
        }
    }
    let _ = writeln!(
        o,
        "- Tool: ndc-workbench {}\n- Monte Carlo: {MC_RUNS} runs, seed {MC_SEED}, confidence {:.0} %",
        env!("CARGO_PKG_VERSION"),
        MC_CONFIDENCE * 100.0
    );
    for note in &r.inputs.notes {
        let _ = writeln!(o, "- Note: {}", md_escape(note, true));
    }
    if !s.file.sources.is_empty() {
        let _ = writeln!(o, "\nSources:\n");
        for src in &s.file.sources {
            let _ = writeln!(
                o,
                "- {} — <{}>",
                md_escape(&src.title, true),
                src.url.replace(['<', '>', ' '], "")
            );
        }
    }
    let _ = writeln!(
        o,
        "\nSimulation parameters:\n\n| parameter | value |\n|---|---|"
    );
    for (k, v) in params_rows(r) {
        let _ = writeln!(o, "| {k} | {} |", md_escape(&v, true));
    }
}

/// The Markdown report.
pub fn markdown(r: &Report) -> String {
    let s = &r.inputs.scenario;
    let mut o = String::new();
    let _ = writeln!(o, "# Session report — {}\n", md_escape(s.title(), true));
    match &r.inputs.session {
        Some(sess) => {
            let _ = writeln!(o, "- Participant: {}", md_escape(&sess.participant, true));
        }
        None => {
            let _ = writeln!(o, "- Participant: none (scenario report)");
        }
    }
    let _ = writeln!(
        o,
        "- Scenario: `{}`{}",
        s.id(),
        if s.file.scenario.illustrative {
            " (ILLUSTRATIVE: some figures are invented for teaching)"
        } else {
            ""
        }
    );
    answers_md(&mut o, r);
    budget_md(&mut o, r);
    simulation_md(&mut o, r);
    registry_md(&mut o, r);
    provenance_md(&mut o, r);
    o
}

/// One CSV table (header + rows), every cell through `report::csv_cell`.
fn table(header: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(vec![]);
    let _ = w.write_record(header);
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| crate::report::csv_cell(c)).collect();
        let _ = w.write_record(&cells);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn kv(rows: Vec<(&str, String)>) -> String {
    table(
        &["key", "value"],
        rows.into_iter()
            .map(|(k, v)| vec![k.to_string(), v])
            .collect(),
    )
}

/// The CSV files of a report: (file name, contents), one per table.
pub fn csv_files(r: &Report) -> Result<Vec<(String, String)>, csv::Error> {
    let s = &r.inputs.scenario;
    let mut files = vec![];
    if let (Some(sess), Some(pack)) = (&r.inputs.session, &r.inputs.pack) {
        files.push(("answers.csv".into(), answers::to_csv(sess, pack, s)?));
    }
    files.push((
        "budget-edits.csv".into(),
        table(
            &["path", "value"],
            edits_list(r).into_iter().map(|(p, v)| vec![p, v]).collect(),
        ),
    ));
    files.push(("budget.csv".into(), crate::report::budget_csv(&r.budget)));
    files.push((
        "simulation-years.csv".into(),
        crate::report::simulation::csv(&r.sim),
    ));
    let o = &r.sim.outcome;
    let mut sim = vec![
        (
            "method",
            crate::report::simulation::method_name(r.sim.plan.method).to_string(),
        ),
        (
            "protect",
            format!("{:?}", r.sim.params.protect).to_lowercase(),
        ),
        ("protected_target_t", super::d(r.sim.plan.protected_target)),
        ("max_transferable", o.max_transferable.to_string()),
        ("transferred", o.transferred.to_string()),
        ("binding_constraint", o.binding.as_str().to_string()),
        ("binding_text", o.binding_text.clone()),
        ("meets_target", o.meets_target.to_string()),
    ];
    if let Some(mc) = &r.mc {
        sim.push((
            "probability_meets_target",
            mc.result.probability_meets_target.to_string(),
        ));
        sim.push(("max_at_confidence", mc.result.max_at_confidence.to_string()));
        sim.push((
            "probability_without_transfers",
            mc.result.probability_without_transfers.to_string(),
        ));
        sim.push(("runs", mc.result.runs.to_string()));
        sim.push(("seed", mc.seed.to_string()));
        sim.push(("confidence", mc.confidence.to_string()));
    }
    files.push(("simulation-summary.csv".into(), kv(sim)));
    let g = &r.registry;
    files.push((
        "registry-summary.csv".into(),
        kv(vec![
            ("source", g.source.to_string()),
            ("journal", g.journal.clone().unwrap_or_default()),
            ("note", g.note.clone().unwrap_or_default()),
            ("events", g.events.to_string()),
            ("issued", g.issued.to_string()),
            ("authorized", g.authorized.to_string()),
            ("first_transferred", g.first_transferred.to_string()),
            ("retired", g.retired.to_string()),
            ("used", g.used.to_string()),
            ("cancelled", g.cancelled.to_string()),
        ]),
    ));
    files.push((
        "registry-beneficiaries.csv".into(),
        table(
            &["kind", "name", "id", "country", "purpose", "units"],
            g.beneficiaries
                .iter()
                .map(|b| {
                    vec![
                        b.kind.to_string(),
                        b.name.clone(),
                        b.id.clone(),
                        b.country.clone(),
                        b.purpose.clone(),
                        b.units.to_string(),
                    ]
                })
                .collect(),
        ),
    ));
    files.push((
        "registry-holdings.csv".into(),
        table(
            &["account", "owner", "party", "type", "vintage", "units"],
            g.holdings
                .iter()
                .map(|h| {
                    vec![
                        h.account.clone(),
                        h.owner.clone(),
                        h.party.clone(),
                        h.kind.to_string(),
                        h.vintage.to_string(),
                        h.units.to_string(),
                    ]
                })
                .collect(),
        ),
    ));
    let mut prov = vec![
        ("scenario_id", s.id().to_string()),
        ("scenario_title", s.title().to_string()),
        ("source_hash", r.inputs.source_hash.clone()),
        ("illustrative", s.file.scenario.illustrative.to_string()),
        ("tool_version", env!("CARGO_PKG_VERSION").to_string()),
        (
            "pack",
            r.inputs
                .pack
                .as_ref()
                .map(|p| format!("{} {}", p.pack.id, p.pack.version))
                .unwrap_or_default(),
        ),
        ("mc_runs", MC_RUNS.to_string()),
        ("mc_seed", MC_SEED.to_string()),
        ("mc_confidence", MC_CONFIDENCE.to_string()),
    ];
    if let Some(sess) = &r.inputs.session {
        prov.push(("participant", sess.participant.clone()));
        prov.push(("session_source_hash", sess.scenario.source_hash.clone()));
    }
    let params = params_rows(r);
    for (k, v) in &params {
        prov.push((k.as_str(), v.clone()));
    }
    for note in &r.inputs.notes {
        prov.push(("note", note.clone()));
    }
    for src in &s.file.sources {
        prov.push(("source", format!("{} — {}", src.title, src.url)));
    }
    files.push(("provenance.csv".into(), kv(prov)));
    Ok(files)
}

/// `./report-<scenario>-<participant>` (or `./report-<scenario>` without a session).
pub fn default_out_dir(r: &Report) -> PathBuf {
    let id = r.inputs.scenario.id();
    match &r.inputs.session {
        Some(s) => PathBuf::from(format!("report-{id}-{}", slug(&s.participant))),
        None => PathBuf::from(format!("report-{id}")),
    }
}
