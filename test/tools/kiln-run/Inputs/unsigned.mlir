// A model on unsigned tensors used by the kiln-run tests: an unsigned
// division, a logical right shift, an unsigned maximum and a wrapping ui64
// addition, with values on both sides of each type's signed range.
func.func @unsigned_ops(%a: tensor<4xui8> {kiln.name = "a"},
                        %b: tensor<4xui16> {kiln.name = "b"},
                        %c: tensor<3xui32> {kiln.name = "c"},
                        %d: tensor<3xui64> {kiln.name = "d"})
    -> (tensor<4xui8> {kiln.name = "quotient"},
        tensor<4xui16> {kiln.name = "shifted"},
        tensor<3xui32> {kiln.name = "maximum"},
        tensor<3xui64> {kiln.name = "doubled"}) {
  %three = nn.constant dense<3> : tensor<ui8>
  %0 = nn.div %a, %three : (tensor<4xui8>, tensor<ui8>) -> tensor<4xui8>
  %one = nn.constant dense<1> : tensor<ui16>
  %1 = nn.bit_shift %b, %one {direction = #nn.shift_direction<right>}
      : (tensor<4xui16>, tensor<ui16>) -> tensor<4xui16>
  %big = nn.constant dense<3000000000> : tensor<ui32>
  %2 = nn.max %c, %big : (tensor<3xui32>, tensor<ui32>) -> tensor<3xui32>
  %3 = nn.add %d, %d : (tensor<3xui64>, tensor<3xui64>) -> tensor<3xui64>
  return %0, %1, %2, %3 : tensor<4xui8>, tensor<4xui16>, tensor<3xui32>, tensor<3xui64>
}
