#!/usr/bin/env bash
# Builds the ONNX importer's libFuzzer target in a clang build directory,
# replays the regression corpus (test/fuzz/corpus: every file must import
# or be rejected without a crash), then fuzzes for SECONDS starting from
# ONNX's node test models and the regression corpus. Prints
# `fuzz: N runs, C crashes` and exits non-zero on any crash, timeout or
# memory blow-up; the offending input is left in BUILD_DIR/fuzz-artifacts/.
#
# Usage: test/fuzz/run_fuzz.sh [BUILD_DIR] [SECONDS]
#   (defaults: build-fuzz, 60; KILN_FUZZ_JOBS sets the build's parallelism)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build_dir="${1:-$root/build-fuzz}"
seconds="${2:-60}"
fuzzer="$build_dir/bin/kiln-onnx-import-fuzzer"
regressions="$root/test/fuzz/corpus"
seeds_src=/usr/share/libonnx-testdata/data/node

launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache
            -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
start=$SECONDS
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
  -DKILN_BUILD_FUZZERS=ON "${launcher[@]}" >/dev/null
cmake --build "$build_dir" --target kiln-onnx-import-fuzzer \
  -j "${KILN_FUZZ_JOBS:-$(nproc)}"
echo "fuzz: build took $((SECONDS - start)) s"

# Each input gets its own MLIRContext and import; bound time and memory so
# that a model declaring huge tensors is a finding, not a stuck CI job.
limits=(-timeout=20 -rss_limit_mb=2560 -malloc_limit_mb=2048)
artifacts="$build_dir/fuzz-artifacts"
mkdir -p "$artifacts"
# Leak reports on exit are not findings of this target; libMLIR.so and
# libonnx keep global registries alive on purpose.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"

echo "fuzz: replaying $(find "$regressions" -type f | wc -l) regression inputs"
"$fuzzer" "${limits[@]}" -artifact_prefix="$artifacts/" \
  "$regressions"/* >"$build_dir/fuzz-replay.log" 2>&1 || {
  tail -n 60 "$build_dir/fuzz-replay.log"
  echo "fuzz: a regression input crashed (see $build_dir/fuzz-replay.log)"
  exit 1
}

# Seeds: ONNX's node test models, copied here and not into the repository.
seeds="$build_dir/fuzz-seeds"
mkdir -p "$seeds"
if [ -d "$seeds_src" ]; then
  for model in "$seeds_src"/*/model.onnx; do
    name="$(basename "$(dirname "$model")")"
    [ -e "$seeds/$name.onnx" ] || cp "$model" "$seeds/$name.onnx"
  done
fi
# New coverage lands in the first directory and is kept for the next run.
corpus="$build_dir/fuzz-corpus"
mkdir -p "$corpus"

log="$build_dir/fuzz.log"
status=0
"$fuzzer" "${limits[@]}" -max_len=65536 -max_total_time="$seconds" \
  -print_final_stats=1 -artifact_prefix="$artifacts/" \
  -dict="$root/test/fuzz/onnx.dict" "$corpus" "$seeds" "$regressions" \
  >"$log" 2>&1 || status=$?

runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)"
crashes=0
if [ "$status" -ne 0 ]; then
  crashes=1
  tail -n 60 "$log"
  sed -n 's/^.*Test unit written to /fuzz: crashing input: /p' "$log"
fi
echo "fuzz: ${runs:-0} runs (${rate:-0}/s), $crashes crashes"
exit "$status"
