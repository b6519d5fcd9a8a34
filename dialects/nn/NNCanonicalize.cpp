//===- NNCanonicalize.cpp - canonicalization patterns of nn ops
//------------===//
//
// Rewrites that replace an op with a simpler or more canonical one, so later
// passes see one spelling of each computation:
//   - nn.flatten is always a reshape;
//   - a transpose that only moves size-1 dimensions is a reshape;
//   - a concat of a concat on the same axis is one concat;
//   - clip to [0, +inf) is relu.
//
//===----------------------------------------------------------------------===//

#include "kiln/dialects/nn/NNOps.h"

#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace kiln::nn;

namespace {

/// Rewrites `nn.flatten` into the `nn.reshape` with the same result type.
struct FlattenToReshape : OpRewritePattern<FlattenOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(FlattenOp op,
                                PatternRewriter &rewriter) const override {
    // A reshape carries at most one dynamic dimension.
    if (op.getType().getNumDynamicDims() > 1)
      return rewriter.notifyMatchFailure(op, "more than one dynamic dimension");
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, op.getType(), op.getInput());
    return success();
  }
};

/// Rewrites a transpose that keeps the relative order of all non-unit
/// dimensions (it only moves size-1 dimensions around) into a reshape.
struct TransposeOfUnitDimsToReshape : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    ArrayRef<int64_t> inputShape = op.getInput().getType().getShape();
    if (op.getType().getNumDynamicDims() > 1)
      return rewriter.notifyMatchFailure(op, "more than one dynamic dimension");
    int64_t previous = -1;
    for (int64_t p : op.getPerm()) {
      if (inputShape[p] == 1)
        continue;
      if (p < previous)
        return rewriter.notifyMatchFailure(op, "moves a non-unit dimension");
      previous = p;
    }
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, op.getType(), op.getInput());
    return success();
  }
};

/// Merges inputs that are themselves concats along the same axis.
struct MergeNestedConcats : OpRewritePattern<ConcatOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConcatOp op,
                                PatternRewriter &rewriter) const override {
    SmallVector<Value> inputs;
    bool merged = false;
    for (Value input : op.getInputs()) {
      auto inner = input.getDefiningOp<ConcatOp>();
      if (inner && inner.getAxis() == op.getAxis()) {
        llvm::append_range(inputs, inner.getInputs());
        merged = true;
        continue;
      }
      inputs.push_back(input);
    }
    if (!merged)
      return rewriter.notifyMatchFailure(op, "no nested concat on this axis");
    rewriter.replaceOpWithNewOp<ConcatOp>(op, op.getType(), inputs,
                                          op.getAxis());
    return success();
  }
};

/// Rewrites `clip` with `min = 0` and no `max` into `relu`.
struct ClipToRelu : OpRewritePattern<ClipOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ClipOp op,
                                PatternRewriter &rewriter) const override {
    FloatAttr low = op.getMinAttr();
    if (!low || !low.getValue().isZero() || op.getMaxAttr())
      return rewriter.notifyMatchFailure(op, "not a clip to [0, +inf)");
    rewriter.replaceOpWithNewOp<ReluOp>(op, op.getInput());
    return success();
  }
};

/// Rewrites `gemm(a, b, c)` with `alpha = beta = 1`, `trans_b` and no
/// `trans_a` into `linear(a, b, c)` when `c` is absent or a 1-D bias of the
/// output's width: ONNX's form of a fully connected layer becomes the one
/// PyTorch models produce, so both frontends meet in one op.
struct GemmToLinear : OpRewritePattern<GemmOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GemmOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getTransA() || !op.getTransB() ||
        op.getAlpha().convertToDouble() != 1.0 ||
        (op.getC() && op.getBeta().convertToDouble() != 1.0))
      return rewriter.notifyMatchFailure(op, "not a plain a * b^T + c");
    Value bias = op.getC();
    if (bias) {
      auto biasType = cast<RankedTensorType>(bias.getType());
      int64_t width = op.getType().getDimSize(1);
      if (biasType.getRank() != 1 || ShapedType::isDynamic(width) ||
          biasType.getDimSize(0) != width)
        return rewriter.notifyMatchFailure(op, "bias is not 1-D of N");
    }
    rewriter.replaceOpWithNewOp<LinearOp>(op, op.getType(), op.getA(),
                                          op.getB(), bias);
    return success();
  }
};

} // namespace

void GemmOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                         MLIRContext *context) {
  patterns.add<GemmToLinear>(context);
}

void FlattenOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                            MLIRContext *context) {
  patterns.add<FlattenToReshape>(context);
}

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                              MLIRContext *context) {
  patterns.add<TransposeOfUnitDimsToReshape>(context);
}

void ConcatOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                           MLIRContext *context) {
  patterns.add<MergeNestedConcats>(context);
}

void ClipOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                         MLIRContext *context) {
  patterns.add<ClipToRelu>(context);
}
