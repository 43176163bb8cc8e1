//! Facet counts: how many matching passages hold each value of the fast keyword fields
//! (agency, speaker, topic, …), counted per segment in batches, and the number of distinct
//! documents in an index.

use std::collections::BTreeMap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::query::AllQuery;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

/// Counts per value of the facet fields, over every match.
pub type Facets = BTreeMap<String, BTreeMap<String, u64>>;

/// Number of distinct documents among all passages.
pub fn distinct_documents(searcher: &Searcher) -> tantivy::Result<u64> {
    let c = FacetCollector::new(vec!["doc_id"]);
    let f = searcher.search(&AllQuery, &c)?;
    Ok(f.get("doc_id").map_or(0, |m| m.len() as u64))
}

/// Counts values of fast keyword fields over the matching passages.
pub struct FacetCollector {
    fields: Vec<String>,
}

impl FacetCollector {
    /// Counts the named fast fields.
    pub fn new(fields: Vec<&str>) -> FacetCollector {
        FacetCollector {
            fields: fields.into_iter().map(str::to_string).collect(),
        }
    }
}

/// Per-segment state of [`FacetCollector`]: the matching documents, counted column by column
/// when the segment is done (batch lookups are much cheaper than one per document and field).
pub struct FacetSegment {
    columns: Vec<(String, Option<StrColumn>)>,
    docs: Vec<DocId>,
}

impl Collector for FacetCollector {
    type Fruit = Facets;
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

    fn merge_fruits(&self, fruits: Vec<Facets>) -> tantivy::Result<Facets> {
        let mut out: Facets = self
            .fields
            .iter()
            .map(|f| (f.clone(), BTreeMap::new()))
            .collect();
        for fruit in fruits {
            for (field, counts) in fruit {
                let slot = out.entry(field).or_default();
                for (v, c) in counts {
                    *slot.entry(v).or_default() += c;
                }
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = Facets;

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

    fn harvest(self) -> Facets {
        let mut out = Facets::new();
        let (mut doc_rows, mut rows, mut ords) = (Vec::new(), Vec::new(), Vec::new());
        for (name, col) in self.columns {
            let mut m = BTreeMap::new();
            if let Some(col) = col {
                let column = col.ords();
                doc_rows.clear();
                rows.clear();
                column
                    .index
                    .docids_to_rowids(&self.docs, &mut doc_rows, &mut rows);
                ords.clear();
                ords.resize(rows.len(), 0u64);
                column.values.get_vals(&rows, &mut ords);
                let mut counts = vec![0u64; col.num_terms()];
                for &o in &ords {
                    counts[o as usize] += 1;
                }
                let present: Vec<u64> = (0..counts.len() as u64)
                    .filter(|&o| counts[o as usize] > 0)
                    .collect();
                let mut values = present.iter();
                let _ = col.dictionary().sorted_ords_to_term_cb(&present, |term| {
                    if let Some(&o) = values.next() {
                        m.insert(
                            String::from_utf8_lossy(term).into_owned(),
                            counts[o as usize],
                        );
                    }
                });
            }
            out.insert(name, m);
        }
        out
    }
}
