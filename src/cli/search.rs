//! `travaux search` and `travaux batch`: a search's hits printed for people (titles, places,
//! speakers, the snippet wrapped to the terminal, the versions a paragraph went through) or as
//! JSON, and many searches answered one a line.

use super::style::{self};
use super::{open, Common};
use super::{BatchArgs, SearchArgs};
use crate::index::StoredPassage;
use crate::model::Evidence;
use crate::query::search::{SearchRequest, SearchResponse};
use anyhow::{Context, Result};
use std::io::{BufRead, Write};
use std::path::Path;
use std::process::ExitCode;

/// The request the search flags describe.
pub fn request_from(a: &SearchArgs) -> SearchRequest {
    with_words(&a.query, &a.request)
}

/// A request with the words given on the command line as its query.
pub fn with_words(words: &[String], req: &SearchRequest) -> SearchRequest {
    let q = words.join(" ");
    SearchRequest {
        q: (!q.trim().is_empty()).then_some(q),
        ..req.clone()
    }
}

/// A document and where a passage stands in it, for a result's first line: symbol (or title),
/// version, date, and the place ("para. 37", "12:04").
pub fn head(d: &crate::index::DocumentRef, l: &crate::model::Locator) -> Vec<String> {
    let mut head = vec![d.symbol.clone().unwrap_or_else(|| d.title.clone())];
    head.extend(d.version.clone());
    head.extend(d.date.map(|x| x.to_string()));
    let place = place_of(l);
    if !place.is_empty() {
        head.push(place);
    }
    head
}

