// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// Verifier errors of the nn dialect (every emitError in NNTypeInference.cpp
// and NNVerifiers.cpp has a case in one of the invalid*.mlir files).

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

// Tests that nn.quantize rejects a quantized type that is not uniform.
func.func @quantize_not_uniform(%x: tensor<4xf32>) {
  // expected-error @below {{'nn.quantize' op supports per-tensor and per-axis !quant.uniform element types only, got '!quant.any<i8:f32>'}}
  %0 = nn.quantize %x : tensor<4xf32> -> tensor<4x!quant.any<i8:f32>>
  return
}

// -----

// Tests that nn.dequantize rejects a quantized type that is not uniform.
func.func @dequantize_not_uniform(%x: tensor<4x!quant.calibrated<f32<-1.0:1.0>>>) {
  // expected-error @below {{'nn.dequantize' op supports per-tensor and per-axis !quant.uniform element types only}}
  %0 = nn.dequantize %x : tensor<4x!quant.calibrated<f32<-1.0:1.0>>> -> tensor<4xf32>
  return
}

// -----

// Tests that nn.quantize rejects an input other than the expressed type.
func.func @quantize_expressed_type(%x: tensor<4xf16>) {
  // expected-error @below {{'nn.quantize' op quantized type expresses 'f32' but the float side is 'f16'}}
  %0 = nn.quantize %x : tensor<4xf16> -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
  return
}

// -----

// Tests that nn.dequantize rejects a result other than the expressed type.
func.func @dequantize_expressed_type(%x: tensor<4x!quant.uniform<i8:f32, 5.000000e-01>>) {
  // expected-error @below {{'nn.dequantize' op quantized type expresses 'f32' but the float side is 'bf16'}}
  %0 = nn.dequantize %x : tensor<4x!quant.uniform<i8:f32, 5.000000e-01>> -> tensor<4xbf16>
  return
}

// -----

// Tests that nn.quantize rejects a per-axis dimension outside the rank.
func.func @quantize_per_axis_dimension(%x: tensor<2x3xf32>) {
  // expected-error @below {{'nn.quantize' op quantized dimension 2 is out of range for rank 2}}
  %0 = nn.quantize %x : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32:2, {1.0, 2.0}>>
  return
}

// -----

// Tests that nn.dequantize rejects a per-axis dimension outside the rank.
func.func @dequantize_per_axis_dimension(%x: tensor<3x!quant.uniform<i8:f32:1, {1.0, 2.0, 3.0}>>) {
  // expected-error @below {{'nn.dequantize' op quantized dimension 1 is out of range for rank 1}}
  %0 = nn.dequantize %x : tensor<3x!quant.uniform<i8:f32:1, {1.0, 2.0, 3.0}>> -> tensor<3xf32>
  return
}

// -----

// Tests that nn.quantize rejects a per-axis scale count != the dim size.
func.func @quantize_per_axis_scales(%x: tensor<2x3xf32>) {
  // expected-error @below {{'nn.quantize' op per-axis type has 2 scales but dimension 1 has size 3}}
  %0 = nn.quantize %x : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32:1, {1.0, 2.0}>>
  return
}

// -----

// Tests that nn.dequantize rejects a per-axis scale count != the dim size.
func.func @dequantize_per_axis_scales(%x: tensor<2x3x!quant.uniform<i8:f32:0, {1.0, 2.0, 3.0}>>) {
  // expected-error @below {{'nn.dequantize' op per-axis type has 3 scales but dimension 0 has size 2}}
  %0 = nn.dequantize %x : tensor<2x3x!quant.uniform<i8:f32:0, {1.0, 2.0, 3.0}>> -> tensor<2x3xf32>
  return
}

// -----

// Tests that nn.quantize rejects a non-quantized result (ODS constraint).
func.func @quantize_integer_result(%x: tensor<4xf32>) {
  // expected-error @below {{result #0 must be ranked tensor of quantized type values}}
  %0 = nn.quantize %x : tensor<4xf32> -> tensor<4xi8>
  return
}

