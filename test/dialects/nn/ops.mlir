// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// Round-trip test of every op of the nn dialect: each case is parsed, printed,
// re-parsed and printed again (once through the custom form, once through the
// generic form). Every result type below is the one the dialect infers, so a
// case also checks shape inference.

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

// Tests that dense constants of float, integer, i1, 0-D and bf16 tensors round-trip.
// CHECK-LABEL: func @constant_dense(
// CHECK:         %[[A:.*]] = nn.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK:         %[[B:.*]] = nn.constant dense<{{\[\[}}1, 2], [3, 4]]> : tensor<2x2xi64>
// CHECK:         %[[C:.*]] = nn.constant dense<[true, false, true]> : tensor<3xi1>
// CHECK:         %[[D:.*]] = nn.constant dense<2.500000e+00> : tensor<f32>
// CHECK:         %[[E:.*]] = nn.constant dense<[1.000000e+00, -2.000000e+00]> : tensor<2xbf16>
// CHECK:         return %[[A]], %[[B]], %[[C]], %[[D]], %[[E]]
func.func @constant_dense() -> (tensor<4xf32>, tensor<2x2xi64>, tensor<3xi1>, tensor<f32>, tensor<2xbf16>) {
  %a = nn.constant dense<0.0> : tensor<4xf32>
  %b = nn.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi64>
  %c = nn.constant dense<[true, false, true]> : tensor<3xi1>
  %d = nn.constant dense<2.5> : tensor<f32>
  %e = nn.constant dense<[1.0, -2.0]> : tensor<2xbf16>
  return %a, %b, %c, %d, %e : tensor<4xf32>, tensor<2x2xi64>, tensor<3xi1>, tensor<f32>, tensor<2xbf16>
}

// Tests that a dense_resource constant round-trips with its blob (the blob is
// checked at the end of the file, where it is printed).
// CHECK-LABEL: func @constant_dense_resource(
// CHECK:         %[[W:.*]] = nn.constant dense_resource<conv1_weight> : tensor<2x1x1x1xf32>
// CHECK:         return %[[W]]
func.func @constant_dense_resource() -> tensor<2x1x1x1xf32> {
  %w = nn.constant dense_resource<conv1_weight> : tensor<2x1x1x1xf32>
  return %w : tensor<2x1x1x1xf32>
}

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

// Tests that conv2d without bias and with default attributes prints no attributes;
// H' = 32 - 3 + 1 = 30.
// CHECK-LABEL: func @conv2d_no_bias(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<1x3x32x32xf32>, %[[W:[^:]*]]: tensor<16x3x3x3xf32>
// CHECK:         %[[Y:.*]] = nn.conv2d %[[X]], %[[W]] : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x30x30xf32>
// CHECK:         return %[[Y]]
func.func @conv2d_no_bias(%x: tensor<1x3x32x32xf32>, %w: tensor<16x3x3x3xf32>) -> tensor<1x16x30x30xf32> {
  %y = nn.conv2d %x, %w : (tensor<1x3x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x30x30xf32>
  return %y : tensor<1x16x30x30xf32>
}

// Tests that conv2d with a bias, strides and pads (ResNet stem) round-trips;
// H' = floor((224 + 3 + 3 - 7) / 2) + 1 = 112.
// CHECK-LABEL: func @conv2d_bias(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<1x3x224x224xf32>, %[[W:[^:]*]]: tensor<64x3x7x7xf32>, %[[B:[^:]*]]: tensor<64xf32>
// CHECK:         %[[Y:.*]] = nn.conv2d %[[X]], %[[W]], %[[B]]
// CHECK-SAME:      {pads = array<i64: 3, 3, 3, 3>, strides = array<i64: 2, 2>}
// CHECK-SAME:      : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<1x64x112x112xf32>
func.func @conv2d_bias(%x: tensor<1x3x224x224xf32>, %w: tensor<64x3x7x7xf32>, %b: tensor<64xf32>) -> tensor<1x64x112x112xf32> {
  %y = nn.conv2d %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 3, 3, 3, 3>}
      : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<1x64x112x112xf32>
  return %y : tensor<1x64x112x112xf32>
}

// Tests that conv2d with asymmetric strides and pads, dilations and groups
// round-trips; pads are [top, left, bottom, right], so
// H' = floor((16 + 0 + 2 - 2 * 2 - 1) / 2) + 1 = 7 and
// W' = floor((16 + 1 + 3 - 2 * 2 - 1) / 1) + 1 = 16.
// CHECK-LABEL: func @conv2d_dilations_groups(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<1x4x16x16xf32>, %[[W:[^:]*]]: tensor<8x2x3x3xf32>
// CHECK:         nn.conv2d %[[X]], %[[W]]
// CHECK-SAME:      {dilations = array<i64: 2, 2>, groups = 2 : i64, pads = array<i64: 0, 1, 2, 3>, strides = array<i64: 2, 1>}
// CHECK-SAME:      : (tensor<1x4x16x16xf32>, tensor<8x2x3x3xf32>) -> tensor<1x8x7x16xf32>
func.func @conv2d_dilations_groups(%x: tensor<1x4x16x16xf32>, %w: tensor<8x2x3x3xf32>) -> tensor<1x8x7x16xf32> {
  %y = nn.conv2d %x, %w {strides = array<i64: 2, 1>, pads = array<i64: 0, 1, 2, 3>, dilations = array<i64: 2, 2>, groups = 2 : i64}
      : (tensor<1x4x16x16xf32>, tensor<8x2x3x3xf32>) -> tensor<1x8x7x16xf32>
  return %y : tensor<1x8x7x16xf32>
}

// Tests that a depthwise conv2d (groups = channels, one input channel per group) round-trips.
// CHECK-LABEL: func @conv2d_depthwise(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<1x32x56x56xf32>, %[[W:[^:]*]]: tensor<32x1x3x3xf32>, %[[B:[^:]*]]: tensor<32xf32>
// CHECK:         nn.conv2d %[[X]], %[[W]], %[[B]]
// CHECK-SAME:      {groups = 32 : i64, pads = array<i64: 1, 1, 1, 1>}
// CHECK-SAME:      : (tensor<1x32x56x56xf32>, tensor<32x1x3x3xf32>, tensor<32xf32>) -> tensor<1x32x56x56xf32>
func.func @conv2d_depthwise(%x: tensor<1x32x56x56xf32>, %w: tensor<32x1x3x3xf32>, %b: tensor<32xf32>) -> tensor<1x32x56x56xf32> {
  %y = nn.conv2d %x, %w, %b {pads = array<i64: 1, 1, 1, 1>, groups = 32 : i64}
      : (tensor<1x32x56x56xf32>, tensor<32x1x3x3xf32>, tensor<32xf32>) -> tensor<1x32x56x56xf32>
  return %y : tensor<1x32x56x56xf32>
}

// Tests that conv2d keeps a dynamic batch dimension in its result.
// CHECK-LABEL: func @conv2d_dynamic_batch(
// CHECK:         nn.conv2d
// CHECK-SAME:      : (tensor<?x3x224x224xf32>, tensor<64x3x7x7xf32>) -> tensor<?x64x112x112xf32>
func.func @conv2d_dynamic_batch(%x: tensor<?x3x224x224xf32>, %w: tensor<64x3x7x7xf32>) -> tensor<?x64x112x112xf32> {
  %y = nn.conv2d %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 3, 3, 3, 3>}
      : (tensor<?x3x224x224xf32>, tensor<64x3x7x7xf32>) -> tensor<?x64x112x112xf32>
  return %y : tensor<?x64x112x112xf32>
}

//===----------------------------------------------------------------------===//
// Matrix products
//===----------------------------------------------------------------------===//

// Tests that a 2-D matmul round-trips.
// CHECK-LABEL: func @matmul_2d(
// CHECK-SAME:    %[[A:[^:]*]]: tensor<64x784xf32>, %[[B:[^:]*]]: tensor<784x512xf32>
// CHECK:         %[[Y:.*]] = nn.matmul %[[A]], %[[B]] : (tensor<64x784xf32>, tensor<784x512xf32>) -> tensor<64x512xf32>
// CHECK:         return %[[Y]]
func.func @matmul_2d(%a: tensor<64x784xf32>, %b: tensor<784x512xf32>) -> tensor<64x512xf32> {
  %y = nn.matmul %a, %b : (tensor<64x784xf32>, tensor<784x512xf32>) -> tensor<64x512xf32>
  return %y : tensor<64x512xf32>
}

