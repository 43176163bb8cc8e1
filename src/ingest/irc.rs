//! Chat logs of calls in the IRC form a W3C group keeps (`[2025-03-25T16:02:15.601Z]<TAB><nick>
//! <TAB>text`): a transcriber bot posts what speech recognition heard as `Name: text`, and
//! participants type their own lines beside it. A transcribed speaker's consecutive lines are
//! one turn; a typed line is its writer's, marked as chat; attendance and queue commands
//! (`present+`, `q+`) are nobody's statement. Times are kept from the call's first line.

use super::vtt::MAX_TURN_CHARS;
use super::{Draft, ParseError};
use crate::model::{Date, Kind, Locator, Turn};
use regex::Regex;
use std::sync::LazyLock;

static LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\[(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?Z\]\t<([^>]+)>\t(.*)$")
        .expect("valid regex")
});
/// What a transcriber heard: `Harrison_Tang: Hello everyone`.
static HEARD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([^\s:][^:]{0,80}?):\s+(.*)$").expect("valid regex"));
/// Commands to the channel's bots, not statements.
static COMMAND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:present[+-]|q[+\-?]|queue[+\-?]|scribe[+-]|ack\b|zakim,|rrsagent,|Meeting:|Chair:|Agenda:|Topic:|Scribe:|Present:|Date:)").expect("valid regex")
});

/// True when the text is such a log.
pub fn detect(text: &str) -> bool {
    text.lines().filter(|l| LINE.is_match(l)).take(3).count() == 3
}

/// A nick or transcribed name as a person's name: underscores are spaces.
fn name_of(nick: &str) -> String {
    nick.replace('_', " ").trim().to_string()
}

/// True when `nick` is the bot that posts what speech recognition heard.
fn is_transcriber(nick: &str) -> bool {
    let n = nick.to_lowercase();
    n.contains("transcriber") || n == "scribe"
}

/// Parses a call's log.
pub fn parse(text: &str) -> Result<Draft, ParseError> {
    let mut draft = Draft::new(Kind::Transcript);
    let mut first: Option<i64> = None;
    for (i, l) in text.lines().enumerate() {
        let Some(c) = LINE.captures(l) else { continue };
        let n = |k: usize| c[k].parse::<i64>().unwrap_or(0);
        if draft.date.is_none() {
            draft.date = Date::new(n(1) as i32, n(2) as u32, n(3) as u32);
        }
        let secs = n(4) * 3600 + n(5) * 60 + n(6);
        let at = (secs - *first.get_or_insert(secs)).max(0) as u64;
        let (nick, said) = (&c[7], c[8].trim());
        if said.is_empty() || COMMAND.is_match(said) {
            if let Some(t) = said.strip_prefix("Meeting:") {
                draft.title.get_or_insert_with(|| t.trim().to_string());
            }
            continue;
        }
        let (who, chat, words) = if is_transcriber(nick) {
            match HEARD.captures(said) {
                Some(h) => (name_of(&h[1]), false, h[2].trim().to_string()),
                None => continue,
            }
        } else {
            (name_of(nick), true, said.to_string())
        };
        if words.is_empty() {
            continue;
        }
        let role = chat.then(|| "chat".to_string());
        // A speaker's consecutive lines, transcribed or typed, are one turn.
        match draft.turns.last_mut() {
            Some(last)
                if last.label.as_deref() == Some(who.as_str())
                    && last.role == role
                    && last.text.len() + words.len() < MAX_TURN_CHARS =>
            {
                last.text.push(' ');
                last.text.push_str(&words);
            }
            _ => draft.turns.push(Turn {
                label: Some(who.clone()),
                speaker: Some(who),
                role,
                text: words,
                locator: Locator {
                    timestamp: Some(at),
                    line: Some(i as u64 + 1),
                    ..Locator::default()
                },
                ..Turn::default()
            }),
        }
    }
    if draft.turns.is_empty() {
        return Err(ParseError::Structure(
            "no lines (\"[2025-03-25T16:02:15Z]<TAB><nick><TAB>text\") found".into(),
        ));
    }
    Ok(draft)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transcribed_turns_and_typed_lines() {
        let text = "[2025-03-25T15:57:51.234Z]\t<Harrison_Tang>\tpresent+\n\
[2025-03-25T16:01:33.466Z]\t<Transcriber>\tMeeting: weekly\n\
[2025-03-25T16:02:15.601Z]\t<Transcriber>\tHarrison_Tang: Hello everyone.\n\
[2025-03-25T16:02:16.077Z]\t<Transcriber>\tHarrison_Tang:  on that.\n\
[2025-03-25T16:02:20.000Z]\t<Manu_Sporny>\tq+\n\
[2025-03-25T16:02:30.194Z]\t<Manu_Sporny>\tthe spec is at w3c.github.io\n\
[2025-03-25T16:03:43.554Z]\t<Transcriber>\tRichard: I'm head of product.\n";
        assert!(detect(text));
        let d = parse(text).unwrap();
        assert_eq!(d.title.as_deref(), Some("weekly"));
        assert_eq!(d.date.map(|x| x.to_string()).as_deref(), Some("2025-03-25"));
        let got: Vec<(&str, &str, Option<&str>)> = d
            .turns
            .iter()
            .map(|t| {
                (
                    t.speaker.as_deref().unwrap(),
                    t.text.as_str(),
                    t.role.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("Harrison Tang", "Hello everyone. on that.", None),
                ("Manu Sporny", "the spec is at w3c.github.io", Some("chat")),
                ("Richard", "I'm head of product.", None),
            ]
        );
        // Seconds from the call's first line.
        assert_eq!(d.turns[0].locator.timestamp, Some(264));
    }
}
