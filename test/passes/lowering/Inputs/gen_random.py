"""Randomly drawn execution cases (fixed seed) for the ops whose lowering has
the most corner cases: conv2d (groups, asymmetric padding, strides,
dilations, bias), max/avg pooling (padding, dilation, ceil_mode,
count_include_pad), NumPy matmul (ranks 1 to 4, broadcast batches),
broadcasting arithmetic, slices with any steps, padding in every mode,
gather, transpose, softmax and reductions. About a third of the cases
declare some dimensions dynamic (`?`), with result types derived by the
dialect's rules, so that the run-time size computations and run-time
broadcasting run too. PyTorch or NumPy computes the expected values; inputs
are dyadic, so sums are exact in float32."""

import argparse
import os
import random
import sys
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nn_exec import ExecModule, dyadic  # noqa: E402

Shape = Tuple[int, ...]


class Redraw(Exception):
    """Raised when a draw is invalid for the reference implementation."""


def t(array: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.array(array)).double()


def f32(tensor: torch.Tensor) -> np.ndarray:
    return tensor.float().numpy()


def i64s(values: Sequence[int]) -> str:
    return "array<i64: " + ", ".join(str(v) for v in values) + ">"


def dims(rng: random.Random, rank: int, low: int = 1, high: int = 5) -> Shape:
    return tuple(rng.randint(low, high) for _ in range(rank))


DYNAMIC = -1


def declare(shape: Sequence[int], element: str = "f32") -> str:
    """Returns the tensor type of `shape`, where DYNAMIC prints as `?`."""
    return "tensor<" + "".join("?x" if d == DYNAMIC else f"{d}x"
                               for d in shape) + element + ">"


def broadcast_declared(lhs: Sequence[int], rhs: Sequence[int]) -> List[int]:
    """The nn dialect's broadcast of declared shapes (a dynamic size against
    a static one other than 1 takes the static size)."""
    rank = max(len(lhs), len(rhs))
    lhs = [1] * (rank - len(lhs)) + list(lhs)
    rhs = [1] * (rank - len(rhs)) + list(rhs)
    result = []
    for a, b in zip(lhs, rhs):
        if a == 1:
            result.append(b)
        elif b == 1 or a == b:
            result.append(a)
        else:
            result.append(b if a == DYNAMIC else a)
    return result


