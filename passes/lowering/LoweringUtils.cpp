//===- LoweringUtils.cpp - helpers shared by nn-to-linalg patterns --------===//
//
// Implements the helpers declared in LoweringUtils.h. The broadcasting
// helpers follow the approach of upstream tosa-to-linalg: static size-1
// dimensions become constant-0 indexing expressions, and a dynamic dimension
// that might be 1 at run time is expanded inside an scf.if before the
// elementwise generic runs, so that dynamic shapes keep NumPy semantics.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace kiln::lowering;

//===----------------------------------------------------------------------===//
// Diagnostics and types
//===----------------------------------------------------------------------===//

LogicalResult kiln::lowering::emitUnsupported(Operation *op,
                                              const Twine &what) {
  return op->emitError() << op->getName() << ": " << what
                         << " not supported by nn-to-linalg";
}

RankedTensorType
kiln::lowering::convertTensorType(const TypeConverter *converter, Type type) {
  return dyn_cast_if_present<RankedTensorType>(converter->convertType(type));
}

bool kiln::lowering::isBoolType(Type type) { return type.isInteger(1); }

bool kiln::lowering::hasUnsignedElements(Type type) {
  return getElementTypeOrSelf(type).isUnsignedInteger();
}

//===----------------------------------------------------------------------===//
// Index arithmetic
//===----------------------------------------------------------------------===//

/// Folds `lhs op rhs` when both are constants (with `fold`), otherwise
/// creates the arith op `OpTy` on index values.
template <typename OpTy>
static OpFoldResult
foldOrCreateIndexOp(OpBuilder &b, Location loc, OpFoldResult lhs,
                    OpFoldResult rhs,
                    llvm::function_ref<int64_t(int64_t, int64_t)> fold) {
  std::optional<int64_t> l = getConstantIntValue(lhs);
  std::optional<int64_t> r = getConstantIntValue(rhs);
  if (l && r)
    return b.getIndexAttr(fold(*l, *r));
  Value lv = getValueOrCreateConstantIndexOp(b, loc, lhs);
  Value rv = getValueOrCreateConstantIndexOp(b, loc, rhs);
  return OpTy::create(b, loc, lv, rv).getResult();
}

OpFoldResult kiln::lowering::addIndex(OpBuilder &b, Location loc,
                                      OpFoldResult lhs, OpFoldResult rhs) {
  if (isZeroInteger(rhs))
    return lhs;
  if (isZeroInteger(lhs))
    return rhs;
  return foldOrCreateIndexOp<arith::AddIOp>(
      b, loc, lhs, rhs, [](int64_t l, int64_t r) { return l + r; });
}

OpFoldResult kiln::lowering::subIndex(OpBuilder &b, Location loc,
                                      OpFoldResult lhs, OpFoldResult rhs) {
  if (isZeroInteger(rhs))
    return lhs;
  return foldOrCreateIndexOp<arith::SubIOp>(
      b, loc, lhs, rhs, [](int64_t l, int64_t r) { return l - r; });
}

OpFoldResult kiln::lowering::mulIndex(OpBuilder &b, Location loc,
                                      OpFoldResult lhs, OpFoldResult rhs) {
  if (isOneInteger(rhs))
    return lhs;
  if (isOneInteger(lhs))
    return rhs;
  return foldOrCreateIndexOp<arith::MulIOp>(
      b, loc, lhs, rhs, [](int64_t l, int64_t r) { return l * r; });
}

OpFoldResult kiln::lowering::floorDivIndex(OpBuilder &b, Location loc,
                                           OpFoldResult lhs, OpFoldResult rhs) {
  if (isOneInteger(rhs))
    return lhs;
  return foldOrCreateIndexOp<arith::FloorDivSIOp>(
      b, loc, lhs, rhs, [](int64_t l, int64_t r) {
        int64_t q = l / r;
        return (l % r != 0 && ((l < 0) != (r < 0))) ? q - 1 : q;
      });
}

OpFoldResult kiln::lowering::maxIndex(OpBuilder &b, Location loc,
                                      OpFoldResult lhs, OpFoldResult rhs) {
  return foldOrCreateIndexOp<arith::MaxSIOp>(
      b, loc, lhs, rhs, [](int64_t l, int64_t r) { return std::max(l, r); });
}

