//! The record in six languages: a search in each language finds that language's passages, a
//! passage names its counterparts in the others, and a query in one language gets neither the
//! spellings nor the forms of another. Measured on the Universal Declaration of Human Rights in
//! its six official language versions (`tests/fixtures/multilingual/`), with hand-written
//! judgments (`tests/fixtures/languages/udhr-queries.toml`).

use crate::common::{json, multilingual_index, root};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

const LANGUAGES: [&str; 6] = ["en", "fr", "es", "ru", "zh", "ar"];

#[derive(Deserialize)]
struct Judgments {
    need: Vec<Need>,
}

#[derive(Deserialize)]
struct Need {
    what: String,
    relevant: Vec<String>,
    #[serde(flatten)]
    queries: BTreeMap<String, String>,
}

fn search(args: &[&str]) -> Value {
    let idx = multilingual_index().to_str().unwrap().to_string();
    let mut all = vec!["search", "--json", "--index", idx.as_str()];
    all.extend_from_slice(args);
    json(&all)
}

fn paragraphs(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["locator"]["paragraph"].as_str().unwrap_or("").to_string())
        .collect()
}

/// Recall of the relevant paragraphs among the first ten hits, and whether the first hit is
/// relevant, per language, over every need; searches restricted to the query's language.
#[test]
fn each_language_is_searched_as_it_is_written() {
    let text = std::fs::read_to_string(root().join("tests/fixtures/languages/udhr-queries.toml"))
        .expect("judgments");
    let j: Judgments = toml::from_str(&text).expect("judgments parse");
    assert!(j.need.len() >= 20);
    let mut report = Vec::new();
    for lang in LANGUAGES {
        let (mut recall, mut first) = (0.0f64, 0usize);
        for need in &j.need {
            let q = need.queries.get(lang).expect("a query in every language");
            let v = search(&[q, "--language", lang, "--limit", "10", "--facets", "false"]);
            let got = paragraphs(&v);
            // Every hit is in the language asked for.
            for h in v["hits"].as_array().unwrap() {
                assert_eq!(h["language"], lang, "{q}: {h}");
            }
            let found = need.relevant.iter().filter(|r| got.contains(r)).count();
            recall += found as f64 / need.relevant.len() as f64;
            let hit = got.first().is_some_and(|p| need.relevant.contains(p));
            first += usize::from(hit);
            if found < need.relevant.len() || !hit {
                println!(
                    "{lang} {:<45} {q:<40} relevant {:?}, got {:?}",
                    need.what,
                    need.relevant,
                    &got[..got.len().min(5)]
                );
            }
        }
        let n = j.need.len() as f64;
        report.push((lang, recall / n, first as f64 / n));
    }
    for (lang, r, p) in &report {
        println!("{lang}: recall@10 {:.2}, first hit relevant {:.2}", r, p);
    }
    // Floors: what was measured (README, Languages), so a change that loses any of it fails.
    for (lang, r, p) in report {
        let (floor_r, floor_p) = floor(lang);
        assert!(r >= floor_r, "{lang}: recall@10 {r:.2} below {floor_r}");
        assert!(
            p >= floor_p,
            "{lang}: first hit relevant {p:.2} below {floor_p}"
        );
    }
}

/// The measured figures, per language: (recall@10, first hit relevant). Measured first, with
/// the judgments written before any run: en 0.91/1.00, fr 0.91/0.95, es 0.87/0.90, ru
/// 0.91/1.00, zh 0.90/0.90, ar 0.67/0.76; Arabic with its letter forms made one and light
/// stemming in place of the Snowball stemmer, 0.69/0.76.
fn floor(lang: &str) -> (f64, f64) {
    match lang {
        "en" => (0.90, 0.99),
        "fr" => (0.90, 0.94),
        "es" => (0.86, 0.89),
        "ru" => (0.90, 0.99),
        "zh" => (0.89, 0.89),
        "ar" => (0.68, 0.75),
        _ => (1.0, 1.0),
    }
}

