//! WebVTT captions (Zoom and Teams `.vtt`): cues with `<v Name>` voice tags or a `Name:` prefix.
//! Consecutive cues of one speaker are one turn (a passage), stamped with its first cue's start.

use super::{Draft, ParseError};
use crate::model::{Kind, Locator};
use regex::Regex;
use std::sync::LazyLock;

static TIMING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(\d+):)?(\d{2}):(\d{2})[.,]\d{3}\s+-->\s+").expect("valid regex")
});
static VOICE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^<v(?:\.[^ >]*)?\s+([^>]+)>").expect("valid regex"));
static NAME_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([\p{L}][\p{L}\p{M} .'’\-]{0,60}?):\s+(.*)$").expect("valid regex")
});
static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"</?[^>]+>").expect("valid regex"));

/// Longest passage, in characters, that consecutive cues are merged into.
pub(super) const MAX_TURN_CHARS: usize = 1500;

/// True when the text is WebVTT.
pub fn detect(text: &str) -> bool {
    text.trim_start_matches('\u{feff}').starts_with("WEBVTT")
}

/// Parses WebVTT.
pub fn parse(text: &str) -> Result<Draft, ParseError> {
    let mut draft = Draft::new(Kind::Transcript);
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    let mut last_speaker: Option<String> = None;
    while i < lines.len() {
        let Some(c) = TIMING.captures(lines[i].trim()) else {
            i += 1;
            continue;
        };
        let secs = |k: usize| {
            c.get(k)
                .map_or(0, |m| m.as_str().parse::<u64>().unwrap_or(0))
        };
        let start = secs(1) * 3600 + secs(2) * 60 + secs(3);
        let cue_line = i + 1;
        i += 1;
        let mut cue = Vec::new();
        while i < lines.len() && !lines[i].trim().is_empty() {
            cue.push(lines[i].trim());
            i += 1;
        }
        let mut joined = cue.join(" ");
        let mut speaker = None;
        if let Some(v) = VOICE.captures(&joined) {
            speaker = Some(v[1].trim().to_string());
        }
        joined = TAG.replace_all(&joined, "").trim().to_string();
        if speaker.is_none() {
            if let Some(n) = NAME_PREFIX.captures(&joined) {
                speaker = Some(n[1].trim().to_string());
                joined = n[2].trim().to_string();
            }
        }
        if joined.is_empty() {
            continue;
        }
        let speaker = speaker.or_else(|| last_speaker.clone());
        if let Some(last) = draft.turns.last_mut() {
            if last.label == speaker && last.text.len() + joined.len() < MAX_TURN_CHARS {
                last.text.push(' ');
                last.text.push_str(&joined);
                continue;
            }
        }
        last_speaker.clone_from(&speaker);
        draft.push_turn(
            speaker,
            joined,
            Locator {
                timestamp: Some(start),
                line: Some(cue_line as u64),
                ..Locator::default()
            },
        );
    }
    if draft.turns.is_empty() {
        return Err(ParseError::Structure(
            "WEBVTT header but no cues with text".into(),
        ));
    }
    Ok(draft)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voices_and_name_prefixes() {
        let t = "WEBVTT\n\n1\n00:00:04.859 --> 00:00:07.410\nAndrew Knight: Okay, so we're recording.\n\n2\n00:00:09.540 --> 00:00:12.990\nAndrew Knight: We have that setup.\n\n3\n00:01:15.630 --> 00:01:17.760\n<v Paul McCartney>She just got back.</v>\n";
        let d = parse(t).unwrap();
        assert_eq!(d.turns.len(), 2);
        assert_eq!(
            d.turns[0].text,
            "Okay, so we're recording. We have that setup."
        );
        assert_eq!(d.turns[0].locator.timestamp, Some(4));
        assert_eq!(d.turns[1].label.as_deref(), Some("Paul McCartney"));
        assert_eq!(d.turns[1].locator.timestamp, Some(75));
    }
}
