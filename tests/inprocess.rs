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
use travaux::ingest::pipeline::{self, IngestOptions};
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
    let headers: Vec<(&str, &str)> = content_type
        .map(|c| ("content-type", c))
        .into_iter()
        .collect();
    let (status, _, v) = call_with(method, uri, &headers, body);
    (status, v)
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
        r#"[{"id": 1, "q": "literacy", "limit": 1, "facets": false}, {"id": 2, "q": "\"unclosed"}]"#,
    );
    assert_eq!(status, StatusCode::OK);
    insta::assert_json_snapshot!("batch_with_a_bad_item", without_scores_in_batch(v));
    // An item that is not a search request gets its own error, with its `id`, in its place;
    // the others are answered.
    let (status, v) = call(
        "POST",
        "/api/search/batch",
        Some("application/json"),
        r#"[{"id": "a", "q": "literacy", "limit": 1}, {"id": "b", "q": 3}, 7, {"id": "d", "q": "capacity"}]"#,
    );
    assert_eq!(status, StatusCode::OK);
    let items = v.as_array().expect("one answer per item");
    assert_eq!(items.len(), 4);
    assert_eq!(items[0]["id"], "a");
    assert!(items[0]["total"].as_u64().unwrap() > 0, "{}", items[0]);
    assert_eq!(items[1]["id"], "b");
    assert_eq!(items[1]["error"]["code"], "bad_json");
    assert_eq!(items[1]["line"], 2);
    assert!(items[1]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("item 2"));
    assert_eq!(items[2]["error"]["code"], "bad_json");
    assert!(items[2]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("a number"));
    assert_eq!(items[3]["id"], "d");
    assert!(items[3].get("error").is_none(), "{}", items[3]);
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

/// Sends a request with extra headers; returns the status, the headers and the JSON body.
fn call_with(
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (StatusCode, axum::http::HeaderMap, Value) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut req = Request::builder().method(method).uri(uri);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = travaux::server::app(index())
            .oneshot(req.body(Body::from(body.to_string())).unwrap())
            .await
            .unwrap();
        let (parts, body) = resp.into_parts();
        let bytes = body.collect().await.unwrap().to_bytes();
        let v = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (parts.status, parts.headers, v)
    })
}

#[test]
fn bodies_must_be_declared_json_objects() {
    for ct in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let headers: Vec<(&str, &str)> = ct.iter().map(|c| ("content-type", *c)).collect();
        for path in ["/api/search", "/api/search/batch", "/api/precedent"] {
            let (status, h, v) = call_with("POST", path, &headers, r#"{"q": "literacy"}"#);
            assert_eq!(
                status,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "{path} {ct:?}: {v}"
            );
            assert_eq!(v["error"]["code"], "unsupported_media_type");
            assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
        }
    }
    let json = [("content-type", "application/json; charset=utf-8")];
    let (status, _, v) = call_with(
        "POST",
        "/api/search",
        &json,
        r#"[null, "capacity building"]"#,
    );
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["error"]["code"], "bad_json");
    let (status, _, _) = call_with("POST", "/api/search", &json, r#"{"q": "literacy"}"#);
    assert_eq!(status, StatusCode::OK);
}

#[test]
fn every_error_is_json_whatever_layer_makes_it() {
    let (status, h, v) = call_with("DELETE", "/api/search", &[], "");
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(v["error"]["code"], "method_not_allowed");
    assert!(h.get("allow").is_some());
    assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
    let (status, _, v) = call_with("GET", "/api/passages/%FF%FE:1", &[], "");
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    assert!(v["error"]["message"].as_str().is_some());
    let long = format!("/api/search?q={}", "a".repeat(20_000));
    let (status, _, v) = call_with("GET", &long, &[], "");
    assert_eq!(status, StatusCode::URI_TOO_LONG);
    assert_eq!(v["error"]["code"], "uri_too_long");
    // A huge declared body is refused before it is read (no 100 Continue, no waiting).
    let (status, _, v) = call_with(
        "POST",
        "/api/search/batch",
        &[
            ("content-type", "application/json"),
            ("content-length", "3000000000"),
            ("expect", "100-continue"),
        ],
        "",
    );
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(v["error"]["code"], "body_too_large");
    let (status, _, v) = call_with("GET", "/api/documents?limit=1", &[], "");
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    for path in ["/api/facets?x=1", "/api/works?x=1", "/api/export?limit=1"] {
        let (status, _, v) = call_with("GET", path, &[], "");
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {v}");
    }
    let (status, h, _) = call_with("GET", "/favicon.ico", &[], "");
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h.get("content-type").unwrap(), "image/svg+xml");
}

