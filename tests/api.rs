//! The HTTP API against a real server on a loopback port, over the real corpus.

use crate::common::*;
use crate::http::*;
use serde_json::{json, Value};
use std::sync::OnceLock;

/// One server over the corpus index for the read-only API tests.
fn server() -> &'static Server {
    static S: OnceLock<Server> = OnceLock::new();
    S.get_or_init(|| Server::start(corpus_index()))
}

fn api(path: &str) -> Resp {
    get(&server().addr, path)
}

fn error_code(r: &Resp) -> String {
    r.json()["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn search_get_and_post_agree_and_filter_by_agency() {
    let g = api("/api/search?agency=UNESCO&limit=100");
    assert_eq!(g.status, 200);
    let g = g.json();
    assert!(g["total"].as_u64().unwrap() >= 5);
    for h in g["hits"].as_array().unwrap() {
        assert_eq!(h["agency"], "UNESCO");
    }
    let facet_sum: u64 = g["facets"]["agency"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(facet_sum, g["total"].as_u64().unwrap());
    let p = post_json(
        &server().addr,
        "/api/search",
        &json!({"agency": ["unesco"], "limit": 100}),
    )
    .json();
    assert_eq!(p["total"], g["total"]);
    assert_eq!(p["hits"][0]["id"], g["hits"][0]["id"]);
    // Repeated filters are alternatives.
    let two = api("/api/search?agency=UNESCO&agency=ILO&limit=1").json();
    assert_eq!(
        two["total"].as_u64().unwrap(),
        g["total"].as_u64().unwrap()
            + api("/api/search?agency=ILO&limit=1").json()["total"]
                .as_u64()
                .unwrap()
    );
}

#[test]
fn user_mistakes_are_4xx_with_a_json_error() {
    let cases: Vec<(Resp, u16, &str)> = vec![
        (api("/api/search?q=%22unclosed"), 400, "bad_query"),
        (api("/api/search?agency=UNESKO"), 400, "unknown_value"),
        (api("/api/search?limit=1000"), 400, "bad_parameter"),
        (api("/api/search?limit=ten"), 400, "bad_parameter"),
        (api("/api/search?from=2025-13-45"), 400, "bad_parameter"),
        (api("/api/search?q=%FF%FE"), 400, "bad_parameter"),
        (api("/api/search?offset=99999"), 400, "bad_parameter"),
        (
            api("/api/search?facet_sample_threshold=0"),
            400,
            "bad_parameter",
        ),
        (
            api("/api/export?facet_sample_threshold=5"),
            400,
            "bad_parameter",
        ),
        (api("/api/search?nonsense=1"), 400, "bad_parameter"),
        (api("/api/passages/no-such-doc:3"), 404, "not_found"),
        (api("/api/documents/no-such-doc"), 404, "not_found"),
        (api("/api/nothing-here"), 404, "not_found"),
        (
            request(
                &server().addr,
                "POST",
                "/api/search",
                Some("application/json"),
                b"{not json",
            ),
            400,
            "bad_json",
        ),
        (
            post_json(
                &server().addr,
                "/api/search",
                &json!({"q": "x", "colour": "red"}),
            ),
            400,
            "bad_json",
        ),
        (
            request(
                &server().addr,
                "POST",
                "/api/search",
                Some("application/json"),
                &vec![b' '; 3 * 1024 * 1024],
            ),
            413,
            "",
        ),
    ];
    for (i, (r, status, code)) in cases.iter().enumerate() {
        assert_eq!(r.status, *status, "case {i}: {}", r.text());
        if !code.is_empty() {
            assert_eq!(error_code(r), *code, "case {i}: {}", r.text());
            assert!(r.json()["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()));
        }
    }
    let batch: Vec<Value> = (0..1001).map(|_| json!({"q": "x"})).collect();
    let r = post_json(&server().addr, "/api/search/batch", &Value::Array(batch));
    assert_eq!(
        (r.status, error_code(&r).as_str()),
        (400, "batch_too_large")
    );
}

#[test]
fn batch_answers_each_query_in_order() {
    let r = post_json(
        &server().addr,
        "/api/search/batch",
        &json!([{"id": 1, "q": "surveillance"}, {"id": 2, "agency": "nobody"}, {"id": 3, "speaker": "Cedric Wachholz", "limit": 2}]),
    );
    assert_eq!(r.status, 200);
    let a = r.json();
    let a = a.as_array().unwrap();
    assert_eq!(a.len(), 3);
    assert_eq!(a[0]["id"], 1);
    assert!(a[0]["total"].as_u64().unwrap() > 0);
    assert_eq!(a[1]["error"]["code"], "unknown_value");
    assert_eq!(a[2]["hits"].as_array().unwrap().len(), 2);
    let nd = request(
        &server().addr,
        "POST",
        "/api/search/batch",
        Some("application/x-ndjson"),
        b"{\"q\":\"privacy\"}\nnot json\n",
    );
    let lines: Vec<Value> = nd
        .text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0]["total"].is_u64());
    assert_eq!(lines[1]["error"]["code"], "bad_json");
}

#[test]
fn export_streams_every_match() {
    let total = api("/api/search?kind=resolution&topic=human-rights&limit=1").json()["total"]
        .as_u64()
        .unwrap();
    let r = api("/api/export?kind=resolution&topic=human-rights");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("application/x-ndjson"));
    let lines: Vec<Value> = r
        .text()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len() as u64, total);
    assert!(total > 20, "more than one page: {total}");
    assert!(lines.iter().all(|p| p["topics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t == "human-rights")));
}

#[test]
fn passages_documents_facets_health_and_openapi() {
    let p = api("/api/passages/un-s-pv9642-pv-en:6?context=2").json();
    assert_eq!(p["passage"]["id"], "un-s-pv9642-pv-en:6");
    let ids: Vec<&str> = p["context"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "un-s-pv9642-pv-en:4",
            "un-s-pv9642-pv-en:5",
            "un-s-pv9642-pv-en:6",
            "un-s-pv9642-pv-en:7",
            "un-s-pv9642-pv-en:8"
        ]
    );
    let docs = api("/api/documents").json();
    assert_eq!(docs["total"], 57);
    let res = docs["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "a-res-80-118-ict4sd-adopted")
        .unwrap();
    assert_eq!(res["version"], "adopted");
    let d = api("/api/documents/a-res-80-118-ict4sd-adopted").json();
    let passages = d["passages"].as_array().unwrap();
    assert_eq!(res["passages"].as_u64(), Some(passages.len() as u64));
    let seqs: Vec<u64> = passages
        .iter()
        .map(|p| p["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(seqs, (0..seqs.len() as u64).collect::<Vec<_>>(), "in order");
    let f = api("/api/facets").json();
    for k in ["agency", "speaker", "topic", "version", "work", "kind"] {
        assert!(
            f["facets"][k].as_object().is_some_and(|m| !m.is_empty()),
            "{k}"
        );
    }
    let s = api("/api/speakers?doc=wsis20-ungis-consultation-2025-11-17-teams").json();
    assert!(s["speakers"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["agency"] == "WHO" && x["speaker"] == "Derek Munene"));
    let bad = api("/api/speakers?who=x");
    assert_eq!(bad.status, 400);
    assert_eq!(api("/api/speakers?doc=nothing-here").status, 404);
    assert_eq!(api("/api/health").json()["status"], "ok");
    let o = api("/api/openapi.json").json();
    assert!(o["paths"]["/api/search"]["get"].is_object());
    let page = api("/");
    assert!(page.text().contains("<form id=\"search\""));
    assert!(page
        .header("content-security-policy")
        .unwrap()
        .contains("script-src 'self'"));
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
}

#[test]
fn a_document_ingested_while_serving_is_found_without_restart() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("i");
    ok(&[
        "ingest",
        "--index",
        idx.to_str().unwrap(),
        corpus()
            .join("transcripts/un-s-pv10100-pv-en.txt")
            .to_str()
            .unwrap(),
    ]);
    let s = Server::start(&idx);
    assert_eq!(
        get(&s.addr, "/api/search?doc=un-s-pv10054-pv-en").status,
        400,
        "not there yet"
    );
    ok(&[
        "ingest",
        "--index",
        idx.to_str().unwrap(),
        corpus()
            .join("transcripts/un-s-pv10054-pv-en.txt")
            .to_str()
            .unwrap(),
    ]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let r = get(&s.addr, "/api/search?doc=un-s-pv10054-pv-en");
        if r.status == 200 && r.json()["total"].as_u64().unwrap() > 0 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the new document never appeared"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

#[test]
fn many_parallel_clients_get_well_formed_answers() {
    let addr = server().addr.clone();
    let paths = [
        "/api/search?q=capacity+building",
        "/api/search?agency=United+States&limit=5",
        "/api/search?q=%22human+rights%22&kind=resolution&sort=date",
        "/api/search?topic=ai&version=adopted",
        "/api/search?q=surveillance+OR+privacy+-encryption",
        "/api/facets",
    ];
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(3);
    let handles: Vec<_> = (0..16)
        .map(|t| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                let mut n = 0;
                while std::time::Instant::now() < deadline {
                    let r = get(&addr, paths[(t + n) % paths.len()]);
                    assert_eq!(r.status, 200, "{}", r.text());
                    let v = r.json();
                    assert!(v.get("total").is_some() || v.get("facets").is_some());
                    n += 1;
                }
                n
            })
        })
        .collect();
    let done: usize = handles
        .into_iter()
        .map(|h| h.join().expect("no client failed"))
        .sum();
    assert!(done >= 16);
}

#[test]
fn works_diff_lineage_precedent_and_references_over_http() {
    let addr = server().addr.clone();
    let w = api("/api/works").json();
    let works = w["works"].as_array().unwrap();
    assert_eq!(works.len(), 8, "the eight version chains of the corpus");
    let ict = works
        .iter()
        .find(|x| {
            x["versions"].as_array().unwrap().len() == 3
                && x["versions"][2]["symbol"] == "A/RES/80/118"
        })
        .expect("the ICT4SD chain");
    let work = ict["work"].as_str().unwrap();
    let d = api(&format!(
        "/api/works/{work}/diff?from=draft&to=adopted&changed=true"
    ))
    .json();
    assert_eq!(d["from"]["symbol"], "A/C.2/80/L.17");
    assert!(d["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["status"] != "unchanged"));
    // A symbol names the work too (its slashes percent-encoded).
    let by_symbol = api("/api/works/A%2FRES%2F80%2F118/diff?from=draft&topic=gender").json();
    assert_eq!(by_symbol["work"], work);
    // Mistakes are 4xx with the reason.
    let r = api(&format!("/api/works/{work}/diff?from=rev9"));
    assert_eq!((r.status, error_code(&r).as_str()), (400, "bad_parameter"));
    let r = api("/api/works/no-such-work/diff");
    assert_eq!((r.status, error_code(&r).as_str()), (400, "unknown_value"));
    let r = api(&format!("/api/works/{work}/diff?colour=red"));
    assert_eq!(r.status, 400);
    // Lineage of a paragraph, with the statements about it.
    let adopted = passages("a-res-80-173-wsis20-outcome-adopted");
    let p38 = adopted
        .iter()
        .find(|p| p["locator"]["paragraph"] == "38")
        .unwrap();
    let l = api(&format!(
        "/api/passages/{}/lineage",
        p38["id"].as_str().unwrap()
    ))
    .json();
    assert_eq!(l["steps"].as_array().unwrap().len(), 2);
    assert_eq!(l["statements"][0]["statement"]["agency"], "WHO");
    assert_eq!(api("/api/passages/nothing:3/lineage").status, 404);
    assert_eq!(api("/api/passages/no-colon/lineage").status, 404);
    // A statement links to its paragraph.
    let s = api(&format!(
        "/api/passages/{}",
        l["statements"][0]["statement"]["id"].as_str().unwrap()
    ))
    .json();
    assert_eq!(
        s["refers_to"][0]["passage"]
            .as_str()
            .unwrap()
            .split(':')
            .next(),
        Some("a-80-l41-wsis20-outcome-final-draft")
    );
    // Precedent.
    let r = post_json(
        &addr,
        "/api/precedent",
        &json!({"text": "the same rights that people have offline must also be protected online", "limit": 3}),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!(v["precedents"].as_array().unwrap().len(), 3);
    assert_eq!(v["precedents"][0]["similarity"], 1.0);
    for bad in [
        json!({"text": ""}),
        json!({"text": "x", "limit": 500}),
        json!({"txt": "x"}),
        json!({"text": "x", "before": "soon"}),
        // A kind that is not one is refused whatever the text finds (here, nothing).
        json!({"text": "zzqx wwvy", "kind": ["__not_a_kind__"]}),
    ] {
        let r = post_json(&addr, "/api/precedent", &bad);
        assert_eq!(r.status, 400, "{bad}: {}", r.text());
    }
}
