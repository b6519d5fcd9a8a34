// RUN: kiln-opt %s --canonicalize --split-input-file | FileCheck %s

// Folders (NNFolders.cpp) and canonicalization patterns (NNCanonicalize.cpp)
// of the nn dialect's elementwise ops and reductions: each rewrite has cases
// where it must fire and cases where it must not.

//===----------------------------------------------------------------------===//
// nn.add: x + 0 -> x
//===----------------------------------------------------------------------===//

// Tests that adding a splat zero of the same shape folds to the other operand.

// CHECK-LABEL: func @add_zero
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT:     nn.add
// CHECK:         return %[[X]]
func.func @add_zero(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %zero = nn.constant dense<0.0> : tensor<2x3xf32>
  %y = nn.add %x, %zero : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Tests that add is commutative for the fold: 0 + x folds to x.

// CHECK-LABEL: func @zero_add
// CHECK-SAME:    (%[[X:.*]]: tensor<4xf32>)
// CHECK-NOT:     nn.add
// CHECK:         return %[[X]]
func.func @zero_add(%x: tensor<4xf32>) -> tensor<4xf32> {
  %zero = nn.constant dense<0.0> : tensor<4xf32>
  %y = nn.add %zero, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Tests that a zero that broadcasts into x's (larger) shape folds: the result
// has x's type.

// CHECK-LABEL: func @add_smaller_zero
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT:     nn.add
// CHECK:         return %[[X]]
func.func @add_smaller_zero(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %zero = nn.constant dense<0.0> : tensor<3xf32>
  %y = nn.add %x, %zero : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Tests that an integer zero folds as well as a float one.

// CHECK-LABEL: func @add_zero_i32
// CHECK-SAME:    (%[[X:.*]]: tensor<5xi32>)
// CHECK-NOT:     nn.add
// CHECK:         return %[[X]]
func.func @add_zero_i32(%x: tensor<5xi32>) -> tensor<5xi32> {
  %zero = nn.constant dense<0> : tensor<5xi32>
  %y = nn.add %x, %zero : (tensor<5xi32>, tensor<5xi32>) -> tensor<5xi32>
  return %y : tensor<5xi32>
}

// -----

// Tests that the sign of a zero does not matter: x + (-0.0) folds.

// CHECK-LABEL: func @add_negative_zero
// CHECK-SAME:    (%[[X:.*]]: tensor<4xf16>)
// CHECK-NOT:     nn.add
// CHECK:         return %[[X]]
func.func @add_negative_zero(%x: tensor<4xf16>) -> tensor<4xf16> {
  %zero = nn.constant dense<-0.0> : tensor<4xf16>
  %y = nn.add %x, %zero : (tensor<4xf16>, tensor<4xf16>) -> tensor<4xf16>
  return %y : tensor<4xf16>
}

// -----

// Tests that adding a zero that broadcasts x to a larger shape stays: the
// result is not x's type.

// CHECK-LABEL: func @add_zero_broadcasts_x
// CHECK-SAME:    (%[[X:.*]]: tensor<3xf32>)
// CHECK:         %[[Z:.*]] = nn.constant dense<0.000000e+00> : tensor<2x3xf32>
// CHECK:         %[[Y:.*]] = nn.add %[[X]], %[[Z]] : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK:         return %[[Y]]
func.func @add_zero_broadcasts_x(%x: tensor<3xf32>) -> tensor<2x3xf32> {
  %zero = nn.constant dense<0.0> : tensor<2x3xf32>
  %y = nn.add %x, %zero : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Tests that adding a non-zero splat stays.

// CHECK-LABEL: func @add_one
// CHECK:         %[[Y:.*]] = nn.add
// CHECK:         return %[[Y]]
func.func @add_one(%x: tensor<4xf32>) -> tensor<4xf32> {
  %one = nn.constant dense<1.0> : tensor<4xf32>
  %y = nn.add %x, %one : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Tests that a non-splat constant stays even though some elements are zero.

// CHECK-LABEL: func @add_mostly_zero
// CHECK:         %[[Y:.*]] = nn.add
// CHECK:         return %[[Y]]
func.func @add_mostly_zero(%x: tensor<3xf32>) -> tensor<3xf32> {
  %c = nn.constant dense<[0.0, 0.0, 1.0]> : tensor<3xf32>
  %y = nn.add %x, %c : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %y : tensor<3xf32>
}

// -----

//===----------------------------------------------------------------------===//
// nn.sub: x - 0 -> x
//===----------------------------------------------------------------------===//

// Tests that subtracting a splat zero folds to the minuend.

// CHECK-LABEL: func @sub_zero
// CHECK-SAME:    (%[[X:.*]]: tensor<2x2xf32>)
// CHECK-NOT:     nn.sub
// CHECK:         return %[[X]]
func.func @sub_zero(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %zero = nn.constant dense<0.0> : tensor<2x2xf32>
  %y = nn.sub %x, %zero : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// Tests that 0 - x (a negation) stays: sub is not commutative.

// CHECK-LABEL: func @zero_sub
// CHECK-SAME:    (%[[X:.*]]: tensor<4xf32>)
// CHECK:         %[[Z:.*]] = nn.constant dense<0.000000e+00>
// CHECK:         %[[Y:.*]] = nn.sub %[[Z]], %[[X]]
// CHECK:         return %[[Y]]
func.func @zero_sub(%x: tensor<4xf32>) -> tensor<4xf32> {
  %zero = nn.constant dense<0.0> : tensor<4xf32>
  %y = nn.sub %zero, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// nn.mul: x * 1 -> x
//===----------------------------------------------------------------------===//

// Tests that multiplying by a splat one folds, on either side.

// CHECK-LABEL: func @mul_one
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT:     nn.mul
// CHECK:         return %[[X]], %[[X]]
func.func @mul_one(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %one = nn.constant dense<1.0> : tensor<1x3xf32>
  %y = nn.mul %x, %one : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  %z = nn.mul %one, %x : (tensor<1x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y, %z : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// Tests that multiplying an integer tensor by a splat one folds.

// CHECK-LABEL: func @mul_one_i64
// CHECK-SAME:    (%[[X:.*]]: tensor<3xi64>)
// CHECK-NOT:     nn.mul
// CHECK:         return %[[X]]
func.func @mul_one_i64(%x: tensor<3xi64>) -> tensor<3xi64> {
  %one = nn.constant dense<1> : tensor<3xi64>
  %y = nn.mul %x, %one : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  return %y : tensor<3xi64>
}

// -----

// Tests that multiplying by zero (not the identity) stays.

// CHECK-LABEL: func @mul_zero
// CHECK:         %[[Y:.*]] = nn.mul
// CHECK:         return %[[Y]]
func.func @mul_zero(%x: tensor<3xf32>) -> tensor<3xf32> {
  %zero = nn.constant dense<0.0> : tensor<3xf32>
  %y = nn.mul %x, %zero : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %y : tensor<3xf32>
}

// -----

// Tests that multiplying by a one that broadcasts x to a larger shape stays.

// CHECK-LABEL: func @mul_one_broadcasts_x
// CHECK:         %[[Y:.*]] = nn.mul {{.*}} -> tensor<4x3xf32>
// CHECK:         return %[[Y]]
func.func @mul_one_broadcasts_x(%x: tensor<1x3xf32>) -> tensor<4x3xf32> {
  %one = nn.constant dense<1.0> : tensor<4x1xf32>
  %y = nn.mul %x, %one : (tensor<1x3xf32>, tensor<4x1xf32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

//===----------------------------------------------------------------------===//
// nn.div: x / 1 -> x
//===----------------------------------------------------------------------===//

// Tests that dividing by a splat one folds to the dividend.

// CHECK-LABEL: func @div_one
// CHECK-SAME:    (%[[X:.*]]: tensor<4xf32>)
// CHECK-NOT:     nn.div
// CHECK:         return %[[X]]
func.func @div_one(%x: tensor<4xf32>) -> tensor<4xf32> {
  %one = nn.constant dense<1.0> : tensor<f32>
  %y = nn.div %x, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Tests that 1 / x (a reciprocal) stays: div is not commutative.

// CHECK-LABEL: func @one_div
// CHECK-SAME:    (%[[X:.*]]: tensor<4xf32>)
// CHECK:         %[[ONE:.*]] = nn.constant dense<1.000000e+00>
// CHECK:         %[[Y:.*]] = nn.div %[[ONE]], %[[X]]
// CHECK:         return %[[Y]]
func.func @one_div(%x: tensor<4xf32>) -> tensor<4xf32> {
  %one = nn.constant dense<1.0> : tensor<4xf32>
  %y = nn.div %one, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// nn.pow: x ^ 1 -> x
//===----------------------------------------------------------------------===//

// Tests that raising to a splat power of one folds to the base.

// CHECK-LABEL: func @pow_one
// CHECK-SAME:    (%[[X:.*]]: tensor<2x2xf32>)
// CHECK-NOT:     nn.pow
// CHECK:         return %[[X]]
func.func @pow_one(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %one = nn.constant dense<1.0> : tensor<2xf32>
  %y = nn.pow %x, %one : (tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// Tests that 1 ^ x stays (it is 1, not x) and so does x ^ 2.

// CHECK-LABEL: func @pow_not_one
// CHECK-SAME:    (%[[X:.*]]: tensor<4xf32>)
// CHECK-DAG:     %[[ONE:.*]] = nn.constant dense<1.000000e+00>
// CHECK-DAG:     %[[TWO:.*]] = nn.constant dense<2.000000e+00>
// CHECK-DAG:     %[[A:.*]] = nn.pow %[[ONE]], %[[X]]
// CHECK-DAG:     %[[B:.*]] = nn.pow %[[X]], %[[TWO]]
// CHECK:         return %[[A]], %[[B]]
func.func @pow_not_one(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %one = nn.constant dense<1.0> : tensor<4xf32>
  %two = nn.constant dense<2.0> : tensor<4xf32>
  %a = nn.pow %one, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %b = nn.pow %x, %two : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %a, %b : tensor<4xf32>, tensor<4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// nn.max / nn.min: op(x, x) -> x
//===----------------------------------------------------------------------===//

// Tests that max(x, x) and min(x, x) fold to x.

// CHECK-LABEL: func @max_min_same
// CHECK-SAME:    (%[[X:.*]]: tensor<3x4xf32>)
// CHECK-NOT:     nn.max
// CHECK-NOT:     nn.min
// CHECK:         return %[[X]], %[[X]]
func.func @max_min_same(%x: tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<3x4xf32>) {
  %a = nn.max %x, %x : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  %b = nn.min %x, %x : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<3x4xf32>
  return %a, %b : tensor<3x4xf32>, tensor<3x4xf32>
}

// -----

// Tests that max and min of two different values stay.

// CHECK-LABEL: func @max_min_different
// CHECK-SAME:    (%[[X:.*]]: tensor<3xf32>, %[[Y:.*]]: tensor<3xf32>)
// CHECK-DAG:     %[[A:.*]] = nn.max %[[X]], %[[Y]]
// CHECK-DAG:     %[[B:.*]] = nn.min %[[X]], %[[Y]]
// CHECK:         return %[[A]], %[[B]]
func.func @max_min_different(%x: tensor<3xf32>, %y: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %a = nn.max %x, %y : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %b = nn.min %x, %y : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %a, %b : tensor<3xf32>, tensor<3xf32>
}

// -----

//===----------------------------------------------------------------------===//
// nn.cast: cast to the same type -> x
//===----------------------------------------------------------------------===//

// Tests that a cast to the input's own type folds away.

// CHECK-LABEL: func @cast_same_type
// CHECK-SAME:    (%[[X:.*]]: tensor<4xi64>)
// CHECK-NOT:     nn.cast
// CHECK:         return %[[X]]
func.func @cast_same_type(%x: tensor<4xi64>) -> tensor<4xi64> {
  %y = nn.cast %x : tensor<4xi64> -> tensor<4xi64>
  return %y : tensor<4xi64>
}

// -----

// Tests that a cast that changes the element type stays.

// CHECK-LABEL: func @cast_f32_to_f16
// CHECK-SAME:    (%[[X:.*]]: tensor<4xf32>)
// CHECK:         %[[Y:.*]] = nn.cast %[[X]] : tensor<4xf32> -> tensor<4xf16>
// CHECK:         return %[[Y]]
func.func @cast_f32_to_f16(%x: tensor<4xf32>) -> tensor<4xf16> {
  %y = nn.cast %x : tensor<4xf32> -> tensor<4xf16>
  return %y : tensor<4xf16>
}

// -----

//===----------------------------------------------------------------------===//
// nn.relu / nn.abs: idempotent; nn.neg: an involution
//===----------------------------------------------------------------------===//

// Tests that relu(relu(x)) folds to relu(x).

// CHECK-LABEL: func @relu_relu
// CHECK-SAME:    (%[[X:.*]]: tensor<8xf32>)
// CHECK:         %[[R:.*]] = nn.relu %[[X]]
// CHECK-NOT:     nn.relu
// CHECK:         return %[[R]]
func.func @relu_relu(%x: tensor<8xf32>) -> tensor<8xf32> {
  %a = nn.relu %x : tensor<8xf32>
  %b = nn.relu %a : tensor<8xf32>
  return %b : tensor<8xf32>
}

// -----

// Tests that relu of a value that is not a relu (here a neg) stays.

// CHECK-LABEL: func @relu_neg
// CHECK-SAME:    (%[[X:.*]]: tensor<8xf32>)
// CHECK:         %[[N:.*]] = nn.neg %[[X]]
// CHECK:         %[[R:.*]] = nn.relu %[[N]]
// CHECK:         return %[[R]]
func.func @relu_neg(%x: tensor<8xf32>) -> tensor<8xf32> {
  %a = nn.neg %x : tensor<8xf32>
  %b = nn.relu %a : tensor<8xf32>
  return %b : tensor<8xf32>
}

// -----

// Tests that abs(abs(x)) folds to abs(x).

// CHECK-LABEL: func @abs_abs
// CHECK-SAME:    (%[[X:.*]]: tensor<8xi32>)
// CHECK:         %[[A:.*]] = nn.abs %[[X]]
// CHECK-NOT:     nn.abs
// CHECK:         return %[[A]]
func.func @abs_abs(%x: tensor<8xi32>) -> tensor<8xi32> {
  %a = nn.abs %x : tensor<8xi32>
  %b = nn.abs %a : tensor<8xi32>
  return %b : tensor<8xi32>
}

// -----

// Tests that abs of a relu stays: only abs(abs(x)) folds.

// CHECK-LABEL: func @abs_relu
// CHECK-SAME:    (%[[X:.*]]: tensor<8xf32>)
// CHECK:         %[[R:.*]] = nn.relu %[[X]]
// CHECK:         %[[A:.*]] = nn.abs %[[R]]
// CHECK:         return %[[A]]
func.func @abs_relu(%x: tensor<8xf32>) -> tensor<8xf32> {
  %a = nn.relu %x : tensor<8xf32>
  %b = nn.abs %a : tensor<8xf32>
  return %b : tensor<8xf32>
}

// -----

// Tests that neg(neg(x)) folds to x, and neg(neg(neg(x))) to neg(x).

// CHECK-LABEL: func @neg_neg
// CHECK-SAME:    (%[[X:.*]]: tensor<8xf32>)
// CHECK:         %[[N:.*]] = nn.neg %[[X]]
// CHECK-NOT:     nn.neg
// CHECK:         return %[[X]], %[[N]]
func.func @neg_neg(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %a = nn.neg %x : tensor<8xf32>
  %b = nn.neg %a : tensor<8xf32>
  %c = nn.neg %b : tensor<8xf32>
  return %b, %c : tensor<8xf32>, tensor<8xf32>
}

// -----

// Tests that a single neg, and neg of an abs, stay.

// CHECK-LABEL: func @neg_abs
// CHECK-SAME:    (%[[X:.*]]: tensor<8xf32>)
// CHECK:         %[[A:.*]] = nn.abs %[[X]]
// CHECK:         %[[N:.*]] = nn.neg %[[A]]
// CHECK:         return %[[N]]
func.func @neg_abs(%x: tensor<8xf32>) -> tensor<8xf32> {
  %a = nn.abs %x : tensor<8xf32>
  %b = nn.neg %a : tensor<8xf32>
  return %b : tensor<8xf32>
}

// -----

//===----------------------------------------------------------------------===//
// nn.reduce_sum / nn.reduce_mean / nn.reduce_max: empty axes -> x
//===----------------------------------------------------------------------===//

// Tests that reductions over no axes fold to their input, with or without
// keepdims.

// CHECK-LABEL: func @reduce_no_axes
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT:     nn.reduce
// CHECK:         return %[[X]], %[[X]], %[[X]]
func.func @reduce_no_axes(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %s = nn.reduce_sum %x {axes = array<i64>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %m = nn.reduce_mean %x {axes = array<i64>, keepdims = false} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %x2 = nn.reduce_max %x {axes = array<i64>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %s, %m, %x2 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// Tests that reductions over an axis stay, with keepdims as well as without.

// CHECK-LABEL: func @reduce_axis
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-DAG:     %[[S:.*]] = nn.reduce_sum %[[X]] {axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
// CHECK-DAG:     %[[M:.*]] = nn.reduce_mean %[[X]] {axes = array<i64: 0>, keepdims = false} : (tensor<2x3xf32>) -> tensor<3xf32>
// CHECK-DAG:     %[[X2:.*]] = nn.reduce_max %[[X]] {axes = array<i64: 0, 1>} : (tensor<2x3xf32>) -> tensor<1x1xf32>
// CHECK:         return %[[S]], %[[M]], %[[X2]]
func.func @reduce_axis(%x: tensor<2x3xf32>) -> (tensor<2x1xf32>, tensor<3xf32>, tensor<1x1xf32>) {
  %s = nn.reduce_sum %x {axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  %m = nn.reduce_mean %x {axes = array<i64: 0>, keepdims = false} : (tensor<2x3xf32>) -> tensor<3xf32>
  %x2 = nn.reduce_max %x {axes = array<i64: 0, 1>} : (tensor<2x3xf32>) -> tensor<1x1xf32>
  return %s, %m, %x2 : tensor<2x1xf32>, tensor<3xf32>, tensor<1x1xf32>
}

// -----

//===----------------------------------------------------------------------===//
// nn.gemm: a * b^T + c -> nn.linear
//===----------------------------------------------------------------------===//

// Tests that ONNX's fully connected form (trans_b, unit alpha and beta, a
// 1-D bias of the output width, or no bias) becomes nn.linear.

// CHECK-LABEL: func @gemm_to_linear
// CHECK-SAME:    (%[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<3x8xf32>, %[[C:.*]]: tensor<3xf32>)
// CHECK:         %[[L:.*]] = nn.linear %[[A]], %[[B]], %[[C]] : (tensor<4x8xf32>, tensor<3x8xf32>, tensor<3xf32>) -> tensor<4x3xf32>
// CHECK:         %[[N:.*]] = nn.linear %[[A]], %[[B]] : (tensor<4x8xf32>, tensor<3x8xf32>) -> tensor<4x3xf32>
// CHECK:         return %[[L]], %[[N]]
func.func @gemm_to_linear(%a: tensor<4x8xf32>, %b: tensor<3x8xf32>, %c: tensor<3xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>) {
  %0 = nn.gemm %a, %b, %c {trans_b = true} : (tensor<4x8xf32>, tensor<3x8xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  %1 = nn.gemm %a, %b {trans_b = true, beta = 2.0 : f64} : (tensor<4x8xf32>, tensor<3x8xf32>) -> tensor<4x3xf32>
  return %0, %1 : tensor<4x3xf32>, tensor<4x3xf32>
}

// -----

// Tests that gemm stays when it is not a plain a * b^T + c: b not
// transposed, a transposed, alpha or beta not 1, or a 2-D bias.

// CHECK-LABEL: func @gemm_stays
// CHECK-COUNT-5: nn.gemm
// CHECK-NOT:     nn.linear
func.func @gemm_stays(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>, %bt: tensor<3x8xf32>, %at: tensor<8x4xf32>, %c: tensor<3xf32>, %c2: tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>) {
  %0 = nn.gemm %a, %b, %c : (tensor<4x8xf32>, tensor<8x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  %1 = nn.gemm %at, %bt, %c {trans_a = true, trans_b = true} : (tensor<8x4xf32>, tensor<3x8xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  %2 = nn.gemm %a, %bt, %c {trans_b = true, alpha = 0.5 : f64} : (tensor<4x8xf32>, tensor<3x8xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  %3 = nn.gemm %a, %bt, %c {trans_b = true, beta = 0.5 : f64} : (tensor<4x8xf32>, tensor<3x8xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  %4 = nn.gemm %a, %bt, %c2 {trans_b = true} : (tensor<4x8xf32>, tensor<3x8xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
  return %0, %1, %2, %3, %4 : tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>
}
