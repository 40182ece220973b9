//! The screens. Each module has `draw(frame, area, &App)` for its body and
//! `handle_key(&App, &KeyEvent) -> Option<Action>` for the keys only it understands; keys it
//! leaves go to the global keymap (see `input.rs`).

pub mod budget;
pub mod home;
pub mod readiness;
pub mod reflect;
pub mod registry;
pub mod report;
pub mod simulate;

use super::app::App;
use super::strings as S;
use super::ui::pane;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Wrap};

/// The body shown on a scenario screen when no scenario is open.
pub fn no_scenario(frame: &mut Frame, area: Rect, app: &App, title: &str) {
    let p = Paragraph::new(S::NO_SCENARIO)
        .wrap(Wrap { trim: true })
        .block(pane(title, true, app));
    frame.render_widget(p, area);
}

/// `text` cut to `width` columns (display width), ending with `…` when it was cut, so a
/// clipped name never reads as a whole one.
pub fn ellipsize(text: &str, width: usize) -> String {
    use ratatui::text::Span;
    if Span::raw(text).width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in text.chars() {
        let cw = Span::raw(c.encode_utf8(&mut [0; 4]).to_string()).width();
        if w + cw + 1 > width {
            break;
        }
        out.push(c);
        w += cw;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// Word-wrap `text` to `width` columns (display width), at most `max` lines (the last one
/// ends with `…` when cut).
pub fn wrap(text: &str, width: usize, max: usize) -> Vec<String> {
    use ratatui::text::Span;
    let width = width.max(1);
    let w = |s: &str| Span::raw(s).width();
    let mut lines: Vec<String> = vec![];
    let mut cur = String::new();
    let mut cur_w = 0;
    for word in text.split_whitespace() {
        if lines.len() > max {
            break; // enough lines to know it is cut
        }
        let ww = w(word);
        let sep = usize::from(!cur.is_empty());
        if cur_w + sep + ww <= width {
            if sep == 1 {
                cur.push(' ');
            }
            cur.push_str(word);
            cur_w += sep + ww;
            continue;
        }
        if !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
            cur_w = 0;
        }
        if ww <= width {
            cur.push_str(word);
            cur_w = ww;
            continue;
        }
        // a word longer than the line is cut into pieces
        for c in word.chars() {
            let cw = w(c.encode_utf8(&mut [0; 4]));
            if cur_w + cw > width {
                lines.push(std::mem::take(&mut cur));
                cur_w = 0;
            }
            cur.push(c);
            cur_w += cw;
        }
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    if lines.len() > max && max > 0 {
        lines.truncate(max);
        if let Some(last) = lines.last_mut() {
            while w(last) + 1 > width && last.pop().is_some() {}
            last.push('…');
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn ellipsize_marks_a_cut() {
        use super::ellipsize;
        assert_eq!(ellipsize("Agriculture", 20), "Agriculture");
        assert_eq!(ellipsize("Agriculture", 6), "Agric…");
        assert_eq!(ellipsize("Agriculture", 11), "Agriculture");
        assert_eq!(ellipsize("Agriculture", 10), "Agricultu…");
    }

    #[test]
    fn wraps_and_cuts_with_an_ellipsis() {
        assert_eq!(
            wrap("one two three four", 9, 5),
            ["one two", "three", "four"]
        );
        assert_eq!(wrap("one two three four", 9, 2), ["one two", "three…"]);
        assert_eq!(wrap("abcdefghij", 4, 5), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4, 5), [""]);
    }
}
