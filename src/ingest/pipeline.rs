//! The write pipeline: walk the paths a user gives, read and parse each file (on a thread of
//! its own, ahead of indexing), and write the documents to the index in atomic commits.
//!
//! [`compact`] merges what an ingest wrote into one segment, for faster searches.
//!
//! A file that cannot be read is reported with its path and the reason, and the rest goes on.
//! Re-ingesting an unchanged file changes nothing; a changed file replaces its passages; a file
//! gone from a folder ingested again takes its document with it. A kill at any moment leaves the
//! index as of its last commit.

use crate::index::schema::SCHEMA_VERSION;
use crate::index::{writer_error, IndexError, TravauxIndex};
use crate::ingest::manifest::{self, Manifest, Meta};
use crate::ingest::{origin, parse_file, FileRead, Unreadable};
use crate::model::Parsed;
use crate::registry::Registry;
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{IndexWriter, TantivyDocument, Term};

/// A file that was not ingested, and why.
#[derive(Debug, Clone, Serialize, thiserror::Error)]
#[error("{path}: {reason}")]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// What stops an ingest as a whole (a single bad file never does).
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error(transparent)]
    Manifest(#[from] manifest::ManifestError),
    #[error("{path}: {message}")]
    Path { path: String, message: String },
}

impl crate::errors::Coded for IngestError {
    fn code(&self) -> crate::errors::ErrorCode {
        match self {
            IngestError::Index(e) => e.code(),
            IngestError::Manifest(e) => e.code(),
            IngestError::Path { .. } => crate::errors::ErrorCode::BadInput,
        }
    }
}

/// A failure to write the index (a full disk, a folder turned read-only) said as such.
fn not_written(dir: &Path, e: IndexError) -> IndexError {
    match e {
        IndexError::Tantivy(t) => IndexError::Write {
            dir: dir.display().to_string(),
            message: t.to_string(),
        },
        other => other,
    }
}

/// How an ingest run is set up.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    pub index_dir: PathBuf,
    pub rebuild: bool,
    pub manifest: Option<PathBuf>,
    /// Metadata from command-line flags: it wins over everything else.
    pub meta: Meta,
    /// Show a progress bar (only on a terminal).
    pub progress: bool,
    /// Commit after this many files (0: only at the end).
    pub commit_every: usize,
    /// Say on standard error when each commit is durable (for scripts that watch a run).
    pub log_commits: bool,
}

/// What an ingest run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IngestReport {
    pub files: usize,
    pub added: usize,
    pub replaced: usize,
    pub unchanged: usize,
    pub skipped: Vec<Skipped>,
    /// Documents whose files are gone from a folder that was ingested again.
    pub removed: usize,
    /// Files read as metadata for others, not as documents (a ParlaMint corpus header).
    pub metadata: Vec<Skipped>,
    pub passages: usize,
    pub speakers: usize,
    pub agencies: usize,
    pub documents_in_index: u64,
    pub passages_in_index: u64,
    /// The segments the index is in: `travaux compact` merges several into one.
    pub segments: usize,
    pub seconds: f64,
}

/// Files below `paths` in a stable order, without hidden files and folders, manifests and a
/// folder's own documentation (README, SOURCES, LICENSE, CHANGELOG). A path that cannot be read
/// at all stops the run; an entry inside a folder that cannot be read is listed in `unreadable`
/// with the reason, and the rest goes on.
pub fn walk(paths: &[PathBuf]) -> Result<Walked, IngestError> {
    let mut out = Walked::default();
    for root in paths {
        std::fs::metadata(root).map_err(|e| IngestError::Path {
            path: root.display().to_string(),
            message: format!("cannot read: {e}"),
        })?;
        let entries = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !passed_over(&e.file_name().to_string_lossy()));
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = e.path().unwrap_or(root).display().to_string();
                    out.unreadable.push(Skipped {
                        path,
                        reason: format!("cannot read: {e}"),
                    });
                    continue;
                }
            };
            if entry.file_type().is_dir() {
                continue;
            }
            let shown = if entry.depth() == 0 {
                entry.file_name().to_string_lossy().to_string()
            } else {
                entry
                    .path()
                    .strip_prefix(root)
                    .unwrap_or(entry.path())
                    .to_string_lossy()
                    .replace('\\', "/")
            };
            out.files.push((entry.into_path(), shown));
        }
    }
    Ok(out)
}

