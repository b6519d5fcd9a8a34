// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// Verifier errors of the nn dialect (every emitError in NNTypeInference.cpp
// and NNVerifiers.cpp has a case in one of the invalid*.mlir files).

//===----------------------------------------------------------------------===//
// Constants and data movement
//===----------------------------------------------------------------------===//

// Tests that nn.constant rejects a value that is not a tensor.
func.func @constant_vector_value() {
  // expected-error @below {{value must be a ranked tensor}}
  %0 = nn.constant dense<1.0> : vector<4xf32>
  return
}

// -----

// Tests that nn.constant rejects a result type other than the value's.
func.func @constant_wrong_result() {
  // expected-error @below {{inferred type(s) 'tensor<2xf32>' are incompatible with return type(s) of operation 'tensor<3xf32>'}}
  // expected-error @below {{'nn.constant' op failed to infer returned types}}
  %0 = "nn.constant"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<3xf32>
  return
}

// -----

// Tests that nn.reshape rejects a change of element type.
func.func @reshape_element_type(%x: tensor<2x3xf32>) {
  // expected-error @below {{'nn.reshape' op element type changes from 'f32' to 'f16'}}
  %0 = nn.reshape %x : tensor<2x3xf32> -> tensor<6xf16>
  return
}

// -----

// Tests that nn.reshape rejects a result with two dynamic dimensions.
func.func @reshape_two_dynamic_dims(%x: tensor<?x4xf32>) {
  // expected-error @below {{'nn.reshape' op result may have at most one dynamic dimension, got 2}}
  %0 = nn.reshape %x : tensor<?x4xf32> -> tensor<?x2x?xf32>
  return
}

// -----

// Tests that nn.reshape rejects static shapes with different element counts.
func.func @reshape_element_count(%x: tensor<2x3xf32>) {
  // expected-error @below {{'nn.reshape' op cannot reshape 6 elements into 'tensor<2x4xf32>'}}
  %0 = nn.reshape %x : tensor<2x3xf32> -> tensor<2x4xf32>
  return
}

// -----

// Tests that nn.flatten rejects an axis above the rank.
func.func @flatten_axis_too_large(%x: tensor<2x3xf32>) {
  // expected-error @below {{axis 3 is out of range [0, 2]}}
  // expected-error @below {{'nn.flatten' op failed to infer returned types}}
  %0 = nn.flatten %x {axis = 3 : i64} : (tensor<2x3xf32>) -> tensor<6x1xf32>
  return
}

// -----

