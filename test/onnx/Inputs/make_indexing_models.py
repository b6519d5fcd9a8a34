#!/usr/bin/env python3
"""Writes the models of indexing.test (CumSum, GatherND, ScatterElements,
Scatter, ScatterND, TopK, OneHot, EyeLike, Shrink and LRN), their inputs and
NumPy's results.

Usage: make_indexing_models.py OUTPUT_DIR
       make_indexing_models.py --check OUTPUT_DIR NAME RESULT_DIR

The first form saves OUTPUT_DIR/<name>.onnx, OUTPUT_DIR/<name>.in<i>.npy and
OUTPUT_DIR/<name>.out<i>.npy for every model. The second compares the
output_<i>.npy files kiln-run wrote to RESULT_DIR with the expected ones
(rtol 1e-5; exact for integers).
"""

import math
import pathlib
import sys
from typing import Dict, List, Tuple

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper, shape_inference

F32 = TensorProto.FLOAT
I32 = TensorProto.INT32
I64 = TensorProto.INT64

Built = Tuple[onnx.ModelProto, List[np.ndarray], List[np.ndarray]]


def build(node: onnx.NodeProto, inputs: list, outputs: list,
          initializers: tuple = (), opset: int = 16) -> onnx.ModelProto:
    """A model of one node importing `opset` of the default domain."""
    graph = helper.make_graph([node], "graph", inputs, outputs,
                              initializer=list(initializers))
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", opset)],
        producer_name="kiln-tests")
    model.ir_version = 7
    return shape_inference.infer_shapes(model)


def info(name: str, elem_type: int, shape) -> onnx.ValueInfoProto:
    return helper.make_tensor_value_info(name, elem_type, shape)


def lrn(x: np.ndarray, size: int, alpha: float, beta: float,
        bias: float) -> np.ndarray:
    """LRN as the ONNX specification defines it, over any trailing rank."""
    square_sum = np.zeros_like(x)
    channels = x.shape[1]
    before, after = (size - 1) // 2, math.ceil((size - 1) / 2)
    for c in range(channels):
        lo, hi = max(0, c - before), min(channels, c + after + 1)
        square_sum[:, c] = np.sum(x[:, lo:hi] ** 2, axis=1)
    return (x / (bias + alpha / size * square_sum) ** beta).astype(x.dtype)


