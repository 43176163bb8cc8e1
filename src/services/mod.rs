//! What the two faces (`cli`, `server`) offer beyond one search, built on `query` and
//! `versions`: the record at a glance ([`overview`]), saved searches and what is new since their
//! last check ([`alerts`]), and many searches answered in one request ([`batch`]).
//!
//! May use: everything below; nothing here is used by the layers below.

pub mod alerts;
pub mod batch;
pub mod overview;