/// Reads one file; a parser that fails on a file it was not made for (a panic) costs that file
/// alone, reported as skipped, and the run goes on.
fn parse_contained(
    path: &Path,
    shown: &str,
    bytes: &[u8],
    meta: &Meta,
    registry: &Registry,
) -> Result<FileRead, Unreadable> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        parse_file(path, shown, bytes, meta, registry)
    }))
    .unwrap_or_else(|_| {
        Err(Unreadable(
            "travaux could not read this file (an internal error in its parser, reported on \
             standard error); the other files go on"
                .into(),
        ))
    })
}

/// What [`walk`] found.
#[derive(Debug, Default)]
pub struct Walked {
    /// Each file with the path shown to the user (relative to the folder given).
    pub files: Vec<(PathBuf, String)>,
    /// Entries that could not be read.
    pub unreadable: Vec<Skipped>,
}

/// Names a folder walk passes over: hidden files, manifests, a folder's own documentation.
fn passed_over(name: &str) -> bool {
    let upper = name.to_uppercase();
    name.starts_with('.')
        || name == "travaux.toml"
        || ["README", "SOURCES", "LICENSE", "CHANGELOG"]
            .iter()
            .any(|d| upper.starts_with(d))
}

/// Manifests that apply to `file`: `travaux.toml` files in its folder and above (up to the
/// ingest root), nearest first.
fn folder_manifests(
    file: &Path,
    cache: &mut HashMap<PathBuf, Option<Manifest>>,
) -> Result<Vec<Manifest>, IngestError> {
    let mut out = Vec::new();
    let mut dir = file.parent();
    while let Some(d) = dir {
        let entry = match cache.get(d) {
            Some(m) => m.clone(),
            None => {
                let p = d.join("travaux.toml");
                let m = if p.is_file() {
                    Some(Manifest::load(&p, false)?)
                } else {
                    None
                };
                cache.insert(d.to_path_buf(), m.clone());
                m
            }
        };
        out.extend(entry);
        dir = d.parent();
    }
    Ok(out)
}

/// Ingests `paths` into the index described by `opts`.
pub fn ingest(
    paths: &[PathBuf],
    opts: &IngestOptions,
    registry: Arc<Registry>,
) -> Result<IngestReport, IngestError> {
    let started = Instant::now();
    let Walked { files, unreadable } = walk(paths)?;
    let global = opts
        .manifest
        .as_deref()
        .map(|p| Manifest::load(p, true))
        .transpose()?;
    let (idx, writer) = open_for_writing(opts, &registry)?;
    let mut run = Run {
        searcher: idx.reader.searcher(),
        idx: &idx,
        writer,
        opts,
        bar: progress_bar(opts.progress, files.len() as u64),
        report: IngestReport {
            files: files.len(),
            skipped: unreadable,
            ..IngestReport::default()
        },
        seen: HashMap::new(),
        speakers: BTreeSet::new(),
        agencies: BTreeSet::new(),
        since_commit: 0,
    };
    // Files are read and parsed on a thread of their own, a few ahead of the indexing below,
    // so parsing one file overlaps indexing and committing the ones before it.
    std::thread::scope(|scope| -> Result<(), IngestError> {
        let (tx, rx) = std::sync::mpsc::sync_channel(16);
        let (files, global, registry) = (&files, &global, &registry);
        scope.spawn(move || {
            let mut cache = HashMap::new();
            for (path, shown) in files {
                let parsed = read_one(path, shown, opts, global.as_ref(), registry, &mut cache);
                // The indexing side stops reading when it fails: nothing more to parse then.
                if tx.send((shown, parsed)).is_err() {
                    break;
                }
            }
        });
        for (shown, parsed) in rx {
            run.bar.set_message(shown.clone());
            run.take(shown, parsed?)?;
            run.bar.inc(1);
        }
        Ok(())
    })?;
    run.bar.finish_and_clear();
    run.remove_gone(paths, &files);
    run.finish(started)
}

