//! What every UN document shares, whatever its kind: the symbol (`A/RES/80/173`), paragraph
//! numbering (`12.`, `(a)`, `I. Introduction`), headings, paragraphs grouped from the lines of
//! an extracted page, and dates as documents write them ("17 November 2025").

use super::pdftext::CleanLine;
use crate::model::Date;
use regex::Regex;
use std::sync::LazyLock;

/// A document symbol alone on a line: `A/C.2/80/L.17`, `S/PV.10100`; a reissued document's
/// symbol carries the star of its note (`A/C.1/80/L.23*`), which is not part of the symbol.
pub static SYMBOL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^([A-Z]{1,6}(?:\.\d+)?(?:/[A-Za-z0-9.\-]+){1,6})\*{0,3}$").expect("valid regex")
});

/// The symbol a line holds alone, without a reissue star: `Some("A/C.1/80/L.23")`.
pub fn symbol_of(line: &str) -> Option<&str> {
    let c = SYMBOL.captures(line)?;
    let s = c.get(1)?.as_str();
    s.contains('/').then_some(s)
}
pub static OPERATIVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3})\.(?:\s+(.*))?$").expect("valid regex"));
/// A numbered or lettered heading: "I. Introduction", "A. Digital divides".
pub static LETTERED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[IVX]{1,5}|[A-H])\.\s+\p{Lu}").expect("valid regex"));
static HEADING_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[IVX]{1,5}|[A-H])\.\s+").expect("valid regex"));
/// A section's number on a line of its own ("I", "IV.", "B").
static SECTION_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[IVX]{1,5}|[A-H])\.?$").expect("valid regex"));
pub static SUBITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\(([a-z]{1,5})\)(?:\s+(.*))?$").expect("valid regex"));
static DATE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,2})\s+(january|february|march|april|may|june|july|august|september|october|november|december)\s+(\d{4})\b")
        .expect("valid regex")
});

static DATE_US: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+(\d{1,2}),?\s+(\d{4})\b")
        .expect("valid regex")
});

/// Reads a date written "17 November 2025" or "February 4, 2020" anywhere in `s`.
pub fn date_in(s: &str) -> Option<Date> {
    if let Some(c) = DATE_LINE.captures(s) {
        return Date::new(c[3].parse().ok()?, month_number(&c[2])?, c[1].parse().ok()?);
    }
    let c = DATE_US.captures(s)?;
    Date::new(c[3].parse().ok()?, month_number(&c[1])?, c[2].parse().ok()?)
}

/// The month a name gives ("November", "nov"), by its first three letters.
fn month_number(name: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let head = name.get(..3)?.to_ascii_lowercase();
    MONTHS.iter().position(|m| *m == head).map(|i| i as u32 + 1)
}

/// A heading: short, no closing punctuation, not a sentence fragment.
pub fn is_heading(t: &str) -> bool {
    let end = t.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_whitespace());
    // A section number ("II. Implementation of …") is part of the heading, not a sentence end.
    let words = HEADING_NUMBER.find(t).map_or(t, |m| &t[m.end()..]);
    t.len() < 220
        && !end.ends_with([',', ';', '.', ':'])
        && !opens_preamble(t)
        && t.chars().next().is_some_and(|c| c.is_uppercase())
        && !words.contains(". ")
}

/// A paragraph of a UN document's body: its lines, from the source line `first_line`.
pub struct Block {
    pub first_line: usize,
    pub lines: Vec<String>,
}

/// A section number alone, as [`HEADING_NUMBER`] numbers a heading on its own line.
pub fn is_section_number(s: &str) -> bool {
    SECTION_NUMBER.is_match(s.trim())
}

/// A lowercase roman numeral, as items below lettered ones are labelled ("(iv)").
pub fn is_roman(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| matches!(c, 'i' | 'v' | 'x'))
}

/// Whether item label `next` follows `last`: the next letter ("b" after "a", "aa" after "z")
/// or the next roman numeral ("ii" after "i", "v" after "iv").
fn follows(last: &str, next: &str) -> bool {
    const ROMAN: [&str; 20] = [
        "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv",
        "xv", "xvi", "xvii", "xviii", "xix", "xx",
    ];
    let roman = ROMAN
        .iter()
        .position(|r| *r == last)
        .is_some_and(|i| ROMAN.get(i + 1) == Some(&next));
    let letter = match last.as_bytes() {
        [c] if *c < b'z' => next.as_bytes() == [c + 1],
        [b'z'] => next == "aa",
        [a, b] if a == b && *a < b'z' => next.as_bytes() == [a + 1, a + 1],
        _ => false,
    };
    roman || letter
}

