//! The domain types every other module speaks: a [`Document`] (one source file) and the
//! [`Passage`]s it is cut into (the unit of search and of results). Parsers produce them,
//! enrichment completes them, the index stores them; nothing here knows tantivy or a file format.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What sort of record a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A meeting: speaker turns with timestamps or speaker labels.
    Transcript,
    /// A resolution or one of its drafts: numbered paragraphs.
    Resolution,
    /// A written input by an entity or stakeholder.
    Submission,
}

impl Kind {
    /// Every kind, in display order.
    pub const ALL: [Kind; 3] = [Kind::Transcript, Kind::Resolution, Kind::Submission];

    /// The lowercase name used in the index, the CLI and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Transcript => "transcript",
            Kind::Resolution => "resolution",
            Kind::Submission => "submission",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "transcript" | "transcripts" | "meeting" => Ok(Kind::Transcript),
            "resolution" | "resolutions" | "draft" | "drafts" => Ok(Kind::Resolution),
            "submission" | "submissions" | "input" => Ok(Kind::Submission),
            other => Err(format!(
                "unknown kind `{other}`: expected transcript, resolution or submission"
            )),
        }
    }
}

/// A calendar date (the granularity the record has).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Builds a date, checking that the day exists (years 1000–9999).
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let month = time::Month::try_from(u8::try_from(month).ok()?).ok()?;
        let d = time::Date::from_calendar_date(year, month, u8::try_from(day).ok()?).ok()?;
        (1000..=9999)
            .contains(&year)
            .then(|| Date::from_calendar(d))
    }

    fn from_calendar(d: time::Date) -> Date {
        Date {
            year: d.year(),
            month: u32::from(u8::from(d.month())),
            day: u32::from(d.day()),
        }
    }

    /// The date `days` after 1970-01-01 (before it when negative).
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        let julian = i32::try_from(days.checked_add(UNIX_EPOCH_JULIAN_DAY)?).ok()?;
        let d = time::Date::from_julian_day(julian).ok()?;
        Date::new(d.year(), u32::from(u8::from(d.month())), u32::from(d.day()))
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        let month = time::Month::try_from(self.month as u8).unwrap_or(time::Month::January);
        time::Date::from_calendar_date(self.year, month, self.day as u8)
            .map_or(0, |d| i64::from(d.to_julian_day()) - UNIX_EPOCH_JULIAN_DAY)
    }
}

/// Serialises a score, share or confidence as users read it: four decimals, without the float
/// noise a single-precision number gains on its way to JSON (`0.8`, not `0.800000011920929`).
pub fn round4<S: serde::Serializer>(x: &f32, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(rounded(*x))
}

/// `x` rounded to four decimals, as the nearest double.
pub fn rounded(x: f32) -> f64 {
    let x = f64::from(x);
    if x.is_finite() {
        (x * 10_000.0).round() / 10_000.0
    } else {
        0.0
    }
}

/// The Julian day number of 1970-01-01.
const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl FromStr for Date {
    type Err = String;
    /// Accepts `YYYY-MM-DD`, or an ISO 8601 timestamp whose date part is kept
    /// (`2025-11-17T09:30:00Z`); anything else after the date is an error.
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let (head, rest) = s.split_at(s.char_indices().nth(10).map_or(s.len(), |(i, _)| i));
        let timestamp = rest.strip_prefix('T').is_some_and(|t| {
            !t.is_empty()
                && t.chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, ':' | '.' | 'Z' | '+' | '-'))
        });
        if !rest.is_empty() && !timestamp {
            return Err(format!("`{s}` is not a date: expected YYYY-MM-DD"));
        }
        // The shape first (what a date is written as), then the calendar (whether it is one).
        let shape = head.len() == 10
            && head.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                _ => b.is_ascii_digit(),
            });
        if !shape {
            return Err(format!("`{s}` is not a date: expected YYYY-MM-DD"));
        }
        const DAY: &[time::format_description::BorrowedFormatItem<'_>] =
            time::macros::format_description!("[year]-[month]-[day]");
        time::Date::parse(head, DAY)
            .ok()
            .and_then(|d| Date::new(d.year(), u32::from(u8::from(d.month())), u32::from(d.day())))
            .ok_or_else(|| format!("`{s}` is not a real date (years 1000–9999)"))
    }
}

/// In the OpenAPI document a date is a string, `YYYY-MM-DD`.
impl utoipa::PartialSchema for Date {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Date,
            )))
            .into()
    }
}

impl utoipa::ToSchema for Date {}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Where a passage stands in its document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Locator {
    /// Paragraph number as printed (`37`, `37 (a)`) or `PP3` for the third preambular paragraph.
    pub paragraph: Option<String>,
    /// The section heading the passage falls under.
    pub section: Option<String>,
    /// Seconds from the start of the meeting, for transcripts.
    pub timestamp: Option<u64>,
    /// Line in the source file where the passage starts (1-based).
    pub line: Option<u64>,
}

/// How a passage's speaker and agency were decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Evidence {
    /// The speaker label is the speaker (found in the speakers registry or stated by the source).
    Label,
    /// The speaker names their entity or themselves.
    #[serde(rename = "self")]
    SelfRef,
    /// The chair gave the floor to them.
    Floor,
    /// Continues an attributed intervention.
    Carried,
    /// The document's author (submissions, resolutions).
    Author,
    /// Nobody could be attributed.
    #[default]
    Unknown,
    /// A procedural line of the record (the meeting opened or rose, a vote taken): nobody's
    /// statement.
    Procedure,
}

