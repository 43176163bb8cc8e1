//! Front matter at the top of a file (`---` … `---`, YAML, as blogs and static sites write it):
//! the fields travaux reads are `title`, `date`, `author`/`authors`, and its own `kind`, `work`,
//! `version`, `symbol`, `agency`. Anything else is ignored; a field that cannot be read is
//! ignored rather than failing the file.

use std::collections::HashMap;
use yaml_rust2::{Yaml, YamlLoader};

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

/// A scalar as text: strings as written, numbers and booleans as YAML writes them.
fn scalar(v: &Yaml) -> Option<String> {
    match v {
        Yaml::String(s) | Yaml::Real(s) => Some(s.trim().to_string()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The people an `author` or `authors` value names: a name, a list of names, or a list of
/// `{name: …}` / `{user: …}` entries.
fn people(v: &Yaml) -> Vec<String> {
    let one = |v: &Yaml| match v {
        Yaml::Hash(h) => ["name", "user"]
            .iter()
            .find_map(|k| h.get(&Yaml::String((*k).to_string())).and_then(scalar)),
        other => scalar(other),
    };
    let names: Vec<String> = match v {
        Yaml::Array(items) => items.iter().filter_map(one).collect(),
        other => one(other).into_iter().collect(),
    };
    names.into_iter().filter(|n| !n.is_empty()).collect()
}

/// Reads the block as YAML. A block that is not YAML gives no fields (the file is still read,
/// its metadata then comes from elsewhere); a field that is not a scalar is passed over.
fn parse_block(block: &[&str]) -> FrontMatter {
    let mut fm = FrontMatter::default();
    let Ok(docs) = YamlLoader::load_from_str(&block.join("\n")) else {
        return fm;
    };
    let Some(Yaml::Hash(map)) = docs.into_iter().next() else {
        return fm;
    };
    for (k, v) in &map {
        let Some(k) = scalar(k).map(|k| k.to_lowercase()) else {
            continue;
        };
        if k == "author" || k == "authors" {
            fm.authors.extend(people(v));
        } else if let Some(v) = scalar(v).filter(|v| !v.is_empty()) {
            fm.fields.insert(k, v);
        }
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
