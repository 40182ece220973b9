//! Mouse hit-testing: where the last frame drew its clickable things.
//!
//! One job: remember rectangles. Drawing records each clickable row (a Home entry, a question,
//! a table row, a parameter, a tab…) as it lays it out, so a click is resolved against exactly
//! what is on the screen, scrolling included. `ui::draw` clears the map at the start of every
//! frame; `mouse::click` reads it. This is view state written at draw time (like a table's
//! scroll offset), hence the interior mutability: drawing still takes `&App`.

use super::app::{RegTab, Screen};
use ratatui::layout::{Position, Rect};
use std::cell::{Cell, RefCell};

/// What a click can land on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A screen tab in the tab row.
    Tab(Screen),
    /// Home: an entry of `HomeData::items()`.
    HomeItem(usize),
    /// Reflect / Discuss: a question of the current part.
    Question(usize),
    /// Reflect / Discuss: the answer pane.
    Answer,
    /// Budget: a sector row.
    Sector(usize),
    /// Budget: an activity row of the drilled-in sector.
    Activity(usize),
    /// Budget: a field of the selected activity.
    Field(usize),
    /// Simulate: a parameter of `Param::ALL`.
    Param(usize),
    /// Simulate (small terminals): the chart ↔ table switch.
    SimPane,
    /// Registry: one of its views.
    RegView(RegTab),
    /// Registry: a row of the accounts, blocks or explorer list.
    RegRow(usize),
    /// Registry: a drill.
    Drill(usize),
    /// A field of the open sandbox action form.
    FormField(usize),
}

/// The clickable areas of the last frame, and the layout facts drawing found out.
#[derive(Debug, Clone, Default)]
pub struct Hits {
    areas: RefCell<Vec<(Rect, Target)>>,
    /// Simulate could not show chart and table together (the `t` switch applies).
    pub sim_panes: Cell<bool>,
    /// Reflect / Discuss: the facts panel's visible rows and how far it can scroll, so PgDn
    /// and PgUp move by a page and stop at the ends. `None` until a question screen is drawn.
    pub facts: Cell<Option<FactsPage>>,
}

/// The facts panel as the last frame laid it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FactsPage {
    /// Lines of text visible at once.
    pub rows: u16,
    /// The largest useful scroll offset (the last line at the bottom of the panel).
    pub max_scroll: u16,
}

impl FactsPage {
    /// The offset one page further down (`down`) or up from `at`, kept within the text. A page
    /// keeps one line of the last one in view, so the reader sees where they were.
    pub fn step(self, at: u16, down: bool) -> u16 {
        let page = self.rows.saturating_sub(1).max(1);
        let at = at.min(self.max_scroll);
        if down {
            at.saturating_add(page).min(self.max_scroll)
        } else {
            at.saturating_sub(page)
        }
    }
}

impl Hits {
    /// Forget the last frame (called before drawing a new one).
    pub fn clear(&self) {
        self.areas.borrow_mut().clear();
        self.sim_panes.set(false);
        self.facts.set(None);
    }

    /// Record a clickable area.
    pub fn add(&self, area: Rect, target: Target) {
        if area.width > 0 && area.height > 0 {
            self.areas.borrow_mut().push((area, target));
        }
    }

    /// Record a one-line row `dy` lines below the top of `inner`, if it is inside `inner`.
    pub fn row(&self, inner: Rect, dy: usize, target: Target) {
        let Ok(dy) = u16::try_from(dy) else { return };
        if dy < inner.height {
            self.add(
                Rect {
                    x: inner.x,
                    y: inner.y + dy,
                    width: inner.width,
                    height: 1,
                },
                target,
            );
        }
    }

    /// What is at (column, row); the area recorded last wins (it was drawn on top).
    pub fn at(&self, col: u16, row: u16) -> Option<Target> {
        let p = Position::new(col, row);
        self.areas
            .borrow()
            .iter()
            .rev()
            .find(|(r, _)| r.contains(p))
            .map(|(_, t)| *t)
    }

    /// The number of recorded areas (for tests).
    pub fn len(&self) -> usize {
        self.areas.borrow().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
