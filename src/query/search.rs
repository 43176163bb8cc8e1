//! Search: a [`SearchRequest`] (from the CLI, a batch line or the HTTP API) becomes an index
//! query, and the hits come back with snippets, full provenance and facet counts over every
//! match. The CLI and the server both call [`search`], so they can never disagree.

use crate::errors::ErrorCode;
use crate::index::{StoredPassage, TravauxIndex};
use crate::model::{Date, Kind};
use crate::query::expand::{Expander, Expansion};
use crate::query::language::{self, Clause, FilterField, ParsedQuery};
use crate::text::{closest, norm_key};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, Occur, Query,
    RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    DocAddress, DocId, Order, Score, Searcher, SegmentOrdinal, SegmentReader, TantivyDocument, Term,
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

pub use crate::query::request::{Collapse, SearchRequest, Sort};

impl SearchRequest {
    fn values(&self, f: FilterField) -> &[String] {
        match f {
            FilterField::Speaker => &self.speaker,
            FilterField::Label => &self.label,
            FilterField::Agency => &self.agency,
            FilterField::Topic => &self.topic,
            FilterField::Kind => &self.kind,
            FilterField::Version => &self.version,
            FilterField::Work => &self.work,
            FilterField::Doc => &self.doc,
            FilterField::Language => &self.language,
            FilterField::Role => &self.role,
        }
    }
}

/// A user's mistake or a failure, with what to do about it.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SearchError {
    #[error("query syntax: {0}")]
    Syntax(language::SyntaxError),
    #[error("unknown {field} `{value}`{}", suggest(.suggestions))]
    UnknownValue {
        field: &'static str,
        value: String,
        suggestions: Vec<String>,
    },
    #[error("parameter `{param}`: {message}")]
    BadParam {
        param: &'static str,
        message: String,
    },
    #[error(transparent)]
    QueryString(#[from] crate::query::request::QueryStringError),
    #[error("query `{0}` has no word to search for")]
    NoWords(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("index error: {0}")]
    Internal(String),
}

fn suggest(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!(
            ": did you mean {}?",
            s.iter()
                .map(|x| format!("`{x}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

impl SearchError {
    /// The code users and scripts match on.
    pub fn code(&self) -> ErrorCode {
        match self {
            SearchError::Syntax(_) | SearchError::NoWords(_) => ErrorCode::BadQuery,
            SearchError::UnknownValue { .. } => ErrorCode::UnknownValue,
            SearchError::BadParam { .. } | SearchError::QueryString(_) => ErrorCode::BadParameter,
            SearchError::NotFound(_) => ErrorCode::NotFound,
            SearchError::Internal(_) => ErrorCode::Internal,
        }
    }

    /// What the user could do instead.
    pub fn hint(&self) -> Option<String> {
        match self {
            SearchError::UnknownValue { field, .. }
                if FACET_FIELDS.iter().any(|(f, _)| f == field) =>
            {
                Some(format!(
                    "GET /api/facets (or `travaux stats`) lists the known values of {field}"
                ))
            }
            SearchError::UnknownValue { field, .. } => Some(format!(
                "the closest known values of {field} are named above"
            )),
            _ => self.code().hint().map(str::to_string),
        }
    }

    /// The error body users get everywhere.
    pub fn body(&self) -> serde_json::Value {
        self.code().body(self.to_string(), self.hint())
    }
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(e: tantivy::TantivyError) -> Self {
        SearchError::Internal(e.to_string())
    }
}

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
    /// With `collapse=lineage`: how many hits the matches make once a paragraph's versions are
    /// grouped (among the best 100 matches; `total` still counts passages). Page by this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<usize>,
}

/// The fast fields counted as facets, with the names they have in responses.
pub const FACET_FIELDS: [(&str, &str); 6] = [
    ("agency", "agency"),
    ("speaker", "speaker"),
    ("topic", "topic"),
    ("kind", "kind"),
    ("version", "version"),
    ("language", "language"),
];

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
    expansions: Vec<Expansion>,
    /// Each other form as the stemming analyzer reads it, to tell which hits hold it.
    forms: Vec<Vec<String>>,
}

impl Dresser {
    /// Gives a hit its snippet and the other forms it holds.
    pub fn dress(&self, h: &mut Hit) {
        let text = &h.passage.text;
        h.snippet = match &self.snippets {
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
    } = build_query(idx, searcher, req)?;
    let facet_fields: Vec<&str> = if req.facets.unwrap_or(true) {
        FACET_FIELDS.iter().map(|(f, _)| *f).collect()
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
            let (top, count, facets) = searcher.search(&*query, &(top, Count, facets_c))?;
            (top, count, facets)
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
            280,
            phrases,
        )?)
    } else {
        None
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
        });
    }
    let dresser = Dresser {
        snippets,
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

/// A request turned into an index query.
pub struct BuiltQuery {
    pub query: Box<dyn Query>,
    /// Whether it has words to rank by (else it only filters).
    pub has_text: bool,
    /// The query as read, for marking its words in results.
    pub parsed: ParsedQuery,
    /// The other forms searched for (abbreviations, spellings, typos, mishearings).
    pub expansions: Vec<Expansion>,
    /// The query with its misspelt words corrected, when some were.
    pub suggestion: Option<String>,
    /// Other languages whose passages hold every word, each read with its own stemmer.
    pub languages: Vec<String>,
}

/// What building one query's clauses needs and gathers.
struct Clauses<'a> {
    analyzer: TextAnalyzer,
    languages: Vec<(String, Field, TextAnalyzer)>,
    expander: Expander<'a>,
    /// Per clause, the other languages it matched in.
    matched_languages: Vec<Vec<String>>,
    /// The clause is one of several conditions (other words, filters): what it matches is
    /// sought where the others hold, not walked whole.
    joined: bool,
}

