#!/usr/bin/env python3
"""Regenerates docs/torch-support.md: which models import from TorchScript and
match LibTorch.

Each model is built with a fixed seed (no downloads), its BatchNorm statistics
are calibrated on one random batch (the defaults make near-zero outputs that
any answer matches), and it is saved both traced (torch.jit.trace) and
scripted (torch.jit.script). Kiln runs each .pt through kiln-run on a random
input; LibTorch runs the same .pt file; outputs are compared at rtol 1e-4,
atol 1e-5, and both with the model computed in float64.

  /usr/bin/python3 test/torch/torch_support.py [--kiln-run PATH] [--only NAME]

Run with Debian's /usr/bin/python3 (torch, torchvision, numpy). Takes several
minutes on two cores; it is not part of the tests (test/torch/import.test
checks a few models on every run).
"""

from __future__ import annotations

import argparse
import copy
import pathlib
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torchvision
from torch import nn

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
REPORT = REPO / "docs" / "torch-support.md"
RTOL, ATOL = 1e-4, 1e-5


def mlp() -> nn.Module:
    return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512),
                         nn.ReLU(), nn.Linear(512, 10))


def encoder() -> nn.Module:
    layer = nn.TransformerEncoderLayer(256, 4, 1024, batch_first=True)
    return nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)


IMAGE = (1, 3, 224, 224)
MODELS = {
    "resnet18": (torchvision.models.resnet18, IMAGE),
    "resnet50": (torchvision.models.resnet50, IMAGE),
    "mobilenet_v2": (torchvision.models.mobilenet_v2, IMAGE),
    "mobilenet_v3_small": (torchvision.models.mobilenet_v3_small, IMAGE),
    "mobilenet_v3_large": (torchvision.models.mobilenet_v3_large, IMAGE),
    "efficientnet_b0": (torchvision.models.efficientnet_b0, IMAGE),
    "regnet_y_400mf": (torchvision.models.regnet_y_400mf, IMAGE),
    "shufflenet_v2_x1_0": (torchvision.models.shufflenet_v2_x1_0, IMAGE),
    "squeezenet1_0": (torchvision.models.squeezenet1_0, IMAGE),
    "densenet121": (torchvision.models.densenet121, IMAGE),
    "mnasnet0_5": (torchvision.models.mnasnet0_5, IMAGE),
    "convnext_tiny": (torchvision.models.convnext_tiny, IMAGE),
    "vgg11": (torchvision.models.vgg11, IMAGE),
    "mlp (784-512-512-10, batch 64)": (mlp, (64, 784)),
    "transformer encoder (2 layers, d 256, seq 128)": (encoder,
                                                       (1, 128, 256)),
}


