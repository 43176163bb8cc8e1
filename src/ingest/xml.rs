//! Structured XML, where the markup says what the text is: Akoma Ntoso (the UN's document
//! standard: resolutions with their preamble and numbered paragraphs, debates whose speeches
//! name speaker and role through the references block), ParlaMint TEI (utterances whose
//! speakers, parties and language come from the person and organisation lists, in the file or
//! in the corpus header beside it) and the parlparse / TheyWorkForYou Hansard XML (speeches by
//! named members, procedural items without a speaker).
//!
//! Nothing is guessed from layout: paragraph numbers, preamble and operative parts, speakers
//! and roles are read from the elements that carry them.

use super::{Draft, Turn};
use crate::model::{Date, Kind, Locator};
use roxmltree::{Document, Node, ParsingOptions};
use std::collections::HashMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// What an XML file turned out to be.
pub enum Read {
    Document(Box<Draft>),
    /// A file of people and organisations only (a ParlaMint corpus header): read with the
    /// session files beside it, not a document itself.
    Metadata(&'static str),
}

/// Reads an XML file. `path` locates a ParlaMint corpus header in the same folder.
pub fn read(bytes: &[u8], path: &Path) -> Result<Read, String> {
    let text = decode(bytes)?;
    let opts = ParsingOptions {
        allow_dtd: true,
        nodes_limit: 5_000_000,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(&text, opts).map_err(|e| format!("invalid XML: {e}"))?;
    let root = doc.root_element();
    match root.tag_name().name() {
        "akomaNtoso" => akn(root).map(|d| Read::Document(Box::new(d))),
        "TEI" => parlamint(root, path).map(|d| Read::Document(Box::new(d))),
        "teiCorpus" => Ok(Read::Metadata(
            "a ParlaMint corpus header (people, parties): read with the session files beside it",
        )),
        "publicwhip" => hansard(root).map(|d| Read::Document(Box::new(d))),
        "udhr" => Ok(Read::Document(Box::new(udhr(root)))),
        other => Err(format!(
            "XML with root <{other}>: expected Akoma Ntoso, ParlaMint TEI, Hansard (publicwhip) \
             or the Universal Declaration's XML (udhr)"
        )),
    }
}

/// The text of an XML file: by its byte-order mark, else in the encoding its declaration
/// names (ISO-8859-1, windows-1252, …), else UTF-8.
fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return Ok(enc
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned());
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).to_lowercase();
    let declared = head
        .split_once("encoding=")
        .and_then(|(_, rest)| {
            let q = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            rest[1..].split(q).next()
        })
        .and_then(|label| encoding_rs::Encoding::for_label(label.trim().as_bytes()))
        .filter(|e| *e != encoding_rs::UTF_8);
    if let Some(enc) = declared {
        return Ok(enc.decode_without_bom_handling(bytes).0.into_owned());
    }
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        format!(
            "invalid UTF-8 at byte {} and no other encoding declared",
            e.utf8_error().valid_up_to()
        )
    })
}

/// The text of an element, whitespace closed up.
fn text_of(n: Node) -> String {
    let mut s = String::new();
    for d in n.descendants().filter(|d| d.is_text()) {
        // Notes inside a paragraph (footnotes) are not its text.
        if d.ancestors()
            .any(|a| a.tag_name().name() == "authorialNote")
        {
            continue;
        }
        s.push_str(d.text().unwrap_or(""));
        s.push(' ');
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn child<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| c.tag_name().name() == name)
}

fn find<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    n.descendants().find(|c| c.tag_name().name() == name)
}

fn date(s: &str) -> Option<Date> {
    s.get(..10)?.parse().ok()
}

/// ISO 639-2 (Akoma Ntoso's `eng`, `spa`) to the two-letter codes passages carry.
fn language_code(code: &str) -> String {
    match code {
        "eng" => "en",
        "spa" | "esp" => "es",
        "fra" | "fre" => "fr",
        "ara" => "ar",
        "rus" => "ru",
        "zho" | "chi" => "zh",
        "por" => "pt",
        "deu" | "ger" => "de",
        "tur" => "tr",
        "cat" => "ca",
        "ita" => "it",
        other => other,
    }
    .to_string()
}

