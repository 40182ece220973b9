//! Drawing the frame around the screens: header, tabs, notice, key hints, help and popups.
//!
//! One job: lay out the frame and hand the body to the current screen's `draw`. Drawing reads
//! the state and never changes it, so a frame is a pure function of the `App`.

use super::app::{App, Popup, Screen};
use super::keymap;
use super::screens;
use super::strings as S;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph, Widget, Wrap};

/// The smallest usable terminal.
pub const MIN_W: u16 = 80;
pub const MIN_H: u16 = 24;

/// Draw the whole workbench.
pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    app.hits.clear();
    // Keep in step with `input::event_to_action`, which drops keys while this notice shows.
    if area.width < MIN_W || area.height < MIN_H {
        draw_too_small(frame, area);
        return;
    }
    let notice_h = u16::from(app.notice.is_some());
    let [header, tabs, body, notice, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(notice_h),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(frame, header, app);
    draw_tabs(frame, tabs, app);
    match app.screen {
        Screen::Home => screens::home::draw(frame, body, app),
        Screen::Reflect | Screen::Discuss => screens::reflect::draw(frame, body, app),
        Screen::Budget => screens::budget::draw(frame, body, app),
        Screen::Simulate => screens::simulate::draw(frame, body, app),
        Screen::Registry => screens::registry::draw(frame, body, app),
        Screen::Report => screens::report::draw(frame, body, app),
        Screen::Readiness => screens::readiness::draw(frame, body, app),
    }
    if let Some(n) = &app.notice {
        let style = if n.error {
            app.theme.error()
        } else {
            app.theme.info()
        };
        let prefix = if n.error { "! " } else { "" };
        frame.render_widget(
            Paragraph::new(Line::styled(format!(" {prefix}{}", n.text), style)),
            notice,
        );
    }
    draw_hints(frame, hints, app);
    if app.help {
        draw_help(frame, body, app);
    }
    if let Some(p) = &app.popup {
        draw_popup(frame, body, app, p);
    }
}

fn draw_too_small(frame: &mut Frame, area: Rect) {
    let text = vec![
        Line::from(S::TOO_SMALL),
        Line::from(format!("now {}×{}", area.width, area.height)),
        Line::from(S::TOO_SMALL_KEYS),
    ];
    let y = area.height / 2;
    let r = Rect {
        x: area.x,
        y: area.y + y.saturating_sub(1),
        width: area.width,
        height: area.height.min(3),
    };
    frame.render_widget(Paragraph::new(text).centered().wrap(Wrap { trim: true }), r);
}

fn draw_header(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let mut right: Vec<Span> = vec![];
    let title = match &app.work {
        Some(w) => {
            if w.scenario.file.scenario.illustrative {
                right.push(Span::styled(
                    format!(" {} ", S::ILLUSTRATIVE),
                    t.illustrative(),
                ));
                right.push(Span::raw(" "));
            }
            w.scenario.title().to_string()
        }
        None => "no scenario open".to_string(),
    };
    if let Some(p) = &app.participant {
        let label = if area.width >= 100 {
            "participant: "
        } else {
            ""
        };
        right.push(Span::raw(format!("{label}{p} ")));
    }
    let right_line = Line::from(right);
    let rw = u16::try_from(right_line.width())
        .unwrap_or(u16::MAX)
        .min(area.width / 2);
    let [l, r] = Layout::horizontal([Constraint::Min(1), Constraint::Length(rw)]).areas(area);
    let app_name = format!(" {} ", S::APP);
    let room = (l.width as usize).saturating_sub(app_name.chars().count() + 3);
    let left = Line::from(vec![
        Span::styled(app_name, t.header()),
        Span::raw("│ "),
        Span::styled(screens::ellipsize(&title, room), t.title()),
    ]);
    frame.render_widget(Paragraph::new(left), l);
    frame.render_widget(Paragraph::new(right_line).right_aligned(), r);
}

/// The tab labels and their x ranges (same for drawing and mouse hit-tests). Narrow
/// terminals get the labels without padding, so all eight tabs fit in 80 columns.
fn tab_spans(width: u16) -> Vec<(Screen, String, u16)> {
    let padded: usize = Screen::ALL
        .iter()
        .map(|s| s.title().chars().count() + 5)
        .sum::<usize>()
        + 1;
    let pad = if padded <= width as usize { " " } else { "" };
    let mut x = 1u16;
    Screen::ALL
        .iter()
        .map(|s| {
            let label = format!("{pad}{} {}{pad}", s.index(), s.title());
            let at = x;
            x += u16::try_from(label.chars().count()).unwrap_or(0) + 1;
            (*s, label, at)
        })
        .collect()
}

