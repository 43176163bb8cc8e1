//! Any bytes as an XML file: Akoma Ntoso, ParlaMint TEI, Hansard, or none of them.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;
use travaux::registry::Registry;

fn registry() -> &'static Registry {
    static R: OnceLock<Registry> = OnceLock::new();
    R.get_or_init(Registry::embedded)
}

fuzz_target!(|data: &[u8]| {
    // A path whose folder does not exist: no corpus header is looked up beside it.
    let name = "/nonexistent-travaux-fuzz/fuzz.xml";
    let _ = travaux::ingest::parse_file(Path::new(name), name, data, &Default::default(), registry());
});
