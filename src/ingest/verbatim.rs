//! UN verbatim records (`S/PV.…`, `A/…/PV.…`) as text extracted from PDF: turns open with
//! `The President:` or `Mr. Wood (United States of America):` — the delegation in parentheses
//! is the agency; a further `(spoke in Chinese)` is dropped. Paragraphs inside a turn are
//! found by their short last line; page furniture and the running line
//! (`30/01/2026 The situation in Cyprus S/PV.10100`) are removed and give the date, title and
//! symbol.

use super::pdftext::{clean, join_lines, CleanLine};
use super::{Draft, ParseError};
use crate::model::{Date, Kind, Locator};
use regex::Regex;
use std::sync::LazyLock;

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^((?:The (?:President|Acting President|Chair|Vice-President|Secretary-General|Deputy Secretary-General))|(?:(?:Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady|Archbishop|Cardinal|Prince|Princess|Sheikh|Sheikha|Monsignor)\.?\s+[^:()]{1,60}?))((?:\s*\([^()]{1,120}\))*)\s*:\s*(.*)$",
    )
    .expect("valid regex")
});
static RUNNING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(\d{2})/(\d{2})/(\d{4})\s+(.+?)\s+([A-Z]{1,2}/\S*PV\.\d+\S*)|([A-Z]{1,2}/\S*PV\.\d+\S*)\s+(.+?)\s+(\d{2})/(\d{2})/(\d{4}))$")
        .expect("valid regex")
});
static PAREN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\(([^()]+)\)").expect("valid regex"));

/// A speaker label at the start of a line: (label, agency in parentheses, rest of the line).
pub fn label(line: &str) -> Option<(String, Option<String>, String)> {
    let c = LABEL.captures(line)?;
    let name = c[1].trim().to_string();
    let agency = PAREN
        .captures_iter(&c[2])
        .map(|p| p[1].trim().to_string())
        .find(|p| {
            !p.to_lowercase().starts_with("spoke in")
                && !p.to_lowercase().starts_with("interpretation")
        });
    Some((name, agency, c[3].trim().to_string()))
}

/// True when the text has verbatim-record turns.
pub fn detect(text: &str) -> bool {
    let labels = text
        .lines()
        .filter(|l| label(l.trim()).is_some())
        .take(3)
        .count();
    labels >= 2
        && text
            .lines()
            .any(|l| l.trim().starts_with("The President:") || RUNNING.is_match(l.trim()))
}

/// Parses a verbatim record.
pub fn parse(text: &str) -> Result<Draft, ParseError> {
    let mut draft = Draft::new(Kind::Transcript);
    for l in text.lines() {
        if let Some(c) = RUNNING.captures(l.trim()) {
            let (d, m, y, title, symbol) = if c.get(1).is_some() {
                (&c[1], &c[2], &c[3], &c[4], &c[5])
            } else {
                (&c[8], &c[9], &c[10], &c[7], &c[6])
            };
            draft.date = Date::new(
                y.parse().unwrap_or(0),
                m.parse().unwrap_or(0),
                d.parse().unwrap_or(0),
            );
            draft.title = Some(title.to_string());
            draft.symbol = Some(symbol.to_string());
            break;
        }
    }
    let cleaned = clean(text, draft.symbol.as_deref());
    let lines: Vec<&CleanLine> = cleaned
        .lines
        .iter()
        .filter(|l| !l.text.is_empty())
        .collect();
    let width = typical_width(&lines);

    struct Turn {
        label: String,
        agency: Option<String>,
        paras: Vec<(usize, Vec<String>)>,
    }
    let mut turns: Vec<Turn> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let mut text = lines[i].text.clone();
        // A label whose parentheses wrap onto the next line.
        if text.matches('(').count() > text.matches(')').count()
            && i + 1 < lines.len()
            && !text.contains("):")
        {
            let two = format!("{} {}", text, lines[i + 1].text);
            if label(&two).is_some() {
                text = two;
                i += 1;
            }
        }
        if let Some((name, agency, rest)) = label(&text) {
            turns.push(Turn {
                label: name,
                agency,
                paras: vec![(lines[i].no, vec![rest])],
            });
        } else if let Some(t) = turns.last_mut() {
            let last = t.paras.last_mut().expect("a turn has a paragraph");
            let prev = last.1.last().map(String::as_str).unwrap_or("");
            let ends_para =
                prev.ends_with(['.', ':', '?', '!', '”']) && prev.chars().count() * 4 < width * 3;
            if ends_para {
                t.paras.push((lines[i].no, vec![text]));
            } else {
                last.1.push(text);
            }
        }
        i += 1;
    }
    for t in turns {
        for (no, para) in t.paras {
            let text = join_lines(para.iter().map(String::as_str));
            if text.is_empty() {
                continue;
            }
            draft.push_turn(
                Some(t.label.clone()),
                text,
                Locator {
                    line: Some(no as u64),
                    ..Locator::default()
                },
            );
            if let Some(last) = draft.turns.last_mut() {
                last.agency.clone_from(&t.agency);
            }
        }
    }
    if draft.turns.is_empty() {
        return Err(ParseError::Structure(
            "no speaker turns (\"The President:\", \"Mr. X (Country):\") found".into(),
        ));
    }
    Ok(draft)
}

/// The line length of full lines (the 80th percentile), in characters.
fn typical_width(lines: &[&CleanLine]) -> usize {
    let mut w: Vec<usize> = lines.iter().map(|l| l.text.chars().count()).collect();
    w.sort_unstable();
    w.get(w.len() * 4 / 5).copied().unwrap_or(80).max(20)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_with_delegations() {
        assert_eq!(
            label("Mr. Fu Cong (China) (spoke in Chinese): China welcomes"),
            Some((
                "Mr. Fu Cong".into(),
                Some("China".into()),
                "China welcomes".into()
            ))
        );
        assert_eq!(
            label("The President: The Security Council").unwrap().0,
            "The President"
        );
        assert_eq!(label("Mr. Bendjama: In accordance").unwrap().1, None);
        assert!(label("Members of the Council: have").is_none());
    }
}
