//! Stemming with a memory: a token filter that stems each word exactly as tantivy's
//! [`Stemmer`] does, and remembers the stems of the words it has met. Most of a text is words
//! it repeats ("the", "development", "States"), so an indexing thread stems each of them once
//! instead of at every occurrence.
//!
//! [`WordStemmer`] is the mechanism (a word at a time, remembered); [`RememberingStemmer`] the
//! token filter the analyzers use, and the snippets stem the words they mark with it too.
//!
//! The memory belongs to one analyzer and starts empty in each copy of it (tantivy copies the
//! registered analyzer for each segment it writes and each search), and it starts over when it
//! holds [`REMEMBERED`] words, so it never grows without bound.

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{
    Language, RawTokenizer, Stemmer, Token, TokenFilter, TokenStream, Tokenizer,
};

/// How many words one analyzer remembers before it forgets them all and starts over.
pub const REMEMBERED: usize = 1 << 15;

/// tantivy's stemmer for one language, applied to a word alone.
type StemOne = <Stemmer as TokenFilter>::Tokenizer<RawTokenizer>;

/// One language's stemmer (tantivy's) applied to words one at a time, each word's stem
/// remembered. A copy starts with an empty memory: copies are made for each segment and each
/// search, and a memory copied with them would cost more than it saves.
pub struct WordStemmer {
    stem: StemOne,
    memory: FxHashMap<String, String>,
}

impl WordStemmer {
    pub fn new(language: Language) -> WordStemmer {
        WordStemmer {
            stem: Stemmer::new(language).transform(RawTokenizer::default()),
            memory: FxHashMap::default(),
        }
    }

    /// Replaces `word` (lowercase, as tantivy's stemmer expects it) by its stem.
    pub fn stem(&mut self, word: &mut String) {
        if let Some(stem) = self.memory.get(word.as_str()) {
            word.clear();
            word.push_str(stem);
            return;
        }
        let mut stem = None;
        self.stem
            .token_stream(word)
            .process(&mut |t| stem = Some(t.text.clone()));
        let Some(stem) = stem else {
            return;
        };
        if self.memory.len() >= REMEMBERED {
            self.memory.clear();
        }
        let original = std::mem::replace(word, stem.clone());
        self.memory.insert(original, stem);
    }
}

impl Clone for WordStemmer {
    fn clone(&self) -> Self {
        WordStemmer {
            stem: self.stem.clone(),
            memory: FxHashMap::default(),
        }
    }
}

/// A [`TokenFilter`] giving the same stems as `Stemmer::new(language)`, remembered.
#[derive(Clone, Copy, Debug)]
pub struct RememberingStemmer {
    language: Language,
}

impl RememberingStemmer {
    pub fn new(language: Language) -> RememberingStemmer {
        RememberingStemmer { language }
    }
}

impl TokenFilter for RememberingStemmer {
    type Tokenizer<T: Tokenizer> = RememberingStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> RememberingStemmerFilter<T> {
        RememberingStemmerFilter {
            inner,
            words: WordStemmer::new(self.language),
        }
    }
}

/// A tokenizer followed by [`RememberingStemmer`], with the words it has stemmed.
#[derive(Clone)]
pub struct RememberingStemmerFilter<T> {
    inner: T,
    words: WordStemmer,
}

impl<T: Tokenizer> Tokenizer for RememberingStemmerFilter<T> {
    type TokenStream<'a> = RememberingStemStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        RememberingStemStream {
            inner: self.inner.token_stream(text),
            words: &mut self.words,
        }
    }
}

/// The words of a stream, stemmed.
pub struct RememberingStemStream<'a, S> {
    inner: S,
    words: &'a mut WordStemmer,
}

impl<S: TokenStream> TokenStream for RememberingStemStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.inner.advance() {
            return false;
        }
        self.words.stem(&mut self.inner.token_mut().text);
        true
    }

    fn token(&self) -> &Token {
        self.inner.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, TextAnalyzer};

    fn tokens(a: &mut TextAnalyzer, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        a.token_stream(text).process(&mut |t| out.push(t.clone()));
        out
    }

    /// The stems, positions and offsets of tantivy's stemmer, for every language travaux
    /// stems, on the fixtures' real text in six languages read twice (the second reading from
    /// memory).
    #[test]
    fn remembered_stems_are_tantivys() {
        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
        let mut texts = String::new();
        for entry in walkdir::WalkDir::new(fixtures).sort_by_file_name() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().to_string();
            if name.ends_with(".txt") || name.ends_with(".md") {
                texts.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
            }
        }
        assert!(
            texts.len() > 1_000_000,
            "fixtures read: {} bytes",
            texts.len()
        );
        // Every language's own text, and a debug build's minute: the last 800 KB.
        let mut start = texts.len() - 800_000;
        while !texts.is_char_boundary(start) {
            start += 1;
        }
        let texts = &texts[start..];
        for language in [
            Language::English,
            Language::French,
            Language::Spanish,
            Language::Russian,
            Language::Portuguese,
            Language::German,
            Language::Turkish,
        ] {
            let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .filter(Stemmer::new(language))
                .build();
            let mut remembering = TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .filter(RememberingStemmer::new(language))
                .build();
            let want = tokens(&mut plain, texts);
            assert!(want.len() > 100_000);
            for _ in 0..2 {
                let got = tokens(&mut remembering, texts);
                assert_eq!(got.len(), want.len(), "{language:?}");
                for (g, w) in got.iter().zip(&want) {
                    assert_eq!(
                        (&g.text, g.position, g.offset_from, g.offset_to),
                        (&w.text, w.position, w.offset_from, w.offset_to),
                        "{language:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_copy_starts_with_an_empty_memory_and_the_memory_is_bounded() {
        let mut a =
            RememberingStemmer::new(Language::English).transform(SimpleTokenizer::default());
        let many: String = (0..REMEMBERED + 10).map(|i| format!("w{i}s ")).collect();
        a.token_stream(&many).process(&mut |_| {});
        assert!(a.words.memory.len() <= REMEMBERED && !a.words.memory.is_empty());
        assert!(a.clone().words.memory.is_empty());
    }
}
