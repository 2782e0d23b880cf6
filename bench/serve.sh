#!/usr/bin/env bash
# Server throughput: POST /v1/search (conversations, k 10) over loopback against the same queries
# run in-process through the library, at 1, 8 and 32 concurrent clients, interleaved, on the tiny
# fixture and on a BERT-base-shaped random model. Prints one JSON line per run and a summary table.
# Usage: bench/serve.sh [--seconds 5] [--base-seconds 30] [--repeats 2] [--threads 2] [--request-timeout-s 600]
# The server runs with a request timeout of --request-timeout-s (default 600 s, not disco serve's
# 30 s): at 32 clients a BERT-base request queues behind the others' encodings, and the benchmark
# measures throughput, not the limit (a 504 would leave the cell empty).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=5 base_seconds=30 repeats=2 threads=2 request_timeout_s=600
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --base-seconds) base_seconds=$2; shift 2 ;;
    --repeats) repeats=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --request-timeout-s) request_timeout_s=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
work=${DISCO_BENCH_WORK:-/work/benchdata/serve}
mkdir -p "$work"
dotnet build -c Release bench/Disco.Benchmarks -v q --nologo >/dev/null
out=$(mktemp)
trap 'rm -f "$out"' EXIT
bench=bench/Disco.Benchmarks/bin/Release/net10.0/Disco.Benchmarks.dll
dotnet "$bench" serve-throughput --model tiny --seconds "$seconds" --repeats "$repeats" --threads "$threads" --request-timeout-s "$request_timeout_s" --work "$work" --shared ../shared | tee -a "$out"
dotnet "$bench" serve-throughput --model base --seconds "$base_seconds" --repeats "$repeats" --threads "$threads" --request-timeout-s "$request_timeout_s" --work "$work" | tee -a "$out"
/usr/bin/python3 - "$out" <<'PY'
import json, sys, statistics
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
print(f"{'model':6s} {'clients':>7s} {'library req/s':>14s} {'http req/s':>11s} {'http/library':>12s} {'lib p50/p99 ms':>16s} {'http p50/p99 ms':>16s}")
for model in dict.fromkeys(r["model"] for r in rows):
    for c in dict.fromkeys(r["clients"] for r in rows if r["model"] == model):
        best = {m: max((r for r in rows if r["model"] == model and r["clients"] == c and r["mode"] == m), key=lambda r: r["requests_per_s"]) for m in ("library", "http")}
        lib, http = best["library"], best["http"]
        print(f"{model:6s} {c:7d} {lib['requests_per_s']:14.1f} {http['requests_per_s']:11.1f} {http['requests_per_s'] / lib['requests_per_s']:12.2f} "
              f"{lib['p50_ms']:7.1f}/{lib['p99_ms']:<8.1f} {http['p50_ms']:7.1f}/{http['p99_ms']:<8.1f}")
PY
