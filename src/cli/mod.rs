//! The command line: clap definitions, and each subcommand as a call into the library with
//! its output written for a terminal (or as JSON for scripts).

use crate::index::{StoredPassage, TravauxIndex};
use crate::ingest::manifest::Meta;
use crate::ingest::pipeline::{self, IngestOptions};
use crate::model::{Date, Evidence, Kind};
use crate::query::search::{SearchRequest, SearchResponse};
use crate::registry::Registry;
use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

mod alerts;
pub mod bench;
mod style;
mod versions;

/// Search the record of UN digital-cooperation negotiations: transcripts, resolutions and
/// drafts, and submissions.
#[derive(Debug, Parser)]
#[command(name = "travaux", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub common: Common,
    #[command(subcommand)]
    pub command: Command,
}

/// Where the index lives and which registries to use: every subcommand takes these.
#[derive(Debug, Args, Clone)]
pub struct Common {
    /// The index folder.
    #[arg(
        long,
        global = true,
        env = "TRAVAUX_INDEX",
        default_value = "./travaux-index"
    )]
    pub index: PathBuf,
    /// A folder of registry files (agencies, speakers, topics, versions, terms, cues `.toml`)
    /// that replace the built-in ones.
    #[arg(long, global = true, env = "TRAVAUX_SCHEMA_DIR")]
    pub schema: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index files or folders (recursively).
    Ingest(IngestArgs),
    /// Search the index.
    Search(Box<SearchArgs>),
    /// Run many searches, one JSON request per line, answers one per line.
    Batch(BatchArgs),
    /// Documents and passages by kind, work, version, agency, speaker and topic.
    Stats(StatsArgs),
    /// A document with its passages, or a passage with its neighbours.
    Show(ShowArgs),
    /// Speakers and agencies with passage counts, by how each passage was attributed.
    Speakers(SpeakersArgs),
    /// Works with their versions (drafts, revisions, the adopted text).
    Works(versions::WorksArgs),
    /// How a work changed between two versions, paragraph by paragraph, word by word.
    Diff(versions::DiffArgs),
    /// One paragraph through every version of its work.
    Lineage(versions::LineageArgs),
    /// Where this wording was used before: the passages that repeat most of it.
    Precedent(versions::PrecedentArgs),
    /// Serve the HTTP API and the search page (ingests the demo corpus when there is no index).
    Serve(ServeArgs),
    /// Time a mix of queries against the index, in process: latency percentiles per class.
    Bench(BenchArgs),
    /// Saved searches: add, list, remove, and check what they matched since the last check.
    Alerts(alerts::AlertsArgs),
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// The query mix: NDJSON, `{"class": …, "search": {…}}` or `{"class": …, "precedent":
    /// {"text": …}}` per line.
    pub mix: PathBuf,
    /// Timed passes over the mix (after one untimed pass that warms the caches).
    #[arg(long, default_value_t = 3)]
    pub rounds: usize,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; loopback unless you say otherwise.
    #[arg(long, default_value = "127.0.0.1:7300")]
    pub addr: std::net::SocketAddr,
    /// The address users reach the server at (`https://example.org/travaux`), for the absolute
    /// links of its feeds; by default each request's `Host`.
    #[arg(long, value_parser = base_url)]
    pub base_url: Option<String>,
    /// Files or folders to ingest before serving.
    #[arg(long, num_args = 1..)]
    pub ingest: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files or folders to index.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Start the index over.
    #[arg(long)]
    pub rebuild: bool,
    /// A manifest for folders you cannot write a travaux.toml into.
    #[arg(long)]
    pub manifest: Option<PathBuf>,
    /// Kind of every file given: transcript, resolution or submission.
    #[arg(long)]
    pub kind: Option<Kind>,
    /// Work (what the versions of one text share).
    #[arg(long)]
    pub work: Option<String>,
    /// Version label (zero-draft, rev1, rev2, adopted, …).
    #[arg(long)]
    pub version: Option<String>,
    /// Date, YYYY-MM-DD.
    #[arg(long)]
    pub date: Option<Date>,
    /// Submitting entity.
    #[arg(long)]
    pub author: Option<String>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
    /// Commit after this many files (each commit is all or nothing).
    #[arg(long, default_value_t = 500)]
    pub commit_every: usize,
    /// Print a line on standard error when each commit is durable.
    #[arg(long)]
    pub log_commits: bool,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Words, "phrases", OR, -excluded, and filters such as agency:WHO.
    pub query: Vec<String>,
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub request: SearchRequest,
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// NDJSON requests (`-` or nothing: standard input).
    pub file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SpeakersArgs {
    /// Only this document.
    #[arg(long)]
    pub doc: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A document id, or a passage id (`document:seq`).
    pub id: String,
    /// Passages before and after a passage.
    #[arg(long, default_value_t = 2)]
    pub context: usize,
    #[arg(long)]
    pub json: bool,
}

