#!/bin/sh
# A/B of exact term-at-a-time search between two builds (issue 16, docs/benchmarks.md "Exact
# search"): BASE (a git ref, default main) against this checkout's working tree (uncommitted changes
# included), on one existing index, runs interleaved in both orders (base, head, head, base, ...),
# each `QUICK=1 Disco.Index.Bench search DIR NAME` (k=10 and k=1000, each query's fastest of 3
# passes after a warm-up batch, no two-thread batches). CPUTIME=1 (default here) times each query by
# its thread's CPU time, so time spent descheduled on a loaded machine does not count.
# Usage: [BASE=ref] [HOT=1] bench/index/taat_ab.sh DIR NAME [ROUNDS] [WORKDIR]
#   e.g. bench/index/taat_ab.sh /work/benchdata/ann/c1m plain 4
# HOT=1 runs every query once untimed right before its timed run (its postings then sit in cache).
set -eu
cd "$(dirname "$0")/../.."
DIR="$1"
NAME="$2"
ROUNDS="${3:-4}"
OUT="${4:-/tmp/disco-taat-ab}"
BASE="${BASE:-main}"
export CPUTIME="${CPUTIME:-1}" QUICK=1 THROUGHPUT=0
mkdir -p "$OUT"
rm -rf "$OUT/base-src" "$OUT/head-src"
mkdir -p "$OUT/base-src" "$OUT/head-src"
git archive "$BASE" | tar xf - -C "$OUT/base-src"
git ls-files -z --cached --others --exclude-standard | xargs -0 tar cf - | tar xf - -C "$OUT/head-src"
# The base's bench may predate THROUGHPUT and HOT: take this checkout's bench program on both sides.
cp -r bench/Disco.Index.Bench/. "$OUT/base-src/bench/Disco.Index.Bench/"
# REUSE_BASE=1 keeps the base build of an earlier run in WORKDIR (several heads against one base).
for SIDE in base head; do
  [ "$SIDE" = base ] && [ "${REUSE_BASE:-0}" = 1 ] && [ -x "$OUT/base/Disco.Index.Bench" ] && continue
  (cd "$OUT/$SIDE-src" && nice -n 19 dotnet build -c Release bench/Disco.Index.Bench -o "$OUT/$SIDE" >/dev/null)
done
LOG="$OUT/log.txt"
echo "# $(date -u '+%Y-%m-%d %H:%M UTC') base $BASE ($(git rev-parse --short "$BASE")) head $(git rev-parse --short HEAD) (+ uncommitted: $(git status --short | wc -l) files), CPUTIME=$CPUTIME HOT=${HOT:-0}; load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$LOG"
for ROUND in $(seq "$ROUNDS"); do
  # Alternate the order every round, so neither side always runs second.
  if [ $((ROUND % 2)) = 1 ]; then ORDER="base head"; else ORDER="head base"; fi
  for SIDE in $ORDER; do
    echo "## round $ROUND $SIDE (load: $(cut -d' ' -f1-3 /proc/loadavg))" >> "$LOG"
    "$OUT/$SIDE/Disco.Index.Bench" search "$DIR" "$NAME" 2>>"$LOG" >/dev/null
  done
done
# The two builds must rank identically, scores bit for bit (the scoring contract's canonical order).
for SIDE in base head; do
  HITS="$OUT/hits-$SIDE.txt" PASSES=0 "$OUT/$SIDE/Disco.Index.Bench" search "$DIR" "$NAME" >/dev/null 2>&1
done
if cmp -s "$OUT/hits-base.txt" "$OUT/hits-head.txt"; then echo "hits: identical ($(wc -l < "$OUT/hits-head.txt") queries x k)" | tee -a "$LOG"; else echo "hits: DIFFER" | tee -a "$LOG"; fi
echo "# end $(date -u '+%H:%M UTC'); load: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$LOG"
/usr/bin/python3 - "$LOG" <<'PY'
# Per (k): fastest round of each side, and the median over rounds of head/base in the same round.
import json, sys, statistics
runs = []
for line in open(sys.argv[1]):
    if line.startswith("## round"):
        runs.append((line.split()[3], {}))
    elif line.startswith("{") and "meanMs" in line:
        r = json.loads(line)
        runs[-1][1][r["k"]] = (r["meanMs"], r["p50Ms"])
head = [m for s, m in runs if s == "head"]
base = [m for s, m in runs if s == "base"]
print("| k | base mean ms (fastest round) | head mean ms | head/base, fastest | head/base, median of rounds | head mean ms, all rounds | base mean ms, all rounds |")
print("|---|---|---|---|---|---|---|")
for k in sorted(head[0]):
    hm, bm = min(h[k][0] for h in head), min(b[k][0] for b in base)
    rm = statistics.median(h[k][0] / b[k][0] for h, b in zip(head, base))
    print(f"| {k} | {bm:.3f} | {hm:.3f} | {hm / bm:.3f} | {rm:.3f} | {' '.join(f'{h[k][0]:.3f}' for h in head)} | {' '.join(f'{b[k][0]:.3f}' for b in base)} |")
PY
