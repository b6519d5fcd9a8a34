// RUN: kiln-opt %s --nn-to-linalg -verify-diagnostics

// Tests that top_k along a dynamic axis (whose size k may exceed) fails the
// conversion with a diagnostic naming the op.
func.func @top_k_dynamic_axis(%x: tensor<3x?xf32>) -> (tensor<3x2xf32>, tensor<3x2xi64>) {
  // expected-error @+2 {{a dynamic axis not supported by nn-to-linalg}}
  // expected-error @+1 {{failed to legalize operation 'nn.top_k'}}
  %0, %1 = nn.top_k %x {axis = 1 : i64, k = 2 : i64} : (tensor<3x?xf32>) -> (tensor<3x2xf32>, tensor<3x2xi64>)
  return %0, %1 : tensor<3x2xf32>, tensor<3x2xi64>
}
