"""kiln.compile and CompiledModel against PyTorch running the same modules
(rtol 1e-4, atol 1e-5), plus the errors a user meets."""

import pathlib
import subprocess
import sys
from typing import List, Tuple

import numpy as np
import pytest
import torch
from torch import nn

import kiln

RTOL, ATOL = 1e-4, 1e-5


def assert_matches(actual, expected):
    actual = actual.numpy() if isinstance(actual, torch.Tensor) else actual
    expected = expected.detach().numpy()
    assert actual.shape == expected.shape and actual.dtype == expected.dtype
    np.testing.assert_allclose(actual, expected, rtol=RTOL, atol=ATOL)


class SmallNet(nn.Module):
    """conv -> batch norm -> relu -> pool -> linear, with a residual add."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1)
        self.fc = nn.Linear(8, 5)

    def forward(self, x):
        y = torch.relu(self.bn(self.conv1(x)))
        y = y + torch.relu(self.conv2(y))
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(y, 1),
                                     1))


class TwoInTwoOut(nn.Module):
    """Two inputs, a tuple of a tensor and a list of two tensors out."""

    def forward(self, a, b) -> Tuple[torch.Tensor, List[torch.Tensor]]:
        s = a + b
        return torch.tanh(s), [a * b, torch.softmax(s, dim=-1)]


def net_and_input():
    torch.manual_seed(0)
    net = SmallNet()
    with torch.no_grad():  # non-trivial batch-norm statistics
        net.bn.running_mean.uniform_(-0.5, 0.5)
        net.bn.running_var.uniform_(0.5, 2.0)
    return net.eval(), torch.randn(2, 3, 16, 16)


def test_module_is_traced_and_matches():
    net, x = net_and_input()
    net.train()  # kiln compiles in eval mode and leaves the mode alone
    compiled = kiln.compile(net, example_inputs=(x,))
    assert net.training
    assert [s.shape for s in compiled.inputs] == [(2, 3, 16, 16)]
    assert [s.shape for s in compiled.outputs] == [(2, 5)]
    out = compiled(x)
    assert isinstance(out, torch.Tensor)
    with torch.no_grad():
        assert_matches(out, net.eval()(x))


def test_numpy_in_numpy_out():
    net, x = net_and_input()
    compiled = kiln.compile(net, x)  # one example input, not a tuple
    out = compiled(x.numpy())
    assert isinstance(out, np.ndarray)
    with torch.no_grad():
        assert_matches(out, net(x))


def test_thread_count_changes_speed_not_results():
    net, x = net_and_input()
    compiled = kiln.compile(net, x)
    default = compiled.num_threads
    assert default >= 1
    outputs = []
    for count in (1, 2, 3):
        compiled.num_threads = count
        assert compiled.num_threads == count
        outputs.append(compiled(x.numpy()))
    # Each output element is summed in the same order however many threads
    # share the work.
    for other in outputs[1:]:
        np.testing.assert_array_equal(other, outputs[0])
    compiled.num_threads = 0
    assert compiled.num_threads == default
    with pytest.raises(ValueError, match="num_threads"):
        compiled.num_threads = -1


def test_non_contiguous_torch_input():
    torch.manual_seed(1)
    mlp = nn.Sequential(nn.Linear(6, 4), nn.GELU()).eval()
    x = torch.randn(6, 3).t()  # a transposed view
    compiled = kiln.compile(mlp, (x.contiguous(),))
    with torch.no_grad():
        assert_matches(compiled(x), mlp(x))


def test_multiple_inputs_and_nested_outputs():
    torch.manual_seed(2)
    a, b = torch.randn(3, 7), torch.randn(3, 7)
    compiled = kiln.compile(torch.jit.script(TwoInTwoOut()), (a, b))
    outputs = compiled(a, b)
    expected = TwoInTwoOut()(a, b)
    assert len(outputs) == 3
    for actual, reference in zip(outputs,
                                 [expected[0], *expected[1]]):
        assert_matches(actual, reference)


def test_script_module_and_pt_file(tmp_path: pathlib.Path):
    net, x = net_and_input()
    scripted = torch.jit.script(net)
    with torch.no_grad():
        expected = net(x)
    assert_matches(kiln.compile(scripted, (x,))(x), expected)
    path = tmp_path / "net.pt"
    torch.jit.save(scripted, str(path))
    assert_matches(kiln.compile(path, input_shapes=["2x3x16x16xf32"])(x),
                   expected)
    assert_matches(kiln.compile(str(path), (x,))(x), expected)


def test_onnx_file_with_dynamic_batch(tmp_path: pathlib.Path):
    net, x = net_and_input()
    path = tmp_path / "net.onnx"
    torch.onnx.export(net, x, str(path), input_names=["image"],
                      dynamic_axes={"image": {0: "batch"}}, opset_version=13)
    x5 = torch.randn(5, 3, 16, 16)
    compiled = kiln.compile(path, (x5,))
    assert compiled.inputs[0].name == "image"
    assert compiled.inputs[0].shape == (5, 3, 16, 16)
    with torch.no_grad():
        assert_matches(compiled(x5), net(x5))
    with pytest.raises(kiln.KilnError, match="graph input 'image'"):
        kiln.compile(path, input_shapes=["5x4x16x16xf32"])


def test_library_kept_where_asked(tmp_path: pathlib.Path):
    net, x = net_and_input()
    library = tmp_path / "net.so"
    compiled = kiln.compile(net, (x,), output=library)
    assert compiled.library_path == library
    assert library.is_file() and (tmp_path / "net.h").is_file()
    # A second handle on the same file, and two models live at once.
    again = kiln.CompiledModel(library)
    other = kiln.compile(nn.Sequential(nn.Linear(4, 2)).eval(),
                         torch.zeros(1, 4))
    with torch.no_grad():
        assert_matches(again(x), net(x))
    assert other(torch.zeros(1, 4)).shape == (1, 2)
    assert_matches(compiled(x), again(x))


def test_wrong_arguments_are_clear_errors():
    net, x = net_and_input()
    compiled = kiln.compile(net, (x,))
    with pytest.raises(TypeError, match=r"expected float32\[2x3x16x16\], "
                                        r"got float64\[2x3x16x16\]"):
        compiled(x.double())
    with pytest.raises(TypeError, match=r"got float32\[1x3x16x16\]"):
        compiled(x[:1])
    with pytest.raises(TypeError, match="takes 1 inputs"):
        compiled(x, x)


def test_compile_errors_name_the_problem(tmp_path: pathlib.Path):
    net, x = net_and_input()
    with pytest.raises(kiln.KilnError, match="unknown target 'sm_90'"):
        kiln.compile(net, (x,), target="sm_90")
    with pytest.raises(kiln.KilnError, match="needs example_inputs"):
        kiln.compile(net)
    with pytest.raises(kiln.KilnError, match="no such file"):
        kiln.compile(tmp_path / "missing.onnx")
    with pytest.raises(kiln.KilnError, match="unknown model file type"):
        kiln.compile(tmp_path / "model.tflite")
    with pytest.raises(kiln.KilnError, match="cannot compile a list"):
        kiln.compile([1, 2, 3])

    class Unsupported(nn.Module):
        def forward(self, x):
            return torch.cumsum(x, dim=1)

    # The tool's own one-line error: the aten op, its schema and where.
    with pytest.raises(kiln.KilnError,
                       match=r"Unsupported \(scripted\): node .* \(aten::cumsum "
                             r"'.*', at .*\): operator is not supported"):
        kiln.compile(torch.jit.script(Unsupported()), torch.zeros(2, 3))


def test_missing_tools_are_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("KILN_TOOLS_DIR", str(tmp_path))
    with pytest.raises(kiln.KilnError, match="cannot find the Kiln tool "
                                             "'kiln-compile'"):
        kiln.compile(nn.Linear(2, 2), torch.zeros(1, 2))


def test_quickstart_example_runs():
    example = (pathlib.Path(__file__).resolve().parents[2] / "docs" /
               "examples" / "python_quickstart.py")
    result = subprocess.run([sys.executable, str(example)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "max abs difference from PyTorch" in result.stdout
    assert "the heaviest:" in result.stdout
