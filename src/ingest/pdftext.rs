//! Clean-up shared by every document whose text was extracted from a UN PDF: page headers and
//! footers (symbol, running title, job number, page `2/18`, barcode), footnote blocks under a
//! rule of underscores, footnote markers stuck to words, and hard-wrapped lines.
//!
//! Furniture is found by shape, not by knowing the document: a page-number or job-number line
//! anchors a block, and the lines around it that are blank, the symbol, repeated on many pages,
//! or a run of the document's title (the running title, however it is wrapped) belong to it.

use regex::Regex;
use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

static PAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{1,3}\s*/\s*\d{1,3}$").expect("valid regex"));
static JOB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d{1,3}/\d{1,3}\s+)?\d{2}-\d{5}(?:\s*\([A-Z]\))?(?:\s+\d{6})?(?:\s+\d{1,3}/\d{1,3})?$")
        .expect("valid regex")
});
static BARCODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\*\d{6,8}\*$").expect("valid regex"));
static RUNNING_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:\d{2}/\d{2}/\d{4}\s+.{0,120}\s+[A-Z]{1,2}/\S+|[A-Z]{1,2}/\S+\s+.{0,120}\s+\d{2}/\d{2}/\d{4})$")
        .expect("valid regex")
});
static RULE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^_{5,}$").expect("valid regex"));
static STAR_NOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\*{1,3}|†{1,2}|‡)\s+[A-Z]").expect("valid regex"));
static FOOTNOTE_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3}|\*{1,3}|†{1,2}|‡)\s+\S").expect("valid regex"));

/// A line of body text that survived clean-up.
#[derive(Debug, Clone, PartialEq)]
pub struct CleanLine {
    /// 1-based line number in the source.
    pub no: usize,
    /// The text, trimmed.
    pub text: String,
    /// A page break was removed just before this line.
    pub after_break: bool,
}

/// The body lines of a PDF-extracted document and the footnotes taken out of it.
#[derive(Debug, Default)]
pub struct Cleaned {
    pub lines: Vec<CleanLine>,
    /// Footnote number → its text.
    pub footnotes: Vec<(String, String)>,
    /// The page furniture taken out, in order: what a test checks is never body text.
    pub removed: Vec<Removed>,
}

/// A line taken out as page furniture.
#[derive(Debug, Clone, PartialEq)]
pub struct Removed {
    /// 1-based line number in the source.
    pub line: usize,
    pub text: String,
}

impl Cleaned {
    /// Numbers of the footnotes, for finding their markers in the text.
    pub fn footnote_numbers(&self) -> BTreeSet<u32> {
        self.footnotes
            .iter()
            .filter_map(|(n, _)| n.parse().ok())
            .collect()
    }
}

fn is_anchor(t: &str) -> bool {
    PAGE.is_match(t) || JOB.is_match(t) || BARCODE.is_match(t) || RUNNING_DATE.is_match(t)
}

/// What the masthead says about a document, which its page headers repeat.
#[derive(Debug, Default, Clone, Copy)]
pub struct Masthead<'a> {
    pub symbol: Option<&'a str>,
    pub title: Option<&'a str>,
}

/// True when `line`'s words are a run of two or more consecutive words of `title`: a running
/// head repeats the title, wrapped wherever the page header wraps it.
fn is_title_run(line: &str, title: &[&str]) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    words.len() >= 2 && title.windows(words.len()).any(|w| w == words.as_slice())
}