/// The index opened (or created, or rebuilt when asked) with a writer on it.
fn open_for_writing(
    opts: &IngestOptions,
    registry: &Arc<Registry>,
) -> Result<(TravauxIndex, IndexWriter<TantivyDocument>), IngestError> {
    let idx = match TravauxIndex::create_or_open(&opts.index_dir, registry.clone()) {
        // An index of another schema version is rebuilt from scratch when asked.
        Err(IndexError::SchemaMismatch { .. }) if opts.rebuild => {
            TravauxIndex::recreate(&opts.index_dir, registry.clone())?
        }
        other => other?,
    };
    let writer: IndexWriter<TantivyDocument> = idx
        .index
        .writer(200_000_000)
        .map_err(|e| writer_error(&opts.index_dir, e))?;
    if opts.rebuild {
        writer.delete_all_documents().map_err(IndexError::from)?;
    }
    Ok((idx, writer))
}

/// One file read and parsed, with the metadata the flags, the global manifest and the
/// manifests of its folders give it.
fn read_one(
    path: &Path,
    shown: &str,
    opts: &IngestOptions,
    global: Option<&Manifest>,
    registry: &Registry,
    cache: &mut HashMap<PathBuf, Option<Manifest>>,
) -> Result<Result<FileRead, Unreadable>, IngestError> {
    let mut meta = opts.meta.clone();
    if let Some(g) = global.and_then(|g| g.lookup(path)) {
        meta = meta.or(&g);
    }
    for m in folder_manifests(path, cache)? {
        if let Some(x) = m.lookup(path) {
            meta = meta.or(&x);
        }
    }
    Ok(std::fs::read(path)
        .map_err(|e| Unreadable(format!("cannot read: {e}")))
        .and_then(|bytes| parse_contained(path, shown, &bytes, &meta, registry)))
}

/// One ingest run as it goes: the writer, what was seen, and the report.
struct Run<'a> {
    idx: &'a TravauxIndex,
    searcher: tantivy::Searcher,
    writer: IndexWriter<TantivyDocument>,
    opts: &'a IngestOptions,
    bar: indicatif::ProgressBar,
    report: IngestReport,
    /// Each document id of this run, with the file that gave it and its content hash.
    seen: HashMap<String, (String, String)>,
    speakers: BTreeSet<String>,
    agencies: BTreeSet<String>,
    since_commit: usize,
}

