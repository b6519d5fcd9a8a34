//===- IndexingPatterns.cpp - scans, N-d gathers, scatters, top-k ---------===//
//
// Lowers the ops of NNIndexingOps.td. gather_nd is a linalg.generic over the
// result that reads its index tuple with tensor.extract. The others carry a
// dependence from one step to the next, so they are scf.for loops over
// tensors (iter_args), which one-shot bufferization turns into in-place
// updates:
//
// - cumsum walks the axis (backwards with `reverse`), adding each slice to a
//   running sum and writing the sum before (`exclusive`) or after the add.
// - scatter_elements and scatter_nd copy the data, then loop over every
//   update element in row-major order, reading its target position (negative
//   indices wrapped, out-of-range ones clamped so that no write leaves the
//   tensor) and writing it with tensor.insert, combined with the element
//   there for a reduction; later duplicates overwrite earlier ones.
// - top_k selects, per slice, the best element that ranks after the one
//   selected before, k times over. Elements are ordered by value (NaN after
//   every number, as NumPy's sort places it) and then by position, a total
//   order, so that ties go to the lower index.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "PopulatePatterns.h"

#include "kiln/dialects/nn/NNOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace kiln;
using namespace kiln::lowering;

namespace {

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

/// Converts an integer index read from an index tensor to `index`, wraps a
/// negative one by `size` and clamps the result into [0, size - 1].
Value normalizeIndex(OpBuilder &b, Location loc, Value rawIndex, Value size) {
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value index = arith::IndexCastOp::create(b, loc, b.getIndexType(), rawIndex);
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, index, zero);
  Value wrapped = arith::SelectOp::create(
      b, loc, negative, arith::AddIOp::create(b, loc, index, size), index);
  return arith::MinSIOp::create(b, loc,
                                arith::MaxSIOp::create(b, loc, wrapped, zero),
                                arith::SubIOp::create(b, loc, size, one));
}

/// Returns the sizes of `value` as index values.
SmallVector<Value> getSizeValues(OpBuilder &b, Location loc, Value value) {
  SmallVector<Value> sizes;
  for (OpFoldResult size : getTensorSizes(b, loc, value))
    sizes.push_back(getValueOrCreateConstantIndexOp(b, loc, size));
  return sizes;
}

/// Returns a fresh copy of `value`, so that the in-place writes of a scatter
/// never reach a function argument or a constant.
Value copyTensor(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  Value empty = createEmptyTensor(b, loc, type, getTensorSizes(b, loc, value));
  return linalg::CopyOp::create(b, loc, value, empty).getResult(0);
}

/// Combines the element already at a scatter target with its update;
/// `isUnsigned` tells how integers compare (the lowered types are signless).
Value combineScatter(OpBuilder &b, Location loc, nn::ScatterReduction reduction,
                     bool isUnsigned, Value old, Value update) {
  switch (reduction) {
  case nn::ScatterReduction::None:
    return update;
  case nn::ScatterReduction::Add:
    return createAdd(b, loc, old, update);
  case nn::ScatterReduction::Mul:
    if (isa<FloatType>(old.getType()))
      return arith::MulFOp::create(b, loc, old, update);
    return arith::MulIOp::create(b, loc, old, update);
  case nn::ScatterReduction::Max:
    if (isUnsigned)
      return arith::MaxUIOp::create(b, loc, old, update);
    return createMax(b, loc, old, update);
  case nn::ScatterReduction::Min:
    if (isUnsigned)
      return arith::MinUIOp::create(b, loc, old, update);
    return createMin(b, loc, old, update);
  }
  llvm_unreachable("unknown scatter reduction");
}

/// Builds a loop nest over `sizes` that threads `tensor` through its
/// iter_args; `body` returns the updated tensor for one position.
Value buildTensorLoopNest(
    OpBuilder &b, Location loc, ArrayRef<Value> sizes, Value tensor,
    function_ref<Value(OpBuilder &, Location, ValueRange, Value)> body) {
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  SmallVector<Value> lowerBounds(sizes.size(), zero), steps(sizes.size(), one);
  scf::LoopNest nest =
      scf::buildLoopNest(b, loc, lowerBounds, sizes, steps, ValueRange{tensor},
                         [&](OpBuilder &nb, Location nl, ValueRange ivs,
                             ValueRange iterArgs) -> scf::ValueVector {
                           return {body(nb, nl, ivs, iterArgs.front())};
                         });
  if (nest.results.empty())
    return tensor;
  return nest.results.front();
}

