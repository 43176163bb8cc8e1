//! The domain knowledge, loaded from the editable TOML files in `index-schema/`: agencies and
//! their aliases, speakers and their name forms, topics and the terms that assign them, version
//! labels and how they are written. Code asks questions ("which agency is `who`?", "which topics
//! does this text touch?"); the files hold the answers.
//!
//! The files are compiled in, so the binary works anywhere; `TRAVAUX_SCHEMA_DIR` (or `--schema`)
//! points at a folder whose files replace them, so a user can extend the registries without a
//! rebuild.
//!
//! May use: `model`, `text`. Heard forms ([`heard`]) and the name pairs of query understanding
//! ([`names`]) live beside the registries they read.

pub mod citing;
pub mod heard;
mod script;
pub use script::Script;
pub mod names;

use crate::registry::citing::{CitingFile, CitingVerbs};
use crate::registry::heard::{Entry, Named, Variants};
use crate::text::phrase::{PhraseMatcher, Tokens};
use crate::text::{norm_key, words};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// An error in a registry file: which file, and what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("cannot read registry file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("registry file {path} is not valid: {message}")]
    Invalid { path: String, message: String },
}

impl crate::errors::Coded for RegistryError {
    fn code(&self) -> crate::errors::ErrorCode {
        crate::errors::ErrorCode::BadInput
    }
}

/// An entity a passage can speak for.
#[derive(Debug, Clone, Deserialize)]
pub struct Agency {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The entity's names in the other official languages, by language code (`fr = ["Chine"]`):
    /// a speaker label or a filter in any of them finds the entity.
    #[serde(default)]
    pub names: std::collections::BTreeMap<String, Vec<String>>,
    /// What speech recognition makes of the name.
    #[serde(default)]
    pub asr: Vec<String>,
    /// Recognition forms that are also ordinary words or names: they count only in a document
    /// that names the agency otherwise.
    #[serde(default)]
    pub homonyms: Vec<String>,
    #[serde(default)]
    pub members: Vec<String>,
}

/// A person in the record.
#[derive(Debug, Clone, Deserialize)]
pub struct Speaker {
    pub name: String,
    #[serde(default)]
    pub forms: Vec<String>,
    #[serde(default)]
    pub agency: Option<String>,
    #[serde(default)]
    pub role: Option<String>,
}

/// A topic of the taxonomy.
#[derive(Debug, Clone, Deserialize)]
pub struct Topic {
    pub id: String,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default)]
    pub terms: Vec<String>,
}

/// A version label.
#[derive(Debug, Clone, Deserialize)]
pub struct VersionLabel {
    pub id: String,
    pub order: u32,
    #[serde(default)]
    pub forms: Vec<String>,
    #[serde(default)]
    pub detect: Vec<String>,
}

#[derive(Deserialize)]
struct AgencyFile {
    #[serde(default)]
    agency: Vec<Agency>,
}
#[derive(Deserialize)]
struct SpeakerFile {
    #[serde(default)]
    speaker: Vec<Speaker>,
}
#[derive(Deserialize)]
struct TopicFile {
    #[serde(default)]
    topic: Vec<Topic>,
}
#[derive(Deserialize)]
struct VersionFile {
    #[serde(default)]
    version: Vec<VersionLabel>,
}

/// A term of the negotiations with its recognition variants (terms.toml).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub term: String,
    #[serde(default)]
    pub forms: Vec<String>,
    #[serde(default)]
    pub variants: Vec<String>,
    #[serde(default)]
    pub homonyms: Vec<String>,
}

/// A language and its most frequent words (languages.toml).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageEntry {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub words: Vec<String>,
    /// The script the language is written in, when it is the only listed language written in
    /// it: a text mostly in that script is in that language, however short ("人权").
    #[serde(default)]
    pub script: Option<Script>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LanguageFile {
    min_hits: usize,
    #[serde(default)]
    language: Vec<LanguageEntry>,
}

#[derive(Deserialize)]
struct TermFile {
    #[serde(default)]
    term: Vec<Term>,
}

