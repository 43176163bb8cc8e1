//! UN verbatim records (`S/PV.…`, `A/…/PV.…`) as text extracted from PDF: turns open with
//! `The President:` or `Mr. Wood (United States of America):` — the delegation in parentheses
//! is the agency; a further `(spoke in Chinese)` is dropped. Paragraphs inside a turn are
//! found by their short last line; page furniture and the running line
//! (`30/01/2026 The situation in Cyprus S/PV.10100`) are removed and give the date, title and
//! symbol.

use super::pdftext::{clean, join_lines_with, CleanLine, Masthead, Vocabulary};
use super::{Draft, ParseError};
use crate::model::{Date, Kind, Locator, Turn as Turn_};
use regex::Regex;
use std::sync::LazyLock;

/// The titles a record puts before a speaker's name.
pub(super) const HONORIFICS: &str = "Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady|Archbishop|Cardinal|Prince|Princess|Sheikh|Sheikha|Monsignor|Judge|Professor";

/// The presiding officer as the record names them, in the six languages.
const PRESIDING: &str = "The (?:President|Acting President|Chair|Vice-President|Secretary-General|Deputy Secretary-General)|L[ea] Présidente?(?: par intérim)?|El Presidente|La Presidenta|Председатель(?:ница)?|主\\s*席";

/// The label of the meeting's President, in the six languages.
static PRESIDENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new("^(?:The (?:Acting )?President|L[ea] Présidente?(?: par intérim)?|El Presidente|La Presidenta|Председатель(?:ница)?|主\\s*席)$")
        .expect("valid regex")
});

/// What follows "President:" in a masthead: a title, a name and the country, nothing said
/// ("Председатель: г-н Кану (Сьерра-Леоне)").
static MASTHEAD_PRESIDENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?i:{HONORIFICS}|{HONORIFICS_OTHER})\.?\s+[^:：.]{{1,60}}[(（][^()（）]+[)）]$"
    ))
    .expect("valid regex")
});

/// The titles before a speaker's name in the French, Spanish and Russian records.
const HONORIFICS_OTHER: &str = "M|Mme|Mlle|Sr|Sra|Srta|Г-н|Г-жа|Сэр|Дама|Лорд|Леди";

/// The titles after a speaker's name in the Chinese record ("傅聪先生（中国）：").
const HONORIFICS_AFTER: &str = "先生|女士|夫人|女爵士|爵士|小姐|阁下";

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^((?:{PRESIDING})|(?:(?:{HONORIFICS}|{HONORIFICS_OTHER})\.?\s+[^:：()（）]{{1,60}}?)|(?:\p{{Han}}[\p{{Han}}·\-\s]{{0,30}}?(?:{HONORIFICS_AFTER})))((?:\s*[(（][^()（）]{{1,120}}[)）])*)\s*[:：]\s*(.*)$"
    ))
    .expect("valid regex")
});
static RUNNING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(\d{2})/(\d{2})/(\d{4})\s+(.+?)\s+([A-Z]{1,2}/\S*PV\.\d+\S*)|([A-Z]{1,2}/\S*PV\.\d+\S*)\s+(.+?)\s+(\d{2})/(\d{2})/(\d{4}))$")
        .expect("valid regex")
});
static PAREN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[(（]([^()（）]+)[)）]").expect("valid regex"));

/// A speaker label at the start of a line.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// "The President", "Mr. Wood".
    pub name: String,
    /// The delegation in parentheses.
    pub agency: Option<String>,
    /// The language spoken, where the record notes an interpretation ("(spoke in Russian)").
    pub spoke: Option<String>,
    /// The rest of the line: the statement's first words.
    pub rest: String,
}

/// A speaker label at the start of a line, if the line opens with one.
pub fn label(line: &str) -> Option<Label> {
    // A masthead's list of members ("Председатель: г-н Афонсу . . . (Мозамбик)") is no turn.
    if line.contains(". . .") {
        return None;
    }
    let c = LABEL.captures(line)?;
    if MASTHEAD_PRESIDENT.is_match(c[3].trim()) {
        return None;
    }
    let notes: Vec<String> = PAREN
        .captures_iter(&c[2])
        .map(|p| p[1].trim().to_string())
        .collect();
    let agency = notes
        .iter()
        .find(|p| spoken_language(p).is_none() && !p.to_lowercase().starts_with("interpretation"))
        .cloned();
    Some(Label {
        name: crate::text::han::closed_up(c[1].trim()),
        agency,
        spoke: notes.iter().find_map(|p| spoken_language(p)),
        rest: c[3].trim().to_string(),
    })
}

