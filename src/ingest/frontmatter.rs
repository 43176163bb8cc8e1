//! Front matter at the top of a file (`---` … `---`, the YAML subset that blogs and static
//! sites write): the fields travaux reads are `title`, `date`, `author`/`authors`, and its own
//! `kind`, `work`, `version`, `symbol`, `agency`. Anything else is ignored; a field that cannot
//! be read is ignored rather than failing the file.

use std::collections::HashMap;

/// The fields of a front matter block, and where the body starts.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct FrontMatter {
    pub fields: HashMap<String, String>,
    /// Names listed under `authors` (or `author`).
    pub authors: Vec<String>,
    /// Number of lines the block takes, so line numbers in the body stay true.
    pub lines: usize,
}

/// Splits front matter off `text`, if it has any.
pub fn split(text: &str) -> (Option<FrontMatter>, &str) {
    let t = text.trim_start_matches('\u{feff}');
    if !t.starts_with("---") {
        return (None, text);
    }
    let mut lines = t.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim() != "---" {
        return (None, text);
    }
    let mut consumed = first.len();
    let mut block = Vec::new();
    let mut closed = false;
    for l in lines {
        consumed += l.len();
        if l.trim() == "---" || l.trim() == "..." {
            closed = true;
            break;
        }
        block.push(l.trim_end_matches(['\n', '\r']));
    }
    if !closed {
        return (None, text);
    }
    let mut fm = parse_block(&block);
    fm.lines = block.len() + 2;
    (Some(fm), &t[consumed..])
}

fn unquote(v: &str) -> String {
    let v = v.trim();
    let v = v
        .strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .or_else(|| v.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')))
        .unwrap_or(v);
    v.replace("\\\"", "\"").replace("''", "'")
}

fn parse_block(block: &[&str]) -> FrontMatter {
    let mut fm = FrontMatter::default();
    let mut key: Option<String> = None;
    for line in block {
        let indented = line.starts_with([' ', '\t']);
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if !indented && !t.starts_with('-') {
            if let Some((k, v)) = t.split_once(':') {
                let k = k.trim().to_lowercase();
                let v = v.trim();
                if (k == "authors" || k == "author") && v.starts_with('[') {
                    fm.authors.extend(
                        v.trim_matches(['[', ']'])
                            .split(',')
                            .map(unquote)
                            .filter(|a| !a.is_empty()),
                    );
                } else if (k == "authors" || k == "author") && !v.is_empty() {
                    fm.authors.push(unquote(v));
                } else if !v.is_empty() {
                    fm.fields.insert(k.clone(), unquote(v));
                }
                key = Some(k);
                continue;
            }
        }
        let Some(k) = key.as_deref() else { continue };
        if k == "authors" || k == "author" {
            // "- name: X", "- user: x", "- X", and nested "page:" lines (ignored).
            let item = t.trim_start_matches('-').trim();
            if let Some((sub, v)) = item.split_once(':') {
                if ["name", "user"].contains(&sub.trim()) && !v.trim().is_empty() {
                    fm.authors.push(unquote(v));
                }
            } else if t.starts_with('-') && !item.is_empty() {
                fm.authors.push(unquote(item));
            }
        } else if indented {
            // A folded continuation of a scalar value.
            if let Some(v) = fm.fields.get_mut(k) {
                let cont = unquote(t);
                if v.ends_with('"') {
                    v.pop();
                }
                v.push(' ');
                v.push_str(cont.trim_end_matches('"'));
            }
        }
    }
    for v in fm.fields.values_mut() {
        // A quoted value folded over lines keeps its quotes at its two ends.
        let t = v.trim();
        let t = t.strip_prefix(['"', '\'']).unwrap_or(t);
        let t = t.strip_suffix(['"', '\'']).unwrap_or(t);
        *v = t.to_string();
    }
    fm
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_folded_titles_and_author_lists() {
        let t = "---\nhide: false\ntitle: \"Response to the Zero Draft of the Global Digital Compact: What it Means\n  for AI Governance\"\ndate: 2024-04-05T14:08:14.475Z\nauthors:\n  - name: Belinda Cleeland\n    page: belinda\n  - name: Maxime Stauffer\n---\nBody here.\n";
        let (fm, body) = split(t);
        let fm = fm.unwrap();
        assert_eq!(fm.fields["title"], "Response to the Zero Draft of the Global Digital Compact: What it Means for AI Governance");
        assert_eq!(fm.fields["date"], "2024-04-05T14:08:14.475Z");
        assert_eq!(fm.authors, vec!["Belinda Cleeland", "Maxime Stauffer"]);
        assert_eq!(body, "Body here.\n");
        assert_eq!(fm.lines, 10);
    }

    #[test]
    fn inline_lists_and_no_front_matter() {
        let (fm, _) = split("---\ntitle: 'Submission: Safe AI'\nauthors: [sam]\n---\nx");
        let fm = fm.unwrap();
        assert_eq!(fm.fields["title"], "Submission: Safe AI");
        assert_eq!(fm.authors, vec!["sam"]);
        assert!(split("no front matter").0.is_none());
        assert!(split("---\nunclosed").0.is_none());
    }
}
