// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// Verifier errors of the nn dialect (every emitError in NNTypeInference.cpp
// and NNVerifiers.cpp has a case in one of the invalid*.mlir files).

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