/// Builds the index query of a request.
pub fn build_query(
    idx: &TravauxIndex,
    searcher: &Searcher,
    req: &SearchRequest,
) -> Result<BuiltQuery, SearchError> {
    let parsed = match &req.q {
        Some(q) => language::parse(q).map_err(SearchError::Syntax)?,
        None => ParsedQuery::default(),
    };
    let f = idx.fields;
    let filtered = !parsed.filters.is_empty()
        || FilterField::ALL
            .iter()
            .any(|f| req.values(*f).iter().any(|v| !v.trim().is_empty()))
        || req.from.is_some()
        || req.to.is_some();
    let clauses: usize = parsed.groups.iter().map(Vec::len).sum();
    let mut cx = Clauses {
        analyzer: crate::text::analysis::analyzer(),
        languages: idx
            .language_fields
            .iter()
            .filter_map(|(code, field)| {
                Some((
                    code.clone(),
                    *field,
                    crate::text::analysis::language_analyzer(code)?,
                ))
            })
            .collect(),
        expander: Expander::new(idx, searcher),
        matched_languages: Vec::new(),
        joined: filtered || clauses + parsed.excluded.len() > 1,
    };
    let mut groups: Vec<Option<Box<dyn Query>>> = Vec::new();
    for group in &parsed.groups {
        let mut alts: Vec<Box<dyn Query>> = group
            .iter()
            .filter_map(|c| clause_query(idx, searcher, &mut cx, c))
            .collect();
        groups.push(match alts.len() {
            0 => None,
            1 => Some(alts.remove(0)),
            _ => Some(Box::new(BooleanQuery::new(
                alts.into_iter().map(|q| (Occur::Should, q)).collect(),
            ))),
        });
    }
    // Words typed side by side may be a name the registries know, or a compound written as
    // one word elsewhere: those words, or that form.
    let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut i = 0;
    while i < groups.len() {
        let mut joined = false;
        let run_end = (i..parsed.groups.len())
            .take_while(|&k| single_word(&parsed.groups[k]).is_some() && groups[k].is_some())
            .last()
            .map_or(i, |k| k + 1);
        for end in (i + 2..=run_end.min(i + 8)).rev() {
            let words: Vec<&str> = parsed.groups[i..end]
                .iter()
                .filter_map(|g| single_word(g))
                .collect();
            let alts = cx.expander.run(&words);
            if alts.is_empty() {
                continue;
            }
            let all: Vec<(Occur, Box<dyn Query>)> = groups[i..end]
                .iter_mut()
                .filter_map(Option::take)
                .map(|q| (Occur::Must, q))
                .collect();
            // The name or compound ranks where its words stand side by side, or in its other
            // form, above passages where the words stand apart.
            let apart: Box<dyn Query> = Box::new(BooleanQuery::new(all));
            let mut either: Vec<(Occur, Box<dyn Query>)> =
                vec![(Occur::Should, Box::new(BoostQuery::new(apart, 0.5)))];
            if let Some(side_by_side) = field_query(&mut cx.analyzer, f.body, &words.join(" ")) {
                either.push((Occur::Should, side_by_side));
            }
            either.extend(alts.into_iter().map(|q| (Occur::Should, q)));
            must.push((Occur::Must, Box::new(BooleanQuery::new(either))));
            i = end;
            joined = true;
            break;
        }
        if !joined {
            if let Some(q) = groups[i].take() {
                must.push((Occur::Must, q));
            }
            i += 1;
        }
    }
    let has_text = !must.is_empty();
    // Text with nothing to search for ("*", "OR", an emoji) is a mistake, not a browse of the
    // whole record, unless filters say what to browse.
    if !has_text
        && parsed.excluded.is_empty()
        && !filtered
        && req.q.as_deref().is_some_and(|q| !q.trim().is_empty())
    {
        return Err(SearchError::NoWords(req.q.clone().unwrap_or_default()));
    }
    if !has_text {
        must.push((Occur::Must, Box::new(AllQuery)));
    }
    let (expansions_before, languages_before) =
        (cx.expander.found.len(), cx.matched_languages.len());
    for c in &parsed.excluded {
        if let Some(q) = clause_query(idx, searcher, &mut cx, c) {
            must.push((Occur::MustNot, q));
        }
    }
    // What excluded words expand to is not what the search found.
    cx.expander.found.truncate(expansions_before);
    cx.matched_languages.truncate(languages_before);
    // Filters: the request's fields and the query's inline ones; values of one filter are
    // alternatives, different filters must all hold.
    let mut by_field: HashMap<FilterField, Vec<String>> = HashMap::new();
    for field in FilterField::ALL {
        // An empty value is no filter, as a form with an empty field sends it.
        for v in req.values(field).iter().filter(|v| !v.trim().is_empty()) {
            by_field.entry(field).or_default().push(v.clone());
        }
    }
    for (field, v) in &parsed.filters {
        by_field.entry(*field).or_default().push(v.clone());
    }
    for field in FilterField::ALL {
        let Some(values) = by_field.get(&field) else {
            continue;
        };
        let index_field = match field {
            FilterField::Speaker => f.speaker,
            FilterField::Label => f.speaker_label,
            FilterField::Agency => f.agency,
            FilterField::Topic => f.topic,
            FilterField::Kind => f.kind,
            FilterField::Version => f.version,
            FilterField::Work => f.work,
            FilterField::Doc => f.doc_id,
            FilterField::Language => f.language,
            FilterField::Role => f.role,
        };
        let mut alts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for v in values.iter().filter(|v| !v.trim().is_empty()) {
            // A person by any part of their name ("Wachholz"): every speaker so named.
            if field == FilterField::Speaker && idx.registry.speaker(v).is_none() {
                let named = speakers_named(searcher, index_field, v)?;
                if !named.is_empty() {
                    for name in named {
                        alts.push((
                            Occur::Should,
                            Box::new(TermQuery::new(
                                Term::from_field_text(index_field, &name),
                                IndexRecordOption::Basic,
                            )),
                        ));
                    }
                    continue;
                }
            }
            let canonical = resolve(idx, searcher, field, index_field, v)?;
            alts.push((
                Occur::Should,
                Box::new(TermQuery::new(
                    Term::from_field_text(index_field, &canonical),
                    IndexRecordOption::Basic,
                )),
            ));
            // A State is found in the statements of the groups it spoke with.
            if field == FilterField::Agency {
                alts.push((
                    Occur::Should,
                    Box::new(TermQuery::new(
                        Term::from_field_text(f.member, &canonical),
                        IndexRecordOption::Basic,
                    )),
                ));
            }
        }
        if !alts.is_empty() {
            must.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(alts)), 0.0)),
            ));
        }
    }
    let (from, to) = date_range(req)?;
    if from.is_some() || to.is_some() {
        let term = |d: Date| crate::index::date_term(f.date, d);
        let lo = from.map_or(Bound::Unbounded, |d| Bound::Included(term(d)));
        let hi = to.map_or(Bound::Unbounded, |d| Bound::Included(term(d)));
        must.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(Box::new(RangeQuery::new(lo, hi)), 0.0)),
        ));
    }
    let suggestion = suggestion(req.q.as_deref().unwrap_or(""), &cx.expander.fixes);
    let mut languages: Vec<String> = cx.matched_languages.first().cloned().unwrap_or_default();
    languages.retain(|l| cx.matched_languages.iter().all(|m| m.contains(l)));
    let mut expansions = cx.expander.found;
    expansions.sort();
    Ok(BuiltQuery {
        query: Box::new(BooleanQuery::new(must)),
        has_text,
        parsed,
        expansions,
        suggestion,
        languages,
    })
}

