#!/usr/bin/env python3
"""travaux crash soak: kill `travaux ingest` with SIGKILL at random moments and check that every
committed document survives and nothing half-written appears.

  python3 scripts/soak.py [--bin target/debug/travaux] [--corpus ../shared/corpus] [--kills 100]
                          [--files 600] [--seed 7] [--out soak-results.json]

A corpus of `--files` documents is generated from the real ones (each a real transcript,
resolution or submission, made distinct by a numbered line). Then, `--kills` times: a third of
the files change (so the run replaces them), an ingest of
the whole folder into one index starts (`--commit-every 25 --log-commits`), is killed with
SIGKILL after a random delay (spread over a whole run: while parsing, indexing, committing and
merging), and the index is opened (`travaux stats`). It must open, and hold exactly the
documents it held before the run plus those of the last commit the run reported, or all of
them if the run finished. Finally an ingest runs to the end: the index must hold every file
once, with the passage total of a clean ingest of the same folder into a fresh index.
Exit status 1 on any violation. Prints a summary and writes JSON.
"""
import argparse, json, os, random, re, shutil, signal, subprocess, sys, tempfile, time
from corpus import default_corpus

COMMITTED = re.compile(r"committed: added=(\d+) replaced=(\d+)")
COMMITTING = re.compile(r"committing: added=(\d+) replaced=(\d+)")


def generate(corpus, dest, n, rng):
    sources = []
    for sub in ("transcripts", "resolutions", "submissions"):
        d = os.path.join(corpus, sub)
        for f in sorted(os.listdir(d)):
            if f.endswith((".txt", ".md", ".vtt")):
                sources.append((sub, os.path.join(d, f)))
    for k in range(n):
        sub, src = rng.choice(sources)
        os.makedirs(os.path.join(dest, sub), exist_ok=True)
        base, ext = os.path.splitext(os.path.basename(src))
        with open(src, encoding="utf-8") as f:
            text = f.read()
        with open(os.path.join(dest, sub, f"{base}-copy-{k:05d}{ext}"), "w", encoding="utf-8") as f:
            f.write(f"{text}\n\nCopy {k}.\n")


def stats(bin_, index):
    out = subprocess.run([bin_, "stats", "--json", "--index", index], capture_output=True, text=True)
    if out.returncode != 0:
        return None, out.stderr.strip()
    s = json.loads(out.stdout)
    return s, None




def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default="target/debug/travaux")
    ap.add_argument("--corpus", default=None, help="default: ../shared/corpus, else tests/fixtures/corpus")
    ap.add_argument("--kills", type=int, default=100)
    ap.add_argument("--files", type=int, default=600)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", default="soak-results.json")
    a = ap.parse_args()
    a.corpus = a.corpus or default_corpus()
    rng = random.Random(a.seed)
    work = tempfile.mkdtemp(prefix="travaux-soak-")
    failures = []
    try:
        docs = os.path.join(work, "docs")
        generate(a.corpus, docs, a.files, rng)
        # A clean run gives the expected totals, and the length of a whole run.
        t = time.perf_counter()
        clean = json.loads(subprocess.run([a.bin, "ingest", "--json", "--index", os.path.join(work, "clean"), docs],
                                          capture_output=True, text=True, check=True).stdout)
        full_run = time.perf_counter() - t
        index = os.path.join(work, "index")
        outcomes = {"before first commit": 0, "between commits": 0, "after the run finished": 0,
                    "during a commit": 0}
        files = [os.path.join(r, f) for r, _, fs in os.walk(docs) for f in fs]
        for k in range(a.kills):
            # A third of the files change each round, so every run has indexing to do.
            for path in rng.sample(files, len(files) // 3):
                with open(path, "a", encoding="utf-8") as f:
                    f.write(f"\nRevision {k}.\n")
            before, err = stats(a.bin, index)
            held = before["documents"] if before else 0
            proc = subprocess.Popen([a.bin, "ingest", "--json", "--commit-every", "25", "--log-commits",
                                     "--index", index, docs], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            time.sleep(rng.uniform(0.0, full_run * 1.1))
            finished = proc.poll() is not None
            if not finished:
                proc.send_signal(signal.SIGKILL)
            _, err_text = proc.communicate()
            commits = [int(m.group(1)) for m in COMMITTED.finditer(err_text)]
            begun = [int(m.group(1)) for m in COMMITTING.finditer(err_text)]
            after, err = stats(a.bin, index)
            if after is None:
                failures.append(f"kill {k}: the index does not open: {err}")
                continue
            if finished and proc.returncode == 0:
                expected = clean["documents_in_index"]
                outcomes["after the run finished"] += 1
            else:
                expected = held + (commits[-1] if commits else 0)
                outcomes["between commits" if commits else "before first commit"] += 1
            # A commit begun but not reported may or may not have become durable before the kill.
            allowed = {expected}
            if len(begun) > len(commits):
                allowed.add(held + begun[-1])
                outcomes["during a commit"] += 1
            if after["documents"] not in allowed:
                failures.append(f"kill {k}: {after['documents']} documents, expected {expected} "
                                f"(held {held}, commits {commits}, begun {begun})")
        done = json.loads(subprocess.run([a.bin, "ingest", "--json", "--index", index, docs],
                                         capture_output=True, text=True, check=True).stdout)
        # The expected totals for the files as they now are.
        clean = json.loads(subprocess.run([a.bin, "ingest", "--json", "--index", os.path.join(work, "clean2"), docs],
                                          capture_output=True, text=True, check=True).stdout)
        for key in ("documents_in_index", "passages_in_index"):
            if done[key] != clean[key]:
                failures.append(f"final run: {key} {done[key]}, a clean ingest gives {clean[key]}")
        result = {"kills": a.kills, "files": a.files, "seed": a.seed, "full_run_s": round(full_run, 2),
                  "outcomes": outcomes, "documents": done["documents_in_index"],
                  "passages": done["passages_in_index"], "failures": failures}
        with open(a.out, "w") as f:
            json.dump(result, f, indent=1)
        print(f"{a.kills} kills over {a.files} files (a whole run {full_run:.2f} s): "
              + ", ".join(f"{n} {k}" for k, n in outcomes.items()))
        print(f"final: {done['documents_in_index']} documents, {done['passages_in_index']} passages "
              f"(clean ingest: {clean['documents_in_index']}, {clean['passages_in_index']})")
        for f_ in failures:
            print("FAIL", f_)
        print("held" if not failures else f"{len(failures)} violations")
        sys.exit(1 if failures else 0)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
