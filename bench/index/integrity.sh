#!/bin/sh
# Cost of default corruption detection (issue 15): search latency of this checkout against a
# baseline commit without chunk checks, on the same 1M-document index, runs interleaved
# (head, base, head, base, ...), both with Disco.Index.Bench's protocol (each query's fastest of 3
# passes after a warm-up batch). Also reports the open time, and the open time with --verify.
# Usage: bench/index/integrity.sh [WORKDIR] [BASE] [ROUNDS]
#   WORKDIR  default /tmp/disco-index-bench (shares run.sh's collections)
#   BASE     commit to compare with, default 44ed318 (main before chunk checksums)
#   ROUNDS   default 3
set -eu
cd "$(dirname "$0")/../.."
WORK="${1:-/tmp/disco-index-bench}"
BASE="${2:-44ed318}"
ROUNDS="${3:-3}"
DIR="$WORK/1000000"
OUT="$WORK/integrity"
mkdir -p "$OUT"
dotnet build -c Release bench/Disco.Index.Bench -o "$OUT/head" >/dev/null
if [ ! -x "$OUT/base/Disco.Index.Bench" ]; then
  rm -rf "$OUT/base-src"
  git worktree add --detach "$OUT/base-src" "$BASE" >/dev/null 2>&1
  (cd "$OUT/base-src" && dotnet build -c Release bench/Disco.Index.Bench -o "$OUT/base" >/dev/null)
  git worktree remove --force "$OUT/base-src"
fi
mkdir -p "$DIR"
[ -f "$DIR/docs.indptr" ] || "$OUT/head/Disco.Index.Bench" generate "$DIR" 1000000 300 43
# The index is written by this checkout (with checksums.bin); the baseline reads it, ignoring what it does not know.
"$OUT/head/Disco.Index.Bench" build "$DIR" float32 >/dev/null
sync
echo "# $(date -u '+%Y-%m-%d %H:%M UTC') head $(git rev-parse --short HEAD) base $BASE; load: $(uptime | sed 's/.*load average: //')" | tee "$OUT/log.txt"
for ROUND in $(seq "$ROUNDS"); do
  for SIDE in head base; do
    echo "## round $ROUND $SIDE (load: $(uptime | sed 's/.*load average: //'))" >> "$OUT/log.txt"
    "$OUT/$SIDE/Disco.Index.Bench" search "$DIR" float32 2>>"$OUT/log.txt" >/dev/null
  done
  if [ "$ROUND" = 1 ]; then
    echo "## round $ROUND verify" >> "$OUT/log.txt"
    VERIFY=1 QUICK=1 "$OUT/head/Disco.Index.Bench" search "$DIR" float32 2>>"$OUT/log.txt" >/dev/null
  fi
done
/usr/bin/python3 - "$OUT/log.txt" <<'PY'
# Per round and side: mean and p50 latency per (algorithm, k). Reported: the fastest round of each
# side (the protocol's "fastest of repeats") and the median over rounds of head/base in the same round.
import json, sys, statistics
runs, side, opens = [], None, {}
for line in open(sys.argv[1]):
    if line.startswith("## round"):
        side = line.split()[3]
        runs.append((side, {}))
        continue
    if not line.startswith("{"):
        continue
    r = json.loads(line)
    if "openMs" in r:
        opens.setdefault(side, []).append(r["openMs"])
    else:
        runs[-1][1][(r["system"].split()[1], r["k"])] = (r["meanMs"], r["p50Ms"])
head = [m for s, m in runs if s == "head"]
base = [m for s, m in runs if s == "base"]
print("| algorithm | k | head mean ms | base mean ms | head/base, fastest rounds (mean, p50) | head/base, median over rounds (mean, p50) |")
print("|---|---|---|---|---|---|")
for key in sorted(head[0]):
    hm, bm = min(h[key][0] for h in head), min(b[key][0] for b in base)
    hp, bp = min(h[key][1] for h in head), min(b[key][1] for b in base)
    rm = statistics.median(h[key][0] / b[key][0] for h, b in zip(head, base))
    rp = statistics.median(h[key][1] / b[key][1] for h, b in zip(head, base))
    print(f"| {key[0]} | {key[1]} | {hm:.3f} | {bm:.3f} | {hm / bm:.3f}, {hp / bp:.3f} | {rm:.3f}, {rp:.3f} |")
print()
print("open ms, fastest: " + ", ".join(f"{s} {min(v):.0f}" for s, v in opens.items()) + " (verify = every byte checked at open)")
PY
