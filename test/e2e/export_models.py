"""Export the end-to-end test models to ONNX, with inputs and PyTorch outputs.

For each model (ResNet-18, MobileNetV2, a 3-layer MLP and a 2-layer
Transformer encoder) this writes, into the output directory:

    NAME.onnx          the model, exported with opset 13 and static shapes
    NAME.input.npy     a fixed-seed float32 input
    NAME.expected.npy  PyTorch's output for that input

Weights come from ``torch.manual_seed`` (torchvision models are built with
``weights=None``), so nothing is downloaded and every run is reproducible.
The torchvision models' BatchNorm statistics are then calibrated on a
fixed-seed batch: with the default statistics (mean 0, variance 1) an
untrained MobileNetV2 shrinks its activations ~10x per stage and ends with
outputs near 1e-9, which any result would match within atol 1e-5.
Run it with Debian's interpreter (torch, torchvision, onnx and numpy).
"""

import argparse
import os
import sys
from dataclasses import dataclass
from typing import Callable, Dict, List, Tuple

import numpy as np
import torch
import torchvision
from torch import nn

OPSET = 13
SEED = 0


class MLP(nn.Sequential):
    """784-512-512-10 perceptron with ReLU between the layers."""

    def __init__(self) -> None:
        super().__init__(nn.Linear(784, 512), nn.ReLU(),
                         nn.Linear(512, 512), nn.ReLU(),
                         nn.Linear(512, 10))


def make_transformer() -> nn.Module:
    """Two post-norm encoder layers, d_model 256, 4 heads, (seq, batch, d).

    batch_first=False keeps both eager inference and the exporter off
    PyTorch's fused fast path (aten::_transformer_encoder_layer_fwd, which
    has no ONNX export), so the reference output comes from the same
    composite ops that the ONNX graph holds.
    """
    layer = nn.TransformerEncoderLayer(d_model=256, nhead=4,
                                       dim_feedforward=1024, dropout=0.0,
                                       batch_first=False)
    return nn.TransformerEncoder(layer, num_layers=2,
                                 enable_nested_tensor=False)


def calibrate_batch_norm(model: nn.Module, shape: Tuple[int, ...]) -> None:
    """Set every BatchNorm's running statistics from one random batch.

    This stands in for training: each BatchNorm then normalizes its input
    to roughly zero mean and unit variance, so activations stay O(1) through
    the network and BatchNorm (or, where the exporter folds it, the Conv
    weights and biases) is not the identity scaling.
    """
    for module in model.modules():
        if isinstance(module, nn.modules.batchnorm._BatchNorm):
            module.reset_running_stats()
            module.momentum = None  # cumulative average: exactly this batch
    batch = torch.randn(4, *shape[1:],
                        generator=torch.Generator().manual_seed(SEED + 2))
    model.train()
    with torch.no_grad():
        model(batch)
    model.eval()


def make_resnet18() -> nn.Module:
    """torchvision's ResNet-18, random weights, calibrated BatchNorm."""
    model = torchvision.models.resnet18(weights=None)
    calibrate_batch_norm(model, (1, 3, 224, 224))
    return model


def make_mobilenet_v2() -> nn.Module:
    """torchvision's MobileNetV2, random weights, calibrated BatchNorm."""
    model = torchvision.models.mobilenet_v2(weights=None)
    calibrate_batch_norm(model, (1, 3, 224, 224))
    return model


@dataclass
class ModelSpec:
    """How to build and export one model."""

    build: Callable[[], nn.Module]
    input_shape: Tuple[int, ...]
    # PyTorch folds eval-mode BatchNorm into the preceding Conv on export;
    # keeping it as BatchNormalization nodes tests Kiln's own batch_norm.
    keep_batch_norm: bool = False


MODELS: Dict[str, ModelSpec] = {
    # Exported as deployed: BatchNorm folded into Conv.
    "resnet18": ModelSpec(make_resnet18, (1, 3, 224, 224)),
    # Conv, BatchNormalization and Clip (ReLU6) as separate nodes.
    "mobilenet_v2": ModelSpec(make_mobilenet_v2, (1, 3, 224, 224),
                              keep_batch_norm=True),
    "mlp": ModelSpec(MLP, (64, 784)),
    "transformer": ModelSpec(make_transformer, (128, 1, 256)),
}


def export_model(name: str, out_dir: str) -> None:
    """Build model NAME from the fixed seed and write its three files."""
    spec = MODELS[name]
    torch.manual_seed(SEED)
    model = spec.build().eval()
    x = torch.randn(*spec.input_shape,
                    generator=torch.Generator().manual_seed(SEED + 1))
    # TrainingMode.PRESERVE exports the eval-mode model as it is, without
    # the Conv+BatchNorm fusion that the default TrainingMode.EVAL does.
    training = (torch.onnx.TrainingMode.PRESERVE if spec.keep_batch_norm
                else torch.onnx.TrainingMode.EVAL)
    with torch.no_grad():
        expected = model(x)
        torch.onnx.export(model, (x,), os.path.join(out_dir, name + ".onnx"),
                          opset_version=OPSET, input_names=["input"],
                          output_names=["output"], training=training,
                          do_constant_folding=not spec.keep_batch_norm)
    np.save(os.path.join(out_dir, name + ".input.npy"), x.numpy())
    np.save(os.path.join(out_dir, name + ".expected.npy"), expected.numpy())


def main(argv: List[str]) -> int:
    """Export the models named on the command line (default: all)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", help="directory to write the files to")
    parser.add_argument("models", nargs="*", metavar="MODEL",
                        help="models to export: " + ", ".join(MODELS)
                        + " (default: all)")
    args = parser.parse_args(argv)
    unknown = [name for name in args.models if name not in MODELS]
    if unknown:
        parser.error("unknown model(s): " + ", ".join(unknown))
    os.makedirs(args.out_dir, exist_ok=True)
    torch.set_num_threads(2)
    for name in args.models or list(MODELS):
        export_model(name, args.out_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