// Tests that matmul promotes 1-D operands (lhs to a row, rhs to a column) and
// drops the promoted dimension, down to a 0-D result for vector x vector.
// CHECK-LABEL: func @matmul_1d_promotion(
// CHECK-SAME:    %[[V:[^:]*]]: tensor<8xf32>, %[[M:[^:]*]]: tensor<8x16xf32>, %[[N:[^:]*]]: tensor<4x8xf32>, %[[BM:[^:]*]]: tensor<2x8x16xf32>
// CHECK:         nn.matmul %[[V]], %[[M]] : (tensor<8xf32>, tensor<8x16xf32>) -> tensor<16xf32>
// CHECK:         nn.matmul %[[N]], %[[V]] : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4xf32>
// CHECK:         nn.matmul %[[V]], %[[V]] : (tensor<8xf32>, tensor<8xf32>) -> tensor<f32>
// CHECK:         nn.matmul %[[V]], %[[BM]] : (tensor<8xf32>, tensor<2x8x16xf32>) -> tensor<2x16xf32>
func.func @matmul_1d_promotion(%v: tensor<8xf32>, %m: tensor<8x16xf32>, %n: tensor<4x8xf32>, %bm: tensor<2x8x16xf32>) -> (tensor<16xf32>, tensor<4xf32>, tensor<f32>, tensor<2x16xf32>) {
  %a = nn.matmul %v, %m : (tensor<8xf32>, tensor<8x16xf32>) -> tensor<16xf32>
  %b = nn.matmul %n, %v : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4xf32>
  %c = nn.matmul %v, %v : (tensor<8xf32>, tensor<8xf32>) -> tensor<f32>
  %d = nn.matmul %v, %bm : (tensor<8xf32>, tensor<2x8x16xf32>) -> tensor<2x16xf32>
  return %a, %b, %c, %d : tensor<16xf32>, tensor<4xf32>, tensor<f32>, tensor<2x16xf32>
}

// Tests that matmul broadcasts batch dimensions of different ranks (2x1 with 3,
// and 2x1 with none).
// CHECK-LABEL: func @matmul_batch_broadcast(
// CHECK-SAME:    %[[A:[^:]*]]: tensor<2x1x4x8xf32>, %[[B:[^:]*]]: tensor<3x8x16xf32>, %[[C:[^:]*]]: tensor<8x16xf32>
// CHECK:         nn.matmul %[[A]], %[[B]] : (tensor<2x1x4x8xf32>, tensor<3x8x16xf32>) -> tensor<2x3x4x16xf32>
// CHECK:         nn.matmul %[[A]], %[[C]] : (tensor<2x1x4x8xf32>, tensor<8x16xf32>) -> tensor<2x1x4x16xf32>
func.func @matmul_batch_broadcast(%a: tensor<2x1x4x8xf32>, %b: tensor<3x8x16xf32>, %c: tensor<8x16xf32>) -> (tensor<2x3x4x16xf32>, tensor<2x1x4x16xf32>) {
  %x = nn.matmul %a, %b : (tensor<2x1x4x8xf32>, tensor<3x8x16xf32>) -> tensor<2x3x4x16xf32>
  %y = nn.matmul %a, %c : (tensor<2x1x4x8xf32>, tensor<8x16xf32>) -> tensor<2x1x4x16xf32>
  return %x, %y : tensor<2x3x4x16xf32>, tensor<2x1x4x16xf32>
}

// Tests that matmul accepts integer element types.
// CHECK-LABEL: func @matmul_integer(
// CHECK:         nn.matmul %{{.*}}, %{{.*}} : (tensor<4x8xi32>, tensor<8x2xi32>) -> tensor<4x2xi32>
func.func @matmul_integer(%a: tensor<4x8xi32>, %b: tensor<8x2xi32>) -> tensor<4x2xi32> {
  %y = nn.matmul %a, %b : (tensor<4x8xi32>, tensor<8x2xi32>) -> tensor<4x2xi32>
  return %y : tensor<4x2xi32>
}

// Tests that matmul keeps a dynamic batch dimension, both as the row dimension
// of a 2-D lhs and as a broadcast batch dimension.
// CHECK-LABEL: func @matmul_dynamic_batch(
// CHECK:         nn.matmul %{{.*}}, %{{.*}} : (tensor<?x784xf32>, tensor<784x512xf32>) -> tensor<?x512xf32>
// CHECK:         nn.matmul %{{.*}}, %{{.*}} : (tensor<?x12x64x32xf32>, tensor<?x12x32x64xf32>) -> tensor<?x12x64x64xf32>
func.func @matmul_dynamic_batch(%a: tensor<?x784xf32>, %b: tensor<784x512xf32>, %c: tensor<?x12x64x32xf32>, %d: tensor<?x12x32x64xf32>) -> (tensor<?x512xf32>, tensor<?x12x64x64xf32>) {
  %x = nn.matmul %a, %b : (tensor<?x784xf32>, tensor<784x512xf32>) -> tensor<?x512xf32>
  %y = nn.matmul %c, %d : (tensor<?x12x64x32xf32>, tensor<?x12x32x64xf32>) -> tensor<?x12x64x64xf32>
  return %x, %y : tensor<?x512xf32>, tensor<?x12x64x64xf32>
}

// Tests that batch_matmul round-trips with equal and with broadcast (1 vs 5)
// batch dimensions.
// CHECK-LABEL: func @batch_matmul(
// CHECK-SAME:    %[[A:[^:]*]]: tensor<5x4x8xf32>, %[[B:[^:]*]]: tensor<5x8x16xf32>, %[[C:[^:]*]]: tensor<1x4x8xf32>
// CHECK:         nn.batch_matmul %[[A]], %[[B]] : (tensor<5x4x8xf32>, tensor<5x8x16xf32>) -> tensor<5x4x16xf32>
// CHECK:         nn.batch_matmul %[[C]], %[[B]] : (tensor<1x4x8xf32>, tensor<5x8x16xf32>) -> tensor<5x4x16xf32>
func.func @batch_matmul(%a: tensor<5x4x8xf32>, %b: tensor<5x8x16xf32>, %c: tensor<1x4x8xf32>) -> (tensor<5x4x16xf32>, tensor<5x4x16xf32>) {
  %x = nn.batch_matmul %a, %b : (tensor<5x4x8xf32>, tensor<5x8x16xf32>) -> tensor<5x4x16xf32>
  %y = nn.batch_matmul %c, %b : (tensor<1x4x8xf32>, tensor<5x8x16xf32>) -> tensor<5x4x16xf32>
  return %x, %y : tensor<5x4x16xf32>, tensor<5x4x16xf32>
}

// Tests that gemm without C and with default attributes prints no attributes.
// CHECK-LABEL: func @gemm_no_c(
// CHECK-SAME:    %[[A:[^:]*]]: tensor<4x8xf32>, %[[B:[^:]*]]: tensor<8x16xf32>
// CHECK:         nn.gemm %[[A]], %[[B]] : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
func.func @gemm_no_c(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %y = nn.gemm %a, %b : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}

