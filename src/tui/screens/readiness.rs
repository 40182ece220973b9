//! Readiness: the party's Article 6 readiness stage (bar and the rule), gaps for the next stage,
//! milestones, agreements and NMAs (`readiness::report::scenario_text`), and the 6.2 / 6.4 / 6.8
//! comparison as a page of its own (`a`).
//!
//! The long text panes are drawn through `cells.rs`, keyed by their paragraph (text, scroll,
//! styles) and area.

use crate::readiness::{self, ARTICLE6_COMPARISON, ARTICLE6_TABLE, STAGE_RULE};
use crate::tui::app::{Action, App};
use crate::tui::cells;
use crate::tui::keymap::{self, Cmd, Ctx};
use crate::tui::strings as S;
use crate::tui::ui::pane;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

/// Readiness's own keys.
pub fn handle_key(_app: &App, key: &KeyEvent) -> Option<Action> {
    match keymap::lookup(Ctx::Readiness, key)? {
        Cmd::View => Some(Action::NextView),
        _ => None,
    }
}

/// Draw Readiness.
pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let Some(d) = &app.derived else {
        super::no_scenario(frame, area, app, S::READINESS_TITLE);
        return;
    };
    let t = &app.theme;
    let s = &d.scenario;
    let v = app.readiness;
    if v.comparison {
        let w = area.width.saturating_sub(2) as usize;
        // The side-by-side table only where its widest line fits; else one block per kind.
        let table_w = ARTICLE6_COMPARISON
            .lines()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0);
        let lines: Vec<Line> = if w >= table_w {
            ARTICLE6_COMPARISON.lines().map(Line::raw).collect()
        } else {
            // Narrow: one block per kind of cooperation.
            let [head, rows @ ..] = &ARTICLE6_TABLE;
            let mut out = vec![];
            for col in 1..4 {
                if col > 1 {
                    out.push(Line::raw(""));
                }
                out.push(Line::styled(head[col].to_string(), t.section()));
                for r in rows {
                    let text = format!("{}: {}", r[0], r[col]);
                    for (i, l) in super::wrap(&text, w.saturating_sub(4), 6)
                        .into_iter()
                        .enumerate()
                    {
                        out.push(Line::raw(format!(
                            "{}{l}",
                            if i == 0 { "  " } else { "    " }
                        )));
                    }
                }
            }
            out
        };
        cells::paragraph(
            frame,
            "readiness.compare",
            area,
            Paragraph::new(lines).scroll((v.scroll, 0)).block(pane(
                "Article 6.2 / 6.4 / 6.8 compared (a or Esc: back; ↓↑ scroll)",
                true,
                app,
            )),
        );
        return;
    }
    let a = readiness::assess_scenario(s);
    let [top, rest] = Layout::vertical([Constraint::Length(4), Constraint::Min(1)]).areas(area);
    let next = match a.stage.next() {
        Some(n) => format!(
            "Next: {} — {} gap{} to close (below)",
            n.label(),
            a.gaps.len(),
            if a.gaps.len() == 1 { "" } else { "s" }
        ),
        None => "The last stage: transfers are happening.".to_string(),
    };
    frame.render_widget(
        Paragraph::new(vec![
            Line::styled(
                format!(
                    "{}  stage {} of 4: {}",
                    readiness::report::stage_bar(a.stage),
                    a.stage.number(),
                    a.stage.label()
                ),
                t.title(),
            ),
            Line::raw(next),
        ])
        .wrap(Wrap { trim: true })
        .block(pane(
            format!(
                "{} — {} (a: 6.2/6.4/6.8 compared)",
                S::READINESS_TITLE,
                s.file.party.name
            ),
            false,
            app,
        )),
        top,
    );
    let mut lines: Vec<Line> = vec![];
    for l in readiness::report::scenario_text(s, false).lines() {
        let is_head =
            !l.is_empty() && l == l.to_uppercase() && l.chars().any(|c| c.is_alphabetic());
        lines.push(if is_head {
            Line::styled(l.to_string(), t.section())
        } else {
            Line::raw(l.to_string())
        });
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("THE STAGE RULE", t.section()));
    lines.extend(STAGE_RULE.lines().map(|l| Line::raw(l.to_string())));
    cells::paragraph(
        frame,
        "readiness.text",
        rest,
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((v.scroll, 0))
            .block(pane(
                "Gaps, milestones, agreements, NMAs (↓↑ PgDn scroll)",
                true,
                app,
            )),
    );
}