/// The indexed speakers whose names hold every word of `part`, as whole words, in any case
/// ("Wachholz" names "Cedric Wachholz"); none when `part` is a whole name.
fn speakers_named(
    searcher: &Searcher,
    field: Field,
    part: &str,
) -> Result<Vec<String>, SearchError> {
    let words = |s: &str| -> Vec<String> { norm_key(s).split(' ').map(str::to_string).collect() };
    let wanted = words(part);
    let known = indexed_values(searcher, field)?;
    if known.iter().any(|k| norm_key(k) == norm_key(part)) {
        return Ok(Vec::new());
    }
    Ok(known
        .into_iter()
        .filter(|k| {
            let have = words(k);
            wanted.iter().all(|w| !w.is_empty() && have.contains(w))
        })
        .collect())
}

/// The word of a group that is one unquoted word (not a prefix).
fn single_word(g: &[Clause]) -> Option<&str> {
    match g {
        [Clause::Word(w)] => (!w.ends_with('*')).then_some(w.as_str()),
        _ => None,
    }
}

/// The query as typed with each misspelt word replaced by its closest spelling in the index.
fn suggestion(q: &str, fixes: &BTreeMap<String, String>) -> Option<String> {
    if fixes.is_empty() {
        return None;
    }
    let fixed: Vec<String> = q
        .split(' ')
        .map(|w| {
            let core = w.trim_matches(|c: char| !c.is_alphanumeric());
            match fixes.get(core) {
                Some(fix) if !core.is_empty() => w.replacen(core, fix, 1),
                _ => w.to_string(),
            }
        })
        .collect();
    Some(fixed.join(" "))
}

