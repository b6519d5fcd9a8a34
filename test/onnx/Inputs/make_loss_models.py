#!/usr/bin/env python3
"""Writes the loss models of loss.test, their inputs and NumPy's results.

Usage: make_loss_models.py OUTPUT_DIR
       make_loss_models.py --check OUTPUT_DIR NAME RESULT_DIR

The first form saves OUTPUT_DIR/<name>.onnx, OUTPUT_DIR/<name>.in<i>.npy and
OUTPUT_DIR/<name>.out<i>.npy for every model. The second compares the
output_<i>.npy files kiln-run wrote to RESULT_DIR with the expected ones.
"""

import pathlib
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper, shape_inference

F32 = TensorProto.FLOAT
F64 = TensorProto.DOUBLE
F16 = TensorProto.FLOAT16
I64 = TensorProto.INT64


def build(node, inputs, outputs, initializers=(), opset=13):
    graph = helper.make_graph([node], "graph", inputs, outputs,
                              initializer=list(initializers))
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", opset)],
        producer_name="kiln-tests")
    return shape_inference.infer_shapes(model)


def nll(x, target, weight=None, reduction="mean", ignore_index=None):
    """NegativeLogLikelihoodLoss as the ONNX specification defines it."""
    n, c = x.shape[0], x.shape[1]
    x3 = x.reshape(n, c, -1)
    t2 = target.reshape(n, -1)
    ignored = (t2 == ignore_index) if ignore_index is not None else \
        np.zeros(t2.shape, bool)
    safe = np.where(ignored, 0, t2)
    picked = np.take_along_axis(x3, safe[:, None, :], axis=1)[:, 0, :]
    w = weight[safe] if weight is not None else np.ones(t2.shape, x.dtype)
    w = np.where(ignored, 0, w).astype(x.dtype)
    loss = np.where(ignored, 0, -picked * w).astype(x.dtype)
    loss = loss.reshape(target.shape)
    if reduction == "none":
        return loss
    if reduction == "sum":
        return np.array(loss.sum(), x.dtype)
    return np.array(loss.sum() / w.sum(), x.dtype)


def log_softmax(x):
    shifted = x - x.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def models():
    rng = np.random.default_rng(7)
    result = {}

    # NLL on [N, C, d1] with a weight initializer, ignore_index, mean.
    x = rng.standard_normal((3, 5, 2)).astype(np.float32)
    t = np.array([[0, 4], [-1, 2], [1, -1]], np.int64)
    w = np.array([0.5, 1.0, 2.0, 1.5, 0.25], np.float32)
    node = helper.make_node("NegativeLogLikelihoodLoss", ["x", "t", "w"],
                            ["loss"], name="nll", ignore_index=-1)
    result["nll_weight_ii"] = (
        build(node, [helper.make_tensor_value_info("x", F32, x.shape),
                     helper.make_tensor_value_info("t", I64, t.shape)],
              [helper.make_tensor_value_info("loss", F32, [])],
              [numpy_helper.from_array(w, "w")]),
        [x, t], [nll(x, t, w, "mean", -1)])

    # NLL on [N, C], no weight, no ignore_index, reduction none, double.
    x = rng.standard_normal((4, 3)).astype(np.float64)
    t = np.array([2, 0, 1, 2], np.int64)
    node = helper.make_node("NegativeLogLikelihoodLoss", ["x", "t"], ["loss"],
                            name="nll", reduction="none")
    result["nll_none_f64"] = (
        build(node, [helper.make_tensor_value_info("x", F64, x.shape),
                     helper.make_tensor_value_info("t", I64, t.shape)],
              [helper.make_tensor_value_info("loss", F64, [4])], opset=12),
        [x, t], [nll(x, t, None, "none")])

    # SoftmaxCrossEntropyLoss, sum, ignore_index, with the log_prob output.
    x = rng.standard_normal((2, 4, 3)).astype(np.float32)
    t = np.array([[3, 0, 7], [1, 7, 2]], np.int64)
    node = helper.make_node("SoftmaxCrossEntropyLoss", ["x", "t"],
                            ["loss", "log_prob"], name="sce",
                            reduction="sum", ignore_index=7)
    result["sce_sum_ii_log_prob"] = (
        build(node, [helper.make_tensor_value_info("x", F32, x.shape),
                     helper.make_tensor_value_info("t", I64, t.shape)],
              [helper.make_tensor_value_info("loss", F32, []),
               helper.make_tensor_value_info("log_prob", F32, x.shape)]),
        [x, t], [nll(log_softmax(x), t, None, "sum", 7), log_softmax(x)])

    # An unsupported reduction and a float16 input are reported.
    x = np.zeros((2, 3), np.float32)
    t = np.zeros((2,), np.int64)
    node = helper.make_node("NegativeLogLikelihoodLoss", ["x", "t"], ["loss"],
                            name="nll", reduction="max")
    graph = helper.make_graph(
        [node], "graph", [helper.make_tensor_value_info("x", F32, [2, 3]),
                          helper.make_tensor_value_info("t", I64, [2])],
        [helper.make_tensor_value_info("loss", F32, [])])
    result["nll_bad_reduction"] = (
        helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
        [], [])
    node = helper.make_node("SoftmaxCrossEntropyLoss", ["x", "t"], ["loss"],
                            name="sce")
    result["sce_f16"] = (
        build(node, [helper.make_tensor_value_info("x", F16, [2, 3]),
                     helper.make_tensor_value_info("t", I64, [2])],
              [helper.make_tensor_value_info("loss", F16, [])]),
        [], [])
    return result


def main():
    if sys.argv[1] == "--check":
        out, name, results = (pathlib.Path(a) for a in sys.argv[2:5])
        name = str(name)
        i = 0
        while (out / f"{name}.out{i}.npy").exists():
            expected = np.load(out / f"{name}.out{i}.npy")
            actual = np.load(results / f"output_{i}.npy")
            assert actual.dtype == expected.dtype, (actual.dtype, expected.dtype)
            assert actual.shape == expected.shape, (actual.shape, expected.shape)
            np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-6)
            i += 1
        assert i > 0
        print(f"{name}: {i} outputs match")
        return
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name, (model, inputs, outputs) in models().items():
        onnx.save(model, str(out / f"{name}.onnx"))
        for i, value in enumerate(inputs):
            np.save(out / f"{name}.in{i}.npy", value)
        for i, value in enumerate(outputs):
            np.save(out / f"{name}.out{i}.npy", value)


if __name__ == "__main__":
    main()
