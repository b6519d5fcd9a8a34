// RUN: kiln-opt %s --nn-to-linalg | FileCheck %s

// CHECK-DAG: #[[$ROWS:.*]] = affine_map<(d0, d1, d2, d3) -> (d2)>
// CHECK-DAG: #[[$COLS:.*]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-DAG: #[[$ID4:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// Tests that nearest resize becomes one generic over the output that reads
// index tables per resized dimension and gathers one element, with no
// arithmetic (here on i8).
// CHECK-LABEL: func @nearest
// CHECK-DAG:     %[[R:.*]] = arith.constant dense<[0, 0, 1, 1, 2, 2, 3, 3]> : tensor<8xi64>
// CHECK-DAG:     %[[C:.*]] = arith.constant dense<[0, 0, 1, 1, 2, 2, 3, 3]> : tensor<8xi64>
// CHECK:         linalg.generic {indexing_maps = [#[[$ROWS]], #[[$COLS]], #[[$ID4]]]
// CHECK:           tensor.extract
// CHECK-NOT:       arith.mulf
// CHECK:           linalg.yield %{{.*}} : i8
func.func @nearest(%x: tensor<1x3x4x4xi8>) -> tensor<1x3x8x8xi8> {
  %0 = nn.resize %x {scales = array<f64: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x3x4x4xi8>) -> tensor<1x3x8x8xi8>
  return %0 : tensor<1x3x8x8xi8>
}

// Tests that bilinear resize reads two index and two weight tables per
// resized dimension, keeps the dynamic batch dimension, gathers four
// elements and sums them in f64.
// CHECK-LABEL: func @bilinear
// CHECK:         %[[DIM:.*]] = tensor.dim %arg0, %c0
// CHECK:         tensor.empty(%[[DIM]]) : tensor<?x3x8x6xf32>
// CHECK:         linalg.generic {indexing_maps = [#[[$ROWS]], #[[$ROWS]], #[[$ROWS]], #[[$ROWS]], #[[$COLS]], #[[$COLS]], #[[$COLS]], #[[$COLS]], #[[$ID4]]]
// CHECK-COUNT-4:   tensor.extract %arg0
// CHECK:           arith.truncf %{{.*}} : f64 to f32
func.func @bilinear(%x: tensor<?x3x4x4xf32>) -> tensor<?x3x8x6xf32> {
  %0 = nn.resize %x {scales = array<f64: 1.0, 1.0, 2.0, 1.5>, mode = #nn.resize_mode<linear>} : (tensor<?x3x4x4xf32>) -> tensor<?x3x8x6xf32>
  return %0 : tensor<?x3x8x6xf32>
}

// Tests that tf_crop_and_resize selects the extrapolation value where any
// dimension's coordinate falls outside the input.
// CHECK-LABEL: func @crop
// CHECK:         linalg.generic
// CHECK:           arith.ori
// CHECK:           %[[FILL:.*]] = arith.constant 1.000000e+01 : f32
// CHECK:           arith.select %{{.*}}, %[[FILL]], %{{.*}} : f32
func.func @crop(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32> {
  %0 = nn.resize %x {scales = array<f64: 1.0, 1.0, 0.75, 0.75>, mode = #nn.resize_mode<linear>, coordinate_transformation_mode = #nn.coordinate_mode<tf_crop_and_resize>, roi = array<f64: 0.0, 0.0, 0.4, 0.6, 1.0, 1.0, 1.2, 1.7>, extrapolation_value = 10.0} : (tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}

// Tests that a resize that changes nothing folds to its input.
// CHECK-LABEL: func @identity
// CHECK-NEXT:    return %arg0
func.func @identity(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32> {
  %0 = nn.resize %x {scales = array<f64: 1.0, 1.0, 1.0, 1.0>, mode = #nn.resize_mode<cubic>} : (tensor<1x3x4x4xf32>) -> tensor<1x3x4x4xf32>
  return %0 : tensor<1x3x4x4xf32>
}
