#!/bin/sh
# Opening an index with its sections (issue 16, docs/benchmarks.md "Opening an index"): open time,
# cold and warm, and block-max search time, of BASE (default f61a3f8: every section file checked in
# full at every open, every dense row walked) against this checkout (sections checked where search
# first reads them), on hard-linked copies of SRC (default the 1M clustered index
# /work/benchdata/ann/c1m/index-cl; never written: the copies get their sections rebuilt, which
# writes new files and only unlinks the shared ones). Then the dense-row threshold: section size,
# build time and memory, and exact block-max latency with DENSE=4, 8 and 32 (the default).
# Runs interleaved (base, head, base, head...), ROUNDS rounds; cold opens drop the page cache
# (root; DROP=0 skips them). Search latency: Disco.Index.Bench sweep, CPUTIME=1, k=10, exact
# block-max and one approximate point each.
# Usage: bench/index/opentime.sh [WORK] [ROUNDS]   (default /work/benchdata/opentime, 3)
set -eu
cd "$(dirname "$0")/../.."
WORK="${1:-/work/benchdata/opentime}"
ROUNDS="${2:-3}"
SRC="${SRC:-/work/benchdata/ann/c1m/index-cl}"
BASE="${BASE:-f61a3f8}"
DROP="${DROP:-1}"
OUT="$WORK/run"
C="$WORK/c"
mkdir -p "$OUT" "$C"
dotnet build -c Release bench/Disco.Index.Bench -o "$OUT/head" >/dev/null
# BASE's library and bench program, plus this checkout's open verb (public API only).
rm -rf "$OUT/base-src" "$OUT/base"
mkdir -p "$OUT/base-src"
git archive "$BASE" | tar xf - -C "$OUT/base-src"
cp bench/Disco.Index.Bench/OpenBench.cs "$OUT/base-src/bench/Disco.Index.Bench/"
sed -i 's/^    case "sweep":$/    case "open":\n        OpenBench.Run(args);\n        break;\n    case "sweep":/' "$OUT/base-src/bench/Disco.Index.Bench/Program.cs"
(cd "$OUT/base-src" && dotnet build -c Release bench/Disco.Index.Bench -o "$OUT/base" >/dev/null)
# The collection's queries, and hard-linked copies of the index: "old" as SRC is (sections without
# checksums parts: both sides check them in full), "new" with both sections rebuilt by this checkout.
for f in queries.indptr queries.terms queries.weights; do ln -sf "$(dirname "$SRC")/$f" "$C/$f"; done
copy() { rm -rf "$C/index-$1"; mkdir -p "$C/index-$1"; ln "$SRC"/*.bin "$C/index-$1/"; cp "$SRC/meta.json" "$C/index-$1/"; }
copy old
copy new
"$OUT/head/Disco.Index.Bench" blockmax "$C" new | tee "$OUT/build.txt"
"$OUT/head/Disco.Index.Bench" ann "$C" new | tee -a "$OUT/build.txt"
for d in 4 8; do
  copy "d$d"
  DENSE=$d "$OUT/head/Disco.Index.Bench" blockmax "$C" "d$d" | sed "s/^/DENSE=$d /" | tee -a "$OUT/build.txt"
done
sync
LOG="$OUT/log.txt"
echo "# $(date -u '+%Y-%m-%d %H:%M UTC') $(git rev-parse --short HEAD) vs $BASE; load: $(uptime | sed 's/.*load average: //')" > "$LOG"
cold() { if [ "$DROP" = 1 ]; then sync; echo 3 > /proc/sys/vm/drop_caches; fi; }
for ROUND in $(seq "$ROUNDS"); do
  for SIDE in base head; do
    for IDX in old new; do
      [ "$SIDE" = base ] && [ "$IDX" = new ] && continue
      [ "$DROP" = 1 ] && { cold; printf '%s cold %s ' "$SIDE" "$IDX" >> "$LOG"; "$OUT/$SIDE/Disco.Index.Bench" open "$C" "$IDX" >> "$LOG"; }
      printf '%s warm %s ' "$SIDE" "$IDX" >> "$LOG"
      "$OUT/$SIDE/Disco.Index.Bench" open "$C" "$IDX" >> "$LOG"
    done
  done
  # Search latency, same query set, interleaved: base on old (what main does today) and head on new.
  for SIDE in base head; do
    IDX=old; [ "$SIDE" = head ] && IDX=new
    mkdir -p "$OUT/sweep-$SIDE-$ROUND"
    echo "## sweep $SIDE $IDX round $ROUND (load: $(uptime | sed 's/.*load average: //'))" >> "$LOG"
    CPUTIME=1 EXACT=BlockMax BLOCKS10=128 GRID10=30:200 RESULTS="$OUT/sweep-$SIDE-$ROUND" "$OUT/$SIDE/Disco.Index.Bench" sweep "$C" "$IDX" 10 >> "$LOG"
  done
  for d in 4 8; do
    echo "## sweep head d$d round $ROUND (load: $(uptime | sed 's/.*load average: //'))" >> "$LOG"
    CPUTIME=1 EXACT=BlockMax BLOCKS10=128 GRID10=30:200 RESULTS="$OUT" "$OUT/head/Disco.Index.Bench" sweep "$C" "d$d" 10 >> "$LOG"
  done
done
cat "$LOG"
echo "(delete $C and $OUT when done: the copies' rebuilt sections take about 6 GB)"
