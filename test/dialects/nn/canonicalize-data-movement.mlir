// RUN: kiln-opt %s --canonicalize --split-input-file | FileCheck %s

// Folders (NNFolders.cpp) and canonicalization patterns (NNCanonicalize.cpp)
// of nn constants and data-movement ops: each rewrite has cases where it
// must fire and cases where it must not.

//===----------------------------------------------------------------------===//
// nn.constant
//===----------------------------------------------------------------------===//

// Tests that the constant folder lets equal constants be merged into one.

// CHECK-LABEL: func @constant_dedup
// CHECK:         %[[C:.*]] = nn.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-NOT:     nn.constant
// CHECK:         return %[[C]], %[[C]]
func.func @constant_dedup() -> (tensor<2xf32>, tensor<2xf32>) {
  %a = nn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %b = nn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  return %a, %b : tensor<2xf32>, tensor<2xf32>
}

// -----

// Tests that constants with different values (or types) are kept apart.

// CHECK-LABEL: func @constant_distinct
// CHECK-DAG:     %[[A:.*]] = nn.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-DAG:     %[[B:.*]] = nn.constant dense<[2.000000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK-DAG:     %[[C:.*]] = nn.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf16>
// CHECK:         return %[[A]], %[[B]], %[[C]]
func.func @constant_distinct() -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf16>) {
  %a = nn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %b = nn.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %c = nn.constant dense<[1.0, 2.0]> : tensor<2xf16>
  return %a, %b, %c : tensor<2xf32>, tensor<2xf32>, tensor<2xf16>
}

// -----

//===----------------------------------------------------------------------===//
// nn.reshape
//===----------------------------------------------------------------------===//

// Tests that a reshape to the input's own type folds away.

// CHECK-LABEL: func @reshape_same_type
// CHECK-SAME:    (%[[X:.*]]: tensor<?x4xf32>)
// CHECK-NOT:     nn.reshape
// CHECK:         return %[[X]]
func.func @reshape_same_type(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %y = nn.reshape %x : tensor<?x4xf32> -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// Tests that a reshape of a reshape becomes one reshape of the original
// input; the inner one, then unused, is erased.

// CHECK-LABEL: func @reshape_reshape
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK:         %[[R:.*]] = nn.reshape %[[X]] : tensor<2x3x4xf32> -> tensor<4x6xf32>
// CHECK-NOT:     nn.reshape
// CHECK:         return %[[R]]
func.func @reshape_reshape(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  %a = nn.reshape %x : tensor<2x3x4xf32> -> tensor<24xf32>
  %b = nn.reshape %a : tensor<24xf32> -> tensor<4x6xf32>
  return %b : tensor<4x6xf32>
}

// -----

// Tests that a reshape chain back to the input's type folds away entirely.

// CHECK-LABEL: func @reshape_round_trip
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT:     nn.reshape
// CHECK:         return %[[X]]
func.func @reshape_round_trip(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %a = nn.reshape %x : tensor<2x3xf32> -> tensor<6xf32>
  %b = nn.reshape %a : tensor<6xf32> -> tensor<3x2xf32>
  %c = nn.reshape %b : tensor<3x2xf32> -> tensor<2x3xf32>
  return %c : tensor<2x3xf32>
}

// -----

// Tests that a reshape of a non-splat dense constant folds to the constant
// with the new shape, keeping the row-major element order.

// CHECK-LABEL: func @reshape_constant
// CHECK:         %[[C:.*]] = nn.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00], [5.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
// CHECK-NOT:     nn.reshape
// CHECK:         return %[[C]]
func.func @reshape_constant() -> tensor<3x2xf32> {
  %c = nn.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %r = nn.reshape %c : tensor<2x3xf32> -> tensor<3x2xf32>
  return %r : tensor<3x2xf32>
}

// -----

// Tests that a reshape of a splat integer constant folds to a splat of the
// new shape, and that a reshape chain over a constant folds too.

// CHECK-LABEL: func @reshape_splat_constant
// CHECK-DAG:     %[[A:.*]] = nn.constant dense<7> : tensor<2x2xi32>
// CHECK-DAG:     %[[B:.*]] = nn.constant dense<[1, 2, 3, 4]> : tensor<4xi64>
// CHECK-NOT:     nn.reshape
// CHECK:         return %[[A]], %[[B]]
func.func @reshape_splat_constant() -> (tensor<2x2xi32>, tensor<4xi64>) {
  %c = nn.constant dense<7> : tensor<4xi32>
  %a = nn.reshape %c : tensor<4xi32> -> tensor<2x2xi32>
  %d = nn.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi64>
  %e = nn.reshape %d : tensor<2x2xi64> -> tensor<1x4xi64>
  %b = nn.reshape %e : tensor<1x4xi64> -> tensor<4xi64>
  return %a, %b : tensor<2x2xi32>, tensor<4xi64>
}

// -----

// Tests that a plain reshape of a non-constant value stays.

// CHECK-LABEL: func @reshape_value
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>)
// CHECK:         %[[R:.*]] = nn.reshape %[[X]] : tensor<2x3xf32> -> tensor<6xf32>
// CHECK:         return %[[R]]
func.func @reshape_value(%x: tensor<2x3xf32>) -> tensor<6xf32> {
  %r = nn.reshape %x : tensor<2x3xf32> -> tensor<6xf32>
  return %r : tensor<6xf32>
}

