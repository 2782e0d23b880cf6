#!/bin/sh
# The whole job a user runs, on both sides (docs/benchmarks.md, "Whole job"): read the query
# vectors JSONL, search (exact, one thread), write the TREC run; timed from process start to the
# run on disk. Usage:
#   bench/index/job.sh WORKDIR [DATA]     (DATA default /work/benchdata/ann/c1m)
# DATA is a Disco.Index.Bench collection (CSR files, index-plain, index-cl; bench/index/ann.sh
# makes them; nothing there is rebuilt or written). WORKDIR gets the queries as vectors JSONL
# (tokens spelled as the index's vocabulary), the peer's posting arrays (once, untimed), the runs,
# times.txt and report-job.md. REPEATS (default 3) rounds, interleaved: for k in 10 and 1000, the
# Python peer (bench/peers/splade_job.py), then `disco search` on each index in INDEXES (default
# "plain cl"); each system keeps its fastest round. One untimed round first warms the page cache and
# numba's compile cache. Needs /usr/bin/python3 with numpy and numba. Run it on a quiet machine:
#   flock /work/heavy.lock bench/index/job.sh /work/benchdata/job/c1m
set -eu
cd "$(dirname "$0")/../.."
WORK="$1"
DATA="${2:-/work/benchdata/ann/c1m}"
REPEATS="${REPEATS:-3}"
INDEXES="${INDEXES:-plain cl}"
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
dotnet build -c Release bench/Disco.Index.Bench >/dev/null
dotnet build -c Release src/Disco.Cli >/dev/null
BENCH=bench/Disco.Index.Bench/bin/Release/net10.0/Disco.Index.Bench
DISCO=src/Disco.Cli/bin/Release/net10.0/disco
PEER="/usr/bin/python3 bench/peers/splade_job.py"
export NUMBA_CACHE_DIR="$WORK/numba-cache"
[ -f "$WORK/queries.jsonl" ] || "$BENCH" queryjsonl "$DATA" "$WORK/queries.jsonl"
[ -f "$WORK/numba-index/doc_ids.json" ] || $PEER prepare "$DATA" "$WORK/numba-index"

# job NAME K COMMAND...: one timed whole job; appends "NAME K MILLISECONDS LOAD1 LOAD5 LOAD15" to times.txt.
job() {
  name="$1"; k="$2"; shift 2
  start=$(date +%s%N)
  "$@" 2> "$WORK/$name-k$k.err"
  end=$(date +%s%N)
  echo "$name $k $(( (end - start) / 1000000 )) $(cut -d' ' -f1-3 /proc/loadavg)" >> "$WORK/times.txt"
}
peer() { job numba "$1" $PEER run "$WORK/numba-index" "$WORK/queries.jsonl" "$1" "$WORK/numba-k$1.trec"; }
disco() { job "disco-$2" "$1" "$DISCO" search --index "$DATA/index-$2" --queries "$WORK/queries.jsonl" -k "$1" --threads 1 --out "$WORK/disco-$2-k$1.trec"; }

sync
: > "$WORK/times.txt"
echo "start $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)" > "$WORK/load.txt"
peer 10
for i in $INDEXES; do disco 10 "$i"; done
: > "$WORK/times.txt"
r=0
while [ "$r" -lt "$REPEATS" ]; do
  for k in 10 1000; do
    peer "$k"
    for i in $INDEXES; do disco "$k" "$i"; done
  done
  r=$((r + 1))
done
echo "end $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)" >> "$WORK/load.txt"
{ cat "$WORK/load.txt"; /usr/bin/python3 bench/index/job_report.py "$WORK" $INDEXES; } | tee "$WORK/report-job.md"