/// Removes page furniture and footnote blocks.
pub fn clean(text: &str, masthead: Masthead) -> Cleaned {
    let symbol = masthead.symbol;
    let title: Vec<&str> = masthead.title.unwrap_or("").split_whitespace().collect();
    let raw: Vec<&str> = text.lines().map(|l| l.trim()).collect();
    let n = raw.len();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for l in &raw {
        if !l.is_empty() && l.len() < 120 {
            *counts.entry(l).or_default() += 1;
        }
    }
    let pages = raw
        .iter()
        .filter(|l| PAGE.is_match(l) || JOB.is_match(l))
        .count();
    let repeat_min = (pages / 2).max(2);
    let mut removed = Vec::new();
    // Furniture by where it stands: the anchors (page count, job number, barcode, dated
    // running line), blank lines and the symbol around them; and a running head (a run of the
    // title's words, or a line that recurs on many pages) only where it stands beside the
    // symbol, as page headers print them. A body line that happens to equal a line of the
    // title, next to a page break, is text.
    let core = |t: &str| t.is_empty() || is_anchor(t) || symbol.is_some_and(|s| t == s);
    let head = |t: &str| {
        !t.is_empty()
            && (is_title_run(t, &title)
                || counts
                    .get(t)
                    .is_some_and(|&c| c >= repeat_min && pages >= 2))
    };
    // A running head hangs from the symbol: the lines of head touching a symbol line, on
    // either side, with nothing between. With no symbol known, any head line near an anchor.
    let mut hangs = vec![false; n];
    for j in 0..n {
        if symbol.is_none() {
            hangs[j] = head(raw[j]);
        } else if symbol.is_some_and(|s| raw[j] == s) {
            let mut k = j;
            while k > 0 && head(raw[k - 1]) {
                k -= 1;
                hangs[k] = true;
            }
            let mut k = j;
            while k + 1 < n && head(raw[k + 1]) {
                k += 1;
                hangs[k] = true;
            }
        }
    }
    let furniture_like = |j: usize| core(raw[j]) || hangs[j];

    let mut furniture = vec![false; n];
    let mut breaks = vec![false; n];
    for i in 0..n {
        if !is_anchor(raw[i]) || furniture[i] {
            continue;
        }
        let mut lo = i;
        while lo > 0 && i - (lo - 1) <= 8 && furniture_like(lo - 1) {
            lo -= 1;
        }
        let mut hi = i;
        while hi + 1 < n && (hi + 1) - i <= 8 && furniture_like(hi + 1) {
            hi += 1;
        }
        for j in lo..=hi {
            if !furniture[j] && !raw[j].is_empty() {
                removed.push(Removed {
                    line: j + 1,
                    text: raw[j].to_string(),
                });
            }
            furniture[j] = true;
        }
        if hi + 1 < n {
            breaks[hi + 1] = true;
        }
    }

    let mut out = Cleaned {
        removed,
        ..Cleaned::default()
    };
    let mut in_notes = false;
    let mut pending_break = false;
    for i in 0..n {
        if furniture[i] {
            in_notes = false;
            pending_break |= breaks[i] || i + 1 < n && breaks[i + 1];
            continue;
        }
        let t = raw[i];
        // Notes start under a rule, or with a star note after a blank line ("* On behalf of…").
        let star_note = STAR_NOTE.is_match(t) && out.lines.last().is_none_or(|l| l.text.is_empty());
        if RULE.is_match(t) || star_note {
            in_notes = true;
            if !star_note {
                continue;
            }
        }
        if in_notes {
            // Notes are numbered in order: a number that does not follow the last note (and
            // does not stand after a blank line) begins a continuation line ("… as from /
            // 7 February 1984."), not a new note.
            let last_number = out
                .footnotes
                .iter()
                .rev()
                .find_map(|(n, _)| n.parse::<u32>().ok());
            let starts_note =
                FOOTNOTE_START
                    .captures(t)
                    .filter(|c| match (c[1].parse::<u32>(), last_number) {
                        (Ok(n), Some(last)) => {
                            n == last + 1 || (n > last && i > 0 && raw[i - 1].is_empty())
                        }
                        _ => true,
                    });
            if let Some(c) = starts_note {
                let num = c[1].to_string();
                out.footnotes
                    .push((num.clone(), t[num.len()..].trim().to_string()));
            } else if let Some(last) = out.footnotes.last_mut() {
                if !t.is_empty() {
                    last.1.push(' ');
                    last.1.push_str(t);
                }
            }
            continue;
        }
        out.lines.push(CleanLine {
            no: i + 1,
            text: t.to_string(),
            after_break: pending_break || breaks[i],
        });
        if !t.is_empty() {
            pending_break = false;
        }
    }
    out
}