impl Run<'_> {
    /// Indexes one file's document (replacing an older version of it), or reports why not.
    fn take(
        &mut self,
        shown: &str,
        parsed: Result<FileRead, Unreadable>,
    ) -> Result<(), IngestError> {
        let parsed: Parsed = match parsed {
            Ok(FileRead::Document(p)) => p,
            Ok(FileRead::Metadata(what)) => {
                self.report.metadata.push(Skipped {
                    path: shown.to_string(),
                    reason: what,
                });
                return Ok(());
            }
            Err(Unreadable(reason)) => {
                self.bar.println(format!("skipped {shown}: {reason}"));
                self.report.skipped.push(Skipped {
                    path: shown.to_string(),
                    reason,
                });
                return Ok(());
            }
        };
        let doc = &parsed.document;
        if let Some((other, hash)) = self.seen.get(&doc.id) {
            if *hash != doc.hash {
                let reason = format!("document id `{}` is already taken by {other} in this run: rename one of the files", doc.id);
                self.report.skipped.push(Skipped {
                    path: shown.to_string(),
                    reason,
                });
            } else {
                self.report.unchanged += 1;
            }
            return Ok(());
        }
        self.seen
            .insert(doc.id.clone(), (shown.to_string(), doc.hash.clone()));
        let existing = if self.opts.rebuild {
            None
        } else {
            stored_hash(self.idx, &self.searcher, &doc.id)
        };
        match existing {
            Some(h) if h == doc.hash => {
                self.report.unchanged += 1;
                return Ok(());
            }
            Some(_) => {
                self.writer
                    .delete_term(Term::from_field_text(self.idx.fields.doc_id, &doc.id));
                self.report.replaced += 1;
            }
            None => self.report.added += 1,
        }
        let dir = &self.opts.index_dir;
        for p in &parsed.passages {
            self.writer
                .add_document(self.idx.to_doc(doc, p))
                .map_err(|e| not_written(dir, IndexError::from(e)))?;
            self.speakers.extend(p.speaker.clone());
            self.agencies.extend(p.agency.clone());
        }
        self.report.passages += parsed.passages.len();
        self.since_commit += 1;
        if self.opts.commit_every > 0 && self.since_commit >= self.opts.commit_every {
            commit(&mut self.writer, &self.report, self.opts.log_commits)
                .map_err(|e| not_written(dir, e))?;
            self.since_commit = 0;
        }
        Ok(())
    }

    /// A folder ingested again: documents whose files are gone from it go too (in the same
    /// commit as the rest of the run).
    fn remove_gone(&mut self, paths: &[PathBuf], files: &[(PathBuf, String)]) {
        let present: std::collections::HashSet<String> =
            files.iter().map(|(p, _)| origin(p)).collect();
        for root in paths.iter().filter(|p| p.is_dir()) {
            let mut prefix = origin(root);
            if !prefix.ends_with(std::path::MAIN_SEPARATOR) {
                prefix.push(std::path::MAIN_SEPARATOR);
            }
            for gone in origins_under(&self.searcher, self.idx.fields.origin, &prefix)
                .into_iter()
                .filter(|o| !present.contains(o))
            {
                self.writer
                    .delete_term(Term::from_field_text(self.idx.fields.origin, &gone));
                self.report.removed += 1;
            }
        }
    }

    /// The last commit, merges finished and old files collected, and the report completed
    /// from the index as it now is.
    fn finish(mut self, started: Instant) -> Result<IngestReport, IngestError> {
        let dir = &self.opts.index_dir;
        commit(&mut self.writer, &self.report, self.opts.log_commits)
            .map_err(|e| not_written(dir, e))?;
        self.idx.record_info()?;
        self.writer
            .wait_merging_threads()
            .map_err(|e| not_written(dir, IndexError::from(e)))?;
        if let Ok(w) = self.idx.index.writer::<TantivyDocument>(50_000_000) {
            let _ = w.garbage_collect_files().wait();
        }
        self.idx.reader.reload().map_err(IndexError::from)?;
        let s = self.idx.reader.searcher();
        let mut report = self.report;
        report.passages_in_index = s.num_docs();
        report.segments = s.segment_readers().len();
        report.documents_in_index = crate::query::facets::distinct_documents(&s).unwrap_or(0);
        report.speakers = self.speakers.len();
        report.agencies = self.agencies.len();
        report.seconds = started.elapsed().as_secs_f64();
        Ok(report)
    }
}

/// What [`compact`] did.
#[derive(Debug, Clone, Serialize)]
pub struct CompactReport {
    /// The index's segments (the parts a search reads one after another) before and after.
    pub segments_before: usize,
    pub segments_after: usize,
    pub passages_in_index: u64,
    pub seconds: f64,
}

