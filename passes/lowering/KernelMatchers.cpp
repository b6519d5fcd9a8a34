//===- KernelMatchers.cpp - what kiln-cpu-microkernels folds into calls ---===//
//
// Implements KernelMatchers.h: the zero-padded copies and the bias +
// activation epilogues kiln-cpu-microkernels folds into its kernel calls.
//
//===----------------------------------------------------------------------===//

#include "KernelMatchers.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;
using namespace kiln::lowering;

namespace {

/// The buffer a view of `value` (subview, cast, reshape, ...) is a view of.
Value getRootBuffer(Value value) {
  while (auto view = value.getDefiningOp<ViewLikeOpInterface>())
    value = view.getViewSource();
  return value;
}

/// True when `op` fills `buffer` with +0.0 (linalg.fill, or a linalg.map
/// without inputs that yields the constant).
bool isZeroFill(Operation *op, Value buffer) {
  if (auto fill = dyn_cast<linalg::FillOp>(op))
    return fill.getOutputs()[0] == buffer &&
           matchPattern(fill.getInputs()[0], m_PosZeroFloat());
  if (auto map = dyn_cast<linalg::MapOp>(op)) {
    if (!map.getInputs().empty() || map.getInit() != buffer)
      return false;
    Operation *yield = map.getMapper().front().getTerminator();
    return yield->getNumOperands() == 1 &&
           matchPattern(yield->getOperand(0), m_PosZeroFloat());
  }
  return false;
}

/// The constant f32 value of `value`, if it is one.
std::optional<float> getConstantFloat(Value value) {
  FloatAttr attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  return static_cast<float>(attr.getValueAsDouble());
}

/// If `value` is `op(a, b)` or `op(b, a)` for an op of type OpTy with `a`
/// as one operand, returns the other one.
template <typename OpTy> Value getOtherOperand(Value value, Value a) {
  auto op = value.getDefiningOp<OpTy>();
  if (!op)
    return {};
  if (op.getLhs() == a)
    return op.getRhs();
  if (op.getRhs() == a)
    return op.getLhs();
  return {};
}

/// True when `value` is the f32 constant `expected`.
bool isConstant(Value value, float expected) {
  std::optional<float> constant = getConstantFloat(value);
  return constant && *constant == expected;
}

/// Matches clamp(x, lo, hi) with arith.maximumf / arith.minimumf (either
/// or both, constants on either side) of the block argument `x`.
std::optional<Activation> matchClampBody(Value value, Value x) {
  Activation clamp;
  clamp.kind = KILN_MK_ACT_CLAMP;
  bool any = false;
  auto peel = [&](auto minOrMax, float &bound) {
    if (!minOrMax)
      return;
    for (int side = 0; side < 2; ++side)
      if (std::optional<float> constant =
              getConstantFloat(minOrMax->getOperand(side))) {
        bound = *constant;
        value = minOrMax->getOperand(1 - side);
        any = true;
        return;
      }
  };
  peel(value.getDefiningOp<arith::MinimumFOp>(), clamp.hi);
  peel(value.getDefiningOp<arith::MaximumFOp>(), clamp.lo);
  if (!any || value != x || !(clamp.lo <= clamp.hi))
    return std::nullopt;
  return clamp;
}

/// Matches SiLU as nn-to-linalg builds it, x * (1 / (1 + exp(-x))), and
/// hardswish as x * hardsigmoid(x) = x * max(min(alpha * x + beta, 1), 0)
/// (multiplications and additions in either operand order).
std::optional<Activation> matchGatedBody(Value value, Value x) {
  Value gate = getOtherOperand<arith::MulFOp>(value, x);
  if (!gate)
    return std::nullopt;
  // SiLU: gate = 1 / (1 + exp(-x)).
  if (auto div = gate.getDefiningOp<arith::DivFOp>();
      div && isConstant(div.getLhs(), 1.0f)) {
    auto add = div.getRhs().getDefiningOp<arith::AddFOp>();
    if (!add)
      return std::nullopt;
    Value exp = isConstant(add.getLhs(), 1.0f)   ? add.getRhs()
                : isConstant(add.getRhs(), 1.0f) ? add.getLhs()
                                                 : Value();
    auto expOp = exp ? exp.getDefiningOp<math::ExpOp>() : nullptr;
    auto neg =
        expOp ? expOp.getOperand().getDefiningOp<arith::NegFOp>() : nullptr;
    if (!neg || neg.getOperand() != x)
      return std::nullopt;
    Activation silu;
    silu.kind = KILN_MK_ACT_SILU;
    silu.lo = silu.hi = 0.0f;
    return silu;
  }
  // Hardswish: gate = max(min(alpha * x + beta, 1), 0).
  auto max = gate.getDefiningOp<arith::MaximumFOp>();
  if (!max || !isConstant(max.getRhs(), 0.0f))
    return std::nullopt;
  auto min = max.getLhs().getDefiningOp<arith::MinimumFOp>();
  if (!min || !isConstant(min.getRhs(), 1.0f))
    return std::nullopt;
  auto add = min.getLhs().getDefiningOp<arith::AddFOp>();
  if (!add)
    return std::nullopt;
  for (int side = 0; side < 2; ++side) {
    std::optional<float> beta = getConstantFloat(add->getOperand(1 - side));
    Value scaled = add->getOperand(side);
    Value alphaValue = getOtherOperand<arith::MulFOp>(scaled, x);
    std::optional<float> alpha =
        alphaValue ? getConstantFloat(alphaValue) : std::nullopt;
    if (beta && alpha) {
      Activation hardswish;
      hardswish.kind = KILN_MK_ACT_HARDSWISH;
      hardswish.lo = *alpha;
      hardswish.hi = *beta;
      return hardswish;
    }
  }
  return std::nullopt;
}

/// Matches a linalg.generic applying, elementwise from its only input to
/// its only output (identity maps), an activation the fused kernels
/// implement: a clamp (ReLU, ReLU6, clip), SiLU or hardswish.
std::optional<Activation> matchActivation(linalg::GenericOp op) {
  if (op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
      !llvm::all_of(op.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isIdentity(); }) ||
      op.getNumReductionLoops() != 0)
    return std::nullopt;
  Block &body = op.getRegion().front();
  for (Operation &inner : body.without_terminator())
    if (!isa<arith::ConstantOp, arith::MaximumFOp, arith::MinimumFOp,
             arith::MulFOp, arith::AddFOp, arith::DivFOp, arith::NegFOp,
             math::ExpOp>(inner))
      return std::nullopt;
  Value value = body.getTerminator()->getOperand(0);
  Value x = body.getArgument(0);
  if (std::optional<Activation> clamp = matchClampBody(value, x))
    return clamp;
  return matchGatedBody(value, x);
}

