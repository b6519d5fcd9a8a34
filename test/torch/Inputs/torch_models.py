#!/usr/bin/env python3
"""Test helper for the TorchScript importer.

  torch_models.py make DIR        save the models as TorchScript (.pt), an
                                  input per model (<name>_x.npy) and LibTorch's
                                  output for it, computed by loading the same
                                  .pt back (<name>_ref.npy); plus broken files
  torch_models.py make-pair DIR   save ResNet-18 as pair.pt and pair.onnx
  torch_models.py check DIR NAME OUTDIR
                                  compare OUTDIR/output_0.npy with LibTorch's
                                  at rtol 1e-4, atol 1e-5

Models (fixed seed, no downloads): resnet18 (traced), mobilenet_v2 and
mobilenet_v3_small (scripted) and efficientnet_b0 (traced) from torchvision with BatchNorm statistics calibrated on a random
batch (the defaults, mean 0 and variance 1, make near-zero outputs that any
answer matches), an MLP (784-512-512-10, batch 64, scripted), a 2-layer
Transformer encoder (d_model 256, 4 heads, seq 128, traced and scripted), a
small
convolution block for FileCheck, and a model using an op Kiln lacks.
"""

import pathlib
import sys

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


def save(directory: pathlib.Path, name: str, module, x: torch.Tensor) -> None:
    path = directory / f"{name}.pt"
    torch.jit.save(module, str(path))
    np.save(directory / f"{name}_x.npy", x.numpy())
    with torch.no_grad():
        reference = torch.jit.load(str(path))(x)
    np.save(directory / f"{name}_ref.npy", reference.numpy())


def make(directory: pathlib.Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)

    resnet = torchvision.models.resnet18()
    calibrate(resnet, (4, 3, 224, 224))
    x = torch.randn(1, 3, 224, 224)
    save(directory, "resnet18", torch.jit.trace(resnet, x), x)

    mobilenet = torchvision.models.mobilenet_v2()
    calibrate(mobilenet, (4, 3, 224, 224))
    save(directory, "mobilenet_v2", torch.jit.script(mobilenet),
         torch.randn(1, 3, 224, 224))

    # Hard-swish, hard-sigmoid squeeze-excitation (MobileNetV3) and SiLU
    # with stochastic depth in eval mode (EfficientNet).
    mobilenet3 = torchvision.models.mobilenet_v3_small()
    calibrate(mobilenet3, (4, 3, 224, 224))
    save(directory, "mobilenet_v3_small", torch.jit.script(mobilenet3),
         torch.randn(1, 3, 224, 224))
    efficientnet = torchvision.models.efficientnet_b0()
    calibrate(efficientnet, (4, 3, 224, 224))
    x = torch.randn(1, 3, 224, 224)
    save(directory, "efficientnet_b0",
         torch.jit.trace(efficientnet, x, check_trace=False), x)

    mlp = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512),
                        nn.ReLU(), nn.Linear(512, 10)).eval()
    save(directory, "mlp", torch.jit.script(mlp), torch.randn(64, 784))

    layer = nn.TransformerEncoderLayer(256, 4, 1024, batch_first=True)
    encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
    encoder.eval()
    x = torch.randn(1, 128, 256)
    save(directory, "encoder", torch.jit.trace(encoder, x, check_trace=False),
         x)
    # Scripted, the encoder keeps PyTorch's fast-path checks and calls the
    # fused aten::_transformer_encoder_layer_fwd for each layer.
    save(directory, "encoder_scripted", torch.jit.script(encoder), x)

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