/// The cue phrases of `index-schema/cues.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cues {
    #[serde(rename = "self")]
    pub self_ref: Vec<String>,
    pub floor: Vec<String>,
    pub invite: Vec<String>,
    pub thanks: Vec<String>,
    pub roles: BTreeMap<String, Vec<String>>,
    pub limits: Limits,
}

/// Sizes that tell a closing, a chair's remark, an interjection and a statement apart.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    pub closing_words: usize,
    pub moderation_words: usize,
    pub interjection_words: usize,
    pub filler_words: usize,
    pub statement_words: usize,
}

/// All the registries, with the lookups built from them.
#[derive(Debug, Clone)]
pub struct Registry {
    pub agencies: Vec<Agency>,
    pub speakers: Vec<Speaker>,
    pub topics: Vec<Topic>,
    pub versions: Vec<VersionLabel>,
    pub terms: Vec<Term>,
    pub languages: Vec<LanguageEntry>,
    language_min_hits: usize,
    /// Folded frequent word → the languages it belongs to.
    language_words: HashMap<String, Vec<usize>>,
    /// How speakers introduce themselves and chairs pass the floor.
    pub cues: Cues,
    /// The verbs that introduce citations ("recalling", "taking note").
    pub citing: CitingVerbs,
    /// Recognition variants of agencies (groups `0..agencies.len()`), terms and version labels.
    pub variants: Variants,
    speaker_matcher: PhraseMatcher,
    agency_by_key: HashMap<String, usize>,
    speaker_by_key: HashMap<String, usize>,
    topic_by_key: HashMap<String, usize>,
    version_by_key: HashMap<String, usize>,
    topic_matcher: PhraseMatcher,
    version_matcher: PhraseMatcher,
    agency_matcher: PhraseMatcher,
    fingerprint: String,
}

const EMBEDDED: [(&str, &str); 8] = [
    (
        "agencies.toml",
        include_str!("../../index-schema/agencies.toml"),
    ),
    (
        "speakers.toml",
        include_str!("../../index-schema/speakers.toml"),
    ),
    (
        "topics.toml",
        include_str!("../../index-schema/topics.toml"),
    ),
    (
        "versions.toml",
        include_str!("../../index-schema/versions.toml"),
    ),
    ("terms.toml", include_str!("../../index-schema/terms.toml")),
    ("cues.toml", include_str!("../../index-schema/cues.toml")),
    (
        "languages.toml",
        include_str!("../../index-schema/languages.toml"),
    ),
    (
        "citations.toml",
        include_str!("../../index-schema/citations.toml"),
    ),
];

/// Words in front of a name that are not part of it.
const HONORIFICS: [&str; 12] = [
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "ambassador",
    "amb",
    "h e",
    "he",
    "sir",
    "madam",
];

