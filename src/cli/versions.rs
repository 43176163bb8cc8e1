//! The commands about versions of a work: `works`, `diff`, `lineage` and `precedent`, printed
//! for a terminal (colours when it is one) or as JSON for scripts.

use super::style::Style;
use super::{open, Common};
use crate::versions::align::{ParaRef, Status};
use crate::versions::diff::{self, Narrow};
use crate::versions::lineage;
use anyhow::Result;
use clap::Args;
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct WorksArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The work: its id, or the symbol or id of any of its documents (`A/RES/80/118`).
    pub work: String,
    /// The older version: a label (`draft`, `Rev.1`), a symbol or a document id. Default: the
    /// version before `--to`.
    #[arg(long)]
    pub from: Option<String>,
    /// The newer version. Default: the latest.
    #[arg(long)]
    pub to: Option<String>,
    /// Only paragraphs about this topic.
    #[arg(long)]
    pub topic: Option<String>,
    /// Only paragraphs matching this query.
    #[arg(long)]
    pub query: Option<String>,
    /// Leave out unchanged paragraphs.
    #[arg(long)]
    pub changed: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct LineageArgs {
    /// A paragraph's passage id (`document:seq`, as in results).
    pub id: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PrecedentArgs {
    /// The phrase, sentence or paragraph (read from standard input when absent).
    pub text: Vec<String>,
    /// For every paragraph of this draft, its best precedent or "new language".
    #[arg(long, conflicts_with = "text")]
    pub draft: Option<std::path::PathBuf>,
    /// Only documents dated before this day (YYYY-MM-DD). With --draft: the draft's date.
    #[arg(long)]
    pub before: Option<String>,
    /// Only this kind (resolution, transcript, submission); repeatable.
    #[arg(long)]
    pub kind: Vec<String>,
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// lineage (default): a paragraph once across its work's versions; none: every version.
    #[arg(long, value_enum)]
    pub collapse: Option<crate::query::request::Collapse>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CitedByArgs {
    /// The cited text: a symbol (A/RES/70/125), or a resolution or decision as texts cite it
    /// (70/125, "Security Council resolution 2250 (2015)").
    pub reference: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CitedArgs {
    /// Order by the passages that cite each text, or by the works.
    #[arg(long, value_enum, default_value = "passages")]
    pub by: crate::versions::citations::CitedOrder,
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    #[arg(long)]
    pub json: bool,
}

/// The most cited texts, with how many passages, documents and works cite each.
pub fn cited_cmd(a: CitedArgs, common: &Common) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let idx = open(common)?;
    let list = crate::versions::citations::most_cited(&idx, a.by, a.limit)?;
    if a.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "passages  documents  works  cited text")?;
    for c in &list {
        let indexed = if c.document.is_some() {
            ""
        } else {
            "  (not in the index)"
        };
        writeln!(
            out,
            "{:>8}  {:>9}  {:>5}  {}{indexed}",
            c.passages, c.documents, c.works, c.key
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Args)]
pub struct CitesArgs {
    /// The document: its id or symbol.
    pub document: String,
    #[arg(long)]
    pub json: bool,
}

/// The documents that cite a text, each with the paragraphs that do.
pub fn cited_by_cmd(a: CitedByArgs, common: &Common) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let idx = open(common)?;
    let c = crate::versions::citations::cited_by(&idx, &a.reference)?;
    if a.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&c)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let s = Style::stdout();
    writeln!(
        out,
        "{} is cited by {} passages of {} documents in {} works",
        s.bold(&c.key),
        c.passages,
        c.documents.len(),
        c.works.len()
    )?;
    for d in &c.documents {
        let places: Vec<String> = d.passages.iter().map(citing_place).collect();
        writeln!(
            out,
            "  {}  {}\n    {}",
            d.document.symbol.as_deref().unwrap_or(&d.document.id),
            d.document.title,
            places.join(", ")
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Where a passage cites, and how: "PP3 (recalling, para. 25)".
fn citing_place(c: &crate::versions::citations::Citing) -> String {
    let place = super::search::place_of(&c.locator);
    let how: Vec<String> = c
        .verb
        .iter()
        .cloned()
        .chain(c.paragraph.iter().map(|p| format!("its para. {p}")))
        .collect();
    if how.is_empty() {
        place
    } else {
        format!("{place} ({})", how.join(", "))
    }
}

/// What a document cites, most cited first, with where.
pub fn cites_cmd(a: CitesArgs, common: &Common) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let idx = open(common)?;
    let c = crate::versions::citations::cites(&idx, &a.document)?;
    if a.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&c)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let s = Style::stdout();
    let d = &c.document;
    writeln!(
        out,
        "{} cites {} documents",
        s.bold(d.symbol.as_deref().unwrap_or(&d.id)),
        c.cites.len()
    )?;
    for k in &c.cites {
        let places: Vec<String> = k.at.iter().map(citing_place).collect();
        writeln!(
            out,
            "  {:>3}  {:<24} {}",
            k.passages,
            k.key,
            places.join(", ")
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn works_cmd(a: WorksArgs, common: &Common) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let idx = open(common)?;
    let works = lineage::works(&idx)?;
    if a.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&works)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let s = Style::stdout();
    for w in works {
        writeln!(out, "{}\n  {}", s.bold(&w.work), w.title)?;
        for v in w.versions {
            writeln!(
                out,
                "    {:<18} {:<16} {}  {} paragraphs",
                v.version.as_deref().unwrap_or("?"),
                v.symbol.as_deref().unwrap_or(&v.doc),
                v.date.map(|d| d.to_string()).unwrap_or_default(),
                v.paragraphs
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn number(p: &ParaRef) -> String {
    p.paragraph.clone().unwrap_or_else(|| p.id.clone())
}

pub fn diff_cmd(a: DiffArgs, common: &Common) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let idx = open(common)?;
    let narrow = Narrow {
        topic: a.topic.clone(),
        q: a.query.clone(),
    };
    let mut d = diff::diff(&idx, &a.work, a.from.as_deref(), a.to.as_deref(), &narrow)?;
    if a.changed {
        d.paragraphs.retain(|p| p.status != Status::Unchanged);
    }
    if a.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&d)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let s = Style::stdout();
    let name = |v: &lineage::VersionRef| {
        format!(
            "{} {}",
            v.symbol.as_deref().unwrap_or(&v.doc),
            v.version.as_deref().unwrap_or("")
        )
    };
    let counts: Vec<String> = d
        .counts
        .iter()
        .map(|(st, n)| format!("{n} {}", st.as_str()))
        .collect();
    writeln!(
        out,
        "{}\n{} → {}: {}",
        s.bold(&d.work),
        name(&d.from),
        name(&d.to),
        counts.join(", ")
    )?;
    let c = &d.citations;
    if !c.added.is_empty() || !c.dropped.is_empty() {
        writeln!(
            out,
            "citations added: {}; dropped: {}",
            if c.added.is_empty() {
                "none".to_string()
            } else {
                c.added.join(", ")
            },
            if c.dropped.is_empty() {
                "none".to_string()
            } else {
                c.dropped.join(", ")
            }
        )?;
    }
    writeln!(out)?;
    for p in &d.paragraphs {
        let was: Vec<String> = p.old.iter().map(number).collect();
        let head = match (&p.new, p.status) {
            (Some(n), Status::New) => format!("{} · new", number(n)),
            (Some(n), st) if was.len() == 1 && was[0] == number(n) => {
                format!("{} · {}", number(n), st.as_str())
            }
            (Some(n), st) => format!("{} (was {}) · {}", number(n), was.join(" + "), st.as_str()),
            (None, _) => format!("(was {}) · deleted", was.join(", ")),
        };
        writeln!(out, "{}", s.bold(&head))?;
        if p.status == Status::Unchanged {
            continue;
        }
        writeln!(out, "  {}\n", s.changes(&p.changes))?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn lineage_cmd(a: LineageArgs, common: &Common) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let idx = open(common)?;
    let l = lineage::lineage(&idx, &a.id)?;
    let statements = crate::versions::references::statements_about_lineage(&idx, &l)?;
    if a.json {
        let v = serde_json::json!({
            "work": l.work, "passage": l.passage, "steps": l.steps, "statements": statements
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let s = Style::stdout();
    writeln!(out, "{}", s.bold(&l.work))?;
    for step in &l.steps {
        let v = &step.version;
        let paras: Vec<String> = step.paragraphs.iter().map(number).collect();
        writeln!(
            out,
            "\n{}",
            s.bold(&format!(
                "{} {} {} · paragraph {} · {}",
                v.symbol.as_deref().unwrap_or(&v.doc),
                v.version.as_deref().unwrap_or(""),
                v.date.map(|d| d.to_string()).unwrap_or_default(),
                if paras.is_empty() {
                    "—".into()
                } else {
                    paras.join(" + ")
                },
                step.status.map_or("first", Status::as_str),
            ))
        )?;
        if step.changes.is_empty() {
            writeln!(out, "  {}", step.text)?;
        } else {
            writeln!(out, "  {}", s.changes(&step.changes))?;
        }
    }
    if !statements.is_empty() {
        writeln!(out, "\n{}", s.bold("Statements about this paragraph"))?;
    }
    for st in &statements {
        let p = &st.statement;
        writeln!(
            out,
            "  [{}] {} · {} — “{}”{}",
            p.id,
            p.document.date.map(|d| d.to_string()).unwrap_or_default(),
            super::search::who(p),
            st.reference.mention.written,
            st.reference
                .note
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn precedent_cmd(a: PrecedentArgs, common: &Common) -> Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let idx = open(common)?;
    let s = Style::stdout();
    if let Some(path) = &a.draft {
        let bytes = std::fs::read(path)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
        let shown = path.display().to_string();
        let parsed =
            crate::ingest::parse_file(path, &shown, &bytes, &Default::default(), &idx.registry)
                .and_then(crate::ingest::FileRead::into_document)
                .map_err(|e| anyhow::anyhow!("{shown}: {e}"))?;
        let lines =
            crate::versions::precedent::for_draft(&idx, &parsed, a.before.as_deref(), &a.kind)?;
        if a.json {
            writeln!(out, "{}", serde_json::to_string_pretty(&lines)?)?;
            return Ok(ExitCode::SUCCESS);
        }
        let new = lines.iter().filter(|l| l.best.is_none()).count();
        writeln!(
            out,
            "{}: {} paragraphs, {} with earlier language, {} new\n",
            shown,
            lines.len(),
            lines.len() - new,
            new
        )?;
        writeln!(
            out,
            "{:<8} {:>5}  closest earlier language",
            "para", "share"
        )?;
        for l in &lines {
            match &l.best {
                Some(b) => {
                    let d = &b.passage.document;
                    writeln!(
                        out,
                        "{:<8} {:>4.0}%  {} {} {} ¶{}",
                        l.paragraph,
                        b.similarity * 100.0,
                        d.symbol.as_deref().unwrap_or(&d.id),
                        d.version.as_deref().unwrap_or(""),
                        d.date.map(|x| x.to_string()).unwrap_or_default(),
                        b.passage.locator.paragraph.as_deref().unwrap_or("?")
                    )?;
                }
                None => writeln!(out, "{:<8} {:>5}  new language", l.paragraph, "—")?,
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let text = if a.text.is_empty() {
        let mut t = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut t)?;
        t
    } else {
        a.text.join(" ")
    };
    let req = crate::versions::precedent::PrecedentRequest {
        text,
        before: a.before.clone(),
        kind: a.kind.clone(),
        limit: Some(a.limit),
        exclude_work: None,
        collapse: a.collapse,
    };
    let found = crate::versions::precedent::precedent(&idx, &idx.reader.searcher(), &req)?;
    if a.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&found)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    if found.is_empty() {
        writeln!(out, "no earlier use of this wording")?;
    }
    for f in &found {
        let d = &f.passage.document;
        let place = f
            .passage
            .locator
            .paragraph
            .as_deref()
            .map(|p| format!(" · paragraph {p}"))
            .unwrap_or_default();
        writeln!(
            out,
            "{}",
            s.bold(&format!(
                "{:.0}% · {} {} {}{} [{}]",
                f.similarity * 100.0,
                d.symbol.as_deref().unwrap_or(&d.title),
                d.version.as_deref().unwrap_or(""),
                d.date.map(|x| x.to_string()).unwrap_or_default(),
                place,
                f.passage.id
            ))
        )?;
        writeln!(out, "{}", s.wrap(&s.marked(&f.marked), 2))?;
        if !f.versions.is_empty() {
            writeln!(
                out,
                "  versions: {}",
                super::search::versions_line(&f.versions)
            )?;
        }
        writeln!(out)?;
    }
    Ok(ExitCode::SUCCESS)
}
