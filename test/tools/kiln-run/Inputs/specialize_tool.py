#!/usr/bin/env python3
"""Test helper for kiln-run's specialization and ONNX sequences.

  specialize_tool.py make DIR       write the models, their inputs (.npy) and
                                    the NumPy results (expected_<model>_<i>.npy)
  specialize_tool.py check DIR MODEL OUTDIR
                                    compare OUTDIR/output_<i>.npy with
                                    DIR/expected_MODEL_<i>.npy (exact dtype and
                                    shape, values at rtol 1e-6)

Models:
  reshape   Reshape(x, shape) with the shape a graph input
  dynamic   Relu(x) with x declared [N, 3]; the given x fixes N
  sequence  SequenceConstruct(a, b, c) -> SequenceErase(pos) ->
            SequenceInsert(a, pos2) -> SequenceAt(at), SequenceLength and
            ConcatFromSequence(new_axis=1)
  split     SplitToSequence(x, split=[1, 3]) -> SequenceAt(1) and
            SplitToSequence(x, axis=1, keepdims=0) -> ConcatFromSequence
"""

import pathlib
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper


def save_model(directory: pathlib.Path, name: str, nodes, inputs, outputs):
    graph = helper.make_graph(nodes, name, inputs, outputs)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15)])
    onnx.checker.check_model(model)
    onnx.save(model, str(directory / f"{name}.onnx"))


def save(directory: pathlib.Path, name: str, array: np.ndarray) -> None:
    np.save(directory / f"{name}.npy", array)


def make(directory: pathlib.Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    f32 = TensorProto.FLOAT
    i64 = TensorProto.INT64

    # Reshape with a runtime shape operand.
    x = rng.normal(size=(2, 3, 4)).astype(np.float32)
    shape = np.array([4, -1], dtype=np.int64)
    save_model(directory, "reshape",
               [helper.make_node("Reshape", ["x", "shape"], ["y"])],
               [helper.make_tensor_value_info("x", f32, [2, 3, 4]),
                helper.make_tensor_value_info("shape", i64, [2])],
               [helper.make_tensor_value_info("y", f32, [4, 6])])
    save(directory, "reshape_x", x)
    save(directory, "reshape_shape", shape)
    save(directory, "expected_reshape_0", x.reshape(shape))

    # A dynamic batch dimension fixed by the given input.
    d = rng.normal(size=(5, 3)).astype(np.float32)
    save_model(directory, "dynamic",
               [helper.make_node("Relu", ["x"], ["y"])],
               [helper.make_tensor_value_info("x", f32, ["N", 3])],
               [helper.make_tensor_value_info("y", f32, ["N", 3])])
    save(directory, "dynamic_x", d)
    save(directory, "expected_dynamic_0", np.maximum(d, 0))

    # Sequence rearrangement with positions given as graph inputs.
    a, b, c = (rng.normal(size=(2, 3)).astype(np.float32) for _ in range(3))
    pos = np.array(-3, dtype=np.int64)      # erase a
    pos2 = np.array(1, dtype=np.int64)      # [b, a, c]
    at = np.array(-1, dtype=np.int64)       # c
    save_model(
        directory, "sequence",
        [helper.make_node("SequenceConstruct", ["a", "b", "c"], ["s0"]),
         helper.make_node("SequenceErase", ["s0", "pos"], ["s1"]),
         helper.make_node("SequenceInsert", ["s1", "a", "pos2"], ["s2"]),
         helper.make_node("SequenceAt", ["s2", "at"], ["last"]),
         helper.make_node("SequenceLength", ["s2"], ["length"]),
         helper.make_node("ConcatFromSequence", ["s2"], ["stacked"],
                          axis=1, new_axis=1)],
        [helper.make_tensor_value_info(n, f32, [2, 3]) for n in "abc"] +
        [helper.make_tensor_value_info(n, i64, []) for n in
         ("pos", "pos2", "at")],
        [helper.make_tensor_value_info("last", f32, [2, 3]),
         helper.make_tensor_value_info("length", i64, []),
         helper.make_tensor_value_info("stacked", f32, [2, 3, 3])])
    for name, value in (("a", a), ("b", b), ("c", c), ("pos", pos),
                        ("pos2", pos2), ("at", at)):
        save(directory, f"sequence_{name}", value)
    elements = [b, a, c]
    save(directory, "expected_sequence_0", c)
    save(directory, "expected_sequence_1", np.array(3, dtype=np.int64))
    save(directory, "expected_sequence_2", np.stack(elements, axis=1))

    # SplitToSequence with explicit sizes and with one element per index.
    s = rng.normal(size=(4, 3)).astype(np.float32)
    split = np.array([1, 3], dtype=np.int64)
    save_model(
        directory, "split",
        [helper.make_node("SplitToSequence", ["x", "split"], ["parts"]),
         helper.make_node("SequenceAt", ["parts", "one"], ["second"]),
         helper.make_node("SplitToSequence", ["x"], ["columns"], axis=1,
                          keepdims=0),
         helper.make_node("ConcatFromSequence", ["columns"], ["joined"],
                          axis=0)],
        [helper.make_tensor_value_info("x", f32, [4, 3]),
         helper.make_tensor_value_info("split", i64, [2]),
         helper.make_tensor_value_info("one", i64, [])],
        [helper.make_tensor_value_info("second", f32, [3, 3]),
         helper.make_tensor_value_info("joined", f32, [12])])
    save(directory, "split_x", s)
    save(directory, "split_split", split)
    save(directory, "split_one", np.array(1, dtype=np.int64))
    save(directory, "expected_split_0", s[1:4])
    save(directory, "expected_split_1", np.concatenate(
        [s[:, j] for j in range(3)], axis=0))


def check(directory: pathlib.Path, model: str, outputs: pathlib.Path) -> int:
    index = 0
    while (directory / f"expected_{model}_{index}.npy").exists():
        expected = np.load(directory / f"expected_{model}_{index}.npy")
        actual = np.load(outputs / f"output_{index}.npy")
        if actual.dtype != expected.dtype or actual.shape != expected.shape:
            print(f"output {index}: {actual.dtype}{list(actual.shape)} != "
                  f"{expected.dtype}{list(expected.shape)}")
            return 1
        if not np.allclose(actual, expected, rtol=1e-6, atol=0):
            print(f"output {index}: values differ")
            return 1
        index += 1
    print(f"{model}: {index} outputs match NumPy")
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(pathlib.Path(sys.argv[2]))
        sys.exit(0)
    sys.exit(check(pathlib.Path(sys.argv[2]), sys.argv[3],
                   pathlib.Path(sys.argv[4])))
