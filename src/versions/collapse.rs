//! Versions grouped (`collapse=lineage`): a paragraph that runs through a work's versions is one
//! hit, shown at its latest matching version, with the versions it appears in and how it
//! changed in each (unchanged, edited, new…). A work's paragraphs are grouped into lineages by
//! the same alignment `diff` and `lineage` use, once per work and index state.

use crate::index::StoredPassage;
use crate::index::TravauxIndex;
use crate::model::Kind;
use crate::query::request::Collapse;
use crate::query::search::{
    self, SearchError, SearchRequest, SearchResponse, VersionHit, MAX_LIMIT,
};
use crate::versions::align::align;
use crate::versions::lineage::{find, Work};
use std::collections::{HashMap, VecDeque};
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

/// A work's lineages, kept while the index is unchanged (the most recently built ones). The key
/// names the index too: one process may open several.
fn cached(idx: &TravauxIndex, searcher: &Searcher, work: &str) -> Option<Arc<Lineages>> {
    type Key = (std::path::PathBuf, String, u64);
    type Cache = (HashMap<Key, Arc<Lineages>>, VecDeque<Key>);
    static CACHE: LazyLock<Mutex<Cache>> = LazyLock::new(|| Mutex::new(Default::default()));
    const KEEP: usize = 1024;
    let key = (
        idx.dir.clone(),
        work.to_string(),
        searcher.generation().generation_id(),
    );
    if let Some(l) = CACHE.lock().ok()?.0.get(&key) {
        return Some(l.clone());
    }
    let l = Arc::new(lineages(&find(idx, searcher, work).ok()?));
    let mut c = CACHE.lock().ok()?;
    if c.0.insert(key.clone(), l.clone()).is_none() {
        c.1.push_back(key);
    }
    while c.1.len() > KEEP {
        if let Some(old) = c.1.pop_front() {
            c.0.remove(&old);
        }
    }
    Some(l)
}

/// A group's work and its lineage there (once known); none for an item of no work.
type Key = Option<(String, Option<usize>)>;

/// Groups of items by paragraph lineage, in the order of their first item.
struct Groups {
    /// Each group: its key and its items, best first.
    groups: Vec<(Key, Vec<usize>)>,
    lineages: HashMap<String, Option<Arc<Lineages>>>,
}

impl Groups {
    /// Groups `items` (best first) until `most` groups are made. A work's lineages are built
    /// only when two of its paragraphs are among the items (to tell whether they are one).
    fn of(
        idx: &TravauxIndex,
        searcher: &Searcher,
        items: &[&StoredPassage],
        most: usize,
    ) -> Groups {
        let mut g = Groups {
            groups: Vec::new(),
            lineages: HashMap::new(),
        };
        for (i, p) in items.iter().enumerate() {
            let work = match (&p.document.work, p.document.kind) {
                (Some(w), Some(Kind::Resolution)) => w.clone(),
                _ => {
                    if g.groups.len() == most {
                        break;
                    }
                    g.groups.push((None, vec![i]));
                    continue;
                }
            };
            let same_work: Vec<usize> = (0..g.groups.len())
                .filter(|&k| matches!(&g.groups[k].0, Some((w, _)) if *w == work))
                .collect();
            if same_work.is_empty() {
                if g.groups.len() == most {
                    break;
                }
                g.groups.push((Some((work, None)), vec![i]));
                continue;
            }
            let l = g.lineages(idx, searcher, &work);
            let lineage_of = |id: &str| l.as_ref().and_then(|l| l.of.get(id).copied());
            // The earlier groups of this work learn their lineage now.
            for &k in &same_work {
                let first = g.groups[k].1[0];
                if let Some((_, slot @ None)) = &mut g.groups[k].0 {
                    *slot = lineage_of(&items[first].id);
                }
            }
            let mine = lineage_of(&p.id);
            let join = mine.and_then(|m| {
                same_work
                    .iter()
                    .copied()
                    .find(|&k| matches!(&g.groups[k].0, Some((_, Some(x))) if *x == m))
            });
            match join {
                Some(k) => g.groups[k].1.push(i),
                None => {
                    if g.groups.len() == most {
                        break;
                    }
                    g.groups.push((Some((work, mine)), vec![i]));
                }
            }
        }
        g
    }

    /// A work's lineages, looked up once per grouping.
    fn lineages(
        &mut self,
        idx: &TravauxIndex,
        searcher: &Searcher,
        work: &str,
    ) -> Option<Arc<Lineages>> {
        self.lineages
            .entry(work.to_string())
            .or_insert_with(|| cached(idx, searcher, work))
            .clone()
    }

