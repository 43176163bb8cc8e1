//! The HTTP server: a JSON API under `/api` and a search page at `/`, over the same
//! [`crate::search`] functions the CLI uses. Read-only: it never writes the index, so a
//! `travaux ingest` in another process can add documents while it runs; the server reloads the
//! index every second and new documents appear without a restart.
//!
//! Every user mistake is a 4xx with `{"error": {"code", "message", "hint"}}`. Bounds: 100 hits
//! a page, 1,000 queries a batch, 2 MB a body, 10 s a request.

mod feed;

use crate::errors::{ErrorBody, ErrorCode};
use crate::index::TravauxIndex;
use crate::index::{DocumentRef, StoredPassage};
use crate::lineage;
use crate::search::{self, SearchError, SearchRequest};
use crate::stats;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize as _;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

/// Most queries in one batch.
pub const MAX_BATCH: usize = 1000;
/// Most hits the queries of one batch may ask for in all (the sum of their limits).
pub const MAX_BATCH_HITS: usize = 5000;
/// Largest request body.
pub const MAX_BODY: usize = 2 * 1024 * 1024;
/// Longest URL (path and query) the server reads.
pub const MAX_URI: usize = 16 * 1024;
/// Most bytes of request headers the server reads.
pub const MAX_HEADERS: usize = 64 * 1024;
/// Longest a request may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// What handlers share.
#[derive(Clone)]
pub struct AppState {
    idx: Arc<TravauxIndex>,
}

/// An error answer.
pub struct ApiError {
    status: StatusCode,
    body: Value,
}

impl ApiError {
    fn new(code: ErrorCode, message: impl Into<String>, hint: Option<&str>) -> ApiError {
        ApiError {
            status: StatusCode::from_u16(code.status()).unwrap_or(StatusCode::BAD_REQUEST),
            body: code.body(message, hint.map(str::to_string)),
        }
    }
}

impl From<SearchError> for ApiError {
    fn from(e: SearchError) -> Self {
        if e.code() == ErrorCode::Internal {
            eprintln!("internal error: {e}");
            return ApiError::new(
                ErrorCode::Internal,
                "the index could not answer; the server log says why",
                None,
            );
        }
        ApiError {
            status: StatusCode::from_u16(e.code().status()).unwrap_or(StatusCode::BAD_REQUEST),
            body: e.body(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// Runs blocking index work off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, SearchError> + Send + 'static,
) -> ApiResult<T> {
    // Twice as many searches run at once as there are cores (one waits on the disk or the
    // scheduler while another computes); the others wait their turn without a thread each, so
    // 64 connections do not mean 64 threads fighting over two cores.
    static RUNNING: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    let running = RUNNING.get_or_init(|| {
        tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get()) * 2)
    });
    let _turn = running
        .acquire()
        .await
        .map_err(|_| ApiError::new(ErrorCode::ShuttingDown, "the server is shutting down", None))?;
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r.map_err(ApiError::from),
        Err(e) => {
            eprintln!("request task failed: {e}");
            Err(ApiError::new(
                ErrorCode::Internal,
                "the request failed; the server log says why",
                None,
            ))
        }
    }
}

fn parse_json<T: serde::de::DeserializeOwned>(body: &Bytes) -> ApiResult<T> {
    serde_json::from_slice(body).map_err(|e| {
        ApiError::new(
            ErrorCode::BadJson,
            format!("the body is not a valid request: {e}"),
            None,
        )
    })
}

/// `GET /api/passages/{id}`: the passage, its context, and its references both ways.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct PassageAnswer {
    passage: Option<StoredPassage>,
    document: DocumentRef,
    /// The passages around it, in order, itself included.
    context: Vec<StoredPassage>,
    /// The paragraphs a statement names.
    refers_to: Option<Vec<crate::references::Resolved>>,
    /// The statements that name this paragraph.
    statements: Option<Vec<crate::references::Statement>>,
}

/// `GET /api/documents`.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct DocumentList {
    total: usize,
    documents: Vec<stats::DocumentSummary>,
}

/// `GET /api/documents/{id}`.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct DocumentAnswer {
    document: DocumentRef,
    passages: Vec<StoredPassage>,
}

