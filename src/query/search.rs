//! Search: a [`SearchRequest`] (from the CLI, a batch line or the HTTP API) becomes an index
//! query, and the hits come back with snippets, full provenance and facet counts over every
//! match. The CLI and the server both call [`search`], so they can never disagree.

use crate::index::{StoredPassage, TravauxIndex};
use crate::model::{Date, Kind};
use crate::query::build::date_range;
use crate::query::clause::{field_query, spoken_terms};
use crate::query::expand::Expansion;
use crate::query::language::{Clause, ParsedQuery};
use serde::Serialize;
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::{
    DocAddress, DocId, Order, Score, Searcher, SegmentOrdinal, SegmentReader, TantivyDocument,
};

/// Most hits one page may ask for.
pub const MAX_LIMIT: usize = 100;
/// Deepest page: offset + limit may not pass this.
pub const MAX_WINDOW: usize = 10_000;
/// Hits per page when none is asked for.
pub const DEFAULT_LIMIT: usize = 10;
/// Above this many matches a search counts its facets on a sample of them, unless the request
/// raises `facet_sample_threshold`.
pub const FACET_SAMPLE_THRESHOLD: usize = 50_000;

pub use crate::query::build::{build_query, BuiltQuery};
pub use crate::query::error::SearchError;
pub use crate::query::request::{Collapse, SearchRequest, Sort};

/// A hit: the passage with its provenance, its score and a highlighted snippet.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Hit {
    #[serde(serialize_with = "crate::model::round4")]
    pub score: f32,
    pub kind: Option<Kind>,
    #[serde(flatten)]
    pub passage: StoredPassage,
    /// HTML-escaped text around the matches, matches in `<mark>`.
    pub snippet: String,
    /// The other forms of the query's words that this passage holds, and how each was reached
    /// (an abbreviation, a spelling, a typo's correction, a word heard alike).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub matched: Vec<Expansion>,
    /// With `collapse=lineage`: the paragraph in each version of its work, oldest first, and how
    /// it changed from the version before.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<VersionHit>,
    /// With `beside=LANG`: the passage's counterpart in that language.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub beside: Vec<Beside>,
}

/// A hit's counterpart in another language.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Beside {
    pub language: String,
    pub id: String,
    pub text: String,
}

/// A paragraph in one version of its work.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VersionHit {
    pub passage: String,
    pub doc: String,
    pub symbol: Option<String>,
    pub version: Option<String>,
    pub date: Option<Date>,
    pub paragraph: Option<String>,
    /// unchanged, edited, moved, split, merged or new; none for the work's first version.
    pub status: Option<String>,
    /// This version matched the search.
    pub matched: bool,
}
pub use crate::query::facets::{FacetCollector, FacetSample, Facets};

/// The answer to a [`SearchRequest`].
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchResponse {
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
    /// Present when more passages matched than `facet_sample_threshold`: the facet counts are
    /// then estimates from an even sample of the matches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facet_sample: Option<FacetSample>,
    /// The other forms the query's words were also searched under, found in the index.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expansions: Vec<Expansion>,
    /// The query with misspelt words corrected ("did you mean"), when a word the index lacks
    /// has a close spelling.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// Other languages whose passages hold every word of the query, each read with its own
    /// stemmer.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// The language the query is written in, where its script or words tell it (`fr` for
    /// "droits de l'homme"), or the one language the request filters on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query_language: Option<String>,
    /// Said when the query is in a language of which the index holds no passage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    /// With `collapse=lineage`: how many hits the matches make once a paragraph's versions are
    /// grouped (among the best 100 matches; `total` still counts passages). Page by this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<usize>,
}

