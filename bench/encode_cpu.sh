#!/usr/bin/env bash
# CPU encoder speed (issue 12): PyTorch eager (Debian's torch 1.13, OpenBLAS) against Disco's CPU modes
# on the same BERT-base-shaped random SPLADE model (256 tokens, batch 8, 2 threads), interleaved
# round by round (peer, Disco, peer, Disco, ...), best of the rounds per system, with the load average
# before and after. Disco modes: TorchSharp fp32 (exact, fused SDPA attention), TorchSharp bf16,
# ONNX Runtime fp32 (Disco's export, all graph fusions), ONNX Runtime int8 (dynamic quantization).
# Non-exact modes print their agreement with fp32 (relative L2 error, top-100 term overlap).
# Usage: bench/encode_cpu.sh [--passages 8] [--rounds 2] [--threads 2]
set -euo pipefail
cd "$(dirname "$0")/.."
passages=8 rounds=2 threads=2 batch=8
while [ $# -gt 0 ]; do
  case "$1" in
    --passages) passages=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
python=${PYTHON:-/usr/bin/python3}
. bench/interleave.sh
require_openblas
build_benchmarks
out=$(mktemp)
trap 'rm -f "$out"' EXIT
peer_round() { "$python" bench/peers/encode_torch.py --passages "$passages" --batch "$batch" --threads "$threads"; }
disco_round() { dotnet "$BENCHMARKS_DLL" encoder-throughput --passages "$passages" --batch "$batch" --threads "$threads" --onnx --bf16; }
interleave "$rounds" "$out"
"$python" - "$out" "$threads" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
threads = int(sys.argv[2])
best = {}
for r in rows:
    name = r.get("variant") or "pytorch eager fp32 (OpenBLAS)"
    if name not in best or r["passages_per_s"] > best[name]["passages_per_s"]:
        best[name] = r
peer = best["pytorch eager fp32 (OpenBLAS)"]["passages_per_s"]
peak = 270 * threads
print(f"{'system':34s} {'passages/s':>10s} {'GFLOP/s':>8s} {'% fp32 peak':>11s} {'vs PyTorch':>10s}  accuracy vs fp32")
for name, r in best.items():
    gflops = r["passages_per_s"] * 58.0 * r["tokens"] / 256
    acc = f"rel. L2 {r['relative_l2_error']:.4f}, top-100 overlap {r['top100_overlap']:.3f}" if "relative_l2_error" in r else ""
    print(f"{name:34s} {r['passages_per_s']:10.3f} {gflops:8.1f} {100 * gflops / peak:10.1f}% {r['passages_per_s'] / peer:9.2f}x  {acc}")
PY
