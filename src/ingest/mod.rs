//! Ingest: walk the paths a user gives, recognise each file's format, run its parser, complete
//! the result from manifests and registries, and write it to the index in atomic commits.
//!
//! A file that cannot be read is reported with its path and the reason, and the rest goes on.
//! Re-ingesting an unchanged file changes nothing; a changed file replaces its passages. A kill
//! at any moment leaves the index as of its last commit.

pub mod docx;
pub mod frontmatter;
pub mod manifest;
pub mod minutes;
pub mod pdf;
pub mod pdftext;
pub mod report;
pub mod resolution;
pub mod submission;
pub mod teams;
pub mod verbatim;
pub mod vtt;
pub mod xml;

use crate::enrich::{self, canonical_agency};
use crate::index::{writer_error, IndexError, TravauxIndex};
use crate::model::{Date, Document, Kind, Locator, Parsed};
use crate::registry::Registry;
use crate::text::slug;
use manifest::{Manifest, Meta};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashMap};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{IndexWriter, TantivyDocument, Term};

/// Bumped whenever a parser changes what it reads from a file, so unchanged files are read again.
pub const PARSER_REVISION: u32 = 2;

/// Why a file's structure could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("unrecognised structure: {0}")]
    Structure(String),
}

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

/// One turn or paragraph as a parser read it, before enrichment.
#[derive(Debug, Clone, Default)]
pub struct Turn {
    /// The speaker label as written.
    pub label: Option<String>,
    /// The speaker's full name where the source gives it (an attendee table).
    pub speaker: Option<String>,
    /// The entity the source says the speaker speaks for.
    pub agency: Option<String>,
    /// When that entity is a group: the members the source names or the registry knows.
    pub members: Vec<String>,
    /// The speaker's role or office as the source states it ("Prime Minister").
    pub role: Option<String>,
    /// The language the source declares for the text.
    pub language: Option<String>,
    pub text: String,
    pub locator: Locator,
}

/// What a parser read from one file.
#[derive(Debug, Clone)]
pub struct Draft {
    pub kind: Kind,
    pub title: Option<String>,
    pub date: Option<Date>,
    pub symbol: Option<String>,
    pub author: Option<String>,
    pub agenda_item: Option<String>,
    /// The masthead of a UN document, where its version is declared.
    pub masthead: String,
    /// The symbol of the draft this text was negotiated from.
    pub based_on: Option<String>,
    /// "On behalf of the States that are members of the Group of 77 and China".
    pub on_behalf_of: Option<String>,
    /// A UN document issued in versions (revisions) though not a resolution: a report, a
    /// compendium.
    pub versioned: bool,
    /// The work the source says the text belongs to (Akoma Ntoso's FRBR work).
    pub work: Option<String>,
    pub turns: Vec<Turn>,
}

impl Draft {
    /// An empty draft of a kind.
    pub fn new(kind: Kind) -> Draft {
        Draft {
            kind,
            title: None,
            date: None,
            symbol: None,
            author: None,
            agenda_item: None,
            masthead: String::new(),
            based_on: None,
            on_behalf_of: None,
            versioned: false,
            work: None,
            turns: Vec::new(),
        }
    }

    /// Adds a turn.
    pub fn push_turn(&mut self, label: Option<String>, text: String, locator: Locator) {
        self.turns.push(Turn {
            label,
            text,
            locator,
            ..Turn::default()
        });
    }
}

/// True when `s` ends a sentence.
pub fn ends_sentence(s: &str) -> bool {
    s.trim_end()
        .ends_with(['.', '?', '!', '…', '"', '”', ')', ':'])
}

/// The formats travaux reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Teams,
    WebVtt,
    Verbatim,
    Minutes,
    Resolution,
    /// A UN document that is not a resolution: a report, a note, a compendium of statements.
    Report,
    Submission {
        markdown: bool,
    },
}

/// How `parse_file` says a file holds metadata for other files rather than a document.
const METADATA: &str = "metadata: ";

/// Extensions of formats that are recognised but not read yet, with what to tell the user.
const NOT_YET: [(&str, &str); 5] = [
    (
        "doc",
        "Word 97–2003 documents are not read: save as .docx or plain text",
    ),
    ("json", "JSON (speech-recognition output) is not read yet"),
    ("zip", "archives are not read: unpack them first"),
    ("gz", "compressed files are not read: unpack them first"),
    (
        "html",
        "HTML pages are not read yet: save as plain text or markdown",
    ),
];

