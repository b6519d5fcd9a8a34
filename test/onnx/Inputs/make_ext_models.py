#!/usr/bin/env python3
"""Writes the ONNX models of legacy-opsets.test and reduce-ext.test, and
checks the outputs kiln-run computes for some of them.

Usage: make_ext_models.py OUTPUT_DIR
       make_ext_models.py --check OUTPUT_DIR NAME RESULT_DIR

The first form saves every model as OUTPUT_DIR/<name>.onnx. A model built
with inputs to run also gets OUTPUT_DIR/<name>.in<i>.npy (its inputs) and
OUTPUT_DIR/<name>.out<i>.npy (what NumPy computes from them). The second form
compares RESULT_DIR/output_<i>.npy, written by `kiln-run --output-dir`, with
those expected values (rtol 1e-5, exact for integers).
"""

import pathlib
import sys
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper, shape_inference

F32 = TensorProto.FLOAT
I64 = TensorProto.INT64

# name -> (model, inputs, expected outputs)
Built = Tuple[onnx.ModelProto, List[np.ndarray], List[np.ndarray]]
MODELS: Dict[str, Callable[[], Built]] = {}
RNG = np.random.default_rng(5)


def model(func: Callable[[], Built]) -> Callable[[], Built]:
    """Registers a model builder under its function name."""
    MODELS[func.__name__] = func
    return func


def tensor(name: str, shape: Optional[Sequence],
           elem_type: int = F32) -> onnx.ValueInfoProto:
    """A graph input or output of the given shape."""
    return helper.make_tensor_value_info(name, elem_type, shape)


def const(name: str, values, dtype=np.float32) -> TensorProto:
    """An initializer."""
    return numpy_helper.from_array(np.array(values, dtype=dtype), name)


def build(nodes: List[onnx.NodeProto], inputs: list, outputs: list,
          initializers: Optional[list] = None,
          opset: int = 13) -> onnx.ModelProto:
    """A model of one graph importing `opset` of the default domain; the
    output shapes come from ONNX's shape inference where it knows them."""
    graph = helper.make_graph(nodes, "graph", inputs, outputs,
                              initializer=initializers or [])
    result = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", opset)],
        producer_name="kiln-tests")
    # IR version 4 is the oldest that lets initializers stay out of the
    # graph inputs; it covers every opset used here.
    result.ir_version = 4 if opset < 7 else 7
    result = shape_inference.infer_shapes(result)
    for output in result.graph.output:
        if not output.type.tensor_type.HasField("shape"):
            output.type.tensor_type.shape.dim.add().dim_param = "unknown"
    return result


def random(*shape: int) -> np.ndarray:
    return RNG.uniform(-3.0, 3.0, size=shape).astype(np.float32)


def unary(op: str, shape: Sequence[int], opset: int = 13,
          out_type: int = F32, **attrs) -> onnx.ModelProto:
    """A model of one node from input x to output y."""
    node = helper.make_node(op, ["x"], ["y"], name="n", **attrs)
    return build([node], [tensor("x", shape)], [tensor("y", None, out_type)],
                 opset=opset)


#===----------------------------------------------------------------------===#
# Legacy opsets (1 to 6)
#===----------------------------------------------------------------------===#


@model
def legacy_add_axis() -> Built:
    """Add with broadcast=1, axis=1: B (3x4) lines up with A's dimensions 1
    and 2, where NumPy would align it with the last two."""
    a, b = random(2, 3, 4, 5), random(3, 4)
    node = helper.make_node("Add", ["a", "b"], ["y"], name="add", broadcast=1,
                            axis=1)
    m = build([node], [tensor("a", a.shape), tensor("b", b.shape)],
              [tensor("y", a.shape)], opset=6)
    return m, [a, b], [a + b.reshape(1, 3, 4, 1)]


@model
def legacy_pow_axis() -> Built:
    """Pow with broadcast=1, axis=0 on a constant exponent of shape 2."""
    a = RNG.uniform(0.5, 2.0, size=(2, 3)).astype(np.float32)
    e = np.array([2.0, 0.5], dtype=np.float32)
    node = helper.make_node("Pow", ["a", "e"], ["y"], name="pow", broadcast=1,
                            axis=0)
    m = build([node], [tensor("a", a.shape)], [tensor("y", a.shape)],
              [const("e", e)], opset=6)
    return m, [a], [np.power(a, e.reshape(2, 1))]


