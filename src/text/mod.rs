//! Small text helpers shared by parsers, registries and search: normalising keys for lookups,
//! folding accents, slugs, and word scanning. No domain knowledge lives here.
//!
//! May use: nothing of travaux but `model`; everything else builds on it.

pub mod analysis;
pub mod arabic;
pub mod citations;
pub mod han;
pub mod phrase;
pub mod stem;
pub mod tokens;

use tantivy::tokenizer::{AsciiFoldingFilter, RawTokenizer, SimpleTokenizer, TextAnalyzer};

thread_local! {
    /// A text folded whole, as the index folds its words.
    static FOLD: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(AsciiFoldingFilter)
            .build(),
    );
    /// Words (alphanumeric runs), folded, case kept: the index's split and folding.
    static WORDS: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(AsciiFoldingFilter)
            .build(),
    );
}

/// `s` with its letters folded to ASCII as the index folds them ("Genève" → "Geneve",
/// "Straße" → "Strasse"), so a key made here meets the words the index holds.
pub fn fold(s: &str) -> std::borrow::Cow<'_, str> {
    if s.is_ascii() {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    FOLD.with(|a| {
        a.borrow_mut()
            .token_stream(s)
            .process(&mut |t| out.push_str(&t.text))
    });
    std::borrow::Cow::Owned(out)
}

/// Lowercase, accent-folded, punctuation dropped, single spaces: the key under which
/// registries look names up ("Wachholz,  Cédric" → "wachholz cedric").
pub fn norm_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in fold(s).chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
            space = false;
        } else if !space && (c.is_whitespace() || "-_/,;:&|".contains(c)) {
            out.push(' ');
            space = true;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// A URL- and id-friendly slug: lowercase ASCII letters, digits and dashes.
pub fn slug(s: &str) -> String {
    let key = norm_key(s);
    let mut out: String = key
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    while out.contains("--") {
        out = out.replace("--", "-");
    }
    out.trim_matches('-').to_string()
}

/// Splits text into words (alphanumeric runs, accents folded as the index folds them), keeping
/// their case, with the byte offset where each starts: the one word splitter of travaux.
pub fn words(s: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    WORDS.with(|a| {
        a.borrow_mut()
            .token_stream(s)
            .process(&mut |t| out.push((t.offset_from, t.text.clone())))
    });
    out
}

/// The words of a phrase, lowercased.
pub fn lower_words(s: &str) -> Vec<String> {
    words(s)
        .into_iter()
        .map(|(_, w)| w.to_lowercase())
        .collect()
}

/// Levenshtein distance on chars, for "did you mean" suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(a, b)
}

/// The candidates closest to `wanted` (by edit distance on normalised keys, or containing it),
/// best first, at most `n`.
pub fn closest<'a>(
    wanted: &str,
    candidates: impl Iterator<Item = &'a str>,
    n: usize,
) -> Vec<String> {
    let w = norm_key(wanted);
    let mut scored: Vec<(usize, String)> = candidates
        .map(|c| {
            let k = norm_key(c);
            let d = if !w.is_empty() && (k.contains(&w) || w.contains(&k)) {
                0
            } else {
                edit_distance(&w, &k)
            };
            (d, c.to_string())
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    let limit = (w.chars().count() / 2).max(3);
    scored
        .into_iter()
        .filter(|(d, _)| *d <= limit)
        .take(n)
        .map(|(_, c)| c)
        .collect()
}

/// A `HashMap` keyed by words with a fast hash, for the registries' word tables, which are
/// looked up once per word of every passage ingested. (The standard hasher resists crafted
/// collisions; these tables are built from the registries and only read with document words,
/// so there is nothing to resist.)
pub type WordMap<V> = rustc_hash::FxHashMap<String, V>;

/// A speaker label without markdown, honorific spacing or "Surname, Name" order.
pub fn tidy_label(label: &str) -> String {
    let l = label.trim().trim_matches('*').trim();
    l.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A label as a name: "Wachholz, Cedric" → "Cedric Wachholz".
pub fn display_name(label: &str) -> String {
    let l = tidy_label(label);
    match l.split_once(',') {
        Some((last, first)) if !first.trim().is_empty() && !last.contains(' ') => {
            format!("{} {}", first.trim(), last.trim())
        }
        _ => l,
    }
}

/// Escapes text for HTML.
pub fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_case_accents_and_punctuation() {
        assert_eq!(norm_key("Wachholz,  Cédric"), "wachholz cedric");
        assert_eq!(norm_key("**Deniz Susar**"), "deniz susar");
        assert_eq!(slug("A/RES/80/118"), "a-res-80-118");
    }

    #[test]
    fn closest_finds_near_names() {
        let c = ["UNESCO", "UNICEF", "WHO", "ITU"];
        assert_eq!(closest("unesko", c.iter().copied(), 2)[0], "UNESCO");
        assert!(closest("zzzzzzzzzz", c.iter().copied(), 2).is_empty());
    }

    #[test]
    fn words_keep_offsets() {
        let w = words("Rev.1 — Genève");
        assert_eq!(w[0], (0, "Rev".to_string()));
        assert_eq!(w[2].1, "Geneve");
    }

    #[test]
    fn keys_fold_as_the_index_folds() {
        assert_eq!(norm_key("Wachholz,  Cédric"), "wachholz cedric");
        assert_eq!(norm_key("Straße"), "strasse");
        assert_eq!(norm_key("U.S."), "us");
        let mut index = crate::text::analysis::exact_analyzer();
        for name in ["Ñandú", "Øresund", "Łódź", "Æsir", "Gdańsk"] {
            let indexed = crate::text::analysis::words_of(&mut index, name).join(" ");
            assert_eq!(norm_key(name), indexed, "{name}");
        }
    }
}
