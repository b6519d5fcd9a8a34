#!/usr/bin/env python3
"""CPU benchmark: Kiln (AOT shared library through its C ABI) against ONNX
Runtime (CPUExecutionProvider), both at 1 and 2 threads.

For each model: compile/load every engine once (timed), check that Kiln's
outputs agree with ONNX Runtime's, warm up, then interleave timed rounds
across the engines (each round runs every engine N times, N chosen so a
round takes about --target seconds) and report the median per-inference time
over the rounds, the Kiln/ORT ratios and their geometric mean.

Run through bench/run.sh, which makes the venv (pinned onnxruntime, numpy)
and exports the models; see bench/README.md.
"""

import argparse
import datetime
import math
import os
import pathlib
import platform
import statistics
import subprocess
import sys
import time

import numpy as np
import onnxruntime as ort

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "python"))
import kiln  # noqa: E402  pylint: disable=wrong-import-position

MODELS = ["mlp", "encoder", "mobilenet_v3_small", "mobilenet_v2",
          "efficientnet_b0", "resnet18"]
THREADS = (1, 2)
RELATIVE_TOLERANCE = 1e-3


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def ort_session(path: pathlib.Path, threads: int) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = \
        ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(str(path), options,
                                providers=["CPUExecutionProvider"])


class Engine:
    """A loaded model and a zero-argument callable running it once."""

    def __init__(self, name: str, setup_s: float, run, outputs):
        self.name = name
        self.setup_s = setup_s
        self.run = run
        self.outputs = outputs  # () -> list of output arrays
        self.per_run = 1
        self.rounds: list = []  # seconds per inference, one per round

    @property
    def median(self) -> float:
        return statistics.median(self.rounds)


def kiln_engines(path: pathlib.Path, inputs, workdir: pathlib.Path):
    """One compiled library, one engine per thread count (each sets the
    library's thread count before its runs; setting it is a store)."""
    start = time.perf_counter()
    model = kiln.compile(path, output=workdir / f"{path.stem}.so")
    setup = time.perf_counter() - start

    def engine(threads: int) -> Engine:
        def run():
            model.num_threads = threads
            return model(*inputs)

        def outputs():
            result = run()
            return list(result) if isinstance(result, tuple) else [result]
        return Engine(f"kiln{threads}", setup, run, outputs)
    return [engine(t) for t in THREADS]


def ort_engine(path: pathlib.Path, inputs, threads: int) -> Engine:
    start = time.perf_counter()
    session = ort_session(path, threads)
    setup = time.perf_counter() - start
    feed = {i.name: x for i, x in zip(session.get_inputs(), inputs)}
    return Engine(f"ort{threads}", setup, lambda: session.run(None, feed),
                  lambda: session.run(None, feed))


def model_inputs(path: pathlib.Path):
    """Random inputs (fixed seed) of the shapes the ONNX model declares."""
    rng = np.random.default_rng(0)
    session = ort_session(path, 1)
    arrays = []
    for spec in session.get_inputs():
        if spec.type != "tensor(float)":
            raise SystemExit(f"{path}: input {spec.name} is {spec.type}; "
                             "the bench feeds float32 only")
        shape = [d if isinstance(d, int) else 1 for d in spec.shape]
        arrays.append(rng.standard_normal(shape).astype(np.float32))
    return arrays


def compare(kiln_out, ort_out):
    """Max abs difference over all outputs and its ratio to the largest
    reference magnitude."""
    diff, scale = 0.0, 0.0
    for a, b in zip(kiln_out, ort_out):
        a = np.asarray(a, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
        diff = max(diff, float(np.max(np.abs(a - b))))
        scale = max(scale, float(np.max(np.abs(b))))
    return diff, diff / max(scale, 1e-30)


def time_calls(fn, count: int) -> float:
    start = time.perf_counter()
    for _ in range(count):
        fn()
    return (time.perf_counter() - start) / count


def benchmark(engines, rounds: int, target_s: float) -> None:
    for engine in engines:  # warm-up: at least 2 runs and about target_s/2
        once = time_calls(engine.run, 2)
        extra = int(target_s / 2 / once) - 2
        if extra > 0:
            once = time_calls(engine.run, extra)
        engine.per_run = max(1, round(target_s / once))
    for r in range(rounds):
        # Rotate the order so no engine always runs first (after a sleep of
        # the previous engine's threads) or last.
        order = engines[r % len(engines):] + engines[:r % len(engines)]
        for engine in order:
            engine.rounds.append(time_calls(engine.run, engine.per_run))


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values))


def machine() -> dict:
    info = {"cpu": platform.processor() or "?", "cores": os.cpu_count()}
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True,
                               check=True).stdout
        for line in lscpu.splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "Model name":
                info["cpu"] = value.strip()
            elif key.strip() == "CPU(s)":
                info["cores"] = value.strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    try:
        info["commit"] = subprocess.run(
            ["git", "-C", str(REPO), "describe", "--always", "--dirty"],
            capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        info["commit"] = "?"
    return info


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.3f}" if seconds < 0.01 else \
        f"{seconds * 1e3:.2f}" if seconds < 1 else f"{seconds * 1e3:.0f}"


