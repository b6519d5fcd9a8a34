"""Builds execution tests for nn-to-linalg.

A test script describes cases: nn IR over function arguments plus the values
PyTorch or NumPy computes for the same inputs. `ExecModule.write` emits one
MLIR file in which `@main` calls every case with fixed-seed random inputs held
as dense constants and prints each result with `printMemrefI32/I64`: floats
are printed as their bit patterns, so the text carries every bit (and NaN),
and integers are widened to i64. The expected values go to an `.npz` file
that check_results.py compares against the runner's output.
"""

import argparse
import json
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

import numpy as np

# NumPy dtype -> MLIR element type. Unsigned storage uses signless types.
_ELEMENT_TYPES = {
    np.dtype(np.float32): "f32",
    np.dtype(np.float64): "f64",
    np.dtype(np.int64): "i64",
    np.dtype(np.int32): "i32",
    np.dtype(np.int16): "i16",
    np.dtype(np.int8): "i8",
    np.dtype(np.uint8): "i8",
    np.dtype(np.uint16): "i16",
    np.dtype(np.uint32): "i32",
    np.dtype(np.uint64): "i64",
    np.dtype(np.bool_): "i1",
}


def element_type(array: np.ndarray) -> str:
    """Returns the MLIR element type of `array`."""
    return _ELEMENT_TYPES[array.dtype]


def tensor_type(array: np.ndarray, shape: Optional[Sequence] = None) -> str:
    """Returns `tensor<...>` for `array`, or for `shape` (may hold '?')."""
    dims = list(array.shape if shape is None else shape)
    prefix = "".join(f"{d}x" for d in dims)
    return f"tensor<{prefix}{element_type(array)}>"


def dense_literal(array: np.ndarray) -> str:
    """Returns an exact dense<...> literal: raw little-endian bytes in hex,
    or a nested list of true/false for i1."""
    if array.dtype == np.bool_:
        def nested(a):
            if a.ndim == 0:
                return "true" if bool(a) else "false"
            return "[" + ", ".join(nested(x) for x in a) + "]"
        return f"dense<{nested(array)}>"
    data = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<"))
    return f'dense<"0x{data.tobytes().hex().upper()}">'


@dataclass
class Case:
    name: str
    args: List[np.ndarray]
    arg_types: List[str]
    body: str
    expected: List[np.ndarray]
    result_types: List[str]
    rtol: float
    atol: float


