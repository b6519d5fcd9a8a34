"""Execution cases for conv3d, conv_transpose and the 3-D pools, with
PyTorch as reference: padded, strided, dilated and grouped 3-D convolutions;
1-D, 2-D and 3-D transposed convolutions with strides, dilations, groups,
output_padding and pads (negative pads extend the output with bias-only
positions); 3-D max pooling with -inf padding, dilation, ceil_mode and NaN;
3-D average pooling with and without count_include_pad. Contractions use
dyadic inputs, whose float32 sums are exact in any order."""

import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nn_exec import ExecModule, dyadic, parse_args, uniform  # noqa: E402
from gen_layers import attrs, f32, t  # noqa: E402


def add_conv3d_cases(m: ExecModule, rng: np.random.Generator) -> None:
    configs = [
        # name, N, C, (D, H, W), O, k, stride, pads, dilation, groups
        ("conv3d_basic", 1, 2, (4, 5, 4), 3, (2, 3, 2), (1, 1, 1),
         [0, 0, 0, 0, 0, 0], (1, 1, 1), 1),
        ("conv3d_pad_stride", 2, 2, (5, 5, 6), 4, (3, 3, 3), (2, 1, 2),
         [1, 0, 1, 1, 2, 0], (1, 1, 1), 1),
        ("conv3d_dilated", 1, 2, (6, 5, 5), 2, (2, 2, 2), (1, 2, 1),
         [1, 1, 1, 1, 1, 1], (2, 1, 2), 1),
        ("conv3d_grouped", 2, 4, (4, 4, 5), 6, (3, 2, 3), (1, 1, 2),
         [1, 1, 1, 1, 0, 1], (1, 1, 1), 2),
    ]
    for name, n, c, spatial, o, k, stride, pads, dilation, groups in configs:
        x = dyadic(rng, n, c, *spatial)
        weight = dyadic(rng, o, c // groups, *k)
        bias = dyadic(rng, o)
        padded = F.pad(t(x), (pads[2], pads[5], pads[1], pads[4], pads[0],
                              pads[3]))
        for with_bias in (True, False):
            y = F.conv3d(padded, t(weight), t(bias) if with_bias else None,
                         stride=stride, dilation=dilation, groups=groups)
            operands = "%arg0, %arg1, %arg2" if with_bias else "%arg0, %arg1"
            types = "{t0}, {t1}, {t2}" if with_bias else "{t0}, {t1}"
            a = attrs(strides=list(stride), pads=pads,
                      dilations=list(dilation), groups=groups)
            m.case(f"{name}{'_bias' if with_bias else ''}",
                   [x, weight, bias] if with_bias else [x, weight],
                   f"%r0 = nn.conv3d {operands} {a} : ({types}) -> {{r0}}",
                   [f32(y)])
    # Dynamic batch.
    x, weight = dyadic(rng, 2, 2, 4, 4, 4), dyadic(rng, 3, 2, 2, 2, 2)
    m.case("conv3d_dynamic_batch", [x, weight],
           "%r0 = nn.conv3d %arg0, %arg1 : ({t0}, {t1}) -> {r0}",
           [f32(F.conv3d(t(x), t(weight)))],
           arg_types=["tensor<?x2x4x4x4xf32>", None],
           result_types=["tensor<?x3x3x3x3xf32>"])


def conv_transpose_reference(x: np.ndarray, weight: np.ndarray,
                             bias: np.ndarray, stride, pads, dilation,
                             output_padding, groups) -> np.ndarray:
    """torch's conv_transpose with no padding, then the ONNX crop (positive
    pads) or bias-only extension (negative pads) on each side."""
    spatial = x.ndim - 2
    fn = [F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d][
        spatial - 1]
    full = fn(t(x), t(weight), None, stride=stride, dilation=dilation,
              groups=groups)
    # F.pad crops with negative amounts and extends with positive ones; the
    # last dimension comes first.
    amounts = []
    for i in reversed(range(spatial)):
        amounts += [-pads[i], -pads[spatial + i] + output_padding[i]]
    y = F.pad(full, tuple(amounts))
    y = y + t(bias).reshape((1, -1) + (1,) * spatial)
    return f32(y)


def add_conv_transpose_cases(m: ExecModule, rng: np.random.Generator) -> None:
    configs = [
        # name, N, C, spatial, O/groups, k, stride, pads, dilation,
        # output_padding, groups
        ("convt1d", 2, 3, (5,), 2, (3,), (2,), [1, 0], (1,), (1,), 1),
        ("convt2d_basic", 1, 2, (3, 4), 3, (3, 3), (1, 1), [0, 0, 0, 0],
         (1, 1), (0, 0), 1),
        ("convt2d_stride_pad", 2, 2, (4, 3), 2, (3, 2), (3, 2),
         [1, 2, 1, 0], (1, 1), (2, 1), 1),
        ("convt2d_dilated_grouped", 1, 4, (3, 3), 3, (2, 3), (2, 1),
         [0, 1, 1, 0], (2, 2), (1, 0), 2),
        ("convt2d_negative_pads", 1, 1, (3, 3), 2, (3, 3), (3, 2),
         [-1, 0, 2, -2], (1, 1), (0, 0), 1),
        ("convt3d", 1, 2, (2, 3, 3), 2, (2, 3, 2), (2, 1, 2),
         [0, 1, 0, 1, 0, 1], (1, 1, 2), (1, 0, 0), 1),
    ]
    for (name, n, c, spatial, o, k, stride, pads, dilation, output_padding,
         groups) in configs:
        x = dyadic(rng, n, c, *spatial)
        weight = dyadic(rng, c, o, *k)
        bias = dyadic(rng, o * groups)
        zero_bias = np.zeros_like(bias)
        for with_bias in (True, False):
            y = conv_transpose_reference(
                x, weight, bias if with_bias else zero_bias, stride, pads,
                dilation, output_padding, groups)
            operands = "%arg0, %arg1, %arg2" if with_bias else "%arg0, %arg1"
            types = "{t0}, {t1}, {t2}" if with_bias else "{t0}, {t1}"
            a = attrs(strides=list(stride), pads=pads,
                      dilations=list(dilation),
                      output_padding=list(output_padding), groups=groups)
            m.case(f"{name}{'_bias' if with_bias else ''}",
                   [x, weight, bias] if with_bias else [x, weight],
                   f"%r0 = nn.conv_transpose {operands} {a} : ({types}) "
                   "-> {r0}", [y])
    # Dynamic batch, grouped, with a bias.
    x, weight, bias = dyadic(rng, 2, 4, 3, 2), dyadic(rng, 4, 1, 2, 2), \
        dyadic(rng, 2)
    y = conv_transpose_reference(x, weight, bias, (2, 2), [0, 0, 1, 1],
                                 (1, 1), (0, 0), 2)
    a = attrs(strides=[2, 2], pads=[0, 0, 1, 1], dilations=[1, 1],
              output_padding=[0, 0], groups=2)
    m.case("convt_dynamic_batch", [x, weight, bias],
           f"%r0 = nn.conv_transpose %arg0, %arg1, %arg2 {a} "
           ": ({t0}, {t1}, {t2}) -> {r0}", [y],
           arg_types=["tensor<?x4x3x2xf32>", None, None],
           result_types=["tensor<?x2x5x3xf32>"])


def add_pool3d_cases(m: ExecModule, rng: np.random.Generator) -> None:
    max_configs = [
        # name, spatial, kernel, stride, pad, dilation, ceil_mode
        ("maxpool3d_basic", (4, 4, 6), (2, 2, 2), (2, 2, 2), (0, 0, 0),
         (1, 1, 1), False),
        ("maxpool3d_pad", (5, 4, 5), (3, 2, 3), (2, 1, 2), (1, 1, 1),
         (1, 1, 1), False),
        ("maxpool3d_ceil_dilated", (6, 5, 7), (2, 2, 3), (2, 2, 2),
         (1, 0, 1), (2, 1, 1), True),
    ]
    for name, spatial, kernel, stride, pad, dilation, ceil in max_configs:
        # All-negative inputs: a padded 0 would win if padding were not -inf.
        x = uniform(rng, 2, 2, *spatial, low=-5.0, high=-0.5)
        x[0, 0, 0, 0, 0] = np.nan
        y = F.max_pool3d(t(x), kernel, stride, pad, dilation, ceil_mode=ceil)
        a = attrs(kernel_shape=list(kernel), strides=list(stride),
                  pads=list(pad) + list(pad), dilations=list(dilation),
                  ceil_mode=ceil)
        m.case(name, [x],
               f"%r0 = nn.max_pool3d %arg0 {a} : ({{t0}}) -> {{r0}}",
               [f32(y)])
    avg_configs = [
        # name, spatial, kernel, stride, pad, ceil_mode, count_include_pad
        ("avgpool3d_basic", (4, 4, 4), (2, 2, 2), (2, 2, 2), (0, 0, 0),
         False, False),
        ("avgpool3d_pad_exclude", (5, 4, 5), (3, 3, 3), (2, 1, 2), (1, 1, 1),
         False, False),
        ("avgpool3d_pad_include", (5, 4, 5), (3, 3, 3), (2, 1, 2), (1, 1, 1),
         False, True),
        ("avgpool3d_ceil", (6, 5, 7), (3, 2, 3), (2, 2, 2), (1, 0, 1), True,
         False),
    ]
    for name, spatial, kernel, stride, pad, ceil, include in avg_configs:
        x = dyadic(rng, 2, 2, *spatial)
        y = F.avg_pool3d(t(x), kernel, stride, pad, ceil_mode=ceil,
                         count_include_pad=include)
        a = attrs(kernel_shape=list(kernel), strides=list(stride),
                  pads=list(pad) + list(pad), ceil_mode=ceil,
                  count_include_pad=include)
        m.case(name, [x],
               f"%r0 = nn.avg_pool3d %arg0 {a} : ({{t0}}) -> {{r0}}",
               [f32(y)])
    # Dynamic batch and channels.
    x = uniform(rng, 2, 3, 4, 4, 4)
    m.case("maxpool3d_dynamic", [x],
           "%r0 = nn.max_pool3d %arg0 {kernel_shape = array<i64: 2, 2, 2>} "
           ": ({t0}) -> {r0}", [f32(F.max_pool3d(t(x), 2, 1))],
           arg_types=["tensor<?x?x4x4x4xf32>"],
           result_types=["tensor<?x?x3x3x3xf32>"])


def main() -> None:
    args = parse_args()
    rng = np.random.default_rng(11)
    m = ExecModule()
    add_conv3d_cases(m, rng)
    add_conv_transpose_cases(m, rng)
    add_pool3d_cases(m, rng)
    m.write(args.mlir, args.expected)


if __name__ == "__main__":
    main()
