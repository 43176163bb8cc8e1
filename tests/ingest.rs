//! Ingest on real documents: what a reader of each document would check.

use crate::common::*;
use serde_json::Value;
use std::collections::BTreeSet;

fn str_of(p: &Value, k: &str) -> Option<String> {
    p[k].as_str().map(str::to_string)
}

#[test]
fn wsis_consultation_transcript_turns_speakers_and_timestamps() {
    let ps = passages("wsis20-ungis-consultation-2025-11-17-teams");
    // The export has 15 speaker lines; every passage carries its turn's label and timestamp.
    let turns: BTreeSet<(String, u64)> = ps
        .iter()
        .map(|p| {
            (
                str_of(p, "speaker_label").unwrap(),
                p["locator"]["timestamp"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(turns.len(), 15, "{turns:?}");
    assert!(turns.contains(&("Wachholz, Cedric".to_string(), 6 * 60 + 41)));
    assert!(turns.contains(&("Prieto, Maria".to_string(), 16 * 60 + 48)));
    // Five labels; attribution finds two more people speaking through the room microphone.
    let labels: BTreeSet<String> = ps
        .iter()
        .filter_map(|p| str_of(p, "speaker_label"))
        .collect();
    assert_eq!(labels.len(), 5, "{labels:?}");
    let speakers: BTreeSet<String> = ps.iter().filter_map(|p| str_of(p, "speaker")).collect();
    assert_eq!(
        speakers,
        [
            "Cedric Wachholz",
            "Chengetai Masango",
            "Deniz Susar",
            "Derek Munene",
            "Maria Prieto",
            "Suela Janina",
            "Tiziana Bonapace"
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    );
    let cedric = ps
        .iter()
        .find(|p| str_of(p, "speaker").as_deref() == Some("Cedric Wachholz"))
        .unwrap();
    assert_eq!(cedric["agency"], "UNESCO");
    let maria = ps
        .iter()
        .find(|p| str_of(p, "speaker").as_deref() == Some("Maria Prieto"))
        .unwrap();
    assert_eq!(maria["agency"], "ILO");
    // "…strategy on digital health to be" / "extended." is one sentence cut by the export.
    assert!(ps.iter().any(|p| p["text"]
        .as_str()
        .unwrap()
        .contains("digital health to be extended.")));
    // The tool's notice and the title are not passages.
    assert!(!ps.iter().any(|p| p["text"]
        .as_str()
        .unwrap()
        .contains("started transcription")));
    assert!(!ps.iter().any(|p| p["text"]
        .as_str()
        .unwrap()
        .contains("stopped transcription")));
}

#[test]
fn verbatim_record_turns_carry_delegations() {
    let ps = passages("un-s-pv9642-pv-en");
    let labels: Vec<String> = ps
        .iter()
        .filter_map(|p| str_of(p, "speaker_label"))
        .collect();
    let mut distinct = labels.clone();
    distinct.dedup();
    // The record's speakers, in the order they take the floor.
    assert_eq!(
        distinct,
        vec![
            "The President",
            "Mr. Wood",
            "Ms. Evstigneeva",
            "Dame Barbara Woodward",
            "Mr. Fu Cong",
            "Mrs. Broadhurst Estival",
            "Mrs. Rodrigues-Birkett"
        ]
    );
    let agency = |label: &str| {
        ps.iter()
            .find(|p| str_of(p, "speaker_label").as_deref() == Some(label))
            .and_then(|p| str_of(p, "agency"))
    };
    assert_eq!(
        agency("Mr. Wood").as_deref(),
        Some("United States of America")
    );
    assert_eq!(agency("Mr. Fu Cong").as_deref(), Some("China"));
    // Guyana's representative delivers the statement of the A3+, Guyana among its members.
    assert_eq!(agency("Mrs. Rodrigues-Birkett").as_deref(), Some("A3+"));
    let members = ps
        .iter()
        .find(|p| str_of(p, "speaker_label").as_deref() == Some("Mrs. Rodrigues-Birkett"))
        .map(|p| p["members"].clone())
        .unwrap();
    assert_eq!(members, serde_json::json!(["Guyana"]));
    assert_eq!(
        agency("The President").as_deref(),
        Some("Security Council Presidency")
    );
    assert_eq!(
        agency("Dame Barbara Woodward").as_deref(),
        Some("United Kingdom of Great Britain and Northern Ireland")
    );
    let doc = &ps[0]["document"];
    assert_eq!(doc["symbol"], "S/PV.9642");
    assert_eq!(doc["date"], "2024-05-31");
    for p in &ps {
        let t = p["text"].as_str().unwrap();
        assert!(
            !t.contains("24-15339") && !t.contains("S/PV.9642 The situation"),
            "page furniture in {t}"
        );
    }
}

fn operative_numbers(doc: &str) -> Vec<u32> {
    passages(doc)
        .iter()
        .filter_map(|p| {
            p["locator"]["paragraph"]
                .as_str()
                .and_then(|n| n.parse().ok())
        })
        .collect()
}

#[test]
fn resolutions_number_their_operative_paragraphs_as_printed() {
    // Counts read off the documents themselves.
    for (doc, n) in [
        ("a-res-80-118-ict4sd-adopted", 74),
        ("a-c2-80-l17-ict4sd-draft-g77", 73),
        ("a-c2-80-l58-ict4sd-revised", 74),
        ("a-80-l41-wsis20-outcome-final-draft", 127),
        ("a-res-80-173-wsis20-outcome-adopted", 127),
        ("a-c2-80-l18-sti4sd-draft-g77", 52),
        ("a-c2-80-l47-sti4sd-revised", 55),
        ("a-c3-80-l46-human-rights-digital-tech-draft", 26),
        ("a-c1-80-l20-ict-security-oewg-draft", 4),
    ] {
        assert_eq!(
            operative_numbers(doc),
            (1..=n).collect::<Vec<u32>>(),
            "{doc}"
        );
    }
    let ps = passages("a-res-80-118-ict4sd-adopted");
    let first = &ps[0];
    assert_eq!(first["locator"]["paragraph"], "PP1");
    assert!(first["text"]
        .as_str()
        .unwrap()
        .starts_with("Recalling its resolution 79/194"));
    let op70a = ps
        .iter()
        .find(|p| p["locator"]["paragraph"] == "70 (a)")
        .unwrap();
    assert!(op70a["text"]
        .as_str()
        .unwrap()
        .starts_with("Enhancing the ability of developing countries"));
    let doc = &first["document"];
    assert_eq!(doc["symbol"], "A/RES/80/118");
    assert_eq!(doc["version"], "adopted");
    assert_eq!(doc["date"], "2025-12-15");
}

#[test]
fn page_furniture_and_footnotes_stay_out_of_passages() {
    for doc in [
        "a-res-80-118-ict4sd-adopted",
        "a-res-80-173-wsis20-outcome-adopted",
        "a-c2-80-l17-ict4sd-draft-g77",
    ] {
        for p in passages(doc) {
            let t = p["text"].as_str().unwrap();
            for furniture in [
                "25-20736",
                "25-20874",
                "25-16621",
                "_____",
                "2/18",
                "Resolutions 56/183, 57/238",
            ] {
                assert!(
                    !t.contains(furniture),
                    "{doc} {}: `{furniture}` in {t}",
                    p["id"]
                );
            }
        }
    }
    // Footnote markers come off the words they were stuck to.
    let ps = passages("a-res-80-173-wsis20-outcome-adopted");
    let p = ps
        .iter()
        .find(|p| p["text"].as_str().unwrap().contains("Sevilla Commitment"))
        .unwrap();
    assert!(
        p["text"]
            .as_str()
            .unwrap()
            .contains("the Sevilla Commitment, which renews"),
        "{}",
        p["text"]
    );
}

#[test]
fn drafts_and_adopted_texts_share_a_work_and_order_their_versions() {
    let l17 = passages("a-c2-80-l17-ict4sd-draft-g77");
    let l58 = passages("a-c2-80-l58-ict4sd-revised");
    let res = passages("a-res-80-118-ict4sd-adopted");
    let work = |ps: &Vec<serde_json::Value>| ps[0]["document"]["work"].clone();
    assert_eq!(work(&l17), work(&l58));
    assert_eq!(work(&l58), work(&res));
    assert_eq!(l17[0]["document"]["version"], "draft");
    assert_eq!(l58[0]["document"]["version"], "facilitator-draft");
    assert_eq!(
        l17[0]["agency"], "G77 and China",
        "L.17 was tabled by Iraq for the G77 and China"
    );
    assert_ne!(
        work(&res),
        work(&passages("a-res-80-173-wsis20-outcome-adopted"))
    );
    assert_eq!(
        work(&passages("a-80-l41-wsis20-outcome-final-draft")),
        work(&passages("a-res-80-173-wsis20-outcome-adopted"))
    );
}

#[test]
fn whole_corpus_ingests_with_nothing_readable_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("i");
    let c = corpus();
    let manifest = root().join("manifests/shared-corpus.toml");
    // Speech-recognition output (JSON) beside the corpus: a format not read yet.
    let asr = dir.path().join("un-s-pv9642-asr-en.json");
    std::fs::write(&asr, r#"{"symbol": "S/PV.9642", "transcriptions": {}}"#).unwrap();
    let out = travaux(&[
        "ingest",
        "--json",
        "--index",
        idx.to_str().unwrap(),
        "--manifest",
        manifest.to_str().unwrap(),
        c.to_str().unwrap(),
        asr.to_str().unwrap(),
    ]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let skipped = report["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{report}");
    // Only the formats that are not read yet are skipped, each with a reason that says so.
    for s in skipped {
        let path = s["path"].as_str().unwrap();
        assert!(path.ends_with(".json"), "a readable file was skipped: {s}");
        assert!(
            s["reason"]
                .as_str()
                .unwrap()
                .starts_with("unsupported format"),
            "{s}"
        );
    }
    assert_eq!(
        out.status.code(),
        Some(3),
        "skipped files make the exit status say so"
    );
    // 57 text files, 5 PDFs, 5 Akoma Ntoso and 4 parliamentary XML files (the fifth, a
    // ParlaMint corpus header, is read as metadata).
    assert_eq!(report["added"].as_u64().unwrap(), 71);
    assert_eq!(report["metadata"].as_array().unwrap().len(), 1);
    assert!(report["passages"].as_u64().unwrap() > 3000);
}

#[test]
fn reingest_is_idempotent_and_a_changed_file_replaces_its_passages() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("i");
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    let src = corpus().join("transcripts/un-s-pv9826-pv-en.txt");
    std::fs::copy(&src, docs.join("pv.txt")).unwrap();
    std::fs::copy(
        corpus().join("resolutions/a-c1-80-l20-ict-security-oewg-draft.txt"),
        docs.join("l20.txt"),
    )
    .unwrap();
    let i = idx.to_str().unwrap();
    let d = docs.to_str().unwrap();
    let first = json(&["ingest", "--json", "--index", i, d]);
    assert_eq!(first["added"], 2);
    let n = first["passages_in_index"].as_u64().unwrap();
    let again = json(&["ingest", "--json", "--index", i, d]);
    assert_eq!(
        (again["added"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(2))
    );
    assert_eq!(again["passages_in_index"].as_u64(), Some(n));
    // Cut the record short: its passages are replaced, not added to.
    let text = std::fs::read_to_string(&src).unwrap();
    let short: String = text.lines().take(40).collect::<Vec<_>>().join("\n");
    std::fs::write(docs.join("pv.txt"), short).unwrap();
    let changed = json(&["ingest", "--json", "--index", i, d]);
    assert_eq!(changed["replaced"], 1);
    assert!(changed["passages_in_index"].as_u64().unwrap() < n);
    let shown = json(&["show", "--json", "--index", i, "pv"]);
    let seqs: Vec<u64> = shown["passages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["seq"].as_u64().unwrap())
        .collect();
    assert_eq!(
        seqs,
        (0..seqs.len() as u64).collect::<Vec<_>>(),
        "no passage of the old version is left"
    );
}

#[test]
fn bad_files_are_reported_and_the_good_ones_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::copy(
        corpus().join("transcripts/un-s-pv10100-pv-en.txt"),
        docs.join("good.txt"),
    )
    .unwrap();
    std::fs::write(
        docs.join("binary.txt"),
        [0x7f, b'E', b'L', b'F', 0, 0, 1, 2],
    )
    .unwrap();
    std::fs::write(
        docs.join("latin1.txt"),
        b"The President: caf\xe9 cr\xe8me\nMr. X (France): oui\n",
    )
    .unwrap();
    std::fs::write(docs.join("empty.txt"), b"  \n").unwrap();
    std::fs::write(
        docs.join("prose.txt"),
        b"Just a note to self, with no structure at all.\n",
    )
    .unwrap();
    let idx = dir.path().join("i");
    let out = travaux(&[
        "ingest",
        "--json",
        "--index",
        idx.to_str().unwrap(),
        docs.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["added"], 1);
    let reasons: std::collections::BTreeMap<String, String> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_string(),
                s["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(reasons["binary.txt"].contains("binary"), "{reasons:?}");
    assert!(
        reasons["latin1.txt"].contains("invalid UTF-8 at line 1"),
        "{reasons:?}"
    );
    assert!(reasons["empty.txt"].contains("empty"), "{reasons:?}");
    assert!(
        reasons["prose.txt"].contains("unrecognised structure"),
        "{reasons:?}"
    );
    assert_eq!(reasons.len(), 4);
}

#[test]
fn an_index_left_by_a_killed_ingest_opens_with_its_last_commit() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("i");
    let i = idx.to_str().unwrap();
    ok(&[
        "ingest",
        "--index",
        i,
        corpus()
            .join("transcripts/un-s-pv10100-pv-en.txt")
            .to_str()
            .unwrap(),
    ]);
    // A larger second run, killed part-way.
    let many = dir.path().join("many");
    std::fs::create_dir(&many).unwrap();
    let text = std::fs::read_to_string(
        corpus().join("resolutions/a-res-80-173-wsis20-outcome-adopted.txt"),
    )
    .unwrap();
    for k in 0..150 {
        std::fs::write(
            many.join(format!("copy-{k:03}.txt")),
            format!("{text}\n{k}\n"),
        )
        .unwrap();
    }
    for delay_ms in [50u64, 300, 900] {
        killed_after(
            &[
                "ingest",
                "--index",
                i,
                "--commit-every",
                "40",
                many.to_str().unwrap(),
            ],
            delay_ms,
        );
        let stats = json(&["stats", "--json", "--index", i]);
        let docs = stats["documents"].as_u64().unwrap();
        // The first commit is always there; later ones come in whole commits of 40 documents.
        assert!(docs >= 1, "{stats}");
        // (or the run finished before the kill, with all 151).
        assert!(
            (docs - 1).is_multiple_of(40) || docs == 151,
            "a commit is all or nothing: {docs} documents"
        );
    }
    // Re-running completes with the exact totals and no duplicates.
    let done = json(&["ingest", "--json", "--index", i, many.to_str().unwrap()]);
    assert_eq!(done["documents_in_index"], 151);
    let per_doc = passages_count(i, "copy-000");
    assert_eq!(
        done["passages_in_index"].as_u64().unwrap(),
        per_doc * 150 + passages_count(i, "un-s-pv10100-pv-en")
    );
}

/// Runs `travaux args` and kills it after `delay_ms` (or lets it end, if it ends sooner).
fn killed_after(args: &[&str], delay_ms: u64) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_travaux"))
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(delay_ms));
    let _ = child.kill();
    let _ = child.wait();
}

fn passages_count(index: &str, doc: &str) -> u64 {
    json(&["show", "--json", "--index", index, doc])["passages"]
        .as_array()
        .unwrap()
        .len() as u64
}

#[test]
fn a_second_ingest_into_an_index_being_written_fails_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("i");
    let i = idx.to_str().unwrap();
    let many = dir.path().join("many");
    std::fs::create_dir(&many).unwrap();
    let text = std::fs::read_to_string(
        corpus().join("resolutions/a-res-80-173-wsis20-outcome-adopted.txt"),
    )
    .unwrap();
    for k in 0..150 {
        std::fs::write(
            many.join(format!("copy-{k:03}.txt")),
            format!("{text}\n{k}\n"),
        )
        .unwrap();
    }
    let single = corpus().join("transcripts/un-s-pv10100-pv-en.txt");
    ok(&["ingest", "--index", i, single.to_str().unwrap()]);
    let mut first = std::process::Command::new(env!("CARGO_BIN_EXE_travaux"))
        .args(["ingest", "--index", i, many.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Let the first take the writer's lock before the second tries.
    std::thread::sleep(std::time::Duration::from_millis(200));
    let mut refused = None;
    while first.try_wait().unwrap().is_none() {
        let out = travaux(&["ingest", "--index", i, single.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        if err.contains("being written by another") {
            refused = Some((out.status.code(), err));
            break;
        }
    }
    let first = first.wait_with_output().unwrap();
    assert!(
        first.status.success(),
        "the first ingest was not disturbed: {}",
        String::from_utf8_lossy(&first.stderr)
    );
    let (code, err) =
        refused.expect("the second ingest ran while the first was writing and was refused");
    assert_eq!(code, Some(1), "{err}");
    let stats = json(&["stats", "--json", "--index", i]);
    assert!(stats["documents"].as_u64().unwrap() >= 150, "{stats}");
}

#[test]
fn a_broken_registry_file_is_named_with_a_hint_and_exit_status_1() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("agencies.toml");
    std::fs::write(&bad, "this is = not [valid\n").unwrap();
    let idx = dir.path().join("index");
    // A global option, before the command.
    let out = crate::common::travaux(&[
        "--schema",
        dir.path().to_str().unwrap(),
        "stats",
        "--index",
        idx.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(bad.to_str().unwrap()), "{err}");
    assert!(err.contains("line 1"), "{err}");
    assert!(err.contains("hint: "), "{err}");
    // A command line that cannot be read is exit status 2 (usage), as README says.
    let out = crate::common::travaux(&["search", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
}

/// The answers a search gives that do not depend on how the index is cut into segments: the
/// total, the facets, and each hit with its score, except hits tied with the page's last score
/// (which of those make the page may follow the order of the passages on disk).
fn answer(index: &str, q: &str) -> (Value, Value, Vec<(String, String)>) {
    let v = json(&["search", "--json", "--index", index, "--limit", "30", q]);
    let hits = v["hits"].as_array().unwrap();
    let last = hits.last().map(|h| h["score"].to_string());
    let sure = hits
        .iter()
        .filter(|h| hits.len() < 30 || Some(h["score"].to_string()) != last)
        .map(|h| (h["passage"]["id"].to_string(), h["score"].to_string()))
        .collect();
    (v["total"].clone(), v["facets"].clone(), sure)
}

#[test]
fn compacting_an_index_keeps_every_passage_and_every_answer() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("i");
    let i = idx.to_str().unwrap();
    let c = corpus();
    // A commit per file: an index in many segments, as a long ingest leaves it.
    let ingested = json(&[
        "ingest",
        "--json",
        "--index",
        i,
        "--commit-every",
        "1",
        c.join("transcripts").to_str().unwrap(),
        c.join("resolutions").to_str().unwrap(),
        c.join("submissions").to_str().unwrap(),
    ]);
    let queries = [
        "capacity building",
        "\"information society\"",
        "WSIS",
        "agency:WHO",
        "kind:resolution digital",
        "artificial intelligence governance",
    ];
    let before: Vec<_> = queries.iter().map(|q| answer(i, q)).collect();
    assert!(before.iter().all(|(t, _, _)| t.as_u64().unwrap() > 0));
    // Killed while merging (a copy of the index, killed sooner or later), the index opens
    // with every passage.
    for delay_ms in [30u64, 150, 400] {
        let copy = dir.path().join(format!("killed-{delay_ms}"));
        std::fs::create_dir(&copy).unwrap();
        for e in std::fs::read_dir(&idx).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), copy.join(e.file_name())).unwrap();
        }
        killed_after(&["compact", "--index", copy.to_str().unwrap()], delay_ms);
        let stats = json(&["stats", "--json", "--index", copy.to_str().unwrap()]);
        assert_eq!(stats["passages"], ingested["passages_in_index"], "{stats}");
        assert_eq!(
            answer(copy.to_str().unwrap(), queries[0]),
            before[0],
            "killed after {delay_ms} ms"
        );
    }
    let compacted = json(&["compact", "--json", "--index", i]);
    assert!(
        compacted["segments_before"].as_u64().unwrap() > 1,
        "{compacted}"
    );
    assert_eq!(compacted["segments_after"], 1, "{compacted}");
    assert_eq!(compacted["segments_before"], ingested["segments"]);
    assert_eq!(
        compacted["passages_in_index"],
        ingested["passages_in_index"]
    );
    let segments = std::fs::read_dir(&idx)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "idx")
        })
        .count();
    assert_eq!(segments, 1, "the merged segments' files are removed");
    for (q, want) in queries.iter().zip(&before) {
        assert_eq!(&answer(i, q), want, "{q}");
    }
    // Again: nothing left to merge, nothing changes.
    let again = json(&["compact", "--json", "--index", i]);
    assert_eq!(again["segments_before"], 1);
    assert_eq!(again["passages_in_index"], ingested["passages_in_index"]);
}
