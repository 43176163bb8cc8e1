//! Searching over HTTP: one search (GET or POST), many in a batch, and every match exported.

use super::http::{
    blocking, body_type, give_back_memory, parse_json, parse_object, ApiError, ApiResult, BodyType,
};
use super::{AppState, MAX_BATCH, MAX_BATCH_HITS};
use crate::errors::{ErrorBody, ErrorCode};
use crate::query::search::{self, SearchError, SearchRequest};
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The search endpoints, each with its OpenAPI operation.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search_get, search_post))
        .routes(routes!(batch))
        .routes(routes!(export))
}

/// Search passages; repeat a filter for alternatives.
#[utoipa::path(get, path = "/api/search", tag = "search", params(SearchRequest),
    responses(
        (status = 200, description = "The hits of the page asked for, with facet counts over every match", body = search::SearchResponse),
        (status = 400, description = "A query, filter or parameter the server cannot read", body = ErrorBody)))]
async fn search_get(State(st): State<AppState>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let req =
        SearchRequest::from_query_string(q.as_deref().unwrap_or("")).map_err(SearchError::from)?;
    run_search(st, req).await
}

/// Search passages, the request as a JSON object (filters may be arrays).
#[utoipa::path(post, path = "/api/search", tag = "search",
    request_body(content = SearchRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The hits of the page asked for, with facet counts over every match", body = search::SearchResponse),
        (status = 400, description = "A body, query or filter the server cannot read", body = ErrorBody)))]
async fn search_post(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    body_type(&headers, false)?;
    let req: SearchRequest = parse_object(&body)?;
    run_search(st, req).await
}

async fn run_search(st: AppState, req: SearchRequest) -> ApiResult<Response> {
    // Written straight to bytes on the search thread: no JSON tree in between.
    let body = blocking(move || {
        let resp =
            crate::versions::collapse::search_with(&st.idx, &st.idx.reader.searcher(), &req)?;
        serde_json::to_vec(&resp).map_err(|e| SearchError::Internal(e.to_string()))
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// One answer of a batch: a search's result (with the request's `id`), or its error.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(untagged)]
#[allow(dead_code)] // Describes what `crate::services::batch` writes; never built here.
pub(super) enum BatchAnswer {
    Answer(search::SearchResponse),
    Failed(BatchFailure),
}

/// A batch request that failed: its error, its position and its `id`.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub(super) struct BatchFailure {
    error: crate::errors::ErrorDetail,
    /// Its position in the batch, from 1.
    line: usize,
    /// The request's `id`, when it gave one.
    #[schema(value_type = Option<serde_json::Value>)]
    id: Option<Value>,
}

/// Many searches: a JSON array, or NDJSON in and out (Content-Type: application/x-ndjson); each
/// answered in order with its result or its own error (keeping its `id`); at most 1,000 searches
/// and 5,000 hits in all.
#[utoipa::path(post, path = "/api/search/batch", tag = "search",
    request_body(description = "Search requests (each a SearchRequest object). An item that is \
not one is answered with its own error, keeping its `id`, in its place; the others are answered.",
        content(
        (Vec<serde_json::Value> = "application/json"),
        (String = "application/x-ndjson"))),
    responses(
        (status = 200, description = "One answer per request, in order", content(
            (Vec<BatchAnswer> = "application/json"),
            (String = "application/x-ndjson"))),
        (status = 400, description = "Not an array of requests, or too many", body = ErrorBody)))]
