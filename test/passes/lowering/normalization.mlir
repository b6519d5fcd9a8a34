// RUN: kiln-opt %s --nn-to-linalg | FileCheck %s

// CHECK-DAG: #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$ROWS:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[$ID3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$OUTER:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[$INNER:.*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-DAG: #[[$ID4:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$CHANNEL:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>

// Tests that softmax is numerically stable: the row maximum (a -inf-started
// maximumf reduction) is subtracted before exp, then divided by the sum.
// CHECK-LABEL: func @softmax
// CHECK:         %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[MAX_INIT:.*]] = linalg.fill ins(%[[NEG_INF]] : f32) outs(%{{.*}} : tensor<2xf32>)
// CHECK:         %[[MAX:.*]] = linalg.reduce ins(%arg0 : tensor<2x5xf32>) outs(%[[MAX_INIT]] : tensor<2xf32>) dimensions = [1]
// CHECK:           arith.maximumf
// CHECK:         %[[EXP:.*]] = linalg.generic {indexing_maps = [#[[$ID2]], #[[$ROWS]], #[[$ID2]]]
// CHECK-SAME:      ins(%arg0, %[[MAX]] :
// CHECK:           %[[SHIFTED:.*]] = arith.subf
// CHECK:           math.exp %[[SHIFTED]]
// CHECK:         %[[SUM:.*]] = linalg.reduce ins(%[[EXP]] : tensor<2x5xf32>) outs(%{{.*}} : tensor<2xf32>) dimensions = [1]
// CHECK:           arith.addf
// CHECK:         linalg.generic {indexing_maps = [#[[$ID2]], #[[$ROWS]], #[[$ID2]]]
// CHECK-SAME:      ins(%[[EXP]], %[[SUM]] :
// CHECK:           arith.divf
func.func @softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %r = nn.softmax %x {axis = 1 : i64} : tensor<2x5xf32>
  return %r : tensor<2x5xf32>
}

