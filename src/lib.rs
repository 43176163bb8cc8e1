//! travaux: a search index and query server for the record of UN digital-cooperation
//! negotiations — meeting transcripts, resolutions and their drafts, and written submissions.
//!
//! Two one-way flows: `ingest` (file → format parser → [`model::Parsed`] → enrichment →
//! [`index`]) and `search` (request → query → hits and facets). The CLI and the server are thin
//! faces over [`search::search`].

pub mod alerts;
pub mod analysis;
pub mod attribution;
pub mod batch;
pub mod bench;
pub mod cli;
pub mod collapse;
pub mod enrich;
pub mod errors;
pub mod expand;
pub mod export;
pub mod facets;
pub mod fingerprint;
pub mod heard;
pub mod index;
pub mod ingest;
pub mod lineage;
pub mod model;
pub mod names;
pub mod overview;
pub mod pairs;
pub mod phrase;
pub mod pipeline;
pub mod precedent;
pub mod query;
pub mod references;
pub mod registry;
pub mod request;
pub mod schema;
pub mod search;
pub mod server;
pub mod snippet;
pub mod stats;
pub mod text;
