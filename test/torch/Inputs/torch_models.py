#!/usr/bin/env python3
"""Test helper for the TorchScript importer.

  torch_models.py make DIR        save the models as TorchScript (.pt) and,
                                  for the block (which kiln-run checks), an
                                  input (block_x.npy) and LibTorch's output
                                  for it, computed by loading the same .pt
                                  back (block_ref.npy); plus broken files
  torch_models.py make-pair DIR   save ResNet-18 as pair.pt and pair.onnx
  torch_models.py check DIR NAME OUTDIR
                                  compare OUTDIR/output_0.npy with LibTorch's
                                  at rtol 1e-4, atol 1e-5

Models (fixed seed, no downloads): resnet18 (traced), mobilenet_v2 and
mobilenet_v3_small (scripted) and efficientnet_b0 (traced) from torchvision
with BatchNorm statistics calibrated on a random batch (the defaults, mean 0
and variance 1, make near-zero outputs that any answer matches), an MLP
(784-512-512-10, batch 64, scripted), a 2-layer Transformer encoder (d_model
256, 4 heads, seq 128, traced and scripted), a model with two inputs and
nested tuple/list outputs, one with float64, int64, int32 and bool inputs
and outputs, a chaotic model whose outputs differ beyond any useful
tolerance (to see kiln-torch-check fail), a small convolution block for
FileCheck, and a model using an op Kiln lacks. kiln-torch-check compares all
but the block with LibTorch itself.
"""

import pathlib
import sys
from typing import List, Optional, Tuple

import numpy as np
import torch
import torchvision
from torch import nn