/// The days a date parameter names: a day (`2025-11-17`), a month (`2025-11`: the 1st to the
/// 30th) or a year (`2025`).
fn parse_period(param: &'static str, s: &str) -> Result<(Date, Date), SearchError> {
    let bad = |message: String| SearchError::BadParam { param, message };
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = s.trim().split('-').collect();
    match parts.as_slice() {
        [y] if y.len() == 4 && digits(y) => {
            let y: i32 = y.parse().unwrap_or(0);
            let first = Date::new(y, 1, 1).ok_or_else(|| bad(format!("`{s}` is not a year")))?;
            Ok((first, Date::new(y, 12, 31).unwrap_or(first)))
        }
        [y, m] if y.len() == 4 && m.len() == 2 && digits(y) && digits(m) => {
            let (y, m): (i32, u32) = (y.parse().unwrap_or(0), m.parse().unwrap_or(0));
            let first = Date::new(y, m, 1).ok_or_else(|| bad(format!("`{s}` is not a month")))?;
            let last = (28..=31)
                .rev()
                .find_map(|d| Date::new(y, m, d))
                .unwrap_or(first);
            Ok((first, last))
        }
        _ if s.trim().len() != 10 => Err(bad(format!(
            "`{s}` is not a date: expected YYYY-MM-DD, YYYY-MM or YYYY"
        ))),
        _ => {
            let d: Date = s
                .parse()
                .map_err(|m: String| bad(format!("{m} (or a month, YYYY-MM, or a year, YYYY)")))?;
            Ok((d, d))
        }
    }
}

