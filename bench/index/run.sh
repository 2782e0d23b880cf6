#!/bin/sh
# Index and search benchmark: Disco against SPLADE's numba reference on the same synthetic
# collections, in one run. Usage: bench/index/run.sh [WORKDIR]   (default /tmp/disco-index-bench)
# Needs /usr/bin/python3 with numpy and numba (Debian python3-numba). Writes WORKDIR/<docs>/report.md.
set -eu
cd "$(dirname "$0")/../.."
WORK="${1:-/tmp/disco-index-bench}"
dotnet build -c Release bench/Disco.Index.Bench >/dev/null
BENCH=bench/Disco.Index.Bench/bin/Release/net10.0/Disco.Index.Bench
for SPEC in 100000:42 1000000:43; do
  DOCS="${SPEC%%:*}"; SEED="${SPEC##*:}"
  DIR="$WORK/$DOCS"
  mkdir -p "$DIR"
  [ -f "$DIR/docs.indptr" ] || "$BENCH" generate "$DIR" "$DOCS" 300 "$SEED"
  "$BENCH" build "$DIR" float32 float32
  "$BENCH" build "$DIR" uint8 uint8
  # Write the new index files back before timing anything, so disk writeback does not overlap the searches.
  sync
  /usr/bin/python3 bench/peers/splade_numba.py "$DIR"
  "$BENCH" search "$DIR" float32
  "$BENCH" search "$DIR" uint8
  "$BENCH" report "$DIR" | tee "$DIR/report.md"
done
