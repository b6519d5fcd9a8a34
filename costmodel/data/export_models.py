#!/usr/bin/env python3
"""Exports the models whose layers train Kiln's default CPU cost model, and
the models its whole-model check predicts, as ONNX files (opset 13, fixed
seed, random weights: no downloads).

  export_models.py train DIR   models the measurements come from
  export_models.py check DIR   resnet18, mobilenet_v2, mlp, encoder: the
                               whole-model check (none of them is in train)

Run under Debian's /usr/bin/python3 (python3-torch, python3-torchvision).
"""

import pathlib
import sys

import torch
import torchvision
from torch import nn


def export(model: nn.Module, x: torch.Tensor, path: pathlib.Path) -> None:
    model.eval()
    with torch.no_grad():
        torch.onnx.export(model, x, str(path), opset_version=13,
                          input_names=["x"])
    print(f"wrote {path}")


def mlp(sizes) -> nn.Module:
    layers = []
    for a, b in zip(sizes, sizes[1:]):
        layers += [nn.Linear(a, b), nn.ReLU()]
    return nn.Sequential(*layers[:-1])


def encoder(d_model: int, heads: int, layers: int) -> nn.Module:
    """Post-norm encoder layers with (seq, batch, d) inputs: batch_first=False
    keeps the exporter off PyTorch's fused fast path, which has no ONNX
    form (as test/e2e/export_models.py does)."""
    layer = nn.TransformerEncoderLayer(d_model, heads, 4 * d_model,
                                       dropout=0.0, batch_first=False)
    return nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)


def image() -> torch.Tensor:
    return torch.randn(1, 3, 224, 224)


def train_models(directory: pathlib.Path) -> None:
    models = torchvision.models
    export(models.resnet34(), image(), directory / "resnet34.onnx")
    export(models.mobilenet_v3_small(), image(),
           directory / "mobilenet_v3_small.onnx")
    export(models.efficientnet_b0(), image(),
           directory / "efficientnet_b0.onnx")
    export(models.squeezenet1_1(), image(), directory / "squeezenet1_1.onnx")
    export(models.shufflenet_v2_x1_0(), image(),
           directory / "shufflenet_v2.onnx")
    export(models.regnet_y_400mf(), image(), directory / "regnet_y_400mf.onnx")
    export(mlp([1024, 2048, 1024, 256, 10]), torch.randn(32, 1024),
           directory / "mlp_wide.onnx")
    export(mlp([256, 128, 64, 10]), torch.randn(128, 256),
           directory / "mlp_small.onnx")
    export(mlp([512, 768, 384, 10]), torch.randn(64, 512),
           directory / "mlp_medium.onnx")
    export(mlp([256, 512, 512, 512, 10]), torch.randn(16, 256),
           directory / "mlp_deep.onnx")
    export(mlp([1000, 500, 100]), torch.randn(128, 1000),
           directory / "mlp_batch128.onnx")
    export(encoder(128, 4, 1), torch.randn(64, 1, 128),
           directory / "encoder_small.onnx")
    export(encoder(384, 6, 1), torch.randn(96, 2, 384),
           directory / "encoder_wide.onnx")


def check_models(directory: pathlib.Path) -> None:
    models = torchvision.models
    export(models.resnet18(), image(), directory / "resnet18.onnx")
    export(models.mobilenet_v2(), image(), directory / "mobilenet_v2.onnx")
    export(mlp([784, 512, 512, 10]), torch.randn(64, 784),
           directory / "mlp.onnx")
    export(encoder(256, 4, 2), torch.randn(128, 1, 256),
           directory / "encoder.onnx")


if __name__ == "__main__":
    torch.manual_seed(0)
    out = pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    {"train": train_models, "check": check_models}[sys.argv[1]](out)
