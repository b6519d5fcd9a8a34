#!/usr/bin/env python3
"""Writes the small ONNX models the importer's lit tests read.

Usage: make_models.py OUTPUT_DIR

Every model is built with onnx.helper at test time (no binary files in git)
and saved as OUTPUT_DIR/<name>.onnx. Most are valid models exercising one
converter; a few are broken on purpose for the error tests.
"""

import pathlib
import sys
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper, shape_inference

F32 = TensorProto.FLOAT
I64 = TensorProto.INT64

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


def const(name: str, values, dtype=np.float32) -> TensorProto:
    """An initializer stored as raw_data."""
    return numpy_helper.from_array(np.array(values, dtype=dtype), name)


def build(nodes: List[onnx.NodeProto], inputs: list, outputs: list,
          initializers: Optional[list] = None, opset: int = 13,
          name: str = "graph") -> onnx.ModelProto:
    """A model of one graph importing `opset` of the default domain."""
    graph = helper.make_graph(nodes, name, inputs, outputs,
                              initializer=initializers or [])
    result = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", opset)],
        producer_name="kiln-tests")
    # The checker wants a shape on every graph output: let ONNX infer them,
    # and declare the ones it cannot infer with an unknown-size shape.
    result = shape_inference.infer_shapes(result)
    for output in result.graph.output:
        if not output.type.tensor_type.HasField("shape"):
            output.type.tensor_type.shape.dim.add().dim_param = "unknown"
    return result


def node(op_type: str, inputs: List[str], outputs: List[str], name: str = "",
         **attrs) -> onnx.NodeProto:
    """A node, named after its first output unless `name` is given."""
    return helper.make_node(op_type, inputs, outputs, name=name or outputs[0],
                            **attrs)


def out(name: str = "y", elem_type: int = F32) -> onnx.ValueInfoProto:
    """A graph output whose shape ONNX shape inference fills in."""
    return tensor(name, None, elem_type)


# --- graph, constants and types ------------------------------------------


@model
def graph_names() -> onnx.ModelProto:
    """Dynamic dims, names kept, an output computed from constants only."""
    return build(
        [node("Relu", ["input.1"], ["relu:0"]),
         node("Add", ["a", "b"], ["folded"])],
        [tensor("input.1", ["batch", 3, 8])],
        [out("relu:0"), out("folded")],
        [const("a", [1.0, 2.0]), const("b", [10.0, 20.0])],
        name="torch-jit-export")


@model
def initializers() -> onnx.ModelProto:
    """Large, small and splat weights; typed *_data fields; float16."""
    large = const("conv.weight", np.arange(128).reshape(4, 32) / 4.0)
    small = helper.make_tensor("bias", F32, [4], [0.5, -1.5, 2.0, 0.0])
    zeros = const("zeros", np.zeros((100,)))
    half = numpy_helper.from_array(
        np.array([1.0, -2.0], dtype=np.float16), "half")
    flags = helper.make_tensor("flags", TensorProto.BOOL, [3],
                               [True, False, True])
    small8 = helper.make_tensor("small8", TensorProto.INT8, [2], [-3, 7])
    return build(
        [node("MatMul", ["x", "conv.weight"], ["mm"]),
         node("Add", ["zeros", "zeros"], ["zz"]),
         node("Identity", ["half"], ["h"]),
         node("Identity", ["flags"], ["f"]),
         node("Identity", ["small8"], ["s8"]),
         node("Identity", ["bias"], ["b"])],
        [tensor("x", [2, 4])],
        [out("mm"), out("zz"), out("h", TensorProto.FLOAT16),
         out("f", TensorProto.BOOL), out("s8", TensorProto.INT8), out("b")],
        [large, small, zeros, half, flags, small8])


@model
def shape_subgraph() -> onnx.ModelProto:
    """Shape -> Gather -> Unsqueeze -> Concat -> Reshape, folded."""
    return build(
        [node("Shape", ["x"], ["shape"]),
         node("Gather", ["shape", "zero"], ["batch"], axis=0),
         node("Unsqueeze", ["batch", "axes0"], ["batch1"]),
         node("Concat", ["batch1", "minus_one"], ["target"], axis=0),
         node("Reshape", ["x", "target"], ["y"]),
         node("ConstantOfShape", ["target_fill"], ["filled"],
              value=numpy_helper.from_array(np.array([7], dtype=np.int64))),
         node("Range", ["r_start", "r_limit", "r_delta"], ["range"]),
         node("Cast", ["range"], ["range_f"], to=F32),
         node("Mul", ["range_f", "two"], ["scaled"])],
        [tensor("x", [2, 3, 4])],
        [out("y"), out("filled", I64), out("scaled")],
        [const("zero", 0, np.int64), const("axes0", [0], np.int64),
         const("minus_one", [-1], np.int64),
         const("target_fill", [2, 3], np.int64),
         const("r_start", 1, np.int64), const("r_limit", 10, np.int64),
         const("r_delta", 3, np.int64), const("two", 2.0)])