def calibrate(model: nn.Module, shape) -> None:
    """Sets every BatchNorm's running statistics from one random batch."""
    model.train()
    batch_norms = [m for m in model.modules()
                   if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    for module in batch_norms:
        module.reset_running_stats()
        module.momentum = None
    if batch_norms:
        with torch.no_grad():
            model(torch.randn(max(shape[0], 2), *shape[1:]))
    model.eval()


def run_one(kiln_run: str, module, x: torch.Tensor, exact: np.ndarray,
            directory: pathlib.Path, tag: str) -> tuple[str, str]:
    """Returns (status, detail) for one saved module; `exact` is the model's
    output computed in float64, to tell float32 rounding from errors."""
    path = directory / f"{tag}.pt"
    torch.jit.save(module, str(path))
    np.save(directory / "x.npy", x.numpy())
    with torch.no_grad():
        expected = torch.jit.load(str(path))(x)
    if isinstance(expected, (tuple, list)):
        expected = expected[0]
    expected = expected.numpy()
    start = time.monotonic()
    result = subprocess.run(
        [kiln_run, str(path), "--input", str(directory / "x.npy"),
         "--output-dir", str(directory / tag), "--print-values", "0"],
        capture_output=True, text=True, timeout=900)
    seconds = time.monotonic() - start
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        reason = lines[0] if lines else f"exit {result.returncode}"
        reason = reason.split(": error: ", 1)[-1]
        return "unsupported", reason.replace(f"{path}: ", "")
    actual = np.load(directory / tag / "output_0.npy")
    if actual.shape != expected.shape:
        return "WRONG", f"shape {actual.shape} != {expected.shape}"
    error = float(np.max(np.abs(actual - expected)))
    scale = float(np.max(np.abs(expected)))
    kiln_exact = float(np.max(np.abs(actual - exact)))
    torch_exact = float(np.max(np.abs(expected - exact)))
    detail = (f"max abs error {error:.2g} (largest output {scale:.2g}); "
              f"vs float64: Kiln {kiln_exact:.2g}, LibTorch "
              f"{torch_exact:.2g}; compile and run {seconds:.1f} s")
    if np.allclose(actual, expected, rtol=RTOL, atol=ATOL):
        return "match", detail
    # Both float32 results round differently; when Kiln is as close to the
    # float64 result as LibTorch is, the difference is rounding, not a bug.
    if kiln_exact <= 1.5 * torch_exact:
        return "float32 rounding", detail
    return "WRONG", detail


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kiln-run",
                        default=str(REPO / "build" / "bin" / "kiln-run"))
    parser.add_argument("--only", help="one model; prints, writes nothing")
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as temp:
        directory = pathlib.Path(temp)
        for name, (make, shape) in MODELS.items():
            if args.only and args.only != name:
                continue
            torch.manual_seed(0)
            model = make()
            calibrate(model, shape)
            x = torch.randn(*shape)
            with torch.no_grad():
                exact = copy.deepcopy(model).double()(x.double())
            if isinstance(exact, (tuple, list)):
                exact = exact[0]
            exact = exact.numpy()
            for mode in ("traced", "scripted"):
                try:
                    module = (torch.jit.trace(model, x, check_trace=False)
                              if mode == "traced" else torch.jit.script(model))
                    status, detail = run_one(args.kiln_run, module, x, exact,
                                             directory, "model")
                except Exception as error:  # an export PyTorch refuses
                    status = "export fails"
                    detail = str(error).splitlines()[0][:200]
                print(f"{name} {mode}: {status}: {detail}", flush=True)
                rows.append((name, mode, status, detail))
    if args.only:
        return 0

    matched = sum(1 for row in rows if row[2] == "match")
    lines = [
        "# TorchScript support",
        "",
        "Which models Kiln imports from TorchScript (`.pt`) and whether they",
        "match LibTorch on the same file (rtol 1e-4, atol 1e-5). Models are",
        "built with a fixed seed, BatchNorm statistics calibrated on a random",
        "batch, saved traced and scripted, and run by `kiln-run` on a random",
        "input. \"float32 rounding\" means the outputs differ by more than",
        "that tolerance but Kiln's output is as close to the model computed",
        "in float64 as LibTorch's is (within 1.5x): both are float32",
        "rounding of the same computation. Timings include compiling and",
        "are from a shared 2-core machine. Regenerate after building",
        "(several minutes): `/usr/bin/python3 test/torch/torch_support.py`.",
        "",
        f"{matched} of {len(rows)} model files match, "
        f"{sum(1 for row in rows if row[2] == 'float32 rounding')} differ by "
        "float32 rounding, "
        f"{sum(1 for row in rows if row[2] == 'WRONG')} give a wrong answer.",
        "",
        "| model | export | result | detail |",
        "|---|---|---|---|",
    ]
    for name, mode, status, detail in rows:
        detail = detail.replace("|", "\\|")
        lines.append(f"| {name} | {mode} | {status} | {detail} |")
    REPORT.write_text("\n".join(lines) + "\n")
    print(f"wrote {REPORT}")
    return 1 if any(row[2] == "WRONG" for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
