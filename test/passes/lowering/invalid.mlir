// RUN: kiln-opt %s --nn-to-linalg --split-input-file -verify-diagnostics

// Tests that the conversion is full: an op that still carries a quantized
// type and has no lowering (upstream quant.qcast, which truncates where
// nn.quantize rounds) fails the pass and is named, instead of leaving a
// partially lowered module.
func.func @upstream_qcast(%x: tensor<2xf32>) -> tensor<2x!quant.uniform<i8:f32, 0.5>> {
  // expected-error @+1 {{failed to legalize operation 'quant.qcast'}}
  %q = quant.qcast %x : tensor<2xf32> to tensor<2x!quant.uniform<i8:f32, 0.5>>
  return %q : tensor<2x!quant.uniform<i8:f32, 0.5>>
}

// -----

// Tests that the same holds for a quantized value produced by nn ops and
// consumed by an op without a lowering.
func.func @upstream_dcast(%x: tensor<2xf32>) -> tensor<2xf32> {
  %q = nn.quantize %x : tensor<2xf32> -> tensor<2x!quant.uniform<i8:f32, 0.5>>
  // expected-error @+1 {{failed to legalize operation 'quant.dcast'}}
  %d = quant.dcast %q : tensor<2x!quant.uniform<i8:f32, 0.5>> to tensor<2xf32>
  return %d : tensor<2xf32>
}

// -----

// Tests that an op of another dialect on quantized tensors is not left with
// types that no longer match its converted operands.
func.func @quantized_tensor_cast(%q: tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<?x!quant.uniform<i8:f32, 0.5>> {
  // expected-error @+1 {{failed to legalize operation 'tensor.cast'}}
  %c = tensor.cast %q : tensor<4x!quant.uniform<i8:f32, 0.5>> to tensor<?x!quant.uniform<i8:f32, 0.5>>
  return %c : tensor<?x!quant.uniform<i8:f32, 0.5>>
}
