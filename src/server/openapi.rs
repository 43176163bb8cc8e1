//! The OpenAPI document: generated from the same route table the server runs (each resource's
//! `routes()`), with what every operation shares added from the error-code table.

use super::AppState;
use crate::errors::{ErrorBody, ErrorCode};
use crate::query::search::SearchRequest;
use axum::http::header;
use axum::response::IntoResponse;
use serde_json::{json, Value};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The OpenAPI endpoint itself.
pub(super) fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(openapi))
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
    components(schemas(ErrorBody, ErrorCode, super::search::BatchAnswer))
)]
pub(super) struct ApiDoc;

/// The OpenAPI document: [`ApiDoc`], with what every operation shares added from the tables
/// it comes from: the statuses the limits, routing and timeout can answer with ([`ErrorCode`]),
/// and the export's parameters (the search request's, less paging).
pub fn openapi_document() -> Value {
    use utoipa::IntoParams;
    let (_, api) = super::api().split_for_parts();
    let mut doc = serde_json::to_value(api).unwrap_or_default();
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
