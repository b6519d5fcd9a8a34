"""Compares what an nn-to-linalg execution test printed with the expected
values nn_exec.py saved.

The runner prints one `Unranked Memref ... sizes = [...] ... data = [...]`
block per result, in case order; floats arrive as bit patterns. Float
results must match within the case's rtol/atol (NaN where, and only where,
NaN is expected; infinities exactly), integer results exactly. Prints one
line per mismatching result and exits non-zero if there is any.
"""

import json
import re
import sys
from typing import List, Tuple

import numpy as np

_BLOCK = re.compile(r"Unranked Memref base@ = \S+ rank = (\d+) offset = \d+ "
                    r"sizes = \[([^\]]*)\] strides = \[[^\]]*\] data = ")


def parse_output(text: str) -> List[Tuple[Tuple[int, ...], List[int]]]:
    """Returns (shape, integers) for each printed memref."""
    matches = list(_BLOCK.finditer(text))
    blocks = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) \
            else len(text)
        sizes = match.group(2).strip()
        shape = tuple(int(s) for s in sizes.split(",")) if sizes else ()
        data = [int(v) for v in re.findall(r"-?\d+", text[match.end():end])]
        blocks.append((shape, data))
    return blocks


def decode(expected: np.ndarray, data: List[int]) -> np.ndarray:
    """Turns printed integers back into values of the expected dtype."""
    if expected.dtype == np.float32:
        return np.array(data, dtype=np.int64).astype(np.int32).view(
            np.float32)
    if expected.dtype == np.float64:
        return np.array(data, dtype=np.int64).view(np.float64)
    return np.array(data, dtype=np.int64)


def main() -> int:
    expected_path, output_path = sys.argv[1], sys.argv[2]
    archive = np.load(expected_path)
    meta = json.loads(bytes(archive["__meta__"]).decode())
    with open(output_path) as f:
        blocks = parse_output(f.read())
    if len(blocks) != len(meta):
        print(f"expected {len(meta)} printed results, got {len(blocks)}")
        return 1
    failures = 0
    for entry, (shape, data) in zip(meta, blocks):
        expected = archive[entry["key"]]
        if shape != expected.shape:
            print(f"{entry['key']}: shape {shape}, expected {expected.shape}")
            failures += 1
            continue
        actual = decode(expected, data).reshape(expected.shape)
        if expected.dtype.kind == "f":
            wide = expected.astype(np.float64)
            got = actual.astype(np.float64)
            same_nan = np.array_equal(np.isnan(wide), np.isnan(got))
            close = np.isclose(got, wide, rtol=entry["rtol"],
                               atol=entry["atol"], equal_nan=True)
            ok = same_nan and bool(close.all())
        else:
            ok = np.array_equal(actual, expected.astype(np.int64))
            close = actual == expected.astype(np.int64)
        if not ok:
            failures += 1
            bad = np.argwhere(~close)
            where = tuple(bad[0]) if len(bad) else ()
            print(f"{entry['key']}: {int((~close).sum())} of {expected.size} "
                  f"values differ; first at {where}: got "
                  f"{actual[where] if where else actual}, expected "
                  f"{expected[where] if where else expected}")
    print(f"checked {len(meta)} results, {failures} mismatching")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
