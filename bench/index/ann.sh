#!/bin/sh
# Approximate search, document reordering and exact search against SPLADE's numba reference, on a
# topically clustered and an i.i.d. collection of 1M documents, in one run (docs/benchmarks.md,
# "Approximate search and reordering"). Usage:
#   bench/index/ann.sh [WORKDIR] [data|search|all]     (default /tmp/disco-ann-bench, all)
# "data" generates the collections and builds the indexes (skipping what exists: the reordered
# build takes minutes); "search" runs the peer, Disco's sweeps, the peer again (each k keeps the
# peer's faster run), and prints WORKDIR/<collection>/report-ann.md. The sweeps time every exact
# algorithm the index supports (EXACT=TermAtATime,MaxScore,BlockMax to choose), the approximate-search
# grid (GRID10, GRID1000) and the block-max block budgets (BLOCKS10, BLOCKS1000). Needs /usr/bin/python3 with
# numpy and numba. Run it on a quiet machine (flock /work/heavy.lock bench/index/ann.sh ...).
set -eu
cd "$(dirname "$0")/../.."
WORK="${1:-/tmp/disco-ann-bench}"
STEP="${2:-all}"
dotnet build -c Release bench/Disco.Index.Bench >/dev/null
BENCH="${BENCH:-bench/Disco.Index.Bench/bin/Release/net10.0/Disco.Index.Bench}"
# name:seed:topics (topics 0: the i.i.d. generator)
for SPEC in c1m:45:2000 i1m:43:0; do
  NAME="${SPEC%%:*}"; REST="${SPEC#*:}"; SEED="${REST%%:*}"; TOPICS="${REST#*:}"
  DIR="$WORK/$NAME"
  mkdir -p "$DIR"
  if [ "$STEP" != search ]; then
    [ -f "$DIR/docs.indptr" ] || "$BENCH" generate "$DIR" 1000000 1000 "$SEED" "$TOPICS"
    [ -f "$DIR/index-plain/meta.json" ] || "$BENCH" build "$DIR" plain float32 ann
    [ -f "$DIR/index-cl/meta.json" ] || "$BENCH" build "$DIR" cl float32 clustered ann
    # Indexes built before disco-ann version 2 keep their postings; only the section is rebuilt.
    for IDX in plain cl; do
      tr -d ' \n' < "$DIR/index-$IDX/meta.json" | grep -q '"format":"disco-ann","version":2' || "$BENCH" ann "$DIR" "$IDX"
      # The block-max section (exact --algorithm blockmax, approximate --ann-blocks), blocks of 64.
      tr -d ' \n' < "$DIR/index-$IDX/meta.json" | grep -q '"format":"disco-blockmax","version":3' || "$BENCH" blockmax "$DIR" "$IDX"
    done
  fi
  if [ "$STEP" != data ]; then
    sync
    # The indexes' pages are dropped from the page cache, so the sweeps map them fresh: Linux 6.x
    # caches pages read through a memory map in 2 MB folios, the pages a build wrote in 4 KB ones
    # (docs/benchmarks.md, "Head-list kernel, session 9": about 1.02-1.05x for approximate search).
    /usr/bin/python3 -c "
import glob, os
for f in glob.glob('$DIR/index-*/*'):
    fd = os.open(f, os.O_RDONLY); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED); os.close(fd)
"
    echo "start $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg); index pages dropped from the page cache" > "$DIR/load.txt"
    /usr/bin/python3 bench/peers/splade_numba.py "$DIR" && cp "$DIR/results-numba.json" "$DIR/results-numba-1.json"
    "$BENCH" sweep "$DIR" plain 10 1000
    "$BENCH" sweep "$DIR" cl 10 1000
    /usr/bin/python3 bench/peers/splade_numba.py "$DIR" && cp "$DIR/results-numba.json" "$DIR/results-numba-2.json"
    echo "end $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$DIR/load.txt"
    { cat "$DIR/load.txt"; "$BENCH" annreport "$DIR"; } | tee "$DIR/report-ann.md"
  fi
done
