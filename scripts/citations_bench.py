#!/usr/bin/env python3
"""What the citation graph costs, side by side with a build without it.

    python3 scripts/citations_bench.py --bin target/release/travaux --base BASE/travaux \
        --corpus /work/scale/corpus-1000000 --work /work/scale/cite [--rounds 3] [--requests 30]

On one generated corpus (scripts/gen_corpus.py: its docs/ and queries.jsonl), each binary:
  - ingests it from scratch (wall seconds, passages a second, peak RSS, index size);
  - runs the query mix in process (`travaux bench`, p50 and p99 per class), where the faceted
    classes now count the `cites` facet too.
Then, for --bin only (the base has no citation graph): `cited-by` of the most cited text and
`cited` (the most cited texts) over HTTP, median and p95 of --requests sequential requests after
one untimed request. Prints the tables with the ratio --bin ÷ --base; writes --work/result.json.

    python3 scripts/citations_bench.py --bin NEW/travaux --base OLD/travaux --http-only INDEX

serves one index (of a schema both read) with each binary in turn and times only those two
requests: two builds of the citation graph side by side.
"""
import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request


def measured(cmd):
    """Runs cmd to the end: (wall seconds, peak RSS in MB, stdout, stderr, exit status)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t
        out.seek(0)
        err.seek(0)
        return wall, usage.ru_maxrss / 1024, out.read().decode(), err.read().decode(), \
            os.waitstatus_to_exitcode(status)


def dir_bytes(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def ingest(binary, docs, index):
    shutil.rmtree(index, ignore_errors=True)
    wall, rss, out, err, code = measured([binary, "ingest", "--rebuild", "--json", "--index", index, docs])
    if code not in (0, 3):
        sys.exit(f"{binary} ingest failed ({code}): {err[-2000:]}")
    rep = json.loads(out)
    n = rep["passages_in_index"]
    return {"seconds": wall, "passages": n, "passages_per_s": n / wall, "peak_rss_mb": rss,
            "index_mb": dir_bytes(index) / 1e6}


def bench(binary, index, mix, rounds):
    out = subprocess.run([binary, "bench", mix, "--index", index, "--rounds", str(rounds), "--json"],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed_requests(base, path, n):
    urllib.request.urlopen(base + path, timeout=120).read()
    times = []
    for _ in range(n):
        t = time.perf_counter()
        urllib.request.urlopen(base + path, timeout=120).read()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {"p50_ms": statistics.median(times), "p95_ms": times[max(0, int(len(times) * 0.95) - 1)]}


def http(binary, index, requests):
    port = free_port()
    server = subprocess.Popen([binary, "serve", "--index", index, "--addr", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/api/health", timeout=5).read()
                break
            except OSError:
                time.sleep(0.5)
        top = json.loads(urllib.request.urlopen(base + "/api/cited?limit=1", timeout=600).read())
        key = top["cited"][0]["key"]
        by = json.loads(urllib.request.urlopen(
            base + "/api/cited-by?ref=" + urllib.parse.quote(key, safe=""), timeout=600).read())
        return {
            "most_cited": key,
            "citing_passages": by["passages"],
            "citing_documents": len(by["documents"]),
            "cited_by": timed_requests(base, "/api/cited-by?ref=" + urllib.parse.quote(key, safe=""), requests),
            "cited": timed_requests(base, "/api/cited?limit=20", requests),
        }
    finally:
        server.terminate()
        server.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--base", required=True)
    ap.add_argument("--corpus", help="a gen_corpus.py folder: docs/ and queries.jsonl")
    ap.add_argument("--work")
    ap.add_argument("--http-only", metavar="INDEX", help="time cited-by and cited of both builds on INDEX")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--requests", type=int, default=30)
    a = ap.parse_args()
    if a.http_only:
        for name, binary in (("base", a.base), ("travaux", a.bin)):
            h = http(binary, a.http_only, a.requests)
            print(f"{name}: cited-by {h['most_cited']} p50 {h['cited_by']['p50_ms']:.1f} ms, "
                  f"p95 {h['cited_by']['p95_ms']:.1f}; cited p50 {h['cited']['p50_ms']:.1f} ms, "
                  f"p95 {h['cited']['p95_ms']:.1f}")
        return
    if not (a.corpus and a.work):
        sys.exit("--corpus and --work are needed, or --http-only INDEX")
    os.makedirs(a.work, exist_ok=True)
    docs, mix = os.path.join(a.corpus, "docs"), os.path.join(a.corpus, "queries.jsonl")
    result = {}
    for name, binary in (("base", a.base), ("travaux", a.bin)):
        index = os.path.join(a.work, f"{name}-index")
        print(f"[{name}] ingest", file=sys.stderr, flush=True)
        result[name] = {"ingest": ingest(binary, docs, index)}
        print(f"[{name}] query mix", file=sys.stderr, flush=True)
        result[name]["bench"] = bench(binary, index, mix, a.rounds)
    print("[travaux] cited-by and cited over HTTP", file=sys.stderr, flush=True)
    result["travaux"]["http"] = http(a.bin, os.path.join(a.work, "travaux-index"), a.requests)
    with open(os.path.join(a.work, "result.json"), "w") as f:
        json.dump(result, f, indent=1)

    b, t = result["base"]["ingest"], result["travaux"]["ingest"]
    print("| ingest | passages | wall s | passages/s | peak RSS MB | index MB |")
    print("|---|---|---|---|---|---|")
    for name, r in (("base (no citations)", b), ("travaux", t)):
        print(f"| {name} | {r['passages']:,} | {r['seconds']:.1f} | {r['passages_per_s']:,.0f} | "
              f"{r['peak_rss_mb']:.0f} | {r['index_mb']:.0f} |")
    print(f"| travaux ÷ base | | {t['seconds'] / b['seconds']:.2f} | | "
          f"{t['peak_rss_mb'] / b['peak_rss_mb']:.2f} | {t['index_mb'] / b['index_mb']:.2f} |")
    print()
    print("| class | base p50 / p99 ms | travaux p50 / p99 ms | p50 ratio |")
    print("|---|---|---|---|")
    classes = lambda r: {c["class"]: c for c in r["bench"]["classes"]}
    bc, tc = classes(result["base"]), classes(result["travaux"])
    for c in sorted(tc):
        if c in bc:
            print(f"| {c} | {bc[c]['p50_ms']:.2f} / {bc[c]['p99_ms']:.1f} | "
                  f"{tc[c]['p50_ms']:.2f} / {tc[c]['p99_ms']:.1f} | {tc[c]['p50_ms'] / bc[c]['p50_ms']:.2f} |")
    h = result["travaux"]["http"]
    print()
    print(f"most cited: {h['most_cited']} ({h['citing_passages']:,} passages of "
          f"{h['citing_documents']:,} documents)")
    print(f"GET /api/cited-by of it: p50 {h['cited_by']['p50_ms']:.1f} ms, p95 {h['cited_by']['p95_ms']:.1f} ms")
    print(f"GET /api/cited?limit=20: p50 {h['cited']['p50_ms']:.1f} ms, p95 {h['cited']['p95_ms']:.1f} ms")


if __name__ == "__main__":
    main()