// -----

//===----------------------------------------------------------------------===//
// nn.fusion and nn.yield
//===----------------------------------------------------------------------===//

// Tests that nn.fusion rejects block argument types unlike the inputs'.
func.func @fusion_argument_types(%x: tensor<4xf32>) {
  // expected-error @below {{'nn.fusion' op body arguments must have the types of the inputs}}
  %0 = nn.fusion (%x) : (tensor<4xf32>) -> tensor<4xf16> {
  ^bb0(%a: tensor<4xf16>):
    nn.yield %a : tensor<4xf16>
  }
  return
}

// -----

// Tests that nn.fusion rejects a body with fewer arguments than inputs.
func.func @fusion_argument_count(%x: tensor<4xf32>, %y: tensor<4xf32>) {
  // expected-error @below {{'nn.fusion' op body arguments must have the types of the inputs}}
  %0 = nn.fusion (%x, %y) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    nn.yield %a : tensor<4xf32>
  }
  return
}

// -----

// Tests that nn.fusion rejects a body that does not end in nn.yield.
func.func @fusion_missing_yield(%x: tensor<4xf32>) {
  // expected-error @below {{'nn.fusion' op body must end in nn.yield}}
  %0 = nn.fusion (%x) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    %r = nn.relu %a : tensor<4xf32>
  }
  return
}

// -----

// Tests that nn.fusion rejects yielded types unlike the result types.
func.func @fusion_yield_types(%x: tensor<4xf32>) {
  // expected-error @below {{'nn.fusion' op yielded types must match the result types}}
  %0 = nn.fusion (%x) : (tensor<4xf32>) -> tensor<4xi32> {
  ^bb0(%a: tensor<4xf32>):
    nn.yield %a : tensor<4xf32>
  }
  return
}

// -----

// Tests that nn.fusion rejects a yield with more values than results.
func.func @fusion_yield_count(%x: tensor<4xf32>) {
  // expected-error @below {{'nn.fusion' op yielded types must match the result types}}
  %0 = nn.fusion (%x) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    nn.yield %a, %a : tensor<4xf32>, tensor<4xf32>
  }
  return
}

// -----

// Tests that nn.fusion rejects an empty body block (SingleBlock trait).
func.func @fusion_empty_body() {
  // expected-error @below {{'nn.fusion' op expects a non-empty block}}
  nn.fusion () : () -> () {
  ^bb0:
  }
  return
}

// -----

// Tests that nn.fusion rejects a body of two blocks (SingleBlock trait).
func.func @fusion_two_blocks(%x: tensor<4xf32>) {
  // expected-error @below {{'nn.fusion' op expects region #0 to have 0 or 1 blocks}}
  %0 = "nn.fusion"(%x) ({
  ^bb0(%a: tensor<4xf32>):
    "nn.yield"(%a) : (tensor<4xf32>) -> ()
  ^bb1:
    "nn.yield"(%a) : (tensor<4xf32>) -> ()
  }) : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// Tests that the nn.fusion body cannot use outside values (IsolatedFromAbove).
func.func @fusion_uses_outside_value(%x: tensor<4xf32>) {
  // expected-note @below {{required by region isolation constraints}}
  %0 = nn.fusion (%x) : (tensor<4xf32>) -> tensor<4xf32> {
  ^bb0(%a: tensor<4xf32>):
    // expected-error @below {{'nn.yield' op using value defined outside the region}}
    nn.yield %x : tensor<4xf32>
  }
  return
}

// -----

// Tests that nn.yield is only allowed inside nn.fusion.
func.func @yield_outside_fusion(%x: tensor<4xf32>) {
  // expected-error @below {{'nn.yield' op expects parent op 'nn.fusion'}}
  nn.yield %x : tensor<4xf32>
}
