// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// Verifier errors of the comparison, logical, float-test, activation, prelu
// and mod ops.

// Tests that a comparison rejects operands with different element types.
func.func @equal_element_types_differ(%a: tensor<2xf32>, %b: tensor<2xi32>) {
  // expected-error @below {{operand element types differ: 'f32' vs 'i32'}}
  // expected-error @below {{'nn.equal' op failed to infer returned types}}
  %0 = nn.equal %a, %b : (tensor<2xf32>, tensor<2xi32>) -> tensor<2xi1>
  return
}

// -----

// Tests that a comparison rejects operand shapes that do not broadcast.
func.func @less_not_broadcastable(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @below {{operand shapes 2x3 and 4 are not broadcast-compatible}}
  // expected-error @below {{'nn.less' op failed to infer returned types}}
  %0 = nn.less %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xi1>
  return
}

// -----

// Tests that a comparison's result must be an i1 mask.
func.func @greater_float_result(%a: tensor<3xf32>, %b: tensor<3xf32>) {
  // expected-error @below {{'nn.greater' op result #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<3xf32>'}}
  %0 = nn.greater %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that the logical ops take only i1 masks.
func.func @and_of_floats(%a: tensor<3xf32>, %b: tensor<3xf32>) {
  // expected-error @below {{'nn.and' op operand #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<3xf32>'}}
  %0 = nn.and %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
  return
}

// -----

// Tests that not takes only i1 masks.
func.func @not_of_integers(%a: tensor<3xi32>) {
  // expected-error @below {{'nn.not' op operand #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<3xi32>'}}
  %0 = nn.not %a : tensor<3xi32>
  return
}

// -----

// Tests that isnan takes only floats.
func.func @isnan_of_integers(%a: tensor<3xi32>) {
  // expected-error @below {{'nn.isnan' op operand #0 must be ranked tensor of floating-point values, but got 'tensor<3xi32>'}}
  %0 = nn.isnan %a : tensor<3xi32> -> tensor<3xi1>
  return
}

// -----

// Tests that isinf's result has the operand's shape.
func.func @isinf_wrong_shape(%a: tensor<3xf32>) {
  // expected-error @below {{'nn.isinf' op inferred type(s) 'tensor<3xi1>' are incompatible with return type(s) of operation 'tensor<4xi1>'}}
  // expected-error @below {{'nn.isinf' op failed to infer returned types}}
  %0 = nn.isinf %a : tensor<3xf32> -> tensor<4xi1>
  return
}

// -----

// Tests that the trigonometric ops take only floats.
func.func @sin_of_integers(%a: tensor<3xi32>) {
  // expected-error @below {{'nn.sin' op operand #0 must be ranked tensor of floating-point values, but got 'tensor<3xi32>'}}
  %0 = nn.sin %a : tensor<3xi32>
  return
}

// -----

// Tests that celu rejects alpha = 0.
func.func @celu_zero_alpha(%a: tensor<3xf32>) {
  // expected-error @below {{'nn.celu' op 'alpha' must not be zero}}
  %0 = nn.celu %a {alpha = 0.0 : f64} : tensor<3xf32>
  return
}

// -----

// Tests that prelu's slope must broadcast to the input's shape, not beyond.
func.func @prelu_slope_too_large(%x: tensor<3x1xf32>, %s: tensor<3x4xf32>) {
  // expected-error @below {{slope shape 3x4 does not broadcast to input shape 3x1}}
  // expected-error @below {{'nn.prelu' op failed to infer returned types}}
  %0 = nn.prelu %x, %s : (tensor<3x1xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  return
}

// -----

// Tests that prelu rejects a slope of another element type.
func.func @prelu_element_types_differ(%x: tensor<3xf32>, %s: tensor<3xf16>) {
  // expected-error @below {{operand element types differ: 'f32' vs 'f16'}}
  // expected-error @below {{'nn.prelu' op failed to infer returned types}}
  %0 = nn.prelu %x, %s : (tensor<3xf32>, tensor<3xf16>) -> tensor<3xf32>
  return
}

// -----

// Tests that mod on floats requires fmod.
func.func @mod_float_without_fmod(%a: tensor<3xf32>, %b: tensor<3xf32>) {
  // expected-error @below {{'nn.mod' op float operands require 'fmod' (the sign of the dividend)}}
  %0 = nn.mod %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}
