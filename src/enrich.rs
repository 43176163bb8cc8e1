//! Completes what a parser read with what the registries know: the normalised speaker and the
//! agency a passage speaks for, its topics, and the draft versions it refers to. This is where
//! attribution evidence is decided.

use crate::ingest::Turn;
use crate::model::{Evidence, Kind, Passage};
use crate::registry::Registry;

/// The canonical form of an agency name: the registry id when the name is known, else the name
/// as written, tidied.
pub fn canonical_agency(registry: &Registry, name: &str) -> String {
    registry
        .agency(name)
        .map(|a| a.id.clone())
        .unwrap_or_else(|| name.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A speaker label without markdown, honorific spacing or "Surname, Name" order.
pub fn tidy_label(label: &str) -> String {
    let l = label.trim().trim_matches('*').trim();
    l.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn display_name(label: &str) -> String {
    let l = tidy_label(label);
    match l.split_once(',') {
        Some((last, first)) if !first.trim().is_empty() && !last.contains(' ') => {
            format!("{} {}", first.trim(), last.trim())
        }
        _ => l,
    }
}

/// Turns a parser's turns into passages, deciding speaker, agency and evidence.
/// `doc_agency` is the entity a whole document speaks for (a submission's author).
pub fn passages(
    registry: &Registry,
    kind: Kind,
    turns: Vec<Turn>,
    doc_agency: Option<&str>,
) -> Vec<Passage> {
    let mut out = Vec::with_capacity(turns.len());
    for (seq, t) in turns.into_iter().enumerate() {
        let mut p = Passage {
            seq: seq as u32,
            text: t.text,
            locator: t.locator,
            ..Passage::default()
        };
        p.speaker_label = t.label.as_deref().map(tidy_label);
        let known = t
            .label
            .as_deref()
            .and_then(|l| registry.speaker(l))
            .or_else(|| t.speaker.as_deref().and_then(|s| registry.speaker(s)));
        p.speaker = match (known, &t.speaker, &t.label) {
            (Some(s), _, _) => Some(s.name.clone()),
            (None, Some(s), _) => Some(tidy_label(s)),
            (None, None, Some(l)) => Some(display_name(l)),
            _ => None,
        };
        // The source's own word on the entity comes first, then the registry, then the document.
        if let Some(a) = &t.agency {
            p.agency = Some(canonical_agency(registry, a));
            p.evidence = Evidence::Label;
            p.confidence = 1.0;
        } else if let Some(a) = known.and_then(|s| s.agency.as_deref()) {
            p.agency = Some(canonical_agency(registry, a));
            p.evidence = Evidence::Label;
            p.confidence = 0.9;
        } else if let (Some(a), true) = (doc_agency, p.speaker.is_none()) {
            p.agency = Some(a.to_string());
            p.evidence = Evidence::Author;
            p.confidence = 1.0;
        } else if p.speaker.is_some() {
            p.evidence = Evidence::Label;
            p.confidence = 0.5;
        }
        p.topics = registry.topics_in(&p.text);
        if kind != Kind::Resolution {
            p.versions = registry.versions_in(&p.text);
        }
        out.push(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Locator;

    fn turn(label: Option<&str>, agency: Option<&str>, text: &str) -> Turn {
        Turn {
            label: label.map(str::to_string),
            speaker: None,
            agency: agency.map(str::to_string),
            text: text.into(),
            locator: Locator::default(),
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
