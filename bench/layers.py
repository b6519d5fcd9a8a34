#!/usr/bin/env python3
"""Per-layer throughput of a model's contractions on one core.

Runs `kiln-cost MODEL --measure --json` with KILN_NUM_THREADS=1 (each layer
compiled and timed on its own, median of repeated runs), keeps the conv,
matmul, gemm and linear layers, and prints GFLOP/s per layer and as a share
of one core's f32 peak from this machine's spec (kiln-cost fingerprint,
written to the cache dir on first use). See bench/README.md.
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
CONTRACTIONS = ("nn.conv2d", "nn.matmul", "nn.gemm", "nn.linear",
                "nn.batch_matmul")


def tool(name: str) -> str:
    directory = os.environ.get("KILN_TOOLS_DIR", str(REPO / "build" / "bin"))
    path = pathlib.Path(directory) / name
    if not path.exists():
        sys.exit(f"layers.py: {path} not found; build Kiln or set "
                 "KILN_TOOLS_DIR")
    return str(path)


def cache_dir() -> pathlib.Path:
    if os.environ.get("KILN_CACHE_DIR"):
        return pathlib.Path(os.environ["KILN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME", str(pathlib.Path.home() /
                                                ".cache"))
    return pathlib.Path(base) / "kiln"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", type=pathlib.Path)
    parser.add_argument("--markdown", action="store_true",
                        help="print a markdown table")
    args = parser.parse_args()

    env = dict(os.environ, KILN_NUM_THREADS="1")
    spec_path = cache_dir() / "cpu.json"
    if not spec_path.exists():
        subprocess.run([tool("kiln-cost"), "fingerprint"], check=True,
                       env=env)
    spec = json.loads(spec_path.read_text())
    peak = spec["peak_gops_per_unit"]["f32"]

    result = subprocess.run(
        [tool("kiln-cost"), str(args.model), "--target", "cpu", "--measure",
         "--json"], check=True, env=env, capture_output=True, text=True)
    report = json.loads(result.stdout)
    rows = []
    for layer in report["layers"]:
        if layer["op"] not in CONTRACTIONS or not layer.get("measured_us"):
            continue
        gflops = layer["flops"] / (layer["measured_us"] * 1e3)
        rows.append((layer["name"], layer["op"], layer["output"],
                     layer["flops"] / 1e6, layer["measured_us"], gflops,
                     gflops / peak))
    total_flops = sum(r[3] for r in rows)
    total_us = sum(r[4] for r in rows)
    sep = " | " if args.markdown else "  "
    head = ["layer", "op", "output", "MFLOP", "us", "GFLOP/s", "of peak"]
    if args.markdown:
        print("| " + " | ".join(head) + " |")
        print("|---|---|---|---:|---:|---:|---:|")
    else:
        print(sep.join(head))
    for name, op, output, mflop, us, gflops, share in rows:
        cells = [name, op, output, f"{mflop:.1f}", f"{us:.0f}",
                 f"{gflops:.1f}", f"{share:.0%}"]
        print(("| " + sep.join(cells) + " |") if args.markdown
              else sep.join(cells))
    overall = total_flops * 1e6 / (total_us * 1e3) if total_us else 0.0
    summary = (f"all {len(rows)} layers: {total_flops:.0f} MFLOP in "
               f"{total_us / 1e3:.2f} ms = {overall:.1f} GFLOP/s, "
               f"{overall / peak:.0%} of one core's f32 peak "
               f"({peak:.1f} GFLOP/s, {spec_path})")
    print(("\n" if args.markdown else "") + summary)


if __name__ == "__main__":
    main()