#[test]
fn dates_never_wrap_and_are_read_whole() {
    let total = |uri: &str| {
        let (status, v) = call("GET", uri, None, "");
        assert_eq!(status, StatusCode::OK, "{uri}: {v}");
        v["total"].as_u64().unwrap()
    };
    assert!(total("/api/search?facets=false") > 0);
    assert_eq!(total("/api/search?from=3000-01-01&facets=false"), 0);
    assert_eq!(total("/api/search?to=1000-01-01&facets=false"), 0);
    assert!(total("/api/search?from=1000-01-01&facets=false") > 0);
    for bad in ["2025-01-01garbage", "2025-1-1", "20250101"] {
        let (status, v) = call("GET", &format!("/api/search?from={bad}"), None, "");
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {v}");
    }
    let (status, v) = call(
        "POST",
        "/api/precedent",
        Some("application/json"),
        r#"{"text": "media and information literacy", "before": "3000-01-01"}"#,
    );
    assert_eq!(status, StatusCode::OK, "{v}");
    // A bad date is refused even when the text finds nothing to compare.
    let (status, v) = call(
        "POST",
        "/api/precedent",
        Some("application/json"),
        r#"{"text": "X-", "before": "R x"}"#,
    );
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
}

#[test]
fn a_batch_is_bounded_and_its_errors_keep_their_ids() {
    let items: Vec<String> = (0..60)
        .map(|i| format!(r#"{{"id": "q{i}", "q": "literacy", "limit": 100, "facets": false}}"#))
        .collect();
    let bad = r#"{"id": "bad", "q": "\"unclosed"}"#;
    let body = format!("[{bad}, {}]", items.join(","));
    let (status, v) = call("POST", "/api/search/batch", Some("application/json"), &body);
    assert_eq!(status, StatusCode::OK);
    let answers = v.as_array().unwrap();
    assert_eq!(answers.len(), 61);
    assert_eq!(answers[0]["id"], "bad");
    assert_eq!(answers[0]["error"]["code"], "bad_query");
    // 5,000 hits in all: after the first item's 10, forty-nine items of 100 fit; the rest are
    // refused, each with its id.
    let answered = answers.iter().filter(|a| a["hits"].is_array()).count();
    assert_eq!(answered, 49);
    assert_eq!(answers[50]["error"]["code"], "batch_too_large");
    assert_eq!(answers[50]["id"], "q49");
}

#[test]
fn numbers_are_rounded_everywhere() {
    let (_, v) = call(
        "GET",
        "/api/passages/wsis20-ungis-consultation-2025-11-17-teams:28?context=3",
        None,
        "",
    );
    let text = v.to_string();
    let noisy = regex::Regex::new(r"\d\.\d{5,}").unwrap();
    assert!(
        !noisy.is_match(&text),
        "{}",
        noisy.find(&text).unwrap().as_str()
    );
    let (_, v) = call("GET", "/api/search?q=literacy", None, "");
    assert!(!noisy.is_match(&v.to_string()));
}

#[test]
fn queries_as_people_write_them() {
    let total = |uri: &str| {
        let (status, v) = call("GET", uri, None, "");
        assert_eq!(status, StatusCode::OK, "{uri}: {v}");
        v["total"].as_u64().unwrap()
    };
    // Nothing to search for is a mistake, not the whole record; with a filter it is a browse.
    for q in ["*", "OR", "%F0%9F%99%82"] {
        let (status, v) = call("GET", &format!("/api/search?q={q}"), None, "");
        assert_eq!(status, StatusCode::BAD_REQUEST, "{q}: {v}");
        assert_eq!(v["error"]["code"], "bad_query");
    }
    assert!(total("/api/search?q=*&kind=resolution&facets=false") > 0);
    // A prefix finds the words that start so.
    assert!(
        total("/api/search?q=litera*&facets=false") >= total("/api/search?q=literacy&facets=false")
    );
    assert!(total("/api/search?q=litera*&facets=false") > 0);
    // A year or a month is a range; a range that ends before it starts is refused.
    let all = total("/api/search?facets=false");
    assert_eq!(total("/api/search?from=2025&to=2025&facets=false"), all);
    assert_eq!(
        total("/api/search?from=2025-11&to=2025-11&facets=false"),
        total("/api/search?kind=transcript&facets=false")
    );
    let (status, v) = call("GET", "/api/search?from=2026&to=2025", None, "");
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    // Newest first and oldest first, each document's passages in their own order.
    let ids = |uri: &str| -> Vec<String> {
        call("GET", uri, None, "").1["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["id"].as_str().unwrap().to_string())
            .collect()
    };
    let newest = ids("/api/search?sort=date&limit=3&facets=false");
    assert_eq!(
        newest,
        (0..3)
            .map(|i| format!("a-res-80-16-ict-security-oewg-adopted:{i}"))
            .collect::<Vec<_>>()
    );
    let oldest = ids("/api/search?sort=date-asc&limit=3&facets=false");
    assert_eq!(
        oldest,
        (0..3)
            .map(|i| format!("wsis20-ungis-consultation-2025-11-17-teams:{i}"))
            .collect::<Vec<_>>()
    );
}

#[test]
fn documents_and_paragraphs_by_their_symbols() {
    // A passage as the document prints it: symbol and paragraph.
    let (status, v) = call("GET", "/api/passages/A%2FRES%2F80%2F16:2", None, "");
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["passage"]["locator"]["paragraph"], "2");
    assert_eq!(v["passage"]["document"]["symbol"], "A/RES/80/16");
    let (status, v) = call("GET", "/api/passages/a%2Fres%2F80%2F16:PP1", None, "");
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["passage"]["locator"]["paragraph"], "PP1");
    let (status, _) = call("GET", "/api/passages/A%2FRES%2F80%2F16:99", None, "");
    assert_eq!(status, StatusCode::NOT_FOUND);
    // A document, and a filter, by symbol.
    let (status, v) = call("GET", "/api/documents/A%2FRES%2F80%2F16", None, "");
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["document"]["id"], "a-res-80-16-ict-security-oewg-adopted");
    let (status, v) = call("GET", "/api/search?doc=A/RES/80/16&facets=false", None, "");
    assert_eq!(status, StatusCode::OK, "{v}");
    assert!(v["total"].as_u64().unwrap() > 0);
    assert!(v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["document"]["symbol"] == "A/RES/80/16"));
}

