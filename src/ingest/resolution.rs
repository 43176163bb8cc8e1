//! Resolutions and their drafts as text extracted from UN PDFs: the masthead (symbol,
//! distribution, date, agenda item, sponsors, title), then preambular paragraphs (unnumbered,
//! "Recalling…", numbered here `PP1`, `PP2`…), operative paragraphs (`1.`, `2.`…) with their
//! `(a)` sub-items, and section headings.

use super::markers::{cited_footnotes, strip_footnote_markers};
use super::pdftext::{clean, join_lines, join_lines_with, normalise_spaces, Masthead, Vocabulary};
use super::undoc::{
    blocks, date_in, is_heading, is_roman, is_section_number, symbol_of, OPERATIVE, SUBITEM,
};
use super::{Draft, ParseError};
use crate::model::{Kind, Locator, Turn};
use regex::Regex;
use std::sync::LazyLock;

static PLENARY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d+(?:st|nd|rd|th) plenary meeting").expect("valid regex"));
static ADOPTED_TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{1,3}/\d{1,4}\.\s+(.*)$").expect("valid regex"));
static ANNEX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(Annex(?: [IVX]{1,4})?)\b\s*(.*)$").expect("valid regex"));
static SUBMITTED_BY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i)draft (?:resolution|decision) submitted by (?:the )?").expect("valid regex")
});
static BASED_ON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:informal consultations on draft resolution|without reference to a Main Committee \()\s*([A-Z]{1,6}(?:\.\d+)?(?:/[A-Za-z0-9.\-]+)+?)\)?\]?\s*$")
        .expect("valid regex")
});

/// True when the text looks like a UN document: a symbol near the top and a masthead.
pub fn detect(text: &str) -> bool {
    let head: Vec<&str> = text.lines().take(30).map(str::trim).collect();
    head.iter().any(|l| symbol_of(l).is_some())
        && head.iter().any(|l| {
            l.starts_with("Distr.")
                || l.starts_with("General Assembly")
                || l.starts_with("Security Council")
        })
        && text.lines().any(|l| {
            let t = l.trim();
            t.starts_with("The General Assembly")
                || t.starts_with("The Security Council")
                || t.starts_with("The Economic and Social Council")
        })
}

/// The line naming the organ that opens the text ("The General Assembly,"), and what follows
/// the organ on that line: a decision's chapeau often runs on ("The General Assembly,
/// recalling its decision 79/521 …:").
fn masthead_end(t: &str) -> Option<&str> {
    [
        "The General Assembly",
        "The Security Council",
        "The Economic and Social Council",
        "The Human Rights Council",
    ]
    .iter()
    .find_map(|p| {
        let rest = t.strip_prefix(p)?;
        let rest = rest.strip_prefix(',').unwrap_or(rest).trim();
        let runs_on = rest.chars().next().is_some_and(|c| c.is_lowercase());
        (rest.is_empty() || runs_on).then_some(rest)
    })
}

/// An item that acts, as a decision's lettered items do: it opens with a verb in the third
/// person ("Urges", "Takes note", "Endorses"), not with a participle or a noun.
fn opens_operative(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or("");
    first.len() >= 4
        && first.chars().next().is_some_and(|c| c.is_uppercase())
        && first.chars().skip(1).all(|c| c.is_lowercase())
        && first.ends_with('s')
        && !first.ends_with("ss")
}

