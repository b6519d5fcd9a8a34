"""Turning what a user hands to kiln.compile / kiln.cost into a model file
and the `--input-shape` arguments the tools need."""

import contextlib
import os
import pathlib
import shutil
import tempfile
from typing import List, NamedTuple, Optional, Sequence, Tuple

import numpy as np

from ._tools import KilnError, run_tool

# NumPy dtype -> element type name in an --input-shape spec.
_SPEC_TYPES = {
    np.dtype(np.float32): "f32",
    np.dtype(np.float64): "f64",
    np.dtype(np.float16): "f16",
    np.dtype(np.int64): "i64",
    np.dtype(np.int32): "i32",
    np.dtype(np.int8): "i8",
    np.dtype(np.bool_): "i1",
}

MODEL_SUFFIXES = (".onnx", ".pt", ".mlir")


def _torch():
    """Returns the torch module if it is importable, else None (the API works
    on .onnx files and NumPy arrays without PyTorch)."""
    try:
        import torch  # pylint: disable=import-outside-toplevel
        return torch
    except ImportError:
        return None


def is_torch_tensor(value) -> bool:
    torch = _torch()
    return torch is not None and isinstance(value, torch.Tensor)


def as_tuple(example_inputs) -> Tuple:
    """Accepts one tensor or a sequence of them."""
    if example_inputs is None:
        return ()
    if isinstance(example_inputs, (list, tuple)):
        return tuple(example_inputs)
    return (example_inputs,)


def shape_spec(value, what: str) -> str:
    """Returns the --input-shape spec ("1x3x224x224xf32") of an array or
    tensor."""
    if is_torch_tensor(value):
        dtype = str(value.dtype).replace("torch.", "")
        shape = tuple(value.shape)
        try:
            dtype = np.dtype(dtype)
        except TypeError:
            raise KilnError(f"{what}: tensors of {value.dtype} are not "
                            "supported by the Python API") from None
    else:
        array = np.asarray(value)
        dtype, shape = array.dtype, array.shape
    if dtype not in _SPEC_TYPES:
        raise KilnError(f"{what}: element type {dtype} is not supported "
                        f"(use one of "
                        f"{', '.join(str(t) for t in _SPEC_TYPES)})")
    return "x".join([str(s) for s in shape] + [_SPEC_TYPES[dtype]])


def to_torch_inputs(values: Sequence):
    torch = _torch()
    return tuple(v if isinstance(v, torch.Tensor) else
                 torch.from_numpy(np.ascontiguousarray(v)) for v in values)


class Prepared(NamedTuple):
    path: pathlib.Path   # the model file the tools read
    specs: List[str]     # their --input-shape arguments
    display: str         # what to call the model in messages

    def run(self, tool: str, arguments: List) -> str:
        """Runs `tool` on the model file with `arguments` and the shape
        arguments; a module the user passed is named in errors by its class
        instead of its temporary file."""
        shapes = [a for spec in self.specs for a in ("--input-shape", spec)]
        try:
            return run_tool(tool, [self.path] + list(arguments) + shapes)
        except KilnError as error:
            raise KilnError(str(error).replace(str(self.path),
                                               self.display)) from None


@contextlib.contextmanager
def prepared_model(model, example_inputs, input_shapes):
    """Yields (Prepared, scratch directory); the directory, with a traced
    module's file, is removed afterwards."""
    workdir = pathlib.Path(tempfile.mkdtemp(prefix="kiln-"))
    try:
        yield prepare(model, example_inputs, input_shapes, workdir), workdir
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def prepare(model, example_inputs, input_shapes: Optional[Sequence[str]],
            workdir: pathlib.Path) -> Prepared:
    """Returns the model file for the tools and their shape arguments.

    `model` is a torch.nn.Module (a ScriptModule is saved as is; any other
    module is traced with `example_inputs` in eval mode), or the path of a
    .pt, .onnx or .mlir file.
    """
    examples = as_tuple(example_inputs)
    if input_shapes is not None and examples:
        raise KilnError("give either example_inputs or input_shapes, "
                        "not both")
    specs = (list(input_shapes) if input_shapes is not None else
             [shape_spec(v, f"example input {i}")
              for i, v in enumerate(examples)])

    torch = _torch()
    if torch is not None and isinstance(model, torch.nn.Module):
        path = workdir / "model.pt"
        name = type(model).__name__
        if isinstance(model, torch.jit.ScriptModule):
            name = getattr(model, "original_name", name)
            display = f"{name} (scripted)"
            torch.jit.save(model, str(path))
        else:
            if not examples:
                raise KilnError(
                    f"kiln needs example_inputs to trace the "
                    f"{type(model).__name__} module (or pass a "
                    "torch.jit.script'ed module and input_shapes)")
            was_training = model.training
            model.eval()
            try:
                with torch.no_grad():
                    traced = torch.jit.trace(model, to_torch_inputs(examples),
                                             check_trace=False, strict=False)
            except Exception as error:  # torch raises many kinds
                raise KilnError(f"torch.jit.trace of the "
                                f"{type(model).__name__} module failed: "
                                f"{error}") from error
            finally:
                model.train(was_training)
            torch.jit.save(traced, str(path))
            display = f"{name} (traced)"
        if not specs:
            raise KilnError("a TorchScript module needs example_inputs or "
                            "input_shapes (TorchScript records no input "
                            "types)")
        return Prepared(path, specs, display)

    if isinstance(model, (str, os.PathLike)):
        path = pathlib.Path(model)
        if path.suffix not in MODEL_SUFFIXES:
            raise KilnError(f"{path}: unknown model file type (expected "
                            f"{', '.join(MODEL_SUFFIXES)})")
        if not path.is_file():
            raise KilnError(f"{path}: no such file")
        if path.suffix == ".pt" and not specs:
            raise KilnError(f"{path}: a TorchScript model needs "
                            "example_inputs or input_shapes (TorchScript "
                            "records no input types)")
        return Prepared(path.resolve(), specs, str(path))

    raise KilnError(f"cannot compile a {type(model).__name__}: expected a "
                    "torch.nn.Module or the path of a .pt, .onnx or .mlir "
                    "file")
