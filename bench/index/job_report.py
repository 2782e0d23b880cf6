"""Report of bench/index/job.sh: whole-job wall time per system and k (fastest and median of the
rounds, with the load average of the fastest), per query, phases, the ratio to the peer, and the
top-10 check (both runs' top 10 agree: the same scores, and the same documents above the 10th score).

Usage: /usr/bin/python3 job_report.py WORKDIR INDEX...   (exit status 1 when a top 10 disagrees)
"""
import json
import re
import statistics
import sys


def read_run(path, depth=10):
    run = {}
    with open(path) as f:
        for line in f:
            qid, _, doc, rank, score, _ = line.split()
            if int(rank) <= depth:
                run.setdefault(qid, []).append((doc, float(score)))
    return run


def top10_disagreements(a, b):
    """Queries whose top 10 differ: scores (relative 1e-5, float32 sums in another order) or the documents strictly above the 10th score."""
    bad = []
    for qid in sorted(set(a) | set(b)):
        x, y = a.get(qid, []), b.get(qid, [])
        if len(x) != len(y) or any(abs(s - t) > 1e-5 * max(abs(s), abs(t), 1e-30) for (_, s), (_, t) in zip(x, y)):
            bad.append(qid)
            continue
        if not x:
            continue
        cut = x[-1][1] * (1 + 1e-5)
        if {d for d, s in x if s > cut} != {d for d, s in y if s > cut}:
            bad.append(qid)
    return bad


def phases(path):
    with open(path) as f:
        text = f.read()
    line = [l for l in text.splitlines() if l.startswith("{")]
    if line:
        p = json.loads(line[-1])
        return p["queries"], f"load {p['loadS']:.2f} s, parse {p['parseS']:.3f} s, search {p['searchS']:.2f} s, write {p['writeS']:.3f} s"
    m = re.search(r"searched (\d+) queries in ([\d.]+)s", text)
    if not m:
        return 0, text.strip()[-200:]
    o = re.search(r"opened the index in ([\d.]+)s; read \d+ queries in ([\d.]+)s", text)
    w = re.search(r" in ([\d.]+)s$", text.strip())
    opened = f"open {o.group(1)} s, parse {o.group(2)} s, " if o else ""
    return int(m.group(1)), f"{opened}search {m.group(2)} s, write {w.group(1) if w else '?'} s"


def main():
    work, indexes = sys.argv[1], sys.argv[2:]
    times = {}
    with open(work + "/times.txt") as f:
        for line in f:
            name, k, ms, *load = line.split()
            times.setdefault((name, int(k)), []).append((int(ms), " ".join(load)))
    failed = False
    print("\n| system | k | whole job, fastest (median) | per query | load avg (1/5/15) | peer / system | phases (last round) |")
    print("|---|---|---|---|---|---|---|")
    for k in (10, 1000):
        peer = min(times[("numba", k)])[0]
        for name in ["numba"] + [f"disco-{i}" for i in indexes]:
            rounds = times[(name, k)]
            best, load = min(rounds)
            queries, phase = phases(f"{work}/{name}-k{k}.err")
            median = statistics.median(ms for ms, _ in rounds)
            per = best / queries if queries else float("nan")
            print(f"| {name} | {k} | {best / 1000:.2f} s ({median / 1000:.2f} s) | {per:.3f} ms | {load} | {peer / best:.2f}x | {phase} |")
    print()
    for k in (10, 1000):
        peer = read_run(f"{work}/numba-k{k}.trec")
        for i in indexes:
            bad = top10_disagreements(peer, read_run(f"{work}/disco-{i}-k{k}.trec"))
            failed |= bool(bad)
            print(f"top 10, k={k}, disco-{i} against the peer: {len(peer)} queries, {len(bad)} disagree{' (' + ', '.join(bad[:10]) + ')' if bad else ''}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
