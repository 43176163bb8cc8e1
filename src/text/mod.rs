//! Small text helpers shared by parsers, registries and search: normalising keys for lookups,
//! folding accents, slugs, and word scanning. No domain knowledge lives here.
//!
//! May use: nothing of travaux but `model`; everything else builds on it.

pub mod analysis;
pub mod phrase;

/// Folds the accented Latin letters that names and places in the record use to ASCII.
pub fn fold_char(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ă' | 'Ą' => "A",
        'ç' | 'ć' | 'č' => "c",
        'Ç' | 'Ć' | 'Č' => "C",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ę' | 'Ě' => "E",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'İ' => "I",
        'ñ' | 'ń' | 'ň' => "n",
        'Ñ' | 'Ń' | 'Ň' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ő' => "O",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' => "Y",
        'š' | 'ś' | 'ş' => "s",
        'Š' | 'Ś' | 'Ş' => "S",
        'ž' | 'ź' | 'ż' => "z",
        'Ž' | 'Ź' | 'Ż' => "Z",
        'ł' => "l",
        'Ł' => "L",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ğ' => "g",
        'Ğ' => "G",
        _ => return None,
    })
}

/// Lowercase, accent-folded, punctuation dropped, single spaces: the key under which
/// registries look names up ("Wachholz,  Cédric" → "wachholz cedric").
pub fn norm_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.chars() {
        let folded: String = match fold_char(c) {
            Some(f) => f.to_string(),
            None => c.to_string(),
        };
        for c in folded.chars() {
            if c.is_alphanumeric() {
                out.extend(c.to_lowercase());
                space = false;
            } else if !space && (c.is_whitespace() || "-_/,;:&|".contains(c)) {
                out.push(' ');
                space = true;
            }
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// A URL- and id-friendly slug: lowercase ASCII letters, digits and dashes.
pub fn slug(s: &str) -> String {
    let key = norm_key(s);
    let mut out: String = key
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    while out.contains("--") {
        out = out.replace("--", "-");
    }
    out.trim_matches('-').to_string()
}

/// Splits text into words (alphanumeric runs, accents folded), keeping their case, with the
/// byte offset where each starts.
pub fn words(s: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if c.is_alphanumeric() {
            if cur.is_empty() {
                start = i;
            }
            // ASCII has nothing to fold: only other letters go through the table.
            match (!c.is_ascii()).then(|| fold_char(c)).flatten() {
                Some(f) => cur.push_str(f),
                None => cur.push(c),
            }
        } else if !cur.is_empty() {
            out.push((start, std::mem::take(&mut cur)));
        }
    }
    if !cur.is_empty() {
        out.push((start, cur));
    }
    out
}

/// The words of a phrase, lowercased.
pub fn lower_words(s: &str) -> Vec<String> {
    words(s)
        .into_iter()
        .map(|(_, w)| w.to_lowercase())
        .collect()
}

/// Levenshtein distance on chars, for "did you mean" suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(a, b)
}

/// The candidates closest to `wanted` (by edit distance on normalised keys, or containing it),
/// best first, at most `n`.
pub fn closest<'a>(
    wanted: &str,
    candidates: impl Iterator<Item = &'a str>,
    n: usize,
) -> Vec<String> {
    let w = norm_key(wanted);
    let mut scored: Vec<(usize, String)> = candidates
        .map(|c| {
            let k = norm_key(c);
            let d = if !w.is_empty() && (k.contains(&w) || w.contains(&k)) {
                0
            } else {
                edit_distance(&w, &k)
            };
            (d, c.to_string())
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    let limit = (w.chars().count() / 2).max(3);
    scored
        .into_iter()
        .filter(|(d, _)| *d <= limit)
        .take(n)
        .map(|(_, c)| c)
        .collect()
}

/// A `HashMap` keyed by words with a fast hash, for the registries' word tables, which are
/// looked up once per word of every passage ingested. (The standard hasher resists crafted
/// collisions; these tables are built from the registries and only read with document words,
/// so there is nothing to resist.)
pub type WordMap<V> = rustc_hash::FxHashMap<String, V>;

/// A speaker label without markdown, honorific spacing or "Surname, Name" order.
pub fn tidy_label(label: &str) -> String {
    let l = label.trim().trim_matches('*').trim();
    l.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A label as a name: "Wachholz, Cedric" → "Cedric Wachholz".
pub fn display_name(label: &str) -> String {
    let l = tidy_label(label);
    match l.split_once(',') {
        Some((last, first)) if !first.trim().is_empty() && !last.contains(' ') => {
            format!("{} {}", first.trim(), last.trim())
        }
        _ => l,
    }
}

/// Escapes text for HTML.
pub fn escape_html(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_case_accents_and_punctuation() {
        assert_eq!(norm_key("Wachholz,  Cédric"), "wachholz cedric");
        assert_eq!(norm_key("**Deniz Susar**"), "deniz susar");
        assert_eq!(slug("A/RES/80/118"), "a-res-80-118");
    }

    #[test]
    fn closest_finds_near_names() {
        let c = ["UNESCO", "UNICEF", "WHO", "ITU"];
        assert_eq!(closest("unesko", c.iter().copied(), 2)[0], "UNESCO");
        assert!(closest("zzzzzzzzzz", c.iter().copied(), 2).is_empty());
    }

    #[test]
    fn words_keep_offsets() {
        let w = words("Rev.1 — Genève");
        assert_eq!(w[0], (0, "Rev".to_string()));
        assert_eq!(w[2].1, "Geneve");
    }
}
