//! Footnote markers in the text of UN documents: the numbers printed after a word or a clause
//! that point to the notes at the page foot, taken out of the text and kept with the paragraph
//! that cites them, while every number that is the text's own stays.

use std::collections::BTreeSet;

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
}
