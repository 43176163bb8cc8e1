//! Ingest: reading a file into a document and its passages. One parser per input format (a
//! file each), [`detect`] to recognise the format, [`assemble`] to complete what a parser read
//! with the manifests and registries, and [`undoc`] for what every UN document shares (symbols,
//! paragraph numbering, headings, dates). Writing to the index is [`crate::ingest::pipeline`]'s job.
//!
//! May use: `model`, `text`, `registry`, `index`, `attribution`, `errors`; never `query` or
//! anything above.

pub mod assemble;
pub mod detect;
pub mod docx;
pub mod enrich;
pub mod frontmatter;
pub mod irc;
pub mod manifest;
pub mod markers;
pub mod minutes;
pub mod pdf;
pub mod pdftext;
pub mod pipeline;
pub mod report;
pub mod resolution;
pub mod submission;
pub mod summary;
pub mod teams;
pub mod undoc;
pub mod verbatim;
pub mod vtt;
pub mod webtv;
pub mod xml;

pub use assemble::{origin, parse_file, work_id, FileRead, Unreadable, MAX_PASSAGE_BYTES};
pub use detect::{detect, Format};

use crate::model::{Date, Kind, Locator, Turn};

/// Why a file's structure could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("unrecognised structure: {0}")]
    Structure(String),
}

impl crate::errors::Coded for ParseError {
    fn code(&self) -> crate::errors::ErrorCode {
        crate::errors::ErrorCode::BadInput
    }
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
