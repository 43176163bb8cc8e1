//! The HTTP API in process: requests sent straight to the router (no socket), as a client
//! would send them, and the JSON contracts users script against kept as snapshots
//! (`tests/snapshots/`). Socket-level behaviour (slow clients, limits, reload while serving)
//! stays in the tests over a real port.

use crate::common::corpus;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;
use travaux::index::TravauxIndex;
use travaux::pipeline::{self, IngestOptions};
use travaux::registry::Registry;

/// An index of two real documents: the WSIS+20 consultation and a resolution.
fn index() -> Arc<TravauxIndex> {
    static IDX: OnceLock<(tempfile::TempDir, Arc<TravauxIndex>)> = OnceLock::new();
    IDX.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let index_dir = dir.path().join("index");
        let registry = Arc::new(Registry::embedded());
        let files: Vec<PathBuf> = [
            "transcripts/wsis20-ungis-consultation-2025-11-17-teams.txt",
            "resolutions/a-res-80-16-ict-security-oewg-adopted.txt",
        ]
        .iter()
        .map(|f| corpus().join(f))
        .collect();
        let opts = IngestOptions {
            index_dir: index_dir.clone(),
            ..IngestOptions::default()
        };
        pipeline::ingest(&files, &opts, registry.clone()).unwrap();
        let idx = TravauxIndex::open(&index_dir, registry).unwrap();
        (dir, Arc::new(idx))
    })
    .1
    .clone()
}

/// Sends one request to the router and returns the status and the JSON body.
fn call(method: &str, uri: &str, content_type: Option<&str>, body: &str) -> (StatusCode, Value) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        let resp = travaux::server::app(index())
            .oneshot(req.body(Body::from(body.to_string())).unwrap())
            .await
            .unwrap();
        let status = resp.status();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        let v = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (status, v)
    })
}

/// Scores depend on the index's statistics, not on the contract: shown as a placeholder.
fn without_scores(mut v: Value) -> Value {
    if let Some(hits) = v.get_mut("hits").and_then(Value::as_array_mut) {
        for h in hits {
            h["score"] = Value::String("[score]".into());
        }
    }
    v
}

#[test]
fn a_search_answer_keeps_its_shape() {
    let (status, v) = call(
        "GET",
        "/api/search?q=literacy&agency=UNESCO&limit=1&facets=false",
        None,
        "",
    );
    assert_eq!(status, StatusCode::OK);
    insta::assert_json_snapshot!("search_hit", without_scores(v));
}

#[test]
fn errors_keep_their_shape() {
    let (status, v) = call("GET", "/api/search?agnecy=WHO", None, "");
    assert_eq!(status, StatusCode::BAD_REQUEST);
    insta::assert_json_snapshot!("unknown_parameter", v);
    let (status, v) = call("GET", "/api/search?agency=UNESKO", None, "");
    assert_eq!(status, StatusCode::BAD_REQUEST);
    insta::assert_json_snapshot!("unknown_value", v);
    let (status, v) = call(
        "POST",
        "/api/search/batch",
        Some("application/json"),
        r#"[{"id": 1, "q": "literacy", "limit": 1, "facets": false}, {"q": 3}]"#,
    );
    assert_eq!(status, StatusCode::OK);
    insta::assert_json_snapshot!("batch_with_a_bad_item", without_scores_in_batch(v));
}

fn without_scores_in_batch(v: Value) -> Value {
    Value::Array(
        v.as_array()
            .unwrap()
            .iter()
            .cloned()
            .map(without_scores)
            .collect(),
    )
}

#[test]
fn the_published_document_lists_every_search_parameter() {
    let (status, doc) = call("GET", "/api/openapi.json", None, "");
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = doc["paths"]["/api/search"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    insta::assert_json_snapshot!("search_parameters", names);
    // Each documented parameter is one the server takes.
    for n in &names {
        let value = match *n {
            "limit" | "offset" => "1",
            "facets" => "false",
            "sort" => "date",
            "from" | "to" => "2025-01-01",
            _ => "",
        };
        let (status, v) = call("GET", &format!("/api/search?{n}={value}"), None, "");
        let message = v["error"]["message"].as_str().unwrap_or("");
        assert!(!message.contains("unknown field"), "{n}: {status} {v}");
    }
}
