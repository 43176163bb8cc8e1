//! Written submissions: markdown (headings become sections, list items and paragraphs become
//! passages, markup is dropped), plain text (blank-line paragraphs, or one paragraph a line
//! when lines are long), and page lists exported from PDF tools as a one-line
//! `['page one…', 'page two…']` literal.

use super::pdftext::{join_lines, normalise_spaces};
use super::{Draft, ParseError};
use crate::model::{Kind, Locator};
use regex::Regex;
use std::sync::LazyLock;

static SCRIPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)<(script|style)\b.*?</(?:script|style)\s*>").expect("valid regex")
});
static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)</?[A-Za-z][^<>]*>|<!--.*?-->").expect("valid regex"));
static SHORTCODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{\{[<%].*?[>%]\}\}").expect("valid regex"));
static IMAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"!\[[^\]]*\]\([^)]*\)").expect("valid regex"));
static LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\]]*)\]\([^)]*\)").expect("valid regex"));
static EMPHASIS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|\s)\*(\S)").expect("valid regex"));
static ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[-*+•]\s+|(\d{1,3})[.)]\s+)(.*)$").expect("valid regex"));

/// Decodes a `['…', '…']` page list into text, pages separated by blank lines. None if the text
/// is not such a literal.
pub fn decode_page_list(text: &str) -> Option<String> {
    let t = text.trim();
    if !(t.starts_with("['") || t.starts_with("[\"")) || !t.ends_with(']') {
        return None;
    }
    let mut pages = Vec::new();
    let mut chars = t[1..t.len() - 1].chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        let Some(q) = chars.next() else { break };
        if q != '\'' && q != '"' {
            return None;
        }
        let mut s = String::new();
        loop {
            match chars.next()? {
                '\\' => match chars.next()? {
                    'n' => s.push('\n'),
                    't' => s.push('\t'),
                    'r' => {}
                    'x' => {
                        let h: String = [chars.next()?, chars.next()?].iter().collect();
                        s.push(char::from_u32(u32::from_str_radix(&h, 16).ok()?)?);
                    }
                    'u' => {
                        let h: String = (0..4).map(|_| chars.next()).collect::<Option<String>>()?;
                        s.push(
                            char::from_u32(u32::from_str_radix(&h, 16).ok()?).unwrap_or('\u{fffd}'),
                        );
                    }
                    other => s.push(other),
                },
                c if c == q => break,
                c => s.push(c),
            }
        }
        pages.push(s);
    }
    (!pages.is_empty()).then(|| pages.join("\n\n"))
}

/// Strips inline markdown and HTML, keeping the words.
fn plain(s: &str) -> String {
    let s = SHORTCODE.replace_all(s, " ");
    let s = IMAGE.replace_all(&s, " ");
    let s = LINK.replace_all(&s, "$1");
    let s = TAG.replace_all(&s, " ");
    let s = s.replace("**", "").replace("__", "");
    let s = EMPHASIS.replace_all(&s, |c: &regex::Captures| match c.get(1) {
        Some(m) => format!(" {}", m.as_str()),
        None => String::new(),
    });
    let s = s
        .replace("&amp;", "&")
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    normalise_spaces(&s)
}

/// A plain-text submission's first line is its title when it is set apart as one: a blank line
/// (or nothing) after it, a few words that do not end a sentence or introduce a list, and not a
/// numbered item.
fn is_title_line(line: &str, next: Option<&str>) -> bool {
    let words = line.split_whitespace().count();
    next.is_none_or(|n| n.trim().is_empty())
        && (1..=15).contains(&words)
        && line.chars().count() < 150
        && line.chars().any(char::is_alphabetic)
        && !line.ends_with(['.', ':', ';', ','])
        && !ITEM.is_match(line)
}

