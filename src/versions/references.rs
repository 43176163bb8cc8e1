//! Statements about a paragraph. Speakers and submissions point at the text under negotiation
//! ("paragraph 37", "para 37", "OP 37", "preambular paragraph 5", "in Rev One"). This module
//! finds those references in a passage and resolves each to the paragraph it means: in the work
//! the statement's document is about (its `work`), in the version it names, or else in the
//! version current at the statement's date. It answers both ways: what a statement refers to,
//! and which statements refer to a paragraph.
//!
//! When the version meant is not in the index (a meeting discussed Rev.1, the index holds only
//! later texts), the reference goes to the nearest version there is, and — paragraph numbers
//! shift by a few between versions — to the nearby paragraph that shares the statement's topics,
//! marked `approximate` with the reason.

use crate::index::{StoredPassage, TravauxIndex};
use crate::model::Kind;
use crate::query::search::SearchError;
use crate::versions::lineage::{self, Work};
use regex::Regex;
use serde::Serialize;
use std::sync::LazyLock;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, TantivyDocument, Term};

/// "paragraph 37", "paras 12 and 14", "operative paragraph 5 (b)", "preambular paragraph 3".
static WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(operative\s+paragraphs?|preambular\s+paragraphs?|paragraphs?|paras?\.?)\s+(\d{1,3}(?:\s*\([a-z]\))?(?:\s*(?:,|and|&)\s*\d{1,3}(?:\s*\([a-z]\))?)*)",
    )
    .expect("valid pattern")
});
/// "OP 37", "PP5" (capitals only: "op" and "pp" are also ordinary abbreviations).
static SHORT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(OP|PP)\s?(\d{1,3})\b").expect("valid pattern"));
static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(\d{1,3})(?:\s*\(([a-z])\))?").expect("valid pattern"));

/// A paragraph reference as written in a statement.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Mention {
    /// The paragraph as the texts number it: `37`, `37 (a)`, `PP5`.
    pub paragraph: String,
    /// The words that made the reference.
    pub written: String,
    /// Byte offset in the passage text.
    pub at: usize,
}

/// The references in `text`, in order.
pub fn mentions(text: &str) -> Vec<Mention> {
    let mut out = Vec::new();
    for c in WORDS.captures_iter(text) {
        let all = c.get(0).expect("match");
        let preamble = c[1].to_lowercase().starts_with("preambular");
        for n in NUMBER.captures_iter(&c[2]) {
            let num = &n[1];
            let paragraph = match (preamble, n.get(2)) {
                (true, _) => format!("PP{num}"),
                (false, Some(sub)) => format!("{num} ({})", sub.as_str()),
                (false, None) => num.to_string(),
            };
            out.push(Mention {
                paragraph,
                written: all.as_str().to_string(),
                at: all.start(),
            });
        }
    }
    for c in SHORT.captures_iter(text) {
        let all = c.get(0).expect("match");
        let paragraph = if &c[1] == "PP" {
            format!("PP{}", &c[2])
        } else {
            c[2].to_string()
        };
        out.push(Mention {
            paragraph,
            written: all.as_str().to_string(),
            at: all.start(),
        });
    }
    out.sort_by_key(|m| m.at);
    out.dedup_by(|a, b| a.at == b.at && a.paragraph == b.paragraph);
    out
}

/// A reference resolved to a paragraph.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Resolved {
    pub mention: Mention,
    pub work: String,
    /// The version the statement names, if it names one.
    pub version_named: Option<String>,
    /// The paragraph meant, when the version holds one of that number.
    pub passage: Option<String>,
    pub symbol: Option<String>,
    pub version: Option<String>,
    pub paragraph: Option<String>,
    /// The version meant is not in the index: the nearest one, and the nearby paragraph that
    /// shares the statement's topics, stand in for it.
    pub approximate: bool,
    pub note: Option<String>,
}

/// A statement that refers to a paragraph.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Statement {
    pub reference: Resolved,
    pub statement: StoredPassage,
}

/// Works already loaded while resolving many statements (by the name statements give).
pub type Works = std::collections::HashMap<String, Option<Work>>;

/// What the statement passage `p` refers to. When the version meant is not in the index, the
/// topics of the passage and its neighbours by the same speaker choose among nearby paragraphs.
pub fn resolve(
    idx: &TravauxIndex,
    searcher: &Searcher,
    p: &StoredPassage,
    works: &mut Works,
) -> Result<Vec<Resolved>, SearchError> {
    let ms = mentions(&p.text);
    if ms.is_empty() || p.document.kind == Some(Kind::Resolution) {
        return Ok(Vec::new());
    }
    let Some(work_name) = p.document.work.as_deref() else {
        return Ok(Vec::new());
    };
    if !works.contains_key(work_name) {
        let w = lineage::find(idx, searcher, work_name)
            .ok()
            .filter(|w| !w.versions.is_empty());
        works.insert(work_name.to_string(), w);
    }
    let Some(work) = works[work_name].as_ref() else {
        return Ok(Vec::new());
    };
    let mut topics: Option<Vec<String>> = None;
    let mut out = Vec::new();
    for m in ms {
        out.push(resolve_one(idx, work, p, m, &mut || {
            if topics.is_none() {
                let mut t: Vec<String> = neighbours(idx, p)
                    .unwrap_or_default()
                    .iter()
                    .flat_map(|c| c.topics.clone())
                    .collect();
                t.extend(p.topics.iter().cloned());
                topics = Some(t);
            }
            topics.clone().unwrap_or_default()
        }));
    }
    Ok(out)
}