/// Each paragraph's counterparts are the same paragraph of the declaration in every other
/// language: checked by hand on paragraphs from each part (a consideration, the proclamation,
/// a one-paragraph article, numbered paragraphs), by a word each translation must hold.
#[test]
fn a_paragraph_names_its_counterparts_in_the_other_languages() {
    let idx = multilingual_index().to_str().unwrap().to_string();
    let cases: [(&str, [(&str, &str); 5]); 5] = [
        (
            "udhr-eng:1",
            [
                ("fr", "barbarie"),
                ("es", "barbarie"),
                ("ru", "варвар"),
                ("zh", "野蛮暴行"),
                ("ar", "همجية"),
            ],
        ),
        (
            "udhr-eng:7",
            [
                ("fr", "Proclame"),
                ("es", "Proclama"),
                ("ru", "провозглашает"),
                ("zh", "发布"),
                ("ar", "تنادي"),
            ],
        ),
        (
            "udhr-eng:12",
            [
                ("fr", "torture"),
                ("es", "torturas"),
                ("ru", "пыткам"),
                ("zh", "酷刑"),
                ("ar", "للتعذيب"),
            ],
        ),
        (
            "udhr-eng:46",
            [
                ("fr", "maternité"),
                ("es", "maternidad"),
                ("ru", "Материнство"),
                ("zh", "母亲"),
                ("ar", "للأمومة"),
            ],
        ),
        (
            "udhr-eng:43",
            [
                ("fr", "syndicats"),
                ("es", "sindicatos"),
                ("ru", "профессиональные союзы"),
                ("zh", "工会"),
                ("ar", "نقابات"),
            ],
        ),
    ];
    for (id, expected) in cases {
        let v = json(&["show", "--json", "--index", &idx, id, "--languages"]);
        assert_eq!(v["language"], "en");
        let by_lang: BTreeMap<String, &Value> = v["counterparts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["language"].as_str().unwrap().to_string(), c))
            .collect();
        for (lang, word) in expected {
            let c = by_lang
                .get(lang)
                .unwrap_or_else(|| panic!("{id}: no {lang}: {v}"));
            let ps = c["passages"].as_array().unwrap();
            assert_eq!(ps.len(), 1, "{id} in {lang}: {c}");
            let text = ps[0]["text"].as_str().unwrap();
            assert!(
                text.contains(word),
                "{id} in {lang} should hold {word:?}: {text}"
            );
        }
    }
    // Every article's paragraph has its counterpart in every language, by its number.
    let eng = json(&["show", "--json", "--index", &idx, "udhr-eng"]);
    let mut missing = Vec::new();
    for p in eng["passages"].as_array().unwrap() {
        let n = p["locator"]["paragraph"].as_str().unwrap();
        if n.starts_with("PP") {
            continue;
        }
        let id = p["id"].as_str().unwrap();
        let v = json(&["show", "--json", "--index", &idx, id, "--languages"]);
        for c in v["counterparts"].as_array().unwrap() {
            let ps = c["passages"].as_array().unwrap();
            if ps.len() != 1 || ps[0]["paragraph"] != n {
                missing.push(format!("{n} in {}", c["language"]));
            }
        }
        assert_eq!(v["counterparts"].as_array().unwrap().len(), 5, "{v}");
    }
    assert!(missing.is_empty(), "no counterpart: {missing:?}");
}

/// The searches of a French and a Spanish user: found in their language, with no English
/// "correction" of their words.
#[test]
fn a_query_in_another_language_is_read_in_it() {
    let v = search(&["droits de l'homme"]);
    assert_eq!(v["query_language"], "fr");
    assert!(v["hits"][0]["language"] == "fr", "{v}");
    assert!(v.get("suggestion").is_none(), "{v}");
    let v = search(&["derechos humanos"]);
    assert_eq!(v["query_language"], "es");
    assert!(
        v["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["language"] == "es"
                && h["text"].as_str().unwrap().contains("derechos humanos"))
    );
    assert!(
        v.get("suggestion").is_none(),
        "never \"humanos\" → \"humans\": {v}"
    );
    // French that the index does not hold is not "corrected" into English.
    let v = search(&["Pacte numérique mondial"]);
    assert_eq!(v["query_language"], "fr");
    assert!(v.get("suggestion").is_none(), "{v}");
    // A language no passage is in is said plainly.
    let v = json(&[
        "search",
        "--json",
        "--index",
        crate::common::corpus_index().to_str().unwrap(),
        "Pacte numérique mondial",
    ]);
    assert!(
        v["notice"]
            .as_str()
            .unwrap_or("")
            .contains("no passage in French"),
        "{v}"
    );
    // Each hit can come with its English counterpart beside it.
    let v = search(&["酷刑", "--beside", "en", "--limit", "3"]);
    let hit = &v["hits"][0];
    assert_eq!(hit["locator"]["paragraph"], "5");
    assert!(
        hit["beside"][0]["text"]
            .as_str()
            .unwrap()
            .contains("torture"),
        "{hit}"
    );
    // An entity filter finds its statements in every language its records name it in.
    let v = search(&["--agency", "China", "--limit", "100", "--facets", "true"]);
    let langs: std::collections::BTreeSet<&str> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["language"].as_str().unwrap())
        .collect();
    for l in ["en", "fr", "es", "ru", "zh"] {
        assert!(langs.contains(l), "China's statement in {l}: {langs:?}");
    }
    // Scripts tell their language, however short the query.
    assert_eq!(search(&["人权"])["query_language"], "zh");
    assert_eq!(search(&["права человека"])["query_language"], "ru");
    assert_eq!(search(&["حقوق الإنسان"])["query_language"], "ar");
}

