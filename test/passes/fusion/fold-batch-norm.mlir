// RUN: kiln-opt %s --nn-fold-batch-norm --split-input-file | FileCheck %s

// Tests that a batch norm after a bias-free conv becomes the conv's bias and
// scales each output channel's weights. Channel 0: s = 2 / sqrt(3 + 1) = 1,
// t = 0.1 - 0.3 = -0.2; channel 1: s = 0.5 / sqrt(0 + 1) = 0.5, t = -0.2.

// CHECK-LABEL: func @conv_without_bias
// CHECK-DAG:     %[[W:.*]] = nn.constant dense<{{\[\[\[\[}}5.000000e-01]], {{\[\[}}1.000000e+00]]], {{\[\[\[}}2.500000e-01]], {{\[\[}}-5.000000e-01]]]]> : tensor<2x2x1x1xf32>
// CHECK-DAG:     %[[B:.*]] = nn.constant dense<[-0.200000018, -2.000000e-01]> : tensor<2xf32>
// CHECK:         %[[C:.*]] = nn.conv2d %{{.*}}, %[[W]], %[[B]] :
// CHECK-NOT:     nn.batch_norm
// CHECK:         return %[[C]]
func.func @conv_without_bias(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = nn.constant dense<[[[[0.5]], [[1.0]]], [[[0.5]], [[-1.0]]]]> : tensor<2x2x1x1xf32>
  %scale = nn.constant dense<[2.0, 0.5]> : tensor<2xf32>
  %shift = nn.constant dense<[0.1, -0.2]> : tensor<2xf32>
  %mean = nn.constant dense<[0.3, 0.0]> : tensor<2xf32>
  %var = nn.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %c = nn.conv2d %x, %w : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %y = nn.batch_norm %c, %scale, %shift, %mean, %var {epsilon = 1.0 : f64}
      : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// Tests that an existing conv bias is scaled and shifted: b' = (b - mean) * s + t
// = (1 - 1) * 2 + 3 = 3, and that strides and padding are kept.

// CHECK-LABEL: func @conv_with_bias
// CHECK-DAG:     %[[W:.*]] = nn.constant dense<4.000000e+00> : tensor<1x1x3x3xf32>
// CHECK-DAG:     %[[B:.*]] = nn.constant dense<3.000000e+00> : tensor<1xf32>
// CHECK:         nn.conv2d %{{.*}}, %[[W]], %[[B]] {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
// CHECK-NOT:     nn.batch_norm
func.func @conv_with_bias(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  %w = nn.constant dense<2.0> : tensor<1x1x3x3xf32>
  %b = nn.constant dense<1.0> : tensor<1xf32>
  %scale = nn.constant dense<2.0> : tensor<1xf32>
  %shift = nn.constant dense<3.0> : tensor<1xf32>
  %mean = nn.constant dense<1.0> : tensor<1xf32>
  %var = nn.constant dense<1.0> : tensor<1xf32>
  %c = nn.conv2d %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>}
      : (tensor<1x1x4x4xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  %y = nn.batch_norm %c, %scale, %shift, %mean, %var {epsilon = 0.0 : f64}
      : (tensor<1x1x2x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  return %y : tensor<1x1x2x2xf32>
}

// -----

// Tests that dense_resource weights are read and the folded weights stay a
// dense_resource blob (0x04000000 is the blob's 4-byte alignment header);
// w = [1, 2] scaled by [2, 3] is [2, 6].

// CHECK-LABEL: func @resource_weights
// CHECK-DAG:     %[[W:.*]] = nn.constant dense_resource<w_bn_folded> : tensor<2x1x1x1xf32>
// CHECK-DAG:     %[[B:.*]] = nn.constant dense_resource<w_bias_bn_folded> : tensor<2xf32>
// CHECK:         nn.conv2d %{{.*}}, %[[W]], %[[B]]
// CHECK-NOT:     nn.batch_norm
// CHECK-DAG:     w_bn_folded: "0x04000000000000400000C040"
// CHECK-DAG:     w_bias_bn_folded: "0x040000000000000000000000"
func.func @resource_weights(%x: tensor<1x1x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = nn.constant dense_resource<w> : tensor<2x1x1x1xf32>
  %one = nn.constant dense<1.0> : tensor<2xf32>
  %scale = nn.constant dense<[2.0, 3.0]> : tensor<2xf32>
  %zero = nn.constant dense<0.0> : tensor<2xf32>
  %c = nn.conv2d %x, %w : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %y = nn.batch_norm %c, %scale, %zero, %zero, %one {epsilon = 0.0 : f64}
      : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %y : tensor<1x2x2x2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F00000040"
    }
  }
#-}

// -----

// Tests that nothing changes when the conv has another user or when a
// parameter is not a constant.

// CHECK-LABEL: func @not_foldable
// CHECK-COUNT-2: nn.batch_norm
func.func @not_foldable(%x: tensor<1x1x2x2xf32>, %p: tensor<1xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) {
  %w = nn.constant dense<1.0> : tensor<1x1x1x1xf32>
  %one = nn.constant dense<1.0> : tensor<1xf32>
  %c = nn.conv2d %x, %w : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %y = nn.batch_norm %c, %one, %one, %one, %one
      : (tensor<1x1x2x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  %c2 = nn.conv2d %x, %w : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32>
  %z = nn.batch_norm %c2, %p, %one, %one, %one
      : (tensor<1x1x2x2xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  return %c, %y, %z : tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>
}
