// Tests that the named pipeline kiln-lower-to-cpu takes nn ops on tensors to
// the LLVM dialect, with results turned into trailing out-parameters.
// RUN: kiln-opt %s --kiln-lower-to-cpu | FileCheck %s

// CHECK-NOT: nn.
// CHECK-LABEL: llvm.func @add_relu(
// CHECK-SAME:    %{{.*}}: !llvm.ptr
// CHECK-NOT:   -> !llvm.struct
// CHECK:         llvm.intr.maximum
// CHECK:         llvm.return
func.func @add_relu(%x: tensor<2x3xf32>, %y: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = nn.add %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = nn.relu %0 : tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}
