//! The search page in a real browser: headless Chromium driven through ChromeDriver (the
//! WebDriver protocol over loopback). A user types a query, picks an agency, and reads the
//! results; a screenshot is saved under target/test-output/.

use crate::common::*;
use crate::http::*;
use serde_json::{json, Value};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

struct Driver {
    addr: String,
    session: String,
    child: std::process::Child,
}

impl Driver {
    fn start() -> Driver {
        let chromedriver =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        assert!(
            std::path::Path::new(&chromedriver).exists()
                && std::path::Path::new(&chromium).exists(),
            "the browser test needs Debian's chromium and chromium-driver (.ci/run installs them)"
        );
        let port = free_port();
        let child = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let addr = format!("127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(&addr).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().unwrap().keep();
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1200,900", format!("--user-data-dir={}", profile.display())]
        }}}});
        let r = post_json(&addr, "/session", &caps).json();
        let session = r["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {r}"))
            .to_string();
        Driver {
            addr,
            session,
            child,
        }
    }

    fn call(&self, method: &str, path: &str, body: Value) -> Value {
        let p = format!("/session/{}{path}", self.session);
        let r = request(
            &self.addr,
            method,
            &p,
            Some("application/json"),
            body.to_string().as_bytes(),
        );
        let v = r.json();
        assert!(r.status < 400, "{method} {path}: {v}");
        v["value"].clone()
    }

    fn find(&self, css: &str) -> String {
        let v = self.call(
            "POST",
            "/element",
            json!({"using": "css selector", "value": css}),
        );
        v[ELEMENT].as_str().unwrap().to_string()
    }

    /// Opens a page of the server at `addr`.
    fn visit(&self, addr: &str, path: &str) {
        self.call(
            "POST",
            "/url",
            json!({"url": format!("http://{addr}{path}")}),
        );
    }

    fn script(&self, js: &str) -> Value {
        self.call("POST", "/execute/sync", json!({"script": js, "args": []}))
    }

    fn wait_for(&self, js: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let v = self.script(js);
            if v.as_bool() != Some(false) && !v.is_null() {
                return v;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {js}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Driver {
    /// Saves what the browser shows under target/test-output/.
    fn save_screenshot(&self, name: &str) {
        let shot = self.call("GET", "/screenshot", json!({}));
        let png = base64_decode(shot.as_str().unwrap());
        assert!(png.starts_with(b"\x89PNG"));
        let out = root().join("target/test-output");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join(name), png).unwrap();
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = request(
            &self.addr,
            "DELETE",
            &format!("/session/{}", self.session),
            None,
            b"",
        );
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn base64_decode(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => continue,
        };
        buf = (buf << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    out
}

#[test]
fn a_user_searches_filters_by_agency_and_opens_a_passage() {
    let server = Server::start(corpus_index());
    let d = Driver::start();
    d.visit(&server.addr, "/");
    // The filter menus fill from /api/facets.
    d.wait_for("return document.querySelectorAll('#f-agency option').length > 5");
    let q = d.find("#q");
    d.call(
        "POST",
        &format!("/element/{q}/value"),
        json!({"text": "information literacy\n"}),
    );
    d.wait_for("return document.querySelectorAll('li.hit').length > 0");
    let option = d.find("#f-agency option[value='UNESCO']");
    d.call("POST", &format!("/element/{option}/click"), json!({}));
    d.wait_for("return location.search.includes('agency=UNESCO') && document.querySelectorAll('li.hit').length > 0 && !document.getElementById('status').textContent.startsWith('Searching')");
    let agencies = d.script(
        "return [...document.querySelectorAll('li.hit .badge.agency')].map(b => b.textContent)",
    );
    let agencies = agencies.as_array().unwrap();
    assert!(!agencies.is_empty());
    assert!(agencies.iter().all(|a| a == "UNESCO"), "{agencies:?}");
    let status = d.script("return document.getElementById('status').textContent");
    assert!(status.as_str().unwrap().contains("passages"), "{status}");
    let marks = d.script("return document.querySelectorAll('li.hit mark').length");
    assert!(marks.as_u64().unwrap() > 0, "matched words are highlighted");
    // The URL holds the search, so it can be bookmarked.
    let url = d
        .script("return location.search")
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        url.contains("q=information+literacy") && url.contains("agency=UNESCO"),
        "{url}"
    );
    // A click opens the passage among its neighbours.
    let hit = d.find("li.hit");
    d.call("POST", &format!("/element/{hit}/click"), json!({}));
    d.wait_for("return !document.getElementById('context').hidden && document.querySelectorAll('#context-list li').length > 1");
    d.save_screenshot("search-page.png");
}

#[test]
fn a_user_reads_a_paragraphs_history_and_who_referred_to_it() {
    let server = Server::start(corpus_index());
    let d = Driver::start();
    // The WSIS+20 outcome's health paragraph, which WHO referred to in the consultation.
    d.visit(
        &server.addr,
        "/?q=%22addressing+health+and+medicine%22&kind=resolution",
    );
    d.wait_for("return [...document.querySelectorAll('li.hit .badge.doc')].some(b => b.textContent === 'A/RES/80/173')");
    let hit = d.script("return [...document.querySelectorAll('li.hit')].findIndex(h => h.querySelector('.badge.doc').textContent === 'A/RES/80/173')");
    let hit = d.find(&format!(
        "li.hit:nth-of-type({})",
        hit.as_u64().unwrap() + 1
    ));
    d.call("POST", &format!("/element/{hit}/click"), json!({}));
    d.wait_for("return !document.getElementById('history').hidden && document.querySelectorAll('#history-list li').length === 2");
    let steps = d.script(
        "return [...document.querySelectorAll('#history-list .who')].map(w => w.textContent)",
    );
    let steps: Vec<&str> = steps
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(
        steps[0].starts_with("A/80/L.41") && steps[1].starts_with("A/RES/80/173"),
        "{steps:?}"
    );
    d.wait_for("return !document.getElementById('links').hidden");
    let links = d.script("return document.getElementById('links-list').textContent");
    assert!(links.as_str().unwrap().contains("WHO"), "{links}");
    // The whole version's changes: the adopted text reads as the final draft did (once the
    // footnote markers are out of both), and the page says so.
    let button = d.find("#work-diff");
    d.call("POST", &format!("/element/{button}/click"), json!({}));
    d.wait_for("return !document.getElementById('diff').hidden && document.querySelectorAll('#diff-list li').length > 0");
    let marked =
        d.script("return document.querySelectorAll('#diff-list ins, #diff-list del').length");
    assert_eq!(marked.as_u64().unwrap(), 0);
    let listed = d.script("return document.getElementById('diff-list').textContent");
    assert!(
        listed.as_str().unwrap().contains("No paragraph changed"),
        "{listed}"
    );
    let title = d.script("return document.getElementById('diff-title').textContent");
    assert!(title.as_str().unwrap().contains("A/80/L.41"), "{title}");
    d.save_screenshot("history-panel.png");
}

#[test]
fn markup_in_a_document_shows_as_text_and_never_runs() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(
        docs.join("hostile-minutes.md"),
        "# Hostile meeting\n\nAlice: We discuss capacity building <script>window.__pwned = 1</script> today.\n\n\
         Bob: Agreed <img src=x onerror=\"window.__pwned = 2\"> on capacity building.\n\n\
         Carol: And <b onmouseover=\"window.__pwned = 3\">bold</b> capacity building too.\n",
    )
    .unwrap();
    let idx = dir.path().join("index");
    ok(&[
        "ingest",
        "--index",
        idx.to_str().unwrap(),
        docs.to_str().unwrap(),
    ]);
    let server = Server::start(&idx);
    let d = Driver::start();
    d.visit(&server.addr, "/?q=capacity+building");
    d.wait_for("return document.querySelectorAll('li.hit').length === 3");
    let text = d.script("return document.getElementById('results').textContent");
    let text = text.as_str().unwrap();
    assert!(
        text.contains("<script>window.__pwned = 1</script>"),
        "shown as text: {text}"
    );
    assert!(text.contains("<img src=x onerror"), "{text}");
    assert_eq!(d.script("return typeof window.__pwned"), "undefined");
    assert_eq!(
        d.script(
            "return document.querySelectorAll('#results script, #results img, #results b').length"
        ),
        0
    );
    // Opening the passage shows it as text too.
    let hit = d.find("li.hit");
    d.call("POST", &format!("/element/{hit}/click"), json!({}));
    d.wait_for("return !document.getElementById('context').hidden");
    assert_eq!(d.script("return typeof window.__pwned"), "undefined");
    assert_eq!(
        d.script("return document.querySelectorAll('#context script, #context img').length"),
        0
    );
}

/// The question a new user brings: how did the human-rights paragraphs change from the first
/// draft to the adopted text, and who spoke about them. From the home page, in a few clicks.
#[test]
fn from_the_home_page_a_user_sees_how_a_text_changed_and_who_spoke_about_it() {
    let server = Server::start(corpus_index());
    let d = Driver::start();
    d.visit(&server.addr, "/");
    // The home page shows the record, not a list of passages in index order.
    d.wait_for("return document.querySelectorAll('#works > li').length > 3 && document.querySelectorAll('#meetings > li').length > 3");
    assert_eq!(
        d.script("return document.getElementById('home').hidden"),
        false
    );
    assert_eq!(
        d.script("return document.querySelectorAll('li.hit').length"),
        0
    );
    let examples = d.script("return document.querySelectorAll('#examples a').length");
    assert!(examples.as_u64().unwrap() >= 2, "{examples}");
    let meeting = d.script("return document.getElementById('meetings').textContent");
    assert!(
        meeting.as_str().unwrap().contains("(UNESCO)"),
        "participants listed"
    );
    d.save_screenshot("home.png");
    // 1. The work on human rights: what changed from its first draft to the adopted text.
    let link = d.script("return [...document.querySelectorAll('#works > li')].findIndex(li => li.textContent.includes('human rights in the context of digital technologies'))");
    let link = d.find(&format!(
        "#works > li:nth-of-type({}) a.compare",
        link.as_u64().unwrap() + 1
    ));
    d.call("POST", &format!("/element/{link}/click"), json!({}));
    d.wait_for("return location.pathname.startsWith('/documents/') && !document.getElementById('reader-summary').hidden");
    let summary = d.script("return document.getElementById('reader-summary').textContent");
    let summary = summary.as_str().unwrap().to_string();
    assert!(summary.contains("A/C.3/80/L.46"), "{summary}");
    assert!(
        summary.contains("2 edited") && summary.contains("1 deleted"),
        "{summary}"
    );
    // 2. Only what changed: the two edited paragraphs and the deleted one, redlined.
    let only = d.find("#reader-changed");
    d.call("POST", &format!("/element/{only}/click"), json!({}));
    d.wait_for("return location.search.includes('changed=true') && document.querySelectorAll('#reader-list li.para').length === 3");
    let statuses = d.script(
        "return [...document.querySelectorAll('#reader-list li.para')].map(li => li.className)",
    );
    let statuses = statuses.to_string();
    assert_eq!(statuses.matches("st-edited").count(), 2, "{statuses}");
    assert_eq!(statuses.matches("st-deleted").count(), 1, "{statuses}");
    let redline = d.script("return document.querySelectorAll('#reader-list ins').length > 0 && document.querySelectorAll('#reader-list del').length > 0");
    assert_eq!(redline, true);
    d.save_screenshot("reader-changes.png");
    // 3. The human-rights paragraphs, and who spoke about human rights in meetings.
    d.script("const s = document.getElementById('reader-topic'); s.value = 'human-rights'; s.dispatchEvent(new Event('change'));");
    d.wait_for("return !document.getElementById('reader-said').hidden");
    let said = d.find("#reader-said");
    d.call("POST", &format!("/element/{said}/click"), json!({}));
    d.wait_for("return location.search.includes('topic=human-rights') && location.search.includes('kind=transcript') && document.querySelectorAll('li.hit').length > 0");
    let who = d.script("return [...document.querySelectorAll('li.hit .badge.agency, li.hit .badge.speaker')].length");
    assert!(who.as_u64().unwrap() > 0, "speakers and agencies shown");
    // The filters chosen are in the menus, with this search's own counts.
    let topic =
        d.script("return document.getElementById('f-topic').selectedOptions[0].textContent");
    let total = d.script("return document.getElementById('status').textContent");
    let n: String = total
        .as_str()
        .unwrap()
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    assert_eq!(
        topic.as_str().unwrap(),
        format!("human-rights ({n})"),
        "{total}"
    );
    d.save_screenshot("who-spoke.png");
}

#[test]
fn results_group_versions_keep_filters_and_link_to_the_reader_and_feeds() {
    let server = Server::start(corpus_index());
    let d = Driver::start();
    d.visit(
        &server.addr,
        "/?q=%22digital+public+infrastructure%22&kind=resolution",
    );
    d.wait_for("return document.querySelectorAll('li.hit').length > 0 && !document.getElementById('status').textContent.startsWith('Searching')");
    // A paragraph once, with the versions it runs through.
    let versions = d.script(
        "return [...document.querySelectorAll('li.hit .versions')].map(v => v.textContent)",
    );
    let versions = versions.to_string();
    assert!(versions.contains(" → "), "{versions}");
    let status = d.script("return document.getElementById('status').textContent");
    assert!(
        status.as_str().unwrap().contains("across versions"),
        "{status}"
    );
    // Another filter keeps the first one in the address and in its menu.
    d.script("const s = document.getElementById('f-language'); s.value = 'en'; s.dispatchEvent(new Event('change'));");
    d.wait_for("return location.search.includes('language=en') && !document.getElementById('status').textContent.startsWith('Searching')");
    let url = d.script("return location.search").to_string();
    assert!(
        url.contains("kind=resolution") && url.contains("q=%22digital"),
        "{url}"
    );
    assert_eq!(
        d.script("return document.getElementById('f-kind').value"),
        "resolution"
    );
    // Follow and export: the links answer with a feed and with CSV.
    let feed = d.script("return document.getElementById('follow-link').getAttribute('href')");
    let feed = feed.as_str().unwrap().to_string();
    assert!(feed.starts_with("/api/feed.atom?"), "{feed}");
    let atom = get(&server.addr, &feed);
    assert!(atom
        .text()
        .contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
    let csv = d.script("return document.getElementById('export-csv').getAttribute('href')");
    let csv = get(&server.addr, csv.as_str().unwrap());
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(
        csv.text().starts_with("id,document,symbol"),
        "{}",
        csv.text()
    );
    // "Read in the document" opens the reader at that paragraph, with a link to share it.
    let read = d.find("li.hit a.read");
    d.call("POST", &format!("/element/{read}/click"), json!({}));
    d.wait_for("return location.pathname.startsWith('/documents/') && document.querySelector('#reader-list li.target') !== null");
    let target = d.script("return document.querySelector('#reader-list li.target').id");
    assert_eq!(
        d.script("return location.hash.slice(1)"),
        target,
        "the address names the paragraph shown"
    );
    let text =
        d.script("return document.querySelector('#reader-list li.target .text').textContent");
    assert!(
        text.as_str()
            .unwrap()
            .contains("digital public infrastructure"),
        "{text}"
    );
    d.save_screenshot("reader-paragraph.png");
}

#[test]
fn counts_estimated_from_a_sample_are_marked_as_estimates() {
    let server = Server::start(corpus_index());
    let d = Driver::start();
    d.visit(&server.addr, "/?q=security&facet_sample_threshold=5");
    d.wait_for("return document.querySelectorAll('li.hit').length > 0 && !document.getElementById('status').textContent.startsWith('Searching')");
    let kinds =
        d.script("return [...document.querySelectorAll('#f-kind option')].map(o => o.textContent)");
    let kinds = kinds.to_string();
    assert!(kinds.contains("(≈"), "{kinds}");
    let note = d.script("return document.getElementById('filters').title");
    assert!(
        note.as_str().unwrap().starts_with("Counts estimated from"),
        "{note}"
    );
    // "Count exactly" asks for the same search with the bound at its total.
    assert_eq!(
        d.script("return document.getElementById('estimated').hidden"),
        false
    );
    let exact = d.find("#exact-facets");
    d.call("POST", &format!("/element/{exact}/click"), json!({}));
    d.wait_for("return !/facet_sample_threshold=5(&|$)/.test(location.search) && document.getElementById('estimated').hidden && !document.getElementById('status').textContent.startsWith('Searching')");
    let kinds =
        d.script("return [...document.querySelectorAll('#f-kind option')].map(o => o.textContent)");
    assert!(!kinds.to_string().contains('≈'), "{kinds}");
    let url = d.script("return location.search").to_string();
    assert!(
        url.contains("q=security") && url.contains("facet_sample_threshold="),
        "{url}"
    );
    // Without the bound, the same search counts exactly.
    d.visit(&server.addr, "/?q=security");
    d.wait_for("return document.querySelectorAll('li.hit').length > 0 && !document.getElementById('status').textContent.startsWith('Searching')");
    let kinds =
        d.script("return [...document.querySelectorAll('#f-kind option')].map(o => o.textContent)");
    assert!(!kinds.to_string().contains('≈'), "{kinds}");
    assert_eq!(
        d.script("return document.getElementById('filters').title"),
        ""
    );
    assert_eq!(
        d.script("return document.getElementById('estimated').hidden"),
        true
    );
}

/// The citation graph on the page: a paragraph shows what it cites and how; a cited text not in
/// the index links to the passages that cite it, filtered and counted like any search.
#[test]
fn a_paragraph_links_what_it_cites() {
    let server = Server::start(corpus_index());
    let d = Driver::start();
    d.visit(&server.addr, "/documents/A%2FRES%2F80%2F173");
    d.wait_for("return document.querySelectorAll('#reader-list .cites a.cite').length > 0");
    let pp3 = d.script("return [...document.querySelectorAll('#reader-list li.para')].find(li => li.querySelector('.anchor').textContent === 'PP3').querySelector('.cites').textContent");
    assert!(
        pp3.as_str().unwrap().contains("A/RES/70/125 (recalling)"),
        "{pp3}"
    );
    let href = d.script("return [...document.querySelectorAll('#reader-list a.cite')].find(a => a.textContent === 'A/RES/70/125').getAttribute('href')");
    assert_eq!(href, "/?cites=A%2FRES%2F70%2F125");
    d.save_screenshot("reader-cites.png");
    let a = d.find("#reader-list a.cite");
    d.call("POST", &format!("/element/{a}/click"), json!({}));
    d.wait_for("return location.search.includes('cites=') && document.querySelectorAll('li.hit').length > 0 && !document.getElementById('status').textContent.startsWith('Searching')");
    let key = d.script("return new URLSearchParams(location.search).get('cites')");
    let key = key.as_str().unwrap().to_string();
    // Every hit cites it, and says so; the filter's menu holds it with this search's count.
    let all = d.script(&format!(
        "return [...document.querySelectorAll('li.hit')].every(h => h.querySelector('.cites') && h.querySelector('.cites').textContent.includes('{key}'))"
    ));
    assert_eq!(all, true, "every hit cites {key}");
    assert_eq!(
        d.script("return document.getElementById('f-cites').value"),
        key.as_str()
    );
}

#[test]
fn a_reader_switches_between_a_text_s_languages() {
    let server = Server::start(crate::common::multilingual_index());
    let d = Driver::start();
    d.visit(&server.addr, "/documents/udhr-eng");
    d.wait_for("return document.querySelectorAll('#reader-languages option').length === 6 && !document.getElementById('reader-languages-label').hidden");
    let names = d.script("return [...document.querySelectorAll('#reader-languages option')].map(o => o.textContent).join(' ')");
    for n in [
        "English",
        "Français",
        "Español",
        "Русский",
        "中文",
        "العربية",
    ] {
        assert!(names.as_str().unwrap().contains(n), "{names}");
    }
    d.script("const s = document.getElementById('reader-languages'); s.value = 'udhr-fra'; s.dispatchEvent(new Event('change'));");
    d.wait_for("return document.getElementById('reader-title').textContent.startsWith('Déclaration universelle')");
    assert_eq!(d.script("return location.pathname"), "/documents/udhr-fra");
    // Arabic reads right to left.
    d.visit(&server.addr, "/documents/udhr-arb");
    d.wait_for("return document.querySelectorAll('#reader-list li').length > 50");
    assert_eq!(
        d.script("return document.getElementById('reader-list').dir"),
        "rtl"
    );
    d.save_screenshot("reader-languages.png");
}