/// Sends a GET to the router and returns the status, content type and body as text.
fn get_text(uri: &str) -> (StatusCode, String, String) {
    get_text_at(uri, None)
}

/// The same, from a server told the address users reach it at (`--base-url`).
fn get_text_at(uri: &str, base_url: Option<&str>) -> (StatusCode, String, String) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let req = Request::builder().uri(uri).body(Body::empty()).unwrap();
        let resp = travaux::server::app_at(index(), base_url.map(String::from))
            .oneshot(req)
            .await
            .unwrap();
        let (parts, body) = resp.into_parts();
        let bytes = body.collect().await.unwrap().to_bytes();
        let ct = parts
            .headers
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        (parts.status, ct, String::from_utf8(bytes.to_vec()).unwrap())
    })
}

#[test]
fn a_feed_links_under_the_configured_base_url() {
    let (status, _, body) = get_text_at(
        "/api/feed.atom?q=literacy&limit=2",
        Some("https://example.org/travaux/"),
    );
    assert_eq!(status, StatusCode::OK);
    let doc = roxmltree::Document::parse(&body).unwrap();
    let hrefs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("link"))
        .filter_map(|n| n.attribute("href"))
        .collect();
    assert!(hrefs.len() >= 3, "{body}");
    for h in &hrefs {
        assert!(h.starts_with("https://example.org/travaux/"), "{h}");
        assert!(!h.starts_with("https://example.org/travaux//"), "{h}");
    }
}

