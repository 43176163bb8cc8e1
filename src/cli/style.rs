//! How the commands print for people: bold, colour and word-level changes when standard output
//! is a terminal, plain marks when it is a pipe; long text wrapped to the terminal's width.

use crate::versions::align::Change;
use std::io::IsTerminal;

/// Colours and width for a terminal, or plain marks and whole lines.
pub struct Style {
    pub colour: bool,
    /// Columns to wrap text at; none when output goes to a pipe or a file.
    pub width: Option<usize>,
}

/// The terminal's width in columns: `COLUMNS` when set, else what the terminal reports.
fn terminal_width() -> Option<usize> {
    if let Some(n) = std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()) {
        return Some(n);
    }
    console::Term::stdout()
        .size_checked()
        .map(|(_, cols)| usize::from(cols))
        .filter(|&c| c > 0)
}

impl Style {
    pub fn stdout() -> Style {
        let tty = std::io::stdout().is_terminal();
        Style {
            colour: tty && std::env::var_os("NO_COLOR").is_none(),
            width: if tty { terminal_width() } else { None },
        }
    }

    /// An HTML snippet with `<mark>`s, for the terminal.
    pub fn marked(&self, html: &str) -> String {
        html_to_terminal(html, self.colour)
    }

    pub fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }

    pub fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.colour && !s.is_empty() {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    /// A word-level diff: deletions struck through in red or `[-…-]`, insertions green or
    /// `{+…+}`.
    pub fn changes(&self, cs: &[Change]) -> String {
        cs.iter()
            .map(|c| match (c.op, self.colour) {
                ("insert", true) => format!("\x1b[32m{}\x1b[0m", c.text),
                ("delete", true) => format!("\x1b[9;31m{}\x1b[0m", c.text),
                ("insert", false) => format!("{{+{}+}}", c.text),
                ("delete", false) => format!("[-{}-]", c.text),
                _ => c.text.clone(),
            })
            .collect()
    }

    /// Text indented by `indent` spaces and, on a terminal, wrapped to its width. Colour codes
    /// take no columns.
    pub fn wrap(&self, text: &str, indent: usize) -> String {
        let pad = " ".repeat(indent);
        let Some(width) = self.width.map(|w| w.max(indent + 20)) else {
            return format!(
                "{pad}{}",
                text.split_whitespace().collect::<Vec<_>>().join(" ")
            );
        };
        let mut out = String::new();
        let mut col = 0;
        for word in text.split_whitespace() {
            let w = visible_len(word);
            if col > 0 && col + 1 + w > width {
                out.push('\n');
                col = 0;
            }
            if col == 0 {
                out.push_str(&pad);
                col = indent;
            } else {
                out.push(' ');
                col += 1;
            }
            out.push_str(word);
            col += w;
        }
        out
    }
}

/// Columns a string takes on a terminal: characters less escape sequences.
fn visible_len(s: &str) -> usize {
    let mut n = 0;
    let mut esc = false;
    for c in s.chars() {
        match (esc, c) {
            (false, '\x1b') => esc = true,
            (true, 'm') => esc = false,
            (true, _) => {}
            (false, _) => n += 1,
        }
    }
    n
}

/// A snippet's HTML as terminal text: marks in bold (or `[…]` without colour), entities decoded
/// (named and numeric: `&#39;` and `&#x27;` alike).
pub fn html_to_terminal(s: &str, colour: bool) -> String {
    let (open, close) = if colour {
        ("\x1b[1;33m", "\x1b[0m")
    } else {
        ("[", "]")
    };
    decode_entities(&s.replace("<mark>", open).replace("</mark>", close))
}

/// Decodes the entities an HTML escaper writes: `&lt;`, `&gt;`, `&quot;`, `&amp;`, `&apos;` and
/// numeric ones. Anything else is left as written.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let entity = rest.find(';').filter(|&e| e <= 10).map(|e| &rest[1..e]);
        let decoded = entity.and_then(|name| match name {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "amp" => Some('&'),
            "apos" => Some('\''),
            _ => {
                let n = name.strip_prefix('#')?;
                let code = match n.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                    None => n.parse().ok()?,
                };
                char::from_u32(code)
            }
        });
        match (decoded, entity) {
            (Some(ch), Some(name)) => {
                out.push(ch);
                rest = &rest[name.len() + 2..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_to_the_width_and_ignores_colour_codes() {
        let s = Style {
            colour: false,
            width: Some(30),
        };
        let w = s.wrap(
            "Welcomes the \x1b[1mGlobal\x1b[0m Digital Compact and its follow-up",
            2,
        );
        for line in w.lines() {
            assert!(visible_len(line) <= 30, "{line:?}");
            assert!(line.starts_with("  "));
        }
        assert_eq!(w.lines().count(), 2);
        let pipe = Style {
            colour: false,
            width: None,
        };
        assert_eq!(pipe.wrap("a  b\nc", 2), "  a b c");
    }

    #[test]
    fn snippets_reach_the_terminal_without_entities() {
        assert_eq!(
            html_to_terminal(
                "I&#x27;m <mark>IETU</mark>&#39;s &amp; &quot;x&quot; &lt;3 &bogus; &",
                false
            ),
            "I'm [IETU]'s & \"x\" <3 &bogus; &"
        );
    }
}