/// The Universal Declaration of Human Rights as the UDHR in Unicode project publishes it in each
/// language (`<udhr xml:lang="fr">`): the preamble's paragraphs (`PP1` …) and the articles,
/// each article's numbered paragraphs as `25 (1)`, `25 (2)`; the article's title as section.
/// The paragraph numbers are the same in every language, so the language versions align.
fn udhr(root: Node) -> Draft {
    let mut draft = Draft::new(Kind::Resolution);
    let language = root
        .attribute(("http://www.w3.org/XML/1998/namespace", "lang"))
        .map(|l| l.split(['-', '_']).next().unwrap_or(l).to_lowercase());
    draft.title = child(root, "title").map(text_of);
    let mut push = |text: String, paragraph: String, section: Option<String>| {
        if !text.is_empty() {
            draft.turns.push(Turn {
                text,
                language: language.clone(),
                locator: Locator {
                    paragraph: Some(paragraph),
                    section,
                    ..Locator::default()
                },
                ..Turn::default()
            });
        }
    };
    let mut pp = 0;
    for part in root.children().filter(|c| c.is_element()) {
        match part.tag_name().name() {
            "preamble" => {
                // The considerations ("Whereas …"), then the proclamation, which some
                // languages print in pieces ("Now, therefore,", "The General Assembly", …):
                // from the first piece of a few words on, it is one paragraph.
                let title = child(part, "title").map(text_of);
                let paras: Vec<String> = part
                    .children()
                    .filter(|c| c.tag_name().name() == "para")
                    .map(text_of)
                    .collect();
                let proclaims = paras
                    .iter()
                    .position(|p| a_few_words(p))
                    .unwrap_or(paras.len().saturating_sub(1));
                for p in &paras[..proclaims] {
                    pp += 1;
                    push(p.clone(), format!("PP{pp}"), title.clone());
                }
                push(
                    paras[proclaims..].join(" "),
                    "Proclamation".into(),
                    title.clone(),
                );
            }
            "article" => {
                let number = part.attribute("number").unwrap_or("").to_string();
                let title = child(part, "title").map(text_of);
                let items: Vec<Node> = part
                    .descendants()
                    .filter(|d| d.tag_name().name() == "listitem")
                    .collect();
                if items.len() > 1 {
                    // The article's own words before its list, then each numbered paragraph.
                    for p in part.children().filter(|c| c.tag_name().name() == "para") {
                        push(text_of(p), number.clone(), title.clone());
                    }
                    for (i, item) in items.iter().enumerate() {
                        push(
                            text_of(*item),
                            format!("{number} ({})", i + 1),
                            title.clone(),
                        );
                    }
                } else {
                    let text: Vec<String> = part
                        .descendants()
                        .filter(|d| d.tag_name().name() == "para")
                        .map(text_of)
                        .collect();
                    push(text.join(" "), number, title);
                }
            }
            _ => {}
        }
    }
    draft
}

/// True for a text of four words or fewer, two Chinese characters counting as a word.
fn a_few_words(text: &str) -> bool {
    let han = text
        .chars()
        .filter(|c| crate::text::han::is_han(*c))
        .count();
    let others = text
        .split(|c: char| c.is_whitespace() || crate::text::han::is_han(c))
        .filter(|w| !w.is_empty())
        .count();
    others + han.div_ceil(2) <= 4
}