async fn batch(State(st): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    let ndjson = match body_type(&headers, true)? {
        BodyType::Json => false,
        BodyType::Ndjson => true,
    };
    let count = if ndjson {
        body.split(|&b| b == b'\n')
            .filter(|l| !l.trim_ascii().is_empty())
            .count()
    } else {
        0
    };
    let requests: Vec<Value> = if ndjson {
        Vec::new()
    } else {
        parse_json(&body).map_err(|_| {
            ApiError::new(
                ErrorCode::BadJson,
                "expected a JSON array of search requests",
                Some("or send NDJSON with Content-Type: application/x-ndjson"),
            )
        })?
    };
    let n = count.max(requests.len());
    if n > MAX_BATCH {
        return Err(ApiError::new(
            ErrorCode::BatchTooLarge,
            format!("{n} queries in one batch; at most {MAX_BATCH}"),
            None,
        ));
    }
    // Each item is answered on its own: a bad one gets its error (with its `id`) in its place.
    let budget = crate::services::batch::Budget::new(MAX_BATCH_HITS);
    if ndjson {
        // The same loop as `travaux batch`, answering line by line.
        let out = blocking(move || {
            let mut out = Vec::new();
            crate::services::batch::run(&st.idx, body.as_ref(), &mut out, budget)
                .map_err(|e| SearchError::Internal(e.to_string()))?;
            Ok(out)
        })
        .await?;
        return Ok(([(header::CONTENT_TYPE, "application/x-ndjson")], out).into_response());
    }
    // Each answer is written out as it is made: no tree of the whole answer in memory.
    let out = blocking(move || {
        let searcher = st.idx.reader.searcher();
        let mut budget = budget;
        let mut out = vec![b'['];
        for (i, r) in requests.into_iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let v = crate::services::batch::answer(&st.idx, &searcher, i + 1, r, &mut budget);
            serde_json::to_writer(&mut out, &v)
                .map_err(|e| SearchError::Internal(e.to_string()))?;
        }
        out.push(b']');
        give_back_memory();
        Ok(out)
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], out).into_response())
}

/// Every match, one passage a line (NDJSON, or CSV with `format=csv`), streamed in document
/// order.
#[utoipa::path(get, path = "/api/export", tag = "search",
    responses(
        (status = 200, description = "One passage per line", content(
            (String = "application/x-ndjson"),
            (String = "text/csv"))),
        (status = 400, description = "A query, filter or parameter the server cannot read", body = ErrorBody)))]
async fn export(State(st): State<AppState>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let (format, rest) = export_format(q.as_deref().unwrap_or(""))?;
    let req = SearchRequest::from_query_string(&rest).map_err(SearchError::from)?;
    if let Some(param) = req.paging_given() {
        return Err(SearchError::BadParam {
            param,
            message: format!(
                "an export answers every match, in document order: it takes the query and \
                 filters, not {}",
                SearchRequest::PAGING.join(", ")
            ),
        }
        .into());
    }
    // Check the request before the answer starts, so a mistake is still a 4xx.
    let check = {
        let (st, req) = (st.clone(), req.clone());
        blocking(move || {
            let searcher = st.idx.reader.searcher();
            search::build_query(&st.idx, &searcher, &req).map(|_| ())
        })
    };
    check.await?;
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(64);
    tokio::task::spawn_blocking(move || {
        let searcher = st.idx.reader.searcher();
        if format == ExportFormat::Csv {
            let head = Bytes::from(crate::query::export::csv_header());
            if tx.blocking_send(Ok(head)).is_err() {
                return;
            }
        }
        let _ = search::for_each_match(&st.idx, &searcher, &req, |p| {
            let line = match format {
                ExportFormat::Csv => crate::query::export::csv_row(&p).into_bytes(),
                ExportFormat::Ndjson => {
                    let mut line = serde_json::to_vec(&p).unwrap_or_default();
                    line.push(b'\n');
                    line
                }
            };
            tx.blocking_send(Ok(Bytes::from(line))).is_ok()
        });
    });
    let stream = tokio_stream::wrappers::ReceiverStream::new(rx);
    let (ty, name) = match format {
        ExportFormat::Csv => ("text/csv; charset=utf-8", "travaux-export.csv"),
        ExportFormat::Ndjson => ("application/x-ndjson", "travaux-export.ndjson"),
    };
    Ok((
        [
            (header::CONTENT_TYPE, ty.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ExportFormat {
    Ndjson,
    Csv,
}

/// The export's `format` parameter, and the query string without it.
fn export_format(q: &str) -> ApiResult<(ExportFormat, String)> {
    let mut format = ExportFormat::Ndjson;
    let mut rest = Vec::new();
    for part in q.split('&').filter(|p| !p.is_empty()) {
        match part.split_once('=').unwrap_or((part, "")) {
            ("format", "ndjson" | "") => format = ExportFormat::Ndjson,
            ("format", "csv") => format = ExportFormat::Csv,
            ("format", other) => {
                return Err(SearchError::BadParam {
                    param: "format",
                    message: format!("`{other}`: expected ndjson or csv"),
                }
                .into())
            }
            _ => rest.push(part),
        }
    }
    Ok((format, rest.join("&")))
}
