//===- TileLinalg.cpp - tile linalg ops on tensors into scf.for loops -----===//
//
// Implements kiln-tile-linalg (see Passes.td), a schedule knob of the CPU
// pipeline: every linalg op that implements TilingInterface is tiled with
// one list of tile sizes into scf.for loops, before bufferization, so that
// the cost model can measure one kernel under several loop schedules.
//
//===----------------------------------------------------------------------===//

#include "kiln/passes/lowering/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/TilingInterfaceImpl.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"

namespace kiln {
#define GEN_PASS_DEF_TILELINALGPASS
#include "passes/lowering/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {

/// Returns the tile sizes of an op with `numLoops` loops: the first
/// `numLoops` of `tileSizes`, padded with 0 (untiled).
SmallVector<int64_t> getTileSizesForLoops(ArrayRef<int64_t> tileSizes,
                                          size_t numLoops) {
  SmallVector<int64_t> sizes(
      tileSizes.take_front(std::min(numLoops, tileSizes.size())));
  sizes.resize(numLoops, 0);
  return sizes;
}

struct TileLinalgPass : kiln::impl::TileLinalgPassBase<TileLinalgPass> {
  using TileLinalgPassBase::TileLinalgPassBase;

  void getDependentDialects(DialectRegistry &registry) const override {
    TileLinalgPassBase::getDependentDialects(registry);
    // Linalg's TilingInterface is an external model: make sure it is attached
    // even in tools that do not register every extension.
    linalg::registerTilingInterfaceExternalModels(registry);
  }

  void runOnOperation() override {
    if (tileSizes.empty())
      return;
    if (llvm::any_of(tileSizes, [](int64_t size) { return size < 0; })) {
      getOperation().emitError("kiln-tile-linalg: tile sizes must be >= 0");
      return signalPassFailure();
    }

    // Collect first: the tiled ops created below must not be tiled again.
    SmallVector<TilingInterface> candidates;
    getOperation().walk([&](TilingInterface op) {
      if (isa<linalg::LinalgDialect>(op->getDialect()))
        candidates.push_back(op);
    });

    IRRewriter rewriter(&getContext());
    for (TilingInterface op : candidates) {
      size_t numLoops = op.getLoopIteratorTypes().size();
      SmallVector<int64_t> sizes = getTileSizesForLoops(tileSizes, numLoops);
      if (llvm::all_of(sizes, [](int64_t size) { return size == 0; }))
        continue;
      scf::SCFTilingOptions options;
      options.setLoopType(scf::SCFTilingOptions::LoopType::ForOp);
      options.setTileSizes(getAsIndexOpFoldResult(&getContext(), sizes));
      rewriter.setInsertionPoint(op);
      FailureOr<scf::SCFTilingResult> tiled =
          scf::tileUsingSCF(rewriter, op, options);
      // An op the interface cannot tile keeps its untiled schedule.
      if (failed(tiled))
        continue;
      rewriter.replaceOp(op, tiled->replacements);
    }
  }
};

} // namespace
