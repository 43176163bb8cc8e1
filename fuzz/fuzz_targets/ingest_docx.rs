//! Any bytes as a Word document (a zip archive with XML parts).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = travaux::ingest::docx::text(data);
});
