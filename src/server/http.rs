//! What every handler shares: error answers in one shape whatever layer makes them, request
//! bodies and query strings read into typed requests, and index work run off the async threads.

use super::{MAX_BODY, MAX_HEADERS, MAX_URI};
use crate::errors::ErrorCode;
use crate::query::search::SearchError;
use axum::body::Bytes;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;

/// An error answer.
pub struct ApiError {
    status: StatusCode,
    body: Value,
}

impl ApiError {
    pub(super) fn new(code: ErrorCode, message: impl Into<String>, hint: Option<&str>) -> ApiError {
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

pub(super) type ApiResult<T> = Result<T, ApiError>;

/// Runs blocking index work off the async threads.
pub(super) async fn blocking<T: Send + 'static>(
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

pub(super) fn parse_json<T: serde::de::DeserializeOwned>(body: &Bytes) -> ApiResult<T> {
    serde_json::from_slice(body).map_err(|e| {
        ApiError::new(
            ErrorCode::BadJson,
            format!("the body is not a valid request: {e}"),
            None,
        )
    })
}

/// A body that must be one JSON object (an array would fill a request's fields by position).
pub(super) fn parse_object<T: serde::de::DeserializeOwned>(body: &Bytes) -> ApiResult<T> {
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
pub(super) enum BodyType {
    Json,
    Ndjson,
}

/// The body's declared type: `application/json`, or for a batch also `application/x-ndjson`.
/// Anything else is a 415: a browser sends other types from any page without asking, JSON only
/// after a CORS preflight.
pub(super) fn body_type(headers: &HeaderMap, ndjson_allowed: bool) -> ApiResult<BodyType> {
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
pub(super) fn query<T: serde::de::DeserializeOwned>(q: &Option<String>) -> ApiResult<T> {
    crate::query::request::from_query_string(q.as_deref().unwrap_or(""))
        .map_err(|e| SearchError::from(e).into())
}

/// An endpoint that takes no parameters refuses any, rather than ignoring them.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NoParams {}

/// Hands memory freed by a large answer back to the system. glibc keeps freed memory in its
/// arenas for reuse; after a batch has built and dropped thousands of answers, that is tens of
/// megabytes a long-running server would hold for nothing.
pub(super) fn give_back_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of the allocator's heaps to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

pub(super) async fn not_found() -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        "no such endpoint",
        Some("GET /api/openapi.json lists the endpoints"),
    )
}

/// Every error answer in the one JSON shape, whatever layer made it: limits are checked before
/// the request is read (so `Expect: 100-continue` with a huge body is refused at once), and an
/// error status that routing, a limit or the timeout produced without our body gets one.
pub(super) async fn shape_errors(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
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