/// Joins hard-wrapped lines into running text. A line ending in a hyphen or en dash joins the
/// next without a space ("Secretary-" + "General", "2021–" + "2031"), as UN documents break
/// lines at real hyphens and dashes.
pub fn join_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for l in lines {
        let l = l.trim();
        if l.is_empty() {
            continue;
        }
        // A hyphen or en dash stuck to the word before it ("Secretary-", "2021–") joins the
        // next line as written; one standing alone (" – ") is punctuation between words.
        let glued = (out.ends_with('-') && !out.ends_with(" -") && !out.ends_with("--"))
            || (out.ends_with('–') && !out.ends_with(" –"));
        if out.is_empty() || glued {
            out.push_str(l);
        } else {
            out.push(' ');
            out.push_str(l);
        }
    }
    normalise_spaces(&out)
}

/// Collapses runs of spaces (and the no-break spaces PDFs leave) to one space.
pub fn normalise_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// Removes footnote markers from paragraphs, in document order, and says which markers each
/// paragraph cited. Markers run 1, 2, 3… through the text, so each is looked for after the one
/// before: stuck to a word or punctuation ("Commitment,1 which", "Goals26"), set off by a space
/// before a lowercase word or the end ("Development 19 and other"), or stuck to a year (the
/// year 2021 with marker 15 printed "202115"). A number that is the text's own is never taken: part of a
/// longer number, a quantity ("4 trillion"), or a range ("from 11 to 13 May"). Where a number
/// could be either, the candidate after punctuation wins over one after a word. A marker not
/// found (glued to a number in a way that cannot be told apart) is passed over, and the next
/// ones are still looked for.
pub fn strip_footnote_markers(paragraphs: &mut [String], numbers: &BTreeSet<u32>) -> Vec<Vec<u32>> {
    let expected: Vec<u32> = numbers.iter().copied().collect();
    let mut cited = vec![Vec::new(); paragraphs.len()];
    let mut next = 0;
    for (p, marks) in paragraphs.iter_mut().zip(cited.iter_mut()) {
        let mut from = 0;
        while next < expected.len() {
            // The next marker, or failing it the one after (the next is then passed over).
            let found = (next..expected.len().min(next + 2))
                .find_map(|k| best_marker(p, from, expected[k]).map(|m| (k, m)));
            let Some((k, (cut_from, cut_to))) = found else {
                break;
            };
            p.replace_range(cut_from..cut_to, "");
            marks.push(expected[k]);
            next = k + 1;
            from = cut_from;
        }
    }
    cited
}

/// Words after a number that make it a quantity, not a marker.
const QUANTITIES: [&str; 8] = [
    "trillion", "billion", "million", "thousand", "hundred", "per", "percent", "%",
];

/// Words after which a number is what they refer to ("paragraph 25 of", "Goal 4 on"), not a
/// marker set off by a space.
const REFERENCES: [&str; 26] = [
    "paragraph",
    "paragraphs",
    "para",
    "resolution",
    "resolutions",
    "decision",
    "decisions",
    "item",
    "items",
    "article",
    "articles",
    "annex",
    "chapter",
    "section",
    "rule",
    "rules",
    "goal",
    "goals",
    "target",
    "targets",
    "agenda",
    "principle",
    "recommendation",
    "session",
    "page",
    "part",
];

