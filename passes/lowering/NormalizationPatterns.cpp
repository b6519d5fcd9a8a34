//===- NormalizationPatterns.cpp - softmax, norms, reductions to linalg ---===//
//
// Lowers the nn ops that reduce along dimensions: softmax (numerically
// stable: the maximum is subtracted before exponentiating), layer_norm
// (two-pass mean and biased variance), batch_norm (inference, one
// elementwise generic), global_avg_pool, reduce_sum/mean/max/min/prod
// (linalg.reduce, with tensor.expand_shape restoring `keepdims` dimensions)
// and argmax/argmin (a linalg.generic carrying the extreme and its index).
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "PopulatePatterns.h"

#include "kiln/dialects/nn/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lowering;

namespace {

/// Returns `dims` sizes of `sizes`, and the sizes of the other dimensions.
std::pair<SmallVector<OpFoldResult>, SmallVector<OpFoldResult>>
splitSizes(ArrayRef<OpFoldResult> sizes, ArrayRef<int64_t> dims) {
  SmallVector<OpFoldResult> selected, others;
  for (auto [d, size] : llvm::enumerate(sizes)) {
    if (llvm::is_contained(dims, static_cast<int64_t>(d)))
      selected.push_back(size);
    else
      others.push_back(size);
  }
  return {selected, others};
}

/// Returns `type` without the dimensions `dims`.
RankedTensorType dropDims(RankedTensorType type, ArrayRef<int64_t> dims) {
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (!llvm::is_contained(dims, d))
      shape.push_back(type.getDimSize(d));
  return RankedTensorType::get(shape, type.getElementType());
}

/// Returns the sum of `input` over `dims` (dropped from the result).
Value createSum(OpBuilder &b, Location loc, Value input,
                ArrayRef<int64_t> dims) {
  Type elementType = cast<RankedTensorType>(input.getType()).getElementType();
  return createReduction(b, loc, input, dims, getScalarAttr(elementType, 0.0),
                         createAdd);
}

/// Returns `value` divided elementwise by the number of elements in the
/// dimensions of sizes `countedSizes`, as a float.
Value divideByCount(OpBuilder &b, Location loc, Value value,
                    ArrayRef<OpFoldResult> countedSizes) {
  auto type = cast<RankedTensorType>(value.getType());
  Type elementType = type.getElementType();
  OpFoldResult count = productIndex(b, loc, countedSizes);
  Value divisor = indexToFloat(b, loc, count, elementType);
  return createElementwiseOp(
      b, loc, type, value, [&](OpBuilder &nb, Location nl, ValueRange args) {
        return arith::DivFOp::create(nb, nl, args[0], divisor).getResult();
      });
}

/// Lowers nn.softmax along `axis` as exp(x - max) / sum(exp(x - max)).
struct SoftmaxLowering : OpConversionPattern<nn::SoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::SoftmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    Value input = adaptor.getInput();
    Type elementType = resultType.getElementType();
    int64_t rank = resultType.getRank();
    int64_t axis = static_cast<int64_t>(op.getAxis());
    SmallVector<OpFoldResult> sizes = getTensorSizes(rewriter, loc, input);
    MLIRContext *context = rewriter.getContext();
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap reduced = getMapDroppingDims(context, rank, {axis});

