//! Budget: the mitigation-outcome budget per sector (from `budget::build` on the scenario with
//! the session's edits), a sector's activities with their editable fields, and the MACC view.
//!
//! Rows are pure functions of the (edited) scenario and its budget; editing goes through
//! `Popup::BudgetEdit`, checked with `workshop::edits::check` as typed (see `update2.rs`).

use crate::accounting::MaccThreshold;
use crate::budget::Budget;
use crate::scenario::Scenario;
use crate::scenario::units::{format_quantity, group_thousands};
use crate::tui::app::{Action, App};
use crate::tui::hits::Target;
use crate::tui::keymap::{self, Cmd, Ctx};
use crate::tui::strings as S;
use crate::tui::ui::pane;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Flex, Layout, Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState, Wrap};
use rust_decimal::Decimal;

/// The editable fields of an activity: (field name in the scenario file, label).
pub const FIELDS: [(&str, &str); 6] = [
    ("cost_per_t", "cost per tCO2e"),
    ("mitigation", "mitigation by year"),
    ("uncertainty", "uncertainty (share)"),
    ("crediting", "crediting period"),
    ("ndc_part", "NDC part"),
    ("mechanism", "mechanism"),
];

/// Budget's own keys.
pub fn handle_key(app: &App, key: &KeyEvent) -> Option<Action> {
    let ctxs: &[Ctx] = if app.budget.drilled.is_some() {
        &[Ctx::BudgetActivities, Ctx::BudgetAll]
    } else if app.budget.macc {
        &[Ctx::BudgetMacc]
    } else {
        &[Ctx::Budget, Ctx::BudgetAll]
    };
    for &c in ctxs {
        if let Some(cmd) = keymap::lookup(c, key) {
            return match cmd {
                Cmd::Open => Some(Action::Activate),
                Cmd::Back => Some(Action::Escape),
                Cmd::Edit => Some(Action::Edit),
                Cmd::Revert => Some(Action::Revert),
                Cmd::Macc => Some(Action::ToggleMacc),
                Cmd::SaveAs => Some(Action::SaveAsScenario),
                _ => None,
            };
        }
    }
    None
}

/// `activity.<id>.<field>`.
pub fn field_path(id: &str, field: &str) -> String {
    format!("activity.{id}.{field}")
}

/// The sector on row `row` of the sectors table (the budget's order, not the file's).
pub fn sector_at(s: &Scenario, row: usize) -> Option<&crate::scenario::schema::Sector> {
    let i = *crate::budget::sector_order(s).get(row)?;
    s.file.sectors.get(i)
}

/// Ids of the activities of the sector on row `row` of the sectors table, in file order.
pub fn activity_ids(s: &Scenario, row: usize) -> Vec<String> {
    let Some(sec) = sector_at(s, row) else {
        return vec![];
    };
    s.file
        .activities
        .iter()
        .filter(|a| a.sector == sec.id)
        .map(|a| a.id.clone())
        .collect()
}

/// The value of an editable path in the scenario, written as one would type it.
pub fn field_text(s: &Scenario, path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split('.').collect();
    match parts.as_slice() {
        ["activity", id, f] => {
            let a = s.activity(id)?;
            Some(match *f {
                "cost_per_t" => a.cost_per_t.normalize().to_string(),
                "mitigation" => a.mitigation.to_inline_table(),
                "uncertainty" => a.uncertainty.normalize().to_string(),
                "crediting" => format!("[{}, {}]", a.crediting[0], a.crediting[1]),
                "ndc_part" => a.ndc_part.as_str().to_string(),
                "mechanism" => a.mechanism.as_str().to_string(),
                _ => return None,
            })
        }
        ["sector", id, "bau"] => {
            let sec = s.file.sectors.iter().find(|x| x.id == *id)?;
            Some(
                sec.bau
                    .as_ref()
                    .map(|b| b.to_inline_table())
                    .unwrap_or_default(),
            )
        }
        _ => None,
    }
}

/// One sector row of the budget table (figures in the scenario's unit, at the target year).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectorRow {
    pub name: String,
    pub bau: String,
    pub scope: &'static str,
    pub unconditional: String,
    pub conditional: String,
    pub beyond: String,
    pub outside: String,
    pub expected: String,
}

