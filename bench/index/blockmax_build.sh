#!/bin/sh
# The block-max build with and without its size-planning pass (issue 16 follow-up, docs/benchmarks.md
# "Block-max section size"): rebuilds the section of DIR/index-NAME (made by `Disco.Index.Bench build`)
# ROUNDS times each way, interleaved, with one binary: "planned" sets a limit far above any section
# (LIMIT, so the pass runs, as every build did before the pass became conditional), "unplanned" sets
# none (the pass is skipped when the disk's free space holds the upper bound). Both write the same
# bytes (BlockMaxTests). Prints the verb's own build time and the process's CPU and wall time. Each build replaces the section's files in DIR/index-NAME: run it on a copy
# of an index whose section you don't mind rebuilding (a hard-linked copy is enough: the build writes
# new files and only unlinks the old ones).
# Usage: bench/index/blockmax_build.sh DIR NAME [ROUNDS]   (default 3 rounds)
set -eu
cd "$(dirname "$0")/../.."
DIR="$1"
NAME="$2"
ROUNDS="${3:-3}"
dotnet build -c Release bench/Disco.Index.Bench >/dev/null
BENCH=bench/Disco.Index.Bench/bin/Release/net10.0/Disco.Index.Bench
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$ROUNDS"); do
  printf 'planned   '
  LIMIT=1000000000000000 /usr/bin/time -f '          cpu %U user %S sys, %e s wall' "$BENCH" blockmax "$DIR" "$NAME"
  printf 'unplanned '
  /usr/bin/time -f '          cpu %U user %S sys, %e s wall' "$BENCH" blockmax "$DIR" "$NAME"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
