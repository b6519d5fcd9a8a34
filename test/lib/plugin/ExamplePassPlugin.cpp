//===- ExamplePassPlugin.cpp - an out-of-tree pass over the nn dialect
//-----===//
//
// Shows how to extend Kiln without rebuilding it: this module defines a pass,
// `example-expand-hardswish`, that rewrites `nn.hardswish` into primitive nn
// ops, and exports `mlirGetPassPluginInfo` so that
// `kiln-opt --load-pass-plugin=libKilnExamplePassPlugin.so` can run it.
//
//===----------------------------------------------------------------------===//

#include "kiln/dialects/nn/NNOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/Config/llvm-config.h"

using namespace mlir;

namespace {

/// Rewrites `hardswish(x)` into `x * clip(x + 3, 0, 6) / 6`.
struct ExpandHardSwish : OpRewritePattern<kiln::nn::HardSwishOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(kiln::nn::HardSwishOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput();
    auto scalarType = RankedTensorType::get({}, op.getType().getElementType());
    auto scalar = [&](double value) -> Value {
      return kiln::nn::ConstantOp::create(
          rewriter, loc,
          DenseElementsAttr::get(
              scalarType,
              FloatAttr::get(scalarType.getElementType(), value).getValue()));
    };
    Value shifted = kiln::nn::AddOp::create(rewriter, loc, input, scalar(3.0));
    Value clipped = kiln::nn::ClipOp::create(rewriter, loc, shifted,
                                             rewriter.getF64FloatAttr(0.0),
                                             rewriter.getF64FloatAttr(6.0));
    Value product = kiln::nn::MulOp::create(rewriter, loc, input, clipped);
    rewriter.replaceOpWithNewOp<kiln::nn::DivOp>(op, product, scalar(6.0));
    return success();
  }
};

struct ExpandHardSwishPass : PassWrapper<ExpandHardSwishPass, OperationPass<>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(ExpandHardSwishPass)

  StringRef getArgument() const final { return "example-expand-hardswish"; }
  StringRef getDescription() const final {
    return "Example plugin pass: expand nn.hardswish into primitive nn ops";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<kiln::nn::NNDialect>();
  }
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ExpandHardSwish>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "KilnExamplePassPlugin", LLVM_VERSION_STRING,
          []() { PassRegistration<ExpandHardSwishPass>(); }};
}
