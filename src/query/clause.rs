//! One clause of a query (a word, a quoted phrase, a prefix) as an index query: the word's own
//! forms ranked above its stem, the other forms query understanding finds, the text read back
//! from speech recognition, footnotes and other languages, and a phrase as written.

use crate::index::TravauxIndex;
use crate::query::expand::Expander;
use crate::query::language::{Clause, ParsedQuery};
use crate::text::norm_key;
use tantivy::query::{BooleanQuery, DisjunctionMaxQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

/// What building one query's clauses needs and gathers.
pub(super) struct Clauses<'a> {
    pub(super) analyzer: TextAnalyzer,
    pub(super) languages: Vec<(String, Field, TextAnalyzer)>,
    pub(super) expander: Expander<'a>,
    /// Per clause, the other languages it matched in.
    pub(super) matched_languages: Vec<Vec<String>>,
    /// The clause is one of several conditions (other words, filters): what it matches is
    /// sought where the others hold, not walked whole.
    pub(super) joined: bool,
    /// For the last clause built: a single term that matches exactly what the clause matches
    /// (a word's stem, where the word's own forms all share it and nothing else was added),
    /// whose count the index knows without walking its matches.
    pub(super) counted_by: Option<Box<dyn Query>>,
}

/// A word or phrase searched in the text as written and in the text with speech-recognition
/// variants read back ("WSIS" also finds "VSIS"), scored by the better of the two.
pub(super) fn clause_query(
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
    cx.counted_by = None;
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
        // Chinese, written without spaces, as its words follow one another: the words as the
        // Chinese text was cut into them.
        Clause::Phrase(_) if text.chars().any(crate::text::han::is_han) => {
            let (_, field, han) = cx.languages.iter_mut().find(|(code, ..)| code == "zh")?;
            field_query(han, *field, text)?
        }
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
            if all_stemmed {
                cx.counted_by = Some(stemmed.box_clone());
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
                // One flat union of terms (the stem and each own form, the scores summed as
                // nested alternatives would sum them): the top hits are found by block-max
                // WAND, skipping what cannot rank, where nothing else needs every match.
                let mut alts = vec![(Occur::Should, stemmed)];
                alts.extend(own);
                Box::new(BooleanQuery::new(alts))
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
    cx.counted_by = None;
    alts.insert(0, body);
    Some(Box::new(DisjunctionMaxQuery::new(alts)))
}

/// True when every term of `q` is in the index.
pub(super) fn occurs(searcher: &Searcher, q: &dyn Query) -> bool {
    let mut all = true;
    q.query_terms(&mut |t, _| {
        if all && searcher.doc_freq(t).map_or(true, |n| n == 0) {
            all = false;
        }
    });
    all
}

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

/// The analysed terms of a word or phrase in one field; a word the analyzer splits
/// ("covid-19") is a phrase.
pub(super) fn field_query(
    analyzer: &mut TextAnalyzer,
    field: Field,
    text: &str,
) -> Option<Box<dyn Query>> {
    crate::index::terms_query(field, crate::text::analysis::words_of(analyzer, text))
}

/// The single-word recognition forms of what the query's words name, so results mark
/// "VSIS" when the search was for WSIS.
pub(super) fn spoken_terms(idx: &TravauxIndex, parsed: &ParsedQuery) -> Vec<Box<dyn Query>> {
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
