"""Execution cases for softmax, layer_norm, batch_norm, global_avg_pool and
reduce_sum/mean/max, with PyTorch as reference: softmax on inputs large
enough to overflow exp without the max subtraction, layer normalization with
the biased variance, reductions with and without keepdims (down to 0-D),
NaN propagation in reduce_max, integer reductions and dynamic sizes."""

import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nn_exec import ExecModule, dyadic, parse_args, uniform  # noqa: E402


def t(array: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.array(array)).double()


def f32(tensor: torch.Tensor) -> np.ndarray:
    return tensor.float().numpy()


def add_softmax_cases(m: ExecModule, rng: np.random.Generator) -> None:
    body = "%r0 = nn.softmax %arg0 {{axis = {axis} : i64}} : {{t0}}"
    for axis in (0, 1, 2):
        x = uniform(rng, 3, 4, 5, low=-4.0, high=4.0)
        m.case(f"softmax_axis{axis}", [x], body.format(axis=axis),
               [f32(F.softmax(t(x), dim=axis))])
    # exp(1000) overflows float32: only a max-subtracting softmax is finite.
    x = uniform(rng, 2, 6, low=900.0, high=1000.0)
    m.case("softmax_large", [x], body.format(axis=1),
           [f32(F.softmax(t(x), dim=1))])
    x = uniform(rng, 3, 5)
    m.case("softmax_dynamic", [x], body.format(axis=1),
           [f32(F.softmax(t(x), dim=1))], arg_types=["tensor<?x?xf32>"],
           result_types=["tensor<?x?xf32>"])


def add_norm_cases(m: ExecModule, rng: np.random.Generator) -> None:
    x = uniform(rng, 2, 3, 8)
    scale, bias = uniform(rng, 8), uniform(rng, 8)
    m.case("layer_norm_last", [x, scale, bias],
           "%r0 = nn.layer_norm %arg0 scale %arg1 bias %arg2 {axis = 2 : i64} "
           ": ({t0}, {t1}, {t2}) -> {r0}",
           [f32(F.layer_norm(t(x), (8,), t(scale), t(bias), eps=1e-5))])
    x = uniform(rng, 2, 3, 4, 5, low=-1.0, high=5.0)
    scale = uniform(rng, 4, 5)
    m.case("layer_norm_two_dims", [x, scale],
           "%r0 = nn.layer_norm %arg0 scale %arg1 "
           "{axis = 2 : i64, epsilon = 0.01 : f64} : ({t0}, {t1}) -> {r0}",
           [f32(F.layer_norm(t(x), (4, 5), t(scale), None, eps=0.01))])
    x = uniform(rng, 3, 6)
    m.case("layer_norm_plain", [x],
           "%r0 = nn.layer_norm %arg0 {axis = 1 : i64} : ({t0}) -> {r0}",
           [f32(F.layer_norm(t(x), (6,), eps=1e-5))],
           arg_types=["tensor<?x6xf32>"], result_types=["tensor<?x6xf32>"])

    for name, shape in [("batch_norm_4d", (2, 3, 4, 5)),
                        ("batch_norm_2d", (4, 3))]:
        x = uniform(rng, *shape)
        scale, bias, mean = uniform(rng, 3), uniform(rng, 3), uniform(rng, 3)
        var = uniform(rng, 3, low=0.1, high=2.0)
        expected = F.batch_norm(t(x), t(mean), t(var), t(scale), t(bias),
                                training=False, eps=1e-3)
        m.case(name, [x, scale, bias, mean, var],
               "%r0 = nn.batch_norm %arg0, %arg1, %arg2, %arg3, %arg4 "
               "{epsilon = 1.0e-3 : f64} : ({t0}, {t1}, {t2}, {t3}, {t4}) "
               "-> {r0}", [f32(expected)])


def add_reduction_cases(m: ExecModule, rng: np.random.Generator) -> None:
    x = dyadic(rng, 2, 3, 4, 5)
    m.case("global_avg_pool_4d", [x],
           "%r0 = nn.global_avg_pool %arg0 : ({t0}) -> {r0}",
           [f32(F.adaptive_avg_pool2d(t(x), 1))])
    x = dyadic(rng, 2, 3, 7)
    m.case("global_avg_pool_3d_dynamic", [x],
           "%r0 = nn.global_avg_pool %arg0 : ({t0}) -> {r0}",
           [f32(t(x).mean(dim=2, keepdim=True))],
           arg_types=["tensor<?x3x?xf32>"], result_types=["tensor<?x3x1xf32>"])

    body = ("%r0 = nn.{op} %arg0 {{axes = array<i64: {axes}>, "
            "keepdims = {keep}}} : ({{t0}}) -> {{r0}}")
    x = dyadic(rng, 3, 4, 5)
    xn = uniform(rng, 3, 4, 5)
    xn[1, 2, 3] = np.nan
    for op, fn, value in [("reduce_sum", torch.sum, x),
                          ("reduce_mean", torch.mean, x),
                          ("reduce_max", torch.amax, xn)]:
        for axes in ((1,), (0, 2), (0, 1, 2)):
            for keep in (True, False):
                expected = fn(t(value), dim=axes, keepdim=keep)
                m.case(f"{op}_{''.join(map(str, axes))}_{int(keep)}", [value],
                       body.format(op=op, axes=", ".join(map(str, axes)),
                                   keep=str(keep).lower()), [f32(expected)])
    xi = rng.integers(-100, 100, size=(4, 6)).astype(np.int32)
    m.case("reduce_sum_int", [xi],
           body.format(op="reduce_sum", axes="1", keep="false"),
           [xi.sum(axis=1).astype(np.int32)])
    m.case("reduce_max_int", [xi],
           body.format(op="reduce_max", axes="0", keep="true"),
           [xi.max(axis=0, keepdims=True)])
    x = dyadic(rng, 3, 4)
    m.case("reduce_mean_dynamic", [x],
           body.format(op="reduce_mean", axes="1", keep="true"),
           [f32(t(x).mean(dim=1, keepdim=True))],
           arg_types=["tensor<?x?xf32>"], result_types=["tensor<?x1xf32>"])


def main() -> None:
    args = parse_args()
    rng = np.random.default_rng(11)
    m = ExecModule()
    add_softmax_cases(m, rng)
    add_norm_cases(m, rng)
    add_reduction_cases(m, rng)
    m.write(args.mlir, args.expected)


if __name__ == "__main__":
    main()
