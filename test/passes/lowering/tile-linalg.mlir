// RUN: kiln-opt %s --split-input-file --kiln-tile-linalg="tile-sizes=4,8,16" | FileCheck %s
// RUN: kiln-opt %s --split-input-file --kiln-tile-linalg | FileCheck %s --check-prefix=NONE
// RUN: kiln-opt %s --split-input-file --kiln-tile-linalg="tile-sizes=0,0,0" | FileCheck %s --check-prefix=NONE

// Tests that a matmul gets one scf.for per loop (m, n, k) with the given
// steps (the asm printer names an index constant by its value), the
// reduction loop innermost and carrying the partial result.
// CHECK-LABEL: func.func @matmul
// CHECK:         scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c4{{(_[0-9]+)?}} iter_args
// CHECK:           scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c8{{(_[0-9]+)?}} iter_args
// CHECK:             scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c16{{(_[0-9]+)?}} iter_args
// CHECK:               linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x16xf32>, tensor<16x8xf32>) outs(%{{.*}} : tensor<4x8xf32>)
// CHECK:               tensor.insert_slice
// NONE-LABEL: func.func @matmul
// NONE-NOT:     scf.for
// NONE:         linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<16x32xf32>, tensor<32x24xf32>)
func.func @matmul(%a: tensor<16x32xf32>, %b: tensor<32x24xf32>,
                  %c: tensor<16x24xf32>) -> tensor<16x24xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<16x32xf32>, tensor<32x24xf32>)
                     outs(%c : tensor<16x24xf32>) -> tensor<16x24xf32>
  return %0 : tensor<16x24xf32>
}

// -----

// Tests that a conv2d (loops n, f, oh, ow, c, kh, kw) takes the first three
// sizes: the batch of 2 by 4 (a size larger than the dimension), the
// filters by 8 and the output rows by 16; the other loops stay whole.
// CHECK-LABEL: func.func @conv2d
// CHECK:         scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c4{{(_[0-9]+)?}} iter_args
// CHECK:           scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c8{{(_[0-9]+)?}} iter_args
// CHECK:             scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c16{{(_[0-9]+)?}} iter_args
// CHECK-NOT:           scf.for
// CHECK:               linalg.conv_2d_nchw_fchw
// CHECK-SAME:            outs(%{{.*}} : tensor<?x8x?x30xf32>)
// NONE-LABEL: func.func @conv2d
// NONE-NOT:     scf.for
// NONE:         linalg.conv_2d_nchw_fchw
func.func @conv2d(%x: tensor<2x3x32x32xf32>, %w: tensor<16x3x3x3xf32>,
                  %init: tensor<2x16x30x30xf32>) -> tensor<2x16x30x30xf32> {
  %0 = linalg.conv_2d_nchw_fchw
         {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<2x3x32x32xf32>, tensor<16x3x3x3xf32>)
         outs(%init : tensor<2x16x30x30xf32>) -> tensor<2x16x30x30xf32>
  return %0 : tensor<2x16x30x30xf32>
}

// -----

// Tests that an op with fewer loops than sizes takes only the first ones: a
// 1-D fill is tiled by 4 alone.
// CHECK-LABEL: func.func @fill_1d
// CHECK:         scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c4{{(_[0-9]+)?}} iter_args
// CHECK-NOT:       scf.for
// CHECK:           linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<?xf32>)
// NONE-LABEL: func.func @fill_1d
// NONE-NOT:     scf.for
func.func @fill_1d(%init: tensor<10xf32>) -> tensor<10xf32> {
  %zero = arith.constant 0.0 : f32
  %0 = linalg.fill ins(%zero : f32) outs(%init : tensor<10xf32>) -> tensor<10xf32>
  return %0 : tensor<10xf32>
}

// -----

// Tests that an op with no loops (a rank-0 generic) is left alone.
// CHECK-LABEL: func.func @scalar
// CHECK-NOT:     scf.for
// CHECK:         linalg.generic
// NONE-LABEL: func.func @scalar
// NONE-NOT:     scf.for
#scalar = affine_map<() -> ()>
func.func @scalar(%x: tensor<f32>, %init: tensor<f32>) -> tensor<f32> {
  %0 = linalg.generic {indexing_maps = [#scalar, #scalar], iterator_types = []}
         ins(%x : tensor<f32>) outs(%init : tensor<f32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<f32>
  return %0 : tensor<f32>
}
