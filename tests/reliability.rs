//! Hostile input: files that are not what they claim, and requests that try to cost the server
//! too much. Each gets a clear answer; nothing else is disturbed.

use crate::common::*;
use crate::http::*;
use serde_json::{json, Value};
use std::io::Write;

/// A folder of hostile files beside one good one.
fn hostile_folder(dir: &std::path::Path) {
    let sub = dir.join("submissions");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::copy(
        corpus().join("transcripts/un-s-pv10100-pv-en.txt"),
        dir.join("good.txt"),
    )
    .unwrap();
    // Binary data with a text name.
    let noise: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(dir.join("noise.txt"), noise).unwrap();
    // UTF-16 with a byte-order mark, and Latin-1 without any mark.
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "The President: I call the meeting to order.".encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    std::fs::write(dir.join("utf16.txt"), utf16).unwrap();
    std::fs::write(
        dir.join("latin1.txt"),
        b"The President: caf\xe9 au lait.\nMr. Wood: merci.\n",
    )
    .unwrap();
    // A file of speaker labels and nothing else.
    std::fs::write(
        dir.join("labels.txt"),
        "The President:\nMr. Wood:\nMs. Evstigneeva:\n".repeat(50),
    )
    .unwrap();
    // One 20 MB line in a submissions folder.
    let mut big = std::fs::File::create(sub.join("one-line.txt")).unwrap();
    let chunk = "capacity building and digital cooperation ".repeat(1000);
    for _ in 0..480 {
        big.write_all(chunk.as_bytes()).unwrap();
    }
    // XML nested 100,000 deep.
    let deep = format!("{}{}", "<a>".repeat(100_000), "</a>".repeat(100_000));
    std::fs::write(dir.join("deep.xml"), deep).unwrap();
    // A Word document whose text part would expand to 80 MB.
    let f = std::fs::File::create(dir.join("bomb.docx")).unwrap();
    let mut z = zip::ZipWriter::new(f);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    z.start_file("word/document.xml", opts).unwrap();
    let spaces = vec![b' '; 1 << 20];
    for _ in 0..80 {
        z.write_all(&spaces).unwrap();
    }
    z.finish().unwrap();
    // Not a PDF at all.
    std::fs::write(dir.join("fake.pdf"), b"%PDF-1.7\nnothing here").unwrap();
}

