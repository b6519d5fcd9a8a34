//===- FlattenMemRefGlobals.cpp - 1-D storage for constant globals
//---------===//
//
// Implements kiln-flatten-memref-globals (see Passes.td): constant globals of
// rank > 1 become 1-D globals, and their uses expand the flat buffer back to
// the original shape, so LLVM sees one flat array per weight instead of a
// nest of row constants.
//
//===----------------------------------------------------------------------===//

#include "kiln/passes/lowering/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace kiln {
#define GEN_PASS_DEF_FLATTENMEMREFGLOBALSPASS
#include "passes/lowering/Passes.h.inc"
} // namespace kiln

using namespace mlir;

namespace {

/// Returns the initializer of `global` retyped to the 1-D tensor `flatType`
/// (same elements in the same order), or null when it is of a kind this pass
/// does not know how to retype.
Attribute flattenInitializer(Attribute initial, RankedTensorType flatType) {
  if (auto dense = dyn_cast<DenseElementsAttr>(initial))
    return dense.reshape(flatType);
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(initial))
    return DenseResourceElementsAttr::get(flatType, resource.getRawHandle());
  return nullptr;
}

struct FlattenMemRefGlobalsPass
    : kiln::impl::FlattenMemRefGlobalsPassBase<FlattenMemRefGlobalsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    llvm::StringMap<memref::GlobalOp> flattened;
    for (auto global :
         llvm::make_early_inc_range(module.getOps<memref::GlobalOp>())) {
      MemRefType type = global.getType();
      if (!global.getConstant() || type.getRank() < 2 ||
          !type.hasStaticShape() || !type.getLayout().isIdentity())
        continue;
      auto initial = global.getInitialValue();
      if (!initial)
        continue;
      auto flatTensor =
          RankedTensorType::get({type.getNumElements()}, type.getElementType());
      Attribute flatInitial = flattenInitializer(*initial, flatTensor);
      if (!flatInitial)
        continue;
      global.setTypeAttr(TypeAttr::get(
          MemRefType::get({type.getNumElements()}, type.getElementType(),
                          MemRefLayoutAttrInterface(), type.getMemorySpace())));
      global.setInitialValueAttr(flatInitial);
      flattened[global.getSymName()] = global;
    }
    if (flattened.empty())
      return;

    // Every use reads the flat global and views it in the original shape.
    module.walk([&](memref::GetGlobalOp get) {
      auto it = flattened.find(get.getName());
      if (it == flattened.end())
        return;
      MemRefType shaped = get.getType();
      OpBuilder builder(get);
      auto flat = memref::GetGlobalOp::create(
          builder, get.getLoc(), it->second.getType(), get.getName());
      SmallVector<ReassociationIndices> all(1);
      for (int64_t d = 0; d < shaped.getRank(); ++d)
        all.front().push_back(d);
      auto expanded = memref::ExpandShapeOp::create(builder, get.getLoc(),
                                                    shaped, flat, all);
      get.replaceAllUsesWith(expanded.getResult());
      get.erase();
    });
  }
};

} // namespace