fn resolve_one(
    idx: &TravauxIndex,
    work: &Work,
    p: &StoredPassage,
    m: Mention,
    topics: &mut dyn FnMut() -> Vec<String>,
) -> Resolved {
    // The version named in the sentence of the reference, else anywhere in the passage.
    let sentence_start = p.text[..m.at].rfind(['.', '?', '!']).map_or(0, |k| k + 1);
    let sentence_end = p.text[m.at..]
        .find(['.', '?', '!'])
        .map_or(p.text.len(), |k| m.at + k);
    let reg = &idx.registry;
    let named = reg
        .versions_in(&p.text[sentence_start..sentence_end])
        .into_iter()
        .next()
        .or_else(|| p.versions.first().cloned());
    let by_label = named.as_ref().and_then(|v| {
        work.versions
            .iter()
            .position(|x| x.doc.version.as_deref() == Some(v.as_str()))
    });
    // Else the version current at the statement's date (the latest not after it).
    let date = p.document.date;
    let current = date.and_then(|d| {
        work.versions
            .iter()
            .rposition(|v| v.doc.date.is_some_and(|vd| vd <= d))
    });
    let (at, approximate, note) =
        match (by_label, current) {
            (Some(v), _) => (v, false, None),
            (None, Some(v)) if named.is_none() => (v, false, None),
            (None, c) => {
                let v = c.unwrap_or(0);
                let note =
                    match &named {
                        Some(n) => format!(
                            "{n} is not in the index; {} stands in for it",
                            work.versions[v]
                                .doc
                                .symbol
                                .as_deref()
                                .unwrap_or(&work.versions[v].doc.id)
                        ),
                        None => format!(
                    "no version of the work is dated before the statement; {} stands in for it",
                    work.versions[v].doc.symbol.as_deref().unwrap_or(&work.versions[v].doc.id)
                ),
                    };
                (v, true, Some(note))
            }
        };
    let version = &work.versions[at];
    let exact = version
        .paragraphs
        .iter()
        .position(|x| x.locator.paragraph.as_deref() == Some(m.paragraph.as_str()));
    // Numbers grow when paragraphs are added: a stand-in later than the version meant
    // numbers the paragraph higher, an earlier one lower.
    let later = match (version.doc.date, date) {
        (Some(v), Some(d)) => v > d,
        _ => true,
    };
    let chosen = match exact {
        Some(k) if approximate => Some(nearby_by_topic(
            reg,
            &version.paragraphs,
            k,
            &topics(),
            later,
        )),
        other => other,
    };
    let target = chosen.map(|k| &version.paragraphs[k]);
    Resolved {
        work: work.id.clone(),
        version_named: named,
        passage: target.map(|t| t.id.clone()),
        symbol: version.doc.symbol.clone(),
        version: version.doc.version.clone(),
        paragraph: target.and_then(|t| t.locator.paragraph.clone()),
        approximate,
        note,
        mention: m,
    }
}

/// Among the paragraphs numbered up to two either side of `k` (same kind: preambular or
/// operative), the one most about the statement's `topics` (each weighted by how many of the
/// statement's passages carry it; broad parent topics left out), as a share of the
/// paragraph's own topics; `k` itself unless another does better, and on a tie the one in the
/// direction numbers moved (`later`: upwards).
fn nearby_by_topic(
    reg: &crate::registry::Registry,
    ps: &[StoredPassage],
    k: usize,
    topics: &[String],
    later: bool,
) -> usize {
    let broad = |t: &String| reg.topics.iter().any(|x| x.parent.as_ref() == Some(t));
    let score = |p: &StoredPassage| {
        let own: Vec<&String> = p.topics.iter().filter(|t| !broad(t)).collect();
        let shared: usize = own
            .iter()
            .map(|t| topics.iter().filter(|x| x == t).count())
            .sum();
        shared as f32 / own.len().max(1) as f32
    };
    let preamble = |p: &StoredPassage| {
        p.locator
            .paragraph
            .as_deref()
            .is_some_and(|n| n.starts_with("PP"))
    };
    let is_sub = |p: &StoredPassage| {
        p.locator
            .paragraph
            .as_deref()
            .is_some_and(|n| n.contains('('))
    };
    let same: Vec<usize> = (0..ps.len())
        .filter(|&i| preamble(&ps[i]) == preamble(&ps[k]) && !is_sub(&ps[i]))
        .collect();
    let Some(pos) = same.iter().position(|&i| i == k) else {
        return k;
    };
    let lo = pos.saturating_sub(2);
    let hi = (pos + 3).min(same.len());
    let mut best = k;
    for &i in &same[lo..hi] {
        let (s, b) = (score(&ps[i]), score(&ps[best]));
        let towards = if later { i > best } else { i < best };
        if s > b || (s == b && s > 0.0 && best != k && towards) {
            best = i;
        }
    }
    best
}

