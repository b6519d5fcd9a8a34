// RUN: kiln-opt %s --split-input-file --kiln-fuse-elementwise | FileCheck %s
// RUN: kiln-opt %s --split-input-file --kiln-fuse-elementwise="fuse=false" | FileCheck %s --check-prefix=NOFUSE
// RUN: kiln-opt %s --split-input-file --kiln-fuse-elementwise="collapse-dims=false" | FileCheck %s --check-prefix=NOCOLLAPSE

// Tests that SiLU (a sigmoid, then a multiply by the sigmoid's input) becomes
// one generic over one loop of every element: the input and output are
// collapsed to 1-D and the result expanded back.
// CHECK-LABEL: func.func @silu
// CHECK: %[[IN:.*]] = tensor.collapse_shape %arg0 {{\[}}[0, 1, 2, 3]] : tensor<1x96x14x14xf32> into tensor<18816xf32>
// CHECK: %[[R:.*]] = linalg.generic {{{.*}}iterator_types = ["parallel"]} ins(%[[IN]] : tensor<18816xf32>) outs(%{{.*}} : tensor<18816xf32>)
// CHECK: math.exp
// CHECK: arith.mulf
// CHECK-NOT: linalg.generic
// CHECK: tensor.expand_shape %[[R]] {{\[}}[0, 1, 2, 3]] output_shape [1, 96, 14, 14]
// NOFUSE-LABEL: func.func @silu
// NOFUSE-COUNT-2: linalg.generic {{{.*}}iterator_types = ["parallel"]}
// NOCOLLAPSE-LABEL: func.func @silu
// NOCOLLAPSE: linalg.generic {{{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
// NOCOLLAPSE-NOT: linalg.generic
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @silu(%x: tensor<1x96x14x14xf32>) -> tensor<1x96x14x14xf32> {
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<1x96x14x14xf32>
  %s = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x96x14x14xf32>) outs(%e : tensor<1x96x14x14xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    %x1 = math.exp %n : f32
    %d = arith.addf %x1, %one : f32
    %r = arith.divf %one, %d : f32
    linalg.yield %r : f32
  } -> tensor<1x96x14x14xf32>
  %e2 = tensor.empty() : tensor<1x96x14x14xf32>
  %m = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %s : tensor<1x96x14x14xf32>, tensor<1x96x14x14xf32>) outs(%e2 : tensor<1x96x14x14xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %r = arith.mulf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<1x96x14x14xf32>
  return %m : tensor<1x96x14x14xf32>
}

// -----

