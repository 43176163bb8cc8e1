//! The page: HTML, script and style embedded at build, served at `/` and for every document
//! reader address (`/documents/{id}`); the script reads the API.

use super::AppState;
use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::Router;

/// The page's routes (outside the API and its OpenAPI document).
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(page))
        .route("/documents/{id}", get(page))
        .route("/app.js", get(script))
        .route("/app.css", get(style))
        .route("/favicon.svg", get(favicon))
        .route("/favicon.ico", get(favicon))
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

async fn favicon() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "image/svg+xml")],
        include_str!("page/favicon.svg"),
    )
}
