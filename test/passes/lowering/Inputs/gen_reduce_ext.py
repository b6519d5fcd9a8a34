"""Execution cases for reduce_min, reduce_prod, argmax, argmin and
gather_elements (negative indices, integers), with NumPy
and PyTorch as reference: every axis combination with and without keepdims,
NaN propagation in reduce_min, integer inputs, ties (first index, or the last
with select_last_index), NaN in argmax/argmin (the first NaN wins, as in
NumPy; the last with select_last_index, as in ONNX's reference) and dynamic
sizes."""

import os
import sys

import numpy as np
import torch

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nn_exec import ExecModule, dyadic, parse_args, uniform  # noqa: E402


def arg_reduce(x: np.ndarray, axis: int, keep: bool, last: bool,
               is_max: bool) -> np.ndarray:
    """ONNX ArgMax/ArgMin as its reference computes it: NumPy's arg function,
    on the flipped axis for select_last_index."""
    fn = np.argmax if is_max else np.argmin
    if last:
        flipped = np.flip(x, axis)
        result = x.shape[axis] - 1 - fn(flipped, axis=axis)
    else:
        result = fn(x, axis=axis)
    if keep:
        result = np.expand_dims(result, axis)
    return result.astype(np.int64)


def add_reduce_cases(m: ExecModule, rng: np.random.Generator) -> None:
    body = ("%r0 = nn.{op} %arg0 {{axes = array<i64: {axes}>, "
            "keepdims = {keep}}} : ({{t0}}) -> {{r0}}")
    xn = uniform(rng, 3, 4, 5)
    xn[1, 2, 3] = np.nan
    # Values near 1 keep the products of up to 60 factors well inside f32.
    xp = uniform(rng, 3, 4, 5, low=0.8, high=1.25)
    xp[0, 1, 2] = -xp[0, 1, 2]
    for op, value in [("reduce_min", xn), ("reduce_prod", xp)]:
        for axes in ((1,), (0, 2), (0, 1, 2)):
            for keep in (True, False):
                if op == "reduce_min":
                    expected = torch.amin(torch.from_numpy(value).double(),
                                          dim=axes, keepdim=keep).numpy()
                else:
                    expected = np.prod(value.astype(np.float64), axis=axes,
                                       keepdims=keep)
                m.case(f"{op}_{''.join(map(str, axes))}_{int(keep)}", [value],
                       body.format(op=op, axes=", ".join(map(str, axes)),
                                   keep=str(keep).lower()),
                       [np.asarray(expected, dtype=np.float32)])
    xi = rng.integers(-5, 6, size=(4, 6)).astype(np.int32)
    m.case("reduce_min_int", [xi],
           body.format(op="reduce_min", axes="1", keep="false"),
           [xi.min(axis=1).astype(np.int32)])
    m.case("reduce_prod_int", [xi],
           body.format(op="reduce_prod", axes="0", keep="true"),
           [np.prod(xi, axis=0, keepdims=True).astype(np.int32)])
    x = dyadic(rng, 3, 4)
    m.case("reduce_min_dynamic", [x],
           body.format(op="reduce_min", axes="1", keep="true"),
           [x.min(axis=1, keepdims=True)],
           arg_types=["tensor<?x?xf32>"], result_types=["tensor<?x1xf32>"])


def add_arg_cases(m: ExecModule, rng: np.random.Generator) -> None:
    body = ("%r0 = nn.{op} %arg0 {{axis = {axis} : i64, keepdims = {keep}, "
            "select_last_index = {last}}} : ({{t0}}) -> {{r0}}")
    # Few distinct values: ties everywhere.
    x = rng.integers(-2, 3, size=(3, 4, 5)).astype(np.float32)
    for op in ("argmax", "argmin"):
        for axis in (0, 1, 2):
            for keep in (True, False):
                for last in (False, True):
                    expected = arg_reduce(x, axis, keep, last, op == "argmax")
                    m.case(f"{op}_{axis}_{int(keep)}_{int(last)}", [x],
                           body.format(op=op, axis=axis,
                                       keep=str(keep).lower(),
                                       last=str(last).lower()), [expected])
    xn = uniform(rng, 2, 6)
    xn[0, 1] = xn[0, 4] = np.nan
    for op in ("argmax", "argmin"):
        for last in (False, True):
            m.case(f"{op}_nan_{int(last)}", [xn],
                   body.format(op=op, axis=1, keep="false",
                               last=str(last).lower()),
                   [arg_reduce(xn, 1, False, last, op == "argmax")])
    xi = rng.integers(-3, 4, size=(5, 4)).astype(np.int32)
    for op in ("argmax", "argmin"):
        m.case(f"{op}_int", [xi],
               body.format(op=op, axis=0, keep="true", last="true"),
               [arg_reduce(xi, 0, True, True, op == "argmax")])
    x = dyadic(rng, 3, 7)
    m.case("argmax_dynamic", [x],
           body.format(op="argmax", axis=1, keep="true", last="false"),
           [arg_reduce(x, 1, True, False, True)],
           arg_types=["tensor<?x?xf32>"], result_types=["tensor<?x1xi64>"])


def add_gather_elements_cases(m: ExecModule,
                              rng: np.random.Generator) -> None:
    body = ("%r0 = nn.gather_elements %arg0, %arg1 {{axis = {axis} : i64}} "
            ": ({{t0}}, {{t1}}) -> {{r0}}")
    x = uniform(rng, 3, 4, 5)
    for axis in (0, 1, 2):
        shape = [3, 4, 5]
        shape[axis] = 6
        size = x.shape[axis]
        # Negative indices count from the end, as in ONNX.
        idx = rng.integers(-size, size, size=shape).astype(np.int64)
        m.case(f"gather_elements_{axis}", [x, idx], body.format(axis=axis),
               [np.take_along_axis(x, np.where(idx < 0, idx + size, idx),
                                   axis)])
    xi = rng.integers(-9, 9, size=(4, 3)).astype(np.int32)
    idx = rng.integers(0, 4, size=(2, 3)).astype(np.int32)
    m.case("gather_elements_int", [xi, idx], body.format(axis=0),
           [np.take_along_axis(xi, idx, 0)])


def main() -> None:
    args = parse_args()
    rng = np.random.default_rng(23)
    m = ExecModule()
    add_reduce_cases(m, rng)
    add_arg_cases(m, rng)
    add_gather_elements_cases(m, rng)
    m.write(args.mlir, args.expected)


if __name__ == "__main__":
    main()