/// Akoma Ntoso: a bill or resolution, or a debate.
fn akn(root: Node) -> Result<Draft, String> {
    let body_kind = root
        .children()
        .find(|c| c.is_element())
        .ok_or("empty Akoma Ntoso document")?;
    let language = find(root, "FRBRlanguage")
        .and_then(|n| n.attribute("language"))
        .map(language_code);
    // id → what the references block shows for it (people, roles, organisations).
    let refs: HashMap<&str, String> = find(root, "references")
        .into_iter()
        .flat_map(|r| r.children().filter(|c| c.is_element()))
        .filter_map(|c| {
            let id = c.attribute("eId").or_else(|| c.attribute("id"))?;
            Some((id, c.attribute("showAs")?.to_string()))
        })
        .collect();
    let shown = |r: Option<&str>| {
        r.map(|r| r.trim_start_matches('#'))
            .and_then(|r| refs.get(r).cloned())
    };
    let mut draft = if body_kind.tag_name().name() == "debate" {
        Draft::new(Kind::Transcript)
    } else {
        Draft::new(Kind::Resolution)
    };
    draft.title = find(root, "docTitle").map(text_of);
    draft.date = find(root, "docDate")
        .and_then(|n| n.attribute("date"))
        .or_else(|| find(root, "FRBRdate").and_then(|n| n.attribute("date")))
        .and_then(date);
    // The work is what the language versions share: the FRBR work's URI.
    draft.work = find(root, "FRBRWork")
        .and_then(|w| child(w, "FRBRuri"))
        .and_then(|u| u.attribute("value"))
        .map(|v| crate::text::slug(v.trim()));
    draft.symbol = find(root, "docNumber").map(text_of).or_else(|| {
        find(root, "FRBRWork")
            .and_then(|w| child(w, "FRBRuri"))
            .and_then(|u| u.attribute("value"))
            .and_then(un_symbol)
    });
    draft.author = find(root, "docProponent").map(|n| {
        text_of(n)
            .trim_end_matches(": draft resolution")
            .trim_end_matches(':')
            .to_string()
    });
    let push = |draft: &mut Draft, turn: Turn| {
        if !turn.text.trim().is_empty() {
            draft.turns.push(turn);
        }
    };
    if draft.kind == Kind::Transcript {
        let mut section: Option<String> = None;
        for n in body_kind.descendants().filter(|n| n.is_element()) {
            match n.tag_name().name() {
                "heading" => section = Some(text_of(n)),
                "speech" | "question" | "answer" => {
                    let from = child(n, "from").map(text_of);
                    let speaker = shown(n.attribute("by"));
                    let role = shown(n.attribute("as"));
                    for p in n.children().filter(|c| c.tag_name().name() == "p") {
                        push(
                            &mut draft,
                            Turn {
                                label: from
                                    .clone()
                                    .map(|f| f.trim_end_matches(':').to_string())
                                    .or_else(|| speaker.clone()),
                                speaker: speaker.clone(),
                                role: role.clone(),
                                language: language.clone(),
                                text: text_of(p),
                                locator: Locator {
                                    section: section.clone(),
                                    ..Locator::default()
                                },
                                ..Turn::default()
                            },
                        );
                    }
                }
                _ => {}
            }
        }
    } else {
        let mut pp = 0;
        if let Some(pre) = find(root, "preamble") {
            for p in pre.children().filter(|c| c.tag_name().name() == "p") {
                let t = text_of(p);
                // "The Commission on Narcotic Drugs," opens the preamble; it is not a paragraph.
                if t.starts_with("The ") && t.ends_with(',') && t.split_whitespace().count() <= 8 {
                    continue;
                }
                pp += 1;
                push(
                    &mut draft,
                    Turn {
                        language: language.clone(),
                        text: t,
                        locator: Locator {
                            paragraph: Some(format!("PP{pp}")),
                            ..Locator::default()
                        },
                        ..Turn::default()
                    },
                );
            }
        }
        if let Some(body) = find(root, "body") {
            for point in body
                .descendants()
                .filter(|n| n.tag_name().name() == "point")
            {
                let own =
                    |n: Node| child(n, "num").map(|x| text_of(x).trim_end_matches('.').to_string());
                let Some(num) = own(point) else { continue };
                // A point inside a point is a sub-item: "3 (a)".
                let parent_num = point
                    .ancestors()
                    .skip(1)
                    .find(|a| a.tag_name().name() == "point")
                    .and_then(own);
                let number = match parent_num {
                    Some(p) => format!("{p} ({})", num.trim_matches(|c| c == '(' || c == ')')),
                    None => num,
                };
                let text = child(point, "content").map(text_of).unwrap_or_default();
                push(
                    &mut draft,
                    Turn {
                        language: language.clone(),
                        text,
                        locator: Locator {
                            paragraph: Some(number),
                            ..Locator::default()
                        },
                        ..Turn::default()
                    },
                );
            }
        }
    }
    if draft.turns.is_empty() {
        return Err("Akoma Ntoso document with no paragraphs or speeches".into());
    }
    Ok(draft)
}