impl Registry {
    /// The canonical form of an agency name: the registry id when the name is known, else the
    /// name as written, tidied.
    pub fn canonical_agency(&self, name: &str) -> String {
        self.agency(name)
            .map(|a| a.id.clone())
            .unwrap_or_else(|| name.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    /// The registries compiled into the binary, or those in `dir` where it holds a file of the
    /// same name.
    pub fn load(dir: Option<&Path>) -> Result<Registry, RegistryError> {
        let mut texts = Vec::new();
        for (name, embedded) in EMBEDDED {
            // Errors name the file the text came from: the user's, or the built-in one.
            let (shown, text) = match dir.map(|d| d.join(name)) {
                Some(p) if p.exists() => {
                    let text =
                        std::fs::read_to_string(&p).map_err(|source| RegistryError::Read {
                            path: p.display().to_string(),
                            source,
                        })?;
                    (p.display().to_string(), text)
                }
                _ => (
                    format!("index-schema/{name} (built in)"),
                    embedded.to_string(),
                ),
            };
            texts.push((shown, text));
        }
        Registry::from_texts(&texts)
    }

    /// The registries compiled into the binary.
    pub fn embedded() -> Registry {
        Registry::load(None).expect("the embedded registries are valid")
    }

    fn from_texts(texts: &[(String, String)]) -> Result<Registry, RegistryError> {
        fn parse<T: serde::de::DeserializeOwned>(
            path: &str,
            text: &str,
        ) -> Result<T, RegistryError> {
            toml::from_str(text).map_err(|e| RegistryError::Invalid {
                path: path.to_string(),
                message: e.to_string(),
            })
        }
        let mut hasher = Sha256::new();
        for (_, t) in texts {
            hasher.update(t.as_bytes());
        }
        let mut agencies = parse::<AgencyFile>(&texts[0].0, &texts[0].1)?.agency;
        // A name in another language is one more way of naming the entity.
        for a in &mut agencies {
            let more: Vec<String> = a.names.values().flatten().cloned().collect();
            for n in more {
                if !a.aliases.contains(&n) {
                    a.aliases.push(n);
                }
            }
        }
        let mut ids = std::collections::HashSet::new();
        if let Some(a) = agencies.iter().find(|a| !ids.insert(norm_key(&a.id))) {
            return Err(RegistryError::Invalid {
                path: texts[0].0.clone(),
                message: format!(
                    "agency id \"{}\" is given twice; each [[agency]] needs its own id (merge \
                     the two entries' aliases into one)",
                    a.id
                ),
            });
        }
        let speakers = parse::<SpeakerFile>(&texts[1].0, &texts[1].1)?.speaker;
        let topics = parse::<TopicFile>(&texts[2].0, &texts[2].1)?.topic;
        let mut versions = parse::<VersionFile>(&texts[3].0, &texts[3].1)?.version;
        versions.sort_by_key(|v| v.order);
        let terms = parse::<TermFile>(&texts[4].0, &texts[4].1)?.term;
        let cues = parse::<Cues>(&texts[5].0, &texts[5].1)?;
        let langs = parse::<LanguageFile>(&texts[6].0, &texts[6].1)?;
        let citing = CitingVerbs::new(parse::<CitingFile>(&texts[7].0, &texts[7].1)?.verb);
        let mut language_words: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, l) in langs.language.iter().enumerate() {
            for w in &l.words {
                for (_, folded) in words(w) {
                    let e = language_words.entry(folded.to_lowercase()).or_default();
                    if !e.contains(&i) {
                        e.push(i);
                    }
                }
            }
        }
        let variants = Variants::build(
            agencies
                .iter()
                .map(|a| Entry {
                    canonical: &a.id,
                    names: a
                        .name
                        .iter()
                        .chain(&a.aliases)
                        .map(String::as_str)
                        .collect(),
                    variants: a.asr.iter().map(String::as_str).collect(),
                    homonyms: a.homonyms.iter().map(String::as_str).collect(),
                })
                .chain(terms.iter().map(|t| Entry {
                    canonical: &t.term,
                    names: t.forms.iter().map(String::as_str).collect(),
                    variants: t.variants.iter().map(String::as_str).collect(),
                    homonyms: t.homonyms.iter().map(String::as_str).collect(),
                }))
                .chain(versions.iter().filter_map(|v| {
                    let (first, rest) = v.forms.split_first()?;
                    Some(Entry {
                        canonical: first,
                        names: Vec::new(),
                        variants: rest.iter().map(String::as_str).collect(),
                        homonyms: Vec::new(),
                    })
                })),
        );

        let mut reg = Registry {
            agencies,
            speakers,
            topics,
            versions,
            terms,
            languages: langs.language,
            language_min_hits: langs.min_hits,
            language_words,
            cues,
            citing,
            variants,
            speaker_matcher: PhraseMatcher::default(),
            agency_by_key: HashMap::new(),
            speaker_by_key: HashMap::new(),
            topic_by_key: HashMap::new(),
            version_by_key: HashMap::new(),
            topic_matcher: PhraseMatcher::default(),
            version_matcher: PhraseMatcher::default(),
            agency_matcher: PhraseMatcher::default(),
            fingerprint: hex(&hasher.finalize()),
        };
        for (i, a) in reg.agencies.iter().enumerate() {
            let names = std::iter::once(&a.id)
                .chain(a.name.iter())
                .chain(a.aliases.iter());
            for n in names {
                reg.agency_by_key.entry(norm_key(n)).or_insert(i);
                reg.agency_matcher.add(n, i);
            }
            for n in &a.asr {
                reg.agency_by_key.entry(norm_key(n)).or_insert(i);
                reg.agency_matcher.add(n, i);
            }
            for n in &a.homonyms {
                reg.agency_by_key.entry(norm_key(n)).or_insert(i);
            }
        }
        for (i, s) in reg.speakers.iter().enumerate() {
            for n in std::iter::once(&s.name).chain(s.forms.iter()) {
                reg.speaker_matcher.add(n, i);
                reg.speaker_by_key
                    .entry(strip_honorifics(&norm_key(n)))
                    .or_insert(i);
            }
        }
        for (i, t) in reg.topics.iter().enumerate() {
            reg.topic_by_key.insert(norm_key(&t.id), i);
            if let Some(l) = &t.label {
                reg.topic_by_key.entry(norm_key(l)).or_insert(i);
            }
            for term in &t.terms {
                reg.topic_matcher.add(term, i);
            }
        }
        for (i, v) in reg.versions.iter().enumerate() {
            reg.version_by_key.insert(norm_key(&v.id), i);
            for f in &v.forms {
                reg.version_by_key.entry(norm_key(f)).or_insert(i);
                reg.version_matcher.add(f, i);
            }
        }
        Ok(reg)
    }

    /// A digest of the registry files, recorded in the index so a change can be noticed.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The agency any of whose names is `name` (case, accents and punctuation ignored).
    pub fn agency(&self, name: &str) -> Option<&Agency> {
        if let Some(&i) = self.agency_by_key.get(&norm_key(name)) {
            return Some(&self.agencies[i]);
        }
        // A name a printed record hyphenated at a line break ("Соединенное Коро-левство").
        let joined = unhyphenated(name)?;
        self.agency_by_key
            .get(&norm_key(&joined))
            .map(|&i| &self.agencies[i])
    }

    /// The speaker written as `label`: "Wachholz, Cedric", "**Deniz Susar**", "Mr. Wood".
    pub fn speaker(&self, label: &str) -> Option<&Speaker> {
        let key = strip_honorifics(&norm_key(label));
        if let Some(&i) = self.speaker_by_key.get(&key) {
            return Some(&self.speakers[i]);
        }
        // "Surname, Name" → "Name Surname".
        if let Some((last, first)) = label.split_once(',') {
            let swapped = strip_honorifics(&norm_key(&format!("{first} {last}")));
            if let Some(&i) = self.speaker_by_key.get(&swapped) {
                return Some(&self.speakers[i]);
            }
        }
        None
    }

    /// The topic whose id or label is `name`.
    pub fn topic(&self, name: &str) -> Option<&Topic> {
        self.topic_by_key
            .get(&norm_key(name))
            .map(|&i| &self.topics[i])
    }

    /// The version label whose id or any form is `name` ("Rev.1", "rev one", "rev1").
    pub fn version(&self, name: &str) -> Option<&VersionLabel> {
        self.version_by_key
            .get(&norm_key(name))
            .map(|&i| &self.versions[i])
    }

    /// The order of a version label, for sorting versions of a work (unknown labels last).
    pub fn version_order(&self, id: &str) -> u32 {
        self.version(id).map_or(u32::MAX, |v| v.order)
    }

    /// Topic ids whose terms occur in `text`, in registry order, parents included.
    pub fn topics_in(&self, text: &str) -> Vec<String> {
        self.topics_in_tokens(&Tokens::new(text))
    }

    /// As [`Registry::topics_in`], on a text already cut into words.
    pub fn topics_in_tokens(&self, text: &Tokens) -> Vec<String> {
        let mut hit = vec![false; self.topics.len()];
        for (_, _, t) in self.topic_matcher.find_in(text) {
            hit[t] = true;
        }
        let mut out: Vec<String> = Vec::new();
        for (i, t) in self.topics.iter().enumerate() {
            if hit[i] {
                if let Some(p) = &t.parent {
                    if !out.contains(p) {
                        out.push(p.clone());
                    }
                }
                out.push(t.id.clone());
            }
        }
        out
    }

    /// Version label ids that `text` refers to ("in Rev One", "the zero draft").
    pub fn versions_in(&self, text: &str) -> Vec<String> {
        self.versions_in_tokens(&Tokens::new(text))
    }

    /// As [`Registry::versions_in`], on a text already cut into words.
    pub fn versions_in_tokens(&self, text: &Tokens) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (_, _, v) in self.version_matcher.find_in(text) {
            let id = &self.versions[v].id;
            if !out.contains(id) {
                out.push(id.clone());
            }
        }
        out
    }