@model
def constant_nodes() -> onnx.ModelProto:
    return build(
        [node("Constant", [], ["c_tensor"],
              value=numpy_helper.from_array(np.array([1.0, 2.0, 3.0],
                                                     dtype=np.float32))),
         node("Constant", [], ["c_ints"], value_ints=[4, 5]),
         node("Constant", [], ["c_float"], value_float=0.25),
         node("Add", ["x", "c_tensor"], ["y"]),
         node("Mul", ["y", "c_float"], ["z"])],
        [tensor("x", [3])],
        [out("z"), out("c_ints", I64)], opset=13)


# --- elementwise ------------------------------------------------------------


@model
def elementwise() -> onnx.ModelProto:
    return build(
        [node("Add", ["x", "b"], ["add"]),
         node("Pow", ["add", "e"], ["pow"]),
         node("Sum", ["x", "x", "pow"], ["sum"]),
         node("Mean", ["x", "sum"], ["mean"]),
         node("Max", ["mean"], ["max1"]),
         node("Reciprocal", ["max1"], ["recip"]),
         node("HardSigmoid", ["recip"], ["hsig"], alpha=0.25, beta=0.75),
         node("Sqrt", ["hsig"], ["sqrt"]),
         node("Cast", ["sqrt"], ["int"], to=TensorProto.INT32),
         node("Cast", ["int"], ["same"], to=TensorProto.INT32),
         node("Where", ["cond", "x", "sqrt"], ["where"])],
        [tensor("x", [2, 3]), tensor("cond", [2, 1], TensorProto.BOOL)],
        [out("same", TensorProto.INT32), out("where")],
        [const("b", [1.0, 2.0, 3.0]), const("e", [2], np.int64)])


@model
def clip_opset6_attrs() -> onnx.ModelProto:
    return build([node("Clip", ["x"], ["y"], min=-1.0)], [tensor("x", [4])],
                 [out()], opset=7)


@model
def clip_opset13_inputs() -> onnx.ModelProto:
    return build([node("Clip", ["x", "lo", "hi"], ["y"])], [tensor("x", [4])],
                 [out()], [const("lo", 0.0), const("hi", 6.0)])


@model
def clip_upper_only() -> onnx.ModelProto:
    return build([node("Clip", ["x", "", "hi"], ["y"])], [tensor("x", [4])],
                 [out()], [const("hi", 6.0)])


# --- layers ---------------------------------------------------------------


@model
def conv_same_upper() -> onnx.ModelProto:
    weight = const("w", np.ones((4, 3, 3, 3)) * 0.5)
    return build(
        [node("Conv", ["x", "w", "bias"], ["y"], auto_pad="SAME_UPPER",
              strides=[2, 2], kernel_shape=[3, 3])],
        [tensor("x", [1, 3, 8, 7])], [out()],
        [weight, const("bias", [0.0, 1.0, 2.0, 3.0])])


@model
def conv_grouped() -> onnx.ModelProto:
    return build(
        [node("Conv", ["x", "w"], ["y"], group=2, pads=[1, 0, 1, 0],
              dilations=[2, 1])],
        [tensor("x", ["n", 4, 6, 6])], [out()],
        [const("w", np.full((4, 2, 3, 3), 0.25))])


@model
def matmul_gemm() -> onnx.ModelProto:
    return build(
        [node("Gemm", ["x", "w", "c"], ["g"], alpha=0.5, beta=2.0, transB=1),
         node("MatMul", ["g", "m"], ["y"])],
        [tensor("x", [2, 3])], [out()],
        [const("w", np.ones((5, 3))), const("c", [1.0, 2.0, 3.0, 4.0, 5.0]),
         const("m", np.ones((5, 2)))])


@model
def norms() -> onnx.ModelProto:
    return build(
        [node("BatchNormalization", ["x", "s", "b", "mean", "var"], ["bn"],
              epsilon=1e-3),
         node("LayerNormalization", ["bn", "ls", "lb"], ["y"], axis=-2,
              epsilon=1e-6)],
        [tensor("x", [2, 3, 4])], [out()],
        [const("s", [1.0, 2.0, 3.0]), const("b", [0.0, 0.0, 1.0]),
         const("mean", [0.5, 0.5, 0.5]), const("var", [1.0, 1.0, 2.0]),
         const("ls", np.ones((3, 4))), const("lb", np.zeros((3, 4)))],
        opset=17)


