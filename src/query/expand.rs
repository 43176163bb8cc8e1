//! Query understanding: the other ways the record writes what a user typed. A word of a query
//! also finds, ranked below the word itself:
//! - the names and abbreviations the registries pair, both ways (`GDC` and "Global Digital
//!   Compact", `OHCHR` and the Office's name); a short form that is also an ordinary word
//!   ("WHO" and "who": the index holds the word far more often than the capitals) is looked
//!   for only where it is written in capitals;
//! - the other spellings of a compound, by rule: hyphenated, spaced and joined
//!   (multi-stakeholder, multi stakeholder, multistakeholder; policy makers, policymakers);
//! - the irregular singular or plural of an English noun (woman, women; child, children), from
//!   the rules of the `pluralizer` crate;
//! - for a word the index lacks, its close spellings (one typo in words of 5 to 8 letters, two
//!   from 9), with the corrected query as a suggestion;
//! - in text written by speech recognition (Teams, Zoom, WebVTT), the names that sound alike and
//!   are spelt nearly alike (a Double Metaphone key and an edit distance), and letters spoken
//!   one by one ("A I"); "plus" for `+` anywhere.
//!
//! Each alternative found is an [`Expansion`]: results say which form matched and how.

use crate::index::terms_query;
use crate::index::TravauxIndex;
use crate::registry::names::{caps_key, exact_words, is_short_form, name_key};
use crate::text::analysis::analyzer;
use crate::text::analysis::words_of;
use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA, SINK_STATE};
use rphonetic::DoubleMetaphone;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::{LazyLock, Mutex};
use tantivy::query::EnableScoring;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocSet, TERMINATED};
use tantivy::{Searcher, Term};
use tantivy_fst::Automaton;

/// How an alternative form of a query word was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum How {
    /// A name and its abbreviation, as the registries pair them.
    Abbreviation,
    /// Another spelling of a compound: hyphenated, spaced or joined.
    Spelling,
    /// The irregular singular or plural of the word.
    Form,
    /// A close spelling of a word the index lacks.
    Typo,
    /// In transcripts: a word that sounds alike, or letters spoken one by one.
    HeardAlike,
}

/// A form of a query word that the search also looked for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
pub struct Expansion {
    /// The word or words as typed.
    pub word: String,
    /// The form also searched for.
    pub form: String,
    pub how: How,
}

/// How much an alternative counts against the word as typed.
fn weight(how: How) -> f32 {
    match how {
        How::Abbreviation => 0.9,
        How::Form => 1.0,
        How::Spelling => 0.8,
        How::Typo => 0.5,
        How::HeardAlike => 0.4,
    }
}

/// A Levenshtein automaton walked over a term dictionary.
struct Within(DFA);

impl Automaton for Within {
    type State = u32;
    fn start(&self) -> u32 {
        self.0.initial_state()
    }
    fn is_match(&self, state: &u32) -> bool {
        matches!(self.0.distance(*state), Distance::Exact(_))
    }
    fn can_match(&self, state: &u32) -> bool {
        *state != SINK_STATE
    }
    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
    }
}

/// Finds the alternatives of query words in one index, and remembers what it found.
pub struct Expander<'a> {
    idx: &'a TravauxIndex,
    searcher: &'a Searcher,
    transcripts: bool,
    /// The alternatives that occur in the index.
    pub found: Vec<Expansion>,
    /// Typed word → its closest spelling in the index, for the suggestion.
    pub fixes: BTreeMap<String, String>,
    /// The query is English or of no language told: English forms, close spellings (drawn
    /// from a mostly English index) and mishearings apply. A query in another language gets
    /// none of them ("humanos" is never "humans").
    pub english: bool,
}

