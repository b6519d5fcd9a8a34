//===- NNQuantOps.td - quantize and dequantize -------------*- tablegen -*-===//
//
// Conversions between float tensors and tensors of upstream `quant` element
// types. Rounding follows ONNX QuantizeLinear: round half to even, saturate.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_NN_NNQUANTOPS_TD
#define KILN_DIALECTS_NN_NNQUANTOPS_TD

include "dialects/nn/NNBase.td"

def NN_QuantizeOp : NN_Op<"quantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "float tensor to a quantized tensor";
  let description = [{
    `q = saturate(round_half_even(x / scale) + zero_point)` with the scale and
    zero point of the result's `!quant.uniform` element type (per tensor, or
    per channel along its quantized dimension). The expressed type of the
    quantized type is the input's element type.

    ```mlir
    %q = nn.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.5:-3>>
    ```
  }];
  let arguments = (ins NN_FloatTensor:$input);
  let results = (outs NN_QuantizedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def NN_DequantizeOp : NN_Op<"dequantize", [Pure, SameOperandsAndResultShape]> {
  let summary = "quantized tensor to a float tensor";
  let description = [{
    `x = (q - zero_point) * scale`; the result's element type is the
    quantized type's expressed type.
  }];
  let arguments = (ins NN_QuantizedTensor:$input);
  let results = (outs NN_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

#endif // KILN_DIALECTS_NN_NNQUANTOPS_TD
