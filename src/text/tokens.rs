//! A token stream over words already cut, shared by the tokenizers that cut a whole text at
//! once (Chinese, Arabic) and read by the analyzers that chain them.

/// A token stream over words a tokenizer has already cut (the Chinese and Arabic tokenizers).
pub struct TokenList {
    tokens: Vec<tantivy::tokenizer::Token>,
    at: usize,
}

impl TokenList {
    pub fn new(tokens: Vec<tantivy::tokenizer::Token>) -> TokenList {
        TokenList { tokens, at: 0 }
    }
}

impl tantivy::tokenizer::TokenStream for TokenList {
    fn advance(&mut self) -> bool {
        self.at += 1;
        self.at <= self.tokens.len()
    }

    fn token(&self) -> &tantivy::tokenizer::Token {
        &self.tokens[self.at - 1]
    }

    fn token_mut(&mut self) -> &mut tantivy::tokenizer::Token {
        &mut self.tokens[self.at - 1]
    }
}
