#!/usr/bin/env bash
# Cross-encoder reranking speed (issue 14): pairs/s of disco's CrossEncoder (TorchSharp fp32,
# length-sorted batches of 32) against PyTorch eager (Debian's torch 1.13 with OpenBLAS) on the same
# MiniLM-L6-shaped BertForSequenceClassification (random weights) and the same MS MARCO-like pairs
# (query 6-14 wordpieces, passage 40-200), 2 threads, interleaved round by round (peer, disco, ...),
# best of the rounds per system, with the load average before and after.
# Usage: bench/rerank.sh [--pairs 512] [--rounds 3] [--threads 2]
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=512 rounds=3 threads=2 batch=32
while [ $# -gt 0 ]; do
  case "$1" in
    --pairs) pairs=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
python=${PYTHON:-/usr/bin/python3}
. bench/interleave.sh
require_openblas
build_benchmarks
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$python" bench/peers/rerank_torch.py --write-pairs "$work/pairs.json" --pairs "$pairs"
peer_round() { "$python" bench/peers/rerank_torch.py --pairs-file "$work/pairs.json" --batch "$batch" --threads "$threads"; }
disco_round() { dotnet "$BENCHMARKS_DLL" rerank-throughput --pairs-file "$work/pairs.json" --batch "$batch" --threads "$threads"; }
interleave "$rounds" "$work/out"
"$python" - "$work/out" <<'PY'
import json, sys
best = {}
for r in (json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")):
    if r["system"] not in best or r["pairs_per_s"] > best[r["system"]]["pairs_per_s"]:
        best[r["system"]] = r
peer = best["pytorch eager fp32 (OpenBLAS)"]["pairs_per_s"]
print(f"{'system':32s} {'pairs/s':>9s} {'vs PyTorch':>10s}")
for name, r in best.items():
    print(f"{name:32s} {r['pairs_per_s']:9.1f} {r['pairs_per_s'] / peer:9.2f}x")
PY
