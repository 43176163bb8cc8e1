//! References to documents in the text of the record, as one key each: a symbol as written
//! ("A/RES/79/1", "A/80/L.41", "S/PV.10100", "A/CONF.189/12"), a General Assembly resolution or
//! decision by its number ("its resolution 70/125 of 16 December 2015", "resolutions 79/1 and
//! 79/325", "resolution 217 A (III)", "decision 79/555"), and the resolutions of the Security
//! Council, the Human Rights Council, the Economic and Social Council and the Commission on
//! Human Rights by theirs. A list gives each of its members. Each key is the document's symbol
//! as the UN writes it ("A/RES/70/125", "S/RES/2250(2015)", "A/HRC/RES/47/16"), so a citation
//! and the document it names meet.

use regex::Regex;
use std::sync::LazyLock;

/// A reference to a document: its key, and the paragraph of it named ("paragraph 25 of
/// resolution 79/1").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub key: String,
    pub paragraph: Option<String>,
    /// Where the reference starts in the text (a byte offset).
    pub at: usize,
}

/// A symbol as written: an organ's prefix and at least one part with a digit.
static SYMBOL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:A|S|E|ST|CD|NPT|UNEP|TD|DP)/(?:[A-Z][A-Za-z0-9.\-]*/)*[A-Za-z0-9.\-]*\d[A-Za-z0-9.\-]*(?:/[A-Za-z0-9.\-]+)*")
        .expect("valid regex")
});

/// "resolution(s)" or "decision(s)", with the body that adopted them, then a list of numbers.
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:(?P<body>Security Council|Human Rights Council|Economic and Social Council|",
        r"Commission on Human Rights|General Assembly|Council|Assembly|its|their)\s+)?",
        r"(?P<what>[Rr]esolutions?|[Dd]ecisions?)\s+",
        r"(?P<list>(?:(?:S-|ES-)?\d{1,4}(?:/\d{1,4})?(?:\s?[A-Z])?(?:\s\((?:\d{4}|[IVXL]+)\))?",
        r"(?:\s+(?:of|on)\s+\d{1,2}\s+[A-Z][a-z]+\s+\d{4})?(?:,\s*|\s+and\s+|,\s+and\s+)?)+)"
    ))
    .expect("valid regex")
});

/// One number of such a list.
static ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<num>(?:S-|ES-)?\d{1,4}(?:/\d{1,4})?)(?:\s?(?P<part>[A-Z]))?(?:\s\((?P<year>\d{4}|[IVXL]+)\))?")
        .expect("valid regex")
});

/// "paragraph 25 of" just before a reference.
static PARAGRAPH_OF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"paragraphs?\s+(?P<p>\d{1,3}(?:\s?\([a-z]\))?)\s+of\s+$").expect("valid regex")
});

/// The citations of `text`, in order, each key once.
pub fn citations(text: &str) -> Vec<Citation> {
    // Every form cites with a slash or names a resolution or decision: most passages (a
    // meeting's turns) hold neither, and skip the patterns.
    if !text.contains('/') && !text.contains("esolution") && !text.contains("ecision") {
        return Vec::new();
    }
    let mut out: Vec<(usize, Citation)> = Vec::new();
    // `at` orders the citations; `from` is where the words naming a paragraph would end.
    let mut push = |at: usize, from: usize, key: String| {
        if out.iter().any(|(_, c)| c.key == key) {
            return;
        }
        let paragraph = PARAGRAPH_OF
            .captures(&text[..from])
            .map(|c| c["p"].split_whitespace().collect::<String>());
        out.push((at, Citation { key, paragraph, at }));
    };
    for m in SYMBOL.find_iter(text) {
        let s = m.as_str().trim_end_matches(['.', '-']);
        push(m.start(), m.start(), s.to_string());
    }
    for c in NUMBERED.captures_iter(text) {
        let start = c.get(0).map_or(0, |m| m.start());
        let body = match c.name("body").map_or("", |m| m.as_str()) {
            // "its resolution": the organ named just before ("endorsed by the Economic and
            // Social Council in its resolution 2017/21"), else the Assembly.
            "its" | "their" | "" => organ_before(&text[..start]),
            b => b,
        };
        let decision = c["what"].to_lowercase().starts_with("decision");
        let list = c.name("list").expect("the list is not optional");
        // "paragraph 4 of Security Council resolution 2107 (2013)": the words naming a
        // paragraph end where the reference, with its organ, begins.
        let start = c
            .name("body")
            .or_else(|| c.name("what"))
            .map_or(list.start(), |m| m.start());
        for (i, item) in ITEM.captures_iter(list.as_str()).enumerate() {
            if let Some(key) = key_of(body, decision, &item) {
                let at = list.start() + item.get(0).map_or(0, |m| m.start());
                push(at, if i == 0 { start } else { at }, key);
            }
        }
    }
    out.sort_by_key(|(at, _)| *at);
    out.into_iter().map(|(_, c)| c).collect()
}

/// The organ a possessive ("its resolution") refers to: the last one named in the clause
/// before it, or the General Assembly.
fn organ_before(before: &str) -> &'static str {
    const ORGANS: [&str; 6] = [
        "Security Council",
        "Human Rights Council",
        "Economic and Social Council",
        "Commission on Human Rights",
        "General Assembly",
        "Assembly",
    ];
    let from = before
        .char_indices()
        .rev()
        .take(100)
        .last()
        .map_or(0, |(i, _)| i);
    let clause = &before[from..];
    let clause = &clause[clause.rfind([';', '.']).map_or(0, |i| i + 1)..];
    ORGANS
        .iter()
        .filter_map(|o| clause.rfind(o).map(|at| (at, *o)))
        .max_by_key(|(at, o)| (*at, o.len()))
        .map_or("General Assembly", |(_, o)| o)
}

