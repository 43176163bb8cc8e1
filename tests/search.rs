//! Search on the real corpus: filters, facets, phrases, stemming, batch and errors, checked the
//! way a user reading the results would check them.

use crate::common::*;
use serde_json::Value;

fn hits(v: &Value) -> &Vec<Value> {
    v["hits"].as_array().expect("hits")
}

#[test]
fn agency_filter_returns_only_that_delegation_and_facets_add_up() {
    let v = search(&["--agency", "United States", "--limit", "100"]);
    assert!(v["total"].as_u64().unwrap() >= 3);
    for h in hits(&v) {
        assert_eq!(h["agency"], "United States of America", "{h}");
        assert_eq!(h["document"]["kind"], "transcript");
    }
    assert_eq!(
        v["facets"]["agency"]["United States of America"],
        v["total"]
    );
    // Without a filter, the agency facet counts every match, not just the page.
    let all = search(&["security", "--limit", "1"]);
    let kinds: u64 = all["facets"]["kind"]
        .as_object()
        .unwrap()
        .values()
        .map(|c| c.as_u64().unwrap())
        .sum();
    assert_eq!(kinds, all["total"].as_u64().unwrap());
    assert_eq!(hits(&all).len(), 1);
}

#[test]
fn facets_of_a_large_search_are_estimated_from_a_sample_and_say_so() {
    let exact = search(&["security", "--limit", "1"]);
    assert!(
        exact.get("facet_sample").is_none(),
        "{}",
        exact["facet_sample"]
    );
    let total = exact["total"].as_u64().unwrap();
    assert!(total >= 40, "{total}");
    let threshold = total / 4;
    let v = search(&[
        "security",
        "--limit",
        "1",
        "--facet-sample-threshold",
        &threshold.to_string(),
    ]);
    // Sampling changes the counts shown beside the filters, nothing else.
    assert_eq!(v["total"], exact["total"]);
    assert_eq!(v["hits"], exact["hits"]);
    let sample = &v["facet_sample"];
    assert_eq!(sample["matches"], total, "{sample}");
    let counted = sample["counted"].as_u64().unwrap();
    assert!(counted <= threshold && counted * 2 >= threshold, "{sample}");
    // Every passage has one kind: the estimates add up to the total, give or take the
    // rounding of each, and the commonest kind stays the commonest.
    let kinds = |v: &Value| -> Vec<(String, u64)> {
        let mut k: Vec<(String, u64)> = v["facets"]["kind"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, c)| (k.clone(), c.as_u64().unwrap()))
            .collect();
        k.sort_by_key(|e| std::cmp::Reverse(e.1));
        k
    };
    let (estimated, counted_exactly) = (kinds(&v), kinds(&exact));
    let sum: u64 = estimated.iter().map(|(_, c)| c).sum();
    assert!(
        sum.abs_diff(total) <= estimated.len() as u64,
        "{estimated:?} against {total}"
    );
    assert_eq!(
        estimated[0].0, counted_exactly[0].0,
        "{estimated:?} / {counted_exactly:?}"
    );
    // A threshold at the total counts exactly again.
    let again = search(&[
        "security",
        "--limit",
        "1",
        "--facet-sample-threshold",
        &total.to_string(),
    ]);
    assert!(again.get("facet_sample").is_none());
    assert_eq!(again["facets"], exact["facets"]);
}

#[test]
fn speaker_filter_accepts_name_forms() {
    for form in [
        "Cedric Wachholz",
        "Wachholz, Cedric",
        "cedric wachholz",
        "Wachholz",
    ] {
        let v = search(&["--speaker", form, "--limit", "100"]);
        assert!(v["total"].as_u64().unwrap() >= 5, "{form}");
        for h in hits(&v) {
            assert_eq!(h["speaker"], "Cedric Wachholz");
            assert_eq!(h["agency"], "UNESCO");
        }
    }
    // Inline filters work the same.
    let v = search(&["speaker:\"Cedric Wachholz\" literacy"]);
    assert!(hits(&v).iter().all(|h| h["speaker"] == "Cedric Wachholz"));
    assert!(v["total"].as_u64().unwrap() >= 1);
}

