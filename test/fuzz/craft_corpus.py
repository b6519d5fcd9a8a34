#!/usr/bin/env python3
"""Writes the hand-crafted part of the ONNX importer's regression corpus.

Each file is a small malformed or hostile ModelProto (truncated bytes, bad
wire types, negative or huge dimensions, data of the wrong size, attributes
of the wrong type, undefined or cyclic inputs, degenerate shape arithmetic)
that the importer must reject or import without crashing. The protobuf
encoding is written by hand so that the files can be invalid in ways the
onnx Python package would refuse to produce. Inputs that fuzzing found are
added to test/fuzz/corpus/ directly, named `crash-<what>`.

Usage: test/fuzz/craft_corpus.py [OUTPUT_DIR]   (default: test/fuzz/corpus)
"""

import os
import struct
import sys
from collections.abc import Sequence

# TensorProto.DataType and AttributeProto.AttributeType values.
FLOAT, INT64, STRING = 1, 7, 8
A_FLOAT, A_INT, A_TENSOR, A_INTS = 1, 2, 4, 7


def varint(value: int) -> bytes:
    value &= (1 << 64) - 1
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def key(field: int, wire: int) -> bytes:
    return varint(field << 3 | wire)


def vint(field: int, value: int) -> bytes:
    return key(field, 0) + varint(value)


def ld(field: int, payload: bytes | str) -> bytes:
    if isinstance(payload, str):
        payload = payload.encode()
    return key(field, 2) + varint(len(payload)) + payload


def f32(field: int, value: float) -> bytes:
    return key(field, 5) + struct.pack("<f", value)


def tensor(name: str, dims: list[int], dtype: int, raw: bytes | None = None,
           floats: list[float] | None = None,
           int64s: list[int] | None = None) -> bytes:
    out = b"".join(vint(1, d) for d in dims) + vint(2, dtype) + ld(8, name)
    if raw is not None:
        out += ld(9, raw)
    if floats is not None:
        out += ld(4, b"".join(struct.pack("<f", v) for v in floats))
    if int64s is not None:
        out += ld(7, b"".join(varint(v) for v in int64s))
    return out


def value_info(name: str, dtype: int = FLOAT,
               dims: list[int | str] | None = None) -> bytes:
    # ONNX's checker wants a shape on every graph input and output; an empty
    # one (rank 0) leaves the output's rank to the importer.
    shape = key(2, 2) + varint(0)
    if dims is not None:
        shape = ld(2, b"".join(
            ld(1, ld(2, d) if isinstance(d, str) else vint(1, d))
            for d in dims))
    return ld(1, name) + ld(2, ld(1, vint(1, dtype) + shape))


def attr_int(name: str, value: int) -> bytes:
    return ld(1, name) + vint(3, value) + vint(20, A_INT)


def attr_ints(name: str, values: list[int]) -> bytes:
    return (ld(1, name) + b"".join(vint(8, v) for v in values) +
            vint(20, A_INTS))


def attr_float(name: str, value: float) -> bytes:
    return ld(1, name) + f32(2, value) + vint(20, A_FLOAT)


def attr_tensor(name: str, value: bytes) -> bytes:
    return ld(1, name) + ld(5, value) + vint(20, A_TENSOR)


def node(op: str, inputs: list[str], outputs: list[str],
         attrs: Sequence[bytes] = ()) -> bytes:
    return (b"".join(ld(1, i) for i in inputs) +
            b"".join(ld(2, o) for o in outputs) + ld(3, op.lower()) +
            ld(4, op) + b"".join(ld(5, a) for a in attrs))


def model(nodes: list[bytes], inputs: list[bytes], outputs: list[bytes],
          inits: Sequence[bytes] = (), opset: int = 13) -> bytes:
    graph = (b"".join(ld(1, n) for n in nodes) + ld(2, "g") +
             b"".join(ld(5, t) for t in inits) +
             b"".join(ld(11, i) for i in inputs) +
             b"".join(ld(12, o) for o in outputs))
    return vint(1, 8) + ld(8, vint(2, opset)) + ld(7, graph)


def unary(op: str, attrs: Sequence[bytes] = (), dims: Sequence[int] = (2, 3),
          opset: int = 13) -> bytes:
    return model([node(op, ["x"], ["y"], attrs)],
                 [value_info("x", FLOAT, list(dims))], [value_info("y")],
                 opset=opset)