/// `GET /api/facets`: passage counts by value, over the whole index.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct FacetsAnswer {
    documents: u64,
    passages: u64,
    facets: search::Facets,
}

/// `GET /api/works`.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct WorkList {
    works: Vec<lineage::WorkSummary>,
}

/// `GET /api/passages/{id}/lineage`.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct LineageAnswer {
    work: String,
    passage: String,
    steps: Vec<lineage::Step>,
    statements: Vec<crate::references::Statement>,
}

/// `POST /api/precedent`.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct PrecedentAnswer {
    total: usize,
    precedents: Vec<crate::precedent::Precedent>,
}

/// One answer of a batch: a search's result (with the request's `id`), or its error.
#[derive(serde::Serialize, utoipa::ToSchema)]
#[serde(untagged)]
#[allow(dead_code)] // Describes what `crate::batch` writes; never built here.
enum BatchAnswer {
    Answer(search::SearchResponse),
    Failed(BatchFailure),
}

/// A batch request that failed: its error, its position and its `id`.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct BatchFailure {
    error: crate::errors::ErrorDetail,
    /// Its position in the batch, from 1.
    line: usize,
    /// The request's `id`, when it gave one.
    #[schema(value_type = Option<serde_json::Value>)]
    id: Option<Value>,
}

/// Hands memory freed by a large answer back to the system. glibc keeps freed memory in its
/// arenas for reuse; after a batch has built and dropped thousands of answers, that is tens of
/// megabytes a long-running server would hold for nothing.
fn give_back_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of the allocator's heaps to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// A body that must be one JSON object (an array would fill a request's fields by position).
fn parse_object<T: serde::de::DeserializeOwned>(body: &Bytes) -> ApiResult<T> {
    let v: Value = parse_json(body)?;
    if !v.is_object() {
        return Err(ApiError::new(
            ErrorCode::BadJson,
            "the body must be a JSON object",
            None,
        ));
    }
    serde_json::from_value(v).map_err(|e| {
        ApiError::new(
            ErrorCode::BadJson,
            format!("the body is not a valid request: {e}"),
            None,
        )
    })
}

/// What a request body is declared to be.
enum BodyType {
    Json,
    Ndjson,
}

/// The body's declared type: `application/json`, or for a batch also `application/x-ndjson`.
/// Anything else is a 415: a browser sends other types from any page without asking, JSON only
/// after a CORS preflight.
fn body_type(headers: &HeaderMap, ndjson_allowed: bool) -> ApiResult<BodyType> {
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    match declared.as_str() {
        "application/json" => Ok(BodyType::Json),
        "application/x-ndjson" | "application/jsonlines" if ndjson_allowed => Ok(BodyType::Ndjson),
        other => Err(ApiError::new(
            ErrorCode::UnsupportedMediaType,
            if other.is_empty() {
                "the request has no Content-Type".to_string()
            } else {
                format!("Content-Type `{other}` is not accepted here")
            },
            Some(if ndjson_allowed {
                "send Content-Type: application/json (an array) or application/x-ndjson (a request per line)"
            } else {
                "send Content-Type: application/json"
            }),
        )),
    }
}

/// Reads a query string into `T`: unknown keys and malformed values are 400s naming the
/// parameter.
fn query<T: serde::de::DeserializeOwned>(q: &Option<String>) -> ApiResult<T> {
    crate::request::from_query_string(q.as_deref().unwrap_or(""))
        .map_err(|e| SearchError::from(e).into())
}

/// `GET /api/passages/{id}`.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct PassageParams {
    /// Passages on each side (0–50).
    #[param(minimum = 0, maximum = 50)]
    context: Option<usize>,
}

/// `GET /api/speakers`.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct SpeakersParams {
    doc: Option<String>,
}

/// `GET /api/works/{work}/diff`.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct DiffParams {
    from: Option<String>,
    to: Option<String>,
    topic: Option<String>,
    q: Option<String>,
    changed: Option<bool>,
}

/// Liveness: the server answers, and how many passages it serves.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct Health {
    status: &'static str,
    passages: u64,
    version: &'static str,
}

/// Liveness and passage count.
#[utoipa::path(get, path = "/api/health", tag = "index",
    responses((status = 200, description = "The server answers", body = Health)))]
