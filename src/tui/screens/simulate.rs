//! Simulate: the parameter panel, the result in plain words (maximum transferable, binding
//! constraint, target met), the chart, the per-year table, the uncertainty study and the
//! comparison with another CA method.
//!
//! Reads `app.derived` (recomputed by `update` on every parameter change); draws only. The
//! chart and the panes are drawn through `cells.rs`: the chart's cells are kept per
//! [`ChartKey`] (series, years, unit, area, theme), a pane's per paragraph and area, so a frame
//! that shows the same simulation at the same size copies them instead of laying them out.

use crate::scenario::Scenario;
use crate::scenario::units::group_thousands;
use crate::simulate::{Simulation, YearRow};
use crate::tui::app::{Action, App, StudyResult};
use crate::tui::cells;
use crate::tui::derived::ca_method_name;
use crate::tui::hits::Target;
use crate::tui::keymap::{self, Cmd, Ctx};
use crate::tui::params::{Param, value_text};
use crate::tui::strings as S;
use crate::tui::ui::{pane, pane_in};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph, Wrap};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// Simulate's own keys.
pub fn handle_key(app: &App, key: &KeyEvent) -> Option<Action> {
    let cmd =
        keymap::lookup(Ctx::Simulate, key).or_else(|| keymap::lookup(Ctx::SimulateSmall, key));
    Some(match cmd? {
        Cmd::Inc => Action::Adjust(1),
        Cmd::Dec => Action::Adjust(-1),
        Cmd::Open => Action::Activate,
        Cmd::Study => Action::RunStudy,
        Cmd::Compare => Action::Compare,
        Cmd::Pane if app.hits.sim_panes.get() => Action::TogglePane,
        _ => return None,
    })
}

/// A tonnes figure in the scenario's unit: one decimal for Mt (a 0.5 Mt CA must not read as 0).
fn n(s: &Scenario, t: Decimal) -> String {
    let dp = if s.unit() == crate::scenario::QuantityUnit::Mt {
        1
    } else {
        0
    };
    group_thousands(s.unit().from_tonnes(t), dp)
}

fn units(u: u64) -> String {
    group_thousands(Decimal::from(u), 0)
}

/// ✓ met, ✗ missed, ! above an indicative trajectory (a warning), · not checked (readable
/// without colour).
pub fn mark(y: &YearRow) -> &'static str {
    if !y.checked {
        "·"
    } else if y.above_indicative {
        "!"
    } else if y.meets_target {
        "✓"
    } else {
        "✗"
    }
}

/// The headline lines: maximum, transferred, binding constraint, verdict.
pub fn summary_lines(s: &Scenario, sim: &Simulation) -> Vec<String> {
    let o = &sim.outcome;
    let mut v = vec![
        format!(
            "Maximum transferable: {} ITMOs   (transferred here: {})",
            units(o.max_transferable),
            units(o.transferred)
        ),
        format!("Binding constraint: {}", o.binding_text),
        if o.meets_target {
            format!(
                "✓ The NDC target holds ({} method)",
                ca_method_name(sim.plan.method)
            )
        } else {
            format!(
                "✗ The NDC target is missed in {} ({} method)",
                o.failing_years
                    .iter()
                    .map(|y| y.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                ca_method_name(sim.plan.method)
            )
        },
    ];
    let outside = sim.outside_scope_transferred();
    if outside > 0 {
        v.insert(
            1,
            format!(
                "  of which {} from activities outside the NDC's scope (not adjusted against the NDC)",
                units(outside)
            ),
        );
    }
    if let Some(need) = sim.plan.itmos_needed {
        v.push(format!(
            "As an acquiring party it needs {} ITMOs to meet its target",
            units(need)
        ));
    }
    v.extend(sim.warnings().into_iter().map(|w| format!("! {w}")));
    let _ = s;
    v
}

fn study_line(app: &App) -> Option<Line<'static>> {
    let t = &app.theme;
    if let Some(job) = &app.simulate.study {
        let done = job.progress.done.load(std::sync::atomic::Ordering::Relaxed);
        return Some(Line::styled(
            format!(
                "Uncertainty study running: {} / {} runs … Esc cancels",
                units(done as u64),
                units(job.params.runs as u64)
            ),
            t.info(),
        ));
    }
    match &app.simulate.result {
        Some(StudyResult::Done {
            result,
            volume,
            confidence,
            seed,
        }) => Some(Line::styled(
            format!(
                "{} ({} runs, seed {seed})",
                crate::report::simulation::study_summary(result, *volume, *confidence),
                units(result.runs as u64)
            ),
            t.section(),
        )),
        Some(StudyResult::Cancelled { done, runs }) => Some(Line::styled(
            format!(
                "Uncertainty study cancelled after {} of {} runs (u: run again)",
                units(*done as u64),
                units(*runs as u64)
            ),
            t.dim(),
        )),
        None => None,
    }
}

