//! Saved searches and alerts, driven as a user drives them: save a search, ingest a new
//! version of a work and a new meeting, and check what the alert reports; follow the saved
//! search as a feed from the server.

use crate::common::*;
use crate::http::*;
use serde_json::Value;

fn res(name: &str) -> String {
    corpus()
        .join("resolutions")
        .join(name)
        .to_str()
        .unwrap()
        .to_string()
}

fn check(idx: &str, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["alerts", "check", "--json", "--index", idx];
    args.extend_from_slice(extra);
    ok(&args)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect()
}

#[test]
fn an_alert_fires_on_the_next_ingest_of_a_version_or_meeting_that_matches_it() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("index");
    let idx = idx.to_str().unwrap();
    ok(&[
        "ingest",
        "--index",
        idx,
        &res("a-c2-80-l17-ict4sd-draft-g77.txt"),
    ]);
    ok(&[
        "alerts",
        "add",
        "--index",
        idx,
        "dpi",
        "digital public infrastructure",
    ]);
    ok(&[
        "alerts",
        "add",
        "--index",
        idx,
        "unesco-says",
        "--kind",
        "transcript",
        "--agency",
        "UNESCO",
    ]);
    // A name that cannot be a feed's, and a name taken, are refused with the reason.
    let bad = travaux(&["alerts", "add", "--index", idx, "no/slash", "x"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("letters, digits"));
    let taken = travaux(&["alerts", "add", "--index", idx, "dpi", "x"]);
    assert!(String::from_utf8_lossy(&taken.stderr).contains("already"));
    let list = json(&["alerts", "list", "--json", "--index", idx]);
    assert_eq!(list.as_array().unwrap().len(), 2, "{list}");
    // The index and registries are global options: before the command, or between a command
    // and its subcommand, as well as after it.
    assert_eq!(json(&["--index", idx, "alerts", "list", "--json"]), list);
    assert_eq!(json(&["alerts", "--index", idx, "list", "--json"]), list);
    assert_eq!(list[0]["search"], "q=digital+public+infrastructure");

    // Nothing new yet: nothing to report, and nothing printed for cron.
    assert!(check(idx, &[]).is_empty());
    assert_eq!(ok(&["alerts", "check", "--index", idx]), "");

    // The revised draft: its paragraph on digital public infrastructure was edited.
    ok(&[
        "ingest",
        "--index",
        idx,
        &res("a-c2-80-l58-ict4sd-revised.txt"),
    ]);
    let items = check(idx, &["--dry-run"]);
    let dpi: Vec<&Value> = items.iter().filter(|i| i["alert"] == "dpi").collect();
    assert_eq!(dpi.len(), 1, "{items:?}");
    let it = &dpi[0]["item"];
    assert_eq!(it["what"], "paragraph");
    assert_eq!(it["status"], "edited");
    assert_eq!(it["document"]["symbol"], "A/C.2/80/L.58");
    assert_eq!(it["passage"]["locator"]["paragraph"], "59");
    assert_eq!(it["was"][0]["paragraph"], "58");
    assert_eq!(it["previous"]["symbol"], "A/C.2/80/L.17");
    let inserted: Vec<&str> = it["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["op"] == "insert")
        .map(|c| c["text"].as_str().unwrap())
        .collect();
    assert_eq!(inserted, ["effective "], "{it}");
    // A dry run records nothing: the same report again, then a real check, then silence.
    assert_eq!(check(idx, &["--dry-run"]).len(), items.len());
    let text = ok(&["alerts", "check", "--index", idx, "dpi"]);
    assert!(
        text.contains("dpi: 1 changed paragraph in 1 document"),
        "{text}"
    );
    assert!(
        text.contains("edited (was para. 58 of A/C.2/80/L.17)"),
        "{text}"
    );
    assert!(text.contains("{+effective +}"), "{text}");
    assert!(check(idx, &["dpi"]).is_empty());

    // A meeting where UNESCO speaks and DPI is named: new passages for both alerts, each with
    // its timestamp, speaker and agency.
    let meeting = corpus().join("transcripts/wsis20-ungis-consultation-2025-11-17-teams.txt");
    ok(&["ingest", "--index", idx, meeting.to_str().unwrap()]);
    let items = check(idx, &[]);
    let of = |name: &str| -> Vec<&Value> {
        items
            .iter()
            .filter(|i| i["alert"] == name)
            .map(|i| &i["item"])
            .collect()
    };
    assert!(
        !of("unesco-says").is_empty() && !of("dpi").is_empty(),
        "{items:?}"
    );
    for i in of("unesco-says") {
        assert_eq!(i["what"], "passage");
        assert_eq!(i["passage"]["agency"], "UNESCO", "{i}");
        assert!(i["passage"]["locator"]["timestamp"].is_u64(), "{i}");
    }
    for i in of("dpi") {
        let text = i["passage"]["text"].as_str().unwrap().to_lowercase();
        assert!(
            text.contains("dpi") || text.contains("digital public infrastructure"),
            "{i}"
        );
    }
    assert!(check(idx, &[]).is_empty());

    // The server publishes each saved search as a feed, reading the file as it is now.
    let server = Server::start(std::path::Path::new(idx));
    let list = get(&server.addr, "/api/alerts").json();
    assert_eq!(list["alerts"][0]["feed"], "/api/alerts/dpi.atom");
    let feed = get(&server.addr, "/api/alerts/dpi.atom");
    assert_eq!(feed.status, 200);
    assert!(feed
        .header("content-type")
        .unwrap()
        .starts_with("application/atom+xml"));
    let body = feed.text();
    assert!(
        body.contains("<title>travaux: digital public infrastructure</title>"),
        "{body}"
    );
    assert!(body.contains("A/C.2/80/L.58 · para. 59"), "{body}");
    // Links are absolute, from the address the request was sent to: a feed reader resolves
    // relative links against wherever it keeps the feed.
    let base = format!("http://{}", server.addr);
    let hrefs: Vec<&str> = body
        .split("href=\"")
        .skip(1)
        .map(|r| r.split('"').next().unwrap())
        .collect();
    assert!(hrefs.len() >= 3, "{body}");
    for h in &hrefs {
        assert!(h.starts_with(&base), "{h} is not under {base}");
    }
    assert!(
        body.contains(&format!(
            "<link rel=\"self\" href=\"{base}/api/alerts/dpi.atom\"/>"
        )),
        "{body}"
    );
    assert!(
        hrefs
            .iter()
            .any(|h| h.contains("/documents/") && h.contains("#p-")),
        "{body}"
    );
    let missing = get(&server.addr, "/api/alerts/nope.atom");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("no saved search is named `nope`"));
    ok(&["alerts", "remove", "--index", idx, "dpi"]);
    assert_eq!(get(&server.addr, "/api/alerts/dpi.atom").status, 404);
    let gone = travaux(&["alerts", "remove", "--index", idx, "dpi"]);
    assert!(String::from_utf8_lossy(&gone.stderr).contains("no saved search is named `dpi`"));
}