async fn health(State(st): State<AppState>) -> Json<Health> {
    Json(Health {
        status: "ok",
        passages: st.idx.reader.searcher().num_docs(),
        version: env!("CARGO_PKG_VERSION"),
    })
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
        let resp = crate::collapse::search_with(&st.idx, &st.idx.reader.searcher(), &req)?;
        serde_json::to_vec(&resp).map_err(|e| SearchError::Internal(e.to_string()))
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// Many searches: a JSON array, or NDJSON in and out (Content-Type: application/x-ndjson); each
/// answered in order with its result or its own error (keeping its `id`); at most 1,000 searches
/// and 5,000 hits in all.
#[utoipa::path(post, path = "/api/search/batch", tag = "search",
    request_body(content(
        (Vec<SearchRequest> = "application/json"),
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
    // A JSON array is one document: an item that is not a search request is the client's
    // mistake, answered for the whole batch. (NDJSON lines are answered one by one.)
    for (i, item) in requests.iter().enumerate() {
        let read = if item.is_object() {
            SearchRequest::deserialize(item).map_err(|e| e.to_string())
        } else {
            Err("expected a JSON object".to_string())
        };
        let read = read.and_then(|r| search::check(&r).map_err(|e| e.to_string()));
        if let Err(e) = read {
            return Err(ApiError::new(
                ErrorCode::BadJson,
                format!("item {}: not a search request: {e}", i + 1),
                None,
            ));
        }
    }
    let budget = crate::batch::Budget::new(MAX_BATCH_HITS);
    if ndjson {
        // The same loop as `travaux batch`, answering line by line.
        let out = blocking(move || {
            let mut out = Vec::new();
            crate::batch::run(&st.idx, body.as_ref(), &mut out, budget)
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
            let v = crate::batch::answer(&st.idx, &searcher, i + 1, r, &mut budget);
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
            let head = Bytes::from(crate::export::csv_header());
            if tx.blocking_send(Ok(head)).is_err() {
                return;
            }
        }
        let _ = search::for_each_match(&st.idx, &searcher, &req, |p| {
            let line = match format {
                ExportFormat::Csv => crate::export::csv_row(&p).into_bytes(),
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

/// A passage with N passages before and after it, the paragraphs it refers to and the
/// statements that refer to it.
#[utoipa::path(get, path = "/api/passages/{id}", tag = "documents",
    params(("id" = String, Path, description = "A passage id, `document:seq`"), PassageParams),
    responses(
        (status = 200, description = "The passage in its context", body = PassageAnswer),
        (status = 400, description = "A parameter the server cannot read", body = ErrorBody),
        (status = 404, description = "No such passage", body = ErrorBody)))]
async fn passage(
    State(st): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<PassageAnswer>> {
    let PassageParams { context } = query(&q)?;
    let context = context.unwrap_or(0);
    if context > 50 {
        return Err(SearchError::BadParam {
            param: "context",
            message: format!("`{context}`: expected a number from 0 to 50"),
        }
        .into());
    }
    if !id.contains(':') {
        return Err(
            SearchError::NotFound(format!("`{id}` is not a passage id (document:seq)")).into(),
        );
    }
    let (shown, links) = blocking(move || {
        let shown = stats::show(&st.idx, &id, context)?;
        let focus = shown
            .passages
            .iter()
            .find(|p| Some(&p.id) == shown.focus.as_ref());
        let links = match focus {
            Some(p) => Some(crate::references::links(&st.idx, p)?),
            None => None,
        };
        Ok::<_, SearchError>((shown, links))
    })
    .await?;
    let p = shown
        .passages
        .iter()
        .find(|p| Some(&p.id) == shown.focus.as_ref())
        .cloned();
    let (refers_to, statements) =
        links.map_or((None, None), |l| (Some(l.refers_to), Some(l.statements)));
    Ok(Json(PassageAnswer {
        passage: p,
        document: shown.document,
        context: shown.passages,
        refers_to,
        statements,
    }))
}

/// An endpoint that takes no parameters refuses any, rather than ignoring them.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NoParams {}

/// Documents with kind, work, version, date and passage counts.
#[utoipa::path(get, path = "/api/documents", tag = "documents",
    responses((status = 200, description = "Every document", body = DocumentList)))]
async fn documents(
    State(st): State<AppState>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<DocumentList>> {
    let NoParams {} = query(&q)?;
    let documents = blocking(move || stats::documents(&st.idx)).await?;
    Ok(Json(DocumentList {
        total: documents.len(),
        documents,
    }))
}

/// A document's metadata and passages in order.
#[utoipa::path(get, path = "/api/documents/{id}", tag = "documents",
    params(("id" = String, Path, description = "A document id")),
    responses(
        (status = 200, description = "The document and its passages", body = DocumentAnswer),
        (status = 404, description = "No such document", body = ErrorBody)))]
async fn document(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<DocumentAnswer>> {
    if id.contains(':') {
        return Err(SearchError::NotFound(format!(
            "`{id}` is a passage id: use /api/passages/{id}"
        ))
        .into());
    }
    let shown = blocking(move || stats::show(&st.idx, &id, 0)).await?;
    Ok(Json(DocumentAnswer {
        document: shown.document,
        passages: shown.passages,
    }))
}

/// The corpus at a glance, for the home page: works with their versions, meetings with their
/// participants, submissions by entity, the latest documents, and searches worth trying.
#[utoipa::path(get, path = "/api/overview", tag = "index",
    responses((status = 200, description = "The corpus at a glance", body = crate::overview::Overview)))]
async fn overview(State(st): State<AppState>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let NoParams {} = query(&q)?;
    // Computed once per state of the index (and per index: a process may serve several): it
    // reads every passage.
    type Cached = std::sync::Mutex<Option<(std::path::PathBuf, u64, Bytes)>>;
    static CACHE: Cached = std::sync::Mutex::new(None);
    let body = blocking(move || {
        let generation = st.idx.reader.searcher().generation().generation_id();
        if let Some((dir, g, b)) = CACHE.lock().ok().and_then(|c| c.clone()) {
            if g == generation && dir == st.idx.dir {
                return Ok(b);
            }
        }
        let o = crate::overview::overview(&st.idx)?;
        let b =
            Bytes::from(serde_json::to_vec(&o).map_err(|e| SearchError::Internal(e.to_string()))?);
        if let Ok(mut c) = CACHE.lock() {
            *c = Some((st.idx.dir.clone(), generation, b.clone()));
        }
        Ok(b)
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// Agencies, speakers, topics, versions, works, kinds and languages with passage counts.
#[utoipa::path(get, path = "/api/facets", tag = "index",
    responses((status = 200, description = "Counts over the whole index", body = FacetsAnswer)))]
async fn facets(
    State(st): State<AppState>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<FacetsAnswer>> {
    let NoParams {} = query(&q)?;
    let s = blocking(move || stats::stats(&st.idx)).await?;
    Ok(Json(FacetsAnswer {
        documents: s.documents,
        passages: s.passages,
        facets: s.by,
    }))
}

/// Speakers and agencies with passage counts, by how each passage was attributed.
#[utoipa::path(get, path = "/api/speakers", tag = "index", params(SpeakersParams),
    responses(
        (status = 200, description = "Speakers and agencies", body = stats::Speakers),
        (status = 400, description = "A parameter the server cannot read", body = ErrorBody),
        (status = 404, description = "No such document", body = ErrorBody)))]
async fn speakers(
    State(st): State<AppState>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<stats::Speakers>> {
    let SpeakersParams { doc } = query(&q)?;
    let s = blocking(move || stats::speakers(&st.idx, doc.as_deref())).await?;
    Ok(Json(s))
}

/// Works (resolutions and their drafts) with their versions, oldest first.
#[utoipa::path(get, path = "/api/works", tag = "versions",
    responses((status = 200, description = "Every work", body = WorkList)))]
async fn works(State(st): State<AppState>, RawQuery(q): RawQuery) -> ApiResult<Json<WorkList>> {
    let NoParams {} = query(&q)?;
    let w = blocking(move || lineage::works(&st.idx)).await?;
    Ok(Json(WorkList { works: w }))
}

/// How a work changed between two versions: each paragraph's status and its word-level changes,
/// in the newer version's order.
#[utoipa::path(get, path = "/api/works/{work}/diff", tag = "versions",
    params(("work" = String, Path, description = "A work id, or a document's id or percent-encoded symbol"), DiffParams),
    responses(
        (status = 200, description = "The diff", body = lineage::WorkDiff),
        (status = 400, description = "A parameter the server cannot read", body = ErrorBody),
        (status = 404, description = "No such work or version", body = ErrorBody)))]
