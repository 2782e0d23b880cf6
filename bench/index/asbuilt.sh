#!/bin/sh
# An index as its build leaves it in the page cache, against the same index read fresh
# (docs/benchmarks.md, "Reading against the goals, after session 10").
#   bench/index/asbuilt.sh WORKDIR [ROUNDS]
# WORKDIR/c1m holds queries.*, index-cl and index-plain (bench/index/ann.sh WORKDIR data). A copy of
# index-cl has its pages cached by the copy's writes (4 KB folios on Linux 6.18's ext4), while the
# original's, read through a memory map after a drop, sit in 2 MB folios. Each round sweeps the copy,
# then the original and the plain index: term-at-a-time and the points at recall 0.97, thread CPU time.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$1/c1m
rounds=${2:-3}
dotnet build -c Release "$root/bench/Disco.Index.Bench" >/dev/null
bench=$root/bench/Disco.Index.Bench/bin/Release/net10.0/Disco.Index.Bench
copy=$1/c1m-asbuilt
rm -rf "$copy"; mkdir -p "$copy"
trap 'rm -rf "$copy"' EXIT
cp -al "$dir"/queries.* "$copy"/
cp -r "$dir/index-cl" "$copy/index-cl"
sync; sleep 20
for r in $(seq 1 "$rounds"); do
  echo "round $r $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"
  CPUTIME=1 EXACT=TermAtATime GRID10=25,20:70,100 BLOCKS10= RESULTS="$copy" "$bench" sweep "$copy" cl 10 | sed 's/^/as-built /'
  CPUTIME=1 EXACT=TermAtATime GRID10=25,20:70,100 BLOCKS10= RESULTS="$copy" "$bench" sweep "$dir" cl 10 | sed 's/^/fresh /'
  CPUTIME=1 EXACT=TermAtATime GRID10=25:70 BLOCKS10= RESULTS="$copy" "$bench" sweep "$dir" plain 10 | sed 's/^/fresh /'
done
