//! Clean-up shared by every document whose text was extracted from a UN PDF: page headers and
//! footers (symbol, running title, job number, page `2/18`, barcode), footnote blocks under a
//! rule of underscores, and hard-wrapped lines. The markers that cite the notes are
//! [`super::markers`]'s.
//!
//! Furniture is found by where it stands, not by what it says: a page-number or job-number line
//! anchors a block, and the lines around it that are blank or the symbol belong to it, with the
//! running head (a run of the title's words, however it is wrapped, or a line repeated on many
//! pages) where it hangs from the symbol line. A body line that equals a line of the title is
//! text wherever it stands. Every line taken out is recorded in [`Cleaned::removed`].

use regex::Regex;
use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

static PAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{1,3}\s*/\s*\d{1,3}$").expect("valid regex"));
static JOB: LazyLock<Regex> = LazyLock::new(|| {
    // The page count may stand before or after the job number, and a PDF's text layer may
    // glue the two together ("3/2826-03920", "26-0392010/28").
    Regex::new(r"^(?:\d{1,3}/\d{1,3}\s*)?\d{2}-\d{5}\*?(?:\s*\([A-Z]\))?(?:\s+\d{6})?(?:\s*\d{1,3}/\d{1,3})?$")
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
    join_lines_with(lines, None)
}

/// The words of a document, to tell a word its typesetting broke at a line's end ("Коро-" +
/// "левство", "exa-" + "men": the French, Spanish and Russian records break words) from a
/// compound written with a hyphen ("follow-" + "up"): the break is the typesetter's where the
/// document writes the word whole elsewhere, in that form or with another ending of at most
/// three letters ("Королевством" beside "Королевство"), and never with the hyphen.
pub struct Vocabulary<'a> {
    lines: Vec<&'a str>,
    /// Read from `lines` the first time a line ends with a hyphen: most documents never ask.
    words: std::cell::OnceCell<Words>,
}

/// The words of a document, lowercase: written whole, and written with a hyphen inside.
struct Words {
    whole: BTreeSet<String>,
    hyphenated: std::collections::HashSet<String>,
}

/// The most letters a word's ending may differ by and still be the same word in another form.
const ENDING: usize = 3;

impl<'a> Vocabulary<'a> {
    /// The words of `lines`, lowercase; a word cut by a hyphen at a line's end is neither.
    pub fn of(lines: impl IntoIterator<Item = &'a str>) -> Vocabulary<'a> {
        Vocabulary {
            lines: lines.into_iter().collect(),
            words: std::cell::OnceCell::new(),
        }
    }

    fn words(&self) -> &Words {
        self.words.get_or_init(|| {
            let mut v = Words {
                whole: Default::default(),
                hyphenated: Default::default(),
            };
            for line in &self.lines {
                for w in line.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
                    let w = w.trim_start_matches('-');
                    if w.is_empty() || w.ends_with('-') {
                        continue;
                    }
                    if w.contains('-') {
                        v.hyphenated.insert(w.to_lowercase());
                    } else {
                        v.whole.insert(w.to_lowercase());
                    }
                }
            }
            v
        })
    }

    /// True when `before`, ending a line with a hyphen, and `after`, opening the next in
    /// lowercase, are one word the typesetting broke.
    fn broken(&self, before: &str, after: &str) -> bool {
        let last = before
            .trim_end_matches('-')
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        let first = after
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        if last.is_empty() || !first.chars().next().is_some_and(char::is_lowercase) {
            return false;
        }
        let whole = format!("{last}{first}").to_lowercase();
        let hyphened = format!("{last}-{first}").to_lowercase();
        !self.words().hyphenated.contains(&hyphened) && self.writes(&whole, last.chars().count())
    }

    /// True when the document writes `word` whole, or another form of it: a word sharing all
    /// but its last few letters, and more than the `broken_at` letters before the break.
    fn writes(&self, word: &str, broken_at: usize) -> bool {
        if self.words().whole.contains(word) {
            return true;
        }
        let letters: Vec<char> = word.chars().collect();
        let stem_len = letters.len().saturating_sub(ENDING);
        if stem_len < broken_at + 2 || stem_len < 4 {
            return false;
        }
        let stem: String = letters[..stem_len].iter().collect();
        self.words()
            .whole
            .range(stem.clone()..)
            .take_while(|w| w.starts_with(&stem))
            .any(|w| w.chars().count() <= stem_len + ENDING)
    }
}

/// [`join_lines`], with a word broken at a line's end by the typesetting joined whole where
/// the document's `words` show it was one word.
pub fn join_lines_with<'a>(
    lines: impl IntoIterator<Item = &'a str>,
    words: Option<&Vocabulary>,
) -> String {
    let mut out = String::new();
    for l in lines {
        let l = l.trim();
        if l.is_empty() {
            continue;
        }
        // A hyphen or en dash stuck to the word before it ("Secretary-", "2021–") joins the
        // next line as written; one standing alone (" – ") is punctuation between words.
        // Chinese is written without spaces: a line break between two characters is none.
        let han = |c: Option<char>| c.is_some_and(crate::text::han::is_han);
        let glued = (out.ends_with('-') && !out.ends_with(" -") && !out.ends_with("--"))
            || (out.ends_with('–') && !out.ends_with(" –"))
            || (han(out.chars().last()) && han(l.chars().next()));
        if glued && out.ends_with('-') && words.is_some_and(|w| w.broken(&out, l)) {
            out.pop();
        }
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
    fn a_page_count_glued_to_the_job_number_is_furniture_in_either_order() {
        for footer in [
            "3/2826-03920",
            "26-0392010/28",
            "3/28 26-03920",
            "26-03920 (E)",
            "25-16535* (E)    231025",
        ] {
            assert!(JOB.is_match(footer), "{footer}");
            let text = format!("the Council cannot\n{footer}\nverify the reports.\n");
            let c = clean(&text, Masthead::default());
            assert_eq!(
                body_of(&c),
                ["the Council cannot", "verify the reports."],
                "{footer}"
            );
        }
        // A number of the text is not a footer.
        assert!(!JOB.is_match("resolution 26-0392"));
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
    fn hyphens_at_line_ends_join() {
        assert_eq!(
            join_lines(["the Secretary-", "General and", "the  follow-up"]),
            "the Secretary-General and the follow-up"
        );
    }

    #[test]
    fn a_word_broken_at_a_line_end_is_joined_where_the_document_writes_it_whole() {
        let doc = [
            "Соединенное Королевство Великобритании и",
            "Северной Ирландии. Соединенное Коро-",
            "левство и Сьерра-",
            "Леоне; a follow-",
            "up, and the follow-up",
        ];
        let words = Vocabulary::of(doc);
        assert_eq!(
            join_lines_with(doc[1..].iter().copied(), Some(&words)),
            "Северной Ирландии. Соединенное Королевство и Сьерра-Леоне; a follow-up, and the follow-up"
        );
        // Without the document's words, the hyphen stays.
        assert!(join_lines(doc[1..].iter().copied()).contains("Коро-левство"));
        // A word the document never writes whole keeps its hyphen.
        let words = Vocabulary::of(["exa-", "men de la question"]);
        assert!(!words.broken("exa-", "men"));
        // Another form of a word the document writes whole.
        let words = Vocabulary::of(["Соединенное Королевство", "Соединенным Коро-", "левством"]);
        assert!(words.broken("Коро-", "левством"));
        assert_eq!(join_lines_with(["exa-", "men"], Some(&words)), "exa-men");
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