impl<'a> Expander<'a> {
    pub fn new(idx: &'a TravauxIndex, searcher: &'a Searcher) -> Expander<'a> {
        let transcripts = searcher
            .doc_freq(&Term::from_field_text(
                idx.fields.sound,
                crate::registry::names::RECOGNISED,
            ))
            .is_ok_and(|n| n > 0);
        Expander {
            idx,
            searcher,
            transcripts,
            found: Vec::new(),
            fixes: BTreeMap::new(),
            english: true,
        }
    }

    fn freq(&self, field: Field, term: &str) -> u64 {
        self.searcher
            .doc_freq(&Term::from_field_text(field, term))
            .unwrap_or(0)
    }

    /// A short form that is also an ordinary word ("WHO" and "who", "US" and "us"): the index
    /// holds the word in many more passages than it holds the capitals.
    fn is_homonym(&self, word: &str) -> bool {
        let Some(key) = caps_key(word) else {
            return false;
        };
        let f = self.idx.fields;
        let written = self.freq(f.caps, &key);
        let lower: String = key.to_lowercase();
        self.freq(f.body_exact, &lower) > 2 * written.max(1)
    }

    /// The query for a short form that is also an ordinary word: where it is written in
    /// capitals. `None` for any other word.
    pub fn homonym_query(&mut self, word: &str) -> Option<Box<dyn Query>> {
        if !self.is_homonym(word) {
            return None;
        }
        let key = caps_key(word)?;
        Some(Box::new(TermQuery::new(
            Term::from_field_text(self.idx.fields.caps, &key),
            IndexRecordOption::WithFreqs,
        )))
    }

    /// The query for a name or abbreviation as the body writes it, when it occurs.
    fn form_query(&mut self, form: &str) -> Option<Box<dyn Query>> {
        if let Some(q) = self.homonym_query(form) {
            return self.occurs(q.as_ref()).then_some(q);
        }
        let q = terms_query(self.idx.fields.body, stemmed(form))?;
        self.occurs(q.as_ref()).then_some(q)
    }

    fn occurs(&self, q: &dyn Query) -> bool {
        let mut terms = Vec::new();
        q.query_terms(&mut |t, _| terms.push(t.clone()));
        if terms
            .iter()
            .any(|t| self.searcher.doc_freq(t).map_or(true, |n| n == 0))
        {
            return false;
        }
        // A phrase needs its words side by side somewhere: the first passage that has them
        // answers, without counting the rest.
        terms.len() < 2 || matches_somewhere(self.searcher, q)
    }

    fn keep(&mut self, word: &str, form: &str, how: How, q: Box<dyn Query>) -> Box<dyn Query> {
        // One form is reported once, under the first way it was reached.
        if !self
            .found
            .iter()
            .any(|e| e.word == word && name_key(&e.form) == name_key(form))
        {
            self.found.push(Expansion {
                word: word.to_string(),
                form: form.to_string(),
                how,
            });
        }
        // A form of several words is scored as a phrase, which sums its words' weights: it
        // counts as one word, so that a name spelt out ranks beside its abbreviation rather
        // than above every passage that uses the abbreviation.
        let mut words = std::collections::BTreeSet::new();
        q.query_terms(&mut |t, positions| {
            if positions {
                words.insert(t.serialized_value_bytes().to_vec());
            }
        });
        Box::new(BoostQuery::new(q, weight(how) / words.len().max(1) as f32))
    }

    /// The other names the registries give what `text` names: an abbreviation and its name, or
    /// two spellings of one term ("road map", "roadmap").
    fn names(&mut self, text: &str) -> Vec<Box<dyn Query>> {
        let squeeze = |s: &str| name_key(s).replace(' ', "");
        let mut out = Vec::new();
        for other in self.idx.names.others(text) {
            let how = if squeeze(other) == squeeze(text) {
                How::Spelling
            } else {
                How::Abbreviation
            };
            // Another form of the same word ("ICT" for "ICTs") adds nothing.
            if stemmed(other) == stemmed(text) {
                continue;
            }
            if let Some(q) = self.form_query(other) {
                out.push(self.keep(text, other, how, q));
            }
        }
        out
    }

    /// The closest spelling of a word the index lacks, when it has one: the word the user
    /// meant, searched in its place.
    pub fn fix(&mut self, word: &str) -> Option<String> {
        if let Some(f) = self.fixes.get(word) {
            return Some(f.clone());
        }
        if !self.english {
            return None;
        }
        let exact = exact_words(word);
        let [single] = exact.as_slice() else {
            return None;
        };
        if self.freq(self.idx.fields.body_exact, single) > 0
            || self.idx.names.knows(word)
            || !self.word_forms(word).is_empty()
        {
            return None;
        }
        let single = single.clone();
        let before = self.found.len();
        self.typo(word, &single);
        self.found.truncate(before);
        self.fixes.get(word).cloned()
    }

    /// Records that `word` was searched as `fix`.
    pub fn note_typo(&mut self, word: &str, fix: &str) {
        let e = Expansion {
            word: word.to_string(),
            form: fix.to_string(),
            how: How::Typo,
        };
        if !self.found.contains(&e) {
            self.found.push(e);
        }
    }

    /// The registries' names and the compound and irregular forms of a word, without keeping
    /// them: whether the word stands for something the index holds.
    fn word_forms(&mut self, word: &str) -> Vec<Box<dyn Query>> {
        let before = self.found.len();
        let mut out = self.names(word);
        let exact = exact_words(word);
        out.extend(self.compound(word, &exact));
        if let [single] = exact.as_slice() {
            let stems = stemmed(word);
            let single = single.clone();
            if single.chars().all(char::is_alphabetic) {
                out.extend(self.irregular(word, &single, &stems));
            }
        }
        self.found.truncate(before);
        out
    }

    /// The alternatives of one unquoted word, each boosted below the word itself.
    pub fn word(&mut self, word: &str) -> Vec<Box<dyn Query>> {
        let mut out = Vec::new();
        // Names and abbreviations.
        out.extend(self.names(word));
        let exact = exact_words(word);
        let stems = stemmed(word);
        // "+" spoken: "WSIS+20" is said "WSIS plus 20".
        if word.contains('+') {
            let said = word.replace('+', " plus ");
            let said = said.split_whitespace().collect::<Vec<_>>().join(" ");
            // As written, and as read back from a recognition variant ("VSIS plus 20").
            let f = self.idx.fields;
            let written = terms_query(f.body_exact, exact_words(&said));
            let read_back = terms_query(f.heard, stemmed(&said));
            let found: Vec<(Occur, Box<dyn Query>)> = written
                .into_iter()
                .chain(read_back)
                .filter(|q| self.occurs(q.as_ref()))
                .map(|q| (Occur::Should, q))
                .collect();
            if !found.is_empty() {
                let q: Box<dyn Query> = Box::new(BooleanQuery::new(found));
                out.push(self.keep(word, &said, How::Spelling, q));
            }
        }
        out.extend(self.compound(word, &exact));
        let [single] = exact.as_slice() else {
            return out;
        };
        let single = single.clone();
        if !self.english {
            return out;
        }
        if single.chars().all(char::is_alphabetic) {
            out.extend(self.irregular(word, &single, &stems));
        }
        // (A word the index lacks with a close spelling never comes here: it is searched as
        // that spelling, see [`Expander::fix`].)
        if self.transcripts {
            out.extend(self.heard_alike(word, &single, &stems));
        }
        out
    }

    /// Hyphenated, spaced and joined forms of a compound.
    fn compound(&mut self, word: &str, exact: &[String]) -> Vec<Box<dyn Query>> {
        let f = self.idx.fields;
        let mut out = Vec::new();
        if exact.len() >= 2 && word.contains('-') && !word.contains(char::is_whitespace) {
            // "e-commerce", "multi-stakeholder": also joined.
            let joined: String = exact.concat();
            if self.freq(f.body_exact, &joined) > 0 {
                let q: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(f.body_exact, &joined),
                    IndexRecordOption::WithFreqs,
                ));
                out.push(self.keep(word, &joined, How::Spelling, q));
            }
            return out;
        }
        let [w] = exact else {
            return out;
        };
        let chars: Vec<(usize, char)> = w.char_indices().collect();
        if chars.len() < 5 || !w.chars().all(char::is_alphabetic) {
            return out;
        }
        // A compound written joined is rarer than its parts: a word in more than one passage
        // in a hundred is taken as a word of its own.
        if self.freq(f.body_exact, w) * 100 > self.searcher.num_docs() {
            return out;
        }
        // "multistakeholder", "policymakers", "ecommerce": also in two words, where the index
        // writes them side by side. The most even split that occurs wins.
        // The parts are words of their own, not function words ("an other" is not "another").
        // Parts are of three letters or more, or a one-letter prefix ("e" in "ecommerce").
        let n = chars.len();
        let mut splits: Vec<(usize, &str, &str)> = chars
            .iter()
            .enumerate()
            .filter(|(i, _)| *i == 1 || (*i >= 3 && n - i >= 3))
            .map(|(_, &(at, _))| (at, &w[..at], &w[at..]))
            .filter(|(_, l, r)| !is_function_word(l) && !is_function_word(r))
            .filter(|(_, l, r)| self.freq(f.body_exact, l) > 0 && self.freq(f.body_exact, r) > 0)
            .collect();
        splits.sort_by_key(|(at, l, r)| (std::cmp::Reverse(l.len().min(r.len())), *at));
        for (_, l, r) in splits.into_iter().take(3) {
            let q = terms_query(f.body_exact, vec![l.to_string(), r.to_string()]);
            if let Some(q) = q.filter(|q| self.occurs(q.as_ref())) {
                let form = format!("{l} {r}");
                out.push(self.keep(word, &form, How::Spelling, q));
                break;
            }
        }
        out
    }

    /// The irregular singular or plural, where stemming does not already join them.
    fn irregular(&mut self, word: &str, single: &str, stems: &[String]) -> Vec<Box<dyn Query>> {
        let mut out = Vec::new();
        for count in [1, 2] {
            let form = inflect(single, count);
            if form == single || form.contains(char::is_whitespace) {
                continue;
            }
            let stem = stemmed(&form);
            if stem.as_slice() == stems || stem.len() != 1 {
                continue;
            }
            if self.freq(self.idx.fields.body, &stem[0]) > 0 {
                let q: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(self.idx.fields.body, &stem[0]),
                    IndexRecordOption::WithFreqs,
                ));
                out.push(self.keep(word, &form, How::Form, q));
            }
        }
        out
    }

    /// In transcripts: a name said and heard otherwise, and letters spoken one by one.
    fn heard_alike(&mut self, word: &str, single: &str, stems: &[String]) -> Vec<Box<dyn Query>> {
        let f = self.idx.fields;
        let mut out = Vec::new();
        let transcript: Box<dyn Query> = Box::new(TermQuery::new(
            Term::from_field_text(f.sound, crate::registry::names::RECOGNISED),
            IndexRecordOption::Basic,
        ));
        // "AI" said letter by letter is written "A I".
        if is_short_form(word)
            && (2..=4).contains(&single.len())
            && single.chars().all(char::is_alphabetic)
        {
            let letters: Vec<String> = single.chars().map(|c| c.to_string()).collect();
            let spoken = letters.join(" ");
            if let Some(q) = terms_query(f.body_exact, letters).filter(|q| self.occurs(q.as_ref()))
            {
                let q: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
                    (Occur::Must, q),
                    (Occur::Must, transcript.box_clone()),
                ]));
                out.push(self.keep(word, &spoken, How::HeardAlike, q));
            }
        }
        // A name (capitalised as typed, not an abbreviation, not one the registries list with
        // its own variants) or a word the index lacks: the names of transcripts that sound the
        // same and are spelt nearly the same ("Chengetai" heard as "Changatai").
        let named = word.chars().next().is_some_and(char::is_uppercase)
            && !is_short_form(word)
            && !self.idx.names.knows(word);
        let absent = self.freq(f.body_exact, single) == 0;
        let letters = single.chars().count();
        if !(named || absent) || letters < 5 || !single.chars().all(char::is_alphabetic) {
            return out;
        }
        let key = DoubleMetaphone::default()
            .double_metaphone(single)
            .primary();
        if key.is_empty() {
            return out;
        }
        let prefix = format!("{key}|");
        let most = (letters + 1) / 3;
        let mut alike: BTreeMap<String, u64> = BTreeMap::new();
        for seg in self.searcher.segment_readers() {
            let Ok(inverted) = seg.inverted_index(f.sound) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().range().ge(prefix.as_bytes()).into_stream()
            else {
                continue;
            };
            while stream.advance() {
                let Ok(t) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                let Some(heard) = t.strip_prefix(&prefix) else {
                    break;
                };
                if heard != single && strsim::levenshtein(heard, single) <= most {
                    *alike.entry(heard.to_string()).or_default() +=
                        u64::from(stream.value().doc_freq);
                }
            }
        }
        for heard in alike.keys().take(5) {
            // Another form of the same word is not a mishearing.
            if stemmed(heard).as_slice() == stems {
                continue;
            }
            let q: Box<dyn Query> = Box::new(TermQuery::new(
                Term::from_field_text(f.sound, &format!("{prefix}{heard}")),
                IndexRecordOption::Basic,
            ));
            out.push(self.keep(word, heard, How::HeardAlike, q));
        }
        out
    }

    /// Close spellings of a word the index lacks: the most frequent few within the edit
    /// distance its length allows.
    fn typo(&mut self, word: &str, single: &str) -> Vec<Box<dyn Query>> {
        let letters = single.chars().count();
        if letters < 5 || !single.chars().all(char::is_alphabetic) {
            return Vec::new();
        }
        let distance: u8 = if letters >= 9 { 2 } else { 1 };
        let field = self.idx.fields.body_exact;
        let builder = LevenshteinAutomatonBuilder::new(distance, true);
        let mut close: BTreeMap<String, u64> = BTreeMap::new();
        for seg in self.searcher.segment_readers() {
            let Ok(inverted) = seg.inverted_index(field) else {
                continue;
            };
            let Ok(mut stream) = inverted
                .terms()
                .search(Within(builder.build_dfa(single)))
                .into_stream()
            else {
                continue;
            };
            while stream.advance() {
                if let Ok(t) = std::str::from_utf8(stream.key()) {
                    *close.entry(t.to_string()).or_default() += u64::from(stream.value().doc_freq);
                }
            }
        }
        let mut ranked: Vec<(usize, u64, String)> = close
            .into_iter()
            .map(|(t, n)| (strsim::damerau_levenshtein(&t, single), n, t))
            .collect();
        ranked.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        // The closest spellings only: "government" for "goverment", not "movement" too.
        let best = ranked.first().map_or(0, |r| r.0);
        ranked.retain(|r| r.0 == best);
        let mut out = Vec::new();
        for (_, _, t) in ranked.into_iter().take(3) {
            self.fixes
                .entry(word.to_string())
                .or_insert_with(|| t.clone());
            let q: Box<dyn Query> = Box::new(TermQuery::new(
                Term::from_field_text(field, &t),
                IndexRecordOption::WithFreqs,
            ));
            out.push(self.keep(word, &t, How::Typo, q));
        }
        out
    }

    /// Alternatives for words typed side by side: a name the registries know in full ("Global
    /// Digital Compact" also finds "GDC") and a compound typed in two words ("policy makers"
    /// also finds "policymakers"). Empty when the words are neither.
    pub fn run(&mut self, words: &[&str]) -> Vec<Box<dyn Query>> {
        let text = words.join(" ");
        let mut out = Vec::new();
        if self.idx.names.knows(&text) {
            out.extend(self.names(&text));
        }
        if let [a, b] = words {
            let joined = format!("{}{}", name_key(a), name_key(b));
            if joined.chars().all(char::is_alphabetic)
                && self.freq(self.idx.fields.body_exact, &joined) > 0
            {
                let f = self.idx.fields;
                let q: Box<dyn Query> = Box::new(TermQuery::new(
                    Term::from_field_text(f.body_exact, &joined),
                    IndexRecordOption::WithFreqs,
                ));
                // The compound is the words typed, side by side.
                self.keep(&text, &joined, How::Spelling, q.box_clone());
                out.push(Box::new(BoostQuery::new(q, 2.0)));
            }
        }
        out
    }
}