/// The language an interpretation note names, as written: "spoke in Russian" → "Russian",
/// "parle en anglais" → "anglais", "habla en inglés", "говорит по-английски", "以英语发言".
fn spoken_language(note: &str) -> Option<String> {
    static NOTE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"^\s*(?i:spoke in |parle en |habla en |говорит по-)(\S.*?)\s*$|^\s*以(.+?)发言\s*$",
        )
        .expect("valid regex")
    });
    let c = NOTE.captures(note)?;
    c.get(1)
        .or(c.get(2))
        .map(|m| m.as_str().trim().to_string())
        .filter(|l| !l.is_empty())
}

/// A line that records what happened rather than what was said: the meeting opening, pausing
/// or rising, a vote and its tally, a decision taken, a silence observed. It is nobody's
/// statement.
pub(super) static PROCEDURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        concat!(
            r"^(?:The meeting (?:was called to order|rose|was suspended|was resumed|resumed|was adjourned)\b|A (?:recorded )?vote was taken\b|In favour:|Against:|Abstaining:|Abstentions:|The agenda was adopted\b|It was so decided\b|The draft (?:resolution|decision)s? (?:was|were) adopted\b|Draft (?:resolution|decision) \S+ was adopted\b|The (?:members|representatives) of the (?:Council|General Assembly|Assembly|Committee) (?:observed|stood)\b",
            // The same lines in the French, Spanish, Russian and Chinese records.
            r"|La séance (?:est ouverte|est levée|est suspendue|est reprise)\b|Il est procédé au vote\b|Votent pour ?:|Votent contre ?:|S[’']abstiennent ?:|L[’']ordre du jour est adopté\b|Il en est ainsi décidé\b",
            r"|Se (?:abre|levanta|suspende|reanuda) la sesión\b|Se procede a votación\b|Votos a favor:|Votos en contra:|Abstenciones:|Queda aprobado el orden del día\b|Así queda acordado\b",
            r"|Заседание (?:открывается|закрывается|прерывается|возобновляется)\b|Проводится голосование\b|Голосовали за:|Голосовали против:|Воздержались:|Повестка дня утверждается\b|Так решено\b",
            r"|(?:上午|下午)?[0-9０-９]+时(?:[0-9０-９]+分)?(?:宣布开会|散会|休会|复会)|进行了(?:举手|记录)表决|赞成：|反对：|弃权：|通过议程|议程通过)"
        ),
    )
    .expect("valid regex")
});

/// A standalone interpretation note inside a statement: "(spoke in Arabic)".
static SPOKE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\(spoke in ([A-Z][a-z]+(?: [A-Z][a-z]+)?)\)\s*(.*)$").expect("valid regex")
});

/// True when the text has verbatim-record turns.
pub fn detect(text: &str) -> bool {
    let labels = text
        .lines()
        .filter(|l| label(l.trim()).is_some())
        .take(3)
        .count();
    labels >= 2
        && text.lines().any(|l| {
            let l = l.trim();
            RUNNING.is_match(l) || label(l).is_some_and(|x| PRESIDENT.is_match(&x.name))
        })
}