async fn work_diff(
    State(st): State<AppState>,
    Path(work): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<lineage::WorkDiff>> {
    let DiffParams {
        from,
        to,
        topic,
        q,
        changed,
    } = query(&q)?;
    // An empty value is no value, as a form with an empty field sends it.
    let given = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
    let (from, to) = (given(from), given(to));
    let narrow = lineage::Narrow {
        topic: given(topic),
        q: given(q),
    };
    let mut d =
        blocking(move || lineage::diff(&st.idx, &work, from.as_deref(), to.as_deref(), &narrow))
            .await?;
    if changed.unwrap_or(false) {
        d.paragraphs
            .retain(|p| p.status != lineage::Status::Unchanged);
    }
    Ok(Json(d))
}

/// A paragraph through every version of its work, with the change at each step and the
/// statements that refer to it.
#[utoipa::path(get, path = "/api/passages/{id}/lineage", tag = "versions",
    params(("id" = String, Path, description = "A passage id, `document:seq`")),
    responses(
        (status = 200, description = "The paragraph's lineage", body = LineageAnswer),
        (status = 400, description = "Not a paragraph of a work", body = ErrorBody),
        (status = 404, description = "No such passage", body = ErrorBody)))]
async fn passage_lineage(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<LineageAnswer>> {
    let (l, statements) = blocking(move || {
        let l = lineage::lineage(&st.idx, &id)?;
        let statements = crate::references::statements_about_lineage(&st.idx, &l)?;
        Ok((l, statements))
    })
    .await?;
    Ok(Json(LineageAnswer {
        work: l.work,
        passage: l.passage,
        steps: l.steps,
        statements,
    }))
}

/// Where this wording was used before: passages that repeat most of the text, with the shared
/// spans marked.
#[utoipa::path(post, path = "/api/precedent", tag = "versions",
    request_body(content = crate::precedent::PrecedentRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "Earlier passages, most similar first", body = PrecedentAnswer),
        (status = 400, description = "A body the server cannot read", body = ErrorBody)))]