class Block(nn.Module):
    """conv -> batch norm -> relu6 -> adaptive average pool -> flatten."""

    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, stride=2, padding=1)
        self.bn = nn.BatchNorm2d(4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = nn.functional.relu6(self.bn(self.conv(x)))
        return torch.flatten(nn.functional.adaptive_avg_pool2d(y, 1), 1)


class TwoInputs(nn.Module):
    """Two inputs, and results in a tuple nesting a list."""

    def __init__(self) -> None:
        super().__init__()
        self.linear = nn.Linear(8, 4)

    def forward(self, x: torch.Tensor, y: torch.Tensor
                ) -> Tuple[torch.Tensor, List[torch.Tensor]]:
        h = self.linear(x)
        gated = torch.sigmoid(h) * y
        return h + y, [gated, torch.cat([x, gated], dim=1).transpose(0, 1)]


class ElementTypes(nn.Module):
    """Inputs and results of four element types."""

    def forward(self, x: torch.Tensor, n: torch.Tensor, m: torch.Tensor,
                b: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor,
                                          torch.Tensor, torch.Tensor]:
        return torch.tanh(x) * x + 1.0, n * n - n, m + m, b.transpose(0, 1)


class Chaotic(nn.Module):
    """A linear layer, then 30 steps of the logistic map z -> 4z(1 - z),
    which about doubles any difference at each step: the last-bit
    differences between Kiln's and LibTorch's matrix product (its sums run
    in other orders) and sigmoid grow to the size of the values."""

    def __init__(self) -> None:
        super().__init__()
        self.linear = nn.Linear(1024, 64)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z = torch.sigmoid(self.linear(x))
        for _ in range(30):
            z = 4.0 * (z - z * z)
        return z


class Unsupported(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cumsum(x, dim=1)


def calibrate(model: nn.Module, shape) -> None:
    """Sets every BatchNorm's running statistics from one random batch."""
    model.train()
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            module.reset_running_stats()
            module.momentum = None
    with torch.no_grad():
        model(torch.randn(*shape))
    model.eval()


def save(directory: pathlib.Path, name: str, module,
         x: Optional[torch.Tensor] = None) -> None:
    """Saves `module` as NAME.pt and, given an input `x`, NAME_x.npy and
    LibTorch's output for it as NAME_ref.npy."""
    path = directory / f"{name}.pt"
    torch.jit.save(module, str(path))
    if x is None:
        return
    np.save(directory / f"{name}_x.npy", x.numpy())
    with torch.no_grad():
        reference = torch.jit.load(str(path))(x)
    np.save(directory / f"{name}_ref.npy", reference.numpy())


def make(directory: pathlib.Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)

    resnet = torchvision.models.resnet18()
    calibrate(resnet, (4, 3, 224, 224))
    save(directory, "resnet18",
         torch.jit.trace(resnet, torch.randn(1, 3, 224, 224)))

    mobilenet = torchvision.models.mobilenet_v2()
    calibrate(mobilenet, (4, 3, 224, 224))
    save(directory, "mobilenet_v2", torch.jit.script(mobilenet))

    # Hard-swish, hard-sigmoid squeeze-excitation (MobileNetV3) and SiLU
    # with stochastic depth in eval mode (EfficientNet).
    mobilenet3 = torchvision.models.mobilenet_v3_small()
    calibrate(mobilenet3, (4, 3, 224, 224))
    save(directory, "mobilenet_v3_small", torch.jit.script(mobilenet3))
    efficientnet = torchvision.models.efficientnet_b0()
    calibrate(efficientnet, (4, 3, 224, 224))
    save(directory, "efficientnet_b0",
         torch.jit.trace(efficientnet, torch.randn(1, 3, 224, 224),
                         check_trace=False))

    mlp = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512),
                        nn.ReLU(), nn.Linear(512, 10)).eval()
    save(directory, "mlp", torch.jit.script(mlp))

    layer = nn.TransformerEncoderLayer(256, 4, 1024, batch_first=True)
    encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
    encoder.eval()
    save(directory, "encoder",
         torch.jit.trace(encoder, torch.randn(1, 128, 256), check_trace=False))
    # Scripted, the encoder keeps PyTorch's fast-path checks and calls the
    # fused aten::_transformer_encoder_layer_fwd for each layer.
    save(directory, "encoder_scripted", torch.jit.script(encoder))

    save(directory, "two_inputs", torch.jit.script(TwoInputs().eval()))
    save(directory, "element_types", torch.jit.script(ElementTypes()))
    # Traced, so that the loop is unrolled.
    save(directory, "chaotic",
         torch.jit.trace(Chaotic().eval(), torch.randn(16, 1024)))

    block = Block()
    calibrate(block, (2, 3, 8, 8))
    save(directory, "block", torch.jit.script(block), torch.randn(1, 3, 8, 8))

    torch.jit.save(torch.jit.script(Unsupported()),
                   str(directory / "unsupported.pt"))
    data = (directory / "block.pt").read_bytes()
    (directory / "truncated.pt").write_bytes(data[: len(data) // 2])
    (directory / "not_a_model.pt").write_bytes(b"this is not a zip archive\n")


def make_pair(directory: pathlib.Path) -> None:
    """Saves ResNet-18 both as TorchScript (traced) and as ONNX (opset 13,
    exported by torch.onnx in eval mode, which folds BatchNorm into the
    convolutions)."""
    directory.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    model = torchvision.models.resnet18().eval()
    x = torch.randn(1, 3, 224, 224)
    torch.jit.save(torch.jit.trace(model, x), str(directory / "pair.pt"))
    torch.onnx.export(model, x, str(directory / "pair.onnx"),
                      opset_version=13)


def check(directory: pathlib.Path, name: str, outputs: pathlib.Path) -> int:
    expected = np.load(directory / f"{name}_ref.npy")
    actual = np.load(outputs / "output_0.npy")
    if actual.shape != expected.shape or actual.dtype != expected.dtype:
        print(f"{name}: {actual.dtype}{list(actual.shape)} != "
              f"{expected.dtype}{list(expected.shape)}")
        return 1
    error = float(np.max(np.abs(actual - expected)))
    scale = float(np.max(np.abs(expected)))
    if not np.allclose(actual, expected, rtol=1e-4, atol=1e-5):
        print(f"{name}: differs from LibTorch (max abs error {error:.3g})")
        return 1
    print(f"{name}: matches LibTorch (max abs error {error:.3g}, "
          f"largest output {scale:.3g})")
    return 0


if __name__ == "__main__":
    if sys.argv[1] in ("make", "make-pair"):
        (make if sys.argv[1] == "make" else make_pair)(
            pathlib.Path(sys.argv[2]))
        sys.exit(0)
    sys.exit(check(pathlib.Path(sys.argv[2]), sys.argv[3],
                   pathlib.Path(sys.argv[4])))
