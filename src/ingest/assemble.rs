//! From what a parser read to a document ready for the index: reading the bytes (text, PDF,
//! Word, XML), choosing the parser, completing the metadata from flags, manifests and front
//! matter, the content hash that decides re-indexing, and enrichment of the passages.

use super::detect::{detect, Format, NOT_YET};
use super::manifest::Meta;
use super::{
    docx, frontmatter, irc, minutes, pdf, report, resolution, submission, summary, teams, verbatim,
    vtt, webtv, xml, Draft,
};
use crate::ingest::enrich;
use crate::model::{Document, Kind, Parsed, Turn};
use crate::registry::Registry;
use crate::text::slug;
use sha2::{Digest, Sha256};
use std::path::Path;

/// Bumped whenever a parser changes what it reads from a file, so unchanged files are read again.
pub const PARSER_REVISION: u32 = 2;

/// What one file holds.
#[derive(Debug)]
// One per file, moved once: boxing the common case would only add an allocation.
#[allow(clippy::large_enum_variant)]
pub enum FileRead {
    /// A document and its passages.
    Document(Parsed),
    /// Metadata for other files (a ParlaMint corpus header), and what it is.
    Metadata(String),
}

/// Why a file could not be read, in words for the user.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct Unreadable(pub String);

impl FileRead {
    /// The document a file holds, or why it holds none.
    pub fn into_document(self) -> Result<Parsed, Unreadable> {
        match self {
            FileRead::Document(p) => Ok(p),
            FileRead::Metadata(what) => Err(Unreadable(format!(
                "holds metadata for other files ({what}), not a document"
            ))),
        }
    }
}

impl From<String> for Unreadable {
    fn from(s: String) -> Unreadable {
        Unreadable(s)
    }
}

/// Reads one file into a document and its passages. `meta` is what flags and manifests say.
pub fn parse_file(
    path: &Path,
    shown: &str,
    bytes: &[u8],
    meta: &Meta,
    registry: &Registry,
) -> Result<FileRead, Unreadable> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if let Some((_, why)) = NOT_YET.iter().find(|(e, _)| *e == ext) {
        return Err(format!("unsupported format: {why}").into());
    }
    if ext == "xml" {
        return match xml::read(bytes, path)? {
            xml::Read::Document(draft) => Ok(FileRead::Document(assemble(
                path,
                shown,
                bytes,
                *draft,
                meta,
                Vec::new(),
                registry,
            ))),
            xml::Read::Metadata(what) => Ok(FileRead::Metadata(what.to_string())),
        };
    }
    if ext == "docx" {
        let text = docx::text(bytes)?;
        return parse_text(path, shown, bytes, &text, "docx", meta, registry)
            .map(FileRead::Document);
    }
    if ext == "pdf" || bytes.starts_with(b"%PDF-") {
        let text = pdf::text(bytes)?;
        return parse_text(path, shown, bytes, &text, "pdf", meta, registry)
            .map(FileRead::Document);
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err("empty file".to_string().into());
    }
    // A byte-order mark says the encoding (UTF-8, UTF-16 LE or BE).
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, malformed) = enc.decode_without_bom_handling(&bytes[bom..]);
        if malformed {
            return Err(format!("not valid {} text after its byte-order mark", enc.name()).into());
        }
        return parse_text(path, shown, bytes, &text, &ext, meta, registry).map(FileRead::Document);
    }
    if bytes.iter().take(8192).any(|&b| b == 0) {
        return Err("binary file (contains NUL bytes): expected UTF-8 text"
            .to_string()
            .into());
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
    parse_text(path, shown, bytes, text, &ext, meta, registry).map(FileRead::Document)
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
) -> Result<Parsed, Unreadable> {
    // Old Mac (CR) and Windows (CRLF) line endings read as Unix ones.
    let text = if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    if arabic_in_visual_order(&text) {
        return Err(
            "the Arabic text is in visual order, as some PDF text extraction gives it \
             (words and letters of each line in display order: \"األمن\" for \"الأمن\"); \
             travaux does not index it reversed: extract the text in logical order (the \
             document's Word version, or a PDF tool that keeps the reading order) and ingest it \
             again"
                .to_string()
                .into(),
        );
    }
    let (fm, body) = frontmatter::split(&text);
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
        Format::Summary => summary::parse(body),
        Format::WebTv => webtv::parse(body),
        Format::Irc => irc::parse(body),
        Format::Minutes => minutes::parse(body),
        Format::Resolution => resolution::parse(body),
        Format::Report => report::parse(body, registry),
        Format::Submission { markdown } => submission::parse(body, markdown, first_line),
    }
    .map_err(|e| Unreadable(e.to_string()))?;
    let mut parsed = assemble(
        path,
        shown,
        bytes,
        draft,
        &meta,
        fm.as_ref().map(|f| f.authors.clone()).unwrap_or_default(),
        registry,
    );
    parsed.document.recognised = matches!(
        format,
        Format::Teams | Format::WebVtt | Format::WebTv | Format::Irc
    );
    Ok(parsed)
}