fn registry(common: &Common) -> Result<Arc<Registry>> {
    Ok(Arc::new(Registry::load(common.schema.as_deref())?))
}

fn open(common: &Common) -> Result<TravauxIndex> {
    Ok(TravauxIndex::open(&common.index, registry(common)?)?)
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Ingest(a) => ingest_cmd(a, &cli.common),
        Command::Search(a) => search_cmd(*a, &cli.common),
        Command::Batch(a) => batch_cmd(a, &cli.common),
        Command::Stats(a) => stats_cmd(a, &cli.common),
        Command::Show(a) => show_cmd(a, &cli.common),
        Command::Speakers(a) => speakers_cmd(a, &cli.common),
        Command::Works(a) => versions::works_cmd(a, &cli.common),
        Command::Diff(a) => versions::diff_cmd(a, &cli.common),
        Command::Lineage(a) => versions::lineage_cmd(a, &cli.common),
        Command::Precedent(a) => versions::precedent_cmd(a, &cli.common),
        Command::Serve(a) => serve_cmd(a, &cli.common),
        Command::Bench(a) => bench_cmd(a, &cli.common),
        Command::Alerts(a) => alerts::alerts_cmd(a, &cli.common),
    }
}

/// A base URL: `http://` or `https://`, a host, and an optional path.
fn base_url(s: &str) -> std::result::Result<String, String> {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .ok_or("expected an http:// or https:// URL, such as https://example.org/travaux")?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty()
        || s.chars()
            .any(|c| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '?' | '#'))
    {
        return Err(
            "expected a URL with a host and no query, such as https://example.org/travaux".into(),
        );
    }
    Ok(s.trim_end_matches('/').to_string())
}

/// The demo corpus bundled with travaux: `./demo`, else the one in the source tree.
fn demo_corpus() -> Option<PathBuf> {
    [
        PathBuf::from("demo"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("demo"),
    ]
    .into_iter()
    .find(|p| p.join("travaux.toml").is_file())
}

fn serve_cmd(a: ServeArgs, common: &Common) -> Result<ExitCode> {
    let reg = registry(common)?;
    let mut to_ingest = a.ingest.clone();
    if to_ingest.is_empty() && !common.index.join("meta.json").exists() {
        let demo = demo_corpus().context("there is no index and no demo corpus to build one from: run `travaux ingest PATH...` first")?;
        println!(
            "no index at {}: ingesting the demo corpus in {}",
            common.index.display(),
            demo.display()
        );
        to_ingest.push(demo);
    }
    if !to_ingest.is_empty() {
        let opts = IngestOptions {
            index_dir: common.index.clone(),
            commit_every: 500,
            ..IngestOptions::default()
        };
        let report = pipeline::ingest(&to_ingest, &opts, reg.clone())?;
        for s in &report.skipped {
            eprintln!("skipped {}: {}", s.path, s.reason);
        }
        for s in &report.metadata {
            eprintln!("read {} as metadata: {}", s.path, s.reason);
        }
        println!(
            "{} documents, {} passages indexed",
            report.documents_in_index, report.passages_in_index
        );
    }
    let idx = Arc::new(TravauxIndex::open(&common.index, reg)?);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(crate::server::serve(idx, a.addr, a.base_url.clone()))?;
    Ok(ExitCode::SUCCESS)
}

fn ingest_cmd(a: IngestArgs, common: &Common) -> Result<ExitCode> {
    let opts = IngestOptions {
        index_dir: common.index.clone(),
        rebuild: a.rebuild,
        manifest: a.manifest.clone(),
        meta: Meta {
            kind: a.kind,
            work: a.work.clone(),
            version: a.version.clone(),
            date: a.date,
            author: a.author.clone(),
            ..Meta::default()
        },
        progress: !a.json,
        commit_every: a.commit_every,
        log_commits: a.log_commits,
    };
    let report = pipeline::ingest(&a.paths, &opts, registry(common)?)?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for s in &report.skipped {
            eprintln!("skipped {}: {}", s.path, s.reason);
        }
        println!(
            "{} files: {} added, {} replaced, {} unchanged, {} skipped; {} passages indexed ({} speakers, {} agencies) in {:.2}s",
            report.files,
            report.added,
            report.replaced,
            report.unchanged,
            report.skipped.len(),
            report.passages,
            report.speakers,
            report.agencies,
            report.seconds
        );
        println!(
            "index {}: {} documents, {} passages",
            common.index.display(),
            report.documents_in_index,
            report.passages_in_index
        );
    }
    Ok(if report.skipped.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    })
}

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

