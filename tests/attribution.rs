//! Attribution accuracy against hand-labelled evaluation sets
//! (`tests/fixtures/attribution/*.toml`: who truly speaks each part of a real meeting record, of
//! every kind travaux reads: a Teams export, Security Council verbatim records, a summary
//! record, a Web TV transcript).

use crate::common::{json, ok, passages, root};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::OnceLock;

#[derive(Deserialize)]
struct EvalSet {
    /// The document's id or symbol.
    document: String,
    /// The record, relative to tests/fixtures, when it is not in the test corpus.
    #[serde(default)]
    file: Option<String>,
    /// What kind of record it is.
    #[serde(default)]
    kind: Option<String>,
    part: Vec<Part>,
}

#[derive(Deserialize)]
struct Part {
    starts: String,
    /// Which passage starting with `starts` the part begins at, counting from the previous
    /// part's (1 unless a shorter line like "Thank you." comes first).
    #[serde(default = "first")]
    occurrence: usize,
    intervention: String,
    #[serde(default)]
    speaker: Option<String>,
    agency: String,
    #[allow(dead_code)]
    why: String,
}

fn first() -> usize {
    1
}

/// What the evaluation measured.
#[derive(Debug, Default, Clone)]
struct Score {
    passages: usize,
    agency_right: usize,
    agency_wrong: usize,
    speaker_scored: usize,
    speaker_right: usize,
    interventions: usize,
    interventions_right: usize,
}

impl Score {
    fn add(&mut self, o: &Score) {
        self.passages += o.passages;
        self.agency_right += o.agency_right;
        self.agency_wrong += o.agency_wrong;
        self.speaker_scored += o.speaker_scored;
        self.speaker_right += o.speaker_right;
        self.interventions += o.interventions;
        self.interventions_right += o.interventions_right;
    }
}

/// An index of every record the sets name by file, built once.
fn meetings_index() -> &'static str {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    let dir = DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let idx = dir.path().join("index");
        let files: Vec<String> = all_sets()
            .iter()
            .filter_map(|(_, s)| s.file.as_ref())
            .map(|f| root().join("tests/fixtures").join(f).display().to_string())
            .collect();
        let mut args = vec!["ingest", "--index", idx.to_str().unwrap()];
        args.extend(files.iter().map(String::as_str));
        ok(&args);
        dir
    });
    Box::leak(
        dir.path()
            .join("index")
            .display()
            .to_string()
            .into_boxed_str(),
    )
}

/// The passages of a set's record.
fn passages_of(set: &EvalSet) -> Vec<Value> {
    match &set.file {
        Some(_) => {
            let v = json(&["show", "--json", "--index", meetings_index(), &set.document]);
            v["passages"].as_array().expect("passages").clone()
        }
        None => passages(&set.document),
    }
}

/// Every evaluation set, by file name.
fn all_sets() -> Vec<(String, EvalSet)> {
    let dir = root().join("tests/fixtures/attribution");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    names.into_iter().map(|n| (n.clone(), load(&n))).collect()
}

fn score(set: &EvalSet) -> Score {
    let ps = passages_of(set);
    // Where each part begins, found in order.
    let mut starts = Vec::new();
    let mut from = 0;
    for part in &set.part {
        let at = (from..ps.len())
            .filter(|&i| ps[i]["text"].as_str().unwrap().starts_with(&part.starts))
            .nth(part.occurrence - 1)
            .unwrap_or_else(|| panic!("no passage starts with {:?}", part.starts));
        starts.push(at);
        from = at + 1;
    }
    assert_eq!(starts[0], 0, "the first part must start the document");
    let mut s = Score::default();
    let mut by_intervention: BTreeMap<&str, bool> = BTreeMap::new();
    for (k, part) in set.part.iter().enumerate() {
        if part.agency == "?" {
            continue;
        }
        let end = starts.get(k + 1).copied().unwrap_or(ps.len());
        for p in &ps[starts[k]..end] {
            let got = p["agency"].as_str();
            s.passages += 1;
            // "-": the passage speaks for no entity (a vote, a speaker in a personal capacity).
            let right = if part.agency == "-" {
                got.is_none()
            } else {
                got == Some(part.agency.as_str())
            };
            if right {
                s.agency_right += 1;
            } else if got.is_some() {
                s.agency_wrong += 1;
                eprintln!(
                    "{}: wrong {:?} for {} — {:.60}",
                    set.document, got, part.agency, p["text"]
                );
            }
            if let Some(sp) = &part.speaker {
                s.speaker_scored += 1;
                s.speaker_right += usize::from(p["speaker"].as_str() == Some(sp.as_str()));
            }
            *by_intervention
                .entry(part.intervention.as_str())
                .or_insert(true) &= right;
        }
    }
    s.interventions = by_intervention.len();
    s.interventions_right = by_intervention.values().filter(|&&r| r).count();
    s
}