/// The request's parameters checked on their own, before anything is looked up: the page
/// (limit, offset) and the dates. What the index decides (unknown values, query syntax) comes
/// later.
pub fn check(req: &SearchRequest) -> Result<(), SearchError> {
    let limit = req.limit.unwrap_or(DEFAULT_LIMIT);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(SearchError::BadParam {
            param: "limit",
            message: format!("{limit} is out of range: expected 1 to {MAX_LIMIT}"),
        });
    }
    let offset = req.offset.unwrap_or(0);
    if offset.saturating_add(limit) > MAX_WINDOW {
        return Err(SearchError::BadParam {
            param: "offset",
            message: format!(
                "offset + limit may not pass {MAX_WINDOW}: narrow the search with filters, or \
                 use export"
            ),
        });
    }
    if req.facet_sample_threshold == Some(0) {
        return Err(SearchError::BadParam {
            param: "facet_sample_threshold",
            message: "0 is out of range: expected a number of matches, 1 or more".into(),
        });
    }
    date_range(req)?;
    Ok(())
}

/// Runs one search on a fresh searcher.
pub fn search(idx: &TravauxIndex, req: &SearchRequest) -> Result<SearchResponse, SearchError> {
    search_with(idx, &idx.reader.searcher(), req)
}

/// Runs one search on a given searcher (batches share one).
pub fn search_with(
    idx: &TravauxIndex,
    searcher: &Searcher,
    req: &SearchRequest,
) -> Result<SearchResponse, SearchError> {
    let (mut resp, dresser) = search_bare(idx, searcher, req)?;
    for h in &mut resp.hits {
        dresser.dress(h);
    }
    Ok(resp)
}

/// What a hit is shown with beyond its passage: the snippet with the searched words marked,
/// and the other forms it was found under. Made once per search, applied to the hits shown.
pub struct Dresser {
    snippets: Option<crate::query::snippet::Marker>,
    /// For Chinese passages, when the query writes Chinese: its words as the Chinese text was
    /// cut into them.
    snippets_zh: Option<crate::query::snippet::Marker>,
    expansions: Vec<Expansion>,
    /// Each other form as the stemming analyzer reads it, to tell which hits hold it.
    forms: Vec<Vec<String>>,
}

impl Dresser {
    /// Gives a hit its snippet and the other forms it holds.
    pub fn dress(&self, h: &mut Hit) {
        let text = &h.passage.text;
        let marker = match &self.snippets_zh {
            Some(zh) if h.passage.language.as_deref() == Some("zh") => Some(zh),
            _ => self.snippets.as_ref(),
        };
        h.snippet = match marker {
            Some(g) => {
                let html = g.html(text);
                if html.is_empty() {
                    crate::query::snippet::lead(text, 280)
                } else {
                    html
                }
            }
            None => crate::query::snippet::lead(text, 280),
        };
        if !self.forms.is_empty() {
            let words = crate::query::expand::stemmed(text);
            h.matched = self
                .expansions
                .iter()
                .zip(&self.forms)
                .filter(|(_, f)| crate::query::expand::holds(&words, f))
                .map(|(e, _)| e.clone())
                .collect();
        }
    }
}

