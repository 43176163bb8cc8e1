//! Bulk queries: one search request per item (a JSON array, or NDJSON lines), one answer per
//! item in the same order. Every request runs on one searcher (one consistent view of the
//! index); a bad item gets its own error, with its `id` when it gave one, while the rest go on.
//! A [`Budget`] bounds how many hits a whole batch may ask for, so one request cannot make an
//! answer of unbounded size.

use crate::errors::ErrorCode;
use crate::index::TravauxIndex;
use crate::query::search::{SearchRequest, DEFAULT_LIMIT};
use serde_json::{json, Value};
use std::io::{BufRead, Write};

/// How many hits the requests of one batch may still ask for.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    left: usize,
    total: usize,
}

impl Budget {
    /// A batch that may ask for `hits` hits in all.
    pub fn new(hits: usize) -> Budget {
        Budget {
            left: hits,
            total: hits,
        }
    }

    /// No bound (the command line, where the answer goes to the user's own disk).
    pub fn unbounded() -> Budget {
        Budget::new(usize::MAX)
    }
}

/// The answer for one item (numbered `n` from 1): its result, or its error.
pub fn answer(
    idx: &TravauxIndex,
    searcher: &tantivy::Searcher,
    n: usize,
    item: Value,
    budget: &mut Budget,
) -> Value {
    let id = item.get("id").cloned();
    let mut v = match request(n, item) {
        Ok(req) => {
            let wanted = req.limit.unwrap_or(DEFAULT_LIMIT);
            if wanted > budget.left {
                ErrorCode::BatchTooLarge.body(
                    format!(
                        "item {n}: the batch asks for more than {} hits in all",
                        budget.total
                    ),
                    Some("lower the items' limit, or split the batch".into()),
                )
            } else {
                budget.left -= wanted;
                match crate::versions::collapse::search_with(idx, searcher, &req) {
                    Ok(resp) => serde_json::to_value(resp).unwrap_or(Value::Null),
                    Err(e) => e.body(),
                }
            }
        }
        Err(body) => body,
    };
    if let Some(obj) = v.as_object_mut() {
        if obj.contains_key("error") {
            obj.insert("line".into(), json!(n));
        }
        if let Some(id) = id {
            obj.insert("id".into(), id);
        }
    }
    v
}

/// An item as a search request: a JSON object with the request's fields.
fn request(n: usize, item: Value) -> Result<SearchRequest, Value> {
    if !item.is_object() {
        return Err(ErrorCode::BadJson.body(
            format!("item {n}: expected a JSON object, found {}", kind_of(&item)),
            None,
        ));
    }
    serde_json::from_value(item)
        .map_err(|e| ErrorCode::BadJson.body(format!("item {n}: {e}"), None))
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Reads NDJSON requests from `input`, writes one answer line each to `out`; returns how many
/// failed.
pub fn run(
    idx: &TravauxIndex,
    input: impl BufRead,
    out: &mut impl Write,
    mut budget: Budget,
) -> std::io::Result<usize> {
    let searcher = idx.reader.searcher();
    let mut failed = 0;
    for (i, line) in input.lines().enumerate() {
        let n = i + 1;
        let v = match line.map_err(|e| e.to_string()).and_then(|l| {
            if l.trim().is_empty() {
                Ok(None)
            } else {
                serde_json::from_str::<Value>(&l)
                    .map(Some)
                    .map_err(|e| e.to_string())
            }
        }) {
            Ok(None) => continue,
            Ok(Some(item)) => answer(idx, &searcher, n, item, &mut budget),
            Err(e) => {
                let mut v = ErrorCode::BadJson.body(format!("line {n}: {e}"), None);
                v["line"] = json!(n);
                v
            }
        };
        if v.get("error").is_some() {
            failed += 1;
        }
        serde_json::to_writer(&mut *out, &v)?;
        writeln!(out)?;
    }
    Ok(failed)
}
