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
use crate::query::search::{self, SearchError, SearchRequest};
use crate::text::norm_key;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{Order, Searcher, TantivyDocument, Term};

/// How a paragraph changed from the previous version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Unchanged,
    Edited,
    Moved,
    Split,
    Merged,
    New,
    Deleted,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Unchanged => "unchanged",
            Status::Edited => "edited",
            Status::Moved => "moved",
            Status::Split => "split",
            Status::Merged => "merged",
            Status::New => "new",
            Status::Deleted => "deleted",
        }
    }
}

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
    fn as_ref(&self) -> VersionRef {
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
    let ids = search::indexed_values(&searcher, idx.fields.work)?;
    let mut out = Vec::new();
    for id in ids {
        let w = load(idx, &searcher, &id)?;
        let Some(last) = w.versions.last() else {
            continue;
        };
        out.push(WorkSummary {
            title: last.doc.title.clone(),
            work: w.id.clone(),
            versions: w.versions.iter().map(Version::as_ref).collect(),
        });
    }
    Ok(out)
}

/// The work `name` names: a work id, or the id or symbol of one of its documents.
pub fn find(idx: &TravauxIndex, searcher: &Searcher, name: &str) -> Result<Work, SearchError> {
    let works = search::indexed_values(searcher, idx.fields.work)?;
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

/// Words of a paragraph as the index analyses them (so "Recalling" and "Recalls" align).
fn tokens(text: &str) -> Vec<String> {
    crate::text::analysis::analyzed(text)
        .into_iter()
        .map(|t| t.text)
        .collect()
}

/// Words as numbers, the same number for the same word in both versions: pairs of them hash
/// and compare as one machine word.
fn interned(paras: &[StoredPassage], words: &mut FxHashMap<String, u32>) -> Vec<Vec<u32>> {
    paras
        .iter()
        .map(|p| {
            tokens(&p.text)
                .into_iter()
                .map(|w| {
                    let n = words.len() as u32;
                    *words.entry(w).or_insert(n)
                })
                .collect()
        })
        .collect()
}

/// A paragraph's pairs of consecutive words (its one word, for a one-word paragraph).
fn bigrams(ws: &[u32]) -> FxHashSet<u64> {
    if ws.len() == 1 {
        return [(u64::from(ws[0]) << 32) | u64::from(u32::MAX)]
            .into_iter()
            .collect();
    }
    ws.windows(2)
        .map(|w| (u64::from(w[0]) << 32) | u64::from(w[1]))
        .collect()
}

/// How the paragraphs of an older version map onto a newer one.
#[derive(Debug, Clone)]
pub struct Alignment {
    /// For each new paragraph: its predecessors (old indices) and its status.
    pub pred: Vec<Vec<usize>>,
    pub status: Vec<Status>,
    /// For each old paragraph: its successors (new indices).
    pub succ: Vec<Vec<usize>>,
    /// For each new paragraph: how alike it is to its predecessors (0–1).
    pub similarity: Vec<f32>,
}

/// A pair must share at least this share of word pairs (Dice) to be one paragraph.
const MATCH: f32 = 0.4;
/// Between the same kept neighbours, a rewritten paragraph needs only this much.
const GAP_MATCH: f32 = 0.2;
/// A paragraph split off (or merged in) must find this share of its word pairs in the other.
const CONTAINED: f32 = 0.6;

/// Aligns the paragraphs of `old` with those of `new`.
pub fn align(old: &[StoredPassage], new: &[StoredPassage]) -> Alignment {
    let mut words = FxHashMap::default();
    let ot = interned(old, &mut words);
    let nt = interned(new, &mut words);
    let ob: Vec<FxHashSet<u64>> = ot.iter().map(|t| bigrams(t)).collect();
    let nb: Vec<FxHashSet<u64>> = nt.iter().map(|t| bigrams(t)).collect();
    // Candidate pairs through shared word pairs.
    let mut postings: FxHashMap<u64, Vec<usize>> = FxHashMap::default();
    for (i, b) in ob.iter().enumerate() {
        for g in b {
            postings.entry(*g).or_default().push(i);
        }
    }
    let mut shared: FxHashMap<(usize, usize), usize> = FxHashMap::default();
    for (j, b) in nb.iter().enumerate() {
        for g in b {
            for &i in postings.get(g).into_iter().flatten() {
                *shared.entry((i, j)).or_default() += 1;
            }
        }
    }
    let dice =
        |i: usize, j: usize, s: usize| 2.0 * s as f32 / (ob[i].len() + nb[j].len()).max(1) as f32;
    let rel = |i: usize, j: usize| {
        (i as f32 / old.len().max(1) as f32 - j as f32 / new.len().max(1) as f32).abs()
    };
    let mut pairs: Vec<(f32, f32, usize, usize)> = shared
        .iter()
        .map(|(&(i, j), &s)| (dice(i, j, s), rel(i, j), i, j))
        .filter(|p| p.0 >= MATCH)
        .collect();
    // Best first; among equals, the pair nearer in position (boilerplate openings repeat),
    // then the earlier, so that the same versions always align the same way.
    pairs.sort_by(|a, b| {
        let (ra, rb) = ((a.0 * 100.0).round(), (b.0 * 100.0).round());
        rb.total_cmp(&ra)
            .then(a.1.total_cmp(&b.1))
            .then((a.2, a.3).cmp(&(b.2, b.3)))
    });
    let mut pred: Vec<Vec<usize>> = vec![Vec::new(); new.len()];
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); old.len()];
    let mut similarity = vec![0.0f32; new.len()];
    for (d, _, i, j) in pairs {
        if succ[i].is_empty() && pred[j].is_empty() {
            succ[i].push(j);
            pred[j].push(i);
            similarity[j] = d;
        }
    }
    // A paragraph rewritten more heavily still stands where it stood: between the same kept
    // neighbours. Pair what is left in each gap when the two still share enough.
    let anchors: Vec<(usize, usize)> = {
        let matched: Vec<(usize, usize)> = (0..new.len())
            .filter(|&j| !pred[j].is_empty())
            .map(|j| (pred[j][0], j))
            .collect();
        let kept = longest_increasing(&matched.iter().map(|p| p.0).collect::<Vec<_>>());
        let mut a: Vec<(usize, usize)> = matched
            .into_iter()
            .enumerate()
            .filter(|(k, _)| kept.contains(k))
            .map(|(_, p)| p)
            .collect();
        a.sort_unstable();
        a
    };
    let mut in_gaps: Vec<(f32, usize, usize)> = Vec::new();
    for i in (0..old.len()).filter(|&i| succ[i].is_empty()) {
        let lo = anchors
            .iter()
            .rev()
            .find(|a| a.0 < i)
            .map_or(0, |a| a.1 + 1);
        let hi = anchors.iter().find(|a| a.0 > i).map_or(new.len(), |a| a.1);
        for j in (lo..hi).filter(|&j| pred[j].is_empty()) {
            let s = shared.get(&(i, j)).copied().unwrap_or(0);
            let d = dice(i, j, s);
            if d >= GAP_MATCH {
                in_gaps.push((d, i, j));
            }
        }
    }
    in_gaps.sort_by(|a, b| b.0.total_cmp(&a.0).then((a.1, a.2).cmp(&(b.1, b.2))));
    for (d, i, j) in in_gaps {
        if succ[i].is_empty() && pred[j].is_empty() {
            succ[i].push(j);
            pred[j].push(i);
            similarity[j] = d;
        }
    }
    let contained = |part: &FxHashSet<u64>, whole: &FxHashSet<u64>| {
        part.iter().filter(|g| whole.contains(*g)).count() as f32 / part.len().max(1) as f32
    };
    let mut status = vec![Status::New; new.len()];
    // Split: an unmatched new paragraph drawn from an old one that already has a successor.
    for j in 0..new.len() {
        if !pred[j].is_empty() {
            continue;
        }
        let best = (0..old.len())
            .filter(|&i| !succ[i].is_empty())
            .map(|i| (contained(&nb[j], &ob[i]), i))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((c, i)) = best.filter(|b| b.0 >= CONTAINED) {
            for &k in &succ[i] {
                status[k] = Status::Split;
            }
            succ[i].push(j);
            pred[j].push(i);
            status[j] = Status::Split;
            similarity[j] = c;
        }
    }
    // Merged: an unmatched old paragraph taken into a new one that already has a predecessor.
    for i in 0..old.len() {
        if !succ[i].is_empty() {
            continue;
        }
        let best = (0..new.len())
            .filter(|&j| !pred[j].is_empty() && status[j] != Status::Split)
            .map(|j| (contained(&ob[i], &nb[j]), j))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((_, j)) = best.filter(|b| b.0 >= CONTAINED) {
            succ[i].push(j);
            pred[j].push(i);
            status[j] = Status::Merged;
        }
    }
    // One-to-one pairs: unchanged or edited, and moved when out of the order the rest keep.
    let one_to_one: Vec<(usize, usize)> = (0..new.len())
        .filter(|&j| pred[j].len() == 1 && status[j] == Status::New)
        .map(|j| (pred[j][0], j))
        .collect();
    let kept = longest_increasing(&one_to_one.iter().map(|p| p.0).collect::<Vec<_>>());
    for (k, &(i, j)) in one_to_one.iter().enumerate() {
        status[j] = if !kept.contains(&k) {
            Status::Moved
        } else if ot[i] == nt[j] {
            Status::Unchanged
        } else {
            Status::Edited
        };
    }
    Alignment {
        pred,
        status,
        succ,
        similarity,
    }
}