async fn precedent(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<PrecedentAnswer>> {
    body_type(&headers, false)?;
    let req: crate::precedent::PrecedentRequest = parse_object(&body).map_err(|_| {
        ApiError::new(
            ErrorCode::BadJson,
            "the body is not a valid precedent request",
            Some("send {\"text\": \"…\"} with optional before (YYYY-MM-DD), kind and limit"),
        )
    })?;
    let found =
        blocking(move || crate::precedent::precedent(&st.idx, &st.idx.reader.searcher(), &req))
            .await?;
    Ok(Json(PrecedentAnswer {
        total: found.len(),
        precedents: found,
    }))
}

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "index",
    responses((status = 200, description = "The OpenAPI document", body = Object)))]
async fn openapi() -> impl IntoResponse {
    static DOC: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    let doc =
        DOC.get_or_init(|| serde_json::to_vec_pretty(&openapi_document()).unwrap_or_default());
    ([(header::CONTENT_TYPE, "application/json")], doc.as_slice())
}

/// The OpenAPI document, generated from the handlers and the types they read and answer.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "travaux API",
        description = "Search the record of UN digital-cooperation negotiations: transcripts, \
resolutions and drafts, submissions. Read-only. Every error is a JSON body \
{\"error\": {\"code\", \"message\", \"hint\"}}."
    ),
    paths(
        health,
        search_get,
        search_post,
        feed::feed,
        feed::alerts,
        feed::alert_feed,
        batch,
        export,
        passage,
        documents,
        document,
        facets,
        overview,
        speakers,
        works,
        work_diff,
        passage_lineage,
        precedent,
        openapi
    ),
    components(schemas(ErrorBody, crate::errors::ErrorCode, BatchAnswer))
)]
struct ApiDoc;

