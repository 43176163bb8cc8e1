//! Chinese text cut into words, as Chinese readers read it: written without spaces, a sentence
//! is segmented by the `jieba-rs` dictionary and model ("联合国人权事务高级专员办事处" →
//! 联合国 / 人权 / 事务 / 高级 / 专员 / 办事处), so a search for 人权 finds the passages that say
//! it. Before cutting, the forms the script needs are made one: full-width letters and digits
//! read as their ASCII forms ("１５" as "15"), and a space that a PDF's text layer puts between
//! two Chinese characters ("安 理 会") is closed up. Offsets point into the text as written.

use crate::text::tokens::TokenList;
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

/// `text` with the spaces between two Chinese characters closed up ("主 席" → "主席"), as a
/// name or label is written.
pub fn closed_up(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len())
        .filter(|&i| !space_between_han(&chars, i))
        .map(|i| chars[i])
        .collect()
}

/// True when `chars[i]` is a space with Chinese characters on both sides (other spaces aside):
/// a space a PDF's text layer put where Chinese writes none.
fn space_between_han(chars: &[char], i: usize) -> bool {
    let han = |c: Option<&char>| c.is_some_and(|c| is_han(*c));
    chars[i].is_whitespace()
        && han(chars[..i].iter().rev().find(|c| !c.is_whitespace()))
        && han(chars[i..].iter().find(|c| !c.is_whitespace()))
}

/// The text prepared for cutting, with, for each of its bytes' characters, the byte range in
/// the text as written.
fn prepared(text: &str) -> (String, Vec<(usize, usize, usize)>) {
    let at: Vec<(usize, char)> = text.char_indices().collect();
    let chars: Vec<char> = at.iter().map(|&(_, c)| c).collect();
    let mut out = String::with_capacity(text.len());
    // (byte in `out`, original start, original end) for each character kept.
    let mut map = Vec::with_capacity(chars.len());
    for (k, &(start, c)) in at.iter().enumerate() {
        if space_between_han(&chars, k) {
            continue;
        }
        map.push((out.len(), start, start + c.len_utf8()));
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
    fn a_label_s_spaces_between_chinese_characters_are_closed_up() {
        assert_eq!(closed_up("主 席"), "主席");
        assert_eq!(
            closed_up("罗德里格斯-伯基 特 夫人"),
            "罗德里格斯-伯基特夫人"
        );
        assert_eq!(
            closed_up("布罗德赫斯特 · 埃斯蒂瓦尔夫人"),
            "布罗德赫斯特 · 埃斯蒂瓦尔夫人"
        );
        assert_eq!(closed_up("Mr. Fu Cong"), "Mr. Fu Cong");
    }

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