OpFoldResult kiln::lowering::minIndex(OpBuilder &b, Location loc,
                                      OpFoldResult lhs, OpFoldResult rhs) {
  return foldOrCreateIndexOp<arith::MinSIOp>(
      b, loc, lhs, rhs, [](int64_t l, int64_t r) { return std::min(l, r); });
}

OpFoldResult kiln::lowering::productIndex(OpBuilder &b, Location loc,
                                          ArrayRef<OpFoldResult> sizes) {
  OpFoldResult product = b.getIndexAttr(1);
  for (OpFoldResult size : sizes)
    product = mulIndex(b, loc, product, size);
  return product;
}

//===----------------------------------------------------------------------===//
// Constants and scalars
//===----------------------------------------------------------------------===//

TypedAttr kiln::lowering::getScalarAttr(Type elementType, double value) {
  if (isa<FloatType>(elementType))
    return FloatAttr::get(elementType, value);
  auto intType = cast<IntegerType>(elementType);
  // Saturate to int64 first: converting an out-of-range double is undefined.
  int64_t wide = 0;
  if (std::isnan(value))
    wide = 0;
  else if (value >= 9.2e18)
    wide = std::numeric_limits<int64_t>::max();
  else if (value <= -9.2e18)
    wide = std::numeric_limits<int64_t>::min();
  else
    wide = static_cast<int64_t>(value);
  APInt bits(intType.getWidth(), static_cast<uint64_t>(wide),
             /*isSigned=*/true, /*implicitTrunc=*/true);
  return IntegerAttr::get(intType, bits);
}

Value kiln::lowering::createScalarConstant(OpBuilder &b, Location loc,
                                           Type elementType, double value) {
  return arith::ConstantOp::create(b, loc, getScalarAttr(elementType, value));
}

TypedAttr kiln::lowering::getLowestValueAttr(Type elementType,
                                             bool isUnsigned) {
  if (auto floatType = dyn_cast<FloatType>(elementType))
    return FloatAttr::get(
        floatType,
        APFloat::getInf(floatType.getFloatSemantics(), /*Negative=*/true));
  auto intType = cast<IntegerType>(elementType);
  if (isBoolType(intType) || isUnsigned)
    return IntegerAttr::get(intType, 0);
  return IntegerAttr::get(intType,
                          APInt::getSignedMinValue(intType.getWidth()));
}

Value kiln::lowering::createMax(OpBuilder &b, Location loc, Value lhs,
                                Value rhs) {
  Type type = lhs.getType();
  if (isa<FloatType>(type))
    return arith::MaximumFOp::create(b, loc, lhs, rhs);
  if (isBoolType(type))
    return arith::MaxUIOp::create(b, loc, lhs, rhs);
  return arith::MaxSIOp::create(b, loc, lhs, rhs);
}

Value kiln::lowering::createMin(OpBuilder &b, Location loc, Value lhs,
                                Value rhs) {
  Type type = lhs.getType();
  if (isa<FloatType>(type))
    return arith::MinimumFOp::create(b, loc, lhs, rhs);
  if (isBoolType(type))
    return arith::MinUIOp::create(b, loc, lhs, rhs);
  return arith::MinSIOp::create(b, loc, lhs, rhs);
}

Value kiln::lowering::createMaxBySign(OpBuilder &b, Location loc, Value lhs,
                                      Value rhs, bool isUnsigned) {
  if (isUnsigned && isa<IntegerType>(lhs.getType()))
    return arith::MaxUIOp::create(b, loc, lhs, rhs);
  return createMax(b, loc, lhs, rhs);
}

Value kiln::lowering::createMinBySign(OpBuilder &b, Location loc, Value lhs,
                                      Value rhs, bool isUnsigned) {
  if (isUnsigned && isa<IntegerType>(lhs.getType()))
    return arith::MinUIOp::create(b, loc, lhs, rhs);
  return createMin(b, loc, lhs, rhs);
}

