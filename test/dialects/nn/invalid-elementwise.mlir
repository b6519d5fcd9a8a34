// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// Verifier errors of the nn dialect (every emitError in NNTypeInference.cpp
// and NNVerifiers.cpp has a case in one of the invalid*.mlir files).

//===----------------------------------------------------------------------===//
// Elementwise ops
//===----------------------------------------------------------------------===//

// Tests that a binary op rejects operands with different element types.
func.func @add_element_types_differ(%a: tensor<2xf32>, %b: tensor<2xf16>) {
  // expected-error @below {{operand element types differ: 'f32' vs 'f16'}}
  // expected-error @below {{'nn.add' op failed to infer returned types}}
  %0 = nn.add %a, %b : (tensor<2xf32>, tensor<2xf16>) -> tensor<2xf32>
  return
}

// -----

// Tests that a binary op rejects operand shapes that do not broadcast.
func.func @sub_not_broadcastable(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @below {{operand shapes 2x3 and 4 are not broadcast-compatible}}
  // expected-error @below {{'nn.sub' op failed to infer returned types}}
  %0 = nn.sub %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that a binary op rejects a result type other than the broadcast one.
func.func @mul_wrong_result(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @below {{inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<3x3xf32>'}}
  // expected-error @below {{'nn.mul' op failed to infer returned types}}
  %0 = nn.mul %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<3x3xf32>
  return
}

// -----

// Tests that a binary op rejects a result element type unlike its operands'.
func.func @div_wrong_result_element_type(%a: tensor<4xi32>, %b: tensor<4xi32>) {
  // expected-error @below {{inferred type(s) 'tensor<4xi32>' are incompatible}}
  // expected-error @below {{'nn.div' op failed to infer returned types}}
  %0 = nn.div %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi64>
  return
}

// -----

// Tests that a binary op rejects a quantized operand (ODS constraint).
func.func @add_quantized(%a: tensor<4x!quant.uniform<i8:f32, 0.5>>) {
  // expected-error @below {{operand #0 must be ranked tensor of floating-point or signless integer or unsigned integer values}}
  %0 = nn.add %a, %a : (tensor<4x!quant.uniform<i8:f32, 0.5>>, tensor<4x!quant.uniform<i8:f32, 0.5>>) -> tensor<4x!quant.uniform<i8:f32, 0.5>>
  return
}

// -----

// Tests that nn.where rejects a condition that does not broadcast with values.
func.func @where_condition_shape(%c: tensor<4xi1>, %a: tensor<2x3xf32>, %b: tensor<2x3xf32>) {
  // expected-error @below {{condition shape 4 does not broadcast with value shape 2x3}}
  // expected-error @below {{'nn.where' op failed to infer returned types}}
  %0 = nn.where %c, %a, %b : (tensor<4xi1>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that nn.where rejects values with different element types.
func.func @where_value_element_types(%c: tensor<3xi1>, %a: tensor<3xf32>, %b: tensor<3xi32>) {
  // expected-error @below {{operand element types differ: 'f32' vs 'i32'}}
  // expected-error @below {{'nn.where' op failed to infer returned types}}
  %0 = nn.where %c, %a, %b : (tensor<3xi1>, tensor<3xf32>, tensor<3xi32>) -> tensor<3xf32>
  return
}

// -----

// Tests that nn.where rejects values whose shapes do not broadcast.
func.func @where_value_shapes(%c: tensor<3xi1>, %a: tensor<3xf32>, %b: tensor<2xf32>) {
  // expected-error @below {{operand shapes 3 and 2 are not broadcast-compatible}}
  // expected-error @below {{'nn.where' op failed to infer returned types}}
  %0 = nn.where %c, %a, %b : (tensor<3xi1>, tensor<3xf32>, tensor<2xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that nn.where requires an i1 condition (ODS constraint).
func.func @where_condition_not_i1(%c: tensor<3xi8>, %a: tensor<3xf32>, %b: tensor<3xf32>) {
  // expected-error @below {{operand #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = nn.where %c, %a, %b : (tensor<3xi8>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that nn.sigmoid rejects an integer tensor (ODS constraint).
func.func @sigmoid_integer(%x: tensor<4xi32>) {
  // expected-error @below {{operand #0 must be ranked tensor of floating-point values}}
  %0 = nn.sigmoid %x : tensor<4xi32>
  return
}

// -----

// Tests that nn ops reject unranked tensors (ODS constraint).
func.func @max_unranked(%x: tensor<*xf32>, %y: tensor<4xf32>) {
  // expected-error @below {{operand #0 must be ranked tensor of floating-point or signless integer or unsigned integer values, but got 'tensor<*xf32>'}}
  %0 = nn.max %x, %y : (tensor<*xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// Tests that nn.cast rejects a change of shape (ODS trait).
func.func @cast_shape_changes(%x: tensor<4xf32>) {
  // expected-error @below {{requires the same shape for all operands and results}}
  %0 = nn.cast %x : tensor<4xf32> -> tensor<5xi32>
  return
}

// -----

// Tests that nn.clip rejects a lower bound above the upper bound.
func.func @clip_min_above_max(%x: tensor<4xf32>) {
  // expected-error @below {{'nn.clip' op 'min' (6.000000e+00) is greater than 'max' (0.000000e+00)}}
  %0 = nn.clip %x {min = 6.0 : f64, max = 0.0 : f64} : tensor<4xf32>
  return
}