fn load(name: &str) -> EvalSet {
    let path = root().join("tests/fixtures/attribution").join(name);
    let text = std::fs::read_to_string(&path).expect("evaluation set");
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn ratio(a: usize, b: usize) -> f64 {
    a as f64 / b.max(1) as f64
}

#[test]
fn attribution_accuracy_on_the_wsis_consultation() {
    let set = load("wsis20-ungis-consultation.toml");
    let s = score(&set);
    eprintln!("{s:?}");
    let per_passage = ratio(s.agency_right, s.passages);
    let per_intervention = ratio(s.interventions_right, s.interventions);
    let wrong = ratio(s.agency_wrong, s.passages);
    let speakers = ratio(s.speaker_right, s.speaker_scored);
    eprintln!(
        "agency per passage {per_passage:.3}, per intervention {per_intervention:.3}, \
         wrong {wrong:.3}, speaker {speakers:.3}"
    );
    // Measured when the set was written: 0.950 per passage, 0.958 per intervention (only the
    // OHCHR statement stayed unknown), no passage given to a wrong agency, 1.0 for speakers.
    // Since OHCHR's own words are read ("the fact that OHCHR is mentioned"): 1.0 per passage
    // and per intervention. A change that loses any of it fails here.
    assert!(
        per_passage >= 0.99,
        "agency accuracy per passage {per_passage:.3}"
    );
    assert!(
        per_intervention >= 0.99,
        "agency accuracy per intervention {per_intervention:.3}"
    );
    assert!(
        wrong <= 0.01,
        "passages given to a wrong agency: {wrong:.3}"
    );
    assert!(speakers >= 0.95, "speaker accuracy {speakers:.3}");
}

/// Every labelled meeting, each kind of record: per meeting and overall, passages with the
/// right entity, a wrong one, or none; interventions wholly right.
#[test]
fn attribution_across_meetings_of_every_kind() {
    let mut total = Score::default();
    let mut by_kind: BTreeMap<String, Score> = BTreeMap::new();
    let mut lowest = 1.0f64;
    for (name, set) in all_sets() {
        let s = score(&set);
        let right = ratio(s.agency_right, s.passages);
        let unknown = s.passages - s.agency_right - s.agency_wrong;
        println!(
            "{name:<32} {:<18} passages {:>4}: right {:>4} ({:.1} %), wrong {:>2}, unknown {:>3}; \
             interventions {}/{}",
            set.kind.as_deref().unwrap_or("Teams export"),
            s.passages,
            s.agency_right,
            right * 100.0,
            s.agency_wrong,
            unknown,
            s.interventions_right,
            s.interventions
        );
        lowest = lowest.min(right);
        by_kind
            .entry(set.kind.clone().unwrap_or_else(|| "Teams export".into()))
            .or_default()
            .add(&s);
        total.add(&s);
    }
    for (kind, s) in &by_kind {
        println!(
            "{kind:<18} right {:.1} %, wrong {:.1} %",
            ratio(s.agency_right, s.passages) * 100.0,
            ratio(s.agency_wrong, s.passages) * 100.0
        );
    }
    let right = ratio(total.agency_right, total.passages);
    let wrong = ratio(total.agency_wrong, total.passages);
    println!(
        "overall: {} meetings, {} passages: right {:.1} %, wrong {:.1} %, interventions {}/{}; \
         lowest meeting {:.1} %",
        all_sets().len(),
        total.passages,
        right * 100.0,
        wrong * 100.0,
        total.interventions_right,
        total.interventions,
        lowest * 100.0
    );
    assert!(all_sets().len() >= 9 && by_kind.len() >= 4);
    assert!(right >= FLOOR_RIGHT, "right {right:.3}");
    assert!(wrong <= 0.01, "wrong {wrong:.3}");
    assert!(lowest >= FLOOR_LOWEST, "lowest meeting {lowest:.3}");
}

/// Floors: what travaux measures on the sets (README, Attribution), kept so a change that loses
/// any of it fails. Twelve meetings: 97.6 % right, 0.0 % wrong, the lowest (session 5 of the
/// working group, whose briefer's header names no entity) 92.6 %.
const FLOOR_RIGHT: f64 = 0.97;
const FLOOR_LOWEST: f64 = 0.92;

#[test]
fn agency_queries_use_the_attribution_and_labels_stay_reachable() {
    use crate::common::search;
    // WHO spoke through the room microphone labelled with the chair's name.
    let v = search(&["capacity building", "--agency", "WHO"]);
    let hits = v["hits"].as_array().unwrap();
    assert!(
        !hits.is_empty(),
        "WHO's intervention on capacity building: {v}"
    );
    for h in hits {
        assert_eq!(h["agency"], "WHO");
        assert_eq!(h["speaker"], "Derek Munene");
        assert_eq!(h["speaker_label"], "Chengetai Masango");
        assert!(["self", "carried"].contains(&h["evidence"].as_str().unwrap()));
    }
    assert!(hits.iter().any(|h| h["text"]
        .as_str()
        .unwrap()
        .contains("capacity building remains a key challenge")));
    // The chair's own agency does not get WHO's words...
    let igf = search(&["capacity building", "--agency", "IGF"]);
    assert!(igf["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| !h["text"].as_str().unwrap().contains("WHO Academy")));
    // ...while the label as written still reaches every passage said through it.
    let label = search(&["WHO Academy", "--label", "Chengetai Masango"]);
    assert_eq!(label["total"], 1);
    // OHCHR spoke through the same microphone and named itself only in passing ("the fact that
    // OHCHR is mentioned as contributing to all the action lines"): a filter alone finds it.
    let ohchr = search(&["--agency", "OHCHR", "--kind", "transcript", "--limit", "50"]);
    let hits = ohchr["hits"].as_array().unwrap();
    assert!(
        hits.iter().any(|h| h["text"]
            .as_str()
            .unwrap()
            .contains("question of surveillance")),
        "OHCHR's intervention in the consultation: {ohchr}"
    );
    assert!(hits.iter().all(|h| h["agency"] == "OHCHR"));
}

#[test]
fn searches_find_what_speech_recognition_wrote() {
    use crate::common::search;
    let doc = "doc:wsis20-ungis-consultation-2025-11-17-teams";
    let texts = |q: &str| -> Vec<String> {
        let v = search(&[q, doc, "--limit", "100"]);
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["text"].as_str().unwrap().to_string())
            .collect()
    };
    // WSIS finds "VSIS", shown as written and marked.
    let wsis = search(&["\"WSIS outcomes\"", doc]);
    let hit = wsis["hits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["text"].as_str().unwrap().contains("VSIS outcomes"))
        .unwrap_or_else(|| panic!("\"WSIS outcomes\" finds \"VSIS outcomes\": {wsis}"));
    assert!(hit["snippet"]
        .as_str()
        .unwrap()
        .contains("<mark>VSIS</mark>"));
    // UNGIS finds "Unjis" and, in this meeting that names UNGIS, "Angus".
    let ungis = texts("UNGIS");
    assert!(ungis
        .iter()
        .any(|t| t.contains("example of Unjis convening")));
    assert!(ungis.iter().any(|t| t.contains("The Angus matrix")));
    // "road maps" finds "Rd. maps".
    assert!(texts("\"road maps\"")
        .iter()
        .any(|t| t.contains("action line Rd. maps")));
    // Rev.1 finds "Rev One" and "reg one".
    let rev1 = texts("\"Rev.1\"");
    assert!(rev1.iter().any(|t| t.contains("in the reg one")));
    assert!(rev1.iter().any(|t| t.contains("the Rev One is ambitious")));
    // "OMTARD" is heard for UNCTAD and for UN Tourism: this meeting names UNCTAD only.
    assert!(texts("UNCTAD")
        .iter()
        .any(|t| t.contains("we offered OMTARD and UNDESA")));
    assert!(!texts("\"UN Tourism\"").iter().any(|t| t.contains("OMTARD")));
    // An agency filter takes a recognition form.
    let v = search(&["--agency", "Untag", "--limit", "1"]);
    assert_eq!(v["hits"][0]["agency"], "UNCTAD");
}

#[test]
fn speakers_lists_attributed_speakers_with_their_evidence() {
    let idx = crate::common::corpus_index().to_str().unwrap().to_string();
    let v = crate::common::json(&[
        "speakers",
        "--json",
        "--index",
        &idx,
        "--doc",
        "wsis20-ungis-consultation-2025-11-17-teams",
    ]);
    let speakers = v["speakers"].as_array().unwrap();
    let derek = speakers
        .iter()
        .find(|s| s["speaker"] == "Derek Munene")
        .expect("Derek Munene is listed");
    assert_eq!(derek["agency"], "WHO");
    assert_eq!(derek["evidence"]["self"], 1);
    let total: u64 = speakers
        .iter()
        .map(|s| s["passages"].as_u64().unwrap())
        .sum();
    let agencies: u64 = v["agencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["passages"].as_u64().unwrap())
        .sum();
    assert_eq!(total, agencies);
    assert_eq!(
        total as usize,
        passages("wsis20-ungis-consultation-2025-11-17-teams").len()
    );
    // Unknown documents are named in the error.
    let out = crate::common::travaux(&["speakers", "--index", &idx, "--doc", "no-such-doc"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-doc"));
}
