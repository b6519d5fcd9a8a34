// A ResNet-style stem: convolution, batch normalization, ReLU, max pooling,
// then a classifier head. Run the bundled pipeline over it with
//   build/bin/kiln-opt examples/conv_bn_relu.mlir --nn-fold-batch-norm --canonicalize
// to fold the batch normalization into the convolution's weights and bias
// and to turn the flatten into a reshape.
func.func @stem(%image: tensor<1x3x8x8xf32>) -> tensor<1x10xf32> {
  %weight = nn.constant dense<[[[[0.5]], [[0.25]], [[-1.0]]],
                               [[[1.0]], [[-0.5]], [[0.75]]]]> : tensor<2x3x1x1xf32>
  %scale = nn.constant dense<[2.0, 0.5]> : tensor<2xf32>
  %shift = nn.constant dense<[0.1, -0.2]> : tensor<2xf32>
  %mean = nn.constant dense<[0.3, 0.0]> : tensor<2xf32>
  %variance = nn.constant dense<[3.0, 0.25]> : tensor<2xf32>
  %conv = nn.conv2d %image, %weight
      : (tensor<1x3x8x8xf32>, tensor<2x3x1x1xf32>) -> tensor<1x2x8x8xf32>
  %norm = nn.batch_norm %conv, %scale, %shift, %mean, %variance {epsilon = 1.0 : f64}
      : (tensor<1x2x8x8xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
      -> tensor<1x2x8x8xf32>
  %act = nn.relu %norm : tensor<1x2x8x8xf32>
  %pool = nn.max_pool2d %act {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>}
      : (tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32>
  %flat = nn.flatten %pool : (tensor<1x2x4x4xf32>) -> tensor<1x32xf32>
  %fc_weight = nn.constant dense<0.01> : tensor<10x32xf32>
  %fc_bias = nn.constant dense<0.0> : tensor<10xf32>
  %logits = nn.linear %flat, %fc_weight, %fc_bias
      : (tensor<1x32xf32>, tensor<10x32xf32>, tensor<10xf32>) -> tensor<1x10xf32>
  return %logits : tensor<1x10xf32>
}
