//! A meeting's turns cut into interventions: blocks of turns under one label, split where a
//! speaker closes with thanks, where the chair speaks or passes the floor, and where someone
//! thanks the label's holder (so is someone else); a short interjection under another label
//! does not end an intervention that goes on after it.

use super::cues::{same_person, Para};
use crate::model::Turn;
use crate::registry::Registry;
use crate::text::norm_key;
use std::ops::Range;

/// One intervention: its paragraphs (possibly across an interjection) and what decided it.
#[derive(Debug)]
pub(super) struct Segment {
    pub(super) label: Option<String>,
    pub(super) paras: Vec<usize>,
    /// Begins a labelled block.
    pub(super) block_start: bool,
    /// The chair's remark.
    pub(super) moderation: bool,
    /// The speaker closed with thanks.
    pub(super) closed: bool,
    /// The chair passed the floor (or only thanked the last speaker): what follows is another's.
    pub(super) passed: bool,
}
/// Runs of turns under one label and one stated entity (a delegation that spoke for a group
/// and then for itself under the same label has two runs).
fn blocks(turns: &[Turn]) -> Vec<Range<usize>> {
    let label_of = |i: usize| {
        (
            turns[i].label.as_deref().map(norm_key),
            turns[i].agency.as_deref(),
        )
    };
    let mut blocks: Vec<Range<usize>> = Vec::new();
    for i in 0..turns.len() {
        match blocks.last_mut() {
            Some(b) if label_of(b.start) == label_of(i) => b.end = i + 1,
            _ => blocks.push(i..i + 1),
        }
    }
    blocks
}

/// The interventions of a meeting, in order; `paras` is what each turn says (see
/// [`super::cues`]).
pub(super) fn cut(registry: &Registry, turns: &[Turn], paras: &[Para]) -> Vec<Segment> {
    let limits = &registry.cues.limits;
    let label_of = |i: usize| turns[i].label.as_deref().map(norm_key);
    let blocks = blocks(turns);
    let mut segments: Vec<Segment> = Vec::new();
    let mut seg_of = vec![0usize; turns.len()];
    for (b, range) in blocks.iter().enumerate() {
        let label = turns[range.start].label.as_deref();
        // Thanks to the label's holder or to the chair: the speaker is someone else.
        let to_other = |p: &Para| {
            p.addressed_chair
                || p.addressed
                    .as_deref()
                    .zip(label)
                    .is_some_and(|(n, l)| same_person(registry, n, l))
        };
        let is_moderation = |p: &Para| {
            p.passes
                || (p.addressed.is_some() && !to_other(p) && p.words <= limits.moderation_words)
        };
        let first = &paras[range.start];
        // Back after a short interjection under another label: the intervention goes on.
        let resumes = (b >= 2 && label_of(blocks[b - 2].start) == label_of(range.start))
            .then(|| seg_of[blocks[b - 2].end - 1])
            .filter(|&s| {
                let interjection: usize = blocks[b - 1].clone().map(|i| paras[i].words).sum();
                let seg: &Segment = &segments[s];
                let open = !(seg.closed || seg.passed || seg.moderation);
                let answers_back = is_moderation(first) || to_other(first);
                interjection <= limits.interjection_words && open && !answers_back
            });
        for i in range.clone() {
            let p = &paras[i];
            let moderation = is_moderation(p);
            let filler = p.words <= limits.filler_words;
            let cont = if i == range.start {
                resumes
            } else {
                let cur = &segments[seg_of[i - 1]];
                let new = cur.closed || moderation || (!filler && (cur.passed || to_other(p)));
                (!new).then_some(seg_of[i - 1])
            };
            let s = match cont {
                Some(s) => {
                    segments[s].paras.push(i);
                    s
                }
                None => {
                    segments.push(Segment {
                        label: label.map(str::to_string),
                        paras: vec![i],
                        block_start: i == range.start,
                        moderation,
                        closed: false,
                        passed: false,
                    });
                    segments.len() - 1
                }
            };
            seg_of[i] = s;
            let seg = &mut segments[s];
            seg.passed = (seg.moderation && (p.passes || p.thanks_only)) || (seg.passed && filler);
            seg.closed = p.closes;
        }
    }
    segments
}