/// Statements (transcript and submission passages) that refer to any of `targets`: paragraphs
/// given as (passage id, paragraph number). One search finds the candidates for all of them, and
/// each candidate is resolved once.
pub fn statements_about(
    idx: &TravauxIndex,
    searcher: &Searcher,
    targets: &[(&str, Option<&str>)],
) -> Result<Vec<Statement>, SearchError> {
    let f = idx.fields;
    // Numbers named in statements; one resolved approximately may be up to two away.
    let mut numbers: Vec<u32> = targets
        .iter()
        .filter_map(|(_, n)| {
            let digits: String = (*n)?.chars().filter(char::is_ascii_digit).collect();
            digits.parse::<u32>().ok()
        })
        .flat_map(|n| n.saturating_sub(2)..=n + 2)
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    if numbers.is_empty() {
        return Ok(Vec::new());
    }
    let term = |field, text: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, text),
            IndexRecordOption::Basic,
        ))
    };
    let numbers = numbers
        .iter()
        .map(|k| (Occur::Should, term(f.body, &k.to_string())))
        .collect();
    // …and a word that makes a paragraph reference.
    let words = ["paragraph", "para", "op", "pp"]
        .iter()
        .map(|w| (Occur::Should, term(f.body, w)))
        .collect();
    let q = BooleanQuery::new(vec![
        (
            Occur::Must,
            Box::new(BooleanQuery::new(numbers)) as Box<dyn Query>,
        ),
        (Occur::Must, Box::new(BooleanQuery::new(words))),
        (Occur::MustNot, term(f.kind, Kind::Resolution.as_str())),
    ]);
    let mut out = Vec::new();
    let mut works = Works::new();
    for (_, a) in searcher.search(&q, &TopDocs::with_limit(500).order_by_score())? {
        let p = idx.from_doc(&searcher.doc::<TantivyDocument>(a)?);
        for r in resolve(idx, searcher, &p, &mut works)? {
            if targets
                .iter()
                .any(|(id, _)| r.passage.as_deref() == Some(*id))
            {
                out.push(Statement {
                    reference: r,
                    statement: p.clone(),
                });
            }
        }
    }
    out.sort_by(|a, b| {
        (a.statement.document.date, &a.statement.id)
            .cmp(&(b.statement.document.date, &b.statement.id))
    });
    Ok(out)
}

/// The statements about a paragraph in any version of its work.
pub fn statements_about_lineage(
    idx: &TravauxIndex,
    l: &lineage::Lineage,
) -> Result<Vec<Statement>, SearchError> {
    let targets: Vec<(&str, Option<&str>)> = l
        .steps
        .iter()
        .flat_map(|s| &s.paragraphs)
        .map(|p| (p.id.as_str(), p.paragraph.as_deref()))
        .collect();
    statements_about(idx, &idx.reader.searcher(), &targets)
}

/// The passage with the passages right before and after it by the same speaker.
pub fn neighbours(
    idx: &TravauxIndex,
    p: &StoredPassage,
) -> Result<Vec<StoredPassage>, SearchError> {
    let shown = crate::query::stats::show(idx, &p.id, 1)?;
    Ok(shown
        .passages
        .into_iter()
        .filter(|x| x.agency == p.agency && x.speaker == p.speaker)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_as_speakers_and_texts_write_them() {
        let ps: Vec<String> = mentions(
            "particularly paragraph 37. See paras 12 and 14, OP 5, PP3, operative paragraph 9 (b) \
             and preambular paragraph 4; the op-ed and pp. 3 are not references.",
        )
        .into_iter()
        .map(|m| m.paragraph)
        .collect();
        assert_eq!(ps, ["37", "12", "14", "5", "PP3", "9 (b)", "PP4"]);
    }
}

/// Both directions for one passage: the paragraphs a statement refers to, and the statements
/// that refer to a paragraph.
#[derive(Debug, Serialize)]
pub struct Links {
    pub refers_to: Vec<Resolved>,
    pub statements: Vec<Statement>,
}

/// The references of passage `p` (a statement), or to it (a paragraph: statements about it in
/// any version of its work).
pub fn links(idx: &TravauxIndex, p: &StoredPassage) -> Result<Links, SearchError> {
    let searcher = idx.reader.searcher();
    if p.document.kind == Some(Kind::Resolution) {
        let statements = match lineage::lineage(idx, &p.id) {
            Ok(l) => statements_about_lineage(idx, &l)?,
            Err(_) => statements_about(idx, &searcher, &[(&p.id, p.locator.paragraph.as_deref())])?,
        };
        return Ok(Links {
            refers_to: Vec::new(),
            statements,
        });
    }
    Ok(Links {
        refers_to: resolve(idx, &searcher, p, &mut Works::new())?,
        statements: Vec::new(),
    })
}
