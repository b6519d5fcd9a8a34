"""Execution cases for quantize / dequantize, with ONNX QuantizeLinear's
reference formula in NumPy as the expected values:
clip(rint(x / scale) + zero_point, qmin, qmax) in float32, where rint rounds
half to even. The inputs include exact .5 ties and values far outside the
storage range (saturation), unsigned and narrow-range storage, per-axis
types, a quantized dense_resource weight, and quantized tensors passed
through function signatures and the data-movement ops. quant.scast exposes
the raw storage integers."""

import os
import sys

import numpy as np

sys.dont_write_bytecode = True  # keep the source tree clean
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nn_exec import ExecModule, parse_args, uniform  # noqa: E402

I8 = "!quant.uniform<i8:f32, 5.000000e-01:-3>"


def quantize(x, scale, zero_point, qmin, qmax, dtype):
    """ONNX QuantizeLinear (reference implementation) in float32."""
    scaled = np.rint(x / np.float32(scale)) + np.float32(zero_point)
    return np.clip(scaled, qmin, qmax).astype(dtype)


def dequantize(q, scale, zero_point):
    """ONNX DequantizeLinear (reference implementation) in float32."""
    return ((q.astype(np.float32) - np.float32(zero_point))
            * np.float32(scale)).astype(np.float32)


def quantized(shape: str, qtype: str) -> str:
    return f"tensor<{shape}x{qtype}>"


