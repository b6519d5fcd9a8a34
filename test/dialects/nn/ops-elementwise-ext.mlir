// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// Round-trip test of the comparison, logical, rounding, trigonometric and
// float-test ops, the parameterized activations, prelu and mod: each case is
// parsed, printed, re-parsed and printed again (once through the custom form,
// once through the generic form). Every result type below is the one the
// dialect infers, so a case also checks shape inference.

// Tests that the comparisons broadcast like NumPy and return i1 masks, for
// floats, integers, i1 and dynamic dimensions.
// CHECK-LABEL: func @comparisons(
// CHECK:         nn.equal %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK:         nn.less %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
// CHECK:         nn.less_equal %{{.*}}, %{{.*}} : (tensor<?x1xi32>, tensor<4xi32>) -> tensor<?x4xi1>
// CHECK:         nn.greater %{{.*}}, %{{.*}} : (tensor<?x1xi32>, tensor<4xi32>) -> tensor<?x4xi1>
// CHECK:         nn.greater_equal %{{.*}}, %{{.*}} : (tensor<f32>, tensor<3xf32>) -> tensor<3xi1>
// CHECK:         nn.equal %{{.*}}, %{{.*}} : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
func.func @comparisons(%a: tensor<2x3xf32>, %b: tensor<3xf32>,
                       %c: tensor<?x1xi32>, %d: tensor<4xi32>, %s: tensor<f32>,
                       %m: tensor<3xi1>)
    -> (tensor<2x3xi1>, tensor<2x3xi1>, tensor<?x4xi1>, tensor<?x4xi1>,
        tensor<3xi1>, tensor<3xi1>) {
  %0 = nn.equal %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %1 = nn.less %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %2 = nn.less_equal %c, %d : (tensor<?x1xi32>, tensor<4xi32>) -> tensor<?x4xi1>
  %3 = nn.greater %c, %d : (tensor<?x1xi32>, tensor<4xi32>) -> tensor<?x4xi1>
  %4 = nn.greater_equal %s, %b : (tensor<f32>, tensor<3xf32>) -> tensor<3xi1>
  %5 = nn.equal %m, %m : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  return %0, %1, %2, %3, %4, %5
      : tensor<2x3xi1>, tensor<2x3xi1>, tensor<?x4xi1>, tensor<?x4xi1>,
        tensor<3xi1>, tensor<3xi1>
}

// Tests that and, or and xor broadcast i1 masks and that not keeps the type.
// CHECK-LABEL: func @logical(
// CHECK:         nn.and %{{.*}}, %{{.*}} : (tensor<2x3xi1>, tensor<3xi1>) -> tensor<2x3xi1>
// CHECK:         nn.or %{{.*}}, %{{.*}} : (tensor<2x3xi1>, tensor<3xi1>) -> tensor<2x3xi1>
// CHECK:         nn.xor %{{.*}}, %{{.*}} : (tensor<2x3xi1>, tensor<3xi1>) -> tensor<2x3xi1>
// CHECK:         nn.not %{{.*}} : tensor<2x3xi1>
func.func @logical(%a: tensor<2x3xi1>, %b: tensor<3xi1>)
    -> (tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>) {
  %0 = nn.and %a, %b : (tensor<2x3xi1>, tensor<3xi1>) -> tensor<2x3xi1>
  %1 = nn.or %a, %b : (tensor<2x3xi1>, tensor<3xi1>) -> tensor<2x3xi1>
  %2 = nn.xor %a, %b : (tensor<2x3xi1>, tensor<3xi1>) -> tensor<2x3xi1>
  %3 = nn.not %a : tensor<2x3xi1>
  return %0, %1, %2, %3 : tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>, tensor<2x3xi1>
}

// Tests that the rounding, sign, trigonometric and hyperbolic ops keep their
// operand's type (sign also on integers).
// CHECK-LABEL: func @unary_math(
// CHECK:         nn.floor %{{.*}} : tensor<4xf32>
// CHECK:         nn.ceil %{{.*}} : tensor<4xf32>
// CHECK:         nn.round %{{.*}} : tensor<4xf32>
// CHECK:         nn.sign %{{.*}} : tensor<4xf32>
// CHECK:         nn.sign %{{.*}} : tensor<?xi64>
// CHECK:         nn.sin %{{.*}} : tensor<4xf32>
// CHECK:         nn.cos %{{.*}} : tensor<4xf32>
// CHECK:         nn.tan %{{.*}} : tensor<4xf32>
// CHECK:         nn.asin %{{.*}} : tensor<4xf32>
// CHECK:         nn.acos %{{.*}} : tensor<4xf32>
// CHECK:         nn.atan %{{.*}} : tensor<4xf32>
// CHECK:         nn.sinh %{{.*}} : tensor<4xf16>
// CHECK:         nn.cosh %{{.*}} : tensor<4xf16>
// CHECK:         nn.asinh %{{.*}} : tensor<4xf64>
// CHECK:         nn.acosh %{{.*}} : tensor<4xf64>
// CHECK:         nn.atanh %{{.*}} : tensor<4xf64>
func.func @unary_math(%x: tensor<4xf32>, %i: tensor<?xi64>, %h: tensor<4xf16>,
                      %d: tensor<4xf64>) {
  %0 = nn.floor %x : tensor<4xf32>
  %1 = nn.ceil %x : tensor<4xf32>
  %2 = nn.round %x : tensor<4xf32>
  %3 = nn.sign %x : tensor<4xf32>
  %4 = nn.sign %i : tensor<?xi64>
  %5 = nn.sin %x : tensor<4xf32>
  %6 = nn.cos %x : tensor<4xf32>
  %7 = nn.tan %x : tensor<4xf32>
  %8 = nn.asin %x : tensor<4xf32>
  %9 = nn.acos %x : tensor<4xf32>
  %10 = nn.atan %x : tensor<4xf32>
  %11 = nn.sinh %h : tensor<4xf16>
  %12 = nn.cosh %h : tensor<4xf16>
  %13 = nn.asinh %d : tensor<4xf64>
  %14 = nn.acosh %d : tensor<4xf64>
  %15 = nn.atanh %d : tensor<4xf64>
  return
}

