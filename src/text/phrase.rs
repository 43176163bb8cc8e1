//! Whole-word phrase lookup: a text cut into words once ([`Tokens`]) and a matcher that finds
//! which of many registered phrases occur in it ([`PhraseMatcher`]). The registries, the
//! speech-recognition variants and attribution all look phrases up this way.

use crate::text::{words, WordMap};

/// Finds which of many registered phrases occur in a text, by whole words. A phrase written
/// without lowercase letters (an acronym: `WHO`, `AI`) matches only in capitals, so the pronoun
/// "who" is not the agency; a trailing `*` matches any ending of the last word.
#[derive(Debug, Default, Clone)]
pub struct PhraseMatcher {
    by_first: WordMap<Vec<Pattern>>,
    /// One-word prefix patterns, also tried against every word.
    prefixes: Vec<Pattern>,
}

#[derive(Debug, Clone)]
struct Pattern {
    words: Vec<String>,
    exact_case: bool,
    prefix_last: bool,
    target: usize,
}

impl PhraseMatcher {
    /// Registers `phrase` as a way of writing the thing numbered `target`.
    pub fn add(&mut self, phrase: &str, target: usize) {
        let prefix_last = phrase.ends_with('*');
        let phrase = phrase.trim_end_matches('*');
        let exact_case =
            phrase.chars().any(|c| c.is_uppercase()) && !phrase.chars().any(|c| c.is_lowercase());
        let ws: Vec<String> = words(phrase)
            .into_iter()
            .map(|(_, w)| if exact_case { w } else { w.to_lowercase() })
            .collect();
        if ws.is_empty() {
            return;
        }
        let first = ws[0].to_lowercase();
        let pattern = Pattern {
            words: ws,
            exact_case,
            prefix_last,
            target,
        };
        if prefix_last && pattern.words.len() == 1 {
            self.prefixes.push(pattern.clone());
        }
        self.by_first.entry(first).or_default().push(pattern);
    }

    /// Every match in `text`: (byte offset of the first word, byte end, target), in text order.
    pub fn find(&self, text: &str) -> Vec<(usize, usize, usize)> {
        self.find_in(&Tokens::new(text))
    }

    /// As [`PhraseMatcher::find`], on a text already cut into words (many lookups, one cut).
    pub fn find_in(&self, t: &Tokens) -> Vec<(usize, usize, usize)> {
        let (ws, lower) = (&t.words, &t.lower);
        // The form of word `i` a pattern compares against.
        let form = |p: &Pattern, i: usize| {
            if p.exact_case {
                ws[i].1.as_str()
            } else {
                lower[i].as_str()
            }
        };
        let mut out = Vec::new();
        for i in 0..ws.len() {
            for p in self.by_first.get(&lower[i]).into_iter().flatten() {
                let n = p.words.len();
                let ok = i + n <= ws.len()
                    && p.words.iter().enumerate().all(|(k, pw)| {
                        let w = form(p, i + k);
                        if p.prefix_last && k == n - 1 {
                            w.starts_with(pw.as_str())
                        } else {
                            w == pw
                        }
                    });
                if ok {
                    let last = i + n - 1;
                    out.push((ws[i].0, ws[last].0 + ws[last].1.len(), p.target));
                }
            }
            // One-word prefix patterns (`gender*`) also match longer words ("gendered"),
            // which the lookup by first word cannot find.
            for p in &self.prefixes {
                let w = form(p, i);
                if w.len() > p.words[0].len() && w.starts_with(p.words[0].as_str()) {
                    out.push((ws[i].0, ws[i].0 + ws[i].1.len(), p.target));
                }
            }
        }
        out.sort();
        out
    }
}

/// A text cut into words once, for many phrase lookups.
#[derive(Debug, Clone)]
pub struct Tokens {
    /// Words with their byte offsets, case kept.
    pub words: Vec<(usize, String)>,
    /// The same words in lowercase.
    pub lower: Vec<String>,
}

impl Tokens {
    pub fn new(text: &str) -> Tokens {
        let words = words(text);
        let lower = words.iter().map(|(_, w)| w.to_lowercase()).collect();
        Tokens { words, lower }
    }
}
