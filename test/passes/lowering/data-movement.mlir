// RUN: kiln-opt %s --nn-to-linalg | FileCheck %s

// CHECK-DAG: #[[$REVERSE_BOTH:.*]] = affine_map<(d0, d1) -> (-d0 + 2, -d1 + 4)>
// CHECK-DAG: #[[$ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$INDICES:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>

// Tests that constants (dense and dense_resource) become arith.constant of
// the same elements.
// CHECK-LABEL: func @constants
// CHECK:         arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK:         arith.constant dense_resource<w> : tensor<2x3xf32>
func.func @constants() -> (tensor<2xf32>, tensor<2x3xf32>) {
  %0 = nn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %1 = nn.constant dense_resource<w> : tensor<2x3xf32>
  return %0, %1 : tensor<2xf32>, tensor<2x3xf32>
}

// Tests that static reshapes that merge or split dimensions are one
// collapse_shape or expand_shape, others go through a 1-D tensor, and a
// dynamic size is the element count over the static sizes.
// CHECK-LABEL: func @reshapes
// CHECK:         tensor.collapse_shape %arg0 {{\[\[}}0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
// CHECK:         tensor.expand_shape %arg0 {{\[\[}}0], [1], [2, 3]] output_shape [2, 3, 2, 2]
// CHECK:         %[[FLAT:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
// CHECK:         tensor.expand_shape %[[FLAT]] {{\[\[}}0, 1]] output_shape [4, 6] : tensor<24xf32> into tensor<4x6xf32>
// CHECK:         %[[DFLAT:.*]] = tensor.collapse_shape %arg1 {{\[\[}}0, 1]] : tensor<?x4xf32> into tensor<?xf32>
// CHECK:         %[[COUNT:.*]] = tensor.dim %[[DFLAT]]
// CHECK:         %[[OUTER:.*]] = arith.floordivsi %[[COUNT]], %{{.*}} : index
// CHECK:         tensor.expand_shape %[[DFLAT]] {{\[\[}}0, 1, 2]] output_shape [%[[OUTER]], 2, 2] : tensor<?xf32> into tensor<?x2x2xf32>
func.func @reshapes(%x: tensor<2x3x4xf32>, %d: tensor<?x4xf32>) -> (tensor<6x4xf32>, tensor<2x3x2x2xf32>, tensor<4x6xf32>, tensor<?x2x2xf32>) {
  %0 = nn.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %1 = nn.reshape %x : tensor<2x3x4xf32> -> tensor<2x3x2x2xf32>
  %2 = nn.reshape %x : tensor<2x3x4xf32> -> tensor<4x6xf32>
  %3 = nn.reshape %d : tensor<?x4xf32> -> tensor<?x2x2xf32>
  return %0, %1, %2, %3 : tensor<6x4xf32>, tensor<2x3x2x2xf32>, tensor<4x6xf32>, tensor<?x2x2xf32>
}

// Tests that flatten collapses around its axis, and that axis 0 adds a unit
// dimension in front of the dynamic element count.
// CHECK-LABEL: func @flatten
// CHECK:         tensor.collapse_shape %arg0 {{\[\[}}0], [1, 2]] : tensor<?x3x4xf32> into tensor<?x12xf32>
// CHECK:         %[[FLAT:.*]] = tensor.collapse_shape %arg0 {{\[\[}}0, 1, 2]] : tensor<?x3x4xf32> into tensor<?xf32>
// CHECK:         tensor.expand_shape %[[FLAT]] {{\[\[}}0, 1]] output_shape [1, %{{.*}}] : tensor<?xf32> into tensor<1x?xf32>
func.func @flatten(%x: tensor<?x3x4xf32>) -> (tensor<?x12xf32>, tensor<1x?xf32>) {
  %0 = nn.flatten %x : (tensor<?x3x4xf32>) -> tensor<?x12xf32>
  %1 = nn.flatten %x {axis = 0 : i64} : (tensor<?x3x4xf32>) -> tensor<1x?xf32>
  return %0, %1 : tensor<?x12xf32>, tensor<1x?xf32>
}

