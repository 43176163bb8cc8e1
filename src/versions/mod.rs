//! Versions: the drafts of one work and the language they share. A work's versions and the
//! paragraphs' descent ([`lineage`]), how two versions' paragraphs line up ([`align`]) and what
//! changed between them ([`diff`]), hits grouped by paragraph lineage
//! ([`collapse`]), where a text's wording was used before ([`precedent`]), and statements in
//! meetings about a paragraph of a version ([`references`]), and the citation graph: what cites a
//! text and what a document cites ([`citations`]).
//!
//! May use: everything below, `query` included (a version's paragraphs are found by search).

pub mod align;
pub mod citations;
pub mod collapse;
pub mod diff;
pub mod languages;
pub mod lineage;
pub mod precedent;
pub mod references;
