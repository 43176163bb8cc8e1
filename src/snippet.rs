//! Search-result snippets: the best stretch of a passage with the words searched for marked.
//!
//! tantivy's snippet generator analyses every word of every hit with the field's analyzer, and
//! stemming is most of that cost. Here the analyzer stems a word only when it starts with the
//! first letter of a term being marked: the English stemmer never changes a word's first
//! letter, so a word that starts otherwise cannot stem to a searched term and needs no stem.
//! Marks and fragments are the ones the full analyzer gives.

use crate::analysis::ANALYZER_MAX_WORD;
use crate::search::escape;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer,
    Stemmer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};
use tantivy::{Score, Searcher};

/// A snippet generator for `field` marking the terms of `query`, weighted as tantivy weighs
/// them (rarer terms count more when choosing the fragment).
pub fn generator(
    searcher: &Searcher,
    query: &dyn Query,
    field: Field,
    max_chars: usize,
) -> tantivy::Result<SnippetGenerator> {
    let mut terms = BTreeSet::new();
    query.query_terms(&mut |term, _| {
        if term.field() == field {
            terms.insert(term.clone());
        }
    });
    let mut weighted: BTreeMap<String, Score> = BTreeMap::new();
    for term in terms {
        let Some(text) = term.value().as_str().map(str::to_string) else {
            continue;
        };
        let df = searcher.doc_freq(&term)?;
        if df > 0 {
            weighted.insert(text, 1.0 / (1.0 + df as Score));
        }
    }
    let initials: Vec<char> = weighted
        .keys()
        .filter_map(|t| t.chars().next())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(ANALYZER_MAX_WORD))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StemSome {
            initials: Arc::new(initials),
        })
        .build();
    Ok(SnippetGenerator::new(weighted, analyzer, field, max_chars))
}

/// How far a snippet reaches beyond its fragment to start or end with a sentence or clause.
const REACH: usize = 90;

fn floor(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Where a snippet that ends at `end` should end: after the next full stop, semicolon or
/// colon within reach, else the next comma, else where it is (then it is cut, with "…").
fn clause_end(text: &str, end: usize) -> (usize, bool) {
    if end >= text.len() {
        return (text.len(), false);
    }
    let reach = floor(text, (end + REACH).min(text.len()));
    let ahead = &text[end..reach];
    let stop = |set: &[char]| {
        ahead
            .char_indices()
            .find(|&(_, c)| set.contains(&c))
            .map(|(i, c)| end + i + c.len_utf8())
    };
    match stop(&['.', ';', ':', '!', '?', '\n']).or_else(|| stop(&[','])) {
        Some(e) => (e, false),
        None if reach == text.len() => (text.len(), false),
        // Cut between words, not inside one.
        None => {
            let words = text[..end]
                .trim_end_matches(|c: char| !c.is_whitespace())
                .trim_end();
            (if words.is_empty() { end } else { words.len() }, true)
        }
    }
}

/// Where a snippet that starts at `start` should start: at the sentence or clause it is in
/// when that begins within reach, else where it is (then it is cut, with "…").
fn clause_start(text: &str, start: usize) -> (usize, bool) {
    if start == 0 {
        return (0, false);
    }
    let from = floor(text, start.saturating_sub(REACH));
    let behind = &text[from..start];
    let after = |set: &[char]| {
        behind
            .char_indices()
            .rev()
            .find(|&(_, c)| set.contains(&c))
            .map(|(i, c)| from + i + c.len_utf8())
    };
    match after(&['.', ';', ':', '!', '?', '\n']).or_else(|| after(&[','])) {
        Some(s) => {
            let skip = text[s..start].len() - text[s..start].trim_start().len();
            (s + skip, false)
        }
        None if from == 0 => (0, false),
        None => (start, true),
    }
}

/// A snippet as HTML that begins and ends with whole sentences or clauses where they are near,
/// and says "…" where it cuts the passage; the searched words in `<mark>`.
pub fn html(text: &str, snippet: &tantivy::snippet::Snippet) -> String {
    let fragment = snippet.fragment();
    let Some(at) = (!fragment.is_empty())
        .then(|| text.find(fragment))
        .flatten()
    else {
        return String::new();
    };
    let (start, cut_start) = clause_start(text, at);
    let (end, cut_end) = clause_end(text, at + fragment.len());
    let mut out = String::new();
    if cut_start {
        out.push('…');
    }
    let mut pos = start;
    for r in snippet.highlighted() {
        let (a, b) = (at + r.start, at + r.end);
        if a < pos || b > end {
            continue;
        }
        out.push_str(&escape(&text[pos..a]));
        out.push_str("<mark>");
        out.push_str(&escape(&text[a..b]));
        out.push_str("</mark>");
        pos = b;
    }
    out.push_str(&escape(&text[pos..end]));
    if cut_end {
        out.push('…');
    }
    out
}

/// The start of a passage, to its first clause end past `chars` bytes.
pub fn lead(text: &str, chars: usize) -> String {
    let (end, cut) = clause_end(text, floor(text, chars.min(text.len())));
    let mut s = escape(&text[..end]);
    if cut {
        s.push('…');
    }
    s
}

/// Stems (English) the words that start with one of `initials`; leaves the others.
#[derive(Clone)]
struct StemSome {
    initials: Arc<Vec<char>>,
}

impl TokenFilter for StemSome {
    type Tokenizer<T: Tokenizer> = StemSomeTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> StemSomeTokenizer<T> {
        StemSomeTokenizer {
            inner,
            initials: self.initials,
            stemmer: TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(Language::English))
                .build(),
        }
    }
}

