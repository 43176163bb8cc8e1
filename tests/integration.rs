//! Integration tests: the `travaux` binary driven the way a user drives it, on the real
//! documents of the test corpus (tests/fixtures/corpus, copied from the shared corpus).

mod alerts;
mod api;
mod attribution;
mod browser;
mod citations;
mod common;
mod fidelity;
mod formats;
mod http;
mod ingest;
mod inprocess;
mod languages;
mod reliability;
mod search;
mod sync;
mod understanding;
mod versions;
