//! Who speaks each passage of a meeting. A transcript's speaker label is often not the speaker:
//! a room microphone is labelled with one person's name while the chair, a co-facilitator and
//! several agencies speak through it. This module splits each labelled block into interventions
//! and attributes each one, using the signals a careful reader uses:
//!
//! - an intervention ends with a closing "Thank you." and after the chair passes the floor;
//!   a speaker who thanks the label's holder by name is someone else;
//! - a short block under another label ("We cannot hear the speaker.") interrupts an
//!   intervention without ending it;
//! - a speaker who names themselves or their entity ("My name is …, I'm with WHO", "we as
//!   UNESCO") is that entity (`self`); this outranks the label, unless the source itself states
//!   the label's entity;
//! - the chair's paragraphs (passing the floor, inviting, thanking a named speaker) are the
//!   label holder's (`label`), and the names the chair calls form a speaking order that
//!   statements under the same label take in turn (`floor`);
//! - paragraphs of an attributed intervention without a cue of their own are `carried`;
//! - what none of this decides on a shared microphone stays `unknown` rather than being given
//!   to the label's holder.
//!
//! The phrases are in `index-schema/cues.toml`, the names in the other registries. Three steps,
//! a file each: what each paragraph says ([`cues`]), the interventions ([`interventions`]),
//! and each intervention attributed in order ([`floor`]).
//!
//! May use: `model`, `text`, `registry`. Ingest calls it; nothing else does.

mod cues;
mod floor;
mod interventions;

use crate::model::{Evidence, Turn};
use crate::registry::heard::Named;
use crate::registry::Registry;
use crate::text::phrase::Tokens;
use cues::{read_para, Compiled, Para, Who};
use floor::Floor;
use regex::Regex;
use std::sync::LazyLock;

/// The attribution of one passage.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution {
    pub speaker: Option<String>,
    pub agency: Option<String>,
    pub evidence: Evidence,
    pub confidence: f32,
}

/// Attributes every turn of one meeting. `turns` are in document order; `named` is what the
/// document names (for homonym forms). The result has one attribution per turn.
pub fn attribute(
    registry: &Registry,
    turns: &[Turn],
    tokens: &[Tokens],
    named: &Named,
) -> Vec<Attribution> {
    // What each paragraph says about its speaker.
    let c = Compiled::new(registry);
    let paras: Vec<Para> = turns
        .iter()
        .zip(tokens)
        .map(|(t, w)| read_para(&c, &t.text, w, named))
        .collect();
    // The interventions, then each attributed in order.
    let segments = interventions::cut(registry, turns, &paras);
    let mut floor = Floor::new(registry, turns, &paras);
    for si in 0..segments.len() {
        floor.take(&segments, si);
    }
    let mut out = floor.finish(&segments);
    chair_inside_turns(registry, turns, &paras, &mut out);
    early_headers(registry, turns, &paras, &mut out);
    out
}

/// How many paragraphs of a speaker's end a header printed early may hold.
const EARLY_HEADER_PARAS: usize = 4;

/// A header printed early: when, a few paragraphs into a run under one label, the speaker
/// thanks the previous run's entity in the third person ("Thank you Malaysia. Colleagues, we
/// have heard the last speaker …"), the paragraphs before that thanks end the previous
/// speaker's statement, not the new one's: the new header came before its speaker did. A run
/// that opens with thanks of its own ("Thank you very much. I thank the representative of
/// Ireland.") is the new speaker's from the start.
fn early_headers(registry: &Registry, turns: &[Turn], paras: &[Para], out: &mut [Attribution]) {
    let runs = labelled_runs(turns);
    for pair in runs.windows(2) {
        let (prev, run) = (&pair[0], &pair[1]);
        let before = out[prev.end - 1].clone();
        let Some(thanked) = before.agency.as_deref() else {
            continue;
        };
        if out[run.start].agency.as_deref() == Some(thanked) || paras[run.start].closes {
            continue;
        }
        let limit = (run.start + 1 + EARLY_HEADER_PARAS).min(run.end);
        let Some(k) = (run.start + 1..limit)
            .find(|&k| thanks_in_third_person(registry, &turns[k].text, thanked))
        else {
            continue;
        };
        for a in &mut out[run.start..k] {
            *a = Attribution {
                evidence: Evidence::Carried,
                confidence: 0.7,
                ..before.clone()
            };
        }
    }
}

