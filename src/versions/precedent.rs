//! Where language was used before. Given a phrase, a sentence or a paragraph, find the passages
//! whose wording is closest: the index proposes candidates that share fingerprints of wording
//! with it ([`crate::index::fingerprint`], filled at ingest; a short text, under which no fingerprint is
//! guaranteed, sends runs of three words as phrases instead), and each candidate is scored by
//! how much of the given text it repeats in spans of at least a few words. A clause copied
//! word for word into a longer paragraph therefore scores as high as the clause alone,
//! whatever else the paragraph says. Rewording with the same meaning and other words is not
//! looked for.
//!
//! The bulk case — every paragraph of a draft against the whole record — runs one such search
//! per paragraph on one searcher ([`for_draft`]).

use crate::index::{StoredPassage, TravauxIndex};
use crate::model::{Date, Kind, Parsed};
use crate::query::search::SearchError;
use crate::text::escape_html as escape;
use serde::{Deserialize, Serialize};
use std::ops::Bound;
use tantivy::collector::TopDocs;
use tantivy::query::{
    BooleanQuery, ConstScoreQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, TantivyDocument, Term};

/// The longest text a request may give, in characters.
pub const MAX_TEXT_CHARS: usize = 20_000;
/// At most this many results.
pub const MAX_LIMIT: usize = 50;
/// Shared spans shorter than this many words do not count (unless the text is shorter).
const MIN_SPAN: usize = 4;
/// Word runs sent to the index as candidates' evidence.
const SHINGLE: usize = 3;
/// One run is sent for each stretch of this many consecutive runs (the one with the rarest
/// word): a shared span of 2 × STRIDE + 1 words or more holds a whole stretch, so it is always
/// found, and common runs ("of the United", "the General Assembly"), which cost the most to
/// match, are mostly left out. Shorter shared spans are found when their stretch's run is in them.
const STRIDE: usize = 4;
/// At most this many runs per search (spread over a long text).
const MAX_SHINGLES: usize = 120;
/// Fingerprints are sent rarest first until their passages add up to this many…
const PRINT_BUDGET: u64 = 50_000;
/// …but at least this many are sent (boilerplate shares only common ones).
const MIN_PRINTS: usize = 12;

/// A precedent search, as the CLI and `POST /api/precedent` give it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PrecedentRequest {
    /// The wording to look for: a phrase, a sentence or a paragraph, with at least one word
    /// (letters or digits, at most 40 of them).
    #[schema(
        min_length = 1,
        max_length = 20000,
        pattern = r"(^|[\W_])[^\W_]{1,40}([\W_]|$)"
    )]
    pub text: String,
    /// Only passages of documents dated before this day (YYYY-MM-DD, years 1000 to 9999).
    #[serde(default)]
    #[schema(format = Date, pattern = r"^([1-9][0-9]{3}-((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)|([1-9][0-9](0[48]|[2468][048]|[13579][26])|([2468][048]|[13579][26])00)-02-29)$")]
    pub before: Option<String>,
    /// Only these kinds (resolution, transcript, submission).
    #[serde(default)]
    #[schema(value_type = Vec<crate::model::Kind>)]
    pub kind: Vec<String>,
    /// How many passages (default 10).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 50)]
    pub limit: Option<usize>,
    /// Leave out the versions of this work (its own history is what `diff` shows).
    #[serde(default)]
    pub exclude_work: Option<String>,
    /// lineage (default): the same paragraph in several versions of a work is one precedent,
    /// with `versions`; none: every version's passage.
    #[serde(default)]
    pub collapse: Option<crate::query::request::Collapse>,
}

/// A stretch of words the given text and a passage share.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Span {
    /// As the passage writes it.
    pub text: String,
    pub words: usize,
}

/// One precedent: a passage with how much of the given text it repeats.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Precedent {
    /// Share of the given text's words found in shared spans (0–1).
    #[serde(serialize_with = "crate::model::round4")]
    pub similarity: f32,
    /// Share of the passage's words in those spans.
    #[serde(serialize_with = "crate::model::round4")]
    pub passage_share: f32,
    /// The longest shared span, in words.
    pub longest: usize,
    pub spans: Vec<Span>,
    /// The passage text, HTML-escaped, with the shared spans in `<mark>`.
    pub marked: String,
    #[serde(flatten)]
    pub passage: StoredPassage,
    /// The versions of its work the same paragraph runs through (grouped precedents).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<crate::query::search::VersionHit>,
}

use crate::text::analysis::{analyzed as tokens, Token};