/// Positions (into `xs`) of one longest strictly increasing subsequence.
fn longest_increasing(xs: &[usize]) -> HashSet<usize> {
    let n = xs.len();
    let mut len = vec![1usize; n];
    let mut prev = vec![usize::MAX; n];
    for k in 0..n {
        for m in 0..k {
            if xs[m] < xs[k] && len[m] + 1 > len[k] {
                len[k] = len[m] + 1;
                prev[k] = m;
            }
        }
    }
    let mut out = HashSet::new();
    let mut k = (0..n).max_by_key(|&k| len[k]);
    while let Some(i) = k {
        out.insert(i);
        k = (prev[i] != usize::MAX).then_some(prev[i]);
    }
    out
}

/// A stretch of a word-level diff.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Change {
    /// `equal`, `insert` or `delete`.
    pub op: &'static str,
    pub text: String,
}

/// The word-level difference from `old` to `new`, read as a person reads a redline: a
/// rewritten stretch is one deletion and one insertion, not a word-by-word interleaving around
/// the "the"s and "of"s the two happen to share.
pub fn word_diff(old: &str, new: &str) -> Vec<Change> {
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .diff_words(old, new);
    let mut raw: Vec<Change> = Vec::new();
    for c in diff.iter_all_changes() {
        let op = match c.tag() {
            similar::ChangeTag::Equal => "equal",
            similar::ChangeTag::Insert => "insert",
            similar::ChangeTag::Delete => "delete",
        };
        match raw.last_mut() {
            Some(last) if last.op == op => last.text.push_str(c.value()),
            _ => raw.push(Change {
                op,
                text: c.value().to_string(),
            }),
        }
    }
    // A short common stretch between two changes joins them.
    let short = |c: &Change| c.op == "equal" && c.text.split_whitespace().count() <= 2;
    let mut out: Vec<Change> = Vec::new();
    let (mut del, mut ins) = (String::new(), String::new());
    for k in 0..raw.len() {
        let c = &raw[k];
        let inside = k > 0 && k + 1 < raw.len() && (!del.is_empty() || !ins.is_empty());
        if c.op == "equal" && !(inside && short(c)) {
            flush(&mut out, &mut del, &mut ins);
            out.push(c.clone());
            continue;
        }
        if c.op != "insert" {
            del.push_str(&c.text);
        }
        if c.op != "delete" {
            ins.push_str(&c.text);
        }
    }
    flush(&mut out, &mut del, &mut ins);
    out
}

fn flush(out: &mut Vec<Change>, del: &mut String, ins: &mut String) {
    if !del.is_empty() {
        out.push(Change {
            op: "delete",
            text: std::mem::take(del),
        });
    }
    if !ins.is_empty() {
        out.push(Change {
            op: "insert",
            text: std::mem::take(ins),
        });
    }
}

/// A paragraph as a diff or lineage names it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ParaRef {
    pub id: String,
    pub paragraph: Option<String>,
    pub section: Option<String>,
}

fn para_ref(p: &StoredPassage) -> ParaRef {
    ParaRef {
        id: p.id.clone(),
        paragraph: p.locator.paragraph.clone(),
        section: p.locator.section.clone(),
    }
}

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
    pub paragraphs: Vec<ParagraphDiff>,
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
        from: a.as_ref(),
        to: b.as_ref(),
        counts,
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
            version: version.as_ref(),
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