    /// The version a document's masthead declares, the latest in order when several phrases match.
    pub fn version_detected(&self, masthead: &str) -> Option<&VersionLabel> {
        let lower = masthead.to_lowercase();
        self.versions
            .iter()
            .filter(|v| v.detect.iter().any(|d| lower.contains(&d.to_lowercase())))
            .max_by_key(|v| v.order)
    }

    /// Agencies named in `text` with where: (byte start, byte end, agency).
    pub fn agencies_in<'a>(&'a self, text: &str) -> Vec<(usize, usize, &'a Agency)> {
        self.agency_matcher
            .find(text)
            .into_iter()
            .map(|(s, e, i)| (s, e, &self.agencies[i]))
            .collect()
    }

    /// Agencies named in `text`, one passage of a document that names `named`: as
    /// [`Registry::agencies_in`], plus homonym forms where the document supports them
    /// (byte start, byte end, agency index).
    pub fn agencies_in_document(&self, text: &Tokens, named: &Named) -> Vec<(usize, usize, usize)> {
        let mut out = self.agency_matcher.find_in(text);
        out.extend(
            self.variants
                .find_in(text, named)
                .into_iter()
                .filter(|(_, _, g)| *g < self.agencies.len()),
        );
        out.sort();
        out.dedup();
        out
    }

    /// The language a text is written in, by its most frequent words: the language with the most
    /// of them, when it has enough and clearly more than the next.
    pub fn language_of(&self, text: &Tokens) -> Option<&str> {
        let letters: String = text.words.iter().map(|(_, w)| w.as_str()).collect();
        if let Some(script) = Script::mostly(&letters) {
            if let Some(l) = self.languages.iter().find(|l| l.script == Some(script)) {
                return Some(l.code.as_str());
            }
        }
        // A word several languages share ("de", "la") counts for each only in part.
        let mut hits = vec![0usize; self.languages.len()];
        let mut score = vec![0f32; self.languages.len()];
        for w in text.lower.iter().take(400) {
            let ls = self.language_words.get(w).map_or(&[][..], Vec::as_slice);
            for &l in ls {
                hits[l] += 1;
                score[l] += 1.0 / ls.len() as f32;
            }
        }
        let mut order: Vec<usize> = (0..hits.len()).collect();
        order.sort_by(|&a, &b| score[b].total_cmp(&score[a]));
        let (best, next) = (order.first()?, order.get(1));
        let clear = next.is_none_or(|&n| score[*best] > score[n] * 1.5);
        (hits[*best] >= self.language_min_hits && clear)
            .then(|| self.languages[*best].code.as_str())
    }

    /// The language `name` names: its code or its name, in any case ("fr", "French").
    pub fn language(&self, name: &str) -> Option<&LanguageEntry> {
        let key = norm_key(name);
        self.languages
            .iter()
            .find(|l| norm_key(&l.code) == key || norm_key(&l.name) == key)
    }

    /// The language a short text (a query) is written in: the one its script tells, else the
    /// one whose frequent words it holds clearly more of than any other's (one is enough:
    /// "derechos humanos", "Pacte numérique mondial"); `None` when nothing tells.
    pub fn query_language(&self, text: &str) -> Option<&str> {
        let tokens = Tokens::new(text);
        let letters: String = tokens.words.iter().map(|(_, w)| w.as_str()).collect();
        if let Some(script) = Script::mostly(&letters) {
            return self
                .languages
                .iter()
                .find(|l| l.script == Some(script))
                .map(|l| l.code.as_str());
        }
        let mut score = vec![0f32; self.languages.len()];
        for w in &tokens.lower {
            let ls = self.language_words.get(w).map_or(&[][..], Vec::as_slice);
            for &l in ls {
                score[l] += 1.0 / ls.len() as f32;
            }
        }
        let mut order: Vec<usize> = (0..score.len()).collect();
        order.sort_by(|&a, &b| score[b].total_cmp(&score[a]));
        let (best, next) = (*order.first()?, order.get(1).map_or(0.0, |&n| score[n]));
        (score[best] >= 1.0 && score[best] > next * 1.5).then(|| self.languages[best].code.as_str())
    }

    /// Speakers named in `text` by any of their forms: (byte start, byte end, speaker index).
    pub fn speakers_in(&self, text: &Tokens) -> Vec<(usize, usize, usize)> {
        self.speaker_matcher.find_in(text)
    }
}

