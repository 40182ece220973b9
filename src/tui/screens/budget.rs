//! Budget: the sectors of the scenario (BAU at the target year, NDC scope, activities, expected
//! MOs at the target year); Enter shows a sector's activities with their details.
//!
//! The rows come from [`sector_rows`] and [`activity_rows`], pure functions of the scenario.
//! When the budget module lands, fill the extra columns (contribution, MOs needed, MOs beyond)
//! there and add editing/MACC as new `Action`s handled in `app::update_budget`.

use crate::scenario::Scenario;
use crate::scenario::schema::Activity;
use crate::scenario::units::format_quantity;
use crate::tui::app::{Action, App};
use crate::tui::keymap::{self, Cmd, Ctx};
use crate::tui::strings as S;
use crate::tui::ui::pane;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState, Wrap};

/// Budget's own keys.
pub fn handle_key(app: &App, key: &KeyEvent) -> Option<Action> {
    let ctx = if app.budget.drilled.is_some() {
        Ctx::BudgetActivities
    } else {
        Ctx::Budget
    };
    match keymap::lookup(ctx, key)? {
        Cmd::Open => Some(Action::Activate),
        Cmd::Back => Some(Action::Escape),
        _ => None,
    }
}

/// One sector row of the budget table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectorRow {
    pub name: String,
    pub bau: String,
    pub scope: &'static str,
    pub activities: usize,
    pub expected: String,
}

/// The sectors table at the target year.
pub fn sector_rows(s: &Scenario) -> Vec<SectorRow> {
    let ty = s.target_year();
    s.file
        .sectors
        .iter()
        .map(|sec| {
            let acts: Vec<&Activity> = s
                .file
                .activities
                .iter()
                .filter(|a| a.sector == sec.id)
                .collect();
            let expected: rust_decimal::Decimal = acts.iter().map(|a| s.mitigation(a, ty)).sum();
            SectorRow {
                name: sec.name.clone(),
                bau: s
                    .sector_bau(sec, ty)
                    .map(|v| format_quantity(v, s.unit(), 1))
                    .unwrap_or_else(|| "n/a".into()),
                scope: if sec.in_scope { "in scope" } else { "outside" },
                activities: acts.len(),
                expected: format_quantity(expected, s.unit(), 1),
            }
        })
        .collect()
}

/// The activities of sector `index`, with their detail lines.
pub fn activity_rows(s: &Scenario, index: usize) -> Vec<(Vec<String>, Vec<String>)> {
    let ty = s.target_year();
    let cur = &s.file.scenario.currency;
    let Some(sec) = s.file.sectors.get(index) else {
        return vec![];
    };
    s.file
        .activities
        .iter()
        .filter(|a| a.sector == sec.id)
        .map(|a| {
            let auth = match &a.authorization {
                Some(x) => {
                    let mut t = x.purpose.as_str().to_string();
                    if let Some(p) = &x.acquiring {
                        t.push_str(&format!(" → {p}"));
                    }
                    if let Some(f) = x.first_transfer {
                        t.push_str(&format!(", first transfer at {}", f.as_str()));
                    }
                    t
                }
                None => "not authorized".into(),
            };
            let row = vec![
                a.name.clone(),
                a.mechanism.as_str().into(),
                a.ndc_part.as_str().into(),
                format_quantity(s.mitigation(a, ty), s.unit(), 1),
            ];
            let mut detail = vec![
                format!("category: {}", a.category),
                format!(
                    "mechanism: {}   NDC part: {}",
                    a.mechanism.as_str(),
                    a.ndc_part.as_str()
                ),
                format!("cost: {} {cur}/tCO2e", a.cost_per_t.normalize()),
                format!("crediting: {}–{}", a.crediting[0], a.crediting[1]),
                format!("authorization: {auth}"),
            ];
            if let Some(n) = &a.note {
                detail.push(n.clone());
            }
            (row, detail)
        })
        .collect()
}

/// Width of a table's name column: the longest name (at least the header's 12), but no more
/// than what the other columns (`others`, with spacing) leave in a pane `width` wide.
fn name_w<'a>(names: impl Iterator<Item = &'a str>, width: u16, others: u16) -> u16 {
    let longest = names.map(|n| n.chars().count()).max().unwrap_or(0);
    let room = width.saturating_sub(2 + 2 + others); // borders, highlight symbol
    u16::try_from(longest).unwrap_or(room).max(12).min(room)
}

