//! travaux: a search index and query server for the record of UN digital-cooperation
//! negotiations — meeting transcripts, resolutions and their drafts, and written submissions.
//!
//! Two one-way flows over layers that import only from below (ARCHITECTURE.md draws them):
//! `ingest` (file → format parser → [`model::Parsed`] → attribution and enrichment → [`index`])
//! and `query` (request → query language → expansion → hits, snippets and facets), with
//! `versions` (lineage, diff, precedent) and `services` on top, and the CLI and the server as
//! two thin faces over them.

// Foundations: the domain types, text and analysis, error codes.
pub mod errors;
pub mod model;
pub mod text;
// Domain knowledge from `index-schema/`.
pub mod registry;
// The index: schema, fields, what is stored.
pub mod index;
// Who spoke: interventions and their speakers in meetings.
pub mod attribution;
// Files in: formats, enrichment, the write pipeline.
pub mod ingest;
// Searching: request, language, expansion, search, snippets, facets.
pub mod query;
// A work's versions: lineage, diff, grouping, precedent, references.
pub mod versions;
// What the faces offer beyond one search.
pub mod services;
// The two faces.
pub mod cli;
pub mod server;