#[test]
fn a_search_is_followed_as_an_atom_feed() {
    let (status, ct, body) = get_text("/api/feed.atom?q=literacy&limit=3");
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("application/atom+xml"), "{ct}");
    // A feed reader's parser reads it: a feed with the newest matches as entries.
    let doc = roxmltree::Document::parse(&body).unwrap();
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(
        feed.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let entries: Vec<_> = feed
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    assert!(!entries.is_empty() && entries.len() <= 3);
    for e in &entries {
        let text = |name: &str| {
            e.children()
                .find(|n| n.has_tag_name(name))
                .and_then(|n| n.text())
                .unwrap_or("")
                .to_string()
        };
        assert!(text("id").starts_with("urn:travaux:passage:"));
        let link = e
            .children()
            .find(|n| n.has_tag_name("link"))
            .and_then(|n| n.attribute("href"))
            .unwrap_or("");
        assert!(link.starts_with("http://localhost/documents/"), "{link}");
        assert!(text("content").to_lowercase().contains("literacy"));
        assert!(!text("updated").is_empty());
    }
    // A mistake is answered as every search mistake is.
    for uri in ["/api/feed.atom?limit=0", "/api/feed.atom?offset=&q=x"] {
        let (status, ct, body) = get_text(uri);
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(ct.starts_with("application/json"));
        assert!(body.contains("bad_parameter"), "{body}");
    }
    // An empty filter is no filter, but an empty number is a mistake that names its parameter.
    let (status, _, body) = get_text("/api/search?q=literacy&agency=");
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _, body) = get_text("/api/search?q=literacy&offset=");
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("`offset`"), "{body}");
}

#[test]
fn the_citation_graph_is_served_both_ways() {
    // What a resolution cites, most cited first …
    let (status, v) = call("GET", "/api/documents/A%2FRES%2F80%2F16/cites", None, "");
    assert_eq!(status, StatusCode::OK, "{v}");
    let cites = v["cites"].as_array().unwrap();
    assert!(cites.len() >= 3, "{v}");
    assert!(cites[0]["passages"].as_u64() >= cites.last().unwrap()["passages"].as_u64());
    // … and each of those, asked the other way, is cited by it.
    let key = cites[0]["key"].as_str().unwrap();
    let (status, v) = call("GET", &format!("/api/cited-by?ref={key}"), None, "");
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["key"], key);
    assert!(v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["document"]["symbol"] == "A/RES/80/16"));
    // How widely: the works that cite it, their passages adding up to the whole.
    let works = v["works"].as_array().unwrap();
    assert!(!works.is_empty(), "{v}");
    let sum: u64 = works.iter().map(|w| w["passages"].as_u64().unwrap()).sum();
    assert_eq!(sum, v["passages"].as_u64().unwrap());
    // The most cited texts, and a limit out of bounds named.
    let (status, v) = call("GET", "/api/cited?by=works&limit=3", None, "");
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["cited"].as_array().unwrap().len(), 3);
    for bad in [
        "/api/cited?limit=0",
        "/api/cited?limit=5000",
        "/api/cited?by=size",
    ] {
        let (status, v) = call("GET", bad, None, "");
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {v}");
    }
    // A text nobody cites is cited by nothing, not a mistake.
    let (status, v) = call("GET", "/api/cited-by?ref=A%2FRES%2F12%2F345", None, "");
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["passages"], 0);
    for bad in [
        "/api/cited-by?ref=",
        "/api/cited-by?ref=%20",
        "/api/cited-by",
    ] {
        let (status, v) = call("GET", bad, None, "");
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {v}");
    }
    let (status, _) = call("GET", "/api/documents/no-such-document/cites", None, "");
    assert_eq!(status, StatusCode::NOT_FOUND);
}
