//! Looking at the index as a whole: counts by kind, work, version, agency, speaker and topic
//! ([`stats`]), the list of documents ([`documents`]), and one document or passage in its
//! context ([`show`]).

use crate::index::{DocumentRef, StoredPassage, TravauxIndex};
use crate::search::{FacetCollector, Facets, SearchError};
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Order, TantivyDocument, Term};

/// Counts over the whole index.
#[derive(Debug, Serialize)]
pub struct Stats {
    pub documents: u64,
    pub passages: u64,
    /// Documents by kind.
    pub documents_by_kind: std::collections::BTreeMap<String, u64>,
    /// Passages by kind, work, version, agency, speaker, topic.
    pub by: Facets,
}

/// Counts documents and passages.
pub fn stats(idx: &TravauxIndex) -> Result<Stats, SearchError> {
    let s = idx.reader.searcher();
    let c = FacetCollector::new(vec![
        "kind", "work", "version", "agency", "speaker", "topic",
    ]);
    let (passages, by) = s.search(&AllQuery, &(Count, c))?;
    let docs = documents(idx)?;
    let mut documents_by_kind = std::collections::BTreeMap::new();
    for d in &docs {
        *documents_by_kind
            .entry(d.document.kind.map_or("unknown".into(), |k| k.to_string()))
            .or_default() += 1;
    }
    Ok(Stats {
        documents: docs.len() as u64,
        passages: passages as u64,
        documents_by_kind,
        by,
    })
}

/// A document in the list of documents.
#[derive(Debug, Serialize)]
pub struct DocumentSummary {
    #[serde(flatten)]
    pub document: DocumentRef,
    pub passages: u64,
}

/// Every document, oldest first, with its passage count.
pub fn documents(idx: &TravauxIndex) -> Result<Vec<DocumentSummary>, SearchError> {
    let s = idx.reader.searcher();
    let f = idx.fields;
    let counts = s.search(&AllQuery, &FacetCollector::new(vec!["doc_id"]))?;
    let counts = counts.get("doc_id").cloned().unwrap_or_default();
    let first = TermQuery::new(Term::from_field_u64(f.seq, 0), IndexRecordOption::Basic);
    let n = counts.len().max(1);
    let top = s.search(
        &first,
        &TopDocs::with_limit(n).order_by_u64_field("order", Order::Asc),
    )?;
    let mut out = Vec::new();
    for (_, addr) in top {
        let d: TantivyDocument = s.doc(addr)?;
        let p = idx.from_doc(&d);
        let passages = counts.get(&p.document.id).copied().unwrap_or(0);
        out.push(DocumentSummary {
            document: p.document,
            passages,
        });
    }
    Ok(out)
}

/// A document with passages: all of them, or those around one.
#[derive(Debug, Serialize)]
pub struct Shown {
    pub document: DocumentRef,
    /// The passage asked for, when a passage id was given.
    pub focus: Option<String>,
    pub passages: Vec<StoredPassage>,
}

/// Every passage of a document, in order.
pub fn document_passages(
    idx: &TravauxIndex,
    doc_id: &str,
) -> Result<Vec<StoredPassage>, SearchError> {
    let s = idx.reader.searcher();
    let q = TermQuery::new(
        Term::from_field_text(idx.fields.doc_id, doc_id),
        IndexRecordOption::Basic,
    );
    let n = s.search(&q, &Count)?;
    if n == 0 {
        return Ok(Vec::new());
    }
    let top = s.search(
        &q,
        &TopDocs::with_limit(n).order_by_u64_field("seq", Order::Asc),
    )?;
    top.into_iter()
        .map(|(_, a)| {
            s.doc::<TantivyDocument>(a)
                .map(|d| idx.from_doc(&d))
                .map_err(SearchError::from)
        })
        .collect()
}

/// `id` is a document id, or a passage id `document:seq` shown with `context` neighbours on
/// each side.
pub fn show(idx: &TravauxIndex, id: &str, context: usize) -> Result<Shown, SearchError> {
    let (doc_id, seq) = match id.rsplit_once(':') {
        Some((d, s)) if s.parse::<u32>().is_ok() => (d, s.parse::<u32>().ok()),
        _ => (id, None),
    };
    let all = document_passages(idx, doc_id)?;
    let Some(first) = all.first() else {
        return Err(SearchError::NotFound(format!(
            "no document or passage `{id}`"
        )));
    };
    let document = first.document.clone();
    match seq {
        None => Ok(Shown {
            document,
            focus: None,
            passages: all,
        }),
        Some(seq) => {
            let pos = all.iter().position(|p| p.seq == seq).ok_or_else(|| {
                SearchError::NotFound(format!("document `{doc_id}` has no passage {seq}"))
            })?;
            let lo = pos.saturating_sub(context);
            let hi = (pos + context + 1).min(all.len());
            let focus = Some(all[pos].id.clone());
            Ok(Shown {
                document,
                focus,
                passages: all[lo..hi].to_vec(),
            })
        }
    }
}
