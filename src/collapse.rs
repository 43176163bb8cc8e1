//! Versions grouped (`collapse=lineage`): a paragraph that runs through a work's versions is one
//! hit, shown at its latest matching version, with the versions it appears in and how it
//! changed in each (unchanged, edited, new…). A work's paragraphs are grouped into lineages by
//! the same alignment `diff` and `lineage` use, once per work and index state.

use crate::index::TravauxIndex;
use crate::lineage::{align, find, Work};
use crate::model::Kind;
use crate::request::Collapse;
use crate::search::{self, SearchError, SearchRequest, SearchResponse, VersionHit, MAX_LIMIT};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};
use tantivy::Searcher;

/// Hits are grouped among this many of the best matches.
const WINDOW: usize = MAX_LIMIT;

/// A work's paragraphs as lineages: each passage's lineage, and each lineage's paragraphs by
/// version (oldest first) with how each changed from the version before.
#[derive(Debug, Default)]
struct Lineages {
    of: HashMap<String, usize>,
    members: Vec<Vec<VersionHit>>,
}

fn lineages(work: &Work) -> Lineages {
    let versions = &work.versions;
    // Union-find over (version, paragraph) nodes, joined along the alignment.
    let base: Vec<usize> = versions
        .iter()
        .scan(0, |n, v| {
            let b = *n;
            *n += v.paragraphs.len();
            Some(b)
        })
        .collect();
    let total: usize = versions.iter().map(|v| v.paragraphs.len()).sum();
    let mut parent: Vec<usize> = (0..total).collect();
    fn root(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    let aligns: Vec<_> = versions
        .windows(2)
        .map(|w| align(&w[0].paragraphs, &w[1].paragraphs))
        .collect();
    for (v, a) in aligns.iter().enumerate() {
        for (j, preds) in a.pred.iter().enumerate() {
            for &i in preds {
                let (x, y) = (
                    root(&mut parent, base[v] + i),
                    root(&mut parent, base[v + 1] + j),
                );
                parent[x] = y;
            }
        }
    }
    let mut out = Lineages::default();
    let mut index: HashMap<usize, usize> = HashMap::new();
    for (v, version) in versions.iter().enumerate() {
        for (i, p) in version.paragraphs.iter().enumerate() {
            let r = root(&mut parent, base[v] + i);
            let g = *index.entry(r).or_insert_with(|| {
                out.members.push(Vec::new());
                out.members.len() - 1
            });
            out.of.insert(p.id.clone(), g);
            let status = v
                .checked_sub(1)
                .map(|prev| aligns[prev].status[i].as_str().to_string());
            out.members[g].push(VersionHit {
                passage: p.id.clone(),
                doc: version.doc.id.clone(),
                symbol: version.doc.symbol.clone(),
                version: version.doc.version.clone(),
                date: version.doc.date,
                paragraph: p.locator.paragraph.clone(),
                status,
                matched: false,
            });
        }
    }
    out
}

/// A work's lineages, kept while the index is unchanged.
fn cached(idx: &TravauxIndex, searcher: &Searcher, work: &str) -> Option<Arc<Lineages>> {
    type Cache = HashMap<(String, u64), Arc<Lineages>>;
    static CACHE: LazyLock<Mutex<Cache>> = LazyLock::new(|| Mutex::new(HashMap::new()));
    let key = (work.to_string(), searcher.generation().generation_id());
    if let Some(l) = CACHE.lock().ok()?.get(&key) {
        return Some(l.clone());
    }
    let l = Arc::new(lineages(&find(idx, searcher, work).ok()?));
    let mut c = CACHE.lock().ok()?;
    if c.len() > 256 {
        c.clear();
    }
    c.insert(key, l.clone());
    Some(l)
}

/// Items (best first) grouped by paragraph lineage: the first item of each lineage stands for
/// it, with the versions the lineage runs through (those among the items marked `matched`).
/// Items that are not paragraphs of a work with several versions stand alone.
pub fn group<T>(
    idx: &TravauxIndex,
    searcher: &Searcher,
    items: Vec<T>,
    passage: impl Fn(&T) -> &crate::index::StoredPassage,
) -> Vec<(T, Vec<VersionHit>)> {
    let mut found: HashMap<String, Option<Arc<Lineages>>> = HashMap::new();
    let key = |p: &crate::index::StoredPassage,
               found: &mut HashMap<String, Option<Arc<Lineages>>>| {
        let (Some(w), Some(Kind::Resolution)) = (&p.document.work, p.document.kind) else {
            return None;
        };
        let l = found
            .entry(w.clone())
            .or_insert_with(|| cached(idx, searcher, w))
            .clone()?;
        let g = *l.of.get(&p.id)?;
        Some((w.clone(), g, l))
    };
    let keys: Vec<_> = items.iter().map(|t| key(passage(t), &mut found)).collect();
    let ids: std::collections::HashSet<String> =
        items.iter().map(|t| passage(t).id.clone()).collect();
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (t, k) in items.into_iter().zip(keys) {
        match k {
            Some((w, g, l)) => {
                if !seen.insert((w, g)) {
                    continue;
                }
                let versions: Vec<VersionHit> = l.members[g]
                    .iter()
                    .map(|v| VersionHit {
                        matched: ids.contains(&v.passage),
                        ..v.clone()
                    })
                    .collect();
                out.push((
                    t,
                    if versions.len() > 1 {
                        versions
                    } else {
                        Vec::new()
                    },
                ));
            }
            None => out.push((t, Vec::new())),
        }
    }
    out
}

/// A search, with versions grouped when the request asks (`collapse=lineage`).
pub fn search_with(
    idx: &TravauxIndex,
    searcher: &Searcher,
    req: &SearchRequest,
) -> Result<SearchResponse, SearchError> {
    if req.collapse != Some(Collapse::Lineage) {
        return search::search_with(idx, searcher, req);
    }
    search::check(req)?;
    let limit = req.limit.unwrap_or(search::DEFAULT_LIMIT);
    let offset = req.offset.unwrap_or(0);
    let mut wide = req.clone();
    wide.collapse = None;
    wide.offset = Some(0);
    wide.limit = Some(WINDOW);
    let mut resp = search::search_with(idx, searcher, &wide)?;
    // Group the best matches, keeping their order; each group shown at its latest version.
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    let mut found: HashMap<String, Arc<Lineages>> = HashMap::new();
    for (i, h) in resp.hits.iter().enumerate() {
        let d = &h.passage.document;
        let key = match (&d.work, d.kind) {
            (Some(w), Some(Kind::Resolution)) => {
                if !found.contains_key(w) {
                    if let Some(l) = cached(idx, searcher, w) {
                        found.insert(w.clone(), l);
                    }
                }
                found
                    .get(w)
                    .and_then(|l| l.of.get(&h.passage.id))
                    .map(|g| format!("{w}#{g}"))
            }
            _ => None,
        }
        .unwrap_or_else(|| h.passage.id.clone());
        match at.get(&key) {
            Some(&g) => groups[g].1.push(i),
            None => {
                at.insert(key.clone(), groups.len());
                groups.push((key, vec![i]));
            }
        }
    }
    let mut hits = Vec::new();
    resp.groups = Some(groups.len());
    for (key, members) in groups.into_iter().skip(offset).take(limit) {
        let ids: Vec<&str> = members
            .iter()
            .map(|&i| resp.hits[i].passage.id.as_str())
            .collect();
        let versions: Vec<VersionHit> = key
            .split_once('#')
            .and_then(|(w, g)| found.get(w)?.members.get(g.parse::<usize>().ok()?))
            .map(|vs| {
                vs.iter()
                    .map(|v| VersionHit {
                        matched: ids.contains(&v.passage.as_str()),
                        ..v.clone()
                    })
                    .collect()
            })
            .unwrap_or_default();
        // The latest version that matched stands for the group.
        let shown = versions
            .iter()
            .rev()
            .find(|v| v.matched)
            .and_then(|v| {
                members
                    .iter()
                    .find(|&&i| resp.hits[i].passage.id == v.passage)
            })
            .copied()
            .unwrap_or(members[0]);
        let mut h = resp.hits[shown].clone();
        if versions.len() > 1 {
            h.versions = versions;
        }
        hits.push(h);
    }
    resp.hits = hits;
    resp.offset = offset;
    resp.limit = limit;
    Ok(resp)
}