/// A search whose hits have their passages but no snippets yet: the [`Dresser`] gives them,
/// so that a caller that shows only some hits (grouped versions) dresses only those.
pub fn search_bare(
    idx: &TravauxIndex,
    searcher: &Searcher,
    req: &SearchRequest,
) -> Result<(SearchResponse, Dresser), SearchError> {
    check(req)?;
    let limit = req.limit.unwrap_or(DEFAULT_LIMIT);
    let offset = req.offset.unwrap_or(0);
    let BuiltQuery {
        query,
        has_text,
        parsed,
        expansions,
        suggestion,
        languages,
        query_language,
        counted_by,
    } = build_query(idx, searcher, req)?;
    let facets_on = req.facets.unwrap_or(true);
    let facet_fields: Vec<&str> = if facets_on {
        crate::query::filters::facet_fields().collect()
    } else {
        Vec::new()
    };
    let facets_c = FacetCollector::new(facet_fields)
        .sampled_above(req.facet_sample_threshold.unwrap_or(FACET_SAMPLE_THRESHOLD));
    let sort = req.sort.unwrap_or_default();
    let (addrs, total, facets): (Vec<(f32, DocAddress)>, usize, _) =
        if has_text && sort == Sort::Relevance {
            let top = TopDocs::with_limit(limit)
                .and_offset(offset)
                .order_by_score();
            match counted_by {
                // Nothing needs every match: the top hits alone, the count from the index.
                Some(counted) if !facets_on => {
                    let top = searcher.search(&*query, &top)?;
                    (top, counted.count(searcher)?, Default::default())
                }
                _ => searcher.search(&*query, &(top, Count, facets_c))?,
            }
        } else {
            // Both keys run date, document, position: newest first keeps each document's
            // passages in their own order.
            let key = if sort == Sort::Date {
                "order_newest"
            } else {
                "order"
            };
            let top = TopDocs::with_limit(limit)
                .and_offset(offset)
                .order_by_u64_field(key, Order::Asc);
            let (top, count, facets) = searcher.search(&*query, &(top, Count, facets_c))?;
            (
                top.into_iter().map(|(_, a)| (0.0, a)).collect(),
                count,
                facets,
            )
        };
    let snippets = if has_text {
        // Mark the words searched for and the recognition forms they were found under.
        let mut marked: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, query.box_clone())];
        // Snippets are cut from the stemmed text: exact phrases are marked through it.
        let mut stemmer = crate::text::analysis::analyzer();
        marked.extend(
            parsed
                .groups
                .iter()
                .flatten()
                // A word searched where it is written in capitals ("WHO") is marked too.
                .filter(|c| matches!(c, Clause::Phrase(_) | Clause::Word(_)))
                .filter_map(|c| field_query(&mut stemmer, idx.fields.body, c.text()))
                .map(|q| (Occur::Should, q)),
        );
        marked.extend(
            spoken_terms(idx, &parsed)
                .into_iter()
                .map(|q| (Occur::Should, q)),
        );
        // And the other forms the words were found under.
        marked.extend(
            expansions
                .iter()
                .filter_map(|e| field_query(&mut stemmer, idx.fields.body, &e.form))
                .map(|q| (Occur::Should, q)),
        );
        let marked = BooleanQuery::new(marked);
        // Quoted phrases and forms of several words are marked where they stand whole.
        let phrases = parsed
            .groups
            .iter()
            .flatten()
            .filter(|c| matches!(c, Clause::Phrase(_)))
            .map(|c| c.text().to_string())
            .chain(expansions.iter().map(|e| e.form.clone()))
            .map(|t| crate::text::analysis::words_of(&mut stemmer, &t))
            .collect();
        Some(crate::query::snippet::generator(
            searcher,
            &marked,
            idx.fields.body,
            None,
            280,
            phrases,
        )?)
    } else {
        None
    };
    let snippets_zh = match has_text {
        true => han_marker(idx, searcher, &parsed)?,
        false => None,
    };
    let forms: Vec<Vec<String>> = expansions
        .iter()
        .map(|e| crate::query::expand::stemmed(&e.form))
        .collect();
    let mut hits = Vec::with_capacity(addrs.len());
    for (score, addr) in addrs {
        let d: TantivyDocument = searcher.doc(addr)?;
        let p = idx.from_doc(&d);
        hits.push(Hit {
            score,
            kind: p.document.kind,
            passage: p,
            snippet: String::new(),
            matched: Vec::new(),
            versions: Vec::new(),
            beside: Vec::new(),
        });
    }
    let dresser = Dresser {
        snippets,
        snippets_zh,
        expansions: expansions.clone(),
        forms,
    };
    let resp = SearchResponse {
        total,
        offset,
        limit,
        hits,
        facets: facets.by,
        facet_sample: facets.sample,
        expansions,
        suggestion,
        languages,
        notice: query_language
            .as_deref()
            .filter(|l| *l != "en")
            .filter(|l| {
                searcher
                    .doc_freq(&tantivy::Term::from_field_text(idx.fields.language, l))
                    .map_or(true, |n| n == 0)
            })
            .map(|l| {
                let name = idx
                    .registry
                    .languages
                    .iter()
                    .find(|x| x.code == l)
                    .map_or(l, |x| x.name.as_str());
                format!(
                    "the query is in {name}, and the index holds no passage in {name}; the \
                     search ran over the passages of every language"
                )
            }),
        query_language,
        groups: None,
    };
    Ok((resp, dresser))
}

