//! The tantivy index: its schema (built from `index-schema/fields.toml`), the `travaux`
//! analyzer, opening and creating, and turning [`Passage`]s into index documents and back.
//!
//! Every open goes through [`TravauxIndex::open`] or [`TravauxIndex::create_or_open`], so the
//! analyzer is always registered and the schema version is always checked.

use crate::model::{Date, Document, Evidence, Kind, Locator, Passage};
use crate::registry::Registry;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tantivy::directory::MmapDirectory;
use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, OwnedValue, Schema,
    TextFieldIndexing, TextOptions, Value,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer, TokenizerManager,
};
use tantivy::{DateTime, Index, IndexReader, ReloadPolicy, TantivyDocument, TantivyError};

/// The name of the analyzer for `text` fields.
pub const ANALYZER: &str = "travaux";

const FIELDS_TOML: &str = include_str!("../index-schema/fields.toml");

/// What can go wrong opening or using the index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("no index at {0}: build one with `travaux ingest --index {0} PATH...`")]
    Missing(String),
    #[error(
        "the index at {dir} was built with schema version {found}, this travaux uses version \
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
    #[error("index-schema/fields.toml is not valid: {0}")]
    BadFields(String),
    #[error("index error: {0}")]
    Tantivy(#[from] TantivyError),
    #[error("cannot write the index at {dir} (is the disk full, or the folder not writable?); it keeps its last commit, so run the ingest again once there is room: {message}")]
    Write { dir: String, message: String },
    #[error("cannot use the index folder: {0}")]
    Io(#[from] std::io::Error),
}

#[derive(Deserialize)]
struct FieldsFile {
    version: u32,
    field: Vec<FieldSpec>,
}

#[derive(Deserialize)]
struct FieldSpec {
    name: String,
    #[serde(rename = "type")]
    ty: String,
    #[serde(default)]
    stored: bool,
    #[serde(default)]
    fast: bool,
    /// For text fields: a language code whose stemmer analyses the field.
    #[serde(default)]
    analyzer: Option<String>,
}

/// The schema version this build writes and reads.
pub fn schema_version() -> u32 {
    parse_fields().map(|f| f.version).unwrap_or(0)
}

fn parse_fields() -> Result<FieldsFile, IndexError> {
    toml::from_str(FIELDS_TOML).map_err(|e| IndexError::BadFields(e.to_string()))
}

/// Builds the tantivy schema from `index-schema/fields.toml`.
pub fn build_schema() -> Result<Schema, IndexError> {
    let spec = parse_fields()?;
    let mut sb = Schema::builder();
    for f in spec.field {
        match f.ty.as_str() {
            "text" => {
                let tokenizer = match &f.analyzer {
                    Some(code) if language_analyzer(code).is_some() => format!("{ANALYZER}-{code}"),
                    Some(code) => {
                        return Err(IndexError::BadFields(format!(
                            "field `{}` names analyzer `{code}`: expected a language code with a stemmer (es, fr, pt, ru, ar, tr, de, it, nl, …)",
                            f.name
                        )))
                    }
                    None => ANALYZER.to_string(),
                };
                let indexing = TextFieldIndexing::default()
                    .set_tokenizer(&tokenizer)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions);
                let mut o = TextOptions::default().set_indexing_options(indexing);
                if f.stored {
                    o = o.set_stored();
                }
                sb.add_text_field(&f.name, o);
            }
            "keyword" => {
                let indexing = TextFieldIndexing::default()
                    .set_tokenizer("raw")
                    .set_index_option(IndexRecordOption::Basic)
                    .set_fieldnorms(false);
                let mut o = TextOptions::default().set_indexing_options(indexing);
                if f.stored {
                    o = o.set_stored();
                }
                if f.fast {
                    o = o.set_fast("raw");
                }
                sb.add_text_field(&f.name, o);
            }
            "u64" | "f64" => {
                let mut o = NumericOptions::default().set_indexed();
                if f.stored {
                    o = o.set_stored();
                }
                if f.fast {
                    o = o.set_fast();
                }
                if f.ty == "u64" {
                    sb.add_u64_field(&f.name, o);
                } else {
                    sb.add_f64_field(&f.name, o);
                }
            }
            "date" => {
                let mut o = DateOptions::default()
                    .set_indexed()
                    .set_precision(DateTimePrecision::Seconds);
                if f.stored {
                    o = o.set_stored();
                }
                if f.fast {
                    o = o.set_fast();
                }
                sb.add_date_field(&f.name, o);
            }
            other => {
                return Err(IndexError::BadFields(format!(
                    "field `{}` has type `{other}`: expected text, keyword, u64, f64 or date",
                    f.name
                )))
            }
        }
    }
    Ok(sb.build())
}

