//! The interventions of a meeting attributed in order. The chair's remarks are the label
//! holder's and queue the names the chair calls; a speaker who names themselves is who they
//! say; a statement after the chair passed the floor takes the next name called; paragraphs
//! after a cue carry it; and what nothing decides on a microphone others were heard through
//! stays unknown.

use super::cues::{Para, Who};
use super::interventions::Segment;
use super::{label_attr, resolve, Attribution};
use crate::model::{Evidence, Turn};
use crate::registry::Registry;
use crate::text::norm_key;
use std::collections::VecDeque;

/// What attributing a meeting keeps as it goes.
pub(super) struct Floor<'a> {
    registry: &'a Registry,
    turns: &'a [Turn],
    paras: &'a [Para],
    /// Each turn's attribution, once decided.
    out: Vec<Option<Attribution>>,
    /// The names the chair called, with the label they were called under, not yet heard.
    order: VecDeque<(Option<String>, Who)>,
    /// Labels someone other than their holder was heard through.
    shared: Vec<String>,
    /// Interventions left to decide at the end.
    pending: Vec<usize>,
}

impl<'a> Floor<'a> {
    pub(super) fn new(registry: &'a Registry, turns: &'a [Turn], paras: &'a [Para]) -> Floor<'a> {
        Floor {
            registry,
            turns,
            paras,
            out: vec![None; turns.len()],
            order: VecDeque::new(),
            shared: Vec::new(),
            pending: Vec::new(),
        }
    }

    /// Who a speaker's own words or the chair's speaking order say speaks intervention `si`:
    /// the one named, the evidence, and the paragraph that says it.
    fn decide(&mut self, segments: &[Segment], si: usize) -> Option<(Who, Evidence, usize)> {
        let limits = &self.registry.cues.limits;
        let seg = &segments[si];
        let first = seg.paras[0];
        let turn = &self.turns[first];
        let label_key = seg.label.as_deref().map(norm_key);
        let by_label = label_attr(self.registry, turn, 0.9);
        let words: usize = seg.paras.iter().map(|&i| self.paras[i].words).sum();
        // A person who names themselves says more than an entity named alone.
        let said = seg
            .paras
            .iter()
            .find_map(|&i| match self.paras[i].self_ref {
                Some(w @ Who::Speaker(_)) => Some((i, w)),
                _ => None,
            })
            .or_else(|| {
                seg.paras
                    .iter()
                    .find_map(|&i| self.paras[i].self_ref.map(|w| (i, w)))
            });
        if seg.moderation || turn.agency.is_some() {
            None
        } else if let Some((i, who)) = said {
            Some((who, Evidence::SelfRef, i))
        } else if takes_floor(segments, si) && by_label.agency.is_none() {
            // A speaker the registries do not place: the one the chair called.
            self.order
                .pop_front()
                .map(|(_, w)| (w, Evidence::Floor, first))
        } else if !seg.block_start && words > limits.statement_words {
            let mine = |l: &Option<String>| l.as_deref().map(norm_key) == label_key;
            let pos = self.order.iter().position(|(l, _)| mine(l));
            pos.and_then(|p| self.order.remove(p))
                .map(|(_, w)| (w, Evidence::Floor, first))
        } else {
            None
        }
    }

    /// Attributes intervention `si`, or leaves it for [`Floor::finish`].
    pub(super) fn take(&mut self, segments: &[Segment], si: usize) {
        let limits = &self.registry.cues.limits;
        let seg = &segments[si];
        let turn = &self.turns[seg.paras[0]];
        let label_key = seg.label.as_deref().map(norm_key);
        let by_label = label_attr(self.registry, turn, 0.9);
        let words: usize = seg.paras.iter().map(|&i| self.paras[i].words).sum();
        let attribution = match self.decide(segments, si) {
            Some((who, evidence, cue)) => {
                let (speaker, agency) = resolve(self.registry, who);
                let agrees = (agency.is_some() && agency == by_label.agency)
                    || (speaker.is_some() && speaker == by_label.speaker);
                if agrees {
                    Some((
                        Attribution {
                            confidence: 1.0,
                            ..by_label
                        },
                        None,
                    ))
                } else if takes_floor(segments, si) && by_label.agency.is_none() {
                    // The label names the person; the chair's call says whom they speak for.
                    Some((
                        Attribution {
                            speaker: speaker.or(by_label.speaker),
                            agency,
                            evidence,
                            confidence: 0.7,
                        },
                        None,
                    ))
                } else {
                    // Someone other than the label's holder speaks: the label is shared.
                    if let Some(l) = &label_key {
                        if !self.shared.contains(l) {
                            self.shared.push(l.clone());
                        }
                    }
                    let confidence = if evidence == Evidence::SelfRef {
                        0.9
                    } else {
                        0.7
                    };
                    Some((
                        Attribution {
                            speaker,
                            agency,
                            evidence,
                            confidence,
                        },
                        Some(cue),
                    ))
                }
            }
            None if seg.moderation
                || turn.agency.is_some()
                || seg.block_start
                || words <= limits.statement_words =>
            {
                if seg.moderation {
                    self.queue_called(seg);
                }
                Some((by_label, None))
            }
            None => {
                self.pending.push(si);
                None
            }
        };
        let Some((a, cue)) = attribution else {
            return;
        };
        // Whoever spoke is no longer waiting for the floor.
        if !seg.moderation {
            let registry = self.registry;
            self.order.retain(|(_, w)| {
                let (s, ag) = resolve(registry, *w);
                let same_person = s.is_some() && s == a.speaker;
                let same_entity = s.is_none() && ag.is_some() && ag == a.agency;
                !(same_person || same_entity)
            });
        }
        for &i in &seg.paras {
            self.out[i] = Some(match cue {
                Some(c) if c != i => Attribution {
                    evidence: Evidence::Carried,
                    confidence: ((a.confidence - 0.1) * 100.0).round() / 100.0,
                    ..a.clone()
                },
                _ => a.clone(),
            });
        }
    }

    /// The names the chair calls in a remark join the speaking order.
    fn queue_called(&mut self, seg: &Segment) {
        for &i in &seg.paras {
            for &w in &self.paras[i].called {
                if !self.order.iter().any(|(_, x)| *x == w) {
                    self.order.push_back((seg.label.clone(), w));
                }
            }
        }
    }

    fn on_shared(&self, i: usize) -> bool {
        self.turns[i]
            .label
            .as_deref()
            .is_some_and(|l| self.shared.contains(&norm_key(l)))
    }

    /// Every turn's attribution: statements nothing attributed are the label's holder's,
    /// unless the label is a shared microphone (then unknown), and what the holder of a shared
    /// microphone says by default is less certain.
    pub(super) fn finish(mut self, segments: &[Segment]) -> Vec<Attribution> {
        for si in std::mem::take(&mut self.pending) {
            let seg = &segments[si];
            let a = if self.on_shared(seg.paras[0]) {
                Attribution {
                    speaker: None,
                    agency: None,
                    evidence: Evidence::Unknown,
                    confidence: 0.0,
                }
            } else {
                label_attr(self.registry, &self.turns[seg.paras[0]], 0.9)
            };
            for &i in &seg.paras {
                self.out[i] = Some(a.clone());
            }
        }
        let out = std::mem::take(&mut self.out);
        out.into_iter()
            .enumerate()
            .map(|(i, a)| {
                let mut a = a.unwrap_or_else(|| label_attr(self.registry, &self.turns[i], 0.9));
                if self.on_shared(i) && a.evidence == Evidence::Label && a.confidence < 1.0 {
                    a.confidence = a.confidence.min(0.6);
                }
                a
            })
            .collect()
    }
}

/// The chair has just passed the floor and someone else's label begins.
fn takes_floor(segments: &[Segment], si: usize) -> bool {
    let seg = &segments[si];
    si > 0 && seg.block_start && {
        let prev = &segments[si - 1];
        prev.moderation && prev.passed && prev.label != seg.label
    }
}