Value kiln::lowering::indexToFloat(OpBuilder &b, Location loc,
                                   OpFoldResult index, Type floatType) {
  if (std::optional<int64_t> constant = getConstantIntValue(index))
    return createScalarConstant(b, loc, floatType,
                                static_cast<double>(*constant));
  Value value = getValueOrCreateConstantIndexOp(b, loc, index);
  Value wide = arith::IndexCastOp::create(b, loc, b.getI64Type(), value);
  return arith::SIToFPOp::create(b, loc, floatType, wide);
}

Value kiln::lowering::createAdd(OpBuilder &b, Location loc, Value lhs,
                                Value rhs) {
  if (isa<FloatType>(lhs.getType()))
    return arith::AddFOp::create(b, loc, lhs, rhs);
  return arith::AddIOp::create(b, loc, lhs, rhs);
}

//===----------------------------------------------------------------------===//
// Tensors
//===----------------------------------------------------------------------===//

SmallVector<OpFoldResult>
kiln::lowering::getTensorSizes(OpBuilder &b, Location loc, Value value) {
  return tensor::getMixedSizes(b, loc, value);
}

Value kiln::lowering::createEmptyTensor(OpBuilder &b, Location loc,
                                        RankedTensorType type,
                                        ArrayRef<OpFoldResult> sizes) {
  assert(static_cast<int64_t>(sizes.size()) == type.getRank() &&
         "one size per dimension");
  SmallVector<Value> dynamicSizes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      dynamicSizes.push_back(getValueOrCreateConstantIndexOp(b, loc, sizes[d]));
  return tensor::EmptyOp::create(b, loc, type, dynamicSizes);
}

Value kiln::lowering::createFilledTensor(OpBuilder &b, Location loc,
                                         RankedTensorType type,
                                         ArrayRef<OpFoldResult> sizes,
                                         Value fill) {
  Value empty = createEmptyTensor(b, loc, type, sizes);
  return linalg::FillOp::create(b, loc, ValueRange{fill}, ValueRange{empty})
      .getResult(0);
}

Value kiln::lowering::padTensor(OpBuilder &b, Location loc, Value value,
                                ArrayRef<OpFoldResult> low,
                                ArrayRef<OpFoldResult> high, Value padValue) {
  if (llvm::all_of(low, isZeroInteger) && llvm::all_of(high, isZeroInteger))
    return value;
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    std::optional<int64_t> before = getConstantIntValue(low[d]);
    std::optional<int64_t> after = getConstantIntValue(high[d]);
    shape.push_back(type.isDynamicDim(d) || !before || !after
                        ? ShapedType::kDynamic
                        : type.getDimSize(d) + *before + *after);
  }
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  return tensor::PadOp::create(b, loc, resultType, value, low, high, padValue);
}

SmallVector<utils::IteratorType>
kiln::lowering::getParallelIterators(int64_t count) {
  return SmallVector<utils::IteratorType>(count, utils::IteratorType::parallel);
}

//===----------------------------------------------------------------------===//
// Broadcasting
//===----------------------------------------------------------------------===//

/// Returns true when `lhs` and `rhs` are the same size: equal constants, the
/// same value, or tensor.dim of the same tensor and dimension.
static bool isSameSize(OpFoldResult lhs, OpFoldResult rhs) {
  if (isEqualConstantIntOrValue(lhs, rhs))
    return true;
  auto lhsValue = dyn_cast<Value>(lhs), rhsValue = dyn_cast<Value>(rhs);
  if (!lhsValue || !rhsValue)
    return false;
  auto lhsDim = lhsValue.getDefiningOp<tensor::DimOp>();
  auto rhsDim = rhsValue.getDefiningOp<tensor::DimOp>();
  if (!lhsDim || !rhsDim || lhsDim.getSource() != rhsDim.getSource())
    return false;
  std::optional<int64_t> lhsIndex = lhsDim.getConstantIndex();
  return lhsIndex && lhsIndex == rhsDim.getConstantIndex();
}

