#!/bin/sh
# Training-step benchmark: disco train (TorchSharp) vs the same DiSCo step in plain PyTorch, on a
# random BERT-base-shaped checkpoint, documents re-encoded each step vs cached. Run from the repo root:
#   sh bench/train_step.sh [WORK_DIR]
# Prints one JSON line per system; docs/benchmarks.md (## Training) holds the ratios.
set -eu
WORK=${1:-/tmp/disco-train-bench}
PY=/usr/bin/python3
mkdir -p "$WORK"
[ -f "$WORK/model/pytorch_model.bin" ] || $PY bench/peers/train_step_torch.py prepare "$WORK/model"
dotnet build -c Release src/Disco.Cli -v q -nologo >/dev/null
DISCO="dotnet src/Disco.Cli/bin/Release/net10.0/disco.dll"
D="$WORK/model/data"
for mode in recompute cached; do
  flag=""; [ "$mode" = recompute ] && flag="--no-doc-cache"
  rm -rf "$WORK/out-$mode"
  # Steps 2..5 are timed (step 1 also fills the cache); batch 2 x 4 candidates, as the peer.
  $DISCO train disco --queries "$D/queries.tsv" --collection "$D/collection.tsv" --qrels "$D/qrels.txt" \
    --teacher-run "$D/teacher.json" --query-model "$WORK/model" --out "$WORK/out-$mode" \
    --batch-size 2 --negatives 3 --rank-window 0:10 --max-steps 5 --warmup-ratio 0 $flag >/dev/null
done
$PY - "$WORK" <<'PYEOF'
import json, sys
work = sys.argv[1]
res = {"system": "disco (TorchSharp)"}
for mode in ("recompute", "cached"):
    steps = [json.loads(l) for l in open(f"{work}/out-{mode}/log.jsonl") if '"step_seconds"' in l]
    t = sorted(s["step_seconds"] for s in steps[1:])
    res[mode + "_median_s"] = t[len(t) // 2]
print(json.dumps(res))
PYEOF
$PY bench/peers/train_step_torch.py bench "$WORK/model"
