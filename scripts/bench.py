#!/usr/bin/env python3
"""travaux quick benchmark: ingest throughput and HTTP search latency, with medians and ratios
against a baseline measured in the same run.

  python3 scripts/bench.py [--bin target/release/travaux] [--corpus ../shared/corpus] [--runs 3] [--requests 300]
                           [--draft resolutions/a-80-l41-wsis20-outcome-final-draft.txt]

Ingest: `travaux ingest --rebuild` of the corpus's transcripts, resolutions and submissions,
`--runs` times; reports median wall time and passages per second.
HTTP: a server on a loopback port over the bundled demo corpus; each query is sent `--requests`
times over one keep-alive connection; reports median and p95 latency, and the ratio of each
median to the baseline (GET /api/health, the server's fixed cost per request).
Versions: over an index of the whole corpus, `travaux precedent --draft` on one draft (every
paragraph against the record), `--runs` times, beside `travaux stats` (process start and index
open, the fixed cost); then, on a server over the same index, POST /api/precedent with each of
the draft's paragraphs, a work's diff and a lineage, beside GET /api/health.
Prints tables and writes bench-results.json.
"""
import argparse, http.client, json, os, socket, statistics, subprocess, sys, tempfile, time
from corpus import default_corpus, free_port

QUERIES = [
    ("baseline: GET /api/health", "/api/health"),
    ("words", "/api/search?q=capacity+building"),
    ("words + agency filter + facets", "/api/search?q=capacity+building&agency=UNESCO"),
    ("words + agency filter, no facets", "/api/search?q=capacity+building&agency=UNESCO&facets=false"),
    ("phrase + kind filter + facets", "/api/search?q=%22digital+public+infrastructure%22&kind=resolution"),
    ("browse: topic + version filters", "/api/search?topic=human-rights&version=adopted"),
    ("date sort", "/api/search?q=internet&sort=date"),
]


def ingest(bin_, corpus, runs):
    times, passages = [], 0
    with tempfile.TemporaryDirectory() as d:
        for _ in range(runs):
            t = time.perf_counter()
            out = subprocess.run([bin_, "ingest", "--json", "--rebuild", "--index", os.path.join(d, "i"),
                                  "--manifest", "manifests/shared-corpus.toml",
                                  *(os.path.join(corpus, k) for k in ("transcripts", "resolutions", "submissions"))],
                                 capture_output=True, text=True, check=True)
            times.append(time.perf_counter() - t)
            passages = json.loads(out.stdout)["passages"]
    med = statistics.median(times)
    return {"runs": runs, "median_s": med, "passages": passages, "passages_per_s": passages / med}


