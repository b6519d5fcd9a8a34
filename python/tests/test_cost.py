"""kiln.cost against counts taken independently from PyTorch: forward hooks
on the nn.Modules give every convolution's and linear layer's shapes, from
which the multiply-accumulates and bytes follow; and torchvision's published
complexity of ResNet-18 (1.81 G multiply-accumulates at 224x224)."""

import json
import subprocess

import numpy as np
import pytest
import torch
import torchvision
from torch import nn

import kiln


def hooked_reference(model: nn.Module, x: torch.Tensor):
    """Returns [(kind, flops, bytes_read, bytes_written)] for every Conv2d
    and Linear in execution order, from the tensors PyTorch sees."""
    rows = []

    def hook(module, inputs, output):
        (inp,) = inputs
        weight = module.weight
        bias = module.bias
        if isinstance(module, nn.Conv2d):
            per_output = weight.numel() // weight.shape[0]
            kind = "nn.conv2d"
        else:
            per_output = weight.shape[1]
            kind = "nn.linear"
        flops = 2 * output.numel() * per_output
        read = inp.numel() + weight.numel()
        if bias is not None:
            flops += output.numel()
            read += bias.numel()
        rows.append((kind, flops, 4 * read, 4 * output.numel()))

    handles = [m.register_forward_hook(hook) for m in model.modules()
               if isinstance(m, (nn.Conv2d, nn.Linear))]
    with torch.no_grad():
        model(x)
    for handle in handles:
        handle.remove()
    return rows


def test_resnet18_matches_pytorch_and_published_complexity():
    torch.manual_seed(0)
    model = torchvision.models.resnet18().eval()
    x = torch.randn(1, 3, 224, 224)
    report = kiln.cost(model, x)
    reference = hooked_reference(model, x)
    # Kiln keeps linear layers as nn.linear (TorchScript) and convolutions
    # as nn.conv2d; every other layer is elementwise, pooling or shape work.
    kiln_rows = [(l.op, l.flops, l.bytes_read, l.bytes_written)
                 for l in report if l.op in ("nn.conv2d", "nn.linear")]
    assert kiln_rows == reference
    macs = sum(row[1] for row in reference) / 2
    # torchvision documents ResNet-18 as 1.81 GFLOPS (counting a
    # multiply-accumulate once); biases add under 0.1%.
    assert macs == pytest.approx(1.814e9, rel=0.005)
    assert report.total.flops == pytest.approx(
        sum(l.flops for l in report), rel=1e-12)
    assert report.total.bytes_read == pytest.approx(
        sum(l.bytes_read for l in report), rel=1e-12)


def test_table_and_tool_agree(tmp_path):
    torch.manual_seed(1)
    model = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU(), nn.Flatten(),
                          nn.Linear(4 * 6 * 6, 10), nn.Softmax(1)).eval()
    x = torch.randn(2, 3, 8, 8)
    path = tmp_path / "m.onnx"
    torch.onnx.export(model, x, str(path), input_names=["x"],
                      dynamic_axes={"x": {0: "batch"}}, opset_version=13)
    report = kiln.cost(path, input_shapes=["2x3x8x8xf32"])
    tool = json.loads(subprocess.run(
        [str(kiln.find_tool("kiln-cost")), str(path), "--json",
         "--input-shape", "2x3x8x8xf32"],
        check=True, capture_output=True, text=True).stdout)
    assert [l.flops for l in report] == [r["flops"] for r in tool["layers"]]
    assert [l.op for l in report][:2] == ["nn.conv2d", "nn.relu"]
    # Elementwise work is one FLOP per element; reshapes move nothing.
    relu = report.layers[1]
    assert relu.flops == 2 * 4 * 6 * 6
    assert relu.bytes_read == relu.bytes_written == 4 * relu.flops
    flatten = [l for l in report if l.op in ("nn.flatten", "nn.reshape")]
    assert flatten and all(l.bytes_read == l.bytes_written == 0
                           for l in flatten)
    text = str(report)
    assert text.splitlines()[0].split()[:4] == ["#", "layer", "op", "output"]
    assert text.splitlines()[-1].startswith("total")
    assert np.isclose(report.total.intensity,
                      report.total.flops / (report.total.bytes_read +
                                            report.total.bytes_written))


def test_targets_and_predictions():
    torch.manual_seed(2)
    model = nn.Sequential(nn.Linear(64, 256), nn.GELU(),
                          nn.Linear(256, 8)).eval()
    x = torch.randn(16, 64)
    for target in ("sm_90", "u250", "cpu"):
        report = kiln.cost(model, x, target=target)
        assert report.target == target
        assert report.latency_ms > 0
        for layer in report:
            assert layer.bound in ("compute", "memory", "overhead", "none")
            assert (0 <= layer.latency_low_us <= layer.latency_us <=
                    layer.latency_high_us)
        assert report.total.latency_us == pytest.approx(
            sum(l.latency_us for l in report), rel=1e-9)
    # The H100's tensor-core peak outruns an FPGA's DSPs on a matrix product.
    h100 = kiln.cost(model, x, target="sm_90").layers[0]
    u250 = kiln.cost(model, x, target="u250").layers[0]
    assert h100.op == "nn.linear" and h100.latency_us < u250.latency_us


def test_cost_errors():
    with pytest.raises(kiln.KilnError, match="unknown target 'tpu'"):
        kiln.cost(nn.Linear(2, 2), torch.zeros(1, 2), target="tpu")
    with pytest.raises(kiln.KilnError, match="needs example_inputs"):
        kiln.cost(nn.Linear(2, 2))