/// True when no op strictly between `from` and `to` (same block) may read
/// or write a buffer rooted at `root` (`root`'s own allocation aside).
bool untouchedBetween(Operation *from, Operation *to, Value root) {
  for (Operation *op = from->getNextNode(); op && op != to;
       op = op->getNextNode()) {
    if (op == root.getDefiningOp())
      continue;
    auto effects = dyn_cast<MemoryEffectOpInterface>(op);
    if (!effects) {
      if (op->getNumRegions() == 0 && isPure(op))
        continue;
      return false;
    }
    SmallVector<MemoryEffects::EffectInstance> instances;
    effects.getEffects(instances);
    for (const MemoryEffects::EffectInstance &effect : instances) {
      Value touched = effect.getValue();
      if (!touched || getRootBuffer(touched) == root)
        return false;
    }
  }
  return true;
}

/// The 1-D bias a linalg.generic broadcasts into `out` (how nn.gemm's bias
/// is lowered): one input indexed by a single loop, `out` indexed by the
/// identity, a body yielding the input, and the other loops exactly
/// `biasDims` (the dimensions the bias is repeated along). Null otherwise.
Value matchBiasBroadcast(Operation *init, Value out,
                         ArrayRef<int64_t> biasDims) {
  auto generic = dyn_cast<linalg::GenericOp>(init);
  if (!generic || generic.getNumDpsInputs() != 1 ||
      generic.getNumDpsInits() != 1 || generic.getDpsInits()[0] != out ||
      generic.getNumReductionLoops() != 0)
    return {};
  Value bias = generic.getDpsInputs()[0];
  auto biasType = dyn_cast<MemRefType>(bias.getType());
  SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
  if (!biasType || biasType.getRank() != 1 || !maps[1].isIdentity() ||
      maps[0].getNumResults() != 1)
    return {};
  auto dim = dyn_cast<AffineDimExpr>(maps[0].getResult(0));
  if (!dim)
    return {};
  SmallVector<int64_t> repeated;
  for (int64_t loop = 0, e = generic.getNumLoops(); loop < e; ++loop)
    if (loop != static_cast<int64_t>(dim.getPosition()))
      repeated.push_back(loop);
  Block &body = generic.getRegion().front();
  if (repeated != biasDims || body.getOperations().size() != 1 ||
      body.getTerminator()->getOperand(0) != body.getArgument(0))
    return {};
  return bias;
}

