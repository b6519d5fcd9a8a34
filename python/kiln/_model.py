"""A compiled model: the shared library kiln-compile wrote, loaded with
ctypes and called through its C ABI (docs/c-abi.md)."""

import ctypes
import pathlib
from typing import List, NamedTuple, Tuple

import numpy as np

from ._prepare import is_torch_tensor
from ._tools import KilnError

# kiln_dtype (ONNX TensorProto.DataType numbering) -> NumPy dtype. bfloat16
# (16) has no NumPy type.
_DTYPES = {
    1: np.dtype(np.float32),
    2: np.dtype(np.uint8),
    3: np.dtype(np.int8),
    4: np.dtype(np.uint16),
    5: np.dtype(np.int16),
    6: np.dtype(np.int32),
    7: np.dtype(np.int64),
    9: np.dtype(np.bool_),
    10: np.dtype(np.float16),
    11: np.dtype(np.float64),
    12: np.dtype(np.uint32),
    13: np.dtype(np.uint64),
}

ABI_VERSION = 1


class TensorSpec(NamedTuple):
    """An input or output of a compiled model."""
    name: str
    dtype: np.dtype
    shape: Tuple[int, ...]

    def __str__(self) -> str:
        return f"'{self.name}' {self.dtype}[{'x'.join(map(str, self.shape))}]"


def _describe(array: np.ndarray) -> str:
    return f"{array.dtype}[{'x'.join(map(str, array.shape))}]"


class CompiledModel:
    """A model compiled for this CPU. Call it with one NumPy array or torch
    tensor per input; it returns NumPy arrays, or torch tensors when any
    input was a torch tensor: the single output itself, or a tuple when the
    model has several (nested tuple/list outputs come flattened, in order)."""

    def __init__(self, library: pathlib.Path):
        self.library_path = pathlib.Path(library)
        try:
            self._lib = ctypes.CDLL(str(self.library_path),
                                    mode=ctypes.RTLD_LOCAL)
        except OSError as error:
            raise KilnError(f"{library}: cannot load the compiled model: "
                            f"{error}") from error
        lib = self._lib
        lib.kiln_model_abi_version.restype = ctypes.c_int32
        version = lib.kiln_model_abi_version()
        if version != ABI_VERSION:
            raise KilnError(f"{library}: the library implements C ABI "
                            f"version {version}, this package reads version "
                            f"{ABI_VERSION}; recompile the model")
        for direction in ("input", "output"):
            getattr(lib, f"kiln_model_{direction}_name").restype = \
                ctypes.c_char_p
            getattr(lib, f"kiln_model_{direction}_shape").restype = \
                ctypes.POINTER(ctypes.c_int64)
        lib.kiln_model_run.restype = ctypes.c_int32
        lib.kiln_model_run.argtypes = [ctypes.POINTER(ctypes.c_void_p),
                                       ctypes.POINTER(ctypes.c_void_p)]
        self.inputs = self._specs("input", lib.kiln_model_num_inputs())
        self.outputs = self._specs("output", lib.kiln_model_num_outputs())

    def _specs(self, direction: str, count: int) -> List[TensorSpec]:
        lib = self._lib
        specs = []
        for i in range(count):
            name = getattr(lib, f"kiln_model_{direction}_name")(i).decode()
            code = getattr(lib, f"kiln_model_{direction}_dtype")(i)
            rank = getattr(lib, f"kiln_model_{direction}_rank")(i)
            sizes = getattr(lib, f"kiln_model_{direction}_shape")(i)
            if code not in _DTYPES:
                raise KilnError(f"{self.library_path}: {direction} {i} "
                                f"'{name}' has element type code {code}, "
                                "which NumPy cannot hold (bfloat16)")
            specs.append(TensorSpec(name, _DTYPES[code],
                                    tuple(sizes[d] for d in range(rank))))
        return specs

    @property
    def num_threads(self) -> int:
        """Threads the model's kernels use (one pool per loaded library).
        Setting it to n > 0 fixes the count; 0 restores the default
        ($KILN_NUM_THREADS, else kiln-compile --threads, else every core)."""
        return int(self._thread_function("get")())

    @num_threads.setter
    def num_threads(self, count: int) -> None:
        if not isinstance(count, int) or count < 0:
            raise ValueError(f"num_threads must be an int >= 0, got {count!r}")
        self._thread_function("set")(count)

    def _thread_function(self, verb: str):
        try:
            function = getattr(self._lib, f"kiln_model_{verb}_num_threads")
        except AttributeError as error:
            raise KilnError(f"{self.library_path}: the library predates "
                            "thread control; recompile the model") from error
        function.restype = ctypes.c_int32
        function.argtypes = [ctypes.c_int32] if verb == "set" else []
        return function

    def __repr__(self) -> str:
        inputs = ", ".join(map(str, self.inputs))
        outputs = ", ".join(map(str, self.outputs))
        return f"<kiln.CompiledModel ({inputs}) -> ({outputs})>"

    def _convert_input(self, index: int, value) -> np.ndarray:
        spec = self.inputs[index]
        if is_torch_tensor(value):
            value = value.detach().cpu()
            if not value.is_contiguous():
                value = value.contiguous()
            array = value.numpy()
        elif isinstance(value, np.ndarray):
            array = value
        else:
            array = np.asarray(value)
            if array.dtype != spec.dtype and array.ndim == 0:
                array = array.astype(spec.dtype)  # a Python scalar
        if array.dtype != spec.dtype or array.shape != spec.shape:
            raise TypeError(f"input {index} {spec.name!r}: expected "
                            f"{spec.dtype}[{'x'.join(map(str, spec.shape))}],"
                            f" got {_describe(array)}")
        return np.ascontiguousarray(array)

    def __call__(self, *args):
        if len(args) != len(self.inputs):
            raise TypeError(f"the model takes {len(self.inputs)} inputs "
                            f"({', '.join(map(str, self.inputs))}), "
                            f"{len(args)} given")
        arrays = [self._convert_input(i, a) for i, a in enumerate(args)]
        results = [np.empty(s.shape, dtype=s.dtype) for s in self.outputs]
        input_ptrs = (ctypes.c_void_p * max(1, len(arrays)))(
            *[a.ctypes.data for a in arrays])
        output_ptrs = (ctypes.c_void_p * max(1, len(results)))(
            *[r.ctypes.data for r in results])
        status = self._lib.kiln_model_run(input_ptrs, output_ptrs)
        if status != 0:
            raise KilnError(f"{self.library_path}: kiln_model_run returned "
                            f"{status}")
        if any(is_torch_tensor(a) for a in args):
            import torch  # pylint: disable=import-outside-toplevel
            results = [torch.from_numpy(r) for r in results]
        return results[0] if len(results) == 1 else tuple(results)
