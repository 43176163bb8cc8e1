//! Stemming with a memory: a token filter that stems each word exactly as tantivy's
//! [`Stemmer`] does, and remembers the stems of the words it has met. Most of a text is words
//! it repeats ("the", "development", "States"), so an indexing thread stems each of them once
//! instead of at every occurrence.
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
            stem: Stemmer::new(self.language).transform(RawTokenizer::default()),
            memory: FxHashMap::default(),
        }
    }
}

/// A tokenizer followed by [`RememberingStemmer`], with the words it has stemmed.
pub struct RememberingStemmerFilter<T> {
    inner: T,
    stem: StemOne,
    memory: FxHashMap<String, String>,
}

/// A copy starts with an empty memory: copies are made for each segment and each search, and
/// a memory copied with them would cost more than it saves.
impl<T: Clone> Clone for RememberingStemmerFilter<T> {
    fn clone(&self) -> Self {
        RememberingStemmerFilter {
            inner: self.inner.clone(),
            stem: self.stem.clone(),
            memory: FxHashMap::default(),
        }
    }
}

impl<T: Tokenizer> Tokenizer for RememberingStemmerFilter<T> {
    type TokenStream<'a> = RememberingStemStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        RememberingStemStream {
            inner: self.inner.token_stream(text),
            stem: &mut self.stem,
            memory: &mut self.memory,
        }
    }
}

/// The words of a stream, stemmed.
pub struct RememberingStemStream<'a, S> {
    inner: S,
    stem: &'a mut StemOne,
    memory: &'a mut FxHashMap<String, String>,
}

impl<S: TokenStream> TokenStream for RememberingStemStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.inner.advance() {
            return false;
        }
        let token = self.inner.token_mut();
        if let Some(stem) = self.memory.get(token.text.as_str()) {
            token.text.clear();
            token.text.push_str(stem);
            return true;
        }
        let mut stem = None;
        self.stem
            .token_stream(&token.text)
            .process(&mut |t| stem = Some(t.text.clone()));
        let Some(stem) = stem else {
            return true;
        };
        if self.memory.len() >= REMEMBERED {
            self.memory.clear();
        }
        let word = std::mem::replace(&mut token.text, stem.clone());
        self.memory.insert(word, stem);
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
        assert!(a.memory.len() <= REMEMBERED && !a.memory.is_empty());
        assert!(a.clone().memory.is_empty());
    }
}
