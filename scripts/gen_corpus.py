#!/usr/bin/env python3
"""travaux corpus generator: a large, deterministic corpus built from the real documents, for
benchmarks at scale.

  python3 scripts/gen_corpus.py --passages 100000 --out /tmp/corpus-100k
        [--seed 2026] [--bin target/release/travaux] [--corpus ../shared/corpus]

The real transcripts, resolutions and submissions of `--corpus` are read through travaux
itself (ingested into a scratch index, then `travaux show --json` per document), so the
material is the paragraphs and turns a user would get. From them the generator writes new
files in the formats users have, until about `--passages` passages are written:

- resolutions/: works of 2 to 4 versions (draft, Rev.1, Rev.2, the adopted text) with UN
  mastheads, preambular and numbered operative paragraphs; each version repeats the last
  with edits the way real drafts change (words cut and added, paragraphs rewritten, dropped,
  added, moved, renumbered);
- transcripts/: Teams exports (`#### Name m:ss`), WebVTT files and UN verbatim records
  (`Mr. X (Country): …`, hard-wrapped with the running line), their turns taken from real
  meetings, speakers and delegations varied from the registries;
- submissions/: Markdown with front matter (author, agency, date), paragraphs from real
  submissions.

Dates run over several years; the same seed gives the same files. Also written:
`queries.jsonl`, a fixed mix of over 500 queries drawn from the generated text (single terms,
two-to-four-word queries, phrases, agency/speaker/topic/version filters with facets on and
off, browse with filters only, date sort, precedent lookups of a whole paragraph), each line
with the request (as `travaux bench` and `batch` take it) and its HTTP form; and
`corpus.json`, what was generated.
"""
import argparse, json, os, random, re, shutil, subprocess, sys, tempfile, textwrap, tomllib, urllib.parse
from corpus import default_corpus
from collections import Counter
from datetime import date, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
UNITS = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
TENS = {8: ("Eightieth", "Eighty"), 9: ("Ninetieth", "Ninety")}
COMMITTEES = [("C.1", "First Committee"), ("C.2", "Second Committee"), ("C.3", "Third Committee"),
              (None, None)]
STOP = set("""the and for that with this from have which their been were will would shall
their there these those into also such other more than they them its our your about only
upon under over when where while each both being very must should could made make between
within including through before after during against among well all any can may not are was
has had but who what how why said says like just some most much many one two three""".split())


def wrapped(text, width=86):
    return "\n".join(textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False))


