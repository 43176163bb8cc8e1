//! Saved searches and alerts. A saved search is a name and the search it stands for, kept as
//! the query string the page and the API read (`q=digital+public+infrastructure&kind=resolution`)
//! in `alerts.toml`, in the index's folder: people may edit it, the CLI writes it, the server
//! only reads it. `check` reports what matched in the documents indexed since the last check:
//! new passages, and the changed paragraphs of a new version of a work (with the word-level
//! change from the version before). What each alert has seen is kept apart, in
//! `alerts-seen.json`, as document ids with the hash of what they were read from, so that a
//! re-ingested file that changed counts as new.

use crate::index::{DocumentRef, StoredPassage, TravauxIndex};
use crate::model::Kind;
use crate::query::request::{QueryStringError, SearchRequest};
use crate::query::search::{self, SearchError};
use crate::versions::align::{Change, ParaRef, Status};
use crate::versions::diff::diff_versions;
use crate::versions::lineage;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// The file of saved searches in an index's folder.
pub const FILE: &str = "alerts.toml";
/// What each saved search has seen, beside it.
pub const SEEN: &str = "alerts-seen.json";

/// What went wrong with the saved searches.
#[derive(Debug, thiserror::Error)]
pub enum AlertError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("no saved search is named `{0}` (`travaux alerts list` shows them)")]
    Unknown(String),
    #[error("a saved search is named `{0}` already: remove it first, or pick another name")]
    Exists(String),
    #[error("`{0}` cannot name a saved search: use letters, digits, `-` and `_` (at most 64)")]
    BadName(String),
    #[error("saved search `{name}`: {source}")]
    Request {
        name: String,
        source: QueryStringError,
    },
    #[error(transparent)]
    Search(#[from] SearchError),
}

impl crate::errors::Coded for AlertError {
    fn code(&self) -> crate::errors::ErrorCode {
        use crate::errors::ErrorCode;
        match self {
            AlertError::Io { .. } => ErrorCode::Internal,
            AlertError::Parse { .. } => ErrorCode::BadInput,
            AlertError::Unknown(_) => ErrorCode::NotFound,
            AlertError::Exists(_) | AlertError::BadName(_) | AlertError::Request { .. } => {
                ErrorCode::BadParameter
            }
            AlertError::Search(e) => e.code(),
        }
    }
    fn hint(&self) -> Option<String> {
        match self {
            AlertError::Search(e) => e.hint(),
            _ => None,
        }
    }
}

/// A saved search.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct Alert {
    pub name: String,
    /// The search as a query string, as `/api/search` takes it.
    pub search: String,
    /// When it was saved (UTC).
    pub added: String,
}

