//! Query latency measured in process: a fixed mix of searches and precedent lookups run against
//! an open index, each query timed on its own, reported as percentiles per class of query.
//!
//! The mix is NDJSON, one query per line: `{"class": "phrase", "search": {…}}` where `search`
//! is a request as `travaux batch` takes it, or `{"class": "precedent", "precedent": {"text":
//! …}}` as `POST /api/precedent` takes it. Other fields on a line (an HTTP `path` for a load
//! generator, say) are ignored, so one file drives both this and an HTTP benchmark.

use crate::index::TravauxIndex;
use crate::query::search::SearchRequest;
use crate::versions::collapse::search_with;
use crate::versions::precedent::{precedent, PrecedentRequest};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

/// One query of the mix.
#[derive(Debug, Clone, Deserialize)]
pub struct MixQuery {
    /// What kind of query this is ("term", "phrase", "filter+facets" …): the rows of the report.
    pub class: String,
    #[serde(default)]
    pub search: Option<SearchRequest>,
    #[serde(default)]
    pub precedent: Option<PrecedentRequest>,
}

/// A mix that cannot be read, with the line at fault.
#[derive(Debug, thiserror::Error)]
pub enum MixError {
    #[error("cannot read the query mix {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}, line {line}: {message}; expected {{\"class\": …, \"search\": {{…}}}} or {{\"class\": …, \"precedent\": {{\"text\": …}}}}")]
    Line {
        path: String,
        line: usize,
        message: String,
    },
}

impl crate::errors::Coded for MixError {
    fn code(&self) -> crate::errors::ErrorCode {
        crate::errors::ErrorCode::BadInput
    }
}

/// Reads a mix file; blank lines are skipped.
pub fn read_mix(path: &Path) -> Result<Vec<MixQuery>, MixError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| MixError::Read {
        path: shown.clone(),
        source,
    })?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |message: String| MixError::Line {
            path: shown.clone(),
            line: i + 1,
            message,
        };
        let q: MixQuery = serde_json::from_str(line).map_err(|e| bad(e.to_string()))?;
        if q.search.is_some() == q.precedent.is_some() {
            return Err(bad(
                "a line needs exactly one of `search` and `precedent`".into()
            ));
        }
        out.push(q);
    }
    Ok(out)
}

/// Latency percentiles of one class of queries (or of the whole mix).
#[derive(Debug, Clone, Serialize)]
pub struct Latency {
    pub class: String,
    /// Distinct queries of the class in the mix.
    pub queries: usize,
    /// Timed runs (queries × rounds).
    pub runs: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub mean_ms: f64,
    /// Mean number of matches (total hits for searches, precedents returned for lookups).
    pub mean_hits: f64,
}

/// What a run of the mix measured.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub passages: u64,
    pub rounds: usize,
    pub classes: Vec<Latency>,
    pub all: Latency,
    /// Queries that answered with an error, with the error (the first of each line).
    pub errors: Vec<String>,
}

/// The value below which `q` of the sorted samples lie (nearest rank).
fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Percentiles of `samples`: (milliseconds, matches) of each timed run of a class of
/// `queries` queries.
fn summarise(class: &str, queries: usize, samples: &[(f64, u64)]) -> Latency {
    let mut ms: Vec<f64> = samples.iter().map(|s| s.0).collect();
    ms.sort_by(f64::total_cmp);
    let n = samples.len().max(1) as f64;
    Latency {
        class: class.to_string(),
        queries,
        runs: samples.len(),
        p50_ms: percentile(&ms, 0.50),
        p95_ms: percentile(&ms, 0.95),
        p99_ms: percentile(&ms, 0.99),
        mean_ms: ms.iter().sum::<f64>() / n,
        mean_hits: samples.iter().map(|s| s.1 as f64).sum::<f64>() / n,
    }
}

/// Runs one query once; its match count, or its error.
fn run_one(idx: &TravauxIndex, q: &MixQuery) -> Result<u64, String> {
    let searcher = idx.reader.searcher();
    if let Some(req) = &q.search {
        return search_with(idx, &searcher, req)
            .map(|r| r.total as u64)
            .map_err(|e| e.to_string());
    }
    let req = q.precedent.as_ref().ok_or("no query on this line")?;
    precedent(idx, &searcher, req)
        .map(|r| r.len() as u64)
        .map_err(|e| e.to_string())
}

/// Timed runs grouped by class of query: what a run of a mix accumulates.
#[derive(Debug, Default)]
pub struct Timings {
    /// Per class: number of distinct queries, and (milliseconds, matches) of each run.
    classes: BTreeMap<String, (usize, Vec<(f64, u64)>)>,
    all: Vec<(f64, u64)>,
    queries: usize,
}

impl Timings {
    /// Counts one query of the mix under `class`.
    pub fn query(&mut self, class: &str) {
        self.classes.entry(class.to_string()).or_default().0 += 1;
        self.queries += 1;
    }

    /// Records one timed run.
    pub fn record(&mut self, class: &str, ms: f64, hits: u64) {
        self.classes
            .entry(class.to_string())
            .or_default()
            .1
            .push((ms, hits));
        self.all.push((ms, hits));
    }

    /// Percentiles per class, and over everything.
    pub fn summaries(&self) -> (Vec<Latency>, Latency) {
        let classes = self
            .classes
            .iter()
            .map(|(class, (n, samples))| summarise(class, *n, samples))
            .collect();
        (classes, summarise("all", self.queries, &self.all))
    }
}

/// Runs the whole mix once untimed (to warm the caches), then `rounds` times timed, in mix
/// order, one query at a time.
pub fn run(idx: &TravauxIndex, mix: &[MixQuery], rounds: usize) -> Report {
    let mut errors = Vec::new();
    let mut timings = Timings::default();
    for (i, q) in mix.iter().enumerate() {
        timings.query(&q.class);
        if let Err(e) = run_one(idx, q) {
            errors.push(format!("query {} ({}): {e}", i + 1, q.class));
        }
    }
    for _ in 0..rounds {
        for q in mix {
            let t = Instant::now();
            let hits = run_one(idx, q).unwrap_or(0);
            timings.record(&q.class, t.elapsed().as_secs_f64() * 1000.0, hits);
        }
    }
    let (classes, all) = timings.summaries();
    Report {
        passages: idx.reader.searcher().num_docs(),
        rounds,
        classes,
        all,
        errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_take_the_nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 0.50), 50.0);
        assert_eq!(percentile(&v, 0.99), 99.0);
        assert_eq!(percentile(&[3.0], 0.95), 3.0);
        assert_eq!(percentile(&[], 0.5), 0.0);
    }

    #[test]
    fn a_bad_mix_line_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("mix.jsonl");
        std::fs::write(
            &p,
            "{\"class\":\"term\",\"search\":{\"q\":\"internet\"}}\n\n{\"class\":\"x\"}\n",
        )
        .unwrap();
        let e = read_mix(&p).unwrap_err().to_string();
        assert!(e.contains("line 3"), "{e}");
        assert!(e.contains("exactly one of"), "{e}");
        std::fs::write(&p, "{\"class\":\"term\",\"search\":{\"q\":\"internet\"},\"path\":\"/api/search?q=internet\"}\n").unwrap();
        assert_eq!(read_mix(&p).unwrap().len(), 1);
    }
}
