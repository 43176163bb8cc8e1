//! Which format a file is in: recognised from its content, narrowed by the kind a flag or
//! manifest gives and by its extension.

use super::{irc, minutes, report, resolution, summary, teams, verbatim, vtt, webtv};
use crate::model::Kind;

/// The formats travaux reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Teams,
    WebVtt,
    Verbatim,
    /// A summary record: numbered paragraphs in the third person.
    Summary,
    /// A Web TV transcript: bold `Entity | Name | Post` headers over speech recognition.
    WebTv,
    /// A call's chat log, with a transcriber's lines.
    Irc,
    Minutes,
    Resolution,
    /// A UN document that is not a resolution: a report, a note, a compendium of statements.
    Report,
    Submission {
        markdown: bool,
    },
}

/// Extensions of formats that are recognised but not read yet, with what to tell the user.
pub(super) const NOT_YET: [(&str, &str); 5] = [
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
        } else if irc::detect(text) {
            Some(Format::Irc)
        } else if webtv::detect(text) {
            Some(Format::WebTv)
        } else if summary::detect(text) {
            Some(Format::Summary)
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
        None if ext == "pdf" => Some(if summary::detect(text) {
            Format::Summary
        } else if resolution::detect(text) {
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
            if summary::detect(text) {
                return Some(Format::Summary);
            }
            if resolution::detect(text) {
                return Some(Format::Resolution);
            }
            transcript().or_else(|| report::detect(text).then_some(Format::Report))
        }
    }
}
