//! Report: what the session produced (answers per section) and the export of the answers as
//! Markdown, CSV and JSON into a chosen folder (`report::answers` does the writing).
//!
//! The summary and answers panes are drawn through `cells.rs`, keyed by their paragraph and area.

use crate::tui::app::{Action, App};
use crate::tui::cells;
use crate::tui::keymap::{self, Cmd, Ctx};
use crate::tui::strings as S;
use crate::tui::ui::pane;
use crate::workshop::pack::Part;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

/// Report's own keys.
pub fn handle_key(_app: &App, key: &KeyEvent) -> Option<Action> {
    match keymap::lookup(Ctx::Report, key)? {
        Cmd::Export => Some(Action::Export),
        Cmd::ExportDir => Some(Action::ChooseExportDir),
        _ => None,
    }
}

/// Draw Report.
pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let Some(w) = &app.work else {
        super::no_scenario(frame, area, app, S::REPORT_TITLE);
        return;
    };
    let t = &app.theme;
    let extra = match &app.report.last {
        Some(Ok(files)) => 2 + files.len().div_ceil(2),
        Some(Err(_)) => 2,
        None => 0,
    };
    let top_h = u16::try_from(8 + extra).unwrap_or(8).min(area.height / 2);
    let [top, bottom] =
        Layout::vertical([Constraint::Length(top_h), Constraint::Min(1)]).areas(area);
    let mut l = vec![
        Line::raw(S::REPORT_INTRO),
        Line::raw(""),
        Line::raw(format!("participant: {}", w.session.participant)),
        Line::raw(format!(
            "scenario: {}{}",
            w.scenario.id(),
            if w.scenario.file.scenario.illustrative {
                " (illustrative)"
            } else {
                ""
            }
        )),
        Line::from(vec![
            Span::raw("export folder: "),
            Span::styled(app.report.dir.clone(), t.title()),
            Span::raw("   "),
            Span::styled("d", t.key()),
            Span::raw(" change  "),
            Span::styled("e", t.key()),
            Span::raw(" export"),
        ]),
    ];
    match &app.report.last {
        Some(Ok(files)) => {
            // One line per folder (the answers, then the full report's folder) so a dozen
            // files fit the pane.
            l.push(Line::styled("exported:", t.info()));
            let mut folders: Vec<(String, Vec<String>)> = vec![];
            for f in files {
                let p = std::path::Path::new(f);
                let dir = p
                    .parent()
                    .map(|d| d.display().to_string())
                    .unwrap_or_default();
                let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
                let name = name.unwrap_or_else(|| f.clone());
                match folders.iter_mut().find(|(d, _)| *d == dir) {
                    Some((_, names)) => names.push(name),
                    None => folders.push((dir, vec![name])),
                }
            }
            for (dir, names) in folders {
                l.push(Line::raw(format!("  {dir}/: {}", names.join(", "))));
            }
        }
        Some(Err(e)) => l.push(Line::styled(format!("export failed: {e}"), t.error())),
        None => {}
    }
    cells::paragraph(
        frame,
        "report.summary",
        top,
        Paragraph::new(l)
            .wrap(Wrap { trim: false })
            .block(pane(S::REPORT_TITLE, true, app)),
    );

    let mut a = vec![];
    for part in [Part::Reflect, Part::Discuss] {
        let p = w.session.progress(&w.pack, part);
        a.push(Line::styled(
            format!(
                "{} — {p}",
                if part == Part::Reflect {
                    S::REFLECT_TITLE
                } else {
                    S::DISCUSS_TITLE
                }
            ),
            t.section(),
        ));
        for sec in w.pack.sections.iter().filter(|s| s.part == part) {
            let qs: Vec<_> = w
                .pack
                .questions
                .iter()
                .filter(|q| q.section == sec.id)
                .collect();
            let done = qs.iter().filter(|q| w.session.is_answered(&q.id)).count();
            let lead = format!("  {done}/{}  ", qs.len());
            let width = (area.width as usize).saturating_sub(2 + lead.chars().count());
            for (i, l) in super::wrap(&sec.title, width, 3).into_iter().enumerate() {
                let pad = if i == 0 {
                    lead.clone()
                } else {
                    " ".repeat(lead.chars().count())
                };
                a.push(Line::raw(format!("{pad}{l}")));
            }
        }
    }
    a.push(Line::raw(""));
    a.push(Line::styled(
        format!(
            "Full report (budget, simulation, registry) from a shell: {}",
            report_command(w)
        ),
        t.dim(),
    ));
    cells::paragraph(
        frame,
        "report.answers",
        bottom,
        Paragraph::new(a)
            .wrap(Wrap { trim: false })
            .block(pane("Answers", false, app)),
    );
}

/// The command that prints this session's full report: the scenario and participant, and the
/// data folder when it is not the one the command finds by itself.
fn report_command(w: &crate::tui::app::Workspace) -> String {
    // How the session reopens its scenario (`builtin:<id>` or the file's path, see
    // `session::scenario_source`): a built-in one by its id, one from a file by the file.
    let source = &w.session.scenario.source;
    let scenario = source.strip_prefix("builtin:").unwrap_or(source);
    let mut cmd = format!(
        "ndc-workbench report {} --participant {}",
        shell_word(scenario),
        shell_word(&w.session.participant)
    );
    // session file = <data folder>/sessions/<file>.json
    let data = w.session_path.parent().and_then(std::path::Path::parent);
    let default = crate::store::data_dir_path(None).ok();
    if let Some(d) = data.filter(|d| Some(*d) != default.as_deref()) {
        cmd.push_str(" --data-dir ");
        cmd.push_str(&shell_word(&d.to_string_lossy()));
    }
    cmd
}

/// `s` as one word for a POSIX shell: as it is when that is safe, else single-quoted.
fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars().all(|c| {
            c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | ',' | '+' | '@')
        });
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::shell_word;

    #[test]
    fn a_shell_word_is_quoted_only_when_it_needs_to_be() {
        assert_eq!(shell_word("Tashi"), "Tashi");
        assert_eq!(shell_word("/tmp/a-b/c.d"), "/tmp/a-b/c.d");
        assert_eq!(shell_word("Ana Maria"), "'Ana Maria'");
        assert_eq!(shell_word("O'Neil"), "'O'\\''Neil'");
        assert_eq!(shell_word("$HOME"), "'$HOME'");
        assert_eq!(shell_word(""), "''");
    }
}
