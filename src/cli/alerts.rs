//! `travaux alerts`: save a search, list and remove saved searches, and check what they matched
//! since the last check (text for people, NDJSON for scripts; for cron).

use super::style::Style;
use super::{open, Common};
use crate::query::request::SearchRequest;
use crate::services::alerts::{Alerts, Item, Report, What};
use anyhow::Result;
use clap::{Args, Subcommand};
use std::io::Write;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct AlertsArgs {
    #[command(subcommand)]
    pub command: AlertsCommand,
}

#[derive(Debug, Subcommand)]
pub enum AlertsCommand {
    /// Save a search under a name: `check` then reports what is indexed after now.
    Add(Box<AddArgs>),
    /// The saved searches.
    List(ListArgs),
    /// Forget a saved search.
    Remove(RemoveArgs),
    /// What each saved search matched since its last check; nothing is printed when nothing
    /// matched (for cron).
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Letters, digits, `-` and `_`: it names the feed `/api/alerts/NAME.atom`.
    pub name: String,
    /// Words, "phrases", OR, -excluded, and filters such as agency:WHO.
    pub query: Vec<String>,
    #[command(flatten)]
    pub request: SearchRequest,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    pub name: String,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Only these saved searches (default: all).
    pub names: Vec<String>,
    /// One JSON object per line: each passage or changed paragraph, with its alert.
    #[arg(long)]
    pub json: bool,
    /// Report without recording the documents as seen: the next check reports them again.
    #[arg(long)]
    pub dry_run: bool,
}

pub fn alerts_cmd(a: AlertsArgs, common: &Common) -> Result<ExitCode> {
    match a.command {
        AlertsCommand::Add(a) => add(*a, common),
        AlertsCommand::List(a) => list(a, common),
        AlertsCommand::Remove(a) => remove(a, common),
        AlertsCommand::Check(a) => check(a, common),
    }
}

fn add(a: AddArgs, common: &Common) -> Result<ExitCode> {
    let idx = open(common)?;
    let mut alerts = Alerts::load(&common.index)?;
    let req = super::search::with_words(&a.query, &a.request);
    let saved = alerts.add(&idx, &a.name, &req)?;
    println!(
        "saved `{}`: {}\n`travaux alerts check` reports what is indexed from now on; the server \
         publishes it as /api/alerts/{}.atom",
        saved.name, saved.search, saved.name
    );
    Ok(ExitCode::SUCCESS)
}

fn list(a: ListArgs, common: &Common) -> Result<ExitCode> {
    let alerts = Alerts::load(&common.index)?;
    let mut out = std::io::stdout().lock();
    if a.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&alerts.alerts)?)?;
    } else if alerts.alerts.is_empty() {
        writeln!(
            out,
            "no saved searches: `travaux alerts add NAME QUERY` saves one"
        )?;
    } else {
        for al in &alerts.alerts {
            writeln!(out, "{:<20} {}  (since {})", al.name, al.search, al.added)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn remove(a: RemoveArgs, common: &Common) -> Result<ExitCode> {
    let mut alerts = Alerts::load(&common.index)?;
    let gone = alerts.remove(&a.name)?;
    println!("removed `{}` ({})", gone.name, gone.search);
    Ok(ExitCode::SUCCESS)
}

fn check(a: CheckArgs, common: &Common) -> Result<ExitCode> {
    let idx = open(common)?;
    let alerts = Alerts::load(&common.index)?;
    let reports = alerts.check(&idx, &a.names, !a.dry_run)?;
    let mut out = std::io::stdout().lock();
    if a.json {
        for r in &reports {
            for it in &r.items {
                let line = serde_json::json!({"alert": r.alert, "item": it});
                writeln!(out, "{line}")?;
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let s = Style::stdout();
    for r in reports.iter().filter(|r| !r.items.is_empty()) {
        print_report(&mut out, &s, r)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn print_report(out: &mut impl Write, s: &Style, r: &Report) -> Result<()> {
    let passages = r.items.iter().filter(|i| i.what == What::Passage).count();
    let paragraphs = r.items.len() - passages;
    let mut what = Vec::new();
    if passages > 0 {
        what.push(plural(passages, "new passage", "new passages"));
    }
    if paragraphs > 0 {
        what.push(plural(
            paragraphs,
            "changed paragraph",
            "changed paragraphs",
        ));
    }
    writeln!(
        out,
        "{}: {} in {} indexed since the last check",
        s.bold(&r.alert),
        what.join(", "),
        plural(r.documents.len(), "document", "documents")
    )?;
    for it in &r.items {
        print_item(out, s, it)?;
    }
    if r.unchanged > 0 {
        writeln!(
            out,
            "  ({} that match read as in the version before)",
            plural(r.unchanged, "paragraph", "paragraphs")
        )?;
    }
    writeln!(out)?;
    Ok(())
}

fn print_item(out: &mut impl Write, s: &Style, it: &Item) -> Result<()> {
    let mut head = match &it.passage {
        Some(p) => {
            let mut head = super::search::head(&it.document, &p.locator);
            head.extend(p.speaker.clone().or_else(|| p.agency.clone()));
            head
        }
        None => super::search::head(&it.document, &Default::default()),
    };
    if let Some(st) = it.status {
        let was: Vec<&str> = it
            .was
            .iter()
            .map(|w| w.paragraph.as_deref().unwrap_or(&w.id))
            .collect();
        let prev = it
            .previous
            .as_ref()
            .map(|p| p.symbol.clone().unwrap_or_else(|| p.id.clone()));
        head.push(match (was.is_empty(), prev) {
            (false, Some(prev)) => {
                format!("{} (was para. {} of {prev})", st.as_str(), was.join(" + "))
            }
            _ => st.as_str().to_string(),
        });
    }
    writeln!(out, "  {}", head.join(" · "))?;
    let body = match (&it.passage, it.changes.is_empty()) {
        (_, false) => s.changes(&it.changes),
        (Some(p), true) => p.text.clone(),
        (None, true) => String::new(),
    };
    writeln!(out, "{}", s.wrap(&body, 4))?;
    Ok(())
}