    Value max = createReduction(rewriter, loc, input, {axis},
                                getLowestValueAttr(elementType), createMax);
    Value exps = createMappedGeneric(
        rewriter, loc, resultType, sizes, ValueRange{input, max},
        {identity, reduced}, [](OpBuilder &b, Location l, ValueRange args) {
          Value shifted = arith::SubFOp::create(b, l, args[0], args[1]);
          return math::ExpOp::create(b, l, shifted).getResult();
        });
    Value sums = createSum(rewriter, loc, exps, {axis});
    Value result = createMappedGeneric(
        rewriter, loc, resultType, sizes, ValueRange{exps, sums},
        {identity, reduced}, [](OpBuilder &b, Location l, ValueRange args) {
          return arith::DivFOp::create(b, l, args[0], args[1]).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Lowers nn.layer_norm over [axis, rank): mean, then the biased variance
/// of the centered input, then (x - mean) * (1 / sqrt(var + eps)) * scale
/// + bias.
struct LayerNormLowering : OpConversionPattern<nn::LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    Value input = adaptor.getInput();
    Type elementType = resultType.getElementType();
    int64_t rank = resultType.getRank();
    int64_t axis = op.getAxis();
    SmallVector<int64_t> normalized, outer;
    for (int64_t d = 0; d < rank; ++d)
      (d >= axis ? normalized : outer).push_back(d);
    SmallVector<OpFoldResult> sizes = getTensorSizes(rewriter, loc, input);
    auto [normalizedSizes, outerSizes] = splitSizes(sizes, normalized);
    MLIRContext *context = rewriter.getContext();
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap outerMap = getMapKeepingDims(context, rank, outer);
    AffineMap normalizedMap = getMapKeepingDims(context, rank, normalized);
    RankedTensorType outerType = dropDims(resultType, normalized);

    Value mean = divideByCount(rewriter, loc,
                               createSum(rewriter, loc, input, normalized),
                               normalizedSizes);

    // Sum of squared deviations: a reduction generic over the input.
    Value zero = createScalarConstant(rewriter, loc, elementType, 0.0);
    Value squaresInit =
        createFilledTensor(rewriter, loc, outerType, outerSizes, zero);
    SmallVector<utils::IteratorType> iterators;
    for (int64_t d = 0; d < rank; ++d)
      iterators.push_back(d >= axis ? utils::IteratorType::reduction
                                    : utils::IteratorType::parallel);
    Value squares =
        linalg::GenericOp::create(
            rewriter, loc, outerType, ValueRange{input, mean}, squaresInit,
            ArrayRef<AffineMap>{identity, outerMap, outerMap}, iterators,
            [](OpBuilder &b, Location l, ValueRange args) {
              Value centered = arith::SubFOp::create(b, l, args[0], args[1]);
              Value square = arith::MulFOp::create(b, l, centered, centered);
              linalg::YieldOp::create(
                  b, l,
                  arith::AddFOp::create(b, l, args[2], square).getResult());
            })
            .getResult(0);
    Value variance = divideByCount(rewriter, loc, squares, normalizedSizes);
    Value epsilon = createScalarConstant(rewriter, loc, elementType,
                                         op.getEpsilon().convertToDouble());
    Value inverseStd = createElementwiseOp(
        rewriter, loc, outerType, variance,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value one = createScalarConstant(b, l, elementType, 1.0);
          Value shifted = arith::AddFOp::create(b, l, args[0], epsilon);
          Value root = math::SqrtOp::create(b, l, shifted);
          return arith::DivFOp::create(b, l, one, root).getResult();
        });

    SmallVector<Value> inputs = {input, mean, inverseStd};
    SmallVector<AffineMap> maps = {identity, outerMap, outerMap};
    Value scale = adaptor.getScale(), bias = adaptor.getBias();
    if (scale) {
      inputs.push_back(scale);
      maps.push_back(normalizedMap);
    }
    if (bias) {
      inputs.push_back(bias);
      maps.push_back(normalizedMap);
    }
    Value result = createMappedGeneric(
        rewriter, loc, resultType, sizes, inputs, maps,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value centered = arith::SubFOp::create(b, l, args[0], args[1]);
          Value value = arith::MulFOp::create(b, l, centered, args[2]);
          unsigned next = 3;
          if (scale)
            value = arith::MulFOp::create(b, l, value, args[next++]);
          if (bias)
            value = arith::AddFOp::create(b, l, value, args[next++]);
          return value;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Lowers inference nn.batch_norm to one generic computing
/// (x - mean) / sqrt(var + eps) * scale + bias per channel.
struct BatchNormLowering : OpConversionPattern<nn::BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    Value input = adaptor.getInput();
    Type elementType = resultType.getElementType();
    int64_t rank = resultType.getRank();
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap channel = getMapKeepingDims(rewriter.getContext(), rank, {1});
    Value epsilon = createScalarConstant(rewriter, loc, elementType,
                                         op.getEpsilon().convertToDouble());
    Value result = createMappedGeneric(
        rewriter, loc, resultType, getTensorSizes(rewriter, loc, input),
        ValueRange{input, adaptor.getScale(), adaptor.getBias(),
                   adaptor.getMean(), adaptor.getVariance()},
        {identity, channel, channel, channel, channel},
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value centered = arith::SubFOp::create(b, l, args[0], args[3]);
          Value root = math::SqrtOp::create(
              b, l, arith::AddFOp::create(b, l, args[4], epsilon));
          Value normalized = arith::DivFOp::create(b, l, centered, root);
          Value scaled = arith::MulFOp::create(b, l, normalized, args[1]);
          return arith::AddFOp::create(b, l, scaled, args[2]).getResult();
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Lowers nn.global_avg_pool: the sum over the spatial dimensions divided by
/// their element count, with the spatial dimensions restored as 1.
struct GlobalAvgPoolLowering : OpConversionPattern<nn::GlobalAvgPoolOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::GlobalAvgPoolOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    Value input = adaptor.getInput();
    SmallVector<int64_t> spatial;
    for (int64_t d = 2; d < resultType.getRank(); ++d)
      spatial.push_back(d);
    SmallVector<OpFoldResult> sizes = getTensorSizes(rewriter, loc, input);
    Value mean =
        divideByCount(rewriter, loc, createSum(rewriter, loc, input, spatial),
                      splitSizes(sizes, spatial).first);
    rewriter.replaceOp(
        op, insertUnitDims(rewriter, loc, mean, resultType, spatial));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Further reductions: reduce_min, reduce_prod, argmax, argmin
//===----------------------------------------------------------------------===//

/// Returns the identity of a min reduction: +inf for floats, the largest
/// signed value for integers and true for i1; the largest unsigned value for
/// integers when `isUnsigned`.
TypedAttr getHighestValueAttr(Type elementType, bool isUnsigned) {
  if (auto floatType = dyn_cast<FloatType>(elementType))
    return FloatAttr::get(
        floatType,
        APFloat::getInf(floatType.getFloatSemantics(), /*Negative=*/false));
  auto intType = cast<IntegerType>(elementType);
  if (isBoolType(intType))
    return IntegerAttr::get(intType, 1);
  if (isUnsigned)
    return IntegerAttr::get(intType, APInt::getMaxValue(intType.getWidth()));
  return IntegerAttr::get(intType,
                          APInt::getSignedMaxValue(intType.getWidth()));
}

/// Returns the scalar product of `lhs` and `rhs` (mulf, or muli which is
/// `and` for i1).
Value createMul(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isa<FloatType>(lhs.getType()))
    return arith::MulFOp::create(b, loc, lhs, rhs);
  return arith::MulIOp::create(b, loc, lhs, rhs);
}

/// Returns the i1 "the element replaces the current extreme" of argmax
/// (`isMax`) or argmin. Ties keep the first index unless `selectLast`. A NaN
/// wins over any number, as in NumPy (the first NaN, or the last with
/// `selectLast`, as ONNX's reference flips the axis for it). Integers
/// compare unsigned for i1 and when `isUnsigned`.
Value createArgTakes(OpBuilder &b, Location loc, Value element, Value current,
                     bool isMax, bool selectLast, bool isUnsigned) {
  Type type = element.getType();
  if (isa<FloatType>(type)) {
    arith::CmpFPredicate predicate =
        isMax ? (selectLast ? arith::CmpFPredicate::OGE
                            : arith::CmpFPredicate::OGT)
              : (selectLast ? arith::CmpFPredicate::OLE
                            : arith::CmpFPredicate::OLT);
    Value better = arith::CmpFOp::create(b, loc, predicate, element, current);
    Value elementNaN = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO,
                                             element, element);
    if (!selectLast) {
      Value currentNumber = arith::CmpFOp::create(
          b, loc, arith::CmpFPredicate::ORD, current, current);
      elementNaN = arith::AndIOp::create(b, loc, elementNaN, currentNumber);
    }
    return arith::OrIOp::create(b, loc, better, elementNaN);
  }
  isUnsigned |= isBoolType(type);
  arith::CmpIPredicate predicate;
  if (isMax)
    predicate = selectLast ? (isUnsigned ? arith::CmpIPredicate::uge
                                         : arith::CmpIPredicate::sge)
                           : (isUnsigned ? arith::CmpIPredicate::ugt
                                         : arith::CmpIPredicate::sgt);
  else
    predicate = selectLast ? (isUnsigned ? arith::CmpIPredicate::ule
                                         : arith::CmpIPredicate::sle)
                           : (isUnsigned ? arith::CmpIPredicate::ult
                                         : arith::CmpIPredicate::slt);
  return arith::CmpIOp::create(b, loc, predicate, element, current);
}

/// Lowers nn.argmax / nn.argmin to one linalg.generic that carries the
/// running extreme and its index along `axis`; with `keepdims` the axis
/// comes back as size 1.
template <typename OpTy, bool isMax>
struct ArgReduceLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertTensorType(this->getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    Value input = adaptor.getInput();
    auto inputType = dyn_cast<RankedTensorType>(input.getType());
    if (!inputType)
      return emitUnsupported(op, "input type");
    int64_t rank = inputType.getRank();
    int64_t axis = op.getAxis();
    bool selectLast = op.getSelectLastIndex();
    Type elementType = inputType.getElementType();
    bool isUnsigned = hasUnsignedElements(op.getInput().getType());
    Type indexType = rewriter.getI64Type();

    SmallVector<OpFoldResult> sizes = getTensorSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> keptSizes;
    SmallVector<int64_t> keptShape;
    SmallVector<AffineExpr> keptExprs;
    SmallVector<utils::IteratorType> iterators;
    for (int64_t d = 0; d < rank; ++d) {
      iterators.push_back(d == axis ? utils::IteratorType::reduction
                                    : utils::IteratorType::parallel);
      if (d == axis)
        continue;
      keptSizes.push_back(sizes[d]);
      keptShape.push_back(inputType.getDimSize(d));
      keptExprs.push_back(rewriter.getAffineDimExpr(d));
    }
    auto valueType = RankedTensorType::get(keptShape, elementType);
    auto indicesType = RankedTensorType::get(keptShape, indexType);
    Value initValue = arith::ConstantOp::create(
        rewriter, loc,
        isMax ? getLowestValueAttr(elementType, isUnsigned)
              : getHighestValueAttr(elementType, isUnsigned));
    Value initIndex =
        arith::ConstantOp::create(rewriter, loc, rewriter.getI64IntegerAttr(0));
    Value values =
        createFilledTensor(rewriter, loc, valueType, keptSizes, initValue);
    Value indices =
        createFilledTensor(rewriter, loc, indicesType, keptSizes, initIndex);
    MLIRContext *context = rewriter.getContext();
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, context);
    AffineMap kept = AffineMap::get(rank, 0, keptExprs, context);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valueType, indicesType}, ValueRange{input},
        ValueRange{values, indices}, ArrayRef<AffineMap>{identity, kept, kept},
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          Value position = linalg::IndexOp::create(b, l, axis);
          Value index = arith::IndexCastOp::create(b, l, indexType, position);
          Value takes = createArgTakes(b, l, args[0], args[1], isMax,
                                       selectLast, isUnsigned);
          Value newValue =
              arith::SelectOp::create(b, l, takes, args[0], args[1]);
          Value newIndex = arith::SelectOp::create(b, l, takes, index, args[2]);
          linalg::YieldOp::create(b, l, ValueRange{newValue, newIndex});
        });
    Value result = generic.getResult(1);
    if (op.getKeepdims())
      result = insertUnitDims(rewriter, loc, result, resultType, {axis});
    if (result.getType() != resultType)
      result = tensor::CastOp::create(rewriter, loc, resultType, result);
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// The reductions nn.reduce_* lower to.
enum class ReductionKind { Sum, Mean, Max, Min, Prod };

