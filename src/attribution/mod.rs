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
//! The phrases are in `index-schema/cues.toml`, the names in the other registries.

use crate::model::{Evidence, Turn};
use crate::registry::heard::Named;
use crate::registry::Registry;
use crate::text::phrase::{PhraseMatcher, Tokens};
use crate::text::{edit_distance, lower_words, norm_key, words};
use std::collections::VecDeque;

/// Someone a cue names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Agency(usize),
    Speaker(usize),
}

/// The attribution of one passage.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution {
    pub speaker: Option<String>,
    pub agency: Option<String>,
    pub evidence: Evidence,
    pub confidence: f32,
}

/// A cue template split at `{who}`.
struct Template {
    before: Vec<String>,
    after: Vec<String>,
}

impl Template {
    fn parse(t: &str) -> Template {
        let (b, a) = t.split_once("{who}").unwrap_or((t, ""));
        Template {
            before: lower_words(b),
            after: lower_words(a),
        }
    }

    /// Whether the words around the span `[start, end)` of `ws` fit the template.
    fn fits(&self, ws: &[String], start: usize, end: usize) -> bool {
        start >= self.before.len()
            && ws[start - self.before.len()..start] == self.before[..]
            && end + self.after.len() <= ws.len()
            && ws[end..end + self.after.len()] == self.after[..]
    }
}

/// The cues compiled for matching.
struct Compiled<'r> {
    registry: &'r Registry,
    self_ref: Vec<Template>,
    floor: Vec<Template>,
    invite: Vec<Vec<String>>,
    thanks: Vec<Vec<String>>,
    /// Role phrases with the speaker who holds the role, when exactly one does.
    roles: PhraseMatcher,
    role_holder: Vec<Option<usize>>,
    /// The role a meeting's chair holds (`chair` in cues.toml).
    chair_role: Option<usize>,
}