/// Parses a resolution or draft. `version_of` decides the version label from the masthead.
pub fn parse(text: &str) -> Result<Draft, ParseError> {
    let mut draft = Draft::new(Kind::Resolution);
    let raw: Vec<&str> = text.lines().map(str::trim).collect();
    let (end, chapeau) = raw
        .iter()
        .enumerate()
        .find_map(|(i, t)| masthead_end(t).map(|rest| (i, rest)))
        .ok_or_else(|| {
            ParseError::Structure("no \"The General Assembly\" line opening the text".into())
        })?;
    read_masthead(&raw[..end], &mut draft);

    // A chapeau on the organ's line is the body's first line; the line numbers stay the file's.
    let (body_text, offset) = if chapeau.is_empty() {
        (raw[end + 1..].join("\n"), end + 1)
    } else {
        let mut lines = vec![chapeau];
        lines.extend(&raw[end + 1..]);
        (lines.join("\n"), end)
    };
    let cleaned = clean(
        &body_text,
        Masthead {
            symbol: draft.symbol.as_deref(),
            title: draft.title.as_deref(),
        },
    );
    // A star or dagger note saying whom the draft is tabled for names its author group.
    if let Some((_, note)) = cleaned.footnotes.iter().find(|(n, note)| {
        n.starts_with(['*', '†', '‡']) && note.to_lowercase().starts_with("on behalf of")
    }) {
        draft.on_behalf_of.get_or_insert_with(|| note.clone());
    }
    let mut body = Body::default();
    // The document's words: a word its typesetting broke at a line's end is joined whole.
    let words = Vocabulary::of(cleaned.lines.iter().map(|l| l.text.as_str()));
    for b in blocks(&cleaned.lines) {
        let line = Some((b.first_line + offset) as u64);
        let joined = join_lines_with(b.lines.iter().map(String::as_str), Some(&words));
        if !body.read(joined, line, &mut draft) {
            break;
        }
    }
    let cited = strip_footnote_markers(&mut body.texts, &cleaned.footnote_numbers());
    for ((t, l), marks) in body.texts.into_iter().zip(body.locs).zip(cited) {
        if !t.trim().is_empty() {
            draft.turns.push(Turn {
                footnotes: cited_footnotes(&marks, &cleaned.footnotes),
                text: t,
                locator: l,
                ..Turn::default()
            });
        }
    }
    if draft.turns.is_empty() {
        return Err(ParseError::Structure(
            "no paragraphs after the masthead".into(),
        ));
    }
    Ok(draft)
}

/// The masthead: symbol, date (the adoption date when adopted), agenda item, sponsors, title.
fn read_masthead(masthead: &[&str], draft: &mut Draft) {
    draft.masthead = masthead.join("\n");
    draft.symbol = masthead
        .iter()
        .take(12)
        .find_map(|l| symbol_of(l))
        .map(str::to_string);
    if let Some(i) = masthead.iter().position(|l| l.starts_with("Distr.")) {
        draft.date = masthead[i..].iter().take(3).find_map(|l| date_in(l));
    }
    if let Some(i) = masthead.iter().position(|l| l.contains("adopted by the")) {
        if let Some(d) = masthead[i..].iter().take(3).find_map(|l| date_in(l)) {
            draft.date = Some(d);
        }
    }
    draft.agenda_item = masthead
        .iter()
        .find_map(|l| l.strip_prefix("Agenda item").map(|r| r.trim().to_string()));
    read_sponsors_and_title(masthead, draft);
}

/// The body read block by block: preambular paragraphs, operative paragraphs and their
/// lettered (and roman-numbered) items, a decision's lettered items, section headings, and an
/// annex after the meeting line.
#[derive(Default)]
struct Body {
    texts: Vec<String>,
    locs: Vec<Locator>,
    section: Option<String>,
    /// Preambular paragraphs so far.
    pp: usize,
    /// The current operative paragraph's number.
    operative: Option<String>,
    /// The current lettered item, and whether it introduced a list of roman-numbered ones.
    lettered: Option<(String, bool)>,
    /// A decision's lettered items stand where a resolution's numbered paragraphs do.
    decision_items: bool,
    /// The meeting line was read: the text is closed unless an annex follows.
    closed: bool,
    /// The label prefix of an annex's paragraphs ("Annex ").
    prefix: String,
    /// How many paragraphs there were when the section was set.
    section_at: usize,
}