/// `name` with each hyphen between two lower-case letters taken out, when it has one.
fn unhyphenated(name: &str) -> Option<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len());
    let mut changed = false;
    for (i, &c) in chars.iter().enumerate() {
        let between = c == '-'
            && i > 0
            && chars[i - 1].is_lowercase()
            && chars.get(i + 1).is_some_and(|n| n.is_lowercase());
        if between {
            changed = true;
        } else {
            out.push(c);
        }
    }
    changed.then_some(out)
}

fn strip_honorifics(key: &str) -> String {
    let mut k = key;
    loop {
        let before = k;
        for h in HONORIFICS {
            if let Some(rest) = k.strip_prefix(h).and_then(|r| r.strip_prefix(' ')) {
                k = rest;
            }
        }
        if k == before {
            return k.to_string();
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_agency_id_given_twice_is_refused_with_the_file_named() {
        let mut texts: Vec<(String, String)> = EMBEDDED
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        texts[0]
            .1
            .push_str("\n[[agency]]\nid = \"WHO\"\naliases = [\"World Health Org\"]\n");
        let Err(e) = Registry::from_texts(&texts) else {
            panic!("a duplicate id is refused");
        };
        let msg = e.to_string();
        assert!(
            msg.contains("agencies.toml") && msg.contains("\"WHO\" is given twice"),
            "{msg}"
        );
    }

    #[test]
    fn agencies_by_any_alias() {
        let r = Registry::embedded();
        // In another official language, and hyphenated at a printed line's end.
        assert_eq!(
            r.agency("Fédération de Russie").unwrap().id,
            "Russian Federation"
        );
        assert_eq!(r.agency("中国").unwrap().id, "China");
        assert_eq!(
            r.agency("Соединенное Коро-левство").unwrap().id,
            "United Kingdom of Great Britain and Northern Ireland"
        );
        assert_eq!(r.agency("HCDH").unwrap().id, "OHCHR");
        assert_eq!(r.agency("who").unwrap().id, "WHO");
        assert_eq!(r.agency("World Health Organization").unwrap().id, "WHO");
        assert_eq!(
            r.agency("United States").unwrap().id,
            "United States of America"
        );
        assert!(r.agency("nobody at all").is_none());
    }

    #[test]
    fn speaker_name_forms() {
        let r = Registry::embedded();
        assert_eq!(
            r.speaker("Wachholz, Cedric").unwrap().name,
            "Cedric Wachholz"
        );
        assert_eq!(r.speaker("**Deniz Susar**").unwrap().name, "Deniz Susar");
        assert_eq!(r.speaker("Ambassador Janina").unwrap().name, "Suela Janina");
    }

    #[test]
    fn topics_respect_acronym_case() {
        let r = Registry::embedded();
        let t = r.topics_in("those who need capacity building");
        assert!(t.contains(&"capacity-building".to_string()));
        assert!(
            !t.contains(&"health".to_string()),
            "the pronoun `who` is not WHO: {t:?}"
        );
        assert!(r.topics_in("WHO said").contains(&"health".to_string()));
        assert!(r
            .topics_in("gendered impacts")
            .contains(&"gender".to_string()));
    }

    #[test]
    fn versions_as_speech_recognition_writes_them() {
        let r = Registry::embedded();
        assert_eq!(r.versions_in("how you see Rev one"), vec!["rev1"]);
        assert_eq!(
            r.versions_in("in the reg one and the zero draft"),
            vec!["rev1", "zero-draft"]
        );
        assert_eq!(r.version("Rev.2").unwrap().id, "rev2");
    }
}
