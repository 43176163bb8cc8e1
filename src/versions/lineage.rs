//! Versions of a work and how their paragraphs descend from one another. A work (the WSIS+20
//! outcome, a committee resolution) has versions ordered by the version registry's order, then
//! date: zero draft, Rev.1, …, the adopted text. Each version's paragraphs are aligned with the
//! previous version's, whatever their numbers: a paragraph is `unchanged`, `edited`, `moved`
//! (out of the order the others keep), `split` (one paragraph became several), `merged`
//! (several became one) or `new`, and a paragraph of the older version with no successor is
//! `deleted`. From that come a work's diff between two versions, word by word, and a
//! paragraph's lineage through every version.
//!
//! Alignments are computed from the index when asked, so adding a version of a work needs no
//! re-indexing of the others.

use crate::index::{DocumentRef, StoredPassage, TravauxIndex};
use crate::query::search::SearchError;
use crate::text::norm_key;
use crate::versions::align::{align, para_ref, word_diff, Alignment, Change, ParaRef, Status};
use serde::Serialize;
use std::collections::BTreeMap;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Order, Searcher, TantivyDocument, Term};

/// One version of a work: a document and its paragraphs in order.
#[derive(Debug, Clone)]
pub struct Version {
    pub doc: DocumentRef,
    pub order: u32,
    pub paragraphs: Vec<StoredPassage>,
}

/// A work with its versions, oldest first.
#[derive(Debug, Clone)]
pub struct Work {
    pub id: String,
    pub versions: Vec<Version>,
}

/// A version as results name it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VersionRef {
    pub doc: String,
    pub symbol: Option<String>,
    pub version: Option<String>,
    pub date: Option<crate::model::Date>,
    pub paragraphs: usize,
}

impl Version {
    /// The version as answers name it.
    pub fn reference(&self) -> VersionRef {
        VersionRef {
            doc: self.doc.id.clone(),
            symbol: self.doc.symbol.clone(),
            version: self.doc.version.clone(),
            date: self.doc.date,
            paragraphs: self.paragraphs.len(),
        }
    }
}

/// A work as listed by `GET /api/works`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WorkSummary {
    pub work: String,
    pub title: String,
    pub versions: Vec<VersionRef>,
}

/// Every work that has a resolution or draft in the index.
pub fn works(idx: &TravauxIndex) -> Result<Vec<WorkSummary>, SearchError> {
    let searcher = idx.reader.searcher();
    let ids = crate::index::indexed_values(&searcher, idx.fields.work)?;
    let mut out = Vec::new();
    for id in ids {
        let w = load(idx, &searcher, &id)?;
        let Some(last) = w.versions.last() else {
            continue;
        };
        out.push(WorkSummary {
            title: last.doc.title.clone(),
            work: w.id.clone(),
            versions: w.versions.iter().map(Version::reference).collect(),
        });
    }
    Ok(out)
}

/// The work `name` names: a work id, or the id or symbol of one of its documents.
pub fn find(idx: &TravauxIndex, searcher: &Searcher, name: &str) -> Result<Work, SearchError> {
    let works = crate::index::indexed_values(searcher, idx.fields.work)?;
    if let Some(w) = works.iter().find(|w| norm_key(w) == norm_key(name)) {
        return load(idx, searcher, w);
    }
    // A document of the work, by id or symbol.
    for field in [idx.fields.doc_id, idx.fields.symbol] {
        let q = TermQuery::new(
            Term::from_field_text(field, name.trim()),
            IndexRecordOption::Basic,
        );
        if let Some((_, a)) = searcher
            .search(&q, &TopDocs::with_limit(1).order_by_score())?
            .first()
        {
            let p = idx.from_doc(&searcher.doc::<TantivyDocument>(*a)?);
            if let Some(w) = p.document.work {
                return load(idx, searcher, &w);
            }
            return Err(SearchError::NotFound(format!(
                "document `{name}` belongs to no work (only resolutions and drafts have versions)"
            )));
        }
    }
    let suggestions = crate::text::closest(name, works.iter().map(String::as_str), 5);
    Err(SearchError::UnknownValue {
        field: "work",
        value: name.to_string(),
        suggestions,
    })
}

