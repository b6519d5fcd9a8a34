#!/usr/bin/env bash
# The cost model's whole-model check: exports ResNet-18, MobileNetV2, the MLP
# and the Transformer encoder (none of them among the training models) and
# runs `kiln-cost MODEL --measure` on each: every layer and the whole model
# measured on this CPU next to the prediction. Prints one summary line per
# model (predicted, measured, ratio); the tables go to build/cost-data/check.
#
# Usage: scripts/check_cost_model.sh
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${KILN_BUILD_DIR:-$root/build}"
work="${KILN_COST_WORK:-$build/cost-data}"
export KILN_CACHE_DIR="${KILN_CACHE_DIR:-$work/cache}"

mkdir -p "$work/check"
/usr/bin/python3 "$root/costmodel/data/export_models.py" check "$work/check" \
  2>&1 | grep '^wrote' || true
for model in resnet18 mobilenet_v2 mlp encoder; do
  "$build/bin/kiln-cost" "$work/check/$model.onnx" --measure \
    > "$work/check/$model.txt" 2>/dev/null
  echo "$model: $(tail -1 "$work/check/$model.txt")"
done