@model
def legacy_binary_trailing() -> Built:
    """Mul by a trailing-aligned B, Sub of a one-element B with an axis, and
    Div of equal shapes without broadcast: no reshape needed."""
    a, b, c = random(2, 3), random(3), random(2, 3)
    s = np.array([2.0], dtype=np.float32)
    nodes = [
        helper.make_node("Mul", ["a", "b"], ["m"], name="mul", broadcast=1),
        helper.make_node("Sub", ["m", "s"], ["d"], name="sub", broadcast=1,
                         axis=0),
        helper.make_node("Div", ["d", "c"], ["y"], name="div"),
    ]
    m = build(nodes, [tensor("a", a.shape), tensor("b", b.shape),
                      tensor("c", c.shape)], [tensor("y", a.shape)],
              [const("s", s)], opset=6)
    return m, [a, b, c], [(a * b - s) / c]


@model
def legacy_no_broadcast_flag() -> Built:
    node = helper.make_node("Add", ["a", "b"], ["y"], name="add")
    return build([node], [tensor("a", [2, 3]), tensor("b", [3])],
                 [tensor("y", [2, 3])], opset=6), [], []


@model
def legacy_broadcast_mismatch() -> Built:
    node = helper.make_node("Mul", ["a", "b"], ["y"], name="mul", broadcast=1,
                            axis=0)
    return build([node], [tensor("a", [2, 3]), tensor("b", [3])],
                 [tensor("y", [2, 3])], opset=6), [], []


@model
def legacy_equal_axis() -> Built:
    """Equal (evaluated at import time) with a non-trailing axis."""
    node = helper.make_node("Equal", ["a", "b"], ["y"], name="eq",
                            broadcast=1, axis=0)
    return build([node], [], [tensor("y", [2, 3], TensorProto.BOOL)],
                 [const("a", np.zeros((2, 3)), np.int64),
                  const("b", [0, 1], np.int64)], opset=6), [], []


@model
def legacy_layers() -> Built:
    """BatchNormalization (is_test=1, consumed_inputs), Dropout (is_test=1),
    Reshape with a `shape` attribute, Concat without an axis, Pad with
    `paddings`, Gemm with `broadcast`: opset 1 where the old forms live."""
    x = random(1, 2, 3, 3)
    scale, bias, mean = random(2), random(2), random(2)
    var = RNG.uniform(0.5, 2.0, size=2).astype(np.float32)
    w = random(4, 6)
    c = random(4)
    nodes = [
        helper.make_node("BatchNormalization", ["x", "s", "b", "m", "v"],
                         ["bn"], name="bn", is_test=1, epsilon=1e-3,
                         consumed_inputs=[0, 0, 0, 1, 1]),
        helper.make_node("Dropout", ["bn"], ["dr"], name="drop", is_test=1),
        helper.make_node("Concat", ["dr", "dr"], ["cat"], name="cat"),
        helper.make_node("Pad", ["cat"], ["pad"], name="pad",
                         paddings=[0, 0, 0, 1, 0, 0, 0, 0], value=1.5),
        helper.make_node("Reshape", ["pad"], ["r"], name="reshape",
                         shape=[4, -1]),
        helper.make_node("Slice", ["r"], ["sl"], name="slice", axes=[1],
                         starts=[0], ends=[6]),
        helper.make_node("Gemm", ["sl", "w", "c"], ["y"], name="gemm",
                         broadcast=1, transB=1),
    ]
    inits = [const("s", scale), const("b", bias), const("m", mean),
             const("v", var), const("w", w), const("c", c)]
    graph = helper.make_graph(nodes, "graph", [tensor("x", x.shape)],
                              [tensor("y", [4, 4])], initializer=inits)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 1)],
                          producer_name="kiln-tests")
    m.ir_version = 4
    bn = (x - mean.reshape(1, 2, 1, 1)) / np.sqrt(
        var.reshape(1, 2, 1, 1) + 1e-3) * scale.reshape(1, 2, 1, 1) + \
        bias.reshape(1, 2, 1, 1)
    cat = np.concatenate([bn, bn], axis=1)
    pad = np.pad(cat, [(0, 0), (0, 0), (0, 0), (1, 0)], constant_values=1.5)
    r = pad.reshape(4, -1)[:, :6]
    return m, [x], [(r @ w.T + c).astype(np.float32)]


