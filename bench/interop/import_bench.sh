#!/usr/bin/env bash
# Import benchmark (docs/benchmarks.md, "Interop: SPLADE index import"): a 1M-document index in
# naver/splade's layout is generated under $BENCH_DIR, then, interleaved and repeated, the
# reference's way to open it (peer_load.py: h5py/numpy, everything into memory) and
# `disco index import --from splade` (streamed into a Disco index) run under /usr/bin/time -v.
# Prints postings/s and peak RSS per run, with the load average. Deletes the data at the end.
#   bench/interop/import_bench.sh [DOCS=1000000] [POSTINGS_PER_DOC=120] [REPEATS=2]
set -euo pipefail
DOCS=${1:-1000000}
PER_DOC=${2:-120}
REPEATS=${3:-2}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH_DIR=${BENCH_DIR:-/work/benchdata/interop}
DATA=$BENCH_DIR/splade-$DOCS
PY=/usr/bin/python3
mkdir -p "$BENCH_DIR"
dotnet build -c Release "$ROOT/src/Disco.Cli" -v q -nologo > /dev/null
DISCO="dotnet $ROOT/src/Disco.Cli/bin/Release/net10.0/disco.dll"
[ -f "$DATA/doc_ids.pkl" ] || $PY "$ROOT/bench/interop/make_splade_index.py" "$DOCS" "$PER_DOC" "$DATA"
POSTINGS=$($PY -c "import json,sys; print(sum(json.load(open(sys.argv[1])).values()))" "$DATA/index_dist.json")
echo "index: $DOCS documents, $POSTINGS postings, $(du -sh "$DATA/array_index.h5py" | cut -f1) HDF5"
measure() { # name, command...
  local name=$1; shift
  sync
  /usr/bin/time -v "$@" > "$BENCH_DIR/out.txt" 2> "$BENCH_DIR/time.txt"
  local secs rss
  secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$BENCH_DIR/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$BENCH_DIR/time.txt")
  printf "%-6s %8.1f s %12.0f postings/s %8.0f MB peak RSS   load %s\n" "$name" "$secs" "$(echo "$POSTINGS / $secs" | bc -l)" "$(echo "$rss / 1024" | bc -l)" "$(cut -d' ' -f1-3 /proc/loadavg)"
}
for r in $(seq "$REPEATS"); do
  measure peer $PY "$ROOT/bench/interop/peer_load.py" "$DATA" 30522
  rm -rf "$BENCH_DIR/imported"
  measure disco $DISCO index import --from splade "$DATA" --out "$BENCH_DIR/imported" --vocab "$DATA/vocab.txt"
done
du -sh "$BENCH_DIR/imported" | awk '{print "disco index size: " $1}'
[ "${KEEP:-0}" = 1 ] || rm -rf "$DATA" "$BENCH_DIR/imported" "$BENCH_DIR/out.txt" "$BENCH_DIR/time.txt"
