//! Faithful text, measured on UN documents the parsers were not written on
//! (`tests/fixtures/fidelity/`, provenance in its SOURCES.md): every paragraph where the
//! document has it, every footnote marker out of the text and kept with its paragraph, every
//! number of the text as printed, and every word of a passage found, in order, in the document's
//! own text. `expected.toml` holds the hand-checked answers.

use crate::common::*;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Deserialize)]
struct Expected {
    document: Vec<Doc>,
}

#[derive(Deserialize)]
struct Doc {
    file: String,
    symbol: String,
    paragraphs: Vec<String>,
    markers: usize,
    #[serde(default)]
    cites: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    keep: Vec<(String, String)>,
    #[serde(default)]
    sections: BTreeMap<String, String>,
    /// Footnote number → its text as printed at the page foot.
    #[serde(default)]
    notes: BTreeMap<String, String>,
    /// The sponsors as the masthead names them, without the marks of their notes.
    #[serde(default)]
    author: Option<String>,
    /// The entity the draft speaks for: the group an "on behalf of" note names.
    #[serde(default)]
    agency: Option<String>,
}

/// The footnote markers a passage cites, in order.
fn marks_of(p: &Value) -> Vec<String> {
    p["footnotes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| f["mark"].as_str().unwrap().to_string())
        .collect()
}

/// The words of a text: runs of letters and digits (punctuation, hyphens and line ends apart).
fn words(text: &str) -> Vec<&str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

/// Words of `passage` not found, in order, in the document's words from `from` on: a word
/// matches the document's as printed, or with a footnote marker the passage cites stuck to it
/// ("Disarmament2", "2014–20243"). Page furniture and footnote blocks between the matched words
/// are passed over. Returns the position after the passage's last matched word and the words
/// that did not match.
fn align<'a>(
    source: &[&str],
    from: usize,
    passage: &[&'a str],
    marks: &[String],
) -> (usize, Vec<&'a str>) {
    let same = |s: &str, w: &str| {
        s == w
            || marks.iter().any(|m| {
                s.strip_suffix(m.as_str()).is_some_and(|rest| rest == w)
                    || w.strip_suffix(m.as_str()).is_some_and(|rest| rest == s)
            })
    };
    let (mut at, mut missing) = (from, Vec::new());
    for (i, w) in passage.iter().enumerate() {
        // Nearby, the word alone is enough; further on (past a footnote block), the next word
        // must follow it too.
        // A marker standing alone is looked for only where it stands: matched further on, it
        // would carry the alignment past words it has not met.
        let window = if marks.iter().any(|m| m == w) { 3 } else { 600 };
        let found = (at..source.len().min(at + window)).find(|&j| {
            same(source[j], w)
                && (j < at + 3
                    || passage.get(i + 1).is_none_or(|next| {
                        (j + 1..j + 4).any(|k| source.get(k).is_some_and(|s| same(s, next)))
                    }))
        });
        match found {
            Some(j) => at = j + 1,
            None => missing.push(*w),
        }
    }
    (at, missing)
}

/// The words of a document's body as printed, found by the page's own layout rather than by
/// travaux's rules: from the line that opens the text ("The General Assembly,") on, without
/// the page furniture (a line that is the symbol, a page count "2/7", a job number, a barcode,
/// and the running head printed next to the symbol line with nothing between), the notes
/// (from a rule of underscores, or a line opening with a star or dagger, to the next page's
/// furniture), and the meeting line and its date, which close a resolution as metadata.
fn body_words(text: &str, symbol: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    let anchor = |l: &str| {
        let b = l.as_bytes();
        let page = l.split_once('/').is_some_and(|(a, b)| {
            digits(a.trim()) && digits(b.trim()) && a.trim().len() <= 3 && b.trim().len() <= 3
        });
        let job = b.len() >= 8 && b[2] == b'-' && digits(&l[..2]) && digits(&l[3..8]);
        let barcode =
            l.len() > 2 && l.starts_with('*') && l.ends_with('*') && digits(&l[1..l.len() - 1]);
        page || job || barcode
    };
    let note = |l: &str| {
        l.starts_with("_____")
            || ["* ", "** ", "*** ", "† ", "‡ "].iter().any(|m| {
                l.strip_prefix(m)
                    .is_some_and(|r| r.starts_with(char::is_uppercase))
            })
    };
    let mut head = vec![false; lines.len()];
    for (i, l) in lines.iter().enumerate() {
        if *l == symbol {
            let mut k = i;
            while k > 0 && !lines[k - 1].is_empty() && !anchor(lines[k - 1]) {
                k -= 1;
                head[k] = true;
            }
            let mut k = i;
            while k + 1 < lines.len() && !lines[k + 1].is_empty() && !anchor(lines[k + 1]) {
                k += 1;
                head[k] = true;
            }
        }
    }
    let start = lines
        .iter()
        .position(|l| l.starts_with("The General Assembly"))
        .unwrap_or(0);
    let (mut out, mut in_notes, mut i) = (Vec::new(), false, start);
    while i < lines.len() {
        let l = lines[i];
        if note(l) {
            in_notes = true;
        } else if l == symbol || anchor(l) {
            in_notes = false;
        } else if l.ends_with("plenary meeting") && l.split_whitespace().count() == 3 {
            i += 2;
            continue;
        } else if !in_notes && !head[i] {
            let l = if i == start {
                l.trim_start_matches("The General Assembly")
                    .trim_start_matches(',')
            } else {
                l
            };
            out.extend(words(l).into_iter().map(str::to_string));
        }
        i += 1;
    }
    out
}

/// The words of `body` that `made` does not hold in order; a footnote marker standing alone is
/// not a word of the text.
fn lost<'a>(made: &[&str], body: &[&'a str], marks: &[String]) -> Vec<&'a str> {
    align(made, 0, body, marks)
        .1
        .into_iter()
        .filter(|w| !marks.iter().any(|m| m == w))
        .collect()
}