// Tests that layer_norm computes the mean, then the biased variance (sum of
// squared deviations over N, not N - 1) in a reduction generic, then
// (x - mean) * (1 / sqrt(var + eps)) * scale + bias.
// CHECK-LABEL: func @layer_norm
// CHECK:         %[[SUM:.*]] = linalg.reduce ins(%arg0 : tensor<2x3x4xf32>) {{.*}} dimensions = [2]
// CHECK:         %[[N:.*]] = arith.constant 4.000000e+00 : f32
// CHECK:         %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] :
// CHECK:           arith.divf %{{.*}}, %[[N]]
// CHECK:         %[[SQUARES:.*]] = linalg.generic {indexing_maps = [#[[$ID3]], #[[$OUTER]], #[[$OUTER]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME:      ins(%arg0, %[[MEAN]] :
// CHECK:           %[[D:.*]] = arith.subf
// CHECK:           %[[D2:.*]] = arith.mulf %[[D]], %[[D]]
// CHECK:           arith.addf %{{.*}}, %[[D2]]
// CHECK:         %[[N2:.*]] = arith.constant 4.000000e+00 : f32
// CHECK:         %[[VAR:.*]] = linalg.generic {{.*}} ins(%[[SQUARES]] :
// CHECK:           arith.divf %{{.*}}, %[[N2]]
// CHECK:         %[[EPS:.*]] = arith.constant 1.000000e-03 : f32
// CHECK:         %[[RSTD:.*]] = linalg.generic {{.*}} ins(%[[VAR]] :
// CHECK:           arith.addf %{{.*}}, %[[EPS]]
// CHECK:           math.sqrt
// CHECK:           arith.divf
// CHECK:         linalg.generic {indexing_maps = [#[[$ID3]], #[[$OUTER]], #[[$OUTER]], #[[$INNER]], #[[$INNER]], #[[$ID3]]]
// CHECK-SAME:      ins(%arg0, %[[MEAN]], %[[RSTD]], %arg1, %arg2 :
// CHECK:           arith.subf
// CHECK:           arith.mulf
// CHECK:           arith.mulf
// CHECK:           arith.addf
func.func @layer_norm(%x: tensor<2x3x4xf32>, %s: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<2x3x4xf32> {
  %r = nn.layer_norm %x scale %s bias %b {axis = 2 : i64, epsilon = 1.0e-3 : f64}
      : (tensor<2x3x4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  return %r : tensor<2x3x4xf32>
}

// Tests that batch_norm is one generic reading the parameters per channel:
// (x - mean) / sqrt(var + eps) * scale + bias.
// CHECK-LABEL: func @batch_norm
// CHECK:         %[[EPS:.*]] = arith.constant 9.99999974E-6 : f32
// CHECK:         linalg.generic {indexing_maps = [#[[$ID4]], #[[$CHANNEL]], #[[$CHANNEL]], #[[$CHANNEL]], #[[$CHANNEL]], #[[$ID4]]]
// CHECK:         ^bb0(%[[X:.*]]: f32, %[[SCALE:.*]]: f32, %[[BIAS:.*]]: f32, %[[MEAN:.*]]: f32, %[[VAR:.*]]: f32, %{{.*}}: f32):
// CHECK:           %[[C:.*]] = arith.subf %[[X]], %[[MEAN]]
// CHECK:           %[[V:.*]] = arith.addf %[[VAR]], %[[EPS]]
// CHECK:           %[[S:.*]] = math.sqrt %[[V]]
// CHECK:           %[[N:.*]] = arith.divf %[[C]], %[[S]]
// CHECK:           %[[M:.*]] = arith.mulf %[[N]], %[[SCALE]]
// CHECK:           arith.addf %[[M]], %[[BIAS]]
func.func @batch_norm(%x: tensor<2x3x4x4xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<2x3x4x4xf32> {
  %r = nn.batch_norm %x, %s, %b, %m, %v : (tensor<2x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4x4xf32>
  return %r : tensor<2x3x4x4xf32>
}

// Tests that global_avg_pool sums the spatial dimensions, divides by their
// element count and restores them as size 1, keeping a dynamic batch size.
// CHECK-LABEL: func @global_avg_pool
// CHECK:         %[[SUM:.*]] = linalg.reduce ins(%arg0 : tensor<?x3x4x5xf32>) outs(%{{.*}} : tensor<?x3xf32>) dimensions = [2, 3]
// CHECK:         %[[COUNT:.*]] = arith.constant 2.000000e+01 : f32
// CHECK:         %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<?x3xf32>)
// CHECK:           arith.divf %{{.*}}, %[[COUNT]]
// CHECK:         tensor.expand_shape %[[MEAN]] {{\[\[}}0], [1, 2, 3]] output_shape [%{{.*}}, 3, 1, 1] : tensor<?x3xf32> into tensor<?x3x1x1xf32>
func.func @global_avg_pool(%x: tensor<?x3x4x5xf32>) -> tensor<?x3x1x1xf32> {
  %r = nn.global_avg_pool %x : (tensor<?x3x4x5xf32>) -> tensor<?x3x1x1xf32>
  return %r : tensor<?x3x1x1xf32>
}

// Tests that reductions use linalg.reduce from the identity of their
// combiner (0, -inf, the smallest integer), that mean divides by the
// reduced element count, and that keepdims reinserts unit dimensions
// (down from a 0-D result).
// CHECK-LABEL: func @reductions
// CHECK:         %[[S:.*]] = linalg.reduce ins(%arg0 : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<2x4xf32>) dimensions = [1]
// CHECK:           arith.addf
// CHECK:         tensor.expand_shape %[[S]] {{\[\[}}0], [1, 2]] output_shape [2, 1, 4] : tensor<2x4xf32> into tensor<2x1x4xf32>
// CHECK:         linalg.reduce ins(%arg0 : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<3xf32>) dimensions = [0, 2]
// CHECK:         arith.constant 8.000000e+00 : f32
// CHECK:           arith.divf
// CHECK:         %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[INIT:.*]] = linalg.fill ins(%[[NEG_INF]] : f32) outs(%{{.*}} : tensor<f32>)
// CHECK:         %[[M:.*]] = linalg.reduce ins(%arg0 : tensor<2x3x4xf32>) outs(%[[INIT]] : tensor<f32>) dimensions = [0, 1, 2]
// CHECK:           arith.maximumf
// CHECK:         tensor.expand_shape %[[M]] [] output_shape [1, 1, 1] : tensor<f32> into tensor<1x1x1xf32>
// CHECK:         %[[IMIN:.*]] = arith.constant -2147483648 : i32
// CHECK:         linalg.fill ins(%[[IMIN]] : i32)
// CHECK:           arith.maxsi
func.func @reductions(%x: tensor<2x3x4xf32>, %i: tensor<2x3xi32>) -> (tensor<2x1x4xf32>, tensor<3xf32>, tensor<1x1x1xf32>, tensor<2x1xi32>) {
  %0 = nn.reduce_sum %x {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  %1 = nn.reduce_mean %x {axes = array<i64: 0, 2>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<3xf32>
  %2 = nn.reduce_max %x {axes = array<i64: 0, 1, 2>} : (tensor<2x3x4xf32>) -> tensor<1x1x1xf32>
  %3 = nn.reduce_max %i {axes = array<i64: 1>} : (tensor<2x3xi32>) -> tensor<2x1xi32>
  return %0, %1, %2, %3 : tensor<2x1x4xf32>, tensor<3xf32>, tensor<1x1x1xf32>, tensor<2x1xi32>
}