/// Draw Budget.
pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let Some(w) = &app.work else {
        super::no_scenario(frame, area, app, S::BUDGET_TITLE);
        return;
    };
    let t = &app.theme;
    let s = &w.scenario;
    let ty = s.target_year();
    let [intro, rest] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(area);
    frame.render_widget(
        Paragraph::new(format!(" {}", S::BUDGET_INTRO))
            .style(t.dim())
            .wrap(Wrap { trim: true }),
        intro,
    );
    match app.budget.drilled {
        None => {
            let rows: Vec<Row> = sector_rows(s)
                .into_iter()
                .map(|r| {
                    Row::new(vec![
                        Cell::from(r.name),
                        Cell::from(Line::from(r.bau).right_aligned()),
                        Cell::from(r.scope),
                        Cell::from(Line::from(r.activities.to_string()).right_aligned()),
                        Cell::from(Line::from(r.expected).right_aligned()),
                    ])
                })
                .collect();
            let header = Row::new(vec![
                Cell::from("Sector"),
                Cell::from(Line::from(format!("BAU {ty}")).right_aligned()),
                Cell::from("NDC scope"),
                Cell::from(Line::from("Activities").right_aligned()),
                Cell::from(Line::from(format!("Expected MOs {ty}")).right_aligned()),
            ])
            .style(t.title());
            let table = Table::new(
                rows,
                [
                    Constraint::Length(name_w(
                        s.file.sectors.iter().map(|x| x.name.as_str()),
                        rest.width,
                        14 + 9 + 10 + 17 + 4,
                    )),
                    Constraint::Length(14),
                    Constraint::Length(9),
                    Constraint::Length(10),
                    Constraint::Length(17),
                ],
            )
            .header(header)
            .row_highlight_style(t.selected())
            .highlight_symbol("› ")
            .flex(Flex::Start)
            .block(pane(
                format!("{} — sectors at {ty}", S::BUDGET_TITLE),
                true,
                app,
            ));
            let mut st = TableState::default().with_selected(Some(app.budget.sector));
            frame.render_stateful_widget(table, rest, &mut st);
        }
        Some(sel) => {
            let name = s
                .file
                .sectors
                .get(app.budget.sector)
                .map(|x| x.name.clone())
                .unwrap_or_default();
            let acts = activity_rows(s, app.budget.sector);
            let [top, bottom] =
                Layout::vertical([Constraint::Min(5), Constraint::Length(8)]).areas(rest);
            let rows: Vec<Row> = acts
                .iter()
                .map(|(r, _)| {
                    Row::new(
                        r.iter()
                            .enumerate()
                            .map(|(i, c)| {
                                if i == 3 {
                                    Cell::from(Line::from(c.clone()).right_aligned())
                                } else {
                                    Cell::from(c.clone())
                                }
                            })
                            .collect::<Vec<_>>(),
                    )
                })
                .collect();
            let header = Row::new(vec![
                Cell::from("Activity"),
                Cell::from("Mech."),
                Cell::from("NDC part"),
                Cell::from(Line::from(format!("MOs {ty}/yr")).right_aligned()),
            ])
            .style(t.title());
            let title = format!(
                "{} › {name} — {} {}",
                S::BUDGET_TITLE,
                acts.len(),
                if acts.len() == 1 {
                    "activity"
                } else {
                    "activities"
                }
            );
            let table = Table::new(
                rows,
                [
                    Constraint::Length(name_w(
                        acts.iter().map(|(r, _)| r[0].as_str()),
                        top.width,
                        8 + 13 + 14 + 3,
                    )),
                    Constraint::Length(8),
                    Constraint::Length(13),
                    Constraint::Length(14),
                ],
            )
            .header(header)
            .row_highlight_style(t.selected())
            .highlight_symbol("› ")
            .flex(Flex::Start)
            .block(pane(title, true, app));
            let mut st = TableState::default().with_selected(Some(sel));
            frame.render_stateful_widget(table, top, &mut st);
            let detail: Vec<Line> = match acts.get(sel) {
                Some((_, d)) => d.iter().map(|l| Line::raw(l.clone())).collect(),
                None => vec![Line::styled("No activities in this sector.", t.dim())],
            };
            frame.render_widget(
                Paragraph::new(detail)
                    .wrap(Wrap { trim: true })
                    .block(pane("Activity", false, app)),
                bottom,
            );
        }
    }
}