SmallVector<OpFoldResult> kiln::lowering::computeBroadcastSizes(
    OpBuilder &b, Location loc,
    ArrayRef<SmallVector<OpFoldResult>> operandSizes,
    RankedTensorType resultType) {
  int64_t rank = resultType.getRank();
  SmallVector<OpFoldResult> sizes;
  for (int64_t d = 0; d < rank; ++d) {
    if (!resultType.isDynamicDim(d)) {
      sizes.push_back(b.getIndexAttr(resultType.getDimSize(d)));
      continue;
    }
    // The candidates are the aligned sizes that are not statically 1.
    SmallVector<OpFoldResult> candidates;
    for (const SmallVector<OpFoldResult> &operand : operandSizes) {
      int64_t aligned = d - (rank - static_cast<int64_t>(operand.size()));
      if (aligned < 0 || isOneInteger(operand[aligned]))
        continue;
      candidates.push_back(operand[aligned]);
    }
    if (candidates.empty()) {
      sizes.push_back(b.getIndexAttr(1));
      continue;
    }
    // NumPy: a size of 1 takes the other size (this also keeps 0 against 1).
    OpFoldResult size = candidates.front();
    for (OpFoldResult next : ArrayRef(candidates).drop_front()) {
      if (isSameSize(size, next))
        continue;
      Value current = getValueOrCreateConstantIndexOp(b, loc, size);
      Value other = getValueOrCreateConstantIndexOp(b, loc, next);
      Value one = arith::ConstantIndexOp::create(b, loc, 1);
      Value isOne =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, current, one);
      size = arith::SelectOp::create(b, loc, isOne, other, current).getResult();
    }
    sizes.push_back(size);
  }
  return sizes;
}

/// Returns `operand` with its dynamic dimension `dim` broadcast to
/// `targetSize` when, at run time, the dimension is 1 and the target is not;
/// otherwise `operand` unchanged. The result has `operand`'s type.
static Value expandDynamicUnitDim(OpBuilder &b, Location loc, Value operand,
                                  int64_t dim, OpFoldResult targetSize) {
  auto type = cast<RankedTensorType>(operand.getType());
  Value size = tensor::DimOp::create(b, loc, operand, dim);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value target = getValueOrCreateConstantIndexOp(b, loc, targetSize);
  Value isOne =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, size, one);
  Value grows =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, target, one);
  Value expand = arith::AndIOp::create(b, loc, isOne, grows);
  auto ifOp = scf::IfOp::create(
      b, loc, expand,
      [&](OpBuilder &thenBuilder, Location thenLoc) {
        SmallVector<OpFoldResult> sizes =
            getTensorSizes(thenBuilder, thenLoc, operand);
        sizes[dim] = target;
        Value init = createEmptyTensor(thenBuilder, thenLoc, type, sizes);
        int64_t rank = type.getRank();
        SmallVector<AffineExpr> exprs;
        for (int64_t d = 0; d < rank; ++d)
          exprs.push_back(d == dim ? thenBuilder.getAffineConstantExpr(0)
                                   : thenBuilder.getAffineDimExpr(d));
        SmallVector<AffineMap> maps = {
            AffineMap::get(rank, 0, exprs, b.getContext()),
            thenBuilder.getMultiDimIdentityMap(rank)};
        auto copy = linalg::GenericOp::create(
            thenBuilder, thenLoc, type, operand, init, maps,
            getParallelIterators(rank),
            [](OpBuilder &nb, Location nl, ValueRange args) {
              linalg::YieldOp::create(nb, nl, args[0]);
            });
        scf::YieldOp::create(thenBuilder, thenLoc, copy.getResult(0));
      },
      [&](OpBuilder &elseBuilder, Location elseLoc) {
        scf::YieldOp::create(elseBuilder, elseLoc, operand);
      });
  return ifOp.getResult(0);
}

/// Returns `operand`, made ready to be read with NumPy broadcasting by a
/// generic whose iteration space is `resultSizes`, and its indexing map.
static std::pair<Value, AffineMap>
prepareBroadcastOperand(OpBuilder &b, Location loc, Value operand,
                        ArrayRef<OpFoldResult> operandSizes,
                        ArrayRef<OpFoldResult> resultSizes) {
  int64_t rank = cast<RankedTensorType>(operand.getType()).getRank();
  int64_t resultRank = resultSizes.size();
  int64_t offset = resultRank - rank;
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t j = i + offset;
    std::optional<int64_t> size = getConstantIntValue(operandSizes[i]);
    std::optional<int64_t> resultSize = getConstantIntValue(resultSizes[j]);
    if (size == 1 && resultSize != 1) {
      exprs.push_back(b.getAffineConstantExpr(0));
      continue;
    }
    // A dynamic size that is not the result size itself may be 1 at run time.
    if (!size && resultSize != 1 &&
        !isSameSize(operandSizes[i], resultSizes[j]))
      operand = expandDynamicUnitDim(b, loc, operand, i, resultSizes[j]);
    exprs.push_back(b.getAffineDimExpr(j));
  }
  return {operand, AffineMap::get(resultRank, 0, exprs, b.getContext())};
}

