//! The citation graph, both ways: which documents cite a text (and in which paragraphs), and
//! what a document cites (and how often). A cited text need not be in the index: it is known by
//! its key, the symbol the citations give it ([`crate::text::citations`]).

use crate::index::{DocumentRef, TravauxIndex};
use crate::model::{Cite, Locator};
use crate::query::search::{self, SearchError, SearchRequest};
use serde::Serialize;

/// A passage that cites: where it stands, how it cites (the verb that introduces the citation)
/// and which paragraph of the cited text it names, where it says.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Citing {
    pub id: String,
    pub locator: Locator,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verb: Option<String>,
    /// The paragraph of the cited text named ("paragraph 25 of resolution 79/1").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<String>,
}

impl Citing {
    fn of(id: String, locator: Locator, cite: Option<&Cite>) -> Citing {
        Citing {
            id,
            locator,
            verb: cite.and_then(|c| c.verb.clone()),
            paragraph: cite.and_then(|c| c.paragraph.clone()),
        }
    }
}

/// A document that cites a text, with the passages that do.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CitingDocument {
    pub document: DocumentRef,
    pub passages: Vec<Citing>,
}

/// A work whose versions cite a text: how many of its documents and passages do.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CitingWork {
    /// The work, or the document's id for a document of no work.
    pub work: String,
    /// The title of its latest citing document.
    pub title: String,
    pub documents: usize,
    pub passages: usize,
}

/// What cites a text.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CitedBy {
    /// The text's key.
    pub key: String,
    /// The text itself, when it is in the index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<DocumentRef>,
    /// Passages that cite it, in all.
    pub passages: usize,
    /// The works that cite it, most citing passages first: how widely it is cited.
    pub works: Vec<CitingWork>,
    /// The documents that cite it, oldest first.
    pub documents: Vec<CitingDocument>,
}

/// A text a document cites, with how many of its passages do.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Cited {
    pub key: String,
    /// The id of the cited text, when it is in the index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    pub passages: usize,
    /// Where it is cited, in the document's order.
    pub at: Vec<Citing>,
}

/// What a document cites.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Cites {
    pub document: DocumentRef,
    /// Most cited first.
    pub cites: Vec<Cited>,
}

/// The documents that cite `reference` (a symbol, or a resolution as the text cites it).
pub fn cited_by(idx: &TravauxIndex, reference: &str) -> Result<CitedBy, SearchError> {
    if reference.trim().is_empty() {
        return Err(SearchError::BadParam {
            param: "ref",
            message: "empty: expected the cited text, such as A/RES/70/125 or 70/125".into(),
        });
    }
    let searcher = idx.reader.searcher();
    let req = SearchRequest {
        cites: vec![reference.to_string()],
        ..SearchRequest::default()
    };
    let key = crate::text::citations::key(reference).unwrap_or_else(|| reference.to_string());
    let mut documents: Vec<CitingDocument> = Vec::new();
    let mut passages = 0;
    let found = search::for_each_match(idx, &searcher, &req, |p| {
        passages += 1;
        let cite = p.cites.iter().find(|c| c.key == key);
        let citing = Citing::of(p.id.clone(), p.locator.clone(), cite);
        match documents.last_mut() {
            Some(d) if d.document.id == p.document.id => d.passages.push(citing),
            _ => documents.push(CitingDocument {
                document: p.document,
                passages: vec![citing],
            }),
        }
        true
    });
    match found {
        // A text no passage cites: cited by nothing (a search filter names the closest keys).
        Err(SearchError::UnknownValue { .. }) => {}
        other => {
            other?;
        }
    }
    let mut works: Vec<CitingWork> = Vec::new();
    for d in &documents {
        let work = d
            .document
            .work
            .clone()
            .unwrap_or_else(|| d.document.id.clone());
        match works.iter_mut().find(|w| w.work == work) {
            Some(w) => {
                w.documents += 1;
                w.passages += d.passages.len();
                w.title.clone_from(&d.document.title);
            }
            None => works.push(CitingWork {
                work,
                title: d.document.title.clone(),
                documents: 1,
                passages: d.passages.len(),
            }),
        }
    }
    works.sort_by_key(|w| std::cmp::Reverse(w.passages));
    let document = idx.document_named(&searcher, &key);
    Ok(CitedBy {
        key,
        document,
        passages,
        works,
        documents,
    })
}