// Tests that transpose is linalg.transpose with the same permutation.
// CHECK-LABEL: func @transpose
// CHECK:         linalg.transpose ins(%arg0 : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<4x2x3xf32>) permutation = [2, 0, 1]
func.func @transpose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %r = nn.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  return %r : tensor<4x2x3xf32>
}

// Tests that concat is tensor.concat along the same axis.
// CHECK-LABEL: func @concat
// CHECK:         tensor.concat dim(1) %arg0, %arg1 : (tensor<2x1xf32>, tensor<2x3xf32>) -> tensor<2x4xf32>
func.func @concat(%a: tensor<2x1xf32>, %b: tensor<2x3xf32>) -> tensor<2x4xf32> {
  %r = nn.concat %a, %b {axis = 1 : i64} : (tensor<2x1xf32>, tensor<2x3xf32>) -> tensor<2x4xf32>
  return %r : tensor<2x4xf32>
}

// Tests that a slice with positive steps is one strided extract_slice, and
// that negative steps extract the same elements in increasing order (rows
// 1, 3, 5 for 5:0:-2) and reverse them with an index map.
// CHECK-LABEL: func @slices
// CHECK:         tensor.extract_slice %arg0[1, 0] [3, 2] [2, 3] : tensor<6x5xf32> to tensor<3x2xf32>
// CHECK:         %[[FORWARD:.*]] = tensor.extract_slice %arg0[1, 0] [3, 5] [2, 1] : tensor<6x5xf32> to tensor<3x5xf32>
// CHECK:         linalg.generic {indexing_maps = [#[[$REVERSE_BOTH]], #[[$ID2]]]
// CHECK-SAME:      ins(%[[FORWARD]] : tensor<3x5xf32>)
func.func @slices(%x: tensor<6x5xf32>) -> (tensor<3x2xf32>, tensor<3x5xf32>) {
  %0 = nn.slice %x {starts = array<i64: 1, 0>, ends = array<i64: 6, 4>, steps = array<i64: 2, 3>} : (tensor<6x5xf32>) -> tensor<3x2xf32>
  %1 = nn.slice %x {starts = array<i64: 5, 4>, ends = array<i64: 0, -1>, steps = array<i64: -2, -1>} : (tensor<6x5xf32>) -> tensor<3x5xf32>
  return %0, %1 : tensor<3x2xf32>, tensor<3x5xf32>
}

// Tests that a slice keeping one element of a dimension reads it with
// stride 1, whatever its step (here the most negative i64).
// CHECK-LABEL: func @slice_extreme_step
// CHECK:         tensor.extract_slice %arg0[3] [1] [1] : tensor<4xf32> to tensor<1xf32>
// CHECK-NOT:     linalg.generic
func.func @slice_extreme_step(%v: tensor<4xf32>) -> tensor<1xf32> {
  %r = nn.slice %v {starts = array<i64: 3>, ends = array<i64: -1>, steps = array<i64: -9223372036854775808>} : (tensor<4xf32>) -> tensor<1xf32>
  return %r : tensor<1xf32>
}

