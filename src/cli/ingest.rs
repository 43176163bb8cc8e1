//! `travaux ingest`, `travaux compact` and `travaux serve`: files into the index (with a summary
//! of what was read and what was refused), the index merged into one segment, and the server
//! over it (the bundled demo corpus when there is none).

use super::{registry, Common};
use super::{CompactArgs, IngestArgs, ServeArgs};
use crate::index::TravauxIndex;
use crate::ingest::manifest::Meta;
use crate::ingest::pipeline::{self, IngestOptions};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// A base URL: `http://` or `https://`, a host, and an optional path.
pub(super) fn base_url(s: &str) -> std::result::Result<String, String> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .ok_or("expected an http:// or https:// URL, such as https://example.org/travaux")?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty()
        || s.chars()
            .any(|c| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '?' | '#'))
    {
        return Err(
            "expected a URL with a host and no query, such as https://example.org/travaux".into(),
        );
    }
    Ok(s.trim_end_matches('/').to_string())
}

/// The demo corpus bundled with travaux: `./demo`, else the one in the source tree.
fn demo_corpus() -> Option<PathBuf> {
    [
        PathBuf::from("demo"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("demo"),
    ]
    .into_iter()
    .find(|p| p.join("travaux.toml").is_file())
}

pub(super) fn serve_cmd(a: ServeArgs, common: &Common) -> Result<ExitCode> {
    let reg = registry(common)?;
    let mut to_ingest = a.ingest.clone();
    if to_ingest.is_empty() && !common.index.join("meta.json").exists() {
        let demo = demo_corpus().context("there is no index and no demo corpus to build one from: run `travaux ingest PATH...` first")?;
        println!(
            "no index at {}: ingesting the demo corpus in {}",
            common.index.display(),
            demo.display()
        );
        to_ingest.push(demo);
    }
    if !to_ingest.is_empty() {
        let opts = IngestOptions {
            index_dir: common.index.clone(),
            commit_every: 500,
            ..IngestOptions::default()
        };
        let report = pipeline::ingest(&to_ingest, &opts, reg.clone())?;
        for s in &report.skipped {
            eprintln!("skipped {}: {}", s.path, s.reason);
        }
        for s in &report.metadata {
            eprintln!("read {} as metadata: {}", s.path, s.reason);
        }
        println!(
            "{} documents, {} passages indexed",
            report.documents_in_index, report.passages_in_index
        );
    }
    let idx = Arc::new(TravauxIndex::open(&common.index, reg)?);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(crate::server::serve(idx, a.addr, a.base_url.clone()))?;
    Ok(ExitCode::SUCCESS)
}

pub(super) fn compact_cmd(a: CompactArgs, common: &Common) -> Result<ExitCode> {
    let report = pipeline::compact(&common.index, registry(common)?)?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else if report.segments_before > 1 {
        println!(
            "index {}: {} segments merged into {} ({} passages) in {:.2}s",
            common.index.display(),
            report.segments_before,
            report.segments_after,
            report.passages_in_index,
            report.seconds
        );
    } else {
        println!(
            "index {}: one segment already ({} passages)",
            common.index.display(),
            report.passages_in_index
        );
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn ingest_cmd(a: IngestArgs, common: &Common) -> Result<ExitCode> {
    let opts = IngestOptions {
        index_dir: common.index.clone(),
        rebuild: a.rebuild,
        manifest: a.manifest.clone(),
        meta: Meta {
            kind: a.kind,
            work: a.work.clone(),
            version: a.version.clone(),
            date: a.date,
            author: a.author.clone(),
            language: a.language.clone(),
            ..Meta::default()
        },
        progress: !a.json,
        commit_every: a.commit_every,
        log_commits: a.log_commits,
    };
    let report = pipeline::ingest(&a.paths, &opts, registry(common)?)?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for s in &report.skipped {
            eprintln!("skipped {}: {}", s.path, s.reason);
        }
        println!(
            "{} files: {} added, {} replaced, {} unchanged, {} skipped; {} passages indexed ({} speakers, {} agencies) in {:.2}s",
            report.files,
            report.added,
            report.replaced,
            report.unchanged,
            report.skipped.len(),
            report.passages,
            report.speakers,
            report.agencies,
            report.seconds
        );
        println!(
            "index {}: {} documents, {} passages",
            common.index.display(),
            report.documents_in_index,
            report.passages_in_index
        );
        if report.segments > 2 {
            eprintln!(
                "hint: the index is in {} segments; `travaux compact` merges them into one, and searches answer sooner",
                report.segments
            );
        }
    }
    Ok(if report.skipped.is_empty() {
        ExitCode::SUCCESS
    } else {
        super::Exit::Partial.into()
    })
}
