//! Versions: the drafts of one work and the language they share. A work's versions and the
//! alignment of their paragraphs ([`lineage`]), hits grouped by paragraph lineage
//! ([`collapse`]), where a text's wording was used before ([`precedent`]), and statements in
//! meetings about a paragraph of a version ([`references`]).
//!
//! May use: everything below, `query` included (a version's paragraphs are found by search).

pub mod collapse;
pub mod lineage;
pub mod precedent;
pub mod references;
