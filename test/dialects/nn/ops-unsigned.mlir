// RUN: kiln-opt %s | kiln-opt | FileCheck %s
// RUN: kiln-opt %s --mlir-print-op-generic | kiln-opt | FileCheck %s

// Round-trip test of nn ops on unsigned integer tensors (`ui8`..`ui64`) and
// of nn.bit_shift: each case is parsed, printed, re-parsed and printed again
// (once through the custom form, once through the generic form). Every
// result type below is the one the dialect infers.

// Tests that the arithmetic, comparison and reduction ops accept unsigned
// element types and keep them in their results.
// CHECK-LABEL: func @unsigned_arithmetic(
// CHECK:         nn.add %{{.*}}, %{{.*}} : (tensor<2x3xui8>, tensor<3xui8>) -> tensor<2x3xui8>
// CHECK:         nn.div %{{.*}}, %{{.*}} : (tensor<2x3xui8>, tensor<3xui8>) -> tensor<2x3xui8>
// CHECK:         nn.mod %{{.*}}, %{{.*}} : (tensor<2x3xui8>, tensor<3xui8>) -> tensor<2x3xui8>
// CHECK:         nn.max %{{.*}}, %{{.*}} : (tensor<4xui16>, tensor<4xui16>) -> tensor<4xui16>
// CHECK:         nn.min %{{.*}}, %{{.*}} : (tensor<4xui32>, tensor<1xui32>) -> tensor<4xui32>
// CHECK:         nn.greater %{{.*}}, %{{.*}} : (tensor<4xui64>, tensor<4xui64>) -> tensor<4xi1>
// CHECK:         nn.clip %{{.*}} {max = 2.000000e+02 : f64, min = 1.000000e+01 : f64} : tensor<2x3xui8>
// CHECK:         nn.reduce_max %{{.*}} {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xui8>) -> tensor<2xui8>
// CHECK:         nn.argmin %{{.*}} {axis = 0 : i64, keepdims = false} : (tensor<4xui64>) -> tensor<i64>
func.func @unsigned_arithmetic(%a: tensor<2x3xui8>, %b: tensor<3xui8>,
                               %c: tensor<4xui16>, %d: tensor<4xui32>,
                               %e: tensor<1xui32>, %f: tensor<4xui64>)
    -> (tensor<2x3xui8>, tensor<2x3xui8>, tensor<2x3xui8>, tensor<4xui16>,
        tensor<4xui32>, tensor<4xi1>, tensor<2x3xui8>, tensor<2xui8>,
        tensor<i64>) {
  %0 = nn.add %a, %b : (tensor<2x3xui8>, tensor<3xui8>) -> tensor<2x3xui8>
  %1 = nn.div %a, %b : (tensor<2x3xui8>, tensor<3xui8>) -> tensor<2x3xui8>
  %2 = nn.mod %a, %b : (tensor<2x3xui8>, tensor<3xui8>) -> tensor<2x3xui8>
  %3 = nn.max %c, %c : (tensor<4xui16>, tensor<4xui16>) -> tensor<4xui16>
  %4 = nn.min %d, %e : (tensor<4xui32>, tensor<1xui32>) -> tensor<4xui32>
  %5 = nn.greater %f, %f : (tensor<4xui64>, tensor<4xui64>) -> tensor<4xi1>
  %6 = nn.clip %a {min = 10.0 : f64, max = 200.0 : f64} : tensor<2x3xui8>
  %7 = nn.reduce_max %a {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xui8>) -> tensor<2xui8>
  %8 = nn.argmin %f {axis = 0 : i64, keepdims = false} : (tensor<4xui64>) -> tensor<i64>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8
      : tensor<2x3xui8>, tensor<2x3xui8>, tensor<2x3xui8>, tensor<4xui16>,
        tensor<4xui32>, tensor<4xi1>, tensor<2x3xui8>, tensor<2xui8>,
        tensor<i64>
}

// Tests that nn.cast converts between unsigned, signless and float types,
// and that the data-movement ops carry unsigned tensors.
// CHECK-LABEL: func @unsigned_cast_and_data_movement(
// CHECK:         nn.cast %{{.*}} : tensor<4xui8> -> tensor<4xi8>
// CHECK:         nn.cast %{{.*}} : tensor<4xf32> -> tensor<4xui32>
// CHECK:         nn.reshape %{{.*}} : tensor<4xui8> -> tensor<2x2xui8>
// CHECK:         nn.constant dense<[1, 255]> : tensor<2xui8>
func.func @unsigned_cast_and_data_movement(%a: tensor<4xui8>, %b: tensor<4xf32>)
    -> (tensor<4xi8>, tensor<4xui32>, tensor<2x2xui8>, tensor<2xui8>) {
  %0 = nn.cast %a : tensor<4xui8> -> tensor<4xi8>
  %1 = nn.cast %b : tensor<4xf32> -> tensor<4xui32>
  %2 = nn.reshape %a : tensor<4xui8> -> tensor<2x2xui8>
  %3 = nn.constant dense<[1, 255]> : tensor<2xui8>
  return %0, %1, %2, %3 : tensor<4xi8>, tensor<4xui32>, tensor<2x2xui8>, tensor<2xui8>
}

// Tests that nn.bit_shift prints its direction and broadcasts like NumPy.
// CHECK-LABEL: func @bit_shift(
// CHECK:         nn.bit_shift %{{.*}}, %{{.*}} {direction = #nn.shift_direction<left>} : (tensor<2x3xui8>, tensor<3xui8>) -> tensor<2x3xui8>
// CHECK:         nn.bit_shift %{{.*}}, %{{.*}} {direction = #nn.shift_direction<right>} : (tensor<?xui64>, tensor<1xui64>) -> tensor<?xui64>
func.func @bit_shift(%a: tensor<2x3xui8>, %b: tensor<3xui8>, %c: tensor<?xui64>,
                     %d: tensor<1xui64>) -> (tensor<2x3xui8>, tensor<?xui64>) {
  %0 = nn.bit_shift %a, %b {direction = #nn.shift_direction<left>}
      : (tensor<2x3xui8>, tensor<3xui8>) -> tensor<2x3xui8>
  %1 = nn.bit_shift %c, %d {direction = #nn.shift_direction<right>}
      : (tensor<?xui64>, tensor<1xui64>) -> tensor<?xui64>
  return %0, %1 : tensor<2x3xui8>, tensor<?xui64>
}
