// RUN: kiln-opt %s -split-input-file -verify-diagnostics

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
  // expected-error @below {{operand #0 must be ranked tensor of floating-point or signless integer values}}
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
  // expected-error @below {{operand #0 must be ranked tensor of floating-point or signless integer values, but got 'tensor<*xf32>'}}
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


// -----

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

// -----

//===----------------------------------------------------------------------===//
// Softmax and normalizations
//===----------------------------------------------------------------------===//

// Tests that nn.softmax rejects an axis equal to the rank.
func.func @softmax_axis_too_large(%x: tensor<2x3xf32>) {
  // expected-error @below {{'nn.softmax' op axis 2 is out of range for rank 2}}
  %0 = nn.softmax %x {axis = 2 : i64} : tensor<2x3xf32>
  return
}

// -----

// Tests that nn.softmax rejects a negative axis.
func.func @softmax_negative_axis(%x: tensor<2x3xf32>) {
  // expected-error @below {{'nn.softmax' op axis -1 is out of range for rank 2}}
  %0 = nn.softmax %x {axis = -1 : i64} : tensor<2x3xf32>
  return
}

// -----

// Tests that nn.layer_norm rejects an axis equal to the rank.
func.func @layer_norm_axis_too_large(%x: tensor<2x3xf32>) {
  // expected-error @below {{axis 2 is out of range for rank 2}}
  // expected-error @below {{'nn.layer_norm' op failed to infer returned types}}
  %0 = nn.layer_norm %x {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that nn.layer_norm rejects a negative axis.
func.func @layer_norm_negative_axis(%x: tensor<2x3xf32>) {
  // expected-error @below {{axis -1 is out of range for rank 2}}
  // expected-error @below {{'nn.layer_norm' op failed to infer returned types}}
  %0 = nn.layer_norm %x {axis = -1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that nn.layer_norm rejects a negative epsilon.
func.func @layer_norm_negative_epsilon(%x: tensor<2x3xf32>) {
  // expected-error @below {{'epsilon' must be a non-negative number}}
  // expected-error @below {{'nn.layer_norm' op failed to infer returned types}}
  %0 = nn.layer_norm %x {axis = 1 : i64, epsilon = -1.0e-5 : f64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that nn.layer_norm rejects a scale not shaped like the normalized dims.
func.func @layer_norm_scale_shape(%x: tensor<2x3x4xf32>, %s: tensor<4xf32>) {
  // expected-error @below {{'scale' must have shape 3x4 and element type 'f32'}}
  // expected-error @below {{'nn.layer_norm' op failed to infer returned types}}
  %0 = nn.layer_norm %x scale %s {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  return
}

// -----

// Tests that nn.layer_norm rejects a bias of another element type.
func.func @layer_norm_bias_element_type(%x: tensor<2x3x4xf32>, %s: tensor<4xf32>, %b: tensor<4xf16>) {
  // expected-error @below {{'bias' must have shape 4 and element type 'f32'}}
  // expected-error @below {{'nn.layer_norm' op failed to infer returned types}}
  %0 = nn.layer_norm %x scale %s bias %b {axis = 2 : i64} : (tensor<2x3x4xf32>, tensor<4xf32>, tensor<4xf16>) -> tensor<2x3x4xf32>
  return
}

// -----

// Tests that nn.batch_norm rejects an input of rank below 2.
func.func @batch_norm_input_rank(%x: tensor<4xf32>, %p: tensor<4xf32>) {
  // expected-error @below {{expects an N x C x ... input of rank >= 2}}
  // expected-error @below {{'nn.batch_norm' op failed to infer returned types}}
  %0 = nn.batch_norm %x, %p, %p, %p, %p : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

// Tests that nn.batch_norm rejects a negative epsilon.
func.func @batch_norm_negative_epsilon(%x: tensor<1x4x2x2xf32>, %p: tensor<4xf32>) {
  // expected-error @below {{'epsilon' must be a non-negative number}}
  // expected-error @below {{'nn.batch_norm' op failed to infer returned types}}
  %0 = nn.batch_norm %x, %p, %p, %p, %p {epsilon = -1.0 : f64} : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32>
  return
}

// -----

// Tests that nn.batch_norm rejects a parameter that is not 1-D.
func.func @batch_norm_scale_rank(%x: tensor<1x4x2x2xf32>, %s: tensor<4x1xf32>, %p: tensor<4xf32>) {
  // expected-error @below {{'scale' must be 1-D}}
  // expected-error @below {{'nn.batch_norm' op failed to infer returned types}}
  %0 = nn.batch_norm %x, %s, %p, %p, %p : (tensor<1x4x2x2xf32>, tensor<4x1xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32>
  return
}

// -----

// Tests that nn.batch_norm rejects a parameter of another element type.
func.func @batch_norm_mean_element_type(%x: tensor<1x4x2x2xf32>, %p: tensor<4xf32>, %m: tensor<4xf16>) {
  // expected-error @below {{'mean' element type 'f16' does not match the input's 'f32'}}
  // expected-error @below {{'nn.batch_norm' op failed to infer returned types}}
  %0 = nn.batch_norm %x, %p, %p, %m, %p : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf16>, tensor<4xf32>) -> tensor<1x4x2x2xf32>
  return
}

// -----

// Tests that nn.batch_norm rejects a parameter whose size is not C.
func.func @batch_norm_variance_size(%x: tensor<1x4x2x2xf32>, %p: tensor<4xf32>, %v: tensor<3xf32>) {
  // expected-error @below {{'variance' has 3 entries but there are 4 channels}}
  // expected-error @below {{'nn.batch_norm' op failed to infer returned types}}
  %0 = nn.batch_norm %x, %p, %p, %p, %v : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<3xf32>) -> tensor<1x4x2x2xf32>
  return
}

// -----

// Tests that nn.batch_norm checks the bias like the other parameters.
func.func @batch_norm_bias_size(%x: tensor<1x4x2x2xf32>, %p: tensor<4xf32>, %b: tensor<2xf32>) {
  // expected-error @below {{'bias' has 2 entries but there are 4 channels}}
  // expected-error @below {{'nn.batch_norm' op failed to infer returned types}}
  %0 = nn.batch_norm %x, %p, %b, %p, %p : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<2xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Pooling and reductions
//===----------------------------------------------------------------------===//

// Tests that nn.max_pool2d rejects an input that is not 4-D.
func.func @max_pool2d_input_rank(%x: tensor<1x8x8xf32>) {
  // expected-error @below {{expects a 4-D NCHW input, got rank 3}}
  // expected-error @below {{'nn.max_pool2d' op failed to infer returned types}}
  %0 = nn.max_pool2d %x {kernel_shape = array<i64: 2, 2>} : (tensor<1x8x8xf32>) -> tensor<1x7x7xf32>
  return
}

// -----

// Tests that nn.avg_pool2d rejects an input that is not 4-D.
func.func @avg_pool2d_input_rank(%x: tensor<1x1x1x8x8xf32>) {
  // expected-error @below {{expects a 4-D NCHW input, got rank 5}}
  // expected-error @below {{'nn.avg_pool2d' op failed to infer returned types}}
  %0 = nn.avg_pool2d %x {kernel_shape = array<i64: 2, 2>} : (tensor<1x1x1x8x8xf32>) -> tensor<1x1x1x7x7xf32>
  return
}

// -----

// Tests that nn.max_pool2d rejects 'kernel_shape' without two entries.
func.func @max_pool2d_kernel_size(%x: tensor<1x1x8x8xf32>) {
  // expected-error @below {{'kernel_shape' must have 2 entries, got 1}}
  // expected-error @below {{'nn.max_pool2d' op failed to infer returned types}}
  %0 = nn.max_pool2d %x {kernel_shape = array<i64: 2>} : (tensor<1x1x8x8xf32>) -> tensor<1x1x7x7xf32>
  return
}

// -----

// Tests that nn.max_pool2d rejects an empty kernel window.
func.func @max_pool2d_zero_kernel(%x: tensor<1x1x8x8xf32>) {
  // expected-error @below {{'kernel_shape' entries must be >= 1, got 0}}
  // expected-error @below {{'nn.max_pool2d' op failed to infer returned types}}
  %0 = nn.max_pool2d %x {kernel_shape = array<i64: 2, 0>} : (tensor<1x1x8x8xf32>) -> tensor<1x1x7x9xf32>
  return
}

// -----

// Tests that nn.max_pool2d rejects 'strides' without two entries.
func.func @max_pool2d_strides_size(%x: tensor<1x1x8x8xf32>) {
  // expected-error @below {{'strides' must have 2 entries, got 3}}
  // expected-error @below {{'nn.max_pool2d' op failed to infer returned types}}
  %0 = nn.max_pool2d %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2, 2>} : (tensor<1x1x8x8xf32>) -> tensor<1x1x4x4xf32>
  return
}

// -----

// Tests that nn.max_pool2d rejects a negative stride.
func.func @max_pool2d_negative_stride(%x: tensor<1x1x8x8xf32>) {
  // expected-error @below {{'strides' entries must be >= 1, got -2}}
  // expected-error @below {{'nn.max_pool2d' op failed to infer returned types}}
  %0 = nn.max_pool2d %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: -2, 2>} : (tensor<1x1x8x8xf32>) -> tensor<1x1x4x4xf32>
  return
}

// -----

// Tests that nn.max_pool2d rejects 'pads' without four entries.
func.func @max_pool2d_pads_size(%x: tensor<1x1x8x8xf32>) {
  // expected-error @below {{'pads' must have 4 entries, got 2}}
  // expected-error @below {{'nn.max_pool2d' op failed to infer returned types}}
  %0 = nn.max_pool2d %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1>} : (tensor<1x1x8x8xf32>) -> tensor<1x1x8x8xf32>
  return
}

// -----

// Tests that nn.max_pool2d rejects a negative pad.
func.func @max_pool2d_negative_pad(%x: tensor<1x1x8x8xf32>) {
  // expected-error @below {{'pads' entries must be >= 0, got -1}}
  // expected-error @below {{'nn.max_pool2d' op failed to infer returned types}}
  %0 = nn.max_pool2d %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, -1, 1>} : (tensor<1x1x8x8xf32>) -> tensor<1x1x6x8xf32>
  return
}

// -----

// Tests that nn.max_pool2d rejects 'dilations' without two entries.
func.func @max_pool2d_dilations_size(%x: tensor<1x1x8x8xf32>) {
  // expected-error @below {{'dilations' must have 2 entries, got 1}}
  // expected-error @below {{'nn.max_pool2d' op failed to infer returned types}}
  %0 = nn.max_pool2d %x {kernel_shape = array<i64: 2, 2>, dilations = array<i64: 2>} : (tensor<1x1x8x8xf32>) -> tensor<1x1x6x6xf32>
  return
}

// -----

// Tests that nn.max_pool2d rejects a zero dilation.
func.func @max_pool2d_zero_dilation(%x: tensor<1x1x8x8xf32>) {
  // expected-error @below {{'dilations' entries must be >= 1, got 0}}
  // expected-error @below {{'nn.max_pool2d' op failed to infer returned types}}
  %0 = nn.max_pool2d %x {kernel_shape = array<i64: 2, 2>, dilations = array<i64: 1, 0>} : (tensor<1x1x8x8xf32>) -> tensor<1x1x7x7xf32>
  return
}

// -----

// Tests that nn.max_pool2d rejects a window larger than the padded input.
func.func @max_pool2d_window_too_large(%x: tensor<1x1x2x2xf32>) {
  // expected-error @below {{pooling window does not fit the input 1x1x2x2}}
  // expected-error @below {{'nn.max_pool2d' op failed to infer returned types}}
  %0 = nn.max_pool2d %x {kernel_shape = array<i64: 3, 3>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x1x1xf32>
  return
}

// -----

// Tests that nn.max_pool2d counts dilation when checking that the window fits.
func.func @max_pool2d_dilated_window_too_large(%x: tensor<1x1x3x3xf32>) {
  // expected-error @below {{pooling window does not fit the input 1x1x3x3}}
  // expected-error @below {{'nn.max_pool2d' op failed to infer returned types}}
  %0 = nn.max_pool2d %x {kernel_shape = array<i64: 2, 2>, dilations = array<i64: 3, 1>} : (tensor<1x1x3x3xf32>) -> tensor<1x1x1x2xf32>
  return
}

// -----

// Tests that nn.avg_pool2d rejects 'kernel_shape' without two entries.
func.func @avg_pool2d_kernel_size(%x: tensor<1x1x8x8xf32>) {
  // expected-error @below {{'kernel_shape' must have 2 entries, got 3}}
  // expected-error @below {{'nn.avg_pool2d' op failed to infer returned types}}
  %0 = nn.avg_pool2d %x {kernel_shape = array<i64: 2, 2, 2>} : (tensor<1x1x8x8xf32>) -> tensor<1x1x7x7xf32>
  return
}

// -----

// Tests that nn.avg_pool2d rejects an empty kernel window.
func.func @avg_pool2d_zero_kernel(%x: tensor<1x1x8x8xf32>) {
  // expected-error @below {{'kernel_shape' entries must be >= 1, got 0}}
  // expected-error @below {{'nn.avg_pool2d' op failed to infer returned types}}
  %0 = nn.avg_pool2d %x {kernel_shape = array<i64: 0, 2>} : (tensor<1x1x8x8xf32>) -> tensor<1x1x9x7xf32>
  return
}

// -----

// Tests that nn.avg_pool2d rejects a zero stride.
func.func @avg_pool2d_zero_stride(%x: tensor<1x1x8x8xf32>) {
  // expected-error @below {{'strides' entries must be >= 1, got 0}}
  // expected-error @below {{'nn.avg_pool2d' op failed to infer returned types}}
  %0 = nn.avg_pool2d %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 0, 1>} : (tensor<1x1x8x8xf32>) -> tensor<1x1x7x7xf32>
  return
}

// -----

// Tests that nn.avg_pool2d rejects a negative pad.
func.func @avg_pool2d_negative_pad(%x: tensor<1x1x8x8xf32>) {
  // expected-error @below {{'pads' entries must be >= 0, got -3}}
  // expected-error @below {{'nn.avg_pool2d' op failed to infer returned types}}
  %0 = nn.avg_pool2d %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, -3>} : (tensor<1x1x8x8xf32>) -> tensor<1x1x7x4xf32>
  return
}

// -----

// Tests that nn.avg_pool2d rejects a window larger than the padded input.
func.func @avg_pool2d_window_too_large(%x: tensor<1x1x4x4xf32>) {
  // expected-error @below {{pooling window does not fit the input 1x1x4x4}}
  // expected-error @below {{'nn.avg_pool2d' op failed to infer returned types}}
  %0 = nn.avg_pool2d %x {kernel_shape = array<i64: 2, 6>, pads = array<i64: 0, 0, 0, 1>, ceil_mode = true} : (tensor<1x1x4x4xf32>) -> tensor<1x1x3x1xf32>
  return
}

// -----

// Tests that pooling ops require 'kernel_shape' (ODS constraint).
func.func @max_pool2d_missing_kernel(%x: tensor<1x1x8x8xf32>) {
  // expected-error @below {{requires attribute 'kernel_shape'}}
  %0 = nn.max_pool2d %x : (tensor<1x1x8x8xf32>) -> tensor<1x1x8x8xf32>
  return
}

// -----

// Tests that nn.global_avg_pool rejects an input without spatial dimensions.
func.func @global_avg_pool_input_rank(%x: tensor<2x3xf32>) {
  // expected-error @below {{expects an N x C x D1 x ... input of rank >= 3, got rank 2}}
  // expected-error @below {{'nn.global_avg_pool' op failed to infer returned types}}
  %0 = nn.global_avg_pool %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

// Tests that nn.reduce_sum rejects an axis equal to the rank.
func.func @reduce_sum_axis_too_large(%x: tensor<2x3xf32>) {
  // expected-error @below {{axis 2 is out of range for rank 2}}
  // expected-error @below {{'nn.reduce_sum' op failed to infer returned types}}
  %0 = nn.reduce_sum %x {axes = array<i64: 2>} : (tensor<2x3xf32>) -> tensor<2x3x1xf32>
  return
}

// -----

// Tests that nn.reduce_mean rejects a negative axis.
func.func @reduce_mean_negative_axis(%x: tensor<2x3xf32>) {
  // expected-error @below {{axis -1 is out of range for rank 2}}
  // expected-error @below {{'nn.reduce_mean' op failed to infer returned types}}
  %0 = nn.reduce_mean %x {axes = array<i64: -1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return
}

// -----

// Tests that nn.reduce_max rejects unsorted axes.
func.func @reduce_max_unsorted_axes(%x: tensor<2x3xf32>) {
  // expected-error @below {{'axes' must be sorted and unique}}
  // expected-error @below {{'nn.reduce_max' op failed to infer returned types}}
  %0 = nn.reduce_max %x {axes = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<1x1xf32>
  return
}

// -----

// Tests that nn.reduce_sum rejects a repeated axis.
func.func @reduce_sum_duplicate_axes(%x: tensor<2x3xi32>) {
  // expected-error @below {{'axes' must be sorted and unique}}
  // expected-error @below {{'nn.reduce_sum' op failed to infer returned types}}
  %0 = nn.reduce_sum %x {axes = array<i64: 1, 1>, keepdims = false} : (tensor<2x3xi32>) -> tensor<2xi32>
  return
}

// -----

// Tests that nn.reduce_max checks every axis, not only the first.
func.func @reduce_max_later_axis_too_large(%x: tensor<2x3xf32>) {
  // expected-error @below {{axis 5 is out of range for rank 2}}
  // expected-error @below {{'nn.reduce_max' op failed to infer returned types}}
  %0 = nn.reduce_max %x {axes = array<i64: 0, 5>} : (tensor<2x3xf32>) -> tensor<1x3xf32>
  return
}

// -----

// Tests that nn.reduce_mean rejects a result type that ignores 'keepdims'.
func.func @reduce_mean_wrong_result(%x: tensor<2x3xf32>) {
  // expected-error @below {{inferred type(s) 'tensor<2x1xf32>' are incompatible with return type(s) of operation 'tensor<2xf32>'}}
  // expected-error @below {{'nn.reduce_mean' op failed to infer returned types}}
  %0 = nn.reduce_mean %x {axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2xf32>
  return
}

// -----

// Tests that nn.reduce_mean rejects an integer tensor (ODS constraint).
func.func @reduce_mean_integer(%x: tensor<2x3xi32>) {
  // expected-error @below {{operand #0 must be ranked tensor of floating-point values}}
  %0 = nn.reduce_mean %x {axes = array<i64: 1>} : (tensor<2x3xi32>) -> tensor<2x1xi32>
  return
}


// -----

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

// -----

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

// -----

// Tests that a convolution kernel with a zero spatial size is rejected.
func.func @conv2d_zero_kernel(%x: tensor<1x3x4x4xf32>, %w: tensor<4x3x0x1xf32>) -> tensor<1x4x5x4xf32> {
  // expected-error @below {{weight spatial sizes must be >= 1, got 4x3x0x1}}
  // expected-error @below {{failed to infer returned types}}
  %0 = nn.conv2d %x, %w : (tensor<1x3x4x4xf32>, tensor<4x3x0x1xf32>) -> tensor<1x4x5x4xf32>
  return %0 : tensor<1x4x5x4xf32>
}

// -----

// Tests that a dilation so large that the window size overflows is an error,
// not a wrapped-around output size.
func.func @conv2d_dilation_overflow(%x: tensor<1x3x4x4xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x2xf32> {
  // expected-error @below {{convolution window size overflows int64}}
  // expected-error @below {{failed to infer returned types}}
  %0 = nn.conv2d %x, %w {dilations = array<i64: 9223372036854775807, 1>} : (tensor<1x3x4x4xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x2xf32>
  return %0 : tensor<1x4x6x2xf32>
}

// -----

// Tests that pooling reports an overflowing window size.
func.func @max_pool2d_dilation_overflow(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x6x2xf32> {
  // expected-error @below {{pooling window size overflows int64}}
  // expected-error @below {{failed to infer returned types}}
  %0 = nn.max_pool2d %x {kernel_shape = array<i64: 3, 3>, dilations = array<i64: 9223372036854775807, 1>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x6x2xf32>
  return %0 : tensor<1x3x6x2xf32>
}

// -----

// Tests that padding whose result size overflows is rejected rather than
// wrapping to the dynamic-size marker.
func.func @pad_overflow(%x: tensor<1xf32>) -> tensor<?xf32> {
  // expected-error @below {{padded size of dimension 0 overflows int64}}
  // expected-error @below {{failed to infer returned types}}
  %0 = nn.pad %x {pads = array<i64: 9223372036854775807, 0>} : (tensor<1xf32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// Tests that flattening a shape whose element count overflows is rejected.
func.func @flatten_overflow(%x: tensor<4294967296x4294967296xf32>) -> tensor<1x0xf32> {
  // expected-error @below {{flattened size overflows int64}}
  // expected-error @below {{failed to infer returned types}}
  %0 = nn.flatten %x {axis = 0 : i64} : (tensor<4294967296x4294967296xf32>) -> tensor<1x0xf32>
  return %0 : tensor<1x0xf32>
}

// -----

// Tests that a NaN epsilon is rejected by layer_norm.
func.func @layer_norm_nan_epsilon(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @below {{'epsilon' must be a non-negative number}}
  // expected-error @below {{failed to infer returned types}}
  %0 = nn.layer_norm %x {axis = 1 : i64, epsilon = 0x7FF8000000000000 : f64} : (tensor<2x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Tests that a NaN clip bound is rejected.
func.func @clip_nan_bound(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @below {{'nn.clip' op bounds must be numbers, got NaN}}
  %0 = nn.clip %x {min = 0x7FF8000000000000 : f64, max = 0.0 : f64} : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Tests that a reshape with one dynamic dimension is rejected when the static
// dimensions cannot divide the element count.
func.func @reshape_dynamic_not_divisible(%x: tensor<2x3xf32>) -> tensor<?x4xf32> {
  // expected-error @below {{'nn.reshape' op cannot reshape 6 elements into 'tensor<?x4xf32>'}}
  %0 = nn.reshape %x : tensor<2x3xf32> -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// Tests that a concat mismatch names the input that conflicts with the size
// fixed by earlier inputs, even when the first input's size is dynamic.
func.func @concat_conflict_after_dynamic(%a: tensor<1x?xf32>, %b: tensor<1x3xf32>, %c: tensor<1x4xf32>) -> tensor<3x?xf32> {
  // expected-error @below {{input #2 has size 4 in dimension 1 but earlier inputs have 3 (only axis 0 may differ)}}
  // expected-error @below {{failed to infer returned types}}
  %0 = nn.concat %a, %b, %c {axis = 0 : i64} : (tensor<1x?xf32>, tensor<1x3xf32>, tensor<1x4xf32>) -> tensor<3x?xf32>
  return %0 : tensor<3x?xf32>
}

// -----

// Tests that a sub-channel quantized type is named as unsupported.
func.func @quantize_sub_channel(%x: tensor<2x4xf32>) -> tensor<2x4x!quant.uniform<i8:f32:{0:1, 1:2}, {{2.0:10, 3.0:20}, {4.0:30, 5.0:40}}>> {
  // expected-error @below {{supports per-tensor and per-axis !quant.uniform element types only}}
  %0 = nn.quantize %x : tensor<2x4xf32> -> tensor<2x4x!quant.uniform<i8:f32:{0:1, 1:2}, {{2.0:10, 3.0:20}, {4.0:30, 5.0:40}}>>
  return %0 : tensor<2x4x!quant.uniform<i8:f32:{0:1, 1:2}, {{2.0:10, 3.0:20}, {4.0:30, 5.0:40}}>>
}

// -----

// Tests that a matmul with a 0-D operand names it as a scalar.
func.func @matmul_scalar_operand(%a: tensor<f32>, %b: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @below {{cannot multiply scalar by 3}}
  // expected-error @below {{failed to infer returned types}}
  %0 = nn.matmul %a, %b : (tensor<f32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
