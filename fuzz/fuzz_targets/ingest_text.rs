//! Any bytes as a text file of each kind travaux reads: transcripts (Teams, WebVTT, verbatim,
//! minutes), UN documents, submissions with front matter. The first byte picks the extension
//! and the kind hint, so every parser and the format detection are reached.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;
use travaux::ingest::manifest::Meta;
use travaux::model::Kind;
use travaux::registry::Registry;

fn registry() -> &'static Registry {
    static R: OnceLock<Registry> = OnceLock::new();
    R.get_or_init(Registry::embedded)
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let ext = ["txt", "md", "vtt", "txt"][(pick & 3) as usize];
    let kind = match (pick >> 2) & 3 {
        1 => Some(Kind::Transcript),
        2 => Some(Kind::Resolution),
        3 => Some(Kind::Submission),
        _ => None,
    };
    let meta = Meta {
        kind,
        ..Meta::default()
    };
    let name = format!("submissions/fuzz.{ext}");
    let _ = travaux::ingest::parse_file(Path::new(&name), &name, rest, &meta, registry());
});
