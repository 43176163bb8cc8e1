#!/usr/bin/env python3
"""SQLite FTS5 as a peer of travaux in the scale benchmark (Python's built-in sqlite3).

Configuration: an external-content FTS5 table over the passages with
`tokenize="porter unicode61 remove_diacritics 2"` (English Porter stems, accents folded, full
positions so phrases work); metadata in ordinary columns with B-tree indexes; topics and
versions (several per passage) in side tables. A search: the top 10 by FTS5's bm25 `rank`
(or by date, or in rowid order when there are no words), `count(*)` of all matches, and facets
as GROUP BY over the matches (kept in a temporary table, so the match runs once), the way a
user of SQLite would write them.

  sqlite_fts5.py load WORKDIR PASSAGES.jsonl
  sqlite_fts5.py query WORKDIR MIX ROUNDS
"""
import os, sqlite3, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402


def db(workdir):
    return os.path.join(workdir, "sqlite.db")


def load(workdir, path):
    os.makedirs(workdir, exist_ok=True)
    if os.path.exists(db(workdir)):
        os.remove(db(workdir))
    t = time.perf_counter()
    con = sqlite3.connect(db(workdir))
    con.executescript("""
        PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
        CREATE TABLE passage(n INTEGER PRIMARY KEY, id TEXT, doc TEXT, text TEXT, date TEXT,
                             kind TEXT, agency TEXT, speaker TEXT);
        CREATE TABLE passage_topic(n INTEGER, topic TEXT);
        CREATE TABLE passage_version(n INTEGER, version TEXT);
        CREATE VIRTUAL TABLE fts USING fts5(text, content='passage', content_rowid='n',
                                            tokenize='porter unicode61 remove_diacritics 2');
    """)
    rows, topics, versions = [], [], []
    def flush():
        con.executemany("INSERT INTO passage VALUES (?,?,?,?,?,?,?,?)", rows)
        con.executemany("INSERT INTO fts(rowid, text) VALUES (?,?)", [(r[0], r[3]) for r in rows])
        con.executemany("INSERT INTO passage_topic VALUES (?,?)", topics)
        con.executemany("INSERT INTO passage_version VALUES (?,?)", versions)
        rows.clear(); topics.clear(); versions.clear()
    for p in common.passages(path):
        rows.append((p["n"], p["id"], p["doc"], p["text"], p["date"], p["kind"], p["agency"], p["speaker"]))
        topics.extend((p["n"], x) for x in p["topic"])
        versions.extend((p["n"], x) for x in p["version"])
        if len(rows) >= 10000:
            flush()
    flush()
    con.executescript("""
        CREATE INDEX passage_agency ON passage(agency);
        CREATE INDEX passage_speaker ON passage(speaker);
        CREATE INDEX passage_kind ON passage(kind);
        CREATE INDEX passage_date ON passage(date);
        CREATE INDEX topic_by_value ON passage_topic(topic, n);
        CREATE INDEX topic_by_passage ON passage_topic(n);
        CREATE INDEX version_by_value ON passage_version(version, n);
        CREATE INDEX version_by_passage ON passage_version(n);
        INSERT INTO fts(fts) VALUES ('optimize');
    """)
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    common.emit({"seconds": time.perf_counter() - t, "bytes": os.path.getsize(db(workdir))})


def match_expr(q):
    parts = [f'"{w}"' for w in q.words] + ['"' + " ".join(p) + '"' for p in q.phrases if p]
    return " ".join(parts)


def where(q):
    sql, args = [], []
    for f, v in q.filters.items():
        if f in ("topic", "version"):
            sql.append(f"p.n IN (SELECT n FROM passage_{f} WHERE {f} = ?)")
        else:
            sql.append(f"p.{f} = ?")
        args.append(v)
    return sql, args


def query(workdir, mix_path, rounds):
    con = sqlite3.connect(db(workdir))
    con.execute("PRAGMA temp_store=MEMORY")
    con.execute("CREATE TEMP TABLE m(n INTEGER PRIMARY KEY)")

    def run(q):
        conds, args = where(q)
        expr = match_expr(q)
        if expr:
            src = "fts JOIN passage p ON p.n = fts.rowid"
            conds = ["fts MATCH ?"] + conds
            args = [expr] + args
            order = "p.date DESC" if q.date_sort else "fts.rank"
        else:
            src = "passage p"
            order = "p.date DESC" if q.date_sort else "p.n"
        w = " AND ".join(conds) or "1"
        top = con.execute(f"SELECT p.n, p.text FROM {src} WHERE {w} ORDER BY {order} LIMIT 10", args).fetchall()
        if not q.facets:
            return con.execute(f"SELECT count(*) FROM {src} WHERE {w}", args).fetchone()[0]
        con.execute("DELETE FROM m")
        con.execute(f"INSERT INTO m SELECT p.n FROM {src} WHERE {w}", args)
        total = con.execute("SELECT count(*) FROM m").fetchone()[0]
        for f in ("agency", "speaker", "kind"):
            con.execute(f"SELECT p.{f}, count(*) FROM m JOIN passage p USING(n) GROUP BY p.{f}").fetchall()
        for f in ("topic", "version"):
            con.execute(f"SELECT t.{f}, count(*) FROM m JOIN passage_{f} t USING(n) GROUP BY t.{f}").fetchall()
        return total if top is not None else 0

    common.emit(common.time_mix(common.mix(mix_path), run, rounds))


if __name__ == "__main__":
    common.main({"load": load, "query": lambda w, mix, rounds: query(w, mix, int(rounds))})
