#!/bin/sh
# A/B of approximate (head-list) search: a build of BASE (default: main) against this checkout,
# alternated ROUNDS times on the same index, thread CPU time (docs/benchmarks.md, "Head-list kernel").
#   bench/index/kernel_ab.sh WORKDIR NAME [ROUNDS] [BASE]
# WORKDIR holds queries.* and index-NAME (e.g. hard links of /work/benchdata/ann/c1m); the base's
# bench is built into WORKDIR/base-bench, this checkout's into WORKDIR/head-bench.
# GRID10 (default 30,20:60,100), PASSES (3) and CPUTIME (1) are passed on.
set -eu
dir=$1
name=$2
rounds=${3:-3}
base=${4:-main}
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$tmp/base" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
git -C "$root" worktree add --detach "$tmp/base" "$base" >/dev/null
dotnet build -c Release "$tmp/base/bench/Disco.Index.Bench" -o "$dir/base-bench" >/dev/null
dotnet build -c Release "$root/bench/Disco.Index.Bench" -o "$dir/head-bench" >/dev/null
mkdir -p "$dir/results-ab"
for r in $(seq 1 "$rounds"); do
  for side in base head; do
    echo "# $side, round $r, $(uptime)"
    CPUTIME=${CPUTIME:-1} EXACT=0 PASSES=${PASSES:-3} GRID10=${GRID10:-30,20:60,100} BLOCKS10=${BLOCKS10:-64} RESULTS="$dir/results-ab" \
      "$dir/$side-bench/Disco.Index.Bench" sweep "$dir" "$name" 10 | grep terms | sed "s/^/$side /"
  done
done
