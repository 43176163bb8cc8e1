//! Integration tests: the `travaux` binary driven the way a user drives it, on the real
//! documents of the shared corpus.

mod common;
mod ingest;
mod search;