//===----------------------------------------------------------------------===//
// cumsum
//===----------------------------------------------------------------------===//

/// Lowers nn.cumsum to an scf.for along the axis whose iter_args are the
/// running sum (one slice) and the result; each step extracts one slice,
/// adds it to the sum with a linalg.generic and inserts the new sum (the old
/// one when exclusive).
struct CumsumLowering : OpConversionPattern<nn::CumsumOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::CumsumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = convertTensorType(getTypeConverter(), op.getType());
    if (!type)
      return emitUnsupported(op, "result type");
    Value input = adaptor.getInput();
    int64_t axis = op.getAxis(), rank = type.getRank();
    bool exclusive = op.getExclusive(), reverse = op.getReverse();
    SmallVector<OpFoldResult> sizes = getTensorSizes(rewriter, loc, input);
    SmallVector<OpFoldResult> sliceSizes(sizes);
    sliceSizes[axis] = rewriter.getIndexAttr(1);
    SmallVector<int64_t> sliceShape(type.getShape());
    sliceShape[axis] = 1;
    auto sliceType = RankedTensorType::get(sliceShape, type.getElementType());
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
    Value zero = createScalarConstant(rewriter, loc, type.getElementType(), 0);
    Value sum0 = createFilledTensor(rewriter, loc, sliceType, sliceSizes, zero);
    Value result0 = createEmptyTensor(rewriter, loc, type, sizes);
    Value length = getValueOrCreateConstantIndexOp(rewriter, loc, sizes[axis]);
    Value lower = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value step = arith::ConstantIndexOp::create(rewriter, loc, 1);
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    auto loop = scf::ForOp::create(
        rewriter, loc, lower, length, step, ValueRange{sum0, result0},
        [&](OpBuilder &b, Location l, Value k, ValueRange iterArgs) {
          Value position = k;
          if (reverse) {
            Value last = arith::SubIOp::create(b, l, length, step);
            position = arith::SubIOp::create(b, l, last, k);
          }
          SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
          offsets[axis] = position;
          Value slice = tensor::ExtractSliceOp::create(
              b, l, sliceType, input, offsets, sliceSizes, strides);
          // An exclusive sum writes the running sum before the add.
          Value result = iterArgs[1];
          if (exclusive)
            result = tensor::InsertSliceOp::create(
                b, l, iterArgs[0], result, offsets, sliceSizes, strides);
          // The sum accumulates in place (the running sum is the generic's
          // init), so that the loop-carried buffers stay the same.
          Value sum =
              linalg::GenericOp::create(
                  b, l, sliceType, ValueRange{slice}, ValueRange{iterArgs[0]},
                  ArrayRef<AffineMap>{identity, identity},
                  getParallelIterators(rank),
                  [](OpBuilder &gb, Location gl, ValueRange args) {
                    linalg::YieldOp::create(
                        gb, gl, createAdd(gb, gl, args[1], args[0]));
                  })
                  .getResult(0);
          if (!exclusive)
            result = tensor::InsertSliceOp::create(b, l, sum, result, offsets,
                                                   sliceSizes, strides);
          scf::YieldOp::create(b, l, ValueRange{sum, result});
        });
    rewriter.replaceOp(op, loop.getResult(1));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// gather_nd
//===----------------------------------------------------------------------===//

