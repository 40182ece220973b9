//! Exports of the ledger (registry-model §8): AEF tables (T1–T5), CADT-compatible units CSV
//! (v1, and v2 with the extra columns in [`cadt_v2`]) and a
//! plain-text double-entry journal for ledger-cli/hledger. One job each, in submodules; this
//! module holds the shared CSV helpers (formula neutralisation).

pub mod aef;
pub mod cadt;
pub mod cadt_v2;
pub mod ledger_journal;

use std::borrow::Cow;

/// Cells starting with `=`, `+`, `-` or `@` are prefixed with `'` so spreadsheets never
/// evaluate them as formulas.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Write a CSV table (header + rows) with every cell neutralised.
pub fn csv_bytes(header: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header)?;
    for r in rows {
        w.write_record(r.iter().map(|c| neutralise(c).into_owned()))?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(neutralise("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(neutralise("-5"), "'-5");
        assert_eq!(neutralise("@x"), "'@x");
        assert_eq!(neutralise("+1"), "'+1");
        assert_eq!(neutralise("ok"), "ok");
    }
}
