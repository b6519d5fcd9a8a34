"""Inputs and checks for parallel-loops.test.

make DIR: writes the inputs of parallel_loops.mlir as DIR/{x,y,s,z}.npy.
check INPUTS OUT: checks OUT's four outputs against NumPy in float64
(relu(x + y), softmax of z's rows, the mean of each channel of x, x times
its channel's scale) within rtol 1e-5 and atol 1e-6 times the largest
magnitude of each output; prints one line per output.
same REF OTHER...: prints whether each OTHER directory's outputs are
bit-identical to REF's.
"""

import sys
from pathlib import Path

import numpy as np


def make(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(11)
    shapes = {"x": (1, 64, 40, 40), "y": (1, 64, 40, 40), "s": (1, 64, 1, 1),
              "z": (96, 512)}
    for name, shape in shapes.items():
        np.save(directory / f"{name}.npy",
                rng.standard_normal(shape).astype(np.float32))


def check(inputs: Path, out: Path) -> int:
    x, y, s, z = (np.load(inputs / f"{n}.npy").astype(np.float64)
                  for n in "xysz")
    e = np.exp(z - z.max(axis=1, keepdims=True))
    expected = [np.maximum(x + y, 0), e / e.sum(axis=1, keepdims=True),
                x.mean(axis=(2, 3), keepdims=True), x * s]
    failures = 0
    for i, want in enumerate(expected):
        got = np.load(out / f"output_{i}.npy")
        if got.shape != want.shape:
            print(f"output {i}: shape {got.shape}, expected {want.shape}")
            failures += 1
            continue
        atol = 1e-6 * np.abs(want).max()
        if np.allclose(got, want, rtol=1e-5, atol=atol):
            print(f"output {i}: matches NumPy")
        else:
            worst = np.abs(got - want).max()
            print(f"output {i}: differs from NumPy by up to {worst:g}")
            failures += 1
    return 1 if failures else 0


def same(reference: Path, others: list) -> int:
    mismatches = 0
    for other in others:
        identical = all(
            np.array_equal(np.load(reference / f"output_{i}.npy"),
                           np.load(other / f"output_{i}.npy"))
            for i in range(4))
        print(f"{other.name}: {'identical' if identical else 'DIFFERENT'}")
        mismatches += not identical
    return 1 if mismatches else 0


def main() -> int:
    command, arguments = sys.argv[1], [Path(a) for a in sys.argv[2:]]
    if command == "make":
        make(arguments[0])
        return 0
    if command == "check":
        return check(arguments[0], arguments[1])
    if command == "same":
        return same(arguments[0], arguments[1:])
    print(f"unknown command {command}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
