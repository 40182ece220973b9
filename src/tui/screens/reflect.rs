//! Reflect and Discuss: the pack's questions by section with answered marks and progress, the
//! scenario facts each question needs (right top) and the answer editor (right bottom).
//!
//! The facts panel is [`facts_panel`], a pure function of (scenario, question): enrich it there
//! (crediting tail, MO budget, readiness) when those modules land.
//!
//! The question list, facts and (read-only) answer panes are drawn through `cells.rs`, keyed by
//! their paragraph (text, selection, scroll, styles) and area; the answer editor is rendered
//! every frame (its drawing depends on the editor's own viewport state).

use super::wrap;
use crate::scenario::Scenario;
use crate::simulate::Simulation;
use crate::tui::app::{Action, App};
use crate::tui::cells;
use crate::tui::hits::Target;
use crate::tui::keymap::{self, Cmd, Ctx};
use crate::tui::strings as S;
use crate::tui::ui::pane;
use crate::workshop::facts::{self, FactBlock};
use crate::workshop::pack::{FactKey, Part, Question};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// Reflect's and Discuss's own keys (outside the editor).
pub fn handle_key(app: &App, key: &KeyEvent) -> Option<Action> {
    if app.screen == crate::tui::app::Screen::Discuss
        && let Some(Cmd::Group) = keymap::lookup(Ctx::Discuss, key)
    {
        return Some(Action::TagGroup);
    }
    match keymap::lookup(Ctx::Questions, key)? {
        Cmd::Open => Some(Action::Activate),
        Cmd::PageUp => Some(Action::Move(crate::tui::app::Move::PageUp)),
        Cmd::PageDown => Some(Action::Move(crate::tui::app::Move::PageDown)),
        _ => None,
    }
}

/// The facts shown beside a question: one block per fact key the question names. Readiness
/// shows the readiness assessment; the crediting tail a live mini-simulation (see
/// [`crediting_tail`]) when a simulation is at hand.
pub fn facts_panel(scenario: &Scenario, question: &Question) -> Vec<FactBlock> {
    facts_panel_with(scenario, question, None, None)
}

/// [`facts_panel`] with the current simulation and the activity selected on Budget.
pub fn facts_panel_with(
    scenario: &Scenario,
    question: &Question,
    sim: Option<&Simulation>,
    activity: Option<&str>,
) -> Vec<FactBlock> {
    question
        .facts
        .iter()
        .map(|k| match k {
            FactKey::Readiness => FactBlock {
                title: "Readiness".into(),
                lines: crate::readiness::fact_lines(scenario),
            },
            FactKey::CreditingTail => {
                let mut b = facts::facts(scenario, *k);
                if let Some(sim) = sim {
                    b.lines.extend(crediting_tail(scenario, sim, activity));
                }
                b
            }
            _ => facts::facts(scenario, *k),
        })
        .collect()
}

/// The crediting-period tail of one activity under the simulation: per year its mitigation,
/// the corresponding adjustment for its first-transferred units (the scenario's method) and
/// what stays with the host (`accounting::host_benefit`). `activity` is the one selected on
/// Budget; else the first activity with first transfers; else the first authorized one.
pub fn crediting_tail(s: &Scenario, sim: &Simulation, activity: Option<&str>) -> Vec<String> {
    use crate::accounting::{UnitSeries, YearSeries};
    let pick = activity
        .and_then(|id| s.activity(id))
        .or_else(|| {
            sim.plan
                .transfers
                .first()
                .and_then(|t| s.activity(&t.activity))
        })
        .or_else(|| s.file.activities.iter().find(|a| a.authorization.is_some()))
        .or_else(|| s.file.activities.first());
    let Some(a) = pick else {
        return vec![];
    };
    let (p0, p1) = s.period();
    let mitigation: YearSeries = (p0..=p1).map(|y| (y, s.mitigation(a, y))).collect();
    let mut ft = UnitSeries::new();
    for t in sim.plan.transfers.iter().filter(|t| t.activity == a.id) {
        *ft.entry(t.vintage).or_default() += t.units;
    }
    let rows = match crate::accounting::host_benefit(
        &sim.plan.period,
        sim.plan.method,
        &mitigation,
        &ft,
    ) {
        Ok(r) => r,
        Err(e) => return vec![format!("mini-simulation for {}: {e}", a.id)],
    };
    let q = |d: rust_decimal::Decimal| crate::scenario::units::format_quantity(d, s.unit(), 1);
    let mut out = vec![
        format!(
            "Live mini-simulation: {} (crediting {}–{}), {} method",
            a.name,
            a.crediting[0],
            a.crediting[1],
            crate::report::simulation::method_name(sim.plan.method)
        ),
        "year: mitigation / CA / host benefit".into(),
    ];
    for r in rows {
        let credited = r.year >= a.crediting[0] && r.year <= a.crediting[1];
        out.push(format!(
            "{}: {} / {} / {}{}",
            r.year,
            q(r.mitigation),
            q(r.corresponding_adjustment),
            q(r.host_benefit),
            if credited {
                ""
            } else {
                "  (not credited: tail)"
            }
        ));
    }
    out.push(crate::accounting::crediting_tail_answer(sim.plan.method));
    out
}

