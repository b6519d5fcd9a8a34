// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// Verifier errors of nn.conv3d, nn.max_pool3d, nn.avg_pool3d and
// nn.conv_transpose (every emitError in NNWindowTypes.cpp has a case here).

// Tests that nn.conv3d rejects an input that is not 5-D.
func.func @conv3d_input_rank(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3x3xf32>) {
  // expected-error @below {{expects an input of rank 5, got rank 4}}
  // expected-error @below {{'nn.conv3d' op failed to infer returned types}}
  %0 = nn.conv3d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3x3xf32>) -> tensor<1x4x6x6x6xf32>
  return
}

// -----

// Tests that nn.conv3d rejects a weight that is not 5-D.
func.func @conv3d_weight_rank(%x: tensor<1x4x6x6x6xf32>, %w: tensor<4x4x3x3xf32>) {
  // expected-error @below {{expects a weight of rank 5, got rank 4}}
  // expected-error @below {{'nn.conv3d' op failed to infer returned types}}
  %0 = nn.conv3d %x, %w : (tensor<1x4x6x6x6xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x4x4x4xf32>
  return
}

// -----

// Tests that nn.conv3d rejects input and weight of different element types.
func.func @conv3d_element_types(%x: tensor<1x4x6x6x6xf32>, %w: tensor<4x4x3x3x3xf16>) {
  // expected-error @below {{input and weight element types differ}}
  // expected-error @below {{'nn.conv3d' op failed to infer returned types}}
  %0 = nn.conv3d %x, %w : (tensor<1x4x6x6x6xf32>, tensor<4x4x3x3x3xf16>) -> tensor<1x4x4x4x4xf32>
  return
}

// -----

// Tests that nn.conv3d rejects 'strides' without three entries.
func.func @conv3d_strides_size(%x: tensor<1x4x6x6x6xf32>, %w: tensor<4x4x3x3x3xf32>) {
  // expected-error @below {{'strides' must have 3 entries, got 2}}
  // expected-error @below {{'nn.conv3d' op failed to infer returned types}}
  %0 = nn.conv3d %x, %w {strides = array<i64: 1, 1>} : (tensor<1x4x6x6x6xf32>, tensor<4x4x3x3x3xf32>) -> tensor<1x4x4x4x4xf32>
  return
}

// -----

// Tests that nn.conv3d rejects a negative pad.
func.func @conv3d_negative_pad(%x: tensor<1x4x6x6x6xf32>, %w: tensor<4x4x3x3x3xf32>) {
  // expected-error @below {{'pads' entries must be >= 0, got -1}}
  // expected-error @below {{'nn.conv3d' op failed to infer returned types}}
  %0 = nn.conv3d %x, %w {pads = array<i64: 0, 0, 0, -1, 0, 0>} : (tensor<1x4x6x6x6xf32>, tensor<4x4x3x3x3xf32>) -> tensor<1x4x4x4x4xf32>
  return
}

// -----

// Tests that nn.conv3d rejects groups = 0.
func.func @conv3d_zero_groups(%x: tensor<1x4x6x6x6xf32>, %w: tensor<4x4x3x3x3xf32>) {
  // expected-error @below {{'groups' must be >= 1, got 0}}
  // expected-error @below {{'nn.conv3d' op failed to infer returned types}}
  %0 = nn.conv3d %x, %w {groups = 0 : i64} : (tensor<1x4x6x6x6xf32>, tensor<4x4x3x3x3xf32>) -> tensor<1x4x4x4x4xf32>
  return
}

// -----

// Tests that nn.conv3d rejects a weight whose channels per group do not match the input.
func.func @conv3d_group_channels(%x: tensor<1x4x6x6x6xf32>, %w: tensor<4x4x3x3x3xf32>) {
  // expected-error @below {{input has 4 channels but weight expects 4 per group x 2 groups}}
  // expected-error @below {{'nn.conv3d' op failed to infer returned types}}
  %0 = nn.conv3d %x, %w {groups = 2 : i64} : (tensor<1x4x6x6x6xf32>, tensor<4x4x3x3x3xf32>) -> tensor<1x4x4x4x4xf32>
  return
}

// -----

// Tests that nn.conv3d rejects output channels not divisible by the groups.
func.func @conv3d_output_groups(%x: tensor<1x4x6x6x6xf32>, %w: tensor<3x2x3x3x3xf32>) {
  // expected-error @below {{weight output channels 3 are not divisible by 2 groups}}
  // expected-error @below {{'nn.conv3d' op failed to infer returned types}}
  %0 = nn.conv3d %x, %w {groups = 2 : i64} : (tensor<1x4x6x6x6xf32>, tensor<3x2x3x3x3xf32>) -> tensor<1x3x4x4x4xf32>
  return
}

// -----

// Tests that nn.conv3d rejects a bias that is not 1-D.
func.func @conv3d_bias_rank(%x: tensor<1x4x6x6x6xf32>, %w: tensor<4x4x3x3x3xf32>, %b: tensor<1x4xf32>) {
  // expected-error @below {{'bias' must be 1-D}}
  // expected-error @below {{'nn.conv3d' op failed to infer returned types}}
  %0 = nn.conv3d %x, %w, %b : (tensor<1x4x6x6x6xf32>, tensor<4x4x3x3x3xf32>, tensor<1x4xf32>) -> tensor<1x4x4x4x4xf32>
  return
}

// -----

// Tests that nn.conv3d rejects a bias of another element type.
func.func @conv3d_bias_type(%x: tensor<1x4x6x6x6xf32>, %w: tensor<4x4x3x3x3xf32>, %b: tensor<4xf16>) {
  // expected-error @below {{'bias' element type 'f16' does not match the input's 'f32'}}
  // expected-error @below {{'nn.conv3d' op failed to infer returned types}}
  %0 = nn.conv3d %x, %w, %b : (tensor<1x4x6x6x6xf32>, tensor<4x4x3x3x3xf32>, tensor<4xf16>) -> tensor<1x4x4x4x4xf32>
  return
}

// -----

// Tests that nn.conv3d rejects a bias with the wrong number of entries.
func.func @conv3d_bias_size(%x: tensor<1x4x6x6x6xf32>, %w: tensor<4x4x3x3x3xf32>, %b: tensor<3xf32>) {
  // expected-error @below {{'bias' has 3 entries but there are 4 output channels}}
  // expected-error @below {{'nn.conv3d' op failed to infer returned types}}
  %0 = nn.conv3d %x, %w, %b : (tensor<1x4x6x6x6xf32>, tensor<4x4x3x3x3xf32>, tensor<3xf32>) -> tensor<1x4x4x4x4xf32>
  return
}

// -----

// Tests that nn.conv3d rejects an empty kernel.
func.func @conv3d_empty_kernel(%x: tensor<1x4x6x6x6xf32>, %w: tensor<4x4x0x3x3xf32>) {
  // expected-error @below {{kernel sizes must be >= 1, got 0}}
  // expected-error @below {{'nn.conv3d' op failed to infer returned types}}
  %0 = nn.conv3d %x, %w : (tensor<1x4x6x6x6xf32>, tensor<4x4x0x3x3xf32>) -> tensor<1x4x7x4x4xf32>
  return
}

// -----

// Tests that nn.conv3d rejects a kernel larger than the padded input.
func.func @conv3d_too_large(%x: tensor<1x4x2x6x6xf32>, %w: tensor<4x4x3x3x3xf32>) {
  // expected-error @below {{the window does not fit the padded input along spatial dimension 0}}
  // expected-error @below {{'nn.conv3d' op failed to infer returned types}}
  %0 = nn.conv3d %x, %w : (tensor<1x4x2x6x6xf32>, tensor<4x4x3x3x3xf32>) -> tensor<1x4x1x4x4xf32>
  return
}

// -----

// Tests that nn.max_pool3d rejects a kernel_shape without three entries.
func.func @max_pool3d_kernel_size(%x: tensor<1x4x6x6x6xf32>) {
  // expected-error @below {{'kernel_shape' must have 3 entries, got 2}}
  // expected-error @below {{'nn.max_pool3d' op failed to infer returned types}}
  %0 = nn.max_pool3d %x {kernel_shape = array<i64: 2, 2>} : (tensor<1x4x6x6x6xf32>) -> tensor<1x4x5x5x5xf32>
  return
}

// -----

// Tests that nn.max_pool3d rejects a window whose size overflows int64.
func.func @max_pool3d_overflow(%x: tensor<1x4x6x6x6xf32>) {
  // expected-error @below {{window size overflows int64}}
  // expected-error @below {{'nn.max_pool3d' op failed to infer returned types}}
  %0 = nn.max_pool3d %x {kernel_shape = array<i64: 9223372036854775807, 1, 1>, dilations = array<i64: 2, 1, 1>} : (tensor<1x4x6x6x6xf32>) -> tensor<1x4x1x6x6xf32>
  return
}

// -----

// Tests that nn.avg_pool3d rejects an input that is not 5-D.
func.func @avg_pool3d_rank(%x: tensor<1x4x6x6xf32>) {
  // expected-error @below {{expects an input of rank 5, got rank 4}}
  // expected-error @below {{'nn.avg_pool3d' op failed to infer returned types}}
  %0 = nn.avg_pool3d %x {kernel_shape = array<i64: 2, 2, 2>} : (tensor<1x4x6x6xf32>) -> tensor<1x4x5x5xf32>
  return
}

// -----

// Tests that nn.conv_transpose rejects an input without 1 to 3 spatial dimensions.
func.func @conv_transpose_rank(%x: tensor<1x2xf32>, %w: tensor<2x3xf32>) {
  // expected-error @below {{expects an input with 1 to 3 spatial dimensions, got rank 2}}
  // expected-error @below {{'nn.conv_transpose' op failed to infer returned types}}
  %0 = nn.conv_transpose %x, %w {strides = array<i64>, pads = array<i64>, dilations = array<i64>, output_padding = array<i64>} : (tensor<1x2xf32>, tensor<2x3xf32>) -> tensor<1x3xf32>
  return
}

// -----

// Tests that nn.conv_transpose rejects a weight of another rank.
func.func @conv_transpose_weight_rank(%x: tensor<1x2x3x3xf32>, %w: tensor<2x3x3xf32>) {
  // expected-error @below {{expects a weight of rank 4, got rank 3}}
  // expected-error @below {{'nn.conv_transpose' op failed to infer returned types}}
  %0 = nn.conv_transpose %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x2x3x3xf32>, tensor<2x3x3xf32>) -> tensor<1x3x5x5xf32>
  return
}

