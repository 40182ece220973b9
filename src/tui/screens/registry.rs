//! Registry: the ledger the simulation wrote (or the session's sandbox ledger): accounts with
//! holdings by vintage and class, live serial blocks, the explorer log with a serial filter, a
//! unit's life story, and the pack's drills checked against the sandbox.
//!
//! Row builders are pure functions of a `&Ledger`; [`with_ledger`] picks the one shown. The
//! explorer's rows are cached per ledger state and filter ([`explorer_rows`]); the list and
//! drill panes are drawn through `cells.rs`, keyed by their paragraph (rows, selection, styles)
//! and area.

use crate::registry::explorer::ExplorerQuery;
use crate::registry::{AccountKind, Ledger};
use crate::scenario::units::group_thousands;
use crate::tui::app::{Action, App, RegTab};
use crate::tui::cells;
use crate::tui::hits::Target;
use crate::tui::keymap::{self, Cmd, Ctx};
use crate::tui::strings as S;
use crate::tui::ui::pane;
use crate::workshop::pack::{DrillExpect, DrillState};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use rust_decimal::Decimal;
use std::rc::Rc;

/// Registry's own keys.
pub fn handle_key(app: &App, key: &KeyEvent) -> Option<Action> {
    if app.registry.sandbox
        && let Some(Cmd::Form(k)) = keymap::lookup(Ctx::Sandbox, key)
    {
        return Some(Action::OpenForm(k));
    }
    Some(match keymap::lookup(Ctx::Registry, key)? {
        Cmd::View => Action::NextView,
        Cmd::Filter => Action::Filter,
        Cmd::Open => Action::Activate,
        Cmd::Sandbox => Action::ToggleSandbox,
        _ => return None,
    })
}

/// Run `f` on the ledger shown: the sandbox when it is on (and open), else the simulation's.
pub fn with_ledger<R>(app: &App, f: impl FnOnce(&Ledger) -> R) -> Option<R> {
    if app.registry.sandbox {
        let sb = app.sandbox.as_ref()?;
        let g = sb.0.try_borrow().ok()?;
        return Some(f(&g));
    }
    let sim = app.derived.as_ref()?.sim.as_ref().ok()?;
    Some(f(&sim.ledger.ledger))
}

fn u(n: u64) -> String {
    group_thousands(Decimal::from(n), 0)
}

/// Accounts holding units: (id, kind, units, by vintage, by class).
pub fn account_rows(l: &Ledger) -> Vec<[String; 5]> {
    l.balances()
        .into_iter()
        .filter(|b| b.units > 0)
        .map(|b| {
            [
                b.id.clone(),
                b.kind.to_string(),
                u(b.units),
                b.by_vintage
                    .iter()
                    .map(|(v, n)| format!("{v}: {}", u(*n)))
                    .collect::<Vec<_>>()
                    .join("  "),
                b.by_class
                    .iter()
                    .map(|(c, n)| format!("{c} {}", u(*n)))
                    .collect::<Vec<_>>()
                    .join("  "),
            ]
        })
        .collect()
}

/// Live blocks: (serial, account, class, units, first transferred?).
pub fn block_rows(l: &Ledger) -> Vec<(String, String, String, u64, bool)> {
    let st = l.state();
    st.blocks
        .iter()
        .filter(|b| b.live())
        .map(|b| {
            let acc = st
                .accounts
                .get(b.account as usize)
                .map(|a| a.id.clone())
                .unwrap_or_default();
            (
                st.block_serial(b).to_string(),
                acc,
                b.class.as_str().to_string(),
                b.count(),
                b.first_transfer.is_some(),
            )
        })
        .collect()
}

/// One explorer row: (seq, type, short hash, date, summary, first serial).
pub type ExplorerRow = (u64, String, String, String, String, Option<String>);

/// What the explorer cache is keyed by: the ledger's head hash, its event count, the filter.
type ExplorerKey = (String, usize, String);
type ExplorerCache = Option<(ExplorerKey, Rc<Vec<ExplorerRow>>)>;

thread_local! {
    /// The last explorer rows built, keyed by the ledger's head hash, length and the filter:
    /// a frame redraws the same rows until the ledger or the filter changes, so they are built
    /// once, not on every frame (the draw goal is 1 ms at 200×60).
    static EXPLORER_CACHE: std::cell::RefCell<ExplorerCache> =
        const { std::cell::RefCell::new(None) };
}