impl<'r> Compiled<'r> {
    fn new(registry: &'r Registry) -> Compiled<'r> {
        let c = &registry.cues;
        let mut thanks: Vec<Vec<String>> = c.thanks.iter().map(|t| lower_words(t)).collect();
        thanks.sort_by_key(|t| std::cmp::Reverse(t.len()));
        let mut roles = PhraseMatcher::default();
        let mut role_holder = Vec::new();
        for (i, (role, phrases)) in c.roles.iter().enumerate() {
            for p in phrases {
                roles.add(p, i);
            }
            let mut holders = registry.speakers.iter().enumerate().filter(|(_, s)| {
                s.role
                    .as_deref()
                    .is_some_and(|r| norm_key(r) == norm_key(role))
            });
            role_holder.push(match (holders.next(), holders.next()) {
                (Some((i, _)), None) => Some(i),
                _ => None,
            });
        }
        Compiled {
            registry,
            self_ref: c.self_ref.iter().map(|t| Template::parse(t)).collect(),
            floor: c.floor.iter().map(|t| Template::parse(t)).collect(),
            invite: c.invite.iter().map(|t| lower_words(t)).collect(),
            thanks,
            roles,
            role_holder,
            chair_role: c.roles.keys().position(|r| r == "chair"),
        }
    }
}

/// What one paragraph says about its speaker.
#[derive(Debug, Default)]
struct Para {
    words: usize,
    /// Its last sentence is a short thanks.
    closes: bool,
    /// The chair passes the floor or asks who wants it.
    passes: bool,
    /// The names the chair calls, in order.
    called: Vec<Who>,
    /// The name thanked at the start ("Thank you, Isabel."), and whether that is all it says.
    addressed: Option<String>,
    /// The name thanked is the chair's title ("Thank you, Madam Chair."): a speaker who is
    /// not the chair.
    addressed_chair: bool,
    thanks_only: bool,
    /// Who the speaker says they are.
    self_ref: Option<Who>,
}

/// A name mentioned in a paragraph: (first word, end word, who).
type Mention = (usize, usize, Who);

/// The names in a paragraph, as word spans, in text order.
fn mentions(c: &Compiled, t: &Tokens, named: &Named) -> Vec<Mention> {
    // A byte offset → the first word at or after it (a span's start, or its exclusive end).
    let word = |byte: usize| {
        t.words
            .iter()
            .position(|(o, _)| *o >= byte)
            .unwrap_or(t.words.len())
    };
    let mut out: Vec<Mention> = Vec::new();
    for (s, e, a) in c.registry.agencies_in_document(t, named) {
        out.push((word(s), word(e), Who::Agency(a)));
    }
    for (s, e, sp) in c.registry.speakers_in(t) {
        out.push((word(s), word(e), Who::Speaker(sp)));
    }
    for (s, e, r) in c.roles.find_in(t) {
        if let Some(sp) = c.role_holder[r] {
            out.push((word(s), word(e), Who::Speaker(sp)));
        }
    }
    out.sort_by_key(|m| (m.0, std::cmp::Reverse(m.1)));
    out
}

fn starts_with(ws: &[String], phrase: &[String]) -> bool {
    ws.len() >= phrase.len() && ws[..phrase.len()] == *phrase
}

fn contains(ws: &[String], phrase: &[String]) -> Option<usize> {
    (0..ws.len()).find(|&i| starts_with(&ws[i..], phrase))
}

fn sentences(text: &str) -> Vec<&str> {
    text.split_inclusive(['.', '?', '!'])
        .map(str::trim)
        .filter(|s| !words(s).is_empty())
        .collect()
}

fn read_para(c: &Compiled, text: &str, tokens: &Tokens, named: &Named) -> Para {
    let limits = &c.registry.cues.limits;
    let ms = mentions(c, tokens, named);
    let ws = &tokens.lower;
    let caps: Vec<bool> = tokens
        .words
        .iter()
        .map(|(_, w)| w.chars().next().is_some_and(char::is_uppercase))
        .collect();
    let mut p = Para {
        words: ws.len(),
        ..Para::default()
    };
    let sents = sentences(text);
    if let Some(last) = sents.last() {
        let lw = lower_words(last);
        p.closes = lw.len() <= limits.closing_words && c.thanks.iter().any(|t| starts_with(&lw, t));
    }
    // "Thank you, Isabel." in one of the first sentences.
    for s in sents.iter().take(3) {
        let sw = words(s);
        let lw: Vec<String> = sw.iter().map(|(_, w)| w.to_lowercase()).collect();
        if let Some(t) = c.thanks.iter().find(|t| starts_with(&lw, t)) {
            let rest = &sw[t.len()..];
            let after_comma = s[..sw.get(t.len()).map_or(s.len(), |w| w.0)].contains(',');
            if (1..=3).contains(&rest.len())
                && after_comma
                && rest[0].1.chars().next().is_some_and(char::is_uppercase)
            {
                let name: Vec<&str> = rest.iter().map(|(_, w)| w.as_str()).collect();
                let name = name.join(" ");
                p.addressed_chair = c
                    .roles
                    .find(&name)
                    .iter()
                    .any(|&(_, _, r)| Some(r) == c.chair_role);
                p.addressed = Some(name);
                p.thanks_only = ws.len() <= limits.closing_words;
                break;
            }
        }
    }
    let said: Vec<Who> = ms
        .iter()
        .filter(|(s, e, _)| c.self_ref.iter().any(|t| t.fits(ws, *s, *e)))
        .map(|m| m.2)
        .collect();
    p.self_ref = said
        .iter()
        .find(|w| matches!(w, Who::Speaker(_)))
        .or(said.first())
        .copied();
    // The floor: a cue followed by a name (known or not); every known name after it is called.
    for t in &c.floor {
        let mut hit = None;
        if t.before.is_empty() {
            hit = ms.iter().find(|(s, e, _)| t.fits(ws, *s, *e)).map(|m| m.0);
        } else if let Some(i) = contains(ws, &t.before) {
            // The name may be one the registries do not know: a capitalised word or "the …",
            // followed within a few words by the rest of the template.
            let next = i + t.before.len();
            let rest_follows = t.after.is_empty()
                || (next + 1..=(next + 6).min(ws.len())).any(|j| starts_with(&ws[j..], &t.after));
            if next < ws.len() && (caps[next] || ws[next] == "the") && rest_follows {
                hit = Some(next);
            }
        }
        if let Some(from) = hit {
            p.passes = true;
            for m in ms.iter().filter(|m| m.0 >= from) {
                if !p.called.contains(&m.2) {
                    p.called.push(m.2);
                }
            }
            break;
        }
    }
    p.passes |= c.invite.iter().any(|i| contains(ws, i).is_some());
    p.passes &= p.words <= limits.moderation_words;
    p
}

/// Whether `name` (as a speaker addressed it) is the holder of `label`.
fn same_person(registry: &Registry, name: &str, label: &str) -> bool {
    if let (Some(a), Some(b)) = (registry.speaker(name), registry.speaker(label)) {
        return a.name == b.name;
    }
    let lw = lower_words(label);
    lower_words(name).iter().any(|n| {
        n.len() >= 4
            && lw
                .iter()
                .any(|l| l.len() >= 4 && edit_distance(n, l) <= (n.len().min(l.len()) / 4).max(1))
    })
}

/// One intervention: its paragraphs (possibly across an interjection) and what decided it.
#[derive(Debug)]
struct Segment {
    label: Option<String>,
    paras: Vec<usize>,
    /// Begins a labelled block.
    block_start: bool,
    /// The chair's remark.
    moderation: bool,
    /// The speaker closed with thanks.
    closed: bool,
    /// The chair passed the floor (or only thanked the last speaker): what follows is another's.
    passed: bool,
}

/// Attributes every turn of one meeting. `turns` are in document order; `named` is what the
/// document names (for homonym forms). The result has one attribution per turn.
pub fn attribute(
    registry: &Registry,
    turns: &[Turn],
    tokens: &[Tokens],
    named: &Named,
) -> Vec<Attribution> {
    let c = Compiled::new(registry);
    let limits = &registry.cues.limits;
    let paras: Vec<Para> = turns
        .iter()
        .zip(tokens)
        .map(|(t, w)| read_para(&c, &t.text, w, named))
        .collect();
    let label_of = |i: usize| turns[i].label.as_deref().map(norm_key);

    // Blocks: runs of turns under one label.
    let mut blocks: Vec<std::ops::Range<usize>> = Vec::new();
    for i in 0..turns.len() {
        match blocks.last_mut() {
            Some(b) if label_of(b.start) == label_of(i) => b.end = i + 1,
            _ => blocks.push(i..i + 1),
        }
    }

    // Pass 1: cut the blocks into interventions.
    let mut segments: Vec<Segment> = Vec::new();
    let mut seg_of = vec![0usize; turns.len()];
    for (b, range) in blocks.iter().enumerate() {
        let label = turns[range.start].label.as_deref();
        // Thanks to the label's holder or to the chair: the speaker is someone else.
        let to_other = |p: &Para| {
            p.addressed_chair
                || p.addressed
                    .as_deref()
                    .zip(label)
                    .is_some_and(|(n, l)| same_person(registry, n, l))
        };
        let is_moderation = |p: &Para| {
            p.passes
                || (p.addressed.is_some() && !to_other(p) && p.words <= limits.moderation_words)
        };
        let first = &paras[range.start];
        // Back after a short interjection under another label: the intervention goes on.
        let resumes = (b >= 2 && label_of(blocks[b - 2].start) == label_of(range.start))
            .then(|| seg_of[blocks[b - 2].end - 1])
            .filter(|&s| {
                let interjection: usize = blocks[b - 1].clone().map(|i| paras[i].words).sum();
                let seg = &segments[s];
                let open = !(seg.closed || seg.passed || seg.moderation);
                let answers_back = is_moderation(first) || to_other(first);
                interjection <= limits.interjection_words && open && !answers_back
            });
        for i in range.clone() {
            let p = &paras[i];
            let moderation = is_moderation(p);
            let filler = p.words <= limits.filler_words;
            let cont = if i == range.start {
                resumes
            } else {
                let cur = &segments[seg_of[i - 1]];
                let new = cur.closed || moderation || (!filler && (cur.passed || to_other(p)));
                (!new).then_some(seg_of[i - 1])
            };
            let s = match cont {
                Some(s) => {
                    segments[s].paras.push(i);
                    s
                }
                None => {
                    segments.push(Segment {
                        label: label.map(str::to_string),
                        paras: vec![i],
                        block_start: i == range.start,
                        moderation,
                        closed: false,
                        passed: false,
                    });
                    segments.len() - 1
                }
            };
            seg_of[i] = s;
            let seg = &mut segments[s];
            seg.passed = (seg.moderation && (p.passes || p.thanks_only)) || (seg.passed && filler);
            seg.closed = p.closes;
        }
    }

    // Pass 2: attribute the interventions in order, keeping the chair's speaking order.
    let mut out: Vec<Option<Attribution>> = vec![None; turns.len()];
    let mut order: VecDeque<(Option<String>, Who)> = VecDeque::new();
    let mut shared: Vec<String> = Vec::new();
    let mut pending: Vec<usize> = Vec::new();
    for (si, seg) in segments.iter().enumerate() {
        // The chair has just passed the floor and someone else's label begins.
        let takes_floor = si > 0 && seg.block_start && {
            let prev = &segments[si - 1];
            prev.moderation && prev.passed && prev.label != seg.label
        };
        let first = seg.paras[0];
        let turn = &turns[first];
        let label_key = seg.label.as_deref().map(norm_key);
        let by_label = label_attr(registry, turn, 0.9);
        let words: usize = seg.paras.iter().map(|&i| paras[i].words).sum();
        // A person who names themselves says more than an entity named alone.
        let said = seg
            .paras
            .iter()
            .find_map(|&i| match paras[i].self_ref {
                Some(w @ Who::Speaker(_)) => Some((i, w)),
                _ => None,
            })
            .or_else(|| {
                seg.paras
                    .iter()
                    .find_map(|&i| paras[i].self_ref.map(|w| (i, w)))
            });
        let decided = if seg.moderation || turn.agency.is_some() {
            None
        } else if let Some((i, who)) = said {
            Some((who, Evidence::SelfRef, i))
        } else if takes_floor && by_label.agency.is_none() {
            // A speaker the registries do not place: the one the chair called.
            order.pop_front().map(|(_, w)| (w, Evidence::Floor, first))
        } else if !seg.block_start && words > limits.statement_words {
            let mine = |l: &Option<String>| l.as_deref().map(norm_key) == label_key;
            let pos = order.iter().position(|(l, _)| mine(l));
            pos.and_then(|p| order.remove(p))
                .map(|(_, w)| (w, Evidence::Floor, first))
        } else {
            None
        };
        let attribution = match decided {
            Some((who, evidence, cue)) => {
                let (speaker, agency) = resolve(registry, who);
                let agrees = (agency.is_some() && agency == by_label.agency)
                    || (speaker.is_some() && speaker == by_label.speaker);
                if agrees {
                    Some((
                        Attribution {
                            confidence: 1.0,
                            ..by_label
                        },
                        None,
                    ))
                } else if takes_floor && by_label.agency.is_none() {
                    // The label names the person; the chair's call says whom they speak for.
                    Some((
                        Attribution {
                            speaker: speaker.or(by_label.speaker),
                            agency,
                            evidence,
                            confidence: 0.7,
                        },
                        None,
                    ))
                } else {
                    // Someone other than the label's holder speaks: the label is shared.
                    if let Some(l) = &label_key {
                        if !shared.contains(l) {
                            shared.push(l.clone());
                        }
                    }
                    let confidence = if evidence == Evidence::SelfRef {
                        0.9
                    } else {
                        0.7
                    };
                    Some((
                        Attribution {
                            speaker,
                            agency,
                            evidence,
                            confidence,
                        },
                        Some(cue),
                    ))
                }
            }
            None if seg.moderation
                || turn.agency.is_some()
                || seg.block_start
                || words <= limits.statement_words =>
            {
                if seg.moderation {
                    for &i in &seg.paras {
                        for &w in &paras[i].called {
                            if !order.iter().any(|(_, x)| *x == w) {
                                order.push_back((seg.label.clone(), w));
                            }
                        }
                    }
                }
                Some((by_label, None))
            }
            None => {
                pending.push(si);
                None
            }
        };
        let Some((a, cue)) = attribution else {
            continue;
        };
        // Whoever spoke is no longer waiting for the floor.
        if !seg.moderation {
            order.retain(|(_, w)| {
                let (s, ag) = resolve(registry, *w);
                let same_person = s.is_some() && s == a.speaker;
                let same_entity = s.is_none() && ag.is_some() && ag == a.agency;
                !(same_person || same_entity)
            });
        }
        for &i in &seg.paras {
            out[i] = Some(match cue {
                Some(c) if c != i => Attribution {
                    evidence: Evidence::Carried,
                    confidence: ((a.confidence - 0.1) * 100.0).round() / 100.0,
                    ..a.clone()
                },
                _ => a.clone(),
            });
        }
    }
    let on_shared = |i: usize| {
        turns[i]
            .label
            .as_deref()
            .is_some_and(|l| shared.contains(&norm_key(l)))
    };
    // Statements nothing attributed: the label's holder, unless the label is a shared microphone.
    for si in pending {
        let seg = &segments[si];
        let a = if on_shared(seg.paras[0]) {
            Attribution {
                speaker: None,
                agency: None,
                evidence: Evidence::Unknown,
                confidence: 0.0,
            }
        } else {
            label_attr(registry, &turns[seg.paras[0]], 0.9)
        };
        for &i in &seg.paras {
            out[i] = Some(a.clone());
        }
    }
    // What the holder of a shared microphone says by default is less certain.
    out.into_iter()
        .enumerate()
        .map(|(i, a)| {
            let mut a = a.unwrap_or_else(|| label_attr(registry, &turns[i], 0.9));
            if on_shared(i) && a.evidence == Evidence::Label && a.confidence < 1.0 {
                a.confidence = a.confidence.min(0.6);
            }
            a
        })
        .collect()
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
