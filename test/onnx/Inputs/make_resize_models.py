#!/usr/bin/env python3
"""Writes the ONNX models of resize.test: Resize in opsets 10, 11 and 13
and Upsample in opsets 7 and 9, plus models the importer must reject.

Usage: make_resize_models.py OUTPUT_DIR   (saves OUTPUT_DIR/<name>.onnx)
"""

import pathlib
import sys
from typing import List, Optional, Sequence

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

F32 = TensorProto.FLOAT


def const(name: str, values, dtype=np.float32) -> TensorProto:
    """An initializer."""
    return numpy_helper.from_array(np.array(values, dtype=dtype), name)


def resize_model(op: str, opset: int, x_shape: Sequence[int],
                 inputs: List[str], initializers: list,
                 extra_inputs: Optional[list] = None,
                 **attrs) -> onnx.ModelProto:
    """One Resize or Upsample node from x to y (other inputs constant
    unless listed in `extra_inputs`)."""
    node = helper.make_node(op, ["x"] + inputs, ["y"], name="r", **attrs)
    graph = helper.make_graph(
        [node], "graph",
        [helper.make_tensor_value_info("x", F32, x_shape)] +
        (extra_inputs or []),
        [helper.make_tensor_value_info("y", F32, ["n", "c", "h", "w"])],
        initializer=initializers)
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", opset)],
        producer_name="kiln-tests")
    model.ir_version = 7
    return model


def models() -> dict:
    scales = const("scales", [1, 1, 2, 3])
    empty = const("empty", [])
    sizes = const("sizes", [1, 1, 3, 2], dtype=np.int64)
    return {
        # Opset 13: scales, and sizes with every attribute.
        "resize13_scales": resize_model(
            "Resize", 13, [1, 1, 2, 2], ["", "scales"], [scales]),
        "resize13_sizes_cubic": resize_model(
            "Resize", 13, [1, 1, 4, 4], ["", "", "sizes"], [sizes],
            mode="cubic", cubic_coeff_a=-0.5, exclude_outside=1,
            coordinate_transformation_mode="align_corners"),
        "resize13_crop": resize_model(
            "Resize", 13, [1, 1, 4, 4], ["roi", "", "sizes"],
            [sizes, const("roi", [0, 0, 0.25, 0.5, 1, 1, 0.75, 1])],
            mode="linear", extrapolation_value=2.0,
            coordinate_transformation_mode="tf_crop_and_resize"),
        # Opset 11: empty roi and scales, tf_half_pixel_for_nn.
        "resize11_tf_half_pixel": resize_model(
            "Resize", 11, [1, 1, 4, 4], ["empty", "empty", "sizes"],
            [empty, sizes],
            coordinate_transformation_mode="tf_half_pixel_for_nn",
            nearest_mode="ceil"),
        # Opset 10 and Upsample: asymmetric, nearest rounds down.
        "resize10_linear": resize_model(
            "Resize", 10, [1, 1, 2, 2], ["scales"], [scales], mode="linear"),
        "upsample7": resize_model(
            "Upsample", 7, [1, 1, 2, 2], [], [], scales=[1.0, 1.0, 2.0, 2.0]),
        "upsample9": resize_model(
            "Upsample", 9, [1, 1, 2, 2], ["scales"], [scales]),
        # Rejected.
        "resize13_dynamic_scales": resize_model(
            "Resize", 13, [1, 1, 2, 2], ["", "s"], [],
            extra_inputs=[helper.make_tensor_value_info("s", F32, [4])]),
        "resize13_both": resize_model(
            "Resize", 13, [1, 1, 4, 4], ["", "scales", "sizes"],
            [scales, sizes]),
        "resize13_bad_coordinates": resize_model(
            "Resize", 13, [1, 1, 2, 2], ["", "scales"], [scales],
            coordinate_transformation_mode="half_pixel_symmetric"),
        "resize13_nearest_exclude": resize_model(
            "Resize", 13, [1, 1, 2, 2], ["", "scales"], [scales],
            exclude_outside=1),
        "resize10_nearest_down": resize_model(
            "Resize", 10, [1, 1, 4, 4], ["down"],
            [const("down", [1, 1, 0.5, 0.5])]),
        "upsample9_linear_fraction": resize_model(
            "Upsample", 9, [1, 1, 3, 3], ["frac"],
            [const("frac", [1, 1, 1.5, 1.5])], mode="linear"),
    }


def main() -> None:
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name, model in models().items():
        onnx.save(model, str(out / f"{name}.onnx"))


if __name__ == "__main__":
    main()
