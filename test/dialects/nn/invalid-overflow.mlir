// RUN: kiln-opt %s -split-input-file -verify-diagnostics

// Verifier errors of the nn dialect: size arithmetic that would overflow,
// NaN attributes and other corner cases, across op families.

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