fn num(s: &Scenario, t: Decimal) -> String {
    group_thousands(s.unit().from_tonnes(t), 1)
}

/// The sectors table at the target year, and the totals row.
pub fn sector_rows(s: &Scenario, b: &Budget) -> Vec<SectorRow> {
    let ty = b.target_year;
    let mut rows: Vec<SectorRow> = b
        .sectors
        .iter()
        .map(|sec| {
            let y = sec.at(ty);
            let m = y.map(|y| y.mitigation).unwrap_or_default();
            SectorRow {
                name: sec.name.clone(),
                bau: y.map(|y| num(s, y.bau)).unwrap_or_else(|| "n/a".into()),
                scope: if sec.in_scope { "in" } else { "out" },
                unconditional: num(s, m.unconditional),
                conditional: num(s, m.conditional),
                beyond: num(s, m.beyond),
                outside: num(s, m.outside_scope),
                expected: num(s, m.total()),
            }
        })
        .collect();
    let t = b.target();
    let m = &t.mitigation;
    rows.push(SectorRow {
        name: "Total".into(),
        bau: num(s, t.covered_bau + t.outside_bau),
        scope: "",
        unconditional: num(s, m.unconditional),
        conditional: num(s, m.conditional),
        beyond: num(s, m.beyond),
        outside: num(s, m.outside_scope),
        expected: num(s, m.total()),
    });
    rows
}

/// The lines under the sectors table: what the NDC needs and the in-scope MOs above that need
/// (a surplus; not the "Beyond" column, which is activities in neither plan).
pub fn totals_lines(s: &Scenario, b: &Budget) -> Vec<String> {
    let t = b.target();
    let q = |x: Decimal| format_quantity(x, s.unit(), 1);
    // The surplus of in-scope MOs over the need, or by how much they fall short of it.
    let surplus = |b: Decimal, what: &str| {
        if b < Decimal::ZERO {
            format!("the in-scope activities fall {} short", q(-b))
        } else {
            format!("{what} {}", q(b))
        }
    };
    let mut v = vec![format!(
        "At {}: MOs needed for the unconditional target {}; {}",
        t.year,
        q(t.needed_unconditional),
        surplus(t.beyond_unconditional, "in-scope MOs above that need")
    )];
    if let (Some(n), Some(bc)) = (t.needed_conditional, t.beyond_conditional) {
        v.push(format!(
            "With the conditional target: needed {}; {}",
            q(n),
            surplus(bc, "above that need")
        ));
    }
    v
}

/// The MACC lines: one per activity, cheapest first, with a bar of cumulative abatement.
pub fn macc_lines(s: &Scenario, b: &Budget, bar_w: usize) -> (Vec<String>, Vec<bool>, String) {
    let m = &b.macc;
    let cur = &s.file.scenario.currency;
    let top = m
        .steps
        .last()
        .map(|x| x.cumulative)
        .unwrap_or_default()
        .max(m.needed)
        .max(Decimal::ONE);
    let cols = |x: Decimal| -> usize {
        use rust_decimal::prelude::ToPrimitive;
        ((x / top) * Decimal::from(bar_w as u64))
            .round()
            .to_usize()
            .unwrap_or(0)
            .min(bar_w)
    };
    let need_col = cols(m.needed);
    let mut lines = vec![];
    let mut needed = vec![];
    for st in &m.steps {
        let filled = cols(st.cumulative);
        let mut bar: String = (0..bar_w)
            .map(|i| if i < filled { '█' } else { ' ' })
            .collect();
        if need_col > 0 && need_col <= bar_w {
            let mut c: Vec<char> = bar.chars().collect();
            c[need_col - 1] = '│';
            bar = c.into_iter().collect();
        }
        lines.push(format!(
            "{:<18} {:>7} {:>10} {:>11} {} {}",
            super::ellipsize(&st.activity, 18),
            st.cost_per_t.round_dp(2).normalize(),
            num(s, st.abatement),
            num(s, st.cumulative),
            if st.needed { "needed" } else { "      " },
            bar
        ));
        needed.push(st.needed);
    }
    let p = match &m.threshold {
        Some(MaccThreshold::Threshold {
            price,
            measures_needed,
            required_abatement,
        }) => format!(
            "p* = {} {cur}/tCO2e: the {measures_needed} cheapest measure(s) give the {} the unconditional target needs; selling them would be selling low-hanging fruit",
            price.round_dp(2).normalize(),
            format_quantity(*required_abatement, s.unit(), 1)
        ),
        Some(MaccThreshold::NoMeasureNeeded) => {
            "p*: no measure is needed for the unconditional target (every measure may be authorized)".into()
        }
        Some(MaccThreshold::Indeterminate { shortfall }) => format!(
            "p* is indeterminate: all measures together fall {} short of the unconditional target, so every one is needed",
            format_quantity(*shortfall, s.unit(), 1)
        ),
        None => "p* cannot be computed for this scenario".into(),
    };
    (lines, needed, p)
}