/// Recognises the format of a text. `kind` (from a flag or manifest) narrows the choice;
/// `ext` is the file's extension.
pub fn detect(text: &str, ext: &str, kind: Option<Kind>) -> Option<Format> {
    let markdown = ext == "md" || ext == "markdown";
    let transcript = || {
        if vtt::detect(text) {
            Some(Format::WebVtt)
        } else if teams::detect(text) {
            Some(Format::Teams)
        } else if verbatim::detect(text) {
            Some(Format::Verbatim)
        } else if minutes::detect(text) {
            Some(Format::Minutes)
        } else {
            None
        }
    };
    match kind {
        Some(Kind::Transcript) => transcript(),
        Some(Kind::Resolution) => resolution::detect(text).then_some(Format::Resolution),
        Some(Kind::Submission) if report::detect(text) => Some(Format::Report),
        Some(Kind::Submission) => Some(Format::Submission { markdown }),
        // A PDF is a UN document, a meeting record, or else a publication read as a submission.
        None if ext == "pdf" => Some(if resolution::detect(text) {
            Format::Resolution
        } else if verbatim::detect(text) {
            Format::Verbatim
        } else if report::detect(text) {
            Format::Report
        } else {
            Format::Submission { markdown: false }
        }),
        None => {
            if ext == "vtt" || vtt::detect(text) {
                return Some(Format::WebVtt);
            }
            if resolution::detect(text) {
                return Some(Format::Resolution);
            }
            transcript().or_else(|| report::detect(text).then_some(Format::Report))
        }
    }
}

/// Reads one file into a document and its passages. `meta` is what flags and manifests say.
pub fn parse_file(
    path: &Path,
    shown: &str,
    bytes: &[u8],
    meta: &Meta,
    registry: &Registry,
) -> Result<Parsed, String> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if let Some((_, why)) = NOT_YET.iter().find(|(e, _)| *e == ext) {
        return Err(format!("unsupported format: {why}"));
    }
    if ext == "xml" {
        return match xml::read(bytes, path)? {
            xml::Read::Document(draft) => Ok(assemble(
                path,
                shown,
                bytes,
                *draft,
                meta,
                Vec::new(),
                registry,
            )),
            xml::Read::Metadata(what) => Err(format!("{METADATA}{what}")),
        };
    }
    if ext == "docx" {
        let text = docx::text(bytes)?;
        return parse_text(path, shown, bytes, &text, "docx", meta, registry);
    }
    if ext == "pdf" || bytes.starts_with(b"%PDF-") {
        let text = pdf::text(bytes)?;
        return parse_text(path, shown, bytes, &text, "pdf", meta, registry);
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err("empty file".into());
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err("UTF-16 text is not read: save the file as UTF-8".into());
    }
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err("binary file (contains NUL bytes): expected UTF-8 text".into());
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        format!(
            "invalid UTF-8 at line {line} (byte {}): expected UTF-8 text",
            e.valid_up_to()
        )
    })?;
    parse_text(path, shown, bytes, text, &ext, meta, registry)
}

/// Reads the text of a file (as stored, or extracted from a PDF) into a document.
fn parse_text(
    path: &Path,
    shown: &str,
    bytes: &[u8],
    text: &str,
    ext: &str,
    meta: &Meta,
    registry: &Registry,
) -> Result<Parsed, String> {
    let (fm, body) = frontmatter::split(text);
    let fm_meta = fm.as_ref().map(front_meta).unwrap_or_default();
    let meta = meta.clone().or(&fm_meta);
    let mut kind = meta.kind;
    if kind.is_none() && fm.is_some() && detect(body, ext, None).is_none() {
        kind = Some(Kind::Submission);
    }
    if kind.is_none() && in_folder_named(path, "submission") {
        kind = Some(Kind::Submission);
    }
    let format = detect(body, ext, kind).ok_or_else(|| match kind {
        Some(k) => {
            format!("unrecognised structure: no {k} structure found (turns, numbered paragraphs)")
        }
        None => {
            "unrecognised structure: not a transcript (speaker turns), a UN document (symbol and \
                 masthead) or a submission; say which with --kind or a travaux.toml manifest"
                .to_string()
        }
    })?;
    let first_line = fm.as_ref().map_or(1, |f| f.lines + 1);
    let draft = match format {
        Format::Teams => teams::parse(body),
        Format::WebVtt => vtt::parse(body),
        Format::Verbatim => verbatim::parse(body),
        Format::Minutes => minutes::parse(body),
        Format::Resolution => resolution::parse(body),
        Format::Report => report::parse(body, registry),
        Format::Submission { markdown } => submission::parse(body, markdown, first_line),
    }
    .map_err(|e| e.to_string())?;
    Ok(assemble(
        path,
        shown,
        bytes,
        draft,
        &meta,
        fm.as_ref().map(|f| f.authors.clone()).unwrap_or_default(),
        registry,
    ))
}

