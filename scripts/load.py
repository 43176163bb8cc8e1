#!/usr/bin/env python3
"""travaux load test: many clients searching while new documents are committed.

  python3 scripts/load.py [--bin target/release/travaux] [--corpus ../shared/corpus]
                          [--clients 64] [--seconds 180] [--out load-results.json]

A server runs over an index of the corpus's transcripts, resolutions and submissions. `--clients`
threads each keep one connection and send a mix of searches (words, phrases, filters, facets),
batches, exports and precedent lookups for `--seconds`. Meanwhile, every few seconds, a new
document (a real transcript made distinct) is ingested into the same index. Checked: no request
fails (every answer is 200 and complete), searches come to see the new documents, and the
server's memory (RSS) at the end is within reach of where it was after warm-up.
Prints a summary and writes JSON; exit status 1 when a check fails.
"""
import argparse, http.client, json, os, random, shutil, socket, subprocess, sys, tempfile, threading, time
from corpus import default_corpus, free_port

REQUESTS = [
    ("GET", "/api/search?q=capacity+building", None),
    ("GET", "/api/search?q=%22digital+public+infrastructure%22&kind=resolution", None),
    ("GET", "/api/search?agency=WHO&facets=false", None),
    ("GET", "/api/search?topic=human-rights&version=adopted&limit=20", None),
    ("GET", "/api/search?q=internet&sort=date", None),
    ("GET", "/api/facets", None),
    ("POST", "/api/search/batch", [{"q": "surveillance"}, {"q": "gender", "agency": "UN Women"}]),
    ("GET", "/api/export?kind=resolution&topic=gender", None),
    ("POST", "/api/precedent", {"text": "the same rights that people have offline must also be protected online", "limit": 5}),
]


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/travaux")
    ap.add_argument("--corpus", default=None, help="default: ../shared/corpus, else tests/fixtures/corpus")
    ap.add_argument("--clients", type=int, default=64)
    ap.add_argument("--seconds", type=int, default=180)
    ap.add_argument("--out", default="load-results.json")
    a = ap.parse_args()
    a.corpus = a.corpus or default_corpus()
    work = tempfile.mkdtemp(prefix="travaux-load-")
    index = os.path.join(work, "index")
    subprocess.run([a.bin, "ingest", "--index", index, "--manifest", "manifests/shared-corpus.toml",
                    *(os.path.join(a.corpus, k) for k in ("transcripts", "resolutions", "submissions"))],
                   capture_output=True, check=True)
    port = free_port()
    server = subprocess.Popen([a.bin, "serve", "--index", index, "--addr", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    stop = time.time() + a.seconds
    counts = {"ok": 0, "failed": 0}
    failures = []
    lock = threading.Lock()

    def client(k):
        rng = random.Random(k)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.time() < stop:
            method, path, body = rng.choice(REQUESTS)
            try:
                if body is None:
                    conn.request(method, path)
                else:
                    conn.request(method, path, body=json.dumps(body), headers={"Content-Type": "application/json"})
                r = conn.getresponse()
                data = r.read()
                ok = r.status == 200 and len(data) > 0
            except Exception as e:  # a dropped connection is a failure
                ok, data = False, str(e).encode()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            with lock:
                if ok:
                    counts["ok"] += 1
                else:
                    counts["failed"] += 1
                    if len(failures) < 20:
                        failures.append(f"{method} {path}: {data[:200]!r}")

    threads = [threading.Thread(target=client, args=(k,)) for k in range(a.clients)]
    for t in threads:
        t.start()
    time.sleep(min(10, a.seconds / 4))
    rss_warm = rss_kb(server.pid)
    # New documents, committed every few seconds while the clients search.
    source = os.path.join(a.corpus, "transcripts", "un-s-pv9642-pv-en.txt")
    with open(source, encoding="utf-8") as f:
        text = f.read()
    added, seen_new = 0, 0
    docs = os.path.join(work, "new")
    os.makedirs(docs)
    while time.time() < stop - 5:
        marker = f"loadmarker{added:04d}"
        path = os.path.join(docs, f"meeting-{added:04d}.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text + f"\n\nThe President: {marker}.\n")
        subprocess.run([a.bin, "ingest", "--index", index, docs], capture_output=True)
        added += 1
        time.sleep(3)
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("GET", f"/api/search?q={marker}")
        if json.loads(c.getresponse().read()).get("total", 0) >= 1:
            seen_new += 1
    for t in threads:
        t.join()
    rss_end = rss_kb(server.pid)
    server.terminate()
    server.wait()
    shutil.rmtree(work, ignore_errors=True)
    total = counts["ok"] + counts["failed"]
    result = {"clients": a.clients, "seconds": a.seconds, "requests": total, "failed": counts["failed"],
              "requests_per_s": round(total / a.seconds, 1), "documents_added": added,
              "new_documents_found": seen_new, "rss_after_warmup_kb": rss_warm, "rss_end_kb": rss_end,
              "failures": failures}
    with open(a.out, "w") as f:
        json.dump(result, f, indent=1)
    print(f"{a.clients} clients for {a.seconds} s: {total} requests ({total / a.seconds:.0f}/s), "
          f"{counts['failed']} failed; {added} documents committed while serving, {seen_new} found "
          f"within 3 s; RSS {rss_warm // 1024} MB after warm-up, {rss_end // 1024} MB at the end")
    bad = counts["failed"] > 0 or seen_new < added or rss_end > rss_warm * 2 + 50_000
    for f_ in failures:
        print("FAIL", f_)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