fn load(idx: &TravauxIndex, searcher: &Searcher, work: &str) -> Result<Work, SearchError> {
    let q = TermQuery::new(
        Term::from_field_text(idx.fields.work, work),
        IndexRecordOption::Basic,
    );
    let n = searcher.search(&q, &Count)?;
    let mut by_doc: BTreeMap<String, Version> = BTreeMap::new();
    if n > 0 {
        let top = searcher.search(
            &q,
            &TopDocs::with_limit(n).order_by_u64_field("order", Order::Asc),
        )?;
        for (_, a) in top {
            let p = idx.from_doc(&searcher.doc::<TantivyDocument>(a)?);
            // Versions are UN documents (a symbol); meetings and submissions about a work are not.
            let is_version = p.document.kind == Some(crate::model::Kind::Resolution)
                || (p.document.kind == Some(crate::model::Kind::Submission)
                    && p.document.symbol.is_some());
            if !is_version {
                continue;
            }
            // A document issued without a version label is the first issue.
            let order = p
                .document
                .version
                .as_deref()
                .map_or(0, |v| idx.registry.version_order(v));
            by_doc
                .entry(p.document.id.clone())
                .or_insert_with(|| Version {
                    doc: p.document.clone(),
                    order,
                    paragraphs: Vec::new(),
                })
                .paragraphs
                .push(p);
        }
    }
    let mut versions: Vec<Version> = by_doc.into_values().collect();
    for v in &mut versions {
        v.paragraphs.sort_by_key(|p| p.seq);
    }
    // The same text in another language is a language version, not a version: the work's
    // versions are those in English where it has them, else in its most common language.
    let language = |v: &Version| v.paragraphs.first().and_then(|p| p.language.clone());
    let mut counts: BTreeMap<Option<String>, usize> = BTreeMap::new();
    for v in &versions {
        *counts.entry(language(v)).or_default() += 1;
    }
    if counts.len() > 1 {
        let main = if counts.contains_key(&Some("en".to_string())) {
            Some("en".to_string())
        } else {
            counts
                .iter()
                .max_by_key(|(_, n)| **n)
                .and_then(|(l, _)| l.clone())
        };
        versions.retain(|v| language(v) == main);
    }
    versions.sort_by(|a, b| {
        (a.order, a.doc.date, &a.doc.symbol).cmp(&(b.order, b.doc.date, &b.doc.symbol))
    });
    Ok(Work {
        id: work.to_string(),
        versions,
    })
}

impl Work {
    /// The version `name` names: a version label in any of its forms, a symbol or a document id.
    pub fn version(
        &self,
        idx: &TravauxIndex,
        name: &str,
        param: &'static str,
    ) -> Result<usize, SearchError> {
        let label = idx.registry.version(name).map(|v| v.id.clone());
        let key = norm_key(name);
        let found = self.versions.iter().position(|v| {
            label.is_some() && v.doc.version == label
                || v.doc.symbol.as_deref().is_some_and(|s| norm_key(s) == key)
                || norm_key(&v.doc.id) == key
        });
        found.ok_or_else(|| {
            let have: Vec<String> = self
                .versions
                .iter()
                .map(|v| {
                    format!(
                        "{} ({})",
                        v.doc.version.as_deref().unwrap_or("?"),
                        v.doc.symbol.as_deref().unwrap_or(&v.doc.id)
                    )
                })
                .collect();
            SearchError::BadParam {
                param,
                message: format!(
                    "`{name}` is not a version of {}: it has {}",
                    self.id,
                    have.join(", ")
                ),
            }
        })
    }
}

/// One version's part in a paragraph's lineage.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Step {
    pub version: VersionRef,
    /// The paragraph(s) in this version (several after a split); empty once deleted.
    pub paragraphs: Vec<ParaRef>,
    /// How it changed from the previous step (`None` for the first).
    pub status: Option<Status>,
    /// The word-level change from the previous step's text.
    pub changes: Vec<Change>,
    pub text: String,
}