@model
def layer_norm_broadcast_scale() -> onnx.ModelProto:
    return build(
        [node("LayerNormalization", ["x", "ls"], ["y"], axis=1)],
        [tensor("x", [2, 3, 4])], [out()], [const("ls", np.ones((4,)))],
        opset=17)


@model
def softmax_opset11() -> onnx.ModelProto:
    return build(
        [node("Softmax", ["x"], ["s"]),
         node("LogSoftmax", ["x"], ["l"], axis=2)],
        [tensor("x", [2, 3, 4])], [out("s"), out("l")], opset=11)


@model
def softmax_opset13() -> onnx.ModelProto:
    return build([node("Softmax", ["x"], ["y"], axis=1)],
                 [tensor("x", [2, 3, 4])], [out()])


# --- pooling and reductions -------------------------------------------------


@model
def pooling() -> onnx.ModelProto:
    return build(
        [node("MaxPool", ["x"], ["mp"], kernel_shape=[3, 3], strides=[2, 2],
              ceil_mode=1, dilations=[1, 2]),
         node("AveragePool", ["x"], ["ap"], kernel_shape=[2, 2],
              auto_pad="SAME_LOWER", count_include_pad=1),
         node("GlobalAveragePool", ["x"], ["gap"]),
         node("GlobalMaxPool", ["x"], ["gmp"])],
        [tensor("x", [1, 2, 9, 9])],
        [out("mp"), out("ap"), out("gap"), out("gmp")], opset=12)


@model
def reductions() -> onnx.ModelProto:
    return build(
        [node("ReduceSum", ["x", "axes"], ["sum"], keepdims=0),
         node("ReduceMean", ["x"], ["mean"], axes=[-1]),
         node("ReduceMax", ["x"], ["max"]),
         node("ReduceSum", ["x"], ["noop"], noop_with_empty_axes=1)],
        [tensor("x", [2, 3, 4])],
        [out("sum"), out("mean"), out("max"), out("noop")],
        [const("axes", [2, 0], np.int64)])


# --- shape and data movement ------------------------------------------------


@model
def reshapes() -> onnx.ModelProto:
    return build(
        [node("Reshape", ["x", "shape"], ["r"]),
         node("Flatten", ["x"], ["f"], axis=-1),
         node("Squeeze", ["r", "sq_axes"], ["sq"]),
         node("Unsqueeze", ["sq", "unsq_axes"], ["unsq"]),
         node("Transpose", ["x"], ["t"]),
         node("Concat", ["x", "x"], ["c"], axis=-2)],
        [tensor("x", [2, 3, 4])],
        [out("f"), out("unsq"), out("t"), out("c")],
        [const("shape", [0, -1, 1], np.int64),
         const("sq_axes", [-1], np.int64),
         const("unsq_axes", [0, 3], np.int64)])


@model
def reshape_dynamic() -> onnx.ModelProto:
    return build([node("Reshape", ["x", "shape"], ["y"])],
                 [tensor("x", ["n", 3, 4])], [out()],
                 [const("shape", [0, 12], np.int64)])


@model
def squeeze_opset11() -> onnx.ModelProto:
    return build(
        [node("Squeeze", ["x"], ["s"], axes=[1]),
         node("Unsqueeze", ["s"], ["y"], axes=[-1])],
        [tensor("x", [3, 1, 2])], [out()], opset=11)


@model
def slices() -> onnx.ModelProto:
    return build(
        [node("Slice", ["x", "starts", "ends", "axes", "steps"], ["neg"]),
         node("Slice", ["x", "s2", "e2"], ["clamped"]),
         node("Split", ["x", "split"], ["p0", "p1"], axis=1)],
        [tensor("x", [4, 6])],
        [out("neg"), out("clamped"), out("p0"), out("p1")],
        [const("starts", [-1, 100], np.int64),
         const("ends", [-100, 0], np.int64),
         const("axes", [0, -1], np.int64),
         const("steps", [-2, -3], np.int64),
         const("s2", [1, -4], np.int64),
         const("e2", [1000, -1], np.int64),
         const("split", [2, 4], np.int64)])


@model
def slice_opset9() -> onnx.ModelProto:
    return build([node("Slice", ["x"], ["y"], starts=[1], ends=[3], axes=[1])],
                 [tensor("x", [4, 6])], [out()], opset=9)


@model
def pads_gather() -> onnx.ModelProto:
    return build(
        [node("Pad", ["x", "pads", "value"], ["padded"]),
         node("Pad", ["x", "pads"], ["reflected"], mode="reflect"),
         node("Gather", ["x", "idx"], ["gathered"], axis=-1),
         node("Dropout", ["gathered"], ["y"]),
         node("Identity", ["y"], ["z"]),
         node("Expand", ["x", "eshape"], ["expanded"])],
        [tensor("x", [3, 4])],
        [out("padded"), out("reflected"), out("z"), out("expanded")],
        [const("pads", [0, 1, 2, 1], np.int64), const("value", 1.5),
         const("idx", [[0, -1]], np.int64), const("eshape", [2, 1, 4],
                                                  np.int64)])


