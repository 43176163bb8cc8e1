//! Arabic words as an Arabic reader finds them: the letter forms a writer may choose between
//! made one (alef with hamza or madda as bare alef, alef maqsura as ya, ta marbuta as ha), the
//! short vowels and the tatweel left out, then light stemming — the conjunction and the article
//! before a word ("والدين" → "دين", "بالتعليم" → "تعليم") and the common endings after it
//! (plural, dual, feminine, pronoun: "انتخابات" → "انتخاب") taken off, so the forms of one word
//! meet. It is the light stemming information retrieval uses for Arabic: it does not reduce a
//! word to its root ("الرق" and "استرقاق" stay apart), which would join too much.

use crate::text::tokens::TokenList;
use std::mem;
use std::sync::LazyLock;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// The article and the particles fused before it, longest first; the conjunction alone last.
const PREFIXES: [&str; 7] = ["وال", "بال", "كال", "فال", "لل", "ال", "و"];

/// Endings taken off, tried in turn until none applies.
const SUFFIXES: [&str; 10] = ["ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي"];

/// The letters written in one of several ways, made one; the marks left out.
pub fn normalise(word: &str) -> String {
    word.chars()
        .filter_map(|c| match c {
            'آ' | 'أ' | 'إ' | 'ٱ' => Some('ا'),
            'ى' => Some('ي'),
            'ة' => Some('ه'),
            // Tatweel and the vowel marks (fathatan to sukun, superscript alef).
            '\u{0640}' | '\u{064B}'..='\u{0652}' | '\u{0670}' => None,
            c => Some(c),
        })
        .collect()
}

/// A normalised word with its prefix and endings taken off, keeping at least two letters.
pub fn stem(word: &str) -> String {
    let mut w: Vec<char> = word.chars().collect();
    for p in PREFIXES {
        let p: Vec<char> = p.chars().collect();
        // The conjunction alone only before a word of three letters or more.
        let keep = if p.len() == 1 { 3 } else { 2 };
        if w.len() >= p.len() + keep && w.starts_with(&p) {
            w.drain(..p.len());
            break;
        }
    }
    // The endings as normalised words end (ة written ه), once.
    static ENDINGS: LazyLock<Vec<Vec<char>>> = LazyLock::new(|| {
        SUFFIXES
            .iter()
            .map(|s| normalise(s).chars().collect())
            .collect()
    });
    loop {
        let before = w.len();
        for s in ENDINGS.iter() {
            if w.len() >= s.len() + 2 && w.ends_with(s) {
                w.truncate(w.len() - s.len());
            }
        }
        if w.len() == before {
            break;
        }
    }
    w.into_iter().collect()
}

/// True for a mark written over or under a letter (Arabic vowels, shadda, combining accents):
/// part of the word it sits in.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED)
}

/// Words as runs of letters and digits with the marks written on them ("لمّا" is one word, where
/// a split at every non-letter would cut it at its shadda).
#[derive(Clone, Default)]
pub struct WordTokenizer;

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = TokenList;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> TokenList {
        let mut tokens: Vec<Token> = Vec::new();
        let mut start: Option<usize> = None;
        let close = |from: usize, to: usize, tokens: &mut Vec<Token>| {
            tokens.push(Token {
                offset_from: from,
                offset_to: to,
                position: tokens.len(),
                text: text[from..to].to_string(),
                position_length: 1,
            });
        };
        for (i, c) in text.char_indices() {
            let inside = c.is_alphanumeric() || (start.is_some() && is_mark(c));
            match (inside, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    close(s, i, &mut tokens);
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            close(s, text.len(), &mut tokens);
        }
        TokenList::new(tokens)
    }
}

/// The token filter: each word normalised and stemmed (words in other scripts pass unchanged).
#[derive(Clone)]
pub struct ArabicStemmer;

impl TokenFilter for ArabicStemmer {
    type Tokenizer<T: Tokenizer> = ArabicStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> ArabicStemmerFilter<T> {
        ArabicStemmerFilter { tokenizer }
    }
}

#[derive(Clone)]
pub struct ArabicStemmerFilter<T> {
    tokenizer: T,
}

impl<T: Tokenizer> Tokenizer for ArabicStemmerFilter<T> {
    type TokenStream<'a> = ArabicStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        ArabicStemmerStream {
            tail: self.tokenizer.token_stream(text),
        }
    }
}

pub struct ArabicStemmerStream<T> {
    tail: T,
}

impl<T: TokenStream> TokenStream for ArabicStemmerStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let t = self.tail.token_mut();
        if !t.text.is_ascii() {
            let mut stemmed = stem(&normalise(&t.text));
            mem::swap(&mut t.text, &mut stemmed);
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

    fn s(w: &str) -> String {
        stem(&normalise(w))
    }

    #[test]
    fn the_forms_of_a_word_meet() {
        // The conjunction with the article, a preposition with the article, the article alone.
        assert_eq!(s("والدين"), s("الدين"));
        assert_eq!(s("بالتعليم"), s("التعليم"));
        assert_eq!(s("للتعذيب"), s("التعذيب"));
        // Plural and feminine endings, a preposition fused to a noun.
        assert_eq!(s("انتخابات"), s("الانتخاب"));
        assert_eq!(s("السلمية"), s("سلمي"));
        // Hamza forms and vowel marks.
        assert_eq!(normalise("إنسان"), normalise("انسان"));
        assert_eq!(normalise("الإنسانُ"), "الانسان");
        // A short word keeps its letters.
        assert_eq!(s("ولد"), "ولد");
    }

    #[test]
    fn a_word_with_its_vowel_marks_is_one_word() {
        let mut t = WordTokenizer;
        let mut st = t.token_stream("لمّا كان، الإنسانُ");
        let mut words = Vec::new();
        while st.advance() {
            words.push(st.token().text.clone());
        }
        assert_eq!(words, ["لمّا", "كان", "الإنسانُ"]);
    }
}