@model
def legacy_softmax() -> Built:
    """Softmax of opset 6 (the input coerced to 2-D around axis 1)."""
    x = random(2, 3, 4)
    m = unary("Softmax", x.shape, opset=6, axis=1)
    flat = x.reshape(2, 12)
    e = np.exp(flat - flat.max(axis=1, keepdims=True))
    return m, [x], [(e / e.sum(axis=1, keepdims=True)).reshape(2, 3, 4)]


@model
def new_opset() -> Built:
    """A model of opset 18, past the importer's range (errors.test)."""
    node = helper.make_node("Relu", ["x"], ["y"], name="relu")
    graph = helper.make_graph([node], "graph", [tensor("x", [2])],
                              [tensor("y", [2])])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)],
                          producer_name="kiln-tests")
    m.ir_version = 8
    return m, [], []


@model
def legacy_training_bn() -> Built:
    nodes = [helper.make_node("BatchNormalization", ["x", "s", "b", "m", "v"],
                              ["y"], name="bn")]
    inits = [const(n, np.ones(2)) for n in "sbmv"]
    return build(nodes, [tensor("x", [1, 2, 3])], [tensor("y", [1, 2, 3])],
                 inits, opset=6), [], []


@model
def legacy_training_dropout() -> Built:
    return unary("Dropout", [2, 3], opset=6, is_test=0), [], []


@model
def legacy_tile() -> Built:
    node = helper.make_node("Tile", ["x", "t", "a"], ["y"], name="tile")
    return build([node], [tensor("x", [2, 3])], [tensor("y", None)],
                 [const("t", [2], np.int64), const("a", [1], np.int64)],
                 opset=5), [], []


@model
def legacy_cast_string() -> Built:
    return unary("Cast", [2, 3], opset=5, out_type=TensorProto.DOUBLE,
                 to="DOUBLE"), [], []


#===----------------------------------------------------------------------===#
# Reductions and data movement
#===----------------------------------------------------------------------===#


@model
def reductions() -> Built:
    """Every further reduction, with attribute axes (negative ones too),
    keepdims on and off and the default of all axes."""
    x = RNG.uniform(0.2, 2.0, size=(2, 3, 4)).astype(np.float32)
    specs = [
        ("ReduceMin", dict(axes=[1]), lambda v: v.min(axis=1, keepdims=True)),
        ("ReduceProd", dict(axes=[0, -1], keepdims=0),
         lambda v: v.prod(axis=(0, 2))),
        ("ReduceL1", dict(axes=[2]), lambda v: np.abs(v).sum(2, keepdims=True)),
        ("ReduceL2", dict(keepdims=0), lambda v: np.sqrt((v * v).sum())),
        ("ReduceLogSum", dict(axes=[0, 1]),
         lambda v: np.log(v.sum(axis=(0, 1), keepdims=True))),
        ("ReduceLogSumExp", dict(axes=[-2], keepdims=0),
         lambda v: np.log(np.exp(v).sum(axis=1))),
        ("ReduceSumSquare", dict(axes=[1, 2]),
         lambda v: (v * v).sum(axis=(1, 2), keepdims=True)),
    ]
    nodes, outputs, expected = [], [], []
    for i, (op, attrs, fn) in enumerate(specs):
        nodes.append(helper.make_node(op, ["x"], [f"y{i}"], name=op, **attrs))
        outputs.append(tensor(f"y{i}", None))
        expected.append(np.asarray(fn(x.astype(np.float64)), np.float32))
    return build(nodes, [tensor("x", x.shape)], outputs), [x], expected


@model
def arg_reductions() -> Built:
    """ArgMax / ArgMin with a negative axis, keepdims off and
    select_last_index on ties."""
    x = RNG.integers(-2, 3, size=(3, 4)).astype(np.float32)
    nodes = [
        helper.make_node("ArgMax", ["x"], ["y0"], name="amax", axis=-1),
        helper.make_node("ArgMin", ["x"], ["y1"], name="amin", axis=0,
                         keepdims=0, select_last_index=1),
    ]
    outputs = [tensor("y0", None, I64), tensor("y1", None, I64)]
    last = x.shape[0] - 1 - np.argmin(np.flip(x, 0), axis=0)
    return build(nodes, [tensor("x", x.shape)], outputs), [x], [
        np.argmax(x, axis=1).reshape(3, 1), last.astype(np.int64)]