// -----

// Tests that a reshape of a constant to a dynamic shape stays (there is no
// static type to give the folded constant).

// CHECK-LABEL: func @reshape_constant_dynamic
// CHECK:         %[[C:.*]] = nn.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>
// CHECK:         %[[R:.*]] = nn.reshape %[[C]] : tensor<4xf32> -> tensor<?x2xf32>
// CHECK:         return %[[R]]
func.func @reshape_constant_dynamic() -> tensor<?x2xf32> {
  %c = nn.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %r = nn.reshape %c : tensor<4xf32> -> tensor<?x2xf32>
  return %r : tensor<?x2xf32>
}

// -----

// Tests that a reshape of a dense_resource constant stays: the folder only
// reshapes dense attributes.

// CHECK-LABEL: func @reshape_resource_constant
// CHECK:         %[[C:.*]] = nn.constant dense_resource<blob> : tensor<4xf32>
// CHECK:         %[[R:.*]] = nn.reshape %[[C]] : tensor<4xf32> -> tensor<2x2xf32>
// CHECK:         return %[[R]]
func.func @reshape_resource_constant() -> tensor<2x2xf32> {
  %c = nn.constant dense_resource<blob> : tensor<4xf32>
  %r = nn.reshape %c : tensor<4xf32> -> tensor<2x2xf32>
  return %r : tensor<2x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      blob: "0x040000000000803F000000400000404000008040"
    }
  }
#-}

// -----

//===----------------------------------------------------------------------===//
// nn.transpose: folds
//===----------------------------------------------------------------------===//

// Tests that the identity permutation folds away.

