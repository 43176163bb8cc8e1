//! Inputs as users have them: UN PDFs (reports, a compendium of statements in two versions, a
//! publication), Akoma Ntoso, ParlaMint TEI and Hansard XML, read from the test corpus (tests/fixtures/corpus).

use crate::common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// One index of the corpus's PDF and XML folders.
fn formats_index() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, p) = DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let idx = dir.path().join("index");
        let c = corpus();
        let out = travaux(&[
            "ingest",
            "--json",
            "--index",
            idx.to_str().unwrap(),
            c.join("pdf").to_str().unwrap(),
            c.join("akn").to_str().unwrap(),
            c.join("parliament").to_str().unwrap(),
        ]);
        let report: Value = serde_json::from_slice(&out.stdout).expect("ingest report");
        assert_eq!(report["skipped"].as_array().unwrap().len(), 0, "{report}");
        // The ParlaMint corpus header is read for its people, not as a document.
        let meta = report["metadata"].as_array().unwrap();
        assert_eq!(meta.len(), 1, "{report}");
        assert!(meta[0]["path"].as_str().unwrap().contains("teiheader"));
        (dir, idx)
    });
    p
}

fn search(args: &[&str]) -> Value {
    let idx = formats_index().to_str().unwrap().to_string();
    let mut all = vec!["search", "--json", "--index", &idx];
    all.extend_from_slice(args);
    json(&all)
}

fn hits(v: &Value) -> &Vec<Value> {
    v["hits"].as_array().unwrap()
}

