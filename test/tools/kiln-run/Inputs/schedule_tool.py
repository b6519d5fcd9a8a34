"""Inputs and checks for the kiln-run schedule tests (schedule.test).

make DIR: writes the inputs of schedule.mlir as DIR/<name>.npy.
check INPUTS REF OTHER...: checks that REF's outputs match NumPy (matmul,
and conv2d + bias + relu by explicit loops over the window) and that every
OTHER output directory matches REF at rtol 1e-5 (atol 1e-6 times the
largest output, as summation order may differ); prints one line per
directory saying whether it matched exactly.
"""

import sys
from pathlib import Path

import numpy as np


def make(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(7)
    shapes = {"a": (37, 53), "b": (53, 29), "x": (2, 5, 17, 19),
              "w": (7, 5, 3, 3), "bias": (7,)}
    for name, shape in shapes.items():
        np.save(directory / f"{name}.npy",
                rng.standard_normal(shape).astype(np.float32))


def conv2d_relu(x: np.ndarray, w: np.ndarray, bias: np.ndarray) -> np.ndarray:
    padded = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (1, 1), (1, 1)))
    n, _, h, wd = padded.shape
    f, _, kh, kw = w.shape
    oh, ow = (h - kh) // 2 + 1, (wd - kw) // 2 + 1
    out = np.zeros((n, f, oh, ow))
    for i in range(oh):
        for j in range(ow):
            window = padded[:, :, 2 * i:2 * i + kh, 2 * j:2 * j + kw]
            out[:, :, i, j] = np.einsum("nchw,fchw->nf", window, w)
    return np.maximum(out + bias[None, :, None, None], 0)


def check(inputs: Path, reference: Path, others: list[Path]) -> int:
    load = {name: np.load(inputs / f"{name}.npy")
            for name in ("a", "b", "x", "w", "bias")}
    expected = [load["a"].astype(np.float64) @ load["b"],
                conv2d_relu(load["x"], load["w"], load["bias"])]
    ref = [np.load(reference / f"output_{i}.npy") for i in range(2)]
    for got, want in zip(ref, expected):
        if not np.allclose(got, want, rtol=1e-4, atol=1e-4):
            print(f"{reference}: does not match NumPy")
            return 1
    print("untiled outputs match NumPy")
    return compare(reference, others, 2)


def compare(reference: Path, others: list[Path], count: int) -> int:
    status = 0
    for other in others:
        exact = True
        for i in range(count):
            want = np.load(reference / f"output_{i}.npy")
            got = np.load(other / f"output_{i}.npy")
            # Schedules may sum a reduction in another order: the absolute
            # error then scales with the magnitude of the terms, bounded
            # here by the largest output.
            scale = float(np.abs(want).max()) if want.size else 0.0
            if got.shape != want.shape or got.dtype != want.dtype or \
                    not np.allclose(got, want, rtol=1e-5,
                                    atol=max(1e-6, 1e-6 * scale)):
                print(f"{other.name}: output {i} differs from {reference.name}")
                status = 1
            exact = exact and np.array_equal(got, want)
        print(f"{other.name}: {'identical' if exact else 'within rtol 1e-5'}")
    return status


def main() -> int:
    command, *args = sys.argv[1:]
    if command == "make":
        make(Path(args[0]))
        return 0
    if command == "check":
        return check(Path(args[0]), Path(args[1]), [Path(p) for p in args[2:]])
    if command == "compare":
        count, reference, *others = args
        return compare(Path(reference), [Path(p) for p in others], int(count))
    raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    sys.exit(main())