// Tests that isnan and isinf give i1 masks of the operand's shape and that
// isinf keeps only non-default detect flags.
// CHECK-LABEL: func @float_tests(
// CHECK:         nn.isnan %{{.*}} : tensor<2x?xf32> -> tensor<2x?xi1>
// CHECK:         nn.isinf %{{.*}} : tensor<2x?xf32> -> tensor<2x?xi1>
// CHECK:         nn.isinf %{{.*}} {detect_negative = false} : tensor<2x?xf32> -> tensor<2x?xi1>
// CHECK:         nn.isinf %{{.*}} {detect_positive = false} : tensor<2x?xf32> -> tensor<2x?xi1>
func.func @float_tests(%x: tensor<2x?xf32>) {
  %0 = nn.isnan %x : tensor<2x?xf32> -> tensor<2x?xi1>
  %1 = nn.isinf %x : tensor<2x?xf32> -> tensor<2x?xi1>
  %2 = nn.isinf %x {detect_negative = false} : tensor<2x?xf32> -> tensor<2x?xi1>
  %3 = nn.isinf %x {detect_positive = false} : tensor<2x?xf32> -> tensor<2x?xi1>
  return
}

// Tests that the parameterized activations print only non-default
// attributes.
// CHECK-LABEL: func @activations(
// CHECK:         nn.leaky_relu %{{.*}} : tensor<4xf32>
// CHECK:         nn.leaky_relu %{{.*}} {alpha = 1.000000e-01 : f64} : tensor<4xf32>
// CHECK:         nn.elu %{{.*}} {alpha = 2.000000e+00 : f64} : tensor<4xf32>
// CHECK:         nn.selu %{{.*}} : tensor<4xf32>
// CHECK:         nn.selu %{{.*}} {alpha = 2.000000e+00 : f64, gamma = 3.000000e+00 : f64} : tensor<4xf32>
// CHECK:         nn.celu %{{.*}} {alpha = 5.000000e-01 : f64} : tensor<4xf32>
// CHECK:         nn.softplus %{{.*}} : tensor<4xf32>
// CHECK:         nn.softsign %{{.*}} : tensor<4xf32>
// CHECK:         nn.mish %{{.*}} : tensor<4xf32>
// CHECK:         nn.thresholded_relu %{{.*}} {alpha = 2.000000e+00 : f64} : tensor<4xf32>
func.func @activations(%x: tensor<4xf32>) {
  %0 = nn.leaky_relu %x : tensor<4xf32>
  %1 = nn.leaky_relu %x {alpha = 0.1 : f64} : tensor<4xf32>
  %2 = nn.elu %x {alpha = 2.0 : f64} : tensor<4xf32>
  %3 = nn.selu %x : tensor<4xf32>
  %4 = nn.selu %x {alpha = 2.0 : f64, gamma = 3.0 : f64} : tensor<4xf32>
  %5 = nn.celu %x {alpha = 0.5 : f64} : tensor<4xf32>
  %6 = nn.softplus %x : tensor<4xf32>
  %7 = nn.softsign %x : tensor<4xf32>
  %8 = nn.mish %x : tensor<4xf32>
  %9 = nn.thresholded_relu %x {alpha = 2.0 : f64} : tensor<4xf32>
  return
}

// Tests that prelu broadcasts its slope to the input and that mod broadcasts
// both ways, on integers and (with fmod) floats.
// CHECK-LABEL: func @prelu_mod(
// CHECK:         nn.prelu %{{.*}}, %{{.*}} : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
// CHECK:         nn.prelu %{{.*}}, %{{.*}} : (tensor<?x3xi32>, tensor<3xi32>) -> tensor<?x3xi32>
// CHECK:         nn.mod %{{.*}}, %{{.*}} : (tensor<?x3xi32>, tensor<3xi32>) -> tensor<?x3xi32>
// CHECK:         nn.mod %{{.*}}, %{{.*}} {fmod = true} : (tensor<3x1xf32>, tensor<4xf32>) -> tensor<3x4xf32>
func.func @prelu_mod(%x: tensor<2x3x4xf32>, %s: tensor<3x1xf32>,
                     %i: tensor<?x3xi32>, %j: tensor<3xi32>, %f: tensor<4xf32>) {
  %0 = nn.prelu %x, %s : (tensor<2x3x4xf32>, tensor<3x1xf32>) -> tensor<2x3x4xf32>
  %1 = nn.prelu %i, %j : (tensor<?x3xi32>, tensor<3xi32>) -> tensor<?x3xi32>
  %2 = nn.mod %i, %j : (tensor<?x3xi32>, tensor<3xi32>) -> tensor<?x3xi32>
  %3 = nn.mod %s, %f {fmod = true} : (tensor<3x1xf32>, tensor<4xf32>) -> tensor<3x4xf32>
  return
}
