//! Query: a search request from any face to ranked hits, snippets and facets. The request is
//! declared once ([`request`], its filters in [`filters`]), its text read by the query language ([`language`]), each word
//! searched under its other forms ([`expand`]), run against one searcher ([`search`]), its hits
//! given snippets ([`snippet`]) and its filters counted ([`facets`]); [`stats`] counts and shows
//! what the index holds, [`export`] writes hits as CSV rows.
//!
//! May use: `model`, `text`, `registry`, `index`, `errors`. Grouping hits by versions lives above,
//! in `versions`.

mod build;
mod clause;
pub mod error;
pub mod expand;
pub mod export;
pub mod facets;
pub mod filters;
pub mod language;
pub mod request;
pub mod search;
pub mod snippet;
pub mod stats;
