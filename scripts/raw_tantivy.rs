//! The ceiling travaux's benchmark compares against: the same files indexed by a bare tantivy
//! index with travaux's analyzer (words, lowercase, accents folded, English stems, positions)
//! and nothing else — no format parsing, no registries, no attribution, no metadata. Each file
//! is cut into passages at blank lines. Run by `scripts/scale_bench.py`:
//!
//!   raw_tantivy index INDEX_DIR FOLDER        → {"files", "passages", "bytes", "seconds"}
//!   raw_tantivy query INDEX_DIR MIX ROUNDS    → latency per class of the mix's text-only queries
//!
//! Queries use tantivy's own query parser (all words required, "phrases", OR, -word), top 10
//! hits with their stored text, and the total count, as travaux answers a search.

use std::path::{Path, PathBuf};
use std::time::Instant;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::QueryParser;
use tantivy::schema::{
    IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING,
};
use tantivy::{doc, Index, IndexWriter, TantivyDocument};

fn files(root: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for e in std::fs::read_dir(root)? {
        let p = e?.path();
        if p.is_dir() {
            files(&p, out)?;
        } else {
            out.push(p);
        }
    }
    Ok(())
}

/// The text between blank (or whitespace-only) lines, lines joined by a space.
fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else {
            if !cur.is_empty() {
                cur.push(' ');
            }
            cur.push_str(line);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn schema() -> Schema {
    let mut sb = Schema::builder();
    let indexing = TextFieldIndexing::default()
        .set_tokenizer("travaux")
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    sb.add_text_field(
        "body",
        TextOptions::default()
            .set_indexing_options(indexing)
            .set_stored(),
    );
    sb.add_text_field("file", STRING | STORED);
    sb.build()
}

fn index(dir: &Path, root: &Path) -> tantivy::Result<serde_json::Value> {
    let started = Instant::now();
    std::fs::create_dir_all(dir)?;
    let index = Index::create_in_dir(dir, schema())?;
    index
        .tokenizers()
        .register("travaux", travaux::text::analysis::analyzer());
    let s = index.schema();
    let (body, file) = (s.get_field("body")?, s.get_field("file")?);
    let mut writer: IndexWriter<TantivyDocument> = index.writer(200_000_000)?;
    let mut paths = Vec::new();
    files(root, &mut paths)?;
    paths.sort();
    let (mut passages, mut bytes) = (0u64, 0u64);
    for p in &paths {
        let Ok(text) = std::fs::read_to_string(p) else {
            continue;
        };
        bytes += text.len() as u64;
        let name = p.display().to_string();
        for para in paragraphs(&text) {
            writer.add_document(doc!(body => para, file => name.as_str()))?;
            passages += 1;
        }
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(serde_json::json!({
        "files": paths.len(), "passages": passages, "bytes": bytes,
        "seconds": started.elapsed().as_secs_f64(),
    }))
}

/// The text of a mix line's search when it has nothing but words (filters, facets counted by
/// field and date order need metadata this index does not have).
fn text_only(line: &serde_json::Value) -> Option<(String, String)> {
    let search = line.get("search")?.as_object()?;
    let q = search.get("q")?.as_str()?;
    let plain = search
        .keys()
        .all(|k| matches!(k.as_str(), "q" | "facets" | "limit"));
    plain.then(|| {
        (
            line["class"].as_str().unwrap_or("?").to_string(),
            q.to_string(),
        )
    })
}

fn query(
    dir: &Path,
    mix: &Path,
    rounds: usize,
) -> Result<serde_json::Value, Box<dyn std::error::Error>> {
    let index = Index::open_in_dir(dir)?;
    index
        .tokenizers()
        .register("travaux", travaux::text::analysis::analyzer());
    let body = index.schema().get_field("body")?;
    let reader = index.reader()?;
    let mut parser = QueryParser::for_index(&index, vec![body]);
    parser.set_conjunction_by_default();
    let mut mixed = Vec::new();
    for line in std::fs::read_to_string(mix)?
        .lines()
        .filter(|l| !l.trim().is_empty())
    {
        if let Some((class, q)) = text_only(&serde_json::from_str(line)?) {
            mixed.push((class, parser.parse_query(&q)?));
        }
    }
    let run = |q: &dyn tantivy::query::Query| -> tantivy::Result<u64> {
        let searcher = reader.searcher();
        let (top, count) =
            searcher.search(q, &(TopDocs::with_limit(10).order_by_score(), Count))?;
        for (_, addr) in top {
            let d: TantivyDocument = searcher.doc(addr)?;
            std::hint::black_box(d.get_first(body).and_then(|v| v.as_str()).map(str::len));
        }
        Ok(count as u64)
    };
    for (_, q) in &mixed {
        run(q.as_ref())?;
    }
    let mut timings = travaux::cli::bench::Timings::default();
    for (class, _) in &mixed {
        timings.query(class);
    }
    for _ in 0..rounds {
        for (class, q) in &mixed {
            let t = Instant::now();
            let hits = run(q.as_ref())?;
            timings.record(class, t.elapsed().as_secs_f64() * 1000.0, hits);
        }
    }
    let (classes, all) = timings.summaries();
    Ok(serde_json::json!({
        "passages": reader.searcher().num_docs(), "rounds": rounds, "classes": classes,
        "all": all,
    }))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["index", dir, root] => index(Path::new(dir), Path::new(root))?,
        ["query", dir, mix, rounds] => query(Path::new(dir), Path::new(mix), rounds.parse()?)?,
        _ => {
            return Err(
                "usage: raw_tantivy index INDEX_DIR FOLDER | query INDEX_DIR MIX ROUNDS".into(),
            )
        }
    };
    println!("{out}");
    Ok(())
}
