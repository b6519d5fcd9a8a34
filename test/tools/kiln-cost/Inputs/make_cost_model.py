#!/usr/bin/env python3
"""Writes cnn.onnx: x[N,3,8,8] (dynamic batch) -> Conv(4, 3x3, pad 1) ->
Relu -> GlobalAveragePool -> Flatten -> Gemm(10), for the kiln-cost tests.

  make_cost_model.py OUT.onnx
"""

import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(0)
weights = [
    numpy_helper.from_array(rng.standard_normal((4, 3, 3, 3), np.float32),
                            "conv_w"),
    numpy_helper.from_array(rng.standard_normal(4, np.float32), "conv_b"),
    numpy_helper.from_array(rng.standard_normal((10, 4), np.float32), "fc_w"),
    numpy_helper.from_array(rng.standard_normal(10, np.float32), "fc_b"),
]
nodes = [
    helper.make_node("Conv", ["x", "conv_w", "conv_b"], ["c"], name="conv",
                     pads=[1, 1, 1, 1]),
    helper.make_node("Relu", ["c"], ["r"], name="relu"),
    helper.make_node("GlobalAveragePool", ["r"], ["p"], name="pool"),
    helper.make_node("Flatten", ["p"], ["f"], name="flatten"),
    helper.make_node("Gemm", ["f", "fc_w", "fc_b"], ["y"], name="fc",
                     transB=1),
]
graph = helper.make_graph(
    nodes, "cnn",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, 8, 8])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 10])],
    weights)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
onnx.checker.check_model(model)
onnx.save(model, sys.argv[1])