// Tests that nn.flatten rejects a negative axis.
func.func @flatten_negative_axis(%x: tensor<2x3xf32>) {
  // expected-error @below {{axis -1 is out of range [0, 2]}}
  // expected-error @below {{'nn.flatten' op failed to infer returned types}}
  %0 = nn.flatten %x {axis = -1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that nn.transpose rejects a permutation of the wrong length.
func.func @transpose_perm_length(%x: tensor<2x3x4xf32>) {
  // expected-error @below {{'perm' must be a permutation of the 3 input dimensions}}
  // expected-error @below {{'nn.transpose' op failed to infer returned types}}
  %0 = nn.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
  return
}

// -----

// Tests that nn.transpose rejects a repeated dimension in 'perm'.
func.func @transpose_perm_duplicate(%x: tensor<2x3xf32>) {
  // expected-error @below {{'perm' must be a permutation of the 2 input dimensions}}
  // expected-error @below {{'nn.transpose' op failed to infer returned types}}
  %0 = nn.transpose %x {perm = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<3x3xf32>
  return
}

// -----

// Tests that nn.transpose rejects a dimension outside the rank in 'perm'.
func.func @transpose_perm_out_of_range(%x: tensor<2x3xf32>) {
  // expected-error @below {{'perm' must be a permutation of the 2 input dimensions}}
  // expected-error @below {{'nn.transpose' op failed to infer returned types}}
  %0 = nn.transpose %x {perm = array<i64: 0, 2>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that nn.concat rejects an empty input list.
func.func @concat_no_inputs() {
  // expected-error @below {{expects at least one input}}
  // expected-error @below {{'nn.concat' op failed to infer returned types}}
  %0 = nn.concat {axis = 0 : i64} : () -> tensor<0xf32>
  return
}

// -----

// Tests that nn.concat rejects an axis equal to the rank.
func.func @concat_axis_too_large(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) {
  // expected-error @below {{axis 2 is out of range for rank 2}}
  // expected-error @below {{'nn.concat' op failed to infer returned types}}
  %0 = nn.concat %a, %b {axis = 2 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

// Tests that nn.concat rejects a negative axis.
func.func @concat_negative_axis(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) {
  // expected-error @below {{axis -1 is out of range for rank 2}}
  // expected-error @below {{'nn.concat' op failed to infer returned types}}
  %0 = nn.concat %a, %b {axis = -1 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

// Tests that nn.concat rejects inputs of different ranks.
func.func @concat_rank_mismatch(%a: tensor<2x3xf32>, %b: tensor<2x3x1xf32>) {
  // expected-error @below {{inputs must share rank and element type}}
  // expected-error @below {{'nn.concat' op failed to infer returned types}}
  %0 = nn.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x3x1xf32>) -> tensor<4x3xf32>
  return
}

// -----

// Tests that nn.concat rejects inputs of different element types.
func.func @concat_element_type_mismatch(%a: tensor<2x3xf32>, %b: tensor<2x3xi32>) {
  // expected-error @below {{inputs must share rank and element type}}
  // expected-error @below {{'nn.concat' op failed to infer returned types}}
  %0 = nn.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x3xi32>) -> tensor<4x3xf32>
  return
}

// -----

// Tests that nn.concat rejects inputs whose sizes differ outside the axis.
func.func @concat_shape_mismatch(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) {
  // expected-error @below {{input #1 has size 4 in dimension 1 but earlier inputs have 3 (only axis 0 may differ)}}
  // expected-error @below {{'nn.concat' op failed to infer returned types}}
  %0 = nn.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<4x3xf32>
  return
}

// -----

// Tests that nn.concat rejects a result size other than the sum on the axis.
func.func @concat_wrong_result(%a: tensor<2x3xf32>, %b: tensor<1x3xf32>) {
  // expected-error @below {{inferred type(s) 'tensor<3x3xf32>' are incompatible with return type(s) of operation 'tensor<4x3xf32>'}}
  // expected-error @below {{'nn.concat' op failed to infer returned types}}
  %0 = nn.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

// Tests that nn.slice rejects 'starts' without one entry per dimension.
func.func @slice_starts_size(%x: tensor<4x4xf32>) {
  // expected-error @below {{'starts', 'ends' and 'steps' need one entry per dimension (2)}}
  // expected-error @below {{'nn.slice' op failed to infer returned types}}
  %0 = nn.slice %x {starts = array<i64: 0>, ends = array<i64: 2, 2>, steps = array<i64: 1, 1>} : (tensor<4x4xf32>) -> tensor<2x2xf32>
  return
}

// -----

// Tests that nn.slice rejects 'ends' without one entry per dimension.
func.func @slice_ends_size(%x: tensor<4x4xf32>) {
  // expected-error @below {{'starts', 'ends' and 'steps' need one entry per dimension (2)}}
  // expected-error @below {{'nn.slice' op failed to infer returned types}}
  %0 = nn.slice %x {starts = array<i64: 0, 0>, ends = array<i64: 2, 2, 2>, steps = array<i64: 1, 1>} : (tensor<4x4xf32>) -> tensor<2x2xf32>
  return
}

// -----

// Tests that nn.slice rejects 'steps' without one entry per dimension.
func.func @slice_steps_size(%x: tensor<4x4xf32>) {
  // expected-error @below {{'starts', 'ends' and 'steps' need one entry per dimension (2)}}
  // expected-error @below {{'nn.slice' op failed to infer returned types}}
  %0 = nn.slice %x {starts = array<i64: 0, 0>, ends = array<i64: 2, 2>, steps = array<i64: 1>} : (tensor<4x4xf32>) -> tensor<2x2xf32>
  return
}

// -----

// Tests that nn.slice rejects a zero step.
func.func @slice_zero_step(%x: tensor<4x4xf32>) {
  // expected-error @below {{step of dimension 1 is zero}}
  // expected-error @below {{'nn.slice' op failed to infer returned types}}
  %0 = nn.slice %x {starts = array<i64: 0, 0>, ends = array<i64: 2, 2>, steps = array<i64: 1, 0>} : (tensor<4x4xf32>) -> tensor<2x2xf32>
  return
}

// -----

// Tests that nn.slice rejects a positive-step end past the dimension.
func.func @slice_end_past_dim(%x: tensor<4xf32>) {
  // expected-error @below {{slice [0:5:1] of dimension 0 (size 4) is not normalized}}
  // expected-error @below {{'nn.slice' op failed to infer returned types}}
  %0 = nn.slice %x {starts = array<i64: 0>, ends = array<i64: 5>, steps = array<i64: 1>} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// Tests that nn.slice rejects a positive-step start after the end.
func.func @slice_start_after_end(%x: tensor<4xf32>) {
  // expected-error @below {{slice [3:1:1] of dimension 0 (size 4) is not normalized}}
  // expected-error @below {{'nn.slice' op failed to infer returned types}}
  %0 = nn.slice %x {starts = array<i64: 3>, ends = array<i64: 1>, steps = array<i64: 1>} : (tensor<4xf32>) -> tensor<0xf32>
  return
}

// -----

// Tests that nn.slice rejects a negative start with a positive step.
func.func @slice_negative_start(%x: tensor<?xf32>) {
  // expected-error @below {{slice [-1:2:1] of dimension 0 (size ?) is not normalized}}
  // expected-error @below {{'nn.slice' op failed to infer returned types}}
  %0 = nn.slice %x {starts = array<i64: -1>, ends = array<i64: 2>, steps = array<i64: 1>} : (tensor<?xf32>) -> tensor<3xf32>
  return
}

// -----

// Tests that nn.slice rejects a negative-step start at or past the dimension.
func.func @slice_reverse_start_past_dim(%x: tensor<2x4xf32>) {
  // expected-error @below {{slice [4:-1:-1] of dimension 1 (size 4) is not normalized}}
  // expected-error @below {{'nn.slice' op failed to infer returned types}}
  %0 = nn.slice %x {starts = array<i64: 0, 4>, ends = array<i64: 2, -1>, steps = array<i64: 1, -1>} : (tensor<2x4xf32>) -> tensor<2x5xf32>
  return
}

// -----

// Tests that nn.slice rejects a negative-step end below -1.
func.func @slice_reverse_end_below_minus_one(%x: tensor<4xf32>) {
  // expected-error @below {{slice [3:-2:-1] of dimension 0 (size 4) is not normalized}}
  // expected-error @below {{'nn.slice' op failed to infer returned types}}
  %0 = nn.slice %x {starts = array<i64: 3>, ends = array<i64: -2>, steps = array<i64: -1>} : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// Tests that nn.slice rejects a negative-step end after the start.
func.func @slice_reverse_end_after_start(%x: tensor<4xf32>) {
  // expected-error @below {{slice [1:3:-1] of dimension 0 (size 4) is not normalized}}
  // expected-error @below {{'nn.slice' op failed to infer returned types}}
  %0 = nn.slice %x {starts = array<i64: 1>, ends = array<i64: 3>, steps = array<i64: -1>} : (tensor<4xf32>) -> tensor<0xf32>
  return
}

// -----

// Tests that nn.slice rejects a negative start with a negative step on a dynamic dim.
func.func @slice_reverse_negative_start_dynamic(%x: tensor<?xf32>) {
  // expected-error @below {{slice [-1:-1:-1] of dimension 0 (size ?) is not normalized}}
  // expected-error @below {{'nn.slice' op failed to infer returned types}}
  %0 = nn.slice %x {starts = array<i64: -1>, ends = array<i64: -1>, steps = array<i64: -1>} : (tensor<?xf32>) -> tensor<0xf32>
  return
}

// -----

// Tests that nn.pad rejects 'pads' without two entries per dimension.
func.func @pad_entries(%x: tensor<2x3xf32>) {
  // expected-error @below {{'pads' must have 4 entries, got 2}}
  // expected-error @below {{'nn.pad' op failed to infer returned types}}
  %0 = nn.pad %x {pads = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

// Tests that nn.pad rejects a negative pad.
func.func @pad_negative(%x: tensor<2x3xf32>) {
  // expected-error @below {{'pads' entries must be >= 0, got -1}}
  // expected-error @below {{'nn.pad' op failed to infer returned types}}
  %0 = nn.pad %x {pads = array<i64: 0, 0, 0, -1>} : (tensor<2x3xf32>) -> tensor<2x2xf32>
  return
}

// -----

// Tests that reflect padding rejects a begin pad as large as the dimension.
func.func @pad_reflect_begin_too_large(%x: tensor<2x3xf32>) {
  // expected-error @below {{reflect padding of dimension 0 must be smaller than its size 2}}
  // expected-error @below {{'nn.pad' op failed to infer returned types}}
  %0 = nn.pad %x {pads = array<i64: 2, 0, 0, 0>, mode = #nn.pad_mode<reflect>} : (tensor<2x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

// Tests that reflect padding rejects an end pad as large as the dimension.
func.func @pad_reflect_end_too_large(%x: tensor<2x3xf32>) {
  // expected-error @below {{reflect padding of dimension 1 must be smaller than its size 3}}
  // expected-error @below {{'nn.pad' op failed to infer returned types}}
  %0 = nn.pad %x {pads = array<i64: 1, 2, 1, 3>, mode = #nn.pad_mode<reflect>} : (tensor<2x3xf32>) -> tensor<4x8xf32>
  return
}

// -----

// Tests that nn.gather rejects an axis equal to the data rank.
func.func @gather_axis_too_large(%d: tensor<4x5xf32>, %i: tensor<3xi64>) {
  // expected-error @below {{axis 2 is out of range for rank 2}}
  // expected-error @below {{'nn.gather' op failed to infer returned types}}
  %0 = nn.gather %d, %i {axis = 2 : i64} : (tensor<4x5xf32>, tensor<3xi64>) -> tensor<4x5x3xf32>
  return
}

// -----

// Tests that nn.gather rejects a negative axis.
func.func @gather_negative_axis(%d: tensor<4x5xf32>, %i: tensor<3xi32>) {
  // expected-error @below {{axis -1 is out of range for rank 2}}
  // expected-error @below {{'nn.gather' op failed to infer returned types}}
  %0 = nn.gather %d, %i {axis = -1 : i64} : (tensor<4x5xf32>, tensor<3xi32>) -> tensor<4x3xf32>
  return
}

// -----

// Tests that nn.gather rejects float indices (ODS constraint).
func.func @gather_float_indices(%d: tensor<4x5xf32>, %i: tensor<3xf32>) {
  // expected-error @below {{operand #1 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values}}
  %0 = nn.gather %d, %i {axis = 0 : i64} : (tensor<4x5xf32>, tensor<3xf32>) -> tensor<3x5xf32>
  return
}
