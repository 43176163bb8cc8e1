//! Recognition variants: the forms speech recognition gives the names and terms users search for
//! ("VSIS" for WSIS, "Angus" for UNGIS, "Rd. maps" for road maps, "reg one" for Rev.1), and a
//! passage read back with the intended forms. The index searches that reading beside the text as
//! written, so a search for WSIS finds "VSIS" while results show what the transcript says.
//!
//! A variant that is also an ordinary word or a name (a homonym: "Angus", "Odette", "untag") is
//! read as the name only in a document that also names the thing in an unambiguous form, as a
//! reader would: in a meeting where UNGIS is discussed, "the Angus matrix" is UNGIS's; in a
//! document that never names UNGIS, Angus is a person. A form heard for two entries ("OMTARD",
//! for UNCTAD or UN Tourism) is a homonym of both: it is read as the one the document names,
//! and as neither when it names both.
//!
//! The forms come from the registries (agencies' `asr` and `homonyms`, terms.toml, version
//! labels' `forms`); this module holds only the mechanism.

use crate::text::norm_key;
use crate::text::phrase::{PhraseMatcher, Tokens};
use std::collections::HashSet;

/// One thing with recognition variants: an agency, a term or a version label.
pub struct Entry<'a> {
    /// The form written back and searched for.
    pub canonical: &'a str,
    /// Unambiguous forms (names, aliases), which also show that a document names the thing.
    pub names: Vec<&'a str>,
    /// Recognition forms that are not ordinary words.
    pub variants: Vec<&'a str>,
    /// Recognition forms that are also ordinary words or names.
    pub homonyms: Vec<&'a str>,
}

/// Groups named in a document (indices of the entries passed to [`Variants::build`]).
pub type Named = HashSet<usize>;

#[derive(Debug, Clone)]
struct Form {
    group: usize,
    homonym: bool,
}

/// The variants of every registry entry, ready to find and read back.
#[derive(Debug, Clone, Default)]
pub struct Variants {
    /// Variant and homonym phrases; targets index `forms`.
    matcher: PhraseMatcher,
    forms: Vec<Form>,
    /// Unambiguous forms (canonical, names, variants); targets are groups.
    named: PhraseMatcher,
    canonical: Vec<String>,
    /// Normalised canonical form or name → group, to find what a searched word stands for.
    by_key: crate::text::WordMap<usize>,
    /// The phrases written for each group's variants and homonyms.
    spoken: Vec<Vec<String>>,
    /// The indexed terms of the canonical forms: the only words a read-back adds.
    written: std::collections::HashSet<String>,
    /// Each canonical form's indexed terms, in order.
    canonical_terms: Vec<Vec<String>>,
}