/// Lowers nn.gather_nd to a linalg.generic over the result: the leading
/// loop indices select an index tuple (read element by element), the batch
/// indices and the trailing loop indices complete the position in the data.
struct GatherNDLowering : OpConversionPattern<nn::GatherNDOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::GatherNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType =
        convertTensorType(getTypeConverter(), op.getType());
    if (!resultType)
      return emitUnsupported(op, "result type");
    Value data = adaptor.getData(), indices = adaptor.getIndices();
    auto indicesType = cast<RankedTensorType>(indices.getType());
    int64_t batchDims = op.getBatchDims();
    int64_t tupleDims = indicesType.getRank() - 1;
    int64_t tupleLength = indicesType.getDimSize(tupleDims);
    SmallVector<OpFoldResult> dataSizes = getTensorSizes(rewriter, loc, data);
    SmallVector<OpFoldResult> resultSizes =
        getTensorSizes(rewriter, loc, indices);
    resultSizes.pop_back();
    llvm::append_range(resultSizes,
                       ArrayRef(dataSizes).drop_front(batchDims + tupleLength));
    SmallVector<Value> dimSizes;
    for (int64_t c = 0; c < tupleLength; ++c)
      dimSizes.push_back(getValueOrCreateConstantIndexOp(
          rewriter, loc, dataSizes[batchDims + c]));
    int64_t rank = resultType.getRank();
    Value result = createMappedGeneric(
        rewriter, loc, resultType, resultSizes, ValueRange{}, {},
        [&](OpBuilder &b, Location l, ValueRange) -> Value {
          SmallVector<Value> loopIndices;
          for (int64_t d = 0; d < rank; ++d)
            loopIndices.push_back(linalg::IndexOp::create(b, l, d));
          SmallVector<Value> tuplePosition(
              ArrayRef<Value>(loopIndices).take_front(tupleDims));
          tuplePosition.push_back(Value());
          SmallVector<Value> position(
              ArrayRef<Value>(loopIndices).take_front(batchDims));
          for (int64_t c = 0; c < tupleLength; ++c) {
            tuplePosition.back() = arith::ConstantIndexOp::create(b, l, c);
            Value raw = tensor::ExtractOp::create(b, l, indices, tuplePosition);
            position.push_back(normalizeIndex(b, l, raw, dimSizes[c]));
          }
          llvm::append_range(
              position, ArrayRef<Value>(loopIndices).drop_front(tupleDims));
          return tensor::ExtractOp::create(b, l, data, position);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// scatter_elements and scatter_nd
//===----------------------------------------------------------------------===//

/// Lowers nn.scatter_elements to a loop nest over the indices that writes
/// each update into a copy of the data at its position with the index
/// replacing the position along `axis`.
struct ScatterElementsLowering : OpConversionPattern<nn::ScatterElementsOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::ScatterElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = adaptor.getData(), indices = adaptor.getIndices(),
          updates = adaptor.getUpdates();
    int64_t axis = op.getAxis();
    nn::ScatterReduction reduction = op.getReduction();
    bool isUnsigned =
        op.getData().getType().getElementType().isUnsignedInteger();
    Value axisSize = getSizeValues(rewriter, loc, data)[axis];
    Value result = buildTensorLoopNest(
        rewriter, loc, getSizeValues(rewriter, loc, indices),
        copyTensor(rewriter, loc, data),
        [&](OpBuilder &b, Location l, ValueRange ivs, Value tensor) -> Value {
          Value raw = tensor::ExtractOp::create(b, l, indices, ivs);
          SmallVector<Value> position(ivs);
          position[axis] = normalizeIndex(b, l, raw, axisSize);
          Value update = tensor::ExtractOp::create(b, l, updates, ivs);
          if (reduction != nn::ScatterReduction::None) {
            Value old = tensor::ExtractOp::create(b, l, tensor, position);
            update = combineScatter(b, l, reduction, isUnsigned, old, update);
          }
          return tensor::InsertOp::create(b, l, update, tensor, position);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Lowers nn.scatter_nd to a loop nest over the updates: the leading loop
/// indices select an index tuple, which with the trailing loop indices gives
/// the position in a copy of the data that the update element goes to.
struct ScatterNDLowering : OpConversionPattern<nn::ScatterNDOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::ScatterNDOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = adaptor.getData(), indices = adaptor.getIndices(),
          updates = adaptor.getUpdates();
    auto indicesType = cast<RankedTensorType>(indices.getType());
    int64_t tupleDims = indicesType.getRank() - 1;
    int64_t tupleLength = indicesType.getDimSize(tupleDims);
    nn::ScatterReduction reduction = op.getReduction();
    bool isUnsigned =
        op.getData().getType().getElementType().isUnsignedInteger();
    SmallVector<Value> dataSizes = getSizeValues(rewriter, loc, data);
    Value result = buildTensorLoopNest(
        rewriter, loc, getSizeValues(rewriter, loc, updates),
        copyTensor(rewriter, loc, data),
        [&](OpBuilder &b, Location l, ValueRange ivs, Value tensor) -> Value {
          SmallVector<Value> tuplePosition(ivs.take_front(tupleDims));
          tuplePosition.push_back(Value());
          SmallVector<Value> position;
          for (int64_t c = 0; c < tupleLength; ++c) {
            tuplePosition.back() = arith::ConstantIndexOp::create(b, l, c);
            Value raw = tensor::ExtractOp::create(b, l, indices, tuplePosition);
            position.push_back(normalizeIndex(b, l, raw, dataSizes[c]));
          }
          llvm::append_range(position, ivs.drop_front(tupleDims));
          Value update = tensor::ExtractOp::create(b, l, updates, ivs);
          if (reduction != nn::ScatterReduction::None) {
            Value old = tensor::ExtractOp::create(b, l, tensor, position);
            update = combineScatter(b, l, reduction, isUnsigned, old, update);
          }
          return tensor::InsertOp::create(b, l, update, tensor, position);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// top_k
//===----------------------------------------------------------------------===//

/// Compares two elements of a top_k slice by value in the order in which
/// they are selected: descending for `largest`, ascending otherwise, with
/// NaN after every number in both cases.
struct TopKOrder {
  bool largest;
  bool isFloat;
  bool isUnsigned;

  /// Returns true when `lhs` is selected before `rhs` by value alone.
  Value isBefore(OpBuilder &b, Location loc, Value lhs, Value rhs) const {
    if (!isFloat) {
      arith::CmpIPredicate predicate =
          isUnsigned ? (largest ? arith::CmpIPredicate::ugt
                                : arith::CmpIPredicate::ult)
                     : (largest ? arith::CmpIPredicate::sgt
                                : arith::CmpIPredicate::slt);
      return arith::CmpIOp::create(b, loc, predicate, lhs, rhs);
    }
    Value ordered = arith::CmpFOp::create(
        b, loc, largest ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT,
        lhs, rhs);
    Value lhsNumber =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::ORD, lhs, lhs);
    Value rhsNaN =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, rhs, rhs);
    return arith::OrIOp::create(
        b, loc, ordered, arith::AndIOp::create(b, loc, lhsNumber, rhsNaN));
  }

  /// Returns true when neither value is selected before the other.
  Value isTied(OpBuilder &b, Location loc, Value lhs, Value rhs) const {
    if (!isFloat)
      return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, lhs, rhs);
    Value equal =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, lhs, rhs);
    Value lhsNaN =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, lhs, lhs);
    Value rhsNaN =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, rhs, rhs);
    return arith::OrIOp::create(b, loc, equal,
                                arith::AndIOp::create(b, loc, lhsNaN, rhsNaN));
  }
};

