//! UN summary records (`A/C.3/78/SR.5`, `E/2024/SR.5`): the Secretariat's account of a meeting
//! in the third person, in numbered paragraphs. A paragraph that opens with a speaker ("Mr. X
//! (Country) said that …", "Ms. Y (Representative of the European Union, in its capacity as
//! observer), speaking also on behalf of …, said", "The Chair invited …") begins that speaker's
//! statement, and the paragraphs after it are theirs until the next speaker names itself. The
//! paragraph number is the passage's locator and the agenda item its section; the front matter
//! (distribution, the corrections notice, the contents) and the page furniture are not passages.

use super::pdftext::{clean, join_lines, normalise_spaces, CleanLine, Masthead};
use super::undoc::date_in;
use super::verbatim::{HONORIFICS, PROCEDURE};
use super::{Draft, ParseError};
use crate::model::{Kind, Locator, Turn};
use regex::Regex;
use std::sync::LazyLock;

/// The record's symbol, on the masthead line ("United Nations A/C.3/78/SR.5").
static SYMBOL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([A-Z]{1,2}(?:/[A-Za-z0-9.\-]+)*/SR\.\d+(?:/Add\.\d+)?)\b").expect("valid regex")
});
/// A numbered paragraph's first line.
static NUMBERED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,3})\.\s+(\S.*)$").expect("valid regex"));
/// The chair, named by office at the start of a paragraph.
static OFFICER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^The (?:Acting |Temporary )?(?:Chair|Chairperson|Chairman|President|Vice-Chair|Vice-President|Secretary of the Committee|Secretary of the Council|Secretary|Rapporteur)\b")
        .expect("valid regex")
});
/// A person named with a title, then the parenthesis that says for whom they speak.
static PERSON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^(?:{HONORIFICS})\.?\s+[^()]{{1,60}}?\s*\(")).expect("valid regex")
});
/// How the record reports speech: the verb after the speaker and their capacity.
static VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:,\s+(?P<capacity>.+?),?)?\s+(?:said|asked|noted|stressed|recalled|expressed|welcomed|enquired|inquired|suggested|wondered|added|agreed|proposed|observed|reiterated|emphasized|pointed|replied|responded|requested|announced|informed|introduced|drew|took|thanked|invited|explained|commended|recommended|urged|called|congratulated|presented|highlighted|underlined|made|opened|declared|reaffirmed|affirmed|indicated|reported|remarked|concluded|continued|read|recognized|gave|briefed|encouraged|hoped|believed|considered|stated|spoke)\b")
        .expect("valid regex")
});

/// True when the text is a summary record.
pub fn detect(text: &str) -> bool {
    let head: Vec<&str> = text.lines().take(40).map(str::trim).collect();
    head.iter().any(|l| SYMBOL.is_match(l))
        && head
            .iter()
            .any(|l| l.to_lowercase().starts_with("summary record of"))
}

/// The speaker a paragraph opens with: the label as written ("Ms. Schantz", "The Chair"), the
/// entity in the parenthesis, and the capacity the record adds ("speaking on behalf of …",
/// "panellist").
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Opener {
    pub label: String,
    pub entity: Option<String>,
    pub capacity: Option<String>,
}

/// The speaker `para` opens with, if it opens with one.
pub fn opener(para: &str) -> Option<Opener> {
    if let Some(m) = OFFICER.find(para) {
        let rest = &para[m.end()..];
        let v = VERB.captures(rest)?;
        return Some(Opener {
            label: m.as_str().to_string(),
            entity: None,
            capacity: v.name("capacity").map(|c| normalise_spaces(c.as_str())),
        });
    }
    let m = PERSON.find(para)?;
    let name = para[..m.end() - 1].trim().to_string();
    // The parenthesis, balanced: "(New York Office of the United Nations Office on Drugs and
    // Crime (UNODC))".
    let open = m.end() - 1;
    let mut depth = 0;
    let mut close = None;
    for (i, c) in para[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(open + i);
                    break;
                }
            }
            _ => {}
        }
    }
    let close = close?;
    let v = VERB.captures(&para[close + 1..])?;
    Some(Opener {
        label: name,
        entity: Some(entity_of(&para[open + 1..close])),
        capacity: v.name("capacity").map(|c| normalise_spaces(c.as_str())),
    })
}

/// The entity a parenthesis names: "Representative of the European Union, in its capacity as
/// observer" is the European Union; "New York Office of the United Nations Office on Drugs and
/// Crime (UNODC)" is UNODC, by the abbreviation the record gives it.
fn entity_of(paren: &str) -> String {
    let p = normalise_spaces(paren);
    let p = p.split(", in its capacity as").next().unwrap_or(&p).trim();
    if let Some(inner) = p
        .strip_suffix(')')
        .and_then(|s| s.rfind('(').map(|i| &s[i + 1..]))
    {
        if !inner.is_empty() && inner.chars().all(|c| c.is_alphanumeric() || c == '-') {
            return inner.to_string();
        }
    }
    for prefix in [
        "Representative of the ",
        "Representative of ",
        "Observer for the ",
        "Observer for ",
        "Observer of the ",
    ] {
        if let Some(rest) = p.strip_prefix(prefix) {
            return rest.to_string();
        }
    }
    p.to_string()
}