fn f(s: &Scenario, t: Decimal) -> f64 {
    s.unit().from_tonnes(t).to_f64().unwrap_or(0.0)
}

/// The chart's series: (legend name, legend mark, marker, colour).
const SERIES: [(&str, &str, Marker, Color); 4] = [
    ("BAU", "•", Marker::Dot, Color::Gray),
    ("target", "█", Marker::Bar, Color::Yellow),
    ("projected", "⣀", Marker::Braille, Color::Cyan),
    ("balance (after CA)", "▀", Marker::HalfBlock, Color::Green),
];

/// Everything the chart's drawing reads: the area, the four series, the years it spans, the unit,
/// the compact title (small terminals) and the theme. The chart's cells are cached per key (see
/// `cells.rs`), so a new simulation, a resize or a theme change draws it afresh.
#[derive(PartialEq)]
struct ChartKey {
    area: Rect,
    series: [Vec<(f64, f64)>; 4],
    years: (f64, f64),
    unit: &'static str,
    compact: bool,
    theme: crate::tui::theme::Theme,
}

/// The chart of BAU, target/trajectory, projected emissions and the emissions balance. The
/// y axis starts at 0, below it when a series is negative (a net sink; then a dotted zero line
/// shows where the sink begins), or just below the smallest value when every value is above
/// half the largest. The legend is a line in the bottom border (a legend box
/// would hide the lines it names). `compact`: the title names the `t` switch (small terminals).
fn draw_chart(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    s: &Scenario,
    sim: &Simulation,
    compact: bool,
) {
    let ys = &sim.outcome.years;
    let pts = |g: &dyn Fn(&YearRow) -> Option<Decimal>| -> Vec<(f64, f64)> {
        ys.iter()
            .filter_map(|y| g(y).map(|v| (f64::from(y.year), f(s, v))))
            .collect()
    };
    let key = ChartKey {
        area: area.intersection(frame.area()),
        series: [
            pts(&|y| Some(y.bau)),
            pts(&|y| y.target),
            pts(&|y| Some(y.projected_emissions)),
            pts(&|y| Some(y.emissions_balance)),
        ],
        years: (
            ys.first().map(|y| f64::from(y.year)).unwrap_or(0.0),
            ys.last().map(|y| f64::from(y.year)).unwrap_or(1.0),
        ),
        unit: s.unit().short(),
        compact,
        theme: app.theme,
    };
    crate::tui::cells::draw(frame, "simulate.chart", key, chart_cells);
}