// Tests that constant padding is tensor.pad with the value in the element
// type (integers too), and that reflect and edge padding are generics over
// the output that extract from a mirrored or clamped source index.
// CHECK-LABEL: func @pads
// CHECK:         %[[VALUE:.*]] = arith.constant 1.500000e+00 : f32
// CHECK:         tensor.pad %arg0 low[1, 0] high[2, 1]
// CHECK:           tensor.yield %[[VALUE]] : f32
// CHECK:         linalg.generic {indexing_maps = [#[[$ID2]]], iterator_types = ["parallel", "parallel"]} outs(%{{.*}} : tensor<6x8xf32>)
// CHECK:           %[[I:.*]] = linalg.index 0 : index
// CHECK:           %[[SHIFTED:.*]] = arith.subi %[[I]], %{{.*}} : index
// CHECK:           %[[MIRRORED:.*]] = arith.subi %{{.*}}, %[[SHIFTED]] : index
// CHECK:           %[[BEFORE:.*]] = arith.cmpi slt, %[[SHIFTED]]
// CHECK:           %[[INSIDE:.*]] = arith.select %[[BEFORE]], %[[MIRRORED]], %[[SHIFTED]] : index
// CHECK:           arith.cmpi sgt, %[[INSIDE]]
// CHECK:           tensor.extract %arg0[%{{.*}}, %{{.*}}] : tensor<3x4xf32>
// CHECK:         linalg.generic {{.*}} outs(%{{.*}} : tensor<4x4xf32>)
// CHECK:           arith.maxsi
// CHECK:           arith.minsi
// CHECK:           %[[COL:.*]] = linalg.index 1 : index
// CHECK:           tensor.extract %arg0[%{{.*}}, %[[COL]]] : tensor<3x4xf32>
// CHECK:         %[[IVALUE:.*]] = arith.constant -7 : i32
// CHECK:         tensor.pad %arg1 low[1] high[1]
// CHECK:           tensor.yield %[[IVALUE]] : i32
func.func @pads(%x: tensor<3x4xf32>, %i: tensor<3xi32>) -> (tensor<6x5xf32>, tensor<6x8xf32>, tensor<4x4xf32>, tensor<5xi32>) {
  %0 = nn.pad %x {pads = array<i64: 1, 0, 2, 1>, value = 1.5 : f64} : (tensor<3x4xf32>) -> tensor<6x5xf32>
  %1 = nn.pad %x {pads = array<i64: 2, 1, 1, 3>, mode = #nn.pad_mode<reflect>} : (tensor<3x4xf32>) -> tensor<6x8xf32>
  %2 = nn.pad %x {pads = array<i64: 0, 0, 1, 0>, mode = #nn.pad_mode<edge>} : (tensor<3x4xf32>) -> tensor<4x4xf32>
  %3 = nn.pad %i {pads = array<i64: 1, 1>, value = -7.0 : f64} : (tensor<3xi32>) -> tensor<5xi32>
  return %0, %1, %2, %3 : tensor<6x5xf32>, tensor<6x8xf32>, tensor<4x4xf32>, tensor<5xi32>
}

// Tests that gather reads the index tensor through the output dimensions it
// covers, wraps a negative index by the axis size, clamps, and extracts.
// CHECK-LABEL: func @gather
// CHECK:         %[[AXIS:.*]] = arith.constant 5 : index
// CHECK:         linalg.generic {indexing_maps = [#[[$INDICES]], #{{.*}}]
// CHECK-SAME:      ins(%arg1 : tensor<2x2xi64>) outs(%{{.*}} : tensor<2x2x3xf32>)
// CHECK:           %[[INDEX:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK:           %[[NEGATIVE:.*]] = arith.cmpi slt, %[[INDEX]], %{{.*}}
// CHECK:           %[[PLUS:.*]] = arith.addi %[[INDEX]], %[[AXIS]]
// CHECK:           arith.select %[[NEGATIVE]], %[[PLUS]], %[[INDEX]]
// CHECK:           arith.maxsi
// CHECK:           %[[CLAMPED:.*]] = arith.minsi
// CHECK:           %[[J:.*]] = linalg.index 2 : index
// CHECK:           tensor.extract %arg0[%[[CLAMPED]], %[[J]]] : tensor<5x3xf32>
func.func @gather(%d: tensor<5x3xf32>, %i: tensor<2x2xi64>) -> tensor<2x2x3xf32> {
  %r = nn.gather %d, %i {axis = 0 : i64} : (tensor<5x3xf32>, tensor<2x2xi64>) -> tensor<2x2x3xf32>
  return %r : tensor<2x2x3xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w: "0x04000000000000000000803F0000004000004040000080400000A040"
    }
  }
#-}
