// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// Verifier errors of nn ops on unsigned integer tensors and of nn.bit_shift.

// Tests that nn.bit_shift rejects signless integers (ONNX BitShift is only
// defined on unsigned ones).
func.func @bit_shift_signless(%a: tensor<4xi8>) {
  // expected-error @below {{operand #0 must be ranked tensor of}}
  %0 = nn.bit_shift %a, %a {direction = #nn.shift_direction<left>}
      : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return
}

// -----

// Tests that nn.bit_shift rejects operands of different unsigned types.
func.func @bit_shift_types_differ(%a: tensor<4xui8>, %b: tensor<4xui16>) {
  // expected-error @below {{operand element types differ: 'ui8' vs 'ui16'}}
  // expected-error @below {{'nn.bit_shift' op failed to infer returned types}}
  %0 = nn.bit_shift %a, %b {direction = #nn.shift_direction<right>}
      : (tensor<4xui8>, tensor<4xui16>) -> tensor<4xui8>
  return
}

// -----

// Tests that nn.bit_shift rejects a direction that is neither left nor right.
func.func @bit_shift_bad_direction(%a: tensor<4xui8>) {
  // expected-error @+2 {{expected ::kiln::nn::ShiftDirection to be one of: left, right}}
  // expected-error @+1 {{failed to parse NN_ShiftDirectionAttr parameter 'value'}}
  %0 = nn.bit_shift %a, %a {direction = #nn.shift_direction<up>}
      : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return
}

// -----

// Tests that nn.neg rejects unsigned integers (ONNX Neg has none).
func.func @neg_unsigned(%a: tensor<4xui8>) {
  // expected-error @below {{operand #0 must be ranked tensor of}}
  %0 = nn.neg %a : tensor<4xui8>
  return
}

// -----

// Tests that nn.pow rejects an unsigned base (ONNX Pow has none).
func.func @pow_unsigned(%a: tensor<4xui32>) {
  // expected-error @below {{operand #0 must be ranked tensor of}}
  %0 = nn.pow %a, %a : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xui32>
  return
}

// -----

// Tests that an arithmetic op rejects mixing signless and unsigned operands.
func.func @add_signedness_differs(%a: tensor<4xi8>, %b: tensor<4xui8>) {
  // expected-error @below {{operand element types differ: 'i8' vs 'ui8'}}
  // expected-error @below {{'nn.add' op failed to infer returned types}}
  %0 = nn.add %a, %b : (tensor<4xi8>, tensor<4xui8>) -> tensor<4xi8>
  return
}

// -----

// Tests that the element types stop at 64 bits and exclude odd widths.
func.func @unsigned_odd_width(%a: tensor<4xui7>) {
  // expected-error @below {{operand #0 must be ranked tensor of}}
  %0 = nn.abs %a : tensor<4xui7>
  return
}