/// Lowers nn.top_k to a loop nest over the slices; per slice, an scf.for
/// over the k outputs scans the axis for the best element ranked after the
/// previous output (value first, then position) and inserts its value and
/// index. O(k * n) per slice, with no scratch storage.
struct TopKLowering : OpConversionPattern<nn::TopKOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(nn::TopKOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType valuesType =
        convertTensorType(getTypeConverter(), op.getValues().getType());
    RankedTensorType indicesType = op.getIndices().getType();
    if (!valuesType)
      return emitUnsupported(op, "result type");
    Value input = adaptor.getInput();
    int64_t axis = op.getAxis(), rank = valuesType.getRank();
    if (op.getInput().getType().isDynamicDim(axis))
      return emitUnsupported(op, "a dynamic axis");
    Type elementType = valuesType.getElementType();
    TopKOrder order{
        op.getLargest(), isa<FloatType>(elementType),
        op.getInput().getType().getElementType().isUnsignedInteger()};
    SmallVector<Value> inputSizes = getSizeValues(rewriter, loc, input);
    Value length = inputSizes[axis];
    SmallVector<OpFoldResult> resultSizes(inputSizes.begin(), inputSizes.end());
    resultSizes[axis] = rewriter.getIndexAttr(op.getK());
    Value values0 = createEmptyTensor(rewriter, loc, valuesType, resultSizes);
    Value indices0 = createEmptyTensor(rewriter, loc, indicesType, resultSizes);
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value none = arith::ConstantIndexOp::create(rewriter, loc, -1);
    Value k = arith::ConstantIndexOp::create(rewriter, loc, op.getK());
    Value placeholder = createScalarConstant(rewriter, loc, elementType, 0);
    SmallVector<Value> outerSizes(inputSizes);
    outerSizes[axis] = one;
    SmallVector<Value> lowerBounds(rank, zero), steps(rank, one);
    scf::LoopNest nest = scf::buildLoopNest(
        rewriter, loc, lowerBounds, outerSizes, steps,
        ValueRange{values0, indices0},
        [&](OpBuilder &b, Location l, ValueRange ivs,
            ValueRange outputs) -> scf::ValueVector {
          SmallVector<Value> position(ivs);
          auto select = scf::ForOp::create(
              b, l, zero, k, one,
              ValueRange{outputs[0], outputs[1], placeholder, none},
              [&](OpBuilder &sb, Location sl, Value j, ValueRange state) {
                Value previous = state[2], previousIndex = state[3];
                Value first = arith::CmpIOp::create(
                    sb, sl, arith::CmpIPredicate::eq, previousIndex, none);
                auto scan = scf::ForOp::create(
                    sb, sl, zero, length, one, ValueRange{placeholder, none},
                    [&](OpBuilder &eb, Location el, Value e, ValueRange best) {
                      SmallVector<Value> at(position);
                      at[axis] = e;
                      Value value =
                          tensor::ExtractOp::create(eb, el, input, at);
                      // Eligible: ranked after the previous output.
                      Value after = arith::OrIOp::create(
                          eb, el, order.isBefore(eb, el, previous, value),
                          arith::AndIOp::create(
                              eb, el, order.isTied(eb, el, previous, value),
                              arith::CmpIOp::create(eb, el,
                                                    arith::CmpIPredicate::slt,
                                                    previousIndex, e)));
                      Value eligible =
                          arith::OrIOp::create(eb, el, first, after);
                      // Better: the first eligible one, or strictly before
                      // the best so far (ties keep the lower position).
                      Value better = arith::OrIOp::create(
                          eb, el,
                          arith::CmpIOp::create(
                              eb, el, arith::CmpIPredicate::eq, best[1], none),
                          order.isBefore(eb, el, value, best[0]));
                      Value take =
                          arith::AndIOp::create(eb, el, eligible, better);
                      scf::YieldOp::create(
                          eb, el,
                          ValueRange{arith::SelectOp::create(eb, el, take,
                                                             value, best[0]),
                                     arith::SelectOp::create(eb, el, take, e,
                                                             best[1])});
                    });
                Value bestValue = scan.getResult(0),
                      bestIndex = scan.getResult(1);
                SmallVector<Value> out(position);
                out[axis] = j;
                Value values =
                    tensor::InsertOp::create(sb, sl, bestValue, state[0], out);
                Value index = arith::IndexCastOp::create(
                    sb, sl, sb.getI64Type(), bestIndex);
                Value indices =
                    tensor::InsertOp::create(sb, sl, index, state[1], out);
                scf::YieldOp::create(
                    sb, sl, ValueRange{values, indices, bestValue, bestIndex});
              });
          return {select.getResult(0), select.getResult(1)};
        });
    rewriter.replaceOp(op, nest.results);
    return success();
  }
};

} // namespace

void kiln::lowering::populateIndexingPatterns(
    const TypeConverter &typeConverter, RewritePatternSet &patterns) {
  patterns.add<CumsumLowering, GatherNDLowering, ScatterElementsLowering,
               ScatterNDLowering, TopKLowering>(typeConverter,
                                                patterns.getContext());
}
