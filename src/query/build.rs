//! A request made an index query: the query language's groups of clauses, words typed side by
//! side tried as the names and compounds they may be, exclusions, filters resolved to the values
//! the index holds (the registries' canonical names, indexed values in any case), and the date
//! range.

use super::clause::{clause_query, field_query, Clauses};
use super::error::SearchError;
use crate::index::TravauxIndex;
use crate::index::{has_value, indexed_values};
use crate::model::{Date, Kind};
use crate::query::expand::{Expander, Expansion};
use crate::query::filters::FilterField;
use crate::query::language::{self, Clause, ParsedQuery};
use crate::query::request::SearchRequest;
use crate::text::{closest, norm_key};
use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

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
    /// The language the query is written in, where it could be told (or the one language the
    /// request filters on).
    pub query_language: Option<String>,
    /// A query matching exactly what `query` matches whose count the index knows without
    /// walking the matches (one word alone: its stem), so the top hits can be found without
    /// visiting every match.
    pub counted_by: Option<Box<dyn Query>>,
}

/// Builds the index query of a request.
pub fn build_query(
    idx: &TravauxIndex,
    searcher: &Searcher,
    req: &SearchRequest,
) -> Result<BuiltQuery, SearchError> {
    if let Some(b) = &req.beside {
        if idx.registry.language(b).is_none() {
            let codes: Vec<&str> = idx
                .registry
                .languages
                .iter()
                .map(|l| l.code.as_str())
                .collect();
            return Err(SearchError::BadParam {
                param: "beside",
                message: format!(
                    "unknown language `{b}`: expected a code such as {}",
                    codes.join(", ")
                ),
            });
        }
    }
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
        counted_by: None,
    };
    // The query's language: the one the request filters on, else the one its words tell.
    let query_language = match req.values(FilterField::Language) {
        [one] => idx.registry.language(one).map(|l| l.code.clone()),
        _ => None,
    }
    .or_else(|| {
        req.q
            .as_deref()
            .and_then(|q| idx.registry.query_language(q))
            .map(str::to_string)
    });
    cx.expander.english = query_language.as_deref().is_none_or(|l| l == "en");
    let mut groups: Vec<Option<Box<dyn Query>>> = Vec::new();
    let mut counted_by = None;
    for group in &parsed.groups {
        let mut alts: Vec<Box<dyn Query>> = group
            .iter()
            .filter_map(|c| clause_query(idx, searcher, &mut cx, c))
            .collect();
        counted_by = cx.counted_by.take();
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
        let index_field = field.index_field(&f);
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
    // One word and nothing else: its stem counts the matches. (The clause built last was
    // that word's; `joined` is false only when there is one clause and no filter.)
    let counted_by = counted_by.filter(|_| !cx.joined && must.len() == 1);
    // A single condition is searched as itself, so that a union of terms stays one (block-max
    // WAND prunes only a union of terms); the scores are the same.
    let query: Box<dyn Query> = match must.as_slice() {
        [(Occur::Must, _)] => must.pop().map(|(_, q)| q).expect("one condition"),
        _ => Box::new(BooleanQuery::new(must)),
    };
    Ok(BuiltQuery {
        query,
        counted_by,
        has_text,
        parsed,
        expansions,
        suggestion,
        languages,
        query_language,
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
pub(super) fn date_range(req: &SearchRequest) -> Result<(Option<Date>, Option<Date>), SearchError> {
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
    // A cited document by any way the text cites it ("70/125", "resolution 70/125"): its symbol.
    let keyed;
    let value = if field == FilterField::Cites {
        keyed = crate::text::citations::key(value).unwrap_or_else(|| value.to_string());
        keyed.as_str()
    } else {
        value
    };
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
    // A value as the index holds it needs no reading of the others.
    if has_value(searcher, index_field, value)? {
        return Ok(value.to_string());
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
