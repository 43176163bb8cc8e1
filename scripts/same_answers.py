#!/usr/bin/env python3
"""Do two travaux builds give the same answers? Each search of a query mix is run through
`travaux batch` by both builds on one index, and the answers are compared: the same total and
the same top ten, in the same order (hits of equal score may trade places, and which of
several hits tied at the tenth score make the page is the engine's choice).

  python3 scripts/same_answers.py --bin NEW/travaux --base OLD/travaux --index I queries.jsonl
        [--base-index J] [--facets both|on|off] [--snippets]

`--base-index` gives the old build an index of its own: the same files ingested by each build
(a change of schema), or one index before and after `travaux compact` (`--bin` and `--base`
the same build).

The mix is `scripts/gen_corpus.py`'s (`{"class": …, "search": {…}}` per line; precedent lines
are left out). `--snippets` compares the hits' snippets too. Prints one line per difference and
a summary; exits 1 when any answer differs.
"""
import argparse, json, subprocess, sys, tempfile


def answers(bin_, index, requests):
    with tempfile.NamedTemporaryFile("w", suffix=".ndjson", delete=False) as f:
        for r in requests:
            f.write(json.dumps(r) + "\n")
        path = f.name
    out = subprocess.run([bin_, "batch", "--index", index, path],
                         capture_output=True, text=True)
    return [json.loads(line) for line in out.stdout.splitlines()]


def same_snippets(a, b):
    """The same snippet for each hit both answers hold."""
    sa = {h["id"]: h.get("snippet") for h in a.get("hits", [])}
    for h in b.get("hits", []):
        if h["id"] in sa and sa[h["id"]] != h.get("snippet"):
            return f"snippet of {h['id']}: {sa[h['id']]!r} against {h.get('snippet')!r}"
    return None


def same(a, b):
    """Same total, the same scores in order, and at each score above the last one shown the
    same hits (hits of equal score may trade places; which of several hits tied at the last
    score shown make the page is the engine's choice)."""
    if a.get("total") != b.get("total"):
        return f"total {a.get('total')} against {b.get('total')}"
    ha = [(h["id"], round(h["score"], 3)) for h in a.get("hits", [])]
    hb = [(h["id"], round(h["score"], 3)) for h in b.get("hits", [])]
    if len(ha) != len(hb):
        return f"{len(ha)} hits against {len(hb)}"
    if any(abs(sa - sb) > 1e-3 for (_, sa), (_, sb) in zip(ha, hb)):
        return f"scores {ha} against {hb}"
    last = ha[-1][1] if ha else None
    for score in {s for _, s in ha if s != last}:
        if sorted(i for i, s in ha if s == score) != sorted(i for i, s in hb if s == score):
            return f"hits {ha} against {hb}"
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--base", required=True)
    ap.add_argument("--index", required=True)
    ap.add_argument("--base-index", help="the index --base reads (default: --index)")
    ap.add_argument("--facets", choices=["both", "on", "off"], default="both")
    ap.add_argument("--snippets", action="store_true")
    ap.add_argument("mix")
    args = ap.parse_args()
    requests, labels = [], []
    with open(args.mix) as f:
        for line in f:
            q = json.loads(line)
            if "search" not in q:
                continue
            for facets in {"both": [False, True], "on": [True], "off": [False]}[args.facets]:
                requests.append({**q["search"], "facets": facets, "limit": 10})
                labels.append(f"{q['class']} {json.dumps(q['search'])} facets={facets}")
    new = answers(args.bin, args.index, requests)
    old = answers(args.base, args.base_index or args.index, requests)
    if len(new) != len(requests) or len(old) != len(requests):
        sys.exit(f"same_answers: {len(new)} and {len(old)} answers for {len(requests)} requests")
    differ = 0
    for label, a, b in zip(labels, new, old):
        why = same(a, b) or (args.snippets and same_snippets(a, b))
        if why:
            differ += 1
            print(f"{label}: {why}")
    print(f"{len(requests) - differ} of {len(requests)} answers the same")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
