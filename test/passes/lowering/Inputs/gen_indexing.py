"""Execution cases for cumsum, gather_nd, scatter_elements, scatter_nd and
top_k, with NumPy and PyTorch as reference: every axis of cumsum with and
without exclusive / reverse (and a dynamic size), gather_nd with and without
batch dimensions and negative indices, scatters with every reduction and
duplicate indices (the last write wins), and top_k on ties, NaN and
integers, largest and smallest."""

import os
import sys

import numpy as np
import torch

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nn_exec import ExecModule, dyadic, parse_args, uniform  # noqa: E402


def cumsum(x: np.ndarray, axis: int, exclusive: bool,
           reverse: bool) -> np.ndarray:
    """ONNX CumSum as NumPy computes it."""
    if reverse:
        x = np.flip(x, axis)
    out = np.cumsum(x, axis=axis, dtype=x.dtype)
    if exclusive:
        out = np.roll(out, 1, axis=axis)
        index = [slice(None)] * x.ndim
        index[axis] = 0
        out[tuple(index)] = 0
    if reverse:
        out = np.flip(out, axis)
    return np.ascontiguousarray(out)


def add_cumsum_cases(m: ExecModule, rng: np.random.Generator) -> None:
    body = ("%r0 = nn.cumsum %arg0 {{axis = {axis} : i64, exclusive = {ex}, "
            "reverse = {rev}}} : ({{t0}}) -> {{r0}}")
    x = uniform(rng, 3, 4, 5)
    for axis in (0, 1, 2):
        for ex in (False, True):
            for rev in (False, True):
                m.case(f"cumsum_{axis}_{int(ex)}_{int(rev)}", [x],
                       body.format(axis=axis, ex=str(ex).lower(),
                                   rev=str(rev).lower()),
                       [cumsum(x, axis, ex, rev)])
    xi = rng.integers(-9, 10, size=(4, 6)).astype(np.int32)
    m.case("cumsum_int", [xi],
           body.format(axis=1, ex="false", rev="true"),
           [cumsum(xi, 1, False, True)])
    xd = uniform(rng, 3, 7)
    m.case("cumsum_dynamic", [xd],
           body.format(axis=1, ex="true", rev="false"),
           [cumsum(xd, 1, True, False)],
           arg_types=["tensor<?x?xf32>"], result_types=["tensor<?x?xf32>"])


def gather_nd(data: np.ndarray, indices: np.ndarray,
              batch_dims: int) -> np.ndarray:
    """ONNX GatherND by its definition, one index tuple at a time."""
    length = indices.shape[-1]
    out_shape = indices.shape[:-1] + data.shape[batch_dims + length:]
    out = np.empty(out_shape, dtype=data.dtype)
    for pos in np.ndindex(*indices.shape[:-1]):
        tup = tuple(int(i) for i in indices[pos])
        batch = pos[:batch_dims]
        out[pos] = data[batch + tup]
    return out


def add_gather_nd_cases(m: ExecModule, rng: np.random.Generator) -> None:
    body = ("%r0 = nn.gather_nd %arg0, %arg1 {{batch_dims = {b} : i64}} "
            ": ({{t0}}, {{t1}}) -> {{r0}}")
    x = uniform(rng, 3, 4, 5)
    for length in (1, 2, 3):
        high = np.array(x.shape[:length])
        idx = rng.integers(-high, high, size=(2, 3, length)).astype(np.int64)
        m.case(f"gather_nd_{length}", [x, idx], body.format(b=0),
               [gather_nd(x, idx, 0)])
    idx = rng.integers(-4, 4, size=(3, 2, 1)).astype(np.int32)
    m.case("gather_nd_batch", [x, idx], body.format(b=1),
           [gather_nd(x, idx, 1)])
    xi = rng.integers(-9, 10, size=(4, 4)).astype(np.int64)
    idx = rng.integers(0, 4, size=(5, 2)).astype(np.int64)
    m.case("gather_nd_int", [xi, idx], body.format(b=0),
           [gather_nd(xi, idx, 0)])


def scatter_elements(data: np.ndarray, indices: np.ndarray,
                     updates: np.ndarray, axis: int,
                     reduction: str) -> np.ndarray:
    """ONNX ScatterElements, updates applied in row-major order."""
    out = data.copy()
    size = data.shape[axis]
    combine = {"none": lambda a, b: b, "add": lambda a, b: a + b,
               "mul": lambda a, b: a * b, "max": max, "min": min}[reduction]
    for pos in np.ndindex(*indices.shape):
        target = list(pos)
        target[axis] = int(indices[pos]) % size
        out[tuple(target)] = combine(out[tuple(target)], updates[pos])
    return out


