//===- FuseElementwise.cpp - fuse and flatten elementwise linalg ops ------===//
//
// Implements kiln-fuse-elementwise (see Passes.td). nn-to-linalg lowers
// every nn op to its own linalg.generic over the op's full N-D shape: SiLU
// is a sigmoid loop nest and a multiply loop nest with a buffer between
// them, and a 1x672x14x14 tensor is walked with an innermost loop of 14,
// too short for the vectorizer. This pass merges producer/consumer chains
// of elementwise generics into one, then drops unit dimensions and merges
// adjacent dimensions that every operand walks contiguously, so that the
// innermost loop is as long as the data allows.
//
//===----------------------------------------------------------------------===//

#include "kiln/passes/lowering/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace kiln {
#define GEN_PASS_DEF_FUSEELEMENTWISEPASS
#include "passes/lowering/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {

/// Fuses a producer generic into its consumer only when the consumer is its
/// only user and reads each of its elements once: a producer with several
/// users would be recomputed in each, and one the consumer broadcasts (the
/// sigmoid of a squeeze-and-excitation scale, 1xCx1x1, multiplying a
/// 1xCxHxW tensor) once per element of the consumer, an exp per pixel
/// instead of per channel.
bool shouldFuse(OpOperand *fused) {
  Value value = fused->get();
  auto producer = value.getDefiningOp<linalg::GenericOp>();
  auto consumer = dyn_cast<linalg::GenericOp>(fused->getOwner());
  return producer && consumer && value.hasOneUse() &&
         consumer.getMatchingIndexingMap(fused).isPermutation();
}

/// True when every operand of `generic` (on tensors) is indexed by loops
/// alone, or constant zeros where `allowZeros`: elementwise ops, broadcasts,
/// transposes and plain reductions. Windows (pools, transposed
/// convolutions: `d2 + d5`) are left alone by both rewrites below.
bool hasSimpleIndexing(linalg::GenericOp generic, bool allowZeros) {
  if (!generic.hasPureTensorSemantics())
    return false;
  return llvm::all_of(generic.getIndexingMapsArray(), [&](AffineMap map) {
    return llvm::all_of(map.getResults(), [&](AffineExpr expr) {
      if (isa<AffineDimExpr>(expr))
        return true;
      auto constant = dyn_cast<AffineConstantExpr>(expr);
      return allowZeros && constant && constant.getValue() == 0;
    });
  });
}

/// The groups of adjacent loops of `op` that every operand walks
/// contiguously and that share an iterator type, largest first from the
/// outermost loop; only groups of two or more loops.
SmallVector<ReassociationIndices> getCollapsibleLoops(linalg::LinalgOp op) {
  auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
  if (!generic || !hasSimpleIndexing(generic, /*allowZeros=*/false))
    return {};
  SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
  SmallVector<utils::IteratorType> iterators = generic.getIteratorTypesArray();
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices group;
  auto close = [&]() {
    if (group.size() > 1)
      groups.push_back(group);
    group.clear();
  };
  for (int64_t loop = 0, e = generic.getNumLoops(); loop < e; ++loop) {
    if (!group.empty()) {
      ReassociationIndices extended = group;
      extended.push_back(loop);
      if (iterators[loop] == iterators[group.front()] &&
          linalg::areDimSequencesPreserved(maps, {extended})) {
        group = std::move(extended);
        continue;
      }
      close();
    }
    group.push_back(loop);
  }
  close();
  return groups;
}

struct FuseElementwisePass
    : kiln::impl::FuseElementwisePassBase<FuseElementwisePass> {
  using FuseElementwisePassBase::FuseElementwisePassBase;

  void runOnOperation() override {
    MLIRContext *context = &getContext();
    Operation *root = getOperation();
    if (fuse) {
      RewritePatternSet patterns(context);
      linalg::populateElementwiseOpsFusionPatterns(patterns, shouldFuse);
      if (failed(applyPatternsGreedily(root, std::move(patterns))))
        return signalPassFailure();
    }
    if (!collapseDims)
      return;
    // Unit dimensions first: a broadcast operand such as 1xCx1x1 is indexed
    // by constant zeros, which would keep its loops from merging.
    {
      RewritePatternSet patterns(context);
      linalg::ControlDropUnitDims options;
      options.controlFn = [](Operation *op) -> SmallVector<unsigned> {
        auto generic = dyn_cast<linalg::GenericOp>(op);
        if (!generic || !hasSimpleIndexing(generic, /*allowZeros=*/true))
          return {};
        return llvm::to_vector(llvm::seq<unsigned>(0, generic.getNumLoops()));
      };
      linalg::populateFoldUnitExtentDimsPatterns(patterns, options);
      if (failed(applyPatternsGreedily(root, std::move(patterns))))
        return signalPassFailure();
    }
    RewritePatternSet patterns(context);
    linalg::populateCollapseDimensions(patterns, getCollapsibleLoops);
    // Both steps reshape the same operands: chains of reshapes fold into
    // one, and reshapes of tensor.empty into a smaller tensor.empty.
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::populateFoldTensorEmptyPatterns(patterns);
    if (failed(applyPatternsGreedily(root, std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