/// The `from` and `to` of a request as days: `from` a period's first day, `to` its last. A range
/// that ends before it starts is a mistake, said as such.
fn date_range(req: &SearchRequest) -> Result<(Option<Date>, Option<Date>), SearchError> {
    let from = req
        .from
        .as_deref()
        .map(|s| parse_period("from", s).map(|p| p.0))
        .transpose()?;
    let to = req
        .to
        .as_deref()
        .map(|s| parse_period("to", s).map(|p| p.1))
        .transpose()?;
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(SearchError::BadParam {
                param: "to",
                message: format!("the range ends ({t}) before it starts ({f})"),
            });
        }
    }
    Ok((from, to))
}

/// A word or phrase searched in the text as written and in the text with speech-recognition
/// variants read back ("WSIS" also finds "VSIS"), scored by the better of the two.
fn clause_query(
    idx: &TravauxIndex,
    searcher: &Searcher,
    cx: &mut Clauses,
    c: &Clause,
) -> Option<Box<dyn Query>> {
    // A word the index lacks, with a close spelling: the word meant is searched in its place.
    if let Clause::Word(w) = c {
        if !w.ends_with('*') {
            if let Some(fix) = cx.expander.fix(w) {
                cx.expander.note_typo(w, &fix);
                return clause_query(idx, searcher, cx, &Clause::Word(fix));
            }
        }
    }
    let text = c.text();
    let f = &idx.fields;
    let analyzer = &mut cx.analyzer;
    // `priva*`: the words of the text that start so.
    if let Clause::Word(w) = c {
        if let Some(start) = w
            .strip_suffix('*')
            .filter(|s| s.chars().count() >= 2 && s.chars().all(char::is_alphanumeric))
        {
            return prefix_query(searcher, f.body, &norm_key(start));
        }
    }
    let mut exact = crate::text::analysis::exact_analyzer();
    let homonym = match c {
        Clause::Word(w) => cx.expander.homonym_query(w),
        _ => None,
    };
    let first: Box<dyn Query> = match c {
        // The words as written: "the right to privacy" is not "the rights to privacy".
        Clause::Phrase(_) => {
            crate::index::pairs::phrase_query(&mut exact, f.body_exact, f.pairs, text)?
        }
        Clause::Stemmed(_) => field_query(analyzer, f.body, text)?,
        // A short form that is also an ordinary word ("WHO", "US"): where it is written as
        // an abbreviation.
        Clause::Word(_) if homonym.is_some() => homonym?,
        // Any form of the word, the word's own forms first.
        Clause::Word(_) => {
            let stemmed = field_query(analyzer, f.body, text)?;
            // The word's own forms are the word and its singular or plural ("person",
            // "persons"), not every word sharing its stem ("personal").
            let count = |q: &dyn Query| {
                let mut n = 0;
                q.query_terms(&mut |t, _| n += searcher.doc_freq(t).unwrap_or(0));
                n
            };
            let stem = crate::query::expand::stemmed(text);
            let (mut own, mut own_count, mut all_stemmed) = (Vec::new(), 0, true);
            for w in crate::query::expand::number_forms(text) {
                let Some(q) = field_query(&mut exact, f.body_exact, &w) else {
                    continue;
                };
                let n = count(q.as_ref());
                if n == 0 {
                    continue;
                }
                // (Only the own forms with the word's stem are among what the stem matches.)
                if crate::query::expand::stemmed(&w) == stem {
                    own_count += n;
                } else {
                    all_stemmed = false;
                }
                own.push((Occur::Should, q));
            }
            // Where the own forms are every word with the stem, there is nothing to rank them
            // above.
            if own.is_empty() || count(stemmed.as_ref()) <= own_count {
                stemmed
            } else if all_stemmed && cx.joined {
                // The own forms are among what the stem matches: beside other conditions the
                // stem decides what matches and the own forms only add to the score of what
                // was found (the same scores as a union of the two, without seeking through
                // one). Alone, walking the union whole is cheaper.
                let mut clauses = vec![(Occur::Must, stemmed)];
                clauses.extend(own);
                Box::new(BooleanQuery::new(clauses))
            } else {
                Box::new(BooleanQuery::new(vec![
                    (Occur::Should, stemmed),
                    (Occur::Should, Box::new(BooleanQuery::new(own))),
                ]))
            }
        }
    };
    let mut alts = vec![first];
    // Other ways the record writes an unquoted word, ranked below it.
    let expanded = match c {
        Clause::Word(w) => cx.expander.word(w),
        _ => Vec::new(),
    };
    let analyzer = &mut cx.analyzer;
    // The read-back text differs from the text as written only by the canonical forms it
    // writes; words and phrases without one match there only where they match the body.
    let mut read_back = false;
    analyzer.token_stream(text).process(&mut |t| {
        read_back |= idx.registry.variants.writes_term(&t.text);
    });
    // A quoted phrase is matched as written, nowhere stemming would match other forms of its
    // words (footnotes, other languages); in the read-back text only when it names what a
    // read-back writes ("road maps" finds "Rd. maps", read back as "road map").
    if matches!(c, Clause::Phrase(_)) {
        cx.matched_languages.push(Vec::new());
        let mut terms = Vec::new();
        analyzer
            .token_stream(text)
            .process(&mut |t| terms.push(t.text.clone()));
        if read_back && idx.registry.variants.names_canonical(&terms) {
            if let Some(q) =
                field_query(analyzer, f.heard, text).filter(|q| occurs(searcher, q.as_ref()))
            {
                return Some(Box::new(DisjunctionMaxQuery::new(vec![alts.remove(0), q])));
            }
        }
        return Some(alts.remove(0));
    }
    if read_back {
        alts.extend(field_query(analyzer, f.heard, text));
    }
    // The footnotes a passage cites.
    alts.extend(field_query(analyzer, f.footnote, text));
    // Passages in other languages, each with its own stemmer.
    let mut matched = Vec::new();
    for (code, field, a) in cx.languages.iter_mut() {
        if let Some(q) = field_query(a, *field, text).filter(|q| occurs(searcher, q.as_ref())) {
            alts.push(q);
            matched.push(code.clone());
        }
    }
    cx.matched_languages.push(matched);
    // Only the fields that hold every term can match: most words are in the body alone, and
    // a single term query is much cheaper than a disjunction over empty fields.
    let body = alts.remove(0);
    alts.retain(|q| occurs(searcher, q.as_ref()));
    alts.extend(expanded);
    if alts.is_empty() {
        return Some(body);
    }
    alts.insert(0, body);
    Some(Box::new(DisjunctionMaxQuery::new(alts)))
}

