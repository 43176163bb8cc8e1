//! Transcripts published with UN Web TV recordings: speech recognition in Markdown, a `# ` title
//! ending with the date ("(Oct 13, 2025)"), and a bold header before each speaker's turn naming
//! the entity, the person where known, and the post: `**Costa Rica | Maritza Chan | Permanent
//! Representative**`, `**EU | Representative**`. Each paragraph under a header is a passage of
//! that turn. The publisher assigns the headers automatically: they are the record's labels,
//! read as a label is, not as proof.

use super::undoc::date_in;
use super::{Draft, ParseError};
use crate::model::{Kind, Locator, Turn};
use crate::text::norm_key;
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// A turn's header: one to four fields between `|`, in bold, alone on its line.
static HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\*\*([^*|]{1,80}(?:\|[^*|]{0,80}){0,3})\*\*$").expect("valid regex")
});

/// True when the text has at least two turn headers with fields.
pub fn detect(text: &str) -> bool {
    text.lines()
        .filter(|l| HEADER.is_match(l.trim()) && l.contains('|'))
        .take(2)
        .count()
        == 2
}

/// A header read: the entity (unless the header names only a person and a post), the person
/// (when named), the post, and the group spoken for (a last field in parentheses:
/// `Iraq | Representative | (G77 + China)`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Header {
    pub entity: Option<String>,
    pub person: Option<String>,
    pub post: Option<String>,
    pub group: Option<String>,
}

/// The fields of the header `line` holds, if it is one.
fn fields(line: &str) -> Option<Vec<String>> {
    let c = HEADER.captures(line.trim())?;
    Some(
        c[1].split('|')
            .map(|f| f.trim().to_string())
            .filter(|f| !f.is_empty())
            .collect(),
    )
}

/// What the rest of the document says about the names in its headers.
#[derive(Debug, Default)]
pub struct Known {
    /// The names the headers give as persons (the middle of `Entity | Person | Post`), by
    /// [`norm_key`], with their entity.
    persons: HashMap<String, String>,
    /// The words the text addresses someone by after a thanks ("Thanks Martin.", "Thank you
    /// so much, Amira."), lower-cased: given names.
    addressed: HashSet<String>,
}

impl Known {
    /// Reads the headers and the text of a transcript.
    pub fn of(text: &str) -> Known {
        static THANKS: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?i:thanks|thank you)(?i: so much| very much)?,? ([A-Z][a-z]+)(\W+\w+)?")
                .expect("valid regex")
        });
        let addressed = THANKS
            .captures_iter(text)
            .filter(|c| {
                // "Thank you, Costa Rica": a name that goes on is no given name alone.
                c.get(2).is_none_or(|n| {
                    let next = n
                        .as_str()
                        .trim_start_matches(|ch: char| !ch.is_alphanumeric());
                    !next.starts_with(char::is_uppercase) || n.as_str().contains(['.', '!', '?'])
                })
            })
            .map(|c| c[1].to_lowercase())
            .collect();
        Known {
            persons: persons_of(text),
            addressed,
        }
    }
}