/// The French, Spanish and Russian records break words at their lines' ends ("Коро-" +
/// "левство"): a passage holds the word whole wherever the record writes it whole elsewhere,
/// and keeps a hyphen the record writes ("Сьерра-Леоне").
#[test]
fn a_word_broken_at_a_line_end_is_whole_in_the_passage() {
    let mut texts = Vec::new();
    let mut offset = 0;
    loop {
        let o = offset.to_string();
        let v = search(&["--limit", "100", "--offset", &o, ""]);
        let hits = v["hits"].as_array().unwrap();
        if hits.is_empty() {
            break;
        }
        offset += hits.len();
        texts.extend(hits.iter().map(|h| h["text"].as_str().unwrap().to_string()));
    }
    assert!(texts.len() > 800, "{}", texts.len());
    for broken in [
        "Коро-левство",
        "résolu-tion",
        "resolu-ción",
        "Со-вета",
        "Se-guridad",
    ] {
        assert!(
            texts.iter().all(|t| !t.contains(broken)),
            "{broken} is still broken"
        );
    }
    for whole in ["Королевство", "résolution", "resolución", "Сьерра-Леоне"]
    {
        assert!(texts.iter().any(|t| t.contains(whole)), "{whole}");
    }
}

/// A quoted Chinese phrase is its words in order, as the Chinese text was cut into them: it
/// finds the passages that write it, and only those, and their snippets mark it.
#[test]
fn a_quoted_chinese_phrase_finds_the_passages_that_write_it() {
    for phrase in ["安全理事会", "人人有权享受"] {
        let unquoted = search(&[phrase, "--limit", "100"]);
        let v = search(&[&format!("\"{phrase}\""), "--limit", "100"]);
        let hits = v["hits"].as_array().unwrap();
        assert!(!hits.is_empty(), "\"{phrase}\": {v}");
        for h in hits {
            let text: String = h["text"].as_str().unwrap().split_whitespace().collect();
            assert!(text.contains(phrase), "\"{phrase}\" in {text}");
            // Marked whole in the snippet.
            let snippet: String = h["snippet"].as_str().unwrap().split_whitespace().collect();
            assert!(
                snippet.contains(&format!("<mark>{phrase}</mark>")),
                "{snippet}"
            );
        }
        // The passages that write it are every passage the unquoted words find together
        // and that write the words side by side.
        let side_by_side = unquoted["hits"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| {
                let t: String = h["text"].as_str().unwrap().split_whitespace().collect();
                t.contains(phrase)
            })
            .count();
        assert_eq!(hits.len(), side_by_side, "\"{phrase}\": {v}");
    }
}

#[derive(Deserialize)]
struct Meetings {
    meeting: Vec<Meeting>,
}

