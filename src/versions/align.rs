//! How the paragraphs of two versions of a work line up, whatever their numbers: each newer
//! paragraph's predecessors (one, several when paragraphs were merged, none when it is new),
//! found by shared words and their order, with the paragraphs that moved out of the order the
//! others keep; and how one paragraph's words changed.

use crate::index::StoredPassage;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use std::collections::HashSet;

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

pub fn para_ref(p: &StoredPassage) -> ParaRef {
    ParaRef {
        id: p.id.clone(),
        paragraph: p.locator.paragraph.clone(),
        section: p.locator.section.clone(),
    }
}
