//! Chinese text cut into words, as Chinese readers read it: written without spaces, a sentence
//! is segmented by the `jieba-rs` dictionary and model ("联合国人权事务高级专员办事处" →
//! 联合国 / 人权 / 事务 / 高级 / 专员 / 办事处), so a search for 人权 finds the passages that say
//! it. Before cutting, the forms the script needs are made one: full-width letters and digits
//! read as their ASCII forms ("１５" as "15"), and a space that a PDF's text layer puts between
//! two Chinese characters ("安 理 会") is closed up. Offsets point into the text as written.

use crate::text::analysis::TokenList;
use jieba_rs::Jieba;
use std::sync::LazyLock;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The segmenter with its built-in dictionary, loaded once, on the first Chinese text.
static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// True for a character of the Han script (CJK ideographs and their extensions).
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// A full-width letter, digit or sign (U+FF01–U+FF5E) as its ASCII form; other characters
/// unchanged.
fn half_width(c: char) -> char {
    match c as u32 {
        u @ 0xFF01..=0xFF5E => char::from_u32(u - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    }
}

/// The text prepared for cutting, with, for each of its bytes' characters, the byte range in
/// the text as written.
fn prepared(text: &str) -> (String, Vec<(usize, usize, usize)>) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = String::with_capacity(text.len());
    // (byte in `out`, original start, original end) for each character kept.
    let mut map = Vec::with_capacity(chars.len());
    let prev_han = |i: usize| {
        chars[..i]
            .iter()
            .rev()
            .find(|(_, c)| !c.is_whitespace())
            .is_some_and(|(_, c)| is_han(*c))
    };
    let next_han = |i: usize| {
        chars[i..]
            .iter()
            .find(|(_, c)| !c.is_whitespace())
            .is_some_and(|(_, c)| is_han(*c))
    };
    for (k, &(at, c)) in chars.iter().enumerate() {
        let end = at + c.len_utf8();
        if c.is_whitespace() && prev_han(k) && next_han(k) {
            continue;
        }
        map.push((out.len(), at, end));
        out.push(half_width(c));
    }
    (out, map)
}

/// The words of a Chinese text: what [`HanTokenizer`] indexes, for tests and tools.
pub fn words(text: &str) -> Vec<String> {
    let mut t = HanTokenizer;
    let mut s = t.token_stream(text);
    let mut out = Vec::new();
    while s.advance() {
        out.push(s.token().text.clone());
    }
    out
}

/// The tokenizer of Chinese text (see the module's documentation). Words of other scripts in
/// it (a symbol, a number) are kept as the dictionary's cutting leaves them.
#[derive(Clone, Default)]
pub struct HanTokenizer;

impl Tokenizer for HanTokenizer {
    type TokenStream<'a> = TokenList;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> TokenList {
        let (prepared, map) = prepared(text);
        let mut tokens = Vec::new();
        for token in JIEBA.cut(&prepared, false) {
            let word = token.word;
            if !word.chars().any(char::is_alphanumeric) {
                continue;
            }
            let (from, to) = (token.byte_start, token.byte_end);
            // The original bytes of the first and last characters of the word.
            let first = map.partition_point(|m| m.0 < from);
            let last = map.partition_point(|m| m.0 < to).saturating_sub(1);
            let (Some(a), Some(b)) = (map.get(first), map.get(last)) else {
                continue;
            };
            tokens.push(Token {
                offset_from: a.1,
                offset_to: b.2,
                position: tokens.len(),
                text: word.to_string(),
                position_length: 1,
            });
        }
        TokenList::new(tokens)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_cut_into_words_with_offsets_into_the_text_as_written() {
        let w = words("人人有受教育的权利。");
        assert!(w.contains(&"教育".to_string()), "{w:?}");
        assert!(w.contains(&"权利".to_string()), "{w:?}");
        // A PDF's spaces between characters are closed up; full-width digits read as ASCII.
        let w = words("安 理 会 现 在准备表决，第２８０５号决议");
        assert!(w.contains(&"安理会".to_string()), "{w:?}");
        assert!(w.iter().any(|x| x.contains("2805")), "{w:?}");
        let text = "保护 人权";
        let mut t = HanTokenizer;
        let mut s = t.token_stream(text);
        let mut spans = Vec::new();
        while s.advance() {
            let tok = s.token();
            spans.push(&text[tok.offset_from..tok.offset_to]);
        }
        assert_eq!(spans, ["保护", "人权"]);
    }
}