// -----

// Tests that nn.conv_transpose rejects input and weight of different element types.
func.func @conv_transpose_element_types(%x: tensor<1x2x3x3xf32>, %w: tensor<2x3x3x3xf16>) {
  // expected-error @below {{input and weight element types differ}}
  // expected-error @below {{'nn.conv_transpose' op failed to infer returned types}}
  %0 = nn.conv_transpose %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x2x3x3xf32>, tensor<2x3x3x3xf16>) -> tensor<1x3x5x5xf32>
  return
}

// -----

// Tests that nn.conv_transpose rejects a negative output_padding.
func.func @conv_transpose_output_padding(%x: tensor<1x2x3x3xf32>, %w: tensor<2x3x3x3xf32>) {
  // expected-error @below {{'output_padding' entries must be >= 0, got -1}}
  // expected-error @below {{'nn.conv_transpose' op failed to infer returned types}}
  %0 = nn.conv_transpose %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, -1>} : (tensor<1x2x3x3xf32>, tensor<2x3x3x3xf32>) -> tensor<1x3x5x5xf32>
  return
}

// -----

// Tests that nn.conv_transpose rejects groups = 0.
func.func @conv_transpose_zero_groups(%x: tensor<1x2x3x3xf32>, %w: tensor<2x3x3x3xf32>) {
  // expected-error @below {{'groups' must be >= 1, got 0}}
  // expected-error @below {{'nn.conv_transpose' op failed to infer returned types}}
  %0 = nn.conv_transpose %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, groups = 0 : i64} : (tensor<1x2x3x3xf32>, tensor<2x3x3x3xf32>) -> tensor<1x3x5x5xf32>
  return
}

