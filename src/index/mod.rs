//! The tantivy index: opening and creating it with the schema of [`crate::index::schema`] and the
//! analyzers of [`crate::text::analysis`], and turning [`Passage`]s into index documents and back.
//!
//! Every open goes through [`TravauxIndex::open`] or [`TravauxIndex::create_or_open`], so the
//! analyzer is always registered and the schema version is always checked.
//!
//! May use: `model`, `text`, `registry`, `errors`. The schema ([`schema`]), word pairs ([`pairs`])
//! and wording fingerprints ([`fingerprint`]) are what the index stores beside the text.

pub mod fingerprint;
pub mod pairs;
pub mod schema;

use crate::model::{Cite, Date, Document, Evidence, Footnote, Kind, Locator, Passage};
use crate::registry::Registry;
use crate::text::analysis::{
    analyzer, exact_analyzer, language_analyzer, ANALYZER, EXACT_ANALYZER, PAIRS_ANALYZER,
};
use schema::{Fields, SCHEMA_VERSION};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tantivy::directory::MmapDirectory;
use tantivy::schema::{Field, OwnedValue, Value};
use tantivy::tokenizer::TokenizerManager;
use tantivy::{DateTime, Index, IndexReader, ReloadPolicy, TantivyDocument, TantivyError};

/// What can go wrong opening or using the index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("no index at {0}: build one with `travaux ingest --index {0} PATH...`")]
    Missing(String),
    #[error(
        "the index at {dir} was built with {found}, this travaux uses schema version \
         {expected}: re-ingest with `travaux ingest --rebuild --index {dir} PATH...`"
    )]
    SchemaMismatch {
        dir: String,
        found: String,
        expected: u32,
    },
    #[error(
        "the index at {0} is being written by another `travaux ingest`: wait for it to finish \
         (or, if no ingest is running, remove {0}/.tantivy-writer.lock)"
    )]
    Locked(String),
    #[error("index error: {0}")]
    Tantivy(#[from] TantivyError),
    #[error("cannot write the index at {dir} (is the disk full, or the folder not writable?); it keeps its last commit, so run the ingest again once there is room: {message}")]
    Write { dir: String, message: String },
    #[error("cannot use the index folder: {0}")]
    Io(#[from] std::io::Error),
}

impl crate::errors::Coded for IndexError {
    fn code(&self) -> crate::errors::ErrorCode {
        use crate::errors::ErrorCode;
        match self {
            IndexError::Missing(_) => ErrorCode::NotFound,
            IndexError::SchemaMismatch { .. } => ErrorCode::IndexOutdated,
            IndexError::Locked(_) => ErrorCode::IndexBusy,
            IndexError::Tantivy(_) | IndexError::Write { .. } | IndexError::Io(_) => {
                ErrorCode::Internal
            }
        }
    }
    fn hint(&self) -> Option<String> {
        // The messages say what to do, naming the folder.
        None
    }
}

/// Bytes of stored passages compressed together.
const DOCSTORE_BLOCK: usize = 4096;

fn tokenizers() -> TokenizerManager {
    let tm = TokenizerManager::default();
    tm.register(ANALYZER, analyzer());
    tm.register(EXACT_ANALYZER, exact_analyzer());
    tm.register(PAIRS_ANALYZER, crate::index::pairs::analyzer());
    for code in schema::language_codes() {
        if let Some(a) = language_analyzer(code) {
            tm.register(&format!("{ANALYZER}-{code}"), a);
        }
    }
    tm
}

/// What travaux writes beside tantivy's files: the schema and registries it was built with.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IndexInfo {
    pub schema_version: u32,
    pub registry_fingerprint: String,
}

const INFO_FILE: &str = "travaux.json";

/// An open index with its reader, fields and the registries it was built with.
#[derive(Clone)]
pub struct TravauxIndex {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    pub registry: Arc<Registry>,
    pub dir: PathBuf,
    /// The fields holding text in other languages (`body_es` …), by language code.
    pub language_fields: Vec<(String, Field)>,
    /// The names and abbreviations the registries pair, for query understanding.
    pub names: Arc<crate::registry::names::Names>,
}