/// Parses a submission body (front matter already removed). `markdown` selects markdown rules.
pub fn parse(text: &str, markdown: bool, first_line: usize) -> Result<Draft, ParseError> {
    let mut draft = Draft::new(Kind::Submission);
    let decoded = decode_page_list(text);
    let text = decoded.as_deref().unwrap_or(text);
    let text = SCRIPT.replace_all(text, |c: &regex::Captures| {
        "\n".repeat(c[0].matches('\n').count())
    });
    let lines: Vec<&str> = text.lines().collect();
    let long_lines = {
        let non_empty: Vec<&&str> = lines.iter().filter(|l| !l.trim().is_empty()).collect();
        let long = non_empty.iter().filter(|l| l.len() > 160).count();
        !non_empty.is_empty() && long * 2 >= non_empty.len()
    };

    let mut section: Option<String> = None;
    let mut para: Vec<&str> = Vec::new();
    let mut start = 0;
    let mut in_fence = false;
    let emit = |draft: &mut Draft, para: &mut Vec<&str>, section: &Option<String>, start: usize| {
        if para.is_empty() {
            return;
        }
        let raw = join_lines(para.iter().copied());
        para.clear();
        let (number, body) = match ITEM.captures(&raw) {
            Some(c) => (c.get(1).map(|m| m.as_str().to_string()), c[2].to_string()),
            None => (None, raw.clone()),
        };
        let text = if markdown {
            plain(&body)
        } else {
            normalise_spaces(&body)
        };
        if text.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
            return;
        }
        draft.push_turn(
            None,
            text,
            Locator {
                paragraph: number,
                section: section.clone(),
                line: Some((start + first_line) as u64),
                ..Locator::default()
            },
        );
    };
    let first = lines.iter().position(|l| !l.trim().is_empty());
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim();
        if !markdown && Some(i) == first && is_title_line(t, lines.get(i + 1).copied()) {
            draft.title = Some(normalise_spaces(t));
            continue;
        }
        if markdown && t.starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if t.is_empty() || in_fence {
            emit(&mut draft, &mut para, &section, start);
            continue;
        }
        if markdown {
            if let Some(h) = t.strip_prefix('#') {
                emit(&mut draft, &mut para, &section, start);
                let h = plain(h.trim_start_matches('#'));
                if !h.is_empty() {
                    if draft.title.is_none() && t.starts_with("# ") {
                        draft.title = Some(h.clone());
                    }
                    section = Some(h);
                }
                continue;
            }
            if t.chars().all(|c| "-*_=".contains(c)) {
                emit(&mut draft, &mut para, &section, start);
                continue;
            }
        }
        // A list item, or any line when paragraphs are written one a line, starts a passage.
        if long_lines || ITEM.is_match(t) {
            emit(&mut draft, &mut para, &section, start);
        }
        // A section heading in plain text: a short line ending in a colon ("Aims:").
        if !markdown && t.ends_with(':') && t.len() < 60 && !t.contains(". ") {
            emit(&mut draft, &mut para, &section, start);
            section = Some(t.trim_end_matches(':').to_string());
            continue;
        }
        if para.is_empty() {
            start = i;
        }
        para.push(t);
    }
    emit(&mut draft, &mut para, &section, start);
    if draft.turns.is_empty() {
        return Err(ParseError::Structure("no text paragraphs".into()));
    }
    Ok(draft)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_text_title_line_is_the_title_not_a_passage() {
        let d = parse(
            "Feedback on the AI roadmap\n\nWe support option 4.\n\nAims:\nRights first.\n",
            false,
            1,
        )
        .unwrap();
        assert_eq!(d.title.as_deref(), Some("Feedback on the AI roadmap"));
        assert_eq!(d.turns.len(), 2);
        // A first line that is a section heading, a sentence, or glued to the next line is text.
        for text in [
            "Aims:\n1. Rights first.\n",
            "We support option 4 of the roadmap.\n\nMore.\n",
            "Access Now opposes\nthe uptake of AI.\n",
        ] {
            assert_eq!(parse(text, false, 1).unwrap().title, None, "{text}");
        }
    }

    #[test]
    fn page_lists_decode() {
        assert_eq!(
            decode_page_list(r"['One\xa0two\nthree', 'it\'s four']").unwrap(),
            "One\u{a0}two\nthree\n\nit's four"
        );
        assert!(decode_page_list("[not a list]").is_none());
    }

    #[test]
    fn markdown_sections_items_and_markup() {
        let t = "# Title\n\n## Context\n\nSome **bold** and [a link](http://x) text\nwrapped.\n\n- first item\n- second <b>item</b>\n\n<script>alert(1)</script>\n";
        let d = parse(t, true, 1).unwrap();
        let texts: Vec<&str> = d.turns.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "Some bold and a link text wrapped.",
                "first item",
                "second item"
            ]
        );
        assert_eq!(d.turns[0].locator.section.as_deref(), Some("Context"));
        assert_eq!(d.title.as_deref(), Some("Title"));
    }

    #[test]
    fn numbered_points_in_plain_text() {
        let t = "Aims:\n    1. EDRi argues that promoting AI uptake should not be an end in itself, rather a detailed framework to ensure all AI is lawful.\n\nProblem definition:\n    2. The definition of remote biometric identification is overly narrow, and therefore all of it should be in scope of the law here.\n";
        let d = parse(t, false, 1).unwrap();
        assert_eq!(d.turns.len(), 2);
        assert_eq!(d.turns[1].locator.paragraph.as_deref(), Some("2"));
        assert_eq!(
            d.turns[1].locator.section.as_deref(),
            Some("Problem definition")
        );
    }
}
