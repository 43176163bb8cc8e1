//! What one paragraph of a meeting says about its speaker, read with the cues of
//! `index-schema/cues.toml` and the registries' names: a closing thanks, the chair passing the
//! floor (and the names called), thanks to a named person, a speaker naming themselves or their
//! entity.

use crate::registry::heard::Named;
use crate::registry::Registry;
use crate::text::phrase::{PhraseMatcher, Tokens};
use crate::text::{edit_distance, lower_words, norm_key, words};

/// Someone a cue names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Who {
    Agency(usize),
    Speaker(usize),
}

/// A cue template split at `{who}`.
pub(super) struct Template {
    pub(super) before: Vec<String>,
    pub(super) after: Vec<String>,
}

impl Template {
    pub(super) fn parse(t: &str) -> Template {
        let (b, a) = t.split_once("{who}").unwrap_or((t, ""));
        Template {
            before: lower_words(b),
            after: lower_words(a),
        }
    }

    /// Whether the words around the span `[start, end)` of `ws` fit the template.
    pub(super) fn fits(&self, ws: &[String], start: usize, end: usize) -> bool {
        start >= self.before.len()
            && ws[start - self.before.len()..start] == self.before[..]
            && end + self.after.len() <= ws.len()
            && ws[end..end + self.after.len()] == self.after[..]
    }
}

/// The cues compiled for matching.
pub(super) struct Compiled<'r> {
    pub(super) registry: &'r Registry,
    pub(super) self_ref: Vec<Template>,
    pub(super) floor: Vec<Template>,
    pub(super) invite: Vec<Vec<String>>,
    pub(super) thanks: Vec<Vec<String>>,
    /// Role phrases with the speaker who holds the role, when exactly one does.
    pub(super) roles: PhraseMatcher,
    pub(super) role_holder: Vec<Option<usize>>,
    /// The role a meeting's chair holds (`chair` in cues.toml).
    pub(super) chair_role: Option<usize>,
}

impl<'r> Compiled<'r> {
    pub(super) fn new(registry: &'r Registry) -> Compiled<'r> {
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
pub(super) struct Para {
    pub(super) words: usize,
    /// Its last sentence is a short thanks.
    pub(super) closes: bool,
    /// The chair passes the floor or asks who wants it.
    pub(super) passes: bool,
    /// The names the chair calls, in order.
    pub(super) called: Vec<Who>,
    /// The name thanked at the start ("Thank you, Isabel."), and whether that is all it says.
    pub(super) addressed: Option<String>,
    /// The name thanked is the chair's title ("Thank you, Madam Chair."): a speaker who is
    /// not the chair.
    pub(super) addressed_chair: bool,
    pub(super) thanks_only: bool,
    /// Who the speaker says they are.
    pub(super) self_ref: Option<Who>,
}

/// A name mentioned in a paragraph: (first word, end word, who).
pub(super) type Mention = (usize, usize, Who);

/// The names in a paragraph, as word spans, in text order.
pub(super) fn mentions(c: &Compiled, t: &Tokens, named: &Named) -> Vec<Mention> {
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

pub(super) fn starts_with(ws: &[String], phrase: &[String]) -> bool {
    ws.len() >= phrase.len() && ws[..phrase.len()] == *phrase
}

pub(super) fn contains(ws: &[String], phrase: &[String]) -> Option<usize> {
    (0..ws.len()).find(|&i| starts_with(&ws[i..], phrase))
}

pub(super) fn sentences(text: &str) -> Vec<&str> {
    text.split_inclusive(['.', '?', '!'])
        .map(str::trim)
        .filter(|s| !words(s).is_empty())
        .collect()
}

pub(super) fn read_para(c: &Compiled, text: &str, tokens: &Tokens, named: &Named) -> Para {
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
pub(super) fn same_person(registry: &Registry, name: &str, label: &str) -> bool {
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
