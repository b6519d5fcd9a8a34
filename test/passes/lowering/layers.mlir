// RUN: kiln-opt %s --nn-to-linalg | FileCheck %s

// CHECK-DAG: #[[$ID4:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$BATCH_UNIT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
// CHECK-DAG: #[[$DROP_LEAD:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d2, d3)>
// CHECK-DAG: #[[$SPATIAL:.*]] = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
// CHECK-DAG: #[[$A_T:.*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-DAG: #[[$B_T:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[$C:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>

// Tests that conv2d pads explicitly (asymmetric pads become low/high), keeps
// strides and dilations on linalg.conv_2d_nchw_fchw, and accumulates into
// the bias broadcast over N, H and W.
// CHECK-LABEL: func @conv
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[PADDED:.*]] = tensor.pad %arg0 low[0, 0, 1, 0] high[0, 0, 0, 2]
// CHECK:           tensor.yield %[[ZERO]]
// CHECK:         } : tensor<1x3x8x8xf32> to tensor<1x3x9x10xf32>
// CHECK:         %[[BIAS:.*]] = linalg.broadcast ins(%arg2 : tensor<4xf32>) outs(%{{.*}} : tensor<1x4x4x2xf32>) dimensions = [0, 2, 3]
// CHECK:         linalg.conv_2d_nchw_fchw
// CHECK-SAME:      dilations = dense<[1, 2]> : tensor<2xi64>
// CHECK-SAME:      strides = dense<[2, 3]> : tensor<2xi64>
// CHECK-SAME:      ins(%[[PADDED]], %arg1 : tensor<1x3x9x10xf32>, tensor<4x3x3x3xf32>)
// CHECK-SAME:      outs(%[[BIAS]] : tensor<1x4x4x2xf32>)
func.func @conv(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x4x2xf32> {
  %r = nn.conv2d %x, %w, %b {strides = array<i64: 2, 3>, pads = array<i64: 1, 0, 0, 2>, dilations = array<i64: 1, 2>}
      : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x2xf32>
  return %r : tensor<1x4x4x2xf32>
}

// Tests that a convolution with one filter per channel (groups = C = O)
// becomes linalg.depthwise_conv_2d_nchw_chw on the collapsed filter, with a
// zero-filled accumulator when there is no bias.
// CHECK-LABEL: func @conv_depthwise
// CHECK:         %[[INIT:.*]] = linalg.fill
// CHECK:         %[[FILTER:.*]] = tensor.collapse_shape %arg1 {{\[\[}}0, 1], [2], [3]] : tensor<4x1x3x3xf32> into tensor<4x3x3xf32>
// CHECK:         linalg.depthwise_conv_2d_nchw_chw
// CHECK-SAME:      ins(%arg0, %[[FILTER]] : tensor<1x4x6x6xf32>, tensor<4x3x3xf32>)
// CHECK-SAME:      outs(%[[INIT]] : tensor<1x4x4x4xf32>)
func.func @conv_depthwise(%x: tensor<1x4x6x6xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<1x4x4x4xf32> {
  %r = nn.conv2d %x, %w {groups = 4 : i64} : (tensor<1x4x6x6xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x4x4xf32>
  return %r : tensor<1x4x4x4xf32>
}

// Tests that other groups split the channel dimensions of input, filter and
// accumulator into (group, per group) for linalg.conv_2d_ngchw_gfchw, with a
// dynamic batch size carried through the reshapes.
// CHECK-LABEL: func @conv_grouped
// CHECK:         %[[IN:.*]] = tensor.expand_shape %arg0 {{\[\[}}0], [1, 2], [3], [4]] output_shape [%{{.*}}, 2, 2, 6, 6]
// CHECK:         %[[W:.*]] = tensor.expand_shape %arg1 {{\[\[}}0, 1], [2], [3], [4]] output_shape [2, 3, 2, 3, 3]
// CHECK:         %[[ACC:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2], [3], [4]] {{.*}} into tensor<?x2x3x4x4xf32>
// CHECK:         %[[CONV:.*]] = linalg.conv_2d_ngchw_gfchw
// CHECK-SAME:      ins(%[[IN]], %[[W]] : tensor<?x2x2x6x6xf32>, tensor<2x3x2x3x3xf32>)
// CHECK-SAME:      outs(%[[ACC]] : tensor<?x2x3x4x4xf32>)
// CHECK:         tensor.collapse_shape %[[CONV]] {{\[\[}}0], [1, 2], [3], [4]] : tensor<?x2x3x4x4xf32> into tensor<?x6x4x4xf32>
func.func @conv_grouped(%x: tensor<?x4x6x6xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<?x6x4x4xf32> {
  %r = nn.conv2d %x, %w {groups = 2 : i64} : (tensor<?x4x6x6xf32>, tensor<6x2x3x3xf32>) -> tensor<?x6x4x4xf32>
  return %r : tensor<?x6x4x4xf32>
}

// Tests that matmul of operands of rank <= 2 picks dot, vecmat, matvec or
// matmul (NumPy 1-D promotion without reshapes).
// CHECK-LABEL: func @matmul_small_ranks
// CHECK:         linalg.dot ins(%arg0, %arg0 : tensor<4xf32>, tensor<4xf32>) outs(%{{.*}} : tensor<f32>)
// CHECK:         linalg.vecmat ins(%arg0, %arg1 : tensor<4xf32>, tensor<4x5xf32>)
// CHECK:         linalg.matvec ins(%arg2, %arg0 : tensor<3x4xf32>, tensor<4xf32>)
// CHECK:         linalg.matmul ins(%arg2, %arg1 : tensor<3x4xf32>, tensor<4x5xf32>)
func.func @matmul_small_ranks(%v: tensor<4xf32>, %m: tensor<4x5xf32>, %n: tensor<3x4xf32>) -> (tensor<f32>, tensor<5xf32>, tensor<3xf32>, tensor<3x5xf32>) {
  %0 = nn.matmul %v, %v : (tensor<4xf32>, tensor<4xf32>) -> tensor<f32>
  %1 = nn.matmul %v, %m : (tensor<4xf32>, tensor<4x5xf32>) -> tensor<5xf32>
  %2 = nn.matmul %n, %v : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3xf32>
  %3 = nn.matmul %n, %m : (tensor<3x4xf32>, tensor<4x5xf32>) -> tensor<3x5xf32>
  return %0, %1, %2, %3 : tensor<f32>, tensor<5xf32>, tensor<3xf32>, tensor<3x5xf32>
}

// Tests that batch dimensions of lhs alone fold into the rows of one
// linalg.matmul.
// CHECK-LABEL: func @matmul_batch_rows
// CHECK:         %[[ROWS:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
// CHECK:         %[[MM:.*]] = linalg.matmul ins(%[[ROWS]], %arg1 : tensor<6x4xf32>, tensor<4x5xf32>)
// CHECK:         tensor.expand_shape %[[MM]] {{\[\[}}0, 1], [2]] output_shape [2, 3, 5] : tensor<6x5xf32> into tensor<2x3x5xf32>
func.func @matmul_batch_rows(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) -> tensor<2x3x5xf32> {
  %r = nn.matmul %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x3x5xf32>
  return %r : tensor<2x3x5xf32>
}

// Tests that broadcast batch dimensions are materialized (a size-1 dimension
// reads index 0, a missing one is added), collapsed into one, multiplied by
// linalg.batch_matmul and expanded back; a 1-D lhs is promoted to a row whose
// unit dimension is dropped from the result.
// CHECK-LABEL: func @matmul_broadcast
// CHECK:         %[[L:.*]] = linalg.generic {indexing_maps = [#[[$BATCH_UNIT]], #[[$ID4]]]
// CHECK-SAME:      ins(%arg0 : tensor<2x1x3x4xf32>) outs(%{{.*}} : tensor<2x5x3x4xf32>)
// CHECK:         %[[R:.*]] = linalg.generic {indexing_maps = [#[[$DROP_LEAD]], #[[$ID4]]]
// CHECK-SAME:      ins(%arg3 : tensor<5x4x6xf32>) outs(%{{.*}} : tensor<2x5x4x6xf32>)
// CHECK:         %[[LC:.*]] = tensor.collapse_shape %[[L]] {{\[\[}}0, 1], [2], [3]] : tensor<2x5x3x4xf32> into tensor<10x3x4xf32>
// CHECK:         %[[RC:.*]] = tensor.collapse_shape %[[R]] {{\[\[}}0, 1], [2], [3]] : tensor<2x5x4x6xf32> into tensor<10x4x6xf32>
// CHECK:         %[[BMM:.*]] = linalg.batch_matmul ins(%[[LC]], %[[RC]] : tensor<10x3x4xf32>, tensor<10x4x6xf32>)
// CHECK:         tensor.expand_shape %[[BMM]] {{\[\[}}0, 1], [2], [3]] output_shape [2, 5, 3, 6]
// CHECK:         %[[ROW:.*]] = tensor.expand_shape %arg2 {{\[\[}}0, 1]] output_shape [1, 4] : tensor<4xf32> into tensor<1x4xf32>
// CHECK:         linalg.batch_matmul ins(%{{.*}}, %arg3 : tensor<5x1x4xf32>, tensor<5x4x6xf32>)
// CHECK:         tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2]] : tensor<5x1x6xf32> into tensor<5x6xf32>
func.func @matmul_broadcast(%a: tensor<2x1x3x4xf32>, %b: tensor<5x4xf32>, %c: tensor<4xf32>, %d: tensor<5x4x6xf32>) -> (tensor<2x5x3x6xf32>, tensor<5x6xf32>) {
  %0 = nn.matmul %a, %d : (tensor<2x1x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32>
  %1 = nn.matmul %c, %d : (tensor<4xf32>, tensor<5x4x6xf32>) -> tensor<5x6xf32>
  return %0, %1 : tensor<2x5x3x6xf32>, tensor<5x6xf32>
}

// Tests that nn.batch_matmul takes the same path.
// CHECK-LABEL: func @batch_matmul
// CHECK:         linalg.batch_matmul ins(%arg0, %arg1 : tensor<3x2x4xf32>, tensor<3x4x5xf32>)
func.func @batch_matmul(%a: tensor<3x2x4xf32>, %b: tensor<3x4x5xf32>) -> tensor<3x2x5xf32> {
  %r = nn.batch_matmul %a, %b : (tensor<3x2x4xf32>, tensor<3x4x5xf32>) -> tensor<3x2x5xf32>
  return %r : tensor<3x2x5xf32>
}

// Tests that gemm transposes through linalg.matmul indexing maps; with
// alpha = 1 it accumulates into beta * C broadcast to M x N, otherwise an
// epilogue computes alpha * AB + beta * C.
// CHECK-LABEL: func @gemm
// CHECK:         %[[C:.*]] = linalg.generic
// CHECK-SAME:      ins(%arg2 : tensor<5xf32>) outs(%{{.*}} : tensor<3x5xf32>)
// CHECK:           arith.constant 5.000000e-01 : f32
// CHECK:           arith.mulf
// CHECK:         linalg.matmul indexing_maps = [#[[$A_T]], #[[$B_T]], #[[$C]]]
// CHECK-SAME:      ins(%arg0, %arg1 : tensor<4x3xf32>, tensor<5x4xf32>) outs(%[[C]] : tensor<3x5xf32>)
// CHECK:         %[[ACC:.*]] = linalg.matmul indexing_maps = [#[[$A_T]], #[[$B_T]], #[[$C]]]
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[ACC]], %arg2 : tensor<3x5xf32>, tensor<5xf32>)
// CHECK:           arith.constant 2.000000e+00 : f32
// CHECK:           arith.mulf
// CHECK:           arith.addf
func.func @gemm(%a: tensor<4x3xf32>, %b: tensor<5x4xf32>, %c: tensor<5xf32>) -> (tensor<3x5xf32>, tensor<3x5xf32>) {
  %0 = nn.gemm %a, %b, %c {trans_a = true, trans_b = true, beta = 0.5 : f64} : (tensor<4x3xf32>, tensor<5x4xf32>, tensor<5xf32>) -> tensor<3x5xf32>
  %1 = nn.gemm %a, %b, %c {trans_a = true, trans_b = true, alpha = 2.0 : f64} : (tensor<4x3xf32>, tensor<5x4xf32>, tensor<5xf32>) -> tensor<3x5xf32>
  return %0, %1 : tensor<3x5xf32>, tensor<3x5xf32>
}

// Tests that linear folds the leading input dimensions into rows and runs a
// transposed-B linalg.matmul that accumulates into the broadcast bias.
// CHECK-LABEL: func @linear
// CHECK:         %[[ROWS:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2]] : tensor<2x3x6xf32> into tensor<6x6xf32>
// CHECK:         %[[BIAS:.*]] = linalg.broadcast ins(%arg2 : tensor<4xf32>) outs(%{{.*}} : tensor<6x4xf32>) dimensions = [0]
// CHECK:         %[[MM:.*]] = linalg.matmul indexing_maps = [{{.*}}] ins(%[[ROWS]], %arg1 : tensor<6x6xf32>, tensor<4x6xf32>) outs(%[[BIAS]] : tensor<6x4xf32>)
// CHECK:         tensor.expand_shape %[[MM]] {{\[\[}}0, 1], [2]] output_shape [2, 3, 4]
func.func @linear(%x: tensor<2x3x6xf32>, %w: tensor<4x6xf32>, %b: tensor<4xf32>) -> tensor<2x3x4xf32> {
  %r = nn.linear %x, %w, %b : (tensor<2x3x6xf32>, tensor<4x6xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  return %r : tensor<2x3x4xf32>
}

// Tests that max pooling pads with -inf, adds end padding so that the last
// ceil_mode window fits (H: 6 + 1 + 2, W: 7 + 1), and fills the accumulator
// with -inf.
// CHECK-LABEL: func @max_pool
// CHECK:         %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[PADDED:.*]] = tensor.pad %arg0 low[0, 0, 1, 0] high[0, 0, 2, 1]
// CHECK:           tensor.yield %[[NEG_INF]]
// CHECK:         } : tensor<1x2x6x7xf32> to tensor<1x2x9x8xf32>
// CHECK:         %[[INIT:.*]] = linalg.fill ins(%[[NEG_INF]] : f32)
// CHECK:         %[[WINDOW:.*]] = tensor.empty() : tensor<3x2xf32>
// CHECK:         linalg.pooling_nchw_max
// CHECK-SAME:      dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>
// CHECK-SAME:      ins(%[[PADDED]], %[[WINDOW]] : tensor<1x2x9x8xf32>, tensor<3x2xf32>)
// CHECK-SAME:      outs(%[[INIT]] : tensor<1x2x4x4xf32>)
func.func @max_pool(%x: tensor<1x2x6x7xf32>) -> tensor<1x2x4x4xf32> {
  %r = nn.max_pool2d %x {kernel_shape = array<i64: 3, 2>, strides = array<i64: 2, 2>, pads = array<i64: 1, 0, 1, 0>, ceil_mode = true}
      : (tensor<1x2x6x7xf32>) -> tensor<1x2x4x4xf32>
  return %r : tensor<1x2x4x4xf32>
}

// Tests that average pooling sums a zero-padded input and divides by a
// divisor tensor that counts only real elements per window (corners 4,
// edges 6, center 9), and by a scalar when every window is full.
// CHECK-LABEL: func @avg_pool
// CHECK:         %[[SUM:.*]] = linalg.pooling_nchw_sum
// CHECK-SAME:      outs(%{{.*}} : tensor<1x2x3x3xf32>)
// CHECK:         %[[DIVISOR:.*]] = arith.constant dense<{{\[\[}}4.000000e+00, 6.000000e+00, 4.000000e+00], [6.000000e+00, 9.000000e+00, 6.000000e+00], [4.000000e+00, 6.000000e+00, 4.000000e+00]]> : tensor<3x3xf32>
// CHECK:         linalg.generic {indexing_maps = [#[[$ID4]], #[[$SPATIAL]], #[[$ID4]]]
// CHECK-SAME:      ins(%[[SUM]], %[[DIVISOR]] :
// CHECK:           arith.divf
// CHECK:         linalg.pooling_nchw_sum
// CHECK-SAME:      ins(%arg0, %{{.*}} : tensor<1x2x5x5xf32>, tensor<2x2xf32>)
// CHECK:         linalg.generic
// CHECK:           arith.constant 4.000000e+00 : f32
// CHECK:           arith.divf
func.func @avg_pool(%x: tensor<1x2x5x5xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x2x2x2xf32>) {
  %0 = nn.avg_pool2d %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32>
  %1 = nn.avg_pool2d %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x2x5x5xf32>) -> tensor<1x2x2x2xf32>
  return %0, %1 : tensor<1x2x3x3xf32>, tensor<1x2x2x2xf32>
}

// Tests that with count_include_pad the explicit padding counts but the
// ceil_mode extension does not: on a 6-row input with 1 row of padding per
// side, the last window (rows 5-7 of the padded input) counts 2 rows, though
// 2 extension rows are added so that it fits.
// CHECK-LABEL: func @avg_pool_include_pad_ceil
// CHECK:         tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 2, 2]
// CHECK:         arith.constant dense<{{\[\[}}9.000000e+00, 9.000000e+00, 9.000000e+00, 6.000000e+00], {{.*}}, [6.000000e+00, 6.000000e+00, 6.000000e+00, 4.000000e+00]]> : tensor<4x4xf32>
func.func @avg_pool_include_pad_ceil(%x: tensor<1x1x6x6xf32>) -> tensor<1x1x4x4xf32> {
  %r = nn.avg_pool2d %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, ceil_mode = true, count_include_pad = true}
      : (tensor<1x1x6x6xf32>) -> tensor<1x1x4x4xf32>
  return %r : tensor<1x1x4x4xf32>
}

// Tests that with dynamic spatial sizes the output sizes and the divisor are
// computed at run time (linalg.index arithmetic in the dividing generic).
// CHECK-LABEL: func @avg_pool_dynamic
// CHECK:         tensor.pad
// CHECK:         linalg.pooling_nchw_sum
// CHECK:         linalg.generic
// CHECK:           linalg.index 2
// CHECK:           linalg.index 3
// CHECK:           arith.sitofp
// CHECK:           arith.divf
func.func @avg_pool_dynamic(%x: tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32> {
  %r = nn.avg_pool2d %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>}
      : (tensor<?x2x?x?xf32>) -> tensor<?x2x?x?xf32>
  return %r : tensor<?x2x?x?xf32>
}
