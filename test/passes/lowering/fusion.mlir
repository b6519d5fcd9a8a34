// RUN: kiln-opt %s --nn-to-linalg | FileCheck %s

// Tests that an nn.fusion body is inlined in place of the op, its block
// arguments replaced by the inputs and its results by the yielded values,
// and that the inlined nn ops are lowered too.
// CHECK-LABEL: func @fusion
// CHECK-NOT:     nn.
// CHECK:         %[[MM:.*]] = linalg.matmul ins(%arg0, %arg1 : tensor<4x8xf32>, tensor<8x16xf32>)
// CHECK:         %[[RELU:.*]] = linalg.generic {{.*}} ins(%[[MM]] : tensor<4x16xf32>)
// CHECK:           arith.maximumf
// CHECK:         return %[[RELU]], %[[MM]] : tensor<4x16xf32>, tensor<4x16xf32>
func.func @fusion(%x: tensor<4x8xf32>, %w: tensor<8x16xf32>) -> (tensor<4x16xf32>, tensor<4x16xf32>) {
  %r:2 = nn.fusion (%x, %w) {kind = "matmul_relu"}
      : (tensor<4x8xf32>, tensor<8x16xf32>) -> (tensor<4x16xf32>, tensor<4x16xf32>) {
  ^bb0(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>):
    %m = nn.matmul %a, %b : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
    %y = nn.relu %m : tensor<4x16xf32>
    nn.yield %y, %m : tensor<4x16xf32>, tensor<4x16xf32>
  }
  return %r#0, %r#1 : tensor<4x16xf32>, tensor<4x16xf32>
}

// Tests that nested fusion groups are inlined too.
// CHECK-LABEL: func @nested
// CHECK-NOT:     nn.
// CHECK:         %[[NEG:.*]] = linalg.generic {{.*}} ins(%arg0 : tensor<3xf32>)
// CHECK:           arith.negf
// CHECK:         %[[MAX:.*]] = linalg.generic {{.*}} ins(%arg0, %[[NEG]] : tensor<3xf32>, tensor<3xf32>)
// CHECK:           arith.maximumf
// CHECK:         return %[[MAX]]
func.func @nested(%x: tensor<3xf32>) -> tensor<3xf32> {
  %r = nn.fusion (%x) : (tensor<3xf32>) -> tensor<3xf32> {
  ^bb0(%v: tensor<3xf32>):
    %n = nn.neg %v : tensor<3xf32>
    %inner = nn.fusion (%v, %n) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32> {
    ^bb0(%p: tensor<3xf32>, %q: tensor<3xf32>):
      %m = nn.max %p, %q : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
      nn.yield %m : tensor<3xf32>
    }
    nn.yield %inner : tensor<3xf32>
  }
  return %r : tensor<3xf32>
}
