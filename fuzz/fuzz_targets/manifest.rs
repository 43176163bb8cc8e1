//! Any text as a travaux.toml manifest looked up for any path, and as front matter.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use travaux::ingest::manifest::Manifest;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    let (manifest, file) = s.split_once('\u{0}').unwrap_or((s, "docs/a/b.txt"));
    if let Ok(m) = Manifest::parse(manifest, Path::new("docs/travaux.toml"), false) {
        let _ = m.lookup(Path::new(file));
    }
    let _ = travaux::ingest::frontmatter::split(s);
});