/// The passages whose wording is closest to `req.text`, best first.
pub fn precedent(
    idx: &TravauxIndex,
    searcher: &Searcher,
    req: &PrecedentRequest,
) -> Result<Vec<Precedent>, SearchError> {
    let limit = req.limit.unwrap_or(10);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(SearchError::BadParam {
            param: "limit",
            message: format!("{limit} is out of range: expected 1 to {MAX_LIMIT}"),
        });
    }
    if req.text.chars().count() > MAX_TEXT_CHARS {
        return Err(SearchError::BadParam {
            param: "text",
            message: format!("longer than {MAX_TEXT_CHARS} characters: give a paragraph at a time"),
        });
    }
    // The date and the kinds are checked whatever the text, so a bad one is never passed over.
    if let Some(b) = req.before.as_deref() {
        b.parse::<Date>().map_err(|message| SearchError::BadParam {
            param: "before",
            message,
        })?;
    }
    for k in &req.kind {
        k.parse::<Kind>().map_err(|message| SearchError::BadParam {
            param: "kind",
            message,
        })?;
    }
    let q = tokens(&req.text);
    if q.is_empty() {
        return Err(SearchError::BadParam {
            param: "text",
            message: "no words to look for".into(),
        });
    }
    let Some(query) = candidates_query(idx, searcher, &q, req)? else {
        return Ok(Vec::new());
    };
    let top = searcher.search(
        &*query,
        &TopDocs::with_limit((limit * 5).max(50)).order_by_score(),
    )?;
    let min_span = MIN_SPAN.min(q.len());
    let mut out = Vec::new();
    for (_, addr) in top {
        let p = idx.from_doc(&searcher.doc::<TantivyDocument>(addr)?);
        let pt = tokens(&p.text);
        let spans = shared_spans(&q, &pt, min_span);
        if spans.is_empty() {
            continue;
        }
        let covered: usize = spans.iter().map(|s| s.2).sum();
        let longest = spans.iter().map(|s| s.2).max().unwrap_or(0);
        let mut by_place = spans.clone();
        by_place.sort_by_key(|s| s.1);
        let mut marked = String::new();
        let mut at = 0;
        let mut shown = Vec::new();
        for &(_, pj, n) in &by_place {
            let (from, to) = (pt[pj].from, pt[pj + n - 1].to);
            marked.push_str(&escape(&p.text[at..from]));
            marked.push_str("<mark>");
            marked.push_str(&escape(&p.text[from..to]));
            marked.push_str("</mark>");
            at = to;
            shown.push(Span {
                text: p.text[from..to].to_string(),
                words: n,
            });
        }
        marked.push_str(&escape(&p.text[at..]));
        out.push(Precedent {
            similarity: round2(covered as f32 / q.len() as f32),
            passage_share: round2(covered as f32 / pt.len().max(1) as f32),
            longest,
            spans: shown,
            marked,
            passage: p,
            versions: Vec::new(),
        });
    }
    // Best first; of equals, the oldest (where the language was first agreed), then the one
    // that says it most tightly.
    out.sort_by(|a, b| {
        b.similarity
            .total_cmp(&a.similarity)
            .then(a.passage.document.date.cmp(&b.passage.document.date))
            .then(b.longest.cmp(&a.longest))
            .then(b.passage_share.total_cmp(&a.passage_share))
    });
    if req.collapse != Some(crate::query::request::Collapse::None) {
        out = crate::versions::collapse::group(idx, searcher, out, limit, |p| &p.passage)
            .into_iter()
            .map(|(p, versions)| Precedent { versions, ..p })
            .collect();
    }
    out.truncate(limit);
    Ok(out)
}

fn round2(x: f32) -> f32 {
    (x * 100.0).round() / 100.0
}

/// Clauses of a boolean query.
type Clauses = Vec<(Occur, Box<dyn Query>)>;

/// Passages sharing runs of words with the text, within the request's filters.
fn candidates_query(
    idx: &TravauxIndex,
    searcher: &Searcher,
    q: &[Token],
    req: &PrecedentRequest,
) -> Result<Option<Box<dyn Query>>, SearchError> {
    let mut should = Vec::new();
    if q.len() >= crate::index::fingerprint::GUARANTEED {
        should = print_clauses(idx, searcher, &req.text)?;
    }
    // Short, or sharing no stretch long enough to be sure of: shorter shared runs.
    if should.is_empty() {
        should = run_clauses(idx, searcher, q)?;
    }
    if should.is_empty() {
        return Ok(None);
    }
    filtered(idx, should, req).map(Some)
}

