// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// Verifier errors of reduce_min, reduce_prod, argmax and argmin.

// Tests that nn.reduce_min rejects an axis equal to the rank.
func.func @reduce_min_axis_too_large(%x: tensor<2x3xf32>) {
  // expected-error @below {{axis 2 is out of range for rank 2}}
  // expected-error @below {{'nn.reduce_min' op failed to infer returned types}}
  %0 = nn.reduce_min %x {axes = array<i64: 2>} : (tensor<2x3xf32>) -> tensor<2x3x1xf32>
  return
}

// -----

// Tests that nn.reduce_prod rejects unsorted axes.
func.func @reduce_prod_unsorted_axes(%x: tensor<2x3xf32>) {
  // expected-error @below {{'axes' must be sorted and unique}}
  // expected-error @below {{'nn.reduce_prod' op failed to infer returned types}}
  %0 = nn.reduce_prod %x {axes = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<1x1xf32>
  return
}

// -----

// Tests that nn.reduce_min rejects a result type other than the inferred one.
func.func @reduce_min_wrong_result(%x: tensor<2x3xf32>) {
  // expected-error @below {{'nn.reduce_min' op inferred type(s) 'tensor<2x1xf32>' are incompatible with return type(s) of operation 'tensor<2xf32>'}}
  // expected-error @below {{'nn.reduce_min' op failed to infer returned types}}
  %0 = nn.reduce_min %x {axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2xf32>
  return
}

// -----

// Tests that nn.argmax rejects an axis equal to the rank.
func.func @argmax_axis_too_large(%x: tensor<2x3xf32>) {
  // expected-error @below {{axis 2 is out of range for rank 2}}
  // expected-error @below {{'nn.argmax' op failed to infer returned types}}
  %0 = nn.argmax %x {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3x1xi64>
  return
}

// -----

// Tests that nn.argmin rejects a negative axis.
func.func @argmin_negative_axis(%x: tensor<2x3xf32>) {
  // expected-error @below {{axis -1 is out of range for rank 2}}
  // expected-error @below {{'nn.argmin' op failed to infer returned types}}
  %0 = nn.argmin %x {axis = -1 : i64} : (tensor<2x3xf32>) -> tensor<2x1xi64>
  return
}

// -----

// Tests that nn.argmax rejects an empty reduced dimension (no index exists).
func.func @argmax_empty_axis(%x: tensor<2x0xf32>) {
  // expected-error @below {{the reduced dimension 1 must not be empty}}
  // expected-error @below {{'nn.argmax' op failed to infer returned types}}
  %0 = nn.argmax %x {axis = 1 : i64} : (tensor<2x0xf32>) -> tensor<2x1xi64>
  return
}

// -----

// Tests that nn.argmin's result must be i64.
func.func @argmin_i32_result(%x: tensor<2x3xf32>) {
  // expected-error @below {{'nn.argmin' op result #0 must be ranked tensor of 64-bit signless integer values, but got 'tensor<2x1xi32>'}}
  %0 = nn.argmin %x {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x1xi32>
  return
}

// -----

// Tests that nn.gather_elements rejects an axis out of range.
func.func @gather_elements_axis(%x: tensor<2x3xf32>, %i: tensor<2x3xi64>) {
  // expected-error @below {{axis 2 is out of range for rank 2}}
  // expected-error @below {{'nn.gather_elements' op failed to infer returned types}}
  %0 = nn.gather_elements %x, %i {axis = 2 : i64} : (tensor<2x3xf32>, tensor<2x3xi64>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that nn.gather_elements rejects indices of another rank.
func.func @gather_elements_rank(%x: tensor<2x3xf32>, %i: tensor<6xi64>) {
  // expected-error @below {{indices of rank 1 do not match data of rank 2}}
  // expected-error @below {{'nn.gather_elements' op failed to infer returned types}}
  %0 = nn.gather_elements %x, %i {axis = 0 : i64} : (tensor<2x3xf32>, tensor<6xi64>) -> tensor<6xf32>
  return
}

// -----

// Tests that nn.gather_elements rejects gathering from an empty axis.
func.func @gather_elements_empty_axis(%x: tensor<2x0xf32>, %i: tensor<2x1xi64>) {
  // expected-error @below {{cannot gather from an empty axis 1}}
  // expected-error @below {{'nn.gather_elements' op failed to infer returned types}}
  %0 = nn.gather_elements %x, %i {axis = 1 : i64} : (tensor<2x0xf32>, tensor<2x1xi64>) -> tensor<2x1xf32>
  return
}
