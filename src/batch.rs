//! Bulk queries without a server: NDJSON in, one search request per line; NDJSON out, one
//! answer per line in the same order. Every request runs on one searcher (one consistent view
//! of the index), and a bad line gets its own error line while the rest go on.

use crate::errors::ErrorCode;
use crate::index::TravauxIndex;
use crate::search::{search_with, SearchRequest};
use serde_json::{json, Value};
use std::io::{BufRead, Write};

/// The answer for one request (numbered `n` from 1): its result, or its error.
pub fn answer(
    idx: &TravauxIndex,
    searcher: &tantivy::Searcher,
    n: usize,
    request: Result<SearchRequest, serde_json::Error>,
) -> Value {
    let req = match request {
        Ok(r) => r,
        Err(e) => {
            let mut v = ErrorCode::BadJson.body(format!("line {n}: {e}"), None);
            v["line"] = json!(n);
            return v;
        }
    };
    let id = req.id.clone();
    let mut v = match search_with(idx, searcher, &req) {
        Ok(resp) => serde_json::to_value(resp).unwrap_or(Value::Null),
        Err(e) => e.body(),
    };
    if let (Some(id), Some(obj)) = (id, v.as_object_mut()) {
        obj.insert("id".into(), id);
    }
    v
}

/// Reads requests from `input`, writes answers to `out`; returns how many failed.
pub fn run(
    idx: &TravauxIndex,
    input: impl BufRead,
    out: &mut impl Write,
) -> std::io::Result<usize> {
    let searcher = idx.reader.searcher();
    let mut failed = 0;
    for (i, line) in input.lines().enumerate() {
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                failed += 1;
                let mut v = ErrorCode::BadJson.body(format!("line {}: {e}", i + 1), None);
                v["line"] = json!(i + 1);
                writeln!(out, "{v}")?;
                continue;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let v = answer(idx, &searcher, i + 1, serde_json::from_str(&line));
        if v.get("error").is_some() {
            failed += 1;
        }
        serde_json::to_writer(&mut *out, &v)?;
        writeln!(out)?;
    }
    Ok(failed)
}