/// Draw Reflect or Discuss.
pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let Some(part) = app.screen.part() else {
        return;
    };
    let title = if part == Part::Reflect {
        S::REFLECT_TITLE
    } else {
        S::DISCUSS_TITLE
    };
    let Some(w) = &app.work else {
        super::no_scenario(frame, area, app, title);
        return;
    };
    let t = &app.theme;
    let view = app.questions_view(part);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(42), Constraint::Percentage(58)]).areas(area);

    // Left: questions by section.
    let progress = w.session.progress(&w.pack, part);
    let block = pane(format!("{title} — {progress}"), !view.editing, app);
    let inner = block.inner(left);
    let text_w = (inner.width as usize).saturating_sub(4);
    let mut lines: Vec<Line> = vec![];
    let mut sel_range = (0, 0);
    let mut rows: Vec<(usize, usize, usize)> = vec![]; // (question, first line, end line)
    let mut section = "";
    for (i, (sec, q)) in w.questions(part).into_iter().enumerate() {
        if sec.id != section {
            section = &sec.id;
            if !lines.is_empty() {
                lines.push(Line::raw(""));
            }
            for l in wrap(&sec.title, inner.width as usize, 2) {
                lines.push(Line::styled(l, t.section()));
            }
        }
        let answered = w.session.is_answered(&q.id);
        let mark = if answered { "✓" } else { "·" };
        let selected = i == view.selected;
        let start = lines.len();
        for (j, l) in wrap(&q.text, text_w, 2).into_iter().enumerate() {
            let lead = if j == 0 {
                format!("{}{mark} ", if selected { "›" } else { " " })
            } else {
                "   ".to_string()
            };
            let line = if selected {
                Line::from(vec![
                    Span::styled(lead, t.selected()),
                    Span::styled(format!("{l:<text_w$}"), t.selected()),
                ])
            } else {
                Line::from(vec![
                    Span::styled(lead, if answered { t.answered() } else { t.dim() }),
                    Span::raw(l),
                ])
            };
            lines.push(line);
        }
        if selected {
            sel_range = (start, lines.len());
        }
        rows.push((i, start, lines.len()));
    }
    let h = inner.height as usize;
    let offset = sel_range.1.saturating_sub(h);
    let offset = if sel_range.0 < offset {
        sel_range.0
    } else {
        offset
    };
    for (q, start, end) in rows {
        for line in start.max(offset)..end {
            app.hits.row(inner, line - offset, Target::Question(q));
        }
    }
    cells::paragraph(
        frame,
        "questions.list",
        left,
        Paragraph::new(lines)
            .block(block)
            .scroll((u16::try_from(offset).unwrap_or(0), 0)),
    );

    // Right: facts (top) and answer (bottom).
    let Some((_, q)) = app.selected_question(part) else {
        return;
    };
    let split = if view.editing {
        [Constraint::Percentage(40), Constraint::Percentage(60)]
    } else {
        [Constraint::Percentage(55), Constraint::Percentage(45)]
    };
    let [top, bottom] = Layout::vertical(split).areas(right);
    app.hits.add(bottom, Target::Answer);
    let fw = (top.width as usize).saturating_sub(2);
    let mut f: Vec<Line> = wrap(&q.text, fw, usize::MAX)
        .into_iter()
        .map(|l| Line::styled(l, t.title()))
        .collect();
    let hanging = |f: &mut Vec<Line>, first: &str, rest: &str, text: &str| {
        // Wrapped to the wider indent, so continuation lines are not cut at the border.
        let indent = first.chars().count().max(rest.chars().count());
        for (i, l) in wrap(text, fw.saturating_sub(indent), usize::MAX)
            .into_iter()
            .enumerate()
        {
            f.push(Line::raw(format!(
                "{}{l}",
                if i == 0 { first } else { rest }
            )));
        }
    };
    for p in &q.prompts {
        hanging(&mut f, "• ", "  ", p);
    }
    let (scen, sim) = match &app.derived {
        Some(d) => (&*d.scenario, d.sim.as_ref().ok().map(|s| &**s)),
        None => (&w.scenario, None),
    };
    let selected_activity = app.budget.drilled.and_then(|i| {
        super::budget::activity_ids(scen, app.budget.sector)
            .get(i)
            .cloned()
    });
    for b in facts_panel_with(scen, q, sim, selected_activity.as_deref()) {
        f.push(Line::raw(""));
        f.push(Line::styled(b.title, t.section()));
        for l in b.lines {
            hanging(&mut f, "  ", "    ", &l);
        }
    }
    let rows = top.height.saturating_sub(2);
    let max_scroll = u16::try_from(f.len())
        .unwrap_or(u16::MAX)
        .saturating_sub(rows);
    app.hits
        .facts
        .set(Some(crate::tui::hits::FactsPage { rows, max_scroll }));
    let fp = Paragraph::new(f)
        .scroll((view.facts_scroll.min(max_scroll), 0))
        .block(pane(
            if max_scroll > view.facts_scroll {
                format!("{} (PgDn: more)", S::FACTS_TITLE)
            } else if view.facts_scroll > 0 && max_scroll > 0 {
                format!("{} (PgUp: back)", S::FACTS_TITLE)
            } else {
                S::FACTS_TITLE.to_string()
            },
            false,
            app,
        ));
    cells::paragraph(frame, "questions.facts", top, fp);

    let group = w
        .session
        .group(&q.id)
        .map(|g| format!(" — group: {g}"))
        .unwrap_or_default();
    if view.editing {
        let block = pane(format!("{}{group}", S::ANSWER_EDITING), true, app);
        let inner = block.inner(bottom);
        frame.render_widget(block, bottom);
        frame.render_widget(&view.editor, inner);
    } else {
        let text = w.session.answer_text(&q.id);
        let body = if text.trim().is_empty() {
            Paragraph::new(Line::styled(S::ANSWER_EMPTY, t.dim()))
        } else {
            Paragraph::new(text.to_string())
        };
        cells::paragraph(
            frame,
            "questions.answer",
            bottom,
            body.wrap(Wrap { trim: false }).block(pane(
                format!("{}{group}", S::ANSWER_TITLE),
                false,
                app,
            )),
        );
    }
}