/// Bytes of stored passages compressed together.
const DOCSTORE_BLOCK: usize = 4096;

/// Words longer than this many bytes are not indexed (nor searched, nor marked).
pub const ANALYZER_MAX_WORD: usize = 40;

/// The analyzer for free text: words split on non-alphanumerics, lowercased, accents folded,
/// English stemming ("governments" finds "government"). Stop words are kept, so phrases such as
/// "the right to privacy" match exactly.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(ANALYZER_MAX_WORD))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// A word as the index analyses it (lowercased, folded, stemmed), with where it stands.
#[derive(Debug, Clone)]
pub struct Token {
    pub text: String,
    /// Byte offsets in the text analysed.
    pub from: usize,
    pub to: usize,
}

/// The words of `text` as the index analyses them, so text compared outside the index
/// ("Recalling" and "Recalls" in two drafts) meets the way searches do.
pub fn analyzed(text: &str) -> Vec<Token> {
    let mut a = analyzer();
    let mut s = a.token_stream(text);
    let mut out = Vec::new();
    while let Some(t) = s.next() {
        out.push(Token {
            text: t.text.clone(),
            from: t.offset_from,
            to: t.offset_to,
        });
    }
    out
}

/// The analyzer for text in the language `code`: its stemmer, then accents folded. `None` for
/// a language tantivy has no stemmer for.
pub fn language_analyzer(code: &str) -> Option<TextAnalyzer> {
    let lang = match code {
        "ar" => Language::Arabic,
        "da" => Language::Danish,
        "de" => Language::German,
        "el" => Language::Greek,
        "en" => Language::English,
        "es" => Language::Spanish,
        "fi" => Language::Finnish,
        "fr" => Language::French,
        "hu" => Language::Hungarian,
        "it" => Language::Italian,
        "nl" => Language::Dutch,
        "no" => Language::Norwegian,
        "pt" => Language::Portuguese,
        "ro" => Language::Romanian,
        "ru" => Language::Russian,
        "sv" => Language::Swedish,
        "ta" => Language::Tamil,
        "tr" => Language::Turkish,
        _ => return None,
    };
    Some(
        TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(ANALYZER_MAX_WORD))
            .filter(LowerCaser)
            .filter(Stemmer::new(lang))
            .filter(AsciiFoldingFilter)
            .build(),
    )
}

fn tokenizers() -> TokenizerManager {
    let tm = TokenizerManager::default();
    tm.register(ANALYZER, analyzer());
    if let Ok(spec) = parse_fields() {
        for code in spec.field.iter().filter_map(|f| f.analyzer.as_deref()) {
            if let Some(a) = language_analyzer(code) {
                tm.register(&format!("{ANALYZER}-{code}"), a);
            }
        }
    }
    tm
}

/// Every field the code uses, resolved once by name.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub passage_id: Field,
    pub doc_id: Field,
    pub hash: Field,
    pub source: Field,
    pub kind: Field,
    pub title: Field,
    pub symbol: Field,
    pub work: Field,
    pub doc_version: Field,
    pub version: Field,
    pub version_order: Field,
    pub date: Field,
    pub author: Field,
    pub speaker: Field,
    pub speaker_label: Field,
    pub agency: Field,
    pub evidence: Field,
    pub confidence: Field,
    pub topic: Field,
    pub paragraph: Field,
    pub section: Field,
    pub timestamp: Field,
    pub line: Field,
    pub seq: Field,
    pub order: Field,
    pub body: Field,
    pub heard: Field,
    pub member: Field,
    pub language: Field,
    pub role: Field,
    pub origin: Field,
}

