//! PDF files: their text layer, page by page, as the rest of ingest reads PDF-extracted text.
//! Page breaks become form feeds, which the UN-document clean-up uses to find running heads and
//! footers. A PDF without a text layer (a scan) is refused with that reason; a PDF the
//! extractor cannot read is reported, never allowed to bring the ingest down.

/// The text of a PDF, pages separated by form feeds.
pub fn text(bytes: &[u8]) -> Result<String, String> {
    // The extractor can panic on malformed files: contain it to this file.
    let pages = std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem_by_pages(bytes))
        .map_err(|_| "the PDF could not be read (malformed or unsupported)".to_string())?
        .map_err(|e| format!("the PDF could not be read: {e}"))?;
    let letters: usize = pages
        .iter()
        .map(|p| p.chars().filter(|c| c.is_alphabetic()).count())
        .sum();
    if letters < 20 * pages.len().max(1) {
        return Err(format!(
            "the PDF has no text layer ({} pages, {letters} letters): a scanned document needs OCR first",
            pages.len()
        ));
    }
    let pages: Vec<String> = pages.iter().map(|p| layout_lines(&ligatures(p))).collect();
    Ok(drop_running_lines(&pages).join("\n\u{c}\n"))
}

/// Glyphs the extractor could not map come out as NUL; inside a word they are the "fi"
/// ligature far more often than anything else ("arti\0cial", "\0rm").
fn ligatures(page: &str) -> String {
    page.replace('\u{0}', "fi")
}

/// Running heads and footers: a short line at the top or bottom of many pages (a report's title
/// on every page, "Adobe Stock"), and page numbers (digits or roman numerals) there. The first
/// page is left as it is: its masthead (symbol, date) is read later.
fn drop_running_lines(pages: &[String]) -> Vec<String> {
    const ZONE: usize = 4;
    let edge = |lines: &[&str], i: usize| i < ZONE || i + ZONE >= lines.len();
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let split: Vec<Vec<&str>> = pages
        .iter()
        .map(|p| p.lines().map(str::trim).filter(|l| !l.is_empty()).collect())
        .collect();
    for lines in &split {
        let mut once = std::collections::HashSet::new();
        for (i, l) in lines.iter().enumerate() {
            if edge(lines, i) && l.len() <= 150 && once.insert(*l) {
                *seen.entry(l).or_default() += 1;
            }
        }
    }
    let many = (pages.len() / 4).max(3);
    let page_number = |l: &str| {
        l.len() <= 8
            && (l.chars().all(|c| c.is_ascii_digit()) || l.chars().all(|c| "ivxlcdm".contains(c)))
    };
    pages
        .iter()
        .enumerate()
        .map(|(n, p)| {
            if n == 0 {
                return p.clone();
            }
            // The page's non-blank lines, as counted above.
            let nonblank = &split[n];
            let mut k = 0;
            let mut out = String::with_capacity(p.len());
            for l in p.lines() {
                let t = l.trim();
                if !t.is_empty() {
                    let at_edge = edge(nonblank, k);
                    k += 1;
                    if at_edge && (seen.get(t).is_some_and(|&n| n >= many) || page_number(t)) {
                        continue;
                    }
                }
                out.push_str(l);
                out.push('\n');
            }
            out
        })
        .collect()
}

/// Lines as a reader sees them: a wide gap (four spaces or more) separates two things set side
/// by side ("United Nations    A/AC.292/2025/INF/5"), a narrow one is justified text.
fn layout_lines(page: &str) -> String {
    let mut out = String::with_capacity(page.len());
    for line in page.lines() {
        let mut spaces = 0;
        let mut started = false;
        for c in line.chars() {
            if c == ' ' {
                spaces += 1;
                continue;
            }
            if started && spaces >= 4 {
                out.push('\n');
            } else if started && spaces > 0 {
                out.push(' ');
            }
            spaces = 0;
            started = true;
            out.push(c);
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_heads_and_page_numbers_go() {
        let page = |n: &str, body: &str| format!("Annual Report 2025\n{body}\n{n}\n");
        let pages: Vec<String> = ["ii", "iii", "1", "2"]
            .iter()
            .enumerate()
            .map(|(i, n)| page(n, &format!("Body text of page {i}.")))
            .collect();
        let out = drop_running_lines(&pages);
        assert!(
            out[0].contains("Annual Report"),
            "the first page keeps its masthead"
        );
        assert!(out[1..]
            .iter()
            .all(|p| !p.contains("Annual Report") && p.contains("Body text")));
        assert!(!out[1].contains("iii"));
        assert_eq!(ligatures("arti\u{0}cial \u{0}rm"), "artificial firm");
    }

    #[test]
    fn wide_gaps_split_and_justified_spaces_close() {
        assert_eq!(
            layout_lines("  United Nations    A/AC.292/2025/INF/5 \n1.  On  11  July  2025,  at"),
            "United Nations\nA/AC.292/2025/INF/5\n1. On 11 July 2025, at\n"
        );
    }
}