// Tests that a per-channel scale (a 1xCx1x1 operand indexed with constant
// zeros) loses its unit dimensions and becomes a loop over channels around
// one over the pixels of each channel.
// CHECK-DAG: #[[ROWS:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[CHANNEL:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @channel_scale
// CHECK-DAG: %[[S:.*]] = tensor.collapse_shape %arg1 {{\[}}[0, 1, 2, 3]] : tensor<1x96x1x1xf32> into tensor<96xf32>
// CHECK-DAG: %[[X:.*]] = tensor.collapse_shape %arg0 {{\[}}[0, 1], [2, 3]] : tensor<1x96x14x14xf32> into tensor<96x196xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ROWS]], #[[CHANNEL]], #[[ROWS]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[S]] :
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#scale = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>
// NOCOLLAPSE-LABEL: func.func @channel_scale
func.func @channel_scale(%x: tensor<1x96x14x14xf32>, %s: tensor<1x96x1x1xf32>) -> tensor<1x96x14x14xf32> {
  %e = tensor.empty() : tensor<1x96x14x14xf32>
  %m = linalg.generic {indexing_maps = [#id, #scale, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %s : tensor<1x96x14x14xf32>, tensor<1x96x1x1xf32>) outs(%e : tensor<1x96x14x14xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %r = arith.mulf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<1x96x14x14xf32>
  return %m : tensor<1x96x14x14xf32>
}

// -----

// Tests that a producer with two users is not fused into either (it would
// be computed twice), and that a global average pool's two reduction loops
// merge into one over the pixels of each channel.
// CHECK-LABEL: func.func @shared_producer
// CHECK: %[[T:.*]] = linalg.generic {{{.*}}iterator_types = ["parallel"]}
// CHECK: math.tanh
// CHECK: %[[ROWS:.*]] = tensor.expand_shape %[[T]] {{\[}}[0, 1]] output_shape [8, 36]
// CHECK: linalg.generic {{{.*}}iterator_types = ["parallel", "reduction"]} ins(%[[ROWS]] : tensor<8x36xf32>)
// CHECK: linalg.generic {{{.*}}iterator_types = ["parallel"]} ins(%[[T]] : tensor<288xf32>)
// CHECK-NOT: math.tanh
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#in = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#acc = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
func.func @shared_producer(%x: tensor<1x8x6x6xf32>) -> (tensor<1x8xf32>, tensor<1x8x6x6xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x6x6xf32>
  %t = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x8x6x6xf32>) outs(%e : tensor<1x8x6x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = math.tanh %in : f32
    linalg.yield %r : f32
  } -> tensor<1x8x6x6xf32>
  %e2 = tensor.empty() : tensor<1x8xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x8xf32>) -> tensor<1x8xf32>
  %sum = linalg.generic {indexing_maps = [#in, #acc], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
      ins(%t : tensor<1x8x6x6xf32>) outs(%z : tensor<1x8xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %r = arith.addf %in, %acc : f32
    linalg.yield %r : f32
  } -> tensor<1x8xf32>
  %e3 = tensor.empty() : tensor<1x8x6x6xf32>
  %sq = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%t : tensor<1x8x6x6xf32>) outs(%e3 : tensor<1x8x6x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.mulf %in, %in : f32
    linalg.yield %r : f32
  } -> tensor<1x8x6x6xf32>
  return %sum, %sq : tensor<1x8xf32>, tensor<1x8x6x6xf32>
}

// -----

// Tests that named ops are left alone: a convolution keeps its 4-D operands.
// CHECK-LABEL: func.func @named
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} ins(%arg0, %arg1 : tensor<1x3x6x6xf32>, tensor<8x3x3x3xf32>) outs(%{{.*}} : tensor<1x8x4x4xf32>)
func.func @named(%x: tensor<1x3x6x6xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<1x8x4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x4x4xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %c = linalg.conv_2d_nchw_fchw {strides = dense<1> : vector<2xi64>, dilations = dense<1> : vector<2xi64>}
    ins(%x, %w : tensor<1x3x6x6xf32>, tensor<8x3x3x3xf32>) outs(%z : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %c : tensor<1x8x4x4xf32>
}

// -----

// Tests that a producer its consumer broadcasts is not fused: the sigmoid
// of a 1x8x1x1 scale would be computed for each of the 8x36 elements.
// CHECK-LABEL: func.func @broadcast_producer
// CHECK: %[[S:.*]] = linalg.generic {{{.*}}} ins(%{{.*}} : tensor<8xf32>)
// CHECK: math.exp
// CHECK: linalg.generic {{{.*}}} ins(%{{.*}}, %[[S]] : tensor<8x36xf32>, tensor<8xf32>)
// CHECK-NOT: math.exp
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#scale = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>
func.func @broadcast_producer(%x: tensor<1x8x6x6xf32>, %s: tensor<1x8x1x1xf32>) -> tensor<1x8x6x6xf32> {
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<1x8x1x1xf32>
  %g = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%s : tensor<1x8x1x1xf32>) outs(%e : tensor<1x8x1x1xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    %x1 = math.exp %n : f32
    %d = arith.addf %x1, %one : f32
    %r = arith.divf %one, %d : f32
    linalg.yield %r : f32
  } -> tensor<1x8x1x1xf32>
  %e2 = tensor.empty() : tensor<1x8x6x6xf32>
  %m = linalg.generic {indexing_maps = [#id, #scale, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %g : tensor<1x8x6x6xf32>, tensor<1x8x1x1xf32>) outs(%e2 : tensor<1x8x6x6xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %r = arith.mulf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<1x8x6x6xf32>
  return %m : tensor<1x8x6x6xf32>
}
