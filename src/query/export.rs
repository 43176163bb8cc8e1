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

/// The header row.
pub fn csv_header() -> String {
    let mut s = COLUMNS.join(",");
    s.push_str("\r\n");
    s
}

/// A field quoted as RFC 4180 wants when it holds a comma, a quote or a line break. The text
/// is kept exactly as written (nothing is prefixed to stop a spreadsheet reading `=` as a
/// formula: import the file as text where that matters).
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
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
    let mut row = cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(",");
    row.push_str("\r\n");
    row
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_when_they_must_be() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("the \"Compact\""), "\"the \"\"Compact\"\"\"");
        assert_eq!(field("line\nbreak"), "\"line\nbreak\"");
        assert_eq!(csv_header().trim_end().split(',').count(), COLUMNS.len());
    }
}