/// The chart's cells for a [`ChartKey`].
fn chart_cells(k: &ChartKey) -> ratatui::buffer::Buffer {
    use ratatui::widgets::Widget;
    let series = &k.series;
    let (lo, hi) = series
        .iter()
        .flatten()
        .fold((0.0f64, 0.0f64), |(a, b), p| (a.min(p.1), b.max(p.1)));
    let hi = if hi <= lo { lo + 1.0 } else { hi };
    // The smallest value drawn: when every series stays well above zero (a large emitter whose
    // lines differ by a few percent), the axis starts just below it so the gap between
    // projection and target can be seen; the labels name the real values.
    let min = series
        .iter()
        .flatten()
        .map(|p| p.1)
        .fold(f64::INFINITY, f64::min);
    let lo = if min.is_finite() && min > hi * 0.5 {
        min
    } else {
        lo
    };
    let pad = (hi - lo) * 0.05;
    let (y0, y1) = (
        if lo < 0.0 || (lo > 0.0 && lo > hi * 0.5) {
            lo - pad
        } else {
            0.0
        },
        if hi > 0.0 { hi + pad } else { 0.0 },
    );
    let (x0, x1) = k.years;
    let nc = k.theme.no_color;
    let style = |c: Color| {
        if nc { Style::new() } else { Style::new().fg(c) }
    };
    let zero = [(x0, 0.0), (x1, 0.0)];
    let mut datasets: Vec<Dataset> = vec![];
    if lo < 0.0 {
        datasets.push(
            Dataset::default()
                .data(&zero)
                .marker(Marker::Braille)
                .graph_type(GraphType::Line)
                .style(style(Color::DarkGray)),
        );
    }
    for ((_, _, m, c), data) in SERIES.iter().zip(series) {
        let d = Dataset::default()
            .data(data)
            .marker(*m)
            .graph_type(GraphType::Line)
            .style(style(*c));
        datasets.push(d);
    }
    let ylab = |v: f64| {
        Span::raw(group_thousands(
            Decimal::from_f64_retain(v).unwrap_or_default().round(),
            0,
        ))
    };
    let unit = k.unit;
    let mut block = pane_in(
        if k.compact {
            format!("Emissions, {unit} CO2e, <0 net sink (t: table)")
        } else {
            format!("Emissions, {unit} CO2e (below 0: net sink)")
        },
        false,
        &k.theme,
    );
    // The legend is one line in the bottom border: a legend box would hide the lines it
    // names.
    let mut legend: Vec<Span> = vec![Span::raw(" ")];
    for (name, mark, _, c) in SERIES {
        legend.push(Span::styled(mark, style(c)));
        legend.push(Span::raw(format!(
            "{} ",
            name.trim_end_matches(" (after CA)")
        )));
    }
    legend.push(Span::raw("after CA "));
    block = block.title_bottom(Line::from(legend));
    // Labels are spread evenly, so they name the values at the bottom, middle and top; the
    // dotted line marks zero.
    let y_labels = vec![ylab(y0), ylab((y0 + y1) / 2.0), ylab(y1)];
    let chart = Chart::new(datasets)
        .block(block)
        .x_axis(
            Axis::default()
                .bounds([x0, x1])
                .labels(vec![Span::raw(format!("{x0}")), Span::raw(format!("{x1}"))]),
        )
        .y_axis(Axis::default().bounds([y0, y1]).labels(y_labels))
        .legend_position(None);
    let mut buf = crate::tui::cells::blank(k.area);
    chart.render(k.area, &mut buf);
    buf
}

fn year_table(s: &Scenario, sim: &Simulation) -> Vec<String> {
    let cells: Vec<[String; 5]> = sim
        .outcome
        .years
        .iter()
        .map(|y| {
            [
                n(s, y.projected_emissions),
                y.target.map(|t| n(s, t)).unwrap_or_else(|| "–".into()),
                n(s, Decimal::from(y.first_transferred)),
                n(s, y.corresponding_adjustment),
                n(s, y.emissions_balance),
            ]
        })
        .collect();
    let w = cells
        .iter()
        .flat_map(|c| c.iter().map(|x| x.chars().count()))
        .max()
        .unwrap_or(0)
        .max(7);
    let mut v = vec![format!(
        "year   {:>w$} {:>w$} {:>w$} {:>w$} {:>w$}",
        "proj.", "target", "1st tr", "CA", "balance"
    )];
    for (y, c) in sim.outcome.years.iter().zip(cells) {
        v.push(format!(
            "{:>4} {} {:>w$} {:>w$} {:>w$} {:>w$} {:>w$}",
            y.year,
            mark(y),
            c[0],
            c[1],
            c[2],
            c[3],
            c[4]
        ));
    }
    v
}

