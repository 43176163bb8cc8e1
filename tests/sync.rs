//! Property: whatever files are added, changed and deleted between runs, ingesting the folder
//! again leaves the index holding exactly the current files, each with the passages a fresh
//! reading gives.

use crate::common::corpus;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use travaux::index::TravauxIndex;
use travaux::ingest;
use travaux::ingest::pipeline::{self, IngestOptions};
use travaux::registry::Registry;

#[derive(Debug, Clone)]
enum Op {
    /// Write file `slot` with source text `text` (add, or replace what is there).
    Write {
        slot: usize,
        text: usize,
    },
    /// Append a line to file `slot`, if it exists.
    Change {
        slot: usize,
    },
    Delete {
        slot: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..4usize, 0..3usize).prop_map(|(slot, text)| Op::Write { slot, text }),
        (0..4usize).prop_map(|slot| Op::Change { slot }),
        (0..4usize).prop_map(|slot| Op::Delete { slot }),
    ]
}

fn sources() -> Vec<String> {
    [
        "transcripts/un-s-pv10100-pv-en.txt",
        "transcripts/un-s-pv10054-pv-en.txt",
        "resolutions/a-c1-80-l20-ict-security-oewg-draft.txt",
    ]
    .iter()
    .map(|p| std::fs::read_to_string(corpus().join(p)).unwrap())
    .collect()
}

/// Document id → passage count, as the index holds them.
fn indexed(dir: &Path, registry: &Arc<Registry>) -> BTreeMap<String, usize> {
    let idx = TravauxIndex::open(dir, registry.clone()).unwrap();
    let mut out = BTreeMap::new();
    for d in travaux::query::stats::documents(&idx).unwrap() {
        out.insert(d.document.id.clone(), d.passages as usize);
    }
    out
}

/// Document id → passage count, as the files now read.
fn expected(docs: &Path, registry: &Registry) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for (path, shown) in pipeline::walk(&[docs.to_path_buf()]).unwrap().files {
        let bytes = std::fs::read(&path).unwrap();
        if let Ok(ingest::FileRead::Document(p)) =
            ingest::parse_file(&path, &shown, &bytes, &Default::default(), registry)
        {
            out.insert(p.document.id.clone(), p.passages.len());
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn the_index_follows_the_folder(ops in proptest::collection::vec(op(), 1..7)) {
        let texts = sources();
        let registry = Arc::new(Registry::embedded());
        let dir = tempfile::tempdir().unwrap();
        let docs = dir.path().join("docs");
        std::fs::create_dir(&docs).unwrap();
        let index: PathBuf = dir.path().join("index");
        let opts = IngestOptions { index_dir: index.clone(), commit_every: 2, ..IngestOptions::default() };
        let file = |slot: usize| docs.join(format!("doc-{slot}.txt"));
        for (n, op) in ops.iter().enumerate() {
            match op {
                Op::Write { slot, text } => std::fs::write(file(*slot), &texts[*text]).unwrap(),
                Op::Change { slot } => {
                    if file(*slot).exists() {
                        let mut t = std::fs::read_to_string(file(*slot)).unwrap();
                        t.push_str(&format!("\n\nThe President: Change {n}.\n"));
                        std::fs::write(file(*slot), t).unwrap();
                    }
                }
                Op::Delete { slot } => {
                    let _ = std::fs::remove_file(file(*slot));
                }
            }
            pipeline::ingest(std::slice::from_ref(&docs), &opts, registry.clone()).unwrap();
            prop_assert_eq!(indexed(&index, &registry), expected(&docs, &registry), "after {:?}", &ops[..=n]);
        }
    }
}