/// An event type in the explorer's 22-character column: in full when it fits (all but the
/// two longest names do), otherwise cut with an ellipsis so the columns stay aligned.
fn type_cell(name: &str) -> String {
    if name.chars().count() <= 22 {
        return name.to_string();
    }
    let mut s: String = name.chars().take(21).collect();
    s.push('…');
    s
}

/// Explorer rows for the filter, cached per ledger state. A filter that reads as a serial
/// selects by serial; any other text matches type, summary, accounts and serials.
pub fn explorer_rows(l: &Ledger, filter: &str) -> Rc<Vec<ExplorerRow>> {
    let key = (
        l.head_hash().to_string(),
        l.events().len(),
        filter.to_string(),
    );
    if let Some(rows) = EXPLORER_CACHE.with(|c| {
        c.borrow()
            .as_ref()
            .filter(|(k, _)| *k == key)
            .map(|(_, r)| r.clone())
    }) {
        return rows;
    }
    let rows = Rc::new(build_explorer_rows(l, filter));
    EXPLORER_CACHE.with(|c| *c.borrow_mut() = Some((key, rows.clone())));
    rows
}

fn build_explorer_rows(l: &Ledger, filter: &str) -> Vec<ExplorerRow> {
    let f = filter.trim();
    let rows = if f.is_empty() {
        l.explore(&ExplorerQuery::default()).unwrap_or_default()
    } else {
        match l.explore(&ExplorerQuery {
            serial: Some(f.to_string()),
            ..ExplorerQuery::default()
        }) {
            Ok(r) => r,
            Err(_) => {
                let n = f.to_lowercase();
                l.explore(&ExplorerQuery::default())
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|r| {
                        r.kind.to_lowercase().contains(&n)
                            || r.summary.to_lowercase().contains(&n)
                            || r.accounts.iter().any(|a| a.to_lowercase().contains(&n))
                            || r.serials.iter().any(|s| s.to_lowercase().contains(&n))
                    })
                    .collect()
            }
        }
    };
    rows.into_iter()
        .map(|r| {
            (
                r.seq,
                r.kind.clone(),
                r.hash.chars().take(10).collect(),
                r.ts.chars().take(10).collect(),
                if r.summary == r.kind {
                    r.accounts.join(", ")
                } else {
                    r.summary
                },
                r.serials.first().cloned(),
            )
        })
        .collect()
}

/// The life story of a serial, as lines.
pub fn life_lines(l: &Ledger, serial: &str) -> Vec<String> {
    match l.serial_life(serial) {
        Err(e) => vec![format!("cannot read {serial}: {e}")],
        Ok(life) => {
            let mut v = vec![format!("Life of {serial}")];
            for e in &life.events {
                v.push(format!("#{:<5} {:<22} {}", e.seq, e.kind, e.summary));
                if let Some(b) = &e.beneficiary {
                    v.push(format!(
                        "       beneficiary: {} ({}, {}) — {}",
                        b.name, b.id, b.country, b.purpose
                    ));
                }
            }
            v.push(String::new());
            v.push("Now:".into());
            for c in &life.current {
                v.push(format!(
                    "  {} in {} — {} {}{}",
                    c.serial,
                    c.account,
                    c.class,
                    c.status,
                    if c.first_transferred {
                        ", first transferred"
                    } else {
                        ""
                    }
                ));
            }
            if let Some(h) = &life.anchor_hash {
                v.push(format!("Anchoring hash (last event): {h}"));
            }
            v
        }
    }
}