/// Reads a header. A header naming a person the document's other headers place
/// (`**Ayaka Suzuki**`, `Martin Kimani | President & CEO`) is read as that person with their
/// entity; a two-field header whose first field the text addresses by its first word ("Thanks
/// Martin.") names a person and a post, and no entity.
pub fn header(line: &str, known: &Known) -> Option<Header> {
    let persons = &known.persons;
    let known_addressed = &known.addressed;
    let mut f = fields(line)?;
    let group = match f.last() {
        Some(g) if f.len() > 1 && g.starts_with('(') && g.ends_with(')') => {
            let g = g[1..g.len() - 1].trim().to_string();
            f.pop();
            Some(g)
        }
        _ => None,
    };
    // A person the headers name elsewhere, allowing for a letter misheard ("Brands Karis" for
    // "Brands Karris") in a long name.
    let known = |name: &str| {
        let key = norm_key(name);
        persons.get(&key).cloned().or_else(|| {
            (key.len() >= 10)
                .then(|| {
                    persons
                        .iter()
                        .filter(|(k, _)| crate::text::edit_distance(k, &key) <= 1)
                        .min_by(|a, b| a.0.cmp(b.0))
                        .map(|(_, e)| e.clone())
                })
                .flatten()
        })
    };
    let h = match f.as_slice() {
        [one] => match known(one) {
            Some(entity) => Header {
                entity: Some(entity),
                person: Some(one.clone()),
                ..Header::default()
            },
            None => Header {
                entity: Some(one.clone()),
                ..Header::default()
            },
        },
        [first, second] => match (known(first), known(second)) {
            (Some(entity), _) => Header {
                entity: Some(entity),
                person: Some(first.clone()),
                post: Some(second.clone()),
                ..Header::default()
            },
            (None, Some(_)) => Header {
                entity: Some(first.clone()),
                person: Some(second.clone()),
                ..Header::default()
            },
            (None, None) if addressed_person(first, known_addressed) => Header {
                person: Some(first.clone()),
                post: Some(second.clone()),
                ..Header::default()
            },
            (None, None) => Header {
                entity: Some(first.clone()),
                post: Some(second.clone()),
                ..Header::default()
            },
        },
        [entity, person, rest @ ..] => Header {
            entity: Some(entity.clone()),
            person: Some(person.clone()),
            post: rest.last().cloned(),
            ..Header::default()
        },
        [] => return None,
    };
    Some(Header { group, ..h })
}

/// True when `field` has two or more words and the text addresses someone by its first one.
fn addressed_person(field: &str, addressed: &HashSet<String>) -> bool {
    let mut w = field.split_whitespace();
    match (w.next(), w.next()) {
        (Some(given), Some(_)) => addressed.contains(&given.to_lowercase()),
        _ => false,
    }
}

/// The persons the document's headers name, with their entity: `Entity | Person | Post`.
fn persons_of(text: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for l in text.lines() {
        if let Some(f) = fields(l) {
            let paren = f.last().is_some_and(|x| x.starts_with('('));
            if f.len() == 3 && !paren {
                out.entry(norm_key(&f[1])).or_insert_with(|| f[0].clone());
            }
        }
    }
    out
}

/// The turn a header opens, without its text. The header as printed is the label; a group in
/// parentheses is the entity spoken for, the delegation its member; a post held no more
/// ("Former USG DFS") is no entity the speaker speaks for.
fn turn_of(h: Header) -> Turn {
    let entity = h.entity.unwrap_or_default();
    let label = match (&h.person, &h.post) {
        (Some(p), _) => p.clone(),
        (None, Some(post)) => format!("{entity} | {post}"),
        (None, None) => entity.clone(),
    };
    let former = h
        .post
        .as_deref()
        .is_some_and(|p| p.to_lowercase().starts_with("former"));
    let (agency, members) = match h.group {
        Some(g) => (Some(g), vec![entity]),
        None => ((!entity.is_empty()).then_some(entity), Vec::new()),
    };
    Turn {
        label: Some(label),
        speaker: h.person,
        agency: agency.filter(|_| !former),
        members,
        role: h.post,
        ..Turn::default()
    }
}

