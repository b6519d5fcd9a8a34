#!/usr/bin/env bash
# Formats every C++ file in the repository in place with clang-format (LLVM
# style, see .clang-format). The test suite's clang-format check uses the same
# file set.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
clang_format="$(command -v clang-format-22 || command -v clang-format)"
git ls-files -z -- '*.cpp' '*.h' | xargs -0 -r "$clang_format" -i
