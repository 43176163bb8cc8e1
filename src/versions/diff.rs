//! What changed between two versions of a work: each paragraph's status and its changes word
//! by word, in the newer version's order, narrowed to a topic or a search when asked.

use super::align::{align, para_ref, word_diff, Change, ParaRef, Status};
use super::lineage::{find, VersionRef, Work};
use crate::index::{StoredPassage, TravauxIndex};
use crate::query::search::{self, SearchError, SearchRequest};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use tantivy::Searcher;

/// One entry of a work's diff.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ParagraphDiff {
    pub status: Status,
    /// The paragraph in the newer version (none when deleted).
    pub new: Option<ParaRef>,
    /// Its predecessors in the older version.
    pub old: Vec<ParaRef>,
    #[serde(serialize_with = "crate::model::round4")]
    pub similarity: f32,
    pub changes: Vec<Change>,
}

/// A work's diff between two versions, in the newer version's order.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WorkDiff {
    pub work: String,
    pub from: VersionRef,
    pub to: VersionRef,
    /// Entries by status, over the whole diff (before narrowing).
    pub counts: BTreeMap<Status, usize>,
    /// The documents the newer version cites that the older did not, and those it no longer
    /// cites (over the whole text, before narrowing).
    pub citations: CitationChanges,
    pub paragraphs: Vec<ParagraphDiff>,
}

/// The citations one version adds or drops against another.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct CitationChanges {
    pub added: Vec<String>,
    pub dropped: Vec<String>,
}

impl CitationChanges {
    /// What `new` cites and `old` did not, and the reverse, each in its text's order.
    pub fn between(old: &[StoredPassage], new: &[StoredPassage]) -> CitationChanges {
        let keys = |ps: &[StoredPassage]| {
            let mut out: Vec<String> = Vec::new();
            for k in ps.iter().flat_map(|p| &p.cites) {
                if !out.contains(&k.key) {
                    out.push(k.key.clone());
                }
            }
            out
        };
        let (old, new) = (keys(old), keys(new));
        CitationChanges {
            added: new.iter().filter(|k| !old.contains(k)).cloned().collect(),
            dropped: old.iter().filter(|k| !new.contains(k)).cloned().collect(),
        }
    }
}

/// What narrows a diff to the paragraphs about something.
#[derive(Debug, Default, Clone)]
pub struct Narrow {
    pub topic: Option<String>,
    pub q: Option<String>,
}

/// The diff of `work` from version `from` to version `to` (defaults: the one before `to`, and
/// the latest).
pub fn diff(
    idx: &TravauxIndex,
    work: &str,
    from: Option<&str>,
    to: Option<&str>,
    narrow: &Narrow,
) -> Result<WorkDiff, SearchError> {
    let searcher = idx.reader.searcher();
    let w = find(idx, &searcher, work)?;
    if w.versions.len() < 2 {
        return Err(SearchError::NotFound(format!(
            "work {} has one version in the index: nothing to compare",
            w.id
        )));
    }
    let to = match to {
        Some(t) => w.version(idx, t, "to")?,
        None => w.versions.len() - 1,
    };
    let from = match from {
        Some(f) => w.version(idx, f, "from")?,
        None if to > 0 => to - 1,
        None => {
            return Err(SearchError::BadParam {
                param: "to",
                message: "the first version has no earlier one: give `from`".into(),
            })
        }
    };
    if from == to {
        return Err(SearchError::BadParam {
            param: "from",
            message: "`from` and `to` are the same version".into(),
        });
    }
    diff_versions(idx, &searcher, &w, from, to, narrow)
}

/// The diff of a loaded work from its version `from` to its version `to` (indices into
/// `w.versions`).
pub fn diff_versions(
    idx: &TravauxIndex,
    searcher: &Searcher,
    w: &Work,
    from: usize,
    to: usize,
    narrow: &Narrow,
) -> Result<WorkDiff, SearchError> {
    let (a, b) = (&w.versions[from], &w.versions[to]);
    let al = align(&a.paragraphs, &b.paragraphs);
    let mut entries: Vec<ParagraphDiff> = Vec::new();
    // Deleted paragraphs stand after the new paragraph that follows their nearest kept
    // predecessor.
    let anchor =
        |i: usize| -> Option<usize> { (0..i).rev().find_map(|k| al.succ[k].iter().max().copied()) };
    let deleted: Vec<usize> = (0..a.paragraphs.len())
        .filter(|&i| al.succ[i].is_empty())
        .collect();
    let deleted_entry = |i: usize| ParagraphDiff {
        status: Status::Deleted,
        new: None,
        old: vec![para_ref(&a.paragraphs[i])],
        similarity: 0.0,
        changes: vec![Change {
            op: "delete",
            text: a.paragraphs[i].text.clone(),
        }],
    };
    for &i in deleted.iter().filter(|&&i| anchor(i).is_none()) {
        entries.push(deleted_entry(i));
    }
    for (j, p) in b.paragraphs.iter().enumerate() {
        let old_text: Vec<&str> = al.pred[j]
            .iter()
            .map(|&i| a.paragraphs[i].text.as_str())
            .collect();
        entries.push(ParagraphDiff {
            status: al.status[j],
            new: Some(para_ref(p)),
            old: al.pred[j]
                .iter()
                .map(|&i| para_ref(&a.paragraphs[i]))
                .collect(),
            similarity: (al.similarity[j] * 100.0).round() / 100.0,
            changes: word_diff(&old_text.join("\n"), &p.text),
        });
        for &i in deleted.iter().filter(|&&i| anchor(i) == Some(j)) {
            entries.push(deleted_entry(i));
        }
    }
    let mut counts = BTreeMap::new();
    for e in &entries {
        *counts.entry(e.status).or_default() += 1;
    }
    if narrow.topic.is_some() || narrow.q.is_some() {
        let keep = matching(idx, searcher, &[&a.doc.id, &b.doc.id], narrow)?;
        entries.retain(|e| e.new.iter().chain(&e.old).any(|p| keep.contains(&p.id)));
    }
    Ok(WorkDiff {
        work: w.id.clone(),
        from: a.reference(),
        to: b.reference(),
        counts,
        citations: CitationChanges::between(&a.paragraphs, &b.paragraphs),
        paragraphs: entries,
    })
}

/// Passage ids of `docs` that match the narrowing topic and query.
fn matching(
    idx: &TravauxIndex,
    searcher: &Searcher,
    docs: &[&str],
    narrow: &Narrow,
) -> Result<HashSet<String>, SearchError> {
    let req = SearchRequest {
        q: narrow.q.clone(),
        topic: narrow.topic.iter().cloned().collect(),
        doc: docs.iter().map(|d| d.to_string()).collect(),
        ..SearchRequest::default()
    };
    let mut out = HashSet::new();
    search::for_each_match(idx, searcher, &req, |p| {
        out.insert(p.id);
        true
    })?;
    Ok(out)
}