@dataclass
class ExecModule:
    """Collects cases and writes the MLIR test input and the expectations."""

    cases: List[Case] = field(default_factory=list)
    # Module-level functions the cases call (for example with quantized
    # signatures), and dense_resource blobs by name.
    functions: List[str] = field(default_factory=list)
    resources: Dict[str, np.ndarray] = field(default_factory=dict)

    def case(self, name: str, args: Sequence[np.ndarray], body: str,
             expected: Sequence[np.ndarray],
             arg_types: Optional[Sequence[Optional[str]]] = None,
             result_types: Optional[Sequence[Optional[str]]] = None,
             rtol: float = 1e-5, atol: float = 1e-6) -> None:
        """Adds a case. `body` uses %arg0.. and defines %r0.. (one per
        expected result); {t0}.. and {r0}.. expand to the argument and
        result types. `arg_types` / `result_types` override a type (for
        dynamic dimensions)."""
        args = [np.asarray(a) for a in args]
        expected = [np.asarray(e) for e in expected]
        arg_types = list(arg_types or [None] * len(args))
        result_types = list(result_types or [None] * len(expected))
        arg_types = [t or tensor_type(a) for t, a in zip(arg_types, args)]
        result_types = [t or tensor_type(e)
                        for t, e in zip(result_types, expected)]
        names = {f"t{i}": t for i, t in enumerate(arg_types)}
        names.update({f"r{i}": t for i, t in enumerate(result_types)})
        # Plain replacement, so that attribute dictionaries need no escaping.
        for key, value in names.items():
            body = body.replace("{" + key + "}", value)
        self.cases.append(Case(name, args, arg_types, body, expected,
                               result_types, rtol, atol))

    def _function(self, case: Case) -> str:
        params = ", ".join(f"%arg{i}: {t}"
                           for i, t in enumerate(case.arg_types))
        results = ", ".join(case.result_types)
        values = ", ".join(f"%r{i}" for i in range(len(case.expected)))
        body = "\n".join("  " + line.strip()
                         for line in case.body.strip().splitlines())
        return (f"func.func @{case.name}({params}) -> ({results}) {{\n"
                f"{body}\n  return {values} : {results}\n}}\n")

    @staticmethod
    def _print(lines: List[str], value: str, declared: str,
               expected: np.ndarray, tag: str) -> None:
        static = tensor_type(expected)
        if declared != static:
            lines.append(f"  %{tag}_s = tensor.cast {value} : {declared} "
                         f"to {static}")
            value = f"%{tag}_s"
        elem = element_type(expected)
        if expected.dtype in (np.float32, np.int32):
            out_elem, printer = "i32", "printMemrefI32"
        else:
            out_elem, printer = "i64", "printMemrefI64"
        if expected.dtype == np.float32:
            convert = f"arith.bitcast %a : {elem} to i32"
        elif expected.dtype == np.float64:
            convert = f"arith.bitcast %a : {elem} to i64"
        elif expected.dtype in (np.uint8, np.uint16, np.uint32, np.bool_):
            convert = f"arith.extui %a : {elem} to i64"
        elif expected.dtype in (np.int8, np.int16):
            convert = f"arith.extsi %a : {elem} to i64"
        else:
            convert = None
        printed = tensor_type(expected).replace(elem + ">", out_elem + ">")
        if convert:
            rank = expected.ndim
            dims = ", ".join(f"d{i}" for i in range(rank))
            identity = f"affine_map<({dims}) -> ({dims})>"
            iterators = ", ".join(['"parallel"'] * rank)
            lines += [
                f"  %{tag}_e = tensor.empty() : {printed}",
                f"  %{tag}_c = linalg.generic {{indexing_maps = [{identity}, "
                f"{identity}], iterator_types = [{iterators}]}} ins({value} "
                f": {static}) outs(%{tag}_e : {printed}) {{",
                f"  ^bb0(%a: {elem}, %o: {out_elem}):",
                f"    %c = {convert}",
                f"    linalg.yield %c : {out_elem}",
                f"  }} -> {printed}",
            ]
            value = f"%{tag}_c"
        lines += [
            f"  %{tag}_u = tensor.cast {value} : {printed} to "
            f"tensor<*x{out_elem}>",
            f"  call @{printer}(%{tag}_u) : (tensor<*x{out_elem}>) -> ()",
        ]

    def _main(self) -> str:
        lines = ["func.func @main() {"]
        for c, case in enumerate(self.cases):
            operands = []
            for i, (arg, declared) in enumerate(zip(case.args,
                                                    case.arg_types)):
                static = tensor_type(arg)
                lines.append(f"  %c{c}_a{i} = arith.constant "
                             f"{dense_literal(arg)} : {static}")
                operand = f"%c{c}_a{i}"
                if declared != static:
                    lines.append(f"  %c{c}_d{i} = tensor.cast {operand} : "
                                 f"{static} to {declared}")
                    operand = f"%c{c}_d{i}"
                operands.append(operand)
            results = ", ".join(f"%c{c}_r{j}"
                                for j in range(len(case.expected)))
            lines.append(
                f"  {results} = call @{case.name}({', '.join(operands)}) : "
                f"({', '.join(case.arg_types)}) -> "
                f"({', '.join(case.result_types)})")
            for j, (expected, declared) in enumerate(zip(case.expected,
                                                         case.result_types)):
                self._print(lines, f"%c{c}_r{j}", declared, expected,
                            f"c{c}_p{j}")
        lines += ["  return", "}"]
        return "\n".join(lines) + "\n"

    def write(self, mlir_path: str, expected_path: str) -> None:
        """Writes the MLIR module and the expected results."""
        with open(mlir_path, "w") as f:
            f.write("// Generated by nn_exec.py; do not edit.\n")
            for function in self.functions:
                f.write(function.strip() + "\n")
            for case in self.cases:
                f.write(self._function(case))
            f.write("func.func private @printMemrefI32(tensor<*xi32>)\n")
            f.write("func.func private @printMemrefI64(tensor<*xi64>)\n")
            f.write(self._main())
            if self.resources:
                # A blob is its alignment (4 bytes, little-endian), then data.
                blobs = ",\n".join(
                    f'    {name}: "0x{array.dtype.itemsize:02X}000000'
                    f'{np.ascontiguousarray(array).tobytes().hex().upper()}"'
                    for name, array in self.resources.items())
                f.write("{-#\n  dialect_resources: {\n    builtin: {\n"
                        f"{blobs}\n    }}\n  }}\n#-}}\n")
        arrays: Dict[str, np.ndarray] = {}
        meta = []
        for case in self.cases:
            for j, expected in enumerate(case.expected):
                key = f"{case.name}.{j}"
                arrays[key] = expected
                meta.append({"key": key, "rtol": case.rtol,
                             "atol": case.atol})
        arrays["__meta__"] = np.frombuffer(json.dumps(meta).encode(),
                                           dtype=np.uint8)
        np.savez(expected_path, **arrays)


def parse_args() -> argparse.Namespace:
    """The command line every generator script takes."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-o", dest="mlir", required=True,
                        help="MLIR test input to write")
    parser.add_argument("--expected", required=True,
                        help=".npz file of expected results to write")
    return parser.parse_args()


def dyadic(rng: np.random.Generator, *shape: int, scale: int = 8,
           limit: int = 16) -> np.ndarray:
    """Random float32 multiples of 1/scale in [-limit/scale, limit/scale]:
    sums and products of these are exact in float32, so contractions can be
    compared without depending on summation order."""
    return (rng.integers(-limit, limit + 1, size=shape) / scale).astype(
        np.float32)


def uniform(rng: np.random.Generator, *shape: int, low: float = -3.0,
            high: float = 3.0) -> np.ndarray:
    """Random float32 values in [low, high)."""
    return rng.uniform(low, high, size=shape).astype(np.float32)