/// True when every term of `q` is in the index.
fn occurs(searcher: &Searcher, q: &dyn Query) -> bool {
    let mut all = true;
    q.query_terms(&mut |t, _| {
        if all && searcher.doc_freq(t).map_or(true, |n| n == 0) {
            all = false;
        }
    });
    all
}

/// The analysed terms of a word or phrase in one field; a word the analyzer splits
/// ("covid-19") is a phrase.
/// Most words a prefix (`priva*`) expands to: the first ones in the index's order.
pub const MAX_PREFIX_TERMS: usize = 64;

/// Any of the words of `field` that start with `prefix` (as the index holds them: lowercase,
/// accents folded, stemmed), at most [`MAX_PREFIX_TERMS`] of them.
fn prefix_query(searcher: &Searcher, field: Field, prefix: &str) -> Option<Box<dyn Query>> {
    let mut terms = std::collections::BTreeSet::new();
    for seg in searcher.segment_readers() {
        let Ok(inverted) = seg.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = inverted.terms().range().ge(prefix.as_bytes()).into_stream() else {
            continue;
        };
        while stream.advance() && terms.len() < MAX_PREFIX_TERMS {
            let Ok(word) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            if !word.starts_with(prefix) {
                break;
            }
            terms.insert(word.to_string());
        }
    }
    if terms.is_empty() {
        return None;
    }
    let alts: Vec<(Occur, Box<dyn Query>)> = terms
        .iter()
        .map(|t| {
            let q: Box<dyn Query> = Box::new(TermQuery::new(
                Term::from_field_text(field, t),
                IndexRecordOption::WithFreqs,
            ));
            (Occur::Should, q)
        })
        .collect();
    Some(Box::new(BooleanQuery::new(alts)))
}

fn field_query(analyzer: &mut TextAnalyzer, field: Field, text: &str) -> Option<Box<dyn Query>> {
    crate::index::terms_query(field, crate::text::analysis::words_of(analyzer, text))
}