/// The OpenAPI document: [`ApiDoc`], with what every operation shares added from the tables
/// it comes from: the statuses the limits, routing and timeout can answer with ([`ErrorCode`]),
/// and the export's parameters (the search request's, less paging).
pub fn openapi_document() -> Value {
    use utoipa::{IntoParams, OpenApi};
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    let params = SearchRequest::into_params(|| Some(utoipa::openapi::path::ParameterIn::Query));
    let export: Vec<Value> = params
        .iter()
        .map(|p| json!(p))
        .filter(|p| {
            p["name"]
                .as_str()
                .is_none_or(|n| !SearchRequest::PAGING.contains(&n))
        })
        .collect();
    let mut export = export;
    export.push(json!({"name": "format", "in": "query", "required": false,
        "description": "ndjson (default) or csv",
        "schema": {"type": "string", "enum": ["ndjson", "csv"]}}));
    doc["paths"]["/api/export"]["get"]["parameters"] = json!(export);
    let error = json!({"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}});
    let Some(paths) = doc["paths"].as_object_mut() else {
        return doc;
    };
    for ops in paths.values_mut() {
        let Some(ops) = ops.as_object_mut() else {
            continue;
        };
        for (method, op) in ops.iter_mut() {
            let mut codes = vec![
                ErrorCode::BadParameter,
                ErrorCode::Timeout,
                ErrorCode::UriTooLong,
                ErrorCode::HeadersTooLarge,
                ErrorCode::Internal,
                ErrorCode::ShuttingDown,
            ];
            if method == "post" {
                codes.extend([ErrorCode::BodyTooLarge, ErrorCode::UnsupportedMediaType]);
            }
            for code in codes {
                let status = code.status().to_string();
                if op["responses"].get(&status).is_none() {
                    op["responses"][status] = json!({
                        "description": format!("{}: {}", code.as_str(), code.hint().unwrap_or("see the message")),
                        "content": error,
                    });
                }
            }
        }
    }
    doc
}

async fn page() -> Html<&'static str> {
    Html(include_str!("page/index.html"))
}

async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        include_str!("page/app.js"),
    )
}

async fn style() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        include_str!("page/app.css"),
    )
}

async fn not_found() -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        "no such endpoint",
        Some("GET /api/openapi.json lists the endpoints"),
    )
}

/// Every error answer in the one JSON shape, whatever layer made it: limits are checked before
/// the request is read (so `Expect: 100-continue` with a huge body is refused at once), and an
/// error status that routing, a limit or the timeout produced without our body gets one.
async fn shape_errors(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let uri = req.uri().path().len() + req.uri().query().map_or(0, |q| q.len() + 1);
    if uri > MAX_URI {
        return ApiError::new(
            ErrorCode::UriTooLong,
            format!("the URL is {uri} bytes; at most {MAX_URI}"),
            None,
        )
        .into_response();
    }
    let headers: usize = req
        .headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum();
    if headers > MAX_HEADERS {
        return ApiError::new(
            ErrorCode::HeadersTooLarge,
            format!("the headers are {headers} bytes; at most {MAX_HEADERS}"),
            None,
        )
        .into_response();
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return ApiError::new(
            ErrorCode::BodyTooLarge,
            format!(
                "the body is {} bytes; at most {MAX_BODY}",
                declared.unwrap_or(0)
            ),
            None,
        )
        .into_response();
    }
    let resp = next.run(req).await;
    let status = resp.status();
    let ours = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || ours {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    let said = axum::body::to_bytes(body, 4096).await.unwrap_or_default();
    let said = String::from_utf8_lossy(&said).trim().to_string();
    let message = if said.is_empty() {
        status.canonical_reason().unwrap_or("error").to_lowercase()
    } else {
        said
    };
    let code = ErrorCode::for_status(status.as_u16());
    let mut out = (status, Json(code.body(message, None))).into_response();
    if let Some(allow) = parts.headers.get(header::ALLOW) {
        out.headers_mut().insert(header::ALLOW, allow.clone());
    }
    out
}

async fn favicon() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "image/svg+xml")],
        include_str!("page/favicon.svg"),
    )
}

