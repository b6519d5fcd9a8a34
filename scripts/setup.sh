#!/usr/bin/env bash
# Installs every Debian package Kiln needs and configures the build tree.
# Idempotent: safe to run again; packages already present are left alone and an
# existing build directory is reconfigured in place.
#
# Usage: scripts/setup.sh [BUILD_DIR]   (default: build)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${1:-$root/build}"

# One list, grouped as in DESIGN.md's dependency table. Later issues add here.
packages=(
  # LLVM / MLIR 22, lit, FileCheck, formatting
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-format-22
  # build
  cmake ninja-build ccache g++ git
  # unit tests; clang + libFuzzer/sanitizer runtimes for test/fuzz
  libgtest-dev clang-22 libclang-rt-22-dev
  # frontends and cost model (used from the ONNX, TorchScript and cost-model issues on)
  libtorch-dev libonnx-dev libprotobuf-dev libxgboost-dev libsqlite3-dev libomp-22-dev
  # Python side: model export for tests, Python API
  python3 python3-torch python3-torchvision python3-onnx python3-numpy python3-pytest
  pybind11-dev
  # real test data
  libonnx-testdata dataset-fashion-mnist
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${#missing[@]} Debian packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq \
    --no-install-recommends "${missing[@]}"
else
  echo "setup: all ${#packages[@]} Debian packages present"
fi

echo "setup: configuring $build_dir"
cmake -S "$root" -B "$build_dir" -G Ninja \
  -DCMAKE_BUILD_TYPE="${KILN_BUILD_TYPE:-Release}" \
  -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
  -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
echo "setup: done (build with: cmake --build $build_dir -j2)"
