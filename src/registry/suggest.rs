//! The known id nearest to a mistyped one. One job: turn "unknown account BTN:REG:Holdng"
//! into a refusal that also names `BTN:REG:Holding`, for ids typed by hand (accounts,
//! projects, authorizations).
//!
//! Nearness is the edit distance between the ids compared without case (a letter added,
//! dropped, changed, or two swapped): at most two edits, and at most a quarter of the typed
//! id's length. So `SGP:REG:Holding`, three edits from `BTN:REG:Holding` (another Party's
//! account), gets no suggestion, and an id of fewer than four characters is only matched in
//! another case (`p1` finds `P1`; `P2` does not suggest `P1`, a different project). Ties go
//! to the id that sorts first, so the suggestion is the same on every replay of a journaled
//! refusal.

/// The known id nearest to `typed`, if one is near enough (see the module doc).
pub fn nearest<'a>(typed: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let t: Vec<char> = typed.trim().to_lowercase().chars().collect();
    let limit = (t.len() / 4).min(2);
    known
        .into_iter()
        .filter(|k| *k != typed)
        .filter_map(|k| {
            let d = distance(&t, &k.to_lowercase().chars().collect::<Vec<_>>());
            (d <= limit).then_some((d, k))
        })
        .min()
        .map(|(_, k)| k)
}

/// A refusal's hint: `" (did you mean \"ID\"?)"`, or nothing.
pub fn did_you_mean<'a>(typed: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    nearest(typed, known).map_or_else(String::new, |k| format!(" (did you mean {k:?}?)"))
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
/// neighbouring characters, one edit each.
fn distance(a: &[char], b: &[char]) -> usize {
    // Three rows of the table: two rows back (for swaps), the row before, this row.
    let mut back2: Vec<usize> = vec![0; b.len() + 1];
    let mut back: Vec<usize> = (0..=b.len()).collect();
    let mut row: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        row[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (back[j] + 1).min(row[j - 1] + 1).min(back[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(back2[j - 2] + 1);
            }
            row[j] = d;
        }
        std::mem::swap(&mut back2, &mut back);
        std::mem::swap(&mut back, &mut row);
    }
    back[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACCOUNTS: [&str; 4] = [
        "BTN:REG:Holding",
        "BTN:REG:Buffer",
        "CHE:REG:Holding",
        "BTN:DEV0002:Holding",
    ];

    #[test]
    fn a_dropped_changed_swapped_or_miscased_letter_finds_the_id() {
        for typed in [
            "BTN:REG:Holdng",
            "BTN:REG:Holdimg",
            "BTN:REG:Hodling",
            "btn:reg:holding",
            "BTN:REG:Holdings",
        ] {
            assert_eq!(nearest(typed, ACCOUNTS), Some("BTN:REG:Holding"), "{typed}");
        }
        assert_eq!(
            nearest("BTN:DEV002:Holding", ACCOUNTS),
            Some("BTN:DEV0002:Holding")
        );
    }

    #[test]
    fn a_far_or_exact_id_gets_no_suggestion() {
        assert_eq!(
            nearest("SGP:REG:Holding", ACCOUNTS),
            None,
            "3 edits of 15 is far"
        );
        assert_eq!(nearest("XYZ", ACCOUNTS), None);
        assert_eq!(
            nearest("BTN:REG:Holding", ACCOUNTS),
            None,
            "not a mistyping"
        );
        assert_eq!(did_you_mean("P9", ["P0001", "P0002"]), "");
        // Short ids: only another case, not another id.
        assert_eq!(nearest("P2", ["P1"]), None);
        assert_eq!(nearest("p1", ["P1", "P2"]), Some("P1"));
    }

    #[test]
    fn one_edit_away_from_two_ids_names_the_first_in_order() {
        // "P0003" is one edit from both; the earlier id wins, whatever the order given.
        assert_eq!(nearest("P0003", ["P0004", "P0001"]), Some("P0001"));
        assert_eq!(nearest("P0003", ["P0001", "P0004"]), Some("P0001"));
        assert_eq!(
            did_you_mean("P00O1", ["P0001"]),
            " (did you mean \"P0001\"?)"
        );
    }

    #[test]
    fn distance_counts_edits() {
        let d = |a: &str, b: &str| {
            distance(
                &a.chars().collect::<Vec<_>>(),
                &b.chars().collect::<Vec<_>>(),
            )
        };
        assert_eq!(d("", ""), 0);
        assert_eq!(d("abc", ""), 3);
        assert_eq!(d("", "ab"), 2);
        assert_eq!(d("kitten", "sitting"), 3);
        assert_eq!(d("ab", "ba"), 1);
        assert_eq!(d("abcd", "acbd"), 1);
        assert_eq!(d("Holding", "Holding"), 0);
    }
}
