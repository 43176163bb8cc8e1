//! The HTTP server: a JSON API under `/api` and a search page at `/`, over the same
//! [`crate::query::search`] functions the CLI uses. Read-only: it never writes the index, so a
//! `travaux ingest` in another process can add documents while it runs; the server reloads the
//! index every second and new documents appear without a restart.
//!
//! Every user mistake is a 4xx with `{"error": {"code", "message", "hint"}}`. Bounds: 100 hits
//! a page, 1,000 queries a batch, 2 MB a body, 10 s a request.
//!
//! May use: every layer below; one file per resource (search, documents, versions, feeds, the
//! page), each handler thin over the library, and one route table (`api`) that is also the OpenAPI
//! document.

mod documents;
mod feed;
mod http;
mod openapi;
mod page;
mod search;
mod versions;

pub use http::ApiError;
pub use openapi::openapi_document;

use crate::index::TravauxIndex;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, StatusCode};
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use utoipa::OpenApi as _;
use utoipa_axum::router::OpenApiRouter;

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
    /// Where users reach the server (`--base-url`), for links that leave it (feeds); when
    /// unset, each request's `Host`.
    base_url: Option<Arc<str>>,
}

/// The route table of the API: every endpoint with its OpenAPI operation, by resource. The
/// server runs these routes and the OpenAPI document is made from them, so the two cannot differ.
fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .merge(search::routes())
        .merge(feed::routes())
        .merge(documents::routes())
        .merge(versions::routes())
        .merge(openapi::routes())
}

/// The router: every endpoint, with the limits and security headers.
pub fn app(idx: Arc<TravauxIndex>) -> Router {
    app_at(idx, None)
}

/// The router, with the address users reach the server at (`https://host/prefix`), which
/// absolute links use instead of each request's `Host`.
pub fn app_at(idx: Arc<TravauxIndex>, base_url: Option<String>) -> Router {
    let base_url = base_url.map(|b| Arc::from(b.trim_end_matches('/')));
    let state = AppState { idx, base_url };
    let (api, _) = api().split_for_parts();
    api.merge(page::routes())
        .fallback(http::not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .layer(axum::middleware::from_fn(http::shape_errors))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"),
        ))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .with_state(state)
}

/// Serves until Ctrl-C or SIGTERM; in-flight requests finish first.
pub async fn serve(
    idx: Arc<TravauxIndex>,
    addr: SocketAddr,
    base_url: Option<String>,
) -> std::io::Result<()> {
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
    accept_loop(listener, app_at(idx, base_url)).await
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
    use super::openapi_document;

    /// The published pattern of a date parameter accepts exactly what the server reads as a
    /// date: a client that follows the document is never refused, and one that does not is.
    #[test]
    fn the_date_pattern_is_the_servers_calendar() {
        let doc = openapi_document();
        let pattern = doc["components"]["schemas"]["SearchRequest"]["properties"]["from"]
            ["pattern"]
            .as_str()
            .expect("a pattern for from");
        let re = regex::Regex::new(pattern).unwrap();
        let mut candidates = vec![String::new(), "0000".into(), "999".into(), "12345".into()];
        for y in [
            "0999", "1000", "1900", "2000", "2023", "2024", "2100", "2400", "9999",
        ] {
            candidates.push(y.to_string());
            for m in 0..=13 {
                candidates.push(format!("{y}-{m:02}"));
                for d in [0, 1, 28, 29, 30, 31, 32] {
                    candidates.push(format!("{y}-{m:02}-{d:02}"));
                }
            }
        }
        for c in &candidates {
            let req = SearchRequest {
                from: Some(c.clone()),
                ..SearchRequest::default()
            };
            let server = crate::query::search::check(&req).is_ok();
            assert_eq!(re.is_match(c), server, "`{c}`: schema and server disagree");
        }
    }
    use crate::query::search::SearchRequest;
    use serde_json::json;

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
            sort: Some(crate::query::request::Sort::Date),
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
            crate::query::filters::FILTERS
                .iter()
                .map(|f| f.name.to_string()),
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
