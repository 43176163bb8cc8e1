#!/usr/bin/env python3
"""Groonga (Debian's groonga-bin, with its stem token filter) as a peer of travaux in the
scale benchmark, as an HTTP server on a loopback port.

Configuration: a lexicon `Terms` (TokenBigram, which keeps runs of letters as whole words;
NormalizerAuto, which lowercases and folds; TokenFilterStem, Snowball English) with a full
inverted index WITH_POSITION over the passage text, so phrases work; agency, speaker and kind
as references to key tables, topics and versions as vectors of references, each with its own
index, so filters use an index and drilldowns (facets) count them; the date as an integer for
date order; its query cache off. A search: `match_columns=text`, Groonga's query syntax (words all required,
"phrases", -word), `sort_keys=-_score`, `limit=10` with the text, filters with `filter`, and
drilldowns on all five fields. In-process figures are measured from Python over one keep-alive
HTTP connection.

  groonga_peer.py load WORKDIR PASSAGES.jsonl    (starts the server; it keeps running)
  groonga_peer.py query WORKDIR MIX ROUNDS
  groonga_peer.py http WORKDIR MIX OUT       (writes wrk's requests: OUT-simple.tsv, OUT-faceted.tsv)
  groonga_peer.py stop WORKDIR
"""
import http.client, json, os, subprocess, sys, time, urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

SCHEMA = """plugin_register token_filters/stem
table_create Terms TABLE_PAT_KEY ShortText --default_tokenizer TokenBigram --normalizer NormalizerAuto --token_filters TokenFilterStem
table_create Agencies TABLE_HASH_KEY ShortText
table_create Speakers TABLE_HASH_KEY ShortText
table_create Kinds TABLE_HASH_KEY ShortText
table_create Topics TABLE_HASH_KEY ShortText
table_create Versions TABLE_HASH_KEY ShortText
table_create Passages TABLE_NO_KEY
column_create Passages text COLUMN_SCALAR LongText
column_create Passages agency COLUMN_SCALAR Agencies
column_create Passages speaker COLUMN_SCALAR Speakers
column_create Passages kind COLUMN_SCALAR Kinds
column_create Passages topic COLUMN_VECTOR Topics
column_create Passages version COLUMN_VECTOR Versions
column_create Passages date COLUMN_SCALAR UInt32
column_create Passages n COLUMN_SCALAR UInt32
"""
INDEXES = """column_create Terms passage_text COLUMN_INDEX|WITH_POSITION Passages text
column_create Agencies passages COLUMN_INDEX Passages agency
column_create Speakers passages COLUMN_INDEX Passages speaker
column_create Kinds passages COLUMN_INDEX Passages kind
column_create Topics passages COLUMN_INDEX Passages topic
column_create Versions passages COLUMN_INDEX Passages version
"""


def state(workdir):
    return os.path.join(workdir, "groonga.json")



def start(workdir, db):
    port = common.free_port()
    return common.start_server(["groonga", "-s", "--protocol", "http", "--bind-address", "127.0.0.1",
                                "-p", str(port), "--log-path", os.path.join(workdir, "groonga-server.log"), db],
                               workdir, "groonga", port, "/d/status")


def call(conn, method, path, body=None):
    conn.request(method, path, body=body, headers={"Content-Type": "application/json"} if body else {})
    r = conn.getresponse()
    data = r.read()
    if r.status >= 300:
        raise RuntimeError(f"groonga {path[:120]}: {r.status} {data[:300]!r}")
    return json.loads(data)


def load(workdir, path):
    t = time.perf_counter()
    db = os.path.join(workdir, "db", "travaux.db")
    os.makedirs(os.path.dirname(db), exist_ok=True)
    subprocess.run(["groonga", "-n", db], input=SCHEMA, text=True, check=True, capture_output=True)
    port = start(workdir, db)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
    batch = []
    def flush():
        call(conn, "POST", "/d/load?table=Passages", json.dumps(batch).encode())
        batch.clear()
    for p in common.passages(path):
        batch.append({"n": p["n"], "text": p["text"], "agency": p["agency"], "speaker": p["speaker"],
                      "kind": p["kind"], "topic": p["topic"], "version": p["version"],
                      "date": int(p["date"].replace("-", "") or 0)})
        if len(batch) >= 5000:
            flush()
    if batch:
        flush()
    # Indexes built once after the load (static indexing), the fast way Groonga documents.
    for line in INDEXES.splitlines():
        w = line.split()
        call(conn, "GET", "/d/column_create?" + urllib.parse.urlencode(
            {"table": w[1], "name": w[2], "flags": w[3], "type": w[4], "source": w[5]}))
    pid = json.load(open(state(workdir)))["pid"]
    st = open(f"/proc/{pid}/status").read()
    rss = next(int(l.split()[1]) for l in st.splitlines() if l.startswith("VmHWM:")) / 1024
    size = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(os.path.dirname(db)) for f in fs)
    common.emit({"seconds": time.perf_counter() - t, "bytes": size, "server_rss_mb": rss})


def quote(v):
    return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'


def select_path(q):
    # cache=no: Groonga keeps the last results of `select` by default, and the benchmark
    # repeats its queries; every engine here computes each answer.
    params = {"table": "Passages", "limit": 10, "output_columns": "_id,text", "cache": "no"}
    text = q.text()
    if text:
        params["match_columns"] = "text"
        params["query"] = text
    filters = [f"{f} @ {quote(v)}" if f in ("topic", "version") else f"{f} == {quote(v)}"
               for f, v in q.filters.items()]
    if filters:
        params["filter"] = " && ".join(filters)
    params["sort_keys"] = "-date" if q.date_sort else ("-_score" if text else "_id")
    if q.facets:
        params["drilldown"] = "agency,speaker,kind,topic,version"
        params["drilldown_limit"] = 100
    return "/d/select?" + urllib.parse.urlencode(params)


def query(workdir, mix_path, rounds):
    port = json.load(open(state(workdir)))["port"]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def run(q):
        out = call(conn, "GET", select_path(q))
        if out[0][0] != 0:
            raise RuntimeError(f"groonga: {out[0]}")
        return out[1][0][0][0]

    common.emit(common.time_mix(common.mix(mix_path), run, rounds))


def http_requests(workdir, mix_path, out):
    """wrk's requests: the mix's one-word searches without facets (`OUT-simple.tsv`) and with
    them (`OUT-faceted.tsv`)."""
    port = json.load(open(state(workdir)))["port"]
    terms = [q for q in common.mix(mix_path) if q.cls == "term"]
    for name, facets in (("simple", False), ("faceted", True)):
        with open(f"{out}-{name}.tsv", "w") as f:
            for q in terms:
                q.facets = facets
                f.write(f"GET\t{select_path(q)}\t\n")
    common.emit({"port": port})


def stop(workdir):
    common.stop_server(state(workdir))


if __name__ == "__main__":
    common.main({"load": load, "query": lambda w, mix, rounds: query(w, mix, int(rounds)), "http": http_requests, "stop": stop})