/// The group a capacity speaks for: "speaking on behalf of the Caribbean Community (CARICOM)"
/// → CARICOM; "speaking also on behalf of …" adds others to the speaker's own entity, which
/// stays the speaker's.
fn on_behalf_of(capacity: &str) -> Option<String> {
    let rest = capacity.strip_prefix("speaking on behalf of ")?;
    Some(entity_of(rest.strip_prefix("the ").unwrap_or(rest)))
}

/// The turn an opener begins, without its text: the label, the person (the Chair by the name
/// the masthead gives), the entity (a group spoken for before the speaker's own) and the role
/// (an officer's office, or the capacity the record adds unless it says for whom).
fn speaker_of(o: Opener, chair: Option<&str>) -> Turn {
    let group = o.capacity.as_deref().and_then(on_behalf_of);
    if o.entity.is_none() {
        // An officer: "The Chair", "The Secretary".
        return Turn {
            speaker: o
                .label
                .ends_with("Chair")
                .then(|| chair.map(str::to_string))
                .flatten(),
            agency: group,
            role: Some(o.label.trim_start_matches("The ").to_string()),
            label: Some(o.label),
            ..Turn::default()
        };
    }
    Turn {
        label: Some(o.label.clone()),
        speaker: Some(o.label),
        agency: group.or(o.entity),
        role: o.capacity.filter(|c| !c.starts_with("speaking")),
        ..Turn::default()
    }
}

