//! The HTTP server: a JSON API under `/api` and a search page at `/`, over the same
//! [`crate::search`] functions the CLI uses. Read-only: it never writes the index, so a
//! `travaux ingest` in another process can add documents while it runs; the server reloads the
//! index every second and new documents appear without a restart.
//!
//! Every user mistake is a 4xx with `{"error": {"code", "message", "hint"}}`. Bounds: 100 hits
//! a page, 1,000 queries a batch, 2 MB a body, 10 s a request.

use crate::errors::ErrorCode;
use crate::index::TravauxIndex;
use crate::lineage;
use crate::search::{self, SearchError, SearchRequest};
use crate::stats;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
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
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PassageParams {
    /// Passages on each side (0–50).
    context: Option<usize>,
}

/// `GET /api/speakers`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SpeakersParams {
    doc: Option<String>,
}

/// `GET /api/works/{work}/diff`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DiffParams {
    from: Option<String>,
    to: Option<String>,
    topic: Option<String>,
    q: Option<String>,
    changed: Option<bool>,
}

async fn health(State(st): State<AppState>) -> Json<Value> {
    let n = st.idx.reader.searcher().num_docs();
    Json(json!({"status": "ok", "passages": n, "version": env!("CARGO_PKG_VERSION")}))
}

async fn search_get(State(st): State<AppState>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let req =
        SearchRequest::from_query_string(q.as_deref().unwrap_or("")).map_err(SearchError::from)?;
    run_search(st, req).await
}

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
        let resp = search::search(&st.idx, &req)?;
        serde_json::to_vec(&resp).map_err(|e| SearchError::Internal(e.to_string()))
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

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
        Ok(out)
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], out).into_response())
}

