#!/usr/bin/env python3
"""Test helper for kiln-run: writes .npy/.bin inputs and checks outputs.

  npy_tool.py make DIR          write x.npy, y.npy (and .bin copies) for
                                add_relu.mlir, plus malformed files
  npy_tool.py check DIR X Y OUT0 OUT1
                                check relu(x + y) and 2x against NumPy at
                                rtol 1e-6 (outputs may be .npy or raw .bin)
"""

import pathlib
import sys

import numpy as np


def load(path: pathlib.Path, shape: tuple[int, ...]) -> np.ndarray:
    """Loads a .npy file, or a raw float32 .bin file of `shape`."""
    if path.suffix == ".bin":
        return np.fromfile(path, dtype=np.float32).reshape(shape)
    return np.load(path)


def make(directory: pathlib.Path) -> None:
    """Writes the inputs and a few malformed files into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 3)).astype(np.float32)
    y = rng.normal(size=(3,)).astype(np.float32)
    np.save(directory / "x.npy", x)
    np.save(directory / "y.npy", y)
    x.tofile(directory / "x.bin")
    y.tofile(directory / "y.bin")
    np.save(directory / "x_f64.npy", x.astype(np.float64))
    np.save(directory / "x_3x2.npy", x.reshape(3, 2))
    np.save(directory / "x_fortran.npy", np.asfortranarray(x))
    (directory / "garbage.npy").write_bytes(b"not numpy at all")
    (directory / "truncated.npy").write_bytes(
        (directory / "x.npy").read_bytes()[:-5])


def check(x_path: pathlib.Path, y_path: pathlib.Path,
          out0: pathlib.Path, out1: pathlib.Path) -> int:
    """Compares kiln's outputs with NumPy's."""
    x, y = np.load(x_path), np.load(y_path)
    expected = [np.maximum(x + y, 0), x * 2]
    for path, want in zip((out0, out1), expected):
        got = load(path, want.shape)
        if got.dtype != want.dtype or not np.allclose(got, want, rtol=1e-6,
                                                      atol=0):
            print(f"MISMATCH {path}: {got} vs {want}")
            return 1
    print("outputs match NumPy")
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(pathlib.Path(sys.argv[2]))
        sys.exit(0)
    sys.exit(check(*(pathlib.Path(p) for p in sys.argv[2:6])))