impl TravauxIndex {
    /// The document a user names: by its id, or by its symbol as printed, in any case
    /// (`A/RES/80/173`, `a/res/80/173`).
    pub fn document_named(&self, searcher: &tantivy::Searcher, name: &str) -> Option<DocumentRef> {
        let first = |field: Field, value: &str| -> Option<DocumentRef> {
            let addr = *with_value(searcher, field, value, 1).first()?;
            let d: TantivyDocument = searcher.doc(addr).ok()?;
            Some(self.from_doc(&d).document)
        };
        let name = name.trim();
        if let Some(d) = first(self.fields.doc_id, name).or_else(|| first(self.fields.symbol, name))
        {
            return Some(d);
        }
        // Symbols are few: look for one written in another case.
        for seg in searcher.segment_readers() {
            let Ok(inverted) = seg.inverted_index(self.fields.symbol) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().stream() else {
                continue;
            };
            while stream.advance() {
                if let Ok(symbol) = std::str::from_utf8(stream.key()) {
                    if symbol.eq_ignore_ascii_case(name) {
                        return first(self.fields.symbol, symbol);
                    }
                }
            }
        }
        None
    }

    /// The id (`document:seq`) of the passage a user names: `document:seq` as results give it,
    /// or a document's symbol with the paragraph as printed (`A/RES/80/173:78`,
    /// `A/RES/80/173:PP5`, `A/C.6/80/L.10:6 (d) (i)`). `None` when `name` names no passage.
    pub fn passage_named(&self, searcher: &tantivy::Searcher, name: &str) -> Option<String> {
        let (doc, part) = name.rsplit_once(':')?;
        let part = part.trim();
        if let Ok(seq) = part.parse::<u32>() {
            if !with_value(searcher, self.fields.passage_id, &format!("{doc}:{seq}"), 1).is_empty()
            {
                return Some(format!("{doc}:{seq}"));
            }
        }
        let document = self.document_named(searcher, doc)?;
        let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let wanted = squash(part).to_lowercase();
        let mut found: Vec<StoredPassage> =
            with_value(searcher, self.fields.doc_id, &document.id, 100_000)
                .into_iter()
                .filter_map(|a| searcher.doc::<TantivyDocument>(a).ok())
                .map(|d| self.from_doc(&d))
                .filter(|p| {
                    p.locator
                        .paragraph
                        .as_deref()
                        .is_some_and(|n| squash(n).to_lowercase() == wanted)
                })
                .collect();
        found.sort_by_key(|p| p.seq);
        found.first().map(|p| p.id.clone())
    }

    /// Opens an existing index for reading.
    pub fn open(dir: &Path, registry: Arc<Registry>) -> Result<TravauxIndex, IndexError> {
        let shown = dir.display().to_string();
        if !dir.join("meta.json").exists() {
            return Err(IndexError::Missing(shown));
        }
        check_info(dir)?;
        let mmap =
            MmapDirectory::open(dir).map_err(|e| IndexError::Io(std::io::Error::other(e)))?;
        let mut index = Index::open(mmap)?;
        index.set_tokenizers(tokenizers());
        if index.schema() != schema::schema().0 {
            return Err(IndexError::SchemaMismatch {
                dir: shown,
                found: "another schema".into(),
                expected: SCHEMA_VERSION,
            });
        }
        Self::finish(index, dir, registry)
    }

    /// Opens the index at `dir`, creating the folder and an empty index if there is none.
    pub fn create_or_open(dir: &Path, registry: Arc<Registry>) -> Result<TravauxIndex, IndexError> {
        if dir.join("meta.json").exists() {
            return Self::open(dir, registry);
        }
        std::fs::create_dir_all(dir)?;
        // travaux.json first: another process that sees tantivy's meta.json must also see it.
        write_info(dir, &registry)?;
        let mmap =
            MmapDirectory::open(dir).map_err(|e| IndexError::Io(std::io::Error::other(e)))?;
        let index = Index::builder()
            .schema(schema::schema().0)
            .tokenizers(tokenizers())
            .settings(tantivy::IndexSettings {
                // A search reads ten passages from the store; small blocks mean little is
                // decompressed for each (at some cost in size).
                docstore_blocksize: DOCSTORE_BLOCK,
                ..Default::default()
            })
            .open_or_create(mmap)?;
        Self::finish(index, dir, registry)
    }