impl Body {
    /// Reads one block; false when the text has ended.
    fn read(&mut self, joined: String, line: Option<u64>, draft: &mut Draft) -> bool {
        // The meeting line closes the resolution; an annex after it (a declaration the
        // resolution adopts) is read on, its paragraphs numbered "Annex 1", "Annex 2"….
        if PLENARY.is_match(&joined) {
            self.closed = true;
            return true;
        }
        if self.closed {
            return self.annex(&joined);
        }
        if let Some(c) = OPERATIVE.captures(&joined) {
            let num = format!("{}{}", self.prefix, &c[1]);
            self.operative = Some(num.clone());
            self.lettered = None;
            self.push(c.get(2).map_or("", |m| m.as_str()).to_string(), num, line);
            return true;
        }
        if let (Some(c), Some(op)) = (SUBITEM.captures(&joined), self.operative.clone()) {
            self.item(&c[1], c.get(2).map_or("", |m| m.as_str()), &op, line);
            return true;
        }
        if let Some(c) = SUBITEM
            .captures(&joined)
            .filter(|_| self.operative.is_none())
        {
            let text = c.get(2).map_or("", |m| m.as_str());
            if self.decision_items || opens_operative(text) {
                self.decision_items = true;
                self.push(text.to_string(), format!("({})", &c[1]), line);
                return true;
            }
        }
        if is_heading(&joined) {
            if draft.title.is_none() {
                draft.title = Some(joined.clone());
            }
            // A section's number printed on a line of its own ("I") heads the heading under
            // it: "I Legislative activities", as printed.
            let numbered = self
                .section
                .take()
                .filter(|s| is_section_number(s) && self.texts.len() == self.section_at);
            self.section = Some(match numbered {
                Some(n) if !is_section_number(&joined) => format!("{n} {joined}"),
                _ => joined,
            });
            self.section_at = self.texts.len();
            return true;
        }
        if self.operative.is_some() || self.decision_items {
            // Unnumbered text among operative paragraphs continues the one before.
            if let Some(last) = self.texts.last_mut() {
                last.push(' ');
                last.push_str(&joined);
                return true;
            }
        }
        self.pp += 1;
        let label = format!("{}PP{}", self.prefix, self.pp);
        self.push(joined, label, line);
        true
    }

    /// After the meeting line: an annex heading opens the annex, anything else ends the text.
    fn annex(&mut self, joined: &str) -> bool {
        let Some(rest) = ANNEX.captures(joined) else {
            return false;
        };
        self.closed = false;
        self.prefix = format!("{} ", &rest[1]);
        let title = rest.get(2).map_or("", |m| m.as_str()).trim();
        self.section = Some(if title.is_empty() {
            rest[1].to_string()
        } else {
            format!("{}: {title}", &rest[1])
        });
        self.operative = None;
        self.lettered = None;
        self.decision_items = false;
        self.pp = 0;
        true
    }

    /// A lettered item of operative paragraph `op`. A roman numeral under a lettered item that
    /// introduced a list ("(d) In respect of …: (i) …") is that item's child; any other label is
    /// a lettered item.
    fn item(&mut self, label: &str, text: &str, op: &str, line: Option<u64>) {
        let parent = self
            .lettered
            .as_ref()
            .filter(|(_, introduces)| *introduces && is_roman(label))
            .map(|(l, _)| l.clone());
        let paragraph = match &parent {
            Some(p) => format!("{op} ({p}) ({label})"),
            None => {
                self.lettered = Some((label.to_string(), text.trim_end().ends_with(':')));
                format!("{op} ({label})")
            }
        };
        self.push(text.to_string(), paragraph, line);
    }

    fn push(&mut self, text: String, paragraph: String, line: Option<u64>) {
        self.texts.push(text);
        self.locs.push(Locator {
            paragraph: Some(paragraph),
            section: self.section.clone(),
            line,
            ..Locator::default()
        });
    }
}

