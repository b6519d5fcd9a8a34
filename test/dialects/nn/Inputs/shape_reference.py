#!/usr/bin/env python3
"""Cross-checks the nn dialect's result-type inference against PyTorch.

Every nn op that infers its result type also uses that inference as its
shape verifier, so a wrong formula (an off-by-one in a sliding window, a
dropped matmul dimension, a mis-normalized slice) is a silent miscompile
unless something independent checks it. This script is that check: it draws
random operand shapes and attributes from a fixed seed, runs the equivalent
PyTorch (or NumPy) computation on small zero-filled tensors, and writes one
MLIR function per case whose nn op declares the result type PyTorch produced.
`kiln-opt` then verifies the file and fails if any inferred type differs.

A second output holds cases that PyTorch rejects (shapes that do not
broadcast, a convolution channel mismatch, a matmul inner-size mismatch, a
window larger than its padded input, ...), each annotated with the
`expected-error` diagnostics kiln must emit, for
`kiln-opt -split-input-file -verify-diagnostics`. The script asserts that
PyTorch really rejects each of them, so both files rest on PyTorch's
behaviour rather than on formulas written next to the code they test.

A third, optional output declares some accepted cases with a wrong result
type, so that the test also shows a mismatch is caught.

Usage:
  shape_reference.py --seed 7 --cases 400 -o good.mlir --rejected bad.mlir \\
      --mismatched wrong.mlir
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F

Shape = tuple[int, ...]


@dataclass
class Case:
    """One nn op: its operands, attributes and the declared result shape."""

    op: str
    operands: list[tuple[Shape, str]]
    attrs: dict[str, str]
    result: Shape
    result_element: str = "f32"
    # Operand list as printed, for ops with keywords in their syntax.
    operand_text: Optional[str] = None
    # Diagnostics kiln must emit (rejected cases only).
    errors: list[str] = field(default_factory=list)


class Redraw(Exception):
    """Raised by a case generator whose draw PyTorch does not accept."""


# ---------------------------------------------------------------------------
# Printing
# ---------------------------------------------------------------------------


def tensor_type(shape: Sequence[int], element: str) -> str:
    """Returns the MLIR spelling of a ranked tensor type."""
    return "tensor<" + "".join(f"{d}x" for d in shape) + element + ">"


def i64_array(values: Sequence[int]) -> str:
    """Returns a `DenseI64ArrayAttr` literal."""
    if not values:
        return "array<i64>"
    return "array<i64: " + ", ".join(str(v) for v in values) + ">"


def f64_attr(value: float) -> str:
    """Returns an `F64Attr` literal."""
    return f"{value!r} : f64"


def bool_attr(value: bool) -> str:
    """Returns a `BoolAttr` literal."""
    return "true" if value else "false"


def emit_function(name: str, case: Case) -> str:
    """Returns a function that applies `case.op` to its arguments."""
    types = [tensor_type(shape, elem) for shape, elem in case.operands]
    args = ", ".join(f"%arg{i}: {t}" for i, t in enumerate(types))
    result = tensor_type(case.result, case.result_element)
    operands = case.operand_text or ", ".join(
        f"%arg{i}" for i in range(len(types)))
    attrs = ""
    if case.attrs:
        attrs = " {" + ", ".join(
            f"{k} = {v}" for k, v in case.attrs.items()) + "}"
    lines = [f"func.func @{name}({args}) -> {result} {{"]
    for error in case.errors:
        lines.append(f"  // expected-error @below {{{{{error}}}}}")
    lines.append(f"  %0 = nn.{case.op} {operands}{attrs}")
    lines.append(f"      : ({', '.join(types)}) -> {result}")
    lines.append(f"  return %0 : {result}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def shape_text(shape: Sequence[int]) -> str:
    """Prints a shape as kiln's diagnostics do (`2x3`)."""
    return "x".join(str(d) for d in shape)


def zeros(shape: Sequence[int]) -> torch.Tensor:
    """Returns a float tensor of `shape`; only its shape matters."""
    return torch.zeros(tuple(shape))


def size_of(tensor: torch.Tensor) -> Shape:
    """Returns the shape of a PyTorch result as a tuple of ints."""
    return tuple(int(d) for d in tensor.shape)


# ---------------------------------------------------------------------------
# Random draws
# ---------------------------------------------------------------------------


def dim(rng: random.Random, low: int = 1, high: int = 5) -> int:
    """Draws one dimension size."""
    return rng.randint(low, high)


def dims(rng: random.Random, rank: int, low: int = 1,
         high: int = 5) -> Shape:
    """Draws a shape of the given rank."""
    return tuple(dim(rng, low, high) for _ in range(rank))