def ordinal(n):
    """81 → Eighty-first, as a masthead writes a session."""
    whole, part = TENS[n // 10]
    return whole if n % 10 == 0 else f"{part}-{UNITS[n % 10]}"


def long_date(d):
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def source_material(bin_, corpus):
    """Paragraphs, turns, titles and speakers of the real corpus, as travaux reads them."""
    scratch = tempfile.mkdtemp(prefix="travaux-gen-")
    try:
        index = os.path.join(scratch, "index")
        dirs = [os.path.join(corpus, d) for d in ("transcripts", "resolutions", "submissions")]
        subprocess.run([bin_, "ingest", "--json", "--index", index,
                        "--manifest", os.path.join(ROOT, "manifests", "shared-corpus.toml"), *dirs],
                       check=True, capture_output=True)
        pools = {"preamble": [], "operative": [], "turn": [], "submission": [], "title": []}
        speakers = set()
        for d in dirs:
            for f in sorted(os.listdir(d)):
                stem = os.path.splitext(f)[0]
                out = subprocess.run([bin_, "show", "--json", "--index", index, stem],
                                     capture_output=True, text=True)
                if out.returncode != 0:
                    continue
                doc = json.loads(out.stdout)
                kind = doc["document"]["kind"]
                if kind == "resolution" and doc["document"].get("title"):
                    pools["title"].append(doc["document"]["title"])
                for p in doc["passages"]:
                    text = " ".join(p["text"].split())
                    if len(text) < 60 or p.get("language", "en") != "en":
                        continue
                    para = (p.get("locator") or {}).get("paragraph") or ""
                    if kind == "resolution":
                        if para.startswith("PP"):
                            pools["preamble"].append(text)
                        elif para[:1].isdigit():
                            pools["operative"].append(re.sub(r"^\d+\.\s*", "", text))
                    elif kind == "transcript":
                        pools["turn"].append(text)
                        if p.get("speaker"):
                            speakers.add(p["speaker"])
                    else:
                        pools["submission"].append(text)
        for k in pools:
            pools[k] = sorted(set(pools[k]))
        return pools, sorted(speakers)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def registries():
    with open(os.path.join(ROOT, "index-schema", "agencies.toml"), "rb") as f:
        agencies = tomllib.load(f)
    states = [a.get("name", a["id"]) for a in agencies["agency"] if a.get("kind") == "member-state"]
    orgs = [a["id"] for a in agencies["agency"] if a.get("kind") in ("un-entity", "stakeholder")]
    with open(os.path.join(ROOT, "index-schema", "topics.toml"), "rb") as f:
        topics = tomllib.load(f)["topic"]
    with open(os.path.join(ROOT, "index-schema", "speakers.toml"), "rb") as f:
        known = tomllib.load(f)["speaker"]
    return states, orgs, topics, known


class Generator:
    def __init__(self, rng, pools, speakers, out, target):
        self.rng, self.pools, self.out = rng, pools, out
        self.states, self.orgs, self.topics, self.known = registries()
        firsts = sorted({s.split()[0] for s in speakers + [k["name"] for k in self.known] if " " in s})
        lasts = sorted({s.split()[-1] for s in speakers + [k["name"] for k in self.known] if " " in s})
        # Delegates: invented names, each with a delegation for life.
        self.people = [(f"{rng.choice(firsts)} {rng.choice(lasts)}", rng.choice(self.states))
                       for _ in range(400)]
        self.passages = 0
        self.bytes = 0
        self.files = Counter()
        self.used = {"agency": Counter(), "speaker": Counter(), "work": []}
        self.paragraphs = []  # (text, date) of resolution paragraphs written, for precedent queries
        self.words = Counter()
        self.said = {}  # (field, value) → texts
        self.texts = []  # a sample of passage texts, for phrases and word queries
        self.start = date(2026, 1, 5)
        self.elapsed = 0.0
        # Files are dated over about ten years whatever the size: the mean step between two
        # files shrinks as the corpus grows.
        self.step = max(0.02, 3650 * 90 / max(target, 1))
        self.session_numbers = Counter()
        self.work_titles = Counter()

    def next_day(self, most=9):
        self.elapsed += self.rng.uniform(0, most) * self.step / 4.5
        self.day = self.start + timedelta(days=int(self.elapsed))
        return self.day

    def write(self, sub, name, text, passages, sample):
        path = os.path.join(self.out, sub, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        self.passages += passages
        self.bytes += len(text.encode("utf-8"))
        self.files[sub] += 1
        for t in sample:
            if self.rng.random() < 0.05 and len(self.texts) < 20000:
                self.texts.append(t)
            if self.rng.random() < 0.02:
                self.words.update(w for w in re.findall(r"[a-z]{4,}", t.lower()) if w not in STOP)

    def remember(self, key, texts):
        """A few texts said by a speaker or an agency, so filtered queries ask for words they used."""
        kept = self.said.setdefault(key, [])
        for t in texts:
            if len(kept) < 12:
                kept.append(t)

    # --- resolutions -------------------------------------------------------------------

    def edit(self, text):
        words = text.split()
        for _ in range(self.rng.randint(1, 3)):
            op = self.rng.random()
            if op < 0.35 and len(words) > 12:
                i = self.rng.randrange(len(words) - 5)
                del words[i:i + self.rng.randint(1, 5)]
            elif op < 0.75:
                donor = self.rng.choice(self.pools["operative"]).split()
                j = self.rng.randrange(max(1, len(donor) - 6))
                i = self.rng.randrange(len(words) + 1)
                words[i:i] = donor[j:j + self.rng.randint(2, 6)]
            elif words:
                donor = self.rng.choice(self.pools["preamble"]).split()
                words[self.rng.randrange(len(words))] = self.rng.choice(donor)
        return " ".join(words)

    def revise(self, paras):
        """The next version: paragraphs kept, edited, rewritten, dropped, added, moved."""
        out = []
        for kind, text in paras:
            r = self.rng.random()
            if r < 0.06:
                continue
            if r < 0.50:
                out.append((kind, text))
            elif r < 0.92:
                out.append((kind, self.edit(text)))
            else:
                out.append((kind, self.rng.choice(self.pools["operative" if kind == "op" else "preamble"])))
            if self.rng.random() < 0.07:
                out.append(("op", self.rng.choice(self.pools["operative"])))
        if len(out) > 3 and self.rng.random() < 0.5:
            ops = [i for i, p in enumerate(out) if p[0] == "op"]
            if len(ops) > 2:
                i, j = self.rng.sample(ops, 2)
                out.insert(j, out.pop(i))
        return out

    def masthead(self, symbol, d, committee, session, sponsor, title, version, adopted_on=None):
        lines = ["United Nations ", f"{symbol} ", " ", "General Assembly ",
                 f"Distr.: {'General' if adopted_on else 'Limited'} ", f"{long_date(d)} ",
                 "Original: English ", " ", f"{ordinal(session)} session "]
        if committee and not adopted_on:
            lines.append(f"{committee} ")
        lines += [f"Agenda item {self.rng.randint(9, 140)} ", " ", " "]
        if adopted_on:
            lines += [" Resolution adopted by the General Assembly ", f"on {long_date(adopted_on)} ", " ",
                      f"{session}/{symbol.rsplit('/', 1)[-1]}. {title} ", " "]
        else:
            what = "revised draft resolution" if version else "draft resolution"
            lines += [f"{sponsor}: {what} ", " ", f" {title} ", " "]
        lines += ["The General Assembly, ", " "]
        return "\n".join(lines) + "\n"

    def resolution_text(self, head, paras):
        body, n = [], 0
        for kind, text in paras:
            if kind == "op":
                n += 1
                body.append(wrapped(f"{n}. {text}"))
            else:
                body.append(wrapped(text))
        return head + "\n \n".join(body) + "\n"

    def work(self):
        rng = self.rng
        base = rng.choice(self.pools["title"])
        topic = rng.choice([t for t in self.topics if len(t["label"]) < 32])["label"]
        # The distinguishing words first: a work's id is made from the start of its title.
        self.work_titles[topic] += 1
        seen = self.work_titles[topic]
        title = f"{topic}{f' {seen}' if seen > 1 else ''}: {base[0].lower()}{base[1:]}"
        self.used["work"].append(title)
        code, committee = rng.choice(COMMITTEES)
        d = self.next_day(20)
        session = d.year - 1945
        self.session_numbers[(session, code)] += 1
        number = self.session_numbers[(session, code)]
        prefix = f"A/{code}/{session}" if code else f"A/{session}"
        sponsor = rng.choice(self.states + ["Group of 77 and China", "European Union"])
        n = rng.randint(15, 110)
        paras = [("pp", rng.choice(self.pools["preamble"])) for _ in range(max(3, n // 3))]
        paras += [("op", rng.choice(self.pools["operative"])) for _ in range(n - len(paras))]
        versions = [None] + ["Rev.1", "Rev.2"][: rng.randint(0, 2)]
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower())[:40].strip("-")
        for k, rev in enumerate(versions):
            if k:
                paras = self.revise(paras)
                d = d + timedelta(days=rng.randint(7, 30))
            symbol = f"{prefix}/L.{number}" + (f"/{rev}" if rev else "")
            text = self.resolution_text(self.masthead(symbol, d, committee, session, sponsor, title, rev), paras)
            name = f"{symbol.replace('/', '-').replace('.', '').lower()}-{slug}.txt"
            self.write("resolutions", name, text, len(paras), [p[1] for p in paras])
        if rng.random() < 0.8:
            paras = self.revise(paras)
            adopted = d + timedelta(days=rng.randint(10, 40))
            self.session_numbers[("res", session)] += 1
            symbol = f"A/RES/{session}/{self.session_numbers[('res', session)]}"
            text = self.resolution_text(
                self.masthead(symbol, adopted + timedelta(days=3), committee, session, sponsor, title, None, adopted),
                paras)
            self.write("resolutions", f"{symbol.replace('/', '-').lower()}-{slug}.txt", text, len(paras),
                       [p[1] for p in paras])
            for _, t in paras:
                if len(self.paragraphs) < 5000 and rng.random() < 0.1:
                    self.paragraphs.append(t)

    # --- transcripts -------------------------------------------------------------------

    def turns(self, n):
        rng = self.rng
        chair = rng.choice(self.known)["name"]
        out = []
        for _ in range(n):
            if rng.random() < 0.25:
                who, agency = chair, None
            else:
                who, agency = rng.choice(self.people)
            paras = [rng.choice(self.pools["turn"]) for _ in range(rng.randint(1, 4))]
            out.append((who, agency, paras))
            self.used["speaker"][who] += 1
            self.remember(("speaker", who), paras)
        return out

    def meeting_title(self):
        return f"{self.rng.choice(self.pools['title'])} consultation"

    def teams(self, k):
        d = self.next_day(4)
        turns = self.turns(self.rng.randint(8, 40))
        lines = [f"# {self.meeting_title()} meeting-{d:%Y%m%d}_100000-Meeting Recording", "",
                 f"{long_date(d)}, 10:00am 1h 30m 0s", ""]
        t = 4
        for who, _, paras in turns:
            lines += [f"#### {who} {t // 60}:{t % 60:02d}", ""]
            for p in paras:
                lines += [p, ""]
            t += self.rng.randint(20, 240)
        n = sum(len(p) for _, _, p in turns)
        self.write("transcripts", f"meeting-{d:%Y%m%d}-{k:06d}-teams.txt", "\n".join(lines),
                   n, [x for _, _, p in turns for x in p])

    def vtt(self, k):
        d = self.next_day(4)
        turns = self.turns(self.rng.randint(8, 40))
        lines, t, cue = ["WEBVTT", ""], 4.0, 1
        for who, _, paras in turns:
            for p in paras:
                end = t + max(2.0, len(p) / 15)
                stamp = lambda s: f"{int(s // 3600):02d}:{int(s % 3600 // 60):02d}:{s % 60:06.3f}"
                lines += [str(cue), f"{stamp(t)} --> {stamp(end)}", f"{who}: {p}", ""]
                t, cue = end + 0.5, cue + 1
        n = sum(len(p) for _, _, p in turns)
        self.write("transcripts", f"webinar-{d:%Y-%m-%d}-{k:06d}.vtt", "\n".join(lines), n,
                   [x for _, _, p in turns for x in p])

    def verbatim(self, k):
        rng = self.rng
        d = self.next_day(4)
        number = 11000 + k
        title = rng.choice(self.pools["title"])
        running = f"{d:%d/%m/%Y} {title} S/PV.{number}"
        turns = self.turns(rng.randint(6, 30))
        lines = []
        for who, agency, paras in turns:
            if agency:
                # A verbatim record names the delegation; Teams and WebVTT labels do not.
                self.used["agency"][agency] += 1
                self.remember(("agency", agency), paras)
            label = "The President" if agency is None else f"{rng.choice(['Mr.', 'Ms.'])} {who.split()[-1]} ({agency})"
            for i, p in enumerate(paras):
                lines += wrapped(f"{label}: {p}" if i == 0 else p, 84).split("\n")
        out, page = [], 1
        for i, l in enumerate(lines):
            if i and i % 46 == 0:
                page += 1
                out += [running, f"{number - 10000:02d}-{k:05d} {page}/{len(lines) // 46 + 1}"]
            out.append(l)
        n = sum(len(p) for _, _, p in turns)
        self.write("transcripts", f"s-pv-{number}-{k:06d}.txt", "\n".join(out) + "\n", n,
                   [x for _, _, p in turns for x in p])

    # --- submissions -------------------------------------------------------------------

    def submission(self, k):
        rng = self.rng
        d = self.next_day(3)
        org = rng.choice(self.orgs + self.states)
        self.used["agency"][org] += 1
        about = rng.choice(self.used["work"]) if self.used["work"] else rng.choice(self.pools["title"])
        n = rng.randint(5, 40)
        paras = [rng.choice(self.pools["submission"]) for _ in range(n)]
        self.remember(("agency", org), paras)
        body = []
        for i, p in enumerate(paras):
            if i % 8 == 0:
                body.append(f"## {rng.choice(self.topics)['label']}")
            body.append(p)
        text = (f"---\ntitle: \"Input from {org} on {about}\"\ndate: {d.isoformat()}\n"
                f"author: \"{org}\"\nagency: \"{org}\"\nkind: submission\n---\n\n" + "\n\n".join(body) + "\n")
        self.write("submissions", f"input-{d.isoformat()}-{k:06d}.md", text, n, paras)

    def run(self, target):
        k = 0
        while self.passages < target:
            r = self.rng.random()
            if r < 0.40:
                self.work()
            elif r < 0.55:
                self.teams(k)
            elif r < 0.65:
                self.vtt(k)
            elif r < 0.78:
                self.verbatim(k)
            else:
                self.submission(k)
            k += 1


def query_mix(g, rng):
    """Over 500 queries drawn from what was generated, each with its HTTP form."""
    ranked = [w for w, c in g.words.most_common() if c >= 3]
    terms = ranked[len(ranked) // 20: len(ranked) // 2] or ranked
    texts = g.texts
    def phrase(n):
        words = re.findall(r"[A-Za-z]+", rng.choice(texts))
        if len(words) <= n:
            return " ".join(words)
        i = rng.randrange(len(words) - n)
        return " ".join(words[i:i + n])
    agencies = [a for a, _ in g.used["agency"].most_common(60)]
    speakers = [s for s, _ in g.used["speaker"].most_common(40)]
    topics = [t["id"] for t in g.topics]
    versions = ["draft", "rev1", "rev2", "adopted"]
    kinds = ["transcript", "resolution", "submission"]
    mix = []
    def add(cls, **req):
        mix.append({"class": cls, "search": req})
    for _ in range(80):
        add("term", q=rng.choice(terms))
    for _ in range(80):
        add("words", q=" ".join(rng.sample(terms, rng.randint(2, 4))))
    for _ in range(80):
        add("phrase", q=f"\"{phrase(rng.randint(2, 4))}\"")
    def word_of(field, value):
        """A word this speaker or agency used, so the filtered query has something to find."""
        words = [w for w in re.findall(r"[a-z]{5,}", rng.choice(g.said[(field, value)]).lower())
                 if w not in STOP]
        return rng.choice(words) if words else rng.choice(terms)
    for _ in range(30):
        a = rng.choice(agencies)
        add("agency+facets", q=word_of("agency", a), agency=a)
    for _ in range(30):
        a = rng.choice(agencies)
        add("agency, no facets", q=word_of("agency", a), agency=a, facets=False)
    for _ in range(25):
        s = rng.choice(speakers)
        add("speaker+facets", q=word_of("speaker", s), speaker=s)
    for _ in range(30):
        add("topic+version+facets", q=rng.choice(terms), topic=rng.choice(topics), version=rng.choice(versions))
    for _ in range(25):
        add("phrase+kind+facets", q=f"\"{phrase(2)}\"", kind=rng.choice(kinds))
    for _ in range(40):
        f = rng.choice(["agency", "topic", "kind", "version"])
        v = {"agency": agencies, "topic": topics, "kind": kinds, "version": versions}[f]
        add("browse (filters only)", **{f: rng.choice(v)})
    for _ in range(40):
        add("date sort", q=rng.choice(terms), sort="date")
    for _ in range(40):
        mix.append({"class": "precedent", "precedent": {"text": rng.choice(g.paragraphs)}})
    for m in mix:
        if "search" in m:
            m["method"] = "GET"
            m["path"] = "/api/search?" + urllib.parse.urlencode(
                {k: ("false" if v is False else v) for k, v in m["search"].items()})
        else:
            m["method"] = "POST"
            m["path"] = "/api/precedent"
            m["body"] = json.dumps(m["precedent"])
    return mix




def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--passages", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "travaux"))
    ap.add_argument("--corpus", default=None, help="default: ../shared/corpus, else tests/fixtures/corpus")
    a = ap.parse_args()
    a.corpus = a.corpus or default_corpus()
    if os.path.exists(a.out) and os.listdir(a.out):
        sys.exit(f"{a.out} exists and is not empty: give a new folder")
    pools, speakers = source_material(a.bin, a.corpus)
    for k, v in pools.items():
        if not v:
            sys.exit(f"no {k} passages found in {a.corpus}: is it the shared corpus?")
    rng = random.Random(a.seed)
    docs = os.path.join(a.out, "docs")
    g = Generator(rng, pools, speakers, docs, a.passages)
    g.run(a.passages)
    mix = query_mix(g, random.Random(a.seed + 1))
    with open(os.path.join(a.out, "queries.jsonl"), "w", encoding="utf-8") as f:
        for m in mix:
            f.write(json.dumps(m) + "\n")
    summary = {"seed": a.seed, "passages_written": g.passages, "bytes": g.bytes, "files": dict(g.files),
               "works": len(g.used["work"]), "queries": len(mix),
               "source_pools": {k: len(v) for k, v in pools.items()}}
    with open(os.path.join(a.out, "corpus.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