fn read_sponsors_and_title(masthead: &[&str], draft: &mut Draft) {
    // The sponsor line ends ": draft resolution" or reads "Draft resolution submitted by …";
    // an adopted text has "80/118. Title" instead.
    let mut title_from = None;
    for (i, l) in masthead.iter().enumerate() {
        let lower = l.to_lowercase();
        if let Some(c) = ADOPTED_TITLE.captures(l) {
            let mut t = vec![c[1].to_string()];
            t.extend(
                masthead[i + 1..]
                    .iter()
                    .take_while(|x| !x.is_empty())
                    .map(|x| x.to_string()),
            );
            draft.title = Some(join_lines(t.iter().map(String::as_str)));
            return;
        }
        let ends_block = lower.ends_with("draft resolution") || lower.ends_with("draft decision");
        if ends_block || SUBMITTED_BY.is_match(l) {
            // The sponsor block runs back to the previous blank line.
            let start = masthead[..i]
                .iter()
                .rposition(|x| x.is_empty())
                .map_or(0, |p| p + 1);
            let mut j = i;
            while j + 1 < masthead.len() && !masthead[j + 1].is_empty() && !ends_block {
                j += 1;
            }
            let block = join_lines(masthead[start..=j].iter().copied());
            let sponsor = block
                .trim_end_matches("draft resolution")
                .trim_end_matches("draft decision")
                .trim_end_matches([':', '*', ' ']);
            let sponsor = SUBMITTED_BY
                .find(sponsor)
                .map_or(sponsor, |m| &sponsor[m.end()..]);
            let (sponsor, based) = match sponsor.find(", on the basis of") {
                Some(k) => (&sponsor[..k], Some(&sponsor[k..])),
                None => (sponsor, None),
            };
            // "submitted by the Chair on the recommendation of the Economic and Social Council":
            // the author is the Chair; the body that recommended the text is not a sponsor.
            let sponsor = sponsor
                .find(" on the recommendation of")
                .map_or(sponsor, |k| &sponsor[..k]);
            // A star or dagger after a sponsor's name marks a note ("Egypt,*"): not the name.
            let sponsor: String = sponsor
                .chars()
                .filter(|c| !matches!(c, '*' | '†' | '‡'))
                .collect();
            draft.author = Some(normalise_spaces(sponsor.trim()));
            if let Some(c) = based.and_then(|b| BASED_ON.captures(b)) {
                draft.based_on = Some(c[1].to_string());
            }
            title_from = Some(j + 1);
            break;
        }
    }
    for l in masthead {
        if let Some(c) = BASED_ON.captures(l) {
            draft.based_on.get_or_insert_with(|| c[1].to_string());
        }
    }
    // Star notes under the masthead: "* On behalf of the States that are members of …".
    if let Some(note) = masthead
        .iter()
        .find(|l| l.starts_with("* On behalf of") || l.starts_with("*On behalf of"))
    {
        draft.on_behalf_of = Some(note.trim_start_matches('*').trim().to_string());
    }
    if let Some(from) = title_from {
        let title: Vec<&str> = masthead[from..]
            .iter()
            .skip_while(|x| x.is_empty())
            .take_while(|x| !x.is_empty() && !x.starts_with('_'))
            .copied()
            .collect();
        if !title.is_empty() {
            draft.title = Some(join_lines(title));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DRAFT: &str = "United Nations \nA/C.2/80/L.17 \n \nGeneral Assembly \nDistr.: Limited \n14 October 2025 \n \nSecond Committee \nAgenda item 15 \nInformation and communications technologies for \nsustainable development \n \n \nIraq:* draft resolution \n \n Information and communications technologies for \nsustainable development \n \nThe General Assembly,  \n \nRecalling its resolution 79/194 on the issue,1  \n \nReaffirming also its resolution 69/313, which \n__________________ \n \n* On behalf of the Group of 77 and China. \n1 Resolutions 56/183. \n\nA/C.2/80/L.17 \n \n25-16621\n2/18 \n \nsupports it,  \nWelcoming the convening,  \n \n1. \nRecognizes that technologies have the \npotential;  \n \n2. Calls upon Member States, including by:  \n \n(a) \nEnhancing the ability;  \n \nInformation and technology\n \n3. Decides to continue.  \n \n64th plenary meeting \n15 December 2025 \n";

    fn labels(d: &Draft) -> Vec<(&str, &str)> {
        d.turns
            .iter()
            .map(|t| (t.locator.paragraph.as_deref().unwrap(), t.text.as_str()))
            .collect()
    }

    #[test]
    fn lettered_items_split_only_where_they_are_set_as_items() {
        let text = "United Nations \nA/C.1/80/L.98 \n \nGeneral Assembly \nDistr.: Limited \n9 October 2025 \n \nEgypt,* Mexico and Peru: draft resolution \n \nSome topic \n \nThe General Assembly, \n \n8. \nCalls upon all States to (a) strengthen the regime, (b) promote its universality; and\n(c) support assistance, (d) report annually and (e) cooperate fully; \n \n9. \nRequests the Secretary-General: \n(a) To report; \n(b) To convene a meeting; \n \n10. \nDecides to remain seized of the matter. \n \n__________________ \n* On behalf of the States that are members of the Organization of Islamic Cooperation. \n";
        let d = parse(text).unwrap();
        let paras: Vec<(&str, &str)> = d
            .turns
            .iter()
            .map(|t| {
                (
                    t.locator.paragraph.as_deref().unwrap_or(""),
                    t.text.as_str(),
                )
            })
            .collect();
        assert_eq!(
            paras.iter().map(|p| p.0).collect::<Vec<_>>(),
            ["8", "9", "9 (a)", "9 (b)", "10"]
        );
        assert!(
            paras[0]
                .1
                .contains("and (c) support assistance, (d) report"),
            "{}",
            paras[0].1
        );
        // The star after a sponsor is a note's mark, not part of its name; the note names the
        // group the draft speaks for.
        assert_eq!(d.author.as_deref(), Some("Egypt, Mexico and Peru"));
        assert_eq!(
            d.on_behalf_of.as_deref(),
            Some("On behalf of the States that are members of the Organization of Islamic Cooperation.")
        );
    }

    #[test]
    fn a_decision_runs_its_chapeau_on_and_letters_its_items() {
        let text = "United Nations \nA/C.4/80/L.3 \n \nGeneral Assembly \nDistr.: Limited \n9 October 2025 \n \nDraft decision submitted by the Chair \n \nQuestion of Gibraltar \n \nThe General Assembly, recalling its decision 79/521 of 4 December 2024:  \n \n(a) \nUrges the Governments to reach a solution;  \n \n(b) \nTakes note of the desire to continue;  \n";
        let d = parse(text).unwrap();
        assert_eq!(d.title.as_deref(), Some("Question of Gibraltar"));
        assert_eq!(d.author.as_deref(), Some("Chair"));
        assert_eq!(
            labels(&d),
            vec![
                ("PP1", "recalling its decision 79/521 of 4 December 2024:"),
                ("(a)", "Urges the Governments to reach a solution;"),
                ("(b)", "Takes note of the desire to continue;"),
            ]
        );
    }

    #[test]
    fn an_annex_after_the_meeting_line_is_read_with_its_headings() {
        let text = "United Nations \nA/RES/80/3\n \nGeneral Assembly \nDistr.: General \n15 October 2025 \n \n80/3. Awaza Political Declaration \n \nThe General Assembly, \n \n1. \nEndorses the declaration in the annex; \n \n18th plenary meeting \n14 October 2025 \n \nAnnex \nAwaza Political Declaration \n \n1. \nWe gathered in Awaza. \n \nI. \nGlobal context \n2. \nWe stress the needs: \n \n(a) \nTrade; \n";
        let d = parse(text).unwrap();
        assert_eq!(
            labels(&d),
            vec![
                ("1", "Endorses the declaration in the annex;"),
                ("Annex 1", "We gathered in Awaza."),
                ("Annex 2", "We stress the needs:"),
                ("Annex 2 (a)", "Trade;"),
            ]
        );
        let sections: Vec<Option<&str>> = d
            .turns
            .iter()
            .map(|t| t.locator.section.as_deref())
            .collect();
        assert_eq!(
            sections,
            vec![
                None,
                Some("Annex: Awaza Political Declaration"),
                Some("I. Global context"),
                Some("I. Global context")
            ]
        );
    }

    #[test]
    fn masthead_and_paragraphs() {
        let d = parse(DRAFT).unwrap();
        assert_eq!(d.symbol.as_deref(), Some("A/C.2/80/L.17"));
        assert_eq!(d.date.unwrap().to_string(), "2025-10-14");
        assert_eq!(d.author.as_deref(), Some("Iraq"));
        assert_eq!(d.agenda_item.as_deref(), Some("15"));
        assert_eq!(
            d.title.as_deref(),
            Some("Information and communications technologies for sustainable development")
        );
        let paras: Vec<(&str, &str)> = d
            .turns
            .iter()
            .map(|t| (t.locator.paragraph.as_deref().unwrap(), t.text.as_str()))
            .collect();
        assert_eq!(
            paras,
            vec![
                ("PP1", "Recalling its resolution 79/194 on the issue,"),
                (
                    "PP2",
                    "Reaffirming also its resolution 69/313, which supports it,"
                ),
                ("PP3", "Welcoming the convening,"),
                ("1", "Recognizes that technologies have the potential;"),
                ("2", "Calls upon Member States, including by:"),
                ("2 (a)", "Enhancing the ability;"),
                ("3", "Decides to continue."),
            ]
        );
        assert_eq!(
            d.turns[6].locator.section.as_deref(),
            Some("Information and technology")
        );
    }
}