/// Parses a verbatim record.
pub fn parse(text: &str) -> Result<Draft, ParseError> {
    let mut draft = Draft::new(Kind::Transcript);
    for l in text.lines() {
        if let Some(c) = RUNNING.captures(l.trim()) {
            let (d, m, y, title, symbol) = if c.get(1).is_some() {
                (&c[1], &c[2], &c[3], &c[4], &c[5])
            } else {
                (&c[8], &c[9], &c[10], &c[7], &c[6])
            };
            draft.date = Date::new(
                y.parse().unwrap_or(0),
                m.parse().unwrap_or(0),
                d.parse().unwrap_or(0),
            );
            draft.title = Some(title.to_string());
            draft.symbol = Some(symbol.to_string());
            break;
        }
    }
    let cleaned = clean(
        text,
        Masthead {
            symbol: draft.symbol.as_deref(),
            title: draft.title.as_deref(),
        },
    );
    let lines: Vec<&CleanLine> = cleaned
        .lines
        .iter()
        .filter(|l| !l.text.is_empty())
        .collect();
    let width = typical_width(&lines);
    // The record's words: a word its typesetting broke at a line's end is joined whole.
    let words = Vocabulary::of(lines.iter().map(|l| l.text.as_str()));

    /// A labelled turn, or a run of procedural lines (no label).
    struct Turn {
        label: Option<String>,
        agency: Option<String>,
        /// Each paragraph: its first line, its lines, and the language spoken.
        paras: Vec<(usize, Vec<String>, Option<String>)>,
    }
    let mut turns: Vec<Turn> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let mut text = lines[i].text.clone();
        // A label whose parentheses wrap onto the next line.
        let open = text.matches(['(', '（']).count();
        let close = text.matches([')', '）']).count();
        if open > close && i + 1 < lines.len() && !text.contains("):") && !text.contains("）：") {
            // Joined as a line break joins words: a hyphen at the end glues, Chinese needs no
            // space.
            let two = join_lines_with([text.as_str(), lines[i + 1].text.as_str()], Some(&words));
            if label(&two).is_some() {
                text = two;
                i += 1;
            }
        }
        if let Some(l) = label(&text) {
            turns.push(Turn {
                label: Some(l.name),
                agency: l.agency,
                paras: vec![(lines[i].no, vec![l.rest], l.spoke)],
            });
        } else if PROCEDURE.is_match(&text) {
            turns.push(Turn {
                label: None,
                agency: None,
                paras: vec![(lines[i].no, vec![text], None)],
            });
        } else if let Some(t) = turns.last_mut() {
            let spoke = t.paras.last().and_then(|p| p.2.clone());
            if let Some(c) = SPOKE.captures(&text) {
                // The speaker goes on in another language: a new paragraph, noted as such.
                t.paras
                    .push((lines[i].no, vec![c[2].to_string()], Some(c[1].to_string())));
                i += 1;
                continue;
            }
            let last = t.paras.last_mut().expect("a turn has a paragraph");
            let prev = last.1.last().map(String::as_str).unwrap_or("");
            let ends_para = prev.ends_with(['.', ':', '?', '!', '”', '»', '。', '：', '？', '！'])
                && !ends_with_abbreviation(prev)
                && prev.chars().count() * 4 < width * 3;
            if ends_para {
                t.paras.push((lines[i].no, vec![text], spoke));
            } else {
                last.1.push(text);
            }
        }
        i += 1;
    }
    // "The President" of a record presides over the organ whose record it is, named by the
    // symbol's first element.
    let presiding = draft
        .symbol
        .as_deref()
        .and_then(organ)
        .map(|o| format!("President of the {o}"));
    for t in turns {
        let presides = t.label.as_deref().is_some_and(|l| PRESIDENT.is_match(l));
        let agency = match &t.agency {
            None if presides => presiding.clone(),
            a => a.clone(),
        };
        // The presiding officer speaking for their own country, until they resume as President.
        let mut national: Option<String> = None;
        for (no, para, spoke) in t.paras {
            let text = join_lines_with(para.iter().map(String::as_str), Some(&words));
            if text.is_empty() {
                continue;
            }
            let mut speaks_for = national.clone().or_else(|| agency.clone());
            if presides {
                if let Some(country) = national_capacity(&text) {
                    // The announcement is the President's; what follows it is the country's.
                    let rest = text.split_once(". ").map_or("", |(_, r)| r.trim());
                    if !rest.is_empty() {
                        speaks_for = Some(country.clone());
                    }
                    national = Some(country);
                } else if let Some(m) = RESUMES.find(&text) {
                    // A paragraph that opens with the resumption is the President's; one that
                    // ends with it is the country's last.
                    let opens = !text[..m.start()].contains(". ");
                    if opens {
                        speaks_for = agency.clone();
                    }
                    national = None;
                }
            }
            draft.turns.push(Turn_ {
                label: t.label.clone(),
                agency: speaks_for,
                procedural: t.label.is_none(),
                original_language: spoke,
                text,
                locator: Locator {
                    line: Some(no as u64),
                    ..Locator::default()
                },
                ..Turn_::default()
            });
        }
    }
    if draft.turns.is_empty() {
        return Err(ParseError::Structure(
            "no speaker turns (\"The President:\", \"Mr. X (Country):\") found".into(),
        ));
    }
    Ok(draft)
}

/// The presiding officer resuming the chair after speaking for their country.
static RESUMES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bresume (?:my )?functions as (?:the )?(?:President|Chair)")
        .expect("valid regex")
});

/// The country a presiding officer says they now speak for: "I shall now make a statement in my
/// capacity as the representative of Somalia."
fn national_capacity(text: &str) -> Option<String> {
    static CAPACITY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?i:in (?:my|her|his) (?:national )?capacity as (?:the )?representative of (?:the )?)([A-Z][^.,;:]{1,60})")
            .expect("valid regex")
    });
    CAPACITY.captures(text).map(|c| c[1].trim().to_string())
}

/// The principal organ a document symbol belongs to: `S/PV.10100` the Security Council,
/// `A/80/PV.5` the General Assembly, `E/2024/SR.5` the Economic and Social Council.
pub fn organ(symbol: &str) -> Option<&'static str> {
    match symbol.split('/').next()? {
        "S" => Some("Security Council"),
        "A" => Some("General Assembly"),
        "E" => Some("Economic and Social Council"),
        _ => None,
    }
}

/// True when a line ends with a title or abbreviation ("Mr.", "Ms.", "No.", "St."): its full
/// stop ends no sentence.
fn ends_with_abbreviation(line: &str) -> bool {
    let last = line.rsplit(' ').next().unwrap_or("");
    matches!(
        last,
        "Mr." | "Mrs." | "Ms." | "Dr." | "Messrs." | "Mmes." | "St." | "No." | "Nos." | "Prof."
    )
}

