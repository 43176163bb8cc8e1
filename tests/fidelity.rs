//! Faithful text, measured on UN documents the parsers were not written on
//! (`tests/fixtures/fidelity/`, provenance in its SOURCES.md): every paragraph where the
//! document has it, every footnote marker out of the text and kept with its paragraph, and every
//! number of the text as printed. `expected.toml` holds the hand-checked answers.

use crate::common::*;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Expected {
    document: Vec<Doc>,
}

#[derive(Deserialize)]
struct Doc {
    file: String,
    symbol: String,
    paragraphs: Vec<String>,
    markers: usize,
    #[serde(default)]
    cites: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    keep: Vec<(String, String)>,
    #[serde(default)]
    sections: BTreeMap<String, String>,
}

#[test]
fn unseen_documents_read_as_printed() {
    let set = root().join("tests/fixtures/fidelity");
    let expected: Expected =
        toml::from_str(&std::fs::read_to_string(set.join("expected.toml")).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("index");
    ok(&[
        "ingest",
        "--index",
        idx.to_str().unwrap(),
        set.join("docs").to_str().unwrap(),
    ]);
    let (mut markers, mut found, mut kept, mut keeps, mut exact) = (0, 0, 0, 0, 0);
    let mut problems = Vec::new();
    for doc in &expected.document {
        let id = doc.file.trim_end_matches(".txt");
        let shown = json(&["show", "--json", "--index", idx.to_str().unwrap(), id]);
        assert_eq!(shown["document"]["symbol"], doc.symbol.as_str());
        let passages = shown["passages"].as_array().unwrap();
        let para = |p: &Value| p["locator"]["paragraph"].as_str().unwrap_or("").to_string();
        let labels: Vec<String> = passages.iter().map(para).collect();
        if labels == doc.paragraphs {
            exact += 1;
        } else {
            problems.push(format!("{id}: paragraphs {labels:?}"));
        }
        let by_label: BTreeMap<String, &Value> = passages.iter().map(|p| (para(p), p)).collect();
        // Markers: each cited by the paragraph the document prints it in, and none left over.
        markers += doc.markers;
        let mut cited: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for p in passages {
            let marks: Vec<String> = p["footnotes"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|f| f["mark"].as_str().unwrap().to_string())
                .collect();
            assert!(
                p["footnotes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .all(|f| !f["text"].as_str().unwrap().is_empty()),
                "{id}: a footnote without its text"
            );
            if !marks.is_empty() {
                found += marks.len();
                cited.insert(para(p), marks);
            }
        }
        if cited != doc.cites {
            problems.push(format!("{id}: markers {cited:?}"));
        }
        for (label, text) in &doc.keep {
            keeps += 1;
            let have = by_label
                .get(label)
                .and_then(|p| p["text"].as_str())
                .unwrap_or("");
            if have.contains(text.as_str()) {
                kept += 1;
            } else {
                problems.push(format!("{id} {label}: `{text}` not in `{have}`"));
            }
        }
        for (label, section) in &doc.sections {
            let have = by_label
                .get(label)
                .and_then(|p| p["locator"]["section"].as_str())
                .unwrap_or("");
            if have != section {
                problems.push(format!(
                    "{id} {label}: section `{have}`, expected `{section}`"
                ));
            }
        }
    }
    println!(
        "fidelity: {} documents, paragraphs exact in {exact}; footnote markers taken out and kept \
         {found}/{markers}; text kept as printed {kept}/{keeps}",
        expected.document.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(found, markers);
    assert_eq!(kept, keeps);
}
