#!/usr/bin/env python3
"""travaux quick benchmark: ingest throughput and HTTP search latency, with medians and ratios
against a baseline measured in the same run.

  python3 scripts/bench.py [--bin target/release/travaux] [--corpus ../shared/corpus] [--runs 3] [--requests 300]

Ingest: `travaux ingest --rebuild` of the corpus's transcripts, resolutions and submissions,
`--runs` times; reports median wall time and passages per second.
HTTP: a server on a loopback port over the bundled demo corpus; each query is sent `--requests`
times over one keep-alive connection; reports median and p95 latency, and the ratio of each
median to the baseline (GET /api/health, the server's fixed cost per request).
Prints a table and writes bench-results.json.
"""
import argparse, http.client, json, os, socket, statistics, subprocess, sys, tempfile, time

QUERIES = [
    ("baseline: GET /api/health", "/api/health"),
    ("words", "/api/search?q=capacity+building"),
    ("words + agency filter + facets", "/api/search?q=capacity+building&agency=UNESCO"),
    ("words + agency filter, no facets", "/api/search?q=capacity+building&agency=UNESCO&facets=false"),
    ("phrase + kind filter + facets", "/api/search?q=%22digital+public+infrastructure%22&kind=resolution"),
    ("browse: topic + version filters", "/api/search?topic=human-rights&version=adopted"),
    ("date sort", "/api/search?q=internet&sort=date"),
]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/travaux")
    ap.add_argument("--corpus", default="../shared/corpus")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--requests", type=int, default=300)
    a = ap.parse_args()
    ing = ingest(a.bin, a.corpus, a.runs)
    print(f"ingest: {ing['passages']} passages, median {ing['median_s']:.2f} s over {ing['runs']} runs, {ing['passages_per_s']:.0f} passages/s")
    rows = http_bench(a.bin, a.requests)
    print(f"\n{'query':38} {'median ms':>10} {'p95 ms':>8} {'× baseline':>11}")
    for r in rows:
        print(f"{r['query']:38} {r['median_ms']:10.2f} {r['p95_ms']:8.2f} {r['ratio_to_baseline']:11.2f}")
    with open("bench-results.json", "w") as f:
        json.dump({"ingest": ing, "http": rows}, f, indent=1)


if __name__ == "__main__":
    main()