/// Merges the index's segments into one, and drops what replaced or removed documents left
/// behind. An ingest leaves a large index in several segments (nine at a million passages), and
/// a search looks every word up and reads every list once per segment: one segment answers
/// sooner. Safe to interrupt: the merged segment replaces the others in one step, so a kill
/// leaves the index as it was, every document in it.
pub fn compact(index_dir: &Path, registry: Arc<Registry>) -> Result<CompactReport, IngestError> {
    let started = Instant::now();
    let idx = TravauxIndex::open(index_dir, registry)?;
    let mut writer: IndexWriter<TantivyDocument> = idx
        .index
        .writer(50_000_000)
        .map_err(|e| writer_error(index_dir, e))?;
    writer.set_merge_policy(Box::new(tantivy::merge_policy::NoMergePolicy));
    let segments = |idx: &TravauxIndex| {
        idx.index
            .searchable_segment_ids()
            .map_err(|e| not_written(index_dir, IndexError::from(e)))
    };
    let before = segments(&idx)?;
    let deleted = idx
        .reader
        .searcher()
        .segment_readers()
        .iter()
        .any(|s| s.num_deleted_docs() > 0);
    if before.len() > 1 || deleted {
        writer
            .merge(&before)
            .wait()
            .map_err(|e| not_written(index_dir, IndexError::from(e)))?;
    }
    let _ = writer.garbage_collect_files().wait();
    writer
        .wait_merging_threads()
        .map_err(|e| not_written(index_dir, IndexError::from(e)))?;
    idx.reader.reload().map_err(IndexError::from)?;
    Ok(CompactReport {
        segments_before: before.len(),
        segments_after: segments(&idx)?.len(),
        passages_in_index: idx.reader.searcher().num_docs(),
        seconds: started.elapsed().as_secs_f64(),
    })
}

fn commit(
    writer: &mut IndexWriter<TantivyDocument>,
    report: &IngestReport,
    log: bool,
) -> Result<(), IndexError> {
    let mut prepared = writer.prepare_commit()?;
    let payload = serde_json::json!({
        "schema_version": SCHEMA_VERSION,
        "added": report.added,
        "replaced": report.replaced,
        "passages": report.passages,
    });
    prepared.set_payload(&payload.to_string());
    // A kill can land after the commit is durable but before it is reported: the "committing"
    // line says which totals the index may hold from that moment.
    if log {
        eprintln!(
            "committing: added={} replaced={} passages={}",
            report.added, report.replaced, report.passages
        );
    }
    prepared.commit()?;
    if log {
        eprintln!(
            "committed: added={} replaced={} passages={}",
            report.added, report.replaced, report.passages
        );
    }
    Ok(())
}

/// Every value of a keyword field that starts with `prefix`, across the index's segments.
fn origins_under(
    searcher: &tantivy::Searcher,
    field: tantivy::schema::Field,
    prefix: &str,
) -> Vec<String> {
    let mut out = Vec::new();
    for seg in searcher.segment_readers() {
        let Ok(inverted) = seg.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = inverted.terms().range().ge(prefix.as_bytes()).into_stream() else {
            continue;
        };
        while stream.advance() {
            let Ok(value) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            if !value.starts_with(prefix) {
                break;
            }
            if !out.iter().any(|o| o == value) {
                out.push(value.to_string());
            }
        }
    }
    // A term of a document already deleted still lists: keep the live ones.
    out.retain(|o| {
        let q = TermQuery::new(Term::from_field_text(field, o), IndexRecordOption::Basic);
        searcher.search(&q, &tantivy::collector::Count).unwrap_or(0) > 0
    });
    out
}

fn stored_hash(idx: &TravauxIndex, searcher: &tantivy::Searcher, doc_id: &str) -> Option<String> {
    let q = TermQuery::new(
        Term::from_field_text(idx.fields.doc_id, doc_id),
        IndexRecordOption::Basic,
    );
    let top = searcher
        .search(&q, &TopDocs::with_limit(1).order_by_score())
        .ok()?;
    let (_, addr) = top.first()?;
    let d: TantivyDocument = searcher.doc(*addr).ok()?;
    Some(idx.from_doc(&d).hash)
}

fn progress_bar(wanted: bool, len: u64) -> indicatif::ProgressBar {
    if !wanted || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} files {msg}") {
        bar.set_style(style);
    }
    bar
}