/// Makes `value` available before `point` (same block): a static
/// allocation defined after it, or a reshaping view of one, moves up.
/// False when `value` is defined after `point` by anything else.
bool hoistAllocationBefore(Value value, Operation *point) {
  Operation *definer = value.getDefiningOp();
  if (!definer || definer->getBlock() != point->getBlock() ||
      definer->isBeforeInBlock(point))
    return true;
  if (auto alloc = dyn_cast<memref::AllocOp>(definer)) {
    if (alloc->getNumOperands() != 0)
      return false;
  } else if (isa<memref::CollapseShapeOp, memref::ExpandShapeOp>(definer)) {
    if (!hoistAllocationBefore(definer->getOperand(0), point))
      return false;
  } else {
    return false;
  }
  definer->moveBefore(point);
  return true;
}

} // namespace

/// Matches `input` of `consumer` as
///   %p = memref.alloc ; zero fill of %p ;
///   memref.copy %src, (memref.subview %p [0, 0, top, left] [sizes of %src])
/// with %p used by nothing else (but deallocs), and nothing between the
/// copy and `consumer` that may write %src.
std::optional<FoldablePad>
kiln::lowering::matchFoldablePad(Value input, Operation *consumer) {
  auto alloc = input.getDefiningOp<memref::AllocOp>();
  if (!alloc || alloc.getType().getRank() != 4 ||
      !alloc.getType().hasStaticShape())
    return std::nullopt;
  Operation *fill = nullptr;
  memref::SubViewOp subview;
  SmallVector<Operation *> deallocs;
  for (Operation *user : alloc->getUsers()) {
    if (user == consumer)
      continue;
    if (isa<memref::DeallocOp>(user)) {
      deallocs.push_back(user);
    } else if (auto view = dyn_cast<memref::SubViewOp>(user)) {
      if (subview)
        return std::nullopt;
      subview = view;
    } else if (!fill && isZeroFill(user, input)) {
      fill = user;
    } else {
      return std::nullopt;
    }
  }
  if (!fill || !subview || !subview->hasOneUse())
    return std::nullopt;
  auto copy = dyn_cast<memref::CopyOp>(*subview->getUsers().begin());
  if (!copy || copy.getTarget() != subview.getResult())
    return std::nullopt;
  Value source = copy.getSource();
  auto sourceType = dyn_cast<MemRefType>(source.getType());
  if (!sourceType || !sourceType.hasStaticShape())
    return std::nullopt;
  ArrayRef<int64_t> offsets = subview.getStaticOffsets();
  ArrayRef<int64_t> sizes = subview.getStaticSizes();
  if (llvm::any_of(subview.getStaticStrides(),
                   [](int64_t stride) { return stride != 1; }) ||
      offsets.size() != 4 || offsets[0] != 0 || offsets[1] != 0 ||
      ShapedType::isDynamic(offsets[2]) || ShapedType::isDynamic(offsets[3]) ||
      ArrayRef<int64_t>(sizes) != sourceType.getShape())
    return std::nullopt;
  Block *block = consumer->getBlock();
  if (fill->getBlock() != block || copy->getBlock() != block ||
      !fill->isBeforeInBlock(copy) || !copy->isBeforeInBlock(consumer))
    return std::nullopt;
  // Reading %src later instead of its copy is only right if nothing in
  // between writes it: allow writes to other allocations only.
  Value sourceRoot = getRootBuffer(source);
  for (Operation *op = copy->getNextNode(); op != consumer;
       op = op->getNextNode()) {
    auto effects = dyn_cast<MemoryEffectOpInterface>(op);
    if (!effects) {
      if (op->getNumRegions() == 0 && isPure(op))
        continue;
      return std::nullopt;
    }
    SmallVector<MemoryEffects::EffectInstance> instances;
    effects.getEffects(instances);
    for (const MemoryEffects::EffectInstance &effect : instances) {
      if (!isa<MemoryEffects::Write, MemoryEffects::Free>(effect.getEffect()))
        continue;
      Value written = effect.getValue();
      if (!written)
        return std::nullopt;
      Value root = getRootBuffer(written);
      if (root == sourceRoot || !root.getDefiningOp<memref::AllocOp>())
        return std::nullopt;
    }
  }
  FoldablePad pad;
  pad.source = source;
  pad.top = offsets[2];
  pad.left = offsets[3];
  pad.ops = {copy, subview, fill};
  llvm::append_range(pad.ops, deallocs);
  pad.ops.push_back(alloc);
  return pad;
}

