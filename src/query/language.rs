//! The query language users type, in the CLI, the API and the search page:
//! words (all must match), `"exact phrases"`, `OR` between two parts, `-excluded` words or
//! phrases, and filters inline as `speaker:"Cedric Wachholz"`, `agency:WHO`, `topic:ai`,
//! `version:rev1`, `kind:`, `work:`, `doc:`, `label:`. `AND` is allowed and changes nothing;
//! `NOT x` is `-x`.
//!
//! This module only reads the text into a [`ParsedQuery`]; [`crate::query::search`] turns it into an
//! index query.

use std::fmt;

/// A part of a query that matches text.
#[derive(Debug, Clone, PartialEq)]
pub enum Clause {
    /// A word: its own forms rank above forms that only share its stem.
    Word(String),
    /// `"a phrase"`: the words as written (case and accents folded, no stemming).
    Phrase(String),
    /// `"a phrase"~`: the words through their stems ("the rights to privacy" too).
    Stemmed(String),
}

impl Clause {
    /// The text the clause searches for.
    pub fn text(&self) -> &str {
        match self {
            Clause::Word(w) | Clause::Phrase(w) | Clause::Stemmed(w) => w,
        }
    }
}

pub use crate::query::filters::FilterField;

/// A query as read: groups that must all match (each group is one clause or several joined
/// by `OR`), clauses that must not match, and filters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParsedQuery {
    pub groups: Vec<Vec<Clause>>,
    pub excluded: Vec<Clause>,
    pub filters: Vec<(FilterField, String)>,
}

/// A query that cannot be read, with where.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    /// Character position in the query (0-based).
    pub position: usize,
    pub message: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at character {})", self.message, self.position + 1)
    }
}

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 4000;
/// Most words and phrases in one query.
pub const MAX_CLAUSES: usize = 64;

#[derive(Debug)]
enum Token {
    Text {
        neg: bool,
        clause: Clause,
    },
    Filter {
        neg: bool,
        field: FilterField,
        value: String,
    },
    Or,
    Not,
}

/// Reads a query.
pub fn parse(input: &str) -> Result<ParsedQuery, SyntaxError> {
    let chars: Vec<char> = input.chars().collect();
    if chars.len() > MAX_QUERY_CHARS {
        return Err(SyntaxError {
            position: MAX_QUERY_CHARS,
            message: format!("the query is longer than {MAX_QUERY_CHARS} characters"),
        });
    }
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() || c == '(' || c == ')' {
            i += 1;
            continue;
        }
        let start = i;
        let mut neg = false;
        if c == '-' || c == '!' {
            neg = true;
            i += 1;
            if i >= chars.len() || chars[i].is_whitespace() {
                continue; // a lone dash is punctuation
            }
        }
        if chars[i] == '"' || chars[i] == '“' {
            let (text, next) = quoted(&chars, i)?;
            i = next;
            // `"…"~`: matched through stems.
            let stemmed = chars.get(i) == Some(&'~');
            if stemmed {
                i += 1;
            }
            tokens.push(Token::Text {
                neg,
                clause: if stemmed {
                    Clause::Stemmed(text)
                } else {
                    Clause::Phrase(text)
                },
            });
            continue;
        }
        let mut word = String::new();
        while i < chars.len()
            && !chars[i].is_whitespace()
            && chars[i] != '"'
            && chars[i] != '('
            && chars[i] != ')'
        {
            if chars[i] == ':' {
                if let Some(field) = FilterField::parse(&word) {
                    i += 1;
                    let value = if i < chars.len() && (chars[i] == '"' || chars[i] == '“') {
                        let (v, next) = quoted(&chars, i)?;
                        i = next;
                        v
                    } else {
                        let mut v = String::new();
                        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != ')' {
                            v.push(chars[i]);
                            i += 1;
                        }
                        v
                    };
                    if value.trim().is_empty() {
                        return Err(SyntaxError {
                            position: start,
                            message: format!(
                                "`{}:` needs a value, e.g. {}:WHO",
                                field.name(),
                                field.name()
                            ),
                        });
                    }
                    tokens.push(Token::Filter { neg, field, value });
                    word.clear();
                    break;
                }
            }
            word.push(chars[i]);
            i += 1;
        }
        if word.is_empty() {
            continue;
        }
        match (word.as_str(), neg) {
            ("OR", false) | ("||", false) => tokens.push(Token::Or),
            ("AND", false) | ("&&", false) => {}
            ("NOT", false) => tokens.push(Token::Not),
            _ => tokens.push(Token::Text {
                neg,
                clause: Clause::Word(word),
            }),
        }
    }

    let mut q = ParsedQuery::default();
    let mut join_next = false;
    let mut negate_next = false;
    let mut clauses = 0;
    for t in tokens {
        match t {
            Token::Or => join_next = !q.groups.is_empty(),
            Token::Not => negate_next = true,
            Token::Filter { neg, field, value } => {
                if neg || negate_next {
                    return Err(SyntaxError {
                        position: 0,
                        message: format!(
                            "excluding a filter (`-{}:`) is not supported",
                            field.name()
                        ),
                    });
                }
                q.filters.push((field, value));
                join_next = false;
            }
            Token::Text { neg, clause } => {
                clauses += 1;
                if clauses > MAX_CLAUSES {
                    return Err(SyntaxError {
                        position: 0,
                        message: format!("the query has more than {MAX_CLAUSES} words and phrases"),
                    });
                }
                if neg || negate_next {
                    q.excluded.push(clause);
                } else if join_next {
                    q.groups.last_mut().expect("a group to join").push(clause);
                } else {
                    q.groups.push(vec![clause]);
                }
                join_next = false;
                negate_next = false;
            }
        }
    }
    Ok(q)
}

fn quoted(chars: &[char], open: usize) -> Result<(String, usize), SyntaxError> {
    let mut i = open + 1;
    let mut s = String::new();
    while i < chars.len() && chars[i] != '"' && chars[i] != '”' {
        s.push(chars[i]);
        i += 1;
    }
    if i >= chars.len() {
        return Err(SyntaxError {
            position: open,
            message: "this quote is never closed: add a closing \"".into(),
        });
    }
    Ok((s, i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_phrases_or_and_exclusions() {
        let q = parse(r#"capacity "right to privacy" health OR digital -surveillance NOT gender"#)
            .unwrap();
        assert_eq!(
            q.groups,
            vec![
                vec![Clause::Word("capacity".into())],
                vec![Clause::Phrase("right to privacy".into())],
                vec![
                    Clause::Word("health".into()),
                    Clause::Word("digital".into())
                ],
            ]
        );
        assert_eq!(
            q.excluded,
            vec![
                Clause::Word("surveillance".into()),
                Clause::Word("gender".into())
            ]
        );
    }

    #[test]
    fn inline_filters() {
        let q = parse(r#"speaker:"Cedric Wachholz" agency:WHO capacity"#).unwrap();
        assert_eq!(
            q.filters,
            vec![
                (FilterField::Speaker, "Cedric Wachholz".into()),
                (FilterField::Agency, "WHO".into())
            ]
        );
        assert_eq!(q.groups.len(), 1);
        // A colon in an ordinary word is just text.
        assert_eq!(
            parse("note:this").unwrap().groups,
            vec![vec![Clause::Word("note:this".into())]]
        );
    }

    #[test]
    fn errors_say_where() {
        let e = parse(r#"health "unclosed phrase"#).unwrap_err();
        assert_eq!(e.position, 7);
        assert!(parse("agency: x").is_err());
        assert!(parse(&"a ".repeat(100)).is_err());
    }
}
