#!/usr/bin/env python3
"""Writes the ONNX models of test/onnx/unsigned.test: graphs on uint8,
uint16, uint32 and uint64 tensors (inputs, initializers in every TensorProto
field ONNX allows for them, Cast, BitShift, import-time evaluation) and the
models the converters reject.

Usage: make_unsigned_models.py OUTPUT_DIR
"""

import pathlib
import sys
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

U8 = TensorProto.UINT8
U16 = TensorProto.UINT16
U32 = TensorProto.UINT32
U64 = TensorProto.UINT64
F32 = TensorProto.FLOAT
I32 = TensorProto.INT32

Builder = Callable[[], onnx.ModelProto]
MODELS: Dict[str, Builder] = {}


def model(func: Builder) -> Builder:
    """Registers a model builder under its function name."""
    MODELS[func.__name__] = func
    return func


def tensor(name: str, shape: Sequence, elem_type: int) -> onnx.ValueInfoProto:
    return helper.make_tensor_value_info(name, elem_type, shape)


def build(nodes: List[onnx.NodeProto], inputs: list, outputs: list,
          initializers: Optional[list] = None,
          opset: int = 13) -> onnx.ModelProto:
    graph = helper.make_graph(nodes, "graph", inputs, outputs,
                              initializer=initializers or [])
    return helper.make_model(graph,
                             opset_imports=[helper.make_opsetid("", opset)],
                             producer_name="kiln-tests")


@model
def arithmetic() -> onnx.ModelProto:
    """uint8 inputs and outputs of Add, Div and Mod."""
    return build(
        [helper.make_node("Add", ["x", "y"], ["s"]),
         helper.make_node("Div", ["s", "y"], ["q"]),
         helper.make_node("Mod", ["q", "y"], ["r"])],
        [tensor("x", [2, 3], U8), tensor("y", [3], U8)],
        [tensor("r", [2, 3], U8)])


@model
def initializers() -> onnx.ModelProto:
    """Unsigned initializers in the fields ONNX stores them in: uint8 and
    uint16 in int32_data, uint32 and uint64 in uint64_data, and raw_data."""
    c8 = helper.make_tensor("c8", U8, [2], [200, 255])
    c16 = helper.make_tensor("c16", U16, [2], [65535, 1])
    c32 = helper.make_tensor("c32", U32, [2], [4000000000, 2])
    c64 = helper.make_tensor("c64", U64, [2], [2**64 - 1, 3])
    r16 = numpy_helper.from_array(np.array([40000, 3], np.uint16), "r16")
    assert r16.HasField("raw_data")
    return build(
        [helper.make_node("Max", ["a", "c8"], ["m8"]),
         helper.make_node("Min", ["b", "c16"], ["m16"]),
         helper.make_node("Min", ["m16", "r16"], ["n16"]),
         helper.make_node("Greater", ["c", "c32"], ["g32"]),
         helper.make_node("Less", ["d", "c64"], ["l64"])],
        [tensor("a", [2], U8), tensor("b", [2], U16), tensor("c", [2], U32),
         tensor("d", [2], U64)],
        [tensor("m8", [2], U8), tensor("n16", [2], U16),
         tensor("g32", [2], TensorProto.BOOL),
         tensor("l64", [2], TensorProto.BOOL)],
        initializers=[c8, c16, c32, c64, r16])


@model
def casts() -> onnx.ModelProto:
    """Cast to and from unsigned types."""
    return build(
        [helper.make_node("Cast", ["x"], ["u"], to=U8),
         helper.make_node("Cast", ["u"], ["w"], to=U64),
         helper.make_node("Cast", ["w"], ["f"], to=F32)],
        [tensor("x", [4], F32)], [tensor("f", [4], F32)])


@model
def bitshift() -> onnx.ModelProto:
    """BitShift in both directions."""
    return build(
        [helper.make_node("BitShift", ["x", "n"], ["l"], direction="LEFT"),
         helper.make_node("BitShift", ["l", "n"], ["r"], direction="RIGHT")],
        [tensor("x", [3], U32), tensor("n", [3], U32)],
        [tensor("r", [3], U32)], opset=11)


@model
def evaluated() -> onnx.ModelProto:
    """uint8 constants are evaluated at import time with uint8 wrapping;
    uint64 ones are left to the nn ops."""
    a = numpy_helper.from_array(np.array([200, 7], np.uint8), "a")
    b = numpy_helper.from_array(np.array([100, 9], np.uint8), "b")
    c = numpy_helper.from_array(np.array([2**63, 1], np.uint64), "c")
    d = numpy_helper.from_array(np.array([1, 2**63], np.uint64), "d")
    return build(
        [helper.make_node("Add", ["a", "b"], ["s8"]),
         helper.make_node("Sub", ["b", "a"], ["d8"]),
         helper.make_node("Less", ["c", "d"], ["l64"])],
        [], [tensor("s8", [2], U8), tensor("d8", [2], U8),
             tensor("l64", [2], TensorProto.BOOL)],
        initializers=[a, b, c, d])


# --- errors ---------------------------------------------------------------


@model
def bitshift_bad_direction() -> onnx.ModelProto:
    node = helper.make_node("BitShift", ["x", "n"], ["y"], name="shift",
                            direction="UP")
    graph = helper.make_graph([node], "graph",
                              [tensor("x", [3], U8), tensor("n", [3], U8)],
                              [tensor("y", [3], U8)])
    # The checker would reject the direction before the importer sees it.
    return helper.make_model(graph,
                             opset_imports=[helper.make_opsetid("", 11)])


@model
def neg_uint8() -> onnx.ModelProto:
    graph = helper.make_graph(
        [helper.make_node("Neg", ["x"], ["y"], name="neg")], "graph",
        [tensor("x", [3], U8)], [tensor("y", [3], U8)])
    return helper.make_model(graph,
                             opset_imports=[helper.make_opsetid("", 13)])


def main() -> None:
    directory = pathlib.Path(sys.argv[1])
    directory.mkdir(parents=True, exist_ok=True)
    for name, builder in MODELS.items():
        onnx.save(builder(), str(directory / f"{name}.onnx"))


if __name__ == "__main__":
    main()
