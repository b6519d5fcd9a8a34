#!/usr/bin/env python3
"""Runs ONNX's own backend conformance data through Kiln and reports results.

Every test under /usr/share/libonnx-testdata/data/{node,pytorch-converted,
pytorch-operator,simple} (Debian's libonnx-testdata) is a model.onnx plus
test_data_set_*/{input,output}_*.pb. For each data set this script runs
`kiln-run` on the model with the given inputs and compares every output with
the expected one at ONNX's backend-test tolerances (rtol 1e-3, atol 1e-7).
A test passes when all of its data sets do; it is "unsupported" when Kiln
reports a clean error (its first line is the reason), "wrong" when an output
differs, and "crash" when kiln-run dies without a clean error or times out.

  --update  regenerate docs/onnx-conformance.md and the baseline list of
            passing tests (test/conformance/onnx-passing.txt)
  --check   fail (exit 1) on any wrong answer or crash, and on any test in
            the baseline that no longer passes (what CTest runs)
  --list    print every test's status and reason (with --suite / --filter
            to look at a few)

Run with Debian's /usr/bin/python3 (it needs numpy and onnx).
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import dataclasses
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
from onnx import numpy_helper

SUITES = ("node", "pytorch-converted", "pytorch-operator", "simple")
DATA_ROOT = pathlib.Path("/usr/share/libonnx-testdata/data")
RTOL = 1e-3
ATOL = 1e-7
HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
BASELINE = HERE / "onnx-passing.txt"
REPORT = REPO / "docs" / "onnx-conformance.md"


@dataclasses.dataclass
class Result:
    """The outcome of one conformance test."""

    suite: str
    name: str
    ops: tuple[str, ...]
    status: str  # pass | wrong | unsupported | crash
    reason: str = ""

    @property
    def key(self) -> str:
        return f"{self.suite}/{self.name}"


def model_ops(model_path: pathlib.Path) -> tuple[str, ...]:
    """Returns the distinct op types of a model's graph, in first-use order."""
    try:
        model = onnx.load(str(model_path))
    except Exception:  # noqa: BLE001 - a corrupt model is reported elsewhere
        return ()
    seen: dict[str, None] = {}
    for node in model.graph.node:
        seen.setdefault(node.op_type, None)
    return tuple(seen)


def first_error_line(text: str, model: pathlib.Path) -> str:
    """Returns the first line that reads as an error, without the "error:"
    marker and the model's path (the test name already says which)."""
    for line in text.splitlines():
        if "error" in line:
            line = line.strip()
            at = line.find("error: ")
            if at >= 0:
                line = line[at + len("error: "):]
            line = line.replace(f"{model}: ", "")
            return line[:300]
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[0][:300] if lines else "no message"


def compare(expected: np.ndarray, actual: np.ndarray) -> str:
    """Returns "" when `actual` matches `expected`, else why not."""
    if expected.shape != actual.shape:
        return f"shape {actual.shape} != expected {expected.shape}"
    if expected.dtype == np.bool_ or actual.dtype == np.bool_:
        if not np.array_equal(expected.astype(np.bool_),
                              actual.astype(np.bool_)):
            return "boolean values differ"
        return ""
    if expected.dtype != actual.dtype:
        return f"dtype {actual.dtype} != expected {expected.dtype}"
    if not np.allclose(actual, expected, rtol=RTOL, atol=ATOL,
                       equal_nan=True):
        diff = np.abs(actual.astype(np.float64) - expected.astype(np.float64))
        return f"max abs diff {np.nanmax(diff):.3g}"
    return ""


def run_test(kiln_run: str, suite: str, test_dir: pathlib.Path,
             timeout: float) -> Result:
    """Runs every data set of one test through kiln-run."""
    model = test_dir / "model.onnx"
    result = Result(suite, test_dir.name, model_ops(model), "pass")
    data_sets = sorted(test_dir.glob("test_data_set_*"))
    if not data_sets:
        result.status, result.reason = "unsupported", "no test data sets"
        return result
    for data_set in data_sets:
        inputs = sorted(data_set.glob("input_*.pb"),
                        key=lambda p: int(p.stem.split("_")[1]))
        outputs = sorted(data_set.glob("output_*.pb"),
                         key=lambda p: int(p.stem.split("_")[1]))
        with tempfile.TemporaryDirectory() as out_dir:
            command = [kiln_run, str(model), "--output-dir", out_dir,
                       "--print-values", "0"]
            for path in inputs:
                command += ["--input", str(path)]
            try:
                process = subprocess.run(command, capture_output=True,
                                         text=True, timeout=timeout)
            except subprocess.TimeoutExpired:
                result.status = "crash"
                result.reason = f"timed out after {timeout:.0f} s"
                return result
            if process.returncode != 0:
                clean = process.returncode == 1 and "error" in process.stderr
                result.status = "unsupported" if clean else "crash"
                result.reason = (first_error_line(process.stderr, model) if clean
                                 else f"exit {process.returncode}: "
                                 + first_error_line(process.stderr, model))
                return result
            for index, expected_path in enumerate(outputs):
                expected = numpy_helper.to_array(
                    onnx.load_tensor(str(expected_path)))
                actual_path = pathlib.Path(out_dir) / f"output_{index}.npy"
                if not actual_path.exists():
                    result.status = "wrong"
                    result.reason = f"output {index} missing"
                    return result
                why = compare(expected, np.load(actual_path))
                if why:
                    result.status = "wrong"
                    result.reason = f"{data_set.name} output {index}: {why}"
                    return result
    return result


def collect(suites: tuple[str, ...], only: str | None) -> list[tuple[str, pathlib.Path]]:
    """Lists (suite, test directory) pairs in a stable order."""
    tests = []
    for suite in suites:
        for test_dir in sorted((DATA_ROOT / suite).iterdir()):
            if (test_dir / "model.onnx").exists() and (
                    only is None or only in test_dir.name):
                tests.append((suite, test_dir))
    return tests


