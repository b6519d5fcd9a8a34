"""Run the exported end-to-end models with kiln-run and compare to PyTorch.

For each model NAME written by export_models.py (NAME.onnx, NAME.input.npy,
NAME.expected.npy in the model directory) this compiles and runs the model
with ``kiln-run NAME.onnx --input NAME.input.npy --output-dir DIR``, compares
the output with PyTorch's via ``numpy.allclose(rtol=1e-4, atol=1e-5)`` and
prints one line per model:

    NAME: PASS max_abs 1.4e-06 max_rel 0.0015 worst 0.054 max|torch| 4.5
        compile 0.71 s latency 418.2 ms kiln-run wall 2.1 s

(on one line), or ``NAME: FAIL reason; ...``. It exits 1 if any model fails.
max_rel is the largest |kiln - torch| / |torch| over the elements whose
reference is not zero; "worst" is the largest |kiln - torch| / (atol + rtol *
|torch|), the margin that allclose tests (a model passes when it is <= 1).
A reference output below 100 * atol in magnitude fails as untestable, since
any near-zero result would match it.

"compile" is what kiln-run prints: import, lowering and LLVM optimization.
The JIT emits machine code on the first call, so that cost lands in the
warm-up run and shows only in "kiln-run wall"; "latency" is the median of
the --benchmark runs after it.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import List, Optional, Tuple

import numpy as np

RTOL = 1e-4
ATOL = 1e-5
DEFAULT_MODELS = ["mlp", "transformer", "mobilenet_v2", "resnet18"]

COMPILE_RE = re.compile(r"^compiled .* in ([0-9.]+) s$", re.MULTILINE)
LATENCY_RE = re.compile(r"^latency: median ([0-9.]+) ms", re.MULTILINE)


@dataclass
class RunResult:
    """What one kiln-run invocation produced."""

    outputs: List[np.ndarray]
    compile_s: Optional[float]
    latency_ms: Optional[float]
    wall_s: float


class KilnRunError(Exception):
    """kiln-run failed, timed out or wrote no outputs."""


def default_kiln_run() -> str:
    """kiln-run on PATH, else the one in the source tree's build folder."""
    on_path = shutil.which("kiln-run")
    if on_path:
        return on_path
    repo = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    return os.path.join(repo, "build", "bin", "kiln-run")


