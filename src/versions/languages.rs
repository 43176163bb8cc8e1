//! Language versions: the same document in the UN's other languages (one symbol, or one work
//! and version, several languages), and for a passage its counterparts in each of them. A
//! resolution's paragraphs meet by their numbers (`PP3`, `25 (1)`); a meeting's turns by their
//! order, each record opening a turn where its speaker label changes, and within two matched
//! turns the paragraphs by their place in the turn (a translation may cut a statement into
//! more or fewer paragraphs than the original).

use crate::index::{StoredPassage, TravauxIndex};
use crate::query::search::SearchError;
use crate::query::stats::document_passages;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{TantivyDocument, Term};

/// A passage in another language, as the counterparts list gives it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CounterpartPassage {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speaker_label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    pub text: String,
}

/// A passage's counterparts in one other language.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Counterpart {
    pub language: String,
    /// The document in that language.
    pub doc: String,
    pub passages: Vec<CounterpartPassage>,
}

/// A passage with its counterparts in every other language the index holds its document in.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Counterparts {
    pub passage: String,
    pub language: Option<String>,
    pub counterparts: Vec<Counterpart>,
}

/// The language a document is in: the one most of its passages are in.
fn language_of(passages: &[StoredPassage]) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for p in passages {
        if let Some(l) = &p.language {
            *counts.entry(l.as_str()).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|(l, n)| (*n, std::cmp::Reverse(*l)))
        .map(|(l, _)| l.to_string())
}

/// The documents that are `doc`'s language versions (itself left out): those with its symbol,
/// else with its work and version; each with its passages in order and its language.
fn versions_of(
    idx: &TravauxIndex,
    doc: &StoredPassage,
) -> Result<Vec<(String, Vec<StoredPassage>)>, SearchError> {
    let d = &doc.document;
    let searcher = idx.reader.searcher();
    let term = match (&d.symbol, &d.work) {
        (Some(s), _) => Term::from_field_text(idx.fields.symbol, s),
        (None, Some(w)) => Term::from_field_text(idx.fields.work, w),
        (None, None) => return Ok(Vec::new()),
    };
    let q = TermQuery::new(term, IndexRecordOption::Basic);
    let mut ids: Vec<String> = Vec::new();
    // One passage per document is enough to name it; a symbol is shared by a handful.
    for (_, a) in searcher.search(&q, &TopDocs::with_limit(100_000).order_by_score())? {
        let p = idx.from_doc(&searcher.doc::<TantivyDocument>(a)?);
        let same_version = d.symbol.is_some() || p.document.version == d.version;
        if p.document.id != d.id && same_version && !ids.contains(&p.document.id) {
            ids.push(p.document.id);
        }
    }
    ids.sort();
    let mut out = Vec::new();
    for id in ids {
        let ps = document_passages(idx, &id)?;
        if let Some(l) = language_of(&ps) {
            out.push((l, ps));
        }
    }
    Ok(out)
}

/// Each hit with its counterpart in `language` (a language the registry lists), where
/// the index holds the hit's document in it; a hit in that language already has none.
pub fn beside(
    idx: &TravauxIndex,
    hits: &mut [crate::query::search::Hit],
    language: &str,
) -> Result<(), SearchError> {
    // The request was checked before the search (`query::build`): the language is known.
    let Some(code) = idx.registry.language(language).map(|l| l.code.clone()) else {
        return Ok(());
    };
    // Each document and its language versions read once, however many of its passages hit.
    let mut read: HashMap<String, Versions> = HashMap::new();
    for h in hits.iter_mut() {
        if h.passage.language.as_deref() == Some(code.as_str()) {
            continue;
        }
        let doc = &h.passage.document.id;
        if !read.contains_key(doc) {
            read.insert(doc.clone(), Versions::of(idx, doc)?);
        }
        let v = &read[doc];
        let Some(at) = v.mine.iter().position(|p| p.id == h.passage.id) else {
            continue;
        };
        if let Some(l) = v.counterparts(at).into_iter().find(|l| l.language == code) {
            h.beside = l
                .passages
                .into_iter()
                .map(|p| crate::query::search::Beside {
                    language: code.clone(),
                    id: p.id,
                    text: p.text,
                })
                .collect();
        }
    }
    Ok(())
}

/// A document's passages in order, with its versions in the other languages the index holds.
struct Versions {
    mine: Vec<StoredPassage>,
    /// Each other language version: its language and its passages in order.
    others: Vec<(String, Vec<StoredPassage>)>,
}