fn in_folder_named(path: &Path, word: &str) -> bool {
    path.parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.to_lowercase().contains(word))
}

fn front_meta(fm: &frontmatter::FrontMatter) -> Meta {
    let f = |k: &str| fm.fields.get(k).cloned().filter(|v| !v.is_empty());
    Meta {
        kind: f("kind").and_then(|k| k.parse().ok()),
        title: f("title"),
        date: f("date").and_then(|d| d.parse().ok()),
        symbol: f("symbol"),
        work: f("work"),
        version: f("version"),
        author: f("organisation").or_else(|| f("organization")),
        agency: f("agency"),
    }
}

fn assemble(
    path: &Path,
    shown: &str,
    bytes: &[u8],
    draft: Draft,
    meta: &Meta,
    authors: Vec<String>,
    registry: &Registry,
) -> Parsed {
    let kind = meta.kind.unwrap_or(draft.kind);
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("document");
    let symbol = meta.symbol.clone().or(draft.symbol.clone());
    let title = meta
        .title
        .clone()
        .or(draft.title.clone())
        .unwrap_or_else(|| stem.replace(['-', '_'], " "));
    let version = meta
        .version
        .as_deref()
        .map(|v| registry.version(v).map_or(v.to_string(), |l| l.id.clone()))
        .or_else(|| {
            (kind == Kind::Resolution || draft.versioned)
                .then(|| detect_version(registry, symbol.as_deref(), &draft.masthead))
                .flatten()
        });
    let work = meta
        .work
        .clone()
        .or_else(|| draft.work.clone())
        .or_else(|| (kind == Kind::Resolution || draft.versioned).then(|| work_id(&title)));
    let author = meta
        .author
        .clone()
        .or_else(|| (!authors.is_empty()).then(|| authors.join(", ")))
        .or(draft.author.clone());
    // The entity a whole document speaks for: a submission's author, a draft's single sponsor
    // or the group it was tabled for.
    let doc_agency = meta
        .agency
        .clone()
        .map(|a| canonical_agency(registry, &a))
        .or_else(|| match kind {
            Kind::Submission => author.as_deref().map(|a| canonical_agency(registry, a)),
            Kind::Resolution => draft
                .on_behalf_of
                .as_deref()
                .and_then(|n| {
                    registry
                        .agencies_in(n)
                        .into_iter()
                        .map(|(_, _, a)| a.id.clone())
                        .next()
                })
                .or_else(|| {
                    author
                        .as_deref()
                        .and_then(|a| registry.agency(a))
                        .map(|a| a.id.clone())
                }),
            Kind::Transcript => None,
        });
    // The hash covers what decides the passages: the bytes, the metadata given, the registries
    // and the parsers' revision, so a change to any of them re-indexes the file; and where the
    // file is, so a moved file is recorded at its new place.
    let origin = origin(path);
    let hash = {
        let mut h = Sha256::new();
        h.update(bytes);
        h.update(origin.as_bytes());
        h.update(format!("{meta:?}").as_bytes());
        h.update(registry.fingerprint().as_bytes());
        h.update(PARSER_REVISION.to_le_bytes());
        h.finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    let document = Document {
        id: slug(stem),
        kind: Some(kind),
        title,
        date: meta.date.or(draft.date),
        symbol,
        work,
        version,
        author,
        source: shown.to_string(),
        hash,
        agenda_item: draft.agenda_item.clone(),
        origin,
    };
    let passages = enrich::passages(registry, kind, bounded(draft.turns), doc_agency.as_deref());
    Parsed { document, passages }
}

/// The version a UN document declares: `/Rev.N` in its symbol, else its masthead's wording.
fn detect_version(registry: &Registry, symbol: Option<&str>, masthead: &str) -> Option<String> {
    if let Some(rev) = symbol.and_then(|s| s.rsplit_once("/Rev.")).map(|(_, n)| n) {
        if let Some(v) = registry.version(&format!("rev{rev}")) {
            return Some(v.id.clone());
        }
    }
    registry.version_detected(masthead).map(|v| v.id.clone())
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

/// A file's absolute path, as the index records where a document came from.
fn origin(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .to_string()
}

/// The longest passage, in bytes: a longer paragraph (a file that is one endless line) is cut
/// at word boundaries into passages of this size, so no result is unbounded.
pub const MAX_PASSAGE_BYTES: usize = 64 * 1024;

fn bounded(turns: Vec<Turn>) -> Vec<Turn> {
    let mut out = Vec::with_capacity(turns.len());
    for t in turns {
        if t.text.len() <= MAX_PASSAGE_BYTES {
            out.push(t);
            continue;
        }
        let mut rest = t.text.as_str();
        while !rest.is_empty() {
            let mut cut = rest.len().min(MAX_PASSAGE_BYTES);
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            if cut < rest.len() {
                if let Some(space) = rest[..cut].rfind(char::is_whitespace) {
                    cut = space.max(1);
                }
            }
            out.push(Turn {
                text: rest[..cut].trim().to_string(),
                ..t.clone()
            });
            rest = rest[cut..].trim_start();
        }
    }
    out
}

/// A work id from a title: what the versions of one text share.
pub fn work_id(title: &str) -> String {
    let s = slug(title);
    if s.len() <= 80 {
        return s;
    }
    let cut = s[..80].rfind('-').unwrap_or(80);
    s[..cut].to_string()
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
    pub seconds: f64,
}

/// Files below `paths` in a stable order, without hidden files, manifests and the folder's own
/// documentation (README, SOURCES, LICENSE).
pub fn walk(paths: &[PathBuf]) -> Result<Vec<(PathBuf, String)>, IngestError> {
    let mut out = Vec::new();
    for root in paths {
        let meta = std::fs::metadata(root).map_err(|e| IngestError::Path {
            path: root.display().to_string(),
            message: format!("cannot read: {e}"),
        })?;
        if meta.is_file() {
            let shown = root
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default();
            out.push((root.clone(), shown));
            continue;
        }
        let mut stack = vec![root.clone()];
        let mut files = Vec::new();
        while let Some(dir) = stack.pop() {
            let entries = std::fs::read_dir(&dir).map_err(|e| IngestError::Path {
                path: dir.display().to_string(),
                message: format!("cannot list folder: {e}"),
            })?;
            for e in entries.flatten() {
                let p = e.path();
                let name = e.file_name().to_string_lossy().to_string();
                if name.starts_with('.') || name == "travaux.toml" {
                    continue;
                }
                let upper = name.to_uppercase();
                if ["README", "SOURCES", "LICENSE", "CHANGELOG"]
                    .iter()
                    .any(|d| upper.starts_with(d))
                {
                    continue;
                }
                match e.file_type() {
                    Ok(t) if t.is_dir() => stack.push(p),
                    Ok(_) => files.push(p),
                    Err(_) => {}
                }
            }
        }
        files.sort();
        for f in files {
            let shown = f
                .strip_prefix(root)
                .unwrap_or(&f)
                .to_string_lossy()
                .replace('\\', "/");
            out.push((f, shown));
        }
    }
    Ok(out)
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
    let files = walk(paths)?;
    let global = opts
        .manifest
        .as_deref()
        .map(|p| Manifest::load(p, true))
        .transpose()?;
    let idx = match TravauxIndex::create_or_open(&opts.index_dir, registry.clone()) {
        // An index of another schema version is rebuilt from scratch when asked.
        Err(IndexError::SchemaMismatch { .. }) if opts.rebuild => {
            TravauxIndex::recreate(&opts.index_dir, registry.clone())?
        }
        other => other?,
    };
    let mut writer: IndexWriter<TantivyDocument> = idx
        .index
        .writer(200_000_000)
        .map_err(|e| writer_error(&opts.index_dir, e))?;
    if opts.rebuild {
        writer.delete_all_documents().map_err(IndexError::from)?;
    }
    let searcher = idx.reader.searcher();
    let f = idx.fields;

    let bar = progress_bar(opts.progress, files.len() as u64);
    let mut report = IngestReport {
        files: files.len(),
        ..IngestReport::default()
    };
    let mut seen: HashMap<String, (String, String)> = HashMap::new();
    let mut speakers = BTreeSet::new();
    let mut agencies = BTreeSet::new();
    let mut since_commit = 0;

    // Files are read and parsed on a thread of their own, a few ahead of the indexing below,
    // so parsing one file overlaps indexing and committing the ones before it.
    std::thread::scope(|scope| -> Result<(), IngestError> {
        let (tx, rx) = std::sync::mpsc::sync_channel(16);
        let (files, global, registry) = (&files, &global, &registry);
        scope.spawn(move || {
            let mut cache = HashMap::new();
            for (path, shown) in files {
                let parsed = (|| -> Result<Result<Parsed, String>, IngestError> {
                    let mut meta = opts.meta.clone();
                    if let Some(g) = global.as_ref().and_then(|g| g.lookup(path)) {
                        meta = meta.or(&g);
                    }
                    for m in folder_manifests(path, &mut cache)? {
                        if let Some(x) = m.lookup(path) {
                            meta = meta.or(&x);
                        }
                    }
                    Ok(std::fs::read(path)
                        .map_err(|e| format!("cannot read: {e}"))
                        .and_then(|bytes| parse_file(path, shown, &bytes, &meta, registry)))
                })();
                // The indexing side stops reading when it fails: nothing more to parse then.
                if tx.send((shown, parsed)).is_err() {
                    break;
                }
            }
        });
        for (shown, parsed) in rx {
            bar.set_message(shown.clone());
            let parsed = match parsed? {
                Ok(p) => p,
                Err(reason) if reason.starts_with(METADATA) => {
                    report.metadata.push(Skipped {
                        path: shown.clone(),
                        reason: reason[METADATA.len()..].to_string(),
                    });
                    bar.inc(1);
                    continue;
                }
                Err(reason) => {
                    bar.println(format!("skipped {shown}: {reason}"));
                    report.skipped.push(Skipped {
                        path: shown.clone(),
                        reason,
                    });
                    bar.inc(1);
                    continue;
                }
            };
            let doc = &parsed.document;
            if let Some((other, hash)) = seen.get(&doc.id) {
                if *hash != doc.hash {
                    let reason = format!("document id `{}` is already taken by {other} in this run: rename one of the files", doc.id);
                    report.skipped.push(Skipped {
                        path: shown.clone(),
                        reason,
                    });
                } else {
                    report.unchanged += 1;
                }
                bar.inc(1);
                continue;
            }
            seen.insert(doc.id.clone(), (shown.clone(), doc.hash.clone()));
            let existing = if opts.rebuild {
                None
            } else {
                stored_hash(&idx, &searcher, &doc.id)
            };
            match existing {
                Some(h) if h == doc.hash => {
                    report.unchanged += 1;
                    bar.inc(1);
                    continue;
                }
                Some(_) => {
                    writer.delete_term(Term::from_field_text(f.doc_id, &doc.id));
                    report.replaced += 1;
                }
                None => report.added += 1,
            }
            for p in &parsed.passages {
                writer
                    .add_document(idx.to_doc(doc, p))
                    .map_err(|e| not_written(&opts.index_dir, IndexError::from(e)))?;
                speakers.extend(p.speaker.clone());
                agencies.extend(p.agency.clone());
            }
            report.passages += parsed.passages.len();
            since_commit += 1;
            if opts.commit_every > 0 && since_commit >= opts.commit_every {
                commit(&mut writer, &report, opts.log_commits)
                    .map_err(|e| not_written(&opts.index_dir, e))?;
                since_commit = 0;
            }
            bar.inc(1);
        }
        Ok(())
    })?;
    bar.finish_and_clear();
    // A folder ingested again: documents whose files are gone from it go too (in the same
    // commit as the rest of the run).
    let present: std::collections::HashSet<String> = files.iter().map(|(p, _)| origin(p)).collect();
    for root in paths.iter().filter(|p| p.is_dir()) {
        let mut prefix = origin(root);
        if !prefix.ends_with(std::path::MAIN_SEPARATOR) {
            prefix.push(std::path::MAIN_SEPARATOR);
        }
        for gone in origins_under(&searcher, f.origin, &prefix)
            .into_iter()
            .filter(|o| !present.contains(o))
        {
            writer.delete_term(Term::from_field_text(f.origin, &gone));
            report.removed += 1;
        }
    }
    commit(&mut writer, &report, opts.log_commits).map_err(|e| not_written(&opts.index_dir, e))?;
    idx.record_info()?;
    writer
        .wait_merging_threads()
        .map_err(|e| not_written(&opts.index_dir, IndexError::from(e)))?;
    if let Ok(w) = idx.index.writer::<TantivyDocument>(50_000_000) {
        let _ = w.garbage_collect_files().wait();
    }
    idx.reader.reload().map_err(IndexError::from)?;
    let s = idx.reader.searcher();
    report.passages_in_index = s.num_docs();
    report.documents_in_index = crate::search::distinct_documents(&s).unwrap_or(0);
    report.speakers = speakers.len();
    report.agencies = agencies.len();
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

fn commit(
    writer: &mut IndexWriter<TantivyDocument>,
    report: &IngestReport,
    log: bool,
) -> Result<(), IndexError> {
    let mut prepared = writer.prepare_commit()?;
    let payload = serde_json::json!({
        "schema_version": crate::index::schema_version(),
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
