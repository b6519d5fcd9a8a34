"""Execution cases for constants and the data-movement nn ops, with NumPy as
reference: dense, splat and dense_resource constants; reshape and flatten
(static, 0-D and dynamic); transpose; concat; slice with positive and
negative steps; constant, reflect and edge padding; gather with negative and
multi-dimensional indices."""

import os
import sys

import numpy as np

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nn_exec import ExecModule, dyadic, parse_args  # noqa: E402


def add_constant_cases(m: ExecModule) -> None:
    m.case("constant_dense", [],
           "%r0 = nn.constant dense<[[1.0, -2.5], [3.25, 4.0]]> : "
           "tensor<2x2xf32>",
           [np.array([[1.0, -2.5], [3.25, 4.0]], dtype=np.float32)])
    m.case("constant_splat", [],
           "%r0 = nn.constant dense<7> : tensor<3xi64>",
           [np.full((3,), 7, dtype=np.int64)])
    weights = np.arange(6, dtype=np.float32).reshape(2, 3) / 4 - 0.5
    m.resources["weights_blob"] = weights
    m.case("constant_resource", [],
           "%r0 = nn.constant dense_resource<weights_blob> : tensor<2x3xf32>",
           [weights])


def add_reshape_cases(m: ExecModule, rng: np.random.Generator) -> None:
    body = "%r0 = nn.reshape %arg0 : {t0} -> {r0}"
    x = dyadic(rng, 2, 3, 4)
    for name, shape in [("reshape_collapse", (6, 4)),
                        ("reshape_expand", (2, 3, 2, 2)),
                        ("reshape_general", (4, 6)),
                        ("reshape_flat", (24,))]:
        m.case(name, [x], body, [x.reshape(shape)])
    one = dyadic(rng, 1, 1)
    m.case("reshape_to_scalar", [one], body, [one.reshape(())])
    scalar = np.array(3.5, dtype=np.float32)
    m.case("reshape_from_scalar", [scalar], body, [scalar.reshape(1, 1, 1)])
    xi = rng.integers(-5, 5, size=(3, 4)).astype(np.int32)
    m.case("reshape_dynamic_in", [xi], body, [xi.reshape(2, 6)],
           arg_types=["tensor<?x4xi32>"])
    m.case("reshape_dynamic_out", [x], body, [x.reshape(2, 2, 6)],
           arg_types=["tensor<?x3x4xf32>"],
           result_types=["tensor<2x?x6xf32>"])

    flatten = ("%r0 = nn.flatten %arg0 {{axis = {axis} : i64}} : ({{t0}}) "
               "-> {{r0}}")
    for axis in range(4):
        m.case(f"flatten_axis{axis}", [x], flatten.format(axis=axis),
               [x.reshape(int(np.prod(x.shape[:axis])), -1)])
    m.case("flatten_dynamic", [x], flatten.format(axis=1),
           [x.reshape(2, 12)], arg_types=["tensor<?x3x4xf32>"],
           result_types=["tensor<?x12xf32>"])
    m.case("flatten_dynamic_axis0", [x], flatten.format(axis=0),
           [x.reshape(1, 24)], arg_types=["tensor<?x3x4xf32>"],
           result_types=["tensor<1x?xf32>"])


def add_layout_cases(m: ExecModule, rng: np.random.Generator) -> None:
    x = dyadic(rng, 2, 3, 4)
    m.case("transpose_3d", [x],
           "%r0 = nn.transpose %arg0 {perm = array<i64: 2, 0, 1>} : ({t0}) "
           "-> {r0}", [x.transpose(2, 0, 1)])
    y = dyadic(rng, 5, 3)
    m.case("transpose_dynamic", [y],
           "%r0 = nn.transpose %arg0 {perm = array<i64: 1, 0>} : ({t0}) "
           "-> {r0}", [y.T], arg_types=["tensor<?x3xf32>"],
           result_types=["tensor<3x?xf32>"])

    a, b, c = dyadic(rng, 2, 1, 3), dyadic(rng, 2, 4, 3), dyadic(rng, 2, 2, 3)
    m.case("concat_axis1", [a, b, c],
           "%r0 = nn.concat %arg0, %arg1, %arg2 {axis = 1 : i64} : "
           "({t0}, {t1}, {t2}) -> {r0}", [np.concatenate([a, b, c], axis=1)])
    ai = rng.integers(0, 9, size=(1, 3)).astype(np.int64)
    bi = rng.integers(0, 9, size=(2, 3)).astype(np.int64)
    m.case("concat_dynamic", [ai, bi],
           "%r0 = nn.concat %arg0, %arg1 {axis = 0 : i64} : ({t0}, {t1}) "
           "-> {r0}", [np.concatenate([ai, bi], axis=0)],
           arg_types=["tensor<?x3xi64>", None],
           result_types=["tensor<?x3xi64>"])


