//! Passages as CSV rows, for spreadsheets: one row a passage with where it comes from
//! (document, symbol, version, date, paragraph or time, speaker, agency) and its exact text.

use crate::index::StoredPassage;

const COLUMNS: [&str; 13] = [
    "id",
    "document",
    "symbol",
    "title",
    "kind",
    "version",
    "date",
    "paragraph",
    "timestamp",
    "speaker",
    "agency",
    "topics",
    "text",
];

/// One CSV record, quoted as RFC 4180 wants (a field with a comma, a quote or a line break in
/// quotes, quotes doubled), ending in CRLF. The text is kept exactly as written (nothing is
/// prefixed to stop a spreadsheet reading `=` as a formula: import the file as text where that
/// matters).
fn record<'a>(cells: impl IntoIterator<Item = &'a str>) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = w.write_record(cells);
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The header row.
pub fn csv_header() -> String {
    record(COLUMNS)
}

/// One passage as a CSV row (ending in CRLF).
pub fn csv_row(p: &StoredPassage) -> String {
    let d = &p.document;
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    let cells = [
        p.id.clone(),
        d.id.clone(),
        opt(&d.symbol),
        d.title.clone(),
        d.kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
        opt(&d.version),
        d.date.map(|x| x.to_string()).unwrap_or_default(),
        opt(&p.locator.paragraph),
        p.locator
            .timestamp
            .map(|t| t.to_string())
            .unwrap_or_default(),
        opt(&p.speaker),
        opt(&p.agency),
        p.topics.join(";"),
        p.text.clone(),
    ];
    record(cells.iter().map(String::as_str))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_when_they_must_be() {
        assert_eq!(record(["plain", "a, b"]), "plain,\"a, b\"\r\n");
        assert_eq!(record(["the \"Compact\""]), "\"the \"\"Compact\"\"\"\r\n");
        assert_eq!(record(["line\nbreak"]), "\"line\nbreak\"\r\n");
        assert_eq!(csv_header().trim_end().split(',').count(), COLUMNS.len());
    }
}