#[test]
fn hostile_files_get_a_clear_error_each_and_the_good_one_is_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    hostile_folder(&docs);
    let idx = dir.path().join("index");
    let out = travaux(&[
        "ingest",
        "--json",
        "--index",
        idx.to_str().unwrap(),
        docs.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "skipped files make the exit status say so"
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let reason = |name: &str| -> String {
        report["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["path"].as_str().unwrap().ends_with(name))
            .map(|s| s["reason"].as_str().unwrap().to_string())
            .unwrap_or_default()
    };
    assert!(
        reason("noise.txt").contains("binary") || reason("noise.txt").contains("UTF-8"),
        "{report}"
    );
    // UTF-16 is read by its byte-order mark: whatever else may be wrong, the encoding is not.
    assert!(!reason("utf16.txt").contains("UTF"), "{report}");
    assert!(
        reason("latin1.txt").contains("invalid UTF-8 at line 1"),
        "{report}"
    );
    assert!(reason("deep.xml").contains("XML"), "{report}");
    assert!(reason("bomb.docx").contains("expands to"), "{report}");
    assert!(reason("fake.pdf").contains("PDF"), "{report}");
    // The good file, the labels-only file (no text to index is not an error) and the long line
    // are read; nothing is half-written.
    let stats = json(&["stats", "--json", "--index", idx.to_str().unwrap()]);
    let docs_in = stats["documents"].as_u64().unwrap();
    assert!(docs_in >= 2, "{stats}");
    let v = json(&[
        "search",
        "--json",
        "--index",
        idx.to_str().unwrap(),
        "\"capacity building\"",
        "--limit",
        "1",
    ]);
    assert!(v["total"].as_u64().unwrap() >= 1);
    assert!(
        v["hits"][0]["text"].as_str().unwrap().len() <= travaux::ingest::MAX_PASSAGE_BYTES,
        "a passage is bounded"
    );
}

#[test]
fn hostile_requests_get_4xx_never_5xx() {
    let server = Server::start(corpus_index());
    let addr = server.addr.clone();
    let deep_json = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let many_terms = (0..3000)
        .map(|i| format!("w{i}"))
        .collect::<Vec<_>>()
        .join("+");
    let parens = format!("{}x{}", "(".repeat(500), ")".repeat(500));
    let long_phrase = format!("%22{}%22", "word+".repeat(2000));
    let mut tried = 0;
    // Refused with a 4xx, or (for syntax the query language reads as plain words) answered.
    let mut check = |r: Resp, what: &str| {
        tried += 1;
        let answered = what.starts_with("read as words") && r.status == 200;
        assert!(
            answered || (400..500).contains(&r.status),
            "{what}: HTTP {} {}",
            r.status,
            r.text()
        );
    };
    check(
        request(
            &addr,
            "POST",
            "/api/search",
            Some("application/json"),
            &vec![b' '; 3 << 20],
        ),
        "3 MB body",
    );
    check(
        request(
            &addr,
            "POST",
            "/api/search",
            Some("application/json"),
            deep_json.as_bytes(),
        ),
        "nested JSON",
    );
    check(
        request(
            &addr,
            "POST",
            "/api/search/batch",
            Some("application/json"),
            deep_json.as_bytes(),
        ),
        "nested batch",
    );
    check(
        request(
            &addr,
            "POST",
            "/api/precedent",
            Some("application/json"),
            deep_json.as_bytes(),
        ),
        "nested precedent",
    );
    check(get(&addr, "/api/search?limit=100000000"), "huge limit");
    check(
        get(&addr, "/api/search?offset=18446744073709551615"),
        "huge offset",
    );
    check(get(&addr, "/api/search?limit=-1"), "negative limit");
    check(
        get(&addr, &format!("/api/search?q={many_terms}")),
        "thousands of terms",
    );
    check(
        get(&addr, &format!("/api/search?q={parens}")),
        "read as words: nested parentheses",
    );
    check(
        get(&addr, &format!("/api/search?q={long_phrase}")),
        "long phrase",
    );
    check(get(&addr, "/api/search?q=%FF%FE"), "invalid UTF-8");
    check(
        get(&addr, "/api/search?agency=%00%01%02"),
        "control characters",
    );
    check(
        get(&addr, "/api/search?q=a~2+b~2+c*"),
        "read as words: fuzzy and prefix operators",
    );
    check(
        get(&addr, "/api/passages/..%2F..%2Fetc%2Fpasswd"),
        "a path in an id",
    );
    check(
        get(&addr, "/api/documents/..%2F..%2Fetc%2Fpasswd"),
        "a path in a document id",
    );
    check(
        get(&addr, &format!("/api/works/{}/diff", "x".repeat(5000))),
        "a long work name",
    );
    check(
        post_json(
            &addr,
            "/api/precedent",
            &json!({"text": "x".repeat(30_000)}),
        ),
        "long precedent text",
    );
    let batch: Vec<Value> = (0..1001).map(|i| json!({"q": format!("w{i}")})).collect();
    check(
        post_json(&addr, "/api/search/batch", &Value::from(batch)),
        "batch over 1,000",
    );
    assert!(tried >= 18);
    // The server still answers.
    assert_eq!(get(&addr, "/api/health").status, 200);
}

#[test]
fn a_client_that_never_finishes_its_headers_is_cut_off() {
    use std::io::Read;
    let server = Server::start(corpus_index());
    let mut s = std::net::TcpStream::connect(&server.addr).unwrap();
    s.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    let started = std::time::Instant::now();
    let mut buf = [0u8; 256];
    let n = s.read(&mut buf).unwrap_or(0);
    let waited = started.elapsed();
    assert!(
        waited < std::time::Duration::from_secs(20),
        "held for {waited:?}"
    );
    assert!(!String::from_utf8_lossy(&buf[..n]).contains("200 OK"));
    // Everyone else is served meanwhile and after.
    assert_eq!(get(&server.addr, "/api/health").status, 200);
}
