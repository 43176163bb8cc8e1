//! The command line: clap definitions, and each subcommand as a call into the library with
//! its output written for a terminal (or as JSON for scripts).
//!
//! May use: every layer below; one file per group of commands, each a thin call into the library.

use crate::index::TravauxIndex;
use crate::model::{Date, Kind};
use crate::query::search::SearchRequest;
use crate::registry::Registry;
use anyhow::Result;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

mod alerts;
pub mod bench;
mod ingest;
mod record;
mod search;
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
    /// A folder of registry files (agencies, speakers, topics, versions, terms, cues, citations `.toml`)
    /// that replace the built-in ones.
    #[arg(long, global = true, env = "TRAVAUX_SCHEMA_DIR")]
    pub schema: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index files or folders (recursively).
    Ingest(IngestArgs),
    /// Merge the index into one segment after a large ingest: searches answer sooner.
    Compact(CompactArgs),
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
    /// The documents that cite a text (a symbol, or a resolution as texts cite it: 70/125).
    CitedBy(versions::CitedByArgs),
    /// What a document cites, most cited first.
    Cites(versions::CitesArgs),
    /// The most cited texts, by citing passages or by citing works.
    Cited(versions::CitedArgs),
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
    #[arg(long, value_parser = ingest::base_url)]
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
    /// The language the files are written in (a code: en, fr, es, ru, zh, ar, …), when their
    /// text or manifest does not say it.
    #[arg(long)]
    pub language: Option<String>,
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
pub struct CompactArgs {
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
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
    /// The passage in the document's other languages (its counterparts in each).
    #[arg(long)]
    pub languages: bool,
    #[arg(long)]
    pub json: bool,
}

/// How a command ends: its exit status (README lists them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything asked was done.
    Done = 0,
    /// The command failed: nothing, or nothing more, was done (the message says why).
    Failed = 1,
    /// The command line could not be read (clap says what it expected).
    Usage = 2,
    /// The command ran, but some of its items failed: files skipped by an ingest, batch lines
    /// or query-mix lines answered with an error. The others were done.
    Partial = 3,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

/// The library's error behind an error the command line reports, with its code and hint.
pub fn coded(e: &anyhow::Error) -> Option<&dyn crate::errors::Coded> {
    use crate::errors::Coded;
    e.chain().find_map(|c| -> Option<&dyn Coded> {
        if let Some(x) = c.downcast_ref::<crate::query::search::SearchError>() {
            return Some(x);
        }
        if let Some(x) = c.downcast_ref::<crate::index::IndexError>() {
            return Some(x);
        }
        if let Some(x) = c.downcast_ref::<crate::ingest::pipeline::IngestError>() {
            return Some(x);
        }
        if let Some(x) = c.downcast_ref::<crate::ingest::manifest::ManifestError>() {
            return Some(x);
        }
        if let Some(x) = c.downcast_ref::<crate::ingest::ParseError>() {
            return Some(x);
        }
        if let Some(x) = c.downcast_ref::<crate::registry::RegistryError>() {
            return Some(x);
        }
        if let Some(x) = c.downcast_ref::<crate::services::alerts::AlertError>() {
            return Some(x);
        }
        c.downcast_ref::<bench::MixError>().map(|x| x as &dyn Coded)
    })
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
        Command::Ingest(a) => ingest::ingest_cmd(a, &cli.common),
        Command::Compact(a) => ingest::compact_cmd(a, &cli.common),
        Command::Search(a) => search::search_cmd(*a, &cli.common),
        Command::Batch(a) => search::batch_cmd(a, &cli.common),
        Command::Stats(a) => record::stats_cmd(a, &cli.common),
        Command::Show(a) => record::show_cmd(a, &cli.common),
        Command::Speakers(a) => record::speakers_cmd(a, &cli.common),
        Command::Works(a) => versions::works_cmd(a, &cli.common),
        Command::Diff(a) => versions::diff_cmd(a, &cli.common),
        Command::Lineage(a) => versions::lineage_cmd(a, &cli.common),
        Command::Precedent(a) => versions::precedent_cmd(a, &cli.common),
        Command::CitedBy(a) => versions::cited_by_cmd(a, &cli.common),
        Command::Cites(a) => versions::cites_cmd(a, &cli.common),
        Command::Cited(a) => versions::cited_cmd(a, &cli.common),
        Command::Serve(a) => ingest::serve_cmd(a, &cli.common),
        Command::Bench(a) => record::bench_cmd(a, &cli.common),
        Command::Alerts(a) => alerts::alerts_cmd(a, &cli.common),
    }
}