/// Matches the output buffer `out` of the contraction `consumer` as
///   %out = memref.alloc ; linalg.broadcast %bias (dims `biasDims`) or a
///   zero fill into %out ; <consumer> ; [clamp generic %out -> %dst] ;
///   memref.dealloc %out
/// with %out used by nothing else; `inputs` are the buffers the kernel
/// reads, which %dst must not alias.
std::optional<FusableEpilogue>
kiln::lowering::matchEpilogue(Value out, Operation *consumer,
                              ArrayRef<int64_t> biasDims, ValueRange inputs) {
  auto alloc = out.getDefiningOp<memref::AllocOp>();
  if (!alloc || !alloc.getType().hasStaticShape() ||
      !alloc.getType().getLayout().isIdentity())
    return std::nullopt;
  Operation *init = nullptr;
  SmallVector<Operation *> deallocs, readers;
  Block *block = consumer->getBlock();
  for (Operation *user : alloc->getUsers()) {
    if (user == consumer)
      continue;
    if (isa<memref::DeallocOp>(user)) {
      deallocs.push_back(user);
      continue;
    }
    if (user->getBlock() != block)
      return std::nullopt;
    if (user->isBeforeInBlock(consumer)) {
      if (init)
        return std::nullopt;
      init = user;
      continue;
    }
    readers.push_back(user);
  }
  if (!init)
    return std::nullopt;
  // The clamp is fused when it is the product's only reader; otherwise the
  // bias alone is.
  // kiln-fuse-elementwise flattens the clamp's loops: it may read a
  // memref.collapse_shape view of the product.
  linalg::GenericOp activation;
  memref::CollapseShapeOp collapse;
  if (readers.size() == 1) {
    Operation *reader = readers.front();
    if (auto view = dyn_cast<memref::CollapseShapeOp>(reader);
        view && view->hasOneUse()) {
      collapse = view;
      reader = *view->getUsers().begin();
    }
    if (auto generic = dyn_cast<linalg::GenericOp>(reader);
        generic && generic->getBlock() == block && matchActivation(generic))
      activation = generic;
  }
  Value activationInput = collapse ? collapse.getResult() : out;
  FusableEpilogue epilogue;
  if (auto broadcast = dyn_cast<linalg::BroadcastOp>(init)) {
    if (broadcast.getInit() != out || broadcast.getDimensions() != biasDims ||
        cast<MemRefType>(broadcast.getInput().getType()).getRank() != 1)
      return std::nullopt;
    epilogue.bias = broadcast.getInput();
  } else if (Value bias = matchBiasBroadcast(init, out, biasDims)) {
    epilogue.bias = bias;
  } else if (!isZeroFill(init, out)) {
    return std::nullopt;
  }
  epilogue.target = out;
  epilogue.ops.push_back(init);
  if (activation) {
    std::optional<Activation> bounds = matchActivation(activation);
    Value dst = activation.getDpsInits()[0];
    auto dstType = dyn_cast<MemRefType>(dst.getType());
    Value dstRoot = getRootBuffer(dst);
    if (!bounds || activation.getDpsInputs()[0] != activationInput ||
        !dstType ||
        dstType.getShape() !=
            cast<MemRefType>(activationInput.getType()).getShape() ||
        !dstType.getLayout().isIdentity() ||
        !untouchedBetween(consumer, activation, dstRoot) ||
        llvm::any_of(
            inputs,
            [&](Value input) { return getRootBuffer(input) == dstRoot; }) ||
        (epilogue.bias && getRootBuffer(epilogue.bias) == dstRoot))
      return std::nullopt;
    // The kernel writes %dst where the product was: an allocation of it
    // in between (or a reshaping view of one) moves up.
    if (!hoistAllocationBefore(dst, consumer))
      return std::nullopt;
    epilogue.activation = *bounds;
    epilogue.target = dst;
    epilogue.ops.push_back(activation);
    if (collapse) {
      // The kernel writes the product's shape: view %dst that way.
      OpBuilder builder(consumer);
      epilogue.target = memref::ExpandShapeOp::create(
          builder, collapse.getLoc(), alloc.getType().getShape(), dst,
          collapse.getReassociationIndices());
      epilogue.ops.push_back(collapse);
    }
    llvm::append_range(epilogue.ops, deallocs);
    epilogue.ops.push_back(alloc);
  }
  return epilogue;
}