@model
def pad_opset2() -> onnx.ModelProto:
    return build([node("Pad", ["x"], ["y"], pads=[1, 0, 0, 2], mode="edge")],
                 [tensor("x", [3, 4])], [out()], opset=7)


# --- quantization ---------------------------------------------------------


@model
def quantize() -> onnx.ModelProto:
    return build(
        [node("QuantizeLinear", ["x", "scale", "zp"], ["q"]),
         node("DequantizeLinear", ["q", "scale", "zp"], ["dq"]),
         node("QuantizeLinear", ["x", "scale"], ["qu"]),
         node("DequantizeLinear", ["w", "wscale", "wzp"], ["wdq"], axis=0),
         node("DequantizeLinear", ["wu", "scale", "zpu"], ["wudq"])],
        [tensor("x", [2, 3])],
        [out("dq"), out("qu", TensorProto.UINT8), out("wdq"), out("wudq")],
        [const("scale", 0.5), const("zp", -3, np.int8),
         const("w", [[1, 2], [3, 4], [5, 6]], np.int8),
         const("wscale", [0.1, 0.2, 0.3]), const("wzp", [0, 1, -1], np.int8),
         const("wu", [200, 10], np.uint8), const("zpu", 128, np.uint8)])


# --- errors ---------------------------------------------------------------


@model
def unsupported_op() -> onnx.ModelProto:
    return build([node("Det", ["x"], ["y"], name="act1")],
                 [tensor("x", [2, 2])], [out()])


@model
def unsupported_attr() -> onnx.ModelProto:
    return build(
        [node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"],
              name="bn", training_mode=1)],
        [tensor("x", [2, 3])], [out()],
        [const("s", [1.0] * 3), const("b", [0.0] * 3), const("m", [0.0] * 3),
         const("v", [1.0] * 3)], opset=15)


@model
def unsupported_conv4d() -> onnx.ModelProto:
    return build([node("Conv", ["x", "w"], ["y"], name="conv4d")],
                 [tensor("x", [1, 1, 4, 4, 4, 4])], [out()],
                 [const("w", np.ones((1, 1, 2, 2, 2, 2)))])


@model
def complex_input() -> onnx.ModelProto:
    return build([node("Identity", ["x"], ["y"])],
                 [tensor("x", [4], TensorProto.COMPLEX64)],
                 [out("y", TensorProto.COMPLEX64)])


@model
def complex_initializer() -> onnx.ModelProto:
    return build([node("Where", ["cond", "k", "k"], ["y"], name="select")],
                 [tensor("cond", [2], TensorProto.BOOL)],
                 [out("y", TensorProto.COMPLEX64)],
                 [const("k", [1, 2], np.complex64)])


@model
def bad_broadcast() -> onnx.ModelProto:
    """Shapes that do not broadcast; ONNX inference lets it pass."""
    return build([node("Mul", ["x", "k"], ["y"], name="scale")],
                 [tensor("x", [2, 3])], [out()], [const("k", [1.0, 2.0])])


@model
def nonconstant_shape() -> onnx.ModelProto:
    return build([node("Reshape", ["x", "shape"], ["y"], name="reshape")],
                 [tensor("x", [2, 3]), tensor("shape", [2], I64)], [out()])


@model
def external_data() -> onnx.ModelProto:
    weight = helper.make_tensor("w", F32, [2], [0.0, 0.0])
    weight.ClearField("float_data")
    weight.data_location = TensorProto.EXTERNAL
    entry = weight.external_data.add()
    entry.key, entry.value = "location", "weights.bin"
    return build([node("Add", ["x", "w"], ["y"], name="add")],
                 [tensor("x", [2])], [out()], [weight])


@model
def old_opset() -> onnx.ModelProto:
    return build([node("Relu", ["x"], ["y"])], [tensor("x", [2])], [out()],
                 opset=6)


def main() -> None:
    directory = pathlib.Path(sys.argv[1])
    directory.mkdir(parents=True, exist_ok=True)
    for name, builder in MODELS.items():
        onnx.save(builder(), str(directory / f"{name}.onnx"))
    # A file that is no ONNX model at all.
    (directory / "garbage.onnx").write_text("this is not an ONNX model\n")
    # A tensor to bind to nonconstant_shape's `shape` input, and the data
    # file external_data.onnx points to.
    onnx.save_tensor(numpy_helper.from_array(np.array([3, 2]), "shape"),
                     str(directory / "shape.pb"))
    (directory / "weights.bin").write_bytes(bytes(8))


if __name__ == "__main__":
    main()