/// Parses a Web TV transcript.
pub fn parse(text: &str) -> Result<Draft, ParseError> {
    let mut draft = Draft::new(Kind::Transcript);
    if let Some(t) = text.lines().find_map(|l| l.trim().strip_prefix("# ")) {
        draft.date = date_in(t);
        // The title without its trailing date.
        let title = match (t.rfind('('), t.ends_with(')')) {
            (Some(i), true) if date_in(&t[i..]).is_some() => t[..i].trim(),
            _ => t.trim(),
        };
        draft.title = Some(title.to_string());
    }
    let known = Known::of(text);
    // The turn the current header opens, without its text; none before the first header.
    let mut current = Turn::default();
    for (no, line) in text.lines().enumerate() {
        let l = line.trim();
        if l.is_empty() || l.starts_with("# ") {
            continue;
        }
        if let Some(h) = header(l, &known) {
            current = turn_of(h);
            continue;
        }
        draft.turns.push(Turn {
            text: l.to_string(),
            locator: Locator {
                line: Some(no as u64 + 1),
                ..Locator::default()
            },
            ..current.clone()
        });
    }
    if !draft.turns.iter().any(|t| t.label.is_some()) {
        return Err(ParseError::Structure(
            "no turn headers (\"**Entity | Name | Post**\") found".into(),
        ));
    }
    Ok(draft)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_name_entity_person_post_and_group() {
        let text = "**Africa Centre | Martin Kimani | President & CEO**\n**EOSG | Ayaka Suzuki | Director**\n";
        let known = Known::of(text);
        let h = header(
            "**Costa Rica | Maritza Chan | Permanent Representative**",
            &known,
        )
        .unwrap();
        assert_eq!(h.entity.as_deref(), Some("Costa Rica"));
        assert_eq!(h.person.as_deref(), Some("Maritza Chan"));
        assert_eq!(h.post.as_deref(), Some("Permanent Representative"));
        let h = header("**Iraq | Representative | (G77 + China)**", &known).unwrap();
        assert_eq!((h.entity.as_deref(), h.person), (Some("Iraq"), None));
        assert_eq!(h.group.as_deref(), Some("G77 + China"));
        // A person the document's headers name elsewhere, alone or with a post.
        let h = header("**Martin Kimani | President & CEO**", &known).unwrap();
        assert_eq!(
            (h.entity.as_deref(), h.person.as_deref()),
            (Some("Africa Centre"), Some("Martin Kimani"))
        );
        let h = header("**Ayaka Suzuki**", &known).unwrap();
        assert_eq!(h.entity.as_deref(), Some("EOSG"));
        assert_eq!(
            header("**EU | Representative**", &known).unwrap().entity,
            Some("EU".into())
        );
        // A long name misheard by a letter is still the person the other headers name.
        let h = header("**Ayaka Suzukii | Director**", &known).unwrap();
        assert_eq!(h.entity.as_deref(), Some("EOSG"));
        assert!(header("Costa Rica | Maritza Chan", &known).is_none());
    }

    #[test]
    fn a_name_the_text_addresses_is_a_person_not_an_entity() {
        let text = "**Amina Diallo | Director & CEO**\nThank you.\n**IAHWG | Co-Chair**\nThanks Amina. Thank you, Costa Rica, and thank you so much, Costa Rica.\n**Costa Rica | Representative**\nThank you.\n";
        let known = Known::of(text);
        let h = header("**Amina Diallo | Director & CEO**", &known).unwrap();
        assert_eq!(
            (h.entity, h.person.as_deref()),
            (None, Some("Amina Diallo"))
        );
        // A State thanked by its whole name stays the entity of its header.
        let h = header("**Costa Rica | Representative**", &known).unwrap();
        assert_eq!(h.entity.as_deref(), Some("Costa Rica"));
        let d = parse(text).unwrap();
        assert_eq!(d.turns[0].agency, None);
        assert_eq!(d.turns[0].speaker.as_deref(), Some("Amina Diallo"));
    }

    #[test]
    fn each_paragraph_under_a_header_is_its_turn() {
        let text = "# Session 2 | Mandate Creation briefing (Oct 13, 2025) \n\n**IAHWG | Carolyn Schwalger | Co-Chair**\n\nGood morning, everybody.\n\nI call to order the meeting.\n\n**Korea, Republic of | Representative**\n\nThank you, Co-Chair.\n";
        let d = parse(text).unwrap();
        assert_eq!(d.date.map(|x| x.to_string()).as_deref(), Some("2025-10-13"));
        assert_eq!(
            d.title.as_deref(),
            Some("Session 2 | Mandate Creation briefing")
        );
        assert_eq!(d.turns.len(), 3);
        assert_eq!(d.turns[1].speaker.as_deref(), Some("Carolyn Schwalger"));
        assert_eq!(d.turns[2].agency.as_deref(), Some("Korea, Republic of"));
        assert_eq!(d.turns[2].role.as_deref(), Some("Representative"));
        // A post held no more names no entity the speaker speaks for.
        let d = parse("# S (Oct 30, 2025)\n**UN Secretariat | Meera Haq | Former USG DFS**\nMy career spanned 40 years.\n**China | Representative**\nThank you.\n").unwrap();
        assert_eq!(d.turns[0].agency, None);
        assert_eq!(d.turns[0].speaker.as_deref(), Some("Meera Haq"));
    }
}
