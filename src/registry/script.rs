//! Writing systems that tell a language on their own: a text mostly in Arabic, Cyrillic or Han
//! letters is in the one listed language written in that script, however short it is.

use serde::Deserialize;

/// A writing system that tells a language on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Script {
    Arabic,
    Cyrillic,
    Han,
}

impl Script {
    fn of(c: char) -> Option<Script> {
        match c as u32 {
            0x0600..=0x06FF
            | 0x0750..=0x077F
            | 0x08A0..=0x08FF
            | 0xFB50..=0xFDFF
            | 0xFE70..=0xFEFF => Some(Script::Arabic),
            0x0400..=0x052F => Some(Script::Cyrillic),
            _ if crate::text::han::is_han(c) => Some(Script::Han),
            _ => None,
        }
    }

    /// The script most of the letters of `text` are written in, if more than half are in one
    /// of these.
    pub fn mostly(text: &str) -> Option<Script> {
        let mut letters = 0usize;
        let mut counts = [0usize; 3];
        for c in text.chars().filter(|c| c.is_alphabetic()) {
            letters += 1;
            match Script::of(c) {
                Some(Script::Arabic) => counts[0] += 1,
                Some(Script::Cyrillic) => counts[1] += 1,
                Some(Script::Han) => counts[2] += 1,
                None => {}
            }
        }
        let (i, &n) = counts.iter().enumerate().max_by_key(|(_, n)| **n)?;
        (n * 2 > letters).then_some([Script::Arabic, Script::Cyrillic, Script::Han][i])
    }
}