    /// Removes an index of another schema version at `dir` and creates an empty one. Only a
    /// folder travaux made (it holds travaux.json) is emptied, and only of index files.
    pub fn recreate(dir: &Path, registry: Arc<Registry>) -> Result<TravauxIndex, IndexError> {
        if !dir.join(INFO_FILE).exists() {
            return Err(IndexError::Io(std::io::Error::other(format!(
                "{} does not look like a travaux index (no {INFO_FILE}): not emptying it",
                dir.display()
            ))));
        }
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let index_file = name == "meta.json"
                || name == ".managed.json"
                || name == INFO_FILE
                || name.split('.').next().is_some_and(|stem| {
                    stem.len() == 32 && stem.chars().all(|c| c.is_ascii_hexdigit())
                });
            if path.is_file() && index_file {
                std::fs::remove_file(&path)?;
            }
        }
        Self::create_or_open(dir, registry)
    }

    fn finish(
        index: Index,
        dir: &Path,
        registry: Arc<Registry>,
    ) -> Result<TravauxIndex, IndexError> {
        let (_, fields) = schema::schema();
        let language_fields = schema::language_fields()
            .filter_map(|(code, name)| {
                Some((code.to_string(), index.schema().get_field(name).ok()?))
            })
            .collect();
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let names = Arc::new(crate::registry::names::Names::new(&registry));
        Ok(TravauxIndex {
            index,
            reader,
            fields,
            registry,
            dir: dir.to_path_buf(),
            language_fields,
            names,
        })
    }

    /// Records the registries the index is now built with.
    pub fn record_info(&self) -> Result<(), IndexError> {
        write_info(&self.dir, &self.registry)
    }

    /// Turns a passage of a document into an index document.
    pub fn to_doc(&self, doc: &Document, p: &Passage) -> TantivyDocument {
        let f = &self.fields;
        let mut d = TantivyDocument::default();
        d.add_text(f.passage_id, format!("{}:{}", doc.id, p.seq));
        d.add_text(f.doc_id, &doc.id);
        if !doc.origin.is_empty() {
            d.add_text(f.origin, &doc.origin);
        }
        d.add_text(f.hash, &doc.hash);
        d.add_text(f.source, &doc.source);
        if let Some(k) = doc.kind {
            d.add_text(f.kind, k.as_str());
        }
        d.add_text(f.title, &doc.title);
        for (field, value) in [
            (f.symbol, &doc.symbol),
            (f.work, &doc.work),
            (f.doc_version, &doc.version),
            (f.author, &doc.author),
            (f.speaker, &p.speaker),
            (f.speaker_label, &p.speaker_label),
            (f.agency, &p.agency),
            (f.paragraph, &p.locator.paragraph),
            (f.section, &p.locator.section),
        ] {
            if let Some(v) = value {
                d.add_text(field, v);
            }
        }
        let mut versions: Vec<&String> = doc.version.iter().collect();
        versions.extend(
            p.versions
                .iter()
                .filter(|v| Some(*v) != doc.version.as_ref()),
        );
        for v in versions {
            d.add_text(f.version, v);
        }
        if let Some(v) = &doc.version {
            d.add_u64(f.version_order, u64::from(self.registry.version_order(v)));
        }
        if let Some(date) = doc.date {
            d.add_date(
                f.date,
                DateTime::from_timestamp_secs(date.days_since_epoch() * 86_400),
            );
        }
        d.add_text(f.evidence, p.evidence.as_str());
        d.add_f64(f.confidence, f64::from(p.confidence));
        for t in &p.topics {
            d.add_text(f.topic, t);
        }
        if let Some(ts) = p.locator.timestamp {
            d.add_u64(f.timestamp, ts);
        }
        if let Some(l) = p.locator.line {
            d.add_u64(f.line, l);
        }
        d.add_u64(f.seq, u64::from(p.seq));
        d.add_u64(f.order, order_key(doc, p.seq, false));
        d.add_u64(f.order_newest, order_key(doc, p.seq, true));
        d.add_text(f.body, &p.text);
        for h in crate::index::fingerprint::fingerprints(&p.text) {
            d.add_u64(f.shingle, h);
        }
        d.add_text(f.body_exact, &p.text);
        d.add_text(f.pairs, &p.text);
        for c in crate::registry::names::caps_in(&p.text) {
            d.add_text(f.caps, &c);
        }
        if doc.recognised {
            d.add_text(f.sound, crate::registry::names::RECOGNISED);
            for s in crate::registry::names::sounds_in(&p.text) {
                d.add_text(f.sound, &s);
            }
        }
        if let Some(h) = &p.heard {
            d.add_text(f.heard, h);
        }
        for m in &p.members {
            d.add_text(f.member, m);
        }
        if let Some(r) = &p.role {
            d.add_text(f.role, r);
        }
        if let Some(l) = &p.original_language {
            d.add_text(f.original_language, l);
        }
        for c in &p.cites {
            d.add_text(f.cites, &c.key);
            let how = format!(
                "{}\u{1f}{}",
                c.paragraph.as_deref().unwrap_or(""),
                c.verb.as_deref().unwrap_or("")
            );
            d.add_text(f.cite_how, &how);
        }
        for n in &p.footnotes {
            d.add_text(f.footnote_mark, &n.mark);
            d.add_text(f.footnote, &n.text);
        }
        if let Some(l) = &p.language {
            d.add_text(f.language, l);
            if let Some((_, field)) = self.language_fields.iter().find(|(c, _)| c == l) {
                d.add_text(*field, &p.text);
            }
        }
        d
    }

    /// Reads a stored index document back as a [`StoredPassage`].
    pub fn from_doc(&self, d: &TantivyDocument) -> StoredPassage {
        let f = &self.fields;
        let s = |field: Field| {
            d.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let all = |field: Field| -> Vec<String> {
            d.get_all(field)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        };
        let u = |field: Field| d.get_first(field).and_then(|v| v.as_u64());
        let date = d
            .get_first(f.date)
            .and_then(|v| v.as_datetime())
            .and_then(|dt| date_from_secs(dt.into_timestamp_secs()));
        let confidence = match d.get_first(f.confidence).map(OwnedValue::from) {
            Some(OwnedValue::F64(c)) => c as f32,
            _ => 0.0,
        };
        StoredPassage {
            id: s(f.passage_id).unwrap_or_default(),
            document: DocumentRef {
                id: s(f.doc_id).unwrap_or_default(),
                title: s(f.title).unwrap_or_default(),
                kind: s(f.kind).and_then(|k| k.parse::<Kind>().ok()),
                symbol: s(f.symbol),
                work: s(f.work),
                version: s(f.doc_version),
                date,
                author: s(f.author),
                source: s(f.source).unwrap_or_default(),
            },
            seq: u(f.seq).unwrap_or(0) as u32,
            speaker: s(f.speaker),
            speaker_label: s(f.speaker_label),
            agency: s(f.agency),
            evidence: Evidence::parse(&s(f.evidence).unwrap_or_default()),
            confidence,
            topics: all(f.topic),
            versions: all(f.version),
            locator: Locator {
                paragraph: s(f.paragraph),
                section: s(f.section),
                timestamp: u(f.timestamp),
                line: u(f.line),
            },
            text: s(f.body).unwrap_or_default(),
            members: all(f.member),
            cites: all(f.cites)
                .into_iter()
                .zip(all(f.cite_how))
                .map(|(key, how)| {
                    let (paragraph, verb) = how.split_once('\u{1f}').unwrap_or(("", ""));
                    let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
                    Cite {
                        key,
                        paragraph: some(paragraph),
                        verb: some(verb),
                    }
                })
                .collect(),
            language: s(f.language),
            role: s(f.role),
            original_language: s(f.original_language),
            footnotes: all(f.footnote_mark)
                .into_iter()
                .zip(all(f.footnote))
                .map(|(mark, text)| Footnote { mark, text })
                .collect(),
            hash: s(f.hash).unwrap_or_default(),
        }
    }
}