/// A speaker does not thank their own entity in the third person: under a header that names
/// the European Union, "I thank the European Union." is the chair's, printed before the chair's
/// own header. From such a paragraph on, the turn is the chair's (as attributed where the chair
/// last gave the floor) until the chair gives the floor again; what follows is the speaker the
/// chair called.
fn chair_inside_turns(
    registry: &Registry,
    turns: &[Turn],
    paras: &[Para],
    out: &mut [Attribution],
) {
    let mut chair: Option<Attribution> = None;
    for std::ops::Range { start: i, end } in labelled_runs(turns) {
        let own = turns[i]
            .agency
            .as_deref()
            .map(|a| registry.canonical_agency(a));
        let start = own.as_deref().and_then(|own| {
            (i + 1..end).find(|&k| thanks_in_third_person(registry, &turns[k].text, own))
        });
        if let (Some(start), Some(ch)) = (start, chair.clone()) {
            let mut next: Option<Attribution> = None;
            for k in start..end {
                if let Some(n) = &next {
                    out[k] = n.clone();
                    continue;
                }
                out[k] = Attribution {
                    evidence: Evidence::Carried,
                    confidence: 0.7,
                    ..ch.clone()
                };
                if paras[k].passes {
                    next = paras[k].called.first().map(|&w| {
                        let (speaker, agency) = resolve(registry, w);
                        Attribution {
                            speaker,
                            agency,
                            evidence: Evidence::Floor,
                            confidence: 0.7,
                        }
                    });
                }
            }
        }
        // Where the chair gives the floor, the chair speaks.
        if let Some(k) = (i..end)
            .rev()
            .find(|&k| paras[k].passes && out[k].agency.is_some())
        {
            chair = Some(out[k].clone());
        }
    }
}

/// The runs of consecutive turns under one label and one stated entity (a turn with no label
/// is a run of its own).
fn labelled_runs(turns: &[Turn]) -> Vec<std::ops::Range<usize>> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < turns.len() {
        let label = turns[i].label.as_deref();
        let same = |t: &Turn| t.label.as_deref() == label && t.agency == turns[i].agency;
        let mut end = i + 1;
        while end < turns.len() && label.is_some() && same(&turns[end]) {
            end += 1;
        }
        runs.push(i..end);
        i = end;
    }
    runs
}

/// True when `text` opens by thanking `own` (an agency id) in the third person: "I thank the
/// distinguished representative of Kenya.", "I thank Latvia".
fn thanks_in_third_person(registry: &Registry, text: &str, own: &str) -> bool {
    static OPENING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:i thank(?: you,? i thank)?|thank you,?)(?: the)?(?: distinguished)?(?: permanent representative| representative| pr| delegation| ambassador)?(?: of)?(?: the)?\s*$")
            .expect("valid regex")
    });
    let first = text.split(['.', ';']).next().unwrap_or(text);
    registry
        .agencies_in(first)
        .iter()
        .any(|&(start, _, a)| a.id == own && OPENING.is_match(first[..start].trim_start()))
}

/// Statements a labelled speaker makes for a group: where a turn's first paragraph says it is
/// made "on behalf of" a group the registries know ("I have the honour to deliver this
/// statement on behalf of the three African members … (A3+)", "speaking on behalf of the Group
/// of 77 and China"), the turn is the group's, and the speaker's own entity is recorded among
/// its members (each turn's `members`, extended in place).
pub fn for_groups(registry: &Registry, turns: &mut [Turn], attributions: &mut [Attribution]) {
    for std::ops::Range { start: i, end } in labelled_runs(turns) {
        let own = attributions[i].agency.clone();
        // A post that is a presiding office the registries know ("PR; ECOSOC President"): the
        // speaker speaks as its holder. Else a group the first paragraph speaks for.
        let office = turns[i].role.as_deref().and_then(|r| {
            registry
                .agencies_in(r)
                .into_iter()
                .find(|(_, _, a)| a.kind.as_deref() == Some("chair"))
                .map(|(_, _, a)| a.id.clone())
        });
        let spoken_for = office.or_else(|| group_spoken_for(registry, &turns[i].text));
        if let (Some(own), Some(group)) = (own, spoken_for) {
            if own != group {
                for k in i..end {
                    if attributions[k].agency.as_deref() == Some(own.as_str()) {
                        attributions[k].agency = Some(group.clone());
                        attributions[k].evidence = Evidence::SelfRef;
                        if !turns[k].members.contains(&own) {
                            turns[k].members.push(own.clone());
                        }
                    }
                }
            }
        }
    }
}