impl Alert {
    /// The search it stands for.
    pub fn request(&self) -> Result<SearchRequest, AlertError> {
        SearchRequest::from_query_string(&self.search).map_err(|source| AlertError::Request {
            name: self.name.clone(),
            source,
        })
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct AlertsFile {
    #[serde(default, rename = "alert")]
    alerts: Vec<Alert>,
}

/// The saved searches of one index.
#[derive(Debug)]
pub struct Alerts {
    dir: PathBuf,
    pub alerts: Vec<Alert>,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> AlertError + '_ {
    move |source| AlertError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes a file whole or not at all: a crash leaves the old file or the new one.
fn replace(path: &Path, text: &str) -> Result<(), AlertError> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).map_err(io(&tmp))?;
    std::fs::rename(&tmp, path).map_err(io(path))
}

/// The time now, `YYYY-MM-DDTHH:MM:SSZ`.
pub fn now() -> String {
    let t = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl Alerts {
    /// The saved searches of the index in `dir` (none when the file is absent).
    pub fn load(dir: &Path) -> Result<Alerts, AlertError> {
        let path = dir.join(FILE);
        let file: AlertsFile = match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text).map_err(|e| AlertError::Parse {
                path: path.clone(),
                message: e.to_string(),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => AlertsFile::default(),
            Err(e) => return Err(io(&path)(e)),
        };
        for a in &file.alerts {
            if !valid_name(&a.name) {
                return Err(AlertError::Parse {
                    path,
                    message: AlertError::BadName(a.name.clone()).to_string(),
                });
            }
            a.request()?;
        }
        Ok(Alerts {
            dir: dir.to_path_buf(),
            alerts: file.alerts,
        })
    }

    pub fn get(&self, name: &str) -> Result<&Alert, AlertError> {
        self.alerts
            .iter()
            .find(|a| a.name == name)
            .ok_or_else(|| AlertError::Unknown(name.to_string()))
    }

    fn save(&self) -> Result<(), AlertError> {
        let file = AlertsFile {
            alerts: self.alerts.clone(),
        };
        let text = toml::to_string(&file).map_err(|e| AlertError::Parse {
            path: self.dir.join(FILE),
            message: e.to_string(),
        })?;
        replace(
            &self.dir.join(FILE),
            &format!("# Saved searches: `travaux alerts add|list|remove|check`.\n\n{text}"),
        )
    }

    /// Saves a search; from now on `check` reports what is indexed after this moment.
    pub fn add(
        &mut self,
        idx: &TravauxIndex,
        name: &str,
        req: &SearchRequest,
    ) -> Result<&Alert, AlertError> {
        if !valid_name(name) {
            return Err(AlertError::BadName(name.to_string()));
        }
        if self.alerts.iter().any(|a| a.name == name) {
            return Err(AlertError::Exists(name.to_string()));
        }
        // The search must be one the index can run.
        search::check(req)?;
        search::build_query(idx, &idx.reader.searcher(), req)?;
        let alert = Alert {
            name: name.to_string(),
            search: req.to_query_string(),
            added: now(),
        };
        let mut seen = Seen::load(&self.dir)?;
        seen.by.insert(
            name.to_string(),
            indexed(idx)?.into_iter().map(|(k, _)| k).collect(),
        );
        self.alerts.push(alert);
        self.save()?;
        seen.save(&self.dir)?;
        Ok(self.alerts.last().expect("just added"))
    }

    pub fn remove(&mut self, name: &str) -> Result<Alert, AlertError> {
        let at = self
            .alerts
            .iter()
            .position(|a| a.name == name)
            .ok_or_else(|| AlertError::Unknown(name.to_string()))?;
        let gone = self.alerts.remove(at);
        self.save()?;
        let mut seen = Seen::load(&self.dir)?;
        if seen.by.remove(name).is_some() {
            seen.save(&self.dir)?;
        }
        Ok(gone)
    }

    /// What each named alert (all when none is named) matched since its last check; `commit`
    /// records the documents as seen.
    pub fn check(
        &self,
        idx: &TravauxIndex,
        names: &[String],
        commit: bool,
    ) -> Result<Vec<Report>, AlertError> {
        for n in names {
            self.get(n)?;
        }
        let docs = indexed(idx)?;
        let now: Vec<String> = docs.iter().map(|(k, _)| k.clone()).collect();
        let mut seen = Seen::load(&self.dir)?;
        let mut out = Vec::new();
        for a in &self.alerts {
            if !names.is_empty() && !names.contains(&a.name) {
                continue;
            }
            // A search added by hand has seen nothing yet: it starts watching now.
            let Some(before) = seen.by.get(&a.name) else {
                out.push(Report {
                    alert: a.name.clone(),
                    documents: Vec::new(),
                    items: Vec::new(),
                    unchanged: 0,
                });
                continue;
            };
            let before: HashSet<&String> = before.iter().collect();
            let fresh: Vec<&DocumentRef> = docs
                .iter()
                .filter(|(k, _)| !before.contains(k))
                .map(|(_, d)| d)
                .collect();
            out.push(report(idx, a, &fresh)?);
        }
        if commit {
            for r in &out {
                seen.by.insert(r.alert.clone(), now.clone());
            }
            seen.save(&self.dir)?;
        }
        Ok(out)
    }
}

/// Every document in the index, oldest first, each with the key it is seen by: its id and the
/// hash of what it was read from.
fn indexed(idx: &TravauxIndex) -> Result<Vec<(String, DocumentRef)>, SearchError> {
    Ok(crate::query::stats::documents(idx)?
        .into_iter()
        .map(|d| {
            let hash: String = d.hash.chars().take(16).collect();
            (format!("{}@{hash}", d.document.id), d.document)
        })
        .collect())
}

/// The documents each saved search has seen.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Seen {
    #[serde(flatten)]
    by: BTreeMap<String, Vec<String>>,
}

impl Seen {
    fn load(dir: &Path) -> Result<Seen, AlertError> {
        let path = dir.join(SEEN);
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| AlertError::Parse {
                path,
                message: format!("{e} (delete the file to start every saved search afresh)"),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Seen::default()),
            Err(e) => Err(io(&path)(e)),
        }
    }

