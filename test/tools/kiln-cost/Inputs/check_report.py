#!/usr/bin/env python3
"""Checks a `kiln-cost --json` report for internal consistency: totals are
the sums of the rows; an elementwise ReLU does one FLOP per element and moves
its input and output; every layer that runs costs at least nothing and its
band holds its prediction; FPGA resources stay within the device's.

  check_report.py REPORT.json
"""

import json
import sys

report = json.load(open(sys.argv[1]))
rows, total = report["layers"], report["total"]
assert [l["op"] for l in rows] == ["nn.conv2d", "nn.relu",
                                   "nn.global_avg_pool", "nn.flatten",
                                   "nn.gemm"], [l["op"] for l in rows]
for key in ("flops", "bytes_read", "bytes_written"):
    assert abs(sum(l[key] for l in rows) - total[key]) <= 1e-9 * total[key]
relu = rows[1]
assert relu["flops"] == 2 * 4 * 8 * 8
assert relu["bytes_read"] == relu["bytes_written"] == 4 * relu["flops"]
for layer in rows:
    assert 0 <= layer["latency_low_us"] <= layer["latency_us"] <= \
        layer["latency_high_us"], layer
    assert layer["bound"] in ("compute", "memory", "overhead", "none")
assert rows[3]["bound"] == "none" and rows[3]["latency_us"] == 0
assert abs(sum(l["latency_us"] for l in rows) / 1e3 -
           total["latency_ms"]) <= 1e-9 + 1e-9 * total["latency_ms"]
suffix = ""
if report["target"]["kind"] == "fpga":
    for layer in rows[:3] + rows[4:]:
        fpga = layer["fpga"]
        assert 0 <= fpga["dsp"] <= 12288 and fpga["cycles"] > 0, fpga
    suffix = " (fpga resources within 12288 DSP)"
print(f"report ok: {len(rows)} layers on {report['target']['name']}{suffix}")