/// Groups clean lines into paragraphs: blank lines separate them; a page break separates them
/// only when the text before it closes a clause and the text after starts a new one; a line
/// that opens a numbered or preambular paragraph starts one even without a blank line, and so
/// does a heading standing alone at the top of a page after a finished sentence.
pub fn blocks(lines: &[CleanLine]) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut cur: Option<Block> = None;
    let mut blank_seen = false;
    // The label of the last item set as an item (at the start of a block) in this paragraph.
    let mut last_item: Option<String> = None;
    for (k, l) in lines.iter().enumerate() {
        if l.text.is_empty() {
            blank_seen = true;
            continue;
        }
        let prev_text = cur
            .as_ref()
            .and_then(|b| b.lines.last())
            .map(String::as_str);
        // A clause closes with punctuation, perhaps followed by a footnote marker ("Compact.8",
        // "Action, 9").
        let prev_closes = prev_text.is_some_and(|p| {
            p.trim_end()
                .trim_end_matches(|c: char| c.is_ascii_digit())
                .trim_end()
                .ends_with([',', ';', '.', ':'])
        });
        let prev_is_number = prev_text.is_some_and(|p| {
            OPERATIVE.captures(p).is_some_and(|c| c.get(2).is_none())
                || SUBITEM.captures(p).is_some_and(|c| c.get(2).is_none())
        });
        let starts_lower = l.text.starts_with(|c: char| c.is_lowercase());
        // A heading on a line of its own (a blank line after it) at the top of a page, after a
        // sentence that ended: a section title, not the sentence running on.
        let prev_ends_sentence = prev_text.is_some_and(|p| {
            p.trim_end()
                .trim_end_matches(|c: char| c.is_ascii_digit())
                .trim_end()
                .ends_with(['.', ';'])
        });
        let heading_alone = l.after_break
            && prev_ends_sentence
            && l.text.len() < 120
            && is_heading(&l.text)
            && lines.get(k + 1).is_none_or(|n| n.text.is_empty());
        // A label at the start of a line opens an item only where the document sets items:
        // "(a)" after a colon, or the label after the last item's. Otherwise "(c)" is where a
        // line of running text happens to begin, and the paragraph goes on.
        let item_label = SUBITEM.captures(&l.text).map(|c| c[1].to_string());
        let set_as_item = item_label.as_deref().is_some_and(|label| {
            let after_colon = prev_text.is_some_and(|p| {
                p.trim_end()
                    .trim_end_matches(|c: char| c.is_ascii_digit())
                    .trim_end()
                    .ends_with(':')
            });
            (after_colon && (label == "a" || label == "i"))
                || last_item
                    .as_deref()
                    .is_some_and(|last| follows(last, label))
        });
        let opens = OPERATIVE.is_match(&l.text)
            || set_as_item
            || opens_preamble(&l.text)
            || (LETTERED.is_match(&l.text) && l.text.len() < 120)
            || heading_alone;
        // A numbered paragraph right under a heading ("I. Global context" / "3. We gather …")
        // starts after it, though the heading closes with no punctuation.
        let under_heading = OPERATIVE.is_match(&l.text)
            && cur.as_ref().is_some_and(|b| {
                let joined = b.lines.join(" ");
                joined.len() < 160 && is_heading(&joined)
            });
        let new_block = match prev_text {
            None => true,
            Some(_) if prev_is_number => false,
            Some(_) if under_heading => true,
            Some(_) if l.after_break => prev_closes && !starts_lower && (blank_seen || opens),
            Some(_) if blank_seen => true,
            Some(_) => prev_closes && opens,
        };
        if new_block {
            if let Some(b) = cur.take() {
                out.push(b);
            }
            if OPERATIVE.is_match(&l.text) {
                last_item = None;
            } else if item_label.is_some() {
                last_item = item_label.clone();
            }
            cur = Some(Block {
                first_line: l.no,
                lines: Vec::new(),
            });
        }
        if let Some(b) = cur.as_mut() {
            b.lines.push(l.text.clone());
        }
        blank_seen = false;
    }
    out.extend(cur);
    out
}

/// Preambular paragraphs open with a participle or adjective in capitals: "Recalling",
/// "Reaffirming also", "Noting with concern", "Deeply concerned", "Mindful", "Aware".
fn opens_preamble(t: &str) -> bool {
    let first = t.split_whitespace().next().unwrap_or("");
    let alpha = first.trim_end_matches(',');
    alpha.len() >= 5
        && alpha.chars().next().is_some_and(|c| c.is_uppercase())
        && alpha.chars().skip(1).all(|c| c.is_lowercase())
        && (alpha.ends_with("ing")
            || alpha.ends_with("ed")
            || [
                "Mindful",
                "Aware",
                "Deeply",
                "Conscious",
                "Cognizant",
                "Further",
            ]
            .contains(&alpha))
        && alpha != "United"
}

#[cfg(test)]
mod symbol_tests {
    use super::symbol_of;

    #[test]
    fn a_reissued_symbol_is_read_without_its_star() {
        assert_eq!(symbol_of("A/C.1/80/L.23*"), Some("A/C.1/80/L.23"));
        assert_eq!(symbol_of("A/RES/80/1"), Some("A/RES/80/1"));
        assert_eq!(symbol_of("S/PV.10100"), Some("S/PV.10100"));
        // A word alone, or a symbol inside a sentence, is not a symbol line.
        assert_eq!(symbol_of("UNESCO"), None);
        assert_eq!(symbol_of("see A/80/L.1"), None);
    }
}
