"""Execution cases for the comparison, logical, rounding, trigonometric and
float-test ops, the parameterized activations, prelu and mod, with PyTorch
(or NumPy where PyTorch has no counterpart) as reference."""

import os
import sys

import numpy as np
import torch

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nn_exec import ExecModule, parse_args, uniform  # noqa: E402


def t(array: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.array(array))


def n(tensor: torch.Tensor) -> np.ndarray:
    return tensor.numpy()


def add_comparisons(m: ExecModule, rng: np.random.Generator) -> None:
    """Comparisons of floats (NaN compares false), integers and i1 masks,
    broadcast, and the logical ops."""
    binary = "%r0 = nn.{op} %arg0, %arg1 : ({{t0}}, {{t1}}) -> {{r0}}"
    a, b = uniform(rng, 3, 4), uniform(rng, 4)
    a[0, :] = b  # equal elements
    a[1, 2] = np.nan
    b[3] = np.nan
    for op, fn in [("equal", torch.eq), ("less", torch.lt),
                   ("less_equal", torch.le), ("greater", torch.gt),
                   ("greater_equal", torch.ge)]:
        m.case(f"{op}_float", [a, b], binary.format(op=op),
               [n(fn(t(a), t(b)))])
    ai = rng.integers(-3, 3, size=(2, 1, 5)).astype(np.int32)
    bi = rng.integers(-3, 3, size=(4, 1)).astype(np.int32)
    for op, fn in [("equal", np.equal), ("less", np.less),
                   ("less_equal", np.less_equal), ("greater", np.greater),
                   ("greater_equal", np.greater_equal)]:
        m.case(f"{op}_int", [ai, bi], binary.format(op=op), [fn(ai, bi)])
    a64 = np.array([np.iinfo(np.int64).min, -1, 0, 7], dtype=np.int64)
    b64 = np.array([np.iinfo(np.int64).max, -1, 1, 7], dtype=np.int64)
    m.case("less_int64_extremes", [a64, b64], binary.format(op="less"),
           [a64 < b64])
    # Dynamic dimensions broadcast at run time.
    ad, bd = uniform(rng, 4, 3), uniform(rng, 1, 3)
    m.case("greater_dynamic", [ad, bd], binary.format(op="greater"),
           [ad > bd], arg_types=["tensor<?x3xf32>", "tensor<?x3xf32>"],
           result_types=["tensor<?x3xi1>"])
    p = rng.random((2, 3, 4)) < 0.5
    q = rng.random((3, 1)) < 0.5
    m.case("equal_bool", [p, q], binary.format(op="equal"), [p == q])
    m.case("less_bool", [p, q], binary.format(op="less"), [p < q])
    m.case("and", [p, q], binary.format(op="and"), [np.logical_and(p, q)])
    m.case("or", [p, q], binary.format(op="or"), [np.logical_or(p, q)])
    m.case("xor", [p, q], binary.format(op="xor"), [np.logical_xor(p, q)])
    m.case("not", [p], "%r0 = nn.not %arg0 : {t0}", [np.logical_not(p)])


def add_unary_math(m: ExecModule, rng: np.random.Generator) -> None:
    """Rounding (halves to even), sign, trigonometric and hyperbolic
    functions, isnan and isinf."""
    unary = "%r0 = nn.{op} %arg0 {attrs}: {{t0}}"
    x = uniform(rng, 4, 6, low=-4.0, high=4.0)
    x[0, :] = [0.5, 1.5, 2.5, -0.5, -1.5, -2.5]
    x[1, 0], x[1, 1], x[1, 2] = np.nan, np.inf, -np.inf
    x[1, 3], x[1, 4] = 0.0, -0.0
    tx = t(x)
    unit = uniform(rng, 3, 5, low=-0.99, high=0.99)
    above_one = uniform(rng, 3, 5, low=1.0, high=6.0)
    cases = [
        ("floor", x, n(torch.floor(tx))),
        ("ceil", x, n(torch.ceil(tx))),
        ("round", x, n(torch.round(tx))),
        # ONNX Sign follows NumPy: NaN stays NaN (torch.sign gives 0).
        ("sign", x, np.sign(x)),
        ("sin", x, n(torch.sin(tx))),
        ("cos", x, n(torch.cos(tx))),
        ("tan", x, n(torch.tan(tx))),
        ("asin", unit, n(torch.asin(t(unit)))),
        ("acos", unit, n(torch.acos(t(unit)))),
        ("atan", x, n(torch.atan(tx))),
        ("sinh", x, n(torch.sinh(tx))),
        ("cosh", x, n(torch.cosh(tx))),
        ("asinh", x, n(torch.asinh(tx))),
        ("acosh", above_one, n(torch.acosh(t(above_one)))),
        ("atanh", unit, n(torch.atanh(t(unit)))),
    ]
    for op, value, expected in cases:
        m.case(f"{op}_f32", [value], unary.format(op=op, attrs=""),
               [expected])
    xd = rng.uniform(-4.0, 4.0, size=(7,))
    xd[:3] = [2.5, -3.5, 0.49999999999999994]
    for op, fn in [("round", np.round), ("sin", np.sin), ("atan", np.arctan),
                   ("floor", np.floor)]:
        m.case(f"{op}_f64", [xd], unary.format(op=op, attrs=""), [fn(xd)])
    xi = np.array([-7, -1, 0, 1, 9], dtype=np.int64)
    m.case("sign_int", [xi], unary.format(op="sign", attrs=""),
           [np.sign(xi)])
    test = "%r0 = nn.{op} %arg0 {attrs}: {{t0}} -> {{r0}}"
    m.case("isnan", [x], test.format(op="isnan", attrs=""), [np.isnan(x)])
    m.case("isinf", [x], test.format(op="isinf", attrs=""), [np.isinf(x)])
    m.case("isinf_positive", [x],
           test.format(op="isinf", attrs="{detect_negative = false} "),
           [np.isposinf(x)])
    m.case("isinf_negative", [x],
           test.format(op="isinf", attrs="{detect_positive = false} "),
           [np.isneginf(x)])