/// Where marker `n` stands in `p` after byte `from`: the byte range to cut. The best-placed
/// occurrence wins (after punctuation, then stuck to a word or year, then after a word).
fn best_marker(p: &str, from: usize, n: u32) -> Option<(usize, usize)> {
    let digits = n.to_string();
    let bytes = p.as_bytes();
    let mut best: Option<(u8, usize, usize)> = None;
    let mut at = from;
    while let Some(pos) = p
        .get(at..)
        .and_then(|rest| rest.find(&digits))
        .map(|k| k + at)
    {
        let end = pos + digits.len();
        at = end;
        let before = p[..pos].chars().next_back();
        let after = p[end..].chars().next();
        if after.is_some_and(|c| c.is_ascii_digit() || c.is_alphabetic()) {
            continue;
        }
        let after_ok = after.is_none_or(|c| c.is_whitespace() || ",.;:".contains(c));
        let score = if before.is_some_and(|c| c.is_ascii_digit()) {
            // Stuck to a number: only a year (19xx, 20xx) standing alone takes a marker.
            // Digits are one byte each, so the number starts just after the last non-digit.
            let start = pos
                - p[..pos]
                    .bytes()
                    .rev()
                    .take_while(u8::is_ascii_digit)
                    .count();
            let year = &p[start..pos];
            // A year of its own or closing a range ("2024–2034"), not part of a symbol.
            let lone = start == 0 || !p[..start].ends_with(['/', '.', ',']);
            (year.len() == 4
                && (year.starts_with("19") || year.starts_with("20"))
                && lone
                && after_ok)
                .then_some(2)
        } else if before.is_some_and(|c| ",.;:)”’\"".contains(c)) && after_ok {
            Some(3)
        } else if before.is_some_and(char::is_alphabetic) && after_ok {
            Some(2)
        } else if pos >= 2 && bytes[pos - 1] == b' ' {
            let word_before = p[..pos - 1].chars().next_back();
            let rest = p[end..].trim_start();
            let next_word = rest.split_whitespace().next().unwrap_or("");
            let quantity = QUANTITIES.iter().any(|q| {
                next_word
                    .trim_end_matches([',', '.', ';'])
                    .eq_ignore_ascii_case(q)
            });
            let in_range = rest
                .split_whitespace()
                .nth(1)
                .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_digit()));
            let ends_or_runs_on = rest.is_empty()
                || rest.starts_with(|c: char| c.is_lowercase() || ",.;:".contains(c));
            let reference = p[..pos - 1]
                .rsplit(|c: char| !c.is_alphabetic())
                .next()
                .is_some_and(|w| REFERENCES.iter().any(|r| w.eq_ignore_ascii_case(r)));
            let after_punctuation = word_before.is_some_and(|c| ",.;:)”".contains(c));
            if quantity || in_range || reference {
                None
            } else if after_punctuation {
                // After a finished clause the next sentence may start ("Child. 12 We welcome").
                Some(3)
            } else if !ends_or_runs_on {
                None
            } else if word_before.is_some_and(char::is_alphabetic) {
                Some(1)
            } else {
                None
            }
        } else {
            None
        };
        if let Some(score) = score {
            let cut_from = if bytes.get(pos.wrapping_sub(1)) == Some(&b' ')
                && !before.is_some_and(|c| c.is_ascii_digit())
            {
                pos - 1
            } else {
                pos
            };
            if best.is_none_or(|(s, _, _)| score > s) {
                best = Some((score, cut_from, end));
            }
        }
    }
    best.map(|(_, a, b)| (a, b))
}