/// A paragraph through every version of its work.
#[derive(Debug, Serialize)]
pub struct Lineage {
    pub work: String,
    pub passage: String,
    pub steps: Vec<Step>,
}

/// The chain of the paragraph `passage_id` through its work's versions, oldest first.
pub fn lineage(idx: &TravauxIndex, passage_id: &str) -> Result<Lineage, SearchError> {
    let searcher = idx.reader.searcher();
    // A paragraph as the document prints it (`A/RES/80/173:78`) names its passage too.
    let named = idx.passage_named(&searcher, passage_id);
    let passage_id = named.as_deref().unwrap_or(passage_id);
    let (doc, seq) = passage_id
        .rsplit_once(':')
        .and_then(|(d, s)| Some((d, s.parse::<u32>().ok()?)))
        .ok_or_else(|| {
            SearchError::NotFound(format!(
                "`{passage_id}` is not a passage id: expected document:number"
            ))
        })?;
    let w = find(idx, &searcher, doc).map_err(|e| match e {
        SearchError::UnknownValue { .. } => {
            SearchError::NotFound(format!("no passage `{passage_id}`"))
        }
        e => e,
    })?;
    let at = w
        .versions
        .iter()
        .position(|v| v.doc.id == doc)
        .ok_or_else(|| SearchError::NotFound(format!("no passage `{passage_id}`")))?;
    let start = w.versions[at]
        .paragraphs
        .iter()
        .position(|p| p.seq == seq)
        .ok_or_else(|| SearchError::NotFound(format!("no passage `{passage_id}`")))?;
    let aligns: Vec<Alignment> = w
        .versions
        .windows(2)
        .map(|p| align(&p[0].paragraphs, &p[1].paragraphs))
        .collect();
    // Indices of the paragraph in each version.
    let mut sets: Vec<Vec<usize>> = vec![Vec::new(); w.versions.len()];
    sets[at] = vec![start];
    for v in (0..at).rev() {
        let mut s: Vec<usize> = sets[v + 1]
            .iter()
            .flat_map(|&j| aligns[v].pred[j].iter().copied())
            .collect();
        s.sort_unstable();
        s.dedup();
        sets[v] = s;
    }
    for v in at + 1..w.versions.len() {
        let mut s: Vec<usize> = sets[v - 1]
            .iter()
            .flat_map(|&i| aligns[v - 1].succ[i].iter().copied())
            .collect();
        s.sort_unstable();
        s.dedup();
        sets[v] = s;
    }
    // The chain starts where the paragraph first appears.
    let first = (0..=at).find(|&v| !sets[v].is_empty()).unwrap_or(at);
    let mut steps = Vec::new();
    let mut prev_text: Option<String> = None;
    for v in first..w.versions.len() {
        let version = &w.versions[v];
        let text: Vec<&str> = sets[v]
            .iter()
            .map(|&i| version.paragraphs[i].text.as_str())
            .collect();
        let text = text.join("\n");
        let status = (v > first).then(|| {
            if sets[v].is_empty() {
                Status::Deleted
            } else {
                sets[v]
                    .iter()
                    .map(|&j| aligns[v - 1].status[j])
                    .max()
                    .unwrap_or(Status::New)
            }
        });
        let changes = match &prev_text {
            Some(p) => word_diff(p, &text),
            None => Vec::new(),
        };
        steps.push(Step {
            version: version.reference(),
            paragraphs: sets[v]
                .iter()
                .map(|&i| para_ref(&version.paragraphs[i]))
                .collect(),
            status,
            changes,
            text: text.clone(),
        });
        if sets[v].is_empty() {
            break;
        }
        prev_text = Some(text);
    }
    Ok(Lineage {
        work: w.id,
        passage: passage_id.to_string(),
        steps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::DocumentRef;
    use proptest::prelude::*;

    fn para(seq: usize, text: &str) -> StoredPassage {
        StoredPassage {
            id: format!("d:{seq}"),
            document: DocumentRef {
                id: "d".into(),
                title: "t".into(),
                kind: None,
                symbol: None,
                work: None,
                version: None,
                date: None,
                author: None,
                source: "d.txt".into(),
            },
            seq: seq as u32,
            speaker: None,
            speaker_label: None,
            agency: None,
            evidence: Default::default(),
            confidence: 1.0,
            topics: Vec::new(),
            versions: Vec::new(),
            locator: Default::default(),
            text: text.to_string(),
            members: Vec::new(),
            language: None,
            role: None,
            footnotes: Vec::new(),
            original_language: None,
            cites: Vec::new(),
            hash: String::new(),
        }
    }

    /// Paragraph `i` of `lens.len()`, of `lens[i]` words that no other paragraph uses.
    fn paragraphs(lens: &[usize]) -> Vec<String> {
        lens.iter()
            .enumerate()
            .map(|(i, n)| {
                (0..*n)
                    .map(|k| format!("term{}q{}", to_letters(i), to_letters(k)))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    /// Letters only, so the analyzer keeps each word whole.
    fn to_letters(mut n: usize) -> String {
        let mut s = String::new();
        loop {
            s.push((b'a' + (n % 26) as u8) as char);
            n /= 26;
            if n == 0 {
                return s;
            }
        }
    }

    fn longest_increasing_len(xs: &[usize]) -> usize {
        let mut best = vec![1; xs.len()];
        for i in 0..xs.len() {
            for j in 0..i {
                if xs[j] < xs[i] {
                    best[i] = best[i].max(best[j] + 1);
                }
            }
        }
        best.into_iter().max().unwrap_or(0)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// A version against itself: every paragraph unchanged, each its own predecessor.
        #[test]
        fn a_text_against_itself_is_all_unchanged(lens in prop::collection::vec(4usize..30, 1..25)) {
            let ps: Vec<StoredPassage> =
                paragraphs(&lens).iter().enumerate().map(|(i, t)| para(i, t)).collect();
            let a = align(&ps, &ps);
            for (j, s) in a.status.iter().enumerate() {
                prop_assert_eq!(*s, Status::Unchanged);
                prop_assert_eq!(&a.pred[j], &vec![j]);
            }
        }

        /// The same paragraphs in another order: each finds its predecessor; those that keep
        /// their relative order (the longest increasing run) are unchanged, the others moved.
        #[test]
        fn a_permutation_is_all_moved(
            perm in prop::collection::vec(4usize..30, 2..20).prop_flat_map(|lens| {
                let n = lens.len();
                (Just(lens), Just((0..n).collect::<Vec<_>>()).prop_shuffle())
            })
        ) {
            let (lens, order) = perm;
            let texts = paragraphs(&lens);
            let old: Vec<StoredPassage> = texts.iter().enumerate().map(|(i, t)| para(i, t)).collect();
            let new: Vec<StoredPassage> =
                order.iter().enumerate().map(|(j, &i)| para(j, &texts[i])).collect();
            let a = align(&old, &new);
            for (j, &i) in order.iter().enumerate() {
                prop_assert_eq!(&a.pred[j], &vec![i]);
                prop_assert!(matches!(a.status[j], Status::Unchanged | Status::Moved));
            }
            let kept = a.status.iter().filter(|s| **s == Status::Unchanged).count();
            prop_assert_eq!(kept, longest_increasing_len(&order));
        }

        /// A word diff loses nothing: its equal and deleted stretches spell the old text, its
        /// equal and inserted stretches the new one; a text against itself is one equal stretch.
        #[test]
        fn a_word_diff_spells_both_texts(
            old in "[a-z]{1,6}( [a-z]{1,6}){0,20}",
            new in "[a-z]{1,6}( [a-z]{1,6}){0,20}",
        ) {
            let d = word_diff(&old, &new);
            let spell = |skip: &str| d.iter().filter(|c| c.op != skip).map(|c| c.text.as_str()).collect::<String>();
            prop_assert_eq!(spell("insert"), old.clone());
            prop_assert_eq!(spell("delete"), new);
            let same = word_diff(&old, &old);
            prop_assert_eq!(same.len(), 1);
            prop_assert_eq!(same[0].op, "equal");
        }
    }
}
