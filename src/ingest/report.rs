//! UN documents that are not resolutions: reports, notes by the Secretariat, summaries, and
//! compendiums of statements. The masthead gives symbol and date; the body is cut into numbered
//! paragraphs ("1.", "(a)") and unnumbered ones under their headings, with page furniture,
//! footnotes and the table of contents taken out.
//!
//! A compendium is one document with many authors: its table of contents lists the
//! delegations whose statements follow, each under a heading of its name. When most entries of
//! the contents are entities the agencies registry knows, each section's passages speak for
//! that entity; "Tunisia (on behalf of the Arab Group)" speaks for the group, and a joint
//! statement lists the States it is made for, which stay findable as its members.

use super::markers::{cited_footnotes, strip_footnote_markers};
use super::pdftext::{clean, join_lines, CleanLine, Masthead};
use super::undoc::{blocks, date_in, is_heading, symbol_of, LETTERED, OPERATIVE, SUBITEM, SYMBOL};
use super::{Draft, ParseError, Turn};
use crate::model::{Kind, Locator};
use crate::registry::Registry;
use crate::text::norm_key;
use regex::Regex;
use std::sync::LazyLock;

/// A contents line: an entry, dot leaders, a page number.
static CONTENTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(.*?)\s*(?:\.\s?){4,}[.\s]*(\d{1,4})?\s*$").expect("valid regex")
});
/// A part heading in the contents ("I. Member States").
static PART: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[IVX]{1,5}\.\s+").expect("valid regex"));

/// A UN document with a masthead (symbol, and an organ or distribution line) that is not a
/// resolution or a meeting record.
pub fn detect(text: &str) -> bool {
    let head: Vec<&str> = text.lines().take(40).map(str::trim).collect();
    head.iter().any(|l| symbol_of(l).is_some())
        && head.iter().any(|l| {
            l.starts_with("Distr.")
                || l.starts_with("General Assembly")
                || l.starts_with("Economic and Social Council")
                || l.starts_with("Security Council")
                || l.starts_with("Official Records")
        })
}

/// One section of a compendium: whose statement it is.
#[derive(Debug, Clone)]
struct Owner {
    /// The heading as the contents write it.
    heading: String,
    agency: Option<String>,
    members: Vec<String>,
}

/// Parses a report or compendium.
pub fn parse(text: &str, registry: &Registry) -> Result<Draft, ParseError> {
    let mut draft = Draft::new(Kind::Submission);
    draft.versioned = true;
    let raw: Vec<&str> = text.lines().map(str::trim).collect();
    draft.symbol = raw
        .iter()
        .take(40)
        .find_map(|l| symbol_of(l))
        .map(str::to_string);
    if let Some(i) = raw.iter().take(40).position(|l| l.starts_with("Distr.")) {
        draft.date = raw[i..].iter().take(4).find_map(|l| date_in(l));
    }
    draft.masthead = raw.iter().take(40).copied().collect::<Vec<_>>().join("\n");
    let mut cleaned = clean(
        text,
        Masthead {
            symbol: draft.symbol.as_deref(),
            title: draft.title.as_deref(),
        },
    );
    let entries = take_contents(&mut cleaned.lines);
    // Part headings ("I. Member States") group the entries; a part named for an entity
    // ("II. European Union") is that entity's section.
    let owners: Vec<Owner> = entries
        .iter()
        .map(|e| (e, PART.replace(e, "").to_string()))
        .map(|(e, name)| Owner {
            heading: e.clone(),
            ..owner(&name, registry)
        })
        .filter(|o| o.agency.is_some() || !PART.is_match(&o.heading))
        .collect();
    let known = owners.iter().filter(|o| o.agency.is_some()).count();
    let compendium = owners.len() >= 3 && known * 2 >= owners.len();
    let heading_key = |o: &Owner| norm_key(&PART.replace(&o.heading, ""));
    if compendium {
        // A section heading is a line of its own, even where extraction lost the blank line
        // around it.
        let keys: Vec<String> = owners.iter().map(heading_key).collect();
        let mut lines = Vec::with_capacity(cleaned.lines.len());
        for l in std::mem::take(&mut cleaned.lines) {
            let is_heading = keys.contains(&norm_key(&PART.replace(&l.text, "")));
            let blank = CleanLine {
                no: l.no,
                text: String::new(),
                after_break: false,
            };
            if is_heading {
                lines.push(blank.clone());
            }
            lines.push(l);
            if is_heading {
                lines.push(blank);
            }
        }
        cleaned.lines = lines;
    }
    let body: Vec<(usize, String)> = blocks(&cleaned.lines)
        .into_iter()
        .map(|b| (b.first_line, join_lines(b.lines.iter().map(String::as_str))))
        .collect();

    let mut texts: Vec<(String, Locator, Option<Owner>)> = Vec::new();
    let mut section: Option<String> = None;
    let mut current: Option<Owner> = None;
    let mut numbered: Option<String> = None;
    let mut started = false;
    for (first_line, joined) in body {
        let line = Some(first_line as u64);
        let key = norm_key(&joined);
        if compendium {
            if let Some(o) = owners.iter().find(|o| {
                norm_key(&o.heading) == key
                    || heading_key(o) == norm_key(&PART.replace(&joined, ""))
            }) {
                current = Some(o.clone());
                section = Some(o.heading.clone());
                numbered = None;
                started = true;
                continue;
            }
        }
        if let Some(c) = OPERATIVE.captures(&joined) {
            started = true;
            let num = c[1].to_string();
            numbered = Some(num.clone());
            texts.push((
                c.get(2).map_or("", |m| m.as_str()).to_string(),
                Locator {
                    paragraph: Some(num),
                    section: section.clone(),
                    line,
                    ..Locator::default()
                },
                current.clone(),
            ));
            continue;
        }
        if let (Some(c), Some(n)) = (SUBITEM.captures(&joined), &numbered) {
            texts.push((
                c.get(2).map_or("", |m| m.as_str()).to_string(),
                Locator {
                    paragraph: Some(format!("{n} ({})", &c[1])),
                    section: section.clone(),
                    line,
                    ..Locator::default()
                },
                current.clone(),
            ));
            continue;
        }
        let numbered_heading =
            LETTERED.is_match(&joined) && joined.len() < 120 && !joined.ends_with('.');
        if (is_heading(&joined) || numbered_heading) && joined.len() < 160 {
            if !started && draft.title.is_none() && !is_masthead_line(&joined) {
                draft.title = Some(joined.clone());
            }
            if started || draft.title.as_deref() != Some(joined.as_str()) {
                section = Some(joined);
            }
            continue;
        }
        if !started && is_masthead_line(&joined) {
            continue;
        }
        started = true;
        texts.push((
            joined,
            Locator {
                section: section.clone(),
                line,
                ..Locator::default()
            },
            current.clone(),
        ));
    }
    let mut just: Vec<String> = texts.iter().map(|t| t.0.clone()).collect();
    let cited = strip_footnote_markers(&mut just, &cleaned.footnote_numbers());
    for ((t, (_, locator, owner)), marks) in just.into_iter().zip(texts).zip(cited) {
        if t.trim().is_empty() {
            continue;
        }
        draft.turns.push(Turn {
            agency: owner.as_ref().and_then(|o| o.agency.clone()),
            members: owner.map(|o| o.members).unwrap_or_default(),
            footnotes: cited_footnotes(&marks, &cleaned.footnotes),
            text: t,
            locator,
            ..Turn::default()
        });
    }
    if draft.turns.is_empty() {
        return Err(ParseError::Structure(
            "no paragraphs after the masthead".into(),
        ));
    }
    Ok(draft)
}