impl Evidence {
    /// The lowercase name used in the index and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::Label => "label",
            Evidence::SelfRef => "self",
            Evidence::Floor => "floor",
            Evidence::Carried => "carried",
            Evidence::Author => "author",
            Evidence::Unknown => "unknown",
            Evidence::Procedure => "procedure",
        }
    }

    /// Parses the name written by [`Evidence::as_str`].
    pub fn parse(s: &str) -> Evidence {
        match s {
            "label" => Evidence::Label,
            "self" => Evidence::SelfRef,
            "floor" => Evidence::Floor,
            "carried" => Evidence::Carried,
            "author" => Evidence::Author,
            "procedure" => Evidence::Procedure,
            _ => Evidence::Unknown,
        }
    }
}

/// One source file: its identity and the metadata its passages share.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Stable id shown to users (from the file name).
    pub id: String,
    pub kind: Option<Kind>,
    pub title: String,
    pub date: Option<Date>,
    /// UN document symbol such as `A/RES/80/118`.
    pub symbol: Option<String>,
    /// What the versions of one text have in common.
    pub work: Option<String>,
    /// Version label id from the versions registry.
    pub version: Option<String>,
    /// The submitting entity (submissions) or sponsor (drafts).
    pub author: Option<String>,
    /// Source path, relative to the folder given to `ingest`.
    pub source: String,
    /// SHA-256 of the file's bytes, hex.
    pub hash: String,
    /// Agenda item as printed ("15", "20 (a)"), used to link drafts to what was adopted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agenda_item: Option<String>,
    /// The file's absolute path, to notice when it is gone (indexed, never shown).
    #[serde(skip)]
    pub origin: String,
    /// The text was written by speech recognition (a Teams or Zoom export, WebVTT captions):
    /// its names may be misheard.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub recognised: bool,
}

/// One unit of search: a speaker turn, a numbered paragraph, a paragraph of a submission.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Passage {
    /// Position in the document, from 0.
    pub seq: u32,
    pub text: String,
    /// The speaker label as the source writes it.
    pub speaker_label: Option<String>,
    /// The normalised speaker name.
    pub speaker: Option<String>,
    /// The entity the passage speaks for.
    pub agency: Option<String>,
    pub evidence: Evidence,
    /// How sure the attribution is, 0 to 1.
    #[serde(serialize_with = "crate::model::round4")]
    pub confidence: f32,
    /// Topic ids from the topics registry.
    pub topics: Vec<String>,
    /// Version labels the passage belongs to or speaks about.
    pub versions: Vec<String>,
    pub locator: Locator,
    /// The text with speech-recognition variants read back (searched, never shown).
    #[serde(skip)]
    pub heard: Option<String>,
    /// When the agency is a group: its members (the States a joint statement is made for).
    pub members: Vec<String>,
    /// Language code (`en`, `es`), when it could be told.
    pub language: Option<String>,
    /// The speaker's role or office, where the source states it.
    pub role: Option<String>,
    /// The footnotes the passage cites, their markers taken out of its text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub footnotes: Vec<Footnote>,
    /// The language the speaker spoke, where the record says the text is an interpretation
    /// ("(spoke in Russian)").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_language: Option<String>,
    /// The documents the passage and its footnotes cite, each once, in order
    /// ([`crate::text::citations`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cites: Vec<Cite>,
}

/// A document a passage cites: its key (the symbol, `A/RES/70/125`), the paragraph of it the
/// passage names ("paragraph 25 of resolution 79/1"), and the verb that introduces it
/// ("recalling", "taking note"), where the text has them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Cite {
    pub key: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verb: Option<String>,
}

/// A footnote a passage cites: its marker as printed, and its text from the foot of the page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Footnote {
    pub mark: String,
    pub text: String,
}

/// What a parser returns for one file: the document (metadata it could read) and its passages.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub document: Document,
    pub passages: Vec<Passage>,
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
    /// A procedural line of the record, not anybody's statement.
    pub procedural: bool,
    /// The language spoken, where the record says the text is an interpretation.
    pub original_language: Option<String>,
    /// The footnotes the text cites (markers already taken out of it).
    pub footnotes: Vec<Footnote>,
    pub text: String,
    pub locator: Locator,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_whole_and_checked_against_the_calendar() {
        let d: Date = "2025-11-17".parse().unwrap();
        assert_eq!(d.to_string(), "2025-11-17");
        let t: Date = "2025-11-17T09:30:00Z".parse().unwrap();
        assert_eq!(t, d);
        assert_eq!(
            "2024-02-29".parse::<Date>().unwrap().to_string(),
            "2024-02-29"
        );
        for (s, says) in [
            ("2025-02-29", "not a real date"),
            ("2025-13-01", "not a real date"),
            ("0999-01-01", "not a real date"),
            ("2025-1-01", "not a date"),
            ("17 November 2025", "not a date"),
            ("2025-11-17 and more", "not a date"),
        ] {
            let e = s.parse::<Date>().unwrap_err();
            assert!(e.contains(says), "{s}: {e}");
        }
    }
}
