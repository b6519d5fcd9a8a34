"""Execution cases for the elementwise nn ops, with PyTorch as reference:
broadcasting binary arithmetic (static and dynamic size-1 dimensions), NaN
propagation in max/min, integer division toward zero, where, cast, clip and
every unary activation and math function."""

import os
import sys

import numpy as np
import torch

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nn_exec import ExecModule, dyadic, parse_args, uniform  # noqa: E402


def t(array: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.array(array))


def n(tensor: torch.Tensor) -> np.ndarray:
    return tensor.numpy()


def main() -> None:
    args = parse_args()
    rng = np.random.default_rng(20240611)
    m = ExecModule()

    binary = "%r0 = nn.{op} %arg0, %arg1 : ({{t0}}, {{t1}}) -> {{r0}}"

    # Float arithmetic with NumPy broadcasting (leading and size-1 dims).
    a, b = uniform(rng, 2, 3, 4), uniform(rng, 3, 1)
    m.case("add_broadcast", [a, b], binary.format(op="add"), [n(t(a) + t(b))])
    a, b = uniform(rng, 4, 1, 5), uniform(rng, 3, 1)
    m.case("sub_broadcast", [a, b], binary.format(op="sub"), [n(t(a) - t(b))])
    a, b = uniform(rng, 1, 5), uniform(rng, 4, 1)
    m.case("mul_broadcast", [a, b], binary.format(op="mul"), [n(t(a) * t(b))])
    a, b = uniform(rng, 3, 4), uniform(rng, 4, low=0.5, high=3.0)
    m.case("div_float", [a, b], binary.format(op="div"), [n(t(a) / t(b))])
    a = uniform(rng, 2, 5, low=0.1, high=3.0)
    b = uniform(rng, 5, low=-2.0, high=2.0)
    m.case("pow_float", [a, b], binary.format(op="pow"),
           [n(torch.pow(t(a), t(b)))])
    # A 0-D operand broadcasts against everything.
    a, b = uniform(rng, 3, 2), np.array(1.5, dtype=np.float32)
    m.case("add_scalar_tensor", [a, b], binary.format(op="add"),
           [n(t(a) + t(b))])

    # max / min propagate NaN from either side.
    a, b = uniform(rng, 3, 4), uniform(rng, 4)
    a[0, 1] = np.nan
    a[2, 3] = np.nan
    b[2] = np.nan
    m.case("max_nan", [a, b], binary.format(op="max"),
           [n(torch.maximum(t(a), t(b)))])
    m.case("min_nan", [a, b], binary.format(op="min"),
           [n(torch.minimum(t(a), t(b)))])

    # Integers: division truncates toward zero; max/min are signed.
    a = rng.integers(-50, 50, size=(3, 5)).astype(np.int32)
    b = rng.integers(1, 7, size=(5,)).astype(np.int32) * \
        rng.choice([-1, 1], size=(5,)).astype(np.int32)
    m.case("div_int_trunc", [a, b], binary.format(op="div"),
           [n(torch.div(t(a), t(b), rounding_mode="trunc"))])
    m.case("sub_int", [a, b], binary.format(op="sub"), [a - b])
    m.case("mul_int", [a, b], binary.format(op="mul"), [a * b])
    a64 = rng.integers(-1000, 1000, size=(2, 4)).astype(np.int64)
    b64 = rng.integers(-1000, 1000, size=(2, 1)).astype(np.int64)
    m.case("max_int", [a64, b64], binary.format(op="max"),
           [np.maximum(a64, b64)])
    m.case("min_int", [a64, b64], binary.format(op="min"),
           [np.minimum(a64, b64)])
    base = rng.integers(-4, 5, size=(6,)).astype(np.int32)
    exponent = rng.integers(0, 5, size=(6,)).astype(np.int32)
    m.case("pow_int", [base, exponent], binary.format(op="pow"),
           [base ** exponent])

    # Dynamic dimensions: a ? that is 1 at run time broadcasts.
    a, b = uniform(rng, 4, 3), uniform(rng, 1, 1)
    m.case("add_dynamic_unit", [a, b], binary.format(op="add"),
           [n(t(a) + t(b))], arg_types=["tensor<?x3xf32>", "tensor<?x1xf32>"],
           result_types=["tensor<?x3xf32>"])
    a, b = uniform(rng, 1, 3), uniform(rng, 5, 3)
    m.case("mul_dynamic_both", [a, b], binary.format(op="mul"),
           [n(t(a) * t(b))], arg_types=["tensor<?x3xf32>", "tensor<?x3xf32>"],
           result_types=["tensor<?x3xf32>"])
    a, b = uniform(rng, 2, 4, 3), uniform(rng, 2, 4, 3)
    m.case("sub_dynamic_batch", [a, b], binary.format(op="sub"),
           [n(t(a) - t(b))],
           arg_types=["tensor<?x4x3xf32>", "tensor<?x4x3xf32>"],
           result_types=["tensor<?x4x3xf32>"])

    # where: all three operands broadcast.
    cond = rng.random((2, 1, 4)) < 0.5
    lhs, rhs = uniform(rng, 3, 4), uniform(rng, 1)
    m.case("where_broadcast", [cond, lhs, rhs],
           "%r0 = nn.where %arg0, %arg1, %arg2 : ({t0}, {t1}, {t2}) -> {r0}",
           [n(torch.where(t(cond), t(lhs), t(rhs)))])

    # cast: ONNX Cast semantics.
    unary = "%r0 = nn.{op} %arg0 {attrs}: {{t0}}"
    cast = "%r0 = nn.cast %arg0 : {t0} -> {r0}"
    x = uniform(rng, 10, low=-5.0, high=5.0)
    x[0], x[1], x[2] = 0.0, -0.0, 2.9999
    m.case("cast_f32_i32", [x], cast, [x.astype(np.int32)])
    m.case("cast_f32_i1", [x], cast, [x != 0])
    m.case("cast_f32_f64", [x], cast, [x.astype(np.float64)])
    bools = rng.random(7) < 0.5
    m.case("cast_i1_f32", [bools], cast, [bools.astype(np.float32)])
    m.case("cast_i1_i32", [bools], cast, [bools.astype(np.int32)])
    ints = np.array([0, 3, -2, 0, 300, -129, 255], dtype=np.int64)
    m.case("cast_i64_i1", [ints], cast, [ints != 0])
    m.case("cast_i64_i8", [ints], cast, [ints.astype(np.int8)])
    m.case("cast_i64_f32", [ints], cast, [ints.astype(np.float32)])
    small = np.array([-128, -1, 0, 5, 127], dtype=np.int8)
    m.case("cast_i8_i32", [small], cast, [small.astype(np.int32)])
    wide = rng.uniform(-1e3, 1e3, size=(5,)).astype(np.float64)
    m.case("cast_f64_f32", [wide], cast, [wide.astype(np.float32)])

    # clip with one or two bounds, floats and integers.
    x = uniform(rng, 3, 5)
    x[1, 1] = np.nan
    m.case("clip_both", [x],
           "%r0 = nn.clip %arg0 {min = -1.0 : f64, max = 2.0 : f64} : {t0}",
           [n(torch.clamp(t(x), -1.0, 2.0))])
    m.case("clip_max_only", [x],
           "%r0 = nn.clip %arg0 {max = 0.5 : f64} : {t0}",
           [n(torch.clamp(t(x), max=0.5))])
    xi = rng.integers(-20, 20, size=(8,)).astype(np.int32)
    m.case("clip_int", [xi],
           "%r0 = nn.clip %arg0 {min = -3.5 : f64, max = 7.5 : f64} : {t0}",
           [np.clip(xi, -3, 7)])

    # Unary activations and math, with NaN propagating through relu.
    x = uniform(rng, 4, 6, low=-6.0, high=6.0)
    positive = uniform(rng, 4, 6, low=0.01, high=10.0)
    xr = x.copy()
    xr[0, 0] = np.nan
    tx = t(x)
    unary_cases = [
        ("relu", xr, "", n(torch.relu(t(xr)))),
        ("sigmoid", x, "", n(torch.sigmoid(tx))),
        ("tanh", x, "", n(torch.tanh(tx))),
        ("gelu", x, "", n(torch.nn.functional.gelu(tx))),
        ("gelu", x, "{approximate = #nn.gelu_approximation<tanh>} ",
         n(torch.nn.functional.gelu(tx, approximate="tanh"))),
        ("silu", x, "", n(torch.nn.functional.silu(tx))),
        ("hardswish", x, "", n(torch.nn.functional.hardswish(tx))),
        ("hardsigmoid", x, "", n(torch.clamp(0.2 * tx + 0.5, 0.0, 1.0))),
        ("hardsigmoid", x, "{alpha = 0.16666666666666666 : f64, "
         "beta = 0.5 : f64} ", n(torch.nn.functional.hardsigmoid(tx))),
        ("erf", x, "", n(torch.erf(tx))),
        ("exp", x, "", n(torch.exp(tx))),
        ("log", positive, "", n(torch.log(t(positive)))),
        ("sqrt", positive, "", n(torch.sqrt(t(positive)))),
        ("rsqrt", positive, "", n(torch.rsqrt(t(positive)))),
        ("neg", x, "", n(-tx)),
        ("abs", x, "", n(torch.abs(tx))),
    ]
    for index, (op, value, attrs, expected) in enumerate(unary_cases):
        m.case(f"{op}_{index}", [value], unary.format(op=op, attrs=attrs),
               [expected])
    xi = rng.integers(-9, 9, size=(2, 5)).astype(np.int64)
    for op, expected in [("relu", np.maximum(xi, 0)), ("neg", -xi),
                         ("abs", np.abs(xi))]:
        m.case(f"{op}_int", [xi], unary.format(op=op, attrs=""), [expected])
    xd = dyadic(rng, 3, 4)
    m.case("relu_dynamic", [xd], unary.format(op="relu", attrs=""),
           [np.maximum(xd, 0)], arg_types=["tensor<?x4xf32>"],
           result_types=["tensor<?x4xf32>"])
    m.write(args.mlir, args.expected)


if __name__ == "__main__":
    main()
