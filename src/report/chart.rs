//! A plain-text line chart for reports (no terminal library: reports are domain code).
//!
//! One job: draw a few series over years as characters. Years run left to right (one column
//! each, labelled below), values are scaled to `height` rows, each series is drawn with its own
//! character, cells where series meet show `*`, and a legend follows. The scale runs from the
//! lowest to the highest value (labelled); when any value is negative, zero is inside the range,
//! a dotted zero line is drawn and negative values sit below it.
//!
//! ```text
//!    2.0M | B
//!         |   B  B
//!       0 |··········
//!   -1.0M |      P
//!         +----------
//!          2021 2022
//! ```

/// One series: a name for the legend, its character, and a value per year (`None` = gap).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub mark: char,
    pub values: Vec<(i32, Option<f64>)>,
}

/// Column width per year (fits a four-digit year and a space).
const COL: usize = 5;

/// A compact number: `1.2M`, `-350k`, `12`.
pub fn compact(v: f64) -> String {
    let a = v.abs();
    let (x, suffix) = if a >= 1e9 {
        (v / 1e9, "G")
    } else if a >= 1e6 {
        (v / 1e6, "M")
    } else if a >= 1e3 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let s = if x.abs() >= 100.0 || suffix.is_empty() {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    };
    let s = if s == "-0" { "0".to_string() } else { s };
    format!("{s}{suffix}")
}

/// Draw the chart. `height` is the number of value rows (at least 3). Years are the union of
/// the series' years, in order. An empty chart (no values) says so.
pub fn line_chart(title: &str, series: &[Series], height: usize) -> String {
    use std::fmt::Write;
    let height = height.max(3);
    let mut years: Vec<i32> = series
        .iter()
        .flat_map(|s| s.values.iter().map(|v| v.0))
        .collect();
    years.sort_unstable();
    years.dedup();
    let finite = series
        .iter()
        .flat_map(|s| s.values.iter().filter_map(|v| v.1))
        .filter(|v| v.is_finite());
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    let mut any = false;
    for v in finite {
        any = true;
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if hi < 0.0 {
        hi = 0.0; // an all-negative path hangs below its zero line
    }
    let mut out = String::new();
    let _ = writeln!(out, "{title}");
    if !any || years.is_empty() {
        let _ = writeln!(out, "(no values to chart)");
        return out;
    }
    if (hi - lo).abs() < f64::EPSILON {
        hi = lo + 1.0;
    }
    let rows = height - 1;
    let row_of = |v: f64| -> usize {
        let r = ((hi - v) / (hi - lo) * rows as f64).round();
        (r.max(0.0) as usize).min(rows)
    };
    let zero_row = (lo < 0.0).then(|| row_of(0.0));
    let width = years.len() * COL;
    let mut grid = vec![vec![' '; width]; height];
    if let Some(z) = zero_row {
        for c in grid[z].iter_mut() {
            *c = '·';
        }
    }
    for s in series {
        for (y, v) in &s.values {
            let (Some(v), Some(col)) = (v, years.iter().position(|x| x == y)) else {
                continue;
            };
            if !v.is_finite() {
                continue;
            }
            let cell = &mut grid[row_of(*v)][col * COL + 1];
            *cell = if *cell == ' ' || *cell == '·' || *cell == s.mark {
                s.mark
            } else {
                '*'
            };
        }
    }
    let mut labels = vec![String::new(); height];
    labels[0] = compact(hi);
    labels[rows] = compact(lo);
    if let Some(z) = zero_row {
        labels[z] = "0".into();
    }
    let lw = labels.iter().map(|l| l.chars().count()).max().unwrap_or(1);
    for (label, row) in labels.iter().zip(&grid) {
        let line: String = row.iter().collect();
        let _ = writeln!(out, "{label:>lw$} |{}", line.trim_end());
    }
    let _ = writeln!(out, "{:>lw$} +{}", "", "-".repeat(width));
    let axis: String = years.iter().map(|y| format!(" {y:<4}")).collect();
    let _ = writeln!(out, "{:>lw$}  {}", "", axis.trim_end());
    let legend: Vec<String> = series
        .iter()
        .map(|s| format!("{} {}", s.mark, s.name))
        .collect();
    let _ = writeln!(
        out,
        "legend: {}; * several series{}",
        legend.join(", "),
        if lo < 0.0 { "; ··· zero" } else { "" }
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(name: &str, mark: char, v: &[(i32, f64)]) -> Series {
        Series {
            name: name.into(),
            mark,
            values: v.iter().map(|&(y, x)| (y, Some(x))).collect(),
        }
    }

    #[test]
    fn negative_values_sit_below_the_zero_line() {
        let c = line_chart("t", &[s("a", 'A', &[(2021, 10.0), (2022, -10.0)])], 5);
        let lines: Vec<&str> = c.lines().collect();
        let zero = lines
            .iter()
            .position(|l| l.contains('·'))
            .expect("zero line");
        let a_pos = |col: usize| {
            lines
                .iter()
                .position(|l| l.chars().nth(col) == Some('A'))
                .expect("mark")
        };
        let bar = lines[1].find('|').expect("axis");
        assert!(a_pos(bar + 2) < zero, "{c}");
        assert!(a_pos(bar + 2 + COL) > zero, "{c}");
        assert!(c.contains("2021 2022"), "{c}");
        assert!(c.contains("legend: A a"), "{c}");
    }

    #[test]
    fn overlapping_series_show_a_star_and_empty_is_said() {
        let c = line_chart(
            "t",
            &[s("a", 'A', &[(2021, 5.0)]), s("b", 'B', &[(2021, 5.0)])],
            4,
        );
        assert!(c.contains('*'), "{c}");
        assert!(!c.contains('·'), "no zero line without negatives: {c}");
        assert!(line_chart("t", &[], 4).contains("no values"));
    }

    #[test]
    fn compact_numbers() {
        assert_eq!(compact(1_234_567.0), "1.2M");
        assert_eq!(compact(-350_000.0), "-350k");
        assert_eq!(compact(12.0), "12");
        assert_eq!(compact(-0.2), "0");
    }
}