/// Every passage that matches, in order, for export; `visit` is called once per passage and
/// may stop the walk by returning false.
pub fn for_each_match(
    idx: &TravauxIndex,
    searcher: &Searcher,
    req: &SearchRequest,
    mut visit: impl FnMut(StoredPassage) -> bool,
) -> Result<usize, SearchError> {
    let query = build_query(idx, searcher, req)?.query;
    let mut addrs: Vec<(u64, DocAddress)> = searcher.search(&*query, &AddressCollector)?;
    addrs.sort_unstable();
    let mut n = 0;
    for (_, addr) in addrs {
        let d: TantivyDocument = searcher.doc(addr)?;
        n += 1;
        if !visit(idx.from_doc(&d)) {
            break;
        }
    }
    Ok(n)
}

/// Collects every match's address with its `order` key, for export in document order.
struct AddressCollector;

struct AddressSegment {
    segment: SegmentOrdinal,
    order: Option<tantivy::columnar::Column<u64>>,
    out: Vec<(u64, DocAddress)>,
}

impl Collector for AddressCollector {
    type Fruit = Vec<(u64, DocAddress)>;
    type Child = AddressSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<AddressSegment> {
        let order = reader.fast_fields().u64("order").ok();
        Ok(AddressSegment {
            segment,
            order,
            out: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(u64, DocAddress)>>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for AddressSegment {
    type Fruit = Vec<(u64, DocAddress)>;

    fn collect(&mut self, doc: DocId, _: Score) {
        let key = self.order.as_ref().and_then(|c| c.first(doc)).unwrap_or(0);
        self.out.push((key, DocAddress::new(self.segment, doc)));
    }

    fn harvest(self) -> Self::Fruit {
        self.out
    }
}

/// The marker of Chinese passages: the query's words and phrases that write Chinese, cut as
/// the Chinese text is, marked in its field; `None` when the query writes none.
fn han_marker(
    idx: &TravauxIndex,
    searcher: &Searcher,
    parsed: &ParsedQuery,
) -> tantivy::Result<Option<crate::query::snippet::Marker>> {
    let Some(&(_, field)) = idx.language_fields.iter().find(|(code, _)| code == "zh") else {
        return Ok(None);
    };
    let written: Vec<&Clause> = parsed
        .groups
        .iter()
        .flatten()
        .filter(|c| matches!(c, Clause::Phrase(_) | Clause::Word(_)))
        .filter(|c| c.text().chars().any(crate::text::han::is_han))
        .collect();
    // (A query that writes no Chinese, most of them, builds no Chinese analyzer.)
    let han = (!written.is_empty())
        .then(|| crate::text::analysis::language_analyzer("zh"))
        .flatten();
    let Some(mut han) = han else {
        return Ok(None);
    };
    let marked = BooleanQuery::new(
        written
            .iter()
            .filter_map(|c| field_query(&mut han, field, c.text()))
            .map(|q| (Occur::Should, q))
            .collect(),
    );
    let phrases = written
        .iter()
        .filter(|c| matches!(c, Clause::Phrase(_)))
        .map(|c| crate::text::analysis::words_of(&mut han, c.text()))
        .collect();
    crate::query::snippet::generator(searcher, &marked, field, Some(han), 280, phrases).map(Some)
}
