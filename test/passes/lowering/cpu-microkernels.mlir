// RUN: kiln-opt %s --split-input-file --kiln-cpu-microkernels | FileCheck %s
// RUN: kiln-opt %s --split-input-file --kiln-cpu-microkernels="min-multiply-adds=1000" | FileCheck %s --check-prefix=SMALL
// RUN: kiln-opt %s --split-input-file --kiln-cpu-microkernels="prepack-weights=false" | FileCheck %s --check-prefix=NOPACK
// RUN: kiln-opt %s --split-input-file --kiln-cpu-microkernels="fold-padding=false" | FileCheck %s --check-prefix=NOPAD

// Tests that an f32 matmul on memrefs becomes a call of the gemm kernel with
// every operand cast to a fully dynamic strided memref, and that the kernel
// is declared once, private, with the C interface.
// CHECK-LABEL: func.func private @kiln_mk_gemm_f32(memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>) attributes {llvm.emit_c_interface}
// CHECK-LABEL: func.func @matmul
// CHECK-NOT: linalg.matmul
// CHECK-DAG: %[[A:.*]] = memref.cast %arg0 : memref<4x8xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
// CHECK-DAG: %[[B:.*]] = memref.cast %arg1 : memref<8x16xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
// CHECK-DAG: %[[C:.*]] = memref.cast %arg2 : memref<4x16xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
// CHECK: call @kiln_mk_gemm_f32(%[[A]], %[[B]], %[[C]])
// CHECK: call @kiln_mk_gemm_f32
// SMALL-LABEL: func.func @matmul
// SMALL: linalg.matmul
// SMALL: call @kiln_mk_gemm_f32
func.func @matmul(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>,
                  %x: memref<64x64xf32>, %y: memref<64x64xf32>) {
  linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>)
  linalg.matmul ins(%x, %x : memref<64x64xf32>, memref<64x64xf32>) outs(%y : memref<64x64xf32>)
  return
}

// -----

