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
blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3)
case "$blas" in *openblas*) ;; *) echo "libblas.so.3 is $blas, not OpenBLAS: apt-get install libopenblas0-pthread" >&2; exit 1 ;; esac
echo "libblas.so.3 -> $blas"
dotnet build -c Release bench/Disco.Benchmarks -v q --nologo >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$python" bench/peers/rerank_torch.py --write-pairs "$work/pairs.json" --pairs "$pairs"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$rounds"); do
  "$python" bench/peers/rerank_torch.py --pairs-file "$work/pairs.json" --batch "$batch" --threads "$threads" | tee -a "$work/out"
  dotnet bench/Disco.Benchmarks/bin/Release/net10.0/Disco.Benchmarks.dll rerank-throughput \
    --pairs-file "$work/pairs.json" --batch "$batch" --threads "$threads" | tee -a "$work/out"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
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
