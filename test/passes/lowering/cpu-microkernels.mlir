// RUN: kiln-opt %s --split-input-file --kiln-cpu-microkernels | FileCheck %s
// RUN: kiln-opt %s --split-input-file --kiln-cpu-microkernels="min-multiply-adds=1000" | FileCheck %s --check-prefix=SMALL
// RUN: kiln-opt %s --split-input-file --kiln-cpu-microkernels="prepack-weights=false" | FileCheck %s --check-prefix=NOPACK
// RUN: kiln-opt %s --split-input-file --kiln-cpu-microkernels="fold-padding=false" | FileCheck %s --check-prefix=NOPAD
// RUN: kiln-opt %s --split-input-file --kiln-cpu-microkernels="fuse-epilogues=false" | FileCheck %s --check-prefix=NOFUSE

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

// -----

// Tests epilogue fusion: the bias broadcast and the ReLU6 clamp after a
// convolution with constant weights become arguments of the fused kernel
// (bias, has_bias 1, clamp 1, lo 0, hi 6), which writes the clamp's output
// directly; the intermediate buffer, the broadcast and the clamp are gone.
// With a reader that is not a clamp, only the bias is fused.
// CHECK-LABEL: func.func @epilogue
// CHECK-NOT: linalg.broadcast
// CHECK: %[[DST:.*]] = memref.cast %arg1 :
// CHECK: %[[LO:cst_[0-9]+]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: %[[HI:cst_[0-9]+]] = arith.constant 6.000000e+00 : f32
// CHECK-NEXT: call @kiln_mk_conv2d_nchw_pa_fused_f32(%{{.*}}, %{{.*}}, %{{.*}}, %[[DST]], {{.*}}, %[[LO]], %[[HI]])
// CHECK-NOT: linalg.generic
// CHECK: call @kiln_mk_conv2d_nchw_pa_fused_f32
// CHECK: linalg.generic
// CHECK-NOT: memref.alloc() : memref<1x8x4x4xf32>
// NOFUSE-LABEL: func.func @epilogue
// NOFUSE: linalg.broadcast
// NOFUSE: call @kiln_mk_conv2d_nchw_pa_f32
memref.global "private" constant @filters : memref<8x3x3x3xf32> = dense<0.5>
memref.global "private" constant @bias : memref<8xf32> = dense<0.25>
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
func.func @epilogue(%x: memref<1x3x6x6xf32>, %y: memref<1x8x4x4xf32>, %z: memref<1x8x4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %w = memref.get_global @filters : memref<8x3x3x3xf32>
  %b = memref.get_global @bias : memref<8xf32>
  %out = memref.alloc() : memref<1x8x4x4xf32>
  linalg.broadcast ins(%b : memref<8xf32>) outs(%out : memref<1x8x4x4xf32>) dimensions = [0, 2, 3]
  linalg.conv_2d_nchw_fchw {strides = dense<1> : vector<2xi64>, dilations = dense<1> : vector<2xi64>}
    ins(%x, %w : memref<1x3x6x6xf32>, memref<8x3x3x3xf32>) outs(%out : memref<1x8x4x4xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%out : memref<1x8x4x4xf32>) outs(%y : memref<1x8x4x4xf32>) {
  ^bb0(%in: f32, %o: f32):
    %r = arith.maximumf %in, %zero : f32
    %s = arith.minimumf %r, %six : f32
    linalg.yield %s : f32
  }
  memref.dealloc %out : memref<1x8x4x4xf32>
  %out2 = memref.alloc() : memref<1x8x4x4xf32>
  linalg.broadcast ins(%b : memref<8xf32>) outs(%out2 : memref<1x8x4x4xf32>) dimensions = [0, 2, 3]
  linalg.conv_2d_nchw_fchw {strides = dense<1> : vector<2xi64>, dilations = dense<1> : vector<2xi64>}
    ins(%x, %w : memref<1x3x6x6xf32>, memref<8x3x3x3xf32>) outs(%out2 : memref<1x8x4x4xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%out2 : memref<1x8x4x4xf32>) outs(%z : memref<1x8x4x4xf32>) {
  ^bb0(%in: f32, %o: f32):
    %t = arith.addf %in, %in : f32
    linalg.yield %t : f32
  }
  memref.dealloc %out2 : memref<1x8x4x4xf32>
  return
}

