#!/usr/bin/env bash
# Sets everything up, builds Kiln and runs every test: the lit suite (tools,
# dialects, passes, the pass-plugin example), the GoogleTest unit tests and
# the clang-format check, all through CTest.
#
# Usage: scripts/test.sh [BUILD_DIR]   (default: build)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${1:-$root/build}"

"$root/scripts/setup.sh" "$build_dir"
echo "test: building"
cmake --build "$build_dir" -j2
echo "test: running CTest (lit, unit tests, formatting)"
ctest --test-dir "$build_dir" --output-on-failure -V