/// How many units of the ledger are in a drill step's state (vintage and beneficiary filters).
pub fn drill_quantity(l: &Ledger, e: &DrillExpect) -> u64 {
    let st = l.state();
    let vin = |v: u16| e.vintage.is_none_or(|x| i32::from(v) == x);
    let kind =
        |b: &crate::registry::state::Block| st.accounts.get(b.account as usize).map(|a| a.kind);
    match e.state {
        DrillState::Issued => st
            .issuances
            .iter()
            .filter(|i| vin(i.vintage) && i.imported_from.is_none())
            .map(|i| i.last - i.first + 1)
            .sum(),
        DrillState::Authorized => st
            .blocks
            .iter()
            .filter(|b| b.live() && vin(b.vintage) && b.class.as_str() == "ITMO")
            .map(|b| b.count())
            .sum(),
        DrillState::FirstTransferred => st
            .blocks
            .iter()
            .filter(|b| b.live() && vin(b.vintage) && b.first_transfer.is_some())
            .map(|b| b.count())
            .sum(),
        DrillState::Retired => st
            .blocks
            .iter()
            .filter(|b| b.live() && vin(b.vintage))
            .filter(|b| match b.terminal.as_deref().map(|t| &*t.kind) {
                Some(crate::registry::event::MoveKind::Retire { beneficiary, .. })
                | Some(crate::registry::event::MoveKind::Use { beneficiary, .. }) => {
                    e.beneficiary.as_ref().is_none_or(|n| {
                        let n = n.to_lowercase();
                        beneficiary.name.to_lowercase().contains(&n)
                            || beneficiary.id.to_lowercase() == n
                    })
                }
                _ => false,
            })
            .map(|b| b.count())
            .sum(),
        DrillState::Cancelled => st
            .blocks
            .iter()
            .filter(|b| b.live() && vin(b.vintage))
            .filter(|b| {
                matches!(
                    kind(b),
                    Some(
                        AccountKind::OmgeCancellation
                            | AccountKind::VoluntaryCancellation
                            | AccountKind::OtherCancellation
                    )
                ) && !matches!(
                    b.terminal.as_deref().map(|t| &*t.kind),
                    Some(crate::registry::event::MoveKind::Retire { .. })
                )
            })
            .map(|b| b.count())
            .sum(),
    }
}

/// Rows in the current view (for moving the selection).
pub fn row_count(app: &App) -> usize {
    let v = &app.registry;
    if v.life.is_some() {
        return 0;
    }
    with_ledger(app, |l| match v.tab {
        RegTab::Accounts => account_rows(l).len(),
        RegTab::Blocks => block_rows(l).len(),
        RegTab::Explorer => explorer_rows(l, &v.filter).len(),
        RegTab::Drills => 0,
    })
    .unwrap_or(0)
}

/// The serial of the selected block or event, for the life story.
pub fn selected_serial(app: &App) -> Option<String> {
    let v = &app.registry;
    with_ledger(app, |l| match v.tab {
        RegTab::Blocks => block_rows(l).get(v.sel).map(|r| r.0.clone()),
        RegTab::Explorer => explorer_rows(l, &v.filter)
            .get(v.sel)
            .and_then(|r| r.5.clone()),
        _ => None,
    })
    .flatten()
}

fn window<T>(rows: Vec<T>, sel: usize, h: usize) -> (usize, Vec<T>) {
    let off = (sel + 1).saturating_sub(h.max(1));
    (off, rows.into_iter().skip(off).take(h).collect())
}

