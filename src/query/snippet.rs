//! Search-result snippets: the best stretch of a passage with the words searched for marked.
//!
//! A passage is read once, by the field's analyzer: the stretch whose searched terms weigh most
//! is chosen from those words (as tantivy's snippet generator chooses it, rarer terms weighing
//! more) and the marks are read from the same words, so a phrase is marked whole where its
//! words stand together. Stemming is most of the reading's cost, so the analyzer stems a word
//! only when it starts with the first letter of a term being marked: the English stemmer never
//! changes a word's first letter, so a word that starts otherwise cannot stem to a searched
//! term and needs no stem. Stretches and marks are the ones the full analyzer gives.

use crate::text::analysis::ANALYZER_MAX_WORD;
use crate::text::escape_html as escape;
use crate::text::stem::WordStemmer;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::Arc;
use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer,
};
use tantivy::{Score, Searcher};

/// Marks the searched words in a passage's best stretch.
pub struct Marker {
    /// Each searched term with its weight: a rarer term weighs more when the stretch is chosen.
    weights: BTreeMap<String, Score>,
    /// The longest stretch chosen, in bytes, before it is widened to whole clauses.
    max_chars: usize,
    /// The field's analyzer: a passage is read with it once, for the stretch and the marks.
    analyzer: TextAnalyzer,
    /// Terms searched on their own, marked wherever they stand.
    alone: BTreeSet<String>,
    /// The searched phrases as the analyzer reads them, longest first.
    phrases: Vec<Vec<String>>,
}

impl Marker {
    /// The snippet of `text` as HTML: it begins and ends with whole sentences or clauses where
    /// they are near, says "…" where it cuts the passage, and has the searched words and
    /// phrases in `<mark>`.
    pub fn html(&self, text: &str) -> String {
        let mut analyzer = self.analyzer.clone();
        let words = words_in(&mut analyzer, text, 0..text.len());
        let Some(fragment) = best_stretch(&words, &self.weights, self.max_chars) else {
            return String::new();
        };
        let marks_in = |span: Range<usize>| {
            let inside = words
                .iter()
                .position(|w| w.at.start >= span.start)
                .unwrap_or(words.len());
            let upto = words[inside..]
                .iter()
                .position(|w| w.at.end > span.end)
                .map_or(words.len(), |k| inside + k);
            stretches(&words[inside..upto], &self.alone, &self.phrases)
        };
        let at = fragment.start;
        let fragment = &text[fragment];
        let (mut start, mut cut_start) = clause_start(text, at);
        let (mut end, mut cut_end) = clause_end(text, at + fragment.len());
        // (A word longer than the reach, cut back before the fragment's start: nothing shown.)
        end = end.max(start);
        let mut marks = marks_in(start..end);
        // The stretch chosen holds a phrase's words, but not side by side: the snippet shows
        // the first place the phrase stands whole.
        if marks.is_empty() {
            if let Some(first) = marks_in(0..text.len()).first().cloned() {
                let len = (floor(text, (first.start + fragment.len()).min(text.len()))
                    - first.start)
                    .max(first.len());
                (start, cut_start) = clause_start(text, first.start);
                (end, cut_end) = clause_end(text, first.start + len);
                end = end.max(start);
                marks = marks_in(start..end);
            }
        }
        let mut out = String::new();
        if cut_start {
            out.push('…');
        }
        let mut pos = start;
        for r in marks {
            if r.start < pos || r.end > end {
                continue;
            }
            out.push_str(&escape(&text[pos..r.start]));
            out.push_str("<mark>");
            out.push_str(&escape(&text[r.clone()]));
            out.push_str("</mark>");
            pos = r.end;
        }
        out.push_str(&escape(&text[pos..end]));
        if cut_end {
            out.push('…');
        }
        out
    }
}

