"""Kiln from Python.

    import kiln
    m = kiln.compile(torch_module, example_inputs=(x,))   # or "model.onnx"
    y = m(x)
    print(kiln.cost("model.onnx"))

`kiln.compile` traces an nn.Module to TorchScript (or takes a .pt, .onnx or
.mlir file), compiles it with `kiln-compile` to a shared library and loads
it; the returned CompiledModel runs on NumPy arrays or torch tensors.
`kiln.cost` returns the per-layer cost table of `kiln-cost`. See
docs/python.md.
"""

import os
import pathlib
from typing import Optional, Sequence

from ._cost import COST_TARGETS, CostReport, LayerCost, cost
from ._model import CompiledModel, TensorSpec
from ._prepare import prepared_model
from ._tools import KilnError, find_tool

__all__ = ["compile", "cost", "CompiledModel", "CostReport", "LayerCost",
           "TensorSpec", "KilnError", "find_tool", "TARGETS", "COST_TARGETS"]

# Targets kiln.compile can generate code for today (kiln.cost predicts for
# more: COST_TARGETS).
TARGETS = ("cpu",)


def compile(model, example_inputs=None, *, target: str = "cpu",
            input_shapes: Optional[Sequence[str]] = None,
            output: Optional[os.PathLike] = None) -> CompiledModel:
    # pylint: disable=redefined-builtin
    """Compiles `model` for `target` and returns a callable CompiledModel.

    model: a torch.nn.Module (traced with `example_inputs` in eval mode; a
        torch.jit.ScriptModule is used as is) or the path of a .pt
        (TorchScript), .onnx or .mlir (nn dialect) file.
    example_inputs: one tensor/array or a tuple of them; their shapes and
        element types become the compiled model's (a .pt needs them, or
        `input_shapes`; for .onnx they fix dynamic dimensions).
    input_shapes: instead of example inputs, specs such as "1x3x224x224xf32".
    target: "cpu" (this host).
    output: where to keep the shared library (and its C header, beside it);
        by default it lives in a temporary directory removed once loaded.
    """
    if target not in TARGETS:
        raise KilnError(f"unknown target '{target}' (supported: "
                        f"{', '.join(TARGETS)})")
    with prepared_model(model, example_inputs, input_shapes) as (prepared,
                                                                  workdir):
        library = pathlib.Path(output) if output else workdir / "model.so"
        prepared.run("kiln-compile", [f"--target={target}", "-o", library])
        return CompiledModel(library)
