//! Meeting transcripts exported from Microsoft Teams (and similar tools): a speaker line with
//! a timestamp — `#### Name m:ss`, `**Name** m:ss`, `## **Surname, Name** m:ss`,
//! `# Surname, Name m:ss` or bare `Name m:ss` — then that speaker's paragraphs.
//!
//! Each paragraph of a turn is a passage; a sentence that a paragraph break cut in two is
//! rejoined first.

use super::undoc::date_in;
use super::{ends_sentence, Draft, ParseError};
use crate::model::{Kind, Locator};
use regex::Regex;
use std::sync::LazyLock;

static SPEAKER_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:#{1,6}\s+)?(?:\*\*)?([^*#\s][^*#]{0,80}?)(?:\*\*)?\s+(\d{1,2}:\d{2}(?::\d{2})?)\s*$",
    )
    .expect("valid regex")
});
/// A turn's header, if `line` is one.
pub fn speaker_line(line: &str) -> Option<(String, u64)> {
    let c = SPEAKER_LINE.captures(line.trim_end())?;
    let name = c[1].trim().trim_matches('*').trim();
    if !name.chars().any(char::is_alphabetic) || !looks_like_name(name) {
        return None;
    }
    Some((name.to_string(), parse_clock(&c[2])?))
}

/// Words of a person's name start with a capital, but for the particles of family names.
fn looks_like_name(name: &str) -> bool {
    const PARTICLES: [&str; 12] = [
        "de", "da", "das", "do", "dos", "van", "von", "der", "del", "la", "le", "bin",
    ];
    let words: Vec<&str> = name.split_whitespace().collect();
    (1..=6).contains(&words.len())
        && words.iter().all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
                || PARTICLES.contains(w)
        })
}

/// `m:ss` or `h:mm:ss` as seconds.
pub fn parse_clock(s: &str) -> Option<u64> {
    let parts: Vec<u64> = s
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    match parts.as_slice() {
        [m, s] => Some(m * 60 + s),
        [h, m, s] => Some(h * 3600 + m * 60 + s),
        _ => None,
    }
}

/// True when the text has at least two Teams speaker lines.
pub fn detect(text: &str) -> bool {
    text.lines()
        .filter(|l| speaker_line(l).is_some())
        .take(2)
        .count()
        == 2
}

/// Parses a Teams export.
pub fn parse(text: &str) -> Result<Draft, ParseError> {
    let mut draft = Draft::new(Kind::Transcript);
    let mut current: Option<(String, u64)> = None;
    let mut paragraph: Vec<&str> = Vec::new();
    let mut para_line = 0;
    let mut header_done = false;
    let lines: Vec<&str> = text.lines().collect();

    for (i, raw) in lines.iter().enumerate() {
        let line = raw.trim();
        if let Some((name, ts)) = speaker_line(raw) {
            flush(&mut draft, &current, &mut paragraph, para_line);
            current = Some((name, ts));
            header_done = true;
            continue;
        }
        if !header_done {
            // Before the first turn: the title, the date line, tool notices.
            if draft.title.is_none() {
                if let Some(t) = line.strip_prefix('#') {
                    draft.title = Some(t.trim_start_matches('#').trim().replace("\\_", "_"));
                    continue;
                }
            }
            if draft.date.is_none() {
                draft.date = date_in(line);
            }
            continue;
        }
        if line.is_empty() {
            flush(&mut draft, &current, &mut paragraph, para_line);
            continue;
        }
        if is_notice(line) {
            continue;
        }
        if paragraph.is_empty() {
            para_line = i + 1;
        }
        paragraph.push(line);
    }
    flush(&mut draft, &current, &mut paragraph, para_line);
    if draft.turns.is_empty() {
        return Err(ParseError::Structure("no speaker turns found".into()));
    }
    Ok(draft)
}

/// A tool notice such as "## Jane Doe started transcription" or "Jane Doe stopped
/// transcription", with or without heading marks.
fn is_notice(line: &str) -> bool {
    let l = line.trim_start_matches('#').trim();
    let few_words = l.split_whitespace().count() <= 8;
    few_words
        && [
            "started transcription",
            "stopped transcription",
            "started recording",
            "stopped recording",
        ]
        .iter()
        .any(|n| l.ends_with(n))
}

fn flush(
    draft: &mut Draft,
    current: &Option<(String, u64)>,
    paragraph: &mut Vec<&str>,
    line: usize,
) {
    if paragraph.is_empty() {
        return;
    }
    let text = paragraph.join(" ");
    paragraph.clear();
    let Some((name, ts)) = current else { return };
    // A paragraph that does not end a sentence, or one that starts in lowercase, continues the
    // previous one of the same turn: the export cut a sentence in two.
    if let Some(last) = draft.turns.last_mut() {
        if last.label.as_deref() == Some(name.as_str()) && last.locator.timestamp == Some(*ts) {
            let starts_lower = text.chars().next().is_some_and(char::is_lowercase);
            if !ends_sentence(&last.text) || starts_lower {
                last.text.push(' ');
                last.text.push_str(&text);
                return;
            }
        }
    }
    draft.push_turn(
        Some(name.clone()),
        text,
        Locator {
            timestamp: Some(*ts),
            line: Some(line as u64),
            ..Locator::default()
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speaker_lines_in_every_form() {
        assert_eq!(
            speaker_line("#### Chengetai Masango 0:04"),
            Some(("Chengetai Masango".into(), 4))
        );
        assert_eq!(
            speaker_line("**Deniz Susar** 4:22"),
            Some(("Deniz Susar".into(), 262))
        );
        assert_eq!(
            speaker_line("## **Wachholz, Cedric** 6:41"),
            Some(("Wachholz, Cedric".into(), 401))
        );
        assert_eq!(
            speaker_line("# Prieto, Maria 16:48"),
            Some(("Prieto, Maria".into(), 1008))
        );
        assert_eq!(
            speaker_line("Chengetai Masango 4:28"),
            Some(("Chengetai Masango".into(), 268))
        );
        assert_eq!(speaker_line("We will meet at 4:00"), None);
    }

    #[test]
    fn cut_sentences_are_rejoined() {
        let t = "#### A B 0:01\n\nwe want it to be\n\nextended. Thank you.\n\nNew point here.\n\n**C D** 0:09\n\nYes.\n";
        let d = parse(t).unwrap();
        assert_eq!(d.turns.len(), 3);
        assert_eq!(d.turns[0].text, "we want it to be extended. Thank you.");
        assert_eq!(d.turns[2].label.as_deref(), Some("C D"));
    }
}