def broadcast_shapes(rng: random.Random, count: int,
                     max_rank: int = 4) -> list[Shape]:
    """Draws `count` shapes that broadcast together: suffixes of one full
    shape, some of whose dimensions are replaced by 1 (rarely by 0)."""
    full = [0 if rng.random() < 0.05 else dim(rng)
            for _ in range(rng.randint(0, max_rank))]
    shapes = []
    for _ in range(count):
        rank = rng.randint(0, len(full))
        suffix = full[len(full) - rank:]
        shapes.append(tuple(1 if rng.random() < 0.3 else d for d in suffix))
    return shapes


def batch_pair(rng: random.Random, rank_a: int,
               rank_b: int) -> tuple[Shape, Shape]:
    """Draws batch shapes of the given ranks that broadcast together."""
    full = dims(rng, max(rank_a, rank_b), 1, 4)

    def pick(rank: int) -> Shape:
        return tuple(1 if rng.random() < 0.3 else d
                     for d in full[len(full) - rank:])
    return pick(rank_a), pick(rank_b)


# ---------------------------------------------------------------------------
# Cases PyTorch accepts: the declared result type is PyTorch's
# ---------------------------------------------------------------------------

BINARY_OPS: dict[str, Callable[..., torch.Tensor]] = {
    "add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div,
    "pow": torch.pow, "max": torch.maximum, "min": torch.minimum,
}


def draw_binary(rng: random.Random) -> Case:
    """Elementwise arithmetic with NumPy broadcasting."""
    op = rng.choice(sorted(BINARY_OPS))
    lhs, rhs = broadcast_shapes(rng, 2)
    element = rng.choice(["f32", "f16", "i32", "i64"])
    result = BINARY_OPS[op](zeros(lhs), zeros(rhs))
    return Case(op, [(lhs, element), (rhs, element)], {}, size_of(result),
                element)


def draw_where(rng: random.Random) -> Case:
    """`torch.where` broadcasting a condition with two values."""
    cond, lhs, rhs = broadcast_shapes(rng, 3)
    element = rng.choice(["f32", "i64"])
    result = torch.where(torch.zeros(cond, dtype=torch.bool), zeros(lhs),
                         zeros(rhs))
    return Case("where", [(cond, "i1"), (lhs, element), (rhs, element)], {},
                size_of(result), element)