def add_activations(m: ExecModule, rng: np.random.Generator) -> None:
    """The parameterized activations, with NaN, values near zero (expm1) and
    large magnitudes (softplus must not overflow)."""
    unary = "%r0 = nn.{op} %arg0 {attrs}: {{t0}}"
    F = torch.nn.functional
    x = uniform(rng, 4, 8, low=-5.0, high=5.0)
    x[0, :] = [np.nan, 0.0, -1e-7, -1e-4, 1e-4, -30.0, 30.0, 1.0]
    x[1, :3] = [100.0, -100.0, -0.5]
    tx = t(x)
    cases = [
        ("leaky_relu", "", n(F.leaky_relu(tx, 0.01))),
        ("leaky_relu", "{alpha = 0.1 : f64} ", n(F.leaky_relu(tx, 0.1))),
        ("elu", "", n(F.elu(tx))),
        ("elu", "{alpha = 2.0 : f64} ", n(F.elu(tx, alpha=2.0))),
        ("selu", "", n(F.selu(tx))),
        ("selu", "{alpha = 2.0 : f64, gamma = 3.0 : f64} ",
         n(3.0 * torch.where(tx > 0, tx, 2.0 * torch.expm1(tx)))),
        ("celu", "", n(F.celu(tx))),
        ("celu", "{alpha = 2.0 : f64} ", n(F.celu(tx, alpha=2.0))),
        ("softplus", "", n(F.softplus(tx))),
        ("softsign", "", n(F.softsign(tx))),
        ("mish", "", n(F.mish(tx))),
        ("thresholded_relu", "", n(torch.threshold(tx, 1.0, 0.0))),
        ("thresholded_relu", "{alpha = -0.5 : f64} ",
         n(torch.threshold(tx, -0.5, 0.0))),
    ]
    for index, (op, attrs, expected) in enumerate(cases):
        m.case(f"{op}_{index}", [x], unary.format(op=op, attrs=attrs),
               [expected])
    xd = rng.uniform(-5.0, 5.0, size=(6,))
    xd[0] = -1e-9
    td = t(xd)
    m.case("elu_f64", [xd], unary.format(op="elu", attrs=""),
           [n(F.elu(td))], rtol=1e-12, atol=1e-15)
    m.case("softplus_f64", [xd], unary.format(op="softplus", attrs=""),
           [n(F.softplus(td))], rtol=1e-12, atol=1e-15)

    # prelu: the slope broadcasts to the input (floats and integers).
    prelu = "%r0 = nn.prelu %arg0, %arg1 : ({t0}, {t1}) -> {r0}"
    xp, slope = uniform(rng, 2, 3, 4), uniform(rng, 3, 1)
    m.case("prelu_channel", [xp, slope], prelu,
           [np.where(xp < 0, slope * xp, xp)])
    xi = rng.integers(-9, 9, size=(3, 4)).astype(np.int32)
    si = rng.integers(-3, 3, size=(4,)).astype(np.int32)
    m.case("prelu_int", [xi, si], prelu, [np.where(xi < 0, si * xi, xi)])


def add_mod(m: ExecModule, rng: np.random.Generator) -> None:
    """Mod: the divisor's sign for integers, C fmod with `fmod`; a zero
    divisor gives 0 and INT_MIN % -1 does not trap."""
    mod = "%r0 = nn.mod %arg0, %arg1 {attrs}: ({{t0}}, {{t1}}) -> {{r0}}"
    a = rng.integers(-20, 20, size=(3, 6)).astype(np.int32)
    b = np.array([3, -3, 7, -7, 1, 0], dtype=np.int32)
    with np.errstate(divide="ignore", invalid="ignore"):
        m.case("mod_int", [a, b], mod.format(attrs=""), [np.mod(a, b)])
        m.case("fmod_int", [a, b], mod.format(attrs="{fmod = true} "),
               [np.fmod(a, b)])
        low = np.iinfo(np.int64).min
        a64 = np.array([low, low, 5, -5, 9], dtype=np.int64)
        b64 = np.array([-1, 3, -2, 2, -3], dtype=np.int64)
        m.case("mod_int64", [a64, b64], mod.format(attrs=""),
               [np.mod(a64, b64)])
        a8 = np.array([-128, 127, -5, 5, 0], dtype=np.int8)
        b8 = np.array([-1, -2, 3, -3, 4], dtype=np.int8)
        m.case("mod_int8", [a8, b8], mod.format(attrs=""), [np.mod(a8, b8)])
    af = uniform(rng, 4, 5, low=-10.0, high=10.0)
    bf = uniform(rng, 5, low=-4.0, high=4.0)
    m.case("fmod_float", [af, bf], mod.format(attrs="{fmod = true} "),
           [n(torch.fmod(t(af), t(bf)))], rtol=0.0, atol=0.0)
    ad = rng.uniform(-1e3, 1e3, size=(5,))
    bd = rng.uniform(-7.0, 7.0, size=(5,))
    m.case("fmod_f64", [ad, bd], mod.format(attrs="{fmod = true} "),
           [np.fmod(ad, bd)], rtol=0.0, atol=0.0)


def main() -> None:
    args = parse_args()
    rng = np.random.default_rng(20261127)
    m = ExecModule()
    add_comparisons(m, rng)
    add_unary_math(m, rng)
    add_activations(m, rng)
    add_mod(m, rng)
    m.write(args.mlir, args.expected)


if __name__ == "__main__":
    main()