/// The router: every endpoint, with the limits and security headers.
pub fn app(idx: Arc<TravauxIndex>) -> Router {
    let state = AppState { idx };
    Router::new()
        .route("/", get(page))
        .route("/app.js", get(script))
        .route("/app.css", get(style))
        .route("/favicon.svg", get(favicon))
        .route("/favicon.ico", get(favicon))
        .route("/api/health", get(health))
        .route("/api/search", get(search_get).post(search_post))
        .route("/api/feed.atom", get(feed::feed))
        .route("/api/alerts", get(feed::alerts))
        .route("/api/alerts/{file}", get(feed::alert_feed))
        .route("/api/search/batch", axum::routing::post(batch))
        .route("/api/export", get(export))
        .route("/api/passages/{id}", get(passage))
        .route("/api/documents", get(documents))
        .route("/api/documents/{id}", get(document))
        .route("/api/facets", get(facets))
        .route("/api/overview", get(overview))
        .route("/documents/{id}", get(page))
        .route("/api/speakers", get(speakers))
        .route("/api/works", get(works))
        .route("/api/precedent", axum::routing::post(precedent))
        .route("/api/works/{work}/diff", get(work_diff))
        .route("/api/passages/{id}/lineage", get(passage_lineage))
        .route("/api/openapi.json", get(openapi))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .layer(axum::middleware::from_fn(shape_errors))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"),
        ))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .with_state(state)
}

/// Serves until Ctrl-C or SIGTERM; in-flight requests finish first.
pub async fn serve(idx: Arc<TravauxIndex>, addr: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    println!(
        "travaux is serving {} on http://{bound}/",
        idx.dir.display()
    );
    let reloader = idx.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        loop {
            tick.tick().await;
            let r = reloader.clone();
            let _ = tokio::task::spawn_blocking(move || r.reader.reload()).await;
        }
    });
    accept_loop(listener, app(idx)).await
}

/// How long a client may take to send a request's headers. axum's own `serve` sets no such
/// limit, so a client that opens a connection and trickles bytes would hold it for ever.
const HEADER_READ: Duration = Duration::from_secs(10);

/// Accepts connections and serves each with a deadline for its request headers; on Ctrl-C or
/// SIGTERM stops accepting and lets in-flight requests finish.
async fn accept_loop(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    let mut connections = tokio::task::JoinSet::new();
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(c) => c,
                // A connection that failed before it was accepted (reset, too many files): go on.
                Err(_) => continue,
            },
            _ = &mut shutdown => break,
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let mut stop = stop_rx.clone();
        connections.spawn(async move {
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_READ)
                // Room beyond the limits `shape_errors` enforces, so that they are answered
                // with a JSON error rather than hyper's bare status.
                .max_buf_size(4 * MAX_HEADERS + MAX_URI)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            tokio::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = stop.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
        });
        // Forget the connections that are done.
        while connections.try_join_next().is_some() {}
    }
    let _ = stop_tx.send(true);
    while connections.join_next().await.is_some() {}
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    println!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The published document describes the request the handlers read: every field a JSON
    /// body accepts is a documented query parameter and a property of the schema.
    #[test]
    fn the_openapi_document_follows_the_search_request() {
        let doc = openapi_document();
        let params: Vec<&str> = doc["paths"]["/api/search"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        let full = SearchRequest {
            id: Some(json!(1)),
            q: Some("x".into()),
            sort: Some(crate::request::Sort::Date),
            limit: Some(1),
            offset: Some(0),
            facets: Some(true),
            from: Some("2025".into()),
            to: Some("2025".into()),
            ..SearchRequest::default()
        };
        let mut fields: Vec<String> = serde_json::to_value(&full)
            .unwrap()
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        fields.extend(
            [
                "speaker", "label", "agency", "topic", "kind", "version", "work", "doc", "language",
            ]
            .map(String::from),
        );
        let schema = &doc["components"]["schemas"]["SearchRequest"]["properties"];
        for f in &fields {
            assert!(schema.get(f).is_some(), "{f} missing from the schema");
            if f != "id" {
                assert!(
                    params.contains(&f.as_str()),
                    "{f} missing from the parameters"
                );
            }
        }
        assert!(params.contains(&"language"));
        let codes = &doc["components"]["schemas"]["ErrorCode"]["enum"];
        assert!(codes.as_array().unwrap().iter().any(|c| c == "bad_json"));
    }
}
