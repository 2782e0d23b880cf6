#!/usr/bin/env bash
# Encoder throughput: Disco (TorchSharp) against PyTorch eager on the same BERT-base-shaped
# SPLADE model, same passages/tokens/batch/threads, in one run. Prints one JSON line per system
# and the ratio. Usage: bench/encode.sh [--passages 16] [--batch 8] [--threads 2] [--experiments]
# --experiments adds variable-length batching and bfloat16 runs (Disco) and a bf16-autocast peer.
set -euo pipefail
cd "$(dirname "$0")/.."
passages=16 batch=8 threads=2 experiments=""
while [ $# -gt 0 ]; do
  case "$1" in
    --passages) passages=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --experiments) experiments="--experiments"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
python=${PYTHON:-/usr/bin/python3}
dotnet build -c Release bench/Disco.Benchmarks -v q --nologo >/dev/null
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# Debian's torch 1.13 has only a generic BLAS (about 2 GFLOP/s); --mkldnn routes its Linear layers
# through oneDNN, which is what a tuned PyTorch build would use, so the peer is not handicapped.
"$python" bench/peers/encode_torch.py --mkldnn --passages "$passages" --batch "$batch" --threads "$threads" | tee -a "$out"
dotnet bench/Disco.Benchmarks/bin/Release/net10.0/Disco.Benchmarks.dll encoder-throughput \
  --passages "$passages" --batch "$batch" --threads "$threads" $experiments | tee -a "$out"
if [ -n "$experiments" ]; then
  "$python" bench/peers/encode_torch.py --mkldnn --bf16 --passages "$passages" --batch "$batch" --threads "$threads" | tee -a "$out"
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
"$python" - "$out" "$threads" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
threads = int(sys.argv[2])
peer = next(r for r in rows if r.get("peer") and not r["bf16"])
for r in rows:
    name = r.get("variant") or ("peer bf16" if r.get("bf16") else "peer fp32")
    gflops = r.get("gflop_per_s") or round(r["passages_per_s"] * 58.0 * r["tokens"] / 256, 1)
    print(f"{name:40s} {r['passages_per_s']:8.4f} passages/s  {gflops:6.1f} GFLOP/s "
          f"({100 * gflops / (270 * threads):4.1f}% of fp32 peak)  ratio vs peer fp32: {r['passages_per_s'] / peer['passages_per_s']:.2f}")
PY