/// "/un/resolution/2012-02-22/E/CN.7/2012/L.2" → "E/CN.7/2012/L.2".
fn un_symbol(uri: &str) -> Option<String> {
    let rest = uri.trim().strip_prefix("/un/")?;
    let mut parts = rest.split('/').skip(1);
    let first = parts.next()?;
    let tail: Vec<&str> = if first.len() == 10 && first.as_bytes()[4] == b'-' {
        parts.collect()
    } else {
        std::iter::once(first).chain(parts).collect()
    };
    (!tail.is_empty()).then(|| tail.join("/"))
}

/// People and parties of a ParlaMint corpus: person id → (name, party).
type People = HashMap<String, (String, Option<String>)>;

fn people_in(root: Node) -> People {
    let orgs: HashMap<String, String> = root
        .descendants()
        .filter(|n| n.tag_name().name() == "org")
        .filter_map(|o| {
            let id = o.attribute(("http://www.w3.org/XML/1998/namespace", "id"))?;
            let names: Vec<Node> = o
                .children()
                .filter(|c| c.tag_name().name() == "orgName")
                .collect();
            let en = names.iter().find(|n| {
                n.attribute(("http://www.w3.org/XML/1998/namespace", "lang")) == Some("en")
            });
            let name = en.or(names.first()).map(|n| text_of(*n))?;
            Some((id.to_string(), name))
        })
        .collect();
    root.descendants()
        .filter(|n| n.tag_name().name() == "person")
        .filter_map(|p| {
            let id = p.attribute(("http://www.w3.org/XML/1998/namespace", "id"))?;
            let pn = child(p, "persName")?;
            let part = |k: &str| child(pn, k).map(text_of).unwrap_or_default();
            let name = match (part("forename"), part("surname")) {
                (f, s) if !f.is_empty() || !s.is_empty() => format!("{f} {s}").trim().to_string(),
                _ => text_of(pn),
            };
            let party = p
                .children()
                .filter(|a| a.tag_name().name() == "affiliation")
                .filter(|a| a.attribute("role") == Some("member"))
                .filter_map(|a| a.attribute("ref"))
                .filter_map(|r| orgs.get(r.trim_start_matches('#')).cloned())
                .next_back();
            Some((id.to_string(), (name, party)))
        })
        .collect()
}

/// The people of the ParlaMint corpus headers in `dir`, read once per folder however many
/// session files it holds: each file's head is looked at, and only a header is read whole.
fn corpus_people(dir: &Path) -> Arc<People> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Arc<People>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(p) = cache.lock().ok().and_then(|c| c.get(dir).cloned()) {
        return p;
    }
    let mut people = People::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = entry.path();
        if p.extension().and_then(|e| e.to_str()) != Some("xml") {
            continue;
        }
        let mut head = [0u8; 400];
        let n = std::fs::File::open(&p)
            .and_then(|mut f| f.read(&mut head))
            .unwrap_or(0);
        if !String::from_utf8_lossy(&head[..n]).contains("<teiCorpus") {
            continue;
        }
        let Ok(bytes) = std::fs::read(&p) else {
            continue;
        };
        if let Ok(text) = decode(&bytes) {
            if let Ok(doc) = Document::parse(&text) {
                people.extend(people_in(doc.root_element()));
            }
        }
    }
    let people = Arc::new(people);
    if let Ok(mut c) = cache.lock() {
        c.insert(dir.to_path_buf(), people.clone());
    }
    people
}

