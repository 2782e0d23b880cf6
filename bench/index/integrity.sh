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
  echo "## round $ROUND head verify" >> "$OUT/log.txt"
  VERIFY=1 QUICK=1 "$OUT/head/Disco.Index.Bench" search "$DIR" float32 2>>"$OUT/log.txt" >/dev/null
done
/usr/bin/python3 - "$OUT/log.txt" <<'PY'
import json, sys, collections
rows = collections.defaultdict(list)
side = None
for line in open(sys.argv[1]):
    if line.startswith("## round"):
        side = line.split()[3]
        continue
    if not line.startswith("{"):
        continue
    r = json.loads(line)
    if "openMs" in r:
        rows[(side, "open")].append(r["openMs"])
    else:
        rows[(side, r["system"].split()[1], r["k"])].append((r["meanMs"], r["p50Ms"], r["p99Ms"]))
print("| algorithm | k | head mean ms | base mean ms | head/base (mean) | head/base (p50) |")
print("|---|---|---|---|---|---|")
for (s, alg, *k) in sorted(rows):
    if s != "head" or alg == "open":
        continue
    head, base = rows[("head", alg, k[0])], rows[("base", alg, k[0])]
    hm, bm = min(h[0] for h in head), min(b[0] for b in base)
    hp, bp = min(h[1] for h in head), min(b[1] for b in base)
    print(f"| {alg} | {k[0]} | {hm:.3f} | {bm:.3f} | {hm / bm:.3f} | {hp / bp:.3f} |")
print()
print(f"open ms (fastest of rounds): head {min(rows[('head', 'open')]):.0f}, base {min(rows[('base', 'open')]):.0f}, head --verify {min(rows[('verify', 'open')]):.0f}")
PY
