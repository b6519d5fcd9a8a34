// Generated loops large enough for kiln-parallelize-loops: a residual add
// and ReLU, a softmax over rows (reductions inside each row), a global
// average pool (a reduction per channel) and a per-channel scale.
func.func @main(%x: tensor<1x64x40x40xf32>, %y: tensor<1x64x40x40xf32>,
                %s: tensor<1x64x1x1xf32>, %z: tensor<96x512xf32>)
    -> (tensor<1x64x40x40xf32>, tensor<96x512xf32>, tensor<1x64x1x1xf32>,
        tensor<1x64x40x40xf32>) {
  %a = nn.add %x, %y : (tensor<1x64x40x40xf32>, tensor<1x64x40x40xf32>) -> tensor<1x64x40x40xf32>
  %r = nn.relu %a : tensor<1x64x40x40xf32>
  %sm = nn.softmax %z {axis = 1 : i64} : tensor<96x512xf32>
  %p = nn.global_avg_pool %x : (tensor<1x64x40x40xf32>) -> tensor<1x64x1x1xf32>
  %m = nn.mul %x, %s : (tensor<1x64x40x40xf32>, tensor<1x64x1x1xf32>) -> tensor<1x64x40x40xf32>
  return %r, %sm, %p, %m : tensor<1x64x40x40xf32>, tensor<96x512xf32>, tensor<1x64x1x1xf32>, tensor<1x64x40x40xf32>
}