def run_kiln(kiln_run: str, model: str, inputs: List[str], out_dir: str,
             benchmark: int, timeout_s: float) -> RunResult:
    """Compile and run MODEL on INPUTS; read back every output_<i>.npy."""
    shutil.rmtree(out_dir, ignore_errors=True)
    command = [kiln_run, model, "--output-dir", out_dir, "--print-values", "0"]
    for path in inputs:
        command += ["--input", path]
    if benchmark > 0:
        command += ["--benchmark", str(benchmark)]
    start = time.monotonic()
    try:
        proc = subprocess.run(command, capture_output=True, text=True,
                              timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired as error:
        raise KilnRunError(f"kiln-run timed out after {timeout_s:g} s") \
            from error
    wall_s = time.monotonic() - start
    if proc.returncode != 0:
        lines = (proc.stderr.strip() or proc.stdout.strip()).splitlines()
        reason = lines[0] if lines else "(no output)"
        raise KilnRunError(f"kiln-run exited {proc.returncode}: {reason}")
    outputs = []
    while True:
        path = os.path.join(out_dir, f"output_{len(outputs)}.npy")
        if not os.path.exists(path):
            break
        outputs.append(np.load(path))
    if not outputs:
        raise KilnRunError(f"kiln-run wrote no output_0.npy in {out_dir}")
    compile_match = COMPILE_RE.search(proc.stdout)
    latency_match = LATENCY_RE.search(proc.stdout)
    return RunResult(
        outputs=outputs,
        compile_s=float(compile_match.group(1)) if compile_match else None,
        latency_ms=float(latency_match.group(1)) if latency_match else None,
        wall_s=wall_s)


def compare(actual: np.ndarray, expected: np.ndarray) -> Tuple[str, str]:
    """Compare ACTUAL with EXPECTED: (why they differ or '', error summary)."""
    if actual.shape != expected.shape:
        return f"shape {list(actual.shape)} != {list(expected.shape)}", ""
    if actual.dtype != expected.dtype:
        return f"dtype {actual.dtype} != {expected.dtype}", ""
    actual64 = actual.astype(np.float64)
    expected64 = expected.astype(np.float64)
    abs_err = np.abs(actual64 - expected64)
    margin = abs_err / (ATOL + RTOL * np.abs(expected64))
    nonzero = expected64 != 0
    max_rel = float((abs_err[nonzero] / np.abs(expected64[nonzero])).max()) \
        if nonzero.any() else 0.0
    scale = float(np.abs(expected64).max())
    summary = (f"max_abs {float(abs_err.max()):.3g} max_rel {max_rel:.3g}"
               f" worst {float(margin.max()):.3g} max|torch| {scale:.3g}")
    if not np.all(np.isfinite(actual64)):
        return "non-finite values in kiln-run's output", summary
    if not np.allclose(actual, expected, rtol=RTOL, atol=ATOL):
        index = np.unravel_index(int(np.argmax(margin)), expected.shape)
        return (f"mismatch at {list(map(int, index))}: kiln "
                f"{actual64[index]:.8g} torch {expected64[index]:.8g}",
                summary)
    # A reference this small would match any near-zero result.
    if scale < 100 * ATOL:
        return "reference output too small to test", summary
    return "", summary


def check_model(name: str, model_dir: str, kiln_run: str, benchmark: int,
                timeout_s: float) -> bool:
    """Run model NAME, print its PASS/FAIL line, return whether it passed."""
    model = os.path.join(model_dir, name + ".onnx")
    inputs = [os.path.join(model_dir, name + ".input.npy")]
    expected_path = os.path.join(model_dir, name + ".expected.npy")
    missing = [path for path in [model, expected_path] + inputs
               if not os.path.exists(path)]
    if missing:
        print(f"{name}: FAIL missing {', '.join(missing)}", flush=True)
        return False
    expected = np.load(expected_path)
    try:
        result = run_kiln(kiln_run, model, inputs,
                          os.path.join(model_dir, name + ".kiln"), benchmark,
                          timeout_s)
    except KilnRunError as error:
        print(f"{name}: FAIL {error}", flush=True)
        return False
    # The models have one output each; PyTorch's is output 0.
    reason, summary = compare(result.outputs[0], expected)
    if len(result.outputs) != 1 and not reason:
        reason = f"{len(result.outputs)} outputs, expected 1"
    fields = [f"{name}: " + (f"FAIL {reason};" if reason else "PASS")]
    if summary:
        fields.append(summary)
    if result.compile_s is not None:
        fields.append(f"compile {result.compile_s:.2f} s")
    if result.latency_ms is not None:
        fields.append(f"latency {result.latency_ms:.1f} ms")
    fields.append(f"kiln-run wall {result.wall_s:.1f} s")
    print(" ".join(fields), flush=True)
    return not reason


def main(argv: List[str]) -> int:
    """Check every model named on the command line (default: all)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model_dir", help="where export_models.py wrote")
    parser.add_argument("models", nargs="*", metavar="MODEL",
                        help="models to check (default: "
                        + ", ".join(DEFAULT_MODELS) + ")")
    parser.add_argument("--kiln-run", default=default_kiln_run(),
                        help="the kiln-run binary (default: %(default)s)")
    parser.add_argument("--benchmark", type=int, default=1,
                        help="timed runs after the warm-up run for the "
                        "latency (0: no latency; default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=300,
                        help="seconds allowed per kiln-run (default: "
                        "%(default)s)")
    args = parser.parse_args(argv)
    failures = [name for name in args.models or DEFAULT_MODELS
                if not check_model(name, args.model_dir, args.kiln_run,
                                   args.benchmark, args.timeout)]
    if failures:
        print("FAILED: " + ", ".join(failures))
        return 1
    print("all models match PyTorch")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