fn edited_count(app: &App) -> usize {
    app.work
        .as_ref()
        .map(|w| w.session.budget_edits.len())
        .unwrap_or(0)
}

/// Width of a table's name column: the longest name (at least `min`), within what the other
/// columns leave.
fn name_w<'a>(names: impl Iterator<Item = &'a str>, width: u16, others: u16, min: u16) -> u16 {
    let longest = names.map(|n| n.chars().count()).max().unwrap_or(0);
    let room = width.saturating_sub(2 + 2 + others);
    u16::try_from(longest).unwrap_or(room).max(min).min(room)
}

/// Draw Budget.
pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let (Some(w), Some(d)) = (&app.work, &app.derived) else {
        super::no_scenario(frame, area, app, S::BUDGET_TITLE);
        return;
    };
    let _ = w;
    let t = &app.theme;
    let s = &d.scenario;
    let b = &d.budget;
    let ty = b.target_year;
    let n_edits = edited_count(app);
    let mut status: Vec<Span> = vec![];
    if n_edits > 0 {
        status.push(Span::styled(
            format!(" EDITED ({n_edits}) "),
            t.illustrative(),
        ));
        status.push(Span::raw(" "));
    }
    if let Some(e) = &d.edits_error {
        status.push(Span::styled(format!("edits not applied: {e}"), t.error()));
    } else {
        status.push(Span::styled(S::BUDGET_INTRO, t.dim()));
    }
    let [intro, rest] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(area);
    frame.render_widget(
        Paragraph::new(Line::from(status)).wrap(Wrap { trim: true }),
        intro,
    );
    let unit = s.unit().short();
    if app.budget.macc && app.budget.drilled.is_none() {
        let bar_w = (rest.width as usize)
            .saturating_sub(2 + 18 + 7 + 10 + 11 + 6 + 5)
            .max(4);
        let (lines, needed, p) = macc_lines(s, b, bar_w);
        let cur_t = format!("{}/t", s.file.scenario.currency);
        let mos_ty = format!("MOs {ty}");
        let mut out = vec![Line::styled(
            format!(
                "{:<18} {:>7} {:>10} {:>11} {:6} │ = {} needed",
                "Activity (by cost)",
                cur_t,
                mos_ty,
                "cumulative",
                "",
                num(s, b.macc.needed)
            ),
            t.title(),
        )];
        for (l, n) in lines.into_iter().zip(needed) {
            out.push(if n {
                Line::styled(l, t.base())
            } else {
                Line::styled(l, t.answered())
            });
        }
        out.push(Line::raw(""));
        out.push(Line::styled(p, t.section()));
        out.push(Line::styled(
            "\"needed\" marks the measures the unconditional target needs (cost ≤ p*).",
            t.dim(),
        ));
        frame.render_widget(
            Paragraph::new(out).wrap(Wrap { trim: false }).block(pane(
                format!("{} — MACC at {ty} (m: table)", S::BUDGET_TITLE),
                true,
                app,
            )),
            rest,
        );
        return;
    }
    match app.budget.drilled {
        None => {
            let rows_data = sector_rows(s, b);
            // Numbers are never cut: each column is as wide as its widest figure (the sector
            // names give way first), so an edited BAU of 10^12 kt shows whole.
            let base: u16 = if rest.width >= 100 { 10 } else { 8 };
            let col = |f: fn(&SectorRow) -> &String| {
                rows_data
                    .iter()
                    .map(|r| f(r).chars().count())
                    .max()
                    .and_then(|w| u16::try_from(w).ok())
                    .unwrap_or(0)
                    .max(base)
            };
            let widths = [
                col(|r| &r.bau),
                col(|r| &r.unconditional),
                col(|r| &r.conditional),
                col(|r| &r.beyond),
                col(|r| &r.outside),
                col(|r| &r.expected),
            ];
            let num_w: u16 = widths.iter().sum();
            let nw = name_w(
                s.file.sectors.iter().map(|x| x.name.as_str()),
                rest.width,
                num_w + 3 + 7,
                8,
            );
            let last = rows_data.len().saturating_sub(1);
            let rows: Vec<Row> = rows_data
                .into_iter()
                .enumerate()
                .map(|(i, r)| {
                    let right = |x: String| Cell::from(Line::from(x).right_aligned());
                    let row = Row::new(vec![
                        Cell::from(super::ellipsize(&r.name, usize::from(nw))),
                        right(r.bau),
                        Cell::from(r.scope),
                        right(r.unconditional),
                        right(r.conditional),
                        right(r.beyond),
                        right(r.outside),
                        right(r.expected),
                    ]);
                    if i == last { row.style(t.title()) } else { row }
                })
                .collect();
            let right = |x: String| Cell::from(Line::from(x).right_aligned());
            let header = Row::new(vec![
                Cell::from("Sector"),
                right(format!("BAU {ty}")),
                Cell::from("NDC"),
                right("Uncond.".into()),
                right("Cond.".into()),
                right("Beyond".into()),
                right("Outside".into()),
                right("Expected".into()),
            ])
            .style(t.title());
            let table = Table::new(
                rows,
                [
                    Constraint::Length(nw),
                    Constraint::Length(widths[0]),
                    Constraint::Length(3),
                    Constraint::Length(widths[1]),
                    Constraint::Length(widths[2]),
                    Constraint::Length(widths[3]),
                    Constraint::Length(widths[4]),
                    Constraint::Length(widths[5]),
                ],
            )
            .header(header)
            .row_highlight_style(t.selected())
            .highlight_symbol("› ")
            .flex(Flex::Start)
            .block(pane(
                format!("{} — sectors at {ty}, MOs in {unit}", S::BUDGET_TITLE),
                true,
                app,
            ));
            let tl = totals_lines(s, b);
            let [top, bottom] = Layout::vertical([
                Constraint::Min(4),
                Constraint::Length(u16::try_from(tl.len()).unwrap_or(2) + 2),
            ])
            .areas(rest);
            let mut st = TableState::default().with_selected(Some(app.budget.sector));
            frame.render_stateful_widget(table, top, &mut st);
            table_hits(app, top, st.offset(), s.file.sectors.len(), Target::Sector);
            frame.render_widget(
                Paragraph::new(tl.into_iter().map(Line::raw).collect::<Vec<_>>())
                    .wrap(Wrap { trim: true })
                    .block(pane("What the NDC needs", false, app)),
                bottom,
            );
        }
        Some(sel) => draw_activities(frame, rest, app, s, sel),
    }
}