/// The group a paragraph says it speaks for: the first group the registries know named in the
/// sentence after "on behalf of".
///
/// An "on behalf of" that names someone else's statement is not the speaker's: the chair's
/// call ("I give the floor to Barbados on behalf of CARICOM") and an alignment ("China aligns
/// itself with the statement delivered by Iraq on behalf of G77 and China").
fn group_spoken_for(registry: &Registry, text: &str) -> Option<String> {
    // "On behalf of" as the six languages' records write it.
    static ON_BEHALF: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\bon behalf of |\bau nom (?:de|des|du) |\ben nombre de |\bот име-?ни |(?:我|谨)(?:荣幸地)?代表")
            .expect("valid regex")
    });
    static OTHERS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:floor|align\w*|delivered by|made by|statements? by)\b")
            .expect("valid regex")
    });
    ON_BEHALF.find_iter(text).find_map(|m| {
        let at = m.start();
        let sentence = text[..at].rfind(". ").map_or(0, |s| s + 2);
        if OTHERS.is_match(&text[sentence..at]) {
            return None;
        }
        let end = text[at..].find(". ").map_or(text.len(), |e| at + e);
        registry
            .agencies_in(&text[at..end])
            .into_iter()
            .find(|(_, _, a)| a.kind.as_deref() == Some("group"))
            .map(|(_, _, a)| a.id.clone())
    })
}

/// The speaker and agency a cue's name stands for.
fn resolve(registry: &Registry, who: Who) -> (Option<String>, Option<String>) {
    match who {
        Who::Agency(a) => (None, Some(registry.agencies[a].id.clone())),
        Who::Speaker(s) => {
            let sp = &registry.speakers[s];
            let agency = sp
                .agency
                .as_deref()
                .map(|a| registry.agency(a).map_or(a.to_string(), |x| x.id.clone()));
            (Some(sp.name.clone()), agency)
        }
    }
}

/// A passage outside a meeting: its label (if any) says who speaks.
pub fn by_label(registry: &Registry, turn: &Turn) -> Attribution {
    label_attr(registry, turn, 0.9)
}

