#!/usr/bin/env python3
"""Lucene 8 (Debian's liblucene8-java, run on the machine's Java 17) as a peer of travaux in
the scale benchmark: compiles LucenePeer.java (its configuration is described there) and hands
it the passages and the query mix as TSV, since Java has no JSON reader of its own.

  lucene_peer.py load WORKDIR PASSAGES.jsonl
  lucene_peer.py query WORKDIR MIX ROUNDS
"""
import glob, json, os, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
JARS = ["core", "analyzers-common", "queryparser", "facet", "queries", "sandbox"]


def classpath(workdir):
    jars = []
    for j in JARS:
        found = sorted(glob.glob(f"/usr/share/java/lucene-{j}-[0-9]*.jar"))
        if not found:
            sys.exit(f"lucene-{j} jar not found: install liblucene8-java")
        jars.append(found[-1])
    hppc = sorted(glob.glob("/usr/share/java/hppc*.jar"))
    return ":".join(jars + hppc[-1:] + [workdir])


def compile_harness(workdir):
    if not os.path.exists(os.path.join(workdir, "LucenePeer.class")):
        subprocess.run(["javac", "-nowarn", "-cp", classpath(workdir), "-d", workdir,
                        os.path.join(HERE, "LucenePeer.java")], check=True)


def esc(s):
    return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", " ")


def java(workdir, *args):
    out = subprocess.run(["java", "-Xmx4g", "-cp", classpath(workdir), "LucenePeer", *args],
                         check=True, capture_output=True, text=True)
    print(out.stdout.strip().splitlines()[-1])


def load(workdir, path):
    compile_harness(workdir)
    tsv = os.path.join(workdir, "passages.tsv")
    with open(tsv, "w", encoding="utf-8") as f:
        for p in common.passages(path):
            f.write("\t".join([str(p["n"]), p["date"].replace("-", ""), esc(p["kind"]), esc(p["agency"]),
                               esc(p["speaker"]), "|".join(p["topic"]), "|".join(p["version"]), esc(p["text"])]) + "\n")
    java(workdir, "load", os.path.join(workdir, "index"), tsv)
    os.remove(tsv)


def query(workdir, mix_path, rounds):
    compile_harness(workdir)
    tsv = os.path.join(workdir, "mix.tsv")
    with open(tsv, "w", encoding="utf-8") as f:
        for q in common.mix(mix_path):
            if q.precedent:
                continue
            text = q.text()
            filters = "|".join(f"{k}={v}" for k, v in q.filters.items())
            f.write("\t".join([q.cls, esc(text), filters, "1" if q.facets else "0", "1" if q.date_sort else "0"]) + "\n")
    java(workdir, "query", os.path.join(workdir, "index"), tsv, str(rounds))


if __name__ == "__main__":
    common.main({"load": load, "query": lambda w, mix, rounds: query(w, mix, int(rounds))})