// CHECK-LABEL: func @transpose_identity
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NOT:     nn.transpose
// CHECK:         return %[[X]]
func.func @transpose_identity(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %y = nn.transpose %x {perm = array<i64: 0, 1, 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %y : tensor<2x3x4xf32>
}

// -----

// Tests that a transpose of a transpose becomes one transpose of the original
// input with the composed permutation: [1, 2, 0] then [1, 2, 0] is [2, 0, 1].

// CHECK-LABEL: func @transpose_transpose
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK:         %[[T:.*]] = nn.transpose %[[X]] {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
// CHECK-NOT:     nn.transpose
// CHECK:         return %[[T]]
func.func @transpose_transpose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %a = nn.transpose %x {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
  %b = nn.transpose %a {perm = array<i64: 1, 2, 0>} : (tensor<3x4x2xf32>) -> tensor<4x2x3xf32>
  return %b : tensor<4x2x3xf32>
}

// -----

// Tests that the composition is p1[p2[i]], not p2[p1[i]]: [1, 0, 2] then
// [0, 2, 1] is [1, 2, 0] (the other order would give [2, 0, 1]).

// CHECK-LABEL: func @transpose_compose_order
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK:         %[[T:.*]] = nn.transpose %[[X]] {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
// CHECK-NOT:     nn.transpose
// CHECK:         return %[[T]]
func.func @transpose_compose_order(%x: tensor<2x3x4xf32>) -> tensor<3x4x2xf32> {
  %a = nn.transpose %x {perm = array<i64: 1, 0, 2>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
  %b = nn.transpose %a {perm = array<i64: 0, 2, 1>} : (tensor<3x2x4xf32>) -> tensor<3x4x2xf32>
  return %b : tensor<3x4x2xf32>
}

// -----

// Tests that a transpose followed by its inverse folds away entirely.

// CHECK-LABEL: func @transpose_inverse
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NOT:     nn.transpose
// CHECK:         return %[[X]]
func.func @transpose_inverse(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %a = nn.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %b = nn.transpose %a {perm = array<i64: 1, 2, 0>} : (tensor<4x2x3xf32>) -> tensor<2x3x4xf32>
  return %b : tensor<2x3x4xf32>
}

// -----

// Tests that a transpose of a splat constant folds to a splat of the
// transposed type.

// CHECK-LABEL: func @transpose_splat
// CHECK:         %[[C:.*]] = nn.constant dense<5.000000e-01> : tensor<3x2xf32>
// CHECK-NOT:     nn.transpose
// CHECK:         return %[[C]]
func.func @transpose_splat() -> tensor<3x2xf32> {
  %c = nn.constant dense<0.5> : tensor<2x3xf32>
  %t = nn.transpose %c {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %t : tensor<3x2xf32>
}

// -----

// Tests that a transpose of a non-splat constant that moves a non-unit
// dimension stays (the folder only handles splats).

// CHECK-LABEL: func @transpose_non_splat
// CHECK:         %[[C:.*]] = nn.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00, 3.000000e+00], [4.000000e+00, 5.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>
// CHECK:         %[[T:.*]] = nn.transpose %[[C]] {perm = array<i64: 1, 0>}
// CHECK:         return %[[T]]
func.func @transpose_non_splat() -> tensor<3x2xf32> {
  %c = nn.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %t = nn.transpose %c {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %t : tensor<3x2xf32>
}

// -----

//===----------------------------------------------------------------------===//
// nn.transpose: only unit dimensions move -> nn.reshape
//===----------------------------------------------------------------------===//

// Tests that a transpose that only moves size-1 dimensions (3 and 4 keep
// their order) becomes a reshape.

// CHECK-LABEL: func @transpose_unit_dims
// CHECK-SAME:    (%[[X:.*]]: tensor<1x3x1x4xf32>)
// CHECK:         %[[R:.*]] = nn.reshape %[[X]] : tensor<1x3x1x4xf32> -> tensor<3x1x4x1xf32>
// CHECK-NOT:     nn.transpose
// CHECK:         return %[[R]]
func.func @transpose_unit_dims(%x: tensor<1x3x1x4xf32>) -> tensor<3x1x4x1xf32> {
  %t = nn.transpose %x {perm = array<i64: 1, 2, 3, 0>} : (tensor<1x3x1x4xf32>) -> tensor<3x1x4x1xf32>
  return %t : tensor<3x1x4x1xf32>
}

// -----

// Tests that a transpose with one dynamic (non-unit) dimension that keeps
// its place relative to the other non-unit dimensions becomes a reshape.

// CHECK-LABEL: func @transpose_unit_dims_dynamic
// CHECK-SAME:    (%[[X:.*]]: tensor<?x1x5xf32>)
// CHECK:         %[[R:.*]] = nn.reshape %[[X]] : tensor<?x1x5xf32> -> tensor<1x?x5xf32>
// CHECK-NOT:     nn.transpose
// CHECK:         return %[[R]]
func.func @transpose_unit_dims_dynamic(%x: tensor<?x1x5xf32>) -> tensor<1x?x5xf32> {
  %t = nn.transpose %x {perm = array<i64: 1, 0, 2>} : (tensor<?x1x5xf32>) -> tensor<1x?x5xf32>
  return %t : tensor<1x?x5xf32>
}

// -----

// Tests that a transpose of only unit dimensions becomes a reshape to the
// same type, which then folds away.

// CHECK-LABEL: func @transpose_all_unit
// CHECK-SAME:    (%[[X:.*]]: tensor<1x1xf32>)
// CHECK-NOT:     nn.transpose
// CHECK-NOT:     nn.reshape
// CHECK:         return %[[X]]
func.func @transpose_all_unit(%x: tensor<1x1xf32>) -> tensor<1x1xf32> {
  %t = nn.transpose %x {perm = array<i64: 1, 0>} : (tensor<1x1xf32>) -> tensor<1x1xf32>
  return %t : tensor<1x1xf32>
}

// -----

// Tests that a transpose that swaps two non-unit dimensions stays, even
// when unit dimensions are present too.

// CHECK-LABEL: func @transpose_moves_non_unit
// CHECK-SAME:    (%[[X:.*]]: tensor<1x3x4xf32>)
// CHECK:         %[[T:.*]] = nn.transpose %[[X]] {perm = array<i64: 0, 2, 1>} : (tensor<1x3x4xf32>) -> tensor<1x4x3xf32>
// CHECK-NOT:     nn.reshape
// CHECK:         return %[[T]]
func.func @transpose_moves_non_unit(%x: tensor<1x3x4xf32>) -> tensor<1x4x3xf32> {
  %t = nn.transpose %x {perm = array<i64: 0, 2, 1>} : (tensor<1x3x4xf32>) -> tensor<1x4x3xf32>
  return %t : tensor<1x4x3xf32>
}

// -----

// Tests that a dynamic dimension counts as non-unit: swapping it with a
// static one stays a transpose.

// CHECK-LABEL: func @transpose_moves_dynamic
// CHECK-SAME:    (%[[X:.*]]: tensor<?x3xf32>)
// CHECK:         %[[T:.*]] = nn.transpose %[[X]] {perm = array<i64: 1, 0>} : (tensor<?x3xf32>) -> tensor<3x?xf32>
// CHECK-NOT:     nn.reshape
// CHECK:         return %[[T]]
func.func @transpose_moves_dynamic(%x: tensor<?x3xf32>) -> tensor<3x?xf32> {
  %t = nn.transpose %x {perm = array<i64: 1, 0>} : (tensor<?x3xf32>) -> tensor<3x?xf32>
  return %t : tensor<3x?xf32>
}

// -----

// Tests that a unit-dimension transpose whose result has two dynamic
// dimensions stays: nn.reshape allows at most one.

// CHECK-LABEL: func @transpose_unit_dims_two_dynamic
// CHECK-SAME:    (%[[X:.*]]: tensor<?x1x?xf32>)
// CHECK:         %[[T:.*]] = nn.transpose %[[X]] {perm = array<i64: 1, 0, 2>} : (tensor<?x1x?xf32>) -> tensor<1x?x?xf32>
// CHECK-NOT:     nn.reshape
// CHECK:         return %[[T]]
func.func @transpose_unit_dims_two_dynamic(%x: tensor<?x1x?xf32>) -> tensor<1x?x?xf32> {
  %t = nn.transpose %x {perm = array<i64: 1, 0, 2>} : (tensor<?x1x?xf32>) -> tensor<1x?x?xf32>
  return %t : tensor<1x?x?xf32>
}

// -----

//===----------------------------------------------------------------------===//
// nn.flatten -> nn.reshape
//===----------------------------------------------------------------------===//

// Tests that flatten becomes a reshape with the same result type.

// CHECK-LABEL: func @flatten_to_reshape
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3x4x5xf32>)
// CHECK:         %[[R:.*]] = nn.reshape %[[X]] : tensor<2x3x4x5xf32> -> tensor<6x20xf32>
// CHECK-NOT:     nn.flatten
// CHECK:         return %[[R]]
func.func @flatten_to_reshape(%x: tensor<2x3x4x5xf32>) -> tensor<6x20xf32> {
  %y = nn.flatten %x {axis = 2 : i64} : (tensor<2x3x4x5xf32>) -> tensor<6x20xf32>
  return %y : tensor<6x20xf32>
}

// -----

// Tests that a flatten with one dynamic result dimension becomes a reshape.

// CHECK-LABEL: func @flatten_dynamic_batch
// CHECK-SAME:    (%[[X:.*]]: tensor<?x3x4xf32>)
// CHECK:         %[[R:.*]] = nn.reshape %[[X]] : tensor<?x3x4xf32> -> tensor<?x12xf32>
// CHECK-NOT:     nn.flatten
// CHECK:         return %[[R]]
func.func @flatten_dynamic_batch(%x: tensor<?x3x4xf32>) -> tensor<?x12xf32> {
  %y = nn.flatten %x : (tensor<?x3x4xf32>) -> tensor<?x12xf32>
  return %y : tensor<?x12xf32>
}

// -----

// Tests that a flatten whose result has two dynamic dimensions stays, since
// nn.reshape allows at most one.

// CHECK-LABEL: func @flatten_two_dynamic
// CHECK-SAME:    (%[[X:.*]]: tensor<?x3x?xf32>)
// CHECK:         %[[F:.*]] = nn.flatten %[[X]] : (tensor<?x3x?xf32>) -> tensor<?x?xf32>
// CHECK-NOT:     nn.reshape
// CHECK:         return %[[F]]
func.func @flatten_two_dynamic(%x: tensor<?x3x?xf32>) -> tensor<?x?xf32> {
  %y = nn.flatten %x : (tensor<?x3x?xf32>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

//===----------------------------------------------------------------------===//
// nn.concat
//===----------------------------------------------------------------------===//

// Tests that a concat of a single input folds to that input.

// CHECK-LABEL: func @concat_single
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT:     nn.concat
// CHECK:         return %[[X]]
func.func @concat_single(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %y = nn.concat %x {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Tests that a concat of two inputs stays.

// CHECK-LABEL: func @concat_two
// CHECK-SAME:    (%[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<2x1xf32>)
// CHECK:         %[[C:.*]] = nn.concat %[[A]], %[[B]] {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
// CHECK:         return %[[C]]
func.func @concat_two(%a: tensor<2x3xf32>, %b: tensor<2x1xf32>) -> tensor<2x4xf32> {
  %y = nn.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// Tests that a concat of a concat on the same axis merges into one concat,
// keeping the input order (a, b, c, d).

// CHECK-LABEL: func @concat_nested
// CHECK-SAME:    (%[[A:.*]]: tensor<1x4xf32>, %[[B:.*]]: tensor<2x4xf32>, %[[C:.*]]: tensor<3x4xf32>, %[[D:.*]]: tensor<4x4xf32>)
// CHECK:         %[[R:.*]] = nn.concat %[[A]], %[[B]], %[[C]], %[[D]] {axis = 0 : i64} : (tensor<1x4xf32>, tensor<2x4xf32>, tensor<3x4xf32>, tensor<4x4xf32>) -> tensor<10x4xf32>
// CHECK-NOT:     nn.concat
// CHECK:         return %[[R]]
func.func @concat_nested(%a: tensor<1x4xf32>, %b: tensor<2x4xf32>, %c: tensor<3x4xf32>, %d: tensor<4x4xf32>) -> tensor<10x4xf32> {
  %bc = nn.concat %b, %c {axis = 0 : i64} : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<5x4xf32>
  %y = nn.concat %a, %bc, %d {axis = 0 : i64} : (tensor<1x4xf32>, tensor<5x4xf32>, tensor<4x4xf32>) -> tensor<10x4xf32>
  return %y : tensor<10x4xf32>
}

// -----

// Tests that an inner concat that has other uses is still merged into the
// outer one, and is kept for its other use.

// CHECK-LABEL: func @concat_nested_shared
// CHECK-SAME:    (%[[A:.*]]: tensor<2x1xf32>, %[[B:.*]]: tensor<2x2xf32>)
// CHECK-DAG:     %[[AB:.*]] = nn.concat %[[A]], %[[B]] {axis = 1 : i64} : (tensor<2x1xf32>, tensor<2x2xf32>) -> tensor<2x3xf32>
// CHECK-DAG:     %[[R:.*]] = nn.concat %[[A]], %[[B]], %[[A]] {axis = 1 : i64} : (tensor<2x1xf32>, tensor<2x2xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
// CHECK:         return %[[AB]], %[[R]]
func.func @concat_nested_shared(%a: tensor<2x1xf32>, %b: tensor<2x2xf32>) -> (tensor<2x3xf32>, tensor<2x4xf32>) {
  %ab = nn.concat %a, %b {axis = 1 : i64} : (tensor<2x1xf32>, tensor<2x2xf32>) -> tensor<2x3xf32>
  %y = nn.concat %ab, %a {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  return %ab, %y : tensor<2x3xf32>, tensor<2x4xf32>
}

// -----

// Tests that a concat of a concat on a different axis stays nested.

// CHECK-LABEL: func @concat_nested_other_axis
// CHECK-SAME:    (%[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<2x3xf32>, %[[C:.*]]: tensor<2x6xf32>)
// CHECK:         %[[AB:.*]] = nn.concat %[[A]], %[[B]] {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
// CHECK:         %[[R:.*]] = nn.concat %[[AB]], %[[C]] {axis = 0 : i64} : (tensor<2x6xf32>, tensor<2x6xf32>) -> tensor<4x6xf32>
// CHECK:         return %[[R]]
func.func @concat_nested_other_axis(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>, %c: tensor<2x6xf32>) -> tensor<4x6xf32> {
  %ab = nn.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  %y = nn.concat %ab, %c {axis = 0 : i64} : (tensor<2x6xf32>, tensor<2x6xf32>) -> tensor<4x6xf32>
  return %y : tensor<4x6xf32>
}

// -----

//===----------------------------------------------------------------------===//
// nn.slice: a slice that keeps everything -> x
//===----------------------------------------------------------------------===//

// Tests that a slice over every whole dimension folds away.

// CHECK-LABEL: func @slice_everything
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT:     nn.slice
// CHECK:         return %[[X]]
func.func @slice_everything(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %y = nn.slice %x {starts = array<i64: 0, 0>, ends = array<i64: 2, 3>, steps = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Tests that a large step over a size-1 dimension still keeps everything
// and folds away.

// CHECK-LABEL: func @slice_step_over_unit_dim
// CHECK-SAME:    (%[[X:.*]]: tensor<1x4xf32>)
// CHECK-NOT:     nn.slice
// CHECK:         return %[[X]]
func.func @slice_step_over_unit_dim(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %y = nn.slice %x {starts = array<i64: 0, 0>, ends = array<i64: 1, 4>, steps = array<i64: 3, 1>} : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}

// -----

// Tests that a slice with a negative step stays even though the shape is
// unchanged: it reverses the dimension.

// CHECK-LABEL: func @slice_reverse
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>)
// CHECK:         %[[S:.*]] = nn.slice %[[X]] {ends = array<i64: 2, -1>, starts = array<i64: 0, 2>, steps = array<i64: 1, -1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         return %[[S]]
func.func @slice_reverse(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %y = nn.slice %x {starts = array<i64: 0, 2>, ends = array<i64: 2, -1>, steps = array<i64: 1, -1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Tests that a slice that drops elements stays.

// CHECK-LABEL: func @slice_part
// CHECK-SAME:    (%[[X:.*]]: tensor<2x6xf32>)
// CHECK:         %[[S:.*]] = nn.slice %[[X]] {{.*}} : (tensor<2x6xf32>) -> tensor<2x3xf32>
// CHECK:         return %[[S]]
func.func @slice_part(%x: tensor<2x6xf32>) -> tensor<2x3xf32> {
  %y = nn.slice %x {starts = array<i64: 0, 0>, ends = array<i64: 2, 6>, steps = array<i64: 1, 2>} : (tensor<2x6xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

//===----------------------------------------------------------------------===//
// nn.pad: all-zero padding -> x
//===----------------------------------------------------------------------===//

// Tests that all-zero padding folds away, in any mode.

// CHECK-LABEL: func @pad_zero
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT:     nn.pad
// CHECK:         return %[[X]], %[[X]]
func.func @pad_zero(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %a = nn.pad %x {pads = array<i64: 0, 0, 0, 0>, value = 1.0 : f64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %b = nn.pad %x {pads = array<i64: 0, 0, 0, 0>, mode = #nn.pad_mode<reflect>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %a, %b : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// Tests that padding a single edge stays.

// CHECK-LABEL: func @pad_one_edge
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>)
// CHECK:         %[[P:.*]] = nn.pad %[[X]] {pads = array<i64: 0, 0, 0, 1>} : (tensor<2x3xf32>) -> tensor<2x4xf32>
// CHECK:         return %[[P]]
func.func @pad_one_edge(%x: tensor<2x3xf32>) -> tensor<2x4xf32> {
  %y = nn.pad %x {pads = array<i64: 0, 0, 0, 1>} : (tensor<2x3xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// nn.clip: clip to [0, +inf) -> nn.relu
//===----------------------------------------------------------------------===//

// Tests that clip with min = 0 and no max becomes relu.

// CHECK-LABEL: func @clip_to_relu
// CHECK-SAME:    (%[[X:.*]]: tensor<8xf32>)
// CHECK:         %[[R:.*]] = nn.relu %[[X]] : tensor<8xf32>
// CHECK-NOT:     nn.clip
// CHECK:         return %[[R]]
func.func @clip_to_relu(%x: tensor<8xf32>) -> tensor<8xf32> {
  %y = nn.clip %x {min = 0.0 : f64} : tensor<8xf32>
  return %y : tensor<8xf32>
}

// -----

// Tests that clip to [0, +inf) of an integer tensor becomes relu too.

// CHECK-LABEL: func @clip_to_relu_i32
// CHECK-SAME:    (%[[X:.*]]: tensor<8xi32>)
// CHECK:         %[[R:.*]] = nn.relu %[[X]] : tensor<8xi32>
// CHECK-NOT:     nn.clip
// CHECK:         return %[[R]]
func.func @clip_to_relu_i32(%x: tensor<8xi32>) -> tensor<8xi32> {
  %y = nn.clip %x {min = 0.0 : f64} : tensor<8xi32>
  return %y : tensor<8xi32>
}

// -----

// Tests that clip with min = 0 of a relu becomes relu, which then folds
// with the inner relu.

// CHECK-LABEL: func @clip_of_relu
// CHECK-SAME:    (%[[X:.*]]: tensor<8xf32>)
// CHECK:         %[[R:.*]] = nn.relu %[[X]]
// CHECK-NOT:     nn.relu
// CHECK-NOT:     nn.clip
// CHECK:         return %[[R]]
func.func @clip_of_relu(%x: tensor<8xf32>) -> tensor<8xf32> {
  %a = nn.relu %x : tensor<8xf32>
  %b = nn.clip %a {min = 0.0 : f64} : tensor<8xf32>
  return %b : tensor<8xf32>
}

// -----

// Tests that clip with a max (relu6) stays.

// CHECK-LABEL: func @clip_with_max
// CHECK-SAME:    (%[[X:.*]]: tensor<8xf32>)
// CHECK:         %[[C:.*]] = nn.clip %[[X]] {max = 6.000000e+00 : f64, min = 0.000000e+00 : f64} : tensor<8xf32>
// CHECK-NOT:     nn.relu
// CHECK:         return %[[C]]
func.func @clip_with_max(%x: tensor<8xf32>) -> tensor<8xf32> {
  %y = nn.clip %x {min = 0.0 : f64, max = 6.0 : f64} : tensor<8xf32>
  return %y : tensor<8xf32>
}

// -----

// Tests that clip with a non-zero min, or with only a max, stays.

// CHECK-LABEL: func @clip_not_relu
// CHECK-SAME:    (%[[X:.*]]: tensor<8xf32>)
// CHECK-DAG:     %[[A:.*]] = nn.clip %[[X]] {min = 1.000000e+00 : f64} : tensor<8xf32>
// CHECK-DAG:     %[[B:.*]] = nn.clip %[[X]] {max = 0.000000e+00 : f64} : tensor<8xf32>
// CHECK-NOT:     nn.relu
// CHECK:         return %[[A]], %[[B]]
func.func @clip_not_relu(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %a = nn.clip %x {min = 1.0 : f64} : tensor<8xf32>
  %b = nn.clip %x {max = 0.0 : f64} : tensor<8xf32>
  return %a, %b : tensor<8xf32>, tensor<8xf32>
}

// -----

// Tests that identity folds compare constants in the element type's own
// precision: 2^64 in i128 is not zero, and 1 + 2^-63 in f80 is not one.
// CHECK-LABEL: func @no_fold_of_near_identities
// CHECK:         nn.add
// CHECK:         nn.mul
func.func @no_fold_of_near_identities(%x: tensor<2xi128>, %y: tensor<2xf80>) -> (tensor<2xi128>, tensor<2xf80>) {
  %c = nn.constant dense<18446744073709551616> : tensor<2xi128>
  %0 = nn.add %x, %c : (tensor<2xi128>, tensor<2xi128>) -> tensor<2xi128>
  %d = nn.constant dense<0x3FFF8000000000000001> : tensor<2xf80>
  %1 = nn.mul %y, %d : (tensor<2xf80>, tensor<2xf80>) -> tensor<2xf80>
  return %0, %1 : tensor<2xi128>, tensor<2xf80>
}