    fn save(&self, dir: &Path) -> Result<(), AlertError> {
        let text = serde_json::to_string(self).expect("strings serialise");
        replace(&dir.join(SEEN), &text)
    }
}

/// What changed for one saved search since its last check.
#[derive(Debug, Serialize)]
pub struct Report {
    pub alert: String,
    /// The documents indexed since the last check, whether they matched or not.
    pub documents: Vec<DocumentRef>,
    /// What matched in them.
    pub items: Vec<Item>,
    /// Paragraphs of new versions that match but read as in the version before.
    pub unchanged: usize,
}

/// What an alert reports of a new document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum What {
    /// A passage of a new document (a meeting, a submission, a work's first version).
    Passage,
    /// A paragraph of a new version of a work that is new or changed from the version before.
    Paragraph,
}

/// One thing that matched.
#[derive(Debug, Serialize)]
pub struct Item {
    pub what: What,
    pub document: DocumentRef,
    /// The passage as it now reads (none for a deleted paragraph).
    pub passage: Option<StoredPassage>,
    /// For a paragraph: how it changed from the version before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// The version it is compared with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<DocumentRef>,
    /// Its predecessors there.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub was: Vec<ParaRef>,
    /// The word-level change.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
}

/// The passages of `docs` a request matches, by id.
fn matches(
    idx: &TravauxIndex,
    req: &SearchRequest,
    docs: &[&str],
) -> Result<BTreeMap<String, StoredPassage>, SearchError> {
    // A saved search limited to some documents keeps that limit.
    let docs: Vec<String> = docs
        .iter()
        .filter(|d| req.doc.is_empty() || req.doc.iter().any(|x| x == *d))
        .map(|d| d.to_string())
        .collect();
    let mut out = BTreeMap::new();
    if docs.is_empty() {
        return Ok(out);
    }
    let req = SearchRequest {
        doc: docs,
        ..req.clone()
    };
    search::for_each_match(idx, &idx.reader.searcher(), &req, |p| {
        out.insert(p.id.clone(), p);
        true
    })?;
    Ok(out)
}

fn report(idx: &TravauxIndex, alert: &Alert, fresh: &[&DocumentRef]) -> Result<Report, AlertError> {
    let req = alert.request()?;
    let mut items = Vec::new();
    let mut unchanged = 0;
    for d in fresh {
        // A new version of a work: its changed paragraphs, against the version before.
        let work = match (d.kind, &d.work) {
            (Some(Kind::Resolution), Some(work)) => {
                let searcher = idx.reader.searcher();
                let w = lineage::find(idx, &searcher, work)?;
                w.versions
                    .iter()
                    .position(|v| v.doc.id == d.id)
                    .filter(|&i| i > 0)
                    .map(|i| (searcher, w, i))
            }
            _ => None,
        };
        match work {
            Some((searcher, w, i)) => {
                let (prev, now) = (&w.versions[i - 1], &w.versions[i]);
                let found = matches(idx, &req, &[&prev.doc.id, &d.id])?;
                let diff = diff_versions(idx, &searcher, &w, i - 1, i, &Default::default())?;
                for e in diff.paragraphs {
                    if !e
                        .new
                        .iter()
                        .chain(&e.old)
                        .any(|p| found.contains_key(&p.id))
                    {
                        continue;
                    }
                    if e.status == Status::Unchanged {
                        unchanged += 1;
                        continue;
                    }
                    let passage = e
                        .new
                        .as_ref()
                        .and_then(|n| now.paragraphs.iter().find(|p| p.id == n.id).cloned());
                    items.push(Item {
                        what: What::Paragraph,
                        document: (*d).clone(),
                        passage,
                        status: Some(e.status),
                        previous: Some(prev.doc.clone()),
                        was: e.old,
                        changes: e.changes,
                    });
                }
            }
            None => {
                let found = matches(idx, &req, &[&d.id])?;
                let mut passages: Vec<StoredPassage> = found.into_values().collect();
                passages.sort_by_key(|p| p.seq);
                for p in passages {
                    items.push(Item {
                        what: What::Passage,
                        document: (*d).clone(),
                        passage: Some(p),
                        status: None,
                        previous: None,
                        was: Vec::new(),
                        changes: Vec::new(),
                    });
                }
            }
        }
    }
    Ok(Report {
        alert: alert.name.clone(),
        documents: fresh.iter().map(|d| (*d).clone()).collect(),
        items,
        unchanged,
    })
}
