#!/usr/bin/env python3
"""Kiln's Python API in one page: compile a torchvision ResNet-18 for this
CPU, run it next to PyTorch, and print the five heaviest layers of its cost
table. Run from a built checkout:

    /usr/bin/python3 docs/examples/python_quickstart.py
"""

import pathlib
import sys
import time

# The package lives in python/ of the checkout; it finds the tools in build/.
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "python"))

import torch  # noqa: E402
import torchvision  # noqa: E402

import kiln  # noqa: E402

torch.manual_seed(0)
model = torchvision.models.resnet18().eval()  # random weights: no downloads
x = torch.randn(1, 3, 224, 224)

start = time.perf_counter()
compiled = kiln.compile(model, example_inputs=(x,))  # traced, then compiled
print(f"compiled in {time.perf_counter() - start:.1f} s: {compiled}")

y = compiled(x)  # torch in, torch out (NumPy arrays work too)
with torch.no_grad():
    expected = model(x)
error = (y - expected).abs().max().item()
print(f"max abs difference from PyTorch: {error:.2e}")
if not torch.allclose(y, expected, rtol=1e-4, atol=1e-5):
    sys.exit("Kiln and PyTorch disagree")

report = kiln.cost(model, x)
print(f"{len(report)} layers, {report.total.flops / 1e9:.2f} GFLOP, "
      f"{(report.total.bytes_read + report.total.bytes_written) / 1e6:.1f} "
      "MB moved; the heaviest:")
for layer in sorted(report, key=lambda l: l.flops, reverse=True)[:5]:
    print(f"  {layer.op:10} {layer.output:18} {layer.flops / 1e6:8.1f} MFLOP"
          f"  {layer.intensity:6.1f} FLOP/B")
