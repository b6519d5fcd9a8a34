#!/bin/sh
# The CPU benchmark in one command: Kiln against ONNX Runtime
# (bench/README.md).
#
#   bench/run.sh [bench.py options]     e.g. --models mlp,resnet18 --output -
#
# Makes build/bench-venv (Debian's /usr/bin/python3 -m venv, no system site
# packages) with the pinned bench/requirements.txt, exports the models with
# the system Python's torch/torchvision into build/bench-models, and runs
# bench/bench.py, which writes docs/benchmarks.md. Kiln's tools come from
# build/bin (or KILN_TOOLS_DIR).
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
venv="$repo/build/bench-venv"
models="$repo/build/bench-models"
stamp="$venv/requirements.txt"

if [ ! -x "$venv/bin/python" ] ||
   ! cmp -s "$repo/bench/requirements.txt" "$stamp"; then
  echo "== creating $venv" >&2
  rm -rf "$venv"
  /usr/bin/python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check \
    -r "$repo/bench/requirements.txt"
  cp "$repo/bench/requirements.txt" "$stamp"
fi

# Re-export when the exporters change (or a model is missing).
need_export=0
for m in resnet18 mobilenet_v2 mlp encoder mobilenet_v3_small \
         efficientnet_b0; do
  [ -f "$models/$m.onnx" ] || need_export=1
done
for f in "$repo/bench/export.py" "$repo/costmodel/data/export_models.py"; do
  [ -f "$models/.stamp" ] && [ "$f" -ot "$models/.stamp" ] || need_export=1
done
if [ "$need_export" = 1 ]; then
  echo "== exporting models to $models" >&2
  /usr/bin/python3 "$repo/bench/export.py" "$models" >&2
  touch "$models/.stamp"
fi

command="bench/run.sh${*:+ $*}"
# NumPy's OpenBLAS (only used to make inputs) would otherwise keep worker
# threads that compete with both engines for the two cores.
export OPENBLAS_NUM_THREADS=1
exec "$venv/bin/python" "$repo/bench/bench.py" --command "$command" "$@"
