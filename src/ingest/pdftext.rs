//! Clean-up shared by every document whose text was extracted from a UN PDF: page headers and
//! footers (symbol, running title, job number, page `2/18`, barcode), footnote blocks under a
//! rule of underscores, footnote markers stuck to words, and hard-wrapped lines.
//!
//! Furniture is found by shape, not by knowing the document: a page-number or job-number line
//! anchors a block, and the lines around it that are blank, the symbol, or repeated on many
//! pages (the running title) belong to it.

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
    LazyLock::new(|| Regex::new(r"^\*{1,3}\s+[A-Z]").expect("valid regex"));
static FOOTNOTE_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3}|\*{1,3})\s+\S").expect("valid regex"));

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

/// Removes page furniture and footnote blocks. `symbol` is the document symbol, when known.
pub fn clean(text: &str, symbol: Option<&str>) -> Cleaned {
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
    let furniture_like = |t: &str| {
        t.is_empty()
            || is_anchor(t)
            || symbol.is_some_and(|s| t == s)
            || counts
                .get(t)
                .is_some_and(|&c| c >= repeat_min && pages >= 2)
    };

    let mut furniture = vec![false; n];
    let mut breaks = vec![false; n];
    for i in 0..n {
        if !is_anchor(raw[i]) || furniture[i] {
            continue;
        }
        let mut lo = i;
        while lo > 0 && i - (lo - 1) <= 8 && furniture_like(raw[lo - 1]) {
            lo -= 1;
        }
        let mut hi = i;
        while hi + 1 < n && (hi + 1) - i <= 8 && furniture_like(raw[hi + 1]) {
            hi += 1;
        }
        for f in furniture.iter_mut().take(hi + 1).skip(lo) {
            *f = true;
        }
        if hi + 1 < n {
            breaks[hi + 1] = true;
        }
    }

    let mut out = Cleaned::default();
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
            if let Some(c) = FOOTNOTE_START.captures(t) {
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

/// Joins hard-wrapped lines into running text. A line ending in a hyphen joins the next
/// without a space ("Secretary-" + "General"), as UN documents break lines at real hyphens.
pub fn join_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for l in lines {
        let l = l.trim();
        if l.is_empty() {
            continue;
        }
        let glued = out.ends_with('-') && !out.ends_with(" -") && !out.ends_with("--");
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

/// Removes footnote markers from paragraphs, in document order. Markers run 1, 2, 3…, so each
/// is looked for only after the previous one, either stuck to a word or punctuation
/// ("Commitment,1 which", "Goals26") or standing alone before a lowercase word or the end
/// ("Development 19 and other").
pub fn strip_footnote_markers(paragraphs: &mut [String], numbers: &BTreeSet<u32>) {
    let mut expected = numbers.iter().copied().peekable();
    for p in paragraphs.iter_mut() {
        'markers: while let Some(&n) = expected.peek() {
            let digits = n.to_string();
            let bytes = p.as_bytes();
            let mut from = 0;
            while let Some(pos) = p[from..].find(&digits).map(|k| k + from) {
                let end = pos + digits.len();
                let before = p[..pos].chars().next_back();
                let after = p[end..].chars().next();
                let digit_edge = before.is_some_and(|c| c.is_ascii_digit())
                    || after.is_some_and(|c| c.is_ascii_digit() || c.is_alphabetic());
                let glued = before.is_some_and(|c| c.is_alphabetic() || ",.;:)”’\"".contains(c))
                    && after.is_none_or(|c| c.is_whitespace() || ",.;:".contains(c));
                // A number in a range ("from 11 to 13 May", "on 15 and 16 September") is the
                // text's own, not a marker set off by a space.
                let in_range = {
                    let mut next = p[end..].split_whitespace();
                    next.next().is_some()
                        && next
                            .next()
                            .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_digit()))
                };
                let spaced = pos >= 2
                    && bytes[pos - 1] == b' '
                    && !in_range
                    && p[..pos - 1]
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_alphabetic() || ",.;:)”".contains(c))
                    && {
                        let rest = p[end..].trim_start();
                        rest.is_empty()
                            || rest.starts_with(|c: char| c.is_lowercase() || ",.;:".contains(c))
                    };
                if !digit_edge && (glued || spaced) {
                    let cut_from = if glued { pos } else { pos - 1 };
                    p.replace_range(cut_from..end, "");
                    expected.next();
                    continue 'markers;
                }
                from = end;
            }
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE_BREAK: &str = "and reaffirms the strong political commitment to\n_______________\n \n1 Resolutions 56/183 and 78/132.\n\nA/RES/80/118\nInformation and communications technologies for\nsustainable development\n \n25-20736\n2/18\n \n \nfor sustainable development in the spirit of solidarity,\n \nInformation and communications technologies for\nsustainable development\nA/RES/80/118\n \n3/18\n25-20736\n \nRecalling the rest,\n \nA/RES/80/118\nInformation and communications technologies for\nsustainable development\n \n25-20736\n4/18\n";

    #[test]
    fn page_furniture_and_footnotes_go() {
        let c = clean(PAGE_BREAK, Some("A/RES/80/118"));
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
}