#[derive(Deserialize)]
struct Meeting {
    symbol: String,
    turns: Vec<TurnTruth>,
}

#[derive(Deserialize)]
struct TurnTruth {
    agency: String,
    #[serde(default)]
    anchor: Option<String>,
}

/// The first passage of each turn of a meeting (runs under one speaker label; procedural
/// lines are no turn), with its agency.
fn turn_openings(passages: &[Value]) -> Vec<&Value> {
    let mut out: Vec<&Value> = Vec::new();
    let mut prev: Option<(&Value, &Value)> = None;
    for p in passages {
        if p["speaker_label"].is_null() {
            prev = None;
            continue;
        }
        let key = (&p["speaker_label"], &p["agency"]);
        if prev != Some(key) {
            out.push(p);
        }
        prev = Some(key);
    }
    out
}

/// Each turn of a meeting meets its counterpart in every other language, and the counterpart
/// is attributed to the same entity (read from that language's own labels through the
/// registries' names in six languages).
#[test]
fn a_meeting_s_turns_meet_their_counterparts_in_every_language() {
    let idx = multilingual_index().to_str().unwrap().to_string();
    let text = std::fs::read_to_string(root().join("tests/fixtures/languages/sc-turns.toml"))
        .expect("turns");
    let m: Meetings = toml::from_str(&text).expect("turns parse");
    let (mut pairs, mut agree) = (0usize, 0usize);
    let mut unmatched = Vec::new();
    for meeting in &m.meeting {
        let doc = format!(
            "{}en",
            meeting.symbol.to_lowercase().replace("s/pv.", "s-pv")
        );
        let en = json(&["show", "--json", "--index", &idx, &doc]);
        let passages = en["passages"].as_array().unwrap();
        let openings = turn_openings(passages);
        let got: Vec<&str> = openings
            .iter()
            .map(|p| p["agency"].as_str().unwrap_or(""))
            .collect();
        let want: Vec<&str> = meeting.turns.iter().map(|t| t.agency.as_str()).collect();
        assert_eq!(got, want, "{}: the English turns", meeting.symbol);
        for (p, truth) in openings.iter().zip(&meeting.turns) {
            let id = p["id"].as_str().unwrap();
            let v = json(&["show", "--json", "--index", &idx, id, "--languages"]);
            let langs = v["counterparts"].as_array().unwrap();
            assert!(langs.len() >= 3, "{id}: {v}");
            for c in langs {
                let lang = c["language"].as_str().unwrap();
                let Some(q) = c["passages"].as_array().unwrap().first() else {
                    unmatched.push(format!("{id} in {lang}"));
                    continue;
                };
                pairs += 1;
                let agency = q["agency"].as_str().unwrap_or("");
                let anchored = truth
                    .anchor
                    .as_deref()
                    .is_none_or(|a| q["text"].as_str().unwrap().contains(a));
                assert!(
                    anchored,
                    "{id} in {lang}: not the turn that opens with {:?}: {q}",
                    truth.anchor
                );
                if agency == truth.agency {
                    agree += 1;
                } else {
                    println!("{id} in {lang}: {agency:?} for {:?}", truth.agency);
                }
            }
        }
    }
    println!("turns matched in other languages: {pairs}, same entity: {agree}");
    assert!(
        unmatched.is_empty(),
        "turns without a counterpart: {unmatched:?}"
    );
    let ratio = agree as f64 / pairs.max(1) as f64;
    // Measured: 102 of 102.
    assert!(
        ratio >= 0.97,
        "attribution agrees across languages on {ratio:.3}"
    );
}

/// Arabic taken from a PDF in visual order is refused with a message that says so, and
/// nothing of it is indexed.
#[test]
fn arabic_in_visual_order_is_refused_not_indexed_reversed() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("index");
    let folder = root().join("tests/fixtures/arabic-visual-order");
    let out = crate::common::travaux(&[
        "ingest",
        "--index",
        idx.to_str().unwrap(),
        folder.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3), "skipped files give status 3");
    let err = String::from_utf8_lossy(&out.stderr);
    let all = format!("{err}{}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(all.matches("visual order").count(), 6, "{all}");
}