impl Fields {
    fn resolve(schema: &Schema) -> Result<Fields, IndexError> {
        let f = |name: &str| {
            schema.get_field(name).map_err(|_| {
                IndexError::BadFields(format!("the field `{name}` is required by travaux"))
            })
        };
        Ok(Fields {
            passage_id: f("passage_id")?,
            doc_id: f("doc_id")?,
            hash: f("hash")?,
            source: f("source")?,
            kind: f("kind")?,
            title: f("title")?,
            symbol: f("symbol")?,
            work: f("work")?,
            doc_version: f("doc_version")?,
            version: f("version")?,
            version_order: f("version_order")?,
            date: f("date")?,
            author: f("author")?,
            speaker: f("speaker")?,
            speaker_label: f("speaker_label")?,
            agency: f("agency")?,
            evidence: f("evidence")?,
            confidence: f("confidence")?,
            topic: f("topic")?,
            paragraph: f("paragraph")?,
            section: f("section")?,
            timestamp: f("timestamp")?,
            line: f("line")?,
            seq: f("seq")?,
            order: f("order")?,
            body: f("body")?,
            heard: f("heard")?,
            member: f("member")?,
            language: f("language")?,
            role: f("role")?,
            origin: f("origin")?,
        })
    }
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
}

impl TravauxIndex {
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
        let expected = build_schema()?;
        if index.schema() != expected {
            return Err(IndexError::SchemaMismatch {
                dir: shown,
                found: "an older one".into(),
                expected: schema_version(),
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
            .schema(build_schema()?)
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
        let fields = Fields::resolve(&index.schema())?;
        let language_fields = index
            .schema()
            .fields()
            .filter_map(|(f, e)| {
                let code = e.name().strip_prefix("body_")?;
                language_analyzer(code).map(|_| (code.to_string(), f))
            })
            .collect();
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(TravauxIndex {
            index,
            reader,
            fields,
            registry,
            dir: dir.to_path_buf(),
            language_fields,
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
        d.add_u64(f.order, order_key(doc, p.seq));
        d.add_text(f.body, &p.text);
        if let Some(h) = &p.heard {
            d.add_text(f.heard, h);
        }
        for m in &p.members {
            d.add_text(f.member, m);
        }
        if let Some(r) = &p.role {
            d.add_text(f.role, r);
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
            language: s(f.language),
            role: s(f.role),
            hash: s(f.hash).unwrap_or_default(),
        }
    }
}

/// The document fields a result carries.
#[derive(Debug, Clone, Serialize, PartialEq)]
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
#[derive(Debug, Clone, Serialize)]
pub struct StoredPassage {
    pub id: String,
    pub document: DocumentRef,
    pub seq: u32,
    pub speaker: Option<String>,
    pub speaker_label: Option<String>,
    pub agency: Option<String>,
    pub evidence: Evidence,
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
    #[serde(skip)]
    pub hash: String,
}

/// Packs date, document and position so that sorting by this one number browses the record
/// in order: oldest first, a document's passages together and in sequence.
fn order_key(doc: &Document, seq: u32) -> u64 {
    let days = doc.date.map_or(0, |d| {
        (d.days_since_epoch() + 40_000).clamp(1, 0xFFFF) as u64
    });
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in doc.id.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
    }
    (days << 48) | ((h & 0xFF_FFFF) << 24) | u64::from(seq.min(0xFF_FFFF))
}

fn date_from_secs(secs: i64) -> Option<Date> {
    // civil_from_days (Howard Hinnant).
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    Date::new(y as i32, m as u32, d as u32)
}

fn check_info(dir: &Path) -> Result<(), IndexError> {
    let path = dir.join(INFO_FILE);
    let found = std::fs::read_to_string(&path)
        .ok()
        .and_then(|t| serde_json::from_str::<IndexInfo>(&t).ok());
    match found {
        Some(info) if info.schema_version == schema_version() => Ok(()),
        Some(info) => Err(IndexError::SchemaMismatch {
            dir: dir.display().to_string(),
            found: info.schema_version.to_string(),
            expected: schema_version(),
        }),
        None => Err(IndexError::SchemaMismatch {
            dir: dir.display().to_string(),
            found: "an unknown one".into(),
            expected: schema_version(),
        }),
    }
}

fn write_info(dir: &Path, registry: &Registry) -> Result<(), IndexError> {
    let info = IndexInfo {
        schema_version: schema_version(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_builds_from_fields_file() {
        let s = build_schema().unwrap();
        assert!(Fields::resolve(&s).is_ok());
        assert!(schema_version() >= 1);
    }

    #[test]
    fn dates_round_trip() {
        let d = Date::new(2025, 11, 17).unwrap();
        assert_eq!(date_from_secs(d.days_since_epoch() * 86_400), Some(d));
        let d = Date::new(1999, 2, 28).unwrap();
        assert_eq!(date_from_secs(d.days_since_epoch() * 86_400), Some(d));
    }
}
