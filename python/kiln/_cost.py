"""kiln.cost: the per-layer cost table of `kiln-cost`."""

import json
from typing import List, NamedTuple, Optional, Sequence

from ._prepare import prepared_model
from ._tools import KilnError


class LayerCost(NamedTuple):
    """One layer (nn op) of a model: its analytical work counts."""
    index: int
    name: str        # the ONNX node or TorchScript value it came from
    op: str          # the nn op, such as "nn.conv2d"
    output: str      # its (first) result type, such as "1x64x56x56xf32"
    flops: float
    bytes_read: float
    bytes_written: float
    intensity: float  # FLOPs per byte moved


class CostReport:
    """The cost table of a model: `layers` (LayerCost rows, in program
    order) and `total`. str() formats it as kiln-cost prints it."""

    def __init__(self, report: dict, target: str):
        self.target = target
        self.function = report["function"]
        self.layers: List[LayerCost] = [
            LayerCost(row["index"], row["name"], row["op"], row["output"],
                      row["flops"], row["bytes_read"], row["bytes_written"],
                      row["intensity"]) for row in report["layers"]]
        total = report["total"]
        self.total = LayerCost(-1, "total", "", "", total["flops"],
                               total["bytes_read"], total["bytes_written"],
                               total["intensity"])

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self):
        return iter(self.layers)

    def __repr__(self) -> str:
        return (f"<kiln.CostReport {len(self.layers)} layers, "
                f"{self.total.flops:.4g} FLOPs, "
                f"{self.total.bytes_read + self.total.bytes_written:.4g} "
                "bytes>")

    def __str__(self) -> str:
        header = ("#", "layer", "op", "output", "FLOPs", "read (B)",
                  "written (B)", "FLOP/B")
        rows = [(str(l.index), l.name[:32], l.op, l.output, f"{l.flops:.4g}",
                 f"{l.bytes_read:.4g}", f"{l.bytes_written:.4g}",
                 f"{l.intensity:.2f}") for l in self.layers]
        t = self.total
        rows.append(("total", "", "", "", f"{t.flops:.4g}",
                     f"{t.bytes_read:.4g}", f"{t.bytes_written:.4g}",
                     f"{t.intensity:.2f}"))
        widths = [max(len(r[i]) for r in rows + [header])
                  for i in range(len(header))]
        lines = []
        for r in [header] + rows:
            cells = [c.ljust(w) if i < 4 else c.rjust(w)
                     for i, (c, w) in enumerate(zip(r, widths))]
            lines.append("  ".join(cells).rstrip())
        return "\n".join(lines)


def cost(model, example_inputs=None, *, target: str = "cpu",
         input_shapes: Optional[Sequence[str]] = None) -> CostReport:
    """Returns the per-layer cost table of `model` (what kiln.compile
    accepts: an nn.Module with example inputs, or a .pt/.onnx/.mlir path).

    Until the learned cost model lands (roadmap step 4) the table holds the
    analytical counts every prediction starts from: FLOPs, bytes read and
    written, and arithmetic intensity per layer; they do not depend on
    `target`, which is checked and recorded."""
    from . import TARGETS  # pylint: disable=import-outside-toplevel
    if target not in TARGETS:
        raise KilnError(f"unknown target '{target}' (supported: "
                        f"{', '.join(TARGETS)})")
    with prepared_model(model, example_inputs, input_shapes) as (prepared,
                                                                  _):
        return CostReport(json.loads(prepared.run("kiln-cost", ["--json"])),
                          target)
