// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --canonicalize | FileCheck %s --check-prefix=FOLD

// Round-trip test of reduce_min, reduce_prod, argmax and argmin: each case is
// parsed, printed, re-parsed and printed again (once through the custom form,
// once through the generic form). Every result type below is the one the
// dialect infers, so a case also checks shape inference.

// Tests that reduce_min and reduce_prod round-trip with and without keepdims,
// on floats, integers and dynamic dimensions.
// CHECK-LABEL: func @reduce_min_prod(
// CHECK:         nn.reduce_min %{{.*}} {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
// CHECK:         nn.reduce_min %{{.*}} {axes = array<i64: 0, 2>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<3xf32>
// CHECK:         nn.reduce_prod %{{.*}} {axes = array<i64: 0, 1, 2>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<f32>
// CHECK:         nn.reduce_prod %{{.*}} {axes = array<i64: 1>} : (tensor<?x5xi32>) -> tensor<?x1xi32>
func.func @reduce_min_prod(%x: tensor<2x3x4xf32>, %y: tensor<?x5xi32>)
    -> (tensor<2x1x4xf32>, tensor<3xf32>, tensor<f32>, tensor<?x1xi32>) {
  %0 = nn.reduce_min %x {axes = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  %1 = nn.reduce_min %x {axes = array<i64: 0, 2>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<3xf32>
  %2 = nn.reduce_prod %x {axes = array<i64: 0, 1, 2>, keepdims = false} : (tensor<2x3x4xf32>) -> tensor<f32>
  %3 = nn.reduce_prod %y {axes = array<i64: 1>} : (tensor<?x5xi32>) -> tensor<?x1xi32>
  return %0, %1, %2, %3 : tensor<2x1x4xf32>, tensor<3xf32>, tensor<f32>, tensor<?x1xi32>
}

// Tests that argmax and argmin round-trip with keepdims (the default),
// without it, with select_last_index and on a dynamic dimension, always with
// an i64 result.
// CHECK-LABEL: func @arg_reduce(
// CHECK:         nn.argmax %{{.*}} {axis = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x1x4xi64>
// CHECK:         nn.argmax %{{.*}} {axis = 2 : i64, keepdims = false, select_last_index = true} : (tensor<2x3x4xf32>) -> tensor<2x3xi64>
// CHECK:         nn.argmin %{{.*}} {axis = 0 : i64, keepdims = false} : (tensor<?x5xi32>) -> tensor<5xi64>
// CHECK:         nn.argmin %{{.*}} {axis = 1 : i64, select_last_index = true} : (tensor<?x5xi32>) -> tensor<?x1xi64>
func.func @arg_reduce(%x: tensor<2x3x4xf32>, %y: tensor<?x5xi32>)
    -> (tensor<2x1x4xi64>, tensor<2x3xi64>, tensor<5xi64>, tensor<?x1xi64>) {
  %0 = nn.argmax %x {axis = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x1x4xi64>
  %1 = nn.argmax %x {axis = 2 : i64, keepdims = false, select_last_index = true} : (tensor<2x3x4xf32>) -> tensor<2x3xi64>
  %2 = nn.argmin %y {axis = 0 : i64, keepdims = false} : (tensor<?x5xi32>) -> tensor<5xi64>
  %3 = nn.argmin %y {axis = 1 : i64, select_last_index = true} : (tensor<?x5xi32>) -> tensor<?x1xi64>
  return %0, %1, %2, %3 : tensor<2x1x4xi64>, tensor<2x3xi64>, tensor<5xi64>, tensor<?x1xi64>
}

// Tests that reduce_min and reduce_prod over no axes fold to their input.
// FOLD-LABEL: func @empty_axes(
// FOLD-SAME:    %[[X:.*]]: tensor<2x3xf32>
// FOLD-NOT:     nn.reduce
// FOLD:         return %[[X]], %[[X]]
func.func @empty_axes(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = nn.reduce_min %x {axes = array<i64>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = nn.reduce_prod %x {axes = array<i64>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}

// Tests that gather_elements round-trips with i64 and i32 indices, the
// result taking the indices' shape and the data's element type.
// CHECK-LABEL: func @gather_elements(
// CHECK:         nn.gather_elements %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xi64>) -> tensor<2x5xf32>
// CHECK:         nn.gather_elements %{{.*}}, %{{.*}} {axis = 0 : i64} : (tensor<2x3xf32>, tensor<?x3xi32>) -> tensor<?x3xf32>
func.func @gather_elements(%x: tensor<2x3xf32>, %i: tensor<2x5xi64>, %j: tensor<?x3xi32>)
    -> (tensor<2x5xf32>, tensor<?x3xf32>) {
  %0 = nn.gather_elements %x, %i {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xi64>) -> tensor<2x5xf32>
  %1 = nn.gather_elements %x, %j {axis = 0 : i64} : (tensor<2x3xf32>, tensor<?x3xi32>) -> tensor<?x3xf32>
  return %0, %1 : tensor<2x5xf32>, tensor<?x3xf32>
}
