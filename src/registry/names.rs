//! Names and abbreviations as the registries pair them ("GDC", "Global Digital Compact"), and
//! the word-level keys the index stores for query understanding: abbreviations as written in
//! capitals (`caps`) and transcript words by their sound (`sound`).

use crate::registry::Registry;
use crate::text::analysis::{exact_analyzer, words_of};
use rphonetic::DoubleMetaphone;
use std::collections::HashMap;
use tantivy::tokenizer::TextAnalyzer;

/// The names and abbreviations the registries pair: terms with their forms, agencies with their
/// names and aliases. Recognition variants are not here: they are read back at ingest.
#[derive(Debug, Default)]
pub struct Names {
    /// Each group's forms, with their keys.
    groups: Vec<Vec<(String, String)>>,
    by_key: HashMap<String, Vec<usize>>,
}

impl Names {
    pub fn new(registry: &Registry) -> Names {
        let mut names = Names::default();
        for t in &registry.terms {
            names.add(std::iter::once(&t.term).chain(&t.forms).cloned().collect());
        }
        for a in &registry.agencies {
            let mut g: Vec<String> = vec![a.id.clone()];
            g.extend(a.name.iter().cloned());
            g.extend(a.aliases.iter().cloned());
            names.add(g);
        }
        names
    }

    fn add(&mut self, mut group: Vec<String>) {
        group.sort();
        group.dedup();
        let i = self.groups.len();
        let keyed: Vec<(String, String)> = group.into_iter().map(|f| (name_key(&f), f)).collect();
        for (key, form) in &keyed {
            let mut keys = vec![key.clone()];
            // "ICT" is also written "ICTs".
            if is_short_form(form) && !form.ends_with('s') {
                keys.push(name_key(&format!("{form}s")));
            }
            for k in keys.into_iter().filter(|k| !k.is_empty()) {
                let at = self.by_key.entry(k).or_default();
                if !at.contains(&i) {
                    at.push(i);
                }
            }
        }
        self.groups.push(keyed);
    }

    /// The other forms of every group `text` is a form of.
    pub fn others(&self, text: &str) -> Vec<&str> {
        let key = name_key(text);
        let mut out: Vec<&str> = Vec::new();
        for &g in self.by_key.get(&key).into_iter().flatten() {
            for (k, form) in &self.groups[g] {
                if *k != key && !out.contains(&form.as_str()) {
                    out.push(form);
                }
            }
        }
        out
    }

    /// True when `text` is a form of some group.
    pub fn knows(&self, text: &str) -> bool {
        self.by_key.contains_key(&name_key(text))
    }
}

thread_local! {
    /// The analyzer for text as written, built once per thread: keys are made per query word.
    static EXACT: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(exact_analyzer());
}

/// The words of `text` as written (lowercase, accents folded, no stemming).
pub fn exact_words(text: &str) -> Vec<String> {
    EXACT.with(|a| words_of(&mut a.borrow_mut(), text))
}

/// A name compared without case, accents, punctuation or hyphens.
pub fn name_key(s: &str) -> String {
    exact_words(s).join(" ")
}

/// An abbreviation as written: no spaces, capitals (and digits) with at least two capitals,
/// perhaps a plural `s` ("ICTs").
pub fn is_short_form(s: &str) -> bool {
    let core = s.strip_suffix('s').unwrap_or(s);
    core.chars().count() >= 2
        && core.chars().filter(|c| c.is_uppercase()).count() >= 2
        && core
            .chars()
            .all(|c| c.is_uppercase() || c.is_ascii_digit() || c == '&')
}

/// The `caps` value of a word written as an abbreviation: its capitals, without a plural `s`.
pub fn caps_key(word: &str) -> Option<String> {
    is_short_form(word).then(|| word.strip_suffix('s').unwrap_or(word).to_string())
}

/// The abbreviations written in capitals in `text`, for the `caps` field.
pub fn caps_in(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '&'))
        .filter_map(caps_key)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The `sound` value every passage of recognised speech holds.
pub const RECOGNISED: &str = "*";

/// The `sound` values of a transcript's text: each distinct name (a word of three letters or
/// more written with a capital) under its Double Metaphone key. Speech recognition capitalises
/// the names it hears, however it spells them.
pub fn sounds_in(text: &str) -> Vec<String> {
    let dm = DoubleMetaphone::default();
    let mut out: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .flat_map(exact_words)
        .filter(|w| w.chars().count() >= 3 && w.chars().all(char::is_alphabetic))
        .map(|w| format!("{}|{w}", dm.double_metaphone(&w).primary()))
        .collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms_and_their_capitals() {
        assert!(is_short_form("WHO") && is_short_form("ICTs") && is_short_form("UN80"));
        assert!(!is_short_form("Who") && !is_short_form("A") && !is_short_form("who"));
        assert_eq!(
            caps_in("ICTs and the WHO, who said so; UNESCO."),
            vec!["ICT", "UNESCO", "WHO"]
        );
    }

    #[test]
    fn names_pair_both_ways() {
        let r = Registry::embedded();
        let names = Names::new(&r);
        assert!(names.others("GDC").contains(&"Global Digital Compact"));
        assert!(names.others("global digital compact").contains(&"GDC"));
        assert!(names
            .others("OHCHR")
            .iter()
            .any(|f| f.contains("High Commissioner for Human Rights")));
        assert!(names
            .others("ICTs")
            .iter()
            .any(|f| f.contains("information and communications technolog")));
    }

    #[test]
    fn sounds_group_words_said_alike() {
        let s = sounds_in("Mr. Wachholz and Wakholz spoke; a b");
        assert!(
            !s.iter().any(|v| v.ends_with("|spoke")),
            "only names: {s:?}"
        );
        let key = |w: &str| {
            s.iter()
                .find(|v| v.ends_with(&format!("|{w}")))
                .map(|v| v.split('|').next().unwrap().to_string())
        };
        assert!(key("wachholz").is_some());
        assert_eq!(key("wachholz"), key("wakholz"));
        assert!(s.iter().all(|v| !v.ends_with("|a")));
    }
}