// -----

// Tests that nn.conv_transpose rejects a weight whose first dimension is not the input channels.
func.func @conv_transpose_channels(%x: tensor<1x2x3x3xf32>, %w: tensor<3x3x3x3xf32>) {
  // expected-error @below {{input has 2 channels but weight has 3}}
  // expected-error @below {{'nn.conv_transpose' op failed to infer returned types}}
  %0 = nn.conv_transpose %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x2x3x3xf32>, tensor<3x3x3x3xf32>) -> tensor<1x3x5x5xf32>
  return
}

// -----

// Tests that nn.conv_transpose rejects input channels not divisible by the groups.
func.func @conv_transpose_groups(%x: tensor<1x3x3x3xf32>, %w: tensor<3x1x3x3xf32>) {
  // expected-error @below {{input channels 3 are not divisible by 2 groups}}
  // expected-error @below {{'nn.conv_transpose' op failed to infer returned types}}
  %0 = nn.conv_transpose %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, groups = 2 : i64} : (tensor<1x3x3x3xf32>, tensor<3x1x3x3xf32>) -> tensor<1x2x5x5xf32>
  return
}

// -----

// Tests that nn.conv_transpose checks the bias against the output channels (O/groups x groups).
func.func @conv_transpose_bias(%x: tensor<1x2x3x3xf32>, %w: tensor<2x3x3x3xf32>, %b: tensor<3xf32>) {
  // expected-error @below {{'bias' has 3 entries but there are 6 output channels}}
  // expected-error @below {{'nn.conv_transpose' op failed to infer returned types}}
  %0 = nn.conv_transpose %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, groups = 2 : i64} : (tensor<1x2x3x3xf32>, tensor<2x3x3x3xf32>, tensor<3xf32>) -> tensor<1x6x5x5xf32>
  return
}