def report(results, args, info, load_before, load_after, total_s) -> str:
    lines = []
    add = lines.append
    add("# Benchmarks: Kiln against ONNX Runtime on CPU")
    add("")
    add("Generated by `bench/run.sh` (bench/bench.py; see bench/README.md). "
        "Do not edit by hand: rerun the bench.")
    add("")
    add(f"- Machine: {info['cpu']}, {info['cores']} CPUs "
        f"(`lscpu`), {platform.system()} {platform.release()}")
    now = datetime.datetime.now(datetime.timezone.utc)
    add(f"- Date: {now:%Y-%m-%d %H:%M} UTC")
    add(f"- Command: `{args.command}`")
    add(f"- Kiln: {info['commit']} (AOT `kiln-compile --target=cpu` shared "
        "library, called through its C ABI with ctypes; `num_threads` 1 and 2)")
    add(f"- ONNX Runtime {ort.__version__} (CPUExecutionProvider, "
        "intra_op_num_threads 1 and 2, inter_op_num_threads 1, "
        f"ORT_ENABLE_ALL), NumPy {np.__version__}, Python "
        f"{platform.python_version()}")
    add(f"- Method: per model, {args.rounds} interleaved rounds (engine "
        "order rotated each round); in each round every engine runs the "
        f"model N times, N chosen for about {args.target} s (at least 1); "
        "the table gives the median over the rounds of the per-inference "
        "time. Inputs are random float32 (seed 0); models have random "
        "weights (fixed seed), opset 13.")
    add(f"- Load average (1 min) before/after: {load_before:.2f} / "
        f"{load_after:.2f}; total bench time {total_s:.0f} s")
    add("")
    add("Ratio = Kiln time / ORT time at the same thread count (above 1: "
        "Kiln is slower). Max abs diff: Kiln (1 and 2 threads) against ORT "
        "1T over all outputs; in parentheses, divided by the largest |ORT "
        f"output| (flagged above {RELATIVE_TOLERANCE:g}). The random-weight "
        "image models have tiny outputs, hence the tiny absolute "
        "differences.")
    add("")
    add("| model | Kiln 1T (ms) | ORT 1T (ms) | Kiln/ORT 1T | Kiln 2T (ms) "
        "| ORT 2T (ms) | Kiln/ORT 2T | max abs diff (rel) |")
    add("|---|---:|---:|---:|---:|---:|---:|---:|")
    ratios = {t: [] for t in THREADS}
    for name, res in results.items():
        if "error" in res:
            add(f"| {name} | failed: {res['error']} | | | | | | |")
            continue
        eng = res["engines"]
        cells = [name]
        for t in THREADS:
            kiln_t, ort_t = eng[f"kiln{t}"].median, eng[f"ort{t}"].median
            ratios[t].append(kiln_t / ort_t)
            cells += [ms(kiln_t), ms(ort_t), f"{kiln_t / ort_t:.2f}"]
        flag = " **MISMATCH**" if res["rel"] > RELATIVE_TOLERANCE else ""
        cells.append(f"{res['diff']:.2e} ({res['rel']:.1e}){flag}")
        add("| " + " | ".join(cells) + " |")
    if ratios[1]:
        add(f"| **geometric mean** | | | **{geomean(ratios[1]):.2f}** | | | "
            f"**{geomean(ratios[2]):.2f}** | |")
    add("")
    add("Setup and spread (per-inference time: median, min and max over the "
        "rounds; N = runs per round; setup = `kiln.compile` (kiln-compile + "
        "load) or InferenceSession creation):")
    add("")
    add("| model | engine | setup (s) | N | median (ms) | min (ms) | "
        "max (ms) |")
    add("|---|---|---:|---:|---:|---:|---:|")
    for name, res in results.items():
        if "error" in res:
            continue
        for engine in res["engines"].values():
            add(f"| {name} | {engine.name} | {engine.setup_s:.3f} | "
                f"{engine.per_run} | {ms(engine.median)} | "
                f"{ms(min(engine.rounds))} | {ms(max(engine.rounds))} |")
    add("")
    add("## Reading")
    add("")
    add(reading(results, ratios, load_before, load_after, info))
    return "\n".join(lines) + "\n"


