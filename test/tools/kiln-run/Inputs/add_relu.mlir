// A two-input model used by the kiln-run and kiln-compile tests:
// relu(x + y) with y broadcast over rows, plus x * 2 as a second output.
func.func @add_relu(%x: tensor<2x3xf32> {kiln.name = "x"}, %y: tensor<3xf32> {kiln.name = "y"})
    -> (tensor<2x3xf32> {kiln.name = "sum_relu"}, tensor<2x3xf32> {kiln.name = "twice"}) {
  %0 = nn.add %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = nn.relu %0 : tensor<2x3xf32>
  %two = nn.constant dense<2.0> : tensor<f32>
  %2 = nn.mul %x, %two : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  return %1, %2 : tensor<2x3xf32>, tensor<2x3xf32>
}
