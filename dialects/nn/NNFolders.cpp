//===- NNFolders.cpp - folds of nn ops
//-------------------------------------===//
//
// Local folds: identities (`x + 0`, `x * 1`, identity transpose/slice/pad),
// involutions (`neg(neg(x))`), idempotent ops (`relu(relu(x))`), chains that
// collapse in place (reshape of reshape, transpose of transpose) and reshapes
// of dense constants. Rewrites that create new ops live in NNCanonicalize.cpp.
//
//===----------------------------------------------------------------------===//

#include "kiln/dialects/nn/NNOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace kiln::nn;

/// The neutral elements the binary folds look for.
enum class Identity { Zero, One };

/// Returns true when `attr` is a splat of exactly zero (either sign) or one,
/// compared in the element type's own precision.
static bool isSplatOf(Attribute attr, Identity identity) {
  auto splat = dyn_cast_if_present<SplatElementsAttr>(attr);
  if (!splat)
    return false;
  Type elementType = splat.getElementType();
  if (isa<FloatType>(elementType)) {
    APFloat value = splat.getSplatValue<APFloat>();
    return identity == Identity::Zero ? value.isZero()
                                      : value.isExactlyValue(1.0);
  }
  // Signless and unsigned integers alike: 0 and 1 have the same bits.
  if (isa<IntegerType>(elementType) &&
      elementType.getIntOrFloatBitWidth() > 1) {
    APInt value = splat.getSplatValue<APInt>();
    return identity == Identity::Zero ? value.isZero() : value.isOne();
  }
  return false;
}

/// Folds `op(x, c)` to `x` when `c` is a splat of `identity` and broadcasting
/// leaves `x`'s type unchanged; also `op(c, x)` when `commutative`.
static Value foldIdentityOperand(Operation *op, ArrayRef<Attribute> operands,
                                 Identity identity, bool commutative) {
  Type resultType = op->getResult(0).getType();
  Value lhs = op->getOperand(0), rhs = op->getOperand(1);
  if (isSplatOf(operands[1], identity) && lhs.getType() == resultType)
    return lhs;
  if (commutative && isSplatOf(operands[0], identity) &&
      rhs.getType() == resultType)
    return rhs;
  return {};
}

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  return foldIdentityOperand(*this, adaptor.getOperands(), Identity::Zero,
                             true);
}
OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  return foldIdentityOperand(*this, adaptor.getOperands(), Identity::Zero,
                             false);
}
OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  return foldIdentityOperand(*this, adaptor.getOperands(), Identity::One, true);
}
OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  return foldIdentityOperand(*this, adaptor.getOperands(), Identity::One,
                             false);
}
OpFoldResult PowOp::fold(FoldAdaptor adaptor) {
  return foldIdentityOperand(*this, adaptor.getOperands(), Identity::One,
                             false);
}

/// `max(x, x)` and `min(x, x)` are `x`.
static Value foldSameOperands(Operation *op) {
  if (op->getOperand(0) == op->getOperand(1) &&
      op->getOperand(0).getType() == op->getResult(0).getType())
    return op->getOperand(0);
  return {};
}
OpFoldResult MaxOp::fold(FoldAdaptor) { return foldSameOperands(*this); }
OpFoldResult MinOp::fold(FoldAdaptor) { return foldSameOperands(*this); }

OpFoldResult CastOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

OpFoldResult ReluOp::fold(FoldAdaptor) {
  if (getInput().getDefiningOp<ReluOp>())
    return getInput();
  return {};
}
OpFoldResult AbsOp::fold(FoldAdaptor) {
  if (getInput().getDefiningOp<AbsOp>())
    return getInput();
  return {};
}
OpFoldResult NegOp::fold(FoldAdaptor) {
  if (auto inner = getInput().getDefiningOp<NegOp>())
    return inner.getInput();
  return {};
}

/// A reduction over no axes is the identity.
template <typename ReduceOpT>
static OpFoldResult foldEmptyReduction(ReduceOpT op) {
  if (op.getAxes().empty() && op.getInput().getType() == op.getType())
    return op.getInput();
  return {};
}
OpFoldResult ReduceSumOp::fold(FoldAdaptor) {
  return foldEmptyReduction(*this);
}
OpFoldResult ReduceMeanOp::fold(FoldAdaptor) {
  return foldEmptyReduction(*this);
}
OpFoldResult ReduceMaxOp::fold(FoldAdaptor) {
  return foldEmptyReduction(*this);
}
OpFoldResult ReduceMinOp::fold(FoldAdaptor) {
  return foldEmptyReduction(*this);
}
OpFoldResult ReduceProdOp::fold(FoldAdaptor) {
  return foldEmptyReduction(*this);
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  // reshape(reshape(x)) -> reshape(x): only the final shape matters.
  if (auto inner = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(inner.getInput());
    return getResult();
  }
  if (auto dense = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput()))
    if (getType().hasStaticShape())
      return dense.reshape(getType());
  return {};
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  ArrayRef<int64_t> perm = getPerm();
  if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())))
    return getInput();
  // transpose(transpose(x, p1), p2) -> transpose(x, p1 o p2).
  if (auto inner = getInput().getDefiningOp<TransposeOp>()) {
    ArrayRef<int64_t> innerPerm = inner.getPerm();
    SmallVector<int64_t> composed;
    for (int64_t p : perm)
      composed.push_back(innerPerm[p]);
    getInputMutable().assign(inner.getInput());
    setPerm(composed);
    return getResult();
  }
  // A splat constant looks the same in any order.
  if (auto splat = dyn_cast_if_present<SplatElementsAttr>(adaptor.getInput()))
    return splat.resizeSplat(getType());
  return {};
}

OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1 && getInputs().front().getType() == getType())
    return getInputs().front();
  return {};
}

OpFoldResult SliceOp::fold(FoldAdaptor) {
  if (getInput().getType() != getType())
    return {};
  // Same shape: the slice keeps everything unless it reverses a dimension.
  for (int64_t step : getSteps())
    if (step < 0)
      return {};
  return getInput();
}

OpFoldResult PadOp::fold(FoldAdaptor) {
  if (llvm::all_of(getPads(), [](int64_t p) { return p == 0; }))
    return getInput();
  return {};
}
