#!/usr/bin/env python3
"""Exports the benchmark models as ONNX (opset 13, fixed seed, random
weights, no downloads) into DIR:

  resnet18, mobilenet_v2, mlp, encoder   costmodel/data/export_models.py check
  mobilenet_v3_small, efficientnet_b0    1x3x224x224, exported here

Run under Debian's /usr/bin/python3 (python3-torch, python3-torchvision), not
the benchmark venv (which holds only onnxruntime and numpy).

  export.py DIR
"""

import pathlib
import sys

import torch
import torchvision

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "costmodel" / "data"))
import export_models as costmodel_export  # noqa: E402  pylint: disable=C0413


def main() -> None:
    out = pathlib.Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    costmodel_export.check_models(out)
    torch.manual_seed(1)
    models = torchvision.models
    costmodel_export.export(models.mobilenet_v3_small(),
                            costmodel_export.image(),
                            out / "mobilenet_v3_small.onnx")
    costmodel_export.export(models.efficientnet_b0(),
                            costmodel_export.image(),
                            out / "efficientnet_b0.onnx")


if __name__ == "__main__":
    main()
