// RUN: kiln-opt %s --nn-to-linalg | FileCheck %s

!qi8 = !quant.uniform<i8:f32, 0.5:-3>
!qu8 = !quant.uniform<u8:f32, 0.1:128>
!qaxis = !quant.uniform<i8:f32:1, {0.5:1, 0.25:-2}>

// CHECK-DAG: #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$AXIS1:.*]] = affine_map<(d0, d1) -> (d1)>

// Tests that quantize is ONNX QuantizeLinear on the storage type: x / scale
// (a division), round half to even, + zero point, then saturation decided by
// float comparisons so that only in-range values are converted; NaN gives 0.
// CHECK-LABEL: func @quantize
// CHECK-SAME:    (%{{.*}}: tensor<4xf32>) -> tensor<4xi8>
// CHECK:         linalg.generic
// CHECK-SAME:      outs(%{{.*}} : tensor<4xi8>)
// CHECK:           %[[SCALE:.*]] = arith.constant 5.000000e-01 : f32
// CHECK:           %[[ZP:.*]] = arith.constant -3.000000e+00 : f32
// CHECK:           %[[SCALED:.*]] = arith.divf %{{.*}}, %[[SCALE]] : f32
// CHECK:           %[[ROUNDED:.*]] = math.roundeven %[[SCALED]] : f32
// CHECK:           %[[Q:.*]] = arith.addf %[[ROUNDED]], %[[ZP]] : f32
// CHECK:           %[[LOW:.*]] = arith.constant -1.280000e+02 : f32
// CHECK:           %[[HIGH:.*]] = arith.constant 1.270000e+02 : f32
// CHECK:           %[[INT:.*]] = arith.fptosi %[[Q]] : f32 to i8
// CHECK:           %[[IS_LOW:.*]] = arith.cmpf ole, %[[Q]], %[[LOW]] : f32
// CHECK:           %[[IS_HIGH:.*]] = arith.cmpf oge, %[[Q]], %[[HIGH]] : f32
// CHECK:           %[[IS_NAN:.*]] = arith.cmpf uno, %[[Q]], %[[Q]] : f32
// CHECK:           %[[MIN:.*]] = arith.constant -128 : i8
// CHECK:           %[[R1:.*]] = arith.select %[[IS_LOW]], %[[MIN]], %[[INT]] : i8
// CHECK:           %[[MAX:.*]] = arith.constant 127 : i8
// CHECK:           %[[R2:.*]] = arith.select %[[IS_HIGH]], %[[MAX]], %[[R1]] : i8
// CHECK:           arith.select %[[IS_NAN]], %{{.*}}, %[[R2]] : i8
func.func @quantize(%x: tensor<4xf32>) -> tensor<4x!qi8> {
  %q = nn.quantize %x : tensor<4xf32> -> tensor<4x!qi8>
  return %q : tensor<4x!qi8>
}

// Tests that unsigned storage saturates to [0, 255] and converts unsigned.
// CHECK-LABEL: func @quantize_u8
// CHECK:           arith.constant 2.550000e+02 : f32
// CHECK:           arith.fptoui %{{.*}} : f32 to i8
func.func @quantize_u8(%x: tensor<4xf32>) -> tensor<4x!qu8> {
  %q = nn.quantize %x : tensor<4xf32> -> tensor<4x!qu8>
  return %q : tensor<4x!qu8>
}

// Tests that per-axis parameters are constant tensors read along the
// quantized dimension, and that dequantize is (q - zero_point) * scale.
// CHECK-LABEL: func @dequantize_per_axis
// CHECK-SAME:    (%{{.*}}: tensor<3x2xi8>) -> tensor<3x2xf32>
// CHECK-DAG:     %[[SCALES:.*]] = arith.constant dense<[5.000000e-01, 2.500000e-01]> : tensor<2xf32>
// CHECK-DAG:     %[[ZPS:.*]] = arith.constant dense<[1.000000e+00, -2.000000e+00]> : tensor<2xf32>
// CHECK:         linalg.generic {indexing_maps = [#[[$ID2]], #[[$AXIS1]], #[[$AXIS1]], #[[$ID2]]]
// CHECK-SAME:      ins(%{{.*}}, %[[SCALES]], %[[ZPS]] :
// CHECK:         ^bb0(%[[Q:.*]]: i8, %[[S:.*]]: f32, %[[Z:.*]]: f32, %{{.*}}: f32):
// CHECK:           %[[F:.*]] = arith.sitofp %[[Q]] : i8 to f32
// CHECK:           %[[C:.*]] = arith.subf %[[F]], %[[Z]] : f32
// CHECK:           arith.mulf %[[C]], %[[S]] : f32
func.func @dequantize_per_axis(%q: tensor<3x2x!qaxis>) -> tensor<3x2xf32> {
  %x = nn.dequantize %q : tensor<3x2x!qaxis> -> tensor<3x2xf32>
  return %x : tensor<3x2xf32>
}

// Tests that quantized tensors become their storage type in function
// signatures and data-movement ops.
// CHECK-LABEL: func @layout
// CHECK-SAME:    (%[[ARG:.*]]: tensor<2x3xi8>) -> tensor<3x2xi8>
// CHECK:         linalg.transpose ins(%[[ARG]] : tensor<2x3xi8>) outs(%{{.*}} : tensor<3x2xi8>)
func.func @layout(%q: tensor<2x3x!qi8>) -> tensor<3x2x!qi8> {
  %t = nn.transpose %q {perm = array<i64: 1, 0>} : (tensor<2x3x!qi8>) -> tensor<3x2x!qi8>
  return %t : tensor<3x2x!qi8>
}
// Tests that a call passes the storage tensor and that quant.scast
// disappears.
// CHECK-LABEL: func @caller
// CHECK:         %[[Q:.*]] = linalg.generic
// CHECK:         %[[T:.*]] = call @layout(%[[Q]]) : (tensor<2x3xi8>) -> tensor<3x2xi8>
// CHECK-NOT:     quant.scast
// CHECK:         return %[[T]] : tensor<3x2xi8>
func.func @caller(%x: tensor<2x3xf32>) -> tensor<3x2xi8> {
  %q = nn.quantize %x : tensor<2x3xf32> -> tensor<2x3x!qi8>
  %t = call @layout(%q) : (tensor<2x3x!qi8>) -> tensor<3x2x!qi8>
  %s = quant.scast %t : tensor<3x2x!qi8> to tensor<3x2xi8>
  return %s : tensor<3x2xi8>
}

// Tests that a quantized dense_resource constant, whose blob holds the
// storage integers, becomes a storage-typed constant on the same blob.
// CHECK-LABEL: func @quantized_resource
// CHECK:         %[[W:.*]] = arith.constant dense_resource<qweights> : tensor<3xi8>
// CHECK:         linalg.generic {{.*}} ins(%[[W]] : tensor<3xi8>)
// CHECK:           arith.sitofp
func.func @quantized_resource() -> tensor<3xf32> {
  %q = nn.constant dense_resource<qweights> : tensor<3x!qi8>
  %x = nn.dequantize %q : tensor<3x!qi8> -> tensor<3xf32>
  return %x : tensor<3xf32>
}

{-#
  dialect_resources: {
    builtin: {
      qweights: "0x0100000001FF7F"
    }
  }
#-}
