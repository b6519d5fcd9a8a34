// A model for the kiln-run schedule tests: a matmul whose sizes no small
// tile divides, and a padded, strided conv2d with bias followed by relu.
func.func @schedule(%a: tensor<37x53xf32> {kiln.name = "a"},
                    %b: tensor<53x29xf32> {kiln.name = "b"},
                    %x: tensor<2x5x17x19xf32> {kiln.name = "x"},
                    %w: tensor<7x5x3x3xf32> {kiln.name = "w"},
                    %bias: tensor<7xf32> {kiln.name = "bias"})
    -> (tensor<37x29xf32> {kiln.name = "product"},
        tensor<2x7x9x10xf32> {kiln.name = "features"}) {
  %0 = nn.matmul %a, %b : (tensor<37x53xf32>, tensor<53x29xf32>) -> tensor<37x29xf32>
  %1 = nn.conv2d %x, %w, %bias {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>}
      : (tensor<2x5x17x19xf32>, tensor<7x5x3x3xf32>, tensor<7xf32>) -> tensor<2x7x9x10xf32>
  %2 = nn.relu %1 : tensor<2x7x9x10xf32>
  return %0, %2 : tensor<37x29xf32>, tensor<2x7x9x10xf32>
}