/// Which tab is at a click position (the tab row is row 1) in a terminal `width` wide.
pub fn tab_at(col: u16, row: u16, width: u16) -> Option<Screen> {
    if row != 1 {
        return None;
    }
    tab_spans(width)
        .into_iter()
        .find(|(_, label, at)| {
            col >= *at && col < at + u16::try_from(label.chars().count()).unwrap_or(0)
        })
        .map(|(s, _, _)| s)
}

fn draw_tabs(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let mut spans = vec![Span::raw(" ")];
    for (s, label, at) in tab_spans(area.width) {
        app.hits.add(
            Rect {
                x: area.x + at,
                y: area.y,
                width: u16::try_from(label.chars().count()).unwrap_or(0),
                height: 1,
            },
            super::hits::Target::Tab(s),
        );
        spans.push(Span::styled(
            label,
            if s == app.screen {
                t.tab_selected()
            } else {
                t.tab()
            },
        ));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_hints(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let mut spans = vec![Span::raw(" ")];
    let hints = keymap::hints(&app.contexts());
    let size = |(k, what): &(&str, &str)| k.chars().count() + what.chars().count() + 3;
    // `? help` always shows (it lists what does not fit here); the rest in keymap order.
    let mut width = 1 + hints
        .iter()
        .filter(|(k, _)| *k == "?")
        .map(size)
        .sum::<usize>();
    let mut full = false;
    let shown: Vec<(&str, &str)> = hints
        .iter()
        .filter(|h| {
            if h.0 == "?" {
                return true;
            }
            full = full || width + size(h) > area.width as usize;
            if !full {
                width += size(h);
            }
            !full
        })
        .copied()
        .collect();
    for (k, what) in shown {
        spans.push(Span::styled(k, t.key()));
        spans.push(Span::raw(format!(" {what}  ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A bordered pane; the focused one has a thick border and an underlined title.
pub fn pane<'a>(title: impl Into<String>, focused: bool, app: &App) -> Block<'a> {
    pane_in(title, focused, &app.theme)
}

/// [`pane`] in a theme.
pub fn pane_in<'a>(title: impl Into<String>, focused: bool, t: &super::theme::Theme) -> Block<'a> {
    let title = format!(" {} ", title.into());
    Block::default()
        .borders(Borders::ALL)
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Plain
        })
        .border_style(if focused {
            t.focused_border()
        } else {
            t.border()
        })
        .title(Span::styled(
            title,
            if focused {
                t.focused_title()
            } else {
                t.title()
            },
        ))
}

/// A rectangle of at most `w`×`h`, centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// What the help overlay shows depends on: the screen's key contexts (the keymap is static), the
/// title, the body area (the overlay's width, and whether it fits in one column) and the theme.
#[derive(PartialEq)]
struct HelpKey {
    ctxs: Vec<keymap::Ctx>,
    title: String,
    body: Rect,
    theme: super::theme::Theme,
}

/// The help overlay over the body. Its cells are cached per [`HelpKey`] (see `cells.rs`): the
/// lines are generated from the keymap and wrapped only when the screen, the size or the theme
/// change, not on every frame.
fn draw_help(frame: &mut Frame, body: Rect, app: &App) {
    let mut ctxs = match app.screen {
        Screen::Home => vec![keymap::Ctx::Home],
        Screen::Reflect => vec![keymap::Ctx::Questions, keymap::Ctx::Editor],
        Screen::Discuss => vec![
            keymap::Ctx::Questions,
            keymap::Ctx::Discuss,
            keymap::Ctx::Editor,
        ],
        Screen::Budget => vec![
            keymap::Ctx::Budget,
            keymap::Ctx::BudgetActivities,
            keymap::Ctx::BudgetAll,
            keymap::Ctx::BudgetMacc,
        ],
        Screen::Report => vec![keymap::Ctx::Report, keymap::Ctx::Popup],
        Screen::Simulate => vec![keymap::Ctx::Simulate, keymap::Ctx::SimulateSmall],
        Screen::Registry => vec![keymap::Ctx::Registry, keymap::Ctx::Sandbox],
        Screen::Readiness => vec![keymap::Ctx::Readiness],
    };
    ctxs.push(keymap::Ctx::Global);
    let key = HelpKey {
        ctxs,
        title: format!("{} — {}", S::HELP_TITLE, app.screen.title()),
        body: body.intersection(frame.area()),
        theme: app.theme,
    };
    super::cells::draw(frame, "help", key, help_cells);
}

/// The help overlay's cells (the overlay clears what is beneath it).
fn help_cells(k: &HelpKey) -> ratatui::buffer::Buffer {
    let t = &k.theme;
    let body = k.body;
    // Rows as (key column, text), wrapped to a column `w` wide.
    let lines_for = |cs: &[keymap::Ctx], w: usize, footer: bool| -> Vec<Line<'static>> {
        let mut lines = vec![];
        for (title, rows) in keymap::help(cs) {
            lines.push(Line::styled(title, t.section()));
            for (k, what) in rows {
                for (i, l) in screens::wrap(what, w.saturating_sub(13).max(8), 3)
                    .into_iter()
                    .enumerate()
                {
                    let key = if i == 0 {
                        format!("  {k:<10} ")
                    } else {
                        " ".repeat(13)
                    };
                    lines.push(Line::from(vec![Span::styled(key, t.key()), Span::raw(l)]));
                }
            }
        }
        if footer {
            for l in screens::wrap("Ctrl-C also quits. Everything is saved as you type.", w, 2) {
                lines.push(Line::styled(l, t.dim()));
            }
        }
        lines
    };
    let ctxs = &k.ctxs;
    let one = lines_for(ctxs, 68, true);
    let fits = u16::try_from(one.len())
        .unwrap_or(u16::MAX)
        .saturating_add(2)
        <= body.height;
    if fits || body.width < 80 {
        let h = u16::try_from(one.len())
            .unwrap_or(u16::MAX)
            .saturating_add(2);
        let r = centered(body, 70, h);
        let mut buf = super::cells::blank(r);
        Paragraph::new(one)
            .block(pane_in(k.title.clone(), true, t))
            .render(r, &mut buf);
        return buf;
    }
    // Too tall: this screen's keys left, the keys that work everywhere right.
    let r = body;
    let mut buf = super::cells::blank(r);
    let block = pane_in(k.title.clone(), true, t);
    let inner = block.inner(r);
    block.render(r, &mut buf);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(inner);
    let n = ctxs.len() - 1;
    Paragraph::new(lines_for(&ctxs[..n], left.width as usize, false)).render(left, &mut buf);
    Paragraph::new(lines_for(&ctxs[n..], right.width as usize, true)).render(right, &mut buf);
    buf
}

fn draw_popup(frame: &mut Frame, body: Rect, app: &App, p: &Popup) {
    let (title, prompt, field, error): (
        String,
        String,
        &ratatui_textarea::TextArea,
        Option<&String>,
    ) = match p {
        Popup::Participant(f) => (
            S::PARTICIPANT_TITLE.into(),
            if f.is_selecting() {
                S::PARTICIPANT_PROMPT_SUGGESTED
            } else {
                S::PARTICIPANT_PROMPT
            }
            .into(),
            f,
            None,
        ),
        Popup::Group { field, .. } => ("Group".into(), S::GROUP_PROMPT.into(), field, None),
        Popup::ExportDir(f) => ("Export".into(), S::EXPORT_DIR_PROMPT.into(), f, None),
        Popup::BudgetEdit {
            label,
            field,
            error,
            path,
        } => (
            format!("Edit {label}"),
            format!("New value for {path}"),
            field,
            error.as_ref(),
        ),
        Popup::SaveScenario(f) => (
            "Save as scenario".into(),
            "File name in the data folder's scenarios/ (without .toml)".into(),
            f,
            None,
        ),
        Popup::Param {
            param,
            field,
            error,
        } => (
            param.label().into(),
            param.prompt().into(),
            field,
            error.as_ref(),
        ),
        Popup::Filter(f) => (
            "Explorer filter".into(),
            "A serial (block, PROJECT:UNIT or unit number) or any text; empty shows all".into(),
            f,
            None,
        ),
        Popup::Form(form) => {
            draw_form(frame, body, app, form);
            return;
        }
    };
    let inner_w = body.width.min(70).saturating_sub(2) as usize;
    let err_lines = error
        .map(|e| screens::wrap(&format!("refused: {e}"), inner_w, 6))
        .unwrap_or_default();
    let err_h = u16::try_from(err_lines.len()).unwrap_or(0);
    let r = centered(body, 70, 6 + err_h + u16::from(err_h > 0));
    frame.render_widget(Clear, r);
    // A title too long for the popup ends in `…` rather than running into the border.
    let title = screens::ellipsize(&title, usize::from(r.width).saturating_sub(4));
    let block = pane(title, true, app);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    // A value per year: a lone number sets the year the Budget table shows.
    let hint = match p {
        Popup::BudgetEdit { path, .. } if crate::workshop::edits::is_per_year(path) => app
            .derived
            .as_ref()
            .map(|d| format!("or one number: the value in {}", d.scenario.target_year())),
        _ => None,
    };
    let [a, b, e, h, c] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(err_h + u16::from(err_h > 0)),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(prompt), a);
    frame.render_widget(field, b);
    if err_h > 0 {
        let mut ls = vec![Line::raw("")];
        ls.extend(
            err_lines
                .into_iter()
                .map(|l| Line::styled(l, app.theme.error())),
        );
        frame.render_widget(Paragraph::new(ls), e);
    }
    if let Some(hint) = hint {
        frame.render_widget(Paragraph::new(Line::styled(hint, app.theme.dim())), h);
    }
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("Enter", app.theme.key()),
            Span::raw(" accept  "),
            Span::styled("Esc", app.theme.key()),
            Span::raw(" cancel"),
        ])),
        c,
    );
}