fn search_cmd(a: SearchArgs, common: &Common) -> Result<ExitCode> {
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

/// A snippet's HTML as terminal text: marks in bold (or `[…]` without colour), entities decoded
/// (named and numeric: `&#39;` and `&#x27;` alike).
pub fn html_to_terminal(s: &str, colour: bool) -> String {
    let (open, close) = if colour {
        ("\x1b[1;33m", "\x1b[0m")
    } else {
        ("[", "]")
    };
    decode_entities(&s.replace("<mark>", open).replace("</mark>", close))
}

/// Decodes the entities an HTML escaper writes: `&lt;`, `&gt;`, `&quot;`, `&amp;`, `&apos;` and
/// numeric ones. Anything else is left as written.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let entity = rest.find(';').filter(|&e| e <= 10).map(|e| &rest[1..e]);
        let decoded = entity.and_then(|name| match name {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "amp" => Some('&'),
            "apos" => Some('\''),
            _ => {
                let n = name.strip_prefix('#')?;
                let code = match n.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => n.parse().ok()?,
                };
                char::from_u32(code)
            }
        });
        match (decoded, entity) {
            (Some(ch), Some(name)) => {
                out.push(ch);
                rest = &rest[name.len() + 2..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn batch_cmd(a: BatchArgs, common: &Common) -> Result<ExitCode> {
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
        ExitCode::from(3)
    })
}

fn bench_cmd(a: BenchArgs, common: &Common) -> Result<ExitCode> {
    let mix = crate::cli::bench::read_mix(&a.mix)?;
    let idx = open(common)?;
    let report = crate::cli::bench::run(&idx, &mix, a.rounds.max(1));
    let mut out = std::io::stdout().lock();
    if a.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        writeln!(
            out,
            "{} passages, {} queries × {} rounds, in process",
            report.passages,
            mix.len(),
            report.rounds
        )?;
        writeln!(
            out,
            "{:<24} {:>7} {:>9} {:>9} {:>9} {:>11}",
            "class", "queries", "p50 ms", "p95 ms", "p99 ms", "mean hits"
        )?;
        for l in report.classes.iter().chain([&report.all]) {
            writeln!(
                out,
                "{:<24} {:>7} {:>9.3} {:>9.3} {:>9.3} {:>11.0}",
                l.class, l.queries, l.p50_ms, l.p95_ms, l.p99_ms, l.mean_hits
            )?;
        }
        for e in &report.errors {
            writeln!(out, "error: {e}")?;
        }
    }
    Ok(if report.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    })
}

