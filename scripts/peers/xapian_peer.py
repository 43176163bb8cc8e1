#!/usr/bin/python3
"""Xapian (Debian's python3-xapian) as a peer of travaux in the scale benchmark.

Configuration: TermGenerator with the English Snowball stemmer, STEM_ALL (every term stemmed,
as travaux's field is), positions kept for phrases; the passage text as document data.
Metadata as boolean filter terms (XA agency, XS speaker, XT topic, XK kind, XV version) and as
values: the date (slot 0, for date order) and agency, speaker, kind, topics and versions (slots
1–5) counted by ValueCountMatchSpy for facets; several topics or versions are one value
(joined), and each combination's count is added to every topic in it. Queries: QueryParser
with the same stemmer and STEM_ALL, all words required (OP_AND), phrases and -word, no
wildcards or partial matching. Every query asks for an exact total (check_at_least = the
number of documents), as travaux gives one.

  xapian_peer.py load WORKDIR PASSAGES.jsonl
  xapian_peer.py query WORKDIR MIX ROUNDS
"""
import os, sys, time

import xapian

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

PREFIX = {"agency": "XA", "speaker": "XS", "topic": "XT", "kind": "XK", "version": "XV"}
SLOT = {"agency": 1, "speaker": 2, "kind": 3, "topic": 4, "version": 5}


def load(workdir, path):
    t = time.perf_counter()
    dbdir = os.path.join(workdir, "xapian")
    db = xapian.WritableDatabase(dbdir, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_stemmer(xapian.Stem("english"))
    tg.set_stemming_strategy(xapian.TermGenerator.STEM_ALL)
    db.begin_transaction()
    for p in common.passages(path):
        doc = xapian.Document()
        tg.set_document(doc)
        tg.index_text(p["text"])
        doc.set_data(p["text"])
        doc.add_value(0, p["date"])
        for f in ("agency", "speaker", "kind"):
            if p[f]:
                doc.add_boolean_term(PREFIX[f] + p[f])
                doc.add_value(SLOT[f], p[f])
        for f in ("topic", "version"):
            for v in p[f]:
                doc.add_boolean_term(PREFIX[f] + v)
            if p[f]:
                doc.add_value(SLOT[f], "\t".join(p[f]))
        db.add_document(doc)
    db.commit_transaction()
    db.compact(os.path.join(workdir, "xapian-compact"))
    db.close()
    common.emit({"seconds": time.perf_counter() - t, "bytes": common_bytes(os.path.join(workdir, "xapian-compact"))})


def common_bytes(d):
    return sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(d) for f in fs)


def query(workdir, mix_path, rounds):
    db = xapian.Database(os.path.join(workdir, "xapian-compact"))
    qp = xapian.QueryParser()
    qp.set_stemmer(xapian.Stem("english"))
    qp.set_stemming_strategy(xapian.QueryParser.STEM_ALL)
    qp.set_default_op(xapian.Query.OP_AND)
    qp.set_database(db)
    flags = xapian.QueryParser.FLAG_PHRASE | xapian.QueryParser.FLAG_BOOLEAN | xapian.QueryParser.FLAG_LOVEHATE
    total_docs = db.get_doccount()

    def run(q):
        text = q.text()
        query = qp.parse_query(text, flags) if text else xapian.Query.MatchAll
        for f, v in q.filters.items():
            query = xapian.Query(xapian.Query.OP_FILTER, query, xapian.Query(PREFIX[f] + v))
        enq = xapian.Enquire(db)
        enq.set_query(query)
        if q.date_sort:
            enq.set_sort_by_value(0, True)
        elif not text:
            enq.set_docid_order(xapian.Enquire.ASCENDING)
            enq.set_weighting_scheme(xapian.BoolWeight())
        spies = {}
        if q.facets:
            for f, slot in SLOT.items():
                spies[f] = xapian.ValueCountMatchSpy(slot)
                enq.add_matchspy(spies[f])
        mset = enq.get_mset(0, 10, total_docs)
        for m in mset:
            m.document.get_data()
        counts = {}
        for f, spy in spies.items():
            c = counts.setdefault(f, {})
            for item in spy.values():
                for v in item.term.decode().split("\t"):
                    c[v] = c.get(v, 0) + item.termfreq
        return mset.get_matches_estimated()

    common.emit(common.time_mix(common.mix(mix_path), run, rounds))


if __name__ == "__main__":
    common.main({"load": load, "query": lambda w, mix, rounds: query(w, mix, int(rounds))})
