# Shared by bench/encode_cpu.sh and bench/rerank.sh (sourced from the repository root, not run):
# the PyTorch peer's BLAS check, the Release build of Disco.Benchmarks, and the interleaved rounds
# (peer, Disco, peer, Disco, ...) with the load average before and after, so that both systems
# see the same machine load (docs/benchmarks.md).

BENCHMARKS_DLL=bench/Disco.Benchmarks/bin/Release/net10.0/Disco.Benchmarks.dll

# Debian's torch is built against the generic libblas.so.3; the alternative must point at OpenBLAS
# (libopenblas0-pthread), else the peer runs ~50x slower and every ratio is meaningless.
require_openblas() {
  blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3)
  case "$blas" in *openblas*) ;; *) echo "libblas.so.3 is $blas, not OpenBLAS: apt-get install libopenblas0-pthread" >&2; exit 1 ;; esac
  echo "libblas.so.3 -> $blas"
  # The peer's best configuration on this machine: torch's own intra-op threads over a single-threaded
  # OpenBLAS. With OpenBLAS's default (one thread per core) under torch's threads the two pools
  # oversubscribe the cores and the peer runs 2-3x slower (measured 2026-12-01: 0.64 against 1.30
  # passages/s at 2 threads), which would flatter every ratio against it.
  export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
  echo "OPENBLAS_NUM_THREADS=$OPENBLAS_NUM_THREADS"
}

build_benchmarks() {
  dotnet build -c Release bench/Disco.Benchmarks -v q --nologo >/dev/null
}

# interleave ROUNDS OUT: calls the caller's peer_round and disco_round functions in turn, ROUNDS
# times, showing each one's output and appending it to OUT (JSON lines for the caller's summary).
interleave() {
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  for round in $(seq "$1"); do
    peer_round | tee -a "$2"
    disco_round | tee -a "$2"
  done
  echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
}
