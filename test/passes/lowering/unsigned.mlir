// RUN: kiln-opt %s --nn-to-linalg | FileCheck %s

// Tests that unsigned tensors become signless ones of the same width in
// function signatures and that the integer ops pick the unsigned arith op
// from the nn types (exec-unsigned.test checks the values).

// Tests that division and remainder are divui / remui, guarded against a
// zero divisor, and that max and min are maxui / minui.
// CHECK-LABEL: func @arithmetic(
// CHECK-SAME:    %{{.*}}: tensor<4xi8>, %{{.*}}: tensor<4xi8>) -> (tensor<4xi8>, tensor<4xi8>, tensor<4xi8>, tensor<4xi8>)
// CHECK:         arith.divui
// CHECK-NOT:     arith.divsi
// CHECK:         arith.remui
// CHECK-NOT:     arith.remsi
// CHECK:         arith.maxui
// CHECK:         arith.minui
func.func @arithmetic(%a: tensor<4xui8>, %b: tensor<4xui8>)
    -> (tensor<4xui8>, tensor<4xui8>, tensor<4xui8>, tensor<4xui8>) {
  %0 = nn.div %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %1 = nn.mod %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %2 = nn.max %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %3 = nn.min %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return %0, %1, %2, %3 : tensor<4xui8>, tensor<4xui8>, tensor<4xui8>, tensor<4xui8>
}

// Tests that the comparisons of unsigned operands use unsigned predicates.
// CHECK-LABEL: func @compare(
// CHECK:         arith.cmpi ult
// CHECK:         arith.cmpi uge
func.func @compare(%a: tensor<4xui64>, %b: tensor<4xui64>)
    -> (tensor<4xi1>, tensor<4xi1>) {
  %0 = nn.less %a, %b : (tensor<4xui64>, tensor<4xui64>) -> tensor<4xi1>
  %1 = nn.greater_equal %a, %b : (tensor<4xui64>, tensor<4xui64>) -> tensor<4xi1>
  return %0, %1 : tensor<4xi1>, tensor<4xi1>
}

// Tests that casts from unsigned types zero-extend and use uitofp, casts
// to them go through fptosi to i64 (wrapping) or fptoui for 64 bits, and a
// cast between ui8 and i8 is no op at all.
// CHECK-LABEL: func @casts(
// CHECK:         arith.extui %{{.*}} : i8 to i32
// CHECK:         arith.uitofp %{{.*}} : i8 to f32
// CHECK:         arith.fptosi %{{.*}} : f32 to i64
// CHECK-NEXT:    arith.trunci %{{.*}} : i64 to i16
// CHECK:         arith.fptoui %{{.*}} : f32 to i64
// CHECK-NOT:     linalg.generic
// CHECK:         return
func.func @casts(%a: tensor<4xui8>, %f: tensor<4xf32>)
    -> (tensor<4xi32>, tensor<4xf32>, tensor<4xui16>, tensor<4xui64>, tensor<4xi8>) {
  %0 = nn.cast %a : tensor<4xui8> -> tensor<4xi32>
  %1 = nn.cast %a : tensor<4xui8> -> tensor<4xf32>
  %2 = nn.cast %f : tensor<4xf32> -> tensor<4xui16>
  %3 = nn.cast %f : tensor<4xf32> -> tensor<4xui64>
  %4 = nn.cast %a : tensor<4xui8> -> tensor<4xi8>
  return %0, %1, %2, %3, %4 : tensor<4xi32>, tensor<4xf32>, tensor<4xui16>, tensor<4xui64>, tensor<4xi8>
}

// Tests that nn.bit_shift is shli / shrui, 0 for a shift by the width or
// more.
// CHECK-LABEL: func @bit_shift(
// CHECK:         arith.shrui
// CHECK:         %[[WIDTH:.*]] = arith.constant 32 : i32
// CHECK:         arith.cmpi uge, %{{.*}}, %[[WIDTH]] : i32
// CHECK:         arith.select
func.func @bit_shift(%a: tensor<4xui32>, %n: tensor<4xui32>) -> tensor<4xui32> {
  %0 = nn.bit_shift %a, %n {direction = #nn.shift_direction<right>}
      : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xui32>
  return %0 : tensor<4xui32>
}

// Tests that clip and reduce_max compare unsigned, with unsigned bounds
// and identity, and that an unsigned constant keeps its bits.
// CHECK-LABEL: func @clip_reduce_constant(
// CHECK:         arith.constant dense<[1, -1]> : tensor<2xi8>
// CHECK:         arith.constant -56 : i8
// CHECK:         arith.minui
// CHECK:         arith.constant 0 : i8
// CHECK:         linalg.reduce
// CHECK:           arith.maxui
func.func @clip_reduce_constant(%a: tensor<2x3xui8>)
    -> (tensor<2xui8>, tensor<2x3xui8>, tensor<2xui8>) {
  %c = nn.constant dense<[1, 255]> : tensor<2xui8>
  %0 = nn.clip %a {max = 200.0 : f64} : tensor<2x3xui8>
  %1 = nn.reduce_max %a {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xui8>) -> tensor<2xui8>
  return %c, %0, %1 : tensor<2xui8>, tensor<2x3xui8>, tensor<2xui8>
}
