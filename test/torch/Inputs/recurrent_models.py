#!/usr/bin/env python3
"""Test helper for the TorchScript importer's recurrent layers.

  recurrent_models.py make DIR    save the models as TorchScript (.pt), their
                                  inputs (<name>_in<i>.npy) and LibTorch's
                                  outputs for them, computed by loading the
                                  same .pt back and flattening nested tuples
                                  in order (<name>_ref<i>.npy)
  recurrent_models.py check DIR NAME OUTDIR
                                  compare every OUTDIR/output_<i>.npy with
                                  LibTorch's at rtol 1e-4, atol 1e-5

Models (fixed seed, no downloads), each saved traced (<name>_traced) and
scripted (<name>_scripted) unless noted:
  lstm        nn.LSTM(16, 32, num_layers=2, batch_first=True), batch 2,
              seq 10, returning (output, (h_n, c_n)); also scripted with an
              unbatched 10x16 input (lstm_unbatched)
  gru_bi      nn.GRU(16, 24, bidirectional=True), seq 10, batch 2, given h_0
  nobias      nn.LSTM(8, 12, num_layers=2, bias=False, bidirectional=True)
              (lstm_nobias) and nn.GRU(8, 12, num_layers=2, bias=False,
              batch_first=True) (gru_nobias)
  proj        nn.LSTM(16, 32, proj_size=8, num_layers=2, batch_first=True)
  rnn         nn.RNN(16, 20, num_layers=2, nonlinearity tanh and relu)
  classifier  an LSTM whose last step feeds a linear head, returning
              (logits, (h_n, c_n))
and lstm_train.pt, an LSTM traced in training mode (an import error).
"""

import pathlib
import sys

import numpy as np
import torch
from torch import nn


class Recurrent(nn.Module):
    """Returns what the wrapped recurrent layer returns."""

    def __init__(self, layer: nn.Module) -> None:
        super().__init__()
        self.layer = layer

    def forward(self, x: torch.Tensor):
        return self.layer(x)


class GRUWithState(nn.Module):
    def __init__(self, layer: nn.GRU) -> None:
        super().__init__()
        self.layer = layer

    def forward(self, x: torch.Tensor, h0: torch.Tensor):
        return self.layer(x, h0)


class Classifier(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.lstm = nn.LSTM(16, 32, batch_first=True)
        self.head = nn.Linear(32, 5)

    def forward(self, x: torch.Tensor):
        output, (h, c) = self.lstm(x)
        return self.head(output[:, -1]), (h, c)


def flatten(value) -> list:
    if isinstance(value, (tuple, list)):
        return [leaf for item in value for leaf in flatten(item)]
    return [value]


def save(directory: pathlib.Path, name: str, module, inputs) -> None:
    path = directory / f"{name}.pt"
    torch.jit.save(module, str(path))
    for index, tensor in enumerate(inputs):
        np.save(directory / f"{name}_in{index}.npy", tensor.numpy())
    with torch.no_grad():
        outputs = flatten(torch.jit.load(str(path))(*inputs))
    for index, tensor in enumerate(outputs):
        np.save(directory / f"{name}_ref{index}.npy", tensor.numpy())


def save_both(directory: pathlib.Path, name: str, model: nn.Module,
              inputs) -> None:
    model.eval()
    with torch.no_grad():
        traced = torch.jit.trace(model, tuple(inputs), check_trace=False)
    save(directory, f"{name}_traced", traced, inputs)
    save(directory, f"{name}_scripted", torch.jit.script(model), inputs)


def make(directory: pathlib.Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)

    lstm = Recurrent(nn.LSTM(16, 32, num_layers=2, batch_first=True)).eval()
    save_both(directory, "lstm", lstm, [torch.randn(2, 10, 16)])
    # Scripted, nn.LSTM takes an unbatched input (and squeezes its outputs).
    save(directory, "lstm_unbatched", torch.jit.script(lstm),
         [torch.randn(10, 16)])

    gru = GRUWithState(nn.GRU(16, 24, bidirectional=True))
    save_both(directory, "gru_bi", gru,
              [torch.randn(10, 2, 16), torch.randn(2, 2, 24)])

    save_both(directory, "lstm_nobias",
              Recurrent(nn.LSTM(8, 12, num_layers=2, bias=False,
                                bidirectional=True)),
              [torch.randn(6, 3, 8)])
    save_both(directory, "gru_nobias",
              Recurrent(nn.GRU(8, 12, num_layers=2, bias=False,
                               batch_first=True)),
              [torch.randn(3, 6, 8)])

    save_both(directory, "proj",
              Recurrent(nn.LSTM(16, 32, proj_size=8, num_layers=2,
                                batch_first=True)),
              [torch.randn(2, 10, 16)])

    for nonlinearity in ("tanh", "relu"):
        save_both(directory, f"rnn_{nonlinearity}",
                  Recurrent(nn.RNN(16, 20, num_layers=2,
                                   nonlinearity=nonlinearity)),
                  [torch.randn(10, 2, 16)])

    save_both(directory, "classifier", Classifier(), [torch.randn(2, 10, 16)])

    # Traced in training mode, the LSTM's `train` argument is the constant
    # True (dropout between layers applies): Kiln imports inference only.
    training = Recurrent(nn.LSTM(16, 32, num_layers=2, dropout=0.5)).train()
    with torch.no_grad():
        traced = torch.jit.trace(training, torch.randn(10, 2, 16),
                                 check_trace=False)
    torch.jit.save(traced, str(directory / "lstm_train.pt"))


def check(directory: pathlib.Path, name: str, outputs: pathlib.Path) -> int:
    expected = sorted(directory.glob(f"{name}_ref*.npy"),
                      key=lambda p: int(p.stem[len(name) + 4:]))
    actual = sorted(outputs.glob("output_*.npy"),
                    key=lambda p: int(p.stem[len("output_"):]))
    if len(actual) != len(expected):
        print(f"{name}: {len(actual)} outputs, LibTorch has {len(expected)}")
        return 1
    worst = 0.0
    for index, (got_path, want_path) in enumerate(zip(actual, expected)):
        got, want = np.load(got_path), np.load(want_path)
        if got.shape != want.shape or got.dtype != want.dtype:
            print(f"{name}: output {index} is {got.dtype}{list(got.shape)}, "
                  f"LibTorch's {want.dtype}{list(want.shape)}")
            return 1
        error = float(np.max(np.abs(got - want))) if got.size else 0.0
        if not np.allclose(got, want, rtol=1e-4, atol=1e-5):
            print(f"{name}: output {index} differs from LibTorch "
                  f"(max abs error {error:.3g})")
            return 1
        worst = max(worst, error)
    print(f"{name}: {len(expected)} outputs match LibTorch "
          f"(max abs error {worst:.3g})")
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(pathlib.Path(sys.argv[2]))
        sys.exit(0)
    sys.exit(check(pathlib.Path(sys.argv[2]), sys.argv[3],
                   pathlib.Path(sys.argv[4])))
