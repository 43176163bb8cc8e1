//! Facet counts: how many matching passages hold each value of the fast keyword fields
//! (agency, speaker, topic, …), counted in batches once every segment has been searched, and
//! the number of distinct documents in an index.
//!
//! A search over very many passages may count its facets on an even sample of its matches
//! (every k-th one, across every segment) and scale the counts up; the answer then says so
//! ([`FacetSample`]), and a caller asks for exact counts by raising the threshold.

use serde::Serialize;
use std::collections::BTreeMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::query::AllQuery;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

/// Counts per value of the facet fields, over every match.
pub type Facets = BTreeMap<String, BTreeMap<String, u64>>;

/// Facet counts estimated from a sample of the matches: `counted` of the `matches` passages
/// were read, and each count was scaled by `matches ÷ counted`. A value too rare to fall in
/// the sample is not listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FacetSample {
    pub counted: usize,
    pub matches: usize,
}

/// What [`FacetCollector`] found: the counts, and the sample they were estimated from, if any.
#[derive(Debug, Clone, Default)]
pub struct FacetCounts {
    pub by: Facets,
    pub sample: Option<FacetSample>,
}

/// Number of distinct documents among all passages.
pub fn distinct_documents(searcher: &Searcher) -> tantivy::Result<u64> {
    let c = FacetCollector::new(vec!["doc_id"]);
    let f = searcher.search(&AllQuery, &c)?;
    Ok(f.by.get("doc_id").map_or(0, |m| m.len() as u64))
}

/// Counts values of fast keyword fields over the matching passages.
pub struct FacetCollector {
    fields: Vec<String>,
    /// Above this many matches, count a sample of them.
    sample_above: Option<usize>,
}

impl FacetCollector {
    /// Counts the named fast fields exactly, over every match.
    pub fn new(fields: Vec<&str>) -> FacetCollector {
        FacetCollector {
            fields: fields.into_iter().map(str::to_string).collect(),
            sample_above: None,
        }
    }

    /// Counts a sample of about `threshold` matches when there are more than that.
    pub fn sampled_above(mut self, threshold: usize) -> FacetCollector {
        self.sample_above = Some(threshold.max(1));
        self
    }
}

/// Per-segment state of [`FacetCollector`]: the segment's columns and its matching
/// documents, counted once the whole match set is known (batch lookups are much cheaper than
/// one per document and field, and the sample is even across segments).
pub struct FacetSegment {
    columns: Vec<(String, Option<StrColumn>)>,
    docs: Vec<DocId>,
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = FacetSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<FacetSegment> {
        let mut columns = Vec::new();
        for name in &self.fields {
            columns.push((name.clone(), reader.fast_fields().str(name)?));
        }
        Ok(FacetSegment {
            columns,
            docs: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<FacetSegment>) -> tantivy::Result<FacetCounts> {
        let matches: usize = segments.iter().map(|s| s.docs.len()).sum();
        let stride = match self.sample_above {
            Some(t) if matches > t => matches.div_ceil(t),
            _ => 1,
        };
        let mut by: Facets = self
            .fields
            .iter()
            .map(|f| (f.clone(), BTreeMap::new()))
            .collect();
        let mut counted = 0;
        let mut scratch = Scratch::default();
        // The sample runs on across segment borders, so that it stays one in `stride`.
        let mut skip = 0;
        for seg in segments {
            let docs = if stride == 1 {
                seg.docs
            } else {
                let (picked, next) = every(&seg.docs, skip, stride);
                skip = next;
                picked
            };
            counted += docs.len();
            for (name, col) in seg.columns {
                if let (Some(col), Some(slot)) = (col, by.get_mut(&name)) {
                    scratch.count(&col, &docs, slot);
                }
            }
        }
        let sample = (stride > 1 && counted > 0).then(|| {
            for counts in by.values_mut() {
                for c in counts.values_mut() {
                    *c = scale(*c, counted, matches);
                }
            }
            FacetSample { counted, matches }
        });
        Ok(FacetCounts { by, sample })
    }
}

/// Every `stride`-th of `docs`, starting at index `skip`; and where the next segment starts
/// so the sample stays one in `stride` across them.
fn every(docs: &[DocId], skip: usize, stride: usize) -> (Vec<DocId>, usize) {
    let picked = docs.iter().skip(skip).step_by(stride).copied().collect();
    let next = if docs.len() <= skip {
        skip - docs.len()
    } else {
        (stride - (docs.len() - skip) % stride) % stride
    };
    (picked, next)
}

/// A count over `counted` sampled passages, as an estimate over `matches`: rounded, and never
/// below 1 for a value that was seen.
fn scale(count: u64, counted: usize, matches: usize) -> u64 {
    let (c, n, m) = (count as u128, counted as u128, matches as u128);
    (((c * m) + n / 2) / n).max(1) as u64
}

/// Buffers reused from one column to the next.
#[derive(Default)]
struct Scratch {
    doc_rows: Vec<u32>,
    rows: Vec<u32>,
    ords: Vec<u64>,
}

impl Scratch {
    /// Adds the counts of `col`'s values over `docs` to `slot`.
    fn count(&mut self, col: &StrColumn, docs: &[DocId], slot: &mut BTreeMap<String, u64>) {
        let column = col.ords();
        self.doc_rows.clear();
        self.rows.clear();
        column
            .index
            .docids_to_rowids(docs, &mut self.doc_rows, &mut self.rows);
        self.ords.clear();
        self.ords.resize(self.rows.len(), 0);
        column.values.get_vals(&self.rows, &mut self.ords);
        let mut counts = vec![0u64; col.num_terms()];
        for &o in &self.ords {
            counts[o as usize] += 1;
        }
        let present: Vec<u64> = (0..counts.len() as u64)
            .filter(|&o| counts[o as usize] > 0)
            .collect();
        let mut values = present.iter();
        let _ = col.dictionary().sorted_ords_to_term_cb(&present, |term| {
            if let Some(&o) = values.next() {
                let n = counts[o as usize];
                let value = String::from_utf8_lossy(term);
                match slot.get_mut(value.as_ref()) {
                    Some(c) => *c += n,
                    None => {
                        slot.insert(value.into_owned(), n);
                    }
                }
            }
        });
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = FacetSegment;

    fn collect(&mut self, doc: DocId, _: Score) {
        if !self.columns.is_empty() {
            self.docs.push(doc);
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        if !self.columns.is_empty() {
            self.docs.extend_from_slice(docs);
        }
    }

    fn harvest(self) -> FacetSegment {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaled_counts_round_and_keep_what_was_seen() {
        assert_eq!(scale(10, 100, 1000), 100);
        assert_eq!(scale(1, 3, 10), 3);
        assert_eq!(scale(1, 1000, 10), 1);
    }

    #[test]
    fn the_sample_stays_even_across_segments() {
        // Ten matches in segments of 4, 1 and 5, one in three: the 1st, 4th, 7th and 10th.
        let segs: [&[DocId]; 3] = [&[0, 1, 2, 3], &[10], &[20, 21, 22, 23, 24]];
        let mut skip = 0;
        let mut all = Vec::new();
        for s in segs {
            let (picked, next) = every(s, skip, 3);
            all.extend(picked);
            skip = next;
        }
        assert_eq!(all, vec![0, 3, 21, 24]);
    }
}
