//! Word documents (.docx): the paragraphs of `word/document.xml` as text, with Word's automatic
//! numbering written out as a reader sees it ("1.", "(a)") from `word/numbering.xml`, tabs and
//! line breaks kept. The text then goes through the same recognition as a text file: a Teams
//! transcript downloaded as Word, a draft resolution, a submission.

use roxmltree::{Document, Node};
use std::collections::HashMap;
use std::io::{Cursor, Read};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
/// The most a part of the archive may expand to: a larger one is refused, not read.
const MAX_PART: u64 = 64 * 1024 * 1024;

/// The text of a Word document, a line per paragraph.
pub fn text(bytes: &[u8]) -> Result<String, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("not a Word document (the .docx archive cannot be opened: {e})"))?;
    let document = part(&mut zip, "word/document.xml")?
        .ok_or("not a Word document: the archive has no word/document.xml")?;
    let numbering = part(&mut zip, "word/numbering.xml")?;
    let doc = Document::parse(&document)
        .map_err(|e| format!("word/document.xml is not valid XML: {e}"))?;
    let formats = numbering
        .as_deref()
        .and_then(|n| Document::parse(n).ok())
        .map(|n| levels(&n))
        .unwrap_or_default();
    let body = doc
        .descendants()
        .find(|n| n.has_tag_name((W, "body")))
        .ok_or("word/document.xml has no body")?;
    let mut counters: HashMap<(String, usize), u32> = HashMap::new();
    let mut lines: Vec<String> = Vec::new();
    for p in body.descendants().filter(|n| n.has_tag_name((W, "p"))) {
        let mut line = String::new();
        if let Some((num_id, level)) = numbering_of(p) {
            if let Some(label) = number(&formats, &mut counters, &num_id, level) {
                line.push_str(&label);
                line.push(' ');
            }
        }
        for n in p.descendants() {
            if n.has_tag_name((W, "t")) {
                line.push_str(n.text().unwrap_or(""));
            } else if n.has_tag_name((W, "tab")) {
                line.push('\t');
            } else if n.has_tag_name((W, "br")) {
                line.push('\n');
            }
        }
        lines.push(line.trim_end().to_string());
    }
    // A document converted line by line from text keeps its blank lines as empty paragraphs;
    // one written in Word separates paragraphs by their ends alone.
    let empty = lines.iter().filter(|l| l.trim().is_empty()).count();
    let sep = if empty * 5 >= lines.len() {
        "\n"
    } else {
        "\n\n"
    };
    let text = lines.join(sep);
    if text.trim().is_empty() {
        return Err("the Word document has no text".into());
    }
    Ok(text)
}

fn part<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
) -> Result<Option<String>, String> {
    let mut f = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(format!("{name} cannot be read: {e}")),
    };
    if f.size() > MAX_PART {
        return Err(format!(
            "{name} expands to {} bytes, more than the {MAX_PART} read from one part",
            f.size()
        ));
    }
    let mut s = String::new();
    f.by_ref()
        .take(MAX_PART)
        .read_to_string(&mut s)
        .map_err(|e| format!("{name} cannot be read: {e}"))?;
    Ok(Some(s))
}

/// The list a paragraph belongs to and its level (`w:numPr`).
fn numbering_of(p: Node) -> Option<(String, usize)> {
    let ppr = p.children().find(|c| c.has_tag_name((W, "pPr")))?;
    let num = ppr.children().find(|c| c.has_tag_name((W, "numPr")))?;
    let val = |tag: &str| {
        num.children()
            .find(|c| c.has_tag_name((W, tag)))
            .and_then(|c| c.attribute((W, "val")))
    };
    let id = val("numId")?;
    (id != "0").then(|| {
        (
            id.to_string(),
            val("ilvl").and_then(|l| l.parse().ok()).unwrap_or(0),
        )
    })
}

/// One level of a list: how its number is written.
#[derive(Debug, Clone)]
struct Level {
    format: String,
    text: String,
    start: u32,
}

