//! The citation graph measured on UN documents its rules were not written on
//! (`tests/fixtures/citations/expected.toml`: every citation of thirteen documents, labelled by
//! hand from their text): precision and recall of the documents each passage cites, by their keys,
//! and of the paragraphs of them it names, kept as floors.

use crate::common::*;
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Deserialize)]
struct Expected {
    document: Vec<Doc>,
}

#[derive(Deserialize)]
struct Doc {
    file: String,
    symbol: String,
    /// "paragraph" or "speaker": how the labels name passages.
    by: String,
    #[serde(default)]
    cites: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    paragraphs: BTreeMap<String, Vec<(String, String)>>,
}

/// Counts of one measure.
#[derive(Default)]
struct Score {
    right: usize,
    found: usize,
    labelled: usize,
}

impl Score {
    fn add(&mut self, found: &BTreeSet<(String, String)>, labelled: &BTreeSet<(String, String)>) {
        self.right += found.intersection(labelled).count();
        self.found += found.len();
        self.labelled += labelled.len();
    }
    fn precision(&self) -> f64 {
        self.right as f64 / self.found.max(1) as f64
    }
    fn recall(&self) -> f64 {
        self.right as f64 / self.labelled.max(1) as f64
    }
}

/// A turn's speaker by name, without the delegation the record adds in parentheses
/// ("Mr. Fu Cong (China)" is "Mr. Fu Cong"); a paragraph label as it is.
fn person(label: &str) -> String {
    label.split(" (").next().unwrap_or(label).trim().to_string()
}

#[test]
fn citations_found_as_labelled_by_hand() {
    let fixtures = root().join("tests/fixtures");
    let expected: Expected =
        toml::from_str(&std::fs::read_to_string(fixtures.join("citations/expected.toml")).unwrap())
            .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("index");
    let idx = idx.to_str().unwrap();
    let files: Vec<String> = expected
        .document
        .iter()
        .map(|d| fixtures.join(&d.file).to_str().unwrap().to_string())
        .collect();
    let mut args = vec!["ingest", "--index", idx];
    args.extend(files.iter().map(String::as_str));
    ok(&args);

    let (mut keys, mut paragraphs) = (Score::default(), Score::default());
    let mut problems = Vec::new();
    for doc in &expected.document {
        let shown = json(&["show", "--json", "--index", idx, &doc.symbol]);
        assert_eq!(shown["document"]["symbol"], doc.symbol.as_str());
        let name = |p: &Value| -> String {
            let field = if doc.by == "speaker" {
                &p["speaker_label"]
            } else {
                &p["locator"]["paragraph"]
            };
            person(field.as_str().unwrap_or(""))
        };
        let (mut found, mut found_paras) = (BTreeSet::new(), BTreeSet::new());
        for p in shown["passages"].as_array().unwrap() {
            for c in p["cites"].as_array().into_iter().flatten() {
                let key = c["key"].as_str().unwrap().to_string();
                found.insert((name(p), key.clone()));
                if let Some(para) = c["paragraph"].as_str() {
                    found_paras.insert((name(p), format!("{key} ¶{para}")));
                }
            }
        }
        let labelled: BTreeSet<(String, String)> = doc
            .cites
            .iter()
            .flat_map(|(p, ks)| ks.iter().map(move |k| (person(p), k.clone())))
            .collect();
        let labelled_paras: BTreeSet<(String, String)> = doc
            .paragraphs
            .iter()
            .flat_map(|(p, ks)| {
                ks.iter()
                    .map(move |(k, n)| (person(p), format!("{k} ¶{n}")))
            })
            .collect();
        for (p, k) in found.difference(&labelled) {
            problems.push(format!("{} {p}: found {k}, not labelled", doc.symbol));
        }
        for (p, k) in labelled.difference(&found) {
            problems.push(format!("{} {p}: missed {k}", doc.symbol));
        }
        for (p, k) in found_paras.symmetric_difference(&labelled_paras) {
            problems.push(format!("{} {p}: paragraph {k} differs", doc.symbol));
        }
        keys.add(&found, &labelled);
        paragraphs.add(&found_paras, &labelled_paras);
    }
    println!(
        "citations: {} documents, {} labelled; keys precision {:.1}% recall {:.1}% ({} right, {} \
         found); paragraphs named precision {:.1}% recall {:.1}% ({} of {})",
        expected.document.len(),
        keys.labelled,
        keys.precision() * 100.0,
        keys.recall() * 100.0,
        keys.right,
        keys.found,
        paragraphs.precision() * 100.0,
        paragraphs.recall() * 100.0,
        paragraphs.right,
        paragraphs.labelled,
    );
    for p in &problems {
        println!("  {p}");
    }
    assert!(expected.document.len() >= 13);
    assert!(keys.labelled >= 130, "the set keeps its size");
    // Floors: the goal (precision 99 %, recall 97 %), which travaux meets with every citation
    // of the set; a paragraph named by "of the resolution" after the resolution is not read.
    assert!(
        keys.precision() >= 0.99,
        "precision {:.3}",
        keys.precision()
    );
    assert!(keys.recall() >= 0.97, "recall {:.3}", keys.recall());
    assert!(
        paragraphs.precision() >= 0.99,
        "paragraphs {:.3}",
        paragraphs.precision()
    );
    assert!(
        paragraphs.recall() >= 0.66,
        "paragraphs {:.3}",
        paragraphs.recall()
    );
}