/// Takes the table of contents out of the lines and returns its entries: a "Contents" line,
/// then entries ending in dot leaders (and a page number, perhaps on a line of its own), an
/// entry perhaps wrapped over several lines.
fn take_contents(lines: &mut [CleanLine]) -> Vec<String> {
    let Some(start) = lines.iter().position(|l| l.text == "Contents") else {
        return Vec::new();
    };
    let leader_within = |from: usize| {
        lines[from..]
            .iter()
            .filter(|l| !l.text.is_empty())
            .take(6)
            .any(|l| CONTENTS.is_match(&l.text))
    };
    let mut entries = Vec::new();
    let mut pending: Vec<String> = Vec::new();
    let mut end = start + 1;
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        let t = line.text.as_str();
        if let Some(c) = CONTENTS.captures(t) {
            pending.push(c[1].trim().to_string());
            let entry = pending.join(" ");
            pending.clear();
            if !entry.is_empty() {
                entries.push(entry);
            }
            end = i + 1;
        } else if t.is_empty() || t == "Page" || t.chars().all(|c| c.is_ascii_digit()) {
            end = i + 1;
        } else if leader_within(i) && pending.len() < 8 {
            pending.push(t.to_string());
        } else {
            break;
        }
    }
    for l in &mut lines[start..end] {
        l.text.clear();
    }
    entries
}

/// Lines of a masthead or cover that are not the document's title.
fn is_masthead_line(t: &str) -> bool {
    let lower = t.to_lowercase();
    SYMBOL.is_match(t)
        || date_in(t).is_some()
        || [
            "united nations",
            "general assembly",
            "economic and social council",
            "security council",
            "distr.",
            "original:",
            "english",
            "official records",
            "supplement no",
            "session",
        ]
        .iter()
        .any(|p| lower.starts_with(p))
}

/// Whose statement a contents entry heads: "Australia"; "Tunisia (on behalf of the Arab
/// Group)" → the group; "Nicaragua (Joint Statement of the Group of Like-Minded States: the
/// Republic of Belarus, …)" → the group, with the States listed as members.
fn owner(entry: &str, registry: &Registry) -> Owner {
    let id = |name: &str| registry.agency(name.trim()).map(|a| a.id.clone());
    let (head, inner) = match entry.split_once('(') {
        Some((h, rest)) => (h.trim(), Some(rest.trim_end_matches(')').trim())),
        None => (entry.trim(), None),
    };
    let mut agency = id(entry).or_else(|| id(head));
    let mut members = Vec::new();
    if let Some(inner) = inner {
        let lower = inner.to_lowercase();
        let group_part = inner.split(':').next().unwrap_or(inner);
        let group = registry
            .agencies_in(group_part)
            .into_iter()
            .map(|(_, _, a)| a)
            .find(|a| a.kind.as_deref() == Some("group"));
        if lower.contains("behalf") || lower.contains("joint statement") {
            if let Some(g) = group {
                agency = Some(g.id.clone());
                members = g.members.clone();
            }
            if let Some((_, list)) = inner.split_once(':') {
                for (_, _, a) in registry.agencies_in(list) {
                    if !members.contains(&a.id) {
                        members.push(a.id.clone());
                    }
                }
            }
            if let Some(h) = id(head) {
                if !members.contains(&h) {
                    members.push(h);
                }
            }
        }
    }
    Owner {
        heading: entry.to_string(),
        agency,
        members,
    }
}