pub(super) fn search_cmd(a: SearchArgs, common: &Common) -> Result<ExitCode> {
    let idx = open(common)?;
    let mut req = request_from(&a);
    // For people, a paragraph once across its work's versions; scripts get what the API gives.
    if !a.json && req.collapse.is_none() {
        req.collapse = Some(crate::query::request::Collapse::Lineage);
    }
    let resp = crate::versions::collapse::search_with(&idx, &idx.reader.searcher(), &req)?;
    let out = std::io::stdout();
    let mut out = out.lock();
    if a.json {
        serde_json::to_writer(&mut out, &resp)?;
        writeln!(out)?;
    } else {
        print_hits(&mut out, &resp, &style::Style::stdout())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A locator for people: "para. 37", "PP3", "12:04", "line 88".
pub fn place_of(l: &crate::model::Locator) -> String {
    let mut parts = Vec::new();
    if let Some(p) = &l.paragraph {
        parts.push(if p.starts_with("PP") {
            p.clone()
        } else {
            format!("para. {p}")
        });
    }
    if let Some(t) = l.timestamp {
        parts.push(clock(t));
    }
    if parts.is_empty() {
        if let Some(line) = l.line {
            parts.push(format!("line {line}"));
        }
    }
    parts.join(", ")
}

/// Seconds as `m:ss` or `h:mm:ss`.
pub fn clock(t: u64) -> String {
    if t >= 3600 {
        format!("{}:{:02}:{:02}", t / 3600, (t / 60) % 60, t % 60)
    } else {
        format!("{}:{:02}", t / 60, t % 60)
    }
}

fn print_hits(out: &mut impl Write, resp: &SearchResponse, style: &style::Style) -> Result<()> {
    let grouped = match resp.groups {
        Some(g) if g != resp.total => format!(
            " in {g} {} across versions",
            if g == 1 { "paragraph" } else { "paragraphs" }
        ),
        _ => String::new(),
    };
    writeln!(
        out,
        "{} {}{grouped} (showing {}–{})",
        resp.total,
        if resp.total == 1 { "match" } else { "matches" },
        resp.offset + usize::from(!resp.hits.is_empty()),
        resp.offset + resp.hits.len()
    )?;
    if let Some(fix) = &resp.suggestion {
        writeln!(out, "did you mean: {}", style.bold(fix))?;
    }
    if !resp.expansions.is_empty() {
        let also: Vec<String> = resp
            .expansions
            .iter()
            .map(|e| format!("{} → {} ({})", e.word, e.form, how(e.how)))
            .collect();
        writeln!(out, "also searched: {}", also.join("; "))?;
    }
    if let Some(n) = &resp.notice {
        writeln!(out, "note: {n}")?;
    }
    if !resp.languages.is_empty() {
        writeln!(
            out,
            "also searched in {}, with its own stemming",
            resp.languages.join(", ")
        )?;
    }
    for h in &resp.hits {
        let d = &h.passage.document;
        let head = head(d, &h.passage.locator);
        writeln!(
            out,
            "\n{}  [{}]",
            style.bold(&head.join(" · ")),
            h.passage.id
        )?;
        // The title when the symbol stood for it.
        if d.symbol.is_some() {
            writeln!(out, "{}", style.dim(&style.wrap(&d.title, 2)))?;
        }
        let who = who(&h.passage);
        if !who.is_empty() {
            writeln!(out, "  {who}")?;
        }
        writeln!(out, "{}", style.wrap(&style.marked(&h.snippet), 2))?;
        for b in &h.beside {
            writeln!(out, "  {} [{}]", b.language, b.id)?;
            writeln!(out, "{}", style.dim(&style.wrap(&b.text, 4)))?;
        }
        if !h.versions.is_empty() {
            writeln!(out, "  versions: {}", versions_line(&h.versions))?;
        }
        if !h.matched.is_empty() {
            let forms: Vec<String> = h
                .matched
                .iter()
                .map(|e| format!("{} ({})", e.form, how(e.how)))
                .collect();
            writeln!(out, "  matched as {}", forms.join(", "))?;
        }
    }
    Ok(())
}

/// A paragraph through its work's versions, for people: "A/C.2/80/L.17 para. 58 (first) →
/// A/C.2/80/L.58 para. 59 (edited)"; versions that did not match say so.
pub fn versions_line(versions: &[crate::query::search::VersionHit]) -> String {
    versions
        .iter()
        .map(|v| {
            let name = v.symbol.as_deref().unwrap_or(&v.doc);
            let para = v
                .paragraph
                .as_deref()
                .map(|p| format!(" para. {p}"))
                .unwrap_or_default();
            let how = v.status.as_deref().unwrap_or("first");
            let unmatched = if v.matched { "" } else { ", not matched" };
            format!("{name}{para} ({how}{unmatched})")
        })
        .collect::<Vec<_>>()
        .join(" → ")
}

/// How an alternative form was reached, in words.
fn how(h: crate::query::expand::How) -> &'static str {
    use crate::query::expand::How;
    match h {
        How::Abbreviation => "abbreviation",
        How::Spelling => "spelling",
        How::Form => "word form",
        How::Typo => "close spelling",
        How::HeardAlike => "heard alike",
    }
}

/// Who speaks a passage and on what evidence, so a reader can judge the attribution:
/// "Derek Munene (WHO) · self 0.9 · label Chengetai Masango".
pub fn who(p: &StoredPassage) -> String {
    let name = match (&p.speaker, &p.agency) {
        (Some(s), Some(a)) => format!("{s} ({a})"),
        (Some(s), None) => s.clone(),
        (None, Some(a)) => a.clone(),
        (None, None) if p.speaker_label.is_some() => "speaker unknown".into(),
        (None, None) => return String::new(),
    };
    let mut parts = vec![name];
    if !matches!(p.evidence, Evidence::Author) {
        parts.push(format!("{} {}", p.evidence.as_str(), p.confidence));
    }
    if let Some(l) = &p.speaker_label {
        if p.speaker.as_ref() != Some(l) {
            parts.push(format!("label {l}"));
        }
    }
    parts.join(" · ")
}

pub(super) fn batch_cmd(a: BatchArgs, common: &Common) -> Result<ExitCode> {
    let idx = open(common)?;
    let input: Box<dyn BufRead> = match &a.file {
        Some(p) if p != Path::new("-") => Box::new(std::io::BufReader::new(
            std::fs::File::open(p).with_context(|| format!("cannot read {}", p.display()))?,
        )),
        _ => Box::new(std::io::stdin().lock()),
    };
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    let failed = crate::services::batch::run(
        &idx,
        input,
        &mut out,
        crate::services::batch::Budget::unbounded(),
    )?;
    out.flush()?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        super::Exit::Partial.into()
    })
}
