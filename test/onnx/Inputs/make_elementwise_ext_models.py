#!/usr/bin/env python3
"""Writes the ONNX models of test/onnx/elementwise-ext.test: comparisons,
logical ops, rounding and trigonometric functions, IsNaN/IsInf, the
parameterized activations, PRelu and Mod, plus the models their converters
reject.

Usage: make_elementwise_ext_models.py OUTPUT_DIR
"""

import pathlib
import sys
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper, shape_inference

F32 = TensorProto.FLOAT
I32 = TensorProto.INT32
I64 = TensorProto.INT64
BOOL = TensorProto.BOOL

Builder = Callable[[], onnx.ModelProto]
MODELS: Dict[str, Builder] = {}


def model(func: Builder) -> Builder:
    """Registers a model builder under its function name."""
    MODELS[func.__name__] = func
    return func


def tensor(name: str, shape: Optional[Sequence],
           elem_type: int = F32) -> onnx.ValueInfoProto:
    """A graph input or output of the given shape (None: unknown)."""
    return helper.make_tensor_value_info(name, elem_type, shape)


def build(nodes: List[onnx.NodeProto], inputs: list, outputs: List[str],
          initializers: Optional[list] = None,
          opset: int = 16) -> onnx.ModelProto:
    """A model of one graph importing `opset` of the default domain; output
    types come from ONNX shape inference."""
    graph = helper.make_graph(nodes, "graph", inputs,
                              [tensor(name, None) for name in outputs],
                              initializer=initializers or [])
    graph.ClearField("output")
    graph.output.extend(helper.make_empty_tensor_value_info(name)
                        for name in outputs)
    result = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", opset)],
        producer_name="kiln-tests")
    inferred = shape_inference.infer_shapes(result)
    outputs_by_name = {v.name: v for v in inferred.graph.value_info}
    result.graph.ClearField("output")
    for name in outputs:
        value = outputs_by_name.get(name)
        result.graph.output.append(value if value is not None else
                                   tensor(name, ["unknown"]))
    return result


@model
def comparisons() -> onnx.ModelProto:
    """Float comparisons with broadcasting, combined by the logical ops, and
    an integer GreaterOrEqual."""
    node = helper.make_node
    return build(
        [node("Less", ["x", "y"], ["lt"]),
         node("Equal", ["x", "y"], ["eq"]),
         node("Or", ["lt", "eq"], ["le"]),
         node("LessOrEqual", ["x", "y"], ["le2"]),
         node("Xor", ["le", "le2"], ["differ"]),
         node("Not", ["differ"], ["same"]),
         node("Greater", ["x", "y"], ["gt"]),
         node("And", ["same", "gt"], ["none"]),
         node("GreaterOrEqual", ["i", "j"], ["ge"])],
        [tensor("x", [2, 3]), tensor("y", [3]), tensor("i", [4], I64),
         tensor("j", [1], I64)],
        ["none", "ge"])


@model
def unary_math() -> onnx.ModelProto:
    """Every rounding, sign, trigonometric and hyperbolic op in a chain,
    then IsNaN and IsInf."""
    ops = ["Floor", "Ceil", "Round", "Sign", "Sin", "Cos", "Tan", "Asin",
           "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh"]
    nodes = []
    previous = "x"
    for op in ops:
        nodes.append(helper.make_node(op, [previous], [op.lower()]))
        previous = op.lower()
    nodes.append(helper.make_node("IsNaN", [previous], ["nan"]))
    nodes.append(helper.make_node("IsInf", [previous], ["inf"],
                                  detect_negative=0))
    return build(nodes, [tensor("x", [4])], ["nan", "inf"])


@model
def activations() -> onnx.ModelProto:
    """The parameterized activations with default and given attributes,
    and PRelu with a per-channel slope."""
    node = helper.make_node
    return build(
        [node("LeakyRelu", ["x"], ["a"], alpha=0.25),
         node("LeakyRelu", ["a"], ["b"]),
         node("Elu", ["b"], ["c"]),
         node("Selu", ["c"], ["d"]),
         node("Selu", ["d"], ["e"], alpha=2.0, gamma=0.5),
         node("Celu", ["e"], ["f"], alpha=0.5),
         node("Softplus", ["f"], ["g"]),
         node("Softsign", ["g"], ["h"]),
         node("ThresholdedRelu", ["h"], ["k"], alpha=0.75),
         node("PRelu", ["k", "slope"], ["y"])],
        [tensor("x", [2, 3, 4]), tensor("slope", [3, 1])], ["y"])


@model
def mod() -> onnx.ModelProto:
    """Integer Mod (divisor's sign) and float Mod with fmod=1."""
    node = helper.make_node
    return build(
        [node("Mod", ["i", "j"], ["r"]),
         node("Mod", ["i", "j"], ["s"], fmod=1),
         node("Mod", ["x", "y"], ["t"], fmod=1)],
        [tensor("i", [2, 3], I32), tensor("j", [3], I32),
         tensor("x", [4]), tensor("y", [4])],
        ["r", "s", "t"])


@model
def prelu_opset6() -> onnx.ModelProto:
    """Before opset 7 a 1-D slope applies per channel (axis 1)."""
    return build([helper.make_node("PRelu", ["x", "slope"], ["y"])],
                 [tensor("x", [2, 3, 4]), tensor("slope", [3])], ["y"],
                 opset=6)


@model
def constant_compare() -> onnx.ModelProto:
    """Equal of constants is still evaluated at import time."""
    return build(
        [helper.make_node("Equal", ["a", "b"], ["y"])], [], ["y"],
        initializers=[numpy_helper.from_array(np.array([1, 2], np.int64), "a"),
                      numpy_helper.from_array(np.array([1, 3], np.int64), "b")])


# --- errors ---------------------------------------------------------------


@model
def mod_float_no_fmod() -> onnx.ModelProto:
    return build([helper.make_node("Mod", ["x", "y"], ["z"], name="mod")],
                 [tensor("x", [4]), tensor("y", [4])], ["z"])


@model
def celu_zero_alpha() -> onnx.ModelProto:
    return build([helper.make_node("Celu", ["x"], ["y"], name="celu",
                                   alpha=0.0)],
                 [tensor("x", [4])], ["y"])


@model
def prelu_bad_slope() -> onnx.ModelProto:
    return build([helper.make_node("PRelu", ["x", "slope"], ["y"],
                                   name="prelu")],
                 [tensor("x", [3, 1]), tensor("slope", [3, 4])], ["y"])


@model
def less_mixed_types() -> onnx.ModelProto:
    graph = helper.make_graph(
        [helper.make_node("Less", ["x", "y"], ["z"], name="less")], "graph",
        [tensor("x", [4]), tensor("y", [4], I32)], [tensor("z", [4], BOOL)])
    return helper.make_model(graph,
                             opset_imports=[helper.make_opsetid("", 13)])


def main() -> None:
    directory = pathlib.Path(sys.argv[1])
    directory.mkdir(parents=True, exist_ok=True)
    for name, builder in MODELS.items():
        onnx.save(builder(), str(directory / f"{name}.onnx"))


if __name__ == "__main__":
    main()