#[test]
fn unseen_documents_read_as_printed() {
    let set = root().join("tests/fixtures/fidelity");
    let expected: Expected =
        toml::from_str(&std::fs::read_to_string(set.join("expected.toml")).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let idx = dir.path().join("index");
    ok(&[
        "ingest",
        "--index",
        idx.to_str().unwrap(),
        set.join("docs").to_str().unwrap(),
    ]);
    let (mut markers, mut found, mut kept, mut keeps, mut exact) = (0, 0, 0, 0, 0);
    let (mut passage_words, mut differ, mut numbers, mut numbers_altered) = (0, 0, 0, 0);
    let (mut notes, mut notes_right, mut paragraphs) = (0, 0, 0);
    let (mut body_total, mut words_lost) = (0, 0);
    let mut problems = Vec::new();
    for doc in &expected.document {
        let id = doc.file.trim_end_matches(".txt");
        let shown = json(&["show", "--json", "--index", idx.to_str().unwrap(), id]);
        assert_eq!(shown["document"]["symbol"], doc.symbol.as_str());
        if let Some(author) = &doc.author {
            assert_eq!(shown["document"]["author"], author.as_str(), "{id}");
        }
        let passages = shown["passages"].as_array().unwrap();
        let para = |p: &Value| p["locator"]["paragraph"].as_str().unwrap_or("").to_string();
        let labels: Vec<String> = passages.iter().map(para).collect();
        if labels == doc.paragraphs {
            exact += 1;
        } else {
            problems.push(format!("{id}: paragraphs {labels:?}"));
        }
        paragraphs += doc.paragraphs.len();
        let by_label: BTreeMap<String, &Value> = passages.iter().map(|p| (para(p), p)).collect();
        if let Some(agency) = &doc.agency {
            for p in passages {
                assert_eq!(p["agency"], agency.as_str(), "{id} {}", para(p));
            }
        }
        // Every word of every passage, in order, in the document's own text.
        let source_text = std::fs::read_to_string(set.join("docs").join(&doc.file)).unwrap();
        let source = words(&source_text);
        let job = source_text
            .lines()
            .map(str::trim)
            .find(|l| {
                let b = l.as_bytes();
                b.len() >= 8 && b[2] == b'-' && b[..2].iter().all(u8::is_ascii_digit)
            })
            .and_then(|l| l.split_whitespace().next())
            .unwrap_or("-");
        let mut at = 0;
        for p in passages {
            let text = p["text"].as_str().unwrap();
            if text.contains(job) {
                problems.push(format!("{id} {}: page footer `{job}` in `{text}`", para(p)));
            }
            let marks = marks_of(p);
            let ws = words(text);
            passage_words += ws.len();
            numbers += ws
                .iter()
                .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
                .count();
            let start = (at..source.len())
                .find(|&j| source[j..].starts_with(&ws[..ws.len().min(3)]))
                .unwrap_or(at);
            let (next, missing) = align(&source, start, &ws, &marks);
            at = next;
            differ += missing.len();
            numbers_altered += missing
                .iter()
                .filter(|w| w.chars().any(|c| c.is_ascii_digit()))
                .count();
            if !missing.is_empty() {
                problems.push(format!(
                    "{id} {}: words not in the document: {missing:?}",
                    para(p)
                ));
            }
        }
        // Every word of the body, in order, in what travaux made of it (each passage's section
        // heading where it changes, its label, its text): none lost. A marker standing alone
        // is not a word of the text.
        let body_text = body_words(&source_text, &doc.symbol);
        let body: Vec<&str> = body_text.iter().map(String::as_str).collect();
        let mut made: Vec<&str> = Vec::new();
        let mut section: Option<&str> = None;
        for p in passages {
            let s = p["locator"]["section"].as_str();
            if s.is_some() && s != section {
                made.extend(words(s.unwrap_or("")));
            }
            section = s;
            made.extend(words(p["locator"]["paragraph"].as_str().unwrap_or("")));
            made.extend(words(p["text"].as_str().unwrap()));
        }
        let all_marks: Vec<String> = passages.iter().flat_map(marks_of).collect();
        let gone = lost(&made, &body, &all_marks);
        body_total += body.len();
        words_lost += gone.len();
        if !gone.is_empty() {
            problems.push(format!("{id}: words of the body lost: {gone:?}"));
        }
        for (mark, text) in &doc.notes {
            notes += 1;
            let have: Vec<&str> = passages
                .iter()
                .flat_map(|p| p["footnotes"].as_array().into_iter().flatten())
                .filter(|f| f["mark"] == mark.as_str())
                .filter_map(|f| f["text"].as_str())
                .collect();
            if have.iter().all(|h| h == text) && !have.is_empty() {
                notes_right += 1;
            } else {
                problems.push(format!("{id} footnote {mark}: {have:?}, expected `{text}`"));
            }
        }
        // Markers: each cited by the paragraph the document prints it in, and none left over.
        markers += doc.markers;
        let mut cited: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for p in passages {
            let marks = marks_of(p);
            assert!(
                p["footnotes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .all(|f| !f["text"].as_str().unwrap().is_empty()),
                "{id}: a footnote without its text"
            );
            if !marks.is_empty() {
                found += marks.len();
                cited.insert(para(p), marks);
            }
        }
        if cited != doc.cites {
            problems.push(format!("{id}: markers {cited:?}"));
        }
        for (label, text) in &doc.keep {
            keeps += 1;
            let have = by_label
                .get(label)
                .and_then(|p| p["text"].as_str())
                .unwrap_or("");
            if have.contains(text.as_str()) {
                kept += 1;
            } else {
                problems.push(format!("{id} {label}: `{text}` not in `{have}`"));
            }
        }
        for (label, section) in &doc.sections {
            let have = by_label
                .get(label)
                .and_then(|p| p["locator"]["section"].as_str())
                .unwrap_or("");
            if have != section {
                problems.push(format!(
                    "{id} {label}: section `{have}`, expected `{section}`"
                ));
            }
        }
    }
    println!(
        "fidelity: {} documents, {paragraphs} paragraphs; paragraph lists exact in {exact}; \
         footnote markers taken out and kept {found}/{markers}; footnote texts right \
         {notes_right}/{notes}; text kept as printed {kept}/{keeps}; words not in the document \
         {differ} of {passage_words} ({:.2} per 1,000); numbers altered {numbers_altered} of \
         {numbers}; words of the body lost {words_lost} of {body_total}",
        expected.document.len(),
        differ as f64 * 1000.0 / passage_words.max(1) as f64
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(expected.document.len() >= 32);
    assert_eq!(exact, expected.document.len());
    assert_eq!(found, markers);
    assert_eq!(kept, keeps);
    assert_eq!(notes_right, notes);
    assert_eq!(numbers_altered, 0);
    assert_eq!(words_lost, 0, "words of the body lost");
    assert_eq!(
        differ, 0,
        "{differ} of {passage_words} words not in the document"
    );
}

#[test]
fn a_word_not_in_the_document_is_counted() {
    let source =
        words("Recalling the report of the Committee on\nDisarmament2 submitted to it, 12 March");
    let passage =
        words("Recalling the report of the Committee on Disarmament submitted to it, 12 March");
    assert!(align(&source, 0, &passage, &["2".to_string()]).1.is_empty());
    // Without the marker cited, the word stuck to it is not the document's word.
    assert_eq!(align(&source, 0, &passage, &[]).1, vec!["Disarmament"]);
    // An altered number and an inserted word are counted.
    let altered = words(
        "Recalling the full report of the Committee on Disarmament submitted to it, 13 March",
    );
    assert_eq!(
        align(&source, 0, &altered, &["2".to_string()]).1,
        vec!["full", "13"]
    );
}

#[test]
fn a_word_of_the_body_lost_is_counted() {
    let doc = "United Nations\nA/C.1/80/L.99\n\nThe General Assembly,\n\nCalls upon all States to implement the Convention on the\nProhibition of the Use of Mines\n\nA/C.1/80/L.99\n \n25-12345\n2/4\n \nand on Their Destruction;2\n_______________\n2 A note.\n";
    let body = body_words(doc, "A/C.1/80/L.99");
    let body: Vec<&str> = body.iter().map(String::as_str).collect();
    assert_eq!(body.first(), Some(&"Calls"));
    assert!(!body.contains(&"25") && !body.contains(&"note"));
    let marks = vec!["2".to_string()];
    let whole = words("Calls upon all States to implement the Convention on the Prohibition of the Use of Mines and on Their Destruction;");
    assert!(lost(&whole, &body, &marks).is_empty());
    // A line taken for page furniture: its words are lost, and counted.
    let cut =
        words("Calls upon all States to implement the Convention on the and on Their Destruction;");
    assert_eq!(
        lost(&cut, &body, &marks),
        vec!["Prohibition", "of", "the", "Use", "of", "Mines"]
    );
}
