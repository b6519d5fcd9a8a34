"""kiln.cost: the per-layer cost table of `kiln-cost`."""

import json
from typing import List, NamedTuple, Optional, Sequence

from ._prepare import prepared_model
from ._tools import KilnError

# Targets kiln.cost predicts for (built-in names; a spec file works too).
COST_TARGETS = ("cpu", "sm_80", "sm_90", "u250")


class LayerCost(NamedTuple):
    """One layer (nn op) of a model: its work and predicted latency."""
    index: int
    name: str        # the ONNX node or PyTorch module it came from
    op: str          # the nn op, such as "nn.conv2d"
    output: str      # its (first) result type, such as "1x64x56x56xf32"
    flops: float
    bytes_read: float
    bytes_written: float
    intensity: float  # FLOPs per byte moved
    bound: str = ""   # "compute", "memory", "overhead" or "none" (a view)
    latency_us: float = 0.0
    latency_low_us: float = 0.0   # the band the true latency is expected in
    latency_high_us: float = 0.0


class CostReport:
    """The cost table of a model: `layers` (LayerCost rows, in program
    order) and `total`. str() formats it as kiln-cost prints it."""

    def __init__(self, report: dict, target: str):
        self.target = target
        self.function = report["function"]
        self.predictor = report["predictor"]  # "roofline" or a model dir
        self.layers: List[LayerCost] = [
            LayerCost(row["index"], row["name"], row["op"], row["output"],
                      row["flops"], row["bytes_read"], row["bytes_written"],
                      row["intensity"], row["bound"], row["latency_us"],
                      row["latency_low_us"], row["latency_high_us"])
            for row in report["layers"]]
        total = report["total"]
        self.total = LayerCost(-1, "total", "", "", total["flops"],
                               total["bytes_read"], total["bytes_written"],
                               total["intensity"], "",
                               total["latency_ms"] * 1e3,
                               total["latency_low_ms"] * 1e3,
                               total["latency_high_ms"] * 1e3)
        #: Predicted latency of the whole model in milliseconds.
        self.latency_ms = total["latency_ms"]

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self):
        return iter(self.layers)

    def __repr__(self) -> str:
        return (f"<kiln.CostReport {len(self.layers)} layers on "
                f"{self.target}, {self.total.flops:.4g} FLOPs, "
                f"{self.latency_ms:.4g} ms>")

    def __str__(self) -> str:
        header = ("#", "layer", "op", "output", "FLOPs", "read (B)",
                  "written (B)", "FLOP/B", "bound", "us")
        rows = [(str(l.index), l.name[:32], l.op, l.output, f"{l.flops:.4g}",
                 f"{l.bytes_read:.4g}", f"{l.bytes_written:.4g}",
                 f"{l.intensity:.2f}", l.bound, f"{l.latency_us:.3g}")
                for l in self.layers]
        t = self.total
        rows.append(("total", "", "", "", f"{t.flops:.4g}",
                     f"{t.bytes_read:.4g}", f"{t.bytes_written:.4g}",
                     f"{t.intensity:.2f}", "", f"{t.latency_us:.3g}"))
        widths = [max(len(r[i]) for r in rows + [header])
                  for i in range(len(header))]
        lines = []
        for r in [header] + rows:
            cells = [c.ljust(w) if i < 4 or i == 8 else c.rjust(w)
                     for i, (c, w) in enumerate(zip(r, widths))]
            lines.append("  ".join(cells).rstrip())
        return "\n".join(lines)


def cost(model, example_inputs=None, *, target: str = "cpu",
         input_shapes: Optional[Sequence[str]] = None) -> CostReport:
    """Returns the per-layer cost table of `model` (what kiln.compile
    accepts: an nn.Module with example inputs, or a .pt/.onnx/.mlir path)
    on `target`: "cpu" (this machine, measured by `kiln-cost fingerprint` the
    first time), "sm_80", "sm_90", "u250", or a target spec .json file.
    Each layer has its FLOPs, bytes, arithmetic intensity, what bounds it
    and its predicted latency with a band (see docs/costmodel.md)."""
    if target not in COST_TARGETS and not str(target).endswith(".json"):
        raise KilnError(f"unknown target '{target}' (expected "
                        f"{', '.join(COST_TARGETS)} or a spec .json file)")
    with prepared_model(model, example_inputs, input_shapes) as (prepared,
                                                                  _):
        return CostReport(json.loads(prepared.run(
            "kiln-cost", ["--json", f"--target={target}"])), target)