def write_report(results: list[Result], seconds: float) -> None:
    """Writes docs/onnx-conformance.md from the results."""
    by_suite: dict[str, collections.Counter[str]] = collections.defaultdict(
        collections.Counter)
    for result in results:
        by_suite[result.suite][result.status] += 1
    lines = [
        "# ONNX conformance",
        "",
        "Kiln against ONNX's own backend test data (Debian `libonnx-testdata`,",
        "ONNX 1.12): every model is imported, compiled for this CPU and run on",
        "each of its data sets, and every output is compared with ONNX's",
        f"expected values at rtol {RTOL:g}, atol {ATOL:g}.",
        "",
        "Models run through `kiln-run` with the data set's inputs, so a model",
        "that takes a compile-time operand as a graph input (a Reshape's",
        "shape, a Slice's starts, a sequence position) or has dynamic",
        "dimensions is compiled specialized to the given input, as kiln-run",
        "does for any user (`--specialize`, on by default); the computation on",
        "those inputs still runs in the compiled code.",
        "",
        f"Regenerate (took {seconds:.0f} s on the 2-core development "
        "machine) after building: `/usr/bin/python3 "
        "test/conformance/onnx_conformance.py --update`. CTest runs it with "
        "`--check`, which fails on any wrong answer or crash and on any test "
        "listed in `test/conformance/onnx-passing.txt` that no longer passes.",
        "",
        "## Totals",
        "",
        "| suite | tests | pass | wrong | crash | unsupported | pass rate |",
        "|---|---|---|---|---|---|---|",
    ]
    for suite in SUITES:
        counts = by_suite.get(suite, collections.Counter())
        total = sum(counts.values())
        if not total:
            continue
        lines.append(
            f"| {suite} | {total} | {counts['pass']} | {counts['wrong']} | "
            f"{counts['crash']} | {counts['unsupported']} | "
            f"{100.0 * counts['pass'] / total:.1f}% |")
    lines += ["", "## Wrong answers and crashes", ""]
    bad = [r for r in results if r.status in ("wrong", "crash")]
    if not bad:
        lines.append("None.")
    for result in bad:
        lines.append(f"- `{result.key}` ({result.status}): {result.reason}")

    lines += ["", "## Per op (node suite)", "",
              "Tests are grouped by the first op of their model.", "",
              "| op | tests | pass | first reason a test is not passing |",
              "|---|---|---|---|"]
    per_op: dict[str, list[Result]] = collections.defaultdict(list)
    for result in results:
        if result.suite == "node":
            op = next((o for o in result.ops if o != "Constant"),
                      result.ops[0] if result.ops else "?")
            per_op[op].append(result)
    for op in sorted(per_op):
        group = per_op[op]
        passed = sum(r.status == "pass" for r in group)
        reason = next((r.reason for r in group if r.status != "pass"), "")
        reason = reason.replace("|", "\\|")
        lines.append(f"| {op} | {len(group)} | {passed} | {reason} |")

    lines += ["", "## Every test not passing", "",
              "| test | status | reason |", "|---|---|---|"]
    for result in results:
        if result.status != "pass":
            reason = result.reason.replace("|", "\\|")
            lines.append(f"| {result.key} | {result.status} | {reason} |")
    REPORT.write_text("\n".join(lines) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kiln-run", default=str(REPO / "build" / "bin" /
                                                  "kiln-run"),
                        help="path to kiln-run (default: build/bin/kiln-run)")
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--update", action="store_true")
    mode.add_argument("--check", action="store_true")
    mode.add_argument("--list", action="store_true",
                      help="print every test's status and reason; write "
                      "nothing and compare with no baseline")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--suite", choices=SUITES, action="append",
                        help="only these suites (default: all four)")
    parser.add_argument("--filter", help="only tests whose name contains this")
    args = parser.parse_args()

    suites = tuple(args.suite) if args.suite else SUITES
    tests = collect(suites, args.filter)
    start = time.monotonic()
    results: list[Result] = []
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = [pool.submit(run_test, args.kiln_run, suite, test_dir,
                               args.timeout) for suite, test_dir in tests]
        for done, future in enumerate(futures, 1):
            results.append(future.result())
            if done % 100 == 0 or done == len(futures):
                print(f"[{done}/{len(futures)}] "
                      f"{time.monotonic() - start:.0f} s", flush=True)
    seconds = time.monotonic() - start

    counts = collections.Counter(r.status for r in results)
    for result in results:
        if args.list:
            print(f"{result.status}: {result.key}: {result.reason}")
        elif result.status in ("wrong", "crash"):
            print(f"{result.status.upper()}: {result.key}: {result.reason}")

    full_run = suites == SUITES and args.filter is None
    if args.update:
        if not full_run:
            print("--update needs all suites and no --filter", file=sys.stderr)
            return 2
        write_report(results, seconds)
        BASELINE.write_text("".join(
            f"{r.key}\n" for r in results if r.status == "pass"))
        print(f"wrote {REPORT} and {BASELINE}")

    failures = counts["wrong"] + counts["crash"]
    if args.check:
        baseline = {line.strip() for line in BASELINE.read_text().splitlines()
                    if line.strip()} if BASELINE.exists() else set()
        ran = {r.key: r for r in results}
        regressions = sorted(key for key in baseline
                             if key in ran and ran[key].status != "pass")
        for key in regressions:
            print(f"REGRESSION: {key} passed before, now {ran[key].status}: "
                  f"{ran[key].reason}")
        failures += len(regressions)
    print(f"{counts['pass']} passed, {failures} failed, "
          f"{counts['unsupported']} skipped")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