/// The selected row in full, packed into lines of at most `w` columns: items (separated by
/// two spaces) stay whole where they fit, a longer item breaks between words, and a word
/// wider than a line is cut with an ellipsis. It is what a row cut at the pane's edge hides.
/// Empty when the row fits, or when the pane has too little room (`h` list lines) to give it
/// without hiding the rows themselves.
fn detail_lines(full: &str, row_width: usize, w: usize, h: usize) -> Vec<String> {
    if row_width <= w || w < 20 {
        return Vec::new();
    }
    let width = |s: &str| Span::raw(s).width();
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for item in full.split("  ").filter(|i| !i.is_empty()) {
        if !cur.is_empty() && width(&cur) + 2 + width(item) <= w {
            cur.push_str("  ");
            cur.push_str(item);
            continue;
        }
        if !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
        }
        for word in item.split(' ') {
            let word = super::ellipsize(word, w);
            if cur.is_empty() {
                cur = word;
            } else if width(&cur) + 1 + width(&word) <= w {
                cur.push(' ');
                cur.push_str(&word);
            } else {
                lines.push(std::mem::replace(&mut cur, word));
            }
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    // The list keeps at least four rows (and the separator line above the detail).
    if lines.len() + 1 + 4 > h {
        return Vec::new();
    }
    lines
}

/// The rows of the list left beside a detail of `detail` lines and its rule (at least four;
/// `detail_lines` gives none otherwise).
fn list_height(h: usize, detail: &[String]) -> usize {
    if detail.is_empty() {
        h
    } else {
        h - detail.len() - 1
    }
}

/// Put the selected row's detail (see [`detail_lines`]) under the rows, after a rule.
fn push_detail(out: &mut Vec<Line<'static>>, detail: Vec<String>, w: usize, app: &App) {
    if detail.is_empty() {
        return;
    }
    let rule = format!("── selected {}", "─".repeat(w.saturating_sub(12)));
    out.push(Line::styled(rule, app.theme.dim()));
    out.extend(detail.into_iter().map(Line::raw));
}

/// Draw Registry.
pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    if app.work.is_none() {
        super::no_scenario(frame, area, app, S::REGISTRY_TITLE);
        return;
    }
    let t = &app.theme;
    let v = &app.registry;
    let [tabs, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let mut spans = vec![Span::styled(
        if v.sandbox {
            " SANDBOX (your ledger) "
        } else {
            " simulation ledger "
        },
        t.illustrative(),
    )];
    spans.push(Span::raw("  "));
    for tab in RegTab::ALL {
        let x = tabs.x + u16::try_from(Line::from(spans.clone()).width()).unwrap_or(0);
        let w = u16::try_from(tab.title().chars().count() + 2).unwrap_or(0);
        app.hits.add(
            Rect {
                x,
                y: tabs.y,
                width: w.min((tabs.x + tabs.width).saturating_sub(x)),
                height: 1,
            },
            Target::RegView(tab),
        );
        spans.push(Span::styled(
            format!(" {} ", tab.title()),
            if tab == v.tab {
                t.tab_selected()
            } else {
                t.tab()
            },
        ));
    }
    if !v.filter.is_empty() {
        spans.push(Span::raw(format!("  filter: {}", v.filter)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), tabs);

    let mut sandbox_info: Option<Line> = None;
    if v.sandbox
        && let Some((text, refused)) = &v.last
    {
        sandbox_info = Some(if *refused {
            Line::styled(format!("! refused: {text}"), t.error())
        } else {
            Line::styled(text.clone(), t.info())
        });
    }
    let body = match &sandbox_info {
        Some(_) => {
            let [b, info] =
                Layout::vertical([Constraint::Min(1), Constraint::Length(2)]).areas(body);
            if let Some(l) = sandbox_info.clone() {
                frame.render_widget(Paragraph::new(l).wrap(Wrap { trim: true }), info);
            }
            b
        }
        None => body,
    };
    if v.tab == RegTab::Drills {
        draw_drills(frame, body, app);
        return;
    }
    let h = body.height.saturating_sub(3) as usize;
    let w = body.width.saturating_sub(2) as usize;
    let fit = |s: String| -> String { super::ellipsize(&s, w) };
    let drawn = with_ledger(app, |l| {
        if let Some(serial) = &v.life {
            let lines: Vec<Line> = life_lines(l, serial)
                .into_iter()
                .enumerate()
                .map(|(i, s)| {
                    if i == 0 {
                        Line::styled(s, t.title())
                    } else {
                        Line::raw(s)
                    }
                })
                .collect();
            return ("Life story (Esc: back)".to_string(), lines, None);
        }
        match v.tab {
            RegTab::Accounts => {
                let rows = account_rows(l);
                let idw = rows
                    .iter()
                    .map(|r| r[0].chars().count())
                    .max()
                    .unwrap_or(8)
                    .min(w / 3);
                // The class column as wide as its widest entry, so the vintages line up.
                let classw = rows
                    .iter()
                    .map(|r| r[4].chars().count())
                    .max()
                    .unwrap_or(0)
                    .max("by class".len());
                let head = Line::styled(
                    fit(format!(
                        "{:<idw$} {:>11}  {:<classw$}  |  by vintage",
                        "Account", "units", "by class"
                    )),
                    t.title(),
                );
                let row = |r: &[String; 5]| {
                    format!(
                        "{:<idw$} {:>11}  {:<classw$}  |  {}",
                        r[0].chars().take(idw).collect::<String>(),
                        r[2],
                        r[4],
                        r[3]
                    )
                };
                // A row cut at the pane's edge (many vintages) is shown whole under the list.
                let detail = rows.get(v.sel).map_or_else(Vec::new, |r| {
                    let full = format!(
                        "{} ({}): {} units  {}  by vintage:  {}",
                        r[0], r[1], r[2], r[4], r[3]
                    );
                    detail_lines(&full, Span::raw(row(r)).width(), w, h)
                });
                let list_h = list_height(h, &detail);
                let (off, rows) = window(rows, v.sel, list_h);
                let mut out = vec![head];
                for (i, r) in rows.iter().enumerate() {
                    let s = fit(row(r));
                    out.push(if off + i == v.sel {
                        Line::styled(s, t.selected())
                    } else {
                        Line::raw(s)
                    });
                }
                let shown = out.len() - 1;
                if shown == 0 && v.sandbox {
                    // A new sandbox: say how to start instead of showing an empty table.
                    out.push(Line::raw(""));
                    for l in super::wrap(S::SANDBOX_EMPTY, w, usize::MAX) {
                        out.push(Line::styled(l, t.info()));
                    }
                }
                push_detail(&mut out, detail, w, app);
                (
                    "Accounts holding units".to_string(),
                    out,
                    Some((off, shown)),
                )
            }
            RegTab::Blocks => {
                let rows = block_rows(l);
                let n = rows.len();
                let head = Line::styled(
                    fit(format!(
                        "{:<34} {:>9} {:<5} {:<2} account",
                        "serial block", "units", "class", "FT"
                    )),
                    t.title(),
                );
                let (off, rows) = window(rows, v.sel, h);
                let mut out = vec![head];
                for (i, r) in rows.into_iter().enumerate() {
                    let s = fit(format!(
                        "{:<34} {:>9} {:<5} {:<2} {}",
                        r.0,
                        u(r.3),
                        r.2,
                        if r.4 { "ft" } else { "" },
                        r.1
                    ));
                    out.push(if off + i == v.sel {
                        Line::styled(s, t.selected())
                    } else {
                        Line::raw(s)
                    });
                }
                let shown = out.len() - 1;
                (
                    format!("Live blocks ({n}); Enter: life story"),
                    out,
                    Some((off, shown)),
                )
            }
            RegTab::Explorer | RegTab::Drills => {
                let rows = explorer_rows(l, &v.filter);
                let n = rows.len();
                let head = Line::styled(
                    fit(format!(
                        "{:>5} {:<22} {:<10} {:<10} summary",
                        "seq", "type", "hash", "date"
                    )),
                    t.title(),
                );
                let row = |r: &ExplorerRow| {
                    format!(
                        "{:>5} {:<22} {:<10} {:<10} {}",
                        r.0,
                        type_cell(&r.1),
                        r.2,
                        r.3,
                        r.4
                    )
                };
                // A summary cut at the pane's edge is shown whole under the list.
                let detail = rows.get(v.sel).map_or_else(Vec::new, |r| {
                    let full = format!("#{} {} {}: {}", r.0, r.1, r.3, r.4);
                    detail_lines(&full, Span::raw(row(r)).width(), w, h)
                });
                let list_h = list_height(h, &detail);
                let off = (v.sel + 1).saturating_sub(list_h.max(1));
                let mut out = vec![head];
                for (i, r) in rows.iter().skip(off).take(list_h).enumerate() {
                    let s = fit(row(r));
                    out.push(if off + i == v.sel {
                        Line::styled(s, t.selected())
                    } else {
                        Line::raw(s)
                    });
                }
                let shown = out.len() - 1;
                push_detail(&mut out, detail, w, app);
                (
                    format!(
                        "Explorer: {n} event{} (/ filter, Enter: life story)",
                        if n == 1 { "" } else { "s" }
                    ),
                    out,
                    Some((off, shown)),
                )
            }
        }
    });
    if let Some((_, _, Some((off, n)))) = &drawn {
        let inner = body.inner(Margin::new(1, 1));
        for i in 0..*n {
            app.hits.row(inner, i + 1, Target::RegRow(off + i));
        }
    }
    let (title, lines, _) = drawn.unwrap_or_else(|| {
        (
            S::REGISTRY_TITLE.to_string(),
            vec![Line::styled(
                if v.sandbox {
                    "The sandbox ledger is not open yet."
                } else {
                    "No simulation ledger: the simulation cannot run with these parameters (see Simulate)."
                },
                t.dim(),
            )],
            None,
        )
    });
    cells::paragraph(
        frame,
        "registry.list",
        body,
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(pane(title, true, app)),
    );
}

fn draw_drills(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let Some(w) = &app.work else { return };
    let mut lines: Vec<Line> = vec![];
    if w.pack.drills.is_empty() {
        lines.push(Line::styled("This question pack has no drills.", t.dim()));
    }
    let inner = area.inner(Margin::new(1, 1));
    for (i, d) in w.pack.drills.iter().enumerate() {
        app.hits.row(inner, lines.len(), Target::Drill(i));
        let sel = i == app.registry.drill;
        lines.push(if sel {
            Line::styled(format!("› {}", d.title), t.selected())
        } else {
            Line::raw(format!("  {}", d.title))
        });
    }
    if let Some(d) = w.pack.drills.get(app.registry.drill) {
        lines.push(Line::raw(""));
        let width = (area.width as usize).saturating_sub(2);
        if let Some(intro) = &d.intro {
            for l in super::wrap(intro, width, 4) {
                lines.push(Line::styled(l, t.dim()));
            }
        }
        if !app.registry.sandbox {
            for l in super::wrap(
                "Drills are checked against your sandbox ledger: press s to switch to it, then use the action keys (i a t r c).",
                width,
                3,
            ) {
                lines.push(Line::styled(l, t.section()));
            }
        }
        let mut first_open = true;
        for (k, st) in d.steps.iter().enumerate() {
            let got = if app.registry.sandbox {
                with_ledger(app, |l| drill_quantity(l, &st.expect)).unwrap_or(0)
            } else {
                0
            };
            let done = app.registry.sandbox && got >= st.expect.quantity;
            let lead = format!(" {} {}. ", if done { "✓" } else { "·" }, k + 1);
            let ind = " ".repeat(lead.chars().count());
            for (j, l) in super::wrap(&st.instruction, width.saturating_sub(ind.len()), 4)
                .into_iter()
                .enumerate()
            {
                lines.push(Line::from(vec![
                    Span::styled(
                        if j == 0 { lead.clone() } else { ind.clone() },
                        if done { t.answered() } else { t.dim() },
                    ),
                    Span::raw(l),
                ]));
            }
            if !done && first_open && app.registry.sandbox {
                first_open = false;
                let hint = format!(
                    "now {} of {} — hint: {}",
                    u(got),
                    u(st.expect.quantity),
                    st.hint
                );
                for l in super::wrap(&hint, width.saturating_sub(ind.len()), 6) {
                    lines.push(Line::styled(format!("{ind}{l}"), t.info()));
                }
            }
        }
    }
    cells::paragraph(
        frame,
        "registry.drills",
        area,
        Paragraph::new(lines).block(pane("Drills (↑↓ choose)", true, app)),
    );
}

#[cfg(test)]
mod tests {
    use super::{detail_lines, type_cell};

    const ROW: &str = "CHE:REG:Holding (holding): 450,378 units  ITMO 450,378  by vintage:  2025: 38,527  2026: 53,141  2027: 67,756  2028: 82,370";

    #[test]
    fn a_cut_row_is_given_whole_in_lines_that_keep_its_items_together() {
        let lines = detail_lines(ROW, 200, 40, 30);
        assert!(lines.iter().all(|l| l.chars().count() <= 40), "{lines:?}");
        // Nothing is lost: the lines hold every word of the row, in order.
        let words = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        assert_eq!(words(&lines.join(" ")), words(ROW));
        // Items fit whole: no vintage is split from its quantity.
        assert!(
            lines.iter().any(|l| l.contains("2028: 82,370")),
            "{lines:?}"
        );
        assert!(lines.iter().all(|l| !l.ends_with("2026:")), "{lines:?}");
    }

    #[test]
    fn an_item_wider_than_the_pane_breaks_between_words() {
        let long = "summary  a cooperative approach between Bhutan and Singapore for cooking";
        let lines = detail_lines(long, 100, 24, 30);
        assert!(lines.iter().all(|l| l.chars().count() <= 24), "{lines:?}");
        assert_eq!(lines.join(" ").split_whitespace().count(), 10, "{lines:?}");
        // A single word wider than the line is cut with an ellipsis, not wrapped.
        let lines = detail_lines("x  ITMO-AUTHORIZATION-REQUEST-000000001", 100, 20, 30);
        assert_eq!(lines, ["x", "ITMO-AUTHORIZATION-…"]);
    }

    #[test]
    fn no_detail_when_the_row_fits_or_the_pane_is_too_short() {
        assert!(detail_lines(ROW, 40, 40, 30).is_empty());
        // The detail and its rule must leave at least four rows of the list.
        let n = detail_lines(ROW, 200, 60, 100).len();
        assert!(n >= 2);
        assert!(detail_lines(ROW, 200, 60, n + 4).is_empty());
        assert_eq!(detail_lines(ROW, 200, 60, n + 5).len(), n);
    }

    #[test]
    fn event_types_fit_the_column_whole_or_cut_with_an_ellipsis() {
        assert_eq!(
            type_cell("OrganizationRegistered"),
            "OrganizationRegistered"
        );
        assert_eq!(type_cell("Moved"), "Moved");
        let long = type_cell("ItmoAuthorizationRequested");
        assert_eq!(long, "ItmoAuthorizationRequ…");
        assert_eq!(long.chars().count(), 22);
    }
}