/// The singular (`count` 1) or plural (2) of an English noun, lowercase, by the `pluralizer`
/// rules. Those rules are many regular expressions, so answers are kept (up to a bound).
fn inflect(word: &str, count: isize) -> String {
    static SEEN: LazyLock<Mutex<HashMap<(String, isize), String>>> =
        LazyLock::new(|| Mutex::new(HashMap::new()));
    let key = (word.to_string(), count);
    if let Some(f) = SEEN.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return f;
    }
    let form = pluralizer::pluralize(word, count, false).to_lowercase();
    if let Ok(mut m) = SEEN.lock() {
        if m.len() > 50_000 {
            m.clear();
        }
        m.insert(key, form.clone());
    }
    form
}

/// A word with its singular and plural, lowercase ("person", "persons", "people"): the forms
/// that are the word itself, whatever else shares its stem.
pub fn number_forms(word: &str) -> Vec<String> {
    let w = word.to_lowercase();
    let mut out = vec![w.clone()];
    if w.chars().all(char::is_alphabetic) {
        let mut forms: Vec<String> = [1, 2].iter().map(|&n| inflect(&w, n)).collect();
        // The regular plural too: "persons" beside "people".
        forms.push(format!("{w}s"));
        for f in forms {
            if !out.contains(&f) && !f.contains(char::is_whitespace) {
                out.push(f);
            }
        }
    }
    out
}

