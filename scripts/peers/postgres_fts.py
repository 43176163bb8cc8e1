#!/usr/bin/python3
"""PostgreSQL full-text search (Debian's postgresql) as a peer of travaux in the scale
benchmark: a private cluster in the work folder, on a loopback port, run as the `postgres`
user (PostgreSQL refuses root).

Configuration: a text search configuration `travaux` = `english` with the Snowball English
stemmer and no stop-word list (travaux keeps stop words, so phrases such as "the right to"
match); a stored generated tsvector column with a GIN index; metadata in columns with B-tree
indexes, topics and versions as text[] with GIN indexes. shared_buffers 2 GB, fsync off for
the load only. A search: websearch_to_tsquery (all words required, "phrases", -word), the top
10 by ts_rank (or by date, or by id when there are no words), count(*) of the matches, and
facets as GROUP BY over the matches (a MATERIALIZED common table expression, so the match
runs once), the way a user of PostgreSQL would write them.

  postgres_fts.py load WORKDIR PASSAGES.jsonl
  postgres_fts.py query WORKDIR MIX ROUNDS
  postgres_fts.py stop WORKDIR
"""
import csv, glob, io, os, pwd, socket, subprocess, sys, time

import psycopg2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1] if glob.glob("/usr/lib/postgresql/*/bin") else ""


def as_postgres(cmd, **kw):
    user = pwd.getpwnam("postgres")
    def drop():
        os.setgid(user.pw_gid)
        os.setuid(user.pw_uid)
    return subprocess.run(cmd, preexec_fn=drop if os.geteuid() == 0 else None, check=True,
                          capture_output=True, text=True, **kw)


def paths(workdir):
    return os.path.join(workdir, "pgdata"), os.path.join(workdir, "pgsock"), os.path.join(workdir, "pgport")


def start(workdir, fresh):
    data, sock, portfile = paths(workdir)
    if fresh:
        for d in (data, sock):
            os.makedirs(d, exist_ok=True)
            if os.geteuid() == 0:
                u = pwd.getpwnam("postgres")
                os.chown(d, u.pw_uid, u.pw_gid)
        as_postgres([f"{BIN}/initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8",
                     "--locale=C.UTF-8"])
        s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
        with open(portfile, "w") as f:
            f.write(str(port))
    port = int(open(portfile).read())
    opts = (f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c shared_buffers=2GB -c work_mem=256MB "
            f"-c maintenance_work_mem=1GB -c max_wal_size=8GB -c synchronous_commit=off"
            + (" -c fsync=off" if fresh else ""))
    as_postgres([f"{BIN}/pg_ctl", "-D", data, "-o", opts, "-l", os.path.join(data, "log"), "-w", "start"])
    return port


def stop(workdir):
    data, _, _ = paths(workdir)
    if os.path.exists(os.path.join(data, "postmaster.pid")):
        as_postgres([f"{BIN}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop"])


def server_rss_mb(workdir):
    data, _, _ = paths(workdir)
    pid = int(open(os.path.join(data, "postmaster.pid")).readline())
    best = 0
    for p in os.listdir("/proc"):
        if not p.isdigit():
            continue
        try:
            st = open(f"/proc/{p}/status").read()
            ppid = int(next(l.split()[1] for l in st.splitlines() if l.startswith("PPid:")))
            if int(p) == pid or ppid == pid:
                hwm = next((int(l.split()[1]) for l in st.splitlines() if l.startswith("VmHWM:")), 0)
                best = max(best, hwm)
        except (OSError, StopIteration):
            pass
    return best / 1024


def connect(port):
    return psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres")


