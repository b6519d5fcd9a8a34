"""Execution cases for nn.resize, with two references computed here: PyTorch's
torch.nn.functional.interpolate (nearest, bilinear and bicubic, with and
without align_corners) and the NumPy reference implementation that ONNX
ships with its backend tests (onnx.backend.test.case.node.resize), which
defines every ONNX mode: half_pixel, pytorch_half_pixel, align_corners,
asymmetric and tf_crop_and_resize coordinates, the four nearest roundings,
cubic with exclude_outside, resizing of every dimension, integer tensors
and a dynamic batch dimension."""

import os
import sys
from typing import Optional, Sequence

import numpy as np
import torch
from onnx.backend.test.case.node.resize import (cubic_coeffs, interpolate_nd,
                                                linear_coeffs, nearest_coeffs)

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nn_exec import ExecModule, parse_args, uniform  # noqa: E402


def f64_list(values: Sequence[float]) -> str:
    """Returns `array<f64: ...>` holding `values` exactly."""
    return "array<f64: " + ", ".join(repr(float(v)) for v in values) + ">"


def resize_body(scales: Sequence[float], **attrs: str) -> str:
    """Returns the nn.resize of %arg0 with `scales` and extra attributes."""
    entries = [f"scales = {f64_list(scales)}"]
    entries += [f"{key} = {value}" for key, value in attrs.items()]
    return ("%r0 = nn.resize %arg0 {" + ", ".join(entries) +
            "} : ({t0}) -> {r0}")


def coord(mode: str) -> str:
    """Returns the nn spelling of a coordinate transformation mode."""
    return f"#nn.coordinate_mode<{mode}>"


def onnx_reference(data: np.ndarray, mode: str, scales: np.ndarray,
                   sizes: Optional[Sequence[int]] = None,
                   nearest_mode: str = "round_prefer_floor",
                   cubic_a: float = -0.75, **kwargs) -> np.ndarray:
    """Resizes `data` with ONNX's reference implementation; `scales` are
    float32 as in a model, and used only when `sizes` is None."""
    coeffs = {
        "nearest": lambda r: nearest_coeffs(r, mode=nearest_mode),
        "linear": linear_coeffs,
        "cubic": lambda r: cubic_coeffs(r, A=cubic_a),
    }[mode]
    if sizes is not None:
        result = interpolate_nd(data, coeffs, output_size=list(sizes),
                                **kwargs)
    else:
        result = interpolate_nd(data, coeffs, scale_factors=scales, **kwargs)
    return result.astype(data.dtype)


def sizes_scales(data: np.ndarray, sizes: Sequence[int]) -> list:
    """Returns the scales ONNX derives from output sizes."""
    return list(np.array(sizes) / np.array(data.shape))


def add_torch_cases(m: ExecModule, rng: np.random.Generator) -> None:
    x = uniform(rng, 1, 2, 3, 4)
    t = torch.from_numpy(x)
    scales = [1.0, 1.0, 2.0, 2.0]

    def torch_case(name: str, expected: torch.Tensor, **attrs: str) -> None:
        m.case(name, [x], resize_body(scales, **attrs), [expected.numpy()])

    # PyTorch's nearest samples at floor(x / scale).
    torch_case("torch_nearest",
               torch.nn.functional.interpolate(t, scale_factor=2,
                                               mode="nearest"),
               coordinate_transformation_mode=coord("asymmetric"),
               nearest_mode="#nn.nearest_mode<floor>")
    for align in (False, True):
        coordinates = "align_corners" if align else "half_pixel"
        torch_case(f"torch_bilinear_{coordinates}",
                   torch.nn.functional.interpolate(
                       t, scale_factor=2, mode="bilinear",
                       align_corners=align),
                   mode="#nn.resize_mode<linear>",
                   coordinate_transformation_mode=(
                       f"#nn.coordinate_mode<{coordinates}>"))
        torch_case(f"torch_bicubic_{coordinates}",
                   torch.nn.functional.interpolate(
                       t, scale_factor=2, mode="bicubic",
                       align_corners=align),
                   mode="#nn.resize_mode<cubic>",
                   coordinate_transformation_mode=(
                       f"#nn.coordinate_mode<{coordinates}>"))


