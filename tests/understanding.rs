//! Search that understands how people ask, measured: the query judgments of
//! `tests/fixtures/queries/judgments.toml` (abbreviations, compounds, irregular forms, typos,
//! mishearings, exact phrases, an entity and a subject, documents named by symbol, dates), each
//! with the rule a careful reader states for its answers, scored per class by recall@10 and
//! precision, in process on the test corpus's index.

use crate::common::corpus_index;
use regex::Regex;
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use travaux::index::{StoredPassage, TravauxIndex};
use travaux::query::expand::How;
use travaux::query::search::{self, SearchRequest};
use travaux::registry::Registry;

#[derive(Deserialize)]
struct Judgments {
    judgment: Vec<Judgment>,
}

#[derive(Deserialize)]
struct Judgment {
    class: String,
    query: String,
    #[serde(default)]
    filters: BTreeMap<String, String>,
    relevant: String,
    #[serde(default)]
    not: Option<String>,
    #[serde(default)]
    within: Vec<String>,
    /// Answers outside `within` and the filters' dates are wrong answers.
    #[serde(default)]
    only: bool,
    #[serde(default)]
    suggestion: Option<String>,
}

/// The floors each class must hold: recall@10 and precision, as measured when the set was
/// written (the goal is 0.9 for both). A class that drops below fails the test.
const FLOORS: &[(&str, f64, f64)] = &[
    ("abbreviation", 1.0, 1.0),
    ("compound", 1.0, 1.0),
    ("irregular", 0.95, 1.0),
    ("typo", 1.0, 1.0),
    ("mishearing", 1.0, 1.0),
    ("exact", 0.99, 1.0),
    ("agency", 0.99, 1.0),
    ("reference", 0.98, 1.0),
    ("date", 0.98, 1.0),
];

#[derive(Default)]
struct Score {
    queries: usize,
    recall: f64,
    precision: f64,
}

fn request(j: &Judgment) -> SearchRequest {
    let mut v = serde_json::json!({ "q": j.query, "limit": 10 });
    for (k, x) in &j.filters {
        v[k] = serde_json::Value::String(x.clone());
    }
    serde_json::from_value(v).unwrap()
}

/// True when a passage's date lies in the filters' period (a year, a month or a day).
fn in_period(p: &StoredPassage, f: &BTreeMap<String, String>) -> bool {
    let date = p.document.date.map(|d| d.to_string());
    let from_ok = f
        .get("from")
        .is_none_or(|from| date.as_deref().is_some_and(|d| d >= from.as_str()));
    let to_ok = f.get("to").is_none_or(|to| {
        date.as_deref()
            .is_some_and(|d| &d[..to.len()] <= to.as_str())
    });
    from_ok && to_ok
}

#[test]
fn queries_are_understood_as_users_mean_them() {
    let set = crate::common::root().join("tests/fixtures/queries/judgments.toml");
    let judgments: Judgments = toml::from_str(&std::fs::read_to_string(set).unwrap()).unwrap();
    assert!(judgments.judgment.len() >= 150);
    let idx = TravauxIndex::open(corpus_index(), Arc::new(Registry::embedded())).unwrap();
    let searcher = idx.reader.searcher();
    let mut all: Vec<StoredPassage> = Vec::new();
    search::for_each_match(&idx, &searcher, &SearchRequest::default(), |p| {
        all.push(p);
        true
    })
    .unwrap();
    let mut classes: BTreeMap<String, Score> = BTreeMap::new();
    let mut problems = Vec::new();
    let (mut heard, mut heard_right) = (0, 0);
    for j in &judgments.judgment {
        let relevant = Regex::new(&j.relevant).unwrap();
        let not = j.not.as_deref().map(|r| Regex::new(r).unwrap());
        let kind = j.filters.get("kind");
        let of_kind = |p: &StoredPassage| {
            kind.is_none_or(|k| p.document.kind.is_some_and(|pk| pk.as_str() == k))
        };
        let inside = |p: &StoredPassage| {
            (j.within.is_empty() || j.within.contains(&p.document.id)) && in_period(p, &j.filters)
        };
        let answers: HashSet<&str> = all
            .iter()
            .filter(|p| of_kind(p) && inside(p) && relevant.is_match(&p.text))
            .map(|p| p.id.as_str())
            .collect();
        let wrong: HashSet<&str> = all
            .iter()
            .filter(|p| of_kind(p) && !answers.contains(p.id.as_str()))
            .filter(|p| {
                not.as_ref().is_some_and(|n| n.is_match(&p.text))
                    || (j.only && !inside(p) && relevant.is_match(&p.text))
            })
            .map(|p| p.id.as_str())
            .collect();
        let resp = match search::search_with(&idx, &searcher, &request(j)) {
            Ok(r) => r,
            Err(e) => {
                problems.push(format!("{}: {e}", j.query));
                continue;
            }
        };
        let top: Vec<&str> = resp.hits.iter().map(|h| h.passage.id.as_str()).collect();
        let right = top.iter().filter(|t| answers.contains(*t)).count();
        let judged = top
            .iter()
            .filter(|t| answers.contains(*t) || wrong.contains(*t))
            .count();
        let recall = if answers.is_empty() {
            1.0
        } else {
            right as f64 / answers.len().min(10) as f64
        };
        let precision = if judged == 0 {
            1.0
        } else {
            right as f64 / judged as f64
        };
        for h in &resp.hits {
            if h.matched.iter().any(|m| m.how == How::HeardAlike) {
                heard += 1;
                heard_right += usize::from(answers.contains(h.passage.id.as_str()));
            }
        }
        if let Some(s) = &j.suggestion {
            if resp.suggestion.as_deref() != Some(s.as_str()) {
                problems.push(format!(
                    "{}: suggestion {:?}, expected {s:?}",
                    j.query, resp.suggestion
                ));
            }
        }
        if recall < 0.9 || precision < 0.9 {
            println!(
                "  {} `{}`: recall@10 {recall:.2}, precision {precision:.2} ({} answers)",
                j.class,
                j.query,
                answers.len()
            );
        }
        let c = classes.entry(j.class.clone()).or_default();
        c.queries += 1;
        c.recall += recall;
        c.precision += precision;
    }
    println!(
        "query understanding, {} judgments:",
        judgments.judgment.len()
    );
    for (name, c) in &classes {
        let (r, p) = (c.recall / c.queries as f64, c.precision / c.queries as f64);
        println!(
            "  {name:13} {:3} queries  recall@10 {r:.3}  precision {p:.3}",
            c.queries
        );
        let (_, floor_r, floor_p) = FLOORS
            .iter()
            .find(|(n, _, _)| n == name)
            .unwrap_or_else(|| panic!("no floor for class {name}"));
        if r + 1e-9 < *floor_r || p + 1e-9 < *floor_p {
            problems.push(format!(
                "{name}: recall@10 {r:.3} (floor {floor_r}), precision {p:.3} (floor {floor_p})"
            ));
        }
    }
    println!("  heard-alike matches in the first ten: {heard_right} right of {heard}");
    assert!(
        heard > 0 && heard_right * 10 >= heard * 9,
        "{heard_right}/{heard}"
    );
    assert_eq!(classes.len(), FLOORS.len());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
