#!/usr/bin/env python3
"""Test helper for kiln-run on unsigned tensors (Inputs/unsigned.mlir).

  unsigned_tool.py make DIR     write a.npy, b.npy (|u1, <u2) and c.pb, d.pb
                                (ONNX TensorProtos of uint32 and uint64 in
                                their typed field, uint64_data), and raw
                                .bin copies of all four
  unsigned_tool.py check DIR    compare DIR/out/output_*.npy, dtype and
                                values, with NumPy
  unsigned_tool.py check-bin DIR
                                compare the raw DIR/out_*.bin with NumPy
"""

import pathlib
import sys

import numpy as np
from onnx import TensorProto, helper

A = np.array([255, 128, 7, 0], np.uint8)
B = np.array([65535, 32768, 3, 1], np.uint16)
C = np.array([4000000000, 5, 2147483648], np.uint32)
D = np.array([2**64 - 1, 2**63, 21], np.uint64)


def make(directory: pathlib.Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    np.save(directory / "a.npy", A)
    np.save(directory / "b.npy", B)
    for name, values in [("a", A), ("b", B), ("c", C), ("d", D)]:
        values.tofile(directory / f"{name}.bin")
    for name, data_type, values in [("c", TensorProto.UINT32, C),
                                    ("d", TensorProto.UINT64, D)]:
        proto = helper.make_tensor(name, data_type, values.shape,
                                   [int(v) for v in values])
        assert len(proto.uint64_data) == values.size
        (directory / f"{name}.pb").write_bytes(proto.SerializeToString())


def check(directory: pathlib.Path, raw: bool) -> int:
    expected = [A // 3, B >> 1, np.maximum(C, np.uint32(3000000000)), D + D]
    for index, want in enumerate(expected):
        if raw:
            got = np.fromfile(directory / f"out_{index}.bin", dtype=want.dtype)
        else:
            got = np.load(directory / "out" / f"output_{index}.npy")
        if got.dtype != want.dtype or not np.array_equal(got, want):
            print(f"MISMATCH output {index}: {got!r} vs {want!r}")
            return 1
    print("outputs match NumPy")
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(pathlib.Path(sys.argv[2]))
        sys.exit(0)
    sys.exit(check(pathlib.Path(sys.argv[2]), sys.argv[1] == "check-bin"))
