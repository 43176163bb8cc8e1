#!/usr/bin/env python3
"""The amplification test: what a small request can make the server hold. Six clients at once
each send a batch of 1,000 searches for a common word at 100 hits each (a ~60 KB body), over the
corpus index; the server's peak resident memory (VmHWM) and its memory once they are answered
are read from /proc.

  python3 scripts/amplify.py [--bin target/release/travaux] [--corpus DIR] [--clients 6]
"""
import argparse, json, os, subprocess, sys, tempfile, threading, time, urllib.request
from corpus import default_corpus, free_port


def memory(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM"):
                fields[k] = int(v.split()[0]) // 1024
    return fields


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/release/travaux")
    ap.add_argument("--corpus", default=None)
    ap.add_argument("--clients", type=int, default=6)
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    corpus = a.corpus or default_corpus()
    work = tempfile.mkdtemp(prefix="travaux-amplify-")
    index = os.path.join(work, "index")
    subprocess.run([a.bin, "ingest", "--index", index, "--manifest", "manifests/shared-corpus.toml",
                    os.path.join(corpus, "transcripts"), os.path.join(corpus, "resolutions"),
                    os.path.join(corpus, "submissions")], check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen([a.bin, "serve", "--index", index, "--addr", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/api/health")
            break
        except OSError:
            time.sleep(0.1)
    body = json.dumps([{"id": i, "q": "the", "limit": 100} for i in range(1000)]).encode()
    answers = []

    def client():
        req = urllib.request.Request(base + "/api/search/batch", data=body,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as r:
            answers.append((r.status, len(r.read())))

    before = memory(server.pid)
    started = time.time()
    for _ in range(a.rounds):
        threads = [threading.Thread(target=client) for _ in range(a.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    elapsed = time.time() - started
    time.sleep(5)
    after = memory(server.pid)
    server.terminate()
    server.wait()
    result = {
        "request_bytes": len(body),
        "answers": len(answers),
        "answer_bytes_max": max(n for _, n in answers),
        "statuses": sorted({s for s, _ in answers}),
        "rss_before_mb": before["VmRSS"],
        "rss_peak_mb": after["VmHWM"],
        "rss_after_mb": after["VmRSS"],
        "seconds": round(elapsed, 1),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    sys.exit(main())