/// The label's own attribution: the source's stated entity, else the speakers registry's.
fn label_attr(registry: &Registry, turn: &Turn, known: f32) -> Attribution {
    let holder = turn
        .label
        .as_deref()
        .and_then(|l| registry.speaker(l))
        .or_else(|| turn.speaker.as_deref().and_then(|s| registry.speaker(s)));
    let speaker = match (holder, &turn.speaker, &turn.label) {
        (Some(s), _, _) => Some(s.name.clone()),
        (None, Some(s), _) => Some(crate::text::tidy_label(s)),
        (None, None, Some(l)) => Some(crate::text::display_name(l)),
        _ => None,
    };
    let (agency, confidence) = if let Some(a) = &turn.agency {
        (Some(registry.canonical_agency(a)), 1.0)
    } else if let Some(a) = holder.and_then(|s| s.agency.as_deref()) {
        (Some(registry.canonical_agency(a)), known)
    } else {
        (None, 0.5)
    };
    Attribution {
        evidence: if speaker.is_some() {
            Evidence::Label
        } else {
            Evidence::Unknown
        },
        confidence: if speaker.is_some() { confidence } else { 0.0 },
        speaker,
        agency,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_speaker_does_not_thank_their_own_entity_in_the_third_person() {
        let reg = Registry::embedded();
        let t = |text: &str, own: &str| thanks_in_third_person(&reg, text, own);
        assert!(t(
            "I thank the distinguished representative of Kenya.",
            "Kenya"
        ));
        assert!(t(
            "I thank Latvia I give the floor to the Republic of Korea.",
            "Latvia"
        ));
        assert!(t(
            "I thank you, I thank the distinguished representative of Japan.",
            "Japan"
        ));
        // A delegation assuring the chair of its support names itself, thanking no one else.
        assert!(!t(
            "We thank you for your efforts and assure you of Qatar's full support.",
            "Qatar"
        ));
        assert!(!t("I thank the representative of Kenya.", "Jamaica"));
    }

    #[test]
    fn on_behalf_of_counts_only_for_the_speaker_s_own_statement() {
        let reg = Registry::embedded();
        let g = |text: &str| group_spoken_for(&reg, text);
        assert_eq!(
            g("I have the honour to deliver this statement on behalf of the Group of 77 and China.")
                .as_deref(),
            Some("G77 and China")
        );
        assert_eq!(
            g("China aligns itself with the statement delivered by Iraq on behalf of G77 and China."),
            None
        );
        assert_eq!(
            g("I thank Philippines I give the floor now to the distinguished representative of Barbados on behalf of CARICOM"),
            None
        );
        // The alignment in one sentence does not hide the group spoken for in the next.
        assert_eq!(
            g("We align ourselves with the EU. I speak on behalf of the Caribbean Community.")
                .as_deref(),
            Some("CARICOM")
        );
    }

    fn turn(label: &str, text: &str) -> Turn {
        Turn {
            label: Some(label.into()),
            text: text.into(),
            ..Turn::default()
        }
    }

    #[test]
    fn a_shared_microphone_is_split_by_floor_self_reference_and_interjections() {
        let r = Registry::embedded();
        let room = "Main Room";
        let turns = vec![
            turn(room, "Good morning. I will go to ITU and then UNESCO."),
            turn(room, "Thank you, Chair. We believe connectivity for schools is where the next decade will be won, and the text should say so plainly. Thank you."),
            turn(room, "Thank you very much, Ahmed."),
            turn(room, "Good morning. My name is Ana Ruiz, I'm with WHO, and I would like to speak about digital health and the paragraph on data."),
            turn("Jane Roe", "Sorry, we lost the sound."),
            turn(room, "As I was saying, health systems need interoperable data and the draft should keep that language as it stands."),
            turn(room, "Thank you."),
            turn(room, "Thank you so much. Our organization has long worked on open educational resources and the draft's language on them is welcome and should stay."),
        ];
        let tokens: Vec<Tokens> = turns.iter().map(|t| Tokens::new(&t.text)).collect();
        let a = attribute(&r, &turns, &tokens, &Named::new());
        let agency = |i: usize| a[i].agency.as_deref();
        assert_eq!(
            a[0].evidence,
            Evidence::Label,
            "the chair passing the floor"
        );
        assert_eq!((agency(1), a[1].evidence), (Some("ITU"), Evidence::Floor));
        assert_eq!(a[2].evidence, Evidence::Label, "the chair thanking Ahmed");
        assert_eq!((agency(3), a[3].evidence), (Some("WHO"), Evidence::SelfRef));
        assert_eq!(a[4].speaker.as_deref(), Some("Jane Roe"));
        assert_eq!((agency(5), a[5].evidence), (Some("WHO"), Evidence::Carried));
        assert_eq!(
            (agency(7), a[7].evidence),
            (Some("UNESCO"), Evidence::Floor)
        );
        assert!(a[3].confidence > a[5].confidence);
    }

    #[test]
    fn what_nothing_decides_on_a_shared_microphone_stays_unknown() {
        let r = Registry::embedded();
        let room = "Main Room";
        let turns = vec![
            turn(room, "We as UNESCO support the text on media and information literacy and will send language for the paragraph today."),
            turn(room, "Thank you."),
            turn(room, "Hello everyone, we are glad to see the section on surveillance kept and we hope the privacy paragraph keeps its agreed wording."),
        ];
        let tokens: Vec<Tokens> = turns.iter().map(|t| Tokens::new(&t.text)).collect();
        let a = attribute(&r, &turns, &tokens, &Named::new());
        assert_eq!(a[0].agency.as_deref(), Some("UNESCO"));
        assert_eq!(a[2].evidence, Evidence::Unknown);
        assert_eq!(a[2].agency, None);
    }
}
