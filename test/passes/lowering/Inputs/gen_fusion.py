"""Execution cases for nn.fusion, whose body nn-to-linalg inlines: a
matmul + bias + relu group, a group with two results, and a group nested in
another, with NumPy as reference."""

import os
import sys

import numpy as np

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nn_exec import ExecModule, dyadic, parse_args  # noqa: E402


def main() -> None:
    args = parse_args()
    rng = np.random.default_rng(13)
    m = ExecModule()
    a, b, bias = dyadic(rng, 4, 8), dyadic(rng, 8, 6), dyadic(rng, 6)
    m.case("fusion_matmul_bias_relu", [a, b, bias], """
%r0 = nn.fusion (%arg0, %arg1, %arg2) {kind = "matmul_bias_relu"}
    : ({t0}, {t1}, {t2}) -> {r0} {
^bb0(%x: {t0}, %w: {t1}, %c: {t2}):
  %m = nn.matmul %x, %w : ({t0}, {t1}) -> {r0}
  %s = nn.add %m, %c : ({r0}, {t2}) -> {r0}
  %y = nn.relu %s : {r0}
  nn.yield %y : {r0}
}""", [np.maximum(a @ b + bias, 0)])
    x = dyadic(rng, 3, 5)
    m.case("fusion_two_results_nested", [x], """
%r0, %r1 = nn.fusion (%arg0) : ({t0}) -> ({r0}, {r1}) {
^bb0(%v: {t0}):
  %n = nn.neg %v : {t0}
  %inner = nn.fusion (%v, %n) : ({t0}, {t0}) -> {t0} {
  ^bb0(%p: {t0}, %q: {t0}):
    %mx = nn.max %p, %q : ({t0}, {t0}) -> {t0}
    nn.yield %mx : {t0}
  }
  %sum = nn.reduce_sum %inner {axes = array<i64: 1>, keepdims = false}
      : ({t0}) -> {r1}
  nn.yield %inner, %sum : {r0}, {r1}
}""", [np.abs(x), np.abs(x).sum(axis=1)])
    m.write(args.mlir, args.expected)


if __name__ == "__main__":
    main()
