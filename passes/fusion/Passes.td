//===- Passes.td - fusion and folding passes ---------------*- tablegen -*-===//
//
// Passes that merge nn ops into fewer, larger computations.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_PASSES_FUSION_PASSES_TD
#define KILN_PASSES_FUSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def FoldBatchNormPass : Pass<"nn-fold-batch-norm"> {
  let summary = "Fold inference batch normalization into the preceding convolution";
  let description = [{
    An inference-mode `nn.batch_norm` is a per-channel affine map
    `y = x * s + t` with `s = scale / sqrt(variance + epsilon)` and
    `t = bias - mean * s`. When its input is an `nn.conv2d` whose weight (and
    bias, if any) and all four normalization parameters are dense constants,
    and the convolution has no other user, the pass scales each output
    channel's weights by `s`, sets the convolution bias to `b * s + t`
    (with `b = 0` when the convolution had none), and replaces the
    normalization by the convolution. The arithmetic is done in double
    precision and rounded once to the weight's element type.

    Ops that do not match are left unchanged, so the pass is safe on any IR.
  }];
  let dependentDialects = ["::kiln::nn::NNDialect"];
  let statistics = [
    Statistic<"numFolded", "num-folded", "Number of batch normalizations folded">
  ];
}

#endif // KILN_PASSES_FUSION_PASSES_TD