    /// The versions a group's lineage runs through (none for a work of one version or an item
    /// that is no paragraph of a work); those among `matched` are marked.
    fn versions(
        &mut self,
        idx: &TravauxIndex,
        searcher: &Searcher,
        k: usize,
        first: &StoredPassage,
        matched: &std::collections::HashSet<&str>,
    ) -> Vec<VersionHit> {
        let Some((work, known)) = self.groups[k].0.clone() else {
            return Vec::new();
        };
        let Some(l) = self.lineages(idx, searcher, &work) else {
            return Vec::new();
        };
        let Some(g) = known.or_else(|| l.of.get(&first.id).copied()) else {
            return Vec::new();
        };
        let versions: Vec<VersionHit> = l.members[g]
            .iter()
            .map(|v| VersionHit {
                matched: matched.contains(v.passage.as_str()),
                ..v.clone()
            })
            .collect();
        if versions.len() > 1 {
            versions
        } else {
            Vec::new()
        }
    }
}

/// Items (best first) grouped by paragraph lineage, at most `most` of them: the first item of
/// each lineage stands for it, with the versions the lineage runs through (those among the
/// items marked `matched`). Items that are not paragraphs of a work with several versions
/// stand alone.
pub fn group<T>(
    idx: &TravauxIndex,
    searcher: &Searcher,
    items: Vec<T>,
    most: usize,
    passage: impl Fn(&T) -> &StoredPassage,
) -> Vec<(T, Vec<VersionHit>)> {
    let refs: Vec<&StoredPassage> = items.iter().map(&passage).collect();
    let mut g = Groups::of(idx, searcher, &refs, most);
    let matched: std::collections::HashSet<&str> = refs.iter().map(|p| p.id.as_str()).collect();
    let versions: Vec<(usize, Vec<VersionHit>)> = (0..g.groups.len())
        .map(|k| {
            let first = g.groups[k].1[0];
            (first, g.versions(idx, searcher, k, refs[first], &matched))
        })
        .collect();
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    versions
        .into_iter()
        .filter_map(|(i, v)| slots[i].take().map(|t| (t, v)))
        .collect()
}

/// A search, with versions grouped when the request asks (`collapse=lineage`).
pub fn search_with(
    idx: &TravauxIndex,
    searcher: &Searcher,
    req: &SearchRequest,
) -> Result<SearchResponse, SearchError> {
    let mut resp = if req.collapse != Some(Collapse::Lineage) {
        search::search_with(idx, searcher, req)?
    } else {
        grouped(idx, searcher, req)?
    };
    if let Some(lang) = req.beside.as_deref() {
        crate::versions::languages::beside(idx, &mut resp.hits, lang)?;
    }
    Ok(resp)
}

/// [`search_with`] with `collapse=lineage`.
fn grouped(
    idx: &TravauxIndex,
    searcher: &Searcher,
    req: &SearchRequest,
) -> Result<SearchResponse, SearchError> {
    search::check(req)?;
    let limit = req.limit.unwrap_or(search::DEFAULT_LIMIT);
    let offset = req.offset.unwrap_or(0);
    let mut wide = req.clone();
    wide.collapse = None;
    wide.offset = Some(0);
    wide.limit = Some(WINDOW);
    // The best matches with their passages; only the hits shown get snippets.
    let (mut resp, dresser) = search::search_bare(idx, searcher, &wide)?;
    let refs: Vec<&StoredPassage> = resp.hits.iter().map(|h| &h.passage).collect();
    let mut g = Groups::of(idx, searcher, &refs, usize::MAX);
    let mut hits = Vec::new();
    for k in (0..g.groups.len()).skip(offset).take(limit) {
        let members = g.groups[k].1.clone();
        let ids: std::collections::HashSet<&str> =
            members.iter().map(|&i| refs[i].id.as_str()).collect();
        let versions = g.versions(idx, searcher, k, refs[members[0]], &ids);
        // The latest version that matched stands for the group.
        let shown = versions
            .iter()
            .rev()
            .find(|v| v.matched)
            .and_then(|v| members.iter().find(|&&i| refs[i].id == v.passage))
            .copied()
            .unwrap_or(members[0]);
        let mut h = resp.hits[shown].clone();
        h.versions = versions;
        dresser.dress(&mut h);
        hits.push(h);
    }
    resp.groups = Some(g.groups.len());
    resp.hits = hits;
    resp.offset = offset;
    resp.limit = limit;
    Ok(resp)
}
