// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// Verifier errors of the nn dialect (every emitError in NNTypeInference.cpp
// and NNVerifiers.cpp has a case in one of the invalid*.mlir files).

//===----------------------------------------------------------------------===//
// nn.conv2d
//===----------------------------------------------------------------------===//

// Tests that nn.conv2d rejects an input that is not 4-D.
func.func @conv2d_input_rank(%x: tensor<3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @below {{expects a 4-D NCHW input, got rank 3}}
  // expected-error @below {{'nn.conv2d' op failed to infer returned types}}
  %0 = nn.conv2d %x, %w : (tensor<3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Tests that nn.conv2d rejects a weight that is not 4-D.
func.func @conv2d_weight_rank(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3xf32>) {
  // expected-error @below {{expects a 4-D OIHW weight, got rank 3}}
  // expected-error @below {{'nn.conv2d' op failed to infer returned types}}
  %0 = nn.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Tests that nn.conv2d rejects input and weight of different element types.
func.func @conv2d_element_types(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf16>) {
  // expected-error @below {{input and weight element types differ}}
  // expected-error @below {{'nn.conv2d' op failed to infer returned types}}
  %0 = nn.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf16>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Tests that nn.conv2d rejects 'strides' without two entries.
func.func @conv2d_strides_size(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @below {{'strides' must have 2 entries, got 1}}
  // expected-error @below {{'nn.conv2d' op failed to infer returned types}}
  %0 = nn.conv2d %x, %w {strides = array<i64: 2>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x3x3xf32>
  return
}

// -----

// Tests that nn.conv2d rejects a zero stride.
func.func @conv2d_zero_stride(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @below {{'strides' entries must be >= 1, got 0}}
  // expected-error @below {{'nn.conv2d' op failed to infer returned types}}
  %0 = nn.conv2d %x, %w {strides = array<i64: 1, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Tests that nn.conv2d rejects 'pads' without four entries.
func.func @conv2d_pads_size(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @below {{'pads' must have 4 entries, got 2}}
  // expected-error @below {{'nn.conv2d' op failed to infer returned types}}
  %0 = nn.conv2d %x, %w {pads = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

// Tests that nn.conv2d rejects a negative pad.
func.func @conv2d_negative_pad(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @below {{'pads' entries must be >= 0, got -1}}
  // expected-error @below {{'nn.conv2d' op failed to infer returned types}}
  %0 = nn.conv2d %x, %w {pads = array<i64: 0, -1, 0, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x5xf32>
  return
}

// -----

// Tests that nn.conv2d rejects 'dilations' without two entries.
func.func @conv2d_dilations_size(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @below {{'dilations' must have 2 entries, got 3}}
  // expected-error @below {{'nn.conv2d' op failed to infer returned types}}
  %0 = nn.conv2d %x, %w {dilations = array<i64: 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Tests that nn.conv2d rejects a zero dilation.
func.func @conv2d_zero_dilation(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @below {{'dilations' entries must be >= 1, got 0}}
  // expected-error @below {{'nn.conv2d' op failed to infer returned types}}
  %0 = nn.conv2d %x, %w {dilations = array<i64: 0, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Tests that nn.conv2d rejects a group count below one.
func.func @conv2d_zero_groups(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @below {{'groups' must be >= 1, got 0}}
  // expected-error @below {{'nn.conv2d' op failed to infer returned types}}
  %0 = nn.conv2d %x, %w {groups = 0 : i64} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Tests that nn.conv2d rejects input channels != weight channels x groups.
func.func @conv2d_channel_mismatch(%x: tensor<1x4x8x8xf32>, %w: tensor<8x2x3x3xf32>) {
  // expected-error @below {{input has 4 channels but weight expects 2 per group x 1 groups}}
  // expected-error @below {{'nn.conv2d' op failed to infer returned types}}
  %0 = nn.conv2d %x, %w : (tensor<1x4x8x8xf32>, tensor<8x2x3x3xf32>) -> tensor<1x8x6x6xf32>
  return
}

// -----

// Tests that nn.conv2d rejects output channels that the groups do not divide.
func.func @conv2d_output_channels_groups(%x: tensor<1x4x8x8xf32>, %w: tensor<5x2x3x3xf32>) {
  // expected-error @below {{weight output channels 5 are not divisible by 2 groups}}
  // expected-error @below {{'nn.conv2d' op failed to infer returned types}}
  %0 = nn.conv2d %x, %w {groups = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<5x2x3x3xf32>) -> tensor<1x5x6x6xf32>
  return
}

// -----

// Tests that nn.conv2d rejects a bias that is not 1-D.
func.func @conv2d_bias_rank(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<1x4xf32>) {
  // expected-error @below {{'bias' must be 1-D}}
  // expected-error @below {{'nn.conv2d' op failed to infer returned types}}
  %0 = nn.conv2d %x, %w, %b : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<1x4xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Tests that nn.conv2d rejects a bias of another element type.
func.func @conv2d_bias_element_type(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf16>) {
  // expected-error @below {{'bias' element type 'f16' does not match the input's 'f32'}}
  // expected-error @below {{'nn.conv2d' op failed to infer returned types}}
  %0 = nn.conv2d %x, %w, %b : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf16>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Tests that nn.conv2d rejects a bias whose size is not the output channels.
func.func @conv2d_bias_size(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<8xf32>) {
  // expected-error @below {{'bias' has 8 entries but there are 4 channels}}
  // expected-error @below {{'nn.conv2d' op failed to infer returned types}}
  %0 = nn.conv2d %x, %w, %b : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<8xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

// Tests that nn.conv2d rejects a kernel larger than the padded input.
func.func @conv2d_kernel_too_large(%x: tensor<1x3x4x4xf32>, %w: tensor<4x3x5x5xf32>) {
  // expected-error @below {{kernel 4x3x5x5 does not fit the padded input 1x3x4x4}}
  // expected-error @below {{'nn.conv2d' op failed to infer returned types}}
  %0 = nn.conv2d %x, %w : (tensor<1x3x4x4xf32>, tensor<4x3x5x5xf32>) -> tensor<1x4x1x1xf32>
  return
}

// -----

// Tests that nn.conv2d counts dilation when checking that the kernel fits.
func.func @conv2d_dilated_kernel_too_large(%x: tensor<1x3x4x4xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @below {{kernel 4x3x3x3 does not fit the padded input 1x3x4x4}}
  // expected-error @below {{'nn.conv2d' op failed to infer returned types}}
  %0 = nn.conv2d %x, %w {dilations = array<i64: 2, 2>} : (tensor<1x3x4x4xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x1x1xf32>
  return
}

// -----

// Tests that nn.conv2d rejects a result shape other than the inferred one.
func.func @conv2d_wrong_result(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @below {{inferred type(s) 'tensor<1x4x6x6xf32>' are incompatible with return type(s) of operation 'tensor<1x4x8x8xf32>'}}
  // expected-error @below {{'nn.conv2d' op failed to infer returned types}}
  %0 = nn.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

// Tests that nn.conv2d rejects integer operands (ODS constraint).
func.func @conv2d_integer(%x: tensor<1x3x8x8xi8>, %w: tensor<4x3x3x3xi8>) {
  // expected-error @below {{operand #0 must be ranked tensor of floating-point values}}
  %0 = nn.conv2d %x, %w : (tensor<1x3x8x8xi8>, tensor<4x3x3x3xi8>) -> tensor<1x4x6x6xi8>
  return
}

// -----

//===----------------------------------------------------------------------===//
// nn.matmul, nn.batch_matmul, nn.gemm, nn.linear
//===----------------------------------------------------------------------===//

// Tests that nn.matmul rejects operands of different element types.
func.func @matmul_element_types(%a: tensor<2x3xf32>, %b: tensor<3x4xi32>) {
  // expected-error @below {{operand element types differ}}
  // expected-error @below {{'nn.matmul' op failed to infer returned types}}
  %0 = nn.matmul %a, %b : (tensor<2x3xf32>, tensor<3x4xi32>) -> tensor<2x4xf32>
  return
}

// -----

// Tests that nn.matmul rejects different inner sizes.
func.func @matmul_inner_mismatch(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @below {{cannot multiply 2x3 by 4x5}}
  // expected-error @below {{'nn.matmul' op failed to infer returned types}}
  %0 = nn.matmul %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

// Tests that nn.matmul checks the inner size of a promoted 1-D operand.
func.func @matmul_vector_inner_mismatch(%a: tensor<3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @below {{cannot multiply 3 by 4x5}}
  // expected-error @below {{'nn.matmul' op failed to infer returned types}}
  %0 = nn.matmul %a, %b : (tensor<3xf32>, tensor<4x5xf32>) -> tensor<5xf32>
  return
}

// -----

// Tests that nn.matmul rejects batch dimensions that do not broadcast.
func.func @matmul_batch_mismatch(%a: tensor<2x3x4xf32>, %b: tensor<5x4x6xf32>) {
  // expected-error @below {{cannot multiply 2x3x4 by 5x4x6 (operands must be >= 1-D, inner sizes equal, batch sizes broadcastable)}}
  // expected-error @below {{'nn.matmul' op failed to infer returned types}}
  %0 = nn.matmul %a, %b : (tensor<2x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x3x6xf32>
  return
}

// -----

// Tests that nn.matmul rejects a 0-D operand.
func.func @matmul_scalar(%a: tensor<f32>, %b: tensor<3xf32>) {
  // expected-error @below {{by 3 (operands must be >= 1-D, inner sizes equal, batch sizes broadcastable)}}
  // expected-error @below {{'nn.matmul' op failed to infer returned types}}
  %0 = nn.matmul %a, %b : (tensor<f32>, tensor<3xf32>) -> tensor<f32>
  return
}

// -----

// Tests that nn.batch_matmul rejects operands of rank below 3.
func.func @batch_matmul_rank_2(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) {
  // expected-error @below {{expects operands of equal rank >= 3, got 2 and 2}}
  // expected-error @below {{'nn.batch_matmul' op failed to infer returned types}}
  %0 = nn.batch_matmul %a, %b : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return
}

// -----

// Tests that nn.batch_matmul rejects operands of different ranks.
func.func @batch_matmul_rank_mismatch(%a: tensor<2x2x3xf32>, %b: tensor<1x2x3x4xf32>) {
  // expected-error @below {{expects operands of equal rank >= 3, got 3 and 4}}
  // expected-error @below {{'nn.batch_matmul' op failed to infer returned types}}
  %0 = nn.batch_matmul %a, %b : (tensor<2x2x3xf32>, tensor<1x2x3x4xf32>) -> tensor<1x2x2x4xf32>
  return
}

// -----

// Tests that nn.batch_matmul rejects different inner sizes.
func.func @batch_matmul_inner_mismatch(%a: tensor<2x3x4xf32>, %b: tensor<2x5x6xf32>) {
  // expected-error @below {{cannot multiply 2x3x4 by 2x5x6}}
  // expected-error @below {{'nn.batch_matmul' op failed to infer returned types}}
  %0 = nn.batch_matmul %a, %b : (tensor<2x3x4xf32>, tensor<2x5x6xf32>) -> tensor<2x3x6xf32>
  return
}

// -----

// Tests that nn.batch_matmul rejects operands of different element types.
func.func @batch_matmul_element_types(%a: tensor<2x3x4xf32>, %b: tensor<2x4x6xf16>) {
  // expected-error @below {{operand element types differ}}
  // expected-error @below {{'nn.batch_matmul' op failed to infer returned types}}
  %0 = nn.batch_matmul %a, %b : (tensor<2x3x4xf32>, tensor<2x4x6xf16>) -> tensor<2x3x6xf32>
  return
}

// -----

// Tests that nn.gemm rejects operands that are not 2-D.
func.func @gemm_rank(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) {
  // expected-error @below {{expects 2-D A and B, got ranks 3 and 2}}
  // expected-error @below {{'nn.gemm' op failed to infer returned types}}
  %0 = nn.gemm %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  return
}

// -----

// Tests that nn.gemm rejects A and B of different element types.
func.func @gemm_element_types(%a: tensor<3x4xf32>, %b: tensor<4x5xf16>) {
  // expected-error @below {{A and B element types differ}}
  // expected-error @below {{'nn.gemm' op failed to infer returned types}}
  %0 = nn.gemm %a, %b : (tensor<3x4xf32>, tensor<4x5xf16>) -> tensor<3x5xf32>
  return
}

// -----

// Tests that nn.gemm rejects different inner sizes under 'trans_b'.
func.func @gemm_inner_mismatch(%a: tensor<4x3xf32>, %b: tensor<5x4xf32>) {
  // expected-error @below {{inner dimensions differ: 3 vs 4}}
  // expected-error @below {{'nn.gemm' op failed to infer returned types}}
  %0 = nn.gemm %a, %b {trans_b = true} : (tensor<4x3xf32>, tensor<5x4xf32>) -> tensor<4x5xf32>
  return
}

// -----

// Tests that nn.gemm rejects different inner sizes under 'trans_a'.
func.func @gemm_trans_a_inner_mismatch(%a: tensor<4x3xf32>, %b: tensor<3x5xf32>) {
  // expected-error @below {{inner dimensions differ: 4 vs 3}}
  // expected-error @below {{'nn.gemm' op failed to infer returned types}}
  %0 = nn.gemm %a, %b {trans_a = true} : (tensor<4x3xf32>, tensor<3x5xf32>) -> tensor<3x5xf32>
  return
}

// -----

// Tests that nn.gemm rejects a C of another element type.
func.func @gemm_c_element_type(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>, %c: tensor<5xf16>) {
  // expected-error @below {{C element type differs from A's}}
  // expected-error @below {{'nn.gemm' op failed to infer returned types}}
  %0 = nn.gemm %a, %b, %c : (tensor<3x4xf32>, tensor<4x5xf32>, tensor<5xf16>) -> tensor<3x5xf32>
  return
}

// -----

// Tests that nn.gemm rejects a C of rank above 2.
func.func @gemm_c_rank(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>, %c: tensor<1x3x5xf32>) {
  // expected-error @below {{C of shape 1x3x5 does not broadcast to 3x5}}
  // expected-error @below {{'nn.gemm' op failed to infer returned types}}
  %0 = nn.gemm %a, %b, %c : (tensor<3x4xf32>, tensor<4x5xf32>, tensor<1x3x5xf32>) -> tensor<3x5xf32>
  return
}

// -----

// Tests that nn.gemm rejects a C that does not broadcast with M x N.
func.func @gemm_c_not_broadcastable(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>, %c: tensor<2x5xf32>) {
  // expected-error @below {{C of shape 2x5 does not broadcast to 3x5}}
  // expected-error @below {{'nn.gemm' op failed to infer returned types}}
  %0 = nn.gemm %a, %b, %c : (tensor<3x4xf32>, tensor<4x5xf32>, tensor<2x5xf32>) -> tensor<3x5xf32>
  return
}

// -----

// Tests that nn.gemm rejects a C that would broadcast M x N to a larger shape.
func.func @gemm_c_larger(%a: tensor<1x4xf32>, %b: tensor<4x5xf32>, %c: tensor<3x5xf32>) {
  // expected-error @below {{C of shape 3x5 does not broadcast to 1x5}}
  // expected-error @below {{'nn.gemm' op failed to infer returned types}}
  %0 = nn.gemm %a, %b, %c : (tensor<1x4xf32>, tensor<4x5xf32>, tensor<3x5xf32>) -> tensor<1x5xf32>
  return
}

// -----

// Tests that nn.linear rejects a weight that is not 2-D.
func.func @linear_weight_rank(%x: tensor<2x3xf32>, %w: tensor<4x3x1xf32>) {
  // expected-error @below {{expects input of rank >= 1 and a 2-D weight}}
  // expected-error @below {{'nn.linear' op failed to infer returned types}}
  %0 = nn.linear %x, %w : (tensor<2x3xf32>, tensor<4x3x1xf32>) -> tensor<2x4xf32>
  return
}

// -----

// Tests that nn.linear rejects a 0-D input.
func.func @linear_scalar_input(%x: tensor<f32>, %w: tensor<4x3xf32>) {
  // expected-error @below {{expects input of rank >= 1 and a 2-D weight}}
  // expected-error @below {{'nn.linear' op failed to infer returned types}}
  %0 = nn.linear %x, %w : (tensor<f32>, tensor<4x3xf32>) -> tensor<4xf32>
  return
}

// -----

// Tests that nn.linear rejects input and weight of different element types.
func.func @linear_element_types(%x: tensor<2x3xf32>, %w: tensor<4x3xbf16>) {
  // expected-error @below {{input and weight element types differ}}
  // expected-error @below {{'nn.linear' op failed to infer returned types}}
  %0 = nn.linear %x, %w : (tensor<2x3xf32>, tensor<4x3xbf16>) -> tensor<2x4xf32>
  return
}

// -----

// Tests that nn.linear rejects input features other than the weight's.
func.func @linear_feature_mismatch(%x: tensor<2x3xf32>, %w: tensor<4x5xf32>) {
  // expected-error @below {{input features 3 do not match weight features 5}}
  // expected-error @below {{'nn.linear' op failed to infer returned types}}
  %0 = nn.linear %x, %w : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x4xf32>
  return
}

// -----

// Tests that nn.linear rejects a bias that is not 1-D.
func.func @linear_bias_rank(%x: tensor<2x3xf32>, %w: tensor<4x3xf32>, %b: tensor<1x4xf32>) {
  // expected-error @below {{'bias' must be 1-D}}
  // expected-error @below {{'nn.linear' op failed to infer returned types}}
  %0 = nn.linear %x, %w, %b : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<1x4xf32>) -> tensor<2x4xf32>
  return
}

// -----

// Tests that nn.linear rejects a bias of another element type.
func.func @linear_bias_element_type(%x: tensor<2x3xf32>, %w: tensor<4x3xf32>, %b: tensor<4xf64>) {
  // expected-error @below {{'bias' element type 'f64' does not match the input's 'f32'}}
  // expected-error @below {{'nn.linear' op failed to infer returned types}}
  %0 = nn.linear %x, %w, %b : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf64>) -> tensor<2x4xf32>
  return
}

// -----

// Tests that nn.linear rejects a bias whose size is not the output features.
func.func @linear_bias_size(%x: tensor<2x3xf32>, %w: tensor<4x3xf32>, %b: tensor<3xf32>) {
  // expected-error @below {{'bias' has 3 entries but there are 4 channels}}
  // expected-error @below {{'nn.linear' op failed to infer returned types}}
  %0 = nn.linear %x, %w, %b : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<3xf32>) -> tensor<2x4xf32>
  return
}