// Tests that a transposed operand (nn.linear's weight) becomes a
// memref.transpose view, so that the kernel reads it through its strides.
// CHECK-LABEL: func.func @matmul_transpose_b
// CHECK: %[[T:.*]] = memref.transpose %arg1 (d0, d1) -> (d1, d0) : memref<16x8xf32> to memref<8x16xf32, strided<[1, 8]>>
// CHECK: %[[B:.*]] = memref.cast %[[T]]
// CHECK: call @kiln_mk_gemm_f32(%{{.*}}, %[[B]], %{{.*}})
#a = affine_map<(m, n, k) -> (m, k)>
#bt = affine_map<(m, n, k) -> (n, k)>
#c = affine_map<(m, n, k) -> (m, n)>
func.func @matmul_transpose_b(%a: memref<4x8xf32>, %b: memref<16x8xf32>, %c: memref<4x16xf32>) {
  linalg.matmul indexing_maps = [#a, #bt, #c] ins(%a, %b : memref<4x8xf32>, memref<16x8xf32>) outs(%c : memref<4x16xf32>)
  return
}

// -----

// Tests batch matmul, convolution (strides and dilations as i64 arguments,
// in the order sy, sx, dy, dx) and depthwise convolution.
// CHECK-LABEL: func.func @batch_and_conv
// CHECK: call @kiln_mk_batch_gemm_f32({{.*}}) : (memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>
// CHECK: %[[SY:.*]] = arith.constant 2 : i64
// CHECK: %[[SX:.*]] = arith.constant 1 : i64
// CHECK: %[[DY:.*]] = arith.constant 1 : i64
// CHECK: %[[DX:.*]] = arith.constant 3 : i64
// CHECK: %[[PT:.*]] = arith.constant 0 : i64
// CHECK: %[[PL:.*]] = arith.constant 0 : i64
// CHECK: call @kiln_mk_conv2d_nchw_f32(%{{.*}}, %{{.*}}, %{{.*}}, %[[SY]], %[[SX]], %[[DY]], %[[DX]], %[[PT]], %[[PL]])
// CHECK: call @kiln_mk_dwconv2d_nchw_f32({{.*}}) : (memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, i64, i64, i64, i64, i64, i64) -> ()
// CHECK-NOT: linalg.
func.func @batch_and_conv(%a: memref<2x3x4xf32>, %b: memref<2x4x5xf32>, %c: memref<2x3x5xf32>,
                          %x: memref<1x3x9x12xf32>, %w: memref<8x3x3x3xf32>, %y: memref<1x8x4x4xf32>,
                          %dw: memref<3x3x3xf32>, %dy: memref<1x3x7x10xf32>) {
  linalg.batch_matmul ins(%a, %b : memref<2x3x4xf32>, memref<2x4x5xf32>) outs(%c : memref<2x3x5xf32>)
  linalg.conv_2d_nchw_fchw {strides = dense<[2, 1]> : vector<2xi64>, dilations = dense<[1, 3]> : vector<2xi64>}
    ins(%x, %w : memref<1x3x9x12xf32>, memref<8x3x3x3xf32>) outs(%y : memref<1x8x4x4xf32>)
  linalg.depthwise_conv_2d_nchw_chw {strides = dense<1> : vector<2xi64>, dilations = dense<1> : vector<2xi64>}
    ins(%x, %dw : memref<1x3x9x12xf32>, memref<3x3x3xf32>) outs(%dy : memref<1x3x7x10xf32>)
  return
}

// -----

// Tests that other element types and tensor semantics keep their linalg ops.
// CHECK-LABEL: func.func @left_alone
// CHECK: linalg.matmul ins(%arg0, %arg0 : memref<4x4xf64>
// CHECK: linalg.matmul ins(%arg1, %arg1 : tensor<4x4xf32>
// CHECK-NOT: call
func.func @left_alone(%a: memref<4x4xf64>, %t: tensor<4x4xf32>) -> tensor<4x4xf32> {
  linalg.matmul ins(%a, %a : memref<4x4xf64>, memref<4x4xf64>) outs(%a : memref<4x4xf64>)
  %r = linalg.matmul ins(%t, %t : tensor<4x4xf32>, tensor<4x4xf32>) outs(%t : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}

// -----

// Tests that constant weights are packed at compile time into new globals
// (B of nn.linear's transposed product: 8x16 padded to 32 columns = 256
// floats; a constant A: 8x8 = 64 floats; conv weights as A: 8 filters x 27
// = 216 floats), that the calls
// go to the packed variants (kh, kw, then sy, sx, dy, dx), and that the
// original globals are erased once nothing reads them while a global still
// read elsewhere stays.
// CHECK-DAG: memref.global "private" constant @w_bt_packed : memref<256xf32> = dense_resource<w_bt_packed> {alignment = 64 : i64}
// CHECK-DAG: memref.global "private" constant @f_a_packed : memref<216xf32> = dense_resource<f_a_packed> {alignment = 64 : i64}
// CHECK-DAG: memref.global "private" constant @shared : memref<8x8xf32>
// CHECK-NOT: memref.global "private" constant @w :
// CHECK-NOT: memref.global "private" constant @f :
// CHECK-LABEL: func.func @weights
// CHECK: %[[PB:.*]] = memref.get_global @w_bt_packed : memref<256xf32>
// CHECK: %[[PBC:.*]] = memref.cast %[[PB]] : memref<256xf32> to memref<?xf32, strided<[?], offset: ?>>
// CHECK: call @kiln_mk_gemm_pb_f32(%{{.*}}, %[[PBC]], %{{.*}})
// CHECK: memref.get_global @shared :
// CHECK: memref.get_global @shared_a_packed : memref<64xf32>
// CHECK: call @kiln_mk_gemm_pa_f32
// CHECK: %[[PA:.*]] = memref.get_global @f_a_packed : memref<216xf32>
// CHECK: %[[PAC:.*]] = memref.cast %[[PA]]
// CHECK-DAG: %[[K:.*]] = arith.constant 3 : i64
// CHECK-DAG: %[[S:.*]] = arith.constant 1 : i64
// CHECK: call @kiln_mk_conv2d_nchw_pa_f32(%{{.*}}, %[[PAC]], %{{.*}}, %[[K]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}})
// NOPACK-LABEL: func.func @weights
// NOPACK-NOT: _packed
// NOPACK: call @kiln_mk_gemm_f32
memref.global "private" constant @w : memref<16x8xf32> = dense<0.5>
memref.global "private" constant @shared : memref<8x8xf32> = dense<0.25>
memref.global "private" constant @f : memref<8x3x3x3xf32> = dense<1.5>
#a = affine_map<(m, n, k) -> (m, k)>
#bt = affine_map<(m, n, k) -> (n, k)>
#b = affine_map<(m, n, k) -> (k, n)>
#c = affine_map<(m, n, k) -> (m, n)>
func.func @weights(%x: memref<4x8xf32>, %y: memref<4x16xf32>, %z: memref<8x8xf32>,
                   %i: memref<1x3x6x6xf32>, %o: memref<1x8x4x4xf32>) -> memref<8x8xf32> {
  %w = memref.get_global @w : memref<16x8xf32>
  linalg.matmul indexing_maps = [#a, #bt, #c] ins(%x, %w : memref<4x8xf32>, memref<16x8xf32>) outs(%y : memref<4x16xf32>)
  %s = memref.get_global @shared : memref<8x8xf32>
  linalg.matmul ins(%s, %z : memref<8x8xf32>, memref<8x8xf32>) outs(%z : memref<8x8xf32>)
  %f = memref.get_global @f : memref<8x3x3x3xf32>
  linalg.conv_2d_nchw_fchw {strides = dense<1> : vector<2xi64>, dilations = dense<1> : vector<2xi64>}
    ins(%i, %f : memref<1x3x6x6xf32>, memref<8x3x3x3xf32>) outs(%o : memref<1x8x4x4xf32>)
  return %s : memref<8x8xf32>
}

// -----

// Tests that a zero-padded copy made only for a convolution is folded into
// it: the kernel reads the image with pad_top 3 and pad_left 2, and the
// buffer, its fill, the subview and the copy are gone.
// CHECK-LABEL: func.func @padded
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.copy
// CHECK: %[[IN:.*]] = memref.cast %arg0 : memref<1x3x6x6xf32> to memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
// CHECK: %[[PT:.*]] = arith.constant 3 : i64
// CHECK-NEXT: %[[PL:.*]] = arith.constant 2 : i64
// CHECK-NEXT: call @kiln_mk_conv2d_nchw_f32(%[[IN]], {{.*}}, %[[PT]], %[[PL]])
// CHECK-NOT: memref.dealloc
// NOPAD-LABEL: func.func @padded
// NOPAD: memref.copy
// NOPAD: call @kiln_mk_conv2d_nchw_f32
func.func @padded(%x: memref<1x3x6x6xf32>, %w: memref<4x3x3x3xf32>, %y: memref<1x4x8x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %p = memref.alloc() {alignment = 64 : i64} : memref<1x3x10x10xf32>
  linalg.map outs(%p : memref<1x3x10x10xf32>)
    (%init: f32) {
      linalg.yield %zero : f32
    }
  %v = memref.subview %p[0, 0, 3, 2] [1, 3, 6, 6] [1, 1, 1, 1] : memref<1x3x10x10xf32> to memref<1x3x6x6xf32, strided<[300, 100, 10, 1], offset: 32>>
  memref.copy %x, %v : memref<1x3x6x6xf32> to memref<1x3x6x6xf32, strided<[300, 100, 10, 1], offset: 32>>
  linalg.conv_2d_nchw_fchw {strides = dense<1> : vector<2xi64>, dilations = dense<1> : vector<2xi64>}
    ins(%p, %w : memref<1x3x10x10xf32>, memref<4x3x3x3xf32>) outs(%y : memref<1x4x8x8xf32>)
  memref.dealloc %p : memref<1x3x10x10xf32>
  return
}

// -----

// Tests that the copy stays when the image may change between it and the
// convolution (here an op writes the image itself), and when the padding
// value is not zero.
// CHECK-LABEL: func.func @not_foldable
// CHECK: memref.copy %arg0
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%arg0
// CHECK: call @kiln_mk_conv2d_nchw_f32
// CHECK: memref.copy %arg0
// CHECK: call @kiln_mk_conv2d_nchw_f32
func.func @not_foldable(%x: memref<1x3x6x6xf32>, %w: memref<4x3x3x3xf32>, %y: memref<1x4x6x6xf32>) {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %p = memref.alloc() : memref<1x3x8x8xf32>
  linalg.fill ins(%zero : f32) outs(%p : memref<1x3x8x8xf32>)
  %v = memref.subview %p[0, 0, 1, 1] [1, 3, 6, 6] [1, 1, 1, 1] : memref<1x3x8x8xf32> to memref<1x3x6x6xf32, strided<[192, 64, 8, 1], offset: 9>>
  memref.copy %x, %v : memref<1x3x6x6xf32> to memref<1x3x6x6xf32, strided<[192, 64, 8, 1], offset: 9>>
  linalg.fill ins(%one : f32) outs(%x : memref<1x3x6x6xf32>)
  linalg.conv_2d_nchw_fchw {strides = dense<1> : vector<2xi64>, dilations = dense<1> : vector<2xi64>}
    ins(%p, %w : memref<1x3x8x8xf32>, memref<4x3x3x3xf32>) outs(%y : memref<1x4x6x6xf32>)
  %q = memref.alloc() : memref<1x3x8x8xf32>
  linalg.fill ins(%one : f32) outs(%q : memref<1x3x8x8xf32>)
  %u = memref.subview %q[0, 0, 1, 1] [1, 3, 6, 6] [1, 1, 1, 1] : memref<1x3x8x8xf32> to memref<1x3x6x6xf32, strided<[192, 64, 8, 1], offset: 9>>
  memref.copy %x, %u : memref<1x3x6x6xf32> to memref<1x3x6x6xf32, strided<[192, 64, 8, 1], offset: 9>>
  linalg.conv_2d_nchw_fchw {strides = dense<1> : vector<2xi64>, dilations = dense<1> : vector<2xi64>}
    ins(%q, %w : memref<1x3x8x8xf32>, memref<4x3x3x3xf32>) outs(%y : memref<1x4x6x6xf32>)
  return
}
