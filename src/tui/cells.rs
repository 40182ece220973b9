//! Drawn cells kept between frames, so a pane whose drawing did not change is copied into the
//! frame instead of being laid out again (the draw goal is 1 ms per frame at 200×60; laying out
//! a chart or a page of text is most of a frame).
//!
//! What is cached: per slot (a name, one per pane that uses it), the cells of the last drawing
//! and the key it was drawn for. What invalidates it: a key that differs (compared with `==`,
//! never by hash). The key must hold everything the drawing reads — the text, the styles (so the
//! theme and `NO_COLOR`), focus, selection, scroll and the area. [`paragraph`] uses the
//! `Paragraph` value and the area as the key, which holds that by construction; [`draw`] takes a
//! key of the caller's making, and the drawing closure must read only the key.
//!
//! A cached drawing replaces every cell of its area, in the miss path and the hit path alike:
//! it means "clear, then render". Use it for an area nothing else has drawn on in this frame (a
//! screen's pane) or that is cleared anyway (an overlay); a plain render would merge with what
//! is beneath.
//!
//! The cache is per thread (the UI draws on one thread; tests get their own).

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Widget};
use std::any::Any;
use std::cell::RefCell;
use std::collections::HashMap;

struct Entry {
    key: Box<dyn Any>,
    cells: Buffer,
}

thread_local! {
    /// The last drawing of each slot.
    static SLOTS: RefCell<HashMap<&'static str, Entry>> = RefCell::new(HashMap::new());
    /// How many times each slot was drawn afresh (for tests; [`clear`] keeps the counts).
    static RENDERS: RefCell<HashMap<&'static str, u64>> = RefCell::new(HashMap::new());
    /// The buffer of the drawing a miss replaces, for [`blank`] to reuse (a fresh buffer of a
    /// screenful of cells costs more than blanking an old one).
    static SPARE: RefCell<Option<Buffer>> = const { RefCell::new(None) };
}

/// Draw into the frame the cells `render` makes for `key`, or the cells it made last time for an
/// equal key in this `slot`. `render` returns a buffer whose `area` is where the cells go; it must
/// depend on nothing but the key.
pub fn draw<K: PartialEq + 'static>(
    frame: &mut Frame,
    slot: &'static str,
    key: K,
    render: impl FnOnce(&K) -> Buffer,
) {
    let buf = frame.buffer_mut();
    SLOTS.with(|slots| {
        let mut slots = slots.borrow_mut();
        if let Some(e) = slots.get(slot)
            && e.key.downcast_ref::<K>() == Some(&key)
        {
            copy(&e.cells, buf);
            return;
        }
        if let Some(old) = slots.remove(slot) {
            SPARE.with(|s| *s.borrow_mut() = Some(old.cells));
        }
        let cells = render(&key);
        copy(&cells, buf);
        slots.insert(
            slot,
            Entry {
                key: Box::new(key),
                cells,
            },
        );
        RENDERS.with(|r| *r.borrow_mut().entry(slot).or_default() += 1);
    });
}

/// Render `p` into `area` through the cache: the paragraph itself (text, styles, block, scroll,
/// wrapping) and the area are the key.
pub fn paragraph(frame: &mut Frame, slot: &'static str, area: Rect, p: Paragraph<'static>) {
    let area = area.intersection(frame.area());
    draw(frame, slot, (area, p), |(area, p)| {
        let mut b = blank(*area);
        p.render(*area, &mut b);
        b
    });
}

/// A blank buffer for `area` (for [`draw`]'s closures): every cell reset, whatever buffer it
/// reuses.
pub fn blank(area: Rect) -> Buffer {
    match SPARE.with(|s| s.borrow_mut().take()) {
        Some(mut b) => {
            b.resize(area);
            b.reset();
            b
        }
        None => Buffer::empty(area),
    }
}

/// How many times `slot` was drawn afresh on this thread (a cache miss each).
pub fn renders(slot: &'static str) -> u64 {
    RENDERS.with(|r| r.borrow().get(slot).copied().unwrap_or(0))
}