impl Versions {
    fn of(idx: &TravauxIndex, doc: &str) -> Result<Versions, SearchError> {
        let mine = document_passages(idx, doc)?;
        let others = match mine.first() {
            Some(first) => versions_of(idx, first)?,
            None => Vec::new(),
        };
        Ok(Versions { mine, others })
    }

    /// The counterparts of `mine[at]` in each language other than its own.
    fn counterparts(&self, at: usize) -> Vec<Counterpart> {
        let language = self.mine[at].language.as_ref();
        self.others
            .iter()
            .filter(|(lang, _)| Some(lang) != language)
            .map(|(lang, theirs)| Counterpart {
                doc: theirs[0].document.id.clone(),
                language: lang.clone(),
                passages: align(&self.mine, at, theirs)
                    .into_iter()
                    .map(|i| {
                        let p = &theirs[i];
                        CounterpartPassage {
                            id: p.id.clone(),
                            paragraph: p.locator.paragraph.clone(),
                            speaker_label: p.speaker_label.clone(),
                            agency: p.agency.clone(),
                            text: p.text.clone(),
                        }
                    })
                    .collect(),
            })
            .collect()
    }
}

/// One language version of a document.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LanguageVersion {
    pub language: String,
    pub doc: String,
}

/// The language versions of the document `passages` belong to, itself included, ordered by
/// language; empty when the index holds it in one language only.
pub fn language_versions(
    idx: &TravauxIndex,
    passages: &[StoredPassage],
) -> Result<Vec<LanguageVersion>, SearchError> {
    let Some(first) = passages.first() else {
        return Ok(Vec::new());
    };
    let others = versions_of(idx, first)?;
    if others.is_empty() {
        return Ok(Vec::new());
    }
    let mut out: Vec<LanguageVersion> = others
        .into_iter()
        .map(|(language, ps)| LanguageVersion {
            language,
            doc: ps[0].document.id.clone(),
        })
        .collect();
    if let Some(language) = language_of(passages) {
        out.push(LanguageVersion {
            language,
            doc: first.document.id.clone(),
        });
    }
    out.sort_by(|a, b| (&a.language, &a.doc).cmp(&(&b.language, &b.doc)));
    Ok(out)
}

/// The turns of a meeting: runs of passages under one speaker label, in order. Procedural
/// lines (a vote taken, the meeting opening), which one language's record prints where another
/// leaves them out, are not turns.
fn turns(ps: &[StoredPassage]) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for (i, p) in ps.iter().enumerate() {
        if p.speaker_label.is_none() {
            continue;
        }
        let same =
            i > 0 && p.speaker_label == ps[i - 1].speaker_label && p.agency == ps[i - 1].agency;
        match out.last_mut() {
            Some(t) if same && t.end == i => t.end = i + 1,
            _ => out.push(i..i + 1),
        }
    }
    out
}

/// The passages of `theirs` that are the counterparts of `mine[at]`.
fn align(mine: &[StoredPassage], at: usize, theirs: &[StoredPassage]) -> Vec<usize> {
    // Numbered paragraphs meet by number.
    if let Some(n) = &mine[at].locator.paragraph {
        return theirs
            .iter()
            .enumerate()
            .filter(|(_, p)| p.locator.paragraph.as_ref() == Some(n))
            .map(|(i, _)| i)
            .collect();
    }
    // Turns meet by their order, when both records have as many.
    let (a, b) = (turns(mine), turns(theirs));
    if a.len() != b.len() {
        return Vec::new();
    }
    let Some(k) = a.iter().position(|t| t.contains(&at)) else {
        return Vec::new();
    };
    let (t, u) = (&a[k], &b[k]);
    let (n, m) = (t.len(), u.len());
    let i = at - t.start;
    let from = i * m / n;
    let to = ((i + 1) * m).div_ceil(n).max(from + 1).min(m);
    (u.start + from..u.start + to).collect()
}

/// The counterparts of passage `id` (`document:seq`) in every other language.
pub fn counterparts(idx: &TravauxIndex, id: &str) -> Result<Counterparts, SearchError> {
    let shown = crate::query::stats::show(idx, id, 0)?;
    let focus = shown.focus.clone().ok_or_else(|| SearchError::BadParam {
        param: "id",
        message: format!(
            "`{id}` is a document: give a passage (document:number) to see it in other \
                 languages"
        ),
    })?;
    let v = Versions::of(idx, &shown.document.id)?;
    let at = v
        .mine
        .iter()
        .position(|p| p.id == focus)
        .ok_or_else(|| SearchError::NotFound(format!("no passage `{id}`")))?;
    let language = v.mine[at].language.clone();
    let out = v.counterparts(at);
    Ok(Counterparts {
        passage: focus,
        language,
        counterparts: out,
    })
}
