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
use std::collections::HashMap;
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

/// A header read: the entity, the person (when named), the post, and the group spoken for
/// (a last field in parentheses: `Iraq | Representative | (G77 + China)`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Header {
    pub entity: String,
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

/// Reads a header. `persons` maps the names the document's headers give as persons (the
/// middle of `Entity | Person | Post`) to their entity, so that a header naming the person
/// alone (`**Ayaka Suzuki**`, `Martin Kimani | President & CEO`) is read as that person.
pub fn header(line: &str, persons: &HashMap<String, String>) -> Option<Header> {
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
                entity,
                person: Some(one.clone()),
                ..Header::default()
            },
            None => Header {
                entity: one.clone(),
                ..Header::default()
            },
        },
        [first, second] => match (known(first), known(second)) {
            (Some(entity), _) => Header {
                entity,
                person: Some(first.clone()),
                post: Some(second.clone()),
                ..Header::default()
            },
            (None, Some(_)) => Header {
                entity: first.clone(),
                person: Some(second.clone()),
                ..Header::default()
            },
            (None, None) => Header {
                entity: first.clone(),
                post: Some(second.clone()),
                ..Header::default()
            },
        },
        [entity, person, rest @ ..] => Header {
            entity: entity.clone(),
            person: Some(person.clone()),
            post: rest.last().cloned(),
            ..Header::default()
        },
        [] => return None,
    };
    Some(Header { group, ..h })
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
    let label = match (&h.person, &h.post) {
        (Some(p), _) => p.clone(),
        (None, Some(post)) => format!("{} | {post}", h.entity),
        (None, None) => h.entity.clone(),
    };
    let former = h
        .post
        .as_deref()
        .is_some_and(|p| p.to_lowercase().starts_with("former"));
    let (agency, members) = match h.group {
        Some(g) => (g, vec![h.entity]),
        None => (h.entity, Vec::new()),
    };
    Turn {
        label: Some(label),
        speaker: h.person,
        agency: (!former).then_some(agency),
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
    let persons = persons_of(text);
    // The turn the current header opens, without its text; none before the first header.
    let mut current = Turn::default();
    for (no, line) in text.lines().enumerate() {
        let l = line.trim();
        if l.is_empty() || l.starts_with("# ") {
            continue;
        }
        if let Some(h) = header(l, &persons) {
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
        let persons = persons_of(text);
        let h = header(
            "**Costa Rica | Maritza Chan | Permanent Representative**",
            &persons,
        )
        .unwrap();
        assert_eq!(h.entity, "Costa Rica");
        assert_eq!(h.person.as_deref(), Some("Maritza Chan"));
        assert_eq!(h.post.as_deref(), Some("Permanent Representative"));
        let h = header("**Iraq | Representative | (G77 + China)**", &persons).unwrap();
        assert_eq!((h.entity.as_str(), h.person), ("Iraq", None));
        assert_eq!(h.group.as_deref(), Some("G77 + China"));
        // A person the document's headers name elsewhere, alone or with a post.
        let h = header("**Martin Kimani | President & CEO**", &persons).unwrap();
        assert_eq!(
            (h.entity.as_str(), h.person.as_deref()),
            ("Africa Centre", Some("Martin Kimani"))
        );
        let h = header("**Ayaka Suzuki**", &persons).unwrap();
        assert_eq!(h.entity, "EOSG");
        assert_eq!(
            header("**EU | Representative**", &persons).unwrap().entity,
            "EU"
        );
        // A long name misheard by a letter is still the person the other headers name.
        let h = header("**Ayaka Suzukii | Director**", &persons).unwrap();
        assert_eq!(h.entity, "EOSG");
        assert!(header("Costa Rica | Maritza Chan", &persons).is_none());
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