def draw_conv2d(rng: random.Random) -> Case:
    """`F.conv2d` with strides, dilations and groups; the asymmetric
    [top, left, bottom, right] padding is applied by `F.pad` first."""
    groups = rng.choice([1, 1, 2, 3])
    channels = groups * dim(rng, 1, 3)
    out_channels = groups * dim(rng, 1, 3)
    kernel = dims(rng, 2, 1, 4)
    strides = dims(rng, 2, 1, 3)
    dilations = dims(rng, 2, 1, 2)
    symmetric = rng.random() < 0.4
    pads = dims(rng, 2, 0, 2) * 2 if symmetric else dims(rng, 4, 0, 2)
    x = (dim(rng, 1, 2), channels, dim(rng, 1, 10), dim(rng, 1, 10))
    w = (out_channels, channels // groups) + kernel
    operands = [(x, "f32"), (w, "f32")]
    bias = None
    if rng.random() < 0.5:
        operands.append(((out_channels,), "f32"))
        bias = zeros((out_channels,))
    top, left, bottom, right = pads
    try:
        padded = F.pad(zeros(x), (left, right, top, bottom))
        result = F.conv2d(padded, zeros(w), bias, stride=strides,
                          dilation=dilations, groups=groups)
    except RuntimeError as error:
        raise Redraw from error
    attrs = {}
    if strides != (1, 1) or rng.random() < 0.3:
        attrs["strides"] = i64_array(strides)
    if any(pads) or rng.random() < 0.3:
        attrs["pads"] = i64_array(pads)
    if dilations != (1, 1) or rng.random() < 0.3:
        attrs["dilations"] = i64_array(dilations)
    if groups != 1 or rng.random() < 0.3:
        attrs["groups"] = f"{groups} : i64"
    return Case("conv2d", operands, attrs, size_of(result))


def draw_pool2d(rng: random.Random, op: str) -> Case:
    """`F.max_pool2d` / `F.avg_pool2d`. Symmetric padding goes to PyTorch
    (at most half the kernel, as it requires) and may use `ceil_mode`;
    asymmetric padding is applied by `F.pad` first, without `ceil_mode`
    (PyTorch would then let a window start in the end padding, which the
    dialect, following ONNX, does not)."""
    is_max = op == "max_pool2d"
    kernel = dims(rng, 2, 1, 4)
    strides = dims(rng, 2, 1, 3)
    dilations = dims(rng, 2, 1, 2) if is_max else (1, 1)
    x = (dim(rng, 1, 2), dim(rng, 1, 3), dim(rng, 1, 10), dim(rng, 1, 10))
    if rng.random() < 0.6:
        half = tuple(rng.randint(0, k // 2) for k in kernel)
        pads = half * 2
        ceil_mode = rng.random() < 0.5
        padding, inp = half, zeros(x)
    else:
        pads = dims(rng, 4, 0, 2)
        ceil_mode = False
        top, left, bottom, right = pads
        padding, inp = (0, 0), F.pad(zeros(x), (left, right, top, bottom))
    count_include_pad = rng.random() < 0.5
    try:
        if is_max:
            result = F.max_pool2d(inp, kernel, strides, padding, dilations,
                                  ceil_mode=ceil_mode)
        else:
            result = F.avg_pool2d(inp, kernel, strides, padding,
                                  ceil_mode=ceil_mode,
                                  count_include_pad=count_include_pad)
    except RuntimeError as error:
        raise Redraw from error
    attrs = {"kernel_shape": i64_array(kernel)}
    if strides != (1, 1) or rng.random() < 0.3:
        attrs["strides"] = i64_array(strides)
    if any(pads) or rng.random() < 0.3:
        attrs["pads"] = i64_array(pads)
    if is_max and (dilations != (1, 1) or rng.random() < 0.3):
        attrs["dilations"] = i64_array(dilations)
    if ceil_mode or rng.random() < 0.3:
        attrs["ceil_mode"] = bool_attr(ceil_mode)
    if not is_max and count_include_pad:
        attrs["count_include_pad"] = bool_attr(True)
    return Case(op, [(x, "f32")], attrs, size_of(result))


def draw_max_pool2d(rng: random.Random) -> Case:
    """2-D max pooling."""
    return draw_pool2d(rng, "max_pool2d")


def draw_avg_pool2d(rng: random.Random) -> Case:
    """2-D average pooling."""
    return draw_pool2d(rng, "avg_pool2d")


def draw_matmul(rng: random.Random) -> Case:
    """`torch.matmul`, including 1-D operands and broadcast batches."""
    rank_a, rank_b = rng.randint(1, 4), rng.randint(1, 4)
    m, k, n = dims(rng, 3)
    batch_a, batch_b = batch_pair(rng, max(rank_a - 2, 0),
                                  max(rank_b - 2, 0))
    lhs = (k,) if rank_a == 1 else batch_a + (m, k)
    rhs = (k,) if rank_b == 1 else batch_b + (k, n)
    element = rng.choice(["f32", "i32"])
    result = torch.matmul(zeros(lhs), zeros(rhs))
    return Case("matmul", [(lhs, element), (rhs, element)], {},
                size_of(result), element)


def draw_batch_matmul(rng: random.Random) -> Case:
    """`torch.matmul` on operands of equal rank >= 3."""
    rank = rng.randint(3, 4)
    m, k, n = dims(rng, 3)
    batch_a, batch_b = batch_pair(rng, rank - 2, rank - 2)
    lhs, rhs = batch_a + (m, k), batch_b + (k, n)
    result = torch.matmul(zeros(lhs), zeros(rhs))
    return Case("batch_matmul", [(lhs, "f32"), (rhs, "f32")], {},
                size_of(result))


def draw_linear(rng: random.Random) -> Case:
    """`F.linear` on an input of rank 1 to 4, with an optional bias."""
    k, n = dims(rng, 2)
    x = dims(rng, rng.randint(0, 3)) + (k,)
    operands = [(x, "f32"), ((n, k), "f32")]
    bias = None
    if rng.random() < 0.5:
        operands.append(((n,), "f32"))
        bias = zeros((n,))
    result = F.linear(zeros(x), zeros((n, k)), bias)
    return Case("linear", operands, {}, size_of(result))


def draw_gemm(rng: random.Random) -> Case:
    """ONNX Gemm via `torch.addmm` on (optionally transposed) matrices."""
    m, k, n = dims(rng, 3)
    trans_a, trans_b = rng.random() < 0.5, rng.random() < 0.5
    a = (k, m) if trans_a else (m, k)
    b = (n, k) if trans_b else (k, n)
    alpha, beta = rng.choice([1.0, 0.5, 2.0]), rng.choice([1.0, 0.25])
    lhs = zeros(a).t() if trans_a else zeros(a)
    rhs = zeros(b).t() if trans_b else zeros(b)
    operands: list[tuple[Shape, str]] = [(a, "f32"), (b, "f32")]
    if rng.random() < 0.7:
        c = rng.choice([(), (1,), (n,), (1, n), (m, 1), (m, n), (1, 1)])
        operands.append((c, "f32"))
        result = torch.addmm(zeros(c), lhs, rhs, beta=beta, alpha=alpha)
    else:
        result = alpha * torch.mm(lhs, rhs)
    attrs = {}
    if alpha != 1.0:
        attrs["alpha"] = f64_attr(alpha)
    if beta != 1.0:
        attrs["beta"] = f64_attr(beta)
    if trans_a or rng.random() < 0.2:
        attrs["trans_a"] = bool_attr(trans_a)
    if trans_b or rng.random() < 0.2:
        attrs["trans_b"] = bool_attr(trans_b)
    return Case("gemm", operands, attrs, size_of(result))


def draw_flatten(rng: random.Random) -> Case:
    """ONNX Flatten: `torch.flatten` from `axis`, then the leading
    dimensions collapsed too, giving 2-D."""
    x = dims(rng, rng.randint(0, 4), 0 if rng.random() < 0.1 else 1)
    axis = rng.randint(0, len(x))
    # The extra trailing 1 keeps `axis == rank` a valid start dimension.
    head = torch.flatten(zeros(x).unsqueeze(-1), start_dim=axis)
    if axis == 0:
        result = head.unsqueeze(0)
    else:
        result = torch.flatten(head, start_dim=0, end_dim=axis - 1)
    attrs = {} if axis == 1 and rng.random() < 0.5 else {
        "axis": f"{axis} : i64"}
    return Case("flatten", [(x, "f32")], attrs, size_of(result))


def draw_transpose(rng: random.Random) -> Case:
    """`Tensor.permute` of rank 1 to 5."""
    x = dims(rng, rng.randint(1, 5), 1, 4)
    perm = list(range(len(x)))
    rng.shuffle(perm)
    result = zeros(x).permute(*perm)
    return Case("transpose", [(x, "f32")], {"perm": i64_array(perm)},
                size_of(result))


def draw_concat(rng: random.Random) -> Case:
    """`torch.cat` of 1 to 4 inputs (an input may be empty on the axis)."""
    base = dims(rng, rng.randint(1, 4))
    axis = rng.randrange(len(base))
    shapes = []
    for _ in range(rng.randint(1, 4)):
        shape = list(base)
        shape[axis] = rng.randint(0, 4)
        shapes.append(tuple(shape))
    element = rng.choice(["f32", "i64"])
    result = torch.cat([zeros(s) for s in shapes], dim=axis)
    return Case("concat", [(s, element) for s in shapes],
                {"axis": f"{axis} : i64"}, size_of(result), element)


def draw_slice(rng: random.Random) -> Case:
    """Strided slices. Positive steps slice directly; a negative step
    `[start:end:step]` (normalized: -1 <= end <= start < dim, an end of -1
    meaning "through the first element") is the slice
    `[dim-1-start : dim-1-end : -step]` of the flipped dimension."""
    x = dims(rng, rng.randint(1, 4), 0 if rng.random() < 0.1 else 1, 7)
    starts, ends, steps = [], [], []
    index, flipped = [], []
    for d, size in enumerate(x):
        if size == 0 or rng.random() < 0.5:
            step = rng.randint(1, 3)
            start = rng.randint(0, size)
            end = rng.randint(start, size)
            index.append(slice(start, end, step))
        else:
            step = -rng.randint(1, 3)
            start = rng.randint(0, size - 1)
            end = rng.randint(-1, start)
            index.append(slice(size - 1 - start, size - 1 - end, -step))
            flipped.append(d)
        starts.append(start)
        ends.append(end)
        steps.append(step)
    source = zeros(x)
    if flipped:
        source = torch.flip(source, flipped)
    result = source[tuple(index)]
    attrs = {"starts": i64_array(starts), "ends": i64_array(ends),
             "steps": i64_array(steps)}
    return Case("slice", [(x, "f32")], attrs, size_of(result))


def draw_pad(rng: random.Random) -> Case:
    """`F.pad`: constant padding of any rank, or reflect/replicate padding
    of the trailing 1 to 3 dimensions of a 2-D to 5-D input."""
    mode = rng.choice(["constant", "constant", "reflect", "edge"])
    if mode == "constant":
        x = dims(rng, rng.randint(1, 4), 1, 4)
        padded = len(x)
    else:
        padded = rng.randint(1, 3)
        x = dims(rng, padded + rng.randint(1, 2), 2, 5)
    rank = len(x)
    begins, ends = [0] * rank, [0] * rank
    for d in range(rank - padded, rank):
        limit = x[d] - 1 if mode == "reflect" else 3
        begins[d] = rng.randint(0, min(limit, 3))
        ends[d] = rng.randint(0, min(limit, 3))
    torch_pads: list[int] = []
    for d in reversed(range(rank - padded, rank)):
        torch_pads += [begins[d], ends[d]]
    torch_mode = {"edge": "replicate"}.get(mode, mode)
    value = rng.choice([0.0, 1.5]) if mode == "constant" else 0.0
    if torch_mode == "constant":
        result = F.pad(zeros(x), torch_pads, mode="constant", value=value)
    else:
        result = F.pad(zeros(x), torch_pads, mode=torch_mode)
    attrs = {"pads": i64_array(begins + ends)}
    if mode != "constant" or rng.random() < 0.3:
        attrs["mode"] = f"#nn.pad_mode<{mode}>"
    if value != 0.0:
        attrs["value"] = f64_attr(value)
    return Case("pad", [(x, "f32")], attrs, size_of(result))


def draw_gather(rng: random.Random) -> Case:
    """ONNX Gather: `torch.index_select` for 1-D indices, `numpy.take`
    (same semantics) for indices of rank 0, 2 or 3."""
    data = dims(rng, rng.randint(1, 4))
    axis = rng.randrange(len(data))
    indices = dims(rng, rng.choice([0, 1, 1, 2, 3]), 1, 4)
    if len(indices) == 1:
        index = torch.zeros(indices, dtype=torch.long)
        shape = size_of(torch.index_select(zeros(data), axis, index))
    else:
        taken = np.take(np.zeros(data), np.zeros(indices, dtype=np.int64),
                        axis=axis)
        shape = tuple(int(d) for d in taken.shape)
    element = rng.choice(["f32", "i64"])
    return Case("gather", [(data, element), (indices, rng.choice(
        ["i32", "i64"]))], {"axis": f"{axis} : i64"}, shape, element)


REDUCTIONS: dict[str, Callable[..., torch.Tensor]] = {
    "reduce_sum": torch.sum, "reduce_mean": torch.mean,
    "reduce_max": torch.amax,
}


def draw_reduce(rng: random.Random) -> Case:
    """`torch.sum` / `torch.mean` / `torch.amax` over a non-empty set of
    dimensions (PyTorch reduces everything for `dim=()`, where the dialect
    defines an empty `axes` as the identity)."""
    op = rng.choice(sorted(REDUCTIONS))
    x = dims(rng, rng.randint(1, 4))
    axes = sorted(rng.sample(range(len(x)), rng.randint(1, len(x))))
    keepdims = rng.random() < 0.5
    result = REDUCTIONS[op](zeros(x), dim=tuple(axes), keepdim=keepdims)
    attrs = {"axes": i64_array(axes)}
    if not keepdims or rng.random() < 0.3:
        attrs["keepdims"] = bool_attr(keepdims)
    element = "f32" if op == "reduce_mean" else rng.choice(["f32", "i32"])
    return Case(op, [(x, element)], attrs, size_of(result), element)


def draw_global_avg_pool(rng: random.Random) -> Case:
    """`F.adaptive_avg_pool{1,2,3}d` to size 1."""
    x = dims(rng, rng.randint(3, 5))
    pool = {3: F.adaptive_avg_pool1d, 4: F.adaptive_avg_pool2d,
            5: F.adaptive_avg_pool3d}[len(x)]
    result = pool(zeros(x), 1)
    return Case("global_avg_pool", [(x, "f32")], {}, size_of(result))


def draw_layer_norm(rng: random.Random) -> Case:
    """`F.layer_norm` over the dimensions from `axis` on."""
    x = dims(rng, rng.randint(1, 4))
    axis = rng.randrange(len(x))
    normalized = x[axis:]
    operands, text = [(x, "f32")], "%arg0"
    weight = bias = None
    if rng.random() < 0.5:
        operands.append((normalized, "f32"))
        text += f" scale %arg{len(operands) - 1}"
        weight = zeros(normalized)
    if rng.random() < 0.5:
        operands.append((normalized, "f32"))
        text += f" bias %arg{len(operands) - 1}"
        bias = zeros(normalized)
    result = F.layer_norm(zeros(x), normalized, weight, bias)
    return Case("layer_norm", operands, {"axis": f"{axis} : i64"},
                size_of(result), operand_text=text)


def draw_batch_norm(rng: random.Random) -> Case:
    """`F.batch_norm` in inference mode."""
    x = dims(rng, rng.randint(2, 4))
    channel = (x[1],)
    result = F.batch_norm(zeros(x), zeros(channel), torch.ones(channel),
                          zeros(channel), zeros(channel), training=False)
    return Case("batch_norm", [(x, "f32")] + [(channel, "f32")] * 4, {},
                size_of(result))


# Relative frequency of each generator; cases cycle through this schedule.
SCHEDULE: list[tuple[Callable[[random.Random], Case], int]] = [
    (draw_conv2d, 4), (draw_max_pool2d, 3), (draw_avg_pool2d, 2),
    (draw_matmul, 3), (draw_batch_matmul, 1), (draw_binary, 3),
    (draw_where, 1), (draw_linear, 1), (draw_gemm, 2), (draw_flatten, 1),
    (draw_transpose, 1), (draw_concat, 1), (draw_slice, 3), (draw_pad, 2),
    (draw_gather, 2), (draw_reduce, 2), (draw_global_avg_pool, 1),
    (draw_layer_norm, 1), (draw_batch_norm, 1),
]


def accepted_cases(rng: random.Random, count: int) -> list[Case]:
    """Draws `count` cases that PyTorch accepts."""
    schedule = [draw for draw, weight in SCHEDULE for _ in range(weight)]
    cases = []
    for i in range(count):
        draw = schedule[i % len(schedule)]
        for _ in range(1000):
            try:
                cases.append(draw(rng))
                break
            except Redraw:
                continue
        else:
            raise RuntimeError(f"{draw.__name__}: no valid draw")
    return cases


# ---------------------------------------------------------------------------
# Cases PyTorch rejects: kiln must report an error
# ---------------------------------------------------------------------------

INFER_FAILED = "failed to infer returned types"


def torch_rejects(compute: Callable[[], object]) -> bool:
    """Returns true when the PyTorch computation raises."""
    try:
        compute()
    except (RuntimeError, IndexError, ValueError):
        return True
    return False


def reject_broadcast(rng: random.Random) -> Case:
    """Binary op on shapes with a dimension pair that neither matches nor
    is 1."""
    op = rng.choice(sorted(BINARY_OPS))
    lhs = dims(rng, rng.randint(1, 3), 2, 5)
    suffix = list(lhs[rng.randint(0, len(lhs) - 1):])
    d = rng.randrange(len(suffix))
    suffix[d] += rng.randint(1, 3)
    rhs = tuple(suffix)
    if not torch_rejects(lambda: BINARY_OPS[op](zeros(lhs), zeros(rhs))):
        raise AssertionError(f"PyTorch accepts {op} {lhs} {rhs}")
    return Case(op, [(lhs, "f32"), (rhs, "f32")], {}, lhs,
                errors=[f"operand shapes {shape_text(lhs)} and "
                        f"{shape_text(rhs)} are not broadcast-compatible",
                        INFER_FAILED])


def reject_where(rng: random.Random) -> Case:
    """`where` whose condition does not broadcast with its values."""
    values = dims(rng, rng.randint(1, 3), 2, 5)
    grown = list(values)
    grown[rng.randrange(len(grown))] += 1
    cond = tuple(grown)
    if not torch_rejects(lambda: torch.where(
            torch.zeros(cond, dtype=torch.bool), zeros(values),
            zeros(values))):
        raise AssertionError(f"PyTorch accepts where {cond} {values}")
    return Case("where", [(cond, "i1"), (values, "f32"), (values, "f32")],
                {}, values,
                errors=[f"condition shape {shape_text(cond)} does not "
                        f"broadcast with value shape {shape_text(values)}",
                        INFER_FAILED])


def reject_conv_channels(rng: random.Random) -> Case:
    """Convolution whose input channels are not weight channels x groups."""
    groups = rng.choice([1, 2])
    per_group = dim(rng, 1, 3)
    channels = groups * per_group + rng.choice([-1, 1]) * groups
    if channels <= 0:
        channels = groups * (per_group + 1)
    x = (1, channels, 6, 6)
    w = (2 * groups, per_group, 3, 3)
    if not torch_rejects(lambda: F.conv2d(zeros(x), zeros(w),
                                          groups=groups)):
        raise AssertionError(f"PyTorch accepts conv2d {x} {w} g{groups}")
    attrs = {"groups": f"{groups} : i64"} if groups != 1 else {}
    return Case("conv2d", [(x, "f32"), (w, "f32")], attrs, (1, 2, 4, 4),
                errors=[f"input has {channels} channels but weight expects "
                        f"{per_group} per group x {groups} groups",
                        INFER_FAILED])


def reject_conv_kernel(rng: random.Random) -> Case:
    """Convolution whose dilated kernel is larger than the padded input."""
    size = dim(rng, 1, 4)
    pads = dims(rng, 4, 0, 1)
    kernel = size + pads[0] + pads[2] + rng.randint(1, 2)
    x, w = (1, 1, size, size + 3), (1, 1, kernel, 1)
    top, left, bottom, right = pads
    if not torch_rejects(lambda: F.conv2d(
            F.pad(zeros(x), (left, right, top, bottom)), zeros(w))):
        raise AssertionError(f"PyTorch accepts conv2d {x} {w} {pads}")
    return Case("conv2d", [(x, "f32"), (w, "f32")],
                {"pads": i64_array(pads)}, (1, 1, 1, 1),
                errors=[f"kernel {shape_text(w)} does not fit the padded "
                        f"input {shape_text(x)}", INFER_FAILED])


def reject_pool_window(rng: random.Random) -> Case:
    """Pooling (without ceil_mode) whose window is larger than the padded
    input."""
    op = rng.choice(["max_pool2d", "avg_pool2d"])
    size = dim(rng, 1, 4)
    pad = rng.randint(0, 1)
    kernel = max(size + 2 * pad + rng.randint(1, 2), 2 * pad)
    x = (1, 2, size + 2, size)
    pool = F.max_pool2d if op == "max_pool2d" else F.avg_pool2d
    if not torch_rejects(lambda: pool(zeros(x), (1, kernel), 1, (0, pad))):
        raise AssertionError(f"PyTorch accepts {op} {x} k{kernel} p{pad}")
    attrs = {"kernel_shape": i64_array((1, kernel)),
             "pads": i64_array((0, pad, 0, pad))}
    return Case(op, [(x, "f32")], attrs, (1, 2, size + 2, 1),
                errors=[f"pooling window does not fit the input "
                        f"{shape_text(x)}", INFER_FAILED])


def reject_matmul_inner(rng: random.Random) -> Case:
    """Matmul (1-D or batched operands) whose inner sizes differ."""
    m, k, n = dims(rng, 3)
    other = k + rng.randint(1, 3)
    rank_a, rank_b = rng.randint(1, 3), rng.randint(1, 3)
    lhs = (k,) if rank_a == 1 else (2,) * (rank_a - 2) + (m, k)
    rhs = (other,) if rank_b == 1 else (2,) * (rank_b - 2) + (other, n)
    if not torch_rejects(lambda: torch.matmul(zeros(lhs), zeros(rhs))):
        raise AssertionError(f"PyTorch accepts matmul {lhs} {rhs}")
    return Case("matmul", [(lhs, "f32"), (rhs, "f32")], {}, (m, n),
                errors=[f"cannot multiply {shape_text(lhs)} by "
                        f"{shape_text(rhs)}", INFER_FAILED])


def reject_matmul_batch(rng: random.Random) -> Case:
    """Matmul whose batch dimensions do not broadcast."""
    m, k, n = dims(rng, 3)
    batch = dim(rng, 2, 4)
    lhs, rhs = (batch, m, k), (batch + 1, k, n)
    if not torch_rejects(lambda: torch.matmul(zeros(lhs), zeros(rhs))):
        raise AssertionError(f"PyTorch accepts matmul {lhs} {rhs}")
    return Case("matmul", [(lhs, "f32"), (rhs, "f32")], {}, (batch, m, n),
                errors=[f"cannot multiply {shape_text(lhs)} by "
                        f"{shape_text(rhs)}", INFER_FAILED])


def reject_linear(rng: random.Random) -> Case:
    """`linear` whose input features differ from the weight's."""
    k, n = dims(rng, 2)
    x = (dim(rng), k)
    w = (n, k + rng.randint(1, 2))
    if not torch_rejects(lambda: F.linear(zeros(x), zeros(w))):
        raise AssertionError(f"PyTorch accepts linear {x} {w}")
    return Case("linear", [(x, "f32"), (w, "f32")], {}, (x[0], n),
                errors=[f"input features {k} do not match weight features "
                        f"{w[1]}", INFER_FAILED])


def reject_gemm(rng: random.Random) -> Case:
    """`gemm` whose (transposed) inner sizes differ."""
    m, k, n = dims(rng, 3)
    other = k + rng.randint(1, 2)
    trans_b = rng.random() < 0.5
    a, b = (m, k), ((n, other) if trans_b else (other, n))
    rhs = zeros(b).t() if trans_b else zeros(b)
    if not torch_rejects(lambda: torch.mm(zeros(a), rhs)):
        raise AssertionError(f"PyTorch accepts gemm {a} {b}")
    attrs = {"trans_b": bool_attr(True)} if trans_b else {}
    return Case("gemm", [(a, "f32"), (b, "f32")], attrs, (m, n),
                errors=[f"inner dimensions differ: {k} vs {other}",
                        INFER_FAILED])


def reject_concat(rng: random.Random) -> Case:
    """`concat` whose inputs differ outside the axis."""
    first = dims(rng, 3, 2, 4)
    axis = rng.randrange(3)
    other = (axis + 1) % 3
    grown = list(first)
    grown[other] += 1
    second = tuple(grown)
    if not torch_rejects(lambda: torch.cat([zeros(first), zeros(second)],
                                           dim=axis)):
        raise AssertionError(f"PyTorch accepts cat {first} {second}")
    return Case("concat", [(first, "f32"), (second, "f32")],
                {"axis": f"{axis} : i64"}, first,
                errors=[f"input #1 has size {second[other]} in dimension "
                        f"{other} but earlier inputs have {first[other]} "
                        f"(only axis {axis} may differ)", INFER_FAILED])


def reject_reflect_pad(rng: random.Random) -> Case:
    """Reflect padding not smaller than the padded dimension."""
    x = (1, dim(rng, 1, 3), dim(rng, 2, 4))
    pad = x[2] + rng.randint(0, 1)
    if not torch_rejects(lambda: F.pad(zeros(x), (pad, 0), mode="reflect")):
        raise AssertionError(f"PyTorch accepts reflect pad {x} {pad}")
    attrs = {"pads": i64_array((0, 0, pad, 0, 0, 0)),
             "mode": "#nn.pad_mode<reflect>"}
    return Case("pad", [(x, "f32")], attrs, (x[0], x[1], x[2] + pad),
                errors=[f"reflect padding of dimension 2 must be smaller "
                        f"than its size {x[2]}", INFER_FAILED])


REJECTIONS: list[Callable[[random.Random], Case]] = [
    reject_broadcast, reject_where, reject_conv_channels,
    reject_conv_kernel, reject_pool_window, reject_matmul_inner,
    reject_matmul_batch, reject_linear, reject_gemm, reject_concat,
    reject_reflect_pad,
]


def rejected_cases(rng: random.Random, per_kind: int) -> list[Case]:
    """Draws `per_kind` cases of each kind that PyTorch rejects."""
    return [reject(rng) for reject in REJECTIONS for _ in range(per_kind)]


# ---------------------------------------------------------------------------
# Accepted cases declared with a wrong type: kiln must report the mismatch
# ---------------------------------------------------------------------------


def mismatched_cases(rng: random.Random, count: int) -> list[Case]:
    """Draws `count` accepted cases and declares each with a wrong result
    type (one dimension one larger than PyTorch's), which kiln must reject
    naming the PyTorch type as the inferred one. This shows that the
    accepted-case check is not vacuous."""
    cases: list[Case] = []
    for case in accepted_cases(rng, 2 * count):
        if len(cases) == count:
            break
        if not case.result:
            continue
        expected = tensor_type(case.result, case.result_element)
        d = rng.randrange(len(case.result))
        wrong = list(case.result)
        wrong[d] += 1
        case.result = tuple(wrong)
        declared = tensor_type(case.result, case.result_element)
        case.errors = [f"inferred type(s) '{expected}' are incompatible "
                       f"with return type(s) of operation '{declared}'",
                       INFER_FAILED]
        cases.append(case)
    return cases


# ---------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------


def write_cases(path: str, header: str, cases: Sequence[Case],
                separator: str) -> None:
    """Writes one function per case, numbered in order."""
    with open(path, "w", encoding="utf-8") as out:
        out.write(header)
        out.write(separator.join(
            emit_function(f"case{i}_{case.op}", case)
            for i, case in enumerate(cases)))


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """Parses the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cases", type=int, default=400,
                        help="number of cases PyTorch accepts")
    parser.add_argument("--rejected-per-kind", type=int, default=3,
                        help="cases of each kind PyTorch rejects")
    parser.add_argument("-o", "--output", required=True,
                        help="file for the accepted cases")
    parser.add_argument("--rejected",
                        help="file for the rejected cases, with "
                             "expected-error annotations")
    parser.add_argument("--mismatched",
                        help="file for accepted cases declared with a "
                             "wrong result type, with expected-error "
                             "annotations")
    parser.add_argument("--mismatched-cases", type=int, default=35,
                        help="number of cases with a wrong result type")
    return parser.parse_args(argv)


def main(argv: Sequence[str]) -> int:
    """Generates the case files."""
    args = parse_args(argv)
    rng = random.Random(args.seed)
    header = (f"// Generated by shape_reference.py --seed {args.seed}; each "
              "result type is PyTorch's.\n\n")
    write_cases(args.output, header, accepted_cases(rng, args.cases), "\n")
    if args.rejected:
        header = (f"// Generated by shape_reference.py --seed {args.seed}; "
                  "PyTorch rejects every case.\n\n")
        write_cases(args.rejected, header,
                    rejected_cases(rng, args.rejected_per_kind),
                    "\n// -----\n\n")
    if args.mismatched:
        header = (f"// Generated by shape_reference.py --seed {args.seed}; "
                  "each result type is wrong.\n\n")
        write_cases(args.mismatched, header,
                    mismatched_cases(rng, args.mismatched_cases),
                    "\n// -----\n\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
