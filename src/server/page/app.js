// The travaux search page: the URL holds the query and filters, results come from /api/search,
// a click opens the passage in its context. Document text is only ever set as text, never as
// markup: snippets are rebuilt node by node from the server's escaped <mark> fragments.
"use strict";

// The filters are the facets the server counts (GET /api/facets): the page keeps no list of its own.
let FILTERS = [];
const LIMIT = 20;
const $ = (id) => document.getElementById(id);

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

// The entities an HTML escaper writes, named and numeric (&#39; and &#x27; alike).
const NAMED = { lt: "<", gt: ">", quot: "\"", amp: "&", apos: "'" };
function decode(s) {
  return s.replace(/&(#[0-9]+|#[xX][0-9a-fA-F]+|lt|gt|quot|amp|apos);/g, (m, name) => {
    if (name[0] !== "#") return NAMED[name];
    const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

// Text nodes and <mark> elements from an escaped snippet.
function snippetNodes(snippet) {
  const frag = document.createDocumentFragment();
  const parts = snippet.split(/(<mark>|<\/mark>)/);
  let marked = false;
  for (const p of parts) {
    if (p === "<mark>") { marked = true; continue; }
    if (p === "</mark>") { marked = false; continue; }
    if (!p) continue;
    frag.appendChild(marked ? el("mark", null, decode(p)) : document.createTextNode(decode(p)));
  }
  return frag;
}

function clock(t) {
  const h = Math.floor(t / 3600), m = Math.floor(t / 60) % 60, s = String(t % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

function where(loc) {
  const parts = [];
  if (loc.paragraph) parts.push(loc.paragraph.startsWith("PP") ? loc.paragraph : `para. ${loc.paragraph}`);
  if (loc.timestamp !== null && loc.timestamp !== undefined) parts.push(clock(loc.timestamp));
  if (!parts.length && loc.line) parts.push(`line ${loc.line}`);
  return parts.join(" · ");
}

function state() {
  // The reader's address carries its own parameters, not a search's.
  const u = new URLSearchParams(location.pathname === "/" ? location.search : "");
  return { q: u.get("q") || "", offset: parseInt(u.get("offset") || "0", 10) || 0, filters: Object.fromEntries(FILTERS.map((f) => [f, u.get(f) || ""])) };
}

function urlFor(st) {
  const u = new URLSearchParams();
  if (st.q) u.set("q", st.q);
  for (const f of FILTERS) if (st.filters[f]) u.set(f, st.filters[f]);
  if (st.offset) u.set("offset", String(st.offset));
  return u;
}

// The values each filter offers over the whole index; a search's own counts replace the
// numbers shown beside them.
let GLOBAL = {};

async function loadFacets() {
  const r = await fetch("/api/facets");
  if (!r.ok) return;
  const data = await r.json();
  GLOBAL = data.facets || {};
  FILTERS = Object.keys(GLOBAL);
  const box = $("filters");
  for (const f of FILTERS) {
    const sel = el("select");
    sel.id = `f-${f}`;
    sel.name = f;
    sel.addEventListener("change", () => go(formState(0)));
    const label = el("label", null, `${f[0].toUpperCase()}${f.slice(1)} `);
    label.appendChild(sel);
    box.appendChild(label);
  }
  fillFilters(null);
}

// Each menu lists values with the count of the current search (the whole index before one
// runs); a value chosen in the address is always listed, and kept, even when nothing matches.
// Counts estimated from a sample of a very large search are marked "≈", and the values too
// rare to fall in the sample are still offered, without a count.
function fillFilters(counts, sample) {
  const st = state();
  const note = sample ? `Counts estimated from ${sample.counted} of ${sample.matches} matching passages` : "";
  $("filters").title = note;
  // Exact counts on request: the same search with the bound above its total.
  $("estimated").hidden = !sample;
  $("estimated-text").textContent = note ? `${note}.` : "";
  if (sample) {
    const exact = urlFor(st);
    exact.set("facet_sample_threshold", String(sample.matches));
    $("exact-facets").href = `/?${exact}`;
    $("exact-facets").onclick = (e) => { e.preventDefault(); history.pushState(null, "", `/?${exact}`); route(); };
  }
  for (const f of FILTERS) {
    const sel = $(`f-${f}`);
    const own = counts && counts[f];
    const shown = own || GLOBAL[f] || {};
    sel.replaceChildren();
    const any = el("option", null, "any");
    any.value = "";
    sel.appendChild(any);
    const entries = Object.entries(shown).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    if (own && sample) for (const v of Object.keys(GLOBAL[f] || {}).sort()) if (!(v in own)) entries.push([v, null]);
    const chosen = st.filters[f];
    if (chosen && !entries.some(([v]) => v.toLowerCase() === chosen.toLowerCase())) entries.unshift([chosen, 0]);
    for (const [value, n] of entries) {
      const o = el("option", null, n === null ? value : `${value} (${own && sample ? "≈" : ""}${n})`);
      o.value = value;
      sel.appendChild(o);
    }
    const match = entries.find(([v]) => v.toLowerCase() === (chosen || "").toLowerCase());
    sel.value = match ? match[0] : "";
  }
}

function badge(cls, text) {
  return el("span", `badge ${cls}`, text);
}

// How a passage's speaker was decided, so a reader can judge it.
const EVIDENCE = {
  label: "the speaker label names the speaker",
  self: "the speaker names themselves or their entity",
  floor: "the chair gave them the floor",
  carried: "continues an attributed intervention",
  unknown: "nobody could be attributed",
  procedure: "a procedural line of the record: nobody's statement",
};

function evidence(p) {
  // Attribution is a question for speech: labels and what was decided from them.
  if (!p.speaker_label || !EVIDENCE[p.evidence] || (p.evidence === "label" && p.speaker === p.speaker_label)) return null;
  const viaLabel = p.speaker_label && p.speaker_label !== p.speaker ? ` · label “${p.speaker_label}”` : "";
  // Confidence as people read it: 0.8, not 0.800000011920929.
  const confidence = Math.round(Number(p.confidence) * 100) / 100;
  const b = badge(`evidence ev-${p.evidence}`, `${p.evidence} ${confidence}${viaLabel}`);
  b.title = EVIDENCE[p.evidence];
  return b;
}

function renderHit(h) {
  const li = el("li", "hit");
  li.tabIndex = 0;
  li.dataset.id = h.id;
  const b = el("div", "badges");
  const d = h.document;
  // A document by its symbol, else by its title (its id in the tooltip).
  const name = d.symbol || (d.title.length > 70 ? `${d.title.slice(0, 67)}…` : d.title) || d.id;
  const db = badge("doc", name);
  db.title = d.id;
  b.appendChild(db);
  if (d.version) b.appendChild(badge("version", d.version));
  if (d.date) b.appendChild(badge("date", d.date));
  const w = where(h.locator);
  if (w) b.appendChild(badge("where", w));
  if (h.speaker) b.appendChild(badge("speaker", h.speaker));
  if (h.agency) b.appendChild(badge("agency", h.agency));
  const ev = evidence(h);
  if (ev) b.appendChild(ev);
  li.appendChild(b);
  const s = el("div", "snippet");
  s.appendChild(snippetNodes(h.snippet));
  li.appendChild(s);
  if (h.versions && h.versions.length) {
    // The paragraph through its work's versions: where it appears and how it changed.
    const v = el("div", "versions");
    v.appendChild(document.createTextNode("Versions: "));
    h.versions.forEach((x, i) => {
      if (i) v.appendChild(document.createTextNode(" → "));
      const a = el("a", x.matched ? "matched" : "", `${x.symbol || x.doc}${x.paragraph ? ` ¶${x.paragraph}` : ""} (${x.status || "first"})`);
      a.href = "#";
      a.addEventListener("click", (e) => { e.preventDefault(); e.stopPropagation(); openContext(x.passage); });
      v.appendChild(a);
    });
    li.appendChild(v);
  }
  if (h.cites && h.cites.length) li.appendChild(citesNodes(h.cites));
  if (h.matched && h.matched.length) {
    li.appendChild(el("div", "note matched", `Matched as ${h.matched.map((m) => `${m.form} (${m.how.replace("-", " ")})`).join(", ")}`));
  }
  const t = el("div", "title");
  t.appendChild(document.createTextNode(`${d.title} · `));
  const read = el("a", "read", "read in the document");
  read.href = readerHref(d.id, h.seq);
  read.addEventListener("click", (e) => e.stopPropagation());
  t.appendChild(read);
  li.appendChild(t);
  li.addEventListener("click", () => openContext(h.id));
  li.addEventListener("keydown", (e) => { if (e.key === "Enter") openContext(h.id); });
  return li;
}

// Which view the address asks for: a document, the home page, or a search.
function route() {
  const m = location.pathname.match(/^\/documents\/(.+)$/);
  const st = state();
  const searching = st.q || FILTERS.some((f) => st.filters[f]);
  $("reader").hidden = !m;
  $("home").hidden = !!m || searching;
  for (const id of ["status", "results"]) $(id).hidden = !!m || !searching;
  if (m || !searching) for (const id of ["pager", "suggest", "also", "follow"]) $(id).hidden = true;
  if (m) return reader(decodeURIComponent(m[1]));
  if (!searching) { fillFilters(null); $("q").value = ""; return home(); }
  return run();
}

async function run() {
  const st = state();
  $("q").value = st.q;
  fillFilters(null);
  const params = urlFor(st);
  params.set("limit", String(LIMIT));
  // One paragraph once across a work's versions, unless the address asks otherwise.
  const asked = new URLSearchParams(location.search);
  params.set("collapse", asked.get("collapse") || "lineage");
  // Exact facet counts for a very large search, when the address asks for them.
  if (asked.get("facet_sample_threshold")) params.set("facet_sample_threshold", asked.get("facet_sample_threshold"));
  const list = $("results");
  list.replaceChildren();
  $("status").textContent = "Searching…";
  const r = await fetch(`/api/search?${params}`);
  const data = await r.json();
  if (!r.ok) {
    const e = data.error || {};
    $("status").textContent = `${e.message || "The search failed."}${e.hint ? " — " + e.hint : ""}`;
    $("pager").hidden = true;
    return;
  }
  fillFilters(data.facets, data.facet_sample);
  // With versions grouped, pages count the groups.
  const total = data.groups ?? data.total;
  const from = total ? st.offset + 1 : 0;
  const grouped = data.groups !== undefined && data.groups !== data.total ? ` in ${data.groups} ${data.groups === 1 ? "paragraph" : "paragraphs"} across versions` : "";
  $("status").textContent = `${data.total} ${data.total === 1 ? "passage" : "passages"}${grouped}${total ? ` · showing ${from}–${st.offset + data.hits.length}` : ""}`;
  // "Did you mean": the query with its misspelt words corrected, one click away.
  $("suggest").hidden = !data.suggestion;
  if (data.suggestion) {
    const a = $("suggest-link");
    a.textContent = data.suggestion;
    a.onclick = (e) => { e.preventDefault(); go({ ...st, q: data.suggestion, offset: 0 }); };
  }
  const also = (data.expansions || []).map((x) => `${x.word} → ${x.form} (${x.how.replace("-", " ")})`);
  if (data.languages && data.languages.length) also.push(`passages in ${data.languages.join(", ")} with their own stemming`);
  // Follow this search: its newest matches as a feed.
  const feed = urlFor({ ...st, offset: 0 });
  $("follow-link").href = `/api/feed.atom?${feed}`;
  $("follow-cli").textContent = `travaux alerts add NAME ${st.q ? JSON.stringify(st.q) : ""}${FILTERS.filter((f) => st.filters[f]).map((f) => ` --${f} ${JSON.stringify(st.filters[f])}`).join("")}`;
  $("export-csv").href = `/api/export?${feed}&format=csv`;
  $("export-ndjson").href = `/api/export?${feed}`;
  $("follow").hidden = !data.total;
  $("also").hidden = !also.length;
  $("also").textContent = also.length ? `Also searched: ${also.join("; ")}` : "";
  for (const h of data.hits) list.appendChild(renderHit(h));
  $("pager").hidden = total <= LIMIT;
  $("prev").disabled = st.offset === 0;
  $("next").disabled = st.offset + LIMIT >= total;
  $("page").textContent = `page ${Math.floor(st.offset / LIMIT) + 1} of ${Math.max(1, Math.ceil(total / LIMIT))}`;
}

function go(st) {
  history.pushState(null, "", `/?${urlFor(st)}`);
  route();
}

function formState(offset) {
  return { q: $("q").value.trim(), offset, filters: Object.fromEntries(FILTERS.map((f) => [f, $(`f-${f}`).value])) };
}

// A word-level diff as <del>/<ins> elements (text only, never markup).
function changesNodes(changes) {
  const frag = document.createDocumentFragment();
  for (const c of changes) {
    const tag = c.op === "insert" ? "ins" : c.op === "delete" ? "del" : "span";
    frag.appendChild(el(tag, null, c.text));
  }
  return frag;
}

function versionName(v) {
  return [v.symbol || v.doc, v.version, v.date].filter(Boolean).join(" · ");
}

function linkTo(id, text) {
  const a = el("a", null, text);
  a.href = "#";
  a.addEventListener("click", (e) => { e.preventDefault(); openContext(id); });
  return a;
}

// A statement's references and a paragraph's statements.
function showLinks(data) {
  const list = $("links-list");
  list.replaceChildren();
  for (const r of data.refers_to || []) {
    const li = el("li", null, `“${r.mention.written}” refers to `);
    if (r.passage) li.appendChild(linkTo(r.passage, `${r.symbol || r.work} paragraph ${r.paragraph}`));
    else li.appendChild(document.createTextNode(`${r.work}: no such paragraph in the index`));
    if (r.note) li.appendChild(el("div", "note", r.note));
    list.appendChild(li);
  }
  for (const s of data.statements || []) {
    const p = s.statement;
    const li = el("li", null, "Referred to by ");
    li.appendChild(linkTo(p.id, [p.speaker, p.agency ? `(${p.agency})` : null, p.document.date].filter(Boolean).join(" ")));
    li.appendChild(document.createTextNode(` — “${s.reference.mention.written}”`));
    list.appendChild(li);
  }
  $("links").hidden = !list.children.length;
}

async function showHistory(id, doc) {
  $("history").hidden = true;
  $("diff").hidden = true;
  if (doc.kind !== "resolution" || !doc.work) return;
  const r = await fetch(`/api/passages/${encodeURIComponent(id)}/lineage`);
  if (!r.ok) return;
  const l = await r.json();
  const list = $("history-list");
  list.replaceChildren();
  for (const s of l.steps) {
    const li = el("li", s.paragraphs.some((p) => p.id === id) ? "focus" : "");
    const paras = s.paragraphs.map((p) => p.paragraph || p.id).join(" + ") || "—";
    li.appendChild(el("div", "who", `${versionName(s.version)} · paragraph ${paras} · ${s.status || "first version"}`));
    const body = el("div", "diffbody");
    if (s.changes.length) body.appendChild(changesNodes(s.changes));
    else body.textContent = s.text;
    li.appendChild(body);
    list.appendChild(li);
  }
  $("history").hidden = l.steps.length < 2;
  // The first version of a work has nothing before it to compare with.
  $("work-diff").hidden = !l.steps.length || l.steps[0].version.doc === doc.id;
  $("work-diff").onclick = () => showWorkDiff(doc);
}

async function showWorkDiff(doc) {
  const r = await fetch(`/api/works/${encodeURIComponent(doc.work)}/diff?to=${encodeURIComponent(doc.id)}&changed=true`);
  const d = await r.json();
  const list = $("diff-list");
  list.replaceChildren();
  if (!r.ok) {
    $("diff-title").textContent = (d.error && d.error.message) || "No earlier version to compare with.";
    $("diff").hidden = false;
    return;
  }
  const counts = Object.entries(d.counts).map(([k, n]) => `${n} ${k}`).join(", ");
  $("diff-title").textContent = `${versionName(d.from)} → ${versionName(d.to)}: ${counts}`;
  for (const e of d.paragraphs) {
    const li = el("li", `st-${e.status}`);
    const now = e.new ? (e.new.paragraph || e.new.id) : "";
    const was = e.old.map((o) => o.paragraph || o.id).join(" + ");
    li.appendChild(el("div", "who", e.new ? `${now}${was && was !== now ? ` (was ${was})` : ""} · ${e.status}` : `(was ${was}) · deleted`));
    const body = el("div", "diffbody");
    body.appendChild(changesNodes(e.changes));
    li.appendChild(body);
    list.appendChild(li);
  }
  if (!d.paragraphs.length) list.appendChild(el("li", "st-unchanged", "No paragraph changed: the two versions read the same."));
  $("diff").hidden = false;
  $("diff").scrollIntoView({ block: "start" });
}

async function openContext(id) {
  const r = await fetch(`/api/passages/${encodeURIComponent(id)}?context=3`);
  const data = await r.json();
  if (!r.ok) return;
  const d = data.document;
  $("context-title").textContent = d.title;
  $("context-meta").textContent = [d.symbol, d.version, d.date, d.kind].filter(Boolean).join(" · ");
  const list = $("context-list");
  list.replaceChildren();
  for (const p of data.context) {
    const li = el("li", p.id === id ? "focus" : "");
    const who = [where(p.locator), p.speaker, p.agency ? `(${p.agency})` : null].filter(Boolean).join(" ");
    const w = el("div", "who", who);
    const ev = evidence(p);
    if (ev) w.appendChild(ev);
    li.appendChild(w);
    li.appendChild(el("div", null, p.text));
    list.appendChild(li);
  }
  $("context").hidden = false;
  $("context-read").href = readerHref(d.id, data.passage ? data.passage.seq : null);
  showLinks(data);
  const focus = list.querySelector(".focus");
  if (focus) focus.scrollIntoView({ block: "center" });
  showHistory(id, { ...d, kind: d.kind, work: d.work, id: d.id });
}

// A cited text as a link: to the text in the reader when it is indexed, else to the passages
// that cite it.
function citeLink(key, docId) {
  const a = link(docId ? readerHref(docId) : `/?cites=${encodeURIComponent(key)}`, key, "cite");
  a.title = docId ? "Read the cited text" : "Not in the index: the passages that cite it";
  a.addEventListener("click", (e) => e.stopPropagation());
  return a;
}

// "Cites: A/RES/70/125 (recalling), …" under a passage; `indexed` maps keys to document ids.
function citesNodes(cites, indexed) {
  const box = el("div", "note cites");
  box.appendChild(document.createTextNode("Cites: "));
  cites.forEach((c, i) => {
    if (i) box.appendChild(document.createTextNode(", "));
    box.appendChild(citeLink(c.key, indexed && indexed.get(c.key)));
    const how = [c.verb, c.paragraph ? `para. ${c.paragraph}` : null].filter(Boolean).join(", ");
    if (how) box.appendChild(document.createTextNode(` (${how})`));
  });
  return box;
}

// "Cited by": the works that cite the document, with how many of their passages do.
async function citedBy(d) {
  const box = $("reader-cited-by");
  box.replaceChildren();
  box.hidden = true;
  if (!d.symbol) return;
  const r = await fetch(`/api/cited-by?ref=${encodeURIComponent(d.symbol)}`);
  if (!r.ok) return;
  const c = await r.json();
  if (!c.passages) return;
  box.appendChild(document.createTextNode(`Cited by ${c.passages} passage${c.passages === 1 ? "" : "s"} of ${c.documents.length} document${c.documents.length === 1 ? "" : "s"}: `));
  c.works.forEach((w, i) => {
    if (i) box.appendChild(document.createTextNode("; "));
    const latest = c.documents.filter((x) => (x.document.work || x.document.id) === w.work).pop();
    box.appendChild(link(readerHref(latest.document.id, latest.passages[0].id.split(":").pop()), latest.document.symbol || w.title));
    box.appendChild(document.createTextNode(` (${w.passages} in ${w.documents} version${w.documents === 1 ? "" : "s"})`));
  });
  const all = link(`/?cites=${encodeURIComponent(d.symbol)}`, "every citing passage");
  box.appendChild(document.createTextNode(" · "));
  box.appendChild(all);
  box.hidden = false;
}

// The reader's address for a document, at one passage when given: a link anyone can share.
function readerHref(doc, seq, extra) {
  const q = extra ? `?${extra}` : "";
  return `/documents/${encodeURIComponent(doc)}${q}${seq !== null && seq !== undefined ? `#p-${seq}` : ""}`;
}

function docName(d) {
  return d.symbol || d.title || d.id;
}

function link(href, text, cls) {
  const a = el("a", cls || null, text);
  a.href = href;
  return a;
}

// The home page: the record at a glance, and searches to start from.
async function home() {
  const r = await fetch("/api/overview");
  if (!r.ok) return;
  const o = await r.json();
  $("home-count").textContent = `${o.documents} documents, ${o.passages} passages: ${o.works.length} works in their versions, ${o.meetings.length} meetings, submissions from ${o.submissions.length} entities.`;
  const ex = $("examples");
  ex.replaceChildren();
  for (const e of o.examples) {
    const li = el("li");
    li.appendChild(link(`/?${e.search}`, e.label));
    ex.appendChild(li);
  }
  const works = $("works");
  works.replaceChildren();
  for (const w of o.works) {
    const li = el("li");
    li.appendChild(el("strong", null, w.title));
    const vs = el("div", "steps");
    w.versions.forEach((v, i) => {
      if (i) vs.appendChild(document.createTextNode(" → "));
      vs.appendChild(link(readerHref(v.doc), [v.symbol || v.doc, v.version, v.date].filter(Boolean).join(" · ")));
    });
    li.appendChild(vs);
    if (w.versions.length > 1) {
      const first = w.versions[0], last = w.versions[w.versions.length - 1];
      const c = link(readerHref(last.doc, null, `compare=${encodeURIComponent(first.doc)}`), `What changed from ${first.symbol || first.doc} to ${last.symbol || last.doc}`, "compare");
      li.appendChild(el("div")).appendChild(c);
    }
    works.appendChild(li);
  }
  const meetings = $("meetings");
  meetings.replaceChildren();
  for (const m of o.meetings) {
    const li = el("li");
    li.appendChild(link(readerHref(m.document.id), m.document.title));
    li.appendChild(el("span", "note", ` · ${[m.document.date, `${m.passages} turns`].filter(Boolean).join(" · ")}`));
    if (m.participants.length) {
      li.appendChild(el("div", "who", m.participants.map((p) => [p.speaker, p.agency ? `(${p.agency})` : null].filter(Boolean).join(" ")).join(", ")));
    }
    meetings.appendChild(li);
  }
  const subs = $("submissions");
  subs.replaceChildren();
  for (const s of o.submissions) {
    const li = el("li");
    li.appendChild(el("strong", null, s.author));
    for (const d of s.documents) {
      const row = el("div");
      row.appendChild(link(readerHref(d.id), d.title));
      if (d.date) row.appendChild(el("span", "note", ` · ${d.date}`));
      li.appendChild(row);
    }
    subs.appendChild(li);
  }
  const latest = $("latest");
  latest.replaceChildren();
  for (const d of o.latest) {
    const li = el("li");
    li.appendChild(link(readerHref(d.id), docName(d)));
    li.appendChild(el("span", "note", ` · ${[d.kind, d.version, d.date].filter(Boolean).join(" · ")}`));
    latest.appendChild(li);
  }
}

// The reader: a whole document, its paragraphs numbered and linkable, who spoke, footnotes;
// for a work's version, a switcher and the changes from an earlier version.
/** Each language by its own name, as its readers look for it. */
const LANGUAGE_NAMES = {
  ar: "العربية", de: "Deutsch", en: "English", es: "Español", fr: "Français", pt: "Português",
  ru: "Русский", tr: "Türkçe", zh: "中文",
};

async function reader(id) {
  const params = new URLSearchParams(location.search);
  const r = await fetch(`/api/documents/${encodeURIComponent(id)}`);
  const data = await r.json();
  const list = $("reader-list");
  list.replaceChildren();
  if (!r.ok) {
    $("reader-title").textContent = (data.error && data.error.message) || "No such document.";
    $("reader-meta").textContent = "";
    return;
  }
  const d = data.document;
  document.title = `${docName(d)} — travaux`;
  $("reader-title").textContent = d.title;
  $("reader-meta").textContent = [d.symbol, d.version, d.date, d.kind, d.author].filter(Boolean).join(" · ");
  citedBy(d);
  // Which of the texts it cites are in the index, for linking them.
  const indexed = new Map();
  const cr = await fetch(`/api/documents/${encodeURIComponent(d.id)}/cites`);
  if (cr.ok) for (const c of (await cr.json()).cites || []) if (c.document) indexed.set(c.key, c.document);
  $("reader-csv").href = `/api/export?doc=${encodeURIComponent(d.id)}&format=csv`;
  $("reader-ndjson").href = `/api/export?doc=${encodeURIComponent(d.id)}`;
  // The work's versions, for the switcher and the comparison.
  let versions = [];
  if (d.work) {
    const w = await fetch("/api/works");
    if (w.ok) {
      const works = (await w.json()).works || [];
      const mine = works.find((x) => x.versions.some((v) => v.doc === d.id));
      versions = mine ? mine.versions : [];
    }
  }
  // Read in its own language and direction (Arabic right to left).
  const lang = (data.passages[0] || {}).language || "";
  list.lang = lang;
  list.dir = lang === "ar" ? "rtl" : "auto";
  // The same document in the other languages the index holds it in.
  const langs = data.languages || [];
  const langSel = $("reader-languages");
  langSel.replaceChildren();
  for (const l of langs) {
    const o = el("option", null, LANGUAGE_NAMES[l.language] || l.language);
    o.value = l.doc;
    langSel.appendChild(o);
  }
  langSel.value = d.id;
  langSel.onchange = () => { location.href = readerHref(langSel.value); };
  $("reader-languages-label").hidden = langs.length < 2;
  const switcher = $("reader-versions");
  switcher.replaceChildren();
  for (const v of versions) {
    const o = el("option", null, [v.symbol || v.doc, v.version, v.date].filter(Boolean).join(" · "));
    o.value = v.doc;
    switcher.appendChild(o);
  }
  switcher.value = d.id;
  switcher.onchange = () => { location.href = readerHref(switcher.value); };
  $("reader-versions-label").hidden = versions.length < 2;
  const at = versions.findIndex((v) => v.doc === d.id);
  const earlier = at > 0 ? versions.slice(0, at) : [];
  const compare = $("reader-compare");
  compare.replaceChildren();
  const none = el("option", null, "none");
  none.value = "";
  compare.appendChild(none);
  for (const v of earlier) {
    const o = el("option", null, [v.symbol || v.doc, v.version].filter(Boolean).join(" · "));
    o.value = v.doc;
    compare.appendChild(o);
  }
  const from = earlier.some((v) => v.doc === params.get("compare")) ? params.get("compare") : "";
  compare.value = from;
  compare.onchange = () => {
    const u = new URLSearchParams(location.search);
    if (compare.value) u.set("compare", compare.value); else u.delete("compare");
    history.replaceState(null, "", `${location.pathname}?${u}`);
    reader(id);
  };
  $("reader-compare-label").hidden = !earlier.length;
  $("reader-changed-label").hidden = !from;
  // Topics the document's passages have, to read only those.
  const topics = [...new Set(data.passages.flatMap((p) => p.topics || []))].sort();
  const topicSel = $("reader-topic");
  topicSel.replaceChildren();
  const all = el("option", null, "all");
  all.value = "";
  topicSel.appendChild(all);
  for (const t of topics) {
    const o = el("option", null, t);
    o.value = t;
    topicSel.appendChild(o);
  }
  topicSel.value = topics.includes(params.get("topic")) ? params.get("topic") : "";
  topicSel.onchange = () => {
    const u = new URLSearchParams(location.search);
    if (topicSel.value) u.set("topic", topicSel.value); else u.delete("topic");
    history.replaceState(null, "", `${location.pathname}?${u}`);
    reader(id);
  };
  $("reader-topic-label").hidden = !topics.length;
  const onlyChanged = $("reader-changed");
  onlyChanged.checked = params.get("changed") === "true";
  onlyChanged.onchange = () => {
    const u = new URLSearchParams(location.search);
    if (onlyChanged.checked) u.set("changed", "true"); else u.delete("changed");
    history.replaceState(null, "", `${location.pathname}?${u}`);
    reader(id);
  };
  // Who spoke about the topic chosen: the meetings' passages on it.
  const said = $("reader-said");
  said.hidden = !topicSel.value;
  if (topicSel.value) said.href = `/?topic=${encodeURIComponent(topicSel.value)}&kind=transcript`;
  // The changes from the earlier version, paragraph by paragraph.
  const changed = new Map();
  const deletedAfter = new Map();
  $("reader-summary").hidden = true;
  if (from) {
    const dr = await fetch(`/api/works/${encodeURIComponent(d.work)}/diff?from=${encodeURIComponent(from)}&to=${encodeURIComponent(d.id)}`);
    if (dr.ok) {
      const diff = await dr.json();
      let last = null;
      for (const e of diff.paragraphs) {
        if (e.new) { changed.set(e.new.id, e); last = e.new.id; }
        else { if (!deletedAfter.has(last)) deletedAfter.set(last, []); deletedAfter.get(last).push(e); }
      }
      $("reader-summary").textContent = `Changes from ${versionName(diff.from)}: ${Object.entries(diff.counts).map(([k, n]) => `${n} ${k}`).join(", ")}. Deleted text is struck through in red, added text is in green.`;
      $("reader-summary").hidden = false;
    }
  }
  const topic = topicSel.value;
  const addDeleted = (after) => {
    for (const e of deletedAfter.get(after) || []) {
      if (topic) continue;
      const li = el("li", "para st-deleted");
      li.appendChild(el("div", "who", `(was ${e.old.map((o) => o.paragraph || o.id).join(" + ")}) · deleted`));
      const body = el("div", "diffbody");
      body.appendChild(changesNodes(e.changes));
      li.appendChild(body);
      list.appendChild(li);
    }
  };
  addDeleted(null);
  let section = null;
  for (const p of data.passages) {
    if (topic && !(p.topics || []).includes(topic)) continue;
    if (p.locator.section && p.locator.section !== section) {
      section = p.locator.section;
      list.appendChild(el("li", "section", section));
    }
    const e = changed.get(p.id);
    if (from && onlyChanged.checked && (!e || e.status === "unchanged")) { addDeleted(p.id); continue; }
    const li = el("li", `para${e ? ` st-${e.status}` : ""}`);
    li.id = `p-${p.seq}`;
    const head = el("div", "who");
    const num = link(`#p-${p.seq}`, where(p.locator) || `¶ ${p.seq}`, "anchor");
    num.title = "A link to this paragraph";
    head.appendChild(num);
    const who = [p.speaker, p.agency ? `(${p.agency})` : null].filter(Boolean).join(" ");
    if (who) head.appendChild(document.createTextNode(` · ${who}`));
    if (e && e.status !== "unchanged") {
      const was = e.old.map((o) => o.paragraph || o.id).join(" + ");
      const now = p.locator.paragraph || "";
      head.appendChild(badge(`status st-${e.status}`, `${e.status}${was && was !== now && e.status !== "new" ? ` (was ${was})` : ""}`));
    }
    const more = link("#", "history and references", "more");
    more.addEventListener("click", (ev) => { ev.preventDefault(); openContext(p.id); });
    head.appendChild(document.createTextNode(" · "));
    head.appendChild(more);
    li.appendChild(head);
    const body = el("div", "text");
    if (e && e.status !== "unchanged") body.appendChild(changesNodes(e.changes));
    else body.textContent = p.text;
    li.appendChild(body);
    if (p.footnotes && p.footnotes.length) {
      const notes = el("ol", "footnotes");
      for (const f of p.footnotes) notes.appendChild(el("li", null, `${f.mark} ${f.text}`));
      li.appendChild(notes);
    }
    if (p.cites && p.cites.length) li.appendChild(citesNodes(p.cites, indexed));
    list.appendChild(li);
    addDeleted(p.id);
  }
  // The paragraph the address points at, in view.
  if (location.hash) {
    const target = document.getElementById(location.hash.slice(1));
    if (target) { target.classList.add("target"); target.scrollIntoView({ block: "center" }); }
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("search").addEventListener("submit", (e) => { e.preventDefault(); go(formState(0)); });
  $("prev").addEventListener("click", () => go(formState(Math.max(0, state().offset - LIMIT))));
  $("next").addEventListener("click", () => go(formState(state().offset + LIMIT)));
  $("close").addEventListener("click", () => { $("context").hidden = true; });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape") $("context").hidden = true;
    if (e.key === "/" && document.activeElement !== $("q")) { e.preventDefault(); $("q").focus(); }
  });
  window.addEventListener("popstate", route);
  loadFacets().then(route);
});