#[derive(Clone)]
struct StemSomeTokenizer<T> {
    inner: T,
    initials: Arc<Vec<char>>,
    stemmer: TextAnalyzer,
}

impl<T: Tokenizer> Tokenizer for StemSomeTokenizer<T> {
    type TokenStream<'a> = StemSomeStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StemSomeStream {
            tail: self.inner.token_stream(text),
            initials: &self.initials,
            stemmer: &mut self.stemmer,
        }
    }
}

struct StemSomeStream<'a, S> {
    tail: S,
    initials: &'a [char],
    stemmer: &'a mut TextAnalyzer,
}

impl<S: TokenStream> TokenStream for StemSomeStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if token
            .text
            .chars()
            .next()
            .is_some_and(|c| self.initials.contains(&c))
        {
            let stemmed = {
                let mut s = self.stemmer.token_stream(&token.text);
                s.advance().then(|| s.token().text.clone())
            };
            if let Some(stemmed) = stemmed {
                token.text = stemmed;
            }
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_end_with_a_clause_and_say_where_they_cut() {
        let text = "Recognizes that resilient, safe, inclusive and interoperable digital public \
            infrastructure has the potential to deliver services at scale and increase social \
            and economic opportunities for all, that there are multiple models of digital public \
            infrastructure, that each society will develop and use shared digital systems.";
        let (end, cut) = clause_end(text, text.find("that each").unwrap());
        assert!(!cut);
        assert!(text[..end].ends_with("systems."));
        let (start, cut) = clause_start(text, text.find("multiple").unwrap());
        assert!(!cut);
        assert!(text[start..].starts_with("that there are"));
        // No clause within reach: cut, and said so.
        let long = "word ".repeat(100);
        assert_eq!(clause_end(&long, 100), (99, true));
        assert_eq!(clause_end(&long, 102), (99, true), "not inside a word");
        assert_eq!(clause_start(&long, 300), (300, true));
        assert!(lead(&long, 50).ends_with('…'));
        assert_eq!(lead("Short text.", 280), "Short text.");
    }

    /// Every word of a real passage: where the filter stems, it gives the full analyzer's
    /// stem; where it does not, the word could not have stemmed to a term with that initial.
    #[test]
    fn stemming_only_some_words_marks_the_same_terms() {
        let mut text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/corpus/resolutions/a-res-80-173-wsis20-outcome-adopted.txt"
        ))
        .expect("the test corpus");
        // The stemmer's exceptions and suffix rewrites, and a folded accent.
        text.push_str(
            " dying lying skies generalization relational happily early only cries Ölçüm",
        );
        let full: Vec<String> = crate::analysis::analyzed(&text)
            .into_iter()
            .map(|t| t.text)
            .collect();
        for initials in [vec!['g', 's'], vec!['d', 'r', 'w'], ('a'..='z').collect()] {
            let mut a = TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(ANALYZER_MAX_WORD))
                .filter(LowerCaser)
                .filter(AsciiFoldingFilter)
                .filter(StemSome {
                    initials: Arc::new(initials.clone()),
                })
                .build();
            let mut s = a.token_stream(&text);
            let mut some = Vec::new();
            while s.advance() {
                some.push(s.token().text.clone());
            }
            assert_eq!(some.len(), full.len());
            for (x, y) in some.iter().zip(&full) {
                let first = y.chars().next().unwrap();
                if initials.contains(&first) {
                    assert_eq!(x, y);
                } else {
                    assert!(!initials.contains(&x.chars().next().unwrap()), "{x} {y}");
                }
                assert_eq!(x.chars().next(), y.chars().next(), "{x} {y}");
            }
        }
    }
}