/// Record the visible rows of a bordered table with a one-line header drawn in `area`.
fn table_hits(app: &App, area: Rect, offset: usize, n: usize, target: fn(usize) -> Target) {
    let inner = area.inner(Margin::new(1, 1));
    for i in offset..n {
        app.hits.row(inner, i - offset + 1, target(i));
    }
}

fn draw_activities(frame: &mut Frame, rest: Rect, app: &App, s: &Scenario, sel: usize) {
    let t = &app.theme;
    let ty = s.target_year();
    let cur = &s.file.scenario.currency;
    let name = sector_at(s, app.budget.sector)
        .map(|x| x.name.clone())
        .unwrap_or_default();
    let ids = activity_ids(s, app.budget.sector);
    let edits = app.work.as_ref().map(|w| &w.session.budget_edits);
    let is_edited = |id: &str| {
        edits.is_some_and(|e| {
            FIELDS
                .iter()
                .any(|(f, _)| e.contains_key(&field_path(id, f)))
        })
    };
    // The MOs column as wide as its widest figure: a number is never cut.
    let mos_w = ids
        .iter()
        .filter_map(|id| s.activity(id))
        .map(|a| num(s, s.mitigation(a, ty)).chars().count())
        .max()
        .and_then(|w| u16::try_from(w).ok())
        .unwrap_or(0)
        .max(10);
    let nw = name_w(
        ids.iter()
            .filter_map(|id| s.activity(id))
            .map(|a| a.name.as_str()),
        rest.width,
        8 + 14 + mos_w + 8 + 4,
        12,
    ) + 2;
    let rows: Vec<Row> = ids
        .iter()
        .filter_map(|id| s.activity(id))
        .map(|a| {
            Row::new(vec![
                Cell::from(super::ellipsize(
                    &format!("{}{}", if is_edited(&a.id) { "* " } else { "" }, a.name),
                    usize::from(nw),
                )),
                Cell::from(a.mechanism.as_str()),
                Cell::from(a.ndc_part.as_str()),
                Cell::from(Line::from(num(s, s.mitigation(a, ty))).right_aligned()),
                Cell::from(
                    Line::from(a.cost_per_t.round_dp(2).normalize().to_string()).right_aligned(),
                ),
            ])
        })
        .collect();
    let header = Row::new(vec![
        Cell::from("Activity"),
        Cell::from("Mech."),
        Cell::from("NDC part"),
        Cell::from(Line::from(format!("MOs {ty}")).right_aligned()),
        Cell::from(Line::from(format!("{cur}/t")).right_aligned()),
    ])
    .style(t.title());
    let title = format!(
        "{} › {name} — {} {} ({}; * edited)",
        S::BUDGET_TITLE,
        ids.len(),
        if ids.len() == 1 {
            "activity"
        } else {
            "activities"
        },
        s.unit().short()
    );
    let table = Table::new(
        rows,
        [
            Constraint::Length(nw),
            Constraint::Length(8),
            Constraint::Length(14),
            Constraint::Length(mos_w),
            Constraint::Length(8),
        ],
    )
    .header(header)
    .row_highlight_style(t.selected())
    .highlight_symbol("› ")
    .flex(Flex::Start)
    .block(pane(title, true, app));
    // The table as tall as its rows (at least 4), the fields below it.
    let table_h = u16::try_from(ids.len() + 3)
        .unwrap_or(u16::MAX)
        .max(4)
        .min(rest.height.saturating_sub(10).max(4));
    let [top, bottom] =
        Layout::vertical([Constraint::Length(table_h), Constraint::Min(10)]).areas(rest);
    let mut st = TableState::default().with_selected(Some(sel));
    frame.render_stateful_widget(table, top, &mut st);
    table_hits(app, top, st.offset(), ids.len(), Target::Activity);
    let Some(a) = ids.get(sel).and_then(|id| s.activity(id)) else {
        frame.render_widget(
            Paragraph::new(Line::styled("No activities in this sector.", t.dim()))
                .block(pane("Activity", false, app)),
            bottom,
        );
        return;
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{} ", a.category), t.dim()),
        Span::raw(match &a.authorization {
            Some(x) => format!("authorized for {}", x.purpose.as_str()),
            None => "not authorized".into(),
        }),
    ])];
    let fields_inner = bottom.inner(Margin::new(1, 1));
    for (i, (f, label)) in FIELDS.iter().enumerate() {
        app.hits.row(fields_inner, i + 1, Target::Field(i));
        let path = field_path(&a.id, f);
        let value = field_text(s, &path).unwrap_or_default();
        let edited = edits.is_some_and(|e| e.contains_key(&path));
        let selected = i == app.budget.field;
        let text = format!(
            "{}{:<20} {}{}",
            if selected { "› " } else { "  " },
            label,
            value,
            if edited { "  (edited; x reverts)" } else { "" }
        );
        lines.push(if selected {
            Line::styled(text, t.selected())
        } else {
            Line::raw(text)
        });
    }
    frame.render_widget(
        Paragraph::new(lines).block(pane(format!("{} — ←→ field, e edit", a.id), false, app)),
        bottom,
    );
}
