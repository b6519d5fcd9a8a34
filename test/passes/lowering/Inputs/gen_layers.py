"""Execution cases for conv2d, matmul, batch_matmul, gemm, linear and the
2-D pools, with PyTorch as reference: padded, strided, dilated, grouped and
depthwise convolutions; NumPy matmul with 1-D promotion and batch
broadcasting; gemm transposes, alpha/beta and C broadcasting; max pooling with
-inf padding, dilation, ceil_mode and NaN; average pooling with and without
count_include_pad, with ceil_mode. Contractions use dyadic inputs, whose
float32 sums are exact in any order."""

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


def attrs(**values) -> str:
    """Formats nn attributes: lists as i64 arrays, ints as i64, bools."""
    parts = []
    for key, value in values.items():
        if isinstance(value, bool):
            parts.append(f"{key} = {'true' if value else 'false'}")
        elif isinstance(value, (list, tuple)):
            parts.append(f"{key} = array<i64: {', '.join(map(str, value))}>")
        elif isinstance(value, float):
            parts.append(f"{key} = {value!r} : f64")
        else:
            parts.append(f"{key} = {value} : i64")
    return "{" + ", ".join(parts) + "}"


def add_conv_cases(m: ExecModule, rng: np.random.Generator) -> None:
    configs = [
        # name, N, C, H, W, O, k, stride, pads [t, l, b, r], dilation, groups
        ("conv_basic", 1, 3, 6, 7, 4, (3, 3), (1, 1), [0, 0, 0, 0], (1, 1), 1),
        ("conv_pad_stride", 2, 3, 7, 6, 5, (3, 2), (2, 2), [1, 1, 1, 1],
         (1, 1), 1),
        ("conv_asym_pad", 1, 2, 5, 5, 3, (3, 3), (1, 2), [0, 2, 1, 0], (1, 1),
         1),
        ("conv_dilated", 1, 2, 9, 8, 3, (3, 3), (1, 1), [2, 2, 2, 2], (2, 3),
         1),
        ("conv_grouped", 2, 4, 6, 6, 6, (3, 3), (1, 1), [1, 1, 1, 1], (1, 1),
         2),
        ("conv_depthwise", 1, 4, 6, 5, 4, (3, 3), (2, 1), [1, 1, 1, 1],
         (1, 1), 4),
        ("conv_depthwise_multiplier", 1, 3, 5, 5, 6, (2, 2), (1, 1),
         [0, 0, 1, 1], (1, 1), 3),
    ]
    for name, n, c, h, w, o, k, stride, pads, dilation, groups in configs:
        x = dyadic(rng, n, c, h, w)
        weight = dyadic(rng, o, c // groups, *k)
        bias = dyadic(rng, o)
        padded = F.pad(t(x), (pads[1], pads[3], pads[0], pads[2]))
        for with_bias in (True, False):
            y = F.conv2d(padded, t(weight), t(bias) if with_bias else None,
                         stride=stride, dilation=dilation, groups=groups)
            operands = "%arg0, %arg1, %arg2" if with_bias else "%arg0, %arg1"
            types = "{t0}, {t1}, {t2}" if with_bias else "{t0}, {t1}"
            a = attrs(strides=list(stride), pads=pads,
                      dilations=list(dilation), groups=groups)
            m.case(f"{name}{'_bias' if with_bias else ''}",
                   [x, weight, bias] if with_bias else [x, weight],
                   f"%r0 = nn.conv2d {operands} {a} : ({types}) -> {{r0}}",
                   [f32(y)])
    # Dynamic batch and spatial sizes.
    x, weight, bias = dyadic(rng, 2, 2, 7, 6), dyadic(rng, 3, 2, 3, 3), \
        dyadic(rng, 3)
    y = F.conv2d(t(x), t(weight), t(bias), stride=2, padding=1)
    m.case("conv_dynamic", [x, weight, bias],
           "%r0 = nn.conv2d %arg0, %arg1, %arg2 "
           "{strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} "
           ": ({t0}, {t1}, {t2}) -> {r0}", [f32(y)],
           arg_types=["tensor<?x2x?x?xf32>", None, None],
           result_types=["tensor<?x3x?x?xf32>"])


def add_matmul_cases(m: ExecModule, rng: np.random.Generator) -> None:
    shapes = [
        ("mm_2d", (3, 4), (4, 5)),
        ("mm_vec_vec", (6,), (6,)),
        ("mm_vec_mat", (4,), (4, 3)),
        ("mm_mat_vec", (3, 4), (4,)),
        ("mm_vec_batch", (4,), (2, 4, 3)),
        ("mm_batch_vec", (2, 3, 4), (4,)),
        ("mm_batch_mat", (2, 3, 4, 5), (5, 2)),
        ("mm_mat_batch", (3, 4), (2, 4, 5)),
        ("mm_broadcast", (2, 1, 3, 4), (5, 4, 2)),
    ]
    body = "%r0 = nn.matmul %arg0, %arg1 : ({t0}, {t1}) -> {r0}"
    for name, lhs_shape, rhs_shape in shapes:
        lhs, rhs = dyadic(rng, *lhs_shape), dyadic(rng, *rhs_shape)
        m.case(name, [lhs, rhs], body, [f32(torch.matmul(t(lhs), t(rhs)))])
    lhs = rng.integers(-9, 9, size=(3, 4)).astype(np.int32)
    rhs = rng.integers(-9, 9, size=(4, 2)).astype(np.int32)
    m.case("mm_int", [lhs, rhs], body, [lhs @ rhs])
    lhs, rhs = dyadic(rng, 3, 2, 4), dyadic(rng, 3, 4, 5)
    m.case("mm_dynamic_batch", [lhs, rhs], body,
           [f32(torch.matmul(t(lhs), t(rhs)))],
           arg_types=["tensor<?x2x4xf32>", "tensor<?x4x5xf32>"],
           result_types=["tensor<?x2x5xf32>"])
    lhs, rhs = dyadic(rng, 1, 2, 4), dyadic(rng, 3, 4, 5)
    m.case("mm_dynamic_unit_batch", [lhs, rhs], body,
           [f32(torch.matmul(t(lhs), t(rhs)))],
           arg_types=["tensor<?x2x4xf32>", "tensor<?x4x5xf32>"],
           result_types=["tensor<?x2x5xf32>"])
    lhs, rhs = dyadic(rng, 2, 3, 5), dyadic(rng, 5, 4)
    m.case("mm_dynamic_rows", [lhs, rhs], body,
           [f32(torch.matmul(t(lhs), t(rhs)))],
           arg_types=["tensor<?x?x5xf32>", None],
           result_types=["tensor<?x?x4xf32>"])
    lhs, rhs = dyadic(rng, 2, 1, 3, 4), dyadic(rng, 1, 3, 4, 2)
    m.case("batch_matmul_broadcast", [lhs, rhs],
           "%r0 = nn.batch_matmul %arg0, %arg1 : ({t0}, {t1}) -> {r0}",
           [f32(torch.matmul(t(lhs), t(rhs)))])


def add_gemm_linear_cases(m: ExecModule, rng: np.random.Generator) -> None:
    configs = [
        # name, transA, transB, alpha, beta, C shape (None: no C)
        ("gemm_plain", False, False, 1.0, 1.0, (3, 5)),
        ("gemm_trans_a", True, False, 1.0, 1.0, (5,)),
        ("gemm_trans_b", False, True, 1.0, 0.5, (3, 1)),
        ("gemm_trans_both", True, True, 0.25, 2.0, (1,)),
        ("gemm_alpha_no_c", False, False, 2.0, 1.0, None),
        ("gemm_no_c", True, False, 1.0, 1.0, None),
    ]
    for name, trans_a, trans_b, alpha, beta, c_shape in configs:
        a = dyadic(rng, *((4, 3) if trans_a else (3, 4)))
        b = dyadic(rng, *((5, 4) if trans_b else (4, 5)))
        product = (t(a).T if trans_a else t(a)) @ (t(b).T if trans_b else t(b))
        expected = alpha * product
        args = [a, b]
        if c_shape:
            c = dyadic(rng, *c_shape)
            expected = expected + beta * t(c)
            args.append(c)
        a_text = attrs(trans_a=trans_a, trans_b=trans_b, alpha=alpha,
                       beta=beta)
        operands = ", ".join(f"%arg{i}" for i in range(len(args)))
        types = ", ".join(f"{{t{i}}}" for i in range(len(args)))
        m.case(name, args, f"%r0 = nn.gemm {operands} {a_text} : ({types}) "
               "-> {r0}", [f32(expected)])
    for name, shape, with_bias in [("linear_1d", (6,), True),
                                   ("linear_2d", (3, 6), False),
                                   ("linear_3d", (2, 3, 6), True)]:
        x, weight, bias = dyadic(rng, *shape), dyadic(rng, 4, 6), \
            dyadic(rng, 4)
        expected = F.linear(t(x), t(weight), t(bias) if with_bias else None)
        args = [x, weight, bias] if with_bias else [x, weight]
        operands = ", ".join(f"%arg{i}" for i in range(len(args)))
        types = ", ".join(f"{{t{i}}}" for i in range(len(args)))
        m.case(name, args,
               f"%r0 = nn.linear {operands} : ({types}) -> {{r0}}",
               [f32(expected)])
    x, weight, bias = dyadic(rng, 3, 6), dyadic(rng, 4, 6), dyadic(rng, 4)
    m.case("linear_dynamic", [x, weight, bias],
           "%r0 = nn.linear %arg0, %arg1, %arg2 : ({t0}, {t1}, {t2}) -> {r0}",
           [f32(F.linear(t(x), t(weight), t(bias)))],
           arg_types=["tensor<?x6xf32>", None, None],
           result_types=["tensor<?x4xf32>"])


def add_pool_cases(m: ExecModule, rng: np.random.Generator) -> None:
    # Symmetric padding, so PyTorch computes the reference directly.
    max_configs = [
        # name, H, W, kernel, stride, pad, dilation, ceil_mode
        ("maxpool_basic", 6, 6, (2, 2), (2, 2), (0, 0), (1, 1), False),
        ("maxpool_pad", 5, 7, (3, 3), (2, 2), (1, 1), (1, 1), False),
        ("maxpool_ceil", 6, 7, (3, 2), (2, 2), (1, 0), (1, 1), True),
        ("maxpool_ceil_nopad", 5, 5, (2, 2), (2, 2), (0, 0), (1, 1), True),
        ("maxpool_dilated", 8, 9, (2, 3), (1, 2), (1, 1), (2, 2), True),
    ]
    for name, h, w, kernel, stride, pad, dilation, ceil in max_configs:
        # All-negative inputs: a padded 0 would win if padding were not -inf.
        x = uniform(rng, 2, 3, h, w, low=-5.0, high=-0.5)
        x[0, 0, 0, 0] = np.nan
        y = F.max_pool2d(t(x), kernel, stride, pad, dilation, ceil_mode=ceil)
        a = attrs(kernel_shape=list(kernel), strides=list(stride),
                  pads=[pad[0], pad[1], pad[0], pad[1]],
                  dilations=list(dilation), ceil_mode=ceil)
        m.case(name, [x],
               f"%r0 = nn.max_pool2d %arg0 {a} : ({{t0}}) -> {{r0}}",
               [f32(y)])
    # Asymmetric padding against an explicitly -inf-padded PyTorch input.
    x = uniform(rng, 1, 2, 5, 6, low=-5.0, high=-0.5)
    padded = F.pad(t(x), (2, 0, 0, 1), value=-np.inf)
    m.case("maxpool_asym_pad", [x],
           "%r0 = nn.max_pool2d %arg0 {kernel_shape = array<i64: 3, 3>, "
           "pads = array<i64: 0, 2, 1, 0>} : ({t0}) -> {r0}",
           [f32(F.max_pool2d(padded, 3, 1))])

    avg_configs = [
        # name, H, W, kernel, stride, pad, ceil_mode, count_include_pad
        ("avgpool_basic", 6, 6, (2, 2), (2, 2), (0, 0), False, False),
        ("avgpool_pad_exclude", 5, 7, (3, 3), (2, 2), (1, 1), False, False),
        ("avgpool_pad_include", 5, 7, (3, 3), (2, 2), (1, 1), False, True),
        ("avgpool_ceil_exclude", 6, 7, (3, 2), (2, 2), (1, 0), True, False),
        ("avgpool_ceil_include", 6, 7, (3, 3), (2, 2), (1, 1), True, True),
        ("avgpool_ceil_nopad_include", 5, 5, (2, 2), (2, 2), (0, 0), True,
         True),
    ]
    for name, h, w, kernel, stride, pad, ceil, include in avg_configs:
        x = dyadic(rng, 2, 2, h, w)
        y = F.avg_pool2d(t(x), kernel, stride, pad, ceil_mode=ceil,
                         count_include_pad=include)
        a = attrs(kernel_shape=list(kernel), strides=list(stride),
                  pads=[pad[0], pad[1], pad[0], pad[1]], ceil_mode=ceil,
                  count_include_pad=include)
        m.case(name, [x],
               f"%r0 = nn.avg_pool2d %arg0 {a} : ({{t0}}) -> {{r0}}",
               [f32(y)])
    # Asymmetric padding, excluding pads: window sums over counts of real
    # elements, both from zero-padded PyTorch pools.
    x = dyadic(rng, 1, 2, 5, 6)
    sums = F.avg_pool2d(F.pad(t(x), (0, 2, 1, 0)), 3, 2, divisor_override=1)
    counts = F.avg_pool2d(F.pad(torch.ones_like(t(x)), (0, 2, 1, 0)), 3, 2,
                          divisor_override=1)
    m.case("avgpool_asym_exclude", [x],
           "%r0 = nn.avg_pool2d %arg0 {kernel_shape = array<i64: 3, 3>, "
           "strides = array<i64: 2, 2>, pads = array<i64: 1, 0, 0, 2>} "
           ": ({t0}) -> {r0}", [f32(sums / counts)])
    # Dynamic batch and spatial sizes: the divisor is computed at run time.
    x = dyadic(rng, 2, 3, 6, 7)
    y = F.avg_pool2d(t(x), (3, 2), (2, 2), (1, 0), ceil_mode=True,
                     count_include_pad=False)
    m.case("avgpool_dynamic", [x],
           "%r0 = nn.avg_pool2d %arg0 {kernel_shape = array<i64: 3, 2>, "
           "strides = array<i64: 2, 2>, pads = array<i64: 1, 0, 1, 0>, "
           "ceil_mode = true} : ({t0}) -> {r0}", [f32(y)],
           arg_types=["tensor<?x3x?x?xf32>"],
           result_types=["tensor<?x3x?x?xf32>"])
    x = uniform(rng, 2, 3, 6, 7)
    y = F.max_pool2d(t(x), (3, 2), (2, 2), (1, 0), ceil_mode=True)
    m.case("maxpool_dynamic", [x],
           "%r0 = nn.max_pool2d %arg0 {kernel_shape = array<i64: 3, 2>, "
           "strides = array<i64: 2, 2>, pads = array<i64: 1, 0, 1, 0>, "
           "ceil_mode = true} : ({t0}) -> {r0}", [f32(y)],
           arg_types=["tensor<?x3x?x?xf32>"],
           result_types=["tensor<?x3x?x?xf32>"])


def main() -> None:
    args = parse_args()
    rng = np.random.default_rng(7)
    m = ExecModule()
    add_conv_cases(m, rng)
    add_matmul_cases(m, rng)
    add_gemm_linear_cases(m, rng)
    add_pool_cases(m, rng)
    m.write(args.mlir, args.expected)


if __name__ == "__main__":
    main()