def http_bench(bin_, n):
    port = free_port()
    with tempfile.TemporaryDirectory() as d:
        proc = subprocess.Popen([bin_, "serve", "--index", os.path.join(d, "i"), "--addr", f"127.0.0.1:{port}"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.time() + 120
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.time() > deadline:
                        sys.exit("server did not start")
                    time.sleep(0.1)
            conn = http.client.HTTPConnection("127.0.0.1", port)
            rows = []
            for name, path in QUERIES:
                lat = []
                for i in range(n + 20):
                    t = time.perf_counter()
                    conn.request("GET", path)
                    r = conn.getresponse()
                    r.read()
                    if r.status != 200:
                        sys.exit(f"{path}: HTTP {r.status}")
                    if i >= 20:  # warm-up
                        lat.append((time.perf_counter() - t) * 1000)
                lat.sort()
                rows.append({"query": name, "path": path, "median_ms": statistics.median(lat), "p95_ms": lat[int(len(lat) * 0.95) - 1]})
            base = rows[0]["median_ms"]
            for r in rows:
                r["ratio_to_baseline"] = r["median_ms"] / base
            return rows
        finally:
            proc.terminate()
            proc.wait()


def timed_runs(args, runs):
    times = []
    out = None
    for _ in range(runs):
        t = time.perf_counter()
        out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def serve(bin_, index):
    port = free_port()
    proc = subprocess.Popen([bin_, "serve", "--index", index, "--addr", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            if time.time() > deadline:
                proc.terminate()
                sys.exit("server did not start")
            time.sleep(0.1)


def latencies(conn, method, path, bodies, warm=5):
    lat = []
    for i, body in enumerate(bodies):
        t = time.perf_counter()
        if body is None:
            conn.request(method, path)
        else:
            conn.request(method, path, body=json.dumps(body), headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        r.read()
        if r.status != 200:
            sys.exit(f"{path}: HTTP {r.status}")
        if i >= warm:
            lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    return {"n": len(lat), "median_ms": statistics.median(lat), "p95_ms": lat[max(0, int(len(lat) * 0.95) - 1)]}


def versions_bench(bin_, corpus, draft, runs, n):
    with tempfile.TemporaryDirectory() as d:
        index = os.path.join(d, "i")
        subprocess.run([bin_, "ingest", "--index", index, "--manifest", "manifests/shared-corpus.toml",
                        *(os.path.join(corpus, k) for k in ("transcripts", "resolutions", "submissions"))],
                       capture_output=True, check=True)
        base_s, _ = timed_runs([bin_, "stats", "--index", index], runs)
        bulk_s, out = timed_runs([bin_, "precedent", "--json", "--index", index, "--draft", os.path.join(corpus, draft)], runs)
        lines = json.loads(out)
        bulk = {"paragraphs": len(lines), "median_s": bulk_s, "per_paragraph_ms": bulk_s / len(lines) * 1000,
                "with_earlier_language": sum(1 for l in lines if l["best"]), "baseline_stats_s": base_s,
                "ratio_to_baseline": bulk_s / base_s}
        proc, port = serve(bin_, index)
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port)
            works = json.loads(subprocess.run([bin_, "works", "--json", "--index", index], capture_output=True, text=True, check=True).stdout)
            big = max(works, key=lambda w: sum(v["paragraphs"] for v in w["versions"]))
            adopted = big["versions"][-1]["doc"]
            rows = [("baseline: GET /api/health", latencies(conn, "GET", "/api/health", [None] * (n + 20), 20))]
            texts = [{"text": l["text"], "before": "2025-12-16", "limit": 10} for l in lines]
            rows.append((f"POST /api/precedent, each paragraph of the draft", latencies(conn, "POST", "/api/precedent", texts[:5] + texts, 5)))
            rows.append((f"GET diff of the largest work ({len(big['versions'])} versions)",
                         latencies(conn, "GET", f"/api/works/{big['work']}/diff?from=draft", [None] * (n // 10 + 5))))
            rows.append(("GET lineage of one paragraph", latencies(conn, "GET", f"/api/passages/{adopted}:60/lineage", [None] * (n // 10 + 5))))
        finally:
            proc.terminate()
            proc.wait()
        base = rows[0][1]["median_ms"]
        http_rows = [{"query": q, **r, "ratio_to_baseline": r["median_ms"] / base} for q, r in rows]
        return bulk, http_rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/travaux")
    ap.add_argument("--corpus", default=None, help="default: ../shared/corpus, else tests/fixtures/corpus")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--draft", default="resolutions/a-80-l41-wsis20-outcome-final-draft.txt")
    a = ap.parse_args()
    a.corpus = a.corpus or default_corpus()
    ing = ingest(a.bin, a.corpus, a.runs)
    print(f"ingest: {ing['passages']} passages, median {ing['median_s']:.2f} s over {ing['runs']} runs, {ing['passages_per_s']:.0f} passages/s")
    rows = http_bench(a.bin, a.requests)
    print(f"\n{'query':38} {'median ms':>10} {'p95 ms':>8} {'× baseline':>11}")
    for r in rows:
        print(f"{r['query']:38} {r['median_ms']:10.2f} {r['p95_ms']:8.2f} {r['ratio_to_baseline']:11.2f}")
    bulk, vrows = versions_bench(a.bin, a.corpus, a.draft, a.runs, a.requests)
    print(f"\nprecedent --draft {a.draft}: {bulk['paragraphs']} paragraphs ({bulk['with_earlier_language']} with earlier language), "
          f"median {bulk['median_s']:.2f} s over {a.runs} runs = {bulk['per_paragraph_ms']:.1f} ms per paragraph; "
          f"baseline `travaux stats` {bulk['baseline_stats_s']:.3f} s (× {bulk['ratio_to_baseline']:.1f})")
    print(f"\n{'request (whole corpus)':52} {'n':>4} {'median ms':>10} {'p95 ms':>8} {'× baseline':>11}")
    for r in vrows:
        print(f"{r['query']:52} {r['n']:4} {r['median_ms']:10.2f} {r['p95_ms']:8.2f} {r['ratio_to_baseline']:11.2f}")
    with open("bench-results.json", "w") as f:
        json.dump({"ingest": ing, "http": rows, "precedent_draft": bulk, "versions_http": vrows}, f, indent=1)


if __name__ == "__main__":
    main()