/// numId → its levels, through the abstract numbering it points at.
fn levels(doc: &Document) -> HashMap<String, Vec<Level>> {
    let abstracts: HashMap<&str, Vec<Level>> = doc
        .descendants()
        .filter(|n| n.has_tag_name((W, "abstractNum")))
        .filter_map(|a| {
            let id = a.attribute((W, "abstractNumId"))?;
            let mut lv: Vec<Level> = Vec::new();
            for l in a.children().filter(|c| c.has_tag_name((W, "lvl"))) {
                let val = |tag: &str| {
                    l.children()
                        .find(|c| c.has_tag_name((W, tag)))
                        .and_then(|c| c.attribute((W, "val")))
                };
                lv.push(Level {
                    format: val("numFmt").unwrap_or("decimal").to_string(),
                    text: val("lvlText").unwrap_or("%1.").to_string(),
                    start: val("start").and_then(|s| s.parse().ok()).unwrap_or(1),
                });
            }
            Some((id, lv))
        })
        .collect();
    doc.descendants()
        .filter(|n| n.has_tag_name((W, "num")))
        .filter_map(|n| {
            let id = n.attribute((W, "numId"))?;
            let abs = n
                .children()
                .find(|c| c.has_tag_name((W, "abstractNumId")))?
                .attribute((W, "val"))?;
            Some((id.to_string(), abstracts.get(abs)?.clone()))
        })
        .collect()
}

/// The label of the next item at `level` of list `id` ("3.", "(b)"); `None` for bullets.
fn number(
    formats: &HashMap<String, Vec<Level>>,
    counters: &mut HashMap<(String, usize), u32>,
    id: &str,
    level: usize,
) -> Option<String> {
    let lv = formats.get(id)?;
    let this = lv.get(level)?;
    let n = counters
        .entry((id.to_string(), level))
        .and_modify(|c| *c += 1)
        .or_insert(this.start);
    let n = *n;
    // A new item restarts the levels below it.
    counters.retain(|(i, l), _| i != id || *l <= level);
    if this.format == "bullet" || this.format == "none" {
        return None;
    }
    let mut label = this.text.clone();
    for (k, l) in lv.iter().enumerate().take(level + 1) {
        let value = if k == level {
            n
        } else {
            counters
                .get(&(id.to_string(), k))
                .copied()
                .unwrap_or(l.start)
        };
        label = label.replace(&format!("%{}", k + 1), &render(&l.format, value));
    }
    Some(label)
}

fn render(format: &str, n: u32) -> String {
    match format {
        "lowerLetter" => letters(n).to_lowercase(),
        "upperLetter" => letters(n),
        "lowerRoman" => roman(n).to_lowercase(),
        "upperRoman" => roman(n),
        _ => n.to_string(),
    }
}

fn letters(n: u32) -> String {
    let mut n = n.max(1);
    let mut s = String::new();
    while n > 0 {
        n -= 1;
        s.insert(0, (b'A' + (n % 26) as u8) as char);
        n /= 26;
    }
    s
}

fn roman(mut n: u32) -> String {
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in table {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_labels_as_word_writes_them() {
        assert_eq!(letters(1), "A");
        assert_eq!(letters(27), "AA");
        assert_eq!(roman(14), "XIV");
        let mut formats = HashMap::new();
        formats.insert(
            "1".to_string(),
            vec![
                Level {
                    format: "decimal".into(),
                    text: "%1.".into(),
                    start: 1,
                },
                Level {
                    format: "lowerLetter".into(),
                    text: "(%2)".into(),
                    start: 1,
                },
            ],
        );
        let mut c = HashMap::new();
        let mut next = |l| number(&formats, &mut c, "1", l);
        assert_eq!(next(0).as_deref(), Some("1."));
        assert_eq!(next(1).as_deref(), Some("(a)"));
        assert_eq!(next(1).as_deref(), Some("(b)"));
        assert_eq!(next(0).as_deref(), Some("2."));
        assert_eq!(
            next(1).as_deref(),
            Some("(a)"),
            "a new item restarts its sub-items"
        );
    }
}