fn compare_table(s: &Scenario, a: &Simulation, b: &Simulation) -> Vec<String> {
    let (ma, mb) = (ca_method_name(a.plan.method), ca_method_name(b.plan.method));
    type Row<'a> = (i32, &'a str, [String; 2], &'a str, [String; 2]);
    let rows: Vec<Row> = a
        .outcome
        .years
        .iter()
        .zip(&b.outcome.years)
        .map(|(x, y)| {
            (
                x.year,
                mark(x),
                [n(s, x.corresponding_adjustment), n(s, x.emissions_balance)],
                mark(y),
                [n(s, y.corresponding_adjustment), n(s, y.emissions_balance)],
            )
        })
        .collect();
    let w = rows
        .iter()
        .flat_map(|r| r.2.iter().chain(r.4.iter()).map(|x| x.chars().count()))
        .max()
        .unwrap_or(0)
        .max(7);
    let half = w * 2 + 3;
    let verdict = |o: &crate::simulate::Outcome| {
        if o.meets_target {
            format!("✓ meets the target; maximum {}", units(o.max_transferable))
        } else {
            format!(
                "✗ misses it in {:?}; maximum {}",
                o.failing_years,
                units(o.max_transferable)
            )
        }
    };
    // The verdicts come first: on a small terminal the table's last years are what gets cut.
    let mut v = vec![
        format!(
            "Same {} ITMOs under two methods",
            units(a.outcome.transferred)
        ),
        format!("{ma}: {}", verdict(&a.outcome)),
        format!("{mb}: {}", verdict(&b.outcome)),
        format!("year {:<half$} | {mb}", ma),
        format!(
            "       {:>w$} {:>w$} |   {:>w$} {:>w$}",
            "CA", "balance", "CA", "balance"
        ),
    ];
    for r in rows {
        v.push(format!(
            "{:>4} {} {:>w$} {:>w$} | {} {:>w$} {:>w$}",
            r.0, r.1, r.2[0], r.2[1], r.3, r.4[0], r.4[1]
        ));
    }
    v
}