def reading(results, ratios, load_before, load_after, info) -> str:
    """A short summary derived from the numbers (so it stays true when the
    bench is rerun)."""
    ok = {n: r for n, r in results.items() if "error" not in r}
    if not ok:
        return "No model ran on both engines."
    parts = []
    def ratio(name, t):
        return (ok[name]["engines"][f"kiln{t}"].median /
                ok[name]["engines"][f"ort{t}"].median)
    by_ratio = sorted(ok, key=lambda n: ratio(n, 1))
    best, worst = by_ratio[0], by_ratio[-1]
    parts.append(
        f"At one thread Kiln takes {geomean(ratios[1]):.2f}x ONNX Runtime's "
        f"time (geometric mean over {len(ok)} models), from "
        f"{ratio(best, 1):.2f}x on {best} to {ratio(worst, 1):.2f}x on "
        f"{worst}; at two threads, {geomean(ratios[2]):.2f}x.")
    faster = [n for n in ok if ratio(n, 1) < 1]
    if faster:
        parts.append(f"Kiln is faster than 1-thread ORT on "
                     f"{', '.join(faster)}.")
    speedups = [ok[n]["engines"]["ort1"].median /
                ok[n]["engines"]["ort2"].median for n in ok]
    kiln_speedups = [ok[n]["engines"]["kiln1"].median /
                     ok[n]["engines"]["kiln2"].median for n in ok]
    gain = geomean(speedups)
    if gain > 1.05:
        parts.append(f"A second thread speeds ORT up {gain:.2f}x and Kiln "
                     f"{geomean(kiln_speedups):.2f}x (geometric means).")
    else:
        parts.append(f"A second ORT thread did not help here ({gain:.2f}x, "
                     "geometric mean of 1-thread/2-thread time): with other "
                     "work on the machine, two threads compete for the "
                     "cores, so the 2-thread column is not a clean "
                     "measurement of multi-threaded ORT.")
    bad = [n for n in ok if ok[n]["rel"] > RELATIVE_TOLERANCE]
    if bad:
        parts.append(f"Outputs disagree beyond {RELATIVE_TOLERANCE:g} "
                     f"relative on {', '.join(bad)}: those timings do not "
                     "count until that is fixed.")
    else:
        parts.append(f"Every model's outputs agree with ORT within "
                     f"{RELATIVE_TOLERANCE:g} relative to the largest output "
                     "magnitude.")
    failed = [n for n in results if "error" in results[n]]
    if failed:
        parts.append(f"Not measured: {', '.join(failed)}.")
    cores = str(info.get("cores"))
    parts.append(
        f"Caveat: this is a shared {cores}-CPU machine (load average "
        f"{load_before:.1f} before, {load_after:.1f} after); interleaving "
        "makes the ratios fairer than the absolute times, but the 2-thread "
        "numbers suffer most from other load. Python call overhead (ctypes "
        "or ORT's binding, output allocation) is included for both engines "
        "and matters only for the sub-millisecond models.")
    return " ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models-dir", type=pathlib.Path,
                        default=REPO / "build" / "bench-models")
    parser.add_argument("--models", default=",".join(MODELS),
                        help="comma-separated subset (default: all)")
    parser.add_argument("--rounds", type=int, default=9,
                        help="timed rounds per model (default 9, min 5)")
    parser.add_argument("--target", type=float, default=0.3,
                        help="seconds per engine per round (default 0.3)")
    parser.add_argument("--output", type=pathlib.Path,
                        default=REPO / "docs" / "benchmarks.md",
                        help="markdown report ('-' to skip writing)")
    parser.add_argument("--command", default="bench/run.sh",
                        help="the command line recorded in the report")
    args = parser.parse_args()
    if args.rounds < 5:
        parser.error("--rounds must be at least 5")

    info = machine()
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    results = {}
    workdir = REPO / "build" / "bench-models"
    workdir.mkdir(parents=True, exist_ok=True)
    for name in args.models.split(","):
        path = args.models_dir / f"{name}.onnx"
        log(f"== {name}")
        try:
            inputs = model_inputs(path)
            engines = kiln_engines(path, inputs, workdir)
            engines += [ort_engine(path, inputs, t) for t in THREADS]
        except (kiln.KilnError, OSError, RuntimeError) as error:
            message = str(error).strip().splitlines()[-1][:120]
            log(f"   failed: {message}")
            results[name] = {"error": message}
            continue
        by_name = {e.name: e for e in engines}
        diff, rel = compare(by_name["kiln1"].outputs(),
                            by_name["ort1"].outputs())
        diff2, rel2 = compare(by_name["kiln2"].outputs(),
                              by_name["ort1"].outputs())
        diff, rel = max(diff, diff2), max(rel, rel2)
        log("   setup: " + ", ".join(f"{e.name} {e.setup_s:.2f} s"
                                      for e in engines) +
            f"; max abs diff {diff:.2e} (rel {rel:.1e})")
        benchmark(engines, args.rounds, args.target)
        log("   median: " + ", ".join(f"{e.name} {ms(e.median)} ms (N="
                                      f"{e.per_run})" for e in engines))
        results[name] = {"engines": {e.name: e for e in engines},
                         "diff": diff, "rel": rel}
    total = time.perf_counter() - start
    text = report(results, args, info, load_before, os.getloadavg()[0],
                  total)
    print(text)
    if str(args.output) != "-":
        args.output.write_text(text)
        log(f"wrote {args.output}")


if __name__ == "__main__":
    main()
