#!/usr/bin/env bash
# Rebuilds Kiln's default CPU cost model, costmodel/data/models/cpu, on this
# machine: exports the training models (costmodel/data/export_models.py),
# measures this CPU (kiln-cost fingerprint), times every kernel of those
# models under the candidate schedules (kiln-cost collect; resumable: run
# again to go on), fits the model (kiln-cost train), and writes the
# held-out evaluation (kiln-cost eval) beside it.
#
# Usage: scripts/train_cost_model.sh [BUDGET_MINUTES]   (default 30)
# The measurements stay in build/cost-data/cache (KILN_COST_WORK overrides
# build/cost-data); run on a quiet machine: other load skews the timings.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${KILN_BUILD_DIR:-$root/build}"
work="${KILN_COST_WORK:-$build/cost-data}"
budget="${1:-30}"
out="$root/costmodel/data/models/cpu"
export KILN_CACHE_DIR="$work/cache"

mkdir -p "$work"
/usr/bin/python3 "$root/costmodel/data/export_models.py" train "$work/train" \
  2>&1 | grep '^wrote' || true
[ -f "$KILN_CACHE_DIR/cpu.json" ] || "$build/bin/kiln-cost" fingerprint
"$build/bin/kiln-cost" collect "$work"/train/*.onnx --budget-minutes "$budget"
"$build/bin/kiln-cost" train -o "$out"
cp "$KILN_CACHE_DIR/cpu.json" "$out/target.json"
"$build/bin/kiln-cost" eval | tee "$out/eval.txt"