/// The text's fingerprints, rarest first within a budget of passages, each counting one.
fn print_clauses(
    idx: &TravauxIndex,
    searcher: &Searcher,
    text: &str,
) -> Result<Clauses, SearchError> {
    let field = idx.fields.shingle;
    let mut prints = Vec::new();
    for h in crate::index::fingerprint::fingerprints(text) {
        let term = Term::from_field_u64(field, h);
        let df = searcher.doc_freq(&term)?;
        if df > 0 {
            prints.push((df, term));
        }
    }
    prints.sort_by_key(|(df, _)| *df);
    let mut spent = 0;
    let mut out: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (df, term) in prints {
        if out.len() >= MIN_PRINTS && spent + df > PRINT_BUDGET {
            break;
        }
        spent += df;
        let q = TermQuery::new(term, IndexRecordOption::Basic);
        out.push((
            Occur::Should,
            Box::new(ConstScoreQuery::new(Box::new(q), 1.0)),
        ));
    }
    Ok(out)
}

/// Runs of words as phrases, for a text too short to be sure of a fingerprint.
fn run_clauses(
    idx: &TravauxIndex,
    searcher: &Searcher,
    q: &[Token],
) -> Result<Clauses, SearchError> {
    let body = idx.fields.body;
    let n = SHINGLE.min(q.len());
    let runs: Vec<&[Token]> = q.windows(n).collect();
    let stride = runs.len().div_ceil(MAX_SHINGLES).max(STRIDE);
    // How many passages hold a run's rarest word: a bound on how many the run can match.
    let rarity = |run: &[Token]| -> tantivy::Result<u64> {
        let mut least = u64::MAX;
        for t in run {
            least = least.min(searcher.doc_freq(&Term::from_field_text(body, &t.text))?);
        }
        Ok(least)
    };
    let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for stretch in runs.chunks(stride) {
        let mut best: Option<(u64, &[Token])> = None;
        for run in stretch {
            let r = rarity(run)?;
            if r > 0 && best.is_none_or(|(b, _)| r < b) {
                best = Some((r, run));
            }
        }
        let Some((_, run)) = best else {
            continue;
        };
        let key: Vec<&str> = run.iter().map(|t| t.text.as_str()).collect();
        if !seen.insert(key.join(" ")) {
            continue;
        }
        let terms: Vec<Term> = run
            .iter()
            .map(|t| Term::from_field_text(body, &t.text))
            .collect();
        let query: Box<dyn Query> = if terms.len() == 1 {
            Box::new(TermQuery::new(
                terms[0].clone(),
                IndexRecordOption::WithFreqs,
            ))
        } else {
            Box::new(PhraseQuery::new(terms))
        };
        should.push((Occur::Should, query));
    }
    Ok(should)
}