def add_scatter_elements_cases(m: ExecModule,
                               rng: np.random.Generator) -> None:
    body = ("%r0 = nn.scatter_elements %arg0, %arg1, %arg2 {{axis = {axis} "
            ": i64, reduction = #nn.scatter_reduction<{red}>}} "
            ": ({{t0}}, {{t1}}, {{t2}}) -> {{r0}}")
    x = dyadic(rng, 4, 5)
    for axis in (0, 1):
        for red in ("none", "add", "mul", "max", "min"):
            # Few distinct indices: duplicates everywhere.
            size = x.shape[axis]
            idx = rng.integers(-size, size, size=(3, 4)).astype(np.int64)
            upd = dyadic(rng, 3, 4)
            m.case(f"scatter_elements_{axis}_{red}", [x, idx, upd],
                   body.format(axis=axis, red=red),
                   [scatter_elements(x, idx, upd, axis, red)])
    # PyTorch's scatter agrees where indices are unique.
    xt = uniform(rng, 3, 6)
    idx = np.stack([rng.permutation(6)[:4] for _ in range(3)]).astype(np.int64)
    upd = uniform(rng, 3, 4)
    expected = torch.from_numpy(xt).scatter(
        1, torch.from_numpy(idx), torch.from_numpy(upd)).numpy()
    m.case("scatter_elements_torch", [xt, idx, upd],
           body.format(axis=1, red="none"), [expected])
    xi = rng.integers(-9, 10, size=(4, 3)).astype(np.int32)
    idx = rng.integers(0, 4, size=(2, 3)).astype(np.int32)
    upd = rng.integers(-9, 10, size=(2, 3)).astype(np.int32)
    m.case("scatter_elements_int", [xi, idx, upd],
           body.format(axis=0, red="max"),
           [scatter_elements(xi, idx, upd, 0, "max")])


def scatter_nd(data: np.ndarray, indices: np.ndarray, updates: np.ndarray,
               reduction: str) -> np.ndarray:
    """ONNX ScatterND, index tuples applied in row-major order."""
    out = data.copy()
    combine = {"none": lambda a, b: b, "add": np.add, "mul": np.multiply,
               "max": np.maximum, "min": np.minimum}[reduction]
    for pos in np.ndindex(*indices.shape[:-1]):
        tup = tuple(int(i) for i in indices[pos])
        out[tup] = combine(out[tup], updates[pos])
    return out


def add_scatter_nd_cases(m: ExecModule, rng: np.random.Generator) -> None:
    body = ("%r0 = nn.scatter_nd %arg0, %arg1, %arg2 {{reduction = "
            "#nn.scatter_reduction<{red}>}} "
            ": ({{t0}}, {{t1}}, {{t2}}) -> {{r0}}")
    x = dyadic(rng, 4, 3, 2)
    for length, red in ((1, "none"), (2, "add"), (1, "mul"), (3, "max"),
                        (2, "min"), (2, "none")):
        high = np.array(x.shape[:length])
        idx = rng.integers(-high, high, size=(5, length)).astype(np.int64)
        upd = dyadic(rng, 5, *x.shape[length:])
        m.case(f"scatter_nd_{length}_{red}", [x, idx, upd],
               body.format(red=red), [scatter_nd(x, idx, upd, red)])


def top_k(x: np.ndarray, k: int, axis: int, largest: bool):
    """ONNX TopK as its reference sorts: stable, NaN last, ties by index."""
    key = -x if largest else x
    order = np.argsort(key, axis=axis, kind="stable")
    order = np.take(order, np.arange(k), axis=axis)
    return np.take_along_axis(x, order, axis), order.astype(np.int64)


def add_top_k_cases(m: ExecModule, rng: np.random.Generator) -> None:
    body = ("%r0, %r1 = nn.top_k %arg0 {{axis = {axis} : i64, k = {k} : i64, "
            "largest = {largest}}} : ({{t0}}) -> ({{r0}}, {{r1}})")
    # Few distinct values: ties everywhere.
    x = rng.integers(-2, 3, size=(3, 6, 4)).astype(np.float32)
    for axis in (0, 1, 2):
        for largest in (True, False):
            k = x.shape[axis] - 1
            m.case(f"top_k_{axis}_{int(largest)}", [x],
                   body.format(axis=axis, k=k, largest=str(largest).lower()),
                   list(top_k(x, k, axis, largest)))
    xn = uniform(rng, 2, 7)
    xn[0, 2] = xn[1, 5] = xn[1, 0] = np.nan
    for largest in (True, False):
        m.case(f"top_k_nan_{int(largest)}", [xn],
               body.format(axis=1, k=5, largest=str(largest).lower()),
               list(top_k(xn, 5, 1, largest)))
    # PyTorch agrees on distinct values.
    xt = uniform(rng, 4, 9)
    values, indices = torch.topk(torch.from_numpy(xt), 4, dim=1)
    m.case("top_k_torch", [xt], body.format(axis=1, k=4, largest="true"),
           [values.numpy(), indices.numpy()])
    xi = rng.integers(-3, 4, size=(5, 4)).astype(np.int32)
    m.case("top_k_int", [xi], body.format(axis=0, k=3, largest="false"),
           list(top_k(xi, 3, 0, False)))


def main() -> None:
    args = parse_args()
    rng = np.random.default_rng(31)
    m = ExecModule()
    add_cumsum_cases(m, rng)
    add_gather_nd_cases(m, rng)
    add_scatter_elements_cases(m, rng)
    add_scatter_nd_cases(m, rng)
    add_top_k_cases(m, rng)
    m.write(args.mlir, args.expected)


if __name__ == "__main__":
    main()