def models() -> Dict[str, Built]:
    rng = np.random.default_rng(11)
    result: Dict[str, Built] = {}

    # CumSum with an initializer axis, exclusive and reverse, on int32.
    x = rng.integers(-9, 10, size=(3, 4)).astype(np.int32)
    node = helper.make_node("CumSum", ["x", "axis"], ["y"], name="cs",
                            exclusive=1, reverse=1)
    expected = np.flip(np.cumsum(np.flip(x, 0), 0, dtype=np.int32), 0)
    expected = np.concatenate([expected[1:], np.zeros((1, 4), np.int32)])
    result["cumsum"] = (
        build(node, [info("x", I32, [3, 4])], [info("y", I32, None)],
              [numpy_helper.from_array(np.array(-2, np.int64), "axis")]),
        [x], [expected])
    # ... whose axis must be known.
    result["cumsum_axis_input"] = (
        build(node, [info("x", I32, [3, 4]), info("axis", I64, [])],
              [info("y", I32, None)]), [], [])

    # GatherND with batch dimensions and negative indices.
    data = rng.uniform(-3, 3, size=(2, 3, 4)).astype(np.float32)
    idx = np.array([[[-1], [0]], [[2], [-2]]], np.int64)
    node = helper.make_node("GatherND", ["data", "i"], ["y"], name="gnd",
                            batch_dims=1)
    expected = np.stack([data[b][np.mod(idx[b, :, 0], 3)] for b in range(2)])
    result["gather_nd"] = (
        build(node, [info("data", F32, [2, 3, 4]), info("i", I64, [2, 2, 1])],
              [info("y", F32, None)]), [data, idx], [expected])

    # ScatterElements with max and Scatter (opset 10).
    data = rng.uniform(-3, 3, size=(3, 4)).astype(np.float32)
    idx = np.array([[0, 2, -1, 2], [0, 0, 1, 2]], np.int64)
    upd = rng.uniform(-3, 3, size=(2, 4)).astype(np.float32)
    expected = data.copy()
    for (r, c), i in np.ndenumerate(idx):
        expected[i % 3, c] = max(expected[i % 3, c], upd[r, c])
    node = helper.make_node("ScatterElements", ["data", "i", "u"], ["y"],
                            name="se", axis=0, reduction="max")
    inputs = [info("data", F32, [3, 4]), info("i", I64, [2, 4]),
              info("u", F32, [2, 4])]
    result["scatter_elements_max"] = (
        build(node, inputs, [info("y", F32, None)], opset=16),
        [data, idx, upd], [expected])
    expected = data.copy()
    for (r, c), i in np.ndenumerate(idx):
        expected[i % 3, c] = upd[r, c]
    node = helper.make_node("Scatter", ["data", "i", "u"], ["y"], name="sc")
    result["scatter_opset10"] = (
        build(node, inputs, [info("y", F32, None)], opset=10),
        [data, idx, upd], [expected])
    node = helper.make_node("ScatterND", ["data", "i", "u"], ["y"],
                            name="snd", reduction="avg")
    result["scatter_nd_bad_reduction"] = (
        build(node, [info("data", F32, [3, 4]), info("i", I64, [2, 1]),
                     info("u", F32, [2, 4])], [info("y", F32, None)]), [], [])

    # TopK: smallest on int32 with ties (opset 11), k as an attribute
    # (opset 1), and a k that is not known.
    x = np.array([[3, 1, 2, 1, 3], [0, 0, -4, 7, 0]], np.int32)
    node = helper.make_node("TopK", ["x", "k"], ["v", "i"], name="tk",
                            largest=0)
    order = np.argsort(x, axis=1, kind="stable")[:, :3]
    result["top_k_smallest"] = (
        build(node, [info("x", I32, [2, 5])],
              [info("v", I32, None), info("i", I64, None)],
              [numpy_helper.from_array(np.array([3], np.int64), "k")],
              opset=11),
        [x], [np.take_along_axis(x, order, 1), order.astype(np.int64)])
    xf = rng.uniform(-3, 3, size=(4, 3)).astype(np.float32)
    node = helper.make_node("TopK", ["x"], ["v", "i"], name="tk1", k=2,
                            axis=0)
    order = np.argsort(-xf, axis=0, kind="stable")[:2]
    result["top_k_opset1"] = (
        build(node, [info("x", F32, [4, 3])],
              [info("v", F32, None), info("i", I64, None)], opset=1),
        [xf], [np.take_along_axis(xf, order, 0), order.astype(np.int64)])
    node = helper.make_node("TopK", ["x", "k"], ["v", "i"], name="tkk")
    result["top_k_k_input"] = (
        build(node, [info("x", F32, [4, 3]), info("k", I64, [1])],
              [info("v", F32, None), info("i", I64, None)], opset=11), [], [])

    # OneHot of int32 indices (negative and out of range) along axis 0.
    idx = np.array([[1, -1], [5, 0]], np.int32)
    values = np.array([-2, 7], np.int64)
    node = helper.make_node("OneHot", ["i", "depth", "values"], ["y"],
                            name="oh", axis=0)
    wrapped = np.where(idx < 0, idx + 4, idx)
    expected = np.where(np.arange(4).reshape(4, 1, 1) == wrapped[None],
                        values[1], values[0]).astype(np.int64)
    result["one_hot"] = (
        build(node, [info("i", I32, [2, 2]), info("values", I64, [2])],
              [info("y", I64, None)],
              [numpy_helper.from_array(np.array(4.0, np.float32), "depth")],
              opset=11),
        [idx, values], [expected])

    # EyeLike with a negative diagonal and an int32 result.
    node = helper.make_node("EyeLike", ["x"], ["y"], name="eye", k=-1,
                            dtype=I32)
    result["eye_like"] = (
        build(node, [info("x", F32, [3, 4])], [info("y", I32, None)],
              opset=9),
        [np.zeros((3, 4), np.float32)], [np.eye(3, 4, -1, dtype=np.int32)])

    # Shrink on int32 (integral bias, fractional lambd).
    x = np.arange(-5, 6, dtype=np.int32)
    node = helper.make_node("Shrink", ["x"], ["y"], name="sh", lambd=1.5,
                            bias=2.0)
    expected = np.where(x < -1.5, x + 2, np.where(x > 1.5, x - 2, 0)).astype(
        np.int32)
    result["shrink_int"] = (
        build(node, [info("x", I32, [11])], [info("y", I32, None)], opset=9),
        [x], [expected])
    node = helper.make_node("Shrink", ["x"], ["y"], name="shb", bias=0.5)
    result["shrink_int_bias"] = (
        build(node, [info("x", I32, [11])], [info("y", I32, None)], opset=9),
        [], [])

    # LRN over a rank-3 input with an even size.
    x = rng.uniform(-3, 3, size=(2, 6, 5)).astype(np.float32)
    node = helper.make_node("LRN", ["x"], ["y"], name="lrn", size=4,
                            alpha=0.01, beta=0.6, bias=1.5)
    result["lrn"] = (
        build(node, [info("x", F32, [2, 6, 5])], [info("y", F32, None)]),
        [x], [lrn(x, 4, 0.01, 0.6, 1.5)])
    return result


def main() -> None:
    if sys.argv[1] == "--check":
        out, name, results = (pathlib.Path(a) for a in sys.argv[2:5])
        name = str(name)
        i = 0
        while (out / f"{name}.out{i}.npy").exists():
            expected = np.load(out / f"{name}.out{i}.npy")
            actual = np.load(results / f"output_{i}.npy")
            assert actual.dtype == expected.dtype, (actual.dtype,
                                                    expected.dtype)
            assert actual.shape == expected.shape, (actual.shape,
                                                    expected.shape)
            if expected.dtype.kind == "f":
                np.testing.assert_allclose(actual, expected, rtol=1e-5,
                                           atol=1e-6)
            else:
                np.testing.assert_array_equal(actual, expected)
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
