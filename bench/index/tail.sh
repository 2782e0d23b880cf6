#!/bin/sh
# Block-max's long tail (issue 16, docs/benchmarks.md "Block-max's long tail"): per query, exact
# term-at-a-time, exact block-max (named: never hands over) and `auto` (block-max handing a query
# over to term-at-a-time when more than BlockMaxSearch.HandOverFraction of the blocks stay open),
# run in a random order per query and pass, each query's fastest of PASSES (thread CPU time), every
# hit compared with term-at-a-time; with the blocks left after block-max's first phase per query in
# RESULTS/tail-NAME-K.csv. On an index whose section `auto` uses (clustering <= 0.85, k <= 32), main's
# `auto` was the named block-max; elsewhere it was, and stays, term-at-a-time.
# Usage: bench/index/tail.sh DIR NAME K... (DIR holds queries.* and index-NAME with a block-max section)
#   e.g. flock /work/heavy.lock bench/index/tail.sh /work/benchdata/ann/c1m cl 10 32 100 1000
set -eu
cd "$(dirname "$0")/../.."
DIR="$1"
NAME="$2"
shift 2
OUT="${RESULTS:-/tmp/disco-tail}"
mkdir -p "$OUT"
nice -n 19 dotnet build -c Release bench/Disco.Index.Bench -o "$OUT/bin" >/dev/null
uptime
CPUTIME=1 PASSES="${PASSES:-3}" RESULTS="$OUT" "$OUT/bin/Disco.Index.Bench" tail "$DIR" "$NAME" "$@"
uptime