#[test]
fn role_filter_finds_who_spoke_in_a_role() {
    // The co-facilitator of the WSIS+20 consultation, by the role the speakers registry gives.
    let v = search(&["--role", "co-facilitator", "--limit", "100"]);
    assert!(v["total"].as_u64().unwrap() >= 10, "{v}");
    for h in hits(&v) {
        assert_eq!(h["role"], "co-facilitator");
        assert_eq!(h["speaker"], "Suela Janina");
    }
    let out = crate::common::travaux(&[
        "search",
        "--index",
        crate::common::corpus_index().to_str().unwrap(),
        "--role",
        "co-facilitatr",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("co-facilitator"));
}

#[test]
fn phrases_keep_stop_words_and_words_are_stemmed() {
    let v = search(&["\"the right to privacy\"", "--limit", "50"]);
    assert!(v["total"].as_u64().unwrap() >= 2);
    for h in hits(&v) {
        // Phrases match stemmed words in order: "the rights to privacy" is the same phrase.
        let t = h["text"].as_str().unwrap().to_lowercase();
        assert!(
            t.contains("the right to privacy") || t.contains("the rights to privacy"),
            "{t}"
        );
        assert!(h["snippet"].as_str().unwrap().contains("<mark>"));
    }
    // "governments" finds passages that only say "government".
    let v = search(&["governments", "--kind", "transcript", "--limit", "100"]);
    assert!(hits(&v).iter().any(|h| {
        let t = h["text"].as_str().unwrap().to_lowercase();
        t.contains("government") && !t.contains("governments")
    }));
    // OR widens, -excluded narrows.
    let a = search(&["surveillance"])["total"].as_u64().unwrap();
    let b = search(&["encryption"])["total"].as_u64().unwrap();
    let either = search(&["surveillance OR encryption"])["total"]
        .as_u64()
        .unwrap();
    assert!(either >= a.max(b) && either <= a + b);
    let without = search(&["surveillance -encryption", "--limit", "100"]);
    assert!(without["total"].as_u64().unwrap() <= a);
    assert!(hits(&without).iter().all(|h| !h["text"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains("encryption")));
}

#[test]
fn version_filter_finds_drafts_and_what_was_said_about_them() {
    let v = search(&["--version", "Rev.1", "--limit", "100"]);
    assert!(v["total"].as_u64().unwrap() >= 3);
    for h in hits(&v) {
        assert!(h["version"].as_array().unwrap().iter().any(|x| x == "rev1"));
    }
    // The WSIS+20 consultation speaks of "Rev One" and "reg one".
    assert!(hits(&v)
        .iter()
        .any(|h| h["document"]["id"] == "wsis20-ungis-consultation-2025-11-17-teams"));
}

#[test]
fn topic_filter_and_browse_in_document_order() {
    let v = search(&[
        "--topic",
        "capacity-building",
        "--kind",
        "resolution",
        "--limit",
        "20",
    ]);
    assert!(v["total"].as_u64().unwrap() > 10);
    for h in hits(&v) {
        assert!(h["topics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "capacity-building"));
    }
    // Browsing one document with no words goes through it in order.
    let v = search(&["--doc", "un-s-pv9642-pv-en", "--limit", "100"]);
    let seqs: Vec<u64> = hits(&v)
        .iter()
        .map(|h| {
            h["id"]
                .as_str()
                .unwrap()
                .rsplit(':')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    assert_eq!(seqs, (0..seqs.len() as u64).collect::<Vec<_>>());
}

#[test]
fn unknown_filter_values_name_the_closest_known_ones() {
    let idx = corpus_index().to_str().unwrap().to_string();
    let out = travaux(&["search", "--index", &idx, "--agency", "UNESKO"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown agency `UNESKO`") && err.contains("UNESCO"),
        "{err}"
    );
    let out = travaux(&["search", "--index", &idx, "\"unclosed"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("never closed"));
    let out = travaux(&["search", "--index", &idx, "--limit", "1000", "x"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("limit"));
}

#[test]
fn batch_answers_every_line_in_order_and_isolates_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("q.ndjson");
    std::fs::write(
        &input,
        concat!(
            "{\"id\": \"a\", \"q\": \"capacity building\", \"agency\": \"WHO\"}\n",
            "not json\n",
            "{\"id\": 7, \"agency\": \"nobody-at-all\"}\n",
            "{\"q\": \"surveillance\", \"limit\": 2, \"kind\": [\"resolution\", \"submission\"]}\n"
        ),
    )
    .unwrap();
    let idx = corpus_index().to_str().unwrap().to_string();
    let out = travaux(&["batch", "--index", &idx, input.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "failed lines make the exit status say so"
    );
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["id"], "a");
    assert!(lines[0]["total"].is_u64());
    assert_eq!(lines[1]["error"]["code"], "bad_json");
    assert!(lines[1]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("line 2"));
    assert_eq!(lines[2]["id"], 7);
    assert_eq!(lines[2]["error"]["code"], "unknown_value");
    assert_eq!(hits(&lines[3]).len(), 2);
    assert!(hits(&lines[3]).iter().all(|h| h["kind"] != "transcript"));
}

#[test]
fn json_hits_carry_full_provenance() {
    let v = search(&[
        "digital public infrastructure",
        "--kind",
        "resolution",
        "--limit",
        "3",
    ]);
    let h = &hits(&v)[0];
    for k in [
        "id",
        "score",
        "kind",
        "speaker",
        "speaker_label",
        "agency",
        "topics",
        "version",
        "locator",
        "text",
        "snippet",
    ] {
        assert!(h.get(k).is_some(), "hit lacks `{k}`: {h}");
    }
    for k in ["id", "title", "kind", "symbol", "work", "version", "date"] {
        assert!(!h["document"][k].is_null(), "document lacks `{k}`: {h}");
    }
    for k in ["paragraph", "section", "timestamp", "line"] {
        assert!(h["locator"].get(k).is_some(), "locator lacks `{k}`");
    }
    for k in ["agency", "speaker", "topic", "kind", "version"] {
        assert!(v["facets"][k].is_object(), "facets lack `{k}`");
    }
}

#[test]
fn exact_phrases_are_exact_and_stems_are_asked_for() {
    let texts = |q: &str| -> Vec<String> {
        search(&[
            q,
            "--kind",
            "resolution",
            "--limit",
            "100",
            "--facets",
            "false",
        ])["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["text"].as_str().unwrap().to_lowercase())
            .collect()
    };
    let exact = texts("\"the right to privacy\"");
    assert!(!exact.is_empty());
    assert!(
        exact.iter().all(|t| t.contains("the right to privacy")),
        "{exact:?}"
    );
    let stemmed = texts("\"the right to privacy\"~");
    assert!(stemmed.iter().any(|t| t.contains("the rights to privacy")));
    assert!(stemmed.len() > exact.len());
    // A word's own forms first.
    let governments = texts("governments");
    assert!(
        governments[..5].iter().all(|t| t.contains("governments")),
        "{:?}",
        &governments[..5]
    );
}

/// The words of a text as a reader would split them: runs of letters and digits, lowercased.
fn plain_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

#[test]
fn quoted_phrases_with_common_words_find_exactly_the_passages_that_hold_them() {
    // From passages of every kind, runs of two and three words with a word as common as "the"
    // or "of" in them (the phrases that are searched through word pairs), each searched quoted
    // within its document.
    let common = [
        "the", "of", "and", "to", "in", "for", "on", "a", "is", "that",
    ];
    let mut requests = Vec::new();
    let mut sources = Vec::new();
    for kind in ["resolution", "transcript", "submission"] {
        let v = search(&["--kind", kind, "--limit", "60", "--facets", "false"]);
        for h in hits(&v) {
            let words = plain_words(h["text"].as_str().unwrap());
            // Two words and three: a phrase its pairs answer alone, or only narrow.
            for n in [2, 3] {
                let Some(run) = words.windows(n).find(|w| {
                    w.iter().any(|x| common.contains(&x.as_str()))
                        && w.iter().all(|x| x.is_ascii() && x.len() < 40)
                }) else {
                    continue;
                };
                let phrase = run.join(" ");
                requests.push(serde_json::json!({
                    "id": requests.len(),
                    "q": format!("\"{phrase}\""),
                    "doc": h["document"]["id"],
                    "limit": 100,
                    "facets": false,
                }));
                sources.push((phrase, h["id"].as_str().unwrap().to_string()));
            }
        }
    }
    assert!(requests.len() >= 240, "{} phrases", requests.len());
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("phrases.ndjson");
    let body: Vec<String> = requests.iter().map(|r| r.to_string()).collect();
    std::fs::write(&input, body.join("\n")).unwrap();
    let idx = corpus_index().to_str().unwrap().to_string();
    let out = ok(&["batch", "--index", &idx, input.to_str().unwrap()]);
    let answers: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers.len(), sources.len());
    for (answer, (phrase, source)) in answers.iter().zip(&sources) {
        let found = hits(answer);
        // The passage the words were taken from is found…
        assert!(
            found.iter().any(|h| h["id"] == source.as_str()),
            "\"{phrase}\" did not find {source}"
        );
        // …and every passage found holds the words side by side.
        let wanted = plain_words(phrase);
        for h in found {
            let words = plain_words(h["text"].as_str().unwrap());
            assert!(
                words.windows(wanted.len()).any(|w| w == wanted.as_slice()),
                "\"{phrase}\" found {}: {}",
                h["id"],
                h["text"]
            );
        }
    }
}

#[test]
fn an_abbreviation_ranks_where_it_is_said_and_its_name_is_marked_whole() {
    let v = search(&["UNGIS", "--limit", "20"]);
    let hits = hits(&v);
    // The consultation says the abbreviation (as speech recognition heard it); the resolutions
    // spell the name out. Both are found, and the expansion does not outrank the word itself.
    let kinds: Vec<&str> = hits
        .iter()
        .map(|h| h["document"]["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"resolution"), "{kinds:?}");
    assert_eq!(kinds[0], "transcript", "{kinds:?}");
    let mut whole = 0;
    for h in hits {
        let snippet = h["snippet"].as_str().unwrap();
        for mark in snippet.split("<mark>").skip(1) {
            let marked = mark.split("</mark>").next().unwrap();
            // A function word is never marked alone, nor a word of the name apart from it.
            assert!(
                ![
                    "the",
                    "on",
                    "of",
                    "united",
                    "nations",
                    "group",
                    "information",
                    "society"
                ]
                .contains(&marked.to_lowercase().as_str()),
                "`{marked}` marked alone in {snippet}"
            );
            whole += usize::from(marked == "United Nations Group on the Information Society");
        }
    }
    assert!(whole > 0, "the name spelt out is marked whole somewhere");
}

#[test]
fn the_texts_a_resolution_builds_on_are_found_both_ways() {
    let idx = corpus_index().to_str().unwrap().to_string();
    // Which texts cite the ten-year WSIS review, as texts cite it or by its symbol.
    let by = json(&["cited-by", "--json", "--index", &idx, "70/125"]);
    assert_eq!(by["key"], "A/RES/70/125");
    let symbols: Vec<&str> = by["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["document"]["symbol"].as_str())
        .collect();
    for s in ["A/RES/80/173", "A/80/L.41", "A/RES/80/118"] {
        assert!(symbols.contains(&s), "{s} not in {symbols:?}");
    }
    // The filter combines with words and other filters, and every hit cites the text.
    let v = search(&[
        "information society",
        "--cites",
        "A/RES/70/125",
        "--kind",
        "resolution",
        "--limit",
        "50",
    ]);
    assert!(v["total"].as_u64().unwrap() > 0);
    for h in v["hits"].as_array().unwrap() {
        let cites: Vec<&str> = h["cites"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["key"].as_str().unwrap())
            .collect();
        assert!(cites.contains(&"A/RES/70/125"), "{h}");
        assert_eq!(h["document"]["kind"], "resolution");
    }
    let inline = search(&["cites:70/125", "--kind", "resolution", "--limit", "1"]);
    assert_eq!(
        inline["total"],
        json(&[
            "search",
            "--json",
            "--index",
            &idx,
            "--cites",
            "70/125",
            "--kind",
            "resolution",
            "--limit",
            "1"
        ])["total"]
    );
    // Nothing to look for is a mistake, not every passage.
    let empty = travaux(&["cited-by", "--index", &idx, " "]);
    assert_eq!(empty.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&empty.stderr).contains("`ref`"));
    // What a resolution cites, most cited first: the WSIS review leads the outcome document.
    let cites = json(&["cites", "--json", "--index", &idx, "A/RES/80/173"]);
    assert_eq!(cites["cites"][0]["key"], "A/RES/70/125");
    assert!(cites["cites"][0]["passages"].as_u64().unwrap() >= 3);
    // Each place says how the text cites it: its preamble recalls the WSIS review.
    let first = &cites["cites"][0]["at"][0];
    assert_eq!(first["locator"]["paragraph"], "PP3", "{first}");
    assert_eq!(first["verb"], "recalling", "{first}");
    // And what cites a text says how each passage does.
    let by = json(&["cited-by", "--json", "--index", &idx, "70/125"]);
    let verbs: Vec<&str> = by["documents"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["passages"].as_array().unwrap())
        .filter_map(|p| p["verb"].as_str())
        .collect();
    assert!(
        verbs.contains(&"recalling") && verbs.contains(&"reaffirming"),
        "{verbs:?}"
    );
    // The most cited texts, each counted as cited-by counts it, in order.
    let top = json(&["cited", "--json", "--index", &idx, "--limit", "5"]);
    let top = top.as_array().unwrap();
    assert_eq!(top.len(), 5);
    let counts: Vec<u64> = top
        .iter()
        .map(|c| c["passages"].as_u64().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    let first = json(&[
        "cited-by",
        "--json",
        "--index",
        &idx,
        top[0]["key"].as_str().unwrap(),
    ]);
    assert_eq!(first["passages"], top[0]["passages"]);
    assert_eq!(
        first["works"].as_array().unwrap().len() as u64,
        top[0]["works"].as_u64().unwrap()
    );
    let by_works = json(&[
        "cited", "--json", "--index", &idx, "--by", "works", "--limit", "5",
    ]);
    let works: Vec<u64> = by_works
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["works"].as_u64().unwrap())
        .collect();
    assert!(works.windows(2).all(|w| w[0] >= w[1]), "{works:?}");
}

#[test]
fn a_diff_says_which_citations_a_version_adds_and_drops() {
    let idx = corpus_index().to_str().unwrap().to_string();
    let d = json(&[
        "diff",
        "--json",
        "--index",
        &idx,
        "A/C.2/80/L.58",
        "--from",
        "A/C.2/80/L.17",
    ]);
    let keys = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap().to_string())
            .collect()
    };
    let (added, dropped) = (
        keys(&d["citations"]["added"]),
        keys(&d["citations"]["dropped"]),
    );
    assert!(
        !added.is_empty() || !dropped.is_empty(),
        "{}",
        d["citations"]
    );
    // Checked against each version's own citations.
    let cited = |doc: &str| -> Vec<String> {
        let c = json(&["cites", "--json", "--index", &idx, doc]);
        c["cites"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["key"].as_str().unwrap().to_string())
            .collect()
    };
    let (old, new) = (cited("A/C.2/80/L.17"), cited("A/C.2/80/L.58"));
    for k in &added {
        assert!(new.contains(k) && !old.contains(k), "{k}");
    }
    for k in &dropped {
        assert!(old.contains(k) && !new.contains(k), "{k}");
    }
    assert_eq!(
        added.len(),
        new.iter().filter(|k| !old.contains(k)).count(),
        "every added citation is listed"
    );
}

/// A word searched alone without facets has its top hits found without visiting every match
/// and its total read from the index; with facets every match is visited and counted. Both
/// must give the same answer: the same hits in the same order, the same scores, the same total.
#[test]
fn a_word_alone_gets_the_same_answer_however_its_matches_are_counted() {
    // Words of the corpus: common and rare, with own forms beside their stem ("persons",
    // "personal"), a misspelling corrected, an abbreviation, a word of no passage.
    let words = [
        "capacity",
        "building",
        "development",
        "persons",
        "person",
        "rights",
        "digital",
        "internet",
        "governance",
        "data",
        "states",
        "information",
        "technologies",
        "gender",
        "children",
        "health",
        "security",
        "cooperation",
        "forum",
        "review",
        "implementation",
        "access",
        "connectivity",
        "privacy",
        "intelligence",
        "education",
        "developing",
        "government",
        "national",
        "WSIS",
        "goverment",
        "UNESCO",
        "the",
        "zzyzx",
    ];
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("q.ndjson");
    let mut lines = String::new();
    for w in words {
        for offset in [0, 10] {
            for facets in [false, true] {
                lines.push_str(&format!(
                    "{{\"q\": \"{w}\", \"offset\": {offset}, \"facets\": {facets}}}\n"
                ));
            }
        }
    }
    std::fs::write(&input, lines).unwrap();
    let idx = corpus_index().to_str().unwrap().to_string();
    let out = travaux(&["batch", "--index", &idx, input.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers.len(), words.len() * 4);
    let mut found = 0;
    for (pair, w) in answers.chunks(2).zip(words.iter().flat_map(|w| [w, w])) {
        let (fast, full) = (&pair[0], &pair[1]);
        assert_eq!(fast["total"], full["total"], "{w}: total");
        let ids = |v: &Value| -> Vec<(String, f64)> {
            hits(v)
                .iter()
                .map(|h| {
                    (
                        h["id"].as_str().unwrap().to_string(),
                        h["score"].as_f64().unwrap(),
                    )
                })
                .collect()
        };
        let (a, b) = (ids(fast), ids(full));
        assert_eq!(a.len(), b.len(), "{w}: {a:?} against {b:?}");
        for ((_, sa), (_, sb)) in a.iter().zip(&b) {
            assert!((sa - sb).abs() < 1e-3, "{w}: scores {a:?} against {b:?}");
        }
        // Hits of equal score may come in either order; which of several hits tied at the
        // last score shown make the page is the engine's choice.
        let last = a.last().map_or(0.0, |h| h.1);
        let at = |l: &[(String, f64)], s: f64| {
            let mut ids: Vec<String> = l
                .iter()
                .filter(|h| (h.1 - s).abs() < 1e-3)
                .map(|h| h.0.clone())
                .collect();
            ids.sort();
            ids
        };
        for (_, s) in a.iter().filter(|h| (h.1 - last).abs() >= 1e-3) {
            assert_eq!(at(&a, *s), at(&b, *s), "{w}: {a:?} against {b:?}");
        }
        found += a.len();
    }
    assert!(found > 300, "the words find passages: {found}");
}