/// The document fields a result carries.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct DocumentRef {
    pub id: String,
    pub title: String,
    pub kind: Option<Kind>,
    pub symbol: Option<String>,
    pub work: Option<String>,
    pub version: Option<String>,
    pub date: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    pub source: String,
}

/// A passage as the index holds it, with its document's fields.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StoredPassage {
    pub id: String,
    pub document: DocumentRef,
    pub seq: u32,
    pub speaker: Option<String>,
    pub speaker_label: Option<String>,
    pub agency: Option<String>,
    pub evidence: Evidence,
    #[serde(serialize_with = "crate::model::round4")]
    pub confidence: f32,
    pub topics: Vec<String>,
    /// The document's version and the versions the passage speaks about.
    #[serde(rename = "version")]
    pub versions: Vec<String>,
    pub locator: Locator,
    pub text: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
    pub language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// The footnotes it cites.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub footnotes: Vec<Footnote>,
    /// The language spoken, where the text is an interpretation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_language: Option<String>,
    /// The documents it cites: each one's key (its symbol), the paragraph of it named and the
    /// verb that introduces it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cites: Vec<Cite>,
    #[serde(skip)]
    pub hash: String,
}

/// Packs date, document and position so that sorting by this one number browses the record
/// in order: oldest first, a document's passages together and in sequence.
fn order_key(doc: &Document, seq: u32, newest_first: bool) -> u64 {
    let days = doc.date.map_or(0, |d| {
        (d.days_since_epoch() + 40_000).clamp(1, 0xFFFF) as u64
    });
    // Newest first: later days get smaller keys; undated documents still come last.
    let days = if newest_first && days > 0 {
        0xFFFF - days
    } else if newest_first {
        0xFFFF
    } else {
        days
    };
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in doc.id.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
    }
    (days << 48) | ((h & 0xFF_FFFF) << 24) | u64::from(seq.min(0xFF_FFFF))
}