async fn export(State(st): State<AppState>, RawQuery(q): RawQuery) -> ApiResult<Response> {
    let req =
        SearchRequest::from_query_string(q.as_deref().unwrap_or("")).map_err(SearchError::from)?;
    if req.limit.is_some() || req.offset.is_some() {
        return Err(SearchError::BadParam {
            param: if req.limit.is_some() {
                "limit"
            } else {
                "offset"
            },
            message: "an export answers every match: it takes no limit or offset".into(),
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
        let _ = search::for_each_match(&st.idx, &searcher, &req, |p| {
            let mut line = serde_json::to_vec(&p).unwrap_or_default();
            line.push(b'\n');
            tx.blocking_send(Ok(Bytes::from(line))).is_ok()
        });
    });
    let stream = tokio_stream::wrappers::ReceiverStream::new(rx);
    Ok((
        [(header::CONTENT_TYPE, "application/x-ndjson")],
        Body::from_stream(stream),
    )
        .into_response())
}

async fn passage(
    State(st): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<Value>> {
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
    Ok(Json(json!({
        "passage": p,
        "document": shown.document,
        "context": shown.passages,
        "refers_to": links.as_ref().map(|l| &l.refers_to),
        "statements": links.as_ref().map(|l| &l.statements),
    })))
}

/// An endpoint that takes no parameters refuses any, rather than ignoring them.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct NoParams {}

async fn documents(State(st): State<AppState>, RawQuery(q): RawQuery) -> ApiResult<Json<Value>> {
    let NoParams {} = query(&q)?;
    let docs = blocking(move || stats::documents(&st.idx)).await?;
    Ok(Json(json!({"total": docs.len(), "documents": docs})))
}

async fn document(State(st): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    if id.contains(':') {
        return Err(SearchError::NotFound(format!(
            "`{id}` is a passage id: use /api/passages/{id}"
        ))
        .into());
    }
    let shown = blocking(move || stats::show(&st.idx, &id, 0)).await?;
    Ok(Json(
        json!({"document": shown.document, "passages": shown.passages}),
    ))
}

async fn facets(State(st): State<AppState>, RawQuery(q): RawQuery) -> ApiResult<Json<Value>> {
    let NoParams {} = query(&q)?;
    let s = blocking(move || stats::stats(&st.idx)).await?;
    Ok(Json(
        json!({"documents": s.documents, "passages": s.passages, "facets": s.by}),
    ))
}

async fn speakers(
    State(st): State<AppState>,
    RawQuery(q): RawQuery,
) -> ApiResult<Json<stats::Speakers>> {
    let SpeakersParams { doc } = query(&q)?;
    let s = blocking(move || stats::speakers(&st.idx, doc.as_deref())).await?;
    Ok(Json(s))
}

async fn works(State(st): State<AppState>, RawQuery(q): RawQuery) -> ApiResult<Json<Value>> {
    let NoParams {} = query(&q)?;
    let w = blocking(move || lineage::works(&st.idx)).await?;
    Ok(Json(json!({"works": w})))
}

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
    let narrow = lineage::Narrow { topic, q };
    let mut d =
        blocking(move || lineage::diff(&st.idx, &work, from.as_deref(), to.as_deref(), &narrow))
            .await?;
    if changed.unwrap_or(false) {
        d.paragraphs
            .retain(|p| p.status != lineage::Status::Unchanged);
    }
    Ok(Json(d))
}

async fn passage_lineage(
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<Value>> {
    let (l, statements) = blocking(move || {
        let l = lineage::lineage(&st.idx, &id)?;
        let statements = crate::references::statements_about_lineage(&st.idx, &l)?;
        Ok((l, statements))
    })
    .await?;
    Ok(Json(json!({
        "work": l.work,
        "passage": l.passage,
        "steps": l.steps,
        "statements": statements,
    })))
}

async fn precedent(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<Value>> {
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
    Ok(Json(json!({"total": found.len(), "precedents": found})))
}

async fn openapi() -> impl IntoResponse {
    static DOC: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    let doc =
        DOC.get_or_init(|| serde_json::to_vec_pretty(&openapi_document()).unwrap_or_default());
    ([(header::CONTENT_TYPE, "application/json")], doc.as_slice())
}

/// The OpenAPI document: `openapi.json` for the operations and answers, with the search
/// request's schema and query parameters generated from [`SearchRequest`] itself, and the error
/// codes from [`ErrorCode::ALL`].
pub fn openapi_document() -> Value {
    use utoipa::{IntoParams, PartialSchema, ToSchema};
    let mut doc: Value =
        serde_json::from_str(include_str!("openapi.json")).expect("openapi.json is valid JSON");
    let mut schemas = Vec::new();
    SearchRequest::schemas(&mut schemas);
    schemas.push((SearchRequest::name().into_owned(), SearchRequest::schema()));
    for (name, schema) in schemas {
        doc["components"]["schemas"][name] = json!(schema);
    }
    let params = SearchRequest::into_params(|| Some(utoipa::openapi::path::ParameterIn::Query));
    let all = json!(params);
    // An export answers every match: it takes the filters, not the page or the facets.
    let export: Vec<&Value> = all
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| {
            !matches!(
                p["name"].as_str(),
                Some("limit" | "offset" | "facets" | "sort")
            )
        })
        .collect();
    doc["paths"]["/api/search"]["get"]["parameters"] = all.clone();
    doc["paths"]["/api/export"]["get"]["parameters"] = json!(export);
    let codes: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]["enum"] =
        json!(codes);
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
        .route("/api/search/batch", axum::routing::post(batch))
        .route("/api/export", get(export))
        .route("/api/passages/{id}", get(passage))
        .route("/api/documents", get(documents))
        .route("/api/documents/{id}", get(document))
        .route("/api/facets", get(facets))
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
        let codes = &doc["components"]["schemas"]["Error"]["properties"]["error"]["properties"]
            ["code"]["enum"];
        assert!(codes.as_array().unwrap().iter().any(|c| c == "bad_json"));
    }
}