def with_const(op: str, const: bytes, attrs: Sequence[bytes] = (),
               dims: Sequence[int] = (2, 3), opset: int = 13) -> bytes:
    """`op(x, c)` with `c` an initializer."""
    return model([node(op, ["x", "c"], ["y"], attrs)],
                 [value_info("x", FLOAT, list(dims))], [value_info("y")],
                 [const], opset)


def i64(name: str, values: list[int]) -> bytes:
    """A 1-D int64 initializer."""
    return tensor(name, [len(values)], INT64, int64s=values)


def cases() -> dict[str, bytes]:
    relu = unary("Relu")
    huge = 1 << 40
    return {
        "empty": b"",
        "truncated-model": relu[: len(relu) // 2],
        "truncated-varint": vint(1, 8) + b"\xff\xff\xff",
        "bad-wire-type-group": vint(1, 8) + b"\x3b\x3c",
        "bad-wire-type-graph-as-varint": vint(1, 8) + vint(7, 5),
        "length-past-end": vint(1, 8) + key(7, 2) + varint(1 << 30) + b"\x0a",
        "no-graph": vint(1, 8) + ld(8, vint(2, 13)),
        "no-opset": relu[: len(relu)].replace(ld(8, vint(2, 13)), b""),
        "opset-negative": unary("Relu", opset=-1),
        "opset-huge": unary("Relu", opset=1 << 62),
        "negative-input-dim": unary("Relu", dims=[-5, 3]),
        "huge-input-dims": unary("Relu", dims=[huge, huge, huge]),
        "zero-input-dim": unary("Relu", dims=[0, 3]),
        "negative-init-dim": with_const(
            "Add", tensor("c", [-1, 3], FLOAT, floats=[1.0] * 3)),
        "huge-init-dims-no-data": with_const(
            "Add", tensor("c", [huge, huge], FLOAT)),
        "huge-init-dims-overflow": with_const(
            "Add", tensor("c", [1 << 62, 1 << 62, 4], FLOAT, raw=b"\0" * 4)),
        "raw-data-too-short": with_const(
            "Add", tensor("c", [2, 3], FLOAT, raw=b"\0" * 5)),
        "float-data-too-long": with_const(
            "Add", tensor("c", [2, 3], FLOAT, floats=[1.0] * 7)),
        "unknown-data-type": with_const(
            "Add", tensor("c", [1], 999, raw=b"\0" * 4)),
        "undefined-data-type": with_const("Add", tensor("c", [1], 0)),
        "string-init": with_const(
            "Add", tensor("c", [1], STRING) + ld(6, "hello")),
        "external-data": with_const(
            "Add", tensor("c", [3], FLOAT) + vint(14, 1) +
            ld(13, ld(1, "location") + ld(2, "/etc/passwd"))),
        "undefined-input": model([node("Relu", ["nowhere"], ["y"])],
                                 [value_info("x", FLOAT, [2])],
                                 [value_info("y")]),
        "cyclic-nodes": model(
            [node("Add", ["x", "b"], ["a"]), node("Relu", ["a"], ["b"])],
            [value_info("x", FLOAT, [2])], [value_info("b")]),
        "self-loop": model([node("Add", ["x", "y"], ["y"])],
                           [value_info("x", FLOAT, [2])], [value_info("y")]),
        "undefined-output": model([node("Relu", ["x"], ["y"])],
                                  [value_info("x", FLOAT, [2])],
                                  [value_info("zzz")]),
        "duplicate-output-name": model(
            [node("Relu", ["x"], ["y"]), node("Relu", ["x"], ["y"])],
            [value_info("x", FLOAT, [2])], [value_info("y")]),
        "input-no-type": model([node("Relu", ["x"], ["y"])], [ld(1, "x")],
                               [value_info("y")]),
        "attr-type-mismatch": unary(
            "Softmax", [ld(1, "axis") + f32(2, 1.5) + vint(20, A_INT)]),
        "attr-no-type": unary("Softmax", [ld(1, "axis") + vint(3, 1)]),
        "attr-wrong-kind": unary("Softmax", [attr_float("axis", 1.0)]),
        "axis-out-of-range": unary("Softmax", [attr_int("axis", 1 << 40)]),
        "axis-int64-min": unary("Flatten", [attr_int("axis", -(1 << 63))]),
        "concat-axis-huge": model(
            [node("Concat", ["x", "x"], ["y"], [attr_int("axis", 99)])],
            [value_info("x", FLOAT, [2, 3])], [value_info("y")]),
        "transpose-bad-perm": unary("Transpose", [attr_ints("perm", [0, 0])]),
        "transpose-perm-out-of-range": unary(
            "Transpose", [attr_ints("perm", [1, 1 << 40])]),
        "conv-zero-stride": with_const(
            "Conv", tensor("c", [1, 1, 1, 1], FLOAT, floats=[1.0]),
            [attr_ints("strides", [0, 0])], dims=[1, 1, 4, 4]),
        "conv-negative-pads": with_const(
            "Conv", tensor("c", [1, 1, 1, 1], FLOAT, floats=[1.0]),
            [attr_ints("pads", [-9, -9, -9, -9])], dims=[1, 1, 4, 4]),
        "conv-huge-dilation": with_const(
            "Conv", tensor("c", [1, 1, 2, 2], FLOAT, floats=[1.0] * 4),
            [attr_ints("dilations", [1 << 62, 1 << 62])], dims=[1, 1, 4, 4]),
        "conv-zero-group": with_const(
            "Conv", tensor("c", [1, 1, 1, 1], FLOAT, floats=[1.0]),
            [attr_int("group", 0)], dims=[1, 1, 4, 4]),
        "maxpool-huge-kernel": unary(
            "MaxPool", [attr_ints("kernel_shape", [1 << 62, 1 << 62])],
            dims=[1, 1, 4, 4]),
        "maxpool-no-kernel": unary("MaxPool", dims=[1, 1, 4, 4]),
        "reshape-two-minus-ones": with_const("Reshape", i64("c", [-1, -1])),
        "reshape-huge": with_const("Reshape", i64("c", [huge, huge])),
        "reshape-negative": with_const("Reshape", i64("c", [-7, 3])),
        "reshape-zero-out-of-rank": with_const("Reshape", i64("c", [0, 0, 0])),
        "expand-huge": with_const("Expand", i64("c", [huge, huge, huge])),
        "tile-huge": with_const("Tile", i64("c", [huge, huge])),
        "constant-of-shape-huge": model(
            [node("ConstantOfShape", ["s"], ["y"])], [], [value_info("y")],
            [i64("s", [huge, huge, huge])]),
        "constant-of-shape-negative": model(
            [node("ConstantOfShape", ["s"], ["y"])], [], [value_info("y")],
            [i64("s", [-3])]),
        "range-zero-delta": model(
            [node("Range", ["a", "b", "d"], ["y"])], [], [value_info("y")],
            [tensor("a", [], INT64, int64s=[0]),
             tensor("b", [], INT64, int64s=[10]),
             tensor("d", [], INT64, int64s=[0])], opset=11),
        "range-huge": model(
            [node("Range", ["a", "b", "d"], ["y"])], [], [value_info("y")],
            [tensor("a", [], INT64, int64s=[-(1 << 63)]),
             tensor("b", [], INT64, int64s=[(1 << 63) - 1]),
             tensor("d", [], INT64, int64s=[1])], opset=11),
        "div-int-by-zero": model(
            [node("Div", ["a", "b"], ["y"])], [], [value_info("y")],
            [i64("a", [7]), i64("b", [0])]),
        "div-int-min-by-minus-one": model(
            [node("Div", ["a", "b"], ["y"])], [], [value_info("y")],
            [i64("a", [-(1 << 63)]), i64("b", [-1])]),
        # Shape arithmetic the importer folds at import time.
        "div-by-zero-folded": model(
            [node("Div", ["a", "b"], ["s"]),
             node("Reshape", ["x", "s"], ["y"])],
            [value_info("x", FLOAT, [2, 3])], [value_info("y")],
            [i64("a", [6, 1]), i64("b", [0, 1])]),
        "div-int-min-folded": model(
            [node("Div", ["a", "b"], ["s"]),
             node("Reshape", ["x", "s"], ["y"])],
            [value_info("x", FLOAT, [2, 3])], [value_info("y")],
            [i64("a", [-(1 << 63), 6]), i64("b", [-1, 1])]),
        "mul-overflow-folded": model(
            [node("Mul", ["a", "b"], ["s"]),
             node("Reshape", ["x", "s"], ["y"])],
            [value_info("x", FLOAT, [2, 3])], [value_info("y")],
            [i64("a", [1 << 62, 6]), i64("b", [1 << 62, 1])]),
        "sub-overflow-folded": model(
            [node("Sub", ["a", "b"], ["s"]),
             node("Reshape", ["x", "s"], ["y"])],
            [value_info("x", FLOAT, [2, 3])], [value_info("y")],
            [i64("a", [-(1 << 63), 6]), i64("b", [1, 1])]),
        "cast-inf-folded": model(
            [node("Cast", ["a"], ["s"], [attr_int("to", INT64)]),
             node("Reshape", ["x", "s"], ["y"])],
            [value_info("x", FLOAT, [2, 3])], [value_info("y")],
            [tensor("a", [2], FLOAT, floats=[float("inf"), float("nan")])]),
        "mod-by-zero": model(
            [node("Mod", ["a", "b"], ["y"])], [], [value_info("y")],
            [i64("a", [7]), i64("b", [0])]),
        "gather-index-out-of-range": model(
            [node("Gather", ["a", "i"], ["y"])], [], [value_info("y")],
            [i64("a", [1, 2, 3]), i64("i", [1 << 40])]),
        "gather-index-int-min": model(
            [node("Gather", ["a", "i"], ["y"])], [], [value_info("y")],
            [i64("a", [1, 2, 3]), i64("i", [-(1 << 63)])]),
        "slice-zero-step": model(
            [node("Slice", ["x", "s", "e", "a", "p"], ["y"])],
            [value_info("x", FLOAT, [4])], [value_info("y")],
            [i64("s", [0]), i64("e", [4]), i64("a", [0]), i64("p", [0])]),
        "slice-extreme-bounds": model(
            [node("Slice", ["x", "s", "e", "a", "p"], ["y"])],
            [value_info("x", FLOAT, [4])], [value_info("y")],
            [i64("s", [-(1 << 63)]), i64("e", [(1 << 63) - 1]),
             i64("a", [0]), i64("p", [-(1 << 63)])]),
        "cast-huge-to-int": model(
            [node("Cast", ["a"], ["y"], [attr_int("to", INT64)])], [],
            [value_info("y")],
            [tensor("a", [1], FLOAT, floats=[float("inf")])]),
        "cast-to-unknown-type": unary("Cast", [attr_int("to", 12345)]),
        "shape-start-end-extreme": model(
            [node("Shape", ["x"], ["y"], [attr_int("start", -(1 << 63)),
                                          attr_int("end", (1 << 63) - 1)])],
            [value_info("x", FLOAT, [2, 3])], [value_info("y")], opset=15),
        "split-zero-parts": model(
            [node("Split", ["x", "s"], ["y"])], [value_info("x", FLOAT, [4])],
            [value_info("y")], [i64("s", [0, 0])]),
        "unsqueeze-huge-axis": with_const("Unsqueeze", i64("c", [1 << 40])),
        "squeeze-non-unit": with_const("Squeeze", i64("c", [0])),
        "constant-no-value": model([node("Constant", [], ["y"])], [],
                                   [value_info("y")]),
        "constant-bad-tensor": model(
            [node("Constant", [], ["y"],
                  [attr_tensor("value", tensor("v", [huge], FLOAT))])], [],
            [value_info("y")]),
        "unknown-op": unary("NoSuchOp"),
        "gemm-rank-mismatch": with_const(
            "Gemm", tensor("c", [3], FLOAT, floats=[1.0] * 3)),
        "matmul-scalar": with_const("MatMul",
                                    tensor("c", [], FLOAT, floats=[1.0])),
        "batchnorm-missing-inputs": unary("BatchNormalization",
                                          dims=[1, 2, 3, 3]),
    }


def main() -> None:
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "corpus")
    os.makedirs(out_dir, exist_ok=True)
    for name, data in cases().items():
        assert len(data) < 4096, name
        with open(os.path.join(out_dir, name + ".onnx"), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
