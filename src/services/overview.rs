//! What the home page shows before anything is searched: the corpus at a glance. Works with
//! their versions, meetings with who spoke in them, submissions by the entity that sent them,
//! the latest documents, and searches worth trying, chosen from what the index holds (the
//! agencies and topics most often together), not from a list kept by hand.

use crate::index::{DocumentRef, TravauxIndex};
use crate::model::Kind;
use crate::query::search::{SearchError, SearchRequest};
use crate::query::stats::{self, ComboCollector, DocumentSummary};
use crate::versions::lineage::{self, WorkSummary};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use tantivy::query::AllQuery;

/// How many participants a meeting lists, and how many latest documents are shown.
const PARTICIPANTS: usize = 12;
const LATEST: usize = 8;
const EXAMPLES: usize = 4;

/// The corpus at a glance.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Overview {
    pub documents: usize,
    pub passages: u64,
    /// Resolutions and drafts, each work with its versions, oldest first.
    pub works: Vec<WorkSummary>,
    /// Meetings, newest first.
    pub meetings: Vec<Meeting>,
    /// Submissions grouped by the entity that sent them, most first.
    pub submissions: Vec<Submitter>,
    /// The newest documents of any kind.
    pub latest: Vec<DocumentSummary>,
    /// Searches worth trying on this index.
    pub examples: Vec<Example>,
}

/// A meeting and who took the floor.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Meeting {
    pub document: DocumentRef,
    pub passages: u64,
    /// Speakers (with their agency) by passages spoken, most first.
    pub participants: Vec<Participant>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Participant {
    pub speaker: Option<String>,
    pub agency: Option<String>,
    pub passages: u64,
}

/// An entity's submissions.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Submitter {
    pub author: String,
    pub documents: Vec<DocumentRef>,
}

/// A search to try: words for people, and the search as a query string.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Example {
    pub label: String,
    pub search: String,
}

/// The corpus at a glance.
pub fn overview(idx: &TravauxIndex) -> Result<Overview, SearchError> {
    let docs = stats::documents(idx)?;
    let searcher = idx.reader.searcher();
    // One pass over the passages: who spoke in which document, and about what.
    let who = searcher.search(&AllQuery, &ComboCollector(["doc_id", "speaker", "agency"]))?;
    let mut by_doc: HashMap<String, Vec<Participant>> = HashMap::new();
    for ([doc, speaker, agency], passages) in who {
        let Some(doc) = doc else { continue };
        if speaker.is_none() && agency.is_none() {
            continue;
        }
        by_doc.entry(doc).or_default().push(Participant {
            speaker,
            agency,
            passages,
        });
    }
    let mut meetings: Vec<Meeting> = docs
        .iter()
        .filter(|d| d.document.kind == Some(Kind::Transcript))
        .map(|d| {
            let mut participants = by_doc.remove(&d.document.id).unwrap_or_default();
            participants.sort_by(|a, b| {
                b.passages
                    .cmp(&a.passages)
                    .then_with(|| a.speaker.cmp(&b.speaker))
            });
            participants.truncate(PARTICIPANTS);
            Meeting {
                document: d.document.clone(),
                passages: d.passages,
                participants,
            }
        })
        .collect();
    meetings.sort_by_key(|m| std::cmp::Reverse(m.document.date));
    let mut by_author: BTreeMap<String, Vec<DocumentRef>> = BTreeMap::new();
    for d in docs
        .iter()
        .filter(|d| d.document.kind == Some(Kind::Submission))
    {
        let author = d
            .document
            .author
            .clone()
            .unwrap_or_else(|| "(entity not stated)".into());
        by_author
            .entry(author)
            .or_default()
            .push(d.document.clone());
    }
    let mut submissions: Vec<Submitter> = by_author
        .into_iter()
        .map(|(author, documents)| Submitter { author, documents })
        .collect();
    submissions.sort_by_key(|s| std::cmp::Reverse(s.documents.len()));
    let passages = docs.iter().map(|d| d.passages).sum();
    let mut latest: Vec<&DocumentSummary> =
        docs.iter().filter(|d| d.document.date.is_some()).collect();
    latest.sort_by_key(|d| std::cmp::Reverse(d.document.date));
    let latest = latest
        .into_iter()
        .take(LATEST)
        .map(|d| DocumentSummary {
            document: d.document.clone(),
            passages: d.passages,
            hash: String::new(),
        })
        .collect();
    Ok(Overview {
        documents: docs.len(),
        passages,
        works: lineage::works(idx)?,
        meetings,
        submissions,
        latest,
        examples: examples(idx)?,
    })
}

/// Searches worth trying: what the agencies that speak most said about the topics they speak
/// of most, and the topics most written about.
fn examples(idx: &TravauxIndex) -> Result<Vec<Example>, SearchError> {
    let searcher = idx.reader.searcher();
    let pairs = searcher.search(&AllQuery, &ComboCollector(["agency", "topic", "kind"]))?;
    // Meetings first (what was said), then submissions (what was written).
    let mut spoken: Vec<((bool, String, String), u64)> = Vec::new();
    let mut topics: BTreeMap<String, u64> = BTreeMap::new();
    for ([agency, topic, kind], n) in pairs {
        let Some(topic) = topic else { continue };
        *topics.entry(topic.clone()).or_default() += n;
        if let (Some(a), Some(k @ ("transcript" | "submission"))) = (agency, kind.as_deref()) {
            spoken.push(((k == "submission", a, topic), n));
        }
    }
    spoken.sort_by(|a, b| {
        (a.0 .0, std::cmp::Reverse(a.1), &a.0).cmp(&(b.0 .0, std::cmp::Reverse(b.1), &b.0))
    });
    let mut out = Vec::new();
    let mut used_agencies = Vec::new();
    for ((_, agency, topic), _) in spoken {
        if used_agencies.contains(&agency) {
            continue;
        }
        let label = topic_label(idx, &topic);
        out.push(Example {
            label: format!("What did {agency} say about {label}?"),
            search: SearchRequest {
                agency: vec![agency.clone()],
                topic: vec![topic],
                ..SearchRequest::default()
            }
            .to_query_string(),
        });
        used_agencies.push(agency);
        if out.len() == EXAMPLES / 2 {
            break;
        }
    }
    let mut topics: Vec<(String, u64)> = topics.into_iter().collect();
    topics.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    for (topic, _) in topics.into_iter().take(EXAMPLES - out.len()) {
        let label = topic_label(idx, &topic);
        out.push(Example {
            label: format!("Resolutions and drafts on {label}"),
            search: SearchRequest {
                topic: vec![topic],
                kind: vec!["resolution".into()],
                ..SearchRequest::default()
            }
            .to_query_string(),
        });
    }
    Ok(out)
}

/// A topic's label for people, lower-cased after the first word ("Capacity building").
fn topic_label(idx: &TravauxIndex, id: &str) -> String {
    idx.registry
        .topic(id)
        .and_then(|t| t.label.clone())
        .unwrap_or_else(|| id.replace('-', " "))
}