impl Variants {
    /// Builds the matchers; an entry's position is its group number.
    pub fn build<'a>(entries: impl IntoIterator<Item = Entry<'a>>) -> Variants {
        let entries: Vec<Entry> = entries.into_iter().collect();
        // A form heard for more than one entry ("OMTARD" for UNCTAD and for UN Tourism) is
        // ambiguous: it is read as a homonym of each.
        let mut owners: std::collections::HashMap<String, HashSet<usize>> = Default::default();
        for (group, e) in entries.iter().enumerate() {
            for p in e.variants.iter().chain(&e.homonyms) {
                owners.entry(norm_key(p)).or_default().insert(group);
            }
        }
        let shared = |p: &str| owners.get(&norm_key(p)).is_some_and(|g| g.len() > 1);
        let mut v = Variants::default();
        for (group, e) in entries.into_iter().enumerate() {
            v.canonical.push(e.canonical.to_string());
            let terms: Vec<String> = crate::text::analysis::analyzed(e.canonical)
                .into_iter()
                .map(|t| t.text)
                .collect();
            v.written.extend(terms.iter().cloned());
            v.canonical_terms.push(terms);
            v.spoken.push(Vec::new());
            for n in std::iter::once(e.canonical).chain(e.names.iter().copied()) {
                v.named.add(n, group);
                v.by_key.entry(norm_key(n)).or_insert(group);
            }
            for (phrases, homonym) in [(&e.variants, false), (&e.homonyms, true)] {
                for p in phrases
                    .iter()
                    .filter(|p| norm_key(p) != norm_key(e.canonical))
                {
                    let homonym = homonym || shared(p);
                    if !homonym {
                        v.named.add(p, group);
                    }
                    v.matcher.add(p, v.forms.len());
                    v.forms.push(Form { group, homonym });
                    v.spoken[group].push(p.trim_end_matches('*').to_string());
                }
            }
        }
        v
    }

    /// The groups that `texts` (one document) name in an unambiguous form.
    pub fn named_in<'a>(&self, texts: impl IntoIterator<Item = &'a Tokens>) -> Named {
        texts
            .into_iter()
            .flat_map(|t| self.named.find_in(t))
            .map(|(_, _, g)| g)
            .collect()
    }

    /// The variants in `text` that stand for their entry, given what the document names:
    /// (byte start, byte end, group), in text order, without overlaps.
    pub fn find_in(&self, text: &Tokens, named: &Named) -> Vec<(usize, usize, usize)> {
        let mut out: Vec<(usize, usize, usize)> = Vec::new();
        for (s, e, f) in self.matcher.find_in(text) {
            let form = &self.forms[f];
            if form.homonym && !named.contains(&form.group) {
                continue;
            }
            match out.last_mut() {
                Some(last) if (s, e) == (last.0, last.1) && last.2 != form.group => {
                    // One form, two entries the document both names: undecided.
                    last.2 = usize::MAX;
                }
                Some(last) if s < last.1 => {
                    // Overlap: keep the longer reading.
                    if e - s > last.1 - last.0 {
                        *last = (s, e, form.group);
                    }
                }
                _ => out.push((s, e, form.group)),
            }
        }
        out.retain(|f| f.2 != usize::MAX);
        out
    }

    /// `text` with every variant that stands for its entry written in the canonical form;
    /// `None` when there is none.
    pub fn read_back(&self, text: &str, tokens: &Tokens, named: &Named) -> Option<String> {
        let found = self.find_in(tokens, named);
        if found.is_empty() {
            return None;
        }
        let mut out = String::with_capacity(text.len() + 16);
        let mut at = 0;
        for (s, e, g) in found {
            out.push_str(&text[at..s]);
            out.push_str(&self.canonical[g]);
            at = e;
        }
        out.push_str(&text[at..]);
        Some(out)
    }

    /// True when a read-back can write the indexed term `term` (a word of some canonical
    /// form): only then can the read-back text match where the text as written does not.
    pub fn writes_term(&self, term: &str) -> bool {
        self.written.contains(term)
    }

    /// True when the analysed words `terms` hold a whole canonical form ("road maps" holds
    /// "road map", "WSIS outcomes" holds "WSIS"): a phrase that names what a read-back writes.
    pub fn names_canonical(&self, terms: &[String]) -> bool {
        self.canonical_terms
            .iter()
            .any(|form| !form.is_empty() && terms.windows(form.len()).any(|w| w == form.as_slice()))
    }

    /// The recognition forms of whatever `phrase` names ("WSIS" → "VSIS", "VSS", …), for
    /// marking them in results.
    pub fn spoken_forms(&self, phrase: &str) -> &[String] {
        let key = norm_key(phrase);
        match self.by_key.get(&key) {
            Some(&g) => &self.spoken[g],
            None => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Variants {
        Variants::build([
            Entry {
                canonical: "UNGIS",
                names: vec!["United Nations Group on the Information Society"],
                variants: vec!["Unjis"],
                homonyms: vec!["Angus"],
            },
            Entry {
                canonical: "road map",
                names: vec![],
                variants: vec!["Rd. map*"],
                homonyms: vec![],
            },
        ])
    }

    #[test]
    fn variants_read_back_and_homonyms_need_the_name_elsewhere() {
        let v = sample();
        let none = Named::new();
        let read = |t: &str, named: &Named| v.read_back(t, &Tokens::new(t), named);
        assert_eq!(
            read("working on Rd. maps with Unjis", &none).unwrap(),
            "working on road map with UNGIS"
        );
        // Angus alone is a person.
        assert_eq!(read("Angus said hello", &none), None);
        let named = v.named_in(&[
            Tokens::new("The Unjis members met."),
            Tokens::new("the Angus matrix"),
        ]);
        assert!(named.contains(&0));
        assert_eq!(
            read("the Angus matrix", &named).unwrap(),
            "the UNGIS matrix"
        );
        assert_eq!(v.spoken_forms("ungis"), ["Unjis", "Angus"]);
    }

    #[test]
    fn a_form_heard_for_two_entries_is_the_one_the_document_names() {
        let v = Variants::build([
            Entry {
                canonical: "UNCTAD",
                names: vec![],
                variants: vec!["OMTARD"],
                homonyms: vec![],
            },
            Entry {
                canonical: "UN Tourism",
                names: vec!["UNWTO"],
                variants: vec!["OMTARD"],
                homonyms: vec![],
            },
        ]);
        let t = "we offered OMTARD and UNDESA the room";
        let read = |named: &Named| v.read_back(t, &Tokens::new(t), named);
        // Neither named: the form names no one, and does not itself show either is named.
        assert_eq!(read(&v.named_in(&[Tokens::new(t)])), None);
        let unctad = v.named_in(&[Tokens::new("thanks to UNCTAD")]);
        assert_eq!(
            read(&unctad).as_deref(),
            Some("we offered UNCTAD and UNDESA the room")
        );
        let tourism = v.named_in(&[Tokens::new("UNWTO")]);
        assert_eq!(
            read(&tourism).as_deref(),
            Some("we offered UN Tourism and UNDESA the room")
        );
        let both = v.named_in(&[Tokens::new("UNCTAD and UNWTO")]);
        assert_eq!(read(&both), None);
    }
}