Value kiln::lowering::createElementwiseOp(
    OpBuilder &b, Location loc, RankedTensorType resultType,
    ValueRange operands, ScalarBuilder body,
    ArrayRef<OpFoldResult> knownResultSizes) {
  SmallVector<SmallVector<OpFoldResult>> operandSizes;
  for (Value operand : operands)
    operandSizes.push_back(getTensorSizes(b, loc, operand));
  SmallVector<OpFoldResult> resultSizes(knownResultSizes);
  if (resultSizes.empty())
    resultSizes = computeBroadcastSizes(b, loc, operandSizes, resultType);
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  for (auto [operand, sizes] : llvm::zip_equal(operands, operandSizes)) {
    auto [prepared, map] =
        prepareBroadcastOperand(b, loc, operand, sizes, resultSizes);
    inputs.push_back(prepared);
    maps.push_back(map);
  }
  int64_t rank = resultType.getRank();
  maps.push_back(b.getMultiDimIdentityMap(rank));
  Value init = createEmptyTensor(b, loc, resultType, resultSizes);
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, inputs, init, maps, getParallelIterators(rank),
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        Value result = body(nb, nl, args.drop_back());
        linalg::YieldOp::create(nb, nl, result);
      });
  return generic.getResult(0);
}

Value kiln::lowering::createMappedGeneric(OpBuilder &b, Location loc,
                                          RankedTensorType resultType,
                                          ArrayRef<OpFoldResult> resultSizes,
                                          ValueRange inputs,
                                          ArrayRef<AffineMap> inputMaps,
                                          ScalarBuilder body) {
  int64_t rank = resultType.getRank();
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(b.getMultiDimIdentityMap(rank));
  Value init = createEmptyTensor(b, loc, resultType, resultSizes);
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, inputs, init, maps, getParallelIterators(rank),
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(nb, nl, body(nb, nl, args.drop_back()));
      });
  return generic.getResult(0);
}

AffineMap kiln::lowering::getMapDroppingDims(MLIRContext *context, int64_t rank,
                                             ArrayRef<int64_t> dropped) {
  SmallVector<int64_t> kept;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(dropped, d))
      kept.push_back(d);
  return getMapKeepingDims(context, rank, kept);
}

AffineMap kiln::lowering::getMapKeepingDims(MLIRContext *context, int64_t rank,
                                            ArrayRef<int64_t> kept) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d : kept)
    exprs.push_back(getAffineDimExpr(d, context));
  return AffineMap::get(rank, 0, exprs, context);
}

Value kiln::lowering::broadcastToShape(OpBuilder &b, Location loc, Value value,
                                       RankedTensorType targetType,
                                       ArrayRef<OpFoldResult> targetSizes) {
  SmallVector<OpFoldResult> sizes = getTensorSizes(b, loc, value);
  if (value.getType() == targetType &&
      llvm::all_of(llvm::zip_equal(sizes, targetSizes), [](auto pair) {
        return isSameSize(std::get<0>(pair), std::get<1>(pair));
      }))
    return value;
  auto [prepared, map] =
      prepareBroadcastOperand(b, loc, value, sizes, targetSizes);
  int64_t rank = targetType.getRank();
  SmallVector<AffineMap> maps = {map, b.getMultiDimIdentityMap(rank)};
  Value init = createEmptyTensor(b, loc, targetType, targetSizes);
  auto generic = linalg::GenericOp::create(
      b, loc, targetType, prepared, init, maps, getParallelIterators(rank),
      [](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(nb, nl, args[0]);
      });
  return generic.getResult(0);
}