/// The footnotes a paragraph cites, with their texts.
pub fn cited_footnotes(
    marks: &[u32],
    footnotes: &[(String, String)],
) -> Vec<crate::model::Footnote> {
    marks
        .iter()
        .filter_map(|m| {
            let mark = m.to_string();
            footnotes
                .iter()
                .find(|(n, _)| *n == mark)
                .map(|(_, text)| crate::model::Footnote {
                    mark,
                    text: text.clone(),
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE_BREAK: &str = "and reaffirms the strong political commitment to\n_______________\n \n1 Resolutions 56/183 and 78/132.\n\nA/RES/80/118\nInformation and communications technologies for\nsustainable development\n \n25-20736\n2/18\n \n \nfor sustainable development in the spirit of solidarity,\n \nInformation and communications technologies for\nsustainable development\nA/RES/80/118\n \n3/18\n25-20736\n \nRecalling the rest,\n \nA/RES/80/118\nInformation and communications technologies for\nsustainable development\n \n25-20736\n4/18\n";

    const MINES: &str = "Implementation of the Convention on the Prohibition of the Use, Stockpiling, Production and Transfer of Anti-Personnel Mines and on Their Destruction";

    fn body_of(c: &Cleaned) -> Vec<&str> {
        c.lines
            .iter()
            .map(|l| l.text.as_str())
            .filter(|t| !t.is_empty())
            .collect()
    }

    #[test]
    fn a_body_line_equal_to_a_title_line_is_text_beside_a_page_break() {
        let mast = Masthead {
            symbol: Some("A/C.1/80/L.99"),
            title: Some(MINES),
        };
        // The last line of a page equals a line of the title.
        let before = "2. Calls upon all States to implement the Convention on the\nProhibition of the Use, Stockpiling, Production and Transfer of Anti-Personnel Mines\n\nA/C.1/80/L.99\n \n25-12345\n2/4\n \nand on Their Destruction fully;\n";
        let c = clean(before, mast);
        assert_eq!(
            body_of(&c),
            [
                "2. Calls upon all States to implement the Convention on the",
                "Prohibition of the Use, Stockpiling, Production and Transfer of Anti-Personnel Mines",
                "and on Their Destruction fully;"
            ]
        );
        assert!(c
            .removed
            .iter()
            .all(|r| ["A/C.1/80/L.99", "25-12345", "2/4"].contains(&r.text.as_str())));
        // The same line at the top of the next page.
        let after = "2. Calls upon all States to implement the Convention on the\n\nA/C.1/80/L.99\n \n25-12345\n2/4\n \nProhibition of the Use, Stockpiling, Production and Transfer of Anti-Personnel Mines\nand on Their Destruction fully;\n";
        let c = clean(after, mast);
        assert_eq!(body_of(&c).len(), 3, "{:?}", body_of(&c));
        // A running head printed beside the symbol is still furniture.
        let head = "Recalling the Convention,\n\nA/C.1/80/L.99\nImplementation of the Convention on the Prohibition of the Use,\nStockpiling, Production and Transfer of Anti-Personnel Mines and on Their Destruction\n \n25-12345\n2/4\n \nWelcoming the work,\n";
        let c = clean(head, mast);
        assert_eq!(
            body_of(&c),
            ["Recalling the Convention,", "Welcoming the work,"]
        );
        assert_eq!(c.removed.len(), 5, "{:?}", c.removed);
    }

    #[test]
    fn a_running_head_seen_once_goes_by_the_title() {
        // A two-page resolution: the running head is printed once, wrapped unlike the title.
        let text = "Recalling its resolutions 50/10 of 2 November 1995, 51/17 of 12 November\n\nA/RES/80/4\nNecessity of ending the economic, commercial and financial\nembargo imposed by the United States of America against Cuba\n \n25-17552\n2/2\n \n1996, 52/10 of 5 November 1997,\n";
        let c = clean(
            text,
            Masthead {
                symbol: Some("A/RES/80/4"),
                title: Some("Necessity of ending the economic, commercial and financial embargo imposed by the United States of America against Cuba"),
            },
        );
        let texts: Vec<&str> = c
            .lines
            .iter()
            .map(|l| l.text.as_str())
            .filter(|t| !t.is_empty())
            .collect();
        assert_eq!(
            texts,
            vec![
                "Recalling its resolutions 50/10 of 2 November 1995, 51/17 of 12 November",
                "1996, 52/10 of 5 November 1997,"
            ]
        );
    }

    #[test]
    fn a_note_line_opening_with_a_number_continues_the_note() {
        let text = "devoted to disarmament,\n__________________\n \n1  Resolution S-10/2.\n \n2  The Committee on Disarmament was redesignated as from\n7 February 1984.\n \n3  Official Records.\n";
        let c = clean(text, Masthead::default());
        assert_eq!(
            c.footnotes,
            vec![
                ("1".to_string(), "Resolution S-10/2.".to_string()),
                (
                    "2".to_string(),
                    "The Committee on Disarmament was redesignated as from 7 February 1984."
                        .to_string()
                ),
                ("3".to_string(), "Official Records.".to_string()),
            ]
        );
    }

    #[test]
    fn page_furniture_and_footnotes_go() {
        let c = clean(
            PAGE_BREAK,
            Masthead {
                symbol: Some("A/RES/80/118"),
                title: None,
            },
        );
        let texts: Vec<&str> = c
            .lines
            .iter()
            .map(|l| l.text.as_str())
            .filter(|t| !t.is_empty())
            .collect();
        assert_eq!(
            texts,
            vec![
                "and reaffirms the strong political commitment to",
                "for sustainable development in the spirit of solidarity,",
                "Recalling the rest,"
            ]
        );
        assert!(
            c.lines
                .iter()
                .find(|l| l.text.starts_with("for sus"))
                .unwrap()
                .after_break
        );
        assert_eq!(
            c.footnotes,
            vec![(
                "1".to_string(),
                "Resolutions 56/183 and 78/132.".to_string()
            )]
        );
    }

    #[test]
    fn markers_come_off_in_order() {
        let mut ps = vec![
            "the Sevilla Commitment,1 which renews".to_string(),
            "the Agenda for Sustainable Development 2 and all 17 Goals, by 2030,3".to_string(),
            "from 4 to 13 May and on 5 and 6 June".to_string(),
        ];
        let nums: BTreeSet<u32> = [1, 2, 3, 4, 5].into_iter().collect();
        strip_footnote_markers(&mut ps, &nums);
        assert_eq!(ps[0], "the Sevilla Commitment, which renews");
        assert_eq!(
            ps[1],
            "the Agenda for Sustainable Development and all 17 Goals, by 2030,"
        );
        assert_eq!(
            ps[2], "from 4 to 13 May and on 5 and 6 June",
            "ranges are text"
        );
    }

    #[test]
    fn hyphens_at_line_ends_join() {
        assert_eq!(
            join_lines(["the Secretary-", "General and", "the  follow-up"]),
            "the Secretary-General and the follow-up"
        );
    }

    fn stripped(texts: &[&str], marks: &[u32]) -> (Vec<String>, Vec<Vec<u32>>) {
        let mut ps: Vec<String> = texts.iter().map(|t| t.to_string()).collect();
        let cited = strip_footnote_markers(&mut ps, &marks.iter().copied().collect());
        (ps, cited)
    }

    #[test]
    fn numbers_of_the_text_stay_and_markers_go() {
        // A quantity is the text's own; the marker after the comma is the footnote.
        let (ps, cited) = stripped(
            &["close the estimated annual 4 trillion United States dollar financing gap, 4 and catalyse"],
            &[4],
        );
        assert_eq!(ps[0], "close the estimated annual 4 trillion United States dollar financing gap, and catalyse");
        assert_eq!(cited[0], vec![4]);
        // A marker after a finished sentence, before the next one.
        let (ps, _) = stripped(
            &["the Convention on the Rights of the Child. 12 We welcome"],
            &[12],
        );
        assert_eq!(
            ps[0],
            "the Convention on the Rights of the Child. We welcome"
        );
        // A year that took its marker gives it back; a number of a name keeps its digits.
        let (ps, cited) = stripped(
            &["in 202115 and in the Decade 2024–203416, as paragraph 17 of Agenda 2117 says"],
            &[15, 16, 17],
        );
        assert_eq!(
            ps[0],
            "in 2021 and in the Decade 2024–2034, as paragraph 17 of Agenda 2117 says"
        );
        assert_eq!(cited[0], vec![15, 16]);
    }

    #[test]
    fn a_marker_not_found_does_not_stop_the_next() {
        // Marker 6 is glued to "Agenda 21" and cannot be told apart; 7 and 14 still come off.
        let (ps, cited) = stripped(
            &[
                "the Agenda 216 of the Conference",
                "and its outcome)7 were noted;14 and welcomed",
            ],
            &[6, 7, 14],
        );
        assert_eq!(ps[0], "the Agenda 216 of the Conference");
        assert_eq!(ps[1], "and its outcome) were noted; and welcomed");
        assert_eq!(cited, vec![vec![], vec![7, 14]]);
    }

    #[test]
    fn dashes_at_line_ends_join_as_written() {
        assert_eq!(
            join_lines(["the period 2021–", "2031 and"]),
            "the period 2021–2031 and"
        );
        assert_eq!(
            join_lines(["Member States –", "in particular"]),
            "Member States – in particular"
        );
    }
}
