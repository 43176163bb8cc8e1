//! Minutes and plain-text transcripts whose turns open with a label and a colon: `MF: …` with
//! an attendee table or list that resolves abbreviations to names and organisations (TC39-style
//! minutes), or `Jane Doe: …`. Markdown headings become sections; paragraphs without a label
//! are passages without a speaker.

use super::undoc::date_in;
use super::{Draft, ParseError};
use crate::model::{Kind, Locator};
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

static TURN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\*\*)?([A-Z][A-Z0-9]{1,5}|[\p{Lu}][\p{L}'’.-]+(?: [\p{Lu}][\p{L}'’.-]+){0,3})(?:\*\*)?:\s+(\S.*)$")
        .expect("valid regex")
});
static TABLE_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\|\s*([^|]+?)\s*\|\s*([A-Z][A-Z0-9!]{1,5})\s*\|\s*([^|]*?)\s*\|")
        .expect("valid regex")
});
static LIST_ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([\p{L}][\p{L} .'’-]+?)\s*\(([A-Z][A-Z0-9]{1,5})\)").expect("valid regex")
});

/// Words that open a line with a colon without being a speaker.
const NOT_SPEAKERS: [&str; 12] = [
    "Presenter",
    "Presenters",
    "Note",
    "Notes",
    "Conclusion",
    "Summary",
    "Agenda",
    "Slides",
    "Date",
    "Location",
    "Outcome",
    "Action",
];

/// A person named in the attendee table or list.
#[derive(Debug, Clone)]
struct Attendee {
    name: String,
    organisation: Option<String>,
}

fn turn(line: &str) -> Option<(String, String)> {
    let c = TURN.captures(line)?;
    let label = c[1].trim().to_string();
    if NOT_SPEAKERS.contains(&label.as_str()) {
        return None;
    }
    Some((label, c[2].trim().to_string()))
}

/// True when at least three lines are `Label: text` turns.
pub fn detect(text: &str) -> bool {
    text.lines()
        .filter(|l| turn(l.trim()).is_some())
        .take(3)
        .count()
        == 3
}

/// Parses minutes or a `Name: text` transcript.
pub fn parse(text: &str) -> Result<Draft, ParseError> {
    let mut draft = Draft::new(Kind::Transcript);
    let mut attendees: HashMap<String, Attendee> = HashMap::new();
    for l in text.lines() {
        let t = l.trim();
        if let Some(c) = TABLE_ROW.captures(t) {
            let org = c[3].trim();
            attendees.insert(
                c[2].to_string(),
                Attendee {
                    name: c[1].trim().to_string(),
                    organisation: (!org.is_empty()).then(|| org.to_string()),
                },
            );
        } else if t.to_lowercase().contains("attendees:") {
            for c in LIST_ENTRY.captures_iter(t) {
                let name = c[1].trim().trim_start_matches(',').trim().to_string();
                attendees.entry(c[2].to_string()).or_insert(Attendee {
                    name,
                    organisation: None,
                });
            }
        }
        if draft.title.is_none() {
            if let Some(h) = t.strip_prefix("# ") {
                draft.title = Some(h.trim().to_string());
            }
        }
        if draft.date.is_none() && (t.starts_with('#') || t.to_lowercase().starts_with("day")) {
            draft.date = date_in(t);
        }
    }

    let mut section: Option<String> = None;
    let mut para: Vec<String> = Vec::new();
    let mut speaker: Option<(String, usize)> = None;
    let lines: Vec<&str> = text.lines().collect();
    let mut start_line = 0;
    let flush = |draft: &mut Draft,
                 para: &mut Vec<String>,
                 speaker: &Option<(String, usize)>,
                 section: &Option<String>,
                 line: usize| {
        if para.is_empty() {
            return;
        }
        let text = para.join(" ");
        para.clear();
        let label = speaker.as_ref().map(|(s, _)| s.clone());
        let who = label.as_ref().and_then(|l| attendees.get(l));
        draft.push_turn(
            label.clone(),
            text,
            Locator {
                section: section.clone(),
                line: Some(line as u64),
                ..Locator::default()
            },
        );
        if let (Some(last), Some(a)) = (draft.turns.last_mut(), who) {
            last.speaker = Some(a.name.clone());
            last.agency.clone_from(&a.organisation);
        }
    };
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim();
        if t.is_empty() {
            flush(&mut draft, &mut para, &speaker, &section, start_line);
            speaker = None;
            continue;
        }
        if t.starts_with('|') || t.starts_with("-----") || t.to_lowercase().contains("attendees:**")
        {
            continue;
        }
        if let Some(h) = t.strip_prefix('#') {
            flush(&mut draft, &mut para, &speaker, &section, start_line);
            speaker = None;
            let h = h.trim_start_matches('#').trim();
            if !h.is_empty() {
                section = Some(h.to_string());
            }
            continue;
        }
        if t.len() < 48 && date_in(t).is_some() {
            continue; // a date line ("Day One—18 November 2025")
        }
        if let Some((label, rest)) = turn(t) {
            flush(&mut draft, &mut para, &speaker, &section, start_line);
            speaker = Some((label, i + 1));
            start_line = i + 1;
            para.push(rest);
            continue;
        }
        if para.is_empty() {
            start_line = i + 1;
        }
        para.push(t.to_string());
    }
    flush(&mut draft, &mut para, &speaker, &section, start_line);
    if !draft.turns.iter().any(|t| t.label.is_some()) {
        return Err(ParseError::Structure("no `Name: text` turns found".into()));
    }
    Ok(draft)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_resolve_through_the_table() {
        let t = "# Meeting\n\nDay One—18 November 2025\n\n| Name | Abbreviation | Organization |\n|---|---|---|\n| Waldemar Horwat | WH | Invited Expert |\n\n## Topic A\n\nWH: I object.\n\nXYZ: Who is this?\nStill XYZ.\n\nA narrative paragraph.\n";
        let d = parse(t).unwrap();
        assert_eq!(d.date.unwrap().to_string(), "2025-11-18");
        assert_eq!(d.turns[0].speaker.as_deref(), Some("Waldemar Horwat"));
        assert_eq!(d.turns[0].agency.as_deref(), Some("Invited Expert"));
        assert_eq!(d.turns[0].locator.section.as_deref(), Some("Topic A"));
        assert_eq!(d.turns[1].text, "Who is this? Still XYZ.");
        assert_eq!(d.turns[2].label, None);
    }
}