@model
def reduce_log_sum_int() -> Built:
    """ReduceLogSum of integers: nn.log takes floats only."""
    node = helper.make_node("ReduceLogSum", ["x"], ["y"], name="rls")
    return build([node], [tensor("x", [2, 3], I64)],
                 [tensor("y", None, I64)]), [], []


@model
def data_movement() -> Built:
    """Tile, DepthToSpace in both modes and SpaceToDepth."""
    x = random(1, 8, 2, 3)
    t = random(2, 3)
    nodes = [
        helper.make_node("Tile", ["t", "reps"], ["y0"], name="tile"),
        helper.make_node("DepthToSpace", ["x"], ["y1"], name="d2s_dcr",
                         blocksize=2),
        helper.make_node("DepthToSpace", ["x"], ["y2"], name="d2s_crd",
                         blocksize=2, mode="CRD"),
        helper.make_node("SpaceToDepth", ["y1"], ["y3"], name="s2d",
                         blocksize=2),
    ]
    outputs = [tensor(f"y{i}", None) for i in range(4)]
    m = build(nodes, [tensor("x", x.shape), tensor("t", t.shape)], outputs,
              [const("reps", [3, 2], np.int64)])
    b = 2
    dcr = x.reshape(1, b, b, 2, 2, 3).transpose(0, 3, 4, 1, 5, 2).reshape(
        1, 2, 4, 6)
    crd = x.reshape(1, 2, b, b, 2, 3).transpose(0, 1, 4, 2, 5, 3).reshape(
        1, 2, 4, 6)
    s2d = dcr.reshape(1, 2, 2, b, 3, b).transpose(0, 3, 5, 1, 2, 4).reshape(
        1, 8, 2, 3)
    return m, [x, t], [np.tile(t, (3, 2)), dcr, crd, s2d]


@model
def gather_elements() -> Built:
    """GatherElements along a negative axis, with negative indices."""
    x = random(3, 4)
    idx = np.array([[0, -1], [2, 1], [-4, 3]], dtype=np.int64)
    node = helper.make_node("GatherElements", ["x", "i"], ["y"], name="ge",
                            axis=-1)
    m = build([node], [tensor("x", x.shape), tensor("i", idx.shape, I64)],
              [tensor("y", idx.shape)])
    return m, [x, idx], [np.take_along_axis(x, np.where(idx < 0, idx + 4, idx),
                                            1)]


@model
def tile_bad_repeats() -> Built:
    node = helper.make_node("Tile", ["x", "reps"], ["y"], name="tile")
    return build([node], [tensor("x", [2, 3])], [tensor("y", None)],
                 [const("reps", [2], np.int64)]), [], []


@model
def depth_to_space_bad_channels() -> Built:
    return unary("DepthToSpace", [1, 6, 2, 2], blocksize=2), [], []


@model
def argmax_bad_axis() -> Built:
    return unary("ArgMax", [2, 3], out_type=I64, axis=2), [], []


def write(out_dir: pathlib.Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, builder in MODELS.items():
        m, inputs, expected = builder()
        onnx.save(m, str(out_dir / f"{name}.onnx"))
        for i, value in enumerate(inputs):
            np.save(out_dir / f"{name}.in{i}.npy", value)
        for i, value in enumerate(expected):
            np.save(out_dir / f"{name}.out{i}.npy", value)


def check(out_dir: pathlib.Path, name: str, result_dir: pathlib.Path) -> int:
    i = 0
    while (out_dir / f"{name}.out{i}.npy").exists():
        expected = np.load(out_dir / f"{name}.out{i}.npy")
        actual = np.load(result_dir / f"output_{i}.npy")
        if actual.shape != expected.shape or actual.dtype != expected.dtype:
            print(f"{name} output {i}: got {actual.dtype}{actual.shape}, "
                  f"expected {expected.dtype}{expected.shape}")
            return 1
        if expected.dtype.kind == "f":
            ok = np.allclose(actual, expected, rtol=1e-5, atol=1e-6)
        else:
            ok = np.array_equal(actual, expected)
        if not ok:
            print(f"{name} output {i}: got {actual}, expected {expected}")
            return 1
        i += 1
    print(f"{name}: {i} outputs match")
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "--check":
        sys.exit(check(pathlib.Path(sys.argv[2]), sys.argv[3],
                       pathlib.Path(sys.argv[4])))
    write(pathlib.Path(sys.argv[1]))
