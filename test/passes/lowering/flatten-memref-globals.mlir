// RUN: kiln-opt %s --kiln-flatten-memref-globals --split-input-file | FileCheck %s

// Tests that a 2-D constant global becomes a 1-D global with the same
// elements in row-major order, and that its use expands it back.
// CHECK-LABEL: memref.global "private" constant @weights : memref<6xf32> = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00, 6.000000e+00]>
// CHECK-LABEL: func @use
// CHECK:         %[[FLAT:.*]] = memref.get_global @weights : memref<6xf32>
// CHECK:         %[[VIEW:.*]] = memref.expand_shape %[[FLAT]] {{\[\[}}0, 1]] output_shape [2, 3] : memref<6xf32> into memref<2x3xf32>
// CHECK:         return %[[VIEW]]
memref.global "private" constant @weights : memref<2x3xf32> = dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]>
func.func @use() -> memref<2x3xf32> {
  %0 = memref.get_global @weights : memref<2x3xf32>
  return %0 : memref<2x3xf32>
}

// -----

// Tests that dense_resource initializers keep their blob, retyped to 1-D.
// CHECK-LABEL: memref.global "private" constant @blob : memref<4xf32> = dense_resource<w>
// CHECK:         memref.get_global @blob : memref<4xf32>
// CHECK:         memref.expand_shape
memref.global "private" constant @blob : memref<2x2xf32> = dense_resource<w>
func.func @use_blob() -> memref<2x2xf32> {
  %0 = memref.get_global @blob : memref<2x2xf32>
  return %0 : memref<2x2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F000000400000404000008040"
    }
  }
#-}

// -----

// Tests that 1-D globals and mutable globals are left alone.
// CHECK-LABEL: memref.global "private" constant @vector : memref<3xf32>
// CHECK-LABEL: memref.global "private" @state : memref<2x2xf32>
// CHECK-NOT:     memref.expand_shape
memref.global "private" constant @vector : memref<3xf32> = dense<1.0>
memref.global "private" @state : memref<2x2xf32> = dense<0.0>
func.func @untouched() -> (memref<3xf32>, memref<2x2xf32>) {
  %0 = memref.get_global @vector : memref<3xf32>
  %1 = memref.get_global @state : memref<2x2xf32>
  return %0, %1 : memref<3xf32>, memref<2x2xf32>
}
