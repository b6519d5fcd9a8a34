// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// Round-trip test of nn.resize: each case is parsed, printed, re-parsed and
// printed again (once through the custom form, once through the generic
// form). Attributes at their default values are not printed.

// Tests that nn.resize round-trips with only its scales (nearest,
// half_pixel, round_prefer_floor) and with every enum spelled out.
// CHECK-LABEL: func @resize_modes(
// CHECK:         nn.resize %{{.*}} {scales = array<f64: 1.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x6xf32>
// CHECK:         nn.resize %{{.*}} {coordinate_transformation_mode = #nn.coordinate_mode<align_corners>, mode = #nn.resize_mode<linear>, scales = array<f64: 1.000000e+00, 1.000000e+00, 6.000000e-01, 6.000000e-01>} : (tensor<1x1x2x4xf32>) -> tensor<1x1x1x2xf32>
// CHECK:         nn.resize %{{.*}} {coordinate_transformation_mode = #nn.coordinate_mode<asymmetric>, nearest_mode = #nn.nearest_mode<round_prefer_ceil>, scales = array<f64: 1.000000e+00, 1.000000e+00, 2.000000e+00, 2.000000e+00>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x8x8xf32>
// CHECK:         nn.resize %{{.*}} {coordinate_transformation_mode = #nn.coordinate_mode<tf_half_pixel_for_nn>, nearest_mode = #nn.nearest_mode<ceil>, scales = array<f64: 1.000000e+00, 1.000000e+00, 7.500000e-01, 5.000000e-01>} : (tensor<1x1x4x4xi8>) -> tensor<1x1x3x2xi8>
// CHECK:         nn.resize %{{.*}} {coordinate_transformation_mode = #nn.coordinate_mode<pytorch_half_pixel>, nearest_mode = #nn.nearest_mode<floor>, scales = array<f64: 5.000000e-01>} : (tensor<4xf32>) -> tensor<2xf32>
func.func @resize_modes(%a: tensor<1x1x2x2xf32>, %b: tensor<1x1x2x4xf32>,
                        %c: tensor<1x1x4x4xf32>, %d: tensor<1x1x4x4xi8>,
                        %e: tensor<4xf32>)
    -> (tensor<1x1x4x6xf32>, tensor<1x1x1x2xf32>, tensor<1x1x8x8xf32>,
        tensor<1x1x3x2xi8>, tensor<2xf32>) {
  %0 = nn.resize %a {scales = array<f64: 1.0, 1.0, 2.0, 3.0>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x6xf32>
  %1 = nn.resize %b {scales = array<f64: 1.0, 1.0, 0.6, 0.6>, mode = #nn.resize_mode<linear>, coordinate_transformation_mode = #nn.coordinate_mode<align_corners>} : (tensor<1x1x2x4xf32>) -> tensor<1x1x1x2xf32>
  %2 = nn.resize %c {scales = array<f64: 1.0, 1.0, 2.0, 2.0>, coordinate_transformation_mode = #nn.coordinate_mode<asymmetric>, nearest_mode = #nn.nearest_mode<round_prefer_ceil>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x8x8xf32>
  %3 = nn.resize %d {scales = array<f64: 1.0, 1.0, 0.75, 0.5>, coordinate_transformation_mode = #nn.coordinate_mode<tf_half_pixel_for_nn>, nearest_mode = #nn.nearest_mode<ceil>} : (tensor<1x1x4x4xi8>) -> tensor<1x1x3x2xi8>
  %4 = nn.resize %e {scales = array<f64: 0.5>, coordinate_transformation_mode = #nn.coordinate_mode<pytorch_half_pixel>, nearest_mode = #nn.nearest_mode<floor>} : (tensor<4xf32>) -> tensor<2xf32>
  return %0, %1, %2, %3, %4 : tensor<1x1x4x6xf32>, tensor<1x1x1x2xf32>, tensor<1x1x8x8xf32>, tensor<1x1x3x2xi8>, tensor<2xf32>
}

// Tests that nn.resize round-trips in cubic mode with its coefficient and
// exclude_outside, and with a dynamic batch dimension it leaves unchanged.
// CHECK-LABEL: func @resize_cubic(
// CHECK:         nn.resize %{{.*}} {cubic_coeff_a = -5.000000e-01 : f64, exclude_outside = true, mode = #nn.resize_mode<cubic>, scales = array<f64: 1.000000e+00, 1.000000e+00, 2.000000e+00, 2.000000e+00>} : (tensor<?x3x4x4xf32>) -> tensor<?x3x8x8xf32>
func.func @resize_cubic(%x: tensor<?x3x4x4xf32>) -> tensor<?x3x8x8xf32> {
  %0 = nn.resize %x {scales = array<f64: 1.0, 1.0, 2.0, 2.0>, mode = #nn.resize_mode<cubic>, cubic_coeff_a = -0.5, exclude_outside = true} : (tensor<?x3x4x4xf32>) -> tensor<?x3x8x8xf32>
  return %0 : tensor<?x3x8x8xf32>
}

// Tests that nn.resize round-trips in tf_crop_and_resize mode with its
// region of interest and extrapolation value.
// CHECK-LABEL: func @resize_crop(
// CHECK:         nn.resize %{{.*}} {coordinate_transformation_mode = #nn.coordinate_mode<tf_crop_and_resize>, extrapolation_value = 1.000000e+01 : f64, mode = #nn.resize_mode<linear>, roi = array<f64: 0.000000e+00, 0.000000e+00, 4.000000e-01, 6.000000e-01, 1.000000e+00, 1.000000e+00, 1.200000e+00, 1.700000e+00>, scales = array<f64: 1.000000e+00, 1.000000e+00, 7.500000e-01, 7.500000e-01>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32>
func.func @resize_crop(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32> {
  %0 = nn.resize %x {scales = array<f64: 1.0, 1.0, 0.75, 0.75>, mode = #nn.resize_mode<linear>, coordinate_transformation_mode = #nn.coordinate_mode<tf_crop_and_resize>, roi = array<f64: 0.0, 0.0, 0.4, 0.6, 1.0, 1.0, 1.2, 1.7>, extrapolation_value = 10.0} : (tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}
