//! Word pairs for phrases of common words. A phrase such as "the right to privacy" holds words
//! found in most passages ("the", "to"): matched by positions alone, every passage holding all
//! its words has its positions compared. So the index also holds, for each common word (a stop
//! word of the analysis, [`crate::text::analysis::is_stop_word`]), the pairs it makes with its
//! neighbours (`the right`, `right to`, `to privacy`), each a term of its own in the `pairs`
//! field at the position of its first word. A quoted phrase with a common word then finds the
//! passages holding its pairs side by side — short posting lists — and, unless its pairs cover
//! it, checks the whole phrase in those alone.
//!
//! The pairs are made from the words the exact text (`body_exact`) holds, by the same analyzer
//! and at the same positions, so a passage that holds the phrase always holds its pairs: they
//! narrow a search and never drop a match.

use crate::text::analysis::{exact_chain, is_stop_word};
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer};
use tantivy::Term;

/// The term of the pair `first second`.
fn pair(first: &str, second: &str) -> String {
    let mut s = String::with_capacity(first.len() + second.len() + 1);
    s.push_str(first);
    s.push(' ');
    s.push_str(second);
    s
}

/// The analyzer of the `pairs` field: the exact analyzer's words, then [`PairFilter`].
pub fn analyzer() -> TextAnalyzer {
    exact_chain().filter(PairFilter).build()
}

/// Turns a stream of words into their pairs: two words side by side (a word too long to index
/// leaves a gap, and no pair spans it), one of them common, at the first one's position.
#[derive(Clone, Copy, Debug, Default)]
pub struct PairFilter;

impl TokenFilter for PairFilter {
    type Tokenizer<T: Tokenizer> = PairTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> PairTokenizer<T> {
        PairTokenizer(inner)
    }
}

/// A tokenizer followed by [`PairFilter`].
#[derive(Clone)]
pub struct PairTokenizer<T>(T);

impl<T: Tokenizer> Tokenizer for PairTokenizer<T> {
    type TokenStream<'a> = PairStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        PairStream {
            inner: self.0.token_stream(text),
            prev: None,
            out: Token::default(),
        }
    }
}

/// The pairs of a stream of words.
pub struct PairStream<S> {
    inner: S,
    /// The last word read.
    prev: Option<Token>,
    out: Token,
}

impl<S: TokenStream> TokenStream for PairStream<S> {
    fn advance(&mut self) -> bool {
        while self.inner.advance() {
            let cur = self.inner.token();
            let emit = self.prev.as_ref().is_some_and(|p| {
                cur.position == p.position + 1 && (is_stop_word(&p.text) || is_stop_word(&cur.text))
            });
            let prev = self.prev.get_or_insert_with(Token::default);
            if emit {
                self.out.text.clear();
                self.out.text.push_str(&prev.text);
                self.out.text.push(' ');
                self.out.text.push_str(&cur.text);
                self.out.position = prev.position;
                self.out.offset_from = prev.offset_from;
                self.out.offset_to = cur.offset_to;
                self.out.position_length = 1;
            }
            prev.text.clear();
            prev.text.push_str(&cur.text);
            prev.position = cur.position;
            prev.offset_from = cur.offset_from;
            prev.offset_to = cur.offset_to;
            if emit {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        &self.out
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.out
    }
}

/// The pairs of a phrase's words (as the exact analyzer writes them), each with the offset of
/// its first word in the phrase.
fn phrase_pairs(words: &[String]) -> Vec<(usize, String)> {
    words
        .windows(2)
        .enumerate()
        .filter(|(_, w)| is_stop_word(&w[0]) || is_stop_word(&w[1]))
        .map(|(i, w)| (i, pair(&w[0], &w[1])))
        .collect()
}

/// The query for a quoted phrase in the exact text: its words side by side in `exact`. When
/// every two neighbouring words make a pair, the pairs side by side are the same question,
/// asked of far shorter lists: they alone answer it ("of the" is one term). When only some
/// do, they narrow the passages whose positions are compared (scored zero: the ranking is
/// the phrase's).
pub fn phrase_query(
    analyzer: &mut TextAnalyzer,
    exact: Field,
    pairs: Field,
    text: &str,
) -> Option<Box<dyn Query>> {
    let words = crate::text::analysis::words_of(analyzer, text);
    let mut narrow: Vec<(usize, Term)> = phrase_pairs(&words)
        .into_iter()
        .map(|(i, p)| (i, Term::from_field_text(pairs, &p)))
        .collect();
    let covered = words.len() >= 2 && narrow.len() == words.len() - 1;
    let phrase = crate::index::terms_query(exact, words)?;
    let narrow: Box<dyn Query> = match narrow.len() {
        0 => return Some(phrase),
        1 => Box::new(TermQuery::new(
            narrow.remove(0).1,
            IndexRecordOption::WithFreqs,
        )),
        _ => Box::new(PhraseQuery::new_with_offset(narrow)),
    };
    if covered {
        return Some(narrow);
    }
    Some(Box::new(BooleanQuery::new(vec![
        (Occur::Must, phrase),
        (Occur::Must, Box::new(ConstScoreQuery::new(narrow, 0.0))),
    ])))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pairs `analyzer` makes of `text`.
    fn pairs(text: &str) -> Vec<Token> {
        let mut a = analyzer();
        let mut out = Vec::new();
        a.token_stream(text).process(&mut |t| out.push(t.clone()));
        out
    }

    #[test]
    fn a_passage_has_the_pairs_of_its_common_words_at_their_positions() {
        let pairs = pairs("Reaffirms the right to privacy in the digital age");
        let got: Vec<(usize, &str)> = pairs
            .iter()
            .map(|t| (t.position, t.text.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (0, "reaffirms the"),
                (1, "the right"),
                (2, "right to"),
                (3, "to privacy"),
                (4, "privacy in"),
                (5, "in the"),
                (6, "the digital"),
            ]
        );
        let text = "Reaffirms the right to privacy in the digital age";
        let t = &pairs[1];
        assert_eq!(&text[t.offset_from..t.offset_to], "the right");
    }

    #[test]
    fn no_pair_spans_a_word_too_long_to_index() {
        let long = "x".repeat(60);
        assert!(pairs(&format!("the {long} of")).is_empty());
        assert_eq!(pairs(&format!("the {long} of the")).len(), 1);
    }

    #[test]
    fn a_phrase_asks_for_the_pairs_a_matching_passage_holds() {
        let words: Vec<String> = ["the", "right", "to", "privacy"].map(String::from).to_vec();
        assert_eq!(
            phrase_pairs(&words),
            vec![
                (0, "the right".to_string()),
                (1, "right to".to_string()),
                (2, "to privacy".to_string())
            ]
        );
        // Every pair the phrase asks for is among the passage's, at the same distance.
        let passage = pairs("Recalling the right to privacy");
        for (i, p) in phrase_pairs(&words) {
            let at = passage.iter().find(|t| t.text == p).unwrap().position;
            assert_eq!(at, 1 + i, "{p}");
        }
        let rare: Vec<String> = ["digital", "public", "infrastructure"]
            .map(String::from)
            .to_vec();
        assert!(phrase_pairs(&rare).is_empty());
    }
}