/// The single-word recognition forms of what the query's words name, so results mark
/// "VSIS" when the search was for WSIS.
fn spoken_terms(idx: &TravauxIndex, parsed: &ParsedQuery) -> Vec<Box<dyn Query>> {
    let mut analyzer = crate::text::analysis::analyzer();
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    for c in parsed.groups.iter().flatten() {
        let w = c.text();
        let whole = std::iter::once(w);
        let forms = whole
            .chain(w.split_whitespace())
            .flat_map(|x| idx.registry.variants.spoken_forms(x));
        for form in forms {
            let mut stream = analyzer.token_stream(form);
            let mut tokens = Vec::new();
            while let Some(t) = stream.next() {
                tokens.push(t.text.clone());
            }
            if let [t] = tokens.as_slice() {
                out.push(Box::new(TermQuery::new(
                    Term::from_field_text(idx.fields.body, t),
                    IndexRecordOption::Basic,
                )));
            }
        }
    }
    out
}

/// The value stored in the index for what a user typed in a filter: the registry's canonical
/// name for any alias, or an indexed value matched without regard to case; otherwise an error
/// that names the closest known values.
fn resolve(
    idx: &TravauxIndex,
    searcher: &Searcher,
    field: FilterField,
    index_field: Field,
    value: &str,
) -> Result<String, SearchError> {
    let r = &idx.registry;
    let from_registry = match field {
        FilterField::Agency => r.agency(value).map(|a| a.id.clone()),
        FilterField::Speaker => r.speaker(value).map(|s| s.name.clone()),
        FilterField::Topic => r.topic(value).map(|t| t.id.clone()),
        FilterField::Version => r.version(value).map(|v| v.id.clone()),
        FilterField::Kind => value.parse::<Kind>().ok().map(|k| k.as_str().to_string()),
        // Every language travaux tells passages in, by code or name, whether or not the index
        // holds passages in it yet.
        FilterField::Language => r
            .languages
            .iter()
            .find(|l| {
                l.code.eq_ignore_ascii_case(value.trim()) || norm_key(&l.name) == norm_key(value)
            })
            .map(|l| l.code.clone()),
        _ => None,
    };
    if let Some(v) = from_registry {
        return Ok(v);
    }
    let known = indexed_values(searcher, index_field)?;
    let key = norm_key(value);
    if let Some(v) = known.iter().find(|k| norm_key(k) == key) {
        return Ok(v.clone());
    }
    // A document, or the work it belongs to, named by its symbol.
    if matches!(field, FilterField::Doc | FilterField::Work) {
        if let Some(d) = idx.document_named(searcher, value) {
            match field {
                FilterField::Doc => return Ok(d.id),
                _ => {
                    if let Some(w) = d.work {
                        return Ok(w);
                    }
                }
            }
        }
    }
    let mut candidates: Vec<String> = known;
    match field {
        FilterField::Agency => candidates.extend(r.agencies.iter().map(|a| a.id.clone())),
        FilterField::Topic => candidates.extend(r.topics.iter().map(|t| t.id.clone())),
        FilterField::Version => candidates.extend(r.versions.iter().map(|v| v.id.clone())),
        FilterField::Speaker => candidates.extend(r.speakers.iter().map(|s| s.name.clone())),
        FilterField::Kind => candidates.extend(Kind::ALL.iter().map(|k| k.as_str().to_string())),
        FilterField::Language => candidates.extend(r.languages.iter().map(|l| l.code.clone())),
        _ => {}
    }
    candidates.sort();
    candidates.dedup();
    Err(SearchError::UnknownValue {
        field: field.name(),
        value: value.to_string(),
        suggestions: closest(value, candidates.iter().map(String::as_str), 5),
    })
}

/// Every distinct value of a keyword field in the index.
pub fn indexed_values(searcher: &Searcher, field: Field) -> Result<Vec<String>, SearchError> {
    let mut out = Vec::new();
    for seg in searcher.segment_readers() {
        let inv = seg.inverted_index(field)?;
        let mut stream = inv
            .terms()
            .stream()
            .map_err(|e| SearchError::Internal(e.to_string()))?;
        while stream.advance() {
            if let Ok(s) = std::str::from_utf8(stream.key()) {
                out.push(s.to_string());
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
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