def add_onnx_cases(m: ExecModule, rng: np.random.Generator) -> None:
    x = uniform(rng, 1, 1, 4, 4)

    # Nearest: every rounding, up and down, in several coordinate modes.
    for scales, coordinates, rounding in [
            ([1, 1, 2, 3], "half_pixel", "round_prefer_floor"),
            ([1, 1, 0.6, 0.6], "half_pixel", "round_prefer_floor"),
            ([1, 1, 2, 2], "asymmetric", "round_prefer_ceil"),
            ([1, 1, 1.5, 2.5], "half_pixel", "ceil"),
            ([1, 1, 2, 2], "align_corners", "floor"),
            ([1, 1, 0.5, 0.75], "pytorch_half_pixel", "round_prefer_ceil")]:
        s = np.array(scales, dtype=np.float32)
        expected = onnx_reference(x, "nearest", s, nearest_mode=rounding,
                                  coordinate_transformation_mode=coordinates)
        direction = "up" if s[2] > 1 else "down"
        name = f"nearest_{coordinates}_{rounding}_{direction}"
        m.case(name, [x], resize_body(
            s, coordinate_transformation_mode=coord(coordinates),
            nearest_mode=f"#nn.nearest_mode<{rounding}>"), [expected])

    # Linear and cubic, up and down, in every coordinate mode.
    for mode in ("linear", "cubic"):
        for scales, coordinates in [
                ([1, 1, 2, 1.5], "half_pixel"),
                ([1, 1, 0.6, 0.8], "half_pixel"),
                ([1, 1, 2, 2], "asymmetric"),
                ([1, 1, 0.6, 1.75], "align_corners")]:
            s = np.array(scales, dtype=np.float32)
            expected = onnx_reference(
                x, mode, s, coordinate_transformation_mode=coordinates)
            name = f"{mode}_{coordinates}_{scales[2]}_{scales[3]}".replace(
                ".", "p")
            m.case(name, [x], resize_body(
                s, mode=f"#nn.resize_mode<{mode}>",
                coordinate_transformation_mode=(
                    f"#nn.coordinate_mode<{coordinates}>")), [expected],
                rtol=1e-5, atol=1e-5)

    # Cubic with another coefficient and exclude_outside.
    for scales in ([1, 1, 2, 2], [1, 1, 0.8, 0.8]):
        s = np.array(scales, dtype=np.float32)
        expected = onnx_reference(x, "cubic", s, cubic_a=-0.5,
                                  exclude_outside=True)
        m.case(f"cubic_exclude_outside_{'up' if s[2] > 1 else 'down'}", [x],
               resize_body(s, mode="#nn.resize_mode<cubic>",
                           cubic_coeff_a="-0.5", exclude_outside="true"),
               [expected], rtol=1e-5, atol=1e-5)

    # Output sizes, where the scale is their ratio: a dimension of one
    # output element in pytorch_half_pixel mode.
    sizes = [1, 1, 3, 1]
    expected = onnx_reference(
        x, "linear", None, sizes=sizes,
        coordinate_transformation_mode="pytorch_half_pixel")
    m.case("linear_pytorch_half_pixel_sizes", [x], resize_body(
        sizes_scales(x, sizes), mode="#nn.resize_mode<linear>",
        coordinate_transformation_mode=coord("pytorch_half_pixel")),
        [expected], rtol=1e-5, atol=1e-5)

    # tf_crop_and_resize: a region that reaches past the input, filled with
    # the extrapolation value.
    sizes = [1, 1, 3, 3]
    roi = np.array([0, 0, 0.4, 0.6, 1, 1, 1.2, 1.7], dtype=np.float32)
    expected = onnx_reference(
        x, "linear", None, sizes=sizes, roi=roi, extrapolation_value=10.0,
        coordinate_transformation_mode="tf_crop_and_resize")
    m.case("linear_tf_crop_and_resize", [x], resize_body(
        sizes_scales(x, sizes), mode="#nn.resize_mode<linear>",
        coordinate_transformation_mode=coord("tf_crop_and_resize"),
        roi=f64_list(roi), extrapolation_value="10.0"), [expected],
        rtol=1e-5, atol=1e-5)

    # Every dimension resized, in trilinear and tricubic mode, in f64.
    y = uniform(rng, 2, 3, 4).astype(np.float64)
    s = np.array([1.5, 0.67, 2.0], dtype=np.float32)
    for mode in ("linear", "cubic"):
        m.case(f"{mode}_all_dims_f64", [y],
               resize_body(s, mode=f"#nn.resize_mode<{mode}>"),
               [onnx_reference(y, mode, s)], rtol=1e-9, atol=1e-9)

    # Nearest mode only moves elements: integers, and a dynamic batch.
    xi = rng.integers(-100, 100, size=(2, 1, 3, 3)).astype(np.int32)
    s = np.array([1, 1, 1.7, 0.7], dtype=np.float32)
    m.case("nearest_int32_dynamic_batch", [xi], resize_body(s),
           [onnx_reference(xi, "nearest", s)],
           arg_types=["tensor<?x1x3x3xi32>"],
           result_types=["tensor<?x1x5x2xi32>"])
    z = uniform(rng, 3, 1, 2, 2)
    s = np.array([1, 1, 3, 2], dtype=np.float32)
    m.case("linear_dynamic_batch", [z], resize_body(
        s, mode="#nn.resize_mode<linear>"),
        [onnx_reference(z, "linear", s)],
        arg_types=["tensor<?x1x2x2xf32>"],
        result_types=["tensor<?x1x6x4xf32>"],
        rtol=1e-5, atol=1e-5)


def main() -> None:
    args = parse_args()
    rng = np.random.default_rng(11)
    m = ExecModule()
    add_torch_cases(m, rng)
    add_onnx_cases(m, rng)
    m.write(args.mlir, args.expected)


if __name__ == "__main__":
    main()