fn draw_form(frame: &mut Frame, body: Rect, app: &App, form: &super::forms::Form) {
    let t = &app.theme;
    let w = body.width.min(72);
    let inner_w = w.saturating_sub(2) as usize;
    let err_lines = form
        .error
        .as_ref()
        .map(|e| screens::wrap(&format!("refused: {e}"), inner_w, 5))
        .unwrap_or_default();
    let n = u16::try_from(form.fields.len()).unwrap_or(0);
    let err_h = u16::try_from(err_lines.len()).unwrap_or(0);
    let r = centered(body, w, n + err_h + 4);
    frame.render_widget(Clear, r);
    let block = pane(form.kind.title(), true, app);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let longest = form
        .fields
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(8);
    let label_w = u16::try_from(longest + 3)
        .unwrap_or(28)
        .min(inner.width / 2);
    for (i, (label, field)) in form.fields.iter().enumerate() {
        let y = inner.y + u16::try_from(i).unwrap_or(0);
        if y >= inner.y + inner.height {
            break;
        }
        let focused = i == form.focus;
        let lr = Rect {
            x: inner.x,
            y,
            width: label_w,
            height: 1,
        };
        let fr = Rect {
            x: inner.x + label_w,
            y,
            width: inner.width.saturating_sub(label_w),
            height: 1,
        };
        app.hits.add(
            Rect {
                width: inner.width,
                ..lr
            },
            super::hits::Target::FormField(i),
        );
        frame.render_widget(
            Paragraph::new(Line::styled(
                format!("{}{label}", if focused { "› " } else { "  " }),
                if focused { t.selected() } else { t.base() },
            )),
            lr,
        );
        if focused {
            frame.render_widget(field, fr);
        } else {
            frame.render_widget(Paragraph::new(field.lines().join(" ")), fr);
        }
    }
    for (y, l) in (inner.y + n..).zip(err_lines) {
        if y >= inner.y + inner.height {
            break;
        }
        frame.render_widget(
            Paragraph::new(Line::styled(l, t.error())),
            Rect {
                x: inner.x,
                y,
                width: inner.width,
                height: 1,
            },
        );
    }
    let hy = inner.y + inner.height.saturating_sub(1);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("Tab ↓↑", t.key()),
            Span::raw(" field  "),
            Span::styled("Enter", t.key()),
            Span::raw(" execute  "),
            Span::styled("Esc", t.key()),
            Span::raw(" cancel"),
        ])),
        Rect {
            x: inner.x,
            y: hy,
            width: inner.width,
            height: 1,
        },
    );
}