// -----

// Tests that nn.conv_transpose rejects an empty kernel.
func.func @conv_transpose_empty_kernel(%x: tensor<1x2x3x3xf32>, %w: tensor<2x3x0x3xf32>) {
  // expected-error @below {{kernel sizes must be >= 1, got 0}}
  // expected-error @below {{'nn.conv_transpose' op failed to infer returned types}}
  %0 = nn.conv_transpose %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x2x3x3xf32>, tensor<2x3x0x3xf32>) -> tensor<1x3x2x5xf32>
  return
}

// -----

// Tests that nn.conv_transpose rejects an output size that overflows int64.
func.func @conv_transpose_overflow(%x: tensor<1x2x3x3xf32>, %w: tensor<2x3x3x3xf32>) {
  // expected-error @below {{output size overflows int64}}
  // expected-error @below {{'nn.conv_transpose' op failed to infer returned types}}
  %0 = nn.conv_transpose %x, %w {strides = array<i64: 9223372036854775807, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x2x3x3xf32>, tensor<2x3x3x3xf32>) -> tensor<1x3x5x5xf32>
  return
}

// -----

// Tests that nn.conv_transpose rejects pads that remove the whole output.
func.func @conv_transpose_cropped(%x: tensor<1x2x3x3xf32>, %w: tensor<2x3x3x3xf32>) {
  // expected-error @below {{'pads' remove the whole output along spatial dimension 0}}
  // expected-error @below {{'nn.conv_transpose' op failed to infer returned types}}
  %0 = nn.conv_transpose %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 3, 0, 2, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x2x3x3xf32>, tensor<2x3x3x3xf32>) -> tensor<1x3x1x5xf32>
  return
}