/// Parses a summary record.
pub fn parse(text: &str) -> Result<Draft, ParseError> {
    let mut draft = Draft::new(Kind::Transcript);
    let head: Vec<&str> = text.lines().take(40).map(str::trim).collect();
    draft.symbol = head
        .iter()
        .find_map(|l| SYMBOL.captures(l).map(|c| c[1].to_string()));
    let record = head
        .iter()
        .position(|l| l.to_lowercase().starts_with("summary record of"));
    if let Some(i) = record {
        let body = head[..i]
            .iter()
            .rev()
            .find(|l| !l.is_empty())
            .filter(|l| !l.contains('.') && l.len() < 80);
        draft.title = Some(match body {
            Some(b) => format!("{b}: {}", head[i]),
            None => head[i].to_string(),
        });
        draft.date = head[i..].iter().take(3).find_map(|l| date_in(l));
    }
    // The presiding officer, from "Chair: Mr. Marschik . . . . (Austria)".
    let chair = head.iter().find_map(|l| {
        let rest = l
            .strip_prefix("Chair:")
            .or_else(|| l.strip_prefix("President:"))?;
        let name = rest.split(" .").next()?.split('(').next()?.trim();
        (!name.is_empty()).then(|| name.to_string())
    });
    let cleaned = clean(
        text,
        Masthead {
            symbol: draft.symbol.as_deref(),
            title: None,
        },
    );
    let lines: Vec<&CleanLine> = cleaned
        .lines
        .iter()
        .filter(|l| !l.text.is_empty())
        .collect();
    // The account starts where the meeting is called to order; before it is front matter.
    let start = lines
        .iter()
        .position(|l| PROCEDURE.is_match(&l.text))
        .unwrap_or(0);

    /// A block of the account: a numbered paragraph, a heading, or a procedural line.
    enum Block {
        Para(u32, usize, Vec<String>),
        Heading(Vec<String>),
        Procedure(usize, String),
    }
    let mut blocks: Vec<Block> = Vec::new();
    let mut last = 0u32;
    for l in &lines[start..] {
        let t = l.text.as_str();
        if PROCEDURE.is_match(t) {
            blocks.push(Block::Procedure(l.no, t.to_string()));
            continue;
        }
        if let Some(c) = NUMBERED.captures(t) {
            let n: u32 = c[1].parse().unwrap_or(0);
            // Paragraphs run in sequence: "16 positioned …" at a line's start is no paragraph.
            if n == last + 1 {
                last = n;
                blocks.push(Block::Para(n, l.no, vec![c[2].to_string()]));
                continue;
            }
        }
        if t.starts_with("Agenda item") || t.starts_with("Organization of work") {
            blocks.push(Block::Heading(vec![t.to_string()]));
            continue;
        }
        match blocks.last_mut() {
            Some(Block::Para(_, _, ls)) | Some(Block::Heading(ls)) => ls.push(t.to_string()),
            _ => blocks.push(Block::Heading(vec![t.to_string()])),
        }
    }

    // Each paragraph to the speaker it opens with, or to the one before it.
    let mut section: Option<String> = None;
    // The speaker the paragraphs are carried by, as a turn without its text.
    let mut current = Turn::default();
    for b in blocks {
        match b {
            Block::Heading(ls) => {
                section = Some(join_lines(ls.iter().map(String::as_str)));
                current = Turn::default();
            }
            Block::Procedure(no, t) => {
                draft.turns.push(Turn {
                    procedural: true,
                    text: t,
                    locator: Locator {
                        section: section.clone(),
                        line: Some(no as u64),
                        ..Locator::default()
                    },
                    ..Turn::default()
                });
            }
            Block::Para(n, no, ls) => {
                let text = join_lines(ls.iter().map(String::as_str));
                if let Some(o) = opener(&text) {
                    current = speaker_of(o, chair.as_deref());
                }
                draft.turns.push(Turn {
                    text,
                    locator: Locator {
                        paragraph: Some(n.to_string()),
                        section: section.clone(),
                        line: Some(no as u64),
                        ..Locator::default()
                    },
                    ..current.clone()
                });
            }
        }
    }
    if !draft.turns.iter().any(|t| t.locator.paragraph.is_some()) {
        return Err(ParseError::Structure(
            "no numbered paragraphs (\"1. Mr. X (Country) said that …\") found".into(),
        ));
    }
    Ok(draft)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speakers_as_a_summary_record_reports_them() {
        let o = opener("Ms. Schantz (New York Office of the United Nations Office on Drugs and Crime (UNODC)) said that, in the aftermath").unwrap();
        assert_eq!(o.label, "Ms. Schantz");
        assert_eq!(o.entity.as_deref(), Some("UNODC"));
        let o = opener("Ms. Samson (Representative of the European Union, in its capacity as observer), speaking also on behalf of the candidate countries Albania, Bosnia and Herzegovina, the Republic of Moldova and Ukraine and, in addition, Georgia, said that organized crime").unwrap();
        assert_eq!(o.entity.as_deref(), Some("European Union"));
        assert!(o
            .capacity
            .unwrap()
            .starts_with("speaking also on behalf of"));
        let o = opener("Mr. Wallace (Jamaica), speaking on behalf of the Caribbean Community (CARICOM), said that").unwrap();
        assert_eq!(
            on_behalf_of(o.capacity.as_deref().unwrap()).as_deref(),
            Some("CARICOM")
        );
        let o =
            opener("The Chair invited the Committee to engage in a general discussion").unwrap();
        assert_eq!((o.label.as_str(), o.entity), ("The Chair", None));
        // The comma before the verb is sometimes missing.
        let o = opener("Mr. Wallace (Jamaica), speaking on behalf of the States members of the Caribbean Community (CARICOM) said that").unwrap();
        assert_eq!(
            on_behalf_of(o.capacity.as_deref().unwrap()).as_deref(),
            Some("CARICOM")
        );
        let o = opener("Ms. Stadnicka (Poland), speaking as a youth delegate, said").unwrap();
        assert_eq!(o.capacity.as_deref(), Some("speaking as a youth delegate"));
        // A paragraph that goes on with the speaker's statement opens with no speaker.
        assert!(opener("Mr. Smith's proposal (A/78/1) was adopted").is_none());
        assert!(opener("In 2023, UNODC had released its biennial Global Report").is_none());
    }

    #[test]
    fn paragraphs_carry_their_speaker_until_the_next() {
        let text = "United Nations A/C.3/78/SR.5\nGeneral Assembly\nDistr.: General\nThird Committee\nSummary record of the 5th meeting\nHeld at Headquarters, New York, on Monday, 2 October 2023, at 10 a.m.\nChair: Mr. Marschik . . . . . . . (Austria)\nContents\nAgenda item 107: Crime prevention\nThe meeting was called to order at 10.05 a.m.\nAgenda item 107: Crime prevention and criminal\njustice (A/78/119)\n1. Ms. Arab Bafrani (Islamic Republic of Iran) said\nthat UNODC played a role.\n2. Joint investigations were crucial\nfor 16 countries.\n3. The Chair invited the Committee to\ncontinue.\nThe meeting rose at 1 p.m.\n";
        let d = parse(text).unwrap();
        assert_eq!(d.symbol.as_deref(), Some("A/C.3/78/SR.5"));
        assert_eq!(
            d.title.as_deref(),
            Some("Third Committee: Summary record of the 5th meeting")
        );
        assert_eq!(d.date.map(|x| x.to_string()).as_deref(), Some("2023-10-02"));
        let paras: Vec<&Turn> = d.turns.iter().filter(|t| !t.procedural).collect();
        assert_eq!(paras.len(), 3);
        assert_eq!(paras[1].agency.as_deref(), Some("Islamic Republic of Iran"));
        assert_eq!(paras[1].locator.paragraph.as_deref(), Some("2"));
        assert_eq!(
            paras[1].locator.section.as_deref(),
            Some("Agenda item 107: Crime prevention and criminal justice (A/78/119)")
        );
        assert_eq!(paras[2].speaker.as_deref(), Some("Mr. Marschik"));
        assert_eq!(paras[2].role.as_deref(), Some("Chair"));
        assert_eq!(d.turns.iter().filter(|t| t.procedural).count(), 2);
    }
}
