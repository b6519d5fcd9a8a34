#!/usr/bin/env python3
"""Writes the ONNX models of windows.test: 3-D Conv, MaxPool and
AveragePool, and ConvTranspose with explicit pads, output_shape and auto_pad,
plus models the importer must reject.

Usage: make_window_models.py OUTPUT_DIR   (saves OUTPUT_DIR/<name>.onnx)
"""

import pathlib
import sys
from typing import List, Sequence

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

F32 = TensorProto.FLOAT


def const(name: str, values) -> TensorProto:
    """A float32 initializer."""
    return numpy_helper.from_array(np.array(values, dtype=np.float32), name)


def single_node(op: str, x_shape: Sequence, inputs: List[str],
                initializers: list, **attrs) -> onnx.ModelProto:
    """One `op` node from x (and constant `inputs`) to y, opset 13."""
    node = helper.make_node(op, ["x"] + inputs, ["y"], name="n", **attrs)
    graph = helper.make_graph(
        [node], "graph", [helper.make_tensor_value_info("x", F32, x_shape)],
        [helper.make_tensor_value_info(
            "y", F32, [f"d{i}" for i in range(len(x_shape))])],
        initializer=initializers)
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 13)],
        producer_name="kiln-tests")
    model.ir_version = 7
    return model


def models() -> dict:
    w3d = const("w", np.ones((4, 1, 2, 3, 3)))
    wt = const("w", np.ones((2, 3, 3, 3)))
    return {
        "conv3d": single_node(
            "Conv", ["n", 2, 5, 6, 6], ["w", "b"], [w3d, const("b", [1] * 4)],
            group=2, strides=[1, 2, 2], pads=[0, 1, 1, 1, 1, 1],
            dilations=[2, 1, 1]),
        "pool3d_max": single_node(
            "MaxPool", [1, 2, 5, 5, 5], [], [], kernel_shape=[2, 2, 2],
            strides=[2, 2, 2], ceil_mode=1),
        "pool3d_avg": single_node(
            "AveragePool", [1, 2, 5, 5, 5], [], [], kernel_shape=[3, 3, 3],
            auto_pad="SAME_UPPER", count_include_pad=1),
        "convt_pads": single_node(
            "ConvTranspose", [1, 2, 3, 3], ["w", "b"],
            [wt, const("b", [0, 1, 2])], strides=[3, 2], pads=[1, 2, 1, 2],
            output_padding=[1, 0], dilations=[1, 2]),
        # stride * (in - 1) + K = 11 and 9, so output_shape [12, 6] pads by
        # -1 (an extension at the end) and 3 (the larger half at the start,
        # as ONNX's reference splits it without SAME_UPPER).
        "convt_output_shape": single_node(
            "ConvTranspose", [1, 2, 3, 3], ["w"], [wt], strides=[4, 3],
            output_shape=[12, 6]),
        # Output in * stride = 6: total padding 1 goes to the end with
        # SAME_UPPER and to the start with SAME_LOWER.
        "convt_same_upper": single_node(
            "ConvTranspose", [1, 2, 3, 3], ["w"], [wt], strides=[2, 2],
            auto_pad="SAME_UPPER"),
        "convt_same_lower": single_node(
            "ConvTranspose", [1, 2, 3, 3], ["w"], [wt], strides=[2, 2],
            auto_pad="SAME_LOWER"),
        "convt_1d_groups": single_node(
            "ConvTranspose", ["n", 4, 5], ["w"],
            [const("w", np.ones((4, 3, 2)))], group=2, strides=[2]),
        "convt_dynamic": single_node(
            "ConvTranspose", [1, 2, "h", 3], ["w"], [wt]),
        "convt_bad_output_shape": single_node(
            "ConvTranspose", [1, 2, 3, 3], ["w"], [wt], output_shape=[5]),
        "pool3d_dynamic": single_node(
            "MaxPool", [1, 2, "d", 5, 5], [], [], kernel_shape=[2, 2, 2]),
        "conv4d": single_node(
            "Conv", [1, 1, 3, 3, 3, 3], ["w"],
            [const("w", np.ones((1, 1, 2, 2, 2, 2)))]),
    }


def main() -> None:
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name, model in models().items():
        onnx.save(model, str(out / f"{name}.onnx"))


if __name__ == "__main__":
    main()
