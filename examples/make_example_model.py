#!/usr/bin/env python3
"""Builds examples/small_cnn.onnx, the small model README command (1) runs.

A LeNet-style classifier for one 28x28 grey image: Conv(1->4, 3x3, pad 1),
Relu, MaxPool 2x2, Flatten, Gemm(784->10), Softmax. Weights are drawn from a
fixed seed, so the file is reproducible: rerun this script with Debian's
/usr/bin/python3 (it needs onnx and numpy) to rebuild it byte for byte.
"""

import pathlib

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def build_model() -> onnx.ModelProto:
    """Returns the example model with seeded random weights."""
    rng = np.random.default_rng(2026)
    conv_w = rng.normal(0, 0.5, (4, 1, 3, 3)).astype(np.float32)
    conv_b = rng.normal(0, 0.1, (4,)).astype(np.float32)
    fc_w = rng.normal(0, 0.05, (10, 4 * 14 * 14)).astype(np.float32)
    fc_b = rng.normal(0, 0.1, (10,)).astype(np.float32)
    nodes = [
        helper.make_node("Conv", ["image", "conv_w", "conv_b"], ["conv"],
                         name="conv", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["conv"], ["relu"], name="relu"),
        helper.make_node("MaxPool", ["relu"], ["pool"], name="pool",
                         kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["pool"], ["flat"], name="flatten"),
        helper.make_node("Gemm", ["flat", "fc_w", "fc_b"], ["logits"],
                         name="fc", transB=1),
        helper.make_node("Softmax", ["logits"], ["probabilities"],
                         name="softmax", axis=1),
    ]
    graph = helper.make_graph(
        nodes, "small_cnn",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT,
                                       [1, 1, 28, 28])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT,
                                       [1, 10])],
        initializer=[numpy_helper.from_array(conv_w, "conv_w"),
                     numpy_helper.from_array(conv_b, "conv_b"),
                     numpy_helper.from_array(fc_w, "fc_w"),
                     numpy_helper.from_array(fc_b, "fc_b")])
    model = helper.make_model(graph, producer_name="kiln-example",
                              opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(model)
    return model


if __name__ == "__main__":
    path = pathlib.Path(__file__).resolve().parent / "small_cnn.onnx"
    onnx.save(build_model(), str(path))
    print(f"wrote {path}")