def main() -> None:
    args = parse_args()
    rng = np.random.default_rng(5)
    m = ExecModule()
    quantize_body = ("%q = nn.quantize %arg0 : {{t0}} -> {q}\n"
                     "%r0 = quant.scast %q : {q} to {{r0}}")

    # Ties at .5 round to even; large values saturate; random values.
    ties = np.array([0.25, 0.75, 1.25, -0.25, -0.75, -1.25, 2.25, 3.75,
                     100.0, -100.0, 63.0, 65.0, 66.0, -62.5, -62.75, 0.0],
                    dtype=np.float32)
    x = np.concatenate([ties, uniform(rng, 16, low=-80.0, high=80.0)])
    m.case("quantize_i8", [x],
           quantize_body.format(q=quantized("32", I8)),
           [quantize(x, 0.5, -3, -128, 127, np.int8)])
    u8 = "!quant.uniform<u8:f32, 1.000000e-01:128>"
    x = np.concatenate([np.array([-20.0, 20.0, -12.85, 12.75, 0.05, -0.05],
                                 dtype=np.float32),
                        uniform(rng, 10, low=-15.0, high=15.0)])
    m.case("quantize_u8", [x], quantize_body.format(q=quantized("16", u8)),
           [quantize(x, 0.1, 128, 0, 255, np.uint8)])
    narrow = "!quant.uniform<i8<-127:127>:f32, 5.000000e-01>"
    x = np.array([-100.0, -63.75, -63.25, 63.25, 63.75, 100.0, 0.25, -0.75],
                 dtype=np.float32)
    m.case("quantize_narrow", [x],
           quantize_body.format(q=quantized("8", narrow)),
           [quantize(x, 0.5, 0, -127, 127, np.int8)])
    scales, zero_points = [0.5, 0.25, 2.0, 1.0], [1, -2, 0, 5]
    per_axis = ("!quant.uniform<i8:f32:1, {5.000000e-01:1,2.500000e-01:-2,"
                "2.000000e+00:0,1.000000e+00:5}>")
    x = uniform(rng, 3, 4, low=-40.0, high=40.0)
    x[0, :] = [0.25, 0.375, 3.0, 0.5]  # ties in every channel
    expected = np.stack([quantize(x[:, c], scales[c], zero_points[c], -128,
                                  127, np.int8) for c in range(4)], axis=1)
    m.case("quantize_per_axis", [x],
           quantize_body.format(q=quantized("3x4", per_axis)), [expected])

    dequantize_body = ("%q = quant.scast %arg0 : {{t0}} to {q}\n"
                       "%r0 = nn.dequantize %q : {q} -> {{r0}}")
    q = rng.integers(-128, 128, size=(10,)).astype(np.int8)
    m.case("dequantize_i8", [q], dequantize_body.format(q=quantized("10", I8)),
           [dequantize(q, 0.5, -3)])
    qu = rng.integers(0, 256, size=(6,)).astype(np.uint8)
    m.case("dequantize_u8", [qu], dequantize_body.format(q=quantized("6", u8)),
           [dequantize(qu, 0.1, 128)])
    q2 = rng.integers(-128, 128, size=(2, 4)).astype(np.int8)
    expected = np.stack([dequantize(q2[:, c], scales[c], zero_points[c])
                         for c in range(4)], axis=1)
    m.case("dequantize_per_axis", [q2],
           dequantize_body.format(q=quantized("2x4", per_axis)), [expected])
    # A quantized weight stored as a dense_resource blob of storage bytes.
    weights = rng.integers(-128, 128, size=(2, 3)).astype(np.int8)
    m.resources["quantized_weights"] = weights
    m.case("dequantize_resource", [],
           f"%q = nn.constant dense_resource<quantized_weights> : "
           f"{quantized('2x3', I8)}\n"
           f"%r0 = nn.dequantize %q : {quantized('2x3', I8)} -> {{r0}}",
           [dequantize(weights, 0.5, -3)])
    x = uniform(rng, 2, 5, low=-70.0, high=70.0)
    m.case("fake_quantize", [x],
           f"%q = nn.quantize %arg0 : {{t0}} -> {quantized('2x5', I8)}\n"
           f"%r0 = nn.dequantize %q : {quantized('2x5', I8)} -> {{r0}}",
           [dequantize(quantize(x, 0.5, -3, -128, 127, np.int8), 0.5, -3)])

    # Quantized tensors through a function signature and data movement.
    m.functions.append(f"""
func.func @quantized_layout(%q: {quantized('2x3', I8)}, %i: tensor<2xi64>)
    -> ({quantized('4x3', I8)}, {quantized('6', I8)}) {{
  %t = nn.transpose %q {{perm = array<i64: 1, 0>}}
      : ({quantized('2x3', I8)}) -> {quantized('3x2', I8)}
  %f = nn.reshape %t : {quantized('3x2', I8)} -> {quantized('6', I8)}
  %s = nn.slice %q {{starts = array<i64: 1, 2>, ends = array<i64: -1, -1>,
      steps = array<i64: -1, -1>}} : ({quantized('2x3', I8)})
      -> {quantized('2x3', I8)}
  %g = nn.gather %q, %i {{axis = 0 : i64}}
      : ({quantized('2x3', I8)}, tensor<2xi64>) -> {quantized('2x3', I8)}
  %c = nn.concat %s, %g {{axis = 0 : i64}}
      : ({quantized('2x3', I8)}, {quantized('2x3', I8)})
      -> {quantized('4x3', I8)}
  return %c, %f : {quantized('4x3', I8)}, {quantized('6', I8)}
}}""")
    x = uniform(rng, 2, 3, low=-10.0, high=10.0)
    index = np.array([-1, 0], dtype=np.int64)
    qx = quantize(x, 0.5, -3, -128, 127, np.int8)
    m.case("quantized_through_call", [x, index],
           f"%q = nn.quantize %arg0 : {{t0}} -> {quantized('2x3', I8)}\n"
           f"%c, %f = call @quantized_layout(%q, %arg1) : "
           f"({quantized('2x3', I8)}, tensor<2xi64>) -> "
           f"({quantized('4x3', I8)}, {quantized('6', I8)})\n"
           f"%r0 = quant.scast %c : {quantized('4x3', I8)} to {{r0}}\n"
           f"%r1 = quant.scast %f : {quantized('6', I8)} to {{r1}}",
           [np.concatenate([qx[::-1, ::-1], qx[index]], axis=0),
            qx.T.reshape(6)])
    m.write(args.mlir, args.expected)


if __name__ == "__main__":
    main()
