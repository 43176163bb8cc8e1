//! Helpers for the integration tests: run the `travaux` binary, locate the test corpus, and
//! keep one index of the real corpus for the read-only tests.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The real documents the tests read (a copy of the shared corpus, provenance in its SOURCES.md).
pub fn corpus() -> PathBuf {
    let c = root().join("tests/fixtures/corpus");
    assert!(
        c.join("transcripts").is_dir(),
        "the test corpus is expected at {}",
        c.display()
    );
    c
}

/// Runs `travaux` with `args`.
pub fn travaux(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_travaux"))
        .args(args)
        .output()
        .expect("run travaux")
}

/// Runs `travaux` and returns stdout, failing the test on a non-zero exit.
pub fn ok(args: &[&str]) -> String {
    let out = travaux(args);
    assert!(
        out.status.success(),
        "travaux {args:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Runs a JSON-printing command and parses its output.
pub fn json(args: &[&str]) -> Value {
    let s = ok(args);
    serde_json::from_str(&s)
        .unwrap_or_else(|e| panic!("travaux {args:?} printed no JSON ({e}): {s}"))
}

/// An index of the test corpus's transcripts, resolutions and submissions (with the
/// shared-corpus manifest), built once for all read-only tests.
pub fn corpus_index() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, p) = DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let idx = dir.path().join("index");
        let c = corpus();
        let manifest = root().join("manifests/shared-corpus.toml");
        ok(&[
            "ingest",
            "--index",
            idx.to_str().unwrap(),
            "--manifest",
            manifest.to_str().unwrap(),
            c.join("transcripts").to_str().unwrap(),
            c.join("resolutions").to_str().unwrap(),
            c.join("submissions").to_str().unwrap(),
        ]);
        (dir, idx)
    });
    p
}

/// `travaux search --json` on the corpus index with extra arguments.
pub fn search(args: &[&str]) -> Value {
    let idx = corpus_index().to_str().unwrap().to_string();
    let mut all = vec!["search", "--json", "--index", &idx];
    all.extend_from_slice(args);
    json(&all)
}

/// Every passage of a document, as `travaux show --json` gives them.
pub fn passages(doc: &str) -> Vec<Value> {
    let idx = corpus_index().to_str().unwrap().to_string();
    let v = json(&["show", "--json", "--index", &idx, doc]);
    v["passages"].as_array().expect("passages").clone()
}

/// An index of the documents in the six official languages (`tests/fixtures/multilingual/`),
/// built once.
pub fn multilingual_index() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, p) = DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let idx = dir.path().join("index");
        let folder = root().join("tests/fixtures/multilingual");
        ok(&[
            "ingest",
            "--index",
            idx.to_str().unwrap(),
            folder.to_str().unwrap(),
        ]);
        (dir, idx)
    });
    p
}