class Drawer:
    """Draws cases into an ExecModule."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.data = np.random.default_rng(seed)
        self.module = ExecModule()
        self.count = 0

    def values(self, *shape: int) -> np.ndarray:
        return dyadic(self.data, *shape)

    def dynamic(self, shape: Sequence[int],
                allowed: Optional[Sequence[int]] = None) -> List[int]:
        """Returns `shape` with some dimensions (among `allowed`, or all)
        declared dynamic, in about a third of the calls."""
        if self.rng.random() >= 0.35:
            return list(shape)
        candidates = range(len(shape)) if allowed is None else allowed
        return [DYNAMIC if d in candidates and self.rng.random() < 0.6
                else size for d, size in enumerate(shape)]

    def add(self, op: str, args: List[np.ndarray], body: str,
            expected: np.ndarray, arg_types: Sequence = (),
            result_type: Optional[str] = None) -> None:
        self.module.case(f"{op}_{self.count}", args, body, [expected],
                         arg_types=list(arg_types) or None,
                         result_types=[result_type] if result_type else None)
        self.count += 1

    def conv2d(self) -> None:
        rng = self.rng
        groups = rng.choice([1, 1, 2, 3])
        channels = groups * rng.randint(1, 2)
        out = groups * rng.randint(1, 2)
        kernel, strides = dims(rng, 2, 1, 3), dims(rng, 2, 1, 3)
        dilations = dims(rng, 2, 1, 2)
        pads = dims(rng, 4, 0, 2)
        x = self.values(rng.randint(1, 2), channels, *dims(rng, 2, 3, 8))
        w = self.values(out, channels // groups, *kernel)
        bias = self.values(out) if rng.random() < 0.5 else None
        top, left, bottom, right = pads
        try:
            y = F.conv2d(F.pad(t(x), (left, right, top, bottom)), t(w),
                         None if bias is None else t(bias), stride=strides,
                         dilation=dilations, groups=groups)
        except RuntimeError as error:
            raise Redraw from error
        args = [x, w] if bias is None else [x, w, bias]
        operands = ", ".join(f"%arg{i}" for i in range(len(args)))
        types = ", ".join(f"{{t{i}}}" for i in range(len(args)))
        x_decl = self.dynamic(x.shape, (0, 2, 3))
        y_decl = [DYNAMIC if x_decl[d] == DYNAMIC else size
                  for d, size in enumerate(y.shape)]
        self.add("conv2d", args,
                 f"%r0 = nn.conv2d {operands} {{strides = {i64s(strides)}, "
                 f"pads = {i64s(pads)}, dilations = {i64s(dilations)}, "
                 f"groups = {groups} : i64}} : ({types}) -> {{r0}}", f32(y),
                 [declare(x_decl)] + [None] * (len(args) - 1),
                 declare(y_decl))

    def pool(self) -> None:
        rng = self.rng
        is_max = rng.random() < 0.5
        kernel, strides = dims(rng, 2, 1, 3), dims(rng, 2, 1, 3)
        dilations = dims(rng, 2, 1, 2) if is_max else (1, 1)
        x = self.values(1, 2, *dims(rng, 2, 3, 9))
        include = rng.random() < 0.5
        xt = t(x)
        if rng.random() < 0.6:
            half = tuple(rng.randint(0, k // 2) for k in kernel)
            pads = half * 2
            ceil = rng.random() < 0.6
            try:
                if is_max:
                    y = F.max_pool2d(xt, kernel, strides, half, dilations,
                                     ceil_mode=ceil)
                else:
                    y = F.avg_pool2d(xt, kernel, strides, half,
                                     ceil_mode=ceil, count_include_pad=include)
            except RuntimeError as error:
                raise Redraw from error
        else:
            pads = dims(rng, 4, 0, 2)
            ceil = False
            top, left, bottom, right = pads
            widths = (left, right, top, bottom)
            try:
                if is_max:
                    y = F.max_pool2d(F.pad(xt, widths, value=-np.inf), kernel,
                                     strides, 0, dilations)
                elif include:
                    y = F.avg_pool2d(F.pad(xt, widths), kernel, strides)
                else:
                    sums = F.avg_pool2d(F.pad(xt, widths), kernel, strides,
                                        divisor_override=1)
                    counts = F.avg_pool2d(F.pad(torch.ones_like(xt), widths),
                                          kernel, strides, divisor_override=1)
                    y = sums / counts
            except RuntimeError as error:
                raise Redraw from error
        if y.numel() == 0:
            raise Redraw
        attrs = (f"kernel_shape = {i64s(kernel)}, strides = {i64s(strides)}, "
                 f"pads = {i64s(pads)}, ceil_mode = {str(ceil).lower()}")
        if is_max:
            attrs += f", dilations = {i64s(dilations)}"
        else:
            attrs += f", count_include_pad = {str(include).lower()}"
        op = "max_pool2d" if is_max else "avg_pool2d"
        x_decl = self.dynamic(x.shape, (0, 2, 3))
        y_decl = [DYNAMIC if x_decl[d] == DYNAMIC else size
                  for d, size in enumerate(y.shape)]
        self.add(op, [x], f"%r0 = nn.{op} %arg0 {{{attrs}}} : ({{t0}}) -> "
                 "{r0}", f32(y), [declare(x_decl)], declare(y_decl))

    def matmul(self) -> None:
        rng = self.rng
        rank_a, rank_b = rng.randint(1, 4), rng.randint(1, 4)
        m, k, n = dims(rng, 3)
        full = dims(rng, max(rank_a, rank_b, 2) - 2, 1, 3)

        def batch(rank: int) -> Shape:
            return tuple(1 if rng.random() < 0.3 else d
                         for d in full[len(full) - max(rank - 2, 0):])
        lhs = (k,) if rank_a == 1 else batch(rank_a) + (m, k)
        rhs = (k,) if rank_b == 1 else batch(rank_b) + (k, n)
        a, b = self.values(*lhs), self.values(*rhs)
        y = torch.matmul(t(a), t(b))
        a_decl = self.dynamic(lhs, range(max(rank_a - 2, 0)))
        b_decl = self.dynamic(rhs, range(max(rank_b - 2, 0)))
        y_decl = broadcast_declared(a_decl[:-2], b_decl[:-2])
        y_decl += list(y.shape[len(y_decl):])
        self.add("matmul", [a, b],
                 "%r0 = nn.matmul %arg0, %arg1 : ({t0}, {t1}) -> {r0}",
                 f32(y), [declare(a_decl), declare(b_decl)], declare(y_decl))

    def binary(self) -> None:
        rng = self.rng
        full = dims(rng, rng.randint(1, 4))

        def pick() -> Shape:
            rank = rng.randint(0, len(full))
            return tuple(1 if rng.random() < 0.3 else d
                         for d in full[len(full) - rank:])
        a, b = self.values(*pick()), self.values(*pick())
        ops: Dict[str, Callable] = {"add": torch.add, "sub": torch.sub,
                                    "mul": torch.mul, "max": torch.maximum,
                                    "min": torch.minimum}
        op = rng.choice(sorted(ops))
        a_decl, b_decl = self.dynamic(a.shape), self.dynamic(b.shape)
        self.add(op, [a, b], f"%r0 = nn.{op} %arg0, %arg1 : ({{t0}}, {{t1}}) "
                 "-> {r0}", f32(ops[op](t(a), t(b))),
                 [declare(a_decl), declare(b_decl)],
                 declare(broadcast_declared(a_decl, b_decl)))

    def slice(self) -> None:
        rng = self.rng
        shape = dims(rng, rng.randint(1, 3), 1, 6)
        starts, ends, steps, index = [], [], [], []
        for size in shape:
            step = rng.choice([-3, -2, -1, 1, 2, 3])
            if step > 0:
                start = rng.randint(0, size - 1)
                end = rng.randint(start + 1, size)
                index.append(slice(start, end, step))
            else:
                start = rng.randint(0, size - 1)
                end = rng.randint(-1, start - 1)
                index.append(slice(start, None if end == -1 else end, step))
            starts.append(start)
            ends.append(end)
            steps.append(step)
        x = self.values(*shape)
        x_decl = self.dynamic(shape)
        self.add("slice", [x],
                 f"%r0 = nn.slice %arg0 {{starts = {i64s(starts)}, "
                 f"ends = {i64s(ends)}, steps = {i64s(steps)}}} : ({{t0}}) "
                 "-> {r0}", x[tuple(index)], [declare(x_decl)])

    def pad(self) -> None:
        rng = self.rng
        mode = rng.choice(["constant", "reflect", "edge"])
        shape = dims(rng, rng.randint(1, 3), 2, 5)
        limit = [s - 1 if mode == "reflect" else 3 for s in shape]
        begins = [rng.randint(0, lim) for lim in limit]
        ends = [rng.randint(0, lim) for lim in limit]
        x = self.values(*shape)
        widths = list(zip(begins, ends))
        if mode == "constant":
            expected = np.pad(x, widths, constant_values=-0.75)
        else:
            expected = np.pad(x, widths, mode=mode)
        attrs = (f"pads = {i64s(begins + ends)}, "
                 f"mode = #nn.pad_mode<{mode}>, value = -0.75 : f64")
        x_decl = self.dynamic(shape)
        y_decl = [DYNAMIC if x_decl[d] == DYNAMIC else size
                  for d, size in enumerate(expected.shape)]
        self.add("pad", [x], f"%r0 = nn.pad %arg0 {{{attrs}}} : ({{t0}}) -> "
                 "{r0}", expected.astype(np.float32), [declare(x_decl)],
                 declare(y_decl))

    def gather(self) -> None:
        rng = self.rng
        shape = dims(rng, rng.randint(1, 3), 1, 5)
        axis = rng.randint(0, len(shape) - 1)
        indices = self.data.integers(-shape[axis], shape[axis],
                                     size=dims(rng, rng.randint(0, 2), 1, 3))
        indices = indices.astype(rng.choice([np.int32, np.int64]))
        x = self.values(*shape)
        x_decl = self.dynamic(shape)
        i_decl = self.dynamic(indices.shape)
        y_decl = x_decl[:axis] + i_decl + x_decl[axis + 1:]
        index_type = "i32" if indices.dtype == np.int32 else "i64"
        self.add("gather", [x, indices],
                 f"%r0 = nn.gather %arg0, %arg1 {{axis = {axis} : i64}} : "
                 "({t0}, {t1}) -> {r0}", np.take(x, indices, axis=axis),
                 [declare(x_decl), declare(i_decl, index_type)],
                 declare(y_decl))

    def transpose(self) -> None:
        rng = self.rng
        shape = dims(rng, rng.randint(1, 4))
        perm = list(range(len(shape)))
        rng.shuffle(perm)
        x = self.values(*shape)
        x_decl = self.dynamic(shape)
        self.add("transpose", [x],
                 f"%r0 = nn.transpose %arg0 {{perm = {i64s(perm)}}} : "
                 "({t0}) -> {r0}", np.transpose(x, perm), [declare(x_decl)],
                 declare([x_decl[p] for p in perm]))

    def reduce(self) -> None:
        rng = self.rng
        shape = dims(rng, rng.randint(1, 4))
        axes = sorted(rng.sample(range(len(shape)),
                                 rng.randint(1, len(shape))))
        keep = rng.random() < 0.5
        op, fn = rng.choice([("reduce_sum", torch.sum),
                             ("reduce_mean", torch.mean),
                             ("reduce_max", torch.amax)])
        x = self.values(*shape)
        x_decl = self.dynamic(shape)
        y_decl = [1 if d in axes else size for d, size in enumerate(x_decl)
                  if keep or d not in axes]
        self.add(op, [x],
                 f"%r0 = nn.{op} %arg0 {{axes = {i64s(axes)}, keepdims = "
                 f"{str(keep).lower()}}} : ({{t0}}) -> {{r0}}",
                 f32(fn(t(x), dim=axes, keepdim=keep)), [declare(x_decl)],
                 declare(y_decl))

    def softmax(self) -> None:
        rng = self.rng
        shape = dims(rng, rng.randint(1, 3))
        axis = rng.randint(0, len(shape) - 1)
        x = self.values(*shape)
        x_decl = self.dynamic(shape)
        self.add("softmax", [x],
                 f"%r0 = nn.softmax %arg0 {{axis = {axis} : i64}} : {{t0}}",
                 f32(F.softmax(t(x), dim=axis)), [declare(x_decl)],
                 declare(x_decl))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-o", dest="mlir", required=True)
    parser.add_argument("--expected", required=True)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--cases", type=int, default=30,
                        help="cases per op family")
    args = parser.parse_args()
    drawer = Drawer(args.seed)
    families = [drawer.conv2d, drawer.pool, drawer.matmul, drawer.binary,
                drawer.slice, drawer.pad, drawer.gather, drawer.transpose,
                drawer.reduce, drawer.softmax]
    for family in families:
        drawn = 0
        while drawn < args.cases:
            try:
                family()
                drawn += 1
            except Redraw:
                continue
    drawer.module.write(args.mlir, args.expected)


if __name__ == "__main__":
    main()