/// Draw Simulate.
pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let Some(d) = &app.derived else {
        super::no_scenario(frame, area, app, S::SIMULATE_TITLE);
        return;
    };
    let t = &app.theme;
    let s = &d.scenario;
    // Summary (top, full width)
    let mut head: Vec<Line> = vec![];
    match &d.sim {
        Ok(sim) => {
            for (i, l) in summary_lines(s, sim).into_iter().enumerate() {
                head.push(if i == 0 {
                    Line::styled(l, t.title())
                } else if l.starts_with('✗') || l.starts_with('!') {
                    Line::styled(l, t.error())
                } else {
                    Line::raw(l)
                });
            }
        }
        Err(e) => head.push(Line::styled(
            format!("The simulation cannot run with these parameters: {e}"),
            t.error(),
        )),
    }
    if let Some(l) = study_line(app) {
        head.push(l);
    }
    let inner_w = area.width.saturating_sub(2) as usize;
    let head_h: usize = head
        .iter()
        .map(|l| l.width().div_ceil(inner_w.max(1)).max(1))
        .sum();
    let [top, rest] = Layout::vertical([
        Constraint::Length(u16::try_from(head_h).unwrap_or(4) + 2),
        Constraint::Min(1),
    ])
    .areas(area);
    cells::paragraph(
        frame,
        "simulate.head",
        top,
        Paragraph::new(head).wrap(Wrap { trim: true }).block(pane(
            format!(
                "{} — {} ({})",
                S::SIMULATE_TITLE,
                s.file.party.name,
                s.unit().short()
            ),
            false,
            app,
        )),
    );
    // Parameters (left) and results (right).
    let pw = if area.width >= 110 { 36 } else { 28 };
    let [left, right] =
        Layout::horizontal([Constraint::Length(pw), Constraint::Min(10)]).areas(rest);
    let lw = (pw as usize).saturating_sub(4);
    let plines: Vec<Line> = Param::ALL
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let v = value_text(&d.params, *p);
            let label_w = lw.saturating_sub(v.chars().count() + 1);
            let label: String = p.label().chars().take(label_w).collect();
            let text = format!("{label:<label_w$} {v}");
            if i == app.simulate.sel {
                Line::styled(format!("›{text}"), t.selected())
            } else {
                Line::raw(format!(" {text}"))
            }
        })
        .collect();
    let sel = app.simulate.sel.min(Param::ALL.len() - 1);
    let inner_h = left.height.saturating_sub(2) as usize;
    let scroll = (sel + 1).saturating_sub(inner_h);
    let block = pane("Parameters (←→ change)", true, app);
    let inner = block.inner(left);
    for i in scroll..Param::ALL.len() {
        app.hits.row(inner, i - scroll, Target::Param(i));
    }
    cells::paragraph(
        frame,
        "simulate.params",
        left,
        Paragraph::new(plines)
            .scroll((u16::try_from(scroll).unwrap_or(0), 0))
            .block(block),
    );
    let Ok(sim) = &d.sim else {
        frame.render_widget(
            Paragraph::new(
                "Change the parameter the message names (↑↓ choose, ←→ change on the left).",
            )
            .wrap(Wrap { trim: true })
            .block(pane("Results", false, app)),
            right,
        );
        return;
    };
    let (mut table, title) = match &d.compare {
        Some(Ok(b)) => (compare_table(s, sim, b), "Method comparison".to_string()),
        Some(Err(e)) => (
            vec![format!("The other method cannot run: {e}")],
            "Method comparison".to_string(),
        ),
        None => (
            year_table(s, sim),
            "Per year (✓ met, ✗ missed, · not checked)".to_string(),
        ),
    };
    // Chart above table when both fit; otherwise one of them, `t` switches (small terminals).
    let table_h = u16::try_from(table.len()).unwrap_or(12) + 2;
    let both = right.height.saturating_sub(table_h) >= 10;
    app.hits.sim_panes.set(!both);
    let table_area = if both {
        let [c, tb] =
            Layout::vertical([Constraint::Min(10), Constraint::Length(table_h)]).areas(right);
        draw_chart(frame, c, app, s, sim, false);
        tb
    } else if app.simulate.table {
        right
    } else {
        draw_chart(frame, right, app, s, sim, true);
        app.hits.add(right, Target::SimPane);
        return;
    };
    if !both {
        app.hits.add(table_area, Target::SimPane);
    }
    let title = match (both, d.compare.is_some()) {
        (true, _) => title,
        (false, true) => format!("{title} (t: chart)"),
        (false, false) => "Per year (✓ met ✗ missed · not checked) t: chart".to_string(),
    };
    // Lines above the per-year rows: the comparison's title, two verdicts and two header rows;
    // the year table's one header row.
    let header_n = match &d.compare {
        Some(Ok(_)) => 5,
        Some(Err(_)) => table.len(),
        None => 1,
    };
    // When the rows do not fit, the earliest years give way: the target year is the one that
    // matters, and it is the last.
    let avail = usize::from(table_area.height.saturating_sub(2));
    if table.len() > avail && avail > header_n + 1 {
        let keep = avail - header_n - 1;
        let drop = table.len() - header_n - keep;
        table.splice(
            header_n..header_n + drop,
            [format!(
                "  … {drop} earlier years (a taller terminal shows them)"
            )],
        );
    }
    let compared = matches!(d.compare, Some(Ok(_)));
    let lines: Vec<Line> = table
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            if compared && (i == 1 || i == 2) {
                if l.contains('✗') {
                    Line::styled(l, t.error())
                } else {
                    Line::styled(l, t.info())
                }
            } else if i == 0 || (compared && i <= 4) {
                Line::styled(l, t.title())
            } else if l.get(5..).is_some_and(|r| r.starts_with('✗')) || l.contains(" ✗ ") {
                Line::styled(l, t.error())
            } else {
                Line::raw(l)
            }
        })
        .collect();
    cells::paragraph(
        frame,
        "simulate.table",
        table_area,
        Paragraph::new(lines).block(pane(title, false, app)),
    );
}