/// The line length of full lines (the 80th percentile), in characters.
fn typical_width(lines: &[&CleanLine]) -> usize {
    let mut w: Vec<usize> = lines.iter().map(|l| l.text.chars().count()).collect();
    w.sort_unstable();
    w.get(w.len() * 4 / 5).copied().unwrap_or(80).max(20)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_president_presides_over_the_organ_of_the_record() {
        assert_eq!(organ("S/PV.10100"), Some("Security Council"));
        assert_eq!(organ("A/80/PV.5"), Some("General Assembly"));
        assert_eq!(organ("UNEP/EA.6/1"), None);
        let record = "The President: The Security Council will now begin its consideration.\n\
Mr. Wood (United States of America): We welcome it.\n\
30/01/2026 The situation in Cyprus S/PV.10100\n";
        let d = parse(record).unwrap();
        assert_eq!(
            d.turns[0].agency.as_deref(),
            Some("President of the Security Council")
        );
        assert_eq!(
            d.turns[1].agency.as_deref(),
            Some("United States of America")
        );
    }

    #[test]
    fn the_president_speaking_for_their_country_until_they_resume() {
        let record =
            "The President: I thank Mr. Wood for the briefing he has given the Council this\n\
afternoon on the work of the Mission.\n\
I shall now make a statement in my capacity as the representative of\n\
Somalia.\n\
Somalia welcomes the renewal of the mandate and the work of the Mission in the\n\
months since the Council last considered the situation.\n\
We call on the parties to return to the talks without preconditions and to do\n\
so soon.\n\
I now resume my functions as President of the Council.\n\
There are no more names inscribed on the list of speakers for this meeting of the\n\
Council.\n\
30/01/2026 The situation in Cyprus S/PV.10100\n";
        let d = parse(record).unwrap();
        let agencies: Vec<Option<&str>> = d.turns.iter().map(|t| t.agency.as_deref()).collect();
        let president = Some("President of the Security Council");
        assert_eq!(
            agencies,
            [
                president,
                president,
                Some("Somalia"),
                Some("Somalia"),
                president,
                president
            ],
            "{:#?}",
            d.turns
        );
        assert_eq!(
            national_capacity("speaking in her capacity as the representative of Guyana, she said"),
            Some("Guyana".into())
        );
        assert_eq!(
            national_capacity("in my capacity as Chair of the Committee"),
            None
        );
    }

    #[test]
    fn labels_with_delegations() {
        assert_eq!(
            label("Mr. Fu Cong (China) (spoke in Chinese): China welcomes"),
            Some(Label {
                name: "Mr. Fu Cong".into(),
                agency: Some("China".into()),
                spoke: Some("Chinese".into()),
                rest: "China welcomes".into()
            })
        );
        assert_eq!(
            label("The President: The Security Council").unwrap().name,
            "The President"
        );
        assert_eq!(label("Mr. Bendjama: In accordance").unwrap().agency, None);
        assert!(label("Members of the Council: have").is_none());
    }

    #[test]
    fn procedure_interpretation_and_titles() {
        let record =
            "The President: The Security Council will now begin its consideration of the\n\
item on its agenda. I shall put the draft resolution to the vote now.\n\
A vote was taken by show of hands.\n\
In favour:\n\
Algeria, China, Ecuador, France\n\
The President: The draft resolution has been adopted unanimously. I now give the\n\
floor to Mr.\n\
Wood of the United States of America, who has asked for the floor.\n\
Mr. Wood (United States of America): We welcome the adoption of this resolution by\n\
the Council today.\n\
(spoke in French) Nous remercions la présidence pour son travail.\n\
The meeting rose at 10.25 a.m.\n";
        let d = parse(record).unwrap();
        let texts: Vec<(&str, bool, Option<&str>)> = d
            .turns
            .iter()
            .map(|t| {
                (
                    t.text.as_str(),
                    t.procedural,
                    t.original_language.as_deref(),
                )
            })
            .collect();
        assert_eq!(texts[1], ("A vote was taken by show of hands.", true, None));
        assert_eq!(texts[2], ("In favour:", true, None));
        assert_eq!(texts[3], ("Algeria, China, Ecuador, France", true, None));
        // A title at a line end ends no paragraph.
        assert!(texts[4].0.ends_with("I now give the floor to Mr. Wood of the United States of America, who has asked for the floor."));
        assert_eq!(
            d.turns[5].agency.as_deref(),
            Some("United States of America")
        );
        assert_eq!(
            texts[6],
            (
                "Nous remercions la présidence pour son travail.",
                false,
                Some("French")
            )
        );
        assert_eq!(texts[7], ("The meeting rose at 10.25 a.m.", true, None));
        assert_eq!(d.turns[7].label, None);
    }
}