//===----------------------------------------------------------------------===//
// Reshapes
//===----------------------------------------------------------------------===//

Value kiln::lowering::collapseDims(OpBuilder &b, Location loc, Value value,
                                   int64_t first, int64_t last) {
  int64_t rank = cast<RankedTensorType>(value.getType()).getRank();
  assert(0 <= first && first <= last && last < rank && "invalid dim range");
  if (first == last)
    return value;
  SmallVector<ReassociationIndices> reassociation;
  for (int64_t d = 0; d < first; ++d)
    reassociation.push_back({d});
  ReassociationIndices group;
  for (int64_t d = first; d <= last; ++d)
    group.push_back(d);
  reassociation.push_back(group);
  for (int64_t d = last + 1; d < rank; ++d)
    reassociation.push_back({d});
  return tensor::CollapseShapeOp::create(b, loc, value, reassociation);
}

/// Casts `value` to `type` (same rank, compatible sizes) when they differ.
static Value castIfNeeded(OpBuilder &b, Location loc, Value value,
                          RankedTensorType type) {
  if (value.getType() == type)
    return value;
  return tensor::CastOp::create(b, loc, type, value);
}

Value kiln::lowering::createExpandShape(
    OpBuilder &b, Location loc, RankedTensorType resultType, Value value,
    ArrayRef<ReassociationIndices> reassociation,
    ArrayRef<OpFoldResult> sizes) {
  // The output shape must agree with the type: a constant for a static
  // size, an SSA value for a dynamic one (even if it folded to a constant).
  SmallVector<OpFoldResult> outputShape;
  for (int64_t d = 0; d < resultType.getRank(); ++d)
    outputShape.push_back(
        resultType.isDynamicDim(d)
            ? OpFoldResult(getValueOrCreateConstantIndexOp(b, loc, sizes[d]))
            : OpFoldResult(b.getIndexAttr(resultType.getDimSize(d))));
  return tensor::ExpandShapeOp::create(b, loc, resultType, value, reassociation,
                                       outputShape);
}

Value kiln::lowering::reshapeTensor(OpBuilder &b, Location loc, Value value,
                                    RankedTensorType resultType,
                                    ArrayRef<OpFoldResult> resultSizes) {
  auto sourceType = cast<RankedTensorType>(value.getType());
  if (sourceType == resultType)
    return value;
  Type elementType = sourceType.getElementType();
  int64_t sourceRank = sourceType.getRank(), resultRank = resultType.getRank();
  // Rank 0 on either side: every other size is 1.
  if (resultRank == 0) {
    auto ones =
        RankedTensorType::get(SmallVector<int64_t>(sourceRank, 1), elementType);
    Value cast = castIfNeeded(b, loc, value, ones);
    return tensor::CollapseShapeOp::create(b, loc, resultType, cast,
                                           ArrayRef<ReassociationIndices>{});
  }
  if (sourceRank == 0) {
    auto ones =
        RankedTensorType::get(SmallVector<int64_t>(resultRank, 1), elementType);
    Value expanded = tensor::ExpandShapeOp::create(
        b, loc, ones, value, ArrayRef<ReassociationIndices>{});
    return castIfNeeded(b, loc, expanded, resultType);
  }
  // Static shapes where one refines the other: a single collapse or expand.
  if (sourceType.hasStaticShape() && resultType.hasStaticShape()) {
    if (sourceRank > resultRank)
      if (auto reassociation = getReassociationIndicesForCollapse(
              sourceType.getShape(), resultType.getShape()))
        return tensor::CollapseShapeOp::create(b, loc, resultType, value,
                                               *reassociation);
    if (sourceRank < resultRank)
      if (auto reassociation = getReassociationIndicesForCollapse(
              resultType.getShape(), sourceType.getShape()))
        return tensor::ExpandShapeOp::create(b, loc, resultType, value,
                                             *reassociation);
  }
  // Several dynamic result sizes: tensor.reshape with a shape operand, as
  // MLIR 22's expand-strided-metadata crashes on memref.expand_shape with
  // more than one dynamic size in a group (llvm/llvm-project#186830).
  if (resultType.getNumDynamicDims() > 1) {
    assert(static_cast<int64_t>(resultSizes.size()) == resultRank &&
           "several dynamic sizes need explicit result sizes");
    SmallVector<Value> shape;
    for (OpFoldResult size : resultSizes)
      shape.push_back(getValueOrCreateConstantIndexOp(b, loc, size));
    Value shapeTensor = tensor::FromElementsOp::create(b, loc, shape);
    return tensor::ReshapeOp::create(b, loc, resultType, value, shapeTensor);
  }
  // Otherwise through a 1-D tensor.
  Value flat = collapseDims(b, loc, value, 0, sourceRank - 1);
  int64_t flatSize = resultType.hasStaticShape() ? resultType.getNumElements()
                                                 : ShapedType::kDynamic;
  flat = castIfNeeded(b, loc, flat,
                      RankedTensorType::get({flatSize}, elementType));
  if (resultRank == 1)
    return castIfNeeded(b, loc, flat, resultType);
  SmallVector<OpFoldResult> sizes(resultSizes);
  if (sizes.empty()) {
    // The one dynamic size is the element count over the static sizes.
    OpFoldResult total = getTensorSizes(b, loc, flat).front();
    int64_t known = 1;
    for (int64_t d = 0; d < resultRank; ++d)
      if (!resultType.isDynamicDim(d))
        known *= resultType.getDimSize(d);
    // With a static size of 0 there are no elements and any size fits.
    OpFoldResult dynamicSize =
        known == 0 ? OpFoldResult(b.getIndexAttr(0))
                   : floorDivIndex(b, loc, total, b.getIndexAttr(known));
    for (int64_t d = 0; d < resultRank; ++d)
      sizes.push_back(resultType.isDynamicDim(d)
                          ? dynamicSize
                          : b.getIndexAttr(resultType.getDimSize(d)));
  }
  ReassociationIndices all;
  for (int64_t d = 0; d < resultRank; ++d)
    all.push_back(d);
  return createExpandShape(b, loc, resultType, flat, {all}, sizes);
}

