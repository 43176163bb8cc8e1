#!/usr/bin/env python3
"""travaux corpus generator in the six official languages: a large, deterministic corpus for
measuring what the language analyzers cost.

  python3 scripts/gen_languages.py --passages 100000 --out /tmp/langs-100k
        [--languages en,fr,es,ru,zh,ar] [--seed 2026] [--bin target/release/travaux]

The material is the multilingual fixtures (`tests/fixtures/multilingual/`: the Universal
Declaration of Human Rights in the six languages, six Security Council records in five), read
through travaux itself (ingested into a scratch index, then `travaux show --json` per document),
so each language's sentences are the ones a user would get. From them the generator writes
Markdown submissions with front matter (agency, date, `language`), an equal share per language,
each paragraph two to five sentences of its language drawn at random, until about `--passages`
passages are written. `--languages en` gives the English-only corpus of the same shape and size,
for the figures side by side.

Also written: `queries.jsonl`, for `travaux bench`: per language, single words, two or three
words, and quoted phrases drawn from the generated text (classes `term-fr`, `words-fr`,
`phrase-fr`, …); and `corpus.json`, what was generated.
"""
import argparse, json, os, random, re, shutil, subprocess, tempfile, tomllib
from collections import Counter
from datetime import date, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "multilingual")
# Where a sentence ends, in each script: Latin and Cyrillic stops, the ideographic full stop and
# semicolon, the Arabic question mark and semicolon.
SENTENCE_END = re.compile(r"(?<=[.!?;。；！？؟؛])\s*")
# Words for queries: letters of the language, at least four of them. Chinese, written without
# spaces, gives its queries from its clauses (a clause starts and ends a word): the clause
# whole as a phrase, its first two characters as a word.
WORD = re.compile(r"[^\W\d_]{4,}")
HAN_CLAUSE = re.compile(r"[\u4e00-\u9fff]{4,12}")


def sentences_by_language(bin_):
    """Each language's sentences, from the fixtures as travaux reads them."""
    scratch = tempfile.mkdtemp(prefix="travaux-langs-")
    try:
        index = os.path.join(scratch, "index")
        out = subprocess.run([bin_, "ingest", "--json", "--index", index,
                              "--manifest", os.path.join(FIXTURES, "travaux.toml"), FIXTURES],
                             check=True, capture_output=True, text=True)
        pools, offset = {}, 0
        while True:
            page = subprocess.run([bin_, "search", "--json", "--index", index, "--limit", "100",
                                   "--offset", str(offset), ""],
                                  check=True, capture_output=True, text=True)
            hits = json.loads(page.stdout)["hits"]
            if not hits:
                break
            offset += len(hits)
            for p in hits:
                lang = p.get("language") or "en"
                for s in SENTENCE_END.split(" ".join(p["text"].split())):
                    if len(s) >= (12 if lang == "zh" else 30):
                        pools.setdefault(lang, set()).add(s)
        return {lang: sorted(s) for lang, s in pools.items()}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def agencies():
    with open(os.path.join(ROOT, "index-schema", "agencies.toml"), "rb") as f:
        return [a["id"] for a in tomllib.load(f)["agency"] if a.get("names")]


def generate(args):
    rng = random.Random(args.seed)
    pools = sentences_by_language(args.bin)
    langs = args.languages.split(",")
    missing = [l for l in langs if l not in pools]
    if missing:
        raise SystemExit(f"gen_languages: no text in {', '.join(missing)} among the fixtures")
    orgs = agencies()
    os.makedirs(args.out, exist_ok=True)
    share = args.passages // len(langs)
    start = date(2026, 1, 5)
    written, files, size = Counter(), Counter(), 0
    samples = {l: [] for l in langs}
    k = 0
    for lang in langs:
        while written[lang] < share:
            n = min(rng.randint(5, 40), share - written[lang])
            day = start + timedelta(days=rng.randrange(3650))
            org = rng.choice(orgs)
            paras = [" ".join(rng.sample(pools[lang], min(len(pools[lang]), rng.randint(2, 5))))
                     for _ in range(n)]
            if len(samples[lang]) < 4000:
                samples[lang].extend(p for p in paras if rng.random() < 0.1)
            text = (f"---\ntitle: \"Input {k} from {org}\"\ndate: {day.isoformat()}\n"
                    f"author: \"{org}\"\nagency: \"{org}\"\nkind: submission\nlanguage: {lang}\n"
                    f"---\n\n" + "\n\n".join(paras) + "\n")
            path = os.path.join(args.out, "submissions", lang, f"input-{k:06d}.md")
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
            written[lang] += n
            files[lang] += 1
            size += len(text.encode("utf-8"))
            k += 1
    queries = query_mix(rng, samples)
    with open(os.path.join(args.out, "queries.jsonl"), "w", encoding="utf-8") as f:
        for q in queries:
            f.write(json.dumps(q, ensure_ascii=False) + "\n")
    summary = {"seed": args.seed, "languages": langs, "passages_written": dict(written),
               "files": dict(files), "bytes": size, "queries": len(queries),
               "sentences": {l: len(pools[l]) for l in langs}}
    with open(os.path.join(args.out, "corpus.json"), "w") as f:
        json.dump(summary, f, indent=1)
    print(json.dumps(summary))


def query_mix(rng, samples):
    """Per language: 30 single words, 30 of two or three words, 30 quoted phrases."""
    out = []
    for lang, texts in samples.items():
        if lang == "zh":
            found = [c[:2] for t in texts for c in HAN_CLAUSE.findall(t)]
        else:
            found = [w.lower() for t in texts for w in WORD.findall(t)]
        counts = Counter(found)
        ranked = [w for w, c in counts.most_common() if c >= 3]
        # Neither the commonest words nor the rarest: words a user would search for.
        terms = ranked[len(ranked) // 20: len(ranked) // 2] or ranked
        def add(cls, q):
            out.append({"class": f"{cls}-{lang}", "search": {"q": q}})
        for _ in range(30):
            add("term", rng.choice(terms))
        for _ in range(30):
            add("words", " ".join(rng.sample(terms, rng.randint(2, 3))))
        for _ in range(30):
            t = rng.choice(texts)
            if lang == "zh":
                add("phrase", f"\"{rng.choice(HAN_CLAUSE.findall(t) or [t[:6]])}\"")
            else:
                words = t.split()
                i = rng.randrange(max(1, len(words) - 3))
                add("phrase", "\"" + " ".join(words[i:i + rng.randint(2, 3)]).strip(".,;:") + "\"")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--passages", type=int, default=100000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--languages", default="en,fr,es,ru,zh,ar")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "travaux"))
    generate(ap.parse_args())


if __name__ == "__main__":
    main()
