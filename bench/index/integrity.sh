#!/bin/sh
# Cost of default corruption detection (issue 15, docs/benchmarks.md "Integrity"): search latency
# of this checkout against the same checkout with the two chunk checks removed (the lines calling
# _postingsCheck.Ensure and _docIdsCheck.Ensure in SparseIndex.cs), on one 1M-document index, runs
# interleaved (checked, unchecked, checked, ...), each with Disco.Index.Bench's protocol (each
# query's fastest of 3 passes after a warm-up batch). CPUTIME=1 (default here) times each query by
# its thread's CPU time, so time spent descheduled on a loaded machine does not count; CPUTIME=0
# times wall clock. Also reports the open time, and the open time with --verify.
# Usage: bench/index/integrity.sh [WORKDIR] [ROUNDS]   (default /tmp/disco-index-bench, 5)
set -eu
cd "$(dirname "$0")/../.."
WORK="${1:-/tmp/disco-index-bench}"
ROUNDS="${2:-5}"
export CPUTIME="${CPUTIME:-1}"
DIR="$WORK/1000000"
OUT="$WORK/integrity"
mkdir -p "$OUT"
dotnet build -c Release bench/Disco.Index.Bench -o "$OUT/head" >/dev/null
# The baseline: this checkout's source with the chunk checks deleted, built next to it.
rm -rf "$OUT/base-src" "$OUT/base"
mkdir -p "$OUT/base-src"
git ls-files -z | xargs -0 tar cf - | tar xf - -C "$OUT/base-src"
sed -i '/_postingsCheck\.Ensure(\|_docIdsCheck\.Ensure(/d' "$OUT/base-src/src/Disco.Index/SparseIndex.cs"
! grep -q 'Check\.Ensure(' "$OUT/base-src/src/Disco.Index/SparseIndex.cs"
(cd "$OUT/base-src" && dotnet build -c Release bench/Disco.Index.Bench -o "$OUT/base" >/dev/null)
mkdir -p "$DIR"
[ -f "$DIR/docs.indptr" ] || "$OUT/head/Disco.Index.Bench" generate "$DIR" 1000000 300 43
"$OUT/head/Disco.Index.Bench" build "$DIR" float32 >/dev/null
sync
echo "# $(date -u '+%Y-%m-%d %H:%M UTC') $(git rev-parse --short HEAD) (+ uncommitted: $(git status --short | wc -l) files), CPUTIME=$CPUTIME; load: $(uptime | sed 's/.*load average: //')" | tee "$OUT/log.txt"
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
print("| algorithm | k | checked mean ms | unchecked mean ms | ratio, fastest rounds (mean, p50) | ratio, median over rounds (mean, p50) |")
print("|---|---|---|---|---|---|")
for key in sorted(head[0]):
    hm, bm = min(h[key][0] for h in head), min(b[key][0] for b in base)
    hp, bp = min(h[key][1] for h in head), min(b[key][1] for b in base)
    rm = statistics.median(h[key][0] / b[key][0] for h, b in zip(head, base))
    rp = statistics.median(h[key][1] / b[key][1] for h, b in zip(head, base))
    print(f"| {key[0]} | {key[1]} | {hm:.3f} | {bm:.3f} | {hm / bm:.3f}, {hp / bp:.3f} | {rm:.3f}, {rp:.3f} |")
print()
print("open ms, fastest: " + ", ".join(f"{s} {min(v):.0f}" for s, v in opens.items()) + " (head = checked, base = unchecked, verify = every byte checked at open)")
PY
