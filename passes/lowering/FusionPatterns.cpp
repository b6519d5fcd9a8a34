//===- FusionPatterns.cpp - inline nn.fusion bodies -----------------------===//
//
// Lowers nn.fusion by inlining its body into the parent block: a fusion
// group is a grouping for the cost model and later kernel formation, not a
// computation of its own, so after lowering its ops are ordinary linalg ops
// that later passes may tile and fuse again. The inlined nn ops are then
// lowered by the other patterns of the same conversion.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "PopulatePatterns.h"

#include "kiln/dialects/nn/NNOps.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lowering;

namespace {

/// Inlines an nn.fusion body in place of the op and replaces its results
/// with the values its nn.yield returned.
struct FusionInlining : OpConversionPattern<nn::FusionOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::FusionOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Block &body = op.getBody().front();
    auto yield = dyn_cast<nn::YieldOp>(body.getTerminator());
    if (!yield)
      return emitUnsupported(op, "a body without nn.yield");
    SmallVector<Value> results(yield.getValues());
    // The block arguments stand for the inputs; the original (unconverted)
    // values keep the types consistent until their users are converted.
    rewriter.inlineBlockBefore(&body, op, op.getInputs());
    rewriter.eraseOp(yield);
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void kiln::lowering::populateFusionPatterns(const TypeConverter &typeConverter,
                                            RewritePatternSet &patterns) {
  patterns.add<FusionInlining>(typeConverter, patterns.getContext());
}
