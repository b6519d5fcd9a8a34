// Tests that an out-of-tree pass built against Kiln's headers loads into
// kiln-opt with --load-pass-plugin and rewrites nn ops through Kiln's C++ API.
// RUN: kiln-opt %s --load-pass-plugin=%kiln_libs/libKilnExamplePassPlugin.so \
// RUN:   --pass-pipeline="builtin.module(example-expand-hardswish)" | FileCheck %s

// CHECK-LABEL: func @expand
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-DAG:     %[[SIX:.*]] = nn.constant dense<6.000000e+00> : tensor<f32>
// CHECK-DAG:     %[[THREE:.*]] = nn.constant dense<3.000000e+00> : tensor<f32>
// CHECK:         %[[SHIFTED:.*]] = nn.add %[[X]], %[[THREE]]
// CHECK:         %[[CLIPPED:.*]] = nn.clip %[[SHIFTED]] {max = 6.000000e+00 : f64, min = 0.000000e+00 : f64}
// CHECK:         %[[PRODUCT:.*]] = nn.mul %[[X]], %[[CLIPPED]]
// CHECK:         %[[Y:.*]] = nn.div %[[PRODUCT]], %[[SIX]]
// CHECK-NOT:     nn.hardswish
// CHECK:         return %[[Y]]
func.func @expand(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = nn.hardswish %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