def load(workdir, path):
    t = time.perf_counter()
    port = start(workdir, fresh=True)
    con = connect(port)
    cur = con.cursor()
    cur.execute("""
        CREATE TEXT SEARCH DICTIONARY english_all (TEMPLATE = snowball, Language = english);
        CREATE TEXT SEARCH CONFIGURATION travaux (COPY = english);
        ALTER TEXT SEARCH CONFIGURATION travaux ALTER MAPPING FOR asciiword, asciihword,
            hword_asciipart, word, hword, hword_part WITH english_all;
        CREATE TABLE passage(n int PRIMARY KEY, id text, doc text, text text, date text, kind text,
            agency text, speaker text, topic text[], version text[],
            tsv tsvector GENERATED ALWAYS AS (to_tsvector('travaux', text)) STORED);
    """)
    buf = io.StringIO()
    w = csv.writer(buf)
    def arr(vs):
        return "{" + ",".join('"' + v.replace('"', "") + '"' for v in vs) + "}"
    def flush():
        buf.seek(0)
        cur.copy_expert("COPY passage(n,id,doc,text,date,kind,agency,speaker,topic,version) FROM STDIN WITH CSV", buf)
        buf.seek(0)
        buf.truncate()
    rows = 0
    for p in common.passages(path):
        w.writerow([p["n"], p["id"], p["doc"], p["text"], p["date"], p["kind"], p["agency"], p["speaker"],
                    arr(p["topic"]), arr(p["version"])])
        rows += 1
        if rows % 20000 == 0:
            flush()
    flush()
    cur.execute("""
        CREATE INDEX passage_tsv ON passage USING gin(tsv);
        CREATE INDEX passage_agency ON passage(agency);
        CREATE INDEX passage_speaker ON passage(speaker);
        CREATE INDEX passage_kind ON passage(kind);
        CREATE INDEX passage_date ON passage(date);
        CREATE INDEX passage_topic ON passage USING gin(topic);
        CREATE INDEX passage_version ON passage USING gin(version);
    """)
    con.commit()
    con.autocommit = True
    cur.execute("VACUUM ANALYZE passage")
    cur.execute("SELECT pg_total_relation_size('passage')")
    size = cur.fetchone()[0]
    con.close()
    rss = server_rss_mb(workdir)
    stop(workdir)
    common.emit({"seconds": time.perf_counter() - t, "bytes": size, "server_rss_mb": rss})


def query(workdir, mix_path, rounds):
    port = start(workdir, fresh=False)
    try:
        con = connect(port)
        con.autocommit = True
        cur = con.cursor()

        def run(q):
            conds, args = [], []
            text = q.text()
            if text:
                conds.append("tsv @@ websearch_to_tsquery('travaux', %s)")
                args.append(text)
            for f, v in q.filters.items():
                if f in ("topic", "version"):
                    conds.append(f"{f} @> ARRAY[%s]")
                else:
                    conds.append(f"{f} = %s")
                args.append(v)
            w = " AND ".join(conds) or "true"
            if q.date_sort:
                order = "date DESC"
            elif text:
                order = "ts_rank(tsv, websearch_to_tsquery('travaux', %s)) DESC"
            else:
                order = "n"
            top_args = args + ([text] if text and not q.date_sort else [])
            cur.execute(f"SELECT n, text FROM passage WHERE {w} ORDER BY {order} LIMIT 10", top_args)
            cur.fetchall()
            if not q.facets:
                cur.execute(f"SELECT count(*) FROM passage WHERE {w}", args)
                return cur.fetchone()[0]
            cur.execute(f"""
                WITH m AS MATERIALIZED (SELECT agency, speaker, kind, topic, version FROM passage WHERE {w})
                SELECT 'total', '', count(*) FROM m
                UNION ALL SELECT 'agency', agency, count(*) FROM m GROUP BY agency
                UNION ALL SELECT 'speaker', speaker, count(*) FROM m GROUP BY speaker
                UNION ALL SELECT 'kind', kind, count(*) FROM m GROUP BY kind
                UNION ALL SELECT 'topic', t, count(*) FROM m, unnest(topic) t GROUP BY t
                UNION ALL SELECT 'version', v, count(*) FROM m, unnest(version) v GROUP BY v""", args)
            rows = cur.fetchall()
            return next(r[2] for r in rows if r[0] == "total")

        common.emit(common.time_mix(common.mix(mix_path), run, rounds))
    finally:
        stop(workdir)


if __name__ == "__main__":
    common.main({"load": load, "query": lambda w, mix, rounds: query(w, mix, int(rounds)), "stop": stop})
