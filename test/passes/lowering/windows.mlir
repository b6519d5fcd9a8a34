// RUN: kiln-opt %s --nn-to-linalg | FileCheck %s

// Lowering of nn.conv3d, nn.conv_transpose and the 3-D pools
// (WindowPatterns.cpp); exec-windows.test checks their values.

// Tests that an ungrouped nn.conv3d pads its input and runs
// linalg.conv_3d_ncdhw_fcdhw into the broadcast bias, keeping a dynamic batch.
// CHECK-LABEL: func.func @conv3d
// CHECK: tensor.pad %{{.*}} low[0, 0, 1, 1, 1] high[0, 0, 0, 0, 0]
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%{{.*}} : tensor<4xf32>) outs(%{{.*}} : tensor<?x4x3x3x3xf32>) dimensions = [0, 2, 3, 4]
// CHECK: linalg.conv_3d_ncdhw_fcdhw {dilations = dense<1> : tensor<3xi64>, strides = dense<2> : tensor<3xi64>}
// CHECK-SAME: outs(%[[INIT]] : tensor<?x4x3x3x3xf32>)
func.func @conv3d(%x: tensor<?x4x6x6x6xf32>, %w: tensor<4x4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<?x4x3x3x3xf32> {
  %0 = nn.conv3d %x, %w, %b {strides = array<i64: 2, 2, 2>, pads = array<i64: 1, 1, 1, 0, 0, 0>} : (tensor<?x4x6x6x6xf32>, tensor<4x4x3x3x3xf32>, tensor<4xf32>) -> tensor<?x4x3x3x3xf32>
  return %0 : tensor<?x4x3x3x3xf32>
}

// Tests that a grouped nn.conv3d splits channels into (group, channel) and
// runs a linalg.generic with one reduction loop per kernel dimension.
// CHECK-LABEL: func.func @conv3d_grouped
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2], [3], [4], [5]] output_shape [1, 2, 2, 4, 4, 4]
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2], [3], [4], [5]] : tensor<1x2x3x3x3x3xf32> into tensor<1x6x3x3x3xf32>
func.func @conv3d_grouped(%x: tensor<1x4x4x4x4xf32>, %w: tensor<6x2x2x2x2xf32>) -> tensor<1x6x3x3x3xf32> {
  %0 = nn.conv3d %x, %w {groups = 2 : i64} : (tensor<1x4x4x4x4xf32>, tensor<6x2x2x2x2xf32>) -> tensor<1x6x3x3x3xf32>
  return %0 : tensor<1x6x3x3x3xf32>
}

// Tests that nn.conv_transpose spreads the input out by the strides into
// zeros (offset by the kernel extent less the pads), flips and transposes
// the weight, and runs a stride-1 linalg.conv_2d_nchw_fchw.
// CHECK-LABEL: func.func @conv_transpose
// CHECK: %[[SPREAD:.*]] = tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 1, 0] [1, 1, 3, 3] [1, 1, 3, 2] : tensor<1x1x3x3xf32> into tensor<1x1x9x5xf32>
// CHECK: %[[FLIP:.*]] = linalg.generic
// CHECK: %[[W:.*]] = tensor.collapse_shape %[[FLIP]] {{\[\[}}0, 1], [2], [3], [4]] : tensor<1x2x1x3x3xf32> into tensor<2x1x3x3xf32>
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[SPREAD]], %[[W]] :
func.func @conv_transpose(%x: tensor<1x1x3x3xf32>, %w: tensor<1x2x3x3xf32>) -> tensor<1x2x7x3xf32> {
  %0 = nn.conv_transpose %x, %w {strides = array<i64: 3, 2>, pads = array<i64: 1, 2, 1, 2>, dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>} : (tensor<1x1x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x7x3xf32>
  return %0 : tensor<1x2x7x3xf32>
}

// Tests that nn.max_pool3d reduces each window with arith.maximumf from -inf.
// CHECK-LABEL: func.func @max_pool3d
// CHECK: %[[LOWEST:.*]] = arith.constant 0xFF800000 : f32
// CHECK: linalg.fill ins(%[[LOWEST]] : f32)
// CHECK: linalg.generic
// CHECK: arith.maximumf
func.func @max_pool3d(%x: tensor<1x2x4x4x4xf32>) -> tensor<1x2x2x2x2xf32> {
  %0 = nn.max_pool3d %x {kernel_shape = array<i64: 2, 2, 2>, strides = array<i64: 2, 2, 2>} : (tensor<1x2x4x4x4xf32>) -> tensor<1x2x2x2x2xf32>
  return %0 : tensor<1x2x2x2x2xf32>
}

// Tests that nn.avg_pool3d sums zero-padded windows and divides by a constant
// tensor of counts that excludes the padding (8 at a corner, 27 inside).
// CHECK-LABEL: func.func @avg_pool3d
// CHECK: tensor.pad %{{.*}} low[0, 0, 1, 1, 1] high[0, 0, 1, 1, 1]
// CHECK: linalg.generic
// CHECK: arith.addf
// CHECK: arith.constant dense<{{\[\[\[}}8.000000e+00, 1.200000e+01{{.*}}2.700000e+01{{.*}}> : tensor<4x4x4xf32>
// CHECK: linalg.generic
// CHECK: arith.divf

func.func @avg_pool3d(%x: tensor<1x2x4x4x4xf32>) -> tensor<1x2x4x4x4xf32> {
  %0 = nn.avg_pool3d %x {kernel_shape = array<i64: 3, 3, 3>, pads = array<i64: 1, 1, 1, 1, 1, 1>} : (tensor<1x2x4x4x4xf32>) -> tensor<1x2x4x4x4xf32>
  return %0 : tensor<1x2x4x4x4xf32>
}