/// The key of one numbered resolution or decision of `body`.
fn key_of(body: &str, decision: bool, item: &regex::Captures) -> Option<String> {
    let num = &item["num"];
    let year = item.name("year").map(|m| m.as_str());
    let roman = year.filter(|y| !y.chars().all(|c| c.is_ascii_digit()));
    let year4 = year.filter(|y| y.len() == 4 && y.chars().all(|c| c.is_ascii_digit()));
    match body {
        // A number and its year is the Security Council's form, whoever is named ("adopted as
        // resolution 2732 (2024)" in the Council's own record): no other organ numbers so.
        _ if !num.contains('/') && !num.starts_with(['S', 'E']) && year4.is_some() => {
            Some(format!("S/RES/{num}({})", year4.unwrap_or_default()))
        }
        "Security Council" | "Council" if !num.contains('/') => None,
        // Before its resolutions were numbered by year, the Economic and Social Council's
        // carried the session in roman numerals: "resolution 155 C (VII)".
        "Economic and Social Council" if !num.contains('/') => {
            roman.map(|r| format!("E/RES/{num}({r})"))
        }
        "Human Rights Council" if num.contains('/') => Some(format!("A/HRC/RES/{num}")),
        "Economic and Social Council" if num.contains('/') => Some(format!("E/RES/{num}")),
        "Commission on Human Rights" if num.contains('/') => Some(format!("E/CN.4/RES/{num}")),
        "Security Council"
        | "Council"
        | "Human Rights Council"
        | "Economic and Social Council"
        | "Commission on Human Rights" => None,
        // The General Assembly's own: sessions numbered, or before the thirty-first session a
        // number and the session in roman numerals ("217 A (III)").
        _ if decision && num.contains('/') => Some(format!("A/DEC/{num}")),
        _ if num.contains('/') => Some(format!("A/RES/{num}")),
        _ => roman.map(|r| format!("A/RES/{num}({r})")),
    }
}

/// The key a user's reference names: a symbol as written, or a resolution or decision the way
/// the text cites it ("70/125", "resolution 70/125", "Security Council resolution 2250 (2015)").
pub fn key(reference: &str) -> Option<String> {
    let r = reference.trim();
    if let Some(c) = citations(r).into_iter().next() {
        return Some(c.key);
    }
    citations(&format!("resolution {r}"))
        .into_iter()
        .next()
        .map(|c| c.key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        citations(text).into_iter().map(|c| c.key).collect()
    }

    #[test]
    fn resolutions_by_number_and_lists_give_each() {
        assert_eq!(
            keys("Recalling its resolution 70/125 of 16 December 2015 on the outcome document,"),
            ["A/RES/70/125"]
        );
        assert_eq!(
            keys("Reaffirming its resolutions 70/125, 75/202 and 79/194 and decision 79/555,"),
            [
                "A/RES/70/125",
                "A/RES/75/202",
                "A/RES/79/194",
                "A/DEC/79/555"
            ]
        );
        assert_eq!(
            keys("the Universal Declaration of Human Rights, see resolution 217 A (III), and resolution 2200 A (XXI), annex"),
            ["A/RES/217(III)", "A/RES/2200(XXI)"]
        );
        assert_eq!(
            keys("Security Council resolutions 1754 (2007) on 30 April 2007, 1783 (2007) and 2250 (2015)"),
            ["S/RES/1754(2007)", "S/RES/1783(2007)", "S/RES/2250(2015)"]
        );
        assert_eq!(
            keys("Human Rights Council resolution 47/16 of 13 July 2021 and Commission on Human Rights resolution 2004/16"),
            ["A/HRC/RES/47/16", "E/CN.4/RES/2004/16"]
        );
        // "its resolution": the organ named before it in the clause.
        assert_eq!(
            keys("as requested by the General Assembly in its resolution 70/125 of 16 December 2015 and endorsed by the Economic and Social Council in its resolution 2017/21 of 6 July 2017,"),
            ["A/RES/70/125", "E/RES/2017/21"]
        );
        assert_eq!(
            keys("Welcoming the adoption by the Human Rights Council of its resolution 47/16,"),
            ["A/HRC/RES/47/16"]
        );
    }

    #[test]
    fn symbols_as_written_and_paragraphs_named() {
        assert_eq!(
            keys("See A/CONF.189/12 and A/CONF.189/12/Corr.1, chap. I; S/PV.10100; A/80/L.41."),
            [
                "A/CONF.189/12",
                "A/CONF.189/12/Corr.1",
                "S/PV.10100",
                "A/80/L.41"
            ]
        );
        let c = citations("in line with paragraph 25 of resolution 79/1,");
        assert_eq!(c[0].key, "A/RES/79/1");
        assert_eq!(c[0].paragraph.as_deref(), Some("25"));
        // Numbers that are not references are not citations.
        assert!(keys("from 7 to 10 November 2010, 4 trillion dollars, para. 20").is_empty());
    }

    #[test]
    fn a_users_reference_is_keyed_like_the_text() {
        assert_eq!(key("70/125").as_deref(), Some("A/RES/70/125"));
        assert_eq!(key("A/RES/70/125").as_deref(), Some("A/RES/70/125"));
        assert_eq!(
            key("Security Council resolution 2250 (2015)").as_deref(),
            Some("S/RES/2250(2015)")
        );
    }
}