/// A marker for `field` marking the terms of `query`, weighted as tantivy weighs them (rarer
/// terms count more when choosing the fragment), and the searched `phrases` (each as the
/// field's analyzer reads it) marked whole. The passages are read with `analyzer`, the field's
/// own; `None` for the stemmed text, read by stemming only the words that can match.
pub fn generator(
    searcher: &Searcher,
    query: &dyn Query,
    field: Field,
    analyzer: Option<TextAnalyzer>,
    max_chars: usize,
    mut phrases: Vec<Vec<String>>,
) -> tantivy::Result<Marker> {
    phrases.retain(|p| p.len() > 1);
    phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
    let mut terms = BTreeSet::new();
    let mut alone = BTreeSet::new();
    query.query_terms(&mut |term, positions| {
        if term.field() == field {
            terms.insert(term.clone());
            if let Some(t) = term.value().as_str().filter(|_| !positions) {
                alone.insert(t.to_string());
            }
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
    let analyzer = analyzer.unwrap_or_else(|| {
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(ANALYZER_MAX_WORD))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(StemSome {
                initials: Arc::new(initials),
            })
            .build()
    });
    Ok(Marker {
        weights: weighted,
        max_chars,
        analyzer,
        alone,
        phrases,
    })
}

/// The stretch of a passage's `words` to show: the text is cut into consecutive stretches of
/// at most `max_chars` bytes, each starting at a word, and the one whose searched terms weigh
/// most is chosen (the first of equals); `None` when no stretch holds a searched term.
fn best_stretch(
    words: &[Word],
    weights: &BTreeMap<String, Score>,
    max_chars: usize,
) -> Option<Range<usize>> {
    let mut best: Option<(Score, Range<usize>)> = None;
    let mut keep = |score: Score, stretch: Range<usize>| {
        if score > 0.0 && best.as_ref().is_none_or(|(b, _)| score > *b) {
            best = Some((score, stretch));
        }
    };
    let (mut start, mut stop, mut score) = (0, 0, 0.0);
    for w in words {
        if w.at.end - start > max_chars {
            keep(score, start..stop);
            (start, score) = (w.at.start, 0.0);
        }
        stop = w.at.end;
        score += weights.get(&w.term).copied().unwrap_or(0.0);
    }
    keep(score, start..stop);
    best.map(|(_, stretch)| stretch)
}

/// A word of a passage as the index reads it: where it stands, its position, its term.
struct Word {
    at: Range<usize>,
    position: usize,
    term: String,
}

/// The words of `text[span]` as `analyzer` reads them, with their places in `text`.
fn words_in(analyzer: &mut TextAnalyzer, text: &str, span: Range<usize>) -> Vec<Word> {
    let mut out = Vec::new();
    analyzer
        .token_stream(&text[span.clone()])
        .process(&mut |t| {
            out.push(Word {
                at: span.start + t.offset_from..span.start + t.offset_to,
                position: t.position,
                term: t.text.clone(),
            })
        });
    out
}

/// The marked stretches of a passage's words: each of the searched `phrases` where its words
/// stand side by side, marked whole; each word searched on its own (`alone`). A word searched
/// only within a phrase (a name spelt out for its abbreviation, a quoted phrase's "the") is
/// not marked anywhere else.
fn stretches(
    words: &[Word],
    alone: &BTreeSet<String>,
    phrases: &[Vec<String>],
) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut i = 0;
    'words: while i < words.len() {
        for p in phrases {
            let here = words.get(i..i + p.len()).is_some_and(|w| {
                w.iter().zip(p).all(|(w, t)| &w.term == t)
                    && w.windows(2)
                        .all(|pair| pair[1].position == pair[0].position + 1)
            });
            if here {
                out.push(words[i].at.start..words[i + p.len() - 1].at.end);
                i += p.len();
                continue 'words;
            }
        }
        if alone.contains(&words[i].term) {
            out.push(words[i].at.clone());
        }
        i += 1;
    }
    out
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
    match stop(&['.', ';', ':', '!', '?', '\n', '。', '；', '：', '！', '？'])
        .or_else(|| stop(&[',', '，']))
    {
        Some(e) => (e, false),
        None if reach == text.len() => (text.len(), false),
        // Cut between words, not inside one; where the text has no space within reach
        // (Chinese, written without spaces between its words), where it is.
        None => {
            let words = text[..end]
                .trim_end_matches(|c: char| !c.is_whitespace())
                .trim_end();
            let han = text[..end]
                .chars()
                .next_back()
                .is_some_and(crate::text::han::is_han);
            if han || end - words.len() > REACH {
                return (end, true);
            }
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
    match after(&['.', ';', ':', '!', '?', '\n', '。', '；', '：', '！', '？'])
        .or_else(|| after(&[',', '，']))
    {
        Some(s) => {
            let skip = text[s..start].len() - text[s..start].trim_start().len();
            (s + skip, false)
        }
        None if from == 0 => (0, false),
        None => (start, true),
    }
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
            stemmer: WordStemmer::new(Language::English),
        }
    }
}

#[derive(Clone)]
struct StemSomeTokenizer<T> {
    inner: T,
    initials: Arc<Vec<char>>,
    stemmer: WordStemmer,
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
    stemmer: &'a mut WordStemmer,
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
            self.stemmer.stem(&mut token.text);
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
    fn a_phrase_is_marked_whole_and_its_words_never_alone() {
        let text = "The Group on the Information Society met; on the Information Society front, \
                    UNGIS spoke of the group.";
        let phrase = crate::query::expand::stemmed("Group on the Information Society");
        let alone: BTreeSet<String> = crate::query::expand::stemmed("UNGIS").into_iter().collect();
        let mut analyzer = crate::text::analysis::analyzer();
        let marked: Vec<&str> = stretches(
            &words_in(&mut analyzer, text, 0..text.len()),
            &alone,
            &[phrase],
        )
        .into_iter()
        .map(|r| &text[r])
        .collect();
        assert_eq!(marked, ["Group on the Information Society", "UNGIS"]);
    }

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
        // Chinese, without spaces between its words, is cut where the snippet ends, never
        // back before its start.
        let zh = format!(
            "联合国伊拉克援助团， {}",
            "自2003年由安全理事会设立以来在充分尊重伊拉克主权的同时".repeat(6)
        );
        let at = zh.char_indices().nth(100).unwrap().0;
        assert_eq!(clause_end(&zh, at), (at, true));
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
        let full: Vec<String> = crate::text::analysis::analyzed(&text)
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