// Tests that gemm with C (1-D broadcast and full M x N), trans_a, trans_b,
// alpha and beta round-trips; A^T is 4x8 and B^T is 8x16.
// CHECK-LABEL: func @gemm_with_c(
// CHECK-SAME:    %[[A:[^:]*]]: tensor<8x4xf32>, %[[B:[^:]*]]: tensor<16x8xf32>, %[[C:[^:]*]]: tensor<16xf32>, %[[C2:[^:]*]]: tensor<4x16xf32>
// CHECK:         nn.gemm %[[A]], %[[B]], %[[C]]
// CHECK-SAME:      {alpha = 5.000000e-01 : f64, beta = 2.000000e+00 : f64, trans_a = true, trans_b = true}
// CHECK-SAME:      : (tensor<8x4xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<4x16xf32>
// CHECK:         nn.gemm %[[A]], %[[B]], %[[C2]] {trans_a = true, trans_b = true}
// CHECK-SAME:      : (tensor<8x4xf32>, tensor<16x8xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
func.func @gemm_with_c(%a: tensor<8x4xf32>, %b: tensor<16x8xf32>, %c: tensor<16xf32>, %c2: tensor<4x16xf32>) -> (tensor<4x16xf32>, tensor<4x16xf32>) {
  %x = nn.gemm %a, %b, %c {trans_a = true, trans_b = true, alpha = 0.5 : f64, beta = 2.0 : f64}
      : (tensor<8x4xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  %y = nn.gemm %a, %b, %c2 {trans_a = true, trans_b = true}
      : (tensor<8x4xf32>, tensor<16x8xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
  return %x, %y : tensor<4x16xf32>, tensor<4x16xf32>
}

// Tests that linear with a bias round-trips (weight is N x K).
// CHECK-LABEL: func @linear(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<4x8xf32>, %[[W:[^:]*]]: tensor<16x8xf32>, %[[B:[^:]*]]: tensor<16xf32>
// CHECK:         nn.linear %[[X]], %[[W]], %[[B]] : (tensor<4x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<4x16xf32>
func.func @linear(%x: tensor<4x8xf32>, %w: tensor<16x8xf32>, %b: tensor<16xf32>) -> tensor<4x16xf32> {
  %y = nn.linear %x, %w, %b : (tensor<4x8xf32>, tensor<16x8xf32>, tensor<16xf32>) -> tensor<4x16xf32>
  return %y : tensor<4x16xf32>
}

// Tests that linear without a bias keeps the leading dimensions of a 3-D input.
// CHECK-LABEL: func @linear_no_bias_3d(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<2x5x8xf32>, %[[W:[^:]*]]: tensor<16x8xf32>
// CHECK:         nn.linear %[[X]], %[[W]] : (tensor<2x5x8xf32>, tensor<16x8xf32>) -> tensor<2x5x16xf32>
func.func @linear_no_bias_3d(%x: tensor<2x5x8xf32>, %w: tensor<16x8xf32>) -> tensor<2x5x16xf32> {
  %y = nn.linear %x, %w : (tensor<2x5x8xf32>, tensor<16x8xf32>) -> tensor<2x5x16xf32>
  return %y : tensor<2x5x16xf32>
}

// Tests that linear keeps a dynamic batch dimension.
// CHECK-LABEL: func @linear_dynamic_batch(
// CHECK:         nn.linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x512xf32>, tensor<10x512xf32>, tensor<10xf32>) -> tensor<?x10xf32>
func.func @linear_dynamic_batch(%x: tensor<?x512xf32>, %w: tensor<10x512xf32>, %b: tensor<10xf32>) -> tensor<?x10xf32> {
  %y = nn.linear %x, %w, %b : (tensor<?x512xf32>, tensor<10x512xf32>, tensor<10xf32>) -> tensor<?x10xf32>
  return %y : tensor<?x10xf32>
}

//===----------------------------------------------------------------------===//
// Elementwise binary ops, where, cast, clip
//===----------------------------------------------------------------------===//

// Tests that add, sub, mul, div, pow, max and min round-trip on equal shapes.
// CHECK-LABEL: func @binary_same_shape(
// CHECK-SAME:    %[[A:[^:]*]]: tensor<2x3xf32>, %[[B:[^:]*]]: tensor<2x3xf32>
// CHECK:         nn.add %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         nn.sub %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         nn.mul %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         nn.div %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         nn.pow %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         nn.max %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         nn.min %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @binary_same_shape(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = nn.add %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = nn.sub %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = nn.mul %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = nn.div %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %4 = nn.pow %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %5 = nn.max %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %6 = nn.min %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// Tests that the binary ops broadcast as NumPy does: ranks align from the
// right, unit dimensions stretch, and a 0-D operand broadcasts to anything.
// CHECK-LABEL: func @binary_broadcast(
// CHECK-SAME:    %[[A:[^:]*]]: tensor<2x1x3xf32>, %[[B:[^:]*]]: tensor<4x1xf32>, %[[S:[^:]*]]: tensor<f32>
// CHECK:         nn.add %[[A]], %[[B]] : (tensor<2x1x3xf32>, tensor<4x1xf32>) -> tensor<2x4x3xf32>
// CHECK:         nn.sub %[[B]], %[[A]] : (tensor<4x1xf32>, tensor<2x1x3xf32>) -> tensor<2x4x3xf32>
// CHECK:         nn.mul %[[B]], %[[S]] : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
// CHECK:         nn.div %[[S]], %[[A]] : (tensor<f32>, tensor<2x1x3xf32>) -> tensor<2x1x3xf32>
// CHECK:         nn.pow %[[A]], %[[S]] : (tensor<2x1x3xf32>, tensor<f32>) -> tensor<2x1x3xf32>
// CHECK:         nn.max %[[A]], %[[B]] : (tensor<2x1x3xf32>, tensor<4x1xf32>) -> tensor<2x4x3xf32>
// CHECK:         nn.min %[[B]], %[[A]] : (tensor<4x1xf32>, tensor<2x1x3xf32>) -> tensor<2x4x3xf32>
func.func @binary_broadcast(%a: tensor<2x1x3xf32>, %b: tensor<4x1xf32>, %s: tensor<f32>) -> (tensor<2x4x3xf32>, tensor<2x4x3xf32>, tensor<4x1xf32>, tensor<2x1x3xf32>, tensor<2x1x3xf32>, tensor<2x4x3xf32>, tensor<2x4x3xf32>) {
  %0 = nn.add %a, %b : (tensor<2x1x3xf32>, tensor<4x1xf32>) -> tensor<2x4x3xf32>
  %1 = nn.sub %b, %a : (tensor<4x1xf32>, tensor<2x1x3xf32>) -> tensor<2x4x3xf32>
  %2 = nn.mul %b, %s : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %3 = nn.div %s, %a : (tensor<f32>, tensor<2x1x3xf32>) -> tensor<2x1x3xf32>
  %4 = nn.pow %a, %s : (tensor<2x1x3xf32>, tensor<f32>) -> tensor<2x1x3xf32>
  %5 = nn.max %a, %b : (tensor<2x1x3xf32>, tensor<4x1xf32>) -> tensor<2x4x3xf32>
  %6 = nn.min %b, %a : (tensor<4x1xf32>, tensor<2x1x3xf32>) -> tensor<2x4x3xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<2x4x3xf32>, tensor<2x4x3xf32>, tensor<4x1xf32>, tensor<2x1x3xf32>, tensor<2x1x3xf32>, tensor<2x4x3xf32>, tensor<2x4x3xf32>
}

// Tests that the binary ops accept integer element types (i32, i64, i8),
// with broadcasting.
// CHECK-LABEL: func @binary_integer(
// CHECK-SAME:    %[[A:[^:]*]]: tensor<2x3xi32>, %[[B:[^:]*]]: tensor<3xi32>, %[[C:[^:]*]]: tensor<4xi64>, %[[D:[^:]*]]: tensor<4xi8>
// CHECK:         nn.add %[[A]], %[[B]] : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
// CHECK:         nn.sub %[[A]], %[[B]] : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
// CHECK:         nn.mul %[[B]], %[[A]] : (tensor<3xi32>, tensor<2x3xi32>) -> tensor<2x3xi32>
// CHECK:         nn.div %[[A]], %[[B]] : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
// CHECK:         nn.pow %[[C]], %[[C]] : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
// CHECK:         nn.max %[[C]], %[[C]] : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
// CHECK:         nn.min %[[D]], %[[D]] : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
func.func @binary_integer(%a: tensor<2x3xi32>, %b: tensor<3xi32>, %c: tensor<4xi64>, %d: tensor<4xi8>) -> (tensor<2x3xi32>, tensor<2x3xi32>, tensor<2x3xi32>, tensor<2x3xi32>, tensor<4xi64>, tensor<4xi64>, tensor<4xi8>) {
  %0 = nn.add %a, %b : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
  %1 = nn.sub %a, %b : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
  %2 = nn.mul %b, %a : (tensor<3xi32>, tensor<2x3xi32>) -> tensor<2x3xi32>
  %3 = nn.div %a, %b : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
  %4 = nn.pow %c, %c : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %5 = nn.max %c, %c : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %6 = nn.min %d, %d : (tensor<4xi8>, tensor<4xi8>) -> tensor<4xi8>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<2x3xi32>, tensor<2x3xi32>, tensor<2x3xi32>, tensor<2x3xi32>, tensor<4xi64>, tensor<4xi64>, tensor<4xi8>
}

// Tests that the binary ops keep a dynamic batch dimension when it broadcasts
// against a missing, an equal dynamic, or a unit dimension.
// CHECK-LABEL: func @binary_dynamic_batch(
// CHECK:         nn.sub %{{.*}}, %{{.*}} : (tensor<?x3x224x224xf32>, tensor<3x1x1xf32>) -> tensor<?x3x224x224xf32>
// CHECK:         nn.add %{{.*}}, %{{.*}} : (tensor<?x3x224x224xf32>, tensor<?x3x224x224xf32>) -> tensor<?x3x224x224xf32>
// CHECK:         nn.mul %{{.*}}, %{{.*}} : (tensor<1x3x224x224xf32>, tensor<?x3x224x224xf32>) -> tensor<?x3x224x224xf32>
func.func @binary_dynamic_batch(%x: tensor<?x3x224x224xf32>, %m: tensor<3x1x1xf32>, %y: tensor<?x3x224x224xf32>, %z: tensor<1x3x224x224xf32>) -> (tensor<?x3x224x224xf32>, tensor<?x3x224x224xf32>, tensor<?x3x224x224xf32>) {
  %0 = nn.sub %x, %m : (tensor<?x3x224x224xf32>, tensor<3x1x1xf32>) -> tensor<?x3x224x224xf32>
  %1 = nn.add %x, %y : (tensor<?x3x224x224xf32>, tensor<?x3x224x224xf32>) -> tensor<?x3x224x224xf32>
  %2 = nn.mul %z, %x : (tensor<1x3x224x224xf32>, tensor<?x3x224x224xf32>) -> tensor<?x3x224x224xf32>
  return %0, %1, %2 : tensor<?x3x224x224xf32>, tensor<?x3x224x224xf32>, tensor<?x3x224x224xf32>
}

// Tests that where round-trips with all three operands broadcasting together
// (a 0-D value, and a condition that broadcasts against 2x1 and 3 values).
// CHECK-LABEL: func @where(
// CHECK-SAME:    %[[C:[^:]*]]: tensor<2x3xi1>, %[[A:[^:]*]]: tensor<2x3xf32>, %[[B:[^:]*]]: tensor<f32>, %[[CV:[^:]*]]: tensor<3xi1>, %[[I:[^:]*]]: tensor<2x1xi64>, %[[J:[^:]*]]: tensor<3xi64>
// CHECK:         nn.where %[[C]], %[[A]], %[[B]] : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
// CHECK:         nn.where %[[CV]], %[[I]], %[[J]] : (tensor<3xi1>, tensor<2x1xi64>, tensor<3xi64>) -> tensor<2x3xi64>
func.func @where(%c: tensor<2x3xi1>, %a: tensor<2x3xf32>, %b: tensor<f32>, %cv: tensor<3xi1>, %i: tensor<2x1xi64>, %j: tensor<3xi64>) -> (tensor<2x3xf32>, tensor<2x3xi64>) {
  %0 = nn.where %c, %a, %b : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %1 = nn.where %cv, %i, %j : (tensor<3xi1>, tensor<2x1xi64>, tensor<3xi64>) -> tensor<2x3xi64>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xi64>
}

// Tests that cast round-trips between float, integer and i1 element types.
// CHECK-LABEL: func @cast(
// CHECK-SAME:    %[[F:[^:]*]]: tensor<4xf32>, %[[I:[^:]*]]: tensor<2x2xi64>
// CHECK:         nn.cast %[[F]] : tensor<4xf32> -> tensor<4xi64>
// CHECK:         nn.cast %[[F]] : tensor<4xf32> -> tensor<4xf16>
// CHECK:         nn.cast %[[I]] : tensor<2x2xi64> -> tensor<2x2xf32>
// CHECK:         nn.cast %[[I]] : tensor<2x2xi64> -> tensor<2x2xi1>
func.func @cast(%f: tensor<4xf32>, %i: tensor<2x2xi64>) -> (tensor<4xi64>, tensor<4xf16>, tensor<2x2xf32>, tensor<2x2xi1>) {
  %0 = nn.cast %f : tensor<4xf32> -> tensor<4xi64>
  %1 = nn.cast %f : tensor<4xf32> -> tensor<4xf16>
  %2 = nn.cast %i : tensor<2x2xi64> -> tensor<2x2xf32>
  %3 = nn.cast %i : tensor<2x2xi64> -> tensor<2x2xi1>
  return %0, %1, %2, %3 : tensor<4xi64>, tensor<4xf16>, tensor<2x2xf32>, tensor<2x2xi1>
}

// Tests that clip round-trips with both bounds, only a lower bound, only an
// upper bound, and on an integer tensor.
// CHECK-LABEL: func @clip(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<8xf32>, %[[I:[^:]*]]: tensor<8xi32>
// CHECK:         nn.clip %[[X]] {max = 6.000000e+00 : f64, min = 0.000000e+00 : f64} : tensor<8xf32>
// CHECK:         nn.clip %[[X]] {min = -1.500000e+00 : f64} : tensor<8xf32>
// CHECK:         nn.clip %[[X]] {max = 1.000000e+00 : f64} : tensor<8xf32>
// CHECK:         nn.clip %[[I]] {max = 1.270000e+02 : f64, min = -1.280000e+02 : f64} : tensor<8xi32>
func.func @clip(%x: tensor<8xf32>, %i: tensor<8xi32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xi32>) {
  %0 = nn.clip %x {min = 0.0 : f64, max = 6.0 : f64} : tensor<8xf32>
  %1 = nn.clip %x {min = -1.5 : f64} : tensor<8xf32>
  %2 = nn.clip %x {max = 1.0 : f64} : tensor<8xf32>
  %3 = nn.clip %i {min = -128.0 : f64, max = 127.0 : f64} : tensor<8xi32>
  return %0, %1, %2, %3 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xi32>
}

//===----------------------------------------------------------------------===//
// Unary activations and math
//===----------------------------------------------------------------------===//

// Tests that relu (float and integer), sigmoid, tanh, silu and hardswish round-trip.
// CHECK-LABEL: func @activations(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<2x8xf32>, %[[I:[^:]*]]: tensor<2x8xi32>
// CHECK:         nn.relu %[[X]] : tensor<2x8xf32>
// CHECK:         nn.relu %[[I]] : tensor<2x8xi32>
// CHECK:         nn.sigmoid %[[X]] : tensor<2x8xf32>
// CHECK:         nn.tanh %[[X]] : tensor<2x8xf32>
// CHECK:         nn.silu %[[X]] : tensor<2x8xf32>
// CHECK:         nn.hardswish %[[X]] : tensor<2x8xf32>
func.func @activations(%x: tensor<2x8xf32>, %i: tensor<2x8xi32>) -> (tensor<2x8xf32>, tensor<2x8xi32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>) {
  %0 = nn.relu %x : tensor<2x8xf32>
  %1 = nn.relu %i : tensor<2x8xi32>
  %2 = nn.sigmoid %x : tensor<2x8xf32>
  %3 = nn.tanh %x : tensor<2x8xf32>
  %4 = nn.silu %x : tensor<2x8xf32>
  %5 = nn.hardswish %x : tensor<2x8xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<2x8xf32>, tensor<2x8xi32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>
}

// Tests that gelu round-trips with both approximations; the default (none) is
// not printed, whether given or not.
// CHECK-LABEL: func @gelu(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<2x8xf32>
// CHECK:         nn.gelu %[[X]] : tensor<2x8xf32>
// CHECK:         nn.gelu %[[X]] : tensor<2x8xf32>
// CHECK:         nn.gelu %[[X]] {approximate = #nn.gelu_approximation<tanh>} : tensor<2x8xf32>
func.func @gelu(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>) {
  %0 = nn.gelu %x : tensor<2x8xf32>
  %1 = nn.gelu %x {approximate = #nn.gelu_approximation<none>} : tensor<2x8xf32>
  %2 = nn.gelu %x {approximate = #nn.gelu_approximation<tanh>} : tensor<2x8xf32>
  return %0, %1, %2 : tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8xf32>
}

// Tests that hardsigmoid round-trips with the default alpha/beta (not printed)
// and with explicit ones.
// CHECK-LABEL: func @hardsigmoid(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<2x8xf32>
// CHECK:         nn.hardsigmoid %[[X]] : tensor<2x8xf32>
// CHECK:         nn.hardsigmoid %[[X]] {alpha = 2.500000e-01 : f64, beta = 3.750000e-01 : f64} : tensor<2x8xf32>
func.func @hardsigmoid(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>) {
  %0 = nn.hardsigmoid %x : tensor<2x8xf32>
  %1 = nn.hardsigmoid %x {alpha = 0.25 : f64, beta = 0.375 : f64} : tensor<2x8xf32>
  return %0, %1 : tensor<2x8xf32>, tensor<2x8xf32>
}

// Tests that erf, exp, log, sqrt, rsqrt, neg and abs round-trip (neg and abs
// also on integers, sqrt on f16).
// CHECK-LABEL: func @math(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<4xf32>, %[[H:[^:]*]]: tensor<4xf16>, %[[I:[^:]*]]: tensor<4xi64>
// CHECK:         nn.erf %[[X]] : tensor<4xf32>
// CHECK:         nn.exp %[[X]] : tensor<4xf32>
// CHECK:         nn.log %[[X]] : tensor<4xf32>
// CHECK:         nn.sqrt %[[H]] : tensor<4xf16>
// CHECK:         nn.rsqrt %[[X]] : tensor<4xf32>
// CHECK:         nn.neg %[[X]] : tensor<4xf32>
// CHECK:         nn.abs %[[X]] : tensor<4xf32>
// CHECK:         nn.neg %[[I]] : tensor<4xi64>
// CHECK:         nn.abs %[[I]] : tensor<4xi64>
func.func @math(%x: tensor<4xf32>, %h: tensor<4xf16>, %i: tensor<4xi64>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf16>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi64>, tensor<4xi64>) {
  %0 = nn.erf %x : tensor<4xf32>
  %1 = nn.exp %x : tensor<4xf32>
  %2 = nn.log %x : tensor<4xf32>
  %3 = nn.sqrt %h : tensor<4xf16>
  %4 = nn.rsqrt %x : tensor<4xf32>
  %5 = nn.neg %x : tensor<4xf32>
  %6 = nn.abs %x : tensor<4xf32>
  %7 = nn.neg %i : tensor<4xi64>
  %8 = nn.abs %i : tensor<4xi64>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf16>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi64>, tensor<4xi64>
}

// Tests that unary ops accept a dynamic batch dimension.
// CHECK-LABEL: func @unary_dynamic_batch(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<?x3x224x224xf32>
// CHECK:         %[[R:.*]] = nn.relu %[[X]] : tensor<?x3x224x224xf32>
// CHECK:         nn.sigmoid %[[R]] : tensor<?x3x224x224xf32>
func.func @unary_dynamic_batch(%x: tensor<?x3x224x224xf32>) -> (tensor<?x3x224x224xf32>, tensor<?x3x224x224xf32>) {
  %0 = nn.relu %x : tensor<?x3x224x224xf32>
  %1 = nn.sigmoid %0 : tensor<?x3x224x224xf32>
  return %0, %1 : tensor<?x3x224x224xf32>, tensor<?x3x224x224xf32>
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

// Tests that softmax round-trips on a static and a dynamic-batch tensor.
// CHECK-LABEL: func @softmax(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<2x10xf32>, %[[Y:[^:]*]]: tensor<?x12x64x64xf32>
// CHECK:         nn.softmax %[[X]] {axis = 1 : i64} : tensor<2x10xf32>
// CHECK:         nn.softmax %[[Y]] {axis = 3 : i64} : tensor<?x12x64x64xf32>
func.func @softmax(%x: tensor<2x10xf32>, %y: tensor<?x12x64x64xf32>) -> (tensor<2x10xf32>, tensor<?x12x64x64xf32>) {
  %0 = nn.softmax %x {axis = 1 : i64} : tensor<2x10xf32>
  %1 = nn.softmax %y {axis = 3 : i64} : tensor<?x12x64x64xf32>
  return %0, %1 : tensor<2x10xf32>, tensor<?x12x64x64xf32>
}

// Tests that layer_norm round-trips with scale and bias (and an epsilon), and
// with only a scale over two normalized dimensions.
// CHECK-LABEL: func @layer_norm(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<2x5x768xf32>, %[[S:[^:]*]]: tensor<768xf32>, %[[B:[^:]*]]: tensor<768xf32>, %[[S2:[^:]*]]: tensor<5x768xf32>
// CHECK:         nn.layer_norm %[[X]] scale %[[S]] bias %[[B]] {axis = 2 : i64, epsilon = 9.9999999999999998E-13 : f64}
// CHECK-SAME:      : (tensor<2x5x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<2x5x768xf32>
// CHECK:         nn.layer_norm %[[X]] scale %[[S2]] {axis = 1 : i64}
// CHECK-SAME:      : (tensor<2x5x768xf32>, tensor<5x768xf32>) -> tensor<2x5x768xf32>
func.func @layer_norm(%x: tensor<2x5x768xf32>, %s: tensor<768xf32>, %b: tensor<768xf32>, %s2: tensor<5x768xf32>) -> (tensor<2x5x768xf32>, tensor<2x5x768xf32>) {
  %0 = nn.layer_norm %x scale %s bias %b {axis = 2 : i64, epsilon = 1.0e-12 : f64}
      : (tensor<2x5x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<2x5x768xf32>
  %1 = nn.layer_norm %x scale %s2 {axis = 1 : i64}
      : (tensor<2x5x768xf32>, tensor<5x768xf32>) -> tensor<2x5x768xf32>
  return %0, %1 : tensor<2x5x768xf32>, tensor<2x5x768xf32>
}

// Tests that layer_norm round-trips without scale and bias, and with only a
// bias, on a dynamic batch.
// CHECK-LABEL: func @layer_norm_no_params(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<?x5x768xf32>, %[[B:[^:]*]]: tensor<768xf32>
// CHECK:         nn.layer_norm %[[X]] {axis = 2 : i64} : (tensor<?x5x768xf32>) -> tensor<?x5x768xf32>
// CHECK:         nn.layer_norm %[[X]] bias %[[B]] {axis = 2 : i64} : (tensor<?x5x768xf32>, tensor<768xf32>) -> tensor<?x5x768xf32>
func.func @layer_norm_no_params(%x: tensor<?x5x768xf32>, %b: tensor<768xf32>) -> (tensor<?x5x768xf32>, tensor<?x5x768xf32>) {
  %0 = nn.layer_norm %x {axis = 2 : i64} : (tensor<?x5x768xf32>) -> tensor<?x5x768xf32>
  %1 = nn.layer_norm %x bias %b {axis = 2 : i64} : (tensor<?x5x768xf32>, tensor<768xf32>) -> tensor<?x5x768xf32>
  return %0, %1 : tensor<?x5x768xf32>, tensor<?x5x768xf32>
}

// Tests that batch_norm round-trips with the default epsilon (not printed) and
// an explicit one.
// CHECK-LABEL: func @batch_norm(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<1x16x8x8xf32>, %[[S:[^:]*]]: tensor<16xf32>, %[[B:[^:]*]]: tensor<16xf32>, %[[M:[^:]*]]: tensor<16xf32>, %[[V:[^:]*]]: tensor<16xf32>
// CHECK:         nn.batch_norm %[[X]], %[[S]], %[[B]], %[[M]], %[[V]] :
// CHECK-SAME:      (tensor<1x16x8x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
// CHECK:         nn.batch_norm %[[X]], %[[S]], %[[B]], %[[M]], %[[V]] {epsilon = 1.000000e-03 : f64}
// CHECK-SAME:      : (tensor<1x16x8x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
func.func @batch_norm(%x: tensor<1x16x8x8xf32>, %s: tensor<16xf32>, %b: tensor<16xf32>, %m: tensor<16xf32>, %v: tensor<16xf32>) -> (tensor<1x16x8x8xf32>, tensor<1x16x8x8xf32>) {
  %0 = nn.batch_norm %x, %s, %b, %m, %v
      : (tensor<1x16x8x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
  %1 = nn.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-3 : f64}
      : (tensor<1x16x8x8xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<1x16x8x8xf32>
  return %0, %1 : tensor<1x16x8x8xf32>, tensor<1x16x8x8xf32>
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

// Tests that max_pool2d with strides and pads round-trips;
// H' = floor((112 + 1 + 1 - 3) / 2) + 1 = 56.
// CHECK-LABEL: func @max_pool2d(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<1x64x112x112xf32>
// CHECK:         nn.max_pool2d %[[X]]
// CHECK-SAME:      {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
// CHECK-SAME:      : (tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32>
func.func @max_pool2d(%x: tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32> {
  %0 = nn.max_pool2d %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>}
      : (tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32>
  return %0 : tensor<1x64x56x56xf32>
}

// Tests that max_pool2d with ceil_mode rounds up (ceil(109 / 2) + 1 = 56,
// against floor(109 / 2) + 1 = 55 without it), and that dilations round-trip
// (window span 2 * (2 - 1) + 1 = 3: H' = 16 - 3 + 1 = 14, W' = floor(13 / 2) + 1 = 7).
// CHECK-LABEL: func @max_pool2d_ceil_dilations(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<1x64x112x112xf32>, %[[Y:[^:]*]]: tensor<1x8x16x16xf32>
// CHECK:         nn.max_pool2d %[[X]] {ceil_mode = true, kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>}
// CHECK-SAME:      : (tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32>
// CHECK:         nn.max_pool2d %[[X]] {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>}
// CHECK-SAME:      : (tensor<1x64x112x112xf32>) -> tensor<1x64x55x55xf32>
// CHECK:         nn.max_pool2d %[[Y]] {dilations = array<i64: 2, 2>, kernel_shape = array<i64: 2, 2>, strides = array<i64: 1, 2>}
// CHECK-SAME:      : (tensor<1x8x16x16xf32>) -> tensor<1x8x14x7xf32>
func.func @max_pool2d_ceil_dilations(%x: tensor<1x64x112x112xf32>, %y: tensor<1x8x16x16xf32>) -> (tensor<1x64x56x56xf32>, tensor<1x64x55x55xf32>, tensor<1x8x14x7xf32>) {
  %0 = nn.max_pool2d %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, ceil_mode = true}
      : (tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32>
  %1 = nn.max_pool2d %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>}
      : (tensor<1x64x112x112xf32>) -> tensor<1x64x55x55xf32>
  %2 = nn.max_pool2d %y {kernel_shape = array<i64: 2, 2>, strides = array<i64: 1, 2>, dilations = array<i64: 2, 2>}
      : (tensor<1x8x16x16xf32>) -> tensor<1x8x14x7xf32>
  return %0, %1, %2 : tensor<1x64x56x56xf32>, tensor<1x64x55x55xf32>, tensor<1x8x14x7xf32>
}

// Tests that avg_pool2d round-trips with plain strides, with padding and
// count_include_pad, and with ceil_mode (ceil((5 - 2) / 2) + 1 = 3).
// CHECK-LABEL: func @avg_pool2d(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<1x8x16x16xf32>, %[[Y:[^:]*]]: tensor<1x8x5x5xf32>
// CHECK:         nn.avg_pool2d %[[X]] {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>}
// CHECK-SAME:      : (tensor<1x8x16x16xf32>) -> tensor<1x8x8x8xf32>
// CHECK:         nn.avg_pool2d %[[X]] {count_include_pad = true, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>}
// CHECK-SAME:      : (tensor<1x8x16x16xf32>) -> tensor<1x8x16x16xf32>
// CHECK:         nn.avg_pool2d %[[Y]] {ceil_mode = true, kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>}
// CHECK-SAME:      : (tensor<1x8x5x5xf32>) -> tensor<1x8x3x3xf32>
func.func @avg_pool2d(%x: tensor<1x8x16x16xf32>, %y: tensor<1x8x5x5xf32>) -> (tensor<1x8x8x8xf32>, tensor<1x8x16x16xf32>, tensor<1x8x3x3xf32>) {
  %0 = nn.avg_pool2d %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>}
      : (tensor<1x8x16x16xf32>) -> tensor<1x8x8x8xf32>
  %1 = nn.avg_pool2d %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, count_include_pad = true}
      : (tensor<1x8x16x16xf32>) -> tensor<1x8x16x16xf32>
  %2 = nn.avg_pool2d %y {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, ceil_mode = true}
      : (tensor<1x8x5x5xf32>) -> tensor<1x8x3x3xf32>
  return %0, %1, %2 : tensor<1x8x8x8xf32>, tensor<1x8x16x16xf32>, tensor<1x8x3x3xf32>
}

// Tests that global_avg_pool reduces every spatial dimension to 1 (2-D and 3-D spatial).
// CHECK-LABEL: func @global_avg_pool(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<1x512x7x7xf32>, %[[Y:[^:]*]]: tensor<2x16x4x4x4xf32>
// CHECK:         nn.global_avg_pool %[[X]] : (tensor<1x512x7x7xf32>) -> tensor<1x512x1x1xf32>
// CHECK:         nn.global_avg_pool %[[Y]] : (tensor<2x16x4x4x4xf32>) -> tensor<2x16x1x1x1xf32>
func.func @global_avg_pool(%x: tensor<1x512x7x7xf32>, %y: tensor<2x16x4x4x4xf32>) -> (tensor<1x512x1x1xf32>, tensor<2x16x1x1x1xf32>) {
  %0 = nn.global_avg_pool %x : (tensor<1x512x7x7xf32>) -> tensor<1x512x1x1xf32>
  %1 = nn.global_avg_pool %y : (tensor<2x16x4x4x4xf32>) -> tensor<2x16x1x1x1xf32>
  return %0, %1 : tensor<1x512x1x1xf32>, tensor<2x16x1x1x1xf32>
}

// Tests that the pooling ops keep a dynamic batch dimension.
// CHECK-LABEL: func @pool_dynamic_batch(
// CHECK:         nn.max_pool2d
// CHECK-SAME:      : (tensor<?x64x112x112xf32>) -> tensor<?x64x56x56xf32>
// CHECK:         nn.avg_pool2d
// CHECK-SAME:      : (tensor<?x64x112x112xf32>) -> tensor<?x64x56x56xf32>
// CHECK:         nn.global_avg_pool %{{.*}} : (tensor<?x64x112x112xf32>) -> tensor<?x64x1x1xf32>
func.func @pool_dynamic_batch(%x: tensor<?x64x112x112xf32>) -> (tensor<?x64x56x56xf32>, tensor<?x64x56x56xf32>, tensor<?x64x1x1xf32>) {
  %0 = nn.max_pool2d %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>}
      : (tensor<?x64x112x112xf32>) -> tensor<?x64x56x56xf32>
  %1 = nn.avg_pool2d %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>}
      : (tensor<?x64x112x112xf32>) -> tensor<?x64x56x56xf32>
  %2 = nn.global_avg_pool %x : (tensor<?x64x112x112xf32>) -> tensor<?x64x1x1xf32>
  return %0, %1, %2 : tensor<?x64x56x56xf32>, tensor<?x64x56x56xf32>, tensor<?x64x1x1xf32>
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

// Tests that reshape round-trips between static shapes and to a shape with
// one dynamic dimension.
// CHECK-LABEL: func @reshape(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<1x512x1x1xf32>, %[[I:[^:]*]]: tensor<2x3x4xi64>
// CHECK:         nn.reshape %[[X]] : tensor<1x512x1x1xf32> -> tensor<1x512xf32>
// CHECK:         nn.reshape %[[I]] : tensor<2x3x4xi64> -> tensor<6x4xi64>
// CHECK:         nn.reshape %[[I]] : tensor<2x3x4xi64> -> tensor<?x4xi64>
func.func @reshape(%x: tensor<1x512x1x1xf32>, %i: tensor<2x3x4xi64>) -> (tensor<1x512xf32>, tensor<6x4xi64>, tensor<?x4xi64>) {
  %0 = nn.reshape %x : tensor<1x512x1x1xf32> -> tensor<1x512xf32>
  %1 = nn.reshape %i : tensor<2x3x4xi64> -> tensor<6x4xi64>
  %2 = nn.reshape %i : tensor<2x3x4xi64> -> tensor<?x4xi64>
  return %0, %1, %2 : tensor<1x512xf32>, tensor<6x4xi64>, tensor<?x4xi64>
}

// Tests that reshape of a dynamic-batch tensor keeps its one dynamic dimension.
// CHECK-LABEL: func @reshape_dynamic_batch(
// CHECK:         nn.reshape %{{.*}} : tensor<?x512x1x1xf32> -> tensor<?x512xf32>
func.func @reshape_dynamic_batch(%x: tensor<?x512x1x1xf32>) -> tensor<?x512xf32> {
  %0 = nn.reshape %x : tensor<?x512x1x1xf32> -> tensor<?x512xf32>
  return %0 : tensor<?x512xf32>
}

// Tests that flatten round-trips with the default axis (not printed), an inner
// axis, axis 0, axis = rank, and a dynamic batch.
// CHECK-LABEL: func @flatten(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<2x3x4x5xf32>, %[[Y:[^:]*]]: tensor<?x3x4xf32>
// CHECK:         nn.flatten %[[X]] : (tensor<2x3x4x5xf32>) -> tensor<2x60xf32>
// CHECK:         nn.flatten %[[X]] {axis = 2 : i64} : (tensor<2x3x4x5xf32>) -> tensor<6x20xf32>
// CHECK:         nn.flatten %[[X]] {axis = 0 : i64} : (tensor<2x3x4x5xf32>) -> tensor<1x120xf32>
// CHECK:         nn.flatten %[[X]] {axis = 4 : i64} : (tensor<2x3x4x5xf32>) -> tensor<120x1xf32>
// CHECK:         nn.flatten %[[Y]] : (tensor<?x3x4xf32>) -> tensor<?x12xf32>
func.func @flatten(%x: tensor<2x3x4x5xf32>, %y: tensor<?x3x4xf32>) -> (tensor<2x60xf32>, tensor<6x20xf32>, tensor<1x120xf32>, tensor<120x1xf32>, tensor<?x12xf32>) {
  %0 = nn.flatten %x : (tensor<2x3x4x5xf32>) -> tensor<2x60xf32>
  %1 = nn.flatten %x {axis = 2 : i64} : (tensor<2x3x4x5xf32>) -> tensor<6x20xf32>
  %2 = nn.flatten %x {axis = 0 : i64} : (tensor<2x3x4x5xf32>) -> tensor<1x120xf32>
  %3 = nn.flatten %x {axis = 4 : i64} : (tensor<2x3x4x5xf32>) -> tensor<120x1xf32>
  %4 = nn.flatten %y : (tensor<?x3x4xf32>) -> tensor<?x12xf32>
  return %0, %1, %2, %3, %4 : tensor<2x60xf32>, tensor<6x20xf32>, tensor<1x120xf32>, tensor<120x1xf32>, tensor<?x12xf32>
}

// Tests that transpose permutes static and dynamic dimensions.
// CHECK-LABEL: func @transpose(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<2x3x4xf32>, %[[Y:[^:]*]]: tensor<?x8xi32>
// CHECK:         nn.transpose %[[X]] {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
// CHECK:         nn.transpose %[[Y]] {perm = array<i64: 1, 0>} : (tensor<?x8xi32>) -> tensor<8x?xi32>
func.func @transpose(%x: tensor<2x3x4xf32>, %y: tensor<?x8xi32>) -> (tensor<4x2x3xf32>, tensor<8x?xi32>) {
  %0 = nn.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %1 = nn.transpose %y {perm = array<i64: 1, 0>} : (tensor<?x8xi32>) -> tensor<8x?xi32>
  return %0, %1 : tensor<4x2x3xf32>, tensor<8x?xi32>
}

// Tests that concat of three, two and integer inputs round-trips.
// CHECK-LABEL: func @concat(
// CHECK-SAME:    %[[A:[^:]*]]: tensor<1x3x4xf32>, %[[B:[^:]*]]: tensor<1x5x4xf32>, %[[C:[^:]*]]: tensor<1x1x4xf32>, %[[I:[^:]*]]: tensor<2xi64>
// CHECK:         nn.concat %[[A]], %[[B]], %[[C]] {axis = 1 : i64} : (tensor<1x3x4xf32>, tensor<1x5x4xf32>, tensor<1x1x4xf32>) -> tensor<1x9x4xf32>
// CHECK:         nn.concat %[[A]], %[[A]] {axis = 0 : i64} : (tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK:         nn.concat %[[I]], %[[I]] {axis = 0 : i64} : (tensor<2xi64>, tensor<2xi64>) -> tensor<4xi64>
func.func @concat(%a: tensor<1x3x4xf32>, %b: tensor<1x5x4xf32>, %c: tensor<1x1x4xf32>, %i: tensor<2xi64>) -> (tensor<1x9x4xf32>, tensor<2x3x4xf32>, tensor<4xi64>) {
  %0 = nn.concat %a, %b, %c {axis = 1 : i64} : (tensor<1x3x4xf32>, tensor<1x5x4xf32>, tensor<1x1x4xf32>) -> tensor<1x9x4xf32>
  %1 = nn.concat %a, %a {axis = 0 : i64} : (tensor<1x3x4xf32>, tensor<1x3x4xf32>) -> tensor<2x3x4xf32>
  %2 = nn.concat %i, %i {axis = 0 : i64} : (tensor<2xi64>, tensor<2xi64>) -> tensor<4xi64>
  return %0, %1, %2 : tensor<1x9x4xf32>, tensor<2x3x4xf32>, tensor<4xi64>
}

// Tests that concat keeps a dynamic batch dimension, both off the concat axis
// and on it (where one dynamic input makes the result dynamic).
// CHECK-LABEL: func @concat_dynamic_batch(
// CHECK:         nn.concat %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<?x3x8x8xf32>, tensor<?x5x8x8xf32>) -> tensor<?x8x8x8xf32>
// CHECK:         nn.concat %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<?x3x8x8xf32>, tensor<2x3x8x8xf32>) -> tensor<?x3x8x8xf32>
func.func @concat_dynamic_batch(%a: tensor<?x3x8x8xf32>, %b: tensor<?x5x8x8xf32>, %c: tensor<2x3x8x8xf32>) -> (tensor<?x8x8x8xf32>, tensor<?x3x8x8xf32>) {
  %0 = nn.concat %a, %b {axis = 1 : i64} : (tensor<?x3x8x8xf32>, tensor<?x5x8x8xf32>) -> tensor<?x8x8x8xf32>
  %1 = nn.concat %a, %c {axis = 0 : i64} : (tensor<?x3x8x8xf32>, tensor<2x3x8x8xf32>) -> tensor<?x3x8x8xf32>
  return %0, %1 : tensor<?x8x8x8xf32>, tensor<?x3x8x8xf32>
}

// Tests that slice with positive steps round-trips: [1:3:1] keeps 2 rows and
// [1:9:2] keeps columns 1, 3, 5, 7; a full slice keeps the shape.
// CHECK-LABEL: func @slice(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<4x10xf32>
// CHECK:         nn.slice %[[X]] {ends = array<i64: 3, 9>, starts = array<i64: 1, 1>, steps = array<i64: 1, 2>}
// CHECK-SAME:      : (tensor<4x10xf32>) -> tensor<2x4xf32>
// CHECK:         nn.slice %[[X]] {ends = array<i64: 4, 10>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>}
// CHECK-SAME:      : (tensor<4x10xf32>) -> tensor<4x10xf32>
func.func @slice(%x: tensor<4x10xf32>) -> (tensor<2x4xf32>, tensor<4x10xf32>) {
  %0 = nn.slice %x {starts = array<i64: 1, 1>, ends = array<i64: 3, 9>, steps = array<i64: 1, 2>}
      : (tensor<4x10xf32>) -> tensor<2x4xf32>
  %1 = nn.slice %x {starts = array<i64: 0, 0>, ends = array<i64: 4, 10>, steps = array<i64: 1, 1>}
      : (tensor<4x10xf32>) -> tensor<4x10xf32>
  return %0, %1 : tensor<2x4xf32>, tensor<4x10xf32>
}

// Tests that slice with negative steps round-trips: [9:-1:-1] reverses all 10
// columns, [3:0:-2] keeps rows 3, 1 and [8:1:-3] keeps columns 8, 5, 2.
// CHECK-LABEL: func @slice_negative_steps(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<4x10xf32>
// CHECK:         nn.slice %[[X]] {ends = array<i64: 4, -1>, starts = array<i64: 0, 9>, steps = array<i64: 1, -1>}
// CHECK-SAME:      : (tensor<4x10xf32>) -> tensor<4x10xf32>
// CHECK:         nn.slice %[[X]] {ends = array<i64: 0, 1>, starts = array<i64: 3, 8>, steps = array<i64: -2, -3>}
// CHECK-SAME:      : (tensor<4x10xf32>) -> tensor<2x3xf32>
func.func @slice_negative_steps(%x: tensor<4x10xf32>) -> (tensor<4x10xf32>, tensor<2x3xf32>) {
  %0 = nn.slice %x {starts = array<i64: 0, 9>, ends = array<i64: 4, -1>, steps = array<i64: 1, -1>}
      : (tensor<4x10xf32>) -> tensor<4x10xf32>
  %1 = nn.slice %x {starts = array<i64: 3, 8>, ends = array<i64: 0, 1>, steps = array<i64: -2, -3>}
      : (tensor<4x10xf32>) -> tensor<2x3xf32>
  return %0, %1 : tensor<4x10xf32>, tensor<2x3xf32>
}

// Tests that pad round-trips in all three modes; pads are all begins then all
// ends, the default mode (constant) is not printed, and a constant value may be
// given, also for integer tensors.
// CHECK-LABEL: func @pad(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<1x3x4x4xf32>, %[[I:[^:]*]]: tensor<5xi32>
// CHECK:         nn.pad %[[X]] {pads = array<i64: 0, 0, 1, 2, 0, 0, 1, 2>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x6x8xf32>
// CHECK:         nn.pad %[[X]] {pads = array<i64: 0, 0, 1, 2, 0, 0, 1, 2>, value = -1.000000e+00 : f64} : (tensor<1x3x4x4xf32>) -> tensor<1x3x6x8xf32>
// CHECK:         nn.pad %[[X]] {mode = #nn.pad_mode<reflect>, pads = array<i64: 0, 0, 1, 2, 0, 0, 1, 2>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x6x8xf32>
// CHECK:         nn.pad %[[X]] {mode = #nn.pad_mode<edge>, pads = array<i64: 0, 0, 0, 0, 0, 0, 2, 4>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x6x8xf32>
// CHECK:         nn.pad %[[I]] {pads = array<i64: 1, 2>, value = 7.000000e+00 : f64} : (tensor<5xi32>) -> tensor<8xi32>
func.func @pad(%x: tensor<1x3x4x4xf32>, %i: tensor<5xi32>) -> (tensor<1x3x6x8xf32>, tensor<1x3x6x8xf32>, tensor<1x3x6x8xf32>, tensor<1x3x6x8xf32>, tensor<8xi32>) {
  %0 = nn.pad %x {pads = array<i64: 0, 0, 1, 2, 0, 0, 1, 2>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x6x8xf32>
  %1 = nn.pad %x {pads = array<i64: 0, 0, 1, 2, 0, 0, 1, 2>, mode = #nn.pad_mode<constant>, value = -1.0 : f64} : (tensor<1x3x4x4xf32>) -> tensor<1x3x6x8xf32>
  %2 = nn.pad %x {pads = array<i64: 0, 0, 1, 2, 0, 0, 1, 2>, mode = #nn.pad_mode<reflect>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x6x8xf32>
  %3 = nn.pad %x {pads = array<i64: 0, 0, 0, 0, 0, 0, 2, 4>, mode = #nn.pad_mode<edge>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x6x8xf32>
  %4 = nn.pad %i {pads = array<i64: 1, 2>, value = 7.0 : f64} : (tensor<5xi32>) -> tensor<8xi32>
  return %0, %1, %2, %3, %4 : tensor<1x3x6x8xf32>, tensor<1x3x6x8xf32>, tensor<1x3x6x8xf32>, tensor<1x3x6x8xf32>, tensor<8xi32>
}

// Tests that gather replaces the gathered axis by the indices' shape, for i64
// and i32 indices, an inner axis, and 0-D indices.
// CHECK-LABEL: func @gather(
// CHECK-SAME:    %[[E:[^:]*]]: tensor<10x16xf32>, %[[IDS:[^:]*]]: tensor<2x5xi64>, %[[X:[^:]*]]: tensor<4x10x8xf32>, %[[J:[^:]*]]: tensor<3xi32>, %[[K:[^:]*]]: tensor<i64>
// CHECK:         nn.gather %[[E]], %[[IDS]] {axis = 0 : i64} : (tensor<10x16xf32>, tensor<2x5xi64>) -> tensor<2x5x16xf32>
// CHECK:         nn.gather %[[X]], %[[J]] {axis = 1 : i64} : (tensor<4x10x8xf32>, tensor<3xi32>) -> tensor<4x3x8xf32>
// CHECK:         nn.gather %[[E]], %[[K]] {axis = 0 : i64} : (tensor<10x16xf32>, tensor<i64>) -> tensor<16xf32>
func.func @gather(%emb: tensor<10x16xf32>, %ids: tensor<2x5xi64>, %x: tensor<4x10x8xf32>, %j: tensor<3xi32>, %k: tensor<i64>) -> (tensor<2x5x16xf32>, tensor<4x3x8xf32>, tensor<16xf32>) {
  %0 = nn.gather %emb, %ids {axis = 0 : i64} : (tensor<10x16xf32>, tensor<2x5xi64>) -> tensor<2x5x16xf32>
  %1 = nn.gather %x, %j {axis = 1 : i64} : (tensor<4x10x8xf32>, tensor<3xi32>) -> tensor<4x3x8xf32>
  %2 = nn.gather %emb, %k {axis = 0 : i64} : (tensor<10x16xf32>, tensor<i64>) -> tensor<16xf32>
  return %0, %1, %2 : tensor<2x5x16xf32>, tensor<4x3x8xf32>, tensor<16xf32>
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

// Tests that reduce_sum, reduce_mean and reduce_max keep reduced dimensions as
// 1 with keepdims (the default, not printed) and drop them without it.
// CHECK-LABEL: func @reduce(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<2x3x4xf32>, %[[I:[^:]*]]: tensor<2x3x4xi32>
// CHECK:         nn.reduce_sum %[[X]] {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
// CHECK:         nn.reduce_sum %[[X]] {axes = array<i64: 0, 2>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<3xf32>
// CHECK:         nn.reduce_mean %[[X]] {axes = array<i64: 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
// CHECK:         nn.reduce_mean %[[X]] {axes = array<i64: 1, 2>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<2xf32>
// CHECK:         nn.reduce_max %[[I]] {axes = array<i64: 0, 1>} : (tensor<2x3x4xi32>) -> tensor<1x1x4xi32>
// CHECK:         nn.reduce_max %[[I]] {axes = array<i64: 0, 1>, keepdims = false} : (tensor<2x3x4xi32>) -> tensor<4xi32>
// CHECK:         nn.reduce_sum %[[I]] {axes = array<i64: 1, 2>} : (tensor<2x3x4xi32>) -> tensor<2x1x1xi32>
func.func @reduce(%x: tensor<2x3x4xf32>, %i: tensor<2x3x4xi32>) -> (tensor<2x1x4xf32>, tensor<3xf32>, tensor<2x3x1xf32>, tensor<2xf32>, tensor<1x1x4xi32>, tensor<4xi32>, tensor<2x1x1xi32>) {
  %0 = nn.reduce_sum %x {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  %1 = nn.reduce_sum %x {axes = array<i64: 0, 2>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<3xf32>
  %2 = nn.reduce_mean %x {axes = array<i64: 2>, keepdims = true} : (tensor<2x3x4xf32>) -> tensor<2x3x1xf32>
  %3 = nn.reduce_mean %x {axes = array<i64: 1, 2>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<2xf32>
  %4 = nn.reduce_max %i {axes = array<i64: 0, 1>} : (tensor<2x3x4xi32>) -> tensor<1x1x4xi32>
  %5 = nn.reduce_max %i {axes = array<i64: 0, 1>, keepdims = false} : (tensor<2x3x4xi32>) -> tensor<4xi32>
  %6 = nn.reduce_sum %i {axes = array<i64: 1, 2>} : (tensor<2x3x4xi32>) -> tensor<2x1x1xi32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<2x1x4xf32>, tensor<3xf32>, tensor<2x3x1xf32>, tensor<2xf32>, tensor<1x1x4xi32>, tensor<4xi32>, tensor<2x1x1xi32>
}

// Tests that reductions keep a dynamic batch dimension.
// CHECK-LABEL: func @reduce_dynamic_batch(
// CHECK:         nn.reduce_mean %{{.*}} {axes = array<i64: 1, 2>} : (tensor<?x3x4xf32>) -> tensor<?x1x1xf32>
// CHECK:         nn.reduce_max %{{.*}} {axes = array<i64: 1, 2>, keepdims = false} : (tensor<?x3x4xf32>) -> tensor<?xf32>
func.func @reduce_dynamic_batch(%x: tensor<?x3x4xf32>) -> (tensor<?x1x1xf32>, tensor<?xf32>) {
  %0 = nn.reduce_mean %x {axes = array<i64: 1, 2>} : (tensor<?x3x4xf32>) -> tensor<?x1x1xf32>
  %1 = nn.reduce_max %x {axes = array<i64: 1, 2>, keepdims = false} : (tensor<?x3x4xf32>) -> tensor<?xf32>
  return %0, %1 : tensor<?x1x1xf32>, tensor<?xf32>
}

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

// Tests that quantize and dequantize round-trip with a per-tensor uniform type.
// CHECK-LABEL: func @quantize_per_tensor(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<4xf32>
// CHECK:         %[[Q:.*]] = nn.quantize %[[X]] : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>>
// CHECK:         %[[D:.*]] = nn.dequantize %[[Q]] : tensor<4x!quant.uniform<i8:f32, 5.000000e-01:-3>> -> tensor<4xf32>
// CHECK:         return %[[D]]
func.func @quantize_per_tensor(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = nn.quantize %x : tensor<4xf32> -> tensor<4x!quant.uniform<i8:f32, 0.5:-3>>
  %d = nn.dequantize %q : tensor<4x!quant.uniform<i8:f32, 0.5:-3>> -> tensor<4xf32>
  return %d : tensor<4xf32>
}

// Tests that quantize and dequantize round-trip with a per-axis uniform type
// (one scale per entry of dimension 0).
// CHECK-LABEL: func @quantize_per_axis(
// CHECK-SAME:    %[[W:[^:]*]]: tensor<2x3xf32>
// CHECK:         %[[Q:.*]] = nn.quantize %[[W]] : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32:0, {1.000000e-01,2.000000e-01}>>
// CHECK:         %[[D:.*]] = nn.dequantize %[[Q]] : tensor<2x3x!quant.uniform<i8:f32:0, {1.000000e-01,2.000000e-01}>> -> tensor<2x3xf32>
// CHECK:         return %[[D]]
func.func @quantize_per_axis(%w: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %q = nn.quantize %w : tensor<2x3xf32> -> tensor<2x3x!quant.uniform<i8:f32:0, {0.1,0.2}>>
  %d = nn.dequantize %q : tensor<2x3x!quant.uniform<i8:f32:0, {0.1,0.2}>> -> tensor<2x3xf32>
  return %d : tensor<2x3xf32>
}

//===----------------------------------------------------------------------===//
// Fusion groups
//===----------------------------------------------------------------------===//

// Tests that a fusion with a kind, two inputs and two results round-trips,
// with its body's block arguments and yield.
// CHECK-LABEL: func @fusion(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<4x8xf32>, %[[W:[^:]*]]: tensor<8x16xf32>
// CHECK:         %[[R:.*]]:2 = nn.fusion(%[[X]], %[[W]]) {kind = "matmul_relu"}
// CHECK-SAME:      : (tensor<4x8xf32>, tensor<8x16xf32>) -> (tensor<4x16xf32>, tensor<4x16xf32>) {
// CHECK-NEXT:    ^bb0(%[[A:[^:]*]]: tensor<4x8xf32>, %[[B:[^:]*]]: tensor<8x16xf32>):
// CHECK-NEXT:      %[[M:.*]] = nn.matmul %[[A]], %[[B]] : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
// CHECK-NEXT:      %[[Y:.*]] = nn.relu %[[M]] : tensor<4x16xf32>
// CHECK-NEXT:      nn.yield %[[M]], %[[Y]] : tensor<4x16xf32>, tensor<4x16xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    return %[[R]]#0, %[[R]]#1
func.func @fusion(%x: tensor<4x8xf32>, %w: tensor<8x16xf32>) -> (tensor<4x16xf32>, tensor<4x16xf32>) {
  %r:2 = nn.fusion (%x, %w) {kind = "matmul_relu"} : (tensor<4x8xf32>, tensor<8x16xf32>) -> (tensor<4x16xf32>, tensor<4x16xf32>) {
  ^bb0(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>):
    %m = nn.matmul %a, %b : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
    %y = nn.relu %m : tensor<4x16xf32>
    nn.yield %m, %y : tensor<4x16xf32>, tensor<4x16xf32>
  }
  return %r#0, %r#1 : tensor<4x16xf32>, tensor<4x16xf32>
}

// Tests that a fusion without a kind, with one dynamic-batch result, round-trips.
// CHECK-LABEL: func @fusion_no_kind(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<?x8xf32>
// CHECK:         %[[R:.*]] = nn.fusion(%[[X]]) : (tensor<?x8xf32>) -> tensor<?x8xf32> {
// CHECK-NEXT:    ^bb0(%[[A:[^:]*]]: tensor<?x8xf32>):
// CHECK-NEXT:      %[[S:.*]] = nn.sigmoid %[[A]] : tensor<?x8xf32>
// CHECK-NEXT:      %[[Z:.*]] = nn.mul %[[A]], %[[S]] : (tensor<?x8xf32>, tensor<?x8xf32>) -> tensor<?x8xf32>
// CHECK-NEXT:      nn.yield %[[Z]] : tensor<?x8xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    return %[[R]]
func.func @fusion_no_kind(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %r = nn.fusion (%x) : (tensor<?x8xf32>) -> tensor<?x8xf32> {
  ^bb0(%a: tensor<?x8xf32>):
    %y = nn.sigmoid %a : tensor<?x8xf32>
    %z = nn.mul %a, %y : (tensor<?x8xf32>, tensor<?x8xf32>) -> tensor<?x8xf32>
    nn.yield %z : tensor<?x8xf32>
  }
  return %r : tensor<?x8xf32>
}

// Tests that valid corner cases found by review verify: a -0.0 epsilon, a gemm
// C whose static rows meet a dynamic M, and slices with extreme steps that
// select one element.
// CHECK-LABEL: func @corner_cases
// CHECK:         nn.layer_norm {{.*}}epsilon = -0.000000e+00
// CHECK:         nn.gemm {{.*}} -> tensor<?x5xf32>
// CHECK:         nn.slice {{.*}}steps = array<i64: -9223372036854775808>{{.*}} -> tensor<1xf32>
// CHECK:         nn.slice {{.*}}steps = array<i64: 9223372036854775807>{{.*}} -> tensor<1xf32>
func.func @corner_cases(%x: tensor<2x4xf32>, %a: tensor<?x4xf32>, %b: tensor<4x5xf32>, %c: tensor<3x5xf32>, %v: tensor<4xf32>)
    -> (tensor<2x4xf32>, tensor<?x5xf32>, tensor<1xf32>, tensor<1xf32>) {
  %0 = nn.layer_norm %x {axis = 1 : i64, epsilon = -0.0 : f64} : (tensor<2x4xf32>) -> tensor<2x4xf32>
  %1 = nn.gemm %a, %b, %c : (tensor<?x4xf32>, tensor<4x5xf32>, tensor<3x5xf32>) -> tensor<?x5xf32>
  %2 = nn.slice %v {starts = array<i64: 3>, ends = array<i64: -1>, steps = array<i64: -9223372036854775808>} : (tensor<4xf32>) -> tensor<1xf32>
  %3 = nn.slice %v {starts = array<i64: 0>, ends = array<i64: 4>, steps = array<i64: 9223372036854775807>} : (tensor<4xf32>) -> tensor<1xf32>
  return %0, %1, %2, %3 : tensor<2x4xf32>, tensor<?x5xf32>, tensor<1xf32>, tensor<1xf32>
}

// The blob of @constant_dense_resource (a 4-byte alignment header, then the
// two f32 values 1.0 and 2.0) survives both round trips.
// CHECK:       dialect_resources: {
// CHECK:         conv1_weight: "0x040000000000803F00000040"
{-#
  dialect_resources: {
    builtin: {
      conv1_weight: "0x040000000000803F00000040"
    }
  }
#-}