/// Forget every cached drawing on this thread (tests compare a warm frame with a cold one).
pub fn clear() {
    SLOTS.with(|s| s.borrow_mut().clear());
    SPARE.with(|s| *s.borrow_mut() = None);
}

/// Copy `from` into `to` where their areas meet, replacing those cells.
fn copy(from: &Buffer, to: &mut Buffer) {
    let r = from.area.intersection(to.area);
    if r.is_empty() {
        return;
    }
    let w = usize::from(r.width);
    for y in r.top()..r.bottom() {
        let (Some(src), Some(dst)) = (
            index(from, r.x, y).and_then(|i| from.content.get(i..i + w)),
            index(to, r.x, y),
        ) else {
            continue;
        };
        if let Some(dst) = to.content.get_mut(dst..dst + w) {
            dst.clone_from_slice(src);
        }
    }
}

/// Where cell (x, y) is in `b.content`, if it is in `b`.
fn index(b: &Buffer, x: u16, y: u16) -> Option<usize> {
    let a = b.area;
    if x < a.x || y < a.y || x >= a.right() || y >= a.bottom() {
        return None;
    }
    Some(usize::from(y - a.y) * usize::from(a.width) + usize::from(x - a.x))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::text::Line;
    use ratatui::widgets::{Block, Borders, Wrap};

    fn frame_with(w: u16, h: u16, f: impl Fn(&mut Frame)) -> Buffer {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|fr| f(fr)).unwrap();
        t.backend().buffer().clone()
    }

    fn para(text: &str) -> Paragraph<'static> {
        Paragraph::new(Line::from(text.to_string()))
            .wrap(Wrap { trim: true })
            .block(Block::default().borders(Borders::ALL).title(" t "))
    }

    #[test]
    fn a_cached_paragraph_draws_what_a_plain_render_draws() {
        clear();
        let r0 = renders("test");
        let area = Rect::new(2, 1, 20, 5);
        let plain = frame_with(30, 8, |f| {
            f.render_widget(para("one two three four five six"), area)
        });
        for _ in 0..2 {
            let cached = frame_with(30, 8, |f| {
                paragraph(f, "test", area, para("one two three four five six"))
            });
            assert_eq!(cached, plain);
        }
        assert_eq!(renders("test"), r0 + 1, "the second frame is copied");
    }

    #[test]
    fn a_changed_text_area_or_style_is_drawn_afresh() {
        clear();
        let r0 = renders("test");
        let a = Rect::new(0, 0, 20, 5);
        let b = Rect::new(0, 0, 12, 5);
        let styled =
            para("one two").style(ratatui::style::Style::new().fg(ratatui::style::Color::Red));
        let cases: Vec<(Rect, Paragraph<'static>)> = vec![
            (a, para("one two")),
            (a, para("one two three")),
            (b, para("one two three")),
            (b, styled),
            (a, para("one two")),
        ];
        for (i, (area, p)) in cases.into_iter().enumerate() {
            let plain = frame_with(30, 8, |f| f.render_widget(p.clone(), area));
            let cached = frame_with(30, 8, |f| paragraph(f, "test", area, p.clone()));
            assert_eq!(cached, plain, "case {i}");
            assert_eq!(renders("test"), r0 + i as u64 + 1, "case {i} is a miss");
        }
    }

    #[test]
    fn a_reused_buffer_is_blank() {
        let mut old = Buffer::with_lines(["abc", "def"]);
        old.set_style(
            old.area,
            ratatui::style::Style::new().bg(ratatui::style::Color::Blue),
        );
        SPARE.with(|s| *s.borrow_mut() = Some(old));
        let area = Rect::new(1, 1, 4, 3);
        assert_eq!(blank(area), Buffer::empty(area));
        assert_eq!(blank(area), Buffer::empty(area), "no spare: a fresh one");
    }

    #[test]
    fn an_area_beyond_the_frame_is_clipped() {
        clear();
        let area = Rect::new(25, 5, 20, 6);
        let plain = frame_with(30, 8, |f| f.render_widget(para("abc def"), area));
        let cached = frame_with(30, 8, |f| paragraph(f, "test", area, para("abc def")));
        assert_eq!(cached, plain);
    }
}