Value kiln::lowering::insertUnitDims(OpBuilder &b, Location loc, Value value,
                                     RankedTensorType resultType,
                                     ArrayRef<int64_t> unitDims) {
  if (unitDims.empty())
    return value;
  SmallVector<OpFoldResult> sourceSizes = getTensorSizes(b, loc, value);
  SmallVector<ReassociationIndices> reassociation;
  SmallVector<OpFoldResult> outputSizes;
  ReassociationIndices pending;
  int64_t source = 0;
  for (int64_t d = 0; d < resultType.getRank(); ++d) {
    if (llvm::is_contained(unitDims, d)) {
      outputSizes.push_back(b.getIndexAttr(1));
      // Unit dims after the last kept one join the last group.
      if (source == static_cast<int64_t>(sourceSizes.size()) &&
          !reassociation.empty())
        reassociation.back().push_back(d);
      else
        pending.push_back(d);
      continue;
    }
    outputSizes.push_back(sourceSizes[source++]);
    pending.push_back(d);
    reassociation.push_back(pending);
    pending.clear();
  }
  return createExpandShape(b, loc, resultType, value, reassociation,
                           outputSizes);
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

Value kiln::lowering::createReduction(OpBuilder &b, Location loc, Value input,
                                      ArrayRef<int64_t> dims, TypedAttr init,
                                      CombineBuilder combine) {
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<OpFoldResult> sizes = getTensorSizes(b, loc, input);
  SmallVector<OpFoldResult> keptSizes;
  SmallVector<int64_t> keptShape;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if (llvm::is_contained(dims, d))
      continue;
    keptSizes.push_back(sizes[d]);
    keptShape.push_back(type.getDimSize(d));
  }
  auto resultType = RankedTensorType::get(keptShape, type.getElementType());
  Value initValue = arith::ConstantOp::create(b, loc, init);
  Value filled = createFilledTensor(b, loc, resultType, keptSizes, initValue);
  auto reduce = linalg::ReduceOp::create(
      b, loc, ValueRange{input}, ValueRange{filled}, dims,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(nb, nl, combine(nb, nl, args[0], args[1]));
      });
  return reduce.getResult(0);
}
