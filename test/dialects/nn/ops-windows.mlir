// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// Round-trip test of nn.conv3d, nn.max_pool3d, nn.avg_pool3d and
// nn.conv_transpose: each case is parsed, printed, re-parsed and printed again
// (once through the custom form, once through the generic form).

// Tests that nn.conv3d round-trips with a bias, padding, strides and groups.
// CHECK-LABEL: func.func @conv3d
// CHECK: nn.conv3d %{{.*}}, %{{.*}}, %{{.*}} {groups = 2 : i64, pads = array<i64: 1, 1, 1, 1, 1, 1>, strides = array<i64: 2, 2, 2>}
// CHECK-SAME: -> tensor<1x4x4x4x4xf32>
func.func @conv3d(%x: tensor<1x4x8x8x8xf32>, %w: tensor<4x2x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x4x4x4xf32> {
  %0 = nn.conv3d %x, %w, %b {strides = array<i64: 2, 2, 2>, pads = array<i64: 1, 1, 1, 1, 1, 1>, groups = 2 : i64} : (tensor<1x4x8x8x8xf32>, tensor<4x2x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x4x4xf32>
  return %0 : tensor<1x4x4x4x4xf32>
}

// Tests that nn.conv3d keeps a dynamic batch.
// CHECK-LABEL: func.func @conv3d_dynamic_batch
// CHECK: nn.conv3d {{.*}} -> tensor<?x3x2x2x2xf32>
func.func @conv3d_dynamic_batch(%x: tensor<?x2x4x4x4xf32>, %w: tensor<3x2x3x3x3xf32>) -> tensor<?x3x2x2x2xf32> {
  %0 = nn.conv3d %x, %w : (tensor<?x2x4x4x4xf32>, tensor<3x2x3x3x3xf32>) -> tensor<?x3x2x2x2xf32>
  return %0 : tensor<?x3x2x2x2xf32>
}

// Tests that nn.max_pool3d round-trips with dilations and ceil_mode.
// CHECK-LABEL: func.func @max_pool3d
// CHECK: nn.max_pool3d %{{.*}} {ceil_mode = true, dilations = array<i64: 2, 1, 1>, kernel_shape = array<i64: 2, 2, 2>, strides = array<i64: 2, 2, 2>}
// CHECK-SAME: -> tensor<1x3x2x3x3xf32>
func.func @max_pool3d(%x: tensor<1x3x5x5x5xf32>) -> tensor<1x3x2x3x3xf32> {
  %0 = nn.max_pool3d %x {kernel_shape = array<i64: 2, 2, 2>, strides = array<i64: 2, 2, 2>, dilations = array<i64: 2, 1, 1>, ceil_mode = true} : (tensor<1x3x5x5x5xf32>) -> tensor<1x3x2x3x3xf32>
  return %0 : tensor<1x3x2x3x3xf32>
}

// Tests that nn.avg_pool3d round-trips with padding and count_include_pad.
// CHECK-LABEL: func.func @avg_pool3d
// CHECK: nn.avg_pool3d %{{.*}} {count_include_pad = true, kernel_shape = array<i64: 3, 3, 3>, pads = array<i64: 1, 1, 1, 1, 1, 1>}
// CHECK-SAME: -> tensor<2x3x4x5x6xf32>
func.func @avg_pool3d(%x: tensor<2x3x4x5x6xf32>) -> tensor<2x3x4x5x6xf32> {
  %0 = nn.avg_pool3d %x {kernel_shape = array<i64: 3, 3, 3>, pads = array<i64: 1, 1, 1, 1, 1, 1>, count_include_pad = true} : (tensor<2x3x4x5x6xf32>) -> tensor<2x3x4x5x6xf32>
  return %0 : tensor<2x3x4x5x6xf32>
}

// Tests that nn.conv_transpose round-trips in 2-D with output_padding and a
// bias.
// CHECK-LABEL: func.func @conv_transpose_2d
// CHECK: nn.conv_transpose %{{.*}}, %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, output_padding = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 3, 2>}
// CHECK-SAME: -> tensor<1x2x10x8xf32>
func.func @conv_transpose_2d(%x: tensor<1x1x3x3xf32>, %w: tensor<1x2x3x3xf32>, %b: tensor<2xf32>) -> tensor<1x2x10x8xf32> {
  %0 = nn.conv_transpose %x, %w, %b {strides = array<i64: 3, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, output_padding = array<i64: 1, 1>} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x10x8xf32>
  return %0 : tensor<1x2x10x8xf32>
}

// Tests that nn.conv_transpose round-trips in 1-D with groups and negative
// pads, and in 3-D with a dynamic batch.
// CHECK-LABEL: func.func @conv_transpose_1d_3d
// CHECK: nn.conv_transpose {{.*}} {dilations = array<i64: 2>, groups = 2 : i64, output_padding = array<i64: 0>, pads = array<i64: -1, 0>, strides = array<i64: 2>}
// CHECK-SAME: -> tensor<2x6x12xf32>
// CHECK: nn.conv_transpose {{.*}} -> tensor<?x2x4x4x4xf32>
func.func @conv_transpose_1d_3d(%x: tensor<2x4x5xf32>, %w: tensor<4x3x2xf32>, %y: tensor<?x3x2x2x2xf32>, %v: tensor<3x2x3x3x3xf32>) -> (tensor<2x6x12xf32>, tensor<?x2x4x4x4xf32>) {
  %0 = nn.conv_transpose %x, %w {strides = array<i64: 2>, pads = array<i64: -1, 0>, dilations = array<i64: 2>, output_padding = array<i64: 0>, groups = 2 : i64} : (tensor<2x4x5xf32>, tensor<4x3x2xf32>) -> tensor<2x6x12xf32>
  %1 = nn.conv_transpose %y, %v {strides = array<i64: 1, 1, 1>, pads = array<i64: 0, 0, 0, 0, 0, 0>, dilations = array<i64: 1, 1, 1>, output_padding = array<i64: 0, 0, 0>} : (tensor<?x3x2x2x2xf32>, tensor<3x2x3x3x3xf32>) -> tensor<?x2x4x4x4xf32>
  return %0, %1 : tensor<2x6x12xf32>, tensor<?x2x4x4x4xf32>
}