/// Lowers nn.reduce_sum / reduce_mean / reduce_max with linalg.reduce; with
/// `keepdims` the reduced dimensions come back as size 1.
template <typename OpTy, ReductionKind kind>
struct ReduceLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertTensorType(this->getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    Value input = adaptor.getInput();
    ArrayRef<int64_t> axes = op.getAxes();
    if (axes.empty()) {
      rewriter.replaceOp(op, input);
      return success();
    }
    Type elementType = resultType.getElementType();
    bool isUnsigned = hasUnsignedElements(op.getType());
    Value result;
    if (kind == ReductionKind::Max) {
      result = createReduction(
          rewriter, loc, input, axes,
          getLowestValueAttr(elementType, isUnsigned),
          [&](OpBuilder &b, Location l, Value element, Value acc) {
            return createMaxBySign(b, l, element, acc, isUnsigned);
          });
    } else if (kind == ReductionKind::Min) {
      result = createReduction(
          rewriter, loc, input, axes,
          getHighestValueAttr(elementType, isUnsigned),
          [&](OpBuilder &b, Location l, Value element, Value acc) {
            return createMinBySign(b, l, element, acc, isUnsigned);
          });
    } else if (kind == ReductionKind::Prod) {
      result = createReduction(rewriter, loc, input, axes,
                               getScalarAttr(elementType, 1.0), createMul);
    } else {
      result = createSum(rewriter, loc, input, axes);
      if (kind == ReductionKind::Mean)
        result = divideByCount(
            rewriter, loc, result,
            splitSizes(getTensorSizes(rewriter, loc, input), axes).first);
    }
    if (op.getKeepdims())
      result = insertUnitDims(rewriter, loc, result, resultType, axes);
    if (result.getType() != resultType)
      result = tensor::CastOp::create(rewriter, loc, resultType, result);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void kiln::lowering::populateNormalizationPatterns(
    const TypeConverter &typeConverter, RewritePatternSet &patterns) {
  patterns.add<SoftmaxLowering, LayerNormLowering, BatchNormLowering,
               GlobalAvgPoolLowering,
               ReduceLowering<nn::ReduceSumOp, ReductionKind::Sum>,
               ReduceLowering<nn::ReduceMeanOp, ReductionKind::Mean>,
               ReduceLowering<nn::ReduceMaxOp, ReductionKind::Max>,
               ReduceLowering<nn::ReduceMinOp, ReductionKind::Min>,
               ReduceLowering<nn::ReduceProdOp, ReductionKind::Prod>,
               ArgReduceLowering<nn::ArgMaxOp, /*isMax=*/true>,
               ArgReduceLowering<nn::ArgMinOp, /*isMax=*/false>>(
      typeConverter, patterns.getContext());
}
