#!/usr/bin/env python3
"""Imports every ONNX conformance model and classifies what happened.

Runs `kiln-translate --import-onnx` on each model.onnx under Debian's ONNX
backend test data (node, pytorch-converted, pytorch-operator, simple) and
sorts the results into three classes:

- imported: exit status 0, a module on stdout, nothing on stderr (the
  translation verifies the module before printing it);
- unsupported: exit status 1 and exactly one `error: <file>: ...` line;
- broken: anything else (a crash, an assertion, a signal, several lines).

There must be no broken results. Not a lit test: the conformance harness
drives real runs; this is the importer's robustness check.

Usage: import_smoke.py KILN_TRANSLATE [--data DIR] [--jobs N] [--verbose]
"""

import argparse
import collections
import concurrent.futures
import pathlib
import re
import subprocess
import sys
from typing import NamedTuple

SUITES = ("node", "pytorch-converted", "pytorch-operator", "simple")


class Result(NamedTuple):
    model: pathlib.Path
    kind: str  # "imported", "unsupported" or "broken"
    detail: str


def classify(translate: str, model: pathlib.Path) -> Result:
    """Imports one model and classifies the outcome."""
    try:
        proc = subprocess.run(
            [translate, "--import-onnx", str(model)],
            capture_output=True, text=True, errors="replace", timeout=120)
    except subprocess.TimeoutExpired:
        return Result(model, "broken", "timeout")
    lines = proc.stderr.splitlines()
    if proc.returncode == 0 and not lines and "func.func" in proc.stdout:
        return Result(model, "imported", "")
    prefix = f"error: {model}: "
    if (proc.returncode == 1 and len(lines) == 1
            and lines[0].startswith(prefix)):
        return Result(model, "unsupported", lines[0][len(prefix):])
    return Result(model, "broken",
                  f"exit {proc.returncode}: {proc.stderr.strip()[:2000]}")


def reason_of(detail: str) -> str:
    """Groups an error message: node errors by op type and complaint."""
    match = re.match(r"node '.*' \((\w+), opset \d+\): (.*)", detail)
    if match:
        complaint = re.sub(r"'[^']*'", "'…'", match.group(2))
        complaint = re.sub(r"\d+", "N", complaint)
        return f"{match.group(1)}: {complaint[:90]}"
    return re.sub(r"\d+", "N", re.sub(r"'[^']*'", "'…'", detail))[:100]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("translate", help="path to kiln-translate")
    parser.add_argument("--data", default="/usr/share/libonnx-testdata/data")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--verbose", action="store_true",
                        help="list every unsupported model")
    args = parser.parse_args()

    models = sorted(model for suite in SUITES
                    for model in pathlib.Path(args.data, suite).glob(
                        "*/model.onnx"))
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda m: classify(args.translate, m), models))

    counts = collections.Counter(result.kind for result in results)
    by_suite: dict = collections.defaultdict(collections.Counter)
    for result in results:
        by_suite[result.model.parent.parent.name][result.kind] += 1
    reasons = collections.Counter(reason_of(result.detail)
                                  for result in results
                                  if result.kind == "unsupported")

    for result in results:
        if result.kind == "broken" or (args.verbose
                                       and result.kind == "unsupported"):
            print(f"{result.kind.upper()}: {result.model}: {result.detail}")
    print("\nunsupported, by reason:")
    for reason, count in reasons.most_common():
        print(f"  {count:4d}  {reason}")
    print("\nby suite:")
    for suite in SUITES:
        c = by_suite[suite]
        print(f"  {suite:18s} imported {c['imported']:4d}  unsupported "
              f"{c['unsupported']:4d}  broken {c['broken']:3d}")
    print(f"\n{len(results)} models: imported {counts['imported']}, "
          f"unsupported {counts['unsupported']}, broken {counts['broken']}")
    return 1 if counts["broken"] else 0


if __name__ == "__main__":
    sys.exit(main())