/// ParlaMint TEI: utterances (`<u who=…>`) paragraph by paragraph (`<seg>`).
fn parlamint(root: Node, path: &Path) -> Result<Draft, String> {
    let mut people = people_in(root);
    // The corpus header beside the session file holds the people of the whole corpus.
    if let Some(dir) = path.parent() {
        for (k, v) in corpus_people(dir).iter() {
            people.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    let xml_lang = |n: Node| {
        n.ancestors()
            .find_map(|a| a.attribute(("http://www.w3.org/XML/1998/namespace", "lang")))
            .map(str::to_string)
    };
    let mut draft = Draft::new(Kind::Transcript);
    draft.title = root
        .descendants()
        .filter(|n| n.tag_name().name() == "title")
        .find(|n| n.attribute(("http://www.w3.org/XML/1998/namespace", "lang")) == Some("en"))
        .or_else(|| find(root, "title"))
        .map(text_of);
    draft.date = find(root, "setting")
        .and_then(|s| find(s, "date"))
        .and_then(|d| d.attribute("when"))
        .and_then(date);
    let body = find(root, "body").ok_or("ParlaMint TEI without a <body>")?;
    for u in body.descendants().filter(|n| n.tag_name().name() == "u") {
        let who = u.attribute("who").unwrap_or("").trim_start_matches('#');
        let (name, party) = people
            .get(who)
            .cloned()
            .unwrap_or_else(|| (split_camel(who), None));
        let role = u
            .attribute("ana")
            .map(|a| a.trim_start_matches('#').to_string());
        let segs: Vec<Node> = u
            .children()
            .filter(|c| c.tag_name().name() == "seg")
            .collect();
        let parts = if segs.is_empty() { vec![u] } else { segs };
        for s in parts {
            let text = text_of(s);
            if text.is_empty() {
                continue;
            }
            draft.turns.push(Turn {
                label: Some(name.clone()),
                speaker: Some(name.clone()),
                agency: party.clone(),
                role: role.clone(),
                language: xml_lang(s),
                text,
                ..Turn::default()
            });
        }
    }
    if draft.turns.is_empty() {
        return Err("ParlaMint TEI with no utterances".into());
    }
    Ok(draft)
}

/// "MuroXavier" → "Muro Xavier" (a speaker id where no person list names them).
fn split_camel(id: &str) -> String {
    let mut out = String::new();
    for (i, c) in id.chars().enumerate() {
        if i > 0 && c.is_uppercase() && !out.ends_with(' ') {
            out.push(' ');
        }
        out.push(if c == '.' || c == '_' { ' ' } else { c });
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Hansard (parlparse): speeches with `speakername`; headings as sections; a speech without a
/// speaker (`nospeaker`) is procedural text.
fn hansard(root: Node) -> Result<Draft, String> {
    let mut draft = Draft::new(Kind::Transcript);
    let mut section: Option<String> = None;
    for n in root.children().filter(|c| c.is_element()) {
        match n.tag_name().name() {
            "major-heading" | "minor-heading" => {
                let h = text_of(n);
                if draft.title.is_none() && n.tag_name().name() == "major-heading" {
                    draft.title = Some(h.clone());
                }
                section = Some(h);
            }
            "speech" => {
                if draft.date.is_none() {
                    // uk.org.publicwhip/debate/2009-10-26a.1.2
                    draft.date = n
                        .attribute("id")
                        .and_then(|id| id.rsplit('/').next())
                        .and_then(date);
                }
                let name = n.attribute("speakername").map(str::to_string);
                let office = n.attribute("speakeroffice").map(str::to_string);
                for p in n.children().filter(|c| c.tag_name().name() == "p") {
                    let text = text_of(p);
                    if text.is_empty() {
                        continue;
                    }
                    draft.turns.push(Turn {
                        label: name.clone(),
                        speaker: name.clone(),
                        role: office.clone(),
                        language: Some("en".into()),
                        text,
                        locator: Locator {
                            section: section.clone(),
                            ..Locator::default()
                        },
                        ..Turn::default()
                    });
                }
            }
            _ => {}
        }
    }
    if draft.turns.is_empty() {
        return Err("Hansard XML with no speeches".into());
    }
    Ok(draft)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn un_symbols_from_frbr_uris_and_ids_split() {
        assert_eq!(
            un_symbol("/un/resolution/2012-02-22/E/CN.7/2012/L.2").as_deref(),
            Some("E/CN.7/2012/L.2")
        );
        assert_eq!(split_camel("MuroXavier"), "Muro Xavier");
        assert_eq!(
            decode(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>caf\xe9</a>").unwrap(),
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>café</a>"
        );
    }
}
