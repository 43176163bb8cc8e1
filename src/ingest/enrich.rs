//! Completes what a parser read with what the registries know: who speaks each passage (through
//! [`attribution`] for meetings), its topics, the draft versions it refers to, and its text with
//! speech-recognition variants read back for search.

use crate::attribution::{self, Attribution};
use crate::model::{Cite, Evidence, Kind, Passage, Turn};
use crate::registry::Registry;
use crate::text::citations::citations;
use crate::text::phrase::Tokens;
use crate::text::tidy_label;

/// Turns a parser's turns into passages, deciding speaker, agency and evidence (for meetings,
/// by [`attribution::attribute`]), topics, referenced versions and the text with recognition
/// variants read back. `doc_agency` is the entity a whole document speaks for (a submission's
/// author).
pub fn passages(
    registry: &Registry,
    kind: Kind,
    turns: Vec<Turn>,
    doc_agency: Option<&str>,
) -> Vec<Passage> {
    let tokens: Vec<Tokens> = turns.iter().map(|t| Tokens::new(&t.text)).collect();
    let named = registry.variants.named_in(&tokens);
    let mut attributions = if kind == Kind::Transcript {
        attribution::attribute(registry, &turns, &tokens, &named)
    } else {
        turns
            .iter()
            .map(|t| match (&t.agency, doc_agency) {
                // A section's author as the source states it (a compendium's delegation).
                (Some(a), _) if t.label.is_none() => Attribution {
                    speaker: None,
                    agency: Some(registry.canonical_agency(a)),
                    evidence: Evidence::Author,
                    confidence: 1.0,
                },
                (None, Some(a)) if t.label.is_none() => Attribution {
                    speaker: None,
                    agency: Some(a.to_string()),
                    evidence: Evidence::Author,
                    confidence: 1.0,
                },
                _ => attribution::by_label(registry, t),
            })
            .collect()
    };
    // A procedural line of the record is nobody's statement, whatever surrounds it.
    for (a, t) in attributions.iter_mut().zip(&turns) {
        if t.procedural {
            *a = Attribution {
                speaker: None,
                agency: None,
                evidence: Evidence::Procedure,
                confidence: 1.0,
            };
        }
    }
    // A labelled statement made for a group is the group's.
    let mut turns = turns;
    if kind == Kind::Transcript {
        attribution::for_groups(registry, &mut turns, &mut attributions);
    }
    let mut out: Vec<Passage> = turns
        .into_iter()
        .zip(attributions)
        .zip(tokens)
        .enumerate()
        .map(|(seq, ((t, a), tokens))| {
            let heard = registry.variants.read_back(&t.text, &tokens, &named);
            let read = match &heard {
                Some(h) => Tokens::new(h),
                None => tokens,
            };
            let language = t
                .language
                .clone()
                .or_else(|| registry.language_of(&read).map(str::to_string));
            Passage {
                seq: seq as u32,
                members: t.members.clone(),
                // The role the source gives, else the one the speakers registry knows.
                role: t.role.clone().or_else(|| {
                    a.speaker
                        .as_deref()
                        .and_then(|s| registry.speaker(s))
                        .and_then(|s| s.role.clone())
                }),
                language,
                speaker_label: t.label.as_deref().map(tidy_label),
                speaker: a.speaker,
                agency: a.agency,
                evidence: a.evidence,
                confidence: a.confidence,
                topics: registry.topics_in_tokens(&read),
                versions: if kind == Kind::Resolution {
                    Vec::new()
                } else {
                    registry.versions_in_tokens(&read)
                },
                cites: cites_of(registry, &t.text, &t.footnotes),
                locator: t.locator,
                text: t.text,
                heard,
                footnotes: t.footnotes,
                original_language: t.original_language,
            }
        })
        .collect();
    // A passage too short to tell takes the language most of its document is in.
    let mut counts: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for p in &out {
        if let Some(l) = &p.language {
            *counts.entry(l.as_str()).or_default() += 1;
        }
    }
    let main = counts
        .into_iter()
        .max_by_key(|(l, n)| (*n, std::cmp::Reverse(*l)))
        .map(|(l, _)| l.to_string());
    for p in &mut out {
        if p.language.is_none() && !p.text.trim().is_empty() {
            p.language.clone_from(&main);
        }
    }
    out
}

/// The documents a passage cites, in its text and then in its footnotes, each once, with the
/// paragraph named and the verb that introduces it (for a footnote's, the paragraph's opening
/// verb).
fn cites_of(registry: &Registry, text: &str, footnotes: &[crate::model::Footnote]) -> Vec<Cite> {
    let mut out: Vec<Cite> = Vec::new();
    let in_text = citations(text).into_iter().map(|c| {
        let verb = registry.citing.before(text, c.at);
        (c, verb)
    });
    // The opening verb is read only when a footnote cites something.
    let mut opening = None;
    let in_notes = footnotes.iter().flat_map(|f| citations(&f.text)).map(|c| {
        let verb = *opening.get_or_insert_with(|| registry.citing.opening(text));
        (c, verb)
    });
    for (c, verb) in in_text.chain(in_notes) {
        if !out.iter().any(|o| o.key == c.key) {
            out.push(Cite {
                key: c.key,
                paragraph: c.paragraph,
                verb: verb.map(str::to_string),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(label: Option<&str>, agency: Option<&str>, text: &str) -> Turn {
        Turn {
            label: label.map(str::to_string),
            agency: agency.map(str::to_string),
            text: text.into(),
            ..Turn::default()
        }
    }

    #[test]
    fn speakers_and_agencies_from_registry_and_source() {
        let r = Registry::embedded();
        let ps = passages(
            &r,
            Kind::Transcript,
            vec![
                turn(
                    Some("Wachholz, Cedric"),
                    None,
                    "As UNESCO we support capacity building in Rev One.",
                ),
                turn(Some("Mr. Wood"), Some("United States"), "Thank you."),
                turn(Some("Lastname, First"), None, "Hello."),
            ],
            None,
        );
        assert_eq!(ps[0].speaker.as_deref(), Some("Cedric Wachholz"));
        assert_eq!(ps[0].speaker_label.as_deref(), Some("Wachholz, Cedric"));
        assert_eq!(ps[0].agency.as_deref(), Some("UNESCO"));
        assert_eq!(ps[0].versions, vec!["rev1"]);
        assert!(ps[0].topics.contains(&"capacity-building".to_string()));
        assert_eq!(ps[1].agency.as_deref(), Some("United States of America"));
        assert_eq!(ps[1].evidence, Evidence::Label);
        assert_eq!(ps[2].speaker.as_deref(), Some("First Lastname"));
        assert_eq!(ps[2].agency, None);
    }
}
