"""What every peer of the scale benchmark shares: reading the passages travaux exported, reading
the query mix into plain parts (words, phrases, filters, facets, order), and the latency
summary in the same shape `travaux bench` prints.

Each peer is a script run as `PEER load WORKDIR PASSAGES.jsonl` (prints {"seconds", "bytes"})
and `PEER query WORKDIR MIX ROUNDS` (prints the latency report). Every peer answers the same
question travaux answers: the ten best passages by BM25 (or the engine's ranking) with their
text, the total number of matches, and, when asked, facet counts of agency, speaker, topic,
kind and version over all matches. All words are required; phrases need positions; no typo
tolerance, no prefix matching; English stemming.
"""
import json, math, os, re, signal, socket, sys, time

FACETS = ("agency", "speaker", "topic", "kind", "version")
FILTERS = ("agency", "speaker", "topic", "kind", "version")


def passages(path):
    """The passages as travaux exported them, flattened: id, doc, text, date and the facet values
    (topic and version are lists)."""
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f):
            p = json.loads(line)
            d = p["document"]
            yield {
                "n": n,
                "id": p["id"],
                "doc": d["id"],
                "text": p["text"],
                "date": d.get("date") or "",
                "kind": d.get("kind") or "",
                "agency": p.get("agency") or "",
                "speaker": p.get("speaker") or "",
                "topic": p.get("topics") or [],
                "version": p.get("version") or [],
            }


WORD = re.compile(r"[A-Za-z0-9]+")


class Query:
    """One line of the mix, in parts every engine can express."""

    def __init__(self, line):
        self.cls = line["class"]
        self.precedent = "precedent" in line
        s = line.get("search") or {}
        q = s.get("q") or ""
        self.phrases = [WORD.findall(p) for p in re.findall(r'"([^"]*)"', q)]
        self.words = WORD.findall(re.sub(r'"[^"]*"', " ", q))
        self.filters = {f: s[f] for f in FILTERS if s.get(f)}
        self.facets = s.get("facets", True) is not False
        self.date_sort = s.get("sort") == "date"
        self.browse = not q

    def text(self):
        """Words and "phrases" in the syntax every engine here shares (all words required)."""
        return " ".join(self.words + ['"' + " ".join(p) + '"' for p in self.phrases if p])


def mix(path):
    with open(path, encoding="utf-8") as f:
        return [Query(json.loads(l)) for l in f if l.strip()]


def percentile(sorted_ms, q):
    if not sorted_ms:
        return 0.0
    rank = max(1, math.ceil(q * len(sorted_ms)))
    return sorted_ms[min(rank, len(sorted_ms)) - 1]


def summary(cls, queries, samples):
    ms = sorted(s[0] for s in samples)
    n = max(len(samples), 1)
    return {"class": cls, "queries": queries, "runs": len(samples),
            "p50_ms": percentile(ms, 0.5), "p95_ms": percentile(ms, 0.95), "p99_ms": percentile(ms, 0.99),
            "mean_ms": sum(ms) / n, "mean_hits": sum(s[1] for s in samples) / n}


def time_mix(queries, run, rounds):
    """Runs every query the engine can answer once untimed, then `rounds` times timed; `run(q)`
    returns the total matches. Queries it cannot express (precedent) are listed as skipped."""
    doable = [q for q in queries if not q.precedent]
    for q in doable:
        run(q)
    by = {}
    every = []
    for q in doable:
        by.setdefault(q.cls, [0, []])[0] += 1
    for _ in range(rounds):
        for q in doable:
            t = time.perf_counter()
            hits = run(q)
            s = ((time.perf_counter() - t) * 1000, hits)
            by[q.cls][1].append(s)
            every.append(s)
    return {"rounds": rounds, "classes": [summary(c, n, s) for c, (n, s) in sorted(by.items())],
            "all": summary("all", len(doable), every),
            "skipped": sorted({q.cls for q in queries if q.precedent})}


def emit(obj):
    json.dump(obj, sys.stdout)
    sys.stdout.write("\n")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_server(cmd, workdir, name, port, health_path, headers=None):
    """Starts a peer's server (`cmd`, listening on `port`) in its own process group, logging to
    WORKDIR/NAME.log; records its pid and port in WORKDIR/NAME.json (what `stop_server` reads);
    waits until `health_path` answers 200."""
    import http.client, subprocess
    log = open(os.path.join(workdir, f"{name}.log"), "w")
    proc = subprocess.Popen(cmd, stdout=log, stderr=log, start_new_session=True)
    with open(os.path.join(workdir, f"{name}.json"), "w") as f:
        json.dump({"pid": proc.pid, "port": port}, f)
    for _ in range(600):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", health_path, headers=headers or {})
            if c.getresponse().status == 200:
                return port
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{name} did not come up (see {name}.log)")


def stop_server(state_file):
    """Stops the server whose pid a peer wrote to `state_file` (its whole process group)."""
    try:
        with open(state_file) as f:
            pid = json.load(f)["pid"]
        os.killpg(pid, signal.SIGTERM)
        for _ in range(100):
            os.kill(pid, 0)
            time.sleep(0.1)
        os.killpg(pid, signal.SIGKILL)
    except (OSError, ValueError, KeyError):
        pass


def main(commands):
    """`PEER COMMAND WORKDIR ARGS…`: runs commands[COMMAND](WORKDIR, *ARGS)."""
    cmd, workdir, *rest = sys.argv[1:]
    if cmd not in commands:
        sys.exit(f"unknown command {cmd}: expected one of {', '.join(commands)}")
    commands[cmd](workdir, *rest)
