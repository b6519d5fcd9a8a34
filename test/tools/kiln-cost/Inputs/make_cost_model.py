#!/usr/bin/env python3
"""Writes the kiln-cost tests' models:

  make_cost_model.py CNN.onnx [SLOW.onnx]

CNN: x[N,3,8,8] (dynamic batch) -> Conv(4, 3x3, pad 1) -> Relu ->
GlobalAveragePool -> Flatten -> Gemm(10). SLOW: x[256,256] through four
Gemms of growing width (256 -> 320 -> 384 -> 448 -> 512), each a distinct
kernel of tens of milliseconds, for interrupting a collect midway.
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

if len(sys.argv) > 2:
    widths = [256, 320, 384, 448, 512]
    inits, gemms = [], []
    for i, (a, b) in enumerate(zip(widths, widths[1:])):
        inits.append(numpy_helper.from_array(
            rng.standard_normal((a, b), np.float32) / 16, f"w{i}"))
        gemms.append(helper.make_node("Gemm", [f"h{i}", f"w{i}"],
                                      [f"h{i + 1}"], name=f"gemm{i}"))
    graph = helper.make_graph(
        gemms, "slow",
        [helper.make_tensor_value_info("h0", TensorProto.FLOAT, [256, 256])],
        [helper.make_tensor_value_info("h4", TensorProto.FLOAT, [256, 512])],
        inits)
    slow = helper.make_model(graph,
                             opset_imports=[helper.make_opsetid("", 13)])
    onnx.checker.check_model(slow)
    onnx.save(slow, sys.argv[2])
