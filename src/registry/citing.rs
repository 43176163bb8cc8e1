//! The verbs that introduce citations (`index-schema/citations.toml`) and, for a citation at a
//! place in a text, the one that introduces it: "Recalling its resolution 70/125" is a recalling,
//! "Takes note of the report (A/80/164)" a taking note.

use crate::text::lower_words;
use serde::Deserialize;

/// A verb and the ways the record writes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CitingVerb {
    pub verb: String,
    pub forms: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CitingFile {
    #[serde(default)]
    pub verb: Vec<CitingVerb>,
}

/// The verbs, with each form's words ready for matching.
#[derive(Debug, Clone, Default)]
pub struct CitingVerbs {
    pub verbs: Vec<CitingVerb>,
    /// Each form's lowercased words and the verb it writes, longest form first.
    forms: Vec<(Vec<String>, usize)>,
}

impl CitingVerbs {
    pub fn new(verbs: Vec<CitingVerb>) -> CitingVerbs {
        let mut forms: Vec<(Vec<String>, usize)> = verbs
            .iter()
            .enumerate()
            .flat_map(|(i, v)| {
                std::iter::once(&v.verb)
                    .chain(&v.forms)
                    .map(move |f| (lower_words(f), i))
            })
            .filter(|(w, _)| !w.is_empty())
            .collect();
        forms.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        CitingVerbs { verbs, forms }
    }

    /// The verb of the form at the end of `ws[..end]`, the longest there.
    fn ending_at(&self, ws: &[String], end: usize) -> Option<&str> {
        self.forms
            .iter()
            .find(|(f, _)| f.len() <= end && ws[end - f.len()..end] == f[..])
            .map(|(_, v)| self.verbs[*v].verb.as_str())
    }

    /// The verb introducing what is cited at byte `at` of `text`: the form that ends nearest
    /// before it in its clause (since the last semicolon).
    pub fn before(&self, text: &str, at: usize) -> Option<&str> {
        let at = (0..=at.min(text.len()))
            .rev()
            .find(|&i| text.is_char_boundary(i))?;
        let from = text[..at].rfind(';').map_or(0, |i| i + 1);
        let ws = lower_words(&text[from..at]);
        (1..=ws.len())
            .rev()
            .find_map(|end| self.ending_at(&ws, end))
    }

    /// The verb that opens `text` (its first form): what a paragraph does with the documents
    /// its footnotes name.
    pub fn opening(&self, text: &str) -> Option<&str> {
        let ws = lower_words(text);
        (1..=ws.len()).find_map(|end| self.ending_at(&ws, end))
    }
}

#[cfg(test)]
mod tests {
    use crate::registry::Registry;

    #[test]
    fn the_nearest_verb_in_the_clause_introduces_a_citation() {
        let reg = Registry::embedded();
        let v = &reg.citing;
        let t = "Recalling its resolutions 70/125 and 75/202, and welcoming resolution 79/1,";
        assert_eq!(v.before(t, t.find("70/125").unwrap()), Some("recalling"));
        assert_eq!(v.before(t, t.find("75/202").unwrap()), Some("recalling"));
        assert_eq!(v.before(t, t.find("79/1,").unwrap()), Some("welcoming"));
        // The longest form where two end together; a semicolon ends a clause.
        let t = "Notes with concern the findings of resolution 78/2; resolution 79/3 applies";
        assert_eq!(
            v.before(t, t.find("78/2").unwrap()),
            Some("noting with concern")
        );
        assert_eq!(v.before(t, t.find("79/3").unwrap()), None);
        let t = "Takes note of the report of the Secretary-General submitted pursuant to paragraph 5 of resolution 79/42";
        assert_eq!(v.before(t, t.find("79/42").unwrap()), Some("pursuant to"));
        assert_eq!(v.opening(t), Some("taking note"));
        assert_eq!(v.opening("The Assembly, in 2005 and 2015"), None);
    }
}
