//! Text analysis as the index does it: the `travaux` analyzer (words, lowercase, accents
//! folded, English stemming, each word's stem remembered by [`crate::text::stem`]) and one per
//! language with a stemmer, and [`analyzed`] for code that compares texts outside the index
//! (lineage, precedent, snippets) the way searches do.

use crate::text::stem::RememberingStemmer;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
    TextAnalyzerBuilder, Tokenizer,
};

/// The name of the analyzer for `text` fields.
pub const ANALYZER: &str = "travaux";

/// The name of the analyzer for the text as written: words, lowercase, accents folded, no
/// stemming (exact phrases, and a word's own forms).
pub const EXACT_ANALYZER: &str = "travaux-exact";

/// The name of the analyzer of word pairs (`crate::index::pairs`).
pub const PAIRS_ANALYZER: &str = "travaux-pairs";

/// The analyzer of [`EXACT_ANALYZER`].
pub fn exact_analyzer() -> TextAnalyzer {
    exact_chain().build()
}

/// The English stop words (the list tantivy and Lucene use): the words most passages hold.
/// The analyzers keep them (phrases need them); word pairs are made of them and compounds are
/// never split into them. Sorted.
const STOP_WORDS: [&str; 33] = [
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with",
];

/// True for a stop word, as the analyzers write it (lowercase).
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// The chain of [`exact_analyzer`], for analyzers that build on the words as written.
pub fn exact_chain() -> TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(ANALYZER_MAX_WORD))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
}

/// Words longer than this many bytes are not indexed (nor searched, nor marked).
pub const ANALYZER_MAX_WORD: usize = 40;

/// The analyzer for free text: words split on non-alphanumerics, lowercased, accents folded,
/// English stemming ("governments" finds "government"). Stop words are kept, so phrases such as
/// "the right to privacy" match exactly.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(ANALYZER_MAX_WORD))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(RememberingStemmer::new(Language::English))
        .build()
}

/// A word as the index analyses it (lowercased, folded, stemmed), with where it stands.
#[derive(Debug, Clone)]
pub struct Token {
    pub text: String,
    /// Byte offsets in the text analysed.
    pub from: usize,
    pub to: usize,
}

/// The words of `text` as the index analyses them, so text compared outside the index
/// ("Recalling" and "Recalls" in two drafts) meets the way searches do.
pub fn analyzed(text: &str) -> Vec<Token> {
    let mut a = analyzer();
    let mut s = a.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = s.next() {
        out.push(Token {
            text: t.text.clone(),
            from: t.offset_from,
            to: t.offset_to,
        });
    }
    out
}

/// The analyzer for text in the language `code`: its stemmer, then accents folded; for
/// Chinese, words cut by a dictionary ([`crate::text::han`]); for Arabic, its letter forms made
/// one and light stemming ([`crate::text::arabic`]). `None` for a language with none of these.
pub fn language_analyzer(code: &str) -> Option<TextAnalyzer> {
    if code == "ar" {
        return Some(
            TextAnalyzer::builder(crate::text::arabic::WordTokenizer)
                .filter(RemoveLongFilter::limit(ANALYZER_MAX_WORD))
                .filter(LowerCaser)
                .filter(crate::text::arabic::ArabicStemmer)
                .build(),
        );
    }
    if code == "zh" {
        return Some(
            TextAnalyzer::builder(crate::text::han::HanTokenizer)
                .filter(RemoveLongFilter::limit(ANALYZER_MAX_WORD))
                .filter(LowerCaser)
                .build(),
        );
    }
    let lang = match code {
        "da" => Language::Danish,
        "de" => Language::German,
        "el" => Language::Greek,
        "en" => Language::English,
        "es" => Language::Spanish,
        "fi" => Language::Finnish,
        "fr" => Language::French,
        "hu" => Language::Hungarian,
        "it" => Language::Italian,
        "nl" => Language::Dutch,
        "no" => Language::Norwegian,
        "pt" => Language::Portuguese,
        "ro" => Language::Romanian,
        "ru" => Language::Russian,
        "sv" => Language::Swedish,
        "ta" => Language::Tamil,
        "tr" => Language::Turkish,
        _ => return None,
    };
    Some(
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(ANALYZER_MAX_WORD))
            .filter(LowerCaser)
            .filter(RememberingStemmer::new(lang))
            .filter(AsciiFoldingFilter)
            .build(),
    )
}

/// The terms an analyzer makes of `text`, in order.
pub fn words_of(a: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    a.token_stream(text)
        .process(&mut |t| out.push(t.text.clone()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::StopWordFilter;

    #[test]
    fn the_stop_words_are_tantivys_english_list() {
        let mut sorted = STOP_WORDS;
        sorted.sort_unstable();
        assert_eq!(sorted, STOP_WORDS, "binary search needs the list sorted");
        let mut stop = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(StopWordFilter::new(Language::English).unwrap())
            .build();
        for w in STOP_WORDS {
            assert!(words_of(&mut stop, w).is_empty(), "{w}");
        }
        assert!(!words_of(&mut stop, "right").is_empty());
        assert!(is_stop_word("the") && !is_stop_word("The") && !is_stop_word("right"));
    }
}