// -----

// Tests that a depthwise convolution fuses its bias and clamp too (here a
// ReLU: no upper bound), and keeps the plain kernel without a bias.
// CHECK-LABEL: func.func @depthwise_epilogue
// CHECK: %[[HI:.*]] = arith.constant 0x7F800000 : f32
// CHECK-NEXT: call @kiln_mk_dwconv2d_nchw_fused_f32({{.*}}, %[[HI]])
// CHECK-NOT: linalg.generic
// CHECK: call @kiln_mk_dwconv2d_nchw_f32(
// NOFUSE-LABEL: func.func @depthwise_epilogue
// NOFUSE-NOT: _fused_
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
func.func @depthwise_epilogue(%x: memref<1x3x6x6xf32>, %w: memref<3x3x3xf32>, %b: memref<3xf32>,
                              %y: memref<1x3x4x4xf32>, %z: memref<1x3x4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %out = memref.alloc() : memref<1x3x4x4xf32>
  linalg.broadcast ins(%b : memref<3xf32>) outs(%out : memref<1x3x4x4xf32>) dimensions = [0, 2, 3]
  linalg.depthwise_conv_2d_nchw_chw {strides = dense<1> : vector<2xi64>, dilations = dense<1> : vector<2xi64>}
    ins(%x, %w : memref<1x3x6x6xf32>, memref<3x3x3xf32>) outs(%out : memref<1x3x4x4xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%out : memref<1x3x4x4xf32>) outs(%y : memref<1x3x4x4xf32>) {
  ^bb0(%in: f32, %o: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  }
  memref.dealloc %out : memref<1x3x4x4xf32>
  linalg.fill ins(%zero : f32) outs(%z : memref<1x3x4x4xf32>)
  linalg.depthwise_conv_2d_nchw_chw {strides = dense<1> : vector<2xi64>, dilations = dense<1> : vector<2xi64>}
    ins(%x, %w : memref<1x3x6x6xf32>, memref<3x3x3xf32>) outs(%z : memref<1x3x4x4xf32>)
  return
}

// -----

// Tests that a clamp whose loops kiln-fuse-elementwise flattened still
// fuses: it reads a memref.collapse_shape view of the product and writes a
// collapsed view of a buffer allocated after the convolution. The buffer
// and its view move above the call, which writes an expand_shape view of
// it with the product's shape; the clamp, both views and the product's
// buffer are gone.
// CHECK-LABEL: func.func @collapsed_epilogue
// CHECK: %[[BUF:.*]] = memref.alloc() : memref<1x8x4x4xf32>
// CHECK: %[[FLAT:.*]] = memref.collapse_shape %[[BUF]] {{\[}}[0, 1, 2, 3]]
// CHECK: %[[VIEW:.*]] = memref.expand_shape %[[FLAT]] {{\[}}[0, 1, 2, 3]] output_shape [1, 8, 4, 4]
// CHECK: %[[DST:.*]] = memref.cast %[[VIEW]]
// CHECK: call @kiln_mk_conv2d_nchw_pa_fused_f32(%{{.*}}, %{{.*}}, %{{.*}}, %[[DST]],
// CHECK-NOT: linalg.generic
// CHECK: memref.copy %[[BUF]], %arg1
// NOFUSE-LABEL: func.func @collapsed_epilogue
// NOFUSE: call @kiln_mk_conv2d_nchw_pa_f32
// NOFUSE: linalg.generic
memref.global "private" constant @filters : memref<8x3x3x3xf32> = dense<0.5>
memref.global "private" constant @bias : memref<8xf32> = dense<0.25>
#flat = affine_map<(i) -> (i)>
func.func @collapsed_epilogue(%x: memref<1x3x6x6xf32>, %y: memref<1x8x4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %w = memref.get_global @filters : memref<8x3x3x3xf32>
  %b = memref.get_global @bias : memref<8xf32>
  %out = memref.alloc() : memref<1x8x4x4xf32>
  linalg.broadcast ins(%b : memref<8xf32>) outs(%out : memref<1x8x4x4xf32>) dimensions = [0, 2, 3]
  linalg.conv_2d_nchw_fchw {strides = dense<1> : vector<2xi64>, dilations = dense<1> : vector<2xi64>}
    ins(%x, %w : memref<1x3x6x6xf32>, memref<8x3x3x3xf32>) outs(%out : memref<1x8x4x4xf32>)
  %buf = memref.alloc() : memref<1x8x4x4xf32>
  %in = memref.collapse_shape %out [[0, 1, 2, 3]] : memref<1x8x4x4xf32> into memref<128xf32>
  %dst = memref.collapse_shape %buf [[0, 1, 2, 3]] : memref<1x8x4x4xf32> into memref<128xf32>
  linalg.generic {indexing_maps = [#flat, #flat], iterator_types = ["parallel"]}
    ins(%in : memref<128xf32>) outs(%dst : memref<128xf32>) {
  ^bb0(%i: f32, %o: f32):
    %r = arith.maximumf %i, %zero : f32
    linalg.yield %r : f32
  }
  memref.copy %buf, %y : memref<1x8x4x4xf32> to memref<1x8x4x4xf32>
  memref.dealloc %out : memref<1x8x4x4xf32>
  memref.dealloc %buf : memref<1x8x4x4xf32>
  return
}

// -----

// Tests that SiLU, x * (1 / (1 + exp(-x))), and hardswish,
// x * max(min(alpha * x + beta, 1), 0), fuse as activations 2 and 3 (with
// alpha and beta as the parameters), and that a look-alike does not:
// x * (1 / (1 + exp(x))) is not SiLU.
// CHECK-LABEL: func.func @gated_epilogues
// The last arguments are has_bias, the activation and its parameters.
// CHECK: call @kiln_mk_conv2d_nchw_pa_fused_f32({{.*}}, %c1_i64{{[_0-9]*}}, %c2_i64{{[_0-9]*}}, %cst{{[_0-9]*}}, %cst{{[_0-9]*}})
// CHECK: %[[ALPHA:.*]] = arith.constant 0.166666672 : f32
// CHECK-NEXT: %[[BETA:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-NEXT: call @kiln_mk_conv2d_nchw_pa_fused_f32({{.*}}, %c1_i64{{[_0-9]*}}, %c3_i64{{[_0-9]*}}, %[[ALPHA]], %[[BETA]])
// CHECK: call @kiln_mk_conv2d_nchw_pa_fused_f32({{.*}}, %c1_i64{{[_0-9]*}}, %c0_i64{{[_0-9]*}}, %cst{{[_0-9]*}}, %cst{{[_0-9]*}})
// CHECK: linalg.generic
// CHECK: math.exp
memref.global "private" constant @filters : memref<8x3x3x3xf32> = dense<0.5>
memref.global "private" constant @bias : memref<8xf32> = dense<0.25>
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
func.func @gated_epilogues(%x: memref<1x3x6x6xf32>, %y: memref<1x8x4x4xf32>, %z: memref<1x8x4x4xf32>,
                           %u: memref<1x8x4x4xf32>) {
  %one = arith.constant 1.0 : f32
  %zero = arith.constant 0.0 : f32
  %sixth = arith.constant 0.166666672 : f32
  %half = arith.constant 0.5 : f32
  %w = memref.get_global @filters : memref<8x3x3x3xf32>
  %b = memref.get_global @bias : memref<8xf32>
  %out = memref.alloc() : memref<1x8x4x4xf32>
  linalg.broadcast ins(%b : memref<8xf32>) outs(%out : memref<1x8x4x4xf32>) dimensions = [0, 2, 3]
  linalg.conv_2d_nchw_fchw {strides = dense<1> : vector<2xi64>, dilations = dense<1> : vector<2xi64>}
    ins(%x, %w : memref<1x3x6x6xf32>, memref<8x3x3x3xf32>) outs(%out : memref<1x8x4x4xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%out : memref<1x8x4x4xf32>) outs(%y : memref<1x8x4x4xf32>) {
  ^bb0(%in: f32, %o: f32):
    %n = arith.negf %in : f32
    %e = math.exp %n : f32
    %d = arith.addf %e, %one : f32
    %s = arith.divf %one, %d : f32
    %r = arith.mulf %in, %s : f32
    linalg.yield %r : f32
  }
  memref.dealloc %out : memref<1x8x4x4xf32>
  %out2 = memref.alloc() : memref<1x8x4x4xf32>
  linalg.broadcast ins(%b : memref<8xf32>) outs(%out2 : memref<1x8x4x4xf32>) dimensions = [0, 2, 3]
  linalg.conv_2d_nchw_fchw {strides = dense<1> : vector<2xi64>, dilations = dense<1> : vector<2xi64>}
    ins(%x, %w : memref<1x3x6x6xf32>, memref<8x3x3x3xf32>) outs(%out2 : memref<1x8x4x4xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%out2 : memref<1x8x4x4xf32>) outs(%z : memref<1x8x4x4xf32>) {
  ^bb0(%in: f32, %o: f32):
    %m = arith.mulf %sixth, %in : f32
    %a = arith.addf %m, %half : f32
    %lo = arith.minimumf %a, %one : f32
    %h = arith.maximumf %lo, %zero : f32
    %r = arith.mulf %h, %in : f32
    linalg.yield %r : f32
  }
  memref.dealloc %out2 : memref<1x8x4x4xf32>
  %out3 = memref.alloc() : memref<1x8x4x4xf32>
  linalg.broadcast ins(%b : memref<8xf32>) outs(%out3 : memref<1x8x4x4xf32>) dimensions = [0, 2, 3]
  linalg.conv_2d_nchw_fchw {strides = dense<1> : vector<2xi64>, dilations = dense<1> : vector<2xi64>}
    ins(%x, %w : memref<1x3x6x6xf32>, memref<8x3x3x3xf32>) outs(%out3 : memref<1x8x4x4xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%out3 : memref<1x8x4x4xf32>) outs(%u : memref<1x8x4x4xf32>) {
  ^bb0(%in: f32, %o: f32):
    %e = math.exp %in : f32
    %d = arith.addf %e, %one : f32
    %s = arith.divf %one, %d : f32
    %r = arith.mulf %in, %s : f32
    linalg.yield %r : f32
  }
  memref.dealloc %out3 : memref<1x8x4x4xf32>
  return
}

// -----

// Tests that a bias broadcast written as a linalg.generic (nn.gemm's
// lowering: the bias indexed by the column loop, yielded as is) fuses like
// linalg.broadcast, and that a generic broadcasting along the wrong
// dimension (a per-row bias for a per-column kernel) does not.
// CHECK-LABEL: func.func @generic_bias
// CHECK-NOT: linalg.generic
// CHECK: call @kiln_mk_gemm_pb_fused_f32(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %c1_i64{{[_0-9]*}}, %c1_i64{{[_0-9]*}},
// CHECK: linalg.generic
// CHECK: call @kiln_mk_gemm_pb_f32(
memref.global "private" constant @w : memref<16x8xf32> = dense<0.5>
#a = affine_map<(m, n, k) -> (m, k)>
#bt = affine_map<(m, n, k) -> (n, k)>
#c = affine_map<(m, n, k) -> (m, n)>
#id = affine_map<(m, n) -> (m, n)>
#col = affine_map<(m, n) -> (n)>
#row = affine_map<(m, n) -> (m)>
func.func @generic_bias(%x: memref<4x8xf32>, %bias: memref<16xf32>, %rows: memref<4xf32>,
                        %y: memref<4x16xf32>, %z: memref<4x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %w = memref.get_global @w : memref<16x8xf32>
  %out = memref.alloc() : memref<4x16xf32>
  linalg.generic {indexing_maps = [#col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%bias : memref<16xf32>) outs(%out : memref<4x16xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  }
  linalg.matmul indexing_maps = [#a, #bt, #c] ins(%x, %w : memref<4x8xf32>, memref<16x8xf32>) outs(%out : memref<4x16xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%out : memref<4x16xf32>) outs(%y : memref<4x16xf32>) {
  ^bb0(%in: f32, %o: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  }
  memref.dealloc %out : memref<4x16xf32>
  %out2 = memref.alloc() : memref<4x16xf32>
  linalg.generic {indexing_maps = [#row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%rows : memref<4xf32>) outs(%out2 : memref<4x16xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  }
  linalg.matmul indexing_maps = [#a, #bt, #c] ins(%x, %w : memref<4x8xf32>, memref<16x8xf32>) outs(%out2 : memref<4x16xf32>)
  memref.copy %out2, %z : memref<4x16xf32> to memref<4x16xf32>
  memref.dealloc %out2 : memref<4x16xf32>
  return
}
