//! Looking at the index as a whole: counts by kind, work, version, agency, speaker and topic
//! ([`stats`]), who speaks and how that was decided ([`speakers`]), the list of documents
//! ([`documents`]), and one document or passage in its context ([`show`]).

use crate::index::{DocumentRef, StoredPassage, TravauxIndex};
use crate::query::search::{FacetCollector, Facets, SearchError};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::StrColumn;
use tantivy::query::{AllQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Order, Score, SegmentOrdinal, SegmentReader, TantivyDocument, Term};

/// Counts over the whole index.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Stats {
    pub documents: u64,
    pub passages: u64,
    /// Documents by kind.
    pub documents_by_kind: std::collections::BTreeMap<String, u64>,
    /// Passages by kind, work, version, agency, speaker, topic and language.
    pub by: Facets,
}

/// Counts documents and passages.
pub fn stats(idx: &TravauxIndex) -> Result<Stats, SearchError> {
    let s = idx.reader.searcher();
    // The search's facets, and the works (which a search does not count).
    let fields: Vec<&str> = crate::query::filters::facet_fields()
        .chain(["work"])
        .collect();
    let c = FacetCollector::new(fields);
    let (passages, counted) = s.search(&AllQuery, &(Count, c))?;
    let by = counted.by;
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

/// One speaker (or, with no speaker, one agency spoken for by someone unnamed) with how many
/// passages were attributed to them and on what evidence.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SpeakerCount {
    pub speaker: Option<String>,
    pub agency: Option<String>,
    pub passages: u64,
    /// Passages by evidence: label, self, floor, carried, author, unknown.
    pub evidence: BTreeMap<String, u64>,
}

/// Who speaks in the index (or in one document), and agencies likewise.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Speakers {
    pub speakers: Vec<SpeakerCount>,
    pub agencies: Vec<SpeakerCount>,
}

/// Speakers and agencies with passage counts by evidence, most passages first; `doc` narrows
/// to one document.
pub fn speakers(idx: &TravauxIndex, doc: Option<&str>) -> Result<Speakers, SearchError> {
    let s = idx.reader.searcher();
    let query: Box<dyn Query> = match doc {
        Some(d) => Box::new(TermQuery::new(
            Term::from_field_text(idx.fields.doc_id, d),
            IndexRecordOption::Basic,
        )),
        None => Box::new(AllQuery),
    };
    let combos = s.search(&*query, &ComboCollector(["speaker", "agency", "evidence"]))?;
    if combos.is_empty() {
        if let Some(d) = doc {
            return Err(SearchError::NotFound(format!("no document `{d}`")));
        }
    }
    let mut by_speaker: BTreeMap<(Option<String>, Option<String>), BTreeMap<String, u64>> =
        BTreeMap::new();
    let mut by_agency: BTreeMap<Option<String>, BTreeMap<String, u64>> = BTreeMap::new();
    for ([speaker, agency, evidence], n) in combos {
        let evidence = evidence.unwrap_or_else(|| "unknown".into());
        *by_speaker
            .entry((speaker, agency.clone()))
            .or_default()
            .entry(evidence.clone())
            .or_default() += n;
        *by_agency
            .entry(agency)
            .or_default()
            .entry(evidence)
            .or_default() += n;
    }
    let count = |speaker, agency, evidence: BTreeMap<String, u64>| SpeakerCount {
        speaker,
        agency,
        passages: evidence.values().sum(),
        evidence,
    };
    let mut speakers: Vec<SpeakerCount> = by_speaker
        .into_iter()
        .map(|((s, a), e)| count(s, a, e))
        .collect();
    let mut agencies: Vec<SpeakerCount> = by_agency
        .into_iter()
        .map(|(a, e)| count(None, a, e))
        .collect();
    for v in [&mut speakers, &mut agencies] {
        v.sort_by_key(|c| std::cmp::Reverse(c.passages));
    }
    Ok(Speakers { speakers, agencies })
}

/// Counts the combinations of the first value of a few fast text fields (`None`: no value).
pub(crate) struct ComboCollector<const N: usize>(pub [&'static str; N]);

pub(crate) type Combos<const N: usize> = HashMap<[Option<String>; N], u64>;

pub(crate) struct ComboSegment<const N: usize> {
    columns: Vec<Option<StrColumn>>,
    counts: HashMap<[Option<u64>; N], u64>,
}

impl<const N: usize> Collector for ComboCollector<N> {
    type Fruit = Combos<N>;
    type Child = ComboSegment<N>;

    fn for_segment(&self, _: SegmentOrdinal, r: &SegmentReader) -> tantivy::Result<Self::Child> {
        let columns = self
            .0
            .iter()
            .map(|f| r.fast_fields().str(f))
            .collect::<tantivy::Result<_>>()?;
        Ok(ComboSegment {
            columns,
            counts: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Combos<N>>) -> tantivy::Result<Combos<N>> {
        let mut out = Combos::new();
        for f in fruits {
            for (k, n) in f {
                *out.entry(k).or_default() += n;
            }
        }
        Ok(out)
    }
}

impl<const N: usize> SegmentCollector for ComboSegment<N> {
    type Fruit = Combos<N>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let key: [Option<u64>; N] = std::array::from_fn(|i| {
            self.columns[i]
                .as_ref()
                .and_then(|c| c.term_ords(doc).next())
        });
        *self.counts.entry(key).or_default() += 1;
    }

    fn harvest(self) -> Combos<N> {
        let mut out = Combos::new();
        for (key, n) in self.counts {
            let values: [Option<String>; N] = std::array::from_fn(|i| {
                let (col, ord) = (self.columns[i].as_ref()?, key[i]?);
                let mut s = String::new();
                col.ord_to_str(ord, &mut s).ok()?.then_some(s)
            });
            *out.entry(values).or_default() += n;
        }
        out
    }
}

/// A document in the list of documents.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DocumentSummary {
    #[serde(flatten)]
    pub document: DocumentRef,
    pub passages: u64,
    /// What the document was read from: changes when its file changes.
    #[serde(skip)]
    pub hash: String,
}

/// Every document, oldest first, with its passage count.
pub fn documents(idx: &TravauxIndex) -> Result<Vec<DocumentSummary>, SearchError> {
    let s = idx.reader.searcher();
    let f = idx.fields;
    let counts = s.search(&AllQuery, &FacetCollector::new(vec!["doc_id"]))?;
    let counts = counts.by.get("doc_id").cloned().unwrap_or_default();
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
            hash: p.hash,
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
    let searcher = idx.reader.searcher();
    // A passage as results give it or as a document prints it (`A/RES/80/173:78`); else a
    // document by its id or symbol.
    let (doc_id, seq) = match idx.passage_named(&searcher, id) {
        Some(p) => {
            let (d, s) = p.rsplit_once(':').unwrap_or((p.as_str(), "0"));
            (d.to_string(), s.parse::<u32>().ok())
        }
        None if id.contains(':') && idx.document_named(&searcher, id).is_none() => {
            return Err(SearchError::NotFound(format!(
                "no passage `{id}`: give document:number as results show it, or a symbol and \
                 a paragraph as printed (A/RES/80/173:78, A/RES/80/173:PP5)"
            )))
        }
        None => (
            idx.document_named(&searcher, id)
                .map_or_else(|| id.to_string(), |d| d.id),
            None,
        ),
    };
    let doc_id = doc_id.as_str();
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