fn doc_passages(id: &str) -> Vec<Value> {
    let idx = formats_index().to_str().unwrap().to_string();
    json(&["show", "--json", "--index", &idx, id])["passages"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn a_compendium_gives_each_delegation_its_own_statement() {
    // "What did Australia say in the OEWG?"
    let v = search(&["--agency", "Australia", "--limit", "100"]);
    assert!(v["total"].as_u64().unwrap() >= 20, "{}", v["total"]);
    for h in hits(&v) {
        assert_eq!(h["agency"], "Australia");
        assert_eq!(h["evidence"], "author");
        assert_eq!(h["document"]["kind"], "submission");
        assert!(h["document"]["symbol"]
            .as_str()
            .unwrap()
            .starts_with("A/AC.292/2025/INF/5"));
    }
    let australia: Vec<&str> = hits(&v)
        .iter()
        .map(|h| h["text"].as_str().unwrap())
        .collect();
    assert!(australia
        .iter()
        .any(|t| t.contains("Australia aligns with the Pacific Islands Forum statement")));
    // A statement in the language of submission, recorded and searchable with its stemmer.
    let es = search(&["derecho", "--agency", "Argentina"]);
    assert!(es["total"].as_u64().unwrap() >= 1);
    assert!(hits(&es).iter().all(|h| h["language"] == "es"));
    assert!(hits(&es)[0]["text"].as_str().unwrap().contains("derech"));
    // A group statement carries the group, and its members find it.
    let arab = search(&["--agency", "Arab Group", "--limit", "1"]);
    assert!(arab["total"].as_u64().unwrap() >= 1);
    let joint = search(&["--agency", "Belarus", "--limit", "100"]);
    assert!(joint["total"].as_u64().unwrap() >= 1);
    for h in hits(&joint) {
        assert_eq!(h["agency"], "Group of Like-Minded States");
        assert!(h["members"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m == "Belarus"));
    }
    let eu = search(&["--agency", "EU", "--limit", "1"]);
    assert!(hits(&eu)[0]["text"].as_str().is_some());
    // The contents list and the page furniture are not passages.
    for p in doc_passages("a-ac292-2025-inf-5en") {
        let t = p["text"].as_str().unwrap();
        assert!(!t.contains("........"), "contents line: {t}");
        assert!(!t.contains("25-12653"), "job number: {t}");
    }
}

#[test]
fn a_revised_compendium_is_a_new_version_of_the_same_work() {
    let idx = formats_index().to_str().unwrap().to_string();
    let d = json(&[
        "diff",
        "--json",
        "--index",
        &idx,
        "A/AC.292/2025/INF/5/Rev.1",
    ]);
    assert_eq!(d["from"]["symbol"], "A/AC.292/2025/INF/5");
    assert_eq!(d["to"]["version"], "rev1");
    assert!(
        d["counts"]["unchanged"].as_u64().unwrap() > 150,
        "{}",
        d["counts"]
    );
    // The revision adds the United States' statement.
    let us = search(&["--agency", "United States", "--limit", "100"]);
    assert!(us["total"].as_u64().unwrap() >= 1);
    assert!(hits(&us)
        .iter()
        .all(|h| h["document"]["symbol"] == "A/AC.292/2025/INF/5/Rev.1"));
}

#[test]
fn un_reports_and_publications_read_from_pdf_like_their_text() {
    // A forum summary: masthead read, numbered paragraphs under their headings.
    let ps = doc_passages("e-hlpf-2025-6en");
    let first = ps
        .iter()
        .find(|p| p["locator"]["paragraph"] == "1")
        .unwrap();
    assert!(first["text"]
        .as_str()
        .unwrap()
        .starts_with("The present summary reflects"));
    assert_eq!(first["locator"]["section"], "I. Introduction");
    assert_eq!(first["document"]["date"], "2025-06-02");
    // A publication: ligatures restored, running heads gone.
    let ps = doc_passages("unctad-tir-2025-overviewen");
    let all: String = ps
        .iter()
        .map(|p| p["text"].as_str().unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(all.contains("artificial intelligence"));
    assert!(!all.contains('\u{0}'));
    let heads = ps
        .iter()
        .filter(|p| p["text"] == "Technology and Innovation Report 2025 Inclusive Artificial Intelligence for Development Overview")
        .count();
    assert_eq!(heads, 0, "the running head is furniture");
}

/// A one-page PDF with no text layer, as a scanner makes.
fn scanned_pdf() -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        "<< /Length 0 >>\nstream\n\nendstream",
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

#[test]
fn a_scan_without_text_is_reported_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("scan.pdf"), scanned_pdf()).unwrap();
    std::fs::write(
        dir.path().join("not-really.pdf"),
        b"%PDF-1.7 this is not a pdf",
    )
    .unwrap();
    let idx = dir.path().join("index");
    let out = travaux(&[
        "ingest",
        "--index",
        idx.to_str().unwrap(),
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(3));
    let err =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(
        err.contains("scan.pdf") && err.contains("no text layer"),
        "{err}"
    );
    assert!(
        err.contains("not-really.pdf") && err.contains("could not be read"),
        "{err}"
    );
}

fn first(ps: &[Value], f: impl Fn(&Value) -> bool) -> &Value {
    ps.iter().find(|p| f(p)).expect("a matching passage")
}

#[test]
fn akoma_ntoso_gives_paragraph_numbers_preamble_speakers_and_roles_from_the_markup() {
    let en = doc_passages("akn2-un-cnd-draft-resolution-e-cn7-2012-l2-en");
    let op1 = first(&en, |p| p["locator"]["paragraph"] == "1");
    assert!(op1["text"]
        .as_str()
        .unwrap()
        .starts_with("Encourages Member States to monitor"));
    let pp1 = first(&en, |p| p["locator"]["paragraph"] == "PP1");
    assert!(pp1["text"]
        .as_str()
        .unwrap()
        .starts_with("Concerned that new psychoactive substances"));
    assert_eq!(op1["document"]["symbol"], "E/CN.7/2012/L.2");
    assert_eq!(op1["language"], "en");
    // The Spanish expression is the same work, in Spanish, searched with Spanish stemming.
    let es = doc_passages("akn2-un-cnd-draft-resolution-e-cn7-2012-l2-es");
    assert_eq!(es[0]["document"]["work"], op1["document"]["work"]);
    assert!(es.iter().all(|p| p["language"] == "es"));
    let v = search(&["sustancia", "--language", "es", "--limit", "1"]);
    assert_eq!(
        hits(&v)[0]["document"]["id"],
        "akn2-un-cnd-draft-resolution-e-cn7-2012-l2-es"
    );
    // A debate: the speech's `by` and `as` resolved through the references block.
    let debate = doc_passages("akn2-debate-bungeni-2010-12-07");
    let reply = first(&debate, |p| {
        p["text"] == "Mr. Speaker, Sir, I beg to reply."
    });
    assert_eq!(reply["speaker"], "Mr. Beta");
    assert_eq!(
        reply["role"],
        "Minister for Higher Education, Science and Technology"
    );
    assert_eq!(reply["document"]["kind"], "transcript");
}

#[test]
fn parlamint_speakers_carry_their_party_and_language() {
    // Turkish session: people and parties from the corpus header beside it.
    let tr = doc_passages("parlamint-tr-tbmm-2018-07-07");
    assert!(tr.iter().all(|p| p["language"] == "tr"));
    let akp = first(&tr, |p| p["agency"] == "Justice and Development Party");
    assert!(akp["speaker"].as_str().is_some());
    assert_eq!(akp["document"]["date"], "2018-07-07");
    let v = search(&["--agency", "Republican People's Party", "--limit", "100"]);
    assert!(v["total"].as_u64().unwrap() >= 5);
    // Catalan session: utterances in Catalan and in Spanish, as marked.
    let ca = doc_passages("parlamint-es-ct-2018-01-17-0101");
    assert!(ca.iter().any(|p| p["language"] == "ca"));
    assert!(ca.iter().any(|p| p["language"] == "es"));
}

#[test]
fn hansard_speeches_have_their_speakers_and_procedure_has_none() {
    let ps = doc_passages("uk-hansard-commons-debates-2009-10-26a");
    let ordered = first(&ps, |p| p["text"] == "Ordered,");
    assert!(ordered["speaker"].is_null());
    let campbell = first(&ps, |p| p["speaker"] == "Alan Campbell");
    assert_eq!(
        campbell["role"],
        "The Parliamentary Under-Secretary of State for the Home Department"
    );
    assert_eq!(campbell["document"]["date"], "2009-10-26");
    let v = search(&["--speaker", "Meg Hillier", "--limit", "1"]);
    assert_eq!(hits(&v)[0]["speaker"], "Meg Hillier");
}

#[test]
fn word_documents_read_like_their_text() {
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("index");
    let i = idx.to_str().unwrap();
    let fixtures = root().join("tests/fixtures/docx");
    let report = json(&["ingest", "--json", "--index", i, fixtures.to_str().unwrap()]);
    assert_eq!(report["skipped"].as_array().unwrap().len(), 0, "{report}");
    assert_eq!(report["added"], 3);
    let show = |id: &str| {
        json(&["show", "--json", "--index", i, id])["passages"]
            .as_array()
            .unwrap()
            .clone()
    };
    // Word's automatic numbering gives the operative paragraphs their numbers.
    let draft = show("a-c1-80-l20-ict-security-oewg-draft");
    let numbers: Vec<&str> = draft
        .iter()
        .map(|p| p["locator"]["paragraph"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, ["PP1", "PP2", "PP3", "1", "2", "3", "4"]);
    assert!(draft[3]["text"]
        .as_str()
        .unwrap()
        .starts_with("Decides to endorse the final report"));
    assert_eq!(draft[0]["document"]["symbol"], "A/C.1/80/L.20");
    // The same text as the text file gives.
    let text_idx = dir.path().join("text");
    ok(&[
        "ingest",
        "--index",
        text_idx.to_str().unwrap(),
        corpus()
            .join("resolutions/a-c1-80-l20-ict-security-oewg-draft.txt")
            .to_str()
            .unwrap(),
    ]);
    let from_text = json(&[
        "show",
        "--json",
        "--index",
        text_idx.to_str().unwrap(),
        "a-c1-80-l20-ict-security-oewg-draft",
    ]);
    let texts = |ps: &[Value]| {
        ps.iter()
            .map(|p| p["text"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        texts(&draft),
        texts(from_text["passages"].as_array().unwrap())
    );
    // A Teams transcript downloaded as Word: the same turns and attribution.
    let teams = show("wsis20-ungis-consultation-2025-11-17-teams");
    let who = teams
        .iter()
        .find(|p| {
            p["text"]
                .as_str()
                .unwrap()
                .contains("My name is Derek Munene")
        })
        .unwrap();
    assert_eq!(who["agency"], "WHO");
    assert_eq!(who["locator"]["timestamp"], 18 * 60 + 14);
    // A submission, with its author from the manifest.
    let edri = show("edri-ec-ai-inception-impact-assessment-2020");
    assert_eq!(edri[0]["agency"], "EDRi");
    assert_eq!(edri[0]["document"]["kind"], "submission");
}