/// True for Arabic taken from a PDF in visual order. Its tell is the lam-alef ligature read
/// back to front: an alef before a hamzated alef and lam ("األمن", "اإلنسان", "اآلن"), which no
/// Arabic word has in reading order. A few are a slip; many are the whole text.
fn arabic_in_visual_order(text: &str) -> bool {
    const TELLS: [&str; 3] = ["األ", "اإل", "اآل"];
    let tells: usize = TELLS.iter().map(|t| text.matches(t).count()).sum();
    tells >= 5
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
        language: f("language").or_else(|| f("lang")),
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
    // The title the metadata gives, else the document's own, else who submitted it, and the
    // file's name only when nothing says more.
    let title = meta
        .title
        .clone()
        .or(draft.title.clone())
        .or_else(|| {
            let author = meta.author.as_deref().or(draft.author.as_deref())?;
            (kind == Kind::Submission).then(|| format!("Submission by {author}"))
        })
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
        .map(|a| registry.canonical_agency(&a))
        .or_else(|| match kind {
            Kind::Submission => author.as_deref().map(|a| registry.canonical_agency(a)),
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
        recognised: false,
    };
    let mut turns = bounded(draft.turns);
    if let Some(l) = &meta.language {
        for t in turns.iter_mut().filter(|t| t.language.is_none()) {
            t.language = Some(l.to_lowercase());
        }
    }
    let passages = enrich::passages(registry, kind, turns, doc_agency.as_deref());
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

/// A file's absolute path, as the index records where a document came from.
pub fn origin(path: &Path) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The same minutes with Unix, Windows and old Mac line endings read alike.
    #[test]
    fn arabic_in_visual_order_is_told_from_arabic_in_reading_order() {
        let visual = "الرئيس: يبدأ مجلس األمن اآلن نظر البند. األمم المتحدة. باإلنكليزية. األعضاء.";
        assert!(arabic_in_visual_order(visual));
        let logical = "الرئيس: يبدأ مجلس الأمن الآن نظر البند. الأمم المتحدة. بالإنكليزية. الأعضاء.";
        assert!(!arabic_in_visual_order(logical));
    }

    #[test]
    fn line_endings_of_any_system_read_alike() {
        let registry = Registry::embedded();
        let unix =
            "MF: We support the draft.\n\nAB: We have a question on paragraph 4.\n\nMF: Noted.\n";
        let read = |text: &str| match parse_file(
            Path::new("minutes.md"),
            "minutes.md",
            text.as_bytes(),
            &Meta::default(),
            &registry,
        ) {
            Ok(FileRead::Document(p)) => p.passages.into_iter().map(|p| p.text).collect::<Vec<_>>(),
            other => panic!("not read: {other:?}"),
        };
        let expected = read(unix);
        assert_eq!(expected.len(), 3);
        assert_eq!(read(&unix.replace('\n', "\r\n")), expected);
        assert_eq!(read(&unix.replace('\n', "\r")), expected);
    }
}
