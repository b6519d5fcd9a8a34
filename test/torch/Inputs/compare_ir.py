#!/usr/bin/env python3
"""Compares the nn dataflow graphs of two MLIR files up to naming.

  compare_ir.py A.mlir B.mlir

Each value gets a structural hash: a function argument by its position and
type, a constant by its type (values are weights, not structure), an op's
result by its op name, attributes, type signature and the hashes of its
operands. The files match when their functions return values of the same
hashes; independent ops may come in either order (TorchScript and ONNX
exporters order branches differently). Prints "same: N ops" or what differs
and exits 1.
"""

import collections
import hashlib
import re
import sys

OP = re.compile(r"^\s*(%[\w.#]+) = (nn\.[a-z_0-9]+)(.*)$")
RETURN = re.compile(r"^\s*(?:func\.)?return (.*?) :")
VALUE = re.compile(r"%[\w.#]+")


def graph(path: str):
    """Returns (hashes of returned values, op-hash counter, op texts)."""
    hashes, ops, texts = {}, collections.Counter(), {}
    returned = []
    for line in open(path, encoding="utf-8"):
        match = OP.match(line)
        if match:
            result, name, rest = match.groups()
            if name == "nn.constant":
                key = "const" + rest.split(":")[-1]
            else:
                operands = [hashes.get(v, v) for v in VALUE.findall(rest)]
                shape = VALUE.sub("%", rest).strip()
                key = name + shape + "(" + ",".join(operands) + ")"
                texts[hashlib.sha1(key.encode()).hexdigest()[:16]] = (
                    name + " " + shape)
            digest = hashlib.sha1(key.encode()).hexdigest()[:16]
            hashes[result] = digest
            if name != "nn.constant":
                ops[digest] += 1
            continue
        match = RETURN.match(line)
        if match:
            returned = [hashes.get(v, v) for v in VALUE.findall(match.group(1))]
    # Function arguments: %arg<i> stand for themselves (position is naming
    # enough); their types appear in each consumer's signature.
    return returned, ops, texts


def main() -> int:
    ret_a, ops_a, texts_a = graph(sys.argv[1])
    ret_b, ops_b, texts_b = graph(sys.argv[2])
    if ret_a == ret_b and ops_a == ops_b:
        print(f"same: {sum(ops_a.values())} ops")
        return 0
    only_a = ops_a - ops_b
    only_b = ops_b - ops_a
    print(f"differ: {sum(ops_a.values())} vs {sum(ops_b.values())} ops")
    for digest in list(only_a)[:3]:
        print("  only in A:", texts_a[digest])
    for digest in list(only_b)[:3]:
        print("  only in B:", texts_b[digest])
    return 1


if __name__ == "__main__":
    sys.exit(main())