/// The index term for the start of day `d`. tantivy counts time in nanoseconds from 1970, which
/// reaches only the years 1677–2262: a date beyond is held at that edge, never wrapped round, so
/// `from=3000-01-01` matches nothing and `to=1000-01-01` nothing either.
pub fn date_term(field: Field, d: Date) -> tantivy::Term {
    let nanos = d.days_since_epoch().saturating_mul(86_400 * 1_000_000_000);
    tantivy::Term::from_field_date(field, DateTime::from_timestamp_nanos(nanos))
}

/// Up to `limit` index documents whose keyword `field` holds `value`.
fn with_value(
    searcher: &tantivy::Searcher,
    field: Field,
    value: &str,
    limit: usize,
) -> Vec<tantivy::DocAddress> {
    let q = tantivy::query::TermQuery::new(
        tantivy::Term::from_field_text(field, value),
        tantivy::schema::IndexRecordOption::Basic,
    );
    searcher
        .search(
            &q,
            &tantivy::collector::TopDocs::with_limit(limit).order_by_score(),
        )
        .map(|top| top.into_iter().map(|(_, a)| a).collect())
        .unwrap_or_default()
}

fn date_from_secs(secs: i64) -> Option<Date> {
    Date::from_days_since_epoch(secs.div_euclid(86_400))
}

fn check_info(dir: &Path) -> Result<(), IndexError> {
    let path = dir.join(INFO_FILE);
    let found = std::fs::read_to_string(&path)
        .ok()
        .and_then(|t| serde_json::from_str::<IndexInfo>(&t).ok());
    match found {
        Some(info) if info.schema_version == SCHEMA_VERSION => Ok(()),
        Some(info) => Err(IndexError::SchemaMismatch {
            dir: dir.display().to_string(),
            found: format!("schema version {}", info.schema_version),
            expected: SCHEMA_VERSION,
        }),
        None => Err(IndexError::SchemaMismatch {
            dir: dir.display().to_string(),
            found: "an unknown schema".into(),
            expected: SCHEMA_VERSION,
        }),
    }
}

fn write_info(dir: &Path, registry: &Registry) -> Result<(), IndexError> {
    let info = IndexInfo {
        schema_version: SCHEMA_VERSION,
        registry_fingerprint: registry.fingerprint().to_string(),
    };
    let tmp = dir.join(format!("{INFO_FILE}.tmp"));
    std::fs::write(
        &tmp,
        serde_json::to_vec_pretty(&info).expect("serialisable"),
    )?;
    std::fs::rename(&tmp, dir.join(INFO_FILE))?;
    Ok(())
}

/// Maps tantivy's lock error to the message a user can act on.
pub fn writer_error(dir: &Path, e: TantivyError) -> IndexError {
    match e {
        TantivyError::LockFailure(..) => IndexError::Locked(dir.display().to_string()),
        other => IndexError::Tantivy(other),
    }
}

/// Every distinct value of a keyword field in the index.
pub fn indexed_values(searcher: &tantivy::Searcher, field: Field) -> tantivy::Result<Vec<String>> {
    let mut out = Vec::new();
    for seg in searcher.segment_readers() {
        let inv = seg.inverted_index(field)?;
        let mut stream = inv.terms().stream()?;
        while stream.advance() {
            if let Ok(s) = std::str::from_utf8(stream.key()) {
                out.push(s.to_string());
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// True when `value` is a term of the keyword `field` in some segment: one lookup in each
/// segment's term dictionary, where [`indexed_values`] reads them all.
pub fn has_value(searcher: &tantivy::Searcher, field: Field, value: &str) -> tantivy::Result<bool> {
    for seg in searcher.segment_readers() {
        if seg
            .inverted_index(field)?
            .terms()
            .get(value.as_bytes())?
            .is_some()
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// A term, or a phrase of several.
pub fn terms_query(field: Field, words: Vec<String>) -> Option<Box<dyn tantivy::query::Query>> {
    use tantivy::query::{PhraseQuery, TermQuery};
    use tantivy::schema::IndexRecordOption;
    let mut terms: Vec<tantivy::Term> = words
        .iter()
        .map(|w| tantivy::Term::from_field_text(field, w))
        .collect();
    match terms.len() {
        0 => None,
        1 => Some(Box::new(TermQuery::new(
            terms.remove(0),
            IndexRecordOption::WithFreqs,
        ))),
        _ => Some(Box::new(PhraseQuery::new(terms))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        let d = Date::new(2025, 11, 17).unwrap();
        assert_eq!(date_from_secs(d.days_since_epoch() * 86_400), Some(d));
        let d = Date::new(1999, 2, 28).unwrap();
        assert_eq!(date_from_secs(d.days_since_epoch() * 86_400), Some(d));
    }
}
