// RUN: kiln-opt %s --kiln-approximate-math | FileCheck %s

// Tests that f32 exp, expm1, tanh and erf (scalar and vector) become
// polynomial arithmetic, and that f64 and other functions keep their ops.
// CHECK-LABEL: func.func @approximated
// CHECK-NOT: math.exp
// CHECK-NOT: math.expm1
// CHECK-NOT: math.tanh
// CHECK-NOT: math.erf
// CHECK: math.fma
// CHECK: return
func.func @approximated(%x: f32, %v: vector<16xf32>) -> (f32, f32, vector<16xf32>, f32) {
  %0 = math.exp %x : f32
  %1 = math.tanh %x : f32
  %2 = math.expm1 %v : vector<16xf32>
  %3 = math.erf %x : f32
  return %0, %1, %2, %3 : f32, f32, vector<16xf32>, f32
}

// CHECK-LABEL: func.func @kept
// CHECK: math.exp %{{.*}} : f64
// CHECK: math.sin %{{.*}} : f32
// CHECK: math.log %{{.*}} : f32
func.func @kept(%x: f64, %y: f32) -> (f64, f32, f32) {
  %0 = math.exp %x : f64
  %1 = math.sin %y : f32
  %2 = math.log %y : f32
  return %0, %1, %2 : f64, f32, f32
}