/// Candidates within the request's filters (kind, date, the work left out).
fn filtered(
    idx: &TravauxIndex,
    should: Clauses,
    req: &PrecedentRequest,
) -> Result<Box<dyn Query>, SearchError> {
    let mut must: Vec<(Occur, Box<dyn Query>)> =
        vec![(Occur::Must, Box::new(BooleanQuery::new(should)))];
    if !req.kind.is_empty() {
        let mut kinds: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for k in &req.kind {
            let k: Kind = k.parse().map_err(|message| SearchError::BadParam {
                param: "kind",
                message,
            })?;
            kinds.push((
                Occur::Should,
                Box::new(TermQuery::new(
                    Term::from_field_text(idx.fields.kind, k.as_str()),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        must.push((Occur::Must, Box::new(BooleanQuery::new(kinds))));
    }
    if let Some(b) = req.before.as_deref() {
        let d: Date = b.parse().map_err(|message| SearchError::BadParam {
            param: "before",
            message,
        })?;
        let t = crate::index::date_term(idx.fields.date, d);
        must.push((
            Occur::Must,
            Box::new(RangeQuery::new(Bound::Unbounded, Bound::Excluded(t))),
        ));
    }
    if let Some(w) = &req.exclude_work {
        must.push((
            Occur::MustNot,
            Box::new(TermQuery::new(
                Term::from_field_text(idx.fields.work, w),
                IndexRecordOption::Basic,
            )),
        ));
    }
    Ok(Box::new(BooleanQuery::new(must)))
}

/// Non-overlapping stretches of at least `min` equal words: (start in `q`, start in `p`,
/// length), longest first.
fn shared_spans(q: &[Token], p: &[Token], min: usize) -> Vec<(usize, usize, usize)> {
    // Words as numbers (a passage's words the text lacks can match nothing), compared as such.
    let mut ids: rustc_hash::FxHashMap<&str, u32> = rustc_hash::FxHashMap::default();
    let qi: Vec<u32> = q
        .iter()
        .map(|t| {
            let n = ids.len() as u32;
            *ids.entry(t.text.as_str()).or_insert(n)
        })
        .collect();
    let pi: Vec<u32> = p
        .iter()
        .map(|t| ids.get(t.text.as_str()).copied().unwrap_or(u32::MAX))
        .collect();
    let (n, m) = (q.len(), p.len());
    // run[j]: length of the common run ending at q[i-1], p[j-1], one row of i at a time.
    let mut prev = vec![0u16; m + 1];
    let mut run = vec![0u16; m + 1];
    let mut found: Vec<(usize, usize, usize)> = Vec::new();
    for i in 1..=n {
        for j in 1..=m {
            if qi[i - 1] == pi[j - 1] {
                let r = prev[j - 1].saturating_add(1);
                run[j] = r;
                // A run that does not continue is maximal.
                let ends = i == n || j == m || qi[i] != pi[j];
                if ends && r as usize >= min {
                    found.push((i - r as usize, j - r as usize, r as usize));
                }
            } else {
                run[j] = 0;
            }
        }
        std::mem::swap(&mut prev, &mut run);
    }
    found.sort_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    let mut used_q = vec![false; n];
    let mut used_p = vec![false; m];
    let mut out = Vec::new();
    for (qi, pj, len) in found {
        // Trim the parts already taken; keep what is left if still long enough.
        let free: Vec<usize> = (0..len)
            .filter(|&k| !used_q[qi + k] && !used_p[pj + k])
            .collect();
        let (Some(&first), Some(&last)) = (free.first(), free.last()) else {
            continue;
        };
        if last - first + 1 != free.len() || free.len() < min {
            continue;
        }
        for k in first..=last {
            used_q[qi + k] = true;
            used_p[pj + k] = true;
        }
        out.push((qi + first, pj + first, free.len()));
    }
    out
}

/// A paragraph of a draft repeats earlier language when a precedent covers this share of it...
const AGREED_SHARE: f32 = 0.25;
/// ...or shares a span of at least this many words with it.
const AGREED_SPAN: usize = 10;

/// The best precedent of each paragraph of a draft.
#[derive(Debug, Serialize)]
pub struct DraftLine {
    /// The draft's paragraph number (or its position).
    pub paragraph: String,
    pub text: String,
    /// The closest earlier language; `None`: new language (nothing repeats a quarter of the
    /// paragraph or a span of ten words).
    pub best: Option<Precedent>,
}

/// Runs [`precedent`] for every paragraph of a parsed draft, leaving out the draft's own work;
/// `before` defaults to the draft's date.
pub fn for_draft(
    idx: &TravauxIndex,
    draft: &Parsed,
    before: Option<&str>,
    kind: &[String],
) -> Result<Vec<DraftLine>, SearchError> {
    let searcher = idx.reader.searcher();
    let before = before
        .map(str::to_string)
        .or_else(|| draft.document.date.map(|d| d.to_string()));
    let mut out = Vec::new();
    for p in &draft.passages {
        let req = PrecedentRequest {
            text: p.text.chars().take(MAX_TEXT_CHARS).collect(),
            before: before.clone(),
            kind: kind.to_vec(),
            limit: Some(1),
            exclude_work: draft.document.work.clone(),
            collapse: Some(crate::query::request::Collapse::None),
        };
        let best = precedent(idx, &searcher, &req)?
            .into_iter()
            .next()
            .filter(|b| b.similarity >= AGREED_SHARE || b.longest >= AGREED_SPAN);
        out.push(DraftLine {
            paragraph: p
                .locator
                .paragraph
                .clone()
                .unwrap_or_else(|| (p.seq + 1).to_string()),
            text: p.text.clone(),
            best,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_maximal_and_do_not_overlap() {
        let q = tokens("the right to privacy in the digital age must be protected");
        let p = tokens("Reaffirming the right to privacy in the digital age, and noting that it must be protected online");
        let s = shared_spans(&q, &p, 4);
        let lens: Vec<usize> = s.iter().map(|x| x.2).collect();
        assert_eq!(lens, vec![8], "\"must be protected\" is too short to count");
        // With a shorter minimum the tail counts too.
        let s = shared_spans(&q, &p, 3);
        assert_eq!(s.iter().map(|x| x.2).collect::<Vec<_>>(), vec![8, 3]);
    }
}