fn stats_cmd(a: StatsArgs, common: &Common) -> Result<ExitCode> {
    let idx = open(common)?;
    let stats = crate::query::stats::stats(&idx)?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&stats)?);
    } else {
        println!("{} documents, {} passages", stats.documents, stats.passages);
        for (name, counts) in &stats.by {
            let mut v: Vec<(&String, &u64)> = counts.iter().collect();
            v.sort_by(|x, y| y.1.cmp(x.1).then(x.0.cmp(y.0)));
            println!("\n{name}:");
            for (k, c) in v.iter().take(25) {
                println!("  {c:>7}  {k}");
            }
            if v.len() > 25 {
                println!("  … and {} more", v.len() - 25);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn speakers_cmd(a: SpeakersArgs, common: &Common) -> Result<ExitCode> {
    let idx = open(common)?;
    let s = crate::query::stats::speakers(&idx, a.doc.as_deref())?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&s)?);
        return Ok(ExitCode::SUCCESS);
    }
    let evidence = |e: &std::collections::BTreeMap<String, u64>| {
        e.iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!(
        "{:>8}  {:<32} {:<28} evidence",
        "passages", "speaker", "agency"
    );
    for c in &s.speakers {
        println!(
            "{:>8}  {:<32} {:<28} {}",
            c.passages,
            c.speaker.as_deref().unwrap_or("(not named)"),
            c.agency.as_deref().unwrap_or("—"),
            evidence(&c.evidence)
        );
    }
    println!("\n{:>8}  {:<61} evidence", "passages", "agency");
    for c in &s.agencies {
        println!(
            "{:>8}  {:<61} {}",
            c.passages,
            c.agency.as_deref().unwrap_or("(none)"),
            evidence(&c.evidence)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn show_cmd(a: ShowArgs, common: &Common) -> Result<ExitCode> {
    let idx = open(common)?;
    let shown = crate::query::stats::show(&idx, &a.id, a.context)?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&shown)?);
        return Ok(ExitCode::SUCCESS);
    }
    let d = &shown.document;
    println!("{} [{}]", d.title, d.id);
    let meta: Vec<String> = [
        d.kind.map(|k| k.to_string()),
        d.symbol.clone(),
        d.version.clone(),
        d.date.map(|x| x.to_string()),
        d.work.clone().map(|w| format!("work {w}")),
        Some(d.source.clone()),
    ]
    .into_iter()
    .flatten()
    .collect();
    println!("{}\n", meta.join(" · "));
    for p in &shown.passages {
        let mark = if Some(&p.id) == shown.focus.as_ref() {
            ">"
        } else {
            " "
        };
        let mut place = Vec::new();
        if let Some(x) = &p.locator.paragraph {
            place.push(x.clone());
        }
        if let Some(t) = p.locator.timestamp {
            place.push(clock(t));
        }
        let who = who(p);
        if !who.is_empty() {
            place.push(who);
        }
        println!("{mark} [{}] {}\n  {}\n", p.id, place.join(" · "), p.text);
    }
    // A statement's references, a paragraph's statements.
    if let Some(p) = shown
        .passages
        .iter()
        .find(|p| Some(&p.id) == shown.focus.as_ref())
    {
        let links = crate::versions::references::links(&idx, p)?;
        for r in &links.refers_to {
            println!(
                "“{}” refers to {} {} paragraph {} [{}]{}",
                r.mention.written,
                r.symbol.as_deref().unwrap_or(&r.work),
                r.version.as_deref().unwrap_or(""),
                r.paragraph.as_deref().unwrap_or("(not found)"),
                r.passage.as_deref().unwrap_or("-"),
                r.note
                    .as_deref()
                    .map(|n| format!(" — {n}"))
                    .unwrap_or_default()
            );
        }
        for s in &links.statements {
            println!(
                "referred to by [{}] {} — “{}”",
                s.statement.id,
                who(&s.statement),
                s.reference.mention.written
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_reach_the_terminal_without_entities() {
        assert_eq!(
            html_to_terminal(
                "I&#x27;m <mark>IETU</mark>&#39;s &amp; &quot;x&quot; &lt;3 &bogus; &",
                false
            ),
            "I'm [IETU]'s & \"x\" <3 &bogus; &"
        );
    }
}