/// A function word ("a", "an", "in", "the", …: the analysis's stop words), never half of a
/// compound.
fn is_function_word(w: &str) -> bool {
    w.split(|c: char| !c.is_alphanumeric())
        .filter(|x| !x.is_empty())
        .all(|x| crate::text::analysis::is_stop_word(&x.to_lowercase()))
}

/// True when some passage matches `q`: each segment's matches are walked only to the first.
fn matches_somewhere(searcher: &Searcher, q: &dyn Query) -> bool {
    let Ok(weight) = q.weight(EnableScoring::disabled_from_searcher(searcher)) else {
        return false;
    };
    searcher.segment_readers().iter().any(|seg| {
        weight
            .scorer(seg, 1.0)
            .is_ok_and(|scorer| scorer.doc() != TERMINATED)
    })
}

thread_local! {
    /// The stemming analyzer, built once per thread.
    static STEM: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(analyzer());
}

/// The words of `text` as the stemming analyzer reads them.
pub fn stemmed(text: &str) -> Vec<String> {
    STEM.with(|a| words_of(&mut a.borrow_mut(), text))
}

/// True when the words `form` stand in `text` side by side (both as one analyzer reads them),
/// so a hit can say which alternative it holds.
pub fn holds(text: &[String], form: &[String]) -> bool {
    !form.is_empty() && text.windows(form.len()).any(|w| w == form)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hit_mentions_a_form_by_its_words() {
        let mentions = |text: &str, form: &str| holds(&stemmed(text), &stemmed(form));
        assert!(mentions(
            "Implementing the Global Digital Compact.",
            "global digital compact"
        ));
        assert!(!mentions("A global compact", "Global Digital Compact"));
    }
}