/// What the document `name` (an id or a symbol) cites, most cited first.
pub fn cites(idx: &TravauxIndex, name: &str) -> Result<Cites, SearchError> {
    let shown = crate::query::stats::show(idx, name, 0)?;
    let mut cites: Vec<Cited> = Vec::new();
    for p in &shown.passages {
        for cite in &p.cites {
            let at = Citing::of(p.id.clone(), p.locator.clone(), Some(cite));
            match cites.iter_mut().find(|c| c.key == cite.key) {
                Some(c) => {
                    c.passages += 1;
                    c.at.push(at);
                }
                None => cites.push(Cited {
                    key: cite.key.clone(),
                    document: None,
                    passages: 1,
                    at: vec![at],
                }),
            }
        }
    }
    // Most cited first; among equals, in the order the document first cites them.
    cites.sort_by_key(|c| std::cmp::Reverse(c.passages));
    let searcher = idx.reader.searcher();
    for c in &mut cites {
        c.document = idx.document_named(&searcher, &c.key).map(|d| d.id);
    }
    Ok(Cites {
        document: shown.document,
        cites,
    })
}

/// How [`most_cited`] orders the cited texts.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Deserialize,
    utoipa::ToSchema,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum CitedOrder {
    /// By the passages that cite the text.
    #[default]
    Passages,
    /// By the works (a document of no work counts as its own) that cite it.
    Works,
}

/// A text as often as it is cited: by how many passages, documents and works.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CitedText {
    pub key: String,
    pub passages: usize,
    pub documents: usize,
    pub works: usize,
    /// The id of the cited text, when it is in the index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
}

/// How often and how widely a text is cited: its citing passages, documents and works.
#[derive(Default)]
struct Tally<D, W> {
    passages: usize,
    documents: std::collections::HashSet<D>,
    works: std::collections::HashSet<W>,
}

/// The most cited texts of the index, `limit` of them, most cited first by `order` (ties by
/// the other count, then by key). Read from the columns of the index, not its stored passages.
pub fn most_cited(
    idx: &TravauxIndex,
    order: CitedOrder,
    limit: usize,
) -> Result<Vec<CitedText>, SearchError> {
    use std::collections::HashMap;
    let io = |e: std::io::Error| SearchError::from(tantivy::TantivyError::from(e));
    let searcher = idx.reader.searcher();
    // Key → its citing passages, documents and works (a document of no work its own).
    let mut tally: HashMap<String, Tally<String, String>> = HashMap::new();
    for seg in searcher.segment_readers() {
        let fast = seg.fast_fields();
        let (Some(cites), Some(doc_ids)) = (fast.str("cites")?, fast.str("doc_id")?) else {
            continue;
        };
        let works = fast.str("work")?;
        let alive = seg.alive_bitset();
        // Counted by the segment's term ordinals; their strings are read once each, below.
        // A work by its ordinal (true) or, for a document of no work, the document's (false).
        let mut by_ord: HashMap<u64, Tally<u64, (bool, u64)>> = HashMap::new();
        for d in 0..seg.max_doc() {
            if alive.is_some_and(|a| !a.is_alive(d)) {
                continue;
            }
            let mut ords = cites.term_ords(d).peekable();
            if ords.peek().is_none() {
                continue;
            }
            let doc = doc_ids.term_ords(d).next().unwrap_or(0);
            let work = match works.as_ref().and_then(|w| w.term_ords(d).next()) {
                Some(w) => (true, w),
                None => (false, doc),
            };
            for o in ords {
                let e = by_ord.entry(o).or_default();
                e.passages += 1;
                e.documents.insert(doc);
                e.works.insert(work);
            }
        }
        let text = |col: &tantivy::columnar::StrColumn, o: u64| -> Result<String, SearchError> {
            let mut s = String::new();
            col.ord_to_str(o, &mut s).map_err(io)?;
            Ok(s)
        };
        for (o, t) in by_ord {
            let e = tally.entry(text(&cites, o)?).or_default();
            e.passages += t.passages;
            for d in t.documents {
                e.documents.insert(text(&doc_ids, d)?);
            }
            for (is_work, w) in t.works {
                e.works.insert(match (&works, is_work) {
                    (Some(col), true) => text(col, w)?,
                    _ => text(&doc_ids, w)?,
                });
            }
        }
    }
    let mut out: Vec<CitedText> = tally
        .into_iter()
        .map(|(key, t)| CitedText {
            key,
            passages: t.passages,
            documents: t.documents.len(),
            works: t.works.len(),
            document: None,
        })
        .collect();
    out.sort_by(|a, b| {
        let (x, y) = match order {
            CitedOrder::Passages => ((a.passages, a.works), (b.passages, b.works)),
            CitedOrder::Works => ((a.works, a.passages), (b.works, b.passages)),
        };
        y.cmp(&x).then_with(|| a.key.cmp(&b.key))
    });
    out.truncate(limit);
    for c in &mut out {
        c.document = idx.document_named(&searcher, &c.key).map(|d| d.id);
    }
    Ok(out)
}