def add_slice_cases(m: ExecModule, rng: np.random.Generator) -> None:
    body = ("%r0 = nn.slice %arg0 {{starts = array<i64: {0}>, "
            "ends = array<i64: {1}>, steps = array<i64: {2}>}} : ({{t0}}) "
            "-> {{r0}}")
    x = dyadic(rng, 6, 5, 4)

    def case(name, starts, ends, steps, value=x, **kwargs):
        index = tuple(slice(s, None if e == -1 else e, st)
                      for s, e, st in zip(starts, ends, steps))
        m.case(name, [value],
               body.format(", ".join(map(str, starts)),
                           ", ".join(map(str, ends)),
                           ", ".join(map(str, steps))),
               [value[index]], **kwargs)

    case("slice_positive", [1, 0, 1], [6, 5, 3], [2, 1, 1])
    case("slice_reverse_all", [5, 4, 3], [-1, -1, -1], [-1, -1, -1])
    case("slice_negative_step2", [5, 0, 3], [0, 5, -1], [-2, 3, -2])
    case("slice_mixed", [4, 1, 0], [1, 5, 4], [-1, 2, 3])
    case("slice_dynamic_reverse", [4, 4, 3], [-1, 0, 0], [-2, -1, -1],
         arg_types=["tensor<?x5x4xf32>"])


def add_pad_cases(m: ExecModule, rng: np.random.Generator) -> None:
    body = ("%r0 = nn.pad %arg0 {{pads = array<i64: {pads}>{extra}}} : "
            "({{t0}}) -> {{r0}}")

    def case(name, value, begins, ends, mode, extra="", constant=0.0,
             **kwargs):
        pads = ", ".join(map(str, list(begins) + list(ends)))
        widths = list(zip(begins, ends))
        if mode == "constant":
            expected = np.pad(value, widths, mode="constant",
                              constant_values=constant)
        else:
            expected = np.pad(value, widths, mode=mode)
        m.case(name, [value], body.format(pads=pads, extra=extra),
               [expected.astype(value.dtype)], **kwargs)

    x = dyadic(rng, 3, 4)
    case("pad_constant", x, [1, 0], [2, 1], "constant",
         ", value = 1.5 : f64", 1.5)
    case("pad_reflect", x, [2, 1], [1, 3], "reflect",
         ", mode = #nn.pad_mode<reflect>")
    case("pad_edge", x, [2, 3], [1, 2], "edge", ", mode = #nn.pad_mode<edge>")
    y = dyadic(rng, 2, 3, 5)
    case("pad_reflect_3d", y, [0, 2, 4], [1, 1, 3], "reflect",
         ", mode = #nn.pad_mode<reflect>")
    xi = rng.integers(-9, 9, size=(2, 3)).astype(np.int32)
    case("pad_constant_int", xi, [1, 1], [0, 2], "constant",
         ", value = -7.0 : f64", -7)
    case("pad_reflect_dynamic", x, [1, 2], [2, 3], "reflect",
         ", mode = #nn.pad_mode<reflect>", arg_types=["tensor<?x4xf32>"],
         result_types=["tensor<?x9xf32>"])


def add_gather_cases(m: ExecModule, rng: np.random.Generator) -> None:
    body = ("%r0 = nn.gather %arg0, %arg1 {{axis = {axis} : i64}} : "
            "({{t0}}, {{t1}}) -> {{r0}}")
    data = dyadic(rng, 5, 3)
    idx = np.array([-1, 0, 3, -5, 2], dtype=np.int64)
    m.case("gather_axis0_negative", [data, idx], body.format(axis=0),
           [np.take(data, idx, axis=0)])
    data = dyadic(rng, 2, 4, 3)
    idx = np.array([[0, -1], [2, 1], [-4, 3]], dtype=np.int32)
    m.case("gather_axis1_2d", [data, idx], body.format(axis=1),
           [np.take(data, idx, axis=1)])
    idx0 = np.array(-2, dtype=np.int64)
    m.case("gather_scalar_index", [data, idx0], body.format(axis=2),
           [np.take(data, idx0, axis=2)])
    datai = rng.integers(-50, 50, size=(6, 2)).astype(np.int64)
    idx = np.array([5, -6, -1], dtype=np.int64)
    m.case("gather_dynamic", [datai, idx], body.format(axis=0),
           [np.take(datai, idx, axis=0)], arg_types=["tensor<?x2xi64>", None])


def main() -> None:
    args = parse_args()
    rng = np.random.default_rng(3)
    m = ExecModule()
    add_constant_cases(m)
    add_reshape_cases(m, rng)
    add_layout_cases(m, rng)
    add_slice_cases(m, rng)
    add_pad_cases(m, rng)
    add_gather_cases(m, rng)
    m.write(args.mlir, args.expected)


if __name__ == "__main__":
    main()
